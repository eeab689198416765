// fluid.LoDTensor / LoDTensorArray / create_lod_tensor / create_random_int_lodtensor, and LoD
// round trips through the Executor (feed with LoD, fetch with return_numpy=false).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;
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

test('LoDTensor: set, shape(), lod(), recursive_sequence_lengths and their checks', () => {
  const t = new fluid.LoDTensor();
  assert.deepEqual(t.shape(), [0]);
  t.set([[1], [2], [3], [4], [5]], place);
  assert.deepEqual(t.shape(), [5, 1]);
  assert.equal(t.shape[0], 5); // also reads as an array
  assert.equal(t.shape.length, 2);
  assert.equal(t._dtype(), 'int64');
  assert.deepEqual(t.lod(), []);
  t.set_recursive_sequence_lengths([[2, 3]]);
  assert.deepEqual(t.lod(), [[0, 2, 5]]);
  assert.deepEqual(t.recursive_sequence_lengths(), [[2, 3]]);
  assert.equal(t.has_valid_recursive_sequence_lengths(), true);
  t.set_lod([[0, 1, 5]]);
  assert.deepEqual(t.recursive_sequence_lengths(), [[1, 4]]);
  // two levels: 2 paragraphs of [1, 2] sentences; sentences of [2, 1, 2] words
  t.set_lod([[0, 1, 3], [0, 2, 3, 5]]);
  assert.deepEqual(t.recursive_sequence_lengths(), [[1, 2], [2, 1, 2]]);
  assert.equal(t.has_valid_recursive_sequence_lengths(), true);
  // lengths that do not cover the 5 rows are recorded but not valid
  t.set_recursive_sequence_lengths([[2, 2]]);
  assert.equal(t.has_valid_recursive_sequence_lengths(), false);
  assertThrows(() => t.set_lod([[0, 2, 4]]), paddle.errors.InvalidArgumentError, /LoD is invalid/);
  assertThrows(() => t.set_lod([[1, 5]]), paddle.errors.InvalidArgumentError, /LoD is invalid/);
  assertThrows(() => t.set_lod([[0, 3, 2, 5]]), paddle.errors.InvalidArgumentError, /LoD is invalid/);
  assertThrows(() => t.set_recursive_sequence_lengths([[1, 2], [1, 1]]), paddle.errors.InvalidArgumentError, /recursive_sequence_lengths info is invalid/);
  assertThrows(() => t.set_lod([[0, 1.5]] as never), paddle.errors.InvalidArgumentError, /non-negative integers/);
  // it is a Tensor: numpy(), tolist() and the API work on it
  assert.deepEqual(t.tolist(), [[1], [2], [3], [4], [5]]);
  assert.ok(t instanceof paddle.Tensor);
  assert.deepEqual(paddle.add(t, t).tolist(), [[2], [4], [6], [8], [10]]);
  assert.ok(fluid.Tensor === fluid.LoDTensor);
});

test('LoDTensor constructor with lengths, set from typed arrays and { data, shape }, print', () => {
  const t = new fluid.LoDTensor([[2, 1]]);
  assert.deepEqual(t.lod(), [[0, 2, 3]]);
  t.set({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] }, place);
  assert.deepEqual(t.shape(), [3, 2]);
  assert.equal(t._dtype(), 'float32');
  assert.equal(String(t), '  - lod: {{0, 2, 3}}\n  - place: CPUPlace\n  - shape: [3, 2]\n  - layout: NCHW\n  - dtype: float\n  - data: [1 2 3 4 5 6]\n');
  t.set(new Float64Array([1, 2]));
  assert.deepEqual(t.shape(), [2]);
  assert.equal(t._dtype(), 'float64');
  assertThrows(() => new fluid.LoDTensor([[-1]]), paddle.errors.InvalidArgumentError, /recursive_sequence_lengths/);
});

