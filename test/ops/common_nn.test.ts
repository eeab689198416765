// Common nn operators: one_hot(_v2), label_smooth, pixel_shuffle, unfold, grid_sampler,
// affine_grid, temporal_shift, diag_embed, bilinear_tensor_product, with F.normalize and
// F.cosine_similarity. Expected values come from NumPy (reference implementations written
// from the definitions; grid_sample's padding follows PyTorch's reflect_coordinates) or from
// Paddle's docstrings; every differentiable op is checked by finite differences.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { run1 } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;
const E = paddle.errors.InvalidArgumentError;
const f64 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float64' });

test('one_hot: ids to float32 one-hot rows (Paddle docstring example), int32 ids, depth tensor', () => {
  const out = F.one_hot(paddle.to_tensor([1, 1, 3, 0]), 4);
  assert.equal(out.dtype, 'float32');
  assert.deepEqual(out.tolist(), [[0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]]);
  const o2 = F.one_hot(paddle.to_tensor([[2, 0], [1, 2]], { dtype: 'int32' }), { num_classes: 3 });
  assert.deepEqual(o2.shape, [2, 2, 3]);
  assert.deepEqual(o2.tolist(), [[[0, 0, 1], [1, 0, 0]], [[0, 1, 0], [0, 0, 1]]]);
  assert.deepEqual(F.one_hot(paddle.to_tensor([2]), paddle.to_tensor([3], { dtype: 'int32' })).tolist(), [[0, 0, 1]]);
  // Paddle's docstring: id 5 with 4 classes is an error
  assertThrows(() => F.one_hot(paddle.to_tensor([1, 1, 5, 0]), 4), E, /one_hot/, /less than the depth/, /got 5/);
  assertThrows(() => F.one_hot(paddle.to_tensor([-1]), 4), E, /at least 0/);
  assertThrows(() => F.one_hot(paddle.to_tensor([1.5]), 4), E, /int32, int64/);
  assertThrows(() => F.one_hot(paddle.to_tensor([1]), 0), E, /positive/);
  // the operators: allow_out_of_range gives zero rows; the 1.x one_hot takes [N, 1] ids
  const oor = run1('one_hot_v2', { X: [paddle.to_tensor([1, 7, -2])] }, { depth: 3, allow_out_of_range: true });
  assert.deepEqual(oor.tolist(), [[0, 1, 0], [0, 0, 0], [0, 0, 0]]);
  const v1 = run1('one_hot', { X: [paddle.to_tensor([[1], [0]])] }, { depth: 2, dtype: 6 });
  assert.equal(v1.dtype, 'float64');
  assert.deepEqual(v1.tolist(), [[0, 1], [1, 0]]);
  assertThrows(() => run1('one_hot', { X: [paddle.to_tensor([[1, 0]])] }, { depth: 2 }), E, /last dimension of X must be 1/);
});

test('label_smooth: uniform prior (docstring values), prior_dist, gradient, errors', () => {
  const label = paddle.to_tensor([[[0, 1, 0], [1, 0, 1]]], { dtype: 'float32' });
  // Paddle's docstring: [[[0.03333334 0.93333334 0.03333334] [0.93333334 0.03333334 0.93333334]]]
  assertClose(F.label_smooth(label), [0.03333334, 0.93333334, 0.03333334, 0.93333334, 0.03333334, 0.93333334]);
  const l2 = f64([[0, 1, 0], [1, 0, 0]]);
  // NumPy: 0.8 * L + 0.2 * [0.2, 0.5, 0.3]
  assertClose(F.label_smooth(l2, f64([[0.2, 0.5, 0.3]]), 0.2), [0.04, 0.9, 0.06, 0.84, 0.1, 0.06], 1e-12, 1e-12);
  assertClose(F.label_smooth(l2, { epsilon: 0.1 }), [0.0333333333, 0.933333333, 0.0333333333, 0.933333333, 0.0333333333, 0.0333333333], 1e-8, 1e-9);
  checkGrad((t) => F.label_smooth(t, f64([[0.2, 0.5, 0.3]]), 0.3), [randTensor([2, 3])]);
  assertThrows(() => F.label_smooth(l2, null, 1.5), E, /epsilon must be between 0 and 1/);
  assertThrows(() => F.label_smooth(l2, f64([[0.5, 0.5]])), E, /PriorDist/, /3/);
  assertThrows(() => F.label_smooth(paddle.to_tensor([[1, 0]])), E, /'label'/, /float32, float64/);
});

