// paddle.transpose / paddle.t / Tensor.T (transpose2): values against a naive index loop and
// NumPy, every dtype's storage (int64 > 2^53, complex, float16, bool), gradients, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const E = paddle.errors.InvalidArgumentError;

/** Reference transpose: out[idx] = x[idx permuted back], by explicit multi-indices. */
function refTranspose(flat: number[], dims: number[], perm: number[]): number[] {
  const od = perm.map((a) => dims[a]);
  const n = flat.length;
  const out = new Array<number>(n);
  const inStr = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let q = 0; q < n; q++) {
    let rem = q;
    let src = 0;
    for (let j = od.length - 1; j >= 0; j--) {
      const ij = rem % od[j];
      rem = Math.floor(rem / od[j]);
      src += ij * inStr[perm[j]];
    }
    out[q] = flat[src];
  }
  return out;
}

const arange = (n: number, dtype: 'float32' | 'int64' | 'float64' = 'float32') =>
  paddle.to_tensor(Array.from({ length: n }, (_, i) => i), { dtype });

test('transpose: Paddle docs example and NumPy values', () => {
  const x = paddle.rand([2, 3, 4]);
  assert.deepEqual(paddle.transpose(x, [1, 0, 2]).shape, [3, 2, 4]); // docs
  // np.arange(24).reshape(2,3,4).transpose(2,0,1)[1] -> [[1,5,9],[13,17,21]]
  const y = paddle.transpose(paddle.reshape(arange(24, 'int64'), [2, 3, 4]), [2, 0, 1]);
  assertTensor(y, [4, 2, 3], 'int64');
  assert.deepEqual((y.tolist() as number[][][])[1], [[1, 5, 9], [13, 17, 21]]);
  assertTensor(paddle.transpose(paddle.to_tensor([[1, 2, 3], [4, 5, 6]]), [1, 0]), [3, 2], 'int64', [[1, 4], [2, 5], [3, 6]]);
  assertTensor(x.transpose([0, 1, 2]), [2, 3, 4], 'float32');
  // negative entries count from the end
  assert.deepEqual(paddle.transpose(x, [-1, 0, -2]).shape, [4, 2, 3]);
});

test('transpose matches the reference for many shapes and permutations', () => {
  const cases: [number[], number[]][] = [
    [[70, 45], [1, 0]], // tiled 2-D path
    [[3, 37, 50], [0, 2, 1]], // batched 2-D
    [[2, 3, 4, 5], [0, 2, 3, 1]], // NCHW -> NHWC
    [[2, 3, 4, 5], [0, 3, 1, 2]],
    [[2, 3, 4, 5], [3, 2, 1, 0]],
    [[2, 3, 4, 5], [1, 0, 2, 3]], // contiguous inner runs
    [[2, 1, 4, 1, 3], [4, 3, 2, 1, 0]], // size-1 dims
    [[2, 3, 2, 3, 2, 2], [5, 0, 4, 1, 3, 2]],
    [[1, 1, 6], [2, 1, 0]],
    [[0, 3], [1, 0]], // empty
  ];
  for (const [dims, perm] of cases) {
    const n = dims.reduce((a, b) => a * b, 1);
    const flat = Array.from({ length: n }, (_, i) => i * 3 - 7);
    const x = paddle.reshape(paddle.to_tensor(flat, { dtype: 'float64' }), dims);
    const y = paddle.transpose(x, perm);
    assert.deepEqual(y.shape, perm.map((a) => dims[a]), `shape ${dims} ${perm}`);
    assert.deepEqual(Array.from(y.numpy() as Float64Array), refTranspose(flat, dims, perm), `values ${dims} ${perm}`);
    for (const dt of ['int32', 'uint8', 'int16'] as const) {
      const yi = paddle.transpose(paddle.cast(x, dt), perm);
      assert.deepEqual(Array.from(yi.numpy() as Int32Array), Array.from(paddle.cast(y, dt).numpy() as Int32Array), `${dt} ${dims}`);
    }
  }
});

