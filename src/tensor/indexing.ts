// Slicing, gathering, scattering and Python-style indexing: paddle.slice, strided_slice,
// gather, gather_nd, index_select, index_sample, masked_select, scatter, scatter_,
// scatter_nd_add, scatter_nd (python/paddle/tensor/manipulation.py, search.py and the fluid
// layers they forward to), and the Tensor methods getitem / setitem that stand for Python's
// x[...] and x[...] = v.
//
// Indexing follows NumPy (as later Paddle 2.x releases do; 2.0.0 itself took only ints and
// slices): ints drop their axis, slices are strings 'start:stop:step', '...' is Ellipsis,
// null is None (a new axis), int arrays / int Tensors gather along their axis, bool Tensors
// select by mask. Everything is composed of operators (slice, strided_slice, unsqueeze2,
// gather, gather_nd, masked_select, where_index, reshape2, set_value, scatter), so autograd
// and (for the basic forms) static programs work.
import { ApiFn, defineApi, p, Param, Ty } from '../core/args.js';
import { T, tensorFromData, tensorToNumbers } from '../core/convert.js';
import { isInteger, PROTO_DTYPE, toNumbers } from '../core/dtype.js';
import { run1, writeInPlace } from '../core/dispatch.js';
import { badArg, fail, OutOfRangeError, PreconditionNotMetError, UnimplementedError } from '../core/errors.js';
import type { Attrs, Slots } from '../core/registry.js';
import { broadcastShapes, numel, showShape, stridesOf } from '../core/shape.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { valuesAttrName } from '../ops/set_value.js';
import { axisRange } from '../ops/slice.js';

const nameP = p('name', T.nullable(T.str), null);
/** Python's "to the end" for slice bounds (Paddle writes INT_MAX too). */
const MAX = 2147483647;

/** Whether a tensor's values can be read now (a dygraph Tensor, not a static Variable). */
const hasData = (t: Tensor): boolean => Object.getPrototypeOf(t) === Tensor.prototype && t.dims.every((d) => d >= 0);
const int64 = (vals: ArrayLike<number>, dims: number[]): Tensor => {
  const s = new BigInt64Array(vals.length);
  for (let i = 0; i < vals.length; i++) s[i] = BigInt(vals[i]);
  return new Tensor(s, dims, 'int64');
};
const int32Scalar = (v: number): Tensor => Tensor.full([1], 'int32', v);

// ---------------------------------------------------------------------------------------
// Int-list arguments of slice / strided_slice: ints, 1-element int Tensors, or an int Tensor.

type IntList = (number | Tensor)[] | Tensor;
const isIntTensor = (v: unknown): v is Tensor => v instanceof Tensor && (v.dtype === 'int32' || v.dtype === 'int64');
const intListTy: Ty<IntList, readonly (number | Tensor)[] | Tensor> = {
  desc: 'a list of integers (entries may be 1-element int Tensors) or an int Tensor',
  parse(v, api, arg) {
    if (isIntTensor(v)) return v;
    if (Array.isArray(v) && v.every((x) => (typeof x === 'number' && Number.isInteger(x)) || (isIntTensor(x) && (x.size === 1 || !hasData(x)))))
      return v.slice() as (number | Tensor)[];
    return badArg(api, arg, this.desc, v);
  },
};

/** Puts an int-list argument on an op: attribute values, a whole Tensor, or a Tensor list. */
function intArg(v: IntList, attr: string, tensorSlot: string, listSlot: string, ins: Slots<Tensor>, attrs: Attrs, flags: number[]): void {
  if (v instanceof Tensor) {
    if (hasData(v)) attrs[attr] = tensorToNumbers(v);
    else {
      ins[tensorSlot] = [v];
      attrs[attr] = [];
      flags.fill(-1);
    }
    return;
  }
  if (v.every((x) => typeof x === 'number' || hasData(x))) {
    attrs[attr] = v.map((x) => (typeof x === 'number' ? x : tensorToNumbers(x)[0]));
    return;
  }
  ins[listSlot] = v.map((x) => (typeof x === 'number' ? int32Scalar(x) : x));
  attrs[attr] = v.map((x, i) => {
    if (typeof x === 'number') return x;
    flags[i] = -1;
    return -1;
  });
}

function checkAxesLen(api: string, axes: number[], lists: [string, IntList][]): void {
  for (const [name, v] of lists)
    if (Array.isArray(v) && v.length !== axes.length)
      fail(api, `argument '${name}' has ${v.length} values but 'axes' has ${axes.length}; they must have the same length`);
}

/**
 * Slices `input` along `axes`: for each listed axis keeps [starts[i], ends[i]). Negative
 * values count from the end; out-of-range values are clamped as in Python. (Paddle's
 * signature has no `name`.)
 * @param input a Tensor
 * @param axes the axes to slice
 * @param starts start indices (ints, 1-element int Tensors, or an int Tensor)
 * @param ends end indices (exclusive)
 * @example paddle.slice(x, [0, 1], [1, 0], [2, 3]) // rows 1, columns 0..2
 */
