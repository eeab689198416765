// Prior boxes and anchors: prior_box, density_prior_box, anchor_generator. Expected values come
// from a NumPy re-implementation of Paddle's formulas (centres (w + offset) * step, sizes
// min * sqrt(ar) / 2, sqrt(min * max) / 2, density grids shifted by step_average / density,
// anchors centred at w * stride + offset * (stride - 1) with rounded base sizes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { assertClose, assertThrows } from '../../helpers/assert.js';

const L = paddle.fluid.layers;
const E = paddle.errors.InvalidArgumentError;
const zeros = (shape: number[], dtype = 'float32') => paddle.zeros(shape, dtype as 'float32');
const PB1 = [[[[0.0833333, 0.125, 0.25, 0.375], [0.0488155, 0.1616117, 0.2845178, 0.3383883], [0.1077411, 0.0732233, 0.2255922, 0.4267767], [0.0488155, 0.0732233, 0.2845178, 0.4267767], [0, 0, 0.4166667, 0.625], [0, 0, 0.5202201, 0.515165], [0, 0, 0.3434434, 0.7803301], [0, 0, 0.4728529, 0.7092793]], [[0.4166667, 0.125, 0.5833333, 0.375], [0.3821489, 0.1616117, 0.6178511, 0.3383883], [0.4410744, 0.0732233, 0.5589256, 0.4267767], [0.3821489, 0.0732233, 0.6178511, 0.4267767], [0.25, 0, 0.75, 0.625], [0.1464466, 0, 0.8535534, 0.515165], [0.3232233, 0, 0.6767767, 0.7803301], [0.1938138, 0, 0.8061862, 0.7092793]], [[0.75, 0.125, 0.9166667, 0.375], [0.7154822, 0.1616117, 0.9511845, 0.3383883], [0.7744078, 0.0732233, 0.8922589, 0.4267767], [0.7154822, 0.0732233, 0.9511845, 0.4267767], [0.5833333, 0, 1, 0.625], [0.4797799, 0, 1, 0.515165], [0.6565566, 0, 1, 0.7803301], [0.5271471, 0, 1, 0.7092793]]], [[[0.0833333, 0.625, 0.25, 0.875], [0.0488155, 0.6616117, 0.2845178, 0.8383883], [0.1077411, 0.5732233, 0.2255922, 0.9267767], [0.0488155, 0.5732233, 0.2845178, 0.9267767], [0, 0.375, 0.4166667, 1], [0, 0.484835, 0.5202201, 1], [0, 0.2196699, 0.3434434, 1], [0, 0.2907207, 0.4728529, 1]], [[0.4166667, 0.625, 0.5833333, 0.875], [0.3821489, 0.6616117, 0.6178511, 0.8383883], [0.4410744, 0.5732233, 0.5589256, 0.9267767], [0.3821489, 0.5732233, 0.6178511, 0.9267767], [0.25, 0.375, 0.75, 1], [0.1464466, 0.484835, 0.8535534, 1], [0.3232233, 0.2196699, 0.6767767, 1], [0.1938138, 0.2907207, 0.8061862, 1]], [[0.75, 0.625, 0.9166667, 0.875], [0.7154822, 0.6616117, 0.9511845, 0.8383883], [0.7744078, 0.5732233, 0.8922589, 0.9267767], [0.7154822, 0.5732233, 0.9511845, 0.9267767], [0.5833333, 0.375, 1, 1], [0.4797799, 0.484835, 1, 1], [0.6565566, 0.2196699, 1, 1], [0.5271471, 0.2907207, 1, 1]]]];
const PB2 = [[[[0.0833333, 0.125, 0.25, 0.375], [0.0488155, 0.0732233, 0.2845178, 0.4267767], [0.0488155, 0.1616117, 0.2845178, 0.3383883], [0.1077411, 0.0732233, 0.2255922, 0.4267767], [-0.0833333, -0.125, 0.4166667, 0.625], [-0.1395196, -0.2092793, 0.4728529, 0.7092793], [-0.1868867, -0.015165, 0.5202201, 0.515165], [-0.01011, -0.2803301, 0.3434434, 0.7803301]], [[0.4166667, 0.125, 0.5833333, 0.375], [0.3821489, 0.0732233, 0.6178511, 0.4267767], [0.3821489, 0.1616117, 0.6178511, 0.3383883], [0.4410744, 0.0732233, 0.5589256, 0.4267767], [0.25, -0.125, 0.75, 0.625], [0.1938138, -0.2092793, 0.8061862, 0.7092793], [0.1464466, -0.015165, 0.8535534, 0.515165], [0.3232233, -0.2803301, 0.6767767, 0.7803301]], [[0.75, 0.125, 0.9166667, 0.375], [0.7154822, 0.0732233, 0.9511845, 0.4267767], [0.7154822, 0.1616117, 0.9511845, 0.3383883], [0.7744078, 0.0732233, 0.8922589, 0.4267767], [0.5833333, -0.125, 1.0833333, 0.625], [0.5271471, -0.2092793, 1.1395196, 0.7092793], [0.4797799, -0.015165, 1.1868867, 0.515165], [0.6565566, -0.2803301, 1.01011, 0.7803301]]], [[[0.0833333, 0.625, 0.25, 0.875], [0.0488155, 0.5732233, 0.2845178, 0.9267767], [0.0488155, 0.6616117, 0.2845178, 0.8383883], [0.1077411, 0.5732233, 0.2255922, 0.9267767], [-0.0833333, 0.375, 0.4166667, 1.125], [-0.1395196, 0.2907207, 0.4728529, 1.2092793], [-0.1868867, 0.484835, 0.5202201, 1.015165], [-0.01011, 0.2196699, 0.3434434, 1.2803301]], [[0.4166667, 0.625, 0.5833333, 0.875], [0.3821489, 0.5732233, 0.6178511, 0.9267767], [0.3821489, 0.6616117, 0.6178511, 0.8383883], [0.4410744, 0.5732233, 0.5589256, 0.9267767], [0.25, 0.375, 0.75, 1.125], [0.1938138, 0.2907207, 0.8061862, 1.2092793], [0.1464466, 0.484835, 0.8535534, 1.015165], [0.3232233, 0.2196699, 0.6767767, 1.2803301]], [[0.75, 0.625, 0.9166667, 0.875], [0.7154822, 0.5732233, 0.9511845, 0.9267767], [0.7154822, 0.6616117, 0.9511845, 0.8383883], [0.7744078, 0.5732233, 0.8922589, 0.9267767], [0.5833333, 0.375, 1.0833333, 1.125], [0.5271471, 0.2907207, 1.1395196, 1.2092793], [0.4797799, 0.484835, 1.1868867, 1.015165], [0.6565566, 0.2196699, 1.01011, 1.2803301]]]];
const PB3 = [[[[-0.0875, -0.05, 0.2125, 0.25], [-0.1973076, 0.0133975, 0.3223076, 0.1866025]], [[0.1625, -0.05, 0.4625, 0.25], [0.0526924, 0.0133975, 0.5723076, 0.1866025]]]];
const DPB = [[[[0, 0, 0.25, 0.25], [0.25, 0, 0.5, 0.25], [0, 0.25, 0.25, 0.5], [0.25, 0.25, 0.5, 0.5], [0, 0.0625, 0.375, 0.1875], [0.125, 0.0625, 0.625, 0.1875], [0, 0.3125, 0.375, 0.4375], [0.125, 0.3125, 0.625, 0.4375], [0, 0, 0.5, 0.5], [0, 0.125, 0.75, 0.375]], [[0.5, 0, 0.75, 0.25], [0.75, 0, 1, 0.25], [0.5, 0.25, 0.75, 0.5], [0.75, 0.25, 1, 0.5], [0.375, 0.0625, 0.875, 0.1875], [0.625, 0.0625, 1, 0.1875], [0.375, 0.3125, 0.875, 0.4375], [0.625, 0.3125, 1, 0.4375], [0.5, 0, 1, 0.5], [0.25, 0.125, 1, 0.375]]], [[[0, 0.5, 0.25, 0.75], [0.25, 0.5, 0.5, 0.75], [0, 0.75, 0.25, 1], [0.25, 0.75, 0.5, 1], [0, 0.5625, 0.375, 0.6875], [0.125, 0.5625, 0.625, 0.6875], [0, 0.8125, 0.375, 0.9375], [0.125, 0.8125, 0.625, 0.9375], [0, 0.5, 0.5, 1], [0, 0.625, 0.75, 0.875]], [[0.5, 0.5, 0.75, 0.75], [0.75, 0.5, 1, 0.75], [0.5, 0.75, 0.75, 1], [0.75, 0.75, 1, 1], [0.375, 0.5625, 0.875, 0.6875], [0.625, 0.5625, 1, 0.6875], [0.375, 0.8125, 0.875, 0.9375], [0.625, 0.8125, 1, 0.9375], [0.5, 0.5, 1, 1], [0.25, 0.625, 1, 0.875]]]];
const AG = [[[[-15, -4, 30, 19], [-38, -16, 53, 31], [-3, -14, 18, 29], [-14, -36, 29, 51]], [[1, -4, 46, 19], [-22, -16, 69, 31], [13, -14, 34, 29], [2, -36, 45, 51]]]];

