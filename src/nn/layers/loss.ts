// Loss layers (python/paddle/nn/layer/loss.py, 2.0): each keeps its arguments under Paddle's
// attribute names and calls the nn.functional form. A `weight` Tensor assigned to a layer is
// a non-persistable buffer, as Layer.__setattr__ makes it in Paddle.
import { makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import type { Tensor } from '../../core/tensor.js';
import * as F from '../functional/loss.js';
import { Layer } from '../layer.js';

const nameP = p('name', T.nullable(T.str), null);
const reductionTy = T.oneOf('mean', 'sum', 'none');
type Reduction = 'mean' | 'sum' | 'none';
const weightP = p('weight', T.nullable(T.tensor), null);

const bceLogitsParams = [weightP, p('reduction', reductionTy, 'mean'), p('pos_weight', T.nullable(T.tensor), null), nameP] as const;
const parseBceLogits = makeParser('paddle.nn.BCEWithLogitsLoss', bceLogitsParams);
/**
 * Sigmoid + binary cross entropy on logits (F.binary_cross_entropy_with_logits).
 * @param weight rescales each element
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @param pos_weight weight of positive examples
 * @example new nn.BCEWithLogitsLoss()(logit, label)
 */
export class BCEWithLogitsLoss extends Layer {
  declare weight: Tensor | null;
  declare reduction: Reduction;
  declare pos_weight: Tensor | null;
  declare name: string | null;
  constructor(...args: CallArgs<typeof bceLogitsParams>) {
    super();
    const a = parseBceLogits(args) as { weight: Tensor | null; reduction: Reduction; pos_weight: Tensor | null; name: string | null };
    this.weight = a.weight;
    this.reduction = a.reduction;
    this.pos_weight = a.pos_weight;
    this.name = a.name;
  }
  override forward(logit: Tensor, label: Tensor): Tensor {
    return F.binary_cross_entropy_with_logits(logit, label, this.weight, this.reduction, this.pos_weight, this.name);
  }
}

const ceParams = [
  weightP,
  p('ignore_index', T.int, -100),
  p('reduction', reductionTy, 'mean'),
  p('soft_label', T.bool, false),
  p('axis', T.int, -1),
  nameP,
] as const;
const parseCe = makeParser('paddle.nn.CrossEntropyLoss', ceParams);
/**
 * Softmax cross entropy on logits (F.cross_entropy).
 * @param weight per-class weights [C]
 * @param ignore_index the label value to skip (-100)
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @param soft_label whether labels are distributions (false)
 * @param axis the class axis (-1)
 * @example new nn.CrossEntropyLoss()(logits, paddle.to_tensor([2, 0]))
 */
export class CrossEntropyLoss extends Layer {
  declare weight: Tensor | null;
  declare reduction: Reduction;
  declare ignore_index: number;
  declare soft_label: boolean;
  declare axis: number;
  declare name: string | null;
  constructor(...args: CallArgs<typeof ceParams>) {
    super();
    const a = parseCe(args) as { weight: Tensor | null; ignore_index: number; reduction: Reduction; soft_label: boolean; axis: number; name: string | null };
    this.weight = a.weight;
    this.reduction = a.reduction;
    this.ignore_index = a.ignore_index;
    this.soft_label = a.soft_label;
    this.axis = a.axis;
    this.name = a.name;
  }
  override forward(input: Tensor, label: Tensor): Tensor {
    return F.cross_entropy(input, label, {
      weight: this.weight,
      ignore_index: this.ignore_index,
      reduction: this.reduction,
      soft_label: this.soft_label,
      axis: this.axis,
      name: this.name,
    });
  }
}

const mseParams = [p('reduction', reductionTy, 'mean')] as const;
const parseMse = makeParser('paddle.nn.MSELoss', mseParams);
/**
 * Mean squared error (input - label)^2, reduced.
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @example new nn.MSELoss()(input, label)
 */
export class MSELoss extends Layer {
  declare reduction: Reduction;
  constructor(...args: CallArgs<typeof mseParams>) {
    super();
    this.reduction = (parseMse(args) as { reduction: Reduction }).reduction;
  }
  override forward(input: Tensor, label: Tensor): Tensor {
    return F.mse_loss(input, label, this.reduction);
  }
}

const reductionNameParams = [p('reduction', reductionTy, 'mean'), nameP] as const;
const parseL1 = makeParser('paddle.nn.L1Loss', reductionNameParams);
/**
 * L1 loss |input - label|, reduced.
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @example new nn.L1Loss('sum')(input, label)
 */
export class L1Loss extends Layer {
  declare reduction: Reduction;
  declare name: string | null;
  constructor(...args: CallArgs<typeof reductionNameParams>) {
    super();
    const a = parseL1(args) as { reduction: Reduction; name: string | null };
    this.reduction = a.reduction;
    this.name = a.name;
  }
  override forward(input: Tensor, label: Tensor): Tensor {
    return F.l1_loss(input, label, this.reduction, this.name);
  }
}

const bceParams = [weightP, p('reduction', reductionTy, 'mean'), nameP] as const;
const parseBce = makeParser('paddle.nn.BCELoss', bceParams);
/**
 * Binary cross entropy on probabilities (F.binary_cross_entropy).
 * @param weight rescales each element
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @example new nn.BCELoss()(F.sigmoid(x), label)
 */
export class BCELoss extends Layer {
  declare weight: Tensor | null;
  declare reduction: Reduction;
  declare name: string | null;
  constructor(...args: CallArgs<typeof bceParams>) {
    super();
    const a = parseBce(args) as { weight: Tensor | null; reduction: Reduction; name: string | null };
    this.weight = a.weight;
    this.reduction = a.reduction;
    this.name = a.name;
  }
  override forward(input: Tensor, label: Tensor): Tensor {
    return F.binary_cross_entropy(input, label, this.weight, this.reduction, this.name);
  }
}

const nllParams = [weightP, p('ignore_index', T.int, -100), p('reduction', reductionTy, 'mean'), nameP] as const;
const parseNll = makeParser('paddle.nn.NLLLoss', nllParams);
/**
 * Negative log likelihood of log-probabilities (F.nll_loss).
 * @param weight per-class weights [C]
 * @param ignore_index the label value to skip (-100)
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @example new nn.NLLLoss()(F.log_softmax(x, 1), label)
 */
export class NLLLoss extends Layer {
  declare _weight: Tensor | null;
  declare _ignore_index: number;
  declare _reduction: Reduction;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof nllParams>) {
    super();
    const a = parseNll(args) as { weight: Tensor | null; ignore_index: number; reduction: Reduction; name: string | null };
    this._weight = a.weight;
    this._ignore_index = a.ignore_index;
    this._reduction = a.reduction;
    this._name = a.name;
  }
  override forward(input: Tensor, label: Tensor): Tensor {
    return F.nll_loss(input, label, { weight: this._weight, ignore_index: this._ignore_index, reduction: this._reduction, name: this._name });
  }
}

