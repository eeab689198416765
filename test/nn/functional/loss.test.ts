// F.softmax_with_cross_entropy / F.cross_entropy / F.mse_loss: values computed with NumPy
// (loss = -log_softmax[label], weights gathered per sample, Paddle 2.0's 'mean' denominators),
// gradients by finite differences, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { Tensor } from '../../../src/index.js';
import { dispatch } from '../../../src/core/dispatch.js';
import { assertClose, assertTensor, assertThrows } from '../../helpers/assert.js';
import { checkGrad, randTensor } from '../../helpers/gradcheck.js';

const F = paddle.nn.functional;
const f64 = (v: unknown): Tensor => paddle.to_tensor(v as number[], { dtype: 'float64' });
const i64 = (v: unknown): Tensor => paddle.to_tensor(v as number[], { dtype: 'int64' });

const X = [[1, 2, 3], [0.5, -1, 2], [3, 3, -2], [0, 1, -1]];
const LABEL = [2, 0, 1, 2];
const W = [0.2, 0.5, 1.3];
const SOFT = [[0.1, 0.2, 0.7], [1, 0, 0], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25]];
// NumPy: -log_softmax(X)[i, LABEL[i]]
const LOSS = [0.407605964, 1.7413113, 0.696510492, 2.40760596];

test('softmax_with_cross_entropy: loss keeps a size-1 class axis; softmax; ignore_index', () => {
  const x = f64(X);
  const loss = F.softmax_with_cross_entropy(x, i64([[2], [0], [1], [2]])) as Tensor;
  assert.deepEqual(loss.shape, [4, 1]);
  assertClose(loss, LOSS, 1e-8, 1e-9);
  const [l2, sm] = F.softmax_with_cross_entropy(x, i64([[2], [0], [1], [2]]), { return_softmax: true }) as [Tensor, Tensor];
  assertClose(l2, LOSS, 1e-8, 1e-9);
  assertClose(sm, [0.0900305732, 0.244728471, 0.665240956, 0.175290392, 0.0391125733, 0.785597035, 0.498321169, 0.498321169,
    0.00335766163, 0.244728471, 0.665240956, 0.0900305732], 1e-8, 1e-9);
  assertClose(F.softmax_with_cross_entropy(x, i64([[2], [5], [1], [5]]), { ignore_index: 5 }) as Tensor, [LOSS[0], 0, LOSS[2], 0], 1e-8, 1e-9);
  // soft labels: -sum(label * log_softmax)
  assertClose(F.softmax_with_cross_entropy(x, f64(SOFT), true) as Tensor, [0.807605964, 1.7413113, 2.69651049, 1.40760596], 1e-8, 1e-9);
  // float32 logits; the docstring example of paddle.nn.functional.softmax_with_cross_entropy's op
  const l32 = F.softmax_with_cross_entropy(paddle.to_tensor([[1, 2, 3]], { dtype: 'float32' }), i64([[2]])) as Tensor;
  assertTensor(l32, [1, 1], 'float32');
  assertClose(l32, [0.407605964]);
  // int32 labels are accepted too
  assertClose(F.softmax_with_cross_entropy(x, paddle.to_tensor([[2], [0], [1], [2]], { dtype: 'int32' })) as Tensor, LOSS, 1e-8, 1e-9);
});