export const slice = defineApi('paddle.slice', [p('input', T.tensor), p('axes', T.ints), p('starts', intListTy), p('ends', intListTy)], (a): Tensor => {
  checkAxesLen('paddle.slice', a.axes, [['starts', a.starts], ['ends', a.ends]]);
  const ins: Slots<Tensor> = { Input: [a.input] };
  const flags = a.axes.map(() => 1);
  const attrs: Attrs = { axes: a.axes };
  intArg(a.starts, 'starts', 'StartsTensor', 'StartsTensorList', ins, attrs, flags);
  intArg(a.ends, 'ends', 'EndsTensor', 'EndsTensorList', ins, attrs, flags);
  attrs.infer_flags = flags;
  return run1('slice', ins, attrs);
}, { method: true });

/**
 * Slices x along `axes` with per-axis starts, ends and strides; a negative stride walks
 * backwards (for it, an end of -1 means "through the first element", as in Paddle).
 * @param x a Tensor
 * @param axes the axes to slice
 * @param starts start indices; ends: end indices (exclusive); strides: steps (non-zero)
 * @example paddle.strided_slice(x, [1], [-1], [-1], [-1]) // reverses axis 1
 */
export const strided_slice = defineApi(
  'paddle.strided_slice',
  [p('x', T.tensor), p('axes', T.ints), p('starts', intListTy), p('ends', intListTy), p('strides', intListTy), nameP],
  (a): Tensor => {
    checkAxesLen('paddle.strided_slice', a.axes, [['starts', a.starts], ['ends', a.ends], ['strides', a.strides]]);
    const ins: Slots<Tensor> = { Input: [a.x] };
    const flags = a.axes.map(() => 1);
    const attrs: Attrs = { axes: a.axes };
    intArg(a.starts, 'starts', 'StartsTensor', 'StartsTensorList', ins, attrs, flags);
    intArg(a.ends, 'ends', 'EndsTensor', 'EndsTensorList', ins, attrs, flags);
    intArg(a.strides, 'strides', 'StridesTensor', 'StridesTensorList', ins, attrs, flags);
    attrs.infer_flags = flags;
    return run1('strided_slice', ins, attrs);
  },
  { method: true },
);

// ---------------------------------------------------------------------------------------
// gather family

const indexTy: Ty<Tensor> = {
  desc: 'an int32 or int64 Tensor',
  parse(v, api, arg) {
    if (isIntTensor(v)) return v;
    return badArg(api, arg, 'an int32 or int64 Tensor', v);
  },
};
const axisTy: Ty<number | Tensor | null, number | Tensor | null> = {
  desc: 'an integer, a 1-element int Tensor, or None',
  parse(v, api, arg) {
    if (v === null || (typeof v === 'number' && Number.isInteger(v))) return v as number | null;
    if (isIntTensor(v) && (v.size === 1 || !hasData(v))) return v;
    return badArg(api, arg, this.desc, v);
  },
};

/** gather along `axis` (a number or an int Tensor), as paddle.gather appends it. */
function gatherOn(x: Tensor, index: Tensor, axis: number | Tensor): Tensor {
  if (typeof axis === 'number' && axis === 0) return run1('gather', { X: [x], Index: [index] }, { overwrite: false });
  const ax = typeof axis === 'number' ? Tensor.full([1], 'int64', axis) : axis;
  return run1('gather', { X: [x], Index: [index], Axis: [ax] }, { overwrite: true });
}

/**
 * Gathers slices of x along `axis` at the positions in the 1-D `index`; the output's size
 * along axis is len(index). Indices must lie in [0, x.shape[axis]).
 * @param x a Tensor
 * @param index a 1-D int32/int64 Tensor
 * @param axis the axis (default 0); an int or a 1-element int Tensor
 * @example paddle.gather(paddle.to_tensor([[1, 2], [3, 4], [5, 6]]), paddle.to_tensor([0, 1]), 1) // all columns
 */
export const gather = defineApi('paddle.gather', [p('x', T.tensor), p('index', indexTy), p('axis', axisTy, null), nameP], (a): Tensor => {
  let axis: number | Tensor = a.axis ?? 0;
  if (axis instanceof Tensor && hasData(axis)) axis = tensorToNumbers(axis)[0];
  if (typeof axis === 'number') {
    const r = a.x.dims.length;
    if (axis < -r || axis >= r) fail('paddle.gather', `argument 'axis' is ${axis}, out of range for a tensor of rank ${r} (expected an integer in [${-r}, ${r - 1}])`);
    if (axis < 0) axis += r;
  }
  return gatherOn(a.x, a.index, axis);
}, { method: true });

/**
 * Gathers the slices of x addressed by the last dimension of `index` (coordinates into x's
 * leading dims); the result has shape index.shape[:-1] + x.shape[index.shape[-1]:].
 * @param x a Tensor
 * @param index an int32/int64 Tensor with index.shape[-1] <= x.ndim
 * @example paddle.gather_nd(x, paddle.to_tensor([[0, 1], [1, 0]])) // [x[0][1], x[1][0]]
 */
