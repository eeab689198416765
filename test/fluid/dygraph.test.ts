// fluid.dygraph: guard, to_variable, the fluid-signature layers against the 2.0 layers' math,
// their operators in static mode, and save_dygraph / load_dygraph.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;
const F = paddle.nn.functional;
const dg = fluid.dygraph;

test('guard runs in dygraph mode with fresh programs and unique names, and restores the mode', () => {
  paddle.enable_static();
  try {
    const outer = paddle.static.default_main_program();
    const r = dg.guard(new paddle.CPUPlace(), () => {
      assert.equal(paddle.in_dynamic_mode(), true);
      assert.equal(dg.enabled(), true);
      assert.notEqual(paddle.static.default_main_program(), outer);
      const l = new dg.Linear(2, 2);
      assert.equal(l.full_name(), 'linear_0');
      return 42;
    });
    assert.equal(r, 42);
    assert.equal(paddle.in_dynamic_mode(), false);
    assert.equal(paddle.static.default_main_program(), outer);
  } finally {
    paddle.disable_static();
  }
  assert.equal(dg.guard(() => new dg.Linear(2, 2).full_name()), 'linear_0');
  assertThrows(() => dg.guard(new paddle.CUDAPlace(0), () => 1), paddle.errors.UnavailableError, /not compiled with CUDA/);
  assertThrows(() => dg.guard(null, undefined), paddle.errors.InvalidArgumentError, /expected a function/);
  // enable/disable_dygraph
  fluid.disable_dygraph();
  assert.equal(fluid.in_dygraph_mode(), false);
  fluid.enable_dygraph();
  assert.equal(fluid.in_dygraph_mode(), true);
});

