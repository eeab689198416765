// paddle.abs & co (elementwise unary math), pow, scale, neg, stanh, increment: values from
// Paddle's docs and NumPy / Python's math, gradients by finite differences, dtypes, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { run1 } from '../../src/core/dispatch.js';
import { getOp } from '../../src/core/registry.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const f64 = (v: number[]): Tensor => paddle.to_tensor(v, { dtype: 'float64' });
type Fn = (x: Tensor) => Tensor;

test('values printed in the Paddle 2.0 docs (x = [-0.4, -0.2, 0.1, 0.3], float32)', () => {
  const x = paddle.to_tensor([-0.4, -0.2, 0.1, 0.3]);
  const docs: [Fn, number[]][] = [
    [paddle.abs, [0.4, 0.2, 0.1, 0.3]],
    [paddle.exp, [0.67032005, 0.81873075, 1.10517092, 1.34985881]],
    [paddle.square, [0.16, 0.04, 0.01, 0.09]],
    [paddle.reciprocal, [-2.5, -5, 10, 3.33333333]],
    [paddle.sin, [-0.38941834, -0.19866933, 0.09983342, 0.29552021]],
    [paddle.cos, [0.92106099, 0.98006658, 0.99500417, 0.95533649]],
    [paddle.tan, [-0.42279324, -0.20271005, 0.10033467, 0.30933627]],
    [paddle.asin, [-0.41151685, -0.20135792, 0.10016742, 0.30469265]],
    [paddle.acos, [1.98231317, 1.77215425, 1.47062891, 1.26610367]],
    [paddle.atan, [-0.38050638, -0.19739556, 0.09966865, 0.29145679]],
    [paddle.sinh, [-0.41075233, -0.201336, 0.10016675, 0.30452029]],
    [paddle.cosh, [1.08107237, 1.02006676, 1.00500417, 1.04533851]],
    [paddle.tanh, [-0.37994896, -0.19737532, 0.09966799, 0.29131261]],
    [paddle.floor, [-1, -1, 0, 0]],
    [paddle.ceil, [-0, -0, 1, 1]],
    // math.erf of the float32 inputs
    [paddle.erf, [-0.42839235067367554, -0.22270259261131287, 0.11246291548013687, 0.3286267817020416]],
  ];
  for (const [fn, want] of docs) {
    const out = fn(x);
    assert.equal(out.dtype, 'float32', fn.name);
    assert.deepEqual(out.shape, [4], fn.name);
    assertClose(out, want, 1e-6, 1e-7, fn.name);
  }
  assertClose(paddle.sqrt(paddle.to_tensor([0.1, 0.2, 0.3, 0.4])), [0.31622777, 0.4472136, 0.54772256, 0.63245553], 1e-6);
  assertClose(paddle.rsqrt(paddle.to_tensor([0.1, 0.2, 0.3, 0.4])), [3.16227766, 2.23606798, 1.82574186, 1.58113883], 1e-6);
  // round halves away from zero: [-0.5, -0.2, 0.6, 1.5] -> [-1, -0, 1, 2]
  assert.deepEqual(paddle.round(paddle.to_tensor([-0.5, -0.2, 0.6, 1.5])).tolist(), [-1, -0, 1, 2]);
  assert.ok(Object.is((paddle.ceil(x).tolist() as number[])[0], -0));
  assert.deepEqual(paddle.sign(paddle.to_tensor([3.0, 0.0, -2.0, 1.7])).tolist(), [1, 0, -1, 1]);
  assertClose(paddle.log1p(paddle.to_tensor([[0], [1]], { dtype: 'float32' })), [[0], [0.6931472]], 1e-6);
  assertClose(paddle.log2(paddle.to_tensor([[1.0], [2.0]], { dtype: 'float32' })), [[0], [1]]);
  assertClose(paddle.log10(paddle.to_tensor([[1.0], [10.0]], { dtype: 'float32' })), [[0], [1]]);
  assertClose(paddle.stanh(paddle.to_tensor([1.0, 2.0, 3.0, 4.0], { dtype: 'float32' }), 0.67, 1.72), [1.00616539, 1.49927628, 1.65933108, 1.70390463], 1e-6);
  assertClose(paddle.pow(paddle.to_tensor([1, 2, 3], { dtype: 'float32' }), 2.5), [1, 5.65685415, 15.58845711], 1e-6);
  assertClose(paddle.pow(paddle.to_tensor([1, 2, 3], { dtype: 'float32' }), paddle.to_tensor([2], { dtype: 'float32' })), [1, 4, 9]);
  assertClose(paddle.increment(paddle.zeros([1], 'float32')), [1]);
});

