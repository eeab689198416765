// Creation operators and APIs: fill_constant, fill_any_like, empty, eye, range, linspace,
// assign, assign_value. Values from Paddle 2.0's docs, hand derivations and NumPy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError } = paddle.errors;

test('full / zeros / ones: Paddle doc examples and the float32 default', () => {
  assertTensor(paddle.ones([3, 2]), [3, 2], 'float32', [[1, 1], [1, 1], [1, 1]]);
  assertTensor(paddle.ones({ shape: [2, 2], dtype: 'int32' }), [2, 2], 'int32', [[1, 1], [1, 1]]);
  assertTensor(paddle.zeros([3, 2], 'float32'), [3, 2], 'float32', [[0, 0], [0, 0], [0, 0]]);
  assertTensor(paddle.zeros([2, 2]), [2, 2], 'float32', [[0, 0], [0, 0]]);
  // an int fill value still gives float32 (Paddle 2.0)
  assertTensor(paddle.full([2, 3], 7), [2, 3], 'float32', [[7, 7, 7], [7, 7, 7]]);
  assertTensor(paddle.full({ shape: [2, 1], fill_value: 0, dtype: 'int64' }), [2, 1], 'int64', [[0], [0]]);
  assertTensor(paddle.full([3, 2], 2.5, 'float64'), [3, 2], 'float64', [[2.5, 2.5], [2.5, 2.5], [2.5, 2.5]]);
  assertTensor(paddle.full([2], true, 'bool'), [2], 'bool', [true, true]);
  // the float value reaches float64 exactly (str_value), not rounded through float32
  assert.equal(paddle.full([1], 0.1, 'float64').item(), 0.1);
  assertClose(paddle.full([2], 0.1, 'float32'), [Math.fround(0.1), Math.fround(0.1)], 0, 0);
  // int dtypes truncate, like Python's int(value)
  assertTensor(paddle.full([2], 2.7, 'int32'), [2], 'int32', [2, 2]);
  assertTensor(paddle.full([2], -2.7, 'int64'), [2], 'int64', [-2, -2]);
  assertTensor(paddle.full([1], Infinity), [1], 'float32', [Infinity]);
  const nan = paddle.full([1], NaN, 'float64').item() as number;
  assert.ok(Number.isNaN(nan));
  assertTensor(paddle.full([0, 3], 1), [0, 3], 'float32', []);
});

test('full: exact int64 values beyond 2^53 through bigint', () => {
  const big = 2n ** 62n + 1n;
  const t = paddle.full([2], big, 'int64');
  assert.equal(t.dtype, 'int64');
  assert.deepEqual(Array.from(t.numpy() as BigInt64Array), [big, big]);
  const m = paddle.full([1], 9007199254740993n, 'int64');
  assert.equal((m.numpy() as BigInt64Array)[0], 9007199254740993n);
});

test('full: shape as a Tensor or a list with Tensors; fill value as a Tensor (Paddle doc)', () => {
  const positive2 = paddle.full([1], 2, 'int32');
  assertTensor(paddle.full({ shape: [1, positive2], dtype: 'float32', fill_value: 1.5 }), [1, 2], 'float32', [[1.5, 1.5]]);
  const shape = paddle.full([2], 2, 'int32');
  assertTensor(paddle.full({ shape, dtype: 'bool', fill_value: true }), [2, 2], 'bool', [[true, true], [true, true]]);
  const val = paddle.full([1], 2.0, 'float32');
  assertTensor(paddle.full({ shape: [2, 1], fill_value: val, dtype: 'float32' }), [2, 1], 'float32', [[2], [2]]);
  assertTensor(paddle.ones(paddle.to_tensor([2, 2], { dtype: 'int64' }), 'int32'), [2, 2], 'int32', [[1, 1], [1, 1]]);
  // an int64 value tensor stays exact
  const v64 = paddle.to_tensor([2n ** 60n + 3n]);
  assert.equal((paddle.full([1], v64, 'int64').numpy() as BigInt64Array)[0], 2n ** 60n + 3n);
});

