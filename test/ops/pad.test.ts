// Padding: F.pad through the pad operator (constant, pairs from the first dim) and pad3d
// (constant / reflect / replicate / circular on 3-D, 4-D and 5-D inputs, channel first or
// last), pad2d (fluid), and the Pad1D/2D/3D layers. Expected values from NumPy's np.pad
// (modes constant / reflect / edge / wrap); gradients by finite differences.
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

/** ((i*7) % 23 - 11) / 2 in row-major order (the NumPy reference's data). */
function D(shape: number[], dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Array.from({ length: n }, (_, i) => (((i * 7) % 23) - 11) * 0.5), { dtype }).reshape(shape);
}

// np.pad(x, pairs, mode) for x3 = D([1, 1, 4]) with W (2, 3); x4 = D([1, 1, 2, 3]) with
// H (1, 1), W (2, 1); x5 = D([1, 1, 2, 2, 3]) with D (1, 0), H (0, 1), W (1, 0).
const EXPECT: Record<string, [number[], number[], number[]]> = {
  constant: [
    [-1.0, -1.0, -5.5, -2.0, 1.5, 5.0, -1.0, -1.0, -1.0],
    [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, -5.5, -2.0, 1.5, 2.0, 2.0, 2.0, 5.0, -3.0, 0.5, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -5.5, -2.0, 1.5, 0, 5.0, -3.0, 0.5, 0, 0, 0, 0, 0, 4.0, -4.0, -0.5, 0, 3.0, -5.0, -1.5, 0, 0, 0, 0],
  ],
  reflect: [
    [1.5, -2.0, -5.5, -2.0, 1.5, 5.0, 1.5, -2.0, -5.5],
    [0.5, -3.0, 5.0, -3.0, 0.5, -3.0, 1.5, -2.0, -5.5, -2.0, 1.5, -2.0, 0.5, -3.0, 5.0, -3.0, 0.5, -3.0, 1.5, -2.0, -5.5, -2.0, 1.5, -2.0],
    [-4.0, 4.0, -4.0, -0.5, -5.0, 3.0, -5.0, -1.5, -4.0, 4.0, -4.0, -0.5, -2.0, -5.5, -2.0, 1.5, -3.0, 5.0, -3.0, 0.5, -2.0, -5.5, -2.0, 1.5, -4.0, 4.0, -4.0, -0.5, -5.0, 3.0, -5.0, -1.5, -4.0, 4.0, -4.0, -0.5],
  ],
  replicate: [
    [-5.5, -5.5, -5.5, -2.0, 1.5, 5.0, 5.0, 5.0, 5.0],
    [-5.5, -5.5, -5.5, -2.0, 1.5, 1.5, -5.5, -5.5, -5.5, -2.0, 1.5, 1.5, 5.0, 5.0, 5.0, -3.0, 0.5, 0.5, 5.0, 5.0, 5.0, -3.0, 0.5, 0.5],
    [-5.5, -5.5, -2.0, 1.5, 5.0, 5.0, -3.0, 0.5, 5.0, 5.0, -3.0, 0.5, -5.5, -5.5, -2.0, 1.5, 5.0, 5.0, -3.0, 0.5, 5.0, 5.0, -3.0, 0.5, 4.0, 4.0, -4.0, -0.5, 3.0, 3.0, -5.0, -1.5, 3.0, 3.0, -5.0, -1.5],
  ],
  circular: [
    [1.5, 5.0, -5.5, -2.0, 1.5, 5.0, -5.5, -2.0, 1.5],
    [-3.0, 0.5, 5.0, -3.0, 0.5, 5.0, -2.0, 1.5, -5.5, -2.0, 1.5, -5.5, -3.0, 0.5, 5.0, -3.0, 0.5, 5.0, -2.0, 1.5, -5.5, -2.0, 1.5, -5.5],
    [-0.5, 4.0, -4.0, -0.5, -1.5, 3.0, -5.0, -1.5, -0.5, 4.0, -4.0, -0.5, 1.5, -5.5, -2.0, 1.5, 0.5, 5.0, -3.0, 0.5, 1.5, -5.5, -2.0, 1.5, -0.5, 4.0, -4.0, -0.5, -1.5, 3.0, -5.0, -1.5, -0.5, 4.0, -4.0, -0.5],
  ],
};
const VALUES: Record<string, [number, number, number]> = { constant: [-1, 2, 0], reflect: [0, 0, 0], replicate: [0, 0, 0], circular: [0, 0, 0] };

