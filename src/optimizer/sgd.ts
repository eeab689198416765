// paddle.optimizer.SGD (python/paddle/optimizer/sgd.py): param -= lr * grad (operator sgd).
import { makeParser, p, type CallArgs } from '../core/args.js';
import { T } from '../core/convert.js';
import type { Block, Operator } from '../static/framework.js';
import { gradClipTy, lrTy, Optimizer, paramsTy, weightDecayTy, type ParamGrad, type ParamGroup } from './optimizer.js';

const params = [
  p('learning_rate', lrTy, 0.001),
  p('parameters', paramsTy, null),
  p('weight_decay', weightDecayTy, null),
  p('grad_clip', gradClipTy, null),
  p('name', T.nullable(T.str), null),
] as const;
const parse = makeParser('paddle.optimizer.SGD', params);

/**
 * Stochastic gradient descent: param = param - learning_rate * grad.
 * @param learning_rate a float or an LRScheduler (0.001)
 * @param parameters the parameters to update (required in dygraph), or parameter groups
 * @param weight_decay a float (L2 coefficient) or paddle.regularizer.L1Decay / L2Decay
 * @param grad_clip a gradient clipping strategy (nn.ClipGradByGlobalNorm...)
 * @param name a prefix for accumulator names
 * @example
 * const sgd = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: linear.parameters(), weight_decay: 0.01 })
 * loss.backward(); sgd.step(); sgd.clear_grad();
 */
export class SGD extends Optimizer {
  constructor(...args: CallArgs<typeof params>) {
    const a = parse(args) as Record<string, any>;
    super(a.learning_rate, a.parameters, a.weight_decay, a.grad_clip, a.name);
    this.type = 'sgd';
  }
  override _append_optimize_op(block: Block | null, pg: ParamGrad, _group?: ParamGroup | null): Operator | null {
    const lr = this._create_param_lr(pg);
    return this._run_update(block, 'sgd', { Param: [pg[0]], Grad: [pg[1]!], LearningRate: [lr] }, { ParamOut: [pg[0]] }, {}, pg);
  }
}
