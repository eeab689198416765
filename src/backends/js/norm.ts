// Portable kernels of the normalization operators: batch_norm / sync_batch_norm, layer_norm,
// group_norm, instance_norm, lrn, spectral_norm and their fused *_grad operators. Statistics
// accumulate in float64; float16/float32 results are rounded once when stored.
//
// Layouts are read as [outer, C, inner] with element (o, c, i) at (o*C + c)*inner + i: NCHW
// is [N, C, H*W...], NHWC is [N*H*W..., C, 1].
import type { NumArray } from '../../core/dtype.js';
import type { Attrs, Kernel, Slots } from '../../core/registry.js';
import { registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import type { Meta, Tensor } from '../../core/tensor.js';
import { batchNormSync, bnGlobal, channelAxis } from '../../ops/norm.js';
import { nums, outNumbers, tensorOf } from './loops.js';

const FLOATS = ['float16', 'float32', 'float64'] as const;

/** [outer, C, inner] of a rank >= 2 input whose channel axis is 1 (NCHW) or last (NHWC). */
function ocx(dims: readonly number[], nhwc: boolean): [number, number, number] {
  const n = numel(dims);
  const C = nhwc ? dims[dims.length - 1] : dims[1];
  if (nhwc) return [C === 0 ? 0 : n / C, C, 1];
  const outer = dims[0];
  return [outer, C, outer * C === 0 ? 0 : n / outer / C];
}

const out = (m: Meta, a: NumArray): Tensor => tensorOf(a, m.dims.slice(), m.dtype);

// ---- batch_norm -----------------------------------------------------------------------------

function batchNormKernel(sync: boolean): Kernel {
  return (ins, attrs, outs) => {
    const x = ins.X[0];
    const nhwc = channelAxis(x.dims.length, attrs.data_layout, 'batch_norm') !== 1;
    const [outer, C, inner] = ocx(x.dims, nhwc);
    const xs = nums(x);
    const scale = nums(ins.Scale[0]);
    const bias = nums(ins.Bias[0]);
    const rm = nums(ins.Mean[0]);
    const rv = nums(ins.Variance[0]);
    const eps = attrs.epsilon;
    const global = bnGlobal(attrs);
    const pm = outs.MeanOut[0];
    const meanOut = outNumbers(pm.dtype, [C]);
    const varOut = outNumbers(pm.dtype, [C]);
    const savedMean = outNumbers(pm.dtype, [C]);
    const savedVar = outNumbers(pm.dtype, [C]);
    meanOut.set(rm.subarray(0, C));
    varOut.set(rv.subarray(0, C));
    const y = outNumbers(x.dtype, x.dims);
    const result = (): Slots<Tensor> => ({
      Y: [out(outs.Y[0], y)],
      MeanOut: [out(pm, meanOut)],
      VarianceOut: [out(outs.VarianceOut[0], varOut)],
      SavedMean: [out(outs.SavedMean[0], savedMean)],
      SavedVariance: [out(outs.SavedVariance[0], savedVar)],
    });
    const mean = new Float64Array(C);
    const inv = new Float64Array(C);
    if (!global) {
      const allreduce = sync ? batchNormSync.allreduce : null;
      let m = outer * inner;
      const v = new Float64Array(C);
      if (allreduce) {
        // [sum x, sum x^2, count] over every process, then E[x^2] - E[x]^2
        const buf = new Float64Array(2 * C + 1);
        for (let o = 0; o < outer; o++)
          for (let c = 0; c < C; c++) {
            const base = (o * C + c) * inner;
            let s = 0, q = 0;
            for (let i = 0; i < inner; i++) { const t = xs[base + i]; s += t; q += t * t; }
            buf[c] += s;
            buf[C + c] += q;
          }
        buf[2 * C] = m;
        allreduce(buf);
        m = buf[2 * C];
        for (let c = 0; c < C; c++) {
          mean[c] = buf[c] / m;
          v[c] = Math.max(buf[C + c] / m - mean[c] * mean[c], 0);
        }
      } else {
        if (m === 1) {
          // One value per channel: Paddle's kernel passes x through and keeps the running stats.
          y.set(xs.subarray(0, y.length));
          return result();
        }
        for (let o = 0; o < outer; o++)
          for (let c = 0; c < C; c++) {
            const base = (o * C + c) * inner;
            let s = 0;
            for (let i = 0; i < inner; i++) s += xs[base + i];
            mean[c] += s;
          }
        for (let c = 0; c < C; c++) mean[c] /= m;
        for (let o = 0; o < outer; o++)
          for (let c = 0; c < C; c++) {
            const base = (o * C + c) * inner;
            const mu = mean[c];
            let s = 0;
            for (let i = 0; i < inner; i++) { const d = xs[base + i] - mu; s += d * d; }
            v[c] += s;
          }
        for (let c = 0; c < C; c++) v[c] /= m;
      }
      const mt = ins.MomentumTensor?.[0];
      const mom = mt ? nums(mt)[0] : attrs.momentum;
      for (let c = 0; c < C; c++) {
        meanOut[c] = rm[c] * mom + mean[c] * (1 - mom);
        varOut[c] = rv[c] * mom + v[c] * (1 - mom);
        inv[c] = 1 / Math.sqrt(v[c] + eps);
        savedMean[c] = mean[c];
        savedVar[c] = inv[c];
      }
    } else {
      for (let c = 0; c < C; c++) {
        mean[c] = rm[c];
        inv[c] = 1 / Math.sqrt(rv[c] + eps);
        savedMean[c] = mean[c];
        savedVar[c] = inv[c];
      }
    }
    // y = x * a + b with a = scale * inv, b = bias - mean * a
    const a = new Float64Array(C);
    const b = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      a[c] = scale[c] * inv[c];
      b[c] = bias[c] - mean[c] * a[c];
    }
    for (let o = 0; o < outer; o++)
      for (let c = 0; c < C; c++) {
        const base = (o * C + c) * inner;
        const ac = a[c], bc = b[c];
        for (let i = 0; i < inner; i++) y[base + i] = xs[base + i] * ac + bc;
      }
    return result();
  };
}

