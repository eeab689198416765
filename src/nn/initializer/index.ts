// paddle.nn.initializer: the 2.0 initializers (python/paddle/nn/initializer/__init__.py).
export { Initializer, set_global_initializer } from './initializer.js';
export { Bilinear } from './bilinear.js';
export { Constant } from './constant.js';
export { KaimingNormal, KaimingUniform } from './kaiming.js';
export { XavierNormal, XavierUniform } from './xavier.js';
export { Assign } from './assign.js';
export { Normal, TruncatedNormal } from './normal.js';
export { Uniform } from './uniform.js';
