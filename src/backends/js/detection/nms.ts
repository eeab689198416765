// Kernels of the NMS family (see src/ops/detection/nms.ts), following Paddle's CPU kernels:
// per image and per class the candidates above score_threshold are sorted once (score
// descending, index ascending on ties) and cut to nms_top_k; greedy NMS then compares each
// candidate only with the boxes already kept in its class; keep_top_k finally keeps the best
// detections of the image across classes. Nothing compares boxes of different classes.
import type { DType } from '../../../core/dtype.js';
import type { Attrs } from '../../../core/registry.js';
import type { Tensor } from '../../../core/tensor.js';
import {
  boxIoU, f32, greedyNms, greedyNms4, jaccard, kfail, lastLod, make, nums, offsetsFromCounts, orderDesc, outNumbers, reg, roundC, sortedAbove,
} from './util.js';

/** Selected box indices per class (classes ascending, as Paddle's std::map iterates). */
type Selection = Map<number, number[]>;

interface ImageView {
  /** scores of box i, class c at sOff + c*sC + i*sI */
  s: ArrayLike<number>;
  sOff: number;
  sC: number;
  sI: number;
  /** boxes: box i of class c starts at bOff + c*bC + i*bI */
  b: ArrayLike<number>;
  bOff: number;
  bC: number;
  bI: number;
  /** boxes in the image, classes */
  m: number;
  classes: number;
  boxSize: number;
}

/** Paddle's MultiClassNMS for one image; returns the per-class selections (after keep_top_k). */
function multiClassNms(v: ImageView, a: Attrs, twoD: boolean): [Selection, number] {
  const bg = a.background_label as number;
  const topK = a.nms_top_k as number;
  const keepTopK = a.keep_top_k as number;
  const normalized = a.normalized as boolean;
  const nmsThr = f32(a.nms_threshold as number);
  const eta = f32(a.nms_eta as number);
  const scoreThr = f32(a.score_threshold as number);
  const sel: Selection = new Map();
  let numDet = 0;
  const { b, bOff, bC, bI, boxSize } = v;
  for (let c = 0; c < v.classes; c++) {
    if (c === bg) continue;
    const order = sortedAbove(v.s, v.sOff + c * v.sC, v.sI, v.m, scoreThr, topK);
    const base = bOff + c * bC;
    const kept =
      boxSize === 4
        ? greedyNms4(order, b, base, bI, normalized, nmsThr, eta)
        : greedyNms(order, (p: number, q: number): number => boxIoU(b, (base + p * bI) / boxSize, (base + q * bI) / boxSize, boxSize, normalized), nmsThr, eta);
    if (twoD) kept.sort((p, q) => p - q);
    sel.set(c, kept);
    numDet += kept.length;
  }
  if (keepTopK > -1 && numDet > keepTopK) {
    const labels: number[] = [];
    const idxs: number[] = [];
    const keys: number[] = [];
    for (const [c, kept] of sel) {
      for (const i of kept) {
        labels.push(c);
        idxs.push(i);
        keys.push(f32(v.s[v.sOff + c * v.sC + i * v.sI]));
      }
    }
    const order = orderDesc(keys);
    const next: Selection = new Map();
    for (let k = 0; k < keepTopK; k++) {
      const p = order[k];
      let l = next.get(labels[p]);
      if (!l) next.set(labels[p], (l = []));
      l.push(idxs[p]);
    }
    const sorted: Selection = new Map([...next.entries()].sort((x, y) => x[0] - y[0]));
    if (twoD) for (const l of sorted.values()) l.sort((p, q) => p - q);
    return [sorted, keepTopK];
  }
  return [sel, numDet];
}

