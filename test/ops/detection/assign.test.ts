// Matching, targets and proposals: bipartite_match, target_assign, mine_hard_examples (through
// ssd_loss), ssd_loss, rpn_target_assign, retinanet_target_assign, generate_proposals,
// generate_proposal_labels, generate_mask_labels, collect_fpn_proposals and
// distribute_fpn_proposals. Expected values are hand-derived from Paddle's rules, and for
// generate_proposals a NumPy re-implementation (decode with variances and the log(1000/16)
// clip, clip to the image, min_size filter, NMS with equal scores taken later-index first).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { Tensor } from '../../../src/index.js';
import { dispatch } from '../../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../../helpers/assert.js';

const L = paddle.fluid.layers;
const E = paddle.errors.InvalidArgumentError;
const t = (v: unknown, dtype: 'float32' | 'float64' | 'int32' | 'int64' = 'float32') => paddle.to_tensor(v as number[], { dtype });
function withLod<V extends Tensor>(x: V, ...lod: number[][]): V {
  x.lod = lod;
  return x;
}
const GP_SCORES = [[[[0, 0.363636364, 0.727272727], [0.0909090909, 0.454545455, 0.818181818]], [[0.181818182, 0.545454545, 0.909090909], [0.272727273, 0.636363636, 0]]]];
const GP_DELTAS = [[[[-0.4, 0, 0.4], [-0.1, 0.3, -0.2]], [[0.2, -0.3, 0.1], [-0.4, 0, 0.4]], [[-0.1, 0.3, -0.2], [0.2, -0.3, 0.1]], [[-0.4, 0, 0.4], [-0.1, 0.3, -0.2]], [[0.2, -0.3, 0.1], [-0.4, 0, 0.4]], [[-0.1, 0.3, -0.2], [0.2, -0.3, 0.1]], [[-0.4, 0, 0.4], [-0.1, 0.3, -0.2]], [[0.2, -0.3, 0.1], [-0.4, 0, 0.4]]]];
const GP_ANCHORS = [[[[0, 0, 7, 7], [-4, -4, 11, 11]], [[8, 0, 15, 7], [4, -4, 19, 11]], [[16, 0, 23, 7], [12, -4, 27, 11]]], [[[0, 8, 7, 15], [-4, 4, 11, 19]], [[8, 8, 15, 15], [4, 4, 19, 19]], [[16, 8, 23, 15], [12, 4, 27, 19]]]];
const GP = [[[8.86540242, 0, 23, 10.2413673], [14.7793163, 10.325077, 22.6206837, 15], [18.325077, 0, 23, 9.36729879], [1.20112954, 1.6, 21.7988705, 15], [10.2367271, 6.60056477, 15.1632729, 15], [6.60056477, 0, 16.3994352, 5.8], [0, 8.23743963, 7.03869934, 15], [0.237439632, 0, 9.96256037, 11.9712221], [16.650154, 0.865402419, 23, 15], [0, 2.11871982, 5.01934967, 6.48128018]], [0.909090909, 0.818181818, 0.727272727, 0.636363636, 0.454545455, 0.363636364, 0.272727273, 0.181818182, 0, 0], [10]];
const GP_TOP = [[[8.86540242, 0, 23, 10.2413673], [14.7793163, 10.325077, 22.6206837, 15], [10.2367271, 6.60056477, 15.1632729, 15]], [0.909090909, 0.818181818, 0.454545455], [3]];

