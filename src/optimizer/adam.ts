// paddle.optimizer.Adam (python/paddle/optimizer/adam.py): operator adam with accumulators
// moment1, moment2, beta1_pow_acc, beta2_pow_acc (the powers start at beta1, beta2).
import { makeParser, p, type CallArgs, type Ty } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType } from '../core/dtype.js';
import { describe, fail } from '../core/errors.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { Block, Operator, Variable } from '../static/framework.js';
import { gradClipTy, lrTy, Optimizer, paramsTy, weightDecayTy, type ParamGrad, type ParamGroup } from './optimizer.js';

/** beta1/beta2: a float, or a one-element Tensor. */
export const betaTy: Ty<number | Tensor> = {
  desc: 'a float or a Tensor',
  parse: (v, api, arg) => {
    if (typeof v === 'number') return v;
    if (v instanceof Tensor) {
      if (!(v instanceof Variable) && v.size !== 1) fail(api, `argument '${arg}' as a Tensor must hold one value, but has shape [${v.shape}]`);
      return v;
    }
    return fail(api, `argument '${arg}' expected a float or a Tensor, but got ${describe(v)}`);
  },
};

/** Checks Adam-style hyperparameters as Paddle does. */
export function checkBetas(api: string, beta1: number | Tensor, beta2: number | Tensor, epsilon: number): void {
  if (typeof beta1 === 'number' && !(beta1 >= 0 && beta1 < 1)) fail(api, `Invalid value of beta1 (${beta1}), expect beta1 in [0,1).`);
  if (typeof beta2 === 'number' && !(beta2 >= 0 && beta2 < 1)) fail(api, `Invalid value of beta2 (${beta2}), expect beta2 in [0,1).`);
  if (!(epsilon >= 0)) fail(api, `Invalid value of epsilon (${epsilon}), expect epsilon >= 0.`);
}

/** A beta's value in dygraph (a Tensor's single value). */
export const betaValue = (b: number | Tensor): number => (typeof b === 'number' ? b : Number((b as Tensor).item()));
/** The starting value of a beta power accumulator (Paddle uses 0.9 / 0.999 for a static Variable beta). */
const powStart = (b: number | Tensor, dflt: number): number => (typeof b === 'number' ? b : b instanceof Variable ? dflt : betaValue(b));

const params = [
  p('learning_rate', lrTy, 0.001),
  p('beta1', betaTy, 0.9),
  p('beta2', betaTy, 0.999),
  p('epsilon', T.float, 1e-8),
  p('parameters', paramsTy, null),
  p('weight_decay', weightDecayTy, null),
  p('grad_clip', gradClipTy, null),
  p('lazy_mode', T.bool, false),
  p('multi_precision', T.bool, false),
  p('name', T.nullable(T.str), null),
] as const;
const parse = makeParser('paddle.optimizer.Adam', params);

/**
 * Adam: m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2, and param -= lr_t * m /
 * (sqrt(v) + epsilon * sqrt(1 - beta2^t)) with lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 * (Paddle's placement of epsilon). A float weight_decay is coupled L2 (added to the gradient);
 * see AdamW for decoupled decay.
 * @param learning_rate a float or an LRScheduler (0.001)
 * @param beta1 decay of the first moment (0.9), a float or a Tensor
 * @param beta2 decay of the second moment (0.999), a float or a Tensor
 * @param epsilon numerical stability term (1e-8)
 * @param parameters the parameters to update (required in dygraph), or parameter groups
 * @param weight_decay a float or a regularizer
 * @param grad_clip a gradient clipping strategy
 * @param lazy_mode update only rows with gradients for sparse gradients (no effect on dense ones)
 * @param multi_precision accepted; float16 master weights are not implemented
 * @param name a prefix for accumulator names
 * @example
 * const adam = new paddle.optimizer.Adam({ learning_rate: 0.01, parameters: net.parameters() })
 * loss.backward(); adam.step(); adam.clear_grad();
 */
export class Adam extends Optimizer {
  static readonly _moment1_acc_str = 'moment1';
  static readonly _moment2_acc_str = 'moment2';
  static readonly _beta1_pow_acc_str = 'beta1_pow_acc';
  static readonly _beta2_pow_acc_str = 'beta2_pow_acc';
  _beta1: number | Tensor;
  _beta2: number | Tensor;
  _epsilon: number;
  _lazy_mode: boolean;
  _multi_precision: boolean;

  constructor(...args: CallArgs<typeof params>) {
    const a = parse(args) as Record<string, any>;
    checkBetas('paddle.optimizer.Adam', a.beta1, a.beta2, a.epsilon);
    super(a.learning_rate, a.parameters, a.weight_decay, a.grad_clip, a.name);
    this.type = 'adam';
    this._beta1 = a.beta1;
    this._beta2 = a.beta2;
    this._epsilon = a.epsilon;
    this._lazy_mode = a.lazy_mode;
    this._multi_precision = a.multi_precision;
  }

  /** @internal */
  _add_moments_pows(q: Tensor, group?: ParamGroup | null): void {
    const acc: DType = q.dtype === 'float16' ? 'float32' : q.dtype;
    this._add_accumulator(Adam._moment1_acc_str, q, acc);
    this._add_accumulator(Adam._moment2_acc_str, q, acc);
    this._add_accumulator(Adam._beta1_pow_acc_str, q, acc, powStart(this._setting(group, 'beta1', this._beta1), 0.9), [1]);
    this._add_accumulator(Adam._beta2_pow_acc_str, q, acc, powStart(this._setting(group, 'beta2', this._beta2), 0.999), [1]);
  }

  override _create_accumulators(_block: Block | null, parameters: Tensor[], group?: ParamGroup | null): void {
    for (const q of parameters) this._add_moments_pows(q, group);
  }

  override _append_optimize_op(block: Block | null, pg: ParamGrad, group?: ParamGroup | null): Operator | null {
    const [param] = pg;
    const m1 = this._get_accumulator(Adam._moment1_acc_str, param);
    const m2 = this._get_accumulator(Adam._moment2_acc_str, param);
    const b1p = this._get_accumulator(Adam._beta1_pow_acc_str, param);
    const b2p = this._get_accumulator(Adam._beta2_pow_acc_str, param);
    const lr = this._create_param_lr(pg);
    const beta1 = this._setting(group, 'beta1', this._beta1);
    const beta2 = this._setting(group, 'beta2', this._beta2);
    const inputs: Record<string, Tensor[]> = {
      Param: [param], Grad: [pg[1]!], LearningRate: [lr], Moment1: [m1], Moment2: [m2], Beta1Pow: [b1p], Beta2Pow: [b2p],
    };
    const outputs = { ParamOut: [param], Moment1Out: [m1], Moment2Out: [m2], Beta1PowOut: [b1p], Beta2PowOut: [b2p] };
    const attrs: Record<string, unknown> = {
      epsilon: this._setting(group, 'epsilon', this._epsilon),
      lazy_mode: this._setting(group, 'lazy_mode', this._lazy_mode),
      min_row_size_to_use_multithread: 1000,
      multi_precision: false,
    };
    if (state.staticMode && beta1 instanceof Variable) inputs.Beta1Tensor = [beta1];
    else attrs.beta1 = betaValue(beta1);
    if (state.staticMode && beta2 instanceof Variable) inputs.Beta2Tensor = [beta2];
    else attrs.beta2 = betaValue(beta2);
    return this._run_update(block, 'adam', inputs, outputs, attrs, pg);
  }
}
