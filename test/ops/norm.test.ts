// Normalization operators: batch_norm (+ sync_batch_norm), layer_norm, group_norm,
// instance_norm, lrn, spectral_norm and F.local_response_norm. Expected values come from NumPy
// (the REF table below, printed by a NumPy script implementing Paddle's formulas); every
// differentiable op is checked against finite differences, also to second order where the
// composite double-grad path exists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { batchNormSync } from '../../src/ops/norm.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;
const E = paddle.errors.InvalidArgumentError;
type T = paddle.Tensor;

/** ((i * a) % m - off) / div over the flat index, float64 (the NumPy script uses the same). */
function seq(shape: number[], a = 7, m = 11, off = 5, div = 4, dtype: 'float64' | 'float32' = 'float64'): T {
  const n = shape.reduce((s, d) => s * d, 1);
  return paddle.to_tensor(Float64Array.from({ length: n }, (_, i) => (((i * a) % m) - off) / div), { dtype }).reshape(shape);
}
const vec = (v: number[], dtype: 'float64' | 'float32' = 'float64'): T => paddle.to_tensor(v, { dtype });

const REF = {
  bn_train_y1: [[[[-2.5079358, 0.6669426], [-1.1472736, 2.0276047]], [[-0.0054499, -0.6971836], [0.5133504, -0.1783833]], [[1.2370353, -0.9493803], [0.3, 1.5493803]]], [[[0.6669426, -1.1472736], [2.0276047, 0.2133885]], [[-0.6971836, 0.5133504], [-0.1783833, -0.870117]], [[-0.9493803, 0.3], [1.5493803, -0.6370353]]]],
  bn_rm1: [0.10875, 0.176875, -0.295],
  bn_rv1: [0.9683594, 1.8522461, 0.5140625],
  bn_sm1: [0.1875, -0.03125, -0.25],
  bn_sv1: [1.2094775, 1.3834674, 1.2493803],
  bn_train_y2: [[[[-2.5079501, 0.6669457], [-1.1472805, 2.0276153]], [[-0.0054485, -0.6971872], [0.5133555, -0.1783832]], [[1.2370407, -0.9493877], [0.3, 1.5493877]]], [[[0.6669457, -1.1472805], [2.0276153, 0.2133891]], [[-0.6971872, 0.5133555], [-0.1783832, -0.8701218]], [[-0.9493877, 0.3], [1.5493877, -0.6370407]]]],
  bn_rm2: [0.235375, 0.2529375, -0.2155],
  bn_rv2: [1.1449609, 1.8760059, 0.7189062],
  bn_rm_mom05: [0.14375, 0.084375, -0.275],
  bn_rv_mom05: [0.8417969, 1.2612305, 0.5703125],
  bn_eval_y: [[[[-1.9249899, 0.699997], [-0.7999955, 1.8249914]], [[-0.1823224, -0.5358749], [0.082842, -0.2707105]], [[1.2899396, -1.1849094], [0.22929, 1.6434894]]], [[[0.699997, -0.7999955], [1.8249914, 0.3249989]], [[-0.5358749, 0.082842], [-0.2707105, -0.624263]], [[-1.1849094, 0.22929], [1.6434894, -0.8313595]]]],
  bn_nhwc_y: [[[[-2.5079358, -0.0054499, 1.2370353], [0.6669426, -0.6971836, -0.9493803]], [[-1.1472736, 0.5133504, 0.3], [2.0276047, -0.1783833, 1.5493803]]], [[[0.6669426, -0.6971836, -0.9493803], [-1.1472736, 0.5133504, 0.3]], [[2.0276047, -0.1783833, 1.5493803], [0.2133885, -0.870117, -0.6370353]]]],
  bn_2d_y: [[-1.4662648, -0.2999987, -1.0130571], [0.4614457, 0.499991, 0.8252228], [2.3891562, -0.899991, -0.2252228], [-0.9843371, -0.1000013, 1.6130571]],
  bn_2d_rm: [0.04625, 0.1925, -0.27],
  bn_2d_rv: [0.9605469, 1.8390625, 0.540625],
  ln_y: [[[1.5657153, 0.125, -1.0886107, -0.5637666], [0.1756625, 1.1512082, 0.5385328, 0.3122077], [0.0, 1.0398969, 0.2126364, -1.7521435]], [[-1.3935175, 0.125, 1.9806372, 0.1146186], [-1.278899, -0.8705093, -0.1520763, 2.5307217], [0.0, -1.0686021, 0.964365, 0.2206784]]],
  ln_mean: [-0.1041667, 0.0416667],
  ln_var: [0.6922743, 0.5920139],
  ln_y_noaffine_b2: [[[-1.3130571, 0.5252228, -0.5252228, 1.3130571], [0.1999974, -1.3999821, 1.3999821, -0.1999974], [-0.7228914, 1.5261041, 0.2409638, -1.0441765]], [[0.1999974, -1.3999821, 1.3999821, -0.1999974], [-0.7228914, 1.5261041, 0.2409638, -1.0441765], [1.0441765, -0.2409638, -1.5261041, 0.7228914]]],
  ln_w: [-1.5, 0.0, 1.5, -0.5, 1.0, -1.0, 0.5, -1.5, 0.0, 1.5, -0.5, 1.0],
  ln_b: [-0.5, 0.125, -0.375, 0.25, -0.25, 0.375, -0.125, 0.5, 0.0, -0.5, 0.125, -0.375],
  gn_y: [[[[-1.3771435, 0.7261302, -0.4757405], [1.6275333, 0.4256625, -0.7762082]], [[3.1541312, 0.7503897, -1.6533517], [2.5531958, 0.1494544, -2.2542871]], [[-1.2978392, -0.6480082, -1.7852124], [-1.1353814, -0.4855505, -1.6227547]], [[1.9864619, 1.6615464, 2.2301485], [1.905233, 1.5803175, 2.1489196]]], [[[-0.5956784, 1.6787299, 0.3790681], [-0.9205938, 1.3538145, 0.0541526]], [[-1.9910186, 2.557798, -0.0415258], [-2.6408496, 1.907967, -0.6913567]], [[-1.6885718, -1.0876364, -0.486701], [-1.5383379, -0.9374026, -0.3364672]], [[2.194052, 1.8935844, 1.5931167], [2.1189351, 1.8184674, 2.3442859]]]],
  gn_mean: [[-0.1041667, 0.0416667], [-0.0416667, 0.1041667]],
  gn_var: [[0.6922743, 0.5920139], [0.5920139, 0.6922743]],
  in_y: [[[[-0.8130571, 1.0252228], [-0.0252228, 1.8130571]], [[-0.3999949, 2.7999642], [-2.7999642, 0.3999949]], [[-0.8614457, 0.2630521], [-0.3795181, -1.0220883]]], [[[0.6999974, -0.8999821], [1.8999821, 0.3000026]], [[1.4457829, -3.0522082], [-0.4819276, 2.088353]], [[0.0220883, -0.6204819], [-1.2630521, -0.1385543]]]],
  in_saved_mean: [0.0, 0.125, -0.4375, 0.375, -0.1875, -0.0625],
  in_saved_inv: [1.0504457, 1.5999795, 1.2851403, 1.5999795, 1.2851403, 1.2851403],
  lrn_out: [[[[-0.9239777, -0.5393448], [0.0, 0.564305]], [[0.8607005, -0.659667], [-0.1941699, 0.374748]], [[0.7587187, -0.7587187], [-0.374748, 0.1941699]], [[0.659667, -0.8607005], [-0.5315843, 0.0]], [[0.5393448, 0.9239777], [-0.7191264, -0.1973793]]], [[[0.3883397, 0.8496429], [-0.7961921, -0.3762033]], [[0.1941699, 0.659667], [-0.8607005, -0.5315843]], [[0.0, 0.5315843], [0.8607005, -0.659667]], [[-0.1941699, 0.374748], [0.7587187, -0.7587187]], [[-0.3883397, 0.1941699], [0.6797143, -0.9554305]]]],
  lrn_mid: [[[[2.8, 2.2777778], [2.0111111, 2.1444444]], [[3.0777778, 2.5555556], [2.0555556, 2.1555556]], [[2.8555556, 2.8555556], [2.1555556, 2.0555556]], [[2.5555556, 3.0777778], [2.3222222, 2.0222222]], [[2.2777778, 2.8], [2.2777778, 2.0111111]]], [[[2.0555556, 2.4555556], [2.6777778, 2.1444444]], [[2.0555556, 2.5555556], [3.0777778, 2.3222222]], [[2.0222222, 2.3222222], [3.0777778, 2.5555556]], [[2.0555556, 2.1555556], [2.8555556, 2.8555556]], [[2.0555556, 2.0555556], [2.4555556, 2.6777778]]]],
  lrn_out_n5: [[[[-1.9002191, -0.9733285], [0.0, 0.9923118]], [[1.8851527, -1.2738595], [-0.3307706, 0.6615412]], [[1.5640281, -1.5640281], [-0.6558258, 0.3305898]], [[1.2738595, -1.8851527], [-0.9837388, 0.0]], [[0.9733285, 1.9002191], [-1.3123574, -0.3329636]]], [[[0.6648225, 1.6222142], [-1.5835159, -0.6561787]], [[0.3322277, 1.2950478], [-1.8768337, -0.9712859]], [[0.0, 0.9707772], [1.8623126, -1.2712835]], [[-0.3322277, 0.6558258], [1.5709606, -1.5923244]], [[-0.6648225, 0.3307706], [1.2797134, -1.9195701]]]],
  lrnf_3d: [[[-1.3587604, -0.6793802, 0.0], [0.672088, 1.3025294, -0.9473346], [-0.2546768, 0.4579064, 1.1706862], [-1.4416868, -0.8059274, 0.2883374]], [[1.3634632, -1.3587604, -0.6793802], [0.0, 0.672088, 1.3025294], [-0.9473346, -0.2546768, 0.4579064], [1.1841683, -1.4416868, -0.8059274]]],
  lrnf_4d_size4: [[[[-1.4524272, -0.8721777], [0.0, 0.9236482]], [[1.3426676, -1.0477153], [-0.3209335, 0.6126985]], [[1.0692537, -1.156792], [-0.6126985, 0.3063493]], [[0.9254336, -1.2831044], [-0.8528898, 0.0]], [[0.7857864, 1.3426676], [-1.1422084, -0.3262206]]]],
  lrnf_4d_nhwc: [[[[-1.3466387, 1.2290606, 1.100617, 0.9860524, 0.840647], [-0.840647, -0.9860524, -1.100617, -1.2290606, 1.3466387]], [[0.0, -0.3180934, -0.5989069, -0.8219991, -1.1208627], [0.9041438, 0.5989069, 0.3180934, 0.0, -0.3274274]]]],
  lrnf_5d: [[[[[-1.4524272, -0.9012396], [0.0, 0.9012396]], [[1.4524272, -1.1273168], [-0.3262206, 0.6317379]]], [[[1.0438006, -1.2269115], [-0.6317379, 0.2975581]], [[0.8771457, -1.3157185], [-0.8926744, 0.0]]], [[[0.7361469, 1.2525607], [-1.0900097, -0.3226704]], [[0.5450049, 1.0438006], [-1.2269115, -0.6317379]]]]],
  sn_d0_it0: [[38.0952381, 14.2857143, -9.5238095, -33.3333333], [23.8095238, -0.0, -23.8095238, 33.3333333], [9.5238095, -14.2857143, -38.0952381, 19.047619]],
  sn_d0_it1: [[-0.8959813, -0.335993, 0.2239953, 0.7839836], [-0.5599883, 0.0, 0.5599883, -0.7839836], [-0.2239953, 0.335993, 0.8959813, -0.4479907]],
  sn_d0_it2: [[-0.6543298, -0.2453737, 0.1635825, 0.5725386], [-0.4089561, 0.0, 0.4089561, -0.5725386], [-0.1635825, 0.2453737, 0.6543298, -0.3271649]],
  sn_d1_it2: [[[[-0.4831913, -0.1811967], [0.1207978, 0.4227924]], [[-0.3019946, 0.0], [0.3019946, -0.4227924]], [[-0.1207978, 0.1811967], [0.4831913, -0.2415956]]], [[[0.0603989, 0.3623935], [-0.3623935, -0.0603989]], [[0.2415956, -0.4831913], [-0.1811967, 0.1207978]], [[0.4227924, -0.3019946], [0.0, 0.3019946]]]],
  sn_d1_it2_grad: [[[[-0.3663485, -0.1614924], [0.0433638, 0.3277058]], [[-0.2549256, -0.0813251], [0.0922754, 0.4129834]], [[-0.1726927, -0.0008133], [0.171066, -0.3920741]]], [[[-0.190884, 0.0934581], [0.3437426, -0.3372519]], [[-0.1357212, 0.1849868], [0.4426633, -0.2695869]], [[-0.0565863, 0.2661242], [-0.3616429, -0.1897636]]]],
  sn_G: [[[[-1.6666667, -0.6666667], [0.3333333, 1.3333333]], [[-1.3333333, -0.3333333], [0.6666667, 1.6666667]], [[-1.0, 0.0], [1.0, -1.6666667]]], [[[-0.6666667, 0.3333333], [1.3333333, -1.3333333]], [[-0.3333333, 0.6666667], [1.6666667, -1.0]], [[0.0, 1.0], [-1.6666667, -0.6666667]]]],
};