test('bipartite_match: greedy global matching, per_prediction, LoD instances, many rows (hand-checked)', () => {
  const d = t([[0.9, 0.2, 0.8], [0.7, 0.95, 0.1]]);
  // 0.95 (row 1, col 1) first, then 0.9 (row 0, col 0); column 2 stays unmatched
  let [idx, dist] = L.bipartite_match(d);
  assert.deepEqual(idx.tolist(), [[0, 1, -1]]);
  assertClose(dist, [[0.9, 0.95, 0]]);
  assert.equal(idx.dtype, 'int32');
  // per_prediction: column 2 takes its best row with distance >= 0.5
  [idx, dist] = L.bipartite_match(d, 'per_prediction', 0.5);
  assert.deepEqual(idx.tolist(), [[0, 1, 0]]);
  assertClose(dist, [[0.9, 0.95, 0.8]]);
  assert.deepEqual(L.bipartite_match(d, 'per_prediction', 0.85)[0].tolist(), [[0, 1, -1]]);
  // one instance per LoD segment, row indices local to the segment
  [idx] = L.bipartite_match(withLod(t([[0.9, 0.2, 0.8], [0.7, 0.95, 0.1]]), [0, 1, 2]));
  assert.deepEqual(idx.tolist(), [[0, -1, -1], [-1, 0, -1]]);
  // 130 rows or more (Paddle sorts all pairs): the same greedy result
  const big = Array.from({ length: 140 }, () => [0, 0]);
  big[5][0] = 0.3;
  big[100][0] = 0.6;
  big[100][1] = 0.7;
  big[7][1] = 0.65;
  [idx, dist] = L.bipartite_match(t(big));
  assert.deepEqual(idx.tolist(), [[5, 100]]);
  assertClose(dist, [[0.3, 0.7]]);
  assertThrows(() => L.bipartite_match(d, 'best'), E, /match_type must be 'bipartite' or 'per_prediction'/);
});

test('target_assign: gathers matched rows per LoD segment, mismatch_value, negative indices (hand-checked)', () => {
  // ground truth of image 0: rows 0-1, image 1: row 2; X [3, P=4, 1]
  const x = withLod(t([[[1], [2], [3], [4]], [[5], [6], [7], [8]], [[9], [10], [11], [12]]], 'int32'), [0, 2, 3]);
  const match = t([[0, -1, 1, -1], [-1, 0, -1, -1]], 'int32');
  const [out, w] = L.target_assign(x, match, null, 9);
  // out[i][j] = X[lod[i] + match[i][j]][j % P]
  assert.deepEqual(out.tolist(), [[[1], [9], [7], [9]], [[9], [10], [9], [9]]]);
  assert.deepEqual(w.tolist(), [[[1], [0], [1], [0]], [[0], [1], [0], [0]]]);
  assert.equal(w.dtype, 'float32');
  const neg = withLod(t([[3], [2]], 'int32'), [0, 1, 2]);
  const [o2, w2] = L.target_assign(x, match, neg, 9);
  assert.deepEqual(o2.tolist(), [[[1], [9], [7], [9]], [[9], [10], [9], [9]]]);
  assert.deepEqual(w2.tolist(), [[[1], [0], [1], [1]], [[0], [1], [1], [0]]]);
  assertThrows(() => L.target_assign(t([[[1]], [[2]]], 'int32'), match), E, /LoD tensor giving the ground truth of each of the 2 images/);
});

