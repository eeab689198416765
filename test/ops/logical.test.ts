// Logical operators: logical_and / or / xor / not on bool tensors, with broadcasting and `out`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertTensor, assertThrows } from '../helpers/assert.js';

const { InvalidArgumentError } = paddle.errors;
const b = (v: boolean[] | boolean[][]) => paddle.to_tensor(v);

describe('logical operators', () => {
  it('compute the Paddle docs examples', () => {
    assertTensor(paddle.logical_and(b([true]), b([true, false, true, false])), [4], 'bool', [true, false, true, false]);
    const x = paddle.to_tensor([true, false], { dtype: 'bool' }).reshape([2, 1]);
    const y = b([true, false, true, false]).reshape([2, 2]);
    assertTensor(paddle.logical_or(x, y), [2, 2], 'bool', [[true, true], [true, false]]);
    assertTensor(paddle.logical_xor(x, y), [2, 2], 'bool', [[false, true], [true, false]]);
    assertTensor(paddle.logical_not(b([true, false, true, false])), [4], 'bool', [false, true, false, true]);
  });
  it('broadcast like NumPy', () => {
    // numpy.logical_xor([[True], [False]], [True, False, True])
    assertTensor(paddle.logical_xor(b([[true], [false]]), b([true, false, true])), [2, 3], 'bool', [
      [false, true, false],
      [true, false, true],
    ]);
    assertTensor(paddle.logical_and(b([true, false, true]), b([[true], [false]])), [2, 3], 'bool', [
      [true, false, true],
      [false, false, false],
    ]);
  });
  it('are Tensor methods', () => {
    const x = b([true, true, false, false]);
    const y = b([true, false, true, false]);
    assertTensor(x.logical_and(y), [4], 'bool', [true, false, false, false]);
    assertTensor(x.logical_or(y), [4], 'bool', [true, true, true, false]);
    assertTensor(x.logical_xor({ y }), [4], 'bool', [false, true, true, false]);
    assertTensor(x.logical_not(), [4], 'bool', [false, false, true, true]);
  });
  it('write into out when given', () => {
    const x = b([true, true, false, false]);
    const y = b([true, false, true, false]);
    const out = b([false, false, false, false]);
    const r = paddle.logical_or(x, y, out);
    assert.equal(r, out);
    assert.deepEqual(out.tolist(), [true, true, true, false]);
    const r2 = paddle.logical_not(x, { out });
    assert.equal(r2, out);
    assert.deepEqual(out.tolist(), [false, false, true, true]);
  });
  it('require bool tensors, as Paddle 2.0 does', () => {
    assertThrows(() => paddle.logical_and(paddle.to_tensor([1, 0]), b([true, false])), InvalidArgumentError, /paddle\.logical_and/, /bool/);
    assertThrows(() => paddle.logical_not(paddle.to_tensor([1.5])), InvalidArgumentError, /paddle\.logical_not/, /bool/);
    assertThrows(() => paddle.logical_or(b([true, false]), b([true, false, true])), InvalidArgumentError, /cannot be broadcast/);
    assertThrows(() => paddle.logical_xor(b([true]), true as never), InvalidArgumentError, /argument 'y'/);
  });
});