test("F.pad in constant mode with 2 * ndim pads pairs from the first dim (operator 'pad')", () => {
  const x = D([2, 3]);
  const y = F.pad(x, [1, 0, 0, 2], { value: 1.5 });
  assertTensor(y, [3, 5], 'float64', [[1.5, 1.5, 1.5, 1.5, 1.5], [-5.5, -2.0, 1.5, 1.5, 1.5], [5.0, -3.0, 0.5, 1.5, 1.5]]);
  // a 4-D input with 8 values: also pad (N and C can grow)
  assert.deepEqual(F.pad(D([1, 2, 3, 4]), [0, 1, 1, 0, 0, 0, 2, 1]).shape, [2, 3, 3, 7]);
  // int64 stays exact
  const big = paddle.to_tensor([9007199254740993n, -3n] as never, { dtype: 'int64' });
  const pb = F.pad(big, [1, 1], { value: 7 });
  assert.deepEqual(Array.from(pb.numpy() as BigInt64Array), [7n, 9007199254740993n, -3n, 7n]);
});

test('F.pad on 3-D / 4-D / 5-D inputs in every mode (operator pad3d), NCHW and NHWC', () => {
  const x3 = D([1, 1, 4]);
  const x4 = D([1, 1, 2, 3]);
  const x5 = D([1, 1, 2, 2, 3]);
  for (const mode of ['constant', 'reflect', 'replicate', 'circular'] as const) {
    const [e3, e4, e5] = EXPECT[mode];
    const [v3, v4, v5] = VALUES[mode];
    const y3 = F.pad(x3, [2, 3], mode, v3, 'NCL');
    assertTensor(y3, [1, 1, 9], 'float64');
    assertClose(y3, e3, 0, 0, mode);
    const y4 = F.pad(x4, [2, 1, 1, 1], { mode, value: v4 });
    assertTensor(y4, [1, 1, 4, 6], 'float64');
    assertClose(y4, e4, 0, 0, mode);
    const y5 = F.pad(x5, [1, 0, 0, 1, 1, 0], mode, v5, 'NCDHW');
    assertTensor(y5, [1, 1, 3, 3, 4], 'float64');
    assertClose(y5, e5, 0, 0, mode);
    // channel-last layouts pad the same spatial dims
    const c3 = D([2, 4, 3]);
    assertClose(F.pad(c3, [2, 3], mode, v3, 'NLC'), paddle.transpose(F.pad(paddle.transpose(c3, [0, 2, 1]), [2, 3], mode, v3, 'NCL'), [0, 2, 1]), 0, 0, mode);
    const c4 = D([2, 3, 4, 2]);
    assertClose(F.pad(c4, [1, 2, 2, 1], mode, v4, 'NHWC'), paddle.transpose(F.pad(paddle.transpose(c4, [0, 3, 1, 2]), [1, 2, 2, 1], mode, v4), [0, 2, 3, 1]), 0, 0, mode);
    const c5 = D([1, 2, 3, 2, 2]);
    assertClose(F.pad(c5, [1, 1, 0, 1, 1, 0], mode, v5, 'NDHWC'), paddle.transpose(F.pad(paddle.transpose(c5, [0, 4, 1, 2, 3]), [1, 1, 0, 1, 1, 0], mode, v5, 'NCDHW'), [0, 2, 3, 4, 1]), 0, 0, mode);
  }
});

test('pad3d: circular wraps past the input size; float32, int32, int64 data; pad as a Tensor', () => {
  const x = D([1, 1, 4]);
  assertClose(F.pad(x, [5, 6], 'circular', 0, 'NCL'), [5.0, -5.5, -2.0, 1.5, 5.0, -5.5, -2.0, 1.5, 5.0, -5.5, -2.0, 1.5, 5.0, -5.5, -2.0]);
  const f = F.pad(x.astype('float32'), [1, 1], 'replicate', 0, 'NCL');
  assertTensor(f, [1, 1, 6], 'float32', [[[-5.5, -5.5, -2.0, 1.5, 5.0, 5.0]]]);
  const i32 = F.pad(paddle.to_tensor([[[1, 2, 3]]], { dtype: 'int32' }), [2, 1], 'reflect', 0, 'NCL');
  assertTensor(i32, [1, 1, 6], 'int32', [[[3, 2, 1, 2, 3, 2]]]);
  const i64 = F.pad(paddle.to_tensor([[[2n ** 60n, 5n]]] as never, { dtype: 'int64' }), [1, 0], 'constant', -1, 'NCL');
  assert.deepEqual(Array.from(i64.numpy() as BigInt64Array), [-1n, 2n ** 60n, 5n]);
  // pad given as a Tensor (dygraph reads its values)
  assertClose(F.pad(D([1, 1, 2, 3]), paddle.to_tensor([2, 1, 1, 1], { dtype: 'int32' }), 'circular'), EXPECT.circular[1]);
});

