// Kernels of the target-assignment and proposal operators (see src/ops/detection/assign.ts),
// following Paddle's CPU kernels. Random sampling (reservoir sampling with use_random) draws
// from paddle.seed's generator instead of std::random_device, so runs are reproducible.
import type { DType } from '../../../core/dtype.js';
import { defaultGenerator } from '../../../core/random.js';
import type { Attrs } from '../../../core/registry.js';
import type { Tensor } from '../../../core/tensor.js';
import { clipTiled } from './box.js';
import {
  f32, greedyNms, jaccard, kfail, lastLod, lodOf, make, nums, offsetsFromCounts, outNumbers, pixelIoU, reg,
} from './util.js';

// ---- bipartite_match ----------------------------------------------------------------------------

reg('bipartite_match', (ins, a: Attrs, outs) => {
  const op = 'bipartite_match';
  const dT = ins.DistMat[0];
  const d = nums(dT);
  const col = dT.dims[1];
  const lod = lodOf(dT);
  if (lod.length > 1) kfail(op, `input DistMat supports one LoD level, but has ${lod.length}`);
  const segs = lod.length ? lod[0] : [0, dT.dims[0]];
  const n = segs.length - 1;
  const idx = new Int32Array(n * col).fill(-1);
  const dist = outNumbers(outs.ColToRowMatchDist[0].dtype, [n, col]);
  const perPrediction = a.match_type === 'per_prediction';
  const thr = f32(a.dist_threshold as number);
  const EPS = 1e-6;
  for (let s = 0; s < n; s++) {
    const r0 = segs[s];
    const rows = segs[s + 1] - r0;
    if (rows <= 0) continue;
    const o = s * col;
    // greedy matching: the globally largest distance first, each row and column used once
    // (Paddle's loop for < 130 rows skips distances < 1e-6, its sort for larger ones those <= 0)
    const pairs: number[] = [];
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < col; j++) {
        const v = d[(r0 + i) * col + j];
        if (rows >= 130 ? v > 0 : v >= EPS) pairs.push(i * col + j);
      }
    pairs.sort((p, q) => d[r0 * col + q] - d[r0 * col + p] || (p % col) - (q % col) || p - q);
    const rowUsed = new Uint8Array(rows);
    let matched = 0;
    for (const p of pairs) {
      if (matched >= rows) break;
      const i = Math.trunc(p / col);
      const j = p % col;
      if (idx[o + j] !== -1 || rowUsed[i]) continue;
      idx[o + j] = i;
      dist[o + j] = d[r0 * col + p];
      rowUsed[i] = 1;
      matched++;
    }
    if (perPrediction) {
      for (let j = 0; j < col; j++) {
        if (idx[o + j] !== -1) continue;
        let best = -1;
        let bi = -1;
        for (let i = 0; i < rows; i++) {
          const v = d[(r0 + i) * col + j];
          if (v < EPS) continue;
          if (v >= thr && v > best) {
            best = v;
            bi = i;
          }
        }
        if (bi !== -1) {
          idx[o + j] = bi;
          dist[o + j] = best;
        }
      }
    }
  }
  return { ColToRowMatchIndices: [make(idx, [n, col], 'int32')], ColToRowMatchDist: [make(dist, [n, col], outs.ColToRowMatchDist[0].dtype)] };
});

// ---- target_assign -------------------------------------------------------------------------------

reg(
  'target_assign',
  (ins, a: Attrs, outs) => {
    const op = 'target_assign';
    const xT = ins.X[0];
    const miT = ins.MatchIndices[0];
    const [n, m] = miT.dims;
    const [, p, k] = xT.dims;
    let lod = lastLod(xT);
    if (lodOf(xT).length > 1) kfail(op, `input X supports one LoD level, but has ${lodOf(xT).length}`);
    if (!lod) {
      if (n !== 1) kfail(op, `input X must be a LoD tensor giving the ground truth of each of the ${n} images`);
      lod = [0, xT.dims[0]];
    }
    if (lod.length - 1 !== n) kfail(op, `the LoD of X describes ${lod.length - 1} images, but MatchIndices has ${n} rows`);
    const x = nums(xT);
    const mi = nums(miT);
    const mismatch = a.mismatch_value as number;
    const dtype = outs.Out[0].dtype;
    const out = outNumbers(dtype, [n, m, k]);
    const wt = new Float32Array(n * m);
    for (let i = 0; i < n * m; i++) {
      const h = Math.trunc(i / m);
      const id = mi[i];
      if (id > -1) {
        const src = ((lod[h] + id) * p + ((i - h * m) % p)) * k;
        for (let t = 0; t < k; t++) out[i * k + t] = x[src + t];
        wt[i] = 1;
      } else {
        for (let t = 0; t < k; t++) out[i * k + t] = mismatch;
        wt[i] = 0;
      }
    }
    const negT: Tensor | undefined = ins.NegIndices?.[0];
    if (negT) {
      const nl = lastLod(negT);
      if (!nl || lodOf(negT).length !== 1) kfail(op, 'input NegIndices must be a LoD tensor with one level (one segment per image)');
      const neg = nums(negT);
      for (let i = 0; i < n; i++)
        for (let j = nl[i]; j < nl[i + 1]; j++) {
          const o = i * m + neg[j];
          for (let t = 0; t < k; t++) out[o * k + t] = mismatch;
          wt[o] = 1;
        }
    }
    return { Out: [make(out, [n, m, k], dtype)], OutWeight: [make(wt, [n, m, 1], 'float32')] };
  },
);

// ---- mine_hard_examples --------------------------------------------------------------------------

