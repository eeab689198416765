// Linear algebra beyond matmul, as Paddle 2.0's operators: cross, p_norm, frobenius_norm,
// dist, cholesky, inverse and addmm. Every gradient is written with other operators
// (matmul_v2, reduce_sum_grad, abs, pow, sign...), so it differentiates again and builds
// programs; cholesky's and inverse's are the closed forms Paddle's grad kernels compute.
import { DType } from '../core/dtype.js';
import type { Attrs, GradContext } from '../core/registry.js';
import { broadcastShapes, showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import { apiName } from '../core/args.js';
import * as c from './calls.js';
import { reducePlan, sumGrad } from './reduce.js';
import { bool, defineOp, float, int, ints, one, opFail, out } from './util.js';

const FLOAT_DTYPES: readonly DType[] = ['float32', 'float64'];
const known = (d: number): boolean => d >= 0;

function checkDtype(op: string, m: Meta, allowed: readonly DType[], slot = 'X'): void {
  if (!allowed.includes(m.dtype)) opFail(op, `input ${slot} must have dtype ${allowed.join(' or ')}, but got ${m.dtype}`);
}
function sameDtype(op: string, a: Meta, b: Meta, an = 'X', bn = 'Y'): void {
  if (a.dtype !== b.dtype) opFail(op, `${an} and ${bn} must have the same dtype, but got ${a.dtype} and ${b.dtype}`);
}

// ---------------------------------------------------------------------------------------
// cross: Out = X x Y along `dim` (size 3). dim = 9 (Paddle's kDefaultDim, DDim::kMaxRank)
// means the first dimension of size 3.

/** cross's `dim` attribute default: "not given". */
export const CROSS_DEFAULT_DIM = 9;

/** The axis cross works along, normalized; checks it against X's shape. -1 if not yet known. */
export function crossAxis(dims: readonly number[], dim: number, op = 'cross'): number {
  const r = dims.length;
  if (dim === CROSS_DEFAULT_DIM) {
    const i = dims.indexOf(3);
    if (i >= 0) return i;
    if (dims.some((d) => !known(d))) return -1;
    return opFail(op, `no dimension of X/Y has size 3, so axis=None cannot pick one; X and Y have shape ${showShape(dims)}`);
  }
  if (!Number.isInteger(dim) || dim < -r || dim >= r)
    opFail(op, `axis ${dim} is out of range for inputs of rank ${r} (expected an integer in [${-r}, ${r - 1}])`);
  const a = dim < 0 ? dim + r : dim;
  if (known(dims[a]) && dims[a] !== 3) opFail(op, `dimension ${a} of X/Y must have size 3 for a cross product, but X and Y have shape ${showShape(dims)}`);
  return a;
}

const crossCall = (x: Tensor, y: Tensor, dim: number): Tensor => c.run1('cross', { X: [x], Y: [y] }, { dim });

defineOp({
  type: 'cross',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  attrs: { dim: int(CROSS_DEFAULT_DIM) },
  infer(ins, attrs) {
    const op = 'cross';
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    sameDtype(op, x, y);
    checkDtype(op, x, ['float32', 'float64', 'int32', 'int64']);
    if (x.dims.length !== y.dims.length || x.dims.some((d, i) => known(d) && known(y.dims[i]) && d !== y.dims[i]))
      opFail(op, `X and Y must have the same shape, but got X of shape ${showShape(x.dims)} and Y of shape ${showShape(y.dims)}`);
    const dims = x.dims.map((d, i) => (known(d) ? d : y.dims[i]));
    crossAxis(dims, attrs.dim);
    return out(dims, x.dtype);
  },
  // d(x × y) = dx × y + x × dy, so dX = y × dOut and dY = dOut × x (Paddle's cross_grad).
  grad(ctx) {
    const d = ctx.outGrad('Out');
    const dim = ctx.attrs.dim as number;
    return {
      X: [ctx.needs('X') ? crossCall(ctx.input('Y'), d, dim) : null],
      Y: [ctx.needs('Y') ? crossCall(d, ctx.input('X'), dim) : null],
    };
  },
});

// ---------------------------------------------------------------------------------------
// p_norm: the vector p-norm of X along `axis` (or of all of X when asvector).

/** p_norm's output shape (PnormOp::InferShape). */
export function pNormShape(xDims: readonly number[], axis: number, keepdim: boolean, asvector: boolean, op = 'p_norm'): number[] {
  const r = xDims.length;
  if (!Number.isInteger(axis) || axis < -r || axis >= r)
    opFail(op, `axis ${axis} is out of range for a tensor of rank ${r} (expected an integer in [${-r}, ${r - 1}])`);
  const a = axis < 0 ? axis + r : axis;
  if (asvector) return keepdim ? new Array<number>(r).fill(1) : [1];
  if (keepdim) return xDims.map((d, i) => (i === a ? 1 : d));
  const rest = xDims.filter((_, i) => i !== a);
  return rest.length ? rest : [1];
}

/** The reduce attributes that describe p_norm's reduction (to broadcast Out back with reduce_sum_grad). */
function pNormAsReduce(x: Tensor, attrs: Attrs): Attrs {
  const r = x.dims.length;
  const a = (attrs.axis as number) < 0 ? (attrs.axis as number) + r : (attrs.axis as number);
  return { dim: [a], keep_dim: !!attrs.keepdim, reduce_all: !!attrs.asvector, in_dtype: -1, out_dtype: -1 };
}

const absOf = (x: Tensor): Tensor => c.unary('abs', x);
const powOf = (x: Tensor, factor: number): Tensor => c.unary('pow', x, { factor });

/**
 * The gradient of a p-norm N = (sum |z|^p)^(1/p) (or max/min |z|, or the nonzero count) with
 * N and dN already broadcast to z's shape: Paddle's PnormGradKernel / DistGradFunction.
 */
function pNormGradOf(z: Tensor, n: Tensor, dn: Tensor, p: number, eps: number | null): Tensor {
  if (p === 0) return c.zerosLike(z);
  if (p === Infinity || p === -Infinity) {
    const hit = c.maskOf('equal', absOf(z), n, z.dtype);
    return c.mul(c.mul(hit, c.sign(z)), dn);
  }
  let ratio: Tensor;
  if (eps === null) {
    // dist: (|z| / N)^(p-1)
    ratio = powOf(c.div(absOf(z), n), p - 1);
  } else {
    // p_norm: |z|^(p-1) / (N^(p-1) + eps)
    ratio = c.div(powOf(absOf(z), p - 1), c.scale(powOf(n, p - 1), 1, eps));
  }
  return c.mul(c.mul(ratio, dn), c.sign(z));
}

defineOp({
  type: 'p_norm',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { porder: float(2), axis: int(-1), epsilon: float(1e-12), keepdim: bool(false), asvector: bool(false) },
  infer(ins, attrs) {
    const op = 'p_norm';
    const x = one(ins, 'X', op);
    checkDtype(op, x, FLOAT_DTYPES);
    if (typeof attrs.porder !== 'number' || Number.isNaN(attrs.porder)) opFail(op, `attribute porder must be a number, but got ${String(attrs.porder)}`);
    return out(pNormShape(x.dims, attrs.axis, attrs.keepdim, attrs.asvector, op), x.dtype);
  },
  grad(ctx) {
    const x = ctx.input('X');
    const ra = pNormAsReduce(x, ctx.attrs);
    const n = sumGrad(x, ctx.output('Out'), ra);
    const dn = sumGrad(x, ctx.outGrad('Out'), ra);
    return { X: [pNormGradOf(x, n, dn, ctx.attrs.porder as number, ctx.attrs.epsilon as number)] };
  },
});

// ---------------------------------------------------------------------------------------
// frobenius_norm: sqrt(sum(x^2)) over `dim` (a reduce op with reduce_sum's attributes).

const reduceAttrs = () => ({
  dim: ints([0]),
  keep_dim: bool(false),
  reduce_all: bool(false),
  in_dtype: int(-1),
  out_dtype: int(-1),
});

defineOp({
  type: 'frobenius_norm',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: reduceAttrs(),
  infer(ins, attrs) {
    const op = 'frobenius_norm';
    const x = one(ins, 'X', op);
    checkDtype(op, x, FLOAT_DTYPES);
    return out(reducePlan(x.dims, attrs.dim, attrs.keep_dim, attrs.reduce_all, op).outDims, x.dtype);
  },
  // dX = X / (Out + 1e-12) * dOut, Out and dOut broadcast back over the reduced axes.
  grad(ctx) {
    const x = ctx.input('X');
    const g = c.div(ctx.outGrad('Out'), c.scale(ctx.output('Out'), 1, 1e-12));
    return { X: [c.mul(x, sumGrad(x, g, ctx.attrs))] };
  },
});

// ---------------------------------------------------------------------------------------
// dist: the p-norm of X - Y (broadcast), shape [1].

defineOp({
  type: 'dist',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  attrs: { p: float(2) },
  infer(ins, attrs) {
    const op = 'dist';
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    checkDtype(op, x, FLOAT_DTYPES);
    sameDtype(op, x, y);
    if (typeof attrs.p !== 'number' || Number.isNaN(attrs.p)) opFail(op, `attribute p must be a number, but got ${String(attrs.p)}`);
    broadcastShapes(x.dims, y.dims, apiName(op));
    return out([1], x.dtype);
  },
  grad(ctx) {
    const x = ctx.input('X');
    const y = ctx.input('Y');
    const z = c.sub(x, y);
    const dz = pNormGradOf(z, ctx.output('Out'), ctx.outGrad('Out'), ctx.attrs.p as number, null);
    return {
      X: [ctx.needs('X') ? c.sumTo(dz, x.dims, x.dims.slice()) : null],
      Y: [ctx.needs('Y') ? c.neg(c.sumTo(dz, y.dims, y.dims.slice())) : null],
    };
  },
});

// ---------------------------------------------------------------------------------------
// cholesky and inverse: batches of square matrices in the last two dimensions.

function squareInfer(op: string, m: Meta, slot: string): void {
  checkDtype(op, m, FLOAT_DTYPES, slot);
  const r = m.dims.length;
  if (r < 2) opFail(op, `input ${slot} must have at least 2 dimensions (a matrix or a batch of matrices), but got shape ${showShape(m.dims)}`);
  const a = m.dims[r - 2];
  const b = m.dims[r - 1];
  if (known(a) && known(b) && a !== b) opFail(op, `the last two dimensions of ${slot} must be equal (square matrices), but got shape ${showShape(m.dims)}`);
}

/** Swaps the last two dimensions. */
function transposeLast(t: Tensor): Tensor {
  const r = t.dims.length;
  const perm = t.dims.map((_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return c.transpose(t, perm);
}

/**
 * The [m, m] mask of Murray's Phi: 1 below the diagonal, 0.5 on it, 0 above (as float32
 * constants through assign_value, so static programs hold it too), cast to `dtype`.
 */
function phiMask(m: number, dtype: DType): Tensor {
  const vals = new Array<number>(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) vals[i * m + j] = j < i ? 1 : j === i ? 0.5 : 0;
  const mask = c.run1('assign_value', {}, { shape: [m, m], dtype: 5, fp32_values: vals });
  return c.cast(mask, dtype);
}

defineOp({
  type: 'cholesky',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { upper: bool(false) },
  infer(ins) {
    const x = one(ins, 'X', 'cholesky');
    squareInfer('cholesky', x, 'X');
    return out(x.dims.slice(), x.dtype);
  },
  // Iain Murray (2016), arXiv 1602.07527, as Paddle's CholeskyGradKernel:
  // phi = Phi(L^T dL); dA = L^-T phi L^-1, symmetrized.
  grad(ctx: GradContext) {
    const upper = !!ctx.attrs.upper;
    let l = ctx.output('Out');
    let gl = ctx.outGrad('Out');
    if (upper) {
      l = transposeLast(l);
      gl = transposeLast(gl);
    }
    const m = l.dims[l.dims.length - 1];
    const phi = c.mul(c.matmul(l, gl, true, false), phiMask(m, l.dtype));
    const linv = c.run1('inverse', { Input: [l] }, {}, 'Output');
    const ga = c.matmul(c.matmul(linv, phi, true, false), linv);
    return { X: [c.scale(c.add(ga, transposeLast(ga)), 0.5)] };
  },
});

defineOp({
  type: 'inverse',
  inputs: ['Input'],
  outputs: ['Output'],
  infer(ins) {
    const x = one(ins, 'Input', 'inverse');
    squareInfer('inverse', x, 'Input');
    return out(x.dims.slice(), x.dtype, 'Output');
  },
  // dA = -A^-T dOut A^-T (Paddle's InverseGradKernel).
  grad(ctx) {
    const inv = ctx.output('Output');
    const t = c.matmul(ctx.outGrad('Output'), inv, false, true);
    return { Input: [c.neg(c.matmul(inv, t, true, false))] };
  },
});

// ---------------------------------------------------------------------------------------
// addmm: Out = Alpha * X @ Y + Beta * Input, Input broadcast to [M, N].

/** addmm's output shape, with Paddle's checks (AddMMOp::InferShape and AddMMKernel). */
export function addmmShape(inDims: readonly number[], xDims: readonly number[], yDims: readonly number[], op = 'addmm'): number[] {
  const show = (): string => `Input of shape ${showShape(inDims)}, X of shape ${showShape(xDims)} and Y of shape ${showShape(yDims)}`;
  if (inDims.length !== 2 || xDims.length !== 2 || yDims.length !== 2) opFail(op, `Input, X and Y must all be 2-D, but got ${show()}`);
  const [m, k] = xDims;
  const [k2, n] = yDims;
  if (known(k) && known(k2) && k !== k2) opFail(op, `X's width must equal Y's height, but got ${show()}`);
  const fits = (d: number, want: number): boolean => !known(d) || !known(want) || d === want || d === 1;
  if (!fits(inDims[0], m) || !fits(inDims[1], n)) opFail(op, `Input must broadcast to the product's shape [${m}, ${n}] (each dimension equal or 1), but got ${show()}`);
  return [m, n];
}

defineOp({
  type: 'addmm',
  inputs: ['Input', 'X', 'Y'],
  outputs: ['Out'],
  attrs: { use_mkldnn: bool(false), Alpha: float(1), Beta: float(1) },
  infer(ins, attrs) {
    const op = 'addmm';
    const inp = one(ins, 'Input', op);
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    checkDtype(op, x, FLOAT_DTYPES);
    sameDtype(op, x, y);
    sameDtype(op, inp, x, 'Input', 'X');
    for (const k of ['Alpha', 'Beta']) if (typeof attrs[k] !== 'number') opFail(op, `attribute ${k} must be a number, but got ${String(attrs[k])}`);
    return out(addmmShape(inp.dims, x.dims, y.dims, op), x.dtype);
  },
  grad(ctx) {
    const d = ctx.outGrad('Out');
    const alpha = ctx.attrs.Alpha as number;
    const beta = ctx.attrs.Beta as number;
    const inp = ctx.input('Input');
    const scaled = (t: Tensor, s: number): Tensor => (s === 1 ? t : c.scale(t, s));
    return {
      Input: [ctx.needs('Input') ? scaled(c.sumTo(d, inp.dims, inp.dims.slice()), beta) : null],
      X: [ctx.needs('X') ? scaled(c.matmul(d, ctx.input('Y'), false, true), alpha) : null],
      Y: [ctx.needs('Y') ? scaled(c.matmul(ctx.input('X'), d, true, false), alpha) : null],
    };
  },
});

