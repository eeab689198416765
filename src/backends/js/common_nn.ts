// Portable kernels of the common nn operators (src/ops/common_nn.ts): one_hot(_v2),
// label_smooth, pixel_shuffle(_grad), unfold(_grad), grid_sampler(_grad), affine_grid(_grad),
// temporal_shift(_grad), diag_embed and bilinear_tensor_product. Data-movement kernels copy
// raw storage; math kernels compute in JS numbers (float16 through float32).
import { allocNumbers, allocStorage, DType, NumArray, Storage, toNumbers } from '../../core/dtype.js';
import { Attrs, registerKernel, Slots } from '../../core/registry.js';
import { numel, stridesOf } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { diagEmbedDims, pixelShuffleDims, unfoldGeom } from '../../ops/common_nn.js';
import { dtypeAttr, opFail } from '../../ops/util.js';
import { nums, tensorOf } from './loops.js';

// ---- one_hot_v2 / one_hot -------------------------------------------------------------------
function oneHot(op: string, v1: boolean) {
  return (ins: Slots<Tensor>, attrs: Attrs): Slots<Tensor> => {
    const x = ins.X[0];
    const dt = ins.depth_tensor?.[0];
    const depth = dt ? Number(toNumbers(dt.data, dt.dtype)[0]) : Number(attrs.depth);
    if (!(Number.isInteger(depth) && depth >= 1)) opFail(op, `the depth must be a positive integer, but got ${depth}`);
    const d: DType = dtypeAttr(attrs.dtype, op) ?? 'float32';
    const ids = toNumbers(x.data, x.dtype);
    const n = numel(x.dims);
    const out = allocNumbers(d, n * depth);
    const allow = !!attrs.allow_out_of_range;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (id >= 0 && id < depth) out[i * depth + id] = 1;
      else if (!allow) {
        if (id < 0) opFail(op, `illegal index value: every value of the input should be at least 0, but got ${id} (position ${i})`);
        opFail(op, `illegal index value: every value of the input should be less than the depth (num_classes) ${depth}, but got ${id} (position ${i})`);
      }
    }
    const dims = v1 ? [...x.dims.slice(0, -1), depth] : [...x.dims, depth];
    return { Out: [tensorOf(out, dims, d)] };
  };
}
registerKernel('one_hot_v2', 'js', oneHot('one_hot_v2', false));
registerKernel('one_hot', 'js', oneHot('one_hot', true));

// ---- label_smooth -------------------------------------------------------------------------
registerKernel('label_smooth', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const eps = Number(attrs.epsilon);
  const a = nums(x);
  const n = numel(x.dims);
  const k = x.dims[x.dims.length - 1];
  const out = allocNumbers(x.dtype, n);
  const pd = ins.PriorDist?.[0];
  if (pd) {
    const prior = nums(pd);
    if (numel(pd.dims) !== k) opFail('label_smooth', `PriorDist must hold ${k} values (one per class), but has shape [${pd.dims}]`);
    for (let i = 0; i < n; i += k) for (let j = 0; j < k; j++) out[i + j] = (1 - eps) * a[i + j] + eps * prior[j];
  } else {
    const u = eps / k;
    for (let i = 0; i < n; i++) out[i] = (1 - eps) * a[i] + u;
  }
  return { Out: [tensorOf(out, x.dims.slice(), x.dtype)] };
});

// ---- pixel_shuffle ----------------------------------------------------------------------
/**
 * Moves elements between X's layout ([N, C*r*r, H, W] or NHWC) and Out's ([N, C, H*r, W*r]);
 * `toOut` copies X -> Out, otherwise Out -> X. Raw storage, any dtype.
 */
