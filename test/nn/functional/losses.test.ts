// The losses of paddle.nn.functional (and their operators): values against NumPy for each
// reduction, weights, pos_weight, ignore_index and N-D nll_loss; gradients by finite
// differences; the operators Paddle 2.0 appends (static mode); errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { Tensor } from '../../../src/index.js';
import { dispatch, run1 } from '../../../src/core/dispatch.js';
import { assertClose, assertTensor, assertThrows } from '../../helpers/assert.js';
import { checkGrad } from '../../helpers/gradcheck.js';

const F = paddle.nn.functional;
const E = paddle.errors.InvalidArgumentError;
const f64 = (v: unknown, shape?: number[]): Tensor => {
  const t = paddle.to_tensor(v as number[], { dtype: 'float64' });
  return shape ? t.reshape(shape) : t;
};
const f32 = (v: unknown): Tensor => paddle.to_tensor(v as number[], { dtype: 'float32' });
const i64 = (v: unknown): Tensor => paddle.to_tensor(v as number[], { dtype: 'int64' });
const i32 = (v: unknown): Tensor => paddle.to_tensor(v as number[], { dtype: 'int32' });
/** ((i * a) % m - off) / div over the flat index (the NumPy script uses the same). */
function seq(shape: number[], a = 7, m = 11, off = 5, div = 4): Tensor {
  const n = shape.reduce((s, d) => s * d, 1);
  return paddle.to_tensor(Float64Array.from({ length: n }, (_, i) => (((i * a) % m) - off) / div)).reshape(shape);
}
const close = (t: Tensor, want: number[], tol = 1e-12): void => assertClose(t, want, tol, tol);

