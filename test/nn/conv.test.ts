// nn.functional convolutions (conv1d/2d/3d and transposes) and the nn.Conv* layers:
// values against NumPy loops (computed offline with deterministic inputs x_i = ((7i mod 11)
// - 5) / 5, w_i = ((5i mod 7) - 3) / 4, b_i = ((i mod 3) - 1) / 2, so the expected values are
// exact in two decimals), the operators each API appends, gradients, layer parameters and
// their initialization, padding modes, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;
const nn = paddle.nn;
const E = paddle.errors.InvalidArgumentError;
type DT = 'float32' | 'float64';
const numel = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const seqX = (shape: number[], dtype: DT = 'float32'): Tensor =>
  paddle.to_tensor(Array.from({ length: numel(shape) }, (_, i) => (((i * 7) % 11) - 5) / 5), { dtype }).reshape(shape);
const seqW = (shape: number[], dtype: DT = 'float32'): Tensor =>
  paddle.to_tensor(Array.from({ length: numel(shape) }, (_, i) => (((i * 5) % 7) - 3) / 4), { dtype }).reshape(shape);
const seqB = (n: number, dtype: DT = 'float32'): Tensor =>
  paddle.to_tensor(Array.from({ length: n }, (_, i) => ((i % 3) - 1) / 2), { dtype });

