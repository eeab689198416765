// Pooling layers: each forwards to its functional form with the arguments it keeps (values
// are checked against the functional forms, whose own values come from NumPy in
// test/ops/pool.test.ts), argument order and defaults as Paddle's, extra_repr, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';

const F = paddle.nn.functional;
const nn = paddle.nn;
const E = paddle.errors.InvalidArgumentError;

function D(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Array.from({ length: n }, (_, i) => (((i * 7) % 23) - 11) * 0.5), { dtype: 'float32' }).reshape(shape);
}
const pair = (t: unknown): [Tensor, Tensor] => t as [Tensor, Tensor];

test('AvgPool1D / MaxPool1D: positional order (AvgPool1D has exclusive before ceil_mode)', () => {
  const z = D([2, 3, 7]);
  const a = new nn.AvgPool1D(3, 2, 1, false, true);
  assert.equal(a.exclusive, false);
  assert.equal(a.ceil_mode, true);
  assertClose(a(z), F.avg_pool1d(z, 3, 2, 1, false, true));
  assertClose(a(z).getitem(0, 0), [-2.5, 1.5, 0.8333333, 1.5], 1e-6);
  const m = new nn.MaxPool1D(2, { return_mask: true });
  const [o, idx] = pair(m(z));
  assert.deepEqual(o.shape, [2, 3, 3]);
  assert.equal(idx.dtype, 'int32');
  assertClose(idx.getitem(0, 0), [1, 3, 5]);
  assert.equal(String(new nn.AvgPool1D(2)), 'AvgPool1D(kernel_size=2, stride=None, padding=0)');
});

test('AvgPool2D / MaxPool2D: defaults, keywords, data_format, divisor_override, return_mask', () => {
  const x = D([2, 3, 5, 5]);
  assertClose(new nn.AvgPool2D(3, 2, 1)(x), F.avg_pool2d(x, 3, 2, 1));
  assertClose(new nn.AvgPool2D(2, { ceil_mode: true, exclusive: false })(x), F.avg_pool2d(x, 2, { ceil_mode: true, exclusive: false }));
  assertClose(new nn.AvgPool2D(2, 2, 1, { divisor_override: 3 })(x), F.avg_pool2d(x, 2, 2, 1, { divisor_override: 3 }));
  const xl = paddle.transpose(x, [0, 2, 3, 1]);
  assertClose(new nn.AvgPool2D(3, 2, 1, { data_format: 'NHWC' })(xl), paddle.transpose(F.avg_pool2d(x, 3, 2, 1), [0, 2, 3, 1]));
  const mp = new nn.MaxPool2D(3, 2, 1, false, true);
  assertClose(mp(x) as Tensor, F.max_pool2d(x, 3, 2, 1, { ceil_mode: true }) as Tensor);
  const [o, m] = pair(new nn.MaxPool2D(2, { return_mask: true })(x));
  assertTensor(o, [2, 3, 2, 2], 'float32');
  assertClose(m.getitem(0, 0), [[6, 3], [16, 13]]);
  assert.equal(String(new nn.MaxPool2D([2, 3], [1, 2], 'SAME')), "MaxPool2D(kernel_size=[2, 3], stride=[1, 2], padding=SAME)");
  // a layer is differentiable end to end
  const xg = D([2, 3, 5, 5]);
  xg.stop_gradient = false;
  paddle.sum(new nn.AvgPool2D(5)(xg)).backward();
  assertClose(xg.grad!, paddle.full(x.shape, 1 / 25));
});

test('AvgPool3D / MaxPool3D: stride and padding default as in Paddle 2.0.2', () => {
  const v = D([1, 2, 4, 6, 4]);
  const a = new nn.AvgPool3D(2);
  assert.equal(a.stride, null);
  assert.deepEqual(a(v).shape, [1, 2, 2, 3, 2]);
  assertClose(a(v), F.avg_pool3d(v, 2, 2, 0));
  const m = new nn.MaxPool3D(2);
  assertClose(m(v) as Tensor, F.max_pool3d(v, 2, 2, 0) as Tensor);
  assertClose(new nn.MaxPool3D([2, 3, 2], [2, 2, 1], 1, { ceil_mode: true })(v) as Tensor, F.max_pool3d(v, [2, 3, 2], [2, 2, 1], 1, { ceil_mode: true }) as Tensor);
  const [o, i] = pair(new nn.MaxPool3D(2, { return_mask: true })(v));
  assert.deepEqual(o.shape, [1, 2, 2, 3, 2]);
  assert.equal(i.dtype, 'int32');
  const vl = paddle.transpose(v, [0, 2, 3, 4, 1]);
  assertClose(new nn.AvgPool3D(2, { data_format: 'NDHWC' })(vl), paddle.transpose(a(v), [0, 2, 3, 4, 1]));
});

test('adaptive pooling layers', () => {
  const x = D([1, 2, 5, 7]);
  assertClose(new nn.AdaptiveAvgPool2D([3, 4])(x), F.adaptive_avg_pool2d(x, [3, 4]));
  assertClose(new nn.AdaptiveAvgPool2D([null, 3])(x), F.adaptive_avg_pool2d(x, [5, 3]));
  assertClose(new nn.AdaptiveAvgPool2D(2, 'NHWC')(paddle.transpose(x, [0, 2, 3, 1])), paddle.transpose(F.adaptive_avg_pool2d(x, 2), [0, 2, 3, 1]));
  const [o, m] = pair(new nn.AdaptiveMaxPool2D([3, 4], true)(x));
  assertClose(o, pair(F.adaptive_max_pool2d(x, [3, 4], true))[0]);
  assertClose(m.getitem(0, 0, 0), [8, 3, 3, 13]);
  const z = D([2, 3, 7]);
  assertClose(new nn.AdaptiveAvgPool1D(3)(z), F.adaptive_avg_pool1d(z, 3));
  assertClose(new nn.AdaptiveMaxPool1D(3)(z) as Tensor, F.adaptive_max_pool1d(z, 3) as Tensor);
  assert.equal(pair(new nn.AdaptiveMaxPool1D(3, true)(z))[1].dtype, 'int32');
  const v = D([1, 2, 4, 5, 3]);
  assertClose(new nn.AdaptiveAvgPool3D([3, 2, 2])(v), F.adaptive_avg_pool3d(v, [3, 2, 2]));
  assertClose(new nn.AdaptiveMaxPool3D(2)(v) as Tensor, F.adaptive_max_pool3d(v, 2) as Tensor);
  assert.equal(String(new nn.AdaptiveMaxPool2D([3, 4])), 'AdaptiveMaxPool2D(output_size=[3, 4], return_mask=False)');
  assert.equal(String(new nn.AdaptiveAvgPool1D(3)), 'AdaptiveAvgPool1D(output_size=3)');
  // pooling layers have no parameters
  assert.equal(new nn.MaxPool2D(2).parameters().length, 0);
});

test('pooling layer errors: bad constructor arguments at the call, bad inputs at forward', () => {
  assertThrows(() => new nn.AvgPool2D(), E, /paddle\.nn\.AvgPool2D.*missing required argument 'kernel_size'/);
  assertThrows(() => new nn.MaxPool2D('2' as never), E, /kernel_size/);
  assertThrows(() => new nn.AdaptiveAvgPool1D(2, { data_format: 'NCL' } as never), E, /unexpected keyword argument 'data_format'/);
  assertThrows(() => new nn.MaxPool2D(2)(D([2, 3, 4])), E, /max_pool2d.*4-D/);
  assertThrows(() => new nn.AvgPool2D(2, { data_format: 'NCL' })(D([1, 1, 4, 4])), E, /data_format/);
});
