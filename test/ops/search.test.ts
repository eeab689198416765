// Search and sort: argmax/argmin, argsort/sort, topk, where, nonzero, unique. Values from the
// Paddle docs and NumPy (stable argsort for tie order), gradients and errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as paddle from '../../src/index.js';
import { run1, dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError } = paddle.errors;
const f64 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float64' });
const f32 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float32' });
const doc = () => paddle.to_tensor([[5, 8, 9, 5], [0, 0, 1, 7], [6, 9, 2, 4]]);
// ((arange(24) * 7) % 5).reshape(2, 3, 4): many ties
const ties = () =>
  paddle.to_tensor([[[0, 2, 4, 1], [3, 0, 2, 4], [1, 3, 0, 2]], [[4, 1, 3, 0], [2, 4, 1, 3], [0, 2, 4, 1]]]);

describe('paddle.argmax / argmin', () => {
  it('match the Paddle docs examples', () => {
    const x = doc();
    assertTensor(paddle.argmax(x), [1], 'int64', [2]);
    assertTensor(paddle.argmax(x, 0), [4], 'int64', [2, 2, 0, 1]);
    assertTensor(paddle.argmax(x, -1), [3], 'int64', [2, 3, 1]);
    assertTensor(paddle.argmax(x, { axis: 0, keepdim: true }), [1, 4], 'int64', [[2, 2, 0, 1]]);
    assertTensor(paddle.argmin(x), [1], 'int64', [4]);
    assertTensor(paddle.argmin(x, 0), [4], 'int64', [1, 1, 1, 2]);
    assertTensor(paddle.argmin(x, -1), [3], 'int64', [0, 0, 2]);
    assertTensor(x.argmin({ axis: 0, keepdim: true }), [1, 4], 'int64', [[1, 1, 1, 2]]);
  });
  it('take the first index on ties (NumPy values) along middle and negative axes', () => {
    const a = ties();
    assertTensor(paddle.argmax(a, 1), [2, 4], 'int64', [[1, 2, 0, 1], [0, 1, 2, 1]]);
    assertTensor(paddle.argmin(a, -1), [2, 3], 'int64', [[0, 1, 2], [3, 2, 0]]);
    assertTensor(paddle.argmax(a), [1], 'int64', [2]);
    assertTensor(paddle.argmax(a, 1, true, 'int32'), [2, 1, 4], 'int32', [[[1, 2, 0, 1]], [[0, 1, 2, 1]]]);
  });
  it('treat NaN as NumPy does (the first NaN wins) and read every number dtype', () => {
    assertTensor(paddle.argmax(f32([1, NaN, 3, NaN])), [1], 'int64', [1]);
    assertTensor(paddle.argmin(f32([1, NaN, -3, NaN])), [1], 'int64', [1]);
    assertTensor(paddle.argmax(paddle.to_tensor([3, -7, 2], { dtype: 'int32' })), [1], 'int64', [0]);
    assertTensor(paddle.argmin(paddle.to_tensor([3, -7, 2], { dtype: 'float16' })), [1], 'int64', [1]);
    assertTensor(paddle.argmax(paddle.to_tensor([2n ** 40n, 2n ** 41n, 5n])), [1], 'int64', [1]);
  });
  it('reject bad arguments', () => {
    const x = doc();
    assertThrows(() => paddle.argmax(x, 2), InvalidArgumentError, /paddle\.argmax/, /axis/, /out of range/);
    assertThrows(() => paddle.argmax(x, { dtype: 'float32' }), InvalidArgumentError, /paddle\.argmax/, /int32 or int64/);
    assertThrows(() => paddle.argmin(x, { dtype: null }), InvalidArgumentError, /could not be None/);
    assertThrows(() => paddle.argmax(paddle.to_tensor([true, false])), InvalidArgumentError, /argument 'x' must have dtype/);
    assertThrows(() => paddle.argmax(x, 1.5 as never), InvalidArgumentError, /argument 'axis'/);
  });
});

