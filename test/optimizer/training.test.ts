// Training end to end: a tiny nn.Linear regression trained by every optimizer (the loss
// falls), and static-mode minimize (append_backward + update operators, learning rate and
// accumulators initialized by the startup program) giving the same weights as dygraph.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const opt = paddle.optimizer;
const X = [[1, 2, 0.5], [0, -1, 1], [2, 1, -1], [-1, 0.5, 2], [0.5, 0.5, 0.5], [1.5, -2, 0]];
// y = x . [2, -1, 0.5] + 0.3
const Y = X.map((r) => [2 * r[0] - r[1] + 0.5 * r[2] + 0.3]);
const W0 = [[0.1], [0.2], [-0.3]];
const B0 = [0.05];

type AnyOpt = paddle.optimizer.Optimizer;
const makers: [string, (ps: paddle.Tensor[]) => AnyOpt][] = [
  ['SGD', (ps) => new opt.SGD({ learning_rate: 0.05, parameters: ps })],
  ['Momentum', (ps) => new opt.Momentum({ learning_rate: 0.02, parameters: ps })],
  ['Momentum nesterov + L2', (ps) => new opt.Momentum({ learning_rate: 0.02, parameters: ps, use_nesterov: true, weight_decay: new paddle.regularizer.L2Decay(1e-4) })],
  ['Adam', (ps) => new opt.Adam({ learning_rate: 0.05, parameters: ps })],
  ['AdamW', (ps) => new opt.AdamW({ learning_rate: 0.05, parameters: ps })],
  ['Adamax', (ps) => new opt.Adamax({ learning_rate: 0.05, parameters: ps })],
  ['Adagrad', (ps) => new opt.Adagrad({ learning_rate: 0.2, parameters: ps })],
  ['Adadelta', (ps) => new opt.Adadelta({ learning_rate: 1.0, epsilon: 1e-2, rho: 0.9, parameters: ps })],
  ['RMSProp', (ps) => new opt.RMSProp({ learning_rate: 0.01, parameters: ps })],
  ['Lamb', (ps) => new opt.Lamb({ learning_rate: 0.05, parameters: ps })],
  ['SGD + scheduler + clip', (ps) => new opt.SGD({ learning_rate: new opt.lr.CosineAnnealingDecay(0.05, 40), parameters: ps, grad_clip: new paddle.nn.ClipGradByGlobalNorm(5) })],
];

for (const [name, make] of makers) {
  test(`${name} trains a linear regression (the loss falls)`, () => {
    const net = new paddle.nn.Linear(3, 1, { weight_attr: new paddle.nn.initializer.Assign(W0), bias_attr: new paddle.nn.initializer.Assign(B0) });
    const o = make(net.parameters());
    const x = paddle.to_tensor(X, { dtype: 'float32' });
    const y = paddle.to_tensor(Y, { dtype: 'float32' });
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const d = net(x).subtract(y);
      const loss = paddle.mean(d.multiply(d));
      loss.backward();
      o.step();
      o.clear_grad();
      const sched = o._learning_rate;
      if (sched instanceof opt.lr.LRScheduler) sched.step();
      losses.push(loss.item() as number);
    }
    assert.ok(losses.every(Number.isFinite), `${name}: finite losses`);
    assert.ok(losses[39] < 0.5 * losses[0], `${name}: loss ${losses[0]} -> ${losses[39]}`);
  });
}