reg('mine_hard_examples', (ins, a: Attrs) => {
  const cls = nums(ins.ClsLoss[0]);
  const loc = ins.LocLoss?.[0] ? nums(ins.LocLoss[0]) : null;
  const miT = ins.MatchIndices[0];
  const mi = nums(miT);
  const md = nums(ins.MatchDist[0]);
  const [n, np] = miT.dims;
  const ratio = f32(a.neg_pos_ratio as number);
  const negThr = f32(a.neg_dist_threshold as number);
  const sampleSize = a.sample_size as number;
  const hard = a.mining_type === 'hard_example';
  const updated = Int32Array.from(mi);
  const negs: number[] = [];
  const starts = [0];
  for (let i = 0; i < n; i++) {
    const cand: number[] = [];
    const loss: number[] = [];
    for (let m = 0; m < np; m++) {
      const o = i * np + m;
      const eligible = hard || (mi[o] === -1 && md[o] < negThr);
      if (!eligible) continue;
      cand.push(m);
      loss.push(hard && loc ? cls[o] + loc[o] : cls[o]);
    }
    let sel = cand.length;
    if (!hard) {
      let pos = 0;
      for (let m = 0; m < np; m++) if (mi[i * np + m] !== -1) pos++;
      sel = Math.min(Math.trunc(pos * ratio), sel);
    } else sel = Math.min(sampleSize, sel);
    const order = cand.map((_, q) => q).sort((p, q) => loss[q] - loss[p] || p - q);
    const chosen = new Set<number>();
    for (let q = 0; q < sel; q++) chosen.add(cand[order[q]]);
    const out: number[] = [];
    if (hard) {
      for (let m = 0; m < np; m++) {
        if (mi[i * np + m] > -1) {
          if (!chosen.has(m)) updated[i * np + m] = -1;
        } else if (chosen.has(m)) out.push(m);
      }
    } else out.push(...[...chosen].sort((p, q) => p - q));
    negs.push(...out);
    starts.push(starts[starts.length - 1] + out.length);
  }
  return {
    NegIndices: [make(Int32Array.from(negs), [negs.length, 1], 'int32', [starts])],
    UpdatedMatchIndices: [make(updated, miT.dims.slice(), 'int32')],
  };
});

// ---- rpn_target_assign / retinanet_target_assign -------------------------------------------------

/** Paddle's ReservoirSampling: keeps `num` of `inds`, randomly when useRandom. */
function reservoir(num: number, inds: number[], useRandom: boolean): void {
  if (num < 0 || inds.length <= num) return;
  if (useRandom)
    for (let i = num; i < inds.length; i++) {
      const r = Math.floor(defaultGenerator.random() * i);
      if (r < num) [inds[r], inds[i]] = [inds[i], inds[r]];
    }
  inds.length = num;
}

interface Assigned {
  fgInds: number[];
  bgInds: number[];
  fgFake: number[];
  insideWeight: number[];
}
/** Paddle's ScoreAssign on an anchors x gt overlap matrix (batch <= 0 or fraction <= 0: no sampling). */
function scoreAssign(ov: Float64Array, anchors: number, gts: number, aMax: Float64Array, gMax: Float64Array, batch: number, fraction: number, pos: number, neg: number, useRandom: boolean): Assigned {
  const eps = 0.00001;
  const label = new Int8Array(anchors).fill(-1);
  const fgFakeInds: number[] = [];
  for (let i = 0; i < anchors; i++) {
    let isMax = false;
    for (let j = 0; j < gts; j++)
      if (Math.abs(ov[i * gts + j] - gMax[j]) < eps) {
        isMax = true;
        break;
      }
    if (isMax || aMax[i] >= pos) fgFakeInds.push(i);
  }
  const sample = fraction > 0 && batch > 0;
  if (sample) reservoir(Math.trunc(fraction * batch), fgFakeInds, useRandom);
  const fgFakeNum = fgFakeInds.length;
  for (const i of fgFakeInds) label[i] = 1;
  const bgFake: number[] = [];
  for (let i = 0; i < anchors; i++) if (aMax[i] < neg) bgFake.push(i);
  if (sample) reservoir(batch - fgFakeNum, bgFake, useRandom);
  const fgFake: number[] = [];
  const insideWeight: number[] = [];
  let fakeNum = 0;
  for (const i of bgFake) {
    if (label[i] === 1) {
      fakeNum++;
      fgFake.push(fgFakeInds[0]);
      insideWeight.push(0, 0, 0, 0);
    }
    label[i] = 0;
  }
  for (let i = 0; i < (fgFakeNum - fakeNum) * 4; i++) insideWeight.push(1);
  const fgInds: number[] = [];
  const bgInds: number[] = [];
  for (let i = 0; i < anchors; i++) {
    if (label[i] === 1) {
      fgInds.push(i);
      fgFake.push(i);
    }
    if (label[i] === 0) bgInds.push(i);
  }
  return { fgInds, bgInds, fgFake, insideWeight };
}

/** Paddle's BoxToDelta for one pair of boxes (weights optional, +1 pixel when not normalized). */
function boxToDelta(ex: ArrayLike<number>, e: number, gt: ArrayLike<number>, g: number, out: { [i: number]: number }, o: number, weights: number[] | null, normalized: boolean): void {
  const nz = normalized ? 0 : 1;
  const ew = ex[e + 2] - ex[e] + nz;
  const eh = ex[e + 3] - ex[e + 1] + nz;
  const ecx = ex[e] + 0.5 * ew;
  const ecy = ex[e + 1] + 0.5 * eh;
  const gw = gt[g + 2] - gt[g] + nz;
  const gh = gt[g + 3] - gt[g + 1] + nz;
  const gcx = gt[g] + 0.5 * gw;
  const gcy = gt[g + 1] + 0.5 * gh;
  out[o] = (gcx - ecx) / ew;
  out[o + 1] = (gcy - ecy) / eh;
  out[o + 2] = Math.log(gw / ew);
  out[o + 3] = Math.log(gh / eh);
  if (weights) for (let k = 0; k < 4; k++) out[o + k] /= weights[k];
}

