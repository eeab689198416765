// Kernels of the RoI pooling operators and their gradients (see src/ops/detection/roi.ts),
// following Paddle's CPU kernels. Gradients scatter into zero-initialized buffers.
import type { DType } from '../../../core/dtype.js';
import type { Attrs } from '../../../core/registry.js';
import type { Tensor } from '../../../core/tensor.js';
import { make, nums, outNumbers, reg, roiBatchIds, roundC } from './util.js';

/** float32 rounding where Paddle computes in float (the identity for float64). */
const rounder = (d: DType): ((v: number) => number) => (d === 'float32' ? Math.fround : (v: number) => v);

/**
 * What the RoI kernels read alike: X (N, C, H, W), the k RoIs, the output size from the attributes
 * `<size>_height` / `<size>_width` and spatial_scale (as Paddle's float).
 */
function roiInputs(ins: Record<string, Tensor[]>, a: Attrs, size: 'pooled' | 'transformed' = 'pooled') {
  const xT = ins.X[0];
  const rT = ins.ROIs[0];
  const [n, c, h, w] = xT.dims;
  const ph = a[`${size}_height`] as number;
  const pw = a[`${size}_width`] as number;
  return { xT, rT, n, c, h, w, k: rT.dims[0], ph, pw, scale: Math.fround(a.spatial_scale as number) };
}

/** A kernel body giving an operator's Out (grad false) or its X@GRAD (grad true). */
type Core = (ins: Record<string, Tensor[]>, a: Attrs, grad: boolean) => { dims: number[]; data: Float64Array | Float32Array };

/** Registers an operator (Out) and its gradient (X@GRAD) computed by one core function. */
function regWithGrad(type: string, gradType: string, core: Core): void {
  reg(type, (ins, a: Attrs, outs) => {
    const { dims, data } = core(ins, a, false);
    return { Out: [make(data, dims, outs.Out[0].dtype)] };
  });
  reg(gradType, (ins, a: Attrs, outs) => {
    const { dims, data } = core(ins, a, true);
    return { 'X@GRAD': [make(data, dims, outs['X@GRAD'][0].dtype)] };
  });
}

// ---- roi_pool ----------------------------------------------------------------------------------

reg('roi_pool', (ins, a: Attrs, outs) => {
  const op = 'roi_pool';
  const { xT, rT, n, c, h, w, k, ph, pw, scale } = roiInputs(ins, a);
  const fr = rounder(xT.dtype);
  const ids = roiBatchIds(op, rT, ins.RoisNum?.[0], n);
  const x = nums(xT);
  const r = nums(rT);
  const dims = [k, c, ph, pw];
  const out = outNumbers(xT.dtype, dims);
  const arg = new Float64Array(out.length);
  const lowest = xT.dtype === 'float32' ? -3.4028234663852886e38 : -Number.MAX_VALUE;
  for (let i = 0; i < k; i++) {
    const sw = roundC(fr(r[i * 4] * scale));
    const sh = roundC(fr(r[i * 4 + 1] * scale));
    const ew = roundC(fr(r[i * 4 + 2] * scale));
    const eh = roundC(fr(r[i * 4 + 3] * scale));
    const rh = Math.max(eh - sh + 1, 1);
    const rw = Math.max(ew - sw + 1, 1);
    const bh = Math.fround(rh / ph);
    const bw = Math.fround(rw / pw);
    for (let ch = 0; ch < c; ch++) {
      const plane = (ids[i] * c + ch) * h * w;
      for (let y = 0; y < ph; y++) {
        const hs = Math.min(Math.max(Math.floor(Math.fround(y * bh)) + sh, 0), h);
        const he = Math.min(Math.max(Math.ceil(Math.fround((y + 1) * bh)) + sh, 0), h);
        for (let z = 0; z < pw; z++) {
          const ws = Math.min(Math.max(Math.floor(Math.fround(z * bw)) + sw, 0), w);
          const we = Math.min(Math.max(Math.ceil(Math.fround((z + 1) * bw)) + sw, 0), w);
          const o = ((i * c + ch) * ph + y) * pw + z;
          let best = he <= hs || we <= ws ? 0 : lowest;
          let bi = -1;
          for (let yy = hs; yy < he; yy++) {
            for (let xx = ws; xx < we; xx++) {
              const v = x[plane + yy * w + xx];
              if (v > best) {
                best = v;
                bi = yy * w + xx;
              }
            }
          }
          out[o] = best;
          arg[o] = bi;
        }
      }
    }
  }
  return { Out: [make(out, dims, xT.dtype)], Argmax: [make(arg, dims.slice(), 'int64')] };
});