export const gather_nd = defineApi('paddle.gather_nd', [p('x', T.tensor), p('index', indexTy), nameP], (a): Tensor =>
  run1('gather_nd', { X: [a.x], Index: [a.index] }), { method: true });

/**
 * Selects entries of x along `axis` at the 1-D `index` (like gather, with an int axis).
 * @param x a Tensor
 * @param index a 1-D int32/int64 Tensor
 * @param axis the axis (default 0)
 * @example paddle.index_select(x, paddle.to_tensor([0, 2]), 1) // columns 0 and 2
 */
export const index_select = defineApi('paddle.index_select', [p('x', T.tensor), p('index', indexTy), p('axis', T.int, 0), nameP], (a): Tensor =>
  run1('index_select', { X: [a.x], Index: [a.index] }, { dim: a.axis }), { method: true });

/**
 * Per-row gather: for 2-D x [N, D] and int index [N, K], out[i][j] = x[i][index[i][j]].
 * (Paddle's signature has no `name`.)
 * @example paddle.index_sample(x, paddle.to_tensor([[0, 1], [2, 0]]))
 */
export const index_sample = defineApi('paddle.index_sample', [p('x', T.tensor), p('index', indexTy)], (a): Tensor =>
  run1('index_sample', { X: [a.x], Index: [a.index] }), { method: true });

/**
 * The elements of x where the bool `mask` (broadcast against x) is True, as a 1-D Tensor.
 * @example paddle.masked_select(x, x.greater_than(paddle.to_tensor(2.0)))
 */
export const masked_select = defineApi('paddle.masked_select', [p('x', T.tensor), p('mask', T.tensor), nameP], (a): Tensor => {
  if (a.mask.dtype !== 'bool') badArg('paddle.masked_select', 'mask', 'a bool Tensor', a.mask);
  return run1('masked_select', { X: [a.x], Mask: [a.mask] }, {}, 'Y');
}, { method: true });

const scatterParams = [p('x', T.tensor), p('index', indexTy), p('updates', T.tensor), p('overwrite', T.bool, true), nameP] as const;

/**
 * A copy of x whose rows listed in the 1-D `index` are replaced by the rows of `updates`.
 * With overwrite=False the listed rows are first zeroed, then the updates are added, so
 * repeated indices sum.
 * @param x a Tensor
 * @param index a 1-D int32/int64 Tensor of row numbers
 * @param updates a Tensor of shape [len(index)] + x.shape[1:]
 * @param overwrite replace (default) or accumulate
 * @example paddle.scatter(x, paddle.to_tensor([2, 1]), updates)
 */
export const scatter = defineApi('paddle.scatter', scatterParams, (a): Tensor =>
  run1('scatter', { X: [a.x], Ids: [a.index], Updates: [a.updates] }, { overwrite: a.overwrite }), { method: true });

/**
 * In-place scatter: writes the result into x and returns x (dygraph).
 * @example x.scatter_(paddle.to_tensor([0]), paddle.to_tensor([[9, 9]]))
 */
export const scatter_ = defineApi('paddle.scatter_', scatterParams, (a): Tensor => {
  if (state.staticMode) return run1('scatter', { X: [a.x], Ids: [a.index], Updates: [a.updates] }, { overwrite: a.overwrite });
  return writeInPlace(a.x, 'paddle.scatter_', (prev) =>
    run1('scatter', { X: [prev], Ids: [a.index], Updates: [a.updates] }, { overwrite: a.overwrite }));
}, { method: true });

/**
 * x with `updates` added at the slices addressed by the last dim of `index`; repeated
 * indices accumulate. updates has shape index.shape[:-1] + x.shape[index.shape[-1]:].
 * @example paddle.scatter_nd_add(x, paddle.to_tensor([[0, 1]]), paddle.to_tensor([10.0]))
 */
export const scatter_nd_add = defineApi('paddle.scatter_nd_add', [p('x', T.tensor), p('index', indexTy), p('updates', T.tensor), nameP], (a): Tensor =>
  run1('scatter_nd_add', { X: [a.x], Index: [a.index], Updates: [a.updates] }), { method: true });

/**
 * A zero tensor of `shape` (updates' dtype) with `updates` added at the slices addressed by
 * `index` (repeated indices accumulate). As a Tensor method the tensor is `index`.
 * @example paddle.scatter_nd(paddle.to_tensor([[1], [3]]), paddle.to_tensor([9.0, 10.0]), [5])
 */
export const scatter_nd = defineApi('paddle.scatter_nd', [p('index', indexTy), p('updates', T.tensor), p('shape', T.shape), nameP], (a): Tensor => {
  const zeros = run1('fill_constant', {}, { shape: a.shape, dtype: PROTO_DTYPE[a.updates.dtype], value: 0 });
  return run1('scatter_nd_add', { X: [zeros], Index: [a.index], Updates: [a.updates] });
}, { method: true });

// ---------------------------------------------------------------------------------------
// In-place writes (setitem, scatter_)

// ---------------------------------------------------------------------------------------
// Index parsing (shared by getitem and setitem)

