// CTC loss (paddle/fluid/operators/warpctc_op.cc, Paddle 2.0's binding of warp-ctc):
//
//   warpctc       Logits, Label!, LogitsLength?!, LabelLength?! -> WarpCTCGrad, Loss
//                 attrs blank (0), norm_by_times (false)
//   warpctc_grad  WarpCTCGrad, Logits, Loss@GRAD, LogitsLength?! -> Logits@GRAD
//
// Logits are unnormalized: the softmax over the last dim is part of the loss. Padded form:
// Logits [T, N, C], Label int32 [N, S], LogitsLength and LabelLength int64 [N]. LoD form (no
// lengths): Logits [sum T_n, C] and Label [sum S_n, 1] with one level of LoD each. Loss is
// -log p(label | logits) per sequence, [N, 1]. WarpCTCGrad holds d Loss / d Logits, padded
// [T_max, N, C] with zeros past each sequence's length; the gradient rule scales it by
// Loss@GRAD, and by 1 / T_n when norm_by_times (which, as in Paddle, only scales the gradient,
// not the loss). As warp-ctc does, a sequence whose label cannot fit its input (S_n plus its
// repeated neighbours > T_n) gets loss 0 and gradient 0.
import type { Meta } from '../core/tensor.js';
import { showShape } from '../core/shape.js';
import * as c from './calls.js';
import { bool, defineOp, int, meta, one, opFail } from './util.js';

/** Checks the inputs shared by warpctc and warpctc_grad; returns [T, N, C] (-1 when from LoD). */
function checkLogits(ins: Record<string, Meta[]>, op: string): { padded: boolean; dims: number[]; logits: Meta } {
  const logits = one(ins, 'Logits', op);
  if (logits.dtype !== 'float32' && logits.dtype !== 'float64') opFail(op, `input Logits must be float32 or float64, but got ${logits.dtype}`);
  const padded = !!ins.LogitsLength?.[0];
  if (padded) {
    if (logits.dims.length !== 3) opFail(op, `input Logits must be 3-D [max_logit_length, batch_size, num_classes + 1] when LogitsLength is given, but got shape ${showShape(logits.dims)}`);
    const ll = ins.LogitsLength[0];
    if (ll.dtype !== 'int64') opFail(op, `input LogitsLength must be int64, but got ${ll.dtype}`);
    if (ll.dims.length !== 1 || (ll.dims[0] >= 0 && logits.dims[1] >= 0 && ll.dims[0] !== logits.dims[1]))
      opFail(op, `input LogitsLength must have shape [batch_size] = [${logits.dims[1]}], but got ${showShape(ll.dims)}`);
    return { padded, dims: logits.dims.slice(), logits };
  }
  if (logits.dims.length < 2) opFail(op, `input Logits must be at least 2-D, but got shape ${showShape(logits.dims)}`);
  const width = logits.dims.slice(1).reduce((a, b) => (a < 0 || b < 0 ? -1 : a * b), 1);
  return { padded, dims: [-1, -1, width], logits };
}

defineOp({
  type: 'warpctc',
  inputs: ['Logits', 'Label!', 'LogitsLength?!', 'LabelLength?!'],
  outputs: ['WarpCTCGrad', 'Loss'],
  attrs: { blank: int(0), norm_by_times: bool(false) },
  noGradOutputs: ['WarpCTCGrad'],
  infer(ins, attrs) {
    const op = 'warpctc';
    const { padded, dims, logits } = checkLogits(ins, op);
    const label = one(ins, 'Label', op);
    if (label.dtype !== 'int32') opFail(op, `input Label must be int32, but got ${label.dtype}`);
    const C = dims[2];
    const blank = Number(attrs.blank);
    if (!Number.isInteger(blank) || blank < 0 || (C >= 0 && blank >= C))
      opFail(op, `attribute blank must be in [0, ${C}) (the number of classes including the blank), but got ${attrs.blank}`);
    if (padded) {
      const lab = ins.LabelLength?.[0];
      if (!lab) opFail(op, 'input LabelLength must be given together with LogitsLength');
      if (lab.dtype !== 'int64') opFail(op, `input LabelLength must be int64, but got ${lab.dtype}`);
      if (label.dims.length !== 2) opFail(op, `input Label must be 2-D [batch_size, max_label_length] when lengths are given, but got shape ${showShape(label.dims)}`);
      const N = dims[1];
      if (label.dims[0] >= 0 && N >= 0 && label.dims[0] !== N) opFail(op, `input Label has ${label.dims[0]} sequences but Logits has batch_size ${N}`);
      if (lab.dims.length !== 1 || (lab.dims[0] >= 0 && N >= 0 && lab.dims[0] !== N))
        opFail(op, `input LabelLength must have shape [batch_size] = [${N}], but got ${showShape(lab.dims)}`);
      return { WarpCTCGrad: [meta(dims.slice(), logits.dtype)], Loss: [meta([N, 1], logits.dtype)] };
    }
    if (ins.LabelLength?.[0]) opFail(op, 'input LabelLength needs LogitsLength too (or neither, for LoD inputs)');
    if (label.dims.length !== 2 || (label.dims[1] >= 0 && label.dims[1] !== 1))
      opFail(op, `input Label must be [total_label_length, 1] with LoD, but got shape ${showShape(label.dims)}`);
    return { WarpCTCGrad: [meta([-1, -1, C], logits.dtype)], Loss: [meta([-1, 1], logits.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('Logits')) return {};
    const ins: Record<string, ReturnType<typeof ctx.input>[]> = {
      WarpCTCGrad: [ctx.output('WarpCTCGrad')],
      Logits: [ctx.input('Logits')],
      'Loss@GRAD': [ctx.outGrad('Loss')],
    };
    if (ctx.has('LogitsLength')) ins.LogitsLength = [ctx.input('LogitsLength')];
    return { Logits: [c.run1('warpctc_grad', ins, { ...ctx.attrs }, 'Logits@GRAD')] };
  },
});

defineOp({
  type: 'warpctc_grad',
  inputs: ['WarpCTCGrad', 'Logits', 'Loss@GRAD', 'LogitsLength?!'],
  outputs: ['Logits@GRAD'],
  attrs: { blank: int(0), norm_by_times: bool(false) },
  infer(ins) {
    const op = 'warpctc_grad';
    const { logits } = checkLogits(ins, op);
    one(ins, 'WarpCTCGrad', op);
    one(ins, 'Loss@GRAD', op);
    return { 'Logits@GRAD': [meta(logits.dims.slice(), logits.dtype)] };
  },
});