describe('paddle.argsort / sort', () => {
  const y = () =>
    paddle.to_tensor([[[5, 8, 9, 5], [0, 0, 1, 7], [6, 9, 2, 4]], [[5, 2, 4, 2], [4, 7, 7, 9], [1, 7, 0, 6]]], { dtype: 'float32' });
  it('match the Paddle docs examples', () => {
    assertTensor(paddle.argsort(y()), [2, 3, 4], 'int64', [[[0, 3, 1, 2], [0, 1, 2, 3], [2, 3, 0, 1]], [[1, 3, 2, 0], [0, 1, 2, 3], [2, 0, 3, 1]]]);
    assertTensor(paddle.argsort(y(), 0), [2, 3, 4], 'int64', [[[0, 1, 1, 1], [0, 0, 0, 0], [1, 1, 1, 0]], [[1, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 1]]]);
    assertTensor(paddle.argsort(y(), 1), [2, 3, 4], 'int64', [[[1, 1, 1, 2], [0, 0, 2, 0], [2, 2, 0, 1]], [[2, 0, 2, 0], [1, 1, 0, 2], [0, 2, 1, 1]]]);
    assertTensor(paddle.sort(y(), 1, true), [2, 3, 4], 'float32', [[[6, 9, 9, 7], [5, 8, 2, 5], [0, 0, 1, 4]], [[5, 7, 7, 9], [4, 7, 4, 6], [1, 2, 0, 2]]]);
    assertTensor(y().sort({ axis: -1 }), [2, 3, 4], 'float32', [[[5, 5, 8, 9], [0, 0, 1, 7], [2, 4, 6, 9]], [[2, 2, 4, 5], [4, 7, 7, 9], [0, 1, 6, 7]]]);
  });
  it('is stable (the docs stable example) in both directions', () => {
    const x = f32(Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? 1 : 0)));
    const odd = Array.from({ length: 40 }, (_, i) => 2 * i + 1);
    const even = Array.from({ length: 40 }, (_, i) => 2 * i);
    assert.deepEqual(paddle.argsort(x).tolist(), [...odd, ...even]);
    assert.deepEqual(paddle.argsort(x, { descending: true }).tolist(), [...even, ...odd]);
    // NumPy argsort(kind='stable') on a row with ties
    assert.deepEqual(paddle.argsort(paddle.to_tensor([3, 1, 3, 1, 2, 3])).tolist(), [1, 3, 4, 0, 2, 5]);
    assert.deepEqual(paddle.argsort(paddle.to_tensor([3, 1, 3, 1, 2, 3]), { descending: true }).tolist(), [0, 2, 5, 4, 1, 3]);
  });
  it('sorts NaN as the largest value and -inf/inf in place', () => {
    const x = f64([2, NaN, -Infinity, 1, NaN, Infinity, 0]);
    assert.deepEqual(paddle.argsort(x).tolist(), [2, 6, 3, 0, 5, 1, 4]);
    assert.deepEqual(paddle.argsort(x, { descending: true }).tolist(), [1, 4, 5, 0, 3, 6, 2]);
    assertClose(paddle.sort(x), [-Infinity, 0, 1, 2, Infinity, NaN, NaN]);
  });
  it('sorts long rows (merge passes) like NumPy and keeps int64 exact', () => {
    const n = 1000;
    const vals = Array.from({ length: n }, (_, i) => (i * 7919) % 211);
    const idx = paddle.argsort(paddle.to_tensor(vals)).tolist() as number[];
    const expect = vals.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((p) => p[1]);
    assert.deepEqual(idx, expect);
    const big = paddle.to_tensor([2n ** 62n + 5n, -(2n ** 62n), 2n ** 40n]);
    assert.deepEqual(paddle.sort(big).tolist(), [-(2 ** 62), 2 ** 40, 2n ** 62n + 5n]);
  });
  it('sorts long rows with NaN, -0, infinities and ties like a stable comparison sort (radix path)', () => {
    const vals: number[] = [];
    for (let i = 0; i < 700; i++) {
      const r = (i * 2654435761) % 1000;
      vals.push(r < 30 ? NaN : r < 60 ? -0 : r < 90 ? 0 : r < 100 ? -Infinity : r < 110 ? Infinity : (r % 97) / 7 - 6);
    }
    // reference: Array.prototype.sort is stable; NaN is the largest value
    const rank = (v: number): number => (Number.isNaN(v) ? Infinity : v);
    const nanLast = (a: number, b: number): number =>
      Number.isNaN(vals[a]) !== Number.isNaN(vals[b]) ? (Number.isNaN(vals[a]) ? 1 : -1) : rank(vals[a]) - rank(vals[b]) || 0;
    const pos = vals.map((_, i) => i);
    const asc = pos.slice().sort((a, b) => nanLast(a, b) || a - b);
    const desc = pos.slice().sort((a, b) => nanLast(b, a) || a - b);
    for (const dtype of ['float64', 'float32'] as const) {
      const x = paddle.to_tensor(vals, { dtype });
      assert.deepEqual(paddle.argsort(x).tolist(), asc, dtype);
      assert.deepEqual(paddle.argsort(x, { descending: true }).tolist(), desc, dtype);
    }
    const [, ti] = paddle.topk(f64(vals), 5, { largest: false });
    assert.deepEqual(ti.tolist(), asc.slice(0, 5));
  });
  it('have gradients (the values of sort) along any axis', () => {
    checkGrad((t) => paddle.sort(t), [randTensor([3, 5])]);
    checkGrad((t) => paddle.sort(t, 0, true), [randTensor([4, 3, 2])]);
    checkGrad((t) => paddle.sort(t, 1), [randTensor([2, 3, 4])]);
    const x = paddle.to_tensor([3, 1, 2], { dtype: 'float32', stop_gradient: false });
    paddle.sum(paddle.multiply(paddle.sort(x), f32([1, 10, 100]))).backward();
    assertClose(x.grad!, [100, 1, 10]);
    assert.equal(paddle.argsort(x).stop_gradient, true);
  });
  it('differentiates its gradient (double grad through index_sample_grad)', () => {
    const x = f64([[3, 1, 2], [0, 5, 4]]);
    x.stop_gradient = false;
    const v = f64([[1, 2, 3], [4, 5, 6]]);
    v.stop_gradient = false;
    const [g] = paddle.grad([paddle.sort(x, 1, true)], [x], [v], { create_graph: true });
    assertClose(g!, [[1, 3, 2], [6, 4, 5]]);
    const [gv] = paddle.grad([paddle.sum(paddle.multiply(g!, f64([[10, 20, 30], [40, 50, 60]])))], [v]);
    assertClose(gv!, [[10, 30, 20], [50, 60, 40]]);
  });
  it('reject bad arguments', () => {
    assertThrows(() => paddle.argsort(doc(), 2), InvalidArgumentError, /paddle\.argsort/, /out of range/);
    assertThrows(() => paddle.sort(paddle.to_tensor([true])), InvalidArgumentError, /paddle\.sort/, /dtype/);
    assertThrows(() => paddle.sort(doc(), { descend: true } as never), InvalidArgumentError, /unexpected keyword argument 'descend'/);
  });
});

