// Embedding lookups: lookup_table_v2 through F.embedding / nn.Embedding (values, padding_idx
// and negative padding_idx, int32 ids), the 1.x lookup_table ([N, 1] ids), gradients that
// accumulate repeated ids and skip padding rows, finite differences, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { dispatch, run1 } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;
/** W[i, j] = 10 i + j for a [5, 3] table. */
const table = (dtype: 'float32' | 'float64' = 'float32') =>
  paddle.to_tensor([[0, 1, 2], [10, 11, 12], [20, 21, 22], [30, 31, 32], [40, 41, 42]], { dtype });

test('F.embedding looks up rows for ids of any shape (int64 and int32)', () => {
  const w = table();
  const ids = paddle.to_tensor([[1, 3], [4, 0]]);
  const out = F.embedding(ids, w);
  assert.deepEqual(out.shape, [2, 2, 3]);
  assert.equal(out.dtype, 'float32');
  assert.deepEqual(out.tolist(), [[[10, 11, 12], [30, 31, 32]], [[40, 41, 42], [0, 1, 2]]]);
  const out32 = F.embedding(paddle.to_tensor([2, 2], { dtype: 'int32' }), table('float64'));
  assert.equal(out32.dtype, 'float64');
  assert.deepEqual(out32.tolist(), [[20, 21, 22], [20, 21, 22]]);
  // a 1-D id tensor gives [n, dim]; Paddle's docstring example: ids [[3], [4], [5]], weight full 2
  const doc = F.embedding(paddle.to_tensor([[3], [4], [5]]), paddle.full([10, 3], 2, 'float32'), { sparse: true });
  assert.deepEqual(doc.shape, [3, 1, 3]);
  assertClose(doc, new Array(9).fill(2));
});

test('F.embedding padding_idx: rows at the padding id are zeros; negative counts from the end', () => {
  const w = table();
  const ids = paddle.to_tensor([0, 4, 2]);
  assert.deepEqual(F.embedding(ids, w, 4).tolist(), [[0, 1, 2], [0, 0, 0], [20, 21, 22]]);
  assert.deepEqual(F.embedding(ids, w, -1).tolist(), [[0, 1, 2], [0, 0, 0], [20, 21, 22]]);
  assert.deepEqual(F.embedding(ids, w, { padding_idx: -5 }).tolist(), [[0, 0, 0], [40, 41, 42], [20, 21, 22]]);
  assert.deepEqual(F.embedding(ids, w, 0).tolist(), [[0, 0, 0], [40, 41, 42], [20, 21, 22]]);
});

test('embedding gradient: repeated ids accumulate, padding rows get none', () => {
  const w = table('float64');
  w.stop_gradient = false;
  const ids = paddle.to_tensor([[1, 2, 1], [0, 1, 3]]);
  // weights on the output rows so accumulation is visible: out * [1, 2, 3] per row position
  const scale = paddle.to_tensor([[[1], [2], [3]], [[4], [5], [6]]], { dtype: 'float64' });
  paddle.multiply(F.embedding(ids, w), scale).sum().backward();
  // row 1 gets 1 + 3 + 5, row 2 gets 2, row 0 gets 4, row 3 gets 6, row 4 nothing
  assert.deepEqual(w.grad!.tolist(), [[4, 4, 4], [9, 9, 9], [2, 2, 2], [6, 6, 6], [0, 0, 0]]);
  w.clear_gradient();
  paddle.multiply(F.embedding(ids, w, { padding_idx: 1 }), scale).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [[4, 4, 4], [0, 0, 0], [2, 2, 2], [6, 6, 6], [0, 0, 0]]);
  // finite differences (ids stay fixed)
  const ids2 = paddle.to_tensor([[2, 0], [2, 3]]);
  checkGrad((t) => F.embedding(ids2, t), [randTensor([4, 3])]);
  checkGrad((t) => F.embedding(ids2, t, 2), [randTensor([4, 3])]);
});

test('nn.Embedding: Xavier-uniform weight, padding row zeroed at creation, grads, repr', () => {
  paddle.seed(10);
  const emb = new paddle.nn.Embedding(20, 6, { padding_idx: -2 });
  assert.deepEqual(emb.weight.shape, [20, 6]);
  assert.equal(emb.weight.dtype, 'float32');
  const w = emb.weight.numpy() as Float32Array;
  const bound = Math.sqrt(6 / (20 + 6));
  for (let i = 0; i < w.length; i++) assert.ok(Math.abs(w[i]) <= bound + 1e-7);
  assert.deepEqual(Array.from(w.slice(18 * 6, 19 * 6)), [0, 0, 0, 0, 0, 0]);
  assert.ok(Array.from(w.slice(0, 6)).some((v) => v !== 0));
  const out = emb(paddle.to_tensor([[18, 3], [3, 18]]));
  assert.deepEqual(out.shape, [2, 2, 6]);
  assertClose(out.getitem(0, 0), [0, 0, 0, 0, 0, 0]);
  out.sum().backward();
  const g = emb.weight.grad!.numpy() as Float32Array;
  assert.deepEqual(Array.from(g.slice(3 * 6, 4 * 6)), [2, 2, 2, 2, 2, 2]);
  assert.deepEqual(Array.from(g.slice(18 * 6, 19 * 6)), [0, 0, 0, 0, 0, 0]);
  assert.equal(String(emb), 'Embedding(20, 6, padding_idx=-2, sparse=False)');
  assert.deepEqual(Object.keys(emb.state_dict()), ['weight']);
  // sparse: a SelectedRows gradient (test/core/selected_rows.test.ts) standing for the same table
  const sp = new paddle.nn.Embedding(4, 2, { sparse: true });
  sp(paddle.to_tensor([1, 1])).sum().backward();
  assert.deepEqual((sp.weight.grad as any).to_dense().tolist(), [[0, 0], [2, 2], [0, 0], [0, 0]]);
});

