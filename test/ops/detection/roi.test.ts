// RoI pooling operators and their gradients: roi_pool, roi_align (torchvision's
// aligned=False semantics), psroi_pool, prroi_pool, roi_perspective_transform and
// deformable_roi_pooling. Expected values: NumPy re-implementations (Caffe / torchvision roi_pool
// and roi_align; R-FCN psroi; deformable PS-RoI from MSRA's formulas), prroi_pool against a
// numeric integral of the bilinear interpolation (120 x 120 midpoints per bin), hand-derived
// perspective crops. Gradients: the shared finite-difference checker in float64.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { Tensor } from '../../../src/index.js';
import { dispatch } from '../../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../../helpers/assert.js';
import { checkGrad, randTensor } from '../../helpers/gradcheck.js';

const L = paddle.fluid.layers;
const E = paddle.errors.InvalidArgumentError;
/** The NumPy reference's data: ((i * 7) % 23 - 11) / 2 + (i % 5) / 10 in row-major order. */
function data(shape: number[], dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Array.from({ length: n }, (_, i) => (((i * 7) % 23) - 11) * 0.5 + (i % 5) * 0.1), { dtype }).reshape(shape);
}
const t = (v: unknown, dtype: 'float32' | 'float64' | 'int32' | 'int64' = 'float32') => paddle.to_tensor(v as number[], { dtype });
function withLod<V extends Tensor>(x: V, lod: number[]): V {
  x.lod = [lod];
  return x;
}
const R = [[0.6, 1.2, 4.4, 4.8], [2.2, 0.3, 6.7, 3.4], [-1, 2.5, 3, 7.5], [1, 1, 1, 1]];
const RP = [[[[4.6, 4.6, 1.5], [5.6, 1.3, 4.9]], [[3.5, 5.9, 5.9], [5.2, 5.2, 2.1]]], [[[5.3, 2.2, 5.8], [4.6, 5.1, -2.8]], [[4.2, -0.1, 3], [5.9, 2.8, 4.7]]], [[[5.5, 5.5, 4.8], [0, 0, 0]], [[4.9, 4.9, 5.4], [0, 0, 0]]], [[[-5.3, -5.3, -5.3], [-5.3, -5.3, -5.3]], [[3.9, 3.9, 3.9], [3.9, 3.9, 3.9]]]];
const RP_ARG = [[[[16, 16, 25], [36, 38, 39]], [[23, 17, 17], [30, 30, 39]]], [[[3, 12, 13], [16, 26, 27]], [[10, 12, 13], [17, 26, 20]]], [[[21, 21, 24], [-1, -1, -1]], [[28, 28, 38], [-1, -1, -1]]], [[[8, 8, 8], [8, 8, 8]], [[8, 8, 8], [8, 8, 8]]]];
const RP_HALF = [[[[-0.2, 3.4], [1, 4.6], [1, 4.6]], [[5.4, 0.6], [5.4, 2.3], [-1.3, 2.3]]], [[[1.7, 5.3], [3.4, 3.4], [4.6, 4.6]], [[-0.6, 2.5], [0.6, 4.2], [2.3, 5.9]]], [[[4.3, -0.5], [5.5, 1.2], [5.5, 2.9]], [[1.5, 5.1], [3.2, 5.1], [4.9, 0.1]]], [[[-5.3, -5.3], [-5.3, -5.3], [-5.3, -5.3]], [[3.9, 3.9], [3.9, 3.9], [3.9, 3.9]]]];
const RA = [[[[1.43234375, -1.46828125], [-0.2065625, 1.12390625]], [[0.7365625, 0.44625], [2.2721875, -1.2178125]]], [[[-1.43625, 2.74515625], [-0.685878906, 0.521757812]], [[0.35234375, 1.57933594], [-0.477675781, 0.379589844]]], [[[-0.075, 0.7171875], [-0.9125, 0.6125]], [[0.7421875, -0.1609375], [-2.25, 0.9]]], [[[-4.00625, -2.26875], [-3.21875, -1.60625]], [[2.13125, -2.00625], [2.79375, -1.21875]]]];
const RA_ADAPT = [[[[1.2074, -1.4642], [1.139, -1.359], [0.5552, -2.0544]], [[-0.9176, 3.2636], [0.182, 1.838], [1.5968, -1.087]]], [[[0.2242, -0.239733333], [-0.7628, 1.072], [-0.861633333, 2.324]], [[1.82263333, -2.63333333], [3.1463, -1.468], [2.45276667, -0.322666667]]], [[[3.52, -0.74], [-2.06333333, 1.37666667], [-1.98, 2.66]], [[1.82, -1.57333333], [1.63666667, -1.25666667], [-4.68, 0.36]]], [[[-4.8125, -3.20416667], [-4.6175, -2.8925], [-4.05916667, -2.4175]], [[3.44333333, -0.556666667], [3.8475, -0.2775], [4.25583333, 0.214166667]]]];
const PS_ROIS = [[0.4, 0.6, 3.6, 4.2], [1.2, 0.2, 5.4, 3.7], [0, 0, 0, 0]];
const PS = [[[[1, -0.133333333], [-0.05, 0.733333333]], [[1.25, 0.116666667], [0.2, -0.933333333]]], [[[0.244444444, -0.277777778], [0.444444444, 0.0333333333]], [[-0.144444444, 0.611111111], [0.0555555556, 0.922222222]]], [[[-5, -3.5], [-2, -0.5]], [[1, 2.5], [4, 5.5]]]];
const PS_SCALE = [[[[0.15, -0.0333333333], [0.3, 1.2]], [[0.4, 0.855555556], [0.55, -0.466666667]]], [[[-0.433333333, 0.516666667], [0.3, -0.222222222]], [[-0.183333333, 0.766666667], [1.18888889, -0.611111111]]], [[[-5, -3.5], [-2, -0.5]], [[1, 2.5], [4, 5.5]]]];
const PR = [[[[1.01690624, -1.02361391], [-0.0748794073, 0.769683421]], [[0.656594525, 0.503730327], [1.77197354, -0.722529083]]], [[[-1.15652523, 2.17836651], [-0.54533179, 0.279157885]], [[0.604082513, 1.07750554], [-0.00989831586, 0.359326222]]], [[[-0.35, 0.60625], [-0.235, 0.245]], [[0.25, -0.025], [-0.63, 0.36]]]];
const T = [[[[-0.33, -0.22], [-0.11, 0]], [[0.11, 0.22], [0.33, -0.33]]], [[[-0.22, -0.11], [0, 0.11]], [[0.22, 0.33], [-0.33, -0.22]]], [[[-0.11, 0], [0.11, 0.22]], [[0.33, -0.33], [-0.22, -0.11]]]];
const DF = [[[[-1.50573125, 2.0822], [-0.762725, 0.85621875]], [[0.02325, 1.4134], [-0.64625, 1.5941875]]], [[[-1.115, -0.412790625], [0.05653125, 1.78394375]], [[0.3788, 1.13084375], [0.27278125, 1.45870625]]], [[[-0.705625, 0.38246875], [0.6907125, 0.45273125]], [[0.070978125, 1.371375], [0.32771875, 1.06421875]]]];
const DF_CNT = [[[[2, 4], [2, 4]], [[2, 4], [2, 4]]], [[[4, 4], [4, 4]], [[4, 4], [4, 4]]], [[[4, 4], [4, 4]], [[4, 4], [4, 4]]]];
const DF_NOTRANS = [[[[-4.39166667, -0.591666667], [-2.31450617, 1.15949074]], [[3.50740741, -2.12430556], [-1.21481481, -0.909027778]], [[1.73518519, -0.236805556], [2.84166667, -2.69861111]], [[-0.291666667, 2.25833333], [1.47839506, 2.18078704]], [[-2.8, 0.927083333], [-0.968209877, 0.983796296]], [[0.571296296, -1.03263889], [-3.31450617, 0.239351852]], [[2.50740741, -3.12430556], [4.03209877, -1.32337963]], [[1.26759259, 1.95763889], [2.30308642, -0.930092593]]], [[[-3.81111111, 0.651851852], [-2.06875, 2.05625]], [[0.574074074, -1.67901235], [0.450694444, -0.276157407]], [[2.31574074, -0.719753086], [0.0152777778, -2.35046296]], [[0.288888889, 3.65308642], [1.95833333, -0.516203704]], [[-2.06666667, 1.82993827], [-0.675, 1.71851852]], [[1.15185185, -0.312654321], [-2.50972222, 1.26921296]], [[-0.425925926, -2.67901235], [1.12777778, -1.27615741]], [[1.84814815, -1.25833333], [2.20972222, -0.581944444]]], [[[1.05277778, -0.152083333], [2.11604938, -2.79675926]], [[-0.932407407, 2.13472222], [0.886651235, 2.25509259]], [[-1.25555556, 0.95625], [-0.819212963, 0.931944444]], [[0.935185185, -1.01388889], [-1.95910494, 0.320601852]], [[1.68726852, -3.13333333], [3.48587963, -1.32893519]], [[0.585185185, 2.04236111], [1.57746914, -1.02824074]], [[-0.628009259, 1.13472222], [-0.0778549383, 1.46805556]], [[-2.25555556, -0.04375], [-1.81921296, 1.68888889]]]];

