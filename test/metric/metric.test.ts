// paddle.metric: Accuracy (Paddle's documented example), Precision / Recall (documented
// examples, and their different rounding of 0.5), Auc against the Mann-Whitney (sklearn
// roc_auc_score) value computed by hand with NumPy, paddle.metric.accuracy and its
// 'accuracy' operator in dygraph and static mode, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';

const { metric } = paddle;

const X = () => paddle.to_tensor([[0.1, 0.2, 0.3, 0.4], [0.1, 0.4, 0.3, 0.2], [0.1, 0.2, 0.4, 0.3], [0.1, 0.2, 0.3, 0.4]], { dtype: 'float32' });

test('Accuracy: the example of Paddle 2.0 docs', () => {
  const m = new metric.Accuracy();
  const correct = m.compute(X(), paddle.to_tensor([[0], [1], [2], [3]]));
  assertTensor(correct, [4, 1], 'float32', [[0], [1], [1], [1]]);
  assert.equal(m.update(correct), 0.75);
  assert.equal(m.accumulate(), 0.75);
  assert.deepEqual(m.name(), ['acc']);
});

test('Accuracy: several k, labels [N], one-hot labels, accumulation and reset', () => {
  const m = new metric.Accuracy({ topk: [1, 2], name: 'top' });
  assert.deepEqual(m.name(), ['top_top1', 'top_top2']);
  const c = m.compute(X(), paddle.to_tensor([2, 1, 3, 0]));
  assertTensor(c, [4, 2], 'float32', [[0, 1], [1, 0], [0, 1], [0, 0]]);
  assert.deepEqual(m.update(c), [0.25, 0.75]);
  // a second batch: one-hot labels [N, classes]
  const oneHot = paddle.to_tensor([[0, 0, 0, 1], [1, 0, 0, 0]], { dtype: 'float32' });
  const c2 = m.compute(paddle.to_tensor([[0.1, 0.2, 0.3, 0.4], [0.5, 0.1, 0.3, 0.1]], { dtype: 'float32' }), oneHot);
  assertTensor(c2, [2, 2], 'float32', [[1, 0], [1, 0]]);
  assert.deepEqual(m.update(c2), [1, 1]);
  assert.deepEqual(m.accumulate(), [3 / 6, 5 / 6]);
  m.reset();
  assert.deepEqual(m.accumulate(), [0, 0]);
  // update also takes nested arrays
  assert.equal(new metric.Accuracy(1).update([[1], [0], [1], [1]]), 0.75);
  assertThrows(() => new metric.Accuracy([0]), paddle.errors.InvalidArgumentError, /paddle\.metric\.Accuracy/, /argument 'topk'/);
  assertThrows(() => new metric.Accuracy().compute([1] as never, X()), paddle.errors.InvalidArgumentError, /argument 'pred' expected a Tensor/);
  assertThrows(() => new metric.Accuracy().update('x' as never), paddle.errors.InvalidArgumentError, /argument 'correct' must be a Tensor or an array/);
});

test('Precision and Recall: the examples of Paddle 2.0 docs; 0.5 rounds up for Precision, to even for Recall', () => {
  const p = new metric.Precision();
  p.update(paddle.to_tensor([0.1, 0.5, 0.6, 0.7], { dtype: 'float32' }), paddle.to_tensor([0, 1, 1, 1]));
  assert.equal(p.accumulate(), 1);
  assert.equal(p.name(), 'precision');
  p.update([[0.9], [0.2]], [[0], [0]]);
  assert.equal(p.accumulate(), 3 / 4);
  p.reset();
  assert.equal(p.accumulate(), 0);

  const r = new metric.Recall('rec');
  r.update(paddle.to_tensor([0.1, 0.5, 0.6, 0.7], { dtype: 'float64' }), paddle.to_tensor([1, 0, 1, 1]));
  assert.equal(r.accumulate(), 2 / 3);
  assert.equal(r.name(), 'rec');
  // p = 0.5 with label 1: Precision counts it predicted positive, Recall (rint) negative
  const p2 = new metric.Precision();
  const r2 = new metric.Recall();
  p2.update([0.5], [1]);
  r2.update([0.5, 1.5], [1, 0]);
  assert.equal(p2.accumulate(), 1);
  assert.equal(r2.accumulate(), 0);
  assertThrows(() => p.update([0.1, 0.2], [1]), paddle.errors.InvalidArgumentError, /paddle\.metric\.Precision\.update/, /one value per sample/);
  assertThrows(() => r.update('a' as never, [1]), paddle.errors.InvalidArgumentError, /argument 'preds'/);
});