reg('roi_pool_grad', (ins, _a, outs) => {
  const xT = ins.X[0];
  const [n, c, h, w] = xT.dims;
  const dy = nums(ins['Out@GRAD'][0]);
  const arg = nums(ins.Argmax[0]);
  const ids = roiBatchIds('roi_pool_grad', ins.ROIs[0], ins.RoisNum?.[0], n);
  const k = ins.ROIs[0].dims[0];
  const per = dy.length / Math.max(k * c, 1);
  const dx = outNumbers(xT.dtype, xT.dims);
  for (let i = 0; i < k; i++)
    for (let ch = 0; ch < c; ch++) {
      const plane = (ids[i] * c + ch) * h * w;
      const base = (i * c + ch) * per;
      for (let p = 0; p < per; p++) if (arg[base + p] >= 0) dx[plane + arg[base + p]] += dy[base + p];
    }
  return { 'X@GRAD': [make(dx, xT.dims.slice(), outs['X@GRAD'][0].dtype)] };
});

// ---- roi_align ---------------------------------------------------------------------------------

interface AlignGeom {
  ymin: number;
  xmin: number;
  bh: number;
  bw: number;
  gh: number;
  gw: number;
}
function alignGeom(r: ArrayLike<number>, i: number, scale: number, ph: number, pw: number, ratio: number): AlignGeom {
  const xmin = r[i * 4] * scale;
  const ymin = r[i * 4 + 1] * scale;
  const rw = Math.max(r[i * 4 + 2] * scale - xmin, 1);
  const rh = Math.max(r[i * 4 + 3] * scale - ymin, 1);
  return { ymin, xmin, bh: rh / ph, bw: rw / pw, gh: ratio > 0 ? ratio : Math.ceil(rh / ph), gw: ratio > 0 ? ratio : Math.ceil(rw / pw) };
}

/**
 * Bilinear sample position (y, x) in an h x w map: the 4 flat offsets and weights, or false
 * when the point lies outside [-1, h] x [-1, w] (Paddle's PreCalcForBilinearInterpolate).
 */
function bilinear(y: number, x: number, h: number, w: number, pos: Int32Array, wt: Float64Array): boolean {
  if (y < -1 || y > h || x < -1 || x > w) return false;
  if (y <= 0) y = 0;
  if (x <= 0) x = 0;
  let yl = Math.trunc(y);
  let xl = Math.trunc(x);
  let yh: number;
  let xh: number;
  if (yl >= h - 1) {
    yh = yl = h - 1;
    y = yl;
  } else yh = yl + 1;
  if (xl >= w - 1) {
    xh = xl = w - 1;
    x = xl;
  } else xh = xl + 1;
  const ly = y - yl;
  const lx = x - xl;
  const hy = 1 - ly;
  const hx = 1 - lx;
  pos[0] = yl * w + xl;
  pos[1] = yl * w + xh;
  pos[2] = yh * w + xl;
  pos[3] = yh * w + xh;
  wt[0] = hy * hx;
  wt[1] = hy * lx;
  wt[2] = ly * hx;
  wt[3] = ly * lx;
  return true;
}

function alignCore(ins: Record<string, Tensor[]>, a: Attrs, grad: boolean): { dims: number[]; data: Float64Array | Float32Array } {
  const op = grad ? 'roi_align_grad' : 'roi_align';
  const { xT, rT, n, c, h, w, k, ph, pw, scale } = roiInputs(ins, a);
  const ratio = a.sampling_ratio as number;
  const ids = roiBatchIds(op, rT, ins.RoisNum?.[0], n);
  const r = nums(rT);
  const x = grad ? null : nums(xT);
  const dy = grad ? nums(ins['Out@GRAD'][0]) : null;
  const dims = grad ? xT.dims.slice() : [k, c, ph, pw];
  const out = outNumbers(xT.dtype, dims) as Float64Array | Float32Array;
  const pos = new Int32Array(4);
  const wt = new Float64Array(4);
  for (let i = 0; i < k; i++) {
    const g = alignGeom(r, i, scale, ph, pw, ratio);
    const count = g.gh * g.gw;
    // sample points of the RoI: offsets / weights, shared by the channels
    const np = ph * pw * count;
    const P = new Int32Array(np * 4);
    const W = new Float64Array(np * 4);
    let q = 0;
    for (let y = 0; y < ph; y++)
      for (let z = 0; z < pw; z++)
        for (let iy = 0; iy < g.gh; iy++) {
          const yy = g.ymin + y * g.bh + ((iy + 0.5) * g.bh) / g.gh;
          for (let ix = 0; ix < g.gw; ix++, q++) {
            const xx = g.xmin + z * g.bw + ((ix + 0.5) * g.bw) / g.gw;
            if (bilinear(yy, xx, h, w, pos, wt)) for (let t = 0; t < 4; t++) {
              P[q * 4 + t] = pos[t];
              W[q * 4 + t] = wt[t];
            }
          }
        }
    for (let ch = 0; ch < c; ch++) {
      const plane = (ids[i] * c + ch) * h * w;
      let s = 0;
      for (let b = 0; b < ph * pw; b++) {
        const o = ((i * c + ch) * ph * pw) + b;
        if (!grad) {
          let v = 0;
          for (let t = 0; t < count * 4; t++, s++) v += W[s] * x![plane + P[s]];
          out[o] = v / count;
        } else {
          const d = dy![o] / count;
          for (let t = 0; t < count * 4; t++, s++) out[plane + P[s]] += W[s] * d;
        }
      }
    }
  }
  return { dims, data: out };
}

