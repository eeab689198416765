// Portable kernels of the convolutions (conv2d, depthwise_conv2d, conv3d, the transposed
// ones, and their *_grad operators), float32 and float64, NCHW/NCDHW and NHWC/NDHWC.
//
// Every operator is one of three routines on a forward-convolution geometry (a 2-D conv is a
// 3-D one with depth 1): `forward` (im2col + GEMM per image and group), `backwardData` (GEMM
// + col2im) and `backwardFilter` (im2col + GEMM, summed over the batch). A transposed
// convolution's output is backwardData of its input; its gradients are forward and
// backwardFilter. Depthwise geometries (one input channel per group) use direct loops instead,
// and 1x1 / stride-1 / unpadded convolutions skip im2col. GEMMs are matmul.ts's packed GEMM,
// which accumulates in doubles; col2im and the filter-gradient sums accumulate in doubles too.
import type { NumArray } from '../../core/dtype.js';
import { registerKernel, type Attrs, type Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor, type Meta } from '../../core/tensor.js';
import { convShape, convTransposeShape, type ConvGeom } from '../../ops/conv.js';
import { gemm } from './matmul.js';

type FloatArray = Float32Array | Float64Array;

/** A forward convolution's sizes, 3-D (2-D convolutions have depth 1). */
export interface Geo {
  N: number;
  /** Input channels, output channels, groups, and the per-group counts. */
  C: number; K: number; G: number; Cg: number; Kg: number;
  ID: number; IH: number; IW: number;
  OD: number; OH: number; OW: number;
  KD: number; KH: number; KW: number;
  SD: number; SH: number; SW: number;
  /** Padding before each dim (the padding after only bounds the output size). */
  PD: number; PH: number; PW: number;
  DD: number; DH: number; DW: number;
  cl: boolean;
  /** Input / output spatial sizes, kernel taps, rows of the im2col matrix. */
  inP: number; outP: number; kP: number; CRS: number;
}

/** Geo from a resolved geometry, the input-side channels C and the filter's dims. */
export function makeGeo(g: ConvGeom, N: number, C: number, K: number): Geo {
  const pad3 = (a: number[], fill: number): number[] => (a.length === 3 ? a : [fill, ...a]);
  const inSp = pad3(g.inSp, 1);
  const outSp = pad3(g.outSp, 1);
  const k = pad3(g.ksize, 1);
  const s = pad3(g.strides, 1);
  const d = pad3(g.dils, 1);
  const before = pad3(g.pads.filter((_, i) => i % 2 === 0), 0);
  const G = g.groups;
  const Cg = C / G;
  const kP = k[0] * k[1] * k[2];
  return {
    N, C, K, G, Cg, Kg: K / G,
    ID: inSp[0], IH: inSp[1], IW: inSp[2],
    OD: outSp[0], OH: outSp[1], OW: outSp[2],
    KD: k[0], KH: k[1], KW: k[2],
    SD: s[0], SH: s[1], SW: s[2],
    PD: before[0], PH: before[1], PW: before[2],
    DD: d[0], DH: d[1], DW: d[2],
    cl: g.channelLast,
    inP: inSp[0] * inSp[1] * inSp[2],
    outP: outSp[0] * outSp[1] * outSp[2],
    kP,
    CRS: Cg * kP,
  };
}

// Scratch buffers, grown on demand and reused (kernels never run concurrently).
let colBuf = new Float64Array(1 << 16);
let planeBuf = new Float64Array(1 << 16);
let tmpBuf = new Float64Array(1 << 12);
function col(n: number): Float64Array {
  if (colBuf.length < n) colBuf = new Float64Array(n);
  return colBuf;
}
function plane(n: number): Float64Array {
  if (planeBuf.length < n) planeBuf = new Float64Array(n);
  return planeBuf;
}
function tmp(n: number): Float64Array {
  if (tmpBuf.length < n) tmpBuf = new Float64Array(n);
  return tmpBuf;
}

/** Whether the convolution is a plain channel mix (1x1 kernel, stride 1, no padding). */
function isPointwise(g: Geo): boolean {
  return g.kP === 1 && g.SD === 1 && g.SH === 1 && g.SW === 1 && g.PD === 0 && g.PH === 0 && g.PW === 0 &&
    g.ID === g.OD && g.IH === g.OH && g.IW === g.OW;
}
/** Whether each group reads one input channel (depthwise): direct loops beat GEMMs there. */
function isDepthwise(g: Geo): boolean {
  return g.Cg === 1;
}

