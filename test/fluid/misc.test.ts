// paddle.fluid's small functions: require_version, memory_optimize / release_memory,
// cuda_pinned_places, one_hot, device_guard, and the namespace's framework names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;

test('require_version compares with the implemented Paddle version 2.0.0', () => {
  assert.equal(paddle.__version__, '2.0.0');
  assert.equal(paddle.version.full_version, '2.0.0');
  assert.equal(paddle.version.major, '2');
  for (const ok of [['1.8.0'], ['2.0'], ['2'], ['2.0.0.0'], ['1.5', '2.0.0'], ['2.0.0', '2.1']]) assert.doesNotThrow(() => fluid.require_version(ok[0], ok[1] ?? null), ok.join(' '));
  assert.throws(() => fluid.require_version('2.0.1'), (e: Error) => e.name === 'VersionError' && /PaddlePaddle version 2.0.1 or higher is required, but 2.0.0 installed/.test(e.message));
  assert.throws(() => fluid.require_version('1.6', '1.9.9'), (e: Error) => e.name === 'VersionError' && /version in \[1.6, 1.9.9\] required, but 2.0.0 installed/.test(e.message));
  assert.throws(() => fluid.require_version({ min_version: '3' }), /VersionError/);
  assertThrows(() => fluid.require_version(2 as never), paddle.errors.InvalidArgumentError, /'min_version' in require_version must be str/);
  assertThrows(() => fluid.require_version('1.x'), paddle.errors.InvalidArgumentError, /must be in format/);
  assertThrows(() => fluid.require_version('1.0', '2.0.0.0.1'), paddle.errors.InvalidArgumentError, /'max_version' in require_version must be in format/);
});

test('memory_optimize and release_memory are deprecated no-ops that warn once', () => {
  const warnings: string[] = [];
  const orig = console.warn;
  console.warn = (m: string) => void warnings.push(String(m));
  try {
    const prog = new paddle.static.Program();
    fluid.memory_optimize(prog);
    fluid.memory_optimize(prog, null, true);
    fluid.release_memory(prog);
    fluid.release_memory(prog);
  } finally {
    console.warn = orig;
  }
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /paddle.fluid.memory_optimize\(\) is deprecated/);
  assert.match(warnings[1], /paddle.fluid.release_memory\(\) is deprecated/);
});

test('cuda_pinned_places fails as Paddle without CUDA does', () => {
  assertThrows(() => fluid.cuda_pinned_places(), paddle.errors.UnavailableError, /Not compiled with CUDA/);
  assertThrows(() => fluid.cuda_pinned_places(2), paddle.errors.UnavailableError, /Not compiled with CUDA/);
});

test('fluid.one_hot: one_hot_v2 with a new trailing axis, out-of-range handling, no gradient', () => {
  const ids = paddle.to_tensor([[1], [0], [3]]);
  const oh = fluid.one_hot(ids, 4);
  assert.deepEqual(oh.shape, [3, 1, 4]);
  assert.equal(oh.dtype, 'float32');
  assert.equal(oh.stop_gradient, true);
  assertClose(oh, [[[0, 1, 0, 0]], [[1, 0, 0, 0]], [[0, 0, 0, 1]]]);
  assertClose(fluid.one_hot(paddle.to_tensor([1, 5]), 3, true), [[0, 1, 0], [0, 0, 0]]);
  assertClose(fluid.one_hot(paddle.to_tensor([2], { dtype: 'int32' }), paddle.to_tensor([3], { dtype: 'int32' })), [[0, 0, 1]]);
  assertThrows(() => fluid.one_hot(paddle.to_tensor([1.5], { dtype: 'float32' }), 3), paddle.errors.InvalidArgumentError, /must be int32 or int64/);
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, () => {
      const x = fluid.data('x', [null], 'int64');
      const depth = paddle.static.data('depth', [1], 'int32');
      const y = fluid.one_hot(x, depth);
      assert.deepEqual(main.global_block().ops.map((o) => o.type), ['one_hot_v2']);
      assert.deepEqual(main.global_block().ops[0].input('depth_tensor'), ['depth']);
      const [v] = new paddle.static.Executor().run(main, { feed: { x: paddle.to_tensor([2, 0]), depth: paddle.to_tensor([3], { dtype: 'int32' }) }, fetch_list: [y] });
      assertClose(v, [[0, 0, 1], [1, 0, 0]]);
    });
  } finally {
    paddle.disable_static();
  }
});

test('device_guard records op_device on the operators it appends; argument checks', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, () => {
      const x = fluid.data('x', [2], 'float32');
      const y = fluid.device_guard('cpu', () => paddle.scale(x, 2));
      fluid.device_guard('gpu:1', () => paddle.exp(y));
      fluid.device_guard(() => paddle.exp(y));
      const ops = main.global_block().ops;
      assert.equal(ops[0].attr('op_device'), 'cpu');
      assert.equal(ops[1].attr('op_device'), 'gpu:1');
      assert.equal(ops[2].has_attr('op_device'), false);
      assertThrows(() => fluid.device_guard('cpu:0', () => 1), paddle.errors.InvalidArgumentError, /Should not set device id for cpu/);
      assertThrows(() => fluid.device_guard('tpu', () => 1), paddle.errors.InvalidArgumentError, /should be 'cpu' or 'gpu'/);
    });
  } finally {
    paddle.disable_static();
  }
});

test('paddle.fluid exposes the framework names fluid scripts use', () => {
  assert.equal(fluid.Executor, paddle.static.Executor);
  assert.equal(fluid.Program, paddle.static.Program);
  assert.equal(fluid.CPUPlace, paddle.CPUPlace);
  assert.equal(fluid.ParamAttr, paddle.ParamAttr);
  assert.equal(fluid.default_main_program, paddle.static.default_main_program);
  assert.ok(fluid.initializer.Xavier);
  assert.equal(fluid.dygraph.BatchNorm, paddle.nn.BatchNorm);
  assert.equal(fluid.dygraph.Layer, paddle.nn.Layer);
  assert.equal(fluid.core.LoDTensor, fluid.LoDTensor);
  assert.ok(new fluid.core.EOFException('x') instanceof paddle.errors.PaddleError);
  assert.equal(typeof fluid.DistributeTranspiler, 'function'); // from the distributed issue
  assert.equal(typeof fluid.DistributeTranspilerConfig, 'function');
});