function shuffle(src: Storage, d: DType, xDims: readonly number[], r: number, channelLast: boolean, toOut: boolean): Storage {
  const [N, d1, d2, d3] = xDims;
  const Cin = channelLast ? d3 : d1;
  const H = channelLast ? d1 : d2;
  const W = channelLast ? d2 : d3;
  const C = Cin / (r * r);
  const Ho = H * r;
  const Wo = W * r;
  const out = allocStorage(d, numel(xDims));
  const s = src as Float64Array;
  const o = out as Float64Array;
  let xi = 0;
  for (let n = 0; n < N; n++) {
    if (!channelLast) {
      for (let ci = 0; ci < Cin; ci++) {
        const c = Math.floor(ci / (r * r));
        const rem = ci - c * r * r;
        const i = Math.floor(rem / r);
        const j = rem - i * r;
        for (let h = 0; h < H; h++) {
          let oi = ((n * C + c) * Ho + h * r + i) * Wo + j;
          for (let w = 0; w < W; w++, xi++, oi += r) {
            if (toOut) o[oi] = s[xi];
            else o[xi] = s[oi];
          }
        }
      }
    } else {
      for (let h = 0; h < H; h++) {
        for (let w = 0; w < W; w++) {
          for (let ci = 0; ci < Cin; ci++, xi++) {
            const c = Math.floor(ci / (r * r));
            const rem = ci - c * r * r;
            const i = Math.floor(rem / r);
            const j = rem - i * r;
            const oi = ((n * Ho + h * r + i) * Wo + w * r + j) * C + c;
            if (toOut) o[oi] = s[xi];
            else o[xi] = s[oi];
          }
        }
      }
    }
  }
  return out;
}

registerKernel('pixel_shuffle', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const dims = pixelShuffleDims('pixel_shuffle', x.dims, attrs, false);
  const out = shuffle(x.data, x.dtype, x.dims, Number(attrs.upscale_factor), attrs.data_format === 'NHWC', true);
  return { Out: [new Tensor(out, dims, x.dtype)] };
});

registerKernel('pixel_shuffle_grad', 'js', (ins, attrs) => {
  const g = ins['Out@GRAD'][0];
  const xDims = pixelShuffleDims('pixel_shuffle_grad', g.dims, attrs, true);
  const out = shuffle(g.data, g.dtype, xDims, Number(attrs.upscale_factor), attrs.data_format === 'NHWC', false);
  return { 'X@GRAD': [new Tensor(out, xDims, g.dtype)] };
});

// ---- unfold (im2col) / unfold_grad (col2im) ---------------------------------------------
/**
 * Y[n, (c*kh + i)*kw + j, oh*OW + ow] = X[n, c, oh*sh - pt + i*dh, ow*sw - pl + j*dw] (0 outside);
 * `back` adds Y into X instead (the adjoint).
 */
function im2col(xv: NumArray, yv: NumArray, xDims: readonly number[], attrs: Attrs, op: string, back: boolean): void {
  const [N, C, H, W] = xDims;
  const g = unfoldGeom(op, xDims, attrs);
  const [kh, kw] = g.k;
  const [sh, sw] = g.s;
  const [dh, dw] = g.d;
  const pt = g.p[0];
  const pl = g.p[1];
  const OH = g.outH;
  const OW = g.outW;
  let yi = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const xBase = (n * C + c) * H * W;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          for (let oh = 0; oh < OH; oh++) {
            const h = oh * sh - pt + i * dh;
            if (h < 0 || h >= H) {
              if (!back) yv.fill(0, yi, yi + OW);
              yi += OW;
              continue;
            }
            const rowBase = xBase + h * W;
            for (let ow = 0; ow < OW; ow++, yi++) {
              const w = ow * sw - pl + j * dw;
              if (w < 0 || w >= W) {
                if (!back) yv[yi] = 0;
                continue;
              }
              if (back) xv[rowBase + w] += yv[yi];
              else yv[yi] = xv[rowBase + w];
            }
          }
        }
      }
    }
  }
}

registerKernel('unfold', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const g = unfoldGeom('unfold', x.dims, attrs);
  const dims = [x.dims[0], x.dims[1] * g.k[0] * g.k[1], g.outH * g.outW];
  const y = allocNumbers(x.dtype, numel(dims));
  im2col(nums(x), y, x.dims, attrs, 'unfold', false);
  return { Y: [tensorOf(y, dims, x.dtype)] };
});

