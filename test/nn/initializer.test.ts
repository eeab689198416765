// paddle.nn.initializer: exact values (Constant, Assign, Bilinear), statistics of the random
// ones against formulas computed by hand, fans of conv-shaped weights, the seed, the global
// initializer, the static-mode path (an op prepended to a block), and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const nn = paddle.nn;
const I = paddle.nn.initializer;

/** A float32 parameter of `shape` initialized by `init`. */
function param(shape: number[], init: InstanceType<typeof I.Initializer>, dtype = 'float32') {
  return paddle.create_parameter(shape, dtype, { default_initializer: init });
}
function stats(t: paddle.Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.numpy() as Float32Array, Number);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

test('Constant fills exactly (default 0), for float and int parameters; fluid form too', () => {
  assert.deepEqual(param([2, 3], new I.Constant(2.5)).tolist(), [[2.5, 2.5, 2.5], [2.5, 2.5, 2.5]]);
  assert.deepEqual(param([3], new I.Constant()).tolist(), [0, 0, 0]);
  assert.deepEqual(param([2], new I.Constant({ value: -1 })).tolist(), [-1, -1]);
  const ip = param([2, 2], new I.Constant(7), 'int64');
  assert.equal(ip.dtype, 'int64');
  assert.deepEqual(ip.tolist(), [[7, 7], [7, 7]]);
  // float16 goes through float32 and a cast, as in Paddle
  assert.deepEqual(param([2], new I.Constant(0.5), 'float16').tolist(), [0.5, 0.5]);
  // an initializer is callable on an existing parameter and fills it in place
  const p = param([2], new I.Constant(1));
  const data = p.data;
  new I.Constant(3)(p);
  assert.equal(p.data, data);
  assert.deepEqual(p.tolist(), [3, 3]);
  assert.ok(new I.Constant(1) instanceof I.Initializer);
  assert.equal(typeof new I.Constant(1), 'function');
});

test('Assign copies values from nested lists, Tensors and typed arrays, exactly', () => {
  assert.deepEqual(param([2, 2], new I.Assign([[1, 2], [3, 4]])).tolist(), [[1, 2], [3, 4]]);
  const t = paddle.to_tensor([0.5, -1.25, 3], { dtype: 'float64' });
  assert.deepEqual(param([3], new I.Assign(t)).tolist(), [0.5, -1.25, 3]);
  assert.deepEqual(param([2, 2], new I.Assign(new Float32Array([1, 2, 3, 4]))).tolist(), [[1, 2], [3, 4]]);
  // float64 and int64 parameters keep every digit
  assert.deepEqual(param([2], new I.Assign([0.1, 1e-17 + 1]), 'float64').tolist(), [0.1, 1e-17 + 1]);
  assert.deepEqual(param([2], new I.Assign([2 ** 53, -3]), 'int64').tolist(), [2 ** 53, -3]);
  // the value is copied at construction
  const src = paddle.to_tensor([1, 2], { dtype: 'float32' });
  const init = new I.Assign(src);
  src.set_value(paddle.to_tensor([9, 9], { dtype: 'float32' }));
  assert.deepEqual(param([2], init).tolist(), [1, 2]);
  assertThrows(() => param([3], new I.Assign([1, 2])), paddle.errors.InvalidArgumentError, /Assign/, /shape \[2\].*shape \[3\]/);
  assertThrows(() => new I.Assign(3 as never), paddle.errors.InvalidArgumentError, /Assign/, /'value'/);
});

test('Uniform draws in [low, high) with the right mean and spread', () => {
  const s = stats(param([200, 100], new I.Uniform(-0.5, 1.5)));
  assert.ok(s.min >= -0.5 && s.max < 1.5, `${s.min} ${s.max}`);
  assert.ok(s.min < -0.49 && s.max > 1.49);
  assertClose(s.mean, 0.5, 0, 0.02);
  assertClose(s.std, 2 / Math.sqrt(12), 0, 0.01);
  const d = stats(param([100, 100], new I.Uniform()));
  assert.ok(d.min >= -1 && d.max < 1);
  assertThrows(() => new I.Uniform(1, 0), paddle.errors.InvalidArgumentError, /high should be greater/);
});

test('Normal and TruncatedNormal: mean, std, and truncation at two standard deviations', () => {
  const n = stats(param([200, 100], new I.Normal(1, 2)));
  assertClose(n.mean, 1, 0, 0.05);
  assertClose(n.std, 2, 0, 0.05);
  assert.ok(n.max > 1 + 2 * 2 * 1.5); // an untruncated normal reaches past 3 std in 20000 draws
  const t = stats(param([200, 100], new I.TruncatedNormal({ mean: 1, std: 2 })));
  assert.ok(t.min >= 1 - 4 && t.max <= 1 + 4, `${t.min} ${t.max}`);
  assert.ok(t.min < -2.9 && t.max > 4.9);
  assertClose(t.mean, 1, 0, 0.05);
  // std of N(0,1) cut at +-2: sqrt(1 - 4 phi(2) / (Phi(2) - Phi(-2))) = 0.879626
  assertClose(t.std, 2 * 0.879626, 0, 0.04);
  const f64 = param([50, 50], new I.TruncatedNormal(), 'float64');
  assert.equal(f64.dtype, 'float64');
  assert.ok(stats(f64).max <= 2);
});