test('roi_pool: rounded RoIs, floor/ceil bins, max (NumPy reference); rois_num or LoD; Argmax', () => {
  const x = data([2, 2, 6, 7]);
  const rois = t(R);
  const out = L.roi_pool(x, rois, 2, 3, 1.0, t([2, 2], 'int32'));
  assert.deepEqual(out.shape, [4, 2, 2, 3]);
  assertClose(out, RP, 1e-6, 1e-6);
  // the same with the RoIs' LoD instead of rois_num, and a spatial scale
  assertClose(L.roi_pool(x, withLod(t(R), [0, 2, 4]), 3, 2, 0.5), RP_HALF, 1e-6, 1e-6);
  const r = dispatch('roi_pool', { X: [x], ROIs: [rois], RoisNum: [t([2, 2], 'int32')] }, { pooled_height: 2, pooled_width: 3 });
  assert.equal(r.Argmax[0].dtype, 'int64');
  assert.deepEqual(r.Argmax[0].tolist(), RP_ARG);
});

test('roi_align: bilinear samples averaged per bin, fixed and adaptive sampling_ratio (torchvision aligned=False)', () => {
  const x = data([2, 2, 6, 7]);
  assertClose(L.roi_align(x, t(R), 2, 2, 1.0, 2, t([2, 2], 'int32')), RA, 1e-5, 1e-6);
  assertClose(L.roi_align(x, withLod(t(R), [0, 2, 4]), 3, 2, 0.8), RA_ADAPT, 1e-5, 1e-6);
  // float64
  const o64 = L.roi_align(data([2, 2, 6, 7], 'float64'), t(R, 'float64'), 2, 2, 1.0, 2, t([2, 2], 'int32'));
  assert.equal(o64.dtype, 'float64');
  assertClose(o64, RA, 1e-9, 1e-7);
});

