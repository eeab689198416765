// paddle.matmul / mm / bmm / dot / mv, as in python/paddle/tensor/linalg.py (mm lives in
// math.py and appends the v1 `matmul` op). Each is also a paddle.Tensor method.
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { run1 } from '../core/dispatch.js';
import type { Tensor } from '../core/tensor.js';

const nameP = p('name', T.nullable(T.str), null);

/**
 * Matrix product with NumPy's matmul rules: a 1-D `x` is a row vector and a 1-D `y` a column
 * vector (their dimension is dropped from the result; two vectors give shape [1]); batch
 * dimensions broadcast. `transpose_x`/`transpose_y` transpose the last two dimensions first.
 * @param x a Tensor (float16, float32, float64; int32/int64 and complex also work)
 * @param y a Tensor of the same dtype
 * @param transpose_x transpose x's last two dimensions before multiplying
 * @param transpose_y transpose y's last two dimensions before multiplying
 * @example paddle.matmul(paddle.ones([10, 5, 2]), paddle.ones([2])).shape // [10, 5]
 */
export const matmul = defineApi(
  'paddle.matmul',
  [p('x', T.tensor), p('y', T.tensor), p('transpose_x', T.bool, false), p('transpose_y', T.bool, false), nameP],
  (a): Tensor => run1('matmul_v2', { X: [a.x], Y: [a.y] }, { trans_x: a.transpose_x, trans_y: a.transpose_y }),
  { method: true },
);

/**
 * Matrix product of `input` and `mat2` (matmul without transposes), through the v1 `matmul`
 * operator as Paddle 2.0 does: batch dimensions must be equal, or one side a plain matrix.
 * @param input a float Tensor
 * @param mat2 a float Tensor
 * @example paddle.mm(paddle.arange(1, 7).reshape([3, 2]).astype('float32'), paddle.arange(1, 9).reshape([2, 4]).astype('float32'))
 * // [[11, 14, 17, 20], [23, 30, 37, 44], [35, 46, 57, 68]]
 */
export const mm = defineApi(
  'paddle.mm',
  [p('input', T.tensor), p('mat2', T.tensor), nameP],
  (a): Tensor => run1('matmul', { X: [a.input], Y: [a.mat2] }, { transpose_X: false, transpose_Y: false, alpha: 1 }),
  { method: true },
);

/**
 * Batched matrix product of 3-D tensors: [B, M, K] x [B, K, N] -> [B, M, N]; the batch sizes
 * must be equal (no broadcasting).
 * @param x a 3-D float Tensor
 * @param y a 3-D float Tensor
 * @example paddle.bmm(paddle.ones([2, 2, 3]), paddle.ones([2, 3, 2])) // every element 3
 */
export const bmm = defineApi(
  'paddle.bmm',
  [p('x', T.tensor), p('y', T.tensor), nameP],
  (a): Tensor => run1('bmm', { X: [a.x], Y: [a.y] }),
  { method: true },
);

/**
 * Inner product: of two 1-D tensors (result shape [1]), or of each row of two 2-D tensors
 * (result shape [N, 1]).
 * @param x a 1-D or 2-D Tensor (float32, float64, int32, int64)
 * @param y a Tensor of the same shape and dtype
 * @example paddle.dot(paddle.to_tensor([1, 2, 3]), paddle.to_tensor([4, 5, 6])) // [32] (int64)
 */
export const dot = defineApi(
  'paddle.dot',
  [p('x', T.tensor), p('y', T.tensor), nameP],
  (a): Tensor => run1('dot', { X: [a.x], Y: [a.y] }),
  { method: true },
);

/**
 * Matrix-vector product: a 2-D `x` [M, N] times a 1-D `vec` [N] gives [M].
 * @param x a 2-D float Tensor
 * @param vec a 1-D float Tensor
 * @example paddle.mv(paddle.to_tensor([[2, 1, 3], [3, 0, 1]], { dtype: 'float64' }), paddle.to_tensor([3, 5, 1], { dtype: 'float64' })) // [14, 10]
 */
export const mv = defineApi(
  'paddle.mv',
  [p('x', T.tensor), p('vec', T.tensor), nameP],
  (a): Tensor => run1('mv', { X: [a.x], Vec: [a.vec] }),
  { method: true },
);
