// paddle.fluid.layers neural-network functions (nn.py): values from NumPy computations,
// hand derivations and Paddle's documented examples; fluid defaults where they differ from
// the 2.0 APIs; errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const L = paddle.fluid.layers;
const f32 = (v: unknown): Tensor => paddle.to_tensor(v as never, { dtype: 'float32' });
const i64 = (v: unknown): Tensor => paddle.to_tensor(v as never, { dtype: 'int64' });
const X = (): Tensor => f32([[1, 5, 3], [4, 2, 6]]);
const attr = (v: unknown) => new paddle.ParamAttr({ initializer: new paddle.fluid.initializer.NumpyArrayInitializer(f32(v)) });
const IAE = paddle.errors.InvalidArgumentError;

test('fc: mul per input, summed, bias from num_flatten_dims, activation; parameters named fc_N.w_0', () => {
  const w = [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]];
  const y = L.fc(X(), 2, { param_attr: attr(w), bias_attr: attr([0.5, -0.5]) });
  assertClose(y, [[3.6, -0.5], [4.5, 3.1]], 1e-6);
  const r = L.fc(X(), 2, { param_attr: attr(w), bias_attr: attr([0.5, -0.5]), act: 'relu' });
  assertClose(r, [[3.6, 0], [4.5, 3.1]], 1e-6);
  // a list of inputs: one weight each, one bias
  const two = L.fc([X(), X()], 2, { param_attr: [attr(w), attr([[1, 0], [0, 1], [1, 1]])], bias_attr: attr([0.5, -0.5]) });
  assertClose(two, [[7.6, 7.5], [14.5, 11.1]], 1e-6);
  // num_flatten_dims=2 keeps two leading dims
  const x3 = paddle.arange(0, 12, 1, 'float32').reshape([2, 2, 3]);
  const y3 = L.fc(x3, 2, { num_flatten_dims: 2, param_attr: attr(w), bias_attr: false });
  assertClose(y3, [[[1.3, 0.8], [4, 2]], [[6.7, 3.2], [9.4, 4.4]]], 1e-6);
  // act as a dict with attributes
  const lr = L.fc(f32([[-1, 0, 0]]), 1, { param_attr: attr([[1], [0], [0]]), bias_attr: false, act: { type: 'leaky_relu', alpha: 0.5 } });
  assertClose(lr, [[-0.5]]);
  assertThrows(() => L.fc(i64([[1]]), 2), IAE, /fluid\.layers\.fc.*float16, float32, float64/);
  assertThrows(() => L.fc([X(), X()], 2, { param_attr: [attr(w)] }), IAE, /param_attr holds 1 attributes but there are 2 inputs/);
});

test('embedding: lookup_table on [N, 1] int64 ids, padding_idx rows are zeros', () => {
  const table = [[0, 0], [1, 1], [2, 2], [3, 3]];
  const e = L.embedding(i64([[1], [3], [0]]), [4, 2], { param_attr: attr(table) });
  assertClose(e, [[1, 1], [3, 3], [0, 0]]);
  const p = L.embedding(i64([[1], [3]]), [4, 2], { padding_idx: -1, param_attr: attr(table) });
  assertClose(p, [[1, 1], [0, 0]]);
  assertThrows(() => L.embedding(paddle.to_tensor([[1]], { dtype: 'int32' }), [4, 2]), IAE, /'input' must be one of int64/);
});