regWithGrad('roi_align', 'roi_align_grad', alignCore);

// ---- psroi_pool --------------------------------------------------------------------------------

function psCore(ins: Record<string, Tensor[]>, a: Attrs, grad: boolean): { dims: number[]; data: Float64Array | Float32Array } {
  const op = grad ? 'psroi_pool_grad' : 'psroi_pool';
  const { xT, rT, n, c, h, w, k, ph, pw, scale } = roiInputs(ins, a);
  const oc = a.output_channels as number;
  const ids = roiBatchIds(op, rT, undefined, n, 'LoD');
  const r = nums(rT);
  const x = grad ? null : nums(xT);
  const dy = grad ? nums(ins['Out@GRAD'][0]) : null;
  const dims = grad ? xT.dims.slice() : [k, oc, ph, pw];
  const out = outNumbers(xT.dtype, dims) as Float64Array | Float32Array;
  for (let i = 0; i < k; i++) {
    const sw = roundC(r[i * 4]) * scale;
    const sh = roundC(r[i * 4 + 1]) * scale;
    const ew = (roundC(r[i * 4 + 2]) + 1) * scale;
    const eh = (roundC(r[i * 4 + 3]) + 1) * scale;
    const rh = Math.max(eh - sh, 0.1);
    const rw = Math.max(ew - sw, 0.1);
    const bh = rh / ph;
    const bw = rw / pw;
    for (let co = 0; co < oc; co++)
      for (let y = 0; y < ph; y++) {
        const hs = Math.min(Math.max(Math.floor(y * bh + sh), 0), h);
        const he = Math.min(Math.max(Math.ceil((y + 1) * bh + sh), 0), h);
        for (let z = 0; z < pw; z++) {
          const ws = Math.min(Math.max(Math.floor(z * bw + sw), 0), w);
          const we = Math.min(Math.max(Math.ceil((z + 1) * bw + sw), 0), w);
          const o = ((i * oc + co) * ph + y) * pw + z;
          const plane = (ids[i] * c + (co * ph + y) * pw + z) * h * w;
          const empty = he <= hs || we <= ws;
          const area = (he - hs) * (we - ws);
          if (!grad) {
            let s = 0;
            for (let yy = hs; yy < he; yy++) for (let xx = ws; xx < we; xx++) s += x![plane + yy * w + xx];
            out[o] = empty ? 0 : s / area;
          } else if (!empty) {
            const d = dy![o] / area;
            for (let yy = hs; yy < he; yy++) for (let xx = ws; xx < we; xx++) out[plane + yy * w + xx] += d;
          }
        }
      }
  }
  return { dims, data: out };
}

regWithGrad('psroi_pool', 'psroi_pool_grad', psCore);

// ---- prroi_pool --------------------------------------------------------------------------------

const getData = (d: ArrayLike<number>, o: number, y: number, x: number, h: number, w: number): number =>
  y < 0 || x < 0 || y >= h || x >= w ? 0 : d[o + y * w + x];

/** ∫ over [a0, a1] of (1 - a) times ∫ over [b0, b1] of (1 - b): the weight of one corner. */
const cornerWeight = (alpha: number, limA: number, beta: number, limB: number): number =>
  (limA - 0.5 * limA * limA - alpha + 0.5 * alpha * alpha) * (limB - 0.5 * limB * limB - beta + 0.5 * beta * beta);

