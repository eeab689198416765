// Every optimizer's update rule over three steps on one float64 parameter with fixed
// gradients, against values computed with NumPy from Paddle's formulas (paddle/fluid/
// operators/optimizers/*_op.h at 2.0; the script is summarized in each comment):
//   p0 = [[0.5, -1], [1.5, 2]], lr = 0.1,
//   g1 = [[0.1, -0.2], [0.3, 0.4]], g2 = [[-0.5, 0.25], [0, 1]], g3 = [[0.2, 0.2], [-0.3, -0.1]].
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const opt = paddle.optimizer;
const P0 = [[0.5, -1.0], [1.5, 2.0]];
const G = [[[0.1, -0.2], [0.3, 0.4]], [[-0.5, 0.25], [0.0, 1.0]], [[0.2, 0.2], [-0.3, -0.1]]];

function param(attr?: paddle.ParamAttr): paddle.Tensor {
  const w = paddle.create_parameter([2, 2], 'float64', { attr: attr ?? null });
  w.set_value(paddle.to_tensor(P0, { dtype: 'float64' }));
  return w;
}

/** Runs three steps with the fixed gradients; returns the parameter after each. */
function run(make: (params: paddle.Tensor[]) => { step(): void }, attr?: paddle.ParamAttr): number[][] {
  const w = param(attr);
  const o = make([w]);
  const out: number[][] = [];
  for (const g of G) {
    w.grad = paddle.to_tensor(g, { dtype: 'float64' });
    o.step();
    out.push((w.tolist() as number[][]).flat());
  }
  return out;
}
function check(actual: number[][], expected: number[][], msg: string): void {
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], 1e-10, 1e-12, `${msg} step ${i + 1}`);
}

test('SGD: p -= lr * g', () => {
  check(run((ps) => new opt.SGD({ learning_rate: 0.1, parameters: ps })), [
    [0.49, -0.98, 1.47, 1.96], [0.54, -1.005, 1.47, 1.86], [0.52, -1.025, 1.5, 1.87],
  ], 'sgd');
});

test('weight_decay: a float is coupled L2 (g + c*p); L1Decay adds c*sign(p); ParamAttr regularizer wins', () => {
  const l2 = [[0.4895, -0.979, 1.4685, 1.958], [0.5390105, -1.003021, 1.4670315, 1.856042], [0.5184714895, -1.022017979, 1.4955644685, 1.864185958]];
  const l1 = [[0.489, -0.979, 1.469, 1.959], [0.538, -1.003, 1.468, 1.858], [0.517, -1.022, 1.497, 1.867]];
  check(run((ps) => new opt.SGD({ learning_rate: 0.1, parameters: ps, weight_decay: 0.01 })), l2, 'float');
  check(run((ps) => new opt.SGD({ learning_rate: 0.1, parameters: ps, weight_decay: new paddle.regularizer.L2Decay(0.01) })), l2, 'L2Decay');
  check(run((ps) => new opt.SGD({ learning_rate: 0.1, parameters: ps, weight_decay: new paddle.regularizer.L1Decay(0.01) })), l1, 'L1Decay');
  // the parameter's own regularizer replaces the optimizer's
  const attr = new paddle.ParamAttr({ regularizer: new paddle.regularizer.L1Decay(0.01) });
  check(run((ps) => new opt.SGD({ learning_rate: 0.1, parameters: ps, weight_decay: 0.5 }), attr), l1, 'ParamAttr wins');
  assert.equal(String(new paddle.regularizer.L2Decay(0.01)), 'L2Decay, regularization_coeff=0.010000');
  assert.equal(new paddle.regularizer.L1Decay({ coeff: 0.5 })._regularization_coeff, 0.5);
  assert.equal(new paddle.regularizer.L2Decay()._regularization_coeff, 0);
});

test('per-parameter learning rate: ParamAttr(learning_rate) multiplies the rate', () => {
  // lr 0.2 * 0.5 = 0.1: the same numbers as SGD with 0.1
  const attr = new paddle.ParamAttr({ learning_rate: 0.5 });
  check(run((ps) => new opt.SGD({ learning_rate: 0.2, parameters: ps }), attr), [[0.49, -0.98, 1.47, 1.96], [0.54, -1.005, 1.47, 1.86], [0.52, -1.025, 1.5, 1.87]], 'sgd lr 0.5x');
});