test('elementwise_*: fluid axis broadcasting and act', () => {
  const x = paddle.ones([2, 3, 4]);
  const y = f32([1, 2, 3]);
  const s = L.elementwise_add(x, y, 1);
  assertClose(s.sum([0, 2]), [16, 24, 32]);
  assertClose(L.elementwise_sub(f32([[1, 2], [3, 4]]), f32([1, 1]), -1, 'relu'), [[0, 1], [2, 3]]);
  assertClose(L.elementwise_mul(f32([[1, 2], [3, 4]]), f32([2, 3]), 0), [[2, 4], [9, 12]]);
  assertClose(L.elementwise_div(f32([6, 8]), f32([3, 4])), [2, 2]);
  assertClose(L.elementwise_max(f32([1, 5]), f32([3, 2])), [3, 5]);
  assertClose(L.elementwise_min(f32([1, 5]), f32([3, 2])), [1, 2]);
  assertClose(L.elementwise_pow(f32([2, 3]), f32([3, 2])), [8, 9]);
  assertClose(L.elementwise_mod(i64([7, -7]), i64([3, 3])), [1, 2]);
  assertClose(L.elementwise_floordiv(i64([7, 9]), i64([2, 4])), [3, 2]);
  assertThrows(() => L.elementwise_add(x, f32([1, 2]), 1), IAE, /elementwise_add.*cannot be broadcast/);
  assertThrows(() => L.elementwise_add(paddle.to_tensor([true]), paddle.to_tensor([true])), IAE, /elementwise_add.*'x'/);
});

test('reduce_*: dim None reduces all to [1], keep_dim, lists', () => {
  const x = X();
  assertClose(L.reduce_sum(x), [21]);
  assert.deepEqual(L.reduce_sum(x).shape, [1]);
  assertClose(L.reduce_sum(x, 1, true), [[9], [12]]);
  assertClose(L.reduce_mean(x, [0]), [2.5, 3.5, 4.5]);
  assertClose(L.reduce_max(x, -1), [5, 6]);
  assertClose(L.reduce_min(x, [0, 1]), [1]);
  assertClose(L.reduce_prod(x, 0), [4, 10, 18]);
  assertClose(L.reduce_all(paddle.to_tensor([[true, false], [true, true]]), 1), [false, true]);
  assertClose(L.reduce_any(paddle.to_tensor([[true, false], [false, false]]), 1), [true, false]);
  assertClose(L.mean(x), [3.5]);
  assertThrows(() => L.reduce_all(x), IAE, /reduce_all.*bool/);
});

test('matmul (v1 with alpha), mul (num_col_dims), size, sum', () => {
  assertClose(L.matmul(X(), X(), false, true, 0.5), [[17.5, 16], [16, 28]]);
  assertClose(L.matmul(f32([1, 2]), f32([3, 4])), [11]);
  const a = paddle.arange(0, 24, 1, 'float32').reshape([2, 3, 4]);
  const b = paddle.arange(0, 8, 1, 'float32').reshape([4, 2]);
  assertClose(L.mul(a, b, 2), [[[28, 34], [76, 98], [124, 162]], [[172, 226], [220, 290], [268, 354]]]);
  assert.equal(L.size(a).dtype, 'int64');
  assertClose(L.size(a), [24]);
  assertClose(L.sum([X(), X()]), [[2, 10, 6], [8, 4, 12]]);
  assertThrows(() => L.matmul(X(), X()), IAE, /X's width should be equal to Y's width/);
});

test('split (default dim -1), stack, unbind, reshape, squeeze, unsqueeze, flatten, expand, strided_slice', () => {
  const parts = L.split(X(), 3);
  assert.equal(parts.length, 3);
  assertClose(parts[1], [[5], [2]]);
  const secs = L.split(paddle.arange(0, 10, 1, 'float32'), [2, -1, 3], 0);
  assertClose(secs[1], [2, 3, 4, 5, 6]);
  assertThrows(() => L.split(X(), 2), IAE, /evenly divisible/);
  assert.deepEqual(L.stack([X(), X()], 1).shape, [2, 2, 3]);
  assertClose(L.unbind(X(), 1)[2], [3, 6]);
  assert.deepEqual(L.reshape(X(), [0, -1, 1]).shape, [2, 3, 1]);
  assertClose(L.reshape(f32([-1, 2]), [2, 1], null, 'relu'), [[0], [2]]);
  assertThrows(() => L.reshape(X(), [-1, -1]), IAE, /Only one dimension value of 'shape' in reshape can be -1/);
  assert.deepEqual(L.squeeze(paddle.ones([1, 2, 1]), [0]).shape, [2, 1]);
  assert.deepEqual(L.unsqueeze(X(), [0, 3]).shape, [1, 2, 3, 1]);
  assert.deepEqual(L.flatten(paddle.ones([2, 3, 4, 5]), 2).shape, [6, 20]);
  assert.deepEqual(L.flatten(paddle.ones([2, 3]), 0).shape, [1, 6]);
  assertClose(L.expand(f32([[1, 2]]), [2, 2]), [[1, 2, 1, 2], [1, 2, 1, 2]]);
  assertClose(L.expand(f32([[1, 2]]), [paddle.to_tensor([2], { dtype: 'int32' }), 1]), [[1, 2], [1, 2]]);
  assertClose(L.expand_as(f32([[1], [2]]), paddle.ones([4, 2])), [[1, 1], [2, 2], [1, 1], [2, 2]]);
  assertThrows(() => L.expand_as(f32([[1, 2, 3]]), paddle.ones([2, 2])), IAE, /multiple/);
  const m = paddle.arange(0, 12, 1, 'float32').reshape([3, 4]);
  assertClose(L.strided_slice(m, [0, 1], [0, 3], [3, 0], [2, -1]), [[3, 2, 1], [11, 10, 9]]);
});

