// Python's operator methods of paddle.Tensor and the scalar conversions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';

test('operator methods follow Python: reflected forms, comparisons, matmul, neg, getitem', () => {
  const x = paddle.to_tensor([1, 2, 4], { dtype: 'float32' });
  assertClose(x.__add__(1), [2, 3, 5]);
  assertClose(x.__radd__(1), [2, 3, 5]);
  assertClose(x.__sub__(1), [0, 1, 3]);
  assertClose(x.__rsub__(1), [0, -1, -3]); // 1 - x
  assertClose(x.__mul__(x), [1, 4, 16]);
  assertClose(x.__rtruediv__(8), [8, 4, 2]); // 8 / x
  assertClose(x.__pow__(2), [1, 4, 16]);
  assertClose(x.__rpow__(2), [2, 4, 16]); // 2 ** x
  assertTensor(paddle.to_tensor([7, -7]).__floordiv__(2), [2], 'int64', [3, -3]);
  assertTensor(paddle.to_tensor([7, -7]).__mod__(3), [2], 'int64', [1, 2]);
  assertTensor(x.__gt__(1.5), [3], 'bool', [false, true, true]);
  assertTensor(x.__eq__(2), [3], 'bool', [false, true, false]);
  assertClose(x.__neg__(), [-1, -2, -4]);
  const m = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32' });
  assertClose(m.__matmul__(m), [[7, 10], [15, 22]]);
  assertClose(m.__getitem__([1, 0]), [3]);
  m.__setitem__([0, 1], 9);
  assertClose(m, [[1, 9], [3, 4]]);
});

test('scalar conversions and CPU-only members', () => {
  const one = paddle.to_tensor([2.7], { dtype: 'float32' });
  assert.equal(one.__int__(), 2);
  assert.equal(one.__float__(), Math.fround(2.7));
  assert.equal(one.__bool__(), true);
  assert.equal(paddle.to_tensor([0]).__bool__(), false);
  assert.equal(paddle.to_tensor([5]).__index__(), 5);
  assert.throws(() => one.__index__(), TypeError);
  assert.throws(() => paddle.to_tensor([1, 2]).__bool__(), /one element/);
  assert.equal(paddle.to_tensor([[1], [2], [3]]).__len__(), 3);
  assert.equal(one.cpu(), one);
  assert.equal(one.value(), one);
  assert.equal(one.type, 'LOD_TENSOR');
  assertThrows(() => one.cuda(), paddle.errors.UnavailableError, /CUDA/);
  const t = paddle.to_tensor([1, 2], { dtype: 'float32' });
  const v0 = t.inplace_version;
  t.copy_(paddle.to_tensor([5, 6], { dtype: 'float32' }));
  assertClose(t, [5, 6]);
  assert.equal(t.inplace_version, v0 + 1);
  const d = t.__deepcopy__();
  d.set_value(paddle.zeros([2]));
  assertClose(t, [5, 6]);
});