describe('paddle.topk', () => {
  // np.round(default_rng(0).uniform(-1, 1, (3, 40)), 1): many ties
  const rows = [
    [0.3, -0.5, -0.9, -1.0, 0.6, 0.8, 0.2, 0.5, 0.1, 0.9, 0.6, -1.0, 0.7, -0.9, 0.5, -0.6, 0.7, 0.1, -0.4, -0.2, -0.9, -0.8, 0.3, 0.3, 0.2, -0.2, 1.0, 1.0, 0.4, 0.3, 0.4, -0.2, -0.7, 0.4, 0.1, -0.4, -0.0, 0.8, 0.9, -0.3],
    [0.1, -0.4, 0.2, -0.3, -0.2, 0.8, -0.5, 0.2, -0.8, 0.7, 0.6, -0.5, 0.8, -0.9, -0.3, -0.7, -0.1, 0.6, -0.5, -0.9, -0.2, -0.6, -0.8, 0.2, -0.4, 0.3, -0.6, 0.9, -0.3, -0.8, 0.3, 0.9, -0.1, 0.9, -0.0, -0.1, 0.2, 1.0, 0.9, -0.1],
    [0.5, -0.0, 0.1, 0.6, -0.2, 0.5, 0.4, 0.9, -0.8, 0.5, 0.9, 0.9, -1.0, 0.7, 1.0, 0.9, -0.7, 0.9, 0.8, 0.6, -0.0, -0.5, 0.6, 0.8, -0.5, 0.1, -0.1, 0.9, -0.9, 0.5, 0.2, -0.9, 0.4, -1.0, 0.5, 0.0, 0.9, -0.9, 0.7, -0.9],
  ];
  it('matches the Paddle docs examples', () => {
    const t1 = paddle.to_tensor([1, 4, 5, 7]);
    let [v, i] = paddle.topk(t1, 1);
    assertTensor(v, [1], 'int64', [7]);
    assertTensor(i, [1], 'int64', [3]);
    const t2 = paddle.to_tensor([[1, 4, 5, 7], [2, 6, 2, 5]]);
    [v, i] = paddle.topk(t2, 1);
    assertTensor(v, [2, 1], 'int64', [[7], [6]]);
    assertTensor(i, [2, 1], 'int64', [[3], [1]]);
    [v, i] = paddle.topk(t2, { k: 1, axis: -1 });
    assert.deepEqual(i.tolist(), [[3], [1]]);
    [v, i] = t2.topk(1, 0);
    assertTensor(v, [1, 4], 'int64', [[2, 6, 5, 7]]);
    assertTensor(i, [1, 4], 'int64', [[1, 1, 0, 0]]);
  });
  it('selects like a stable NumPy argsort (heap path and full sort), largest or smallest', () => {
    const x = f64(rows);
    let [v, i] = paddle.topk(x, 4);
    assert.deepEqual(i.tolist(), [[26, 27, 9, 38], [37, 27, 31, 33], [14, 7, 10, 11]]);
    assertClose(v, [[1.0, 1.0, 0.9, 0.9], [1.0, 0.9, 0.9, 0.9], [1.0, 0.9, 0.9, 0.9]]);
    [v, i] = paddle.topk(x, 3, { largest: false });
    assert.deepEqual(i.tolist(), [[3, 11, 2], [13, 19, 8], [12, 33, 28]]);
    assertClose(v, [[-1.0, -1.0, -0.9], [-0.9, -0.9, -0.8], [-1.0, -1.0, -0.9]]);
    [v, i] = paddle.topk(x, 2, 0, false);
    assert.deepEqual((i.tolist() as number[][])[0].slice(0, 10), [1, 0, 0, 0, 1, 2, 1, 1, 1, 2]);
    assert.deepEqual((i.tolist() as number[][])[1].slice(0, 10), [0, 1, 2, 1, 2, 0, 0, 0, 2, 1]);
    // k = n is a full sort
    [v, i] = paddle.topk(x, 40);
    assert.deepEqual((i.tolist() as number[][])[0].slice(0, 4), [26, 27, 9, 38]);
  });
  it('puts NaN first when largest, last when smallest; takes k as a Tensor', () => {
    const x = f32([1, NaN, 3, 2]);
    let [v, i] = paddle.topk(x, 2);
    assertClose(v, [NaN, 3]);
    assert.deepEqual(i.tolist(), [1, 2]);
    [v, i] = paddle.topk(x, paddle.to_tensor([3]), { largest: false });
    assertClose(v, [1, 2, 3]);
    assert.deepEqual(i.tolist(), [0, 3, 2]);
  });
  it('has gradients', () => {
    checkGrad((t) => paddle.topk(t, 2)[0], [randTensor([3, 6])]);
    checkGrad((t) => paddle.topk(t, 2, 0, false)[0], [randTensor([5, 3])]);
    checkGrad((t) => paddle.topk(t, 1, 1)[0], [randTensor([2, 12, 3])]);
    const x = paddle.to_tensor([1, 4, 5, 7], { dtype: 'float64', stop_gradient: false });
    const [v, i] = paddle.topk(x, 2);
    paddle.sum(v).backward();
    assertClose(x.grad!, [0, 0, 1, 1]);
    assert.equal(i.stop_gradient, true);
  });
  it('rejects bad k and axis', () => {
    const x = paddle.to_tensor([[1, 4, 5, 7], [2, 6, 2, 5]]);
    assertThrows(() => paddle.topk(x, 5), InvalidArgumentError, /paddle\.topk/, /k = 5 is larger than the size 4/);
    assertThrows(() => paddle.topk(x, 0), InvalidArgumentError, /k must be an integer >= 1/);
    assertThrows(() => paddle.topk(x, 1, 2), InvalidArgumentError, /axis/, /out of range/);
    assertThrows(() => paddle.topk(x, f32([1])), InvalidArgumentError, /argument 'k'/);
  });
});