test('prior_box: min/max sizes, flipped ratios, clip, both orders (NumPy reference)', () => {
  const feat = zeros([1, 4, 2, 3]);
  const img = zeros([1, 3, 8, 12]);
  // ratios [1, 2, 1/2] per min size, then sqrt(min * max); min 6 at the corner needs clipping
  const [box, v] = L.prior_box(feat, img, [2, 6], [4, 9], [2], [0.1, 0.1, 0.2, 0.2], true, true);
  assert.deepEqual(box.shape, [2, 3, 8, 4]);
  assert.equal(box.stop_gradient, true);
  assertClose(box, PB1, 1e-6, 1e-7);
  assert.deepEqual(v.shape, [2, 3, 8, 4]);
  assertClose(v.getitem(1, 2, 7), [0.1, 0.1, 0.2, 0.2]);
  // Caffe's order: min, max, then the ratios other than 1; no clipping
  const [box2] = L.prior_box(feat, img, [2, 6], [4, 9], [2], [0.1, 0.1, 0.2, 0.2], true, false, { min_max_aspect_ratios_order: true });
  assertClose(box2, PB2, 1e-6, 1e-7);
  // explicit steps and offset; a ratio equal to one already present is dropped
  const [box3] = L.prior_box(zeros([1, 1, 1, 2]), zeros([1, 1, 10, 10]), 3, null, [1, 3], { steps: [2.5, 4], offset: 0.25 });
  assert.deepEqual(box3.shape, [1, 2, 2, 4]);
  assertClose(box3, PB3, 1e-6, 1e-7);
  // float64 inputs give float64 boxes
  assert.equal(L.prior_box(zeros([1, 1, 2, 2], 'float64'), img, [2])[0].dtype, 'float64');
});