test('XavierUniform / XavierNormal use fans from the shape (conv: receptive field), or given fans', () => {
  // Linear weight [in, out]: fan_in = 300, fan_out = 200 -> b = sqrt(6/500)
  const b = Math.sqrt(6 / 500);
  const u = stats(param([300, 200], new I.XavierUniform()));
  assert.ok(u.max < b && u.min >= -b && u.max > 0.99 * b, `${u.min} ${u.max} ${b}`);
  assertClose(u.std, b / Math.sqrt(3), 0, 0.002);
  // conv weight [out=16, in=8, 3, 3]: fan_in = 8*9 = 72, fan_out = 16*9 = 144
  const bc = Math.sqrt(6 / (72 + 144));
  const c = stats(param([16, 8, 3, 3], new I.XavierUniform()));
  assert.ok(c.max < bc && c.min >= -bc && c.max > 0.95 * bc);
  const xn = stats(param([300, 200], new I.XavierNormal()));
  assertClose(xn.std, Math.sqrt(2 / 500), 0, 0.002);
  assertClose(xn.mean, 0, 0, 0.002);
  // explicit fans win
  const g = stats(param([100, 100], new I.XavierUniform({ fan_in: 1, fan_out: 2 })));
  assert.ok(g.max < Math.sqrt(2) && g.max > 1.3);
  // 1-D shapes use fan_in = fan_out = n
  const v = stats(param([10000], new I.XavierUniform()));
  assert.ok(v.max < Math.sqrt(6 / 20000) && v.max > 0.99 * Math.sqrt(6 / 20000));
});

test('KaimingNormal / KaimingUniform use fan_in only', () => {
  // conv [32, 4, 5, 5]: fan_in = 100
  const kn = stats(param([32, 4, 5, 5], new I.KaimingNormal()));
  assertClose(kn.std, Math.sqrt(2 / 100), 0, 0.005);
  const b = Math.sqrt(6 / 100);
  const ku = stats(param([32, 4, 5, 5], new I.KaimingUniform()));
  assert.ok(ku.max < b && ku.min >= -b && ku.max > 0.98 * b);
  const kf = stats(param([50, 50], new I.KaimingUniform(6)));
  assert.ok(kf.max < 1 && kf.max > 0.98);
});

test('Bilinear gives the bilinear upsampling kernel (values by hand)', () => {
  // K = 4: f = 2, c = 0.75, per axis 1 - |x/2 - 0.75| = [0.25, 0.75, 0.75, 0.25]
  const r4 = [0.25, 0.75, 0.75, 0.25];
  const k4 = r4.map((y) => r4.map((x) => x * y));
  const w = param([2, 1, 4, 4], new I.Bilinear());
  assert.deepEqual(w.tolist(), [[k4], [k4]]);
  // K = 3: f = 2, c = 0.75 -> [0.25, 0.75, 0.75]
  const r3 = [0.25, 0.75, 0.75];
  assert.deepEqual(param([1, 1, 3, 3], new I.Bilinear(), 'float64').tolist(), [[r3.map((y) => r3.map((x) => x * y))]]);
  assertThrows(() => param([2, 4, 4], new I.Bilinear()), paddle.errors.InvalidArgumentError, /length of shape must be 4/);
  assertThrows(() => param([1, 1, 3, 4], new I.Bilinear()), paddle.errors.InvalidArgumentError, /shape\[2\] must be equal to shape\[3\]/);
});

test('paddle.seed makes initialization repeat; Linear defaults to Xavier uniform weights and zero bias', () => {
  paddle.seed(2021);
  const a = new nn.Linear(30, 20);
  paddle.seed(2021);
  const b = new nn.Linear(30, 20);
  assert.deepEqual(a.weight.tolist(), b.weight.tolist());
  const s = stats(a.weight);
  const bound = Math.sqrt(6 / 50);
  assert.ok(s.max < bound && s.min >= -bound && s.max > 0.9 * bound);
  assert.deepEqual(a.bias!.tolist(), new Array(20).fill(0));
  const c = new nn.Linear(30, 20);
  assert.notDeepEqual(c.weight.tolist(), a.weight.tolist());
});

