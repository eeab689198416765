// paddle.cross / norm / dist / cholesky (python/paddle/tensor/linalg.py), inverse / addmm /
// conj (math.py) and real / imag (attribute.py). Each is also a paddle.Tensor method.
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { run1 } from '../core/dispatch.js';
import { DType, isComplex } from '../core/dtype.js';
import { fail } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';

const nameP = p('name', T.nullable(T.str), null);

function requireFloat(api: string, arg: string, t: Tensor): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64')
    fail(api, `argument '${arg}' must be a float32 or float64 Tensor, but got dtype ${t.dtype}`);
}

/**
 * Cross product of x and y along `axis`, whose size must be 3; with axis None, the first
 * dimension of size 3. x and y must have the same shape.
 * @param x a Tensor (float32, float64, int32, int64)
 * @param y a Tensor of the same shape and dtype
 * @param axis the axis of the 3-vectors (default: the first dimension of size 3)
 * @example paddle.cross(paddle.to_tensor([[1., 1., 1.], [2., 2., 2.], [3., 3., 3.]]), paddle.ones([3, 3]))
 * // [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]]
 */
export const cross = defineApi(
  'paddle.cross',
  [p('x', T.tensor), p('y', T.tensor), p('axis', T.nullable(T.int), null), nameP],
  (a): Tensor => run1('cross', { X: [a.x], Y: [a.y] }, a.axis === null ? {} : { dim: a.axis }),
  { method: true },
);

const pTy = T.union(T.float, T.str);

/**
 * Matrix or vector norm. `p='fro'` is the Frobenius norm (of all elements with axis None, of
 * each matrix for a two-axis `axis`, the 2-norm along an int axis); a number gives the
 * vector p-norm (0 counts nonzeros, Infinity/-Infinity take max/min |x|) along an int axis,
 * of all elements with axis None, or entrywise over a two-axis `axis`.
 * @param x a float32/float64 Tensor
 * @param p 'fro', or the order: 0, 1, 2, Infinity, -Infinity or any other number
 * @param axis None, an int, or a list of one or two ints
 * @param keepdim keep the reduced dimensions with size 1
 * @example paddle.norm(paddle.to_tensor([[3., 4.], [0., 0.]]), 2, 1) // [5, 0]
 */
export const norm = defineApi(
  'paddle.norm',
  [p('x', T.tensor), p('p', pTy, 'fro' as number | string), p('axis', T.nullable(T.intOrInts), null), p('keepdim', T.bool, false), nameP],
  (a): Tensor => {
    const api = 'paddle.norm';
    const { x, keepdim } = a;
    const pv = a.p;
    requireFloat(api, 'x', x);
    const badStr = (): never => fail(api, `argument 'p' only accepts the string 'fro', but got '${String(pv)}'`);
    const pNorm = (porder: number, axis: number, asvector: boolean): Tensor =>
      run1('p_norm', { X: [x] }, { porder, axis, epsilon: 1e-12, keepdim, asvector });
    const frob = (dim: number[] | null): Tensor =>
      run1('frobenius_norm', { X: [x] }, dim === null ? { dim: [0], keep_dim: keepdim, reduce_all: true } : { dim, keep_dim: keepdim, reduce_all: false });
    if (a.axis === null) {
      if (typeof pv === 'string') return pv === 'fro' ? frob(null) : badStr();
      return pNorm(pv, -1, true);
    }
    const axis = a.axis;
    if (axis.length === 1) {
      if (typeof pv === 'string') return pv === 'fro' ? pNorm(2, axis[0], false) : badStr();
      return pNorm(pv, axis[0], false);
    }
    if (axis.length !== 2)
      fail(api, `argument 'axis' must be None, an int, or a list of one or two ints, but got [${axis.join(', ')}]`);
    if (typeof pv === 'string') return pv === 'fro' ? frob(axis) : badStr();
    const reduce = { dim: axis, keep_dim: keepdim, reduce_all: false };
    if (pv === Infinity || pv === -Infinity)
      return run1(pv > 0 ? 'reduce_max' : 'reduce_min', { X: [c.unary('abs', x)] }, reduce);
    if (pv === 0) fail(api, `p=0 is only supported with axis None or a single int axis, but got axis [${axis.join(', ')}]`);
    // entrywise p-norm over the two axes: (sum |x|^p)^(1/p), as Paddle composes it
    const s = run1('reduce_sum', { X: [c.unary('pow', c.unary('abs', x), { factor: pv })] }, reduce);
    return c.unary('pow', s, { factor: 1 / pv });
  },
  { method: true },
);

/**
 * The p-norm of x - y (broadcast): p = 0 counts the nonzeros, Infinity/-Infinity take the
 * max/min |x - y|. The result has shape [1].
 * @param x a float32/float64 Tensor
 * @param y a Tensor of the same dtype, broadcastable with x
 * @param p the order (default 2)
 * @example paddle.dist(paddle.to_tensor([[3., 3.], [3., 3.]]), paddle.to_tensor([[3., 3.], [3., 1.]]), 2) // [2]
 */