// NumPy (float64): e.g. bce = -(L*max(log(P), -100) + (1-L)*max(log(1-P), -100))
const R = {
  bce_none: [0.10536051565782628, 0.10536051565782628, 0.6931471805599453, 0.35667494393873245, 0.2231435513142097, 0.0010005003335835344],
  bce_mean: [0.24744786791035392],
  bce_sum: [1.4846872074621236],
  bce_w_mean: [0.32154123084710745],
  bce_w_none: [0.05268025782891314, 0.21072103131565256, 1.0397207708399179, 0.17833747196936622, 0.4462871026284194, 0.0015007505003753014],
  bce_edges: [-0.0, -0.0, 100.0, 100.0],
  bcel_none: [0.5269280110429725, 0.4740769841801067, 0.9485873515737424, 0.2014132779827524, 0.5543552444685271, 2.01814992791781],
  bcel_mean: [0.7872517995276519],
  bcel_sum: [4.723510797165911],
  bcel_pw_none: [0.5269280110429725, 0.9481539683602134, 0.6165817785229326, 0.2014132779827524, 0.5543552444685271, 1.5136124459383575],
  bcel_pw_w_mean: [1.0940800678103797],
  bcel_w_sum: [6.871141021047459],
  sce_ignore: [0.1269280110429725, 0.4740769841801067, 0.0, 0.2014132779827524, 0.0, 0.018149927917809738],
  sce_ignore_norm: [0.031732002760743123, 0.11851924604502667, 0.0, 0.0503533194956881, 0.0, 0.004537481979452434],
  nll_logp: [-2.40760596444438, -1.4076059644443801, -0.40760596444438013, -1.7413112966571571, -3.241311296657157, -0.24131129665715711, -0.696510491782079, -0.696510491782079, -5.696510491782079, -1.4076059644443804, -0.40760596444438035, -2.4076059644443806],
  nll_none: [0.40760596444438013, 1.7413112966571571, 0.696510491782079, 2.4076059644443806],
  nll_mean: [1.313258429331999],
  nll_sum: [5.253033717327996],
  nll_w_none: [0.5298877537776941, 0.34826225933143146, 0.3482552458910395, 3.129887753777695],
  nll_w_mean: [1.3200887917508666],
  nll_w_sum: [4.35629301277786],
  nll_ign1_none: [0.40760596444438013, 1.7413112966571571, 0.0, 2.4076059644443806],
  nll_ign1_mean: [1.5188410751819728],
  nll_ign2_w_mean: [0.9950250074606729],
  nll4_logp: [-1.9118678712750954, -0.9441121864019144, -1.9118678712750954, -0.3137808633372581, -0.4118678712750954, -2.1941121864019144, -0.4118678712750954, -1.563780863337258, -1.6618678712750954, -0.6941121864019144, -1.6618678712750954, -2.813780863337258, -0.9441121864019144, -1.9118678712750954, -0.3137808633372581, -0.9441121864019142, -2.1941121864019144, -0.4118678712750954, -1.563780863337258, -2.194112186401914, -0.6941121864019144, -1.6618678712750954, -2.813780863337258, -0.6941121864019142],
  nll4_w_none: [0.3823735742550191, 1.0970560932009572, 2.1604282326576243, 0.781890431668629, 1.0970560932009572, 0.2059339356375477, 0.06275617266745162, 0.9023458423224885],
  nll4_w_mean: [1.3379680751221348],
  nll4_w_sum: [6.689840375610674],
  nll3_logp: [-2.5422215594790636, -2.5422215594790636, -0.9285938208686011, -2.5422215594790636, -0.20888822614573027, -0.2088882261457301, -2.928593820868601, -0.20888822614573033, -2.2088882261457305, -2.20888822614573, -0.5952604875352676, -2.2088882261457305, -0.928593820868601, -2.5422215594790636, -2.5422215594790636, -0.9285938208686011, -2.928593820868601, -0.20888822614573027, -0.2088882261457301, -2.928593820868601, -0.5952604875352676, -2.2088882261457305, -2.20888822614573, -0.5952604875352676],
  nll3_ign2_none: [2.5422215594790636, 0.2088882261457301, 0.0, 0.20888822614573033, 0.0, 0.0, 2.5422215594790636, 2.928593820868601],
  nll3_ign2_mean: [1.6861626784236379],
  nll3_ign2_sum: [8.43081339211819],
  nll5_logp: [-1.3693380844056784, -1.3693380844056782, -1.3693380844056782, -0.1718369711000982, -1.3693380844056782, -1.3693380844056782, -0.8710526010830602, -1.3693380844056782, -1.1193380844056784, -1.1193380844056782, -1.1193380844056782, -2.671836971100098, -1.1193380844056782, -1.1193380844056782, -0.6210526010830602, -1.1193380844056782, -0.8693380844056784, -0.8693380844056782, -0.8693380844056782, -2.421836971100098, -0.8693380844056782, -0.8693380844056782, -3.1210526010830604, -0.8693380844056782],
  nll5_none: [1.3693380844056784, 1.1193380844056782, 0.8693380844056782, 2.671836971100098, 1.1193380844056782, 1.3693380844056782, 0.8710526010830602, 0.8693380844056782],
  nll5_mean: [1.2823647598271533],
  kl_none: [-0.001191841297780849, 0.10032753924288729, 0.0, -0.29657359027997265, 0.27811241751317994, -0.15119184129778085],
  kl_mean: [-0.011752886019911188],
  kl_sum: [-0.07051731611946713],
  kl_batchmean: [-0.035258658059733564],
  l1_none: [0.19999999999999996, 0.19999999999999996, 0.2, 0.8],
  l1_mean: [0.35],
  l1_sum: [1.4],
  huber_none: [1.5, 0.5, 0.0, 0.5, 2.0, 0.8],
  huber_mean: [0.8833333333333333],
  huber_sum_d15: [6.345],
  huber_residual: [2.0, 1.0, 0.0, -1.0, -2.5, -1.3],
  sl1op_out: [0.185, 0.031249999999999993, 2.005],
  sl1op_diff: [0.1, -0.6, 0.19999999999999996, 0.15000000000000002, -2.5, -0.10000000000000003],
  sl1op_w_out: [0.5575, 0.08499999999999999, 2.5500000000000003],
  sl1op_w_diff: [0.1, -1.2, 0.09999999999999998, 0.15000000000000002, -2.5, -0.3000000000000001],
  mr_none: [1.0, 1.0, 1.0, 0.0],
  mr_mean: [0.75],
  mr5_none: [1.5, 1.5, 1.5, 0.5],
  mr5_sum: [5.0],
  'logloss_0.0001': [0.10524941071909748, 0.5106589709866699, 0.009949330853668103],
  'logloss_0.1': [0.0, 0.35667494393873245, -0.08617769624105241],
  focal_sum: [2.17624959017555],
  focal_norm_none: [0.005631124209791969, 0.005664514377116832, 0.4125195448553522, 0.28431807890479416, 0.008366106290716421, 0.008917161420745012],
  focal_norm_mean: [0.12090275500975277],
  focal_a5_g1_sum: [1.939308565522665],
  focalop: [0.14152935032227867, 0.08773353792642312, 0.6187793172830283, 0.42647711835719126, 0.1057214010888114, 0.013375742131117523, 0.0, 0.0, 0.0],
  focalop_g1_a5: [0.30316165405593437, 0.04212452175095706, 0.00756509490138898, 0.018371461368779433, 0.2453889884418705, 0.057525338257174166, 0.19539637688373, 0.21942194248127117, 0.11795501131414196],
  dice: [0.6000019999900001],
  dice3_in: [0.0, 0.3, 0.6, 0.2, 0.5, 0.1, 0.4, 0.0, 0.3, 0.6, 0.2, 0.5],
  dice3: [0.9249037227214378],
  npair: [1.5533597792344727],
  sqerr: [0.25, 0.0, 2.25],
};