/** The integral of the bilinear interpolation over [y0, y1] x [x0, x1] in cell (sh, sw). */
function matCalc(d: ArrayLike<number>, o: number, sh: number, sw: number, eh: number, ew: number, y0: number, x0: number, y1: number, x1: number, h: number, w: number): number {
  let s = 0;
  s += getData(d, o, sh, sw, h, w) * cornerWeight(x0 - sw, x1 - sw, y0 - sh, y1 - sh);
  s += getData(d, o, sh, ew, h, w) * cornerWeight(ew - x1, ew - x0, y0 - sh, y1 - sh);
  s += getData(d, o, eh, sw, h, w) * cornerWeight(x0 - sw, x1 - sw, eh - y1, eh - y0);
  s += getData(d, o, eh, ew, h, w) * cornerWeight(ew - x1, ew - x0, eh - y1, eh - y0);
  return s;
}
function matDistribute(g: Float64Array | Float32Array, o: number, top: number, sh: number, sw: number, eh: number, ew: number, y0: number, x0: number, y1: number, x1: number, h: number, w: number): void {
  const put = (y: number, x: number, coef: number): void => {
    if (!(y < 0 || x < 0 || y >= h || x >= w)) g[o + y * w + x] += top * coef;
  };
  put(sh, sw, cornerWeight(x0 - sw, x1 - sw, y0 - sh, y1 - sh));
  put(sh, ew, cornerWeight(ew - x1, ew - x0, y0 - sh, y1 - sh));
  put(eh, sw, cornerWeight(x0 - sw, x1 - sw, eh - y1, eh - y0));
  put(eh, ew, cornerWeight(ew - x1, ew - x0, eh - y1, eh - y0));
}
/** Bilinear interpolation at (y, x) (prroi's PrRoIPoolingInterpolation). */
function interp(d: ArrayLike<number>, o: number, y: number, x: number, h: number, w: number): number {
  const fy = Math.floor(y);
  const fx = Math.floor(x);
  const coef = (dy: number, dx: number): number => (1 - Math.abs(dy)) * (1 - Math.abs(dx));
  return (
    getData(d, o, fy, fx, h, w) * coef(y - fy, x - fx) +
    getData(d, o, fy + 1, fx, h, w) * coef(y - fy - 1, x - fx) +
    getData(d, o, fy, fx + 1, h, w) * coef(y - fy, x - fx - 1) +
    getData(d, o, fy + 1, fx + 1, h, w) * coef(y - fy - 1, x - fx - 1)
  );
}
const singleIntegral = (s: number, t: number, c1: number, c2: number): number => 0.5 * (t * t - s * s) * c2 + (t - 0.5 * t * t - s + 0.5 * s * s) * c1;

/** RoI i's corner (sw, sh), bin size (bw, bh) and bin area for prroi_pool (no rounding, empty RoIs allowed). */
function prroiBins(r: ArrayLike<number>, i: number, scale: number, ph: number, pw: number): { sw: number; sh: number; bh: number; bw: number; win: number } {
  const sw = r[i * 4] * scale;
  const sh = r[i * 4 + 1] * scale;
  const rw = Math.max(r[i * 4 + 2] * scale - sw, 0);
  const rh = Math.max(r[i * 4 + 3] * scale - sh, 0);
  const bh = rh / ph;
  const bw = rw / pw;
  return { sw, sh, bh, bw, win: Math.max(0, bw * bh) };
}

function prroiIds(ins: Record<string, Tensor[]>, op: string): Int32Array {
  return roiBatchIds(op, ins.ROIs[0], ins.BatchRoINums?.[0], ins.X[0].dims[0], 'BatchRoINums');
}

reg('prroi_pool', (ins, a: Attrs, outs) => {
  const { xT, rT, c, h, w, k, ph, pw, scale } = roiInputs(ins, a);
  const dims = [k, c, ph, pw];
  const out = outNumbers(xT.dtype, dims);
  if (k === 0) return { Out: [make(out, dims, xT.dtype)] };
  const ids = prroiIds(ins, 'prroi_pool');
  const x = nums(xT);
  const r = nums(rT);
  for (let i = 0; i < k; i++) {
    const { sw, sh, bh, bw, win } = prroiBins(r, i, scale, ph, pw);
    for (let ch = 0; ch < c; ch++) {
      const plane = (ids[i] * c + ch) * h * w;
      for (let y = 0; y < ph; y++)
        for (let z = 0; z < pw; z++) {
          const o = ((i * c + ch) * ph + y) * pw + z;
          if (!(win > 0)) {
            out[o] = 0;
            continue;
          }
          const y0 = y * bh + sh;
          const x0 = z * bw + sw;
          const y1 = y0 + bh;
          const x1 = x0 + bw;
          let s = 0;
          for (let wi = Math.floor(x0); wi < Math.ceil(x1); wi++)
            for (let hi = Math.floor(y0); hi < Math.ceil(y1); hi++)
              s += matCalc(x, plane, hi, wi, hi + 1, wi + 1, Math.max(y0, hi), Math.max(x0, wi), Math.min(y1, hi + 1), Math.min(x1, wi + 1), h, w);
          out[o] = s / win;
        }
    }
  }
  return { Out: [make(out, dims, xT.dtype)] };
});

