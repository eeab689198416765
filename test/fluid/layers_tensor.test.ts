// paddle.fluid.layers tensor functions (tensor.py), comparisons and increment
// (control_flow.py), and the generated activation / unary functions (ops.py): values,
// `out`/`output`/`cond` arguments, fluid defaults, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const L = paddle.fluid.layers;
const f32 = (v: unknown): Tensor => paddle.to_tensor(v as never, { dtype: 'float32' });
const i64 = (v: unknown): Tensor => paddle.to_tensor(v as never, { dtype: 'int64' });
const IAE = paddle.errors.InvalidArgumentError;

test('fill_constant, ones, zeros, zeros_like, ones_like (stop_gradient, out arguments)', () => {
  const c = L.fill_constant([2, 3], 'int64', 7);
  assert.deepEqual([c.dtype, c.tolist(), c.stop_gradient], ['int64', [[7, 7, 7], [7, 7, 7]], true]);
  assertClose(L.fill_constant([2], 'float32', f32([2.5])), [2.5, 2.5]);
  assertClose(L.fill_constant([paddle.to_tensor([2], { dtype: 'int32' }), 1], 'float64', 1), [[1], [1]]);
  const out = L.create_tensor('float32');
  const r = L.fill_constant([3], 'float32', 4, false, out);
  assert.equal(r, out);
  assertClose(out, [4, 4, 4]);
  assertThrows(() => L.fill_constant([1], 'float32', 1, false, paddle.zeros([1], 'int32')), IAE, /'out' must be one of float32/);
  assert.deepEqual(L.ones([2], 'int32').tolist(), [1, 1]);
  assert.deepEqual(L.zeros([1, 2], 'float64').tolist(), [[0, 0]]);
  const x = f32([[1, 2], [3, 4]]);
  assertClose(L.zeros_like(x), [[0, 0], [0, 0]]);
  assertClose(L.ones_like(x), [[1, 1], [1, 1]]);
  const z = paddle.ones([2, 2]);
  L.zeros_like(x, z);
  assertClose(z, [[0, 0], [0, 0]]);
  assertThrows(() => L.zeros_like(paddle.ones([1], 'float16')), IAE, /zeros_like.*'x'/);
});

test('assign (Tensor or array data, output), sums, concat, create_tensor', () => {
  const x = f32([[1, 2], [3, 4]]);
  assertClose(L.assign(x), x);
  assert.deepEqual(L.assign([[1, 2], [3, 4]]).dtype, 'int64');
  assertClose(L.assign([[1.5, 2]]), [[1.5, 2]]);
  assert.equal(L.assign(Float32Array.of(1, 2)).dtype, 'float32');
  assertThrows(() => L.assign(Float64Array.of(1)), IAE, /must be bool, float32, int32 or int64/);
  const o = L.create_tensor('float32');
  L.assign(x, o);
  assertClose(o, x);
  // assigning into a parameter replaces its value outside autograd (it stays trainable)
  const lin = new paddle.nn.Linear(2, 2);
  L.assign(paddle.ones([2, 2]), lin.weight);
  assert.deepEqual([lin.weight.tolist(), lin.weight.stop_gradient], [[[1, 1], [1, 1]], false]);
  assertClose(L.sums([x, x, x]), [[3, 6], [9, 12]]);
  const so = paddle.zeros([2, 2]);
  L.sums([x, x], so);
  assertClose(so, [[2, 4], [6, 8]]);
  assertClose(L.concat([x, x], 1), [[1, 2, 1, 2], [3, 4, 3, 4]]);
  assertClose(L.concat([x, x], paddle.to_tensor([0], { dtype: 'int32' })).shape, [4, 2]);
  assertThrows(() => L.concat([x, i64([[1, 2]])]), IAE, /same data type/);
  assertThrows(() => L.create_tensor('complex64'), IAE, /create_tensor/);
});

test('argmax/argmin default to axis 0 (int64); argsort returns values and indices', () => {
  const x = f32([[1, 5, 3], [4, 2, 6]]);
  const am = L.argmax(x);
  assert.deepEqual([am.dtype, am.tolist()], ['int64', [1, 0, 1]]);
  assert.deepEqual(L.argmin(x, 1).tolist(), [0, 1]);
  const [v, i] = L.argsort(x, -1, true);
  assertClose(v, [[5, 3, 1], [6, 4, 2]]);
  assert.deepEqual(i.tolist(), [[1, 2, 0], [2, 0, 1]]);
  assertThrows(() => L.argmax(paddle.to_tensor([true])), IAE, /argmax/);
});