const P = [[0.1, 0.9, 0.5], [0.7, 0.2, 0.999]];
const L = [[0, 1, 1], [1, 0, 1]];
const W = [0.5, 2, 1.5];

test('binary_cross_entropy: each reduction, weight, the -100 clamp, float32', () => {
  const x = f64(P);
  const y = f64(L);
  const none = F.binary_cross_entropy(x, y, { reduction: 'none' });
  assert.deepEqual(none.shape, [2, 3]);
  close(none, R.bce_none);
  const mean = F.binary_cross_entropy(x, y);
  assert.deepEqual(mean.shape, [1]);
  close(mean, R.bce_mean);
  close(F.binary_cross_entropy(x, y, null, 'sum'), R.bce_sum);
  close(F.binary_cross_entropy(x, y, f64(W)), R.bce_w_mean);
  close(F.binary_cross_entropy(x, y, f64(W), 'none'), R.bce_w_none);
  close(F.binary_cross_entropy(f64([0, 1, 0, 1]), f64([0, 1, 1, 0]), { reduction: 'none' }), R.bce_edges);
  // Paddle's docstring: [0.65537095]
  const doc = F.binary_cross_entropy(f32([0.5, 0.6, 0.7]), f32([1.0, 0.0, 1.0]));
  assertTensor(doc, [1], 'float32');
  assertClose(doc, [0.65537095]);
  checkGrad((a, w) => F.binary_cross_entropy(a, y, w, 'none'), [x, f64(W)], { second: true, rtol: 1e-3 });
  checkGrad((a) => F.binary_cross_entropy(a, y), [x]);
});

test('binary_cross_entropy_with_logits: reductions, weight, pos_weight', () => {
  const z = f64([[-2, 0.5, 3], [1.5, -0.3, -4]]);
  const y = f64([[0.2, 1, 0.7], [1, 0, 0.5]]);
  close(F.binary_cross_entropy_with_logits(z, y, { reduction: 'none' }), R.bcel_none);
  close(F.binary_cross_entropy_with_logits(z, y), R.bcel_mean);
  close(F.binary_cross_entropy_with_logits(z, y, null, 'sum'), R.bcel_sum);
  close(F.binary_cross_entropy_with_logits(z, y, { reduction: 'none', pos_weight: f64([1, 2, 0.5]) }), R.bcel_pw_none);
  close(F.binary_cross_entropy_with_logits(z, y, f64(W), 'mean', f64([1, 2, 0.5])), R.bcel_pw_w_mean);
  close(F.binary_cross_entropy_with_logits(z, y, f64(W), 'sum'), R.bcel_w_sum);
  // Paddle's docstring: [0.45618808]
  assertClose(F.binary_cross_entropy_with_logits(f32([5.0, 1.0, 3.0]), f32([1.0, 0.0, 1.0])), [0.45618808]);
  // large logits stay finite
  close(F.binary_cross_entropy_with_logits(f64([800, -800]), f64([0, 1]), { reduction: 'none' }), [800, 800]);
  checkGrad((a, w, pw) => F.binary_cross_entropy_with_logits(a, y, w, 'none', pw), [z, y, f64(W), f64([1, 2, 0.5])], { wrt: [0, 2, 3], second: true, rtol: 1e-3 });
});

test('sigmoid_cross_entropy_with_logits operator: ignore_index and normalize', () => {
  const z = f64([[-2, 0.5, 3], [1.5, -0.3, -4]]);
  const lab = f64([[0, 1, -1], [1, -1, 0]]);
  const op = (a: Tensor, attrs: Record<string, unknown>): Tensor => run1('sigmoid_cross_entropy_with_logits', { X: [a], Label: [lab] }, { ignore_index: -1, ...attrs });
  close(op(z, {}), R.sce_ignore);
  close(op(z, { normalize: true }), R.sce_ignore_norm);
  checkGrad((a) => op(a, {}), [z], { second: true, rtol: 1e-3 });
  checkGrad((a) => op(a, { normalize: true }), [z]);
});

const X4x3 = [[1, 2, 3], [0.5, -1, 2], [3, 3, -2], [0, 1, -1]];
const NLL_W = [0.2, 0.5, 1.3];

