// SelectedRows gradients of Embedding(sparse=True): rows/value/height as Paddle's sparse
// lookup_table_v2_grad kernel makes them (padding ids included), accumulation (merge) and
// clear_gradient, mixing with dense uses, and the optimizers and clipping on them: every
// sparse run is compared with a dense twin, Adam's lazy_mode with hand-derived values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { run1 } from '../../src/core/dispatch.js';
import { SelectedRows } from '../../src/core/selected_rows.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const nn = paddle.nn;
const rowsOf = (t: paddle.Tensor | null): number[] => (t as SelectedRows).rows;

test('Embedding(sparse=True): the weight gradient is SelectedRows (rows = ids, value = Out@GRAD rows)', () => {
  const sp = new nn.Embedding(5, 2, { sparse: true });
  const de = new nn.Embedding(5, 2);
  de.weight.set_value(sp.weight);
  const ids = paddle.to_tensor([[1, 3], [1, 0]]);
  const wts = paddle.to_tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], { dtype: 'float32' });
  sp(ids).multiply(wts).sum().backward();
  de(ids).multiply(wts).sum().backward();
  const g = sp.weight.grad as SelectedRows;
  assert.ok(g instanceof SelectedRows);
  assert.equal(g.type, 'SELECTED_ROWS');
  assert.deepEqual(g.rows, [1, 3, 1, 0]);
  assert.equal(g.height, 5);
  assert.deepEqual(g.shape, [4, 2]);
  assert.deepEqual(g.tolist(), [[1, 2], [3, 4], [5, 6], [7, 8]]);
  // scattered: row 1 gets [1,2] + [5,6]
  assert.deepEqual(g.to_dense().tolist(), [[7, 8], [6, 8], [0, 0], [3, 4], [0, 0]]);
  assert.deepEqual(g.to_dense().tolist(), de.weight.grad!.tolist());
  // gradient() gives (value, rows) as Paddle 2.0
  const [value, rows] = sp.weight.gradient() as [Float32Array, BigInt64Array];
  assert.deepEqual(Array.from(value), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(Array.from(rows), [1n, 3n, 1n, 0n]);
  assert.match(String(g), /SelectedRows\(rows=\[1, 3, 1, 0\], height=5/);
});

test('sparse gradients keep the padding id (Paddle\'s sparse kernel); the dense one zeroes it', () => {
  const sp = new nn.Embedding(4, 2, { sparse: true, padding_idx: 1 });
  const de = new nn.Embedding(4, 2, { padding_idx: 1 });
  const ids = paddle.to_tensor([1, 2]);
  sp(ids).sum().backward();
  de(ids).sum().backward();
  assert.deepEqual(rowsOf(sp.weight.grad), [1, 2]);
  assert.deepEqual(sp.weight.grad!.tolist(), [[1, 1], [1, 1]]);
  assert.deepEqual(de.weight.grad!.tolist(), [[0, 0], [0, 0], [1, 1], [0, 0]]);
});

test('accumulating sparse gradients merges rows (sorted, summed); clear_gradient empties them', () => {
  const emb = new nn.Embedding(3, 2, { sparse: true });
  const ids = paddle.to_tensor([2, 0, 2]);
  emb(ids).sum().backward();
  assert.deepEqual(rowsOf(emb.weight.grad), [2, 0, 2]);
  emb(ids).sum().backward();
  assert.deepEqual(rowsOf(emb.weight.grad), [0, 2]);
  assert.deepEqual(emb.weight.grad!.tolist(), [[2, 2], [4, 4]]);
  emb.clear_gradients();
  assert.deepEqual(rowsOf(emb.weight.grad), []);
  assert.deepEqual(emb.weight.grad!.shape, [0, 2]);
  emb(ids).sum().backward();
  assert.deepEqual(rowsOf(emb.weight.grad), [0, 2]);
  assert.deepEqual(emb.weight.grad!.tolist(), [[1, 1], [2, 2]]);
});

test('a table used sparsely and densely gets a dense gradient; create_graph gives a dense one', () => {
  const emb = new nn.Embedding(3, 2, { sparse: true });
  emb(paddle.to_tensor([0, 0])).sum().add(emb.weight.sum().scale(2)).backward();
  assert.equal(emb.weight.grad!.type, 'LOD_TENSOR');
  assert.deepEqual(emb.weight.grad!.tolist(), [[4, 4], [2, 2], [2, 2]]);
  const [g] = paddle.grad([emb(paddle.to_tensor([1])).sum()], [emb.weight], { create_graph: true }) as paddle.Tensor[];
  assert.equal(g.type, 'LOD_TENSOR');
  assert.deepEqual(g.tolist(), [[0, 0], [1, 1], [0, 0]]);
});

