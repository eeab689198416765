// paddle.optimizer.Lamb (python/paddle/optimizer/lamb.py): operator lamb with the Adam
// accumulators (moment1, moment2, beta1_pow_acc, beta2_pow_acc) and a layer-wise trust ratio.
import { makeParser, p, type CallArgs } from '../core/args.js';
import { T } from '../core/convert.js';
import type { Tensor } from '../core/tensor.js';
import type { Block, Operator } from '../static/framework.js';
import { checkBetas } from './adam.js';
import { gradClipTy, lrTy, Optimizer, paramsTy, type ParamGrad, type ParamGroup } from './optimizer.js';

const params = [
  p('learning_rate', lrTy, 0.001),
  p('lamb_weight_decay', T.float, 0.01),
  p('beta1', T.float, 0.9),
  p('beta2', T.float, 0.999),
  p('epsilon', T.float, 1e-6),
  p('parameters', paramsTy, null),
  p('grad_clip', gradClipTy, null),
  p('exclude_from_weight_decay_fn', T.nullable(T.fn), null),
  p('name', T.nullable(T.str), null),
] as const;
const parse = makeParser('paddle.optimizer.Lamb', params);

/**
 * LAMB: Adam moments with bias correction, r = m_hat / (sqrt(v_hat) + epsilon) +
 * lamb_weight_decay * param, and param -= lr * (||param|| / ||r||) * r (a layer-wise trust
 * ratio, 1 when either norm is 0).
 * @param learning_rate a float or an LRScheduler (0.001)
 * @param lamb_weight_decay the decoupled decay rate (0.01)
 * @param beta1 decay of the first moment (0.9)
 * @param beta2 decay of the second moment (0.999)
 * @param epsilon numerical stability term (1e-6)
 * @param parameters the parameters to update (required in dygraph), or parameter groups
 * @param grad_clip a gradient clipping strategy
 * @param exclude_from_weight_decay_fn a function of the parameter; true skips its decay
 * @param name a prefix for accumulator names
 * @example
 * const opt = new paddle.optimizer.Lamb({ learning_rate: 0.002, parameters: linear.parameters(), lamb_weight_decay: 0.01 })
 */
export class Lamb extends Optimizer {
  static readonly _moment1_acc_str = 'moment1';
  static readonly _moment2_acc_str = 'moment2';
  static readonly _beta1_pow_acc_str = 'beta1_pow_acc';
  static readonly _beta2_pow_acc_str = 'beta2_pow_acc';
  _beta1: number;
  _beta2: number;
  _epsilon: number;
  _lamb_weight_decay: number;
  _exclude_from_weight_decay_fn: ((param: Tensor) => boolean) | null;

  constructor(...args: CallArgs<typeof params>) {
    const a = parse(args) as Record<string, any>;
    checkBetas('paddle.optimizer.Lamb', a.beta1, a.beta2, a.epsilon);
    super(a.learning_rate, a.parameters, null, a.grad_clip, a.name);
    this.type = 'lamb';
    this._beta1 = a.beta1;
    this._beta2 = a.beta2;
    this._epsilon = a.epsilon;
    this._lamb_weight_decay = a.lamb_weight_decay;
    this._exclude_from_weight_decay_fn = a.exclude_from_weight_decay_fn;
  }

  override _create_accumulators(_block: Block | null, parameters: Tensor[], group?: ParamGroup | null): void {
    for (const q of parameters) {
      this._add_accumulator(Lamb._moment1_acc_str, q);
      this._add_accumulator(Lamb._moment2_acc_str, q);
      this._add_accumulator(Lamb._beta1_pow_acc_str, q, null, this._setting(group, 'beta1', this._beta1), [1]);
      this._add_accumulator(Lamb._beta2_pow_acc_str, q, null, this._setting(group, 'beta2', this._beta2), [1]);
    }
  }

  override _append_optimize_op(block: Block | null, pg: ParamGrad, group?: ParamGroup | null): Operator | null {
    const [param] = pg;
    const m1 = this._get_accumulator(Lamb._moment1_acc_str, param);
    const m2 = this._get_accumulator(Lamb._moment2_acc_str, param);
    const b1p = this._get_accumulator(Lamb._beta1_pow_acc_str, param);
    const b2p = this._get_accumulator(Lamb._beta2_pow_acc_str, param);
    const excluded = this._exclude_from_weight_decay_fn !== null && this._exclude_from_weight_decay_fn(param);
    const wd = excluded ? 0.0 : this._setting(group, 'lamb_weight_decay', this._lamb_weight_decay);
    return this._run_update(
      block, 'lamb',
      { Param: [param], Grad: [pg[1]!], LearningRate: [this._create_param_lr(pg)], Moment1: [m1], Moment2: [m2], Beta1Pow: [b1p], Beta2Pow: [b2p] },
      { ParamOut: [param], Moment1Out: [m1], Moment2Out: [m2], Beta1PowOut: [b1p], Beta2PowOut: [b2p] },
      {
        beta1: this._setting(group, 'beta1', this._beta1),
        beta2: this._setting(group, 'beta2', this._beta2),
        epsilon: this._setting(group, 'epsilon', this._epsilon),
        weight_decay: wd,
      },
      pg,
    );
  }
}
