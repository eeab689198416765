// paddle.sum / mean / max / min / prod / all / any / logsumexp, as in python/paddle/tensor
// (math.py and stat.py): each maps onto one reduce operator. A full reduction gives shape [1].
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType, isComplex, PROTO_DTYPE } from '../core/dtype.js';
import { run1 } from '../core/dispatch.js';
import { fail } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';

const axisTy = T.nullable(T.intOrInts);

/** Paddle's attrs for `axis`: reduce_all when axis is None, empty, or lists every dim. */
function reduceAttrs(x: Tensor, axis: number[] | null, keepdim: boolean): Record<string, unknown> {
  const all = axis === null || axis.length === 0 || axis.length === x.dims.length;
  return { dim: axis && axis.length ? axis : [0], keep_dim: keepdim, reduce_all: all };
}

function checkX(api: string, x: Tensor, allowed: readonly DType[]): void {
  if (!allowed.includes(x.dtype)) fail(api, `argument 'x' must have dtype ${allowed.join(', ')}, but got ${x.dtype}`);
}

const FLOATS: readonly DType[] = ['float16', 'float32', 'float64'];
const NUMS: readonly DType[] = ['float16', 'float32', 'float64', 'int32', 'int64'];

/**
 * Sum of the elements of `x` over `axis`. bool and int32 inputs sum as int64 (as Paddle >= 2.1
 * does; 2.0 kept int32 and rejected bool); `dtype` sets the result's dtype (the op's
 * in_dtype/out_dtype attributes).
 * @param x a Tensor (bool, float16, float32, float64, int32, int64, complex64, complex128)
 * @param axis int, list of ints, or None for every axis (then the result has shape [1])
 * @param dtype the result's dtype
 * @param keepdim keep reduced axes as size 1
 * @example paddle.sum(paddle.to_tensor([[0.2, 0.3, 0.5, 0.9], [0.1, 0.2, 0.6, 0.7]]), 1) // [1.9, 1.6]
 */
export const sum = defineApi(
  'paddle.sum',
  [p('x', T.tensor), p('axis', axisTy, null), p('dtype', T.nullable(T.dtype), null), p('keepdim', T.bool, false), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    checkX('paddle.sum', a.x, ['bool', ...NUMS, 'complex64', 'complex128']);
    const attrs = reduceAttrs(a.x, a.axis, a.keepdim);
    const outD: DType = a.dtype ?? (a.x.dtype === 'bool' || a.x.dtype === 'int32' ? 'int64' : a.x.dtype);
    if (a.dtype !== null && !isComplex(a.x.dtype) && isComplex(a.dtype)) fail('paddle.sum', `argument 'dtype' ${a.dtype} cannot hold a sum of a ${a.x.dtype} tensor`);
    if (outD !== a.x.dtype) {
      attrs.in_dtype = PROTO_DTYPE[a.x.dtype];
      attrs.out_dtype = PROTO_DTYPE[outD];
    }
    return run1('reduce_sum', { X: [a.x] }, attrs);
  },
  { method: true },
);

/**
 * Arithmetic mean of `x` over `axis`.
 * @param x a float16/float32/float64 Tensor
 * @param axis int, list of ints, or None for every axis (result shape [1])
 * @param keepdim keep reduced axes as size 1
 * @example paddle.mean(paddle.to_tensor([[1., 2.], [3., 4.]]), 0) // [2., 3.]
 */
export const mean = defineApi(
  'paddle.mean',
  [p('x', T.tensor), p('axis', axisTy, null), p('keepdim', T.bool, false), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    checkX('paddle.mean', a.x, FLOATS);
    return run1('reduce_mean', { X: [a.x] }, reduceAttrs(a.x, a.axis, a.keepdim));
  },
  { method: true },
);

/**
 * Maximum of `x` over `axis` (values only; see argmax for indices). The gradient goes to every
 * element equal to the maximum.
 * @param x a float32/float64/int32/int64 Tensor
 * @param axis int, list of ints, or None for every axis (result shape [1])
 * @param keepdim keep reduced axes as size 1
 * @example paddle.max(paddle.to_tensor([[0.2, 0.3, 0.5, 0.9], [0.1, 0.2, 0.6, 0.7]]), 0) // [0.2, 0.3, 0.6, 0.9]
 */
export const max = defineApi(
  'paddle.max',
  [p('x', T.tensor), p('axis', axisTy, null), p('keepdim', T.bool, false), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    checkX('paddle.max', a.x, NUMS);
    return run1('reduce_max', { X: [a.x] }, reduceAttrs(a.x, a.axis, a.keepdim));
  },
  { method: true },
);

