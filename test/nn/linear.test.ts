// nn.Linear, nn.Flatten, nn.Identity: forward against values computed by hand, gradients of
// the parameters, a tiny regression trained by SGD, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const nn = paddle.nn;
const I = paddle.nn.initializer;

// W = [[1, 0, -1], [2, 1, 0]], b = [0.5, -0.5, 1]; x W + b by hand:
// [1, 2] -> [5.5, 1.5, 0]; [3, 4] -> [11.5, 3.5, -2]; [5, 6] -> [17.5, 5.5, -4]
const W = [[1, 0, -1], [2, 1, 0]];
const B = [0.5, -0.5, 1];
function fixed(): InstanceType<typeof nn.Linear> {
  return new nn.Linear(2, 3, { weight_attr: new paddle.ParamAttr({ initializer: new I.Assign(W) }), bias_attr: new I.Assign(B) });
}

test('Linear: y = x W + b with W of shape [in, out]', () => {
  const fc = fixed();
  assert.deepEqual(fc.weight.shape, [2, 3]);
  assert.deepEqual(fc.bias!.shape, [3]);
  const x = paddle.to_tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float32' });
  const y = fc(x);
  assert.deepEqual(y.shape, [3, 3]);
  assert.equal(y.dtype, 'float32');
  assert.deepEqual(y.tolist(), [[5.5, 1.5, 0], [11.5, 3.5, -2], [17.5, 5.5, -4]]);
  // any rank: applies to the last dim
  const y3 = fc(paddle.to_tensor([[[1, 2]], [[3, 4]]], { dtype: 'float32' }));
  assert.deepEqual(y3.tolist(), [[[5.5, 1.5, 0]], [[11.5, 3.5, -2]]]);
  // without a bias
  const nb = new nn.Linear(2, 3, new I.Assign(W), false);
  assert.equal(nb.bias, null);
  assert.deepEqual(nb(x).tolist(), [[5, 2, -1], [11, 4, -3], [17, 6, -5]]);
  assert.equal(String(fc), 'Linear(in_features=2, out_features=3, dtype=float32)');
  assert.equal(String(new nn.Linear(2, 3, { name: 'head' })), 'Linear(in_features=2, out_features=3, dtype=float32, name=head)');
});

test('Linear: gradients of x, weight and bias', () => {
  const fc = fixed();
  const x = paddle.to_tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float32', stop_gradient: false });
  fc(x).sum().backward();
  // d/dW sum(xW + b) = x^T 1 = column sums of x per input feature; d/db = batch size
  assert.deepEqual(fc.weight.grad!.tolist(), [[9, 9, 9], [12, 12, 12]]);
  assert.deepEqual(fc.bias!.grad!.tolist(), [3, 3, 3]);
  // d/dx = 1 W^T = row sums of W
  assert.deepEqual(x.grad!.tolist(), [[0, 3], [0, 3], [0, 3]]);
  // finite differences through the layer in float64
  paddle.set_default_dtype('float64');
  try {
    const fc64 = new nn.Linear(3, 2);
    assert.equal(fc64.weight.dtype, 'float64');
    checkGrad((xx) => fc64(xx), [paddle.to_tensor([[0.3, -1.2, 2.0], [0.7, 0.1, -0.4]], { dtype: 'float64' })]);
  } finally {
    paddle.set_default_dtype('float32');
  }
});

test('Linear trains: SGD steps on a tiny regression lower the loss', () => {
  paddle.seed(3);
  // targets from y = 2 x1 - 3 x2 + 1
  const xs = [[0, 0], [1, 0], [0, 1], [1, 1], [2, -1], [-1, 2], [0.5, 0.5], [-2, -1]];
  const x = paddle.to_tensor(xs, { dtype: 'float32' });
  const y = paddle.to_tensor(xs.map(([a, b]) => [2 * a - 3 * b + 1]), { dtype: 'float32' });
  const fc = new nn.Linear(2, 1);
  const losses: number[] = [];
  for (let step = 0; step < 200; step++) {
    const d = fc(x).subtract(y);
    const loss = paddle.mean(d.multiply(d));
    losses.push(loss.item() as number);
    loss.backward();
    paddle.no_grad(() => {
      for (const p of fc.parameters()) p.set_value(p.subtract(p.grad!.multiply(0.1)));
    });
    fc.clear_gradients();
  }
  assert.ok(losses[1] < losses[0] && losses[10] < losses[1], `${losses.slice(0, 11)}`);
  assert.ok(losses[199] < 1e-4, `final loss ${losses[199]}`);
  assertClose(fc.weight, [[2], [-3]], 0, 1e-2);
  assertClose(fc.bias!, [1], 0, 1e-2);
});

test('Flatten (start_axis=1 by default) and Identity', () => {
  const x = paddle.ones([2, 3, 4], 'float32');
  assert.deepEqual(new nn.Flatten()(x).shape, [2, 12]);
  assert.deepEqual(new nn.Flatten(0)(x).shape, [24]);
  assert.deepEqual(new nn.Flatten({ start_axis: 0, stop_axis: 1 })(x).shape, [6, 4]);
  assert.equal(new nn.Identity(3, { any: 1 })(x), x);
  const seq = new nn.Sequential(new nn.Flatten(), new nn.Linear(12, 2));
  assert.deepEqual(seq(x).shape, [2, 2]);
});

test('Linear errors: bad arguments and wrong input sizes', () => {
  assertThrows(() => new nn.Linear(2), paddle.errors.InvalidArgumentError, /paddle\.nn\.Linear/, /missing required argument 'out_features'/);
  assertThrows(() => new nn.Linear(2.5, 3), paddle.errors.InvalidArgumentError, /'in_features'/);
  assertThrows(() => new nn.Linear(-1, 3), paddle.errors.InvalidArgumentError, /non-negative/);
  assertThrows(() => new nn.Linear(2, 3, { bias: false } as never), paddle.errors.InvalidArgumentError, /unexpected keyword argument 'bias'/);
  const fc = new nn.Linear(2, 3);
  assertThrows(() => fc(paddle.ones([4, 5], 'float32')), paddle.errors.InvalidArgumentError, /paddle\.nn\.Linear/, /5 vs 2/);
  assertThrows(() => fc(paddle.ones([4, 2], 'int64')), paddle.errors.InvalidArgumentError, /float16, float32 or float64/);
  assertThrows(() => fc([[1, 2]] as never), paddle.errors.InvalidArgumentError, /'input' expected a Tensor/);
});
