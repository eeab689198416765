// paddle.vision.transforms.functional (python/paddle/vision/transforms/functional.py and
// functional_cv2.py at 2.0): functions on images. An image is an HWC Tensor (uint8 for decoded
// pictures; float32 and other dtypes where OpenCV takes them), read as Paddle 2.0 reads a NumPy
// array, i.e. with the cv2 backend's semantics and numerics (see ./cv2.ts). A 2-D Tensor is a
// one-channel HW image, and keeps rank 2 where cv2 would return a 2-D array.
//
// Where Paddle 2.0's cv2 backend has a bug, the documented behaviour is followed instead (each
// place says so): adjust_saturation uses its factor (2.0 drew a random one), a scalar `fill`
// fills every channel (cv2 read `fill=255` as (255, 0, 0, 0)), hflip keeps an HxWx1 image's
// channel axis, and normalize's to_rgb reverses the channel axis (2.0 reversed the last axis,
// i.e. the width of a CHW image).
import { type Ty, T, defineApi, p } from '../../core/args.js';
import type { DType, NumArray, Storage } from '../../core/dtype.js';
import { allocStorage, fromNumbers, toNumbers } from '../../core/dtype.js';
import { badArg, fail, UnimplementedError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { sameShape } from '../../core/shape.js';
import * as cv from './cv2.js';

// ---------------------------------------------------------------------------------------
// Argument types and image plumbing

/** An image: a Tensor of rank 2 (HW) or 3 (HWC). */
export const imageTy: Ty<Tensor> = {
  desc: 'an image Tensor of shape [H, W] or [H, W, C]',
  parse(v, api, arg) {
    if (!(v instanceof Tensor)) return badArg(api, arg, 'an image Tensor of shape [H, W] or [H, W, C]', v);
    if (v.dims.length !== 2 && v.dims.length !== 3)
      fail(api, `argument '${arg}' should be an image Tensor with 2 or 3 dimensions (HW or HWC), but got shape [${v.dims.join(', ')}]`);
    if (v.dtype === 'complex64' || v.dtype === 'complex128') fail(api, `argument '${arg}' has dtype ${v.dtype}, which no image transform supports`);
    return v;
  },
};

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** An int, or a pair of ints (a list of 2), given as [a, b] (an int n as [n, n]) with `int` set. */
export const sizeTy: Ty<{ int: boolean; hw: [number, number] }, number | readonly number[]> = {
  desc: 'an integer or a list of 2 integers',
  parse(v, api, arg) {
    if (isInt(v)) return { int: true, hw: [v, v] };
    if (Array.isArray(v) && v.length === 2 && v.every(isInt)) return { int: false, hw: [v[0], v[1]] };
    return badArg(api, arg, 'an integer or a list of 2 integers (h, w)', v);
  },
};

/** A fill value: a number (every channel) or a list of numbers (one per channel). */
export const fillTy: Ty<number | number[], number | readonly number[]> = {
  desc: 'a number or a list of numbers',
  parse(v, api, arg) {
    if (typeof v === 'number') return v;
    if (Array.isArray(v) && v.length >= 1 && v.length <= 4 && v.every((x) => typeof x === 'number')) return (v as number[]).slice();
    return badArg(api, arg, 'a number or a list of 1 to 4 numbers (one per channel)', v);
  },
};

/** A number or a list of numbers, as a list. */
const floatsTy: Ty<number[], number | readonly number[]> = {
  desc: 'a number or a list of numbers',
  parse(v, api, arg) {
    if (typeof v === 'number') return [v];
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) return (v as number[]).slice();
    return badArg(api, arg, 'a number or a list of numbers', v);
  },
};

export const INTERPOLATIONS = ['nearest', 'bilinear', 'area', 'bicubic', 'lanczos'] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];
export const interpTy = T.oneOf(...INTERPOLATIONS);
export const PADDING_MODES = ['constant', 'edge', 'reflect', 'symmetric'] as const;
export type PaddingMode = (typeof PADDING_MODES)[number];
const paddingModeTy = T.oneOf(...PADDING_MODES);
const dataFormatTy = T.oneOf('CHW', 'HWC');

