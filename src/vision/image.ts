// paddle.vision.image_load / set_image_backend / get_image_backend (python/paddle/vision/image.py
// at 2.0), and the decoders behind them.
//
// An image here is what Paddle 2.0's cv2 backend uses: an HWC array, as a uint8 Tensor. Paddle's
// image_load returns `cv2.imread(path)` with backend 'cv2' (3-channel BGR, EXIF orientation
// applied) and a PIL image with 'pil'; since there is no PIL here, 'pil' gives what the usual
// `image_load(path).convert('RGB')` gives: 3-channel RGB (no EXIF rotation, as PIL does not
// apply it either). Either way grayscale files are replicated to 3 channels, alpha is dropped
// (not composited), and 16-bit samples keep their high byte, as libpng's strip_16 does.
//
// PNG is decoded with pngjs (lossless, so exact). Baseline and progressive JPEGs are decoded by
// ./jpeg.ts with libjpeg-turbo's own integer arithmetic (ISLOW IDCT, fancy upsampling, YCbCr
// tables), the library inside cv2 and Pillow, so the pixels are the ones they decode; jpeg-js
// only handles what that decoder does not (CMYK/YCCK files).
import { readFileSync, statSync } from 'node:fs';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import { T, defineApi, p } from '../core/args.js';
import { InvalidArgumentError, NotFoundError, fail } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { JpegCorrupt, JpegUnsupported, decodeJpegExact } from './jpeg.js';

const BACKENDS = ['pil', 'cv2'] as const;
type Backend = (typeof BACKENDS)[number];
let imageBackend: Backend = 'pil';

/**
 * Sets the backend `image_load` (and `DatasetFolder`/`ImageFolder`) use to load images: 'pil'
 * (the default; here an RGB uint8 HWC Tensor) or 'cv2' (a BGR uint8 HWC Tensor).
 * @param backend 'pil' or 'cv2'
 * @example paddle.vision.set_image_backend('cv2')
 */
export const set_image_backend = defineApi(
  'paddle.vision.set_image_backend',
  [p('backend', T.any)],
  (a): void => {
    if (!BACKENDS.includes(a.backend as Backend))
      fail('paddle.vision.set_image_backend', `Expected backend are one of ['pil', 'cv2'], but got ${JSON.stringify(a.backend)}`);
    imageBackend = a.backend as Backend;
  },
);

/**
 * The name of the backend that loads images ('pil' unless set_image_backend changed it).
 * @example paddle.vision.get_image_backend()  // 'pil'
 */
export const get_image_backend = defineApi('paddle.vision.get_image_backend', [], (): Backend => imageBackend);

/**
 * Loads a PNG or JPEG file (recognised by its first bytes, not its name) as a uint8 HWC Tensor
 * with 3 channels: BGR with backend 'cv2' (as `cv2.imread`, EXIF orientation applied), RGB with
 * 'pil' (as `Image.open(path).convert('RGB')`). `backend` null uses get_image_backend().
 * @param path the file's path
 * @param backend 'pil', 'cv2' or null
 * @example const img = paddle.vision.image_load('test.jpg', 'cv2');  // shape [H, W, 3], uint8
 */
export const image_load = defineApi(
  'paddle.vision.image_load',
  [p('path', T.str), p('backend', T.any, null)],
  (a): Tensor => {
    const api = 'paddle.vision.image_load';
    const backend = (a.backend ?? imageBackend) as Backend;
    if (!BACKENDS.includes(backend)) fail(api, `Expected backend are one of ['pil', 'cv2'], but got ${JSON.stringify(a.backend)}`);
    let bytes: Uint8Array;
    try {
      if (statSync(a.path).isDirectory()) fail(api, `'${a.path}' is a directory, not an image file`);
      bytes = readFileSync(a.path);
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw e;
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT') fail(api, `No such file: '${a.path}'`, NotFoundError);
      fail(api, `cannot read '${a.path}': ${(e as Error).message}`);
    }
    const img = decodeImage(bytes, api, a.path, backend === 'cv2');
    return rgbTensor(img, backend === 'cv2');
  },
);

