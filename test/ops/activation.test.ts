// Activation operators run through dispatch (the nn.functional APIs are another module's):
// values from NumPy (formulas of Paddle's functors) and Paddle's docs, gradients by finite
// differences (first and second order), attribute defaults, dtypes and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatchInplace, run1 } from '../../src/core/dispatch.js';
import { getOp } from '../../src/core/registry.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const act = (type: string, x: Tensor, attrs: Record<string, unknown> = {}): Tensor => run1(type, { X: [x] }, { ...attrs });
const f64 = (v: number[]): Tensor => paddle.to_tensor(v, { dtype: 'float64' });

const X = [-2.5, -1.2, -0.3, 0.4, 1.1, 3.0, 7.5];
// NumPy, e.g. np.where(x > 0, x, np.expm1(x)) for elu, 0.5*x*(1+erf(x/sqrt(2))) for gelu
const REF: [string, Record<string, unknown>, number[]][] = [
  ['relu', {}, [0.0, 0.0, 0.0, 0.4, 1.1, 3.0, 7.5]],
  ['relu6', {}, [0.0, 0.0, 0.0, 0.4, 1.1, 3.0, 6.0]],
  ['relu6', { threshold: 2 }, [0.0, 0.0, 0.0, 0.4, 1.1, 2.0, 2.0]],
  ['leaky_relu', {}, [-0.05, -0.024, -0.006, 0.4, 1.1, 3.0, 7.5]],
  ['leaky_relu', { alpha: 0.1 }, [-0.25, -0.12, -0.03, 0.4, 1.1, 3.0, 7.5]],
  ['brelu', {}, [0.0, 0.0, 0.0, 0.4, 1.1, 3.0, 7.5]],
  ['brelu', { t_min: -1, t_max: 2 }, [-1.0, -1.0, -0.3, 0.4, 1.1, 2.0, 2.0]],
  ['hard_shrink', {}, [-2.5, -1.2, 0.0, 0.0, 1.1, 3.0, 7.5]],
  ['hard_shrink', { threshold: 1.5 }, [-2.5, 0.0, 0.0, 0.0, 0.0, 3.0, 7.5]],
  ['softshrink', {}, [-2.0, -0.7, 0.0, 0.0, 0.6000000000000001, 2.5, 7.0]],
  ['softshrink', { lambda: 1 }, [-1.5, -0.19999999999999996, 0.0, 0.0, 0.10000000000000009, 2.0, 6.5]],
  ['thresholded_relu', {}, [0.0, 0.0, 0.0, 0.0, 1.1, 3.0, 7.5]],
  ['thresholded_relu', { threshold: 0.35 }, [0.0, 0.0, 0.0, 0.4, 1.1, 3.0, 7.5]],
  ['hard_sigmoid', {}, [0.0, 0.26, 0.44, 0.5800000000000001, 0.72, 1.0, 1.0]],
  ['hard_sigmoid', { slope: 1 / 6, offset: 0.5 }, [0.08333333333333331, 0.30000000000000004, 0.45, 0.5666666666666667, 0.6833333333333333, 1.0, 1.0]],
  ['elu', {}, [-0.9179150013761012, -0.6988057880877979, -0.2591817793182821, 0.4, 1.1, 3.0, 7.5]],
  ['elu', { alpha: 0.5 }, [-0.4589575006880506, -0.34940289404389896, -0.12959088965914106, 0.4, 1.1, 3.0, 7.5]],
  ['elu', { alpha: -0.5 }, [0.0, 0.0, 0.0, 0.15408765117936485, 0.09791698802678339, -6.542768461593834, -896.0212072280316]],
  ['gelu', {}, [-0.015524163314440398, -0.13808360426605, -0.1146265733433142, 0.2621686966441297, 0.9507673329589791, 2.99595030590511, 7.49999999999976]],
  ['gelu', { approximate: true }, [-0.015084266089998577, -0.13829723086213513, -0.11462907645724076, 0.2621611694273562, 0.9505810461745109, 2.996362607918227, 7.5]],
  ['sigmoid', {}, [0.07585818002124355, 0.23147521650098238, 0.425557483188341, 0.598687660112452, 0.7502601055951177, 0.9525741268224334, 0.9994472213630764]],
  ['logsigmoid', {}, [-2.5788897342925496, -1.4632824673380311, -0.8543552444685271, -0.5130152523999526, -0.2873353251154307, -0.04858735157374191, -0.0005529314753607978]],
  ['hard_swish', {}, [-0.20833333333333334, -0.36000000000000004, -0.135, 0.22666666666666668, 0.7516666666666666, 3.0, 7.5]],
  ['hard_swish', { threshold: 4, scale: 5, offset: 2 }, [-0.0, -0.192, -0.10200000000000001, 0.192, 0.6820000000000002, 2.4, 6.0]],
  ['softplus', {}, [0.07888973429254963, 0.2632824673380312, 0.5543552444685271, 0.9130152523999526, 1.3873353251154308, 3.048587351573742, 7.500552931475361]],
  ['softplus', { beta: 2, threshold: 3 }, [0.003357674244559034, 0.04341807607697484, 0.2187439752429428, 0.5855503329738889, 1.152541659884348, 3.0, 7.5]],
  ['softsign', {}, [-0.7142857142857143, -0.5454545454545454, -0.23076923076923075, 0.28571428571428575, 0.5238095238095238, 0.75, 0.8823529411764706]],
  ['swish', {}, [-0.18964545005310887, -0.27777025980117886, -0.1276672449565023, 0.2394750640449808, 0.8252861161546295, 2.8577223804673, 7.495854160223073]],
  ['swish', { beta: 2 }, [-0.01673212731071214, -0.09980723579270685, -0.10630310813226136, 0.275989792451045, 0.9902744619683463, 2.992582130530096, 7.499997705733297]],
  ['tanh_shrink', {}, [-1.5133857018485697, -0.36634539298784474, -0.008687387548409087, 0.020051037744775124, 0.2995009782393704, 2.0049452463132695, 6.500000611804454]],
  ['selu', {}, [-1.6137857588732423, -1.2285699954174891, -0.4556673153791221, 0.4202803949421922, 1.1557710860910286, 3.1521029620664414, 7.880257405166104]],
  ['selu', { scale: 1.5, alpha: 2 }, [-2.7537450041283034, -2.096417364263394, -0.7775453379548464, 0.6000000000000001, 1.6500000000000001, 4.5, 11.25]],
  ['mish', {}, [-0.19681620390653332, -0.3088357963148625, -0.15113317713833455, 0.2890305340723632, 0.9708415798947235, 2.986535004967957, 7.499995416538079]],
  ['soft_relu', {}, [0.07888973429254963, 0.2632824673380312, 0.5543552444685271, 0.9130152523999526, 1.3873353251154308, 3.048587351573742, 7.500552931475361]],
  ['soft_relu', { threshold: 1 }, [0.31326168751822286, 0.31326168751822286, 0.5543552444685271, 0.9130152523999526, 1.3132616875182228, 1.3132616875182228, 1.3132616875182228]],
];

