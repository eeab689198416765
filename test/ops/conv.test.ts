// Convolution operators (conv2d, depthwise_conv2d, conv3d and the transposed ones) run by
// type with Paddle's attributes: values against NumPy loops (computed offline with
// deterministic inputs x_i = ((7i mod 11) - 5) / 5, w_i = ((5i mod 7) - 3) / 4, so every
// expected value is exact in two decimals), finite-difference gradients of the *_grad
// operators and of their own rules (double grad), argument errors, and static-mode shapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { dispatch, run1 } from '../../src/core/dispatch.js';
import type { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

type DT = 'float32' | 'float64';
const numel = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const seqX = (shape: number[], dtype: DT = 'float64'): Tensor =>
  paddle.to_tensor(Array.from({ length: numel(shape) }, (_, i) => (((i * 7) % 11) - 5) / 5), { dtype }).reshape(shape);
const seqW = (shape: number[], dtype: DT = 'float64'): Tensor =>
  paddle.to_tensor(Array.from({ length: numel(shape) }, (_, i) => (((i * 5) % 7) - 3) / 4), { dtype }).reshape(shape);
const conv = (type: string, x: Tensor, w: Tensor, attrs: Record<string, unknown>): Tensor =>
  run1(type, { Input: [x], Filter: [w] }, { ...attrs }, 'Output');

interface Case { name: string; type: string; x: number[]; w: number[]; attrs: Record<string, unknown>; shape: number[]; y: number[] }

// Expected outputs from NumPy (a direct loop over output positions and kernel taps, groups
// and dilation; transposed convolutions by scattering into a padded buffer and cropping).
const CASES: Case[] = [
  { name: "conv2d NCHW pad 1", type: 'conv2d', x: [1, 2, 4, 4], w: [3, 2, 3, 3], attrs: {'strides': [1, 1], 'paddings': [1, 1], 'dilations': [1, 1], 'groups': 1, 'data_format': 'NCHW'},
    shape: [1, 3, 4, 4],
    y: [-1.45, 1.95, -0.2, 0.45, 0.8, 0.5, 0, 1.35, -1.95, 0.7, 0.75, -2.05, 0.55, 1.1, -0.35, -0.75, 0.4, 1.15, -0.3, 0.45, -0.95, -1.8, 0.95, -0.7, 0.2, 0.4, 0.4, -0.2, 0.25, -2.05, 1.6, -0.95, 0.15, -2.1, 1, -0.25, -0.25, 0.45, -1.25, -0.3, 0.95, -3.05, 0.75, 0.25, -0.75, 0.05, 1.1, -0.1] },
  { name: "conv2d stride 2, asymmetric pads, dilation, groups 2", type: 'conv2d', x: [1, 4, 6, 5], w: [4, 2, 3, 3], attrs: {'strides': [2, 2], 'paddings': [0, 1, 2, 1], 'dilations': [2, 1], 'groups': 2, 'data_format': 'NCHW'},
    shape: [1, 4, 2, 3],
    y: [-0.75, 0, 1.75, -0.45, 0.6, -0.65, -0.6, -0.3, 0.25, 0.65, -0.75, -0.05, -0.4, 0.05, -0.05, -0.75, 0.15, -0.5, -0.3, 0.6, -1.2, -0.9, 0.6, 0.85] },
  { name: "conv2d 1x1 groups 2, batch 2", type: 'conv2d', x: [2, 4, 3, 3], w: [2, 2, 1, 1], attrs: {'strides': [1, 1], 'paddings': [0, 0], 'dilations': [1, 1], 'groups': 2, 'data_format': 'NCHW'},
    shape: [2, 2, 3, 3],
    y: [1.05, -0.4, -0.2, -0.55, -0.35, 0.95, -0.5, -0.3, 1, 0.3, -0.4, 0, 0.4, -0.3, 0.1, 0.5, -0.2, 0.2, -0.55, -0.35, 0.95, -0.5, -0.3, 1, -0.45, -0.25, 1.05, 0.4, -0.3, 0.1, 0.5, -0.2, 0.2, -0.5, -0.1, 0.3] },
  { name: "conv2d NHWC stride/dilation/asymmetric pads", type: 'conv2d', x: [1, 5, 5, 3], w: [2, 3, 3, 3], attrs: {'strides': [1, 2], 'paddings': [1, 0, 1, 1], 'dilations': [1, 2], 'groups': 1, 'data_format': 'NHWC'},
    shape: [1, 4, 2, 2],
    y: [0.5, -0.25, -0.25, 1.8, 0.65, -2.7, -2.7, -1.85, 1.35, 0.6, 0.6, 0.2, 1.5, -0.5, -0.5, -2.15] },
  { name: "conv2d NHWC 1x1", type: 'conv2d', x: [2, 3, 3, 4], w: [3, 4, 1, 1], attrs: {'strides': [1, 1], 'paddings': [0, 0], 'dilations': [1, 1], 'groups': 1, 'data_format': 'NHWC'},
    shape: [2, 3, 3, 3],
    y: [0.45, -1.3, 0.45, -0.45, -0.2, -0.3, 1.4, 0.35, -1.05, -0.6, -0.2, -0.15, 1.25, 0.35, -0.9, -0.75, 0.35, 1.1, 1.1, 0.35, -0.75, -0.9, 0.35, 1.25, -0.15, -0.2, -0.6, -1.05, 0.35, 1.4, -0.3, -0.2, -0.45, 0.45, -1.3, 0.45, -0.45, -0.2, -0.3, 1.4, 0.35, -1.05, -0.6, -0.2, -0.15, 1.25, 0.35, -0.9, -0.75, 0.35, 1.1, 1.1, 0.35, -0.75] },
  { name: "conv2d SAME stride 2 (dilation reset to 1)", type: 'conv2d', x: [1, 2, 5, 6], w: [2, 2, 3, 3], attrs: {'strides': [2, 2], 'paddings': [0, 0], 'dilations': [2, 2], 'groups': 1, 'data_format': 'NCHW', 'padding_algorithm': 'SAME'},
    shape: [1, 2, 3, 3],
    y: [0.7, 0.25, 0.45, 0.15, 0.25, 0.15, 1.4, -2.05, 0.45, 0.55, 2.05, -0.7, -1.9, -1.9, 1, 2.05, 0.55, -1.6] },
  { name: "conv2d VALID ignores paddings", type: 'conv2d', x: [1, 2, 5, 6], w: [2, 2, 3, 2], attrs: {'strides': [2, 3], 'paddings': [4, 4], 'dilations': [1, 1], 'groups': 1, 'data_format': 'NCHW', 'padding_algorithm': 'VALID'},
    shape: [1, 2, 2, 2],
    y: [0.95, -0.7, -0.7, 0.95, -1.3, -0.7, 0, 0.05] },
  { name: "depthwise_conv2d multiplier 2", type: 'depthwise_conv2d', x: [1, 3, 5, 4], w: [6, 1, 3, 3], attrs: {'strides': [2, 1], 'paddings': [1, 0, 2, 1], 'dilations': [1, 2], 'groups': 3, 'data_format': 'NCHW'},
    shape: [1, 6, 2, 3],
    y: [-0.6, 1, -0.45, -0.35, 0.3, -0.35, 0.15, -0.85, -0.05, 0.35, 0.8, -0.35, 0.05, 0.5, -0.6, 0.2, -0.45, -0.85, -1.1, 0.6, 0.35, -0.85, -0.05, 0.2, -0.65, 0.05, 0.7, -0.35, -0.35, 0.35, 0.5, 1.05, -0.25, -0.35, -0.05, -0.35] },
  { name: "depthwise_conv2d NHWC", type: 'depthwise_conv2d', x: [1, 4, 5, 3], w: [3, 1, 3, 2], attrs: {'strides': [1, 2], 'paddings': [1, 1], 'dilations': [2, 1], 'groups': 3, 'data_format': 'NHWC'},
    shape: [1, 2, 3, 3],
    y: [0, -0.3, -0.1, 0.25, -0.7, -0.55, 0.05, 1.75, -0.25, -0.1, -0.3, 0, -0.85, 0.15, 0.05, -0.55, 0.35, -0.4] },
  { name: "conv3d", type: 'conv3d', x: [1, 2, 3, 4, 3], w: [2, 2, 2, 3, 2], attrs: {'strides': [1, 1, 1], 'paddings': [0, 1, 0], 'dilations': [1, 1, 1], 'groups': 1, 'data_format': 'NCDHW'},
    shape: [1, 2, 2, 4, 2],
    y: [0, 0, 1.35, -1.2, -0.25, -1.15, -1.35, -0.7, 0, 0, -1.2, 0.65, -1.15, 0.7, -0.7, 0.5, -0.45, -1.95, 1.05, -2.1, 0.4, -1.1, -1.25, 0.35, -1.95, 2.05, -2.1, 1.9, -1.1, 2.35, 0.35, -0.25] },
  { name: "conv3d NDHWC groups 2 stride asymmetric", type: 'conv3d', x: [1, 3, 4, 3, 4], w: [2, 2, 2, 2, 2], attrs: {'strides': [2, 1, 2], 'paddings': [1, 0, 0, 1, 1, 1], 'dilations': [1, 1, 1], 'groups': 2, 'data_format': 'NDHWC'},
    shape: [1, 2, 4, 2, 2],
    y: [-0.85, 0.7, -1.35, -0.75, 1, -0.35, -0.6, 1.35, -1, -0.85, 2.35, -0.95, 0.2, 0.85, -0.55, 0.8, 0.1, -0.75, 0.75, -1.3, -0.85, 0.2, -1.25, 0.2, 0.95, 0.05, 1.7, 1.15, -0.35, 0.35, 0.7, -1.45] },
  { name: "conv2d_transpose", type: 'conv2d_transpose', x: [1, 2, 3, 3], w: [2, 2, 3, 3], attrs: {'strides': [1, 1], 'paddings': [0, 0], 'dilations': [1, 1], 'groups': 1, 'data_format': 'NCHW'},
    shape: [1, 2, 5, 5],
    y: [1.2, -0.8, -0.45, -0.4, 0.25, -0.4, -0.35, 2, -0.65, -0.35, -1.3, 2.35, 0.55, -0.25, -0.8, -1, 0.85, -0.5, 1, -0.25, -0.3, -0.15, -0.2, 1.05, -0.2, -0.15, 0.1, -0.25, 1.15, -0.8, -0.35, -0.65, 2, -0.35, -0.4, -0.15, -0.8, 0.15, -1.1, 1.95, 0.8, -0.4, -1.1, -0.7, 0.75, 0.45, -0.2, -0.6, 0.25, -0.2] },
  { name: "conv2d_transpose stride 2 pad 1", type: 'conv2d_transpose', x: [1, 2, 3, 2], w: [2, 1, 3, 3], attrs: {'strides': [2, 2], 'paddings': [1, 1], 'dilations': [1, 1], 'groups': 1, 'data_format': 'NCHW'},
    shape: [1, 1, 5, 3],
    y: [-0.95, -1.05, 0.3, 0.95, -2.35, -0.1, -0.1, 0.15, 0.6, 0.5, 0.55, -0.55, 0.2, 0.25, -0.2] },
  { name: "conv2d_transpose groups 2, asymmetric pads, dilation", type: 'conv2d_transpose', x: [1, 4, 2, 2], w: [4, 1, 3, 2], attrs: {'strides': [2, 3], 'paddings': [1, 0, 0, 1], 'dilations': [2, 1], 'groups': 2, 'data_format': 'NCHW'},
    shape: [1, 2, 6, 4],
    y: [0, 0, 0, 0, 0.2, -0.3, 0, -1.05, 0, 0, 0, 0, -0.45, 0.1, 0, 0.6, 0, 0, 0, 0, -0.7, 0.5, 0, 0.75, 0, 0, 0, 0, 1.2, -0.4, 0, -0.45, 0, 0, 0, 0, 0.1, -0.45, 0, 0.5, 0, 0, 0, 0, 0.5, 0.1, 0, 0.1] },
  { name: "conv2d_transpose output_padding", type: 'conv2d_transpose', x: [1, 1, 2, 3], w: [1, 2, 3, 3], attrs: {'strides': [2, 2], 'paddings': [1, 1], 'dilations': [1, 1], 'groups': 1, 'data_format': 'NCHW', 'output_padding': [1, 1]},
    shape: [1, 2, 4, 6],
    y: [-0.75, -0.45, 0.3, 0.3, -0.3, -0.1, 1.25, -0.75, -0.2, 0.75, 0, -0.2, 0.75, 0.15, 0.15, 0.35, -0.45, -0.15, -0.75, 0.45, -0.15, 0.25, 0.45, -0.3, 0.25, 0.85, -0.1, -0.4, 0.1, 0.3, -0.5, 1.45, -0.1, -0.25, 0.3, -0.25, -0.25, -0.7, -0.05, -0.3, 0.15, 0.45, 0, -0.4, 0, -0.4, 0, 0.3] },
  { name: "conv2d_transpose output_size", type: 'conv2d_transpose', x: [1, 1, 2, 2], w: [1, 2, 3, 3], attrs: {'strides': [3, 2], 'paddings': [1, 1], 'dilations': [1, 1], 'groups': 1, 'data_format': 'NCHW', 'output_size': [6, 4]},
    shape: [1, 2, 6, 4],
    y: [-0.75, -0.45, 0.3, 0.1, 0.75, -0.6, -0.3, 0.2, -0.2, -0.75, 0.5, 0, -0.3, -0.6, 0.75, 0.25, 0.3, -0.45, -0.75, 0.5, 0, 0, 0, 0, 0.25, 0.85, -0.1, -0.3, 0, 0.7, 0, -0.2, 0.2, -0.3, -0.5, 0.75, 0.1, 0.55, -0.25, -0.75, 0, 0.7, 0, -0.5, 0, 0, 0, 0] },
  { name: "conv2d_transpose NHWC", type: 'conv2d_transpose', x: [1, 2, 3, 3], w: [3, 2, 3, 3], attrs: {'strides': [2, 1], 'paddings': [1, 1], 'dilations': [1, 1], 'groups': 1, 'data_format': 'NHWC'},
    shape: [1, 3, 3, 2],
    y: [-1.75, 0.75, -0.45, 1.35, 0.8, -0.5, 1.1, -0.65, -0.45, 1.25, -0.9, 0.6, 0.95, 0.55, 1.7, -1.9, -0.1, -0.45] },
  { name: "conv2d_transpose SAME stride 2", type: 'conv2d_transpose', x: [1, 2, 3, 3], w: [2, 1, 3, 3], attrs: {'strides': [2, 2], 'paddings': [0, 0], 'dilations': [1, 1], 'groups': 1, 'data_format': 'NCHW', 'padding_algorithm': 'SAME'},
    shape: [1, 1, 5, 5],
    y: [-0.9, -0.95, 0.35, 0.2, -0.05, 1.05, -0.85, 0, 0.05, -0.5, 0.65, -0.25, 0.25, 0.9, -0.7, -0.45, 0.2, 0.15, 1.1, -0.35, 0.55, -0.1, 0.15, 1.05, -0.8] },
  { name: "conv2d_transpose output_padding >= stride with dilation 3", type: 'conv2d_transpose', x: [1, 1, 2, 2], w: [1, 1, 2, 2], attrs: {'strides': [1, 1], 'paddings': [0, 0], 'dilations': [3, 3], 'groups': 1, 'data_format': 'NCHW', 'output_padding': [2, 1]},
    shape: [1, 1, 7, 6],
    y: [0.75, -0.3, 0, -0.5, 0.2, 0, 0.3, -0.75, 0, -0.2, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, -0.2, 0, 0, 0, 0, 0.2, -0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  { name: "depthwise_conv2d_transpose", type: 'depthwise_conv2d_transpose', x: [1, 2, 2, 3], w: [2, 1, 3, 3], attrs: {'strides': [2, 2], 'paddings': [1, 1], 'dilations': [1, 1], 'groups': 2, 'data_format': 'NCHW'},
    shape: [1, 2, 3, 5],
    y: [-0.75, -0.45, 0.3, 0.3, -0.3, 1.25, -0.75, -0.2, 0.75, 0, 0.75, 0.15, 0.15, 0.35, -0.45, -0.2, -0.6, 0, -0.2, 0.2, -0.3, 0.05, 0.1, -0.55, 0.5, -0.15, -0.5, 0.05, -0.1, 0.25] },
  { name: "conv3d_transpose", type: 'conv3d_transpose', x: [1, 2, 2, 2, 2], w: [2, 1, 2, 2, 2], attrs: {'strides': [2, 1, 2], 'paddings': [0, 1, 1], 'dilations': [1, 1, 1], 'groups': 1, 'data_format': 'NCHW'},
    shape: [1, 1, 4, 1, 2],
    y: [-0.3, -1.55, 0.3, -0.05, 0.6, 0.3, 0, 0.5] },
  { name: "conv3d_transpose channels last, groups 2, output_padding", type: 'conv3d_transpose', x: [1, 1, 2, 1, 4], w: [4, 1, 2, 2, 2], attrs: {'strides': [2, 2, 2], 'paddings': [0, 0, 0], 'dilations': [1, 1, 1], 'groups': 2, 'data_format': 'NHWC', 'output_padding': [1, 0, 1]},
    shape: [1, 3, 4, 3, 2],
    y: [0.95, -0.5, -0.5, 0.95, 0, 0, -0.2, -0.05, 0.8, -0.35, 0, 0, -0.45, 0, 0.1, -0.4, 0, 0, 0.3, 0.6, -0.55, 0.2, 0, 0, -0.65, -0.65, -0.35, 0.8, 0, 0, -0.05, -0.2, 0.95, -0.5, 0, 0, 0, -0.2, 0.2, -0.6, 0, 0, 0.4, 0.4, -0.45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },

];

for (const cs of CASES) {
  test(`${cs.type}: ${cs.name} (float32 and float64)`, () => {
    for (const dt of ['float64', 'float32'] as const) {
      const y = conv(cs.type, seqX(cs.x, dt), seqW(cs.w, dt), cs.attrs);
      assert.deepEqual(y.shape, cs.shape);
      assert.equal(y.dtype, dt);
      assertClose(y, cs.y, dt === 'float64' ? 1e-12 : 1e-5, dt === 'float64' ? 1e-12 : 1e-5, `${cs.name} ${dt}`);
    }
  });
}

test('conv2d adds the dispensable Bias (per output channel) and ResidualData', () => {
  const cs = CASES[0];
  const x = seqX(cs.x);
  const w = seqW(cs.w);
  const bias = paddle.to_tensor([0.5, -1, 2], { dtype: 'float64' });
  const res = paddle.to_tensor(Array.from({ length: 48 }, (_, i) => i / 8), { dtype: 'float64' }).reshape([1, 3, 4, 4]);
  const y = run1('conv2d', { Input: [x], Filter: [w], Bias: [bias], ResidualData: [res] }, { ...cs.attrs }, 'Output');
  assertClose(y, cs.y.map((v, i) => v + [0.5, -1, 2][Math.floor(i / 16)] + i / 8), 1e-12, 1e-12);
  // NHWC: the bias runs along the last axis
  const c4 = CASES[3];
  const y4 = run1('conv2d', { Input: [seqX(c4.x)], Filter: [seqW(c4.w)], Bias: [paddle.to_tensor([1, -2], { dtype: 'float64' })] }, { ...c4.attrs }, 'Output');
  assertClose(y4, c4.y.map((v, i) => v + (i % 2 === 0 ? 1 : -2)), 1e-12, 1e-12);
});

test('conv ops fill in Paddle 2.0 attribute defaults (strides 1, paddings 0, NCHW)', () => {
  const y = conv('conv2d', seqX([1, 1, 3, 3]), seqW([1, 1, 2, 2]), {});
  // by hand: x_i = ((7i mod 11) - 5) / 5 and w_i = ((5i mod 7) - 3) / 4
  const x = [[-1, 0.4, -0.4], [1, 0.2, -0.6], [0.8, 0, -0.8]];
  const w = [[-0.75, 0.5], [0, -0.5]];
  const want: number[] = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) want.push(x[i][j] * w[0][0] + x[i][j + 1] * w[0][1] + x[i + 1][j] * w[1][0] + x[i + 1][j + 1] * w[1][1]);
  assertClose(y, want, 1e-12, 1e-12);
  assertClose(seqW([4]), w.flat());
  assertClose(seqX([9]), x.flat());
  const d = conv('conv3d', seqX([1, 1, 2, 2, 2]), seqW([1, 1, 1, 1, 1]), {});
  assertClose(d, (seqX([8]).numpy() as Float64Array).map((v) => -0.75 * v), 0, 1e-12);
  const t = conv('conv2d_transpose', seqX([1, 1, 1, 1]), seqW([1, 2, 2, 2]), {});
  assert.deepEqual(t.shape, [1, 2, 2, 2]);
  assertClose(t, (seqW([8]).numpy() as Float64Array).map((v) => -v), 0, 1e-12);
});

// Gradients: every operator through checkGrad (float64) on small cases of the table, for
// Input and Filter (the *_grad kernels), plus the Bias of conv2d / conv2d_transpose.
const GRAD_CASES = CASES.filter((_, i) => i !== 4 && i !== 6);
test('*_grad kernels: finite-difference gradients of Input and Filter for every case', () => {
  for (const cs of GRAD_CASES) {
    assert.doesNotThrow(() => checkGrad((x, w) => conv(cs.type, x, w, cs.attrs), [seqX(cs.x), seqW(cs.w)]), cs.name);
  }
});

test('Bias and ResidualData gradients (conv2d, conv2d_transpose)', () => {
  const c0 = CASES[0];
  checkGrad(
    (x, w, b, r) => run1('conv2d', { Input: [x], Filter: [w], Bias: [b], ResidualData: [r] }, { ...c0.attrs }, 'Output'),
    [seqX(c0.x), seqW(c0.w), paddle.to_tensor([0.1, 0.2, -0.3], { dtype: 'float64' }), seqX([1, 3, 4, 4])],
  );
  const c1 = CASES[16]; // conv2d_transpose NHWC
  checkGrad(
    (x, w, b) => run1('conv2d_transpose', { Input: [x], Filter: [w], Bias: [b] }, { ...c1.attrs }, 'Output'),
    [seqX(c1.x), seqW(c1.w), paddle.to_tensor([0.1, -0.2], { dtype: 'float64' })],
  );
});

test('double grad: the *_grad operators differentiate again (second-order finite differences)', () => {
  const picks = ['conv2d stride 2, asymmetric pads, dilation, groups 2', 'depthwise_conv2d multiplier 2', 'conv2d NHWC 1x1',
    'conv3d NDHWC groups 2 stride asymmetric', 'conv2d_transpose groups 2, asymmetric pads, dilation', 'depthwise_conv2d_transpose',
    'conv3d_transpose'];
  for (const name of picks) {
    const cs = CASES.find((c) => c.name === name)!;
    // f(x, w) = [d/dx, d/dw] of sum(conv(x, w)^2): its gradient runs the *_grad op's own rule
    checkGrad(
      (x, w) => {
        const y = conv(cs.type, x, w, cs.attrs);
        const [gx, gw] = paddle.grad([paddle.sum(paddle.multiply(y, y))], [x, w], { create_graph: true });
        return [gx!, gw!];
      },
      [seqX(cs.x), seqW(cs.w)],
      { rtol: 1e-5, atol: 1e-6 },
    );
  }
});

test('conv2d_grad runs as an operator: Input@GRAD and Filter@GRAD by slot', () => {
  const cs = CASES[0];
  const x = seqX(cs.x);
  const w = seqW(cs.w);
  const r = dispatch('conv2d_grad', { Input: [x], Filter: [w], 'Output@GRAD': [paddle.ones(cs.shape, 'float64')] }, { ...cs.attrs });
  assert.deepEqual(r['Input@GRAD'][0].shape, cs.x);
  assert.deepEqual(r['Filter@GRAD'][0].shape, cs.w);
  // with dOut = 1 and padding 1 on a 4x4 input, dFilter[k, c, i, j] sums x over the 3x3 window
  // of positions the tap reaches; the centre tap reaches every pixel
  const fx = seqX(cs.x).numpy() as Float64Array;
  const chan0 = Array.from(fx.slice(0, 16)).reduce((a, b) => a + b, 0);
  assertClose((r['Filter@GRAD'][0].numpy() as Float64Array)[4], [chan0], 1e-12, 1e-12);
  // dInput = sum over output channels and taps that reach the pixel: the interior pixel (1,1)
  // of channel 0 is reached by every tap of every filter
  const fw = seqW(cs.w).numpy() as Float64Array;
  let s = 0;
  for (let k = 0; k < 3; k++) for (let t = 0; t < 9; t++) s += fw[k * 18 + t];
  assertClose((r['Input@GRAD'][0].numpy() as Float64Array)[5], [s], 1e-12, 1e-12);
  // asked for one gradient (a gradient rule whose input needs none), it computes only that one
  const only = dispatch('conv2d_grad', { Input: [x], Filter: [w], 'Output@GRAD': [paddle.ones(cs.shape, 'float64')] }, { ...cs.attrs }, ['Filter@GRAD']);
  assert.equal(only['Input@GRAD'], undefined);
  assertClose(only['Filter@GRAD'][0], r['Filter@GRAD'][0].numpy() as Float64Array, 0, 0);
  // dygraph: a data input gets no Input@GRAD computed, the filter its full gradient
  const wl = seqW(cs.w);
  wl.stop_gradient = false;
  paddle.sum(run1('conv2d', { Input: [x], Filter: [wl] }, { ...cs.attrs }, 'Output')).backward();
  assertClose(wl.grad!, r['Filter@GRAD'][0].numpy() as Float64Array, 0, 0);
});

test('errors name the operator and the mismatch', () => {
  const E = paddle.errors.InvalidArgumentError;
  const x = seqX([1, 4, 5, 5]);
  assertThrows(() => conv('conv2d', x, seqW([2, 3, 3, 3]), {}), E, /conv2d/, /input channels \(4.*filter's channels \* groups = 3 \* 1.*\[2, 3, 3, 3\]/);
  assertThrows(() => conv('conv2d', x, seqW([3, 2, 3, 3]), { groups: 2 }), E, /output channels.*3.*divisible by groups = 2/);
  assertThrows(() => conv('conv2d', x, seqW([3, 4, 3]), {}), E, /numbers of dimensions must be equal/);
  assertThrows(() => conv('conv2d', seqX([4, 5, 5]), seqW([3, 4, 3]), {}), E, /4-D or 5-D/);
  assertThrows(() => conv('conv2d', x, seqW([2, 4, 7, 3]), {}), E, /output size must be greater than 0/);
  assertThrows(() => conv('conv2d', x, seqW([2, 4, 3, 3]), { strides: [1] }), E, /strides must be a list of 2 integers/);
  assertThrows(() => conv('conv2d', x, seqW([2, 4, 3, 3]), { strides: [0, 1] }), E, /strides must hold integers >= 1/);
  assertThrows(() => conv('conv2d', x, seqW([2, 4, 3, 3]), { paddings: [1, 1, 1] }), E, /paddings must have 2 or 4 elements/);
  assertThrows(() => conv('conv2d', x, seqW([2, 4, 3, 3]), { padding_algorithm: 'FULL' }), E, /padding_algorithm must be 'EXPLICIT', 'SAME' or 'VALID'/);
  assertThrows(() => conv('conv2d', x, seqW([2, 4, 3, 3]), { data_format: 'CHWN' }), E, /data_format/);
  assertThrows(() => conv('conv2d', x, seqW([2, 4, 3, 3]), { groups: 0 }), E, /groups must be a positive integer/);
  assertThrows(() => conv('conv2d', x, seqW([2, 4, 3, 3], 'float32'), {}), E, /data type should be consistent/);
  assertThrows(() => conv('conv2d', x.astype('float16'), seqW([2, 4, 3, 3]).astype('float16'), {}), E, /float16 can only be used when CUDNN/);
  assertThrows(() => conv('conv2d', x.astype('int32'), seqW([2, 4, 3, 3]).astype('int32'), {}), E, /float32 or float64/);
  assertThrows(() => run1('conv2d', { Input: [x], Filter: [seqW([2, 4, 3, 3])], Bias: [seqW([3])] }, {}, 'Output'), E, /Bias must hold one value per output channel \(2\)/);
  // transposed
  const t = seqX([1, 2, 3, 3]);
  assertThrows(() => conv('conv2d_transpose', t, seqW([3, 2, 3, 3]), {}), E, /input channels \(2.*filter's first dim/);
  assertThrows(() => conv('conv2d_transpose', t, seqW([2, 2, 3, 3]), { output_size: [9, 5] }), E, /output_size\[0\] = 9 must be in \[5, 6\)/);
  assertThrows(() => conv('conv2d_transpose', t, seqW([2, 2, 3, 3]), { strides: [2, 2], output_padding: [2, 0] }), E, /output_padding\[0\] = 2 must be in \[0, max\(stride, dilation\)\) = \[0, 2\)/);
  assertThrows(() => conv('conv2d_transpose', t, seqW([2, 2, 3, 3]), { output_size: [5] }), E, /output_size must be empty or hold 2 integers/);
  assertThrows(() => conv('conv2d_transpose', t, seqW([2, 2, 3, 3]), { paddings: [3, 3] }), E, /output size must be greater than 0/);
  assertThrows(() => conv('conv2d_transpose', t, seqW([2, 2, 3, 3]), { groups: 3 }), E, /divisible by groups = 3/);
  assertThrows(
    () => dispatch('conv2d_grad', { Input: [x], Filter: [seqW([2, 4, 3, 3])], 'Output@GRAD': [seqX([1, 2, 4, 4])] }, {}),
    E, /Output@GRAD has shape \[1, 2, 4, 4\], but the operator's output has shape \[1, 2, 3, 3\]/,
  );
});

test('static mode: shapes keep -1 (batch and spatial), the program runs and differentiates', () => {
  const xs = seqX([1, 2, 4, 4]);
  const wv = seqW([3, 2, 3, 3]);
  const w2v = seqW([2, 1, 2, 2]);
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    paddle.static.scope_guard(new paddle.static.Scope(), () =>
      paddle.static.program_guard(main, startup, () => {
        const block = main.global_block();
        const xv = paddle.static.data('x', [-1, 2, -1, 4], 'float64');
        const w = block.create_parameter({ name: 'w', shape: [3, 2, 3, 3], dtype: 'float64' });
        const y = run1('conv2d', { Input: [xv], Filter: [w] }, { paddings: [1, 1], strides: [2, 1] }, 'Output');
        assert.deepEqual(y.shape, [-1, 3, -1, 4]);
        const s = run1('conv2d', { Input: [xv], Filter: [w] }, { padding_algorithm: 'SAME' }, 'Output');
        assert.deepEqual(s.shape, [-1, 3, -1, 4]);
        const w2 = block.create_parameter({ name: 'w2', shape: [2, 1, 2, 2], dtype: 'float64' });
        const t = run1('conv2d_transpose', { Input: [xv], Filter: [w2] }, { strides: [2, 2] }, 'Output');
        assert.deepEqual(t.shape, [-1, 1, -1, 8]);
        const loss = paddle.sum(y);
        const pairs = paddle.static.append_backward(loss);
        // x is data: as Paddle, the grad op lists only Filter@GRAD (and the kernel computes only it)
        const g = main.global_block().ops.find((o) => o.type === 'conv2d_grad')!;
        assert.deepEqual(Object.keys(g.outputs).filter((k) => g.outputs[k].length), ['Filter@GRAD']);
        paddle.static.global_scope().set('w', wv);
        paddle.static.global_scope().set('w2', w2v);
        const [out, gw] = exe.run(main, { feed: { x: xs }, fetch_list: [y, pairs[0][1]] });
        paddle.disable_static();
        try {
          const ref = conv('conv2d', xs, seqW([3, 2, 3, 3]), { paddings: [1, 1], strides: [2, 1] });
          assertClose(out, ref, 1e-12, 1e-12);
          const wd = seqW([3, 2, 3, 3]);
          wd.stop_gradient = false;
          paddle.sum(conv('conv2d', xs, wd, { paddings: [1, 1], strides: [2, 1] })).backward();
          assertClose(gw, wd.grad!, 1e-12, 1e-12);
        } finally {
          paddle.enable_static();
        }
      }),
    );
  } finally {
    paddle.disable_static();
  }
});

/** A direct NCHW loop (explicit pads [top, bottom, left, right]) as a second reference. */
function direct(x: Tensor, w: Tensor, s: number[], pads: number[], d: number[], groups: number): number[] {
  const [N, C, H, W] = x.shape;
  const [K, Cg, KH, KW] = w.shape;
  const xv = x.numpy() as Float64Array;
  const wv = w.numpy() as Float64Array;
  const OH = Math.floor((H + pads[0] + pads[1] - (d[0] * (KH - 1) + 1)) / s[0]) + 1;
  const OW = Math.floor((W + pads[2] + pads[3] - (d[1] * (KW - 1) + 1)) / s[1]) + 1;
  const Kg = K / groups;
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let acc = 0;
    const g = Math.floor(k / Kg);
    for (let c = 0; c < Cg; c++) for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
      const ih = oh * s[0] - pads[0] + i * d[0];
      const iw = ow * s[1] - pads[2] + j * d[1];
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      acc += xv[((n * C + g * Cg + c) * H + ih) * W + iw] * wv[((k * Cg + c) * KH + i) * KW + j];
    }
    out.push(acc);
  }
  return out;
}

test('larger and unusual geometries agree with a direct loop (GEMM blocking edges, one input channel, 1x1 depthwise)', () => {
  const geoms: [number[], number[], number[], number[], number[], number][] = [
    // x, w, strides, pads, dilations, groups
    [[2, 6, 11, 9], [8, 3, 3, 2], [2, 1], [1, 2, 0, 1], [1, 2], 2],
    [[1, 10, 13, 17], [70, 10, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1],
    [[2, 1, 9, 8], [5, 1, 3, 3], [1, 2], [1, 1, 0, 2], [2, 1], 1],
    [[1, 4, 5, 6], [8, 1, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1], 4],
    [[1, 3, 6, 6], [6, 1, 1, 1], [2, 2], [1, 0, 0, 1], [1, 1], 3],
    [[1, 9, 7, 7], [6, 3, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1], 3],
  ];
  for (const [xs, ws, st, pd, dl, g] of geoms) {
    const x = seqX(xs);
    const w = seqW(ws);
    const y = conv('conv2d', x, w, { strides: st, paddings: pd, dilations: dl, groups: g });
    assertClose(y, direct(x, w, st, pd, dl, g), 1e-12, 1e-12, JSON.stringify([xs, ws]));
  }
});
