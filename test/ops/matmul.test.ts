// matmul_v2 / matmul (v1) / mul / bmm / dot / mv: values computed with NumPy (np.matmul on
// the same integer-valued inputs), shapes, gradients by finite differences, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

type DT = 'float32' | 'float64' | 'int32' | 'int64';
const numelOf = (s: number[]): number => s.reduce((a, b) => a * b, 1);
/** (i % 7) - 3 and (i % 5) - 2: integer values, so every product is exact. */
const gx = (shape: number[], dtype: DT = 'float64'): Tensor =>
  paddle.to_tensor(Array.from({ length: numelOf(shape) }, (_, i) => (i % 7) - 3), { dtype }).reshape(shape);
const gy = (shape: number[], dtype: DT = 'float64'): Tensor =>
  paddle.to_tensor(Array.from({ length: numelOf(shape) }, (_, i) => (i % 5) - 2), { dtype }).reshape(shape);
const flat = (t: Tensor): number[] => Array.from(t.numpy() as ArrayLike<number | bigint>, Number);

// [x shape, y shape, transpose_x, transpose_y, out shape, out values] from NumPy.
const CASES: [number[], number[], boolean, boolean, number[], number[]][] = [
  [[3], [3], false, false, [1], [8]],
  [[3], [3, 2], false, false, [2], [4, 3]],
  [[2, 3], [3], false, false, [2], [8, -1]],
  [[2, 3], [3, 4], false, false, [2, 4], [1, 5, 4, -2, 4, 2, -5, -2]],
  [[3, 2], [3, 4], true, false, [2, 4], [5, 7, -1, -4, 6, 6, -4, -4]],
  [[2, 3], [4, 3], false, true, [2, 4], [8, -5, 2, -1, -1, -2, 2, -4]],
  [[3, 2], [4, 3], true, true, [2, 4], [7, -7, 4, -5, 4, -6, 4, -6]],
  [[2, 2, 3], [3, 4], false, false, [2, 2, 4], [1, 5, 4, -2, 4, 2, -5, -2, -14, -1, 7, 5, 3, 3, -2, -2]],
  [[2, 3], [2, 3, 4], false, false, [2, 2, 4], [1, 5, 4, -2, 4, 2, -5, -2, 4, -2, -8, 1, -5, -2, 1, 4]],
  [[2, 1, 2, 3], [3, 3, 4], false, false, [2, 3, 2, 4], [
    1, 5, 4, -2, 4, 2, -5, -2, 4, -2, -8, 1, -5, -2, 1, 4, -8, 1, 5, 4, 1, 4, 2, -5,
    -14, -1, 7, 5, 3, 3, -2, -2, 7, 5, 3, -14, -2, -2, -2, 3, 3, -14, -1, 7, -2, 3, 3, -2,
  ]],
  [[3], [2, 3, 4], false, false, [2, 4], [1, 5, 4, -2, 4, -2, -8, 1]],
  [[2, 2, 3], [3], false, false, [2, 2], [8, -1, -3, 2]],
  [[2, 3, 2], [2, 3, 4], true, false, [2, 2, 4], [5, 7, -1, -4, 6, 6, -4, -4, 2, 3, 4, -10, -1, -4, -7, 5]],
  // the transpose flags of 1-D operands are ignored, as in NumPy/Paddle
  [[3], [3], true, true, [1], [8]],
  [[2, 2, 3], [5, 3], false, true, [2, 2, 5], [8, -5, 2, -1, -4, -1, -2, 2, -4, 5, -3, 1, -5, 14, -7, 2, -3, 2, -3, 2]],
  [[1, 3, 2], [2, 1, 3, 4], true, false, [2, 1, 2, 4], [5, 7, -1, -4, 6, 6, -4, -4, -1, -4, -7, 5, -4, -4, -4, 6]],
];

test('matmul: 1-D, 2-D, batched, broadcast and transposed operands match NumPy', () => {
  for (const [xs, ys, tx, ty, os, vals] of CASES) {
    for (const dtype of ['float32', 'float64', 'int32', 'int64'] as DT[]) {
      const o = paddle.matmul(gx(xs, dtype), gy(ys, dtype), tx, ty);
      assert.deepEqual(o.shape, os, `shape of ${JSON.stringify([xs, ys, tx, ty])}`);
      assert.equal(o.dtype, dtype);
      assert.deepEqual(flat(o), vals, `values of ${JSON.stringify([xs, ys, tx, ty, dtype])}`);
    }
  }
});

