// Optimizer state dicts: Paddle's accumulator names (`<param>_<acc>_<n>`) in Paddle's order,
// the LR_Scheduler entry, round trips through set_state_dict (also before the first step) and
// through a .pdopt file (read back by Python's pickle), and errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { pythonWith, runPython } from '../helpers/python.js';

const opt = paddle.optimizer;
const x = paddle.to_tensor([[1, 2], [3, -1], [0.5, 0.5]], { dtype: 'float32' });
const y = paddle.to_tensor([[1], [0], [2]], { dtype: 'float32' });

function trainStep(net: paddle.nn.Linear, o: { step(): void; clear_grad(): void }): void {
  const d = net(x).subtract(y);
  paddle.mean(d.multiply(d)).backward();
  o.step();
  o.clear_grad();
}
function linear(): paddle.nn.Linear {
  return new paddle.nn.Linear(2, 1, { weight_attr: new paddle.nn.initializer.Constant(0.3), bias_attr: new paddle.nn.initializer.Constant(-0.1) });
}

test("Adam's state dict: moment1, moment2, beta1_pow_acc, beta2_pow_acc per parameter, in Paddle's order", () => {
  const net = linear();
  const w = net.weight.name;
  const b = net.bias!.name;
  const adam = new opt.Adam({ learning_rate: 0.1, parameters: net.parameters() });
  assert.deepEqual(adam.state_dict(), {}); // nothing before the first step
  trainStep(net, adam);
  const sd = adam.state_dict();
  assert.deepEqual(Object.keys(sd), [
    `${w}_moment1_0`, `${b}_moment1_0`, `${w}_moment2_0`, `${b}_moment2_0`,
    `${w}_beta1_pow_acc_0`, `${b}_beta1_pow_acc_0`, `${w}_beta2_pow_acc_0`, `${b}_beta2_pow_acc_0`,
  ]);
  const b1 = sd[`${w}_beta1_pow_acc_0`] as paddle.Tensor;
  assert.deepEqual(b1.shape, [1]);
  assertClose(b1, [0.81]); // beta1^2 after one step
  assertClose(sd[`${b}_beta2_pow_acc_0`] as paddle.Tensor, [0.999 * 0.999]);
  assert.equal((sd[`${w}_moment1_0`] as paddle.Tensor).name, `${w}_moment1_0`);
  assert.deepEqual(adam.get_opti_var_name_list(), Object.keys(sd).sort((p, q) => order(p) - order(q)));
  function order(k: string): number {
    return [`${w}_moment1_0`, `${w}_moment2_0`, `${w}_beta1_pow_acc_0`, `${w}_beta2_pow_acc_0`, `${b}_moment1_0`, `${b}_moment2_0`, `${b}_beta1_pow_acc_0`, `${b}_beta2_pow_acc_0`].indexOf(k);
  }
});

test('names: the optimizer name prefixes accumulators; Momentum creates velocity at construction', () => {
  const net = linear();
  const m = new opt.Momentum({ learning_rate: 0.1, parameters: net.parameters(), name: 'mom' });
  assert.deepEqual(Object.keys(m.state_dict()), [`${net.weight.name}_mom_velocity_0`, `${net.bias!.name}_mom_velocity_0`]);
  const r = new opt.RMSProp({ learning_rate: 0.1, parameters: net.parameters() });
  trainStep(net, r);
  assert.deepEqual(Object.keys(r.state_dict()).map((k) => k.slice(net.weight.name.length + 1)).filter((_, i) => i % 2 === 0), ['momentum_0', 'mean_square_0', 'mean_grad_0']);
});

test('set_state_dict continues training exactly, also when loaded before the first step', () => {
  const a = linear();
  const oa = new opt.Adam({ learning_rate: 0.05, parameters: a.parameters() });
  trainStep(a, oa);
  trainStep(a, oa);
  const saved = oa.state_dict();
  const savedParams = Object.fromEntries(Object.entries(a.state_dict()).map(([k, v]) => [k, v.clone()]));
  // a second optimizer on the same parameters, state loaded before its first step
  const ob = new opt.Adam({ learning_rate: 0.05, parameters: a.parameters() });
  ob.set_state_dict(saved);
  trainStep(a, ob);
  const viaB = a.weight.tolist();
  // the same step with the original optimizer, from the same parameters
  a.set_state_dict(savedParams);
  const oc = new opt.Adam({ learning_rate: 0.05, parameters: a.parameters() });
  oc.set_state_dict(saved);
  trainStep(a, oc);
  assert.deepEqual(a.weight.tolist(), viaB);
  // and after accumulators exist, set_state_dict overwrites them
  const od = new opt.Adam({ learning_rate: 0.05, parameters: a.parameters() });
  trainStep(a, od);
  od.set_state_dict(oc.state_dict());
  const want = Object.values(oc.state_dict()).map((v) => (v as paddle.Tensor).tolist());
  assert.deepEqual(Object.values(od.state_dict()).map((v) => (v as paddle.Tensor).tolist()), want);
});

