// Activation layers (paddle.nn.ReLU, ELU, PReLU...): forward equals the functional form with
// the stored arguments, Paddle's reprs (extra_repr), PReLU's parameter (name, init, attr,
// gradient, channel-last), use inside Sequential, and constructor errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const nn = paddle.nn;
const F = paddle.nn.functional;
const E = paddle.errors.InvalidArgumentError;
const f64 = (v: unknown, shape?: number[]): Tensor => {
  const t = paddle.to_tensor(v as number[], { dtype: 'float64' });
  return shape ? t.reshape(shape) : t;
};
const f32 = (v: unknown): Tensor => paddle.to_tensor(v as number[], { dtype: 'float32' });
const X = f64([-7, -3, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 3, 6, 7]);

test('each activation layer computes its functional form with the stored arguments', () => {
  const cases: [paddle.nn.Layer, (x: Tensor) => Tensor][] = [
    [new nn.ELU(), (x) => F.elu(x)],
    [new nn.ELU(0.3), (x) => F.elu(x, 0.3)],
    [new nn.GELU(), (x) => F.gelu(x)],
    [new nn.GELU({ approximate: true }), (x) => F.gelu(x, true)],
    [new nn.Hardshrink(1), (x) => F.hardshrink(x, 1)],
    [new nn.Hardsigmoid(), (x) => F.hardsigmoid(x)],
    [new nn.Hardswish(), (x) => F.hardswish(x)],
    [new nn.Hardtanh(-2, 0.5), (x) => F.hardtanh(x, -2, 0.5)],
    [new nn.LeakyReLU(), (x) => F.leaky_relu(x)],
    [new nn.LeakyReLU({ negative_slope: 0.2 }), (x) => F.leaky_relu(x, 0.2)],
    [new nn.LogSigmoid(), (x) => F.log_sigmoid(x)],
    [new nn.ReLU(), (x) => F.relu(x)],
    [new nn.ReLU6(), (x) => F.relu6(x)],
    [new nn.SELU(), (x) => F.selu(x)],
    [new nn.SELU(1.5, 2), (x) => F.selu(x, 1.5, 2)],
    [new nn.Sigmoid(), (x) => F.sigmoid(x)],
    [new nn.Softplus(2, 3), (x) => F.softplus(x, 2, 3)],
    [new nn.Softshrink(0.25), (x) => F.softshrink(x, 0.25)],
    [new nn.Softsign(), (x) => F.softsign(x)],
    [new nn.Swish(), (x) => F.swish(x)],
    [new nn.Tanh(), (x) => F.tanh(x)],
    [new nn.Tanhshrink(), (x) => F.tanhshrink(x)],
    [new nn.ThresholdedReLU(), (x) => F.thresholded_relu(x)],
    [new nn.ThresholdedReLU(0.2), (x) => F.thresholded_relu(x, 0.2)],
  ];
  for (const [layer, fn] of cases) {
    const out = layer(X) as Tensor;
    assert.deepEqual(out.tolist(), fn(X).tolist(), String(layer));
    assert.equal(layer.parameters().length, 0);
  }
  // spot values (NumPy)
  assertClose(new nn.ReLU6()(f64([-1, 3, 8])) as Tensor, [0, 3, 6]);
  assertClose(new nn.Hardtanh()(f64([-3, 0.5, 2])) as Tensor, [-1, 0.5, 1]);
  assertClose(new nn.ELU(0.2)(f32([[-1, 6], [1, 15.6]])) as Tensor, [-0.12642411, 6, 1, 15.6]);
  const x2 = f64([[1, 2, 3], [1, 1, 1]]);
  assertClose(new nn.Softmax()(x2) as Tensor, [0.09003057, 0.24472847, 0.66524096, 1 / 3, 1 / 3, 1 / 3]);
  assertClose(new nn.Softmax(0)(x2) as Tensor, [0.5, 0.73105858, 0.88079708, 0.5, 0.26894142, 0.11920292]);
  assertClose(new nn.LogSoftmax(0)(x2) as Tensor, [-0.69314718, -0.31326169, -0.12692801, -0.69314718, -1.31326169, -2.12692801]);
  const m = new nn.Maxout(2)(f64([1, 5, 3, 2, -1, 0, 4, 4], [1, 4, 2, 1])) as Tensor;
  assert.deepEqual(m.shape, [1, 2, 2, 1]);
  assert.deepEqual(m.tolist(), [[[[3], [5]], [[4], [4]]]]);
  assert.deepEqual((new nn.Maxout(2, -1)(f64([1, 5, 3, 2], [1, 1, 1, 4])) as Tensor).tolist(), [[[[5, 3]]]]);
});