test('float64 values against NumPy and Python math', () => {
  const p = f64([0.5, 1.5, 2.25, 7.0]);
  assertClose(paddle.log(p), [-0.6931471805599453, 0.4054651081081644, 0.8109302162163288, 1.9459101490553132], 1e-14);
  assertClose(paddle.log2(p), [-1.0, 0.5849625007211562, 1.1699250014423124, 2.807354922057604], 1e-14);
  assertClose(paddle.log10(p), [-0.3010299956639812, 0.17609125905568124, 0.3521825181113625, 0.8450980400142568], 1e-14);
  assertClose(paddle.log1p(p), [0.4054651081081644, 0.9162907318741551, 1.1786549963416462, 2.0794415416798357], 1e-14);
  assertClose(paddle.sqrt(p), [0.7071067811865476, 1.224744871391589, 1.5, 2.6457513110645907], 1e-14);
  assertClose(paddle.rsqrt(p), [1.414213562373095, 0.8164965809277261, 0.6666666666666666, 0.3779644730092272], 1e-14);
  // math.erf, to double precision across the series / continued-fraction switch
  assertClose(paddle.erf(f64([-3.2, -0.7, 0.05, 1.3, 2.9, 6.5])), [-0.9999939742388483, -0.6778011938374184, 0.05637197779701663, 0.9340079449406524, 0.9999589021219005, 1.0], 1e-14);
  // edge values
  assert.deepEqual((paddle.log(f64([0, -1])).tolist() as number[]).map(String), ['-Infinity', 'NaN']);
  assert.deepEqual((paddle.sqrt(f64([-1])).tolist() as number[]).map(String), ['NaN']);
  assert.deepEqual(paddle.round(f64([2.5, -2.5, 0.49999999999999994])).tolist(), [3, -3, 0]);
  assert.deepEqual(paddle.erf(f64([Infinity, -Infinity])).tolist(), [1, -1]);
  assertClose(paddle.stanh(f64([-1, 0.5])), [1.7159 * Math.tanh(-0.67), 1.7159 * Math.tanh(0.335)], 1e-14);
});

test('dtypes: float16 and the int kernels Paddle has (abs, exp, square, pow, increment)', () => {
  const h = paddle.exp(paddle.to_tensor([0.5, -1, 2], { dtype: 'float16' }));
  assert.equal(h.dtype, 'float16');
  // NumPy: np.exp(np.float16([0.5, -1, 2])) -> [1.6484375, 0.36791992, 7.390625]
  assertClose(h, [1.6484375, 0.36791992, 7.390625], 1e-7);
  assertTensor(paddle.abs(paddle.to_tensor([-3, 0, 4])), [3], 'int64', [3, 0, 4]);
  assertTensor(paddle.abs(paddle.to_tensor([-3, 5], { dtype: 'int32' })), [2], 'int32', [3, 5]);
  assertTensor(paddle.square(paddle.to_tensor([2, 3, -4])), [3], 'int64', [4, 9, 16]);
  // int32 wraps like C++: 65537^2 mod 2^32 = 131073
  assertTensor(paddle.square(paddle.to_tensor([65537], { dtype: 'int32' })), [1], 'int32', [131073]);
  assertTensor(paddle.exp(paddle.to_tensor([0, 1, 2], { dtype: 'int32' })), [3], 'int32', [1, 2, 7]);
  // int tensors cast the factor to int, as Paddle's pow kernel: 3 ** 2.7 -> 3 ** 2
  assertTensor(paddle.pow(paddle.to_tensor([2, 3]), 2.7), [2], 'int64', [4, 9]);
  assertTensor(paddle.pow(paddle.to_tensor([2, 3], { dtype: 'int32' }), 3), [2], 'int32', [8, 27]);
  assertTensor(paddle.increment(paddle.to_tensor([5]), 2.9), [1], 'int64', [7]);
  assertTensor(paddle.increment(paddle.to_tensor([5], { dtype: 'float64' }), -0.5), [1], 'float64', [4.5]);
  // abs of complex gives the real dtype (kernels for complex are a later issue)
  assert.equal(getOp('abs').infer({ X: [{ dims: [2], dtype: 'complex64' }] }, {}).Out[0].dtype, 'float32');
  assertThrows(() => paddle.sin(paddle.to_tensor([{ real: 1, imag: 1 }], { dtype: 'complex64' })), paddle.errors.NotFoundError, /no kernel runs operator 'sin' for dtype complex64/);
});

