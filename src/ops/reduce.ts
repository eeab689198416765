// Reductions as in paddle/fluid/operators/reduce_ops: reduce_sum, reduce_mean, reduce_max,
// reduce_min, reduce_prod, reduce_all, reduce_any (X -> Out; attrs dim, keep_dim,
// reduce_all, in_dtype, out_dtype) and logsumexp (X -> Out; attrs axis, keepdim, reduce_all),
// with Paddle's dedicated *_grad operators for the broadcasting gradients.
import { DType, PROTO_DTYPE } from '../core/dtype.js';
import type { AttrSpec, GradContext, Slots } from '../core/registry.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, dtypeAttr, int, ints, one, opFail, out } from './util.js';

/** The reduced axes of X (sorted, normalized) and Out's shape, as Paddle's ReduceOp::InferShape. */
export interface ReducePlan {
  /** Sorted, non-negative, unique. Every axis when reducing all. */
  axes: number[];
  /** Out's shape. */
  outDims: number[];
  /** Out's shape with reduced dims kept as 1 (the shape gradients broadcast from). */
  keptDims: number[];
}

/** Checks `dim` against X's rank and computes the output shape. */
export function reducePlan(xDims: readonly number[], dim: readonly number[], keepDim: boolean, reduceAll: boolean, op: string): ReducePlan {
  const rank = xDims.length;
  if (!Array.isArray(dim) || (dim.length === 0 && !reduceAll)) opFail(op, `attribute dim must be a non-empty list of axes, but got [${dim}]`);
  const seen = new Set<number>();
  for (const d of dim) {
    if (!Number.isInteger(d) || d < -rank || d >= Math.max(rank, 1))
      opFail(op, `axis ${d} is out of range for a tensor of rank ${rank} (expected an integer in [${-rank}, ${rank - 1}])`);
    const a = d < 0 ? d + rank : d;
    if (seen.has(a)) opFail(op, `axis [${dim.join(', ')}] has a repeated axis ${a}`);
    seen.add(a);
  }
  const all = reduceAll || seen.size >= rank;
  const axes = all ? xDims.map((_, i) => i) : [...seen].sort((a, b) => a - b);
  const keptDims = xDims.map((s, i) => (axes.includes(i) ? 1 : s));
  let outDims: number[];
  if (keepDim) outDims = keptDims.slice();
  else {
    outDims = xDims.filter((_, i) => !axes.includes(i));
    if (outDims.length === 0) outDims = [1];
  }
  return { axes, outDims, keptDims };
}

const reduceAttrs = (): Record<string, AttrSpec> => ({
  dim: ints([0]),
  keep_dim: bool(false),
  reduce_all: bool(false),
  in_dtype: int(-1),
  out_dtype: int(-1),
});

/** Out's dtype: out_dtype when given, else X's. */
function outDtype(x: Meta, attrs: Record<string, unknown>, op: string): DType {
  return dtypeAttr(attrs.out_dtype, op, 'out_dtype') ?? x.dtype;
}

const NUMERIC: readonly DType[] = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64'];

function checkDtype(x: Meta, allowed: readonly DType[], op: string): void {
  if (!allowed.includes(x.dtype)) opFail(op, `input X has dtype ${x.dtype}, which ${op} does not support (supported: ${allowed.join(', ')})`);
}

function reduceInfer(op: string, allowed: readonly DType[], boolOut = false) {
  return (ins: Slots<Meta>, attrs: Record<string, any>): Slots<Meta> => {
    const x = one(ins, 'X', op);
    checkDtype(x, allowed, op);
    const plan = reducePlan(x.dims, attrs.dim, attrs.keep_dim, attrs.reduce_all, op);
    return out(plan.outDims, boolOut ? 'bool' : outDtype(x, attrs, op));
  };
}

/** The reduce attributes handed on to a grad operator (or to the double-grad forward op). */
const passAttrs = (a: Record<string, unknown>): Record<string, unknown> => ({
  dim: (a.dim as number[]).slice(),
  keep_dim: a.keep_dim,
  reduce_all: a.reduce_all,
  in_dtype: a.in_dtype,
  out_dtype: a.out_dtype,
});