reg('prroi_pool_grad', (ins, a: Attrs, outs) => {
  const { xT, rT, c, h, w, k, ph, pw, scale } = roiInputs(ins, a);
  const dx = outNumbers(xT.dtype, xT.dims) as Float64Array | Float32Array;
  const dr = outNumbers(rT.dtype, rT.dims) as Float64Array | Float32Array;
  if (k > 0) {
    const ids = prroiIds(ins, 'prroi_pool_grad');
    const x = nums(xT);
    const r = nums(rT);
    const top = nums(ins.Out[0]);
    const dy = nums(ins['Out@GRAD'][0]);
    for (let i = 0; i < k; i++) {
      const { sw, sh, bh, bw, win } = prroiBins(r, i, scale, ph, pw);
      for (let ch = 0; ch < c; ch++) {
        const plane = (ids[i] * c + ch) * h * w;
        for (let y = 0; y < ph; y++)
          for (let z = 0; z < pw; z++) {
            const o = ((i * c + ch) * ph + y) * pw + z;
            const x0 = sw + bw * z;
            const y0 = sh + bh * y;
            const x1 = x0 + bw;
            const y1 = y0 + bh;
            const g = win === 0 ? 0 : dy[o] / win;
            const s0w = Math.floor(x0);
            const e0w = Math.ceil(x1);
            const s0h = Math.floor(y0);
            const e0h = Math.ceil(y1);
            for (let wi = s0w; wi < e0w; wi++)
              for (let hi = s0h; hi < e0h; hi++)
                matDistribute(dx, plane, g, hi, wi, hi + 1, wi + 1, Math.max(y0, hi), Math.max(x0, wi), Math.min(y1, hi + 1), Math.min(x1, wi + 1), h, w);
            // the gradient with respect to the RoI corners: each window edge moves the integral
            // by the interpolated values along that edge (Paddle's PrRoIPoolingCoorBackward)
            if (win === 0) continue;
            let gx1 = 0;
            let gx2 = 0;
            let gy1 = 0;
            let gy2 = 0;
            for (let hi = s0h; hi < e0h; hi++) {
              const s = Math.max(y0, hi) - hi;
              const t = Math.min(y1, hi + 1) - hi;
              gx1 += singleIntegral(s, t, interp(x, plane, hi, x0, h, w), interp(x, plane, hi + 1, x0, h, w));
              gx2 += singleIntegral(s, t, interp(x, plane, hi, x1, h, w), interp(x, plane, hi + 1, x1, h, w));
            }
            for (let wi = s0w; wi < e0w; wi++) {
              const s = Math.max(x0, wi) - wi;
              const t = Math.min(x1, wi + 1) - wi;
              gy1 += singleIntegral(s, t, interp(x, plane, y0, wi, h, w), interp(x, plane, y0, wi + 1, h, w));
              gy2 += singleIntegral(s, t, interp(x, plane, y1, wi, h, w), interp(x, plane, y1, wi + 1, h, w));
            }
            const tv = top[o];
            const px1 = ((-gx1 + (y1 - y0) * tv) / win) * scale;
            const py1 = ((-gy1 + (x1 - x0) * tv) / win) * scale;
            const px2 = ((gx2 - (y1 - y0) * tv) / win) * scale;
            const py2 = ((gy2 - (x1 - x0) * tv) / win) * scale;
            const d = dy[o];
            dr[i * 4] += (px1 * (1 - z / pw) + px2 * (1 - (z + 1) / pw)) * d;
            dr[i * 4 + 1] += (py1 * (1 - y / ph) + py2 * (1 - (y + 1) / ph)) * d;
            dr[i * 4 + 2] += ((px2 * (z + 1)) / pw + (px1 * z) / pw) * d;
            dr[i * 4 + 3] += ((py2 * (y + 1)) / ph + (py1 * y) / ph) * d;
          }
      }
    }
  }
  return { 'X@GRAD': [make(dx, xT.dims.slice(), outs['X@GRAD'][0].dtype)], 'ROIs@GRAD': [make(dr, rT.dims.slice(), outs['ROIs@GRAD'][0].dtype)] };
});

// ---- roi_perspective_transform -----------------------------------------------------------------

const GT_E = (a: number, b: number): boolean => a > b || Math.abs(a - b) < 1e-4;
const LT_E = (a: number, b: number): boolean => a < b || Math.abs(a - b) < 1e-4;
const GT = (a: number, b: number): boolean => a - b > 1e-4;

/** Whether (x, y) lies in the quadrilateral (on an edge counts), Paddle's in_quad. */
function inQuad(x: number, y: number, rx: number[], ry: number[]): boolean {
  for (let i = 0; i < 4; i++) {
    const xs = rx[i];
    const ys = ry[i];
    const xe = rx[(i + 1) % 4];
    const ye = ry[(i + 1) % 4];
    if (Math.abs(ys - ye) < 1e-4) {
      if (Math.abs(y - ys) < 1e-4 && Math.abs(y - ye) < 1e-4 && GT_E(x, Math.min(xs, xe)) && LT_E(x, Math.max(xs, xe))) return true;
    } else {
      const ix = ((y - ys) * (xe - xs)) / (ye - ys) + xs;
      if (Math.abs(ix - x) < 1e-4 && GT_E(y, Math.min(ys, ye)) && LT_E(y, Math.max(ys, ye))) return true;
    }
  }
  let cross = 0;
  for (let i = 0; i < 4; i++) {
    const xs = rx[i];
    const ys = ry[i];
    const xe = rx[(i + 1) % 4];
    const ye = ry[(i + 1) % 4];
    if (Math.abs(ys - ye) < 1e-4) continue;
    if (LT_E(y, Math.min(ys, ye)) || GT(y, Math.max(ys, ye))) continue;
    const ix = ((y - ys) * (xe - xs)) / (ye - ys) + xs;
    if (Math.abs(ix - x) < 1e-4) return true;
    if (GT(ix, x)) cross++;
  }
  return cross % 2 === 1;
}

