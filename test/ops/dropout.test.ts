// dropout: the operator's two implementations in training and inference (statistics and
// scaling), seeds (paddle.seed, fix_seed, the Seed input, program random_seed), the axis
// composite, dropout2d/3d, alpha_dropout (Paddle's documented values), gradients, static mode
// and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { run1, dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;

function values(t: paddle.Tensor): number[] {
  return Array.from(t.numpy() as Float32Array, Number);
}
function zeroFraction(t: paddle.Tensor): number {
  const v = values(t);
  return v.filter((x) => x === 0).length / v.length;
}

test('dropout upscale_in_train: kept values scaled by 1/(1-p), about p of them zero; identity in eval', () => {
  paddle.seed(2021);
  const x = paddle.full([200, 100], 3, 'float32');
  for (const p of [0.1, 0.3, 0.5, 0.8]) {
    const y = F.dropout(x, p);
    assert.equal(y.dtype, 'float32');
    assert.deepEqual(y.shape, [200, 100]);
    const kept = 3 / (1 - p);
    for (const v of values(y)) assert.ok(v === 0 || Math.abs(v - kept) < 1e-5, `value ${v} is neither 0 nor ${kept}`);
    // 20000 draws: the zero fraction's standard deviation is below 0.0036
    assert.ok(Math.abs(zeroFraction(y) - p) < 0.02, `zero fraction ${zeroFraction(y)} vs p=${p}`);
    // mean is preserved in expectation
    const mean = values(y).reduce((a, b) => a + b, 0) / 20000;
    assert.ok(Math.abs(mean - 3) < 0.15, `mean ${mean}`);
  }
  const ev = F.dropout(x, 0.5, { training: false });
  assert.deepEqual(values(ev), values(x));
});

test('dropout downscale_in_infer: training keeps values unscaled, inference multiplies by 1-p', () => {
  paddle.seed(7);
  const x = paddle.to_tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  const y = F.dropout(x, 0.5, { mode: 'downscale_in_infer' });
  values(y).forEach((v, i) => assert.ok(v === 0 || v === i + 1));
  // Paddle's docstring: [[0.5, 1, 1.5], [2, 2.5, 3]]
  assertClose(F.dropout(x, 0.5, { training: false, mode: 'downscale_in_infer' }), [[0.5, 1, 1.5], [2, 2.5, 3]]);
  const big = paddle.ones([100, 100]);
  assert.ok(Math.abs(zeroFraction(F.dropout(big, 0.25, { mode: 'downscale_in_infer' })) - 0.25) < 0.02);
});

test('dropout: p = 0 returns x itself, p = 1 zeroes everything', () => {
  const x = paddle.ones([3, 4]);
  assert.equal(F.dropout(x, 0), x);
  assert.deepEqual(values(F.dropout(x, 1)), new Array(12).fill(0));
  assert.deepEqual(values(F.dropout(x, 1, { mode: 'downscale_in_infer' })), new Array(12).fill(0));
  assert.deepEqual(values(F.dropout(x, 1, 1)), new Array(12).fill(0));
  // inference with p = 1: identity (upscale) or zeros (downscale)
  assert.deepEqual(values(F.dropout(x, 1, { training: false })), new Array(12).fill(1));
  assert.deepEqual(values(F.dropout(x, 1, { training: false, mode: 'downscale_in_infer' })), new Array(12).fill(0));
});

test('dropout draws from paddle.seed: the same seed repeats the mask, fix_seed and Seed fix it', () => {
  const x = paddle.ones([50]);
  paddle.seed(123);
  const a = values(F.dropout(x, 0.5));
  const b = values(F.dropout(x, 0.5));
  paddle.seed(123);
  assert.deepEqual(values(F.dropout(x, 0.5)), a);
  assert.notDeepEqual(a, b);
  // the operator with fix_seed: same mask whatever the global state
  const attrs = { dropout_prob: 0.5, fix_seed: true, seed: 99, dropout_implementation: 'upscale_in_train' };
  const m1 = dispatch('dropout', { X: [x] }, { ...attrs });
  const m2 = dispatch('dropout', { X: [x] }, { ...attrs });
  assert.deepEqual(values(m1.Out[0]), values(m2.Out[0]));
  assert.equal(m1.Mask[0].dtype, 'uint8');
  // Mask is 1 exactly where the output is kept
  assert.deepEqual(values(m1.Mask[0]), values(m1.Out[0]).map((v) => (v === 0 ? 0 : 1)));
  // the Seed input wins over the attributes
  const seed = paddle.to_tensor([99], { dtype: 'int32' });
  const s1 = run1('dropout', { X: [x], Seed: [seed] }, { dropout_prob: 0.5, dropout_implementation: 'upscale_in_train' });
  assert.deepEqual(values(s1), values(m1.Out[0]));
});