export const dist = defineApi(
  'paddle.dist',
  [p('x', T.tensor), p('y', T.tensor), p('p', T.float, 2)],
  (a): Tensor => {
    requireFloat('paddle.dist', 'x', a.x);
    requireFloat('paddle.dist', 'y', a.y);
    return run1('dist', { X: [a.x], Y: [a.y] }, { p: a.p });
  },
  { method: true },
);

/**
 * Cholesky factor of a symmetric positive-definite matrix (or a batch of them, in the last
 * two dimensions): lower-triangular L with x = L L^T, or upper-triangular U with x = U^T U
 * when `upper` is true. A matrix that is not positive definite is an error.
 * @param x a float32/float64 Tensor of shape [*, M, M]
 * @param upper return the upper factor
 * @example paddle.cholesky(paddle.to_tensor([[4., 2.], [2., 5.]], { dtype: 'float64' })) // [[2, 0], [1, 2]]
 */
export const cholesky = defineApi(
  'paddle.cholesky',
  [p('x', T.tensor), p('upper', T.bool, false), nameP],
  (a): Tensor => run1('cholesky', { X: [a.x] }, { upper: a.upper }),
  { method: true },
);

/**
 * Inverse of a square matrix (or a batch of them, in the last two dimensions). A singular
 * matrix is an error.
 * @param x a float32/float64 Tensor of shape [*, M, M]
 * @example paddle.inverse(paddle.to_tensor([[2., 0.], [0., 2.]])) // [[0.5, 0], [0, 0.5]]
 */
export const inverse = defineApi(
  'paddle.inverse',
  [p('x', T.tensor), nameP],
  (a): Tensor => run1('inverse', { Input: [a.x] }, {}, 'Output'),
  { method: true },
);

/**
 * beta * input + alpha * (x @ y) for 2-D x [M, K] and y [K, N]; input is broadcast to
 * [M, N] (each of its two dimensions equal or 1). Note beta comes before alpha.
 * @param input a 2-D float32/float64 Tensor
 * @param x a 2-D Tensor [M, K]
 * @param y a 2-D Tensor [K, N]
 * @param beta the coefficient of input
 * @param alpha the coefficient of x @ y
 * @example paddle.addmm(paddle.ones([2, 2]), paddle.ones([2, 2]), paddle.ones([2, 2]), 0.5, 5.0) // every element 10.5
 */
export const addmm = defineApi(
  'paddle.addmm',
  [p('input', T.tensor), p('x', T.tensor), p('y', T.tensor), p('beta', T.float, 1.0), p('alpha', T.float, 1.0), nameP],
  (a): Tensor => {
    requireFloat('paddle.addmm', 'x', a.x);
    return run1('addmm', { Input: [a.input], X: [a.x], Y: [a.y] }, { Alpha: a.alpha, Beta: a.beta });
  },
  { method: true },
);

const CONJ_DTYPES: readonly DType[] = ['complex64', 'complex128', 'float32', 'float64', 'int32', 'int64'];

/**
 * Elementwise complex conjugate; a real tensor (float32, float64, int32, int64) comes back
 * as a copy.
 * @param x a Tensor
 * @example paddle.conj(paddle.to_tensor([{ real: 1, imag: 1 }, { real: 2, imag: -3 }])) // [(1-1j), (2+3j)]
 */
export const conj = defineApi(
  'paddle.conj',
  [p('x', T.tensor), nameP],
  (a): Tensor => {
    if (!CONJ_DTYPES.includes(a.x.dtype)) fail('paddle.conj', `argument 'x' must have dtype ${CONJ_DTYPES.join(', ')}, but got ${a.x.dtype}`);
    return run1('conj', { X: [a.x] });
  },
  { method: true },
);

function partApi(which: 'real' | 'imag') {
  return (a: { x: Tensor }): Tensor => {
    if (!isComplex(a.x.dtype))
      fail(`paddle.${which}`, `argument 'x' must be a complex64 or complex128 Tensor, but got dtype ${a.x.dtype}`);
    return run1(which, { X: [a.x] });
  };
}

/**
 * The real part of a complex tensor, as a float32 (complex64) or float64 (complex128) tensor.
 * @param x a complex Tensor
 * @example paddle.real(paddle.to_tensor([{ real: 1, imag: 6 }, { real: 2, imag: 5 }])) // [1, 2]
 */
export const real = defineApi('paddle.real', [p('x', T.tensor), nameP], partApi('real'), { method: true });

/**
 * The imaginary part of a complex tensor, as a float32 (complex64) or float64 (complex128)
 * tensor.
 * @param x a complex Tensor
 * @example paddle.imag(paddle.to_tensor([{ real: 1, imag: 6 }, { real: 2, imag: 5 }])) // [6, 5]
 */
export const imag = defineApi('paddle.imag', [p('x', T.tensor), nameP], partApi('imag'), { method: true });
