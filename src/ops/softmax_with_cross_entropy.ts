// softmax_with_cross_entropy (Logits, Label -> Softmax, Loss): softmax along `axis`, then
// the cross entropy against hard int labels (the class axis of Label has size 1; labels equal
// to ignore_index give 0 loss and 0 gradient) or soft labels (a distribution per sample).
// Loss keeps a size-1 class axis. The gradient runs Paddle's softmax_with_cross_entropy_grad
// operator, (Softmax - onehot(Label)) * dLoss, which is itself differentiable.
// Also cross_entropy2 (X probabilities, hard Label -> Y = -log X[label]), the operator of the
// fluid cross_entropy, with its cross_entropy_grad2.
import { state } from '../core/state.js';
import type { Attrs, GradResult } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { softmaxAxis } from './softmax.js';
import { bool, defineOp, int, meta, one, opFail, requireDtypes } from './util.js';

const FLOATS = ['float16', 'float32', 'float64'] as const;
const INT_LABELS = ['int64', 'int32'] as const;

const ceAttrs = () => ({ soft_label: bool(false), numeric_stable_mode: bool(true), ignore_index: int(-100), axis: int(-1) });

/** Checks Logits/Softmax against Label as SoftmaxWithCrossEntropyOp::InferShape; returns the axis. */
function checkLabel(logits: Meta, label: Meta, attrs: Attrs, op: string, what = 'Logits'): number {
  requireDtypes(logits, FLOATS, op, what);
  const axis = softmaxAxis(logits, attrs.axis, op, what);
  const ld = logits.dims;
  const bd = label.dims;
  const show = `${what} of shape ${showShape(ld)} and Label of shape ${showShape(bd)}`;
  if (bd.length !== ld.length) opFail(op, `Label must have the rank of ${what} (the class axis ${axis} of size ${attrs.soft_label ? ld[axis] : 1}), but got ${show}`);
  for (let i = 0; i < ld.length; i++)
    if (i !== axis && ld[i] >= 0 && bd[i] >= 0 && ld[i] !== bd[i]) opFail(op, `${what} and Label must have the same shape except on axis ${axis}, but got ${show}`);
  if (!attrs.numeric_stable_mode && axis !== ld.length - 1) opFail(op, `attribute axis can only be -1 when numeric_stable_mode is False (got axis=${attrs.axis})`);
  if (attrs.soft_label) {
    if (label.dtype !== logits.dtype) opFail(op, `with soft_label=True, Label must have ${what}'s dtype ${logits.dtype}, but got ${label.dtype}`);
    if (ld[axis] >= 0 && bd[axis] >= 0 && ld[axis] !== bd[axis])
      opFail(op, `with soft_label=True, Label must have ${what}'s size on the class axis ${axis}, but got ${show}`);
  } else {
    requireDtypes(label, INT_LABELS, op, 'Label');
    if (bd[axis] >= 0 && bd[axis] !== 1) opFail(op, `with soft_label=False, Label's class axis ${axis} must have size 1, but got ${show}`);
  }
  return axis;
}

/** Runs softmax_with_cross_entropy_grad: dLogits from Label, Softmax and dLoss. */
export function softmaxCEGrad(label: Tensor, softmax: Tensor, dLoss: Tensor, attrs: Attrs): Tensor {
  return c.dispatch('softmax_with_cross_entropy_grad', { Label: [label], Softmax: [softmax], 'Loss@GRAD': [dLoss] }, { ...attrs })['Logits@GRAD'][0];
}

