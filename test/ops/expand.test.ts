// expand / broadcast_to / expand_as / tile (expand_v2, expand_as_v2, tile): Paddle docs
// examples, NumPy broadcast_to / tile values, every dtype's storage, gradients, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const E = paddle.errors.InvalidArgumentError;

test('expand / broadcast_to / expand_as: Paddle docs examples', () => {
  const data = paddle.to_tensor([1, 2, 3], { dtype: 'int32' });
  assertTensor(paddle.expand(data, [2, 3]), [2, 3], 'int32', [[1, 2, 3], [1, 2, 3]]);
  assertTensor(paddle.broadcast_to(data, [2, 3]), [2, 3], 'int32', [[1, 2, 3], [1, 2, 3]]);
  const y = paddle.to_tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' });
  assertTensor(paddle.expand_as(data, y), [2, 3], 'int32', [[1, 2, 3], [1, 2, 3]]);
  assertTensor(data.expand_as(y), [2, 3], 'int32', [[1, 2, 3], [1, 2, 3]]);
  assertTensor(data.expand([paddle.to_tensor([2]), -1]), [2, 3], 'int32', [[1, 2, 3], [1, 2, 3]]);
  assertTensor(data.broadcast_to(paddle.to_tensor([1, 3], { dtype: 'int32' })), [1, 3], 'int32', [[1, 2, 3]]);
});

test('expand: size-1 dims grow, -1 keeps, new leading dims (NumPy broadcast_to)', () => {
  const x = paddle.to_tensor([[1], [2]], { dtype: 'float64' });
  // np.broadcast_to([[1],[2]], (2,2,3))
  assertTensor(paddle.expand(x, [2, 2, 3]), [2, 2, 3], 'float64', [[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]]);
  assertTensor(paddle.expand(x, [-1, 4]), [2, 4], 'float64', [[1, 1, 1, 1], [2, 2, 2, 2]]);
  assertTensor(paddle.expand(x, [2, 1]), [2, 1], 'float64', [[1], [2]]);
  const m = paddle.to_tensor([[1, 2, 3]], { dtype: 'float32' });
  assertTensor(paddle.expand(m, [3, 1, 3]), [3, 1, 3], 'float32', [[[1, 2, 3]], [[1, 2, 3]], [[1, 2, 3]]]);
  // large inner blocks (copyWithin path) match the simple rule out[i, j] = x[0, j]
  const row = paddle.to_tensor(Array.from({ length: 100 }, (_, i) => i * 0.5), { dtype: 'float32' }).reshape([1, 100]);
  const big = paddle.expand(row, [7, 100]);
  assert.deepEqual((big.tolist() as number[][])[6], (row.tolist() as number[][])[0]);
  // storage of every kind
  const i64 = paddle.to_tensor([9007199254740993n, -9007199254740995n]).reshape([2, 1]);
  assert.deepEqual(paddle.expand(i64, [2, 2]).tolist(), [[9007199254740993n, 9007199254740993n], [-9007199254740995n, -9007199254740995n]]);
  assertTensor(paddle.expand(paddle.to_tensor([true, false]), [2, 2]), [2, 2], 'bool', [[true, false], [true, false]]);
  const z = paddle.to_tensor([{ real: 1, imag: -2 }], { dtype: 'complex128' });
  assert.deepEqual(paddle.expand(z, [2]).tolist(), [{ real: 1, imag: -2 }, { real: 1, imag: -2 }]);
});