/** Builds and runs the regression in static mode; returns [w, b] after `steps` runs. */
function staticTrain(make: () => AnyOpt, steps: number): { w: number[]; b: number[]; ops: string[]; after: string[]; startupOps: string[]; pairs: string[][] } {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const scope = new paddle.static.Scope();
    return paddle.static.scope_guard(scope, () => paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [-1, 3], 'float32');
      const y = paddle.static.data('y', [-1, 1], 'float32');
      const gb = main.global_block();
      const w = gb.create_parameter({ name: 'w', shape: [3, 1], dtype: 'float32' });
      const b = gb.create_parameter({ name: 'b', shape: [1], dtype: 'float32' });
      const sb = startup.global_block();
      for (const [v, vals] of [[w, W0.flat()], [b, B0]] as const) {
        const sv = sb.create_var({ name: v.name, shape: v.shape, dtype: 'float32', persistable: true });
        sb.append_op({ type: 'assign_value', outputs: { Out: [sv] }, attrs: { shape: v.shape, dtype: 'float32', fp32_values: vals } });
      }
      const d = paddle.subtract(paddle.add(paddle.matmul(x, w), b), y);
      const loss = paddle.mean(paddle.multiply(d, d));
      const lossAt = gb.ops.length;
      const o = make();
      const [ops, pairs] = o.minimize(loss);
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      // Persistable variables live in the scope (the executor keeps values it already holds).
      for (const v of sb.vars.values()) if (v.persistable) scope.set(v.name, paddle.zeros([1]));
      exe.run(startup);
      for (let i = 0; i < steps - 1; i++) exe.run(main, { feed: { x: X, y: Y }, fetch_list: [loss] });
      // fetched after the last run's update (the update operators write the parameters in place)
      const [wv, bv] = exe.run(main, { feed: { x: X, y: Y }, fetch_list: [w, b] });
      return {
        w: (wv.tolist() as number[][]).flat(), b: bv.tolist() as number[],
        ops: ops.map((op) => op.type),
        after: gb.ops.slice(lossAt).filter((op) => op.attr('op_role') === paddle.static.OpRole.Optimize).map((op) => op.type),
        startupOps: sb.ops.map((op) => op.type), pairs: pairs.map(([p, g]) => [p.name, g!.name]),
      };
    }));
  } finally {
    paddle.disable_static();
  }
}

/** The same in dygraph. */
function dygraphTrain(make: (ps: paddle.Tensor[]) => AnyOpt, steps: number): { w: number[]; b: number[] } {
  const w = paddle.create_parameter([3, 1], 'float32');
  w.set_value(paddle.to_tensor(W0, { dtype: 'float32' }));
  const b = paddle.create_parameter([1], 'float32', { is_bias: true });
  b.set_value(paddle.to_tensor(B0, { dtype: 'float32' }));
  const o = make([w, b]);
  const x = paddle.to_tensor(X, { dtype: 'float32' });
  const y = paddle.to_tensor(Y, { dtype: 'float32' });
  for (let i = 0; i < steps; i++) {
    const d = paddle.subtract(paddle.add(paddle.matmul(x, w), b), y);
    paddle.mean(paddle.multiply(d, d)).backward();
    o.step();
    o.clear_grad();
  }
  return { w: (w.tolist() as number[][]).flat(), b: b.tolist() as number[] };
}

test('static minimize: the program gets backward, regularization and update ops; same weights as dygraph', () => {
  const s = staticTrain(() => new opt.SGD({ learning_rate: 0.05, weight_decay: 0.01 }), 3);
  assert.deepEqual(s.pairs, [['w', 'w@GRAD'], ['b', 'b@GRAD']]);
  // minimize returns the update operators; before them, per parameter (sorted by name), the
  // L2 term and its sum into the gradient
  assert.deepEqual(s.ops, ['sgd', 'sgd']);
  assert.deepEqual(s.after, ['scale', 'sum', 'scale', 'sum', 'sgd', 'sgd']);
  assert.deepEqual(s.startupOps, ['assign_value', 'assign_value', 'fill_constant']);
  const d = dygraphTrain((ps) => new opt.SGD({ learning_rate: 0.05, parameters: ps, weight_decay: 0.01 }), 3);
  assertClose(s.w, d.w, 1e-5, 1e-6, 'w');
  assertClose(s.b, d.b, 1e-5, 1e-6, 'b');
});

