// cast: Out = X converted to out_dtype (framework.proto dtype numbers; names are accepted
// too). Float to int truncates toward zero; the gradient casts back to the input's dtype.
import { differentiable } from '../core/autograd.js';
import * as c from './calls.js';
import { defineOp, dtypeAttr, int, one, opFail, out } from './util.js';

defineOp({
  type: 'cast',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { in_dtype: int(), out_dtype: int() },
  infer(ins, attrs) {
    const x = one(ins, 'X', 'cast');
    const to = dtypeAttr(attrs.out_dtype, 'cast', 'out_dtype');
    if (!to) return opFail('cast', `attribute out_dtype=${String(attrs.out_dtype)} is not a dtype`);
    dtypeAttr(attrs.in_dtype, 'cast', 'in_dtype');
    return out(x.dims.slice(), to);
  },
  grad(ctx) {
    const x = ctx.input('X');
    if (!ctx.needs('X') || !differentiable(x)) return { X: [null] };
    return { X: [c.cast(ctx.outGrad('Out'), x.dtype)] };
  },
});