test('prior_box: argument checks', () => {
  const feat = zeros([1, 4, 2, 3]);
  const img = zeros([1, 3, 8, 12]);
  assertThrows(() => L.prior_box(feat, img, [4], [2]), E, /max_sizes\[0\] \(2\) must be greater than min_sizes\[0\] \(4\)/);
  assertThrows(() => L.prior_box(feat, img, [2, 3], [4]), E, /same length/);
  assertThrows(() => L.prior_box(feat, img, [2], null, [1], [0.1, 0.1, 0.2]), E, /variances must have 4/);
  assertThrows(() => L.prior_box(feat, img, [2], null, [1], [0.1, 0.1, 0.2, 0.2], false, false, [1, 2, 3]), E, /steps should be a list or tuple with length 2/);
  assertThrows(() => L.prior_box(zeros([4, 2, 3]), img, [2]), E, /Input must be a 4-D/);
  assertThrows(() => L.prior_box(zeros([1, 4, 2, 3], 'int32'), img, [2]), E, /input/);
});

test('density_prior_box: density grids per fixed size and ratio (NumPy reference), flatten_to_2d', () => {
  const feat = zeros([1, 2, 2, 2]);
  const img = zeros([1, 3, 16, 16]);
  // densities [2, 1] with ratios [1, 4]: 2*2*2 + 1*1*2 = 10 priors per position
  const [box, v] = L.density_prior_box(feat, img, [2, 1], [4, 8], [1, 4], [0.1, 0.1, 0.2, 0.2], true);
  assert.deepEqual(box.shape, [2, 2, 10, 4]);
  assertClose(box, DPB, 1e-6, 1e-7);
  assert.deepEqual(v.shape, [2, 2, 10, 4]);
  const [flat, fv] = L.density_prior_box(feat, img, [2, 1], [4, 8], [1, 4], [0.1, 0.1, 0.2, 0.2], true, { flatten_to_2d: true });
  assert.deepEqual(flat.shape, [40, 4]);
  assert.deepEqual(fv.shape, [40, 4]);
  assertClose(flat, DPB, 1e-6, 1e-7);
  assertThrows(() => L.density_prior_box(feat, img, [2], [4, 8], [1]), E, /densities and fixed_sizes length should be euqal/);
  assertThrows(() => L.density_prior_box(zeros([1, 2, 16, 16]), img, [1], [4], [1]), E, /smaller than the image/);
});