test('psroi_pool: bin (i, j) of channel c averages input channel (c * ph + i) * pw + j (NumPy reference)', () => {
  const x = data([2, 8, 5, 6]);
  assertClose(L.psroi_pool(x, withLod(t(PS_ROIS), [0, 1, 3]), 2, 1.0, 2, 2), PS, 1e-5, 1e-6);
  assertClose(L.psroi_pool(x, withLod(t(PS_ROIS), [0, 1, 3]), 2, 0.7, 2, 2), PS_SCALE, 1e-5, 1e-6);
  assertThrows(() => L.psroi_pool(x, withLod(t(PS_ROIS), [0, 1, 3]), 3, 1.0, 2, 2), E, /output_channels \* pooled_height \* pooled_width = 3 \* 2 \* 2 = 12/);
});

test('prroi_pool: the exact average of the bilinear interpolation over each bin (numeric integral)', () => {
  const x = data([2, 2, 6, 7]);
  const rois = t([[0.6, 1.2, 4.4, 4.8], [2.2, 0.3, 6.7, 3.4], [-1.0, 2.5, 3.0, 7.5]]);
  const out = L.prroi_pool(x, rois, 1.0, 2, 2, t([2, 1], 'int64'));
  // a 120 x 120 midpoint rule is accurate to ~1e-4 on these bins
  assertClose(out, PR, 0, 2e-3);
  assertClose(L.prroi_pool(x, withLod(t(rois.tolist()), [0, 2, 3]), 1.0, 2, 2), out, 1e-6, 1e-6);
});

