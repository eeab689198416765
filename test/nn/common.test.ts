// Common layers and F.linear: Dropout / Dropout2D / Dropout3D / AlphaDropout follow
// train()/eval(); Bilinear, PixelShuffle, CosineSimilarity, PairwiseDistance forward to
// their functionals; parameters, defaults, reprs and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;
const nn = paddle.nn;
const E = paddle.errors.InvalidArgumentError;
const f64 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float64' });

test('F.linear: x @ W + b (Paddle docstring example), matmul + elementwise_add in static mode, gradient', () => {
  const x = paddle.to_tensor([[-0.32342386, -1.200079], [0.7979031, -0.90978354], [0.40597573, 1.8095392]], { dtype: 'float32' });
  const w = paddle.full([2, 4], 0.5, 'float32');
  const b = paddle.ones([4], 'float32');
  const y = F.linear(x, w, b);
  assert.deepEqual(y.shape, [3, 4]);
  assertClose(y, [0.23824859, 0.23824859, 0.23824859, 0.23824859, 0.9440598, 0.9440598, 0.9440598, 0.9440598, 2.1077576, 2.1077576, 2.1077576, 2.1077576]);
  assertClose(F.linear(x, w), [-0.76175141, -0.76175141, -0.76175141, -0.76175141, -0.0559402, -0.0559402, -0.0559402, -0.0559402, 1.1077576, 1.1077576, 1.1077576, 1.1077576]);
  // higher-rank input applies to the last dim
  assert.deepEqual(F.linear(paddle.ones([2, 5, 2]), w, b).shape, [2, 5, 4]);
  checkGrad((a, c, d) => F.linear(a, c, d), [randTensor([2, 3, 4]), randTensor([4, 5]), randTensor([5])]);
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const xs = paddle.static.data('x', [null, 3, 2], 'float32');
      const ws = paddle.static.data('w', [2, 4], 'float32');
      const bs = paddle.static.data('b', [4], 'float32');
      F.linear(xs, ws, bs);
      const ops = main.global_block().ops;
      assert.deepEqual(ops.map((o) => o.type), ['matmul', 'elementwise_add']);
      assert.equal(ops[1].attr('axis'), 2);
      assert.equal(ops[0].attr('transpose_Y'), false);
    });
  } finally {
    paddle.disable_static();
  }
  assertThrows(() => F.linear(paddle.ones([2, 3], 'int32'), w), E, /paddle\.nn\.functional\.linear/, /float16, float32, float64/);
});

test('nn.Dropout follows train()/eval(), with both modes and axis', () => {
  paddle.seed(1);
  const d = new nn.Dropout(0.5);
  assert.equal(d.training, true);
  const x = paddle.ones([40, 50]);
  const v = Array.from(d(x).numpy() as Float32Array);
  assert.ok(v.every((e) => e === 0 || e === 2));
  const zeros = v.filter((e) => e === 0).length / v.length;
  assert.ok(Math.abs(zeros - 0.5) < 0.03);
  d.eval();
  assert.deepEqual(Array.from(d(x).numpy() as Float32Array), new Array(2000).fill(1));
  const dd = new nn.Dropout({ p: 0.2, mode: 'downscale_in_infer' });
  dd.eval();
  assertClose(dd(paddle.ones([3])), [0.8, 0.8, 0.8]);
  dd.train();
  assert.ok(Array.from(dd(paddle.ones([100])).numpy() as Float32Array).every((e) => e === 0 || e === 1));
  const da = new nn.Dropout(0.5, 1);
  const va = Array.from(da(x).numpy() as Float32Array);
  for (let j = 0; j < 50; j++) for (let i = 1; i < 40; i++) assert.equal(va[i * 50 + j], va[j]);
  // in a parent net, eval() reaches the dropout
  const net = new nn.Sequential(new nn.Linear(4, 4), new nn.Dropout(0.9));
  net.eval();
  const inp = paddle.ones([2, 4]);
  assertClose(net(inp), (net[0] as paddle.nn.Linear)(inp));
  assert.equal(String(d), 'Dropout(p=0.5, axis=None, mode=upscale_in_train)');
  assert.equal(String(new nn.Dropout(0.1, [0, 1], 'downscale_in_infer', 'drop')), 'Dropout(p=0.1, axis=[0, 1], mode=downscale_in_infer, name=drop)');
  assertThrows(() => new nn.Dropout(0.5, 'a' as never), E, /paddle\.nn\.Dropout/, /'axis'/);
  assertThrows(() => new nn.Dropout(2)(x), E, /between 0 and 1/);
});