function targetAssign(ins: Record<string, Tensor[]>, a: Attrs, outs: Record<string, { dtype: DType }[]>, retina: boolean) {
  const op = retina ? 'retinanet_target_assign' : 'rpn_target_assign';
  const anchorT = ins.Anchor[0];
  const gtT = ins.GtBoxes[0];
  const crowdT = ins.IsCrowd[0];
  const gtLod = lastLod(gtT);
  const crowdLod = lastLod(crowdT);
  if (!gtLod || lodOf(gtT).length !== 1) kfail(op, 'input GtBoxes must be a LoD tensor with one level (one segment per image)');
  if (!crowdLod || lodOf(crowdT).length !== 1) kfail(op, 'input IsCrowd must be a LoD tensor with one level (one segment per image)');
  const labelsT: Tensor | undefined = retina ? ins.GtLabels[0] : undefined;
  const labelLod = labelsT ? lastLod(labelsT) : undefined;
  if (retina && (!labelLod || lodOf(labelsT).length !== 1)) kfail(op, 'input GtLabels must be a LoD tensor with one level (one segment per image)');
  const anchor = nums(anchorT);
  const gt = nums(gtT);
  const crowd = nums(crowdT);
  const glab = labelsT ? nums(labelsT) : null;
  const info = nums(ins.ImInfo[0]);
  const dtype = outs.TargetBBox[0].dtype;
  const na = anchorT.dims[0];
  const batch = gtLod.length - 1;
  const straddle = retina ? -1 : f32(a.rpn_straddle_thresh as number);
  const pos = f32((retina ? a.positive_overlap : a.rpn_positive_overlap) as number);
  const neg = f32((retina ? a.negative_overlap : a.rpn_negative_overlap) as number);
  const perIm = retina ? -1 : (a.rpn_batch_size_per_im as number);
  const fraction = retina ? -1 : f32(a.rpn_fg_fraction as number);
  const useRandom = retina ? false : (a.use_random as boolean);
  const loc: number[] = [];
  const score: number[] = [];
  const tbox: number[] = [];
  const tlbl: number[] = [];
  const inw: number[] = [];
  const fgNums: number[] = [];
  const locLod = [0];
  const scoreLod = [0];
  for (let i = 0; i < batch; i++) {
    const imH = info[i * 3];
    const imW = info[i * 3 + 1];
    const imScale = info[i * 3 + 2];
    const inside: number[] = [];
    for (let k = 0; k < na; k++) {
      if (straddle < 0) inside.push(k);
      else if (anchor[k * 4] >= -straddle && anchor[k * 4 + 1] >= -straddle && anchor[k * 4 + 2] < imW + straddle && anchor[k * 4 + 3] < imH + straddle) inside.push(k);
    }
    // non-crowd ground truth of the image, in the scaled image
    const g: number[] = [];
    const gl: number[] = [];
    for (let j = gtLod[i]; j < gtLod[i + 1]; j++) {
      if (crowd[crowdLod[i] + (j - gtLod[i])] !== 0) continue;
      for (let t = 0; t < 4; t++) g.push(gt[j * 4 + t] * imScale);
      if (glab) gl.push(glab[labelLod![i] + (j - gtLod[i])]);
    }
    const ng = g.length / 4;
    const ni = inside.length;
    const ov = new Float64Array(ni * ng);
    const aMax = new Float64Array(ni).fill(-Infinity);
    const aArg = new Int32Array(ni);
    const gMax = new Float64Array(ng).fill(-Infinity);
    for (let r = 0; r < ni; r++)
      for (let j = 0; j < ng; j++) {
        const v = pixelIoU(anchor, inside[r] * 4, g, j * 4);
        ov[r * ng + j] = v;
        if (v > aMax[r]) {
          aMax[r] = v;
          aArg[r] = j;
        }
        if (v > gMax[j]) gMax[j] = v;
      }
    const s = scoreAssign(ov, ni, ng, aMax, gMax, perIm, fraction, pos, neg, useRandom);
    const offset = i * na;
    for (let q = 0; q < s.fgFake.length; q++) {
      const anc = inside[s.fgFake[q]];
      loc.push(anc + offset);
      const o = tbox.length;
      tbox.push(0, 0, 0, 0);
      boxToDelta(anchor, anc * 4, g, aArg[s.fgFake[q]] * 4, tbox, o, null, false);
    }
    for (const f of s.fgInds) {
      score.push(inside[f] + offset);
      tlbl.push(retina ? gl[aArg[f]] : 1);
    }
    for (const b of s.bgInds) {
      score.push(inside[b] + offset);
      tlbl.push(0);
    }
    inw.push(...s.insideWeight);
    fgNums.push(s.fgFake.length + 1);
    locLod.push(loc.length);
    scoreLod.push(score.length);
  }
  if (!retina && (loc.length > batch * perIm || score.length > batch * perIm))
    kfail(op, `sampled more anchors than rpn_batch_size_per_im (${perIm}) per image allows`);
  const tb = outNumbers(dtype, [loc.length, 4]);
  tb.set(tbox);
  const iw = outNumbers(dtype, [loc.length, 4]);
  iw.set(inw);
  const res: Record<string, Tensor[]> = {
    LocationIndex: [make(Int32Array.from(loc), [loc.length], 'int32', [locLod])],
    ScoreIndex: [make(Int32Array.from(score), [score.length], 'int32', [scoreLod])],
    TargetBBox: [make(tb, [loc.length, 4], dtype, [locLod.slice()])],
    TargetLabel: [make(Int32Array.from(tlbl), [tlbl.length, 1], 'int32', [scoreLod.slice()])],
    BBoxInsideWeight: [make(iw, [loc.length, 4], dtype, [locLod.slice()])],
  };
  if (retina) res.ForegroundNumber = [make(Int32Array.from(fgNums), [batch, 1], 'int32', [Array.from({ length: batch + 1 }, (_, k) => k)])];
  return res;
}