test('nll_loss on [N, C]: each reduction, class weights, ignore_index', () => {
  const lp = f64(R.nll_logp, [4, 3]);
  const lab = i64([2, 0, 1, 2]);
  const none = F.nll_loss(lp, lab, { reduction: 'none' });
  assertTensor(none, [4], 'float64');
  close(none, R.nll_none);
  close(F.nll_loss(lp, lab), R.nll_mean);
  close(F.nll_loss(lp, lab, null, -100, 'sum'), R.nll_sum);
  close(F.nll_loss(lp, lab, f64(NLL_W), { reduction: 'none' }), R.nll_w_none);
  close(F.nll_loss(lp, lab, f64(NLL_W)), R.nll_w_mean);
  close(F.nll_loss(lp, lab, f64(NLL_W), { reduction: 'sum' }), R.nll_w_sum);
  close(F.nll_loss(lp, lab, { ignore_index: 1, reduction: 'none' }), R.nll_ign1_none);
  // 'mean' divides by the count (weight sum) of the labels not ignored
  close(F.nll_loss(lp, lab, { ignore_index: 1 }), R.nll_ign1_mean);
  close(F.nll_loss(lp, lab, f64(NLL_W), 2), R.nll_ign2_w_mean);
  // with log_softmax, matches cross_entropy
  const x = f64(X4x3);
  close(F.nll_loss(F.log_softmax(x), lab), F.cross_entropy(x, lab).tolist() as number[], 1e-12);
  // everything ignored: 0, not NaN
  close(F.nll_loss(lp, i64([1, 1, 1, 1]), { ignore_index: 1 }), [0]);
  for (const reduction of ['none', 'mean', 'sum'] as const) {
    checkGrad((a) => F.nll_loss(a, lab, f64(NLL_W), { reduction, ignore_index: 0 }), [lp]);
    checkGrad((a) => F.nll_loss(a, lab, { reduction }), [lp]);
  }
});

test('nll_loss on N-D inputs: 4-D directly, 3-D and 5-D through the [N, C, 1, -1] reshape', () => {
  const w = f64(NLL_W);
  const lp4 = f64(R.nll4_logp, [2, 3, 2, 2]);
  const l4 = i64([[[0, 1], [2, 1]], [[1, 1], [0, 2]]]);
  const n4 = F.nll_loss(lp4, l4, w, { reduction: 'none' });
  assert.deepEqual(n4.shape, [2, 2, 2]);
  close(n4, R.nll4_w_none);
  close(F.nll_loss(lp4, l4, w), R.nll4_w_mean);
  close(F.nll_loss(lp4, l4, w, -100, 'sum'), R.nll4_w_sum);
  const lp3 = f64(R.nll3_logp, [2, 3, 4]);
  const l3 = i64([[0, 1, 2, 1], [2, 2, 0, 1]]);
  const n3 = F.nll_loss(lp3, l3, { ignore_index: 2, reduction: 'none' });
  assert.deepEqual(n3.shape, [2, 4]);
  close(n3, R.nll3_ign2_none);
  close(F.nll_loss(lp3, l3, { ignore_index: 2 }), R.nll3_ign2_mean);
  close(F.nll_loss(lp3, l3, { ignore_index: 2, reduction: 'sum' }), R.nll3_ign2_sum);
  const lp5 = f64(R.nll5_logp, [1, 3, 2, 2, 2]);
  const l5 = i64([[[[0, 1], [2, 1]], [[1, 0], [0, 2]]]]);
  const n5 = F.nll_loss(lp5, l5, { reduction: 'none' });
  assert.deepEqual(n5.shape, [1, 2, 2, 2]);
  close(n5, R.nll5_none);
  close(F.nll_loss(lp5, l5), R.nll5_mean);
  checkGrad((a) => F.nll_loss(a, l4, w), [lp4]);
  checkGrad((a) => F.nll_loss(a, l3, { ignore_index: 2, reduction: 'none' }), [lp3]);
  checkGrad((a) => F.nll_loss(a, l5, { reduction: 'sum' }), [lp5]);
  // the gradient is linear in the incoming gradient: nll_loss_grad's own rule
  const gradOf = (g: Tensor): Tensor => {
    const a = lp3.clone();
    a.stop_gradient = false;
    const y = paddle.sum(paddle.multiply(F.nll_loss(a, l3, { reduction: 'none' }), g));
    return paddle.grad([y], [a], { create_graph: true })[0]!;
  };
  checkGrad(gradOf, [seq([2, 4], 3, 7, 3, 2)]);
  const gradOfMean = (g: Tensor): Tensor => {
    const a = lp4.clone();
    a.stop_gradient = false;
    const y = paddle.multiply(F.nll_loss(a, l4, w), g);
    return paddle.grad([y], [a], { create_graph: true })[0]!;
  };
  checkGrad(gradOfMean, [f64([0.7])]);
});