test('Auc matches the rank (Mann-Whitney / sklearn) AUC; bucketing makes ties', () => {
  const p = [0.1, 0.8, 0.3, 0.45, 0.6, 0.65];
  const y = [0, 1, 0, 1, 1, 0];
  const preds = paddle.to_tensor(p.map((v) => [1 - v, v]), { dtype: 'float64' });
  const labels = paddle.to_tensor(y.map((v) => [v]));
  const m = new metric.Auc();
  m.update(preds, labels);
  // 7 of the 9 (positive, negative) pairs are ordered right: roc_auc_score = 0.7778
  assertClose(m.accumulate(), 7 / 9, 1e-12, 1e-12);
  assert.equal(m.name(), 'auc');
  // with 2 thresholds, scores fall into bins 0,1,0,0,1,1: ties count half -> 6/9
  const coarse = new metric.Auc({ num_thresholds: 2 });
  coarse.update(preds, y);
  assertClose(coarse.accumulate(), 6 / 9, 1e-12, 1e-12);
  // accumulating over batches is the same as one batch
  const split = new metric.Auc();
  split.update(paddle.to_tensor([[0.9, 0.1], [0.2, 0.8]]), [[0], [1]]);
  split.update(paddle.to_tensor([[0.7, 0.3], [0.55, 0.45], [0.4, 0.6], [0.35, 0.65]]), [[0], [1], [1], [0]]);
  assertClose(split.accumulate(), 7 / 9, 1e-12, 1e-12);
  split.reset();
  assert.equal(split.accumulate(), 0);
  assert.equal(metric.Auc.trapezoid_area(1, 3, 2, 4), 6);
  assertThrows(() => m.update(paddle.to_tensor([0.1, 0.2]), [0, 1]), paddle.errors.InvalidArgumentError, /preds must have shape \[N, 2\]/);
  assertThrows(() => m.update(paddle.to_tensor([[0, 1.5]]), [1]), paddle.errors.InvalidArgumentError, /is not a probability/);
  assertThrows(() => new metric.Auc('XY' as never), paddle.errors.InvalidArgumentError, /argument 'curve'/);
});

test('Metric base: compute passes through; the other methods must be defined by subclasses', () => {
  const m = new metric.Metric();
  assert.deepEqual(m.compute(1, 2), [1, 2]);
  assertThrows(() => m.reset(), paddle.errors.UnimplementedError, /'reset' not implemented in Metric/);
  assertThrows(() => m.update(1), paddle.errors.UnimplementedError, /'update' not implemented/);
  assertThrows(() => m.accumulate(), paddle.errors.UnimplementedError, /'accumulate' not implemented/);
  assertThrows(() => m.name(), paddle.errors.UnimplementedError, /'name' not implemented/);
  class Mean extends metric.Metric {
    s = 0;
    n = 0;
    override reset() {
      this.s = this.n = 0;
    }
    override update(v: number) {
      this.s += v;
      this.n++;
    }
    override accumulate() {
      return this.s / this.n;
    }
    override name() {
      return 'mean';
    }
  }
  const mm = new Mean();
  mm.update(1);
  mm.update(2);
  assert.equal(mm.accumulate(), 1.5);
});