function nmsKernel(op: string, returnIndex: boolean) {
  return (ins: Record<string, Tensor[]>, a: Attrs, outs: Record<string, { dtype: DType }[]>) => {
    const boxesT = ins.BBoxes[0];
    const scoresT = ins.Scores[0];
    const roisNum: Tensor | undefined = ins.RoisNum?.[0];
    const dtype = outs.Out[0].dtype;
    const s = nums(scoresT);
    const b = nums(boxesT);
    const twoD = scoresT.dims.length === 2;
    const boxSize = boxesT.dims[2];
    const outDim = boxSize + 2;
    const views: (ImageView | null)[] = [];
    const offsets: number[] = []; // Index offsets
    if (!twoD) {
      const [n, classes, m] = scoresT.dims;
      if (boxesT.dims[0] !== n || boxesT.dims[1] !== m) kfail(op, `BBoxes [${boxesT.dims}] does not match Scores [${scoresT.dims}]`);
      for (let i = 0; i < n; i++) {
        views.push({ s, sOff: i * classes * m, sC: m, sI: 1, b, bOff: i * m * boxSize, bC: 0, bI: boxSize, m, classes, boxSize });
        offsets.push(i * m);
      }
    } else {
      const [rows, classes] = scoresT.dims;
      let lod: number[];
      if (roisNum) lod = offsetsFromCounts(nums(roisNum));
      else {
        const l = lastLod(boxesT);
        if (!l) kfail(op, 'with 2-D Scores, BBoxes must carry a LoD (one segment per image) or RoisNum must be given');
        lod = l;
      }
      if (lod[lod.length - 1] !== rows) kfail(op, `the per-image box counts add up to ${lod[lod.length - 1]}, but there are ${rows} boxes`);
      for (let i = 0; i + 1 < lod.length; i++) {
        const m = lod[i + 1] - lod[i];
        views.push(m === 0 ? null : { s, sOff: lod[i] * classes, sC: 1, sI: classes, b, bOff: lod[i] * classes * 4, bC: 4, bI: classes * 4, m, classes, boxSize: 4 });
        offsets.push(lod[i] * classes);
      }
    }
    const sels: (Selection | null)[] = [];
    const starts = [0];
    for (const v of views) {
      if (!v) {
        sels.push(null);
        starts.push(starts[starts.length - 1]);
        continue;
      }
      const [sel, num] = multiClassNms(v, a, twoD);
      sels.push(sel);
      starts.push(starts[starts.length - 1] + num);
    }
    const n = views.length;
    const kept = starts[n];
    const res: Record<string, Tensor[]> = {};
    if (kept === 0) {
      if (returnIndex) {
        res.Out = [make(outNumbers(dtype, [0, outDim]), [0, outDim], dtype, [starts.slice()])];
        res.Index = [make(new Int32Array(0), [0, 1], 'int32', [starts.slice()])];
      } else {
        const o = outNumbers(dtype, [1, 1]);
        o[0] = -1;
        res.Out = [make(o, [1, 1], dtype, [[0, 1]])];
      }
    } else {
      const out = outNumbers(dtype, [kept, outDim]);
      const index = new Int32Array(kept);
      let r = 0;
      for (let i = 0; i < n; i++) {
        const v = views[i];
        const sel = sels[i];
        if (!v || !sel) continue;
        for (const [label, idxs] of sel) {
          for (const idx of idxs) {
            out[r * outDim] = label;
            out[r * outDim + 1] = v.s[v.sOff + label * v.sC + idx * v.sI];
            const bo = v.bOff + label * v.bC + idx * v.bI;
            for (let k = 0; k < v.boxSize; k++) out[r * outDim + 2 + k] = v.b[bo + k];
            index[r] = twoD ? offsets[i] + idx * v.classes + label : offsets[i] + idx;
            r++;
          }
        }
      }
      res.Out = [make(out, [kept, outDim], dtype, [starts.slice()])];
      if (returnIndex) res.Index = [make(index, [kept, 1], 'int32', [starts.slice()])];
    }
    if (outs.NmsRoisNum) {
      const cnt = new Int32Array(n);
      for (let i = 0; i < n; i++) cnt[i] = starts[i + 1] - starts[i];
      res.NmsRoisNum = [make(cnt, [n], 'int32')];
    }
    return res;
  };
}

reg('multiclass_nms', nmsKernel('multiclass_nms', false));
reg('multiclass_nms2', nmsKernel('multiclass_nms2', true));
reg('multiclass_nms3', nmsKernel('multiclass_nms3', true));