/** A decoded 8-bit picture: `c` is 1 (gray) or 3 (RGB), row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  c: 1 | 3;
  data: Uint8Array;
}

/** RGB (or gray) pixels -> a [H, W, 3] uint8 Tensor in RGB or BGR order. */
function rgbTensor(img: DecodedImage, bgr: boolean): Tensor {
  const n = img.width * img.height;
  const out = new Uint8Array(n * 3);
  const s = img.data;
  if (img.c === 1) for (let i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = s[i];
  else if (bgr) for (let i = 0; i < n; i++) { out[3 * i] = s[3 * i + 2]; out[3 * i + 1] = s[3 * i + 1]; out[3 * i + 2] = s[3 * i]; }
  else out.set(s.subarray(0, n * 3));
  return new Tensor(out, [img.height, img.width, 3], 'uint8');
}

/**
 * Decodes PNG or JPEG bytes (format from the magic bytes). `exifRotate` applies a JPEG's EXIF
 * orientation as cv2.imread does.
 */
export function decodeImage(bytes: Uint8Array, api: string, what: string, exifRotate = false): DecodedImage {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return decodePng(bytes, api, what);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return decodeJpeg(bytes, api, what, exifRotate);
  return fail(api, `cannot identify image file '${what}': only PNG and JPEG are supported`);
}

// ---------------------------------------------------------------------------------------
// PNG

function decodePng(bytes: Uint8Array, api: string, what: string): DecodedImage {
  // Drop tRNS chunks: the output has no alpha, and pngjs would otherwise zero the colour of
  // "transparent" pixels, which cv2 and PIL's convert('RGB') keep.
  const chunks: Uint8Array[] = [bytes.subarray(0, 8)];
  let pos = 8;
  let depth = 8;
  while (pos + 8 <= bytes.length) {
    const len = ((bytes[pos] << 24) | (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3]) >>> 0;
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    const end = pos + 12 + len;
    if (end > bytes.length) break;
    if (type === 'IHDR') depth = bytes[pos + 16];
    if (type !== 'tRNS') chunks.push(bytes.subarray(pos, end));
    pos = end;
    if (type === 'IEND') break;
  }
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const clean = Buffer.alloc(total);
  let o = 0;
  for (const c of chunks) { clean.set(c, o); o += c.length; }
  let png: { width: number; height: number; data: ArrayLike<number>; color: boolean };
  try {
    png = pngjs.PNG.sync.read(clean, { skipRescale: depth === 16 }) as unknown as typeof png;
  } catch (e) {
    return fail(api, `cannot decode PNG image '${what}': ${(e as Error).message}`);
  }
  const n = png.width * png.height;
  const src = png.data;
  const shift = depth === 16 ? 8 : 0;
  if (!png.color) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = src[4 * i] >> shift;
    return { width: png.width, height: png.height, c: 1, data: out };
  }
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[3 * i] = src[4 * i] >> shift;
    out[3 * i + 1] = src[4 * i + 1] >> shift;
    out[3 * i + 2] = src[4 * i + 2] >> shift;
  }
  return { width: png.width, height: png.height, c: 3, data: out };
}

// ---------------------------------------------------------------------------------------
// JPEG

interface JpegHeader {
  width: number;
  height: number;
  comps: { id: number; h: number; v: number }[];
  jfif: boolean;
  adobe: { pos: number; transform: number } | null;
  orientation: number;
}

