// Loss and decoding operators of Paddle 2.0 that only fluid.layers appends
// (paddle/fluid/operators):
//   bpr_loss / _grad                 X, Label -> Y               (Bayesian personalized ranking)
//   center_loss                      X, Label, Centers, CenterUpdateRate -> CentersOut, SampleCenterDiff, Loss
//                                    (cluster_num, need_update)
//   rank_loss                        Label, Left, Right -> Out   (RankNet)
//   teacher_student_sigmoid_loss / _grad  X, Label -> Y          (soft_max_up_bound, soft_max_lower_bound)
//   sample_logits / _grad            Logits, Labels, CustomizedSamples?, CustomizedProbabilities?
//                                    -> Samples, Probabilities, SampledLogits, SampledLabels, LogitsDim, LabelsDim
//                                    (use_customized_samples, uniq, remove_accidental_hits, num_samples, seed)
//   edit_distance                    Hyps, Refs, HypsLength?, RefsLength? -> SequenceNum, Out (normalized)
//   sequence_erase                   X -> Out                    (tokens; LoD input)
//   ctc_align                        Input, InputLength? -> Output, OutputLength? (blank, merge_repeated, padding_value)
//   linear_chain_crf / _grad         Emission, Transition, Label, Length? -> Alpha, EmissionExps, TransitionExps, LogLikelihood
// Gradients follow Paddle's grad operators (their own kernels where Paddle's formula is not
// the plain derivative: bpr's tolerable exp, the teacher-student clipping, crf's normalized
// forward-backward).
import type { GradResult } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, float, int, ints, meta, one, opFail, requireDtypes } from './util.js';

const known = (d: number): boolean => d >= 0;
const F32_64 = ['float32', 'float64'] as const;

/** X and Label of the same leading dims, Label's last dim 1; returns the [.., 1] output dims. */
function labelRows(x: Meta, label: Meta, op: string): number[] {
  const r = x.dims.length;
  const show = `X of shape ${showShape(x.dims)} and Label of shape ${showShape(label.dims)}`;
  if (label.dims.length !== r) opFail(op, `X and Label must have the same rank, but got ${show}`);
  for (let i = 0; i < r - 1; i++)
    if (known(x.dims[i]) && known(label.dims[i]) && x.dims[i] !== label.dims[i]) opFail(op, `X and Label must have the same shape except the last dimension, but got ${show}`);
  if (known(label.dims[r - 1]) && label.dims[r - 1] !== 1) opFail(op, `the last dimension of Label must be 1, but got ${show}`);
  const y = x.dims.slice();
  y[r - 1] = 1;
  return y;
}

