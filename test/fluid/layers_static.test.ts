// fluid.layers in static mode: the operator types and attributes Paddle's fluid functions
// append, and the Executor running them to the values the same calls give in dygraph.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;
const L = fluid.layers;

type Prog = paddle.static.Program;
function inStatic<R>(fn: (main: Prog, startup: Prog, exe: paddle.static.Executor) => R): R {
  paddle.enable_static();
  try {
    const main = new fluid.Program();
    const startup = new fluid.Program();
    return fluid.scope_guard(new fluid.Scope(), () => fluid.program_guard(main, startup, () => fn(main, startup, new fluid.Executor())));
  } finally {
    paddle.disable_static();
  }
}
const opsOf = (p: Prog): string[] => p.global_block().ops.map((o) => o.type);
const op = (p: Prog, type: string) => p.global_block().ops.find((o) => o.type === type)!;

test('fluid layers append fluid operator types with fluid attributes', () => {
  inStatic((main) => {
    const x = fluid.data('x', [null, 3], 'float32');
    const ids = fluid.data('ids', [null, 1], 'int64');
    L.fc(x, 4, { num_flatten_dims: 1 });
    L.embedding(ids, [10, 4], { padding_idx: -2 });
    L.matmul(x, x, false, true, 2);
    L.elementwise_add(x, fluid.data('b', [3], 'float32'), 1);
    L.reduce_sum(x, 1, true);
    L.reduce_mean(x);
    L.one_hot(ids, 5);
    L.cross_entropy(L.softmax(x), ids);
    L.dropout(x, 0.3);
    L.argmax(x);
    L.topk(x, 2);
    L.reshape(x, [-1, 1, 3]);
    L.flatten(x);
    L.expand(x, [1, 2]);
    L.split(x, 3, 1);
    L.image_resize(fluid.data('img', [1, 1, 4, 4], 'float32'), [8, 8]);
    L.pool2d(fluid.data('img2', [1, 1, 4, 4], 'float32'), 2, 'avg', 2);
    L.leaky_relu(x);
    L.hard_sigmoid(x);
    L.lrn(fluid.data('img3', [1, 3, 4, 4], 'float32'));
    L.unique(fluid.data('u', [6], 'int64'));
    L.where(L.less_than(x, x));
    L.mean(x);
    L.zeros_like(x);
    L.has_inf(x);
    L.reverse(x, 0);
    const types = opsOf(main);
    for (const t of ['mul', 'elementwise_add', 'lookup_table', 'matmul', 'reduce_sum', 'reduce_mean', 'one_hot', 'softmax', 'cross_entropy2', 'dropout', 'arg_max', 'top_k', 'reshape2', 'flatten2', 'expand', 'split', 'bilinear_interp', 'pool2d', 'leaky_relu', 'hard_sigmoid', 'lrn', 'unique', 'less_than', 'where_index', 'mean', 'fill_zeros_like', 'isinf', 'reverse'])
      assert.ok(types.includes(t), `missing ${t} in ${types}`);
    assert.equal(op(main, 'mul').attr('x_num_col_dims'), 1);
    assert.equal(op(main, 'lookup_table').attr('padding_idx'), 8);
    assert.equal(op(main, 'matmul').attr('transpose_Y'), true);
    assert.equal(op(main, 'matmul').attr('alpha'), 2);
    const adds = main.global_block().ops.filter((o) => o.type === 'elementwise_add');
    assert.deepEqual(adds.map((o) => o.attr('axis')), [1, 1]);
    assert.deepEqual([op(main, 'reduce_sum').attr('dim'), op(main, 'reduce_sum').attr('keep_dim'), op(main, 'reduce_sum').attr('reduce_all')], [[1], true, false]);
    assert.deepEqual([op(main, 'reduce_mean').attr('dim'), op(main, 'reduce_mean').attr('reduce_all')], [[0], true]);
    assert.equal(op(main, 'dropout').attr('dropout_implementation'), 'downgrade_in_infer');
    assert.equal(op(main, 'arg_max').attr('axis'), 0);
    assert.equal(op(main, 'top_k').attr('k'), 2);
    assert.deepEqual([op(main, 'bilinear_interp').attr('align_corners'), op(main, 'bilinear_interp').attr('align_mode'), op(main, 'bilinear_interp').attr('out_h')], [true, 1, 8]);
    assert.equal(op(main, 'leaky_relu').attr('alpha'), 0.02);
    assert.equal(op(main, 'hard_sigmoid').attr('slope'), 0.2);
    assert.equal(op(main, 'lrn').attr('k'), 1);
    assert.equal(op(main, 'split').attr('num'), 3);
    assert.deepEqual(op(main, 'expand').attr('expand_times'), [1, 2]);
    assert.equal(op(main, 'flatten2').attr('axis'), 1);
    // parameters are named by the layer: fc_N.w_0 / fc_N.b_0, embedding_N.w_0
    const params = main.global_block().all_parameters().map((p) => p.name);
    assert.ok(params.some((n) => /^fc_\d+\.w_0$/.test(n)) && params.some((n) => /^fc_\d+\.b_0$/.test(n)) && params.some((n) => /^embedding_\d+\.w_0$/.test(n)), String(params));
  });
});

