// Every fluid.layers detection function in a static program: built on paddle.static.data
// placeholders (with lod_level where the input carries a LoD), run by the Executor on the same
// inputs as in dygraph, giving the same values and LoD.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { Tensor } from '../../../src/index.js';
import { assertClose } from '../../helpers/assert.js';

const L = paddle.fluid.layers;
type Out = Tensor | Out[];
const flat = (o: Out): Tensor[] => (o instanceof Tensor ? [o] : o.flatMap(flat));
const lodOf = (t: Tensor): number[][] => {
  const l = t.lod as unknown;
  return typeof l === 'function' ? (l as () => number[][])() : (l as number[][]);
};
const t = (v: unknown, dtype: 'float32' | 'float64' | 'int32' | 'int64' = 'float32') => paddle.to_tensor(v as number[], { dtype });
function withLod<V extends Tensor>(x: V, ...lod: number[][]): V {
  x.lod = lod;
  return x;
}
function data(shape: number[], scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Array.from({ length: n }, (_, i) => ((((i * 7) % 23) - 11) * 0.5 + (i % 5) * 0.1) * scale), { dtype: 'float32' }).reshape(shape);
}

/** Runs build in dygraph and as a static program on the same inputs; compares every output. */
function sameInStatic(name: string, build: (...xs: Tensor[]) => Out, inputs: Tensor[]): void {
  const eager = flat(build(...inputs));
  paddle.enable_static();
  let fetched: Tensor[];
  let types: string[];
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    fetched = paddle.static.program_guard(main, startup, () => {
      const vars = inputs.map((x, i) => paddle.static.data(`in${i}`, x.shape, x.dtype, x.lod.length));
      const outs = flat(build(...vars));
      types = main.global_block().ops.map((o) => o.type);
      const feed: Record<string, Tensor> = {};
      inputs.forEach((x, i) => (feed[`in${i}`] = x));
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      exe.run(startup);
      return exe.run(main, { feed, fetch_list: outs, return_numpy: false });
    });
  } finally {
    paddle.disable_static();
  }
  assert.equal(fetched.length, eager.length, name);
  eager.forEach((e, k) => {
    assert.deepEqual(fetched[k].dims, e.dims, `${name}: output ${k} shape (ops ${types})`);
    assertClose(fetched[k], e, 1e-6, 1e-6, `${name}: output ${k}`);
    if (e.lod.length) assert.deepEqual(lodOf(fetched[k]), e.lod, `${name}: output ${k} LoD`);
  });
}

test('anchors and box geometry in static programs', () => {
  const feat = data([1, 4, 2, 3]);
  const img = data([1, 3, 8, 12]);
  sameInStatic('prior_box', (f, i) => L.prior_box(f, i, [2, 6], [4, 9], [2], [0.1, 0.1, 0.2, 0.2], true, true), [feat, img]);
  sameInStatic('density_prior_box', (f, i) => L.density_prior_box(f, i, [2, 1], [2, 4], [1, 2], [0.1, 0.1, 0.2, 0.2], false, [0, 0], 0.5, true), [feat, img]);
  sameInStatic('anchor_generator', (f) => L.anchor_generator(f, [8, 16], [0.5, 1], [0.1, 0.1, 0.2, 0.2], [4, 4]), [feat]);
  const prior = t([[0.1, 0.2, 0.5, 0.6], [0.3, 0.1, 0.9, 0.4]]);
  const pvar = t([[0.1, 0.1, 0.2, 0.2], [0.2, 0.2, 0.1, 0.1]]);
  sameInStatic('box_coder decode', (p, v, d) => L.box_coder(p, v, d, 'decode_center_size'), [prior, pvar, data([3, 2, 4], 0.1)]);
  sameInStatic('box_coder encode', (p, v, g) => L.box_coder(p, v, g), [prior, pvar, withLod(t([[0.2, 0.2, 0.6, 0.7], [0.05, 0.3, 0.45, 0.8]]), [0, 1, 2])]);
  sameInStatic('box_clip', (b, i) => L.box_clip(b, i), [withLod(t([[-5, 3, 120, 40], [10, -2, 30, 300], [5, 5, 70, 70]]), [0, 2, 3]), t([[100, 80, 1], [100, 80, 2]])]);
  sameInStatic('box_decoder_and_assign', (p, v, d, s) => L.box_decoder_and_assign(p, v, d, s, 4.135),
    [t([[10, 10, 29, 39], [0, 0, 9, 9]]), t([0.1, 0.1, 0.2, 0.2]), data([2, 12], 0.1), t([[0.5, 0.2, 0.3], [0.9, 0.05, 0.05]])]);
  sameInStatic('iou_similarity', (x, y) => L.iou_similarity(x, y, false), [withLod(t([[0, 0, 2, 2], [1, 1, 3, 3]]), [0, 2]), t([[1, 1, 2, 2], [0, 0, 2, 2]])]);
  sameInStatic('polygon_box_transform', (x) => L.polygon_box_transform(x), [data([1, 4, 2, 3])]);
});