test('pixel_shuffle: NCHW and NHWC against NumPy reshape/transpose; gradient; errors', () => {
  const x = paddle.arange(96, undefined, undefined, 'float64').reshape([2, 8, 2, 3]);
  const ps = F.pixel_shuffle(x, 2);
  assert.deepEqual(ps.shape, [2, 2, 4, 6]);
  assertClose(ps, [0, 6, 1, 7, 2, 8, 12, 18, 13, 19, 14, 20, 3, 9, 4, 10, 5, 11, 15, 21, 16, 22, 17, 23, 24, 30, 25, 31, 26, 32, 36, 42, 37, 43, 38, 44, 27, 33, 28, 34, 29, 35, 39, 45, 40, 46, 41, 47,
    48, 54, 49, 55, 50, 56, 60, 66, 61, 67, 62, 68, 51, 57, 52, 58, 53, 59, 63, 69, 64, 70, 65, 71, 72, 78, 73, 79, 74, 80, 84, 90, 85, 91, 86, 92, 75, 81, 76, 82, 77, 83, 87, 93, 88, 94, 89, 95]);
  // the same content in NHWC gives the NCHW result transposed
  const xh = paddle.transpose(x, [0, 2, 3, 1]);
  const ph = F.pixel_shuffle(xh, 2, 'NHWC');
  assert.deepEqual(ph.shape, [2, 4, 6, 2]);
  assertClose(ph, paddle.transpose(ps, [0, 2, 3, 1]));
  assert.deepEqual(F.pixel_shuffle(paddle.ones([2, 9, 4, 4]), 3).shape, [2, 1, 12, 12]);
  checkGrad((t) => F.pixel_shuffle(t, 2), [randTensor([1, 8, 2, 3])]);
  checkGrad((t) => F.pixel_shuffle(t, 2, 'NHWC'), [randTensor([1, 2, 3, 8])]);
  // the grad op differentiates again: pixel_shuffle_grad's adjoint is pixel_shuffle
  checkGrad((t) => run1('pixel_shuffle_grad', { 'Out@GRAD': [t] }, { upscale_factor: 2 }, 'X@GRAD'), [randTensor([1, 2, 4, 2])]);
  assertThrows(() => F.pixel_shuffle(paddle.ones([1, 6, 2, 2]), 2), E, /square of upscale_factor \(4\) must divide the number of channels \(6\)/);
  assertThrows(() => F.pixel_shuffle(paddle.ones([4, 2, 2]), 2), E, /4-D/);
  assertThrows(() => F.pixel_shuffle(paddle.ones([1, 4, 2, 2]), 2, 'NCL' as never), E, /data_format/);
  assertThrows(() => F.pixel_shuffle(paddle.ones([1, 4, 2, 2]), 1.5), E, /'upscale_factor'/);
});