const klParams = [p('reduction', T.oneOf('mean', 'batchmean', 'sum', 'none'), 'mean')] as const;
const parseKl = makeParser('paddle.nn.KLDivLoss', klParams);
/**
 * KL divergence of label probabilities from input log-probabilities (F.kl_div).
 * @param reduction 'mean' (default, over all elements), 'batchmean', 'sum' or 'none'
 * @example new nn.KLDivLoss('batchmean')(F.log_softmax(x), target)
 */
export class KLDivLoss extends Layer {
  declare reduction: 'mean' | 'batchmean' | 'sum' | 'none';
  constructor(...args: CallArgs<typeof klParams>) {
    super();
    this.reduction = (parseKl(args) as { reduction: 'mean' | 'batchmean' | 'sum' | 'none' }).reduction;
  }
  override forward(input: Tensor, label: Tensor): Tensor {
    return F.kl_div(input, label, this.reduction);
  }
}

const marginParams = [p('margin', T.float, 0.0), p('reduction', reductionTy, 'mean'), nameP] as const;
const parseMargin = makeParser('paddle.nn.MarginRankingLoss', marginParams);
/**
 * Margin ranking loss relu(-label (input - other) + margin), reduced.
 * @param margin (0.0)
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @example new nn.MarginRankingLoss(0.1)(input, other, label)
 */
export class MarginRankingLoss extends Layer {
  declare margin: number;
  declare reduction: Reduction;
  declare name: string | null;
  constructor(...args: CallArgs<typeof marginParams>) {
    super();
    const a = parseMargin(args) as { margin: number; reduction: Reduction; name: string | null };
    this.margin = a.margin;
    this.reduction = a.reduction;
    this.name = a.name;
  }
  override forward(input: Tensor, other: Tensor, label: Tensor): Tensor {
    return F.margin_ranking_loss(input, other, label, this.margin, this.reduction, this.name);
  }
}

const smoothParams = [p('reduction', reductionTy, 'mean'), p('delta', T.float, 1.0), nameP] as const;
const parseSmooth = makeParser('paddle.nn.SmoothL1Loss', smoothParams);
/**
 * Smooth L1 (Huber) loss: 0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta), reduced.
 * @param reduction 'mean' (default), 'sum' or 'none'
 * @param delta (1.0)
 * @example new nn.SmoothL1Loss()(input, label)
 */
export class SmoothL1Loss extends Layer {
  declare reduction: Reduction;
  declare delta: number;
  declare name: string | null;
  constructor(...args: CallArgs<typeof smoothParams>) {
    super();
    const a = parseSmooth(args) as { reduction: Reduction; delta: number; name: string | null };
    this.reduction = a.reduction;
    this.delta = a.delta;
    this.name = a.name;
  }
  override forward(input: Tensor, label: Tensor): Tensor {
    return F.smooth_l1_loss(input, label, { reduction: this.reduction, delta: this.delta, name: this.name });
  }
}
