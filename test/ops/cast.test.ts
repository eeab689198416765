// paddle.cast / Tensor.astype / Tensor.cast: values checked against NumPy's astype (C++ casts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

test('float to int truncates toward zero (NumPy astype)', () => {
  const x = paddle.to_tensor([1.7, -2.5, 3.9, -0.2, 0], { dtype: 'float32' });
  assertTensor(paddle.cast(x, 'int32'), [5], 'int32', [1, -2, 3, 0, 0]);
  assertTensor(paddle.cast(x, 'int64'), [5], 'int64', [1, -2, 3, 0, 0]);
  assertTensor(x.astype('int8'), [5], 'int8', [1, -2, 3, 0, 0]);
  assertTensor(x.cast('float64'), [5], 'float64');
  // float32 0.1 widened exactly
  assert.equal(paddle.cast(paddle.to_tensor([0.1], { dtype: 'float32' }), 'float64').item(), 0.10000000149011612);
  assert.equal(paddle.cast(paddle.to_tensor([1 / 3], { dtype: 'float64' }), 'float16').item(), 0.333251953125);
});

test('int64 stays exact and wraps into narrower ints like C++', () => {
  const big = paddle.to_tensor([9007199254740993n, -9007199254740995n]);
  assert.deepEqual(paddle.cast(big, 'int64').tolist(), [9007199254740993n, -9007199254740995n]);
  // NumPy: np.array([2**32+5, -(2**31)-1, 2**40+7]).astype(np.int32) -> [5, 2147483647, 7]
  assertTensor(paddle.cast(paddle.to_tensor([2n ** 32n + 5n, -(2n ** 31n) - 1n, 2n ** 40n + 7n]), 'int32'), [3], 'int32', [5, 2147483647, 7]);
  // np.array([300, -1, 256]).astype(np.uint8) -> [44, 255, 0]
  assertTensor(paddle.cast(paddle.to_tensor([300, -1, 256]), 'uint8'), [3], 'uint8', [44, 255, 0]);
  // np.array([130, -129], np.int32).astype(np.int8) -> [-126, 127]
  assertTensor(paddle.cast(paddle.to_tensor([130, -129], { dtype: 'int32' }), 'int8'), [2], 'int8', [-126, 127]);
  assertTensor(paddle.cast(paddle.to_tensor([3, -4]), 'float32'), [2], 'float32', [3, -4]);
});

test('bool and complex casts', () => {
  // np.array([0., -1.5, 2., nan]).astype(bool) -> [False, True, True, True]
  assertTensor(paddle.cast(paddle.to_tensor([0, -1.5, 2, NaN], { dtype: 'float64' }), 'bool'), [4], 'bool', [false, true, true, true]);
  assertTensor(paddle.cast(paddle.to_tensor([true, false]), 'float32'), [2], 'float32', [1, 0]);
  assertTensor(paddle.cast(paddle.to_tensor([0, 7]), 'bool'), [2], 'bool', [false, true]);
  const z = paddle.cast(paddle.to_tensor([1.5, -2], { dtype: 'float32' }), 'complex64');
  assertTensor(z, [2], 'complex64', [{ real: 1.5, imag: 0 }, { real: -2, imag: 0 }] as never);
  assertTensor(paddle.cast(paddle.to_tensor([{ real: 1.5, imag: 3 }], { dtype: 'complex128' }), 'float64'), [1], 'float64', [1.5]);
});

test('dtype given as a framework.proto number, shape kept, stop_gradient follows the input', () => {
  const x = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32', stop_gradient: false });
  const y = paddle.cast(x, 6); // FP64
  assertTensor(y, [2, 2], 'float64', [[1, 2], [3, 4]]);
  assert.equal(y.stop_gradient, false);
  assert.equal(paddle.cast(x, 'int32').stop_gradient, true);
  assert.equal(paddle.cast(paddle.to_tensor([1.5]), 'float64').stop_gradient, true);
});

test('gradient casts back to the input dtype', () => {
  const x = paddle.to_tensor([1, 2, 3], { dtype: 'float64', stop_gradient: false });
  const y = paddle.cast(x, 'float32');
  paddle.sum(paddle.multiply(y, paddle.to_tensor([1, 2, 3], { dtype: 'float32' }))).backward();
  assertTensor(x.grad!, [3], 'float64', [1, 2, 3]);
  // float64 -> float32 -> float64: finite differences see float32 rounding, so a wide step
  checkGrad((a) => paddle.cast(paddle.cast(a, 'float32'), 'float64'), [randTensor([2, 3])], { eps: 1e-2, atol: 1e-4, rtol: 1e-3 });
  checkGrad((a) => paddle.cast(a, 'float64'), [randTensor([4])]);
  // an int result carries no gradient
  const w = paddle.to_tensor([1.5], { dtype: 'float64', stop_gradient: false });
  assert.equal(paddle.cast(w, 'int64').stop_gradient, true);
});

test('errors name the API and argument', () => {
  const x = paddle.to_tensor([1.5]);
  assertThrows(() => paddle.cast(x, 'float99' as never), paddle.errors.InvalidArgumentError, /paddle\.cast/, /'dtype'/);
  assertThrows(() => paddle.cast([1] as never, 'float32'), paddle.errors.InvalidArgumentError, /paddle\.cast/, /'x'/);
  assertThrows(() => x.astype(99 as never), paddle.errors.InvalidArgumentError, /astype/, /'dtype'/);
  assertClose(paddle.cast(x, 'float64'), [1.5]);
});
