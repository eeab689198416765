// The image kernels behind paddle.vision.transforms on arrays: what Paddle 2.0's cv2 backend
// (python/paddle/vision/transforms/functional_cv2.py) gets from OpenCV, reimplemented with
// OpenCV's own arithmetic so results match cv2 to the bit where OpenCV's plain C++ paths are
// deterministic: cv2.resize (fixed-point bilinear/bicubic/Lanczos for uint8 with 11-bit
// coefficients, area averaging, nearest), cv2.warpAffine (fixed-point coordinates with 5-bit
// sub-pixel tables), cv2.copyMakeBorder, cv2.flip, cv2.LUT and cv2.cvtColor (gray, HSV_FULL).
// Float images compute in float32 (float64 for float64 images), rounding each step as C++ does.
// Internal: no public API here; functional.ts checks arguments and calls these.
import type { DType, NumArray, Storage } from '../../core/dtype.js';
import { allocStorage, fromNumbers, toNumbers } from '../../core/dtype.js';

/** An HWC image: `c` channels, row-major, on the tensor's own storage. */
export interface Img {
  h: number;
  w: number;
  c: number;
  dtype: DType;
  data: Storage;
}

const f32 = Math.fround;

/** cvRound: round half to even, as lrint does. */
export function cvRound(x: number): number {
  const r = Math.floor(x + 0.5);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
/** saturate_cast<T> of a computed value (rounding for integer targets). */
export function saturate(v: number, dtype: DType): number {
  switch (dtype) {
    case 'uint8': return v <= 0 ? 0 : v >= 255 ? 255 : cvRound(v);
    case 'int8': return v <= -128 ? -128 : v >= 127 ? 127 : cvRound(v);
    case 'int16': return v <= -32768 ? -32768 : v >= 32767 ? 32767 : cvRound(v);
    case 'int32': return v <= -2147483648 ? -2147483648 : v >= 2147483647 ? 2147483647 : cvRound(v);
    case 'float32': return f32(v);
    default: return v;
  }
}

/** The numbers of an image's storage (zero-copy except for int64/float16). */
export function nums(img: Img): NumArray {
  return toNumbers(img.data, img.dtype);
}
/** Storage of dtype `dtype` from computed numbers (already rounded/saturated). */
export function store(a: NumArray | Float64Array, dtype: DType): Storage {
  if (dtype === 'int64' || dtype === 'float16' || dtype === 'bool') return fromNumbers(a, dtype);
  if ((dtype === 'float64' && a instanceof Float64Array) || (dtype === 'float32' && a instanceof Float32Array) || (dtype === 'uint8' && a instanceof Uint8Array)) return a as Storage;
  return fromNumbers(a, dtype);
}
/** The work array the kernels write for an output of dtype `dtype`. */
function outNums(dtype: DType, n: number): NumArray {
  if (dtype === 'int64') return new Float64Array(n);
  if (dtype === 'float16') return new Float32Array(n);
  return allocStorage(dtype, n) as NumArray;
}

// ---------------------------------------------------------------------------------------
// Data movement: flips, crops, borders (raw storage, so int64 and float16 stay exact).

/** cv2.flip: code 1 left-right, 0 top-bottom. */
export function flip(img: Img, code: 0 | 1): Storage {
  const { h, w, c, data } = img;
  const out = data.constructor === BigInt64Array ? new BigInt64Array(data.length) : allocStorage(img.dtype, h * w * c);
  const row = w * c;
  for (let y = 0; y < h; y++) {
    const sy = code === 0 ? h - 1 - y : y;
    for (let x = 0; x < w; x++) {
      const sx = code === 1 ? w - 1 - x : x;
      const d = y * row + x * c, s = sy * row + sx * c;
      for (let k = 0; k < c; k++) (out as NumArray)[d + k] = (data as NumArray)[s + k];
    }
  }
  return out;
}

/** Rows [top, top+hh) and columns [left, left+ww) of the image. */
export function crop(img: Img, top: number, left: number, hh: number, ww: number): Storage {
  const { w, c, data } = img;
  const out = allocStorage(img.dtype, hh * ww * c);
  const row = ww * c;
  for (let y = 0; y < hh; y++) {
    const s = ((top + y) * w + left) * c;
    (out as NumArray).set((data as NumArray).subarray(s, s + row), y * row);
  }
  return out;
}

/** cv2.borderInterpolate for REPLICATE (1), REFLECT (2), REFLECT_101 (4); -1 for CONSTANT (0). */
export function borderInterpolate(p: number, len: number, mode: number): number {
  if (p >= 0 && p < len) return p;
  if (mode === 1) return p < 0 ? 0 : len - 1;
  if (mode === 2 || mode === 4) {
    const delta = mode === 4 ? 1 : 0;
    if (len === 1) return 0;
    do {
      if (p < 0) p = -p - 1 + delta;
      else p = len - 1 - (p - len) - delta;
    } while (p < 0 || p >= len);
    return p;
  }
  return -1;
}
export const BORDER = { constant: 0, edge: 1, symmetric: 2, reflect: 4 } as const;

/** cv2.copyMakeBorder; `fill` holds one value per channel (constant mode). */
export function copyMakeBorder(img: Img, top: number, bottom: number, left: number, right: number, mode: number, fill: number[]): Storage {
  const { h, w, c } = img;
  const oh = h + top + bottom, ow = w + left + right;
  const src = img.data as NumArray;
  const out = allocStorage(img.dtype, oh * ow * c) as NumArray;
  const fillStore = fromNumbers(fill.map((v) => saturate(v, img.dtype)), img.dtype) as NumArray;
  const xs = new Int32Array(ow);
  for (let x = 0; x < ow; x++) xs[x] = borderInterpolate(x - left, w, mode);
  for (let y = 0; y < oh; y++) {
    const sy = borderInterpolate(y - top, h, mode);
    for (let x = 0; x < ow; x++) {
      const d = (y * ow + x) * c;
      const sx = xs[x];
      if (sy < 0 || sx < 0) for (let k = 0; k < c; k++) out[d + k] = fillStore[k];
      else {
        const s = (sy * w + sx) * c;
        for (let k = 0; k < c; k++) out[d + k] = src[s + k];
      }
    }
  }
  return out as Storage;
}

/** Permutes an HWC (h, w, c) array by `order` (a permutation of 0..2). */
export function transpose3(data: Storage, dims: number[], order: number[]): Storage {
  const out = data.constructor === BigInt64Array ? new BigInt64Array(data.length) : new (data.constructor as new (n: number) => NumArray)(data.length);
  const strides = [dims[1] * dims[2], dims[2], 1];
  const od = order.map((a) => dims[a]);
  const os = order.map((a) => strides[a]);
  let i = 0;
  for (let a = 0; a < od[0]; a++)
    for (let b = 0; b < od[1]; b++) {
      const base = a * os[0] + b * os[1];
      for (let e = 0; e < od[2]; e++) (out as NumArray)[i++] = (data as NumArray)[base + e * os[2]];
    }
  return out as Storage;
}

// ---------------------------------------------------------------------------------------
// cv2.resize

export type Interp = 'nearest' | 'bilinear' | 'bicubic' | 'area' | 'lanczos';
const INTER_RESIZE_COEF_SCALE = 2048;

/** The dtypes OpenCV's interpolating resize/warp handle (nearest copies any dtype). */
export const INTERP_DTYPES: readonly DType[] = ['uint8', 'int16', 'float32', 'float64'];

function cubicCoeffs(x: number, out: Float64Array): void {
  const A = -0.75;
  const x1 = f32(x + 1), mx = f32(1 - x);
  out[0] = f32(f32(f32(f32(f32(f32(A * x1) - f32(5 * A)) * x1) + f32(8 * A)) * x1) - f32(4 * A));
  out[1] = f32(f32(f32(f32(f32((A + 2) * x) - (A + 3)) * x) * x) + 1);
  out[2] = f32(f32(f32(f32(f32((A + 2) * mx) - (A + 3)) * mx) * mx) + 1);
  out[3] = f32(f32(f32(1 - out[0]) - out[1]) - out[2]);
}

const S45 = 0.7071067811865476;
const LANCZOS_CS = [[1, 0], [-S45, -S45], [0, 1], [S45, -S45], [-1, 0], [S45, S45], [0, -1], [-S45, S45]];
function lanczosCoeffs(x: number, out: Float64Array): void {
  let sum = 0;
  const x3 = f32(x + 3);
  const y0 = -x3 * Math.PI * 0.25;
  const s0 = Math.sin(y0), c0 = Math.cos(y0);
  for (let i = 0; i < 8; i++) {
    const y0_ = f32(x3 - i);
    if (Math.abs(y0_) >= f32(1e-6)) {
      const y = -y0_ * Math.PI * 0.25;
      out[i] = f32((LANCZOS_CS[i][0] * s0 + LANCZOS_CS[i][1] * c0) / (y * y));
    } else out[i] = f32(1e30);
    sum = f32(sum + out[i]);
  }
  sum = f32(1 / sum);
  for (let i = 0; i < 8; i++) out[i] = f32(out[i] * sum);
}

/** cv2.resize(img, (ow, oh), interpolation). */
export function resize(img: Img, ow: number, oh: number, interp: Interp): Storage {
  const { h, w, c, dtype } = img;
  if (ow === w && oh === h) return img.data.slice();
  const invx = ow / w, invy = oh / h;
  const scaleX = 1 / invx, scaleY = 1 / invy;
  if (interp === 'nearest') return resizeNearest(img, ow, oh, scaleX, scaleY);
  const isx = Math.round(scaleX), isy = Math.round(scaleY);
  const areaFast = Math.abs(scaleX - isx) < Number.EPSILON && Math.abs(scaleY - isy) < Number.EPSILON;
  if (interp === 'bilinear' && areaFast && isx === 2 && isy === 2) interp = 'area';
  if (interp === 'area' && scaleX >= 1 && scaleY >= 1) {
    return areaFast ? resizeAreaFast(img, ow, oh, isx, isy) : resizeArea(img, ow, oh, scaleX, scaleY);
  }
  const areaMode = interp === 'area';
  const ksize = interp === 'bicubic' ? 4 : interp === 'lanczos' ? 8 : 2;
  const k2 = ksize >> 1;
  const fixpt = dtype === 'uint8';
  const cbuf = new Float64Array(8);
  const coeffs = (f: number): void => {
    if (interp === 'bicubic') cubicCoeffs(f, cbuf);
    else if (interp === 'lanczos') lanczosCoeffs(f, cbuf);
    else { cbuf[0] = f32(1 - f); cbuf[1] = f; }
  };
  // Horizontal taps: first source column and weights per output column.
  const xofs = new Int32Array(ow);
  const alpha = new Float64Array(ow * ksize);
  for (let dx = 0; dx < ow; dx++) {
    let sx: number, fx: number;
    if (!areaMode) {
      fx = f32((dx + 0.5) * scaleX - 0.5);
      sx = Math.floor(fx);
      fx = f32(fx - sx);
    } else {
      sx = Math.floor(dx * scaleX);
      fx = f32(dx + 1 - (sx + 1) * invx);
      fx = fx <= 0 ? 0 : f32(fx - Math.floor(fx));
    }
    if (ksize === 2) {
      if (sx < 0) { fx = 0; sx = 0; }
      if (sx >= w - 1) { fx = 0; sx = w - 1; }
    }
    xofs[dx] = sx;
    coeffs(fx);
    for (let k = 0; k < ksize; k++) alpha[dx * ksize + k] = fixpt ? saturate(cbuf[k] * INTER_RESIZE_COEF_SCALE, 'int16') : cbuf[k];
  }
  const yofs = new Int32Array(oh);
  const beta = new Float64Array(oh * ksize);
  for (let dy = 0; dy < oh; dy++) {
    let sy: number, fy: number;
    if (!areaMode) {
      fy = f32((dy + 0.5) * scaleY - 0.5);
      sy = Math.floor(fy);
      fy = f32(fy - sy);
    } else {
      sy = Math.floor(dy * scaleY);
      fy = f32(dy + 1 - (sy + 1) * invy);
      fy = fy <= 0 ? 0 : f32(fy - Math.floor(fy));
    }
    yofs[dy] = sy;
    coeffs(fy);
    for (let k = 0; k < ksize; k++) beta[dy * ksize + k] = fixpt ? saturate(cbuf[k] * INTER_RESIZE_COEF_SCALE, 'int16') : cbuf[k];
  }
  // Horizontal pass over every source row (clamped taps = OpenCV's replicated border).
  const src = nums(img);
  const rowW = ow * c;
  const hbuf = fixpt ? new Int32Array(h * rowW) : dtype === 'float64' ? new Float64Array(h * rowW) : new Float32Array(h * rowW);
  const tapX = new Int32Array(ow * ksize);
  for (let dx = 0; dx < ow; dx++)
    for (let k = 0; k < ksize; k++) {
      const sx = xofs[dx] + k - k2 + 1;
      tapX[dx * ksize + k] = (sx < 0 ? 0 : sx >= w ? w - 1 : sx) * c;
    }
  const single = dtype !== 'float64' && !fixpt;
  for (let y = 0; y < h; y++) {
    const srow = y * w * c, drow = y * rowW;
    for (let dx = 0; dx < ow; dx++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < ksize; k++) {
          const v = src[srow + tapX[dx * ksize + k] + ch] * alpha[dx * ksize + k];
          acc = single ? (k === 0 ? f32(v) : f32(acc + f32(v))) : acc + v;
        }
        hbuf[drow + dx * c + ch] = acc;
      }
    }
  }
  // Vertical pass.
  const out = outNums(dtype, oh * rowW);
  const rows = new Int32Array(ksize);
  for (let dy = 0; dy < oh; dy++) {
    for (let k = 0; k < ksize; k++) {
      const sy = yofs[dy] + k - k2 + 1;
      rows[k] = (sy < 0 ? 0 : sy >= h ? h - 1 : sy) * rowW;
    }
    const b = dy * ksize;
    const drow = dy * rowW;
    if (fixpt && ksize === 2) {
      const b0 = beta[b], b1 = beta[b + 1], r0 = rows[0], r1 = rows[1];
      for (let x = 0; x < rowW; x++) {
        const v = (((b0 * (hbuf[r0 + x] >> 4)) >> 16) + ((b1 * (hbuf[r1 + x] >> 4)) >> 16) + 2) >> 2;
        out[drow + x] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    } else if (fixpt) {
      for (let x = 0; x < rowW; x++) {
        let acc = 0;
        for (let k = 0; k < ksize; k++) acc += beta[b + k] * hbuf[rows[k] + x];
        const v = Math.floor((acc + 2097152) / 4194304);
        out[drow + x] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    } else {
      for (let x = 0; x < rowW; x++) {
        let acc = 0;
        for (let k = 0; k < ksize; k++) {
          const v = hbuf[rows[k] + x] * beta[b + k];
          acc = single ? (k === 0 ? f32(v) : f32(acc + f32(v))) : acc + v;
        }
        out[drow + x] = saturate(acc, dtype);
      }
    }
  }
  return store(out, dtype);
}

function resizeNearest(img: Img, ow: number, oh: number, ifx: number, ify: number): Storage {
  const { h, w, c, data } = img;
  const out = allocStorage(img.dtype, ow * oh * c) as NumArray;
  const xo = new Int32Array(ow);
  for (let x = 0; x < ow; x++) xo[x] = Math.min(Math.floor(x * ifx), w - 1) * c;
  for (let y = 0; y < oh; y++) {
    const sy = Math.min(Math.floor(y * ify), h - 1);
    const srow = sy * w * c;
    for (let x = 0; x < ow; x++) {
      const d = (y * ow + x) * c, s = srow + xo[x];
      for (let k = 0; k < c; k++) out[d + k] = (data as NumArray)[s + k];
    }
  }
  return out as Storage;
}

function resizeAreaFast(img: Img, ow: number, oh: number, sx: number, sy: number): Storage {
  const { w, c, dtype } = img;
  const src = nums(img);
  const out = outNums(dtype, ow * oh * c);
  const area = sx * sy;
  const integer = dtype === 'uint8' || dtype === 'int16';
  // OpenCV's uint8 2x2 path (1, 3 or 4 channels) rounds half up; the others multiply by 1/area.
  const shift2 = dtype === 'uint8' && area === 4 && sx === 2 && c !== 2;
  const scale = dtype === 'float64' ? 1 / area : f32(1 / area);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++)
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let a = 0; a < sy; a++)
          for (let b = 0; b < sx; b++) {
            const v = src[((y * sy + a) * w + x * sx + b) * c + k];
            sum = integer || dtype === 'float64' ? sum + v : f32(sum + v);
          }
        const d = (y * ow + x) * c + k;
        if (shift2) out[d] = (sum + 2) >> 2;
        else out[d] = saturate(dtype === 'float64' ? sum * scale : f32(sum * scale), dtype);
      }
  return store(out, dtype);
}

