// fluid.layers' learning-rate decays: the LR variable a static program computes at each run
// from the global step counter, and the dygraph decay objects (accepted by the optimizers),
// against the formulas written out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;
const L = fluid.layers;

/** Runs `build` in a fresh static program, then the program `runs` times; the fetched values per run. */
function staticValues(build: () => paddle.Tensor[], runs: number): number[][] {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    return paddle.static.scope_guard(new paddle.static.Scope(), () =>
      paddle.static.program_guard(main, startup, () => {
        const vars = build();
        const exe = new paddle.static.Executor();
        exe.run(startup);
        const out: number[][] = [];
        for (let i = 0; i < runs; i++) out.push(exe.run(main, { fetch_list: vars }).map((t) => Number(t.item())));
        return out;
      }),
    );
  } finally {
    paddle.disable_static();
  }
}

const steps = [0, 1, 2, 3, 4, 5, 6, 7];
// the formulas of Paddle's docs, by hand (global step s starting at 0)
const expDecay = (s: number, lr: number, ds: number, r: number, stair: boolean) => lr * r ** (stair ? Math.floor(s / ds) : s / ds);
const natDecay = (s: number, lr: number, ds: number, r: number, stair: boolean) => lr * Math.exp(-r * (stair ? Math.floor(s / ds) : s / ds));
const invDecay = (s: number, lr: number, ds: number, r: number, stair: boolean) => lr / (1 + r * (stair ? Math.floor(s / ds) : s / ds));
const polyDecay = (s: number, lr: number, ds: number, end: number, pw: number, cycle: boolean) => {
  if (cycle) {
    const d = ds * Math.max(1, Math.ceil(s / ds));
    return (lr - end) * (1 - s / d) ** pw + end;
  }
  return (lr - end) * (1 - Math.min(s, ds) / ds) ** pw + end;
};
const piecewise = (s: number, b: number[], v: number[]) => {
  for (let i = 0; i < b.length; i++) if (s < b[i]) return v[i];
  return v[v.length - 1];
};
const cosDecay = (s: number, lr: number, spe: number, epochs: number) => lr * 0.5 * (Math.cos((Math.floor(s / spe) * Math.PI) / epochs) + 1);
const noam = (s: number, d: number, w: number, lr: number) => lr * d ** -0.5 * Math.min(s ** -0.5, s * w ** -1.5);
const warmup = (s: number, base: number, w: number, start: number, end: number) => (s < w ? start + ((end - start) * s) / w : base);

test('static decays: the LR variable follows the global step, one step per run', () => {
  const got = staticValues(
    () => [
      L.exponential_decay(0.1, 3, 0.5) as paddle.Tensor,
      L.exponential_decay(0.1, 3, 0.5, true) as paddle.Tensor,
      L.natural_exp_decay(0.1, 3, 0.5) as paddle.Tensor,
      L.natural_exp_decay(0.1, 3, 0.5, true) as paddle.Tensor,
      L.inverse_time_decay(0.1, 3, 0.5) as paddle.Tensor,
      L.inverse_time_decay(0.1, 3, 0.5, true) as paddle.Tensor,
      L.polynomial_decay(0.1, 4, 0.01, 2.0) as paddle.Tensor,
      L.polynomial_decay(0.1, 3, { end_learning_rate: 0.0, cycle: true }) as paddle.Tensor,
      L.piecewise_decay([2, 5], [0.1, 0.05, 0.01]) as paddle.Tensor,
      L.cosine_decay(0.1, 2, 4) as paddle.Tensor,
      L.linear_lr_warmup(0.2, 4, 0.0, 0.1) as paddle.Tensor,
    ],
    steps.length,
  );
  steps.forEach((s, i) => {
    assertClose(got[i], [
      expDecay(s, 0.1, 3, 0.5, false), expDecay(s, 0.1, 3, 0.5, true),
      natDecay(s, 0.1, 3, 0.5, false), natDecay(s, 0.1, 3, 0.5, true),
      invDecay(s, 0.1, 3, 0.5, false), invDecay(s, 0.1, 3, 0.5, true),
      polyDecay(s, 0.1, 4, 0.01, 2, false), polyDecay(s, 0.1, 3, 0, 1, true),
      piecewise(s, [2, 5], [0.1, 0.05, 0.01]), cosDecay(s, 0.1, 2, 4), warmup(s, 0.2, 4, 0, 0.1),
    ], 1e-5, 1e-7, `step ${s}`);
  });
});

