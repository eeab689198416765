// The NMS family: multiclass_nms / multiclass_nms2 / multiclass_nms3, matrix_nms,
// locality_aware_nms, retinanet_detection_output and the detection_output composite.
// Expected values: a NumPy re-implementation written from Paddle's semantics (per image and
// class: candidates above score_threshold sorted by score, ties by index, cut to nms_top_k;
// greedy suppression at IoU > threshold, adaptive eta; keep_top_k across classes; matrix NMS
// decay) run on the B/S data below (seed 3), and hand-derived small cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { Tensor } from '../../../src/index.js';
import { dispatch } from '../../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../../helpers/assert.js';

const L = paddle.fluid.layers;
const E = paddle.errors.InvalidArgumentError;
const f32 = (v: unknown, shape?: number[]): Tensor => {
  const t = paddle.to_tensor(v as number[], { dtype: 'float32' });
  return shape ? t.reshape(shape) : t;
};
/** Rows and LoD of a detection output against [rows, lod]. */
function expectDets(t: Tensor, rows: number[][], lod: number[], tol = 1e-5): void {
  // a fetched fluid LoDTensor's lod is callable
  const l = t.lod as unknown;
  assert.deepEqual(typeof l === 'function' ? (l as () => number[][])() : l, [lod], 'lod');
  assert.deepEqual(t.dims, [rows.length, rows.length ? rows[0].length : 6]);
  if (rows.length) assertClose(t, rows, 1e-5, tol);
}