registerKernel('unfold_grad', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const gy = ins['Y@GRAD'][0];
  const dx = allocNumbers(gy.dtype, numel(x.dims));
  im2col(dx, nums(gy), x.dims, attrs, 'unfold_grad', true);
  return { 'X@GRAD': [tensorOf(dx, x.dims.slice(), gy.dtype)] };
});

// ---- grid_sampler -------------------------------------------------------------------------
/** C++ round(): halves away from zero. */
const roundAway = (v: number): number => (v < 0 ? -Math.round(-v) : Math.round(v));

/**
 * One grid coordinate mapped to the input's pixel space, with d(pixel)/d(grid) (Paddle's
 * unnormalize + clip / clipWithMask). `max` is size - 1. Writes [coord, scale] into `res`.
 */
function sourceCoord(g: number, max: number, align: boolean, padding: string, res: Float64Array): void {
  let x: number;
  let scale: number;
  if (align) {
    scale = max * 0.5;
    x = (g + 1) * scale;
  } else {
    scale = (max + 1) * 0.5;
    x = (g + 1) * scale - 0.5;
  }
  if (padding === 'border') {
    const cx = Math.min(Math.max(x, 0), max);
    if (cx !== x) scale = 0;
    x = cx;
  } else if (padding === 'reflection') {
    if (align && max === 0) {
      // a single pixel: every location reflects onto it (Paddle divides 0 by 0 here)
      x = 0;
      scale = 0;
    } else if (align) {
      const range = max * 2;
      const neg = x < 0;
      const a = Math.abs(x);
      const extra = a - Math.floor(a / range) * range;
      const flip = extra > range - extra;
      scale *= neg === flip ? 1 : -1;
      x = Math.min(extra, range - extra);
    } else {
      const range = (max + 1) * 2;
      const t = x + 0.5;
      const neg = t < 0;
      const a = Math.abs(t);
      const extra = a - Math.floor(a / range) * range;
      const flip = extra > range - extra;
      const refl = Math.min(extra, range - extra) - 0.5;
      const cx = Math.min(Math.max(refl, 0), max);
      scale *= (neg === flip ? 1 : -1) * (cx === refl ? 1 : 0);
      x = cx;
    }
  }
  res[0] = x;
  res[1] = scale;
}

interface GridArgs {
  N: number;
  C: number;
  H: number;
  W: number;
  OH: number;
  OW: number;
  align: boolean;
  padding: string;
  nearest: boolean;
}
function gridArgs(x: Tensor, grid: Tensor, attrs: Attrs): GridArgs {
  const [N, C, H, W] = x.dims;
  return {
    N, C, H, W, OH: grid.dims[1], OW: grid.dims[2],
    align: !!attrs.align_corners, padding: String(attrs.padding_mode), nearest: attrs.mode === 'nearest',
  };
}

/**
 * grid_sampler's output (grad false) or its input and grid gradients (grad true): both walk the
 * grid points alike, mapping each to its nearest pixel or its four bilinear corners.
 */
