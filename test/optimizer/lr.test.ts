// paddle.optimizer.lr: every scheduler's rate over epochs against values from Paddle's
// formulas (python/paddle/optimizer/lr.py at 2.0, evaluated in Python), state_dict, verbose
// printing, and use as an optimizer's learning rate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const lr = paddle.optimizer.lr;

/** The rate at epochs 0..n-1: read, then step. */
function rates(s: paddle.optimizer.lr.LRScheduler, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(s());
    s.step();
  }
  return out;
}
const close = (a: number[], e: number[], msg: string) => assertClose(a, e, 1e-12, 1e-15, msg);

test('constructor steps once: last_epoch 0, last_lr the epoch-0 rate; scheduler() is last_lr', () => {
  const s = new lr.StepDecay({ learning_rate: 0.5, step_size: 2 });
  assert.equal(s.last_epoch, 0);
  assert.equal(s.last_lr, 0.5);
  assert.equal(s(), 0.5);
  assert.equal(s.base_lr, 0.5);
  s.step();
  s.step();
  assert.equal(s.last_epoch, 2);
  assert.equal(s(), 0.05);
  s.step(5); // jump
  assert.equal(s.last_epoch, 5);
  close([s()], [0.005], 'jump');
  assert.ok(s instanceof lr.LRScheduler);
  // resuming: last_epoch=3 starts at epoch 4
  const r = new lr.StepDecay(0.5, 2, 0.1, 3);
  assert.equal(r.last_epoch, 4);
  close([r()], [0.005], 'resume');
});

test('NoamDecay, PiecewiseDecay, NaturalExpDecay, InverseTimeDecay, ExponentialDecay', () => {
  close(rates(new lr.NoamDecay({ d_model: 0.01, warmup_steps: 100 }), 5), [0.0, 0.01, 0.02, 0.03, 0.04], 'noam');
  const noam = new lr.NoamDecay(0.01, 100);
  noam.step(150);
  close([noam()], [0.816496580927726], 'noam 150');
  close(rates(new lr.PiecewiseDecay({ boundaries: [3, 6, 9], values: [0.1, 0.2, 0.3, 0.4] }), 11), [0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.4, 0.4], 'piecewise');
  close(rates(new lr.NaturalExpDecay({ learning_rate: 0.5, gamma: 0.1 }), 5), [0.5, 0.45241870901797976, 0.4093653765389909, 0.37040911034085894, 0.33516002301781966], 'natural');
  close(rates(new lr.InverseTimeDecay(0.5, 0.1), 5), [0.5, 0.45454545454545453, 0.4166666666666667, 0.3846153846153846, 0.35714285714285715], 'inverse');
  close(rates(new lr.ExponentialDecay(0.5, 0.9), 5), [0.5, 0.45, 0.405, 0.36450000000000005, 0.32805], 'exp');
});

test('PolynomialDecay: held at end_lr, or cycling with growing decay_steps', () => {
  close(rates(new lr.PolynomialDecay({ learning_rate: 0.5, decay_steps: 5 }), 8), [0.5, 0.40002, 0.30004, 0.20006, 0.10008, 0.0001, 0.0001, 0.0001], 'poly');
  close(rates(new lr.PolynomialDecay({ learning_rate: 0.5, decay_steps: 5, cycle: true }), 13), [
    0.5, 0.40002, 0.30004, 0.20006, 0.10008, 0.0001, 0.20006, 0.15007, 0.10008, 0.05009, 0.0001, 0.13340666666666667, 0.10008,
  ], 'poly cycle');
  close(rates(new lr.PolynomialDecay(0.5, 4, 0.0, 2.0), 6), [0.5, 0.28125, 0.125, 0.03125, 0, 0], 'poly power 2');
});

