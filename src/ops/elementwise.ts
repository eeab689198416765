// Elementwise binary operators (elementwise_add/sub/mul/div/pow/max/min/floordiv/mod) with
// Paddle's `axis` broadcasting: -1 is NumPy's rule, otherwise Y's dims start at X's `axis`.
import type { GradContext, GradResult } from '../core/registry.js';
import type { Tensor } from '../core/tensor.js';
import { isComplex } from '../core/dtype.js';
import * as c from './calls.js';
import { alignY, broadcastXY, defineOp, int, one, opFail, out } from './util.js';

type Rule = (ctx: GradContext, x: Tensor, y: Tensor, dout: Tensor) => [Tensor | null, Tensor | null];

function binary(type: string, rule?: Rule): void {
  defineOp({
    type,
    inputs: ['X', 'Y'],
    outputs: ['Out'],
    attrs: { axis: int(-1) },
    infer(ins, attrs) {
      const x = one(ins, 'X', type);
      const y = one(ins, 'Y', type);
      if (x.dtype !== y.dtype) opFail(type, `X and Y must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
      return out(broadcastXY(x, y, attrs.axis, type), x.dtype);
    },
    grad: rule
      ? (ctx): GradResult => {
          const x = ctx.input('X');
          const y = ctx.input('Y');
          const [dx, dy] = rule(ctx, x, y, ctx.outGrad('Out'));
          const axis = ctx.attrs.axis as number;
          const yAligned = alignY(x.dims, y.dims, axis, type);
          return {
            X: [dx && ctx.needs('X') ? c.sumTo(dx, x.dims, x.dims) : null],
            Y: [dy && ctx.needs('Y') ? c.sumTo(dy, yAligned, y.dims) : null],
          };
        }
      : undefined,
  });
}

// Gradients are computed at the output's (broadcast) shape, then summed back by sumTo.
// Where a rule multiplies by y with an `axis`, the same axis aligns it.
const ax = (ctx: GradContext): number => ctx.attrs.axis as number;

binary('elementwise_add', (ctx, _x, _y, d) => [d, ctx.needs('Y') ? d : null]);
binary('elementwise_sub', (ctx, _x, _y, d) => [d, ctx.needs('Y') ? c.neg(d) : null]);
// Complex gradients conjugate the other operand, as Paddle's (dL/da + i dL/db convention).
const conj = (t: Tensor): Tensor => (isComplex(t.dtype) ? c.unary('conj', t) : t);
binary('elementwise_mul', (ctx, x, y, d) => [
  ctx.needs('X') ? c.mul(d, conj(y), ax(ctx)) : null,
  ctx.needs('Y') ? c.mul(d, conj(x)) : null,
]);
binary('elementwise_div', (ctx, _x, y, d) => {
  const dx = c.div(d, conj(y), ax(ctx));
  // d(x/y)/dy = -out/y: reuse dx = d/conj(y) so dy = -dx * conj(out)
  return [ctx.needs('X') ? dx : null, ctx.needs('Y') ? c.neg(c.mul(dx, conj(ctx.output('Out')))) : null];
});
binary('elementwise_pow', (ctx, x, y, d) => {
  const o = ctx.output('Out');
  // d/dx x^y = y * x^(y-1), d/dy x^y = x^y * ln x
  const dx = ctx.needs('X') ? c.mul(d, c.mul(c.pow(x, c.sub(y, c.fullLike(y, 1)), ax(ctx)), y, ax(ctx))) : null;
  const dy = ctx.needs('Y') ? c.mul(d, c.mul(o, c.log(x))) : null;
  return [dx, dy];
});
// Paddle routes the gradient to x where x > y (max) / x < y (min), to y otherwise.
binary('elementwise_max', (ctx, x, y, d) => [
  ctx.needs('X') ? c.mul(d, c.maskOf('greater_than', x, y, d.dtype, ax(ctx))) : null,
  ctx.needs('Y') ? c.mul(d, c.maskOf('less_equal', x, y, d.dtype, ax(ctx))) : null,
]);
binary('elementwise_min', (ctx, x, y, d) => [
  ctx.needs('X') ? c.mul(d, c.maskOf('less_than', x, y, d.dtype, ax(ctx))) : null,
  ctx.needs('Y') ? c.mul(d, c.maskOf('greater_equal', x, y, d.dtype, ax(ctx))) : null,
]);
binary('elementwise_floordiv');
binary('elementwise_mod');
