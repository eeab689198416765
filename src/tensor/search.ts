// paddle.* searching and sorting, as in python/paddle/tensor/search.py: argmax, argmin,
// argsort, sort, topk, where, nonzero, and unique (manipulation.py). Index results are int64
// (argmax/argmin/unique may ask for int32). Sorts are stable with NaN as the largest value.
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType, getDefaultDType, PROTO_DTYPE } from '../core/dtype.js';
import { dispatch, run1 } from '../core/dispatch.js';
import { fail } from '../core/errors.js';
import { broadcastShapes, normAxis, sameShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';

const nameP = p('name', T.nullable(T.str), null);
const SORTABLE: readonly DType[] = ['float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8'];

function checkX(api: string, x: Tensor, allowed: readonly DType[], arg = 'x'): void {
  if (!allowed.includes(x.dtype)) fail(api, `argument '${arg}' must have dtype ${allowed.join(', ')}, but got ${x.dtype}`);
}

function argOp(api: string, type: string) {
  return (a: { x: Tensor; axis: number | null; keepdim: boolean; dtype: DType | null }): Tensor => {
    checkX(api, a.x, SORTABLE);
    if (a.dtype === null) fail(api, "the value of 'dtype' could not be None");
    if (a.dtype !== 'int32' && a.dtype !== 'int64') fail(api, `argument 'dtype' must be int32 or int64, but got ${a.dtype}`);
    const flatten = a.axis === null;
    const axis = flatten ? 0 : normAxis(a.axis!, a.x.dims.length, api);
    return run1(type, { X: [a.x] }, { axis, keepdims: a.keepdim, flatten, dtype: PROTO_DTYPE[a.dtype] });
  };
}
const argParams = [
  p('x', T.tensor),
  p('axis', T.nullable(T.int), null),
  p('keepdim', T.bool, false),
  p('dtype', T.nullable(T.dtype), 'int64' as DType | null),
  nameP,
] as const;

/**
 * Indices of the maximum values along `axis` (the first one on ties; NaN counts as the
 * maximum). `axis=None` searches the flattened tensor and gives shape [1].
 * @param x a float or int Tensor
 * @param axis the axis to search, or None to flatten
 * @param keepdim keep the searched axis as size 1
 * @param dtype int64 (default) or int32
 * @example paddle.argmax(paddle.to_tensor([[5, 8, 9, 5], [0, 0, 1, 7], [6, 9, 2, 4]]), 0) // [2, 2, 0, 1]
 */
export const argmax = defineApi('paddle.argmax', argParams, argOp('paddle.argmax', 'arg_max'), { method: true });

/**
 * Indices of the minimum values along `axis` (the first one on ties; a NaN is returned as
 * NumPy does). `axis=None` searches the flattened tensor and gives shape [1].
 * @param x a float or int Tensor
 * @param axis the axis to search, or None to flatten
 * @param keepdim keep the searched axis as size 1
 * @param dtype int64 (default) or int32
 * @example paddle.argmin(paddle.to_tensor([[5, 8, 9, 5], [0, 0, 1, 7], [6, 9, 2, 4]])) // [4]
 */
export const argmin = defineApi('paddle.argmin', argParams, argOp('paddle.argmin', 'arg_min'), { method: true });

const sortParams = [p('x', T.tensor), p('axis', T.int, -1), p('descending', T.bool, false), nameP] as const;
function argsortOp(api: string, a: { x: Tensor; axis: number; descending: boolean }): Record<string, Tensor[]> {
  checkX(api, a.x, SORTABLE);
  normAxis(a.axis, a.x.dims.length, api);
  return dispatch('argsort', { X: [a.x] }, { axis: a.axis, descending: a.descending });
}

/**
 * The int64 indices that sort `x` along `axis` (stable: equal values keep their order; NaN
 * sorts as the largest value).
 * @param x a float or int Tensor
 * @param axis the axis to sort along (default -1)
 * @param descending sort largest first
 * @example paddle.argsort(paddle.to_tensor([3, 1, 2])) // [1, 2, 0]
 */
export const argsort = defineApi('paddle.argsort', sortParams, (a) => argsortOp('paddle.argsort', a).Indices[0], { method: true });

/**
 * `x` sorted along `axis` (values only; argsort gives the indices). Differentiable.
 * @param x a float or int Tensor
 * @param axis the axis to sort along (default -1)
 * @param descending sort largest first
 * @example paddle.sort(paddle.to_tensor([[5, 8, 9, 5], [0, 0, 1, 7]]), { descending: true }) // [[9, 8, 5, 5], [7, 1, 0, 0]]
 */
export const sort = defineApi('paddle.sort', sortParams, (a) => argsortOp('paddle.sort', a).Out[0], { method: true });

/**
 * The k largest (or smallest) entries along `axis` and their int64 indices, as [values,
 * indices]. Ties keep the lower index first.
 * @param x a float or int Tensor
 * @param k how many entries: an int, or a 1-element int Tensor
 * @param axis the axis (default: the last)
 * @param largest take the largest (default) or the smallest
 * @param sorted results in order (always true here)
 * @example const [v, i] = paddle.topk(paddle.to_tensor([1, 4, 5, 7]), 1) // v [7], i [3]
 */
export const topk = defineApi(
  'paddle.topk',
  [
    p('x', T.tensor),
    p('k', T.union(T.int, T.tensor)),
    p('axis', T.nullable(T.int), null),
    p('largest', T.bool, true),
    p('sorted', T.bool, true),
    nameP,
  ],
  (a): [Tensor, Tensor] => {
    const api = 'paddle.topk';
    checkX(api, a.x, SORTABLE);
    const ins: Record<string, Tensor[]> = { X: [a.x] };
    const attrs: Record<string, unknown> = { largest: a.largest, sorted: a.sorted };
    if (a.k instanceof Tensor) {
      if (a.k.dtype !== 'int32' && a.k.dtype !== 'int64') fail(api, `argument 'k' must be an int or an int Tensor, but got a ${a.k.dtype} Tensor`);
      ins.K = [a.k];
    } else attrs.k = a.k;
    if (a.axis !== null) {
      normAxis(a.axis, a.x.dims.length, api);
      attrs.axis = a.axis;
    }
    const r = dispatch('top_k_v2', ins, attrs);
    return [r.Out[0], r.Indices[0]];
  },
  { method: true },
);

/** A Tensor operand of where: a scalar becomes a [1] tensor of `dtype`. */
function operand(v: Tensor | number | boolean, dtype: DType): Tensor {
  if (v instanceof Tensor) return v;
  return run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE[dtype], value: Number(v) });
}