// ---- matrix_nms ----------------------------------------------------------------------------------

reg('matrix_nms', (ins, a: Attrs, outs) => {
  const boxesT = ins.BBoxes[0];
  const scoresT = ins.Scores[0];
  const dtype = outs.Out[0].dtype;
  const s = nums(scoresT);
  const b = nums(boxesT);
  const [n, classes, m] = scoresT.dims;
  const bg = a.background_label as number;
  const topK = a.nms_top_k as number;
  const keepTopK = a.keep_top_k as number;
  const normalized = a.normalized as boolean;
  const scoreThr = f32(a.score_threshold as number);
  const postThr = f32(a.post_threshold as number);
  const gaussian = a.use_gaussian as boolean;
  const sigma = f32(a.gaussian_sigma as number);
  const det: number[] = [];
  const index: number[] = [];
  const starts = [0];
  const perImage: number[] = [];
  for (let i = 0; i < n; i++) {
    const bOff = i * m * 4;
    const allIdx: number[] = [];
    const allScore: number[] = [];
    const allCls: number[] = [];
    for (let c = 0; c < classes; c++) {
      if (c === bg) continue;
      const sOff = (i * classes + c) * m;
      const perm = sortedAbove(s, sOff, 1, m, scoreThr, topK);
      const np = perm.length;
      if (!np) continue;
      const iouMat = new Float64Array((np * (np - 1)) / 2);
      const iouMax = new Float64Array(np);
      for (let p = 1; p < np; p++) {
        let mx = 0;
        for (let q = 0; q < p; q++) {
          const v = jaccard(b, bOff + perm[p] * 4, b, bOff + perm[q] * 4, normalized);
          if (v > mx) mx = v;
          iouMat[(p * (p - 1)) / 2 + q] = v;
        }
        iouMax[p] = mx;
      }
      if (s[sOff + perm[0]] > postThr) {
        allIdx.push(perm[0]);
        allScore.push(s[sOff + perm[0]]);
        allCls.push(c);
      }
      for (let p = 1; p < np; p++) {
        let minDecay = 1;
        for (let q = 0; q < p; q++) {
          const mx = iouMax[q];
          const v = iouMat[(p * (p - 1)) / 2 + q];
          const decay = gaussian ? Math.exp((mx * mx - v * v) * sigma) : (1 - v) / (1 - mx);
          if (decay < minDecay) minDecay = decay;
        }
        const ds = minDecay * s[sOff + perm[p]];
        if (!(ds > postThr)) continue;
        allIdx.push(perm[p]);
        allScore.push(ds);
        allCls.push(c);
      }
    }
    let num = allIdx.length;
    if (keepTopK > -1 && num > keepTopK) num = keepTopK;
    const order = orderDesc(allScore);
    for (let k = 0; k < num; k++) {
      const p = order[k];
      const idx = allIdx[p];
      index.push(i * m + idx);
      det.push(allCls[p], allScore[p], b[bOff + idx * 4], b[bOff + idx * 4 + 1], b[bOff + idx * 4 + 2], b[bOff + idx * 4 + 3]);
    }
    starts.push(starts[starts.length - 1] + num);
    perImage.push(num);
  }
  const kept = starts[n];
  const out = outNumbers(dtype, [kept, 6]);
  for (let k = 0; k < det.length; k++) out[k] = det[k];
  const res: Record<string, Tensor[]> = {
    Out: [make(out, [kept, 6], dtype, [starts.slice()])],
    Index: [make(Int32Array.from(index), [kept, 1], 'int32', [starts.slice()])],
  };
  if (outs.RoisNum) res.RoisNum = [make(Int32Array.from(perImage), [n], 'int32')];
  return res;
});

// ---- locality_aware_nms ----------------------------------------------------------------------------