function batchNormGradKernel(sync: boolean): Kernel {
  return (ins, attrs, outs) => {
    const x = ins.X[0];
    const nhwc = channelAxis(x.dims.length, attrs.data_layout, 'batch_norm_grad') !== 1;
    const [outer, C, inner] = ocx(x.dims, nhwc);
    const xs = nums(x);
    const dy = nums(ins['Y@GRAD'][0]);
    const scale = nums(ins.Scale[0]);
    const global = bnGlobal(attrs);
    const eps = attrs.epsilon;
    const mean = new Float64Array(C);
    const inv = new Float64Array(C);
    if (global) {
      const rm = nums(ins.Mean[0]);
      const rv = nums(ins.Variance[0]);
      for (let c = 0; c < C; c++) { mean[c] = rm[c]; inv[c] = 1 / Math.sqrt(rv[c] + eps); }
    } else {
      mean.set(nums(ins.SavedMean[0]).subarray(0, C));
      inv.set(nums(ins.SavedVariance[0]).subarray(0, C));
    }
    const pd = outs['Scale@GRAD'][0];
    const dx = outNumbers(x.dtype, x.dims);
    const dscale = outNumbers(pd.dtype, [C]);
    const dbias = outNumbers(pd.dtype, [C]);
    const result = (): Slots<Tensor> => ({
      'X@GRAD': [out(outs['X@GRAD'][0], dx)],
      'Scale@GRAD': [out(pd, dscale)],
      'Bias@GRAD': [out(outs['Bias@GRAD'][0], dbias)],
    });
    let m = outer * inner;
    const allreduce = sync && !global ? batchNormSync.allreduce : null;
    if (m === 1 && !global && !allreduce) {
      dx.set(dy.subarray(0, dx.length));
      return result();
    }
    // sum dy and sum dy * (x - mean) per channel
    const sdy = new Float64Array(C);
    const sdyx = new Float64Array(C);
    for (let o = 0; o < outer; o++)
      for (let c = 0; c < C; c++) {
        const base = (o * C + c) * inner;
        const mu = mean[c];
        let s = 0, t = 0;
        for (let i = 0; i < inner; i++) { const g = dy[base + i]; s += g; t += g * (xs[base + i] - mu); }
        sdy[c] += s;
        sdyx[c] += t;
      }
    for (let c = 0; c < C; c++) {
      dbias[c] = sdy[c];
      dscale[c] = sdyx[c] * inv[c];
    }
    if (allreduce) {
      const buf = new Float64Array(2 * C + 1);
      buf.set(sdy);
      buf.set(sdyx, C);
      buf[2 * C] = m;
      allreduce(buf);
      sdy.set(buf.subarray(0, C));
      sdyx.set(buf.subarray(C, 2 * C));
      m = buf[2 * C];
    }
    for (let o = 0; o < outer; o++)
      for (let c = 0; c < C; c++) {
        const base = (o * C + c) * inner;
        const k = scale[c] * inv[c];
        if (global) {
          for (let i = 0; i < inner; i++) dx[base + i] = k * dy[base + i];
        } else {
          // dx = scale*inv/m * (m*dy - sum dy - (x - mean) * inv^2 * sum dy*(x - mean))
          const mu = mean[c];
          const mdy = sdy[c] / m;
          const q = (sdyx[c] / m) * inv[c] * inv[c];
          for (let i = 0; i < inner; i++) dx[base + i] = k * (dy[base + i] - mdy - (xs[base + i] - mu) * q);
        }
      }
    return result();
  };
}