/** The valid output range [lo, hi) along one dim for kernel tap `t`: 0 <= o*S - P + t*D < I. */
function lo(t: number, S: number, P: number, D: number, O: number): number {
  const off = t * D - P;
  return Math.min(O, Math.max(0, Math.ceil(-off / S)));
}
function hi(t: number, S: number, P: number, D: number, I: number, O: number, l: number): number {
  const off = t * D - P;
  return Math.max(l, Math.min(O, Math.floor((I - 1 - off) / S) + 1));
}

/** Values per kernel tap in taps()' table. */
const TAP = 9;
const tapBuf: number[] = [];
/**
 * The kernel taps (kd, kh, kw in row-major order), TAP values each: the valid output ranges
 * [lo, hi) along depth, height and width, then the tap's input offsets t*D - P along each.
 * In a reused array, valid until the next call.
 */
function taps(g: Geo): readonly number[] {
  const { KD, KH, KW, OD, OH, OW, ID, IH, IW, SD, SH, SW, PD, PH, PW, DD, DH, DW } = g;
  const t = tapBuf;
  let q = 0;
  for (let kd = 0; kd < KD; kd++) {
    const dLo = lo(kd, SD, PD, DD, OD);
    const dHi = hi(kd, SD, PD, DD, ID, OD, dLo);
    for (let kh = 0; kh < KH; kh++) {
      const hLo = lo(kh, SH, PH, DH, OH);
      const hHi = hi(kh, SH, PH, DH, IH, OH, hLo);
      for (let kw = 0; kw < KW; kw++, q += TAP) {
        const wLo = lo(kw, SW, PW, DW, OW);
        t[q] = dLo;
        t[q + 1] = dHi;
        t[q + 2] = hLo;
        t[q + 3] = hHi;
        t[q + 4] = wLo;
        t[q + 5] = hi(kw, SW, PW, DW, IW, OW, wLo);
        t[q + 6] = kd * DD - PD;
        t[q + 7] = kh * DH - PH;
        t[q + 8] = kw * DW - PW;
      }
    }
  }
  return t;
}

/**
 * im2col for one image and group: src holds Cg channels of inP contiguous values each (CHW
 * order) at `base`; col[(c*kP + tap) * outP + p] gets the tap's input value for output p.
 */
function im2col(src: NumArray, base: number, g: Geo, dst: Float64Array): void {
  const { Cg, OD, OH, OW, IH, IW, SD, SH, SW, inP, outP, kP } = g;
  const T = taps(g);
  const HW = IH * IW;
  let r = 0;
  for (let c = 0; c < Cg; c++) {
    const cb = base + c * inP;
    for (let q = 0; q < kP * TAP; q += TAP, r++) {
      const dLo = T[q], dHi = T[q + 1], hLo = T[q + 2], hHi = T[q + 3], wLo = T[q + 4], wHi = T[q + 5];
      const offD = T[q + 6], offH = T[q + 7], offW = T[q + 8];
      let o = r * outP;
      if (dLo > 0) {
        dst.fill(0, o, o + dLo * OH * OW);
        o += dLo * OH * OW;
      }
      for (let od = dLo; od < dHi; od++) {
        const pd = cb + (od * SD + offD) * HW;
        if (hLo > 0) {
          dst.fill(0, o, o + hLo * OW);
          o += hLo * OW;
        }
        for (let oh = hLo; oh < hHi; oh++) {
          const row = pd + (oh * SH + offH) * IW + offW;
          let ow = 0;
          for (; ow < wLo; ow++) dst[o++] = 0;
          if (SW === 1) for (let s = row + ow; ow < wHi; ow++) dst[o++] = src[s++];
          else for (let s = row + ow * SW; ow < wHi; ow++, s += SW) dst[o++] = src[s];
          for (; ow < OW; ow++) dst[o++] = 0;
        }
        if (hHi < OH) {
          dst.fill(0, o, o + (OH - hHi) * OW);
          o += (OH - hHi) * OW;
        }
      }
      if (dHi < OD) dst.fill(0, o, o + (OD - dHi) * OH * OW);
    }
  }
}

