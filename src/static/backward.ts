// append_backward / gradients: differentiate a static program by running each operator's
// gradient rule (the same rule dygraph uses) in static mode, so the rule's operators are
// appended to the block. Gradient variables are named `<var>@GRAD`, as in Paddle.
import { fail, InvalidArgumentError } from '../core/errors.js';
import { getOp, GradContext, hasOp } from '../core/registry.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { Block, Operator, OpRole, Parameter, Variable } from './framework.js';
import { withRole } from './mode.js';

export const GRAD_SUFFIX = '@GRAD';

/** Which variables of `ops` carry gradients, given the leaves that need them. */
function requiresGrad(block: Block, ops: Operator[], noGrad: Set<string>): Set<string> {
  const req = new Set<string>();
  for (const v of block.program.global_block().vars.values())
    if (!v.stop_gradient && !noGrad.has(v.name) && (v instanceof Parameter ? v.trainable : true)) req.add(v.name);
  // Outputs of operators need gradients when a differentiable input does.
  const produced = new Set(ops.flatMap((o) => o.output_arg_names));
  for (const n of [...req]) if (produced.has(n)) req.delete(n);
  for (const op of ops) {
    if (!hasOp(op.type)) continue;
    const def = getOp(op.type);
    const need = def.grad && def.inputs.some((s) => !s.noGrad && op.input(s.name).some((n) => req.has(n)));
    for (const s of def.outputs) {
      for (const n of op.output(s.name)) {
        const v = block._find_var_recursive(n);
        if (need && v && !v.stop_gradient && !noGrad.has(n) && !def.noGradOutputs?.includes(s.name)) req.add(n);
      }
    }
  }
  return req;
}

function asVars(v: Tensor | Tensor[], api: string, arg: string): Variable[] {
  const list = Array.isArray(v) ? v : [v];
  if (!list.length || !list.every((x) => x instanceof Variable)) fail(api, `argument '${arg}' expected static Variables (build them after paddle.enable_static())`);
  return list as Variable[];
}

function toSet(v: unknown): Set<string> {
  const out = new Set<string>();
  if (!v) return out;
  const list = v instanceof Set ? [...v] : Array.isArray(v) ? v : [v];
  for (const x of list) out.add(typeof x === 'string' ? x : (x as Variable).name);
  return out;
}

/**
 * Appends the operators computing d(targets)/d(every variable that needs it) after the
 * operators that produce `targets`. Returns the gradient Variables by forward name.
 */
function buildBackward(targets: Variable[], targetGrads: (Variable | null)[], noGradSet: Set<string>): Map<string, Variable> {
  const block = targets[0].block;
  const lastIndex = Math.max(...targets.map((t) => block.ops.findLastIndex((o) => o.output_arg_names.includes(t.name))));
  if (lastIndex < 0) fail('paddle.static.append_backward', `no operator computes '${targets[0].name}'`, InvalidArgumentError);
  const fwd = block.ops.slice(0, lastIndex + 1);
  const req = requiresGrad(block, fwd, noGradSet);
  const grads = new Map<string, Variable>();
  const prevMode = state.staticMode;
  const prevIdx = block.program.current_block_idx;
  state.staticMode = true;
  block.program.current_block_idx = block.idx;
  try {
    withRole(OpRole.Backward, () => {
      targets.forEach((t, i) => {
        const g = targetGrads[i] ?? withRole(OpRole.Backward | OpRole.Loss, () => c.fullLike(t, 1) as Variable);
        grads.set(t.name, g);
      });
      for (let i = fwd.length - 1; i >= 0; i--) {
        const op = fwd[i];
        if (!hasOp(op.type)) continue;
        const def = getOp(op.type);
        if (!def.grad) continue;
        const outNames = op.output_arg_names;
        if (!outNames.some((n) => grads.has(n))) continue;
        if (!def.inputs.some((s) => !s.noGrad && op.input(s.name).some((n) => req.has(n)))) continue;
        const v = (n: string): Variable => block._var_recursive(n);
        const ctx: GradContext = {
          attrs: op.attrs,
          input: (slot, k = 0) => v(op.input(slot)[k]),
          has: (slot, k = 0) => op.input(slot)[k] !== undefined,
          inputs: (slot) => op.input(slot).map(v),
          output: (slot, k = 0) => v(op.output(slot)[k]),
          outputs: (slot) => op.output(slot).map(v),
          outGrad: (slot, k = 0) => {
            const n = op.output(slot)[k];
            return (grads.get(n) ?? c.zerosLike(v(n))) as Tensor;
          },
          needs: (slot, k = 0) => req.has(op.input(slot)[k]),
        };
        const result = def.grad(ctx);
        for (const s of def.inputs) {
          if (s.noGrad) continue;
          const gs = result[s.name];
          if (!gs) continue;
          op.input(s.name).forEach((n, k) => {
            const g = gs[k];
            if (!g || !req.has(n)) return;
            const prev = grads.get(n);
            grads.set(n, (prev ? c.add(prev, g) : g) as Variable);
          });
        }
      }
    });
  } finally {
    state.staticMode = prevMode;
    block.program.current_block_idx = prevIdx;
  }
  // Name the final gradients `<var>@GRAD` as Paddle does.
  for (const [name, g] of grads) {
    const want = name + GRAD_SUFFIX;
    if (g.name === want || block.has_var(want) || targets.some((t) => t.name === name)) continue;
    if (g.block === block && !block.program.list_vars().some((x) => x !== g && x.name === want) && !grads.has(g.name)) block._rename_var(g.name, want);
  }
  return grads;
}

/**
 * Appends backward operators for `loss` and returns `[param, grad]` pairs for the
 * parameters (all trainable ones by default).
 * @example const pairs = paddle.static.append_backward(avgLoss)
 */
export function append_backward(
  loss: Tensor,
  parameter_list: (Variable | string)[] | null = null,
  no_grad_set: Set<string | Variable> | (string | Variable)[] | null = null,
): [Parameter, Variable][] {
  if (!(loss instanceof Variable)) fail('paddle.static.append_backward', "argument 'loss' expected a static Variable");
  const grads = buildBackward([loss as Variable], [null], toSet(no_grad_set));
  const block = (loss as Variable).block.program.global_block();
  const params = parameter_list
    ? parameter_list.map((p) => (typeof p === 'string' ? block.var(p) : p) as Parameter)
    : block.all_parameters().filter((p) => p.trainable);
  const out: [Parameter, Variable][] = [];
  for (const p of params) {
    const g = grads.get(p.name);
    if (g) out.push([p, g]);
  }
  return out;
}

/**
 * Gradients of `targets` with respect to `inputs` (null for inputs they do not depend on),
 * appended as operators.
 */
export function gradients(
  targets: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  target_gradients: Tensor | (Tensor | null)[] | null = null,
  no_grad_set: Set<string | Variable> | (string | Variable)[] | null = null,
): (Variable | null)[] {
  const api = 'paddle.static.gradients';
  const ts = asVars(targets, api, 'targets');
  const is = asVars(inputs, api, 'inputs');
  const tg = target_gradients === null ? ts.map(() => null) : (Array.isArray(target_gradients) ? target_gradients : [target_gradients]) as (Variable | null)[];
  // Inputs are leaves for this computation even if they are data (stop_gradient).
  const saved = is.map((v) => v.stop_gradient);
  is.forEach((v) => (v.stop_gradient = false));
  try {
    const grads = buildBackward(ts, tg, toSet(no_grad_set));
    return is.map((v) => grads.get(v.name) ?? null);
  } finally {
    is.forEach((v, i) => (v.stop_gradient = saved[i]));
  }
}