test('the Executor runs fluid layers to their dygraph values', () => {
  const xs = [[1, 5, 3], [4, 2, 6]];
  const img = Array.from({ length: 2 }, (_, c) => Array.from({ length: 4 }, (_, h) => Array.from({ length: 4 }, (_, w) => c * 16 + h * 4 + w)));
  const build = (x: Tensor, im: Tensor): Tensor[] => [
    L.reduce_sum(x, 1),
    L.topk(x, 2)[1],
    L.space_to_depth(L.reshape(im, [1, 4, 2, 4]), 2),
    L.crop_tensor(x, [-1, 2], [0, 1]),
    L.expand(x, [2, 1]),
    L.l2_normalize(x, 1),
    L.shuffle_channel(L.reshape(im, [1, 4, 2, 4]), 2),
    L.add_position_encoding(L.reshape(x, [1, 2, 3]).getitem(':', ':', '0:2'), 1, 0.5),
    L.cross_entropy(L.softmax(x), L.argmax(x, 1).unsqueeze(1)),
    L.unique_with_counts(L.reshape(x, [6]))[2],
    L.pad_constant_like(L.fill_constant([3, 4], 'float32', 0), x, 7),
    L.similarity_focus(L.reshape(im, [1, 2, 4, 4]), 2, [1]),
  ];
  const eager = build(paddle.to_tensor(xs, { dtype: 'float32' }), paddle.to_tensor([img], { dtype: 'float32' }));
  const got = inStatic((main, startup, exe) => {
    const x = fluid.data('x', [2, 3], 'float32');
    const im = fluid.data('im', [1, 2, 4, 4], 'float32');
    const outs = build(x, im);
    exe.run(startup);
    return exe.run(main, { feed: { x: xs, im: [img] }, fetch_list: outs }) as Tensor[];
  });
  eager.forEach((e, i) => assertClose(got[i], e, 1e-6, 1e-6, `output ${i}`));
});

