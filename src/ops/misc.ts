// Assorted tensor operators (paddle/fluid/operators): cumsum, clip (+ clip_grad), kron,
// multiplex, sum (paddle.add_n), tril_triu, meshgrid, flip, roll, shard_index, diag_v2
// (+ diag_v2_grad, which later releases added), trace (+ trace_grad) and is_empty.
//
// Gradients are written with operators: cumsum's is a cumsum in the other direction, flip's a
// flip, roll's a roll back, tril_triu's the same triangle, meshgrid's sums, kron's products
// and sums on an interleaved view, multiplex's masks; clip, diag_v2 and trace use Paddle's
// grad operators, whose own gradients are clip_grad / diag_v2 / trace again.
import { DType, isComplex } from '../core/dtype.js';
import type { Attrs, GradResult, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { axisOf, compatible } from './search.js';
import { bool, defineOp, float, int, ints, meta, one, opFail } from './util.js';

const longs = (d?: number[]) => ({ type: 'longs' as const, default: d });

const NUM: readonly DType[] = ['float16', 'float32', 'float64', 'int32', 'int64'];
function requireNum(m: Meta, op: string, what = 'X', extra: readonly DType[] = []): void {
  if (!NUM.includes(m.dtype) && !extra.includes(m.dtype))
    opFail(op, `input ${what} must have dtype ${[...NUM, ...extra].join(', ')}, but got ${m.dtype}`);
}
const known = (dims: readonly number[]): boolean => dims.every((d) => d >= 0);

// ---- cumsum ---------------------------------------------------------------------------------
defineOp({
  type: 'cumsum',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { axis: int(-1), flatten: bool(false), exclusive: bool(false), reverse: bool(false) },
  infer(ins, attrs) {
    const op = 'cumsum';
    const x = one(ins, 'X', op);
    requireNum(x, op);
    if (attrs.flatten) return { Out: [meta([known(x.dims) ? x.dims.reduce((p, s) => p * s, 1) : -1], x.dtype)] };
    axisOf(attrs.axis, x.dims.length, op);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const a = ctx.attrs;
    const g = c.run1('cumsum', { X: [ctx.outGrad('Out')] }, { axis: a.axis, flatten: a.flatten, exclusive: a.exclusive, reverse: !a.reverse });
    return { X: [c.reshape(g, ctx.input('X').dims.slice())] };
  },
});

// ---- clip / clip_grad -----------------------------------------------------------------------
function clipInfer(ins: Slots<Meta>, attrs: Attrs, op: string, xSlot: string): Meta {
  const x = one(ins, xSlot, op);
  requireNum(x, op, xSlot);
  for (const s of ['Min', 'Max']) {
    const t = ins[s]?.[0];
    if (t && t.dims.length > 0 && known(t.dims) && t.dims.reduce((p, d) => p * d, 1) !== 1)
      opFail(op, `input ${s} must hold one value, but has shape ${showShape(t.dims)}`);
  }
  if (!ins.Min?.[0] && !ins.Max?.[0] && attrs.min > attrs.max)
    opFail(op, `max should be greater than or equal to min, but got min = ${attrs.min}, max = ${attrs.max}`);
  return x;
}
const clipBounds = (ctx: { has(s: string): boolean; input(s: string): Tensor }): Slots<Tensor> => {
  const s: Slots<Tensor> = {};
  if (ctx.has('Min')) s.Min = [ctx.input('Min')];
  if (ctx.has('Max')) s.Max = [ctx.input('Max')];
  return s;
};

defineOp({
  type: 'clip',
  inputs: ['X', 'Min?!', 'Max?!'],
  outputs: ['Out'],
  attrs: { min: float(), max: float() },
  infer(ins, attrs) {
    const x = clipInfer(ins, attrs, 'clip', 'X');
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], ...clipBounds(ctx), 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('clip_grad', ins, { min: ctx.attrs.min, max: ctx.attrs.max }, 'X@GRAD')] };
  },
});

