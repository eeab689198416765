// Helpers shared by the detection kernels: C rounding, LoD / RoisNum batch bookkeeping, box
// overlaps (Paddle's JaccardOverlap, BboxOverlaps, PolyIoU) and the two NMS loops Paddle uses.
import { apiName } from '../../../core/args.js';
import type { DType, NumArray } from '../../../core/dtype.js';
import { fail, InvalidArgumentError, UnimplementedError } from '../../../core/errors.js';
import { registerKernel, type Kernel } from '../../../core/registry.js';
import { Tensor } from '../../../core/tensor.js';
import { nums, outNumbers, tensorOf } from '../loops.js';

export const F32_64: readonly DType[] = ['float32', 'float64'];

/**
 * Registers a detection kernel for every dtype: the dispatcher picks kernels by the first input's
 * dtype, which in programs Paddle saved may be an int slot sorting first (ImgSize, RoisNum...);
 * the operators' infer() checks the dtypes.
 */
export function reg(type: string, k: Kernel): void {
  registerKernel(type, 'js', k);
}

/** An error raised while running `op`, naming the running API. */
export function kfail(op: string, msg: string, cls: typeof InvalidArgumentError = InvalidArgumentError): never {
  const api = apiName('');
  return fail(api || op, api ? `${msg} (operator ${op})` : msg, cls);
}
export const unimplemented = (op: string, msg: string): never => kfail(op, msg, UnimplementedError);

/** C's round(): halves away from zero. */
export function roundC(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** A tensor's LoD as plain offset arrays (a fluid.LoDTensor's lod may be a view). */
export function lodOf(t: Tensor | undefined): number[][] {
  if (!t) return [];
  const l = t.lod as unknown;
  if (Array.isArray(l)) return l as number[][];
  return Array.from(l as ArrayLike<ArrayLike<number>>, (x) => Array.from(x));
}
/** The last LoD level, or undefined. */
export function lastLod(t: Tensor | undefined): number[] | undefined {
  const l = lodOf(t);
  return l.length ? l[l.length - 1] : undefined;
}

/** Offsets from per-image counts (Paddle's GetLodFromRoisNum). */
export function offsetsFromCounts(counts: ArrayLike<number>): number[] {
  const out = [0];
  for (let i = 0; i < counts.length; i++) out.push(out[i] + counts[i]);
  return out;
}

/**
 * The image (batch index) of every RoI, from a RoisNum tensor when given, else from the RoIs'
 * LoD; checks the batch size and the RoI count as Paddle does.
 */
export function roiBatchIds(op: string, rois: Tensor, roisNum: Tensor | undefined, batch: number, slot = 'RoisNum'): Int32Array {
  const n = rois.dims[0];
  const ids = new Int32Array(n);
  let offsets: number[];
  if (roisNum) {
    offsets = offsetsFromCounts(nums(roisNum));
    if (offsets.length - 1 !== batch)
      kfail(op, `${slot} gives the RoI counts of ${offsets.length - 1} images, but input X has a batch of ${batch}`);
  } else {
    const lod = lastLod(rois);
    if (!lod) {
      if (batch !== 1) kfail(op, `input ROIs has no LoD and no ${slot} was given, so the image of each RoI is unknown (X has a batch of ${batch}); pass rois_num or a LoD tensor`);
      offsets = [0, n];
    } else offsets = lod;
    if (offsets.length - 1 !== batch)
      kfail(op, `the LoD of ROIs describes ${offsets.length - 1} images, but input X has a batch of ${batch}`);
  }
  if (offsets[offsets.length - 1] !== n) kfail(op, `the RoI counts add up to ${offsets[offsets.length - 1]}, but ROIs holds ${n} RoIs`);
  for (let b = 0; b < offsets.length - 1; b++) for (let i = offsets[b]; i < offsets[b + 1]; i++) ids[i] = b;
  return ids;
}

/** Paddle's BBoxArea (normalized: w*h; otherwise (w+1)*(h+1); 0 for an inverted box). */
export function bboxArea(d: ArrayLike<number>, o: number, normalized: boolean): number {
  const x0 = d[o];
  const y0 = d[o + 1];
  const x1 = d[o + 2];
  const y1 = d[o + 3];
  if (x1 < x0 || y1 < y0) return 0;
  const w = x1 - x0;
  const h = y1 - y0;
  return normalized ? w * h : (w + 1) * (h + 1);
}

