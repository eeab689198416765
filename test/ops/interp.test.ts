// Resizing: F.interpolate / F.upsample through the *_interp_v2 operators, the v1 operators
// of 1.x programs, and the Upsample layers. Expected values come from a NumPy reference
// written from Paddle's maps: ratio = in/out (or 1/scale when a scale is given, v2 only),
// (in-1)/(out-1) with align_corners; linear source = (dst+0.5)*ratio-0.5 clamped at 0 for
// align_mode=0 without align_corners, else dst*ratio; nearest = floor(dst*ratio) (+0.5 with
// align_corners); bicubic Keys A=-0.75 with clamped taps. Gradients by finite differences.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;
const nn = paddle.nn;
const E = paddle.errors.InvalidArgumentError;

function D(shape: number[], dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Array.from({ length: n }, (_, i) => (((i * 7) % 23) - 11) * 0.5), { dtype }).reshape(shape);
}
const X1 = (dtype: 'float32' | 'float64' = 'float64'): Tensor => D([1, 1, 3, 4], dtype);
const toNCHW = (t: Tensor): Tensor => paddle.transpose(t, [0, 3, 1, 2]);
const toNHWC = (t: Tensor): Tensor => paddle.transpose(t, [0, 2, 3, 1]);

const BILINEAR_57: Record<string, number[]> = {
  // align_corners=False, align_mode=0 (half pixel)
  '0': [-5.5, -4.25, -2.25, -0.2499996, 1.75, 3.750001, 5.0, -4.5, -3.25, -1.25, 0.7500005, 2.421429, 1.792857, 1.4, -3.0, -1.75, 0.2500003, 2.25, 3.42857, -1.142859, -4.0, -1.5, -0.2499997, 1.75, 0.2999993, -1.478572, -2.107143, -2.5, -0.5, 0.7500001, 2.75, -1.000001, -4.75, -2.749999, -1.5],
  // align_corners=False, align_mode=1 (src = dst * in/out)
  '1': [-5.5, -3.5, -1.5, 0.5000003, 2.5, 4.5, 5.0, -4.0, -2.0, 2.384186e-07, 2.0, 2.028571, 0.08571368, -0.4000002, -2.5, -0.4999998, 1.171429, 1.857143, 0.5714277, -2.685715, -3.5, -0.9999998, 1.0, 1.685714, -1.571429, -2.857143, -2.171428, -2.0, -0.5, 1.5, 1.857142, -2.714286, -4.0, -2.0, -1.5],
  // align_corners=True
  ac: [-5.5, -3.75, -2.0, -0.25, 1.5, 3.25, 5.0, -4.25, -2.5, -0.75, 1.0, 2.75, 1.625, 0.5, -3.0, -1.25, 0.5, 2.25, 4.0, 0.0, -4.0, -1.75, 0.0, 1.75, 0.625, -0.5, -1.625, -2.75, -0.5, 1.25, 3.0, -1.0, -5.0, -3.25, -1.5],
};

