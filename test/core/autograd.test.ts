// Autograd: backward, accumulation, retain_graph, paddle.grad with create_graph, hooks, no_grad.
// Expected gradients are derived by hand (d(x^3)/dx = 3x^2, second derivative 6x).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const leaf = (v: number[]) => paddle.to_tensor(v, { dtype: 'float64', stop_gradient: false });

test('stop_gradient defaults and propagation', () => {
  const a = paddle.to_tensor([1, 2], { dtype: 'float64' });
  assert.equal(a.stop_gradient, true);
  const b = leaf([1, 2]);
  assert.equal(paddle.multiply(a, a).stop_gradient, true);
  const c = paddle.multiply(a, b);
  assert.equal(c.stop_gradient, false);
  assert.equal(c.is_leaf, false);
});

test('backward accumulates into .grad across calls and clear_gradient zeroes it', () => {
  const x = leaf([1, 2, 3]);
  const y = paddle.multiply(x, x); // dy/dx = 2x, grad_tensor defaults to ones
  y.backward(null, true);
  assertClose(x.grad!, [2, 4, 6]);
  y.backward();
  assertClose(x.grad!, [4, 8, 12]);
  x.clear_gradient();
  assertClose(x.grad!, [0, 0, 0]);
});

test('a second backward through a freed graph is an error; retain_graph keeps it', () => {
  const x = leaf([1, 2]);
  const y = paddle.multiply(x, 3);
  y.backward();
  assertThrows(() => y.backward(), paddle.errors.PreconditionNotMetError, /second time/, /retain_graph/);
  const z = paddle.multiply(x, x);
  z.backward({ retain_graph: true });
  z.backward();
  assertClose(x.grad!, [3 + 4, 3 + 8]);
});

test('grad_tensor weights the gradient', () => {
  const x = leaf([1, 2]);
  const y = paddle.multiply(x, x);
  y.backward(paddle.to_tensor([10, 100], { dtype: 'float64' }));
  assertClose(x.grad!, [20, 400]);
  assertThrows(() => paddle.multiply(x, x).backward(paddle.to_tensor([1], { dtype: 'float64' })), paddle.errors.InvalidArgumentError, /grad_tensor has shape \[1\]/);
});

test('paddle.grad returns gradients without touching .grad, and second derivatives with create_graph', () => {
  const x = leaf([1, 2, -3]);
  const y = paddle.multiply(paddle.multiply(x, x), x);
  const [dx] = paddle.grad(y, x, { create_graph: true });
  assertClose(dx!, [3, 12, 27]);
  assert.equal(x.grad, null);
  assert.equal(dx!.stop_gradient, false);
  const [ddx] = paddle.grad(dx!, x);
  assertClose(ddx!, [6, 12, -18]);
});

test('paddle.grad: unused inputs need allow_unused; grad_outputs; no_grad_vars', () => {
  const x = leaf([1, 2]);
  const z = leaf([5, 5]);
  const y = paddle.multiply(x, 2);
  assertThrows(() => paddle.grad(y, [x, z], { retain_graph: true }), paddle.errors.InvalidArgumentError, /not reachable/, /allow_unused/);
  const [gx, gz] = paddle.grad([y], [x, z], { grad_outputs: [paddle.to_tensor([1, 10], { dtype: 'float64' })], allow_unused: true });
  assertClose(gx!, [2, 20]);
  assert.equal(gz, null);
  const a = leaf([3]);
  const b = paddle.multiply(a, a);
  const c = paddle.multiply(b, a); // a^3 = b*a; with b a no-grad var only the direct path counts
  const [ga] = paddle.grad(c, a, { no_grad_vars: b });
  assertClose(ga!, [9]);
});

test('hooks can replace gradients of leaves and intermediates', () => {
  const x = leaf([1, 2]);
  const h = x.register_hook((g) => paddle.multiply(g, 10));
  const mid = paddle.multiply(x, 2);
  mid.register_hook((g) => paddle.add(g, 1));
  const y = paddle.multiply(mid, 1);
  y.backward();
  // d y/d mid = 1 -> +1 -> 2; * 2 (d mid/dx) = 4; leaf hook *10 = 40
  assertClose(x.grad!, [40, 40]);
  h.remove();
  x.clear_gradient();
  paddle.multiply(x, 2).backward();
  assertClose(x.grad!, [2, 2]);
});

test('no_grad records nothing; the decorator form; backward on a stop_gradient tensor fails', () => {
  const x = leaf([1]);
  const y = paddle.no_grad(() => paddle.multiply(x, x));
  assert.equal(y.stop_gradient, true);
  const f = paddle.no_grad()((t: paddle.Tensor) => paddle.multiply(t, t));
  assert.equal(f(x).stop_gradient, true);
  assert.equal(paddle.is_grad_enabled(), true);
  assertThrows(() => y.backward(), paddle.errors.PreconditionNotMetError, /stop_gradient=True/);
});

test('gradients of broadcast operands are summed back to their shapes', () => {
  const x = leaf([1, 2, 3]);
  const w = paddle.to_tensor([[1], [2]], { dtype: 'float64', stop_gradient: false });
  const y = paddle.multiply(x, w); // [2, 3]
  y.backward();
  assertClose(x.grad!, [3, 3, 3]); // sum over rows of w
  assertClose(w.grad!, [[6], [6]]); // sum of x per row
});

test('a leaf gradient is final and in .grad as soon as its last consumer ran (ready hooks, used by DataParallel)', () => {
  // l = sum((x * w1) * w2) + sum(w2): backward reaches w2's consumers before w1's
  const x = paddle.to_tensor([1, 2], { dtype: 'float64' });
  const w1 = leaf([3, 4]);
  const w2 = leaf([5, 6]);
  const seen: string[] = [];
  w2._readyHooks = [(t) => {
    seen.push('w2');
    assert.equal(w1.grad, null, 'w1 is not finished yet');
    assertClose(t.grad!, [3 + 1, 8 + 1]); // x * w1 + 1, both uses added
  }];
  w1._readyHooks = [(t) => {
    seen.push('w1');
    assertClose(t.grad!, [5, 12]); // x * w2
  }];
  paddle.multiply(paddle.multiply(x, w1), w2).sum().add(w2.sum()).backward();
  assert.deepEqual(seen, ['w2', 'w1']);
  // paddle.grad does not touch .grad and runs no ready hooks
  seen.length = 0;
  paddle.grad([paddle.multiply(w1, w2).sum()], [w1, w2]);
  assert.deepEqual(seen, []);
});