test('dropout with axis: one mask over the given axes, shared along the others', () => {
  paddle.seed(5);
  const x = paddle.ones([40, 30]);
  const y0 = F.dropout(x, 0.5, 0);
  const v0 = values(y0);
  for (let i = 0; i < 40; i++) {
    const row = v0.slice(i * 30, i * 30 + 30);
    assert.ok(row.every((v) => v === row[0]) && (row[0] === 0 || row[0] === 2), `row ${i}`);
  }
  const v1 = values(F.dropout(x, 0.5, [1]));
  for (let j = 0; j < 30; j++) for (let i = 1; i < 40; i++) assert.equal(v1[i * 30 + j], v1[j]);
  // axis [0, 1] is elementwise; inference with downscale multiplies by 1-p
  const v01 = values(F.dropout(paddle.ones([100, 100]), 0.3, [0, 1]));
  assert.ok(Math.abs(v01.filter((v) => v === 0).length / 10000 - 0.3) < 0.02);
  assertClose(F.dropout(x, 0.3, 0, false, 'downscale_in_infer'), new Array(1200).fill(0.7));
  assert.deepEqual(values(F.dropout(x, 0.3, 0, false)), new Array(1200).fill(1));
});

test('dropout2d / dropout3d zero whole channels (NCHW and channel-last)', () => {
  paddle.seed(11);
  const x = paddle.ones([4, 6, 3, 5]);
  const v = values(F.dropout2d(x, 0.5));
  for (let nc = 0; nc < 24; nc++) {
    const ch = v.slice(nc * 15, nc * 15 + 15);
    assert.ok(ch.every((e) => e === ch[0]) && (ch[0] === 0 || ch[0] === 2));
  }
  const vh = values(F.dropout2d(paddle.ones([2, 3, 5, 7]), 0.5, { data_format: 'NHWC' }));
  for (let n = 0; n < 2; n++) for (let c = 0; c < 7; c++) {
    const first = vh[n * 105 + c];
    for (let k = 0; k < 15; k++) assert.equal(vh[n * 105 + k * 7 + c], first);
  }
  assert.deepEqual(values(F.dropout2d(x, 0.5, false)), values(x));
  const v3 = values(F.dropout3d(paddle.ones([2, 3, 2, 2, 2]), 0.5));
  for (let nc = 0; nc < 6; nc++) {
    const ch = v3.slice(nc * 8, nc * 8 + 8);
    assert.ok(ch.every((e) => e === ch[0]));
  }
  assertThrows(() => F.dropout2d(paddle.ones([2, 3, 4])), paddle.errors.InvalidArgumentError, /dropout2d/, /dimensions of x should be 4/);
  assertThrows(() => F.dropout3d(paddle.ones([2, 3, 4, 5])), paddle.errors.InvalidArgumentError, /should be 5/);
  assertThrows(() => F.dropout2d(x, 0.5, true, 'NCDHW' as never), paddle.errors.InvalidArgumentError, /data_format/);
});

test('alpha_dropout: documented values, SELU statistics, identity in eval', () => {
  // Paddle's docstring: x = [[-1, 1], [-1, 1]], p = 0.5 gives values from
  // {a*x + b (kept), a*alpha_p + b (dropped)} = {-0.10721093, 1.6655989, -0.7791938}
  paddle.seed(3);
  const x = paddle.to_tensor([[-1, 1], [-1, 1]], { dtype: 'float32' });
  const y = F.alpha_dropout(x, 0.5);
  for (const v of values(y)) assert.ok([-0.10721093, 1.6655989, -0.7791938].some((e) => Math.abs(v - e) < 1e-5), `unexpected ${v}`);
  assert.deepEqual(values(F.alpha_dropout(x, 0.5, false)), values(x));
  assert.deepEqual(values(F.alpha_dropout(x, 1)), [0, 0, 0, 0]);
  // keeps zero mean / unit variance of standard normal input
  const z = paddle.randn([100000], 'float64');
  const o = values(F.alpha_dropout(z, 0.2));
  const mean = o.reduce((a, b) => a + b, 0) / o.length;
  const variance = o.reduce((a, b) => a + (b - mean) ** 2, 0) / o.length;
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
  assertThrows(() => F.alpha_dropout(x, 1.5), paddle.errors.InvalidArgumentError, /between 0 and 1/);
});