test('softmax_with_cross_entropy: gradient is (softmax - onehot) * dLoss, 0 for ignored samples', () => {
  const x = f64(X);
  x.stop_gradient = false;
  const loss = F.softmax_with_cross_entropy(x, i64([[2], [-100], [1], [2]])) as Tensor;
  paddle.sum(loss).backward();
  const sm = [0.0900305732, 0.244728471, 0.665240956, 0.175290392, 0.0391125733, 0.785597035, 0.498321169, 0.498321169,
    0.00335766163, 0.244728471, 0.665240956, 0.0900305732];
  const expect = sm.slice();
  expect[2] -= 1;
  expect[3] = expect[4] = expect[5] = 0; // ignored row
  expect[7] -= 1;
  expect[11] -= 1;
  assertClose(x.grad!, expect, 1e-8, 1e-9);
  const lbl = i64([[2], [0], [1], [2]]);
  checkGrad((z) => F.softmax_with_cross_entropy(z, lbl) as Tensor, [randTensor([4, 3])]);
  checkGrad((z) => F.softmax_with_cross_entropy(z, i64([[2], [-100], [1], [2]])) as Tensor, [randTensor([4, 3])]);
  checkGrad((z, s) => F.softmax_with_cross_entropy(z, s, true) as Tensor, [randTensor([4, 3]), f64(SOFT)], { wrt: [0] });
  // soft labels that do not sum to 1 (the exact gradient is softmax * sum(label) - label)
  checkGrad((z, s) => F.softmax_with_cross_entropy(z, s, true) as Tensor, [randTensor([3, 4]), randTensor([3, 4], 0, 1)], { wrt: [0] });
  // class axis in the middle
  const l3 = i64([[[0, 2, 1, 1]], [[2, 2, 0, 1]]]);
  checkGrad((z) => F.softmax_with_cross_entropy(z, l3, { axis: 1 }) as Tensor, [randTensor([2, 3, 4])]);
  // second order (through create_graph), hard and soft labels
  checkGrad((z) => F.softmax_with_cross_entropy(z, lbl) as Tensor, [randTensor([4, 3])], { second: true });
  checkGrad((z, s) => F.softmax_with_cross_entropy(z, s, true, { axis: 0 }) as Tensor, [randTensor([3, 2]), randTensor([3, 2], 0, 1)], { wrt: [0], second: true });
});

test('cross_entropy: hard labels with each reduction', () => {
  const x = f64(X);
  const label = i64(LABEL);
  assertClose(F.cross_entropy(x, label), [1.31325843], 1e-8);
  assertClose(F.cross_entropy(x, label, { reduction: 'sum' }), [5.25303372], 1e-8);
  const none = F.cross_entropy(x, label, { reduction: 'none' });
  assert.deepEqual(none.shape, [4]);
  assertClose(none, LOSS, 1e-8, 1e-9);
  // a label with the class axis kept as size 1: 'none' keeps it too
  const none2 = F.cross_entropy(x, i64([[2], [0], [1], [2]]), { reduction: 'none' });
  assert.deepEqual(none2.shape, [4, 1]);
  assertClose(F.cross_entropy(x, i64([[2], [0], [1], [2]])), [1.31325843], 1e-8);
  assert.deepEqual(F.cross_entropy(x, label).shape, [1]);
});

test('cross_entropy: weight gathered per sample; mean divides by the summed weights', () => {
  const x = f64(X);
  const label = i64(LABEL);
  const w = f64(W);
  assertClose(F.cross_entropy(x, label, w), [1.32008879], 1e-8);
  assertClose(F.cross_entropy(x, label, w, { reduction: 'sum' }), [4.35629301], 1e-8);
  assertClose(F.cross_entropy(x, label, { weight: w, reduction: 'none' }), [0.529887754, 0.348262259, 0.348255246, 3.12988775], 1e-8, 1e-9);
});

test('cross_entropy: ignore_index and the 2.0 denominators', () => {
  const x = f64(X);
  const w = f64(W);
  // default ignore_index -100: the ignored sample gets 0 loss but still counts in the mean's denominator (4)
  assertClose(F.cross_entropy(x, i64([2, -100, 1, 2])), [0.877930605], 1e-8);
  assertClose(F.cross_entropy(x, i64([2, -100, 1, 2]), { reduction: 'none' }), [LOSS[0], 0, LOSS[2], LOSS[3]], 1e-8, 1e-9);
  // another ignore_index: the mean divides by the count of non-ignored samples (2)
  assertClose(F.cross_entropy(x, i64([2, 1, 1, 0]), { ignore_index: 1 }), [0.907605964], 1e-8);
  assertClose(F.cross_entropy(x, i64([2, 1, 1, 0]), { ignore_index: 1, reduction: 'none' }), [0.407605964, 0, 0, 1.40760596], 1e-8, 1e-9);
  // with weight: divide by the summed weights of the non-ignored samples
  assertClose(F.cross_entropy(x, i64([2, 1, 1, 0]), w, 1), [0.540939298], 1e-8);
  assertClose(F.cross_entropy(x, i64([2, -100, 1, 2]), w), [1.29291315], 1e-8);
  // everything ignored: 0, not NaN
  assertClose(F.cross_entropy(x, i64([1, 1, 1, 1]), { ignore_index: 1 }), [0]);
});

