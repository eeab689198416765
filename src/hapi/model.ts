// paddle.Model (python/paddle/hapi/model.py at 2.0): a network with training, evaluation,
// prediction, checkpointing and summaries. Dygraph runs the network eagerly
// (DynamicGraphAdapter); in static mode (paddle.enable_static() before building the network)
// it builds train / eval / test programs from the InputSpecs and runs them with an Executor
// (StaticGraphAdapter), as Paddle does.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { isPlainObject, makeParser, p, type CallArgs } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType } from '../core/dtype.js';
import { describe, fail, InvalidArgumentError, NotFoundError, PreconditionNotMetError, UnimplementedError } from '../core/errors.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { save as paddleSave, load as paddleLoad } from '../framework/io.js';
import { DataLoader } from '../io/dataloader.js';
import { Dataset, isIterableDataset } from '../io/dataset.js';
import { DistributedBatchSampler } from '../io/sampler.js';
import { save as jitSave } from '../jit/index.js';
import { Metric } from '../metric/metric.js';
import { Layer, warn } from '../nn/layer.js';
import { Executor, global_scope, Scope } from '../static/executor.js';
import { Parameter, Program, Variable } from '../static/framework.js';
import { data as staticData, InputSpec } from '../static/input.js';
import { save_inference_model } from '../static/io.js';
import { default_main_program, default_startup_program, program_guard } from '../static/mode.js';
import { no_grad } from '../tensor/autograd.js';
import { to_tensor } from '../tensor/creation.js';
import { add_n } from '../tensor/misc.js';
import { Callback, CallbackList, config_callbacks, EarlyStopping, localRank, nranks, type Logs } from './callbacks.js';
import { summary } from './summary.js';

const API = 'paddle.Model';
type Mode = 'train' | 'eval' | 'test';
/** What an optimizer must offer to drive a Model. */
interface OptimizerLike {
  minimize(loss: Tensor): unknown;
  state_dict?(): Record<string, unknown>;
  set_state_dict?(sd: Record<string, unknown>): void;
  _learning_rate?: unknown;
}
type LossFn = (...args: Tensor[]) => Tensor | Tensor[];
/** A batch's input / label data: a Tensor, a typed array or nested arrays, or a list of them. */
export type BatchData = Tensor | ArrayBufferView | unknown[] | number;

function toList<X>(v: X | X[] | null | undefined): X[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v.slice() : [v];
}

/** Python's flatten of a nested batch: lists / tuples flattened, dicts by sorted key, leaves kept. */
function flattenBatch(data: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) for (const v of x) walk(v);
    else if (isPlainObject(x)) for (const k of Object.keys(x).sort()) walk(x[k]);
    else out.push(x);
  };
  walk(data);
  return out;
}

/** The first dimension of a batch's first field. */
function batchSizeOf(x: unknown): number {
  if (x instanceof Tensor) return x.dims[0] ?? 1;
  if (Array.isArray(x)) return x.length;
  if (ArrayBuffer.isView(x)) return (x as unknown as { length: number }).length;
  return 1;
}

/**
 * A batch field as a Tensor (what to_variable does for numpy arrays); array data takes the
 * InputSpec's dtype when there is one (JS cannot tell 1.0 from 1).
 */
function asTensor(x: unknown, api: string, what: string, dtype: DType | null = null): Tensor {
  if (x instanceof Tensor) return x;
  if (x === null || x === undefined) fail(api, `${what} is None`);
  try {
    return dtype ? to_tensor(x as number[], dtype) : to_tensor(x as number[]);
  } catch (e) {
    return fail(api, `${what} expected a Tensor or array data, but got ${describe(x)} (${(e as Error).message})`);
  }
}

/** The first element of a loss value (Tensor or number) as a number. */
function firstValue(v: unknown): number {
  if (v instanceof Tensor) {
    const d = v.numpy() as ArrayLike<number | bigint>;
    return Number(d[0]);
  }
  if (Array.isArray(v)) return firstValue(v[0]);
  return Number(v);
}

/** The parameter names of a function (Python's inspect.getfullargspec(...).args, without self). */
export function forwardArgNames(fn: unknown): string[] {
  if (typeof fn !== 'function') return [];
  const src = Function.prototype.toString.call(fn);
  const open = src.indexOf('(');
  if (open < 0) return Array.from({ length: (fn as Function).length }, (_, i) => `input_${i}`);
  let depth = 0;
  let end = -1;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        end = i;
        break;
      }
    }
  }
  const names: string[] = [];
  if (end > open) {
    let cur = '';
    depth = 0;
    const parts: string[] = [];
    for (const c of src.slice(open + 1, end)) {
      if (c === '(' || c === '[' || c === '{') depth++;
      if (c === ')' || c === ']' || c === '}') depth--;
      if (c === ',' && depth === 0) {
        parts.push(cur);
        cur = '';
      } else cur += c;
    }
    parts.push(cur);
    for (const raw of parts) {
      const s = raw.replace(/\/\*[\s\S]*?\*\//g, '').trim();
      if (s === '' || s.startsWith('...')) break;
      if (s.includes('=')) break; // parameters with defaults are optional: Python keeps them, but they are rarely data
      const m = /^[A-Za-z_$][\w$]*/.exec(s);
      names.push(m ? m[0] : `input_${names.length}`);
    }
  }
  if (names.length === 0) {
    const n = (fn as Function).length;
    for (let i = 0; i < n; i++) names.push(`input_${i}`);
  }
  return names;
}

type InputInfo = [number[][], DType[]] | null;
function inputInfoOf(inputs: unknown): InputInfo {
  if (inputs instanceof InputSpec) return [[inputs.shape.slice()], [inputs.dtype]];
  if (Array.isArray(inputs) && inputs.every((x) => x instanceof InputSpec || x instanceof Tensor))
    return [inputs.map((x) => (x as InputSpec | Tensor).shape.slice()), inputs.map((x) => (x as InputSpec | Tensor).dtype as DType)];
  if (isPlainObject(inputs)) {
    const vs = Object.values(inputs) as InputSpec[];
    return [vs.map((x) => x.shape.slice()), vs.map((x) => x.dtype)];
  }
  return null;
}

interface Adapter {
  _input_info: InputInfo;
  _merge_count: Record<string, number>;
  train_batch(inputs: unknown, labels: unknown): unknown;
  eval_batch(inputs: unknown, labels: unknown): unknown;
  predict_batch(inputs: unknown): Tensor[];
  parameters(...args: unknown[]): Tensor[];
  save(path: string): void;
  load(pairs: [Tensor, Tensor][], optimState: Record<string, unknown> | null): void;
  prepare(): void;
}

