// paddle.* statistics and attributes, as in python/paddle/tensor/stat.py (var, std, median,
// numel), linalg.py (histogram) and attribute.py (rank, shape). var/std/median are composites
// of other operators, as in Paddle 2.0; numel, shape and histogram are operators.
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType, PROTO_DTYPE } from '../core/dtype.js';
import { dispatch, run1 } from '../core/dispatch.js';
import { fail } from '../core/errors.js';
import { normAxes, normAxis, numel } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';

const nameP = p('name', T.nullable(T.str), null);
const FLOATS: readonly DType[] = ['float16', 'float32', 'float64'];

function checkX(api: string, x: Tensor, allowed: readonly DType[], arg = 'x'): void {
  if (!allowed.includes(x.dtype)) fail(api, `argument '${arg}' must have dtype ${allowed.join(', ')}, but got ${x.dtype}`);
}

/** reduce_* attributes for an `axis` argument (None, empty, or every dim: reduce_all). */
function reduceAttrs(x: Tensor, axis: number[] | null, keepdim: boolean): Record<string, unknown> {
  const all = axis === null || axis.length === 0 || axis.length === x.dims.length;
  return { dim: axis && axis.length ? axis : [0], keep_dim: keepdim, reduce_all: all };
}

/** A [1] tensor holding `value` in dtype d. */
const constant = (value: number, d: DType): Tensor => run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE[d], value });

/** var as Paddle 2.0 composes it: sum((x - mean)^2) / n, n = N - 1 (at least 1) when unbiased. */
function variance(api: string, x: Tensor, axis: number[] | null, unbiased: boolean, keepdim: boolean): Tensor {
  checkX(api, x, FLOATS);
  if (axis) normAxes(axis, x.dims.length, api);
  const u = run1('reduce_mean', { X: [x] }, reduceAttrs(x, axis, true));
  const out = run1('reduce_sum', { X: [c.square(c.sub(x, u))] }, reduceAttrs(x, axis, keepdim));
  let n: Tensor;
  if (x.dims.every((d) => d >= 0) && out.dims.every((d) => d >= 0)) {
    let k = numel(x.dims) / Math.max(numel(out.dims), 1);
    if (unbiased) k = k > 1 ? k - 1 : 1;
    n = constant(k, x.dtype);
  } else {
    // sizes known only when the program runs
    n = c.div(c.cast(run1('size', { Input: [x] }), x.dtype), c.cast(run1('size', { Input: [out] }), x.dtype));
    if (unbiased) n = run1('elementwise_max', { X: [c.scale(n, 1, -1)], Y: [constant(1, x.dtype)] }, { axis: -1 });
  }
  return c.div(out, n);
}

const varParams = [
  p('x', T.tensor),
  p('axis', T.nullable(T.intOrInts), null),
  p('unbiased', T.bool, true),
  p('keepdim', T.bool, false),
  nameP,
] as const;

/**
 * Variance of `x` over `axis` (all elements when None); `unbiased` divides by N - 1.
 * @param x a float Tensor
 * @param axis int, list of ints, or None
 * @param unbiased divide by N - 1 instead of N (default true)
 * @param keepdim keep reduced axes as size 1
 * @example paddle.var(paddle.to_tensor([[1.0, 2.0, 3.0], [1.0, 4.0, 5.0]])) // [2.66666667]
 */
const var_ = defineApi('paddle.var', varParams, (a) => variance('paddle.var', a.x, a.axis, a.unbiased, a.keepdim), { method: 'var' });
export { var_ as var };

/**
 * Standard deviation of `x` over `axis`: the square root of paddle.var.
 * @param x a float Tensor
 * @param axis int, list of ints, or None
 * @param unbiased divide by N - 1 instead of N (default true)
 * @param keepdim keep reduced axes as size 1
 * @example paddle.std(paddle.to_tensor([[1.0, 2.0, 3.0], [1.0, 4.0, 5.0]])) // [1.63299316]
 */
export const std = defineApi(
  'paddle.std',
  varParams,
  (a) => c.sqrt(variance('paddle.std', a.x, a.axis, a.unbiased, a.keepdim)),
  { method: true },
);

const slice1 = (x: Tensor, axis: number, start: number): Tensor =>
  run1('slice', { Input: [x] }, { axes: [axis], starts: [start], ends: [start + 1], infer_flags: [1], decrease_axis: [] });

