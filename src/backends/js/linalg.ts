// Portable kernels of the linear-algebra operators (src/ops/linalg.ts): cross, p_norm,
// frobenius_norm, dist, cholesky, inverse, addmm. Matrix factorizations compute in float64
// and round to the tensor's dtype when stored.
import { NumArray } from '../../core/dtype.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { broadcastShapes, numel } from '../../core/shape.js';
import { Meta, Tensor } from '../../core/tensor.js';
import { addmmShape, crossAxis, pNormShape } from '../../ops/linalg.js';
import { reducePlan } from '../../ops/reduce.js';
import { opFail } from '../../ops/util.js';
import { binaryLoop, nums, outNumbers, tensorOf } from './loops.js';
import { gemm } from './matmul.js';
import { reduceNumbers } from './reduce.js';

const result = (res: NumArray, o: Meta): Slots<Tensor> => ({ Out: [tensorOf(res, o.dims.slice(), o.dtype)] });

// ---- cross ------------------------------------------------------------------------------
registerKernel('cross', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const dims = x.dims;
  const axis = crossAxis(dims, attrs.dim);
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= dims[i];
  let slice = 1;
  for (let i = axis + 1; i < dims.length; i++) slice *= dims[i];
  const a = nums(x);
  const b = nums(y);
  const res = outNumbers(o.dtype, o.dims);
  for (let i = 0; i < outer; i++) {
    const p0 = 3 * i * slice;
    const p1 = p0 + slice;
    const p2 = p1 + slice;
    for (let k = 0; k < slice; k++) {
      const a0 = a[p0 + k], a1 = a[p1 + k], a2 = a[p2 + k];
      const b0 = b[p0 + k], b1 = b[p1 + k], b2 = b[p2 + k];
      res[p0 + k] = a1 * b2 - a2 * b1;
      res[p1 + k] = a2 * b0 - a0 * b2;
      res[p2 + k] = a0 * b1 - a1 * b0;
    }
  }
  return result(res, o);
});

// ---- p-norms ----------------------------------------------------------------------------

/**
 * res[i*post + k] = the p-norm of a[i*n*post + j*post + k] over j: the nonzero count for
 * p = 0, max/min |a| for +-inf, (sum |a|^p)^(1/p) otherwise. NaN propagates.
 */
function pNormLoop(a: NumArray, pre: number, n: number, post: number, p: number, res: NumArray): void {
  const acc = new Float64Array(post);
  const init = p === Infinity ? -Infinity : p === -Infinity ? Infinity : 0;
  for (let i = 0; i < pre; i++) {
    acc.fill(init);
    const base = i * n * post;
    if (p === 0) {
      for (let j = 0; j < n; j++) for (let k = 0, q = base + j * post; k < post; k++, q++) if (a[q] !== 0) acc[k] += 1;
    } else if (p === Infinity) {
      for (let j = 0; j < n; j++)
        for (let k = 0, q = base + j * post; k < post; k++, q++) {
          const v = Math.abs(a[q]);
          if (v > acc[k] || v !== v) acc[k] = v;
        }
    } else if (p === -Infinity) {
      for (let j = 0; j < n; j++)
        for (let k = 0, q = base + j * post; k < post; k++, q++) {
          const v = Math.abs(a[q]);
          if (v < acc[k] || v !== v) acc[k] = v;
        }
    } else if (p === 1) {
      for (let j = 0; j < n; j++) for (let k = 0, q = base + j * post; k < post; k++, q++) acc[k] += Math.abs(a[q]);
    } else if (p === 2) {
      for (let j = 0; j < n; j++)
        for (let k = 0, q = base + j * post; k < post; k++, q++) {
          const v = a[q];
          acc[k] += v * v;
        }
      for (let k = 0; k < post; k++) acc[k] = Math.sqrt(acc[k]);
    } else {
      for (let j = 0; j < n; j++) for (let k = 0, q = base + j * post; k < post; k++, q++) acc[k] += Math.pow(Math.abs(a[q]), p);
      const inv = 1 / p;
      for (let k = 0; k < post; k++) acc[k] = Math.pow(acc[k], inv);
    }
    const ob = i * post;
    for (let k = 0; k < post; k++) res[ob + k] = acc[k];
  }
}

registerKernel('p_norm', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  const dims = x.dims;
  pNormShape(dims, attrs.axis, attrs.keepdim, attrs.asvector);
  const axis = attrs.axis < 0 ? attrs.axis + dims.length : attrs.axis;
  let pre = 1;
  let post = 1;
  let n = numel(dims);
  if (!attrs.asvector) {
    n = dims[axis];
    for (let i = 0; i < axis; i++) pre *= dims[i];
    for (let i = axis + 1; i < dims.length; i++) post *= dims[i];
  }
  const res = outNumbers(o.dtype, o.dims);
  pNormLoop(nums(x), pre, n, post, attrs.porder, res);
  return result(res, o);
});

registerKernel('frobenius_norm', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  const plan = reducePlan(x.dims, attrs.dim, attrs.keep_dim, attrs.reduce_all, 'frobenius_norm');
  const a = nums(x);
  const sq = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) sq[i] = a[i] * a[i];
  const { acc } = reduceNumbers(new Tensor(sq, x.dims, 'float64'), plan.axes, 'sum');
  const res = outNumbers(o.dtype, o.dims);
  for (let i = 0; i < acc.length; i++) res[i] = Math.sqrt(acc[i]);
  return result(res, o);
});