interface Decimate { di: number; si: number; alpha: number }
function areaTab(ssize: number, dsize: number, scale: number): Decimate[] {
  const tab: Decimate[] = [];
  const cast = f32; // DecimateAlpha::alpha is a float for every depth
  for (let dx = 0; dx < dsize; dx++) {
    const fsx1 = dx * scale, fsx2 = fsx1 + scale;
    const cellWidth = Math.min(scale, ssize - fsx1);
    let sx1 = Math.ceil(fsx1), sx2 = Math.floor(fsx2);
    sx2 = Math.min(sx2, ssize - 1);
    sx1 = Math.min(sx1, sx2);
    if (sx1 - fsx1 > 1e-3) tab.push({ di: dx, si: sx1 - 1, alpha: cast((sx1 - fsx1) / cellWidth) });
    for (let sx = sx1; sx < sx2; sx++) tab.push({ di: dx, si: sx, alpha: cast(1 / cellWidth) });
    if (fsx2 - sx2 > 1e-3) tab.push({ di: dx, si: sx2, alpha: cast(Math.min(Math.min(fsx2 - sx2, 1), cellWidth) / cellWidth) });
  }
  return tab;
}

function resizeArea(img: Img, ow: number, oh: number, scaleX: number, scaleY: number): Storage {
  const { w, c, dtype } = img;
  const src = nums(img);
  const single = dtype !== 'float64';
  const r = single ? f32 : (v: number) => v;
  const xtab = areaTab(w, ow, scaleX), ytab = areaTab(img.h, oh, scaleY);
  const width = ow * c;
  const out = outNums(dtype, oh * width);
  const buf = new Float64Array(width), sum = new Float64Array(width);
  let prevDy = ytab[0].di;
  for (let j = 0; j < ytab.length; j++) {
    const { alpha: beta, di: dy, si: sy } = ytab[j];
    buf.fill(0);
    const srow = sy * w * c;
    for (const t of xtab)
      for (let k = 0; k < c; k++) buf[t.di * c + k] = r(buf[t.di * c + k] + r(src[srow + t.si * c + k] * t.alpha));
    if (dy !== prevDy) {
      for (let x = 0; x < width; x++) {
        out[prevDy * width + x] = saturate(sum[x], dtype);
        sum[x] = r(beta * buf[x]);
      }
      prevDy = dy;
    } else for (let x = 0; x < width; x++) sum[x] = r(sum[x] + r(beta * buf[x]));
  }
  for (let x = 0; x < width; x++) out[prevDy * width + x] = saturate(sum[x], dtype);
  return store(out, dtype);
}