/** col2im: the adjoint of im2col, adding col's values into acc (Cg x inP, zeroed by the caller). */
function col2im(src: Float64Array, g: Geo, acc: Float64Array): void {
  const { Cg, OH, OW, IH, IW, SD, SH, SW, inP, outP, kP } = g;
  const T = taps(g);
  const HW = IH * IW;
  let r = 0;
  for (let c = 0; c < Cg; c++) {
    const cb = c * inP;
    for (let q = 0; q < kP * TAP; q += TAP, r++) {
      const dLo = T[q], dHi = T[q + 1], hLo = T[q + 2], hHi = T[q + 3], wLo = T[q + 4], wHi = T[q + 5];
      if (wLo >= wHi) continue;
      const offD = T[q + 6], offH = T[q + 7], offW = T[q + 8];
      for (let od = dLo; od < dHi; od++) {
        const pd = cb + (od * SD + offD) * HW;
        for (let oh = hLo; oh < hHi; oh++) {
          const row = pd + (oh * SH + offH) * IW + offW;
          let o = r * outP + (od * OH + oh) * OW + wLo;
          if (SW === 1) for (let s = row + wLo, e = row + wHi; s < e; s++) acc[s] += src[o++];
          else for (let ow = wLo, s = row + wLo * SW; ow < wHi; ow++, s += SW) acc[s] += src[o++];
        }
      }
    }
  }
}

/**
 * Copies one image's group of channels into a CHW plane (for channels-last data), or returns
 * the source and offset as they are (channels-first data is CHW already).
 */
function chwOf(x: NumArray, n: number, grp: number, g: Geo, C: number, P: number, Cg: number): [NumArray, number] {
  if (!g.cl) return [x, (n * C + grp * Cg) * P];
  const buf = plane(Cg * P);
  const base = n * P * C + grp * Cg;
  for (let c = 0; c < Cg; c++) {
    let s = base + c;
    const o = c * P;
    for (let p = 0; p < P; p++, s += C) buf[o + p] = x[s];
  }
  return [buf, 0];
}

/**
 * Image n's input to group grp's GEMM, a (Cg*kP) x outP matrix: x itself when the convolution
 * is pointwise (buf null), else its im2col written into buf. As [array, offset, row stride,
 * column stride].
 */
function inputCols(x: NumArray, n: number, grp: number, g: Geo, buf: Float64Array | null): [NumArray, number, number, number] {
  const { C, Cg, inP, outP, cl } = g;
  if (!buf) return [x, cl ? n * inP * C + grp * Cg : (n * C + grp * Cg) * inP, cl ? 1 : inP, cl ? C : 1];
  const [src, off] = chwOf(x, n, grp, g, C, inP, Cg);
  im2col(src, off, g, buf);
  return [buf, 0, outP, 1];
}

/** C(MxN) at c[cOff + i*crs + j*ccs] = A B, for either unit column or unit row stride of C. */
function gemmAny(
  M: number, N: number, K: number,
  a: NumArray, aOff: number, ars: number, acs: number,
  b: NumArray, bOff: number, brs: number, bcs: number,
  c: NumArray, cOff: number, crs: number, ccs: number,
): void {
  if (ccs === 1) gemm(M, N, K, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, crs);
  else gemm(N, M, K, b, bOff, bcs, brs, a, aOff, acs, ars, c, cOff, ccs); // C^T = B^T A^T
}

/** out = conv(x, w): x [N, C, in...] (or channels last), w [K, Cg, k...], out [N, K, out...]. */
export function forward(x: NumArray, w: NumArray, out: NumArray, g: Geo): void {
  if (isDepthwise(g)) return depthwiseForward(x, w, out, g);
  const { N, K, G, Kg, outP, CRS, cl } = g;
  const buf = isPointwise(g) ? null : col(CRS * outP);
  // output element (k, p) of image n at oBase + k*oCs + p*oPs
  const oCs = cl ? 1 : outP;
  const oPs = cl ? K : 1;
  for (let n = 0; n < N; n++) {
    for (let grp = 0; grp < G; grp++) {
      const [b, bOff, brs, bcs] = inputCols(x, n, grp, g, buf);
      const oBase = n * K * outP + grp * Kg * oCs;
      gemmAny(Kg, outP, CRS, w, grp * Kg * CRS, CRS, 1, b, bOff, brs, bcs, out, oBase, oCs, oPs);
    }
  }
}