interface Image extends cv.Img {
  rank2: boolean;
}
function asImg(t: Tensor): Image {
  const [h, w, c = 1] = t.dims;
  return { h, w, c, dtype: t.dtype, data: t.data, rank2: t.dims.length === 2 };
}
/** A result image, keeping a 2-D input 2-D when it has one channel. */
function result(data: Storage, h: number, w: number, c: number, dtype: DType, rank2: boolean): Tensor {
  return new Tensor(data, rank2 && c === 1 ? [h, w] : [h, w, c], dtype);
}
/** Per-channel fill values: a number fills every channel; a list fills its channels, 0 after. */
function fillVec(fill: number | number[], c: number): number[] {
  return Array.from({ length: c }, (_, k) => (typeof fill === 'number' ? fill : (fill[k] ?? 0)));
}
function needInterpDtype(api: string, img: Image, interp: string): void {
  if (interp !== 'nearest' && !cv.INTERP_DTYPES.includes(img.dtype))
    fail(api, `interpolation '${interp}' does not support ${img.dtype} images (OpenCV interpolates uint8, int16, float32 and float64); cast the image first or use 'nearest'`, UnimplementedError);
}
function needColor(api: string, img: Image): void {
  if (img.rank2 || (img.c !== 3 && img.c !== 4))
    fail(api, `needs a 3-channel (or 4-channel) HWC image, but got shape [${img.rank2 ? `${img.h}, ${img.w}` : `${img.h}, ${img.w}, ${img.c}`}]`);
}
/** numpy's `astype(uint8)` of an image for the uint8-only cv2 paths (saturating, truncating). */
function toUint8(img: Image): Uint8Array {
  if (img.dtype === 'uint8') return img.data as Uint8Array;
  const src = toNumbers(img.data, img.dtype);
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = Math.trunc(src[i]);
    out[i] = v <= 0 || Number.isNaN(v) ? 0 : v >= 255 ? 255 : v;
  }
  return out;
}
/** `x.clip(0, 255).astype(dtype)` of float32 values. */
function clipCast(a: Float32Array, dtype: DType): Storage {
  const out = new Float64Array(a.length);
  const integer = dtype !== 'float32' && dtype !== 'float64' && dtype !== 'float16';
  for (let i = 0; i < a.length; i++) {
    const v = a[i] < 0 ? 0 : a[i] > 255 ? 255 : a[i];
    out[i] = integer ? Math.trunc(v) : v;
  }
  return fromNumbers(out, dtype);
}
/** Python's round(): half to even. */
export function pyRound(x: number): number {
  return cv.cvRound(x);
}

// ---------------------------------------------------------------------------------------
// Conversions

/**
 * Converts an HWC image to a Tensor in CHW (default) or HWC layout; uint8 input becomes
 * float32 divided by 255 (Paddle's cast + scale), other dtypes keep their values. A 2-D image
 * gets a channel axis first.
 * @param pic the image, shape [H, W] or [H, W, C]
 * @param data_format 'CHW' or 'HWC'
 * @example F.to_tensor(img)  // [3, H, W] float32 in [0, 1]
 */
export const to_tensor = defineApi(
  'paddle.vision.transforms.to_tensor',
  [p('pic', imageTy), p('data_format', dataFormatTy, 'CHW')],
  (a): Tensor => {
    const img = asImg(a.pic);
    const dims = [img.h, img.w, img.c];
    let data: Storage = a.data_format === 'CHW' ? cv.transpose3(img.data, dims, [2, 0, 1]) : img.data.slice();
    let dtype = img.dtype;
    if (dtype === 'uint8') {
      const s = Math.fround(1 / 255);
      const out = new Float32Array(data.length);
      for (let i = 0; i < out.length; i++) out[i] = (data as Uint8Array)[i] * s;
      data = out;
      dtype = 'float32';
    }
    return new Tensor(data, a.data_format === 'CHW' ? [img.c, img.h, img.w] : dims, dtype);
  },
);

/**
 * Normalizes an image per channel: (img - mean) / std, computed in float32 (float64 for
 * float64, int32 and int64 images) as Paddle 2.0 does on arrays. `mean`/`std` are a number or
 * one value per channel, laid along the channel axis of `data_format`; to_rgb first reverses
 * the channel order (BGR -> RGB).
 * @param img an image Tensor ([C, H, W] for 'CHW', [H, W, C] for 'HWC')
 * @param mean per-channel means
 * @param std per-channel standard deviations
 * @param data_format 'CHW' (default) or 'HWC'
 * @param to_rgb whether to swap BGR to RGB first
 * @example F.normalize(img, [127.5, 127.5, 127.5], [127.5, 127.5, 127.5], 'HWC')
 */