registerKernel('batch_norm', 'js', batchNormKernel(false), [...FLOATS]);
registerKernel('sync_batch_norm', 'js', batchNormKernel(true), [...FLOATS]);
registerKernel('batch_norm_grad', 'js', batchNormGradKernel(false), [...FLOATS]);
registerKernel('sync_batch_norm_grad', 'js', batchNormGradKernel(true), [...FLOATS]);

// ---- layer_norm -----------------------------------------------------------------------------

function lnSplit(dims: readonly number[], b: number): [number, number] {
  return [numel(dims.slice(0, b)), numel(dims.slice(b))];
}

registerKernel('layer_norm', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const [L, R] = lnSplit(x.dims, attrs.begin_norm_axis);
  const xs = nums(x);
  const scale = ins.Scale?.[0] ? nums(ins.Scale[0]) : null;
  const bias = ins.Bias?.[0] ? nums(ins.Bias[0]) : null;
  const eps = attrs.epsilon;
  const y = outNumbers(x.dtype, x.dims);
  const mean = outNumbers(outs.Mean[0].dtype, [L]);
  const variance = outNumbers(outs.Variance[0].dtype, [L]);
  for (let l = 0; l < L; l++) {
    const base = l * R;
    let s = 0;
    for (let j = 0; j < R; j++) s += xs[base + j];
    const mu = s / R;
    let q = 0;
    for (let j = 0; j < R; j++) { const d = xs[base + j] - mu; q += d * d; }
    const v = q / R;
    mean[l] = mu;
    variance[l] = v;
    const inv = 1 / Math.sqrt(v + eps);
    for (let j = 0; j < R; j++) {
      let t = (xs[base + j] - mu) * inv;
      if (scale) t *= scale[j];
      if (bias) t += bias[j];
      y[base + j] = t;
    }
  }
  return { Y: [out(outs.Y[0], y)], Mean: [out(outs.Mean[0], mean)], Variance: [out(outs.Variance[0], variance)] };
}, [...FLOATS]);

registerKernel('layer_norm_grad', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const [L, R] = lnSplit(x.dims, attrs.begin_norm_axis);
  const xs = nums(x);
  const dy = nums(ins['Y@GRAD'][0]);
  const mean = nums(ins.Mean[0]);
  const variance = nums(ins.Variance[0]);
  const scale = ins.Scale?.[0] ? nums(ins.Scale[0]) : null;
  const eps = attrs.epsilon;
  const dx = outNumbers(x.dtype, x.dims);
  const ds = new Float64Array(R);
  const db = new Float64Array(R);
  for (let l = 0; l < L; l++) {
    const base = l * R;
    const mu = mean[l];
    const inv = 1 / Math.sqrt(variance[l] + eps);
    // gh = dy * scale; dx = inv * (gh - mean(gh) - xhat * mean(gh * xhat))
    let sg = 0, sgx = 0;
    for (let j = 0; j < R; j++) {
      const g = dy[base + j];
      const xh = (xs[base + j] - mu) * inv;
      ds[j] += g * xh;
      db[j] += g;
      const gh = scale ? g * scale[j] : g;
      sg += gh;
      sgx += gh * xh;
    }
    sg /= R;
    sgx /= R;
    for (let j = 0; j < R; j++) {
      const xh = (xs[base + j] - mu) * inv;
      const gh = scale ? dy[base + j] * scale[j] : dy[base + j];
      dx[base + j] = inv * (gh - sg - xh * sgx);
    }
  }
  const res: Slots<Tensor> = { 'X@GRAD': [out(outs['X@GRAD'][0], dx)] };
  const sm = outs['Scale@GRAD']?.[0];
  const bm = outs['Bias@GRAD']?.[0];
  if (sm) res['Scale@GRAD'] = [out(sm, copyTo(sm, ds))];
  if (bm) res['Bias@GRAD'] = [out(bm, copyTo(bm, db))];
  return res;
}, [...FLOATS]);