test('unfold: im2col against NumPy with strides, 4-value paddings, dilations; gradient (col2im)', () => {
  const x = paddle.arange(40, undefined, undefined, 'float64').reshape([1, 2, 4, 5]);
  const y = F.unfold(x, [2, 3], [2, 1], [1, 0, 0, 2], [1, 2]);
  assert.deepEqual(y.shape, [1, 12, 6]);
  assertClose(y, [0, 0, 0, 5, 6, 7, 0, 0, 0, 7, 8, 9, 0, 0, 0, 9, 0, 0, 0, 1, 2, 10, 11, 12, 2, 3, 4, 12, 13, 14, 4, 0, 0, 14, 0, 0,
    0, 0, 0, 25, 26, 27, 0, 0, 0, 27, 28, 29, 0, 0, 0, 29, 0, 0, 20, 21, 22, 30, 31, 32, 22, 23, 24, 32, 33, 34, 24, 0, 0, 34, 0, 0]);
  const y2 = F.unfold(x, 2);
  assert.deepEqual(y2.shape, [1, 8, 12]);
  assertClose(y2.getitem(0, 0), [0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13]);
  assertClose(y2.getitem(0, 7), [26, 27, 28, 29, 31, 32, 33, 34, 36, 37, 38, 39]);
  // paddings [ph, pw] expand to [ph, pw, ph, pw]; the docstring's shape example
  assert.deepEqual(F.unfold(paddle.ones([2, 3, 6, 6]), [3, 3], 1, [1, 2]).shape, [2, 27, 6 * 8]);
  assert.deepEqual(F.unfold(paddle.ones([1, 3, 9, 9]), [3, 3], 1, 1, 1).shape, [1, 27, 81]);
  checkGrad((t) => F.unfold(t, [2, 3], [2, 1], [1, 0, 0, 2], [1, 2]), [randTensor([1, 2, 4, 5])], { second: false });
  checkGrad((t) => F.unfold(t, 2, 1, 1), [randTensor([2, 1, 3, 3])]);
  checkGrad((t) => run1('unfold_grad', { X: [paddle.zeros([1, 1, 3, 3], 'float64')], 'Y@GRAD': [t] }, { kernel_sizes: [2, 2], strides: [1, 1], paddings: [0, 0, 0, 0], dilations: [1, 1] }, 'X@GRAD'),
    [randTensor([1, 4, 4])]);
  assertThrows(() => F.unfold(paddle.ones([1, 2, 3]), 2), E, /\[N, C, H, W\]/);
  assertThrows(() => F.unfold(paddle.ones([1, 1, 2, 2]), 3), E, /output size is not positive/);
  assertThrows(() => F.unfold(paddle.ones([1, 1, 4, 4]), 2, 1, [1, 2, 3]), E, /paddings should either be an integer or a list of 2 or 4 integers/);
  assertThrows(() => F.unfold(paddle.ones([1, 1, 4, 4]), [2, 2, 2]), E, /kernel_sizes/);
  assertThrows(() => F.unfold(paddle.ones([1, 1, 4, 4]), 2, 0), E, /strides/);
});

// x[0, c, h, w] = 0.5 * (12c + 4h + w) - 3, grid points (x, y) from inside, edges and outside
const GS_X = () => paddle.arange(24, undefined, undefined, 'float64').reshape([1, 2, 3, 4]).scale(0.5, -3);
const GS_G = () => f64([-1.7, -1.2, -0.93, 0.41, -0.35, -0.8, 0.22, 0.66, 0.77, -0.14, 1.35, 1.9]).reshape([1, 2, 3, 2]);
const GS_EXPECTED: Record<string, number[]> = {
  bilinear_zeros_true: [0.0, -0.1275, -2.1125, 1.235, 0.0475, 0.11875, 0.0, 5.8725, 3.8875, 7.235, 6.0475, 0.40375],
  bilinear_zeros_false: [0.0, 0.1472, -2.08, 1.95, 0.0768, 0.0, 0.0, 3.9872, 2.72, 7.95, 5.8368, 0.0],
  bilinear_border_true: [-3.0, -0.1275, -2.1125, 1.235, 0.0475, 2.5, 3.0, 5.8725, 3.8875, 7.235, 6.0475, 8.5],
  bilinear_border_false: [-3.0, 0.23, -2.6, 1.95, 0.08, 2.5, 3.0, 6.23, 3.4, 7.95, 6.08, 8.5],
  bilinear_reflection_true: [-2.075, -0.1275, -2.1125, 1.235, 0.0475, 0.4375, 3.925, 5.8725, 3.8875, 7.235, 6.0475, 6.4375],
  bilinear_reflection_false: [-2.55, 0.23, -2.6, 1.95, 0.08, 0.7, 3.45, 6.23, 3.4, 7.95, 6.08, 6.7],
  nearest_zeros_true: [0.0, -1.0, -2.5, 2.0, 0.5, 0.0, 0.0, 5.0, 3.5, 8.0, 6.5, 0.0],
  nearest_zeros_false: [0.0, 1.0, -2.5, 2.0, 0.5, 0.0, 0.0, 7.0, 3.5, 8.0, 6.5, 0.0],
  nearest_border_true: [-3.0, -1.0, -2.5, 2.0, 0.5, 2.5, 3.0, 5.0, 3.5, 8.0, 6.5, 8.5],
  nearest_border_false: [-3.0, 1.0, -2.5, 2.0, 0.5, 2.5, 3.0, 7.0, 3.5, 8.0, 6.5, 8.5],
  nearest_reflection_true: [-2.5, -1.0, -2.5, 2.0, 0.5, 0.0, 3.5, 5.0, 3.5, 8.0, 6.5, 6.0],
  nearest_reflection_false: [-2.5, 1.0, -2.5, 2.0, 0.5, 0.5, 3.5, 7.0, 3.5, 8.0, 6.5, 6.5],
};

