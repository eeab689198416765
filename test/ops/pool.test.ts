// Pooling: pool2d / pool3d and max_pool2d/3d_with_index through F.*_pool*d. Expected values
// come from a NumPy reference written from Paddle's kernels (window start = o*stride - pad,
// end clipped to the input; non-exclusive avg divides by min(start + k, in + pad) - start;
// adaptive bins floor(i*in/out) .. ceil((i+1)*in/out); output size by C++ truncating division;
// Mask = flat index of the first max in its input plane). Gradients by finite differences.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;
const E = paddle.errors.InvalidArgumentError;

/** The NumPy reference's test data: ((i*7) % 23 - 11) / 2 in row-major order. */
function D(shape: number[], dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Array.from({ length: n }, (_, i) => (((i * 7) % 23) - 11) * 0.5), { dtype }).reshape(shape);
}
const X = (): Tensor => D([2, 3, 5, 5]);
const sub = (t: Tensor, n: number, c: number): Tensor => t.getitem(`0:${n}`, `0:${c}`);
const T2 = (t: Tensor | Tensor[]): Tensor => t as Tensor;
const pair = (t: Tensor | [Tensor, Tensor]): [Tensor, Tensor] => t as [Tensor, Tensor];

test('avg_pool2d: 2x2 windows of arange(16) (hand-checked)', () => {
  const x = paddle.arange(16, { dtype: 'float32' }).reshape([1, 1, 4, 4]);
  const y = F.avg_pool2d(x, 2);
  assertTensor(y, [1, 1, 2, 2], 'float32', [[[[2.5, 4.5], [10.5, 12.5]]]]);
  // stride=None means kernel_size; stride 1 overlaps
  assert.deepEqual(F.avg_pool2d(x, 2, 1).shape, [1, 1, 3, 3]);
  assertClose(F.avg_pool2d(x, [2, 4], { stride: [2, 4] }), [3.5, 11.5]);
});