test('matmul: keywords, Tensor method, docs example shapes', () => {
  const x = gx([2, 3]);
  const y = gy([4, 3]);
  assert.deepEqual(flat(paddle.matmul(x, y, { transpose_y: true })), [8, -5, 2, -1, -1, -2, 2, -4]);
  assert.deepEqual(flat(x.matmul(y, false, true)), [8, -5, 2, -1, -1, -2, 2, -4]);
  // python/paddle/tensor/linalg.py docstring shapes
  const r = (s: number[]): Tensor => paddle.rand(s);
  assert.deepEqual(paddle.matmul(r([10]), r([10])).shape, [1]);
  assert.deepEqual(paddle.matmul(r([10, 5, 2]), r([2])).shape, [10, 5]);
  assert.deepEqual(paddle.matmul(r([10, 5, 2]), r([10, 2, 5])).shape, [10, 5, 5]);
  assert.deepEqual(paddle.matmul(r([10, 1, 5, 2]), r([1, 3, 2, 5])).shape, [10, 3, 5, 5]);
});

/** Plain triple loop (the reference for the blocked kernel's larger sizes). */
function reference(a: Float64Array, b: Float64Array, M: number, N: number, K: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (ta ? a[k * M + i] : a[i * K + k]) * (tb ? b[j * K + k] : b[k * N + j]);
      c[i * N + j] = s;
    }
  return c;
}

test('matmul: the blocked kernel on sizes with edge tiles, all transposes, float32 and float64', () => {
  const [M, N, K] = [37, 41, 29];
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    const a = randTensor(ta ? [K, M] : [M, K]);
    const b = randTensor(tb ? [N, K] : [K, N]);
    const ref = reference(a.numpy() as Float64Array, b.numpy() as Float64Array, M, N, K, ta, tb);
    assertClose(paddle.matmul(a, b, ta, tb), ref, 1e-12, 1e-12);
    const o32 = paddle.matmul(a.astype('float32'), b.astype('float32'), ta, tb);
    assert.equal(o32.dtype, 'float32');
    assertClose(o32, ref, 1e-5, 1e-5);
  }
  // a batch folded into the rows (Y shared) and a broadcast batch loop
  const x = randTensor([3, 20, 17]);
  const w = randTensor([17, 19]);
  const o = paddle.matmul(x, w);
  const xs = x.numpy() as Float64Array;
  const ws = w.numpy() as Float64Array;
  assertClose(o, reference(xs, ws, 60, 19, 17, false, false), 1e-12, 1e-12);
  const o2 = paddle.matmul(w, x, true, true); // [3, 19, 20] = (x w)^T per batch
  for (let bi = 0; bi < 3; bi++) {
    const ref = reference(ws, xs.subarray(bi * 340, (bi + 1) * 340), 19, 20, 17, true, true);
    assertClose(Array.from(o2.numpy() as Float64Array).slice(bi * 380, (bi + 1) * 380), ref, 1e-12, 1e-12);
  }
  // a long K splits B into several column blocks
  const la = randTensor([9, 20000]);
  const lb = randTensor([20000, 50]);
  assertClose(paddle.matmul(la, lb), reference(la.numpy() as Float64Array, lb.numpy() as Float64Array, 9, 50, 20000, false, false), 1e-10, 1e-10);
  // NaN and Inf propagate as IEEE arithmetic says (0 * Inf = NaN)
  const inf = paddle.matmul(paddle.to_tensor([[0, 1]], { dtype: 'float32' }), paddle.to_tensor([[Infinity, 1], [1, NaN]], { dtype: 'float32' }));
  assert.ok(Number.isNaN(flat(inf)[0]) && Number.isNaN(flat(inf)[1]));
  // empty dimensions
  assertTensor(paddle.matmul(paddle.zeros([0, 3]), paddle.zeros([3, 4])), [0, 4], 'float32');
  assertTensor(paddle.matmul(paddle.ones([2, 0]), paddle.ones([0, 3])), [2, 3], 'float32', [[0, 0, 0], [0, 0, 0]]);
});

test('matmul: gradients for every operand layout (finite differences)', () => {
  const shapes: [number[], number[], boolean, boolean][] = [
    [[3], [3], false, false],
    [[3], [3, 2], false, false],
    [[2, 3], [3], false, false],
    [[2, 3], [3, 4], false, false],
    [[3, 2], [3, 4], true, false],
    [[2, 3], [4, 3], false, true],
    [[3, 2], [4, 3], true, true],
    [[2, 2, 3], [3, 4], false, false],
    [[2, 2, 3], [4, 3], false, true],
    [[2, 3, 2], [3, 4], true, false],
    [[2, 3], [2, 3, 4], false, false],
    [[2, 1, 2, 3], [3, 3, 4], false, false],
    [[3], [2, 4, 3], false, true],
    [[2, 3, 2], [3], true, false],
    [[1, 3, 2], [2, 1, 4, 3], true, true],
  ];
  for (const [xs, ys, tx, ty] of shapes) checkGrad((x, y) => paddle.matmul(x, y, tx, ty), [randTensor(xs), randTensor(ys)]);
});

