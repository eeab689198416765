// append_backward / gradients: differentiate a static program by running each operator's
// gradient rule (the same rule dygraph uses) in static mode, so the rule's operators are
// appended to the block. Gradient variables are named `<var>@GRAD`, as in Paddle.
import { fail, InvalidArgumentError } from '../core/errors.js';
import { getOp, GradContext, GradResult, hasOp } from '../core/registry.js';
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

/** A gradient rule's view in static mode, with what control-flow operators need beyond GradContext. */
export interface StaticGradContext extends GradContext {
  /** The forward operator whose gradient is being built. */
  readonly op: Operator;
  /** The block holding the forward operator (variables are looked up from it). */
  readonly fwdBlock: Block;
  /** Whether a gradient flowed into output `slot`[i] (outGrad gives zeros otherwise). */
  hasOutGrad(slot: string, i?: number): boolean;
}

/** Set by the control-flow package: accumulation of LoDTensorArray gradients. */
export const gradHooks: { addArrays?: (a: Variable, b: Variable) => Variable } = {};

/** One reverse pass over forward operators, appending their gradient operators to the current block. */
export interface GradPass {
  /** The forward operators, in program order. */
  readonly ops: readonly Operator[];
  /** The block the forward operators belong to. */
  readonly block: Block;
  /** Gradients by forward variable name: the seeds going in, every gradient coming out. */
  readonly grads: Map<string, Variable>;
  /** Names of the variables that need gradients. */
  readonly req: Set<string>;
  /**
   * The variable a gradient rule sees for input `name` of forward operator `index` (a sub-block
   * may overwrite a variable after reading it: the rule then reads the saved earlier value).
   */
  readonly inputVar?: (index: number, name: string) => Variable;
  /** The same for the outputs a rule reads (a later operator may overwrite them). */
  readonly outputVar?: (index: number, name: string) => Variable;
}

const isArrayVar = (v: Variable | null | undefined): boolean => v?.type === 'LOD_TENSOR_ARRAY';

function addGrads(prev: Variable, g: Variable): Variable {
  if (prev === g) return prev;
  if (isArrayVar(prev) || isArrayVar(g)) {
    if (!gradHooks.addArrays) fail('paddle.static.append_backward', 'gradients of tensor arrays need the control-flow operators', InvalidArgumentError);
    return gradHooks.addArrays(prev, g);
  }
  return c.add(prev, g) as Variable;
}

/**
 * Runs the gradient rule of every forward operator of `pass.ops` in reverse order (the rules
 * append operators to the program's current block). An operator overwrites its outputs: once
 * it is processed, the gradient of an output name stands for the value before it (cleared,
 * then the inputs' gradients accumulate), except for tensor arrays, which operators write
 * element by element. Returns the gradients: of a variable's last value, or, for variables
 * no operator of `ops` wrote first, of the value they held before (leaves).
 */
export function appendGradOps(pass: GradPass): Map<string, Variable> {
  const { ops, block, grads, req } = pass;
  const last = new Map<string, Variable>();
  const v = (n: string): Variable => block._var_recursive(n);
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i];
    const outNames = op.output_arg_names;
    const def = hasOp(op.type) ? getOp(op.type) : null;
    let result: GradResult | null = null;
    if (def?.grad && outNames.some((n) => grads.has(n)) && def.inputs.some((s) => !s.noGrad && op.input(s.name).some((n) => req.has(n)))) {
      const inVar = (n: string): Variable => (pass.inputVar ? pass.inputVar(i, n) : v(n));
      const outVar = (n: string): Variable => (pass.outputVar ? pass.outputVar(i, n) : v(n));
      const ctx: StaticGradContext = {
        op,
        fwdBlock: block,
        attrs: op.attrs,
        input: (slot, k = 0) => inVar(op.input(slot)[k]),
        has: (slot, k = 0) => op.input(slot)[k] !== undefined,
        inputs: (slot) => op.input(slot).map(inVar),
        output: (slot, k = 0) => outVar(op.output(slot)[k]),
        outputs: (slot) => op.output(slot).map(outVar),
        outGrad: (slot, k = 0) => {
          const n = op.output(slot)[k];
          return (grads.get(n) ?? c.zerosLike(v(n))) as Tensor;
        },
        hasOutGrad: (slot, k = 0) => grads.has(op.output(slot)[k]),
        needs: (slot, k = 0) => req.has(op.input(slot)[k]),
      };
      result = def.grad(ctx);
    }
    // the values before this operator are other values: their gradients start afresh
    for (const n of outNames) {
      const g = grads.get(n);
      if (!g || isArrayVar(block._find_var_recursive(n))) continue;
      if (!last.has(n)) last.set(n, g);
      grads.delete(n);
    }
    if (!result || !def) continue;
    for (const s of def.inputs) {
      if (s.noGrad) continue;
      const gs = result[s.name];
      if (!gs) continue;
      op.input(s.name).forEach((n, k) => {
        const g = gs[k];
        if (!g || !req.has(n)) return;
        const prev = grads.get(n);
        grads.set(n, prev ? addGrads(prev, g as Variable) : (g as Variable));
      });
    }
  }
  const out = new Map(last);
  for (const [n, g] of grads) out.set(n, g);
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
  let grads = new Map<string, Variable>();
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
      grads = appendGradOps({ ops: fwd, block, grads, req });
    });
  } finally {
    state.staticMode = prevMode;
    block.program.current_block_idx = prevIdx;
  }
  // Name the final gradients `<var>@GRAD` as Paddle does.
  for (const [name, g] of grads) {
    const want = name + GRAD_SUFFIX;
    if (g.name === want || block.has_var(want) || targets.some((t) => t.name === name)) continue;
    if (g.block === block && !block.program.list_vars().some((x) => x !== g && x.name === want) && !grads.has(g.name)) {
      const old = g.name;
      block._rename_var(old, want);
      // gradient sub-blocks (control flow) read it by name too
      for (const b of block.program.blocks) if (b !== block) for (const op of b.ops) op._rename(old, want);
    }
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
