// paddle.hapi (python/paddle/hapi/__init__.py at 2.0): the high-level API. paddle.Model,
// paddle.callbacks, paddle.summary and paddle.flops are re-exported at the top level.
export { Model } from './model.js';
export * as callbacks from './callbacks.js';
export { summary } from './summary.js';
export { flops } from './flops.js';