const W = [1.5, 0.5, -1.0];
const B = [0.1, -0.2, 0.3];
const RM = [0.1, 0.2, -0.3];
const RV = [1.0, 2.0, 0.5];

// ---- batch_norm -----------------------------------------------------------------------------

test('F.batch_norm training: batch statistics, running stats updated in place over 2 steps', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    const tol = dtype === 'float32' ? 1e-5 : 1e-7;
    const x = seq([2, 3, 2, 2], 7, 11, 5, 4, dtype);
    const rm = vec(RM, dtype);
    const rv = vec(RV, dtype);
    const y1 = F.batch_norm(x, rm, rv, vec(W, dtype), vec(B, dtype), { training: true });
    assert.equal(y1.dtype, dtype);
    assertClose(y1, REF.bn_train_y1, tol, tol);
    assertClose(rm, REF.bn_rm1, tol, tol);
    assertClose(rv, REF.bn_rv1, tol, tol);
    // step 2 on 2x + 1 starts from the updated statistics
    const y2 = F.batch_norm(paddle.scale(x, 2, 1), rm, rv, vec(W, dtype), vec(B, dtype), undefined, { training: true });
    assertClose(y2, REF.bn_train_y2, tol, tol);
    assertClose(rm, REF.bn_rm2, tol, tol);
    assertClose(rv, REF.bn_rv2, tol, tol);
  }
  // momentum
  const rm = vec(RM);
  const rv = vec(RV);
  F.batch_norm(seq([2, 3, 2, 2]), rm, rv, vec(W), vec(B), true, 0.5);
  assertClose(rm, REF.bn_rm_mom05, 1e-7, 1e-7);
  assertClose(rv, REF.bn_rv_mom05, 1e-7, 1e-7);
});