test('Momentum: v = mu v + g; p -= lr v (Nesterov: p -= lr (g + mu v)); fused L2Decay; rescale_grad', () => {
  check(run((ps) => new opt.Momentum({ learning_rate: 0.1, momentum: 0.9, parameters: ps })), [
    [0.49, -0.98, 1.47, 1.96], [0.531, -0.987, 1.443, 1.824], [0.5479, -1.0133, 1.4487, 1.7116],
  ], 'momentum');
  check(run((ps) => new opt.Momentum({ learning_rate: 0.1, parameters: ps, use_nesterov: true })), [
    [0.481, -0.962, 1.443, 1.924], [0.5679, -0.9933, 1.4187, 1.7016], [0.56311, -1.03697, 1.45383, 1.61044],
  ], 'nesterov');
  const l2 = [[0.4895, -0.979, 1.4685, 1.958], [0.5295605, -0.984121, 1.4386815, 1.818242], [0.5450853895, -1.007745779, 1.4404061685, 1.700641558]];
  check(run((ps) => new opt.Momentum({ learning_rate: 0.1, parameters: ps, weight_decay: new paddle.regularizer.L2Decay(0.01) })), l2, 'fused l2');
  check(run((ps) => new opt.Momentum({ learning_rate: 0.1, parameters: ps, weight_decay: 0.01 })), l2, 'float l2');
  check(run((ps) => new opt.Momentum({ learning_rate: 0.1, parameters: ps, rescale_grad: 0.5 })), [
    [0.495, -0.99, 1.485, 1.98], [0.5155, -0.9935, 1.4715, 1.912], [0.52395, -1.00665, 1.47435, 1.8558],
  ], 'rescale');
  const m = new opt.Momentum({ learning_rate: 0.1, parameters: [param()], weight_decay: new paddle.regularizer.L2Decay(0.01) });
  assert.equal(m._regularization_method, 'l2_decay');
  assert.equal(m.regularization, null);
});

test("Adam: Paddle's epsilon placement eps*sqrt(1-beta2^t), bias-corrected lr", () => {
  const adam = [
    [0.400000009999999, -0.9000000049999998, 1.4000000033333333, 1.9000000025],
    [0.45983542655233417, -0.9162732304481741, 1.3329941810791546, 1.8060292601797066],
    [0.4795549188742792, -0.9608018923145386, 1.3415809521733688, 1.7396102159723383],
  ];
  check(run((ps) => new opt.Adam({ learning_rate: 0.1, parameters: ps })), adam, 'adam');
  const b = [
    [0.400990099009901, -0.900497512437811, 1.4003322259136213, 1.9002493765586035],
    [0.4800219296384906, -0.9439514419884294, 1.3505809821325268, 1.7993186445454106],
    [0.48450331212211156, -1.0158168584949738, 1.402644559529079, 1.7526715497424394],
  ];
  check(run((ps) => new opt.Adam(0.1, 0.5, 0.8, 1e-3, ps)), b, 'adam betas');
  // beta1/beta2 as Tensors
  check(run((ps) => new opt.Adam({ learning_rate: 0.1, beta1: paddle.to_tensor([0.5], { dtype: 'float64' }), beta2: paddle.to_tensor([0.8], { dtype: 'float64' }), epsilon: 1e-3, parameters: ps })), b, 'adam tensor betas');
});

test('AdamW: p *= 1 - lr*coeff before Adam; apply_decay_param_fun selects parameters', () => {
  check(run((ps) => new opt.AdamW({ learning_rate: 0.1, parameters: ps, weight_decay: 0.01 })), [
    [0.399500009999999, -0.8990000049999998, 1.3985000033333332, 1.8980000025],
    [0.45893592654233417, -0.9143742304431741, 1.330095681075821, 1.8021312601772066],
    [0.47819648293773687, -0.9579885180790955, 1.3373523564889596, 1.7339100847096611],
  ], 'adamw');
  // excluded from decay: plain Adam
  check(run((ps) => new opt.AdamW({ learning_rate: 0.1, parameters: ps, apply_decay_param_fun: () => false })), [
    [0.400000009999999, -0.9000000049999998, 1.4000000033333333, 1.9000000025],
    [0.45983542655233417, -0.9162732304481741, 1.3329941810791546, 1.8060292601797066],
    [0.4795549188742792, -0.9608018923145386, 1.3415809521733688, 1.7396102159723383],
  ], 'adamw excluded');
});