reg('locality_aware_nms', (ins, a: Attrs, outs) => {
  const boxesT = ins.BBoxes[0];
  const scoresT = ins.Scores[0];
  const dtype = outs.Out[0].dtype;
  // the merges write into copies of the inputs (Paddle's TensorCopySync)
  const s = Float64Array.from(nums(scoresT));
  const b = Float64Array.from(nums(boxesT));
  const [n, classes, m] = scoresT.dims;
  const boxSize = boxesT.dims[2];
  const bg = a.background_label as number;
  const topK = a.nms_top_k as number;
  const keepTopK = a.keep_top_k as number;
  const normalized = a.normalized as boolean;
  const nmsThr = f32(a.nms_threshold as number);
  const eta = f32(a.nms_eta as number);
  const scoreThr = f32(a.score_threshold as number);
  const isF32 = dtype === 'float32';
  const sels: Selection[] = [];
  const starts = [0];
  for (let i = 0; i < n; i++) {
    const bOff = i * m * boxSize;
    const iou = (p: number, q: number): number => boxIoU(b, bOff / boxSize + p, bOff / boxSize + q, boxSize, normalized);
    const sel: Selection = new Map();
    let numDet = 0;
    for (let c = 0; c < classes; c++) {
      if (c === bg) continue;
      const sOff = (i * classes + c) * m;
      // merge runs of consecutive overlapping boxes into their score-weighted average
      const skip = new Uint8Array(m).fill(1);
      let index = -1;
      for (let k = 0; k < m; k++) {
        if (index > -1) {
          if (iou(k, index) > nmsThr) {
            const s1 = s[sOff + k];
            const s2 = s[sOff + index];
            for (let t = 0; t < boxSize; t++) {
              const v = (b[bOff + k * boxSize + t] * s1 + b[bOff + index * boxSize + t] * s2) / (s1 + s2);
              b[bOff + index * boxSize + t] = isF32 ? f32(v) : v;
            }
            s[sOff + index] = isF32 ? f32(s2 + s1) : s2 + s1;
          } else {
            skip[index] = 0;
            index = k;
          }
        } else index = k;
      }
      if (index > -1) skip[index] = 0;
      const cand: number[] = [];
      for (let k = 0; k < m; k++) if (s[sOff + k] > scoreThr && !skip[k]) cand.push(k);
      const key = cand.map((k) => f32(s[sOff + k]));
      let order = Array.from(orderDesc(key), (p) => cand[p]);
      if (topK > -1 && topK < order.length) order = order.slice(0, topK);
      const kept = greedyNms(order, iou, nmsThr, eta);
      sel.set(c, kept);
      numDet += kept.length;
    }
    if (keepTopK > -1 && numDet > keepTopK) {
      const labels: number[] = [];
      const idxs: number[] = [];
      const keys: number[] = [];
      for (const [c, kept] of sel)
        for (const k of kept) {
          labels.push(c);
          idxs.push(k);
          keys.push(f32(s[(i * classes + c) * m + k]));
        }
      const order = orderDesc(keys);
      const next: Selection = new Map();
      for (let k = 0; k < keepTopK; k++) {
        const p = order[k];
        let l = next.get(labels[p]);
        if (!l) next.set(labels[p], (l = []));
        l.push(idxs[p]);
      }
      sels.push(new Map([...next.entries()].sort((x, y) => x[0] - y[0])));
      numDet = keepTopK;
    } else sels.push(sel);
    starts.push(starts[starts.length - 1] + numDet);
  }
  const kept = starts[n];
  if (kept === 0) {
    const o = outNumbers(dtype, [1, 1]);
    o[0] = -1;
    return { Out: [make(o, [1, 1], dtype, [[0, 1]])] };
  }
  const outDim = boxSize + 2;
  const out = outNumbers(dtype, [kept, outDim]);
  let r = 0;
  for (let i = 0; i < n; i++) {
    for (const [label, idxs] of sels[i]) {
      for (const k of idxs) {
        out[r * outDim] = label;
        out[r * outDim + 1] = s[(i * classes + label) * m + k];
        for (let t = 0; t < boxSize; t++) out[r * outDim + 2 + t] = b[(i * m + k) * boxSize + t];
        r++;
      }
    }
  }
  return { Out: [make(out, [kept, outDim], dtype, [starts.slice()])] };
});

// ---- retinanet_detection_output ----------------------------------------------------------------

