// Control flow in the Executor and in append_backward: the handlers of the operators that run
// sub-blocks (conditional_block, while, recurrent and their *_grad), write_to_array (writes
// one element of an array), select_input / select_output (only one branch has a value), and
// `sum` over tensor arrays; and the gradient rules of the sub-block operators, which build a
// gradient block per sub-block with the same reverse pass append_backward runs on the global
// block (appendGradOps).
//
// Scopes: a sub-block runs in a child scope of its operator's scope (conditional_block: one,
// kept in its Scope output; while and recurrent: one per step, kept in StepScopes). A
// gradient block runs in those forward scopes, in reverse step order, so it reads the forward
// values of its step; what it computes stays in that scope, and the *_grad handler carries the
// gradients of the loop state from step to step and writes the outer gradients.
//
// Values overwritten inside a step: a forward operator may read a variable that a later
// operator of the same block overwrites (a loop variable assigned at the end of the body, an
// in-place increment). Its gradient rule then reads `<name>@PRE@<block>_<k>`, a variable of
// the sub-block the runner fills with the value before operator k ran; and at the end of a
// step the variables of enclosing blocks the step wrote are copied into the step's scope, so
// the gradient of that step reads the values it computed, not later ones.
import { withoutGrad } from '../core/autograd.js';
import { runOp } from '../core/dispatch.js';
import { allocStorage, isComplex, isFloating } from '../core/dtype.js';
import { fail, InvalidArgumentError, PreconditionNotMetError } from '../core/errors.js';
import { getOp, hasOp, type GradContext, type GradResult } from '../core/registry.js';
import { numel } from '../core/shape.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { controlFlowGrad, offsetOf, TensorArray } from '../ops/control_flow.js';
import { appendGradOps, gradHooks, type StaticGradContext } from './backward.js';
import { executorOps, Scope, type ExecContext } from './executor.js';
import { Block, Operator, Variable } from './framework.js';
import { appendState } from './mode.js';
import { generate } from './unique_name.js';

/** The value of a STEP_SCOPES variable: the scopes a sub-block ran in. */
export class StepScopes {
  constructor(readonly scopes: Scope[]) {}
}

/** Paddle's name for "no variable" in gradient slots. */
export const EMPTY_VAR = '@EMPTY@';

// ---- running sub-blocks -------------------------------------------------------------------------

const preName = (name: string, block: Block, k: number): string => `${name}@PRE@${block.idx}_${k}`;

/** The output names of every operator of a block (with the indices writing them). */
function writersOf(block: Block): Map<string, number[]> {
  const m = new Map<string, number[]>();
  block.ops.forEach((op, k) => {
    for (const n of op.output_arg_names) {
      const l = m.get(n);
      if (l) {
        if (l[l.length - 1] !== k) l.push(k);
      } else m.set(n, [k]);
    }
  });
  return m;
}

/** Variables of enclosing blocks that operators of `block` write (the loop state). */
function outerWrites(block: Block): string[] {
  const out: string[] = [];
  for (const n of writersOf(block).keys()) if (!block.vars.has(n) && block._find_var_recursive(n)) out.push(n);
  return out;
}

/**
 * Runs `block` in `scope`. When recording for a backward pass, values about to be overwritten
 * are saved under the names the gradient block reads (see preName), and the variables of
 * enclosing blocks the step wrote are copied into `scope`.
 */
function runSub(ctx: ExecContext, block: Block, scope: Scope, record: boolean): void {
  if (!record) return ctx.runBlock(block, scope);
  const saves = new Map<number, [string, string][]>();
  for (const [n, ks] of writersOf(block))
    for (const k of ks) {
      const pn = preName(n, block, k);
      if (block.vars.has(pn)) {
        const l = saves.get(k);
        if (l) l.push([n, pn]);
        else saves.set(k, [[n, pn]]);
      }
    }
  ctx.runBlock(block, scope, saves.size ? {
    beforeOp: (_op, k, s) => {
      const l = saves.get(k);
      if (!l) return;
      for (const [n, pn] of l) {
        const v = s.find_var(n);
        if (v !== undefined) s.set(pn, v);
      }
    },
  } : undefined);
  for (const n of outerWrites(block)) {
    const v = scope.find_var(n);
    if (v !== undefined) scope.set(n, v);
  }
}

