// paddle.nn.utils.weight_norm / remove_weight_norm: the g/v parameters and their values (NumPy:
// g = sqrt(sum of v^2 over every dim but `dim` + 1e-12), w = g * v / ||v||), dims 0, 1, last,
// middle (transposed), None/-1 and negative, on Linear and Conv2D weights; gradients to g and v
// (checkGrad on the composite); removal; the errors Paddle raises.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { _weight_norm } from '../../src/nn/utils/weight_norm_hook.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const nn = paddle.nn;
type Tensor = paddle.Tensor;
type WN = { weight: Tensor; weight_g: Tensor; weight_v: Tensor };

const W = [[1, 2], [3, -4], [0.5, 6]];
const C = Array.from({ length: 24 }, (_, i) => i / 10 - 1);

function linear(): InstanceType<typeof nn.Linear> {
  const fc = new nn.Linear(3, 2);
  fc.weight.set_value(W);
  fc.bias!.set_value([0.5, -0.5]);
  return fc;
}
function conv(): InstanceType<typeof nn.Conv2D> {
  const cv = new nn.Conv2D(2, 3, 2);
  cv.weight.set_value(paddle.to_tensor(C, { dtype: 'float32' }).reshape([3, 2, 2, 2]));
  return cv;
}

test('weight_norm on Linear, dim=0: weight_v, weight_g, the recomputed weight and the forward', () => {
  const fc = linear();
  const out = nn.utils.weight_norm(fc);
  assert.equal(out, fc);
  const l = fc as unknown as WN;
  assert.deepEqual(l.weight_g.shape, [3]);
  assert.deepEqual(l.weight_v.shape, [3, 2]);
  assertClose(l.weight_g, [2.23606798, 5.0, 6.02079729]);
  assertClose(l.weight_v, W);
  assertClose(l.weight, W);
  assert.equal(l.weight_g.stop_gradient, false);
  assert.equal(l.weight_v.stop_gradient, false);
  // the weight is now a plain (non-persistable) tensor; g and v are the parameters
  assert.deepEqual(Object.keys(fc.state_dict()), ['bias', 'weight_v', 'weight_g']);
  assert.equal(fc.parameters().length, 3);
  // the pre-hook recomputes the weight from g and v before forward
  l.weight_g.set_value(paddle.to_tensor([2, 1, 0.5], { dtype: 'float32' }));
  const y = fc(paddle.to_tensor([[1, -1, 2]], { dtype: 'float32' }));
  const w = [[0.8944271909998265, 1.788854381999653], [0.5999999999999881, -0.7999999999999841], [0.04152273992686941, 0.4982728791224329]];
  assertClose(l.weight, w);
  assertClose(y, [[0.3774726708535772 + 0.5, 3.5854001402445026 - 0.5]]);
});

test('weight_norm on Linear, dim=1 (the last dim) and dim=None / -1 (whole tensor)', () => {
  const a = nn.utils.weight_norm(linear(), 'weight', 1) as unknown as WN;
  assert.deepEqual(a.weight_g.shape, [2]);
  assertClose(a.weight_g, [3.20156212, 7.48331477]);
  assertClose(a.weight, W);
  const b = nn.utils.weight_norm(linear(), { dim: null }) as unknown as WN;
  assert.deepEqual(b.weight_g.shape, [1]);
  assertClose(b.weight_g, [8.139410298049913]);
  assertClose(b.weight, W);
  const c = nn.utils.weight_norm(linear(), 'weight', -1) as unknown as WN; // -1 is the whole tensor, as None
  assert.deepEqual(c.weight_g.shape, [1]);
  const d = nn.utils.weight_norm(linear(), 'weight', -2) as unknown as WN; // -2 -> 0
  assertClose(d.weight_g, [2.23606798, 5.0, 6.02079729]);
});