test('Tensor methods and keyword arguments', () => {
  const x = paddle.to_tensor([-2, 0.5, 3], { dtype: 'float32' });
  assertClose(x.abs(), [2, 0.5, 3]);
  assertClose(x.pow(2), [4, 0.25, 9]);
  assertClose(x.pow({ y: 3 }), [-8, 0.125, 27]);
  assertClose(x.scale(2, 1), [-3, 2, 7]);
  assertClose(x.scale({ scale: 2, bias: 1, bias_after_scale: false }), [-2, 3, 8]);
  assertClose(x.stanh({ scale_b: 2 }), [2 * Math.tanh(-1.34), 2 * Math.tanh(0.335), 2 * Math.tanh(2.01)], 1e-6);
  assertClose(paddle.to_tensor([1], { dtype: 'float32' }).increment(), [2]);
  for (const m of ['abs', 'acos', 'asin', 'atan', 'ceil', 'cos', 'cosh', 'exp', 'floor', 'log', 'log2', 'log10', 'log1p', 'reciprocal', 'round', 'rsqrt', 'sign', 'sin', 'sinh', 'sqrt', 'square', 'tanh', 'tanh_', 'erf', 'stanh', 'pow', 'scale', 'increment'])
    assert.equal(typeof (x as unknown as Record<string, unknown>)[m], 'function', m);
  assertClose(paddle.neg(x), [2, -0.5, -3]);
  assertClose(paddle.exp({ x: paddle.to_tensor([0], { dtype: 'float32' }) }), [1]);
});

test('scale: Tensor scale, act, int dtypes; neg', () => {
  const x = paddle.to_tensor([[1, -2, 3]], { dtype: 'float32' });
  assertClose(paddle.scale(x, paddle.to_tensor([2], { dtype: 'float32' }), 1), [[3, -3, 7]]);
  assertClose(paddle.scale(x, 2, -1, true, 'relu'), [[1, 0, 5]]);
  assertClose(paddle.scale(x, { scale: 0.5, act: 'tanh' }), [[Math.tanh(0.5), Math.tanh(-1), Math.tanh(1.5)]], 1e-6);
  assertTensor(paddle.scale(paddle.to_tensor([1, 2], { dtype: 'int32' }), 3, 1), [2], 'int32', [4, 7]);
  assertTensor(paddle.neg(paddle.to_tensor([1, -2])), [2], 'int64', [-1, 2]);
  // gradient through a Tensor scale and an act
  const w = paddle.to_tensor([0.3, -0.8], { dtype: 'float64', stop_gradient: false });
  paddle.sum(paddle.scale(w, paddle.to_tensor([3], { dtype: 'float64' }), 0, true, 'sigmoid')).backward();
  const s = (v: number): number => 1 / (1 + Math.exp(-3 * v));
  assertClose(w.grad!, [3 * s(0.3) * (1 - s(0.3)), 3 * s(-0.8) * (1 - s(-0.8))], 1e-12);
  assertThrows(() => paddle.scale(x, 2, 0, true, 'nope'), paddle.errors.InvalidArgumentError, /paddle\.scale/, /'act' names no operator: 'nope'/);
  assertThrows(() => paddle.scale(x, paddle.to_tensor([1, 2], { dtype: 'float32' })), paddle.errors.InvalidArgumentError, /'scale' as a Tensor must have one element/);
  assertThrows(() => paddle.scale(paddle.to_tensor([true]), 2), paddle.errors.InvalidArgumentError, /argument 'x' must have dtype .*but got bool/);
  assertThrows(() => paddle.scale(x, 'two' as never), paddle.errors.InvalidArgumentError, /argument 'scale'/);
});