// NumPy data: boxes [2, 10, 4] (normalized), scores [2, 3, 10]; S[0][1][3] == S[0][1][7] (a tie)
const B = [[[0.399, 0.481, 0.662, 0.769], [0.271, 0.398, 0.478, 0.615], [0.594, 0.516, 0.877, 0.96], [0.108, 0.218, 0.443, 0.431], [0.125, 0.324, 0.336, 0.605], [0.127, 0.384, 0.309, 0.564], [0.437, 0.3, 0.742, 0.435], [0.459, 0.432, 0.752, 0.677], [0.023, 0.336, 0.406, 0.735], [0.167, 0.261, 0.544, 0.637]], [[0.245, 0.432, 0.495, 0.8], [0.346, 0.13, 0.582, 0.459], [0.412, 0.529, 0.642, 0.807], [0.322, 0.235, 0.446, 0.432], [0.188, 0.666, 0.677, 0.858], [0.597, 0.423, 0.974, 0.784], [0.547, 0.562, 0.936, 0.852], [0.257, 0.192, 0.596, 0.319], [0.528, 0.445, 0.657, 0.624], [0.337, 0.265, 0.497, 0.405]]];
const S = [[[0.129, 0.553, 0.188, 0.952, 0.682, 0.541, 0.707, 0.264, 0.927, 0.839], [0.726, 0.48, 0.842, 0.366, 0.66, 0.914, 0.634, 0.366, 0.553, 0.196], [0.192, 0.726, 0.785, 0.972, 0.851, 0.544, 0.09, 0.489, 0.928, 0.788]], [[0.485, 0.455, 0.218, 0.177, 0.074, 0.892, 0.64, 0.143, 0.414, 0.049], [0.209, 0.731, 0.651, 0.479, 0.275, 0.652, 0.956, 0.436, 0.07, 0.058], [0.083, 0.96, 0.541, 0.837, 0.17, 0.26, 0.692, 0.896, 0.341, 0.065]]];
const NMS_A = [[[1, 0.914, 0.127, 0.384, 0.309, 0.564], [1, 0.842, 0.594, 0.516, 0.877, 0.96], [2, 0.972, 0.108, 0.218, 0.443, 0.431], [2, 0.928, 0.023, 0.336, 0.406, 0.735], [2, 0.785, 0.594, 0.516, 0.877, 0.96], [1, 0.956, 0.547, 0.562, 0.936, 0.852], [1, 0.731, 0.346, 0.13, 0.582, 0.459], [2, 0.96, 0.346, 0.13, 0.582, 0.459], [2, 0.837, 0.322, 0.235, 0.446, 0.432], [2, 0.692, 0.547, 0.562, 0.936, 0.852]], [0, 5, 10]];
const NMS_B = [[[0, 0.952, 0.108, 0.218, 0.443, 0.431], [0, 0.927, 0.023, 0.336, 0.406, 0.735], [0, 0.839, 0.167, 0.261, 0.544, 0.637], [0, 0.707, 0.437, 0.3, 0.742, 0.435], [0, 0.682, 0.125, 0.324, 0.336, 0.605], [0, 0.553, 0.271, 0.398, 0.478, 0.615], [0, 0.264, 0.459, 0.432, 0.752, 0.677], [0, 0.188, 0.594, 0.516, 0.877, 0.96], [0, 0.129, 0.399, 0.481, 0.662, 0.769], [1, 0.914, 0.127, 0.384, 0.309, 0.564], [1, 0.842, 0.594, 0.516, 0.877, 0.96], [1, 0.726, 0.399, 0.481, 0.662, 0.769], [1, 0.634, 0.437, 0.3, 0.742, 0.435], [1, 0.553, 0.023, 0.336, 0.406, 0.735], [1, 0.48, 0.271, 0.398, 0.478, 0.615], [1, 0.366, 0.108, 0.218, 0.443, 0.431], [1, 0.366, 0.459, 0.432, 0.752, 0.677], [1, 0.196, 0.167, 0.261, 0.544, 0.637], [2, 0.972, 0.108, 0.218, 0.443, 0.431], [2, 0.928, 0.023, 0.336, 0.406, 0.735], [2, 0.851, 0.125, 0.324, 0.336, 0.605], [2, 0.788, 0.167, 0.261, 0.544, 0.637], [2, 0.785, 0.594, 0.516, 0.877, 0.96], [2, 0.726, 0.271, 0.398, 0.478, 0.615], [2, 0.489, 0.459, 0.432, 0.752, 0.677], [2, 0.192, 0.399, 0.481, 0.662, 0.769], [0, 0.892, 0.597, 0.423, 0.974, 0.784], [0, 0.64, 0.547, 0.562, 0.936, 0.852], [0, 0.485, 0.245, 0.432, 0.495, 0.8], [0, 0.455, 0.346, 0.13, 0.582, 0.459], [0, 0.414, 0.528, 0.445, 0.657, 0.624], [0, 0.218, 0.412, 0.529, 0.642, 0.807], [0, 0.177, 0.322, 0.235, 0.446, 0.432], [0, 0.143, 0.257, 0.192, 0.596, 0.319], [1, 0.956, 0.547, 0.562, 0.936, 0.852], [1, 0.731, 0.346, 0.13, 0.582, 0.459], [1, 0.652, 0.597, 0.423, 0.974, 0.784], [1, 0.651, 0.412, 0.529, 0.642, 0.807], [1, 0.479, 0.322, 0.235, 0.446, 0.432], [1, 0.436, 0.257, 0.192, 0.596, 0.319], [1, 0.275, 0.188, 0.666, 0.677, 0.858], [1, 0.209, 0.245, 0.432, 0.495, 0.8], [2, 0.96, 0.346, 0.13, 0.582, 0.459], [2, 0.896, 0.257, 0.192, 0.596, 0.319], [2, 0.837, 0.322, 0.235, 0.446, 0.432], [2, 0.692, 0.547, 0.562, 0.936, 0.852], [2, 0.541, 0.412, 0.529, 0.642, 0.807], [2, 0.341, 0.528, 0.445, 0.657, 0.624], [2, 0.26, 0.597, 0.423, 0.974, 0.784], [2, 0.17, 0.188, 0.666, 0.677, 0.858]], [0, 26, 50]];
const NMS_PIX = [[[1, 0.914, 13, 38, 31, 56], [1, 0.842, 59, 52, 88, 96], [1, 0.726, 40, 48, 66, 77], [2, 0.972, 11, 22, 44, 43], [2, 0.928, 2, 34, 41, 74], [2, 0.851, 12, 32, 34, 60], [2, 0.788, 17, 26, 54, 64], [2, 0.785, 59, 52, 88, 96], [1, 0.956, 55, 56, 94, 85], [1, 0.731, 35, 13, 58, 46], [1, 0.651, 41, 53, 64, 81], [2, 0.96, 35, 13, 58, 46], [2, 0.896, 26, 19, 60, 32], [2, 0.837, 32, 24, 45, 43], [2, 0.692, 55, 56, 94, 85], [2, 0.541, 41, 53, 64, 81]], [0, 8, 16]];
const MAT_LIN = [[[2, 0.972, 0.108, 0.218, 0.443, 0.431], [1, 0.914, 0.127, 0.384, 0.309, 0.564], [1, 0.842, 0.594, 0.516, 0.877, 0.96], [2, 0.7938664, 0.023, 0.336, 0.406, 0.735], [2, 0.785, 0.594, 0.516, 0.877, 0.96], [2, 0.96, 0.346, 0.13, 0.582, 0.459], [1, 0.956, 0.547, 0.562, 0.936, 0.852], [1, 0.731, 0.346, 0.13, 0.582, 0.459], [2, 0.692, 0.547, 0.562, 0.936, 0.852], [2, 0.6368239, 0.322, 0.235, 0.446, 0.432]], [3, 5, 2, 8, 2, 11, 16, 11, 16, 13], [0, 5, 10]];
const MAT_GAUSS = [[[2, 0.972, 0.108, 0.218, 0.443, 0.431], [0, 0.952, 0.108, 0.218, 0.443, 0.431], [1, 0.914, 0.127, 0.384, 0.309, 0.564], [2, 0.8900234, 0.023, 0.336, 0.406, 0.735], [0, 0.8890644, 0.023, 0.336, 0.406, 0.735], [1, 0.842, 0.594, 0.516, 0.877, 0.96], [2, 0.785, 0.594, 0.516, 0.877, 0.96], [1, 0.7134426, 0.399, 0.481, 0.662, 0.769], [2, 0.7125419, 0.271, 0.398, 0.478, 0.615], [0, 0.7099292, 0.167, 0.261, 0.544, 0.637], [0, 0.7069301, 0.437, 0.3, 0.742, 0.435], [2, 0.6794025, 0.125, 0.324, 0.336, 0.605], [2, 0.666775, 0.167, 0.261, 0.544, 0.637], [1, 0.634, 0.437, 0.3, 0.742, 0.435], [0, 0.54448, 0.125, 0.324, 0.336, 0.605], [0, 0.5427488, 0.271, 0.398, 0.478, 0.615], [1, 0.5044383, 0.023, 0.336, 0.406, 0.735], [1, 0.4725591, 0.271, 0.398, 0.478, 0.615], [2, 0.4680691, 0.459, 0.432, 0.752, 0.677], [2, 0.3858139, 0.127, 0.384, 0.309, 0.564], [0, 0.3836862, 0.127, 0.384, 0.309, 0.564], [1, 0.3601815, 0.108, 0.218, 0.443, 0.431], [1, 0.3584049, 0.125, 0.324, 0.336, 0.605], [1, 0.2835325, 0.459, 0.432, 0.752, 0.677], [0, 0.264, 0.459, 0.432, 0.752, 0.677], [2, 0.96, 0.346, 0.13, 0.582, 0.459], [1, 0.956, 0.547, 0.562, 0.936, 0.852], [0, 0.892, 0.597, 0.423, 0.974, 0.784], [2, 0.7465257, 0.322, 0.235, 0.446, 0.432], [1, 0.731, 0.346, 0.13, 0.582, 0.459], [2, 0.720297, 0.257, 0.192, 0.596, 0.319], [2, 0.692, 0.547, 0.562, 0.936, 0.852], [1, 0.6217339, 0.412, 0.529, 0.642, 0.807], [2, 0.516679, 0.412, 0.529, 0.642, 0.807], [0, 0.485, 0.245, 0.432, 0.495, 0.8], [0, 0.4544634, 0.346, 0.13, 0.582, 0.459], [1, 0.4478186, 0.597, 0.423, 0.974, 0.784], [0, 0.4395765, 0.547, 0.562, 0.936, 0.852], [1, 0.4272232, 0.322, 0.235, 0.446, 0.432], [0, 0.4096886, 0.528, 0.445, 0.657, 0.624], [1, 0.3505017, 0.257, 0.192, 0.596, 0.319], [2, 0.3391015, 0.528, 0.445, 0.657, 0.624], [1, 0.2518928, 0.188, 0.666, 0.677, 0.858], [1, 0.2067501, 0.245, 0.432, 0.495, 0.8], [0, 0.2059584, 0.412, 0.529, 0.642, 0.807], [2, 0.1785779, 0.597, 0.423, 0.974, 0.784]], [3, 3, 5, 8, 8, 2, 2, 0, 1, 9, 6, 4, 9, 6, 4, 1, 8, 1, 7, 5, 5, 3, 4, 7, 7, 11, 16, 15, 13, 11, 17, 16, 12, 12, 10, 11, 15, 16, 13, 18, 17, 18, 14, 10, 12, 15], [0, 25, 46]];