// NumPy results (see the header).
const R: Record<string, { shape: number[]; y: number[] }> = {
  conv1d_ncl: { shape: [2, 4, 4], y: [-1.85, 0.6, -2.3, -0.4, 1.3, 0.45, 0.15, -0.6, 0.95, 1, 0.5, 0.6, -0.55, -0.65, 0.4, -1.1, 0.8, -0.7, -0.85, 0.45, -1.35, 0.05, 0.3, -0.05, 1.05, -0.95, 0.75, 0.85, -1.9, 0.75, -2.05, -0.1] },
  conv1d_nlc_same: { shape: [1, 6, 2], y: [-0.15, 0.6, -1, -0.6, 1.2, -0.35, -1, 1, 0.1, 0.15, 0.75, 0.65] },
  conv1d_depthwise: { shape: [1, 3, 5], y: [0.95, -0.5, 0.8, -0.65, -0.15, -0.4, 0, 0.4, -0.3, 0, -0.4, -0.65, 0.2, -0.05, 0.75] },
  conv2d_pairs_bias: { shape: [1, 3, 3, 3], y: [-2, 1.5, 1.05, -0.65, 2.05, -0.6, 1.1, -0.45, -2.55, -0.45, 1.85, -0.5, 1.85, -1.5, -1.5, 0.4, -2.6, -1.5, 1.8, -0.25, -0.65, 1.2, -2.25, 0.4, 0.4, -1.95, 2.35] },
  conv2d_nhwc_valid_bias: { shape: [1, 3, 3, 3], y: [1.3, -1.35, -0.5, 0.85, 1.15, 0.05, -1.25, 0.9, 0.6, 0.6, -0.7, 1.15, -0.95, 0.7, 0.6, -0.3, -0.65, 0.05, 0.45, -0.6, 1.15, -1.1, 0.8, 0.6, -1.55, -0.55, 1.15] },
  conv3d_bias: { shape: [1, 2, 2, 2, 2], y: [-0.05, -0.9, -1.15, -0.2, 0.15, 0, 0.25, -1.25, 0.3, 0.2, -0.65, 0.05, -0.3, -1.1, 0.55, -0.15] },
  conv1d_transpose: { shape: [1, 3, 6], y: [-1.5, -0.05, -0.4, -0.05, -0.4, -0.95, -1, -1.15, 0.25, 0, -0.15, 0.35, 1.25, -0.5, 0.2, 0.4, 0.8, 0.6] },
  conv1d_transpose_nlc: { shape: [1, 5, 2], y: [0.75, -0.55, -0.15, 0.6, -0.1, -0.75, 0.4, 0.2, -0.7, 0.7] },
  conv2d_transpose_output_size: { shape: [1, 3, 5, 6], y: [-1.65, -0.35, -0.2, -0.2, -0.4, -1.2, 0.05, -1.7, -0.8, -0.4, 0, -0.1, -0.45, -0.3, -0.25, 0.1, -0.05, -1, -0.05, 0.1, -0.25, -0.3, -0.45, -1.4, -1.4, -0.55, -0.6, -0.35, 0.2, -0.05, 0.45, 0.65, -0.1, -1, -0.1, 0.5, 0.4, 0.7, 0, 0.2, -0.4, 0.2, -0.5, 0.35, -0.1, -0.25, 0.3, 0.05, -0.1, -1, -0.1, -1, -0.1, 0.7, 0.3, -0.25, -0.1, 0.35, -0.5, 0.3, -0.6, 0.6, 0.7, 1, 0.9, 0.1, -0.65, 0.65, 0.8, 0.8, 0.6, -0.2, 1.2, 0.65, 0.4, 0.45, -0.4, 0.4, 0.55, 0.7, 0.75, 1.1, 0.95, 0, 0.95, 1.1, 0.75, 0.7, 0.55, -0.4] },
  conv3d_transpose_ndhwc_same: { shape: [1, 4, 4, 4, 1], y: [0.65, -0.8, 0.25, -0.95, 0.5, -0.95, 0.25, -0.8, 0.35, 1.2, -1.35, 0.45, -0.1, 0.45, -0.8, 0.6, 0.2, 0.5, -0.45, 0.2, 0.05, 0.35, 1.3, 0.35, -1.1, 0.1, 0, 0.1, -0.4, -0.2, 0.2, -0.2, -0.5, -0.8, 0.25, 1.3, 1.05, -1.7, 0.6, -0.6, 1.1, -0.4, -1.4, 0.15, -0.2, 1.05, -1.6, 1.05, 0.3, 0.4, -1.4, 0.1, 0.25, 0.35, -0.35, -0.2, -1.05, 0.1, 1.65, -1, -0.2, -0.2, 0.2, -0.2] },
  mode_reflect: { shape: [1, 2, 4, 3], y: [-1.65, -0.6, -1.25, -0.95, 0.1, -1.1, 0.3, -1.4, -0.95, 0.25, -1.45, -1, -0.3, 2.75, -2.5, 0.35, -0.45, -2.4, 0.9, 1.2, -2.4, 0.8, 1.1, -2.5] },
  mode_replicate: { shape: [1, 2, 4, 3], y: [-0.6, 1.05, -2.55, 0.1, 0.1, -2.4, -0.3, -1.4, -2.25, -0.25, -1.35, -2.2, -1.2, 1.15, -1.75, -1.7, -0.45, -1.7, 0.5, 1.2, -1.7, 0.45, 1.15, -1.75] },
  mode_circular: { shape: [1, 2, 4, 3], y: [0.6, -0.6, -1.6, 1.3, 0.1, -0.9, 2.55, -1.4, -0.75, 3.95, -1.1, -2.1, 0, 2.65, -2.2, 0.75, -0.45, -1.45, 1.3, 1.2, -2, -0.55, 2.1, -2.75] },
  conv1d_reflect_nlc: { shape: [1, 7, 3], y: [0.8, -0.45, 0.4, -0.15, 1.2, 0.45, 0.95, -0.3, 0.2, -0.55, 0.65, -0.25, 0.7, -0.6, -0.15, -0.55, 0.5, -0.2, 0.55, -0.75, 0.05] },
  conv3d_replicate: { shape: [1, 1, 3, 4, 3], y: [0.75, 0.05, -0.3, -0.15, -0.85, -1.2, -0.6, 1.45, 1.65, -0.15, 0.25, 0.45, 0.75, 1.15, -0.3, 2.05, 0.8, -1.2, -0.6, 1.45, 1.65, -0.15, 0.25, 0.45, -0.6, -0.2, 0, 1.8, -0.55, -0.9, -0.3, 1.75, 1.95, 0.15, 0.55, 0.75] },
};

