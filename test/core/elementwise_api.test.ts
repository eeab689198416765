// paddle.add & co: values from Paddle's docs, dtype rules, broadcasting with axis, errors.
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';

test('add/subtract/multiply/divide: values printed in Paddle 2.0 docs', () => {
  assertTensor(paddle.add(paddle.to_tensor([2, 3, 4]), paddle.to_tensor([1, 5, 2])), [3], 'int64', [3, 8, 6]);
  assertTensor(paddle.subtract(paddle.to_tensor([[1, 2], [7, 8]]), paddle.to_tensor([[5, 6], [3, 4]])), [2, 2], 'int64', [[-4, -4], [4, 4]]);
  assertTensor(paddle.multiply(paddle.to_tensor([[1, 2], [3, 4]]), paddle.to_tensor([[5, 6], [7, 8]])), [2, 2], 'int64', [[5, 12], [21, 32]]);
  // int / int truncates in Paddle 2.0
  assertTensor(paddle.divide(paddle.to_tensor([2, 3, 4]), paddle.to_tensor([1, 5, 2])), [3], 'int64', [2, 0, 2]);
  assertTensor(paddle.floor_divide(paddle.to_tensor([2, 3, 8, 7]), paddle.to_tensor([1, 5, 3, 3])), [4], 'int64', [2, 0, 2, 2]);
  assertTensor(paddle.mod(paddle.to_tensor([2, 3, 8, 7]), paddle.to_tensor([1, 5, 3, 3])), [4], 'int64', [0, 3, 2, 1]);
  assertTensor(paddle.maximum(paddle.to_tensor([[1, 2], [7, 8]]), paddle.to_tensor([[3, 4], [5, 6]])), [2, 2], 'int64', [[3, 4], [7, 8]]);
  assertTensor(paddle.minimum(paddle.to_tensor([[1, 2], [7, 8]]), paddle.to_tensor([[3, 4], [5, 6]])), [2, 2], 'int64', [[1, 2], [5, 6]]);
});

test('mod follows the divisor sign; floor_divide truncates toward zero', () => {
  assertTensor(paddle.mod(paddle.to_tensor([-7, 7, -7]), paddle.to_tensor([3, -3, -3])), [3], 'int64', [2, -2, -1]);
  assertTensor(paddle.floor_divide(paddle.to_tensor([-7, 7]), paddle.to_tensor([2, -2])), [2], 'int64', [-3, -3]);
  assertClose(paddle.mod(paddle.to_tensor([-1.5, 2.5], { dtype: 'float32' }), paddle.to_tensor([2, -2], { dtype: 'float32' })), [0.5, -1.5]);
});

test('broadcasting: NumPy rule, scalars, and the dtype rules of operators', () => {
  const x = paddle.to_tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
  assertClose(paddle.add(x, paddle.to_tensor([10, 20, 30], { dtype: 'float32' })), [[11, 22, 33], [14, 25, 36]]);
  assertClose(paddle.add(x, paddle.to_tensor([[100], [200]], { dtype: 'float32' })), [[101, 102, 103], [204, 205, 206]]);
  assertClose(x.add(1), [[2, 3, 4], [5, 6, 7]]);
  assertClose(x.multiply(2).subtract(1), [[1, 3, 5], [7, 9, 11]]);
  // an int tensor with a Python float becomes float32; int / int-scalar is true division
  const i = paddle.to_tensor([1, 2, 3]);
  assertTensor(i.add(0.5), [3], 'float32', [1.5, 2.5, 3.5]);
  assertTensor(i.divide(2), [3], 'float32', [0.5, 1, 1.5]);
  assertTensor(i.multiply(2), [3], 'int64', [2, 4, 6]);
  // tensor with tensor of another dtype: the right side is cast to the left's dtype
  assertTensor(paddle.add(paddle.to_tensor([1.5], { dtype: 'float64' }), paddle.to_tensor([2])), [1], 'float64', [3.5]);
});

test('errors name the API and the argument', () => {
  const x = paddle.to_tensor([1, 2, 3], { dtype: 'float32' });
  assertThrows(() => paddle.add(x, 'a' as never), paddle.errors.InvalidArgumentError, /paddle\.add/, /'y'/);
  assertThrows(() => paddle.add(x, x, { foo: 1 } as never), paddle.errors.InvalidArgumentError, /unexpected keyword argument 'foo'/);
  assertThrows(() => (paddle.add as unknown as (...a: unknown[]) => unknown)(x), paddle.errors.InvalidArgumentError, /missing required argument 'y'/);
  assertThrows(() => paddle.add(x, paddle.to_tensor([1, 2], { dtype: 'float32' })), paddle.errors.InvalidArgumentError, /paddle\.add/, /\[3\] and \[2\] cannot be broadcast/);
});

test('keywords and positional arguments mix as in Python', () => {
  const x = paddle.to_tensor([1, 2], { dtype: 'float32' });
  const y = paddle.to_tensor([3, 4], { dtype: 'float32' });
  assertClose(paddle.add({ x, y }), [4, 6]);
  assertClose(paddle.add(x, { y }), [4, 6]);
  assertThrows(() => paddle.add(x, y, { y } as never), paddle.errors.InvalidArgumentError, /multiple values for argument 'y'/);
});