/** `src` (float64 accumulators) as the number array of meta m's dtype. */
function copyTo(m: Meta, src: Float64Array): NumArray {
  const a = outNumbers(m.dtype, m.dims);
  a.set(src);
  return a;
}

// ---- group_norm -----------------------------------------------------------------------------

/** N, C, the spatial size S and the layout of group_norm's input. */
function gnShape(x: Tensor, layout: string): { N: number; C: number; S: number; nhwc: boolean } {
  const nhwc = channelAxis(x.dims.length, layout, 'group_norm') !== 1;
  const N = x.dims[0];
  const C = nhwc ? x.dims[x.dims.length - 1] : x.dims[1];
  const S = N * C === 0 ? 0 : numel(x.dims) / N / C;
  return { N, C, S, nhwc };
}

registerKernel('group_norm', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const { N, C, S, nhwc } = gnShape(x, attrs.data_layout);
  const G = attrs.groups;
  const cg = C / G;
  const xs = nums(x);
  const scale = ins.Scale?.[0] ? nums(ins.Scale[0]) : null;
  const bias = ins.Bias?.[0] ? nums(ins.Bias[0]) : null;
  const eps = attrs.epsilon;
  const y = outNumbers(x.dtype, x.dims);
  const mean = outNumbers(outs.Mean[0].dtype, [N, G]);
  const variance = outNumbers(outs.Variance[0].dtype, [N, G]);
  const cnt = cg * S;
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++) {
      // element (n, c, s): NCHW (n*C + c)*S + s, NHWC (n*S + s)*C + c
      let sum = 0;
      for (let k = 0; k < cg; k++) {
        const c = g * cg + k;
        for (let s = 0; s < S; s++) sum += xs[nhwc ? (n * S + s) * C + c : (n * C + c) * S + s];
      }
      const mu = sum / cnt;
      let q = 0;
      for (let k = 0; k < cg; k++) {
        const c = g * cg + k;
        for (let s = 0; s < S; s++) { const d = xs[nhwc ? (n * S + s) * C + c : (n * C + c) * S + s] - mu; q += d * d; }
      }
      const v = q / cnt;
      mean[n * G + g] = mu;
      variance[n * G + g] = v;
      const inv = 1 / Math.sqrt(v + eps);
      for (let k = 0; k < cg; k++) {
        const c = g * cg + k;
        const a = scale ? scale[c] * inv : inv;
        const b = (bias ? bias[c] : 0) - mu * a;
        for (let s = 0; s < S; s++) {
          const i = nhwc ? (n * S + s) * C + c : (n * C + c) * S + s;
          y[i] = xs[i] * a + b;
        }
      }
    }
  return { Y: [out(outs.Y[0], y)], Mean: [out(outs.Mean[0], mean)], Variance: [out(outs.Variance[0], variance)] };
}, ['float32', 'float64']);

