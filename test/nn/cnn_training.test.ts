// The nn issue's end-to-end check: a small CNN (conv, batch norm, pool, linear) trains to a
// falling loss, and learns a task a linear model of the raw pixels could not solve as well.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';

const { nn } = paddle;
const F = nn.functional;

class SmallCNN extends nn.Layer {
  conv = new nn.Conv2D(1, 4, 3, { padding: 1 });
  bn = new nn.BatchNorm2D(4);
  pool = new nn.MaxPool2D(2);
  fc = new nn.Linear(4 * 4 * 4, 2);
  override forward(x: paddle.Tensor): paddle.Tensor {
    return this.fc(paddle.flatten(this.pool(F.relu(this.bn(this.conv(x)))) as paddle.Tensor, 1));
  }
}

/** 8x8 images: class 1 has a bright horizontal bar, class 0 a vertical one, at random places. */
function batch(n: number, g: paddle.Generator): [paddle.Tensor, paddle.Tensor] {
  const xs = new Float32Array(n * 64);
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const cls = g.int(2);
    const pos = 1 + g.int(6);
    for (let k = 0; k < 64; k++) xs[i * 64 + k] = 0.1 * g.normal();
    for (let k = 1; k < 7; k++) xs[i * 64 + (cls ? pos * 8 + k : k * 8 + pos)] += 1;
    ys.push(cls);
  }
  return [paddle.to_tensor(xs).reshape([n, 1, 8, 8]), paddle.to_tensor(ys)];
}

test('a small CNN with conv, batch norm, pooling and linear layers trains to a falling loss', () => {
  paddle.seed(11);
  const g = new paddle.Generator(5);
  const net = new SmallCNN();
  const opt = new paddle.optimizer.Momentum({ learning_rate: 0.05, momentum: 0.9, parameters: net.parameters() });
  const losses: number[] = [];
  for (let step = 0; step < 40; step++) {
    const [x, y] = batch(32, g);
    const loss = F.cross_entropy(net(x), y);
    losses.push(loss.item() as number);
    loss.backward();
    opt.step();
    opt.clear_grad();
  }
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < first * 0.5, `loss should fall: first ${first.toFixed(4)}, last ${last.toFixed(4)}`);
  net.eval();
  const [x, y] = batch(200, g);
  const pred = paddle.argmax(net(x), 1);
  const acc = (paddle.equal(pred, y).astype('float32').mean().item() as number);
  assert.ok(acc > 0.9, `held-out accuracy ${acc}`);
  // the running statistics moved away from their initial values in training
  assert.ok((net.bn._mean.tolist() as number[]).some((v) => Math.abs(v) > 1e-3));
});
