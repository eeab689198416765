// paddle.nn.functional losses, as in python/paddle/nn/functional/loss.py (2.0) and the fluid
// losses it re-exports (python/paddle/fluid/layers/loss.py, nn.py): softmax_with_cross_entropy,
// cross_entropy, mse_loss, binary_cross_entropy(_with_logits), nll_loss, kl_div, l1_loss,
// log_loss, margin_ranking_loss, square_error_cost, smooth_l1_loss, sigmoid_focal_loss,
// dice_loss, npair_loss.
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { isFloating, PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { fail } from '../../core/errors.js';
import { showShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';

const nameP = p('name', T.nullable(T.str), null);
const reductionTy = T.oneOf('mean', 'sum', 'none');

const sumAll = (x: Tensor): Tensor => run1('reduce_sum', { X: [x] }, { dim: [0], keep_dim: false, reduce_all: true });
const meanAll = (x: Tensor): Tensor => run1('reduce_mean', { X: [x] }, { dim: [0], keep_dim: false, reduce_all: true });

/**
 * Softmax followed by cross entropy, without reduction. The loss has the shape of `logits`
 * with the class axis reduced to size 1. Hard labels are int64 with that size-1 class axis;
 * samples labelled `ignore_index` get 0 loss and 0 gradient. With `soft_label`, `label` holds
 * a distribution per sample (the shape of `logits`).
 * @param logits unscaled log-probabilities (float32/float64)
 * @param label int64 hard labels or float soft labels
 * @param soft_label whether `label` is soft
 * @param ignore_index the hard label value to ignore
 * @param numeric_stable_mode kept for compatibility (the computation is always stable)
 * @param return_softmax also return the softmax: `[loss, softmax]`
 * @param axis the class axis
 * @example F.softmax_with_cross_entropy(paddle.to_tensor([[1, 2, 3]], { dtype: 'float32' }), paddle.to_tensor([[2]])) // [[0.40760596]]
 */
export const softmax_with_cross_entropy = defineApi(
  'paddle.nn.functional.softmax_with_cross_entropy',
  [
    p('logits', T.tensor),
    p('label', T.tensor),
    p('soft_label', T.bool, false),
    p('ignore_index', T.int, -100),
    p('numeric_stable_mode', T.bool, true),
    p('return_softmax', T.bool, false),
    p('axis', T.int, -1),
  ],
  (a): Tensor | [Tensor, Tensor] => {
    const r = dispatch(
      'softmax_with_cross_entropy',
      { Logits: [a.logits], Label: [a.label] },
      { soft_label: a.soft_label, ignore_index: a.ignore_index, numeric_stable_mode: a.numeric_stable_mode, axis: a.axis },
    );
    return a.return_softmax ? [r.Loss[0], r.Softmax[0]] : r.Loss[0];
  },
);

/**
 * Cross entropy of `input` logits (softmax inside) against `label`, with Paddle 2.0's
 * semantics:
 * - hard labels are int64 of shape `input.shape` without the class axis, or with it as size 1;
 * - `weight` (one per class) is gathered per sample (ignored samples weigh 0; with soft labels
 *   a sample's weight is sum(label * weight));
 * - `reduction='mean'` divides by the summed sample weights when `weight` is given; without
 *   weight it divides by the count of non-ignored samples only when `ignore_index != -100`:
 *   with the default -100, ignored samples still count in the denominator (as in 2.0).
 *   A zero denominator gives 0 instead of NaN (as later 2.x releases).
 * - `reduction='none'` returns the per-sample losses (the class axis dropped when `label` had
 *   no class axis).
 * @param input logits, float32/float64, class axis `axis`
 * @param label int64 hard labels, or soft labels of `input`'s shape
 * @param weight per-class weights of shape [C]
 * @param ignore_index the hard label value to ignore (default -100)
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @param soft_label whether `label` is soft
 * @param axis the class axis (default -1)
 * @example F.cross_entropy(paddle.to_tensor([[1, 2, 3], [1, 1, 1]], { dtype: 'float32' }), paddle.to_tensor([2, 0])) // [0.75310916]
 */
export const cross_entropy = defineApi(
  'paddle.nn.functional.cross_entropy',
  [
    p('input', T.tensor),
    p('label', T.tensor),
    p('weight', T.nullable(T.tensor), null),
    p('ignore_index', T.int, -100),
    p('reduction', reductionTy, 'mean'),
    p('soft_label', T.bool, false),
    p('axis', T.int, -1),
    nameP,
  ],
  (a): Tensor => {
    const api = 'paddle.nn.functional.cross_entropy';
    const { input, weight, ignore_index: ignore, reduction, soft_label: soft } = a;
    let label = a.label;
    const inDims = input.dims.length;
    const lbDims = label.dims.length;
    if (inDims - 1 !== lbDims && inDims !== lbDims)
      fail(api, `label must have input's rank or input's rank - 1, but got input of shape ${showShape(input.dims)} and label of shape ${showShape(label.dims)}`);
    if (!isFloating(input.dtype)) fail(api, `argument 'input' must be a float tensor (float32, float64), but got ${input.dtype}`);
    const squeezed = inDims - 1 === lbDims;
    if (squeezed) label = run1('unsqueeze2', { X: [label] }, { axes: [a.axis] });
    let out = run1('softmax_with_cross_entropy', { Logits: [input], Label: [label] }, { soft_label: soft, ignore_index: ignore, numeric_stable_mode: true, axis: a.axis }, 'Loss');
    const axis = a.axis < 0 ? a.axis + inDims : a.axis;

    // Per-sample weights, shaped like the loss.
    let sampleW: Tensor | null = null;
    let mask: Tensor | null = null;
    const notIgnored = (): Tensor => (mask ??= c.compare('not_equal', label, c.fullLike(label, ignore)));
    if (weight !== null) {
      if (weight.dims.length !== 1 || (input.dims[axis] >= 0 && weight.dims[0] !== input.dims[axis]))
        fail(api, `weight must be 1-D with one value per class (${input.dims[axis]}), but got shape ${showShape(weight.dims)}`);
      if (weight.dtype !== input.dtype) fail(api, `weight must have input's dtype ${input.dtype}, but got ${weight.dtype}`);
      if (soft) {
        // sum over classes of label * weight (weight aligned on the class axis)
        sampleW = c.sum(c.mul(label, weight, axis), [axis], true);
      } else {
        const m = notIgnored();
        const valid = c.mul(label, c.cast(m, label.dtype));
        const g = run1('gather', { X: [weight], Index: [c.reshape(valid, [-1])] }, { overwrite: false }); // accumulate repeated classes' gradients
        sampleW = c.mul(c.reshape(g, label.dims.slice()), c.cast(m, weight.dtype));
      }
      out = c.mul(out, sampleW);
    }

    if (reduction === 'sum') return sumAll(out);
    if (reduction === 'mean') {
      const safeDiv = (num: Tensor, den: Tensor): Tensor => c.div(num, c.add(den, c.cast(c.compare('equal', den, c.zerosLike(den)), den.dtype)));
      if (ignore !== -100 && !soft) {
        const m = c.cast(notIgnored(), out.dtype);
        const den = sampleW === null ? sumAll(m) : sumAll(c.mul(m, sampleW));
        return safeDiv(sumAll(out), den);
      }
      if (sampleW !== null) return safeDiv(sumAll(out), sumAll(sampleW));
      return meanAll(out);
    }
    return squeezed ? run1('squeeze2', { X: [out] }, { axes: [a.axis] }) : out;
  },
);

/**
 * Mean squared error: (input - label)^2, reduced by 'mean' (default), 'sum' or 'none'.
 * @param input a float Tensor
 * @param label a float Tensor of the same shape
 * @param reduction 'mean', 'sum' or 'none'
 * @example F.mse_loss(paddle.to_tensor([1.5]), paddle.to_tensor([1.7])) // [0.04000002]
 */
export const mse_loss = defineApi(
  'paddle.nn.functional.mse_loss',
  [p('input', T.tensor), p('label', T.tensor), p('reduction', reductionTy, 'mean'), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.mse_loss';
    if (!isFloating(a.input.dtype)) fail(api, `argument 'input' must be a float tensor (float32, float64), but got ${a.input.dtype}`);
    if (!isFloating(a.label.dtype)) fail(api, `argument 'label' must be a float tensor (float32, float64), but got ${a.label.dtype}`);
    const sq = c.square(c.sub(a.input, a.label));
    if (a.reduction === 'none') return sq;
    return a.reduction === 'mean' ? meanAll(sq) : sumAll(sq);
  },
);

// ---------------------------------------------------------------------------------------
// The other losses of python/paddle/nn/functional/loss.py (2.0) and the fluid losses it
// re-exports (dice_loss, log_loss, npair_loss, square_error_cost), each appending the
// operators Paddle 2.0's static path appends.

const F32_64 = ['float32', 'float64'];

/** Checks a tensor argument's dtype. */
function dtypeArg(api: string, t: Tensor, arg: string, allowed: readonly string[] = F32_64): void {
  if (!allowed.includes(t.dtype)) fail(api, `argument '${arg}' must be a ${allowed.join(', ')} Tensor, but got ${t.dtype}`);
}
/** Checks two tensors have the same shape. */
function sameShapeArg(api: string, a: Tensor, b: Tensor, an: string, bn: string): void {
  const bad = a.dims.length !== b.dims.length || a.dims.some((d, i) => d >= 0 && b.dims[i] >= 0 && d !== b.dims[i]);
  if (bad) fail(api, `'${an}' and '${bn}' must have the same shape, but got ${showShape(a.dims)} and ${showShape(b.dims)}`);
}
/** 'mean' / 'sum' / 'none' of an unreduced loss (reduce_mean / reduce_sum over all). */
function reduce(out: Tensor, reduction: 'mean' | 'sum' | 'none'): Tensor {
  return reduction === 'mean' ? meanAll(out) : reduction === 'sum' ? sumAll(out) : out;
}
/** A [1]-shaped constant (fill_constant). */
function constant(value: number, dtype: DType): Tensor {
  return run1('fill_constant', {}, { shape: [1], value, dtype: PROTO_DTYPE[dtype] });
}

/**
 * Binary cross entropy on probabilities: -(label log(input) + (1 - label) log(1 - input)),
 * each log clamped at -100, optionally times `weight`, then reduced.
 * @param input probabilities in [0, 1] (float32/float64), e.g. a sigmoid's output
 * @param label targets of input's shape and dtype
 * @param weight rescales each element (broadcast to input's shape)
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @example F.binary_cross_entropy(paddle.to_tensor([0.5, 0.6, 0.7]), paddle.to_tensor([1.0, 0.0, 1.0])) // [0.65537095]
 */
export const binary_cross_entropy = defineApi(
  'paddle.nn.functional.binary_cross_entropy',
  [p('input', T.tensor), p('label', T.tensor), p('weight', T.nullable(T.tensor), null), p('reduction', reductionTy, 'mean'), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.binary_cross_entropy';
    dtypeArg(api, a.input, 'input');
    dtypeArg(api, a.label, 'label');
    sameShapeArg(api, a.input, a.label, 'input', 'label');
    let out = run1('bce_loss', { X: [a.input], Label: [a.label] });
    if (a.weight) out = c.mul(out, a.weight);
    return reduce(out, a.reduction);
  },
);

/**
 * Sigmoid then binary cross entropy, computed stably from logits:
 * max(x, 0) - x label + log(1 + e^-|x|), times `label (pos_weight - 1) + 1` when pos_weight
 * is given and by `weight`, then reduced.
 * @param logit logits (float32/float64)
 * @param label targets in [0, 1] of logit's shape and dtype
 * @param weight rescales each element (broadcast)
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @param pos_weight weight of the positive term, per class (broadcast)
 * @example F.binary_cross_entropy_with_logits(paddle.to_tensor([5.0, 1.0, 3.0]), paddle.to_tensor([1.0, 0.0, 1.0])) // [0.45618808]
 */
export const binary_cross_entropy_with_logits = defineApi(
  'paddle.nn.functional.binary_cross_entropy_with_logits',
  [
    p('logit', T.tensor),
    p('label', T.tensor),
    p('weight', T.nullable(T.tensor), null),
    p('reduction', reductionTy, 'mean'),
    p('pos_weight', T.nullable(T.tensor), null),
    nameP,
  ],
  (a): Tensor => {
    const api = 'paddle.nn.functional.binary_cross_entropy_with_logits';
    dtypeArg(api, a.logit, 'logit');
    dtypeArg(api, a.label, 'label');
    sameShapeArg(api, a.logit, a.label, 'logit', 'label');
    let out = run1('sigmoid_cross_entropy_with_logits', { X: [a.logit], Label: [a.label] }, { ignore_index: -100, normalize: false });
    if (a.pos_weight) {
      dtypeArg(api, a.pos_weight, 'pos_weight');
      const one = constant(1, a.logit.dtype);
      out = c.mul(out, c.add(c.mul(a.label, c.sub(a.pos_weight, one)), one));
    }
    if (a.weight) {
      dtypeArg(api, a.weight, 'weight');
      out = c.mul(out, a.weight);
    }
    return reduce(out, a.reduction);
  },
);

/**
 * Negative log likelihood of log-probabilities: -input[n, label[n]] * weight[label[n]], over
 * input [N, C] or [N, C, d1, ..., dK] with int64 labels [N] or [N, d1, ..., dK]. Labels equal
 * to ignore_index count 0; 'mean' divides by the summed weights of the counted labels.
 * @param input log-probabilities (float32/float64), class axis 1
 * @param label int64 class indices
 * @param weight per-class weights [C]
 * @param ignore_index the label value to skip (-100)
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @example F.nll_loss(F.log_softmax(logits, 1), paddle.to_tensor([0, 2, 1]))
 */
export const nll_loss = defineApi(
  'paddle.nn.functional.nll_loss',
  [
    p('input', T.tensor),
    p('label', T.tensor),
    p('weight', T.nullable(T.tensor), null),
    p('ignore_index', T.int, -100),
    p('reduction', reductionTy, 'mean'),
    nameP,
  ],
  (a): Tensor => {
    const api = 'paddle.nn.functional.nll_loss';
    let { input, label } = a;
    const shape = input.dims.slice();
    if (shape.length < 2) fail(api, `Expected 2 or more dimensions (got ${shape.length})`);
    dtypeArg(api, input, 'input');
    if (label.dtype !== 'int64') fail(api, `argument 'label' must be an int64 Tensor of class indices, but got ${label.dtype}`);
    const want = [shape[0], ...shape.slice(2)];
    const lshow = `input of shape ${showShape(shape)} needs label of shape ${showShape(want)}, but got ${showShape(label.dims)}`;
    if (label.dims.length !== want.length || label.dims.some((d, i) => d >= 0 && want[i] >= 0 && d !== want[i])) fail(api, lshow);
    if (a.weight) dtypeArg(api, a.weight, 'weight');
    const [n, cl] = shape;
    const flat = shape.length !== 2 && shape.length !== 4;
    // (0 copies an unknown batch dim in static mode, where Paddle's own reshape would fail)
    const nd = n >= 0 ? n : 0;
    if (flat) {
      input = c.reshape(input, [nd, cl, 1, -1]);
      label = c.reshape(label, [nd, 1, -1]);
    }
    const ins: Record<string, Tensor[]> = { X: [input], Label: [label] };
    if (a.weight) ins.Weight = [a.weight];
    let out = run1('nll_loss', ins, { ignore_index: a.ignore_index, reduction: a.reduction });
    if (flat && a.reduction === 'none') out = c.reshape(out, [nd, ...want.slice(1)]);
    return out;
  },
);

/**
 * Kullback-Leibler divergence of `label` (probabilities) from `input` (log-probabilities):
 * label (log(label) - input) where label > 0, reduced by 'mean' (over all elements),
 * 'batchmean' (sum / batch size), 'sum' or 'none'. A float32/float64 pair is computed in float64.
 * @param input log-probabilities (float32/float64)
 * @param label probabilities of input's shape
 * @param reduction 'mean' (default), 'batchmean', 'sum' or 'none'
 * @example F.kl_div(paddle.to_tensor([[-1.2, -0.5]]), paddle.to_tensor([[0.3, 0.7]]), 'sum')
 */
export const kl_div = defineApi(
  'paddle.nn.functional.kl_div',
  [p('input', T.tensor), p('label', T.tensor), p('reduction', T.oneOf('mean', 'batchmean', 'sum', 'none'), 'mean'), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.kl_div';
    let { input, label } = a;
    dtypeArg(api, input, 'input');
    dtypeArg(api, label, 'label');
    if (input.dtype === 'float32' && label.dtype === 'float64') input = c.cast(input, 'float64');
    else if (input.dtype === 'float64' && label.dtype === 'float32') label = c.cast(label, 'float64');
    sameShapeArg(api, input, label, 'input', 'label');
    return run1('kldiv_loss', { X: [input], Target: [label] }, { reduction: a.reduction }, 'Loss');
  },
);

/**
 * L1 loss: |input - label|, reduced.
 * @param input float32/float64/int32/int64
 * @param label of input's shape and dtype
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @example F.l1_loss(paddle.to_tensor([[1.5, 0.8], [0.2, 1.3]]), paddle.to_tensor([[1.7, 1], [0.4, 0.5]])) // [0.35]
 */
export const l1_loss = defineApi(
  'paddle.nn.functional.l1_loss',
  [p('input', T.tensor), p('label', T.tensor), p('reduction', reductionTy, 'mean'), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.l1_loss';
    const allowed = ['float32', 'float64', 'int32', 'int64'];
    dtypeArg(api, a.input, 'input', allowed);
    dtypeArg(api, a.label, 'label', allowed);
    return reduce(run1('abs', { X: [c.sub(a.input, a.label)] }), a.reduction);
  },
);

/**
 * Log loss for binary probabilities, elementwise:
 * -label log(input + epsilon) - (1 - label) log(1 - input + epsilon).
 * @param input predicted probabilities [N, 1] (float32; float64 accepted too)
 * @param label targets [N, 1]
 * @param epsilon (1e-4)
 * @example F.log_loss(paddle.to_tensor([[0.7], [0.2]]), paddle.to_tensor([[1.0], [0.0]]))
 */
export const log_loss = defineApi(
  'paddle.nn.functional.log_loss',
  [p('input', T.tensor), p('label', T.tensor), p('epsilon', T.float, 1e-4), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.log_loss';
    dtypeArg(api, a.input, 'input');
    dtypeArg(api, a.label, 'label');
    return run1('log_loss', { Predicted: [a.input], Labels: [a.label] }, { epsilon: a.epsilon }, 'Loss');
  },
);

/**
 * Margin ranking loss: relu(-label (input - other) + margin), reduced.
 * @param input scores (float32/float64)
 * @param other scores of input's shape
 * @param label 1 (input should rank higher) or -1, of input's shape
 * @param margin (0.0)
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @example F.margin_ranking_loss(paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32' }), paddle.to_tensor([[2, 1], [2, 4]], { dtype: 'float32' }), paddle.to_tensor([[1, -1], [-1, -1]], { dtype: 'float32' })) // [0.75]
 */
export const margin_ranking_loss = defineApi(
  'paddle.nn.functional.margin_ranking_loss',
  [p('input', T.tensor), p('other', T.tensor), p('label', T.tensor), p('margin', T.float, 0.0), p('reduction', reductionTy, 'mean'), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.margin_ranking_loss';
    dtypeArg(api, a.input, 'input');
    dtypeArg(api, a.other, 'other');
    dtypeArg(api, a.label, 'label');
    let out = c.mul(c.sub(a.other, a.input), a.label);
    if (a.margin !== 0) out = c.add(out, constant(a.margin, out.dtype));
    return reduce(run1('relu', { X: [out] }), a.reduction);
  },
);

/**
 * Squared error, elementwise and unreduced: (input - label)^2.
 * @param input float32/float64
 * @param label of input's shape
 * @example F.square_error_cost(paddle.to_tensor([1.5, 2]), paddle.to_tensor([1, 2])) // [0.25, 0]
 */
export const square_error_cost = defineApi('paddle.nn.functional.square_error_cost', [p('input', T.tensor), p('label', T.tensor)], (a): Tensor => {
  const api = 'paddle.nn.functional.square_error_cost';
  dtypeArg(api, a.input, 'input');
  dtypeArg(api, a.label, 'label');
  return c.square(c.sub(a.input, a.label));
});

/**
 * Smooth L1 loss in Paddle's Huber form (the huber_loss operator): with d = label - input,
 * 0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta); then reduced.
 * @param input float32/float64
 * @param label of input's shape and dtype
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @param delta (1.0)
 * @example F.smooth_l1_loss(paddle.to_tensor([0.5, 3]), paddle.to_tensor([0, 0])) // [1.3125]
 */
export const smooth_l1_loss = defineApi(
  'paddle.nn.functional.smooth_l1_loss',
  [p('input', T.tensor), p('label', T.tensor), p('reduction', reductionTy, 'mean'), p('delta', T.float, 1.0), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.smooth_l1_loss';
    dtypeArg(api, a.input, 'input');
    dtypeArg(api, a.label, 'label');
    const out = run1('huber_loss', { X: [a.input], Y: [a.label] }, { delta: a.delta });
    return reduce(out, a.reduction);
  },
);

/**
 * Focal loss on logits with 0/1 labels of the same shape:
 * alpha_t (1 - p_t)^gamma BCE(logit, label), p_t = p where label is 1 else 1 - p, alpha_t =
 * alpha where label is 1 else 1 - alpha; divided by `normalizer` when given; reduced with
 * 'sum' by default.
 * @param logit logits (float32/float64)
 * @param label 0/1 targets of logit's shape and dtype
 * @param normalizer e.g. the number of positives, shape [1]
 * @param alpha (0.25)
 * @param gamma (2.0)
 * @param reduction 'sum' (default), 'mean' or 'none'
 * @example F.sigmoid_focal_loss(logit, label, paddle.to_tensor([2.0]))
 */
export const sigmoid_focal_loss = defineApi(
  'paddle.nn.functional.sigmoid_focal_loss',
  [
    p('logit', T.tensor),
    p('label', T.tensor),
    p('normalizer', T.nullable(T.tensor), null),
    p('alpha', T.float, 0.25),
    p('gamma', T.float, 2.0),
    p('reduction', reductionTy, 'sum'),
    nameP,
  ],
  (a): Tensor => {
    const api = 'paddle.nn.functional.sigmoid_focal_loss';
    const { logit, label, normalizer, alpha, gamma } = a;
    if (normalizer) {
      dtypeArg(api, normalizer, 'normalizer');
      if (normalizer.dims.length > 1) fail(api, `Expected one dimension of normalizer in sigmoid_focal_loss but got ${normalizer.dims.length}.`);
    }
    dtypeArg(api, logit, 'logit');
    dtypeArg(api, label, 'label');
    sameShapeArg(api, logit, label, 'logit', 'label');
    let loss = run1('sigmoid_cross_entropy_with_logits', { X: [logit], Label: [label] }, { ignore_index: -100, normalize: false });
    const pred = run1('sigmoid', { X: [logit] });
    const pT = c.add(c.mul(pred, label), c.mul(c.scale(pred, -1, 1), c.scale(label, -1, 1)));
    const alphaT = c.add(c.scale(label, alpha), c.scale(c.scale(label, -1, 1), 1 - alpha));
    loss = c.mul(alphaT, loss);
    const gammaT = run1('pow', { X: [c.scale(pT, -1, 1)] }, { factor: gamma });
    loss = c.mul(gammaT, loss);
    if (normalizer) loss = c.div(loss, normalizer);
    return reduce(loss, a.reduction);
  },
);

/**
 * Dice loss: 1 - 2 |X ∩ Y| / (|X| + |Y| + epsilon) per sample, averaged over the batch;
 * `label` holds class indices (last dim 1), one-hot encoded inside.
 * @param input probabilities [N, ..., C] (float32/float64)
 * @param label int64/int32 class indices [N, ..., 1]
 * @param epsilon (1e-5)
 * @example F.dice_loss(F.softmax(logits), labels)
 */
export const dice_loss = defineApi(
  'paddle.nn.functional.dice_loss',
  [p('input', T.tensor), p('label', T.tensor), p('epsilon', T.float, 0.00001), nameP],
  (a): Tensor => {
    const api = 'paddle.nn.functional.dice_loss';
    const { input, label } = a;
    dtypeArg(api, input, 'input');
    dtypeArg(api, label, 'label', ['int32', 'int64']);
    const r = input.dims.length;
    if (r < 2 || label.dims.length !== r || label.dims[r - 1] !== 1 || label.dims.slice(0, -1).some((d, i) => d >= 0 && input.dims[i] >= 0 && d !== input.dims[i]))
      fail(api, `label must have input's shape with a last dim of 1 (input ${showShape(input.dims)}), but got ${showShape(label.dims)}`);
    const onehot = run1('one_hot', { X: [label] }, { depth: input.dims[r - 1], dtype: PROTO_DTYPE[input.dtype], allow_out_of_range: false });
    const dims = Array.from({ length: r - 1 }, (_, i) => i + 1);
    const inse = c.sum(c.mul(input, onehot), dims);
    const den = c.add(c.sum(input, dims), c.sum(onehot, dims));
    const score = c.scale(c.div(c.scale(inse, 2), c.scale(den, 1, a.epsilon)), -1, 1);
    return meanAll(score);
  },
);

/**
 * N-pair loss (Sohn 2016): softmax cross entropy over anchor-positive similarities with soft
 * targets spread over the samples sharing a label, plus l2_reg * 0.25 times the mean squared
 * norms of anchor and positive.
 * @param anchor embeddings [N, D] (float32/float64)
 * @param positive embeddings [N, D]
 * @param labels [N] (float32/float64/int64)
 * @param l2_reg (0.002)
 * @example F.npair_loss(anchor, positive, labels)
 */
export const npair_loss = defineApi(
  'paddle.nn.functional.npair_loss',
  [p('anchor', T.tensor), p('positive', T.tensor), p('labels', T.tensor), p('l2_reg', T.float, 0.002)],
  (a): Tensor => {
    const api = 'paddle.nn.functional.npair_loss';
    const { anchor, positive } = a;
    dtypeArg(api, anchor, 'anchor');
    dtypeArg(api, positive, 'positive');
    dtypeArg(api, a.labels, 'labels', ['float32', 'float64', 'int64']);
    if (positive.dtype !== anchor.dtype) fail(api, `'positive' must have anchor's dtype ${anchor.dtype}, but got ${positive.dtype}`);
    if (anchor.dims.length !== 2) fail(api, `'anchor' must have shape [N, D], but got ${showShape(anchor.dims)}`);
    sameShapeArg(api, anchor, positive, 'anchor', 'positive');
    const beta = 0.25;
    const n = a.labels.dims[0];
    let labels = c.expand(c.reshape(a.labels, [n, 1]), [n, n]);
    labels = c.cast(c.compare('equal', labels, c.transpose(labels, [1, 0])), anchor.dtype);
    labels = c.div(labels, c.sum(labels, [1], true));
    const sqNorm = (t: Tensor): Tensor => run1('reduce_mean', { X: [c.sum(c.square(t), [1])] }, { dim: [0], keep_dim: false, reduce_all: true });
    const l2loss = c.scale(c.add(sqNorm(anchor), sqNorm(positive)), beta * a.l2_reg);
    const sim = run1('matmul', { X: [anchor], Y: [positive] }, { transpose_X: false, transpose_Y: true, alpha: 1 });
    const ce = run1('softmax_with_cross_entropy', { Logits: [sim], Label: [labels] }, { soft_label: true, ignore_index: -100, numeric_stable_mode: true, axis: -1 }, 'Loss');
    const celoss = meanAll(c.sum(c.mul(labels, ce), [0]));
    return c.add(l2loss, celoss);
  },
);