test('cross_entropy: soft labels, with and without weight', () => {
  const x = f64(X);
  assertClose(F.cross_entropy(x, f64(SOFT), { soft_label: true }), [1.66325843], 1e-8);
  assertClose(F.cross_entropy(x, f64(SOFT), { soft_label: true, reduction: 'none' }), [[0.807605964], [1.7413113], [2.69651049], [1.40760596]], 1e-8, 1e-9);
  assertClose(F.cross_entropy(x, f64(SOFT), f64(W), { soft_label: true }), [1.56284157], 1e-8);
});

test('cross_entropy: class axis 1 of a 3-D input', () => {
  const xa = f64([[[-1, -0.63, -0.26, 0.11], [0.48, 0.85, -0.88, -0.51], [-0.14, 0.23, 0.6, 0.97]],
    [[-0.76, -0.39, -0.02, 0.35], [0.72, 1.09, -0.64, -0.27], [0.1, 0.47, 0.84, -0.89]]]);
  const la = i64([[0, 2, 1, 1], [2, 2, 0, 1]]);
  const none = F.cross_entropy(xa, la, { axis: 1, reduction: 'none' });
  assert.deepEqual(none.shape, [2, 4]);
  assertClose(none, [2.04848045, 1.18848045, 1.98125988, 1.98125988, 1.18848045, 1.18848045, 1.36125988, 1.22285515], 1e-7);
  assertClose(F.cross_entropy(xa, la, { axis: 1 }), [1.52006957], 1e-7);
  assertClose(F.cross_entropy(xa, la, f64(W), { axis: 1 }), [1.36374298], 1e-7);
});

test('cross_entropy: gradients (finite differences)', () => {
  const label = i64(LABEL);
  const w = f64(W);
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    checkGrad((z) => F.cross_entropy(z, label, { reduction }), [randTensor([4, 3])]);
    checkGrad((z) => F.cross_entropy(z, label, w, { reduction }), [randTensor([4, 3])]);
  }
  checkGrad((z) => F.cross_entropy(z, i64([2, 1, 1, 0]), w, 1), [randTensor([4, 3])]);
  checkGrad((z) => F.cross_entropy(z, i64([2, -100, 1, 0])), [randTensor([4, 3])]);
  checkGrad((z, s) => F.cross_entropy(z, s, w, { soft_label: true }), [randTensor([4, 3]), f64(SOFT)], { wrt: [0] });
  checkGrad((z) => F.cross_entropy(z, i64([[0, 2, 1, 1], [2, 2, 0, 1]]), w, { axis: 1 }), [randTensor([2, 3, 4])]);
  // the weight itself is differentiable
  checkGrad((ww) => F.cross_entropy(f64(X), label, ww), [f64(W)]);
});

