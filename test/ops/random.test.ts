// Random operators and APIs: uniform_random, gaussian_random, randint, randperm, bernoulli,
// multinomial. Determinism under paddle.seed, distribution sanity, dtypes and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError } = paddle.errors;

function values(t: Tensor): number[] {
  return (t.tolist() as unknown[]).flat(Infinity as 1) as number[];
}
function meanStd(v: number[]): [number, number] {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  return [m, s];
}

test('paddle.seed: the same seed repeats the numbers, another seed changes them', () => {
  const draw = (): number[][] => [
    values(paddle.rand([5])),
    values(paddle.randn([5])),
    values(paddle.uniform([5], 'float64')),
    values(paddle.randint(0, 100, [5])),
    values(paddle.randperm(6)),
    values(paddle.normal(0, 1, [3])),
    values(paddle.bernoulli(paddle.full([8], 0.5))),
    values(paddle.multinomial(paddle.to_tensor([0.1, 0.2, 0.3, 0.4], { dtype: 'float32' }), 3)),
  ];
  paddle.seed(2021);
  const a = draw();
  paddle.seed(2021);
  const b = draw();
  assert.deepEqual(a, b);
  paddle.seed(7);
  const c = draw();
  assert.notDeepEqual(a[0], c[0]);
  assert.notDeepEqual(a[1], c[1]);
  assert.notDeepEqual(a[2], c[2]);
  // consecutive draws differ
  assert.notDeepEqual(values(paddle.rand([4])), values(paddle.rand([4])));
});

test('a non-zero seed argument gives the same numbers on every call', () => {
  const a = paddle.uniform([6], 'float32', -1, 1, 10);
  const b = paddle.uniform({ shape: [6], seed: 10 });
  assert.deepEqual(a.tolist(), b.tolist());
  assert.notDeepEqual(a.tolist(), paddle.uniform([6], 'float32', -1, 1, 11).tolist());
  // it does not disturb the global stream
  paddle.seed(3);
  const x = values(paddle.rand([3]));
  paddle.seed(3);
  paddle.uniform([4], 'float32', 0, 1, 99);
  assert.deepEqual(values(paddle.rand([3])), x);
});

test('uniform / rand: range, dtype defaults and moments', () => {
  paddle.seed(1);
  const u = paddle.uniform([10000], 'float32', -2, 3);
  assertTensor(u, [10000], 'float32');
  const v = values(u);
  assert.ok(v.every((x) => x >= -2 && x < 3), 'uniform values in [min, max)');
  const [m, s] = meanStd(v);
  assert.ok(Math.abs(m - 0.5) < 0.05, `mean ${m}`);
  assert.ok(Math.abs(s - 5 / Math.sqrt(12)) < 0.05, `std ${s}`);
  const d = values(paddle.uniform([2000]));
  assert.ok(d.every((x) => x >= -1 && x < 1), 'default range [-1, 1)');
  assert.ok(Math.min(...d) < -0.9 && Math.max(...d) > 0.9);
  const r = paddle.rand([20, 50]);
  assertTensor(r, [20, 50], 'float32');
  assert.ok(values(r).every((x) => x >= 0 && x < 1));
  assertTensor(paddle.rand([2], 'float64'), [2], 'float64');
  assertTensor(paddle.rand(paddle.to_tensor([2, 3], { dtype: 'int32' })), [2, 3], 'float32');
  assertTensor(paddle.rand([2, paddle.to_tensor([4], { dtype: 'int64' })]), [2, 4], 'float32');
  paddle.set_default_dtype('float64');
  try {
    assertTensor(paddle.rand([2]), [2], 'float64');
    assertTensor(paddle.randn([2]), [2], 'float64');
  } finally {
    paddle.set_default_dtype('float32');
  }
});

test('randn / standard_normal / normal: mean and std of 10k draws', () => {
  paddle.seed(42);
  for (const t of [paddle.randn([10000]), paddle.standard_normal([100, 100], 'float64')]) {
    const [m, s] = meanStd(values(t));
    assert.ok(Math.abs(m) < 0.04, `mean ${m}`);
    assert.ok(Math.abs(s - 1) < 0.04, `std ${s}`);
  }
  assertTensor(paddle.randn([2, 3]), [2, 3], 'float32');
  const n = paddle.normal(3, 0.5, [10000]);
  assertTensor(n, [10000], 'float32');
  const [m, s] = meanStd(values(n));
  assert.ok(Math.abs(m - 3) < 0.03, `mean ${m}`);
  assert.ok(Math.abs(s - 0.5) < 0.03, `std ${s}`);
  const z = paddle.normal({ shape: [3] });
  assertTensor(z, [3], 'float32');
});