describe('paddle.where', () => {
  it('matches the Paddle docs example and broadcasts', () => {
    const x = f32([0.9383, 0.1983, 3.2, 1.2]);
    const y = f32([1.0, 1.0, 1.0, 1.0]);
    assertClose(paddle.where(x.greater_than(y), x, y) as paddle.Tensor, [1.0, 1.0, 3.2, 1.2]);
    const cond = paddle.to_tensor([[true], [false]]);
    const out = paddle.where(cond, f64([1, 2, 3]), f64([[10], [20]])) as paddle.Tensor;
    assertTensor(out, [2, 3], 'float64', [[1, 2, 3], [20, 20, 20]]);
    assertTensor(cond.where(paddle.to_tensor([5, 6]), 0) as paddle.Tensor, [2, 2], 'int64', [[5, 6], [0, 0]]);
    assertTensor(paddle.where(paddle.to_tensor([true, false]), 1.5, -1) as paddle.Tensor, [2], 'float32', [1.5, -1]);
    assertTensor(paddle.where(paddle.to_tensor([true, false]), 1, 0) as paddle.Tensor, [2], 'int64', [1, 0]);
  });
  it('without x and y is nonzero(condition, as_tuple=True)', () => {
    const r = paddle.where(paddle.to_tensor([[true, false], [false, true]])) as paddle.Tensor[];
    assert.equal(r.length, 2);
    assertTensor(r[0], [2, 1], 'int64', [[0], [1]]);
    assertTensor(r[1], [2, 1], 'int64', [[0], [1]]);
  });
  it('has gradients that select, and sum back over broadcast dims', () => {
    const cond = paddle.to_tensor([[true, false, true], [false, false, true]]);
    checkGrad((a, b) => paddle.where(cond, a, b) as paddle.Tensor, [randTensor([2, 3]), randTensor([2, 3])]);
    checkGrad((a, b) => paddle.where(cond, a, b) as paddle.Tensor, [randTensor([3]), randTensor([2, 1])]);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.where(paddle.to_tensor([1, 0]), f32([1, 2]), f32([3, 4])), InvalidArgumentError, /paddle\.where/, /bool/);
    assertThrows(() => paddle.where(paddle.to_tensor([true, false]), f32([1, 2]), f64([3, 4])), InvalidArgumentError, /same dtype/);
    assertThrows(() => paddle.where(paddle.to_tensor([true, false]), f32([1, 2])), InvalidArgumentError, /both or neither/);
    assertThrows(() => paddle.where(paddle.to_tensor([true, false]), f32([1, 2, 3]), f32([1, 2, 3])), InvalidArgumentError, /cannot be broadcast/);
  });
});