export const normalize = defineApi(
  'paddle.vision.transforms.normalize',
  [p('img', imageTy), p('mean', floatsTy), p('std', floatsTy), p('data_format', dataFormatTy, 'CHW'), p('to_rgb', T.bool, false)],
  (a): Tensor => {
    const api = 'paddle.vision.transforms.normalize';
    const x = a.img;
    const wide = x.dtype === 'float64' || x.dtype === 'int32' || x.dtype === 'int64';
    const outDtype: DType = wide ? 'float64' : 'float32';
    const r = wide ? (v: number) => v : Math.fround;
    const L = Math.max(a.mean.length, a.std.length);
    if (a.mean.length !== a.std.length && a.mean.length !== 1 && a.std.length !== 1)
      fail(api, `mean (${a.mean.length} values) and std (${a.std.length} values) do not match`);
    const mean = a.mean.map(Math.fround), std = a.std.map(Math.fround);
    // numpy broadcasting of the image against a [L,1,1] (CHW) or [1,1,L] (HWC) array.
    const pshape = a.data_format === 'CHW' ? [L, 1, 1] : [1, 1, L];
    const xshape = x.dims.length === 2 ? [1, ...x.dims] : x.dims.slice();
    const oshape = xshape.map((d, i) => {
      const q = pshape[i];
      if (d !== q && d !== 1 && q !== 1)
        fail(api, `mean/std of ${L} values cannot be broadcast against an image of shape [${x.dims.join(', ')}] with data_format '${a.data_format}' (it needs ${L} channels on axis ${a.data_format === 'CHW' ? 0 : x.dims.length - 1})`);
      return Math.max(d, q);
    });
    const src = toNumbers(x.data, x.dtype);
    const [O0, O1, O2] = oshape;
    const chanLen = a.data_format === 'CHW' ? O0 : O2;
    if (sameShape(oshape, xshape) && !a.to_rgb && x.dims.length === 3) {
      // No broadcasting of the image: one pass with per-channel constants.
      const n = O0 * O1 * O2;
      const out = allocStorage(outDtype, n) as Float32Array | Float64Array;
      const ms = Array.from({ length: chanLen }, (_, q) => mean[mean.length === 1 ? 0 : q]);
      const ss = Array.from({ length: chanLen }, (_, q) => std[std.length === 1 ? 0 : q]);
      if (a.data_format === 'HWC') {
        for (let i = 0; i < n; i += O2) for (let k = 0; k < O2; k++) out[i + k] = r(r(src[i + k] - ms[k]) / ss[k]);
      } else {
        const plane = O1 * O2;
        for (let q = 0; q < O0; q++) {
          const m = ms[q], sd = ss[q];
          for (let i = q * plane, e = i + plane; i < e; i++) out[i] = r(r(src[i] - m) / sd);
        }
      }
      return new Tensor(out, oshape, outDtype);
    }
    const [X0, X1, X2] = xshape;
    const chanAxis = x.dims.length === 3 && a.to_rgb ? (a.data_format === 'CHW' ? 0 : 2) : -1;
    const out = allocStorage(outDtype, O0 * O1 * O2) as Float32Array | Float64Array;
    let o = 0;
    for (let i = 0; i < O0; i++)
      for (let j = 0; j < O1; j++)
        for (let k = 0; k < O2; k++) {
          let xi = X0 === 1 ? 0 : i, xj = X1 === 1 ? 0 : j, xk = X2 === 1 ? 0 : k;
          if (chanAxis === 0) xi = X0 - 1 - xi;
          else if (chanAxis === 2) xk = X2 - 1 - xk;
          const pi = a.data_format === 'CHW' ? i : k;
          const m = mean[L === 1 || mean.length === 1 ? 0 : pi], s = std[L === 1 || std.length === 1 ? 0 : pi];
          out[o++] = r(r(src[(xi * X1 + xj) * X2 + xk] - m) / s);
        }
    return new Tensor(out, x.dims.length === 2 && O0 === 1 ? [O1, O2] : oshape, outDtype);
  },
);

// ---------------------------------------------------------------------------------------
// Geometry