test('ssd_loss: matching, hard negative mining, smooth L1 + softmax loss (NumPy reference); static program', () => {
  const prior = t([[0, 0, 0.5, 0.5], [0.5, 0, 1, 0.5], [0, 0.5, 0.5, 1], [0.25, 0.25, 0.75, 0.75]]);
  const pvar = t([[0.1, 0.1, 0.2, 0.2], [0.1, 0.1, 0.2, 0.2], [0.1, 0.1, 0.2, 0.2], [0.1, 0.1, 0.2, 0.2]]);
  const gtBox = withLod(t([[0.05, 0.05, 0.45, 0.5], [0.5, 0.5, 1, 1], [0.3, 0.2, 0.7, 0.8]]), [0, 1, 3]);
  const gtLabel = withLod(t([[1], [2], [1]], 'int32'), [0, 1, 3]);
  const loc = paddle.to_tensor(Array.from({ length: 32 }, (_, i) => (((i * 7) % 11) - 5) * 0.13), { dtype: 'float32' }).reshape([2, 4, 4]);
  const conf = paddle.to_tensor(Array.from({ length: 24 }, (_, i) => (((i * 5) % 7) - 3) * 0.4), { dtype: 'float32' }).reshape([2, 4, 3]);
  loc.stop_gradient = false;
  conf.stop_gradient = false;
  const loss = L.ssd_loss(loc, conf, gtBox, gtLabel, prior, pvar);
  assert.deepEqual(loss.shape, [2, 1]);
  assertClose(loss, [[3.6640922417895543], [1.2068015342171852]], 1e-5, 1e-6);
  assertClose(L.ssd_loss(loc, conf, gtBox, gtLabel, prior, pvar, { normalize: false }), [[7.328184483579109], [2.4136030684343703]], 1e-5, 1e-6);
  loss.sum().backward();
  assert.deepEqual(loc.grad!.shape, [2, 4, 4]);
  assert.deepEqual(conf.grad!.shape, [2, 4, 3]);
  // unmatched priors get no location gradient: image 1 matches priors 2 and 3 only
  assertClose(loc.grad!.getitem(1, 0), [0, 0, 0, 0]);
  assertThrows(() => L.ssd_loss(loc, conf, gtBox, gtLabel, prior, pvar, { mining_type: 'hard_example' }), E, /Only support mining_type == max_negative/);

  const feed = {
    loc: paddle.to_tensor(loc.numpy() as Float32Array).reshape([2, 4, 4]), conf: paddle.to_tensor(conf.numpy() as Float32Array).reshape([2, 4, 3]),
    gt: paddle.fluid.create_lod_tensor(t(gtBox.tolist()), [[1, 2]], new paddle.CPUPlace()),
    gl: paddle.fluid.create_lod_tensor(t(gtLabel.tolist(), 'int32'), [[1, 2]], new paddle.CPUPlace()), pb: prior, pv: pvar,
  };
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const out = paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const l = paddle.static.data('loc', [-1, 4, 4], 'float32');
      const c = paddle.static.data('conf', [-1, 4, 3], 'float32');
      const g = paddle.static.data('gt', [-1, 4], 'float32', 1);
      const gl = paddle.static.data('gl', [-1, 1], 'int32', 1);
      const pb = paddle.static.data('pb', [4, 4], 'float32');
      const pv = paddle.static.data('pv', [4, 4], 'float32');
      const ls = L.ssd_loss(l, c, g, gl, pb, pv);
      const types = main.global_block().ops.map((o) => o.type);
      for (const op of ['iou_similarity', 'bipartite_match', 'target_assign', 'mine_hard_examples', 'box_coder', 'softmax_with_cross_entropy', 'smooth_l1_loss', 'reduce_sum'])
        assert.ok(types.includes(op), op);
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      return exe.run(main, { feed, fetch_list: [ls] });
    });
    assertClose(out[0], [[3.6640922417895543], [1.2068015342171852]], 1e-5, 1e-6);
  } finally {
    paddle.disable_static();
  }
});

const ANCH = [[0, 0, 9, 9], [5, 5, 14, 14], [20, 20, 29, 29], [0, 0, 19, 19]];

