// Portable kernels of the matrix products (matmul_v2, matmul, mul, bmm, dot, mv). They all
// end in `gemm`: a packed, register-blocked GEMM (4x4 micro-tiles accumulated in doubles,
// A and B packed into contiguous panels), with direct loops for vectors and tiny sizes.
// float32 inputs accumulate in float64 and are rounded once when stored.
import { DType, isComplex, NumArray } from '../../core/dtype.js';
import { registerKernel } from '../../core/registry.js';
import { numel, stridesOf } from '../../core/shape.js';
import type { Meta, Tensor } from '../../core/tensor.js';
import { matView, mulShapes } from '../../ops/matmul.js';
import { nums, outNumbers, tensorOf } from './loops.js';

const MR = 4;
const NR = 4;
/** Rows of A packed at a time. */
const MC = 64;
/** Doubles of B packed at a time (K x NC); bounds NC for long K. */
const B_BUDGET = 1 << 19;

// Packing buffers, grown on demand and reused (kernels never run concurrently).
let packA = new Float64Array(0);
let packB = new Float64Array(0);
let edgeRow = new Float64Array(256);
const edge = new Float64Array(MR * NR);

/**
 * C[cOff + i*ldc + j] = alpha * sum_k A(i,k) * B(k,j) for i < M, j < N, where
 * A(i,k) = a[aOff + i*ars + k*acs] and B(k,j) = b[bOff + k*brs + j*bcs] (strides encode
 * transposes).
 */
export function gemm(
  M: number, N: number, K: number,
  a: NumArray, aOff: number, ars: number, acs: number,
  b: NumArray, bOff: number, brs: number, bcs: number,
  c: NumArray, cOff: number, ldc: number, alpha = 1,
): void {
  if (M === 0 || N === 0) return;
  if (K === 0) {
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) c[cOff + i * ldc + j] = 0;
    return;
  }
  if (N === 1) {
    // matrix-vector: one dot product per row
    for (let i = 0; i < M; i++) {
      let s = 0;
      let pa = aOff + i * ars;
      let pb = bOff;
      for (let k = 0; k < K; k++, pa += acs, pb += brs) s += a[pa] * b[pb];
      c[cOff + i * ldc] = alpha * s;
    }
    return;
  }
  if (M === 1 || M * N * K <= 4096) {
    smallGemm(M, N, K, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, alpha);
    return;
  }
  packedGemm(M, N, K, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, alpha);
}