test('F.batch_norm eval (the default): running statistics, nothing updated; use_global_stats', () => {
  const x = seq([2, 3, 2, 2]);
  const rm = vec(RM);
  const rv = vec(RV);
  assertClose(F.batch_norm(x, rm, rv, vec(W), vec(B)), REF.bn_eval_y, 1e-7, 1e-7);
  assert.deepEqual(rm.tolist(), RM);
  assert.deepEqual(rv.tolist(), RV);
  // use_global_stats=True in training: running statistics, not updated
  assertClose(F.batch_norm(x, rm, rv, vec(W), vec(B), { training: true, use_global_stats: true }), REF.bn_eval_y, 1e-7, 1e-7);
  assert.deepEqual(rm.tolist(), RM);
  // use_global_stats=False in eval: batch statistics, and (as Paddle 2.0) the running ones update
  assertClose(F.batch_norm(x, rm, rv, vec(W), vec(B), { use_global_stats: false }), REF.bn_train_y1, 1e-7, 1e-7);
  assertClose(rm, REF.bn_rm1, 1e-7, 1e-7);
});

test('F.batch_norm NHWC / NLC layouts and 2-D input', () => {
  const xh = paddle.transpose(seq([2, 3, 2, 2]), [0, 2, 3, 1]);
  const rm = vec(RM);
  const rv = vec(RV);
  assertClose(F.batch_norm(xh, rm, rv, vec(W), vec(B), { training: true, data_format: 'NHWC' }), REF.bn_nhwc_y, 1e-7, 1e-7);
  assertClose(rm, REF.bn_rm1, 1e-7, 1e-7);
  const x2 = seq([4, 3], 5);
  const rm2 = vec(RM);
  const rv2 = vec(RV);
  assertClose(F.batch_norm(x2, rm2, rv2, vec(W), vec(B), { training: true, data_format: 'NC' }), REF.bn_2d_y, 1e-7, 1e-7);
  assertClose(rm2, REF.bn_2d_rm, 1e-7, 1e-7);
  assertClose(rv2, REF.bn_2d_rv, 1e-7, 1e-7);
  // [N, C] is the same whether read channel-second or channel-last
  const rm3 = vec(RM);
  assertClose(F.batch_norm(x2, rm3, vec(RV), vec(W), vec(B), { training: true, data_format: 'NLC' }), REF.bn_2d_y, 1e-7, 1e-7);
});

