// Comparisons: equal ... greater_equal (broadcasting, bool out), equal_all, allclose,
// isfinite / isinf / isnan. Expected values from NumPy and the Paddle 2.0 docs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as paddle from '../../src/index.js';
import { getOp } from '../../src/core/registry.js';
import { run1 } from '../../src/core/dispatch.js';
import { assertTensor, assertThrows } from '../helpers/assert.js';
import { pyFloatStr } from '../../src/tensor/logic.js';

const { InvalidArgumentError, PreconditionNotMetError } = paddle.errors;

describe('elementwise comparisons', () => {
  const x = () => paddle.to_tensor([[1, 2, 3], [4, 5, 6]]);
  const y = () => paddle.to_tensor([2, 5, 3]);
  it('broadcast like NumPy and give bool', () => {
    assertTensor(paddle.equal(x(), y()), [2, 3], 'bool', [[false, false, true], [false, true, false]]);
    assertTensor(paddle.not_equal(x(), y()), [2, 3], 'bool', [[true, true, false], [true, false, true]]);
    assertTensor(paddle.less_than(x(), y()), [2, 3], 'bool', [[true, true, false], [false, false, false]]);
    assertTensor(paddle.less_equal(x(), y()), [2, 3], 'bool', [[true, true, true], [false, true, false]]);
    assertTensor(paddle.greater_than(x(), y()), [2, 3], 'bool', [[false, false, false], [true, false, true]]);
    assertTensor(paddle.greater_equal(x(), y()), [2, 3], 'bool', [[false, false, true], [true, true, true]]);
    const a = paddle.to_tensor([[1.0], [3.0]], { dtype: 'float32' });
    const b = paddle.to_tensor([1.0, 2.0, 3.0], { dtype: 'float32' });
    assertTensor(paddle.less_than(a, b), [2, 3], 'bool', [[false, true, true], [false, false, false]]);
    // the smaller-rank operand may come first too
    assertTensor(paddle.greater_than(b, a), [2, 3], 'bool', [[false, true, true], [false, false, false]]);
  });
  it('matches the Paddle docs examples and works as methods', () => {
    const p = paddle.to_tensor([1, 2, 3]);
    const q = paddle.to_tensor([1, 3, 2]);
    assertTensor(paddle.equal(p, q), [3], 'bool', [true, false, false]);
    assertTensor(p.not_equal(q), [3], 'bool', [false, true, true]);
    assertTensor(p.less_than(q), [3], 'bool', [false, true, false]);
    assertTensor(p.less_equal({ y: q }), [3], 'bool', [true, true, false]);
    assertTensor(p.greater_than(q), [3], 'bool', [false, false, true]);
    assertTensor(p.greater_equal(q), [3], 'bool', [true, false, true]);
  });
  it('compare floats with Paddle\'s 1e-8 tolerance for equality, inf and NaN', () => {
    const a = paddle.to_tensor([1, 1, Infinity, NaN, -Infinity], { dtype: 'float64' });
    const b = paddle.to_tensor([1 + 1e-9, 1 + 1e-7, Infinity, NaN, Infinity], { dtype: 'float64' });
    assertTensor(paddle.equal(a, b), [5], 'bool', [true, false, true, false, false]);
    assertTensor(paddle.not_equal(a, b), [5], 'bool', [false, true, false, true, true]);
    assertTensor(paddle.less_than(a, b), [5], 'bool', [true, true, false, false, true]);
  });
  it('are exact for int64 beyond 2^53', () => {
    const a = paddle.to_tensor([2n ** 60n, 5n]);
    const b = paddle.to_tensor([2n ** 60n + 1n, 5n]);
    assertTensor(paddle.equal(a, b), [2], 'bool', [false, true]);
    assertTensor(paddle.less_than(a, b), [2], 'bool', [true, false]);
  });
  it('take a scalar y and cast a tensor y to x\'s dtype', () => {
    assertTensor(paddle.greater_than(paddle.to_tensor([1, 2, 3]), 2), [3], 'bool', [false, false, true]);
    assertTensor(paddle.less_than(paddle.to_tensor([1, 2, 3]), 2.5), [3], 'bool', [true, true, false]);
    const f = paddle.to_tensor([1.0, 2.5], { dtype: 'float32' });
    assertTensor(paddle.equal(f, paddle.to_tensor([1, 2])), [2], 'bool', [true, false]);
    assertTensor(paddle.equal(paddle.to_tensor([true, false]), paddle.to_tensor([true, true])), [2], 'bool', [true, false]);
  });
  it('keep -1 dims in static shape inference and check the attribute axis', () => {
    const def = getOp('less_than');
    const r = def.infer({ X: [{ dims: [-1, 3], dtype: 'float32' }], Y: [{ dims: [3], dtype: 'float32' }] }, { axis: -1, force_cpu: false });
    assert.deepEqual(r.Out[0], { dims: [-1, 3], dtype: 'bool' });
    const r2 = def.infer({ X: [{ dims: [2, 3, 4], dtype: 'int64' }], Y: [{ dims: [3], dtype: 'int64' }] }, { axis: 1, force_cpu: false });
    assert.deepEqual(r2.Out[0].dims, [2, 3, 4]);
    assertThrows(() => def.infer({ X: [{ dims: [2], dtype: 'int64' }], Y: [{ dims: [2], dtype: 'int32' }] }, { axis: -1 }), InvalidArgumentError, /same dtype/);
  });
  it('support fluid-style axis broadcasting in the operator', () => {
    const a = paddle.to_tensor([[[1, 2], [3, 4], [5, 6]]]); // [1, 3, 2]
    const b = paddle.to_tensor([2, 4, 6]); // aligned at axis 1 -> [1, 3, 1]
    const r = run1('less_than', { X: [a], Y: [b] }, { axis: 1 });
    assertTensor(r, [1, 3, 2], 'bool', [[[true, false], [true, false], [true, false]]]);
  });
  it('reject bad arguments', () => {
    assertThrows(() => paddle.equal(paddle.to_tensor([1, 2]), paddle.to_tensor([1, 2, 3])), InvalidArgumentError, /paddle\.equal/, /cannot be broadcast/);
    assertThrows(() => paddle.less_than([1, 2] as never, paddle.to_tensor([1])), InvalidArgumentError, /argument 'x'/);
    assertThrows(() => paddle.less_than(paddle.to_tensor([1]), 'a' as never), InvalidArgumentError, /argument 'y'/);
  });
});