// ---------------------------------------------------------------------------------------
// cv2.warpAffine (forward matrix, BORDER_CONSTANT)

const INTER_BITS = 5, INTER_TAB_SIZE = 32, INTER_REMAP_COEF_SCALE = 1 << 15;
const tabCache = new Map<string, Float64Array>();
/** OpenCV's initInterTab2D: per sub-pixel (fy, fx) the ksize x ksize weights (fixed point or float). */
function interTab2D(interp: 'bilinear' | 'bicubic' | 'lanczos', fixpt: boolean): Float64Array {
  const key = `${interp}:${fixpt}`;
  const hit = tabCache.get(key);
  if (hit) return hit;
  const ksize = interp === 'bicubic' ? 4 : interp === 'lanczos' ? 8 : 2;
  const tab1 = new Float64Array(INTER_TAB_SIZE * ksize);
  const cb = new Float64Array(8);
  const scale = f32(1 / INTER_TAB_SIZE);
  for (let i = 0; i < INTER_TAB_SIZE; i++) {
    const x = f32(i * scale);
    if (interp === 'bicubic') cubicCoeffs(x, cb);
    else if (interp === 'lanczos') {
      if (x < 1.1920928955078125e-7) { cb.fill(0); cb[3] = 1; } else lanczosCoeffs(x, cb);
    } else { cb[0] = f32(1 - x); cb[1] = x; }
    for (let k = 0; k < ksize; k++) tab1[i * ksize + k] = cb[k];
  }
  const kk = ksize * ksize;
  const tab = new Float64Array(INTER_TAB_SIZE * INTER_TAB_SIZE * kk);
  for (let i = 0; i < INTER_TAB_SIZE; i++)
    for (let j = 0; j < INTER_TAB_SIZE; j++) {
      const base = (i * INTER_TAB_SIZE + j) * kk;
      let isum = 0;
      for (let k1 = 0; k1 < ksize; k1++) {
        const vy = tab1[i * ksize + k1];
        for (let k2 = 0; k2 < ksize; k2++) {
          const v = f32(vy * tab1[j * ksize + k2]);
          if (fixpt) {
            const iv = saturate(v * INTER_REMAP_COEF_SCALE, 'int16');
            tab[base + k1 * ksize + k2] = iv;
            isum += iv;
          } else tab[base + k1 * ksize + k2] = v;
        }
      }
      if (fixpt && isum !== INTER_REMAP_COEF_SCALE) {
        const diff = isum - INTER_REMAP_COEF_SCALE;
        const ks2 = ksize >> 1;
        let Mk1 = ks2, Mk2 = ks2, mk1 = ks2, mk2 = ks2;
        for (let k1 = ks2; k1 < ks2 + 2; k1++)
          for (let k2 = ks2; k2 < ks2 + 2; k2++) {
            const v = tab[base + k1 * ksize + k2];
            if (v < tab[base + mk1 * ksize + mk2]) { mk1 = k1; mk2 = k2; }
            else if (v > tab[base + Mk1 * ksize + Mk2]) { Mk1 = k1; Mk2 = k2; }
          }
        if (diff < 0) tab[base + Mk1 * ksize + Mk2] -= diff;
        else tab[base + mk1 * ksize + mk2] -= diff;
      }
    }
  tabCache.set(key, tab);
  return tab;
}

