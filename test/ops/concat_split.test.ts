// concat / split / chunk / stack / unstack / unbind: Paddle docs examples, int64 exactness,
// Tensor axes, gradients, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const E = paddle.errors.InvalidArgumentError;
const arange = (n: number, dtype: 'float32' | 'int64' | 'float64' = 'int64') =>
  paddle.to_tensor(Array.from({ length: n }, (_, i) => i), { dtype });
const shapes = (ts: paddle.Tensor[]): number[][] => ts.map((t) => t.shape);

test('concat: the Paddle docs example (negative axis, Tensor axis)', () => {
  const x1 = paddle.to_tensor([[1, 2, 3], [4, 5, 6]]);
  const x2 = paddle.to_tensor([[11, 12, 13], [14, 15, 16]]);
  const x3 = paddle.to_tensor([[21, 22], [23, 24]]);
  const zero = paddle.to_tensor([0], { dtype: 'int32' });
  assertTensor(paddle.concat([x1, x2, x3], -1), [2, 8], 'int64', [[1, 2, 3, 11, 12, 13, 21, 22], [4, 5, 6, 14, 15, 16, 23, 24]]);
  const out2 = [[1, 2, 3], [4, 5, 6], [11, 12, 13], [14, 15, 16]];
  assertTensor(paddle.concat([x1, x2], 0), [4, 3], 'int64', out2);
  assertTensor(paddle.concat({ x: [x1, x2], axis: zero }), [4, 3], 'int64', out2);
  assertTensor(paddle.concat([x1]), [2, 3], 'int64', [[1, 2, 3], [4, 5, 6]]);
});

test('concat: middle axis, empty pieces, dtypes kept exactly', () => {
  const a = paddle.reshape(arange(12), [2, 3, 2]);
  const b = paddle.reshape(arange(4), [2, 1, 2]);
  // np.concatenate([a, b], 1)[1] -> [[6,7],[8,9],[10,11],[2,3]]
  const c = paddle.concat([a, b], 1);
  assert.deepEqual(c.shape, [2, 4, 2]);
  assert.deepEqual((c.tolist() as number[][][])[1], [[6, 7], [8, 9], [10, 11], [2, 3]]);
  assert.deepEqual(paddle.concat([a, paddle.zeros([2, 0, 2], 'int64')], 1).tolist(), a.tolist());
  const big = paddle.to_tensor([9007199254740993n, -9007199254740995n]);
  assert.deepEqual(paddle.concat([big, paddle.to_tensor([2n ** 62n + 1n])]).tolist(), [9007199254740993n, -9007199254740995n, 4611686018427387905n]);
  const z = paddle.to_tensor([{ real: 1, imag: 2 }], { dtype: 'complex64' });
  assert.deepEqual(paddle.concat([z, z]).tolist(), [{ real: 1, imag: 2 }, { real: 1, imag: 2 }]);
  assertTensor(paddle.concat([paddle.to_tensor([true]), paddle.to_tensor([false, true])]), [3], 'bool', [true, false, true]);
});

test('split: the Paddle docs examples', () => {
  const x = paddle.rand([3, 9, 5]);
  assert.deepEqual(shapes(paddle.split(x, 3, 1)), [[3, 3, 5], [3, 3, 5], [3, 3, 5]]);
  assert.deepEqual(shapes(paddle.split(x, [2, 3, 4], 1)), [[3, 2, 5], [3, 3, 5], [3, 4, 5]]);
  assert.deepEqual(shapes(paddle.split(x, [2, 3, -1], 1)), [[3, 2, 5], [3, 3, 5], [3, 4, 5]]);
  assert.deepEqual(shapes(paddle.split(x, 3, -2)), [[3, 3, 5], [3, 3, 5], [3, 3, 5]]);
  assert.deepEqual(shapes(x.split([paddle.to_tensor([4], { dtype: 'int32' }), 5], { axis: paddle.to_tensor([1]) })), [[3, 4, 5], [3, 5, 5]]);
});