function gridSample(ins: Slots<Tensor>, attrs: Attrs, grad: boolean): Slots<Tensor> {
  const x = ins.X[0];
  const grid = ins.Grid[0];
  const go = grad ? ins['Output@GRAD'][0] : null;
  const { N, C, H, W, OH, OW, align, padding, nearest } = gridArgs(x, grid, attrs);
  const xv = nums(x);
  const gv = nums(grid);
  const gov = go ? nums(go) : null;
  const out = grad ? null : allocNumbers(x.dtype, N * C * OH * OW);
  const dx = grad ? allocNumbers(x.dtype, numel(x.dims)) : null;
  const dgrid = grad ? allocNumbers(grid.dtype, numel(grid.dims)) : null;
  const P = OH * OW;
  const HW = H * W;
  const cx = new Float64Array(2);
  const cy = new Float64Array(2);
  for (let n = 0; n < N; n++) {
    const xBase = n * C * HW;
    const oBase = n * C * P;
    for (let q = 0; q < P; q++) {
      const gi = 2 * (n * P + q);
      sourceCoord(gv[gi], W - 1, align, padding, cx);
      sourceCoord(gv[gi + 1], H - 1, align, padding, cy);
      const px = cx[0];
      const py = cy[0];
      if (nearest) {
        const ix = roundAway(px);
        const iy = roundAway(py);
        if (!(ix >= 0 && ix <= W - 1 && iy >= 0 && iy <= H - 1)) continue;
        const off = iy * W + ix;
        if (!grad) for (let c = 0; c < C; c++) out![oBase + c * P + q] = xv[xBase + c * HW + off];
        else for (let c = 0; c < C; c++) dx![xBase + c * HW + off] += gov![oBase + c * P + q];
        continue; // the grid gets no gradient (piecewise constant)
      }
      const x0 = Math.floor(px);
      const y0 = Math.floor(py);
      const x1 = x0 + 1;
      const y1 = y0 + 1;
      const dw = px - x0;
      const de = x1 - px;
      const dn = py - y0;
      const ds = y1 - py;
      const inW = x0 >= 0 && x0 <= W - 1;
      const inE = x1 >= 0 && x1 <= W - 1;
      const inN = y0 >= 0 && y0 <= H - 1;
      const inS = y1 >= 0 && y1 <= H - 1;
      const okWN = inW && inN;
      const okEN = inE && inN;
      const okWS = inW && inS;
      const okES = inE && inS;
      if (!grad) {
        const wWN = de * ds;
        const wEN = dw * ds;
        const wWS = de * dn;
        const wES = dw * dn;
        for (let c = 0; c < C; c++) {
          const b = xBase + c * HW;
          let v = 0;
          if (okWN) v += xv[b + y0 * W + x0] * wWN;
          if (okEN) v += xv[b + y0 * W + x1] * wEN;
          if (okWS) v += xv[b + y1 * W + x0] * wWS;
          if (okES) v += xv[b + y1 * W + x1] * wES;
          out![oBase + c * P + q] = v;
        }
        continue;
      }
      let gx = 0;
      let gy = 0;
      for (let c = 0; c < C; c++) {
        const b = xBase + c * HW;
        const g = gov![oBase + c * P + q];
        const vWN = okWN ? xv[b + y0 * W + x0] : 0;
        const vEN = okEN ? xv[b + y0 * W + x1] : 0;
        const vWS = okWS ? xv[b + y1 * W + x0] : 0;
        const vES = okES ? xv[b + y1 * W + x1] : 0;
        if (okWN) dx![b + y0 * W + x0] += g * de * ds;
        if (okEN) dx![b + y0 * W + x1] += g * dw * ds;
        if (okWS) dx![b + y1 * W + x0] += g * de * dn;
        if (okES) dx![b + y1 * W + x1] += g * dw * dn;
        gx += ((vEN - vWN) * ds + (vES - vWS) * dn) * g;
        gy += ((vWS - vWN) * de + (vES - vEN) * dw) * g;
      }
      dgrid![gi] = gx * cx[1];
      dgrid![gi + 1] = gy * cy[1];
    }
  }
  if (!grad) return { Output: [tensorOf(out!, [N, C, OH, OW], x.dtype)] };
  return { 'X@GRAD': [tensorOf(dx!, x.dims.slice(), x.dtype)], 'Grid@GRAD': [tensorOf(dgrid!, grid.dims.slice(), grid.dtype)] };
}

registerKernel('grid_sampler', 'js', (ins, attrs) => gridSample(ins, attrs, false));
registerKernel('grid_sampler_grad', 'js', (ins, attrs) => gridSample(ins, attrs, true));