/**
 * Elementwise select: `x` where `condition` is true, else `y`; the three broadcast (as later
 * releases do). With x and y omitted, it is `nonzero(condition, as_tuple=True)`.
 * @param condition a bool Tensor
 * @param x a Tensor or a number, taken where condition is true
 * @param y a Tensor or a number, taken where condition is false
 * @example paddle.where(paddle.to_tensor([0.9, 0.1, 3.2, 1.2]).greater_than(paddle.to_tensor(1.0)), paddle.to_tensor([0.9, 0.1, 3.2, 1.2]), paddle.to_tensor([1.0, 1.0, 1.0, 1.0])) // [1., 1., 3.2, 1.2]
 */
export const where = defineApi(
  'paddle.where',
  [p('condition', T.tensor), p('x', T.nullable(T.tensorOrScalar), null), p('y', T.nullable(T.tensorOrScalar), null), nameP],
  (a): Tensor | Tensor[] => {
    const api = 'paddle.where';
    const cond = a.condition;
    if (cond.dtype !== 'bool') fail(api, `argument 'condition' must be a bool Tensor, but got ${cond.dtype}`);
    if (a.x === null && a.y === null) return nonzero(cond, true) as Tensor[];
    if (a.x === null || a.y === null) fail(api, "either both or neither of 'x' and 'y' should be given");
    // a scalar takes the other operand's dtype; two scalars: bool, int64 for integers, else the default float
    const scalarDtype = (v: number | boolean, w: number | boolean): DType =>
      typeof v === 'boolean' && typeof w === 'boolean' ? 'bool' : Number.isInteger(v) && Number.isInteger(w) ? 'int64' : getDefaultDType();
    const dx = a.x instanceof Tensor ? a.x.dtype : a.y instanceof Tensor ? a.y.dtype : scalarDtype(a.x, a.y as number | boolean);
    const x = operand(a.x, dx);
    const y = operand(a.y, a.y instanceof Tensor ? a.y.dtype : dx);
    if (x.dtype !== y.dtype) fail(api, `'x' and 'y' must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
    const dims = broadcastShapes(broadcastShapes(cond.dims, x.dims, api), y.dims, api);
    const fit = (t: Tensor): Tensor => (sameShape(t.dims, dims) ? t : c.expand(t, dims));
    return run1('where', { Condition: [fit(cond)], X: [fit(x)], Y: [fit(y)] });
  },
  { method: true },
);

/**
 * The coordinates of the nonzero elements of `x`: an int64 Tensor [count, rank], or with
 * `as_tuple` one [count, 1] Tensor per dimension.
 * @param x a Tensor
 * @param as_tuple return one Tensor per dimension
 * @example paddle.nonzero(paddle.to_tensor([[1, 0], [0, 3]])) // [[0, 0], [1, 1]]
 */
export const nonzero = defineApi(
  'paddle.nonzero',
  [p('x', T.tensor), p('as_tuple', T.bool, false)],
  (a): Tensor | Tensor[] => {
    const outs = run1('where_index', { Condition: [a.x] });
    if (!a.as_tuple) return outs;
    const r = a.x.dims.length;
    if (r === 1) return [outs];
    const list: Tensor[] = [];
    for (let i = 0; i < r; i++)
      list.push(run1('slice', { Input: [outs] }, { axes: [1], starts: [i], ends: [i + 1], infer_flags: [1], decrease_axis: [] }));
    return list;
  },
  { method: true },
);

/**
 * The sorted unique elements of `x` (flattened, or unique slices along `axis`), optionally
 * with the first-occurrence indices, the inverse indices and the counts, in that order.
 * @param x a float or int Tensor
 * @param return_index also return the index of each unique value's first occurrence
 * @param return_inverse also return, per input element (or slice), its unique's index
 * @param return_counts also return how often each unique value occurs
 * @param axis the axis of the slices, or None to flatten
 * @param dtype int64 (default) or int32 for the index results
 * @example const [u, idx, inv, cnt] = paddle.unique(paddle.to_tensor([2, 3, 3, 1, 5, 3]), true, true, true) // u [1, 2, 3, 5], idx [3, 0, 1, 4], inv [1, 2, 2, 0, 3, 2], cnt [1, 1, 3, 1]
 */
export const unique = defineApi(
  'paddle.unique',
  [
    p('x', T.tensor),
    p('return_index', T.bool, false),
    p('return_inverse', T.bool, false),
    p('return_counts', T.bool, false),
    p('axis', T.nullable(T.int), null),
    p('dtype', T.dtype, 'int64' as DType),
    nameP,
  ],
  (a): Tensor | Tensor[] => {
    const api = 'paddle.unique';
    checkX(api, a.x, SORTABLE);
    if (a.dtype !== 'int32' && a.dtype !== 'int64') fail(api, `argument 'dtype' must be int32 or int64, but got ${a.dtype}`);
    if (a.axis !== null) normAxis(a.axis, a.x.dims.length, api);
    const r = dispatch('unique', { X: [a.x] }, {
      dtype: PROTO_DTYPE[a.dtype],
      return_index: a.return_index,
      return_inverse: a.return_inverse,
      return_counts: a.return_counts,
      axis: a.axis === null ? [] : [a.axis],
      is_sorted: true,
    });
    const outs = [r.Out[0]];
    if (a.return_index) outs.push(r.Indices[0]);
    if (a.return_inverse) outs.push(r.Index[0]);
    if (a.return_counts) outs.push(r.Counts[0]);
    return outs.length === 1 ? outs[0] : outs;
  },
  { method: true },
);
