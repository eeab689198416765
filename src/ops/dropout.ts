// dropout (paddle/fluid/operators/dropout_op.cc): X [, Seed] -> Out, Mask (uint8, 1 = kept).
// Training (is_test false): each element is dropped with probability dropout_prob, drawn from
// the Seed input, else a generator seeded by `seed` when fix_seed, else paddle.seed's default
// generator; kept values are scaled by 1/(1-p) with dropout_implementation 'upscale_in_train'
// and left as they are with 'downgrade_in_infer'. Inference (is_test true): identity for
// 'upscale_in_train', times (1-p) for 'downgrade_in_infer'.
//
// The gradient is Out@GRAD * Mask (/(1-p) when upscaling), written with cast, mul and scale;
// with is_test it is the inference scaling (Paddle's dropout_grad refuses is_test; the
// mathematically right gradient is given instead).
import type { Meta } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, float, int, meta, one, opFail, str } from './util.js';

const OP = 'dropout';

/** Checks the attributes shared by the kernel and the gradient. */
export function dropoutAttrs(attrs: Record<string, unknown>): { p: number; upscale: boolean } {
  const p = Number(attrs.dropout_prob);
  if (!(p >= 0 && p <= 1)) opFail(OP, `attribute dropout_prob must be between 0.0 and 1.0, but got ${String(attrs.dropout_prob)}`);
  const impl = attrs.dropout_implementation;
  if (impl !== 'downgrade_in_infer' && impl !== 'upscale_in_train')
    opFail(OP, `attribute dropout_implementation can only be 'downgrade_in_infer' or 'upscale_in_train', but got '${String(impl)}'`);
  return { p, upscale: impl === 'upscale_in_train' };
}

defineOp({
  type: OP,
  inputs: ['X', 'Seed?!'],
  outputs: ['Out', 'Mask'],
  attrs: {
    dropout_prob: float(0.5),
    is_test: bool(false),
    fix_seed: bool(false),
    seed: int(0),
    dropout_implementation: str('downgrade_in_infer'),
  },
  random: true,
  noGradOutputs: ['Mask'],
  infer(ins, attrs) {
    const x = one(ins, 'X', OP);
    if (x.dtype !== 'float32' && x.dtype !== 'float64' && x.dtype !== 'float16')
      opFail(OP, `input X must be a float16, float32 or float64 tensor, but got ${x.dtype}`);
    dropoutAttrs(attrs);
    const s: Meta | undefined = ins.Seed?.[0];
    if (s && s.dtype !== 'int32') opFail(OP, `input Seed must be an int32 tensor, but got ${s.dtype}`);
    return { Out: [meta(x.dims.slice(), x.dtype)], Mask: [meta(x.dims.slice(), 'uint8')] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const { p, upscale } = dropoutAttrs(ctx.attrs);
    const g = ctx.outGrad('Out');
    if (ctx.attrs.is_test) return { X: [upscale ? g : c.scale(g, 1 - p)] };
    const masked = c.mul(g, c.cast(ctx.output('Mask'), g.dtype));
    if (!upscale) return { X: [masked] };
    return { X: [c.scale(masked, p === 1 ? 0 : 1 / (1 - p))] };
  },
});