function value(ctx: ExecContext, name: string, op: string, slot: string): Tensor {
  const v = ctx.scope.find_var(name);
  if (v === undefined) fail('Executor.run', `operator ${op} needs variable '${name}' (input ${slot}), which holds no value`, PreconditionNotMetError);
  return v as Tensor;
}
function truthy(t: unknown, op: string): boolean {
  if (!(t instanceof Tensor) || t.size !== 1) fail('Executor.run', `the condition of ${op} must be a bool tensor of one element, but got ${t instanceof Tensor ? `shape [${t.dims}]` : String(t)}`, InvalidArgumentError);
  return Number(t.data[0]) !== 0;
}

/** Zeros of a value's shape and dtype (an empty array for an array), keeping its LoD. */
function zerosOf(v: unknown): Tensor | undefined {
  if (v instanceof TensorArray) return new TensorArray([], v.dtype);
  if (!(v instanceof Tensor)) return undefined;
  const z = new Tensor(allocStorage(v.dtype, v.size), v.dims.slice(), v.dtype);
  z.lod = v.lod.map((l) => Array.from(l));
  return z;
}

/** a + b for tensors (elementwise, same shape) and arrays (element by element). */
function addValues(a: Tensor | undefined, b: Tensor | undefined): Tensor | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a instanceof TensorArray || b instanceof TensorArray) {
    const x = a instanceof TensorArray ? a.items : [];
    const y = b instanceof TensorArray ? b.items : [];
    const items: (Tensor | undefined)[] = [];
    for (let i = 0; i < Math.max(x.length, y.length); i++) items.push(addValues(x[i], y[i]));
    return new TensorArray(items, a.dtype);
  }
  const r = withoutGrad(() => runOp(getOp('sum'), { X: [a, b] }, { use_mkldnn: false })).Out[0];
  if (!r.lod.length && a.lod.length) r.lod = a.lod.map((l) => Array.from(l));
  return r;
}

/** Rows t of a [T, ...] tensor as a [...] tensor. */
function stepOf(x: Tensor, t: number): Tensor {
  const inner = numel(x.dims.slice(1));
  const w = x.data instanceof BigInt64Array ? 1 : isComplex(x.dtype) ? 2 : 1;
  const data = (x.data as Float64Array).slice(t * inner * w, (t + 1) * inner * w);
  return new Tensor(data as never, x.dims.slice(1), x.dtype);
}
/** Stacks equal-shape tensors on a new leading dim. */
function stackSteps(list: Tensor[], op: string): Tensor {
  const first = list[0];
  const inner = first.size;
  const data = allocStorage(first.dtype, inner * list.length);
  list.forEach((t, i) => {
    if (t.size !== inner) fail('Executor.run', `the step outputs of ${op} must all have one shape, but got [${first.dims}] and [${t.dims}]`, InvalidArgumentError);
    (data as Float64Array).set(t.data as Float64Array, i * (data.length / list.length));
  });
  return new Tensor(data, [list.length, ...first.dims], first.dtype);
}

// ---- forward handlers --------------------------------------------------------------------------

executorOps.set('conditional_block', (op, ctx) => {
  const sub = op.attrs.sub_block as Block;
  let run: boolean;
  if (op.attrs.is_scalar_condition) run = truthy(value(ctx, op.input('Cond')[0], op.type, 'Cond'), op.type);
  else run = op.input('Input').every((n) => (value(ctx, n, op.type, 'Input') as Tensor).size !== 0);
  const scopeVar = op.output('Scope')[0];
  if (run) {
    const s = ctx.scope.new_scope();
    if (scopeVar) ctx.write(scopeVar, new StepScopes([s]));
    runSub(ctx, sub, s, true);
    return;
  }
  if (scopeVar) ctx.write(scopeVar, new StepScopes([]));
  // outputs the block would have computed stay empty (IfElse merges an empty branch)
  for (const n of op.output('Out')) {
    if (ctx.scope.find_var(n) !== undefined) continue;
    const v = ctx.block._find_var_recursive(n);
    if (!v || v.type === 'LOD_TENSOR_ARRAY') continue;
    const dims = v.dims.map((d) => (d < 0 ? 0 : d));
    if (!dims.length || !dims.includes(0)) dims[0] = 0;
    ctx.write(n, new Tensor(allocStorage(v.dtype, 0), dims, v.dtype));
  }
});

