// Assorted paddle.* tensor functions: cumsum, clip, kron, multiplex, add_n, trace,
// broadcast_shape (python/paddle/tensor/math.py), tril, triu, diag, meshgrid (creation.py),
// flip / reverse, roll, shard_index (manipulation.py), is_empty, is_tensor (logic.py).
import { defineApi, isPlainObject, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType } from '../core/dtype.js';
import { dispatch, run1 } from '../core/dispatch.js';
import { badArg, fail } from '../core/errors.js';
import { broadcastShapes, normAxes, normAxis } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';

const nameP = p('name', T.nullable(T.str), null);
const NUMS: readonly DType[] = ['float16', 'float32', 'float64', 'int32', 'int64'];

function checkX(api: string, x: Tensor, allowed: readonly DType[], arg = 'x'): void {
  if (!allowed.includes(x.dtype)) fail(api, `argument '${arg}' must have dtype ${allowed.join(', ')}, but got ${x.dtype}`);
}

/** A Tensor or a list of Tensors, given as a list. */
const tensorList = T.union(T.tensors, T.tensor);
const asList = (v: Tensor | Tensor[]): Tensor[] => (v instanceof Tensor ? [v] : v);

/**
 * Cumulative sum along `axis`; with axis None the tensor is flattened first (1-D result).
 * @param x a float32/float64/int32/int64 Tensor
 * @param axis the axis, or None to flatten
 * @param dtype cast x to this dtype first (None: keep)
 * @example paddle.cumsum(paddle.to_tensor([[0, 1, 2], [3, 4, 5]]), 0) // [[0, 1, 2], [3, 5, 7]]
 */
export const cumsum = defineApi(
  'paddle.cumsum',
  [p('x', T.tensor), p('axis', T.nullable(T.int), null), p('dtype', T.nullable(T.dtype), null), nameP],
  (a): Tensor => {
    const api = 'paddle.cumsum';
    let x = a.x;
    if (a.dtype !== null && a.dtype !== x.dtype) x = c.cast(x, a.dtype);
    checkX(api, x, NUMS);
    if (a.axis === null) return run1('cumsum', { X: [x] }, { flatten: true });
    normAxis(a.axis, x.dims.length, api);
    return run1('cumsum', { X: [x] }, { axis: a.axis, flatten: false });
  },
  { method: true },
);

const FMIN = -3.4028234663852886e38;
const FMAX = 3.4028234663852886e38;
const boundTy = T.nullable(T.union(T.float, T.tensor));

/**
 * Clamps every element of `x` into [min, max]. The gradient flows where min < x < max.
 * @param x a float (or int) Tensor
 * @param min lower bound: a number, a 1-element Tensor, or None (unbounded)
 * @param max upper bound: a number, a 1-element Tensor, or None (unbounded)
 * @example paddle.clip(paddle.to_tensor([[1.2, 3.5], [4.5, 6.4]]), 3.5, 5.0) // [[3.5, 3.5], [4.5, 5.0]]
 */
export const clip = defineApi(
  'paddle.clip',
  [p('x', T.tensor), p('min', boundTy, null), p('max', boundTy, null), nameP],
  (a): Tensor => {
    const api = 'paddle.clip';
    checkX(api, a.x, NUMS);
    const ins: Record<string, Tensor[]> = { X: [a.x] };
    const attrs = { min: FMIN, max: FMAX };
    for (const k of ['min', 'max'] as const) {
      const v = a[k];
      if (v instanceof Tensor) {
        if (v.dims.every((d) => d >= 0) && v.size !== 1) fail(api, `argument '${k}' must be a number or a 1-element Tensor, but got a Tensor of shape [${v.dims.join(', ')}]`);
        ins[k === 'min' ? 'Min' : 'Max'] = [v];
      } else if (v !== null) attrs[k] = v;
    }
    if (!(a.min instanceof Tensor) && !(a.max instanceof Tensor) && attrs.min > attrs.max)
      fail(api, `max should be greater than or equal to min, but got min = ${attrs.min}, max = ${attrs.max}`);
    return run1('clip', ins, attrs);
  },
  { method: true },
);

/**
 * Kronecker product of `x` and `y` (the lower-rank one is padded with leading 1s).
 * @example paddle.kron(paddle.to_tensor([[1, 2], [3, 4]]), paddle.to_tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])) // 6x6
 */
export const kron = defineApi('paddle.kron', [p('x', T.tensor), p('y', T.tensor), nameP], (a) => run1('kron', { X: [a.x], Y: [a.y] }), {
  method: true,
});

/**
 * Row i of the result is row i of `inputs[index[i]]`.
 * @param inputs a list of at least 2 Tensors of the same shape, rank >= 2
 * @param index an int32/int64 Tensor of shape [rows, 1]
 * @example paddle.multiplex([a, b], paddle.to_tensor([[1], [0]], { dtype: 'int32' }))
 */