/**
 * cv2.warpAffine(img, M, (ow, oh), flags=interp, borderValue=fill) with the forward 2x3
 * matrix M (OpenCV inverts it, then maps every output pixel back with 10-bit fixed-point
 * coordinates and 1/32-pixel interpolation tables).
 */
export function warpAffine(img: Img, M: number[], ow: number, oh: number, interp: Interp, fill: number[]): Storage {
  const { h, w, c, dtype } = img;
  if (interp === 'area') interp = 'bilinear';
  // Invert the matrix as OpenCV does.
  const m = M.slice();
  let D = m[0] * m[4] - m[1] * m[3];
  D = D !== 0 ? 1 / D : 0;
  const A11 = m[4] * D, A22 = m[0] * D;
  m[0] = A11; m[1] *= -D; m[3] *= -D; m[4] = A22;
  const b1 = -m[0] * m[2] - m[1] * m[5], b2 = -m[3] * m[2] - m[4] * m[5];
  m[2] = b1; m[5] = b2;
  const AB_BITS = 10, AB_SCALE = 1 << AB_BITS;
  const nearest = interp === 'nearest';
  const roundDelta = nearest ? AB_SCALE / 2 : AB_SCALE / INTER_TAB_SIZE / 2;
  const adelta = new Float64Array(ow), bdelta = new Float64Array(ow);
  for (let x = 0; x < ow; x++) {
    adelta[x] = cvRound(m[0] * x * AB_SCALE);
    bdelta[x] = cvRound(m[3] * x * AB_SCALE);
  }
  const src = nums(img);
  const out = outNums(dtype, oh * ow * c);
  const cval = fill.map((v) => saturate(v, dtype));
  const clampShort = (v: number): number => (v < -32768 ? -32768 : v > 32767 ? 32767 : v);
  if (nearest) {
    for (let y = 0; y < oh; y++) {
      const X0 = cvRound((m[1] * y + m[2]) * AB_SCALE) + roundDelta;
      const Y0 = cvRound((m[4] * y + m[5]) * AB_SCALE) + roundDelta;
      for (let x = 0; x < ow; x++) {
        const sx = clampShort(Math.floor((X0 + adelta[x]) / AB_SCALE));
        const sy = clampShort(Math.floor((Y0 + bdelta[x]) / AB_SCALE));
        const d = (y * ow + x) * c;
        if (sx >= 0 && sx < w && sy >= 0 && sy < h) {
          const s = (sy * w + sx) * c;
          for (let k = 0; k < c; k++) out[d + k] = src[s + k];
        } else for (let k = 0; k < c; k++) out[d + k] = cval[k];
      }
    }
    return store(out, dtype);
  }
  const ksize = interp === 'bicubic' ? 4 : interp === 'lanczos' ? 8 : 2;
  const fixpt = dtype === 'uint8';
  const tab = interTab2D(interp as 'bilinear' | 'bicubic' | 'lanczos', fixpt);
  const kk = ksize * ksize;
  const off = ksize === 2 ? 0 : ksize === 4 ? 1 : 3;
  const single = dtype !== 'float64' && !fixpt;
  const xi = new Int32Array(ksize), yi = new Int32Array(ksize);
  for (let y = 0; y < oh; y++) {
    const X0 = cvRound((m[1] * y + m[2]) * AB_SCALE) + roundDelta;
    const Y0 = cvRound((m[4] * y + m[5]) * AB_SCALE) + roundDelta;
    for (let x = 0; x < ow; x++) {
      const X = Math.floor((X0 + adelta[x]) / (AB_SCALE / INTER_TAB_SIZE));
      const Y = Math.floor((Y0 + bdelta[x]) / (AB_SCALE / INTER_TAB_SIZE));
      const sx = clampShort(Math.floor(X / INTER_TAB_SIZE)) - off;
      const sy = clampShort(Math.floor(Y / INTER_TAB_SIZE)) - off;
      const wbase = ((Y & (INTER_TAB_SIZE - 1)) * INTER_TAB_SIZE + (X & (INTER_TAB_SIZE - 1))) * kk;
      const d = (y * ow + x) * c;
      if (sx >= w || sx + ksize <= 0 || sy >= h || sy + ksize <= 0) {
        for (let k = 0; k < c; k++) out[d + k] = cval[k];
        continue;
      }
      if (sx >= 0 && sy >= 0 && sx + ksize <= w && sy + ksize <= h) {
        // Every tap inside the image (the common case).
        const s0 = (sy * w + sx) * c, rowS = w * c;
        for (let k = 0; k < c; k++) {
          let acc = 0;
          let wi = wbase;
          for (let i = 0; i < ksize; i++) {
            let s = s0 + i * rowS + k;
            if (single) for (let j = 0; j < ksize; j++, s += c) acc = f32(acc + f32(src[s] * tab[wi++]));
            else for (let j = 0; j < ksize; j++, s += c) acc += src[s] * tab[wi++];
          }
          out[d + k] = fixpt ? saturate((acc + 16384) >> 15, 'uint8') : saturate(acc, dtype);
        }
        continue;
      }
      for (let i = 0; i < ksize; i++) {
        const px = sx + i, py = sy + i;
        xi[i] = px >= 0 && px < w ? px * c : -1;
        yi[i] = py >= 0 && py < h ? py * w * c : -1;
      }
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let i = 0; i < ksize; i++)
          for (let j = 0; j < ksize; j++) {
            const v = yi[i] >= 0 && xi[j] >= 0 ? src[yi[i] + xi[j] + k] : cval[k];
            const t = v * tab[wbase + i * ksize + j];
            acc = single ? f32(acc + f32(t)) : acc + t;
          }
        out[d + k] = fixpt ? saturate(Math.floor((acc + (1 << 14)) / (1 << 15)), 'uint8') : saturate(acc, dtype);
      }
    }
  }
  return store(out, dtype);
}

