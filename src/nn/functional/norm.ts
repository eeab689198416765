// paddle.nn.functional normalization (python/paddle/nn/functional/norm.py at 2.0): batch_norm,
// instance_norm, layer_norm, local_response_norm; plus the helpers the norm layers share
// (running batch_norm-type operators so that the running statistics update in place).
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { convertStorage } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { fail } from '../../core/errors.js';
import type { Attrs, Slots } from '../../core/registry.js';
import { showShape } from '../../core/shape.js';
import { state } from '../../core/state.js';
import type { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import { bnGlobal } from '../../ops/norm.js';
import { Variable } from '../../static/framework.js';
import { default_main_program } from '../../static/mode.js';
import { generate } from '../../static/unique_name.js';
import { pad } from './pad.js';
import { avg_pool2d, avg_pool3d } from './pooling.js';

const nameP = p('name', T.nullable(T.str), null);
const PREFIX = 'paddle.nn.functional.';

/** Copies `src`'s values into `dst`'s storage (same shape), without a version bump: running statistics are buffers outside autograd. */
function writeBack(dst: Tensor, src: Tensor): void {
  if (dst.data === src.data) return;
  const data = src.dtype === dst.dtype ? src.data : convertStorage(src.data, src.dtype, dst.dtype);
  if (data.length === dst.data.length && data.constructor === dst.data.constructor) (dst.data as Float64Array).set(data as Float64Array);
  else dst.data = data.slice();
}

/**
 * Runs batch_norm (or sync_batch_norm) on X with Scale, Bias and the running Mean/Variance,
 * updating the running statistics in place when they are updated (training statistics), as
 * Paddle's MeanOut/VarianceOut alias Mean/Variance. In static mode the operator is appended
 * with MeanOut/VarianceOut set to the running variables themselves. Returns Y.
 */
export function runBatchNorm(type: 'batch_norm' | 'sync_batch_norm', x: Tensor, scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor, attrs: Attrs): Tensor {
  const ins: Slots<Tensor> = { X: [x], Scale: [scale], Bias: [bias], Mean: [mean], Variance: [variance] };
  if (state.staticMode && mean instanceof Variable && variance instanceof Variable && [x, scale, bias].every((t) => t instanceof Variable)) {
    const block = default_main_program().current_block();
    const base = generate(type);
    const pd = mean.dtype;
    const y = block.create_var({ name: `${base}.tmp_0`, dtype: x.dtype, shape: x.dims, stop_gradient: false });
    const sm = block.create_var({ name: `${base}.tmp_1`, dtype: pd, shape: mean.dims, stop_gradient: true });
    const sv = block.create_var({ name: `${base}.tmp_2`, dtype: pd, shape: mean.dims, stop_gradient: true });
    block.append_op({
      type, inputs: ins as Record<string, Variable[]>, attrs,
      outputs: { Y: [y], MeanOut: [mean], VarianceOut: [variance], SavedMean: [sm], SavedVariance: [sv] },
    });
    return y;
  }
  const r = dispatch(type, ins, attrs);
  if (!state.staticMode && !bnGlobal(attrs)) {
    writeBack(mean, r.MeanOut[0]);
    writeBack(variance, r.VarianceOut[0]);
  }
  return r.Y[0];
}

const BN_FORMATS = ['NC', 'NCL', 'NCHW', 'NCDHW', 'NLC', 'NHWC', 'NDHWC'];

/**
 * Batch normalization with caller-owned running statistics. With training=True it normalizes
 * with the batch mean and (biased) variance and updates running_mean/running_var in place:
 * running = momentum * running + (1 - momentum) * batch. With training=False (the default) it
 * normalizes with the running statistics. use_global_stats forces one or the other.
 * @param x input of rank 2 to 5 (float16/float32/float64)
 * @param running_mean running mean [C]
 * @param running_var running variance [C]
 * @param weight scale [C]
 * @param bias shift [C]
 * @param training batch statistics (True) or running statistics (False, default)
 * @param momentum weight of the old running value (0.9)
 * @param epsilon added to the variance (1e-5)
 * @param data_format 'NC', 'NCL', 'NCHW', 'NCDHW' (channel second) or 'NLC', 'NHWC', 'NDHWC' (channel last)
 * @param use_global_stats None: running statistics iff not training; True/False force them
 * @example
 * const y = F.batch_norm(x, rm, rv, w, b, { training: true })   // updates rm and rv
 */
export const batch_norm = defineApi(
  `${PREFIX}batch_norm`,
  [
    p('x', T.tensor),
    p('running_mean', T.tensor),
    p('running_var', T.tensor),
    p('weight', T.tensor),
    p('bias', T.tensor),
    p('training', T.bool, false),
    p('momentum', T.float, 0.9),
    p('epsilon', T.float, 1e-5),
    p('data_format', T.str, 'NCHW'),
    p('use_global_stats', T.nullable(T.bool), null),
    nameP,
  ],
  (a): Tensor => {
    const api = `${PREFIX}batch_norm`;
    if (a.x.dims.length < 2) fail(api, `input dim must be larger than 1, but got x of shape ${showShape(a.x.dims)}`);
    if (!BN_FORMATS.includes(a.data_format))
      fail(api, `data_format must be one of ${BN_FORMATS.map((f) => `'${f}'`).join(', ')}, but got '${a.data_format}'`);
    const layout = a.data_format[1] === 'C' ? 'NCHW' : 'NHWC';
    let useGlobal: boolean;
    let trainableStats: boolean;
    if (a.use_global_stats === null) {
      useGlobal = !a.training;
      trainableStats = false;
    } else {
      useGlobal = a.use_global_stats;
      trainableStats = !a.use_global_stats;
    }
    return runBatchNorm('batch_norm', a.x, a.weight, a.bias, a.running_mean, a.running_var, {
      momentum: a.momentum, epsilon: a.epsilon, is_test: !a.training, data_layout: layout, use_mkldnn: false,
      fuse_with_relu: false, use_global_stats: useGlobal, trainable_statistics: trainableStats,
    });
  },
);

/**
 * Layer normalization over the trailing dims `normalized_shape`: (x - mean) / sqrt(var +
 * epsilon) per sample, then * weight + bias (each of prod(normalized_shape) values, optional).
 * @param x input (float16/float32/float64)
 * @param normalized_shape an int or the list of x's trailing dims to normalize over
 * @param weight scale, 1-D of prod(normalized_shape) values (or of shape normalized_shape)
 * @param bias shift, like weight
 * @param epsilon added to the variance (1e-5)
 * @example F.layer_norm(x, x.shape.slice(1))
 */
export const layer_norm = defineApi(
  `${PREFIX}layer_norm`,
  [
    p('x', T.tensor),
    p('normalized_shape', T.intOrInts),
    p('weight', T.nullable(T.tensor), null),
    p('bias', T.nullable(T.tensor), null),
    p('epsilon', T.float, 1e-5),
    nameP,
  ],
  (a): Tensor => {
    const api = `${PREFIX}layer_norm`;
    const xs = a.x.dims;
    const ns = a.normalized_shape;
    const begin = xs.length - ns.length;
    if (begin < 0 || xs.slice(begin).some((d, i) => d !== ns[i] && d >= 0))
      fail(api, `Given normalized_shape is ${showShape(ns)}, expected input with shape [*, ${ns.join(', ')}], but got input shape ${showShape(xs)}`);
    const n = ns.reduce((s, d) => s * d, 1);
    const flat = (t: Tensor | null): Tensor | null => (t !== null && t.dims.length > 1 && t.dims.reduce((s, d) => s * d, 1) === n ? c.reshape(t, [n]) : t);
    const ins: Slots<Tensor> = { X: [a.x] };
    const w = flat(a.weight);
    const b = flat(a.bias);
    if (w) ins.Scale = [w];
    if (b) ins.Bias = [b];
    return dispatch('layer_norm', ins, { epsilon: a.epsilon, begin_norm_axis: begin }).Y[0];
  },
);

const IN_FORMATS = ['NC', 'NCL', 'NCHW', 'NCDHW'];

/**
 * Instance normalization: each sample's channel is normalized over its spatial positions with
 * its own statistics (no running statistics: running_mean, running_var, use_input_stats and
 * momentum are accepted and unused, as in Paddle 2.0), then * weight + bias per channel.
 * @param x input [N, C, ...] of rank 2 to 5 (float32/float64)
 * @param weight scale [C] (optional)
 * @param bias shift [C] (optional)
 * @param eps added to the variance (1e-5)
 * @param data_format 'NC', 'NCL', 'NCHW' or 'NCDHW' (channel second)
 * @example F.instance_norm(paddle.rand([2, 3, 4, 4]))
 */
export const instance_norm = defineApi(
  `${PREFIX}instance_norm`,
  [
    p('x', T.tensor),
    p('running_mean', T.nullable(T.tensor), null),
    p('running_var', T.nullable(T.tensor), null),
    p('weight', T.nullable(T.tensor), null),
    p('bias', T.nullable(T.tensor), null),
    p('use_input_stats', T.bool, true),
    p('momentum', T.float, 0.9),
    p('eps', T.float, 1e-5),
    p('data_format', T.str, 'NCHW'),
    nameP,
  ],
  (a): Tensor => {
    const api = `${PREFIX}instance_norm`;
    if (!IN_FORMATS.includes(a.data_format))
      fail(api, `data_format must be one of ${IN_FORMATS.map((f) => `'${f}'`).join(', ')} (channel second), but got '${a.data_format}'`);
    const ins: Slots<Tensor> = { X: [a.x] };
    if (a.weight) ins.Scale = [a.weight];
    if (a.bias) ins.Bias = [a.bias];
    return dispatch('instance_norm', ins, { epsilon: a.eps }).Y[0];
  },
);

const LRN_FORMATS = ['NCL', 'NLC', 'NCHW', 'NHWC', 'NCDHW', 'NDHWC'];

/**
 * Local response normalization across channels:
 * x / (k + alpha / size * sum of x^2 over the channels [c - size//2, c + (size-1)//2])^beta,
 * computed as Paddle 2.0 does with pad and average pooling.
 * @param x 3-D, 4-D or 5-D input (float32/float64)
 * @param size the number of channels summed over
 * @param alpha scale (1e-4)
 * @param beta exponent (0.75)
 * @param k offset (1.0)
 * @param data_format 'NCL', 'NLC', 'NCHW', 'NHWC', 'NCDHW' or 'NDHWC'
 * @example F.local_response_norm(paddle.rand([3, 3, 112, 112]), 5)   // shape [3, 3, 112, 112]
 */
export const local_response_norm = defineApi(
  `${PREFIX}local_response_norm`,
  [
    p('x', T.tensor),
    p('size', T.int),
    p('alpha', T.float, 1e-4),
    p('beta', T.float, 0.75),
    p('k', T.float, 1.0),
    p('data_format', T.str, 'NCHW'),
    nameP,
  ],
  (a): Tensor => {
    const api = `${PREFIX}local_response_norm`;
    const { x, size } = a;
    if (!LRN_FORMATS.includes(a.data_format))
      fail(api, `data_format should be in one of [NCL, NCHW, NCDHW, NLC, NHWC, NDHWC], but got '${a.data_format}'`);
    const sizes = x.dims.slice();
    const dim = sizes.length;
    if (dim < 3) fail(api, `Expected 3D or higher dimensionality input, but got ${dim} dimensions`);
    if (size < 1) fail(api, `argument 'size' must be a positive integer, but got ${size}`);
    const channelLast = a.data_format[a.data_format.length - 1] === 'C';
    let div = run1('unsqueeze2', { X: [c.mul(x, x)] }, { axes: [1] });
    const lo = Math.floor(size / 2);
    const hi = Math.floor((size - 1) / 2);
    if (dim === 3) {
      div = pad(div, channelLast ? [lo, hi, 0, 0] : [0, 0, lo, hi]);
      div = avg_pool2d(div, channelLast ? [1, size] : [size, 1], { stride: 1 });
      div = run1('squeeze2', { X: [div] }, { axes: [1] });
    } else {
      div = c.reshape(div, channelLast ? [sizes[0], 1, sizes[1], -1, sizes[dim - 1]] : [sizes[0], 1, sizes[1], sizes[2], -1]);
      div = pad(div, channelLast ? [lo, hi, 0, 0, 0, 0] : [0, 0, 0, 0, lo, hi], { data_format: 'NCDHW' });
      div = avg_pool3d(div, channelLast ? [1, 1, size] : [size, 1, 1], { stride: 1 });
      div = c.reshape(run1('squeeze2', { X: [div] }, { axes: [1] }), sizes);
    }
    div = c.scale(div, a.alpha, a.k);
    div = c.unary('pow', div, { factor: a.beta });
    return c.div(x, div);
  },
);