test('nearest: size, scale_factor, downsampling (floor of dst * in/out, no half pixel)', () => {
  const x = D([1, 2, 3, 4]);
  const y = F.interpolate(x, [5, 7]);
  assertTensor(y, [1, 2, 5, 7], 'float64');
  assertClose(y, [-5.5, -5.5, -2.0, -2.0, 1.5, 1.5, 5.0, -5.5, -5.5, -2.0, -2.0, 1.5, 1.5, 5.0, -3.0, -3.0, 0.5, 0.5, 4.0, 4.0, -4.0, -3.0, -3.0, 0.5, 0.5, 4.0, 4.0, -4.0, -0.5, -0.5, 3.0, 3.0, -5.0, -5.0, -1.5, 2.0, 2.0, 5.5, 5.5, -2.5, -2.5, 1.0, 2.0, 2.0, 5.5, 5.5, -2.5, -2.5, 1.0, 4.5, 4.5, -3.5, -3.5, 0.0, 0.0, 3.5, 4.5, 4.5, -3.5, -3.5, 0.0, 0.0, 3.5, -4.5, -4.5, -1.0, -1.0, 2.5, 2.5, -5.5]);
  const s = F.interpolate(X1(), { scale_factor: 2 });
  assertTensor(s, [1, 1, 6, 8], 'float64');
  assertClose(s.getitem(0, 0, 0), [-5.5, -5.5, -2.0, -2.0, 1.5, 1.5, 5.0, 5.0]);
  assertClose(s.getitem(0, 0, 5), [-0.5, -0.5, 3.0, 3.0, -5.0, -5.0, -1.5, -1.5]);
  assertClose(F.interpolate(X1(), [2, 3]), [-5.5, -2.0, 1.5, -3.0, 0.5, 4.0]);
  // the nearest op with align_corners=True (fluid's resize_nearest) rounds ratio * dst + 0.5 down
  const ac = dispatch('nearest_interp_v2', { X: [X1()] }, { out_h: 5, out_w: 7, interp_method: 'nearest', align_corners: true }).Out[0];
  assertClose(ac, [-5.5, -2.0, -2.0, 1.5, 1.5, 5.0, 5.0, -3.0, 0.5, 0.5, 4.0, 4.0, -4.0, -4.0, -3.0, 0.5, 0.5, 4.0, 4.0, -4.0, -4.0, -0.5, 3.0, 3.0, -5.0, -5.0, -1.5, -1.5, -0.5, 3.0, 3.0, -5.0, -5.0, -1.5, -1.5]);
  // NHWC
  assertClose(F.interpolate(toNHWC(x), [5, 7], { data_format: 'NHWC' }), toNHWC(y));
});

test('bilinear: align_corners False/True, align_mode 0/1, downsampling, float32, NHWC', () => {
  const x = X1();
  assertClose(F.interpolate(x, [5, 7], { mode: 'bilinear' }), BILINEAR_57['0'], 1e-6, 1e-6);
  assertClose(F.interpolate(x, [5, 7], { mode: 'bilinear', align_mode: 1 }), BILINEAR_57['1'], 1e-6, 1e-6);
  assertClose(F.interpolate(x, [5, 7], { mode: 'bilinear', align_corners: true }), BILINEAR_57.ac, 1e-6, 1e-6);
  // align_mode is ignored with align_corners
  assertClose(F.interpolate(x, [5, 7], { mode: 'bilinear', align_corners: true, align_mode: 1 }), BILINEAR_57.ac, 1e-6, 1e-6);
  assertClose(F.interpolate(x, [2, 3], { mode: 'bilinear' }), [-4.291667, 0.3750002, 2.645833, -0.5416666, -0.1875003, -2.229167], 1e-6, 1e-6);
  const y32 = F.interpolate(X1('float32'), [5, 7], { mode: 'BILINEAR' });
  assertTensor(y32, [1, 1, 5, 7], 'float32');
  assertClose(y32, BILINEAR_57['0'], 1e-5, 1e-5);
  // channel last
  const xl = toNHWC(D([2, 3, 3, 4]));
  assertClose(F.interpolate(xl, [5, 7], { mode: 'bilinear', data_format: 'NHWC' }), toNHWC(F.interpolate(toNCHW(xl), [5, 7], { mode: 'bilinear' })), 1e-12, 1e-12);
  // same size: a copy
  assertClose(F.interpolate(x, [3, 4], { mode: 'bilinear', align_corners: true }), x);
});

test('scale_factor: out = int(in * scale) and the ratio is 1/scale (v2)', () => {
  const x = X1();
  const y = F.interpolate(x, { scale_factor: 1.5, mode: 'bilinear' });
  assertTensor(y, [1, 1, 4, 6], 'float64');
  assertClose(y, [-5.5, -3.75, -1.416666, 0.9166668, 3.25, 5.0, -4.25, -2.5, -0.1666665, 2.166667, 1.625, 0.5, -2.583333, -0.8333332, 1.180556, 2.236111, -0.5416676, -3.583333, -0.9166666, 0.8333334, 1.569444, -2.486112, -2.708333, -1.916667], 1e-6, 1e-6);
  const z = F.interpolate(x, { scale_factor: [1.7, 0.6], mode: 'bilinear' });
  assertTensor(z, [1, 1, 5, 2], 'float64');
  assertClose(z, [-4.333333, 1.5, -3.377451, 2.455882, -1.906863, 3.92647, -0.4362749, -1.02941, 0.6666666, -5.0], 1e-6, 1e-6);
  // a Tensor scale_factor and a Tensor size are read in dygraph
  assertClose(F.interpolate(x, { scale_factor: paddle.to_tensor([1.7, 0.6]), mode: 'bilinear' }), z);
  assertClose(F.interpolate(x, { size: paddle.to_tensor([5, 7], { dtype: 'int32' }), mode: 'bilinear' }), BILINEAR_57['0'], 1e-6, 1e-6);
  assertClose(F.interpolate(x, { size: [paddle.to_tensor([5]), 7], mode: 'bilinear' }), BILINEAR_57['0'], 1e-6, 1e-6);
});

