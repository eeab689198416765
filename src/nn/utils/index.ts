// paddle.nn.utils (python/paddle/nn/utils/__init__.py at 2.0).
export * as weight_norm_hook from './weight_norm_hook.js';
export { weight_norm, remove_weight_norm } from './weight_norm_hook.js';