test('roi_perspective_transform: an axis-aligned quad is a crop; mask and transform matrix', () => {
  const x = data([1, 2, 6, 7]);
  // corners (1,1) (4,1) (4,3) (1,3): output (h, w) samples input (1 + h, 1 + w)
  const quad = withLod(t([[1, 1, 4, 1, 4, 3, 1, 3]]), [0, 1]);
  const [out, mask, mat] = L.roi_perspective_transform(x, quad, 3, 4);
  assert.deepEqual(out.shape, [1, 2, 3, 4]);
  assertClose(out, x.getitem(':', ':', '1:4', '1:5'), 1e-6, 1e-6);
  assert.deepEqual(mask.tolist(), [[[[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]]]);
  assertClose(mat, [[1, 0, 1, 0, 1, 1, 0, 0, 1]], 1e-6, 1e-6);
  assert.deepEqual(out.lod, [[0, 1]]);
  // a wider output than the quad's aspect allows: the quad is mapped to the first 4 columns
  // (normalized width round(3 * 2 / 2) + 1), the columns past it are masked out
  const [o2, m2] = L.roi_perspective_transform(x, quad, 3, 6, 1.0);
  assert.deepEqual((m2.tolist() as number[][][][])[0][0][1], [1, 1, 1, 1, 0, 0]);
  assertClose(o2.getitem(':', ':', ':', '0:4'), x.getitem(':', ':', '1:4', '1:5'), 1e-6, 1e-6);
  assertClose(o2.getitem(0, 1, ':', '4:6'), [[0, 0], [0, 0], [0, 0]]);
  assertThrows(() => L.roi_perspective_transform(x, withLod(t([[1, 1, 4, 1]]), [0, 1]), 3, 4), E, /ROIs must have 8/);
});

test('deformable_roi_pooling: offsets, position-sensitive groups, no_trans (NumPy reference)', () => {
  const x = data([2, 8, 6, 7]);
  const rois = withLod(t([[0, 1, 4, 5], [1, 0, 5, 4], [2, 1, 6, 5]]), [0, 2, 3]);
  const out = L.deformable_roi_pooling(x, rois, t(T), false, 1.0, [2, 2], 2, 2, [2, 2], 2, 0.1, true);
  assert.deepEqual(out.shape, [3, 2, 2, 2]);
  assertClose(out, DF, 1e-5, 1e-6);
  const r = dispatch('deformable_psroi_pooling', { Input: [x], ROIs: [rois], Trans: [t(T)] }, {
    no_trans: false, spatial_scale: 1, output_dim: 2, group_size: [2, 2], pooled_height: 2, pooled_width: 2, part_size: [2, 2], sample_per_part: 2, trans_std: 0.1,
  });
  assertClose(r.TopCount[0], DF_CNT);
  // no_trans, not position sensitive: output_dim = channels, group [1, 1]
  assertClose(L.deformable_roi_pooling(x, rois, t(T), true, 0.5, [1, 1], 2, 2, null, 3, 0.1), DF_NOTRANS, 1e-5, 1e-6);
  // not position sensitive, groups need output_dim * gh * gw channels
  assertThrows(() => L.deformable_roi_pooling(x, rois, t(T), false, 1.0, [2, 2], 2, 2), E, /needs output_dim \* group_size\[0\] \* group_size\[1\] = 32 channels/);
  assertThrows(() => L.deformable_roi_pooling(x, rois, t(T), false, 1.0, [2, 2], 3, 3, null, 2, 0.1, true), E, /multiple of pooled_height \* pooled_width/);
});

test('RoI gradients match finite differences (float64)', () => {
  const x = randTensor([2, 2, 5, 6]);
  const rois = paddle.to_tensor([[0.3, 0.6, 3.7, 4.2], [1.1, 0.2, 4.6, 3.3], [0.5, 1.5, 5.2, 4.4]], { dtype: 'float64' });
  const rn = t([2, 1], 'int32');
  checkGrad((a, r, n) => dispatch('roi_pool', { X: [a], ROIs: [r], RoisNum: [n] }, { pooled_height: 2, pooled_width: 3 }).Out[0], [x, rois, rn], { wrt: [0] });
  checkGrad((a, r, n) => dispatch('roi_align', { X: [a], ROIs: [r], RoisNum: [n] }, { pooled_height: 2, pooled_width: 2, spatial_scale: 0.9, sampling_ratio: 2 }).Out[0], [x, rois, rn], { wrt: [0] });
  checkGrad((a, r, n) => dispatch('roi_align', { X: [a], ROIs: [r], RoisNum: [n] }, { pooled_height: 2, pooled_width: 2, sampling_ratio: -1 }).Out[0], [x, rois, rn], { wrt: [0] });
  const rl = withLod(paddle.to_tensor(rois.tolist() as number[][], { dtype: 'float64' }), [0, 2, 3]);
  checkGrad((a, r) => dispatch('psroi_pool', { X: [a], ROIs: [r] }, { output_channels: 2, pooled_height: 1, pooled_width: 2 }).Out[0], [randTensor([2, 4, 5, 6]), rl], { wrt: [0] });
  // prroi_pool differentiates with respect to the RoI corners too
  checkGrad((a, r, n) => dispatch('prroi_pool', { X: [a], ROIs: [r], BatchRoINums: [n] }, { pooled_height: 2, pooled_width: 2 }).Out[0], [x, rois, t([2, 1], 'int64')], { wrt: [0, 1] });
  const quads = withLod(paddle.to_tensor([[0.5, 0.7, 4.3, 0.9, 4.6, 3.8, 0.8, 3.5], [1.2, 0.4, 5.1, 1.1, 4.9, 4.2, 0.9, 3.9]], { dtype: 'float64' }), [0, 1, 2]);
  checkGrad((a, r) => dispatch('roi_perspective_transform', { X: [a], ROIs: [r] }, { transformed_height: 3, transformed_width: 4 }).Out[0], [x, quads], { wrt: [0] });
  // deformable: gradient for the input and the offsets
  const xd = randTensor([2, 8, 6, 7]);
  const rd = withLod(paddle.to_tensor([[0, 1, 4, 5], [1, 0, 5, 4], [2, 1, 6, 5]], { dtype: 'float64' }), [0, 2, 3]);
  checkGrad((a, r, tr) => dispatch('deformable_psroi_pooling', { Input: [a], ROIs: [r], Trans: [tr] }, {
    no_trans: false, spatial_scale: 1, output_dim: 2, group_size: [2, 2], pooled_height: 2, pooled_width: 2, part_size: [2, 2], sample_per_part: 2, trans_std: 0.1,
  }).Output[0], [xd, rd, randTensor([3, 2, 2, 2], -0.3, 0.3)], { wrt: [0, 2] });
});

test('roi_align through the API: backward in dygraph and append_backward in a static program', () => {
  const x = data([2, 2, 6, 7], 'float64');
  x.stop_gradient = false;
  const R2 = R.slice(0, 2);
  const y = L.roi_align(x, t(R2, 'float64'), 2, 2, 1.0, 2, t([2, 0], 'int32'));
  y.sum().backward();
  // both RoIs lie in image 0's map: every output spreads weight 1 over its samples, so the
  // gradient sums to the number of outputs; image 1 gets none
  assertClose(x.grad!.sum(), [2 * 2 * 2 * 2], 1e-9, 1e-9);
  assertClose(x.grad!.getitem(1).abs().sum(), [0]);
  const feedX = data([2, 2, 6, 7], 'float64');
  const feedR = paddle.fluid.create_lod_tensor(t(R2, 'float64'), [[2, 0]], new paddle.CPUPlace());
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const g = paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const xv = paddle.static.data('x', [2, 2, 6, 7], 'float64');
      xv.stop_gradient = false;
      const rv = paddle.static.data('r', [-1, 4], 'float64', 1);
      const out = L.roi_align(xv, rv, 2, 2, 1.0, 2);
      const [gx] = paddle.static.gradients([paddle.sum(out)], [xv]);
      assert.ok(main.global_block().ops.some((o) => o.type === 'roi_align_grad'));
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      return exe.run(main, { feed: { x: feedX, r: feedR }, fetch_list: [gx] });
    });
    assertClose(g[0], x.grad!, 1e-9, 1e-12);
  } finally {
    paddle.disable_static();
  }
});

test('RoI operators check their inputs', () => {
  const x = data([2, 2, 6, 7]);
  assertThrows(() => L.roi_align(x, t([[1, 2, 3]]), 2, 2, 1.0, -1, t([1], 'int32')), E, /ROIs must have 4/);
  assertThrows(() => L.roi_align(x, t(R), 2, 2, 1.0, -1, t([3, 2], 'int32')), E, /RoI counts add up to 5, but ROIs holds 4/);
  assertThrows(() => L.roi_align(x, t(R), 2, 2, 1.0, -1, t([1, 1, 2], 'int32')), E, /3 images/);
  assertThrows(() => L.roi_align(x, t(R), 2, 2), E, /no LoD and no RoisNum/);
  assertThrows(() => L.roi_pool(x, t(R), 0, 2, 1.0, t([2, 2], 'int32')), E, /pooled_height must be greater than 0/);
  assertThrows(() => L.roi_pool(x, t(R), 2, 2, 1.0, t([2, 2], 'int64')), E, /RoisNum must be int32/);
  assertThrows(() => L.roi_pool(data([2, 2, 6, 7], 'float64'), t(R, 'float64'), 2, 2, 1.0, t([2, 2], 'int32')), E, /input/);
});