// ---------------------------------------------------------------------------------------
// Colour: cv2.LUT, cvtColor to gray, BGR <-> HSV_FULL.

/** cv2.LUT on a uint8 image. */
export function lut(img: Img, table: Uint8Array): Storage {
  const src = img.data as Uint8Array;
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = table[src[i]];
  return out;
}

/**
 * cv2.cvtColor(img, RGB2GRAY or BGR2GRAY) on 3 or 4 channels (a 4th is ignored): uint8 with
 * OpenCV's 14-bit weights 4899/9617/1868 (0.299/0.587/0.114), floats with 0.299f/0.587f/0.114f.
 * `firstIsRed` selects RGB2GRAY (channel 0 weighted 0.299) rather than BGR2GRAY.
 */
export function toGray(img: Img, firstIsRed: boolean): NumArray {
  const { h, w, c, dtype } = img;
  const src = nums(img);
  const n = h * w;
  const out = outNums(dtype, n);
  if (dtype === 'uint8') {
    const w0 = firstIsRed ? 4899 : 1868, w2 = firstIsRed ? 1868 : 4899;
    for (let i = 0; i < n; i++) out[i] = (src[i * c] * w0 + src[i * c + 1] * 9617 + src[i * c + 2] * w2 + 8192) >> 14;
    return out;
  }
  const single = dtype !== 'float64';
  const cr = single ? f32(0.299) : 0.299, cg = single ? f32(0.587) : 0.587, cb = single ? f32(0.114) : 0.114;
  const w0 = firstIsRed ? cr : cb, w2 = firstIsRed ? cb : cr;
  for (let i = 0; i < n; i++) {
    const a = src[i * c] * w0, b = src[i * c + 1] * cg, d = src[i * c + 2] * w2;
    out[i] = single ? saturate(f32(f32(f32(a) + f32(b)) + f32(d)), dtype) : saturate(a + b + d, dtype);
  }
  return out;
}