test('grid_sample: bilinear / nearest x zeros / border / reflection x align_corners, against NumPy', () => {
  for (const mode of ['bilinear', 'nearest'] as const)
    for (const padding_mode of ['zeros', 'border', 'reflection'] as const)
      for (const align_corners of [true, false]) {
        for (const dtype of ['float64', 'float32'] as const) {
          const out = F.grid_sample(GS_X().astype(dtype), GS_G().astype(dtype), { mode, padding_mode, align_corners });
          assert.deepEqual(out.shape, [1, 2, 2, 3]);
          assert.equal(out.dtype, dtype);
          assertClose(out, GS_EXPECTED[`${mode}_${padding_mode}_${align_corners}`], 1e-5, 1e-5, `${mode} ${padding_mode} ${align_corners} ${dtype}`);
        }
      }
  // defaults: bilinear, zeros, align_corners=True
  assertClose(F.grid_sample(GS_X(), GS_G()), GS_EXPECTED.bilinear_zeros_true, 1e-9, 1e-9);
  // nearest rounds halves away from zero (C++ round): x = -0.5 pixels lies outside
  const x = f64([1, 2, 3]).reshape([1, 1, 1, 3]);
  const g = f64([-1.5, 0, -0.5, 0]).reshape([1, 1, 2, 2]); // pixel x = -0.5 and 0.5 (align_corners, W = 3)
  assertClose(F.grid_sample(x, g, { mode: 'nearest' }), [0, 2]);
  // a height of 1 with reflection: every y reflects onto row 0 (no 0/0)
  assertClose(F.grid_sample(x, f64([0, 0.7, 0.5, -3]).reshape([1, 1, 2, 2]), { padding_mode: 'reflection' }), [2, 2.5]);
});

test('grid_sample gradients (x and grid) by finite differences, every padding mode', () => {
  // grid points away from pixel boundaries and clipping kinks, so the function is smooth there
  const grid = f64([-0.83, -0.41, 0.37, 0.18, 1.36, -0.62, -1.24, 0.71, 0.06, 0.93, -0.57, 1.42]).reshape([1, 2, 3, 2]);
  const x = randTensor([1, 2, 3, 4]);
  for (const padding_mode of ['zeros', 'border', 'reflection'] as const)
    for (const align_corners of [true, false])
      checkGrad((a, b) => F.grid_sample(a, b, { padding_mode, align_corners }), [x, grid], { rtol: 1e-4, atol: 1e-6 });
  // nearest: x gets the routed gradient, the grid none
  const xs = randTensor([1, 2, 3, 4]);
  checkGrad((a) => F.grid_sample(a, grid, { mode: 'nearest', padding_mode: 'reflection' }), [xs]);
  const gg = grid.clone();
  gg.stop_gradient = false;
  F.grid_sample(xs, gg, { mode: 'nearest' }).sum().backward();
  assert.deepEqual(Array.from(gg.grad!.numpy() as Float64Array), new Array(12).fill(0));
});