reg('rpn_target_assign', (ins, a: Attrs, outs) => targetAssign(ins, a, outs, false));
reg('retinanet_target_assign', (ins, a: Attrs, outs) => targetAssign(ins, a, outs, true));

// ---- generate_proposals --------------------------------------------------------------------------

const BBOX_CLIP = Math.log(1000 / 16);

/**
 * Paddle's NMS of generate_proposals (nms_util.h): candidates sorted by score ascending with a
 * stable sort and taken from the back, so equal scores go later index first; +1 pixel IoU.
 */
function proposalNms(boxes: Float64Array, scores: Float64Array, thr: number, eta: number): number[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => f32(scores[q]) - f32(scores[p]) || q - p);
  return greedyNms(order, (p, q) => jaccard(boxes, p * 4, boxes, q * 4, false), thr, eta);
}

reg('generate_proposals', (ins, a: Attrs, outs) => {
  const sT = ins.Scores[0];
  const dT = ins.BboxDeltas[0];
  const [n, na, h, w] = sT.dims;
  const s = nums(sT);
  const d = nums(dT);
  const info = nums(ins.ImInfo[0]);
  const anchors = nums(ins.Anchors[0]);
  const vars = nums(ins.Variances[0]);
  const preN = a.pre_nms_topN as number;
  const postN = a.post_nms_topN as number;
  const thr = f32(a.nms_thresh as number);
  const minSize = Math.max(f32(a.min_size as number), 1);
  const eta = f32(a.eta as number);
  const dtype = outs.RpnRois[0].dtype;
  const total = h * w * na;
  const rois: number[] = [];
  const probs: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    // scores / deltas in (h, w, anchor) order, as after Paddle's transpose to NHWC
    const sc = new Float64Array(total);
    const dl = new Float64Array(total * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < na; k++) {
          const q = (y * w + x) * na + k;
          sc[q] = s[((i * na + k) * h + y) * w + x];
          for (let t = 0; t < 4; t++) dl[q * 4 + t] = d[((i * na * 4 + k * 4 + t) * h + y) * w + x];
        }
    let idx = Array.from({ length: total }, (_, q) => q).sort((p, q) => f32(sc[q]) - f32(sc[p]) || p - q);
    if (preN > 0 && preN < total) idx = idx.slice(0, preN);
    const m = idx.length;
    const props = new Float64Array(m * 4);
    for (let r = 0; r < m; r++) {
      const q = idx[r];
      const aw = anchors[q * 4 + 2] - anchors[q * 4] + 1;
      const ah = anchors[q * 4 + 3] - anchors[q * 4 + 1] + 1;
      const acx = anchors[q * 4] + 0.5 * aw;
      const acy = anchors[q * 4 + 1] + 0.5 * ah;
      const cx = vars[q * 4] * dl[q * 4] * aw + acx;
      const cy = vars[q * 4 + 1] * dl[q * 4 + 1] * ah + acy;
      const bw = Math.exp(Math.min(vars[q * 4 + 2] * dl[q * 4 + 2], BBOX_CLIP)) * aw;
      const bh = Math.exp(Math.min(vars[q * 4 + 3] * dl[q * 4 + 3], BBOX_CLIP)) * ah;
      props[r * 4] = cx - bw / 2;
      props[r * 4 + 1] = cy - bh / 2;
      props[r * 4 + 2] = cx + bw / 2 - 1;
      props[r * 4 + 3] = cy + bh / 2 - 1;
    }
    clipTiled(props, props, 0, m, info, i, false);
    // drop small boxes (sizes measured in the original image) and those centred off the image
    const keep: number[] = [];
    for (let r = 0; r < m; r++) {
      const x0 = props[r * 4];
      const y0 = props[r * 4 + 1];
      const x1 = props[r * 4 + 2];
      const y1 = props[r * 4 + 3];
      const xc = x0 + (x1 - x0 + 1) / 2;
      const yc = y0 + (y1 - y0 + 1) / 2;
      const ws = (x1 - x0) / info[i * 3 + 2] + 1;
      const hs = (y1 - y0) / info[i * 3 + 2] + 1;
      if (ws >= minSize && hs >= minSize && xc <= info[i * 3 + 1] && yc <= info[i * 3]) keep.push(r);
    }
    if (!keep.length) {
      rois.push(0, 0, 0, 0);
      probs.push(0);
      counts.push(1);
      continue;
    }
    const kb = new Float64Array(keep.length * 4);
    const ks = new Float64Array(keep.length);
    keep.forEach((r, q) => {
      kb.set(props.subarray(r * 4, r * 4 + 4), q * 4);
      ks[q] = sc[idx[r]];
    });
    let sel = thr <= 0 ? keep.map((_, q) => q) : proposalNms(kb, ks, thr, eta);
    if (thr > 0 && postN > 0 && postN < sel.length) sel = sel.slice(0, postN);
    for (const q of sel) {
      rois.push(kb[q * 4], kb[q * 4 + 1], kb[q * 4 + 2], kb[q * 4 + 3]);
      probs.push(ks[q]);
    }
    counts.push(sel.length);
  }
  const lod = [offsetsFromCounts(counts)];
  const rOut = outNumbers(dtype, [probs.length, 4]);
  rOut.set(rois);
  const pOut = outNumbers(outs.RpnRoiProbs[0].dtype, [probs.length, 1]);
  pOut.set(probs);
  return {
    RpnRois: [make(rOut, [probs.length, 4], dtype, lod)],
    RpnRoiProbs: [make(pOut, [probs.length, 1], outs.RpnRoiProbs[0].dtype, [lod[0].slice()])],
    RpnRoisNum: [make(Int32Array.from(counts), [n], 'int32')],
  };
});