// ---- bpr_loss -----------------------------------------------------------------------------------
defineOp({
  type: 'bpr_loss',
  inputs: ['X', 'Label!'],
  outputs: ['Y'],
  infer(ins) {
    const op = 'bpr_loss';
    const x = one(ins, 'X', op);
    requireDtypes(x, F32_64, op);
    const l = one(ins, 'Label', op);
    if (l.dtype !== 'int64') opFail(op, `Label must be an int64 tensor, but got ${l.dtype}`);
    return { Y: [meta(labelRows(x, l, op), x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    return { X: [c.run1('bpr_loss_grad', { X: [ctx.input('X')], Label: [ctx.input('Label')], 'Y@GRAD': [ctx.outGrad('Y')] }, {}, 'X@GRAD')] };
  },
});
defineOp({
  type: 'bpr_loss_grad',
  inputs: ['X', 'Label!', 'Y@GRAD'],
  outputs: ['X@GRAD'],
  infer(ins) {
    const x = one(ins, 'X', 'bpr_loss_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  },
});

// ---- center_loss --------------------------------------------------------------------------------
defineOp({
  type: 'center_loss',
  inputs: ['X', 'Label!', 'Centers!', 'CenterUpdateRate!'],
  outputs: ['CentersOut', 'SampleCenterDiff', 'Loss'],
  attrs: { cluster_num: int(), need_update: bool() },
  noGradOutputs: ['CentersOut', 'SampleCenterDiff'],
  infer(ins) {
    const op = 'center_loss';
    const x = one(ins, 'X', op);
    requireDtypes(x, F32_64, op);
    if (x.dims.length !== 2) opFail(op, `input X must be 2-D [batch, feature], but got shape ${showShape(x.dims)}`);
    const l = one(ins, 'Label', op);
    if (l.dtype !== 'int32' && l.dtype !== 'int64') opFail(op, `Label must be an int32 or int64 tensor, but got ${l.dtype}`);
    const ce = one(ins, 'Centers', op);
    if (ce.dims.length !== 2 || (known(ce.dims[1]) && known(x.dims[1]) && ce.dims[1] !== x.dims[1]))
      opFail(op, `Centers must have shape [cluster_num, ${x.dims[1]}], but got ${showShape(ce.dims)}`);
    return { SampleCenterDiff: [meta(x.dims.slice(), x.dtype)], CentersOut: [meta(ce.dims.slice(), ce.dtype)], Loss: [meta([x.dims[0], 1], x.dtype)] };
  },
  // dX = dLoss * (x - center[label])
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    return { X: [c.mul(ctx.output('SampleCenterDiff'), ctx.outGrad('Loss'))] };
  },
});

// ---- rank_loss ------------------------------------------------------------------------------------
defineOp({
  type: 'rank_loss',
  inputs: ['Label!', 'Left', 'Right'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'rank_loss';
    const label = one(ins, 'Label', op);
    const left = one(ins, 'Left', op);
    const right = one(ins, 'Right', op);
    requireDtypes(left, F32_64, op, 'Left');
    for (const [n, m] of [['Left', left], ['Right', right]] as const) {
      if (m.dims.length !== label.dims.length || m.dims.some((d, i) => known(d) && known(label.dims[i]) && d !== label.dims[i]))
        opFail(op, `${n} must have Label's shape ${showShape(label.dims)}, but got ${showShape(m.dims)}`);
    }
    if (label.dims.length < 1 || label.dims.length > 2 || (label.dims.length === 2 && known(label.dims[1]) && label.dims[1] !== 1))
      opFail(op, `Label must have shape [batch] or [batch, 1], but got ${showShape(label.dims)}`);
    return { Out: [meta(label.dims.slice(), left.dtype)] };
  },
  // out = log(1 + e^(l - r)) - label (l - r): dLeft = dOut (sigmoid(l - r) - label), dRight = -dLeft
  grad(ctx): GradResult {
    const d = c.sub(ctx.input('Left'), ctx.input('Right'));
    const g = c.mul(ctx.outGrad('Out'), c.sub(c.unary('sigmoid', d), ctx.input('Label')));
    return { Left: [ctx.needs('Left') ? g : null], Right: [ctx.needs('Right') ? c.neg(g) : null] };
  },
});

// ---- teacher_student_sigmoid_loss ------------------------------------------------------------------------
const tsslAttrs = () => ({ soft_max_up_bound: float(15), soft_max_lower_bound: float(-15) });
defineOp({
  type: 'teacher_student_sigmoid_loss',
  inputs: ['X', 'Label!'],
  outputs: ['Y'],
  attrs: tsslAttrs(),
  infer(ins) {
    const op = 'teacher_student_sigmoid_loss';
    const x = one(ins, 'X', op);
    const l = one(ins, 'Label', op);
    requireDtypes(x, F32_64, op);
    if (x.dims.length !== 2 || (known(x.dims[1]) && x.dims[1] !== 1)) opFail(op, `input X must have shape [batch, 1], but got ${showShape(x.dims)}`);
    if (l.dims.length !== 2 || (known(l.dims[1]) && l.dims[1] !== 1)) opFail(op, `input Label must have shape [batch, 1], but got ${showShape(l.dims)}`);
    if (l.dtype !== x.dtype) opFail(op, `Label must have X's dtype ${x.dtype}, but got ${l.dtype}`);
    return { Y: [meta([x.dims[0], 1], x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const g = c.run1('teacher_student_sigmoid_loss_grad', { X: [ctx.input('X')], Label: [ctx.input('Label')], 'Y@GRAD': [ctx.outGrad('Y')] }, { ...ctx.attrs }, 'X@GRAD');
    return { X: [g] };
  },
});
defineOp({
  type: 'teacher_student_sigmoid_loss_grad',
  inputs: ['X', 'Label!', 'Y@GRAD'],
  outputs: ['X@GRAD'],
  attrs: tsslAttrs(),
  infer(ins) {
    const x = one(ins, 'X', 'teacher_student_sigmoid_loss_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  },
});

// ---- sample_logits --------------------------------------------------------------------------------------
defineOp({
  type: 'sample_logits',
  inputs: ['Logits', 'Labels!', 'CustomizedSamples?!', 'CustomizedProbabilities?!'],
  outputs: ['Samples', 'Probabilities', 'SampledLogits', 'SampledLabels', 'LogitsDim', 'LabelsDim'],
  attrs: { use_customized_samples: bool(false), uniq: bool(true), remove_accidental_hits: bool(true), num_samples: int(), seed: int(0) },
  noGradOutputs: ['Samples', 'Probabilities', 'SampledLabels', 'LogitsDim', 'LabelsDim'],
  random: true,
  infer(ins, attrs) {
    const op = 'sample_logits';
    const lg = one(ins, 'Logits', op);
    const lb = one(ins, 'Labels', op);
    requireDtypes(lg, F32_64, op, 'Logits');
    if (lg.dims.length !== 2) opFail(op, `Input(Logits) of SampleLogitsOp should be 2D. But received shape = ${showShape(lg.dims)}`);
    if (lb.dims.length !== 2) opFail(op, `Input(Labels) of SampleLogitsOp should be 2D. But received shape = ${showShape(lb.dims)}`);
    if (lb.dtype !== 'int64') opFail(op, `Labels must be an int64 tensor, but got ${lb.dtype}`);
    const ns = attrs.num_samples as number;
    if (!(ns > 0)) opFail(op, `attribute num_samples must be positive, but got ${ns}`);
    if (known(lg.dims[1]) && ns > lg.dims[1]) opFail(op, `num_samples (${ns}) must not exceed the number of classes (${lg.dims[1]})`);
    if (attrs.use_customized_samples && (!ins.CustomizedSamples?.[0] || !ins.CustomizedProbabilities?.[0]))
      opFail(op, 'use_customized_samples needs CustomizedSamples and CustomizedProbabilities');
    const k = known(lb.dims[1]) ? lb.dims[1] + ns : -1;
    const b = lg.dims[0];
    return {
      Samples: [meta([b, k], 'int64')],
      Probabilities: [meta([b, k], lg.dtype)],
      SampledLogits: [meta([b, k], lg.dtype)],
      SampledLabels: [meta([b, lb.dims[1]], 'int64')],
      LogitsDim: [meta([...lg.dims, 0], lg.dtype)],
      LabelsDim: [meta([...lb.dims, 0], lg.dtype)],
    };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('Logits')) return {};
    const g = c.run1(
      'sample_logits_grad',
      { LogitsDim: [ctx.output('LogitsDim')], LabelsDim: [ctx.output('LabelsDim')], Samples: [ctx.output('Samples')], 'SampledLogits@GRAD': [ctx.outGrad('SampledLogits')] },
      {},
      'Logits@GRAD',
    );
    return { Logits: [g] };
  },
});
defineOp({
  type: 'sample_logits_grad',
  inputs: ['LogitsDim!', 'LabelsDim!', 'Samples!', 'SampledLogits@GRAD'],
  outputs: ['Logits@GRAD'],
  infer(ins) {
    const op = 'sample_logits_grad';
    const ld = one(ins, 'LogitsDim', op);
    return { 'Logits@GRAD': [meta(ld.dims.slice(0, -1), one(ins, 'SampledLogits@GRAD', op).dtype)] };
  },
});

// ---- edit_distance / sequence_erase ---------------------------------------------------------------------
defineOp({
  type: 'edit_distance',
  inputs: ['Hyps', 'Refs', 'HypsLength?', 'RefsLength?'],
  outputs: ['SequenceNum', 'Out'],
  attrs: { normalized: bool(false) },
  infer(ins) {
    const op = 'edit_distance';
    const h = one(ins, 'Hyps', op);
    const r = one(ins, 'Refs', op);
    for (const [n, m] of [['Hyps', h], ['Refs', r]] as const) if (m.dtype !== 'int64' && m.dtype !== 'int32') opFail(op, `${n} must be an int tensor, but got ${m.dtype}`);
    const padded = !!ins.HypsLength?.[0];
    if (padded !== !!ins.RefsLength?.[0]) opFail(op, 'HypsLength and RefsLength must be given together');
    if (padded) {
      if (h.dims.length !== 2 || r.dims.length !== 2) opFail(op, `padded Hyps and Refs must be 2-D [batch, max_len], but got ${showShape(h.dims)} and ${showShape(r.dims)}`);
    } else if (h.dims.length !== 2 || r.dims.length !== 2 || (known(h.dims[1]) && h.dims[1] !== 1) || (known(r.dims[1]) && r.dims[1] !== 1))
      opFail(op, `Hyps and Refs must be LoD tensors of shape [total, 1], but got ${showShape(h.dims)} and ${showShape(r.dims)}`);
    return { SequenceNum: [meta([1], 'int64')], Out: [meta([padded ? h.dims[0] : -1, 1], 'float32')] };
  },
});
defineOp({
  type: 'sequence_erase',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { tokens: ints([]) },
  infer(ins) {
    const op = 'sequence_erase';
    const x = one(ins, 'X', op);
    if (x.dtype !== 'int32' && x.dtype !== 'int64') opFail(op, `input X must be an int32 or int64 tensor, but got ${x.dtype}`);
    if (x.dims.length !== 2 || (known(x.dims[1]) && x.dims[1] !== 1)) opFail(op, `Input(X) of SequenceEraseOp should be a 2-D LoDTensor with the 2nd dimension equal to 1, but got ${showShape(x.dims)}`);
    return { Out: [meta([-1, 1], x.dtype)] };
  },
});

// ---- ctc_align --------------------------------------------------------------------------------------------
defineOp({
  type: 'ctc_align',
  inputs: ['Input', 'InputLength?'],
  outputs: ['Output', 'OutputLength?'],
  attrs: { blank: int(0), merge_repeated: bool(true), padding_value: int(0) },
  infer(ins): Record<string, Meta[]> {
    const op = 'ctc_align';
    const x = one(ins, 'Input', op);
    if (x.dtype !== 'int32' && x.dtype !== 'int64') opFail(op, `Input must be an int32 or int64 tensor, but got ${x.dtype}`);
    const len = ins.InputLength?.[0];
    if (len) {
      if (x.dims.length !== 2) opFail(op, `a padded Input must be 2-D [batch, max_len], but got ${showShape(x.dims)}`);
      if (len.dtype !== x.dtype) opFail(op, `InputLength must have Input's dtype ${x.dtype}, but got ${len.dtype}`);
      return { Output: [meta(x.dims.slice(), x.dtype)], OutputLength: [meta([x.dims[0], 1], x.dtype)] };
    }
    return { Output: [meta([-1, 1], x.dtype)] };
  },
});

// ---- linear_chain_crf ----------------------------------------------------------------------------------------
function crfCheck(ins: Record<string, Meta[]>, op: string): { emission: Meta; transition: Meta; padded: boolean; tags: number } {
  const emission = one(ins, 'Emission', op);
  const transition = one(ins, 'Transition', op);
  const label = one(ins, 'Label', op);
  requireDtypes(emission, F32_64, op, 'Emission');
  if (transition.dtype !== emission.dtype) opFail(op, `Transition must have Emission's dtype ${emission.dtype}, but got ${transition.dtype}`);
  if (label.dtype !== 'int64') opFail(op, `Label must be an int64 tensor, but got ${label.dtype}`);
  const padded = !!ins.Length?.[0];
  const e = emission.dims;
  if (padded) {
    if (e.length !== 3) opFail(op, `with Length, Emission must be 3-D [batch, max_len, tags], but got ${showShape(e)}`);
    if (label.dims.length < 2 || (known(label.dims[0]) && known(e[0]) && label.dims[0] !== e[0]) || (known(label.dims[1]) && known(e[1]) && label.dims[1] !== e[1]))
      opFail(op, `Label must have shape [batch, max_len(, 1)] matching Emission ${showShape(e)}, but got ${showShape(label.dims)}`);
  } else {
    if (e.length !== 2) opFail(op, `Emission must be a 2-D LoD tensor [total, tags] (or 3-D with Length), but got ${showShape(e)}`);
    if (label.dims.length !== 2 || (known(label.dims[1]) && label.dims[1] !== 1) || (known(label.dims[0]) && known(e[0]) && label.dims[0] !== e[0]))
      opFail(op, `Label must have shape [${e[0]}, 1], but got ${showShape(label.dims)}`);
  }
  const tags = e[e.length - 1];
  const t = transition.dims;
  if (t.length !== 2 || (known(t[1]) && known(tags) && t[1] !== tags) || (known(t[0]) && known(t[1]) && t[0] - 2 !== t[1]))
    opFail(op, `Transition must have shape [tags + 2, tags] = [${tags + 2}, ${tags}], but got ${showShape(t)}`);
  return { emission, transition, padded, tags };
}
defineOp({
  type: 'linear_chain_crf',
  inputs: ['Emission', 'Transition', 'Label!', 'Length?!'],
  outputs: ['Alpha', 'EmissionExps', 'TransitionExps', 'LogLikelihood'],
  noGradOutputs: ['Alpha', 'EmissionExps', 'TransitionExps'],
  infer(ins) {
    const op = 'linear_chain_crf';
    const { emission, transition, padded } = crfCheck(ins, op);
    const e = emission.dims;
    return {
      Alpha: [meta(e.slice(), emission.dtype)],
      EmissionExps: [meta(e.slice(), emission.dtype)],
      TransitionExps: [meta(transition.dims.slice(), emission.dtype)],
      LogLikelihood: [meta([padded ? e[0] : -1, 1], emission.dtype)],
    };
  },
  grad(ctx): GradResult {
    const ins: Record<string, import('../core/tensor.js').Tensor[]> = {
      EmissionExps: [ctx.output('EmissionExps')], TransitionExps: [ctx.output('TransitionExps')], Alpha: [ctx.output('Alpha')],
      Label: [ctx.input('Label')], 'LogLikelihood@GRAD': [ctx.outGrad('LogLikelihood')],
    };
    if (ctx.has('Length')) ins.Length = [ctx.input('Length')];
    const r = c.dispatch('linear_chain_crf_grad', ins, {});
    return { Emission: [ctx.needs('Emission') ? r['Emission@GRAD'][0] : null], Transition: [ctx.needs('Transition') ? r['Transition@GRAD'][0] : null] };
  },
});
defineOp({
  type: 'linear_chain_crf_grad',
  inputs: ['EmissionExps', 'TransitionExps', 'Alpha', 'Label!', 'Length?!', 'LogLikelihood@GRAD'],
  outputs: ['Emission@GRAD', 'Transition@GRAD'],
  infer(ins) {
    const op = 'linear_chain_crf_grad';
    const e = one(ins, 'EmissionExps', op);
    const t = one(ins, 'TransitionExps', op);
    return { 'Emission@GRAD': [meta(e.dims.slice(), e.dtype)], 'Transition@GRAD': [meta(t.dims.slice(), t.dtype)] };
  },
});