// Differentiable ops and inputs inside their domains, away from poles.
const GRADS: [string, Fn, number[]][] = [
  ['abs', paddle.abs, [-1.3, -0.2, 0.4, 2.1]],
  ['exp', paddle.exp, [-1.3, -0.2, 0.4, 2.1]],
  ['log', paddle.log, [0.3, 1.2, 4.5]],
  ['log2', paddle.log2, [0.3, 1.2, 4.5]],
  ['log10', paddle.log10, [0.3, 1.2, 4.5]],
  ['log1p', paddle.log1p, [-0.7, 0.2, 4.5]],
  ['sqrt', paddle.sqrt, [0.3, 1.2, 4.5]],
  ['rsqrt', paddle.rsqrt, [0.3, 1.2, 4.5]],
  ['square', paddle.square, [-1.3, -0.2, 0.4, 2.1]],
  ['reciprocal', paddle.reciprocal, [-1.3, -0.2, 0.4, 2.1]],
  ['sin', paddle.sin, [-1.3, -0.2, 0.4, 2.1]],
  ['cos', paddle.cos, [-1.3, -0.2, 0.4, 2.1]],
  ['tan', paddle.tan, [-1.3, -0.2, 0.4, 1.1]],
  ['asin', paddle.asin, [-0.8, -0.2, 0.4, 0.9]],
  ['acos', paddle.acos, [-0.8, -0.2, 0.4, 0.9]],
  ['atan', paddle.atan, [-1.3, -0.2, 0.4, 2.1]],
  ['sinh', paddle.sinh, [-1.3, -0.2, 0.4, 2.1]],
  ['cosh', paddle.cosh, [-1.3, -0.2, 0.4, 2.1]],
  ['tanh', paddle.tanh, [-1.3, -0.2, 0.4, 2.1]],
  ['erf', paddle.erf, [-1.3, -0.2, 0.4, 2.1, 2.7]],
  ['stanh', (x) => paddle.stanh(x, 0.9, 1.3), [-1.3, -0.2, 0.4, 2.1]],
  ['pow 3', (x) => paddle.pow(x, 3), [-1.3, -0.2, 0.4, 2.1]],
  ['pow -1.5', (x) => paddle.pow(x, -1.5), [0.3, 1.2, 4.5]],
  ['pow 0.5', (x) => paddle.pow(x, 0.5), [0.3, 1.2, 4.5]],
  ['pow FactorTensor', (x) => run1('pow', { X: [x], FactorTensor: [paddle.to_tensor([2.5], { dtype: 'float32' })] }), [0.3, 1.2, 4.5]],
  ['scale', (x) => paddle.scale(x, 1.5, 2, false), [-1.3, -0.2, 0.4, 2.1]],
  ['neg', paddle.neg, [-1.3, 0.4]],
];

test('gradients of every differentiable unary op match finite differences', () => {
  for (const [name, fn, xs] of GRADS) {
    try {
      checkGrad(fn, [f64(xs)]);
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    }
  }
});

test('second-order gradients match finite differences', () => {
  for (const [name, fn, xs] of GRADS) {
    // |x|, scale and neg have a constant first derivative: nothing flows back a second time
    if (name === 'abs' || name === 'scale' || name === 'neg') continue;
    try {
      checkGrad(fn, [f64(xs)], { second: true, rtol: 1e-3, atol: 1e-5 });
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    }
  }
});

test('floor, ceil, round and sign have zero gradient, as Paddle defines it', () => {
  for (const fn of [paddle.floor, paddle.ceil, paddle.round, paddle.sign]) {
    const x = paddle.to_tensor([-1.3, 0.4, 2.6], { dtype: 'float64', stop_gradient: false });
    paddle.sum(paddle.multiply(fn(x), f64([1, 2, 3]))).backward();
    assert.deepEqual(x.grad!.tolist(), [0, 0, 0], fn.name);
  }
});

test('tanh_ writes in place and keeps the gradient (it reads only Out)', () => {
  const x = paddle.to_tensor([0.5, -1], { dtype: 'float32' });
  const r = paddle.tanh_(x);
  assert.equal(r, x);
  assertClose(x, [Math.tanh(0.5), Math.tanh(-1)], 1e-6);
  const w = paddle.to_tensor([0.2, -0.7], { dtype: 'float64', stop_gradient: false });
  const y = paddle.multiply(w, f64([2, 2]));
  y.tanh_();
  paddle.sum(y).backward();
  assertClose(w.grad!, [2 * (1 - Math.tanh(0.4) ** 2), 2 * (1 - Math.tanh(-1.4) ** 2)], 1e-12);
  assertThrows(() => paddle.tanh_(w), paddle.errors.PreconditionNotMetError, /leaf Tensor/);
});

test('increment has no gradient and needs one element', () => {
  const x = paddle.to_tensor([1.5], { dtype: 'float32', stop_gradient: false });
  assert.equal(paddle.increment(x).stop_gradient, true);
  assert.equal(getOp('increment').grad, undefined);
  assertThrows(() => paddle.increment(paddle.to_tensor([1, 2], { dtype: 'float32' })), paddle.errors.InvalidArgumentError, /paddle\.increment/, /exactly one element, but has shape \[2\]/);
  assertThrows(() => paddle.increment(paddle.to_tensor([1], { dtype: 'float16' })), paddle.errors.InvalidArgumentError, /dtype float16, but increment supports only float32, float64, int32, int64/);
});