executorOps.set('while', (op, ctx) => {
  const sub = op.attrs.sub_block as Block;
  const isTest = !!op.attrs.is_test;
  const cond = op.input('Condition')[0];
  const scopes: Scope[] = [];
  while (truthy(value(ctx, cond, op.type, 'Condition'), op.type)) {
    const s = ctx.scope.new_scope();
    runSub(ctx, sub, s, !isTest);
    if (!isTest) scopes.push(s);
  }
  const sv = op.output('StepScopes')[0];
  if (sv) ctx.write(sv, new StepScopes(scopes));
});

executorOps.set('recurrent', (op, ctx) => {
  const sub = op.attrs.sub_block as Block;
  const ins = op.input('inputs');
  const outs = op.output('outputs');
  const init = op.input('initial_states');
  const exStates = op.attrs.ex_states as string[];
  const states = op.attrs.states as string[];
  const reverse = !!op.attrs.reverse;
  const seqs = ins.map((n) => value(ctx, n, op.type, 'inputs'));
  const T = seqs[0].dims[0];
  for (const s of seqs) if (s.dims[0] !== T) fail('Executor.run', `the inputs of recurrent must have one sequence length, but got ${T} and ${s.dims[0]}`, InvalidArgumentError);
  const scopes: Scope[] = [];
  const outVals: Tensor[][] = outs.map(() => new Array<Tensor>(T));
  for (let i = 0; i < T; i++) {
    const t = reverse ? T - 1 - i : i;
    const s = ctx.scope.new_scope();
    ins.forEach((n, k) => s.set(n, stepOf(seqs[k], t)));
    if (op.attrs.has_states)
      exStates.forEach((ex, k) => {
        const v = i === 0 ? value(ctx, init[k], op.type, 'initial_states') : scopes[i - 1].find_var(states[k]);
        if (v === undefined) fail('Executor.run', `recurrent: the state '${states[k]}' has no value after step ${i - 1}`, PreconditionNotMetError);
        s.set(ex, v);
      });
    runSub(ctx, sub, s, true);
    outs.forEach((n, k) => {
      const v = s.find_var(n);
      if (!(v instanceof Tensor)) fail('Executor.run', `recurrent: the step output '${n}' has no value`, PreconditionNotMetError);
      outVals[k][t] = v;
    });
    scopes.push(s);
  }
  if (T > 0) outs.forEach((n, k) => ctx.write(n, stackSteps(outVals[k], op.type)));
  const sv = op.output('step_scopes')[0];
  if (sv) ctx.write(sv, new StepScopes(scopes));
});

executorOps.set('write_to_array', (op, ctx) => {
  const x = ctx.scope.find_var(op.input('X')[0]);
  if (x === undefined) return;
  const i = offsetOf(value(ctx, op.input('I')[0], op.type, 'I'), op.type);
  const out = op.output('Out')[0];
  const prev = ctx.scope.find_var(out);
  const base = prev instanceof TensorArray ? prev : new TensorArray([], (x as Tensor).dtype);
  ctx.write(out, base.with(i, x as Tensor));
});

function branchOf(ctx: ExecContext, op: Operator, n: number): number {
  const m = value(ctx, op.input('Mask')[0], op.type, 'Mask');
  if (m.size !== 1) fail('Executor.run', `${op.type}: Mask must hold one branch number, but has shape [${m.dims}]`, InvalidArgumentError);
  const b = Number(m.data[0]);
  if (!(b >= 0 && b < n)) fail('Executor.run', `${op.type}: Mask is ${b}, but there are ${n} branches`, InvalidArgumentError);
  return b;
}