const BPIX = [[[40, 48, 66, 77], [27, 40, 48, 62], [59, 52, 88, 96], [11, 22, 44, 43], [12, 32, 34, 60], [13, 38, 31, 56], [44, 30, 74, 44], [46, 43, 75, 68], [2, 34, 41, 74], [17, 26, 54, 64]], [[24, 43, 50, 80], [35, 13, 58, 46], [41, 53, 64, 81], [32, 24, 45, 43], [19, 67, 68, 86], [60, 42, 97, 78], [55, 56, 94, 85], [26, 19, 60, 32], [53, 44, 66, 62], [34, 26, 50, 40]]];

test('multiclass_nms: per-class greedy NMS, nms_top_k and keep_top_k match the NumPy reference', () => {
  const out = L.multiclass_nms(f32(B), f32(S), 0.3, 6, 5, 0.3);
  assert.equal(out.stop_gradient, true);
  expectDets(out, NMS_A[0] as number[][], NMS_A[1] as number[]);
  // all classes (background_label -1), no top-k limits, adaptive threshold 0.7 * 0.8^k while > 0.5
  expectDets(L.multiclass_nms(f32(B), f32(S), 0.1, -1, -1, 0.7, true, 0.8, -1), NMS_B[0] as number[][], NMS_B[1] as number[]);
  // pixel boxes: normalized=False adds 1 to widths and heights
  expectDets(L.multiclass_nms(f32(BPIX), f32(S), 0.2, 10, 8, 0.4, false), NMS_PIX[0] as number[][], NMS_PIX[1] as number[]);
  // float64 gives the same detections
  const o64 = L.multiclass_nms(paddle.to_tensor(B, { dtype: 'float64' }), paddle.to_tensor(S, { dtype: 'float64' }), 0.3, 6, 5, 0.3);
  assert.equal(o64.dtype, 'float64');
  assertClose(o64, NMS_A[0] as number[][], 1e-6, 1e-6);
});