test('normal with Tensor mean / std: shapes, dtypes, per-element parameters, gradients', () => {
  paddle.seed(5);
  const mean = paddle.full([5000], 10, 'float64');
  const out = paddle.normal(mean);
  assertTensor(out, [5000], 'float64');
  const [m, s] = meanStd(values(out));
  assert.ok(Math.abs(m - 10) < 0.06 && Math.abs(s - 1) < 0.05, `mean ${m} std ${s}`);
  const std = paddle.full([2, 2000], 0.01, 'float32');
  const o2 = paddle.normal(0, std);
  assertTensor(o2, [2, 2000], 'float32');
  assert.ok(Math.abs(meanStd(values(o2))[1] - 0.01) < 0.001);
  // both tensors: std is reshaped to mean's shape
  const o3 = paddle.normal(paddle.to_tensor([[0.0, 100.0]], { dtype: 'float32' }), paddle.to_tensor([1e-3, 1e-3], { dtype: 'float32' }));
  assertTensor(o3, [1, 2], 'float32');
  assertClose(o3, [[0, 100]], 0, 0.01);
  // out = z * std + mean is differentiable in mean and std (same seed in every probe)
  checkGrad((mu, sd) => {
    paddle.seed(11);
    return paddle.normal(mu, sd);
  }, [randTensor([3]), randTensor([3], 0.5, 1)]);
});

test('randint: [low, high) in int64 by default; high=None means [0, low)', () => {
  paddle.seed(9);
  const r = paddle.randint(-5, 5, [1000]);
  assertTensor(r, [1000], 'int64');
  const v = values(r);
  assert.ok(v.every((x) => Number.isInteger(x) && x >= -5 && x < 5));
  assert.equal(new Set(v).size, 10, 'every value in the range appears');
  const h = values(paddle.randint(10, undefined, [500]));
  assert.ok(h.every((x) => x >= 0 && x < 10));
  assertTensor(paddle.randint(5), [1], 'int64');
  assertTensor(paddle.randint(0, 3, [2, 3], 'int32'), [2, 3], 'int32');
  assertTensor(paddle.randint({ low: 1, high: 2, shape: [3] }), [3], 'int64', [1, 1, 1]);
  assertTensor(paddle.randint(0, 10, paddle.to_tensor([3, 2], { dtype: 'int64' })), [3, 2], 'int64');
  const [m] = meanStd(values(paddle.randint(0, 100, [10000])));
  assert.ok(Math.abs(m - 49.5) < 1.5, `mean ${m}`);
});

