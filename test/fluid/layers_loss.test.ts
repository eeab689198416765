// paddle.fluid.layers losses and decoders (loss.py, ctc_greedy_decoder): values from NumPy
// computations and Paddle's documented examples, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const L = paddle.fluid.layers;
const F = paddle.nn.functional;
const f32 = (v: unknown): Tensor => paddle.to_tensor(v as never, { dtype: 'float32' });
const f64 = (v: unknown): Tensor => paddle.to_tensor(v as never, { dtype: 'float64' });
const i64 = (v: unknown): Tensor => paddle.to_tensor(v as never, { dtype: 'int64' });
const IAE = paddle.errors.InvalidArgumentError;

test('cross_entropy takes probabilities: hard labels (cross_entropy2), soft labels, ignore_index', () => {
  const p = f32([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]);
  assertClose(L.cross_entropy(p, i64([[1], [2]])), [[0.69314718], [1.20397280]], 1e-6);
  assertClose(L.cross_entropy(p, i64([[1], [2]]), false, 2), [[0.69314718], [0]], 1e-6);
  assertClose(L.cross_entropy(p, f32([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]), true), [[0.93802394], [1.13205229]], 1e-6);
  // -log(0) is clipped to 1e20 as Paddle's TolerableValue
  assertClose(L.cross_entropy(f32([[0, 1]]), i64([[0]])), [[1e20]], 1e-6);
  assertThrows(() => L.cross_entropy(p, i64([[3], [0]])), paddle.errors.OutOfRangeError, /label/);
  assertThrows(() => L.cross_entropy(i64([[1]]), i64([[0]])), IAE, /cross_entropy.*'input'/);
  assertClose(L.mse_loss(f32([[1, 2], [3, 4]]), f32([[1, 1], [1, 1]])), [3.5]);
});

test('bpr_loss, center_loss (with the center update), rank_loss, margin_rank_loss', () => {
  assertClose(L.bpr_loss(f64([[0.5, 1.0, -0.3, 2.0], [0.1, -0.2, 0.7, 0.0]]), i64([[0], [2]])), [[1.01553031], [0.39394262]], 1e-7);
  assertThrows(() => L.bpr_loss(f32([[1, 2]]), i64([[2]])), paddle.errors.OutOfRangeError, /label data 2 is illegal/);
  const attr = new paddle.ParamAttr({ name: 'centers_test', initializer: new paddle.fluid.initializer.Constant(0.25) });
  const x = f32([[1, 2], [3, 4], [0, 1]]);
  const loss = L.center_loss(x, i64([[1], [0], [1]]), 2, 0.5, attr);
  assertClose(loss, [[1.8125], [10.8125], [0.3125]]);
  const again = L.center_loss(x, i64([[1], [0], [1]]), 2, 0.5, new paddle.ParamAttr({ initializer: new paddle.fluid.initializer.Constant(0.25) }), false);
  assertClose(again, [[1.8125], [10.8125], [0.3125]]);
  assertClose(L.rank_loss(f32([[1], [0]]), f32([[0.3], [0.5]]), f32([[0.1], [0.9]])), [[0.59813887], [0.51301525]], 1e-6);
  assertClose(L.margin_rank_loss(f32([[1], [0]]), f32([[0.3], [0.5]]), f32([[0.1], [0.9]])), [[0], [0.1]], 1e-6);
  assertThrows(() => L.rank_loss(f64([[1]]), f32([[1]]), f32([[1]])), IAE, /rank_loss.*'label'/);
});

test('center_loss moves its centers toward their samples by alpha / (count + 1)', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const [loss, centers] = paddle.static.program_guard(main, startup, () => {
      const x = paddle.fluid.data('x', [3, 2], 'float32');
      const y = paddle.fluid.data('y', [3, 1], 'int64');
      const l = L.center_loss(x, y, 2, 0.5, new paddle.ParamAttr({ name: 'cl_centers', initializer: new paddle.fluid.initializer.Constant(0.25) }));
      return [l, main.global_block().var('cl_centers')];
    });
    const op = main.global_block().ops.find((o) => o.type === 'center_loss')!;
    assert.deepEqual(op.output('CentersOut'), ['cl_centers']);
    assert.ok(main.global_block().has_var('centerloss_alpha'));
    paddle.static.scope_guard(new paddle.static.Scope(), () => {
      const exe = new paddle.static.Executor();
      exe.run(startup);
      const [l] = exe.run(main, { feed: { x: [[1, 2], [3, 4], [0, 1]], y: [[1], [0], [1]] }, fetch_list: [loss] });
      assertClose(l as Tensor, [[1.8125], [10.8125], [0.3125]]);
      assertClose(paddle.static.global_scope().find_var(centers.name)!, [[0.9375, 1.1875], [1 / 3, 2 / 3]], 1e-6);
    });
  } finally {
    paddle.disable_static();
  }
});

test('sigmoid_cross_entropy_with_logits, teacher_student_sigmoid_loss, huber_loss, kldiv_loss', () => {
  const z = f32([[0.5, -1.0], [2.0, 0.3]]);
  const lbl = f32([[1, 0], [-100, 1]]);
  assertClose(L.sigmoid_cross_entropy_with_logits(z, lbl), [[0.47407698, 0.31326169], [0, 0.55435524]], 1e-6);
  assertClose(L.sigmoid_cross_entropy_with_logits(z, lbl, -100, null, true), [[0.15802566, 0.10442056], [0, 0.18478508]], 1e-6);
  assertClose(L.teacher_student_sigmoid_loss(f32([[0.4], [-0.7], [1.2], [-0.2]]), f32([[-2], [-1], [0.3], [1.6]])), [[0.91301525], [1.10318605], [2.56656493], [1.51627774]], 1e-6);
  assertClose(L.huber_loss(f32([[1], [3], [0.2]]), f32([[1.5], [0], [0]]), 1.0), [[0.125], [2.5], [0.02]], 1e-6);
  const xk = paddle.log(f32([[0.2, 0.8], [0.5, 0.5]]));
  const tk = f32([[0.3, 0.7], [0.6, 0.4]]);
  assertClose(L.kldiv_loss(xk, tk), [0.01207577], 1e-5);
  assertClose(L.kldiv_loss(xk, tk, 'batchmean'), [0.02415154], 1e-5);
  assertClose(L.kldiv_loss(xk, tk, 'sum'), [0.04830307], 1e-5);
  assertThrows(() => L.kldiv_loss(xk, tk, 'avg' as never), IAE, /reduction/);
});