export const multiplex = defineApi(
  'paddle.multiplex',
  [p('inputs', tensorList), p('index', T.tensor), nameP],
  (a): Tensor => {
    const inputs = asList(a.inputs);
    if (inputs.length < 2) fail('paddle.multiplex', `argument 'inputs' should be a list of at least 2 Tensors, but got ${inputs.length}`);
    return run1('multiplex', { Ids: [a.index], X: inputs });
  },
  { method: true },
);

/**
 * Elementwise sum of a list of same-shape, same-dtype Tensors (operator `sum`).
 * @param inputs a Tensor or a list of Tensors
 * @example paddle.add_n([paddle.to_tensor([1, 2]), paddle.to_tensor([3, 4])]) // [4, 6]
 */
export const add_n = defineApi(
  'paddle.add_n',
  [p('inputs', tensorList), nameP],
  (a): Tensor => {
    const inputs = asList(a.inputs);
    if (inputs.length === 0) fail('paddle.add_n', "argument 'inputs' must hold at least one Tensor");
    return run1('sum', { X: inputs }, { use_mkldnn: false });
  },
  { method: true },
);

/**
 * Sum of the `offset` diagonal of the planes (axis1, axis2); those two dims are dropped.
 * @example paddle.trace(paddle.to_tensor([[1, 2], [3, 4]])) // [5]
 */
export const trace = defineApi(
  'paddle.trace',
  [p('x', T.tensor), p('offset', T.int, 0), p('axis1', T.int, 0), p('axis2', T.int, 1), nameP],
  (a) => run1('trace', { Input: [a.x] }, { offset: a.offset, axis1: a.axis1, axis2: a.axis2 }),
  { method: true },
);

/**
 * The shape two shapes broadcast to (NumPy rules), as a list.
 * @example paddle.broadcast_shape([2, 1, 3], [1, 3, 1]) // [2, 3, 3]
 */
export const broadcast_shape = defineApi(
  'paddle.broadcast_shape',
  [p('x_shape', T.shape), p('y_shape', T.shape)],
  (a): number[] => broadcastShapes(a.x_shape, a.y_shape, 'paddle.broadcast_shape'),
  { method: true },
);

function triangle(api: string, lower: boolean) {
  return (a: { x: Tensor; diagonal: number }): Tensor => {
    if (a.x.dims.length < 2) fail(api, `argument 'x' must be at least 2-D, but got shape [${a.x.dims.join(', ')}]`);
    return run1('tril_triu', { X: [a.x] }, { diagonal: a.diagonal, lower });
  };
}

/**
 * The lower triangle of the last two dims: elements on or below the `diagonal`-th diagonal
 * are kept, the rest zeroed.
 * @example paddle.tril(paddle.to_tensor([[1, 2, 3], [4, 5, 6]])) // [[1, 0, 0], [4, 5, 0]]
 */
export const tril = defineApi('paddle.tril', [p('x', T.tensor), p('diagonal', T.int, 0), nameP], triangle('paddle.tril', true));

/**
 * The upper triangle of the last two dims: elements on or above the `diagonal`-th diagonal
 * are kept, the rest zeroed.
 * @example paddle.triu(paddle.to_tensor([[1, 2, 3], [4, 5, 6]]), 1) // [[0, 2, 3], [0, 0, 6]]
 */
export const triu = defineApi('paddle.triu', [p('x', T.tensor), p('diagonal', T.int, 0), nameP], triangle('paddle.triu', false));

/**
 * A 1-D `x` gives a square matrix with x on the `offset` diagonal and `padding_value`
 * elsewhere; a 2-D `x` gives its `offset` diagonal as 1-D.
 * @example paddle.diag(paddle.to_tensor([1, 2, 3])) // [[1, 0, 0], [0, 2, 0], [0, 0, 3]]
 */
export const diag = defineApi(
  'paddle.diag',
  [p('x', T.tensor), p('offset', T.int, 0), p('padding_value', T.float, 0), nameP],
  (a): Tensor => {
    const api = 'paddle.diag';
    checkX(api, a.x, NUMS);
    if (a.x.dims.length !== 1 && a.x.dims.length !== 2)
      fail(api, `the dimension of input x must be either 1 or 2, but received ${a.x.dims.length}`);
    return run1('diag_v2', { X: [a.x] }, { offset: a.offset, padding_value: a.padding_value });
  },
);

const meshgridImpl = defineApi('paddle.meshgrid', [p('args', T.tensors), nameP], (a): Tensor[] => {
  if (a.args.length === 0) fail('paddle.meshgrid', 'expected at least one Tensor');
  return dispatch('meshgrid', { X: a.args }).Out;
});

