// paddle.nn.functional activations: every one against NumPy (incl. values on the thresholds
// and kinks), default and given arguments, the operator each appends (static mode), gradients
// by finite differences (first and, for the smooth ones, second order), in-place forms,
// maxout and prelu in both layouts, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { Tensor } from '../../../src/index.js';
import { run1 } from '../../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../../helpers/assert.js';
import { checkGrad } from '../../helpers/gradcheck.js';

const F = paddle.nn.functional;
const E = paddle.errors.InvalidArgumentError;
const f64 = (v: unknown, shape?: number[]): Tensor => {
  const t = paddle.to_tensor(v as number[], { dtype: 'float64' });
  return shape ? t.reshape(shape) : t;
};
const f32 = (v: unknown): Tensor => paddle.to_tensor(v as number[], { dtype: 'float32' });
/** ((i * a) % m - off) / div over the flat index (the NumPy script uses the same). */
function seq(shape: number[], a = 7, m = 11, off = 5, div = 4): Tensor {
  const n = shape.reduce((s, d) => s * d, 1);
  return paddle.to_tensor(Float64Array.from({ length: n }, (_, i) => (((i * a) % m) - off) / div)).reshape(shape);
}

const X = [-7, -3, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 3, 6, 7];
// NumPy in float64 (e.g. np.where(np.abs(x) > 0.5, x, 0) for hardshrink); keys name the case
const REF: Record<string, number[]> = {
  'elu': [-0.9990881180344455, -0.950212931632136, -0.6321205588285577, -0.3934693402873666, -0.22119921692859512, 0.0, 0.25, 0.5, 1.0, 3.0, 6.0, 7.0],
  'elu_0.2': [-0.19981762360688912, -0.19004258632642723, -0.12642411176571153, -0.07869386805747332, -0.04423984338571903, 0.0, 0.25, 0.5, 1.0, 3.0, 6.0, 7.0],
  'gelu': [-8.958667141456544e-12, -0.00404969409489031, -0.15865525393145707, -0.15426876936299344, -0.10032341857926907, 0.0, 0.14967658142073093, 0.34573123063700656, 0.8413447460685429, 2.99595030590511, 5.999999994080474, 6.999999999991041],
  'gelu_approx': [-2.3314683517128287e-15, -0.0036373920817729943, -0.1588080093917233, -0.15428599017485606, -0.100324649298315, 0.0, 0.149675350701685, 0.34571400982514394, 0.8411919906082768, 2.996362607918227, 5.9999999999156035, 6.999999999999997],
  'hardshrink': [-7.0, -3.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 3.0, 6.0, 7.0],
  'hardshrink_1': [-7.0, -3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 6.0, 7.0],
  'hardtanh': [-1.0, -1.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 1.0, 1.0, 1.0],
  'hardtanh_m2_3': [-2.0, -2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 3.0, 3.0, 3.0],
  'hardsigmoid': [0.0, 0.0, 0.3333333, 0.41666665, 0.458333325, 0.5, 0.541666675, 0.58333335, 0.6666667, 1.0, 1.0, 1.0],
  'hardsigmoid_02': [0.0, 0.0, 0.09999999999999998, 0.19999999999999998, 0.25, 0.3, 0.35, 0.4, 0.5, 0.9000000000000001, 1.0, 1.0],
  'hardswish': [-0.0, -0.0, -0.3333333333333333, -0.20833333333333334, -0.11458333333333333, 0.0, 0.13541666666666666, 0.2916666666666667, 0.6666666666666666, 3.0, 6.0, 7.0],
  'leaky_relu': [-0.07, -0.03, -0.01, -0.005, -0.0025, 0.0, 0.25, 0.5, 1.0, 3.0, 6.0, 7.0],
  'leaky_relu_0.2': [-1.4000000000000001, -0.6000000000000001, -0.2, -0.1, -0.05, 0.0, 0.25, 0.5, 1.0, 3.0, 6.0, 7.0],
  'log_sigmoid': [-7.000911466453774, -3.048587351573742, -1.3132616875182228, -0.9740769841801067, -0.8259394198788436, -0.6931471805599453, -0.5759394198788436, -0.4740769841801067, -0.31326168751822286, -0.04858735157374206, -0.0024756851377304495, -0.0009114664537742447],
  'relu': [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.5, 1.0, 3.0, 6.0, 7.0],
  'relu6': [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.5, 1.0, 3.0, 6.0, 6.0],
  'selu': [-1.7564961617648047, -1.6705687287671118, -1.1113307378125625, -0.6917581878028713, -0.3888901974781189, 0.0, 0.2626752468388701, 0.5253504936777402, 1.0507009873554805, 3.1521029620664414, 6.304205924132883, 7.354906911488364],
  'selu_2_0.5': [-0.9990881180344455, -0.950212931632136, -0.6321205588285577, -0.3934693402873666, -0.22119921692859512, 0.0, 0.5, 1.0, 2.0, 6.0, 12.0, 14.0],
  'sigmoid': [0.0009110511944006454, 0.04742587317756678, 0.2689414213699951, 0.3775406687981454, 0.43782349911420193, 0.5, 0.5621765008857981, 0.6224593312018546, 0.7310585786300049, 0.9525741268224334, 0.9975273768433653, 0.9990889488055994],
  'softplus': [0.0009114664537742447, 0.04858735157374206, 0.31326168751822286, 0.4740769841801067, 0.5759394198788436, 0.6931471805599453, 0.8259394198788436, 0.9740769841801067, 1.3132616875182228, 3.048587351573742, 6.00247568513773, 7.000911466453774],
  'softplus_2_4': [4.157641866918771e-07, 0.0012378425688652247, 0.06346400552148625, 0.15663084375911143, 0.23703849209005334, 0.34657359027997264, 0.48703849209005334, 0.6566308437591114, 1.0634640055214863, 3.0, 6.0, 7.0],
  'softshrink': [-6.5, -2.5, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 2.5, 5.5, 6.5],
  'softshrink_1': [-6.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 5.0, 6.0],
  'softsign': [-0.875, -0.75, -0.5, -0.3333333333333333, -0.2, 0.0, 0.2, 0.3333333333333333, 0.5, 0.75, 0.8571428571428571, 0.875],
  'swish': [-0.006377358360804518, -0.14227761953270035, -0.2689414213699951, -0.1887703343990727, -0.10945587477855048, 0.0, 0.14054412522144952, 0.3112296656009273, 0.7310585786300049, 2.8577223804673, 5.985164261060192, 6.993622641639195],
  'tanh': [-0.9999983369439447, -0.9950547536867305, -0.7615941559557649, -0.46211715726000974, -0.24491866240370913, 0.0, 0.24491866240370913, 0.46211715726000974, 0.7615941559557649, 0.9950547536867305, 0.9999877116507956, 0.9999983369439447],
  'tanhshrink': [-6.0000016630560555, -2.0049452463132695, -0.23840584404423515, -0.03788284273999026, -0.005081337596290869, 0.0, 0.005081337596290869, 0.03788284273999026, 0.23840584404423515, 2.0049452463132695, 5.000012288349204, 6.0000016630560555],
  'thresholded_relu': [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 6.0, 7.0],
  'thresholded_relu_0.25': [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 3.0, 6.0, 7.0],
  'brelu': [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.5, 1.0, 3.0, 6.0, 7.0],
  'brelu_1_3': [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 3.0],
};

