// Matrix products: matmul_v2 (NumPy matmul semantics with batch broadcasting), the fluid
// matmul (v1: transpose_X/transpose_Y/alpha, batch equal or absent), mul (flattening by
// x_num_col_dims/y_num_col_dims), bmm, dot and mv. Every gradient is written with matmul_v2
// (plus reduce_sum for broadcast batch dims), so it differentiates again.
import { isComplex } from '../core/dtype.js';
import type { GradContext, GradResult } from '../core/registry.js';
import { numel, showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, float, floats, int, ints, one, opFail, out, str } from './util.js';

const known = (d: number): boolean => d >= 0;
const prod = (ds: readonly number[]): number => (ds.some((d) => d < 0) ? -1 : numel(ds));

function sameDtype(x: Meta, y: Meta, op: string, yName = 'Y'): void {
  if (x.dtype !== y.dtype) opFail(op, `X and ${yName} must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
}

/**
 * matmul_v2's output shape. 1-D operands are vectors (X a row, Y a column; their transpose
 * flags are ignored) whose matrix dimension is dropped from the result; batch dimensions
 * broadcast as NumPy's. Two vectors give shape [1] (Paddle 2.0 has no 0-D tensors).
 */
export function matmulV2Shape(xd: readonly number[], yd: readonly number[], tx: boolean, ty: boolean, op: string): number[] {
  const show = (): string =>
    `X of shape ${showShape(xd)} (transpose_x=${tx ? 'True' : 'False'}) and Y of shape ${showShape(yd)} (transpose_y=${ty ? 'True' : 'False'})`;
  if (xd.length === 0 || yd.length === 0) opFail(op, `X and Y must have at least 1 dimension, but got ${show()}`);
  const x1 = xd.length === 1;
  const y1 = yd.length === 1;
  const xm = x1 ? [1, xd[0]] : xd;
  const ym = y1 ? [yd[0], 1] : yd;
  const txe = tx && !x1;
  const tye = ty && !y1;
  const rx = xm.length;
  const ry = ym.length;
  const M = txe ? xm[rx - 1] : xm[rx - 2];
  const kx = txe ? xm[rx - 2] : xm[rx - 1];
  const ky = tye ? ym[ry - 1] : ym[ry - 2];
  const N = tye ? ym[ry - 2] : ym[ry - 1];
  if (known(kx) && known(ky) && kx !== ky)
    opFail(op, `the inner dimensions must match, but ${show()} give ${kx} vs ${ky}`);
  const bx = xm.slice(0, rx - 2);
  const by = ym.slice(0, ry - 2);
  const nb = Math.max(bx.length, by.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) {
    const a = i < nb - bx.length ? 1 : bx[i - (nb - bx.length)];
    const b = i < nb - by.length ? 1 : by[i - (nb - by.length)];
    if (a === b || b === 1) batch.push(a);
    else if (a === 1) batch.push(b);
    else if (a < 0 || b < 0) batch.push(a < 0 ? b : a);
    else opFail(op, `the batch dimensions cannot be broadcast together: ${show()} (batch dims ${showShape(bx)} vs ${showShape(by)})`);
  }
  const dims = batch;
  if (!x1) dims.push(M);
  if (!y1) dims.push(N);
  if (x1 && y1) dims.push(1);
  return dims;
}

/**
 * Gradients of Out = matmul(X, Y, tx, ty) for X, Y of rank >= 2 (batch dims broadcasting),
 * given dOut of the full output shape; each is summed back to its input's shape.
 */
export function matmulGrads(x: Tensor, y: Tensor, d: Tensor, tx: boolean, ty: boolean, needX: boolean, needY: boolean): [Tensor | null, Tensor | null] {
  const conj = (t: Tensor): Tensor => (isComplex(t.dtype) ? c.unary('conj', t) : t);
  const xc = needY ? conj(x) : x;
  const yc = needX ? conj(y) : y;
  let dx: Tensor | null = null;
  let dy: Tensor | null = null;
  if (needX) {
    if (!tx) dx = ty ? c.matmul(d, yc) : c.matmul(d, yc, false, true);
    else dx = ty ? c.matmul(yc, d, true, true) : c.matmul(yc, d, false, true);
    dx = reduceBatch(dx, x.dims);
  }
  if (needY) {
    const rx = x.dims.length;
    if (y.dims.length === 2 && rx > 2 && !tx && x.dims.every(known) && d.dims.every(known)) {
      // Y shared by every batch (a Linear weight): fold the batch into the rows, one GEMM.
      const K = x.dims[rx - 1];
      const x2 = c.reshape(xc, [numel(x.dims) / K, K]);
      const N = d.dims[d.dims.length - 1];
      const d2 = c.reshape(d, [numel(d.dims) / N, N]);
      dy = ty ? c.matmul(d2, x2, true, false) : c.matmul(x2, d2, true, false);
    } else {
      if (!ty) dy = tx ? c.matmul(xc, d) : c.matmul(xc, d, true, false);
      else dy = tx ? c.matmul(d, xc, true, true) : c.matmul(d, xc, true, false);
      dy = reduceBatch(dy, y.dims);
    }
  }
  return [dx, dy];
}

/** Sums a batch-broadcast gradient back to `dims` (same last two dims). */
function reduceBatch(g: Tensor, dims: number[]): Tensor {
  if (g.dims.length === dims.length && g.dims.every((s, i) => s === dims[i])) return g;
  return c.sumTo(g, dims, dims);
}

// ---------------------------------------------------------------------------------------
// matmul_v2

defineOp({
  type: 'matmul_v2',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  attrs: { trans_x: bool(false), trans_y: bool(false) },
  infer(ins, attrs) {
    const x = one(ins, 'X', 'matmul_v2');
    const y = one(ins, 'Y', 'matmul_v2');
    sameDtype(x, y, 'matmul_v2');
    if (x.dtype === 'bool') opFail('matmul_v2', `X and Y must be numeric tensors, but got ${x.dtype}`);
    return out(matmulV2Shape(x.dims, y.dims, attrs.trans_x, attrs.trans_y, 'matmul_v2'), x.dtype);
  },
  grad(ctx) {
    const x = ctx.input('X');
    const y = ctx.input('Y');
    const x1 = x.dims.length === 1;
    const y1 = y.dims.length === 1;
    const tx = !!ctx.attrs.trans_x && !x1;
    const ty = !!ctx.attrs.trans_y && !y1;
    const x2 = x1 ? c.reshape(x, [1, x.dims[0]]) : x;
    const y2 = y1 ? c.reshape(y, [y.dims[0], 1]) : y;
    let d = ctx.outGrad('Out');
    if (x1 || y1) {
      // restore the dropped vector dims: batch + [M, N]
      const full = d.dims.slice();
      if (x1 && y1) full.splice(0, full.length, 1, 1);
      else if (x1) full.splice(full.length - 1, 0, 1);
      else full.push(1);
      d = c.reshape(d, full);
    }
    const [dx, dy] = matmulGrads(x2, y2, d, tx, ty, ctx.needs('X'), ctx.needs('Y'));
    return {
      X: [dx && x1 ? c.reshape(dx, x.dims.slice()) : dx],
      Y: [dy && y1 ? c.reshape(dy, y.dims.slice()) : dy],
    };
  },
});

// ---------------------------------------------------------------------------------------
// matmul (v1)

/** v1's view of an operand: [batch?, rows, cols] before the transpose, as Paddle's MatDescriptor. */
export interface MatView {
  /** Batch size, 0 when the operand is a plain matrix. */
  batch: number;
  rows: number;
  cols: number;
}
export function matView(dims: readonly number[], isX: boolean): MatView {
  if (dims.length === 1) return isX ? { batch: 0, rows: 1, cols: dims[0] } : { batch: 0, rows: dims[0], cols: 1 };
  const r = dims.length;
  return { batch: r > 2 ? prod(dims.slice(0, r - 2)) : 0, rows: dims[r - 2], cols: dims[r - 1] };
}

/** Output shape of the v1 matmul (MatMulOp::InferShape). */
export function matmulV1Shape(xd: readonly number[], yd: readonly number[], tX: boolean, tY: boolean, op: string): number[] {
  const show = (): string =>
    `X of shape ${showShape(xd)} (transpose_X=${tX ? 'True' : 'False'}) and Y of shape ${showShape(yd)} (transpose_Y=${tY ? 'True' : 'False'})`;
  if (xd.length === 0 || yd.length === 0) opFail(op, `X and Y must have at least 1 dimension, but got ${show()}`);
  const vx = matView(xd, true);
  const vy = matView(yd, false);
  const M = tX ? vx.cols : vx.rows;
  const kx = tX ? vx.rows : vx.cols;
  const ky = tY ? vy.cols : vy.rows;
  const N = tY ? vy.rows : vy.cols;
  if (known(kx) && known(ky) && kx !== ky) opFail(op, `the inner dimensions must match, but ${show()} give ${kx} vs ${ky}`);
  if (vx.batch > 0 && vy.batch > 0 && vx.batch !== vy.batch)
    opFail(op, `the batch sizes of X and Y must be equal, or one of them a plain matrix, but got ${show()}`);
  let dims: number[];
  if (xd.length > 2) dims = [...xd.slice(0, xd.length - 2), M, N];
  else if (yd.length > 2) dims = [...yd.slice(0, yd.length - 2), M, N];
  else dims = [M, N];
  if (xd.length === 1 && dims[dims.length - 2] === 1) dims.splice(dims.length - 2, 1);
  if (yd.length === 1 && dims[dims.length - 1] === 1) dims.pop();
  if (dims.length === 0) dims = [1];
  return dims;
}

/** v1 operand reshaped to [batch, rows, cols] (or [rows, cols] when unbatched). */
function v1Canonical(t: Tensor, isX: boolean): Tensor {
  const v = matView(t.dims, isX);
  return c.reshape(t, v.batch > 0 ? [v.batch, v.rows, v.cols] : [v.rows, v.cols]);
}

defineOp({
  type: 'matmul',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  attrs: {
    transpose_X: bool(false),
    transpose_Y: bool(false),
    alpha: float(1),
    use_mkldnn: bool(false),
    fused_reshape_X: ints([]),
    fused_reshape_Y: ints([]),
    fused_transpose_X: ints([]),
    fused_transpose_Y: ints([]),
    fused_reshape_Out: ints([]),
    fused_transpose_Out: ints([]),
    use_quantizer: bool(false),
    mkldnn_data_type: str('float32'),
    Scale_x: float(1),
    Scale_y: float(1),
    Scale_out: float(1),
    force_fp32_output: bool(false),
    head_number: int(1),
  },
  infer(ins, attrs) {
    const x = one(ins, 'X', 'matmul');
    const y = one(ins, 'Y', 'matmul');
    sameDtype(x, y, 'matmul');
    if (x.dtype === 'bool') opFail('matmul', `X and Y must be numeric tensors, but got ${x.dtype}`);
    for (const k of ['fused_reshape_X', 'fused_reshape_Y', 'fused_transpose_X', 'fused_transpose_Y', 'fused_reshape_Out', 'fused_transpose_Out'])
      if ((attrs[k] as number[]).length) opFail('matmul', `attribute ${k} is only supported by the MKL-DNN kernel`);
    return out(matmulV1Shape(x.dims, y.dims, attrs.transpose_X, attrs.transpose_Y, 'matmul'), x.dtype);
  },
  grad(ctx) {
    const x = ctx.input('X');
    const y = ctx.input('Y');
    const tX = !!ctx.attrs.transpose_X;
    const tY = !!ctx.attrs.transpose_Y;
    const alpha = ctx.attrs.alpha as number;
    const x3 = v1Canonical(x, true);
    const y3 = v1Canonical(y, false);
    const vx = matView(x.dims, true);
    const vy = matView(y.dims, false);
    const batch = Math.max(vx.batch, vy.batch);
    const M = tX ? vx.cols : vx.rows;
    const N = tY ? vy.rows : vy.cols;
    let d = ctx.outGrad('Out');
    d = c.reshape(d, batch > 0 ? [batch, M, N] : [M, N]);
    if (alpha !== 1) d = c.scale(d, alpha);
    const [dx, dy] = matmulGrads(x3, y3, d, tX, tY, ctx.needs('X'), ctx.needs('Y'));
    return { X: [dx && c.reshape(dx, x.dims.slice())], Y: [dy && c.reshape(dy, y.dims.slice())] };
  },
});

// ---------------------------------------------------------------------------------------
// mul: X flattened to [prod(x[:xn]), prod(x[xn:])], Y to [prod(y[:yn]), prod(y[yn:])].

export function mulShapes(xd: readonly number[], yd: readonly number[], xn: number, yn: number, op: string): { x2: number[]; y2: number[]; out: number[] } {
  if (!Number.isInteger(xn) || xn < 1) opFail(op, `attribute x_num_col_dims must be >= 1, but got ${xn}`);
  if (!Number.isInteger(yn) || yn < 1) opFail(op, `attribute y_num_col_dims must be >= 1, but got ${yn}`);
  if (xd.length <= xn) opFail(op, `X's rank must be larger than x_num_col_dims=${xn}, but X has shape ${showShape(xd)}`);
  if (yd.length <= yn) opFail(op, `Y's rank must be larger than y_num_col_dims=${yn}, but Y has shape ${showShape(yd)}`);
  const x2 = [prod(xd.slice(0, xn)), prod(xd.slice(xn))];
  const y2 = [prod(yd.slice(0, yn)), prod(yd.slice(yn))];
  if (known(x2[1]) && known(y2[0]) && x2[1] !== y2[0])
    opFail(op, `X of shape ${showShape(xd)} flattened to ${showShape(x2)} (x_num_col_dims=${xn}) and Y of shape ${showShape(yd)} flattened to ${showShape(y2)} (y_num_col_dims=${yn}) do not match: ${x2[1]} vs ${y2[0]}`);
  return { x2, y2, out: [...xd.slice(0, xn), ...yd.slice(yn)] };
}

defineOp({
  type: 'mul',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  attrs: {
    use_mkldnn: bool(false),
    x_num_col_dims: int(1),
    y_num_col_dims: int(1),
    scale_x: float(1),
    scale_y: floats([1]),
    scale_out: float(1),
    force_fp32_output: bool(false),
  },
  infer(ins, attrs) {
    const x = one(ins, 'X', 'mul');
    const y = one(ins, 'Y', 'mul');
    sameDtype(x, y, 'mul');
    if (x.dtype === 'bool') opFail('mul', `X and Y must be numeric tensors, but got ${x.dtype}`);
    return out(mulShapes(x.dims, y.dims, attrs.x_num_col_dims, attrs.y_num_col_dims, 'mul').out, x.dtype);
  },
  grad(ctx) {
    const x = ctx.input('X');
    const y = ctx.input('Y');
    const s = mulShapes(x.dims, y.dims, ctx.attrs.x_num_col_dims, ctx.attrs.y_num_col_dims, 'mul');
    const d = c.reshape(ctx.outGrad('Out'), [s.x2[0], s.y2[1]]);
    const [dx, dy] = matmulGrads(c.reshape(x, s.x2), c.reshape(y, s.y2), d, false, false, ctx.needs('X'), ctx.needs('Y'));
    return { X: [dx && c.reshape(dx, x.dims.slice())], Y: [dy && c.reshape(dy, y.dims.slice())] };
  },
});

// ---------------------------------------------------------------------------------------
// bmm: [B, M, K] x [B, K, N] -> [B, M, N], no broadcasting.

defineOp({
  type: 'bmm',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  infer(ins) {
    const x = one(ins, 'X', 'bmm');
    const y = one(ins, 'Y', 'bmm');
    sameDtype(x, y, 'bmm');
    const xd = x.dims;
    const yd = y.dims;
    if (xd.length !== 3 || yd.length !== 3)
      opFail('bmm', `X and Y must be 3-dimensional, but got X of shape ${showShape(xd)} and Y of shape ${showShape(yd)}`);
    if (known(xd[0]) && known(yd[0]) && xd[0] !== yd[0])
      opFail('bmm', `X and Y must have the same batch size, but got X of shape ${showShape(xd)} and Y of shape ${showShape(yd)}`);
    if (known(xd[2]) && known(yd[1]) && xd[2] !== yd[1])
      opFail('bmm', `X's width must equal Y's height, but got X of shape ${showShape(xd)} and Y of shape ${showShape(yd)}`);
    return out([known(xd[0]) ? xd[0] : yd[0], xd[1], yd[2]], x.dtype);
  },
  grad(ctx) {
    const [dx, dy] = matmulGrads(ctx.input('X'), ctx.input('Y'), ctx.outGrad('Out'), false, false, ctx.needs('X'), ctx.needs('Y'));
    return { X: [dx], Y: [dy] };
  },
});

// ---------------------------------------------------------------------------------------
// dot: 1-D x 1-D -> [1]; 2-D x 2-D -> row-wise products [N, 1].

defineOp({
  type: 'dot',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  infer(ins) {
    const x = one(ins, 'X', 'dot');
    const y = one(ins, 'Y', 'dot');
    sameDtype(x, y, 'dot');
    if (x.dims.length !== 1 && x.dims.length !== 2) opFail('dot', `X must be 1-D or 2-D, but got shape ${showShape(x.dims)}`);
    if (x.dims.length !== y.dims.length || x.dims.some((s, i) => known(s) && known(y.dims[i]) && s !== y.dims[i]))
      opFail('dot', `X and Y must have the same shape, but got X of shape ${showShape(x.dims)} and Y of shape ${showShape(y.dims)}`);
    const dims = x.dims.slice();
    dims[dims.length - 1] = 1;
    return out(dims, x.dtype);
  },
  grad(ctx): GradResult {
    const d = ctx.outGrad('Out');
    const conj = (t: Tensor): Tensor => (isComplex(t.dtype) ? c.unary('conj', t) : t);
    return {
      X: [ctx.needs('X') ? c.mul(d, conj(ctx.input('Y'))) : null],
      Y: [ctx.needs('Y') ? c.mul(d, conj(ctx.input('X'))) : null],
    };
  },
});

// ---------------------------------------------------------------------------------------
// mv: [M, N] x [N] -> [M].

defineOp({
  type: 'mv',
  inputs: ['X', 'Vec'],
  outputs: ['Out'],
  infer(ins) {
    const x = one(ins, 'X', 'mv');
    const v = one(ins, 'Vec', 'mv');
    sameDtype(x, v, 'mv', 'Vec');
    if (x.dims.length !== 2) opFail('mv', `X must be 2-D, but got shape ${showShape(x.dims)}`);
    if (v.dims.length !== 1) opFail('mv', `Vec must be 1-D, but got shape ${showShape(v.dims)}`);
    if (known(x.dims[1]) && known(v.dims[0]) && x.dims[1] !== v.dims[0])
      opFail('mv', `X's second dimension must equal Vec's length, but got X of shape ${showShape(x.dims)} and Vec of shape ${showShape(v.dims)}`);
    return out([x.dims[0]], x.dtype);
  },
  grad(ctx: GradContext): GradResult {
    const x = ctx.input('X');
    const v = ctx.input('Vec');
    const d = ctx.outGrad('Out');
    return {
      X: [ctx.needs('X') ? c.matmul(c.reshape(d, [d.dims[0], 1]), c.reshape(v, [1, v.dims[0]])) : null],
      Vec: [ctx.needs('Vec') ? c.matmul(x, d, true, false) : null],
    };
  },
});