test('rpn_target_assign: fg by best / high IoU, bg below rpn_negative_overlap, per image offsets (hand-checked)', () => {
  // image 0: ground truth == anchor 0 (IoU 1, 25/175, 0, 100/400); image 1: == anchor 2
  const gt = withLod(t([[0, 0, 9, 9], [20, 20, 29, 29]]), [0, 1, 2]);
  const crowd = withLod(t([[0], [0]], 'int32'), [0, 1, 2]);
  const info = t([[30, 30, 1], [30, 30, 1]]);
  const cls = paddle.arange(8, { dtype: 'float32' }).reshape([2, 4, 1]);
  const pred = paddle.arange(32, { dtype: 'float32' }).reshape([2, 4, 4]);
  const [score, loc, label, bbox, w] = L.rpn_target_assign(pred, cls, t(ANCH), t(ANCH), gt, crowd, info, { use_random: false });
  // ScoreIndex [0, 1, 2, 3 | 6, 4, 5, 7] gathered from cls; LocationIndex [0 | 6]
  assertClose(score, [[0], [1], [2], [3], [6], [4], [5], [7]]);
  assertClose(loc, [[0, 1, 2, 3], [24, 25, 26, 27]]);
  assert.deepEqual(label.tolist(), [[1], [0], [0], [0], [1], [0], [0], [0]]);
  assertClose(bbox, [[0, 0, 0, 0], [0, 0, 0, 0]]);
  assertClose(w, [[1, 1, 1, 1], [1, 1, 1, 1]]);
  // straddling anchors are dropped (image 25 x 25: anchor 2 ends at 29); crowd ground truth ignored
  const r = dispatch('rpn_target_assign', { Anchor: [t(ANCH)], GtBoxes: [withLod(t([[1, 1, 10, 10], [0, 0, 9, 9]]), [0, 2])], IsCrowd: [withLod(t([[0], [1]], 'int32'), [0, 2])], ImInfo: [t([[25, 25, 1]])] }, {
    rpn_straddle_thresh: 0, use_random: false, rpn_fg_fraction: 0.5,
  });
  assert.deepEqual(r.ScoreIndex[0].tolist(), [0, 1, 3]);
  assert.deepEqual(r.LocationIndex[0].tolist(), [0]);
  // delta of anchor 0 to [1, 1, 10, 10]: centre moves by 1 / 10 of the width
  assertClose(r.TargetBBox[0], [[0.1, 0.1, 0, 0]], 1e-6, 1e-7);
  assert.deepEqual(r.ScoreIndex[0].lod, [[0, 3]]);
});

test('retinanet_target_assign: every anchor labelled, class labels for fg, fg_num + 1 (hand-checked)', () => {
  const gt = withLod(t([[0, 0, 9, 9], [20, 20, 29, 29]]), [0, 1, 2]);
  const labels = withLod(t([[3], [5]], 'int32'), [0, 1, 2]);
  const crowd = withLod(t([[0], [0]], 'int32'), [0, 1, 2]);
  const cls = paddle.arange(16, { dtype: 'float32' }).reshape([2, 4, 2]);
  const pred = paddle.zeros([2, 4, 4]);
  const [score, , label, bbox, w, fg] = L.retinanet_target_assign(pred, cls, t(ANCH), t(ANCH), gt, labels, crowd, t([[30, 30, 1], [30, 30, 1]]), 2);
  assert.deepEqual(label.tolist(), [[3], [0], [0], [0], [5], [0], [0], [0]]);
  assertClose(score, [[0, 1], [2, 3], [4, 5], [6, 7], [12, 13], [8, 9], [10, 11], [14, 15]]);
  assertClose(bbox, [[0, 0, 0, 0], [0, 0, 0, 0]]);
  assertClose(w, [[1, 1, 1, 1], [1, 1, 1, 1]]);
  assert.deepEqual(fg.tolist(), [[2], [2]]);
});

test('generate_proposals: decode, clip, min_size, NMS, pre/post top-n (NumPy reference)', () => {
  const scores = t(GP_SCORES);
  const deltas = t(GP_DELTAS);
  const anchors = t(GP_ANCHORS);
  const vars = paddle.to_tensor(Array.from({ length: 48 }, (_, i) => [0.5, 0.5, 1, 1][i % 4]), { dtype: 'float32' }).reshape([2, 3, 2, 4]);
  const info = t([[16, 24, 1]]);
  const [rois, probs, num] = L.generate_proposals(scores, deltas, info, anchors, vars, { return_rois_num: true }) as Tensor[];
  assertClose(rois, GP[0], 1e-5, 1e-4);
  assertClose(probs, (GP[1] as number[]).map((v) => [v]), 1e-6, 1e-7);
  assert.deepEqual(num.tolist(), GP[2]);
  assert.deepEqual(rois.lod, [[0, (GP[2] as number[])[0]]]);
  const [r2, p2] = L.generate_proposals(scores, deltas, info, anchors, vars, 8, 3, 0.3, 4.0) as Tensor[];
  assertClose(r2, GP_TOP[0], 1e-5, 1e-4);
  assertClose(p2, (GP_TOP[1] as number[]).map((v) => [v]), 1e-6, 1e-7);
  // everything filtered out (min_size larger than the image): one zero box with score 0
  const [r3, p3, n3] = L.generate_proposals(scores, deltas, info, anchors, vars, 6000, 1000, 0.5, 100, 1.0, true) as Tensor[];
  assert.deepEqual(r3.tolist(), [[0, 0, 0, 0]]);
  assert.deepEqual(p3.tolist(), [[0]]);
  assert.deepEqual(n3.tolist(), [1]);
  assertThrows(() => L.generate_proposals(paddle.to_tensor(GP_SCORES, { dtype: 'float64' }), deltas, info, anchors, vars), E, /scores/);
});

