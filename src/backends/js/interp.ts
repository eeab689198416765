// Portable kernels of the interpolation operators (v2 and v1) and their gradients. Every
// method is separable: per output index of each of D, H, W an axis has K taps (input index
// and weight; nearest 1, linear 2, cubic 4), built with Paddle's index maps and float32
// arithmetic (interpolate_v2_op.h), and the kernel sums x * wd * wh * ww over the taps. The
// gradient adds Out@GRAD through the same taps. When the output size equals the input's,
// Paddle copies the input, and so does this kernel.
import { allocStorage, type NumArray, type Storage } from '../../core/dtype.js';
import { registerKernel } from '../../core/registry.js';
import type { Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor, type Meta } from '../../core/tensor.js';
import { INTERP_METHODS, interpPlan, type InterpPlan } from '../../ops/interp.js';
import { opFail } from '../../ops/util.js';
import { nums, outNumbers, tensorOf } from './loops.js';

const f32 = Math.fround;

interface AxisTaps {
  k: number;
  idx: Int32Array;
  w: Float64Array;
}

/** Linear taps of one axis (Paddle's LinearInterpolation / Bilinear / Trilinear maps). */
function linearTaps(inSize: number, outSize: number, ratio: number, alignCorners: boolean, alignMode: number): AxisTaps {
  const idx = new Int32Array(outSize * 2);
  const w = new Float64Array(outSize * 2);
  const alignFlag = alignMode === 0 && !alignCorners;
  for (let l = 0; l < outSize; l++) {
    let lo = alignFlag ? Math.trunc(ratio * (l + 0.5) - 0.5) : Math.trunc(f32(ratio * l));
    lo = lo > 0 ? lo : 0;
    const hi = lo < inSize - 1 ? lo + 1 : lo;
    let src = f32(ratio * (l + 0.5) - 0.5);
    src = src > 0 ? src : 0;
    const dHi = alignFlag ? f32(src - lo) : f32(f32(ratio * l) - lo);
    const dLo = f32(1 - dHi);
    idx[2 * l] = lo;
    w[2 * l] = dLo;
    idx[2 * l + 1] = hi;
    w[2 * l + 1] = dHi;
  }
  return { k: 2, idx, w };
}

/** Nearest taps: floor of ratio * i, or ratio * i + 0.5 rounded down with align_corners. */
function nearestTaps(inSize: number, outSize: number, ratio: number, alignCorners: boolean): AxisTaps {
  const idx = new Int32Array(outSize);
  const w = new Float64Array(outSize).fill(1);
  for (let k = 0; k < outSize; k++) {
    const i = alignCorners ? Math.trunc(f32(ratio * k) + 0.5) : Math.trunc(f32(ratio * k));
    idx[k] = Math.min(i, inSize - 1);
  }
  return { k: 1, idx, w };
}

/** Keys' cubic convolution weights (A = -0.75) of the 4 taps around fraction t. */
function cubicCoeffs(t: number, out: Float64Array, at: number): void {
  const A = -0.75;
  const c1 = (x: number): number => ((A + 2) * x - (A + 3)) * x * x + 1;
  const c2 = (x: number): number => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  out[at] = c2(t + 1);
  out[at + 1] = c1(t);
  out[at + 2] = c1(1 - t);
  out[at + 3] = c2(2 - t);
}

/** Bicubic taps (clamped to the input), computed in float32 for float32 data as Paddle. */
function cubicTaps(inSize: number, outSize: number, ratio: number, alignCorners: boolean, single: boolean): AxisTaps {
  const idx = new Int32Array(outSize * 4);
  const w = new Float64Array(outSize * 4);
  for (let k = 0; k < outSize; k++) {
    let pos = alignCorners ? f32(ratio * k) : ratio * (k + 0.5) - 0.5;
    if (single) pos = f32(pos);
    const base = Math.floor(f32(pos));
    let t = pos - base;
    if (single) t = f32(t);
    cubicCoeffs(t, w, 4 * k);
    if (single) for (let j = 0; j < 4; j++) w[4 * k + j] = f32(w[4 * k + j]);
    for (let j = 0; j < 4; j++) idx[4 * k + j] = Math.max(Math.min(base - 1 + j, inSize - 1), 0);
  }
  return { k: 4, idx, w };
}