test('bicubic (align_corners False/True), linear (3-D), trilinear (5-D)', () => {
  const x = X1();
  assertClose(F.interpolate(x, [5, 6], { mode: 'bicubic' }), [-6.043819, -4.318125, -1.513796, 0.4187966, 3.890125, 6.263653, -5.013819, -3.36575, -0.2539556, 2.712998, 2.62875, 1.172618, -3.303819, -1.578125, 1.445024, 4.252893, 0.3281238, -4.694445, -1.593819, 0.7916879, 2.037127, -0.6040868, -2.554688, -3.273381, -0.5638194, 2.3435, 2.157296, -4.896297, -4.415499, -0.860347], 1e-6, 1e-6);
  assertClose(F.interpolate(x, [5, 6], { mode: 'bicubic', align_corners: true }), [-5.5, -3.736, -1.132, 0.6320003, 3.236, 5.0, -4.484375, -2.836812, 0.2372503, 3.1915, 2.796875, 0.2656247, -3.0, -1.236, 1.644, 4.236, 1.273999, -4.000001, -1.515625, 0.8693751, 2.00425, 0.5338747, -1.799938, -3.59375, -0.5, 2.506, 1.844, -3.844001, -4.506, -1.5], 1e-6, 1e-6);
  const z = D([1, 2, 5]);
  const L: Record<string, number[]> = {
    '0': [-5.5, -3.96875, -1.78125, 0.40625, 2.59375, 4.78125, 0.5, -3.0, 0.5, 2.03125, 3.5, -1.5, -2.90625, -0.71875, 1.46875, 3.0],
    '1': [-5.5, -3.3125, -1.125, 1.0625, 3.25, 4.0, -1.0, -3.0, 0.5, 2.6875, 2.0, -3.0, -2.25, -0.0625, 2.125, 3.0],
    ac: [-5.5, -3.5, -1.5, 0.5000003, 2.5, 4.5, 1.571427, -3.0, 0.5, 2.5, 2.857142, -1.714286, -3.0, -0.9999996, 1.000001, 3.0],
  };
  const l0 = F.interpolate(z, [8], { mode: 'linear', data_format: 'NCW' });
  assertTensor(l0, [1, 2, 8], 'float64');
  assertClose(l0, L['0'], 1e-6, 1e-6);
  assertClose(F.interpolate(z, [8], { mode: 'linear', align_mode: 1, data_format: 'NCW' }), L['1'], 1e-6, 1e-6);
  assertClose(F.interpolate(z, [8], { mode: 'linear', align_corners: true, data_format: 'NCW' }), L.ac, 1e-6, 1e-6);
  assertClose(F.interpolate(paddle.transpose(z, [0, 2, 1]), [8], { mode: 'linear', data_format: 'NWC' }), paddle.transpose(l0, [0, 2, 1]), 1e-12, 1e-12);
  const v = D([1, 1, 2, 3, 2]);
  const t0 = F.interpolate(v, [3, 4, 3], { mode: 'trilinear', data_format: 'NCDHW' });
  assertTensor(t0, [1, 1, 3, 4, 3], 'float64');
  assertClose(t0, [-5.5, -3.75, -2.0, -1.125, 0.625, 2.375, -0.1875, 1.5625, 3.3125, -3.0, -1.25, 0.5, -0.75, -1.875, -3.0, 0.03125, 0.703125, 1.375, -1.1875, 0.5625, 2.3125, -4.0, -2.25, -0.5, 4.0, 0.0, -4.0, 1.1875, 0.78125, 0.375, -2.1875, -0.4375, 1.3125, -5.0, -3.25, -1.5], 1e-6, 1e-6);
  assertClose(F.interpolate(v, [3, 4, 3], { mode: 'trilinear', align_corners: true, data_format: 'NCDHW' }), [-5.5, -3.75, -2.0, -0.8333332, 0.9166668, 2.666667, -1.788139e-07, 1.75, 3.5, -3.0, -1.25, 0.5, -0.75, -1.875, -3.0, 0.08333336, 0.8750001, 1.666667, -1.0, 0.7499998, 2.5, -4.0, -2.25, -0.5, 4.0, 0.0, -4.0, 0.9999999, 0.8333334, 0.6666668, -2.0, -0.2500002, 1.5, -5.0, -3.25, -1.5], 1e-6, 1e-6);
  const vl = paddle.transpose(D([1, 2, 2, 3, 2]), [0, 2, 3, 4, 1]);
  assertClose(F.interpolate(vl, { scale_factor: 2, mode: 'trilinear', data_format: 'NDHWC' }),
    paddle.transpose(F.interpolate(paddle.transpose(vl, [0, 4, 1, 2, 3]), { scale_factor: 2, mode: 'trilinear', data_format: 'NCDHW' }), [0, 2, 3, 4, 1]), 1e-12, 1e-12);
});