test('randperm: a permutation of 0..n-1 in the asked dtype', () => {
  paddle.seed(4);
  for (const [n, dt] of [[1, 'int64'], [10, 'int64'], [257, 'int32'], [6, 'float32'], [5, 'float64']] as const) {
    const p = paddle.randperm(n, dt);
    assertTensor(p, [n], dt);
    assert.deepEqual(values(p).slice().sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
  assert.notDeepEqual(values(paddle.randperm(20)), Array.from({ length: 20 }, (_, i) => i));
  // each position is uniform: the mean of the first element over many draws is about (n-1)/2
  let sum = 0;
  for (let i = 0; i < 2000; i++) sum += values(paddle.randperm(5))[0];
  assert.ok(Math.abs(sum / 2000 - 2) < 0.15, `mean ${sum / 2000}`);
});

test('bernoulli: 0/1 in x\'s dtype with probability x', () => {
  paddle.seed(8);
  const p = paddle.full([10000], 0.3, 'float64');
  const b = paddle.bernoulli(p);
  assertTensor(b, [10000], 'float64');
  const v = values(b);
  assert.ok(v.every((x) => x === 0 || x === 1));
  const [m] = meanStd(v);
  assert.ok(Math.abs(m - 0.3) < 0.02, `mean ${m}`);
  assertTensor(paddle.bernoulli(paddle.to_tensor([[0, 1], [1, 0]], { dtype: 'float32' })), [2, 2], 'float32', [[0, 1], [1, 0]]);
});

test('multinomial: int64 indices, frequencies, distinct without replacement', () => {
  paddle.seed(100);
  const x = paddle.to_tensor([0.2, 0.3, 0.5], { dtype: 'float32' });
  const s = paddle.multinomial(x, 10000, true);
  assertTensor(s, [10000], 'int64');
  const v = values(s);
  const freq = [0, 1, 2].map((k) => v.filter((i) => i === k).length / v.length);
  assertClose(freq, [0.2, 0.3, 0.5], 0, 0.02);
  // unnormalised weights work the same
  const w = values(paddle.multinomial(paddle.to_tensor([2.0, 0.0, 6.0], { dtype: 'float64' }), 4000, true));
  assert.ok(!w.includes(1), 'a zero-weight category is never drawn');
  assert.ok(Math.abs(w.filter((i) => i === 2).length / 4000 - 0.75) < 0.03);
  // without replacement: distinct indices in every row, zero-weight ones excluded
  const probs = paddle.to_tensor([[0.1, 0.2, 0.3, 0.4, 0.0], [0.5, 0.5, 0.0, 0.0, 1.0]], { dtype: 'float32' });
  for (let t = 0; t < 50; t++) {
    const r = paddle.multinomial(probs, 3) ;
    assertTensor(r, [2, 3], 'int64');
    const rows = r.tolist() as number[][];
    for (const row of rows) assert.equal(new Set(row).size, 3);
    assert.ok(!rows[0].includes(4));
    assert.deepEqual(rows[1].slice().sort(), [0, 1, 4]);
  }
  assertTensor(paddle.multinomial(paddle.to_tensor([0.0, 1.0], { dtype: 'float32' })), [1], 'int64', [1]);
  const all = paddle.multinomial(paddle.to_tensor([1, 1, 1, 1, 1, 1], { dtype: 'float64' }), 6);
  assert.deepEqual(values(all).sort(), [0, 1, 2, 3, 4, 5]);
});

test('get_cuda_rng_state / set_cuda_rng_state without a GPU', () => {
  const st = paddle.get_cuda_rng_state();
  assert.deepEqual(st, []);
  assert.equal(paddle.set_cuda_rng_state(st), undefined);
});

test('random results carry no gradient', () => {
  const p = paddle.to_tensor([0.5, 0.5], { dtype: 'float32', stop_gradient: false });
  assert.equal(paddle.bernoulli(p).stop_gradient, true);
  assert.equal(paddle.multinomial(p).stop_gradient, true);
  assert.equal(paddle.rand([2]).stop_gradient, true);
});

test('errors: bad shapes, dtypes, bounds and probabilities', () => {
  assertThrows(() => paddle.rand([-1, 2]), InvalidArgumentError, /paddle\.rand/, /shape/);
  assertThrows(() => paddle.randn([2, -2]), InvalidArgumentError, /paddle\.randn/, /non-negative/);
  assertThrows(() => paddle.rand([]), InvalidArgumentError, /shape must be given/);
  assertThrows(() => paddle.rand([2], 'int32'), InvalidArgumentError, /paddle\.rand/, /dtype/);
  assertThrows(() => paddle.randn([2], 'int64'), InvalidArgumentError, /dtype/);
  assertThrows(() => paddle.uniform([2], 'float32', 1, 1), InvalidArgumentError, /paddle\.uniform/, /min must be less than max/);
  assertThrows(() => paddle.uniform([2], 'float32', 2, 1), InvalidArgumentError, /min must be less than max/);
  assertThrows(() => paddle.randint(5, 5), InvalidArgumentError, /paddle\.randint/, /low must be less than high/);
  assertThrows(() => paddle.randint(5, 2, [3]), InvalidArgumentError, /low must be less than high/);
  assertThrows(() => paddle.randint(0), InvalidArgumentError, /low must be greater than 0/);
  assertThrows(() => paddle.randint(-3), InvalidArgumentError, /low must be greater than 0/);
  assertThrows(() => paddle.randint(0, 5, [2], 'float32'), InvalidArgumentError, /dtype/);
  assertThrows(() => paddle.randint(0, 5, [-2]), InvalidArgumentError, /shape/);
  assertThrows(() => paddle.randint(0.5, 5), InvalidArgumentError, /'low'/);
  assertThrows(() => paddle.randperm(0), InvalidArgumentError, /paddle\.randperm/, /greater than 0/);
  assertThrows(() => paddle.randperm(3, 'bool'), InvalidArgumentError, /dtype/);
  assertThrows(() => paddle.normal(0, 1), InvalidArgumentError, /paddle\.normal/, /shape/);
  assertThrows(() => paddle.normal(paddle.to_tensor([1, 2])), InvalidArgumentError, /'mean'/);
  assertThrows(() => paddle.bernoulli(paddle.to_tensor([0.5, 1.5], { dtype: 'float32' })), InvalidArgumentError, /paddle\.bernoulli/, /\[0, 1\]/);
  assertThrows(() => paddle.bernoulli(paddle.to_tensor([1, 0])), InvalidArgumentError, /paddle\.bernoulli/, /int64/);
  const p = paddle.to_tensor([0.5, 0.5, 0], { dtype: 'float32' });
  assertThrows(() => paddle.multinomial(p, 4), InvalidArgumentError, /paddle\.multinomial/, /num_samples/);
  assertThrows(() => paddle.multinomial(p, 3), InvalidArgumentError, /non-zero categories/);
  assertThrows(() => paddle.multinomial(p, 0), InvalidArgumentError, /number of samples/);
  assertThrows(() => paddle.multinomial(paddle.to_tensor([0.5, -0.1], { dtype: 'float32' })), InvalidArgumentError, />= 0/);
  assertThrows(() => paddle.multinomial(paddle.to_tensor([0, 0], { dtype: 'float32' })), InvalidArgumentError, /sum/);
  assertThrows(() => paddle.multinomial(paddle.zeros([2, 2, 2])), InvalidArgumentError, /1-D or 2-D/);
});