test('batch_norm op: SavedMean, SavedVariance (inverse std), MomentumTensor, one value per channel', () => {
  const x = seq([2, 3, 2, 2]);
  const r = dispatch('batch_norm', { X: [x], Scale: [vec(W)], Bias: [vec(B)], Mean: [vec(RM)], Variance: [vec(RV)] }, {});
  assertClose(r.SavedMean[0], REF.bn_sm1, 1e-7, 1e-7);
  assertClose(r.SavedVariance[0], REF.bn_sv1, 1e-7, 1e-7);
  assertClose(r.MeanOut[0], REF.bn_rm1, 1e-7, 1e-7);
  assertClose(r.VarianceOut[0], REF.bn_rv1, 1e-7, 1e-7);
  // the op itself is pure: Mean/Variance keep their values (the API writes MeanOut back)
  const m = vec(RM);
  dispatch('batch_norm', { X: [x], Scale: [vec(W)], Bias: [vec(B)], Mean: [m], Variance: [vec(RV)] }, {});
  assert.deepEqual(m.tolist(), RM);
  // MomentumTensor overrides the momentum attribute
  const rm = dispatch('batch_norm', { X: [x], Scale: [vec(W)], Bias: [vec(B)], Mean: [vec(RM)], Variance: [vec(RV)], MomentumTensor: [paddle.to_tensor([0.5], { dtype: 'float32' })] }, { momentum: 0.9 }).MeanOut[0];
  assertClose(rm, REF.bn_rm_mom05, 1e-7, 1e-7);
  // is_test: running statistics
  const t = dispatch('batch_norm', { X: [x], Scale: [vec(W)], Bias: [vec(B)], Mean: [vec(RM)], Variance: [vec(RV)] }, { is_test: true });
  assertClose(t.Y[0], REF.bn_eval_y, 1e-7, 1e-7);
  // training with one value per channel: y = x, running statistics kept (Paddle's CPU kernel)
  const one = dispatch('batch_norm', { X: [vec([2, -3]).reshape([1, 2])], Scale: [vec([3, 3])], Bias: [vec([1, 1])], Mean: [vec([0.5, 0.5])], Variance: [vec([2, 2])] }, {});
  assert.deepEqual(one.Y[0].tolist(), [[2, -3]]);
  assert.deepEqual(one.MeanOut[0].tolist(), [0.5, 0.5]);
  // float16 input with float32 parameters
  const h = dispatch('batch_norm', { X: [seq([2, 3, 2, 2]).astype('float16')], Scale: [vec(W, 'float32')], Bias: [vec(B, 'float32')], Mean: [vec(RM, 'float32')], Variance: [vec(RV, 'float32')] }, {});
  assert.equal(h.Y[0].dtype, 'float16');
  assert.equal(h.MeanOut[0].dtype, 'float32');
  assertClose(h.Y[0], REF.bn_train_y1, 2e-3, 2e-3);
});

test('batch_norm gradients: X, Scale, Bias (train NCHW/NHWC, global stats), and second order', () => {
  const w = vec(W);
  const b = vec(B);
  const bn = (attrs: Record<string, unknown>) => (x: T, s: T, bb: T): T =>
    dispatch('batch_norm', { X: [x], Scale: [s], Bias: [bb], Mean: [vec(RM)], Variance: [vec(RV)] }, { ...attrs }).Y[0];
  checkGrad(bn({}), [randTensor([3, 3, 2, 2]), w, b]);
  checkGrad(bn({ data_layout: 'NHWC' }), [randTensor([2, 2, 3, 3]), w, b]);
  checkGrad(bn({ use_global_stats: true }), [randTensor([2, 3, 2]), w, b]);
  checkGrad(bn({ is_test: true }), [randTensor([2, 3, 2]), w, b]);
  checkGrad(bn({}), [randTensor([5, 3]), w, b]);
  // second derivatives through the composite gradient (create_graph)
  checkGrad(bn({}), [randTensor([3, 3, 2]), w, b], { second: true, rtol: 1e-3, atol: 1e-5 });
  checkGrad(bn({ data_layout: 'NHWC' }), [randTensor([2, 2, 3]), w, b], { second: true, rtol: 1e-3, atol: 1e-5 });
  checkGrad(bn({ use_global_stats: true }), [randTensor([2, 3, 2]), w, b], { second: true, rtol: 1e-3, atol: 1e-5 });
  // through F.batch_norm in training mode
  checkGrad((x, s, bb) => F.batch_norm(x, vec(RM), vec(RV), s, bb, { training: true }), [randTensor([4, 3]), w, b]);
});