// ---- affine_grid --------------------------------------------------------------------------
/** Output H and W from the attribute or the OutputShape tensor. */
function affineHW(ins: Slots<Tensor>, attrs: Attrs, op: string): [number, number] {
  const shape = (attrs.output_shape ?? []) as number[];
  let h: number;
  let w: number;
  if (shape.length === 4) [h, w] = [shape[2], shape[3]];
  else {
    const os = ins.OutputShape?.[0];
    if (!os) return opFail(op, 'the output shape is not given');
    const v = toNumbers(os.data, os.dtype);
    if (v.length !== 4) opFail(op, `input OutputShape must hold 4 values [N, C, H, W], but got ${v.length}`);
    [h, w] = [v[2], v[3]];
  }
  if (!(Number.isInteger(h) && h >= 1 && Number.isInteger(w) && w >= 1)) opFail(op, `the output height and width must be positive integers, but got ${h} and ${w}`);
  return [h, w];
}

/**
 * The base grid coordinates along one axis (Paddle's Linspace from -1 to 1): with
 * align_corners the ends are the corner pixel centres, otherwise (count-1)/count of them.
 * A single point is 0 (Paddle 2.0 computes 0 * inf = NaN there for align_corners).
 */
function linspace(count: number, align: boolean): Float64Array {
  const out = new Float64Array(count);
  if (count === 1) return out;
  let start = -1;
  let step = 2 / (count - 1);
  if (!align) {
    step = 2 / count;
    start = (-1 * (count - 1)) / count;
  }
  for (let i = 0; i < count; i++) out[i] = start + i * step;
  return out;
}

registerKernel('affine_grid', 'js', (ins, attrs) => {
  const theta = ins.Theta[0];
  const [H, W] = affineHW(ins, attrs, 'affine_grid');
  const N = theta.dims[0];
  const tv = nums(theta);
  const hs = linspace(H, !!attrs.align_corners);
  const ws = linspace(W, !!attrs.align_corners);
  const out = allocNumbers(theta.dtype, N * H * W * 2);
  let o = 0;
  for (let n = 0; n < N; n++) {
    const t = n * 6;
    for (let h = 0; h < H; h++) {
      const y = hs[h];
      for (let w = 0; w < W; w++) {
        const x = ws[w];
        out[o++] = x * tv[t] + y * tv[t + 1] + tv[t + 2];
        out[o++] = x * tv[t + 3] + y * tv[t + 4] + tv[t + 5];
      }
    }
  }
  return { Output: [tensorOf(out, [N, H, W, 2], theta.dtype)] };
});

registerKernel('affine_grid_grad', 'js', (ins, attrs) => {
  const g = ins['Output@GRAD'][0];
  const [H, W] = affineHW(ins, attrs, 'affine_grid_grad');
  const N = g.dims[0];
  if (g.dims[1] !== H || g.dims[2] !== W)
    opFail('affine_grid_grad', `Output@GRAD has shape [${g.dims}], but the output shape gives height ${H} and width ${W}`);
  const gv = nums(g);
  const hs = linspace(H, !!attrs.align_corners);
  const ws = linspace(W, !!attrs.align_corners);
  const out = allocNumbers(g.dtype, N * 6);
  const acc = new Float64Array(6);
  let o = 0;
  for (let n = 0; n < N; n++) {
    acc.fill(0);
    for (let h = 0; h < H; h++) {
      const y = hs[h];
      for (let w = 0; w < W; w++, o += 2) {
        const x = ws[w];
        const g0 = gv[o];
        const g1 = gv[o + 1];
        acc[0] += g0 * x;
        acc[1] += g0 * y;
        acc[2] += g0;
        acc[3] += g1 * x;
        acc[4] += g1 * y;
        acc[5] += g1;
      }
    }
    for (let k = 0; k < 6; k++) out[n * 6 + k] = acc[k];
  }
  return { 'Theta@GRAD': [tensorOf(out, [N, 2, 3], g.dtype)] };
});

// ---- temporal_shift -----------------------------------------------------------------------
/**
 * Out[n, t, c] = X[n, t-1, c] for c < c1, X[n, t+1, c] for c1 <= c < c2, X[n, t, c] otherwise
 * (zeros past the ends), over [N*T, C, H, W]; `back` computes the adjoint.
 */