registerKernel('group_norm_grad', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const { N, C, S, nhwc } = gnShape(x, attrs.data_layout);
  const G = attrs.groups;
  const cg = C / G;
  const xs = nums(x);
  const dy = nums(ins['Y@GRAD'][0]);
  const mean = nums(ins.Mean[0]);
  const variance = nums(ins.Variance[0]);
  const scale = ins.Scale?.[0] ? nums(ins.Scale[0]) : null;
  const eps = attrs.epsilon;
  const dx = outNumbers(x.dtype, x.dims);
  const ds = new Float64Array(C);
  const db = new Float64Array(C);
  const cnt = cg * S;
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++) {
      const mu = mean[n * G + g];
      const inv = 1 / Math.sqrt(variance[n * G + g] + eps);
      let sg = 0, sgx = 0;
      for (let k = 0; k < cg; k++) {
        const c = g * cg + k;
        const sc = scale ? scale[c] : 1;
        let a = 0, b = 0;
        for (let s = 0; s < S; s++) {
          const i = nhwc ? (n * S + s) * C + c : (n * C + c) * S + s;
          const gy = dy[i];
          const xh = (xs[i] - mu) * inv;
          a += gy * xh;
          b += gy;
        }
        ds[c] += a;
        db[c] += b;
        sg += b * sc;
        sgx += a * sc;
      }
      sg /= cnt;
      sgx /= cnt;
      for (let k = 0; k < cg; k++) {
        const c = g * cg + k;
        const sc = scale ? scale[c] : 1;
        for (let s = 0; s < S; s++) {
          const i = nhwc ? (n * S + s) * C + c : (n * C + c) * S + s;
          const xh = (xs[i] - mu) * inv;
          dx[i] = inv * (dy[i] * sc - sg - xh * sgx);
        }
      }
    }
  const res: Slots<Tensor> = { 'X@GRAD': [out(outs['X@GRAD'][0], dx)] };
  const sm = outs['Scale@GRAD']?.[0];
  const bm = outs['Bias@GRAD']?.[0];
  if (sm) res['Scale@GRAD'] = [out(sm, copyTo(sm, ds))];
  if (bm) res['Bias@GRAD'] = [out(bm, copyTo(bm, db))];
  return res;
}, ['float32', 'float64']);

// ---- instance_norm --------------------------------------------------------------------------

registerKernel('instance_norm', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const [N, C, S] = ocx(x.dims, false);
  const xs = nums(x);
  const scale = ins.Scale?.[0] ? nums(ins.Scale[0]) : null;
  const bias = ins.Bias?.[0] ? nums(ins.Bias[0]) : null;
  const eps = attrs.epsilon;
  const y = outNumbers(x.dtype, x.dims);
  const sm = outNumbers(outs.SavedMean[0].dtype, [N * C]);
  const sv = outNumbers(outs.SavedVariance[0].dtype, [N * C]);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++) {
      const nc = n * C + c;
      const base = nc * S;
      let s = 0;
      for (let i = 0; i < S; i++) s += xs[base + i];
      const mu = s / S;
      let q = 0;
      for (let i = 0; i < S; i++) { const d = xs[base + i] - mu; q += d * d; }
      const inv = 1 / Math.sqrt(q / S + eps);
      sm[nc] = mu;
      sv[nc] = inv;
      const a = scale ? scale[c] * inv : inv;
      const b = (bias ? bias[c] : 0) - mu * a;
      for (let i = 0; i < S; i++) y[base + i] = xs[base + i] * a + b;
    }
  return { Y: [out(outs.Y[0], y)], SavedMean: [out(outs.SavedMean[0], sm)], SavedVariance: [out(outs.SavedVariance[0], sv)] };
}, ['float32', 'float64']);

registerKernel('instance_norm_grad', 'js', (ins, _attrs, outs) => {
  const x = ins.X[0];
  const [N, C, S] = ocx(x.dims, false);
  const xs = nums(x);
  const dy = nums(ins['Y@GRAD'][0]);
  const mean = nums(ins.SavedMean[0]);
  const invs = nums(ins.SavedVariance[0]);
  const scale = ins.Scale?.[0] ? nums(ins.Scale[0]) : null;
  const dx = outNumbers(x.dtype, x.dims);
  const ds = new Float64Array(C);
  const db = new Float64Array(C);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++) {
      const nc = n * C + c;
      const base = nc * S;
      const mu = mean[nc];
      const inv = invs[nc];
      let a = 0, b = 0;
      for (let i = 0; i < S; i++) { const g = dy[base + i]; a += g * (xs[base + i] - mu) * inv; b += g; }
      ds[c] += a;
      db[c] += b;
      const sc = scale ? scale[c] : 1;
      const mg = b / S;
      const mgx = a / S;
      for (let i = 0; i < S; i++) dx[base + i] = sc * inv * (dy[base + i] - mg - (xs[base + i] - mu) * inv * mgx);
    }
  return {
    'X@GRAD': [out(outs['X@GRAD'][0], dx)],
    'Scale@GRAD': [out(outs['Scale@GRAD'][0], copyTo(outs['Scale@GRAD'][0], ds))],
    'Bias@GRAD': [out(outs['Bias@GRAD'][0], copyTo(outs['Bias@GRAD'][0], db))],
  };
}, ['float32', 'float64']);

