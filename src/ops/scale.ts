// scale: Out = scale * X + bias (or scale * (X + bias) when bias_after_scale is false).
// Paddle uses it for Tensor-with-scalar arithmetic and for paddle.scale / paddle.neg.
import * as c from './calls.js';
import { bool, defineOp, float, sameAsX } from './util.js';

defineOp({
  type: 'scale',
  inputs: ['X', 'ScaleTensor?!'],
  outputs: ['Out'],
  attrs: { scale: float(1), bias: float(0), bias_after_scale: bool(true) },
  infer: (ins, attrs) => sameAsX(ins, attrs, 'scale'),
  // the scale may come from ScaleTensor at run time (static mode)
  grad: (ctx) => ({
    X: [ctx.has('ScaleTensor') ? c.mul(ctx.outGrad('Out'), c.cast(ctx.input('ScaleTensor'), ctx.input('X').dtype)) : c.scale(ctx.outGrad('Out'), ctx.attrs.scale)],
  }),
});