test('transpose moves raw storage: int64 > 2^53, complex pairs, float16, bool', () => {
  const big = paddle.to_tensor([[9007199254740993n, 1n, -9007199254740995n], [2n ** 62n + 1n, 5n, -(2n ** 63n)]]);
  assert.deepEqual(paddle.transpose(big, [1, 0]).tolist(), [
    [9007199254740993n, 4611686018427387905n],
    [1, 5],
    [-9007199254740995n, -(2 ** 63)], // -2^63 is exact as a number, so tolist gives a number
  ]);
  const z = paddle.to_tensor([[{ real: 1, imag: -1 }, { real: 2, imag: -2 }], [{ real: 3, imag: -3 }, { real: 4, imag: -4 }]], { dtype: 'complex128' });
  assert.deepEqual(paddle.transpose(z, [1, 0]).tolist(), [
    [{ real: 1, imag: -1 }, { real: 3, imag: -3 }],
    [{ real: 2, imag: -2 }, { real: 4, imag: -4 }],
  ]);
  assertTensor(paddle.transpose(paddle.to_tensor([[0.5, 1.5], [2.5, -3]], { dtype: 'float16' }), [1, 0]), [2, 2], 'float16', [[0.5, 2.5], [1.5, -3]]);
  assertTensor(paddle.transpose(paddle.to_tensor([[true, false, true]]), [1, 0]), [3, 1], 'bool', [[true], [false], [true]]);
});

test('t: 1-D unchanged, 2-D swapped, more dims rejected; Tensor.T', () => {
  const v = paddle.to_tensor([1, 2, 3], { dtype: 'float32' });
  assert.equal(paddle.t(v), v);
  const m = paddle.to_tensor([[1, 2, 3], [4, 5, 6]]);
  assertTensor(paddle.t(m), [3, 2], 'int64', [[1, 4], [2, 5], [3, 6]]);
  assertTensor(m.t(), [3, 2], 'int64', [[1, 4], [2, 5], [3, 6]]);
  assertTensor(m.T, [3, 2], 'int64', [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(paddle.zeros([2, 3, 4]).T.shape, [4, 3, 2]);
  assertThrows(() => paddle.t(paddle.zeros([2, 3, 4])), E, /paddle\.t/, /at most 2 dims/);
});

test('transpose errors', () => {
  const x = paddle.zeros([2, 3, 4]);
  assertThrows(() => paddle.transpose(x, [1, 0]), E, /paddle\.transpose/, /x has 3 dims but perm has 2/);
  assertThrows(() => paddle.transpose(x, [0, 1, 1]), E, /permutation/);
  assertThrows(() => paddle.transpose(x, [0, 1, 3]), E, /'perm'/, /out of range/);
  assertThrows(() => paddle.transpose(x, 'a' as never), E, /'perm'/);
});

test('transpose gradients (and the gradient of the gradient)', () => {
  checkGrad((x) => paddle.transpose(x, [1, 0]), [randTensor([3, 4])]);
  checkGrad((x) => paddle.transpose(x, [2, 0, 1]), [randTensor([2, 3, 4])]);
  checkGrad((x) => paddle.transpose(x, [0, 3, 1, 2]), [randTensor([2, 1, 3, 2])]);
  checkGrad((x) => paddle.t(x), [randTensor([2, 5])]);
  checkGrad((x) => paddle.multiply(paddle.transpose(x, [1, 0]), x.T), [randTensor([3, 2])], { second: true });
  // f = sum(W * x^T * x^T): df/dx = 2 x * W^T, second derivative of sum(df/dx) = 2 W^T
  const x = paddle.to_tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', stop_gradient: false });
  const W = paddle.to_tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' });
  const xt = paddle.transpose(x, [1, 0]);
  const [g] = paddle.grad(paddle.sum(paddle.multiply(W, paddle.multiply(xt, xt))), x, { create_graph: true });
  assertTensor(g!, [2, 3], 'float64', [[2, 12, 30], [16, 40, 72]]);
  const [gg] = paddle.grad(paddle.sum(g!), x);
  assertTensor(gg!, [2, 3], 'float64', [[2, 6, 10], [4, 8, 12]]);
});
