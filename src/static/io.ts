// Inference models and program files in Paddle's formats: serialize/deserialize programs and
// persistables, save/load_inference_model (`.pdmodel` + `.pdiparams`, and Paddle 1.x
// directories with `__model__` and per-variable or combined parameter files).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fail, InvalidArgumentError, NotFoundError, describe } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { Executor, executorOps, global_scope, Scope } from './executor.js';
import { Block, Operator, Program, Variable } from './framework.js';
import { default_main_program } from './mode.js';
import { decodeProgram, encodeProgram } from './serialize.js';
import { concatBytes, readTensor, Reader, writeTensor } from './tensor_stream.js';

// feed and fetch operators move values between the executor's feed/fetch lists and variables;
// paddle-ts feeds and fetches by name, so they only check.
executorOps.set('feed', (op, ctx) => {
  const name = op.output('Out')[0];
  if (ctx.scope.find_var(name) === undefined)
    fail('Executor.run', `the program reads input '${name}' (feed column ${String(op.attrs.col)}), but feed has no value for it`, NotFoundError);
});
executorOps.set('fetch', () => {});

const asList = <V>(v: V | V[]): V[] => (Array.isArray(v) ? v : [v]);

/** Variables the targets depend on, and the operators that compute them, in order. */
function prune(block: Block, targets: string[]): { ops: number[]; vars: Set<string> } {
  const need = new Set(targets);
  const keep: number[] = [];
  for (let i = block.ops.length - 1; i >= 0; i--) {
    const op = block.ops[i];
    if (op.type === 'feed' || op.type === 'fetch') continue;
    if (op.output_arg_names.some((n) => need.has(n))) {
      keep.push(i);
      for (const n of op.input_arg_names) need.add(n);
    }
  }
  return { ops: keep.reverse(), vars: need };
}

/**
 * The inference program for feeds -> fetches: pruned to what the fetches need, switched to
 * inference (is_test), with Paddle's feed and fetch operators.
 */
export function inferenceProgram(feed_vars: Variable[], fetch_vars: Variable[], program: Program = default_main_program()): Program {
  const src = program.clone(true);
  const block = src.global_block();
  const { ops, vars } = prune(block, fetch_vars.map((v) => v.name));
  const out = new Program();
  const ob = out.global_block();
  ob.create_var({ name: 'feed', type: 'FEED_MINIBATCH', persistable: true });
  ob.create_var({ name: 'fetch', type: 'FETCH_LIST', persistable: true });
  for (const n of vars) {
    const v = block._find_var_recursive(n);
    if (!v) continue;
    const nv = ob.create_var({ name: v.name, shape: v.dims, dtype: v.dtype, lod_level: v.lod_level, persistable: v.persistable, stop_gradient: v.stop_gradient, type: v.type, need_check_feed: feed_vars.some((f) => f.name === n) });
    nv.is_data = nv.need_check_feed;
  }
  feed_vars.forEach((f, col) => {
    if (!ob.has_var(f.name)) ob.create_var({ name: f.name, shape: f.dims, dtype: f.dtype, lod_level: f.lod_level, need_check_feed: true, is_data: true });
    ob.append_op({ type: 'feed', inputs: { X: ['feed'] }, outputs: { Out: [f.name] }, attrs: { col } });
  });
  // feed ops go first, in column order
  for (const i of ops) {
    const op = block.ops[i];
    ob.append_op({ type: op.type, inputs: op.inputs, outputs: op.outputs, attrs: op.attrs });
  }
  fetch_vars.forEach((f, col) => ob.append_op({ type: 'fetch', inputs: { X: [f.name] }, outputs: { Out: ['fetch'] }, attrs: { col } }));
  copySubBlocks(src, out);
  return out;
}

/**
 * Moves the sub-blocks of `src` (control flow) into `out`, which holds src's pruned global
 * block: same indices, and block attributes pointing at out's blocks.
 */
function copySubBlocks(src: Program, out: Program): void {
  if (src.blocks.length < 2) return;
  const ob = out.global_block();
  for (const b of src.blocks.slice(1)) {
    const nb = new Block(out, b.idx, b.parent_idx);
    nb.forward_block_idx = b.forward_block_idx;
    for (const v of b.vars.values())
      nb.create_var({ name: v.name, shape: v.dims, dtype: v.dtype, lod_level: v.lod_level, persistable: v.persistable, stop_gradient: v.stop_gradient, type: v.type });
    out.blocks.push(nb);
  }
  src.blocks.slice(1).forEach((b, k) => {
    const nb = out.blocks[k + 1];
    for (const op of b.ops) nb.ops.push(new Operator(nb, op.type, op.inputs, op.outputs, op.attrs));
  });
  // outputs of the kept operators (e.g. step scopes) are declared in the global block
  const declare = (n: string): void => {
    if (!ob._find_var_recursive(n)) {
      const v = src.global_block()._find_var_recursive(n);
      if (v) ob.create_var({ name: v.name, shape: v.dims, dtype: v.dtype, lod_level: v.lod_level, type: v.type, persistable: v.persistable, stop_gradient: v.stop_gradient });
    }
  };
  for (const op of ob.ops) for (const n of op.output_arg_names) declare(n);
  for (const b of out.blocks)
    for (const op of b.ops)
      for (const [k, v] of Object.entries(op.attrs)) if (v instanceof Block && v.program === src) op.attrs[k] = out.blocks[v.idx];
}

