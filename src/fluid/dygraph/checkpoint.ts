// fluid.dygraph.save_dygraph / load_dygraph (python/paddle/fluid/dygraph/checkpoint.py at 2.0):
// a state dict pickled (protocol 2) with its 'StructuredToParameterName@@' name table, to
// `<model_path>.pdparams` when it holds parameters, else `<model_path>.pdopt`; loading returns
// [params, optimizer state] read from both files (Tensors for arrays, as paddle.load).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { isPlainObject } from '../../core/args.js';
import { describe, fail, NotFoundError, PreconditionNotMetError, UnimplementedError } from '../../core/errors.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { dumpsPaddle, loadsPaddle } from '../../framework/io.js';
import { parameterClasses } from '../../nn/layer.js';

const NAME_TABLE = 'StructuredToParameterName@@';

/**
 * Saves a state dict (a Layer's or an optimizer's) to `model_path` + '.pdparams' (it holds
 * parameters) or '.pdopt' (it does not), as Paddle's save_dygraph; readable by Paddle.
 * @param state_dict `layer.state_dict()` or `opt.state_dict()`
 * @param model_path 'dirname/filename' without suffix (the directory is created)
 * @example fluid.dygraph.save_dygraph(net.state_dict(), 'ckpt/model')   // writes ckpt/model.pdparams
 */
export function save_dygraph(state_dict: Record<string, unknown>, model_path: string): void {
  const api = 'paddle.fluid.dygraph.save_dygraph';
  if (isPlainObject(state_dict) && Object.keys(state_dict).length <= 2 && 'state_dict' in state_dict && 'model_path' in state_dict)
    return save_dygraph(state_dict.state_dict as Record<string, unknown>, state_dict.model_path as string);
  if (state.staticMode) fail(api, "We only support 'save_dygraph()' in dynamic graph mode, please call 'paddle.disable_static()' to enter dynamic graph mode.", PreconditionNotMetError);
  if (!isPlainObject(state_dict)) fail(api, `argument 'state_dict' expected a dict, but got ${describe(state_dict)}`);
  if (typeof model_path !== 'string') fail(api, `argument 'model_path' expected a string, but got ${describe(model_path)}`);
  if (nodePath.basename(model_path) === '' || /[\\/]$/.test(model_path))
    fail(api, `The input model_path MUST be format of dirname/filename [dirname\\filename in Windows system], but received filename is empty string.`);
  const entries = Object.entries(state_dict);
  if (entries.length === 0) fail(api, 'state_dict is empty, no need to save');
  const isParam = (v: unknown): boolean => parameterClasses.some((c) => v instanceof c);
  const suffix = entries.some(([, v]) => isParam(v)) ? '.pdparams' : '.pdopt';
  const model: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  for (const [k, v] of entries) {
    model[k] = v;
    if (v instanceof Tensor) names[k] = v.name;
  }
  model[NAME_TABLE] = names;
  const chunks = dumpsPaddle(model, 2, api, { stateDict: false });
  const file = model_path + suffix;
  const dir = nodePath.dirname(file);
  if (dir && !fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))));
}

/**
 * Loads what save_dygraph saved: `[params, opt]`, dicts of Tensors read from
 * `model_path.pdparams` and `model_path.pdopt` (a suffix on model_path is dropped); opt is
 * null when there is no .pdopt file, params {} when there is no .pdparams.
 * @param model_path the path given to save_dygraph
 * @param configs `{ keep_name_table }`: keep the 'StructuredToParameterName@@' entry
 * @example const [params, opt] = fluid.dygraph.load_dygraph('ckpt/model'); net.set_state_dict(params)
 */
export function load_dygraph(model_path: string, configs: { keep_name_table?: boolean } = {}): [Record<string, unknown>, Record<string, unknown> | null] {
  const api = 'paddle.fluid.dygraph.load_dygraph';
  if (isPlainObject(model_path) && 'model_path' in (model_path as object)) {
    const kw = model_path as unknown as { model_path: string; keep_name_table?: boolean };
    return load_dygraph(kw.model_path, { keep_name_table: kw.keep_name_table });
  }
  if (typeof model_path !== 'string') fail(api, `argument 'model_path' expected a string, but got ${describe(model_path)}`);
  for (const k of Object.keys(configs ?? {})) if (k !== 'keep_name_table') fail(api, `The additional config (${k}) of \`paddle.fluid.load_dygraph\` is not supported.`);
  let prefix = model_path;
  if (prefix.endsWith('.pdparams')) prefix = prefix.slice(0, -'.pdparams'.length);
  else if (prefix.endsWith('.pdopt')) prefix = prefix.slice(0, -'.pdopt'.length);
  const paramsFile = prefix + '.pdparams';
  const optFile = prefix + '.pdopt';
  const keep = !!configs?.keep_name_table;
  const read = (file: string, keepTable: boolean): Record<string, unknown> => {
    const out = loadsPaddle(new Uint8Array(fs.readFileSync(file)), api, `'${file}'`, { keepNameTable: true });
    if (!isPlainObject(out)) return fail(api, `'${file}' does not hold a dict (a state dict saved by save_dygraph)`);
    if (!keepTable) delete (out as Record<string, unknown>)[NAME_TABLE];
    return out as Record<string, unknown>;
  };
  if (fs.existsSync(paramsFile) || fs.existsSync(optFile)) {
    const params = fs.existsSync(paramsFile) ? read(paramsFile, keep) : {};
    const opt = fs.existsSync(optFile) ? read(optFile, true) : null;
    return [params, opt];
  }
  if (fs.existsSync(prefix + '.pdmodel') || (fs.existsSync(prefix) && fs.statSync(prefix).isDirectory()))
    fail(api, `'${prefix}' is a paddle.jit.save / save_inference_model model, which load_dygraph does not read here; use paddle.jit.load or paddle.static.load_inference_model`, UnimplementedError);
  return fail(api, `Model saved directory '${prefix}' is not exists: neither ${paramsFile} nor ${optFile} exists.`, NotFoundError);
}
