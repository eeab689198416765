// Searching and sorting operators as in paddle/fluid/operators: arg_max / arg_min
// (arg_min_max_op_base.h), argsort (argsort_op.cc), top_k_v2 (top_k_v2_op.cc), where
// (where_op.cc) and unique (unique_op.cc). where_index (nonzero) lives with the gather family.
//
// Order: NaN counts as the largest value (later releases' rule: ascending sorts put NaN
// last, descending sorts and largest-topk put it first) and ties keep their input order, so
// every sort is stable. The values of argsort/top_k_v2 differentiate by putting the gradient
// back at Indices: index_sample_grad on the [rows, axis] view (its own gradient is
// index_sample), rather than Paddle's argsort_grad / top_k_v2_grad kernels.
import { isComplex } from '../core/dtype.js';
import type { GradContext, Slots } from '../core/registry.js';
import { sameShape, showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { knownInts } from './reshape.js';
import { bool, defineOp, dtypeAttr, int, ints, long, meta, one, opFail } from './util.js';

/** Normalizes an axis attribute against a rank, failing with the operator's words. */
export function axisOf(axis: number, rank: number, op: string, what = 'axis'): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(axis) || axis < -r || axis >= r)
    opFail(op, `attribute ${what} = ${axis} is out of range for an input of rank ${rank} (expected an integer in [${-r}, ${r - 1}])`);
  return axis < 0 ? axis + r : axis;
}

function requireReal(m: Meta, op: string, what = 'X'): void {
  if (isComplex(m.dtype)) opFail(op, `input ${what} must be a real tensor (complex numbers have no order), but got ${m.dtype}`);
}

// ---- arg_max / arg_min --------------------------------------------------------------------
function argMinMax(type: string): void {
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out'],
    attrs: { axis: long(), keepdims: bool(false), flatten: bool(false), dtype: int(3) },
    infer(ins, attrs) {
      const x = one(ins, 'X', type);
      requireReal(x, type);
      if (x.dtype === 'bool') opFail(type, 'input X must be a number tensor, but got bool');
      const r = x.dims.length;
      const d = attrs.dtype === -1 ? 'int64' : dtypeAttr(attrs.dtype, type);
      if (d !== 'int32' && d !== 'int64') opFail(type, `attribute dtype must be int32 or int64, but got ${String(attrs.dtype)}`);
      if (attrs.flatten) return { Out: [meta([1], d)] };
      const a = axisOf(attrs.axis, r, type);
      const dims: number[] = [];
      for (let i = 0; i < r; i++) {
        if (i !== a) dims.push(x.dims[i]);
        else if (attrs.keepdims) dims.push(1);
      }
      return { Out: [meta(dims.length ? dims : [1], d)] };
    },
  });
}
argMinMax('arg_max');
argMinMax('arg_min');

// ---- argsort / top_k_v2 -------------------------------------------------------------------
/**
 * The gradient of values taken along `axis` at `indices` (argsort, top_k_v2): `g` put back
 * into zeros shaped like x, through index_sample_grad on [rows, n] views.
 */
export function putAlong(x: Tensor, indices: Tensor, g: Tensor, axis: number): Tensor {
  const r = x.dims.length;
  const a = axis < 0 ? axis + r : axis;
  let perm: number[] | null = null;
  let xt = x;
  let it = indices;
  let gt = g;
  if (a !== r - 1) {
    perm = [];
    for (let i = 0; i < r; i++) if (i !== a) perm.push(i);
    perm.push(a);
    xt = c.transpose(x, perm);
    it = c.transpose(indices, perm);
    gt = c.transpose(g, perm);
  }
  const n = xt.dims[r - 1];
  const k = it.dims[r - 1];
  const dx = c.run1(
    'index_sample_grad',
    { X: [c.reshape(xt, [-1, n])], Index: [c.reshape(it, [-1, k])], 'Out@GRAD': [c.reshape(gt, [-1, k])] },
    {},
    'X@GRAD',
  );
  const back = c.reshape(dx, xt.dims.slice());
  if (!perm) return back;
  const inv = new Array<number>(r);
  perm.forEach((p, i) => (inv[p] = i));
  return c.transpose(back, inv);
}

function valuesGrad(ctx: GradContext): { X: (Tensor | null)[] } {
  if (!ctx.needs('X')) return { X: [null] };
  return { X: [putAlong(ctx.input('X'), ctx.output('Indices'), ctx.outGrad('Out'), ctx.attrs.axis as number)] };
}

defineOp({
  type: 'argsort',
  inputs: ['X'],
  outputs: ['Out', 'Indices'],
  attrs: { axis: int(-1), descending: bool(false) },
  noGradOutputs: ['Indices'],
  infer(ins, attrs) {
    const op = 'argsort';
    const x = one(ins, 'X', op);
    requireReal(x, op);
    axisOf(attrs.axis, x.dims.length, op);
    return { Out: [meta(x.dims.slice(), x.dtype)], Indices: [meta(x.dims.slice(), 'int64')] };
  },
  grad: valuesGrad,
});