test('zeros_like / ones_like / full_like: dtype follows x unless given (Paddle doc)', () => {
  const x = paddle.to_tensor([1, 2, 3]);
  assertTensor(paddle.zeros_like(x), [3], 'int64', [0, 0, 0]);
  assertTensor(paddle.zeros_like(x, 'int32'), [3], 'int32', [0, 0, 0]);
  assertTensor(paddle.ones_like(x), [3], 'int64', [1, 1, 1]);
  assertTensor(paddle.ones_like(x, { dtype: 'float64' }), [3], 'float64', [1, 1, 1]);
  const inp = paddle.full([2, 3], 0.0, 'float32');
  assertTensor(paddle.full_like(inp, 2.0), [2, 3], 'float32', [[2, 2, 2], [2, 2, 2]]);
  assertTensor(paddle.full_like(inp, true, 'bool'), [2, 3], 'bool', [[true, true, true], [true, true, true]]);
  assertTensor(paddle.full_like(x, 2.9), [3], 'int64', [2, 2, 2]);
  // the result never requires a gradient, even from a tensor that does
  const g = paddle.to_tensor([1.5, 2.5], { dtype: 'float64', stop_gradient: false });
  const z = paddle.zeros_like(g);
  assert.equal(z.stop_gradient, true);
  assertTensor(z, [2], 'float64', [0, 0]);
});

test('empty / empty_like: shape and dtype (default dtype for empty)', () => {
  assertTensor(paddle.empty([2, 3]), [2, 3], 'float32');
  assertTensor(paddle.empty([2, 3], 'int64'), [2, 3], 'int64');
  assertTensor(paddle.empty(paddle.to_tensor([2, 3], { dtype: 'int32' }), 'float32'), [2, 3], 'float32');
  assertTensor(paddle.empty([2, paddle.to_tensor([3], { dtype: 'int32' })], 'float32'), [2, 3], 'float32');
  assertTensor(paddle.empty_like(paddle.to_tensor([[1, 2, 3], [4, 5, 6]])), [2, 3], 'int64');
  assertTensor(paddle.empty_like(paddle.to_tensor([1, 2]), 'float64'), [2], 'float64');
  paddle.set_default_dtype('float64');
  try {
    assertTensor(paddle.empty([1]), [1], 'float64');
  } finally {
    paddle.set_default_dtype('float32');
  }
});