/** Direct loops for vector-matrix products and tiny matrices. */
function smallGemm(
  M: number, N: number, K: number,
  a: NumArray, aOff: number, ars: number, acs: number,
  b: NumArray, bOff: number, brs: number, bcs: number,
  c: NumArray, cOff: number, ldc: number, alpha: number,
): void {
  if (bcs === 1) {
    // rows of B are contiguous: accumulate a(i,k) * B[k, :] into a double row
    const acc = N <= edgeRow.length ? edgeRow : (edgeRow = new Float64Array(N));
    for (let i = 0; i < M; i++) {
      acc.fill(0, 0, N);
      let pa = aOff + i * ars;
      for (let k = 0; k < K; k++, pa += acs) {
        const av = a[pa];
        const pb = bOff + k * brs;
        for (let j = 0; j < N; j++) acc[j] += av * b[pb + j];
      }
      const o = cOff + i * ldc;
      for (let j = 0; j < N; j++) c[o + j] = alpha * acc[j];
    }
    return;
  }
  for (let i = 0; i < M; i++) {
    const o = cOff + i * ldc;
    for (let j = 0; j < N; j++) {
      let s = 0;
      let pa = aOff + i * ars;
      let pb = bOff + j * bcs;
      for (let k = 0; k < K; k++, pa += acs, pb += brs) s += a[pa] * b[pb];
      c[o + j] = alpha * s;
    }
  }
}
function packedGemm(
  M: number, N: number, K: number,
  a: NumArray, aOff: number, ars: number, acs: number,
  b: NumArray, bOff: number, brs: number, bcs: number,
  c: NumArray, cOff: number, ldc: number, alpha: number,
): void {
  // Columns of B per block: all of N when K*N fits the budget.
  const nUp = Math.ceil(N / NR) * NR;
  const NC = Math.min(nUp, Math.max(NR, Math.floor(B_BUDGET / K / NR) * NR));
  if (packB.length < K * NC) packB = new Float64Array(K * NC);
  if (packA.length < K * MC) packA = new Float64Array(K * MC);
  const bp = packB;
  const ap = packA;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    const nPanels = Math.ceil(nc / NR);
    // pack B[:, jc:jc+nc] into panels of NR columns: bp[p*K*NR + k*NR + col]
    for (let p = 0; p < nPanels; p++) {
      const j0 = jc + p * NR;
      const w = Math.min(NR, N - j0);
      let dst = p * K * NR;
      if (w === NR) {
        let src = bOff + j0 * bcs;
        const b1 = bcs, b2 = 2 * bcs, b3 = 3 * bcs;
        for (let k = 0; k < K; k++, src += brs, dst += NR) {
          bp[dst] = b[src];
          bp[dst + 1] = b[src + b1];
          bp[dst + 2] = b[src + b2];
          bp[dst + 3] = b[src + b3];
        }
      } else {
        for (let k = 0; k < K; k++, dst += NR) {
          const src = bOff + k * brs + j0 * bcs;
          for (let q = 0; q < NR; q++) bp[dst + q] = q < w ? b[src + q * bcs] : 0;
        }
      }
    }
    for (let ic = 0; ic < M; ic += MC) {
      const mc = Math.min(MC, M - ic);
      const mPanels = Math.ceil(mc / MR);
      // pack A[ic:ic+mc, :] into panels of MR rows: ap[p*K*MR + k*MR + row]
      for (let p = 0; p < mPanels; p++) {
        const i0 = ic + p * MR;
        const h = Math.min(MR, M - i0);
        const base = p * K * MR;
        for (let r = 0; r < MR; r++) {
          let dst = base + r;
          if (r < h) {
            let src = aOff + (i0 + r) * ars;
            for (let k = 0; k < K; k++, src += acs, dst += MR) ap[dst] = a[src];
          } else {
            for (let k = 0; k < K; k++, dst += MR) ap[dst] = 0;
          }
        }
      }
      for (let pj = 0; pj < nPanels; pj++) {
        const j0 = jc + pj * NR;
        const w = Math.min(NR, N - j0);
        const bBase = pj * K * NR;
        for (let pi = 0; pi < mPanels; pi++) {
          const i0 = ic + pi * MR;
          const h = Math.min(MR, M - i0);
          let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
          let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
          let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
          let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
          let pa = pi * K * MR;
          let pb = bBase;
          const end = pa + K * MR;
          for (; pa < end; pa += MR, pb += NR) {
            const a0 = ap[pa], a1 = ap[pa + 1], a2 = ap[pa + 2], a3 = ap[pa + 3];
            const b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
          }
          let o = cOff + i0 * ldc + j0;
          if (h === MR && w === NR) {
            c[o] = alpha * c00; c[o + 1] = alpha * c01; c[o + 2] = alpha * c02; c[o + 3] = alpha * c03; o += ldc;
            c[o] = alpha * c10; c[o + 1] = alpha * c11; c[o + 2] = alpha * c12; c[o + 3] = alpha * c13; o += ldc;
            c[o] = alpha * c20; c[o + 1] = alpha * c21; c[o + 2] = alpha * c22; c[o + 3] = alpha * c23; o += ldc;
            c[o] = alpha * c30; c[o + 1] = alpha * c31; c[o + 2] = alpha * c32; c[o + 3] = alpha * c33;
          } else {
            const t = edge;
            t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
            t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
            t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
            t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
            for (let r = 0; r < h; r++, o += ldc) for (let q = 0; q < w; q++) c[o + q] = alpha * t[r * NR + q];
          }
        }
      }
    }
  }
}

