// fluid.layers.data and the Python-fed readers (py_reader, create_py_reader_by_data,
// double_buffer, read_file) fed from JS generators, with EOFException between passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;
const L = fluid.layers;

function staticRun<R>(fn: (main: paddle.static.Program, startup: paddle.static.Program, exe: paddle.static.Executor) => R): R {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor();
    return paddle.static.scope_guard(new paddle.static.Scope(), () => paddle.static.program_guard(main, startup, () => fn(main, startup, exe)));
  } finally {
    paddle.disable_static();
  }
}

/** Runs the main program until EOFException; the fetched values per run. */
function runPass(exe: paddle.static.Executor, main: paddle.static.Program, fetch: paddle.Tensor[], returnNumpy = true): paddle.Tensor[][] {
  const out: paddle.Tensor[][] = [];
  for (;;) {
    try {
      out.push(exe.run(main, { fetch_list: fetch, return_numpy: returnNumpy }));
    } catch (e) {
      if (e instanceof fluid.core.EOFException) return out;
      throw e;
    }
  }
}

test('fluid.layers.data prepends a -1 batch dimension unless the shape has one', () => {
  staticRun((main) => {
    const a = L.data('a', [784]);
    assert.deepEqual(a.shape, [-1, 784]);
    assert.equal(a.dtype, 'float32');
    assert.equal(a.is_data, true);
    assert.equal(a.need_check_feed, false);
    assert.deepEqual(L.data('b', [null, 3], { dtype: 'int64' }).shape, [-1, 3]);
    assert.deepEqual(L.data('c', [2, 3], false).shape, [2, 3]);
    const d = L.data('d', [1], { lod_level: 1, dtype: 'int64' });
    assert.equal(d.lod_level, 1);
    assert.ok(main.global_block().has_var('d'));
    // fluid.data keeps the shape and checks feeds
    const e = fluid.data('e', [null, 4], 'float32');
    assert.deepEqual(e.shape, [-1, 4]);
    assert.equal(e.need_check_feed, true);
    assertThrows(() => L.data('f', 'x' as never), paddle.errors.InvalidArgumentError, /'shape' in data must be list or tuple/);
  });
  assertThrows(() => L.data('g', [1]), paddle.errors.PreconditionNotMetError, /enable_static/);
  assertThrows(() => fluid.data('g', [1]), paddle.errors.PreconditionNotMetError, /enable_static/);
});

test('py_reader: batches from a generator, EOFException at the end of a pass, reset and start again', () => {
  staticRun((main, startup, exe) => {
    const reader = L.py_reader(4, [[-1, 2], [-1, 1]], ['float32', 'int64'], { name: 'train' });
    const [x, label] = L.read_file(reader) as paddle.static.Variable[];
    assert.deepEqual(x.shape, [-1, 2]);
    assert.equal(label.dtype, 'int64');
    const y = paddle.add(paddle.sum(x, { axis: 1, keepdim: true }), paddle.cast(label, 'float32'));
    assert.deepEqual(startup.global_block().ops.map((o) => o.type), ['create_py_reader']);
    assert.deepEqual(main.global_block().ops.map((o) => o.type).slice(0, 2), ['create_double_buffer_reader', 'read']);
    assert.equal(main.global_block().var('train_double_buffer').type, 'READER');
    reader.decorate_batch_generator(function* () {
      for (let i = 0; i < 3; i++) yield [paddle.to_tensor([[i, 1], [2, 3]], { dtype: 'float32' }), [[10 * i], [0]]];
    });
    exe.run(startup);
    assertThrows(() => exe.run(main, { fetch_list: [y] }), paddle.errors.PreconditionNotMetError, /not started/);
    for (let epoch = 0; epoch < 2; epoch++) {
      reader.start();
      const got = runPass(exe, main, [y]);
      assert.equal(got.length, 3);
      got.forEach(([v], i) => assertClose(v, [[i + 1 + 10 * i], [5]]));
      // after the end every run raises EOFException until reset
      assert.throws(() => exe.run(main, { fetch_list: [y] }), fluid.core.EOFException);
      reader.reset();
    }
    reader.start();
    assertThrows(() => reader.start(), paddle.errors.PreconditionNotMetError, /already started/);
    reader.reset();
  });
});

test('create_py_reader_by_data with a sample list generator (DataFeeder conversion, LoD slots)', () => {
  staticRun((main, startup, exe) => {
    const words = fluid.data('words', [null, 1], 'int64', 1);
    const score = fluid.data('score', [null, 1], 'float32');
    const reader = L.create_py_reader_by_data(8, [words, score], { use_double_buffer: false });
    assert.deepEqual(main.global_block().ops.map((o) => o.type), []);
    const [w, s] = L.read_file(reader) as paddle.static.Variable[];
    assert.equal(w.lod_level, 1);
    const doubled = paddle.scale(s, 2);
    // batches of samples: each sample is [word ids (a sequence), [score]]
    reader.decorate_sample_list_generator(function* () {
      yield [[[1, 2, 3], [0.5]], [[4], [1.5]]];
      yield [[[5, 6], [2.0]]];
    });
    exe.run(startup);
    reader.start();
    const got = runPass(exe, main, [w, doubled], false) as unknown as paddle.fluid.LoDTensor[][];
    assert.equal(got.length, 2);
    assert.deepEqual(got[0][0].tolist(), [[1], [2], [3], [4]]);
    assert.deepEqual(got[0][0].recursive_sequence_lengths(), [[3, 1]]);
    assertClose(got[0][1], [[1], [3]]);
    assert.deepEqual(got[1][0].recursive_sequence_lengths(), [[2]]);
    assertClose(got[1][1], [[4]]);
    reader.reset();
  });
});

test('reader errors: undecorated start, bad batches, double_buffer of a non-reader', () => {
  staticRun((main, startup, exe) => {
    const reader = L.py_reader(2, [[-1, 3]], ['float32']);
    const x = L.read_file(reader) as paddle.static.Variable;
    assert.ok(x instanceof paddle.static.Variable);
    assertThrows(() => reader.start(), paddle.errors.PreconditionNotMetError, /decorate it first/);
    reader.decorate_tensor_provider(function* () {
      yield [paddle.ones([2, 4])];
    });
    exe.run(startup);
    reader.start();
    assertThrows(() => exe.run(main, { fetch_list: [x] }), paddle.errors.InvalidArgumentError, /slot 0 of the batch has shape \[2, 4\], but the reader declares \[-1, 3\]/);
    reader.reset();
    assertThrows(() => L.double_buffer(x), paddle.errors.InvalidArgumentError, /expected a reader/);
    assertThrows(() => L.py_reader(2, [[-1, 3]], ['float32', 'int64']), paddle.errors.InvalidArgumentError, /one dtype per shape/);
    void main;
  });
  assertThrows(() => L.py_reader(2, [[-1, 3]], ['float32']), paddle.errors.PreconditionNotMetError, /static programs/);
});
