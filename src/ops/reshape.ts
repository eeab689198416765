// Operators that change only the shape, never the data: reshape2, squeeze2, unsqueeze2,
// flatten_contiguous_range. Each has Paddle's bookkeeping output XShape ([0, ...X.dims],
// no data). In dygraph Out shares X's storage (a view), as Paddle's do.
import { isInteger, toNumbers } from '../core/dtype.js';
import { hasOp } from '../core/registry.js';
import type { Attrs, GradContext, Slots } from '../core/registry.js';
import { numel, showShape } from '../core/shape.js';
import { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, int, ints, meta, one, opFail, str } from './util.js';

/**
 * The values of a small int tensor input when they are known now (a dygraph Tensor, or a
 * fed one at run time); undefined for a static Variable.
 */
export function knownInts(m: Meta | undefined, op: string, what: string): number[] | undefined {
  if (!m) return undefined;
  if (!(m instanceof Tensor) || Object.getPrototypeOf(m) !== Tensor.prototype) return undefined;
  if (m.dims.some((d) => d < 0) || m.data.length !== numel(m.dims)) return undefined;
  if (!isInteger(m.dtype)) opFail(op, `input ${what} must be an int32 or int64 tensor, but got ${m.dtype}`);
  return Array.from(toNumbers(m.data, m.dtype));
}

/** Values from a list of one-element int tensors (ShapeTensor, AxesTensorList...), if all known. */
export function knownIntList(ms: Meta[] | undefined, op: string, what: string): number[] | undefined {
  if (!ms || ms.length === 0) return undefined;
  const out: number[] = [];
  for (const m of ms) {
    const v = knownInts(m, op, what);
    if (!v) return undefined;
    if (v.length !== 1) opFail(op, `each tensor of ${what} must have one element, but one has shape ${showShape(m.dims)}`);
    out.push(v[0]);
  }
  return out;
}

/** The meta of the XShape bookkeeping output. */
export const xshapeMeta = (x: Meta): Meta => meta([0, ...x.dims], x.dtype);

/** Output dims of reshape: 0 copies X's dim, one -1 is inferred; unknown (-1) X dims stay unknown. */
export function reshapeDims(xDims: readonly number[], shape: readonly number[], op: string): number[] {
  const outDims = new Array<number>(shape.length);
  let unk = -1;
  let prod = 1;
  let xKnown = xDims.every((d) => d >= 0);
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i];
    if (s === -1) {
      if (unk >= 0) opFail(op, `only one dimension of 'shape' can be -1, but got shape ${showShape(shape)}`);
      unk = i;
      outDims[i] = -1;
    } else if (s === 0) {
      if (i >= xDims.length)
        opFail(op, `a 0 in 'shape' copies the input's dimension at that index, but index ${i} is beyond the input's rank ${xDims.length} (shape ${showShape(shape)}, input shape ${showShape(xDims)})`);
      outDims[i] = xDims[i];
      if (xDims[i] < 0) xKnown = false;
      else prod *= xDims[i];
    } else if (s < 0 || !Number.isInteger(s)) {
      opFail(op, `each dimension of 'shape' must be a non-negative integer except one -1, but got shape ${showShape(shape)}`);
    } else {
      outDims[i] = s;
      prod *= s;
    }
  }
  if (!xKnown) return outDims;
  const n = numel(xDims);
  if (unk >= 0) {
    if (prod === 0 || n % prod !== 0)
      opFail(op, `cannot reshape a tensor of shape ${showShape(xDims)} (${n} elements) into shape ${showShape(shape)}: the -1 dimension cannot be inferred`);
    outDims[unk] = n / prod;
  } else if (prod !== n) {
    opFail(op, `cannot reshape a tensor of shape ${showShape(xDims)} (${n} elements) into shape ${showShape(shape)} (${prod} elements)`);
  }
  return outDims;
}

/** The gradient of a pure reshape: dOut back in X's shape. */
function reshapeBack(ctx: GradContext): { X: (Tensor | null)[] } {
  if (!ctx.needs('X')) return { X: [null] };
  const x = ctx.input('X');
  const g = ctx.outGrad('Out');
  // static mode with several unknown dims: take X's shape at run time (the `shape` operator)
  if (x.dims.filter((d) => d < 0).length > 1 && hasOp('shape'))
    return { X: [c.run1('reshape2', { X: [g], Shape: [c.run1('shape', { Input: [x] })] }, { shape: x.dims.slice() })] };
  return { X: [c.reshape(g, x.dims.slice())] };
}

const mkldnnAttrs = { use_quantizer: bool(false), mkldnn_data_type: str('float32') };

defineOp({
  type: 'reshape2',
  inputs: ['X', 'Shape?!', 'ShapeTensor[]?!'],
  outputs: ['Out', 'XShape'],
  attrs: { shape: ints([]), ...mkldnnAttrs },
  noGradOutputs: ['XShape'],
  infer(ins: Slots<Meta>, attrs: Attrs) {
    const op = 'reshape2';
    const x = one(ins, 'X', op);
    let shape: number[] | undefined;
    if (ins.ShapeTensor?.length) {
      shape = knownIntList(ins.ShapeTensor, op, 'ShapeTensor');
      if (!shape) {
        const dims = ins.ShapeTensor.map((_, i) => (attrs.shape[i] > 0 ? attrs.shape[i] : -1));
        return { Out: [meta(dims, x.dtype)], XShape: [xshapeMeta(x)] };
      }
    } else if (ins.Shape?.[0]) {
      shape = knownInts(ins.Shape[0], op, 'Shape');
      if (!shape) {
        const len = ins.Shape[0].dims[0];
        const dims: number[] = attrs.shape.length === len ? attrs.shape.map((s: number) => (s > 0 ? s : -1)) : new Array(Math.max(len, 0)).fill(-1);
        return { Out: [meta(dims, x.dtype)], XShape: [xshapeMeta(x)] };
      }
    } else shape = attrs.shape as number[];
    const dims = reshapeDims(x.dims, shape!, op);
    return { Out: [meta(dims, x.dtype)], XShape: [xshapeMeta(x)] };
  },
  grad: reshapeBack,
});