const ONE: AxisTaps = { k: 1, idx: new Int32Array(1), w: new Float64Array([1]) };

function tapsOf(p: InterpPlan, single: boolean): AxisTaps[] {
  return [0, 1, 2].map((i) => {
    if (i < 3 - p.nd) return ONE;
    const inS = p.inSp[i], outS = p.outSp[i], r = p.ratio[i];
    if (p.method === 'nearest') return nearestTaps(inS, outS, r, p.alignCorners);
    if (p.method === 'bicubic') return cubicTaps(inS, outS, r, p.alignCorners, single);
    return linearTaps(inS, outS, r, p.alignCorners, p.alignMode);
  });
}

/** Runs fn(inBase, outBase, cs) for every (n, c) plane; positions step by cs. */
function planes(p: InterpPlan, fn: (ib: number, ob: number, cs: number) => void): void {
  const inPlane = p.inSp[0] * p.inSp[1] * p.inSp[2];
  const outPlane = p.outSp[0] * p.outSp[1] * p.outSp[2];
  for (let n = 0; n < p.n; n++) {
    for (let ch = 0; ch < p.c; ch++) {
      if (p.channelLast) fn(n * inPlane * p.c + ch, n * outPlane * p.c + ch, p.c);
      else fn((n * p.c + ch) * inPlane, (n * p.c + ch) * outPlane, 1);
    }
  }
}

/** Nearest: a pure copy through the per-axis maps (raw storage, any dtype). */
function nearestCopy(x: Storage, o: Storage, p: InterpPlan, taps: AxisTaps[]): void {
  const [td, th, tw] = taps;
  const [, H, W] = p.inSp;
  const [OD, OH, OW] = p.outSp;
  const xs = x as Float64Array;
  const os = o as Float64Array;
  planes(p, (ib, ob, cs) => {
    let q = ob;
    for (let od = 0; od < OD; od++) {
      const dBase = td.idx[od] * H;
      for (let oh = 0; oh < OH; oh++) {
        const row = ib + (dBase + th.idx[oh]) * W * cs;
        for (let ow = 0; ow < OW; ow++, q += cs) os[q] = xs[row + tw.idx[ow] * cs];
      }
    }
  });
}

/** Bilinear (2 taps on H and W, depth 1), the common case, without the generic tap loops. */
function bilinearForward(x: NumArray, o: NumArray, p: InterpPlan, th: AxisTaps, tw: AxisTaps, truncate: boolean): void {
  const [, , W] = p.inSp;
  const [, OH, OW] = p.outSp;
  const cs = p.channelLast ? p.c : 1;
  // per output column: the two input offsets (times the element stride) and weights
  const c0 = new Int32Array(OW), c1 = new Int32Array(OW);
  const wx0 = new Float64Array(OW), wx1 = new Float64Array(OW);
  for (let ow = 0; ow < OW; ow++) {
    c0[ow] = tw.idx[2 * ow] * cs;
    c1[ow] = tw.idx[2 * ow + 1] * cs;
    wx0[ow] = tw.w[2 * ow];
    wx1[ow] = tw.w[2 * ow + 1];
  }
  const hi = th.idx, hw = th.w;
  planes(p, (ib, ob) => {
    let q = ob;
    for (let oh = 0; oh < OH; oh++) {
      const r0 = ib + hi[2 * oh] * W * cs;
      const r1 = ib + hi[2 * oh + 1] * W * cs;
      const wy0 = hw[2 * oh];
      const wy1 = hw[2 * oh + 1];
      if (truncate) {
        for (let ow = 0; ow < OW; ow++, q += cs) {
          const a = c0[ow], b = c1[ow], u = wx0[ow], w = wx1[ow];
          o[q] = Math.trunc(f32((x[r0 + a] * u + x[r0 + b] * w) * wy0 + (x[r1 + a] * u + x[r1 + b] * w) * wy1));
        }
      } else {
        for (let ow = 0; ow < OW; ow++, q += cs) {
          const a = c0[ow], b = c1[ow], u = wx0[ow], w = wx1[ow];
          o[q] = (x[r0 + a] * u + x[r0 + b] * w) * wy0 + (x[r1 + a] * u + x[r1 + b] * w) * wy1;
        }
      }
    }
  });
}

