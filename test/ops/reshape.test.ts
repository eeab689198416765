// reshape / reshape_ / squeeze / unsqueeze / flatten (reshape2, squeeze2, unsqueeze2,
// flatten_contiguous_range): shapes from Paddle's docs, views, int64 exactness, gradients, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';
import { dispatch } from '../../src/core/dispatch.js';

const E = paddle.errors.InvalidArgumentError;
const arange = (n: number, dtype: 'float32' | 'int64' | 'float64' = 'float32') =>
  paddle.to_tensor(Array.from({ length: n }, (_, i) => i), { dtype });

test('reshape: the shapes of the op documentation (0 copies, -1 inferred)', () => {
  const x = paddle.reshape(arange(48), [2, 4, 6]);
  assert.deepEqual(paddle.reshape(x, [6, 8]).shape, [6, 8]);
  assert.deepEqual(paddle.reshape(x, [2, 3, -1, 2]).shape, [2, 3, 4, 2]);
  assert.deepEqual(paddle.reshape(x, [-1, 0, 3, 2]).shape, [2, 4, 3, 2]);
  assert.deepEqual(x.reshape([0, -1]).shape, [2, 24]);
  // row-major order is kept
  assertTensor(paddle.reshape(arange(6, 'int64'), [2, 3]), [2, 3], 'int64', [[0, 1, 2], [3, 4, 5]]);
  assertTensor(paddle.reshape(arange(6, 'int64'), [3, -1]), [3, 2], 'int64', [[0, 1], [2, 3], [4, 5]]);
});

test('reshape: shape given with Tensors, as an int Tensor, and keywords', () => {
  const x = arange(24);
  assert.deepEqual(paddle.reshape(x, [paddle.to_tensor([4], { dtype: 'int32' }), 6]).shape, [4, 6]);
  assert.deepEqual(paddle.reshape(x, paddle.to_tensor([2, 3, 4], { dtype: 'int32' })).shape, [2, 3, 4]);
  assert.deepEqual(paddle.reshape({ x, shape: [3, 8] }).shape, [3, 8]);
  assert.deepEqual(x.reshape({ shape: [-1, 12] }).shape, [2, 12]);
});

test('reshape is a view of the same data; int64 beyond 2^53 survives', () => {
  const big = paddle.to_tensor([9007199254740993n, -9007199254740995n, 3n, 2n ** 62n + 1n]);
  const r = paddle.reshape(big, [2, 2]);
  assert.deepEqual(r.tolist(), [[9007199254740993n, -9007199254740995n], [3, 4611686018427387905n]]);
  assert.deepEqual(paddle.flatten(paddle.unsqueeze(paddle.squeeze(r.reshape([1, 4, 1])), 0)).tolist(), big.tolist());
  const x = arange(6);
  const v = x.reshape([2, 3]);
  assert.equal(v.data, x.data, 'shares storage');
  assert.equal(v.ver, x.ver, 'shares the version counter');
  const sq = paddle.squeeze(v.reshape([1, 2, 3]));
  assert.equal(sq.data, x.data);
});