/** Nested JS arrays of ints or booleans (an index list or mask). */
export interface NestedIndex extends ReadonlyArray<number | boolean | bigint | NestedIndex> {}
/** One index of x[...]: an int, a slice string 'a:b:c', '...', null (None), an int/bool Tensor or nested array. */
export type IndexItem = number | string | null | Tensor | NestedIndex;

type Item =
  | { k: 'int'; v: number }
  | { k: 'slice'; start: number | null; stop: number | null; step: number }
  | { k: 'none' }
  | { k: 'ell' }
  | { k: 'adv'; t: Tensor }
  | { k: 'bool'; t: Tensor };
type Plain = Exclude<Item, { k: 'none' } | { k: 'ell' }>;

const FULL: Item = { k: 'slice', start: null, stop: null, step: 1 };
const SLICE_RE = /^\s*([+-]?\d+)?\s*:\s*([+-]?\d+)?\s*(?::\s*([+-]?\d+)?\s*)?$/;

function parseItem(v: unknown, api: string, pos: number): Item {
  const arg = `index[${pos}]`;
  if (v === null) return { k: 'none' };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) badArg(api, arg, 'an integer index (or a slice string, null, \'...\', an int or bool Tensor)', v);
    return { k: 'int', v };
  }
  if (typeof v === 'bigint') return { k: 'int', v: Number(v) };
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '...') return { k: 'ell' };
    const m = SLICE_RE.exec(s);
    if (!m) badArg(api, arg, "a slice string 'start:stop:step' (parts optional, e.g. '1:3', '::-1', ':') or '...'", v);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (step === 0) fail(api, `${arg}: slice step cannot be zero ('${v}')`);
    return { k: 'slice', start: m[1] === undefined ? null : Number(m[1]), stop: m[2] === undefined ? null : Number(m[2]), step };
  }
  if (typeof v === 'boolean') fail(api, `${arg}: a bare boolean index is not supported; index with a bool Tensor (mask) instead`, UnimplementedError);
  let t: Tensor;
  if (v instanceof Tensor) t = v;
  else if (Array.isArray(v)) {
    t = tensorFromData(v, null, api, arg);
    if (v.length === 0) t = new Tensor(new BigInt64Array(0), [0], 'int64');
  } else return badArg(api, arg, "an int, a slice string, '...', null, an int/bool Tensor or an array", v);
  if (t.dtype === 'bool') return { k: 'bool', t };
  if (!isInteger(t.dtype)) fail(api, `${arg}: an index Tensor must have an integer or bool dtype, but got ${t.dtype}`);
  if (t.dtype !== 'int32' && t.dtype !== 'int64') t = c.cast(t, 'int64');
  return { k: 'adv', t };
}

/** Axes an item consumes. */
const span = (it: Item): number => (it.k === 'none' || it.k === 'ell' ? 0 : it.k === 'bool' ? Math.max(it.t.dims.length, 1) : 1);

/** Parses the items and replaces the Ellipsis (or appends full slices) so they cover x's rank. */
function expandItems(raw: readonly unknown[], rank: number, api: string): Item[] {
  const items = raw.map((v, i) => parseItem(v, api, i));
  const ells = items.filter((it) => it.k === 'ell').length;
  if (ells > 1) fail(api, "an index can only have a single ellipsis ('...')");
  const used = items.reduce((s, it) => s + span(it), 0);
  if (used > rank) fail(api, `too many indices for a tensor of rank ${rank}: ${used} were given`);
  const fill: Item[] = new Array(rank - used).fill(FULL);
  const at = items.findIndex((it) => it.k === 'ell');
  return at >= 0 ? [...items.slice(0, at), ...fill, ...items.slice(at + 1)] : [...items, ...fill];
}

function outOfRange(api: string, v: number, axis: number, n: number): never {
  return fail(api, `index ${v} is out of range for axis ${axis} with size ${n} (expected an index in [${-n}, ${n - 1}])`, OutOfRangeError);
}

/** Python's slice.indices for a known size: the first index, count and step. */
function pyRange(n: number, it: { start: number | null; stop: number | null; step: number }): [number, number] {
  const k = it.step;
  if (k > 0) return axisRange(n, it.start ?? 0, it.stop ?? n, k);
  const s = it.start ?? n - 1;
  const e = it.stop === null ? -1 : it.stop < 0 ? Math.max(it.stop + n, -1) : it.stop;
  return axisRange(n, s, e, k);
}

/** Slice attributes for one slice item on an axis of size n (-1: unknown). */
function sliceBounds(n: number, it: { start: number | null; stop: number | null; step: number }): [number, number] {
  if (n < 0) {
    const k = it.step;
    return [it.start ?? (k > 0 ? 0 : MAX), it.stop ?? (k > 0 ? MAX : -1)];
  }
  const [first, count] = pyRange(n, it);
  if (count === 0) return [0, 0];
  const end = first + count * it.step;
  return [first, end < 0 ? -1 : end];
}

const isFull = (it: Item): boolean => it.k === 'slice' && it.start === null && it.stop === null && it.step === 1;