/**
 * Resizes an image (cv2.resize): an int `size` sets the shorter side, keeping the aspect ratio
 * (the longer side is truncated: int(size * long / short)), an image already that size is
 * returned as is; a pair (h, w) sets both sides.
 * @param img the image, [H, W] or [H, W, C]
 * @param size int or (h, w)
 * @param interpolation 'nearest', 'bilinear' (default), 'bicubic', 'area' or 'lanczos'
 * @example F.resize(img, 224); F.resize(img, [200, 150], 'bicubic')
 */
export const resize = defineApi(
  'paddle.vision.transforms.resize',
  [p('img', imageTy), p('size', sizeTy), p('interpolation', interpTy, 'bilinear')],
  (a): Tensor => {
    const api = 'paddle.vision.transforms.resize';
    const img = asImg(a.img);
    if (a.size.hw[0] <= 0 || a.size.hw[1] <= 0) fail(api, `size must be positive, but got ${a.size.int ? a.size.hw[0] : `[${a.size.hw}]`}`);
    const { h, w } = img;
    let oh: number, ow: number;
    if (a.size.int) {
      const size = a.size.hw[0];
      if ((w <= h && w === size) || (h <= w && h === size)) return a.img;
      if (w < h) { ow = size; oh = Math.trunc((size * h) / w); }
      else { oh = size; ow = Math.trunc((size * w) / h); }
    } else [oh, ow] = a.size.hw;
    if (oh <= 0 || ow <= 0) fail(api, `the output size [${oh}, ${ow}] is empty`);
    needInterpDtype(api, img, a.interpolation);
    return result(cv.resize(img, ow, oh, a.interpolation), oh, ow, img.c, img.dtype, img.rank2);
  },
);

/**
 * Pads an image on each border (cv2.copyMakeBorder): `padding` is an int (all sides), a pair
 * (left/right, top/bottom) or four values (left, top, right, bottom). Modes: 'constant' (with
 * `fill`: a number for every channel or one value per channel), 'edge', 'reflect'
 * ([1,2,3,4] by 2 -> [3,2,1,2,3,4,3,2]) and 'symmetric' ([2,1,1,2,3,4,4,3]).
 * @param img the image
 * @param padding int, (lr, tb) or (l, t, r, b)
 * @param fill constant fill value(s)
 * @param padding_mode 'constant', 'edge', 'reflect' or 'symmetric'
 * @example F.pad(img, [2, 1], 0, 'reflect')
 */
export const pad = defineApi(
  'paddle.vision.transforms.pad',
  [p('img', imageTy), p('padding', T.any), p('fill', fillTy, 0), p('padding_mode', paddingModeTy, 'constant')],
  (a): Tensor => {
    const api = 'paddle.vision.transforms.pad';
    const [l, t, r, b] = parsePadding(api, a.padding);
    const img = asImg(a.img);
    const data = cv.copyMakeBorder(img, t, b, l, r, cv.BORDER[a.padding_mode], fillVec(a.fill, img.c));
    return result(data, img.h + t + b, img.w + l + r, img.c, img.dtype, img.rank2);
  },
);

/** Paddle's padding forms -> [left, top, right, bottom]. */
export function parsePadding(api: string, v: unknown): [number, number, number, number] {
  let q: number[];
  if (isInt(v)) q = [v, v, v, v];
  else if (Array.isArray(v) && v.every(isInt) && (v.length === 2 || v.length === 4)) q = v.length === 2 ? [v[0], v[1], v[0], v[1]] : (v as number[]).slice();
  else if (Array.isArray(v) && v.every(isInt)) return fail(api, `Padding must be an int or a 2, or 4 element tuple, not a ${v.length} element tuple`);
  else return badArg(api, 'padding', 'an int or a list of 2 or 4 ints', v);
  if (q.some((x) => x < 0)) fail(api, `padding values must be non-negative, but got [${q.join(', ')}]`);
  return q as [number, number, number, number];
}

/**
 * Crops the box of `height` x `width` pixels whose top-left corner is (top, left).
 * @param img the image
 * @param top row of the top-left corner
 * @param left column of the top-left corner
 * @param height box height
 * @param width box width
 * @example F.crop(img, 56, 150, 200, 100)
 */
export const crop = defineApi(
  'paddle.vision.transforms.crop',
  [p('img', imageTy), p('top', T.int), p('left', T.int), p('height', T.int), p('width', T.int)],
  (a): Tensor => cropImpl('paddle.vision.transforms.crop', a.img, a.top, a.left, a.height, a.width),
);