describe('paddle.nonzero', () => {
  it('matches the Paddle docs examples', () => {
    const x1 = f32([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]]);
    const x2 = f32([0.0, 1.0, 0.0, 3.0]);
    assertTensor(paddle.nonzero(x1) as paddle.Tensor, [3, 2], 'int64', [[0, 0], [1, 1], [2, 2]]);
    const t1 = paddle.nonzero(x1, true) as paddle.Tensor[];
    assert.equal(t1.length, 2);
    assert.deepEqual(t1.map((t) => t.tolist()), [[[0], [1], [2]], [[0], [1], [2]]]);
    assertTensor(x2.nonzero() as paddle.Tensor, [2, 1], 'int64', [[1], [3]]);
    const t2 = paddle.nonzero(x2, { as_tuple: true }) as paddle.Tensor[];
    assert.equal(t2.length, 1);
    assert.deepEqual(t2[0].tolist(), [[1], [3]]);
    assertTensor(paddle.nonzero(paddle.zeros([2, 2])) as paddle.Tensor, [0, 2], 'int64');
  });
});

describe('paddle.unique', () => {
  it('matches the Paddle docs examples', () => {
    const x = paddle.to_tensor([2, 3, 3, 1, 5, 3]);
    assertTensor(paddle.unique(x) as paddle.Tensor, [4], 'int64', [1, 2, 3, 5]);
    const [u, idx, inv, cnt] = paddle.unique(x, { return_index: true, return_inverse: true, return_counts: true }) as paddle.Tensor[];
    assert.deepEqual(u.tolist(), [1, 2, 3, 5]);
    assertTensor(idx, [4], 'int64', [3, 0, 1, 4]);
    assertTensor(inv, [6], 'int64', [1, 2, 2, 0, 3, 2]);
    assertTensor(cnt, [4], 'int64', [1, 1, 3, 1]);
    const m = paddle.to_tensor([[2, 1, 3], [3, 0, 1], [2, 1, 3]]);
    assert.deepEqual((paddle.unique(m) as paddle.Tensor).tolist(), [0, 1, 2, 3]);
    assertTensor(m.unique({ axis: 0 }) as paddle.Tensor, [2, 3], 'int64', [[2, 1, 3], [3, 0, 1]]);
  });
  it('finds unique slices along an axis like NumPy, with int32 indices', () => {
    const x = paddle.to_tensor([[1, 1, 2, 1], [3, 3, 0, 3]], { dtype: 'float32' });
    const [u, idx, inv, cnt] = paddle.unique(x, true, true, true, 1, 'int32') as paddle.Tensor[];
    assertTensor(u, [2, 2], 'float32', [[1, 2], [3, 0]]);
    assertTensor(idx, [2], 'int32', [0, 2]);
    assertTensor(inv, [4], 'int32', [0, 0, 1, 0]);
    assertTensor(cnt, [2], 'int32', [3, 1]);
  });
  it('returns selected outputs in order, groups NaNs last', () => {
    const x = f64([0.5, NaN, -1, 0.5, NaN]);
    const [u, inv] = paddle.unique(x, { return_inverse: true }) as paddle.Tensor[];
    assertClose(u, [-1, 0.5, NaN]);
    assert.deepEqual(inv.tolist(), [1, 2, 0, 1, 2]);
    const [u2, c2] = paddle.unique(f32([]), { return_counts: true }) as paddle.Tensor[];
    assertTensor(u2, [0], 'float32');
    assertTensor(c2, [0], 'int64');
  });
  it('runs the first-occurrence form of the operator (is_sorted=false, fluid.layers.unique)', () => {
    const r = dispatch('unique', { X: [paddle.to_tensor([2, 3, 3, 1, 5, 3])] }, { dtype: 2, is_sorted: false });
    assertTensor(r.Out[0], [4], 'int64', [2, 3, 1, 5]);
    assertTensor(r.Index[0], [6], 'int32', [0, 1, 1, 2, 3, 1]);
  });
  it('rejects bad arguments', () => {
    const x = paddle.to_tensor([2, 3]);
    assertThrows(() => paddle.unique(x, { axis: 1 }), InvalidArgumentError, /paddle\.unique/, /out of range/);
    assertThrows(() => paddle.unique(x, { dtype: 'float32' }), InvalidArgumentError, /int32 or int64/);
    assertThrows(() => paddle.unique(paddle.to_tensor([true])), InvalidArgumentError, /dtype/);
  });
});

