// Slicing operators as in paddle/fluid/operators/slice_op.cc and strided_slice_op.cc:
// slice (Input, StartsTensor?, EndsTensor?, StartsTensorList[]?, EndsTensorList[]? -> Out;
// axes, starts, ends, infer_flags, decrease_axis) and strided_slice (same, plus strides,
// StridesTensor?, StridesTensorList[]?), with Paddle's slice_grad / strided_slice_grad, which
// write Out@GRAD into a zero tensor of Input's shape (their own gradient is the slice again).
//
// Ranges follow Python: negative starts/ends count from the end and out-of-range values are
// clamped (Paddle 2.0 rejected some of these and produced wrong elements for some negative
// strides; later releases fixed that). Empty results are allowed. Paddle's conventions for
// programs are kept: with a negative stride an end of -1 means "past the first element", and
// a decreased axis given as start -1, end 0 selects the last element.
import type { Attrs, GradContext, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { knownIntList, knownInts } from './reshape.js';
import { defineOp, ints, meta, one, opFail } from './util.js';

/**
 * The elements one axis of size n keeps for a Python-style start:end:step: the first index
 * and the count. With a negative step, end -1 means "before index 0" (Paddle's convention).
 */
export function axisRange(n: number, start: number, end: number, step: number): [first: number, count: number] {
  if (step > 0) {
    let s = start < 0 ? start + n : start;
    s = s < 0 ? 0 : s > n ? n : s;
    let e = end < 0 ? end + n : end;
    e = e < 0 ? 0 : e > n ? n : e;
    return [s, e > s ? Math.ceil((e - s) / step) : 0];
  }
  let s = start < 0 ? start + n : start;
  s = s < -1 ? -1 : s > n - 1 ? n - 1 : s;
  let e = end === -1 ? -1 : end < 0 ? end + n : end;
  e = e < -1 ? -1 : e > n - 1 ? n - 1 : e;
  return [s, s > e ? Math.ceil((s - e) / -step) : 0];
}

/** A resolved slice of a tensor: for every input dim, the first index, step and count. */
export interface SlicePlan {
  /** Per input dim (dims not sliced: first 0, step 1, count = size). -1 counts are unknown. */
  first: number[];
  step: number[];
  count: number[];
  /** Out's shape: the counts with decreased dims removed ([1] when none is left). */
  outDims: number[];
}

/**
 * Resolves axes/starts/ends/steps against `xDims`. `starts`/`ends`/`steps` undefined means
 * not known yet (tensors in static mode): those dims become -1.
 */
export function planSlice(
  xDims: readonly number[],
  axes: readonly number[],
  starts: readonly number[] | undefined,
  ends: readonly number[] | undefined,
  steps: readonly number[] | undefined,
  decrease: readonly number[],
  op: string,
  what = { starts: 'starts', ends: 'ends', steps: 'strides' },
): SlicePlan {
  const r = xDims.length;
  const first = new Array<number>(r).fill(0);
  const step = new Array<number>(r).fill(1);
  const count = xDims.slice();
  const seen = new Set<number>();
  for (const [name, v] of [[what.starts, starts], [what.ends, ends], [what.steps, steps]] as const)
    if (v && v.length !== axes.length)
      opFail(op, `${name} has ${v.length} values but axes has ${axes.length} ([${axes.join(', ')}]); they must have the same length`);
  for (let i = 0; i < axes.length; i++) {
    const a0 = axes[i];
    if (!Number.isInteger(a0) || a0 < -r || a0 >= r)
      opFail(op, `axes[${i}] = ${a0} is out of range for an input of shape ${showShape(xDims)} (expected an integer in [${-r}, ${r - 1}])`);
    const a = a0 < 0 ? a0 + r : a0;
    if (seen.has(a)) opFail(op, `axes [${axes.join(', ')}] has the axis ${a} twice`);
    seen.add(a);
    const k = steps ? steps[i] : 1;
    if (k === 0) opFail(op, `${what.steps}[${i}] is 0; a step must not be zero`);
    step[a] = k;
    const n = xDims[a];
    if (n < 0 || !starts || !ends || !steps) {
      count[a] = -1;
      continue;
    }
    const s = starts[i];
    const e = ends[i];
    let [f, cnt] = axisRange(n, s, e, k);
    if (decrease.includes(a) && cnt !== 1) {
      // Paddle writes the index -1 of a decreased axis as start -1, end 0
      if (s === -1 && e === 0 && n > 0) [f, cnt] = [n - 1, 1];
      else
        opFail(op, `axis ${a} is decreased, so it must select exactly one element, but ${s}:${e}${k !== 1 ? ':' + k : ''} selects ${cnt} of its ${n}`);
    }
    first[a] = f;
    count[a] = cnt;
  }
  for (const d of decrease) {
    if (!Number.isInteger(d) || d < 0 || d >= r) opFail(op, `decrease_axis has ${d}, which is not an axis of an input of rank ${r}`);
    if (!seen.has(d)) opFail(op, `decrease_axis has axis ${d}, which is not one of the sliced axes [${axes.join(', ')}]`);
  }
  let outDims = count.filter((_, i) => !decrease.includes(i));
  if (outDims.length === 0) outDims = [1];
  return { first, step, count, outDims };
}

/** The starts/ends/strides of a slicing op: tensor inputs first, then the attributes. */
function resolve(ins: Slots<Meta>, attrs: Attrs, name: 'starts' | 'ends' | 'strides', op: string): number[] | undefined {
  const cap = name === 'starts' ? 'Starts' : name === 'ends' ? 'Ends' : 'Strides';
  const t = ins[`${cap}Tensor`]?.[0];
  if (t) return knownInts(t, op, `${cap}Tensor`);
  const list = ins[`${cap}TensorList`];
  if (list && list.length) return knownIntList(list, op, `${cap}TensorList`);
  return attrs[name] as number[];
}

/** The plan of a slice / strided_slice call (also used by their kernels and grad ops). */
export function slicePlanOf(xDims: readonly number[], ins: Slots<Meta>, attrs: Attrs, op: string, strided: boolean): SlicePlan {
  const starts = resolve(ins, attrs, 'starts', op);
  const ends = resolve(ins, attrs, 'ends', op);
  const steps = strided ? resolve(ins, attrs, 'strides', op) : new Array<number>(attrs.axes.length).fill(1);
  return planSlice(xDims, attrs.axes, starts, ends, steps, attrs.decrease_axis ?? [], op);
}

const tensorSlots = ['StartsTensor?!', 'EndsTensor?!', 'StartsTensorList[]?!', 'EndsTensorList[]?!'];
const stridedSlots = [...tensorSlots, 'StridesTensor?!', 'StridesTensorList[]?!'];
const sliceAttrs = () => ({ axes: ints(), starts: ints([]), ends: ints([]), infer_flags: ints([]), decrease_axis: ints([]) });
const stridedAttrs = () => ({ ...sliceAttrs(), strides: ints([]) });

/** The non-gradient inputs a grad op takes over from the forward call. */
function passIns(ctx: GradContext, strided: boolean): Slots<Tensor> {
  const ins: Slots<Tensor> = {};
  for (const s of strided ? stridedSlots : tensorSlots) {
    const name = s.replace(/[[\]?!]/g, '');
    const v = ctx.inputs(name);
    if (v.length) ins[name] = v.slice();
  }
  return ins;
}

function sliceFamily(type: string, strided: boolean): void {
  const grad = `${type}_grad`;
  defineOp({
    type,
    inputs: ['Input', ...(strided ? stridedSlots : tensorSlots)],
    outputs: ['Out'],
    attrs: strided ? stridedAttrs() : sliceAttrs(),
    infer(ins, attrs) {
      const x = one(ins, 'Input', type);
      return { Out: [meta(slicePlanOf(x.dims, ins, attrs, type, strided).outDims, x.dtype)] };
    },
    grad(ctx) {
      if (!ctx.needs('Input')) return {};
      const ins = passIns(ctx, strided);
      ins.Input = [ctx.input('Input')];
      ins['Out@GRAD'] = [ctx.outGrad('Out')];
      return { Input: [c.run1(grad, ins, { ...ctx.attrs }, 'Input@GRAD')] };
    },
  });
  // <type>_grad: Input@GRAD = zeros of Input's shape with Out@GRAD written into the slice.
  defineOp({
    type: grad,
    inputs: ['Input!', ...(strided ? stridedSlots : tensorSlots), 'Out@GRAD'],
    outputs: ['Input@GRAD'],
    attrs: strided ? stridedAttrs() : sliceAttrs(),
    infer(ins, attrs) {
      const x = one(ins, 'Input', grad);
      const g = one(ins, 'Out@GRAD', grad);
      const plan = slicePlanOf(x.dims, ins, attrs, grad, strided);
      const n = plan.outDims.reduce((a, b) => a * b, 1);
      const m = g.dims.reduce((a, b) => a * b, 1);
      if (n >= 0 && m >= 0 && n !== m)
        opFail(grad, `Out@GRAD has shape ${showShape(g.dims)}, which does not match the slice's shape ${showShape(plan.outDims)}`);
      return { 'Input@GRAD': [meta(x.dims.slice(), g.dtype)] };
    },
    grad(ctx) {
      const ins = passIns(ctx, strided);
      ins.Input = [ctx.outGrad('Input@GRAD')];
      const s = c.run1(type, ins, { ...ctx.attrs });
      return { 'Out@GRAD': [c.reshape(s, ctx.input('Out@GRAD').dims.slice())] };
    },
  });
}

sliceFamily('slice', false);
sliceFamily('strided_slice', true);
