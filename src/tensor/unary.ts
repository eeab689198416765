// paddle.* elementwise unary math as in python/paddle/tensor/math.py and
// python/paddle/fluid/layers/ops.py (abs, exp, log, sin, ...), plus pow, scale, neg, stanh
// and increment. Most are also paddle.Tensor methods (the tensor is x).
import { defineApi, p } from '../core/args.js';
import { T, tensorToNumbers } from '../core/convert.js';
import { dispatchInplace, run1 } from '../core/dispatch.js';
import type { DType } from '../core/dtype.js';
import { fail } from '../core/errors.js';
import { getOp, hasOp } from '../core/registry.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { isScalar, operands } from './binary.js';

const xParams = [p('x', T.tensor), p('name', T.nullable(T.str), null)] as const;

/** A paddle.* function running unary operator `type` on x, also a Tensor method. */
function unary(api: string, type: string) {
  return defineApi(`paddle.${api}`, xParams, (a) => run1(type, { X: [a.x] }), { method: true });
}

/**
 * Elementwise absolute value; int32/int64 keep their dtype.
 * @param x a Tensor (float16, float32, float64, int32, int64)
 * @example paddle.abs(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [0.4, 0.2, 0.1, 0.3]
 */
export const abs = unary('abs', 'abs');
/**
 * Elementwise e^x.
 * @param x a Tensor (float16, float32, float64; int32/int64 give truncated results)
 * @example paddle.exp(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [0.67032005, 0.81873075, 1.10517092, 1.34985881]
 */
export const exp = unary('exp', 'exp');
/**
 * Elementwise natural logarithm.
 * @param x a float Tensor
 * @example paddle.log(paddle.to_tensor([1, 2.718281828459045], { dtype: 'float64' })) // [0, 1]
 */
export const log = unary('log', 'log');
/**
 * Elementwise base-2 logarithm.
 * @param x a float Tensor
 * @example paddle.log2(paddle.to_tensor([[1.0], [2.0]], { dtype: 'float32' })) // [[0], [1]]
 */
export const log2 = unary('log2', 'log2');
/**
 * Elementwise base-10 logarithm.
 * @param x a float Tensor
 * @example paddle.log10(paddle.to_tensor([[1.0], [10.0]], { dtype: 'float32' })) // [[0], [1]]
 */
export const log10 = unary('log10', 'log10');
/**
 * Elementwise ln(1 + x), accurate for small x.
 * @param x a float Tensor
 * @example paddle.log1p(paddle.to_tensor([[0], [1]], { dtype: 'float32' })) // [[0], [0.6931472]]
 */
export const log1p = unary('log1p', 'log1p');
/**
 * Elementwise square root.
 * @param x a float Tensor
 * @example paddle.sqrt(paddle.to_tensor([0.1, 0.2, 0.3, 0.4])) // [0.31622777, 0.4472136, 0.54772256, 0.63245553]
 */
export const sqrt = unary('sqrt', 'sqrt');
/**
 * Elementwise 1 / sqrt(x).
 * @param x a float Tensor
 * @example paddle.rsqrt(paddle.to_tensor([0.1, 0.2, 0.3, 0.4])) // [3.16227766, 2.23606798, 1.82574186, 1.58113883]
 */
export const rsqrt = unary('rsqrt', 'rsqrt');
/**
 * Elementwise x * x.
 * @param x a Tensor (float16, float32, float64, int32, int64)
 * @example paddle.square(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [0.16, 0.04, 0.01, 0.09]
 */
export const square = unary('square', 'square');
/**
 * Elementwise 1 / x.
 * @param x a float Tensor
 * @example paddle.reciprocal(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-2.5, -5, 10, 3.33333333]
 */
export const reciprocal = unary('reciprocal', 'reciprocal');
/**
 * Elementwise sine (radians).
 * @param x a float Tensor
 * @example paddle.sin(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-0.38941834, -0.19866933, 0.09983342, 0.29552021]
 */
export const sin = unary('sin', 'sin');
/**
 * Elementwise cosine (radians).
 * @param x a float Tensor
 * @example paddle.cos(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [0.92106099, 0.98006658, 0.99500417, 0.95533649]
 */
export const cos = unary('cos', 'cos');
/**
 * Elementwise tangent (radians). Added in Paddle 2.1 (not a Tensor method in 2.0).
 * @param x a float Tensor
 * @example paddle.tan(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-0.42279324, -0.20271005, 0.10033467, 0.30933627]
 */
