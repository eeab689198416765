// paddle.optimizer.Adadelta (python/paddle/optimizer/adadelta.py): operator adadelta with the
// accumulators _avg_squared_grad and _avg_squared_update. Paddle 2.0's operator ignored the
// learning rate; as later Paddle, the update is scaled by it (pass learning_rate=1.0 for
// 2.0's numbers).
import { makeParser, p, type CallArgs } from '../core/args.js';
import { T } from '../core/convert.js';
import { fail } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Block, Operator } from '../static/framework.js';
import { gradClipTy, lrTy, Optimizer, paramsTy, weightDecayTy, type ParamGrad, type ParamGroup } from './optimizer.js';

const params = [
  p('learning_rate', lrTy, 0.001),
  p('epsilon', T.float, 1.0e-6),
  p('rho', T.float, 0.95),
  p('parameters', paramsTy, null),
  p('weight_decay', weightDecayTy, null),
  p('grad_clip', gradClipTy, null),
  p('name', T.nullable(T.str), null),
] as const;
const parse = makeParser('paddle.optimizer.Adadelta', params);

/**
 * Adadelta: E[g^2] = rho E[g^2] + (1 - rho) g^2; update = -sqrt((E[dx^2] + epsilon) / (E[g^2]
 * + epsilon)) * g; E[dx^2] = rho E[dx^2] + (1 - rho) update^2; param += learning_rate * update.
 * @param learning_rate a float or an LRScheduler (0.001); Paddle 2.0 ignored it (as if 1.0)
 * @param epsilon numerical stability term (1e-6)
 * @param rho the decay rate (0.95)
 * @param parameters the parameters to update (required in dygraph), or parameter groups
 * @param weight_decay a float or a regularizer
 * @param grad_clip a gradient clipping strategy
 * @param name a prefix for accumulator names
 * @example
 * const opt = new paddle.optimizer.Adadelta({ learning_rate: 1.0, parameters: linear.parameters() })
 */
export class Adadelta extends Optimizer {
  static readonly _avg_squared_grad_acc_str = '_avg_squared_grad';
  static readonly _avg_squared_update_acc_str = '_avg_squared_update';
  _epsilon: number;
  _rho: number;

  constructor(...args: CallArgs<typeof params>) {
    const a = parse(args) as Record<string, any>;
    if (!(a.epsilon >= 0)) fail('paddle.optimizer.Adadelta', `Invalid value of epsilon (${a.epsilon}), expect epsilon >= 0.`);
    super(a.learning_rate, a.parameters, a.weight_decay, a.grad_clip, a.name);
    this.type = 'adadelta';
    this._epsilon = a.epsilon;
    this._rho = a.rho;
  }

  override _create_accumulators(_block: Block | null, parameters: Tensor[]): void {
    for (const q of parameters) {
      this._add_accumulator(Adadelta._avg_squared_grad_acc_str, q);
      this._add_accumulator(Adadelta._avg_squared_update_acc_str, q);
    }
  }

  override _append_optimize_op(block: Block | null, pg: ParamGrad, group?: ParamGroup | null): Operator | null {
    const sg = this._get_accumulator(Adadelta._avg_squared_grad_acc_str, pg[0]);
    const su = this._get_accumulator(Adadelta._avg_squared_update_acc_str, pg[0]);
    return this._run_update(
      block, 'adadelta',
      { Param: [pg[0]], Grad: [pg[1]!], AvgSquaredGrad: [sg], AvgSquaredUpdate: [su], LearningRate: [this._create_param_lr(pg)] },
      { ParamOut: [pg[0]], AvgSquaredGradOut: [sg], AvgSquaredUpdateOut: [su] },
      { epsilon: this._setting(group, 'epsilon', this._epsilon), rho: this._setting(group, 'rho', this._rho) },
      pg,
    );
  }
}
