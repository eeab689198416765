// paddle.nn: the functional namespace (paddle.nn.functional) and, next to it, the Layer
// classes, initializers and utilities (each exported here by the module that defines them).
export * as functional from './functional/index.js';
export { Layer } from './layer.js';
export { Sequential, LayerList, ParameterList } from './containers.js';
export * from './layers/index.js';
export * as initializer from './initializer/index.js';
export { ClipGradByValue, ClipGradByNorm, ClipGradByGlobalNorm } from './clip.js';
export { BeamSearchDecoder, dynamic_decode } from './decode.js';
export * as utils from './utils/index.js';