test('nll_loss errors: rank, label dtype and shape, out-of-range labels, weight', () => {
  const lp = f64(R.nll_logp, [4, 3]);
  assertThrows(() => F.nll_loss(f64([1, 2]), i64([0])), E, /nll_loss: Expected 2 or more dimensions \(got 1\)/);
  assertThrows(() => F.nll_loss(lp, i32([2, 0, 1, 2])), E, /nll_loss.*'label' must be an int64.*got int32/);
  assertThrows(() => F.nll_loss(lp, i64([2, 0, 1])), E, /nll_loss.*label of shape \[4\], but got \[3\]/);
  assertThrows(() => F.nll_loss(seq([2, 3, 4]), i64([[0, 1, 2], [0, 1, 2]])), E, /label of shape \[2, 4\]/);
  assertThrows(() => F.nll_loss(lp, i64([2, 0, 3, 2])), E, /nll_loss.*label 3 is out of bounds.*\[0, 2\]/);
  assertThrows(() => F.nll_loss(lp, i64([2, 0, -1, 2])), E, /label -1 is out of bounds/);
  assertThrows(() => F.nll_loss(lp, i64([2, 0, 1, 2]), f64([1, 2])), E, /nll_loss.*Weight must be 1-D with one weight per class \(3\)/);
  assertThrows(() => F.nll_loss(lp, i64([2, 0, 1, 2]), null, -100, 'avg' as never), E, /nll_loss.*reduction.*'avg'/);
  assertThrows(() => F.nll_loss(paddle.ones([4, 3], 'int32'), i64([2, 0, 1, 2])), E, /nll_loss.*'input' must be a float32, float64/);
});

test('kl_div: mean over all elements, batchmean, sum, none; zero targets; dtype promotion', () => {
  const x = f64([[-1.2, -0.5, -2.0], [-0.1, -3.0, -0.7]]);
  const t = f64([[0.3, 0.7, 0.0], [0.5, 0.2, 0.3]]);
  const none = F.kl_div(x, t, 'none');
  assert.deepEqual(none.shape, [2, 3]);
  close(none, R.kl_none);
  close(F.kl_div(x, t), R.kl_mean);
  close(F.kl_div(x, t, 'sum'), R.kl_sum);
  close(F.kl_div(x, t, { reduction: 'batchmean' }), R.kl_batchmean);
  const mixed = F.kl_div(x.astype('float32'), t, 'sum');
  assert.equal(mixed.dtype, 'float64');
  assertClose(mixed, R.kl_sum, 1e-6);
  assert.equal(F.kl_div(x, t.astype('float32')).dtype, 'float64');
  for (const reduction of ['none', 'mean', 'sum', 'batchmean'] as const) checkGrad((a) => F.kl_div(a, t, reduction), [x]);
  assertThrows(() => F.kl_div(x, t, 'avg' as never), E, /kl_div.*reduction.*'avg'/);
  assertThrows(() => F.kl_div(x, f64([0.5, 0.5])), E, /kl_div.*same shape/);
});

test('l1_loss, square_error_cost and mse_loss', () => {
  const a = f64([[1.5, 0.8], [0.2, 1.3]]);
  const b = f64([[1.7, 1], [0.4, 0.5]]);
  close(F.l1_loss(a, b, 'none'), R.l1_none);
  close(F.l1_loss(a, b), R.l1_mean);
  close(F.l1_loss(a, b, { reduction: 'sum' }), R.l1_sum);
  assert.deepEqual(F.l1_loss(paddle.to_tensor([[1, 5]]), paddle.to_tensor([[4, 2]]), 'none').tolist(), [[3, 3]]);
  checkGrad((p, q) => F.l1_loss(p, q, 'none'), [a, b]);
  close(F.square_error_cost(f64([1.5, 2, -1]), f64([1, 2, 0.5])), R.sqerr);
  checkGrad((p, q) => F.square_error_cost(p, q), [a, b], { second: true });
  assertThrows(() => F.square_error_cost(paddle.to_tensor([1]), paddle.to_tensor([2])), E, /square_error_cost.*'input' must be a float32, float64/);
  assertThrows(() => F.l1_loss(a, b, 'max' as never), E, /l1_loss.*reduction/);
});

