// Applying weight decay to gradients (fluid/regularizer.py append_regularization_ops at 2.0):
// each parameter's own regularizer, else the optimizer's, adds its term to the gradient.
import { withoutGrad } from '../core/autograd.js';
import { describe, fail } from '../core/errors.js';
import { densify } from '../core/selected_rows.js';
import { state } from '../core/state.js';
import type { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import type { WeightDecayRegularizer } from '../regularizer.js';
import { OpRole, Variable } from '../static/framework.js';
import { name_scope, withRole } from '../static/mode.js';

/** What a parameter's `regularizer` field holds, if it is usable. */
function regularizerOf(param: Tensor): WeightDecayRegularizer | null {
  const r = (param as { regularizer?: unknown }).regularizer;
  if (r === null || r === undefined) return null;
  if (typeof (r as WeightDecayRegularizer).__call__ !== 'function')
    fail('append_regularization_ops', `the regularizer of parameter '${param.name}' must be a WeightDecayRegularizer (L1Decay, L2Decay), but got ${describe(r)}`);
  return r as WeightDecayRegularizer;
}

/**
 * The gradient with the parameter's regularization added (its own regularizer first, else
 * `regularization`), or `grad` itself when there is none. Static mode appends `sum` writing
 * into the gradient variable, as Paddle.
 */
export function _create_regularization_of_grad(param: Tensor, grad: Tensor | null, regularization: WeightDecayRegularizer | null = null): Tensor | null {
  const own = regularizerOf(param);
  if (grad === null || (own === null && regularization === null)) return grad;
  const reg = own ?? regularization!;
  if (state.staticMode && grad instanceof Variable) {
    const term = reg.__call__(param, grad, grad.block);
    grad.block.append_op({ type: 'sum', inputs: { X: [grad, term as Variable] }, outputs: { Out: [grad] }, attrs: { op_role: OpRole.Optimize, op_role_var: [param.name, grad.name] } });
    return grad;
  }
  // a SelectedRows gradient plus the dense decay term is dense (Paddle's sum does the same)
  return withoutGrad(() => c.run1('sum', { X: [densify(grad), reg.__call__(param, grad, null)] }));
}

/**
 * Adds each parameter's regularization term to its gradient; returns the new `[param, grad]`
 * pairs (fluid.regularizer.append_regularization_ops).
 */
export function append_regularization_ops(
  parameters_and_grads: [Tensor, Tensor | null][],
  regularization: WeightDecayRegularizer | null = null,
): [Tensor, Tensor | null][] {
  const run = (): [Tensor, Tensor | null][] =>
    parameters_and_grads.map(([param, grad]) => [param, _create_regularization_of_grad(param, grad, regularization)]);
  if (!state.staticMode) return run();
  return name_scope('regularization', () => withRole(OpRole.Optimize, run));
}
