// paddle.* shape manipulation and cast, as in python/paddle/tensor/manipulation.py (and the
// fluid.layers functions it forwards to): cast, reshape, squeeze, unsqueeze, flatten,
// transpose, t, concat, split, chunk, stack, unstack, unbind, expand, broadcast_to,
// expand_as, tile. Most are also paddle.Tensor methods.
import { defineApi, p, Ty } from '../core/args.js';
import { T, tensorToNumbers } from '../core/convert.js';
import { PROTO_DTYPE } from '../core/dtype.js';
import { dispatch, dispatchInplace, run1 } from '../core/dispatch.js';
import { badArg, fail } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import type { Slots } from '../core/registry.js';

const nameP = p('name', T.nullable(T.str), null);

// ---------------------------------------------------------------------------------------
// Int-list arguments that may hold Tensors (shape, axis lists, repeat counts). In dygraph
// the Tensors are read now; in static mode they become the operator's tensor inputs.

type IntsIn = readonly (number | Tensor)[] | Tensor;
type IntsVal = (number | Tensor)[] | Tensor;

const isIntTensor = (v: unknown): v is Tensor => v instanceof Tensor && (v.dtype === 'int32' || v.dtype === 'int64');

/** A list of ints (entries may be one-element int Tensors) or an int Tensor; `single` also takes an int. */
function intsTy(what: string, single = false): Ty<IntsVal, IntsIn | number> {
  const desc = `${single ? 'an integer, ' : ''}a list of integers (entries may be 1-element int Tensors) or an int Tensor`;
  return {
    desc,
    parse(v, api, arg) {
      if (single && typeof v === 'number' && Number.isInteger(v)) return [v];
      if (isIntTensor(v)) return v;
      if (Array.isArray(v)) {
        for (const x of v) {
          if (typeof x === 'number' && Number.isInteger(x)) continue;
          if (isIntTensor(x) && (x.size === 1 || x.dims.some((d) => d < 0))) continue;
          return badArg(api, arg, `${what} as ${desc}`, v);
        }
        return v.slice() as (number | Tensor)[];
      }
      return badArg(api, arg, `${what} as ${desc}`, v);
    },
  };
}
const shapeTy = intsTy('a shape') as Ty<IntsVal, IntsIn>;
const axesTy = intsTy('axes', true) as Ty<IntsVal, IntsIn | number>;

interface ResolvedInts {
  /** The values (dygraph), or the attribute with -1 where a Tensor stands (static). */
  attr: number[];
  /** The whole list as one int Tensor (static mode). */
  tensor?: Tensor;
  /** One one-element Tensor per entry (static mode, a list containing Tensors). */
  list?: Tensor[];
}

/** Reads an int-list argument: numbers now in dygraph; tensor inputs in static mode. */
function resolveInts(v: IntsVal): ResolvedInts {
  if (v instanceof Tensor) {
    if (!state.staticMode) return { attr: tensorToNumbers(v) };
    return { attr: [], tensor: v };
  }
  const hasTensor = v.some((x) => x instanceof Tensor);
  if (!hasTensor) return { attr: v as number[] };
  if (!state.staticMode) return { attr: v.map((x) => (x instanceof Tensor ? tensorToNumbers(x)[0] : x)) };
  const list = v.map((x) =>
    x instanceof Tensor ? x : run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE.int32, value: x, force_cpu: true }),
  );
  return { attr: v.map((x) => (x instanceof Tensor ? -1 : x)), list };
}

/** Inputs of an op from a resolved list: `tensorSlot` for a whole Tensor, `listSlot` for a list of them. */
function intInputs(r: ResolvedInts, tensorSlot: string, listSlot: string): Slots<Tensor> {
  const ins: Slots<Tensor> = {};
  if (r.tensor) ins[tensorSlot] = [r.tensor];
  if (r.list) ins[listSlot] = r.list;
  return ins;
}

