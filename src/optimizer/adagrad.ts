// paddle.optimizer.Adagrad (python/paddle/optimizer/adagrad.py): operator adagrad with the
// accumulator moment (starting at initial_accumulator_value).
import { makeParser, p, type CallArgs } from '../core/args.js';
import { T } from '../core/convert.js';
import { fail } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Block, Operator } from '../static/framework.js';
import { gradClipTy, lrTy, Optimizer, paramsTy, weightDecayTy, type ParamGrad, type ParamGroup } from './optimizer.js';

const params = [
  p('learning_rate', lrTy),
  p('epsilon', T.float, 1.0e-6),
  p('parameters', paramsTy, null),
  p('weight_decay', weightDecayTy, null),
  p('grad_clip', gradClipTy, null),
  p('name', T.nullable(T.str), null),
  p('initial_accumulator_value', T.float, 0.0),
] as const;
const parse = makeParser('paddle.optimizer.Adagrad', params);

/**
 * Adagrad: moment += g^2, param -= lr * g / (sqrt(moment) + epsilon).
 * @param learning_rate a float or an LRScheduler (required)
 * @param epsilon numerical stability term (1e-6)
 * @param parameters the parameters to update (required in dygraph), or parameter groups
 * @param weight_decay a float or a regularizer
 * @param grad_clip a gradient clipping strategy
 * @param name a prefix for accumulator names
 * @param initial_accumulator_value the moment's starting value (0.0)
 * @example
 * const opt = new paddle.optimizer.Adagrad({ learning_rate: 0.1, parameters: linear.parameters() })
 */
export class Adagrad extends Optimizer {
  static readonly _moment_acc_str = 'moment';
  _epsilon: number;
  initial_accumulator_value: number;

  constructor(...args: CallArgs<typeof params>) {
    const a = parse(args) as Record<string, any>;
    if (!(a.epsilon >= 0)) fail('paddle.optimizer.Adagrad', `Invalid value of epsilon (${a.epsilon}), expect epsilon >= 0.`);
    super(a.learning_rate, a.parameters, a.weight_decay, a.grad_clip, a.name);
    this.type = 'adagrad';
    this._epsilon = a.epsilon;
    this.initial_accumulator_value = a.initial_accumulator_value;
  }

  override _create_accumulators(_block: Block | null, parameters: Tensor[], group?: ParamGroup | null): void {
    const init = this._setting(group, 'initial_accumulator_value', this.initial_accumulator_value);
    for (const q of parameters) this._add_accumulator(Adagrad._moment_acc_str, q, null, init);
  }

  override _append_optimize_op(block: Block | null, pg: ParamGrad, group?: ParamGroup | null): Operator | null {
    const moment = this._get_accumulator(Adagrad._moment_acc_str, pg[0]);
    return this._run_update(
      block, 'adagrad',
      { Param: [pg[0]], Grad: [pg[1]!], Moment: [moment], LearningRate: [this._create_param_lr(pg)] },
      { ParamOut: [pg[0]], MomentOut: [moment] },
      { epsilon: this._setting(group, 'epsilon', this._epsilon) },
      pg,
    );
  }
}