describe('search operators in static mode', () => {
  it('append arg_max, argsort, top_k_v2 and where and run', () => {
    paddle.enable_static();
    try {
      const main = new paddle.static.Program();
      const startup = new paddle.static.Program();
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      paddle.static.program_guard(main, startup, () => {
        const x = paddle.static.data('x', [null, 4], 'float32');
        const am = paddle.argmax(x, 1);
        const s = paddle.sort(x, -1, true);
        const [v, i] = paddle.topk(x, 2);
        const w = paddle.where(x.greater_than(paddle.zeros([1])), x, paddle.zeros_like(x)) as paddle.Tensor;
        assert.deepEqual(am.shape, [-1]);
        assert.deepEqual(v.shape, [-1, 2]);
        const types = main.global_block().ops.map((o) => o.type);
        for (const t of ['arg_max', 'argsort', 'top_k_v2', 'where']) assert.ok(types.includes(t), t);
        const [a, b, c1, d, e] = exe.run(main, { feed: { x: [[1, -2, 3, 0], [5, 4, -1, 2]] }, fetch_list: [am, s, v, i, w] }) as paddle.Tensor[];
        assert.deepEqual(a.tolist(), [2, 0]);
        assertClose(b, [[3, 1, 0, -2], [5, 4, 2, -1]]);
        assertClose(c1, [[3, 1], [5, 4]]);
        assert.deepEqual(d.tolist(), [[2, 0], [0, 1]]);
        assertClose(e, [[1, 0, 3, 0], [5, 4, 0, 2]]);
      });
    } finally {
      paddle.disable_static();
    }
  });
  it('arg ops check attributes when appended by type', () => {
    assertThrows(() => run1('arg_max', { X: [doc()] }, { axis: 0, dtype: 5 }), InvalidArgumentError, /dtype must be int32 or int64/);
    assertThrows(() => run1('arg_max', { X: [doc()] }, {}), InvalidArgumentError, /needs attribute 'axis'/);
  });
});