test('every activation matches NumPy in float64, with default and given attributes', () => {
  for (const [type, attrs, want] of REF) {
    const out = act(type, f64(X), attrs);
    assert.equal(out.dtype, 'float64', type);
    assert.deepEqual(out.shape, [7], type);
    assertClose(out, want, 1e-12, 1e-14, `${type} ${JSON.stringify(attrs)}`);
  }
});

test('float32 and float16 keep their dtype; values from Paddle 2.0 docs', () => {
  const x = paddle.to_tensor([-0.4, -0.2, 0.1, 0.3]);
  // printed in the docs of F.sigmoid, F.log_sigmoid, F.tanhshrink, F.softplus, F.softsign
  assertClose(act('sigmoid', x), [0.40131234, 0.450166, 0.52497919, 0.57444252], 1e-6);
  assertClose(act('logsigmoid', x), [-0.91301525, -0.79813887, -0.64439666, -0.55435524], 1e-6);
  assertClose(act('tanh_shrink', x), [-0.020051, -0.00262468, 0.000332005, 0.00868739], 1e-5);
  assertClose(act('softplus', x), [0.513015, 0.598139, 0.744397, 0.854355], 1e-5);
  assertClose(act('softsign', x), [-0.285714, -0.166667, 0.0909091, 0.230769], 1e-5);
  assert.equal(act('gelu', x).dtype, 'float32');
  // F.hardshrink docs: [-1, 0.3, 2.5] -> [-1., 0., 2.5]; F.relu6 docs: [-1, 0.3, 6.5] -> [0, 0.3, 6]
  assertClose(act('hard_shrink', paddle.to_tensor([-1, 0.3, 2.5])), [-1, 0, 2.5]);
  assertClose(act('relu6', paddle.to_tensor([-1, 0.3, 6.5])), [0, 0.3, 6]);
  // F.elu docs: [[-1, 6], [1, 15.6]], alpha 0.2 -> [[-0.12642411, 6.], [1., 15.6]]
  assertClose(act('elu', paddle.to_tensor([[-1, 6], [1, 15.6]]), { alpha: 0.2 }), [[-0.12642411, 6], [1, 15.6]], 1e-6);
  // F.gelu docs: [[-1, 0.5], [1, 1.5]] -> approximate [[-0.158655, 0.345731], [0.841345, 1.39979]], exact [[-0.158655, 0.345731], [0.841345, 1.39979]]
  const g = paddle.to_tensor([[-1, 0.5], [1, 1.5]]);
  assertClose(act('gelu', g, { approximate: true }), [[-0.158808, 0.345714], [0.841192, 1.39957]], 1e-4);
  assertClose(act('gelu', g), [[-0.158655, 0.345731], [0.841345, 1.39979]], 1e-5);
  // F.selu docs: [[0, 1], [2, 3]] -> [[0, 1.050701], [2.101402, 3.152103]]
  assertClose(act('selu', paddle.to_tensor([[0, 1], [2, 3]], { dtype: 'float32' })), [[0, 1.050701], [2.101402, 3.152103]], 1e-6);
  // float16 computes in float32 and rounds to half
  const h = act('sigmoid', paddle.to_tensor([-1, 0, 2], { dtype: 'float16' }));
  assert.equal(h.dtype, 'float16');
  assertClose(h, [0.2689, 0.5, 0.8809], 1e-3);
  assertClose(act('relu', paddle.to_tensor([-1, 0.5], { dtype: 'float16' })), [0, 0.5]);
});