/** reduce_sum with the given attributes. */
export const reduceSum = (x: Tensor, attrs: Record<string, unknown>): Tensor => c.run1('reduce_sum', { X: [x] }, attrs);
/** Broadcasts g (Out-shaped for `attrs`) back to x's shape and dtype: reduce_sum_grad. */
export const sumGrad = (x: Tensor, g: Tensor, attrs: Record<string, unknown>): Tensor =>
  c.run1('reduce_sum_grad', { X: [x], 'Out@GRAD': [g] }, passAttrs(attrs), 'X@GRAD');

/** Infers X@GRAD of a reduce grad op: X's shape and dtype (Out@GRAD must match Out's shape). */
function gradInfer(op: string) {
  return (ins: Slots<Meta>, attrs: Record<string, any>): Slots<Meta> => {
    const x = one(ins, 'X', op);
    const g = one(ins, 'Out@GRAD', op);
    const plan = reducePlan(x.dims, attrs.dim, attrs.keep_dim, attrs.reduce_all, op);
    const known = !plan.outDims.includes(-1) && !g.dims.includes(-1);
    const n = plan.outDims.reduce((a, b) => a * b, 1);
    const m = g.dims.reduce((a, b) => a * b, 1);
    if (known && n !== m)
      opFail(op, `Out@GRAD has shape [${g.dims}], which does not match the reduced shape [${plan.outDims}]`);
    return { 'X@GRAD': [{ dims: x.dims.slice(), dtype: x.dtype }] };
  };
}

// ---- reduce_sum ---------------------------------------------------------------------------
const SUM_DTYPES: readonly DType[] = [...NUMERIC, 'complex64', 'complex128'];

defineOp({
  type: 'reduce_sum',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: reduceAttrs(),
  infer: reduceInfer('reduce_sum', SUM_DTYPES),
  grad: (ctx) => ({ X: [sumGrad(ctx.input('X'), ctx.outGrad('Out'), ctx.attrs)] }),
});

// reduce_sum_grad: X@GRAD = Out@GRAD broadcast over the reduced axes (X only gives the shape).
defineOp({
  type: 'reduce_sum_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: reduceAttrs(),
  infer: gradInfer('reduce_sum_grad'),
  grad: (ctx) => {
    // The adjoint of broadcasting is summing; the result must have Out@GRAD's dtype.
    const g = ctx.outGrad('X@GRAD');
    const dout = ctx.input('Out@GRAD');
    const a = passAttrs(ctx.attrs);
    a.out_dtype = g.dtype === dout.dtype ? -1 : PROTO_DTYPE[dout.dtype];
    a.in_dtype = a.out_dtype === -1 ? -1 : PROTO_DTYPE[g.dtype];
    const s = reduceSum(g, a);
    return { 'Out@GRAD': [c.reshape(s, dout.dims.slice())] };
  },
});

// ---- reduce_mean --------------------------------------------------------------------------
defineOp({
  type: 'reduce_mean',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: reduceAttrs(),
  infer: reduceInfer('reduce_mean', ['float16', 'float32', 'float64', 'int32', 'int64', 'complex64', 'complex128']),
  grad: (ctx) => ({
    X: [c.run1('reduce_mean_grad', { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] }, passAttrs(ctx.attrs), 'X@GRAD')],
  }),
});

// reduce_mean_grad: X@GRAD = Out@GRAD broadcast, divided by the number of reduced elements.
defineOp({
  type: 'reduce_mean_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: reduceAttrs(),
  infer: gradInfer('reduce_mean_grad'),
  grad: (ctx) => {
    const dout = ctx.input('Out@GRAD');
    const a = passAttrs(ctx.attrs);
    a.out_dtype = -1;
    a.in_dtype = -1;
    const m = c.run1('reduce_mean', { X: [c.cast(ctx.outGrad('X@GRAD'), dout.dtype)] }, a);
    return { 'Out@GRAD': [c.reshape(m, dout.dims.slice())] };
  },
});

// ---- reduce_max / reduce_min --------------------------------------------------------------
// Paddle routes the gradient to every position equal to the extreme value (ties all get it).
// x >= max (x <= min) holds exactly at those positions, with no float tolerance.
function extremeGrad(ctx: GradContext, cmp: string): Record<string, Tensor[]> {
  const x = ctx.input('X');
  const o = ctx.output('Out');
  const g = ctx.outGrad('Out');
  const ob = sumGrad(x, o, ctx.attrs); // Out broadcast to X's shape
  const gb = sumGrad(x, g, ctx.attrs);
  return { X: [c.mul(gb, c.maskOf(cmp, x, ob, x.dtype))] };
}
const ORDERED: readonly DType[] = ['uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64'];
for (const type of ['reduce_max', 'reduce_min']) {
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out'],
    attrs: reduceAttrs(),
    infer: reduceInfer(type, ORDERED),
    grad: (ctx) => extremeGrad(ctx, type === 'reduce_max' ? 'greater_equal' : 'less_equal'),
  });
}

