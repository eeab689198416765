// paddle.fluid.layers: the fluid-era layer functions (fluid signatures, defaults and operator types).
// Filled by the fluid.layers helper; the learning-rate decays, distributions and readers live in
// learning_rate_scheduler.ts, distributions.ts and io.ts next to this file (re-exported below once written).
export {};
export { exponential_decay, natural_exp_decay, inverse_time_decay, polynomial_decay, piecewise_decay, cosine_decay, noam_decay, linear_lr_warmup, autoincreased_step_counter } from './learning_rate_scheduler.js';
export { Uniform, Normal, Categorical, MultivariateNormalDiag } from './distributions.js';
export { data, py_reader, create_py_reader_by_data, double_buffer, read_file } from './io.js';
export * from './nn.js';
export * from './tensor.js';
export { less_than, less_equal, greater_than, greater_equal, equal, not_equal, increment } from './misc.js';
export * from './ops.js';
export * from './loss.js';
export * from './sequence_lod.js';
export * from './detection.js';
export * from './control_flow.js';
export * from './rnn.js';