test('split and chunk values, int64 exact', () => {
  assert.deepEqual(paddle.split(arange(9), [2, -1, 3]).map((t) => t.tolist()), [[0, 1], [2, 3, 4, 5], [6, 7, 8]]);
  const m = paddle.reshape(arange(12), [3, 4]);
  assert.deepEqual(paddle.split(m, 2, 1).map((t) => t.tolist()), [[[0, 1], [4, 5], [8, 9]], [[2, 3], [6, 7], [10, 11]]]);
  assert.deepEqual(paddle.split(m, [1, 0, 2]).map((t) => t.shape), [[1, 4], [0, 4], [2, 4]]);
  const big = paddle.to_tensor([9007199254740993n, 1n, -9007199254740995n, 2n ** 62n + 1n]);
  assert.deepEqual(paddle.split(big, 2).map((t) => t.tolist()), [[9007199254740993n, 1], [-9007199254740995n, 4611686018427387905n]]);
  // chunk: docs example shapes
  const x = paddle.rand([3, 9, 5]);
  assert.deepEqual(shapes(paddle.chunk(x, 3, 1)), [[3, 3, 5], [3, 3, 5], [3, 3, 5]]);
  assert.deepEqual(shapes(x.chunk(3, -2)), [[3, 3, 5], [3, 3, 5], [3, 3, 5]]);
  assert.deepEqual(paddle.chunk(arange(6), 3).map((t) => t.tolist()), [[0, 1], [2, 3], [4, 5]]);
});

