// paddle.* tensor creation as in python/paddle/tensor/creation.py.
import { defineApi, p } from '../core/args.js';
import { T, tensorFromData } from '../core/convert.js';
import { Tensor } from '../core/tensor.js';

/**
 * Creates a Tensor from data: nested arrays, typed arrays, numbers, booleans, or a Tensor.
 * Whole numbers give int64, other numbers the default float dtype (float32), booleans bool;
 * a scalar gives shape [1]. Given a Tensor, Paddle 2.0 returns that tensor itself with
 * `stop_gradient` set (converted when another dtype is asked for).
 * @param data the values
 * @param dtype the dtype, e.g. 'float32'
 * @param place ignored (CPU only)
 * @param stop_gradient default true
 * @example paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32', stop_gradient: false })
 */
export const to_tensor = defineApi(
  'paddle.to_tensor',
  [p('data', T.data), p('dtype', T.nullable(T.dtype), null), p('place', T.any, null), p('stop_gradient', T.bool, true)],
  (a) => {
    if (a.data instanceof Tensor && (a.dtype === null || a.dtype === a.data.dtype)) {
      a.data.stop_gradient = a.stop_gradient;
      return a.data;
    }
    const t = tensorFromData(a.data, a.dtype, 'paddle.to_tensor');
    t.stop_gradient = a.stop_gradient;
    return t;
  },
);