/** Paddle's JaccardOverlap of boxes at offsets a (in da) and b (in db). */
export function jaccard(da: ArrayLike<number>, a: number, db: ArrayLike<number>, b: number, normalized: boolean): number {
  if (db[b] > da[a + 2] || db[b + 2] < da[a] || db[b + 1] > da[a + 3] || db[b + 3] < da[a + 1]) return 0;
  const ix0 = Math.max(da[a], db[b]);
  const iy0 = Math.max(da[a + 1], db[b + 1]);
  const ix1 = Math.min(da[a + 2], db[b + 2]);
  const iy1 = Math.min(da[a + 3], db[b + 3]);
  const norm = normalized ? 0 : 1;
  const inter = (ix1 - ix0 + norm) * (iy1 - iy0 + norm);
  return inter / (bboxArea(da, a, normalized) + bboxArea(db, b, normalized) - inter);
}

/** Paddle's BboxOverlaps (+1 pixel convention) of box i in r against box j in c. */
export function pixelIoU(r: ArrayLike<number>, i: number, c: ArrayLike<number>, j: number): number {
  const ra = (r[i + 2] - r[i] + 1) * (r[i + 3] - r[i + 1] + 1);
  const ca = (c[j + 2] - c[j] + 1) * (c[j + 3] - c[j + 1] + 1);
  const iw = Math.max(Math.min(r[i + 2], c[j + 2]) - Math.max(r[i], c[j]) + 1, 0);
  const ih = Math.max(Math.min(r[i + 3], c[j + 3]) - Math.max(r[i + 1], c[j + 1]) + 1, 0);
  const inter = iw * ih;
  return inter === 0 ? 0 : inter / (ra + ca - inter);
}

// ---- polygons (boxes of 8, 16, 24 or 32 coordinates) -----------------------------------------

/** |shoelace area| of the polygon of `k` points at offset o. */
function polyArea(d: ArrayLike<number>, o: number, k: number): number {
  if (k < 3) return 0;
  let s = 0;
  for (let i = 0; i < k; i++) {
    const j = (i + 1) % k;
    s += d[o + 2 * i] * d[o + 2 * j + 1] - d[o + 2 * i + 1] * d[o + 2 * j];
  }
  return Math.abs(s / 2);
}

/** Signed area (positive when counter-clockwise). */
function signedArea(p: number[]): number {
  let s = 0;
  const k = p.length / 2;
  for (let i = 0; i < k; i++) {
    const j = (i + 1) % k;
    s += p[2 * i] * p[2 * j + 1] - p[2 * i + 1] * p[2 * j];
  }
  return s / 2;
}

/**
 * Area of the intersection of two polygons by Sutherland-Hodgman clipping of `a` against `b`.
 * Exact when `b` is convex (detection quadrilaterals are); Paddle uses the general GPC clipper.
 */
function polyOverlap(da: ArrayLike<number>, oa: number, db: ArrayLike<number>, ob: number, k: number): number {
  let subject: number[] = [];
  for (let i = 0; i < 2 * k; i++) subject.push(da[oa + i]);
  const clip: number[] = [];
  for (let i = 0; i < 2 * k; i++) clip.push(db[ob + i]);
  // orient the clip polygon counter-clockwise
  if (signedArea(clip) < 0) {
    for (let i = 0, j = k - 1; i < j; i++, j--) {
      [clip[2 * i], clip[2 * j]] = [clip[2 * j], clip[2 * i]];
      [clip[2 * i + 1], clip[2 * j + 1]] = [clip[2 * j + 1], clip[2 * i + 1]];
    }
  }
  for (let e = 0; e < k && subject.length; e++) {
    const ax = clip[2 * e];
    const ay = clip[2 * e + 1];
    const bx = clip[(2 * e + 2) % (2 * k)];
    const by = clip[(2 * e + 3) % (2 * k)];
    const side = (x: number, y: number): number => (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    const out: number[] = [];
    const m = subject.length / 2;
    for (let i = 0; i < m; i++) {
      const px = subject[2 * i];
      const py = subject[2 * i + 1];
      const qx = subject[(2 * i + 2) % subject.length];
      const qy = subject[(2 * i + 3) % subject.length];
      const sp = side(px, py);
      const sq = side(qx, qy);
      if (sp >= 0) out.push(px, py);
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        out.push(px + t * (qx - px), py + t * (qy - py));
      }
    }
    subject = out;
  }
  return subject.length >= 6 ? Math.abs(signedArea(subject)) : 0;
}

/** Paddle's PolyIoU (0 when an area or the intersection is 0). */
export function polyIoU(da: ArrayLike<number>, a: number, db: ArrayLike<number>, b: number, size: number): number {
  const k = size / 2;
  const a1 = polyArea(da, a, k);
  const a2 = polyArea(db, b, k);
  const inter = polyOverlap(da, a, db, b, k);
  if (a1 === 0 || a2 === 0 || inter === 0) return 0;
  return inter / (a1 + a2 - inter);
}