/** An axis that may be a one-element int Tensor (kept as a Tensor in static mode). */
const axisTy: Ty<number | Tensor, number | Tensor> = {
  desc: 'an integer or a 1-element int Tensor',
  parse(v, api, arg) {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (isIntTensor(v) && (v.size === 1 || v.dims.some((d) => d < 0))) return v;
    return badArg(api, arg, 'an integer or a 1-element int Tensor', v);
  },
};
/** The axis as a number in dygraph; a Tensor stays a Tensor only in static mode. */
function resolveAxis(a: number | Tensor): number | Tensor {
  if (a instanceof Tensor) return state.staticMode ? a : tensorToNumbers(a)[0];
  return a;
}

const nonEmptyTensors = (api: string, arg: string, xs: Tensor[]): Tensor[] => {
  if (xs.length === 0) fail(api, `argument '${arg}' must be a non-empty list of Tensors`);
  return xs;
};

// ---------------------------------------------------------------------------------------
// cast

/**
 * Converts x to dtype. Float to int truncates toward zero; bool gives 0/1. (Paddle 2.0's
 * signature has no `name`.)
 * @param x a Tensor
 * @param dtype the target dtype ('float32', 'int64', 'bool'... or a framework.proto number)
 * @example paddle.cast(paddle.to_tensor([1.7, -2.5]), 'int32') // [1, -2]
 */
export const cast = defineApi('paddle.cast', [p('x', T.tensor), p('dtype', T.dtype)], (a): Tensor =>
  run1('cast', { X: [a.x] }, { in_dtype: PROTO_DTYPE[a.x.dtype], out_dtype: PROTO_DTYPE[a.dtype] }),
{ method: true });

/**
 * Tensor.astype(dtype): a copy of the tensor converted to dtype (the `cast` operator).
 * @example x.astype('float64')
 */
export const astype = defineApi('paddle.Tensor.astype', [p('x', T.tensor), p('dtype', T.dtype)], (a): Tensor =>
  run1('cast', { X: [a.x] }, { in_dtype: PROTO_DTYPE[a.x.dtype], out_dtype: PROTO_DTYPE[a.dtype] }),
{ method: true });

// ---------------------------------------------------------------------------------------
// reshape, squeeze, unsqueeze, flatten (views of the same data in dygraph)

interface Call { ins: Slots<Tensor>; attrs: Record<string, unknown> }

function reshapeCall(x: Tensor, shape: IntsVal, api: string): Call {
  const r = resolveInts(shape);
  if (!r.tensor && r.attr.length === 0) fail(api, "argument 'shape' must not be empty");
  return { ins: { X: [x], ...intInputs(r, 'Shape', 'ShapeTensor') }, attrs: { shape: r.attr } };
}

/**
 * Gives x a new shape with the same data (a view in dygraph). A 0 copies the input's
 * dimension at that index; one -1 is inferred from the element count.
 * @param x a Tensor
 * @param shape a list of ints (entries may be 1-element Tensors) or an int Tensor
 * @example paddle.reshape(paddle.rand([2, 4, 6]), [-1, 0, 3, 2]).shape // [2, 4, 3, 2]
 */
export const reshape = defineApi('paddle.reshape', [p('x', T.tensor), p('shape', shapeTy), nameP], (a): Tensor => {
  const { ins, attrs } = reshapeCall(a.x, a.shape, 'paddle.reshape');
  return run1('reshape2', ins, attrs);
}, { method: true });

/**
 * In-place reshape: changes x's shape and returns x.
 * @example x.reshape_([3, 2])
 */
export const reshape_ = defineApi('paddle.reshape_', [p('x', T.tensor), p('shape', shapeTy), nameP], (a): Tensor => {
  const { ins, attrs } = reshapeCall(a.x, a.shape, 'paddle.reshape_');
  return dispatchInplace('reshape2', ins, attrs, a.x);
}, { method: true });

const squeezeAxes = (axis: number[] | null): number[] => axis ?? [];