test('uint8 images (truncated), area mode, upsample alias', () => {
  const u = paddle.to_tensor([[[[0, 255], [100, 50]]]], { dtype: 'uint8' });
  const y = F.interpolate(u, [3, 3], { mode: 'bilinear' });
  assertTensor(y, [1, 1, 3, 3], 'uint8', [[[[0, 127, 255], [50, 101, 152], [100, 75, 50]]]]);
  assertTensor(F.interpolate(u, { scale_factor: 2 }), [1, 1, 4, 4], 'uint8', [[[[0, 0, 255, 255], [0, 0, 255, 255], [100, 100, 50, 50], [100, 100, 50, 50]]]]);
  // 'area' is adaptive average pooling
  const x = D([1, 2, 5, 7]);
  assertClose(F.interpolate(x, [3, 4], { mode: 'area' }), F.adaptive_avg_pool2d(x, [3, 4]));
  assertClose(F.interpolate(D([1, 2, 7]), [3], { mode: 'area' }), F.adaptive_avg_pool1d(D([1, 2, 7]), 3));
  assertClose(F.upsample(X1(), [5, 7], null, 'bilinear'), BILINEAR_57['0'], 1e-6, 1e-6);
});

test('interpolation gradients (finite differences) and double gradients', () => {
  const x = randTensor([1, 2, 3, 4]);
  for (const [mode, ac, am] of [['nearest', false, 0], ['bilinear', false, 0], ['bilinear', false, 1], ['bilinear', true, 0], ['bicubic', false, 0], ['bicubic', true, 0]] as const) {
    checkGrad((t) => F.interpolate(t, [5, 7], { mode, align_corners: ac, align_mode: am }), [x]);
    checkGrad((t) => F.interpolate(t, [2, 3], { mode, align_corners: ac, align_mode: am }), [x]);
  }
  checkGrad((t) => F.interpolate(t, { scale_factor: [1.7, 0.6], mode: 'bilinear', data_format: 'NHWC' }), [randTensor([1, 3, 4, 2])]);
  checkGrad((t) => F.interpolate(t, [8], { mode: 'linear', data_format: 'NCW' }), [randTensor([1, 2, 5])]);
  checkGrad((t) => F.interpolate(t, [3, 4, 3], { mode: 'trilinear', align_corners: true, data_format: 'NCDHW' }), [randTensor([1, 1, 2, 3, 2])]);
  // same size (a copy) still differentiates
  checkGrad((t) => F.interpolate(t, [3, 4], { mode: 'bilinear' }), [x]);
  // d(grad)/d(incoming gradient) is the forward resize
  for (const mode of ['bilinear', 'nearest', 'bicubic'] as const) {
    checkGrad((v) => {
      const xx = paddle.to_tensor(x.numpy() as never, { dtype: 'float64', stop_gradient: false }).reshape(x.shape);
      return paddle.grad([F.interpolate(xx, [5, 7], { mode })], [xx], [v], { create_graph: true })[0]!;
    }, [randTensor([1, 2, 5, 7])]);
  }
});

