// paddle.optimizer.Momentum (python/paddle/optimizer/momentum.py): velocity = mu * velocity +
// grad; param -= lr * velocity (Nesterov: param -= lr * (grad + mu * velocity)). An L2Decay
// weight_decay is fused into the momentum operator (regularization_method 'l2_decay'), as in
// Paddle; a float weight_decay goes through the usual regularization.
import { makeParser, p, type CallArgs } from '../core/args.js';
import { T } from '../core/convert.js';
import { fail } from '../core/errors.js';
import { state } from '../core/state.js';
import type { Tensor } from '../core/tensor.js';
import { L2DecayRegularizer } from '../regularizer.js';
import type { Block, Operator } from '../static/framework.js';
import { gradClipTy, lrTy, Optimizer, paramsTy, weightDecayTy, type ParamGrad, type ParamGroup } from './optimizer.js';

const params = [
  p('learning_rate', lrTy, 0.001),
  p('momentum', T.float, 0.9),
  p('parameters', paramsTy, null),
  p('use_nesterov', T.bool, false),
  p('weight_decay', weightDecayTy, null),
  p('grad_clip', gradClipTy, null),
  p('multi_precision', T.bool, false),
  p('rescale_grad', T.float, 1.0),
  p('name', T.nullable(T.str), null),
] as const;
const parse = makeParser('paddle.optimizer.Momentum', params);

/**
 * Momentum SGD: velocity = momentum * velocity + grad, param = param - learning_rate *
 * velocity (use_nesterov: param - learning_rate * (grad + momentum * velocity)); rescale_grad
 * multiplies the gradient first.
 * @param learning_rate a float or an LRScheduler (0.001)
 * @param momentum the momentum factor (0.9)
 * @param parameters the parameters to update (required in dygraph), or parameter groups
 * @param use_nesterov use Nesterov momentum (false)
 * @param weight_decay a float or a regularizer; L2Decay is fused into the operator
 * @param grad_clip a gradient clipping strategy
 * @param multi_precision accepted; float16 master weights are not implemented (no float16 training on CPU)
 * @param rescale_grad a factor applied to gradients before the update (1.0)
 * @param name a prefix for accumulator names
 * @example
 * const opt = new paddle.optimizer.Momentum({ learning_rate: 0.1, momentum: 0.9, parameters: linear.parameters() })
 */
export class Momentum extends Optimizer {
  static readonly _velocity_acc_str = 'velocity';
  _momentum: number;
  _use_nesterov: boolean;
  _regularization_method: string;
  _regularization_coeff: number;
  _multi_precision: boolean;
  _rescale_grad: number;

  constructor(...args: CallArgs<typeof params>) {
    const a = parse(args) as Record<string, any>;
    const fused = a.weight_decay instanceof L2DecayRegularizer;
    super(a.learning_rate, a.parameters, fused ? null : a.weight_decay, a.grad_clip, a.name);
    this.type = 'momentum';
    this._momentum = a.momentum;
    this._use_nesterov = a.use_nesterov;
    this._regularization_method = fused ? 'l2_decay' : '';
    this._regularization_coeff = fused ? (a.weight_decay as L2DecayRegularizer)._regularization_coeff : 0;
    this._multi_precision = a.multi_precision;
    this._rescale_grad = a.rescale_grad;
    if (!state.staticMode) for (const q of this._all_parameters()) this._add_accumulator(Momentum._velocity_acc_str, q);
  }

  override _create_accumulators(_block: Block | null, parameters: Tensor[]): void {
    // dygraph: created by the constructor (and here for any parameter it did not know)
    for (const q of parameters) this._add_accumulator(Momentum._velocity_acc_str, q);
  }

  override _append_optimize_op(block: Block | null, pg: ParamGrad, group?: ParamGroup | null): Operator | null {
    const velocity = this._get_accumulator(Momentum._velocity_acc_str, pg[0]);
    const lr = this._create_param_lr(pg);
    const mu = this._setting(group, 'momentum', this._momentum);
    if (typeof mu !== 'number') fail('paddle.optimizer.Momentum', "a parameter group's 'momentum' must be a number");
    const attrs = {
      mu,
      use_nesterov: this._setting(group, 'use_nesterov', this._use_nesterov),
      regularization_method: this._regularization_method,
      regularization_coeff: this._regularization_coeff,
      multi_precision: false,
      rescale_grad: this._setting(group, 'rescale_grad', this._rescale_grad),
    };
    return this._run_update(
      block, 'momentum',
      { Param: [pg[0]], Grad: [pg[1]!], Velocity: [velocity], LearningRate: [lr] },
      { ParamOut: [pg[0]], VelocityOut: [velocity] },
      attrs, pg,
    );
  }
}
