// paddle.nn.functional: the functional forms of activations, losses and layers, as in
// python/paddle/nn/functional/__init__.py.
export * from './activation.js';
export * from './loss.js';
export { conv1d, conv2d, conv3d, conv1d_transpose, conv2d_transpose, conv3d_transpose } from './conv.js';
export { avg_pool1d, avg_pool2d, avg_pool3d, max_pool1d, max_pool2d, max_pool3d, adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d, adaptive_max_pool2d, adaptive_max_pool3d } from './pooling.js';
export { pad } from './pad.js';
export { interpolate, upsample } from './interp.js';
export { batch_norm, instance_norm, layer_norm, local_response_norm } from './norm.js';
export { linear, dropout, dropout2d, dropout3d, alpha_dropout, embedding, one_hot, label_smooth, normalize, cosine_similarity, pixel_shuffle, unfold, grid_sample, affine_grid, temporal_shift, diag_embed, bilinear } from './common.js';
export { ctc_loss, hsigmoid_loss } from './loss_seq.js';
export { gather_tree } from './extension.js';