// ---- generate_proposal_labels --------------------------------------------------------------------

reg('generate_proposal_labels', (ins, a: Attrs, outs) => {
  const op = 'generate_proposal_labels';
  const rT = ins.RpnRois[0];
  const lods: Record<string, number[]> = {};
  for (const slot of ['RpnRois', 'GtClasses', 'IsCrowd', 'GtBoxes']) {
    const l = lastLod(ins[slot][0]);
    if (!l || lodOf(ins[slot][0]).length !== 1) kfail(op, `input ${slot} must be a LoD tensor with one level (one segment per image)`);
    lods[slot] = l;
  }
  const r = nums(rT);
  const gcls = nums(ins.GtClasses[0]);
  const crowd = nums(ins.IsCrowd[0]);
  const gtb = nums(ins.GtBoxes[0]);
  const info = nums(ins.ImInfo[0]);
  const maxOv = ins.MaxOverlap?.[0] ? nums(ins.MaxOverlap[0]) : null;
  const perIm = a.batch_size_per_im as number;
  const fgFrac = f32(a.fg_fraction as number);
  const fgThr = f32(a.fg_thresh as number);
  const bgHi = f32(a.bg_thresh_hi as number);
  const bgLo = f32(a.bg_thresh_lo as number);
  const weights = (a.bbox_reg_weights as number[]).map(f32);
  const classes = a.class_nums as number;
  const useRandom = a.use_random as boolean;
  const cascade = a.is_cascade_rcnn as boolean;
  const agnostic = a.is_cls_agnostic as boolean;
  const dtype = outs.Rois[0].dtype;
  const width = 4 * classes;
  const R: number[] = [];
  const L: number[] = [];
  const BT: number[] = [];
  const BI: number[] = [];
  const BO: number[] = [];
  const MO: number[] = [];
  const lod0 = [0];
  const n = lods.RpnRois.length - 1;
  for (let i = 0; i < n; i++) {
    const rs = lods.RpnRois[i];
    const re = lods.RpnRois[i + 1];
    if (rs === re) {
      lod0.push(R.length / 4);
      continue;
    }
    const scale = info[i * 3 + 2];
    let rois: number[] = [];
    for (let k = rs * 4; k < re * 4; k++) rois.push(r[k] / scale);
    if (cascade) {
      const kept: number[] = [];
      for (let k = 0; k < re - rs; k++)
        if (rois[k * 4 + 2] - rois[k * 4] + 1 > 0 && rois[k * 4 + 3] - rois[k * 4 + 1] + 1 > 0 && maxOv![rs + k] < 1) kept.push(...rois.slice(k * 4, k * 4 + 4));
      rois = kept.length ? kept : [0, 0, 0, 0];
    }
    const g0 = lods.GtBoxes[i];
    const ng = lods.GtBoxes[i + 1] - g0;
    const gt = Array.from(gtb.subarray(g0 * 4, (g0 + ng) * 4));
    const boxes = gt.concat(rois);
    const nb = boxes.length / 4;
    const ov = new Float64Array(nb * ng);
    const mx = new Float64Array(nb);
    for (let b = 0; b < nb; b++) {
      let m = ng ? -Infinity : 0;
      for (let j = 0; j < ng; j++) {
        const v = pixelIoU(boxes, b * 4, gt, j * 4);
        ov[b * ng + j] = v;
        if (v > m) m = v;
      }
      mx[b] = m;
    }
    // fg / bg by the best overlap (crowd ground truth rows never count)
    let fg: number[] = [];
    let mapped: number[] = [];
    let bg: number[] = [];
    const c0 = lods.IsCrowd[i];
    const cls0 = lods.GtClasses[i];
    for (let b = 0; b < nb; b++) {
      let m = mx[b];
      if (b < ng && crowd[c0 + b]) m = -1;
      if (m >= fgThr) {
        for (let j = 0; j < ng; j++)
          if (Math.abs(m - ov[b * ng + j]) < 0.00001) {
            fg.push(b);
            mapped.push(j);
            break;
          }
      } else if (m >= bgLo && m < bgHi) bg.push(b);
    }
    if (!cascade) {
      const fgPer = Math.min(Math.floor(perIm * fgFrac), fg.length);
      if (useRandom && fg.length > fgPer)
        for (let k = fgPer; k < fg.length; k++) {
          const q = Math.floor(defaultGenerator.random() * k);
          if (q < fgPer) {
            [fg[q], fg[k]] = [fg[k], fg[q]];
            [mapped[q], mapped[k]] = [mapped[k], mapped[q]];
          }
        }
      fg = fg.slice(0, fgPer);
      mapped = mapped.slice(0, fgPer);
      const bgPer = Math.min(perIm - fgPer, bg.length);
      if (useRandom && bg.length > bgPer)
        for (let k = bgPer; k < bg.length; k++) {
          const q = Math.floor(defaultGenerator.random() * k);
          if (q < bgPer) [bg[q], bg[k]] = [bg[k], bg[q]];
        }
      bg = bg.slice(0, Math.max(bgPer, 0));
    }
    const all = fg.concat(bg);
    for (let q = 0; q < all.length; q++) {
      const b = all[q];
      for (let t = 0; t < 4; t++) R.push(boxes[b * 4 + t] * scale);
      const label = q < fg.length ? gcls[cls0 + mapped[q]] : 0;
      L.push(label);
      MO.push(mx[b]);
      const row = new Array<number>(width).fill(0);
      const rin = new Array<number>(width).fill(0);
      if (label > 0) {
        const col = 4 * (agnostic ? 1 : label);
        const delta = [0, 0, 0, 0];
        boxToDelta(boxes, b * 4, gt, mapped[q] * 4, delta, 0, weights, false);
        for (let t = 0; t < 4; t++) {
          row[col + t] = delta[t];
          rin[col + t] = 1;
        }
      }
      BT.push(...row);
      BI.push(...rin);
      BO.push(...rin);
    }
    lod0.push(R.length / 4);
  }
  const k = R.length / 4;
  const mk = (vals: number[], dims: number[]) => {
    const o = outNumbers(dtype, dims);
    o.set(vals);
    return make(o, dims, dtype, [lod0.slice()]);
  };
  return {
    Rois: [mk(R, [k, 4])],
    LabelsInt32: [make(Int32Array.from(L), [k, 1], 'int32', [lod0.slice()])],
    BboxTargets: [mk(BT, [k, width])],
    BboxInsideWeights: [mk(BI, [k, width])],
    BboxOutsideWeights: [mk(BO, [k, width])],
    MaxOverlapWithGT: [mk(MO, [k])],
  };
});