test('nn.Dropout2D / Dropout3D / AlphaDropout follow train()/eval()', () => {
  paddle.seed(2);
  const d2 = new nn.Dropout2D(0.5);
  const x4 = paddle.ones([3, 4, 2, 2]);
  const v = Array.from(d2(x4).numpy() as Float32Array);
  for (let nc = 0; nc < 12; nc++) assert.ok(v.slice(nc * 4, nc * 4 + 4).every((e) => e === v[nc * 4]));
  d2.eval();
  assert.deepEqual(Array.from(d2(x4).numpy() as Float32Array), new Array(48).fill(1));
  const d3 = new nn.Dropout3D({ p: 0.5, data_format: 'NDHWC' });
  assert.deepEqual(d3(paddle.ones([2, 2, 2, 2, 3])).shape, [2, 2, 2, 2, 3]);
  assert.equal(String(d3), 'Dropout3D(p=0.5, data_format=NDHWC)');
  const ad = new nn.AlphaDropout(0.5);
  const xa = paddle.to_tensor([[-1, 1], [-1, 1]], { dtype: 'float32' });
  for (const e of Array.from(ad(xa).numpy() as Float32Array)) assert.ok([-0.10721093, 1.6655989, -0.7791938].some((t) => Math.abs(t - e) < 1e-5));
  ad.eval();
  assert.deepEqual(ad(xa).tolist(), [[-1, 1], [-1, 1]]);
  assert.equal(String(ad), 'AlphaDropout(p=0.5)');
  assertThrows(() => new nn.Dropout2D(0.5, 'NCL')(x4), E, /data_format/);
});

test('nn.Bilinear: parameters [out, in1, in2] and [1, out], forward, gradients', () => {
  paddle.seed(3);
  const layer = new nn.Bilinear(5, 4, 6);
  assert.deepEqual(layer.weight.shape, [6, 5, 4]);
  assert.deepEqual(layer.bias!.shape, [1, 6]);
  assert.deepEqual(layer.bias!.tolist(), [[0, 0, 0, 0, 0, 0]]);
  assert.deepEqual(Object.keys(layer.state_dict()), ['weight', 'bias']);
  const x1 = paddle.rand([3, 5]);
  const x2 = paddle.rand([3, 4]);
  const y = layer(x1, x2);
  assert.deepEqual(y.shape, [3, 6]);
  assertClose(y, F.bilinear(x1, x2, layer.weight, layer.bias));
  y.sum().backward();
  assert.deepEqual(layer.weight.grad!.shape, [6, 5, 4]);
  assertClose(layer.bias!.grad!, [[3, 3, 3, 3, 3, 3]]);
  const nob = new nn.Bilinear(2, 2, 1, { bias_attr: false });
  assert.equal(nob.bias, null);
  assert.equal(String(nob), 'Bilinear(in1_features=2, in2_features=2, out_features=1, dtype=float32)');
  assertThrows(() => new nn.Bilinear(0, 2, 3), E, /in1_features must be greater than 0/);
});

test('nn.PixelShuffle, nn.CosineSimilarity, nn.PairwiseDistance', () => {
  const ps = new nn.PixelShuffle(3);
  assert.deepEqual(ps(paddle.ones([2, 9, 4, 4])).shape, [2, 1, 12, 12]);
  assert.equal(String(ps), 'PixelShuffle(upscale_factor=3)');
  assert.equal(String(new nn.PixelShuffle(2, 'NHWC')), 'PixelShuffle(upscale_factor=2, data_format=NHWC)');
  assertThrows(() => new nn.PixelShuffle(2, 'NCL'), E, /paddle\.nn\.PixelShuffle/, /NCHW/);
  assertThrows(() => new nn.PixelShuffle(2.5), E, /'upscale_factor'/);
  const cs = new nn.CosineSimilarity({ axis: 0 });
  const a = f64([[0.3, -1.2, 2.0], [1.5, 0.4, -0.7]]);
  const b = f64([[1.0, 0.5, -0.2], [-0.3, 2.2, 0.9]]);
  assertClose(cs(a, b), [-0.0939225946, 0.0981158451, -0.527235435], 1e-8, 1e-9);
  assert.equal(String(cs), 'CosineSimilarity(axis=0, eps=1e-8)');
  // PairwiseDistance: Paddle's docstring example gives [5, 5]
  const pd = new nn.PairwiseDistance();
  const x = f64([[1, 3], [3, 5]]);
  const y = f64([[5, 6], [7, 8]]);
  const d = pd(x, y);
  assert.deepEqual(d.shape, [2]);
  assertClose(d, [5, 5], 1e-12, 1e-12);
  // NumPy: p-norms of x - y = [[-4, -3], [-4, -3]]
  assertClose(new nn.PairwiseDistance(1)(x, y), [7, 7]);
  const kd = new nn.PairwiseDistance({ p: 3, keepdim: true })(x, y);
  assert.deepEqual(kd.shape, [2, 1]);
  assertClose(kd, [4.497941445, 4.497941445], 1e-8);
  checkGrad((u, v) => new nn.PairwiseDistance()(u, v), [randTensor([3, 4]), randTensor([3, 4])]);
  assert.equal(String(pd), 'PairwiseDistance(p=2)');
  assertThrows(() => pd(paddle.to_tensor([[1, 2]]), paddle.to_tensor([[1, 2]])), E, /float32 or float64/);
});
