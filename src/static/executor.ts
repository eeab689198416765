// Executor and Scope: run a Program's operators in order over a scope of named tensors,
// with the same kernels dygraph uses. Operators that need the executor itself (feed, fetch,
// control flow with sub-blocks) register a handler in `executorOps`.
import { defineApi, p } from '../core/args.js';
import { T, tensorFromData } from '../core/convert.js';
import { pruneOutputs, runOp } from '../core/dispatch.js';
import { fail, InvalidArgumentError, NotFoundError, PreconditionNotMetError, describe } from '../core/errors.js';
import { CPUPlace } from '../core/place.js';
import { getOp, hasOp, Slots } from '../core/registry.js';
import { numel } from '../core/shape.js';
import { state, withContext } from '../core/state.js';
import { Tensor, Meta } from '../core/tensor.js';
import { withoutGrad } from '../core/autograd.js';
import { Block, Operator, Program, Variable } from './framework.js';
import { default_main_program } from './mode.js';

/** A map from variable names to values, with a parent for lookups (Paddle's Scope). */
export class Scope {
  private readonly vars = new Map<string, Tensor | unknown>();
  constructor(readonly parent: Scope | null = null) {}
  /** The value of `name` here or in a parent scope, or undefined. */
  find_var(name: string): Tensor | undefined {
    let s: Scope | null = this;
    while (s) {
      if (s.vars.has(name)) return s.vars.get(name) as Tensor;
      s = s.parent;
    }
    return undefined;
  }
  /** Sets `name` in this scope. */
  set(name: string, value: unknown): void {
    this.vars.set(name, value);
  }
  /** Sets `name` where it already lives (a parent), else here. */
  assign(name: string, value: unknown): void {
    let s: Scope | null = this;
    while (s) {
      if (s.vars.has(name)) {
        s.vars.set(name, value);
        return;
      }
      s = s.parent;
    }
    this.vars.set(name, value);
  }
  has(name: string): boolean {
    return this.find_var(name) !== undefined;
  }
  /** Names of the variables held in this scope (not parents). */
  local_var_names(): string[] {
    return [...this.vars.keys()];
  }
  new_scope(): Scope {
    return new Scope(this);
  }
  erase(names: string[]): void {
    for (const n of names) this.vars.delete(n);
  }
}

let globalScope = new Scope();
/** The scope Executor.run uses by default. */
export function global_scope(): Scope {
  return globalScope;
}
/** Runs fn with `scope` as the global scope. */
export function scope_guard<R>(scope: Scope, fn: () => R): R {
  if (!(scope instanceof Scope)) fail('paddle.static.scope_guard', `argument 'scope' expected a Scope, but got ${describe(scope)}`);
  return withContext(
    () => {
      const prev = globalScope;
      globalScope = scope;
      return prev;
    },
    (prev) => void (globalScope = prev),
    fn,
  );
}

/** Called around the operators of a block being run (control flow saves values the backward needs). */
export interface RunHooks {
  beforeOp?(op: Operator, index: number, scope: Scope): void;
}
/** What an executor-level operator handler gets. */
export interface ExecContext {
  readonly executor: Executor;
  readonly scope: Scope;
  readonly block: Block;
  /** Runs another block of the program in `scope`. */
  runBlock(block: Block, scope: Scope, hooks?: RunHooks): void;
  /** Stores an output value of the handled operator where its variable lives (see writeVar). */
  write(name: string, value: unknown): void;
}

/**
 * Stores the value an operator of `block` (running in `scope`) computed for variable `name`:
 * persistable variables where they already live, else in `persistScope`; a variable declared
 * in `block` (or not declared) in `scope`; a variable of an enclosing block where it already
 * has a value, else in the scope as many levels up as the block that declares it (a sub-block
 * runs in a child scope of its parent block's scope).
 */
export function writeVar(block: Block, scope: Scope, persistScope: Scope, name: string, value: unknown): void {
  const v = block._find_var_recursive(name);
  if (v?.persistable) {
    if (scope.has(name)) scope.assign(name, value);
    else persistScope.set(name, value);
    return;
  }
  if (!v || block.vars.has(name)) return scope.set(name, value);
  if (scope.has(name)) return scope.assign(name, value);
  let b: Block = block;
  let depth = 0;
  while (!b.vars.has(name) && b.parent_idx >= 0) {
    b = b.program.block(b.parent_idx);
    depth++;
  }
  let s = scope;
  if (b.vars.has(name)) for (let i = 0; i < depth && s.parent; i++) s = s.parent;
  s.set(name, value);
}
/** Operators run by the executor itself rather than a kernel (control flow, feed/fetch...). */
export const executorOps = new Map<string, (op: Operator, ctx: ExecContext) => void>();
/** Set by paddle.fluid: wraps a fetched value when `return_numpy` is false (a fluid.LoDTensor). */
export const fetchHooks: { wrap?: (value: Tensor) => Tensor } = {};