test('LR_Scheduler entry: saved and restored with the accumulators', () => {
  const net = linear();
  const sched = new opt.lr.StepDecay({ learning_rate: 0.5, step_size: 2 });
  const sgd = new opt.Momentum({ learning_rate: sched, parameters: net.parameters() });
  trainStep(net, sgd);
  sched.step();
  sched.step();
  sched.step();
  const sd = sgd.state_dict();
  assert.deepEqual(sd.LR_Scheduler, { last_epoch: 3, last_lr: 0.05 });
  const sched2 = new opt.lr.StepDecay({ learning_rate: 0.5, step_size: 2 });
  const sgd2 = new opt.Momentum({ learning_rate: sched2, parameters: net.parameters() });
  sgd2.set_state_dict(sd);
  assert.equal(sched2.last_epoch, 3);
  assert.equal(sgd2.get_lr(), 0.05);
  assertThrows(() => sgd2.set_state_dict({}), paddle.errors.NotFoundError, /LR_Scheduler/);
});

test('a .pdopt file: paddle.save / paddle.load round trip, readable by Python pickle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdopt-'));
  try {
    const net = linear();
    const sched = new opt.lr.ExponentialDecay(0.1, 0.9);
    const adam = new opt.Adam({ learning_rate: sched, parameters: net.parameters() });
    trainStep(net, adam);
    const file = join(dir, 'adam.pdopt');
    paddle.save(adam.state_dict(), file);
    const loaded = paddle.load(file) as Record<string, unknown>;
    assert.deepEqual(Object.keys(loaded), Object.keys(adam.state_dict()));
    const adam2 = new opt.Adam({ learning_rate: new opt.lr.ExponentialDecay(0.1, 0.9), parameters: net.parameters() });
    adam2.set_state_dict(loaded);
    trainStep(net, adam2);
    // adam2's accumulators are numbered on (`..._1`); they were matched to the file's `..._0`
    const sd2 = adam2.state_dict();
    assert.ok(`${net.weight.name}_beta1_pow_acc_1` in sd2);
    assertClose(sd2[`${net.weight.name}_beta1_pow_acc_1`] as paddle.Tensor, [0.9 ** 3], 1e-6);
    if (pythonWith('numpy')) {
      const out = JSON.parse(runPython(`
import pickle, sys, json
d = pickle.load(open(sys.argv[1] if len(sys.argv) > 1 else ${JSON.stringify(file)}, 'rb'))
print(json.dumps({k: (v if isinstance(v, dict) else [str(v.dtype), list(v.shape)]) for k, v in d.items() if k != 'StructuredToParameterName@@'}))
`, ['numpy']));
      assert.deepEqual(out[`${net.weight.name}_moment1_0`], ['float32', [2, 1]]);
      assert.deepEqual(out[`${net.weight.name}_beta1_pow_acc_0`], ['float32', [1]]);
      assert.deepEqual(out.LR_Scheduler, { last_epoch: 0, last_lr: 0.1 });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('state dict errors: missing accumulators, shape mismatch, static mode', () => {
  const net = linear();
  const adam = new opt.Adam({ learning_rate: 0.1, parameters: net.parameters() });
  trainStep(net, adam);
  const sd = adam.state_dict();
  const partial = { ...sd };
  delete partial[`${net.bias!.name}_moment2_0`];
  assertThrows(() => adam.set_state_dict(partial), paddle.errors.NotFoundError, /moment2_0 not found/);
  const bad = { ...sd, [`${net.weight.name}_moment1_0`]: paddle.zeros([3, 3]) };
  assertThrows(() => adam.set_state_dict(bad), paddle.errors.InvalidArgumentError, /shape not match/);
  // loaded before the first step, a state dict must hold every accumulator
  const fresh = new opt.Adam({ learning_rate: 0.1, parameters: net.parameters() });
  fresh.set_state_dict({ something: paddle.zeros([1]) });
  assertThrows(() => trainStep(net, fresh), paddle.errors.NotFoundError, /should in state dict/);
  paddle.enable_static();
  try {
    assertThrows(() => adam.state_dict(), paddle.errors.PreconditionNotMetError, /dygraph mode/);
  } finally {
    paddle.disable_static();
  }
});