test('grid_sample: errors', () => {
  const x = paddle.ones([1, 2, 3, 4]);
  assertThrows(() => F.grid_sample(x, paddle.ones([1, 2, 3, 3])), E, /last dimension of Grid should be 2/);
  assertThrows(() => F.grid_sample(x, paddle.ones([2, 2, 3, 2])), E, /same batch size/);
  assertThrows(() => F.grid_sample(paddle.ones([2, 3, 4]), paddle.ones([2, 3, 4, 2])), E, /4-D/);
  assertThrows(() => F.grid_sample(x, paddle.ones([1, 2, 3, 2]), { mode: 'bicubic' as never }), E, /'mode'/, /bilinear/);
  assertThrows(() => F.grid_sample(x, paddle.ones([1, 2, 3, 2]), { padding_mode: 'reflect' as never }), E, /'padding_mode'/);
  assertThrows(() => F.grid_sample(x, paddle.ones([1, 2, 3, 2], 'float64')), E, /Grid must have X's dtype/);
});

test('affine_grid: NumPy values for align_corners True/False, out_shape as a Tensor, gradient', () => {
  const theta = f64([[[1.0, 0.2, -0.3], [0.1, 0.9, 0.5]], [[0.5, -1.0, 0.0], [2.0, 0.3, -0.7]]]);
  const expTrue = [-1.5, -0.5, -0.833333333, -0.433333333, -0.166666667, -0.366666667, 0.5, -0.3, -1.3, 0.4, -0.633333333, 0.466666667, 0.0333333333, 0.533333333, 0.7, 0.6, -1.1, 1.3, -0.433333333, 1.36666667, 0.233333333, 1.43333333, 0.9, 1.5,
    0.5, -3.0, 0.833333333, -1.66666667, 1.16666667, -0.333333333, 1.5, 1.0, -0.5, -2.7, -0.166666667, -1.36666667, 0.166666667, -0.0333333333, 0.5, 1.3, -1.5, -2.4, -1.16666667, -1.06666667, -0.833333333, 0.266666667, -0.5, 1.6];
  const expFalse = [-1.18333333, -0.175, -0.683333333, -0.125, -0.183333333, -0.075, 0.316666667, -0.025, -1.05, 0.425, -0.55, 0.475, -0.05, 0.525, 0.45, 0.575, -0.916666667, 1.025, -0.416666667, 1.075, 0.0833333333, 1.125, 0.583333333, 1.175,
    0.291666667, -2.4, 0.541666667, -1.4, 0.791666667, -0.4, 1.04166667, 0.6, -0.375, -2.2, -0.125, -1.2, 0.125, -0.2, 0.375, 0.8, -1.04166667, -2.0, -0.791666667, -1.0, -0.541666667, 0, -0.291666667, 1.0];
  const g = F.affine_grid(theta, [2, 1, 3, 4]);
  assert.deepEqual(g.shape, [2, 3, 4, 2]);
  assertClose(g, expTrue, 1e-7, 1e-8);
  assertClose(F.affine_grid(theta, [2, 1, 3, 4], false), expFalse, 1e-7, 1e-8);
  assertClose(F.affine_grid(theta, paddle.to_tensor([2, 1, 3, 4], { dtype: 'int32' }), { align_corners: false }), expFalse, 1e-7, 1e-8);
  assertClose(F.affine_grid(theta.astype('float32'), [2, 1, 3, 4]), expTrue, 1e-5, 1e-6);
  // the identity map reproduces the base grid
  assertClose(F.affine_grid(f64([[[1, 0, 0], [0, 1, 0]]]), [1, 1, 2, 3]), [-1, -1, 0, -1, 1, -1, -1, 1, 0, 1, 1, 1]);
  checkGrad((t) => F.affine_grid(t, [2, 3, 3, 4]), [randTensor([2, 2, 3])]);
  checkGrad((t) => F.affine_grid(t, [1, 1, 4, 2], false), [randTensor([1, 2, 3])]);
  // affine_grid_grad differentiates again
  checkGrad((t) => run1('affine_grid_grad', { 'Output@GRAD': [t] }, { output_shape: [1, 1, 2, 3] }, 'Theta@GRAD'), [randTensor([1, 2, 3, 2])]);
  assertThrows(() => F.affine_grid(f64([[1, 0, 0], [0, 1, 0]]), [1, 1, 2, 2]), E, /Theta must be 3-D/);
  assertThrows(() => F.affine_grid(f64([[[1, 0], [0, 1]]]), [1, 1, 2, 2]), E, /\[N, 2, 3\]/);
  assertThrows(() => F.affine_grid(theta, [2, 3, 4]), E, /output_shape must hold 4 integers/);
  assertThrows(() => F.affine_grid(theta, 'x' as never), E, /'out_shape'/);
});

test('temporal_shift: NumPy TSM reference, gradient, errors', () => {
  const x = paddle.arange(48, undefined, undefined, 'float64').reshape([6, 4, 1, 2]);
  assertClose(F.temporal_shift(x, 3), [0, 0, 10, 11, 4, 5, 6, 7, 0, 1, 18, 19, 12, 13, 14, 15, 8, 9, 0, 0, 20, 21, 22, 23,
    0, 0, 34, 35, 28, 29, 30, 31, 24, 25, 42, 43, 36, 37, 38, 39, 32, 33, 0, 0, 44, 45, 46, 47]);
  // C = 10, ratio 0.3: c1 = 3, c2 = 6
  const x2 = paddle.arange(40, undefined, undefined, 'float32').reshape([4, 10, 1, 1]);
  assertClose(F.temporal_shift(x2, 2, 0.3), [0, 0, 0, 13, 14, 15, 6, 7, 8, 9, 0, 1, 2, 0, 0, 0, 16, 17, 18, 19,
    0, 0, 0, 33, 34, 35, 26, 27, 28, 29, 20, 21, 22, 0, 0, 0, 36, 37, 38, 39]);
  checkGrad((t) => F.temporal_shift(t, 2, 0.25), [randTensor([4, 4, 2, 1])]);
  checkGrad((t) => run1('temporal_shift_grad', { 'Out@GRAD': [t] }, { seg_num: 3, shift_ratio: 0.25 }, 'X@GRAD'), [randTensor([3, 4, 1, 2])]);
  assertThrows(() => F.temporal_shift(paddle.ones([5, 4, 2, 2]), 2), E, /divisible by seg_num/);
  assertThrows(() => F.temporal_shift(paddle.ones([4, 4, 2]), 2), E, /4-D/);
  assertThrows(() => F.temporal_shift(paddle.ones([4, 4, 2, 2]), 2, 0.5), E, /shift_ratio/);
  assertThrows(() => F.temporal_shift(paddle.ones([4, 4, 2, 2]), 0), E, /seg_num/);
});

test('diag_embed: offsets and dim1/dim2 against NumPy; ints; not differentiable; errors', () => {
  const x = paddle.to_tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
  const d0 = F.diag_embed(x);
  assert.deepEqual(d0.shape, [2, 3, 3]);
  assertClose(d0, [1, 0, 0, 0, 2, 0, 0, 0, 3, 4, 0, 0, 0, 5, 0, 0, 0, 6]);
  const d1 = F.diag_embed(x, 1, 0, 2);
  assert.deepEqual(d1.shape, [4, 2, 4]);
  assertClose(d1, [0, 1, 0, 0, 0, 4, 0, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 0, 3, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0]);
  const d2 = F.diag_embed(x, { offset: -2, dim1: 2, dim2: 0 });
  assert.deepEqual(d2.shape, [5, 2, 5]);
  assertClose(d2, [0, 0, 1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 6,
    ...new Array(20).fill(0)]);
  const di = F.diag_embed(paddle.to_tensor([7, 8]));
  assert.equal(di.dtype, 'int64');
  assert.deepEqual(di.tolist(), [[7, 0], [0, 8]]);
  assert.deepEqual(F.diag_embed([1, 2] as never).shape, [2, 2]);
  const xg = f64([1, 2]);
  xg.stop_gradient = false;
  assert.equal(F.diag_embed(xg).stop_gradient, true);
  assertThrows(() => F.diag_embed(x, 0, 1, -2), E, /dim1 and dim2 cannot be the same/);
  assertThrows(() => F.diag_embed(x, 0, 4), E, /dim1 is out of range/);
  assertThrows(() => F.diag_embed(x, 0, -4), E, /dim1 is out of range/);
  assertThrows(() => F.diag_embed(paddle.to_tensor([true])), E, /int32, int64, float16, float32, float64/);
});

test('bilinear (bilinear_tensor_product): NumPy einsum values, gradients of all inputs, errors', () => {
  const x1 = f64([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]]);
  const x2 = f64([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5], [0.0, -2.0, 1.0]]);
  const w = paddle.arange(12, undefined, undefined, 'float64').reshape([2, 2, 3]).scale(0.1, -0.5);
  const b = f64([[0.25, -1.0]]);
  assertClose(F.bilinear(x1, x2, w, b), [-0.35, -1.6, -0.025, -2.325, 1.75, -1.3], 1e-12, 1e-12);
  assertClose(F.bilinear(x1, x2, w), [-0.6, -0.6, -0.275, -1.325, 1.5, -0.3], 1e-12, 1e-12);
  assert.deepEqual(F.bilinear(paddle.ones([5, 5]), paddle.ones([5, 4]), paddle.ones([7, 5, 4])).shape, [5, 7]);
  checkGrad((a, c, d, e) => F.bilinear(a, c, d, e), [randTensor([3, 2]), randTensor([3, 4]), randTensor([5, 2, 4]), randTensor([1, 5])], { second: true });
  checkGrad((a, c, d) => F.bilinear(a, c, d), [randTensor([2, 3]), randTensor([2, 2]), randTensor([2, 3, 2])]);
  assertThrows(() => F.bilinear(x1, x2, paddle.ones([2, 3, 3], 'float64')), E, /second dimension of X/);
  assertThrows(() => F.bilinear(x1, f64([[1, 2, 3]]), w), E, /batch size/);
  assertThrows(() => F.bilinear(x1, x2, w, f64([0.25, -1])), E, /Bias must be a 2-D row vector/);
  assertThrows(() => F.bilinear(paddle.ones([3, 2], 'int32'), x2, w), E, /'x1'/);
});