test('NMS functions in static programs', () => {
  const boxes = t([[[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60], [0, 0, 5, 5]]]);
  const scores = t([[[0.9, 0.8, 0.3, 0.6], [0.1, 0.7, 0.75, 0.2]]]);
  sameInStatic('multiclass_nms', (b, s) => L.multiclass_nms(b, s, 0.15, -1, 3, 0.3, false, 1.0, -1), [boxes, scores]);
  sameInStatic('matrix_nms', (b, s) => L.matrix_nms(b, s, 0.15, 0.1, -1, -1, false, 2.0, -1, false, true), [boxes, scores]);
  sameInStatic('locality_aware_nms', (b, s) => L.locality_aware_nms(b, s, 0.1, -1, -1, 0.3, false), [boxes, scores.getitem(':', '0:1')]);
  sameInStatic('retinanet_detection_output', (b0, s0, a0, i) => L.retinanet_detection_output([b0], [s0], [a0], i),
    [data([1, 4, 4], 0.05), t([[[0.9, 0.1], [0.8, 0.7], [0.3, 0.75], [0.6, 0.2]]]), t([[0, 0, 9, 9], [1, 1, 10, 10], [50, 50, 59, 59], [0, 0, 4, 4]]), t([[100, 100, 1]])]);
  sameInStatic('detection_output', (l, c, p, v) => L.detection_output(l, c, p, v, { return_index: true }),
    [data([1, 4, 4], 0.1), data([1, 4, 3]), t([[0.1, 0.1, 0.3, 0.3], [0.5, 0.5, 0.9, 0.9], [0.2, 0.4, 0.6, 0.8], [0, 0, 1, 1]]), t(new Array(4).fill([0.1, 0.1, 0.2, 0.2]))]);
});

test('matching, targets and proposals in static programs', () => {
  const gt = withLod(t([[0, 0, 9, 9], [20, 20, 29, 29]]), [0, 1, 2]);
  const crowd = withLod(t([[0], [0]], 'int32'), [0, 1, 2]);
  const anchors = t([[0, 0, 9, 9], [5, 5, 14, 14], [20, 20, 29, 29], [0, 0, 19, 19]]);
  const info = t([[30, 30, 1], [30, 30, 1]]);
  sameInStatic('bipartite_match', (d) => L.bipartite_match(d, 'per_prediction', 0.5), [withLod(t([[0.9, 0.2, 0.8], [0.7, 0.95, 0.1], [0.3, 0.3, 0.6]]), [0, 2, 3])]);
  sameInStatic('target_assign', (x, m, n) => L.target_assign(x, m, n, 9),
    [withLod(data([3, 4, 2]), [0, 2, 3]), t([[0, -1, 1, -1], [-1, 0, -1, -1]], 'int32'), withLod(t([[3], [2]], 'int32'), [0, 1, 2])]);
  sameInStatic('rpn_target_assign', (bp, cl, an, av, g, c, i) => L.rpn_target_assign(bp, cl, an, av, g, c, i, { use_random: false }),
    [data([2, 4, 4]), data([2, 4, 1]), anchors, anchors, gt, crowd, info]);
  sameInStatic('retinanet_target_assign', (bp, cl, an, av, g, l, c, i) => L.retinanet_target_assign(bp, cl, an, av, g, l, c, i, 2),
    [data([2, 4, 4]), data([2, 4, 2]), anchors, anchors, gt, withLod(t([[1], [2]], 'int32'), [0, 1, 2]), crowd, info]);
  const an = paddle.to_tensor(Array.from({ length: 2 * 3 * 2 }, (_, k) => {
    const a = k % 2;
    const w = Math.trunc(k / 2) % 3;
    const h = Math.trunc(k / 6);
    const s = 8 * (a + 1);
    return [w * 8 - s / 2 + 4, h * 8 - s / 2 + 4, w * 8 + s / 2 + 3, h * 8 + s / 2 + 3];
  }), { dtype: 'float32' }).reshape([2, 3, 2, 4]);
  const vars = paddle.ones([2, 3, 2, 4]).scale(0.5);
  sameInStatic('generate_proposals', (s, d, i, a, v) => L.generate_proposals(s, d, i, a, v, { return_rois_num: true }),
    [data([1, 2, 2, 3], 0.1), data([1, 8, 2, 3], 0.05), t([[16, 24, 1]]), an, vars]);
  sameInStatic('generate_proposal_labels', (r, c, cr, g, i) => L.generate_proposal_labels(r, c, cr, g, i, { batch_size_per_im: 4, class_nums: 4, use_random: false, fg_thresh: 0.5 }),
    [withLod(t([[1, 1, 10, 10], [20, 20, 29, 29]]), [0, 2]), withLod(t([[3]], 'int32'), [0, 1]), withLod(t([[0]], 'int32'), [0, 1]), withLod(t([[0, 0, 9, 9]]), [0, 1]), t([[30, 30, 1]])]);
  sameInStatic('generate_mask_labels', (i, c, cr, s, r, l) => L.generate_mask_labels(i, c, cr, s, r, l, 2, 4),
    [t([[32, 32, 1]]), withLod(t([[1]], 'int32'), [0, 1]), withLod(t([[0]], 'int32'), [0, 1]), withLod(t([[0, 0], [8, 0], [8, 8], [0, 8]]), [0, 1], [0, 1], [0, 4]),
      withLod(t([[0, 0, 8, 8], [4, 0, 12, 8]]), [0, 2]), withLod(t([[1], [1]], 'int32'), [0, 2])]);
  const r0 = withLod(t([[0, 0, 1, 1], [0, 0, 2, 2], [0, 0, 3, 3]]), [0, 2, 3]);
  const r1 = withLod(t([[0, 0, 4, 4], [0, 0, 5, 5]]), [0, 1, 2]);
  sameInStatic('collect_fpn_proposals', (a, b, sa, sb) => L.collect_fpn_proposals([a, b], [sa, sb], 2, 3, 4),
    [r0, r1, withLod(t([[0.5], [0.9], [0.3]]), [0, 2, 3]), withLod(t([[0.7], [0.8]]), [0, 1, 2])]);
  sameInStatic('distribute_fpn_proposals', (r) => L.distribute_fpn_proposals(r, 2, 5, 4, 224) as Out,
    [withLod(t([[0, 0, 111, 111], [0, 0, 223, 223], [0, 0, 447, 447], [0, 0, 15, 15], [0, 0, 999, 999]]), [0, 3, 5])]);
});