test('pad2d (fluid): [top, bottom, left, right], modes constant / reflect / edge', () => {
  const x = D([1, 1, 2, 3]);
  const run = (mode: string, extra: Record<string, unknown> = {}): Tensor =>
    dispatch('pad2d', { X: [x] }, { paddings: [1, 1, 2, 1], mode, pad_value: 2, ...extra }).Out[0];
  assertClose(run('constant'), EXPECT.constant[1]);
  assertClose(run('reflect'), EXPECT.reflect[1]);
  assertClose(run('edge'), EXPECT.replicate[1]);
  const xl = paddle.transpose(x, [0, 2, 3, 1]);
  const nhwc = dispatch('pad2d', { X: [xl] }, { paddings: [1, 1, 2, 1], mode: 'reflect', data_format: 'NHWC' }).Out[0];
  assertClose(nhwc, paddle.transpose(run('reflect'), [0, 2, 3, 1]));
  checkGrad((t) => dispatch('pad2d', { X: [t] }, { paddings: [1, 0, 2, 1], mode: 'edge' }).Out[0], [randTensor([1, 2, 2, 3])]);
  assertThrows(() => run('circular'), E, /mode must be one of 'constant', 'reflect', 'edge'/);
});

test('pad gradients (finite differences) for every mode, and the double gradient', () => {
  for (const mode of ['constant', 'reflect', 'replicate', 'circular'] as const) {
    checkGrad((t) => F.pad(t, [2, 1], mode, 3, 'NCL'), [randTensor([1, 2, 3])]);
    checkGrad((t) => F.pad(t, [2, 1, 1, 1], mode, 3, 'NHWC'), [randTensor([1, 2, 3, 2])]);
    checkGrad((t) => F.pad(t, [1, 0, 0, 1, 1, 1], mode, 3, 'NCDHW'), [randTensor([1, 1, 2, 2, 3])]);
  }
  checkGrad((t) => F.pad(t, [1, 0, 2, 1], { value: 4 }), [randTensor([2, 3])]);
  // circular padding larger than the input: several outputs read one input
  checkGrad((t) => F.pad(t, [5, 4], 'circular', 0, 'NCL'), [randTensor([1, 1, 3])]);
  // the gradient of the gradient with respect to the incoming gradient is the padding (fill 0)
  for (const [f, xs, vs] of [
    [(t: Tensor) => F.pad(t, [1, 0, 2, 1], { value: 4 }), [2, 3], [3, 6]],
    [(t: Tensor) => F.pad(t, [2, 1, 1, 1], 'reflect', 0, 'NCHW'), [1, 1, 2, 3], [1, 1, 4, 6]],
    [(t: Tensor) => F.pad(t, [2, 1], 'constant', 5, 'NCL'), [1, 1, 3], [1, 1, 6]],
  ] as const) {
    const x = randTensor(xs as unknown as number[]);
    checkGrad((v) => {
      const xx = paddle.to_tensor(x.numpy() as never, { dtype: 'float64', stop_gradient: false }).reshape(x.shape);
      return paddle.grad([f(xx)], [xx], [v], { create_graph: true })[0]!;
    }, [randTensor(vs as unknown as number[])]);
  }
});

