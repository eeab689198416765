// paddle.nn.functional activations, as in python/paddle/nn/functional/activation.py (2.0):
// every activation of its __all__, mapped onto Paddle's activation operators.
import { defineApi, p, type ArgsOf, type Param } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { DType } from '../../core/dtype.js';
import { dispatchInplace, run1 } from '../../core/dispatch.js';
import { fail } from '../../core/errors.js';
import { showShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';

const nameP = p('name', T.nullable(T.str), null);
const xOnly = [p('x', T.tensor), nameP] as const;

/**
 * max(x, 0), elementwise.
 * @param x a float Tensor
 * @example F.relu(paddle.to_tensor([-2, 0, 1], { dtype: 'float32' })) // [0, 0, 1]
 */
export const relu = defineApi('paddle.nn.functional.relu', xOnly, (a): Tensor => run1('relu', { X: [a.x] }));

/**
 * In-place relu: overwrites `x` with max(x, 0) and returns it (dygraph).
 * @param x a float Tensor
 * @example F.relu_(x)
 */
export const relu_ = defineApi('paddle.nn.functional.relu_', xOnly, (a): Tensor => dispatchInplace('relu', { X: [a.x] }, {}, a.x));

/**
 * 1 / (1 + e^-x), elementwise.
 * @param x a float Tensor
 * @example F.sigmoid(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [0.40131234, 0.450166, 0.52497919, 0.57444252]
 */
export const sigmoid = defineApi('paddle.nn.functional.sigmoid', xOnly, (a): Tensor => run1('sigmoid', { X: [a.x] }));

const softmaxParams = [p('x', T.tensor), p('axis', T.int, -1), p('dtype', T.nullable(T.dtype), null), nameP] as const;

/** Casts x to `dtype` first when given (float32 or float64 only, as Paddle). */
function castFirst(api: string, x: Tensor, dtype: DType | null): Tensor {
  if (dtype === null) return x;
  if (dtype !== 'float32' && dtype !== 'float64') fail(api, `argument 'dtype' must be float32 or float64 when given, but got ${dtype}`);
  return c.cast(x, dtype);
}

/**
 * exp(x) / sum(exp(x)) along `axis` (numerically stable).
 * @param x a float Tensor
 * @param axis the axis to normalize, in [-rank, rank) (default -1)
 * @param dtype cast x to this dtype (float32/float64) first
 * @example F.softmax(paddle.to_tensor([[2, 3, 4, 5]], { dtype: 'float32' })) // [[0.0320586, 0.08714432, 0.23688282, 0.64391426]]
 */
export const softmax = defineApi('paddle.nn.functional.softmax', softmaxParams, (a): Tensor =>
  run1('softmax', { X: [castFirst('paddle.nn.functional.softmax', a.x, a.dtype)] }, { axis: a.axis, use_cudnn: true }),
);

/**
 * In-place softmax: overwrites `x` (dygraph). With `dtype`, x is cast first and the result is a
 * new tensor, as in Paddle.
 * @example F.softmax_(x)
 */
export const softmax_ = defineApi('paddle.nn.functional.softmax_', softmaxParams, (a): Tensor => {
  const x = castFirst('paddle.nn.functional.softmax_', a.x, a.dtype);
  return dispatchInplace('softmax', { X: [x] }, { axis: a.axis, use_cudnn: true }, x);
});

/**
 * log(softmax(x)) along `axis`, computed stably as x - max - log(sum(exp(x - max))).
 * @param x a float Tensor
 * @param axis the axis to normalize (default -1)
 * @param dtype cast x to this dtype (float32/float64) first
 * @example F.log_softmax(paddle.to_tensor([[2, 3, 4, 5]], { dtype: 'float32' })) // [[-3.44019, -2.44019, -1.44019, -0.44019]]
 */
export const log_softmax = defineApi('paddle.nn.functional.log_softmax', softmaxParams, (a): Tensor =>
  run1('log_softmax', { X: [castFirst('paddle.nn.functional.log_softmax', a.x, a.dtype)] }, { axis: a.axis }),
);

// ---------------------------------------------------------------------------------------
// The rest of python/paddle/nn/functional/activation.py (2.0): each maps onto its activation
// operator with Paddle's attribute names (leaky_relu's `alpha`, softshrink's `lambda`,
// hardtanh's brelu `t_min`/`t_max`...). tanh / tanh_ are paddle.tanh / paddle.tanh_, and
// brelu is fluid.layers.brelu, re-exported as Paddle's namespace does.

export { tanh, tanh_ } from '../../tensor/unary.js';

const FLOAT_DTYPES: readonly DType[] = ['float16', 'float32', 'float64'];

/** Checks x is a float tensor (float16/32/64), as Paddle's check_variable_and_dtype. */
function floatX(api: string, x: Tensor, arg = 'x'): void {
  if (!FLOAT_DTYPES.includes(x.dtype)) fail(api, `argument '${arg}' must be a float16, float32 or float64 Tensor, but got ${x.dtype}`);
}

/** An activation API: checks x's dtype, then runs operator `type` with `attrs(args)`. */
function act<const P extends readonly Param<string, any, any, boolean>[]>(
  api: string,
  type: string,
  params: P,
  attrs: (a: ArgsOf<P>) => Record<string, unknown> = () => ({}),
  check?: (a: ArgsOf<P>) => void,
) {
  const full = `paddle.nn.functional.${api}`;
  return defineApi(full, params, (a): Tensor => {
    const x = (a as unknown as { x: Tensor }).x;
    check?.(a);
    floatX(full, x);
    return run1(type, { X: [x] }, attrs(a));
  });
}

/**
 * Clips x into [t_min, t_max] (fluid.layers.brelu; defaults 0 and 24).
 * @param x a float Tensor
 * @param t_min lower bound (0.0)
 * @param t_max upper bound (24.0)
 * @example F.brelu(paddle.to_tensor([-1, 5, 30], { dtype: 'float32' })) // [0, 5, 24]
 */
export const brelu = act('brelu', 'brelu', [p('x', T.tensor), p('t_min', T.float, 0.0), p('t_max', T.float, 24.0), nameP], (a) => ({ t_min: a.t_min, t_max: a.t_max }));

/**
 * ELU: x where x > 0, else alpha * (e^x - 1).
 * @param x a float Tensor
 * @param alpha the scale of the negative part (1.0)
 * @example F.elu(paddle.to_tensor([[-1, 6], [1, 15.6]], { dtype: 'float32' }), 0.2) // [[-0.12642411, 6], [1, 15.6]]
 */
export const elu = act('elu', 'elu', [p('x', T.tensor), p('alpha', T.float, 1.0), nameP], (a) => ({ alpha: a.alpha }));

/**
 * In-place ELU: overwrites x and returns it (dygraph). alpha must be >= 0 (as later Paddle
 * versions assert), so the gradient can be computed from the result.
 * @example F.elu_(x, 0.5)
 */
export const elu_ = defineApi('paddle.nn.functional.elu_', [p('x', T.tensor), p('alpha', T.float, 1.0), nameP], (a): Tensor => {
  const api = 'paddle.nn.functional.elu_';
  if (!(a.alpha >= 0)) fail(api, `elu_ only supports alpha >= 0 (got ${a.alpha}); use paddle.nn.functional.elu instead`);
  floatX(api, a.x);
  return dispatchInplace('elu', { X: [a.x] }, { alpha: a.alpha }, a.x);
});

/**
 * GELU: x * Phi(x), or its tanh approximation when `approximate`.
 * @param x a float Tensor
 * @param approximate use 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (false)
 * @example F.gelu(paddle.to_tensor([[-1, 0.5], [1, 1.5]], { dtype: 'float32' })) // [[-0.15865529, 0.34573123], [0.84134471, 1.39978933]]
 */
export const gelu = act('gelu', 'gelu', [p('x', T.tensor), p('approximate', T.bool, false), nameP], (a) => ({ approximate: a.approximate }));

/**
 * Hard shrink: x where |x| > threshold, else 0.
 * @param x a float Tensor
 * @param threshold (0.5)
 * @example F.hardshrink(paddle.to_tensor([-1, 0.3, 2.5], { dtype: 'float32' })) // [-1, 0, 2.5]
 */
export const hardshrink = act('hardshrink', 'hard_shrink', [p('x', T.tensor), p('threshold', T.float, 0.5), nameP], (a) => ({ threshold: a.threshold }));

/**
 * Hard tanh: clip(x, min, max) (the brelu operator).
 * @param x a float Tensor
 * @param min lower bound (-1.0)
 * @param max upper bound (1.0)
 * @example F.hardtanh(paddle.to_tensor([-1.5, 0.3, 2.5], { dtype: 'float32' })) // [-1, 0.3, 1]
 */
export const hardtanh = act('hardtanh', 'brelu', [p('x', T.tensor), p('min', T.float, -1.0), p('max', T.float, 1.0), nameP], (a) => ({ t_min: a.min, t_max: a.max }));

/**
 * Hard sigmoid: clip(slope * x + offset, 0, 1); by default x/6 + 0.5 (fluid's hard_sigmoid
 * uses slope 0.2).
 * @param x a float Tensor
 * @param slope (0.1666667)
 * @param offset (0.5)
 * @example F.hardsigmoid(paddle.to_tensor([-4, 5, 1], { dtype: 'float32' })) // [0, 1, 0.666667]
 */
export const hardsigmoid = act('hardsigmoid', 'hard_sigmoid', [p('x', T.tensor), p('slope', T.float, 0.1666667), p('offset', T.float, 0.5), nameP], (a) => ({ slope: a.slope, offset: a.offset }));

/**
 * Hard swish: x * clip(x + 3, 0, 6) / 6.
 * @param x a float Tensor
 * @example F.hardswish(paddle.to_tensor([-4, 5, 1], { dtype: 'float32' })) // [0, 5, 0.666667]
 */
export const hardswish = act('hardswish', 'hard_swish', xOnly, () => ({ threshold: 6.0, scale: 6.0, offset: 3.0 }));

/**
 * Leaky ReLU: x where x >= 0, else negative_slope * x (slope 0.01; fluid's is 0.02).
 * @param x a float Tensor
 * @param negative_slope (0.01)
 * @example F.leaky_relu(paddle.to_tensor([-2, 0, 1], { dtype: 'float32' })) // [-0.02, 0, 1]
 */
export const leaky_relu = act('leaky_relu', 'leaky_relu', [p('x', T.tensor), p('negative_slope', T.float, 0.01), nameP], (a) => ({ alpha: a.negative_slope }));

/**
 * log(sigmoid(x)), computed stably.
 * @param x a float Tensor
 * @example F.log_sigmoid(paddle.to_tensor([1, 2, 3, 4], { dtype: 'float32' })) // [-0.313262, -0.126928, -0.0485874, -0.0181499]
 */
export const log_sigmoid = act('log_sigmoid', 'logsigmoid', xOnly);

/**
 * Maxout: the max over each group of `groups` consecutive channels; the channel count
 * (dim `axis`, 1 for NCHW, 3 or -1 for NHWC) is divided by groups. x must be 4-D float32/64.
 * @param x a 4-D Tensor
 * @param groups channels per group (> 1)
 * @param axis the channel axis: 1, 3 or -1 (1)
 * @example F.maxout(paddle.rand([1, 4, 3, 3]), 2) // shape [1, 2, 3, 3]
 */
export const maxout = defineApi(
  'paddle.nn.functional.maxout',
  [p('x', T.tensor), p('groups', T.int), p('axis', T.int, 1), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.maxout';
    if (a.axis !== 1 && a.axis !== -1 && a.axis !== 3)
      fail(api, `argument 'axis' must be 1 when data format is NCHW, -1 or 3 when it is NHWC, but got ${a.axis}`);
    if (a.x.dtype !== 'float32' && a.x.dtype !== 'float64') fail(api, `argument 'x' must be a float32 or float64 Tensor, but got ${a.x.dtype}`);
    return run1('maxout', { X: [a.x] }, { groups: a.groups, axis: a.axis === -1 ? 3 : a.axis });
  },
);

const PRELU_FORMATS = ['NC', 'NCL', 'NCHW', 'NCDHW', 'NLC', 'NHWC', 'NDHWC'] as const;

/**
 * PReLU: max(0, x) + weight * min(0, x). A weight of shape [1] is shared; a weight of shape
 * [C] holds one slope per channel (dim 1, or the last dim for channel-last `data_format`,
 * an argument from later Paddle versions).
 * @param x a float Tensor of shape [N, C, ...] (or [N, ..., C])
 * @param weight the slopes, 1-D: [1] or [C], x's dtype
 * @param data_format 'NC', 'NCL', 'NCHW', 'NCDHW' (channel second) or 'NLC', 'NHWC', 'NDHWC' ('NCHW')
 * @example F.prelu(paddle.to_tensor([[-2, 3], [1, -4]], { dtype: 'float32' }), paddle.to_tensor([0.25], { dtype: 'float32' })) // [[-0.5, 3], [1, -1]]
 */
export const prelu = defineApi(
  'paddle.nn.functional.prelu',
  [p('x', T.tensor), p('weight', T.tensor), p('data_format', T.oneOf(...PRELU_FORMATS), 'NCHW'), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.prelu';
    const { x, weight } = a;
    floatX(api, x);
    floatX(api, weight, 'weight');
    if (weight.dtype !== x.dtype) fail(api, `argument 'weight' must have x's dtype ${x.dtype}, but got ${weight.dtype}`);
    if (weight.dims.length !== 1) fail(api, `argument 'weight' must be 1-D ([1] or [C]), but got shape ${showShape(weight.dims)}`);
    const channelLast = a.data_format[1] !== 'C';
    if (weight.dims[0] === 1) return run1('prelu', { X: [x], Alpha: [weight] }, { mode: 'all' });
    if (x.dims.length < 2) fail(api, `x must have at least 2 dims when weight has more than one element, but got shape ${showShape(x.dims)}`);
    const ch = channelLast ? x.dims[x.dims.length - 1] : x.dims[1];
    if (ch >= 0 && weight.dims[0] >= 0 && weight.dims[0] !== ch)
      fail(api, `weight must have one element per channel of x (${ch}, the ${channelLast ? 'last' : 'second'} dim of shape ${showShape(x.dims)}), but got shape ${showShape(weight.dims)}`);
    if (!channelLast) return run1('prelu', { X: [x], Alpha: [weight] }, { mode: 'channel' });
    // channel-last: Paddle 2.0's prelu has no data_format, so the slopes are laid out per element
    const r = x.dims.length;
    const lead = c.reshape(weight, [...new Array<number>(r - 1).fill(1), weight.dims[0]]);
    const alpha = c.expand(lead, [1, ...x.dims.slice(1)]);
    return run1('prelu', { X: [x], Alpha: [alpha] }, { mode: 'element' });
  },
);

/**
 * ReLU6: min(max(x, 0), 6).
 * @param x a float Tensor
 * @example F.relu6(paddle.to_tensor([-1, 0.3, 6.5], { dtype: 'float32' })) // [0, 0.3, 6]
 */
export const relu6 = act('relu6', 'relu6', xOnly, () => ({ threshold: 6.0 }));

/**
 * SELU: scale * (x where x > 0, else alpha * (e^x - 1)).
 * @param x a float Tensor
 * @param scale (> 1; 1.0507009873554805)
 * @param alpha (>= 0; 1.6732632423543772)
 * @example F.selu(paddle.to_tensor([[0, 1], [2, 3]], { dtype: 'float32' })) // [[0, 1.050701], [2.101402, 3.152103]]
 */
export const selu = act(
  'selu',
  'selu',
  [p('x', T.tensor), p('scale', T.float, 1.0507009873554804934193349852946), p('alpha', T.float, 1.6732632423543772848170429916717), nameP],
  (a) => ({ scale: a.scale, alpha: a.alpha }),
  (a) => {
    if (!(a.scale > 1)) fail('paddle.nn.functional.selu', `The scale must be greater than 1.0. Received: ${a.scale}.`);
    if (!(a.alpha >= 0)) fail('paddle.nn.functional.selu', `The alpha must be no less than zero. Received: ${a.alpha}.`);
  },
);

/**
 * Softplus: log(1 + e^(beta x)) / beta, and x where beta * x > threshold.
 * @param x a float Tensor
 * @param beta (1)
 * @param threshold (20)
 * @example F.softplus(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3], { dtype: 'float32' })) // [0.513015, 0.598139, 0.744397, 0.854355]
 */
export const softplus = act('softplus', 'softplus', [p('x', T.tensor), p('beta', T.float, 1), p('threshold', T.float, 20), nameP], (a) => ({ beta: a.beta, threshold: a.threshold }));

/**
 * Soft shrink: x - threshold where x > threshold, x + threshold where x < -threshold, else 0.
 * @param x a float Tensor
 * @param threshold (>= 0; 0.5)
 * @example F.softshrink(paddle.to_tensor([-0.9, -0.2, 0.1, 0.8], { dtype: 'float32' })) // [-0.4, 0, 0, 0.3]
 */
export const softshrink = act(
  'softshrink',
  'softshrink',
  [p('x', T.tensor), p('threshold', T.float, 0.5), nameP],
  (a) => ({ lambda: a.threshold }),
  (a) => {
    if (!(a.threshold >= 0)) fail('paddle.nn.functional.softshrink', `The threshold must be no less than zero. Received: ${a.threshold}.`);
  },
);

/**
 * Softsign: x / (1 + |x|).
 * @param x a float Tensor
 * @example F.softsign(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3], { dtype: 'float32' })) // [-0.285714, -0.166667, 0.0909091, 0.230769]
 */
export const softsign = act('softsign', 'softsign', xOnly);

/**
 * Swish: x * sigmoid(x) (the swish operator with beta fixed to 1).
 * @param x a float Tensor
 * @example F.swish(paddle.to_tensor([-2, 0, 1], { dtype: 'float32' })) // [-0.238406, 0, 0.731059]
 */
export const swish = act('swish', 'swish', xOnly, () => ({ beta: 1.0 }));

/**
 * Tanh shrink: x - tanh(x).
 * @param x a float Tensor
 * @example F.tanhshrink(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3], { dtype: 'float32' })) // [-0.020051, -0.00262468, 0.000332005, 0.00868739]
 */
export const tanhshrink = act('tanhshrink', 'tanh_shrink', xOnly);

/**
 * Thresholded ReLU: x where x > threshold, else 0.
 * @param x a float Tensor
 * @param threshold (1.0)
 * @example F.thresholded_relu(paddle.to_tensor([2, 0, 1], { dtype: 'float32' })) // [2, 0, 0]
 */
export const thresholded_relu = act('thresholded_relu', 'thresholded_relu', [p('x', T.tensor), p('threshold', T.float, 1.0), nameP], (a) => ({ threshold: a.threshold }));
