// Box coding and geometry: box_coder (encode / decode, variance tensor or attribute, axis,
// normalized), box_clip, box_decoder_and_assign, iou_similarity, polygon_box_transform.
// Expected values: a NumPy re-implementation of Paddle's center-size coding (widths + 1 when
// not normalized) and hand-derived cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { assertClose, assertThrows } from '../../helpers/assert.js';

const L = paddle.fluid.layers;
const E = paddle.errors.InvalidArgumentError;
const f64 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float64' });
const f32 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float32' });
const P = [[0.1, 0.2, 0.5, 0.6], [0.3, 0.1, 0.9, 0.4], [0.0, 0.0, 1.0, 1.0]];
const V = [[0.1, 0.1, 0.2, 0.2], [0.2, 0.2, 0.1, 0.1], [0.1, 0.2, 0.3, 0.4]];
const TB = [[0.2, 0.2, 0.6, 0.7], [0.05, 0.3, 0.45, 0.8]];
const D = [[[0.1, -0.2, 0.3, 0.0], [0.5, 0.5, -0.5, 0.2], [0.0, 0.0, 0.0, 0.0]], [[-0.3, 0.1, 0.2, -0.1], [0.0, 0.0, 1.0, 1.0], [0.2, 0.2, 0.2, 0.2]]];
const scale10 = (a: number[][]) => a.map((r) => r.map((v) => v * 10));
const ENC_VAR = [[[2.5, 1.25, -5.55111512e-16, 1.11571776], [-1.66666667, 3.33333333, -4.05465108, 5.10825624], [-1, -0.25, -3.05430244, -1.73286795]], [[-1.25, 3.75, 0, 1.11571776], [-2.91666667, 5, -4.05465108, 5.10825624], [-2.5, 0.25, -3.05430244, -1.73286795]]];
const ENC_ATTR_PIX = [[[1, 0, 0, 0.911607784], [-3.57142857, 3.75, -1.68236118, 2.02732554], [-1.36363636, -0.909090909, -3.9422868, -3.03067902]], [[-2, 2, 0, 0.911607784], [-5.71428571, 6.25, -1.68236118, 2.02732554], [-2.72727273, 0, -3.9422868, -3.03067902]]];
const DEC0 = [[[0.0916326907, 0.192, 0.516367309, 0.592], [0.374631173, 0.126969799, 0.945368827, 0.433030201], [0, 0, 1, 1]], [[0.0798378452, 0.207960265, 0.496162155, 0.600039735], [0.268448725, 0.0842243623, 0.931551275, 0.415775638], [-0.0109182733, -0.00164353384, 1.05091827, 1.08164353]]];
const DEC1_PIX = [[[0.895408634, 1.9, 5.20459137, 5.9], [1.48790645, 2.14797306, 5.01209355, 6.35202694]], [[2.64716229, 1.07960265, 8.93283771, 4.00039735], [2.22509035, 0.557194484, 9.77490965, 4.44280552]]];
const DEC1_IN = [[[0.1, -0.2, 0.3, 0], [0.5, 0.5, -0.5, 0.2]], [[-0.3, 0.1, 0.2, -0.1], [0, 0, 1, 1]]];
const DEC_NOVAR = [[[0.0700282385, 0.12, 0.609971762, 0.52], [0.718040802, 0.216789586, 1.0819592, 0.583210414], [0, 0, 1, 1]], [[-0.0642805516, 0.259032516, 0.424280552, 0.620967484], [-0.215484549, -0.157742274, 1.41548455, 0.657742274], [0.0892986209, 0.0892986209, 1.31070138, 1.31070138]]];
const BDA = [[[9.14829082, 12.0274387, 30.2517092, 38.1725613, 10, 10, 29, 39, -602.896054, -909.344081, 645.896054, 964.344081], [0.1989933, 0.1989933, 9.4010067, 9.4010067, -0.00405387096, -0.00405387096, 9.40405387, 9.40405387, -1, -1.10701379, 8, 10.1070138]], [[-602.896054, -909.344081, 645.896054, 964.344081], [-0.00405387096, -0.00405387096, 9.40405387, 9.40405387]]];

