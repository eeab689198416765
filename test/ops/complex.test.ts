// Complex tensors: conj / real / imag (values and dtypes from Paddle 2.0's docstrings),
// complex kernels of elementwise add/sub/mul/div (broadcasting), abs, matmul, reduce_sum
// and cast, checked against NumPy's complex arithmetic; Paddle's printing; gradients of
// conj/real/imag; errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { kernelBackends } from '../../src/core/registry.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';

const { InvalidArgumentError } = paddle.errors;
type C = [number, number];
type CD = 'complex64' | 'complex128';
/** A complex tensor from [re, im] pairs (nested arrays of pairs keep their nesting). */
function ct(data: unknown, dtype: CD = 'complex128'): Tensor {
  const conv = (v: unknown): unknown =>
    Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' ? { real: v[0], imag: v[1] } : (v as unknown[]).map(conv);
  return paddle.to_tensor(conv(data) as never, { dtype });
}
/** The [re, im] pairs of a complex tensor, flat. */
const pairs = (t: Tensor): C[] => (t.tolist() as unknown[]).flat(8).map((c) => [(c as { real: number }).real, (c as { imag: number }).imag]);
const close = (t: Tensor, want: C[], rtol = 1e-12, atol = 1e-12): void => assertClose(pairs(t).flat(), want.flat(), rtol, atol);

// NumPy: x = [[1+2j, -3+0.5j, 2-1j], [1j, 4-2j, -1-1j]], y = [2-1j, 0.5+0.5j, -1+3j]
const X: C[][] = [[[1, 2], [-3, 0.5], [2, -1]], [[0, 1], [4, -2], [-1, -1]]];
const Y: C[] = [[2, -1], [0.5, 0.5], [-1, 3]];

test('conj / real / imag: docstring examples, dtypes, Tensor methods', () => {
  const data = ct([[[1, 1], [2, 2], [3, 3]], [[4, 4], [5, 5], [6, 6]]], 'complex64');
  assert.equal(data.dtype, 'complex64');
  const cj = paddle.conj(data);
  assertTensor(cj, [2, 3], 'complex64');
  close(cj, [[1, -1], [2, -2], [3, -3], [4, -4], [5, -5], [6, -6]]);
  assert.equal(
    String(cj),
    'Tensor(shape=[2, 3], dtype=complex64, place=CPUPlace, stop_gradient=True,\n       [[(1-1j), (2-2j), (3-3j)],\n        [(4-4j), (5-5j), (6-6j)]])',
  );
  const x = ct([[[1, 6], [2, 5], [3, 4]], [[4, 3], [5, 2], [6, 1]]], 'complex64');
  assertTensor(paddle.real(x), [2, 3], 'float32', [[1, 2, 3], [4, 5, 6]]);
  assertTensor(x.real(), [2, 3], 'float32', [[1, 2, 3], [4, 5, 6]]);
  assertTensor(paddle.imag(x), [2, 3], 'float32', [[6, 5, 4], [3, 2, 1]]);
  assertTensor(x.imag(), [2, 3], 'float32', [[6, 5, 4], [3, 2, 1]]);
  const z = ct([[1.5, -2.25]], 'complex128');
  assertTensor(z.real(), [1], 'float64', [1.5]);
  assertTensor(z.imag(), [1], 'float64', [-2.25]);
  assertTensor(z.conj(), [1], 'complex128', [{ real: 1.5, imag: 2.25 }]);
  // conj of a real tensor is a copy
  const r = paddle.to_tensor([1, -2, 3]);
  const rc = paddle.conj(r);
  assertTensor(rc, [3], 'int64', [1, -2, 3]);
  assert.notEqual(rc.data, r.data);
  assertTensor(paddle.conj(paddle.to_tensor([1.5], { dtype: 'float32' })), [1], 'float32', [1.5]);
});