/**
 * Median of `x` along `axis` (flattened when None); an even count averages the two middle
 * values. The result is float64 for float64 input, else float32.
 * @param x a float or int Tensor
 * @param axis the axis, or None for all elements (result shape [1])
 * @param keepdim keep the axis as size 1
 * @example paddle.median(paddle.arange(12).reshape([3, 4])) // [5.5]
 */
export const median = defineApi(
  'paddle.median',
  [p('x', T.tensor), p('axis', T.nullable(T.int), null), p('keepdim', T.bool, false), nameP],
  (a): Tensor => {
    const api = 'paddle.median';
    checkX(api, a.x, ['float16', 'float32', 'float64', 'int32', 'int64']);
    const flat = a.axis === null;
    const dims = a.x.dims.length;
    const x = flat ? c.reshape(a.x, [-1]) : a.x;
    const axis = flat ? 0 : normAxis(a.axis!, dims, api);
    const sz = x.dims[axis];
    if (!(sz > 0)) fail(api, `the size of axis ${axis} must be known and positive, but x has shape [${a.x.dims.join(', ')}]`);
    const kth = sz >> 1;
    const vals = dispatch('top_k_v2', { X: [x] }, { k: kth + 1, axis, largest: false, sorted: true }).Out[0];
    const dt: DType = a.x.dtype === 'float64' ? 'float64' : 'float32';
    const out =
      sz % 2 === 0
        ? c.scale(c.cast(c.add(slice1(vals, axis, kth - 1), slice1(vals, axis, kth)), dt), 0.5)
        : c.cast(slice1(vals, axis, kth), dt);
    if (a.keepdim && !flat) return out;
    let shape: number[];
    if (!flat) shape = a.x.dims.filter((_, i) => i !== axis);
    else shape = a.keepdim ? new Array<number>(dims).fill(1) : [1];
    return c.reshape(out, shape.length ? shape : [1]);
  },
  { method: true },
);

/**
 * The number of elements of `x` as an int64 Tensor of shape [1].
 * @example paddle.numel(paddle.ones([3, 4])) // [12]
 */
const numel_ = defineApi('paddle.numel', [p('x', T.tensor), nameP], (a) => run1('size', { Input: [a.x] }), { method: 'numel' });
export { numel_ as numel };

/**
 * Histogram of `input`: counts in `bins` equal-width bins over [min, max] (the data's own
 * range when both are 0); values outside are ignored. int64 result of shape [bins].
 * @param input an int32/int64/float32/float64 Tensor
 * @param bins the number of bins (default 100)
 * @param min lower end of the range (an integer)
 * @param max upper end of the range (an integer)
 * @example paddle.histogram(paddle.to_tensor([1, 2, 1]), 4, 0, 3) // [0, 2, 1, 0]
 */
export const histogram = defineApi(
  'paddle.histogram',
  [p('input', T.tensor), p('bins', T.int, 100), p('min', T.int, 0), p('max', T.int, 0)],
  (a) => {
    const api = 'paddle.histogram';
    checkX(api, a.input, ['int32', 'int64', 'float32', 'float64'], 'input');
    if (a.bins < 1) fail(api, `argument 'bins' must be >= 1, but got ${a.bins}`);
    if (a.max < a.min) fail(api, `argument 'max' must be larger than or equal to 'min', but got min = ${a.min}, max = ${a.max}`);
    return run1('histogram', { X: [a.input] }, { bins: a.bins, min: a.min, max: a.max });
  },
  { method: true },
);

/**
 * The number of dimensions of `input`, as an int32 Tensor of shape [1].
 * @example paddle.rank(paddle.ones([3, 100, 100])) // [3]
 */
export const rank = defineApi(
  'paddle.rank',
  [p('input', T.tensor)],
  (a) => run1('assign_value', {}, { shape: [1], dtype: PROTO_DTYPE.int32, int32_values: [a.input.dims.length] }),
  { method: true },
);

/**
 * The shape of `input` as a 1-D int32 Tensor (Tensor.shape gives a JS array instead).
 * @example paddle.shape(paddle.ones([3, 100, 100])) // [3, 100, 100]
 */
export const shape = defineApi('paddle.shape', [p('input', T.tensor)], (a) => run1('shape', { Input: [a.input] }));