test('attribute defaults are Paddle 2.0 operator defaults', () => {
  const defaults: Record<string, Record<string, unknown>> = {
    relu6: { threshold: 6 },
    leaky_relu: { alpha: 0.02 },
    elu: { alpha: 1 },
    gelu: { approximate: false },
    brelu: { t_min: 0, t_max: 24 },
    hard_sigmoid: { slope: 0.2, offset: 0.5 },
    hard_swish: { threshold: 6, scale: 6, offset: 3 },
    hard_shrink: { threshold: 0.5 },
    softshrink: { lambda: 0.5 },
    softplus: { beta: 1, threshold: 20 },
    swish: { beta: 1 },
    thresholded_relu: { threshold: 1 },
    soft_relu: { threshold: 40 },
    mish: { threshold: 20 },
    stanh: { scale_a: 0.67, scale_b: 1.7159 },
  };
  for (const [type, want] of Object.entries(defaults)) {
    const got = Object.fromEntries(Object.entries(getOp(type).attrs).map(([k, s]) => [k, s.default]));
    assert.deepEqual(got, want, type);
    assert.deepEqual(getOp(type).inputs.map((s) => s.name), ['X'], type);
    assert.deepEqual(getOp(type).outputs.map((s) => s.name), ['Out'], type);
  }
  const selu = getOp('selu').attrs;
  assert.ok(Math.abs((selu.scale.default as number) - 1.0507009873554805) < 1e-15);
  assert.ok(Math.abs((selu.alpha.default as number) - 1.6732632423543772) < 1e-15);
  assert.deepEqual(getOp('relu_grad').inputs.map((s) => s.name), ['Out', 'Out@GRAD']);
  assert.deepEqual(getOp('leaky_relu_grad').inputs.map((s) => s.name), ['X', 'Out@GRAD']);
  assert.deepEqual(getOp('leaky_relu_grad').outputs.map((s) => s.name), ['X@GRAD']);
});