test('dropout defaults to downgrade_in_infer; softmax; topk; argmax default axis 0', () => {
  paddle.seed(1);
  const x = paddle.ones([1000]);
  const d = L.dropout(x, 0.3);
  const vals = new Set(d.tolist() as number[]);
  assert.deepEqual([...vals].sort(), [0, 1]); // kept values are not scaled while training
  assertClose(L.dropout(x, 0.3, true), new Array(1000).fill(0.7)); // inference multiplies by 1 - p
  const up = L.dropout(x, 0.5, false, null, null, 'upscale_in_train');
  assert.deepEqual([...new Set(up.tolist() as number[])].sort(), [0, 2]);
  assert.equal(L.dropout(x, 0), x);
  assertClose(L.softmax(f32([[1, 2], [3, 3]])), [[0.26894142, 0.73105858], [0.5, 0.5]]);
  const [v, i] = L.topk(X(), 2);
  assertClose(v, [[5, 3], [6, 4]]);
  assert.equal(i.dtype, 'int64');
  assert.deepEqual(i.tolist(), [[1, 2], [2, 0]]);
  assert.ok(v.stop_gradient && i.stop_gradient);
  assert.deepEqual(L.topk(X(), paddle.to_tensor([1], { dtype: 'int32' }))[0].shape, [2, 1]);
});

test('pool2d/pool3d with fluid paddings, exclusive average, global pooling; adaptive pools', () => {
  const x = paddle.arange(0, 16, 1, 'float32').reshape([1, 1, 4, 4]);
  assertClose(L.pool2d(x, 2, 'max', 2), [[[[5, 7], [13, 15]]]]);
  assertClose(L.pool2d(x, 3, 'avg', 2, 1), [[[[2.5, 4], [8.5, 10]]]]);
  assertClose(L.pool2d(x, 3, 'avg', 2, 1, { exclusive: false }), [[[[1.1111111, 2.6666667], [5.6666667, 10]]]], 1e-6);
  assertClose(L.pool2d(x, 3, 'avg', 2, [[0, 0], [0, 0], [1, 1], [1, 1]]), [[[[2.5, 4], [8.5, 10]]]]);
  assertClose(L.pool2d(x, -1, 'avg', 1, 0, true), [[[[7.5]]]]);
  assert.deepEqual(L.pool2d(x, 3, 'max', 1, 'SAME').shape, [1, 1, 4, 4]);
  assert.deepEqual(L.pool2d(x, 3, 'max', 1, 'VALID').shape, [1, 1, 2, 2]);
  assert.deepEqual(L.pool2d(x.transpose([0, 2, 3, 1]), 2, 'max', 2, { data_format: 'NHWC' }).shape, [1, 2, 2, 1]);
  assertClose(L.pool3d(x.reshape([1, 1, 1, 4, 4]), [1, 2, 2], 'max', [1, 2, 2]), [[[[[5, 7], [13, 15]]]]]);
  assertClose(L.adaptive_pool2d(x, 2, 'avg') as Tensor, [[[[2.5, 4.5], [10.5, 12.5]]]]);
  const [mx, mask] = L.adaptive_pool2d(x, 2, 'max', true) as [Tensor, Tensor];
  assertClose(mx, [[[[5, 7], [13, 15]]]]);
  assertClose(mask, [[[[5, 7], [13, 15]]]]);
  assert.deepEqual((L.adaptive_pool3d(x.reshape([1, 1, 2, 2, 4]), [1, 1, 2]) as Tensor).shape, [1, 1, 1, 1, 2]);
  assertThrows(() => L.pool2d(x, -1, 'max'), IAE, /When Attr\(global_pooling\) is False, Attr\(pool_size\) must be passed/);
  assertThrows(() => L.pool2d(x, 2, 'min'), IAE, /Unknown Attr\(pool_type\)/);
  assertThrows(() => L.pool2d(x, 2, 'max', 1, 'VALID', { ceil_mode: true }), IAE, /Attr\(ceil_mode\) must be False/);
  assertThrows(() => L.adaptive_pool2d(x, 2, 'avg', true), IAE, /require_index/);
});