test('multiclass_nms: equal scores keep index order, and keep_top_k regroups by class', () => {
  // class 1 of image 0 holds S[0][1][3] == S[0][1][7]; with no suppression (threshold 1) both
  // are kept, index 3 first
  const out = L.multiclass_nms(f32(B).getitem('0:1'), f32(S).getitem('0:1'), 0.0, -1, -1, 1.0, true, 1.0, 0);
  const rows = (out.tolist() as number[][]).filter((r) => r[0] === 1);
  const i3 = rows.findIndex((r) => r[2] === Math.fround(B[0][3][0]));
  const i7 = rows.findIndex((r) => r[2] === Math.fround(B[0][7][0]));
  assert.ok(i3 >= 0 && i7 === i3 + 1, `tie order: ${i3}, ${i7}`);
});

test('multiclass_nms: a hand-checked 2-D (LoD) input with an empty image; multiclass_nms2 indices, multiclass_nms3 RoisNum', () => {
  // rows [M, C, 4] / scores [M, C]; images: rows 0-2, none, rows 3-4
  const boxes = f32([
    [[0, 0, 10, 10], [0, 0, 10, 10]], [[1, 1, 11, 11], [30, 30, 40, 40]], [[50, 50, 60, 60], [31, 31, 41, 41]],
    [[0, 0, 5, 5], [0, 0, 5, 5]], [[0, 0, 5, 5], [0, 0, 5, 5]],
  ]);
  const scores = f32([[0.9, 0.2], [0.8, 0.6], [0.7, 0.65], [0.05, 0.3], [0.5, 0.4]]);
  boxes.lod = [[0, 3, 3, 5]];
  // class 0: r1 overlaps r0 by 81/119 > 0.5; class 1: r1 overlaps r2 the same; r3 == r4 for
  // class 1. Rows come out per class in box order (2-D inputs sort the kept indices).
  const expected = [[0, 0.9, 0, 0, 10, 10], [0, 0.7, 50, 50, 60, 60], [1, 0.2, 0, 0, 10, 10], [1, 0.65, 31, 31, 41, 41], [0, 0.5, 0, 0, 5, 5], [1, 0.4, 0, 0, 5, 5]];
  expectDets(L.multiclass_nms(boxes, scores, 0.1, -1, -1, 0.5, true, 1.0, -1), expected, [0, 4, 4, 6]);
  // keep_top_k 3: image 0 keeps .9, .7 (class 0) and .65 (class 1)
  const attrs = { score_threshold: 0.1, nms_top_k: -1, keep_top_k: 3, nms_threshold: 0.5, background_label: -1 };
  const r2 = dispatch('multiclass_nms2', { BBoxes: [boxes], Scores: [scores] }, { ...attrs });
  const top3 = [expected[0], expected[1], expected[3], expected[4], expected[5]];
  expectDets(r2.Out[0], top3, [0, 3, 3, 5]);
  // Index: (row * C + class) in the batch
  assert.deepEqual(r2.Index[0].tolist(), [[0], [4], [5], [8], [9]]);
  assert.deepEqual(r2.Index[0].lod, [[0, 3, 3, 5]]);
  // multiclass_nms3 takes the per-image counts as RoisNum instead of a LoD
  const plain = f32(boxes.tolist());
  const r3 = dispatch('multiclass_nms3', { BBoxes: [plain], Scores: [scores], RoisNum: [paddle.to_tensor([3, 0, 2], { dtype: 'int32' })] }, { ...attrs });
  expectDets(r3.Out[0], top3, [0, 3, 3, 5]);
  assert.deepEqual(r3.NmsRoisNum[0].tolist(), [3, 0, 2]);
  assert.equal(r3.NmsRoisNum[0].dtype, 'int32');
});

