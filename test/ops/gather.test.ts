// gather, gather_nd, index_select, index_sample, masked_select, scatter(_), scatter_nd_add,
// scatter_nd, where_index: values from Paddle's docs and NumPy, dtypes, gradients, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { run1 } from '../../src/core/dispatch.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError, OutOfRangeError, PreconditionNotMetError } = paddle.errors;
const ar = (dtype = 'int64'): paddle.Tensor => paddle.to_tensor(Array.from({ length: 24 }, (_, i) => i), { dtype }).reshape([2, 3, 4]);
const ids = (v: readonly unknown[], dtype = 'int64'): paddle.Tensor => paddle.to_tensor(v as number[], { dtype });
const sq = (f: (...t: paddle.Tensor[]) => paddle.Tensor) => (...t: paddle.Tensor[]) => { const y = f(...t); return paddle.multiply(y, y); };

test('gather: Paddle doc example, any axis (int or Tensor), [N, 1] indices', () => {
  const x = paddle.to_tensor([[1, 2], [3, 4], [5, 6]]);
  assertTensor(paddle.gather(x, ids([0, 1])), [2, 2], 'int64', [[1, 2], [3, 4]]);
  // numpy: x[:, [2, 0, 2], :]
  const want = [[[8, 9, 10, 11], [0, 1, 2, 3], [8, 9, 10, 11]], [[20, 21, 22, 23], [12, 13, 14, 15], [20, 21, 22, 23]]];
  assertTensor(paddle.gather(ar(), ids([2, 0, 2], 'int32'), 1), [2, 3, 4], 'int64', want);
  assertTensor(ar().gather(ids([2, 0, 2]), paddle.to_tensor([-2])), [2, 3, 4], 'int64', want);
  assertTensor(paddle.gather(ar(), ids([[1], [0]]), { axis: 0 }).gather(ids([3]), -1), [2, 3, 1], 'int64', [[[15], [19], [23]], [[3], [7], [11]]]);
  // int64 beyond 2^53 and complex move exactly
  const big = paddle.to_tensor([1n, 9007199254740993n, -3n], { dtype: 'int64' });
  assert.deepEqual(Array.from(paddle.gather(big, ids([1, 1, 2])).numpy() as BigInt64Array), [9007199254740993n, 9007199254740993n, -3n]);
  const z = paddle.to_tensor([{ real: 1, imag: 2 }, { real: 3, imag: 4 }], { dtype: 'complex128' });
  assert.deepEqual(paddle.gather(z, ids([1, 0])).tolist(), [{ real: 3, imag: 4 }, { real: 1, imag: 2 }]);
});

test('gather_nd, index_select, index_sample: Paddle doc examples', () => {
  const x = paddle.to_tensor([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);
  assertTensor(paddle.gather_nd(x, ids([[0, 1]])), [1, 2], 'int64', [[3, 4]]);
  assertTensor(x.gather_nd(ids([[0, 1, 1], [1, 2, 0]])), [2], 'int64', [4, 11]);
  assertTensor(paddle.gather_nd(x, ids([0, 2, 1])), [1], 'int64', [6]);
  assertTensor(paddle.gather_nd(x, ids([[[1]], [[0]]])), [2, 1, 3, 2], 'int64');
  const y = paddle.to_tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], { dtype: 'float32' });
  assertTensor(paddle.index_select(y, ids([0, 1, 1])), [3, 4], 'float32', [[1, 2, 3, 4], [5, 6, 7, 8], [5, 6, 7, 8]]);
  assertTensor(y.index_select(ids([0, 1, 1], 'int32'), { axis: 1 }), [3, 3], 'float32', [[1, 2, 2], [5, 6, 6], [9, 10, 10]]);
  assertTensor(paddle.index_sample(y, ids([[0, 1, 2], [1, 2, 3], [0, 0, 0]])), [3, 3], 'float32', [[1, 2, 3], [6, 7, 8], [9, 9, 9]]);
});

test('masked_select: Paddle doc example, broadcasting mask, empty selection', () => {
  const x = paddle.to_tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], { dtype: 'float32' });
  const mask = paddle.to_tensor([[true, false, false, false], [true, true, false, false], [true, false, false, false]]);
  assertTensor(paddle.masked_select(x, mask), [4], 'float32', [1, 5, 6, 9]);
  // numpy: x[np.broadcast_to(m, (3, 4))] with m of shape [4]
  assertTensor(x.masked_select(paddle.to_tensor([true, false, true, true])), [9], 'float32', [1, 3, 4, 5, 7, 8, 9, 11, 12]);
  assertTensor(paddle.masked_select(x, paddle.zeros([3, 4], 'bool')), [0], 'float32');
  assertThrows(() => paddle.masked_select(x, ids([1])), InvalidArgumentError, /paddle\.masked_select/, /argument 'mask' expected a bool Tensor/);
  assertThrows(() => paddle.masked_select(x, paddle.ones([2], 'bool')), InvalidArgumentError, /cannot be broadcast/);
});