executorOps.set('select_input', (op, ctx) => {
  const xs = op.input('X');
  const b = branchOf(ctx, op, xs.length);
  ctx.write(op.output('Out')[0], value(ctx, xs[b], op.type, 'X'));
});

executorOps.set('select_output', (op, ctx) => {
  const outs = op.output('Out');
  const b = branchOf(ctx, op, outs.length);
  const x = value(ctx, op.input('X')[0], op.type, 'X');
  // the branches not taken get zeros (they are gradients of the branch that did not run)
  outs.forEach((n, i) => ctx.write(n, i === b ? x : zerosOf(x)));
});

// `sum` also adds tensor arrays (gradients of arrays read in several places), as Paddle's does.
executorOps.set('sum', (op, ctx) => {
  const vals = op.input('X').map((n) => value(ctx, n, op.type, 'X'));
  if (vals.some((v) => v instanceof TensorArray)) {
    let acc: Tensor | undefined;
    for (const v of vals) acc = addValues(acc, v);
    ctx.write(op.output('Out')[0], acc ?? new TensorArray([]));
    return;
  }
  const outs = runOp(getOp('sum'), { X: vals }, op.attrs);
  ctx.write(op.output('Out')[0], outs.Out[0]);
});

// ---- gradient handlers --------------------------------------------------------------------------

const scopesOf = (ctx: ExecContext, name: string | undefined): Scope[] => {
  const v = name ? ctx.scope.find_var(name) : undefined;
  return v instanceof StepScopes ? v.scopes : [];
};
const found = (ctx: ExecContext | Scope, name: string): Tensor | undefined => {
  if (!name || name === EMPTY_VAR) return undefined;
  const v = (ctx instanceof Scope ? ctx : ctx.scope).find_var(name);
  return v instanceof Tensor ? v : undefined;
};
/** Inner gradient names: the attribute, or Paddle's `<name>@GRAD` convention. */
function innerNames(op: Operator, attr: string, names: string[]): string[] {
  const a = op.attrs[attr] as string[] | undefined;
  return a && a.length === names.length ? a : names.map((n) => `${n}@GRAD`);
}

executorOps.set('conditional_block_grad', (op, ctx) => {
  const scopes = scopesOf(ctx, op.input('Scope')[0]);
  const inputs = op.input('Input');
  const outGrads = op.output('Input@GRAD');
  const inner = innerNames(op, 'input_grad_names', inputs);
  const outs = op.input('Out');
  const ogs = op.input('Out@GRAD');
  if (scopes.length) {
    const s = scopes[0];
    ctx.runBlock(op.attrs.sub_block as Block, s);
    inputs.forEach((n, k) => {
      const og = outGrads[k];
      if (!og || og === EMPTY_VAR) return;
      ctx.write(og, found(s, inner[k]) ?? zerosOf(found(ctx, n)));
    });
    return;
  }
  // not run: the inputs it would have overwritten keep their value, so their gradient passes
  inputs.forEach((n, k) => {
    const og = outGrads[k];
    if (!og || og === EMPTY_VAR) return;
    const j = outs.indexOf(n);
    ctx.write(og, (j >= 0 ? found(ctx, ogs[j]) : undefined) ?? zerosOf(found(ctx, n)));
  });
});