test('weight_norm on Conv2D weights: dims 0, 1 (transposed), 2, 3, None and negative', () => {
  const gs: [number | null, number[]][] = [
    [0, [1.9493588689620496, 0.7745966692421288, 2.7640549922172317]],
    [1, [2.3021728866444846, 2.5961509971496266]],
    [2, [2.379075450674274, 2.525866188063216]],
    [3, [2.4166091947191215, 2.489979919597947]],
    [-3, [2.3021728866444846, 2.5961509971496266]],
    [null, [Math.sqrt(C.reduce((s, x) => s + x * x, 0))]],
  ];
  for (const [dim, g] of gs) {
    const l = nn.utils.weight_norm(conv(), { dim }) as unknown as WN;
    assertClose(l.weight_g, g, 1e-5, 1e-6, `dim ${dim}`);
    assert.deepEqual(l.weight_v.shape, [3, 2, 2, 2]);
    assertClose(l.weight, C, 1e-5, 1e-6, `dim ${dim}`);
  }
  // the weight for new g (NumPy: g * v / ||v||)
  const cases: [number | null, number[], number[]][] = [
    [1, [1, 2], [-0.43437224, -0.39093502, -0.34749779, -0.30406057, -0.46222273, -0.38518561, -0.30814849, -0.23111136, -0.08687445, -0.04343722, 0.0, 0.04343722, 0.15407424, 0.23111136, 0.30814849, 0.38518561, 0.26062335, 0.30406057, 0.34749779, 0.39093502, 0.77037122, 0.84740834, 0.92444546, 1.00148258]],
    [2, [1, -1], [-0.42033135, -0.37829822, 0.31672303, 0.27713265, -0.25219881, -0.21016568, 0.15836152, 0.11877114, -0.08406627, -0.04203314, -0.0, -0.03959038, 0.08406627, 0.12609941, -0.15836152, -0.1979519, 0.25219881, 0.29423195, -0.31672303, -0.35631341, 0.42033135, 0.46236449, -0.47508455, -0.51467493]],
    [null, [2], [-0.57639042, -0.51875138, -0.46111233, -0.40347329, -0.34583425, -0.28819521, -0.23055617, -0.17291713, -0.11527808, -0.05763904, 0.0, 0.05763904, 0.11527808, 0.17291713, 0.23055617, 0.28819521, 0.34583425, 0.40347329, 0.46111233, 0.51875138, 0.57639042, 0.63402946, 0.6916685, 0.74930754]],
  ];
  for (const [dim, g, w] of cases) {
    const cv = nn.utils.weight_norm(conv(), { dim });
    const l = cv as unknown as WN;
    l.weight_g.set_value(paddle.to_tensor(g, { dtype: 'float32' }));
    const x = paddle.ones([1, 2, 2, 2]);
    const y = cv(x);
    assertClose(l.weight, w, 1e-5, 1e-6, `dim ${dim}`);
    // one output pixel per channel: the sum of that channel's weights plus the bias (0)
    const sums = [0, 1, 2].map((o) => w.slice(o * 8, o * 8 + 8).reduce((s, v) => s + v, 0));
    assertClose(y.reshape([3]), sums, 1e-5, 1e-5, `dim ${dim}`);
  }
});

