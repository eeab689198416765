// Loss operators of Paddle 2.0 (paddle/fluid/operators/*loss_op.cc) and two activation
// operators with weights or groups (maxout_op.cc, prelu_op.cc):
//   bce_loss                          X, Label -> Out
//   sigmoid_cross_entropy_with_logits X, Label -> Out            (normalize, ignore_index)
//   nll_loss                          X, Label, Weight? -> Out, Total_weight (ignore_index, reduction)
//   huber_loss                        X, Y -> Residual, Out       (delta)
//   smooth_l1_loss                    X, Y, InsideWeight?, OutsideWeight? -> Diff, Out (sigma)
//   kldiv_loss                        X, Target -> Loss          (reduction)
//   log_loss                          Predicted, Labels -> Loss  (epsilon)
//   margin_rank_loss                  X1, X2, Label -> Activated, Out (margin)
//   sigmoid_focal_loss                X, Label, FgNum -> Out     (gamma, alpha)
//   maxout                            X -> Out                   (groups, axis)
//   prelu                             X, Alpha -> Out            (mode)
// Labels, weights and targets get no gradient (Paddle's grad makers give none). Gradient rules
// are written with other operators where the math is elementwise; nll_loss, maxout and
// sigmoid_focal_loss use Paddle's dedicated *_grad operators (scatter-like or long formulas).
import { run1 } from '../core/dispatch.js';
import { PROTO_DTYPE, type DType } from '../core/dtype.js';
import type { Attrs, GradContext, GradResult } from '../core/registry.js';
import { numel, showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { defineOp, float, int, long, meta, one, opFail, str } from './util.js';

const F32_64: readonly DType[] = ['float32', 'float64'];
const FLOATS: readonly DType[] = ['float16', 'float32', 'float64'];

function dtypeIn(m: Meta, allowed: readonly DType[], op: string, slot: string): void {
  if (!allowed.includes(m.dtype)) opFail(op, `input ${slot} must have dtype ${allowed.join(' or ')}, but got ${m.dtype}`);
}
/** Same rank, and the same size on every dim known on both sides. */
function sameDims(a: Meta, b: Meta, an: string, bn: string, op: string): void {
  const bad = a.dims.length !== b.dims.length || a.dims.some((d, i) => d >= 0 && b.dims[i] >= 0 && d !== b.dims[i]);
  if (bad) opFail(op, `inputs ${an} and ${bn} must have the same shape, but got ${an} of shape ${showShape(a.dims)} and ${bn} of shape ${showShape(b.dims)}`);
}
function sameDtype(a: Meta, b: Meta, an: string, bn: string, op: string): void {
  if (a.dtype !== b.dtype) opFail(op, `inputs ${an} and ${bn} must have the same dtype, but got ${a.dtype} and ${b.dtype}`);
}
/** Inputs `an` and `bn` of op: `an` of an allowed dtype, `bn` of the same dtype and shape. */
function matchedPair(ins: Record<string, Meta[]>, an: string, bn: string, allowed: readonly DType[], op: string): [Meta, Meta] {
  const a = one(ins, an, op);
  const b = one(ins, bn, op);
  dtypeIn(a, allowed, op, an);
  sameDtype(a, b, an, bn, op);
  sameDims(a, b, an, bn, op);
  return [a, b];
}
/** A [1]-shaped constant of dtype d (fill_constant). */
function constant(value: number, d: DType): Tensor {
  return run1('fill_constant', {}, { shape: [1], value, dtype: PROTO_DTYPE[d] });
}
const u = (type: string, x: Tensor, attrs: Attrs = {}): Tensor => run1(type, { X: [x] }, attrs);
/** clip(t, lo, hi) (brelu). */
const clip = (t: Tensor, lo: number, hi: number): Tensor => u('brelu', t, { t_min: lo, t_max: hi });
/** A float mask of t > 0 in t's dtype. */
const positive = (t: Tensor): Tensor => c.maskOf('greater_than', t, c.zerosLike(t), t.dtype);

// ---------------------------------------------------------------------------------------
// bce_loss: -(label log(x) + (1 - label) log(1 - x)), each log clamped at -100.
// dX = dOut (x - label) / max(x (1 - x), 1e-12)

defineOp({
  type: 'bce_loss',
  inputs: ['X', 'Label!'],
  outputs: ['Out'],
  infer(ins) {
    const [x] = matchedPair(ins, 'X', 'Label', F32_64, 'bce_loss');
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const x = ctx.input('X');
    const den = run1('elementwise_max', { X: [c.mul(x, c.scale(x, -1, 1))], Y: [c.fullLike(x, 1e-12)] }, { axis: -1 });
    return { X: [c.div(c.mul(ctx.outGrad('Out'), c.sub(x, ctx.input('Label'))), den)] };
  },
});

// ---------------------------------------------------------------------------------------
// sigmoid_cross_entropy_with_logits: max(x, 0) - x label + log(1 + e^-|x|), 0 where
// int(label) == ignore_index; with normalize, divided by the count of labels != ignore_index.
// dX = dOut (sigmoid(x) - label) (masked, normalized the same way)

defineOp({
  type: 'sigmoid_cross_entropy_with_logits',
  inputs: ['X', 'Label!'],
  outputs: ['Out'],
  attrs: { normalize: { type: 'bool', default: false }, ignore_index: int(-100) },
  infer(ins) {
    const [x] = matchedPair(ins, 'X', 'Label', FLOATS, 'sigmoid_cross_entropy_with_logits');
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const x = ctx.input('X');
    const label = ctx.input('Label');
    const ignore = ctx.attrs.ignore_index as number;
    let g = c.mul(ctx.outGrad('Out'), c.sub(u('sigmoid', x), label));
    const li = c.cast(label, 'int32');
    g = c.mul(g, c.maskOf('not_equal', li, c.fullLike(li, ignore), x.dtype));
    if (ctx.attrs.normalize) {
      const far = c.maskOf('greater_than', u('abs', c.scale(label, 1, -ignore)), c.fullLike(label, 1e-6), x.dtype);
      const norm = run1('elementwise_max', { X: [c.sumAll(far)], Y: [constant(1e-5, x.dtype)] }, { axis: -1 });
      g = c.div(g, norm);
    }
    return { X: [g] };
  },
});

// ---------------------------------------------------------------------------------------
// nll_loss: Out[i] = -X[i, label[i]] * w[label[i]] (0 for ignore_index), X of rank 2 ([N, C])
// or 4 ([N, C, H, W]); 'sum'/'mean' give [1] ('mean' divides by Total_weight, the summed
// weights of the counted labels).

const nllAttrs = () => ({ ignore_index: long(-100), reduction: str('mean') });

function nllShapes(ins: Record<string, Meta[]>, attrs: Attrs, op: string): { x: Meta; out: number[] } {
  const x = one(ins, 'X', op);
  const label = one(ins, 'Label', op);
  dtypeIn(x, F32_64, op, 'X');
  if (label.dtype !== 'int64') opFail(op, `input Label must be int64 class indices, but got ${label.dtype}`);
  const r = attrs.reduction as string;
  if (r !== 'mean' && r !== 'sum' && r !== 'none') opFail(op, `attribute reduction must be 'mean', 'sum' or 'none', but got '${r}'`);
  const xd = x.dims;
  const ld = label.dims;
  if (xd.length !== 2 && xd.length !== 4) opFail(op, `input X must have rank 2 ([N, C]) or 4 ([N, C, H, W]), but got shape ${showShape(xd)}`);
  const show = `X of shape ${showShape(xd)} and Label of shape ${showShape(ld)}`;
  if (ld.length === 0 || (xd[0] >= 0 && ld[0] >= 0 && xd[0] !== ld[0])) opFail(op, `the batch sizes of X and Label must match, but got ${show}`);
  if (xd.length === 2) {
    if (ld.length > 2 || (ld.length === 2 && ld[1] !== 1)) opFail(op, `Label must have shape [N] for X of shape [N, C], but got ${show}`);
  } else if (ld.length !== 3 || [2, 3].some((k, i) => xd[k] >= 0 && ld[i + 1] >= 0 && xd[k] !== ld[i + 1]))
    opFail(op, `Label must have shape [N, H, W] for X of shape [N, C, H, W], but got ${show}`);
  const w = ins.Weight?.[0];
  if (w) {
    sameDtype(x, w, 'X', 'Weight', op);
    if (w.dims.length !== 1 || (w.dims[0] >= 0 && xd[1] >= 0 && w.dims[0] !== xd[1]))
      opFail(op, `input Weight must be 1-D with one weight per class (${xd[1]}), but got shape ${showShape(w.dims)}`);
  }
  const out = r !== 'none' ? [1] : xd.length === 2 ? [xd[0]] : [xd[0], xd[2], xd[3]];
  return { x, out };
}

/** Calls nll_loss and returns Out. */
function nll(x: Tensor, label: Tensor, weight: Tensor | null, attrs: Attrs): Tensor {
  const ins: Record<string, Tensor[]> = { X: [x], Label: [label] };
  if (weight) ins.Weight = [weight];
  return run1('nll_loss', ins, { ignore_index: attrs.ignore_index, reduction: attrs.reduction });
}

defineOp({
  type: 'nll_loss',
  inputs: ['X', 'Label!', 'Weight?!'],
  outputs: ['Out', 'Total_weight'],
  attrs: nllAttrs(),
  noGradOutputs: ['Total_weight'],
  infer(ins, attrs) {
    const { x, out } = nllShapes(ins, attrs, 'nll_loss');
    return { Out: [meta(out, x.dtype)], Total_weight: [meta([1], x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const ins: Record<string, Tensor[]> = {
      X: [ctx.input('X')],
      Label: [ctx.input('Label')],
      Total_weight: [ctx.output('Total_weight')],
      'Out@GRAD': [ctx.outGrad('Out')],
    };
    if (ctx.has('Weight')) ins.Weight = [ctx.input('Weight')];
    return { X: [run1('nll_loss_grad', ins, { ...ctx.attrs }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'nll_loss_grad',
  inputs: ['X!', 'Label!', 'Weight?!', 'Total_weight!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: nllAttrs(),
  infer(ins, attrs) {
    const op = 'nll_loss_grad';
    const { x, out } = nllShapes(ins, attrs, op);
    const g = one(ins, 'Out@GRAD', op);
    if (g.dims.length !== out.length || g.dims.some((d, i) => d >= 0 && out[i] >= 0 && d !== out[i]))
      opFail(op, `input Out@GRAD must have shape ${showShape(out)}, but got ${showShape(g.dims)}`);
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  },
  // Linear in Out@GRAD: its gradient is nll_loss of the incoming gradient (same reduction).
  grad(ctx): GradResult {
    if (!ctx.needs('Out@GRAD')) return {};
    const w = ctx.has('Weight') ? ctx.input('Weight') : null;
    return { 'Out@GRAD': [nll(ctx.outGrad('X@GRAD'), ctx.input('Label'), w, ctx.attrs)] };
  },
});

// ---------------------------------------------------------------------------------------
// huber_loss: r = Y - X; Out = 0.5 r^2 where |r| <= delta, else delta (|r| - 0.5 delta).
// dY = dOut clip(r, -delta, delta) = -dX. Residual is intermediate (no gradient through it);
// the rule recomputes r so second derivatives flow.

defineOp({
  type: 'huber_loss',
  inputs: ['X', 'Y'],
  outputs: ['Residual', 'Out'],
  attrs: { delta: float() },
  noGradOutputs: ['Residual'],
  infer(ins) {
    const [x, y] = matchedPair(ins, 'X', 'Y', F32_64, 'huber_loss');
    return { Residual: [meta(y.dims.slice(), x.dtype)], Out: [meta(y.dims.slice(), x.dtype)] };
  },
  grad(ctx): GradResult {
    const delta = ctx.attrs.delta as number;
    const r = c.sub(ctx.input('Y'), ctx.input('X'));
    const gy = c.mul(ctx.outGrad('Out'), clip(r, -delta, delta));
    return { X: [ctx.needs('X') ? c.neg(gy) : null], Y: [ctx.needs('Y') ? gy : null] };
  },
});

// ---------------------------------------------------------------------------------------
// smooth_l1_loss: v = (X - Y) * InsideWeight; e = 0.5 sigma^2 v^2 where |v| < 1/sigma^2, else
// |v| - 0.5/sigma^2; Out[n] = sum over the sample of e * OutsideWeight ([N, 1]).
// dX = dOut * OutsideWeight * InsideWeight * clip(sigma^2 v, -1, 1) = -dY.

defineOp({
  type: 'smooth_l1_loss',
  inputs: ['X', 'Y', 'InsideWeight?!', 'OutsideWeight?!'],
  outputs: ['Diff', 'Out'],
  attrs: { sigma: float(1) },
  noGradOutputs: ['Diff'],
  infer(ins) {
    const op = 'smooth_l1_loss';
    const [x] = matchedPair(ins, 'X', 'Y', F32_64, op);
    if (x.dims.length < 2) opFail(op, `input X must have rank >= 2 ([N, ...]), but got shape ${showShape(x.dims)}`);
    const iw = ins.InsideWeight?.[0];
    const ow = ins.OutsideWeight?.[0];
    if (!!iw !== !!ow) opFail(op, 'if weights are provided, both InsideWeight and OutsideWeight must be given');
    if (iw && ow) {
      sameDims(x, iw, 'X', 'InsideWeight', op);
      sameDims(x, ow, 'X', 'OutsideWeight', op);
      sameDtype(x, iw, 'X', 'InsideWeight', op);
      sameDtype(x, ow, 'X', 'OutsideWeight', op);
    }
    return { Diff: [meta(x.dims.slice(), x.dtype)], Out: [meta([x.dims[0], 1], x.dtype)] };
  },
  grad(ctx): GradResult {
    const s2 = (ctx.attrs.sigma as number) ** 2;
    const x = ctx.input('X');
    const weighted = ctx.has('InsideWeight') && ctx.has('OutsideWeight');
    let v = c.sub(x, ctx.input('Y'));
    if (weighted) v = c.mul(v, ctx.input('InsideWeight'));
    let g = clip(c.scale(v, s2), -1, 1);
    if (weighted) g = c.mul(g, c.mul(ctx.input('InsideWeight'), ctx.input('OutsideWeight')));
    const d = ctx.outGrad('Out');
    g = c.mul(g, c.reshape(d, [-1, ...new Array<number>(x.dims.length - 1).fill(1)]));
    return { X: [ctx.needs('X') ? g : null], Y: [ctx.needs('Y') ? c.neg(g) : null] };
  },
});

// ---------------------------------------------------------------------------------------
// kldiv_loss: Loss = target (log(target) - x) where target > 0, else 0; reduced by 'mean'
// (all elements), 'batchmean' (sum / N), 'sum' or 'none'.
// dX = -target dLoss (target > 0), divided by numel ('mean') or N ('batchmean').

const KLDIV_REDUCTIONS = ['none', 'batchmean', 'mean', 'sum'];

/** numel(X) (or X.dims[0] when `batch`) as a number, or as a [1] tensor when a dim is unknown. */
function countOf(x: Tensor, batch: boolean): number | Tensor {
  const dims = batch ? [x.dims[0]] : x.dims;
  if (dims.every((d) => d >= 0)) return numel(dims);
  const size = c.cast(run1('size', { Input: [x] }), x.dtype);
  if (!batch) return size;
  const rest = x.dims.slice(1);
  if (rest.some((d) => d < 0)) opFail('kldiv_loss_grad', `reduction 'batchmean' needs the non-batch dims of X to be known, but X has shape ${showShape(x.dims)}`);
  return c.scale(size, 1 / numel(rest));
}

defineOp({
  type: 'kldiv_loss',
  inputs: ['X', 'Target!'],
  outputs: ['Loss'],
  attrs: { reduction: str('mean') },
  infer(ins, attrs) {
    const op = 'kldiv_loss';
    const [x] = matchedPair(ins, 'X', 'Target', F32_64, op);
    const r = attrs.reduction as string;
    if (!KLDIV_REDUCTIONS.includes(r)) opFail(op, `attribute reduction must be one of 'none', 'batchmean', 'mean', 'sum', but got '${r}'`);
    return { Loss: [meta(r === 'none' ? x.dims.slice() : [1], x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const x = ctx.input('X');
    const t = ctx.input('Target');
    let g = c.neg(c.mul(c.mul(t, positive(t)), ctx.outGrad('Loss')));
    const r = ctx.attrs.reduction as string;
    if (r === 'mean' || r === 'batchmean') {
      const n = countOf(x, r === 'batchmean');
      g = typeof n === 'number' ? (n > 0 ? c.scale(g, 1 / n) : g) : c.div(g, n);
    }
    return { X: [g] };
  },
});

// ---------------------------------------------------------------------------------------
// log_loss: -label log(p + eps) - (1 - label) log(1 - p + eps) for Predicted/Labels [N, 1].
// dP = dLoss ((1 - label) / (1 - p + eps) - label / (p + eps))

defineOp({
  type: 'log_loss',
  inputs: ['Predicted', 'Labels!'],
  outputs: ['Loss'],
  attrs: { epsilon: float() },
  infer(ins) {
    const op = 'log_loss';
    const [p] = matchedPair(ins, 'Predicted', 'Labels', F32_64, op);
    if (p.dims.length !== 2 || (p.dims[1] >= 0 && p.dims[1] !== 1))
      opFail(op, `input Predicted must have shape [N, 1], but got ${showShape(p.dims)}`);
    return { Loss: [meta([p.dims[0], 1], p.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('Predicted')) return {};
    const eps = ctx.attrs.epsilon as number;
    const p = ctx.input('Predicted');
    const l = ctx.input('Labels');
    const neg = c.div(c.scale(l, -1, 1), c.scale(p, -1, 1 + eps));
    const pos = c.div(l, c.scale(p, 1, eps));
    return { Predicted: [c.mul(ctx.outGrad('Loss'), c.sub(neg, pos))] };
  },
});

// ---------------------------------------------------------------------------------------
// margin_rank_loss: Out = max(0, -label (x1 - x2) + margin), Activated = (Out > 0), all [N, 1].
// dX1 = -dOut Activated label = -dX2

defineOp({
  type: 'margin_rank_loss',
  inputs: ['X1', 'X2', 'Label!'],
  outputs: ['Activated', 'Out'],
  attrs: { margin: float(0) },
  noGradOutputs: ['Activated'],
  infer(ins) {
    const op = 'margin_rank_loss';
    const x1 = one(ins, 'X1', op);
    const x2 = one(ins, 'X2', op);
    const l = one(ins, 'Label', op);
    dtypeIn(x1, F32_64, op, 'X1');
    sameDtype(x1, x2, 'X1', 'X2', op);
    sameDtype(x1, l, 'X1', 'Label', op);
    sameDims(l, x1, 'Label', 'X1', op);
    sameDims(x1, x2, 'X1', 'X2', op);
    if (l.dims.length !== 2 || (l.dims[1] >= 0 && l.dims[1] !== 1)) opFail(op, `input Label must have shape [N, 1], but got ${showShape(l.dims)}`);
    return { Activated: [meta(l.dims.slice(), x1.dtype)], Out: [meta(l.dims.slice(), x1.dtype)] };
  },
  grad(ctx): GradResult {
    const t = c.mul(c.mul(ctx.outGrad('Out'), ctx.output('Activated')), ctx.input('Label'));
    return { X1: [ctx.needs('X1') ? c.neg(t) : null], X2: [ctx.needs('X2') ? t : null] };
  },
});

// ---------------------------------------------------------------------------------------
// sigmoid_focal_loss (detection): X [N, D] logits, Label [N, 1] int32 (class 1..D, 0 for
// background, -1 ignored), FgNum [1] int32. Paddle's own sigmoid_focal_loss_grad computes dX.

function focalCheck(ins: Record<string, Meta[]>, op: string): Meta {
  const x = one(ins, 'X', op);
  const l = one(ins, 'Label', op);
  const fg = one(ins, 'FgNum', op);
  dtypeIn(x, F32_64, op, 'X');
  if (l.dtype !== 'int32') opFail(op, `input Label must be int32, but got ${l.dtype}`);
  if (fg.dtype !== 'int32') opFail(op, `input FgNum must be int32, but got ${fg.dtype}`);
  const r = x.dims.length;
  const show = `X of shape ${showShape(x.dims)} and Label of shape ${showShape(l.dims)}`;
  if (r !== 2) opFail(op, `input X must have shape [N, D], but got ${showShape(x.dims)}`);
  if (l.dims.length !== r) opFail(op, `X and Label must have the same rank, but got ${show}`);
  if (fg.dims.length !== 1) opFail(op, `input FgNum must have rank 1, but got shape ${showShape(fg.dims)}`);
  if ((x.dims[0] >= 0 && l.dims[0] >= 0 && x.dims[0] !== l.dims[0]) || (l.dims[1] >= 0 && l.dims[1] !== 1))
    opFail(op, `Label must have shape [N, 1] for X of shape [N, D], but got ${show}`);
  return x;
}

const focalAttrs = () => ({ gamma: float(2), alpha: float(0.25) });

defineOp({
  type: 'sigmoid_focal_loss',
  inputs: ['X', 'Label!', 'FgNum!'],
  outputs: ['Out'],
  attrs: focalAttrs(),
  infer(ins) {
    const x = focalCheck(ins, 'sigmoid_focal_loss');
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], Label: [ctx.input('Label')], FgNum: [ctx.input('FgNum')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [run1('sigmoid_focal_loss_grad', ins, { ...ctx.attrs }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'sigmoid_focal_loss_grad',
  inputs: ['X', 'Label!', 'FgNum!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: focalAttrs(),
  infer(ins) {
    const op = 'sigmoid_focal_loss_grad';
    const x = focalCheck(ins, op);
    sameDims(x, one(ins, 'Out@GRAD', op), 'X', 'Out@GRAD', op);
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  },
});

// ---------------------------------------------------------------------------------------
// maxout: X [N, C, H, W] (axis 1) or [N, H, W, C] (axis 3 / -1); output channel c is the max
// of input channels c*groups .. c*groups + groups - 1. maxout_grad routes dOut to the first
// input of each group equal to the output (as Paddle's functor).

function maxoutShape(x: Meta, attrs: Attrs, op: string): number[] {
  dtypeIn(x, F32_64, op, 'X');
  const groups = attrs.groups as number;
  let axis = attrs.axis as number;
  if (!Number.isInteger(groups) || groups <= 1) opFail(op, `attribute groups must be an integer larger than 1, but got ${groups}`);
  if (axis !== 1 && axis !== -1 && axis !== 3) opFail(op, `attribute axis must be 1 (NCHW), or -1 or 3 (NHWC), but got ${axis}`);
  if (x.dims.length !== 4) opFail(op, `input X must be 4-D, but got shape ${showShape(x.dims)}`);
  if (axis < 0) axis += 4;
  const ch = x.dims[axis];
  if (ch >= 0 && ch % groups !== 0)
    opFail(op, `the number of channels (${ch}, dim ${axis} of X of shape ${showShape(x.dims)}) must be divisible by groups=${groups}`);
  const dims = x.dims.slice();
  dims[axis] = ch >= 0 ? ch / groups : -1;
  return dims;
}

const maxoutAttrs = () => ({ groups: int(), axis: int(1) });

defineOp({
  type: 'maxout',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: maxoutAttrs(),
  infer(ins, attrs) {
    const x = one(ins, 'X', 'maxout');
    return { Out: [meta(maxoutShape(x, attrs, 'maxout'), x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    return { X: [maxoutGrad(ctx.input('X'), ctx.output('Out'), ctx.outGrad('Out'), ctx.attrs)] };
  },
});

function maxoutGrad(x: Tensor, out: Tensor, dout: Tensor, attrs: Attrs): Tensor {
  return run1('maxout_grad', { X: [x], Out: [out], 'Out@GRAD': [dout] }, { groups: attrs.groups, axis: attrs.axis }, 'X@GRAD');
}

defineOp({
  type: 'maxout_grad',
  inputs: ['X!', 'Out!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: maxoutAttrs(),
  infer(ins, attrs) {
    const op = 'maxout_grad';
    const x = one(ins, 'X', op);
    const want = maxoutShape(x, attrs, op);
    const g = one(ins, 'Out@GRAD', op);
    sameDims(g, meta(want, x.dtype), 'Out@GRAD', 'Out', op);
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  },
  // Linear in Out@GRAD: the gradient sums the incoming gradient over each group at the
  // routed positions (the mask is maxout_grad of ones).
  grad(ctx): GradResult {
    if (!ctx.needs('Out@GRAD')) return {};
    const x = ctx.input('X');
    const o = ctx.input('Out');
    const mask = maxoutGrad(x, o, c.fullLike(o, 1), ctx.attrs);
    const picked = c.mul(ctx.outGrad('X@GRAD'), mask);
    const groups = ctx.attrs.groups as number;
    const axis = (ctx.attrs.axis as number) < 0 ? 3 : (ctx.attrs.axis as number);
    const od = o.dims.map((d, i) => (i === 0 ? -1 : d));
    const split = axis === 1 ? [od[0], od[1], groups, od[2], od[3]] : [od[0], od[1], od[2], od[3], groups];
    return { 'Out@GRAD': [c.sum(c.reshape(picked, split), [axis === 1 ? 2 : 4])] };
  },
});

// ---------------------------------------------------------------------------------------
// prelu: x > 0 ? x : alpha x, alpha shared ('all'), per channel (dim 1, 'channel') or per
// element of a sample ('element'). dX = dOut (x > 0 ? 1 : alpha); dAlpha sums dOut x over the
// positions sharing each alpha where x <= 0.

/** Alpha's shape aligned to X's for broadcasting, per mode. */
function preluAligned(x: Meta, mode: string): number[] {
  if (mode === 'all') return [1];
  if (mode === 'channel') return x.dims.map((d, i) => (i === 1 ? d : 1));
  return [1, ...x.dims.slice(1)];
}

defineOp({
  type: 'prelu',
  inputs: ['X', 'Alpha'],
  outputs: ['Out'],
  attrs: { mode: str('all') },
  infer(ins, attrs) {
    const op = 'prelu';
    const x = one(ins, 'X', op);
    const a = one(ins, 'Alpha', op);
    dtypeIn(x, FLOATS, op, 'X');
    sameDtype(x, a, 'X', 'Alpha', op);
    const mode = attrs.mode as string;
    const known = (ds: readonly number[]): boolean => ds.every((d) => d >= 0);
    if (mode === 'all') {
      if (known(a.dims) && numel(a.dims) !== 1) opFail(op, `with mode 'all', Alpha must have exactly one element, but got shape ${showShape(a.dims)}`);
    } else if (mode === 'channel') {
      if (x.dims.length < 2) opFail(op, `with mode 'channel', X must have rank >= 2, but got shape ${showShape(x.dims)}`);
      if (known(a.dims) && x.dims[1] >= 0 && numel(a.dims) !== x.dims[1])
        opFail(op, `with mode 'channel', Alpha must have one element per channel (${x.dims[1]}, dim 1 of X), but got shape ${showShape(a.dims)}`);
    } else if (mode === 'element') {
      if (x.dims.length < 1) opFail(op, "with mode 'element', X must have rank >= 1");
      if (a.dims.length !== x.dims.length)
        opFail(op, `with mode 'element', Alpha must have X's rank (${x.dims.length}), but got shape ${showShape(a.dims)}`);
      const rest = (ds: readonly number[]): number[] => ds.slice(1);
      if (known(rest(a.dims)) && known(rest(x.dims)) && numel(rest(a.dims)) !== numel(rest(x.dims)))
        opFail(op, `with mode 'element', Alpha must have one element per element of a sample (${numel(rest(x.dims))}), but got shape ${showShape(a.dims)}`);
    } else opFail(op, `attribute mode must be 'all', 'channel' or 'element', but got '${mode}'`);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx: GradContext): GradResult {
    const x = ctx.input('X');
    const a = ctx.input('Alpha');
    const d = ctx.outGrad('Out');
    const aligned = preluAligned(x, ctx.attrs.mode as string);
    const pos = run1('relu_grad', { Out: [x], 'Out@GRAD': [d] }, {}, 'X@GRAD'); // d where x > 0
    const neg = c.sub(d, pos); // d where x <= 0
    const res: GradResult = {};
    if (ctx.needs('X')) res.X = [c.add(pos, c.mul(neg, c.reshape(a, aligned.map((s) => (s < 0 ? -1 : s)))))];
    if (ctx.needs('Alpha')) res.Alpha = [c.sumTo(c.mul(neg, x), aligned, a.dims.slice())];
    return res;
  },
});