executorOps.set('while_grad', (op, ctx) => {
  const scopes = scopesOf(ctx, op.input('StepScopes')[0]);
  const G = op.attrs.sub_block as Block;
  const outs = op.input('Out');
  const outerOg = op.input('Out@GRAD');
  const innerOg = op.attrs.original_output_grad as string[];
  const xs = op.input('X');
  const xg = op.output('X@GRAD');
  const innerX = innerNames(op, 'x_grad_names', xs);
  const cur = new Map<string, Tensor | undefined>();
  outs.forEach((n, k) => cur.set(n, found(ctx, outerOg[k])));
  const acc = new Map<string, Tensor | undefined>();
  const isX = new Set(xs);
  for (let t = scopes.length - 1; t >= 0; t--) {
    const s = scopes[t];
    outs.forEach((n, k) => {
      const g = cur.get(n) ?? zerosOf(s.find_var(n));
      if (g) s.set(innerOg[k], g);
    });
    ctx.runBlock(G, s);
    const next = new Map<string, Tensor | undefined>();
    xs.forEach((n, k) => {
      const g = innerX[k] ? found(s, innerX[k]) : undefined;
      if (cur.has(n)) next.set(n, g);
      else if (g) acc.set(n, addValues(acc.get(n), g));
    });
    for (const n of outs) {
      // the gradient of the value before this step: what the step's gradient block computed;
      // none when the step overwrote it without reading it (an array written element by
      // element keeps its gradient)
      if (isX.has(n) && innerX[xs.indexOf(n)]) cur.set(n, next.get(n));
      else if (!(cur.get(n) instanceof TensorArray)) cur.set(n, undefined);
    }
  }
  xs.forEach((n, k) => {
    const o = xg[k];
    if (!o || o === EMPTY_VAR) return;
    const g = cur.has(n) ? cur.get(n) : acc.get(n);
    const z = g ?? zerosOf(found(ctx, n));
    if (z) ctx.write(o, z);
  });
});

executorOps.set('recurrent_grad', (op, ctx) => {
  const scopes = scopesOf(ctx, op.input('step_scopes')[0]);
  const G = op.attrs.sub_block as Block;
  const reverse = !!op.attrs.reverse;
  const ins = op.input('inputs');
  const init = op.input('initial_states');
  const params = op.input('parameters');
  const outs = op.input('outputs');
  const outerOg = op.input('outputs@GRAD');
  const exStates = op.attrs.ex_states as string[];
  const states = op.attrs.states as string[];
  const ogNames = innerNames(op, 'output_grad_names', outs);
  const stNames = innerNames(op, 'state_grad_names', states);
  const inNames = innerNames(op, 'input_grad_names', ins);
  const exNames = innerNames(op, 'ex_state_grad_names', exStates);
  const pNames = innerNames(op, 'parameter_grad_names', params);
  const T = scopes.length;
  const ogVals = outerOg.map((n) => found(ctx, n));
  const dIn: Tensor[][] = ins.map(() => new Array<Tensor>(T));
  let stateOg: (Tensor | undefined)[] = states.map(() => undefined);
  const acc: (Tensor | undefined)[] = params.map(() => undefined);
  for (let i = T - 1; i >= 0; i--) {
    const t = reverse ? T - 1 - i : i;
    const s = scopes[i];
    outs.forEach((n, k) => {
      const g = ogVals[k] ? stepOf(ogVals[k]!, t) : zerosOf(s.find_var(n));
      if (g) s.set(ogNames[k], g);
    });
    states.forEach((n, k) => {
      const g = stateOg[k] ?? zerosOf(s.find_var(n));
      if (g) s.set(stNames[k], g);
    });
    ctx.runBlock(G, s);
    ins.forEach((n, k) => {
      dIn[k][t] = found(s, inNames[k]) ?? zerosOf(s.find_var(n))!;
    });
    stateOg = exStates.map((_, k) => found(s, exNames[k]));
    params.forEach((_, k) => (acc[k] = addValues(acc[k], found(s, pNames[k]))));
  }
  const write = (slot: string, k: number, v: Tensor | undefined, ref: string): void => {
    const o = op.output(slot)[k];
    if (!o || o === EMPTY_VAR) return;
    const z = v ?? zerosOf(found(ctx, ref));
    if (z) ctx.write(o, z);
  };
  ins.forEach((n, k) => write('inputs@GRAD', k, T ? stackSteps(dIn[k], 'recurrent_grad') : undefined, n));
  init.forEach((n, k) => write('initial_states@GRAD', k, stateOg[k], n));
  params.forEach((n, k) => write('parameters@GRAD', k, acc[k], n));
});

// ---- building gradient blocks -------------------------------------------------------------------

const isArrayVar = (v: Variable | null | undefined): boolean => v?.type === 'LOD_TENSOR_ARRAY';
const carriesGrad = (v: Variable | null | undefined): boolean => !!v && (isArrayVar(v) || isFloating(v.dtype) || isComplex(v.dtype));