/** x[items] for int and slice items only (one per axis): a slice or strided_slice op. */
function basicIndex(x: Tensor, items: readonly Plain[], api: string): Tensor {
  const axes: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  const decrease: number[] = [];
  items.forEach((it, d) => {
    const n = x.dims[d];
    if (it.k === 'int') {
      let v = it.v;
      if (n >= 0) {
        if (v < -n || v >= n) outOfRange(api, v, d, n);
        if (v < 0) v += n;
      }
      axes.push(d);
      starts.push(v);
      ends.push(v === -1 ? MAX : v + 1);
      steps.push(1);
      decrease.push(d);
    } else if (it.k === 'slice' && !isFull(it)) {
      const [s, e] = sliceBounds(n, it);
      axes.push(d);
      starts.push(s);
      ends.push(e);
      steps.push(it.step);
    }
  });
  if (axes.length === 0) {
    // x[:] and friends still give a new tensor, as Paddle's slice does
    axes.push(0);
    starts.push(0);
    ends.push(MAX);
    steps.push(1);
  }
  const flags = axes.map(() => 1);
  if (steps.every((k) => k === 1))
    return run1('slice', { Input: [x] }, { axes, starts, ends, infer_flags: flags, decrease_axis: decrease });
  return run1('strided_slice', { Input: [x] }, { axes, starts, ends, strides: steps, infer_flags: flags, decrease_axis: decrease });
}

/** Unsqueezes x where the None items stand and returns the items with them made full slices. */
function applyNone(x: Tensor, items: Item[]): [Tensor, Plain[]] {
  const axes: number[] = [];
  let pos = 0;
  const out: Plain[] = [];
  for (const it of items) {
    if (it.k === 'none') {
      axes.push(pos);
      pos++;
      out.push(FULL as Plain);
    } else {
      pos += span(it);
      out.push(it as Plain);
    }
  }
  return [axes.length ? run1('unsqueeze2', { X: [x] }, { axes }) : x, out];
}

/** The indices of the True elements of a bool tensor with known data, as k coordinate lists. */
function nonzero(mask: Tensor): Float64Array[] {
  const d = mask.data as Uint8Array;
  const n = numel(mask.dims);
  const st = stridesOf(mask.dims);
  let count = 0;
  for (let i = 0; i < n; i++) if (d[i]) count++;
  const k = mask.dims.length;
  const out = Array.from({ length: k }, () => new Float64Array(count));
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (!d[i]) continue;
    let rem = i;
    for (let a = 0; a < k; a++) {
      const q = Math.floor(rem / st[a]);
      rem -= q * st[a];
      out[a][j] = q;
    }
    j++;
  }
  return out;
}

function checkMask(api: string, mask: Tensor, dims: readonly number[], axis: number): void {
  const want = dims.slice(axis, axis + mask.dims.length);
  const ok = want.length === mask.dims.length && want.every((d, i) => d < 0 || mask.dims[i] < 0 || d === mask.dims[i]);
  if (!ok)
    fail(api, `the bool index of shape ${showShape(mask.dims)} does not match the indexed tensor's dims ${showShape(want)} starting at axis ${axis}`);
}

/** Normalized (non-negative, range-checked) values of an int index with known data. */
function normIndex(api: string, t: Tensor, axis: number, n: number): Float64Array {
  const v = toNumbers(t.data, t.dtype);
  const out = new Float64Array(numel(t.dims));
  for (let i = 0; i < out.length; i++) {
    const x = v[i];
    if (n >= 0 && (x < -n || x >= n)) outOfRange(api, x, axis, n);
    out[i] = x < 0 ? x + n : x;
  }
  return out;
}

/** Where the items land: the linear offsets into x of every element of x[items], and its shape. */
interface Linear {
  offsets: Float64Array;
  dims: number[];
}

/**
 * NumPy advanced indexing on known index data: ints, int arrays and bool masks are advanced
 * indices broadcast together; their result dims go where the first of them is if they are
 * adjacent, otherwise first. Returns the linear offsets into x (row-major) of the result.
 */