test('Adamax: u = max(|g|, beta2 u + eps); p -= lr/(1-beta1^t) m/u; beta1 power advanced by scale', () => {
  check(run((ps) => new opt.Adamax({ learning_rate: 0.1, parameters: ps })), [
    [0.4, -0.9, 1.4, 1.9],
    [0.44315789473684214, -0.9147368421052632, 1.3525841646925887, 1.8284210526315787],
    [0.455642704019676, -0.9535948867875056, 1.3595952348032898, 1.7869035207547297],
  ], 'adamax');
});

test('Adagrad: moment += g^2; p -= lr g / (sqrt(moment) + eps); initial_accumulator_value', () => {
  check(run((ps) => new opt.Adagrad({ learning_rate: 0.1, parameters: ps })), [
    [0.4000009999900001, -0.9000004999975, 1.4000003333322222, 1.900000249999375],
    [0.49805887525177694, -0.9780871370401258, 1.4000003333322222, 1.8071526671176654],
    [0.4615441047513108, -1.0310682909722222, 1.4707108447846031, 1.8163976618410853],
  ], 'adagrad');
  check(run((ps) => new opt.Adagrad({ learning_rate: 0.1, parameters: ps, initial_accumulator_value: 0.5 })), [
    [0.4859972187675356, -0.9727834843393958, 1.4609433775531442, 1.9507634642142528],
    [0.5433510864457778, -1.0049912741657148, 1.4609433775531442, 1.8731484718845366],
    [0.520990431670752, -1.0299425574994212, 1.4973236771910006, 1.8808866982218586],
  ], 'adagrad init');
});

test('Adadelta: rho=0.95, eps=1e-6; the update is scaled by the learning rate (1.0 gives 2.0 numbers)', () => {
  check(run((ps) => new opt.Adadelta({ learning_rate: 1.0, parameters: ps })), [
    [0.4955323294839123, -0.995528981659901, 1.4955283608661933, 1.9955281435272965],
    [0.5017367005193051, -1.0005154090324935, 1.4955283608661933, 1.989635822288061],
    [0.49844847239013884, -1.0048571677880878, 1.5000554714531067, 1.9904528126169783],
  ], 'adadelta lr 1');
  check(run((ps) => new opt.Adadelta({ learning_rate: 0.1, parameters: ps })), [
    [0.4995532329483912, -0.9995528981659901, 1.4995528360866193, 1.9995528143527297],
    [0.5001736700519305, -1.0000515409032493, 1.4995528360866193, 1.998963582228806],
    [0.49984484723901385, -1.0004857167788088, 1.5000055471453106, 1.999045281261698],
  ], 'adadelta lr 0.1');
});

test('RMSProp: epsilon inside the sqrt; centered with momentum', () => {
  check(run((ps) => new opt.RMSProp({ learning_rate: 0.1, parameters: ps })), [
    [0.05323294839122983, -0.5528981659901042, 1.0528360866193425, 1.5528143527296416],
    [0.4921673154041194, -0.9055358873344356, 1.0528360866193425, 1.1361513029140289],
    [0.32507803982556494, -1.1485230662263908, 1.3770467558313402, 1.1787060355714578],
  ], 'rmsprop');
  check(run((ps) => new opt.RMSProp({ learning_rate: 0.1, rho: 0.9, momentum: 0.5, centered: true, parameters: ps })), [
    [0.16685169767361513, -0.6667129533201333, 1.1666872408933524, 1.6666782401379592],
    [0.3215569870960635, -0.7525818008642817, 1.0000308613400286, 1.1771089360790372],
    [0.2772506967046804, -0.9767786628703301, 1.1519804352153011, 0.965414517681308],
  ], 'rmsprop centered');
});