/**
 * Removes dimensions of size 1: all of them, or only those listed in axis (listed dims
 * whose size is not 1 are left as they are).
 * @param x a Tensor
 * @param axis an int, a list of ints, or None for every size-1 dim
 * @example paddle.squeeze(paddle.rand([5, 1, 10]), 1).shape // [5, 10]
 */
export const squeeze = defineApi('paddle.squeeze', [p('x', T.tensor), p('axis', T.nullable(T.intOrInts), null), nameP], (a): Tensor =>
  run1('squeeze2', { X: [a.x] }, { axes: squeezeAxes(a.axis) }),
{ method: true });

/** In-place squeeze: changes x's shape and returns x. */
export const squeeze_ = defineApi('paddle.squeeze_', [p('x', T.tensor), p('axis', T.nullable(T.intOrInts), null), nameP], (a): Tensor =>
  dispatchInplace('squeeze2', { X: [a.x] }, { axes: squeezeAxes(a.axis) }, a.x),
{ method: true });

function unsqueezeCall(x: Tensor, axis: IntsVal): Call {
  const r = resolveInts(axis);
  return { ins: { X: [x], ...intInputs(r, 'AxesTensor', 'AxesTensorList') }, attrs: { axes: r.tensor || r.list ? [] : r.attr } };
}

/**
 * Inserts dimensions of size 1 at the listed positions (each relative to the shape built so far).
 * @param x a Tensor
 * @param axis an int, a list of ints (entries may be 1-element Tensors) or an int Tensor
 * @example paddle.unsqueeze(paddle.rand([5, 10]), [0, 2]).shape // [1, 5, 1, 10]
 */
export const unsqueeze = defineApi('paddle.unsqueeze', [p('x', T.tensor), p('axis', axesTy), nameP], (a): Tensor => {
  const { ins, attrs } = unsqueezeCall(a.x, a.axis);
  return run1('unsqueeze2', ins, attrs);
}, { method: true });

/** In-place unsqueeze: changes x's shape and returns x. */
export const unsqueeze_ = defineApi('paddle.unsqueeze_', [p('x', T.tensor), p('axis', axesTy), nameP], (a): Tensor => {
  const { ins, attrs } = unsqueezeCall(a.x, a.axis);
  return dispatchInplace('unsqueeze2', ins, attrs, a.x);
}, { method: true });

/**
 * Merges the dimensions start_axis..stop_axis (inclusive) into one (a view in dygraph).
 * Defaults flatten everything to 1-D (nn.Flatten starts at 1 instead).
 * @param x a Tensor
 * @param start_axis first dim to merge (default 0)
 * @param stop_axis last dim to merge (default -1)
 * @example paddle.flatten(paddle.rand([2, 3, 4, 4]), 1, 2).shape // [2, 12, 4]
 */
export const flatten = defineApi('paddle.flatten', [p('x', T.tensor), p('start_axis', T.int, 0), p('stop_axis', T.int, -1), nameP], (a): Tensor => {
  const r = a.x.dims.length;
  const api = 'paddle.flatten';
  const s = normAxis(a.start_axis, r, api, 'start_axis');
  const e = normAxis(a.stop_axis, r, api, 'stop_axis');
  if (s > e) fail(api, `stop_axis (${a.stop_axis}) must not come before start_axis (${a.start_axis})`);
  return run1('flatten_contiguous_range', { X: [a.x] }, { start_axis: s, stop_axis: e });
}, { method: true });

// ---------------------------------------------------------------------------------------
// transpose, t

/**
 * Permutes the dimensions: output dim i is input dim perm[i] (negative entries count from the end).
 * @param x a Tensor
 * @param perm a permutation of the dims
 * @example paddle.transpose(paddle.rand([2, 3, 4]), [1, 0, 2]).shape // [3, 2, 4]
 */
