// paddle.optimizer.AdamW (python/paddle/optimizer/adamw.py): Adam with decoupled weight decay,
// param = param * (1 - lr * coeff) before each Adam update (ops scale/elementwise_mul and
// assign, then adam), for parameters selected by apply_decay_param_fun(name).
import { makeParser, p, type CallArgs, type Ty } from '../core/args.js';
import { T } from '../core/convert.js';
import { describe, fail } from '../core/errors.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { Block, Operator, OpRole, Variable } from '../static/framework.js';
import { default_main_program, name_scope, withRole } from '../static/mode.js';
import { Adam, betaTy, checkBetas } from './adam.js';
import { gradClipTy, lrTy, paramsTy, type ParamGrad, type ParamGroup } from './optimizer.js';

const coeffTy: Ty<number | Tensor> = {
  desc: 'a float or a Tensor',
  parse: (v, api) => (typeof v === 'number' || v instanceof Tensor ? (v as number | Tensor) : fail(api, `coeff should be float or Tensor, but got ${describe(v)}`)),
};

const params = [
  p('learning_rate', lrTy, 0.001),
  p('beta1', betaTy, 0.9),
  p('beta2', betaTy, 0.999),
  p('epsilon', T.float, 1e-8),
  p('parameters', paramsTy, null),
  p('weight_decay', coeffTy, 0.01),
  p('apply_decay_param_fun', T.nullable(T.fn), null),
  p('grad_clip', gradClipTy, null),
  p('lazy_mode', T.bool, false),
  p('multi_precision', T.bool, false),
  p('name', T.nullable(T.str), null),
] as const;
const parse = makeParser('paddle.optimizer.AdamW', params);

/**
 * AdamW: Adam with decoupled weight decay. Before each Adam step the parameter is multiplied
 * by (1 - learning_rate * weight_decay); the gradient itself is not changed.
 * @param learning_rate a float or an LRScheduler (0.001)
 * @param beta1 decay of the first moment (0.9)
 * @param beta2 decay of the second moment (0.999)
 * @param epsilon numerical stability term (1e-8)
 * @param parameters the parameters to update (required in dygraph), or parameter groups (a
 *   group's 'weight_decay' is its decay coefficient)
 * @param weight_decay the decay coefficient (0.01), a float or a Tensor
 * @param apply_decay_param_fun a function of the parameter's name; only parameters for which
 *   it returns true decay (default: all)
 * @param grad_clip a gradient clipping strategy
 * @param lazy_mode see Adam
 * @param multi_precision accepted; float16 master weights are not implemented
 * @param name a prefix for accumulator names
 * @example
 * const opt = new paddle.optimizer.AdamW({ learning_rate: 0.1, parameters: linear.parameters(), weight_decay: 0.01 })
 */
export class AdamW extends Adam {
  _coeff: number | Tensor;
  _apply_decay_param_fun: ((name: string) => boolean) | null;
  _params_name = new Set<string>();

  constructor(...args: CallArgs<typeof params>) {
    const a = parse(args) as Record<string, any>;
    checkBetas('paddle.optimizer.AdamW', a.beta1, a.beta2, a.epsilon);
    super({
      learning_rate: a.learning_rate, beta1: a.beta1, beta2: a.beta2, epsilon: a.epsilon, parameters: a.parameters,
      grad_clip: a.grad_clip, lazy_mode: a.lazy_mode, multi_precision: a.multi_precision, name: a.name,
    });
    this._coeff = a.weight_decay;
    this._apply_decay_param_fun = a.apply_decay_param_fun;
  }

  /** A group's weight_decay is its decoupled coefficient here, not a regularizer. */
  override _add_param_group(group: ParamGroup, api?: string): void {
    if ('weight_decay' in group) {
      const wd = group.weight_decay;
      if (wd !== null && wd !== undefined) group.coeff = coeffTy.parse(wd, api ?? 'paddle.optimizer.AdamW', "group['weight_decay']");
      delete group.weight_decay;
    }
    super._add_param_group(group, api);
    group.weight_decay = null;
  }

  /** @internal param *= 1 - lr * coeff. */
  _append_decoupled_weight_decay(_block: Block | null, pg: ParamGrad, group?: ParamGroup | null): void {
    const param = pg[0];
    if (this._apply_decay_param_fun !== null && !this._apply_decay_param_fun(param.name)) return;
    const coeff = this._setting<number | Tensor>(group, 'coeff', this._coeff);
    this._params_name.add(param.name);
    const lr = this._create_param_lr(pg);
    if (!state.staticMode) {
      const lrVal = Number(lr.item());
      const k = typeof coeff === 'number' ? coeff : Number(coeff.item());
      const scaled = c.scale(param, 1 - lrVal * k);
      (param.data as Float64Array).set(scaled.data as Float64Array);
      param.ver.v++;
      return;
    }
    name_scope('weight decay', () =>
      withRole(OpRole.Optimize, () => {
        const plr = (param as { optimize_attr?: { learning_rate?: unknown } }).optimize_attr?.learning_rate ?? 1.0;
        let scaled: Tensor;
        if (typeof this._learning_rate === 'number' && plr === 1.0 && typeof coeff === 'number') {
          // a float rate: the factor is a constant, as Paddle computes it in Python
          scaled = c.scale(param, 1.0 - this._learning_rate * coeff);
        } else {
          const decay = typeof coeff === 'number' ? c.scale(lr, -coeff, 1.0) : c.scale(c.mul(lr, coeff), -1.0, 1.0);
          scaled = c.mul(param, decay);
        }
        default_main_program().global_block().append_op({
          type: 'assign',
          inputs: { X: [scaled as Variable] },
          outputs: { Out: [param as Variable] },
          attrs: { op_role: OpRole.Optimize, op_role_var: [param.name, pg[1]!.name], op_namescope: '/weight decay/' },
        });
      }),
    );
  }

  override _append_optimize_op(block: Block | null, pg: ParamGrad, group?: ParamGroup | null): Operator | null {
    this._append_decoupled_weight_decay(block, pg, group);
    return super._append_optimize_op(block, pg, group);
  }

  override toString(): string {
    return `Weight Decay, params: ${[...this._params_name].join(',')}`;
  }
}