test('scatter: Paddle doc example for both modes; scatter_ in place', () => {
  const x = paddle.to_tensor([[1, 1], [2, 2], [3, 3]], { dtype: 'float32' });
  const index = ids([2, 1, 0, 1]);
  const updates = paddle.to_tensor([[1, 1], [2, 2], [3, 3], [4, 4]], { dtype: 'float32' });
  assertTensor(paddle.scatter(x, index, updates, false), [3, 2], 'float32', [[3, 3], [6, 6], [1, 1]]);
  assertTensor(paddle.scatter(x, index, updates), [3, 2], 'float32', [[3, 3], [4, 4], [1, 1]]);
  assertTensor(x, [3, 2], 'float32', [[1, 1], [2, 2], [3, 3]]);
  const v0 = x.version;
  const r = x.scatter_(ids([0]), paddle.to_tensor([[9, 8]], { dtype: 'float32' }));
  assert.equal(r, x);
  assert.equal(x.version, v0 + 1);
  assertTensor(x, [3, 2], 'float32', [[9, 8], [2, 2], [3, 3]]);
  // int64 rows stay exact when overwriting
  const big = paddle.to_tensor([[1n], [2n]], { dtype: 'int64' });
  assert.deepEqual(Array.from(paddle.scatter(big, ids([1]), paddle.to_tensor([[9007199254740993n]], { dtype: 'int64' })).numpy() as BigInt64Array), [1n, 9007199254740993n]);
});

test('scatter_nd_add and scatter_nd accumulate repeated indices (NumPy add.at)', () => {
  const x = paddle.to_tensor(Array.from({ length: 12 }, (_, i) => i), { dtype: 'float64' }).reshape([3, 4]);
  const out = paddle.scatter_nd_add(x, ids([[0, 2], [1, 3], [1, 3]]), paddle.to_tensor([10, 20, 30], { dtype: 'float64' }));
  assertTensor(out, [3, 4], 'float64', [[0, 1, 12, 3], [4, 5, 6, 57], [8, 9, 10, 11]]);
  const s = paddle.scatter_nd(ids([[1], [0], [1]]), paddle.to_tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], { dtype: 'float32' }), [2, 3]);
  assertTensor(s, [2, 3], 'float32', [[4, 5, 6], [8, 10, 12]]);
  assertTensor(ids([[1], [0]]).scatter_nd(paddle.to_tensor([5, 6]), [3]), [3], 'int64', [6, 5, 0]);
  assertThrows(() => paddle.scatter_nd_add(x, ids([[0, 2]]), paddle.to_tensor([1, 2], { dtype: 'float64' })), InvalidArgumentError, /Updates must have shape .* = \[1\], but got \[2\]/);
});

test('where_index: coordinates of the nonzero elements, int64 [count, rank]', () => {
  assertTensor(run1('where_index', { Condition: [paddle.to_tensor([[true, false, true], [false, false, true]])] }), [3, 2], 'int64', [[0, 0], [0, 2], [1, 2]]);
  assertTensor(run1('where_index', { Condition: [paddle.to_tensor([0, -0.0, NaN, 2], { dtype: 'float32' })] }), [2, 1], 'int64', [[2], [3]]);
  assertTensor(run1('where_index', { Condition: [paddle.to_tensor([0n, 4294967296n], { dtype: 'int64' })] }), [1, 1], 'int64', [[1]]);
});