/** The 3x3 perspective matrix mapping output (w, h, 1) to the quadrilateral (get_transform_matrix). */
function transformMatrix(tw: number, th: number, rx: number[], ry: number[]): number[] {
  const [x0, x1, x2, x3] = rx;
  const [y0, y1, y2, y3] = ry;
  const len1 = Math.hypot(x0 - x1, y0 - y1);
  const len2 = Math.hypot(x1 - x2, y1 - y2);
  const len3 = Math.hypot(x2 - x3, y2 - y3);
  const len4 = Math.hypot(x3 - x0, y3 - y0);
  const eh = (len2 + len4) / 2;
  const ew = (len1 + len3) / 2;
  const nh = Math.max(2, th);
  let nw = roundC((ew * (nh - 1)) / eh) + 1;
  nw = Math.max(2, Math.min(nw, tw));
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const dy3 = y0 - y1 + y2 - y3;
  const m = new Array<number>(9);
  m[6] = (dx3 * dy2 - dx2 * dy3) / (dx1 * dy2 - dx2 * dy1 + 1e-5) / (nw - 1);
  m[7] = (dx1 * dy3 - dx3 * dy1) / (dx1 * dy2 - dx2 * dy1 + 1e-5) / (nh - 1);
  m[8] = 1;
  m[3] = (y1 - y0 + m[6] * (nw - 1) * y1) / (nw - 1);
  m[4] = (y3 - y0 + m[7] * (nh - 1) * y3) / (nh - 1);
  m[5] = y0;
  m[0] = (x1 - x0 + m[6] * (nw - 1) * x1) / (nw - 1);
  m[1] = (x3 - x0 + m[7] * (nh - 1) * x3) / (nh - 1);
  m[2] = x0;
  return m;
}

/**
 * Source samples of RoI `i`: for each output pixel inside the map, the 4 (offset, weight) pairs
 * of its bilinear interpolation (weight 0 pairs for pixels outside the quad or the map).
 */
function perspectiveSamples(r: ArrayLike<number>, i: number, scale: number, th: number, tw: number, h: number, w: number, dtype: DType) {
  const fr = rounder(dtype);
  const rx = [0, 1, 2, 3].map((k) => fr(r[i * 8 + 2 * k] * scale));
  const ry = [0, 1, 2, 3].map((k) => fr(r[i * 8 + 2 * k + 1] * scale));
  const m = transformMatrix(tw, th, rx, ry);
  const pos = new Int32Array(th * tw * 4);
  const wts = new Float64Array(th * tw * 4);
  const mask = new Int32Array(th * tw);
  for (let oh = 0; oh < th; oh++)
    for (let ow = 0; ow < tw; ow++) {
      const q = oh * tw + ow;
      const u = m[0] * ow + m[1] * oh + m[2];
      const v = m[3] * ow + m[4] * oh + m[5];
      const z = m[6] * ow + m[7] * oh + m[8];
      let iw = u / z;
      let ih = v / z;
      if (!inQuad(iw, ih, rx, ry)) continue;
      if (GT_E(-0.5, iw) || GT_E(iw, w - 0.5) || GT_E(-0.5, ih) || GT_E(ih, h - 0.5)) continue;
      mask[q] = 1;
      if (GT_E(0, iw)) iw = 0;
      if (GT_E(0, ih)) ih = 0;
      let wf = Math.floor(iw);
      let hf = Math.floor(ih);
      let wc: number;
      let hc: number;
      if (GT_E(wf, w - 1)) {
        wc = wf = w - 1;
        iw = wf;
      } else wc = wf + 1;
      if (GT_E(hf, h - 1)) {
        hc = hf = h - 1;
        ih = hf;
      } else hc = hf + 1;
      const a = iw - wf;
      const b = ih - hf;
      pos.set([hf * w + wf, hc * w + wf, hc * w + wc, hf * w + wc], q * 4);
      wts.set([(1 - a) * (1 - b), (1 - a) * b, a * b, a * (1 - b)], q * 4);
    }
  return { m, pos, wts, mask };
}