type Fn = (x: Tensor) => Tensor;
const CASES: [string, Fn][] = [
  ['elu', (x) => F.elu(x)],
  ['elu_0.2', (x) => F.elu(x, 0.2)],
  ['gelu', (x) => F.gelu(x)],
  ['gelu_approx', (x) => F.gelu(x, { approximate: true })],
  ['hardshrink', (x) => F.hardshrink(x)],
  ['hardshrink_1', (x) => F.hardshrink(x, 1)],
  ['hardtanh', (x) => F.hardtanh(x)],
  ['hardtanh_m2_3', (x) => F.hardtanh(x, { min: -2, max: 3 })],
  ['hardsigmoid', (x) => F.hardsigmoid(x)],
  ['hardsigmoid_02', (x) => F.hardsigmoid(x, 0.2, 0.3)],
  ['hardswish', (x) => F.hardswish(x)],
  ['leaky_relu', (x) => F.leaky_relu(x)],
  ['leaky_relu_0.2', (x) => F.leaky_relu(x, { negative_slope: 0.2 })],
  ['log_sigmoid', (x) => F.log_sigmoid(x)],
  ['relu', (x) => F.relu(x)],
  ['relu6', (x) => F.relu6(x)],
  ['selu', (x) => F.selu(x)],
  ['selu_2_0.5', (x) => F.selu(x, 2, 0.5)],
  ['sigmoid', (x) => F.sigmoid(x)],
  ['softplus', (x) => F.softplus(x)],
  ['softplus_2_4', (x) => F.softplus(x, 2, 4)],
  ['softshrink', (x) => F.softshrink(x)],
  ['softshrink_1', (x) => F.softshrink(x, { threshold: 1 })],
  ['softsign', (x) => F.softsign(x)],
  ['swish', (x) => F.swish(x)],
  ['tanh', (x) => F.tanh(x)],
  ['tanhshrink', (x) => F.tanhshrink(x)],
  ['thresholded_relu', (x) => F.thresholded_relu(x)],
  ['thresholded_relu_0.25', (x) => F.thresholded_relu(x, 0.25)],
  ['brelu', (x) => F.brelu(x)],
  ['brelu_1_3', (x) => F.brelu(x, 1, 3)],
];