function linearIndex(xDims: readonly number[], items: readonly Plain[], api: string): Linear {
  const st = stridesOf(xDims);
  type Adv = { axis: number; vals: Float64Array; dims: number[] };
  const advs: Adv[] = [];
  const slices: { axis: number; first: number; count: number; step: number }[] = [];
  const advPos: number[] = [];
  let axis = 0;
  items.forEach((it, pos) => {
    const n = xDims[axis];
    if (it.k === 'slice') {
      const [first, count] = pyRange(n, it);
      slices.push({ axis, first, count, step: it.step });
      axis++;
    } else if (it.k === 'int') {
      if (it.v < -n || it.v >= n) outOfRange(api, it.v, axis, n);
      advs.push({ axis, vals: Float64Array.of(it.v < 0 ? it.v + n : it.v), dims: [] });
      advPos.push(pos);
      axis++;
    } else if (it.k === 'adv') {
      if (!hasData(it.t)) fail(api, 'this combination of tensor indices needs their values, which a static-mode Variable does not have yet', UnimplementedError);
      advs.push({ axis, vals: normIndex(api, it.t, axis, n), dims: it.t.dims.slice() });
      advPos.push(pos);
      axis++;
    } else {
      if (!hasData(it.t)) fail(api, 'this combination of a bool index with other indices needs its values, which a static-mode Variable does not have yet', UnimplementedError);
      checkMask(api, it.t, xDims, axis);
      const coords = nonzero(it.t);
      for (const co of coords) advs.push({ axis: axis++, vals: co, dims: [co.length] });
      advPos.push(pos);
    }
  });
  let b: number[] = [];
  for (const a of advs) {
    try {
      b = broadcastShapes(b, a.dims, api);
    } catch {
      fail(api, `shape mismatch: the index arrays could not be broadcast together (shapes ${advs.map((q) => showShape(q.dims)).join(', ')})`);
    }
  }
  // offsets of the advanced part over B
  const nb = numel(b);
  const advOff = new Float64Array(nb);
  for (const a of advs) {
    const lead = b.length - a.dims.length;
    const ast = stridesOf(a.dims);
    const bs = b.map((d, i) => (i < lead || a.dims[i - lead] === 1 ? 0 : ast[i - lead]));
    const idx = new Int32Array(b.length);
    let p = 0;
    const s = st[a.axis];
    for (let i = 0; i < nb; i++) {
      advOff[i] += a.vals[p] * s;
      for (let d = b.length - 1; d >= 0; d--) {
        idx[d]++;
        p += bs[d];
        if (idx[d] < b[d]) break;
        p -= bs[d] * b[d];
        idx[d] = 0;
      }
    }
  }
  const adjacent = advPos.every((q, i) => i === 0 || q === advPos[i - 1] + 1);
  const firstAdvAxis = advs.length ? advs[0].axis : 0;
  const pre = adjacent ? slices.filter((s) => s.axis < firstAdvAxis) : [];
  const post = adjacent ? slices.filter((s) => s.axis > firstAdvAxis) : slices;
  const offs = (group: typeof slices): Float64Array => {
    let o = Float64Array.of(0);
    for (const s of group) {
      const next = new Float64Array(o.length * s.count);
      let q = 0;
      for (let i = 0; i < o.length; i++) for (let j = 0; j < s.count; j++) next[q++] = o[i] + (s.first + j * s.step) * st[s.axis];
      o = next;
    }
    return o;
  };
  const preO = offs(pre);
  const postO = offs(post);
  const out = new Float64Array(preO.length * nb * postO.length);
  let q = 0;
  for (let i = 0; i < preO.length; i++)
    for (let j = 0; j < nb; j++) {
      const base = preO[i] + advOff[j];
      for (let k = 0; k < postO.length; k++) out[q++] = base + postO[k];
    }
  const dims = [...pre.map((s) => s.count), ...b, ...post.map((s) => s.count)];
  return { offsets: out, dims };
}

/**
 * x[raw...]: basic indices become one slice/strided_slice; a single advanced index (with
 * adjacent ints) a gather after it; a full-shape mask masked_select; a leading k-dim mask
 * where_index + gather_nd; anything else a gather at linear offsets of the flattened x.
 */
function getitemImpl(x: Tensor, raw: readonly unknown[], api: string): Tensor {
  const items0 = expandItems(raw, x.dims.length, api);
  const [xs, items] = applyNone(x, items0);
  const advAt = items.map((it, i) => (it.k === 'adv' || it.k === 'bool' ? i : -1)).filter((i) => i >= 0);
  if (advAt.length === 0) return basicIndex(xs, items, api);
  if (advAt.length === 1) {
    const p = advAt[0];
    const it = items[p] as Extract<Plain, { k: 'adv' | 'bool' }>;
    const ints = items.map((q, i) => (q.k === 'int' ? i : -1)).filter((i) => i >= 0);
    // the ints and the advanced index are adjacent: NumPy's result is basic-then-gather
    const run = [...ints, p].sort((a, b) => a - b);
    const contiguous = run.every((q, i) => i === 0 || q === run[i - 1] + 1);
    // the input axis the advanced item starts at
    const axis = items.slice(0, p).reduce((s, q) => s + span(q), 0);
    if (it.k === 'bool' && it.t.dims.length === xs.dims.length && items.length === 1) {
      checkMask(api, it.t, xs.dims, 0);
      return run1('masked_select', { X: [xs], Mask: [it.t] }, {}, 'Y');
    }
    if (contiguous && (it.k === 'adv' || it.t.dims.length === 1 || (p === 0 && ints.length === 0))) {
      // the basic step: the advanced item (k axes for a k-dim mask) becomes full slices
      const bi: Plain[] = [];
      items.forEach((q, i) => { if (i === p) for (let j = 0; j < span(it); j++) bi.push(FULL as Plain); else bi.push(q); });
      const x1 = ints.length || bi.some((q) => !isFull(q)) ? basicIndex(xs, bi, api) : xs;
      const q = axis - ints.filter((i) => i < p).length; // the axis in x1
      if (it.k === 'bool') {
        checkMask(api, it.t, xs.dims, axis);
        if (it.t.dims.length > 1) return run1('gather_nd', { X: [x1], Index: [run1('where_index', { Condition: [it.t] })] });
        let idx: Tensor;
        if (hasData(it.t)) {
          const [co] = nonzero(it.t);
          idx = int64(co, [co.length]);
        } else idx = c.reshape(run1('where_index', { Condition: [it.t] }), [-1]);
        return gatherOn(x1, idx, q);
      }
      const n = xs.dims[axis];
      let idx = it.t;
      if (hasData(idx)) idx = int64(normIndex(api, idx, axis, n), [numel(idx.dims)]);
      else if (idx.dims.length !== 1) idx = c.reshape(idx, [-1]);
      const g = gatherOn(x1, idx, q);
      if (it.t.dims.length === 1) return g;
      const dims = [...x1.dims.slice(0, q), ...it.t.dims, ...x1.dims.slice(q + 1)];
      return numel(dims) === 0 ? Tensor.zeros(dims, x.dtype) : c.reshape(g, dims);
    }
  }
  const lin = linearIndex(xs.dims, items, api);
  if (lin.offsets.length === 0) return Tensor.zeros(lin.dims.length ? lin.dims : [0], x.dtype);
  const flat = c.reshape(xs, [numel(xs.dims)]);
  const g = run1('gather', { X: [flat], Index: [int64(lin.offsets, [lin.offsets.length])] }, { overwrite: false });
  return c.reshape(g, lin.dims.length ? lin.dims : [1]);
}

