// Hierarchical sigmoid (hierarchical_sigmoid): the default tree worked out by hand for 4 and 5
// classes, a custom tree, gradients by finite differences, HSigmoidLoss, is_sparse, errors.
//
// 4 classes: codes c = label + 4 (100b, 101b, 110b, 111b); step j uses node (c >> (j+1)) - 1
// and target bit j: label 0 -> nodes 1, 0 with bits 0, 0; label 1 -> 1, 0 with 1, 0;
// label 2 -> 2, 0 with 0, 1; label 3 -> 2, 0 with 1, 1. With z_k = W[k] . x + b[k] and
// sp = softplus, loss = sum over the path of sp(z) - bit * z = sp(z) or sp(-z). So
//   label 0: sp(z1) + sp(z0)    label 1: sp(-z1) + sp(z0)    label 3: sp(-z2) + sp(-z0)
// (values by NumPy from these formulas below).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;
const f64 = (v: unknown): Tensor => paddle.to_tensor(v as number[][], { dtype: 'float64' });
const i64 = (v: unknown): Tensor => paddle.to_tensor(v as number[][], { dtype: 'int64' });

const x = (): Tensor => f64([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]]);
const W = (): Tensor => f64([[0.2, -0.4], [1.0, 0.5], [-0.3, 0.8]]);
const B = (): Tensor => f64([[0.1], [-0.2], [0.3]]);
const sp = (z: number): number => Math.log1p(Math.exp(z));

test('default tree with 4 classes, by hand', () => {
  const out = F.hsigmoid_loss(x(), i64([[0], [1], [3]]), 4, W(), B());
  assert.deepEqual(out.shape, [3, 1]);
  assert.equal(out.dtype, 'float64');
  assertClose(out, [[1.6356268199], [1.069876591], [1.3186873472]], 1e-9, 1e-10);
  // the same from the formulas, computed here
  const z = [[0.5 * 0.2 + 0.4 + 0.1, 0.5 * 1.0 - 0.5 - 0.2]];
  assertClose(out.getitem(0), [sp(z[0][1]) + sp(z[0][0])], 1e-12, 1e-12);
  // without a bias
  assertClose(F.hsigmoid_loss(x(), i64([[0], [1], [3]]), 4, W()), [[1.6672241647], [0.9778835048], [1.4264255546]], 1e-9, 1e-10);
  // labels of shape [N] work too, and float32
  assertClose(F.hsigmoid_loss(x().astype('float32'), i64([0, 1, 3]), 4, W().astype('float32'), B().astype('float32')), [[1.6356268199], [1.069876591], [1.3186873472]], 1e-6, 1e-6);
});

test('default tree with 5 classes counts log 2 for each step a path is shorter, as Paddle does', () => {
  // 5 classes: paths have up to 3 steps; label 0 (c = 101b) and 2 (c = 111b) have 2
  const w5 = f64([[0.2, -0.4], [1.0, 0.5], [-0.3, 0.8], [0.6, -0.1]]);
  const b5 = f64([[0.1], [-0.2], [0.3], [-0.05]]);
  const r = dispatch('hierarchical_sigmoid', { X: [x()], W: [w5], Label: [i64([[0], [4], [2]])], Bias: [b5] }, { num_classes: 5 });
  assertClose(r.Out[0], [[2.5287740004], [2.8582932531], [2.0118345278]], 1e-9, 1e-10);
  assert.deepEqual(r.PreOut[0].shape, [3, 3]);
  // PreOut = softplus(z) along the path, log 2 past its end
  assertClose(r.PreOut[0].getitem(0, 2), [Math.log(2)], 1e-12, 1e-12);
  assertClose(r.PreOut[0].getitem(0, 0), [sp(0.5 * 1.0 - 0.5 - 0.2)], 1e-12, 1e-12);
  assert.equal(r.W_Out[0].data, w5.data);
});

test('custom tree from path_table / path_code', () => {
  // sample 0: nodes 2, 0 with codes 1, 0; sample 1: node 1 with code 0; sample 2: nodes 0, 1, 2 with 1, 1, 0
  const table = i64([[2, 0, -1], [1, -1, -1], [0, 1, 2]]);
  const code = i64([[1, 0, 0], [0, 0, 0], [1, 1, 0]]);
  const out = F.hsigmoid_loss(x(), i64([[0], [0], [0]]), 3, W(), B(), table, code);
  assertClose(out, [[2.8006904667], [3.0268157077], [4.1121469952]], 1e-9, 1e-10);
  const layer = new paddle.nn.HSigmoidLoss(2, 3, { is_custom: true, is_sparse: true });
  assert.deepEqual(layer.weight.shape, [3, 2]);
  assert.deepEqual(layer.bias!.shape, [3, 1]);
  layer.weight.set_value(W().astype('float32'));
  layer.bias!.set_value(B().astype('float32'));
  assertClose(layer(x().astype('float32'), i64([[0], [0], [0]]), table, code), out, 1e-6, 1e-6);
});