// ---- reduce_prod --------------------------------------------------------------------------
defineOp({
  type: 'reduce_prod',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: reduceAttrs(),
  infer: reduceInfer('reduce_prod', ORDERED),
  grad: (ctx) => ({
    X: [c.run1('reduce_prod_grad', { X: [ctx.input('X')], Out: [ctx.output('Out')], 'Out@GRAD': [ctx.outGrad('Out')] }, passAttrs(ctx.attrs), 'X@GRAD')],
  }),
});

// reduce_prod_grad: X@GRAD = Out@GRAD * (product of the other reduced elements), computed
// without dividing by zero (the kernel counts zeros per output).
defineOp({
  type: 'reduce_prod_grad',
  inputs: ['X', 'Out!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: reduceAttrs(),
  infer: gradInfer('reduce_prod_grad'),
  grad: (ctx) => {
    // dX_i = dOut * P_i with P_i = prod_{j != i} x_j (the kernel's value for dOut = 1).
    const x = ctx.input('X');
    const dout = ctx.input('Out@GRAD');
    const h = ctx.outGrad('X@GRAD');
    const res: Record<string, (Tensor | null)[]> = { X: [null], 'Out@GRAD': [null] };
    const a = ctx.attrs;
    const ones = c.fullLike(dout, 1);
    const p = c.run1('reduce_prod_grad', { X: [x], Out: [ctx.input('Out')], 'Out@GRAD': [ones] }, passAttrs(a), 'X@GRAD');
    if (ctx.needs('Out@GRAD')) res['Out@GRAD'] = [c.reshape(reduceSum(c.mul(h, p), passAttrs(a)), dout.dims.slice())];
    if (ctx.needs('X')) {
      // d/dx_k sum_i h_i dOut P_i = dOut * sum_{i != k} h_i P_i / x_k (assumes nonzero x here).
      const hp = c.mul(h, p);
      const s = sumGrad(x, reduceSum(hp, { ...passAttrs(a), keep_dim: true }), a);
      const gb = sumGrad(x, dout, a);
      res.X = [c.mul(gb, c.div(c.sub(s, hp), x))];
    }
    return res;
  },
});

// ---- reduce_all / reduce_any (bool -> bool, no gradient) ----------------------------------
for (const type of ['reduce_all', 'reduce_any']) {
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out'],
    attrs: reduceAttrs(),
    infer: reduceInfer(type, ['bool'], true),
  });
}

// ---- logsumexp ----------------------------------------------------------------------------
/** logsumexp's attributes as the reduce attrs the shared helpers read. */
export const lseAsReduce = (a: Record<string, unknown>): Record<string, unknown> => ({
  dim: (a.axis as number[]).length ? (a.axis as number[]).slice() : [0],
  keep_dim: a.keepdim,
  reduce_all: a.reduce_all || (a.axis as number[]).length === 0,
  in_dtype: -1,
  out_dtype: -1,
});

defineOp({
  type: 'logsumexp',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { axis: ints([0]), keepdim: bool(false), reduce_all: bool(false) },
  infer(ins, attrs) {
    const x = one(ins, 'X', 'logsumexp');
    checkDtype(x, ['float16', 'float32', 'float64'], 'logsumexp');
    const r = lseAsReduce(attrs);
    const plan = reducePlan(x.dims, r.dim as number[], attrs.keepdim, r.reduce_all as boolean, 'logsumexp');
    return out(plan.outDims, x.dtype);
  },
  grad: (ctx) => {
    // dX = dOut * exp(X - Out), with Out and dOut broadcast over the reduced axes.
    const x = ctx.input('X');
    const r = lseAsReduce(ctx.attrs);
    const ob = sumGrad(x, ctx.output('Out'), r);
    const gb = sumGrad(x, ctx.outGrad('Out'), r);
    return { X: [c.mul(gb, c.exp(c.sub(x, ob)))] };
  },
});