test('every activation matches NumPy in float64, on and around its thresholds', () => {
  for (const [key, fn] of CASES) {
    const out = fn(f64(X));
    assert.equal(out.dtype, 'float64', key);
    assert.deepEqual(out.shape, [12], key);
    // hardsigmoid's default slope is 0.1666667 (not 1/6), as in Paddle
    assertClose(out, REF[key], 1e-12, 1e-12, key);
  }
});

test('float32 inputs stay float32 (values from Paddle 2.0 docs)', () => {
  const cases: [Tensor, number[]][] = [
    [F.elu(f32([[-1, 6], [1, 15.6]]), 0.2), [-0.12642411, 6, 1, 15.6]],
    [F.gelu(f32([[-1, 0.5], [1, 1.5]])), [-0.15865529, 0.34573123, 0.84134471, 1.39978933]],
    [F.gelu(f32([[-1, 0.5], [1, 1.5]]), true), [-0.158808, 0.345714, 0.841192, 1.39957]],
    [F.hardshrink(f32([-1, 0.3, 2.5])), [-1, 0, 2.5]],
    [F.hardtanh(f32([-1.5, 0.3, 2.5])), [-1, 0.3, 1]],
    [F.hardsigmoid(f32([-4, 5, 1])), [0, 1, 0.666667]],
    [F.hardswish(f32([-4, 5, 1])), [0, 5, 0.666667]],
    [F.leaky_relu(f32([-2, 0, 1])), [-0.02, 0, 1]],
    [F.log_sigmoid(f32([1, 2, 3, 4])), [-0.313262, -0.126928, -0.0485874, -0.0181499]],
    [F.relu6(f32([-1, 0.3, 6.5])), [0, 0.3, 6]],
    [F.selu(f32([[0, 1], [2, 3]])), [0, 1.050701, 2.101402, 3.152103]],
    [F.softplus(f32([-0.4, -0.2, 0.1, 0.3])), [0.513015, 0.598139, 0.744397, 0.854355]],
    [F.softshrink(f32([-0.9, -0.2, 0.1, 0.8])), [-0.4, 0, 0, 0.3]],
    [F.softsign(f32([-0.4, -0.2, 0.1, 0.3])), [-0.285714, -0.166667, 0.0909091, 0.230769]],
    [F.swish(f32([-2, 0, 1])), [-0.238406, 0, 0.731059]],
    [F.tanhshrink(f32([-0.4, -0.2, 0.1, 0.3])), [-0.020051, -0.00262468, 0.000332005, 0.00868739]],
    [F.thresholded_relu(f32([2, 0, 1])), [2, 0, 0]],
    [F.tanh(f32([-0.4, -0.2, 0.1, 0.3])), [-0.37994896, -0.19737532, 0.09966799, 0.29131261]],
  ];
  for (const [out, want] of cases) {
    assert.equal(out.dtype, 'float32');
    assertClose(out, want, 1e-5, 1e-6);
  }
});

test('each activation appends Paddle 2.0\'s operator with its attribute names (static mode)', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const x = paddle.static.data('x', [null, 4], 'float32');
      F.hardtanh(x, -2, 2);
      F.hardsigmoid(x);
      F.leaky_relu(x);
      F.softshrink(x, 0.3);
      F.swish(x);
      F.relu6(x);
      F.hardswish(x);
      F.log_sigmoid(x);
      F.tanhshrink(x);
      F.maxout(paddle.static.data('m', [null, 4, 2, 2], 'float32'), 2, -1);
      F.prelu(x, paddle.static.data('w', [1], 'float32'));
    });
    const ops = main.global_block().ops;
    assert.deepEqual(
      ops.map((o) => o.type),
      ['brelu', 'hard_sigmoid', 'leaky_relu', 'softshrink', 'swish', 'relu6', 'hard_swish', 'logsigmoid', 'tanh_shrink', 'maxout', 'prelu'],
    );
    assert.equal(ops[0].attr('t_min'), -2);
    assert.equal(ops[0].attr('t_max'), 2);
    assertClose([ops[1].attr('slope') as number, ops[1].attr('offset') as number], [0.1666667, 0.5]);
    assertClose([ops[2].attr('alpha') as number], [0.01]);
    assertClose([ops[3].attr('lambda') as number], [0.3]);
    assert.equal(ops[4].attr('beta'), 1);
    assert.equal(ops[5].attr('threshold'), 6);
    assert.equal(ops[9].attr('axis'), 3); // -1 becomes 3, as Paddle's static path does
    assert.equal(ops[9].attr('groups'), 2);
    assert.equal(ops[10].attr('mode'), 'all');
  } finally {
    paddle.disable_static();
  }
});

