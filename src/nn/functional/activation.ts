// paddle.nn.functional activations, as in python/paddle/nn/functional/activation.py:
// relu, relu_, sigmoid, softmax, softmax_, log_softmax.
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { DType } from '../../core/dtype.js';
import { dispatchInplace, run1 } from '../../core/dispatch.js';
import { fail } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';

const nameP = p('name', T.nullable(T.str), null);
const xOnly = [p('x', T.tensor), nameP] as const;

/**
 * max(x, 0), elementwise.
 * @param x a float Tensor
 * @example F.relu(paddle.to_tensor([-2, 0, 1], { dtype: 'float32' })) // [0, 0, 1]
 */
export const relu = defineApi('paddle.nn.functional.relu', xOnly, (a): Tensor => run1('relu', { X: [a.x] }));

/**
 * In-place relu: overwrites `x` with max(x, 0) and returns it (dygraph).
 * @param x a float Tensor
 * @example F.relu_(x)
 */
export const relu_ = defineApi('paddle.nn.functional.relu_', xOnly, (a): Tensor => dispatchInplace('relu', { X: [a.x] }, {}, a.x));

/**
 * 1 / (1 + e^-x), elementwise.
 * @param x a float Tensor
 * @example F.sigmoid(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [0.40131234, 0.450166, 0.52497919, 0.57444252]
 */
export const sigmoid = defineApi('paddle.nn.functional.sigmoid', xOnly, (a): Tensor => run1('sigmoid', { X: [a.x] }));

const softmaxParams = [p('x', T.tensor), p('axis', T.int, -1), p('dtype', T.nullable(T.dtype), null), nameP] as const;

/** Casts x to `dtype` first when given (float32 or float64 only, as Paddle). */
function castFirst(api: string, x: Tensor, dtype: DType | null): Tensor {
  if (dtype === null) return x;
  if (dtype !== 'float32' && dtype !== 'float64') fail(api, `argument 'dtype' must be float32 or float64 when given, but got ${dtype}`);
  return c.cast(x, dtype);
}

/**
 * exp(x) / sum(exp(x)) along `axis` (numerically stable).
 * @param x a float Tensor
 * @param axis the axis to normalize, in [-rank, rank) (default -1)
 * @param dtype cast x to this dtype (float32/float64) first
 * @example F.softmax(paddle.to_tensor([[2, 3, 4, 5]], { dtype: 'float32' })) // [[0.0320586, 0.08714432, 0.23688282, 0.64391426]]
 */
export const softmax = defineApi('paddle.nn.functional.softmax', softmaxParams, (a): Tensor =>
  run1('softmax', { X: [castFirst('paddle.nn.functional.softmax', a.x, a.dtype)] }, { axis: a.axis, use_cudnn: true }),
);

/**
 * In-place softmax: overwrites `x` (dygraph). With `dtype`, x is cast first and the result is a
 * new tensor, as in Paddle.
 * @example F.softmax_(x)
 */
export const softmax_ = defineApi('paddle.nn.functional.softmax_', softmaxParams, (a): Tensor => {
  const x = castFirst('paddle.nn.functional.softmax_', a.x, a.dtype);
  return dispatchInplace('softmax', { X: [x] }, { axis: a.axis, use_cudnn: true }, x);
});

/**
 * log(softmax(x)) along `axis`, computed stably as x - max - log(sum(exp(x - max))).
 * @param x a float Tensor
 * @param axis the axis to normalize (default -1)
 * @param dtype cast x to this dtype (float32/float64) first
 * @example F.log_softmax(paddle.to_tensor([[2, 3, 4, 5]], { dtype: 'float32' })) // [[-3.44019, -2.44019, -1.44019, -0.44019]]
 */
export const log_softmax = defineApi('paddle.nn.functional.log_softmax', softmaxParams, (a): Tensor =>
  run1('log_softmax', { X: [castFirst('paddle.nn.functional.log_softmax', a.x, a.dtype)] }, { axis: a.axis }),
);