/** IoU of two boxes of `size` coordinates (4: Jaccard; 8..32: polygons). */
export function boxIoU(d: ArrayLike<number>, i: number, j: number, size: number, normalized: boolean): number {
  return size === 4 ? jaccard(d, i * 4, d, j * 4, normalized) : polyIoU(d, i * size, d, j * size, size);
}

// ---- sorting and NMS ---------------------------------------------------------------------------

/**
 * Indices of `scores[off + i*step]` (i < n) above `threshold`, ordered by score descending and
 * index ascending on ties (Paddle's stable sort; scores compare as float32, as Paddle's
 * pair<float, int> keys do), cut to `topK` when topK > -1. One O(n log n) sort.
 */
export function sortedAbove(scores: ArrayLike<number>, off: number, step: number, n: number, threshold: number, topK: number): Int32Array {
  let cnt = 0;
  const idx = new Int32Array(n);
  const key = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = scores[off + i * step];
    if (v > threshold) {
      idx[cnt++] = i;
      key[i] = v;
    }
  }
  const sel = idx.subarray(0, cnt);
  sel.sort((p, q) => key[q] - key[p] || p - q);
  return topK > -1 && topK < cnt ? sel.slice(0, topK) : sel.slice();
}

/** Stable order of `keys` descending (ties keep their position). */
export function orderDesc(keys: ArrayLike<number>): Int32Array {
  const n = keys.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((p, q) => keys[q] - keys[p] || p - q);
  return idx;
}

/**
 * Paddle's NMSFast on candidates already in score order: greedy keep, comparing only with the
 * kept boxes; the adaptive threshold shrinks by eta while above 0.5.
 */
export function greedyNms(order: ArrayLike<number>, iou: (a: number, b: number) => number, threshold: number, eta: number): number[] {
  const kept: number[] = [];
  let thr = threshold;
  for (let c = 0; c < order.length; c++) {
    const idx = order[c];
    let keep = true;
    for (let k = 0; k < kept.length; k++) {
      if (!(iou(idx, kept[k]) <= thr)) {
        keep = false;
        break;
      }
    }
    if (keep) {
      kept.push(idx);
      if (eta < 1 && thr > 0.5) thr *= eta;
    }
  }
  return kept;
}

/**
 * greedyNms for 4-coordinate boxes at b[base + i * stride], with the overlap test inlined and
 * the kept boxes' corners and areas in flat arrays (the hot loop of the NMS family). Same
 * result as greedyNms with jaccard().
 */
export function greedyNms4(order: ArrayLike<number>, b: ArrayLike<number>, base: number, stride: number, normalized: boolean, threshold: number, eta: number): number[] {
  const n = order.length;
  const kept: number[] = [];
  const kx0 = new Float64Array(n);
  const ky0 = new Float64Array(n);
  const kx1 = new Float64Array(n);
  const ky1 = new Float64Array(n);
  const ka = new Float64Array(n);
  const nz = normalized ? 0 : 1;
  let thr = threshold;
  let k = 0;
  for (let c = 0; c < n; c++) {
    const idx = order[c];
    const o = base + idx * stride;
    const x0 = b[o];
    const y0 = b[o + 1];
    const x1 = b[o + 2];
    const y1 = b[o + 3];
    const area = x1 < x0 || y1 < y0 ? 0 : (x1 - x0 + nz) * (y1 - y0 + nz);
    let keep = true;
    for (let j = 0; j < k; j++) {
      let iou: number;
      if (kx0[j] > x1 || kx1[j] < x0 || ky0[j] > y1 || ky1[j] < y0) iou = 0;
      else {
        const inter = (Math.min(x1, kx1[j]) - Math.max(x0, kx0[j]) + nz) * (Math.min(y1, ky1[j]) - Math.max(y0, ky0[j]) + nz);
        iou = inter / (area + ka[j] - inter);
      }
      if (!(iou <= thr)) {
        keep = false;
        break;
      }
    }
    if (keep) {
      kx0[k] = x0;
      ky0[k] = y0;
      kx1[k] = x1;
      ky1[k] = y1;
      ka[k] = area;
      k++;
      kept.push(idx);
      if (eta < 1 && thr > 0.5) thr *= eta;
    }
  }
  return kept;
}

/** A float32 value the way Paddle stores float attributes. */
export const f32 = Math.fround;

/** A new tensor of `dtype` from numbers. */
export function make(a: NumArray, dims: number[], dtype: DType, lod?: number[][]): Tensor {
  const t = tensorOf(a, dims, dtype);
  if (lod) t.lod = lod;
  return t;
}
export { nums, outNumbers };