/**
 * k 1-D Tensors (as arguments or one list) give k Tensors of shape [n0, ..., nk-1], the
 * i-th varying along dim i ('ij' indexing).
 * @example const [gx, gy] = paddle.meshgrid(paddle.to_tensor([1, 2, 3]), paddle.to_tensor([4, 5])) // both [3, 2]
 */
export function meshgrid(...args: (Tensor | readonly Tensor[] | { name?: string | null })[]): Tensor[] {
  let kw: { name?: string | null } = {};
  if (args.length && isPlainObject(args[args.length - 1])) kw = args.pop() as { name?: string | null };
  for (const k of Object.keys(kw)) if (k !== 'name') fail('paddle.meshgrid', `got an unexpected keyword argument '${k}'`);
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as Tensor[]) : (args as Tensor[]);
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) badArg('paddle.meshgrid', `args[${i}]`, 'a Tensor', t);
  });
  return meshgridImpl(list.slice(), kw.name ?? null);
}

const flipParams = [p('x', T.tensor), p('axis', T.intOrInts), nameP] as const;
function flipOp(api: string) {
  return (a: { x: Tensor; axis: number[] }): Tensor => {
    normAxes(a.axis, a.x.dims.length, api);
    return run1('flip', { X: [a.x] }, { axis: a.axis });
  };
}

/**
 * Reverses `x` along the given axis or axes.
 * @example paddle.flip(paddle.to_tensor([[0, 1], [2, 3]]), [0, 1]) // [[3, 2], [1, 0]]
 */
export const flip = defineApi('paddle.flip', flipParams, flipOp('paddle.flip'), { method: true });

/** Alias of paddle.flip (Paddle 2.0 exports `reverse = flip`). */
export const reverse = defineApi('paddle.reverse', flipParams, flipOp('paddle.reverse'), { method: true });

/**
 * Rolls elements along `axis` by `shifts` (circularly); with axis None the tensor is
 * flattened, rolled and restored to its shape.
 * @example paddle.roll(paddle.to_tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), 1) // [[9, 1, 2], [3, 4, 5], [6, 7, 8]]
 */
export const roll = defineApi(
  'paddle.roll',
  [p('x', T.tensor), p('shifts', T.intOrInts), p('axis', T.nullable(T.intOrInts), null), nameP],
  (a): Tensor => {
    const api = 'paddle.roll';
    if (a.axis === null) {
      const shape = a.x.dims.slice();
      const out = run1('roll', { X: [c.reshape(a.x, [-1, 1])] }, { axis: [0], shifts: a.shifts });
      return c.reshape(out, shape);
    }
    const r = a.x.dims.length;
    for (const ax of a.axis)
      if (ax >= r || ax < -r) fail(api, `axis is out of range, it should be in range [${-r}, ${r}), but received [${a.axis.join(', ')}]`);
    if (a.axis.length !== a.shifts.length)
      fail(api, `'shifts' and 'axis' must have the same length, but got shifts [${a.shifts.join(', ')}] and axis [${a.axis.join(', ')}]`);
    return run1('roll', { X: [a.x] }, { axis: a.axis, shifts: a.shifts });
  },
  { method: true },
);

/**
 * Re-indexes labels for one shard: a label in shard `shard_id` (of `nshards`, shard size
 * ceil(index_num / nshards)) becomes its index within the shard, others `ignore_value`.
 * @example paddle.shard_index(paddle.to_tensor([[16], [1]]), 20, 2, 0) // [[-1], [1]]
 */
export const shard_index = defineApi(
  'paddle.shard_index',
  [p('input', T.tensor), p('index_num', T.int), p('nshards', T.int), p('shard_id', T.int), p('ignore_value', T.int, -1)],
  (a): Tensor => {
    const api = 'paddle.shard_index';
    checkX(api, a.input, ['int32', 'int64'], 'input');
    if (a.shard_id < 0 || a.shard_id >= a.nshards) fail(api, `the shard_id(${a.shard_id}) should be in [0, ${a.nshards})`);
    return run1('shard_index', { X: [a.input] }, {
      index_num: a.index_num,
      nshards: a.nshards,
      shard_id: a.shard_id,
      ignore_value: a.ignore_value,
    });
  },
  { method: true },
);

/**
 * A bool Tensor of shape [1]: whether `x` has no elements.
 * @example paddle.is_empty(paddle.ones([0, 3])) // [true]
 */
export const is_empty = defineApi('paddle.is_empty', [p('x', T.tensor), nameP], (a) => run1('is_empty', { X: [a.x] }), { method: true });

/**
 * Whether `x` is a paddle.Tensor (a JS boolean).
 * @example paddle.is_tensor(paddle.ones([1])) // true
 */
export const is_tensor = defineApi('paddle.is_tensor', [p('x', T.any)], (a): boolean => a.x instanceof Tensor, { method: true });
