// Normalization layers: BatchNorm1D/2D/3D, the fluid BatchNorm, SyncBatchNorm (and
// convert_sync_batchnorm), InstanceNorm1D/2D/3D, LayerNorm, GroupNorm, LocalResponseNorm and
// SpectralNorm: parameter names and state_dict, running statistics over training steps,
// train/eval, gradients of the parameters, reprs and errors. Expected values from NumPy (REF).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const nn = paddle.nn;
const F = paddle.nn.functional;
const E = paddle.errors.InvalidArgumentError;
type T = paddle.Tensor;

/** ((i * a) % m - off) / div over the flat index (the NumPy script uses the same). */
function seq(shape: number[], a = 7, m = 11, off = 5, div = 4, dtype: 'float64' | 'float32' = 'float32'): T {
  const n = shape.reduce((s, d) => s * d, 1);
  return paddle.to_tensor(Float64Array.from({ length: n }, (_, i) => (((i * a) % m) - off) / div), { dtype }).reshape(shape);
}
const close = (a: unknown, b: unknown): void => assertClose(a as T, b as number[], 1e-5, 1e-5);

const REF = {
  y1: [[[[-1.7386239, 0.3779617], [-0.8315158, 1.2850698]], [[0.3891002, -0.9943672], [1.4267008, 0.0432334]], [[-0.9370353, 1.2493803], [0.0, -1.2493803]]], [[[0.3779617, -0.8315158], [1.2850698, 0.0755923]], [[-0.9943672, 1.4267008], [0.0432334, -1.340234]], [[1.2493803, 0.0], [-1.2493803, 0.9370353]]]],
  rm1: [0.01875, -0.003125, -0.025],
  rv1: [0.9683594, 0.9522461, 0.9640625],
  y2: [[[[-1.7386334, 0.3779638], [-0.8315203, 1.2850769]], [[0.389103, -0.9943743], [1.426711, 0.0432337]], [[-0.9370407, 1.2493877], [0.0, -1.2493877]]], [[[0.3779638, -0.8315203], [1.2850769, 0.0755928]], [[-0.9943743, 1.426711], [0.0432337, -1.3402437]], [[1.2493877, 0.0], [-1.2493877, 0.9370407]]]],
  rm2: [0.154375, 0.0909375, 0.0275],
  rv2: [1.1449609, 1.0660059, 1.1239062],
  y_eval: [[[[-1.3124593, 0.323004], [-0.6115465, 1.0239169]], [[0.1540586, -0.8144827], [0.8804646, -0.0880767]], [[-0.9692032, 0.6815079], [-0.2617556, -1.2050191]]], [[[0.323004, -0.6115465], [1.0239169, 0.0893664]], [[-0.8144827, 0.8804646], [-0.0880767, -1.0566181]], [[0.6815079, -0.2617556], [-1.2050191, 0.445692]]]],
  rm_mom05: [0.09375, -0.015625, -0.125],
  rv_mom05: [0.8417969, 0.7612305, 0.8203125],
  G: [[[[-1.5, 0.0], [1.5, -0.5]], [[1.0, -1.0], [0.5, -1.5]], [[0.0, 1.5], [-0.5, 1.0]]], [[[-1.0, 0.5], [-1.5, 0.0]], [[1.5, -0.5], [1.0, -1.0]], [[0.5, -1.5], [0.0, 1.5]]]],
  wgrad1: [-2.0031971, 1.210534, 2.6549332],
  bgrad1: [-2.5, 0.0, 2.5],
  relu_y1: [[[[0.0, 0.3779617], [0.0, 1.2850698]], [[0.3891002, 0.0], [1.4267008, 0.0432334]], [[0.0, 1.2493803], [0.0, 0.0]]], [[[0.3779617, 0.0], [1.2850698, 0.0755923]], [[0.0, 1.4267008], [0.0432334, 0.0]], [[1.2493803, 0.0], [0.0, 0.9370353]]]],
  bn1d_y: [[[-1.4030087, 0.185303, 1.7736148, -0.1323593], [1.2038655, -0.6804457, 0.8898136, -0.9944976]], [[0.8206278, -1.0853464, 0.5029654, -1.4030087], [-0.052342, 1.5179174, -0.3663939, 1.2038655]], [[-0.4500217, 1.1382901, -0.767684, 0.8206278], [-1.3085495, 0.2617099, -1.6226014, -0.052342]]],
  bn1d_rm: [-0.0145833, 0.0041667],
  bn1d_rv: [0.9619358, 0.9633681],
  bn3d_y: [[[[[-1.3877147, -0.3424105, 0.919295], [-0.8590615, 0.2342809, 1.4178957]], [[-0.3304083, 0.8109723, -1.3244081], [0.198245, 1.3876638, -0.8258074]]], [[[0.7268982, -1.7841392, -0.3272067], [1.2555514, -1.2074477, 0.171394]], [[1.7842046, -0.6307563, 0.6699947], [-1.1233881, -0.0540648, 1.1685953]]]], [[[[-0.5947349, 0.5226266, -1.5737084], [-0.0660817, 1.0993181, -1.0751077]], [[0.4625716, 1.6760095, -0.576507], [0.9912248, -1.4957934, -0.0779064]]], [[[1.519878, -0.919102, 0.4206943], [-1.3877147, -0.3424105, 0.919295]], [[-0.8590615, 0.2342809, 1.4178957], [-0.3304083, 0.8109723, -1.3244081]]]]],
  bn3d_rm: [-0.025, 0.00625, 0.0104167],
  in_y: [[[[-1.3130571, 0.5252228], [-0.5252228, 1.3130571]], [[0.1999974, -1.3999821], [1.3999821, -0.1999974]], [[-0.7228914, 1.5261041], [0.2409638, -1.0441765]]], [[[0.1999974, -1.3999821], [1.3999821, -0.1999974]], [[-0.7228914, 1.5261041], [0.2409638, -1.0441765]], [[1.0441765, -0.2409638], [-1.5261041, 0.7228914]]]],
  ln_y: [[[-1.3771435, 0.7261302, -0.4757405, 1.6275333], [0.4256625, -0.7762082, 1.3270656, 0.1251949], [-1.0766759, 1.0265979, -0.1752728, -1.3771435]], [[0.5956784, -0.7039835, 1.5704248, 0.2707629], [-1.028899, 1.2455093, -0.0541526, -1.3538145], [0.9205938, -0.3790681, -1.6787299, 0.5956784]]],
  Gl: [[[-1.5, 0.0, 1.5, -0.5], [1.0, -1.0, 0.5, -1.5], [0.0, 1.5, -0.5, 1.0]], [[-1.0, 0.5, -1.5, 0.0], [1.5, -0.5, 1.0, -1.0], [0.5, -1.5, 0.0, 1.5]]],
  ln_wgrad: [1.4700369, -0.3519918, -3.0692479, -0.8137666, -1.1176859, 0.1534535, 0.6093802, 1.1660222, 0.4602969, 2.1084989, 0.0876364, -0.483626],
  ln_bgrad: [-2.5, 0.5, 0.0, -0.5, 2.5, -1.5, 1.5, -2.5, 0.5, 0.0, -0.5, 2.5],
  gn_y: [[[[-1.3771435, 0.7261302, -0.4757405], [1.6275333, 0.4256625, -0.7762082]], [[1.3270656, 0.1251949, -1.0766759], [1.0265979, -0.1752728, -1.3771435]], [[0.5956784, -0.7039835, 1.5704248], [0.2707629, -1.028899, 1.2455093]], [[-0.0541526, -1.3538145, 0.9205938], [-0.3790681, -1.6787299, 0.5956784]]], [[[-0.5956784, 1.6787299, 0.3790681], [-0.9205938, 1.3538145, 0.0541526]], [[-1.2455093, 1.028899, -0.2707629], [-1.5704248, 0.7039835, -0.5956784]], [[1.3771435, 0.1752728, -1.0265979], [1.0766759, -0.1251949, -1.3270656]], [[0.7762082, -0.4256625, -1.6275333], [0.4757405, -0.7261302, 1.3771435]]]],
};