/** top_k_v2's k: the K input's value when known, else the attribute (-1: not known yet). */
export function topkK(ins: Slots<Meta>, attrs: Record<string, unknown>, op: string): number {
  const kt = ins.K?.[0];
  if (kt) {
    const v = knownInts(kt, op, 'K');
    if (!v) return -1;
    if (v.length !== 1) opFail(op, `input K must hold one integer, but has shape ${showShape(kt.dims)}`);
    return v[0];
  }
  return attrs.k as number;
}

defineOp({
  type: 'top_k_v2',
  inputs: ['X', 'K?!'],
  outputs: ['Out', 'Indices'],
  attrs: { k: int(1), axis: int(-1), largest: bool(true), sorted: bool(true) },
  noGradOutputs: ['Indices'],
  infer(ins, attrs) {
    const op = 'top_k_v2';
    const x = one(ins, 'X', op);
    requireReal(x, op);
    if (x.dims.length < 1) opFail(op, 'input X must have rank >= 1');
    const a = axisOf(attrs.axis, x.dims.length, op);
    const k = topkK(ins, attrs, op);
    if (k !== -1 || !ins.K?.[0]) {
      if (!Number.isInteger(k) || k < 1) opFail(op, `k must be an integer >= 1, but got ${k}`);
      if (x.dims[a] >= 0 && k > x.dims[a])
        opFail(op, `k = ${k} is larger than the size ${x.dims[a]} of axis ${a} of X (shape ${showShape(x.dims)})`);
    }
    const dims = x.dims.slice();
    dims[a] = k;
    return { Out: [meta(dims, x.dtype)], Indices: [meta(dims.slice(), 'int64')] };
  },
  grad: valuesGrad,
});

// ---- where ----------------------------------------------------------------------------------
defineOp({
  type: 'where',
  inputs: ['Condition!', 'X', 'Y'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'where';
    const cond = one(ins, 'Condition', op);
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    if (cond.dtype !== 'bool') opFail(op, `input Condition must be a bool tensor, but got ${cond.dtype}`);
    if (x.dtype !== y.dtype) opFail(op, `X and Y must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
    if (!compatible(cond.dims, x.dims))
      opFail(op, `Condition and X must have the same shape, but got ${showShape(cond.dims)} and ${showShape(x.dims)}`);
    if (!compatible(x.dims, y.dims)) opFail(op, `X and Y must have the same shape, but got ${showShape(x.dims)} and ${showShape(y.dims)}`);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    const cond = ctx.input('Condition');
    const d = ctx.outGrad('Out');
    const z = c.zerosLike(d);
    return {
      X: [ctx.needs('X') ? c.run1('where', { Condition: [cond], X: [d], Y: [z] }) : null],
      Y: [ctx.needs('Y') ? c.run1('where', { Condition: [cond], X: [z], Y: [d] }) : null],
    };
  },
});

// ---- unique ---------------------------------------------------------------------------------
defineOp({
  type: 'unique',
  inputs: ['X'],
  outputs: ['Out', 'Index', 'Indices?', 'Counts?'],
  attrs: {
    dtype: int(),
    return_index: bool(false),
    return_inverse: bool(false),
    return_counts: bool(false),
    axis: ints([]),
    is_sorted: bool(false),
  },
  infer(ins, attrs) {
    const op = 'unique';
    const x = one(ins, 'X', op);
    requireReal(x, op);
    const d = dtypeAttr(attrs.dtype, op);
    if (d !== 'int32' && d !== 'int64') opFail(op, `attribute dtype must be int32 or int64, but got ${String(attrs.dtype)}`);
    const axes = attrs.axis as number[];
    if (!attrs.is_sorted) {
      if (x.dims.length !== 1) opFail(op, `input X must be 1-D when is_sorted is false, but got shape ${showShape(x.dims)}`);
      return { Out: [meta([-1], x.dtype)], Index: [meta(x.dims.slice(), d)], Indices: [meta([-1], d)], Counts: [meta([-1], d)] };
    }
    if (axes.length > 1) opFail(op, `attribute axis must hold at most one axis, but got [${axes.join(', ')}]`);
    let outDims: number[];
    let invDims: number[];
    if (axes.length === 0) {
      outDims = [-1];
      invDims = [x.dims.some((s) => s < 0) ? -1 : x.dims.reduce((p, s) => p * s, 1)];
    } else {
      const a = axisOf(axes[0], x.dims.length, op);
      outDims = x.dims.slice();
      outDims[a] = -1;
      invDims = [x.dims[a]];
    }
    return { Out: [meta(outDims, x.dtype)], Index: [meta(invDims, d)], Indices: [meta([-1], d)], Counts: [meta([-1], d)] };
  },
});

/** Whether two shapes are equal where both are known. */
export function compatible(a: readonly number[], b: readonly number[]): boolean {
  return sameShape(a, b) || (a.length === b.length && a.every((d, i) => d === b[i] || d < 0 || b[i] < 0));
}