test('multiclass_nms: no box above the threshold gives [[-1]] with LoD [[0, 1]]; nms2/nms3 give empty [0, 6]', () => {
  const out = L.multiclass_nms(f32(B), f32(S), 0.999, 10, 10);
  assert.deepEqual(out.shape, [1, 1]);
  assert.deepEqual(out.tolist(), [[-1]]);
  assert.deepEqual(out.lod, [[0, 1]]);
  const r2 = dispatch('multiclass_nms2', { BBoxes: [f32(B)], Scores: [f32(S)] }, { score_threshold: 0.999, nms_top_k: 10, keep_top_k: 10 });
  assert.deepEqual(r2.Out[0].shape, [0, 6]);
  assert.deepEqual(r2.Index[0].shape, [0, 1]);
  assert.deepEqual(r2.Out[0].lod, [[0, 0, 0]]);
  const r3 = dispatch('multiclass_nms3', { BBoxes: [f32(B)], Scores: [f32(S)] }, { score_threshold: 0.999, nms_top_k: 10, keep_top_k: 10 });
  assert.deepEqual(r3.Out[0].shape, [0, 6]);
  assert.deepEqual(r3.NmsRoisNum[0].tolist(), [0, 0]);
  // multiclass_nms2 Index of the 3-D form: image * M + box
  const r = dispatch('multiclass_nms2', { BBoxes: [f32(B)], Scores: [f32(S)] }, { score_threshold: 0.3, nms_top_k: 6, keep_top_k: 5 });
  const idx = (r.Index[0].tolist() as number[][]).map((v) => v[0]);
  const rows = NMS_A[0] as number[][];
  idx.forEach((k, q) => {
    const img = q < 5 ? 0 : 1;
    assert.equal(Math.trunc(k / 10), img);
    assertClose(B[img][k % 10], rows[q].slice(2), 1e-6, 1e-7);
  });
});

test('multiclass_nms: boxes sharing an edge overlap only with normalized=False (+1 pixel)', () => {
  const boxes = f32([[[0, 0, 1, 1], [1, 0, 2, 1]]]);
  const scores = f32([[[0.9, 0.8]]]);
  // normalized: intersection width 0 -> IoU 0, both kept; pixels: 1*2 / (4 + 4 - 2) = 1/3 > 0.3
  assert.equal(L.multiclass_nms(boxes, scores, 0.1, -1, -1, 0.3, true, 1.0, -1).shape[0], 2);
  expectDets(L.multiclass_nms(boxes, scores, 0.1, -1, -1, 0.3, false, 1.0, -1), [[0, 0.9, 0, 0, 1, 1]], [0, 1]);
  // IoU equal to the threshold is kept (suppression needs IoU > threshold)
  expectDets(L.multiclass_nms(boxes, scores, 0.1, -1, -1, 0.4, false, 1.0, -1), [[0, 0.9, 0, 0, 1, 1], [0, 0.8, 1, 0, 2, 1]], [0, 2]);
});