export const tan = defineApi('paddle.tan', xParams, (a) => run1('tan', { X: [a.x] }));
/**
 * Elementwise arc sine, in radians; |x| > 1 gives NaN.
 * @param x a float Tensor
 * @example paddle.asin(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-0.41151685, -0.20135792, 0.10016742, 0.30469265]
 */
export const asin = unary('asin', 'asin');
/**
 * Elementwise arc cosine, in radians; |x| > 1 gives NaN.
 * @param x a float Tensor
 * @example paddle.acos(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [1.98231317, 1.77215425, 1.47062891, 1.26610367]
 */
export const acos = unary('acos', 'acos');
/**
 * Elementwise arc tangent, in radians.
 * @param x a float Tensor
 * @example paddle.atan(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-0.38050638, -0.19739556, 0.09966865, 0.29145679]
 */
export const atan = unary('atan', 'atan');
/**
 * Elementwise hyperbolic sine.
 * @param x a float Tensor
 * @example paddle.sinh(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-0.41075233, -0.201336, 0.10016675, 0.30452029]
 */
export const sinh = unary('sinh', 'sinh');
/**
 * Elementwise hyperbolic cosine.
 * @param x a float Tensor
 * @example paddle.cosh(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [1.08107237, 1.02006676, 1.00500417, 1.04533851]
 */
export const cosh = unary('cosh', 'cosh');
/**
 * Elementwise hyperbolic tangent.
 * @param x a float Tensor
 * @example paddle.tanh(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-0.37994896, -0.19737532, 0.09966799, 0.29131261]
 */
export const tanh = unary('tanh', 'tanh');
/**
 * In-place tanh: writes tanh(x) into x and returns x (its gradient reads only the result).
 * @param x a float Tensor; a leaf that needs a gradient cannot be modified in place
 * @example const x = paddle.to_tensor([0.5]); paddle.tanh_(x); // x is now [0.46211717]
 */
export const tanh_ = defineApi('paddle.tanh_', xParams, (a) => dispatchInplace('tanh', { X: [a.x] }, {}, a.x), { method: true });
/**
 * Elementwise floor (float in, float out); zero gradient.
 * @param x a float Tensor
 * @example paddle.floor(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-1, -1, 0, 0]
 */
export const floor = unary('floor', 'floor');
/**
 * Elementwise ceiling (float in, float out); zero gradient.
 * @param x a float Tensor
 * @example paddle.ceil(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-0, -0, 1, 1]
 */
export const ceil = unary('ceil', 'ceil');
/**
 * Elementwise rounding to the nearest integer, halves away from zero; zero gradient.
 * @param x a float Tensor
 * @example paddle.round(paddle.to_tensor([-0.5, -0.2, 0.6, 1.5])) // [-1, -0, 1, 2]
 */
export const round = unary('round', 'round');
/**
 * Elementwise sign: 1, 0 or -1 in x's dtype; zero gradient.
 * @param x a float Tensor
 * @example paddle.sign(paddle.to_tensor([3.0, 0.0, -2.0, 1.7])) // [1, 0, -1, 1]
 */
export const sign = unary('sign', 'sign');
/**
 * Elementwise Gauss error function.
 * @param x a float Tensor
 * @example paddle.erf(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [-0.42839235, -0.22270259, 0.11246292, 0.32862678]
 */
export const erf = unary('erf', 'erf');

/**
 * Scaled tanh: scale_b * tanh(scale_a * x).
 * @param x a float Tensor
 * @param scale_a scale of the input (default 0.67)
 * @param scale_b scale of the output (default 1.7159)
 * @example paddle.stanh(paddle.to_tensor([1.0, 2.0, 3.0, 4.0], { dtype: 'float32' }), 0.67, 1.72) // [1.00616539, 1.49927628, 1.65933108, 1.70390463]
 */
export const stanh = defineApi(
  'paddle.stanh',
  [p('x', T.tensor), p('scale_a', T.float, 0.67), p('scale_b', T.float, 1.7159), p('name', T.nullable(T.str), null)],
  (a) => run1('stanh', { X: [a.x] }, { scale_a: a.scale_a, scale_b: a.scale_b }),
  { method: true },
);