// ---- lrn ------------------------------------------------------------------------------------

/** lrn's [outer, C, inner] view: channel axis 1, or last for data_format NHWC. */
const lrnView = (x: Tensor, attrs: Attrs): [number, number, number] => ocx(x.dims, attrs.data_format === 'NHWC');

registerKernel('lrn', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const [outer, C, inner] = lrnView(x, attrs);
  const xs = nums(x);
  const { n, k, alpha, beta } = attrs as { n: number; k: number; alpha: number; beta: number };
  const pre = (n - 1) >> 1;
  const o = outNumbers(x.dtype, x.dims);
  const mid = outNumbers(x.dtype, x.dims);
  const acc = new Float64Array(inner);
  for (let q = 0; q < outer; q++) {
    // running sum of squares over the window [c - pre, c + n - 1 - pre]
    acc.fill(0);
    for (let j = 0; j < Math.min(n - 1 - pre, C); j++) {
      const base = (q * C + j) * inner;
      for (let i = 0; i < inner; i++) acc[i] += xs[base + i] * xs[base + i];
    }
    for (let c = 0; c < C; c++) {
      const add = c + n - 1 - pre;
      if (add < C) {
        const base = (q * C + add) * inner;
        for (let i = 0; i < inner; i++) acc[i] += xs[base + i] * xs[base + i];
      }
      const rem = c - pre - 1;
      if (rem >= 0) {
        const base = (q * C + rem) * inner;
        for (let i = 0; i < inner; i++) acc[i] -= xs[base + i] * xs[base + i];
      }
      const base = (q * C + c) * inner;
      for (let i = 0; i < inner; i++) {
        const m = k + alpha * acc[i];
        mid[base + i] = m;
        o[base + i] = xs[base + i] * Math.pow(m, -beta);
      }
    }
  }
  return { Out: [out(outs.Out[0], o)], MidOut: [out(outs.MidOut[0], mid)] };
}, ['float32', 'float64']);

registerKernel('lrn_grad', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const [outer, C, inner] = lrnView(x, attrs);
  const xs = nums(x);
  const os = nums(ins.Out[0]);
  const mid = nums(ins.MidOut[0]);
  const dout = nums(ins['Out@GRAD'][0]);
  const { n, alpha, beta } = attrs as { n: number; alpha: number; beta: number };
  const pre = (n - 1) >> 1;
  const ratio = -2 * alpha * beta;
  const dx = outNumbers(x.dtype, x.dims);
  // t[c] = dout[c] * out[c] / mid[c]; dx[c] = dout[c] * mid[c]^-beta + ratio * x[c] * sum_{window} t
  const t = new Float64Array(C * inner);
  for (let q = 0; q < outer; q++) {
    for (let c = 0; c < C; c++) {
      const base = (q * C + c) * inner;
      for (let i = 0; i < inner; i++) t[c * inner + i] = (dout[base + i] * os[base + i]) / mid[base + i];
    }
    for (let c = 0; c < C; c++) {
      const base = (q * C + c) * inner;
      const lo = Math.max(0, c - pre);
      const hi = Math.min(C - 1, c + n - 1 - pre);
      for (let i = 0; i < inner; i++) {
        let s = 0;
        for (let j = lo; j <= hi; j++) s += t[j * inner + i];
        dx[base + i] = dout[base + i] * Math.pow(mid[base + i], -beta) + ratio * xs[base + i] * s;
      }
    }
  }
  return { 'X@GRAD': [out(outs['X@GRAD'][0], dx)] };
}, ['float32', 'float64']);

