// Operands of Tensor-with-Tensor and Tensor-with-scalar arithmetic, with Paddle's rules:
// a Python float turns an int tensor into float32; a tensor of another dtype is cast to the
// left operand's dtype (complex wins); scalars become one-element tensors of that dtype.
import { DType, getDefaultDType, isComplex, isFloating } from '../core/dtype.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';

/** A scalar as a shape-[1] tensor of dtype d. */
export function scalarTensor(v: number | boolean, d: DType): Tensor {
  return Tensor.full([1], d, typeof v === 'boolean' ? Number(v) : v);
}

/**
 * Brings x and y to one dtype for a binary operator. `trueDiv`: an int tensor divided by a
 * Python scalar gives float (Paddle's `/`).
 */
export function operands(x: Tensor | number | boolean, y: Tensor | number | boolean, trueDiv = false): [Tensor, Tensor] {
  if (!(x instanceof Tensor)) {
    const [b, a] = operands(y as Tensor, x, trueDiv);
    return [a, b];
  }
  if (y instanceof Tensor) {
    if (x.dtype === y.dtype) return [x, y];
    if (isComplex(y.dtype) && !isComplex(x.dtype)) return [c.cast(x, y.dtype), y];
    return [x, c.cast(y, x.dtype)];
  }
  let d = x.dtype;
  if (!isFloating(d) && !isComplex(d) && (trueDiv || (typeof y === 'number' && !Number.isInteger(y)))) {
    d = getDefaultDType();
    x = c.cast(x, d);
  }
  return [x, scalarTensor(y, d)];
}

/** Whether `v` is a plain JS scalar. */
export function isScalar(v: unknown): v is number | boolean {
  return typeof v === 'number' || typeof v === 'boolean';
}