test('v1 operators (1.x programs): align_corners=True, align_mode=1 by default; a scale does not change the ratio', () => {
  const x = X1();
  const y = dispatch('bilinear_interp', { X: [x] }, { out_h: 5, out_w: 7, interp_method: 'bilinear' }).Out[0];
  assertClose(y, BILINEAR_57.ac, 1e-6, 1e-6);
  // v1 scale 1.5: out [4, 6], ratio in/out (v2 would use 1/scale)
  const s = dispatch('bilinear_interp', { X: [x] }, { scale: 1.5, interp_method: 'bilinear', align_corners: false, align_mode: 0 }).Out[0];
  assertTensor(s, [1, 1, 4, 6], 'float64');
  assertClose(s, [-5.5, -3.75, -1.416666, 0.9166668, 3.25, 5.0, -3.9375, -2.1875, 0.1458335, 2.479167, 1.21875, -0.625, -2.0625, -0.3125, 1.302083, 0.7604166, -1.21875, -3.0625, -0.5, 1.25, 1.666666, -3.666667, -3.25, -1.5], 1e-6, 1e-6);
  const n = dispatch('nearest_interp', { X: [x] }, { out_h: 4, out_w: 6, interp_method: 'nearest' }).Out[0];
  assertClose(n, [-5.5, -2.0, -2.0, 1.5, 1.5, 5.0, -3.0, 0.5, 0.5, 4.0, 4.0, -4.0, -3.0, 0.5, 0.5, 4.0, 4.0, -4.0, -0.5, 3.0, 3.0, -5.0, -5.0, -1.5]);
  // OutSize overrides the attributes; SizeTensor overrides everything
  const o = dispatch('bilinear_interp_v2', { X: [x], OutSize: [paddle.to_tensor([5, 7], { dtype: 'int32' })] }, { out_h: 2, out_w: 2, interp_method: 'bilinear', align_corners: false, align_mode: 0 }).Out[0];
  assertClose(o, BILINEAR_57['0'], 1e-6, 1e-6);
  const st = dispatch('bilinear_interp_v2', { X: [x], SizeTensor: [paddle.to_tensor([5], { dtype: 'int32' }), paddle.to_tensor([7], { dtype: 'int32' })], OutSize: [paddle.to_tensor([2, 2], { dtype: 'int32' })] },
    { interp_method: 'bilinear', align_corners: true }).Out[0];
  assertClose(st, BILINEAR_57.ac, 1e-6, 1e-6);
  checkGrad((t) => dispatch('bilinear_interp', { X: [t] }, { scale: 1.5, interp_method: 'bilinear' }).Out[0], [randTensor([1, 1, 3, 4])]);
});

test('Upsample, UpsamplingNearest2D, UpsamplingBilinear2D (align_corners=True)', () => {
  const x = X1();
  assertClose(new nn.Upsample({ size: [5, 7], mode: 'bilinear' })(x), BILINEAR_57['0'], 1e-6, 1e-6);
  assertClose(new nn.Upsample([5, 7], null, 'BILINEAR', true)(x), BILINEAR_57.ac, 1e-6, 1e-6);
  assertClose(new nn.UpsamplingBilinear2D([5, 7])(x), BILINEAR_57.ac, 1e-6, 1e-6);
  assertClose(new nn.UpsamplingNearest2D({ scale_factor: 2 })(x), F.interpolate(x, { scale_factor: 2 }));
  assert.equal(String(new nn.Upsample({ scale_factor: 2 })), 'Upsample(scale_factor=2, mode=nearest, align_corners=False, align_mode=0, data_format=NCHW)');
  assert.equal(String(new nn.UpsamplingBilinear2D({ size: [4, 4] })), 'UpsamplingBilinear2D(size=[4, 4], data_format=NCHW)');
});