test('batch_norm_grad op agrees with the composite gradient', () => {
  const x = randTensor([3, 3, 2]);
  const g = randTensor([3, 3, 2]);
  const ins = { X: [x], Scale: [vec(W)], Bias: [vec(B)], Mean: [vec(RM)], Variance: [vec(RV)] };
  const f = dispatch('batch_norm', ins, {});
  const fused = dispatch('batch_norm_grad', { X: [x], Scale: [vec(W)], Bias: [vec(B)], SavedMean: f.SavedMean, SavedVariance: f.SavedVariance, 'Y@GRAD': [g] }, {});
  const xs = x.clone();
  xs.stop_gradient = false;
  const s = vec(W);
  s.stop_gradient = false;
  const bb = vec(B);
  bb.stop_gradient = false;
  const y = dispatch('batch_norm', { X: [xs], Scale: [s], Bias: [bb], Mean: [vec(RM)], Variance: [vec(RV)] }, {}).Y[0];
  const [gx, gs, gb] = paddle.grad([y], [xs, s, bb], { grad_outputs: [g], create_graph: true });
  assertClose(fused['X@GRAD'][0], gx!, 1e-9, 1e-9);
  assertClose(fused['Scale@GRAD'][0], gs!, 1e-9, 1e-9);
  assertClose(fused['Bias@GRAD'][0], gb!, 1e-9, 1e-9);
});

test('sync_batch_norm: one process equals batch_norm; the allreduce hook gives global statistics', () => {
  const x = seq([4, 3, 2]);
  const ins = (xx: T) => ({ X: [xx], Scale: [vec(W)], Bias: [vec(B)], Mean: [vec(RM)], Variance: [vec(RV)] });
  const a = dispatch('batch_norm', ins(x), {});
  const s = dispatch('sync_batch_norm', ins(x), {});
  for (const k of ['Y', 'MeanOut', 'VarianceOut', 'SavedMean', 'SavedVariance']) assertClose(s[k][0], a[k][0], 1e-12, 1e-12);
  // Two "processes" holding halves of the batch: process B's partial sums are added to A's.
  const xa = paddle.slice(x, [0], [0], [2]);
  const xb = paddle.slice(x, [0], [2], [4]);
  let partB: Float64Array | null = null;
  try {
    batchNormSync.allreduce = (buf) => void (partB = buf.slice());
    dispatch('sync_batch_norm', ins(xb), {});
    batchNormSync.allreduce = (buf) => { for (let i = 0; i < buf.length; i++) buf[i] += partB![i]; };
    const ya = dispatch('sync_batch_norm', ins(xa), {});
    assertClose(ya.Y[0], paddle.slice(a.Y[0], [0], [0], [2]), 1e-10, 1e-10);
    assertClose(ya.MeanOut[0], a.MeanOut[0], 1e-10, 1e-10);
    assertClose(ya.VarianceOut[0], a.VarianceOut[0], 1e-10, 1e-10);
    // backward: the same reduction of [sum dy, sum dy*(x - mean), count]
    const g = seq([4, 3, 2], 3, 7, 3, 2);
    const full = dispatch('batch_norm_grad', { X: [x], Scale: [vec(W)], Bias: [vec(B)], SavedMean: a.SavedMean, SavedVariance: a.SavedVariance, 'Y@GRAD': [g] }, {});
    const gb = paddle.slice(g, [0], [2], [4]);
    const ga = paddle.slice(g, [0], [0], [2]);
    batchNormSync.allreduce = (buf) => void (partB = buf.slice());
    dispatch('sync_batch_norm_grad', { X: [xb], Scale: [vec(W)], Bias: [vec(B)], SavedMean: ya.SavedMean, SavedVariance: ya.SavedVariance, 'Y@GRAD': [gb] }, {});
    batchNormSync.allreduce = (buf) => { for (let i = 0; i < buf.length; i++) buf[i] += partB![i]; };
    const da = dispatch('sync_batch_norm_grad', { X: [xa], Scale: [vec(W)], Bias: [vec(B)], SavedMean: ya.SavedMean, SavedVariance: ya.SavedVariance, 'Y@GRAD': [ga] }, {});
    assertClose(da['X@GRAD'][0], paddle.slice(full['X@GRAD'][0], [0], [0], [2]), 1e-10, 1e-10);
  } finally {
    batchNormSync.allreduce = null;
  }
});

test('batch_norm errors: channel mismatch, data_format, rank, epsilon', () => {
  const x = seq([2, 3, 2, 2]);
  assertThrows(() => F.batch_norm(x, vec([0, 0]), vec([1, 1]), vec([1, 1]), vec([0, 0])), E, /batch_norm/, /Scale must have shape \[3\]/);
  assertThrows(() => F.batch_norm(x, vec(RM), vec(RV), vec(W), vec(B), { data_format: 'NHWC' }), E, /Scale must have shape \[2\]/);
  assertThrows(() => F.batch_norm(x, vec(RM), vec(RV), vec(W), vec(B), { data_format: 'CHWN' }), E, /data_format must be one of 'NC', 'NCL'/);
  assertThrows(() => F.batch_norm(vec([1, 2, 3]), vec(RM), vec(RV), vec(W), vec(B)), E, /input dim must be larger than 1/);
  assertThrows(() => F.batch_norm(x, vec(RM), vec(RV), vec(W), vec(B), { epsilon: 0.1 }), E, /epsilon must be in \[0, 0.001\]/);
  assertThrows(() => F.batch_norm(x, vec(RM, 'float32'), vec(RV), vec(W), vec(B)), E, /Mean must have dtype float64/);
  assertThrows(() => dispatch('batch_norm', { X: [x], Scale: [vec(W)], Bias: [vec(B)], Mean: [vec(RM)], Variance: [vec(RV)] }, { data_layout: 'NDHW' }), E, /data_layout must be 'NCHW' or 'NHWC'/);
});

