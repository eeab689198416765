// Kernels of yolo_box, yolov3_loss and yolov3_loss_grad (see src/ops/detection/yolo.ts),
// following Paddle's CPU kernels. The gradient accumulates where two ground-truth boxes land on
// the same cell and anchor (Paddle's kernel overwrites there, which does not match its loss).
import type { Attrs } from '../../../core/registry.js';
import type { Tensor } from '../../../core/tensor.js';
import { f32, make, nums, outNumbers, reg, unimplemented } from './util.js';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

reg('yolo_box', (ins, a: Attrs, outs) => {
  const op = 'yolo_box';
  if (a.iou_aware) unimplemented(op, 'the iou_aware attribute (Paddle >= 2.2) is not supported');
  const xT = ins.X[0];
  const x = nums(xT);
  const img = nums(ins.ImgSize[0]);
  const [n, , h, w] = xT.dims;
  const anchors = a.anchors as number[];
  const an = anchors.length / 2;
  const cls = a.class_num as number;
  const conf = f32(a.conf_thresh as number);
  const down = a.downsample_ratio as number;
  const clip = a.clip_bbox as boolean;
  const scale = f32(a.scale_x_y as number);
  const bias = -0.5 * (scale - 1);
  const inH = down * h;
  const inW = down * w;
  const stride = h * w;
  const anStride = (cls + 5) * stride;
  const boxNum = an * stride;
  const dtype = xT.dtype;
  const boxes = outNumbers(dtype, [n, boxNum, 4]);
  const scores = outNumbers(dtype, [n, boxNum, cls]);
  for (let i = 0; i < n; i++) {
    const imgH = img[2 * i];
    const imgW = img[2 * i + 1];
    for (let j = 0; j < an; j++)
      for (let k = 0; k < h; k++)
        for (let l = 0; l < w; l++) {
          const base = (i * an + j) * anStride + k * w + l;
          const c = sigmoid(x[base + 4 * stride]);
          if (c < conf) continue;
          const cx = ((l + sigmoid(x[base]) * scale + bias) * imgW) / w;
          const cy = ((k + sigmoid(x[base + stride]) * scale + bias) * imgH) / h;
          const bw = (Math.exp(x[base + 2 * stride]) * anchors[2 * j] * imgW) / inW;
          const bh = (Math.exp(x[base + 3 * stride]) * anchors[2 * j + 1] * imgH) / inH;
          const bi = (i * boxNum + j * stride + k * w + l) * 4;
          let x0 = cx - bw / 2;
          let y0 = cy - bh / 2;
          let x1 = cx + bw / 2;
          let y1 = cy + bh / 2;
          if (clip) {
            x0 = x0 > 0 ? x0 : 0;
            y0 = y0 > 0 ? y0 : 0;
            x1 = x1 < imgW - 1 ? x1 : imgW - 1;
            y1 = y1 < imgH - 1 ? y1 : imgH - 1;
          }
          boxes[bi] = x0;
          boxes[bi + 1] = y0;
          boxes[bi + 2] = x1;
          boxes[bi + 3] = y1;
          const si = (i * boxNum + j * stride + k * w + l) * cls;
          for (let t = 0; t < cls; t++) scores[si + t] = c * sigmoid(x[base + (5 + t) * stride]);
        }
  }
  return { Boxes: [make(boxes, [n, boxNum, 4], dtype)], Scores: [make(scores, [n, boxNum, cls], dtype)] };
});

// ---- yolov3_loss -----------------------------------------------------------------------------------

const sce = (x: number, label: number): number => (x > 0 ? x : 0) - x * label + Math.log1p(Math.exp(-Math.abs(x)));
const sceGrad = (x: number, label: number): number => sigmoid(x) - label;

/** IoU of two (cx, cy, w, h) boxes. */
function iouCWH(x1: number, y1: number, w1: number, h1: number, x2: number, y2: number, w2: number, h2: number): number {
  const ow = Math.min(x1 + w1 / 2, x2 + w2 / 2) - Math.max(x1 - w1 / 2, x2 - w2 / 2);
  const oh = Math.min(y1 + h1 / 2, y2 + h2 / 2) - Math.max(y1 - h1 / 2, y2 - h2 / 2);
  const inter = ow < 0 || oh < 0 ? 0 : ow * oh;
  return inter / (w1 * h1 + w2 * h2 - inter);
}