test('smooth_l1_loss is Huber with delta (huber_loss operator); the operator outputs the residual', () => {
  const i = f64([-2, -0.5, 0, 1, 3.5, 0.3]);
  const t = f64([0, 0.5, 0, 0, 1, -1]);
  close(F.smooth_l1_loss(i, t, 'none'), R.huber_none);
  close(F.smooth_l1_loss(i, t), R.huber_mean);
  close(F.smooth_l1_loss(i, t, 'sum', 1.5), R.huber_sum_d15);
  assertClose(F.smooth_l1_loss(f32([0.5, 3]), f32([0, 0])), [1.3125]);
  const r = dispatch('huber_loss', { X: [i], Y: [t] }, { delta: 1 });
  close(r.Residual[0], R.huber_residual);
  close(r.Out[0], R.huber_none);
  const pts = [f64([-2.1, -0.45, 0.2, 1.3, 3.5, 0.3]), f64([0, 0.5, 0.1, 0, 1, -1])];
  checkGrad((a, b) => F.smooth_l1_loss(a, b, 'none', 1.2), pts, { second: true });
  checkGrad((a, b) => F.smooth_l1_loss(a, b), pts);
  assertThrows(() => run1('huber_loss', { X: [i], Y: [t] }), E, /huber_loss needs attribute 'delta'/);
});

test('smooth_l1_loss operator (fluid smooth_l1): per-sample sums, sigma, inside/outside weights', () => {
  const x = f64([[0.1, -0.6], [1.2, 0.05], [-2, 0.3]]);
  const y = f64([[0, 0], [1, -0.1], [0.5, 0.4]]);
  const iw = f64([[1, 2], [0.5, 1], [1, 3]]);
  const ow = f64([[1, 0.5], [2, 1], [1, 1]]);
  const r = dispatch('smooth_l1_loss', { X: [x], Y: [y] }, {});
  assert.deepEqual(r.Out[0].shape, [3, 1]);
  close(r.Out[0], R.sl1op_out);
  close(r.Diff[0], R.sl1op_diff);
  const rw = dispatch('smooth_l1_loss', { X: [x], Y: [y], InsideWeight: [iw], OutsideWeight: [ow] }, { sigma: 2 });
  close(rw.Out[0], R.sl1op_w_out);
  close(rw.Diff[0], R.sl1op_w_diff);
  const op = (a: Tensor, b: Tensor): Tensor => run1('smooth_l1_loss', { X: [a], Y: [b], InsideWeight: [iw], OutsideWeight: [ow] }, { sigma: 2 });
  checkGrad(op, [x, y], { second: true });
  checkGrad((a, b) => run1('smooth_l1_loss', { X: [a], Y: [b] }, {}), [seq([2, 2, 2]), seq([2, 2, 2], 3, 5, 2, 3)]);
  assertThrows(() => run1('smooth_l1_loss', { X: [x], Y: [y], InsideWeight: [iw] }, {}), E, /both InsideWeight and OutsideWeight/);
  assertThrows(() => run1('smooth_l1_loss', { X: [f64([1, 2])], Y: [f64([1, 2])] }, {}), E, /rank >= 2/);
});

test('margin_ranking_loss (composite) and the margin_rank_loss operator', () => {
  const a = f64([[1, 2], [3, 4]]);
  const b = f64([[2, 1], [2, 4]]);
  const l = f64([[1, -1], [-1, -1]]);
  close(F.margin_ranking_loss(a, b, l, { reduction: 'none' }), R.mr_none);
  close(F.margin_ranking_loss(a, b, l), R.mr_mean);
  close(F.margin_ranking_loss(a, b, l, 0.5, 'none'), R.mr5_none);
  close(F.margin_ranking_loss(a, b, l, 0.5, 'sum'), R.mr5_sum);
  const pts = [f64([[1, 2.3], [3, 4.1]]), f64([[2.2, 1], [2, 3.7]]), l];
  checkGrad((p, q, s) => F.margin_ranking_loss(p, q, s, 0.25, 'none'), pts);
  checkGrad((p, q) => F.margin_ranking_loss(p, q, l, 0.25), pts.slice(0, 2));
  const x1 = f64([[1], [2.5], [-1]]);
  const x2 = f64([[2], [1], [0.5]]);
  const lab = f64([[1], [-1], [1]]);
  const ro = dispatch('margin_rank_loss', { X1: [x1], X2: [x2], Label: [lab] }, { margin: 0.1 });
  close(ro.Out[0], [1.1, 1.6, 1.6]);
  close(ro.Activated[0], [1, 1, 1]);
  close(run1('margin_rank_loss', { X1: [x1], X2: [x2], Label: [f64([[-1], [1], [-1]])] }, { margin: 0.1 }), [0, 0, 0]);
  checkGrad((p, q) => run1('margin_rank_loss', { X1: [p], X2: [q], Label: [lab] }, { margin: 0.1 }), [x1, x2]);
  assertThrows(() => run1('margin_rank_loss', { X1: [a], X2: [b], Label: [l] }, {}), E, /Label must have shape \[N, 1\]/);
});