test('static noam_decay counts from 1; linear_lr_warmup wraps a decayed LR variable', () => {
  const got = staticValues(() => [L.noam_decay(16, 3) as paddle.Tensor], 6);
  got.forEach((v, i) => assertClose(v, [noam(i + 1, 16, 3, 1.0)], 1e-5, 1e-7, `step ${i + 1}`));
  const w = staticValues(() => [L.linear_lr_warmup(L.piecewise_decay([4], [0.5, 0.25]) as paddle.Tensor, 2, 0.1, 0.3) as paddle.Tensor], 6);
  w.forEach((v, s) => assertClose(v, [warmup(s, piecewise(s, [4], [0.5, 0.25]), 2, 0.1, 0.3)], 1e-6, 1e-7, `step ${s}`));
});

test('static decays append Paddle\'s operators under the LRSched role, with one step counter', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const lr = L.exponential_decay(0.1, 10, 0.9, true) as paddle.static.Variable;
      L.natural_exp_decay(0.1, 10, 0.9);
      const ops = main.global_block().ops;
      assert.deepEqual(ops.slice(0, 7).map((o) => o.type), ['increment', 'cast', 'scale', 'floor', 'fill_constant', 'elementwise_pow', 'scale']);
      assert.equal(ops.filter((o) => o.type === 'increment').length, 1); // one counter for both
      assert.ok(ops.every((o) => o.attr('op_role') === 16), 'LRSched role');
      const counter = main.global_block().var('@LR_DECAY_COUNTER@');
      assert.equal(counter.persistable, true);
      assert.equal(counter.dtype, 'int64');
      const init = startup.global_block().ops.find((o) => o.output('Out')[0] === '@LR_DECAY_COUNTER@')!;
      assert.equal(init.type, 'fill_constant');
      assert.equal(init.attr('value'), -1);
      assert.deepEqual(lr.shape, [1]);
      const c = L.autoincreased_step_counter({ begin: 5, step: 2 });
      assert.equal(c.name, '@STEP_COUNTER@');
      assert.equal(L.autoincreased_step_counter(), c);
      const exe = new paddle.static.Executor();
      paddle.static.scope_guard(new paddle.static.Scope(), () => {
        exe.run(startup);
        const vals = [0, 1, 2].map(() => Number(exe.run(main, { fetch_list: [c] })[0].item()));
        assert.deepEqual(vals, [6, 8, 10]); // begin - 1 + step at the first run, as Paddle
      });
    });
  } finally {
    paddle.disable_static();
  }
  assertThrows(() => L.autoincreased_step_counter(), paddle.errors.PreconditionNotMetError, /static program/);
  assertThrows(() => L.piecewise_decay([1, 2], [0.1, 0.2]), paddle.errors.InvalidArgumentError, /len\(values\) - len\(boundaries\) should be 1/);
});