// Inputs away from every kink (0, +-0.5, +-1, +-2.5, +-3, 6) used below.
const XG = [-3.7, -2.2, -1.3, -0.45, -0.1, 0.15, 0.7, 1.35, 2.1, 3.3, 6.4];

test('gradients of every activation match finite differences', () => {
  for (const [type, attrs] of REF) {
    checkGrad((x) => act(type, x, attrs), [f64(XG)]);
  }
  // leaky_relu with alpha > 1 and hard_swish with a negative offset
  checkGrad((x) => act('leaky_relu', x, { alpha: 1.7 }), [f64(XG)]);
  checkGrad((x) => act('hard_swish', x, { offset: -0.3 }), [f64(XG)]);
  // softplus and mish past their thresholds (linear there)
  checkGrad((x) => act('softplus', x, { threshold: 1 }), [f64(XG)]);
  const m = f64([-3.1, -1.5, 0.3, 2.6, 4]);
  // NumPy: x * tanh(where(x > 2, x, where(x < -2, exp(x), log1p(exp(x)))))
  assertClose(act('mish', m, { threshold: 2 }), [-0.1395581323407343, -0.29809974216680674, 0.20800137234811503, 2.571471245722858, 3.997317198956268], 1e-12);
  checkGrad((x) => act('mish', x, { threshold: 2 }), [m], { second: true });
});

test('second-order gradients (gradients of the gradient rules) match finite differences', () => {
  const smooth = ['elu', 'gelu', 'sigmoid', 'logsigmoid', 'hard_swish', 'softplus', 'softsign', 'swish', 'tanh_shrink', 'selu', 'mish', 'soft_relu'];
  for (const type of smooth) checkGrad((x) => act(type, x), [f64(XG)], { second: true, rtol: 1e-3, atol: 1e-5 });
  checkGrad((x) => act('gelu', x, { approximate: true }), [f64(XG)], { second: true, rtol: 1e-3, atol: 1e-5 });
  checkGrad((x) => act('elu', x, { alpha: -0.5 }), [f64(XG)], { second: true, rtol: 1e-3, atol: 1e-5 });
  // piecewise-linear: act(x) * x, so the first gradient feeds x into the mask grad op's dOut
  // and the second order checks that op's own gradient rule
  for (const type of ['relu', 'relu6', 'leaky_relu', 'brelu', 'hard_shrink', 'softshrink', 'thresholded_relu', 'hard_sigmoid'])
    checkGrad((x) => paddle.multiply(act(type, x), x), [f64(XG)], { second: true });
});

