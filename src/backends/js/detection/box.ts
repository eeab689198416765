// Kernels of box_coder, box_clip, box_decoder_and_assign, iou_similarity and
// polygon_box_transform (see src/ops/detection/box.ts), as Paddle's CPU kernels compute them.
import type { Attrs } from '../../../core/registry.js';
import type { Tensor } from '../../../core/tensor.js';
import { kfail, lodOf, make, nums, outNumbers, reg, roundC } from './util.js';

reg('box_coder', (ins, a: Attrs, outs) => {
  const op = 'box_coder';
  const prior = ins.PriorBox[0];
  const pvT: Tensor | undefined = ins.PriorBoxVar?.[0];
  const target = ins.TargetBox[0];
  const dtype = outs.OutputBox[0].dtype;
  if (lodOf(target).length > 1) kfail(op, `input TargetBox supports one LoD level, but has ${lodOf(target).length}`);
  const p = nums(prior);
  const t = nums(target);
  const pv = pvT ? nums(pvT) : null;
  const variance = a.variance as number[];
  const norm = a.box_normalized ? 0 : 1;
  const axis = a.axis as number;
  const m = prior.dims[0];
  if (pvT && (pvT.dims[0] !== m || pvT.dims[1] !== 4)) kfail(op, `input PriorBoxVar must have the shape of PriorBox [${prior.dims}], but got [${pvT.dims}]`);
  if (a.code_type === 'encode_center_size') {
    const row = target.dims[0];
    const dims = [row, m, 4];
    const out = outNumbers(dtype, dims);
    for (let i = 0; i < row; i++) {
      const tx0 = t[i * 4];
      const ty0 = t[i * 4 + 1];
      const tx1 = t[i * 4 + 2];
      const ty1 = t[i * 4 + 3];
      const tcx = (tx1 + tx0) / 2;
      const tcy = (ty1 + ty0) / 2;
      const tw = tx1 - tx0 + norm;
      const th = ty1 - ty0 + norm;
      for (let j = 0; j < m; j++) {
        const pw = p[j * 4 + 2] - p[j * 4] + norm;
        const ph = p[j * 4 + 3] - p[j * 4 + 1] + norm;
        const pcx = p[j * 4] + pw / 2;
        const pcy = p[j * 4 + 1] + ph / 2;
        const o = (i * m + j) * 4;
        out[o] = (tcx - pcx) / pw;
        out[o + 1] = (tcy - pcy) / ph;
        out[o + 2] = Math.log(Math.abs(tw / pw));
        out[o + 3] = Math.log(Math.abs(th / ph));
        if (pv) for (let k = 0; k < 4; k++) out[o + k] /= pv[j * 4 + k];
        else if (variance.length) for (let k = 0; k < 4; k++) out[o + k] /= variance[k];
      }
    }
    const lod = lodOf(target);
    return { OutputBox: [make(out, dims, dtype, lod.length ? lod : undefined)] };
  }
  const [row, col] = target.dims;
  if ((axis === 0 ? col : row) !== m) kfail(op, `dimension ${1 - axis} of TargetBox [${target.dims}] must equal the number of prior boxes ${m} (axis ${axis})`);
  const dims = target.dims.slice();
  const out = outNumbers(dtype, dims);
  for (let i = 0; i < row; i++) {
    for (let j = 0; j < col; j++) {
      const o = (i * col + j) * 4;
      const q = (axis === 0 ? j : i) * 4;
      const pw = p[q + 2] - p[q] + norm;
      const ph = p[q + 3] - p[q + 1] + norm;
      const pcx = p[q] + pw / 2;
      const pcy = p[q + 1] + ph / 2;
      let vx = 1;
      let vy = 1;
      let vw = 1;
      let vh = 1;
      if (pv) {
        vx = pv[q];
        vy = pv[q + 1];
        vw = pv[q + 2];
        vh = pv[q + 3];
      } else if (variance.length) [vx, vy, vw, vh] = variance;
      const cx = vx * t[o] * pw + pcx;
      const cy = vy * t[o + 1] * ph + pcy;
      const w = Math.exp(vw * t[o + 2]) * pw;
      const h = Math.exp(vh * t[o + 3]) * ph;
      out[o] = cx - w / 2;
      out[o + 1] = cy - h / 2;
      out[o + 2] = cx + w / 2 - norm;
      out[o + 3] = cy + h / 2 - norm;
    }
  }
  const lod = lodOf(axis === 1 ? prior : target);
  return { OutputBox: [make(out, dims, dtype, lod.length ? lod : undefined)] };
});

/** Clips boxes [from, to) (4 numbers each) to the image of im_info row `r` (Paddle's ClipTiledBoxes). */
export function clipTiled(src: ArrayLike<number>, dst: { [i: number]: number }, from: number, to: number, info: ArrayLike<number>, r: number, isScale: boolean): void {
  const imW = isScale ? roundC(info[r * 3 + 1] / info[r * 3 + 2]) : info[r * 3 + 1];
  const imH = isScale ? roundC(info[r * 3] / info[r * 3 + 2]) : info[r * 3];
  for (let i = from * 4; i < to * 4; i++) {
    const lim = i % 2 === 0 ? imW - 1 : imH - 1;
    dst[i] = Math.max(Math.min(src[i], lim), 0);
  }
}