test('cross_entropy / softmax_with_cross_entropy errors', () => {
  const x = f64(X);
  assertThrows(() => F.cross_entropy(x, i64([2, 0, 3, 2])), paddle.errors.OutOfRangeError, /cross_entropy/, /label value 3/, /\[0, 2\]/);
  assertThrows(() => F.cross_entropy(x, i64([2, 0, -1, 2])), paddle.errors.OutOfRangeError, /label value -1/);
  assertThrows(() => F.cross_entropy(x, i64(LABEL), { reduction: 'avg' as never }), paddle.errors.InvalidArgumentError,
    /paddle\.nn\.functional\.cross_entropy/, /'reduction'/, /'mean', 'sum', 'none'/, /avg/);
  assertThrows(() => F.cross_entropy(x, i64([[[1]]])), paddle.errors.InvalidArgumentError, /rank/, /\[4, 3\]/, /\[1, 1, 1\]/);
  assertThrows(() => F.cross_entropy(x, i64([1, 2])), paddle.errors.InvalidArgumentError, /same shape except on axis/, /\[4, 3\]/, /\[2, 1\]/);
  assertThrows(() => F.cross_entropy(x, i64(LABEL), f64([1, 2])), paddle.errors.InvalidArgumentError, /weight/, /\[2\]/);
  assertThrows(() => F.softmax_with_cross_entropy(x, i64([[0, 1], [0, 1], [0, 1], [0, 1]])), paddle.errors.InvalidArgumentError, /size 1/);
  assertThrows(() => F.softmax_with_cross_entropy(x, f64([[1], [0], [1], [0]])), paddle.errors.InvalidArgumentError, /Label/, /int64, int32/);
  assertThrows(() => F.softmax_with_cross_entropy(x, i64([[1], [0], [1], [0]]), { axis: 2 }), paddle.errors.InvalidArgumentError, /axis=2/);
});

test('mse_loss: each reduction, gradient, errors', () => {
  const a = f64([1.5, 2, -1]);
  const b = f64([1.7, 1, 0]);
  assertClose(F.mse_loss(a, b), [0.68], 1e-12);
  assertClose(F.mse_loss(a, b, 'sum'), [2.04], 1e-12);
  assertClose(F.mse_loss(a, b, { reduction: 'none' }), [0.04, 1, 1], 1e-12);
  // docstring example: [1.5] vs [1.7] gives 0.04 (float32)
  assertClose(F.mse_loss(paddle.to_tensor([1.5], { dtype: 'float32' }), paddle.to_tensor([1.7], { dtype: 'float32' })), [0.04]);
  checkGrad((p, q) => F.mse_loss(p, q), [randTensor([2, 3]), randTensor([2, 3])]);
  checkGrad((p, q) => F.mse_loss(p, q, 'none'), [randTensor([3]), randTensor([3])]);
  assertThrows(() => F.mse_loss(a, b, 'max' as never), paddle.errors.InvalidArgumentError, /mse_loss/, /'reduction'/);
  assertThrows(() => F.mse_loss(i64([1, 2]), b), paddle.errors.InvalidArgumentError, /mse_loss/, /float/);
});

test('cross_entropy2 operator (fluid cross_entropy): -log(X[label]) and its gradient', () => {
  const ce2 = (x: Tensor, label: Tensor, ignore = -100): Tensor => dispatch('cross_entropy2', { X: [x], Label: [label] }, { ignore_index: ignore }).Y[0];
  const p = f64([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]]);
  const y = ce2(p, i64([[2], [0]]));
  assert.deepEqual(y.shape, [2, 1]);
  assertClose(y, [-Math.log(0.5), -Math.log(0.7)], 1e-12);
  assertClose(ce2(p, i64([[2], [1]]), 1), [-Math.log(0.5), 0], 1e-12);
  checkGrad((z) => ce2(z, i64([[2], [0]])), [f64([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]])]);
  assertThrows(() => ce2(p, i64([[3], [0]])), paddle.errors.OutOfRangeError, /label value 3/);
});

test('nn.functional activations relu / relu_ / sigmoid reach the ops', () => {
  assertClose(F.relu(paddle.to_tensor([-2, 0, 1], { dtype: 'float32' })), [0, 0, 1]);
  const x = paddle.to_tensor([-2, 0, 1], { dtype: 'float32' });
  assert.equal(F.relu_(x), x);
  assertClose(x, [0, 0, 1]);
  assertClose(F.sigmoid(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3], { dtype: 'float32' })), [0.40131234, 0.450166, 0.52497919, 0.57444252]);
  checkGrad((z) => F.sigmoid(z), [randTensor([3])]);
});