/** Python's fluid.save_dygraph path check. */
function checkSavePath(path: unknown, api: string): string {
  if (typeof path !== 'string') fail(api, `argument 'path' expected a string, but got ${describe(path)}`);
  if (basename(path) === '' || path.endsWith('/'))
    fail(api, `The input path MUST be format of dirname/file_prefix [dirname\\file_prefix in Windows system], but received file_prefix is empty string (path '${path}').`);
  return path;
}

// ---------------------------------------------------------------------------------------
// Dygraph

class DynamicGraphAdapter implements Adapter {
  _input_info: InputInfo = null;
  _merge_count: Record<string, number> = { eval_total: 0, test_total: 0, eval_batch: 0, test_batch: 0 };
  constructor(readonly model: Model) {}

  train_batch(inputs: unknown, labels: unknown): unknown {
    const m = this.model;
    const api = `${API}.train_batch`;
    if (!m._optimizer) fail(api, 'model not ready, please call `model.prepare()` first', PreconditionNotMetError);
    if (!m._loss) fail(api, 'no loss function: call `model.prepare(optimizer, loss)` with a loss before training', PreconditionNotMetError);
    m.network.train();
    m.mode = 'train';
    const ins = toList(inputs).map((x, i) => asTensor(x, api, `inputs[${i}]`, m._specDtype('input', i)));
    this._input_info = inputInfoOf(ins);
    const labs = toList(labels).map((x, i) => asTensor(x, api, `labels[${i}]`, m._specDtype('label', i)));
    const outputs = toList(m.network(...ins) as Tensor | Tensor[]);
    const losses = m._callLoss(outputs, labs, api);
    const final = losses.length === 1 ? losses[0] : add_n(losses);
    final.backward();
    m._optimizer.minimize(final);
    m.network.clear_gradients();
    const metrics = no_grad(() => m._metrics.map((metric) => metric.update(...toList(metric.compute(...outputs, ...labs) as unknown))));
    const lossValues = losses.map((l) => l.detach());
    return metrics.length > 0 ? [lossValues, metrics] : lossValues;
  }

  eval_batch(inputs: unknown, labels: unknown): unknown {
    const m = this.model;
    const api = `${API}.eval_batch`;
    m.network.eval();
    m.mode = 'eval';
    const ins = toList(inputs).map((x, i) => asTensor(x, api, `inputs[${i}]`, m._specDtype('input', i)));
    this._input_info = inputInfoOf(ins);
    const labs = toList(labels).map((x, i) => asTensor(x, api, `labels[${i}]`, m._specDtype('label', i)));
    const outputs = toList(m.network(...ins) as Tensor | Tensor[]);
    const losses = m._loss ? m._callLoss(outputs, labs, api) : [];
    const metrics = m._metrics.map((metric) => metric.update(...toList(metric.compute(...outputs, ...labs) as unknown)));
    const lossValues = losses.map((l) => l.detach());
    if (m._loss && metrics.length) return [lossValues, metrics];
    if (m._loss) return lossValues;
    return metrics;
  }

  predict_batch(inputs: unknown): Tensor[] {
    const m = this.model;
    const api = `${API}.predict_batch`;
    m.network.eval();
    m.mode = 'test';
    const ins = toList(inputs).map((x, i) => asTensor(x, api, `inputs[${i}]`, m._specDtype('input', i)));
    this._input_info = inputInfoOf(ins);
    const outputs = toList(m.network(...ins) as Tensor | Tensor[]);
    return outputs.map((o) => (o instanceof Tensor ? o.detach() : o));
  }

  parameters(...args: unknown[]): Tensor[] {
    return (this.model.network.parameters as unknown as (...a: unknown[]) => Tensor[]).apply(this.model.network, args);
  }

  save(path: string): void {
    paddleSave(this.model.network.state_dict(), path + '.pdparams');
    const opt = this.model._optimizer;
    if (!opt || typeof opt.state_dict !== 'function') return;
    const sd = opt.state_dict();
    if (Object.keys(sd).length > 0) paddleSave(sd, path + '.pdopt');
  }

  load(pairs: [Tensor, Tensor][], optimState: Record<string, unknown> | null): void {
    for (const [param, value] of pairs) param.set_value(value);
    const opt = this.model._optimizer;
    if (!opt || !optimState) return;
    if (typeof opt.set_state_dict !== 'function') fail(`${API}.load`, 'the optimizer has no set_state_dict', UnimplementedError);
    opt.set_state_dict(optimState);
  }

  prepare(): void {}
}

// ---------------------------------------------------------------------------------------
// Static graph

interface Endpoints {
  output: Variable[];
  loss: Variable[];
  metric: Variable[][];
}

/** A copy of a tensor's data outside any program (clone() would append an op in static mode). */
function rawCopy(t: Tensor): Tensor {
  return new Tensor(t.data.slice() as typeof t.data, t.dims.slice(), t.dtype);
}

/** Persistable variables an optimizer owns (accumulators, learning rate): not parameters, not feeds. */
function belongsToOptimizer(v: Variable): boolean {
  return !(v instanceof Parameter) && !v.need_check_feed && v.persistable;
}

class StaticGraphAdapter implements Adapter {
  _input_info: InputInfo = null;
  _merge_count: Record<string, number> = { eval_total: 0, test_total: 0, eval_batch: 0, test_batch: 0 };
  _startup_prog: Program;
  _orig_prog: Program;
  _label_vars: Partial<Record<Mode, Variable[]>> = {};
  _input_vars: Partial<Record<Mode, Variable[]>> = {};
  _endpoints: Partial<Record<Mode, Endpoints>> = {};
  _loss_endpoint: Variable | null = null;
  _executor: Executor | null = null;
  _progs: Partial<Record<Mode, Program>> = {};

  constructor(readonly model: Model) {
    this._startup_prog = default_startup_program();
    this._orig_prog = default_main_program();
  }