test('create_lod_tensor from lists, Tensors and LoDTensors; create_random_int_lodtensor', () => {
  const a = fluid.create_lod_tensor([[1, 2], [3, 4, 5]], [[2, 3]], place);
  assert.deepEqual(a.shape(), [5, 1]);
  assert.equal(a.dtype, 'int64');
  assert.deepEqual(a.tolist(), [[1], [2], [3], [4], [5]]);
  assert.deepEqual(a.recursive_sequence_lengths(), [[2, 3]]);
  const b = fluid.create_lod_tensor(paddle.to_tensor([[0.5, 1], [2, 3], [4, 5]], { dtype: 'float32' }), [[1, 2]], place);
  assert.deepEqual(b.shape(), [3, 2]);
  assert.deepEqual(b.lod(), [[0, 1, 3]]);
  const c = fluid.create_lod_tensor(b, [[3]], place);
  assert.deepEqual(c.lod(), [[0, 3]]);
  assert.deepEqual(b.lod(), [[0, 1, 3]]); // the source is untouched
  assertThrows(() => fluid.create_lod_tensor([[1, 2], [3]], [[2, 2]], place), paddle.errors.InvalidArgumentError, /do not match/);
  assertThrows(() => fluid.create_lod_tensor(paddle.ones([4, 1]), [[2, 3]], place), paddle.errors.InvalidArgumentError, /lod info is invalid/);
  assertThrows(() => fluid.create_lod_tensor('x' as never, [[1]], place), paddle.errors.InvalidArgumentError, /LoDTensor, a Tensor/);

  paddle.seed(7);
  const r = fluid.create_random_int_lodtensor([[2, 3]], [2], place, 3, 5);
  assert.deepEqual(r.shape(), [5, 2]);
  assert.equal(r.dtype, 'int64');
  assert.deepEqual(r.recursive_sequence_lengths(), [[2, 3]]);
  const vals = (r.tolist() as number[][]).flat();
  assert.ok(vals.every((v) => v >= 3 && v <= 5), `values in [3, 5]: ${vals}`);
  assert.ok(new Set(vals).size > 1);
});

test('LoDTensorArray holds LoDTensors (append keeps the LoD)', () => {
  const arr = new fluid.LoDTensorArray();
  const t = fluid.create_lod_tensor([[1], [2, 3]], [[1, 2]], place);
  arr.append(t);
  arr.append(paddle.ones([2, 2]));
  assert.equal(arr.length, 2);
  assert.deepEqual(arr[0].lod(), [[0, 1, 3]]);
  assert.deepEqual(arr[1].shape(), [2, 2]);
  assert.deepEqual([...arr].map((x) => x.dims[0]), [3, 2]);
  const list = arr._move_to_list();
  assert.equal(list.length, 2);
  assert.equal(arr.length, 0);
  assertThrows(() => arr.append(3 as never), paddle.errors.InvalidArgumentError, /expected a LoDTensor/);
});

test('Executor: feeding a LoDTensor keeps its LoD; return_numpy=false fetches LoDTensors with recursive_sequence_lengths', () => {
  staticRun((main, _startup, exe) => {
    const x = fluid.data('x', [null, 1], 'float32', 1);
    const y = paddle.scale(x, 2.0);
    const z = paddle.sum(y, { axis: 1, keepdim: true }); // reduces dim 1: the rows (and the LoD) stay
    assert.deepEqual(main.global_block().ops.map((o) => o.type), ['scale', 'reduce_sum']);
    const t = fluid.create_lod_tensor([[1, 2], [3, 4, 5]], [[2, 3]], place); // int64 data fed into a float32 variable
    const [fx, fy, fz] = exe.run(main, { feed: { x: t }, fetch_list: [x, y, z], return_numpy: false }) as unknown as paddle.fluid.LoDTensor[];
    for (const f of [fx, fy, fz]) {
      assert.ok(f instanceof fluid.LoDTensor);
      assert.deepEqual(f.recursive_sequence_lengths(), [[2, 3]]);
      assert.equal(f._dtype(), 'float32');
    }
    assertClose(fy, [[2], [4], [6], [8], [10]]);
    // return_numpy=true (the default): plain Tensors
    const [py] = exe.run(main, { feed: { x: t }, fetch_list: [y] });
    assert.ok(!(py instanceof fluid.LoDTensor));
    assertClose(py, [[2], [4], [6], [8], [10]]);
    // a two-level LoD through the same program
    const t2 = fluid.create_lod_tensor(paddle.to_tensor([[1], [2], [3]], { dtype: 'float32' }), [[1, 1], [1, 2]], place);
    const [g] = exe.run(main, { feed: { x: t2 }, fetch_list: [y], return_numpy: false }) as unknown as paddle.fluid.LoDTensor[];
    assert.deepEqual(g.recursive_sequence_lengths(), [[1, 1], [1, 2]]);
    // an output whose rows differ from the input's does not take its LoD
    const s = paddle.sum(x);
    const [fs] = exe.run(main, { feed: { x: t }, fetch_list: [s], return_numpy: false }) as unknown as paddle.fluid.LoDTensor[];
    assert.deepEqual(fs.lod(), []);
    assertClose(fs, [15]);
  });
});