function temporalShift(src: NumArray, dims: readonly number[], attrs: Attrs, back: boolean, out: NumArray): void {
  const [NT, C, H, W] = dims;
  const T = Number(attrs.seg_num);
  const ratio = Math.fround(Number(attrs.shift_ratio));
  // Paddle computes the channel counts in float
  const c1 = Math.trunc(Math.fround(C * ratio));
  const c2 = Math.trunc(Math.fround(Math.fround(C * 2) * ratio));
  const HW = H * W;
  const CHW = C * HW;
  for (let nt = 0; nt < NT; nt++) {
    const t = nt % T;
    for (let c = 0; c < C; c++) {
      const st = c < c1 ? t - 1 : c < c2 ? t + 1 : t;
      if (st < 0 || st >= T) continue;
      const oi = nt * CHW + c * HW;
      const si = (nt - t + st) * CHW + c * HW;
      if (back) for (let k = 0; k < HW; k++) out[si + k] += src[oi + k];
      else for (let k = 0; k < HW; k++) out[oi + k] = src[si + k];
    }
  }
}

registerKernel('temporal_shift', 'js', (ins, attrs) => {
  const x = ins.X[0];
  if (x.dims[0] % Number(attrs.seg_num) !== 0) opFail('temporal_shift', `dimension 0 of X (${x.dims[0]}) must be divisible by seg_num (${attrs.seg_num})`);
  const out = allocNumbers(x.dtype, numel(x.dims));
  temporalShift(nums(x), x.dims, attrs, false, out);
  return { Out: [tensorOf(out, x.dims.slice(), x.dtype)] };
});

registerKernel('temporal_shift_grad', 'js', (ins, attrs) => {
  const g = ins['Out@GRAD'][0];
  const out = allocNumbers(g.dtype, numel(g.dims));
  temporalShift(nums(g), g.dims, attrs, true, out);
  return { 'X@GRAD': [tensorOf(out, g.dims.slice(), g.dtype)] };
});

// ---- diag_embed ---------------------------------------------------------------------------
registerKernel('diag_embed', 'js', (ins, attrs) => {
  const x = ins.Input[0];
  const { dims, d1, d2 } = diagEmbedDims('diag_embed', x.dims, attrs);
  const offset = Number(attrs.offset);
  const out = allocStorage(x.dtype, numel(dims));
  const st = stridesOf(dims);
  // strides of the input's batch dims in the output, then the diagonal step
  const batchStrides = st.filter((_, i) => i !== d1 && i !== d2);
  const diag = st[d1] + st[d2];
  const base = offset >= 0 ? offset * st[d2] : -offset * st[d1];
  const r = x.dims.length;
  const last = x.dims[r - 1];
  const outer = numel(x.dims) / Math.max(last, 1);
  const src = x.data as Float64Array;
  const dst = out as Float64Array;
  const idx = new Array<number>(r - 1).fill(0);
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    const p0 = base + pos;
    for (let k = 0; k < last; k++) dst[p0 + k * diag] = src[o * last + k];
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      pos += batchStrides[d];
      if (idx[d] < x.dims[d]) break;
      pos -= batchStrides[d] * x.dims[d];
      idx[d] = 0;
    }
  }
  return { Out: [new Tensor(out, dims, x.dtype)] };
});

// ---- bilinear_tensor_product --------------------------------------------------------------
registerKernel('bilinear_tensor_product', 'js', (ins) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const w = ins.Weight[0];
  const b = ins.Bias?.[0];
  const [B, I] = x.dims;
  const J = y.dims[1];
  const K = w.dims[0];
  const xv = nums(x);
  const yv = nums(y);
  const wv = nums(w);
  const bv = b ? nums(b) : null;
  const out = allocNumbers(x.dtype, B * K);
  for (let n = 0; n < B; n++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let i = 0; i < I; i++) {
        const xi = xv[n * I + i];
        const wb = (k * I + i) * J;
        let t = 0;
        for (let j = 0; j < J; j++) t += wv[wb + j] * yv[n * J + j];
        s += xi * t;
      }
      out[n * K + k] = bv ? s + bv[k] : s;
    }
  }
  return { Out: [tensorOf(out, [B, K], x.dtype)] };
});