/**
 * Variables of a sub-block's operators that need gradients, given the ones that do on entry:
 * outputs of differentiable operators with such an input (in-block variables that stop
 * gradients excepted; variables of enclosing blocks the block writes are loop state and
 * always count), repeated until nothing changes (a loop feeds its state back).
 */
function innerReq(block: Block, leaves: Iterable<string>): Set<string> {
  const req = new Set(leaves);
  for (let changed = true; changed;) {
    changed = false;
    for (const op of block.ops) {
      if (!hasOp(op.type)) continue;
      const def = getOp(op.type);
      if (!def.grad || !def.inputs.some((s) => !s.noGrad && op.input(s.name).some((n) => req.has(n)))) continue;
      for (const s of def.outputs) {
        if (def.noGradOutputs?.includes(s.name)) continue;
        for (const n of op.output(s.name)) {
          if (req.has(n)) continue;
          const v = block._find_var_recursive(n);
          if (!carriesGrad(v)) continue;
          if (block.vars.has(n) && v!.stop_gradient && !isArrayVar(v)) continue;
          req.add(n);
          changed = true;
        }
      }
    }
  }
  return req;
}

/** Variable lookups for gradient rules of `block`'s operators: values saved before an overwrite. */
function versionedVars(block: Block): { inputVar: (i: number, n: string) => Variable; outputVar: (i: number, n: string) => Variable } {
  const writers = writersOf(block);
  const at = (i: number, n: string, from: number): Variable => {
    const k = writers.get(n)?.find((w) => w >= from);
    const v = block._var_recursive(n);
    if (k === undefined) return v;
    const pn = preName(n, block, k);
    return block.vars.get(pn) ?? block.create_var({ name: pn, shape: v.dims, dtype: v.dtype, lod_level: v.lod_level, type: v.type, stop_gradient: v.stop_gradient });
  };
  return { inputVar: (i, n) => at(i, n, i), outputVar: (i, n) => at(i, n, i + 1) };
}

/**
 * Builds the gradient block of `sub` (a child of the current block, which receives the *_grad
 * operator): `seeds` gives the gradients flowing in (it may declare them in the new block).
 */
function gradBlock(sub: Block, seeds: Map<string, Variable> | ((gb: Block) => Map<string, Variable>), leaves: Iterable<string>): { block: Block; grads: Map<string, Variable> } {
  const prog = sub.program;
  const gb = prog._create_block(prog.current_block_idx);
  gb.forward_block_idx = sub.idx;
  try {
    const seed = typeof seeds === 'function' ? seeds(gb) : new Map(seeds);
    const { inputVar, outputVar } = versionedVars(sub);
    const grads = appendGradOps({ ops: sub.ops, block: sub, grads: seed, req: innerReq(sub, leaves), inputVar, outputVar });
    return { block: gb, grads };
  } finally {
    prog._rollback();
  }
}

function emptyVar(block: Block): string {
  const g = block.program.global_block();
  if (!g.has_var(EMPTY_VAR)) g.create_var({ name: EMPTY_VAR, type: 'RAW', stop_gradient: true });
  return EMPTY_VAR;
}
/** A gradient variable for `v` in `block`. */
function gradVar(block: Block, v: Variable): Variable {
  return block.create_var({ name: generate(`${v.name}@GRAD`), shape: v.dims, dtype: v.dtype, lod_level: v.lod_level, type: v.type });
}
const roleAttrs = (): Record<string, unknown> => ({ op_role: appendState.role });

function asStatic(ctx: GradContext): StaticGradContext {
  const c = ctx as StaticGradContext;
  if (!c.op || !state.staticMode) fail('paddle.static.append_backward', 'control-flow gradients are built in static mode only', PreconditionNotMetError);
  return c;
}

