// paddle.grad, paddle.no_grad and the switches of python/paddle/framework.
import { defineApi, p } from '../core/args.js';
import { runBackward, withoutGrad } from '../core/autograd.js';
import { T } from '../core/convert.js';
import { fail } from '../core/errors.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';

const tensorOrList = T.union(T.tensor, T.tensors);
const asList = (v: Tensor | Tensor[]): Tensor[] => (v instanceof Tensor ? [v] : v);

/**
 * Gradients of `outputs` with respect to `inputs`, returned (not accumulated into `.grad`).
 * With `create_graph` the result is differentiable again (higher-order gradients).
 * @param outputs a Tensor or list of Tensors
 * @param inputs a Tensor or list of Tensors
 * @param grad_outputs initial gradients of outputs (default ones)
 * @param retain_graph keep the graph (defaults to create_graph)
 * @param create_graph record the gradient computation
 * @param only_inputs must be true, as in Paddle
 * @param allow_unused give null for inputs the outputs do not depend on
 * @param no_grad_vars tensors whose gradients are not computed
 * @example const [dx] = paddle.grad(y, x, { create_graph: true })
 */
export const grad = defineApi(
  'paddle.grad',
  [
    p('outputs', tensorOrList),
    p('inputs', tensorOrList),
    p('grad_outputs', T.nullable(T.union(T.tensor, T.any)), null),
    p('retain_graph', T.nullable(T.bool), null),
    p('create_graph', T.bool, false),
    p('only_inputs', T.bool, true),
    p('allow_unused', T.bool, false),
    p('no_grad_vars', T.nullable(tensorOrList), null),
  ],
  (a): (Tensor | null)[] => {
    const outs = asList(a.outputs);
    const ins = asList(a.inputs);
    if (!a.only_inputs) fail('paddle.grad', "argument 'only_inputs' must be True: only the inputs' gradients are computed");
    let gos: (Tensor | null)[] = outs.map(() => null);
    if (a.grad_outputs !== null) {
      const g = a.grad_outputs instanceof Tensor ? [a.grad_outputs] : (a.grad_outputs as (Tensor | null)[]);
      if (!Array.isArray(g) || g.length !== outs.length || !g.every((x) => x === null || x instanceof Tensor))
        fail('paddle.grad', `argument 'grad_outputs' must hold one Tensor or None per output (${outs.length})`);
      gos = g;
    }
    return runBackward(outs, gos, {
      retainGraph: a.retain_graph ?? a.create_graph,
      createGraph: a.create_graph,
      inputs: ins,
      allowUnused: a.allow_unused,
      noGradVars: a.no_grad_vars ? new Set(asList(a.no_grad_vars)) : undefined,
      api: 'paddle.grad',
    })!;
  },
);

/**
 * Runs `func` without recording gradients and returns its result (Python's `with
 * paddle.no_grad():`); a returned promise keeps the context until it settles. Called with no
 * function, gives the decorator form: `paddle.no_grad()(fn)` is fn that runs without grad.
 * @example const y = paddle.no_grad(() => net(x))
 */
export function no_grad<R>(func: () => R): R;
export function no_grad(): <A extends unknown[], R>(f: (...args: A) => R) => (...args: A) => R;
export function no_grad(func?: () => unknown): unknown {
  if (func === undefined) return (f: (...args: unknown[]) => unknown) => (...args: unknown[]) => withoutGrad(() => f(...args));
  if (typeof func !== 'function') fail('paddle.no_grad', `argument 'func' expected a function, but got ${typeof func}`);
  return withoutGrad(func);
}

/** Whether autograd records now (false inside no_grad). */
export function is_grad_enabled(): boolean {
  return state.gradEnabled;
}
/** Switches autograd recording on or off; returns the previous setting. */
export function set_grad_enabled(mode: boolean): boolean {
  const prev = state.gradEnabled;
  state.gradEnabled = mode;
  return prev;
}
/** True in dygraph mode (the default), false after enable_static(). */
export function in_dynamic_mode(): boolean {
  return !state.staticMode;
}