test('normalize: p = 1, 2, 3 on axes 0, 1, -1 against NumPy; epsilon floor; gradient', () => {
  const x = f64([[1, -2, 3], [-4, 5, 0.5]]);
  const exp: Record<string, number[]> = {
    '1_0': [0.2, -0.285714286, 0.857142857, -0.8, 0.714285714, 0.142857143],
    '1_1': [0.166666667, -0.333333333, 0.5, -0.421052632, 0.526315789, 0.0526315789],
    '2_0': [0.242535625, -0.371390676, 0.986393924, -0.9701425, 0.928476691, 0.164398987],
    '2_1': [0.267261242, -0.534522484, 0.801783726, -0.622799155, 0.778498944, 0.0778498944],
  };
  for (const p of [1, 2]) for (const axis of [0, 1]) assertClose(F.normalize(x, p, axis), exp[`${p}_${axis}`], 1e-8, 1e-9, `p=${p} axis=${axis}`);
  assertClose(F.normalize(x), exp['2_1'], 1e-8, 1e-9);
  assertClose(F.normalize(x, { p: 3, axis: -1 }), [0.302853432, -0.605706864, 0.908560296, -0.696857017, 0.871071271, 0.0871071271], 1e-8, 1e-9);
  assertClose(F.normalize(paddle.to_tensor([[3, 4]], { dtype: 'float32' })), [0.6, 0.8]);
  // a zero vector stays zero (its norm is floored at epsilon)
  assertClose(F.normalize(f64([[0, 0], [3, 4]])), [0, 0, 0.6, 0.8]);
  assertClose(F.normalize(f64([[1e-3, 0]]), 2, 1, 1), [1e-3, 0]);
  checkGrad((t) => F.normalize(t), [randTensor([3, 4])]);
  checkGrad((t) => F.normalize(t, 1, 0), [randTensor([3, 4], 0.2, 1)]);
  assertThrows(() => F.normalize(f64([1, 2]), 2, 1), E, /Axis must be 0 or -1 when x is a 1-D tensor/);
  assertThrows(() => F.normalize(paddle.to_tensor([[1, 2]])), E, /'x'/);
});