reg('retinanet_detection_output', (ins, a: Attrs, outs) => {
  const op = 'retinanet_detection_output';
  const bs = ins.BBoxes;
  const ss = ins.Scores;
  const as = ins.Anchors;
  const info = nums(ins.ImInfo[0]);
  const dtype = outs.Out[0].dtype;
  const topK = a.nms_top_k as number;
  const keepTopK = a.keep_top_k as number;
  const nmsThr = f32(a.nms_threshold as number);
  const eta = f32(a.nms_eta as number);
  const scoreThr = f32(a.score_threshold as number);
  const n = ss[0].dims[0];
  const classes = ss[0].dims[2];
  if (ins.ImInfo[0].dims[0] < n) kfail(op, `ImInfo has ${ins.ImInfo[0].dims[0]} rows, but the batch has ${n} images`);
  const rows: number[][] = [];
  const starts = [0];
  for (let i = 0; i < n; i++) {
    // per class: [xmin, ymin, xmax, ymax, score]
    const preds = new Map<number, number[][]>();
    const imScale = info[i * 3 + 2];
    const imH = roundC(info[i * 3] / imScale);
    const imW = roundC(info[i * 3 + 1] / imScale);
    for (let l = 0; l < ss.length; l++) {
      const m = ss[l].dims[1];
      if (ss[l].dims[2] !== classes) kfail(op, `Scores[${l}] has ${ss[l].dims[2]} classes, but Scores[0] has ${classes}`);
      const sc = nums(ss[l]);
      const bx = nums(bs[l]);
      const an = nums(as[l]);
      const sOff = i * m * classes;
      const bOff = i * m * 4;
      const thr = l < ss.length - 1 ? scoreThr : 0;
      const order = sortedAbove(sc, sOff, 1, m * classes, thr, topK);
      for (const idx of order) {
        const k = Math.trunc(idx / classes);
        const c = idx % classes;
        const aw = an[k * 4 + 2] - an[k * 4] + 1;
        const ah = an[k * 4 + 3] - an[k * 4 + 1] + 1;
        const acx = an[k * 4] + aw / 2;
        const acy = an[k * 4 + 1] + ah / 2;
        const cx = bx[bOff + k * 4] * aw + acx;
        const cy = bx[bOff + k * 4 + 1] * ah + acy;
        const w = Math.exp(bx[bOff + k * 4 + 2]) * aw;
        const h = Math.exp(bx[bOff + k * 4 + 3]) * ah;
        const clampV = (v: number, lim: number): number => Math.max(Math.min(v / imScale, lim - 1), 0);
        const box = [clampV(cx - w / 2, imW), clampV(cy - h / 2, imH), clampV(cx + w / 2 - 1, imW), clampV(cy + h / 2 - 1, imH), sc[sOff + idx]];
        let list = preds.get(c);
        if (!list) preds.set(c, (list = []));
        list.push(box);
      }
    }
    const labels: number[] = [];
    const picks: number[][] = [];
    const keys: number[] = [];
    for (let c = 0; c < classes; c++) {
      const list = preds.get(c);
      if (!list) continue;
      const order = orderDesc(list.map((p) => f32(p[4])));
      const flat = new Float64Array(list.length * 4);
      list.forEach((p, q) => flat.set(p.slice(0, 4), q * 4));
      const kept = greedyNms(order, (p, q) => jaccard(flat, p * 4, flat, q * 4, false), nmsThr, eta);
      for (const k of kept) {
        labels.push(c);
        picks.push(list[k]);
        keys.push(f32(list[k][4]));
      }
    }
    const order = orderDesc(keys);
    const num = keepTopK > -1 && order.length > keepTopK ? keepTopK : order.length;
    for (let k = 0; k < num; k++) {
      const p = picks[order[k]];
      rows.push([labels[order[k]] + 1, p[4], p[0], p[1], p[2], p[3]]);
    }
    starts.push(starts[starts.length - 1] + num);
  }
  const kept = starts[n];
  const out = outNumbers(dtype, [kept, 6]);
  rows.forEach((r, k) => out.set(r, k * 6));
  return { Out: [make(out, [kept, 6], dtype, [starts.slice()])] };
});