test('gradients of every activation match finite differences', () => {
  // points away from each function's kinks (|x| = 0.5, 1, 3, 6...)
  const pts = f64([-4.1, -2.3, -1.2, -0.7, -0.35, -0.1, 0.15, 0.4, 0.8, 1.3, 2.6, 4.2, 6.4]);
  const fns: Fn[] = [
    (x) => F.elu(x, 0.7), (x) => F.gelu(x), (x) => F.gelu(x, true), (x) => F.hardshrink(x), (x) => F.hardtanh(x, -2, 2),
    (x) => F.hardsigmoid(x), (x) => F.hardswish(x), (x) => F.leaky_relu(x, 0.1), (x) => F.log_sigmoid(x), (x) => F.relu(x),
    (x) => F.relu6(x), (x) => F.selu(x), (x) => F.sigmoid(x), (x) => F.softplus(x, 2, 3), (x) => F.softshrink(x, 0.3),
    (x) => F.softsign(x), (x) => F.swish(x), (x) => F.tanh(x), (x) => F.tanhshrink(x), (x) => F.thresholded_relu(x, 0.5),
    (x) => F.brelu(x, -1, 2),
  ];
  for (const fn of fns) checkGrad(fn, [pts]);
  // second order for the smooth ones
  for (const fn of [(x: Tensor) => F.elu(x, 0.7), (x: Tensor) => F.gelu(x), (x: Tensor) => F.log_sigmoid(x), (x: Tensor) => F.selu(x), (x: Tensor) => F.softplus(x), (x: Tensor) => F.softsign(x), (x: Tensor) => F.swish(x), (x: Tensor) => F.tanhshrink(x)])
    checkGrad(fn, [pts], { second: true, rtol: 1e-3, atol: 1e-5 });
});

test('softmax / log_softmax with dtype, and the in-place forms relu_, elu_, softmax_, tanh_', () => {
  const x = f32([[2, 3, 4, 5]]);
  const s = F.softmax(x, { dtype: 'float64' });
  assert.equal(s.dtype, 'float64');
  assertClose(s, [0.0320586, 0.08714432, 0.23688282, 0.64391426]);
  assertClose(F.log_softmax(x, 0), [0, 0, 0, 0]);
  const a = f64([-1, 0.5, -2]);
  assert.equal(F.relu_(a), a);
  assert.deepEqual(a.tolist(), [0, 0.5, 0]);
  const b = f64([-1, 2]);
  assert.equal(F.elu_(b, 0.5), b);
  assertClose(b, [0.5 * Math.expm1(-1), 2], 1e-12);
  const c = f64([1, 2, 3]);
  F.softmax_(c);
  assertClose(c, [0.09003057, 0.24472847, 0.66524096]);
  const d = f64([0.5]);
  F.tanh_(d);
  assertClose(d, [Math.tanh(0.5)], 1e-12);
  // in place on a non-leaf keeps the gradient right (elu_ reads its output)
  const w = f64([-0.3, 0.7]);
  w.stop_gradient = false;
  const h = paddle.multiply(w, f64([2, 2]));
  const y = F.elu_(h, 1.5);
  paddle.sum(y).backward();
  assertClose(w.grad!, [2 * 1.5 * Math.exp(-0.6), 2], 1e-10);
  assertThrows(() => F.elu_(f64([1]), -0.5), E, /elu_.*alpha >= 0/);
});