test('multiclass_nms: quadrilateral boxes (8 coordinates) use polygon IoU', () => {
  // two unit squares as polygons overlapping by half, and a far one; IoU = 0.5 / 1.5 = 1/3
  const sq = (x: number, y: number) => [x, y, x + 1, y, x + 1, y + 1, x, y + 1];
  const boxes = f32([[sq(0, 0), sq(0.5, 0), sq(5, 5)]]);
  const scores = f32([[[0.9, 0.8, 0.7]]]);
  const keep = (thr: number) => (L.multiclass_nms(boxes, scores, 0.1, -1, -1, thr, true, 1.0, -1).tolist() as number[][]).map((r) => r[1]);
  assertClose(keep(0.3), [0.9, 0.7]);
  assertClose(keep(0.34), [0.9, 0.8, 0.7]);
  assert.equal(L.multiclass_nms(boxes, scores, 0.1, -1, -1, 0.3, true, 1.0, -1).shape[1], 10);
});

test('matrix_nms: linear and gaussian decay match the NumPy reference; Index; empty result', () => {
  const [out, index] = L.matrix_nms(f32(B), f32(S), 0.2, 0.25, 6, 5, { return_index: true }) as [Tensor, Tensor];
  expectDets(out, MAT_LIN[0] as number[][], MAT_LIN[2] as number[]);
  assert.deepEqual((index.tolist() as number[][]).map((v) => v[0]), MAT_LIN[1]);
  assert.deepEqual(index.lod, [MAT_LIN[2]]);
  expectDets(L.matrix_nms(f32(B), f32(S), 0.2, 0.1, -1, -1, true, 2.0, -1) as Tensor, MAT_GAUSS[0] as number[][], MAT_GAUSS[2] as number[]);
  const none = L.matrix_nms(f32(B), f32(S), 0.999, 0.1, -1, -1) as Tensor;
  assert.deepEqual(none.shape, [0, 6]);
  assert.deepEqual(none.lod, [[0, 0, 0]]);
  const r = dispatch('matrix_nms', { BBoxes: [f32(B)], Scores: [f32(S)] }, { score_threshold: 0.2, post_threshold: 0.25, nms_top_k: 6, keep_top_k: 5 });
  assert.deepEqual(r.RoisNum[0].tolist(), [5, 5]);
});

test('locality_aware_nms: consecutive overlapping boxes merge by score, then NMS (hand-checked)', () => {
  // b1 overlaps b0 by 110 / 132 (pixels): merged into (0.4 b1 + 0.6 b0) with score 1.0
  const boxes = f32([[[0, 0, 10, 10], [1, 0, 11, 10], [50, 50, 60, 60]]]);
  const scores = f32([[[0.6, 0.4, 0.9]]]);
  const out = L.locality_aware_nms(boxes, scores, 0.1, -1, -1, { normalized: false });
  expectDets(out, [[0, 1.0, 0.4, 0, 10.4, 10], [0, 0.9, 50, 50, 60, 60]], [0, 2]);
  // nothing above the threshold: [[-1]]
  assert.deepEqual(L.locality_aware_nms(boxes, scores, 1.5, -1, -1).tolist(), [[-1]]);
  assertThrows(() => L.locality_aware_nms(boxes, f32([[[0.6, 0.4, 0.9], [0.1, 0.1, 0.1]]]), 0.1, -1, -1), E, /only support one class/);
});

test('retinanet_detection_output: per-level thresholds, decoding against anchors, labels + 1 (hand-checked)', () => {
  // level 0 (not the last): only scores > 0.05 count; level 1 (the last): every score > 0
  const b0 = f32([[[0.1, 0, 0, 0]]]); // cx = 0.1 * 10 + 5 = 6 -> [1, 0, 10, 9]
  const s0 = f32([[[0.04, 0.5]]]);
  const a0 = f32([[0, 0, 9, 9]]);
  const b1 = f32([[[0, 0, 0, 0]]]);
  const s1 = f32([[[0.01, 0.3]]]);
  const a1 = f32([[20, 20, 29, 29]]);
  const info = f32([[100, 100, 1]]);
  const out = L.retinanet_detection_output([b0, b1], [s0, s1], [a0, a1], info);
  expectDets(out, [[2, 0.5, 1, 0, 10, 9], [2, 0.3, 20, 20, 29, 29], [1, 0.01, 20, 20, 29, 29]], [0, 3]);
  // keep_top_k, and boxes scaled back by im_info's scale and clipped to round(h / scale) - 1
  const out2 = L.retinanet_detection_output([b1], [f32([[[0.9, 0.2]]])], [f32([[0, 0, 99, 9]])], f32([[40, 40, 2]]), { keep_top_k: 1 });
  expectDets(out2, [[1, 0.9, 0, 0, 19, 4.5]], [0, 1]);
});