test('BatchNorm2D: parameters weight, bias, _mean, _variance (non-trainable Parameters in state_dict)', () => {
  const bn = new nn.BatchNorm2D(3);
  assert.deepEqual(Object.keys(bn.state_dict()), ['weight', 'bias', '_mean', '_variance']);
  assert.equal(bn.parameters().length, 4);
  assert.deepEqual(bn.parameters().map((q) => q.trainable), [true, true, false, false]);
  assert.deepEqual([bn.weight.tolist(), bn.bias.tolist(), bn._mean.tolist(), bn._variance.tolist()], [[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
  assert.match(bn.weight.name, /^batch_norm2d_\d+\.w_0$/);
  assert.match(bn.bias.name, /^batch_norm2d_\d+\.b_0$/);
  assert.match(bn._mean.name, /^batch_norm2d_\d+\.w_1$/);
  assert.match(bn._variance.name, /^batch_norm2d_\d+\.w_2$/);
  assert.equal(bn.weight.dtype, 'float32');
  const named = new nn.BatchNorm2D(3, { name: 'bn_named_test' });
  assert.equal(named._mean.name, 'bn_named_test_mean');
  assert.equal(named._variance.name, 'bn_named_test_variance');
  // nested: structured names
  const net = new nn.Sequential(new nn.Conv2D(1, 3, 1), new nn.BatchNorm2D(3));
  assert.deepEqual(Object.keys(net.state_dict()), ['0.weight', '0.bias', '1.weight', '1.bias', '1._mean', '1._variance']);
  assert.equal(String(bn), 'BatchNorm2D(num_features=3, momentum=0.9, epsilon=1e-05)');
  assert.equal(String(new nn.BatchNorm2D(3, 0.5, 1e-3, { data_format: 'NHWC' })), 'BatchNorm2D(num_features=3, momentum=0.5, epsilon=0.001, data_format=NHWC)');
});

test('BatchNorm2D: running statistics over 2 training steps, then eval; momentum', () => {
  const bn = new nn.BatchNorm2D(3);
  const x = seq([2, 3, 2, 2]);
  close(bn(x), REF.y1);
  close(bn._mean, REF.rm1);
  close(bn._variance, REF.rv1);
  close(bn(paddle.scale(x, 2, 1)), REF.y2);
  close(bn._mean, REF.rm2);
  close(bn._variance, REF.rv2);
  bn.eval();
  close(bn(x), REF.y_eval);
  close(bn._mean, REF.rm2); // not updated in eval
  const bm = new nn.BatchNorm2D(3, { momentum: 0.5 });
  bm(x);
  close(bm._mean, REF.rm_mom05);
  close(bm._variance, REF.rv_mom05);
  // use_global_stats=True: running statistics even in training, no update
  const bg = new nn.BatchNorm2D(3, { use_global_stats: true });
  close(bg(x), (x.tolist() as number[][][][]).flat(3).map((v) => v / Math.sqrt(1 + 1e-5)));
  assert.deepEqual(bg._mean.tolist(), [0, 0, 0]);
  // state_dict round trip carries the running statistics
  const copy = new nn.BatchNorm2D(3);
  copy.set_state_dict(bn.state_dict());
  close(copy._mean, REF.rm2);
  copy.eval();
  close(copy(x), REF.y_eval);
});

test('BatchNorm2D: gradients of weight and bias; running statistics get none', () => {
  const bn = new nn.BatchNorm2D(3);
  const y = bn(seq([2, 3, 2, 2]));
  paddle.sum(paddle.multiply(y, paddle.to_tensor(REF.G, { dtype: 'float32' }))).backward();
  close(bn.weight.grad, REF.wgrad1);
  close(bn.bias.grad, REF.bgrad1);
  assert.equal(bn._mean.grad, null);
  // weight_attr / bias_attr false: the parameters stay (fixed at 1 / 0) and get no gradient
  const fixed = new nn.BatchNorm2D(3, { weight_attr: false, bias_attr: false });
  assert.deepEqual(Object.keys(fixed.state_dict()), ['weight', 'bias', '_mean', '_variance']);
  assert.equal(fixed.weight.stop_gradient, true);
  assert.equal(fixed.bias.stop_gradient, true);
  const xs = seq([2, 3, 2, 2]);
  xs.stop_gradient = false;
  paddle.sum(paddle.multiply(fixed(xs), paddle.to_tensor(REF.G, { dtype: 'float32' }))).backward();
  assert.equal(fixed.weight.grad, null);
  assert.ok(xs.grad);
  // a learning rate of 0 also fixes the parameter
  const lr0 = new nn.BatchNorm2D(3, { weight_attr: new paddle.ParamAttr({ learning_rate: 0 }) });
  assert.equal(lr0.weight.stop_gradient, true);
  assert.equal(lr0.bias.stop_gradient, false);
});

test('BatchNorm1D and BatchNorm3D: ranks and layouts', () => {
  const b1 = new nn.BatchNorm1D(2);
  close(b1(seq([3, 2, 4], 5)), REF.bn1d_y);
  close(b1._mean, REF.bn1d_rm);
  close(b1._variance, REF.bn1d_rv);
  const b1l = new nn.BatchNorm1D(2, { data_format: 'NLC' });
  close(paddle.transpose(b1l(paddle.transpose(seq([3, 2, 4], 5), [0, 2, 1])), [0, 2, 1]), REF.bn1d_y);
  assert.deepEqual(new nn.BatchNorm1D(2)(seq([4, 2])).shape, [4, 2]);
  const b3 = new nn.BatchNorm3D(3, { data_format: 'NDHWC' });
  close(b3(seq([2, 2, 2, 2, 3], 5, 13, 6, 3)), REF.bn3d_y);
  close(b3._mean, REF.bn3d_rm);
  assertThrows(() => b1(seq([2, 2, 2, 2])), E, /BatchNorm1D/, /expected 2D or 3D input \(got 4D input/);
  assertThrows(() => new nn.BatchNorm2D(3)(seq([2, 3, 4])), E, /BatchNorm2D/, /expected 4D input \(got 3D input/);
  assertThrows(() => new nn.BatchNorm3D(3)(seq([2, 3, 4, 4])), E, /expected 5D input/);
  assertThrows(() => new nn.BatchNorm2D(3, { data_format: 'NCL' }), E, /BatchNorm2D/, /data_format must be 'NCHW', 'NHWC', but got 'NCL'/);
  assertThrows(() => new nn.BatchNorm1D(3, { data_format: 'NCDHW' }), E, /data_format must be/);
  // channel mismatch between the layer and the input
  assertThrows(() => new nn.BatchNorm2D(4)(seq([2, 3, 2, 2])), E, /Scale must have shape \[3\]/);
});

test('paddle.nn.BatchNorm (fluid): parameters, act, train/eval in dygraph, dtype, errors', () => {
  const bn = new nn.BatchNorm(3, { act: 'relu' });
  assert.deepEqual(Object.keys(bn.state_dict()), ['weight', 'bias', '_mean', '_variance']);
  assert.match(bn.weight.name, /^batch_norm_\d+\.w_0$/);
  const x = seq([2, 3, 2, 2]);
  close(bn(x), REF.relu_y1);
  close(bn._mean, REF.rm1);
  bn.eval();
  const plain = new nn.BatchNorm(3, { is_test: true });
  // is_test applies to static programs; in dygraph train() (the default) uses batch statistics
  close(plain(x), REF.y1);
  const fresh = new nn.BatchNorm(3);
  fresh.eval();
  close(fresh(x), (x.tolist() as number[][][][]).flat(3).map((v) => v / Math.sqrt(1 + 1e-5)));
  const d = new nn.BatchNorm(3, { dtype: 'float64', moving_mean_name: 'fluid_bn_mm', moving_variance_name: 'fluid_bn_mv' });
  assert.equal(d.weight.dtype, 'float64');
  assert.equal(d._mean.name, 'fluid_bn_mm');
  assert.equal(d._variance.name, 'fluid_bn_mv');
  close(d(seq([2, 3, 2, 2], 7, 11, 5, 4, 'float64')), REF.y1);
  const nhwc = new nn.BatchNorm(3, { data_layout: 'NHWC' });
  close(paddle.transpose(nhwc(paddle.transpose(x, [0, 2, 3, 1])), [0, 3, 1, 2]), REF.y1);
  assertThrows(() => new nn.BatchNorm(3, { bias_attr: false }), E, /bias_attr should not be False in batch_norm/);
  assertThrows(() => new nn.BatchNorm(3, { data_layout: 'NCL' }), E, /data_layout must be 'NCHW' or 'NHWC'/);
  assertThrows(() => new nn.BatchNorm(3, { act: 'no_such_act' }), E, /act 'no_such_act' is not an activation operator/);
});

test('SyncBatchNorm: one process equals BatchNorm2D; convert_sync_batchnorm keeps the parameters', () => {
  const s = new nn.SyncBatchNorm(3);
  const x = seq([2, 3, 2, 2]);
  close(s(x), REF.y1);
  close(s._mean, REF.rm1);
  s.eval();
  assert.deepEqual(Object.keys(s.state_dict()), ['weight', 'bias', '_mean', '_variance']);
  assertThrows(() => new nn.SyncBatchNorm(3, { use_global_stats: true } as never), E, /unexpected keyword argument 'use_global_stats'/);
  // conversion, recursively, sharing parameters
  const inner = new nn.BatchNorm1D(4);
  const bn2 = new nn.BatchNorm2D(3, { weight_attr: new paddle.ParamAttr({ name: 'conv_sync_w' }) });
  const net = new nn.Sequential(new nn.Conv2D(3, 3, 1), bn2, new nn.Sequential(new nn.Linear(4, 4), inner));
  const params = net.parameters();
  const out = nn.SyncBatchNorm.convert_sync_batchnorm(net);
  assert.equal(out, net);
  const subs = out.sublayers();
  assert.ok(subs[1] instanceof nn.SyncBatchNorm);
  assert.ok(subs[4] instanceof nn.SyncBatchNorm);
  assert.ok(subs[0] instanceof nn.Conv2D);
  const conv = subs[1] as InstanceType<typeof nn.SyncBatchNorm>;
  assert.equal(conv.weight, bn2.weight);
  assert.equal(conv._mean, bn2._mean);
  assert.equal(conv.weight.name, 'conv_sync_w');
  assert.deepEqual(out.parameters(), params);
  assert.deepEqual(Object.keys(out.state_dict()), Object.keys(new nn.Sequential(new nn.Conv2D(3, 3, 1), new nn.BatchNorm2D(3), new nn.Sequential(new nn.Linear(4, 4), new nn.BatchNorm1D(4))).state_dict()));
  const single = nn.SyncBatchNorm.convert_sync_batchnorm(new nn.BatchNorm2D(3, { momentum: 0.5, data_format: 'NHWC' }));
  assert.ok(single instanceof nn.SyncBatchNorm);
  assert.equal(String(single), 'SyncBatchNorm(num_features=3, momentum=0.5, epsilon=1e-05, data_format=NHWC)');
});

test('InstanceNorm1D/2D/3D: scale and bias parameters, values, errors', () => {
  const inn = new nn.InstanceNorm2D(3);
  assert.deepEqual(Object.keys(inn.state_dict()), ['scale', 'bias']);
  close(inn(seq([2, 3, 2, 2])), REF.in_y);
  assert.equal(String(inn), 'InstanceNorm2D(num_features=3, epsilon=1e-05)');
  const plain = new nn.InstanceNorm2D(3, { weight_attr: false, bias_attr: false });
  assert.equal(plain.scale, null);
  assert.deepEqual(Object.keys(plain.state_dict()), []);
  close(plain(seq([2, 3, 2, 2])), REF.in_y);
  const x = seq([2, 3, 2, 2]);
  const y = inn(x);
  paddle.sum(paddle.multiply(y, y)).backward();
  assert.ok(inn.scale!.grad && inn.bias!.grad);
  assert.deepEqual(new nn.InstanceNorm1D(3)(seq([2, 3, 5])).shape, [2, 3, 5]);
  assert.deepEqual(new nn.InstanceNorm3D(3)(seq([1, 3, 2, 2, 2])).shape, [1, 3, 2, 2, 2]);
  assertThrows(() => new nn.InstanceNorm2D(3, { weight_attr: false }), E, /weight_attr and bias_attr must be set to False at the same time/);
  assertThrows(() => new nn.InstanceNorm2D(3)(seq([2, 3, 4])), E, /InstanceNorm2D/, /expected 4D input \(got 3D input/);
  assertThrows(() => new nn.InstanceNorm1D(3)(seq([2, 3, 4, 4])), E, /expected 2D or 3D input/);
  assertThrows(() => new nn.InstanceNorm2D(4)(seq([2, 3, 2, 2])), E, /Scale must have shape \[3\]/);
});

test('LayerNorm: weight/bias of prod(normalized_shape), values, gradients, weight_attr false', () => {
  const ln = new nn.LayerNorm([3, 4]);
  assert.deepEqual(Object.keys(ln.state_dict()), ['weight', 'bias']);
  assert.deepEqual(ln.weight!.shape, [12]);
  const y = ln(seq([2, 3, 4]));
  close(y, REF.ln_y);
  paddle.sum(paddle.multiply(y, paddle.to_tensor(REF.Gl, { dtype: 'float32' }))).backward();
  close(ln.weight!.grad, REF.ln_wgrad);
  close(ln.bias!.grad, REF.ln_bgrad);
  assert.equal(String(ln), 'LayerNorm(normalized_shape=[3, 4], epsilon=1e-05)');
  const l4 = new nn.LayerNorm(4, { weight_attr: false });
  assert.equal(l4.weight, null);
  assert.deepEqual(Object.keys(l4.state_dict()), ['bias']);
  assert.deepEqual(l4(seq([2, 3, 4])).shape, [2, 3, 4]);
  const none = new nn.LayerNorm(4, { weight_attr: false, bias_attr: false });
  assert.equal(none.parameters().length, 0);
  assertThrows(() => new nn.LayerNorm([3, 5])(seq([2, 3, 4])), E, /Given normalized_shape is \[3, 5\]/);
});

test('GroupNorm: values, parameters, NCHW only, groups dividing the channels', () => {
  const gn = new nn.GroupNorm(2, 4);
  assert.deepEqual(Object.keys(gn.state_dict()), ['weight', 'bias']);
  const y = gn(seq([2, 4, 2, 3]));
  close(y, REF.gn_y);
  paddle.sum(y).backward();
  assert.ok(gn.weight.grad && gn.bias.grad);
  assert.equal(String(gn), 'GroupNorm(num_groups=2, num_channels=4, epsilon=1e-05)');
  const fixed = new nn.GroupNorm(2, 4, { weight_attr: false });
  assert.equal(fixed.weight.stop_gradient, true);
  assertThrows(() => new nn.GroupNorm(2, 4, { data_format: 'NHWC' }), E, /unsupported data layout: 'NHWC'/);
  assertThrows(() => new nn.GroupNorm(3, 4), E, /num_channels \(4\) must be divisible by num_groups \(3\)/);
  assertThrows(() => gn(seq([2, 6, 2, 2])), E, /Scale must have shape \[6\]/);
});

test('LocalResponseNorm: the layer calls F.local_response_norm', () => {
  const l = new nn.LocalResponseNorm(3, 0.5, 0.75, 1.0);
  const x = seq([1, 4, 2, 2], 3, 13, 6, 2);
  assertClose(l(x), F.local_response_norm(x, 3, 0.5, 0.75, 1.0), 0, 0);
  assert.equal(String(new nn.LocalResponseNorm(5)), 'LocalResponseNorm(size=5, alpha=0.0001, beta=0.75, k=1.0)');
  assert.equal(String(new nn.LocalResponseNorm(5, { data_format: 'NHWC' })), 'LocalResponseNorm(size=5, alpha=0.0001, beta=0.75, k=1.0, data_format=NHWC)');
});

test('SpectralNorm: weight_u / weight_v fixed parameters; output as the spectral_norm op', () => {
  paddle.seed(7);
  const sn = new nn.SpectralNorm([2, 3, 2, 2], { dim: 1, power_iters: 2 });
  assert.deepEqual(Object.keys(sn.state_dict()), ['weight_u', 'weight_v']);
  assert.deepEqual(sn.weight_u.shape, [3]);
  assert.deepEqual(sn.weight_v.shape, [8]);
  assert.equal(sn.weight_u.stop_gradient, true);
  const w = seq([2, 3, 2, 2], 5, 17, 8, 4);
  const ref = dispatch('spectral_norm', { Weight: [w], U: [sn.weight_u], V: [sn.weight_v] }, { dim: 1, power_iters: 2 }).Out[0];
  assertClose(sn(w), ref, 0, 0);
  // with converged iterations the largest singular value of the result is 1
  const big = new nn.SpectralNorm([3, 4], { power_iters: 50, dtype: 'float64' });
  const o = big(seq([3, 4], 5, 17, 8, 4, 'float64'));
  const m = o.numpy() as Float64Array;
  // sigma_max^2 = largest eigenvalue of O O^T, by power iteration on the 3x3 Gram matrix
  const g = [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].reduce((s, k) => s + m[i * 4 + k] * m[j * 4 + k], 0)));
  let v = [1, 1, 1];
  for (let it = 0; it < 200; it++) {
    const nv = g.map((r) => r[0] * v[0] + r[1] * v[1] + r[2] * v[2]);
    const n = Math.hypot(...nv);
    v = nv.map((q) => q / n);
  }
  const lam = g.map((r) => r[0] * v[0] + r[1] * v[1] + r[2] * v[2]).reduce((s, q, i) => s + q * v[i], 0);
  assertClose([lam], [1], 1e-8, 1e-8);
  assertThrows(() => new nn.SpectralNorm([3, 4], { dim: 2 }), E, /dim can only be 0 or 1/);
  assertThrows(() => new nn.SpectralNorm([3]), E, /weight_shape must have 2 to 5 dims/);
});

test('BatchNorm2D applied twice before one backward (shared layer): both passes differentiate', () => {
  const x1 = seq([2, 3, 2, 2], 7, 11, 5, 4, 'float64');
  const x2 = paddle.scale(x1, 2, 1);
  const shared = new nn.BatchNorm2D(3);
  shared.to(undefined, 'float64');
  const a = shared(x1);
  const b = shared(x2);
  paddle.sum(paddle.add(paddle.multiply(a, a), paddle.multiply(b, paddle.to_tensor(REF.G, { dtype: 'float64' })))).backward();
  // the same gradients as two separate layers (x2 = 2 x1 + 1 normalizes to the same xhat)
  const s1 = new nn.BatchNorm2D(3);
  s1.to(undefined, 'float64');
  const y = s1(x1);
  paddle.sum(paddle.add(paddle.multiply(y, y), paddle.multiply(y, paddle.to_tensor(REF.G, { dtype: 'float64' })))).backward();
  assertClose(shared.weight.grad!, s1.weight.grad!, 1e-6, 1e-6);
  assertClose(shared.bias.grad!, s1.bias.grad!, 1e-6, 1e-6);
  close(shared._mean, REF.rm2);
});