test('maxout groups consecutive channels (NCHW and NHWC); its gradient routes to the first maximum', () => {
  const x = seq([2, 4, 2, 3]);
  const o = F.maxout(x, 2);
  assert.deepEqual(o.shape, [2, 2, 2, 3]);
  assertClose(o, [1.0, 0.5, -0.5, 1.25, 0.25, -0.75, 0.5, -0.5, 1.25, 0.25, -0.75, 1.0, -0.5, 1.25, 0.25, -0.75, 1.0, 0.0, 1.25, 0.25, -0.75, 1.0, 0.0, 1.25]);
  assertClose(F.maxout(x, 4), [1.0, 0.5, 1.25, 1.25, 0.25, 1.0, 1.25, 1.25, 0.25, 1.0, 1.0, 1.25]);
  // the values repeat, so some groups tie: the gradient goes to the first, as Paddle's functor
  const xg = seq([2, 4, 2, 3]);
  xg.stop_gradient = false;
  const dout = seq([2, 2, 2, 3], 3, 7, 3, 2);
  paddle.sum(paddle.multiply(F.maxout(xg, 2), dout)).backward();
  assertClose(xg.grad!, [0.0, 0.0, 1.5, -0.5, 1.0, -1.0, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, -1.5, 0.0, 1.5, -0.5, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.5, -1.5, 0.0, 1.5, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, -1.0, 0.5, -1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5]);
  const xl = seq([2, 2, 3, 4]);
  for (const axis of [3, -1]) {
    const ol = F.maxout(xl, 2, axis);
    assert.deepEqual(ol.shape, [2, 2, 3, 2]);
    assertClose(ol, [0.5, 1.25, 0.25, 1.0, 0.75, -0.25, 0.5, 1.25, 1.0, 0.0, 0.75, 0.5, 1.25, 0.25, 1.0, 0.75, -0.25, 0.5, 1.25, 1.0, 0.0, 0.75, 0.5, 1.25]);
  }
  const xlg = seq([2, 2, 3, 4]);
  xlg.stop_gradient = false;
  paddle.sum(paddle.multiply(F.maxout(xlg, 2, -1), seq([2, 2, 3, 2], 3, 7, 3, 2))).backward();
  assertClose(xlg.grad!, [0.0, -1.5, 0.0, 0.0, 1.5, 0.0, -0.5, 0.0, 0.0, 1.0, -1.0, 0.0, 0.5, 0.0, -1.5, 0.0, 0.0, 0.0, 1.5, 0.0, -0.5, 0.0, 0.0, 1.0, 0.0, -1.0, 0.5, 0.0, -1.5, 0.0, 0.0, 0.0, 1.5, 0.0, -0.5, 0.0, 1.0, 0.0, 0.0, -1.0, 0.5, 0.0, -1.5, 0.0, 0.0, 0.0, 0.0, 1.5]);
  // distinct values: finite differences, first and second order (through maxout_grad)
  const distinct = f64(Array.from({ length: 48 }, (_, i) => Math.sin(i * 1.7) * 3), [2, 4, 2, 3]);
  checkGrad((t) => F.maxout(t, 2), [distinct]);
  // the gradient is linear in the incoming gradient: maxout_grad's own rule
  const gradOf = (w: Tensor): Tensor => {
    const xx = distinct.clone();
    xx.stop_gradient = false;
    const y = paddle.sum(paddle.multiply(F.maxout(xx, 2), w));
    return paddle.grad([y], [xx], { create_graph: true })[0]!;
  };
  checkGrad(gradOf, [seq([2, 2, 2, 3], 3, 7, 3, 2)]);
  checkGrad((t) => F.maxout(t, 3, 3), [f64(Array.from({ length: 36 }, (_, i) => Math.cos(i * 2.3)), [1, 2, 3, 6])]);
});