test('matmul: second derivatives (create_graph)', () => {
  checkGrad((x, y) => paddle.matmul(x, y), [randTensor([2, 3]), randTensor([3, 2])], { second: true });
  checkGrad((x, y) => paddle.matmul(x, y, true, false), [randTensor([2, 3, 2]), randTensor([3, 2])], { second: true });
});

test('matmul errors name both shapes', () => {
  assertThrows(() => paddle.matmul(paddle.ones([2, 3]), paddle.ones([4, 5])), paddle.errors.InvalidArgumentError,
    /paddle\.matmul/, /\[2, 3\]/, /\[4, 5\]/, /3 vs 4/);
  assertThrows(() => paddle.matmul(paddle.ones([2, 2, 3]), paddle.ones([3, 3, 4])), paddle.errors.InvalidArgumentError,
    /paddle\.matmul/, /batch dimensions cannot be broadcast/, /\[2, 2, 3\]/, /\[3, 3, 4\]/);
  assertThrows(() => paddle.matmul(paddle.ones([2, 3]), paddle.ones([3, 4], 'float64')), paddle.errors.InvalidArgumentError,
    /same dtype/, /float32 and float64/);
  assertThrows(() => paddle.matmul(paddle.ones([3]), [1, 2, 3] as never), paddle.errors.InvalidArgumentError, /argument 'y'/);
});

test('mm (v1 matmul op): docs example and batch rule', () => {
  const input = paddle.arange(1, 7).reshape([3, 2]).astype('float32');
  const mat2 = paddle.arange(1, 9).reshape([2, 4]).astype('float32');
  assertTensor(paddle.mm(input, mat2), [3, 4], 'float32', [[11, 14, 17, 20], [23, 30, 37, 44], [35, 46, 57, 68]]);
  assertTensor(input.mm(mat2), [3, 4], 'float32');
  assertThrows(() => paddle.mm(paddle.ones([2, 2, 3]), paddle.ones([3, 3, 4])), paddle.errors.InvalidArgumentError,
    /paddle\.mm/, /batch sizes/, /\[2, 2, 3\]/, /\[3, 3, 4\]/);
  checkGrad((x, y) => paddle.mm(x, y), [randTensor([2, 2, 3]), randTensor([3, 4])]);
  checkGrad((x, y) => paddle.mm(x, y), [randTensor([3]), randTensor([2, 3, 2])]);
});

test('matmul v1 operator: alpha, transposes, batch sizes with equal products', () => {
  const v1 = (x: Tensor, y: Tensor, attrs: Record<string, unknown>): Tensor => dispatch('matmul', { X: [x], Y: [y] }, attrs).Out[0];
  assertClose(v1(gx([2, 3]), gy([3, 4]), { alpha: 0.5 }), [0.5, 2.5, 2, -1, 2, 1, -2.5, -1]);
  assertClose(v1(gx([3, 2]), gy([3, 4]), { transpose_X: true }), [5, 7, -1, -4, 6, 6, -4, -4]);
  // X batch [2, 3] and Y batch [6]: equal products; Out takes X's batch dims
  const o = v1(gx([2, 3, 1, 2]), gy([6, 2, 3]), {});
  assert.deepEqual(o.shape, [2, 3, 1, 3]);
  assert.deepEqual(flat(o), [4, -1, 4, 1, 0, -1, -4, -1, 2, 6, 6, -9, -4, 3, 0, 1, 2, -2]);
  // a 1-D X is a row: [3] x [3, 2] -> [2]; with transpose_X it is a column [3, 1]
  assert.deepEqual(v1(gx([3]), gy([3, 2]), {}).shape, [2]);
  assert.deepEqual(v1(gx([3]), gy([1, 2]), { transpose_X: true }).shape, [3, 2]);
  checkGrad((x, y) => v1(x, y, { alpha: 2.5, transpose_Y: true }), [randTensor([2, 2, 3]), randTensor([4, 3])]);
  checkGrad((x, y) => v1(x, y, { transpose_X: true }), [randTensor([3]), randTensor([1, 2])]);
  checkGrad((x, y) => v1(x, y, {}), [randTensor([2, 3, 1, 2]), randTensor([6, 2, 3])]);
});

