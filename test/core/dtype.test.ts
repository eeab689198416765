// dtypes: storage per dtype, float16 rounding, int64 exactness, conversions and to_tensor's inference.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { convertStorage, fromHalfBits, toHalfBits, parseDType } from '../../src/core/dtype.js';
import { assertTensor, assertThrows } from '../helpers/assert.js';

test('float16 rounds to nearest even, keeps inf/nan, flushes tiny values', () => {
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1.0)
  assert.equal(fromHalfBits(toHalfBits(1 + 2 ** -11)), 1);
  assert.equal(fromHalfBits(toHalfBits(1 + 3 * 2 ** -11)), 1 + 2 * 2 ** -10);
  assert.equal(toHalfBits(65504), 0x7bff); // largest half
  assert.equal(fromHalfBits(toHalfBits(70000)), Infinity);
  assert.ok(Number.isNaN(fromHalfBits(toHalfBits(NaN))));
  assert.equal(fromHalfBits(toHalfBits(2 ** -24)), 2 ** -24); // smallest subnormal
  assert.equal(fromHalfBits(toHalfBits(2 ** -26)), 0);
  assert.equal(toHalfBits(-2), 0xc000);
  const t = paddle.to_tensor([0.1, 1000.3], { dtype: 'float16' });
  assert.deepEqual(t.tolist(), [0.0999755859375, 1000.5]);
});

test('int64 values round-trip exactly, beyond 2^53 too', () => {
  const big = 2n ** 62n + 1n;
  const t = paddle.to_tensor([big, -5n]);
  assert.equal(t.dtype, 'int64');
  assert.deepEqual(t.tolist(), [big, -5]);
  const np = t.numpy() as BigInt64Array;
  assert.ok(np instanceof BigInt64Array);
  assert.equal(np[0], big);
  const back = paddle.to_tensor(np);
  assert.equal(back.dtype, 'int64');
  assert.equal((back.numpy() as BigInt64Array)[0], big);
  assert.equal(paddle.to_tensor([2 ** 53]).item(), 2 ** 53);
});

test('to_tensor infers Paddle dtypes and shapes', () => {
  assertTensor(paddle.to_tensor([1, 2]), [2], 'int64', [1, 2]);
  assertTensor(paddle.to_tensor([1.5, 2]), [2], 'float32', [1.5, 2]);
  assertTensor(paddle.to_tensor(3), [1], 'int64', [3]); // no 0-D tensors in 2.0
  assertTensor(paddle.to_tensor(true), [1], 'bool', [true]);
  assertTensor(paddle.to_tensor([[true, false]]), [1, 2], 'bool', [[true, false]]);
  assertTensor(paddle.to_tensor(new Float64Array([1, 2])), [2], 'float64', [1, 2]);
  assertTensor(paddle.to_tensor(new Int32Array([7])), [1], 'int32', [7]);
  assertTensor(paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float64' }), [2, 2], 'float64', [[1, 2], [3, 4]]);
  assertTensor(paddle.to_tensor([]), [0], 'float32', []);
  const z = paddle.to_tensor([{ real: 1, imag: -2 }]);
  assert.equal(z.dtype, 'complex64');
  assert.deepEqual(z.tolist(), [{ real: 1, imag: -2 }]);
  assertTensor(paddle.to_tensor([1.7, -1.7], { dtype: 'int32' }), [2], 'int32', [1, -1]);
  const t = paddle.to_tensor([1, 2], { dtype: 'float32' });
  assert.equal(paddle.to_tensor(t, { stop_gradient: false }), t); // 2.0 returns the same tensor
  assert.equal(t.stop_gradient, false);
});

test('to_tensor rejects ragged lists, strings and mixed bool/number data', () => {
  assertThrows(() => paddle.to_tensor([[1, 2], [3]]), paddle.errors.InvalidArgumentError, /paddle\.to_tensor/, /ragged/);
  assertThrows(() => paddle.to_tensor('abc' as never), paddle.errors.InvalidArgumentError, /'data'/);
  assertThrows(() => paddle.to_tensor([true, 1] as never), paddle.errors.InvalidArgumentError, /mixes booleans and numbers/);
  assertThrows(() => paddle.to_tensor([1], { dtype: 'float99' as never }), paddle.errors.InvalidArgumentError, /'dtype'/);
});

test('conversions between dtypes behave like C++ casts', () => {
  // out of range and NaN give INT32_MIN, as static_cast on x86 (what Paddle's CPU cast does)
  assert.deepEqual(Array.from(convertStorage(new Float32Array([1.9, -1.9, 3e9, NaN]), 'float32', 'int32') as Int32Array), [1, -1, -2147483648, -2147483648]);
  const wrapped = convertStorage(new BigInt64Array([2n ** 32n + 5n]), 'int64', 'int32') as Int32Array;
  assert.equal(wrapped[0], 5);
  assert.deepEqual(Array.from(convertStorage(new Float64Array([0, 2, -0.5]), 'float64', 'bool') as Uint8Array), [0, 1, 1]);
  assert.equal(parseDType(5), 'float32'); // framework.proto FP32
  assert.equal(parseDType('float'), 'float32');
  assert.equal(parseDType('VarType.INT64'), 'int64');
  assert.equal(paddle.float32, 'float32');
});

test('default dtype switch', () => {
  assert.equal(paddle.get_default_dtype(), 'float32');
  paddle.set_default_dtype('float64');
  try {
    assertTensor(paddle.to_tensor([0.5]), [1], 'float64', [0.5]);
  } finally {
    paddle.set_default_dtype('float32');
  }
  assertThrows(() => paddle.set_default_dtype('int32'), paddle.errors.InvalidArgumentError, /set_default_dtype/);
});