test('avg_pool2d: padding, exclusive True/False, ceil_mode', () => {
  const x = X();
  const P1 = [-0.75, 0.6666667, 1.125, 0.5833333, 0.7222222, 1.5, 0.0, -0.5, -1.0, 0.5, 0.0, -0.5, -0.08333333, 0.05555556, -1.083333, -1.625, -1.166667, 0.25, -1.125, -0.6666667, 0.75, -0.75, -0.6111111, 0.1666667, -0.375, 0.08333333, -1.375, 0.125, 0.5833333, -0.875, 0.5, 0.0, -0.5, 0.875, -0.5833333, -0.125, 1.375, -0.08333333, 0.375, -0.1666667, 0.6111111, 0.75, -0.75, 0.6666667, 1.125, -0.25, 1.166667, 1.625, 1.083333, -0.05555556, 0.08333333, 0.5, 0.0, -0.5];
  const P2 = [-0.3333333, 0.4444444, 0.5, 0.3888889, 0.7222222, 1.0, 0.0, -0.3333333, -0.4444444, 0.2222222, 0.0, -0.2222222, -0.05555556, 0.05555556, -0.7222222, -0.7222222, -0.7777778, 0.1111111, -0.5, -0.4444444, 0.3333333, -0.5, -0.6111111, 0.1111111, -0.1666667, 0.05555556, -0.6111111, 0.05555556, 0.3888889, -0.3888889, 0.3333333, 0.0, -0.3333333, 0.3888889, -0.3888889, -0.05555556, 0.6111111, -0.05555556, 0.1666667, -0.1111111, 0.6111111, 0.5, -0.3333333, 0.4444444, 0.5, -0.1111111, 0.7777778, 0.7222222, 0.7222222, -0.05555556, 0.05555556, 0.2222222, 0.0, -0.2222222];
  const y1 = F.avg_pool2d(x, 3, 2, 1);
  assertTensor(y1, [2, 3, 3, 3], 'float64');
  assertClose(y1, P1, 1e-6);
  assertClose(F.avg_pool2d(x, 3, 2, 1, { exclusive: false }), P2, 1e-6);
  // ceil_mode adds a partial last window; without padding non-exclusive divides by the
  // clipped window (Paddle bounds windows at in + pad_before)
  const c1 = F.avg_pool2d(sub(x, 1, 1), 2, 2, 0, true, false);
  assertTensor(c1, [1, 1, 3, 3], 'float64');
  assertClose(c1, [-0.75, 0.5, 0.0, -0.25, 1.0, 0.5, -2.75, -1.5, -2.0]);
  // with padding 1 and ceil_mode the last window lies past the input: 0 / 1
  assertClose(F.avg_pool2d(sub(x, 1, 1), 2, 2, 1, { ceil_mode: true, exclusive: false }),
    [-1.375, -0.125, 0.5, 0.0, -1.125, 0.125, 1.375, 0.0, -0.875, 0.625, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
  // the same window, exclusive: 0 / 0
  const nan = T2(F.avg_pool2d(sub(x, 1, 1), 2, 2, 1, { ceil_mode: true })).numpy();
  assert.ok(Number.isNaN(nan[15]));
});

test('avg_pool2d / max_pool2d: asymmetric padding in every accepted form, SAME and VALID', () => {
  const x = sub(X(), 1, 2);
  const P5 = [-1.0, 0.75, 0.5833333, 0.5, -1.5, -0.6666667, 0.9166667, 0.5833333, 1.375, 0.25, -0.1666667, -0.5, -0.8333333, -1.0, 0.75, 0.5833333, 0.4166667, 0.25, 1.125, 2.0, 0.5833333, 0.25, -0.08333333, -0.25, 1.5, -0.8333333, -1.166667, 0.4166667, 0.25, 2.0];
  const P5max = [1.5, 5.0, 5.0, 5.0, -3.0, 4.0, 5.5, 5.5, 5.5, 3.0, 4.5, 4.5, 3.5, 3.5, 3.5, 5.0, 5.0, 4.0, 4.0, 4.0, 5.5, 5.5, 4.5, 4.5, 4.5, 3.5, 3.5, 5.0, 5.0, 5.0];
  // [top, bottom, left, right]
  const y = F.avg_pool2d(x, [2, 3], [2, 1], [1, 0, 0, 2], { exclusive: false });
  assertTensor(y, [1, 2, 3, 5], 'float64');
  assertClose(y, P5, 1e-6);
  // the same as pairs for every dim (batch and channel pairs zero)
  assertClose(F.avg_pool2d(x, [2, 3], [2, 1], [[0, 0], [0, 0], [1, 0], [0, 2]], { exclusive: false }), P5, 1e-6);
  assertClose(T2(F.max_pool2d(x, [2, 3], [2, 1], [1, 0, 0, 2])), P5max);
  // SAME: out = ceil(5 / 2) = 3, pad_sum 1 -> (0, 1)
  const same = F.avg_pool2d(sub(x, 1, 1), 2, 2, 'SAME');
  assert.deepEqual(same.shape, [1, 1, 3, 3]);
  assertClose(same, [-0.75, 0.5, 0.0, -0.25, 1.0, 0.5, -2.75, -1.5, -2.0]);
  // VALID: no padding, floor
  assertClose(T2(F.max_pool2d(sub(x, 1, 1), 3, 2, 'valid')), [4.0, 5.5, 4.5, 5.5]);
  // symmetric [ph, pw] and int forms agree
  assertClose(T2(F.max_pool2d(x, 3, 2, [1, 1])), T2(F.max_pool2d(x, 3, 2, 1)));
  assertClose(T2(F.max_pool2d(x, 3, 2, [1, 1, 1, 1])), T2(F.max_pool2d(x, 3, 2, 1)));
});

test('max_pool2d: padding with ceil_mode; float32; NHWC matches NCHW', () => {
  const x = sub(X(), 1, 3);
  const P4 = [4.0, 5.0, 5.0, 4.5, 5.5, 5.5, 4.5, 4.5, 3.5, 5.0, 5.0, 4.0, 5.5, 5.5, 4.5, 2.5, 3.5, 5.0, 3.0, 4.0, 5.5, 3.5, 4.5, 5.5, 3.5, 5.0, 2.5];
  const y = F.max_pool2d(x, 3, 2, 1, { ceil_mode: true });
  assertTensor(T2(y), [1, 3, 3, 3], 'float64');
  assertClose(T2(y), P4);
  const y32 = F.max_pool2d(x.astype('float32'), 3, 2, 1, { ceil_mode: true });
  assertTensor(T2(y32), [1, 3, 3, 3], 'float32');
  assertClose(T2(y32), P4);
  // NHWC: the same windows over a channel-last layout
  const xl = paddle.transpose(X(), [0, 2, 3, 1]);
  for (const [k, s, pd, ceil] of [[3, 2, 1, true], [2, 1, 0, false], [3, 2, [1, 0, 0, 2], false]] as const) {
    const ref = paddle.transpose(T2(F.max_pool2d(X(), k, s, pd as never, { ceil_mode: ceil })), [0, 2, 3, 1]);
    assertClose(T2(F.max_pool2d(xl, k, s, pd as never, { ceil_mode: ceil, data_format: 'NHWC' })), ref);
    const refA = paddle.transpose(F.avg_pool2d(X(), k, s, pd as never, { ceil_mode: ceil, exclusive: false }), [0, 2, 3, 1]);
    assertClose(F.avg_pool2d(xl, k, s, pd as never, { ceil_mode: ceil, exclusive: false, data_format: 'NHWC' }), refA, 1e-12, 1e-12);
  }
  // NHWC padding given as pairs: batch first, channel last
  const refP = paddle.transpose(F.avg_pool2d(X(), 3, 2, 1), [0, 2, 3, 1]);
  assertClose(F.avg_pool2d(xl, 3, 2, [[0, 0], [1, 1], [1, 1], [0, 0]], { data_format: 'NHWC' }), refP, 1e-12, 1e-12);
});

test('max_pool2d return_mask: the first max per window, as a flat index in the H*W plane (int32)', () => {
  const x = sub(X(), 1, 2);
  const [o, m] = pair(F.max_pool2d(x, 2, { return_mask: true }));
  assertTensor(o, [1, 2, 2, 2], 'float64');
  assertClose(o, [4.0, 5.0, 4.5, 5.5, 5.0, 3.0, 5.5, 3.5]);
  assertTensor(m, [1, 2, 2, 2], 'int32', [[[[6, 3], [16, 13]], [[1, 7], [11, 17]]]]);
  // padding 1 (windows clipped to the input); ties keep the first position
  const [o2, m2] = pair(F.max_pool2d(sub(x, 1, 1), 3, 2, 1, { return_mask: true }));
  assertClose(o2, [4.0, 5.0, 5.0, 4.5, 5.5, 5.5, 4.5, 4.5, 3.5]);
  assertTensor(m2, [1, 1, 3, 3], 'int32', [[[[6, 3, 3], [16, 13, 13], [16, 16, 19]]]]);
  // 'SAME' resolves to symmetric explicit padding here
  const [o3] = pair(F.max_pool2d(sub(x, 1, 1), 3, 2, 'SAME', { return_mask: true }));
  assertClose(o3, o2);
});

test('adaptive pooling with sizes that do not divide the input; mask; None keeps a dim', () => {
  const y = D([1, 2, 5, 7]);
  const avg = F.adaptive_avg_pool2d(y, [3, 4]);
  assertTensor(avg, [1, 2, 3, 4], 'float64');
  assertClose(avg, [-3.0, 0.3333333, -0.3333333, 3.0, -0.75, -0.6111111, 0.0, 1.416667, 1.5, -0.9166667, 0.3333333, -1.125, 1.625, 0.1666667, -0.5, -1.0, -0.9166667, 0.5, -0.1666667, 1.25, -2.5, 0.8333333, 0.1666667, 0.625], 1e-6);
  const [mx, mask] = pair(F.adaptive_max_pool2d(y, [3, 4], true));
  assertClose(mx, [-0.5, 5.0, 5.0, 5.5, 2.5, 4.5, 5.0, 5.5, 4.0, 4.0, 5.0, 5.0, 5.5, 5.5, 4.5, 1.5, 5.0, 5.5, 5.5, 4.5, 0.0, 5.5, 5.5, 4.5]);
  assertTensor(mask, [1, 2, 3, 4], 'int32');
  assertClose(mask, [8, 3, 3, 13, 22, 16, 26, 13, 29, 29, 26, 26, 1, 1, 4, 13, 14, 24, 24, 27, 29, 24, 24, 27]);
  assertClose(T2(F.adaptive_max_pool2d(y, [3, 4])), mx);
  // None (null) keeps the input size of that dim; an int is used for both
  assert.deepEqual(F.adaptive_avg_pool2d(y, [null, 2]).shape, [1, 2, 5, 2]);
  assert.deepEqual(F.adaptive_avg_pool2d(y, 1).shape, [1, 2, 1, 1]);
  assertClose(F.adaptive_avg_pool2d(y, 1), paddle.mean(y, [2, 3], true), 1e-12, 1e-12);
  // NHWC
  const yl = paddle.transpose(y, [0, 2, 3, 1]);
  assertClose(F.adaptive_avg_pool2d(yl, [3, 4], 'NHWC'), paddle.transpose(avg, [0, 2, 3, 1]), 1e-12, 1e-12);
  // adaptive max through pool2d (max ignores adaptive in Paddle 2.0's CPU kernel; here it
  // uses the adaptive bins, as max_pool2d_with_index does)
  const r = dispatch('pool2d', { X: [y] }, { pooling_type: 'max', ksize: [3, 4], adaptive: true });
  assertClose(r.Out[0], mx);
});

test('1-D pooling: avg (exclusive False, ceil), max with mask, adaptive', () => {
  const z = D([2, 3, 7]);
  const a = F.avg_pool1d(z, 3, 2, 1, false, true);
  assertTensor(a, [2, 3, 4], 'float64');
  assertClose(a, [-2.5, 1.5, 0.8333333, 1.5, -1.5, -0.8333333, -1.5, 2.5, -0.5, 0.6666667, 0.0, -0.3333333, 0.5, -1.666667, 1.5, 0.6666667, 1.5, -0.1666667, -0.8333333, -2.166667, 2.5, 1.333333, 0.6666667, -1.166667], 1e-6);
  const [m, idx] = pair(F.max_pool1d(z, 2, { return_mask: true }));
  assertTensor(m, [2, 3, 3], 'float64');
  assertClose(m, [-2.0, 5.0, 0.5, -0.5, 3.0, 2.0, 1.0, 4.5, 3.5, 2.5, -2.0, 5.0, 4.0, -0.5, 3.0, 5.5, 1.0, 4.5]);
  assertTensor(idx, [2, 3, 3], 'int32');
  assertClose(idx, [1, 3, 5, 1, 2, 5, 1, 2, 5, 1, 3, 5, 1, 3, 4, 1, 3, 4]);
  assertClose(T2(F.max_pool1d(z, 2)), m);
  assertClose(F.adaptive_avg_pool1d(z, 3), [-2.0, 1.166667, 0.5, -0.5, -1.166667, 2.0, 1.0, 0.3333333, -0.3333333, -1.333333, -2.0, 1.166667, 0.1666667, -0.5, -1.166667, 1.666667, 1.0, 0.3333333], 1e-6);
  const [am, ai] = pair(F.adaptive_max_pool1d(z, 3, true));
  assertClose(am, [1.5, 5.0, 4.0, 3.0, 3.0, 5.5, 4.5, 4.5, 3.5, 2.5, 1.5, 5.0, 4.0, 3.0, 3.0, 5.5, 4.5, 4.5]);
  assertClose(ai, [2, 3, 6, 2, 2, 6, 2, 2, 5, 1, 4, 5, 1, 4, 4, 1, 4, 4]);
  // [before, after] padding of the one dim
  assert.deepEqual(F.avg_pool1d(z, 2, 1, [1, 0]).shape, [2, 3, 7]);
});

test('3-D pooling: avg / max with ceil_mode, adaptive, return_mask; NDHWC', () => {
  const v = D([1, 2, 4, 5, 3]);
  const a = F.avg_pool3d(v, [2, 3, 2], [2, 2, 1], 1, true);
  assertTensor(a, [1, 2, 3, 3, 4], 'float64');
  assertClose(a, [-0.25, -1.375, -0.75, 1.0, 4.0, 0.0, -2.25, -0.5, 2.5, 1.375, -0.875, -2.0, -2.0, -0.25, 0.375, -0.75, 0.3333333, 0.1666667, -0.1666667, -0.3333333, 0.75, -0.375, 0.25, 2.0, 2.0, 0.875, -1.375, -2.5, 0.5, 2.25, 0.0, -4.0, -1.0, 0.75, 1.375, 0.25, -3.0, -1.25, 2.25, 4.0, -4.5, -2.75, 0.75, 2.5, -0.25, -1.375, -0.75, 1.0, 1.0, -0.125, -0.9375, -0.625, -0.5, 0.2916667, 0.9166667, 0.75, -2.0, -0.25, 0.375, -0.75, 5.0, 1.0, -1.25, 0.5, 3.5, -0.5, -2.75, -1.0, 2.0, 0.875, -1.375, -2.5], 1e-6);
  const mx = F.max_pool3d(v, [2, 3, 2], [2, 2, 1], 1, { ceil_mode: true });
  assertClose(T2(mx), [5.0, 5.0, 1.5, 1.5, 5.0, 5.0, 0.5, 0.5, 3.0, 5.5, 5.5, -1.5, 1.0, 4.5, 4.5, 3.0, 5.5, 5.5, 5.0, 5.0, 4.5, 4.5, 5.0, 5.0, 2.5, 5.0, 5.0, -2.0, 1.5, 5.0, 5.0, -3.0, -0.5, 3.0, 5.5, 5.5, -2.5, 1.0, 4.5, 4.5, -3.5, 0.0, 3.5, 3.5, 5.0, 5.0, 1.5, 1.5, 4.0, 4.0, 5.0, 5.0, 3.0, 5.5, 5.5, 5.0, 1.0, 4.5, 4.5, 3.0, 5.5, 5.5, 1.0, 1.0, 4.5, 4.5, 0.0, 0.0, 2.5, 5.0, 5.0, -2.0]);
  assertClose(F.adaptive_avg_pool3d(v, [3, 2, 2]), [0.4166667, -0.875, 0.3333333, 0.0, 0.2083333, -0.125, 0.125, -0.2083333, 0.0, -0.3333333, 0.875, -0.4166667, -0.4166667, 0.2083333, 0.4583333, 0.125, 0.3333333, 0.0, 0.25, 0.875, 0.125, -0.2083333, -0.9166667, -0.2916667], 1e-6);
  const [am, ai] = pair(F.adaptive_max_pool3d(v, [3, 2, 2], true));
  assertClose(am, [5.0, 4.5, 5.5, 5.5, 5.5, 4.5, 5.5, 5.0, 5.5, 5.0, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.0, 5.0, 5.0]);
  assertClose(ai, [3, 16, 13, 13, 36, 16, 36, 26, 36, 49, 36, 59, 22, 22, 22, 22, 22, 22, 22, 22, 45, 35, 58, 58]);
  const [wm, wi] = pair(F.max_pool3d(v, 2, { return_mask: true }));
  assertTensor(wm, [1, 2, 2, 2, 1], 'float64');
  assertClose(wm, [5.0, 4.0, 5.0, 5.5, 4.0, 5.5, 5.5, 3.5]);
  assertTensor(wi, [1, 2, 2, 2, 1], 'int32');
  assertClose(wi, [3, 6, 49, 36, 15, 22, 45, 51]);
  // NDHWC
  const vl = paddle.transpose(v, [0, 2, 3, 4, 1]);
  assertClose(F.avg_pool3d(vl, [2, 3, 2], [2, 2, 1], 1, true, { data_format: 'NDHWC' }), paddle.transpose(a, [0, 2, 3, 4, 1]), 1e-12, 1e-12);
  assertClose(T2(F.max_pool3d(vl, [2, 3, 2], [2, 2, 1], 1, { ceil_mode: true, data_format: 'NDHWC' })), paddle.transpose(T2(mx), [0, 2, 3, 4, 1]));
  assertClose(F.adaptive_avg_pool3d(vl, [3, 2, 2], 'NDHWC'), paddle.transpose(F.adaptive_avg_pool3d(v, [3, 2, 2]), [0, 2, 3, 4, 1]), 1e-12, 1e-12);
});

test('divisor_override scales the mean by prod(kernel_size) / divisor; global pooling op', () => {
  const x = sub(X(), 1, 1);
  assertClose(F.avg_pool2d(x, 2, 2, 1, { divisor_override: 3 }), [-7.333333, -0.3333333, 1.333333, -3.0, 0.1666667, 1.833333, -2.333333, 0.8333333, -1.333333], 1e-6);
  const g = dispatch('pool2d', { X: [X()] }, { pooling_type: 'avg', ksize: [1, 1], global_pooling: true }).Out[0];
  assertTensor(g, [2, 3, 1, 1], 'float64');
  assertClose(g, [-0.3, 0.26, -0.1, 0.0, 0.1, -0.26], 1e-12, 1e-12);
  const gm = dispatch('pool3d', { X: [D([1, 2, 3, 2, 2])] }, { pooling_type: 'max', ksize: [1, 1, 1], global_pooling: true }).Out[0];
  assertClose(gm, paddle.max(D([1, 2, 3, 2, 2]), [2, 3, 4], true));
});

/**
 * The gradient of x's gradient with respect to the incoming gradient v (the double-grad rule
 * of the *_grad operator), as a function of v for checkGrad.
 */
function gradOfGrad(f: (t: Tensor) => Tensor, x: Tensor): (v: Tensor) => Tensor {
  return (v) => {
    const xx = paddle.to_tensor(x.numpy() as never, { dtype: 'float64', stop_gradient: false }).reshape(x.shape);
    return paddle.grad([f(xx)], [xx], [v], { create_graph: true })[0]!;
  };
}

test('pool gradients (finite differences): avg exclusive / not, ceil_mode, NHWC, max, adaptive, 3-D', () => {
  const x = randTensor([1, 2, 5, 6]);
  checkGrad((t) => F.avg_pool2d(t, 3, 2, 1), [x]);
  checkGrad((t) => F.avg_pool2d(t, [2, 3], [2, 1], [1, 0, 0, 2], { ceil_mode: true, exclusive: false }), [x]);
  checkGrad((t) => F.avg_pool2d(t, 2, 2, 'SAME', { data_format: 'NHWC' }), [randTensor([1, 5, 5, 2])]);
  checkGrad((t) => F.avg_pool2d(t, 2, { divisor_override: 3 }), [x]);
  checkGrad((t) => T2(F.max_pool2d(t, 3, 2, 1, { ceil_mode: true })), [x]);
  checkGrad((t) => T2(F.max_pool2d(t, 2, 1, 0, { data_format: 'NHWC' })), [randTensor([1, 4, 5, 2])]);
  checkGrad((t) => F.adaptive_avg_pool2d(t, [3, 4]), [x]);
  checkGrad((t) => T2(F.adaptive_max_pool2d(t, [3, 4])), [x]);
  checkGrad((t) => pair(F.max_pool2d(t, 3, 2, 1, { return_mask: true }))[0], [x]);
  checkGrad((t) => F.avg_pool1d(t, 3, 2, 1, false, true), [randTensor([2, 2, 7])]);
  checkGrad((t) => pair(F.max_pool1d(t, 2, { return_mask: true }))[0], [randTensor([2, 2, 7])]);
  const v = randTensor([1, 2, 4, 5, 3]);
  checkGrad((t) => F.avg_pool3d(t, [2, 3, 2], [2, 2, 1], 1, true), [v]);
  checkGrad((t) => T2(F.max_pool3d(t, [2, 3, 2], [2, 2, 1], 1, { ceil_mode: true })), [v]);
  checkGrad((t) => T2(F.adaptive_max_pool3d(t, [3, 2, 2])), [v]);
  checkGrad((t) => F.adaptive_avg_pool3d(t, [3, 2, 2], 'NDHWC'), [randTensor([1, 4, 5, 3, 2])]);
});

test('double gradients: the *_grad operators differentiate with respect to Out@GRAD', () => {
  const x = randTensor([1, 2, 5, 6]);
  checkGrad(gradOfGrad((t) => F.avg_pool2d(t, 3, 2, 1, { exclusive: false }), x), [randTensor([1, 2, 3, 3])]);
  checkGrad(gradOfGrad((t) => T2(F.max_pool2d(t, 3, 2, 1)), x), [randTensor([1, 2, 3, 3])]);
  checkGrad(gradOfGrad((t) => T2(F.max_pool2d(t, 2, 2, 0, { data_format: 'NHWC' })), randTensor([1, 4, 6, 2])), [randTensor([1, 2, 3, 2])]);
  checkGrad(gradOfGrad((t) => T2(F.adaptive_max_pool2d(t, [3, 4])), x), [randTensor([1, 2, 3, 4])]);
  checkGrad(gradOfGrad((t) => pair(F.max_pool2d(t, 2, { return_mask: true }))[0], x), [randTensor([1, 2, 2, 3])]);
  checkGrad(gradOfGrad((t) => T2(F.max_pool3d(t, 2)), randTensor([1, 1, 4, 4, 2])), [randTensor([1, 1, 2, 2, 1])]);
  // max pooling's second derivative needs windows max_pool2d_with_index can express
  const g = gradOfGrad((t) => T2(F.max_pool2d(t, 3, 2, 1, { ceil_mode: true })), randTensor([1, 1, 6, 6]));
  const v = paddle.to_tensor(randTensor([1, 1, 4, 4]).numpy() as never, { dtype: 'float64', stop_gradient: false }).reshape([1, 1, 4, 4]);
  assertThrows(() => paddle.grad([paddle.sum(g(v))], [v]), E, /second derivative of max pooling is not supported/);
});

test('pool gradients by hand: max routes to the first max, avg spreads over the counted window', () => {
  const x = paddle.to_tensor([[[[1, 3, 3], [2, 0, 1]]]], { dtype: 'float64', stop_gradient: false });
  paddle.sum(T2(F.max_pool2d(x, [2, 2], 1))).backward();
  // windows [[1,3],[2,0]] and [[3,3],[0,1]]: both maxima 3 in column 1 (the first one)
  assertClose(x.grad!, [[[[0, 2, 0], [0, 0, 0]]]]);
  const y = paddle.to_tensor([[[[1, 2, 3, 4]]]], { dtype: 'float64', stop_gradient: false });
  paddle.sum(F.avg_pool2d(y, [1, 3], [1, 2], [0, 1])).backward();
  // windows [pad, 1, 2] (2 counted) and [2, 3, 4]: 1/2, 1/2 + 1/3, 1/3, 1/3
  assertClose(y.grad!, [[[[0.5, 0.5 + 1 / 3, 1 / 3, 1 / 3]]]], 1e-12, 1e-12);
});

test('static mode: pool2d and max_pool2d_with_index in a program', () => {
  const feed = sub(X(), 1, 2).astype('float32');
  const ref = F.avg_pool2d(feed, 3, 2, 1);
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [null, 2, 5, 5], 'float32');
      const y = F.avg_pool2d(x, 3, 2, 1);
      const [m, idx] = pair(F.max_pool2d(x, 2, { return_mask: true }));
      assert.deepEqual(y.shape, [-1, 2, 3, 3]);
      assert.deepEqual(idx.shape, [-1, 2, 2, 2]);
      assert.deepEqual(main.global_block().ops.map((o) => o.type), ['pool2d', 'max_pool2d_with_index']);
      const op = main.global_block().ops[0];
      assert.equal(op.attr('pooling_type'), 'avg');
      assert.deepEqual(op.attr('paddings'), [1, 1]);
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      const [a, b] = exe.run(main, { feed: { x: feed }, fetch_list: [y, m] }) as Tensor[];
      assertClose(a, ref);
      assert.deepEqual(b.shape, [1, 2, 2, 2]);
    });
  } finally {
    paddle.disable_static();
  }
});