export const transpose = defineApi('paddle.transpose', [p('x', T.tensor), p('perm', T.ints), nameP], (a): Tensor => {
  const api = 'paddle.transpose';
  const r = a.x.dims.length;
  if (a.perm.length !== r)
    fail(api, `argument 'perm' must list every dimension of x once: x has ${r} dims but perm has ${a.perm.length} entries ([${a.perm.join(', ')}])`);
  const perm = a.perm.map((d) => normAxis(d, r, api, 'perm'));
  if (new Set(perm).size !== r) fail(api, `argument 'perm' must be a permutation of the dims of x, but got [${a.perm.join(', ')}]`);
  return run1('transpose2', { X: [a.x] }, { axis: perm });
}, { method: true });

/**
 * Transposes a tensor of at most 2 dims: a 1-D tensor is returned as it is, a 2-D one has
 * its dims swapped.
 * @param input a Tensor of rank 1 or 2
 * @example paddle.t(paddle.rand([2, 3])).shape // [3, 2]
 */
export const t = defineApi('paddle.t', [p('input', T.tensor), nameP], (a): Tensor => {
  const r = a.input.dims.length;
  if (r > 2)
    fail('paddle.t', `argument 'input' must be a tensor of at most 2 dims, but got shape [${a.input.dims.join(', ')}]; use paddle.transpose for more dims`);
  if (r < 2) return a.input;
  return run1('transpose2', { X: [a.input] }, { axis: [1, 0] });
}, { method: true });

// ---------------------------------------------------------------------------------------
// concat, split, chunk

/**
 * Concatenates tensors along an existing axis; all other dims must match.
 * @param x a list of Tensors of one dtype
 * @param axis an int in [-R, R) or a 1-element int Tensor (default 0)
 * @example paddle.concat([x1, x2], -1)
 */
export const concat = defineApi('paddle.concat', [p('x', T.tensors), p('axis', axisTy, 0), nameP], (a): Tensor => {
  const api = 'paddle.concat';
  const xs = nonEmptyTensors(api, 'x', a.x);
  for (let i = 1; i < xs.length; i++)
    if (xs[i].dtype !== xs[0].dtype) fail(api, `all the Tensors in x must have the same dtype, but x[0] is ${xs[0].dtype} and x[${i}] is ${xs[i].dtype}`);
  const axis = resolveAxis(a.axis);
  if (axis instanceof Tensor) return run1('concat', { X: xs, AxisTensor: [axis] }, { axis: 0 });
  return run1('concat', { X: xs }, { axis });
}, { method: true });

function splitCall(x: Tensor, num_or_sections: number | IntsVal, axisIn: number | Tensor, api: string): Tensor[] {
  const axisV = resolveAxis(axisIn);
  const ins: Slots<Tensor> = { X: [x] };
  const attrs: Record<string, unknown> = {};
  let n: number;
  if (axisV instanceof Tensor) {
    ins.AxisTensor = [axisV];
    attrs.axis = 0;
  } else attrs.axis = normAxis(axisV, x.dims.length, api, 'axis');
  if (typeof num_or_sections === 'number') {
    if (num_or_sections < 1) fail(api, `the number of pieces must be a positive integer, but got ${num_or_sections}`);
    attrs.num = num_or_sections;
    n = num_or_sections;
  } else {
    const r = resolveInts(num_or_sections);
    if (r.tensor) fail(api, `argument 'num_or_sections' must be an int or a list, not a Tensor`);
    if (r.list) ins.SectionsTensorList = r.list;
    attrs.sections = r.attr;
    n = r.attr.length;
    if (n === 0) fail(api, "argument 'num_or_sections' must not be an empty list");
  }
  return dispatch('split', ins, attrs).Out;
}

const numOrSectionsTy: Ty<number | IntsVal, number | readonly (number | Tensor)[]> = {
  desc: 'an integer or a list of integers',
  parse(v, api, arg) {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (Array.isArray(v)) return shapeTy.parse(v, api, arg);
    return badArg(api, arg, 'an integer or a list of integers (entries may be 1-element Tensors)', v);
  },
};

