// Every paddle.* tensor function (each file mirrors a module of python/paddle/tensor).
export * from './math.js';
export * from './creation.js';
export * from './autograd.js';