test('image_resize family: fluid defaults align_corners=True, align_mode=1; image_resize_short', () => {
  const x = f32([[[[0, 1], [2, 3]]]]);
  assertClose(L.image_resize(x, [3, 3]), [[[[0, 0.5, 1], [1, 1.5, 2], [2, 2.5, 3]]]]);
  assertClose(L.resize_bilinear(x, [3, 3]), L.image_resize(x, [3, 3]));
  assertClose(L.resize_nearest(x, null, 2), [[[[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]]]]);
  assert.deepEqual(L.resize_trilinear(paddle.ones([1, 1, 2, 2, 2]), [3, 4, 5]).shape, [1, 1, 3, 4, 5]);
  assert.deepEqual(L.image_resize(paddle.ones([1, 2, 6]), [4], null, null, 'LINEAR', null, true, 1, 'NCW').shape, [1, 2, 4]);
  assert.deepEqual(L.image_resize_short(paddle.ones([1, 3, 4, 6]), 2).shape, [1, 3, 2, 3]);
  assertThrows(() => L.image_resize(x), IAE, /One of out_shape and scale must not be None/);
  assertThrows(() => L.image_resize(x, [3, 3], null, null, 'TRILINEAR'), IAE, /only support 5-D/);
  assertThrows(() => L.image_resize(x, [3]), IAE, /out_shape length should be 2/);
});

test('activations with fluid defaults', () => {
  const x = f32([-2, -0.5, 0, 1, 3]);
  assertClose(L.leaky_relu(x), [-0.04, -0.01, 0, 1, 3]);
  assertClose(L.hard_sigmoid(x), [0.1, 0.4, 0.5, 0.7, 1]);
  assertClose(L.relu(x), [0, 0, 0, 1, 3]);
  assertClose(L.relu6(f32([-1, 7, 3])), [0, 6, 3]);
  assertClose(L.brelu(x, 0, 1), [0, 0, 0, 1, 1]);
  assertClose(L.elu(f32([-1, 1]), 2), [2 * (Math.exp(-1) - 1), 1], 1e-6);
  assertClose(L.selu(f32([-1, 1])), [1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1), 1.0507009873554805], 1e-6);
  assertClose(L.soft_relu(f32([0, 50]), 40), [Math.log(2), Math.log1p(Math.exp(40))], 1e-5);
  assertClose(L.swish(f32([1]), 2), [1 / (1 + Math.exp(-2))], 1e-6);
  assertClose(L.hard_swish(f32([-4, 1, 4])), [0, 4 / 6, 4], 1e-6);
  assertClose(L.pow(f32([2, 3]), 3), [8, 27]);
  assertClose(L.pow(f32([2, 3]), f32([2])), [4, 9]);
  assertClose(L.sign(f32([-3, 0, 2])), [-1, 0, 1]);
  assertClose(L.sign([-3, 0.5]), [-1, 1]);
  assertClose(L.clip(x, -1, 1), [-1, -0.5, 0, 1, 1]);
  assertClose(L.clip_by_norm(f32([3, 4]), 1), [0.6, 0.8], 1e-6);
  assertClose(L.maxout(paddle.arange(0, 8, 1, 'float32').reshape([1, 4, 1, 2]), 2), [[[[2, 3]], [[6, 7]]]]);
  assertClose(L.l2_normalize(X(), 1), [[0.16903085, 0.84515425, 0.50709255], [0.53452248, 0.26726124, 0.80178373]], 1e-6);
  assertClose(L.l2_normalize(f32([3, 4]), null), [0.6, 0.8], 1e-6);
  assertThrows(() => L.selu(i64([1])), IAE, /selu.*float32, float64/);
  assertThrows(() => L.maxout(paddle.ones([1, 4, 1, 2]), 2, null, 2), IAE, /Attr\(axis\) should be 1/);
});