test('maxout errors: axis, groups, channel divisibility, rank, dtype', () => {
  const x = seq([1, 4, 2, 2]);
  assertThrows(() => F.maxout(x, 2, 2), E, /maxout.*'axis' must be 1.*-1 or 3.*got 2/);
  assertThrows(() => F.maxout(x, 1), E, /maxout.*groups must be an integer larger than 1.*got 1/);
  assertThrows(() => F.maxout(x, 3), E, /maxout.*channels \(4.*divisible by groups=3/);
  assertThrows(() => F.maxout(seq([4, 2, 2]), 2), E, /maxout.*4-D/);
  assertThrows(() => F.maxout(paddle.ones([1, 4, 2, 2], 'int32'), 2), E, /maxout.*float32 or float64/);
  assertThrows(() => F.maxout(x), E, /missing required argument 'groups'/);
});

test('prelu: shared weight, one per channel (NCHW and channel-last), and the element mode of the operator', () => {
  const x = seq([2, 3, 2]);
  assertClose(F.prelu(x, f64([0.25])), [-0.3125, 0.5, -0.125, 1.25, 0.25, -0.1875, 1.0, 0.0, -0.25, 0.75, -0.0625, -0.3125]);
  assertClose(F.prelu(x, f64([0.1, 0.2, 0.3])), [-0.125, 0.5, -0.1, 1.25, 0.25, -0.225, 1.0, 0.0, -0.2, 0.75, -0.075, -0.375], 1e-12);
  const xl = seq([2, 2, 3]);
  assertClose(F.prelu(xl, f64([0.1, 0.2, 0.3]), 'NLC'), [-0.125, 0.5, -0.15, 1.25, 0.25, -0.225, 1.0, 0.0, -0.3, 0.75, -0.05, -0.375], 1e-12);
  const we = f64([-0.6, -0.1, 0.4, -0.4, 0.1, 0.6], [1, 3, 2]);
  assertClose(run1('prelu', { X: [x], Alpha: [we] }, { mode: 'element' }), [0.75, 0.5, -0.2, 1.25, 0.25, -0.45, 1.0, 0.0, -0.4, 0.75, -0.025, -0.75], 1e-12);
  // Paddle's docstring example
  const doc = f32([[[[-2.0, 3.0, -4.0, 5.0], [3.0, -4.0, 5.0, -6.0], [-7.0, -8.0, 8.0, 9.0]], [[1.0, -2.0, -3.0, 4.0], [-5.0, 6.0, 7.0, -8.0], [6.0, 7.0, 8.0, 9.0]]]]);
  assertClose(F.prelu(doc, f32([0.25])), [-0.5, 3, -1, 5, 3, -1, 5, -1.5, -1.75, -2, 8, 9, 1, -0.5, -0.75, 4, -1.25, 6, 7, -2, 6, 7, 8, 9]);
  // gradients for x and the weight in each mode (x away from 0)
  const xs = f64(Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.3 + 0.2) * 2), [2, 3, 4]);
  checkGrad((a, w) => F.prelu(a, w), [xs, f64([0.3])], { second: true });
  checkGrad((a, w) => F.prelu(a, w), [xs, f64([0.1, -0.2, 0.3])], { second: true });
  checkGrad((a, w) => F.prelu(a, w, 'NHWC'), [xs, f64([0.1, -0.2, 0.3, 0.5])]);
  checkGrad((a, w) => run1('prelu', { X: [a], Alpha: [w] }, { mode: 'element' }), [xs, f64(Array.from({ length: 12 }, (_, i) => i / 10 - 0.5), [1, 3, 4])]);
});

test('prelu errors: weight rank, size, dtype, data_format', () => {
  const x = seq([2, 3, 2]);
  assertThrows(() => F.prelu(x, f64([0.1, 0.2])), E, /prelu.*one element per channel of x \(3/);
  assertThrows(() => F.prelu(x, f64([0.1, 0.2, 0.3]), 'NHWC'), E, /prelu.*one element per channel of x \(2, the last dim/);
  assertThrows(() => F.prelu(x, f64([[0.1]])), E, /prelu.*'weight' must be 1-D/);
  assertThrows(() => F.prelu(x, f32([0.1])), E, /prelu.*'weight' must have x's dtype float64/);
  assertThrows(() => F.prelu(x, f64([0.1]), 'NWC' as never), E, /prelu.*data_format/);
  assertThrows(() => F.prelu(paddle.ones([3], 'int64'), f64([0.1])), E, /prelu.*'x' must be a float16, float32 or float64/);
});

test('activation argument errors', () => {
  const x = f64([1, 2]);
  assertThrows(() => F.selu(x, 1.0), E, /selu: The scale must be greater than 1.0. Received: 1/);
  assertThrows(() => F.selu(x, 1.5, -1), E, /selu: The alpha must be no less than zero/);
  assertThrows(() => F.softshrink(x, -0.1), E, /softshrink: The threshold must be no less than zero/);
  assertThrows(() => F.elu(paddle.to_tensor([1, 2])), E, /elu.*float16, float32 or float64 Tensor, but got int64/);
  assertThrows(() => F.leaky_relu(x, { slope: 0.1 } as never), E, /leaky_relu.*unexpected keyword argument 'slope'/);
  assertThrows(() => F.gelu(x, 1 as never), E, /gelu.*approximate/);
  assertThrows(() => F.hardtanh(x, 'a' as never), E, /hardtanh.*min/);
});