function check(y: Tensor, key: string): void {
  assert.deepEqual(y.shape, R[key].shape, key);
  assertClose(y, R[key].y, 1e-5, 1e-5, key);
}

test('F.conv1d: NCL with stride, asymmetric padding and bias; NLC with same; depthwise with pair padding', () => {
  check(F.conv1d(seqX([2, 3, 7]), seqW([4, 3, 3]), seqB(4), 2, [1, 2]), 'conv1d_ncl');
  // 'same' (any case) resets the dilation to 1, as Paddle 2.0
  check(F.conv1d(seqX([1, 6, 4]), seqW([2, 4, 3]), { padding: 'same', dilation: 2, data_format: 'NLC' }), 'conv1d_nlc_same');
  check(F.conv1d(seqX([1, 3, 5]), seqW([3, 1, 2]), { padding: [[0, 0], [0, 0], [0, 1]], groups: 3 }), 'conv1d_depthwise');
  // keywords and positional agree
  const a = F.conv1d(seqX([2, 3, 7]), seqW([4, 3, 3]), { bias: seqB(4), stride: [2], padding: [1, 2] });
  check(a, 'conv1d_ncl');
});

test('F.conv2d: pairs padding with bias; NHWC valid with bias', () => {
  check(F.conv2d(seqX([1, 2, 4, 5]), seqW([3, 2, 3, 3]), seqB(3), [1, 2], [[0, 0], [0, 0], [1, 0], [2, 1]]), 'conv2d_pairs_bias');
  // the same padding as a flat [top, bottom, left, right] list
  check(F.conv2d(seqX([1, 2, 4, 5]), seqW([3, 2, 3, 3]), seqB(3), [1, 2], [1, 0, 2, 1]), 'conv2d_pairs_bias');
  check(F.conv2d(seqX([1, 4, 4, 2]), seqW([3, 2, 2, 2]), { bias: seqB(3), padding: 'VALID', data_format: 'NHWC' }), 'conv2d_nhwc_valid_bias');
  // symmetric pairs collapse to [ph, pw]; float64 works too
  const y64 = F.conv2d(seqX([1, 2, 4, 4], 'float64'), seqW([3, 2, 3, 3], 'float64'), { padding: [[0, 0], [0, 0], [1, 1], [1, 1]] });
  const y64b = F.conv2d(seqX([1, 2, 4, 4], 'float64'), seqW([3, 2, 3, 3], 'float64'), { padding: 1 });
  assert.equal(y64.dtype, 'float64');
  assertClose(y64, y64b, 0, 0);
});

test('F.conv3d with stride, padding and bias', () => {
  check(F.conv3d(seqX([1, 2, 3, 3, 3]), seqW([2, 2, 2, 2, 2]), seqB(2), 2, 1), 'conv3d_bias');
});

test('F.conv1d_transpose: output_padding and bias; NLC with groups, dilation and output_size', () => {
  check(F.conv1d_transpose(seqX([1, 2, 3]), seqW([2, 3, 3]), seqB(3), 2, 1, 1), 'conv1d_transpose');
  check(F.conv1d_transpose(seqX([1, 3, 4]), seqW([4, 1, 2]), { groups: 2, dilation: 2, output_size: 5, data_format: 'NLC' }), 'conv1d_transpose_nlc');
});

test('F.conv2d_transpose with output_size and bias; F.conv3d_transpose NDHWC with same', () => {
  check(F.conv2d_transpose(seqX([1, 2, 2, 3]), seqW([2, 3, 3, 3]), { bias: seqB(3), stride: [3, 2], padding: 1, output_size: [5, 6] }), 'conv2d_transpose_output_size');
  // output_padding [1, 1] picks the same sizes here
  check(F.conv2d_transpose(seqX([1, 2, 2, 3]), seqW([2, 3, 3, 3]), seqB(3), [3, 2], 1, [1, 1]), 'conv2d_transpose_output_size');
  check(F.conv3d_transpose(seqX([1, 2, 2, 2, 2]), seqW([2, 1, 3, 3, 3]), { stride: 2, padding: 'same', data_format: 'NDHWC' }), 'conv3d_transpose_ndhwc_same');
});