// clip_grad: X@GRAD = Out@GRAD where min < X < max, else 0. Linear in Out@GRAD, so its own
// gradient is clip_grad again (Paddle's ClipDoubleGradOpMaker).
defineOp({
  type: 'clip_grad',
  inputs: ['X!', 'Min?!', 'Max?!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { min: float(), max: float() },
  infer(ins, attrs) {
    const x = clipInfer(ins, attrs, 'clip_grad', 'X');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'clip_grad').dtype)] };
  },
  grad(ctx) {
    const ins = { X: [ctx.input('X')], ...clipBounds(ctx), 'Out@GRAD': [ctx.outGrad('X@GRAD')] };
    return { 'Out@GRAD': [c.run1('clip_grad', ins, { min: ctx.attrs.min, max: ctx.attrs.max }, 'X@GRAD')] };
  },
});

// ---- kron -----------------------------------------------------------------------------------
/** x's and y's dims padded with leading 1s to the same rank. */
export function kronDims(x: readonly number[], y: readonly number[]): [number[], number[]] {
  const r = Math.max(x.length, y.length);
  const px = [...new Array<number>(r - x.length).fill(1), ...x];
  const py = [...new Array<number>(r - y.length).fill(1), ...y];
  return [px, py];
}

defineOp({
  type: 'kron',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'kron';
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    requireNum(x, op, 'X', ['complex64', 'complex128']);
    if (x.dtype !== y.dtype) opFail(op, `X and Y must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
    const [px, py] = kronDims(x.dims, y.dims);
    return { Out: [meta(px.map((d, i) => (d < 0 || py[i] < 0 ? -1 : d * py[i])), x.dtype)] };
  },
  grad(ctx) {
    const x = ctx.input('X');
    const y = ctx.input('Y');
    if (isComplex(x.dtype)) opFail('kron', 'the gradient of kron is not implemented for complex tensors');
    const [px, py] = kronDims(x.dims, y.dims);
    const r = px.length;
    // Out viewed as [x0, y0, x1, y1, ...]: Out[.., i_t, j_t, ..] = X[.., i_t, ..] * Y[.., j_t, ..]
    const inter: number[] = [];
    const xv: number[] = [];
    const yv: number[] = [];
    const xAxes: number[] = [];
    const yAxes: number[] = [];
    for (let t = 0; t < r; t++) {
      inter.push(px[t], py[t]);
      xv.push(px[t], 1);
      yv.push(1, py[t]);
      xAxes.push(2 * t);
      yAxes.push(2 * t + 1);
    }
    const d = c.reshape(ctx.outGrad('Out'), inter);
    return {
      X: [ctx.needs('X') ? c.reshape(c.sum(c.mul(d, c.reshape(y, yv)), yAxes), x.dims.slice()) : null],
      Y: [ctx.needs('Y') ? c.reshape(c.sum(c.mul(d, c.reshape(x, xv)), xAxes), y.dims.slice()) : null],
    };
  },
});

// ---- multiplex ------------------------------------------------------------------------------
defineOp({
  type: 'multiplex',
  inputs: ['Ids!', 'X[]'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'multiplex';
    const ids = one(ins, 'Ids', op);
    if (ids.dtype !== 'int32' && ids.dtype !== 'int64') opFail(op, `input Ids must be an int32 or int64 tensor, but got ${ids.dtype}`);
    if (ids.dims.length !== 2 || (ids.dims[1] !== 1 && ids.dims[1] !== -1))
      opFail(op, `input Ids must have shape [batch_size, 1], but got ${showShape(ids.dims)}`);
    const xs = ins.X ?? [];
    if (xs.length < 2) opFail(op, `multiplex needs at least 2 candidate tensors in X, but got ${xs.length}`);
    const x0 = xs[0];
    requireNum(x0, op, 'X[0]', ['bool', 'uint8', 'int8', 'int16', 'complex64', 'complex128']);
    if (x0.dims.length < 2) opFail(op, `the candidate tensors must have rank >= 2, but X[0] has shape ${showShape(x0.dims)}`);
    for (let i = 1; i < xs.length; i++) {
      if (!compatible(xs[i].dims, x0.dims) || xs[i].dtype !== x0.dtype)
        opFail(op, `all candidate tensors must have the same shape and dtype, but X[0] is ${showShape(x0.dims)} ${x0.dtype} and X[${i}] is ${showShape(xs[i].dims)} ${xs[i].dtype}`);
    }
    if (ids.dims[0] >= 0 && x0.dims[0] >= 0 && ids.dims[0] !== x0.dims[0])
      opFail(op, `Ids must have one row per row of the candidate tensors, but Ids has shape ${showShape(ids.dims)} and X[0] has shape ${showShape(x0.dims)}`);
    return { Out: [meta(x0.dims.slice(), x0.dtype)] };
  },
  grad(ctx) {
    const ids = ctx.input('Ids');
    const d = ctx.outGrad('Out');
    const xs = ctx.inputs('X');
    const res: (Tensor | null)[] = xs.map((_, k) => {
      if (!ctx.needs('X', k)) return null;
      // rows whose Ids == k take the gradient; Ids [M, 1] lines up with dOut's dims from 0
      const mask = c.cast(c.compare('equal', ids, c.fullLike(ids, k)), d.dtype);
      return c.mul(d, mask, 0);
    });
    return { X: res };
  },
});

// ---- sum (paddle.add_n) ---------------------------------------------------------------------
defineOp({
  type: 'sum',
  inputs: ['X[]'],
  outputs: ['Out'],
  attrs: { use_mkldnn: bool(false) },
  infer(ins) {
    const op = 'sum';
    const xs = ins.X ?? [];
    if (xs.length < 1) opFail(op, 'input X must hold at least one tensor');
    const x0 = xs[0];
    requireNum(x0, op, 'X[0]', ['complex64', 'complex128']);
    for (let i = 1; i < xs.length; i++) {
      if (xs[i].dtype !== x0.dtype) opFail(op, `all inputs must have the same dtype, but X[0] is ${x0.dtype} and X[${i}] is ${xs[i].dtype}`);
      if (!compatible(xs[i].dims, x0.dims))
        opFail(op, `all inputs must have the same shape, but X[0] has shape ${showShape(x0.dims)} and X[${i}] has shape ${showShape(xs[i].dims)}`);
    }
    return { Out: [meta(x0.dims.slice(), x0.dtype)] };
  },
  grad(ctx): GradResult {
    const d = ctx.outGrad('Out');
    return { X: ctx.inputs('X').map((_, i) => (ctx.needs('X', i) ? d : null)) };
  },
});

// ---- tril_triu ------------------------------------------------------------------------------
defineOp({
  type: 'tril_triu',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { diagonal: int(0), lower: bool() },
  infer(ins, attrs) {
    const op = 'tril_triu';
    const x = one(ins, 'X', op);
    if (x.dims.length < 2) opFail(op, `input X must have rank >= 2, but got shape ${showShape(x.dims)}`);
    if (!Number.isInteger(attrs.diagonal)) opFail(op, `diagonal must be an integer, but got ${attrs.diagonal}`);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [c.run1('tril_triu', { X: [ctx.outGrad('Out')] }, { diagonal: ctx.attrs.diagonal, lower: ctx.attrs.lower })] };
  },
});

// ---- meshgrid -------------------------------------------------------------------------------
defineOp({
  type: 'meshgrid',
  inputs: ['X[]'],
  outputs: ['Out[]'],
  infer(ins) {
    const op = 'meshgrid';
    const xs = ins.X ?? [];
    if (xs.length < 1) opFail(op, 'input X must hold at least one tensor');
    for (let i = 0; i < xs.length; i++) {
      if (xs[i].dims.length !== 1) opFail(op, `every input must be 1-D, but X[${i}] has shape ${showShape(xs[i].dims)}`);
      if (xs[i].dtype !== xs[0].dtype) opFail(op, `all inputs must have the same dtype, but X[0] is ${xs[0].dtype} and X[${i}] is ${xs[i].dtype}`);
    }
    const dims = xs.map((x) => x.dims[0]);
    return { Out: xs.map((x) => meta(dims.slice(), x.dtype)) };
  },
  grad(ctx) {
    const xs = ctx.inputs('X');
    const k = xs.length;
    return {
      X: xs.map((_, i) => {
        if (!ctx.needs('X', i)) return null;
        const g = ctx.outGrad('Out', i);
        if (k === 1) return g;
        const axes: number[] = [];
        for (let j = 0; j < k; j++) if (j !== i) axes.push(j);
        return c.sum(g, axes);
      }),
    };
  },
});

// ---- flip -----------------------------------------------------------------------------------
defineOp({
  type: 'flip',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { axis: ints() },
  infer(ins, attrs) {
    const op = 'flip';
    const x = one(ins, 'X', op);
    const axes = (attrs.axis as number[]).map((a) => axisOf(a, x.dims.length, op));
    if (new Set(axes).size !== axes.length) opFail(op, `attribute axis [${(attrs.axis as number[]).join(', ')}] has repeated axes`);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [c.run1('flip', { X: [ctx.outGrad('Out')] }, { axis: ctx.attrs.axis })] };
  },
});

// ---- roll -----------------------------------------------------------------------------------
defineOp({
  type: 'roll',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { shifts: longs([]), axis: longs([]) },
  infer(ins, attrs) {
    const op = 'roll';
    const x = one(ins, 'X', op);
    const shifts = attrs.shifts as number[];
    const axes = attrs.axis as number[];
    if (!(axes.length === 0 && shifts.length === 1) && axes.length !== shifts.length)
      opFail(op, `shifts and axis must have the same length, but got shifts [${shifts.join(', ')}] and axis [${axes.join(', ')}]`);
    for (const a of axes) axisOf(a, x.dims.length, op);
    for (const s of shifts) if (!Number.isInteger(s)) opFail(op, `shifts must be integers, but got [${shifts.join(', ')}]`);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const shifts = (ctx.attrs.shifts as number[]).map((s) => -s);
    return { X: [c.run1('roll', { X: [ctx.outGrad('Out')] }, { shifts, axis: ctx.attrs.axis })] };
  },
});

// ---- shard_index ----------------------------------------------------------------------------
defineOp({
  type: 'shard_index',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { index_num: int(), nshards: int(), shard_id: int(), ignore_value: int(-1) },
  infer(ins, attrs) {
    const op = 'shard_index';
    const x = one(ins, 'X', op);
    if (x.dtype !== 'int32' && x.dtype !== 'int64') opFail(op, `input X must be an int32 or int64 tensor, but got ${x.dtype}`);
    if (x.dims.length < 2) opFail(op, `input X must have rank >= 2, but got shape ${showShape(x.dims)}`);
    if (!(attrs.index_num > 0)) opFail(op, `index_num must be greater than 0, but got ${attrs.index_num}`);
    if (!(attrs.nshards > 0)) opFail(op, `nshards must be greater than 0, but got ${attrs.nshards}`);
    if (!(attrs.shard_id >= 0 && attrs.shard_id < attrs.nshards))
      opFail(op, `shard_id must be in [0, ${attrs.nshards}), but got ${attrs.shard_id}`);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
});

// ---- diag_v2 / diag_v2_grad -----------------------------------------------------------------
/** diag_v2's output dims for X's dims and the offset. */
export function diagDims(x: readonly number[], offset: number, op: string): number[] {
  if (x.length === 1) return [x[0] < 0 ? -1 : x[0] + Math.abs(offset), x[0] < 0 ? -1 : x[0] + Math.abs(offset)];
  if (x.length === 2) {
    if (x[0] < 0 || x[1] < 0) return [-1];
    const n = offset >= 0 ? Math.min(x[0], x[1] - offset) : Math.min(x[0] + offset, x[1]);
    return [Math.max(n, 0)];
  }
  return opFail(op, `input X must be 1-D or 2-D, but got shape ${showShape(x)}`);
}

defineOp({
  type: 'diag_v2',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { offset: int(0), padding_value: float(0) },
  infer(ins, attrs) {
    const op = 'diag_v2';
    const x = one(ins, 'X', op);
    if (!Number.isInteger(attrs.offset)) opFail(op, `offset must be an integer, but got ${attrs.offset}`);
    return { Out: [meta(diagDims(x.dims, attrs.offset, op), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('diag_v2_grad', ins, { offset: ctx.attrs.offset }, 'X@GRAD')] };
  },
});

// diag_v2_grad: for a 1-D X, the offset diagonal of Out@GRAD; for a 2-D X, zeros of X's shape
// with Out@GRAD on that diagonal. Its gradient is diag_v2 of the incoming gradient.
defineOp({
  type: 'diag_v2_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { offset: int(0) },
  infer(ins, attrs) {
    const op = 'diag_v2_grad';
    const x = one(ins, 'X', op);
    diagDims(x.dims, attrs.offset, op);
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', op).dtype)] };
  },
  grad(ctx) {
    return { 'Out@GRAD': [c.run1('diag_v2', { X: [ctx.outGrad('X@GRAD')] }, { offset: ctx.attrs.offset, padding_value: 0 })] };
  },
});

// ---- trace / trace_grad ---------------------------------------------------------------------
/** The two normalized axes of trace, checked. */
export function traceAxes(dims: readonly number[], attrs: Attrs, op: string): [number, number] {
  const r = dims.length;
  if (r < 2) opFail(op, `input must have rank >= 2, but got shape ${showShape(dims)}`);
  const a1 = axisOf(attrs.axis1, r, op, 'axis1');
  const a2 = axisOf(attrs.axis2, r, op, 'axis2');
  if (a1 === a2) opFail(op, `axis1 and axis2 must be different axes, but got axis1 = ${attrs.axis1}, axis2 = ${attrs.axis2}`);
  return [a1, a2];
}

defineOp({
  type: 'trace',
  inputs: ['Input'],
  outputs: ['Out'],
  attrs: { offset: int(0), axis1: int(0), axis2: int(1) },
  infer(ins, attrs) {
    const op = 'trace';
    const x = one(ins, 'Input', op);
    requireNum(x, op, 'Input', ['complex64', 'complex128']);
    const [a1, a2] = traceAxes(x.dims, attrs, op);
    const dims = x.dims.filter((_, i) => i !== a1 && i !== a2);
    return { Out: [meta(dims.length ? dims : [1], x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('Input')) return {};
    const ins = { Input: [ctx.input('Input')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { Input: [c.run1('trace_grad', ins, { ...ctx.attrs }, 'Input@GRAD')] };
  },
});

// trace_grad: zeros of Input's shape with Out@GRAD written along each diagonal.
defineOp({
  type: 'trace_grad',
  inputs: ['Input!', 'Out@GRAD'],
  outputs: ['Input@GRAD'],
  attrs: { offset: int(0), axis1: int(0), axis2: int(1) },
  infer(ins, attrs) {
    const op = 'trace_grad';
    const x = one(ins, 'Input', op);
    traceAxes(x.dims, attrs, op);
    return { 'Input@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', op).dtype)] };
  },
  grad(ctx) {
    return { 'Out@GRAD': [c.run1('trace', { Input: [ctx.outGrad('Input@GRAD')] }, { ...ctx.attrs })] };
  },
});

// ---- is_empty -------------------------------------------------------------------------------
defineOp({
  type: 'is_empty',
  inputs: ['X'],
  outputs: ['Out'],
  infer(ins) {
    one(ins, 'X', 'is_empty');
    return { Out: [meta([1], 'bool')] };
  },
});
