// paddle.equal / not_equal / less_than / less_equal / greater_than / greater_equal /
// equal_all / allclose (python/paddle/tensor/logic.py), isfinite / isinf / isnan (math.py)
// and logical_and / or / xor / not (fluid/layers/nn.py, re-exported as paddle.*).
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { dispatchInplace, run1 } from '../core/dispatch.js';
import { fail } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { operands } from './binary.js';

const xy = [p('x', T.tensor), p('y', T.tensorOrScalar), p('name', T.nullable(T.str), null)] as const;

/** A comparison: y may be a Tensor (cast to x's dtype if it differs) or a number. */
function comparison(api: string, type: string) {
  return (a: { x: Tensor; y: Tensor | number | boolean }): Tensor => {
    if (a.x.dtype === 'complex64' || a.x.dtype === 'complex128') fail(api, `argument 'x' must be a real tensor, but got ${a.x.dtype}`);
    const [x, y] = operands(a.x, a.y);
    return run1(type, { X: [x], Y: [y] }, { axis: -1, force_cpu: false });
  };
}

/**
 * Elementwise x == y with broadcasting, as a bool tensor. Floats closer than 1e-8 count as
 * equal (Paddle's EqualFunctor).
 * @param x a Tensor
 * @param y a Tensor (or a number)
 * @example paddle.equal(paddle.to_tensor([1, 2, 3]), paddle.to_tensor([1, 3, 2])) // [true, false, false]
 */
export const equal = defineApi('paddle.equal', xy, comparison('paddle.equal', 'equal'), { method: true });
/**
 * Elementwise x != y with broadcasting.
 * @example paddle.not_equal(paddle.to_tensor([1, 2, 3]), paddle.to_tensor([1, 3, 2])) // [false, true, true]
 */
export const not_equal = defineApi('paddle.not_equal', xy, comparison('paddle.not_equal', 'not_equal'), { method: true });
/**
 * Elementwise x < y with broadcasting.
 * @example paddle.less_than(paddle.to_tensor([1, 2, 3]), paddle.to_tensor([1, 3, 2])) // [false, true, false]
 */
export const less_than = defineApi('paddle.less_than', xy, comparison('paddle.less_than', 'less_than'), { method: true });
/**
 * Elementwise x <= y with broadcasting.
 * @example paddle.less_equal(paddle.to_tensor([1, 2, 3]), paddle.to_tensor([1, 3, 2])) // [true, true, false]
 */
export const less_equal = defineApi('paddle.less_equal', xy, comparison('paddle.less_equal', 'less_equal'), { method: true });
/**
 * Elementwise x > y with broadcasting.
 * @example paddle.greater_than(paddle.to_tensor([1, 2, 3]), paddle.to_tensor([1, 3, 2])) // [false, false, true]
 */
export const greater_than = defineApi('paddle.greater_than', xy, comparison('paddle.greater_than', 'greater_than'), { method: true });
/**
 * Elementwise x >= y with broadcasting.
 * @example paddle.greater_equal(paddle.to_tensor([1, 2, 3]), paddle.to_tensor([1, 3, 2])) // [true, false, true]
 */
export const greater_equal = defineApi('paddle.greater_equal', xy, comparison('paddle.greater_equal', 'greater_equal'), { method: true });

/**
 * True (a shape-[1] bool tensor) when x and y have the same shape and all elements equal.
 * @param x a Tensor
 * @param y a Tensor
 * @example paddle.equal_all(paddle.to_tensor([1, 2, 3]), paddle.to_tensor([1, 2, 3])) // [true]
 */
export const equal_all = defineApi(
  'paddle.equal_all',
  [p('x', T.tensor), p('y', T.tensor), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    if (a.x.dtype !== a.y.dtype) fail('paddle.equal_all', `arguments 'x' and 'y' must have the same dtype, but got ${a.x.dtype} and ${a.y.dtype}`);
    return run1('equal_all', { X: [a.x], Y: [a.y] }, {});
  },
  { method: true },
);

