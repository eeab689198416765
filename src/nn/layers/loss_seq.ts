// Sequence loss layers (python/paddle/nn/layer/loss.py at 2.0): CTCLoss and HSigmoidLoss.
import { makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { fail } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { ctc_loss, hsigmoid_loss } from '../functional/loss_seq.js';
import { Layer } from '../layer.js';
import { attrTy } from '../param_attr.js';
import type { ParamBase } from '../parameter.js';

type Reduction = 'mean' | 'sum' | 'none';
const ctcParams = [p('blank', T.int, 0), p('reduction', T.oneOf('mean', 'sum', 'none'), 'mean')] as const;
const parseCtc = makeParser('paddle.nn.CTCLoss', ctcParams);
const ctcForwardParams = [
  p('log_probs', T.tensor),
  p('labels', T.tensor),
  p('input_lengths', T.tensor),
  p('label_lengths', T.tensor),
  p('norm_by_times', T.bool, false),
] as const;
const parseCtcForward = makeParser('paddle.nn.CTCLoss.forward', ctcForwardParams);

/**
 * CTC loss (F.ctc_loss) on unnormalized logits [max_logit_length, batch_size, num_classes + 1]
 * with padded int32 labels and int64 lengths. `forward(log_probs, labels, input_lengths,
 * label_lengths, norm_by_times=false)` (norm_by_times from Paddle 2.1).
 * @param blank the blank class index (0)
 * @param reduction 'mean' (each loss divided by its label length, then averaged), 'sum' or 'none'
 * @example new nn.CTCLoss()(logits, labels, input_lengths, label_lengths)
 */
export class CTCLoss extends Layer {
  declare blank: number;
  declare reduction: Reduction;
  constructor(...args: CallArgs<typeof ctcParams>) {
    super();
    const a = parseCtc(args) as { blank: number; reduction: Reduction };
    this.blank = a.blank;
    this.reduction = a.reduction;
  }
  override forward(...args: CallArgs<typeof ctcForwardParams>): Tensor {
    const a = parseCtcForward(args) as { log_probs: Tensor; labels: Tensor; input_lengths: Tensor; label_lengths: Tensor; norm_by_times: boolean };
    return ctc_loss(a.log_probs, a.labels, a.input_lengths, a.label_lengths, this.blank, this.reduction, a.norm_by_times);
  }
}

const hsParams = [
  p('feature_size', T.int),
  p('num_classes', T.int),
  p('weight_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  p('is_custom', T.bool, false),
  p('is_sparse', T.bool, false),
  p('name', T.nullable(T.str), null),
] as const;
const parseHs = makeParser('paddle.nn.HSigmoidLoss', hsParams);
const hsForwardParams = [p('input', T.tensor), p('label', T.tensor), p('path_table', T.nullable(T.tensor), null), p('path_code', T.nullable(T.tensor), null)] as const;
const parseHsForward = makeParser('paddle.nn.HSigmoidLoss.forward', hsForwardParams);

/**
 * Hierarchical sigmoid loss (F.hsigmoid_loss) with its own weight [C, feature_size] (Xavier)
 * and bias [C, 1] (zeros), C = num_classes - 1 for the default tree, num_classes (the number
 * of non-leaf nodes) with is_custom. `forward(input, label, path_table=null, path_code=null)`
 * returns [N, 1]. is_sparse without the custom tree is turned off, as in Paddle.
 * @param feature_size D, the input's feature size
 * @param num_classes classes (default tree, >= 2) or non-leaf nodes (custom tree)
 * @param weight_attr ParamAttr of the weight
 * @param bias_attr ParamAttr of the bias; false for none
 * @param is_custom use path_table / path_code trees (false)
 * @param is_sparse sparse weight gradient (false)
 * @example
 * const loss = new nn.HSigmoidLoss(3, 5)
 * loss(paddle.rand([4, 3]), paddle.to_tensor([[0], [1], [4], [3]]))   // [4, 1]
 */
export class HSigmoidLoss extends Layer {
  declare weight: ParamBase;
  declare bias: ParamBase | null;
  declare _feature_size: number;
  declare _num_classes: number;
  declare _is_custom: boolean;
  declare _is_sparse: boolean;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof hsParams>) {
    super();
    const api = 'paddle.nn.HSigmoidLoss';
    const a = parseHs(args) as { feature_size: number; num_classes: number; weight_attr: unknown; bias_attr: unknown; is_custom: boolean; is_sparse: boolean; name: string | null };
    if (a.num_classes < 2 && !a.is_custom) fail(api, 'num_classes must not be less than 2 with default tree');
    if (!(a.feature_size > 0)) fail(api, `feature_size must be a positive integer, but got ${a.feature_size}`);
    this._feature_size = a.feature_size;
    this._num_classes = a.num_classes;
    this._is_custom = a.is_custom;
    this._is_sparse = a.is_custom ? a.is_sparse : false;
    this._name = a.name;
    const C = a.is_custom ? a.num_classes : a.num_classes - 1;
    this.weight = this.create_parameter({ shape: [C, a.feature_size], attr: a.weight_attr, is_bias: false });
    this.bias = this.create_parameter({ shape: [C, 1], attr: a.bias_attr, is_bias: true }) ?? null;
  }
  override forward(...args: CallArgs<typeof hsForwardParams>): Tensor {
    const a = parseHsForward(args) as { input: Tensor; label: Tensor; path_table: Tensor | null; path_code: Tensor | null };
    return hsigmoid_loss(a.input, a.label, this._num_classes, this.weight, this.bias, a.path_table, a.path_code, this._is_sparse, this._name);
  }
}