test('out-of-range and badly shaped indices are errors naming the API', () => {
  assertThrows(() => paddle.gather(ar(), ids([0, 2])), OutOfRangeError, /paddle\.gather/, /index 2 is out of range: expected an index in \[0, 2\)/);
  assertThrows(() => paddle.gather(ar(), ids([-1])), OutOfRangeError, /index -1 is out of range/);
  assertThrows(() => paddle.gather(ar(), ids([0]), 3), InvalidArgumentError, /argument 'axis' is 3, out of range/);
  assertThrows(() => paddle.gather(ar(), paddle.to_tensor([0], { dtype: 'float32' })), InvalidArgumentError, /argument 'index' expected an int32 or int64 Tensor/);
  assertThrows(() => paddle.gather(ar(), ids([[0, 1]])), InvalidArgumentError, /Index must be 1-D, or 2-D with a last dimension of 1/);
  assertThrows(() => paddle.gather_nd(ar(), ids([[0, 1, 2, 0]])), InvalidArgumentError, /last dimension of Index \(4\) must not exceed the rank of X \(3\)/);
  assertThrows(() => paddle.gather_nd(ar(), ids([[0, 3]])), OutOfRangeError, /paddle\.gather_nd/, /index 3 is out of range/);
  assertThrows(() => paddle.index_select(ar(), ids([0]), 5), InvalidArgumentError, /dim = 5 is out of range/);
  assertThrows(() => paddle.index_sample(ar(), ids([[0]])), InvalidArgumentError, /paddle\.index_sample/, /X must be 2-D/);
  assertThrows(() => paddle.scatter(ar('float32'), ids([0]), paddle.zeros([1, 3, 4], 'float64')), InvalidArgumentError, /Updates has dtype float64 but X has dtype float32/);
  assertThrows(() => paddle.scatter(ar('float32'), ids([0, 1]), paddle.zeros([1, 3, 4])), InvalidArgumentError, /Updates must have shape \[len\(Ids\)\] \+ X.shape\[1:\]/);
  assertThrows(() => paddle.scatter(ar('float32'), ids([5]), paddle.zeros([1, 3, 4])), OutOfRangeError, /index 5 is out of range/);
  const leaf = paddle.to_tensor([1, 2], { dtype: 'float32', stop_gradient: false });
  assertThrows(() => leaf.scatter_(ids([0]), paddle.to_tensor([5], { dtype: 'float32' })), PreconditionNotMetError, /paddle\.scatter_/, /leaf Tensor that requires gradient/);
});

test('gradients of the gathers (finite differences; second order through the grad ops)', () => {
  const x = randTensor([3, 4, 2]);
  checkGrad((t) => paddle.gather(t, ids([2, 0, 2, 1])), [x]);
  checkGrad(sq((t) => paddle.gather(t, ids([3, 3, 0]), 1)), [x], { second: true });
  checkGrad(sq((t) => paddle.gather_nd(t, ids([[1, 2], [1, 2], [0, 3]]))), [x], { second: true });
  checkGrad(sq((t) => paddle.index_select(t, ids([1, 1, 0]), -1)), [x], { second: true });
  checkGrad(sq((t) => paddle.index_sample(t, ids([[0, 0, 3], [1, 2, 3], [3, 2, 2]]))), [randTensor([3, 4])], { second: true });
  checkGrad(sq((t) => paddle.masked_select(t, paddle.to_tensor([[true], [false], [true]]))), [randTensor([3, 4])], { second: true });
});

test('paddle.gather accumulates the gradient of repeated indices; fluid-style overwrite keeps the last', () => {
  const x = paddle.to_tensor([1, 2, 3], { dtype: 'float64', stop_gradient: false });
  paddle.gather(x, ids([2, 2, 0])).sum().backward();
  assertClose(x.grad!, [1, 0, 2]);
  const y = paddle.to_tensor([1, 2, 3], { dtype: 'float64', stop_gradient: false });
  run1('gather', { X: [y], Index: [ids([2, 2, 0])] }, { overwrite: true }).multiply(paddle.to_tensor([1, 5, 7], { dtype: 'float64' })).sum().backward();
  assertClose(y.grad!, [7, 0, 5]);
});

test('gradients of the scatters reach X (outside the written rows) and Updates', () => {
  checkGrad(sq((x, u) => paddle.scatter(x, ids([2, 0]), u)), [randTensor([3, 2]), randTensor([2, 2])], { second: true });
  checkGrad((x, u) => paddle.scatter(x, ids([2, 0, 2]), u, false), [randTensor([3, 2]), randTensor([3, 2])]);
  checkGrad(sq((x, u) => paddle.scatter_nd_add(x, ids([[1, 0], [2, 1], [1, 0]]), u)), [randTensor([3, 2, 2]), randTensor([3, 2])], { second: true });
  // scatter_ on a non-leaf: the gradient reaches both the old value and the updates
  const a = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float64', stop_gradient: false });
  const u = paddle.to_tensor([[10, 20]], { dtype: 'float64', stop_gradient: false });
  const b = paddle.scale(a, 3);
  b.scatter_(ids([1]), u);
  paddle.multiply(b, b).sum().backward();
  assertClose(a.grad!, [[18, 36], [0, 0]]);
  assertClose(u.grad!, [[20, 40]]);
});