reg('roi_perspective_transform', (ins, a: Attrs, outs) => {
  const { xT, rT, n, c, h, w, k, ph: th, pw: tw, scale } = roiInputs(ins, a, 'transformed');
  const ids = roiBatchIds('roi_perspective_transform', rT, undefined, n, 'LoD');
  const x = nums(xT);
  const r = nums(rT);
  const dims = [k, c, th, tw];
  const out = outNumbers(xT.dtype, dims);
  const mask = new Int32Array(k * th * tw);
  const mats = outNumbers(xT.dtype, [k, 9]);
  for (let i = 0; i < k; i++) {
    const s = perspectiveSamples(r, i, scale, th, tw, h, w, xT.dtype);
    mats.set(s.m, i * 9);
    mask.set(s.mask, i * th * tw);
    for (let ch = 0; ch < c; ch++) {
      const plane = (ids[i] * c + ch) * h * w;
      for (let q = 0; q < th * tw; q++) {
        if (!s.mask[q]) continue;
        let v = 0;
        for (let t = 0; t < 4; t++) v += s.wts[q * 4 + t] * x[plane + s.pos[q * 4 + t]];
        out[(i * c + ch) * th * tw + q] = v;
      }
    }
  }
  // Out2InIdx / Out2InWeights are what Paddle's GPU kernel caches for its gradient; the CPU
  // kernel leaves them unset, here they are zeros
  return {
    Out: [make(out, dims, xT.dtype, rT.lod.length ? rT.lod : undefined)],
    Mask: [make(mask, [k, 1, th, tw], 'int32')],
    TransformMatrix: [make(mats, [k, 9], xT.dtype)],
    Out2InIdx: [make(new Int32Array(k * c * th * tw), dims.slice(), 'int32')],
    Out2InWeights: [make(outNumbers(xT.dtype, dims), dims.slice(), xT.dtype)],
  };
});

reg('roi_perspective_transform_grad', (ins, a: Attrs, outs) => {
  const { xT, rT, n, c, h, w, k, ph: th, pw: tw, scale } = roiInputs(ins, a, 'transformed');
  const ids = roiBatchIds('roi_perspective_transform_grad', rT, undefined, n, 'LoD');
  const r = nums(rT);
  const dy = nums(ins['Out@GRAD'][0]);
  const dx = outNumbers(xT.dtype, xT.dims);
  for (let i = 0; i < k; i++) {
    const s = perspectiveSamples(r, i, scale, th, tw, h, w, xT.dtype);
    for (let ch = 0; ch < c; ch++) {
      const plane = (ids[i] * c + ch) * h * w;
      for (let q = 0; q < th * tw; q++) {
        if (!s.mask[q]) continue;
        const g = dy[(i * c + ch) * th * tw + q];
        // a clamped sample repeats a pixel (floor == ceil) with weight 0 on the repeat
        for (let t = 0; t < 4; t++) dx[plane + s.pos[q * 4 + t]] += g * s.wts[q * 4 + t];
      }
    }
  }
  return { 'X@GRAD': [make(dx, xT.dims.slice(), outs['X@GRAD'][0].dtype)] };
});

// ---- deformable_psroi_pooling -------------------------------------------------------------------