test('warpctc and hsigmoid are the CTC and hierarchical-sigmoid operators', () => {
  const logits = f64(Array.from({ length: 4 }, (_, t) => Array.from({ length: 2 }, (_, n) => Array.from({ length: 3 }, (_, c) => Math.sin(t * 6 + n * 3 + c)))));
  const label = paddle.to_tensor([[1, 2], [1, 0]], { dtype: 'int32' });
  const ll = i64([4, 3]);
  const lab = i64([2, 1]);
  const loss = L.warpctc(logits, label, 0, false, ll, lab);
  assert.deepEqual(loss.shape, [2, 1]);
  assertClose(loss.flatten(), F.ctc_loss(F.log_softmax(logits, -1), label, ll, lab, 0, 'none'), 1e-6);
  assertThrows(() => L.warpctc(logits, label), IAE, /input_length and label_length must not be None in dygraph mode/);
  const x = f32([[0.1, 0.2, 0.3], [0.3, -0.1, 0.2]]);
  const w = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [0.2, 0.1, 0.0]];
  const b = [[0.1], [0.2], [-0.1]];
  const attr = (v: unknown) => new paddle.ParamAttr({ initializer: new paddle.fluid.initializer.NumpyArrayInitializer(f32(v)) });
  const out = L.hsigmoid(x, i64([[1], [3]]), 4, attr(w), attr(b));
  assertClose(out, F.hsigmoid_loss(x, i64([[1], [3]]), 4, f32(w), f32(b)), 1e-6);
  assertThrows(() => L.hsigmoid(x, i64([[1]]), 1), IAE, /num_classes must not be less than 2/);
  assertThrows(() => L.hsigmoid(x, i64([[1]]), 4, null, null, null, null, null, true), IAE, /path_code should not be None/);
});

test('edit_distance: Paddle\'s documented example (padded) and the LoD form with ignored tokens', () => {
  const hyp = i64([[1, 2, 3], [4, 5, 6], [4, 4, 4], [1, 1, 1]]);
  const ref = i64([[1, 3, 4, 1], [4, 5, 8, 1], [7, 7, 7, 1], [1, 1, 1, 1]]);
  const hl = i64([3, 3, 3, 3]);
  const rl = i64([4, 4, 4, 4]);
  const [d, n] = L.edit_distance(hyp, ref, false, null, hl, rl);
  assert.deepEqual([d.dtype, d.tolist(), n.tolist()], ['float32', [[3], [2], [4], [1]], [4]]);
  assertClose(L.edit_distance(hyp, ref, true, null, hl, rl)[0], [[0.75], [0.5], [1], [0.25]]);
  // LoD: sequences [1, 2, 0, 3] and [4, 0]; refs [1, 3] and [0, 4]; token 0 ignored
  const h = i64([[1], [2], [0], [3], [4], [0]]);
  h.lod = [[0, 4, 6]];
  const r = i64([[1], [3], [0], [4]]);
  r.lod = [[0, 2, 4]];
  assertClose(L.edit_distance(h, r, false)[0], [[2], [2]]);
  assertClose(L.edit_distance(h, r, false, [0])[0], [[1], [0]]);
  const empty = i64([[1], [2]]);
  empty.lod = [[0, 2, 2]];
  const r2 = i64([[1], [2]]);
  r2.lod = [[0, 1, 1]];
  assertThrows(() => L.edit_distance(empty, r2, true), IAE, /cannot be empty when Attr\(normalized\)/);
});

test('ctc_greedy_decoder: Paddle\'s documented examples (LoD and padded)', () => {
  const data = [[0.6, 0.1, 0.3, 0.1], [0.3, 0.2, 0.4, 0.1], [0.1, 0.5, 0.1, 0.3], [0.5, 0.1, 0.3, 0.1], [0.5, 0.1, 0.3, 0.1], [0.2, 0.2, 0.2, 0.4], [0.2, 0.2, 0.1, 0.5], [0.5, 0.1, 0.3, 0.1]];
  const x = f32(data);
  x.lod = [[0, 4, 8]];
  const out = L.ctc_greedy_decoder(x, 0) as Tensor;
  assert.deepEqual([out.tolist(), out.lod], [[[2], [1], [3]], [[0, 2, 3]]]);
  const pad = f32([data.slice(0, 4), data.slice(4)]);
  const [o, len] = L.ctc_greedy_decoder(pad, 0, i64([[4], [4]])) as [Tensor, Tensor];
  assert.deepEqual([o.tolist(), len.tolist()], [[[2, 1, 0, 0], [3, 0, 0, 0]], [[2], [1]]]);
  const [o2] = L.ctc_greedy_decoder(pad, 0, i64([[3], [2]]), -1) as [Tensor, Tensor];
  assert.deepEqual(o2.tolist(), [[2, 1, -1, -1], [3, -1, -1, -1]]);
  assertThrows(() => L.ctc_greedy_decoder(f32(data), 0), IAE, /LoD/);
});