test('dygraph decays are fluid.dygraph decay objects: the rate at step_num, step() advances', () => {
  const cases: [paddle.optimizer.lr.LRScheduler, (s: number) => number, number][] = [
    [L.exponential_decay(0.1, 3, 0.5) as paddle.optimizer.lr.LRScheduler, (s) => expDecay(s, 0.1, 3, 0.5, false), 0],
    [L.natural_exp_decay(0.1, 3, 0.5, true) as paddle.optimizer.lr.LRScheduler, (s) => natDecay(s, 0.1, 3, 0.5, true), 0],
    [L.inverse_time_decay(0.1, 3, 0.5) as paddle.optimizer.lr.LRScheduler, (s) => invDecay(s, 0.1, 3, 0.5, false), 0],
    [L.polynomial_decay(0.1, 4, 0.01, 2.0) as paddle.optimizer.lr.LRScheduler, (s) => polyDecay(s, 0.1, 4, 0.01, 2, false), 0],
    [L.polynomial_decay(0.1, 3, 0, 1, true) as paddle.optimizer.lr.LRScheduler, (s) => polyDecay(s, 0.1, 3, 0, 1, true), 0],
    [L.piecewise_decay([2, 5], [0.1, 0.05, 0.01]) as paddle.optimizer.lr.LRScheduler, (s) => piecewise(s, [2, 5], [0.1, 0.05, 0.01]), 0],
    [L.cosine_decay(0.1, 2, 4) as paddle.optimizer.lr.LRScheduler, (s) => cosDecay(s, 0.1, 2, 4), 0],
    [L.noam_decay(16, 3) as paddle.optimizer.lr.LRScheduler, (s) => noam(s, 16, 3, 1.0), 1],
    // dygraph LinearLrWarmup starts at step 1 (Paddle's begin=1)
    [L.linear_lr_warmup(0.2, 4, 0.0, 0.1) as paddle.optimizer.lr.LRScheduler, (s) => warmup(s, 0.2, 4, 0, 0.1), 1],
  ];
  for (const [d, f, begin] of cases) {
    assert.ok(d instanceof paddle.optimizer.lr.LRScheduler, d.constructor.name);
    for (let k = 0; k < 7; k++) {
      assertClose([d.last_lr], [f(begin + k)], 1e-5, 1e-7, `${d.constructor.name} step ${begin + k}`);
      assert.equal(d(), d.last_lr);
      d.step();
    }
  }
  const pw = L.piecewise_decay([2, 5], [0.1, 0.05, 0.01]);
  assert.ok(pw instanceof fluid.dygraph.PiecewiseDecay);
  // a warmup over a decay advances the wrapped decay with it
  const wd = new fluid.dygraph.LinearLrWarmup(new fluid.dygraph.PiecewiseDecay([4], [0.5, 0.25], 0), 2, 0.1, 0.3);
  const seen: number[] = [];
  for (let k = 0; k < 6; k++) {
    seen.push(wd.last_lr);
    wd.step();
  }
  assertClose(seen, [1, 2, 3, 4, 5, 6].map((s) => warmup(s, piecewise(s - 1, [4], [0.5, 0.25]), 2, 0.1, 0.3)), 1e-6);
  assertThrows(() => new fluid.dygraph.LinearLrWarmup(0.1, 2, 0.5, 0.3), paddle.errors.InvalidArgumentError, /end_lr 0.3 must be greater than start_lr 0.5/);
});

test('dygraph decays drive paddle.optimizer and checkpoint step_num', () => {
  const decay = L.exponential_decay(0.5, 1, 0.5) as paddle.optimizer.lr.LRScheduler;
  const w = paddle.create_parameter([1], 'float32');
  w.set_value(paddle.to_tensor([1.0], { dtype: 'float32' }));
  const opt = new paddle.optimizer.SGD({ learning_rate: decay, parameters: [w] });
  const rates: number[] = [];
  for (let k = 0; k < 3; k++) {
    w.multiply(paddle.to_tensor([2.0], { dtype: 'float32' })).sum().backward(); // dL/dw = 2
    rates.push(opt.get_lr());
    opt.step();
    opt.clear_grad();
    decay.step();
  }
  assertClose(rates, [0.5, 0.25, 0.125]);
  assertClose(w, [1 - 2 * (0.5 + 0.25 + 0.125)]);
  const sd = decay.state_dict();
  assert.deepEqual(sd, { step_num: 3 });
  const other = L.exponential_decay(0.5, 1, 0.5) as paddle.optimizer.lr.LRScheduler;
  other.set_state_dict(sd);
  assertClose([other.last_lr], [0.5 * 0.5 ** 3]);
  const sdOpt = opt.state_dict();
  assert.deepEqual(sdOpt.LR_Scheduler, { step_num: 3 });
});