test('LinearWarmup: a float after warmup, or a scheduler stepped from then on', () => {
  close(rates(new lr.LinearWarmup({ learning_rate: 0.5, warmup_steps: 3, start_lr: 0, end_lr: 0.5 }), 6), [0, 1 / 6, 1 / 3, 0.5, 0.5, 0.5], 'float');
  const inner = new lr.StepDecay({ learning_rate: 0.5, step_size: 2, gamma: 0.5 });
  const w = new lr.LinearWarmup({ learning_rate: inner, warmup_steps: 3, start_lr: 0.1, end_lr: 0.5 });
  close(rates(w, 9), [0.1, 0.23333333333333334, 0.3666666666666667, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125], 'scheduler');
  const sd = w.state_dict();
  assert.deepEqual(Object.keys(sd), ['last_epoch', 'last_lr', 'LinearWarmup_LR']);
  assert.deepEqual(sd.LinearWarmup_LR, { last_epoch: 7, last_lr: 0.0625 }); // stepped at epochs 3..9
  assertThrows(() => new lr.LinearWarmup(0.5, 3, 0.5, 0.1), paddle.errors.InvalidArgumentError, /end_lr .* must be greater than start_lr/);
  assertThrows(() => new lr.LinearWarmup('x' as never, 3, 0, 0.1), paddle.errors.InvalidArgumentError, /int, float or LRScheduler/);
});

test('MultiStepDecay, StepDecay, LambdaDecay', () => {
  close(rates(new lr.MultiStepDecay({ learning_rate: 0.5, milestones: [2, 4, 6], gamma: 0.8 }), 8), [0.5, 0.5, 0.4, 0.4, 0.32, 0.32, 0.256, 0.256], 'multistep');
  close(rates(new lr.StepDecay({ learning_rate: 0.5, step_size: 2, gamma: 0.1 }), 6), [0.5, 0.5, 0.05, 0.05, 0.005, 0.005], 'step');
  close(rates(new lr.LambdaDecay({ learning_rate: 0.5, lr_lambda: (e: number) => 0.95 ** e }), 4), [0.5, 0.475, 0.45125, 0.4286875], 'lambda');
  const E = paddle.errors.InvalidArgumentError;
  assertThrows(() => new lr.MultiStepDecay(0.5, [4, 2]), E, /milestones must be incremented/);
  assertThrows(() => new lr.MultiStepDecay(0.5, [2, 4], 1.5), E, /gamma should be < 1.0/);
  assertThrows(() => new lr.StepDecay(0.5, 2, 1.0), E, /gamma should be < 1.0/);
  assertThrows(() => new lr.StepDecay(0.5, 2.5), E, /step_size/);
  assertThrows(() => new lr.LambdaDecay(0.5, 3 as never), E, /lr_lambda/);
});

test("CosineAnnealingDecay: Paddle's recursive form; step(epoch) uses the closed form", () => {
  close(rates(new lr.CosineAnnealingDecay({ learning_rate: 0.5, T_max: 3, eta_min: 0.1 }), 11), [
    0.5, 0.4, 0.20000000000000007, 0.1, 0.19999999999999998, 0.40000000000000024, 0.5000000000000003, 0.40000000000000036, 0.20000000000000026, 0.1, 0.19999999999999998,
  ], 'recursive');
  const s = new lr.CosineAnnealingDecay(0.5, 3, 0.1);
  s.step(4);
  close([s()], [0.19999999999999993], 'closed form');
  assertThrows(() => new lr.CosineAnnealingDecay(0.5, 2.5), paddle.errors.InvalidArgumentError, /T_max/);
});