/** dx = the adjoint of conv(., w) applied to dout (dx is fully written). */
export function backwardData(dout: NumArray, w: NumArray, dx: NumArray, g: Geo): void {
  if (isDepthwise(g)) return depthwiseBackwardData(dout, w, dx, g);
  const { N, C, K, G, Cg, Kg, inP, outP, CRS, cl } = g;
  const point = isPointwise(g);
  const oCs = cl ? 1 : outP;
  const oPs = cl ? K : 1;
  const xCs = cl ? 1 : inP;
  const xPs = cl ? C : 1;
  const dcol = point ? null : col(CRS * outP);
  const acc = point ? null : tmp(Cg * inP);
  for (let n = 0; n < N; n++) {
    for (let grp = 0; grp < G; grp++) {
      const dBase = n * K * outP + grp * Kg * oCs;
      const xBase = n * C * inP + grp * Cg * xCs;
      // (Cg*kP x outP) = W_g^T (CRS x Kg) * dout_g (Kg x outP)
      if (point) {
        gemmAny(CRS, outP, Kg, w, grp * Kg * CRS, 1, CRS, dout, dBase, oCs, oPs, dx, xBase, xCs, xPs);
        continue;
      }
      gemm(CRS, outP, Kg, w, grp * Kg * CRS, 1, CRS, dout, dBase, oCs, oPs, dcol!, 0, outP);
      acc!.fill(0, 0, Cg * inP);
      col2im(dcol!, g, acc!);
      for (let c = 0; c < Cg; c++) {
        const s = c * inP;
        let d = xBase + c * xCs;
        for (let p = 0; p < inP; p++, d += xPs) dx[d] = acc![s + p];
      }
    }
  }
}

/** dw = d conv(x, w) / dw contracted with dout, summed over the batch (dw is fully written). */
export function backwardFilter(x: NumArray, dout: NumArray, dw: NumArray, g: Geo): void {
  if (isDepthwise(g)) return depthwiseBackwardFilter(x, dout, dw, g);
  const { N, K, G, Kg, outP, CRS, cl } = g;
  const oCs = cl ? 1 : outP;
  const oPs = cl ? K : 1;
  const buf = isPointwise(g) ? null : col(CRS * outP);
  const size = Kg * CRS;
  const t = tmp(2 * size);
  const part = t.subarray(0, size);
  const sum = t.subarray(size, 2 * size);
  for (let grp = 0; grp < G; grp++) {
    sum.fill(0);
    for (let n = 0; n < N; n++) {
      // (Kg x CRS) = dout_g (Kg x outP) * col^T (outP x CRS): the input's strides swapped
      const [b, bOff, bcs, brs] = inputCols(x, n, grp, g, buf);
      gemm(Kg, CRS, outP, dout, n * K * outP + grp * Kg * oCs, oCs, oPs, b, bOff, brs, bcs, part, 0, CRS);
      for (let i = 0; i < size; i++) sum[i] += part[i];
    }
    const o = grp * size;
    for (let i = 0; i < size; i++) dw[o + i] = sum[i];
  }
}

// ---------------------------------------------------------------------------------------
// Depthwise: each output channel k reads input channel floor(k / Kg) (Cg = 1).

/** Element strides (channel, depth, height, width) of a [N, C, D, H, W] or channels-last tensor. */
function strides(C: number, D: number, H: number, W: number, cl: boolean): [number, number, number, number, number] {
  const P = D * H * W;
  return cl ? [P * C, 1, H * W * C, W * C, C] : [C * P, P, H * W, W, 1];
}

function depthwiseForward(x: NumArray, w: NumArray, out: NumArray, g: Geo): void {
  const { N, C, K, Kg, ID, IH, IW, OD, OH, OW, SD, SH, SW, outP, kP, cl } = g;
  const [xN, xC, xD, xH, xW] = strides(C, ID, IH, IW, cl);
  const [oN, oC, , , oW] = strides(K, OD, OH, OW, cl);
  const T = taps(g);
  const acc = tmp(outP);
  const step = SW * xW;
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const xb = n * xN + Math.floor(k / Kg) * xC;
      acc.fill(0, 0, outP);
      for (let q = 0, tap = k * kP; q < kP * TAP; q += TAP, tap++) {
        const dLo = T[q], dHi = T[q + 1], hLo = T[q + 2], hHi = T[q + 3], wLo = T[q + 4], wHi = T[q + 5];
        if (wLo >= wHi) continue;
        const offD = T[q + 6], offH = T[q + 7], offW = T[q + 8];
        const wv = w[tap];
        for (let od = dLo; od < dHi; od++) {
          const pd = xb + (od * SD + offD) * xD;
          for (let oh = hLo; oh < hHi; oh++) {
            let s = pd + (oh * SH + offH) * xH + (wLo * SW + offW) * xW;
            let o = (od * OH + oh) * OW + wLo;
            const e = o + (wHi - wLo);
            for (; o < e; o++, s += step) acc[o] += wv * x[s];
          }
        }
      }
      let d = n * oN + k * oC;
      for (let p = 0; p < outP; p++, d += oW) out[d] = acc[p];
    }
  }
}