test('Lamb: trust ratio ||p||/||r|| with r = m_hat/(sqrt(v_hat)+eps) + wd p; exclude_from_weight_decay_fn', () => {
  check(run((ps) => new opt.Lamb({ learning_rate: 0.1, parameters: ps })), [
    [0.36408638844058705, -0.8634095184064636, 1.3627330991599758, 1.8620567926112424],
    [0.4756257768980871, -0.8923108100097762, 1.2345070613926814, 1.6823206461729932],
    [0.5290879361967239, -1.0135385381202773, 1.2549326507890812, 1.4931251922559168],
  ], 'lamb');
  check(run((ps) => new opt.Lamb({ learning_rate: 0.1, parameters: ps, exclude_from_weight_decay_fn: () => true })), [
    [0.36307001674486594, -0.8630693320983729, 1.3630691038813538, 1.863068989772559],
    [0.47683973353044784, -0.8940108270116199, 1.2356659837706698, 1.6843948731862897],
    [0.532130706786684, -1.018863411245731, 1.259742186676219, 1.49816394942332],
  ], 'lamb excluded');
});

test('parameters without a gradient and non-trainable parameters are left alone', () => {
  const a = param();
  const b = param();
  const c = param();
  c.stop_gradient = true;
  const sgd = new opt.SGD({ learning_rate: 0.1, parameters: [a, b, c] });
  a.grad = paddle.to_tensor(G[0], { dtype: 'float64' });
  c.grad = paddle.to_tensor(G[0], { dtype: 'float64' });
  sgd.step();
  assertClose(a, [[0.49, -0.98], [1.47, 1.96]], 1e-12);
  assertClose(b, P0);
  assertClose(c, P0);
});

test('parameter groups: per-group learning_rate multiplier, weight_decay and settings', () => {
  const a = param();
  const b = param();
  const sgd = new opt.SGD({ learning_rate: 0.2, parameters: [{ params: [a], learning_rate: 0.5 }, { params: [b], weight_decay: 0.01, learning_rate: 0.5 }] });
  a.grad = paddle.to_tensor(G[0], { dtype: 'float64' });
  b.grad = paddle.to_tensor(G[0], { dtype: 'float64' });
  sgd.step();
  assertClose(a, [[0.49, -0.98], [1.47, 1.96]], 1e-12);
  assertClose(b, [[0.4895, -0.979], [1.4685, 1.958]], 1e-12);
  // optimizer settings per group (Adam's beta1/beta2/epsilon)
  const w = param();
  const adam = new opt.Adam({ learning_rate: 0.1, parameters: [{ params: [w], beta1: 0.5, beta2: 0.8, epsilon: 1e-3 }] });
  w.grad = paddle.to_tensor(G[0], { dtype: 'float64' });
  adam.step();
  assertClose(w, [[0.400990099009901, -0.900497512437811], [1.4003322259136213, 1.9002493765586035]], 1e-10);
  assertThrows(() => new opt.SGD({ learning_rate: 0.1, parameters: [{ params: [a] }, { params: [a] }] }), paddle.errors.InvalidArgumentError, /more than one parameter group/);
  assertThrows(() => new opt.SGD({ learning_rate: 0.1, parameters: [{ lr: 1 } as never] }), paddle.errors.InvalidArgumentError, /params should be set/);
});

test('clear_grad zeroes the gradients; set_lr / get_lr', () => {
  const w = param();
  const sgd = new opt.SGD({ learning_rate: 0.1, parameters: [w] });
  w.grad = paddle.to_tensor(G[0], { dtype: 'float64' });
  sgd.step();
  sgd.clear_grad();
  assert.deepEqual(w.grad!.tolist(), [[0, 0], [0, 0]]);
  assert.equal(sgd.get_lr(), 0.1);
  sgd.set_lr(0.2);
  assert.equal(sgd.get_lr(), 0.2);
  w.grad = paddle.to_tensor(G[1], { dtype: 'float64' });
  sgd.step(); // lr 0.2 now: 0.49 + 0.2*0.5 = 0.59
  assertClose(w, [[0.59, -1.03], [1.47, 1.76]], 1e-12);
  sgd.clear_gradients();
  assert.deepEqual(w.grad!.tolist(), [[0, 0], [0, 0]]);
});

test('minimize in dygraph applies the gradients already computed by backward', () => {
  const w = param();
  const sgd = new opt.SGD({ learning_rate: 0.1, parameters: [w] });
  const loss = paddle.sum(paddle.multiply(w, paddle.to_tensor(G[0], { dtype: 'float64' }))); // d loss / d w = g1
  loss.backward();
  const [ops, pairs] = sgd.minimize(loss);
  assert.deepEqual(ops, []);
  assert.equal(pairs.length, 1);
  assert.equal(pairs[0][0], w);
  assertClose(w, [[0.49, -0.98], [1.47, 1.96]], 1e-12);
  // backward() / apply_gradients() are minimize's two halves
  const pg = sgd.backward(loss);
  sgd.apply_gradients(pg);
  assertClose(w, [[0.48, -0.96], [1.44, 1.92]], 1e-12);
});