test('pooling errors name the API and the argument', () => {
  const x = X();
  assertThrows(() => F.avg_pool2d(x, [2, 2, 2]), E, /avg_pool2d/, /kernel_size/);
  assertThrows(() => F.avg_pool2d(x, 2, { padding: 'FULL' }), E, /unknown padding 'FULL'/);
  assertThrows(() => F.avg_pool2d(x, 2, { padding: 'VALID', ceil_mode: true }), E, /ceil_mode must be False/);
  assertThrows(() => F.avg_pool2d(x, 2, { padding: [[1, 1], [0, 0], [1, 1], [1, 1]] }), E, /batch or channel/);
  assertThrows(() => F.avg_pool2d(x, 2, { padding: [1, 2, 3] }), E, /invalid padding/);
  assertThrows(() => F.avg_pool2d(x, 2, { data_format: 'NCDHW' }), E, /data_format/);
  assertThrows(() => F.avg_pool2d(x, 7, 1), E, /output size must be greater than 0/);
  // C++ truncating division: (5 - 7) / 7 + 1 = 1 window (clipped), as Paddle
  assert.deepEqual(F.avg_pool2d(x, 7).shape, [2, 3, 1, 1]);
  assertThrows(() => F.avg_pool2d(D([2, 3, 5]), 2), E, /4-D/);
  assertThrows(() => F.avg_pool1d(x, 2), E, /avg_pool1d.*3-D/);
  assertThrows(() => F.avg_pool2d(x.astype('int32'), 2), E, /dtype float32 or float64/);
  assertThrows(() => F.max_pool2d(paddle.transpose(x, [0, 2, 3, 1]), 2, { return_mask: true, data_format: 'NHWC' }), E, /return_mask is True, data_format must be 'NCHW'/);
  assertThrows(() => F.max_pool2d(x, 2, 2, [1, 0, 0, 1], { return_mask: true }), E, /asymmetric padding/);
  assertThrows(() => F.max_pool2d(x, 2, 2, 'SAME', { return_mask: true }), E, /asymmetric padding/);
  assertThrows(() => F.adaptive_avg_pool2d(x, [2, 2, 2]), E, /output_size/);
  assertThrows(() => F.adaptive_max_pool2d(D([2, 3, 5]), 2), E, /4-D/);
  assertThrows(() => F.avg_pool2d(x, 2, { stride: 0 }), E, /strides must be positive/);
  assertThrows(() => dispatch('pool2d', { X: [x] }, { pooling_type: 'min', ksize: [2, 2] }), E, /pooling_type/);
  assertThrows(() => dispatch('pool2d', { X: [x] }, { pooling_type: 'max', ksize: [2, 2], paddings: [1, 1, 1] }), E, /paddings must have 2 or 4/);
});