test('errors: int input where Paddle needs float, bad arguments and attributes', () => {
  const i = paddle.to_tensor([1, 2, 3]);
  const floatOnly: Fn[] = [paddle.log, paddle.log2, paddle.log10, paddle.log1p, paddle.sqrt, paddle.rsqrt, paddle.reciprocal, paddle.sin, paddle.cos, paddle.tan, paddle.asin, paddle.acos, paddle.atan, paddle.sinh, paddle.cosh, paddle.tanh, paddle.floor, paddle.ceil, paddle.round, paddle.sign, paddle.erf, paddle.stanh];
  for (const fn of floatOnly)
    assertThrows(() => fn(i), paddle.errors.InvalidArgumentError, new RegExp(`paddle\\.${fn.name}: input X has dtype int64, but \\w+ supports only float16, float32, float64`));
  assertThrows(() => paddle.abs(paddle.to_tensor([true])), paddle.errors.InvalidArgumentError, /paddle\.abs/, /dtype bool/);
  assertThrows(() => paddle.square(paddle.to_tensor([1], { dtype: 'int8' })), paddle.errors.InvalidArgumentError, /dtype int8, but square supports only int32, int64, float16, float32, float64/);
  assertThrows(() => paddle.abs([1, 2] as never), paddle.errors.InvalidArgumentError, /paddle\.abs: argument 'x' expected a Tensor/);
  assertThrows(() => paddle.pow(i, 'a' as never), paddle.errors.InvalidArgumentError, /paddle\.pow/, /'y'/);
  assertThrows(() => paddle.stanh(paddle.to_tensor([1.5]), 'a' as never), paddle.errors.InvalidArgumentError, /paddle\.stanh: argument 'scale_a' expected a number/);
  assertThrows(() => paddle.increment(paddle.to_tensor([1.5]), { value: null } as never), paddle.errors.InvalidArgumentError, /'value'/);
  const x = paddle.to_tensor([0.5], { dtype: 'float32' });
  assertThrows(() => run1('stanh', { X: [x] }, { scale_a: '2' }), paddle.errors.InvalidArgumentError, /attribute scale_a must be a number, but got "2"/);
  assertThrows(() => run1('pow', { X: [x], FactorTensor: [paddle.to_tensor([1, 2], { dtype: 'float32' })] }), paddle.errors.InvalidArgumentError, /FactorTensor must have exactly one element/);
  assertThrows(() => paddle.sqrt(x, { foo: 1 } as never), paddle.errors.InvalidArgumentError, /unexpected keyword argument 'foo'/);
});

test('static mode appends the same operators and their Paddle grad ops', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    paddle.static.scope_guard(new paddle.static.Scope(), () =>
      paddle.static.program_guard(main, startup, () => {
        const x = paddle.static.data('x', [null, 3], 'float32');
        const w = main.global_block().create_parameter({ name: 'w', shape: [3], dtype: 'float32' });
        const h = run1('relu', { X: [paddle.multiply(x, w)] });
        const loss = paddle.mean(paddle.add(paddle.stanh(h), paddle.pow(paddle.exp(x), 2)));
        const pairs = paddle.static.append_backward(loss);
        const types = main.global_block().ops.map((o) => o.type);
        for (const t of ['relu', 'stanh', 'exp', 'pow', 'relu_grad']) assert.ok(types.includes(t), `${t} in ${types}`);
        paddle.static.global_scope().set('w', paddle.to_tensor([0.5, -1, 2], { dtype: 'float32' }));
        const xs = [[1, 2, 3], [-4, 5, 0.5]];
        const [l, g] = exe.run(main, { feed: { x: xs }, fetch_list: [loss, pairs[0][1]] });
        const wv = [0.5, -1, 2];
        let lv = 0;
        const gw = [0, 0, 0];
        for (const row of xs)
          row.forEach((v, j) => {
            const z = v * wv[j];
            const r = Math.max(z, 0);
            lv += (1.7159 * Math.tanh(0.67 * r) + Math.exp(2 * v)) / 6;
            if (z > 0) gw[j] += (1.7159 * 0.67 * (1 - Math.tanh(0.67 * r) ** 2) * v) / 6;
          });
        assertClose(l, [lv], 1e-5);
        assertClose(g, gw, 1e-5);
      }),
    );
  } finally {
    paddle.disable_static();
  }
});
