// softmax / log_softmax: values from Paddle's docs (F.softmax example) and NumPy on several
// axes, numerical stability, gradients by finite differences, in-place form, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;
// The input of the F.softmax docstring (python/paddle/nn/functional/activation.py).
const DATA = [[[2, 3, 4, 5], [3, 4, 5, 6], [7, 8, 8, 9]], [[1, 2, 3, 4], [5, 6, 7, 8], [6, 7, 8, 9]]];

// NumPy: e = exp(x - max); e / sum(e) and x - max - log(sum(e)) along the axis.
const SOFTMAX: Record<number, number[]> = {
  [-1]: [0.0320586, 0.08714432, 0.23688282, 0.64391426, 0.0320586, 0.08714432, 0.23688282, 0.64391426, 0.07232949, 0.19661193, 0.19661193, 0.53444665,
    0.0320586, 0.08714432, 0.23688282, 0.64391426, 0.0320586, 0.08714432, 0.23688282, 0.64391426, 0.0320586, 0.08714432, 0.23688282, 0.64391426],
  1: [0.00657326, 0.00657326, 0.01714783, 0.01714783, 0.01786798, 0.01786798, 0.04661262, 0.04661262, 0.97555875, 0.97555875, 0.93623955, 0.93623955,
    0.00490169, 0.00490169, 0.00490169, 0.00490169, 0.26762315, 0.26762315, 0.26762315, 0.26762315, 0.72747516, 0.72747516, 0.72747516, 0.72747516],
  0: [0.73105858, 0.73105858, 0.73105858, 0.73105858, 0.11920292, 0.11920292, 0.11920292, 0.11920292, 0.73105858, 0.73105858, 0.5, 0.5,
    0.26894142, 0.26894142, 0.26894142, 0.26894142, 0.88079708, 0.88079708, 0.88079708, 0.88079708, 0.26894142, 0.26894142, 0.5, 0.5],
};
const LOG_SOFTMAX: Record<number, number[]> = {
  [-1]: [-3.4401897, -2.4401897, -1.4401897, -0.4401897, -3.4401897, -2.4401897, -1.4401897, -0.4401897, -2.62652338, -1.62652338, -1.62652338, -0.62652338,
    -3.4401897, -2.4401897, -1.4401897, -0.4401897, -3.4401897, -2.4401897, -1.4401897, -0.4401897, -3.4401897, -2.4401897, -1.4401897, -0.4401897],
  1: [-5.02474489, -5.02474489, -4.0658839, -4.0658839, -4.02474489, -4.02474489, -3.0658839, -3.0658839, -0.02474489, -0.02474489, -0.0658839, -0.0658839,
    -5.31817543, -5.31817543, -5.31817543, -5.31817543, -1.31817543, -1.31817543, -1.31817543, -1.31817543, -0.31817543, -0.31817543, -0.31817543, -0.31817543],
  0: [-0.31326169, -0.31326169, -0.31326169, -0.31326169, -2.12692801, -2.12692801, -2.12692801, -2.12692801, -0.31326169, -0.31326169, -0.69314718, -0.69314718,
    -1.31326169, -1.31326169, -1.31326169, -1.31326169, -0.12692801, -0.12692801, -0.12692801, -0.12692801, -1.31326169, -1.31326169, -0.69314718, -0.69314718],
};

test('softmax / log_softmax: values on axes -1, 1, 0 (float32 and float64)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const x = paddle.to_tensor(DATA, { dtype });
    for (const axis of [-1, 1, 0]) {
      const s = F.softmax(x, axis);
      assert.equal(s.dtype, dtype);
      assert.deepEqual(s.shape, [2, 3, 4]);
      assertClose(s, SOFTMAX[axis], 1e-6, 1e-7, `softmax axis ${axis}`);
      assertClose(F.log_softmax(x, { axis }), LOG_SOFTMAX[axis], 1e-6, 1e-6, `log_softmax axis ${axis}`);
    }
    // axis given as the equivalent positive / negative index
    assertClose(F.softmax(x, 2), SOFTMAX[-1], 1e-6, 1e-7);
    assertClose(F.softmax(x, -2), SOFTMAX[1], 1e-6, 1e-7);
  }
});

test('softmax: dtype casts first; large logits stay finite', () => {
  const x = paddle.to_tensor(DATA, { dtype: 'float32' });
  const s = F.softmax(x, -1, 'float64');
  assert.equal(s.dtype, 'float64');
  assertClose(s, SOFTMAX[-1], 1e-7, 1e-8);
  assert.equal(F.log_softmax(x, { dtype: 'float64' }).dtype, 'float64');
  // exp(1000) overflows; the max-shifted form does not (NumPy: [1, 0, 0] and [0, -1000, -2000])
  const big = paddle.to_tensor([1000, 0, -1000], { dtype: 'float32' });
  assertClose(F.softmax(big), [1, 0, 0]);
  assertClose(F.log_softmax(big), [0, -1000, -2000]);
  // integer input must be cast first
  assertClose(F.softmax(paddle.to_tensor([1, 1]), -1, 'float32'), [0.5, 0.5]);
});

test('softmax_ works in place', () => {
  const x = paddle.to_tensor(DATA, { dtype: 'float64' });
  const y = F.softmax_(x);
  assert.equal(y, x);
  assertClose(x, SOFTMAX[-1], 1e-7, 1e-8);
});

test('softmax / log_softmax gradients (finite differences) on several axes, and second order', () => {
  for (const axis of [-1, 0, 1]) {
    checkGrad((x) => F.softmax(x, axis), [randTensor([2, 3, 4])]);
    checkGrad((x) => F.log_softmax(x, axis), [randTensor([2, 3, 4])]);
  }
  checkGrad((x) => F.softmax(x), [randTensor([5])]);
  checkGrad((x) => F.softmax(x, 0), [randTensor([3, 2])], { second: true });
  checkGrad((x) => F.log_softmax(x), [randTensor([2, 3])], { second: true });
});

test('softmax errors: axis out of range, non-float input, bad dtype', () => {
  const x = paddle.to_tensor(DATA, { dtype: 'float32' });
  assertThrows(() => F.softmax(x, 3), paddle.errors.InvalidArgumentError, /paddle\.nn\.functional\.softmax/, /axis=3/, /rank 3/);
  assertThrows(() => F.log_softmax(x, -4), paddle.errors.InvalidArgumentError, /log_softmax/, /axis=-4/);
  assertThrows(() => F.softmax(paddle.to_tensor([1, 2])), paddle.errors.InvalidArgumentError, /float/, /int64/);
  assertThrows(() => F.softmax(x, -1, 'int32'), paddle.errors.InvalidArgumentError, /dtype/, /int32/);
  assertThrows(() => F.softmax(x, 0.5 as never), paddle.errors.InvalidArgumentError, /argument 'axis'/);
});