test('log_loss: epsilon inside both logs', () => {
  const p = f64([[0.1], [0.6], [0.99]]);
  const l = f64([[0], [1], [1]]);
  close(F.log_loss(p, l), R['logloss_0.0001']);
  close(F.log_loss(p, l, 0.1), R['logloss_0.1']);
  assertClose(F.log_loss(f32([[0.1], [0.6], [0.99]]), f32([[0], [1], [1]])), R['logloss_0.0001'], 1e-6);
  checkGrad((a) => F.log_loss(a, l, 0.01), [p], { second: true });
  assertThrows(() => F.log_loss(f64([0.1, 0.6]), f64([0, 1])), E, /log_loss.*Predicted must have shape \[N, 1\]/);
});

test('sigmoid_focal_loss: default sum, normalizer, mean/none, alpha and gamma', () => {
  const z = f64([[0.5, -1, 2], [1.5, 0.3, -0.8]]);
  const y = f64([[1, 0, 0], [0, 1, 0]]);
  close(F.sigmoid_focal_loss(z, y), R.focal_sum);
  close(F.sigmoid_focal_loss(z, y, f64([3]), { reduction: 'none' }), R.focal_norm_none);
  close(F.sigmoid_focal_loss(z, y, f64([3]), 0.25, 2, 'mean'), R.focal_norm_mean);
  close(F.sigmoid_focal_loss(z, y, null, 0.5, 1), R.focal_a5_g1_sum);
  checkGrad((a, nz) => F.sigmoid_focal_loss(a, y, nz, 0.3, 2, 'none'), [z, f64([2.5])]);
  assertThrows(() => F.sigmoid_focal_loss(z, y, f64([[3]])), E, /Expected one dimension of normalizer in sigmoid_focal_loss but got 2/);
  assertThrows(() => F.sigmoid_focal_loss(z, y, null, 0.25, 2, 'avg' as never), E, /sigmoid_focal_loss.*reduction/);
});

test('sigmoid_focal_loss operator (detection): int labels 1..D, background 0, ignored -1, FgNum', () => {
  const x = f64([[0.5, -1, 2], [1.5, 0.3, -0.8], [0.1, 0.2, -0.3]]);
  const op = (a: Tensor, lab: number[], fg: number, attrs: Record<string, unknown> = {}): Tensor =>
    run1('sigmoid_focal_loss', { X: [a], Label: [i32(lab.map((v) => [v]))], FgNum: [i32([fg])] }, attrs);
  close(op(x, [2, 0, -1], 2), R.focalop);
  close(op(x, [3, 1, 0], 1, { gamma: 1, alpha: 0.5 }), R.focalop_g1_a5);
  checkGrad((a) => op(a, [2, 0, -1], 2), [x]);
  checkGrad((a) => op(a, [3, 1, 0], 0, { gamma: 1.5, alpha: 0.4 }), [x]);
  assertThrows(() => run1('sigmoid_focal_loss', { X: [x], Label: [i64([[1], [1], [1]])], FgNum: [i32([1])] }, {}), E, /Label must be int32/);
});