type MakeOpt = (ps: paddle.Tensor[]) => paddle.optimizer.Optimizer;
const cases: [string, MakeOpt][] = [
  ['SGD', (ps) => new paddle.optimizer.SGD({ learning_rate: 0.3, parameters: ps })],
  ['SGD + L2Decay', (ps) => new paddle.optimizer.SGD({ learning_rate: 0.3, parameters: ps, weight_decay: new paddle.regularizer.L2Decay(0.1) })],
  ['SGD + ClipGradByGlobalNorm', (ps) => new paddle.optimizer.SGD({ learning_rate: 0.3, parameters: ps, grad_clip: new nn.ClipGradByGlobalNorm(0.5) })],
  ['SGD + ClipGradByValue', (ps) => new paddle.optimizer.SGD({ learning_rate: 0.3, parameters: ps, grad_clip: new nn.ClipGradByValue(0.15) })],
  ['SGD + ClipGradByNorm', (ps) => new paddle.optimizer.SGD({ learning_rate: 0.3, parameters: ps, grad_clip: new nn.ClipGradByNorm(0.2) })],
  ['Momentum', (ps) => new paddle.optimizer.Momentum({ learning_rate: 0.1, momentum: 0.9, parameters: ps })],
  ['Adam', (ps) => new paddle.optimizer.Adam({ learning_rate: 0.1, parameters: ps })],
  ['Adagrad', (ps) => new paddle.optimizer.Adagrad({ learning_rate: 0.1, parameters: ps })],
  ['RMSProp', (ps) => new paddle.optimizer.RMSProp({ learning_rate: 0.1, parameters: ps })],
];
for (const [name, make] of cases) {
  test(`${name} on a sparse gradient equals the dense run`, () => {
    paddle.seed(3);
    const sp = new nn.Embedding(6, 3, { sparse: true });
    const de = new nn.Embedding(6, 3);
    de.weight.set_value(sp.weight);
    const o1 = make(sp.parameters());
    const o2 = make(de.parameters());
    const batches = [[[0, 4, 4], [1, 0, 5]], [[2, 2, 2], [4, 1, 0]], [[5, 3, 1], [0, 0, 1]]];
    const target = paddle.to_tensor([[0.5, -1, 2], [1, 0, -0.5]]);
    for (const b of batches) {
      const ids = paddle.to_tensor(b);
      for (const [m, o] of [[sp, o1], [de, o2]] as const) {
        m(ids).sum(1).subtract(target).square().sum().backward();
        o.step();
        o.clear_grad();
      }
      assertClose(sp.weight, de.weight.numpy() as Float32Array, 1e-6, 1e-6, `${name} weights`);
    }
  });
}

test('Adam lazy_mode updates only the rows in the sparse gradient (hand-derived)', () => {
  const init = [[1, 2], [3, 4], [5, 6]];
  const lazy = new nn.Embedding(3, 2, { sparse: true });
  lazy.weight.set_value(paddle.to_tensor(init, { dtype: 'float32' }));
  const eager = new nn.Embedding(3, 2, { sparse: true });
  eager.weight.set_value(paddle.to_tensor(init, { dtype: 'float32' }));
  const o1 = new paddle.optimizer.Adam({ learning_rate: 0.1, parameters: lazy.parameters(), lazy_mode: true });
  const o2 = new paddle.optimizer.Adam({ learning_rate: 0.1, parameters: eager.parameters() });
  const step = (ids: number[]): void => {
    for (const [m, o] of [[lazy, o1], [eager, o2]] as const) {
      m(paddle.to_tensor(ids)).sum().backward();
      o.step();
      o.clear_grad();
    }
  };
  // step 1: m = 0.1 g, v = 0.001 g^2, so each updated element moves by lr * g / (|g| + eps) = 0.1
  step([0, 0]);
  assertClose(lazy.weight, [[0.9, 1.9], [3, 4], [5, 6]], 0, 1e-6);
  assertClose(eager.weight, [[0.9, 1.9], [3, 4], [5, 6]], 0, 1e-6);
  // step 2 on row 2 only: lazy leaves row 0 (its moments too); dense Adam keeps moving row 0
  step([2]);
  // the step-2 rate: lr_t = 0.1 sqrt(1 - 0.999^2) / (1 - 0.9^2), eps scaled by sqrt(1 - 0.999^2)
  const lrT = (0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.81);
  const epsT = 1e-8 * Math.sqrt(1 - 0.999 ** 2);
  assertClose(lazy.weight.getitem(0), [0.9, 1.9], 0, 1e-6);
  // row 2's fresh moments: m = 0.1, v = 0.001
  const row2 = 5 - (lrT * 0.1) / (Math.sqrt(0.001) + epsT);
  assertClose(lazy.weight.getitem(2), [row2, row2 + 1], 0, 1e-5);
  // dense row 0: g = 0, m = 0.9 * 0.2 = 0.18, v = 0.999 * 0.004
  const moved = 0.9 - (lrT * 0.18) / (Math.sqrt(0.999 * 0.004) + epsT);
  assertClose(eager.weight.getitem(0), [moved, moved + 1], 0, 1e-5);
});

test('update operators check SelectedRows rows against the table', () => {
  const param = paddle.zeros([3, 2]);
  const lr = paddle.to_tensor([0.1], { dtype: 'float32' });
  const bad = new SelectedRows(new Float32Array([1, 1]), [1, 2], 'float32', [7], 3);
  assertThrows(() => run1('sgd', { Param: [param], Grad: [bad], LearningRate: [lr] }, {}, 'ParamOut'), paddle.errors.InvalidArgumentError, /sgd/, /rows in \[0, 3\), but got 7/);
  const wrongHeight = new SelectedRows(new Float32Array([1, 1]), [1, 2], 'float32', [0], 4);
  assertThrows(() => run1('sgd', { Param: [param], Grad: [wrongHeight], LearningRate: [lr] }, {}, 'ParamOut'), paddle.errors.InvalidArgumentError, /Param and Grad should have the same dimension.*\[4, 2\]/);
  const ok = new SelectedRows(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32', [2, 2], 3);
  run1('sgd', { Param: [param], Grad: [ok], LearningRate: [lr] }, {}, 'ParamOut');
  assertClose(param, [[0, 0], [0, 0], [-0.4, -0.6]]);
});
