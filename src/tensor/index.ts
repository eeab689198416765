// Every paddle.* tensor function (each file mirrors a module of python/paddle/tensor).
export * from './math.js';
export * from './creation.js';
export * from './random.js';
export * from './autograd.js';
export * from './reduction.js';
export * from './logic.js';
export * from './manipulation.js';
export * from './unary.js';
export * from './linalg.js';
export { slice, strided_slice, gather, gather_nd, index_select, index_sample, masked_select, scatter, scatter_, scatter_nd_add, scatter_nd } from './indexing.js'; // getitem/setitem are Tensor methods only
export * from './linalg_extra.js';
export * from './search.js';
export * from './stat.js';
export * from './misc.js';
