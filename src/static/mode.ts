// Static mode: the default main/startup programs, program_guard, enable_static, and the hook
// through which dispatch appends operators to the current block instead of running them.
import { apiName } from '../core/args.js';
import { pruneOutputs, staticHooks } from '../core/dispatch.js';
import { isComplex, isFloating } from '../core/dtype.js';
import { fail } from '../core/errors.js';
import { outputLodLevel } from '../core/lod.js';
import { Attrs, OpDef, Slots } from '../core/registry.js';
import { numel } from '../core/shape.js';
import { state, withContext } from '../core/state.js';
import { Tensor, tensorRuntime } from '../core/tensor.js';
import { Block, OpRole, Program, Variable } from './framework.js';
import { generate } from './unique_name.js';

let mainProgram = new Program();
let startupProgram = new Program();
/** The role and name scope recorded on appended operators. */
export const appendState = { role: OpRole.Forward as number, nameScope: [] as string[], device: '' };

/** The program static-mode calls append to. */
export function default_main_program(): Program {
  return mainProgram;
}
/** The program that initializes parameters. */
export function default_startup_program(): Program {
  return startupProgram;
}

/**
 * Runs `fn` with `main_program` (and `startup_program`) as the defaults, like Python's `with
 * paddle.static.program_guard(main, startup):`.
 * @example paddle.static.program_guard(main, startup, () => { const x = paddle.static.data('x', [-1, 4]); })
 */
export function program_guard<R>(main_program: Program, startup_program: Program | null | (() => R), fn?: () => R): R {
  if (typeof startup_program === 'function') {
    fn = startup_program;
    startup_program = null;
  }
  if (!(main_program instanceof Program)) fail('paddle.static.program_guard', "argument 'main_program' expected a Program");
  if (startup_program !== null && !(startup_program instanceof Program)) fail('paddle.static.program_guard', "argument 'startup_program' expected a Program or None");
  if (typeof fn !== 'function') fail('paddle.static.program_guard', 'expected a function to run inside the guard');
  const startup = startup_program as Program | null;
  return withContext(
    () => {
      const prev = [mainProgram, startupProgram] as const;
      mainProgram = main_program;
      if (startup) startupProgram = startup;
      return prev;
    },
    ([m, s]) => {
      mainProgram = m;
      startupProgram = s;
    },
    fn,
  );
}

/** Runs fn with operators recorded under a name scope (`op_namescope`). */
export function name_scope<R>(prefix: string | null, fn: () => R): R {
  return withContext(
    () => appendState.nameScope.push(prefix ?? 'name_scope'),
    () => void appendState.nameScope.pop(),
    fn,
  );
}
/** Runs fn with operators placed on a device ('cpu'; a GPU is accepted only as a record). */
export function device_guard<R>(device: string | null, fn: () => R): R {
  return withContext(
    () => {
      const prev = appendState.device;
      appendState.device = device ?? '';
      return prev;
    },
    (prev) => void (appendState.device = prev),
    fn,
  );
}
/** Runs fn with appended operators marked with an op role (backward, optimize...). */
export function withRole<R>(role: number, fn: () => R): R {
  const prev = appendState.role;
  appendState.role = role;
  try {
    return fn();
  } finally {
    appendState.role = prev;
  }
}

/** paddle.enable_static(): the API builds programs from now on. */
export function enable_static(): void {
  state.staticMode = true;
}
/** paddle.disable_static(): back to dygraph (the default). */
export function disable_static(_place?: unknown): void {
  state.staticMode = false;
}

/** A constant tensor used in static mode becomes a variable filled by an operator. */
function constantVar(block: Block, t: Tensor): Variable {
  const v = block.create_var({ name: generate('constant') + '.tmp_0', shape: t.dims, dtype: t.dtype, stop_gradient: true });
  const n = numel(t.dims);
  if (n === 1 && t.dtype !== 'int64') {
    block.append_op({ type: 'fill_constant', outputs: { Out: [v] }, attrs: { shape: t.dims, dtype: t.dtype, value: Number(t.flatValues()[0]) } });
  } else {
    const vals = t.flatValues();
    const key = t.dtype === 'bool' ? 'bool_values' : t.dtype === 'int32' ? 'int32_values' : t.dtype === 'int64' ? 'int64_values' : 'fp32_values';
    block.append_op({ type: 'assign_value', outputs: { Out: [v] }, attrs: { shape: t.dims, dtype: t.dtype, [key]: vals.map((x) => Number(x)) } });
  }
  return v;
}

/**
 * While tracing a dygraph Layer into a program (paddle.jit), its persistable tensors
 * (parameters, buffers) become persistable variables of the same name, and their values are
 * kept here to be saved with the program.
 */
export const capture: { values: Map<string, Tensor> | null } = { values: null };

function capturedVar(block: Block, t: Tensor): Variable | null {
  if (!capture.values || !t.persistable) return null;
  const g = block.program.global_block();
  const existing = g._find_var_recursive(t.name);
  if (existing) return existing;
  capture.values.set(t.name, t);
  return g.create_var({ name: t.name, shape: t.dims, dtype: t.dtype, persistable: true, stop_gradient: t.stop_gradient });
}

/** Appends `def` to the current block of the main program; returns the output Variables. */
export function appendToProgram(def: OpDef, ins: Slots<Tensor>, attrs: Attrs, only?: readonly string[]): Slots<Tensor> {
  const block = mainProgram.current_block();
  const inputs: Record<string, Variable[]> = {};
  for (const s of def.inputs) {
    const arr = ins[s.name];
    if (!arr || arr.length === 0) continue;
    inputs[s.name] = arr.map((t) => {
      return t instanceof Variable ? t : capturedVar(block, t) ?? constantVar(block, t);
    });
  }
  for (const k of Object.keys(ins)) if (!def.inputs.some((s) => s.name === k)) fail(apiName(def.type), `operator ${def.type} has no input slot '${k}'`);
  const metas = pruneOutputs(def, def.infer(inputs, attrs), only);
  const base = generate(def.type);
  let k = 0;
  const outputs: Record<string, Variable[]> = {};
  for (const s of def.outputs) {
    const ms = metas[s.name];
    if (!ms) continue;
    outputs[s.name] = ms.map((m) => {
      const differentiable = (isFloating(m.dtype) || isComplex(m.dtype)) && !def.noGradOutputs?.includes(s.name);
      // As Paddle, intermediate variables do not stop gradients; append_backward follows the data flow.
      return block.create_var({ name: `${base}.tmp_${k++}`, shape: m.dims, dtype: m.dtype, lod_level: outputLodLevel(def, inputs, s.name, m), stop_gradient: !differentiable });
    });
  }
  const opAttrs: Record<string, unknown> = { ...attrs, op_role: appendState.role };
  if (appendState.nameScope.length) opAttrs.op_namescope = '/' + appendState.nameScope.join('/') + '/';
  if (appendState.device) opAttrs.op_device = appendState.device;
  block.append_op({ type: def.type, inputs, outputs, attrs: opAttrs });
  return outputs;
}

staticHooks.append = appendToProgram;
tensorRuntime.defaultBlock = () => mainProgram.global_block();

/** Whether static mode is on (for code that must branch). */
export function inStaticMode(): boolean {
  return state.staticMode;
}