describe('paddle.equal_all', () => {
  it('computes the Paddle docs example', () => {
    const x = paddle.to_tensor([1, 2, 3]);
    assertTensor(paddle.equal_all(x, paddle.to_tensor([1, 2, 3])), [1], 'bool', [true]);
    assertTensor(paddle.equal_all(x, paddle.to_tensor([1, 4, 3])), [1], 'bool', [false]);
    assertTensor(x.equal_all(paddle.to_tensor([[1, 2, 3]])), [1], 'bool', [false]);
    assertTensor(paddle.equal_all(paddle.to_tensor([[true]]), paddle.to_tensor([[true]])), [1], 'bool', [true]);
  });
  it('rejects different dtypes', () => {
    assertThrows(() => paddle.equal_all(paddle.to_tensor([1]), paddle.to_tensor([1], { dtype: 'int32' })), InvalidArgumentError, /paddle\.equal_all/, /same dtype/);
  });
});

describe('paddle.allclose', () => {
  const f = (v: number[]) => paddle.to_tensor(v, { dtype: 'float64' });
  it('computes the Paddle docs examples', () => {
    assertTensor(paddle.allclose(f([10000, 1e-7]), f([10000.1, 1e-8])), [1], 'bool', [false]);
    assertTensor(paddle.allclose(f([10000, 1e-7]), f([10000.1, 1e-8]), { equal_nan: true }), [1], 'bool', [false]);
    assertTensor(paddle.allclose(f([10000, 1e-8]), f([10000.1, 1e-9])), [1], 'bool', [true]);
    assertTensor(paddle.allclose(f([1, NaN]), f([1, NaN])), [1], 'bool', [false]);
    assertTensor(paddle.allclose(f([1, NaN]), f([1, NaN]), 1e-5, 1e-8, true), [1], 'bool', [true]);
    assertTensor(f([NaN, 1]).allclose(f([1, NaN]), { equal_nan: true }), [1], 'bool', [false]);
  });
  it('uses rtol and atol', () => {
    assertTensor(paddle.allclose(f([1, 2]), f([1.05, 2]), { rtol: 0.1 }), [1], 'bool', [true]);
    assertTensor(paddle.allclose(f([1, 2]), f([1.05, 2]), { atol: 0.01 }), [1], 'bool', [false]);
    assertTensor(paddle.allclose(f([1, 2]), f([1.05, 2]), { atol: 0.06 }), [1], 'bool', [true]);
  });
  it('writes rtol/atol as Python strings', () => {
    assert.equal(pyFloatStr(1e-5), '1e-05');
    assert.equal(pyFloatStr(1e-8), '1e-08');
    assert.equal(pyFloatStr(0.1), '0.1');
    assert.equal(pyFloatStr(1), '1.0');
    assert.equal(pyFloatStr(0.0001), '0.0001');
    assert.equal(pyFloatStr(1.5e20), '1.5e+20');
  });
  it('rejects bad input', () => {
    assertThrows(() => paddle.allclose(f([1, 2]), f([1, 2, 3])), PreconditionNotMetError, /paddle\.allclose/, /same shape/);
    assertThrows(() => paddle.allclose(paddle.to_tensor([1, 2]), paddle.to_tensor([1, 2])), InvalidArgumentError, /float32 or float64/);
    assertThrows(() => paddle.allclose(f([1]), f([1]), { rtol: '1e-5' as never }), InvalidArgumentError, /argument 'rtol'/);
  });
});

describe('paddle.isfinite / isinf / isnan', () => {
  const x = () => paddle.to_tensor([Infinity, -Infinity, 0, -1, NaN], { dtype: 'float32' });
  it('computes the Paddle docs examples', () => {
    assertTensor(paddle.isfinite(x()), [5], 'bool', [false, false, true, true, false]);
    assertTensor(paddle.isinf(x()), [5], 'bool', [true, true, false, false, false]);
    assertTensor(x().isnan(), [5], 'bool', [false, false, false, false, true]);
  });
  it('handles float64, float16 and ints', () => {
    const d = paddle.to_tensor([[1, Infinity], [NaN, 2]], { dtype: 'float64' });
    assertTensor(paddle.isnan(d), [2, 2], 'bool', [[false, false], [true, false]]);
    const h = paddle.to_tensor([1, Infinity, NaN], { dtype: 'float16' });
    assertTensor(paddle.isinf(h), [3], 'bool', [false, true, false]);
    const i = paddle.to_tensor([1, 2]);
    assertTensor(paddle.isfinite(i), [2], 'bool', [true, true]);
    assertTensor(paddle.isinf(i), [2], 'bool', [false, false]);
  });
  it('rejects complex input', () => {
    assertThrows(() => paddle.isnan(paddle.to_tensor([{ real: 1, imag: 1 }])), InvalidArgumentError, /paddle\.isnan/, /complex64/);
  });
});