test('the operators each API appends (static mode), as Paddle 2.0 on CPU', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const sd = paddle.static.data;
      const types = (fn: () => unknown): string[] => {
        const n = main.global_block().ops.length;
        fn();
        return main.global_block().ops.slice(n).map((o) => o.type);
      };
      const x4 = sd('x4', [-1, 4, 8, 8], 'float32');
      assert.deepEqual(types(() => F.conv2d(x4, sd('w1', [6, 2, 3, 3], 'float32'), { groups: 2 })), ['conv2d']);
      assert.deepEqual(types(() => F.conv2d(x4, sd('w2', [8, 1, 3, 3], 'float32'), sd('b2', [8], 'float32'), { groups: 4 })), ['depthwise_conv2d', 'elementwise_add']);
      const x3 = sd('x3', [-1, 4, 10], 'float32');
      assert.deepEqual(types(() => F.conv1d(x3, sd('w3', [4, 1, 3], 'float32'), { groups: 4 })), ['unsqueeze2', 'unsqueeze2', 'depthwise_conv2d', 'squeeze2']);
      assert.deepEqual(types(() => F.conv1d_transpose(x3, sd('w4', [4, 2, 3], 'float32'))), ['unsqueeze2', 'unsqueeze2', 'conv2d_transpose', 'squeeze2']);
      assert.deepEqual(types(() => F.conv2d_transpose(x4, sd('w5', [4, 1, 3, 3], 'float32'), { groups: 4 })), ['depthwise_conv2d_transpose']);
      const x5 = sd('x5', [-1, 3, 3, 3, 4], 'float32');
      const n = main.global_block().ops.length;
      const y = F.conv3d_transpose(x5, sd('w6', [4, 2, 2, 2, 2], 'float32'), { data_format: 'NDHWC' });
      const op = main.global_block().ops[n];
      assert.equal(op.type, 'conv3d_transpose');
      assert.equal(op.attr('data_format'), 'NHWC'); // what Paddle 2.0 passes for NDHWC
      assert.deepEqual(y.shape, [-1, 4, 4, 4, 2]);
      const c = F.conv2d(x4, sd('w7', [3, 4, 3, 3], 'float32'), { padding: 'same', stride: 2 });
      const cop = main.global_block().ops[main.global_block().ops.length - 1];
      assert.equal(cop.attr('padding_algorithm'), 'SAME');
      assert.deepEqual(cop.attr('paddings'), [0, 0]);
      assert.deepEqual(c.shape, [-1, 3, 4, 4]);
    });
  } finally {
    paddle.disable_static();
  }
});

test('gradients through the functional APIs (x, weight, bias; float64 finite differences)', () => {
  const d = 'float64';
  checkGrad((x, w, b) => F.conv1d(x, w, b, 2, [1, 2]), [seqX([2, 3, 7], d), seqW([4, 3, 3], d), seqB(4, d)]);
  checkGrad((x, w, b) => F.conv1d(x, w, b, { padding: 1, groups: 3, data_format: 'NLC' }), [seqX([1, 5, 3], d), seqW([6, 1, 3], d), seqB(6, d)]);
  checkGrad((x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 'same', data_format: 'NHWC' }), [seqX([1, 5, 4, 2], d), seqW([3, 2, 3, 3], d), seqB(3, d)]);
  checkGrad((x, w, b) => F.conv3d(x, w, b, 1, [0, 1, 1, 0, 0, 1]), [seqX([1, 2, 3, 3, 2], d), seqW([2, 2, 2, 2, 2], d), seqB(2, d)]);
  checkGrad((x, w, b) => F.conv1d_transpose(x, w, b, 2, 1, 1), [seqX([1, 2, 3], d), seqW([2, 3, 3], d), seqB(3, d)]);
  checkGrad((x, w, b) => F.conv2d_transpose(x, w, b, { stride: 2, groups: 2, output_size: [6, 5] }), [seqX([1, 4, 2, 2], d), seqW([4, 1, 3, 2], d), seqB(2, d)]);
  checkGrad((x, w, b) => F.conv3d_transpose(x, w, b, { stride: [1, 2, 1], data_format: 'NDHWC' }), [seqX([1, 2, 2, 2, 2], d), seqW([2, 2, 2, 1, 2], d), seqB(2, d)]);
});

