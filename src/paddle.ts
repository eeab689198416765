// Everything the paddle namespace holds; src/index.ts exports it both ways.
import './ops/index.js';
import './backends/js/index.js';
import './tensor/methods.js';

export { Tensor } from './core/tensor.js';
export type { DType } from './core/dtype.js';
export { CPUPlace, CUDAPlace, CUDAPinnedPlace, XPUPlace, set_device, get_device, is_compiled_with_cuda, is_compiled_with_xpu } from './core/place.js';
export { seed, Generator } from './core/random.js';
export * as errors from './errors.js';
export * from './tensor/index.js';
export * from './tensor/dtypes.js';
import * as staticNs from './static/index.js';
export { staticNs as static };
export { enable_static, disable_static } from './static/mode.js';
export { save, load } from './framework/io.js';
export * as nn from './nn/index.js';
export { ParamAttr } from './nn/param_attr.js';
export { create_parameter } from './nn/parameter.js';
export * as optimizer from './optimizer/index.js';
export * as regularizer from './regularizer.js';
export * as io from './io/index.js';
export * as metric from './metric/index.js';
export * as vision from './vision/index.js';
export * as jit from './jit/index.js';