test('gradients reach weight_g and weight_v (checkGrad of g * v / ||v||)', () => {
  const v4 = paddle.to_tensor(paddle.to_tensor(C.map((x, i) => x + 0.05 * (i % 3)), { dtype: 'float64' }).reshape([3, 2, 2, 2]).tolist() as never, { dtype: 'float64' });
  for (const [dim, glen] of [[0, 3], [1, 2], [2, 2], [3, 2], [-1, 1]] as const) {
    const g = paddle.to_tensor(Array.from({ length: glen }, (_, i) => 0.7 + 0.3 * i), { dtype: 'float64' });
    checkGrad((v, gg) => _weight_norm(v, gg, dim), [v4, g]);
  }
  const v2 = paddle.to_tensor(W, { dtype: 'float64' });
  checkGrad((v, gg) => _weight_norm(v, gg, 0), [v2, paddle.to_tensor([1.5, 0.5, 2], { dtype: 'float64' })]);
  // through the layer: backward fills both parameters' gradients with the composite's
  const fc = nn.utils.weight_norm(linear());
  const l = fc as unknown as WN;
  fc(paddle.to_tensor([[1, -1, 2]], { dtype: 'float32' })).sum().backward();
  const v = paddle.to_tensor(W, { dtype: 'float32', stop_gradient: false });
  const g = paddle.to_tensor([2.23606798, 5.0, 6.02079729], { dtype: 'float32', stop_gradient: false });
  paddle.matmul(paddle.to_tensor([[1, -1, 2]], { dtype: 'float32' }), _weight_norm(v, g, 0)).sum().backward();
  assertClose(l.weight_g.grad!, g.grad!);
  assertClose(l.weight_v.grad!, v.grad!);
  // by hand: dL/dg_i = x_i * sum_j v_ij / ||v_i|| for L = sum(x @ w)
  assertClose(l.weight_g.grad!, [(1 * 3) / 2.23606798, (-1 * -1) / 5, (2 * 6.5) / 6.02079729]);
});

test('remove_weight_norm restores a plain parameter holding the current weight', () => {
  const fc = nn.utils.weight_norm(linear());
  const l = fc as unknown as WN;
  l.weight_g.set_value(paddle.to_tensor([2, 1, 0.5], { dtype: 'float32' }));
  const out = nn.utils.remove_weight_norm(fc);
  assert.equal(out, fc);
  assert.deepEqual(Object.keys(fc.state_dict()), ['bias', 'weight']);
  assert.equal(fc._forward_pre_hooks.size, 0);
  assert.equal('weight_g' in fc, false);
  assert.equal('weight_v' in fc, false);
  assert.ok(fc.parameters().includes(fc.weight));
  assert.equal(fc.weight.stop_gradient, false);
  const w = [[0.8944271909998265, 1.788854381999653], [0.5999999999999881, -0.7999999999999841], [0.04152273992686941, 0.4982728791224329]];
  assertClose(fc.weight, w);
  const y = fc(paddle.to_tensor([[1, -1, 2]], { dtype: 'float32' }));
  assertClose(y, [[0.3774726708535772 + 0.5, 3.5854001402445026 - 0.5]]);
  // weight_norm can be applied again after removal
  nn.utils.weight_norm(fc, 'weight', 1);
  assertClose((fc as unknown as WN).weight, w);
  nn.utils.remove_weight_norm(fc, { name: 'weight' });
});

test('weight_norm errors', () => {
  const fc = nn.utils.weight_norm(linear());
  assertThrows(() => nn.utils.weight_norm(fc), paddle.errors.PreconditionNotMetError, /weight_norm/, /Cannot register two weight_norm hooks on the same parameter weight/);
  assertThrows(() => nn.utils.weight_norm(linear(), 'weight', 2), paddle.errors.InvalidArgumentError, /dim must set between \[-R, R\)/);
  assertThrows(() => nn.utils.weight_norm(linear(), 'weight', -3), paddle.errors.InvalidArgumentError, /dim must set between/);
  assertThrows(() => nn.utils.weight_norm(linear(), 'kernel'), paddle.errors.NotFoundError, /no parameter 'kernel'/);
  assertThrows(() => nn.utils.weight_norm(paddle.ones([2]) as never), paddle.errors.InvalidArgumentError, /argument 'layer' expected a Layer/);
  assertThrows(() => nn.utils.remove_weight_norm(linear()), paddle.errors.NotFoundError, /remove_weight_norm/, /weight_norm of 'weight' not found in Linear/);
  assertThrows(() => nn.utils.remove_weight_norm(fc, 'bias'), paddle.errors.NotFoundError, /weight_norm of 'bias' not found/);
});