test('dice_loss one-hot encodes the labels and averages 1 - dice over the batch', () => {
  close(F.dice_loss(f64([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]), i64([[1], [2]])), R.dice, 1e-10);
  const x3 = f64(R.dice3_in, [2, 2, 3]);
  const l3 = i64([[[0], [2]], [[1], [1]]]);
  close(F.dice_loss(x3, l3, 0.1), R.dice3, 1e-10);
  checkGrad((a) => F.dice_loss(a, l3, 0.1), [x3]);
  assertThrows(() => F.dice_loss(x3, i64([[0], [2]])), E, /dice_loss.*label must have input's shape with a last dim of 1/);
  assertThrows(() => F.dice_loss(x3, x3), E, /dice_loss.*'label' must be a int32, int64/);
});

test('npair_loss: soft targets from equal labels plus the L2 term', () => {
  const an = f64([[1, 2], [3, 4], [-1, 0.5]]);
  const po = f64([[0.5, 1], [1, 0.2], [0.3, -0.4]]);
  close(F.npair_loss(an, po, f64([1, 2, 1])), R.npair, 1e-10);
  close(F.npair_loss(an, po, i64([1, 2, 1])), R.npair, 1e-10);
  checkGrad((a, b) => F.npair_loss(a, b, i64([1, 2, 1]), 0.1), [an, po]);
});

test('the loss functions append Paddle 2.0\'s operators (static mode) and run', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    let bce!: Tensor;
    let nll!: Tensor;
    const types = (from: number): string[] => main.global_block().ops.slice(from).map((o) => o.type);
    paddle.static.scope_guard(new paddle.static.Scope(), () =>
      paddle.static.program_guard(main, new paddle.static.Program(), () => {
        const x = paddle.static.data('x', [null, 3], 'float64');
        const y = paddle.static.data('y', [null, 3], 'float64');
        bce = F.binary_cross_entropy_with_logits(x, y, { pos_weight: paddle.static.data('pw', [3], 'float64') });
        assert.deepEqual(types(0), ['sigmoid_cross_entropy_with_logits', 'fill_constant', 'elementwise_sub', 'elementwise_mul', 'elementwise_add', 'elementwise_mul', 'reduce_mean']);
        let n = main.global_block().ops.length;
        F.binary_cross_entropy(paddle.static.data('p', [null, 3], 'float64'), y, null, 'sum');
        assert.deepEqual(types(n), ['bce_loss', 'reduce_sum']);
        n = main.global_block().ops.length;
        F.smooth_l1_loss(x, y);
        assert.deepEqual(types(n), ['huber_loss', 'reduce_mean']);
        n = main.global_block().ops.length;
        F.kl_div(x, y, 'batchmean');
        assert.deepEqual(types(n), ['kldiv_loss']);
        n = main.global_block().ops.length;
        F.margin_ranking_loss(x, y, y, 0.5, 'none');
        assert.deepEqual(types(n), ['elementwise_sub', 'elementwise_mul', 'fill_constant', 'elementwise_add', 'relu']);
        n = main.global_block().ops.length;
        const lp = paddle.static.data('lp', [null, 3, 4], 'float64');
        nll = F.nll_loss(lp, paddle.static.data('lab', [null, 4], 'int64'), { reduction: 'none' });
        assert.deepEqual(types(n), ['reshape2', 'reshape2', 'nll_loss', 'reshape2']);
        const nllOp = main.global_block().ops[n + 2];
        assert.equal(nllOp.attr('reduction'), 'none');
        assert.equal(nllOp.attr('ignore_index'), -100);
      }),
    );
    const [b, l] = exe.run(main, {
      feed: { x: [[-2, 0.5, 3], [1.5, -0.3, -4]], p: P, y: [[0.2, 1, 0.7], [1, 0, 0.5]], pw: [1, 2, 0.5], lp: R.nll3_logp, lab: [[0, 1, 2, 1], [2, 2, 0, 1]] },
      fetch_list: [bce, nll],
    }) as Tensor[];
    close(b, [R.bcel_pw_none.reduce((s, v) => s + v, 0) / 6], 1e-12);
    // -lp[n, label[n, k], k]
    const labs = [[0, 1, 2, 1], [2, 2, 0, 1]];
    close(l, labs.flatMap((row, n) => row.map((c, k) => -R.nll3_logp[n * 12 + c * 4 + k])), 1e-12);
  } finally {
    paddle.disable_static();
  }
});

test('loss argument errors: reduction, shapes, dtypes, probabilities', () => {
  const x = f64(P);
  const y = f64(L);
  assertThrows(() => F.binary_cross_entropy(x, y, null, 'avg' as never), E, /binary_cross_entropy.*reduction.*one of 'mean', 'sum', 'none'/);
  assertThrows(() => F.binary_cross_entropy(x, f64([0, 1, 1])), E, /binary_cross_entropy.*'input' and 'label' must have the same shape/);
  assertThrows(() => F.binary_cross_entropy(x, i64(L)), E, /binary_cross_entropy.*'label' must be a float32, float64 Tensor, but got int64/);
  assertThrows(() => F.binary_cross_entropy(f64([1.5, 0.5]), f64([1, 0])), E, /binary_cross_entropy.*probabilities in \[0, 1\].*element 0 of X is 1.5/);
  assertThrows(() => F.binary_cross_entropy_with_logits(x, y, { reduction: 'avg' as never }), E, /binary_cross_entropy_with_logits.*reduction/);
  assertThrows(() => F.binary_cross_entropy_with_logits(x, f64([[1, 0]])), E, /same shape/);
  assertThrows(() => F.margin_ranking_loss(x, x, i64(L)), E, /margin_ranking_loss.*'label' must be a float32, float64/);
  assertThrows(() => F.smooth_l1_loss(x, y, 'none', { delta: 'a' } as never), E, /smooth_l1_loss/);
  assertThrows(() => F.mse_loss(x, y, 'avg' as never), E, /mse_loss.*reduction/);
});