test('mul operator: flattening by x_num_col_dims / y_num_col_dims', () => {
  const mul = (x: Tensor, y: Tensor, xn = 1, yn = 1): Tensor =>
    dispatch('mul', { X: [x], Y: [y] }, { x_num_col_dims: xn, y_num_col_dims: yn }).Out[0];
  const o = mul(gx([2, 3, 4]), gy([12, 5]));
  assert.deepEqual(o.shape, [2, 5]);
  assert.deepEqual(flat(o), [10, 5, 0, -5, -10, 2, 1, 0, -1, -2]);
  const o2 = mul(gx([2, 3, 4]), gy([4, 2, 3]), 2, 1);
  assert.deepEqual(o2.shape, [2, 3, 2, 3]);
  assert.deepEqual(flat(o2), [8, 2, -4, -5, -1, 8, -7, -4, 14, 2, -5, -7, 6, 4, -3, -5, -2, 6, -9, -9, 1, 16, 1, -9, 4, 6, -2, -5, -3, 4, -4, -7, -5, 2, 14, -4]);
  checkGrad((x, y) => mul(x, y, 2, 1), [randTensor([2, 3, 4]), randTensor([4, 2, 3])]);
  assertThrows(() => mul(gx([2, 3, 4]), gy([5, 2])), paddle.errors.InvalidArgumentError, /\[2, 3, 4\]/, /\[2, 12\]/, /\[5, 2\]/);
});

test('bmm, dot, mv: values, grads and errors', () => {
  assertTensor(paddle.bmm(gx([2, 2, 3]), gy([2, 3, 2])), [2, 2, 2], 'float64', [[[4, 3], [4, -3]], [[-2, -4], [-1, -1]]]);
  // docs example of paddle.bmm
  const bx = paddle.to_tensor([[[1, 1, 1], [2, 2, 2]], [[3, 3, 3], [4, 4, 4]]], { dtype: 'float32' });
  const by = paddle.to_tensor([[[1, 1], [2, 2], [3, 3]], [[4, 4], [5, 5], [6, 6]]], { dtype: 'float32' });
  assertTensor(bx.bmm(by), [2, 2, 2], 'float32', [[[6, 6], [12, 12]], [[45, 45], [60, 60]]]);
  checkGrad((x, y) => paddle.bmm(x, y), [randTensor([2, 2, 3]), randTensor([2, 3, 4])]);
  assertThrows(() => paddle.bmm(paddle.ones([2, 2, 3]), paddle.ones([3, 3, 2])), paddle.errors.InvalidArgumentError, /batch size/, /\[2, 2, 3\]/, /\[3, 3, 2\]/);
  assertThrows(() => paddle.bmm(paddle.ones([2, 3]), paddle.ones([3, 2])), paddle.errors.InvalidArgumentError, /3-dimensional/);

  assertTensor(paddle.dot(paddle.to_tensor([1, 2, 3], { dtype: 'float32' }), paddle.to_tensor([4, 5, 6], { dtype: 'float32' })), [1], 'float32', [32]);
  assertTensor(paddle.dot(gx([2, 3]), gy([2, 3])), [2, 1], 'float64', [[8], [-2]]);
  assertTensor(gx([2, 3], 'int64').dot(gy([2, 3], 'int64')), [2, 1], 'int64', [[8], [-2]]);
  checkGrad((x, y) => paddle.dot(x, y), [randTensor([2, 3]), randTensor([2, 3])]);
  checkGrad((x, y) => paddle.dot(x, y), [randTensor([4]), randTensor([4])]);
  assertThrows(() => paddle.dot(paddle.ones([2, 3]), paddle.ones([3, 2])), paddle.errors.InvalidArgumentError, /same shape/, /\[2, 3\]/, /\[3, 2\]/);

  assertTensor(paddle.mv(gx([3, 4]), gy([4])), [3], 'float64', [8, -7, 6]);
  assertTensor(paddle.to_tensor([[2, 1, 3], [3, 0, 1]], { dtype: 'float64' }).mv(paddle.to_tensor([3, 5, 1], { dtype: 'float64' })), [2], 'float64', [14, 10]);
  checkGrad((x, v) => paddle.mv(x, v), [randTensor([3, 4]), randTensor([4])]);
  assertThrows(() => paddle.mv(paddle.ones([3, 4]), paddle.ones([3])), paddle.errors.InvalidArgumentError, /paddle\.mv/, /\[3, 4\]/, /\[3\]/);
});

test('matmul in static mode appends matmul_v2 with unknown batch dims kept', () => {
  paddle.enable_static();
  try {
    const x = paddle.static.data('x', [-1, 5, 2], 'float32');
    const y = paddle.static.data('y', [2, 3], 'float32');
    const o = paddle.matmul(x, y);
    assert.deepEqual(o.shape, [-1, 5, 3]);
  } finally {
    paddle.disable_static();
  }
});
