// Loss layers (paddle.nn.BCELoss, CrossEntropyLoss, NLLLoss...): forward equals the functional
// form with the stored arguments (values from NumPy), weights kept as non-persistable
// buffers, training through backward, reprs and constructor errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const nn = paddle.nn;
const F = paddle.nn.functional;
const E = paddle.errors.InvalidArgumentError;
const f64 = (v: unknown, shape?: number[]): Tensor => {
  const t = paddle.to_tensor(v as number[], { dtype: 'float64' });
  return shape ? t.reshape(shape) : t;
};
const i64 = (v: unknown): Tensor => paddle.to_tensor(v as number[], { dtype: 'int64' });
const close = (t: unknown, want: number[]): void => assertClose(t as Tensor, want, 1e-10, 1e-12);

const P = f64([[0.1, 0.9, 0.5], [0.7, 0.2, 0.999]]);
const L = f64([[0, 1, 1], [1, 0, 1]]);
const W = f64([0.5, 2, 1.5]);

test('BCELoss and BCEWithLogitsLoss', () => {
  close(new nn.BCELoss()(P, L), [0.24744786791035392]);
  close(new nn.BCELoss(W, 'none')(P, L), [0.05268025782891314, 0.21072103131565256, 1.0397207708399179, 0.17833747196936622, 0.4462871026284194, 0.0015007505003753014]);
  close(new nn.BCELoss({ reduction: 'sum' })(P, L), [1.4846872074621236]);
  const z = f64([[-2, 0.5, 3], [1.5, -0.3, -4]]);
  const y = f64([[0.2, 1, 0.7], [1, 0, 0.5]]);
  close(new nn.BCEWithLogitsLoss()(z, y), [0.7872517995276519]);
  close(new nn.BCEWithLogitsLoss(W, 'mean', f64([1, 2, 0.5]))(z, y), [1.0940800678103797]);
  close(new nn.BCEWithLogitsLoss({ reduction: 'sum', weight: W })(z, y), [6.871141021047459]);
  // the weight is a non-persistable buffer, as Paddle's __setattr__ makes it
  const l = new nn.BCELoss(W);
  assert.equal(l.weight, W);
  assert.deepEqual(Object.keys(l.state_dict()), []);
  assert.equal(l.buffers().length, 1);
  assert.equal(String(l), 'BCELoss()');
  assert.equal(String(new nn.BCEWithLogitsLoss()), 'BCEWithLogitsLoss()');
});

test('CrossEntropyLoss: weight, ignore_index, reduction, soft_label, axis', () => {
  const x = f64([[1, 2, 3], [0.5, -1, 2], [3, 3, -2], [0, 1, -1]]);
  const lab = i64([2, 0, 1, 2]);
  const w = f64([0.2, 0.5, 1.3]);
  close(new nn.CrossEntropyLoss()(x, lab), [1.313258429331999]);
  close(new nn.CrossEntropyLoss(w)(x, lab), [1.3200887917508666]);
  close(new nn.CrossEntropyLoss({ reduction: 'none' })(x, lab), [0.40760596444438013, 1.7413112966571571, 0.696510491782079, 2.4076059644443806]);
  close(new nn.CrossEntropyLoss(null, 1)(x, lab), [1.5188410751819728]);
  close(new nn.CrossEntropyLoss(null, -100, 'sum')(x, lab), [5.253033717327996]);
  const soft = f64([[0.1, 0.2, 0.7], [1, 0, 0], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25]]);
  // NumPy: -sum(soft * log_softmax(x), 1)
  const sl = new nn.CrossEntropyLoss({ soft_label: true, reduction: 'none' })(x, soft) as Tensor;
  assert.deepEqual(sl.shape, [4, 1]);
  close(sl, [0.80760596444438, 1.7413112966571571, 2.6965104917820795, 1.4076059644443804]);
  // class axis 1 of [N, C, L]
  const x3 = paddle.transpose(x.reshape([1, 4, 3]), [0, 2, 1]);
  const l3 = i64([[2, 0, 1, 2]]);
  close(new nn.CrossEntropyLoss({ axis: 1 })(x3, l3), [1.313258429331999]);
  const ce = new nn.CrossEntropyLoss(w, 5, 'mean', false, -1, 'ce');
  assert.equal(ce.ignore_index, 5);
  assert.equal(ce.axis, -1);
  assert.equal(ce.soft_label, false);
  assert.equal(ce.reduction, 'mean');
  assert.equal(String(ce), 'CrossEntropyLoss()');
});