/** Complex GEMM on interleaved (re, im) storage; plain loops. */
function complexGemm(
  M: number, N: number, K: number,
  a: NumArray, aOff: number, ars: number, acs: number,
  b: NumArray, bOff: number, brs: number, bcs: number,
  c: NumArray, cOff: number, ldc: number, alpha: number,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < K; k++) {
        const pa = 2 * (aOff + i * ars + k * acs);
        const pb = 2 * (bOff + k * brs + j * bcs);
        const ar = a[pa], ai = a[pa + 1], br = b[pb], bi = b[pb + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      const o = 2 * (cOff + i * ldc + j);
      c[o] = alpha * re;
      c[o + 1] = alpha * im;
    }
  }
}

/** One operand of a batched product: data, batch dims, matrix rows/cols as stored, transposed? */
interface Operand {
  data: NumArray;
  batch: number[];
  rows: number;
  cols: number;
  trans: boolean;
}

/**
 * Out[b] = alpha * op(X[b]) op(Y[b]) over broadcast batch dims `outBatch`, Out contiguous
 * [..outBatch, M, N].
 */
function batchedProduct(x: Operand, y: Operand, outBatch: number[], out: NumArray, alpha: number, complex: boolean): void {
  const M = x.trans ? x.cols : x.rows;
  const K = x.trans ? x.rows : x.cols;
  const N = y.trans ? y.rows : y.cols;
  const mm = complex ? complexGemm : gemm;
  const ars = x.trans ? 1 : x.cols;
  const acs = x.trans ? x.cols : 1;
  const brs = y.trans ? 1 : y.cols;
  const bcs = y.trans ? y.cols : 1;
  const nb = numel(outBatch);
  if (nb === 0) return;
  const xMat = x.rows * x.cols;
  const yMat = y.rows * y.cols;
  const xb = numel(x.batch);
  const yb = numel(y.batch);
  // Y shared by all batches and X not transposed: one GEMM with the batch folded into rows.
  if (yb === 1 && !x.trans && xb === nb) {
    mm(nb * M, N, K, x.data, 0, ars, acs, y.data, 0, brs, bcs, out, 0, N, alpha);
    return;
  }
  if (nb === 1) {
    mm(M, N, K, x.data, 0, ars, acs, y.data, 0, brs, bcs, out, 0, N, alpha);
    return;
  }
  // Broadcast batch strides (in matrices).
  const nd = outBatch.length;
  const sx = bstrides(x.batch, outBatch);
  const sy = bstrides(y.batch, outBatch);
  const idx = new Array<number>(nd).fill(0);
  let ox = 0;
  let oy = 0;
  for (let t = 0; t < nb; t++) {
    mm(M, N, K, x.data, ox * xMat, ars, acs, y.data, oy * yMat, brs, bcs, out, t * M * N, N, alpha);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      ox += sx[d];
      oy += sy[d];
      if (idx[d] < outBatch[d]) break;
      ox -= sx[d] * outBatch[d];
      oy -= sy[d] * outBatch[d];
      idx[d] = 0;
    }
  }
}

function bstrides(dims: readonly number[], outDims: readonly number[]): number[] {
  const nd = outDims.length;
  const lead = nd - dims.length;
  const st = stridesOf(dims);
  const s = new Array<number>(nd).fill(0);
  for (let i = 0; i < dims.length; i++) s[lead + i] = dims[i] === 1 && outDims[lead + i] !== 1 ? 0 : st[i];
  return s;
}

function result(o: Meta, res: NumArray): Tensor {
  return tensorOf(res, o.dims.slice(), o.dtype);
}

/** Numbers of a tensor for the product kernels (complex stays interleaved). */
const data = (t: Tensor): NumArray => nums(t);

const alloc = (d: DType, dims: readonly number[]): NumArray => outNumbers(d, dims);