/** Converts a fed value to a tensor of the variable's dtype and checks its shape; a LoD (fluid.LoDTensor) is kept. */
function feedValue(v: Variable | undefined, name: string, value: unknown): Tensor {
  const t = feedValueImpl(v, name, value);
  if (value instanceof Tensor && value.lod.length && (t === value || !t.lod.length)) {
    // a plain Tensor holding the LoD offsets (a fluid.LoDTensor subclass stays outside the program)
    const plain = t.constructor === Tensor ? t : new Tensor(t.data, t.dims.slice(), t.dtype);
    plain.lod = Array.from(value.lod, (l) => Array.from(l));
    return plain;
  }
  return t;
}
function feedValueImpl(v: Variable | undefined, name: string, value: unknown): Tensor {
  const api = 'Executor.run';
  let t: Tensor;
  if (value instanceof Tensor) t = value;
  else if (value && typeof value === 'object' && 'data' in (value as object) && 'shape' in (value as object) && !Array.isArray(value)) {
    const { data, shape } = value as { data: unknown; shape: number[] };
    t = tensorFromData(data, v?.dtype, api, `feed['${name}']`);
    if (numel(shape) !== t.size) fail(api, `feed['${name}'] has ${t.size} values but shape [${shape}]`);
    t = new Tensor(t.data, shape.slice(), t.dtype);
  } else t = tensorFromData(value, v?.dtype, api, `feed['${name}']`);
  if (v) {
    if (t.dtype !== v.dtype) t = tensorFromData(t, v.dtype, api);
    // A flat typed array fills the variable's shape when only one dimension is unknown.
    if (t.dims.length === 1 && v.dims.length > 1) {
      const known = v.dims.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
      if (v.dims.filter((d) => d < 0).length <= 1 && t.size % known === 0)
        t = new Tensor(t.data, v.dims.map((d) => (d < 0 ? t.size / known : d)), t.dtype);
    }
    if (v.need_check_feed || v.is_data) {
      const ok = t.dims.length === v.dims.length && v.dims.every((d, i) => d < 0 || d === t.dims[i]);
      if (!ok)
        fail(api, `the fed variable '${name}' should have shape [${v.dims.join(', ')}] (-1 for any size), but got a value of shape [${t.dims.join(', ')}]`);
    }
  }
  return t;
}

/** Runs programs (Paddle's static.Executor). `new paddle.static.Executor(paddle.CPUPlace())`. */
export class Executor {
  constructor(readonly place: unknown = new CPUPlace()) {}

  /**
   * Runs `program` (default: the default main program): feeds `feed` (name -> value), runs the
   * operators of its global block and returns the `fetch_list` values as Tensors.
   * @example const [loss] = exe.run(main, { feed: { x }, fetch_list: [avgLoss] })
   */
  run(...args: unknown[]): Tensor[] {
    return runImpl(this, ...(args as []));
  }
  close(): void {}

  /**
   * Runs one block's operators in a scope: temporaries go into `scope`, persistable
   * variables into `persistScope` (the scope the run was given) unless they already live
   * in a scope on the way up.
   */
  runBlock(block: Block, scope: Scope, persistScope: Scope = scope, hooks?: RunHooks): void {
    const ctx: ExecContext = {
      executor: this,
      scope,
      block,
      runBlock: (b, s, h) => this.runBlock(b, s, persistScope, h),
      write: (n, v) => writeVar(block, scope, persistScope, n, v),
    };
    const ops = block.ops;
    for (let index = 0; index < ops.length; index++) {
      const op = ops[index];
      if (hooks?.beforeOp) hooks.beforeOp(op, index, scope);
      const handler = executorOps.get(op.type);
      if (handler) {
        handler(op, ctx);
        continue;
      }
      if (!hasOp(op.type)) fail('Executor.run', `operator '${op.type}' is not in the operator table (register it, e.g. with fluid.load_op_library)`, NotFoundError);
      const def = getOp(op.type);
      const ins: Slots<Tensor> = {};
      for (const [slot, names] of Object.entries(op.inputs)) {
        ins[slot] = names.map((n) => {
          const t = scope.find_var(n);
          if (t === undefined)
            fail('Executor.run', `operator ${op.type} needs variable '${n}' (input ${slot}), which holds no value: feed it, or run the startup program first`, PreconditionNotMetError);
          return t;
        });
      }
      let metas: Slots<Meta>;
      try {
        metas = def.infer(ins, op.attrs);
      } catch (e) {
        // operators whose outputs the program declares (py_func, custom ops) run with those
        const declared: Slots<Meta> = {};
        for (const [slot, names] of Object.entries(op.outputs)) declared[slot] = names.map((n) => block._find_var_recursive(n)).filter((v): v is Variable => !!v);
        if (!Object.values(declared).some((l) => l.length)) throw e;
        metas = declared;
      }
      // dispensable outputs the program does not list are not computed (Paddle's kernels skip them)
      if (def.outputs.some((s) => s.dispensable && !op.outputs[s.name]?.length))
        metas = pruneOutputs(def, metas, Object.keys(op.outputs).filter((k) => op.outputs[k].length));
      const outs = runOp(def, ins, op.attrs, metas); // shares LoD as the operator says (core/lod.ts)
      for (const [slot, names] of Object.entries(op.outputs)) {
        const vals = outs[slot] ?? [];
        names.forEach((n, i) => {
          const val = vals[i];
          if (val) writeVar(block, scope, persistScope, n, val);
        });
      }
    }
  }
}

