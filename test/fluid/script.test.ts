// A fluid-era static training script, ported line by line (fluid.data, fluid.layers.fc,
// cross_entropy on softmax probabilities, mean, SGD minimize, Executor, save_inference_model),
// reaches the same losses as the equivalent Paddle 2.0-style script (paddle.static.data,
// nn.Linear, F.cross_entropy on logits), and its saved inference model predicts the same.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose } from '../helpers/assert.js';

const { fluid } = paddle;
const F = paddle.nn.functional;

// a fixed 3-class problem: 8 samples of 4 features
const X = [
  [0.1, 0.5, -0.3, 0.8], [0.9, -0.2, 0.4, 0.1], [-0.5, 0.3, 0.7, -0.6], [0.2, 0.2, 0.2, 0.2],
  [1.0, -1.0, 0.5, 0.0], [-0.7, 0.1, -0.2, 0.9], [0.3, 0.8, -0.9, 0.4], [0.6, -0.4, 0.1, -0.3],
];
const Y = [[0], [1], [2], [0], [1], [2], [0], [1]];
const W1 = Array.from({ length: 4 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i * 6 + j + 1) * 0.5));
const W2 = Array.from({ length: 6 }, (_, i) => Array.from({ length: 3 }, (_, j) => Math.cos(i * 3 + j + 1) * 0.5));
const init = (v: number[][]) => new paddle.ParamAttr({ initializer: new fluid.initializer.NumpyArrayInitializer(paddle.to_tensor(v, { dtype: 'float32' })) });
const zeros = () => new paddle.ParamAttr({ initializer: new fluid.initializer.Constant(0) });

function inStatic<R>(fn: (main: paddle.static.Program, startup: paddle.static.Program, exe: paddle.static.Executor) => R): R {
  paddle.enable_static();
  try {
    const main = new fluid.Program();
    const startup = new fluid.Program();
    return fluid.scope_guard(new fluid.Scope(), () => fluid.program_guard(main, startup, () => fn(main, startup, new fluid.Executor(new fluid.CPUPlace()))));
  } finally {
    paddle.disable_static();
  }
}

test('a fluid-style static training script trains to the losses of the 2.0-style script and saves an inference model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-fluid-script-'));
  try {
    // ---- the fluid script ----
    const fluidRun = inStatic((main, startup, exe) => {
      const x = fluid.data('x', [null, 4], 'float32');
      const y = fluid.data('y', [null, 1], 'int64');
      const h = fluid.layers.fc(x, 6, { act: 'relu', param_attr: init(W1), bias_attr: zeros() });
      const prob = fluid.layers.fc(h, 3, { act: 'softmax', param_attr: init(W2), bias_attr: zeros() });
      const loss = fluid.layers.mean(fluid.layers.cross_entropy(prob, y));
      new paddle.optimizer.SGD({ learning_rate: 0.5 }).minimize(loss);
      // the operators fluid appends
      const types = main.global_block().ops.map((o) => o.type);
      assert.deepEqual(types.slice(0, 8), ['mul', 'elementwise_add', 'relu', 'mul', 'elementwise_add', 'softmax', 'cross_entropy2', 'mean']);
      assert.equal(types.filter((t) => t === 'sgd').length, 4);
      exe.run(startup);
      const losses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const [l] = exe.run(main, { feed: { x: X, y: Y }, fetch_list: [loss] });
        losses.push((l as paddle.Tensor).item() as number);
      }
      paddle.static.save_inference_model(join(dir, 'fluid'), [x], [prob], exe);
      const [p] = exe.run(main.clone(true), { feed: { x: X, y: Y }, fetch_list: [prob] });
      return { losses, prob: p as paddle.Tensor };
    });

    // ---- the same model in Paddle 2.0 style ----
    const v2Run = inStatic((_main, startup, exe) => {
      const x = paddle.static.data('x', [null, 4], 'float32');
      const y = paddle.static.data('y', [null, 1], 'int64');
      const l1 = new paddle.nn.Linear(4, 6, { weight_attr: init(W1), bias_attr: zeros() });
      const l2 = new paddle.nn.Linear(6, 3, { weight_attr: init(W2), bias_attr: zeros() });
      const logits = l2(F.relu(l1(x)));
      const loss = paddle.mean(F.cross_entropy(logits, y));
      new paddle.optimizer.SGD({ learning_rate: 0.5, parameters: [...l1.parameters(), ...l2.parameters()] }).minimize(loss);
      exe.run(startup);
      const losses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const [l] = exe.run(_main, { feed: { x: X, y: Y }, fetch_list: [loss] });
        losses.push((l as paddle.Tensor).item() as number);
      }
      return losses;
    });

    assertClose(fluidRun.losses, v2Run, 1e-4, 1e-5);
    assert.ok(fluidRun.losses[19] < fluidRun.losses[0] * 0.8, `loss should fall: ${fluidRun.losses[0]} -> ${fluidRun.losses[19]}`);

    // ---- the saved inference model predicts what the trained program does ----
    inStatic((_m, _s, exe) => {
      const [prog, feeds, fetches] = paddle.static.load_inference_model(join(dir, 'fluid'), exe);
      assert.deepEqual(feeds, ['x']);
      const [p] = exe.run(prog, { feed: { x: X }, fetch_list: fetches });
      assertClose(p as paddle.Tensor, fluidRun.prob, 1e-5, 1e-6);
      assert.ok(prog.global_block().ops.some((o) => o.type === 'mul'));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same fluid layers run in dygraph and train there too', () => {
  const x = paddle.to_tensor(X, { dtype: 'float32' });
  const y = paddle.to_tensor(Y);
  const w1 = paddle.to_tensor(W1, { dtype: 'float32', stop_gradient: false });
  const w2 = paddle.to_tensor(W2, { dtype: 'float32', stop_gradient: false });
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const h = fluid.layers.relu(fluid.layers.mul(x, w1));
    const prob = fluid.layers.softmax(fluid.layers.mul(h, w2));
    const loss = fluid.layers.mean(fluid.layers.cross_entropy(prob, y));
    loss.backward();
    losses.push(loss.item() as number);
    for (const w of [w1, w2]) {
      w.set_value(paddle.subtract(w, paddle.scale(w.grad as paddle.Tensor, 0.5)));
      w.clear_gradient();
    }
  }
  assert.ok(losses[2] < losses[0]);
});