function cropImpl(api: string, t: Tensor, top: number, left: number, hh: number, ww: number): Tensor {
  const img = asImg(t);
  if (hh < 0 || ww < 0) fail(api, `height and width must be non-negative, but got height=${hh}, width=${ww}`);
  if (top < 0 || left < 0 || top + hh > img.h || left + ww > img.w)
    fail(api, `the crop box (top=${top}, left=${left}, height=${hh}, width=${ww}) does not fit in the image of height ${img.h} and width ${img.w}`);
  return result(cv.crop(img, top, left, hh, ww), hh, ww, img.c, img.dtype, img.rank2);
}

/**
 * Crops the central region of `output_size` (an int for a square, or (h, w)); the offsets are
 * round((H - h) / 2) and round((W - w) / 2), rounding half to even as Python does.
 * @param img the image
 * @param output_size int or (h, w)
 * @example F.center_crop(img, 224)
 */
export const center_crop = defineApi(
  'paddle.vision.transforms.center_crop',
  [p('img', imageTy), p('output_size', sizeTy)],
  (a): Tensor => {
    const api = 'paddle.vision.transforms.center_crop';
    const [th, tw] = a.output_size.hw;
    const [h, w] = a.img.dims;
    if (th > h || tw > w || th < 0 || tw < 0) fail(api, `output_size [${th}, ${tw}] does not fit in the image of height ${h} and width ${w}`);
    return cropImpl(api, a.img, pyRound((h - th) / 2), pyRound((w - tw) / 2), th, tw);
  },
);

/**
 * Flips an image left-right.
 * @param img the image
 * @example F.hflip(img)
 */
export const hflip = defineApi('paddle.vision.transforms.hflip', [p('img', imageTy)], (a): Tensor => {
  const img = asImg(a.img);
  return new Tensor(cv.flip(img, 1), a.img.shape, img.dtype);
});

/**
 * Flips an image top-bottom.
 * @param img the image
 * @example F.vflip(img)
 */
export const vflip = defineApi('paddle.vision.transforms.vflip', [p('img', imageTy)], (a): Tensor => {
  const img = asImg(a.img);
  return new Tensor(cv.flip(img, 0), a.img.shape, img.dtype);
});

const centerTy: Ty<[number, number] | null, readonly number[] | null> = {
  desc: 'a pair (x, y) or None',
  parse(v, api, arg) {
    if (v === null) return null;
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
    return badArg(api, arg, 'a pair of numbers (x, y) or None', v);
  },
};

/** The affine matrix and output size of a cv2-backend rotation (getRotationMatrix2D + expand). */
export function rotationMatrix(w: number, h: number, angle: number, expand: boolean, center: [number, number] | null): { M: number[]; w: number; h: number } {
  const c = center ?? [w / 2, h / 2];
  // cv2.getRotationMatrix2D takes the centre as a Point2f.
  const cx = Math.fround(c[0]), cy = Math.fround(c[1]);
  const rad = (angle * Math.PI) / 180;
  const al = Math.cos(rad), be = Math.sin(rad);
  const M = [al, be, (1 - al) * cx - be * cy, -be, al, be * cx + (1 - al) * cy];
  if (!expand) return { M, w, h };
  const r15 = (v: number): number => Number(v.toFixed(15));
  const t = -rad;
  const em = [r15(Math.cos(t)), r15(Math.sin(t)), 0, r15(-Math.sin(t)), r15(Math.cos(t)), 0];
  const tf = (x: number, y: number): [number, number] => [em[0] * x + em[1] * y + em[2], em[3] * x + em[4] * y + em[5]];
  [em[2], em[5]] = tf(-c[0], -c[1]);
  em[2] += c[0];
  em[5] += c[1];
  const xs: number[] = [], ys: number[] = [];
  for (const [x, y] of [[0, 0], [w, 0], [w, h], [0, h]]) {
    const [a, b] = tf(x, y);
    xs.push(a);
    ys.push(b);
  }
  const nw = Math.ceil(Math.max(...xs)) - Math.floor(Math.min(...xs));
  const nh = Math.ceil(Math.max(...ys)) - Math.floor(Math.min(...ys));
  M[2] += (nw - w) * 0.5;
  M[5] += (nh - h) * 0.5;
  return { M, w: nw, h: nh };
}

