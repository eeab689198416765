// set_value: the operator behind Tensor.__setitem__ (paddle/fluid/operators/set_value_op.cc,
// with the inputs and attributes it has from Paddle 2.1/2.2 on): Input, ValueTensor?,
// StartsTensorList[]?, EndsTensorList[]?, StepsTensorList[]? -> Out; attrs dtype, axes,
// starts, ends, steps, decrease_axes, none_axes, shape and the value lists bool_values,
// fp32_values, int32_values, int64_values, fp64_values.
//
// Out is Input with the strided box axes/starts/ends/steps replaced by the value, which
// broadcasts (NumPy rules) against the box's shape with the decreased axes removed and a
// size-1 axis inserted before input axis i for each i in none_axes. The value is ValueTensor
// when given, otherwise the attribute list for `dtype` with shape `shape`.
// The gradient goes to Input outside the box and, summed over broadcasting, to ValueTensor.
import { DType, PROTO_DTYPE } from '../core/dtype.js';
import type { AttrSpec, Attrs, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { knownIntList } from './reshape.js';
import { planSlice, SlicePlan } from './slice.js';
import { defineOp, dtypeAttr, int, meta, one, opFail } from './util.js';

const longs = (d?: number[]): AttrSpec => ({ type: 'longs', default: d });
const ints = (d?: number[]): AttrSpec => ({ type: 'ints', default: d });
const floats = (d?: number[]): AttrSpec => ({ type: 'floats', default: d });
const float64s = (d?: number[]): AttrSpec => ({ type: 'float64s', default: d });

/** The attribute holding set_value's values for a dtype (Paddle's GetValueName). */
export function valuesAttrName(d: DType): string {
  switch (d) {
    case 'bool': return 'bool_values';
    case 'int64': return 'int64_values';
    case 'float64': case 'complex128': return 'fp64_values';
    case 'float32': case 'float16': case 'complex64': return 'fp32_values';
    default: return 'int32_values';
  }
}
export const VALUE_ATTRS = ['bool_values', 'fp32_values', 'int32_values', 'int64_values', 'fp64_values'] as const;

/** The box set_value writes, and the shape its value broadcasts against. */
export interface SetValuePlan extends SlicePlan {
  /** The box's shape with decreased axes removed and none axes inserted. */
  target: number[];
}

function listOrAttr(ins: Slots<Meta>, attrs: Attrs, slot: string, attr: string, op: string): number[] | undefined {
  const l = ins[slot];
  if (l && l.length) return knownIntList(l, op, slot);
  return (attrs[attr] as unknown[]).map(Number);
}

/** Resolves a set_value call's box against Input's shape. */
export function setValuePlan(xDims: readonly number[], ins: Slots<Meta>, attrs: Attrs, op = 'set_value'): SetValuePlan {
  const axes = (attrs.axes as unknown[]).map(Number);
  const starts = listOrAttr(ins, attrs, 'StartsTensorList', 'starts', op);
  const ends = listOrAttr(ins, attrs, 'EndsTensorList', 'ends', op);
  let steps = listOrAttr(ins, attrs, 'StepsTensorList', 'steps', op);
  if (steps && steps.length === 0) steps = new Array<number>(axes.length).fill(1);
  const decrease = (attrs.decrease_axes as unknown[]).map(Number);
  const plan = planSlice(xDims, axes, starts, ends, steps, decrease, op, { starts: 'starts', ends: 'ends', steps: 'steps' });
  const none = (attrs.none_axes as unknown[]).map(Number).sort((a, b) => a - b);
  const target: number[] = [];
  let ni = 0;
  for (let i = 0; i < xDims.length; i++) {
    while (ni < none.length && none[ni] <= i) { target.push(1); ni++; }
    if (!decrease.includes(i)) target.push(plan.count[i]);
  }
  while (ni < none.length) { target.push(1); ni++; }
  return { ...plan, target };
}

/**
 * The value's shape lined up with `target` (NumPy assignment rules: leading size-1 dims of the
 * value may be dropped, then shapes broadcast right-aligned); fails naming both shapes.
 */
export function alignValue(vDims: readonly number[], target: readonly number[], op: string): number[] {
  let v = vDims.slice();
  while (v.length > target.length && v[0] === 1) v = v.slice(1);
  const bad = (): never =>
    opFail(op, `the value of shape ${showShape(vDims)} cannot be broadcast to the assigned region of shape ${showShape(target)}`);
  if (v.length > target.length) bad();
  const lead = target.length - v.length;
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    const b = target[lead + i];
    if (a !== b && a !== 1 && a !== -1 && b !== -1) bad();
  }
  return v;
}

