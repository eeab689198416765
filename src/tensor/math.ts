// paddle.* elementwise arithmetic as in python/paddle/tensor/math.py. Each is also a
// paddle.Tensor method (the tensor is x).
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { isFloating } from '../core/dtype.js';
import { run1 } from '../core/dispatch.js';
import type { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { isScalar, operands } from './binary.js';

const xy = [p('x', T.tensorOrScalar), p('y', T.tensorOrScalar), p('name', T.nullable(T.str), null)] as const;

function elementwise(type: string, trueDiv = false) {
  return (a: { x: Tensor | number | boolean; y: Tensor | number | boolean }): Tensor => {
    const [x, y] = operands(a.x, a.y, trueDiv);
    return run1(type, { X: [x], Y: [y] }, { axis: -1 });
  };
}

/**
 * Elementwise x + y with broadcasting. A scalar y is added through Paddle's `scale` op.
 * @param x a Tensor
 * @param y a Tensor or a number
 * @example paddle.add(paddle.to_tensor([2, 3, 4]), paddle.to_tensor([1, 5, 2])) // [3, 8, 6]
 */
export const add = defineApi('paddle.add', xy, (a) => {
  if (isScalar(a.y) && !isScalar(a.x) && isFloating(a.x.dtype)) return c.scale(a.x, 1, Number(a.y));
  return elementwise('elementwise_add')(a);
}, { method: true });

/**
 * Elementwise x - y with broadcasting.
 * @example paddle.subtract(paddle.to_tensor([[1, 2], [7, 8]]), paddle.to_tensor([[5, 6], [3, 4]])) // [[-4, -4], [4, 4]]
 */
export const subtract = defineApi('paddle.subtract', xy, (a) => {
  if (isScalar(a.y) && !isScalar(a.x) && isFloating(a.x.dtype)) return c.scale(a.x, 1, -Number(a.y));
  return elementwise('elementwise_sub')(a);
}, { method: true });

/**
 * Elementwise x * y with broadcasting.
 * @example paddle.multiply(paddle.to_tensor([[1, 2], [3, 4]]), paddle.to_tensor([[5, 6], [7, 8]])) // [[5, 12], [21, 32]]
 */
export const multiply = defineApi('paddle.multiply', xy, (a) => {
  if (isScalar(a.y) && !isScalar(a.x) && isFloating(a.x.dtype)) return c.scale(a.x, Number(a.y));
  return elementwise('elementwise_mul')(a);
}, { method: true });

/**
 * Elementwise x / y. Two int tensors divide with truncation (Paddle 2.0); an int tensor
 * divided by a scalar gives float32.
 * @example paddle.divide(paddle.to_tensor([2, 3, 4]), paddle.to_tensor([1, 5, 2])) // [2, 0, 2]
 */
export const divide = defineApi('paddle.divide', xy, (a) => elementwise('elementwise_div', true)(a), { method: true });

/**
 * Elementwise x // y; Paddle 2.0 truncates toward zero.
 * @example paddle.floor_divide(paddle.to_tensor([2, 3, 8, 7]), paddle.to_tensor([1, 5, 3, 3])) // [2, 0, 2, 2]
 */
export const floor_divide = defineApi('paddle.floor_divide', xy, elementwise('elementwise_floordiv'), { method: true });

/**
 * Elementwise remainder with the divisor's sign (Python's %).
 * @example paddle.mod(paddle.to_tensor([2, 3, 8, 7]), paddle.to_tensor([1, 5, 3, 3])) // [0, 3, 2, 1]
 */
export const mod = defineApi('paddle.mod', xy, elementwise('elementwise_mod'), { method: true });
/** Alias of paddle.mod. */
export const remainder = defineApi('paddle.remainder', xy, elementwise('elementwise_mod'), { method: true });
/** Alias of paddle.mod (Paddle 2.0 exports both). */
export const floor_mod = defineApi('paddle.floor_mod', xy, elementwise('elementwise_mod'), { method: true });

/**
 * Elementwise maximum of x and y.
 * @example paddle.maximum(paddle.to_tensor([[1, 2], [7, 8]]), paddle.to_tensor([[3, 4], [5, 6]])) // [[3, 4], [7, 8]]
 */
export const maximum = defineApi('paddle.maximum', xy, elementwise('elementwise_max'), { method: true });
/**
 * Elementwise minimum of x and y.
 * @example paddle.minimum(paddle.to_tensor([[1, 2], [7, 8]]), paddle.to_tensor([[3, 4], [5, 6]])) // [[1, 2], [5, 6]]
 */
export const minimum = defineApi('paddle.minimum', xy, elementwise('elementwise_min'), { method: true });
