// Complex-number operators of Paddle 2.0: conj (X -> Out, same dtype; real dtypes copy),
// real and imag (complex X -> its real dtype), and the grad operators real_grad / imag_grad
// (a real gradient -> a complex one with it as the real / imaginary part).
//
// Gradients of complex tensors follow Paddle's convention (the one its complex matmul and
// elementwise_mul/div kernels use): for a real loss L of z = a + bi, dz = dL/da + i dL/db.
// So conj's gradient is conj(dOut), real's is dOut + 0i and imag's is 0 + dOut i.
import { DType, isComplex, realOf } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { defineOp, one, opFail, out } from './util.js';

const COMPLEX: readonly DType[] = ['complex64', 'complex128'];
const CONJ_DTYPES: readonly DType[] = ['complex64', 'complex128', 'float32', 'float64', 'int32', 'int64'];

/** The complex dtype whose parts have dtype d (float32 -> complex64). */
export function complexOf(d: DType): DType {
  return d === 'float32' ? 'complex64' : d === 'float64' ? 'complex128' : d;
}

export const conj = (x: Tensor): Tensor => c.unary('conj', x);
export const realPart = (x: Tensor): Tensor => c.unary('real', x);
export const imagPart = (x: Tensor): Tensor => c.unary('imag', x);

defineOp({
  type: 'conj',
  inputs: ['X'],
  outputs: ['Out'],
  infer(ins) {
    const x = one(ins, 'X', 'conj');
    if (!CONJ_DTYPES.includes(x.dtype)) opFail('conj', `input X must have dtype ${CONJ_DTYPES.join(', ')}, but got ${x.dtype}`);
    return out(x.dims.slice(), x.dtype);
  },
  grad: (ctx) => ({ X: [conj(ctx.outGrad('Out'))] }),
});

for (const [type, gradType] of [['real', 'real_grad'], ['imag', 'imag_grad']] as const) {
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out'],
    infer(ins) {
      const x = one(ins, 'X', type);
      if (!isComplex(x.dtype)) opFail(type, `input X must be a complex tensor (complex64 or complex128), but got ${x.dtype}`);
      return out(x.dims.slice(), realOf(x.dtype));
    },
    grad: (ctx) => ({ X: [c.run1(gradType, { 'Out@GRAD': [ctx.outGrad('Out')] }, {}, 'X@GRAD')] }),
  });

  // X@GRAD = Out@GRAD placed as the real (real_grad) or imaginary (imag_grad) part. Its own
  // gradient takes that part back out.
  defineOp({
    type: gradType,
    inputs: ['Out@GRAD'],
    outputs: ['X@GRAD'],
    infer(ins) {
      const g = one(ins, 'Out@GRAD', gradType);
      if (g.dtype !== 'float32' && g.dtype !== 'float64')
        opFail(gradType, `input Out@GRAD must be float32 or float64, but got ${g.dtype}`);
      return out(g.dims.slice(), complexOf(g.dtype), 'X@GRAD');
    },
    grad: (ctx) => ({ 'Out@GRAD': [c.unary(type, ctx.outGrad('X@GRAD'))] }),
  });
}

export { COMPLEX };