test('one_hot v1 ([N, 1] ids), label_smooth, smooth_l1, lrn, where, unique, unique_with_counts', () => {
  const oh = L.one_hot(i64([[1], [0], [3]]), 4);
  assertClose(oh, [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]);
  assert.ok(oh.stop_gradient);
  assertClose(L.one_hot(i64([[2]]), paddle.to_tensor([3], { dtype: 'int32' })), [[0, 0, 1]]);
  assertThrows(() => L.one_hot(i64([[1, 0]]), 4), IAE, /last dimension of X must be 1/);
  assertClose(L.label_smooth(f32([[0, 1, 0]]), null, 0.3), [[0.1, 0.8, 0.1]], 1e-6);
  assertClose(L.label_smooth(f32([[0, 1]]), f32([[0.25, 0.75]]), 0.2), [[0.05, 0.95]], 1e-6);
  assertThrows(() => L.label_smooth(f32([[0, 1]]), null, 1.5), IAE, /epsilon must be between 0 and 1/);
  assertClose(L.smooth_l1(X(), paddle.zeros([2, 3])), [[7.5], [10.5]]);
  assertClose(L.smooth_l1(f32([[0.5]]), f32([[0]]), null, null, 2), [[0.375]]);
  const w = L.where(paddle.to_tensor([[true, false], [false, true]]));
  assert.equal(w.dtype, 'int64');
  assert.deepEqual(w.tolist(), [[0, 0], [1, 1]]);
  // Paddle's documented example: first-occurrence order, int32 index
  const [u, idx] = L.unique(i64([2, 3, 3, 1, 5, 3]));
  assert.deepEqual(u.tolist(), [2, 3, 1, 5]);
  assert.equal(idx.dtype, 'int32');
  assert.deepEqual(idx.tolist(), [0, 1, 1, 2, 3, 1]);
  const [u2, i2, c2] = L.unique_with_counts(i64([2, 3, 3, 1, 5, 3]), 'int64');
  assert.deepEqual([u2.tolist(), i2.tolist(), c2.tolist(), c2.dtype], [[2, 3, 1, 5], [0, 1, 1, 2, 3, 1], [1, 3, 1, 1], 'int64']);
  assertThrows(() => L.unique_with_counts(i64([[1]])), IAE, /size of dim must be 1/);
  // lrn: k defaults to 1 (2 in the operator)
  const img = paddle.arange(0, 32, 1, 'float32').reshape([1, 2, 4, 4]);
  const mid = 1 + 1e-4 * (4 * 4 + 20 * 20);
  assertClose(L.lrn(img).getitem(0, 1, 1, 0), [20 / Math.pow(mid, 0.75)], 1e-6);
  assertThrows(() => L.lrn(paddle.ones([2, 3])), IAE, /must be 4/);
});