test('stack, unstack, unbind: docs examples and values', () => {
  const x1 = paddle.to_tensor([[1, 2]], { dtype: 'float32' });
  const x2 = paddle.to_tensor([[3, 4]], { dtype: 'float32' });
  const x3 = paddle.to_tensor([[5, 6]], { dtype: 'float32' });
  assertTensor(paddle.stack([x1, x2, x3], 0), [3, 1, 2], 'float32', [[[1, 2]], [[3, 4]], [[5, 6]]]);
  assertTensor(paddle.stack([x1, x2, x3], -1), [1, 2, 3], 'float32', [[[1, 3, 5], [2, 4, 6]]]);
  assertTensor(paddle.stack([x1, x2], 1), [1, 2, 2], 'float32', [[[1, 2], [3, 4]]]);
  const m = paddle.reshape(arange(6), [2, 3]);
  assert.deepEqual(paddle.unstack(m, 1).map((t) => t.tolist()), [[0, 3], [1, 4], [2, 5]]);
  assert.deepEqual(paddle.unstack(m).map((t) => t.tolist()), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(m.unstack(-1, 3).map((t) => t.shape), [[2], [2], [2]]);
  assert.deepEqual(shapes(paddle.unstack(paddle.rand([2, 3, 5]), 1)), [[2, 5], [2, 5], [2, 5]]);
  assert.deepEqual(shapes(paddle.unbind(paddle.rand([2, 3, 5]), 1)), [[2, 5], [2, 5], [2, 5]]);
  // unbind op docs: [[1,2],[3,4],[5,6]], axis 0
  assert.deepEqual(paddle.unbind(paddle.to_tensor([[1, 2], [3, 4], [5, 6]])).map((t) => t.tolist()), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(m.unbind(-1).map((t) => t.tolist()), [[0, 3], [1, 4], [2, 5]]);
  const big = paddle.to_tensor([9007199254740993n, -9007199254740995n]);
  const s = paddle.stack([big, big], 1);
  assert.deepEqual(s.tolist(), [[9007199254740993n, 9007199254740993n], [-9007199254740995n, -9007199254740995n]]);
  assert.deepEqual(paddle.unbind(s, 1)[1].tolist(), [9007199254740993n, -9007199254740995n]);
});

test('gradients of concat, split, chunk, stack, unstack, unbind', () => {
  checkGrad((a, b, c) => paddle.concat([a, b, c], 1), [randTensor([2, 3]), randTensor([2, 1]), randTensor([2, 2])]);
  checkGrad((a, b) => paddle.concat([a, b], -1), [randTensor([2, 2, 2]), randTensor([2, 2, 3])]);
  checkGrad((x) => paddle.split(x, [1, -1, 2], 1), [randTensor([2, 5, 2])]);
  checkGrad((x) => paddle.chunk(x, 2, 0), [randTensor([4, 3])]);
  checkGrad((a, b) => paddle.stack([a, b], 1), [randTensor([2, 3]), randTensor([2, 3])]);
  checkGrad((x) => paddle.unstack(x, -1), [randTensor([2, 3])]);
  checkGrad((x) => paddle.unbind(x, 1), [randTensor([2, 3, 2])]);
  checkGrad((a, b) => {
    const [p, q] = paddle.split(paddle.concat([a, b], 1), 2, 1);
    return paddle.multiply(paddle.stack([p, q]), paddle.stack([q, p]));
  }, [randTensor([2, 1]), randTensor([2, 3])], { second: true });
  // only some pieces used: the others contribute zeros
  checkGrad((x) => paddle.split(x, 3)[1], [randTensor([6])]);
  checkGrad((x) => paddle.unbind(x)[0], [randTensor([3, 2])]);
  // an input with stop_gradient gets nothing, the others still do
  const a = paddle.to_tensor([1, 2], { dtype: 'float64', stop_gradient: false });
  const b = paddle.to_tensor([3], { dtype: 'float64' });
  paddle.sum(paddle.multiply(paddle.concat([a, b]), paddle.to_tensor([5, 6, 7], { dtype: 'float64' }))).backward();
  assertTensor(a.grad!, [2], 'float64', [5, 6]);
  assert.equal(b.grad, null);
});

test('errors', () => {
  const a = paddle.zeros([2, 3]);
  assertThrows(() => paddle.concat([a, paddle.zeros([2, 3], 'float64')]), E, /paddle\.concat/, /same dtype/);
  assertThrows(() => paddle.concat([a, paddle.zeros([3, 3])], 1), E, /paddle\.concat/, /must match except on axis 1/);
  assertThrows(() => paddle.concat([a, paddle.zeros([3])]), E, /same rank/);
  assertThrows(() => paddle.concat([a, a], 2), E, /axis 2 is out of range/);
  assertThrows(() => paddle.concat([]), E, /non-empty/);
  assertThrows(() => paddle.concat(a as never), E, /'x'/);
  assertThrows(() => paddle.split(a, [1, 1], 1), E, /paddle\.split/, /must add up to the size 3/);
  assertThrows(() => paddle.split(a, [1, 3, -1], 1), E, /add up to more than the size 3/);
  assertThrows(() => paddle.split(a, [-1, -1, 1], 1), E, /only one entry of sections can be -1/);
  assertThrows(() => paddle.split(a, 2, 1), E, /not divisible by num=2/);
  assertThrows(() => paddle.split(a, 0), E, /positive integer/);
  assertThrows(() => paddle.split(a, 3, 2), E, /paddle\.split/, /'axis'/);
  assertThrows(() => paddle.chunk(a, 4, 1), E, /paddle\.chunk/, /not divisible/);
  assertThrows(() => paddle.chunk(a, 1.5 as never), E, /'chunks'/);
  assertThrows(() => paddle.stack([a, paddle.zeros([3, 2])]), E, /paddle\.stack/, /same shape/);
  assertThrows(() => paddle.stack([a, a], 3), E, /out of range/);
  assertThrows(() => paddle.unstack(a, 0, 3), E, /paddle\.unstack/, /num \(3\) must equal the size 2/);
  assertThrows(() => paddle.unstack(a, 2), E, /'axis'/);
  assertThrows(() => paddle.unbind(a, -3), E, /paddle\.unbind/, /'axis'/);
});