// ---- generate_mask_labels -------------------------------------------------------------------------

/** COCO's polygon rasterization (Paddle's Poly2Mask): k points xy into an h x w mask (row-major). */
export function poly2Mask(xy: ArrayLike<number>, k: number, h: number, w: number): Uint8Array {
  const scale = 5;
  const x = new Int32Array(k + 1);
  const y = new Int32Array(k + 1);
  for (let j = 0; j < k; j++) x[j] = Math.trunc(scale * xy[j * 2] + 0.5);
  x[k] = x[0];
  for (let j = 0; j < k; j++) y[j] = Math.trunc(scale * xy[j * 2 + 1] + 0.5);
  y[k] = y[0];
  const u: number[] = [];
  const v: number[] = [];
  for (let j = 0; j < k; j++) {
    let xs = x[j];
    let xe = x[j + 1];
    let ys = y[j];
    let ye = y[j + 1];
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      [xs, xe] = [xe, xs];
      [ys, ye] = [ye, ys];
    }
    if (dx >= dy) {
      const s = dx === 0 ? 0 : (ye - ys) / dx;
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        u.push(t + xs);
        v.push(Math.trunc(ys + s * t + 0.5));
      }
    } else {
      const s = dy === 0 ? 0 : (xe - xs) / dy;
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        v.push(t + ys);
        u.push(Math.trunc(xs + s * t + 0.5));
      }
    }
  }
  // points on the y-boundary, downsampled
  const bx: number[] = [];
  const by: number[] = [];
  for (let j = 1; j < u.length; j++) {
    if (u[j] === u[j - 1]) continue;
    let xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
    xd = (xd + 0.5) / scale - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > w - 1) continue;
    let yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
    yd = (yd + 0.5) / scale - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > h) yd = h;
    yd = Math.ceil(yd);
    bx.push(xd);
    by.push(yd);
  }
  // run-length encoding of the column-major mask from the boundary points
  const aa: number[] = bx.map((xv, j) => xv * h + by[j]);
  aa.push(h * w);
  aa.sort((p, q) => p - q);
  let prev = 0;
  for (let j = 0; j < aa.length; j++) {
    const t = aa[j];
    aa[j] -= prev;
    prev = t;
  }
  const b: number[] = [aa[0]];
  for (let j = 1; j < aa.length; ) {
    if (aa[j] > 0) b.push(aa[j++]);
    else {
      j++;
      if (j < aa.length) b[b.length - 1] += aa[j++];
    }
  }
  const colMajor = new Uint8Array(h * w);
  let p = 0;
  let val = 0;
  for (const cnt of b) {
    for (let t = 0; t < cnt && p < h * w; t++) colMajor[p++] = val;
    val = val ? 0 : 1;
  }
  const mask = new Uint8Array(h * w);
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) mask[i * w + j] = colMajor[j * h + i];
  return mask;
}