/**
 * x raised to y elementwise. A number y runs the `pow` operator (an int x uses y cast to
 * int, as Paddle's kernel does); a Tensor y runs `elementwise_pow` with broadcasting (y is
 * cast to x's dtype).
 * @param x a Tensor (float16, float32, float64, int32, int64)
 * @param y a number or a Tensor
 * @example paddle.pow(paddle.to_tensor([1, 2, 3], { dtype: 'float32' }), 2) // [1, 4, 9]
 */
export const pow = defineApi(
  'paddle.pow',
  [p('x', T.tensor), p('y', T.tensorOrScalar), p('name', T.nullable(T.str), null)],
  (a) => {
    if (isScalar(a.y)) return run1('pow', { X: [a.x] }, { factor: Number(a.y) });
    const [x, y] = operands(a.x, a.y);
    return run1('elementwise_pow', { X: [x], Y: [y] }, { axis: -1 });
  },
  { method: true },
);

/**
 * -x, computed as scale(x, -1) like Paddle (2.1's paddle.neg).
 * @param x a Tensor
 * @example paddle.neg(paddle.to_tensor([-0.4, -0.2, 0.1, 0.3])) // [0.4, 0.2, -0.1, -0.3]
 */
export const neg = defineApi('paddle.neg', xParams, (a) => c.scale(a.x, -1));

const SCALE_DTYPES: readonly DType[] = ['float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8'];

/**
 * scale * x + bias (bias_after_scale=true) or scale * (x + bias), then the activation `act`
 * (an operator type such as 'relu', 'tanh', 'sigmoid') when given. Paddle 2.0's dygraph
 * ignores `act` (a bug); it is applied here, as in static mode.
 * @param x a Tensor (float16/32/64, int8/16/32/64, uint8)
 * @param scale a number or a one-element Tensor (default 1.0)
 * @param bias a number (default 0.0)
 * @param bias_after_scale whether the bias is added after scaling (default true)
 * @param act an activation operator type, or null
 * @example paddle.scale(paddle.to_tensor([1, 2, 3], { dtype: 'float32' }), 2.0, 1.0) // [3, 5, 7]
 */
export const scale = defineApi(
  'paddle.scale',
  [
    p('x', T.tensor),
    p('scale', T.union(T.float, T.tensor), 1.0),
    p('bias', T.float, 0.0),
    p('bias_after_scale', T.bool, true),
    p('act', T.nullable(T.str), null),
    p('name', T.nullable(T.str), null),
  ],
  (a) => {
    const api = 'paddle.scale';
    if (!SCALE_DTYPES.includes(a.x.dtype)) fail(api, `argument 'x' must have dtype ${SCALE_DTYPES.join(', ')}, but got ${a.x.dtype}`);
    let out: Tensor;
    if (a.scale instanceof Tensor) {
      const st = a.scale;
      if (!st.dims.includes(-1) && st.size !== 1) fail(api, `argument 'scale' as a Tensor must have one element, but has shape [${st.dims.join(', ')}]`);
      if (state.staticMode) out = run1('scale', { X: [a.x], ScaleTensor: [st] }, { bias: a.bias, bias_after_scale: a.bias_after_scale });
      // dygraph reads the value, as Paddle does (the gradient rule uses the attribute)
      else out = c.scale(a.x, tensorToNumbers(st)[0], a.bias, a.bias_after_scale);
    } else out = c.scale(a.x, a.scale, a.bias, a.bias_after_scale);
    if (a.act !== null) {
      const act = a.act;
      if (!hasOp(act)) fail(api, `argument 'act' names no operator: '${act}' (expected an activation such as 'relu', 'tanh', 'sigmoid')`);
      const def = getOp(act);
      if (!def.inputs.some((s) => s.name === 'X') || !def.outputs.some((s) => s.name === 'Out'))
        fail(api, `argument 'act' must be an activation operator with input X and output Out, but '${act}' is not`);
      out = run1(act, { X: [out] });
    }
    return out;
  },
  { method: true },
);

/**
 * Adds `value` to a one-element tensor (Paddle's loop counter). In static mode Paddle writes
 * the result back into x; here it returns a new tensor in both modes. No gradient.
 * @param x a one-element Tensor (float32, float64, int32, int64)
 * @param value the step (default 1.0; cast to int for int tensors)
 * @example paddle.increment(paddle.zeros([1], 'float32')) // [1]
 */
export const increment = defineApi(
  'paddle.increment',
  [p('x', T.tensor), p('value', T.float, 1.0), p('name', T.nullable(T.str), null)],
  (a) => run1('increment', { X: [a.x] }, { step: a.value }),
  { method: true },
);