function readExifOrientation(b: Uint8Array, start: number, end: number): number {
  // "Exif\0\0" then a TIFF header.
  if (end - start < 14 || String.fromCharCode(b[start], b[start + 1], b[start + 2], b[start + 3]) !== 'Exif') return 1;
  const t = start + 6;
  const le = b[t] === 0x49 && b[t + 1] === 0x49;
  const u16 = (i: number): number => (le ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1]);
  const u32 = (i: number): number => (le ? (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0 : ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0);
  if (u16(t + 2) !== 42) return 1;
  const ifd = t + u32(t + 4);
  if (ifd + 2 > end) return 1;
  const count = u16(ifd);
  for (let k = 0; k < count; k++) {
    const e = ifd + 2 + 12 * k;
    if (e + 12 > end) break;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

function parseJpegHeader(b: Uint8Array): JpegHeader | null {
  const hd: JpegHeader = { width: 0, height: 0, comps: [], jfif: false, adobe: null, orientation: 1 };
  let pos = 2;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) return null;
    const m = b[pos + 1];
    if (m === 0xff) { pos++; continue; }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { pos += 2; continue; }
    const len = (b[pos + 2] << 8) | b[pos + 3];
    const seg = pos + 4, end = pos + 2 + len;
    if (m === 0xda) return hd.comps.length ? hd : null;
    if (m === 0xe0 && len >= 7 && String.fromCharCode(b[seg], b[seg + 1], b[seg + 2], b[seg + 3]) === 'JFIF' && b[seg + 4] === 0) hd.jfif = true;
    if (m === 0xe1 && hd.orientation === 1) hd.orientation = readExifOrientation(b, seg, Math.min(end, b.length));
    if (m === 0xee && len >= 14 && String.fromCharCode(b[seg], b[seg + 1], b[seg + 2], b[seg + 3], b[seg + 4]) === 'Adobe') hd.adobe = { pos, transform: b[seg + 11] };
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      hd.height = (b[seg + 1] << 8) | b[seg + 2];
      hd.width = (b[seg + 3] << 8) | b[seg + 4];
      const nc = b[seg + 5];
      for (let i = 0; i < nc; i++) {
        const q = seg + 6 + 3 * i;
        hd.comps.push({ id: b[q], h: b[q + 1] >> 4, v: b[q + 1] & 15 });
      }
    }
    pos = end;
  }
  return null;
}

function decodeJpeg(bytes: Uint8Array, api: string, what: string, exifRotate: boolean): DecodedImage {
  const hd = parseJpegHeader(bytes);
  if (!hd || hd.width === 0 || hd.height === 0) return fail(api, `cannot decode JPEG image '${what}': no frame header found (truncated or corrupt file)`);
  // libjpeg's colour-space guess for 3 components (jdapimin.c): JFIF or Adobe transform != 0
  // means YCbCr; without either, component ids 'R','G','B' mean RGB.
  const isRgb = (ids: number[]): boolean =>
    !hd.jfif && (hd.adobe ? hd.adobe.transform === 0 : ids[0] === 82 && ids[1] === 71 && ids[2] === 66);
  let img: DecodedImage;
  try {
    img = decodeJpegExact(bytes, isRgb);
  } catch (e) {
    if (e instanceof JpegCorrupt) return fail(api, `cannot decode JPEG image '${what}': ${e.message}`);
    if (!(e instanceof JpegUnsupported)) throw e;
    // CMYK/YCCK and other frames: jpeg-js' own decoding and colour conversion.
    let dec: { width: number; height: number; data: Uint8Array };
    try {
      dec = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: true, maxMemoryUsageInMB: 4096, maxResolutionInMP: 1000 });
    } catch (e2) {
      return fail(api, `cannot decode JPEG image '${what}': ${(e as Error).message}; ${(e2 as Error).message}`);
    }
    img = { width: dec.width, height: dec.height, c: 3, data: dec.data };
  }
  return exifRotate && hd.orientation !== 1 ? orient(img, hd.orientation) : img;
}

/** Applies an EXIF orientation (2..8) as OpenCV's ExifTransform does. */
function orient(img: DecodedImage, o: number): DecodedImage {
  const { width: W, height: H, c } = img;
  const swap = o >= 5;
  const ow = swap ? H : W, oh = swap ? W : H;
  const out = new Uint8Array(W * H * c);
  // After the optional transpose, flip: 2,6 horizontally; 4,8 vertically; 3,7 both.
  const fx = o === 2 || o === 3 || o === 6 || o === 7;
  const fy = o === 3 || o === 4 || o === 7 || o === 8;
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      const tx = fx ? ow - 1 - x : x, ty = fy ? oh - 1 - y : y;
      const sx = swap ? ty : tx, sy = swap ? tx : ty;
      for (let k = 0; k < c; k++) out[(y * ow + x) * c + k] = img.data[(sy * W + sx) * c + k];
    }
  return { width: ow, height: oh, c: img.c, data: out };
}