test('box_coder: encode with a variance tensor, or a variance list and pixel boxes', () => {
  const enc = L.box_coder(f64(P), f64(V), f64(TB));
  assert.deepEqual(enc.shape, [2, 3, 4]);
  assertClose(enc, ENC_VAR, 1e-7, 1e-9);
  const pix = L.box_coder(f64(scale10(P)), [0.1, 0.1, 0.2, 0.2], f64(scale10(TB)), 'encode_center_size', false);
  assertClose(pix, ENC_ATTR_PIX, 1e-7, 1e-9);
  // the target's LoD passes to the output
  const t = f64(TB);
  t.lod = [[0, 1, 2]];
  assert.deepEqual(L.box_coder(f64(P), f64(V), t).lod, [[0, 1, 2]]);
  // encoding a prior against itself gives zeros
  assertClose(L.box_coder(f32(P), null, f32(P)).getitem(1, 1), [0, 0, 0, 0]);
});

test('box_coder: decode along axis 0 and axis 1, with and without variances', () => {
  assertClose(L.box_coder(f64(P), f64(V), f64(D), 'decode_center_size'), DEC0, 1e-7, 1e-9);
  assertClose(L.box_coder(f64(P), null, f64(D), 'decode_center_size'), DEC_NOVAR, 1e-7, 1e-9);
  // axis 1: TargetBox [M, N, 4], prior i for row i; pixel boxes
  const dec1 = L.box_coder(f64(scale10(P.slice(0, 2))), [0.1, 0.1, 0.2, 0.2], f64(DEC1_IN), 'decode_center_size', false, { axis: 1 });
  assertClose(dec1, DEC1_PIX, 1e-7, 1e-9);
  // decode(encode(x)) == x
  const enc = L.box_coder(f64(P), f64(V), f64(TB));
  const back = L.box_coder(f64(P), f64(V), enc, 'decode_center_size');
  assertClose(back.getitem(':', 2), TB, 1e-12, 1e-12);
  // float32 keeps its dtype
  assert.equal(L.box_coder(f32(P), f32(V), f32(D), 'decode_center_size').dtype, 'float32');
});

test('box_coder: argument checks', () => {
  assertThrows(() => L.box_coder(f64(P), f64(V), f64(TB), 'center'), E, /code_type must be 'encode_center_size' or 'decode_center_size'/);
  assertThrows(() => L.box_coder(f64(P), f64(V), f64(D)), E, /TargetBox must be a 2-D tensor/);
  assertThrows(() => L.box_coder(f64(P), f64(V), f64(TB), 'decode_center_size'), E, /TargetBox must be a 3-D tensor/);
  assertThrows(() => L.box_coder(f64(P), [0.1, 0.2], f64(TB)), E, /variance must have 4 values/);
  assertThrows(() => L.box_coder(f64(P), 'v', f64(TB)), E, /Variable or list/);
  assertThrows(() => L.box_coder(f64(P), f64(V), f64(D), 'decode_center_size', true, { axis: 2 }), E, /axis must be 0 or 1/);
  assertThrows(() => L.box_coder(f64(P.slice(0, 2)), null, f64(D), 'decode_center_size'), E, /number of prior boxes/);
});

test('box_clip: boxes clipped to [0, round(size / scale) - 1] per image of the LoD', () => {
  const boxes = f32([[-5, 3, 120, 40], [10, -2, 30, 300], [5, 5, 70, 70]]);
  boxes.lod = [[0, 2, 3]];
  // image 0: 100 x 80 at scale 1 -> x <= 79, y <= 99; image 1: 100 x 80 at scale 2 -> 39, 49
  const info = f32([[100, 80, 1], [100, 80, 2]]);
  const out = L.box_clip(boxes, info);
  assert.deepEqual(out.tolist(), [[0, 3, 79, 40], [10, 0, 30, 99], [5, 5, 39, 49]]);
  assert.deepEqual(out.lod, [[0, 2, 3]]);
  // without a LoD, dimension 0 of a [N, M, 4] input gives the images
  const b3 = f32([[[-1, -1, 200, 200]], [[-1, -1, 200, 200]]]);
  assert.deepEqual(L.box_clip(b3, info).tolist(), [[[0, 0, 79, 99]], [[0, 0, 39, 49]]]);
  assertThrows(() => L.box_clip(f32([[1, 2, 3]]), info), E, /Input/);
});

