// paddle.optimizer: the 2.0 optimizers and the lr schedulers (paddle.optimizer.lr).
export { Optimizer } from './optimizer.js';
export { Adagrad } from './adagrad.js';
export { Adam } from './adam.js';
export { AdamW } from './adamw.js';
export { Adamax } from './adamax.js';
export { RMSProp } from './rmsprop.js';
export { Adadelta } from './adadelta.js';
export { SGD } from './sgd.js';
export { Momentum } from './momentum.js';
export { Lamb } from './lamb.js';
export * as lr from './lr.js';
