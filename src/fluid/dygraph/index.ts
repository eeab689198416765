// paddle.fluid.dygraph (python/paddle/fluid/dygraph/__init__.py at 2.0), as far as 2.0 scripts
// use it: the mode functions, Layer and containers, the fluid-signature layers, save/load, and
// the learning-rate decays.
export { guard, to_variable, enabled, enable_dygraph, disable_dygraph, in_dygraph_mode, no_grad } from './base.js';
export { Layer } from '../../nn/layer.js';
export { Sequential, LayerList, ParameterList } from '../../nn/containers.js';
export { Linear, Conv2D, Pool2D, Embedding, BatchNorm } from './nn.js';
export { save_dygraph, load_dygraph } from './checkpoint.js';
export {
  LearningRateDecay, NoamDecay, PiecewiseDecay, NaturalExpDecay, ExponentialDecay, InverseTimeDecay, PolynomialDecay, CosineDecay, LinearLrWarmup,
} from './learning_rate_scheduler.js';