defineOp({
  type: 'softmax_with_cross_entropy',
  inputs: ['Logits', 'Label!'],
  outputs: ['Softmax', 'Loss'],
  attrs: ceAttrs(),
  // As in Paddle, Softmax is an intermediate output: no gradient flows back through it.
  noGradOutputs: ['Softmax'],
  infer(ins, attrs) {
    const logits = one(ins, 'Logits', 'softmax_with_cross_entropy');
    const label = one(ins, 'Label', 'softmax_with_cross_entropy');
    const axis = checkLabel(logits, label, attrs, 'softmax_with_cross_entropy');
    const lossDims = logits.dims.slice();
    lossDims[axis] = 1;
    return { Softmax: [meta(logits.dims.slice(), logits.dtype)], Loss: [meta(lossDims, logits.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('Logits')) return {};
    // Building a differentiable graph (create_graph): recompute the softmax from Logits so
    // the second derivative flows through it; otherwise use the saved one, as Paddle does.
    const sm = state.gradEnabled && !state.staticMode
      ? c.dispatch('softmax', { X: [ctx.input('Logits')] }, { axis: ctx.attrs.axis }).Out[0]
      : ctx.output('Softmax');
    return { Logits: [softmaxCEGrad(ctx.input('Label'), sm, ctx.outGrad('Loss'), ctx.attrs)] };
  },
});

defineOp({
  type: 'softmax_with_cross_entropy_grad',
  inputs: ['Label!', 'Softmax', 'Loss@GRAD'],
  outputs: ['Logits@GRAD'],
  attrs: ceAttrs(),
  infer(ins, attrs) {
    const op = 'softmax_with_cross_entropy_grad';
    const sm = one(ins, 'Softmax', op);
    const axis = checkLabel(sm, one(ins, 'Label', op), attrs, op, 'Softmax');
    const dl = one(ins, 'Loss@GRAD', op);
    const want = sm.dims.slice();
    want[axis] = 1;
    if (dl.dims.length !== want.length || dl.dims.some((s, i) => s >= 0 && want[i] >= 0 && s !== want[i]))
      opFail(op, `Loss@GRAD must have shape ${showShape(want)}, but got ${showShape(dl.dims)}`);
    return { 'Logits@GRAD': [meta(sm.dims.slice(), sm.dtype)] };
  },
  // The op is linear in Softmax and in Loss@GRAD, so its own gradient reuses it.
  grad(ctx): GradResult {
    const label = ctx.input('Label');
    const sm = ctx.input('Softmax');
    const dl = ctx.input('Loss@GRAD');
    const u = ctx.outGrad('Logits@GRAD');
    const axis = softmaxAxis(sm, ctx.attrs.axis, 'softmax_with_cross_entropy_grad');
    const res: GradResult = {};
    if (ctx.needs('Softmax'))
      res.Softmax = [c.sub(softmaxCEGrad(label, u, dl, ctx.attrs), softmaxCEGrad(label, c.zerosLike(u), dl, ctx.attrs))];
    if (ctx.needs('Loss@GRAD'))
      res['Loss@GRAD'] = [c.sum(c.mul(u, softmaxCEGrad(label, sm, c.fullLike(dl, 1), ctx.attrs)), [axis], true)];
    return res;
  },
});

// ---------------------------------------------------------------------------------------
// cross_entropy2: hard labels on probabilities (class axis last).

function ce2Shapes(x: Meta, label: Meta, op: string): { y: number[] } {
  requireDtypes(x, FLOATS, op);
  requireDtypes(label, INT_LABELS, op, 'Label');
  const r = x.dims.length;
  if (r === 0) opFail(op, 'input X must have at least 1 dimension');
  const show = `X of shape ${showShape(x.dims)} and Label of shape ${showShape(label.dims)}`;
  const bd = label.dims;
  if (bd.length === r) {
    if (bd[r - 1] >= 0 && bd[r - 1] !== 1) opFail(op, `the last dimension of Label must be 1, but got ${show}`);
  } else if (bd.length !== r - 1) opFail(op, `Label must have X's rank (last dimension 1) or X's rank - 1, but got ${show}`);
  for (let i = 0; i < r - 1; i++)
    if (x.dims[i] >= 0 && bd[i] >= 0 && x.dims[i] !== bd[i]) opFail(op, `X and Label must have the same shape except the last dimension, but got ${show}`);
  const y = bd.slice();
  if (bd.length === r) y[r - 1] = 1;
  return { y };
}

defineOp({
  type: 'cross_entropy2',
  inputs: ['X', 'Label!'],
  outputs: ['Y', 'XShape', 'MatchX'],
  attrs: { ignore_index: int(-100) },
  noGradOutputs: ['XShape', 'MatchX'],
  infer(ins) {
    const x = one(ins, 'X', 'cross_entropy2');
    const { y } = ce2Shapes(x, one(ins, 'Label', 'cross_entropy2'), 'cross_entropy2');
    const mx = x.dims.slice();
    mx[mx.length - 1] = 1;
    return { Y: [meta(y, x.dtype)], XShape: [meta([...x.dims, 0], x.dtype)], MatchX: [meta(mx, x.dtype)] };
  },
  grad(ctx): GradResult {
    const g = c.dispatch(
      'cross_entropy_grad2',
      { Label: [ctx.input('Label')], MatchX: [ctx.output('MatchX')], XShape: [ctx.output('XShape')], 'Y@GRAD': [ctx.outGrad('Y')] },
      { ignore_index: ctx.attrs.ignore_index },
    )['X@GRAD'][0];
    return { X: [g] };
  },
});

defineOp({
  type: 'cross_entropy_grad2',
  inputs: ['Label!', 'MatchX', 'XShape!', 'Y@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { ignore_index: int(-100) },
  infer(ins) {
    const op = 'cross_entropy_grad2';
    const xs = one(ins, 'XShape', op);
    const mx = one(ins, 'MatchX', op);
    return { 'X@GRAD': [meta(xs.dims.slice(0, -1), mx.dtype)] };
  },
});