/**
 * Splits x along axis into num equal pieces (an int) or pieces of the listed sizes (one may be -1).
 * @param x a Tensor
 * @param num_or_sections an int, or a list of section sizes
 * @param axis the axis to split (int or 1-element int Tensor, default 0)
 * @example paddle.split(paddle.rand([3, 9, 5]), [2, 3, -1], 1).map((t) => t.shape) // [[3,2,5],[3,3,5],[3,4,5]]
 */
export const split = defineApi('paddle.split', [p('x', T.tensor), p('num_or_sections', numOrSectionsTy), p('axis', axisTy, 0), nameP], (a): Tensor[] =>
  splitCall(a.x, a.num_or_sections, a.axis, 'paddle.split'),
{ method: true });

/**
 * Splits x into `chunks` equal pieces along axis (the size must be divisible by chunks).
 * @param x a Tensor
 * @param chunks the number of pieces
 * @param axis the axis (default 0)
 * @example paddle.chunk(paddle.rand([3, 9, 5]), 3, 1).map((t) => t.shape) // three [3, 3, 5]
 */
export const chunk = defineApi('paddle.chunk', [p('x', T.tensor), p('chunks', T.int), p('axis', axisTy, 0), nameP], (a): Tensor[] =>
  splitCall(a.x, a.chunks, a.axis, 'paddle.chunk'),
{ method: true });

// ---------------------------------------------------------------------------------------
// stack, unstack, unbind

/**
 * Stacks same-shape tensors along a new axis.
 * @param x a list of Tensors of one shape and dtype
 * @param axis where the new axis goes, in [-(R+1), R+1) (default 0)
 * @example paddle.stack([x1, x2, x3], 0) // shape [3, ...x1.shape]
 */
export const stack = defineApi('paddle.stack', [p('x', T.tensors), p('axis', T.nullable(T.int), 0), nameP], (a): Tensor => {
  const xs = nonEmptyTensors('paddle.stack', 'x', a.x);
  return run1('stack', { X: xs }, { axis: a.axis ?? 0 }, 'Y');
}, { method: true });

/**
 * Splits x along axis into tensors with that dim removed.
 * @param x a Tensor
 * @param axis the axis (default 0)
 * @param num the number of outputs; defaults to x.shape[axis]
 * @example paddle.unstack(paddle.rand([2, 3, 5]), 1).length // 3
 */
export const unstack = defineApi('paddle.unstack', [p('x', T.tensor), p('axis', T.int, 0), p('num', T.nullable(T.int), null)], (a): Tensor[] => {
  const api = 'paddle.unstack';
  const ax = normAxis(a.axis, a.x.dims.length, api, 'axis');
  const size = a.x.dims[ax];
  const num = a.num ?? size;
  if (num === undefined || num <= 0) fail(api, `cannot unstack axis ${a.axis} of a tensor of shape [${a.x.dims.join(', ')}]: the number of outputs is unknown or zero`);
  return dispatch('unstack', { X: [a.x] }, { axis: a.axis, num }).Y;
}, { method: true });

/**
 * Removes dimension axis, returning the slices along it as a list.
 * @param input a Tensor
 * @param axis the axis (default 0)
 * @example paddle.unbind(paddle.rand([3, 4]), 0).length // 3
 */
export const unbind = defineApi('paddle.unbind', [p('input', T.tensor), p('axis', T.int, 0)], (a): Tensor[] => {
  normAxis(a.axis, a.input.dims.length, 'paddle.unbind', 'axis');
  return dispatch('unbind', { X: [a.input] }, { axis: a.axis }).Out;
}, { method: true });

// ---------------------------------------------------------------------------------------
// expand, broadcast_to, expand_as, tile