test('reshape_ changes x in place and returns it', () => {
  const x = arange(6);
  const y = paddle.reshape_(x, [3, 2]);
  assert.equal(y, x);
  assert.deepEqual(x.shape, [3, 2]);
  x.reshape_([-1]);
  assert.deepEqual(x.shape, [6]);
  // through autograd: a non-leaf reshaped in place still differentiates
  const w = paddle.to_tensor([1, 2, 3, 4], { dtype: 'float64', stop_gradient: false });
  const z = paddle.multiply(w, paddle.to_tensor([2, 2, 2, 2], { dtype: 'float64' }));
  z.reshape_([2, 2]);
  paddle.sum(paddle.multiply(z, paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float64' }))).backward();
  assertTensor(w.grad!, [4], 'float64', [2, 4, 6, 8]);
  // a leaf that needs a gradient cannot be modified in place
  assertThrows(() => w.reshape_([2, 2]), paddle.errors.PreconditionNotMetError, /in place/);
});

test('reshape errors', () => {
  const x = arange(24);
  assertThrows(() => paddle.reshape(x, [-1, -1]), E, /paddle\.reshape/, /only one dimension .* -1/);
  assertThrows(() => paddle.reshape(x, [5, 5]), E, /paddle\.reshape/, /24 elements/);
  assertThrows(() => paddle.reshape(x, [7, -1]), E, /-1 dimension cannot be inferred/);
  assertThrows(() => paddle.reshape(x, [4, 0, 6]), E, /index 1 is beyond the input's rank 1/);
  assertThrows(() => paddle.reshape(x, [-2, 12]), E, /non-negative/);
  assertThrows(() => paddle.reshape(x, []), E, /'shape' must not be empty/);
  assertThrows(() => paddle.reshape(x, 'a' as never), E, /paddle\.reshape/, /'shape'/);
  assertThrows(() => paddle.reshape(x, [2.5, 4] as never), E, /'shape'/);
});

test('squeeze: all size-1 dims, listed ones, non-1 listed dims silently kept', () => {
  const x = paddle.zeros([5, 1, 10]);
  assert.deepEqual(paddle.squeeze(x, 1).shape, [5, 10]); // Paddle docs example
  assert.deepEqual(paddle.squeeze(paddle.zeros([1, 3, 1, 2])).shape, [3, 2]);
  assert.deepEqual(paddle.squeeze(paddle.zeros([1, 3, 1, 2]), [0, -2]).shape, [3, 2]);
  assert.deepEqual(paddle.squeeze(paddle.zeros([1, 3, 1, 2]), [1, 2]).shape, [1, 3, 2]);
  assert.deepEqual(paddle.squeeze(paddle.zeros([2, 3]), 0).shape, [2, 3]);
  assert.deepEqual(paddle.squeeze(paddle.zeros([1, 1])).shape, []);
  assert.deepEqual(x.squeeze({ axis: -2 }).shape, [5, 10]);
  const y = paddle.zeros([1, 4]);
  assert.equal(paddle.squeeze_(y), y);
  assert.deepEqual(y.shape, [4]);
  assertThrows(() => paddle.squeeze(x, 3), E, /paddle\.squeeze/, /range \[-3, 2\]/);
  assertThrows(() => paddle.squeeze(x, -4), E, /range/);
  assertThrows(() => paddle.squeeze(x, 'a' as never), E, /'axis'/);
});

test('unsqueeze: axes inserted one after another; negative, Tensor axes', () => {
  const x = paddle.zeros([5, 10]);
  assert.deepEqual(paddle.unsqueeze(x, 0).shape, [1, 5, 10]); // Paddle docs examples
  assert.deepEqual(paddle.unsqueeze(x, [0, 2]).shape, [1, 5, 1, 10]);
  assert.deepEqual(paddle.unsqueeze(x, paddle.to_tensor([0, 2], { dtype: 'int32' })).shape, [1, 5, 1, 10]);
  assert.deepEqual(paddle.unsqueeze(x, [paddle.to_tensor([-1], { dtype: 'int64' }), 0]).shape, [1, 5, 10, 1]);
  assert.deepEqual(paddle.unsqueeze(x, -1).shape, [5, 10, 1]);
  assert.deepEqual(paddle.unsqueeze(x, [1, 0]).shape, [1, 5, 1, 10]);
  assert.deepEqual(paddle.unsqueeze(x, [0, 0]).shape, [1, 1, 5, 10]);
  assert.deepEqual(paddle.unsqueeze(x, [-1, -1]).shape, [5, 10, 1, 1]);
  assert.deepEqual(x.unsqueeze(2).shape, [5, 10, 1]);
  const y = paddle.zeros([3]);
  assert.equal(paddle.unsqueeze_(y, [0]), y);
  assert.deepEqual(y.shape, [1, 3]);
  assertThrows(() => paddle.unsqueeze(x, 3), E, /paddle\.unsqueeze/, /axis 3 is out of range/);
  assertThrows(() => paddle.unsqueeze(x, -4), E, /out of range/);
  assertThrows(() => paddle.unsqueeze(paddle.zeros([1, 1, 1]), [0, 0, 0, 0]), E, /rank 7 would exceed 6/);
});

test('flatten: start/stop axes, defaults, view, errors', () => {
  const img = paddle.reshape(arange(96), [2, 3, 4, 4]);
  assert.deepEqual(paddle.flatten(img, 1, 2).shape, [2, 12, 4]); // Paddle docs example
  assert.deepEqual(paddle.flatten(img).shape, [96]);
  assert.deepEqual(img.flatten(1).shape, [2, 48]);
  assert.deepEqual(paddle.flatten(img, -2, -1).shape, [2, 3, 16]);
  assert.deepEqual(paddle.flatten(img, 2, 2).shape, [2, 3, 4, 4]);
  assert.deepEqual(paddle.flatten(img, { stop_axis: 1 }).shape, [6, 4, 4]);
  assert.deepEqual(paddle.flatten(arange(3)).shape, [3]);
  assert.equal(paddle.flatten(img).data, img.data);
  assertTensor(paddle.flatten(paddle.to_tensor([[1, 2], [3, 4]])), [4], 'int64', [1, 2, 3, 4]);
  assertThrows(() => paddle.flatten(img, 2, 1), E, /paddle\.flatten/, /must not come before start_axis/);
  assertThrows(() => paddle.flatten(img, 4), E, /'start_axis'/);
  assertThrows(() => paddle.flatten(img, 0, -5), E, /'stop_axis'/);
});

test('gradients of reshape, squeeze, unsqueeze, flatten', () => {
  checkGrad((x) => paddle.reshape(x, [3, -1]), [randTensor([2, 3, 2])]);
  checkGrad((x) => paddle.reshape(x, [0, 6]), [randTensor([2, 3, 2])]);
  checkGrad((x) => paddle.squeeze(x, [0, 2]), [randTensor([1, 3, 1, 2])]);
  checkGrad((x) => paddle.unsqueeze(x, [0, -1]), [randTensor([3, 2])]);
  checkGrad((x) => paddle.flatten(x, 1, 2), [randTensor([2, 2, 3, 2])]);
  checkGrad((x) => paddle.multiply(paddle.reshape(x, [6]), paddle.flatten(x)), [randTensor([2, 3])], { second: true });
  // second order: the gradient of a reshape is a reshape, recorded with create_graph.
  // f = sum(w * flat(x)^2): df/dx = 2 w x, and d(sum(df/dx))/dx = 2 w
  const x = paddle.to_tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', stop_gradient: false });
  const w = paddle.to_tensor([1, -1, 2, 0.5, 3, -2], { dtype: 'float64' });
  const fx = paddle.reshape(x, [6]);
  const [g] = paddle.grad(paddle.sum(paddle.multiply(w, paddle.multiply(fx, fx))), x, { create_graph: true });
  assertTensor(g!, [2, 3], 'float64', [[2, -4, 12], [4, 30, -24]]);
  const [gg] = paddle.grad(paddle.sum(paddle.flatten(paddle.unsqueeze(g!, 0))), x);
  assertTensor(gg!, [2, 3], 'float64', [[2, -2, 4], [1, 6, -4]]);
});

test('XShape is bookkeeping only: [0, ...x.shape], no data, no gradient', () => {
  const x = paddle.to_tensor([[1, 2, 3]], { dtype: 'float32', stop_gradient: false });
  for (const [type, attrs] of [
    ['reshape2', { shape: [3] }],
    ['squeeze2', { axes: [] }],
    ['unsqueeze2', { axes: [0] }],
    ['flatten_contiguous_range', { start_axis: 0, stop_axis: -1 }],
  ] as const) {
    const r = dispatch(type, { X: [x] }, { ...attrs });
    assert.deepEqual(r.XShape[0].shape, [0, 1, 3], type);
    assert.equal(r.XShape[0].data.length, 0);
    assert.equal(r.XShape[0].stop_gradient, true, type);
    assert.equal(r.Out[0].stop_gradient, false, type);
  }
});