reg('generate_mask_labels', (ins, a: Attrs, outs) => {
  const op = 'generate_mask_labels';
  const info = nums(ins.ImInfo[0]);
  const gcls = nums(ins.GtClasses[0]);
  const crowd = nums(ins.IsCrowd[0]);
  const segT = ins.GtSegms[0];
  const seg = nums(segT);
  const roisT = ins.Rois[0];
  const rois = nums(roisT);
  const labels = nums(ins.LabelsInt32[0]);
  const M = a.resolution as number;
  const classes = a.num_classes as number;
  const dtype = outs.MaskRois[0].dtype;
  const need = (slot: string): number[] => {
    const l = lastLod(ins[slot][0]);
    if (!l || lodOf(ins[slot][0]).length !== 1) kfail(op, `input ${slot} must be a LoD tensor with one level (one segment per image)`);
    return l;
  };
  const clsLod = need('GtClasses');
  const crowdLod = need('IsCrowd');
  const roiLod = need('Rois');
  const labLod = need('LabelsInt32');
  const segLod = lodOf(segT);
  if (segLod.length !== 3) kfail(op, `input GtSegms must be a LoD tensor with 3 levels (images, polygons of each object, points), but has ${segLod.length}`);
  const n = clsLod.length - 1;
  if (segLod[0].length - 1 !== n) kfail(op, `GtSegms describes ${segLod[0].length - 1} images, but GtClasses ${n}`);
  const dim = classes * M * M;
  const outR: number[] = [];
  const outHas: number[] = [];
  const outMask: number[] = [];
  const lod0 = [0];
  for (let i = 0; i < n; i++) {
    const r0 = roiLod[i];
    const rn = roiLod[i + 1] - r0;
    if (rn === 0) {
      lod0.push(outHas.length);
      continue;
    }
    const scale = info[i * 3 + 2];
    // polygons of each foreground, non-crowd ground truth
    const polys: number[][][] = [];
    const boxes: number[] = [];
    for (let g = clsLod[i]; g < clsLod[i + 1]; g++) {
      const local = g - clsLod[i];
      if (!(gcls[g] > 0 && crowd[crowdLod[i] + local] === 0)) continue;
      const gIdx = segLod[0][i] + local;
      const list: number[][] = [];
      for (let p = segLod[1][gIdx]; p < segLod[1][gIdx + 1]; p++) {
        const s = segLod[2][p];
        const e = segLod[2][p + 1];
        if (s === e) kfail(op, `ground truth ${local} of image ${i} has an empty polygon`);
        list.push(Array.from(seg.subarray(s * 2, e * 2)));
      }
      polys.push(list);
      let x0 = 3.4028234663852886e38;
      let x1 = 1.1754943508222875e-38;
      let y0 = 3.4028234663852886e38;
      let y1 = 1.1754943508222875e-38;
      for (const pl of list)
        for (let q = 0; q < pl.length / 2; q++) {
          x0 = Math.min(x0, pl[2 * q]);
          x1 = Math.max(x1, pl[2 * q]);
          y0 = Math.min(y0, pl[2 * q + 1]);
          y1 = Math.max(y1, pl[2 * q + 1]);
        }
      boxes.push(x0, y0, x1, y1);
    }
    const fg: number[] = [];
    for (let k = 0; k < rn; k++) if (labels[labLod[i] + k] > 0) fg.push(k);
    if (fg.length) {
      for (const k of fg) {
        const roi = Array.from(rois.subarray((r0 + k) * 4, (r0 + k) * 4 + 4), (v) => v / scale);
        let best = Number.MIN_VALUE;
        let id = 0;
        for (let j = 0; j < polys.length; j++) {
          const v = pixelIoU(roi, 0, boxes, j * 4);
          if (v > best) {
            best = v;
            id = j;
          }
        }
        // the masks of the matched object's polygons, drawn in the RoI's box at M x M
        const mask = new Uint8Array(M * M);
        const bw = Math.max(roi[2] - roi[0], 1);
        const bh = Math.max(roi[3] - roi[1], 1);
        for (const pl of polys[id] ?? []) {
          const q = pl.length / 2;
          const pts = new Float32Array(q * 2);
          for (let t = 0; t < q; t++) {
            pts[2 * t] = ((pl[2 * t] - roi[0]) * M) / bw;
            pts[2 * t + 1] = ((pl[2 * t + 1] - roi[1]) * M) / bh;
          }
          const m = poly2Mask(pts, q, M, M);
          for (let t = 0; t < M * M; t++) if (m[t]) mask[t] = 1;
        }
        const label = labels[labLod[i] + k];
        const row = new Array<number>(dim).fill(-1);
        for (let t = 0; t < M * M; t++) row[label * M * M + t] = mask[t];
        outMask.push(...row);
        outHas.push(k);
        for (const v of roi) outR.push(v * scale);
      }
    } else {
      // no foreground: the first background RoI with an all -1 (ignored) mask, class 0
      let bg = -1;
      for (let k = 0; k < rn; k++)
        if (labels[labLod[i] + k] === 0) {
          bg = k;
          break;
        }
      const k = bg < 0 ? 0 : bg;
      for (let t = 0; t < 4; t++) outR.push(rois[(r0 + k) * 4 + t]);
      if (bg >= 0) outHas.push(bg);
      outMask.push(...new Array<number>(dim).fill(-1));
    }
    lod0.push(outR.length / 4);
  }
  const k = outR.length / 4;
  const r = outNumbers(dtype, [k, 4]);
  r.set(outR);
  return {
    MaskRois: [make(r, [k, 4], dtype, [lod0.slice()])],
    RoiHasMaskInt32: [make(Int32Array.from(outHas), [outHas.length, 1], 'int32', [lod0.slice()])],
    MaskInt32: [make(Int32Array.from(outMask), [k, dim], 'int32', [lod0.slice()])],
  };
});

// ---- collect_fpn_proposals / distribute_fpn_proposals --------------------------------------------

