// fluid.layers distributions against closed forms (NumPy values) in dygraph and static mode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const L = paddle.fluid.layers;
const f32 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float32' });

function stats(t: paddle.Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.numpy() as Float32Array);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

test('Uniform: entropy log(high - low), log_prob, samples in [low, high)', () => {
  const u = new L.Uniform([1.0, -2.0], [3.0, 2.0]);
  assertClose(u.entropy(), [Math.log(2), Math.log(4)]);
  assertClose(u.log_prob(f32([2.0, 2.5])), [-Math.log(2), -Infinity]);
  assertClose(u.log_prob(f32([0.5, 0.0])), [-Infinity, -Math.log(4)]);
  paddle.seed(10);
  const s = u.sample([2000]);
  assert.deepEqual(s.shape, [2000, 2]);
  const col0 = paddle.slice(s, [1], [0], [1]);
  const st = stats(col0);
  assert.ok(st.min >= 1 && st.max < 3, `${st.min} ${st.max}`);
  assert.ok(Math.abs(st.mean - 2) < 0.06 && Math.abs(st.std - 2 / Math.sqrt(12)) < 0.05, JSON.stringify(st));
  // float parameters: samples of exactly `shape`
  const uf = new L.Uniform(0.0, 4.0);
  const sf = uf.sample([3, 4], 0);
  assert.deepEqual(sf.shape, [3, 4]);
  assertClose(uf.entropy(), [Math.log(4)]);
  // Tensor parameters (batch shape [2]): samples of shape + batch shape
  const ut = new L.Uniform(f32([0, 10]), f32([1, 20]));
  const stt = ut.sample([500]);
  assert.deepEqual(stt.shape, [500, 2]);
  const c1 = stats(paddle.slice(stt, [1], [1], [2]));
  assert.ok(c1.min >= 10 && c1.max < 20, JSON.stringify(c1));
});

test('Normal: entropy, log_prob, kl_divergence closed forms; sample moments', () => {
  const n = new L.Normal([0.5, -1.0], [2.0, 0.5]);
  assertClose(n.entropy(), [2.11208571, 0.72579135]);
  assertClose(n.log_prob(f32([1.5, 0.0])), [-1.73708571, -2.22579135]);
  assertClose(n.kl_divergence(new L.Normal([1.0, 1.0], [1.0, 3.0])), [0.93185282, 1.52787058]);
  paddle.seed(3);
  const s = new L.Normal(1.5, 0.5).sample([20000]);
  assert.deepEqual(s.shape, [20000]);
  const st = stats(s);
  assert.ok(Math.abs(st.mean - 1.5) < 0.02 && Math.abs(st.std - 0.5) < 0.02, JSON.stringify(st));
  // Tensor parameters, batch shape [2, 2]
  const nt = new L.Normal(f32([[0, 10], [-10, 5]]), f32([[1, 1], [1, 2]]));
  const ts = nt.sample([3]);
  assert.deepEqual(ts.shape, [3, 2, 2]);
  assertClose(nt.entropy(), [[1.41893853, 1.41893853], [1.41893853, 2.11208571]]);
  // float64 value against float32 parameters
  assertClose(nt.log_prob(f32([[0, 10], [-10, 5]])), [[-0.91893853, -0.91893853], [-0.91893853, -1.61208571]]);
});

test('Categorical: entropy and kl_divergence over the last axis', () => {
  const a = new L.Categorical([[0.1, 0.5, 0.4], [1.0, -1.0, 2.0]]);
  const b = new L.Categorical([[1.0, 0.2, 0.3], [0.0, 0.0, 0.0]]);
  const e = a.entropy();
  assert.deepEqual(e.shape, [2, 1]);
  assertClose(e, [[1.08516887], [0.71386576]]);
  assertClose(a.kl_divergence(b), [[0.13718385], [0.38474653]]);
  assertClose(new L.Categorical(f32([0.3, 0.3])).entropy(), [Math.log(2)]);
});

test('MultivariateNormalDiag: entropy and kl_divergence with diagonal covariances', () => {
  const a = new L.MultivariateNormalDiag([0.3, 0.5], [[0.4, 0], [0, 0.5]]);
  const b = new L.MultivariateNormalDiag([0.6, 0.8], [[0.3, 0], [0, 0.2]]);
  assertClose(a.entropy(), [2.03315811]);
  assertClose(a.kl_divergence(b), [0.68968026]);
  assertClose(b.kl_divergence(b), [0], 1e-5, 1e-6);
});

test('distributions in a static program', () => {
  const feedLoc = paddle.to_tensor([[0.5, -1.0], [0.0, 1.0]], { dtype: 'float32' });
  const feedScale = paddle.to_tensor([[2.0, 0.5], [1.0, 1.0]], { dtype: 'float32' });
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const loc = paddle.static.data('loc', [null, 2], 'float32');
      const scale = paddle.static.data('scale', [null, 2], 'float32');
      const n = new L.Normal(loc, scale);
      const ent = n.entropy();
      const samp = n.sample([5]);
      assert.deepEqual(samp.shape, [5, -1, 2]);
      const kl = n.kl_divergence(new L.Normal(loc, scale));
      const u = new L.Uniform(1.0, 3.0);
      const uent = u.entropy();
      const exe = new paddle.static.Executor();
      const [e, s, k, ue] = exe.run(main, { feed: { loc: feedLoc, scale: feedScale }, fetch_list: [ent, samp, kl, uent] });
      assertClose(e, [[2.11208571, 0.72579135], [1.41893853, 1.41893853]]);
      assert.deepEqual(s.shape, [5, 2, 2]);
      assertClose(k, [[0, 0], [0, 0]]);
      assertClose(ue, [Math.log(2)]);
    });
  } finally {
    paddle.disable_static();
  }
});

test('distribution argument errors', () => {
  assertThrows(() => new L.Normal(f32([1]), 1.0), paddle.errors.InvalidArgumentError, /all arguments should be Variable/);
  assertThrows(() => new L.Uniform('a' as never, 1.0), paddle.errors.InvalidArgumentError, /'low' in Uniform must be float, list/);
  assertThrows(() => new L.Categorical(3 as never), paddle.errors.InvalidArgumentError, /'logits' in Categorical must be list/);
  const n = new L.Normal(0.0, 1.0);
  assertThrows(() => n.log_prob(paddle.to_tensor([1, 2])), paddle.errors.InvalidArgumentError, /must be float32 or float64/);
  assertThrows(() => n.kl_divergence(new L.Uniform(0.0, 1.0)), paddle.errors.InvalidArgumentError, /must be Normal/);
  assertThrows(() => n.sample(3 as never), paddle.errors.InvalidArgumentError, /'shape' in sample must be list/);
});
