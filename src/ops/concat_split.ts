// Joining and cutting along an axis: concat (X[] -> Out), split (X -> Out[]), stack
// (X[] -> Y, a new axis), unstack (X -> Y[]), unbind (X -> Out[]). Each one's gradient is
// the other one.
import type { Attrs, GradContext, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { knownIntList, knownInts } from './reshape.js';
import { bool, defineOp, int, ints, meta, one, opFail, str } from './util.js';

/** Normalizes an axis against `rank` or fails naming the op. */
function axisIn(axis: number, rank: number, op: string, what = 'axis'): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(axis) || axis < -r || axis >= r)
    opFail(op, `${what} ${axis} is out of range for a tensor of rank ${rank} (expected an integer in [${-r}, ${r - 1}])`);
  return axis < 0 ? axis + r : axis;
}

/** The axis given by the AxisTensor input (when known now) or the attribute; undefined if unknown yet. */
function axisOf(ins: Slots<Meta>, attrs: Attrs, op: string): number | undefined {
  const t = ins.AxisTensor?.[0];
  if (!t) return attrs.axis;
  const v = knownInts(t, op, 'AxisTensor');
  if (!v) return undefined;
  if (v.length !== 1) opFail(op, `input AxisTensor must hold one value, but has shape ${showShape(t.dims)}`);
  return v[0];
}

// ---- concat ----

defineOp({
  type: 'concat',
  inputs: ['X[]', 'AxisTensor?!'],
  outputs: ['Out'],
  attrs: { axis: int(0), use_mkldnn: bool(false), use_quantizer: bool(false), mkldnn_data_type: str('float32') },
  infer(ins, attrs) {
    const op = 'concat';
    const xs = ins.X ?? [];
    if (xs.length === 0) opFail(op, 'input X must hold at least one tensor');
    const x0 = xs[0];
    const rank = x0.dims.length;
    for (let i = 1; i < xs.length; i++) {
      if (xs[i].dtype !== x0.dtype) opFail(op, `all inputs must have the same dtype, but X[0] is ${x0.dtype} and X[${i}] is ${xs[i].dtype}`);
      if (xs[i].dims.length !== rank)
        opFail(op, `all inputs must have the same rank, but X[0] has shape ${showShape(x0.dims)} and X[${i}] has shape ${showShape(xs[i].dims)}`);
    }
    const a = axisOf(ins, attrs, op);
    if (a === undefined) return { Out: [meta(new Array(rank).fill(-1), x0.dtype)] };
    const axis = axisIn(a, rank, op);
    const dims = x0.dims.slice();
    for (let i = 1; i < xs.length; i++) {
      const d = xs[i].dims;
      for (let k = 0; k < rank; k++) {
        if (k === axis) {
          dims[k] = dims[k] < 0 || d[k] < 0 ? -1 : dims[k] + d[k];
        } else if (dims[k] !== d[k]) {
          if (dims[k] >= 0 && d[k] >= 0)
            opFail(op, `the inputs' shapes must match except on axis ${axis}, but X[0] has shape ${showShape(x0.dims)} and X[${i}] has shape ${showShape(d)}`);
          if (dims[k] < 0) dims[k] = d[k];
        }
      }
    }
    return { Out: [meta(dims, x0.dtype)] };
  },
  grad(ctx) {
    const xs = ctx.inputs('X');
    const axis = axisIn(axisOf({ AxisTensor: ctx.has('AxisTensor') ? [ctx.input('AxisTensor')] : [] }, ctx.attrs, 'concat') ?? 0, xs[0].dims.length, 'concat');
    const sections = xs.map((x) => x.dims[axis]);
    if (xs.length === 1) return { X: [ctx.outGrad('Out')] };
    const parts = c.dispatch('split', { X: [ctx.outGrad('Out')] }, { axis, sections, num: 0 }).Out;
    return { X: parts.map((g, i) => (ctx.needs('X', i) ? g : null)) };
  },
});

// ---- split ----

/** Sizes of split's pieces along `dim` (-1 if unknown), checking sections/num. */
export function splitSizes(dim: number, num: number, sections: readonly number[] | undefined, nSections: number, op: string): number[] {
  if (num > 0) {
    if (dim >= 0 && dim % num !== 0)
      opFail(op, `the size ${dim} of the split axis is not divisible by num=${num}`);
    return new Array<number>(num).fill(dim >= 0 ? dim / num : -1);
  }
  if (!sections) return new Array<number>(nSections).fill(-1);
  if (sections.length === 0) opFail(op, 'either num (> 0) or sections must be given');
  let unk = -1;
  let sum = 0;
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    if (s === -1) {
      if (unk >= 0) opFail(op, `only one entry of sections can be -1, but got [${sections.join(', ')}]`);
      unk = i;
    } else if (s < 0 || !Number.isInteger(s)) opFail(op, `sections must be non-negative integers (one may be -1), but got [${sections.join(', ')}]`);
    else sum += s;
  }
  const out = sections.slice();
  if (dim < 0) return out;
  if (unk >= 0) {
    if (sum > dim) opFail(op, `the sections [${sections.join(', ')}] add up to more than the size ${dim} of the split axis`);
    out[unk] = dim - sum;
  } else if (sum !== dim) {
    opFail(op, `the sections [${sections.join(', ')}] must add up to the size ${dim} of the split axis, but add up to ${sum}`);
  }
  return out;
}