test('detection_output: box_coder decode, softmax, transpose and multiclass_nms (also in a static program)', () => {
  const prior = f32([[0.1, 0.1, 0.3, 0.3], [0.5, 0.5, 0.9, 0.9]]);
  const pvar = f32([[0.1, 0.1, 0.2, 0.2], [0.1, 0.1, 0.2, 0.2]]);
  const loc = f32([[[0, 0, 0, 0], [1, -1, 0.5, 0]]]);
  const conf = f32([[[0.1, 2.0, 0.3], [0.2, 0.1, 3.0]]]);
  const out = L.detection_output(loc, conf, prior, pvar) as Tensor;
  // prior 0 decodes to itself; prior 1: centre (0.7 + 0.1*1*0.4, 0.7 - 0.04), w 0.4*e^0.1, h 0.4
  const w1 = 0.4 * Math.exp(0.1);
  const sm = (r: number[]) => r.map((v) => Math.exp(v) / r.reduce((s, u) => s + Math.exp(u), 0));
  const p0 = sm([0.1, 2.0, 0.3]);
  const p1 = sm([0.2, 0.1, 3.0]);
  const rows = [
    [1, p0[1], 0.1, 0.1, 0.3, 0.3], [1, p1[1], 0.74 - w1 / 2, 0.46, 0.74 + w1 / 2, 0.86],
    [2, p1[2], 0.74 - w1 / 2, 0.46, 0.74 + w1 / 2, 0.86], [2, p0[2], 0.1, 0.1, 0.3, 0.3],
  ];
  // 3-D scores: each class' rows in NMS order (score descending)
  expectDets(out, rows, [0, 4], 1e-6);
  const [o2, idx] = L.detection_output(loc, conf, prior, pvar, { return_index: true }) as [Tensor, Tensor];
  assertClose(o2, rows, 1e-5, 1e-6);
  assert.deepEqual(idx.tolist(), [[0], [1], [1], [0]]);

  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const fetched = paddle.static.program_guard(main, startup, () => {
      const l = paddle.static.data('loc', [-1, 2, 4], 'float32');
      const c = paddle.static.data('conf', [-1, 2, 3], 'float32');
      const pb = paddle.static.data('pb', [2, 4], 'float32');
      const pv = paddle.static.data('pv', [2, 4], 'float32');
      const o = L.detection_output(l, c, pb, pv) as Tensor;
      assert.deepEqual(main.global_block().ops.map((op) => op.type), ['box_coder', 'softmax', 'transpose2', 'multiclass_nms']);
      assert.equal((o as unknown as { lod_level: number }).lod_level, 1);
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      return exe.run(main, { feed: { loc, conf, pb: prior, pv: pvar }, fetch_list: [o], return_numpy: false });
    });
    expectDets(fetched[0], rows, [0, 4], 1e-6);
  } finally {
    paddle.disable_static();
  }
});

test('NMS operators check their inputs', () => {
  assertThrows(() => L.multiclass_nms(f32(B), f32(S).reshape([2, 30]), 0.1, 1, 1), E, /Scores|BBoxes/);
  assertThrows(() => L.multiclass_nms(f32(B), f32(S).getitem(':', ':', '0:5'), 0.1, 1, 1), E, /boxes/);
  assertThrows(() => L.multiclass_nms(f32(B), paddle.to_tensor(S, { dtype: 'float64' }), 0.1, 1, 1), E, /same dtype/);
  assertThrows(() => L.multiclass_nms(paddle.to_tensor([[[1, 2, 3, 4]]], { dtype: 'int32' }), f32([[[0.5]]]), 0.1, 1, 1), E, /BBoxes/);
  // a 2-D Scores input needs a LoD (or RoisNum)
  assertThrows(() => L.multiclass_nms(f32([[[0, 0, 1, 1]]]), f32([[0.5]]), 0.1, 1, 1), E, /LoD/);
  assertThrows(() => L.matrix_nms(f32(B), f32(S).reshape([2, 30]), 0.1, 0.1, 1, 1), E, /Scores/);
});
