// paddle.regularizer (python/paddle/regularizer.py, fluid/regularizer.py at 2.0): weight decay
// added to a parameter's gradient before the update (coupled decay). L2Decay adds coeff *
// param, L1Decay coeff * sign(param). A regularizer given in a parameter's ParamAttr wins
// over the optimizer's weight_decay. Also the fluid classes (L1DecayRegularizer,
// L2DecayRegularizer, argument `regularization_coeff`); the optimizer applies them with
// src/optimizer/regularization.ts.
import { makeParser, p } from './core/args.js';
import { T } from './core/convert.js';
import { fail } from './core/errors.js';
import { Tensor } from './core/tensor.js';
import * as c from './ops/calls.js';
import type { Block } from './static/framework.js';

/** Python's `%f`. */
const fmt6 = (v: number): string => v.toFixed(6);

/**
 * Base class of weight-decay regularizers. A subclass implements `__call__(param, grad,
 * block)`, returning the decay term to add to the gradient (made with operators, so it also
 * works in static mode).
 */
export class WeightDecayRegularizer {
  /** The term added to `grad` for `param`. */
  __call__(_param: Tensor, _grad: Tensor, _block: Block | null): Tensor {
    return fail('WeightDecayRegularizer.__call__', 'a regularizer must implement __call__(param, grad, block)');
  }
  toString(): string {
    return 'WeightDecayRegularizer';
  }
}

const parseL2 = makeParser('paddle.fluid.regularizer.L2DecayRegularizer', [p('regularization_coeff', T.float, 0.0)]);
const parseL1 = makeParser('paddle.fluid.regularizer.L1DecayRegularizer', [p('regularization_coeff', T.float, 0.0)]);

/** fluid's L2 weight decay: adds regularization_coeff * param to the gradient. */
export class L2DecayRegularizer extends WeightDecayRegularizer {
  _regularization_coeff: number;
  constructor(...args: [regularization_coeff?: number | { regularization_coeff?: number }]) {
    super();
    this._regularization_coeff = (parseL2(args) as { regularization_coeff: number }).regularization_coeff;
  }
  override __call__(param: Tensor, _grad: Tensor, _block: Block | null): Tensor {
    return c.scale(param, this._regularization_coeff);
  }
  override toString(): string {
    return `L2Decay, regularization_coeff=${fmt6(this._regularization_coeff)}`;
  }
}

/** fluid's L1 weight decay: adds regularization_coeff * sign(param) to the gradient. */
export class L1DecayRegularizer extends WeightDecayRegularizer {
  _regularization_coeff: number;
  constructor(...args: [regularization_coeff?: number | { regularization_coeff?: number }]) {
    super();
    this._regularization_coeff = (parseL1(args) as { regularization_coeff: number }).regularization_coeff;
  }
  override __call__(param: Tensor, _grad: Tensor, _block: Block | null): Tensor {
    return c.scale(c.sign(param), this._regularization_coeff);
  }
  override toString(): string {
    return `L1Decay, regularization_coeff=${fmt6(this._regularization_coeff)}`;
  }
}

const parseL2Decay = makeParser('paddle.regularizer.L2Decay', [p('coeff', T.float, 0.0)]);
const parseL1Decay = makeParser('paddle.regularizer.L1Decay', [p('coeff', T.float, 0.0)]);

/**
 * L2 weight decay: the gradient of 0.5 * coeff * ||w||^2, i.e. coeff * w, is added to each
 * parameter's gradient. Pass it as an optimizer's `weight_decay` or in `ParamAttr({
 * regularizer })` (which wins).
 * @param coeff the regularization coefficient (0.0)
 * @example
 * const opt = new paddle.optimizer.Momentum({ learning_rate: 0.1, parameters: net.parameters(), weight_decay: new paddle.regularizer.L2Decay(1e-4) })
 */
export class L2Decay extends L2DecayRegularizer {
  constructor(...args: [coeff?: number | { coeff?: number }]) {
    super((parseL2Decay(args) as { coeff: number }).coeff);
  }
}

/**
 * L1 weight decay: coeff * sign(w) is added to each parameter's gradient. Pass it as an
 * optimizer's `weight_decay` or in `ParamAttr({ regularizer })` (which wins).
 * @param coeff the regularization coefficient (0.0)
 * @example
 * const w = new paddle.ParamAttr({ regularizer: new paddle.regularizer.L1Decay(1e-4) })
 */
export class L1Decay extends L1DecayRegularizer {
  constructor(...args: [coeff?: number | { coeff?: number }]) {
    super((parseL1Decay(args) as { coeff: number }).coeff);
  }
}
