// paddle.jit: a Layer trained in dygraph is traced and saved as a Paddle inference model;
// load_inference_model and jit.load give identical outputs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertThrows } from '../helpers/assert.js';

const { nn } = paddle;

class Net extends nn.Layer {
  conv = new nn.Conv2D(1, 4, 3, { padding: 1 });
  bn = new nn.BatchNorm2D(4);
  fc = new nn.Linear(4 * 6 * 6, 3);
  override forward(x: paddle.Tensor): paddle.Tensor {
    return this.fc(paddle.flatten(nn.functional.relu(this.bn(this.conv(x))), 1));
  }
}

test('a dygraph-trained model saved with jit.save loads with load_inference_model and jit.load, giving identical outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-jit-'));
  try {
    paddle.seed(3);
    const net = new Net();
    const opt = new paddle.optimizer.Adam({ learning_rate: 0.01, parameters: net.parameters() });
    const x = paddle.randn([4, 1, 6, 6]);
    const label = paddle.to_tensor([0, 1, 2, 1]);
    for (let i = 0; i < 3; i++) {
      const loss = nn.functional.cross_entropy(net(x), label);
      loss.backward();
      opt.step();
      opt.clear_grad();
    }
    net.eval();
    const expected = net(x);
    const prefix = join(dir, 'net');
    paddle.jit.save(net, prefix, [new paddle.static.InputSpec([null, 1, 6, 6], 'float32', 'img')]);
    assert.ok(existsSync(prefix + '.pdmodel') && existsSync(prefix + '.pdiparams'));
    assert.equal(net.training, false);

    const exe = new paddle.static.Executor();
    const scope = new paddle.static.Scope();
    const [out] = paddle.static.scope_guard(scope, () => {
      const [prog, feeds, fetches] = paddle.static.load_inference_model(prefix, exe);
      assert.deepEqual(feeds, ['img']);
      const types = prog.global_block().ops.map((o) => o.type);
      assert.deepEqual(types, ['feed', 'conv2d', 'elementwise_add', 'batch_norm', 'relu', 'flatten_contiguous_range', 'matmul', 'elementwise_add', 'fetch']);
      return exe.run(prog, { feed: { img: x }, fetch_list: fetches });
    });
    assert.equal(paddle.equal_all(out, expected).item(), true);

    const loaded = paddle.jit.load(prefix);
    const y = loaded(x) as paddle.Tensor;
    assert.equal(paddle.equal_all(y, expected).item(), true);
    // a different batch size runs too (the batch dimension was None)
    assert.deepEqual((loaded(paddle.randn([1, 1, 6, 6])) as paddle.Tensor).shape, [1, 3]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('to_static keeps eager results and gives jit.save its input_spec; missing specs are an error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-jit2-'));
  try {
    paddle.seed(5);
    const fc = paddle.jit.to_static(new nn.Linear(3, 2), { input_spec: [new paddle.static.InputSpec([null, 3], 'float32', 'x')] });
    const x = paddle.rand([2, 3]);
    const y = fc(x);
    paddle.jit.save(fc, join(dir, 'fc'));
    const back = paddle.jit.load(join(dir, 'fc'));
    assert.equal(paddle.equal_all(back(x) as paddle.Tensor, y).item(), true);
    assertThrows(() => paddle.jit.save(new nn.Linear(2, 2), join(dir, 'nospec')), paddle.errors.InvalidArgumentError, /input_spec/);
    assertThrows(() => paddle.jit.load(join(dir, 'missing')), paddle.errors.NotFoundError, /missing\.pdmodel/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a static-mode training loop gives the same losses as the dygraph one on the same data', () => {
  const init = (v: number[][]) => new paddle.ParamAttr({ initializer: new nn.initializer.Assign(paddle.to_tensor(v, { dtype: 'float32' })) });
  const W1 = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]];
  const W2 = [[0.7], [-0.8], [0.9]];
  const xs = [[1, 2], [3, -1], [0.5, 0.5], [-2, 1]];
  const ys = [[1], [0], [0.5], [-1]];
  const make = () => {
    const l1 = new nn.Linear(2, 3, { weight_attr: init(W1) });
    const l2 = new nn.Linear(3, 1, { weight_attr: init(W2) });
    return { l1, l2, f: (x: paddle.Tensor) => l2(paddle.tanh(l1(x))) };
  };
  // dygraph
  const d = make();
  const dopt = new paddle.optimizer.Momentum({ learning_rate: 0.1, momentum: 0.9, parameters: [...d.l1.parameters(), ...d.l2.parameters()] });
  const dy: number[] = [];
  for (let i = 0; i < 5; i++) {
    const loss = nn.functional.mse_loss(d.f(paddle.to_tensor(xs, { dtype: 'float32' })), paddle.to_tensor(ys, { dtype: 'float32' }));
    dy.push(loss.item() as number);
    loss.backward();
    dopt.step();
    dopt.clear_grad();
  }
  // static
  paddle.enable_static();
  const st: number[] = [];
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.scope_guard(new paddle.static.Scope(), () =>
      paddle.static.program_guard(main, startup, () => {
        const x = paddle.static.data('x', [null, 2], 'float32');
        const y = paddle.static.data('y', [null, 1], 'float32');
        const s = make();
        const loss = nn.functional.mse_loss(s.f(x), y);
        new paddle.optimizer.Momentum({ learning_rate: 0.1, momentum: 0.9, parameters: [...s.l1.parameters(), ...s.l2.parameters()] }).minimize(loss);
        const exe = new paddle.static.Executor();
        exe.run(startup);
        for (let i = 0; i < 5; i++) st.push(exe.run(main, { feed: { x: xs, y: ys }, fetch_list: [loss] })[0].item() as number);
      }),
    );
  } finally {
    paddle.disable_static();
  }
  assert.ok(dy[4] < dy[0], 'the loss falls');
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(dy[i] - st[i]) <= 1e-6 * Math.max(1, Math.abs(dy[i])), `step ${i}: dygraph ${dy[i]} vs static ${st[i]}`);
});