function depthwiseBackwardData(dout: NumArray, w: NumArray, dx: NumArray, g: Geo): void {
  const { N, C, K, Kg, ID, IH, IW, OD, OH, OW, SD, SH, SW, inP, kP, cl } = g;
  const [xN, xC, , , xW] = strides(C, ID, IH, IW, cl);
  const [oN, oC, oD, oH, oW] = strides(K, OD, OH, OW, cl);
  const T = taps(g);
  const acc = tmp(inP);
  const HW = IH * IW;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      acc.fill(0, 0, inP);
      for (let m = 0; m < Kg; m++) {
        const k = c * Kg + m;
        const db = n * oN + k * oC;
        for (let q = 0, tap = k * kP; q < kP * TAP; q += TAP, tap++) {
          const dLo = T[q], dHi = T[q + 1], hLo = T[q + 2], hHi = T[q + 3], wLo = T[q + 4], wHi = T[q + 5];
          if (wLo >= wHi) continue;
          const offD = T[q + 6], offH = T[q + 7], offW = T[q + 8];
          const wv = w[tap];
          for (let od = dLo; od < dHi; od++) {
            const pd = (od * SD + offD) * HW;
            for (let oh = hLo; oh < hHi; oh++) {
              let a = pd + (oh * SH + offH) * IW + wLo * SW + offW;
              let s = db + od * oD + oh * oH + wLo * oW;
              for (let ow = wLo; ow < wHi; ow++, a += SW, s += oW) acc[a] += wv * dout[s];
            }
          }
        }
      }
      let d = n * xN + c * xC;
      for (let p = 0; p < inP; p++, d += xW) dx[d] = acc[p];
    }
  }
}