const subLoop = binaryLoop('x - y');

registerKernel('dist', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const dims = broadcastShapes(x.dims, y.dims, 'dist');
  const z = new Float64Array(numel(dims));
  subLoop(nums(x), x.dims, nums(y), y.dims, z, dims);
  const res = outNumbers(o.dtype, o.dims);
  pNormLoop(z, 1, z.length, 1, attrs.p, res);
  return result(res, o);
});

// ---- cholesky ---------------------------------------------------------------------------
// Cholesky-Banachiewicz on each matrix. As Eigen's LLT, only the triangle being factored is
// read (the lower one, or the upper one when upper=True), and a pivot <= 0 (or NaN) means
// the matrix is not positive definite.
registerKernel('cholesky', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  const m = x.dims[x.dims.length - 1];
  const mm = m * m;
  const batch = mm === 0 ? 0 : numel(x.dims) / mm;
  const upper = !!attrs.upper;
  const a = nums(x);
  const res = outNumbers(o.dtype, o.dims);
  const l = new Float64Array(mm);
  for (let b = 0; b < batch; b++) {
    const off = b * mm;
    l.fill(0);
    for (let j = 0; j < m; j++) {
      // element (i, j), i >= j, of the symmetric matrix the triangle describes
      let s = a[off + j * m + j];
      for (let k = 0; k < j; k++) s -= l[j * m + k] * l[j * m + k];
      if (!(s > 0))
        opFail('cholesky', `Cholesky decomposition failed: the ${b}-th input matrix is not positive definite (pivot ${j} is ${s})`);
      const d = Math.sqrt(s);
      l[j * m + j] = d;
      for (let i = j + 1; i < m; i++) {
        let t = upper ? a[off + j * m + i] : a[off + i * m + j];
        for (let k = 0; k < j; k++) t -= l[i * m + k] * l[j * m + k];
        l[i * m + j] = t / d;
      }
    }
    if (upper) for (let i = 0; i < m; i++) for (let j = i; j < m; j++) res[off + i * m + j] = l[j * m + i];
    else for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) res[off + i * m + j] = l[i * m + j];
  }
  return result(res, o);
});

// ---- inverse ----------------------------------------------------------------------------
// Gauss-Jordan elimination with partial pivoting; a zero pivot column means the matrix is
// singular (Paddle: "Input is not invertible", from PartialPivLU's zero pivot).
registerKernel('inverse', 'js', (ins, _attrs, outs) => {
  const x = ins.Input[0];
  const o = outs.Output[0];
  const m = x.dims[x.dims.length - 1];
  const mm = m * m;
  const batch = mm === 0 ? 0 : numel(x.dims) / mm;
  const a = nums(x);
  const res = outNumbers(o.dtype, o.dims);
  const w = new Float64Array(mm);
  const inv = new Float64Array(mm);
  for (let b = 0; b < batch; b++) {
    const off = b * mm;
    for (let i = 0; i < mm; i++) w[i] = a[off + i];
    inv.fill(0);
    for (let i = 0; i < m; i++) inv[i * m + i] = 1;
    for (let k = 0; k < m; k++) {
      let p = k;
      let best = Math.abs(w[k * m + k]);
      for (let i = k + 1; i < m; i++) {
        const v = Math.abs(w[i * m + k]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (!(best > 0)) opFail('inverse', `the ${b}-th input matrix is singular (not invertible)`);
      if (p !== k) {
        for (let j = 0; j < m; j++) {
          const t = w[k * m + j]; w[k * m + j] = w[p * m + j]; w[p * m + j] = t;
          const u = inv[k * m + j]; inv[k * m + j] = inv[p * m + j]; inv[p * m + j] = u;
        }
      }
      const piv = 1 / w[k * m + k];
      for (let j = 0; j < m; j++) {
        w[k * m + j] *= piv;
        inv[k * m + j] *= piv;
      }
      for (let i = 0; i < m; i++) {
        if (i === k) continue;
        const f = w[i * m + k];
        if (f === 0) continue;
        for (let j = 0; j < m; j++) {
          w[i * m + j] -= f * w[k * m + j];
          inv[i * m + j] -= f * inv[k * m + j];
        }
      }
    }
    for (let i = 0; i < mm; i++) res[off + i] = inv[i];
  }
  return { Output: [tensorOf(res, o.dims.slice(), o.dtype)] };
});

// ---- addmm ------------------------------------------------------------------------------
registerKernel('addmm', 'js', (ins, attrs, outs) => {
  const inp = ins.Input[0];
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const [M, N] = addmmShape(inp.dims, x.dims, y.dims);
  const K = x.dims[1];
  const prod = new Float64Array(M * N);
  gemm(M, N, K, nums(x), 0, K, 1, nums(y), 0, N, 1, prod, 0, N, attrs.Alpha);
  const beta = attrs.Beta as number;
  const res = outNumbers(o.dtype, o.dims);
  if (beta === 0) {
    // as BLAS with beta = 0: Input is not read (its NaNs do not propagate)
    for (let i = 0; i < prod.length; i++) res[i] = prod[i];
  } else {
    const c = nums(inp);
    const rs = inp.dims[0] === 1 ? 0 : inp.dims[1];
    const cs = inp.dims[1] === 1 ? 0 : 1;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) res[i * N + j] = prod[i * N + j] + beta * c[i * rs + j * cs];
  }
  return result(res, o);
});