test('batch_norm in a static program: MeanOut aliases the running mean, updated per run', () => {
  const xv = seq([2, 3, 2, 2]);
  const xv2 = paddle.scale(xv, 2, 1);
  const [wt, bt, mt, vt] = [vec(W), vec(B), vec(RM), vec(RV)];
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    paddle.static.scope_guard(new paddle.static.Scope(), () =>
      paddle.static.program_guard(main, startup, () => {
        const block = main.global_block();
        const x = paddle.static.data('x', [-1, 3, 2, 2], 'float64');
        const w = block.create_parameter({ name: 'w', shape: [3], dtype: 'float64' });
        const b = block.create_parameter({ name: 'b', shape: [3], dtype: 'float64' });
        const m = block.create_parameter({ name: 'm', shape: [3], dtype: 'float64' });
        const v = block.create_parameter({ name: 'v', shape: [3], dtype: 'float64' });
        const y = F.batch_norm(x, m, v, w, b, { training: true });
        assert.deepEqual(y.shape, [-1, 3, 2, 2]);
        const op = block.ops.find((o) => o.type === 'batch_norm')!;
        assert.deepEqual(op.output('MeanOut'), ['m']);
        assert.deepEqual(op.output('VarianceOut'), ['v']);
        const scope = paddle.static.global_scope();
        scope.set('w', wt);
        scope.set('b', bt);
        scope.set('m', mt);
        scope.set('v', vt);
        const [y1] = exe.run(main, { feed: { x: xv }, fetch_list: [y] });
        const [y2, m2] = exe.run(main, { feed: { x: xv2 }, fetch_list: [y, 'm'] });
        paddle.disable_static();
        try {
          assertClose(y1, REF.bn_train_y1, 1e-7, 1e-7);
          assertClose(y2, REF.bn_train_y2, 1e-7, 1e-7);
          assertClose(m2, REF.bn_rm2, 1e-7, 1e-7);
        } finally {
          paddle.enable_static();
        }
      }),
    );
  } finally {
    paddle.disable_static();
  }
});

// ---- layer_norm -----------------------------------------------------------------------------

test('layer_norm: values, Mean/Variance outputs, without affine, and gradients', () => {
  const x = seq([2, 3, 4]);
  const w = vec(REF.ln_w);
  const b = vec(REF.ln_b);
  const r = dispatch('layer_norm', { X: [x], Scale: [w], Bias: [b] }, { begin_norm_axis: 1 });
  assertClose(r.Y[0], REF.ln_y, 1e-7, 1e-7);
  assertClose(r.Mean[0], REF.ln_mean, 1e-7, 1e-7);
  assertClose(r.Variance[0], REF.ln_var, 1e-7, 1e-7);
  assertClose(F.layer_norm(x, [3, 4], w, b), REF.ln_y, 1e-7, 1e-7);
  // weight of shape normalized_shape is taken too
  assertClose(F.layer_norm(x, [3, 4], w.reshape([3, 4]), b.reshape([3, 4])), REF.ln_y, 1e-7, 1e-7);
  assertClose(F.layer_norm(x, 4), REF.ln_y_noaffine_b2, 1e-7, 1e-7);
  assertClose(F.layer_norm(x.astype('float32'), 4), REF.ln_y_noaffine_b2, 1e-5, 1e-5);
  checkGrad((xx, ww, bb) => F.layer_norm(xx, [3, 4], ww, bb), [randTensor([2, 3, 4]), randTensor([12]), randTensor([12])]);
  checkGrad((xx) => F.layer_norm(xx, [4]), [randTensor([3, 4])]);
  checkGrad((xx, ww) => F.layer_norm(xx, [2, 3], ww), [randTensor([2, 2, 3]), randTensor([6])]);
  checkGrad((xx, ww, bb) => F.layer_norm(xx, [3], ww, bb), [randTensor([2, 3]), randTensor([3]), randTensor([3])], { second: true, rtol: 1e-3, atol: 1e-5 });
});

test('layer_norm errors', () => {
  const x = seq([2, 3, 4]);
  assertThrows(() => F.layer_norm(x, [3]), E, /Given normalized_shape is \[3\], expected input with shape \[\*, 3\], but got input shape \[2, 3, 4\]/);
  assertThrows(() => F.layer_norm(x, [4], vec([1, 2, 3])), E, /Scale must have shape \[4\]/);
  assertThrows(() => F.layer_norm(x, [4], null, null, 0.5), E, /epsilon must be in \[0, 0.001\]/);
  assertThrows(() => dispatch('layer_norm', { X: [x] }, { begin_norm_axis: 3 }), E, /begin_norm_axis must be in \[0, 3\)/);
});

// ---- group_norm -----------------------------------------------------------------------------

