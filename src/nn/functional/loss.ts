// paddle.nn.functional losses, as in python/paddle/nn/functional/loss.py (cross_entropy,
// mse_loss) and python/paddle/fluid/layers/loss.py (softmax_with_cross_entropy).
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { isFloating } from '../../core/dtype.js';
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