test('pad, pad2d, pad_constant_like, crop, crop_tensor, random_crop', () => {
  assertClose(L.pad(f32([[1, 2]]), [1, 0, 0, 1], 9), [[9, 9, 9], [1, 2, 9]]);
  assertClose(L.pad2d(f32([[[[1, 2], [3, 4]]]]), [1, 0, 0, 1], 'reflect'), [[[[3, 4, 3], [1, 2, 1], [3, 4, 3]]]]);
  assertClose(L.pad2d(f32([[[[1, 2], [3, 4]]]]), [0, 0, 1, 1], 'edge'), [[[[1, 1, 2, 2], [3, 3, 4, 4]]]]);
  assertClose(L.pad_constant_like(paddle.ones([3, 3]), f32([[1, 2], [3, 4]]), -1), [[1, 2, -1], [3, 4, -1], [-1, -1, -1]]);
  assertThrows(() => L.pad_constant_like(paddle.ones([1, 3]), f32([[1, 2], [3, 4]])), IAE, />= Y's/);
  const m = paddle.arange(0, 12, 1, 'float32').reshape([3, 4]);
  assertClose(L.crop(m, [2, 2], [1, 1]), [[5, 6], [9, 10]]);
  assertClose(L.crop(m, paddle.zeros([1, 3]), paddle.to_tensor([2, 1], { dtype: 'int32' })), [[9, 10, 11]]);
  assertClose(L.crop_tensor(m, [-1, 2], [1, 2]), [[6, 7], [10, 11]]);
  assertClose(L.crop_tensor(m, paddle.to_tensor([1, 2], { dtype: 'int32' })), [[0, 1]]);
  assertClose(L.crop_tensor(m, [2, paddle.to_tensor([1], { dtype: 'int32' })], [1, 3]), [[7], [11]]);
  assertThrows(() => L.crop_tensor(m, [0, 2]), IAE, /should not be zero/);
  assertThrows(() => L.crop_tensor(m, [3, 3], [1, 0]), IAE, /must not exceed/);
  const img = paddle.arange(0, 2 * 5 * 5, 1, 'float32').reshape([2, 5, 5]);
  const rc = L.random_crop(img, [3, 3], 7);
  assert.deepEqual(rc.shape, [2, 3, 3]);
  // each crop is a contiguous window of its image
  for (const b of [0, 1]) {
    const v = rc.getitem(b).tolist() as number[][];
    const top = v[0][0] - b * 25;
    assert.deepEqual(v, [0, 1, 2].map((r) => [0, 1, 2].map((c) => top + b * 25 + r * 5 + c)));
  }
  assert.deepEqual(L.random_crop(img, [3, 3], 7).tolist(), rc.tolist());
});

test('gather, gather_nd, scatter, affine_grid, grid_sampler, pixel_shuffle, space_to_depth, shuffle_channel', () => {
  const m = paddle.arange(0, 6, 1, 'float32').reshape([3, 2]);
  assertClose(L.gather(m, i64([2, 0])), [[4, 5], [0, 1]]);
  assertClose(L.gather_nd(m, i64([[1, 1], [2, 0]])), [3, 4]);
  assertClose(L.scatter(m, i64([1]), f32([[9, 9]])), [[0, 1], [9, 9], [4, 5]]);
  assertClose(L.scatter(m, i64([1, 1]), f32([[1, 1], [2, 2]]), null, false), [[0, 1], [3, 3], [4, 5]]);
  const grid = L.affine_grid(f32([[[1, 0, 0], [0, 1, 0]]]), [1, 1, 2, 2]);
  assertClose(grid, [[[[-1, -1], [1, -1]], [[-1, 1], [1, 1]]]]);
  const img = f32([[[[0, 1], [2, 3]]]]);
  assertClose(L.grid_sampler(img, grid), img);
  assertClose(L.pixel_shuffle(paddle.arange(0, 4, 1, 'float32').reshape([1, 4, 1, 1]), 2), [[[[0, 1], [2, 3]]]]);
  // space_to_depth: Paddle's unit-test reference (test_space_to_depth_op.py's helper)
  const s2d = L.space_to_depth(paddle.arange(0, 16, 1, 'float32').reshape([1, 4, 2, 2]), 2);
  assert.deepEqual(s2d.shape, [1, 16, 1, 1]);
  assert.deepEqual(s2d.flatten().tolist(), [0, 4, 1, 5, 8, 12, 9, 13, 2, 6, 3, 7, 10, 14, 11, 15]);
  assertThrows(() => L.space_to_depth(paddle.ones([1, 2, 2, 2]), 2), IAE, /divisible by the square of blocksize/);
  const sc = L.shuffle_channel(paddle.arange(0, 12, 1, 'float32').reshape([1, 6, 1, 2]), 2);
  assert.deepEqual(sc.flatten().tolist(), [0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11]);
});

test('affine_channel, similarity_focus, hash, add_position_encoding, fsp_matrix, continuous_value_model, sampling_id', () => {
  const x = paddle.arange(0, 8, 1, 'float32').reshape([1, 2, 2, 2]);
  assertClose(L.affine_channel(x, f32([1, 2]), f32([0, -1])), [[[[0, 1], [2, 3]], [[7, 9], [11, 13]]]]);
  assertClose(L.affine_channel(x, f32([1, -1]), f32([0, 0]), 'NHWC', null, 'relu'), [[[[0, 0], [2, 0]], [[4, 0], [6, 0]]]]);
  // similarity_focus: Paddle's documented example (axis 1, indexes [0])
  const sf = f32([[[[0.8, 0.1], [0.4, 0.5]], [[0.9, 0.7], [0.9, 0.9]], [[0.8, 0.9], [0.1, 0.2]]], [[[0.2, 0.5], [0.3, 0.4]], [[0.9, 0.7], [0.8, 0.4]], [[0.0, 0.2], [0.4, 0.7]]]]);
  assertClose(L.similarity_focus(sf, 1, [0]), [[[[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]], [[[0, 1], [1, 0]], [[0, 1], [1, 0]], [[0, 1], [1, 0]]]]);
  // hash: Paddle's documented example (XXH64 of each row's bytes, mod hash_size)
  const h = L.hash(paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'int32' }), 1000, 4);
  assert.deepEqual(h.tolist(), [[[722], [407], [337], [395]], [[603], [590], [386], [901]]]);
  // add_position_encoding: alpha x + beta [sin(j / 10000^(k/(half-1))), cos(...)]
  const pe = L.add_position_encoding(paddle.zeros([1, 2, 4]), 1, 1);
  assertClose(pe, [[[0, 0, 1, 1], [Math.sin(1), Math.sin(1 / 10000), Math.cos(1), Math.cos(1 / 10000)]]], 1e-6);
  const a = f32([[[[1, 2]], [[3, 4]]]]);
  assertClose(L.fsp_matrix(a, a), [[[2.5, 5.5], [5.5, 12.5]]]);
  assertClose(L.continuous_value_model(f32([[1, 3, 5, 6]]), f32([[1, 1]]), false), [[5, 6]]);
  paddle.seed(5);
  const ids = L.sampling_id(f32([[0, 1, 0], [1, 0, 0], [0, 0, 1]]));
  assert.equal(ids.dtype, 'int64');
  assert.deepEqual(ids.tolist(), [1, 0, 2]);
  assertThrows(() => L.similarity_focus(sf, 0, [0]), IAE, /axis must be 1, 2 or 3/);
});

test('random: uniform_random, gaussian_random; selected-rows stand-ins; filter_by_instag keeps tagged rows', () => {
  paddle.seed(2);
  const u = L.uniform_random([1000], 'float32', 2, 3);
  const uv = u.tolist() as number[];
  assert.ok(uv.every((v) => v >= 2 && v < 3));
  const g = L.gaussian_random([4000], 1, 2, 0, 'float64');
  assert.equal(g.dtype, 'float64');
  const gv = g.tolist() as number[];
  const mean = gv.reduce((s, v) => s + v, 0) / gv.length;
  assert.ok(Math.abs(mean - 1) < 0.15, `mean ${mean}`);
  assert.deepEqual(L.uniform_random([2, paddle.to_tensor([3], { dtype: 'int32' })]).shape, [2, 3]);
  assertClose(L.get_tensor_from_selected_rows(X()), X());
  assertClose(L.merge_selected_rows(X()), X());
  assertThrows(() => L.uniform_random([2], 'int32'), IAE, /float32, float64/);
});
