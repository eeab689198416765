// paddle.fluid.initializer (python/paddle/fluid/initializer.py): the fluid classes and their
// short aliases, for src/fluid to re-export (`export * as initializer from '../nn/initializer/fluid.js'`).
export { Initializer, set_global_initializer } from './initializer.js';
export { ConstantInitializer, ConstantInitializer as Constant } from './constant.js';
export { UniformInitializer, UniformInitializer as Uniform } from './uniform.js';
export {
  NormalInitializer, NormalInitializer as Normal, TruncatedNormalInitializer, TruncatedNormalInitializer as TruncatedNormal,
} from './normal.js';
export { XavierInitializer, XavierInitializer as Xavier } from './xavier.js';
export { MSRAInitializer, MSRAInitializer as MSRA } from './kaiming.js';
export { BilinearInitializer, Bilinear } from './bilinear.js';
export { NumpyArrayInitializer } from './assign.js';