test('printing follows Python complex repr, as Paddle prints numpy complex scalars', () => {
  const s = String(ct([[1, 2], [0, 1], [-1.5, 0], [0, -0], [2.5, -0.125], [1e20, 1], [1e-5, NaN]]));
  assert.equal(
    s,
    'Tensor(shape=[7], dtype=complex128, place=CPUPlace, stop_gradient=True,\n' +
      '       [ (1+2j)     ,  1j         , (-1.5+0j)   ,  -0j        , (2.5-0.125j),  (1e+20+1j) , (1e-05+nanj)])',
  );
  // complex64 parts print as the float64 value of the float32 (Python's complex of it)
  assert.equal(String(ct([[0.1, 0.2]], 'complex64')).split('\n')[1].trim(), '[(0.10000000149011612+0.20000000298023224j)])');
});

test('elementwise add / subtract / multiply / divide with broadcasting match NumPy', () => {
  for (const dtype of ['complex128', 'complex64'] as CD[]) {
    const tol = dtype === 'complex64' ? 1e-6 : 1e-12;
    const x = ct(X, dtype);
    const y = ct(Y, dtype);
    close(paddle.add(x, y), [[3, 1], [-2.5, 1], [1, 2], [2, 0], [4.5, -1.5], [-2, 2]], tol, tol);
    close(paddle.subtract(x, y), [[-1, 3], [-3.5, 0], [3, -4], [-2, 2], [3.5, -2.5], [0, -4]], tol, tol);
    close(x.multiply(y), [[4, 3], [-1.75, -1.25], [1, 7], [1, 2], [3, 1], [4, -2]], tol, tol);
    close(x.divide(y), [[0, 1], [-2.5, 3.5], [-0.5, -0.5], [-0.2, 0.4], [2, -6], [-0.2, 0.4]], tol, tol);
    // a [2, 1] column broadcasts along the rows
    const col = ct([[[1, 1]], [[2, -3]]], dtype);
    close(paddle.multiply(x, col), [[-1, 3], [-3.5, -2.5], [3, 1], [3, 2], [2, -16], [-5, 1]], tol, tol);
    close(paddle.divide(x, col), [
      [1.5, 0.5], [-1.25, 1.75], [0.5, -1.5],
      [-0.23076923076923078, 0.15384615384615385], [1.0769230769230769, 0.6153846153846155], [0.07692307692307694, -0.3846153846153846],
    ], tol, tol);
    // y op x broadcasts the other way
    close(paddle.subtract(y, x), [[1, -3], [3.5, 0], [-3, 4], [2, -2], [-3.5, 2.5], [0, 4]], tol, tol);
    assert.equal(paddle.add(x, y).dtype, dtype);
  }
  // complex64 computes in float32 as NumPy and Paddle do: np.complex64(0.1+0.2j) * np.complex64(0.3-0.7j)
  close(paddle.multiply(ct([[0.1, 0.2]], 'complex64'), ct([[0.3, -0.7]], 'complex64')), [[0.17000000178813934, -0.009999997913837433]], 0, 0);
  close(paddle.divide(ct([[1, 1]], 'complex64'), ct([[3, 0]], 'complex64')), [[0.3333333432674408, 0.3333333432674408]], 0, 0);
});

test('scalars and real tensors mix with complex ones', () => {
  const x = ct(X);
  close(x.add(1.5), [[2.5, 2], [-1.5, 0.5], [3.5, -1], [1.5, 1], [5.5, -2], [0.5, -1]]);
  close(x.multiply(2), [[2, 4], [-6, 1], [4, -2], [0, 2], [8, -4], [-2, -2]]);
  // a real tensor with a complex one is cast to complex (complex wins)
  const xf = paddle.to_tensor([1.5, -2, 0.25], { dtype: 'float64' });
  const s = paddle.add(xf, ct(Y));
  assert.equal(s.dtype, 'complex128');
  close(s, [[3.5, -1], [-1.5, 0.5], [-0.75, 3]]);
});

test('abs of a complex tensor is its real modulus', () => {
  const a = paddle.abs(ct(X));
  assertTensor(a, [2, 3], 'float64');
  assertClose(a, [2.23606797749979, 3.0413812651491092, 2.23606797749979, 1, 4.47213595499958, 1.4142135623730951], 1e-15);
  const a32 = ct([[3, 4], [-5, 12]], 'complex64').abs();
  assertTensor(a32, [2], 'float32', [5, 13]);
});