/**
 * Rotates an image by `angle` degrees counter-clockwise about `center` (default the image
 * centre, (w/2, h/2) in x, y), as cv2.warpAffine does; `expand` grows the canvas to hold the
 * whole rotated image; uncovered pixels get `fill` (a number for every channel, or one value
 * per channel).
 * @param img the image (at most 4 channels)
 * @param angle degrees, counter-clockwise
 * @param interpolation 'nearest' (default), 'bilinear', 'bicubic', 'area' (as bilinear) or 'lanczos'
 * @param expand whether to enlarge the output to fit
 * @param center (x, y) pivot, or null
 * @param fill border value(s)
 * @example F.rotate(img, 90)
 */
export const rotate = defineApi(
  'paddle.vision.transforms.rotate',
  [p('img', imageTy), p('angle', T.float), p('interpolation', interpTy, 'nearest'), p('expand', T.bool, false), p('center', centerTy, null), p('fill', fillTy, 0)],
  (a): Tensor => {
    const api = 'paddle.vision.transforms.rotate';
    const img = asImg(a.img);
    if (img.c > 4) fail(api, `images with more than 4 channels are not supported (cv2.warpAffine), got ${img.c}`);
    needInterpDtype(api, img, a.interpolation);
    const { M, w, h } = rotationMatrix(img.w, img.h, a.angle, a.expand, a.center);
    if (w <= 0 || h <= 0) fail(api, `the rotated image would be empty (${h}x${w})`);
    return result(cv.warpAffine(img, M, w, h, a.interpolation, fillVec(a.fill, img.c)), h, w, img.c, img.dtype, img.rank2);
  },
);

// ---------------------------------------------------------------------------------------
// Colour

/**
 * Converts an RGB image to grayscale with cv2's RGB2GRAY weights (0.299 R + 0.587 G + 0.114 B;
 * uint8 in 14-bit fixed point, rounded): [H, W, 1], or that value repeated on every channel of
 * the input with num_output_channels=3.
 * @param img a 3- or 4-channel image
 * @param num_output_channels 1 or 3
 * @example F.to_grayscale(img)
 */
export const to_grayscale = defineApi(
  'paddle.vision.transforms.to_grayscale',
  [p('img', imageTy), p('num_output_channels', T.int, 1)],
  (a): Tensor => {
    const api = 'paddle.vision.transforms.to_grayscale';
    if (a.num_output_channels !== 1 && a.num_output_channels !== 3) fail(api, `num_output_channels should be either 1 or 3, but got ${a.num_output_channels}`);
    const img = asImg(a.img);
    needColor(api, img);
    if (img.dtype !== 'uint8' && img.dtype !== 'float32' && img.dtype !== 'float64')
      fail(api, `cv2.cvtColor does not support ${img.dtype} images; use uint8 or float32`, UnimplementedError);
    const g = cv.toGray(img, true);
    if (a.num_output_channels === 1) return new Tensor(cv.store(g, img.dtype), [img.h, img.w, 1], img.dtype);
    const n = img.h * img.w, c = img.c;
    const out = allocStorage(img.dtype, n * c) as NumArray;
    for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) out[i * c + k] = g[i];
    return new Tensor(out as Storage, [img.h, img.w, c], img.dtype);
  },
);

function lutApply(api: string, t: Tensor, f: (i: number) => number): Tensor {
  const img = asImg(t);
  const table = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    const v = f(i);
    table[i] = v <= 0 || Number.isNaN(v) ? 0 : v >= 255 ? 255 : Math.trunc(v);
  }
  const src: cv.Img = { ...img, dtype: 'uint8', data: toUint8(img) };
  return new Tensor(cv.lut(src, table), t.shape, 'uint8');
}

/**
 * Adjusts brightness through a lookup table, as Paddle's cv2 backend: each uint8 value v
 * becomes trunc(clip(v * brightness_factor, 0, 255)). 0 gives black, 1 the original. Other
 * dtypes are first cast to uint8 (saturating), as later Paddle does.
 * @param img the image
 * @param brightness_factor non-negative factor
 * @example F.adjust_brightness(img, 1.5)
 */
export const adjust_brightness = defineApi(
  'paddle.vision.transforms.adjust_brightness',
  [p('img', imageTy), p('brightness_factor', T.float)],
  (a): Tensor => lutApply('paddle.vision.transforms.adjust_brightness', a.img, (i) => i * a.brightness_factor),
);

