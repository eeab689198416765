// The layer classes of paddle.nn (python/paddle/nn/layer/*), one module per family.
export * from './common.js';