test('to_variable makes Tensors from arrays, typed arrays, { data, shape } and LoDTensors', () => {
  const a = dg.to_variable([[1, 2], [3, 4]]);
  assert.equal(a.dtype, 'int64');
  assert.equal(a.stop_gradient, true);
  const b = dg.to_variable(new Float32Array([1.5, 2.5]), 'b');
  assert.equal(b.dtype, 'float32');
  assert.equal(b.name, 'b');
  const c = dg.to_variable({ data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, null, null, 'float64');
  assert.deepEqual(c.shape, [2, 3]);
  assert.equal(c.dtype, 'float64');
  assert.equal(dg.to_variable(b), b); // a Tensor is returned as is
  const lt = fluid.create_lod_tensor([[1, 2], [3]], [[2, 1]], new paddle.CPUPlace());
  const d = dg.to_variable(lt);
  assert.ok(!(d instanceof fluid.LoDTensor));
  assert.deepEqual(d.tolist(), [[1], [2], [3]]);
  assert.equal(dg.to_variable({ value: [1.5], dtype: 'float32' }).dtype, 'float32');
  assertThrows(() => dg.to_variable('abc'), paddle.errors.InvalidArgumentError, /must be list, tuple, numpy.ndarray/);
  paddle.enable_static();
  try {
    assertThrows(() => dg.to_variable([1]), paddle.errors.PreconditionNotMetError, /only support 'to_variable\(\)' in dynamic graph mode/);
  } finally {
    paddle.disable_static();
  }
});

test('dygraph.Linear: act(x W + b), as F.linear; weight [input_dim, output_dim]', () => {
  paddle.seed(1);
  const fc = new dg.Linear(4, 3, { act: 'relu', dtype: 'float64' });
  assert.deepEqual(fc.weight.shape, [4, 3]);
  assert.deepEqual(fc.bias!.shape, [3]);
  assert.equal(fc.weight.dtype, 'float64');
  fc.bias!.set_value(paddle.to_tensor([0.1, -0.2, 0.3], { dtype: 'float64' }));
  const x = paddle.randn([2, 5, 4], 'float64');
  const y = fc(x);
  assertClose(y, F.relu(F.linear(x, fc.weight, fc.bias)), 1e-12, 1e-12);
  assert.deepEqual(Object.keys(fc.state_dict()), ['weight', 'bias']);
  const noBias = new dg.Linear(4, 2, { bias_attr: false });
  assert.equal(noBias.bias, null);
  assertThrows(() => new dg.Linear(4, 2, { act: 'no_such_act' })(paddle.ones([1, 4])), paddle.errors.InvalidArgumentError, /unknown activation 'no_such_act'/);
  assertThrows(() => fc(paddle.to_tensor([[1, 2, 3, 4]])), paddle.errors.InvalidArgumentError, /must be float16, float32 or float64/);
});

test('dygraph.Conv2D: conv2d + bias + act as F.conv2d; default filter init Normal(0, sqrt(2/(k*k*C)))', () => {
  paddle.seed(2);
  const conv = new dg.Conv2D(3, 4, 3, { stride: 2, padding: 1, act: 'sigmoid', dtype: 'float64' });
  assert.deepEqual(conv.weight.shape, [4, 3, 3, 3]);
  conv.bias!.set_value(paddle.to_tensor([0.5, -0.5, 0.25, 0], { dtype: 'float64' }));
  const x = paddle.randn([2, 3, 7, 7], 'float64');
  const y = conv(x);
  assert.deepEqual(y.shape, [2, 4, 4, 4]);
  assertClose(y, F.sigmoid(F.conv2d(x, conv.weight, conv.bias, { stride: 2, padding: 1 })), 1e-10, 1e-12);
  // groups
  const g = new dg.Conv2D(4, 6, [3, 1], { groups: 2, bias_attr: false, dtype: 'float64' });
  assert.deepEqual(g.weight.shape, [6, 2, 3, 1]);
  const xg = paddle.randn([1, 4, 5, 5], 'float64');
  assertClose(g(xg), F.conv2d(xg, g.weight, null, { groups: 2 }), 1e-10, 1e-12);
  // the initializer's std
  const big = new dg.Conv2D(16, 32, 3);
  const w = big.weight.numpy() as Float32Array;
  const mean = w.reduce((s, v) => s + v, 0) / w.length;
  const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
  assert.ok(Math.abs(std - Math.sqrt(2 / (3 * 3 * 16))) < 0.01, `std ${std}`);
  assertThrows(() => new dg.Conv2D(3, 4, 3, { param_attr: false }), paddle.errors.InvalidArgumentError, /param_attr should not be False/);
  assertThrows(() => new dg.Conv2D(3, 4, 3, { groups: 2 }), paddle.errors.InvalidArgumentError, /num_channels must be divisible by groups/);
  assertThrows(() => new dg.Conv2D(3, 4, 3, { use_cudnn: 1 }), paddle.errors.InvalidArgumentError, /use_cudnn should be True or False/);
});

test('dygraph.Pool2D: max/avg, stride, padding, ceil_mode, exclusive, global pooling', () => {
  const x = paddle.arange(0, 32, 1, 'float32').reshape([1, 2, 4, 4]);
  const maxp = new dg.Pool2D({ pool_size: 2, pool_type: 'max', pool_stride: 2 });
  assertClose(maxp(x), F.max_pool2d(x, 2, 2) as paddle.Tensor);
  assertClose(maxp(x), [[[[5, 7], [13, 15]], [[21, 23], [29, 31]]]]);
  const avgp = new dg.Pool2D({ pool_size: 3, pool_type: 'avg', pool_stride: 2, pool_padding: 1 });
  assertClose(avgp(x), F.avg_pool2d(x, 3, 2, 1));
  const avgIncl = new dg.Pool2D({ pool_size: 3, pool_type: 'avg', pool_stride: 2, pool_padding: 1, exclusive: false });
  assertClose(avgIncl(x), F.avg_pool2d(x, 3, 2, 1, { exclusive: false }));
  // pool_stride defaults to 1
  assert.deepEqual(new dg.Pool2D(2)(x).shape, [1, 2, 3, 3]);
  const ceil = new dg.Pool2D({ pool_size: 3, pool_stride: 2, ceil_mode: true });
  assert.deepEqual(ceil(x).shape, [1, 2, 2, 2]);
  const glob = new dg.Pool2D({ pool_type: 'avg', global_pooling: true });
  assertClose(glob(x), [[[[7.5]], [[23.5]]]]);
  assertThrows(() => new dg.Pool2D(), paddle.errors.InvalidArgumentError, /pool_size must be passed/);
  assertThrows(() => new dg.Pool2D(2, 'sum'), paddle.errors.InvalidArgumentError, /Unknown pool_type: 'sum'/);
  assertThrows(() => new dg.Pool2D({ pool_size: 2, data_format: 'NCW' }), paddle.errors.InvalidArgumentError, /data_format/);
});

test('dygraph.Embedding: lookup_table_v2 rows, padding_idx rows are zeros, gradients', () => {
  const emb = new dg.Embedding([5, 3], { padding_idx: -1, dtype: 'float64' });
  assert.equal(emb._padding_idx, 4);
  const table = paddle.arange(0, 15, 1, 'float64').reshape([5, 3]);
  emb.weight.set_value(table);
  const ids = paddle.to_tensor([[1, 4], [0, 1]]);
  const out = emb(ids);
  assert.deepEqual(out.shape, [2, 2, 3]);
  assertClose(out, [[[3, 4, 5], [0, 0, 0]], [[0, 1, 2], [3, 4, 5]]]);
  out.sum().backward();
  assertClose(emb.weight.grad!, [[1, 1, 1], [2, 2, 2], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  assertThrows(() => emb(paddle.to_tensor([[0.5]], { dtype: 'float32' })), paddle.errors.InvalidArgumentError, /must be int64/);
  assertThrows(() => new dg.Embedding([5, 3], { padding_idx: 7 }), paddle.errors.InvalidArgumentError, /padding_idx/);
});

test('the fluid layers append Paddle\'s operators in static mode', () => {
  const xv = paddle.rand([2, 3, 8, 8]);
  const idv = paddle.to_tensor([[1, 2], [3, 4]]);
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [null, 3, 8, 8], 'float32');
      const conv = new dg.Conv2D(3, 3, 3, { act: 'relu' });
      const dw = new dg.Conv2D(3, 6, 3, { groups: 3, use_cudnn: false, bias_attr: false });
      const pool = new dg.Pool2D(2, 'avg', 2);
      const h = pool(conv(x));
      dw(x);
      const fc = new dg.Linear(3 * 3 * 3, 4, { act: 'softmax' });
      const y = fc(paddle.reshape(h, [-1, 27]));
      const ids = paddle.static.data('ids', [null, 2], 'int64');
      new dg.Embedding([10, 4])(ids);
      assert.deepEqual(y.shape, [-1, 4]);
      const types = main.global_block().ops.map((o) => o.type);
      assert.deepEqual(types, ['conv2d', 'elementwise_add', 'relu', 'pool2d', 'depthwise_conv2d', 'reshape2', 'matmul', 'elementwise_add', 'softmax', 'lookup_table_v2']);
      const poolOp = main.global_block().ops[3];
      assert.equal(poolOp.attr('pooling_type'), 'avg');
      assert.deepEqual(poolOp.attr('ksize'), [2, 2]);
      assert.equal(main.global_block().ops[1].attr('axis'), 1);
      const exe = new paddle.static.Executor();
      exe.run(startup);
      const [out] = exe.run(main, { feed: { x: xv, ids: idv }, fetch_list: [y] });
      assert.deepEqual(out.shape, [2, 4]);
      assertClose((out.tolist() as number[][]).map((r) => r.reduce((a, b) => a + b, 0)), [1, 1], 1e-5);
    });
  } finally {
    paddle.disable_static();
  }
});