// ---------------------------------------------------------------------------------------
// setitem

/** The value of x[...] = value as a tensor of x's dtype, or a scalar kept for the attributes. */
function valueOf(x: Tensor, value: unknown, api: string): Tensor | number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return Number(value);
  if (value instanceof Tensor) return value.dtype === x.dtype ? value : c.cast(value, x.dtype);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return tensorFromData(value, x.dtype, api, 'value');
  return badArg(api, 'value', 'a number, a boolean, a Tensor or a (nested) array', value);
}

function setitemImpl(x: Tensor, index: unknown, value: unknown, api: string): Tensor {
  const raw = Array.isArray(index) ? index : [index];
  const items = expandItems(raw, x.dims.length, api);
  const v = valueOf(x, value, api);
  const adv = items.some((it) => it.k === 'adv' || it.k === 'bool');
  if (!adv) {
    const attrs: Attrs = { dtype: PROTO_DTYPE[x.dtype], axes: [], starts: [], ends: [], steps: [], decrease_axes: [], none_axes: [] };
    let d = 0;
    for (const it of items) {
      if (it.k === 'none') { attrs.none_axes.push(d); continue; }
      const n = x.dims[d];
      if (it.k === 'int') {
        let q = it.v;
        if (n >= 0) {
          if (q < -n || q >= n) outOfRange(api, q, d, n);
          if (q < 0) q += n;
        }
        attrs.axes.push(d); attrs.starts.push(q); attrs.ends.push(q === -1 ? MAX : q + 1); attrs.steps.push(1); attrs.decrease_axes.push(d);
      } else if (it.k === 'slice' && !isFull(it)) {
        const [s, e] = sliceBounds(n, it);
        attrs.axes.push(d); attrs.starts.push(s); attrs.ends.push(e); attrs.steps.push(it.step);
      }
      d++;
    }
    const ins: Slots<Tensor> = {};
    if (v instanceof Tensor && (!state.staticMode || !hasData(v))) ins.ValueTensor = [v];
    else {
      const vals = v instanceof Tensor ? v.flatValues().map((q) => (typeof q === 'boolean' ? Number(q) : q)) : [v];
      attrs[valuesAttrName(x.dtype)] = vals;
      attrs.shape = v instanceof Tensor ? v.dims.slice() : [1];
    }
    if (state.staticMode) {
      const block = (x as unknown as { block?: { append_op?: (o: unknown) => unknown } }).block;
      if (!block?.append_op) fail(api, 'in static mode the indexed tensor must be a Variable of a Program', UnimplementedError);
      block.append_op({ type: 'set_value', inputs: { Input: [x], ...ins }, outputs: { Out: [x] }, attrs });
      return x;
    }
    return writeInPlace(x, api, (old) => run1('set_value', { Input: [old], ...ins }, attrs));
  }
  if (state.staticMode) fail(api, 'assigning through tensor or bool indices is not supported in static mode; use paddle.scatter / scatter_nd_add', UnimplementedError);
  // advanced: scatter into the flattened tensor at the linear offsets of x[index]
  const dimsWithNone: number[] = [];
  const plain: Plain[] = [];
  let d = 0;
  for (const it of items) {
    if (it.k === 'none') { dimsWithNone.push(1); plain.push(FULL as Plain); continue; }
    for (let j = 0; j < span(it); j++) dimsWithNone.push(x.dims[d++]);
    plain.push(it as Plain);
  }
  const lin = linearIndex(dimsWithNone, plain, api);
  const m = lin.offsets.length;
  if (m === 0) {
    x.ver.v++;
    return x;
  }
  let updates: Tensor;
  if (v instanceof Tensor) {
    const target = lin.dims;
    let vd = v.dims.slice();
    while (vd.length > target.length && vd[0] === 1) vd = vd.slice(1);
    const ok = vd.length <= target.length && vd.every((q, i) => q === 1 || q === target[target.length - vd.length + i]);
    if (!ok) fail(api, `the value of shape ${showShape(v.dims)} cannot be broadcast to the indexed shape ${showShape(target)}`);
    let u = c.reshape(v, vd.length ? vd : [1]);
    if (numel(vd) !== m) u = c.expand(u, target.length ? target : [1]);
    updates = c.reshape(u, [m]);
  } else {
    updates = Tensor.full([m], x.dtype, 0);
    if (typeof v === 'bigint' && x.dtype === 'int64') (updates.data as BigInt64Array).fill(BigInt.asIntN(64, v));
    else updates = Tensor.full([m], x.dtype, Number(v));
  }
  const ids = int64(lin.offsets, [m]);
  return writeInPlace(x, api, (old) => {
    const flat = c.reshape(old, [numel(x.dims)]);
    const y = run1('scatter', { X: [flat], Ids: [ids], Updates: [updates] }, { overwrite: true });
    return c.reshape(y, x.dims.slice());
  });
}

