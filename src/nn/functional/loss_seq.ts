// Sequence losses of paddle.nn.functional (python/paddle/nn/functional/loss.py at 2.0):
// ctc_loss (the warpctc operator) and hsigmoid_loss (hierarchical_sigmoid).
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { fail } from '../../core/errors.js';
import { showShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';

const nameP = p('name', T.nullable(T.str), null);

function dtypeIs(api: string, t: Tensor, arg: string, allowed: readonly string[]): void {
  if (!allowed.includes(t.dtype)) fail(api, `argument '${arg}' must be a ${allowed.join(' or ')} Tensor, but got ${t.dtype}`);
}

/**
 * CTC loss (warp-ctc) between unnormalized logits and padded label sequences. The softmax
 * is applied inside: pass logits, not log-probabilities, despite the argument's name.
 * 'mean' divides each sequence's loss by its label length, then averages; 'sum' sums;
 * 'none' gives the [batch_size] losses. norm_by_times (from Paddle 2.1) divides the
 * gradient, not the loss, by each input length. A label that cannot fit its input gets loss 0.
 * @param log_probs logits [max_logit_length, batch_size, num_classes + 1], float32/float64
 * @param labels int32 [batch_size, max_label_length]
 * @param input_lengths int64 [batch_size]
 * @param label_lengths int64 [batch_size]
 * @param blank the blank class index (0)
 * @param reduction 'mean', 'sum' or 'none' ('mean')
 * @param norm_by_times scale the gradient by 1 / input length (false)
 * @example
 * // Paddle's documented example (log_probs [5, 2, 3], labels [[1, 2, 2], [1, 2, 2]], lengths 5 and 3)
 * F.ctc_loss(log_probs, labels, input_lengths, label_lengths, 0, 'none')   // [3.9179852, 2.9076521]
 * F.ctc_loss(log_probs, labels, input_lengths, label_lengths)              // [1.1376063]
 */
export const ctc_loss = defineApi(
  'paddle.nn.functional.ctc_loss',
  [
    p('log_probs', T.tensor),
    p('labels', T.tensor),
    p('input_lengths', T.tensor),
    p('label_lengths', T.tensor),
    p('blank', T.int, 0),
    p('reduction', T.oneOf('mean', 'sum', 'none'), 'mean'),
    p('norm_by_times', T.bool, false),
  ],
  (a): Tensor => {
    const api = 'paddle.nn.functional.ctc_loss';
    dtypeIs(api, a.log_probs, 'log_probs', ['float32', 'float64']);
    if (a.log_probs.dims.length !== 3) fail(api, `argument 'log_probs' must be 3-D [max_logit_length, batch_size, num_classes + 1], but got shape ${showShape(a.log_probs.dims)}`);
    dtypeIs(api, a.labels, 'labels', ['int32']);
    if (a.labels.dims.length !== 2) fail(api, `argument 'labels' must be 2-D [batch_size, max_label_length], but got shape ${showShape(a.labels.dims)}`);
    dtypeIs(api, a.input_lengths, 'input_lengths', ['int64']);
    dtypeIs(api, a.label_lengths, 'label_lengths', ['int64']);
    const loss2 = dispatch(
      'warpctc',
      { Logits: [a.log_probs], Label: [a.labels], LogitsLength: [a.input_lengths], LabelLength: [a.label_lengths] },
      { blank: a.blank, norm_by_times: a.norm_by_times },
    ).Loss[0];
    const loss = run1('squeeze2', { X: [loss2] }, { axes: [-1] });
    if (a.reduction === 'mean') {
      const per = c.div(loss, c.cast(a.label_lengths, loss.dtype));
      return run1('reduce_mean', { X: [per] }, { dim: [0], keep_dim: false, reduce_all: true });
    }
    if (a.reduction === 'sum') return c.sumAll(loss);
    return loss;
  },
);

/**
 * Hierarchical sigmoid loss: each class is a leaf of a binary tree and the loss sums the
 * binary cross entropies of the classifiers on its path. Without path_table/path_code the
 * tree is Paddle's default complete binary tree over num_classes leaves (weight has
 * num_classes - 1 rows); with them, row i of path_table lists sample i's nodes (ending with a
 * negative entry) and path_code their targets. As Paddle's operator, the result also counts
 * log 2 for each step a default-tree path is shorter than the longest one.
 * @param input [N, D] float32/float64
 * @param label int64 [N, 1]
 * @param num_classes number of classes (default tree), or of non-leaf nodes (custom tree)
 * @param weight [num_classes - 1, D] (custom tree: [num_nodes, D])
 * @param bias [num_classes - 1, 1] or null
 * @param path_table int64 [N, path_length] (custom tree)
 * @param path_code int64 [N, path_length] (custom tree)
 * @param is_sparse with the custom tree, the weight's gradient is SelectedRows over the used nodes (dygraph)
 * @example F.hsigmoid_loss(x, label, 5, weight)   // [N, 1]
 */
export const hsigmoid_loss = defineApi(
  'paddle.nn.functional.hsigmoid_loss',
  [
    p('input', T.tensor),
    p('label', T.tensor),
    p('num_classes', T.int),
    p('weight', T.tensor),
    p('bias', T.nullable(T.tensor), null),
    p('path_table', T.nullable(T.tensor), null),
    p('path_code', T.nullable(T.tensor), null),
    p('is_sparse', T.bool, false),
    nameP,
  ],
  (a): Tensor => {
    const api = 'paddle.nn.functional.hsigmoid_loss';
    dtypeIs(api, a.input, 'input', ['float32', 'float64']);
    dtypeIs(api, a.label, 'label', ['int64']);
    dtypeIs(api, a.weight, 'weight', ['float32', 'float64']);
    if (a.bias) dtypeIs(api, a.bias, 'bias', ['float32', 'float64']);
    if (a.path_table) dtypeIs(api, a.path_table, 'path_table', ['int64']);
    if (a.path_code) dtypeIs(api, a.path_code, 'path_code', ['int64']);
    if (!a.path_table !== !a.path_code) fail(api, 'path_table and path_code must be given together (custom tree) or both be None (default tree)');
    const ins: Record<string, Tensor[]> = { X: [a.input], W: [a.weight], Label: [a.label] };
    if (a.path_table && a.path_code) {
      ins.PathTable = [a.path_table];
      ins.PathCode = [a.path_code];
    }
    if (a.bias) ins.Bias = [a.bias];
    return dispatch('hierarchical_sigmoid', ins, { num_classes: a.num_classes, is_sparse: a.is_sparse, remote_prefetch: a.is_sparse }).Out[0];
  },
);