test('static mode: a Tensor size becomes OutSize; Tensors in the size list become SizeTensor; a Tensor scale becomes Scale', () => {
  const feed = X1('float32');
  const expect = F.interpolate(feed, [5, 7], { mode: 'bilinear' });
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const x = paddle.static.data('x', [null, 1, 3, 4], 'float32');
      const a = F.interpolate(x, [5, 7], { mode: 'bilinear' });
      assert.deepEqual(a.shape, [-1, 1, 5, 7]);
      const sz = paddle.static.data('sz', [2], 'int32');
      const b = F.interpolate(x, { size: sz, mode: 'bilinear' });
      assert.deepEqual(b.shape, [-1, 1, -1, -1]);
      const h = paddle.static.data('h', [1], 'int32');
      const c = F.interpolate(x, { size: [h, 7], mode: 'bilinear' });
      const sc = paddle.static.data('sc', [1], 'float32');
      const d = F.interpolate(x, { scale_factor: sc, mode: 'nearest' });
      const ops = main.global_block().ops;
      assert.ok(ops.filter((o) => o.type === 'bilinear_interp_v2').length === 3);
      assert.deepEqual(ops[0].attr('scale'), []);
      assert.equal(ops[0].attr('out_h'), 5);
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      const i32 = (v: number[]): Tensor => paddle.to_tensor(v, { dtype: 'int32' });
      const outs = exe.run(main, { feed: { x: feed, sz: i32([5, 7]), h: i32([5]), sc: paddle.to_tensor([2], { dtype: 'float32' }) }, fetch_list: [a, b, c, d] }) as Tensor[];
      for (const t of outs.slice(0, 3)) assertClose(t, expect, 1e-6, 1e-6);
      assert.deepEqual(outs[3].shape, [1, 1, 6, 8]);
    });
  } finally {
    paddle.disable_static();
  }
});

test('interpolate errors', () => {
  const x = X1();
  assertThrows(() => F.interpolate(x, [5, 7], { mode: 'cubic' }), E, /interpolate: mode can only be/);
  assertThrows(() => F.interpolate(x, [5], { mode: 'linear' }), E, /'linear' only supports a 3-D input/);
  assertThrows(() => F.interpolate(D([1, 1, 4]), [5], { mode: 'bilinear' }), E, /only support a 4-D input/);
  assertThrows(() => F.interpolate(x, [2, 2, 2], { mode: 'trilinear' }), E, /'trilinear' only supports a 5-D input/);
  assertThrows(() => F.interpolate(x), E, /one of size and scale_factor must not be None/);
  assertThrows(() => F.interpolate(x, [5, 7], 2), E, /only one of size or scale_factor/);
  assertThrows(() => F.interpolate(x, [5, 7], { mode: 'bilinear', align_mode: 2 }), E, /align_mode can only be 0 or 1/);
  assertThrows(() => F.interpolate(x, [5, 7], { align_corners: true }), E, /align_corners can only be set with/);
  assertThrows(() => F.interpolate(x, [5]), E, /size must have 2 elements/);
  assertThrows(() => F.interpolate(x, [0, 3]), E, /greater than 0/);
  assertThrows(() => F.interpolate(x, { scale_factor: -1 }), E, /greater than zero/);
  assertThrows(() => F.interpolate(x, { scale_factor: [2, 2, 2] }), E, /scale_factor must have 2 elements/);
  assertThrows(() => F.interpolate(x, { scale_factor: 0.1 }), E, /output height of interpolation must be greater than 0/);
  assertThrows(() => F.interpolate(x, [5, 7], { data_format: 'NCDHW' }), E, /only 'NCHW' or 'NHWC'/);
  assertThrows(() => F.interpolate(x.astype('int32'), [5, 7]), E, /dtype/);
  assertThrows(() => F.interpolate(x.astype('uint8'), [5, 7], { mode: 'bicubic' }), E, /dtype/);
  assertThrows(() => dispatch('bilinear_interp_v2', { X: [D([1, 1, 4])] }, { out_w: 5, interp_method: 'bilinear' }), E, /'bilinear' does not apply to a 3-D input/);
});