test('group_norm: values (NCHW and NHWC), Mean/Variance, gradients', () => {
  const x = seq([2, 4, 2, 3]);
  const w = vec([1.0, 2.0, -0.5, 0.25]);
  const b = vec([0.0, 0.5, -1.0, 2.0]);
  const r = dispatch('group_norm', { X: [x], Scale: [w], Bias: [b] }, { groups: 2 });
  assertClose(r.Y[0], REF.gn_y, 1e-7, 1e-7);
  assertClose(r.Mean[0], REF.gn_mean, 1e-7, 1e-7);
  assertClose(r.Variance[0], REF.gn_var, 1e-7, 1e-7);
  const h = dispatch('group_norm', { X: [paddle.transpose(x, [0, 2, 3, 1])], Scale: [w], Bias: [b] }, { groups: 2, data_layout: 'NHWC' });
  assertClose(paddle.transpose(h.Y[0], [0, 3, 1, 2]), REF.gn_y, 1e-7, 1e-7);
  const gn = (attrs: Record<string, unknown>) => (xx: T, ww: T, bb: T): T => dispatch('group_norm', { X: [xx], Scale: [ww], Bias: [bb] }, { ...attrs }).Y[0];
  checkGrad(gn({ groups: 2 }), [randTensor([2, 4, 3]), randTensor([4]), randTensor([4])]);
  checkGrad(gn({ groups: 2, data_layout: 'NHWC' }), [randTensor([2, 3, 4]), randTensor([4]), randTensor([4])]);
  checkGrad(gn({ groups: 1 }), [randTensor([1, 2, 2, 2]), randTensor([2]), randTensor([2])]);
  checkGrad((xx) => dispatch('group_norm', { X: [xx] }, { groups: 3 }).Y[0], [randTensor([2, 3, 2])]);
  checkGrad(gn({ groups: 2 }), [randTensor([2, 4, 2]), randTensor([4]), randTensor([4])], { second: true, rtol: 1e-3, atol: 1e-5 });
  checkGrad(gn({ groups: 2, data_layout: 'NHWC' }), [randTensor([1, 2, 4]), randTensor([4]), randTensor([4])], { second: true, rtol: 1e-3, atol: 1e-5 });
});