defineOp({
  type: 'split',
  inputs: ['X', 'AxisTensor?!', 'SectionsTensorList[]?!'],
  outputs: ['Out[]'],
  attrs: { sections: ints([]), num: int(0), axis: int(0) },
  infer(ins, attrs) {
    const op = 'split';
    const x = one(ins, 'X', op);
    const rank = x.dims.length;
    let sections: number[] | undefined = attrs.sections;
    let nSections = attrs.sections.length;
    if (ins.SectionsTensorList?.length) {
      nSections = ins.SectionsTensorList.length;
      sections = knownIntList(ins.SectionsTensorList, op, 'SectionsTensorList');
    }
    if (attrs.num < 0) opFail(op, `num must be non-negative, but got ${attrs.num}`);
    const a = axisOf(ins, attrs, op);
    if (a === undefined) {
      const n = attrs.num > 0 ? attrs.num : nSections;
      return { Out: Array.from({ length: n }, () => meta(new Array(rank).fill(-1), x.dtype)) };
    }
    const axis = axisIn(a, rank, op);
    const sizes = splitSizes(x.dims[axis], attrs.num, sections, nSections, op);
    return {
      Out: sizes.map((s) => {
        const d = x.dims.slice();
        d[axis] = s;
        return meta(d, x.dtype);
      }),
    };
  },
  grad(ctx) {
    const x = ctx.input('X');
    if (!ctx.needs('X')) return { X: [null] };
    const a = axisOf({ AxisTensor: ctx.has('AxisTensor') ? [ctx.input('AxisTensor')] : [] }, ctx.attrs, 'split') ?? 0;
    const axis = axisIn(a, x.dims.length, 'split');
    const n = ctx.attrs.num > 0 ? ctx.attrs.num : Math.max(ctx.attrs.sections.length, ctx.inputs('SectionsTensorList').length);
    const gs: Tensor[] = [];
    for (let i = 0; i < n; i++) gs.push(ctx.outGrad('Out', i));
    return { X: [gs.length === 1 ? gs[0] : c.run1('concat', { X: gs }, { axis })] };
  },
});

// ---- stack / unstack / unbind ----

/** Gradients of a list output (zeros where none flowed), stacked along `axis`. */
function stackGrads(ctx: GradContext, slot: string, n: number, axis: number): Tensor {
  const gs: Tensor[] = [];
  for (let i = 0; i < n; i++) gs.push(ctx.outGrad(slot, i));
  return c.run1('stack', { X: gs }, { axis }, 'Y');
}

defineOp({
  type: 'stack',
  inputs: ['X[]'],
  outputs: ['Y'],
  attrs: { axis: int(0) },
  infer(ins, attrs) {
    const op = 'stack';
    const xs = ins.X ?? [];
    if (xs.length === 0) opFail(op, 'input X must hold at least one tensor');
    const x0 = xs[0];
    for (let i = 1; i < xs.length; i++) {
      if (xs[i].dtype !== x0.dtype) opFail(op, `all inputs must have the same dtype, but X[0] is ${x0.dtype} and X[${i}] is ${xs[i].dtype}`);
      const d = xs[i].dims;
      if (d.length !== x0.dims.length || d.some((v, k) => v !== x0.dims[k] && v >= 0 && x0.dims[k] >= 0))
        opFail(op, `all inputs must have the same shape, but X[0] has shape ${showShape(x0.dims)} and X[${i}] has shape ${showShape(d)}`);
    }
    const axis = axisIn(attrs.axis, x0.dims.length + 1, op);
    const dims = x0.dims.slice();
    dims.splice(axis, 0, xs.length);
    return { Y: [meta(dims, x0.dtype)] };
  },
  grad(ctx) {
    const xs = ctx.inputs('X');
    const axis = axisIn(ctx.attrs.axis, xs[0].dims.length + 1, 'stack');
    const parts = c.dispatch('unstack', { X: [ctx.outGrad('Y')] }, { axis, num: xs.length }).Y;
    return { X: parts.map((g, i) => (ctx.needs('X', i) ? g : null)) };
  },
});

/** Metas of the pieces of x along `axis` with that dim removed. */
function pieces(x: Meta, axis: number, n: number): Meta[] {
  const d = x.dims.slice();
  d.splice(axis, 1);
  return Array.from({ length: n }, () => meta(d.slice(), x.dtype));
}

defineOp({
  type: 'unstack',
  inputs: ['X'],
  outputs: ['Y[]'],
  attrs: { axis: int(0), num: int() },
  infer(ins, attrs) {
    const op = 'unstack';
    const x = one(ins, 'X', op);
    const axis = axisIn(attrs.axis, x.dims.length, op);
    const num = attrs.num as number;
    if (!(num > 0)) opFail(op, `num must be a positive integer, but got ${num}`);
    if (x.dims[axis] >= 0 && x.dims[axis] !== num)
      opFail(op, `num (${num}) must equal the size ${x.dims[axis]} of axis ${attrs.axis} of X (shape ${showShape(x.dims)})`);
    return { Y: pieces(x, axis, num) };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return { X: [null] };
    const x = ctx.input('X');
    const axis = axisIn(ctx.attrs.axis, x.dims.length, 'unstack');
    return { X: [stackGrads(ctx, 'Y', ctx.attrs.num, axis)] };
  },
});

defineOp({
  type: 'unbind',
  inputs: ['X'],
  outputs: ['Out[]'],
  attrs: { axis: int(0) },
  infer(ins, attrs) {
    const op = 'unbind';
    const x = one(ins, 'X', op);
    const axis = axisIn(attrs.axis, x.dims.length, op);
    const n = x.dims[axis];
    if (n < 0) opFail(op, `the size of axis ${attrs.axis} of X (shape ${showShape(x.dims)}) must be known to unbind it`);
    return { Out: pieces(x, axis, n) };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return { X: [null] };
    const x = ctx.input('X');
    const axis = axisIn(ctx.attrs.axis, x.dims.length, 'unbind');
    return { X: [stackGrads(ctx, 'Out', x.dims[axis], axis)] };
  },
});