/** squeeze2's output dims: listed size-1 dims (all size-1 dims when none are listed) removed. */
export function squeezeDims(xDims: readonly number[], axes: readonly number[], op: string): number[] {
  const r = xDims.length;
  const drop = new Array<boolean>(r).fill(false);
  if (axes.length === 0) {
    for (let i = 0; i < r; i++) drop[i] = xDims[i] === 1;
  } else {
    for (const a of axes) {
      if (!Number.isInteger(a) || a < -r || a >= r)
        opFail(op, `each axis must be in the range [${-r}, ${r - 1}] for an input of shape ${showShape(xDims)}, but got ${a}`);
      const i = a < 0 ? a + r : a;
      // dims not of size 1 are silently kept (Paddle 2.0); an unknown dim is squeezed when listed
      if (xDims[i] === 1 || xDims[i] === -1) drop[i] = true;
    }
  }
  return xDims.filter((_, i) => !drop[i]);
}

defineOp({
  type: 'squeeze2',
  inputs: ['X'],
  outputs: ['Out', 'XShape'],
  attrs: { axes: ints([]) },
  noGradOutputs: ['XShape'],
  infer(ins, attrs) {
    const x = one(ins, 'X', 'squeeze2');
    return { Out: [meta(squeezeDims(x.dims, attrs.axes, 'squeeze2'), x.dtype)], XShape: [xshapeMeta(x)] };
  },
  grad: reshapeBack,
});

/** unsqueeze2's output dims: axes are inserted one after another, each relative to the rank so far. */
export function unsqueezeDims(xDims: readonly number[], axes: readonly number[], op: string): number[] {
  const dims = xDims.slice();
  if (dims.length + axes.length > 6)
    opFail(op, `the output rank ${dims.length + axes.length} would exceed 6 (input shape ${showShape(xDims)}, axes [${axes.join(', ')}])`);
  for (const a of axes) {
    const cur = dims.length;
    const i = a < 0 ? a + cur + 1 : a;
    if (!Number.isInteger(a) || i < 0 || i > cur)
      opFail(op, `axis ${a} is out of range for inserting into a tensor of rank ${cur} (expected an integer in [${-cur - 1}, ${cur}])`);
    dims.splice(i, 0, 1);
  }
  return dims;
}

defineOp({
  type: 'unsqueeze2',
  inputs: ['X', 'AxesTensor?!', 'AxesTensorList[]?!'],
  outputs: ['Out', 'XShape'],
  attrs: { axes: ints([]) },
  noGradOutputs: ['XShape'],
  infer(ins, attrs) {
    const op = 'unsqueeze2';
    const x = one(ins, 'X', op);
    let axes: number[] | undefined = attrs.axes;
    let known = true;
    if (ins.AxesTensor?.[0]) {
      axes = knownInts(ins.AxesTensor[0], op, 'AxesTensor');
      if (!axes) { known = false; axes = new Array(Math.max(ins.AxesTensor[0].dims[0], 0)).fill(0); }
    } else if (ins.AxesTensorList?.length) {
      axes = knownIntList(ins.AxesTensorList, op, 'AxesTensorList');
      if (!axes) { known = false; axes = new Array(ins.AxesTensorList.length).fill(0); }
    }
    if (!known) return { Out: [meta(new Array(x.dims.length + axes!.length).fill(-1), x.dtype)], XShape: [xshapeMeta(x)] };
    return { Out: [meta(unsqueezeDims(x.dims, axes!, op), x.dtype)], XShape: [xshapeMeta(x)] };
  },
  grad: reshapeBack,
});

/** flatten_contiguous_range's output dims: dims start..stop (inclusive) merged into one. */
export function flattenDims(xDims: readonly number[], start: number, stop: number, op: string): number[] {
  const r = xDims.length;
  const rr = Math.max(r, 1);
  for (const [name, v] of [['start_axis', start], ['stop_axis', stop]] as const)
    if (!Number.isInteger(v) || v < -rr || v >= rr) opFail(op, `${name} must be in the range [${-rr}, ${rr - 1}] for an input of rank ${r}, but got ${v}`);
  const s = start < 0 ? start + rr : start;
  const e = stop < 0 ? stop + rr : stop;
  if (s > e) opFail(op, `stop_axis (${stop}) must not come before start_axis (${start})`);
  if (r === 0) return [1];
  let m = 1;
  for (let i = s; i <= e; i++) m = xDims[i] < 0 || m < 0 ? -1 : m * xDims[i];
  return [...xDims.slice(0, s), m, ...xDims.slice(e + 1)];
}

defineOp({
  type: 'flatten_contiguous_range',
  inputs: ['X'],
  outputs: ['Out', 'XShape'],
  attrs: { start_axis: int(1), stop_axis: int(1) },
  noGradOutputs: ['XShape'],
  infer(ins, attrs) {
    const op = 'flatten_contiguous_range';
    const x = one(ins, 'X', op);
    return { Out: [meta(flattenDims(x.dims, attrs.start_axis, attrs.stop_axis, op), x.dtype)], XShape: [xshapeMeta(x)] };
  },
  grad: reshapeBack,
});
