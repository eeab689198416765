// paddle.optimizer.Adamax (python/paddle/optimizer/adamax.py): operator adamax with
// accumulators moment, inf_norm and beta1_pow_acc; after the updates a `scale` operator
// advances each beta1 power (Paddle's _finish_update).
import { makeParser, p, type CallArgs } from '../core/args.js';
import { T } from '../core/convert.js';
import { state } from '../core/state.js';
import type { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { Block, Operator, OpRole, Variable } from '../static/framework.js';
import { checkBetas } from './adam.js';
import { gradClipTy, lrTy, Optimizer, paramsTy, weightDecayTy, type ParamGrad, type ParamGroup } from './optimizer.js';

const params = [
  p('learning_rate', lrTy, 0.001),
  p('beta1', T.float, 0.9),
  p('beta2', T.float, 0.999),
  p('epsilon', T.float, 1e-8),
  p('parameters', paramsTy, null),
  p('weight_decay', weightDecayTy, null),
  p('grad_clip', gradClipTy, null),
  p('name', T.nullable(T.str), null),
] as const;
const parse = makeParser('paddle.optimizer.Adamax', params);

/**
 * Adamax, Adam's infinity-norm variant: m = beta1 m + (1 - beta1) g, u = max(beta2 u +
 * epsilon, |g|), param -= lr / (1 - beta1^t) * m / u.
 * @param learning_rate a float or an LRScheduler (0.001)
 * @param beta1 decay of the first moment (0.9)
 * @param beta2 decay of the infinity norm (0.999)
 * @param epsilon numerical stability term (1e-8)
 * @param parameters the parameters to update (required in dygraph), or parameter groups
 * @param weight_decay a float or a regularizer
 * @param grad_clip a gradient clipping strategy
 * @param name a prefix for accumulator names
 * @example
 * const opt = new paddle.optimizer.Adamax({ learning_rate: 0.1, parameters: linear.parameters() })
 */
export class Adamax extends Optimizer {
  static readonly _moment_acc_str = 'moment';
  static readonly _inf_norm_acc_str = 'inf_norm';
  static readonly _beta1_pow_acc_str = 'beta1_pow_acc';
  _beta1: number;
  _beta2: number;
  _epsilon: number;

  constructor(...args: CallArgs<typeof params>) {
    const a = parse(args) as Record<string, any>;
    checkBetas('paddle.optimizer.Adamax', a.beta1, a.beta2, a.epsilon);
    super(a.learning_rate, a.parameters, a.weight_decay, a.grad_clip, a.name);
    this.type = 'adamax';
    this._beta1 = a.beta1;
    this._beta2 = a.beta2;
    this._epsilon = a.epsilon;
  }

  override _create_accumulators(_block: Block | null, parameters: Tensor[], group?: ParamGroup | null): void {
    for (const q of parameters) {
      this._add_accumulator(Adamax._moment_acc_str, q);
      this._add_accumulator(Adamax._inf_norm_acc_str, q);
      this._add_accumulator(Adamax._beta1_pow_acc_str, q, null, this._setting(group, 'beta1', this._beta1), [1]);
    }
  }

  override _append_optimize_op(block: Block | null, pg: ParamGrad, group?: ParamGroup | null): Operator | null {
    const [param] = pg;
    const moment = this._get_accumulator(Adamax._moment_acc_str, param);
    const inf = this._get_accumulator(Adamax._inf_norm_acc_str, param);
    const b1p = this._get_accumulator(Adamax._beta1_pow_acc_str, param);
    return this._run_update(
      block, 'adamax',
      { Param: [param], Grad: [pg[1]!], LearningRate: [this._create_param_lr(pg)], Moment: [moment], InfNorm: [inf], Beta1Pow: [b1p] },
      { ParamOut: [param], MomentOut: [moment], InfNormOut: [inf] },
      {
        beta1: this._setting(group, 'beta1', this._beta1),
        beta2: this._setting(group, 'beta2', this._beta2),
        epsilon: this._setting(group, 'epsilon', this._epsilon),
      },
      pg,
    );
  }

  override _finish_update(block: Block | null, parameters_and_grads: ParamGrad[], group?: ParamGroup | null): void {
    const beta1 = this._setting(group, 'beta1', this._beta1);
    for (const [param, grad] of parameters_and_grads) {
      if (grad === null || param.stop_gradient) continue;
      const b1p = this._get_accumulator(Adamax._beta1_pow_acc_str, param);
      if (!state.staticMode || !block) {
        const next = c.scale(b1p, beta1);
        (b1p.data as Float64Array).set(next.data as Float64Array);
        b1p.ver.v++;
        continue;
      }
      block.append_op({
        type: 'scale',
        inputs: { X: [b1p as Variable] },
        outputs: { Out: [b1p as Variable] },
        attrs: { scale: beta1, op_role: OpRole.Optimize, op_role_var: [param.name, grad.name], op_namescope: '/adamax/' },
      });
    }
  }
}