function interpForward(x: NumArray, o: NumArray, p: InterpPlan, taps: AxisTaps[], truncate: boolean): void {
  const [td, th, tw] = taps;
  if (td.k === 1 && th.k === 2 && tw.k === 2 && p.nd === 2) return bilinearForward(x, o, p, th, tw, truncate);
  const [, H, W] = p.inSp;
  const [OD, OH, OW] = p.outSp;
  planes(p, (ib, ob, cs) => {
    let q = ob;
    for (let od = 0; od < OD; od++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++, q += cs) {
          let s = 0;
          for (let a = 0; a < td.k; a++) {
            const wa = td.w[od * td.k + a];
            const da = td.idx[od * td.k + a] * H;
            for (let b = 0; b < th.k; b++) {
              const wab = wa * th.w[oh * th.k + b];
              const row = ib + (da + th.idx[oh * th.k + b]) * W * cs;
              for (let e = 0; e < tw.k; e++) s += x[row + tw.idx[ow * tw.k + e] * cs] * (wab * tw.w[ow * tw.k + e]);
            }
          }
          o[q] = truncate ? Math.trunc(f32(s)) : s;
        }
      }
    }
  });
}

function interpBackward(g: NumArray, dx: Float64Array, p: InterpPlan, taps: AxisTaps[]): void {
  const [td, th, tw] = taps;
  const [, H, W] = p.inSp;
  const [OD, OH, OW] = p.outSp;
  planes(p, (ib, ob, cs) => {
    let q = ob;
    for (let od = 0; od < OD; od++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++, q += cs) {
          const gv = g[q];
          for (let a = 0; a < td.k; a++) {
            const wa = td.w[od * td.k + a];
            const da = td.idx[od * td.k + a] * H;
            for (let b = 0; b < th.k; b++) {
              const wab = wa * th.w[oh * th.k + b];
              const row = ib + (da + th.idx[oh * th.k + b]) * W * cs;
              for (let e = 0; e < tw.k; e++) dx[row + tw.idx[ow * tw.k + e] * cs] += gv * (wab * tw.w[ow * tw.k + e]);
            }
          }
        }
      }
    }
  });
}

const sameSize = (p: InterpPlan): boolean => p.inSp.every((d, i) => d === p.outSp[i]);

for (const v2 of [true, false]) {
  for (const m of INTERP_METHODS) {
    const type = `${m}_interp${v2 ? '_v2' : ''}`;
    registerKernel(type, 'js', (ins, attrs, outs) => {
      const x = ins.X[0];
      const om = outs.Out[0];
      const p = interpPlan(x, ins as Slots<Meta>, attrs, type, v2);
      if (sameSize(p)) return { Out: [new Tensor(x.data.slice(), p.outDims.slice(), x.dtype)] };
      const single = x.dtype !== 'float64';
      if (p.method === 'nearest') {
        const o = allocStorage(x.dtype, numel(p.outDims));
        nearestCopy(x.data, o, p, tapsOf(p, single));
        return { Out: [new Tensor(o, p.outDims.slice(), x.dtype)] };
      }
      const res = outNumbers(om.dtype, p.outDims);
      interpForward(nums(x), res, p, tapsOf(p, single), x.dtype === 'uint8');
      return { Out: [tensorOf(res, p.outDims.slice(), om.dtype)] };
    }, ['float16', 'float32', 'float64', 'uint8']);

    registerKernel(`${type}_grad`, 'js', (ins, attrs, outs) => {
      const x = ins.X[0];
      const g = ins['Out@GRAD'][0];
      const om = outs['X@GRAD'][0];
      const p = interpPlan(x, ins as Slots<Meta>, attrs, `${type}_grad`, v2);
      if (p.outDims.length !== g.dims.length || p.outDims.some((d, i) => d !== g.dims[i]))
        opFail(`${type}_grad`, `input Out@GRAD has shape [${g.dims.join(', ')}], but the interpolation's output shape is [${p.outDims.join(', ')}]`);
      const gv = nums(g);
      const res = outNumbers(om.dtype, x.dims);
      if (sameSize(p)) res.set(gv);
      else {
        const dx = new Float64Array(numel(x.dims));
        interpBackward(gv, dx, p, tapsOf(p, g.dtype !== 'float64'));
        res.set(dx);
      }
      return { 'X@GRAD': [tensorOf(res, x.dims.slice(), om.dtype)] };
    }, ['float16', 'float32', 'float64']);
  }
}