/** A float as Python's str() writes it (the allclose op stores rtol/atol that way). */
export function pyFloatStr(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  const [mant, e] = v.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

/**
 * True (a shape-[1] bool tensor) when |x - y| <= atol + rtol * |y| for every element.
 * @param x a float32/float64 Tensor
 * @param y a Tensor of x's shape and dtype
 * @param rtol relative tolerance
 * @param atol absolute tolerance
 * @param equal_nan whether NaN equals NaN
 * @example paddle.allclose(paddle.to_tensor([10000., 1e-07]), paddle.to_tensor([10000.1, 1e-08])) // [false]
 */
export const allclose = defineApi(
  'paddle.allclose',
  [p('x', T.tensor), p('y', T.tensor), p('rtol', T.float, 1e-5), p('atol', T.float, 1e-8), p('equal_nan', T.bool, false), p('name', T.nullable(T.str), null)],
  (a): Tensor =>
    run1('allclose', { Input: [a.x], Other: [a.y] }, { rtol: pyFloatStr(a.rtol), atol: pyFloatStr(a.atol), equal_nan: a.equal_nan }),
  { method: true },
);

const xOnly = [p('x', T.tensor), p('name', T.nullable(T.str), null)] as const;

/**
 * Elementwise test for finite values (not NaN, not +/-inf), as a bool tensor.
 * @example paddle.isfinite(paddle.to_tensor([Infinity, -Infinity, 0, -1, NaN], { dtype: 'float32' })) // [false, false, true, true, false]
 */
export const isfinite = defineApi('paddle.isfinite', xOnly, (a): Tensor => run1('isfinite_v2', { X: [a.x] }, {}), { method: true });
/**
 * Elementwise test for +/-inf, as a bool tensor.
 * @example paddle.isinf(paddle.to_tensor([Infinity, -Infinity, 0, -1, NaN], { dtype: 'float32' })) // [true, true, false, false, false]
 */
export const isinf = defineApi('paddle.isinf', xOnly, (a): Tensor => run1('isinf_v2', { X: [a.x] }, {}), { method: true });
/**
 * Elementwise test for NaN, as a bool tensor.
 * @example paddle.isnan(paddle.to_tensor([Infinity, -Infinity, 0, -1, NaN], { dtype: 'float32' })) // [false, false, false, false, true]
 */
export const isnan = defineApi('paddle.isnan', xOnly, (a): Tensor => run1('isnan_v2', { X: [a.x] }, {}), { method: true });

const outTy = T.nullable(T.tensor);

/** Runs a logical op, writing into `out` when given (its data, shape and dtype are replaced). */
function logical(type: string, ins: Record<string, Tensor[]>, out: Tensor | null): Tensor {
  if (out === null) return run1(type, ins, {});
  return dispatchInplace(type, ins, {}, out);
}

/**
 * Elementwise logical AND of two bool tensors, with broadcasting.
 * @param x a bool Tensor
 * @param y a bool Tensor
 * @param out a Tensor to write the result into
 * @example paddle.logical_and(paddle.to_tensor([true]), paddle.to_tensor([true, false, true, false])) // [true, false, true, false]
 */
export const logical_and = defineApi(
  'paddle.logical_and',
  [p('x', T.tensor), p('y', T.tensor), p('out', outTy, null), p('name', T.nullable(T.str), null)],
  (a): Tensor => logical('logical_and', { X: [a.x], Y: [a.y] }, a.out),
  { method: true },
);
/**
 * Elementwise logical OR of two bool tensors, with broadcasting.
 * @example paddle.logical_or(paddle.to_tensor([true, false]), paddle.to_tensor([false, false])) // [true, false]
 */
export const logical_or = defineApi(
  'paddle.logical_or',
  [p('x', T.tensor), p('y', T.tensor), p('out', outTy, null), p('name', T.nullable(T.str), null)],
  (a): Tensor => logical('logical_or', { X: [a.x], Y: [a.y] }, a.out),
  { method: true },
);
/**
 * Elementwise logical XOR of two bool tensors, with broadcasting.
 * @example paddle.logical_xor(paddle.to_tensor([true, false]), paddle.to_tensor([true, true])) // [false, true]
 */
export const logical_xor = defineApi(
  'paddle.logical_xor',
  [p('x', T.tensor), p('y', T.tensor), p('out', outTy, null), p('name', T.nullable(T.str), null)],
  (a): Tensor => logical('logical_xor', { X: [a.x], Y: [a.y] }, a.out),
  { method: true },
);
/**
 * Elementwise logical NOT of a bool tensor.
 * @example paddle.logical_not(paddle.to_tensor([true, false, true, false])) // [false, true, false, true]
 */
export const logical_not = defineApi(
  'paddle.logical_not',
  [p('x', T.tensor), p('out', outTy, null), p('name', T.nullable(T.str), null)],
  (a): Tensor => logical('logical_not', { X: [a.x] }, a.out),
  { method: true },
);