test('group_norm errors: groups not dividing the channels, too many groups, scale size', () => {
  const x = seq([2, 4, 2, 3]);
  assertThrows(() => dispatch('group_norm', { X: [x] }, { groups: 3 }), E, /number of channels \(4\) must be divisible by groups \(3\)/);
  assertThrows(() => dispatch('group_norm', { X: [x] }, { groups: 5 }), E, /groups \(5\) must be at most the number of channels \(4/);
  assertThrows(() => dispatch('group_norm', { X: [x] }, { groups: 0 }), E, /groups must be an integer >= 1/);
  assertThrows(() => dispatch('group_norm', { X: [x], Scale: [vec([1, 1])] }, { groups: 2 }), E, /Scale must have shape \[4\]/);
  assertThrows(() => dispatch('group_norm', { X: [x] }, {}), E, /needs attribute 'groups'/);
});

// ---- instance_norm --------------------------------------------------------------------------

test('instance_norm: values, SavedMean / SavedVariance (inverse std), gradients', () => {
  const x = seq([2, 3, 2, 2]);
  const w = vec([1.0, -2.0, 0.5]);
  const b = vec([0.5, 0.0, -0.5]);
  const r = dispatch('instance_norm', { X: [x], Scale: [w], Bias: [b] }, {});
  assertClose(r.Y[0], REF.in_y, 1e-7, 1e-7);
  assertClose(r.SavedMean[0], REF.in_saved_mean, 1e-7, 1e-7);
  assertClose(r.SavedVariance[0], REF.in_saved_inv, 1e-6, 1e-6);
  assertClose(F.instance_norm(x, { weight: w, bias: b }), REF.in_y, 1e-7, 1e-7);
  const fin = (xx: T, ww: T, bb: T): T => F.instance_norm(xx, null, null, ww, bb);
  checkGrad(fin, [randTensor([2, 3, 4]), randTensor([3]), randTensor([3])]);
  checkGrad((xx) => F.instance_norm(xx), [randTensor([2, 2, 2, 2])]);
  checkGrad(fin, [randTensor([2, 2, 3]), randTensor([2]), randTensor([2])], { second: true, rtol: 1e-3, atol: 1e-5 });
  // only Bias: Bias@GRAD is the channel sum of dy
  const bb = vec([1, 2]);
  bb.stop_gradient = false;
  const y = dispatch('instance_norm', { X: [seq([2, 2, 3])], Bias: [bb] }, {}).Y[0];
  paddle.sum(y).backward();
  assert.deepEqual(bb.grad!.tolist(), [6, 6]);
  assertThrows(() => F.instance_norm(x, { data_format: 'NHWC' }), E, /data_format must be one of 'NC', 'NCL', 'NCHW', 'NCDHW'/);
  assertThrows(() => F.instance_norm(x, { weight: vec([1, 2]) }), E, /Scale must have shape \[3\]/);
});

// ---- lrn ------------------------------------------------------------------------------------

test('lrn op: Out and MidOut (alpha not divided by n), NHWC, gradient', () => {
  const x = seq([2, 5, 2, 2], 3, 13, 6, 3);
  const r = dispatch('lrn', { X: [x] }, { n: 3, k: 2.0, alpha: 0.1, beta: 0.75 });
  assertClose(r.Out[0], REF.lrn_out, 1e-7, 1e-7);
  assertClose(r.MidOut[0], REF.lrn_mid, 1e-7, 1e-7);
  assertClose(dispatch('lrn', { X: [x] }, { n: 5, k: 1.0, alpha: 0.01, beta: 0.5 }).Out[0], REF.lrn_out_n5, 1e-7, 1e-7);
  const h = dispatch('lrn', { X: [paddle.transpose(x, [0, 2, 3, 1])] }, { n: 3, k: 2.0, alpha: 0.1, beta: 0.75, data_format: 'NHWC' });
  assertClose(paddle.transpose(h.Out[0], [0, 3, 1, 2]), REF.lrn_out, 1e-7, 1e-7);
  const lrn = (attrs: Record<string, unknown>) => (xx: T): T => dispatch('lrn', { X: [xx] }, { ...attrs }).Out[0];
  checkGrad(lrn({ n: 3, k: 2, alpha: 0.3, beta: 0.75 }), [randTensor([2, 4, 2, 2])]);
  checkGrad(lrn({ n: 5, k: 1, alpha: 0.2, beta: 0.6, data_format: 'NHWC' }), [randTensor([1, 2, 2, 6])]);
  assertThrows(() => dispatch('lrn', { X: [x] }, { n: 4 }), E, /n must be a positive odd integer, but got 4/);
  assertThrows(() => dispatch('lrn', { X: [seq([2, 5, 2])] }, {}), E, /X must be 4-D/);
  assertThrows(() => dispatch('lrn', { X: [x] }, { beta: 0 }), E, /beta must be greater than 0/);
});

// ---- F.local_response_norm ------------------------------------------------------------------

test('F.local_response_norm: 3-D, 4-D (NCHW/NHWC, even size), 5-D, gradient', () => {
  assertClose(F.local_response_norm(seq([2, 4, 3], 3, 13, 6, 2), 3, 0.5, 0.75, 1.0), REF.lrnf_3d, 1e-7, 1e-7);
  const x4 = seq([1, 5, 2, 2], 3, 13, 6, 2);
  assertClose(F.local_response_norm(x4, 4, 0.3, 0.6, 2.0), REF.lrnf_4d_size4, 1e-7, 1e-7);
  assertClose(F.local_response_norm(paddle.transpose(x4, [0, 2, 3, 1]), 3, 0.3, 0.6, 2.0, 'NHWC'), REF.lrnf_4d_nhwc, 1e-7, 1e-7);
  assertClose(F.local_response_norm(seq([1, 3, 2, 2, 2], 3, 13, 6, 2), 2, 0.3, 0.6, 2.0), REF.lrnf_5d, 1e-7, 1e-7);
  checkGrad((xx) => F.local_response_norm(xx, 3, 0.5, 0.75, 1.0), [randTensor([1, 4, 2, 2])]);
  checkGrad((xx) => F.local_response_norm(xx, 2, 0.5, 0.75, 1.0, 'NLC'), [randTensor([2, 3, 3])]);
  assertThrows(() => F.local_response_norm(seq([2, 4]), 3), E, /Expected 3D or higher dimensionality input, but got 2 dimensions/);
  assertThrows(() => F.local_response_norm(seq([2, 4, 3]), 3, { data_format: 'NCWH' }), E, /data_format should be in one of/);
});

// ---- spectral_norm --------------------------------------------------------------------------

test('spectral_norm: power iterations (dim 0 and 1), gradient with u, v held constant', () => {
  const w = seq([3, 4], 5, 17, 8, 4);
  const u = vec([0.3, -0.5, 0.8]);
  const v = vec([0.1, 0.2, -0.4, 0.6]);
  for (const it of [0, 1, 2] as const) {
    const o = dispatch('spectral_norm', { Weight: [w], U: [u], V: [v] }, { dim: 0, power_iters: it }).Out[0];
    assertClose(o, REF[`sn_d0_it${it}`], 1e-6, 1e-6);
  }
  // U and V are inputs only: they are not updated
  assert.deepEqual(u.tolist(), [0.3, -0.5, 0.8]);
  const w4 = seq([2, 3, 2, 2], 5, 17, 8, 4);
  const u1 = vec([0.5, -0.2, 0.7]);
  const v1 = seq([8], 3, 7, 3, 5);
  assertClose(dispatch('spectral_norm', { Weight: [w4], U: [u1], V: [v1] }, { dim: 1, power_iters: 2 }).Out[0], REF.sn_d1_it2, 1e-7, 1e-7);
  // gradient: dW = G / sigma - sum(G * W) / sigma^2 * u v^T, with the iterated u, v
  const wv = w4.clone();
  wv.stop_gradient = false;
  const o = dispatch('spectral_norm', { Weight: [wv], U: [u1], V: [v1] }, { dim: 1, power_iters: 2 }).Out[0];
  paddle.sum(paddle.multiply(o, paddle.to_tensor(REF.sn_G, { dtype: 'float64' }))).backward();
  assertClose(wv.grad!, REF.sn_d1_it2_grad, 1e-6, 1e-6);
  // with no iterations u, v are fixed, so the finite differences are exact
  const sn = (dim: number, uu: T, vv: T) => (ww: T): T => dispatch('spectral_norm', { Weight: [ww], U: [uu], V: [vv] }, { dim, power_iters: 0 }).Out[0];
  checkGrad(sn(0, randTensor([3], 0.5, 1), randTensor([4], 0.5, 1)), [randTensor([3, 4], 0.5, 1.5)]);
  checkGrad(sn(1, randTensor([3], 0.5, 1), randTensor([4], 0.5, 1)), [randTensor([2, 3, 2], 0.5, 1.5)]);
  assertThrows(() => dispatch('spectral_norm', { Weight: [w], U: [u], V: [v] }, { dim: 2 }), E, /dim can only be 0 or 1, but got 2/);
  assertThrows(() => dispatch('spectral_norm', { Weight: [w], U: [v], V: [v] }, {}), E, /U must have shape \[3\]/);
  assertThrows(() => dispatch('spectral_norm', { Weight: [seq([4])], U: [u], V: [v] }, {}), E, /Weight must be 2-D to 5-D/);
});