test('mask gradient operators: values, and their gradient with respect to dOut', () => {
  const x = f64([-2, -0.5, 0.25, 3, 7]);
  const g = f64([1, 2, 3, 4, 5]);
  const grad = (type: string, src: string, attrs: Record<string, unknown> = {}): Tensor =>
    run1(`${type}_grad`, { [src]: [x], 'Out@GRAD': [g] }, attrs, 'X@GRAD');
  assert.deepEqual(grad('relu', 'Out').tolist(), [0, 0, 3, 4, 5]);
  assert.deepEqual(grad('relu6', 'Out').tolist(), [0, 0, 3, 4, 0]);
  assert.deepEqual(grad('leaky_relu', 'X', { alpha: 0.5 }).tolist(), [0.5, 1, 3, 4, 5]);
  assert.deepEqual(grad('brelu', 'X', { t_min: -1, t_max: 5 }).tolist(), [0, 2, 3, 4, 0]);
  assert.deepEqual(grad('hard_shrink', 'X', { threshold: 0.4 }).tolist(), [1, 2, 0, 4, 5]);
  assert.deepEqual(grad('softshrink', 'X', { lambda: 0.3 }).tolist(), [1, 2, 0, 4, 5]);
  assert.deepEqual(grad('thresholded_relu', 'X').tolist(), [0, 0, 0, 4, 5]);
  assert.deepEqual(run1('hard_sigmoid_grad', { Out: [f64([0, 0.5, 1, 0.25])], 'Out@GRAD': [f64([1, 2, 3, 4])] }, { slope: 0.5 }, 'X@GRAD').tolist(), [0, 1, 0, 2]);
  // d/d(dOut) of sum(relu_grad(out, dOut) * w) is w masked
  checkGrad((d) => run1('relu_grad', { Out: [x], 'Out@GRAD': [d] }, {}, 'X@GRAD'), [g]);
  checkGrad((d) => run1('leaky_relu_grad', { X: [x], 'Out@GRAD': [d] }, { alpha: 0.3 }, 'X@GRAD'), [g]);
});

test('in-place activation keeps a correct gradient (relu and elu read only Out)', () => {
  for (const type of ['relu', 'elu', 'tanh']) {
    const w = paddle.to_tensor([-1.5, -0.2, 0.3, 2], { dtype: 'float64', stop_gradient: false });
    const y = paddle.multiply(w, f64([1, 1, 1, 1]));
    dispatchInplace(type, { X: [y] }, {}, y);
    paddle.sum(paddle.multiply(y, f64([1, 2, 3, 4]))).backward();
    const ref = paddle.to_tensor([-1.5, -0.2, 0.3, 2], { dtype: 'float64', stop_gradient: false });
    paddle.sum(paddle.multiply(act(type, ref), f64([1, 2, 3, 4]))).backward();
    assertClose(w.grad!, ref.grad!, 1e-12, 1e-14, type);
  }
});

test('the grad of relu at a kink and of NaN follows Paddle (out > 0 mask)', () => {
  const x = paddle.to_tensor([0, -0, NaN, 1], { dtype: 'float64', stop_gradient: false });
  const y = act('relu', x);
  assert.ok(Number.isNaN((y.tolist() as number[])[2]));
  paddle.sum(y).backward();
  assert.deepEqual(x.grad!.tolist(), [0, 0, 0, 1]);
});

test('errors: non-float input, bad attribute types, mismatched gradient inputs', () => {
  const i = paddle.to_tensor([1, 2, 3]);
  for (const type of ['relu', 'sigmoid', 'gelu', 'leaky_relu', 'hard_swish', 'mish', 'selu'])
    assertThrows(() => act(type, i), paddle.errors.InvalidArgumentError, new RegExp(`input X has dtype int64, but ${type} supports only float16, float32, float64`));
  assertThrows(() => act('relu', paddle.to_tensor([true])), paddle.errors.InvalidArgumentError, /dtype bool/);
  const x = paddle.to_tensor([1, 2], { dtype: 'float32' });
  assertThrows(() => act('leaky_relu', x, { alpha: 'big' }), paddle.errors.InvalidArgumentError, /leaky_relu/, /attribute alpha must be a number, but got "big"/);
  assertThrows(() => act('gelu', x, { approximate: 1 }), paddle.errors.InvalidArgumentError, /attribute approximate must be a boolean/);
  assertThrows(
    () => run1('relu_grad', { Out: [x], 'Out@GRAD': [paddle.to_tensor([1, 2, 3], { dtype: 'float32' })] }, {}, 'X@GRAD'),
    paddle.errors.InvalidArgumentError,
    /relu_grad/,
    /must have the same shape/,
  );
  assertThrows(
    () => run1('relu_grad', { Out: [x], 'Out@GRAD': [paddle.to_tensor([1, 2], { dtype: 'float64' })] }, {}, 'X@GRAD'),
    paddle.errors.InvalidArgumentError,
    /same dtype/,
  );
});
