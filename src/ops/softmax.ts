// softmax and log_softmax along one axis (X -> Out; axis=-1). Gradients written with
// elementwise ops and reduce_sum: softmax dX = Out * (dOut - sum(dOut * Out)), log_softmax
// dX = dOut - exp(Out) * sum(dOut).
import * as c from './calls.js';
import type { Meta } from '../core/tensor.js';
import { bool, defineOp, int, one, opFail, out, requireDtypes, str } from './util.js';

const FLOATS = ['float16', 'float32', 'float64'] as const;

/** Checks a softmax-style axis attribute against X's rank; returns it normalized. */
export function softmaxAxis(x: Meta, axis: number, op: string, what = 'X'): number {
  const r = x.dims.length;
  if (r === 0) opFail(op, `input ${what} must have at least 1 dimension`);
  if (!Number.isInteger(axis) || axis < -r || axis >= r)
    opFail(op, `attribute axis=${axis} is out of range for ${what} of rank ${r} (expected an integer in [${-r}, ${r - 1}])`);
  return axis < 0 ? axis + r : axis;
}

defineOp({
  type: 'softmax',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: {
    axis: int(-1),
    use_cudnn: bool(false),
    data_format: str('AnyLayout'),
    use_mkldnn: bool(false),
    mkldnn_data_type: str('float32'),
    is_test: bool(false),
  },
  infer(ins, attrs) {
    const x = one(ins, 'X', 'softmax');
    requireDtypes(x, FLOATS, 'softmax');
    softmaxAxis(x, attrs.axis, 'softmax');
    return out(x.dims.slice(), x.dtype);
  },
  grad(ctx) {
    const o = ctx.output('Out');
    const d = ctx.outGrad('Out');
    const axis = softmaxAxis(o, ctx.attrs.axis, 'softmax');
    const s = c.sum(c.mul(d, o), [axis], true);
    return { X: [c.mul(o, c.sub(d, s))] };
  },
});

defineOp({
  type: 'log_softmax',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { axis: int(-1) },
  infer(ins, attrs) {
    const x = one(ins, 'X', 'log_softmax');
    requireDtypes(x, FLOATS, 'log_softmax');
    softmaxAxis(x, attrs.axis, 'log_softmax');
    return out(x.dims.slice(), x.dtype);
  },
  grad(ctx) {
    const o = ctx.output('Out');
    const d = ctx.outGrad('Out');
    const axis = softmaxAxis(o, ctx.attrs.axis, 'log_softmax');
    return { X: [c.sub(d, c.mul(c.exp(o), c.sum(d, [axis], true)))] };
  },
});