test('eye: Paddle doc examples, num_columns default, dtypes', () => {
  assertTensor(paddle.eye(3, { dtype: 'int32' }), [3, 3], 'int32', [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assertTensor(paddle.eye(2, 3, 'int32'), [2, 3], 'int32', [[1, 0, 0], [0, 1, 0]]);
  assertTensor(paddle.eye(2), [2, 2], 'float32', [[1, 0], [0, 1]]);
  assertTensor(paddle.eye(3, 2, 'int64'), [3, 2], 'int64', [[1, 0], [0, 1], [0, 0]]);
  assertTensor(paddle.eye(2, 2, 'float16'), [2, 2], 'float16', [[1, 0], [0, 1]]);
  assertTensor(paddle.eye(0), [0, 0], 'float32', []);
});

test('arange: int64 default even for float arguments; Paddle doc examples', () => {
  assertTensor(paddle.arange(5), [5], 'int64', [0, 1, 2, 3, 4]);
  assertTensor(paddle.arange(3, 9, 2.0), [3], 'int64', [3, 5, 7]);
  assertTensor(paddle.arange(4.999, { dtype: 'float32' }), [5], 'float32', [0, 1, 2, 3, 4]);
  assertTensor(paddle.arange(paddle.to_tensor([3]), 7), [4], 'int64', [3, 4, 5, 6]);
  assertTensor(paddle.arange(10, 0, -3), [4], 'int64', [10, 7, 4, 1]);
  assertTensor(paddle.arange(2, 2), [0], 'int64', []);
  assertTensor(paddle.arange(0, 7, 2, 'int32'), [4], 'int32', [0, 2, 4, 6]);
  // float32 accumulates value += step in float32, as Paddle's kernel (NumPy float32 loop)
  assertClose(paddle.arange(-1, 1, 0.2, 'float32'), [
    -1.0, -0.800000011920929, -0.6000000238418579, -0.40000003576278687, -0.20000003278255463,
    -2.9802322387695312e-8, 0.19999997317790985, 0.3999999761581421, 0.5999999642372131, 0.7999999523162842,
  ], 0, 0);
  assertClose(paddle.arange(0, 1, 0.25, 'float64'), [0, 0.25, 0.5, 0.75], 0, 0);
  // int64 stays exact beyond 2^53
  const s = paddle.to_tensor([2n ** 60n]);
  const r = paddle.arange(s, paddle.to_tensor([2n ** 60n + 3n]));
  assert.deepEqual(Array.from(r.numpy() as BigInt64Array), [2n ** 60n, 2n ** 60n + 1n, 2n ** 60n + 2n]);
});

test('linspace: Paddle doc examples, int dtypes truncate as the kernel does', () => {
  assertTensor(paddle.linspace(0, 10, 5, 'float32'), [5], 'float32', [0, 2.5, 5, 7.5, 10]);
  assertTensor(paddle.linspace(0, 10, 1, 'float32'), [1], 'float32', [0]);
  assertTensor(paddle.linspace(0, 10, 5), [5], 'float32', [0, 2.5, 5, 7.5, 10]);
  // NumPy: np.linspace(-3, 4, 6) = [-3, -1.6, -0.2, 1.2, 2.6, 4]
  assertClose(paddle.linspace(-3, 4, 6, 'float64'), [-3, -1.6, -0.2, 1.2, 2.6, 4], 1e-15, 1e-15);
  assertTensor(paddle.linspace(-3, 4, 6, 'int32'), [6], 'int32', [-3, -1, 0, 1, 2, 4]);
  assertTensor(paddle.linspace(-3, 4, 6, 'int64'), [6], 'int64', [-3, -1, 0, 1, 2, 4]);
  const t = paddle.linspace(paddle.to_tensor([1.0], { dtype: 'float64' }), paddle.to_tensor([2.0], { dtype: 'float64' }), paddle.to_tensor([3], { dtype: 'int32' }), 'float64');
  assertTensor(t, [3], 'float64', [1, 1.5, 2]);
});

test('assign: Tensor copy, arrays and numbers, output in place (Paddle doc)', () => {
  const data = paddle.full([3, 2], 2.5, 'float64');
  const a = paddle.assign(data);
  assertTensor(a, [3, 2], 'float64', [[2.5, 2.5], [2.5, 2.5], [2.5, 2.5]]);
  assert.notEqual(a, data);
  assert.notEqual(a.data, data.data);
  assertTensor(paddle.assign([[1, 1], [3, 4], [1, 3]]), [3, 2], 'int64', [[1, 1], [3, 4], [1, 3]]);
  assertTensor(paddle.assign(new Int32Array([1, 2, 3])), [3], 'int32', [1, 2, 3]);
  assertTensor(paddle.assign([true, false]), [2], 'bool', [true, false]);
  assertTensor(paddle.assign([0.5, 1.5]), [2], 'float32', [0.5, 1.5]);
  assertTensor(paddle.assign(3), [1], 'int64', [3]);
  const big = new BigInt64Array([2n ** 62n + 7n]);
  assert.equal((paddle.assign(big).numpy() as BigInt64Array)[0], 2n ** 62n + 7n);
  // float64 arrays are stored as float32 (assign_value keeps fp32 values)
  assertTensor(paddle.assign(new Float64Array([0.25])), [1], 'float32', [0.25]);
  const out = paddle.zeros([2], 'float32');
  const r = paddle.assign(paddle.to_tensor([7, 8], { dtype: 'float32' }), out);
  assert.equal(r, out);
  assertTensor(out, [2], 'float32', [7, 8]);
  const out2 = paddle.zeros([1], 'int64');
  paddle.assign([[5, 6]], out2);
  assertTensor(out2, [1, 2], 'int64', [[5, 6]]);
});

test('assign and clone are differentiable: the gradient passes through', () => {
  checkGrad((x) => paddle.assign(x), [randTensor([2, 3])]);
  checkGrad((x) => x.clone(), [randTensor([4])]);
  checkGrad((x) => paddle.clone(x).multiply(x), [randTensor([3])]);
  // second order through the assign grad rule: d/dx sum(d/dx sum(clone(x) * x)) = 2
  const v = paddle.to_tensor([0.5, -1.0, 2.0], { dtype: 'float64', stop_gradient: false });
  const [g1] = paddle.grad(paddle.sum(paddle.multiply(paddle.clone(v), v)), v, { create_graph: true });
  assertClose(g1!, [1, -2, 4]);
  const [g2] = paddle.grad(paddle.sum(g1!), v);
  assertClose(g2!, [2, 2, 2]);
  const x = paddle.to_tensor([1.0, 2.0], { dtype: 'float32', stop_gradient: false });
  const y = x.clone();
  assert.equal(y.stop_gradient, false);
  paddle.sum(paddle.multiply(y, paddle.to_tensor([3, 4], { dtype: 'float32' }))).backward();
  assertClose(x.grad!, [3, 4]);
  // assign into an output records the copy too
  const o = paddle.zeros([2], 'float32');
  const z = paddle.to_tensor([0.5, 1.5], { dtype: 'float32', stop_gradient: false });
  const w = paddle.multiply(z, z);
  paddle.assign(w, o);
  paddle.sum(o).backward();
  assertClose(z.grad!, [1, 3]);
});

test('fill ops create constants: no gradient is recorded', () => {
  const x = paddle.to_tensor([1.0, 2.0], { dtype: 'float64', stop_gradient: false });
  assert.equal(paddle.full_like(x, 3).stop_gradient, true);
  assert.equal(paddle.ones_like(x).stop_gradient, true);
});

test('errors: negative shape, bad dtype, bad arguments', () => {
  assertThrows(() => paddle.zeros([-1, 2]), InvalidArgumentError, /paddle\.zeros/, /shape\[0\] = -1/);
  assertThrows(() => paddle.full([2, -3], 1), InvalidArgumentError, /paddle\.full/, /non-negative/);
  assertThrows(() => paddle.empty([-2]), InvalidArgumentError, /paddle\.empty/);
  assertThrows(() => paddle.ones([2], 'uint8'), InvalidArgumentError, /paddle\.ones/, /dtype/);
  assertThrows(() => paddle.zeros([2], 'floaty' as never), InvalidArgumentError, /paddle\.zeros/, /dtype/);
  assertThrows(() => paddle.zeros(3 as never), InvalidArgumentError, /paddle\.zeros/, /shape/);
  assertThrows(() => paddle.zeros([1.5]), InvalidArgumentError, /shape/);
  assertThrows(() => paddle.full([2], Infinity, 'int32'), InvalidArgumentError, /paddle\.full/);
  assertThrows(() => paddle.full([2], paddle.to_tensor([1, 2]), 'int64'), InvalidArgumentError, /one value/);
  assertThrows(() => paddle.full_like(paddle.to_tensor([1, 2]), 300, 'bool'), InvalidArgumentError, /paddle\.full_like/, /out of range/);
  assertThrows(() => paddle.full_like(paddle.to_tensor([1, 2]), NaN), InvalidArgumentError, /NaN/);
  assertThrows(() => paddle.full_like(paddle.to_tensor([1]), 1, 'complex64'), InvalidArgumentError, /dtype/);
  assertThrows(() => paddle.zeros_like([1, 2] as never), InvalidArgumentError, /paddle\.zeros_like/, /'x'/);
  assertThrows(() => paddle.eye(-1), InvalidArgumentError, /paddle\.eye/, /num_rows/);
  assertThrows(() => paddle.eye(2, -3), InvalidArgumentError, /num_columns/);
  assertThrows(() => paddle.eye(2, 2, 'bool'), InvalidArgumentError, /dtype/);
  assertThrows(() => paddle.eye(2.5), InvalidArgumentError, /num_rows/);
  assertThrows(() => paddle.arange(0, 5, 0), InvalidArgumentError, /paddle\.arange/, /step/);
  assertThrows(() => paddle.arange(0, 5, -1), InvalidArgumentError, /greater than 0 while start < end/);
  assertThrows(() => paddle.arange(5, 0, 1), InvalidArgumentError, /less than 0 while start > end/);
  // Paddle 2.0: float arguments with the int64 default truncate, so a step of 0.5 becomes 0
  assertThrows(() => paddle.arange(0, 2, 0.5), InvalidArgumentError, /step/);
  assertThrows(() => paddle.arange(0, 5, 1, 'bool'), InvalidArgumentError, /dtype/);
  assertThrows(() => paddle.linspace(0, 1, 0), InvalidArgumentError, /paddle\.linspace/, /num/);
  assertThrows(() => paddle.linspace(0, 1, 2.5), InvalidArgumentError, /num/);
  assertThrows(() => paddle.linspace(0, 1, 3, 'bool'), InvalidArgumentError, /dtype/);
  assertThrows(() => paddle.assign('abc' as never), InvalidArgumentError, /paddle\.assign/);
  assertThrows(() => paddle.assign(paddle.to_tensor([1], { dtype: 'uint8' })), InvalidArgumentError, /paddle\.assign/, /uint8/);
  assertThrows(() => paddle.full([2], 1, { bogus: 1 } as never), InvalidArgumentError, /unexpected keyword argument 'bogus'/);
});