controlFlowGrad.conditional_block = (ctx0): GradResult => {
  const ctx = asStatic(ctx0);
  const op = ctx.op;
  const fwd = op.block;
  const sub = op.attrs.sub_block as Block;
  const parent = fwd.program.current_block();
  const outs = op.output('Out');
  const seeds = new Map<string, Variable>();
  const gradOuts: string[] = [];
  const gradOgs: string[] = [];
  outs.forEach((n, k) => {
    if (!ctx.hasOutGrad('Out', k)) return;
    const g = ctx.outGrad('Out', k) as Variable;
    seeds.set(n, g);
    gradOuts.push(n);
    gradOgs.push(g.name);
  });
  const inputs = op.input('Input');
  const need = inputs.map((n, k) => ctx.needs('Input', k) && carriesGrad(fwd._find_var_recursive(n)));
  if (!seeds.size || !need.some(Boolean)) return {};
  const { block: gb, grads } = gradBlock(sub, seeds, inputs.filter((_, k) => need[k]));
  const names = inputs.map((n, k) => (need[k] ? grads.get(n)?.name ?? '' : ''));
  const outVars = inputs.map((n, k) => (names[k] ? gradVar(parent, fwd._var_recursive(n)) : null));
  parent.append_op({
    type: 'conditional_block_grad',
    inputs: { Cond: op.input('Cond'), Input: inputs, Out: gradOuts, 'Out@GRAD': gradOgs, Scope: op.output('Scope') },
    outputs: { 'Input@GRAD': outVars.map((v) => v?.name ?? emptyVar(parent)) },
    attrs: { sub_block: gb, is_scalar_condition: op.attrs.is_scalar_condition, input_grad_names: names, ...roleAttrs() },
  });
  return { Input: outVars };
};

controlFlowGrad.while = (ctx0): GradResult => {
  const ctx = asStatic(ctx0);
  const op = ctx.op;
  const fwd = op.block;
  const sub = op.attrs.sub_block as Block;
  const prog = fwd.program;
  const parent = prog.current_block();
  const outs = op.output('Out').filter((n) => carriesGrad(fwd._find_var_recursive(n)));
  const xs = op.input('X');
  const need = xs.map((n, k) => ctx.needs('X', k) && carriesGrad(fwd._find_var_recursive(n)));
  if (!need.some(Boolean)) return {};
  // the gradient of each loop-state variable at the end of a step: a variable of the gradient
  // block the handler sets per step (inner names); outer gradients of the final values
  const seedNames = outs.map((n) => `${n}@GRAD@STEP_${generate('og')}`);
  const outerOg = outs.map((n) => {
    const k = op.output('Out').indexOf(n);
    return ctx.hasOutGrad('Out', k) ? (ctx.outGrad('Out', k) as Variable).name : emptyVar(parent);
  });
  const leaves = xs.filter((n, k) => need[k] || outs.includes(n));
  const built = gradBlock(sub, (gb) => {
    const seeds = new Map<string, Variable>();
    outs.forEach((n, k) => {
      const v = fwd._var_recursive(n);
      seeds.set(n, gb.create_var({ name: seedNames[k], shape: v.dims, dtype: v.dtype, lod_level: v.lod_level, type: v.type }));
    });
    return seeds;
  }, leaves);
  const names = xs.map((n, k) => (need[k] || outs.includes(n) ? built.grads.get(n)?.name ?? '' : ''));
  const outVars = xs.map((n, k) => (need[k] ? gradVar(parent, fwd._var_recursive(n)) : null));
  parent.append_op({
    type: 'while_grad',
    inputs: { X: xs, Out: outs, 'Out@GRAD': outerOg, StepScopes: op.output('StepScopes') },
    outputs: { 'X@GRAD': outVars.map((v) => v?.name ?? emptyVar(parent)) },
    attrs: { sub_block: built.block, is_test: false, original_output_grad: seedNames, x_grad_names: names, ...roleAttrs() },
  });
  return { X: outVars };
};