test('optimizer errors: no parameters in dygraph, bad learning rate, bad betas, set_lr with a scheduler', () => {
  const E = paddle.errors.InvalidArgumentError;
  assertThrows(() => new opt.SGD({ learning_rate: 0.1 }), E, /parameters argument .* should not be None in dygraph mode/);
  assertThrows(() => new opt.Adam({ learning_rate: 'x' as never, parameters: [param()] }), E, /learning_rate should be float or LRScheduler/);
  assertThrows(() => new opt.Adam({ beta1: 1.0, parameters: [param()] }), E, /beta1 .* expect beta1 in \[0,1\)/);
  assertThrows(() => new opt.Adam({ beta2: -0.1, parameters: [param()] }), E, /beta2/);
  assertThrows(() => new opt.Adam({ epsilon: -1, parameters: [param()] }), E, /epsilon >= 0/);
  assertThrows(() => new opt.Adamax({ beta1: 2, parameters: [param()] }), E, /beta1/);
  assertThrows(() => new opt.RMSProp({ learning_rate: 0.1, momentum: -1, parameters: [param()] }), E, /momentum >= 0/);
  assertThrows(() => new opt.AdamW({ weight_decay: 'a' as never, parameters: [param()] }), E, /coeff should be float or Tensor/);
  assertThrows(() => new opt.SGD({ learning_rate: 0.1, parameters: [param()], grad_clip: 3 as never }), E, /grad_clip/);
  assertThrows(() => new opt.SGD({ learning_rate: 0.1, parameters: [param()], weight_decay: 'l2' as never }), E, /weight_decay/);
  assertThrows(() => new opt.SGD({ learning_rate: 0.1, parameters: [param()], momentum: 0.9 } as never), E, /unexpected keyword argument 'momentum'/);
  const s = new opt.SGD({ learning_rate: new opt.lr.StepDecay(0.1, 2), parameters: [param()] });
  assertThrows(() => s.set_lr(0.5), paddle.errors.PreconditionNotMetError, /can't be LRScheduler/);
  assertThrows(() => s.set_lr('a' as never), E, /must be float/);
  // the base class has no update rule
  const base = new opt.Optimizer(0.1, [param()]);
  const w = base._all_parameters()[0];
  w.grad = paddle.to_tensor(G[0], { dtype: 'float64' });
  assertThrows(() => base.step(), paddle.errors.UnimplementedError, /use its subclasses/);
});

test('update operators check their inputs', () => {
  const f = (v: number[]) => paddle.to_tensor(v, { dtype: 'float32' });
  const E = paddle.errors.InvalidArgumentError;
  const w = f([1, 2]);
  const d = (ins: Record<string, paddle.Tensor[]>) => dispatch('sgd', ins, {});
  assertThrows(() => d({ Param: [w], Grad: [f([1, 2, 3])], LearningRate: [f([0.1])] }), E, /Param and Grad should have the same dimension/);
  assertThrows(() => d({ Param: [w], Grad: [f([1, 2])], LearningRate: [f([0.1, 0.2])] }), E, /LearningRate should hold a single value/);
  assertThrows(() => d({ Param: [paddle.to_tensor([1, 2])], Grad: [paddle.to_tensor([1, 2])], LearningRate: [f([0.1])] }), E, /Param must be float32 or float64/);
  assertThrows(() => dispatch('clip_by_norm', { X: [w] }, { max_norm: 0 }), E, /max_norm should be greater than 0/);
  assertThrows(() => dispatch('rmsprop', { Param: [w], Grad: [w], Moment: [f([0, 0])], MeanSquare: [f([0, 0])], LearningRate: [f([0.1])] }, { centered: true }), E, /MeanGrad is required/);
  // a float32 step writes in place and returns the same tensors
  const p = f([1, 2]);
  const out = dispatch('sgd', { Param: [p], Grad: [f([0.5, -0.5])], LearningRate: [f([0.1])] }, {});
  assert.equal(out.ParamOut[0], p);
  assertClose(p, [0.95, 2.05]);
});