test('box_decoder_and_assign: per-class decoding with box_clip, best non-background class (NumPy reference)', () => {
  const prior = f64([[10, 10, 29, 39], [0, 0, 9, 9]]);
  const pvar = f64([0.1, 0.1, 0.2, 0.2]);
  const target = f64([[0.1, 0.2, 0.5, -0.5, 0, 0, 0, 0, 1, 1, 30, 30], [0.3, 0.3, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2, -1, 0, 0, 1]]);
  const score = f64([[0.5, 0.2, 0.3], [0.9, 0.05, 0.05]]);
  const [dec, asg] = L.box_decoder_and_assign(prior, pvar, target, score, 4.135);
  assertClose(dec, BDA[0], 1e-7, 1e-9);
  assertClose(asg, BDA[1], 1e-7, 1e-9);
  assertThrows(() => L.box_decoder_and_assign(prior, pvar, target, f64([[0.5, 0.5], [0.5, 0.5]]), 4.135), E, /4 columns per class/);
});

test('iou_similarity: pairwise IoU, normalized and pixel (hand-checked)', () => {
  const x = f32([[0, 0, 2, 2], [1, 1, 3, 3]]);
  const y = f32([[1, 1, 2, 2], [4, 4, 5, 5], [0, 0, 2, 2]]);
  // [1,1,2,2] in [0,0,2,2]: 1/4; [1,1,3,3] vs [0,0,2,2]: 1/7
  assertClose(L.iou_similarity(x, y), [[0.25, 0, 1], [0.25, 0, 1 / 7]], 1e-6, 1e-7);
  // pixels: areas 9 and 4, intersection 4 -> 4/9; [1,1,3,3] vs [0,0,2,2]: 4 / 14
  assertClose(L.iou_similarity(x, y, false), [[4 / 9, 0, 1], [4 / 9, 0, 4 / 14]], 1e-6, 1e-7);
  x.lod = [[0, 2]];
  assert.deepEqual(L.iou_similarity(x, y).lod, [[0, 2]]);
  assertThrows(() => L.iou_similarity(x, f32([[1, 2, 3]])), E, /Y must have 4/);
});

test('polygon_box_transform: 4 * column - x on even channels, 4 * row - y on odd ones', () => {
  const x = paddle.arange(16, { dtype: 'float32' }).reshape([1, 2, 2, 4]);
  const out = L.polygon_box_transform(x);
  assert.deepEqual(out.tolist(), [[[[0, 3, 6, 9], [-4, -1, 2, 5]], [[-8, -9, -10, -11], [-8, -9, -10, -11]]]]);
  assertThrows(() => L.polygon_box_transform(paddle.zeros([1, 3, 2, 2])), E, /even/);
});

test('box operators in a static program', () => {
  const feed = { p: f64(P), v: f64(V), t: f64(TB) };
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const out = paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const p = paddle.static.data('p', [3, 4], 'float64');
      const v = paddle.static.data('v', [3, 4], 'float64');
      const t = paddle.static.data('t', [-1, 4], 'float64');
      const enc = L.box_coder(p, v, t);
      assert.deepEqual(enc.shape, [-1, 3, 4]);
      const iou = L.iou_similarity(t, p);
      assert.deepEqual(iou.shape, [-1, 3]);
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      return exe.run(main, { feed, fetch_list: [enc] });
    });
    assertClose(out[0], ENC_VAR, 1e-7, 1e-9);
  } finally {
    paddle.disable_static();
  }
});