// ---------------------------------------------------------------------------------------
// The Tensor methods getitem / setitem (variadic: built by hand, typed through the method table).

type IdxP = Param<'index', IndexItem, IndexItem, true>;
type GetitemParams = readonly [Param<'x', Tensor, Tensor, false>, IdxP, IdxP, IdxP, IdxP, IdxP, IdxP, IdxP, IdxP, IdxP, IdxP, IdxP, IdxP];
/** What x[...] = value accepts. */
export type SetValue = number | boolean | bigint | Tensor | NestedValue;
/** Nested JS arrays of numbers or booleans. */
export interface NestedValue extends ReadonlyArray<number | boolean | bigint | NestedValue> {}
type SetitemParams = readonly [Param<'x', Tensor, Tensor, false>, Param<'index', IndexItem | readonly IndexItem[], IndexItem | readonly IndexItem[], false>, Param<'value', SetValue, SetValue, false>];

const getitemApi = defineApi('paddle.Tensor.getitem', [p('x', T.tensor), p('index', T.any)], (a) =>
  getitemImpl(a.x, a.index as unknown[], 'paddle.Tensor.getitem'));
const setitemApi = defineApi('paddle.Tensor.setitem', [p('x', T.tensor), p('index', T.any), p('value', T.any)], (a) =>
  setitemImpl(a.x, a.index, a.value, 'paddle.Tensor.setitem'));

function methodFn<F>(api: string, method: string, params: readonly Param[], fn: (...a: any[]) => Tensor): F {
  Object.defineProperty(fn, 'info', { value: { api, params, method } });
  Object.defineProperty(fn, 'name', { value: method });
  return fn as unknown as F;
}

/**
 * Python's x[index...]: `x.getitem(0, '1:3', '...', null)` is `x[0, 1:3, ..., None]`. Each
 * argument is one index: an int (drops the axis; negative counts from the end), a slice
 * string 'start:stop:step' (e.g. ':', '1:', '::-1'), '...', null (a new axis of size 1), an
 * int array or int Tensor (gathers along that axis; several are broadcast together as in
 * NumPy), or a bool Tensor / bool array (selects where True). Autograd-aware.
 * @example x.getitem(0, '::-1') // x[0, ::-1]
 * @example x.getitem(x.greater_than(paddle.to_tensor(0.0))) // x[x > 0]
 */
export const getitem = methodFn<ApiFn<GetitemParams, Tensor, 'getitem'>>(
  'paddle.Tensor.getitem', 'getitem', getitemApi.info.params,
  (x: unknown, ...index: unknown[]) => getitemApi(x as Tensor, index as never),
);

/**
 * Python's x[index] = value, in place on x (x.version bumps; recorded for autograd: the
 * gradient reaches value, summed over broadcasting, and x's untouched elements). `index` is
 * one index or an array of them as a tuple: `x.setitem([0, '1:3'], v)` is `x[0, 1:3] = v`,
 * `x.setitem([mask], 0)` is `x[mask] = 0`; a list index goes inside the tuple:
 * `x.setitem([[0, 2]], v)` is `x[[0, 2]] = v`. A leaf tensor with stop_gradient=False cannot
 * be assigned to. Returns x.
 * @param index an index (see getitem) or an array of indices
 * @param value a number, boolean, Tensor (broadcast to the region) or nested array
 * @example x.setitem(['...', 0], 1.5) // x[..., 0] = 1.5
 */
export const setitem = methodFn<ApiFn<SetitemParams, Tensor, 'setitem'>>(
  'paddle.Tensor.setitem', 'setitem', setitemApi.info.params,
  (x: unknown, ...args: unknown[]) => {
    if (args.length > 2) return setitemApi(x as Tensor, args.slice(0, -1) as never, args[args.length - 1] as never);
    if (args.length < 2) fail('paddle.Tensor.setitem', `takes an index and a value, but ${args.length} argument${args.length === 1 ? ' was' : 's were'} given`);
    return setitemApi(x as Tensor, args[0] as never, args[1] as never);
  },
);