test('static training through new operators: deformable_conv, inplace_abn (running stats aliased)', () => {
  const feed = {
    x: paddle.arange(0, 64, 1, 'float32').reshape([2, 2, 4, 4]).scale(0.05),
    off: paddle.full([2, 18, 4, 4], 0.25, 'float32'),
    mask: paddle.full([2, 9, 4, 4], 0.5, 'float32'),
  };
  inStatic((main, startup, exe) => {
    const x = fluid.data('x', [2, 2, 4, 4], 'float32');
    const off = fluid.data('off', [2, 18, 4, 4], 'float32');
    const mask = fluid.data('mask', [2, 9, 4, 4], 'float32');
    const y = L.deformable_conv(x, off, mask, 3, 3, { padding: 1 });
    const z = L.inplace_abn(y, 'leaky_relu', { moving_mean_name: 'abn_mean', moving_variance_name: 'abn_var', act_alpha: 0.1 });
    const loss = L.mean(L.square(z));
    new paddle.optimizer.SGD({ learning_rate: 0.1 }).minimize(loss);
    const types = opsOf(main);
    for (const t of ['deformable_conv', 'elementwise_add', 'inplace_abn', 'deformable_conv_grad', 'batch_norm_grad', 'sgd']) assert.ok(types.includes(t), `missing ${t}`);
    const abn = op(main, 'inplace_abn');
    assert.deepEqual([abn.output('MeanOut'), abn.output('VarianceOut'), abn.attr('activation'), abn.attr('alpha')], [['abn_mean'], ['abn_var'], 'leaky_relu', 0.1]);
    exe.run(startup);
    const l0 = (exe.run(main, { feed, fetch_list: [loss] })[0] as Tensor).item() as number;
    const mean = paddle.static.global_scope().find_var('abn_mean')!.tolist() as number[];
    assert.ok(mean.some((v) => v !== 0), 'running mean updated');
    for (let i = 0; i < 5; i++) exe.run(main, { feed, fetch_list: [loss] });
    const l1 = (exe.run(main, { feed, fetch_list: [loss] })[0] as Tensor).item() as number;
    assert.ok(Number.isFinite(l0) && l1 < l0, `loss ${l0} -> ${l1}`);
  });
});

test('fluid functions with `out`, `cond`, in-place increment and random_crop\'s seed variable in a program', () => {
  const img5 = paddle.ones([2, 5, 5]);
  inStatic((main, startup, exe) => {
    const x = fluid.data('x', [3], 'float32');
    const counter = L.fill_constant([1], 'int64', 0);
    L.increment(counter, 2);
    const inc = op(main, 'increment');
    assert.deepEqual(inc.output('Out'), inc.input('X'));
    const cond = L.create_tensor('bool');
    L.less_than(x, L.fill_constant([3], 'float32', 1.5), null, cond);
    assert.deepEqual(op(main, 'less_than').output('Out'), [cond.name]);
    const out = L.create_tensor('float32');
    L.assign(x, out);
    const crop = L.random_crop(fluid.data('img', [2, 5, 5], 'float32'), [3, 3], 3);
    const rc = op(main, 'random_crop');
    assert.deepEqual(rc.input('Seed'), rc.output('SeedOut'));
    assert.equal(rc.attr('startup_seed'), 3);
    exe.run(startup);
    const [c, cd, o, cr] = exe.run(main, { feed: { x: [1, 2, 3], img: img5 }, fetch_list: [counter, cond, out, crop] }) as Tensor[];
    assert.deepEqual([c.tolist(), cd.tolist(), o.tolist(), cr.shape], [[2], [true, false, false], [1, 2, 3], [2, 3, 3]]);
  });
});

test('errors name the fluid API', () => {
  assertThrows(() => L.fc(paddle.ones([2, 3]), 2, { act: 3 as never }), paddle.errors.InvalidArgumentError, /fluid\.layers\.fc.*act/);
  assertThrows(() => L.split(paddle.ones([2, 3]), 1), paddle.errors.InvalidArgumentError, /num_or_sections must be more than 1/);
  assertThrows(() => L.inplace_abn(paddle.ones([2, 3, 2]), 'relu'), paddle.errors.InvalidArgumentError, /inplace_abn only support act/);
  assertThrows(() => L.fill_constant([2], 'complex64', 1), paddle.errors.InvalidArgumentError, /fill_constant/);
  assertThrows(() => L.pool2d(paddle.ones([1, 1, 2, 2]), 2, 'max', 1, 0, false, 'yes' as never), paddle.errors.InvalidArgumentError, /use_cudnn/);
});