test('set_global_initializer replaces the defaults; a ParamAttr initializer still wins', () => {
  I.set_global_initializer(new I.Constant(0.5), new I.Constant(-1));
  try {
    const fc = new nn.Linear(2, 3);
    assert.deepEqual(fc.weight.tolist(), [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]);
    assert.deepEqual(fc.bias!.tolist(), [-1, -1, -1]);
    const fc2 = new nn.Linear(2, 1, new paddle.ParamAttr({ initializer: new I.Constant(2) }));
    assert.deepEqual(fc2.weight.tolist(), [[2], [2]]);
    assert.deepEqual(fc2.bias!.tolist(), [-1]);
  } finally {
    I.set_global_initializer(null);
  }
  assert.deepEqual(new nn.Linear(2, 3).bias!.tolist(), [0, 0, 0]);
  assertThrows(() => I.set_global_initializer(3 as never), paddle.errors.InvalidArgumentError, /weight_init/);
});

test('with a static block, an initializer prepends its operator writing the variable', () => {
  const ops: { where: string; type: string; inputs?: unknown; outputs?: Record<string, unknown>; attrs?: Record<string, unknown> }[] = [];
  const block = {
    program: { random_seed: 7 },
    create_var: (o: Record<string, unknown>) => {
      const t = paddle.zeros(o.shape as number[], o.dtype as string);
      t.name = o.name as string;
      return t;
    },
    append_op: (s: { type: string }) => void ops.push({ where: 'append', ...s }),
    _prepend_op: (s: { type: string }) => void ops.push({ where: 'prepend', ...s }),
  };
  const v = paddle.zeros([4, 6], 'float32');
  v.name = 'fc.w_0';
  new I.XavierUniform()(v, block);
  assert.equal(ops.length, 1);
  assert.equal(ops[0].where, 'prepend');
  assert.equal(ops[0].type, 'uniform_random');
  assert.equal((ops[0].outputs!.Out as unknown[])[0], v);
  const limit = Math.sqrt(6 / 10);
  assert.deepEqual({ ...ops[0].attrs }, { shape: [4, 6], min: -limit, max: limit, seed: 7, dtype: 5 });
  assert.deepEqual(v.tolist(), [[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]); // not run
  ops.length = 0;
  new I.Constant(1.5)(v, block);
  assert.deepEqual([ops[0].type, ops[0].attrs!.value, ops[0].attrs!.shape], ['fill_constant', 1.5, [4, 6]]);
  // Bilinear on float64: assign_value into a float32 temporary, then a cast
  ops.length = 0;
  const w = paddle.zeros([1, 1, 2, 2], 'float64');
  new I.Bilinear()(w, block);
  assert.deepEqual(ops.map((o) => [o.where, o.type]), [['append', 'assign_value'], ['append', 'cast']]);
  assert.deepEqual(ops[0].attrs!.fp32_values, [1, 0, 0, 0]); // K = 2: f = 1, c = 0
  assert.deepEqual(ops[1].attrs, { in_dtype: 5, out_dtype: 6 });
});

test('initializer errors: wrong dtype, non-tensor, bad arguments', () => {
  assertThrows(() => param([2], new I.Uniform(), 'int32'), paddle.errors.InvalidArgumentError, /float16, float32 or float64/);
  assertThrows(() => param([2], new I.XavierNormal(), 'int64'), paddle.errors.InvalidArgumentError, /float16, float32 or float64/);
  assertThrows(() => new I.Normal()(3 as never), paddle.errors.InvalidArgumentError, /called on a parameter/);
  assertThrows(() => new I.Normal({ mu: 1 } as never), paddle.errors.InvalidArgumentError, /unexpected keyword argument 'mu'/);
  assertThrows(() => new I.Constant('a' as never), paddle.errors.InvalidArgumentError, /'value'/);
  assertThrows(() => new I.KaimingNormal('x' as never), paddle.errors.InvalidArgumentError, /'fan_in'/);
});

test('truncated_gaussian_random: a fixed seed attribute repeats; shape and dtype are checked', async () => {
  const { dispatch } = await import('../../src/core/dispatch.js');
  const run = (attrs: Record<string, unknown>) => dispatch('truncated_gaussian_random', {}, attrs).Out[0];
  const a = run({ shape: [3, 4], mean: 0, std: 1, seed: 11, dtype: 5 });
  const b = run({ shape: [3, 4], mean: 0, std: 1, seed: 11, dtype: 5 });
  assert.deepEqual(a.shape, [3, 4]);
  assert.equal(a.dtype, 'float32');
  assert.deepEqual(a.tolist(), b.tolist());
  assert.equal(run({ shape: [2], dtype: 6 }).dtype, 'float64');
  // seed 0 draws from paddle.seed's generator
  paddle.seed(5);
  const c = run({ shape: [6] });
  paddle.seed(5);
  assert.deepEqual(run({ shape: [6] }).tolist(), c.tolist());
  assertThrows(() => run({ shape: [] }), paddle.errors.InvalidArgumentError, /shape of TruncatedGaussianRandomOp must be set/);
  assertThrows(() => run({ shape: [2], dtype: 3 }), paddle.errors.InvalidArgumentError, /dtype must be float32 or float64/);
});