reg('collect_fpn_proposals', (ins, a: Attrs, outs) => {
  const op = 'collect_fpn_proposals';
  const rois = ins.MultiLevelRois;
  const scores = ins.MultiLevelScores;
  const counts: Tensor[] = ins.MultiLevelRoIsNum ?? [];
  const dtype = outs.FpnRois[0].dtype;
  const levels: number[][] = []; // per level: image offsets
  for (let l = 0; l < rois.length; l++) {
    let off: number[];
    if (counts.length) off = offsetsFromCounts(nums(counts[l]));
    else {
      const lr = lastLod(rois[l]);
      const ls = lastLod(scores[l]);
      if (!lr) kfail(op, `input MultiLevelRois[${l}] must carry a LoD (or MultiLevelRoIsNum must be given)`);
      if (!ls || ls.length !== lr.length || ls.some((v, k) => v !== lr[k])) kfail(op, `MultiLevelRois[${l}] and MultiLevelScores[${l}] must have the same LoD`);
      off = lr;
    }
    if (off[off.length - 1] !== rois[l].dims[0]) kfail(op, `the RoI counts of level ${l} add up to ${off[off.length - 1]}, but MultiLevelRois[${l}] has ${rois[l].dims[0]} rows`);
    levels.push(off);
  }
  const batch = levels[0].length - 1;
  const items: { s: number; b: number; l: number; i: number }[] = [];
  for (let l = 0; l < rois.length; l++) {
    const sc = nums(scores[l]);
    const off = levels[l];
    for (let b = 0; b < off.length - 1; b++) for (let i = off[b]; i < off[b + 1]; i++) items.push({ s: f32(sc[i]), b, l, i });
  }
  const topN = Math.min(a.post_nms_topN as number, items.length);
  // stable: the best scores first (levels in order, then rows), then grouped by image
  const order = items.map((_, k) => k).sort((p, q) => items[q].s - items[p].s || p - q).slice(0, topN);
  order.sort((p, q) => items[p].b - items[q].b || 0);
  const out = outNumbers(dtype, [topN, 4]);
  const per = new Array<number>(batch).fill(0);
  const datas = rois.map((t) => nums(t));
  order.forEach((k, r) => {
    const it = items[k];
    for (let t = 0; t < 4; t++) out[r * 4 + t] = datas[it.l][it.i * 4 + t];
    per[it.b]++;
  });
  const res: Record<string, Tensor[]> = { FpnRois: [make(out, [topN, 4], dtype, [offsetsFromCounts(per)])] };
  if (counts.length) res.RoisNum = [make(Int32Array.from(per), [batch], 'int32')];
  return res;
});

reg('distribute_fpn_proposals', (ins, a: Attrs, outs) => {
  const op = 'distribute_fpn_proposals';
  const rT = ins.FpnRois[0];
  const r = nums(rT);
  const rn: Tensor | undefined = ins.RoisNum?.[0];
  let lod: number[];
  if (rn) lod = offsetsFromCounts(nums(rn));
  else {
    const l = lastLod(rT);
    if (!l || lodOf(rT).length !== 1) kfail(op, 'input FpnRois must be a LoD tensor with one level, or RoisNum must be given');
    lod = l;
  }
  const total = lod[lod.length - 1];
  if (total !== rT.dims[0]) kfail(op, `the RoI counts add up to ${total}, but FpnRois has ${rT.dims[0]} rows`);
  const minL = a.min_level as number;
  const maxL = a.max_level as number;
  const referL = a.refer_level as number;
  const referS = a.refer_scale as number;
  const nl = maxL - minL + 1;
  const batch = lod.length - 1;
  const dtype = outs.MultiFpnRois[0].dtype;
  const target = new Int32Array(total);
  const perLevel = new Array<number>(nl).fill(0);
  // per level, per image counts
  const cnt = Array.from({ length: nl }, () => new Array<number>(batch).fill(0));
  for (let b = 0; b < batch; b++)
    for (let i = lod[b]; i < lod[b + 1]; i++) {
      const area = r[i * 4 + 2] < r[i * 4] || r[i * 4 + 3] < r[i * 4 + 1] ? 0 : (r[i * 4 + 2] - r[i * 4] + 1) * (r[i * 4 + 3] - r[i * 4 + 1] + 1);
      const scale = Math.sqrt(area);
      let lv = Math.floor(Math.log2(scale / referS + 1e-6) + referL);
      lv = Math.min(maxL, Math.max(lv, minL));
      target[i] = lv - minL;
      perLevel[lv - minL]++;
      cnt[lv - minL][b]++;
    }
  const starts = [0];
  for (let l = 0; l < nl; l++) starts.push(starts[l] + perLevel[l]);
  const outs2 = perLevel.map((k) => outNumbers(dtype, [k, 4]));
  const fill = new Array<number>(nl).fill(0);
  const restoreInter = new Int32Array(total);
  // rois of each level in image order
  for (let b = 0; b < batch; b++)
    for (let i = lod[b]; i < lod[b + 1]; i++) {
      const l = target[i];
      for (let t = 0; t < 4; t++) outs2[l][fill[l] * 4 + t] = r[i * 4 + t];
      restoreInter[starts[l] + fill[l]] = i;
      fill[l]++;
    }
  const restore = new Int32Array(total);
  for (let k = 0; k < total; k++) restore[restoreInter[k]] = k;
  const res: Record<string, Tensor[]> = {
    MultiFpnRois: outs2.map((o, l) => make(o, [perLevel[l], 4], dtype, [offsetsFromCounts(cnt[l])])),
    RestoreIndex: [make(restore, [total, 1], 'int32')],
  };
  if (rn) res.MultiLevelRoIsNum = cnt.map((c) => make(Int32Array.from(c), [batch], 'int32'));
  return res;
});