/**
 * Adjusts contrast through a lookup table, as Paddle's cv2 backend: v becomes
 * trunc(clip((v - 74) * contrast_factor + 74, 0, 255)) (74 is the fixed mean Paddle uses).
 * Other dtypes are first cast to uint8 (saturating).
 * @param img the image
 * @param contrast_factor non-negative factor; 1 gives the original
 * @example F.adjust_contrast(img, 0.5)
 */
export const adjust_contrast = defineApi(
  'paddle.vision.transforms.adjust_contrast',
  [p('img', imageTy), p('contrast_factor', T.float)],
  (a): Tensor => lutApply('paddle.vision.transforms.adjust_contrast', a.img, (i) => (i - 74) * a.contrast_factor + 74),
);

/**
 * Adjusts saturation as Paddle's cv2 backend: in float32, img * f + gray * (1 - f) with gray
 * from cv2's BGR2GRAY, then clipped to [0, 255] and cast back (truncating for integers). 0 gives
 * a gray image, 1 the original. (Paddle 2.0 drew f at random from [max(0, 1 - factor), 1 +
 * factor] here, a bug; the factor is used as documented.) A 4th channel is blended too.
 * @param img a 3- or 4-channel image
 * @param saturation_factor non-negative factor
 * @example F.adjust_saturation(img, 0.5)
 */
export const adjust_saturation = defineApi(
  'paddle.vision.transforms.functional.adjust_saturation',
  [p('img', imageTy), p('saturation_factor', T.float)],
  (a): Tensor => {
    const api = 'paddle.vision.transforms.functional.adjust_saturation';
    const img = asImg(a.img);
    needColor(api, img);
    const x = new Float32Array(toNumbers(img.data, img.dtype));
    const gray = cv.toGray({ ...img, dtype: 'float32', data: x }, false);
    const alpha = Math.fround(a.saturation_factor), beta = Math.fround(1 - a.saturation_factor);
    const n = img.h * img.w, c = img.c;
    const out = new Float32Array(x.length);
    for (let i = 0; i < n; i++) {
      const g = Math.fround(gray[i] * beta);
      for (let k = 0; k < c; k++) out[i * c + k] = Math.fround(x[i * c + k] * alpha) + g;
    }
    if (img.dtype === 'uint8') {
      const u = new Uint8Array(out.length);
      for (let i = 0; i < out.length; i++) { const v = out[i]; u[i] = v <= 0 ? 0 : v >= 255 ? 255 : v; }
      return new Tensor(u, a.img.shape, 'uint8');
    }
    return new Tensor(clipCast(out, img.dtype), a.img.shape, img.dtype);
  },
);

/**
 * Shifts hue as Paddle's cv2 backend: the uint8 image goes to HSV (cv2 BGR2HSV_FULL, hue in
 * 0..255), the hue channel gets uint8(hue_factor * 255) added modulo 256, and the result goes
 * back to BGR, cast to the input dtype. A 4-channel input gives 3 channels, as cv2 does.
 * @param img a 3- or 4-channel image
 * @param hue_factor shift in [-0.5, 0.5]
 * @example F.adjust_hue(img, 0.1)
 */
export const adjust_hue = defineApi(
  'paddle.vision.transforms.adjust_hue',
  [p('img', imageTy), p('hue_factor', T.float)],
  (a): Tensor => {
    const api = 'paddle.vision.transforms.adjust_hue';
    if (!(a.hue_factor >= -0.5 && a.hue_factor <= 0.5)) fail(api, `hue_factor ${a.hue_factor} is not in [-0.5, 0.5]`);
    const img = asImg(a.img);
    needColor(api, img);
    const n = img.h * img.w;
    const hsv = cv.bgrToHsvFull(toUint8(img), n, img.c);
    const shift = ((Math.trunc(a.hue_factor * 255) % 256) + 256) % 256;
    for (let i = 0; i < n; i++) hsv[3 * i] = (hsv[3 * i] + shift) & 255;
    const bgr = cv.hsvFullToBgr(hsv, n);
    return new Tensor(img.dtype === 'uint8' ? bgr : fromNumbers(bgr, img.dtype), [img.h, img.w, 3], img.dtype);
  },
);