/**
 * Minimum of `x` over `axis`. The gradient goes to every element equal to the minimum.
 * @param x a float32/float64/int32/int64 Tensor
 * @param axis int, list of ints, or None for every axis (result shape [1])
 * @param keepdim keep reduced axes as size 1
 * @example paddle.min(paddle.to_tensor([[0.2, 0.3, 0.5, 0.9], [0.1, 0.2, 0.6, 0.7]]), 1) // [0.2, 0.1]
 */
export const min = defineApi(
  'paddle.min',
  [p('x', T.tensor), p('axis', axisTy, null), p('keepdim', T.bool, false), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    checkX('paddle.min', a.x, NUMS);
    return run1('reduce_min', { X: [a.x] }, reduceAttrs(a.x, a.axis, a.keepdim));
  },
  { method: true },
);

/**
 * Product of the elements of `x` over `axis`; `dtype` casts x first.
 * @param x a float32/float64/int32/int64 Tensor
 * @param axis int, list of ints, or None for every axis (result shape [1])
 * @param keepdim keep reduced axes as size 1
 * @param dtype float32, float64, int32 or int64
 * @example paddle.prod(paddle.to_tensor([[0.2, 0.3, 0.5, 0.9], [0.1, 0.2, 0.6, 0.7]]), 1) // [0.027, 0.0084]
 */
export const prod = defineApi(
  'paddle.prod',
  [p('x', T.tensor), p('axis', axisTy, null), p('keepdim', T.bool, false), p('dtype', T.nullable(T.dtype), null), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    let x = a.x;
    if (a.dtype !== null) {
      if (!['float32', 'float64', 'int32', 'int64'].includes(a.dtype))
        fail('paddle.prod', `argument 'dtype' must be float32, float64, int32 or int64, but got ${a.dtype}`);
      x = c.cast(x, a.dtype);
    }
    checkX('paddle.prod', x, NUMS);
    // fluid.layers.reduce_prod: reduce_all only when dim is None (or lists every axis).
    return run1('reduce_prod', { X: [x] }, reduceAttrs(x, a.axis, a.keepdim));
  },
  { method: true },
);

/**
 * Logical AND of a bool tensor over `axis`.
 * @param x a bool Tensor
 * @param axis int, list of ints, or None for every axis (result shape [1])
 * @param keepdim keep reduced axes as size 1
 * @example paddle.all(paddle.to_tensor([[true, false], [true, true]]), 1) // [false, true]
 */
export const all = defineApi(
  'paddle.all',
  [p('x', T.tensor), p('axis', axisTy, null), p('keepdim', T.bool, false), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    checkX('paddle.all', a.x, ['bool']);
    return run1('reduce_all', { X: [a.x] }, reduceAttrs(a.x, a.axis, a.keepdim));
  },
  { method: true },
);

/**
 * Logical OR of a bool tensor over `axis`.
 * @param x a bool Tensor
 * @param axis int, list of ints, or None for every axis (result shape [1])
 * @param keepdim keep reduced axes as size 1
 * @example paddle.any(paddle.to_tensor([[true, false], [false, false]]), 1) // [true, false]
 */
export const any = defineApi(
  'paddle.any',
  [p('x', T.tensor), p('axis', axisTy, null), p('keepdim', T.bool, false), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    checkX('paddle.any', a.x, ['bool']);
    return run1('reduce_any', { X: [a.x] }, reduceAttrs(a.x, a.axis, a.keepdim));
  },
  { method: true },
);

/**
 * log(sum(exp(x))) over `axis`, computed stably (shifted by the maximum).
 * @param x a float32/float64 Tensor
 * @param axis int, list of ints, or None for every axis (result shape [1])
 * @param keepdim keep reduced axes as size 1
 * @example paddle.logsumexp(paddle.to_tensor([[-1.5, 0., 2.], [3., 1.2, -2.4]])) // [3.4691226]
 */
export const logsumexp = defineApi(
  'paddle.logsumexp',
  [p('x', T.tensor), p('axis', axisTy, null), p('keepdim', T.bool, false), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    checkX('paddle.logsumexp', a.x, FLOATS);
    const r = reduceAttrs(a.x, a.axis, a.keepdim);
    return run1('logsumexp', { X: [a.x] }, { axis: r.dim, keepdim: a.keepdim, reduce_all: r.reduce_all });
  },
  { method: true },
);