test('reverse, has_inf, has_nan, isfinite ([1] bools), range, diag, eye (batch_shape)', () => {
  assertClose(L.reverse(f32([[0, 1, 2], [3, 4, 5]]), 0), [[3, 4, 5], [0, 1, 2]]);
  assertClose(L.reverse(f32([[0, 1, 2], [3, 4, 5]]), [0, 1]), [[5, 4, 3], [2, 1, 0]]);
  assertThrows(() => L.reverse(f32([1]), [2]), IAE, /out of range/);
  const bad = f32([1, Infinity, 2]);
  assert.deepEqual([L.has_inf(bad).tolist(), L.has_nan(bad).tolist(), L.isfinite(bad).tolist()], [[true], [false], [false]]);
  assert.deepEqual([L.has_nan(f32([NaN])).tolist(), L.isfinite(f32([1, 2])).tolist()], [[true], [true]]);
  assert.deepEqual(L.has_inf(bad).shape, [1]);
  const r = L.range(0, 10, 2, 'int32');
  assert.deepEqual([r.dtype, r.tolist()], ['int32', [0, 2, 4, 6, 8]]);
  assertClose(L.range(1, 2, 0.25, 'float32'), [1, 1.25, 1.5, 1.75]);
  assertThrows(() => L.range(0, 1, 0, 'float32'), IAE, /step of range op should not be 0/);
  assert.deepEqual(L.diag(i64([3, 4, 5])).tolist(), [[3, 0, 0], [0, 4, 0], [0, 0, 5]]);
  assert.deepEqual(L.diag([1, 2]).tolist(), [[1, 0], [0, 2]]);
  assert.deepEqual(L.eye(2, 3).tolist(), [[1, 0, 0], [0, 1, 0]]);
  const be = L.eye(2, null, [3]);
  assert.deepEqual(be.shape, [3, 2, 2]);
  assert.deepEqual(be.getitem(2).tolist(), [[1, 0], [0, 1]]);
  assertThrows(() => L.eye(2, null, [0]), IAE, /batch_shape should be a positive int list/);
});

test('comparisons (bool, stop_gradient, cond) and increment (in place)', () => {
  const a = f32([1, 2, 3]);
  const b = f32([2, 2, 2]);
  assert.deepEqual(L.less_than(a, b).tolist(), [true, false, false]);
  assert.deepEqual(L.less_equal(a, b).tolist(), [true, true, false]);
  assert.deepEqual(L.greater_than(a, b).tolist(), [false, false, true]);
  assert.deepEqual(L.greater_equal(a, b).tolist(), [false, true, true]);
  assert.deepEqual(L.equal(a, b).tolist(), [false, true, false]);
  assert.deepEqual(L.not_equal(a, b).tolist(), [true, false, true]);
  const cond = paddle.to_tensor([false, false, false]);
  const r = L.less_than(a, b, null, cond);
  assert.equal(r, cond);
  assert.deepEqual(cond.tolist(), [true, false, false]);
  assertThrows(() => L.equal(paddle.to_tensor([true]), paddle.to_tensor([true])), IAE, /equal.*'x'/);
  const i = L.fill_constant([1], 'int64', 0);
  const same = L.increment(i);
  assert.equal(same, i);
  assert.deepEqual(i.tolist(), [1]);
  const j = L.increment(i, 2.0, false);
  assert.deepEqual([i.tolist(), j.tolist()], [[1], [3]]);
});

test('ops.py activations and unary functions', () => {
  const x = f32([-1, 0.5, 2]);
  assertClose(L.sigmoid(x), [0.26894142, 0.62245933, 0.88079708], 1e-6);
  assertClose(L.logsigmoid(f32([-0.4, -0.2, 0.1, 0.3])), [-0.91301525, -0.79813887, -0.64439666, -0.55435524], 1e-6);
  assertClose(L.softsign(f32([-0.4, -0.2, 0.1, 0.3])), [-0.285714, -0.166667, 0.0909091, 0.230769], 1e-5);
  assertClose(L.tanh(x), [Math.tanh(-1), Math.tanh(0.5), Math.tanh(2)], 1e-6);
  assertClose(L.tanh_shrink(x), [-1 - Math.tanh(-1), 0.5 - Math.tanh(0.5), 2 - Math.tanh(2)], 1e-6);
  assertClose(L.softplus(x), [Math.log1p(Math.exp(-1)), Math.log1p(Math.exp(0.5)), Math.log1p(Math.exp(2))], 1e-6);
  assertClose(L.softshrink(x), [-0.5, 0, 1.5]);
  assertClose(L.softshrink(x, 1), [0, 0, 1]);
  assertClose(L.hard_shrink(x), [-1, 0, 2]);
  assertClose(L.hard_shrink(x, 1.5), [0, 0, 2]);
  assertClose(L.thresholded_relu(x), [0, 0, 2]);
  assertClose(L.thresholded_relu(x, 0.4), [0, 0.5, 2]);
  assertClose(L.cumsum(f32([[1, 2], [3, 4]])), [[1, 3], [3, 7]]);
  assertClose(L.cumsum(f32([[1, 2], [3, 4]]), 0, true, true), [[3, 4], [0, 0]]);
  assertClose(L.gelu(f32([1])), [0.8413447], 1e-6);
  assertClose(L.gelu(f32([1]), true), [0.8411920], 1e-6);
  assertClose(L.exp(f32([0, 1])), [1, Math.E], 1e-6);
  assertClose(L.abs(i64([-2, 3])), [2, 3]);
  assertClose(L.square(f32([3])), [9]);
  assertClose(L.sqrt(f32([4])), [2]);
  assertClose(L.rsqrt(f32([4])), [0.5]);
  assertClose(L.reciprocal(f32([4])), [0.25]);
  assertClose(L.floor(f32([-1.5])), [-2]);
  assertClose(L.ceil(f32([-1.5])), [-1]);
  assertClose(L.round(f32([2.5, -2.5])), [3, -3]);
  assertClose(L.sin(f32([0])), [0]);
  assertClose(L.cos(f32([0])), [1]);
  assertThrows(() => L.sigmoid(i64([1])), IAE, /sigmoid.*float16, float32, float64/);
});