test('cosine_similarity: Paddle docstring values, axis 0, broadcasting, gradient', () => {
  const x1 = paddle.to_tensor([[0.8024077, 0.9927354, 0.27238318, 0.8344984], [0.48949873, 0.5797396, 0.65444374, 0.66510963],
    [0.1031398, 0.9614342, 0.08365563, 0.6796464], [0.10760343, 0.7461209, 0.7726148, 0.5801006]], { dtype: 'float32' });
  const x2 = paddle.to_tensor([[0.62913156, 0.1536727, 0.9847992, 0.04591406], [0.9098952, 0.15715368, 0.8671125, 0.3156102],
    [0.4427798, 0.54136837, 0.5276275, 0.32394758], [0.3769419, 0.8535014, 0.48041078, 0.9256797]], { dtype: 'float32' });
  assertClose(F.cosine_similarity(x1, x2), [0.5275037, 0.8368967, 0.75037485, 0.9245899], 1e-5, 1e-6);
  const a = f64([[0.3, -1.2, 2.0], [1.5, 0.4, -0.7]]);
  const b = f64([[1.0, 0.5, -0.2], [-0.3, 2.2, 0.9]]);
  assertClose(F.cosine_similarity(a, b, 0), [-0.0939225946, 0.0981158451, -0.527235435], 1e-8, 1e-9);
  assertClose(F.cosine_similarity(a, b, { axis: -1 }), [-0.262084067, -0.0490201968], 1e-8, 1e-9);
  // broadcasting a row against a batch
  assertClose(F.cosine_similarity(a, f64([[1.0, 0.5, -0.2]])), [-0.262084067, 0.95131418], 1e-7, 1e-8);
  // zero vectors give 0 (norms floored at eps)
  assertClose(F.cosine_similarity(f64([[0, 0]]), f64([[1, 1]])), [0]);
  checkGrad((p, q) => F.cosine_similarity(p, q), [randTensor([3, 4]), randTensor([3, 4])]);
  assertThrows(() => F.cosine_similarity(a, b, 2), E, /'axis' \(2\) is out of range/);
});