test('RoI pooling, YOLO and focal loss in static programs', () => {
  const x = data([2, 8, 6, 7]);
  const rois = withLod(t([[0.6, 1.2, 4.4, 4.8], [2.2, 0.3, 6.7, 3.4], [1, 1, 5, 5]]), [0, 2, 3]);
  sameInStatic('roi_pool', (a, r) => L.roi_pool(a, r, 2, 3), [x, rois]);
  sameInStatic('roi_align', (a, r, n) => L.roi_align(a, r, 2, 2, 1.0, 2, n), [x, rois, t([2, 1], 'int32')]);
  sameInStatic('psroi_pool', (a, r) => L.psroi_pool(a, r, 2, 1.0, 2, 2), [x, rois]);
  sameInStatic('prroi_pool', (a, r) => L.prroi_pool(a, r, 1.0, 2, 2), [x, rois]);
  sameInStatic('roi_perspective_transform', (a, r) => L.roi_perspective_transform(a, r, 3, 4),
    [x, withLod(t([[0.5, 0.7, 4.3, 0.9, 4.6, 3.8, 0.8, 3.5], [1.2, 0.4, 5.1, 1.1, 4.9, 4.2, 0.9, 3.9]]), [0, 1, 2])]);
  sameInStatic('deformable_roi_pooling', (a, r, tr) => L.deformable_roi_pooling(a, r, tr, false, 1.0, [2, 2], 2, 2, null, 2, 0.1, true), [x, rois, data([3, 2, 2, 2], 0.02)]);
  sameInStatic('yolo_box', (a, s) => L.yolo_box(a, s, [10, 13, 16, 30], 3, 0.3, 8), [data([2, 16, 3, 4], 0.4), t([[100, 120], [64, 80]], 'int32')]);
  sameInStatic('yolov3_loss', (a, b, l) => L.yolov3_loss(a, b, l, [4, 5, 8, 10, 14, 12, 20, 26], [1, 3], 3, 0.5, 8),
    [data([2, 16, 4, 4], 0.4), t([[[0.3, 0.4, 0.25, 0.3], [0.7, 0.6, 0.6, 0.8]], [[0.55, 0.45, 0.3, 0.35], [0, 0, 0, 0]]]), t([[1, 2], [0, 1]], 'int32')]);
  sameInStatic('sigmoid_focal_loss', (a, l, f) => L.sigmoid_focal_loss(a, l, f), [data([3, 4], 0.3), t([[1], [0], [4]], 'int32'), t([2], 'int32')]);
});