const runParams = [
  p('program', T.nullable(T.any), null),
  // a dict name -> value; a one-element list of such a dict (what DataLoader gives per place) is unwrapped
  p('feed', T.nullable(T.union(T.dict, T.any)), null),
  p('fetch_list', T.nullable(T.any), null),
  p('feed_var_name', T.str, 'feed'),
  p('fetch_var_name', T.str, 'fetch'),
  p('scope', T.nullable(T.any), null),
  p('return_numpy', T.bool, true),
  p('use_program_cache', T.bool, false),
  p('return_merged', T.bool, true),
  p('use_prune', T.bool, false),
] as const;

const parseRun = defineApi('Executor.run', runParams, (a) => a);

function runImpl(exe: Executor, ...args: unknown[]): Tensor[] {
  const a = (parseRun as unknown as (...x: unknown[]) => ReturnType<typeof parseRun>)(...args);
  let program = (a.program ?? default_main_program()) as Program | { _program?: Program };
  if (!(program instanceof Program)) {
    const inner = (program as { _program?: Program })._program;
    if (!(inner instanceof Program)) fail('Executor.run', `argument 'program' expected a Program or CompiledProgram, but got ${describe(program)}`, InvalidArgumentError);
    program = inner;
  }
  const prog = program as Program;
  const scope = (a.scope as Scope | null) ?? globalScope;
  // A learning-rate scheduler set by optimizer.minimize writes its current value first (as Paddle's Executor).
  const sched = (prog as Program & { lr_sheduler?: { (): number; _var_name: string | null } }).lr_sheduler;
  if (sched?._var_name) {
    const v = prog.global_block()._find_var_recursive(sched._var_name);
    scope.set(sched._var_name, Tensor.full([1], v?.dtype ?? 'float32', sched()));
  }
  const local = scope.new_scope();
  const block = prog.global_block();
  let feed = a.feed as Record<string, unknown> | Record<string, unknown>[] | null;
  if (Array.isArray(feed)) {
    if (feed.length !== 1 || typeof feed[0] !== 'object' || feed[0] === null) fail('Executor.run', `argument 'feed' expected a dict (or a list holding one dict per place; there is one CPU place), but got ${describe(feed)}`);
    feed = feed[0];
  } else if (feed !== null && (typeof feed !== 'object')) fail('Executor.run', `argument 'feed' expected a dict, but got ${describe(feed)}`);
  for (const [name, value] of Object.entries(feed ?? {})) {
    const v = block._find_var_recursive(name) ?? undefined;
    if (!v) fail('Executor.run', `feed has '${name}', which is not a variable of the program`, NotFoundError);
    local.set(name, feedValue(v, name, value));
  }
  const fetches = a.fetch_list === null ? [] : Array.isArray(a.fetch_list) ? a.fetch_list : [a.fetch_list];
  const names = fetches.map((f) => {
    if (typeof f === 'string') return f;
    if (f instanceof Variable) return f.name;
    return fail('Executor.run', `fetch_list must hold Variables or variable names, but got ${describe(f)}`);
  });
  // Operators compute eagerly while the program runs (py_func callables use the dygraph API).
  const prevStatic = state.staticMode;
  state.staticMode = false;
  try {
    withoutGrad(() => exe.runBlock(block, local, scope));
  } finally {
    state.staticMode = prevStatic;
  }
  const wrap = !a.return_numpy && fetchHooks.wrap ? fetchHooks.wrap : null;
  return names.map((n) => {
    const t = local.find_var(n);
    if (t === undefined) fail('Executor.run', `cannot fetch '${n}': no operator of the program computed it and it was not fed`, NotFoundError);
    return wrap && t instanceof Tensor ? wrap(t) : (t as Tensor);
  });
}
