// The fluid.layers sequence functions in static mode, as Paddle 2.0 runs them: Variables carry
// lod_level, the Executor is fed fluid.LoDTensors and fetches LoD tensors (return_numpy=false),
// append_backward differentiates through the sequence operators, a LoD text classifier trains,
// and a saved inference model keeps its LoD levels.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;
const L = fluid.layers;
const place = new paddle.CPUPlace();

function staticRun<R>(fn: (main: paddle.static.Program, startup: paddle.static.Program, exe: paddle.static.Executor) => R): R {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(place);
    return paddle.static.scope_guard(new paddle.static.Scope(), () => paddle.static.program_guard(main, startup, () => fn(main, startup, exe)));
  } finally {
    paddle.disable_static();
  }
}
const lodOf = (t: unknown): number[][] => (t as paddle.fluid.LoDTensor).lod();
const seqData = (n: number, w: number, a = 0.37): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: w }, (_, j) => 2 * Math.sin(a * (i * w + j) + 0.11)));

test('static: output Variables get the LoD level Paddle gives them', () => {
  staticRun(() => {
    const x = fluid.data('x', [null, 3], 'float32', 1);
    const x2 = fluid.data('x2', [null, 3], 'float32', 2);
    const ids = fluid.data('ids', [null, 1], 'int64', 1);
    const plain = fluid.data('plain', [null, 3], 'float32');
    const lv = (v: Tensor) => (v as paddle.static.Variable).lod_level;
    assert.equal(lv(L.embedding(ids, [10, 4])), 1, 'lookup_table shares Ids');
    assert.equal(lv(paddle.tanh(x)), 1, 'unary ops share X');
    assert.equal(lv(L.fc(x, 2)), 1);
    assert.equal(lv(L.sequence_conv(x, 2)), 1);
    assert.equal(lv(L.sequence_pool(x, 'sum')), 0);
    assert.equal(lv(L.sequence_pool(x2, 'max')), 1);
    const [p, n] = L.sequence_pad(x, 0);
    assert.equal(lv(p), 0);
    assert.deepEqual(p.shape, [-1, -1, 3]);
    assert.equal(n.dtype, 'int64');
    assert.equal(lv(L.sequence_unpad(p, n)), 1);
    assert.equal(lv(L.sequence_reshape(x, 1)), 1);
    assert.equal(lv(L.sequence_expand(plain, x)), 0);
    assert.equal(lv(L.sequence_expand_as(plain, x2)), 2);
    assert.equal(lv(L.lod_reset(plain, null, [0, 1])), 1);
    assert.equal(lv(L.lod_append(x, [0, 1])), 2);
    assert.equal(lv(L.lod_reset(plain, x2)), 2);
    assert.equal(lv(L.im2sequence(fluid.data('img', [null, 1, 4, 4], 'float32'), 2)), 1);
    assert.equal(lv(paddle.sum(x)), 0);
    const table = L.lod_rank_table(x);
    assert.equal((table as paddle.static.Variable).type, 'LOD_RANK_TABLE');
    assert.equal(lv(L.reorder_lod_tensor_by_rank(x, table)), 1);
  });
});