test('functional errors name the API and the argument', () => {
  const x = seqX([1, 4, 5, 5]);
  assertThrows(() => F.conv2d(x, seqW([2, 3, 3, 3])), E, /paddle\.nn\.functional\.conv2d/, /4 channels \(in_channels.*weight of shape \[2, 3, 3, 3\] with groups=1 expects weight\.shape\[1\] \* groups = 3/);
  assertThrows(() => F.conv2d(x, seqW([2, 2, 3, 3]), { groups: 3 }), E, /channel of input must be divisible by groups.*groups is 3/);
  assertThrows(() => F.conv2d(x, seqW([3, 2, 3, 3]), { groups: 2 }), E, /number of filters must be divisible by groups.*\[3, 2, 3, 3\]/);
  assertThrows(() => F.conv2d(x, seqW([2, 4, 3, 3]), { padding: 'full' }), E, /Unknown padding: 'full'\. It can only be 'SAME' or 'VALID'/);
  assertThrows(() => F.conv2d(x, seqW([2, 4, 3, 3]), { padding: [1, 2, 3] }), E, /argument 'padding' must be an int, a list of 2 or 4 ints/);
  assertThrows(() => F.conv2d(x, seqW([2, 4, 3, 3]), { padding: [[0, 1], [0, 0], [1, 1], [1, 1]] }), E, /Non-zero padding.*batch or channel dimensions/);
  assertThrows(() => F.conv2d(x, seqW([2, 4, 3, 3]), { padding: 'x' as unknown as number, stride: [1, 2, 3] }), E, /Unknown padding/);
  assertThrows(() => F.conv2d(x, seqW([2, 4, 3, 3]), { stride: [1, 2, 3] }), E, /argument 'stride' must be an integer or a list of 2 integers/);
  assertThrows(() => F.conv2d(x, seqW([2, 4, 3, 3]), { data_format: 'NCL' }), E, /Attr\(data_format\) should be 'NCHW' or 'NHWC'\. Received Attr\(data_format\): NCL/);
  assertThrows(() => F.conv2d(seqX([4, 5, 5]), seqW([2, 4, 3, 3])), E, /x must be a 4-D Tensor/);
  assertThrows(() => F.conv2d(x, seqW([2, 4, 3])), E, /weight must be a 4-D Tensor/);
  assertThrows(() => F.conv2d(x, seqW([2, 4, 9, 3])), E, /output size must be greater than 0/);
  assertThrows(() => F.conv2d(x, 3 as unknown as Tensor), E, /argument 'weight'/);
  assertThrows(() => F.conv1d(seqX([1, 4, 5]), seqW([2, 4, 3]), { data_format: 'NCHW' }), E, /'NCL' or 'NLC'/);
  assertThrows(() => F.conv3d(seqX([1, 4, 3, 3, 3]), seqW([2, 3, 1, 1, 1])), E, /weight\.shape\[1\] \* groups = 3/);
  const t = seqX([1, 2, 3, 3]);
  assertThrows(() => F.conv2d_transpose(t, seqW([3, 2, 3, 3])), E, /2 channels \(in_channels.*transposed weight of shape \[3, 2, 3, 3\] expects weight\.shape\[0\] = 3/);
  assertThrows(() => F.conv2d_transpose(t, seqW([2, 2, 3, 3]), { output_padding: 1, output_size: [5, 5] }), E, /output_padding option is mutually exclusive with output_size/);
  assertThrows(() => F.conv2d_transpose(t, seqW([2, 2, 3, 3]), { output_size: [9, 9] }), E, /output_size\[0\] = 9 must be in \[5, 6\)/);
  assertThrows(() => F.conv1d_transpose(seqX([1, 2, 3]), seqW([2, 2, 3]), { stride: 1, output_padding: 2 }), E, /output_padding should not be greater than stride/);
  assertThrows(() => F.conv3d_transpose(seqX([1, 2, 3, 3, 3]), seqW([2, 2, 2, 2, 2]), { data_format: 'NCHW' }), E, /'NCDHW' or 'NDHWC'/);
});

// ---------------------------------------------------------------------------------------
// Layers

function stats(t: Tensor): { mean: number; std: number; maxAbs: number } {
  const v = Array.from(t.numpy() as Float32Array);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, maxAbs: Math.max(...v.map(Math.abs)) };
}

test('Conv layers: parameter shapes, default initialization, bias zeros, names', () => {
  paddle.seed(2021);
  const c2 = new nn.Conv2D(64, 32, 3);
  assert.deepEqual(c2.weight.shape, [32, 64, 3, 3]);
  assert.deepEqual(c2.bias!.shape, [32]);
  assert.deepEqual(c2.bias!.tolist(), new Array(32).fill(0));
  // Normal(0, sqrt(2 / (kh*kw*in_channels)))
  const s = stats(c2.weight);
  const std = Math.sqrt(2 / (9 * 64));
  assert.ok(Math.abs(s.mean) < 0.05 * std, `mean ${s.mean}`);
  assert.ok(Math.abs(s.std / std - 1) < 0.03, `std ${s.std} vs ${std}`);
  assert.deepEqual(Object.keys(c2.state_dict()), ['weight', 'bias']);
  assert.equal(c2.weight.stop_gradient, false);
  // grouped and 1-D / 3-D shapes
  assert.deepEqual(new nn.Conv2D(8, 12, [3, 1], { groups: 4 }).weight.shape, [12, 2, 3, 1]);
  const c1 = new nn.Conv1D(16, 8, 5);
  assert.deepEqual(c1.weight.shape, [8, 16, 5]);
  const s1 = stats(c1.weight).std;
  assert.ok(Math.abs(s1 / Math.sqrt(2 / 80) - 1) < 0.08, `Conv1D std ${s1}`);
  assert.deepEqual(new nn.Conv3D(4, 6, [1, 2, 3], { groups: 2 }).weight.shape, [6, 2, 1, 2, 3]);
  // transposed: [in, out/groups, k...], Xavier uniform with fans from the shape
  const t2 = new nn.Conv2DTranspose(32, 16, 3, { groups: 2 });
  assert.deepEqual(t2.weight.shape, [32, 8, 3, 3]);
  const limit = Math.sqrt(6 / (8 * 9 + 32 * 9));
  const ts = stats(t2.weight);
  assert.ok(ts.maxAbs <= limit && ts.maxAbs > 0.95 * limit, `max ${ts.maxAbs} vs ${limit}`);
  assert.ok(Math.abs(ts.std / (limit / Math.sqrt(3)) - 1) < 0.05, `Conv2DTranspose std ${ts.std}`);
  assert.deepEqual(new nn.Conv1DTranspose(4, 6, 3, { groups: 2 }).weight.shape, [4, 3, 3]);
  assert.deepEqual(new nn.Conv3DTranspose(4, 6, 2).weight.shape, [4, 6, 2, 2, 2]);
  // no bias; parameters follow the default dtype
  assert.equal(new nn.Conv2D(2, 2, 1, { bias_attr: false }).bias, null);
  paddle.set_default_dtype('float64');
  try {
    assert.equal(new nn.Conv2D(2, 2, 1).weight.dtype, 'float64');
  } finally {
    paddle.set_default_dtype('float32');
  }
});

test('Conv layers compute F.conv* with their parameters; depthwise op for groups == in_channels', () => {
  const I = nn.initializer;
  const conv = new nn.Conv1D(3, 4, 3, 2, [1, 2], { weight_attr: new I.Assign(seqW([4, 3, 3])), bias_attr: new I.Assign(seqB(4)) });
  check(conv(seqX([2, 3, 7])), 'conv1d_ncl');
  const c2 = new nn.Conv2D(2, 3, 3, [1, 2], [1, 0, 2, 1], { weight_attr: new I.Assign(seqW([3, 2, 3, 3])), bias_attr: new I.Assign(seqB(3)) });
  check(c2(seqX([1, 2, 4, 5])), 'conv2d_pairs_bias');
  const c3 = new nn.Conv3D(2, 2, 2, 2, 1, { weight_attr: new I.Assign(seqW([2, 2, 2, 2, 2])), bias_attr: new I.Assign(seqB(2)) });
  check(c3(seqX([1, 2, 3, 3, 3])), 'conv3d_bias');
  const t1 = new nn.Conv1DTranspose(2, 3, 3, 2, 1, 1, { weight_attr: new I.Assign(seqW([2, 3, 3])), bias_attr: new I.Assign(seqB(3)) });
  check(t1(seqX([1, 2, 3])), 'conv1d_transpose');
  const t2 = new nn.Conv2DTranspose(2, 3, 3, [3, 2], 1, { weight_attr: new I.Assign(seqW([2, 3, 3, 3])), bias_attr: new I.Assign(seqB(3)) });
  check(t2(seqX([1, 2, 2, 3]), [5, 6]), 'conv2d_transpose_output_size');
  assert.deepEqual(t2(seqX([1, 2, 2, 3])).shape, [1, 3, 4, 5]);
  const t3 = new nn.Conv3DTranspose(2, 1, 3, { stride: 2, padding: 'same', data_format: 'NDHWC', weight_attr: new I.Assign(seqW([2, 1, 3, 3, 3])), bias_attr: false });
  check(t3(seqX([1, 2, 2, 2, 2])), 'conv3d_transpose_ndhwc_same');
  assert.equal(new nn.Conv2D(4, 8, 3, { groups: 4 })._op_type, 'depthwise_conv2d');
  assert.equal(new nn.Conv2D(4, 6, 3, { groups: 4 })._op_type, 'conv2d');
  assert.equal(new nn.Conv2D(1, 4, 3)._op_type, 'conv2d');
});

test('padding_mode reflect / replicate / circular pads before a zero-padding convolution', () => {
  const I = nn.initializer;
  for (const mode of ['reflect', 'replicate', 'circular'] as const) {
    const c = new nn.Conv2D(2, 2, 3, { padding: 1, padding_mode: mode, weight_attr: new I.Assign(seqW([2, 2, 3, 3])) });
    assert.deepEqual(c._reversed_padding_repeated_twice, [1, 1, 1, 1]);
    check(c(seqX([1, 2, 4, 3])), `mode_${mode}`);
  }
  const c1 = new nn.Conv1D(2, 3, 3, { padding: 2, padding_mode: 'reflect', data_format: 'NLC', weight_attr: new I.Assign(seqW([3, 2, 3])), bias_attr: false });
  check(c1(seqX([1, 5, 2])), 'conv1d_reflect_nlc');
  const c3 = new nn.Conv3D(1, 1, 2, { padding: 1, padding_mode: 'replicate', weight_attr: new I.Assign(seqW([1, 1, 2, 2, 2])), bias_attr: false });
  check(c3(seqX([1, 1, 2, 3, 2])), 'conv3d_replicate');
  // gradients flow through the padding into x
  const x = seqX([1, 2, 4, 3]);
  x.stop_gradient = false;
  const c = new nn.Conv2D(2, 2, 3, { padding: 1, padding_mode: 'circular' });
  c(x).sum().backward();
  assert.deepEqual(x.grad!.shape, [1, 2, 4, 3]);
});

test('layer gradients (float64 finite differences through Conv2D, Conv1D reflect, Conv2DTranspose)', () => {
  paddle.set_default_dtype('float64');
  try {
    const c2 = new nn.Conv2D(2, 4, 3, { stride: 2, padding: 1, groups: 2 });
    checkGrad((x) => c2(x), [seqX([1, 2, 5, 4], 'float64')]);
    checkGrad((w, b) => F.conv2d(seqX([1, 2, 5, 4], 'float64'), w, b, 2, 1, 1, 2), [c2.weight, c2.bias!]);
    const c1 = new nn.Conv1D(2, 3, 3, { padding: 1, padding_mode: 'reflect' });
    checkGrad((x) => c1(x), [seqX([2, 2, 5], 'float64')]);
    const t = new nn.Conv2DTranspose(2, 2, 3, { stride: 2, padding: 1, output_padding: 1 });
    checkGrad((x) => t(x), [seqX([1, 2, 2, 3], 'float64')]);
    // parameters receive .grad through backward
    c2(seqX([1, 2, 5, 4], 'float64')).sum().backward();
    assert.deepEqual(c2.weight.grad!.shape, [4, 1, 3, 3]);
    assert.deepEqual(c2.bias!.grad!.shape, [4]);
  } finally {
    paddle.set_default_dtype('float32');
  }
});

test('extra_repr mirrors Paddle', () => {
  assert.equal(String(new nn.Conv2D(3, 16, 3, { padding: 1 })), 'Conv2D(3, 16, kernel_size=[3, 3], padding=1, data_format=NCHW)');
  assert.equal(
    String(new nn.Conv1D(4, 8, 3, { stride: 2, dilation: 2, groups: 2, padding: 2, padding_mode: 'circular', data_format: 'NLC' })),
    'Conv1D(4, 8, kernel_size=[3], stride=[2], padding=2, padding_mode=circular, dilation=[2], groups=2, data_format=NLC)',
  );
  assert.equal(String(new nn.Conv2DTranspose(4, 2, 3, { stride: 2, output_padding: 1 })), 'Conv2DTranspose(4, 2, kernel_size=[3, 3], stride=[2, 2], output_padding=1, data_format=NCHW)');
});

test('layer errors', () => {
  assertThrows(() => new nn.Conv2D(3, 4, 3, { groups: 2 }), E, /paddle\.nn\.Conv2D/, /in_channels must be divisible by groups/);
  assertThrows(() => new nn.Conv2D(3, 4, 3, { padding_mode: 'mirror' }), E, /padding_mode must be one of .*'mirror'/);
  assertThrows(() => new nn.Conv2D(3, 4, 3, { padding: [1, 1], padding_mode: 'reflect' }), E, /type of padding must be int/);
  assertThrows(() => new nn.Conv2D(3, 4, 3, { weight_attr: false }), E, /weight_attr should not be False in Conv/);
  assertThrows(() => new nn.Conv2D(3, 4, [3, 3, 3]), E, /'kernel_size' must be an integer or a list of 2 integers/);
  assertThrows(() => new nn.Conv2D(3, 4, 3, { data_format: 'NCDHW' }), E, /data_format must be 'NCHW' or 'NHWC'/);
  assertThrows(() => new nn.Conv2D(3, 4, 3, { padding: 'full' }), E, /Unknown padding/);
  assertThrows(() => new nn.Conv2DTranspose(4, 3, 3, { groups: 2 }), E, /out_channels \(3\) must be divisible by groups/);
  assertThrows(() => new nn.Conv2D(3, 4, 3, { bogus: 1 } as never), E, /unexpected keyword argument 'bogus'/);
  // a mismatched input names the channels and the weight
  assertThrows(() => new nn.Conv2D(3, 4, 3)(seqX([1, 2, 5, 5])), E, /input channels \(2, input shape \[1, 2, 5, 5\].*filter has shape \[4, 3, 3, 3\]/);
});