test('NLLLoss, MSELoss, L1Loss, SmoothL1Loss, KLDivLoss, MarginRankingLoss', () => {
  const x = f64([[1, 2, 3], [0.5, -1, 2], [3, 3, -2], [0, 1, -1]]);
  const lab = i64([2, 0, 1, 2]);
  const lp = F.log_softmax(x);
  close(new nn.NLLLoss()(lp, lab), [1.313258429331999]);
  close(new nn.NLLLoss(f64([0.2, 0.5, 1.3]), -100, 'sum')(lp, lab), [4.35629301277786]);
  close(new nn.NLLLoss({ ignore_index: 1, reduction: 'none' })(lp, lab), [0.40760596444438013, 1.7413112966571571, 0.0, 2.4076059644443806]);
  const a = f64([[1.5, 0.8], [0.2, 1.3]]);
  const b = f64([[1.7, 1], [0.4, 0.5]]);
  close(new nn.MSELoss()(a, b), [(0.04 + 0.04 + 0.04 + 0.64) / 4]);
  close(new nn.MSELoss('sum')(a, b), [0.76]);
  close(new nn.L1Loss()(a, b), [0.35]);
  close(new nn.L1Loss('none')(a, b), [0.2, 0.2, 0.2, 0.8]);
  const i = f64([-2, -0.5, 0, 1, 3.5, 0.3]);
  const t = f64([0, 0.5, 0, 0, 1, -1]);
  close(new nn.SmoothL1Loss()(i, t), [0.8833333333333333]);
  close(new nn.SmoothL1Loss('sum', 1.5)(i, t), [6.345]);
  close(new nn.SmoothL1Loss({ delta: 1, reduction: 'none' })(i, t), [1.5, 0.5, 0.0, 0.5, 2.0, 0.8]);
  const xin = f64([[-1.2, -0.5, -2.0], [-0.1, -3.0, -0.7]]);
  const tgt = f64([[0.3, 0.7, 0.0], [0.5, 0.2, 0.3]]);
  close(new nn.KLDivLoss()(xin, tgt), [-0.011752886019911188]);
  close(new nn.KLDivLoss('batchmean')(xin, tgt), [-0.035258658059733564]);
  close(new nn.KLDivLoss('sum')(xin, tgt), [-0.07051731611946713]);
  const mi = f64([[1, 2], [3, 4]]);
  const mo = f64([[2, 1], [2, 4]]);
  const ml = f64([[1, -1], [-1, -1]]);
  close(new nn.MarginRankingLoss()(mi, mo, ml), [0.75]);
  close(new nn.MarginRankingLoss(0.5, 'sum')(mi, mo, ml), [5]);
  for (const l of [new nn.NLLLoss(), new nn.MSELoss(), new nn.L1Loss(), new nn.SmoothL1Loss(), new nn.KLDivLoss(), new nn.MarginRankingLoss()]) {
    assert.equal(String(l), `${l.constructor.name}()`);
    assert.equal(l.parameters().length, 0);
  }
});

test('a loss layer trains a Linear layer through backward', () => {
  const fc = new nn.Linear(2, 3);
  const lossFn = new nn.CrossEntropyLoss();
  const x = paddle.to_tensor([[1, 2], [-1, 0.5]], { dtype: 'float32' });
  const loss = lossFn(fc(x), i64([2, 0])) as Tensor;
  loss.backward();
  assert.deepEqual(fc.weight.grad!.shape, [2, 3]);
  const bce = new nn.BCEWithLogitsLoss();
  const out = bce(fc(x), paddle.to_tensor([[0, 1, 0], [1, 0, 0]], { dtype: 'float32' })) as Tensor;
  fc.clear_gradients();
  out.backward();
  // d mean(bce) / d logit = (sigmoid(z) - y) / 6, summed into the bias
  const z = fc(x) as Tensor;
  const s = (F.sigmoid(z).tolist() as number[][]);
  const want = [0, 1, 2].map((j) => ((s[0][j] - [0, 1, 0][j]) + (s[1][j] - [1, 0, 0][j])) / 6);
  assertClose(fc.bias!.grad!, want, 1e-5, 1e-6);
});

test('loss layer errors: reduction, argument types, shapes', () => {
  assertThrows(() => new nn.BCELoss(null, 'avg' as never), E, /paddle\.nn\.BCELoss.*reduction.*one of 'mean', 'sum', 'none'/);
  assertThrows(() => new nn.BCEWithLogitsLoss({ reduction: 'max' as never }), E, /BCEWithLogitsLoss.*reduction/);
  assertThrows(() => new nn.MSELoss('avg' as never), E, /MSELoss.*reduction/);
  assertThrows(() => new nn.L1Loss('x' as never), E, /L1Loss.*reduction/);
  assertThrows(() => new nn.NLLLoss(null, -100, 'x' as never), E, /NLLLoss.*reduction/);
  assertThrows(() => new nn.KLDivLoss('avg' as never), E, /KLDivLoss.*reduction.*'batchmean'/);
  assertThrows(() => new nn.MarginRankingLoss('a' as never), E, /MarginRankingLoss.*margin/);
  assertThrows(() => new nn.SmoothL1Loss('mean', 'a' as never), E, /SmoothL1Loss.*delta/);
  assertThrows(() => new nn.CrossEntropyLoss([1, 2] as never), E, /CrossEntropyLoss.*weight/);
  assertThrows(() => new nn.BCELoss()(P, f64([1, 0])), E, /binary_cross_entropy.*same shape/);
  assertThrows(() => new nn.NLLLoss()(P, paddle.to_tensor([0, 1], { dtype: 'int32' })), E, /nll_loss.*int64/);
  assertThrows(() => new nn.CrossEntropyLoss()(P, i64([[[0]]])), E, /cross_entropy/);
});