test('matmul, sum and cast on complex tensors', () => {
  const A = ct([[[1, 1], [2, -1]], [[0, 2], [-1, 0]], [[3, 0], [1, 1]]]);
  const B = ct([[[1, -1], [2, 0], [0, 1]], [[-1, 2], [1, 1], [3, -2]]]);
  const m = paddle.matmul(A, B);
  assert.deepEqual(m.shape, [3, 3]);
  close(m, [[2, 5], [5, 3], [3, -6], [3, 0], [-1, 3], [-5, 2], [0, -2], [6, 2], [5, 4]]);
  const x = ct(X);
  close(paddle.sum(x), [[3, -0.5]]);
  close(paddle.sum(x, 0), [[1, 3], [1, -1.5], [1, -2]]);
  // cast keeps the real part going to a real dtype; a real one becomes (x + 0j)
  assertTensor(paddle.cast(x, 'float64'), [2, 3], 'float64', [[1, -3, 2], [0, 4, -1]]);
  close(paddle.to_tensor([1.5, -2], { dtype: 'float32' }).astype('complex128'), [[1.5, 0], [-2, 0]]);
  close(paddle.cast(ct([[1.25, -0.5]], 'complex128'), 'complex64'), [[1.25, -0.5]]);
});

test('complex kernels sit on their own backend and leave the real kernels in place', () => {
  for (const type of ['elementwise_add', 'elementwise_sub', 'elementwise_mul', 'elementwise_div', 'abs'])
  {
    // native (when built) and js come first for real dtypes; js-complex after the js kernel
    const b = kernelBackends(type);
    assert.ok(b.includes('js-complex') && b.indexOf('js') < b.indexOf('js-complex'), `${type}: ${b}`);
  }
  assertTensor(paddle.add(paddle.to_tensor([1, 2]), paddle.to_tensor([3, 4])), [2], 'int64', [4, 6]);
  assertTensor(paddle.abs(paddle.to_tensor([-1.5, 2], { dtype: 'float32' })), [2], 'float32', [1.5, 2]);
});

test('gradients of real, imag and conj (dz = dL/dre + i dL/dim, as Paddle)', () => {
  const z = ct([[1, 2], [-3, 0.5], [0.25, -1]]);
  z.stop_gradient = false;
  const w1 = paddle.to_tensor([1, 2, 3], { dtype: 'float64' });
  const w2 = paddle.to_tensor([-1, 0.5, 4], { dtype: 'float64' });
  // L = sum(w1 * re(z) + w2 * im(z))  =>  dz = w1 + i w2
  paddle.add(paddle.sum(paddle.multiply(paddle.real(z), w1)), paddle.sum(paddle.multiply(paddle.imag(z), w2))).backward();
  assert.equal(z.grad!.dtype, 'complex128');
  close(z.grad!, [[1, -1], [2, 0.5], [3, 4]]);
  // through conj: re(conj z) = re z, im(conj z) = -im z  =>  dz = w1 - i w2
  z.clear_gradient();
  const c = paddle.conj(z);
  paddle.add(paddle.sum(paddle.multiply(paddle.real(c), w1)), paddle.sum(paddle.multiply(paddle.imag(c), w2))).backward();
  close(z.grad!, [[1, 1], [2, -0.5], [3, -4]]);
  // L = sum(re(z)^2 + im(z)^2)  =>  dz = 2 z
  z.clear_gradient();
  const re = paddle.real(z);
  const im = paddle.imag(z);
  paddle.add(paddle.sum(paddle.multiply(re, re)), paddle.sum(paddle.multiply(im, im))).backward();
  close(z.grad!, [[2, 4], [-6, 1], [0.5, -2]]);
  // through a complex matmul (its rule conjugates with conj): dA = w @ conj(B)^T, which
  // NumPy's finite differences of sum(real(A @ B) * w) confirm
  const A = ct([[[1, 1], [2, -1]], [[0, 2], [-1, 0]], [[3, 0], [1, 1]]]);
  A.stop_gradient = false;
  const B = ct([[[1, -1], [2, 0], [0, 1]], [[-1, 2], [1, 1], [3, -2]]]);
  const wm = paddle.to_tensor([[1, 2, 0], [0, -1, 3], [0.5, 0, 1]], { dtype: 'float64' });
  paddle.sum(paddle.multiply(paddle.real(paddle.matmul(A, B)), wm)).backward();
  close(A.grad!, [[5, 1], [1, -4], [-2, -3], [8, 7], [0.5, -0.5], [2.5, 1]]);
  // the grad operators differentiate again: d/dw of <grad, v> through real_grad / imag_grad
  const w = paddle.to_tensor([0.5, -1, 2], { dtype: 'float64' });
  w.stop_gradient = false;
  const z2 = ct([[1, 1], [2, 2], [3, 3]]);
  z2.stop_gradient = false;
  const L = paddle.add(paddle.sum(paddle.multiply(paddle.real(z2), paddle.multiply(w, w))), paddle.sum(paddle.multiply(paddle.imag(z2), w)));
  const gz = paddle.grad([L], [z2], { create_graph: true })[0]!;
  // gz = w^2 + i w; sum(re(gz)) + 3 sum(im(gz)) has d/dw = 2w + 3
  const gw = paddle.grad([paddle.add(paddle.sum(paddle.real(gz)), paddle.scale(paddle.sum(paddle.imag(gz)), 3))], [w])[0]!;
  assertClose(gw, [4, 1, 7], 1e-12);
});