/** The value's shape when it comes from the attributes. */
export function attrValueDims(attrs: Attrs, dtype: DType): { name: string; values: unknown[]; dims: number[] } | undefined {
  let name = valuesAttrName(dtype);
  let values = (attrs[name] ?? []) as unknown[];
  if (!values.length) {
    const other = VALUE_ATTRS.find((k) => ((attrs[k] ?? []) as unknown[]).length > 0);
    if (!other) return undefined;
    name = other;
    values = attrs[other] as unknown[];
  }
  const shape = (attrs.shape as unknown[]).map(Number);
  return { name, values, dims: shape.length ? shape : [values.length] };
}

defineOp({
  type: 'set_value',
  inputs: ['Input', 'ValueTensor?', 'StartsTensorList[]?!', 'EndsTensorList[]?!', 'StepsTensorList[]?!'],
  outputs: ['Out'],
  attrs: {
    dtype: int(PROTO_DTYPE.float32),
    axes: longs(),
    starts: longs([]),
    ends: longs([]),
    steps: longs([]),
    decrease_axes: longs([]),
    none_axes: longs([]),
    shape: longs([]),
    bool_values: ints([]),
    fp32_values: floats([]),
    int32_values: ints([]),
    int64_values: longs([]),
    fp64_values: float64s([]),
  },
  infer(ins, attrs) {
    const op = 'set_value';
    const x = one(ins, 'Input', op);
    dtypeAttr(attrs.dtype, op);
    const plan = setValuePlan(x.dims, ins, attrs, op);
    const v = ins.ValueTensor?.[0];
    if (v) {
      if (v.dtype !== x.dtype) opFail(op, `ValueTensor has dtype ${v.dtype} but Input has dtype ${x.dtype}; they must match`);
      alignValue(v.dims, plan.target, op);
    } else {
      const a = attrValueDims(attrs, x.dtype);
      if (!a) opFail(op, 'neither ValueTensor nor a values attribute (fp32_values, int64_values, ...) gives the value to assign');
      const n = a.dims.reduce((p, q) => p * q, 1);
      if (n !== a.values.length) opFail(op, `attribute shape ${showShape(a.dims)} holds ${n} values but ${a.name} has ${a.values.length}`);
      alignValue(a.dims, plan.target, op);
    }
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    const dout = ctx.outGrad('Out');
    const lists: Slots<Tensor> = {};
    for (const s of ['StartsTensorList', 'EndsTensorList', 'StepsTensorList']) if (ctx.inputs(s).length) lists[s] = ctx.inputs(s).slice();
    const a = ctx.attrs;
    const res: Record<string, (Tensor | null)[]> = {};
    if (ctx.needs('Input')) {
      // zero the assigned box of the gradient
      const zattrs: Attrs = { ...a, dtype: PROTO_DTYPE[dout.dtype], shape: [1] };
      for (const k of VALUE_ATTRS) zattrs[k] = [];
      zattrs[valuesAttrName(dout.dtype)] = [0];
      res.Input = [c.run1('set_value', { Input: [dout], ...lists }, zattrs)];
    }
    if (ctx.has('ValueTensor') && ctx.needs('ValueTensor')) {
      const v = ctx.input('ValueTensor');
      const plan = setValuePlan(dout.dims, lists, a);
      const ss: Slots<Tensor> = { Input: [dout] };
      if (lists.StartsTensorList) ss.StartsTensorList = lists.StartsTensorList;
      if (lists.EndsTensorList) ss.EndsTensorList = lists.EndsTensorList;
      if (lists.StepsTensorList) ss.StridesTensorList = lists.StepsTensorList;
      const axes = (a.axes as number[]).slice();
      const steps = (a.steps as number[]).length ? (a.steps as number[]).slice() : axes.map(() => 1);
      let g = c.run1('strided_slice', ss, {
        axes, starts: (a.starts as number[]).slice(), ends: (a.ends as number[]).slice(), strides: steps,
        infer_flags: axes.map(() => 1), decrease_axis: [],
      });
      // the box in the value's frame: decreased axes gone, none axes added
      const target = plan.target.length ? plan.target : [1];
      g = c.reshape(g, target);
      const aligned = alignValue(v.dims, plan.target, 'set_value');
      g = c.sumTo(g, aligned, aligned.length ? aligned : [1]);
      res.ValueTensor = [c.reshape(g, v.dims.slice())];
    }
    return res;
  },
});
