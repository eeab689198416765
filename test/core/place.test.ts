// Places and devices: CPU only, GPU/XPU places constructible, asking to run on them fails clearly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertThrows } from '../helpers/assert.js';

test('places, set_device/get_device and the compiled-with checks', () => {
  assert.equal(String(new paddle.CPUPlace()), 'CPUPlace');
  assert.equal(String(new paddle.CUDAPlace(1)), 'CUDAPlace(1)');
  assert.equal(new paddle.CUDAPlace(1).get_device_id(), 1);
  assert.equal(String(new paddle.CUDAPinnedPlace()), 'CUDAPinnedPlace');
  assert.equal(String(new paddle.XPUPlace(0)), 'XPUPlace(0)');
  assert.equal(paddle.is_compiled_with_cuda(), false);
  assert.equal(paddle.is_compiled_with_xpu(), false);
  assert.equal(paddle.get_device(), 'cpu');
  assert.ok(paddle.set_device('cpu') instanceof paddle.CPUPlace);
  assertThrows(() => paddle.set_device('gpu:0'), paddle.errors.UnavailableError, /set_device/, /not compiled with CUDA/);
  assertThrows(() => paddle.set_device('tpu'), paddle.errors.InvalidArgumentError, /'device'/);
  assert.equal(paddle.get_device(), 'cpu');
  const t = paddle.to_tensor([1]);
  assertThrows(() => t.pin_memory(), paddle.errors.UnavailableError, /CUDA/);
  assert.ok(t.place instanceof paddle.CPUPlace);
});

test('Tensor odds and ends: ndimension, __str__, __long__, remainder/floor_mod, division and comparison dunders', () => {
  const x = paddle.to_tensor([[7, -7]]);
  assert.equal(x.ndimension(), 2);
  assert.equal(x.__str__(), String(x));
  assert.equal(paddle.to_tensor([3.9]).__long__(), 3);
  assert.deepEqual(x.remainder(3).tolist(), [[1, 2]]);
  assert.deepEqual(x.floor_mod(-3).tolist(), [[-2, -1]]);
  const f = paddle.to_tensor([2, 4], { dtype: 'float32' });
  assert.deepEqual(f.__rmul__(3).tolist(), [6, 12]);
  assert.deepEqual(f.__div__(2).tolist(), [1, 2]);
  assert.deepEqual(f.__truediv__(4).tolist(), [0.5, 1]);
  assert.deepEqual(f.__rdiv__(8).tolist(), [4, 2]);
  assert.deepEqual(f.__ne__(2).tolist(), [false, true]);
  assert.deepEqual(f.__lt__(3).tolist(), [true, false]);
  assert.deepEqual(f.__le__(2).tolist(), [true, false]);
  assert.deepEqual(f.__ge__(4).tolist(), [false, true]);
});