controlFlowGrad.recurrent = (ctx0): GradResult => {
  const ctx = asStatic(ctx0);
  const op = ctx.op;
  const fwd = op.block;
  const sub = op.attrs.sub_block as Block;
  const prog = fwd.program;
  const parent = prog.current_block();
  const ins = op.input('inputs');
  const init = op.input('initial_states');
  const params = op.input('parameters');
  const outs = op.output('outputs');
  const exStates = op.attrs.ex_states as string[];
  const states = op.attrs.states as string[];
  const needIn = ins.map((n, k) => ctx.needs('inputs', k) && carriesGrad(fwd._find_var_recursive(n)));
  const needInit = init.map((n, k) => ctx.needs('initial_states', k) && carriesGrad(fwd._find_var_recursive(n)));
  const needP = params.map((n, k) => ctx.needs('parameters', k) && carriesGrad(fwd._find_var_recursive(n)));
  if (![...needIn, ...needInit, ...needP].some(Boolean)) return {};
  const ogNames = outs.map((n) => `${n}@GRAD@STEP_${generate('og')}`);
  const stNames = states.map((n) => `${n}@GRAD@STEP_${generate('og')}`);
  const leaves = [...ins, ...exStates, ...params.filter((_, k) => needP[k])];
  const built = gradBlock(sub, (gb) => {
    const seeds = new Map<string, Variable>();
    const declare = (n: string, name: string): void => {
      const v = sub._var_recursive(n);
      seeds.set(n, gb.create_var({ name, shape: v.dims, dtype: v.dtype, lod_level: v.lod_level, type: v.type }));
    };
    outs.forEach((n, k) => declare(n, ogNames[k]));
    states.forEach((n, k) => declare(n, stNames[k]));
    return seeds;
  }, leaves);
  const g = built.grads;
  const nameOf = (n: string): string => g.get(n)?.name ?? '';
  const outVars = (names: string[], need: boolean[]): (Variable | null)[] => names.map((n, k) => (need[k] ? gradVar(parent, fwd._var_recursive(n)) : null));
  const inV = outVars(ins, needIn);
  const initV = outVars(init, needInit);
  const pV = outVars(params, needP);
  const outerOg = outs.map((n, k) => (ctx.hasOutGrad('outputs', k) ? (ctx.outGrad('outputs', k) as Variable).name : emptyVar(parent)));
  const names = (vs: (Variable | null)[]): string[] => vs.map((v) => v?.name ?? emptyVar(parent));
  parent.append_op({
    type: 'recurrent_grad',
    inputs: { inputs: ins, initial_states: init, parameters: params, outputs: outs, 'outputs@GRAD': outerOg, step_scopes: op.output('step_scopes') },
    outputs: { 'inputs@GRAD': names(inV), 'initial_states@GRAD': names(initV), 'parameters@GRAD': names(pV) },
    attrs: {
      ...Object.fromEntries(Object.entries(op.attrs).filter(([k]) => !k.startsWith('op_'))),
      sub_block: built.block,
      output_grad_names: ogNames,
      state_grad_names: stNames,
      input_grad_names: ins.map(nameOf),
      ex_state_grad_names: exStates.map(nameOf),
      parameter_grad_names: params.map(nameOf),
      ...roleAttrs(),
    },
  });
  return { inputs: inV, initial_states: initV, parameters: pV };
};

controlFlowGrad.select_input = (ctx0): GradResult => {
  const ctx = asStatic(ctx0);
  const op = ctx.op;
  const parent = op.block.program.current_block();
  const xs = op.input('X').map((n) => op.block._var_recursive(n));
  const outs = xs.map((v) => gradVar(parent, v));
  parent.append_op({ type: 'select_output', inputs: { X: [ctx.outGrad('Out') as Variable], Mask: op.input('Mask') }, outputs: { Out: outs }, attrs: roleAttrs() });
  return { X: outs.map((v, k) => (ctx.needs('X', k) ? v : null)) };
};

gradHooks.addArrays = (a, b) => {
  const blk = a.block.program.current_block();
  const out = blk.create_var({ name: generate('array_grad_sum'), shape: a.dims, dtype: a.dtype, lod_level: a.lod_level, type: 'LOD_TENSOR_ARRAY' });
  blk.append_op({ type: 'sum', inputs: { X: [a, b] }, outputs: { Out: [out] }, attrs: { use_mkldnn: false, ...roleAttrs() } });
  return out;
};