  train_batch(inputs: unknown, labels: unknown): unknown {
    if (!this.model._optimizer) fail(`${API}.train_batch`, 'model not ready, please call `model.prepare()` first', PreconditionNotMetError);
    this.model.mode = 'train';
    return this._run(inputs, labels);
  }
  eval_batch(inputs: unknown, labels: unknown): unknown {
    this.model.mode = 'eval';
    return this._run(inputs, labels);
  }
  predict_batch(inputs: unknown): Tensor[] {
    this.model.mode = 'test';
    return this._run(inputs, null) as Tensor[];
  }
  parameters(...args: unknown[]): Tensor[] {
    return (this.model.network.parameters as unknown as (...a: unknown[]) => Tensor[]).apply(this.model.network, args);
  }

  /** A copy of a variable's value in the global scope, named after the variable. */
  private valueOf(v: Tensor): Tensor | undefined {
    const t = global_scope().find_var(v.name);
    if (!(t instanceof Tensor)) return undefined;
    const c = rawCopy(t);
    c.name = v.name;
    return c;
  }

  save(path: string): void {
    const params: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(this.model.network.state_dict())) {
      const t = this.valueOf(v);
      if (t) params[k] = t;
    }
    if (Object.keys(params).length) paddleSave(params, path + '.pdparams');
    const prog = this._progs.train;
    if (!prog || !this.model._optimizer) return;
    const optim: Record<string, Tensor> = {};
    for (const v of prog.list_vars()) {
      if (!belongsToOptimizer(v)) continue;
      const t = this.valueOf(v);
      if (t) optim[v.name] = t;
    }
    if (Object.keys(optim).length) paddleSave(optim, path + '.pdopt');
  }

  load(pairs: [Tensor, Tensor][], optimState: Record<string, unknown> | null): void {
    const scope = global_scope();
    for (const [param, value] of pairs) scope.set(param.name, rawCopy(value));
    if (!this.model._optimizer || !optimState) return;
    const prog = this._progs.train;
    if (!prog) return;
    for (const v of prog.list_vars()) {
      if (!belongsToOptimizer(v)) continue;
      const s = optimState[v.name];
      if (s instanceof Tensor) scope.set(v.name, rawCopy(s));
      else if (!v.name.startsWith('learning_rate_')) fail(`${API}.load`, `variable [${v.name}] is not in optimizer state file`, NotFoundError);
    }
  }

  _run(inputs: unknown, labels: unknown): unknown {
    const mode = this.model.mode as Mode;
    const api = `${API}.${mode === 'test' ? 'predict' : mode}_batch`;
    const prog = this._progs[mode];
    if (!prog || !this._executor) fail(api, 'Model is not ready, please call `model.prepare()` first', PreconditionNotMetError);
    const ins = toList(inputs);
    const inputVars = this._input_vars[mode]!;
    if (ins.length !== inputVars.length)
      fail(api, `number of inputs (${ins.length}) does not match number of arguments of \`forward\` method (${inputVars.length})`);
    const feed: Record<string, unknown> = {};
    inputVars.forEach((v, i) => {
      if (ins[i] !== null && ins[i] !== undefined) feed[v.name] = ins[i];
    });
    if (labels !== null && labels !== undefined) {
      const labs = toList(labels);
      (this._label_vars[mode] ?? []).forEach((v, i) => {
        if (i < labs.length) feed[v.name] = labs[i];
      });
    }
    const ep = this._endpoints[mode]!;
    let fetch: Variable[];
    const splits: number[] = [];
    if (mode === 'test') fetch = ep.output;
    else {
      fetch = [...ep.loss];
      for (const m of ep.metric) {
        splits.push(m.length);
        fetch.push(...m);
      }
    }
    const rets = this._executor.run(prog, { feed, fetch_list: fetch, return_numpy: true }) as Tensor[];
    if (mode === 'test') return rets;
    const numLoss = ep.loss.length;
    const metrics: unknown[] = [];
    let k = numLoss;
    this.model._metrics.forEach((metric, i) => {
      const st = rets.slice(k, k + splits[i]);
      k += splits[i];
      metrics.push(metric.update(...st));
    });
    const losses = rets.slice(0, numLoss);
    if (numLoss && metrics.length) return [losses, metrics];
    return numLoss ? losses : metrics;
  }

  prepare(): void {
    for (const mode of ['train', 'eval', 'test'] as Mode[]) this._make_program(mode);
    this._initialize();
  }

  _make_program(mode: Mode): void {
    if (this._progs[mode]) return;
    let prog = this._orig_prog.clone();
    // learning-rate ops prepended to the original program must not run in eval / test
    if (mode !== 'train') while (prog.global_block().ops.length) prog.global_block()._remove_op(0);
    const m = this.model;
    let inputs: Variable[] = [];
    let labels: Variable[] = [];
    let outputs: Variable[] = [];
    let losses: Variable[] = [];
    const metrics: Variable[][] = [];
    program_guard(prog, this._startup_prog, () => {
      inputs = m._inputs.map((s) => staticData(s.name!, s.shape, s.dtype) as Variable);
      labels = (m._labels ?? []).map((s) => staticData(s.name!, s.shape, s.dtype) as Variable);
      outputs = toList(m.network(...inputs) as Variable | Variable[]);
      if (mode !== 'test' && m._loss) losses = m._callLoss(outputs, labels, API) as Variable[];
      if (mode !== 'test') for (const metric of m._metrics) metrics.push(toList(metric.compute(...outputs, ...labels) as Variable | Variable[]));
      if (mode === 'train' && m._optimizer) {
        if (losses.length === 0) fail(`${API}.prepare`, 'a loss is needed to train in static mode', PreconditionNotMetError);
        this._loss_endpoint = (losses.length === 1 ? losses[0] : add_n(losses)) as Variable;
        m._optimizer.minimize(this._loss_endpoint);
      }
    });
    if (mode !== 'train') prog = prog.clone(true);
    this._input_vars[mode] = inputs;
    this._label_vars[mode] = labels;
    this._progs[mode] = prog;
    this._endpoints[mode] = { output: outputs, loss: losses, metric: metrics };
  }

  /** Runs the startup program for the variables the global scope does not hold yet. */
  _initialize(): void {
    this._executor ??= new Executor();
    const scope = global_scope();
    const missing = this._startup_prog.list_vars().filter((v) => v.persistable && !scope.has(v.name));
    if (missing.length === 0) return;
    const tmp = new Scope();
    this._executor.run(this._startup_prog, { scope: tmp });
    for (const v of missing) {
      const t = tmp.find_var(v.name);
      if (t !== undefined) scope.set(v.name, t);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Model

/** Any value; a plain object in its place is a dict of InputSpecs (not keywords) when its keys are not parameter names. */
const specsTy = { desc: 'an InputSpec, a list or a dict of them', parse: (v: unknown) => v, dict: true };
const modelParams = [p('network', T.any), p('inputs', specsTy, null), p('labels', T.any, null)] as const;
const parseModel = makeParser(API, modelParams);
const prepareParams = [p('optimizer', T.any, null), p('loss', T.any, null), p('metrics', T.any, null), p('amp_configs', T.any, null)] as const;
const batchParams = [p('inputs', T.any), p('labels', T.any, null)] as const;
const fitParams = [
  p('train_data', T.any, null),
  p('eval_data', T.any, null),
  p('batch_size', T.int, 1),
  p('epochs', T.int, 1),
  p('eval_freq', T.int, 1),
  p('log_freq', T.int, 10),
  p('save_dir', T.nullable(T.str), null as string | null),
  p('save_freq', T.int, 1),
  p('verbose', T.int, 2),
  p('drop_last', T.bool, false),
  p('shuffle', T.bool, true),
  p('num_workers', T.int, 0),
  p('callbacks', T.any, null),
] as const;
const evaluateParams = [
  p('eval_data', T.any),
  p('batch_size', T.int, 1),
  p('log_freq', T.int, 10),
  p('verbose', T.int, 2),
  p('num_workers', T.int, 0),
  p('callbacks', T.any, null),
] as const;
const predictParams = [
  p('test_data', T.any),
  p('batch_size', T.int, 1),
  p('num_workers', T.int, 0),
  p('stack_outputs', T.bool, false),
  p('verbose', T.int, 1),
  p('callbacks', T.any, null),
] as const;
const saveParams = [p('path', T.str), p('training', T.bool, true)] as const;
const loadParams = [p('path', T.str), p('skip_mismatch', T.bool, false), p('reset_optimizer', T.bool, false)] as const;
const summaryParams = [p('input_size', T.any, null), p('dtype', T.any, null)] as const;
const parsers = {
  train_batch: makeParser(`${API}.train_batch`, batchParams),
  eval_batch: makeParser(`${API}.eval_batch`, batchParams),
  predict_batch: makeParser(`${API}.predict_batch`, [p('inputs', T.any)]),
  prepare: makeParser(`${API}.prepare`, prepareParams),
  fit: makeParser(`${API}.fit`, fitParams),
  evaluate: makeParser(`${API}.evaluate`, evaluateParams),
  predict: makeParser(`${API}.predict`, predictParams),
  save: makeParser(`${API}.save`, saveParams),
  load: makeParser(`${API}.load`, loadParams),
  summary: makeParser(`${API}.summary`, summaryParams),
};

/** fit's keyword arguments. */
export interface FitOptions {
  eval_data?: unknown;
  batch_size?: number;
  epochs?: number;
  eval_freq?: number;
  log_freq?: number;
  save_dir?: string | null;
  save_freq?: number;
  verbose?: number;
  drop_last?: boolean;
  shuffle?: boolean;
  num_workers?: number;
  callbacks?: Callback | Callback[] | null;
}

/**
 * paddle.Model(network, inputs=None, labels=None): a network with training and inference
 * features (python/paddle/hapi/model.py).
 *
 * In dygraph mode (the default) `inputs` / `labels` (InputSpecs) are optional: they name the
 * inputs, fix how many leading fields of each batch go to the network (otherwise the number
 * of `forward` parameters), and give the shapes for `save(path, false)` and `summary()`.
 * In static mode (`paddle.enable_static()` before building the network) they are required,
 * and `prepare` builds the train / eval / test programs.
 *
 * Values Paddle returns as NumPy arrays (losses, predictions) are Tensors here.
 * @example
 * const net = new paddle.vision.models.LeNet();
 * const model = new paddle.Model(net, new InputSpec([null, 1, 28, 28], 'float32', 'image'), new InputSpec([null, 1], 'int64', 'label'));
 * model.prepare(new paddle.optimizer.Adam({ learning_rate: 0.001, parameters: model.parameters() }),
 *               new paddle.nn.CrossEntropyLoss(), new paddle.metric.Accuracy());
 * model.fit(train_dataset, val_dataset, { epochs: 2, batch_size: 64, verbose: 1 });
 * model.save('checkpoint/mnist');
 */
export class Model {
  /** 'train', 'eval' or 'test': what ran last. */
  mode: Mode = 'train';
  network: Layer;
  _inputs: InputSpec[];
  _labels: InputSpec[] | null;
  _loss: LossFn | null = null;
  _loss_weights: unknown = null;
  _optimizer: OptimizerLike | null = null;
  _metrics: Metric[] = [];
  _input_info: InputInfo = null;
  _is_shape_inferred = false;
  _test_dataloader: unknown = null;
  /** Set true (e.g. by EarlyStopping) to end fit after the current epoch's evaluation. */
  stop_training = false;
  _prepared = false;
  _user_inputs: boolean;
  _adapter: Adapter;

  constructor(...args: [network: Layer, inputs?: unknown, labels?: unknown, kw?: { inputs?: unknown; labels?: unknown }] | [Layer, { inputs?: unknown; labels?: unknown }] | [{ network: Layer; inputs?: unknown; labels?: unknown }]) {
    const a = parseModel(args) as { network: unknown; inputs: unknown; labels: unknown };
    if (!(a.network instanceof Layer)) fail(API, `argument 'network' expected a paddle.nn.Layer, but got ${describe(a.network)}`);
    this.network = a.network;
    const inputs = a.inputs;
    if (state.staticMode) {
      if (!(Array.isArray(inputs) || isPlainObject(inputs) || inputs instanceof InputSpec))
        fail(API, "'inputs' must be list or dict, and couldn't be None.");
    } else if (inputs !== null && !(Array.isArray(inputs) && inputs.length === 0)) this._input_info = inputInfoOf(inputs);
    this._user_inputs = inputs !== null;
    this._inputs = this._verify_spec(inputs, null, null, true)!;
    this._labels = this._verify_spec(a.labels);
    this._adapter = state.staticMode ? new StaticGraphAdapter(this) : new DynamicGraphAdapter(this);
  }

  /**
   * One training step on a batch: forward, loss, backward, optimizer update, metrics.
   * Returns the losses (a list of Tensors), or `[losses, metrics]` when metrics are set
   * (each metric's `update` result).
   * @param inputs the input data (a Tensor, array data, or a list for several inputs)
   * @param labels the labels (same forms), or None
   * @example const [loss] = model.train_batch([x], [y]);
   */
  train_batch(...args: CallArgs<typeof batchParams>): unknown {
    const a = parsers.train_batch(args) as { inputs: unknown; labels: unknown };
    const r = this._adapter.train_batch(a.inputs, a.labels);
    if (!state.staticMode && this._input_info === null) this._update_inputs();
    return r;
  }

  /**
   * One evaluation step on a batch (no gradients, no update): returns the losses, or
   * `[losses, metrics]`, or only the metrics when there is no loss.
   * @example const [losses, metrics] = model.eval_batch([x], [y]);
   */
  eval_batch(...args: CallArgs<typeof batchParams>): unknown {
    const a = parsers.eval_batch(args) as { inputs: unknown; labels: unknown };
    const r = no_grad(() => this._adapter.eval_batch(a.inputs, a.labels));
    if (!state.staticMode && this._input_info === null) this._update_inputs();
    return r;
  }

  /**
   * The network's outputs for a batch (eval mode, no gradients), as a list of Tensors.
   * @example const [logits] = model.predict_batch([x]);
   */
  predict_batch(...args: [inputs: unknown] | [{ inputs: unknown }]): Tensor[] {
    const a = parsers.predict_batch(args) as { inputs: unknown };
    const r = no_grad(() => this._adapter.predict_batch(a.inputs));
    if (!state.staticMode && this._input_info === null) this._update_inputs();
    return r;
  }

  /**
   * Saves to `path` + '.pdparams' (the network's state dict) and '.pdopt' (the optimizer's
   * state, when it has any) with training=True, Paddle's own pickle files; with
   * training=False, an inference model `path.pdmodel` + `path.pdiparams` through
   * paddle.jit.save (dygraph; needs `inputs` or one batch run first) or
   * paddle.static.save_inference_model (static mode).
   * @example model.save('checkpoint/test'); model.save('inference/model', false);
   */
  save(...args: CallArgs<typeof saveParams>): void {
    const a = parsers.save(args) as { path: string; training: boolean };
    const path = checkSavePath(a.path, `${API}.save`);
    if (localRank() !== 0) return;
    if (!a.training) return this._save_inference_model(path);
    const dir = dirname(path);
    if (dir && !existsSync(dir)) mkdirSync(dir, { recursive: true });
    this._adapter.save(path);
  }

  /**
   * Loads `path.pdparams` into the network (by structured names) and, unless
   * reset_optimizer, `path.pdopt` into the optimizer. A missing parameter or a shape
   * mismatch is an error, or with skip_mismatch a warning (and the optimizer state is then
   * not loaded). A `.pdparams` / `.pdopt` suffix on path is ignored. Optimizer accumulators
   * are matched to this network's parameters through the file's name table, so a checkpoint
   * loads into a freshly built Model of the same architecture.
   * @example model.load('checkpoint/test');
   */
  load(...args: CallArgs<typeof loadParams>): void {
    const api = `${API}.load`;
    const a = parsers.load(args) as { path: string; skip_mismatch: boolean; reset_optimizer: boolean };
    let reset = a.reset_optimizer;
    const ext = extname(a.path);
    if (!['', '.pdparams', '.pdopt', '.pdmodel'].includes(ext)) fail(api, `Unknown postfix ${ext} from weights`);
    const path = ext ? a.path.slice(0, -ext.length) : a.path;
    const readState = (file: string): Record<string, unknown> | null => {
      if (!existsSync(file)) return null;
      const v = paddleLoad(file, { keep_name_table: true });
      if (!isPlainObject(v)) fail(api, `'${file}' does not hold a state dict`);
      return v;
    };
    const paramState = readState(path + '.pdparams');
    if (!paramState || Object.keys(paramState).length === 0) fail(api, `Failed to load parameters, please check path ('${path}.pdparams' not found).`, NotFoundError);
    const nameTable = (paramState['StructuredToParameterName@@'] ?? {}) as Record<string, string>;
    const pairs: [Tensor, Tensor][] = [];
    const renames = new Map<string, string>();
    for (const [key, param] of Object.entries(this.network.state_dict())) {
      try {
        const st = paramState[key];
        if (!(st instanceof Tensor)) throw new InvalidArgumentError(`${key} is not found in the providing file.`);
        if (st.dims.length !== param.dims.length || st.dims.some((d, i) => d !== param.dims[i]))
          throw new InvalidArgumentError(`${key} receives a shape [${st.dims.join(', ')}], but the expected shape is [${param.dims.join(', ')}].`);
        pairs.push([param, st]);
        const saved = nameTable[key];
        if (typeof saved === 'string' && saved !== param.name) renames.set(saved, param.name);
      } catch (e) {
        if (!(e instanceof InvalidArgumentError)) throw e;
        if (a.skip_mismatch) {
          warn(`Skip loading for ${key}. ${e.message}`);
          reset = true;
        } else fail(api, e.message);
      }
    }
    let optState = reset ? null : readState(path + '.pdopt');
    if (optState && renames.size) optState = renameOptimizerState(optState, renames);
    this._adapter.load(pairs, optState);
  }

  /**
   * The network's parameters (arguments as Layer.parameters).
   * @example const opt = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: model.parameters() });
   */
  parameters(...args: unknown[]): Tensor[] {
    return this._adapter.parameters(...args);
  }

  /**
   * Sets the optimizer (needed to train), the loss (a Layer or function called as
   * `loss(...outputs, ...labels)`) and the metrics (a paddle.metric.Metric or a list).
   * `amp_configs` (later Paddle) is accepted as None / 'O0' only: mixed precision needs a GPU.
   * In static mode this builds the programs and initializes the parameters.
   * @example model.prepare(optim, new paddle.nn.CrossEntropyLoss(), new paddle.metric.Accuracy({ topk: [1, 2] }));
   */
  prepare(...args: CallArgs<typeof prepareParams>): void {
    const api = `${API}.prepare`;
    const a = parsers.prepare(args) as { optimizer: unknown; loss: unknown; metrics: unknown; amp_configs: unknown };
    if (a.optimizer !== null && (typeof a.optimizer !== 'object' || typeof (a.optimizer as OptimizerLike).minimize !== 'function'))
      fail(api, `argument 'optimizer' expected an Optimizer (paddle.optimizer.*), but got ${describe(a.optimizer)}`);
    if (a.loss !== null && typeof a.loss !== 'function') fail(api, "'loss' must be sub classes of `paddle.nn.Layer` or any callable function.");
    const metrics = toList(a.metrics as Metric | Metric[] | null);
    for (const m of metrics) if (!(m instanceof Metric)) fail(api, `${(m as object)?.constructor?.name ?? describe(m)} is not sub class of Metric`);
    const amp = a.amp_configs;
    if (amp !== null && amp !== 'O0' && !(isPlainObject(amp) && (amp.level === undefined || amp.level === 'O0')))
      fail(api, `amp_configs ${describe(amp)}: automatic mixed precision needs a GPU (CUDAPlace), which paddle-ts does not have; use None or 'O0'`, UnimplementedError);
    this._optimizer = a.optimizer as OptimizerLike | null;
    this._loss = a.loss as LossFn | null;
    this._metrics = metrics;
    this._prepared = true;
    if (state.staticMode) this._adapter.prepare();
  }

  /**
   * Trains for `epochs` over train_data (a paddle.io.Dataset, batched here with batch_size,
   * shuffle, drop_last and num_workers; or a DataLoader / any iterable of batches, used as
   * is), evaluating eval_data every eval_freq epochs, logging every log_freq steps (verbose
   * 0 silent, 1 progress bar, 2 a line per log, 3 with timings), checkpointing to save_dir
   * every save_freq epochs and at the end ('final'), and calling the callbacks.
   * @example model.fit(train_dataset, val_dataset, { epochs: 2, batch_size: 64, save_dir: 'mnist_checkpoint' })
   */
  fit(
    ...args:
      | [train_data?: unknown, eval_data?: unknown, batch_size?: number, epochs?: number, eval_freq?: number, log_freq?: number, save_dir?: string | null, save_freq?: number, verbose?: number, drop_last?: boolean, shuffle?: boolean, num_workers?: number, callbacks?: Callback | Callback[] | null, kw?: FitOptions]
      | [unknown, FitOptions]
      | [unknown, unknown, FitOptions]
      | [FitOptions & { train_data?: unknown }]
  ): void {
    const api = `${API}.fit`;
    const a = parsers.fit(args) as {
      train_data: unknown; eval_data: unknown; batch_size: number; epochs: number; eval_freq: number; log_freq: number; save_dir: string | null;
      save_freq: number; verbose: number; drop_last: boolean; shuffle: boolean; num_workers: number; callbacks: Callback | Callback[] | null;
    };
    if (a.train_data === null) fail(api, 'train_data must be given!');
    if (!this._prepared || !this._optimizer) fail(api, 'model not ready, please call `model.prepare()` with an optimizer first', PreconditionNotMetError);
    if (a.epochs < 0) fail(api, `epochs should be a non-negative integer, but got ${a.epochs}`);
    if (a.eval_freq <= 0) fail(api, `eval_freq should be a positive integer, but got ${a.eval_freq}`);
    if (a.log_freq <= 0) fail(api, `log_freq should be a positive integer, but got ${a.log_freq}`);
    const trainLoader = this._loader(a.train_data, a.batch_size, a.shuffle, a.drop_last, a.num_workers, api, 'train_data');
    const evalLoader = a.eval_data !== null ? this._loader(a.eval_data, a.batch_size, false, false, a.num_workers, api, 'eval_data') : null;
    const doEval = evalLoader !== null;
    this._test_dataloader = evalLoader;
    const steps = this._len_data_loader(trainLoader);
    const cbks = config_callbacks({
      callbacks: a.callbacks, model: this, epochs: a.epochs, steps, log_freq: a.log_freq, save_freq: a.save_freq, save_dir: a.save_dir,
      verbose: a.verbose, metrics: this._metrics_name(),
    });
    if (cbks.callbacks.some((k) => k instanceof EarlyStopping) && !doEval) warn('EarlyStopping needs validation data.');
    this.stop_training = false;
    cbks.on_begin('train');
    let logs: Logs = {};
    for (let epoch = 0; epoch < a.epochs; epoch++) {
      cbks.on_epoch_begin(epoch);
      logs = this._run_one_epoch(trainLoader, cbks, 'train') as Logs;
      cbks.on_epoch_end(epoch, logs);
      if (doEval && epoch % a.eval_freq === 0) {
        const evalSteps = this._len_data_loader(evalLoader);
        cbks.on_begin('eval', { steps: evalSteps, metrics: this._metrics_name() });
        const evalLogs = this._run_one_epoch(evalLoader, cbks, 'eval') as Logs;
        cbks.on_end('eval', evalLogs);
        if (this.stop_training) break;
      }
    }
    cbks.on_end('train', logs);
    this._test_dataloader = null;
  }

  /**
   * Evaluates the loss and metrics over eval_data (a Dataset, batched with batch_size, or a
   * DataLoader / iterable of batches). Returns `{ loss: [value], <metric name>: value, ... }`.
   * @example const result = model.evaluate(val_dataset, { batch_size: 64 });   // { loss: [0.05], acc: 0.98 }
   */
  evaluate(
    ...args:
      | [eval_data: unknown, batch_size?: number, log_freq?: number, verbose?: number, num_workers?: number, callbacks?: Callback | Callback[] | null, kw?: Omit<FitOptions, 'eval_data'>]
      | [unknown, Omit<FitOptions, 'eval_data'>]
      | [{ eval_data: unknown } & Omit<FitOptions, 'eval_data'>]
  ): Record<string, unknown> {
    const api = `${API}.evaluate`;
    const a = parsers.evaluate(args) as { eval_data: unknown; batch_size: number; log_freq: number; verbose: number; num_workers: number; callbacks: Callback | Callback[] | null };
    if (!this._prepared) fail(api, 'model not ready, please call `model.prepare()` first', PreconditionNotMetError);
    const loader = this._loader(a.eval_data, a.batch_size, false, false, a.num_workers, api, 'eval_data');
    this._test_dataloader = loader;
    const cbks = config_callbacks({ callbacks: a.callbacks, model: this, log_freq: a.log_freq, verbose: a.verbose, metrics: this._metrics_name() });
    const evalSteps = this._len_data_loader(loader);
    cbks.on_begin('eval', { steps: evalSteps, metrics: this._metrics_name() });
    const logs = this._run_one_epoch(loader, cbks, 'eval') as Logs;
    cbks.on_end('eval', logs);
    this._test_dataloader = null;
    const result: Record<string, unknown> = {};
    for (const k of this._metrics_name()) {
      if (!(k in logs)) fail(api, `eval_data gave no batches, so '${k}' has no value`);
      result[k] = logs[k];
    }
    return result;
  }

  /**
   * The network's outputs over test_data (its leading `inputs` fields; labels are ignored):
   * a list with one entry per output, each a list of the per-batch Tensors, or, with
   * stack_outputs, one Tensor of all samples (batches concatenated).
   * @example const [logits] = model.predict(test_dataset, { batch_size: 64, stack_outputs: true });
   */
  predict(
    ...args:
      | [test_data: unknown, batch_size?: number, num_workers?: number, stack_outputs?: boolean, verbose?: number, callbacks?: Callback | Callback[] | null, kw?: { batch_size?: number; num_workers?: number; stack_outputs?: boolean; verbose?: number; callbacks?: Callback | Callback[] | null }]
      | [unknown, { batch_size?: number; num_workers?: number; stack_outputs?: boolean; verbose?: number; callbacks?: Callback | Callback[] | null }]
      | [{ test_data: unknown; batch_size?: number; num_workers?: number; stack_outputs?: boolean; verbose?: number; callbacks?: Callback | Callback[] | null }]
  ): (Tensor[] | Tensor)[] {
    const api = `${API}.predict`;
    const a = parsers.predict(args) as { test_data: unknown; batch_size: number; num_workers: number; stack_outputs: boolean; verbose: number; callbacks: Callback | Callback[] | null };
    const loader = this._loader(a.test_data, a.batch_size, false, false, a.num_workers, api, 'test_data');
    this._test_dataloader = loader;
    const cbks = config_callbacks({ callbacks: a.callbacks, model: this, verbose: a.verbose });
    const steps = this._len_data_loader(loader);
    cbks.on_begin('predict', { steps });
    const [logs, batches] = this._run_one_epoch(loader, cbks, 'predict') as [Logs, Tensor[][]];
    const nOut = batches.length ? Math.min(...batches.map((b) => b.length)) : 0;
    let outputs: (Tensor[] | Tensor)[] = [];
    for (let i = 0; i < nOut; i++) outputs.push(batches.map((b) => b[i]));
    if (a.stack_outputs) outputs = (outputs as Tensor[][]).map((outs) => vstack(outs, api));
    this._test_dataloader = null;
    cbks.on_end('predict', logs);
    return outputs;
  }

  /**
   * Prints the network's layer table (paddle.summary) for input_size (default: the `inputs`
   * InputSpecs) and dtype; returns `{ total_params, trainable_params }`.
   * @example model.summary([1, 1, 28, 28])
   */
  summary(...args: CallArgs<typeof summaryParams>): { total_params: number; trainable_params: number } {
    const a = parsers.summary(args) as { input_size: unknown; dtype: unknown };
    if (a.input_size === null && !this._user_inputs) fail(`${API}.summary`, "'input_size' or 'self._input' must be set");
    const size = a.input_size ?? (this._inputs.length === 1 ? this._inputs[0] : this._inputs);
    return summary(this.network, size, a.dtype);
  }

  // -------------------------------------------------------------------------------------
  // internals

  /** @internal The dtype of the i-th input / label InputSpec the user gave, or null. */
  _specDtype(kind: 'input' | 'label', i: number): DType | null {
    const specs = kind === 'input' ? (this._user_inputs ? this._inputs : null) : this._labels;
    return specs?.[i]?.dtype ?? null;
  }

  /** @internal Calls the loss on outputs + labels and checks it gives Tensors. */
  _callLoss(outputs: Tensor[], labels: Tensor[], api: string): Tensor[] {
    const losses = toList(this._loss!(...outputs, ...labels));
    if (losses.length === 0 || !losses.every((l) => l instanceof Tensor)) fail(api, `the loss function should return a Tensor or a list of Tensors, but got ${describe(losses)}`);
    return losses;
  }

  /** @internal A Dataset becomes a DataLoader over a DistributedBatchSampler; loaders and iterables pass through. */
  _loader(data: unknown, batchSize: number, shuffle: boolean, dropLast: boolean, numWorkers: number, api: string, arg: string): unknown {
    if (data instanceof DataLoader) return data;
    if (data instanceof Dataset && isIterableDataset(data)) return new DataLoader(data, { batch_size: batchSize, drop_last: dropLast, num_workers: numWorkers, return_list: true });
    const isMap = data instanceof Dataset || (data !== null && typeof data === 'object' && typeof (data as Dataset).__getitem__ === 'function' && typeof (data as Dataset).__len__ === 'function');
    if (isMap) {
      if (batchSize <= 0) fail(api, `batch_size should be a positive integer, but got ${batchSize}`);
      const sampler = new DistributedBatchSampler({ dataset: data, batch_size: batchSize, shuffle, drop_last: dropLast });
      return new DataLoader(data, { batch_sampler: sampler, num_workers: numWorkers, return_list: true });
    }
    if (data !== null && (typeof data === 'object' || typeof data === 'function') &&
      (typeof (data as Iterable<unknown>)[Symbol.iterator] === 'function' || typeof (data as { __iter__?: unknown }).__iter__ === 'function'))
      return data;
    return fail(api, `argument '${arg}' expected a paddle.io.Dataset or a DataLoader (an iterable of batches), but got ${describe(data)}`);
  }

  /** @internal Python's len(loader), or null when it has none. */
  _len_data_loader(loader: unknown): number | null {
    try {
      if (loader && typeof (loader as { __len__?: unknown }).__len__ === 'function') return (loader as { __len__(): number }).__len__();
      if (Array.isArray(loader)) return loader.length;
    } catch {
      /* no length (IterableDataset) */
    }
    return null;
  }

  /** @internal One pass over a loader in a mode, calling the callbacks; predict also returns the outputs. */
  _run_one_epoch(loader: unknown, callbacks: CallbackList, mode: 'train' | 'eval' | 'predict'): Logs | [Logs, Tensor[][]] {
    const logs: Logs = {};
    const outputs: Tensor[][] = [];
    const l = loader as { __iter__?: () => Iterator<unknown>; [Symbol.iterator]?: () => Iterator<unknown> };
    const it: Iterator<unknown> = typeof l[Symbol.iterator] === 'function' ? l[Symbol.iterator]!() : l.__iter__!();
    const nIn = this._inputs.length;
    try {
      for (let step = 0; ; step++) {
        const r = it.next();
        if (r.done) break;
        const data = flattenBatch(r.value);
        const bs = batchSizeOf(data[0]);
        callbacks.on_batch_begin(mode, step, logs);
        if (mode !== 'predict') {
          const fn = (mode === 'train' ? this.train_batch : this.eval_batch).bind(this) as (i: unknown, l: unknown) => unknown;
          const outs = fn(data.slice(0, nIn), data.slice(nIn));
          let metrics: unknown[];
          if (this._metrics.length && this._loss) metrics = [((outs as unknown[][])[0]).map(firstValue)];
          else if (this._loss) metrics = [(outs as unknown[]).map(firstValue)];
          else metrics = [];
          for (const metric of this._metrics) metrics.push(...toList(metric.accumulate() as unknown));
          const names = this._metrics_name();
          if (names.length !== metrics.length) fail(API, `the metrics give ${metrics.length} values for the ${names.length} names ${names.join(', ')}`);
          names.forEach((k, i) => (logs[k] = metrics[i]));
        } else outputs.push(this.predict_batch(data.slice(0, nIn)));
        logs.step = step;
        const merge = this._adapter._merge_count[`${mode}_batch`] ?? 0;
        logs.batch_size = mode === 'train' || merge <= 0 ? bs * nranks() : merge;
        callbacks.on_batch_end(mode, step, logs);
      }
    } finally {
      it.return?.();
    }
    this._reset_metrics();
    return mode === 'predict' ? [logs, outputs] : logs;
  }

  /** @internal Python's _verify_spec: InputSpecs (named), from the argument or from forward's parameters. */
  _verify_spec(specs: unknown, shapes: number[][] | null = null, dtypes: DType[] | null = null, is_input = false): InputSpec[] | null {
    let out: InputSpec[] | null;
    if (specs === null || specs === undefined) {
      if (is_input) {
        const names = forwardArgNames(this.network.forward);
        if (shapes !== null && dtypes !== null && !state.staticMode)
          out = names.slice(0, Math.min(names.length, shapes.length)).map((n, i) => new InputSpec(shapes[i], dtypes[i], n));
        else out = names.map((n) => new InputSpec([null], 'float32', n));
        if (out.length === 0) out = [new InputSpec([null], 'float32', 'input_0')];
      } else out = null;
    } else if (isPlainObject(specs)) {
      const names = forwardArgNames(this.network.forward);
      const d = specs as Record<string, unknown>;
      const keys = names.filter((n) => n in d);
      out = (keys.length === Object.keys(d).length ? keys : Object.keys(d)).map((n) => d[n] as InputSpec);
    } else out = toList(specs as InputSpec | InputSpec[]);
    if (out !== null)
      out.forEach((s, i) => {
        if (!(s instanceof InputSpec)) fail(API, `inputs and labels must be paddle.static.InputSpec (or lists / dicts of them), but item ${i} is ${describe(s)}`);
        if (s.name === null || s.name === undefined) fail(API, `Requires Input[${i}].name != None, but receive \`None\` with ${String(s)}.`);
      });
    return out;
  }

  /** @internal */
  _reset_metrics(): void {
    for (const m of this._metrics) m.reset();
  }

  /** @internal 'loss' (when there is a loss) followed by every metric's names. */
  _metrics_name(): string[] {
    const names = this._loss ? ['loss'] : [];
    for (const m of this._metrics) names.push(...toList(m.name() as string | string[]));
    return names;
  }

  /** @internal After a batch in dygraph without `inputs`: the InputSpecs from the actual inputs. */
  _update_inputs(): void {
    this._input_info = this._adapter._input_info;
    if (this._input_info !== null && this._input_info.length === 2) {
      this._inputs = this._verify_spec(null, this._input_info[0], this._input_info[1], true)!;
      this._is_shape_inferred = true;
    }
  }

  /** @internal */
  _save_inference_model(path: string): void {
    const api = `${API}.save`;
    if (!state.staticMode) {
      if (this._input_info === null)
        fail(api, "Saving inference model needs 'inputs' or running before saving. Please specify 'inputs' in Model initialization or input training data and perform a training for shape derivation.", PreconditionNotMetError);
      if (this._is_shape_inferred)
        warn(`'inputs' was not specified when Model initialization, so the input shape to be saved will be the shape derived from the user's actual inputs. The input shape to be saved is [${this._input_info[0][0]?.join(', ')}]. For saving correct input shapes, please provide 'inputs' for Model initialization.`);
      const training = this.network.training;
      this.network.eval();
      try {
        jitSave(this.network, path, this._inputs);
      } finally {
        if (training) this.network.train();
      }
      return;
    }
    const ad = this._adapter as StaticGraphAdapter;
    const prog = ad._progs.test;
    if (!prog || !ad._executor) fail(api, 'Model is not ready, please call `model.prepare()` first', PreconditionNotMetError);
    save_inference_model(path, ad._input_vars.test!, ad._endpoints.test!.output, ad._executor, { program: prog });
  }
}

/** numpy.vstack of batch outputs (1-D ones become rows), by copying data (no operator, so static mode too). */
function vstack(ts: Tensor[], api: string): Tensor {
  const first = ts[0];
  const rest = first.dims.length >= 2 ? first.dims.slice(1) : [first.dims[0] ?? 1];
  let rows = 0;
  for (const t of ts) {
    const r = t.dims.length >= 2 ? t.dims.slice(1) : [t.dims[0] ?? 1];
    if (t.dtype !== first.dtype || r.length !== rest.length || r.some((d, i) => d !== rest[i]))
      fail(api, `stack_outputs: the batch outputs have different shapes or dtypes ([${first.dims.join(', ')}] ${first.dtype} vs [${t.dims.join(', ')}] ${t.dtype}); use stack_outputs=False`);
    rows += t.dims.length >= 2 ? t.dims[0] : 1;
  }
  let len = 0;
  for (const t of ts) len += t.data.length;
  const Ctor = first.data.constructor as new (n: number) => typeof first.data;
  const out = new Ctor(len);
  let off = 0;
  for (const t of ts) {
    (out as Float64Array).set(t.data as Float64Array, off);
    off += t.data.length;
  }
  return new Tensor(out, [rows, ...rest], first.dtype);
}

/** Renames optimizer-state keys `<saved param name>_<acc>` to this network's parameter names. */
function renameOptimizerState(sd: Record<string, unknown>, renames: Map<string, string>): Record<string, unknown> {
  const olds = [...renames.keys()].sort((x, y) => y.length - x.length);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sd)) {
    const old = olds.find((o) => k.startsWith(o + '_'));
    out[old ? renames.get(old)! + k.slice(old.length) : k] = v;
  }
  return out;
}
