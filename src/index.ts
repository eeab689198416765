// The package entry: `import * as paddle from 'paddle-ts'` and `import paddle from 'paddle-ts'`
// give the same namespace.
import * as paddle from './paddle.js';

export * from './paddle.js';
export default paddle;
