// fluid.set_flags / get_flags over Paddle 2.0's public flags, and FLAGS_check_nan_inf.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;

test('get_flags gives Paddle 2.0 defaults; the documented example', () => {
  assert.deepEqual(fluid.get_flags(['FLAGS_eager_delete_tensor_gb', 'FLAGS_check_nan_inf']), { FLAGS_eager_delete_tensor_gb: 0.0, FLAGS_check_nan_inf: false });
  assert.deepEqual(fluid.get_flags('FLAGS_allocator_strategy'), { FLAGS_allocator_strategy: 'auto_growth' });
  assert.deepEqual(fluid.get_flags({ flags: ['FLAGS_paddle_num_threads', 'FLAGS_use_pinned_memory'] }), { FLAGS_paddle_num_threads: 1, FLAGS_use_pinned_memory: true });
  assert.deepEqual(fluid.get_flags(['FLAGS_initial_cpu_memory_in_mb', 'FLAGS_fuse_parameter_memory_size', 'FLAGS_tracer_profile_fname', 'FLAGS_call_stack_level']), {
    FLAGS_initial_cpu_memory_in_mb: 500, FLAGS_fuse_parameter_memory_size: -1, FLAGS_tracer_profile_fname: 'xxgperf', FLAGS_call_stack_level: 1,
  });
  // the CUDA ones are public as in a CUDA build
  assert.deepEqual(fluid.get_flags(['FLAGS_cudnn_deterministic', 'FLAGS_fraction_of_gpu_memory_to_use', 'FLAGS_conv_workspace_size_limit']), {
    FLAGS_cudnn_deterministic: false, FLAGS_fraction_of_gpu_memory_to_use: 0.92, FLAGS_conv_workspace_size_limit: 512,
  });
});

test('set_flags changes values (converting as the C++ types do) and checks names and types', () => {
  fluid.set_flags({ FLAGS_eager_delete_tensor_gb: 1, FLAGS_cudnn_deterministic: true, FLAGS_pe_profile_fname: 'prof' });
  assert.deepEqual(fluid.get_flags(['FLAGS_eager_delete_tensor_gb', 'FLAGS_cudnn_deterministic', 'FLAGS_pe_profile_fname']), {
    FLAGS_eager_delete_tensor_gb: 1, FLAGS_cudnn_deterministic: true, FLAGS_pe_profile_fname: 'prof',
  });
  fluid.set_flags({ FLAGS_benchmark: 1 }); // a number for a bool flag converts
  assert.equal(fluid.get_flags('FLAGS_benchmark').FLAGS_benchmark, true);
  fluid.set_flags({ FLAGS_eager_delete_tensor_gb: 0.0, FLAGS_cudnn_deterministic: false, FLAGS_pe_profile_fname: '', FLAGS_benchmark: false });

  assertThrows(() => fluid.set_flags({ FLAGS_not_a_flag: 1 }), paddle.errors.NotFoundError, /Flag FLAGS_not_a_flag cannot set its value through this function/);
  assertThrows(() => fluid.get_flags(['FLAGS_check_nan_inf', 'FLAGS_free_idle_chunk']), paddle.errors.NotFoundError, /Flag FLAGS_free_idle_chunk cannot get its value/);
  assertThrows(() => fluid.get_flags(['check_nan_inf']), paddle.errors.NotFoundError, /start with 'FLAGS_'/);
  assertThrows(() => fluid.set_flags({ FLAGS_paddle_num_threads: 1.5 }), paddle.errors.InvalidArgumentError, /FLAGS_paddle_num_threads is of C\+\+ type int32/);
  assertThrows(() => fluid.set_flags({ FLAGS_initial_cpu_memory_in_mb: -1 }), paddle.errors.InvalidArgumentError, /non-negative/);
  assertThrows(() => fluid.set_flags({ FLAGS_allocator_strategy: 3 } as never), paddle.errors.InvalidArgumentError, /takes a string/);
  assertThrows(() => fluid.set_flags([] as never), paddle.errors.InvalidArgumentError, /should be a dict/);
  assertThrows(() => fluid.get_flags(3 as never), paddle.errors.InvalidArgumentError, /list, tuple or string/);
  // a failing set changes nothing
  assertThrows(() => fluid.set_flags({ FLAGS_sort_sum_gradient: true, FLAGS_bogus: 1 }), paddle.errors.NotFoundError);
  assert.equal(fluid.get_flags('FLAGS_sort_sum_gradient').FLAGS_sort_sum_gradient, false);
  // core.globals() view
  const g = fluid.core.globals();
  assert.equal(g.is_public('FLAGS_check_nan_inf'), true);
  assert.equal(g.is_public('FLAGS_free_idle_chunk'), false);
  assert.equal(g.get('FLAGS_use_mkldnn'), false);
});

test('FLAGS_check_nan_inf makes operators check their outputs, in dygraph and in the Executor', () => {
  const x = paddle.to_tensor([1.0, 0.0], { dtype: 'float32' });
  assert.doesNotThrow(() => paddle.divide(x, paddle.to_tensor([0.0, 0.0], { dtype: 'float32' })));
  fluid.set_flags({ FLAGS_check_nan_inf: true });
  try {
    assertThrows(() => paddle.divide(x, paddle.to_tensor([0.0, 0.0], { dtype: 'float32' })), paddle.errors.PreconditionNotMetError, /elementwise_div output Tensor Out contains NaN and Inf/);
    assertThrows(() => paddle.log(paddle.to_tensor([-1.0], { dtype: 'float64' })), paddle.errors.PreconditionNotMetError, /operator log output Tensor Out contains NaN/i);
    assert.doesNotThrow(() => paddle.exp(x));
    assert.doesNotThrow(() => paddle.to_tensor([1, 2]).add(paddle.to_tensor([3, 4]))); // int tensors are not checked
    paddle.enable_static();
    try {
      const main = new paddle.static.Program();
      paddle.static.program_guard(main, () => {
        const a = paddle.static.data('a', [2], 'float32');
        const y = paddle.sqrt(a);
        const exe = new paddle.static.Executor();
        assert.doesNotThrow(() => exe.run(main, { feed: { a: [4, 9] }, fetch_list: [y] }));
        assertThrows(() => exe.run(main, { feed: { a: [4, -9] }, fetch_list: [y] }), paddle.errors.PreconditionNotMetError, /sqrt output Tensor Out contains NaN/);
      });
    } finally {
      paddle.disable_static();
    }
  } finally {
    fluid.set_flags({ FLAGS_check_nan_inf: false });
  }
  assert.doesNotThrow(() => paddle.log(paddle.to_tensor([-1.0], { dtype: 'float64' })));
});

test('FLAGS_paddle_num_threads sets the compute thread count (the backend with a pool applies it)', async () => {
  const { threads } = await import('../../src/core/threads.js');
  const prev = threads.apply;
  const seen: number[] = [];
  threads.apply = (n: number) => (seen.push(n), n);
  try {
    for (const n of [1, 3]) {
      fluid.set_flags({ FLAGS_paddle_num_threads: n });
      assert.equal(fluid.get_flags('FLAGS_paddle_num_threads').FLAGS_paddle_num_threads, n);
    }
    assert.deepEqual(seen, [1, 3]);
  } finally {
    threads.apply = prev;
    fluid.set_flags({ FLAGS_paddle_num_threads: 1 });
  }
});