/** Persistable LoD tensors of a program (parameters, statistics), sorted by name as Paddle writes them. */
function persistables(program: Program): Variable[] {
  return program
    .list_vars()
    .filter((v) => v.persistable && v.type === 'LOD_TENSOR' && v.name !== 'feed' && v.name !== 'fetch')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function checkVars(api: string, arg: string, v: unknown): Variable[] {
  const list = asList(v as Variable | Variable[]);
  if (!list.length || !list.every((x) => x instanceof Variable)) fail(api, `argument '${arg}' expected a Variable or a list of Variables, but got ${describe(v)}`);
  return list;
}

/**
 * The inference program for feeds -> fetches as ProgramDesc bytes.
 * @example const bytes = paddle.static.serialize_program([x], [y])
 */
export function serialize_program(feed_vars: Tensor | Tensor[], fetch_vars: Tensor | Tensor[], kwargs: { program?: Program } = {}): Uint8Array {
  const f = checkVars('paddle.static.serialize_program', 'feed_vars', feed_vars);
  const t = checkVars('paddle.static.serialize_program', 'fetch_vars', fetch_vars);
  return encodeProgram(inferenceProgram(f, t, kwargs.program));
}

/** The persistable values the inference program needs, as one tensor stream (the `.pdiparams` bytes). */
export function serialize_persistables(feed_vars: Tensor | Tensor[], fetch_vars: Tensor | Tensor[], executor: Executor, kwargs: { program?: Program; scope?: Scope } = {}): Uint8Array {
  const api = 'paddle.static.serialize_persistables';
  const f = checkVars(api, 'feed_vars', feed_vars);
  const t = checkVars(api, 'fetch_vars', fetch_vars);
  if (!(executor instanceof Executor)) fail(api, `argument 'executor' expected an Executor, but got ${describe(executor)}`);
  const prog = inferenceProgram(f, t, kwargs.program);
  return persistablesBytes(prog, kwargs.scope ?? global_scope(), api);
}

function persistablesBytes(prog: Program, scope: Scope, api: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const v of persistables(prog)) {
    const val = scope.find_var(v.name);
    if (!(val instanceof Tensor)) fail(api, `persistable variable '${v.name}' has no value in the scope: run the startup program first`, NotFoundError);
    writeTensor(val, chunks);
  }
  return concatBytes(chunks);
}

/** A Program from ProgramDesc bytes. */
export function deserialize_program(data: Uint8Array): Program {
  if (!(data instanceof Uint8Array)) fail('paddle.static.deserialize_program', `argument 'data' expected bytes (Uint8Array), but got ${describe(data)}`);
  return decodeProgram(data, 'the program bytes');
}

/** Loads the persistables of `program` from tensor-stream bytes into the scope. */
export function deserialize_persistables(program: Program, data: Uint8Array, executor: Executor, kwargs: { scope?: Scope } = {}): void {
  const api = 'paddle.static.deserialize_persistables';
  if (!(program instanceof Program)) fail(api, `argument 'program' expected a Program, but got ${describe(program)}`);
  if (!(executor instanceof Executor)) fail(api, `argument 'executor' expected an Executor, but got ${describe(executor)}`);
  loadCombined(program, data, kwargs.scope ?? global_scope(), 'the persistables bytes');
}

function loadCombined(program: Program, data: Uint8Array, scope: Scope, what: string): void {
  const r = new Reader(data, what);
  for (const v of persistables(program)) {
    if (r.done) fail('paddle.static.load_inference_model', `${what} ends before variable '${v.name}': it does not match the program`, InvalidArgumentError);
    const t = readTensor(r);
    checkLoaded(v, t, what);
    scope.set(v.name, t);
  }
  if (!r.done) fail('paddle.static.load_inference_model', `${what} has ${data.length - r.pos} bytes left after the program's variables: it does not match the program`, InvalidArgumentError);
}

function checkLoaded(v: Variable, t: Tensor, what: string): void {
  const ok = t.dims.length === v.dims.length && v.dims.every((d, i) => d < 0 || d === t.dims[i]);
  if (!ok || t.dtype !== v.dtype)
    fail('paddle.static.load_inference_model', `${what}: variable '${v.name}' is declared ${v.dtype} [${v.dims}] but the file holds ${t.dtype} [${t.dims}]`, InvalidArgumentError);
}