function depthwiseBackwardFilter(x: NumArray, dout: NumArray, dw: NumArray, g: Geo): void {
  const { N, C, K, Kg, ID, IH, IW, OD, OH, OW, SD, SH, SW, kP, cl } = g;
  const [xN, xC, xD, xH, xW] = strides(C, ID, IH, IW, cl);
  const [oN, oC, oD, oH, oW] = strides(K, OD, OH, OW, cl);
  const T = taps(g);
  const step = SW * xW;
  for (let k = 0; k < K; k++) {
    const xc = Math.floor(k / Kg) * xC;
    for (let q = 0, tap = k * kP; q < kP * TAP; q += TAP, tap++) {
      const dLo = T[q], dHi = T[q + 1], hLo = T[q + 2], hHi = T[q + 3], wLo = T[q + 4], wHi = T[q + 5];
      const offD = T[q + 6], offH = T[q + 7], offW = T[q + 8];
      let sum = 0;
      if (wLo < wHi) {
        for (let n = 0; n < N; n++) {
          const xb = n * xN + xc;
          const db = n * oN + k * oC;
          for (let od = dLo; od < dHi; od++) {
            const pd = xb + (od * SD + offD) * xD;
            for (let oh = hLo; oh < hHi; oh++) {
              let s = pd + (oh * SH + offH) * xH + (wLo * SW + offW) * xW;
              let o = db + od * oD + oh * oH + wLo * oW;
              for (let ow = wLo; ow < wHi; ow++, s += step, o += oW) sum += dout[o] * x[s];
            }
          }
        }
      }
      dw[tap] = sum;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Kernels

function alloc(t: Meta | Tensor): FloatArray {
  const n = numel(t.dims);
  return t.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}
const arr = (t: Tensor): FloatArray => t.data as FloatArray;

/** Geo of a conv2d/depthwise_conv2d/conv3d call (or its grad) from its Input and Filter. */
function convGeo(type: string, x: Tensor, w: Tensor, attrs: Attrs): Geo {
  const { geom } = convShape(type, x, w, attrs);
  const C = geom.channelLast ? x.dims[x.dims.length - 1] : x.dims[1];
  return makeGeo(geom, x.dims[0], C, w.dims[0]);
}
/** Geo of the forward convolution behind a transposed call: it maps Output to Input. */
function convTransposeGeo(type: string, x: Tensor, w: Tensor, attrs: Attrs): Geo {
  const { geom } = convTransposeShape(type, x, w, attrs);
  return makeGeo(geom, x.dims[0], w.dims[1] * geom.groups, w.dims[0]);
}

/** Adds Bias (one value per channel) and ResidualData to an output in place. */
function addExtras(out: FloatArray, ins: Slots<Tensor>, g: { N: number; K: number; P: number; cl: boolean }): void {
  const b = ins.Bias?.[0];
  if (b) {
    const bv = arr(b);
    const { N, K, P, cl } = g;
    if (cl) for (let i = 0, n = N * P; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] += bv[k];
    else for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) {
      const o = (n * K + k) * P;
      const v = bv[k];
      for (let p = 0; p < P; p++) out[o + p] += v;
    }
  }
  const r = ins.ResidualData?.[0];
  if (r) {
    const rv = arr(r);
    for (let i = 0; i < out.length; i++) out[i] += rv[i];
  }
}

function convKernel(type: string) {
  return (ins: Slots<Tensor>, attrs: Attrs, outs: Slots<Meta>): Slots<Tensor> => {
    const x = ins.Input[0];
    const w = ins.Filter[0];
    const g = convGeo(type, x, w, attrs);
    const m = outs.Output[0];
    const out = alloc(m);
    forward(arr(x), arr(w), out, g);
    addExtras(out, ins, { N: g.N, K: g.K, P: g.outP, cl: g.cl });
    return { Output: [new Tensor(out, m.dims.slice(), m.dtype)] };
  };
}

/** The asked-for gradients of a convolution: Input@GRAD by `data`, Filter@GRAD by `filter`. */
function gradPair(outs: Slots<Meta>, x: Tensor, w: Tensor, data: (dx: ReturnType<typeof alloc>) => void, filter: (dw: ReturnType<typeof alloc>) => void): Slots<Tensor> {
  const res: Slots<Tensor> = {};
  const mx = outs['Input@GRAD']?.[0];
  if (mx) {
    const dx = alloc(x);
    data(dx);
    res['Input@GRAD'] = [new Tensor(dx, mx.dims.slice(), mx.dtype)];
  }
  const mw = outs['Filter@GRAD']?.[0];
  if (mw) {
    const dw = alloc(w);
    filter(dw);
    res['Filter@GRAD'] = [new Tensor(dw, mw.dims.slice(), mw.dtype)];
  }
  return res;
}

function convGradKernel(type: string) {
  return (ins: Slots<Tensor>, attrs: Attrs, outs: Slots<Meta>): Slots<Tensor> => {
    const x = ins.Input[0];
    const w = ins.Filter[0];
    const d = ins['Output@GRAD'][0];
    const g = convGeo(type, x, w, attrs);
    return gradPair(outs, x, w, (dx) => backwardData(arr(d), arr(w), dx, g), (dw) => backwardFilter(arr(x), arr(d), dw, g));
  };
}

function convTransposeKernel(type: string) {
  return (ins: Slots<Tensor>, attrs: Attrs, outs: Slots<Meta>): Slots<Tensor> => {
    const x = ins.Input[0];
    const w = ins.Filter[0];
    const g = convTransposeGeo(type, x, w, attrs);
    const m = outs.Output[0];
    const out = alloc(m);
    backwardData(arr(x), arr(w), out, g);
    addExtras(out, ins, { N: g.N, K: g.C, P: g.inP, cl: g.cl });
    return { Output: [new Tensor(out, m.dims.slice(), m.dtype)] };
  };
}

function convTransposeGradKernel(type: string) {
  return (ins: Slots<Tensor>, attrs: Attrs, outs: Slots<Meta>): Slots<Tensor> => {
    const x = ins.Input[0];
    const w = ins.Filter[0];
    const d = ins['Output@GRAD'][0];
    const g = convTransposeGeo(type, x, w, attrs);
    return gradPair(outs, x, w, (dx) => forward(arr(d), arr(w), dx, g), (dw) => backwardFilter(arr(d), arr(x), dw, g));
  };
}

const FLOATS = ['float32', 'float64'] as const;
for (const t of ['conv2d', 'depthwise_conv2d', 'conv3d']) {
  registerKernel(t, 'js', convKernel(t), FLOATS);
  registerKernel(`${t}_grad`, 'js', convGradKernel(t), FLOATS);
}
for (const t of ['conv2d_transpose', 'depthwise_conv2d_transpose', 'conv3d_transpose']) {
  registerKernel(t, 'js', convTransposeKernel(t), FLOATS);
  registerKernel(`${t}_grad`, 'js', convTransposeGradKernel(t), FLOATS);
}
