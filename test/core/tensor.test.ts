// Tensor properties and Paddle-style printing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import * as paddle from '../../src/index.js';

test('properties per API.md', () => {
  const x = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32', stop_gradient: false });
  const s = x.shape;
  s[0] = 9;
  assert.deepEqual(x.shape, [2, 2], 'shape is a fresh array');
  assert.equal(x.dtype, 'float32');
  assert.equal(x.ndim, 2);
  assert.equal(x.dim(), 2);
  assert.equal(x.size, 4);
  assert.equal(String(x.place), 'CPUPlace');
  assert.ok(x.numpy() instanceof Float32Array);
  assert.deepEqual(Array.from(x.numpy() as Float32Array), [1, 2, 3, 4]);
  assert.equal(x.is_leaf, true);
  assert.equal(x.grad, null);
  assert.match(x.name, /^generated_tensor_\d+$/);
  assert.throws(() => x.item(), RangeError);
  assert.equal(paddle.to_tensor([2.5]).item(), 2.5);
  assert.equal(paddle.to_tensor([true]).item(), true);
});

test('printing matches Paddle 2.0', () => {
  const x = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32' });
  assert.equal(String(x), 'Tensor(shape=[2, 2], dtype=float32, place=CPUPlace, stop_gradient=True,\n       [[1., 2.],\n        [3., 4.]])');
  const y = paddle.to_tensor([0.5, -1.25, 3], { dtype: 'float64', stop_gradient: false });
  assert.equal(String(y), 'Tensor(shape=[3], dtype=float64, place=CPUPlace, stop_gradient=False,\n       [ 0.50000000, -1.25000000,  3.        ])');
  assert.equal(String(paddle.to_tensor([1, 20, 300])), 'Tensor(shape=[3], dtype=int64, place=CPUPlace, stop_gradient=True,\n       [1  , 20 , 300])');
  assert.equal(String(paddle.to_tensor([true, false])), 'Tensor(shape=[2], dtype=bool, place=CPUPlace, stop_gradient=True,\n       [True , False])');
  assert.equal(inspect(x), String(x));
  // summarised past 1000 elements with three edge items
  const big = paddle.to_tensor(Float32Array.from({ length: 2000 }, (_, i) => i));
  assert.match(String(big), /\[0\.   , 1\.   , 2\.   , \.\.\., 1997\., 1998\., 1999\.\]/);
});

test('3-D printing puts a blank line between blocks', () => {
  const x = paddle.to_tensor([[[1, 2]], [[3, 4]]]);
  assert.equal(String(x), 'Tensor(shape=[2, 1, 2], dtype=int64, place=CPUPlace, stop_gradient=True,\n       [[[1, 2]],\n\n        [[3, 4]]])');
});