registerKernel('matmul_v2', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const x1 = x.dims.length === 1;
  const y1 = y.dims.length === 1;
  const xd = x1 ? [1, x.dims[0]] : x.dims;
  const yd = y1 ? [y.dims[0], 1] : y.dims;
  const X: Operand = { data: data(x), batch: xd.slice(0, -2), rows: xd[xd.length - 2], cols: xd[xd.length - 1], trans: !x1 && !!attrs.trans_x };
  const Y: Operand = { data: data(y), batch: yd.slice(0, -2), rows: yd[yd.length - 2], cols: yd[yd.length - 1], trans: !y1 && !!attrs.trans_y };
  const res = alloc(o.dtype, o.dims);
  const nb = Math.max(X.batch.length, Y.batch.length);
  const outBatch = o.dims.slice(0, nb);
  batchedProduct(X, Y, outBatch, res, 1, isComplex(x.dtype));
  return { Out: [result(o, res)] };
});

registerKernel('matmul', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const vx = matView(x.dims, true);
  const vy = matView(y.dims, false);
  const batch = Math.max(vx.batch, vy.batch);
  const X: Operand = { data: data(x), batch: vx.batch ? [vx.batch] : [], rows: vx.rows, cols: vx.cols, trans: !!attrs.transpose_X };
  const Y: Operand = { data: data(y), batch: vy.batch ? [vy.batch] : [], rows: vy.rows, cols: vy.cols, trans: !!attrs.transpose_Y };
  const res = alloc(o.dtype, o.dims);
  batchedProduct(X, Y, batch ? [batch] : [], res, attrs.alpha as number, isComplex(x.dtype));
  return { Out: [result(o, res)] };
});

registerKernel('mul', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const s = mulShapes(x.dims, y.dims, attrs.x_num_col_dims, attrs.y_num_col_dims, 'mul');
  const res = alloc(o.dtype, o.dims);
  const X: Operand = { data: data(x), batch: [], rows: s.x2[0], cols: s.x2[1], trans: false };
  const Y: Operand = { data: data(y), batch: [], rows: s.y2[0], cols: s.y2[1], trans: false };
  batchedProduct(X, Y, [], res, 1, isComplex(x.dtype));
  return { Out: [result(o, res)] };
});

registerKernel('bmm', 'js', (ins, _attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const res = alloc(o.dtype, o.dims);
  const X: Operand = { data: data(x), batch: [x.dims[0]], rows: x.dims[1], cols: x.dims[2], trans: false };
  const Y: Operand = { data: data(y), batch: [y.dims[0]], rows: y.dims[1], cols: y.dims[2], trans: false };
  batchedProduct(X, Y, [o.dims[0]], res, 1, isComplex(x.dtype));
  return { Out: [result(o, res)] };
});

registerKernel('mv', 'js', (ins, _attrs, outs) => {
  const x = ins.X[0];
  const v = ins.Vec[0];
  const o = outs.Out[0];
  const res = alloc(o.dtype, o.dims);
  const X: Operand = { data: data(x), batch: [], rows: x.dims[0], cols: x.dims[1], trans: false };
  const V: Operand = { data: data(v), batch: [], rows: v.dims[0], cols: 1, trans: false };
  batchedProduct(X, V, [], res, 1, isComplex(x.dtype));
  return { Out: [result(o, res)] };
});

registerKernel('dot', 'js', (ins, _attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const a = data(x);
  const b = data(y);
  const K = x.dims[x.dims.length - 1];
  const rows = K === 0 ? numel(o.dims) : numel(x.dims) / K;
  const res = alloc(o.dtype, o.dims);
  if (isComplex(x.dtype)) {
    for (let r = 0; r < rows; r++) complexGemm(1, 1, K, a, r * K, K, 1, b, r * K, 1, 0, res, r, 1, 1);
  } else {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const p = r * K;
      for (let k = 0; k < K; k++) s += a[p + k] * b[p + k];
      res[r] = s;
    }
  }
  return { Out: [result(o, res)] };
});