test('generate_proposal_labels: fg / bg by IoU with ground truth included, class-specific targets (hand-checked)', () => {
  const rois = withLod(t([[1, 1, 10, 10], [20, 20, 29, 29]]), [0, 2]);
  const gtCls = withLod(t([[3]], 'int32'), [0, 1]);
  const crowd = withLod(t([[0]], 'int32'), [0, 1]);
  const gt = withLod(t([[0, 0, 9, 9]]), [0, 1]);
  const outs = L.generate_proposal_labels(rois, gtCls, crowd, gt, t([[30, 30, 1]]), {
    batch_size_per_im: 4, fg_fraction: 0.5, fg_thresh: 0.5, bg_thresh_hi: 0.5, bg_thresh_lo: 0, class_nums: 4, use_random: false, return_max_overlap: true,
  });
  const [r, labels, targets, inW, outW, maxOv] = outs;
  // candidates: the ground truth itself (IoU 1), roi 0 (81/119), roi 1 (0, background)
  assertClose(r, [[0, 0, 9, 9], [1, 1, 10, 10], [20, 20, 29, 29]]);
  assert.deepEqual(labels.tolist(), [[3], [3], [0]]);
  // roi 0 -> ground truth: centre moves -1/10 of the width; divided by the weights 0.1, 0.1
  const row1 = new Array(16).fill(0);
  row1.splice(12, 4, -1, -1, 0, 0);
  assertClose(targets, [new Array(16).fill(0), row1, new Array(16).fill(0)], 1e-6, 1e-6);
  const wrow = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
  assertClose(inW, [wrow, wrow, new Array(16).fill(0)]);
  assertClose(outW, inW);
  assertClose(maxOv, [1, 81 / 119, 0], 1e-6, 1e-7);
  assert.deepEqual(r.lod, [[0, 3]]);
  assert.equal(outs.length, 6);
  assert.equal(L.generate_proposal_labels(rois, gtCls, crowd, gt, t([[30, 30, 1]]), { class_nums: 4, use_random: false }).length, 5);
  // class-agnostic targets go to slot 1
  const [, , tAg] = L.generate_proposal_labels(rois, gtCls, crowd, gt, t([[30, 30, 1]]), { class_nums: 2, use_random: false, is_cls_agnostic: true, fg_thresh: 0.5 });
  assertClose(tAg.getitem(1), [0, 0, 0, 0, -1, -1, 0, 0], 1e-6, 1e-6);
  assertThrows(() => L.generate_proposal_labels(rois, gtCls, crowd, gt, t([[30, 30, 1]])), E, /class_nums must be given/);
});