test('static: the Executor runs sequence ops on fed LoDTensors and fetches their LoD', () => {
  staticRun((main, _startup, exe) => {
    const x = fluid.data('x', [null, 2], 'float32', 1);
    const pooled = L.sequence_pool(x, 'average');
    const [padded, len] = L.sequence_pad(x, 0, 4);
    const unpadded = L.sequence_unpad(padded, len);
    const rev = L.sequence_reverse(paddle.scale(x, 2));
    const y = fluid.data('y', [null, 1], 'float32', 2);
    const expanded = L.sequence_expand(pooled, y, 0);
    const sm = L.sequence_softmax(L.sequence_pool(y, 'first'));
    const t = fluid.create_lod_tensor(paddle.to_tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]], { dtype: 'float32' }), [[2, 3]], place);
    const ty = fluid.create_lod_tensor(paddle.to_tensor([[0], [1], [2], [3], [4], [5]], { dtype: 'float32' }), [[1, 2], [2, 1, 3]], place);
    const out = exe.run(main, { feed: { x: t, y: ty }, fetch_list: [pooled, padded, len, unpadded, rev, expanded, sm], return_numpy: false });
    const [fp, fpad, flen, fun, frev, fexp, fsm] = out;
    assertClose(fp, [[2, 3], [7, 8]]);
    assert.deepEqual(lodOf(fp), []);
    assertClose(fpad, [[[1, 2], [3, 4], [0, 0], [0, 0]], [[5, 6], [7, 8], [9, 10], [0, 0]]]);
    assert.deepEqual(flen.tolist(), [2, 3]);
    assertClose(fun, t);
    assert.deepEqual((fun as paddle.fluid.LoDTensor).recursive_sequence_lengths(), [[2, 3]]);
    assertClose(frev, [[6, 8], [2, 4], [18, 20], [14, 16], [10, 12]]);
    assert.deepEqual((frev as paddle.fluid.LoDTensor).recursive_sequence_lengths(), [[2, 3]]);
    // pooled rows repeated by y's first level (1 and 2 sub-sequences)
    assertClose(fexp, [[2, 3], [7, 8], [7, 8]]);
    // the first steps of y's 3 sub-sequences (0, 2, 3), softmax within y's first level
    const e = [Math.exp(2), Math.exp(3)];
    assertClose(fsm, [[1], [e[0] / (e[0] + e[1])], [e[1] / (e[0] + e[1])]], 1e-6);
    assert.deepEqual((fsm as paddle.fluid.LoDTensor).recursive_sequence_lengths(), [[1, 2]]);
  });
});

/** One function of several sequence ops, run in both modes. */
function composite(x: Tensor, off: Tensor, len: Tensor): Tensor {
  const a = L.sequence_reverse(paddle.tanh(x));
  const [p, n] = L.sequence_pad(a, 0.0, 4);
  const u = L.sequence_unpad(paddle.multiply(p, p), n);
  const e = L.sequence_expand_as(L.sequence_pool(u, 'sqrt'), x);
  const s = L.sequence_slice(paddle.add(e, x), off, len);
  const c = L.sequence_concat([s, x]);
  const w = L.sequence_conv(c, 2, 3, { param_attr: new paddle.ParamAttr({ initializer: new fluid.initializer.Constant(0.3) }), bias_attr: false });
  return paddle.add(paddle.sum(L.sequence_pool(w, 'max')), paddle.sum(L.sequence_pool(c, 'average')));
}

test('static: append_backward through sequence operators gives the dygraph gradients', () => {
  const data = seqData(5, 2);
  const lens = [[2, 3]];
  // dygraph (its gradients are checked against finite differences in test/ops/sequence.test.ts)
  const xd = fluid.create_lod_tensor(paddle.to_tensor(data, { dtype: 'float64' }), lens, place);
  xd.stop_gradient = false;
  const offD = paddle.to_tensor([[1], [0]]);
  const lenD = paddle.to_tensor([[1], [2]]);
  const yd = composite(xd, offD, lenD);
  const [gd] = paddle.grad([yd], [xd]);
  staticRun((main, startup, exe) => {
    const x = fluid.data('x', [null, 2], 'float64', 1);
    x.stop_gradient = false;
    const off = fluid.data('off', [null, 1], 'int64');
    const len = fluid.data('len', [null, 1], 'int64');
    const y = composite(x, off, len);
    const [gx] = paddle.static.gradients([y], [x]);
    const types = main.global_block().ops.map((o) => o.type);
    for (const t of ['sequence_conv_grad', 'sequence_pool_grad', 'sequence_concat_grad', 'sequence_slice_grad', 'sequence_expand_as_grad', 'sequence_unpad_grad', 'sequence_pad_grad', 'lod_reset'])
      assert.ok(types.includes(t), `the backward has ${t}`);
    exe.run(startup);
    const t = fluid.create_lod_tensor(paddle.to_tensor(data, { dtype: 'float64' }), lens, place);
    const [fy, fg] = exe.run(main, { feed: { x: t, off: [[1], [0]], len: [[1], [2]] }, fetch_list: [y, gx!], return_numpy: false });
    assertClose(fy, yd, 1e-10, 1e-10);
    assertClose(fg, gd!, 1e-10, 1e-10);
    assert.deepEqual(lodOf(fg), [[0, 2, 5]]);
  });
});