test('ReduceOnPlateau: patience, cooldown, min_lr, mode max with an absolute threshold', () => {
  const M = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.94, 0.96, 0.97, 0.98, 0.99, 1.0];
  const run = (s: paddle.optimizer.lr.ReduceOnPlateau, ms: number[]) => ms.map((m) => (s.step(m), s()));
  const a = new lr.ReduceOnPlateau({ learning_rate: 1.0, factor: 0.5, patience: 2 });
  assert.equal(a.last_epoch, 0); // the constructor does not step
  close(run(a, M), [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125], 'min');
  assert.deepEqual(a.state_dict(), { cooldown_counter: 0, best: 0.9, num_bad_epochs: 1, last_epoch: 12, last_lr: 0.125 });
  const b = new lr.ReduceOnPlateau({ learning_rate: 1.0, factor: 0.5, patience: 2, cooldown: 1, min_lr: 0.3 });
  close(run(b, M), [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3], 'cooldown');
  const c = new lr.ReduceOnPlateau({ learning_rate: 1.0, mode: 'max', factor: 0.5, patience: 1, threshold: 0.1, threshold_mode: 'abs' });
  close(run(c, [1, 2, 2.05, 2.09, 2.1, 2.5, 2.52, 2.53, 2.54]), [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25], 'max abs');
  // a shape-[1] Tensor metric
  const d = new lr.ReduceOnPlateau({ learning_rate: 1.0, patience: 0 });
  d.step(paddle.to_tensor([1.0]));
  d.step(paddle.to_tensor([2.0]));
  close([d()], [0.1], 'tensor');
  const E = paddle.errors.InvalidArgumentError;
  assertThrows(() => d.step(paddle.to_tensor([1.0, 2.0])), E, /metrics.shape should be \[1\]/);
  assertThrows(() => d.step('x'), E, /metrics must be/);
  assertThrows(() => new lr.ReduceOnPlateau(1.0, 'up'), E, /mode: up is unknown/);
  assertThrows(() => new lr.ReduceOnPlateau({ learning_rate: 1.0, factor: 1.0 }), E, /gamma should be < 1.0/);
  assertThrows(() => new lr.ReduceOnPlateau({ learning_rate: 1.0, threshold_mode: 'x' }), E, /threshold mode: x is unknown/);
});

test('state_dict / set_state_dict round trip; missing keys are errors', () => {
  const s = new lr.ExponentialDecay(0.5, 0.9);
  s.step();
  s.step();
  const sd = s.state_dict();
  assert.deepEqual(sd, { last_epoch: 2, last_lr: 0.405 });
  const t = new lr.ExponentialDecay(0.5, 0.9);
  t.set_state_dict(sd);
  assert.equal(t.last_epoch, 2);
  assert.equal(t(), 0.405);
  t.step();
  close([t()], [0.36450000000000005], 'continues');
  assertThrows(() => t.set_state_dict({ last_epoch: 1 }), paddle.errors.NotFoundError, /Can't find \[ last_lr \]/);
});

test('verbose prints each step as Paddle does', () => {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (m: unknown) => void lines.push(String(m));
  try {
    const s = new lr.StepDecay({ learning_rate: 0.5, step_size: 1, gamma: 0.5, verbose: true });
    s.step();
    new lr.ExponentialDecay({ learning_rate: 1.0, gamma: 1e-5, verbose: true }).step();
  } finally {
    console.log = orig;
  }
  assert.deepEqual(lines, [
    'Epoch 0: StepDecay set learning rate to 0.5.',
    'Epoch 1: StepDecay set learning rate to 0.25.',
    'Epoch 0: ExponentialDecay set learning rate to 1.0.',
    'Epoch 1: ExponentialDecay set learning rate to 1e-05.',
  ]);
});

test('a user subclass only implements get_lr', () => {
  class Halving extends lr.LRScheduler {
    factor = 0.5;
    override get_lr(): number {
      return this.base_lr * this.factor ** this.last_epoch;
    }
  }
  const s = new Halving(0.8);
  assert.equal(s.last_epoch, 0);
  close(rates(s, 3), [0.8, 0.4, 0.2], 'subclass');
  assertThrows(() => new lr.LRScheduler(0.1).last_lr, paddle.errors.InvalidArgumentError, /must implement get_lr/);
});

test('an optimizer reads the scheduler each step; get_lr follows it', () => {
  const w = paddle.create_parameter([1], 'float64');
  w.set_value(paddle.to_tensor([1.0], { dtype: 'float64' }));
  const sched = new lr.StepDecay({ learning_rate: 0.5, step_size: 1, gamma: 0.1 });
  const sgd = new paddle.optimizer.SGD({ learning_rate: sched, parameters: [w] });
  const seen: number[] = [];
  for (let i = 0; i < 3; i++) {
    seen.push(sgd.get_lr());
    w.grad = paddle.to_tensor([1.0], { dtype: 'float64' });
    sgd.step();
    sched.step();
  }
  close(seen, [0.5, 0.05, 0.005], 'get_lr');
  close([w.item() as number], [1 - 0.555], 'param');
});