// ---- spectral_norm --------------------------------------------------------------------------

/**
 * Weight <-> its matrix view [h, w] with dim `dim` moved first: element (a, b) of the matrix,
 * with b = (d0 * rest + r) when dim is 1, is Weight[d0, a, r...]. Copies `src` (Weight layout)
 * into `m` (matrix layout), or back when `back`.
 */
function matrixView(src: ArrayLike<number>, m: Float64Array | NumArray, dims: readonly number[], dim: number, back: boolean): void {
  const h = dims[dim];
  const rest = numel(dims.slice(dim + 1));
  const lead = dim === 0 ? 1 : dims[0];
  const w = lead * rest;
  for (let d0 = 0; d0 < lead; d0++)
    for (let a = 0; a < h; a++) {
      const wi = (d0 * h + a) * rest;
      const mi = a * w + d0 * rest;
      if (back) for (let r = 0; r < rest; r++) m[wi + r] = src[mi + r];
      else for (let r = 0; r < rest; r++) m[mi + r] = src[wi + r];
    }
}

/** Power iteration on the weight's matrix view: returns u, v and sigma = u^T W v. */
function spectral(ws: NumArray, dims: readonly number[], dim: number, u0: NumArray, v0: NumArray, iters: number, eps: number) {
  const h = dims[dim];
  const w = h === 0 ? 0 : numel(dims) / h;
  const m = new Float64Array(h * w);
  matrixView(ws, m, dims, dim, false);
  const u = Float64Array.from(u0.subarray(0, h));
  const v = Float64Array.from(v0.subarray(0, w));
  const normalize = (z: Float64Array): void => {
    let s = 0;
    for (let i = 0; i < z.length; i++) s += z[i] * z[i];
    const d = Math.sqrt(s) + eps;
    for (let i = 0; i < z.length; i++) z[i] /= d;
  };
  for (let it = 0; it < iters; it++) {
    v.fill(0);
    for (let a = 0; a < h; a++) { const ua = u[a]; for (let b = 0; b < w; b++) v[b] += m[a * w + b] * ua; }
    normalize(v);
    for (let a = 0; a < h; a++) { let s = 0; for (let b = 0; b < w; b++) s += m[a * w + b] * v[b]; u[a] = s; }
    normalize(u);
  }
  let sigma = 0;
  for (let a = 0; a < h; a++) { let s = 0; for (let b = 0; b < w; b++) s += m[a * w + b] * v[b]; sigma += u[a] * s; }
  return { u, v, sigma, h, w };
}

registerKernel('spectral_norm', 'js', (ins, attrs, outs) => {
  const wt = ins.Weight[0];
  const ws = nums(wt);
  const { sigma } = spectral(ws, wt.dims, attrs.dim, nums(ins.U[0]), nums(ins.V[0]), attrs.power_iters, attrs.eps);
  const o = outNumbers(wt.dtype, wt.dims);
  for (let i = 0; i < o.length; i++) o[i] = ws[i] / sigma;
  return { Out: [out(outs.Out[0], o)] };
}, ['float32', 'float64']);

registerKernel('spectral_norm_grad', 'js', (ins, attrs, outs) => {
  const wt = ins.Weight[0];
  const ws = nums(wt);
  const dout = nums(ins['Out@GRAD'][0]);
  const { u, v, sigma, h, w } = spectral(ws, wt.dims, attrs.dim, nums(ins.U[0]), nums(ins.V[0]), attrs.power_iters, attrs.eps);
  let dot = 0;
  for (let i = 0; i < ws.length; i++) dot += dout[i] * ws[i];
  const q = dot / (sigma * sigma);
  // dW = dOut / sigma - q * u v^T, the outer product mapped back to Weight's layout
  const uv = new Float64Array(h * w);
  for (let a = 0; a < h; a++) for (let b = 0; b < w; b++) uv[a * w + b] = u[a] * v[b];
  const dw = outNumbers(wt.dtype, wt.dims);
  matrixView(uv, dw, wt.dims, attrs.dim, true);
  for (let i = 0; i < dw.length; i++) dw[i] = dout[i] / sigma - q * dw[i];
  return { 'Weight@GRAD': [out(outs['Weight@GRAD'][0], dw)] };
}, ['float32', 'float64']);
