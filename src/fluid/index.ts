// paddle.fluid: the legacy namespace (Paddle 2.0's python/paddle/fluid/__init__.py) on the same
// operator table: LoD tensors, DataFeeder / DataFeedDesc, flags, custom operator libraries,
// fluid.dygraph, fluid.layers, and the framework names fluid scripts reach through it.
export * as layers from './layers/index.js';
export * as dygraph from './dygraph/index.js';
export * as initializer from '../nn/initializer/fluid.js';
export * as core from './core.js';
export { LoDTensor, LoDTensor as Tensor, LoDTensorArray, create_lod_tensor, create_random_int_lodtensor } from './lod_tensor.js';
export { DataFeeder, DataFeedDesc } from './data_feeder.js';
export { set_flags, get_flags } from './flags.js';
export { data, one_hot, device_guard, cuda_pinned_places, require_version, memory_optimize, release_memory } from './misc.js';
export { load_op_library } from './op_library.js';
export type { OpLibraryApi, CustomOpFn } from './op_library.js';
// framework names fluid scripts use (the same objects as paddle.static / paddle's)
export { CPUPlace, CUDAPlace, CUDAPinnedPlace, XPUPlace, is_compiled_with_cuda, is_compiled_with_xpu } from '../core/place.js';
export { Program, Variable, Parameter, Operator } from '../static/framework.js';
export { default_main_program, default_startup_program, program_guard, name_scope } from '../static/mode.js';
export { Executor, Scope, global_scope, scope_guard } from '../static/executor.js';
export { append_backward, gradients } from '../static/backward.js';
export { ParamAttr } from '../nn/param_attr.js';
export { enable_dygraph, disable_dygraph, in_dygraph_mode } from './dygraph/base.js';
export { DistributeTranspiler, DistributeTranspilerConfig } from './transpiler/distribute_transpiler.js';