function expandCall(x: Tensor, shape: IntsVal, api: string): Tensor {
  const r = resolveInts(shape);
  if (!r.tensor && r.attr.length === 0) fail(api, "argument 'shape' must not be empty");
  if (!r.tensor)
    for (let i = 0; i < r.attr.length; i++)
      if (!(r.attr[i] > 0 || r.attr[i] === -1))
        fail(api, `every entry of 'shape' must be positive or -1, but got shape [${r.attr.join(', ')}]`);
  return run1('expand_v2', { X: [x], ...intInputs(r, 'Shape', 'expand_shapes_tensor') }, { shape: r.tensor ? [] : r.attr });
}

/**
 * Broadcasts x to shape: size-1 dims grow, new leading dims are added, -1 keeps a dim.
 * @param x a Tensor
 * @param shape the target shape (list of ints or 1-element Tensors, or an int Tensor)
 * @example paddle.expand(paddle.to_tensor([1, 2, 3]), [2, 3]) // [[1, 2, 3], [1, 2, 3]]
 */
export const expand = defineApi('paddle.expand', [p('x', T.tensor), p('shape', shapeTy), nameP], (a): Tensor => expandCall(a.x, a.shape, 'paddle.expand'), { method: true });

/**
 * Same as paddle.expand: broadcasts x to shape.
 * @example paddle.broadcast_to(paddle.to_tensor([1, 2, 3]), [2, 3]) // [[1, 2, 3], [1, 2, 3]]
 */
export const broadcast_to = defineApi('paddle.broadcast_to', [p('x', T.tensor), p('shape', shapeTy), nameP], (a): Tensor => expandCall(a.x, a.shape, 'paddle.broadcast_to'), { method: true });

/**
 * Broadcasts x to the shape of y (y's values are not used).
 * @param x a Tensor
 * @param y the Tensor whose shape to take
 * @example paddle.expand_as(paddle.to_tensor([1, 2, 3]), paddle.zeros([2, 3])) // [[1, 2, 3], [1, 2, 3]]
 */
export const expand_as = defineApi('paddle.expand_as', [p('x', T.tensor), p('y', T.tensor), nameP], (a): Tensor =>
  run1('expand_as_v2', { X: [a.x] }, { target_shape: a.y.dims.slice() }),
{ method: true });

/**
 * Repeats x repeat_times[i] times along dim i (a shorter repeat_times is padded with
 * leading 1s; a longer one adds leading dims to x).
 * @param x a Tensor
 * @param repeat_times a list of positive ints (entries may be 1-element Tensors) or an int Tensor
 * @example paddle.tile(paddle.to_tensor([1, 2, 3]), [2, 1]) // [[1, 2, 3], [1, 2, 3]]
 */
export const tile = defineApi('paddle.tile', [p('x', T.tensor), p('repeat_times', shapeTy), nameP], (a): Tensor => {
  const r = resolveInts(a.repeat_times);
  if (!r.tensor) {
    if (r.attr.length === 0) fail('paddle.tile', "argument 'repeat_times' must not be empty");
    r.attr.forEach((v, i) => {
      if (v <= 0 && !(r.list && v === -1)) fail('paddle.tile', `every entry of 'repeat_times' must be positive, but got [${r.attr.join(', ')}] (entry ${i})`);
    });
  }
  return run1('tile', { X: [a.x], ...intInputs(r, 'RepeatTimes', 'repeat_times_tensor') }, { repeat_times: r.tensor ? [] : r.attr });
}, { method: true });

// ---------------------------------------------------------------------------------------
// Tensor.T: the dims reversed (a property in later Paddle; cheap here).

declare module '../core/tensor.js' {
  interface Tensor {
    /** The tensor with its dims reversed (transpose with perm [R-1, ..., 0]). */
    readonly T: Tensor;
  }
}
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor): Tensor {
    const r = this.dims.length;
    if (r < 2) return this;
    return run1('transpose2', { X: [this] }, { axis: Array.from({ length: r }, (_, i) => r - 1 - i) });
  },
  configurable: true,
});