test('tile: Paddle docs example and NumPy tile values', () => {
  const data = paddle.to_tensor([1, 2, 3], { dtype: 'int32' });
  assertTensor(paddle.tile(data, [2, 1]), [2, 3], 'int32', [[1, 2, 3], [1, 2, 3]]);
  assertTensor(paddle.tile(data, [2, 2]), [2, 6], 'int32', [[1, 2, 3, 1, 2, 3], [1, 2, 3, 1, 2, 3]]);
  assertTensor(paddle.tile(data, paddle.to_tensor([2, 1], { dtype: 'int32' })), [2, 3], 'int32', [[1, 2, 3], [1, 2, 3]]);
  // np.tile([[1,2],[3,4]], 2) -> [[1,2,1,2],[3,4,3,4]] (short repeat_times pads with leading 1s)
  const m = paddle.to_tensor([[1, 2], [3, 4]]);
  assertTensor(m.tile([2]), [2, 4], 'int64', [[1, 2, 1, 2], [3, 4, 3, 4]]);
  // np.tile([[1,2],[3,4]], (2,1,2)).shape -> (2, 2, 4)
  assertTensor(paddle.tile(m, [2, 1, 2]), [2, 2, 4], 'int64', [[[1, 2, 1, 2], [3, 4, 3, 4]], [[1, 2, 1, 2], [3, 4, 3, 4]]]);
  assertTensor(paddle.tile(m, [1, 1]), [2, 2], 'int64', [[1, 2], [3, 4]]);
  const big = paddle.to_tensor([2n ** 62n + 1n, -9007199254740995n]);
  assert.deepEqual(paddle.tile(big, [2]).tolist(), [4611686018427387905n, -9007199254740995n, 4611686018427387905n, -9007199254740995n]);
  const z = paddle.to_tensor([{ real: 1, imag: 2 }, { real: 3, imag: 4 }], { dtype: 'complex64' });
  assert.deepEqual(paddle.tile(z, [2]).tolist(), [
    { real: 1, imag: 2 }, { real: 3, imag: 4 }, { real: 1, imag: 2 }, { real: 3, imag: 4 },
  ]);
});

test('gradients of expand, broadcast_to, expand_as and tile', () => {
  checkGrad((x) => paddle.expand(x, [3, 2, 4]), [randTensor([2, 1])]);
  checkGrad((x) => paddle.expand(x, [2, -1, 3]), [randTensor([1, 2, 1])]);
  checkGrad((x) => paddle.broadcast_to(x, [3, 2]), [randTensor([2])]);
  checkGrad((x) => paddle.expand_as(x, paddle.zeros([2, 3, 2])), [randTensor([3, 1])]);
  checkGrad((x) => paddle.tile(x, [2, 3]), [randTensor([2, 2])]);
  checkGrad((x) => paddle.tile(x, [3, 1, 2]), [randTensor([2, 3])]);
  checkGrad((x) => paddle.tile(x, [1, 1]), [randTensor([2, 3])]);
  checkGrad((x) => paddle.multiply(paddle.tile(x, [2, 1]), paddle.expand(x.reshape([2, 1, 3]), [2, 2, 3]).reshape([4, 3])), [randTensor([2, 3])], { second: true });
  // by hand: x [1, 2] expanded to [3, 2] -> each element gets the sum of its column's weights
  const x = paddle.to_tensor([[1, 2]], { dtype: 'float64', stop_gradient: false });
  const w = paddle.to_tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' });
  paddle.sum(paddle.multiply(paddle.expand(x, [3, 2]), w)).backward();
  assertTensor(x.grad!, [1, 2], 'float64', [[9, 12]]);
});

test('errors', () => {
  const x = paddle.zeros([2, 3]);
  assertThrows(() => paddle.expand(x, [4, 2, 4]), E, /paddle\.expand/, /dim 1 has size 3, which is neither 1 nor 4/);
  assertThrows(() => paddle.expand(x, [3]), E, /fewer entries than X has dims/);
  assertThrows(() => paddle.expand(x, [-1, 2, 3]), E, /-1 can only keep an existing dim/);
  assertThrows(() => paddle.expand(x, [0, 3]), E, /positive or -1/);
  assertThrows(() => paddle.expand(x, [1, 1, 1, 1, 2, 3, 1]), E, /more than 6/);
  assertThrows(() => paddle.broadcast_to(x, 'a' as never), E, /paddle\.broadcast_to/, /'shape'/);
  assertThrows(() => paddle.expand_as(x, paddle.zeros([2, 4])), E, /paddle\.expand_as/, /neither 1 nor 4/);
  assertThrows(() => paddle.expand_as(x, [2, 3] as never), E, /'y'/);
  assertThrows(() => paddle.tile(x, [0, 1]), E, /paddle\.tile/, /positive/);
  assertThrows(() => paddle.tile(x, []), E, /must not be empty/);
  assertThrows(() => paddle.tile(x, [1, 1, 1, 1, 1, 1, 2]), E, /more than 6 dims/);
});