let hsvTables: { sdiv: Int32Array; hdiv: Int32Array } | null = null;
/** cv2.cvtColor(img, COLOR_BGR2HSV_FULL) for uint8 (3 or 4 channels in, 3 out). */
export function bgrToHsvFull(src: Uint8Array, n: number, c: number): Uint8Array {
  if (!hsvTables) {
    const sdiv = new Int32Array(256), hdiv = new Int32Array(256);
    for (let i = 1; i < 256; i++) {
      sdiv[i] = cvRound((255 << 12) / i);
      hdiv[i] = cvRound((256 << 12) / (6 * i));
    }
    hsvTables = { sdiv, hdiv };
  }
  const { sdiv, hdiv } = hsvTables;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const b = src[i * c], g = src[i * c + 1], r = src[i * c + 2];
    const v = Math.max(b, g, r), vmin = Math.min(b, g, r);
    const diff = v - vmin;
    const s = (diff * sdiv[v] + (1 << 11)) >> 12;
    let hh = v === r ? g - b : v === g ? b - r + 2 * diff : r - g + 4 * diff;
    hh = (hh * hdiv[diff] + (1 << 11)) >> 12;
    if (hh < 0) hh += 256;
    out[i * 3] = hh > 255 ? 255 : hh;
    out[i * 3 + 1] = s;
    out[i * 3 + 2] = v;
  }
  return out;
}

