// paddle.optimizer.RMSProp (python/paddle/optimizer/rmsprop.py): operator rmsprop with the
// accumulators momentum, mean_square and mean_grad; epsilon sits inside the square root.
import { makeParser, p, type CallArgs } from '../core/args.js';
import { T } from '../core/convert.js';
import { fail } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Block, Operator } from '../static/framework.js';
import { gradClipTy, lrTy, Optimizer, paramsTy, weightDecayTy, type ParamGrad, type ParamGroup } from './optimizer.js';

const params = [
  p('learning_rate', lrTy),
  p('rho', T.float, 0.95),
  p('epsilon', T.float, 1.0e-6),
  p('momentum', T.float, 0.0),
  p('centered', T.bool, false),
  p('parameters', paramsTy, null),
  p('weight_decay', weightDecayTy, null),
  p('grad_clip', gradClipTy, null),
  p('name', T.nullable(T.str), null),
] as const;
const parse = makeParser('paddle.optimizer.RMSProp', params);

/**
 * RMSProp: ms = rho ms + (1 - rho) g^2; mom = momentum mom + lr g / sqrt(ms + epsilon);
 * param -= mom. With centered, mg = rho mg + (1 - rho) g and the root is sqrt(ms - mg^2 +
 * epsilon).
 * @param learning_rate a float or an LRScheduler (required)
 * @param rho the decay rate (0.95)
 * @param epsilon added inside the square root (1e-6)
 * @param momentum the momentum factor (0.0)
 * @param centered normalize by the gradient's estimated variance (false)
 * @param parameters the parameters to update (required in dygraph), or parameter groups
 * @param weight_decay a float or a regularizer
 * @param grad_clip a gradient clipping strategy
 * @param name a prefix for accumulator names
 * @example
 * const opt = new paddle.optimizer.RMSProp({ learning_rate: 0.01, parameters: linear.parameters() })
 */
export class RMSProp extends Optimizer {
  static readonly _momentum_acc_str = 'momentum';
  static readonly _mean_square_acc_str = 'mean_square';
  static readonly _mean_grad_acc_str = 'mean_grad';
  _rho: number;
  _epsilon: number;
  _momentum: number;
  _centered: boolean;

  constructor(...args: CallArgs<typeof params>) {
    const api = 'paddle.optimizer.RMSProp';
    const a = parse(args) as Record<string, any>;
    if (!(a.epsilon >= 0)) fail(api, `Invalid value of epsilon (${a.epsilon}), expect epsilon >= 0.`);
    if (!(a.momentum >= 0)) fail(api, `Invalid value of momentum (${a.momentum}), expect momentum >= 0.`);
    if (!(a.rho >= 0)) fail(api, `Invalid value of rho (${a.rho}), expect rho >= 0.`);
    super(a.learning_rate, a.parameters, a.weight_decay, a.grad_clip, a.name);
    this.type = 'rmsprop';
    this._rho = a.rho;
    this._epsilon = a.epsilon;
    this._momentum = a.momentum;
    this._centered = a.centered;
  }

  override _create_accumulators(_block: Block | null, parameters: Tensor[]): void {
    for (const q of parameters) {
      this._add_accumulator(RMSProp._momentum_acc_str, q);
      this._add_accumulator(RMSProp._mean_square_acc_str, q);
      this._add_accumulator(RMSProp._mean_grad_acc_str, q);
    }
  }

  override _append_optimize_op(block: Block | null, pg: ParamGrad, group?: ParamGroup | null): Operator | null {
    const [param] = pg;
    const mom = this._get_accumulator(RMSProp._momentum_acc_str, param);
    const ms = this._get_accumulator(RMSProp._mean_square_acc_str, param);
    const mg = this._get_accumulator(RMSProp._mean_grad_acc_str, param);
    return this._run_update(
      block, 'rmsprop',
      { Param: [param], Grad: [pg[1]!], Moment: [mom], MeanSquare: [ms], MeanGrad: [mg], LearningRate: [this._create_param_lr(pg)] },
      { ParamOut: [param], MomentOut: [mom], MeanSquareOut: [ms], MeanGradOut: [mg] },
      {
        epsilon: this._setting(group, 'epsilon', this._epsilon),
        decay: this._setting(group, 'rho', this._rho),
        momentum: this._setting(group, 'momentum', this._momentum),
        centered: this._setting(group, 'centered', this._centered),
      },
      pg,
    );
  }
}