test('generate_mask_labels: polygons rasterized in the RoI box, class slots, -1 elsewhere (hand-checked)', () => {
  // one object of class 1: the square (0,0)-(8,8); foreground RoIs: the square, and its right half
  const segms = withLod(t([[0, 0], [8, 0], [8, 8], [0, 8]]), [0, 1], [0, 1], [0, 4]);
  const rois = withLod(t([[0, 0, 8, 8], [4, 0, 12, 8], [20, 20, 30, 30]]), [0, 3]);
  const labels = withLod(t([[1], [1], [0]], 'int32'), [0, 3]);
  const [mrois, has, masks] = L.generate_mask_labels(t([[32, 32, 1]]), withLod(t([[1]], 'int32'), [0, 1]), withLod(t([[0]], 'int32'), [0, 1]), segms, rois, labels, 2, 4);
  assertClose(mrois, [[0, 0, 8, 8], [4, 0, 12, 8]]);
  assert.deepEqual(has.tolist(), [[0], [1]]);
  const m = masks.tolist() as number[][];
  assert.deepEqual(m[0].slice(0, 16), new Array(16).fill(-1));
  assert.deepEqual(m[0].slice(16), new Array(16).fill(1));
  // the RoI's left half is inside the square
  assert.deepEqual(m[1].slice(16), [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
  assert.deepEqual(masks.lod, [[0, 2]]);
  // no foreground RoI: the first background RoI with an all -1 mask
  const [r2, h2, m2] = L.generate_mask_labels(t([[32, 32, 1]]), withLod(t([[1]], 'int32'), [0, 1]), withLod(t([[0]], 'int32'), [0, 1]), segms,
    withLod(t([[20, 20, 30, 30]]), [0, 1]), withLod(t([[0]], 'int32'), [0, 1]), 2, 4);
  assertClose(r2, [[20, 20, 30, 30]]);
  assert.deepEqual(h2.tolist(), [[0]]);
  assert.deepEqual(m2.tolist(), [new Array(32).fill(-1)]);
});

test('collect_fpn_proposals / distribute_fpn_proposals: top scores across levels by image; levels by scale (hand-checked)', () => {
  // two levels, two images: level 0 rois (image 0: 2, image 1: 1), level 1 (image 0: 1, image 1: 1)
  const r0 = withLod(t([[0, 0, 1, 1], [0, 0, 2, 2], [0, 0, 3, 3]]), [0, 2, 3]);
  const s0 = withLod(t([[0.5], [0.9], [0.3]]), [0, 2, 3]);
  const r1 = withLod(t([[0, 0, 4, 4], [0, 0, 5, 5]]), [0, 1, 2]);
  const s1 = withLod(t([[0.7], [0.8]]), [0, 1, 2]);
  const out = L.collect_fpn_proposals([r0, r1], [s0, s1], 2, 3, 4) as Tensor;
  // the best 4 of 0.5 0.9 0.3 0.7 0.8, grouped by image in score order
  assertClose(out, [[0, 0, 2, 2], [0, 0, 4, 4], [0, 0, 1, 1], [0, 0, 5, 5]]);
  assert.deepEqual(out.lod, [[0, 3, 4]]);
  const [o2, num] = L.collect_fpn_proposals([r0, r1], [s0, s1], 2, 3, 2, [t([2, 1], 'int32'), t([1, 1], 'int32')]) as Tensor[];
  assertClose(o2, [[0, 0, 2, 2], [0, 0, 5, 5]]);
  assert.deepEqual(num.tolist(), [1, 1]);

  // levels: floor(4 + log2(sqrt(area) / 224)) clipped to [2, 5]; areas with the +1 pixel
  const rois = withLod(t([[0, 0, 111, 111], [0, 0, 223, 223], [0, 0, 447, 447], [0, 0, 15, 15], [0, 0, 999, 999]]), [0, 3, 5]);
  const [multi, restore] = L.distribute_fpn_proposals(rois, 2, 5, 4, 224) as [Tensor[], Tensor];
  assert.equal(multi.length, 4);
  assertClose(multi[0], [[0, 0, 15, 15]]); // level 2 (clipped up from 0)
  assertClose(multi[1], [[0, 0, 111, 111]]); // level 3
  assertClose(multi[2], [[0, 0, 223, 223]]); // level 4
  assertClose(multi[3], [[0, 0, 447, 447], [0, 0, 999, 999]]); // level 5 (999 clipped down from 6)
  assert.deepEqual(multi.map((m) => m.lod[0]), [[0, 0, 1], [0, 1, 1], [0, 1, 1], [0, 1, 2]]);
  // restore: position of each input RoI in the concatenated levels
  assert.deepEqual(restore.tolist(), [[1], [2], [3], [0], [4]]);
  const [, , nums] = L.distribute_fpn_proposals(t(rois.tolist()), 2, 5, 4, 224, t([3, 2], 'int32')) as [Tensor[], Tensor, Tensor[]];
  assert.deepEqual(nums.map((n) => n.tolist()), [[0, 1], [1, 0], [1, 0], [1, 1]]);
});