const SECTOR = [[1, 3, 0], [1, 0, 2], [3, 0, 1], [0, 2, 1], [0, 1, 3], [2, 1, 0]];
/** cv2.cvtColor(hsv, COLOR_HSV2BGR_FULL) for uint8 (float math, rounded back). */
export function hsvFullToBgr(src: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n * 3);
  const hscale = f32(6 / 256), inv255 = f32(1 / 255);
  const tab = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    let h = src[i * 3];
    const s = f32(src[i * 3 + 1] * inv255), v = f32(src[i * 3 + 2] * inv255);
    let b: number, g: number, r: number;
    if (s === 0) b = g = r = v;
    else {
      h = f32(h * hscale);
      while (h < 0) h = f32(h + 6);
      while (h >= 6) h = f32(h - 6);
      let sector = Math.floor(h);
      h = f32(h - sector);
      if (sector < 0 || sector >= 6) { sector = 0; h = 0; }
      tab[0] = v;
      tab[1] = f32(v * f32(1 - s));
      tab[2] = f32(v * f32(1 - f32(s * h)));
      tab[3] = f32(v * f32(1 - f32(s * f32(1 - h))));
      b = tab[SECTOR[sector][0]];
      g = tab[SECTOR[sector][1]];
      r = tab[SECTOR[sector][2]];
    }
    out[i * 3] = saturate(f32(b * 255), 'uint8');
    out[i * 3 + 1] = saturate(f32(g * 255), 'uint8');
    out[i * 3 + 2] = saturate(f32(r * 255), 'uint8');
  }
  return out;
}