test('paddle.metric.accuracy: the example of Paddle 2.0 docs, k, correct / total', () => {
  const pred = paddle.to_tensor([[0.2, 0.1, 0.4, 0.1, 0.1], [0.2, 0.3, 0.1, 0.15, 0.25]], { dtype: 'float32' });
  const label = paddle.to_tensor([[2], [0]], { dtype: 'int64' });
  assertTensor(metric.accuracy(pred, label), [1], 'float32', [0.5]);
  assertTensor(metric.accuracy({ input: pred, label, k: 2 }), [1], 'float32', [0.5]);
  const correct = paddle.zeros([1], 'int64');
  const total = paddle.zeros([1], 'int32');
  assertTensor(metric.accuracy(pred, label, 3, correct, total), [1], 'float32', [1]);
  assertTensor(correct, [1], 'int64', [2]);
  assertTensor(total, [1], 'int32', [2]);
  // float64 predictions, int32 labels; 1/3 rounds as a float32 division
  const acc = metric.accuracy(paddle.to_tensor([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7]], { dtype: 'float64' }), paddle.to_tensor([[0], [0], [0]], { dtype: 'int32' }));
  assertTensor(acc, [1], 'float32');
  assert.equal(acc.numpy()[0], Math.fround(1 / 3));
  assert.ok(acc.stop_gradient);
  assertThrows(() => metric.accuracy(pred, paddle.to_tensor([2, 0])), paddle.errors.InvalidArgumentError, /paddle\.metric\.accuracy/, /label's dimensions must be 2/, /operator accuracy/);
  assertThrows(() => metric.accuracy(pred, paddle.to_tensor([[2, 1], [0, 1]])), paddle.errors.InvalidArgumentError, /label's second dimension must be 1/);
  assertThrows(() => metric.accuracy(pred, paddle.to_tensor([[2]])), paddle.errors.InvalidArgumentError, /same number of rows/);
  assertThrows(() => metric.accuracy(pred, paddle.to_tensor([[2.0], [1.0]], { dtype: 'float32' })), paddle.errors.InvalidArgumentError, /input Label must have dtype int32, int64/);
  assertThrows(() => metric.accuracy(pred, paddle.to_tensor([[-1], [0]])), paddle.errors.InvalidArgumentError, /must be >= 0/);
  assertThrows(() => metric.accuracy(paddle.to_tensor([[1, 2]]), label), paddle.errors.InvalidArgumentError, /argument 'input' must be a float16, float32 or float64 Tensor/);
  assertThrows(() => metric.accuracy(pred, label, 9), paddle.errors.InvalidArgumentError, /k = 9 is larger than the size 5/);
});

test("paddle.metric.accuracy in static mode appends top_k_v2 and 'accuracy'", () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    let accVar: paddle.Tensor | undefined;
    let correctVar: paddle.Tensor | undefined;
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [-1, 3], 'float32');
      const y = paddle.static.data('y', [-1, 1], 'int64');
      accVar = metric.accuracy(x, y, 2);
      correctVar = main.global_block().create_var({ name: 'n_correct', dtype: 'int32', shape: [1] });
      metric.accuracy(x, y, 1, correctVar);
    });
    const types = main.global_block().ops.map((o) => o.type);
    assert.deepEqual(types, ['top_k_v2', 'accuracy', 'top_k_v2', 'accuracy']);
    const op = main.global_block().ops[1];
    assert.deepEqual(Object.keys(op.inputs).sort(), ['Indices', 'Label', 'Out']);
    assert.deepEqual(Object.keys(op.outputs).sort(), ['Accuracy', 'Correct', 'Total']);
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    const [acc, n] = exe.run(main, {
      feed: { x: paddle.to_tensor([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1], [0.3, 0.3, 0.4]], { dtype: 'float32' }), y: paddle.to_tensor([[2], [1], [1]]) },
      fetch_list: [accVar!, correctVar!],
    }) as paddle.Tensor[];
    // top-2: row 0 {1, 2} has 2; row 1 {0, 1} has 1; row 2 {2, 0} (ties keep order) lacks 1
    assertClose(acc, [2 / 3]);
    // top-1 correct count: row 0 predicts 1, row 1 predicts 0, row 2 predicts 2 -> none
    assert.deepEqual(n.tolist(), [0]);
  } finally {
    paddle.disable_static();
  }
});