test('lookup_table (1.x): ids [..., 1] with the trailing 1 replaced by the embedding dim', () => {
  const w = table();
  const ids = paddle.to_tensor([[[3], [1]], [[0], [4]]]);
  const out = run1('lookup_table', { W: [w], Ids: [ids] }, { padding_idx: 1 });
  assert.deepEqual(out.shape, [2, 2, 3]);
  assert.deepEqual(out.tolist(), [[[30, 31, 32], [0, 0, 0]], [[0, 1, 2], [40, 41, 42]]]);
  const w64 = table('float64');
  w64.stop_gradient = false;
  run1('lookup_table', { W: [w64], Ids: [paddle.to_tensor([[2], [2], [1]])] }, {}).sum().backward();
  assert.deepEqual(w64.grad!.tolist(), [[0, 0, 0], [1, 1, 1], [2, 2, 2], [0, 0, 0], [0, 0, 0]]);
  checkGrad((t) => run1('lookup_table', { W: [t], Ids: [paddle.to_tensor([[0], [3], [0]])] }, {}), [randTensor([4, 2])]);
  assertThrows(() => run1('lookup_table', { W: [w], Ids: [paddle.to_tensor([1, 2])] }, {}), paddle.errors.InvalidArgumentError, /last dimension of the 'Ids' tensor must be 1/);
  assertThrows(() => run1('lookup_table', { W: [w], Ids: [paddle.to_tensor([[1]], { dtype: 'int32' })] }, {}), paddle.errors.InvalidArgumentError, /int64/);
});

test('lookup_table_v2_grad differentiates again (its gradient is the lookup)', () => {
  const ids = paddle.to_tensor([1, 0, 1]);
  const g = randTensor([3, 2]);
  // d/dOut@GRAD of sum(W@GRAD * V) is V gathered at the ids
  const v = paddle.to_tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' });
  g.stop_gradient = false;
  const wg = dispatch('lookup_table_v2_grad', { W: [v], Ids: [ids], 'Out@GRAD': [g] }, { padding_idx: -1 })['W@GRAD'][0];
  const [dg] = paddle.grad([paddle.multiply(wg, v).sum()], [g]);
  assert.deepEqual(dg!.tolist(), [[3, 4], [1, 2], [3, 4]]);
  checkGrad((t) => dispatch('lookup_table_v2_grad', { W: [v], Ids: [ids], 'Out@GRAD': [t] }, { padding_idx: 0 })['W@GRAD'][0], [randTensor([3, 2])]);
});

test('embedding: errors for bad ids, padding_idx, tables', () => {
  const w = table();
  assertThrows(() => F.embedding(paddle.to_tensor([0, 5]), w), paddle.errors.InvalidArgumentError, /out of range/, /\[0, 5\)/, /got 5/);
  assertThrows(() => F.embedding(paddle.to_tensor([-1]), w), paddle.errors.InvalidArgumentError, /out of range/, /got -1/);
  assertThrows(() => F.embedding(paddle.to_tensor([0]), w, 5), paddle.errors.InvalidArgumentError, /padding_idx must be within \[-5, 5\)/);
  assertThrows(() => F.embedding(paddle.to_tensor([0]), w, -6), paddle.errors.InvalidArgumentError, /padding_idx/);
  assertThrows(() => F.embedding(paddle.to_tensor([0.5]), w), paddle.errors.InvalidArgumentError, /'x'/, /int32, int64/);
  assertThrows(() => F.embedding(paddle.to_tensor([0]), paddle.ones([5])), paddle.errors.InvalidArgumentError, /2-D/);
  assertThrows(() => new paddle.nn.Embedding(0, 3), paddle.errors.InvalidArgumentError, /num_embeddings must be greater than 0/);
  assertThrows(() => new paddle.nn.Embedding(3, -1), paddle.errors.InvalidArgumentError, /embedding_dim/);
  assertThrows(() => new paddle.nn.Embedding(3, 2, 3), paddle.errors.InvalidArgumentError, /paddle\.nn\.Embedding/, /padding_idx must be within \[-3, 3\)/);
  assertThrows(() => new paddle.nn.Embedding(3, 2, { bogus: 1 } as never), paddle.errors.InvalidArgumentError, /unexpected keyword argument 'bogus'/);
});