test('errors', () => {
  const f = paddle.to_tensor([1.5], { dtype: 'float32' });
  assertThrows(() => paddle.real(f), InvalidArgumentError, /paddle\.real/, /complex64 or complex128/, /float32/);
  assertThrows(() => paddle.imag(paddle.to_tensor([1])), InvalidArgumentError, /paddle\.imag/, /int64/);
  assertThrows(() => paddle.conj(paddle.to_tensor([true])), InvalidArgumentError, /paddle\.conj/, /bool/);
  assertThrows(() => paddle.conj(paddle.to_tensor([1], { dtype: 'int8' })), InvalidArgumentError, /int8/);
  assertThrows(() => paddle.add(ct(X), ct(Y.slice(0, 2))), InvalidArgumentError, /paddle\.add/, /\[2, 3\] and \[2\]/);
  assertThrows(() => paddle.real('x' as never), InvalidArgumentError, /'x'/);
});

test('complex gradients conjugate the other operand (mul, div) and abs gives x/|x|', () => {
  // For z = a + ib Paddle's gradient is dL/da + i dL/db. With L = sum(real(x*y)):
  // dL/dx = conj(y), dL/dy = conj(x); with L = sum(real(x/y)): dL/dx = 1/conj(y).
  const x = paddle.to_tensor([{ real: 1, imag: 2 }], { dtype: 'complex128', stop_gradient: false });
  const y = paddle.to_tensor([{ real: 3, imag: -1 }], { dtype: 'complex128', stop_gradient: false });
  paddle.sum(paddle.real(paddle.multiply(x, y))).backward();
  assert.deepEqual(x.grad!.tolist(), [{ real: 3, imag: 1 }]);
  assert.deepEqual(y.grad!.tolist(), [{ real: 1, imag: -2 }]);
  const x2 = paddle.to_tensor([{ real: 1, imag: 2 }], { dtype: 'complex128', stop_gradient: false });
  paddle.sum(paddle.real(paddle.divide(x2, y))).backward();
  // 1/conj(3 - i) = 1/(3 + i) = (3 - i)/10
  const g = x2.grad!.tolist() as { real: number; imag: number }[];
  assert.ok(Math.abs(g[0].real - 0.3) < 1e-12 && Math.abs(g[0].imag + 0.1) < 1e-12, JSON.stringify(g));
  const a = paddle.to_tensor([{ real: 3, imag: 4 }, { real: 0, imag: 0 }], { dtype: 'complex128', stop_gradient: false });
  paddle.sum(paddle.abs(a)).backward();
  const ga = a.grad!.tolist() as { real: number; imag: number }[];
  assert.ok(Math.abs(ga[0].real - 0.6) < 1e-12 && Math.abs(ga[0].imag - 0.8) < 1e-12, JSON.stringify(ga));
  assert.deepEqual(ga[1], { real: 0, imag: 0 });
});