test('reprs follow Paddle\'s extra_repr', () => {
  const reprs: [paddle.nn.Layer, string][] = [
    [new nn.ELU(), 'ELU(alpha=1.0)'],
    [new nn.ELU(0.5, 'e'), 'ELU(alpha=0.5, name=e)'],
    [new nn.GELU(), 'GELU(approximate=False)'],
    [new nn.GELU(true), 'GELU(approximate=True)'],
    [new nn.Hardshrink(), 'Hardshrink(threshold=0.5)'],
    [new nn.Hardswish(), 'Hardswish()'],
    [new nn.Hardswish('hs'), 'Hardswish(name=hs)'],
    [new nn.Tanh(), 'Tanh()'],
    [new nn.Hardtanh(), 'Hardtanh(min=-1.0, max=1.0)'],
    [new nn.PReLU(), 'PReLU(num_parameters=1, data_format=NCHW, init=0.25, dtype=float32)'],
    [new nn.ReLU(), 'ReLU()'],
    [new nn.ReLU({ name: 'r' }), 'ReLU(name=r)'],
    [new nn.ReLU6(), 'ReLU6()'],
    [new nn.SELU(), 'SELU(scale=1.0507009873554805, alpha=1.6732632423543772)'],
    [new nn.LeakyReLU(), 'LeakyReLU(negative_slope=0.01)'],
    [new nn.LeakyReLU(0.2, 'lk'), 'LeakyReLU(negative_slope=0.2, name=lk)'],
    [new nn.Sigmoid(), 'Sigmoid()'],
    [new nn.Hardsigmoid(), 'Hardsigmoid()'],
    [new nn.Softmax(), 'Softmax(axis=-1)'],
    [new nn.LogSoftmax(1), 'LogSoftmax(axis=1)'],
    [new nn.Softplus(), 'Softplus(beta=1, threshold=20)'],
    [new nn.Softshrink(), 'Softshrink(threshold=0.5)'],
    [new nn.Softsign(), 'Softsign()'],
    [new nn.Swish(), 'Swish()'],
    [new nn.Tanhshrink(), 'Tanhshrink()'],
    [new nn.ThresholdedReLU(), 'ThresholdedReLU(threshold=1.0)'],
    [new nn.LogSigmoid(), 'LogSigmoid()'],
    [new nn.Maxout(2), 'Maxout(groups=2, axis=1)'],
    [new nn.Maxout(4, -1, 'mo'), 'Maxout(groups=4, axis=-1, name=mo)'],
  ];
  for (const [layer, want] of reprs) assert.equal(String(layer), want);
  const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.LeakyReLU(0.1));
  assert.equal(String(seq), 'Sequential(\n  (0): Linear(in_features=2, out_features=3, dtype=float32)\n  (1): ReLU()\n  (2): LeakyReLU(negative_slope=0.1)\n)');
});

test('PReLU: a `_weight` parameter of [num_parameters] set to init, trained by backward', () => {
  const pr = new nn.PReLU();
  assert.deepEqual(Object.keys(pr.state_dict()), ['_weight']);
  assert.equal(pr.parameters().length, 1);
  assert.deepEqual(pr._weight.shape, [1]);
  assert.equal(pr._weight.dtype, 'float32');
  assert.equal(pr._weight.stop_gradient, false);
  assertClose(pr._weight, [0.25]);
  const x = f32([[-2, 3], [1, -4]]);
  const y = pr(x) as Tensor;
  assertClose(y, [-0.5, 3, 1, -1]);
  paddle.sum(y).backward();
  // d/dw sum(w * min(x, 0)) = sum of the negative x
  assertClose(pr._weight.grad!, [-6]);
  // one weight per channel, initialized to init
  const pc = new nn.PReLU(3, 0.1);
  assertClose(pc._weight, [0.1, 0.1, 0.1]);
  const xc = f32([[[-1, 2], [-2, -3], [4, -5]]]);
  const yc = pc(xc) as Tensor;
  assertClose(yc, [-0.1, 2, -0.2, -0.3, 4, -0.5]);
  paddle.sum(paddle.multiply(yc, f32([[[1, 1], [2, 1], [1, 3]]]))).backward();
  assertClose(pc._weight.grad!, [-1, -7, -15]);
  // channel-last (from later Paddle versions)
  const pl = new nn.PReLU(2, 0.5, null, 'NLC');
  assert.equal(String(pl), 'PReLU(num_parameters=2, data_format=NLC, init=0.5, dtype=float32)');
  assertClose(pl(f32([[[-1, -2], [2, -4]]])) as Tensor, [-0.5, -1, 2, -2]);
  // weight_attr: a ParamAttr with a name and an initializer
  const pa = new nn.PReLU(2, 0.25, new paddle.ParamAttr({ name: 'slope', initializer: new nn.initializer.Constant(0.7) }), { name: 'p' });
  assert.equal(pa._weight.name, 'slope');
  assertClose(pa._weight, [0.7, 0.7]);
  assert.equal(String(pa), 'PReLU(num_parameters=2, data_format=NCHW, init=0.25, dtype=float32, name=p)');
  // float64 default dtype
  paddle.set_default_dtype('float64');
  try {
    assert.equal(new nn.PReLU()._weight.dtype, 'float64');
  } finally {
    paddle.set_default_dtype('float32');
  }
  assertThrows(() => pc(f32([[1, 2]])), E, /prelu.*one element per channel of x \(2/);
});

test('activation layer constructor errors', () => {
  assertThrows(() => new nn.ELU('a' as never), E, /paddle\.nn\.ELU.*alpha/);
  assertThrows(() => new nn.ReLU({ inplace: true } as never), E, /paddle\.nn\.ReLU.*unexpected keyword argument 'inplace'/);
  assertThrows(() => new nn.Maxout(), E, /paddle\.nn\.Maxout.*missing required argument 'groups'/);
  assertThrows(() => new nn.PReLU(0), E, /PReLU.*num_parameters must be at least 1/);
  assertThrows(() => new nn.PReLU(1, 0.25, null, 'NCWH' as never), E, /PReLU.*data_format/);
  assertThrows(() => new nn.Softmax(1.5), E, /Softmax.*axis/);
  assertThrows(() => new nn.Maxout(3)(f64(Array(8).fill(1), [1, 4, 2, 1])), E, /divisible by groups=3/);
});