interface YoloCtx {
  x: ArrayLike<number>;
  gt: ArrayLike<number>;
  label: ArrayLike<number>;
  score: ArrayLike<number> | null;
  n: number;
  h: number;
  w: number;
  b: number;
  anchors: number[];
  mask: number[];
  cls: number;
  inputSize: number;
  stride: number;
  anStride: number;
  pos: number;
  neg: number;
}
function yoloCtx(ins: Record<string, Tensor[]>, a: Attrs): YoloCtx {
  const xT = ins.X[0];
  const [n, , h, w] = xT.dims;
  const cls = a.class_num as number;
  let pos = 1;
  let neg = 0;
  if (a.use_label_smooth) {
    const sw = Math.min(1 / cls, 1 / 40);
    pos = 1 - sw;
    neg = sw;
  }
  return {
    x: nums(xT),
    gt: nums(ins.GTBox[0]),
    label: nums(ins.GTLabel[0]),
    score: ins.GTScore?.[0] ? nums(ins.GTScore[0]) : null,
    n,
    h,
    w,
    b: ins.GTBox[0].dims[1],
    anchors: a.anchors as number[],
    mask: a.anchor_mask as number[],
    cls,
    inputSize: (a.downsample_ratio as number) * h,
    stride: h * w,
    anStride: (cls + 5) * h * w,
    pos,
    neg,
  };
}
const entry = (c: YoloCtx, i: number, m: number, hw: number, e: number): number => (i * c.mask.length + m) * c.anStride + e * c.stride + hw;

reg('yolov3_loss', (ins, a: Attrs, outs) => {
  const c = yoloCtx(ins, a);
  const { x, gt, n, h, w, b, anchors, mask, stride } = c;
  const dtype = ins.X[0].dtype;
  const scale = f32(a.scale_x_y as number);
  const bias = -0.5 * (scale - 1);
  const ignore = f32(a.ignore_thresh as number);
  const an = anchors.length / 2;
  const mn = mask.length;
  const loss = new Float64Array(n);
  const obj = outNumbers(dtype, [n, mn, h, w]);
  const match = new Int32Array(n * b);
  const valid = (i: number, t: number): boolean => !(gt[(i * b + t) * 4 + 2] < 1e-6 || gt[(i * b + t) * 4 + 3] < 1e-6);
  for (let i = 0; i < n; i++) {
    // predictions overlapping a ground truth by more than ignore_thresh get no objectness loss
    for (let j = 0; j < mn; j++)
      for (let k = 0; k < h; k++)
        for (let l = 0; l < w; l++) {
          const bi = entry(c, i, j, k * w + l, 0);
          const px = (l + sigmoid(x[bi]) * scale + bias) / h;
          const py = (k + sigmoid(x[bi + stride]) * scale + bias) / h;
          const pw = (Math.exp(x[bi + 2 * stride]) * anchors[2 * mask[j]]) / c.inputSize;
          const ph = (Math.exp(x[bi + 3 * stride]) * anchors[2 * mask[j] + 1]) / c.inputSize;
          let best = 0;
          for (let t = 0; t < b; t++) {
            if (!valid(i, t)) continue;
            const g = (i * b + t) * 4;
            const v = iouCWH(px, py, pw, ph, gt[g], gt[g + 1], gt[g + 2], gt[g + 3]);
            if (v > best) best = v;
          }
          if (best > ignore) obj[((i * mn + j) * h + k) * w + l] = -1;
        }
    for (let t = 0; t < b; t++) {
      if (!valid(i, t)) {
        match[i * b + t] = -1;
        continue;
      }
      const g = (i * b + t) * 4;
      const gi = Math.trunc(gt[g] * w);
      const gj = Math.trunc(gt[g + 1] * h);
      let best = 0;
      let bestN = 0;
      for (let q = 0; q < an; q++) {
        const v = f32(iouCWH(0, 0, anchors[2 * q] / c.inputSize, anchors[2 * q + 1] / c.inputSize, 0, 0, gt[g + 2], gt[g + 3]));
        if (v > best) {
          best = v;
          bestN = q;
        }
      }
      const mi = mask.indexOf(bestN);
      match[i * b + t] = mi;
      if (mi < 0) continue;
      const score = c.score ? c.score[i * b + t] : 1;
      const bi = entry(c, i, mi, gj * w + gi, 0);
      const tx = gt[g] * h - gi;
      const ty = gt[g + 1] * h - gj;
      const tw = Math.log((gt[g + 2] * c.inputSize) / anchors[2 * bestN]);
      const th = Math.log((gt[g + 3] * c.inputSize) / anchors[2 * bestN + 1]);
      const sc = (2 - gt[g + 2] * gt[g + 3]) * score;
      loss[i] += sce(x[bi], tx) * sc + sce(x[bi + stride], ty) * sc + Math.abs(th - x[bi + 3 * stride]) * sc + Math.abs(tw - x[bi + 2 * stride]) * sc;
      obj[((i * mn + mi) * h + gj) * w + gi] = score;
      const lb = c.label[i * b + t];
      const li = entry(c, i, mi, gj * w + gi, 5);
      for (let q = 0; q < c.cls; q++) loss[i] += sce(x[li + q * stride], q === lb ? c.pos : c.neg) * score;
    }
  }
  // objectness: positives weighted by their score, negatives (mask 0) plain, ignored (-1) skipped
  for (let i = 0; i < n; i++)
    for (let j = 0; j < mn; j++)
      for (let p = 0; p < stride; p++) {
        const o = obj[(i * mn + j) * stride + p];
        const v = x[entry(c, i, j, p, 4)];
        if (o > 1e-5) loss[i] += sce(v, 1) * o;
        else if (o > -0.5) loss[i] += sce(v, 0);
      }
  const lossOut = outNumbers(dtype, [n]);
  lossOut.set(loss);
  return {
    Loss: [make(lossOut, [n], dtype)],
    ObjectnessMask: [make(obj, [n, mn, h, w], dtype)],
    GTMatchMask: [make(match, [n, b], 'int32')],
  };
});