test('Pad1D / Pad2D / Pad3D layers (an int pads every side)', () => {
  const y1 = new nn.Pad1D([2, 3], { mode: 'replicate' })(D([1, 1, 4]));
  assertClose(y1, EXPECT.replicate[0]);
  const y2 = new nn.Pad2D([2, 1, 1, 1], 'constant', 2)(D([1, 1, 2, 3]));
  assertClose(y2, EXPECT.constant[1]);
  const y3 = new nn.Pad3D([1, 0, 0, 1, 1, 0], 'circular')(D([1, 1, 2, 2, 3]));
  assertClose(y3, EXPECT.circular[2]);
  assert.deepEqual(new nn.Pad2D(1)(D([1, 1, 2, 3])).shape, [1, 1, 4, 5]);
  assert.deepEqual(new nn.Pad3D(1, { mode: 'replicate' })(D([1, 1, 2, 2, 3])).shape, [1, 1, 4, 4, 5]);
  assert.deepEqual(new nn.Pad1D(2, { data_format: 'NLC' })(D([1, 4, 3])).shape, [1, 8, 3]);
  const layer = new nn.Pad2D([1, 1, 2, 2], { mode: 'reflect', value: 0.5 });
  assert.equal(String(layer), 'Pad2D(padding=[1, 1, 2, 2], mode=reflect, value=0.5, data_format=NCHW)');
});

test('static mode: F.pad appends pad3d (with unsqueeze2/squeeze2) or pad; a Tensor pad becomes Paddings', () => {
  const x4 = D([1, 1, 2, 3], 'float32');
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const x = paddle.static.data('x', [null, 1, 2, 3], 'float32');
      const y = F.pad(x, [2, 1, 1, 1], 'reflect');
      assert.deepEqual(y.shape, [-1, 1, 4, 6]);
      const p = paddle.static.data('p', [4], 'int32');
      const z = F.pad(x, p, 'circular');
      assert.deepEqual(z.shape.slice(0, 2), [-1, 1]);
      const w = F.pad(x, [0, 0, 0, 0, 1, 1, 0, 0]);
      assert.deepEqual(w.shape, [-1, 1, 4, 3]);
      const types = main.global_block().ops.map((o) => o.type);
      assert.ok(types.includes('pad3d') && types.includes('pad') && types.includes('concat'));
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      const [a, b] = exe.run(main, { feed: { x: x4, p: paddle.to_tensor([2, 1, 1, 1], { dtype: 'int32' }) }, fetch_list: [y, z] }) as Tensor[];
      assertClose(a, EXPECT.reflect[1]);
      assertTensor(b, [1, 1, 4, 6], 'float32');
      assertClose(b, EXPECT.circular[1]);
    });
  } finally {
    paddle.disable_static();
  }
});

test('pad errors name the API and the problem', () => {
  const x = D([1, 1, 2, 3]);
  assertThrows(() => F.pad(x, [1, 1], { mode: 'edge' }), E, /paddle\.nn\.functional\.pad/, /mode should be one of/);
  assertThrows(() => F.pad(x, [1, 1, 1, 1], { data_format: 'NWC' }), E, /data_format should be one of/);
  assertThrows(() => F.pad(x, [1, 1, 1, 1], { data_format: 'NCL' }), E, /4-D input takes data_format 'NCHW' or 'NHWC'/);
  assertThrows(() => F.pad(x, [1, 1, 1], 'reflect'), E, /pad must have 4 elements/);
  assertThrows(() => F.pad(D([2, 3]), [1, 1], 'reflect'), E, /3-D, 4-D or 5-D/);
  assertThrows(() => F.pad(x, [3, 0, 0, 0], 'reflect'), E, /reflect mode the width of X \(3\) must be greater than pad_left \(3\)/);
  assertThrows(() => F.pad(x, [0, 0, 0, 2], 'reflect'), E, /height of X \(2\).*pad_bottom \(2\)/);
  assertThrows(() => F.pad(x, [-1, 0, 0, 0]), E, /must not be negative/);
  assertThrows(() => F.pad(D([2, 3]), [1, 0, -1, 0]), E, /paddings must be >= 0/);
  assertThrows(() => F.pad(x, 'x' as never), E, /argument 'pad'/);
  assertThrows(() => F.pad(paddle.to_tensor([[[true, false]]]), [1, 1], 'constant', 0, 'NCL'), E, /dtype .* but got bool \(operator pad3d\)/);
  // Paddle's default data_format 'NCHW' does not fit a 5-D input
  assertThrows(() => F.pad(D([1, 1, 2, 2, 2]), [1, 1, 1, 1, 1, 1]), E, /5-D input takes data_format 'NCDHW' or 'NDHWC'/);
});
