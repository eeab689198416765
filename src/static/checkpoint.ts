// Static-mode checkpoints as Paddle 2.0 writes them: paddle.static.save writes
// `<prefix>.pdparams` (parameters), `<prefix>.pdopt` (other persistables, e.g. optimizer
// accumulators) as pickled dicts of arrays, and `<prefix>.pdmodel` (the whole program);
// static.load, load_program_state and set_program_state read them back.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { convertStorage } from '../core/dtype.js';
import { describe, fail, NotFoundError, InvalidArgumentError } from '../core/errors.js';
import { showShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { dumpsPaddle, loadsPaddle } from '../framework/io.js';
import { concatChunks, type WriteProtocol } from '../framework/pickle.js';
import { Executor, global_scope, Scope } from './executor.js';
import { Parameter, Program, Variable } from './framework.js';
import { encodeProgram } from './serialize.js';
import { readTensor, Reader } from './tensor_stream.js';

const SKIP = new Set(['FEED_MINIBATCH', 'FETCH_LIST', 'READER', 'RAW', 'STEP_SCOPES', 'LOD_TENSOR_ARRAY']);

function persistableVars(program: Program): Variable[] {
  return program.list_vars().filter((v) => v.persistable && !SKIP.has(v.type));
}

function valueOf(v: Variable, scope: Scope, api: string): Tensor {
  const t = scope.find_var(v.name);
  if (!(t instanceof Tensor)) fail(api, `variable '${v.name}' has no value in the scope: run the startup program (and training) first`, NotFoundError);
  return t;
}

function writeFile(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/**
 * Saves a program's state: parameters to `<model_path>.pdparams`, the other persistable
 * variables (optimizer state) to `<model_path>.pdopt`, the program to `<model_path>.pdmodel`.
 * @param program the Program
 * @param model_path a path prefix
 * @param protocol pickle protocol 2 (default), 3 or 4 (`pickle_protocol` in 2.0.1)
 * @example paddle.static.save(prog, './ckpt/model')
 */
export function save(program: Program, model_path: string, protocol: number | { protocol?: number; pickle_protocol?: number } = 2): void {
  const api = 'paddle.static.save';
  if (!(program instanceof Program)) fail(api, `argument 'program' expected a Program, but got ${describe(program)}`);
  if (typeof model_path !== 'string' || model_path === '' || model_path.endsWith('/')) fail(api, `argument 'model_path' must be a path prefix like 'dir/model', but got ${describe(model_path)}`);
  const proto = typeof protocol === 'number' ? protocol : protocol.pickle_protocol ?? protocol.protocol ?? 2;
  if (![2, 3, 4].includes(proto)) fail(api, `argument 'protocol' must be 2, 3 or 4, but got ${proto}`);
  const scope = global_scope();
  const params: Record<string, Tensor> = {};
  const opt: Record<string, Tensor> = {};
  for (const v of persistableVars(program)) {
    const t = valueOf(v, scope, api);
    (v instanceof Parameter ? params : opt)[v.name] = t;
  }
  writeFile(model_path + '.pdparams', concatChunks(dumpsPaddle(params, proto as WriteProtocol, api, { stateDict: false })));
  writeFile(model_path + '.pdopt', concatChunks(dumpsPaddle(opt, proto as WriteProtocol, api, { stateDict: false })));
  writeFile(model_path + '.pdmodel', encodeProgram(program));
}

function readPickledDict(path: string, api: string): Record<string, Tensor> {
  const d = loadsPaddle(new Uint8Array(readFileSync(path)), api, path);
  if (!d || typeof d !== 'object' || Array.isArray(d)) fail(api, `${path} does not hold a dict of arrays`, InvalidArgumentError);
  return d as Record<string, Tensor>;
}

/**
 * The state saved by static.save (`.pdparams` + `.pdopt`), or a directory of per-variable
 * files (Paddle 1.x save_persistables; `var_list` names them), as name -> Tensor.
 * @example const state = paddle.static.load_program_state('./ckpt/model')
 */
export function load_program_state(model_path: string, var_list: (Variable | string)[] | null = null): Record<string, Tensor> {
  const api = 'paddle.static.load_program_state';
  if (typeof model_path !== 'string') fail(api, `argument 'model_path' expected a string, but got ${describe(model_path)}`);
  if (existsSync(model_path) && statSync(model_path).isDirectory()) {
    const names = var_list ? var_list.map((v) => (typeof v === 'string' ? v : v.name)) : readdirSync(model_path).filter((f) => !f.startsWith('__') && statSync(join(model_path, f)).isFile());
    const out: Record<string, Tensor> = {};
    for (const n of names) {
      const file = join(model_path, n);
      if (!existsSync(file)) fail(api, `variable file '${file}' does not exist`, NotFoundError);
      out[n] = readTensor(new Reader(new Uint8Array(readFileSync(file)), file));
    }
    return out;
  }
  const prefix = model_path.replace(/\.(pdparams|pdopt|pdmodel)$/, '');
  const pp = prefix + '.pdparams';
  if (!existsSync(pp)) fail(api, `parameter file '${pp}' does not exist`, NotFoundError);
  const state = readPickledDict(pp, api);
  const po = prefix + '.pdopt';
  if (existsSync(po)) Object.assign(state, readPickledDict(po, api));
  return state;
}

/**
 * Sets the program's persistable variables in the global scope from `state_dict`
 * (name -> Tensor); returns the names it did not use (Paddle warns about them).
 */
export function set_program_state(program: Program, state_dict: Record<string, Tensor>): string[] {
  const api = 'paddle.static.set_program_state';
  if (!(program instanceof Program)) fail(api, `argument 'program' expected a Program, but got ${describe(program)}`);
  const unused = applyState(program, state_dict, api);
  if (unused.length) console.warn(`paddle.static.set_program_state: these variables are not used by the program: ${unused.join(', ')}`);
  return unused;
}

/** Writes the state's values for the program's persistables into the global scope; returns unused names. */
function applyState(program: Program, state_dict: Record<string, Tensor>, api: string): string[] {
  const scope = global_scope();
  const used = new Set<string>();
  for (const v of persistableVars(program)) {
    const t = state_dict[v.name];
    if (t === undefined) continue;
    if (!(t instanceof Tensor)) fail(api, `state_dict['${v.name}'] expected a Tensor, but got ${describe(t)}`);
    const ok = t.dims.length === v.dims.length && v.dims.every((d, i) => d < 0 || d === t.dims[i]);
    if (!ok) fail(api, `variable '${v.name}' has shape ${showShape(v.dims)}, but the state holds shape ${showShape(t.dims)}`);
    const val = t.dtype === v.dtype ? t : new Tensor(convertStorage(t.data, t.dtype, v.dtype), t.dims.slice(), v.dtype);
    scope.set(v.name, val);
    used.add(v.name);
  }
  return Object.keys(state_dict).filter((k) => !used.has(k));
}

/**
 * Loads what static.save wrote into the global scope for `program`'s persistable variables
 * (optimizer state too when `.pdopt` exists); `var_list` limits it.
 * @example paddle.static.load(prog, './ckpt/model', exe)
 */
export function load(program: Program, model_path: string, executor: Executor | null = null, var_list: (Variable | string)[] | null = null): void {
  const api = 'paddle.static.load';
  if (!(program instanceof Program)) fail(api, `argument 'program' expected a Program, but got ${describe(program)}`);
  if (executor !== null && !(executor instanceof Executor)) fail(api, `argument 'executor' expected an Executor, but got ${describe(executor)}`);
  const state = load_program_state(model_path);
  const wanted = var_list ? new Set(var_list.map((v) => (typeof v === 'string' ? v : v.name))) : null;
  for (const v of persistableVars(program)) {
    if (wanted && !wanted.has(v.name)) continue;
    if (!(v.name in state)) {
      if (v instanceof Parameter) fail(api, `parameter '${v.name}' is not in ${model_path}.pdparams`, NotFoundError);
      continue;
    }
  }
  applyState(program, wanted ? Object.fromEntries(Object.entries(state).filter(([k]) => wanted.has(k))) : state, api);
}