test('static: a LoD text classifier (embedding, sequence_conv, max sequence_pool, fc) trains with SGD', () => {
  // label 1 when a sequence contains token 5; sequences of lengths 1..5 over tokens 0..5
  const seqs = [[5], [1, 2], [3, 5, 1], [0, 1, 2, 3], [4, 4, 5, 2, 1], [2, 3], [1, 5], [0, 0, 0], [4, 1, 3, 2], [5, 5, 0]];
  const labels = seqs.map((s) => [s.includes(5) ? 1 : 0]);
  staticRun((main, startup, exe) => {
    paddle.seed(7);
    const words = fluid.data('words', [null, 1], 'int64', 1);
    const label = fluid.data('label', [null, 1], 'int64');
    const emb = L.embedding(words, [6, 8]);
    const conv = L.sequence_conv(emb, 8, 3, { act: 'tanh' });
    const pooled = L.sequence_pool(conv, 'max');
    const prob = L.fc(pooled, 2, { act: 'softmax' });
    const loss = L.mean(L.cross_entropy(prob, label));
    new paddle.optimizer.SGD({ learning_rate: 0.5 }).minimize(loss);
    exe.run(startup);
    const feed = { words: fluid.create_lod_tensor(seqs, [seqs.map((s) => s.length)], place), label: labels };
    const losses: number[] = [];
    for (let i = 0; i < 60; i++) losses.push((exe.run(main, { feed, fetch_list: [loss] })[0] as Tensor).item() as number);
    assert.ok(losses[59] < losses[0] * 0.5, `loss ${losses[0]} -> ${losses[59]}`);
    const [p] = exe.run(main.clone(true), { feed, fetch_list: [prob] });
    const pred = (p as Tensor).tolist() as number[][];
    assert.deepEqual(pred.map((r) => (r[1] > r[0] ? 1 : 0)), labels.map((l) => l[0]));
  });
});

test('static: an inference model with sequence ops saves with its LoD levels and runs after loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-seq-'));
  try {
    const t = () => fluid.create_lod_tensor(paddle.to_tensor(seqData(6, 3), { dtype: 'float32' }), [[1, 3, 2]], place);
    const before = staticRun((main, startup, exe) => {
      const x = fluid.data('x', [null, 3], 'float32', 1);
      const h = L.sequence_conv(x, 4, 3, { act: 'relu' });
      const out = L.sequence_pool(L.sequence_pool(L.lod_append(h, [0, 1, 2, 3, 4, 5, 6]), 'max'), 'last');
      exe.run(startup);
      paddle.static.save_inference_model(join(dir, 'seq'), [x], [out], exe);
      return exe.run(main, { feed: { x: t() }, fetch_list: [out] })[0] as Tensor;
    });
    staticRun((_main, _startup, exe) => {
      const [prog, feeds, fetches] = paddle.static.load_inference_model(join(dir, 'seq'), exe) as [paddle.static.Program, string[], paddle.static.Variable[]];
      assert.deepEqual(feeds, ['x']);
      assert.equal(prog.global_block().var('x').lod_level, 1);
      assert.ok(prog.global_block().ops.some((o) => o.type === 'sequence_conv'));
      const [after] = exe.run(prog, { feed: { x: t() }, fetch_list: fetches });
      assertClose(after as Tensor, before);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('static: errors for a wrong LoD level at build time and a missing or mismatched LoD at run time', () => {
  staticRun((main, _startup, exe) => {
    const plain = fluid.data('plain', [null, 2], 'float32');
    assertThrows(() => L.sequence_pool(plain, 'sum'), paddle.errors.InvalidArgumentError, /sequence_pool/, /LoD level of Input\(X\) should be larger than 0, but received lod level 0/);
    assertThrows(() => L.sequence_pad(plain, 0), paddle.errors.InvalidArgumentError, /LoD level of Input\(X\) should be larger than 0/);
    const x = fluid.data('x', [null, 2], 'float32', 1);
    const y = L.sequence_pool(x, 'sum');
    // a plain tensor fed to a LoD variable
    assertThrows(() => exe.run(main, { feed: { x: [[1, 2], [3, 4]] }, fetch_list: [y] }), paddle.errors.InvalidArgumentError, /does not contain LoD information/);
    // a 2-level LoD through an operator that takes one level
    const r = L.sequence_reverse(x);
    const t2 = fluid.create_lod_tensor(paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32' }), [[1, 1], [1, 1]], place);
    assertThrows(() => exe.run(main, { feed: { x: t2 }, fetch_list: [r] }), paddle.errors.InvalidArgumentError, /sequence_reverse/, /LoD level of Input\(X\) must be 1, but got 2/);
  });
});