test('grad ops of the family run in static programs too', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [null, 8, 2, 3], 'float32');
      const y = F.pixel_shuffle(x, 2);
      assert.deepEqual(y.shape, [-1, 2, 4, 6]);
      const u = F.unfold(x, 2);
      assert.deepEqual(u.shape, [-1, 32, 2]);
      const t = paddle.static.data('t', [null, 2, 3], 'float32');
      assert.deepEqual(F.affine_grid(t, [4, 1, 5, 6]).shape, [-1, 5, 6, 2]);
      const os = paddle.static.data('os', [4], 'int32');
      assert.deepEqual(F.affine_grid(t, os).shape, [-1, -1, -1, 2]);
      const types = main.global_block().ops.map((o) => o.type);
      assert.deepEqual(types, ['pixel_shuffle', 'unfold', 'affine_grid', 'affine_grid']);
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      const theta = [[[1, 0, 0], [0, 1, 0]]];
      const outs = exe.run(main, { feed: { x: paddle.ones([1, 8, 2, 3]), t: theta, os: paddle.to_tensor([1, 1, 2, 3], { dtype: 'int32' }) }, fetch_list: [y] });
      assert.deepEqual((outs[0] as paddle.Tensor).shape, [1, 2, 4, 6]);
    });
  } finally {
    paddle.disable_static();
  }
});