/** Writes bytes to a file, creating its directory. */
export function save_to_file(path: string, content: Uint8Array): void {
  if (typeof path !== 'string') fail('paddle.static.save_to_file', `argument 'path' expected a string, but got ${describe(path)}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
/** Reads a file's bytes. */
export function load_from_file(path: string): Uint8Array {
  if (!existsSync(path)) fail('paddle.static.load_from_file', `file '${path}' does not exist`, NotFoundError);
  return new Uint8Array(readFileSync(path));
}

/**
 * Saves the inference model for feeds -> fetches as `<path_prefix>.pdmodel` and
 * `<path_prefix>.pdiparams`, as Paddle 2.0 does.
 * @example paddle.static.save_inference_model('./infer/model', [x], [y], exe)
 */
export function save_inference_model(path_prefix: string, feed_vars: Tensor | Tensor[], fetch_vars: Tensor | Tensor[], executor: Executor, kwargs: { program?: Program } = {}): void {
  const api = 'paddle.static.save_inference_model';
  if (typeof path_prefix !== 'string' || path_prefix === '' || path_prefix.endsWith('/'))
    fail(api, `argument 'path_prefix' must be a path prefix like 'dir/model', but got ${describe(path_prefix)}`);
  const f = checkVars(api, 'feed_vars', feed_vars);
  const t = checkVars(api, 'fetch_vars', fetch_vars);
  if (!(executor instanceof Executor)) fail(api, `argument 'executor' expected an Executor, but got ${describe(executor)}`);
  const prog = inferenceProgram(f, t, kwargs.program);
  save_to_file(path_prefix + '.pdmodel', encodeProgram(prog));
  save_to_file(path_prefix + '.pdiparams', persistablesBytes(prog, global_scope(), api));
}

/**
 * Loads an inference model: `<path_prefix>.pdmodel` + `.pdiparams` (Paddle 2.x), or a
 * directory with `__model__` and per-variable files or a combined params file (Paddle 1.x;
 * `model_filename`/`params_filename` name them). Parameters go into the global scope. Returns
 * `[program, feed_target_names, fetch_targets]`.
 * @example const [prog, feeds, fetches] = paddle.static.load_inference_model('./infer/model', exe)
 */
export function load_inference_model(
  path_prefix: string,
  executor: Executor,
  kwargs: { model_filename?: string; params_filename?: string; scope?: Scope } = {},
): [Program, string[], Variable[]] {
  const api = 'paddle.static.load_inference_model';
  if (typeof path_prefix !== 'string') fail(api, `argument 'path_prefix' expected a string, but got ${describe(path_prefix)}`);
  if (!(executor instanceof Executor)) fail(api, `argument 'executor' expected an Executor, but got ${describe(executor)}`);
  const scope = kwargs.scope ?? global_scope();
  let modelPath: string;
  let paramsPath: string | null;
  const isDir = existsSync(path_prefix) && statSync(path_prefix).isDirectory();
  if (isDir) {
    modelPath = join(path_prefix, kwargs.model_filename ?? '__model__');
    paramsPath = kwargs.params_filename ? join(path_prefix, kwargs.params_filename) : null;
  } else {
    modelPath = kwargs.model_filename ?? path_prefix + '.pdmodel';
    paramsPath = kwargs.params_filename ?? path_prefix + '.pdiparams';
  }
  if (!existsSync(modelPath)) fail(api, `model file '${modelPath}' does not exist`, NotFoundError);
  const program = decodeProgram(new Uint8Array(readFileSync(modelPath)), modelPath);
  if (paramsPath) {
    if (!existsSync(paramsPath)) fail(api, `parameters file '${paramsPath}' does not exist`, NotFoundError);
    loadCombined(program, new Uint8Array(readFileSync(paramsPath)), scope, paramsPath);
  } else {
    for (const v of persistables(program)) {
      const file = join(path_prefix, v.name);
      if (!existsSync(file)) fail(api, `parameter file '${file}' for variable '${v.name}' does not exist`, NotFoundError);
      const r = new Reader(new Uint8Array(readFileSync(file)), file);
      const t = readTensor(r);
      checkLoaded(v, t, file);
      scope.set(v.name, t);
    }
  }
  const block = program.global_block();
  const feeds = block.ops.filter((o) => o.type === 'feed').sort((a, b) => Number(a.attrs.col) - Number(b.attrs.col)).map((o) => o.output('Out')[0]);
  const fetches = block.ops.filter((o) => o.type === 'fetch').sort((a, b) => Number(a.attrs.col) - Number(b.attrs.col)).map((o) => block.var(o.input('X')[0]));
  for (const n of feeds) {
    const v = block.var(n);
    v.is_data = true;
  }
  return [program, feeds, fetches];
}