test('anchor_generator: Faster R-CNN anchors (NumPy reference)', () => {
  const [an, v] = L.anchor_generator(zeros([1, 8, 1, 2]), [32, 64], [0.5, 2], [0.1, 0.1, 0.2, 0.2], [16, 16], 0.5);
  assert.deepEqual(an.shape, [1, 2, 4, 4]);
  assertClose(an, AG, 1e-6, 1e-6);
  assertClose(v.getitem(0, 1, 3), [0.1, 0.1, 0.2, 0.2]);
  assertThrows(() => L.anchor_generator(zeros([1, 8, 1, 2]), [32], [1]), E, /stride should be a list or tuple with length 2/);
  assertThrows(() => L.anchor_generator(zeros([1, 8, 1, 2]), null, [1], [0.1, 0.1, 0.2, 0.2], [16, 16]), E, /anchor_sizes must be given/);
});

test('prior boxes in a static program: shapes from the feature map, values after running', () => {
  const feedFeat = zeros([1, 4, 2, 3]);
  const feedImg = zeros([1, 3, 8, 12]);
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const out = paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const feat = paddle.static.data('feat', [-1, 4, 2, 3], 'float32');
      const img = paddle.static.data('img', [-1, 3, 8, 12], 'float32');
      const [box] = L.prior_box(feat, img, [2, 6], [4, 9], [2], [0.1, 0.1, 0.2, 0.2], true, true);
      const [dbox] = L.density_prior_box(feat, img, [1], [4], [1], [0.1, 0.1, 0.2, 0.2], false, [0, 0], 0.5, true);
      const [an] = L.anchor_generator(feat, [16], [1], [0.1, 0.1, 0.2, 0.2], [4, 4]);
      assert.deepEqual(box.shape, [2, 3, 8, 4]);
      assert.deepEqual(dbox.shape, [6, 4]);
      assert.deepEqual(an.shape, [2, 3, 1, 4]);
      assert.deepEqual(main.global_block().ops.map((o) => o.type), ['prior_box', 'density_prior_box', 'anchor_generator']);
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      return exe.run(main, { feed: { feat: feedFeat, img: feedImg }, fetch_list: [box] });
    });
    assertClose(out[0], PB1, 1e-6, 1e-7);
  } finally {
    paddle.disable_static();
  }
});