test('save_dygraph / load_dygraph round trip: .pdparams for parameters, .pdopt for optimizer state', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddle-ts-dygraph-'));
  const prefix = path.join(dir, 'sub', 'model');
  paddle.seed(3);
  const net = new dg.Linear(3, 2);
  const opt = new paddle.optimizer.Adam({ learning_rate: 0.1, parameters: net.parameters() });
  net(paddle.ones([4, 3])).mean().backward();
  opt.step();
  dg.save_dygraph(net.state_dict(), prefix);
  dg.save_dygraph(opt.state_dict(), prefix);
  assert.ok(fs.existsSync(prefix + '.pdparams'));
  assert.ok(fs.existsSync(prefix + '.pdopt'));

  const [params, optState] = dg.load_dygraph(prefix);
  assert.deepEqual(Object.keys(params), ['weight', 'bias']);
  assertClose(params.weight as paddle.Tensor, net.weight);
  assert.equal((params.weight as paddle.Tensor).name, net.weight.name);
  assert.ok(optState);
  const sd = opt.state_dict();
  for (const k of Object.keys(sd)) {
    if (sd[k] instanceof paddle.Tensor) assertClose(optState![k] as paddle.Tensor, sd[k] as paddle.Tensor);
  }
  assert.ok('StructuredToParameterName@@' in optState!); // kept for the optimizer file, as Paddle
  const fresh = new dg.Linear(3, 2);
  fresh.set_state_dict(params as Record<string, paddle.Tensor>);
  assertClose(fresh.weight, net.weight);
  const opt2 = new paddle.optimizer.Adam({ learning_rate: 0.1, parameters: fresh.parameters() });
  opt2.set_state_dict(optState!);

  // a suffix on the path is dropped; keep_name_table keeps the table
  const [p2] = dg.load_dygraph(prefix + '.pdparams', { keep_name_table: true });
  assert.deepEqual(p2['StructuredToParameterName@@'], { weight: net.weight.name, bias: net.bias!.name });
  // only an optimizer file
  const onlyOpt = path.join(dir, 'opt_only');
  dg.save_dygraph(opt.state_dict(), onlyOpt);
  const [p3, o3] = dg.load_dygraph(onlyOpt);
  assert.deepEqual(p3, {});
  assert.ok(o3);
  // paddle.load reads the same files
  const viaLoad = paddle.load(prefix + '.pdparams') as Record<string, paddle.Tensor>;
  assertClose(viaLoad.bias, net.bias!);

  assertThrows(() => dg.load_dygraph(path.join(dir, 'nothing')), paddle.errors.NotFoundError, /not exists/);
  assertThrows(() => dg.save_dygraph({}, prefix), paddle.errors.InvalidArgumentError, /state_dict is empty/);
  assertThrows(() => dg.save_dygraph(net.state_dict(), dir + path.sep), paddle.errors.InvalidArgumentError, /dirname\/filename/);
});