function deformCore(ins: Record<string, Tensor[]>, a: Attrs, grad: boolean) {
  const op = grad ? 'deformable_psroi_pooling_grad' : 'deformable_psroi_pooling';
  const xT = ins.Input[0];
  const rT = ins.ROIs[0];
  const tT = ins.Trans[0];
  const [n, c, h, w] = xT.dims;
  const k = rT.dims[0];
  const noTrans = a.no_trans as boolean;
  const scale = Math.fround(a.spatial_scale as number);
  const od = a.output_dim as number;
  const [gH, gW] = a.group_size as number[];
  const ph = a.pooled_height as number;
  const pw = a.pooled_width as number;
  const [partH, partW] = a.part_size as number[];
  const spp = a.sample_per_part as number;
  const std = Math.fround(a.trans_std as number);
  const classes = noTrans ? 1 : tT.dims[1] / 2;
  const perClass = noTrans ? od : od / classes;
  const ids = roiBatchIds(op, rT, undefined, n, 'LoD');
  const x = nums(xT);
  const r = nums(rT);
  const tr = noTrans ? null : nums(tT);
  const tH = tT.dims[2];
  const tW = tT.dims[3];
  const count = k * od * ph * pw;
  const top = grad ? null : (outNumbers(xT.dtype, [k, od, ph, pw]) as Float64Array | Float32Array);
  const topCount = grad ? nums(ins.TopCount[0]) : (outNumbers(xT.dtype, [k, od, ph, pw]) as Float64Array | Float32Array);
  const dy = grad ? nums(ins['Output@GRAD'][0]) : null;
  const dx = grad ? (outNumbers(xT.dtype, xT.dims) as Float64Array | Float32Array) : null;
  const dt = grad ? (outNumbers(tT.dtype, tT.dims) as Float64Array | Float32Array) : null;
  for (let ix = 0; ix < count; ix++) {
    const z = ix % pw;
    const y = Math.trunc(ix / pw) % ph;
    const ctop = Math.trunc(ix / pw / ph) % od;
    const i = Math.trunc(ix / pw / ph / od);
    const sw = roundC(r[i * 4]) * scale - 0.5;
    const sh = roundC(r[i * 4 + 1]) * scale - 0.5;
    const ew = (roundC(r[i * 4 + 2]) + 1) * scale - 0.5;
    const eh = (roundC(r[i * 4 + 3]) + 1) * scale - 0.5;
    const rw = Math.max(ew - sw, 0.1);
    const rh = Math.max(eh - sh, 0.1);
    const bh = rh / ph;
    const bw = rw / pw;
    const sbh = bh / spp;
    const sbw = bw / spp;
    const partY = Math.floor((y / ph) * partH);
    const partX = Math.floor((z / pw) * partW);
    const cls = Math.trunc(ctop / perClass);
    const tx = ((i * classes + cls) * 2 * tH + partY) * tW + partX;
    const ty = ((i * classes + cls) * 2 * tH + tH + partY) * tW + partX;
    const transX = noTrans ? 0 : tr![tx] * std;
    const transY = noTrans ? 0 : tr![ty] * std;
    const wstart = z * bw + sw + transX * rw;
    const hstart = y * bh + sh + transY * rh;
    let gw = Math.floor((z * gW) / pw);
    let gh = Math.floor((y * gH) / ph);
    gw = Math.min(Math.max(gw, 0), gW - 1);
    gh = Math.min(Math.max(gh, 0), gH - 1);
    const plane = (ids[i] * c + (ctop * gH + gh) * gW + gw) * h * w;
    if (grad && !(topCount[ix] > 0)) continue;
    const diff = grad ? dy![ix] / topCount[ix] : 0;
    let sum = 0;
    let num = 0;
    for (let ih = 0; ih < spp; ih++)
      for (let iw = 0; iw < spp; iw++) {
        let sx = wstart + iw * sbw;
        let sy = hstart + ih * sbh;
        if (sx < -0.5 || sx > w - 0.5 || sy < -0.5 || sy > h - 0.5) continue;
        sx = Math.min(Math.max(sx, 0), w - 1);
        sy = Math.min(Math.max(sy, 0), h - 1);
        const x0 = Math.floor(sx);
        const x1 = Math.ceil(sx);
        const y0 = Math.floor(sy);
        const y1 = Math.ceil(sy);
        const ddx = sx - x0;
        const ddy = sy - y0;
        const u00 = x[plane + y0 * w + x0];
        const u01 = x[plane + y1 * w + x0];
        const u10 = x[plane + y0 * w + x1];
        const u11 = x[plane + y1 * w + x1];
        if (!grad) {
          sum += (1 - ddx) * (1 - ddy) * u00 + (1 - ddx) * ddy * u01 + ddx * (1 - ddy) * u10 + ddx * ddy * u11;
          num++;
          continue;
        }
        dx![plane + y0 * w + x0] += (1 - ddx) * (1 - ddy) * diff;
        dx![plane + y1 * w + x0] += (1 - ddx) * ddy * diff;
        dx![plane + y0 * w + x1] += ddx * (1 - ddy) * diff;
        dx![plane + y1 * w + x1] += ddx * ddy * diff;
        if (noTrans) continue;
        dt![tx] += (u11 * ddy + u10 * (1 - ddy) - u01 * ddy - u00 * (1 - ddy)) * std * diff * rw;
        dt![ty] += (u11 * ddx + u01 * (1 - ddx) - u10 * ddx - u00 * (1 - ddx)) * std * diff * rh;
      }
    if (!grad) {
      top![ix] = num === 0 ? 0 : sum / num;
      (topCount as Float64Array)[ix] = num;
    }
  }
  return { top, topCount, dx, dt };
}

reg('deformable_psroi_pooling', (ins, a: Attrs, outs) => {
  const { top, topCount } = deformCore(ins, a, false);
  const m = outs.Output[0];
  const dims = [ins.ROIs[0].dims[0], a.output_dim as number, a.pooled_height as number, a.pooled_width as number];
  return { Output: [make(top!, dims, m.dtype)], TopCount: [make(topCount as Float64Array, dims.slice(), outs.TopCount[0].dtype)] };
});

reg('deformable_psroi_pooling_grad', (ins, a: Attrs, outs) => {
  const { dx, dt } = deformCore(ins, a, true);
  return {
    'Input@GRAD': [make(dx!, ins.Input[0].dims.slice(), outs['Input@GRAD'][0].dtype)],
    'Trans@GRAD': [make(dt!, ins.Trans[0].dims.slice(), outs['Trans@GRAD'][0].dtype)],
  };
});