test('static minimize with Adam, AdamW, Adamax, Momentum, RMSProp, Lamb, Adagrad, Adadelta and clipping matches dygraph', () => {
  const cases: [string, (ps?: paddle.Tensor[]) => AnyOpt, string[]][] = [
    ['Adam', (ps) => new opt.Adam({ learning_rate: 0.05, parameters: ps ?? null }), ['adam', 'adam']],
    ['AdamW', (ps) => new opt.AdamW({ learning_rate: 0.05, parameters: ps ?? null, weight_decay: 0.1 }), ['scale', 'assign', 'adam', 'scale', 'assign', 'adam']],
    ['AdamW + scheduler', (ps) => new opt.AdamW({ learning_rate: new opt.lr.StepDecay(0.05, 10), parameters: ps ?? null, weight_decay: 0.1 }), ['scale', 'elementwise_mul', 'assign', 'adam', 'scale', 'elementwise_mul', 'assign', 'adam']],
    ['Adamax', (ps) => new opt.Adamax({ learning_rate: 0.05, parameters: ps ?? null }), ['adamax', 'adamax', 'scale', 'scale']],
    ['Momentum', (ps) => new opt.Momentum({ learning_rate: 0.05, parameters: ps ?? null, weight_decay: new paddle.regularizer.L2Decay(0.01) }), ['momentum', 'momentum']],
    ['RMSProp', (ps) => new opt.RMSProp({ learning_rate: 0.01, parameters: ps ?? null, centered: true, momentum: 0.5 }), ['rmsprop', 'rmsprop']],
    ['Lamb', (ps) => new opt.Lamb({ learning_rate: 0.05, parameters: ps ?? null }), ['lamb', 'lamb']],
    ['Adagrad', (ps) => new opt.Adagrad({ learning_rate: 0.1, parameters: ps ?? null, weight_decay: new paddle.regularizer.L1Decay(0.01) }), ['adagrad', 'adagrad']],
    ['Adadelta', (ps) => new opt.Adadelta({ learning_rate: 1.0, parameters: ps ?? null }), ['adadelta', 'adadelta']],
    ['Momentum + ClipGradByNorm', (ps) => new opt.Momentum({ learning_rate: 0.05, parameters: ps ?? null, grad_clip: new paddle.nn.ClipGradByNorm(0.5) }), ['momentum', 'momentum']],
  ];
  for (const [name, make, ops] of cases) {
    const s = staticTrain(() => make(), 4);
    assert.deepEqual(s.ops, ops, name);
    if (name === 'Adagrad') assert.deepEqual(s.after, ['sign', 'scale', 'sum', 'sign', 'scale', 'sum', 'adagrad', 'adagrad']);
    if (name.includes('Clip')) assert.deepEqual(s.after, ['clip_by_norm', 'clip_by_norm', 'momentum', 'momentum']);
    const d = dygraphTrain((ps) => make(ps), 4);
    assertClose(s.w, d.w, 1e-5, 1e-6, `${name} w`);
    assertClose(s.b, d.b, 1e-5, 1e-6, `${name} b`);
  }
});

test('static mode: the learning-rate variable, per-parameter rates, the scheduler is recorded on the program', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [-1, 2], 'float32');
      const w = main.global_block().create_parameter({ name: 'w2', shape: [2, 1], dtype: 'float32', learning_rate: 0.5 });
      const loss = paddle.mean(paddle.matmul(x, w));
      const sched = new opt.lr.StepDecay(0.1, 2);
      const adam = new opt.Adam({ learning_rate: sched });
      const [ops] = adam.minimize(loss);
      assert.deepEqual(ops.map((o) => o.type), ['scale', 'adam']); // lr * 0.5 first
      const adamOp = ops[1];
      assert.deepEqual(adamOp.input('Moment1'), ['w2_moment1_0']);
      assert.deepEqual(adamOp.output('ParamOut'), ['w2']);
      assert.equal(adamOp.attr('beta1'), 0.9);
      assert.equal(adamOp.attr('op_role'), paddle.static.OpRole.Optimize);
      assert.deepEqual(adamOp.attr('op_role_var'), ['w2', 'w2@GRAD']);
      const lrName = ops[0].input('X')[0];
      assert.match(lrName, /^learning_rate_\d+$/);
      const lrVar = main.global_block().var(lrName);
      assert.equal(lrVar.persistable, true);
      assert.equal(sched._var_name, lrName);
      assert.equal((main as unknown as { lr_sheduler: unknown }).lr_sheduler, sched);
      const init = startup.global_block().ops.find((o) => o.output('Out')[0] === lrName)!;
      assert.equal(init.type, 'fill_constant');
      assert.equal(init.attr('value'), 0.1);
      const b1 = startup.global_block().ops.find((o) => o.output('Out')[0] === 'w2_beta1_pow_acc_0')!;
      assert.equal(b1.attr('value'), 0.9);
      assertThrows(() => adam.minimize(paddle.matmul(x, w)), paddle.errors.InvalidArgumentError, /loss.shape should be \[1\]/);
      assertThrows(() => adam.step(), paddle.errors.PreconditionNotMetError, /dygraph mode/);
    });
  } finally {
    paddle.disable_static();
  }
});