test('gradients of input, weight and bias match finite differences', () => {
  const label = i64([[0], [1], [3]]);
  checkGrad((xx, w, b) => F.hsigmoid_loss(xx, label, 4, w, b), [x(), W(), B()]);
  const table = i64([[2, 0, -1], [1, -1, -1], [0, 1, 2]]);
  const code = i64([[1, 0, 0], [0, 0, 0], [1, 1, 0]]);
  checkGrad((xx, w, b) => F.hsigmoid_loss(xx, label, 3, w, b, table, code, true), [x(), W(), B()]);
  // is_sparse: W's gradient is SelectedRows over the nodes the paths use (Paddle's PathToRows)
  const ws = W();
  ws.stop_gradient = false;
  const small = i64([[2, -1, -1], [2, 0, -1], [0, -1, -1]]);
  F.hsigmoid_loss(x(), label, 3, ws, B(), small, code, true).sum().backward();
  const sr = ws.grad as unknown as { rows: number[]; height: number; to_dense(): paddle.Tensor };
  assert.deepEqual(sr.rows, [0, 2]);
  assert.equal(sr.height, 3);
  const wd = W();
  wd.stop_gradient = false;
  F.hsigmoid_loss(x(), label, 3, wd, B(), small, code, false).sum().backward();
  assertClose(sr.to_dense(), wd.grad!.numpy() as Float64Array, 1e-12, 1e-12);
  assert.deepEqual((wd.grad!.tolist() as number[][])[1], [0, 0]);
  const w5 = f64([[0.2, -0.4], [1.0, 0.5], [-0.3, 0.8], [0.6, -0.1]]);
  checkGrad((xx, w) => F.hsigmoid_loss(xx, i64([[0], [4], [2]]), 5, w), [x(), w5]);
  // by hand for sample 0 (label 0 of 4: sp(z1) + sp(z0)): dx = sigmoid(z1) W1 + sigmoid(z0) W0
  const xx = x();
  xx.stop_gradient = false;
  F.hsigmoid_loss(xx, label, 4, W(), B()).sum().backward();
  const s = (v: number): number => 1 / (1 + Math.exp(-v));
  const z0 = 0.5 * 0.2 + 0.4 + 0.1;
  const z1 = 0.5 * 1.0 - 0.5 - 0.2;
  assertClose(xx.grad!.getitem(0), [s(z1) * 1.0 + s(z0) * 0.2, s(z1) * 0.5 + s(z0) * -0.4], 1e-12, 1e-12);
});

test('HSigmoidLoss layer: parameters, forward, is_sparse', () => {
  const layer = new paddle.nn.HSigmoidLoss(3, 5);
  assert.deepEqual(layer.weight.shape, [4, 3]);
  assert.deepEqual(layer.bias!.shape, [4, 1]);
  assertClose(layer.bias!, paddle.zeros([4, 1]));
  assert.deepEqual(Object.keys(layer.state_dict()), ['weight', 'bias']);
  const input = paddle.rand([4, 3]);
  const label = i64([[0], [1], [4], [3]]);
  const out = layer(input, label);
  assert.deepEqual(out.shape, [4, 1]);
  assertClose(out, F.hsigmoid_loss(input, label, 5, layer.weight, layer.bias), 0, 0);
  // is_sparse without a custom tree is switched off by the layer, so backward works
  const sparse = new paddle.nn.HSigmoidLoss(3, 5, { is_sparse: true, bias_attr: false });
  assert.equal(sparse.bias, null);
  sparse(input, label).sum().backward();
  assert.deepEqual(sparse.weight.grad!.shape, [4, 3]);
  // F with is_sparse and the default tree: Paddle's gradient needs the custom tree
  const w = paddle.rand([4, 3]);
  w.stop_gradient = false;
  assertThrows(() => F.hsigmoid_loss(input, label, 5, w, null, null, null, true).sum().backward(), paddle.errors.NotFoundError, /Custom tree must be set for sparse mode/);
});

test('hsigmoid errors', () => {
  const E = paddle.errors.InvalidArgumentError;
  assertThrows(() => new paddle.nn.HSigmoidLoss(3, 1), E, /num_classes must not be less than 2 with default tree/);
  assertThrows(() => F.hsigmoid_loss(x(), i64([[0], [1], [3]]).astype('int32'), 4, W()), E, /hsigmoid_loss/, /'label' must be a int64 Tensor/);
  assertThrows(() => F.hsigmoid_loss(x(), i64([[0], [1], [4]]), 4, W()), E, /label 4 of sample 2 is outside \[0, 4\)/);
  assertThrows(() => F.hsigmoid_loss(x(), i64([[0], [1], [3]]), 5, W()), E, /num_classes - 1 = 4 rows/);
  assertThrows(() => F.hsigmoid_loss(x(), i64([[0], [1]]), 4, W()), E, /Label must have shape \[N, 1\] with N = 3/);
  assertThrows(() => F.hsigmoid_loss(x(), i64([[0], [1], [3]]), 4, W(), null, i64([[0], [1], [2]])), E, /path_table and path_code must be given together/);
  assertThrows(() => F.hsigmoid_loss(x(), i64([[0], [1], [3]]), 3, W(), null, i64([[0], [1], [5]]), i64([[0], [1], [1]])), E, /path_table\[2\]\[0\] = 5 is out of range/);
  assertThrows(() => F.hsigmoid_loss(x(), i64([[0], [1], [3]]), 4, f64([[1, 2, 3], [4, 5, 6], [7, 8, 9]])), E, /input W must be 2-D \[num_nodes, 2\]/);
});