test('dropout gradients: Out@GRAD * Mask / (1 - p), and through the axis composite', () => {
  paddle.seed(17);
  const x = paddle.to_tensor([[1, 2, 3, 4], [5, 6, 7, 8]], { dtype: 'float64', stop_gradient: false });
  const y = F.dropout(x, 0.4);
  y.sum().backward();
  const kept = values(y).map((v) => (v === 0 ? 0 : 1 / 0.6));
  assertClose(x.grad!, kept, 1e-12, 1e-12);
  const x2 = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float64', stop_gradient: false });
  const y2 = F.dropout(x2, 0.4, { mode: 'downscale_in_infer' });
  y2.sum().backward();
  assertClose(x2.grad!, values(y2).map((v) => (v === 0 ? 0 : 1)));
  // inference gradients: identity / (1 - p)
  const x3 = paddle.to_tensor([1, 2], { dtype: 'float64', stop_gradient: false });
  F.dropout(x3, 0.4, { training: false, mode: 'downscale_in_infer' }).sum().backward();
  assertClose(x3.grad!, [0.6, 0.6]);
  // finite differences with a fixed mask (paddle.seed inside f)
  const seeded = (f: () => paddle.Tensor) => { paddle.seed(42); return f(); };
  checkGrad((a) => seeded(() => F.dropout(a, 0.3)), [randTensor([3, 5])]);
  checkGrad((a) => seeded(() => F.dropout(a, 0.3, { mode: 'downscale_in_infer' })), [randTensor([3, 5])]);
  checkGrad((a) => seeded(() => F.dropout(a, 0.5, 1)), [randTensor([3, 5])]);
  checkGrad((a) => seeded(() => F.dropout2d(a, 0.5)), [randTensor([2, 3, 2, 2])]);
  checkGrad((a) => seeded(() => F.alpha_dropout(a, 0.3)), [randTensor([4, 3])]);
});

test('dropout: static mode appends Paddle\'s operators; clone(for_test) switches to inference', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [null, 4], 'float32');
      F.dropout(x, 0.3);
      F.dropout(x, 0.3, { mode: 'downscale_in_infer' });
      const ops = main.global_block().ops;
      assert.deepEqual(ops.map((o) => o.type), ['dropout', 'dropout']);
      assert.equal(ops[0].attr('dropout_implementation'), 'upscale_in_train');
      assert.equal(ops[1].attr('dropout_implementation'), 'downgrade_in_infer');
      assert.equal(ops[0].attr('is_test'), false);
      assert.equal(ops[0].attr('fix_seed'), false);
      assertClose([ops[0].attr('dropout_prob') as number], [0.3]);
      const test = main.clone(true);
      assert.equal(test.global_block().ops[0].attr('is_test'), true);
      // a program random_seed fixes the seed, as 2.0's F.dropout does
      main.random_seed = 8;
      F.dropout(x, 0.5);
      const last = main.global_block().ops[main.global_block().ops.length - 1];
      assert.equal(last.attr('fix_seed'), true);
      assert.equal(last.attr('seed'), 8);
    });
  } finally {
    paddle.disable_static();
  }
});

test('dropout: argument and operator errors', () => {
  const x = paddle.ones([2, 3]);
  assertThrows(() => F.dropout(x, 1.5), paddle.errors.InvalidArgumentError, /paddle\.nn\.functional\.dropout/, /between 0 and 1/);
  assertThrows(() => F.dropout(x, -0.1), paddle.errors.InvalidArgumentError, /between 0 and 1/);
  assertThrows(() => F.dropout(x, 0.5, { mode: 'bad' as never }), paddle.errors.InvalidArgumentError, /'mode'/, /upscale_in_train/);
  assertThrows(() => F.dropout(x, 0.5, [2]), paddle.errors.InvalidArgumentError, /axis value should be greater than or equal to 0/);
  assertThrows(() => F.dropout(x, 0.5, -1), paddle.errors.InvalidArgumentError, /axis value/);
  assertThrows(() => F.dropout(x, 0.5, [0, 1, 0]), paddle.errors.InvalidArgumentError, /length of axis/);
  assertThrows(() => F.dropout(x, 0.5, 'a' as never), paddle.errors.InvalidArgumentError, /'axis'/);
  assertThrows(() => F.dropout(paddle.to_tensor([1, 2]), 0.5), paddle.errors.InvalidArgumentError, /float16, float32 or float64/, /int64/);
  assertThrows(() => run1('dropout', { X: [x] }, { dropout_prob: 2 }), paddle.errors.InvalidArgumentError, /dropout_prob/);
  assertThrows(() => run1('dropout', { X: [x] }, { dropout_implementation: 'x' }), paddle.errors.InvalidArgumentError, /dropout_implementation/);
});