reg('yolov3_loss_grad', (ins, a: Attrs, outs) => {
  const c = yoloCtx(ins, a);
  const { x, gt, n, h, w, b, anchors, mask, stride } = c;
  const xT = ins.X[0];
  const dl = nums(ins['Loss@GRAD'][0]);
  const obj = nums(ins.ObjectnessMask[0]);
  const match = nums(ins.GTMatchMask[0]);
  const mn = mask.length;
  const dx = outNumbers(xT.dtype, xT.dims);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < b; t++) {
      const mi = match[i * b + t];
      if (mi < 0) continue;
      const g = (i * b + t) * 4;
      const score = c.score ? c.score[i * b + t] : 1;
      const gi = Math.trunc(gt[g] * w);
      const gj = Math.trunc(gt[g + 1] * h);
      const an = mask[mi];
      const bi = entry(c, i, mi, gj * w + gi, 0);
      const tx = gt[g] * h - gi;
      const ty = gt[g + 1] * h - gj;
      const tw = Math.log((gt[g + 2] * c.inputSize) / anchors[2 * an]);
      const th = Math.log((gt[g + 3] * c.inputSize) / anchors[2 * an + 1]);
      const sc = (2 - gt[g + 2] * gt[g + 3]) * score * dl[i];
      dx[bi] += sceGrad(x[bi], tx) * sc;
      dx[bi + stride] += sceGrad(x[bi + stride], ty) * sc;
      dx[bi + 2 * stride] += (x[bi + 2 * stride] > tw ? 1 : -1) * sc;
      dx[bi + 3 * stride] += (x[bi + 3 * stride] > th ? 1 : -1) * sc;
      const lb = c.label[i * b + t];
      const li = entry(c, i, mi, gj * w + gi, 5);
      for (let q = 0; q < c.cls; q++) dx[li + q * stride] += sceGrad(x[li + q * stride], q === lb ? c.pos : c.neg) * score * dl[i];
    }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < mn; j++)
      for (let p = 0; p < stride; p++) {
        const o = obj[(i * mn + j) * stride + p];
        const e = entry(c, i, j, p, 4);
        if (o > 1e-5) dx[e] += sceGrad(x[e], 1) * o * dl[i];
        else if (o > -0.5) dx[e] += sceGrad(x[e], 0) * dl[i];
      }
  return { 'X@GRAD': [make(dx, xT.dims.slice(), outs['X@GRAD'][0].dtype)] };
});