reg('box_clip', (ins, _a, outs) => {
  const op = 'box_clip';
  const x = ins.Input[0];
  const info = nums(ins.ImInfo[0]);
  const nImg = ins.ImInfo[0].dims[0];
  const d = nums(x);
  const out = outNumbers(outs.Output[0].dtype, x.dims);
  const total = d.length / 4;
  const lod = lodOf(x);
  if (lod.length > 1) kfail(op, `input Input supports one LoD level, but has ${lod.length}`);
  // images: the LoD segments; without LoD, dimension 0 of a [N, ..., 4] input (one image if 2-D)
  let offsets: number[];
  if (lod.length) offsets = lod[0];
  else if (x.dims.length >= 3) {
    const per = total / x.dims[0];
    offsets = Array.from({ length: x.dims[0] + 1 }, (_, i) => i * per);
  } else offsets = [0, total];
  if (offsets.length - 1 > nImg) kfail(op, `input Input holds the boxes of ${offsets.length - 1} images, but ImInfo has ${nImg} rows`);
  for (let i = 0; i < offsets.length - 1; i++) clipTiled(d, out, offsets[i], offsets[i + 1], info, i, true);
  return { Output: [make(out, x.dims.slice(), outs.Output[0].dtype)] };
});

reg('box_decoder_and_assign', (ins, a: Attrs, outs) => {
  const prior = ins.PriorBox[0];
  const p = nums(prior);
  const pv = nums(ins.PriorBoxVar[0]);
  const t = nums(ins.TargetBox[0]);
  const s = nums(ins.BoxScore[0]);
  const dtype = outs.DecodeBox[0].dtype;
  const n = ins.TargetBox[0].dims[0];
  const cls = ins.BoxScore[0].dims[1];
  const clipV = Math.fround(a.box_clip as number); // a float attribute
  const dec = outNumbers(dtype, [n, cls * 4]);
  const asg = outNumbers(dtype, [n, 4]);
  for (let i = 0; i < n; i++) {
    const pw = p[i * 4 + 2] - p[i * 4] + 1;
    const ph = p[i * 4 + 3] - p[i * 4 + 1] + 1;
    const pcx = p[i * 4] + pw / 2;
    const pcy = p[i * 4 + 1] + ph / 2;
    for (let j = 0; j < cls; j++) {
      const o = (i * cls + j) * 4;
      const dw = Math.min(pv[2] * t[o + 2], clipV);
      const dh = Math.min(pv[3] * t[o + 3], clipV);
      const cx = pv[0] * t[o] * pw + pcx;
      const cy = pv[1] * t[o + 1] * ph + pcy;
      const w = Math.exp(dw) * pw;
      const h = Math.exp(dh) * ph;
      dec[o] = cx - w / 2;
      dec[o + 1] = cy - h / 2;
      dec[o + 2] = cx + w / 2 - 1;
      dec[o + 3] = cy + h / 2 - 1;
    }
    let best = -1;
    let bj = -1;
    for (let j = 1; j < cls; j++) {
      const v = s[i * cls + j];
      if (v > best) {
        best = v;
        bj = j;
      }
    }
    for (let k = 0; k < 4; k++) asg[i * 4 + k] = bj > 0 ? dec[(i * cls + bj) * 4 + k] : p[i * 4 + k];
  }
  return { DecodeBox: [make(dec, [n, cls * 4], dtype)], OutputAssignBox: [make(asg, [n, 4], dtype)] };
});

reg('iou_similarity', (ins, a: Attrs, outs) => {
  const x = nums(ins.X[0]);
  const y = nums(ins.Y[0]);
  const n = ins.X[0].dims[0];
  const m = ins.Y[0].dims[0];
  const dtype = outs.Out[0].dtype;
  const out = outNumbers(dtype, [n, m]);
  const norm = a.box_normalized ? 0 : 1;
  const eps = 1e-10;
  for (let i = 0; i < n; i++) {
    const x0 = x[i * 4];
    const y0 = x[i * 4 + 1];
    const x1 = x[i * 4 + 2];
    const y1 = x[i * 4 + 3];
    const area1 = (y1 - y0 + norm) * (x1 - x0 + norm);
    for (let j = 0; j < m; j++) {
      const u0 = y[j * 4];
      const v0 = y[j * 4 + 1];
      const u1 = y[j * 4 + 2];
      const v1 = y[j * 4 + 3];
      const area2 = (v1 - v0 + norm) * (u1 - u0 + norm);
      const ih = Math.max(Math.min(y1, v1) - Math.max(y0, v0) + norm, 0);
      const iw = Math.max(Math.min(x1, u1) - Math.max(x0, u0) + norm, 0);
      const inter = iw * ih;
      out[i * m + j] = inter / (area1 + area2 - inter + eps);
    }
  }
  return { Out: [make(out, [n, m], dtype)] };
});

reg('polygon_box_transform', (ins, _a, outs) => {
  const x = ins.Input[0];
  const d = nums(x);
  const [n, c, h, w] = x.dims;
  const out = outNumbers(outs.Output[0].dtype, x.dims);
  for (let k = 0; k < n * c; k++) {
    const even = k % 2 === 0;
    for (let i = 0; i < h; i++) {
      const base = (k * h + i) * w;
      for (let j = 0; j < w; j++) out[base + j] = (even ? j * 4 : i * 4) - d[base + j];
    }
  }
  return { Output: [make(out, x.dims.slice(), outs.Output[0].dtype)] };
});
