// paddle.callbacks (python/paddle/hapi/callbacks.py at 2.0): the hooks Model.fit, evaluate
// and predict call, and the built-in callbacks (progress logging, checkpoints, LR scheduling,
// early stopping, scalar logging, LR reduction on plateaus).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeParser, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { fail } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { warn } from '../nn/layer.js';
import { LRScheduler as LRSchedulerBase } from '../optimizer/lr.js';
import { ProgressBar, pyFixed, pyFloat, type Writable } from './progressbar.js';
import type { Model } from './model.js';

/** The logs dict passed to callbacks: 'loss' (a list), metric values, 'step', 'batch_size'... */
export type Logs = Record<string, unknown>;
/** What `set_params` gives: batch_size, epochs, steps, verbose, metrics (names). */
export interface CallbackParams {
  batch_size?: number | null;
  epochs?: number | null;
  steps?: number | null;
  verbose?: number;
  metrics?: string[];
  [k: string]: unknown;
}

type Mode = 'train' | 'eval' | 'predict';

/** The process's rank in a multi-process job (PADDLE_TRAINER_ID, as ParallelEnv reads it). */
export function localRank(): number {
  const v = Number(process.env.PADDLE_TRAINER_ID ?? 0);
  return Number.isInteger(v) ? v : 0;
}
/** The number of processes (PADDLE_TRAINERS_NUM). */
export function nranks(): number {
  const v = Number(process.env.PADDLE_TRAINERS_NUM ?? 1);
  return Number.isInteger(v) && v > 0 ? v : 1;
}

/** Python's print(): the line goes through process.stdout (so it can be captured). */
function print(s: string): void {
  process.stdout.write(s + '\n');
}

/** A monitored value as a number: the first of a list, a number, a one-element Tensor; else null. */
function scalarOf(v: unknown): number | null {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'number') return v;
  if (v instanceof Tensor && v.size === 1) return Number(v.item());
  return null;
}

/**
 * paddle.callbacks.Callback: the base class of callbacks. Subclasses override any of the
 * hooks below; `this.model` (the paddle.Model) and `this.params` (batch_size, epochs, steps,
 * verbose, metrics) are set before training starts.
 * @example
 * class Checkpoint extends paddle.callbacks.Callback {
 *   save_freq = 1; save_dir = 'ckpt';
 *   on_epoch_end(epoch: number, logs?: Logs) {
 *     if (this.model && epoch % this.save_freq === 0) this.model.save(`${this.save_dir}/${epoch}`);
 *   }
 * }
 */
export class Callback {
  model: Model | null = null;
  params: CallbackParams = {};

  /** Sets the run's parameters (batch_size, epochs, steps, verbose, metrics). */
  set_params(params: CallbackParams): void {
    this.params = params;
  }
  /** Sets the paddle.Model being run. */
  set_model(model: Model | null): void {
    this.model = model;
  }
  /** Called at the start of training. */
  on_train_begin(_logs?: Logs | null): void {}
  /** Called at the end of training with the last batch's logs. */
  on_train_end(_logs?: Logs | null): void {}
  /** Called at the start of evaluation, with {steps, metrics}. */
  on_eval_begin(_logs?: Logs | null): void {}
  /** Called at the end of evaluation with the logs (loss, metrics, batch_size). */
  on_eval_end(_logs?: Logs | null): void {}
  /** Called at the start of prediction, with {steps}. */
  on_predict_begin(_logs?: Logs | null): void {}
  /** Called at the end of prediction. */
  on_predict_end(_logs?: Logs | null): void {}
  /** Called at the start of each epoch (0-based index). */
  on_epoch_begin(_epoch: number, _logs?: Logs | null): void {}
  /** Called at the end of each epoch with the last batch's logs. */
  on_epoch_end(_epoch: number, _logs?: Logs | null): void {}
  /** Called before each training batch. */
  on_train_batch_begin(_step: number, _logs?: Logs | null): void {}
  /** Called after each training batch with its logs (loss, metrics, batch_size). */
  on_train_batch_end(_step: number, _logs?: Logs | null): void {}
  /** Called before each evaluation batch. */
  on_eval_batch_begin(_step: number, _logs?: Logs | null): void {}
  /** Called after each evaluation batch with its logs. */
  on_eval_batch_end(_step: number, _logs?: Logs | null): void {}
  /** Called before each prediction batch. */
  on_predict_batch_begin(_step: number, _logs?: Logs | null): void {}
  /** Called after each prediction batch. */
  on_predict_batch_end(_step: number, _logs?: Logs | null): void {}
}

/** The callbacks of one run, called in order (Paddle's CallbackList). */
export class CallbackList {
  callbacks: Callback[];
  params: CallbackParams = {};
  model: Model | null = null;
  constructor(callbacks: Callback[] = []) {
    this.callbacks = callbacks.slice();
  }
  append(callback: Callback): void {
    this.callbacks.push(callback);
  }
  [Symbol.iterator](): Iterator<Callback> {
    return this.callbacks[Symbol.iterator]();
  }
  set_params(params: CallbackParams): void {
    for (const c of this.callbacks) c.set_params(params);
  }
  set_model(model: Model | null): void {
    for (const c of this.callbacks) c.set_model(model);
  }
  private _call(name: string, ...args: unknown[]): void {
    for (const c of this.callbacks) {
      const f = (c as unknown as Record<string, unknown>)[name];
      if (typeof f === 'function') f.apply(c, args);
    }
  }
  private _check_mode(mode: string): asserts mode is Mode {
    if (mode !== 'train' && mode !== 'eval' && mode !== 'predict') fail('paddle.callbacks.CallbackList', 'mode should be train, eval or predict');
  }
  on_begin(mode: Mode, logs: Logs | null = null): void {
    this._check_mode(mode);
    this._call(`on_${mode}_begin`, logs);
  }
  on_end(mode: Mode, logs: Logs | null = null): void {
    this._check_mode(mode);
    this._call(`on_${mode}_end`, logs);
  }
  on_epoch_begin(epoch: number | null = null, logs: Logs | null = null): void {
    this._call('on_epoch_begin', epoch, logs);
  }
  on_epoch_end(epoch: number | null = null, logs: Logs | null = null): void {
    this._call('on_epoch_end', epoch, logs);
  }
  on_batch_begin(mode: Mode, step: number | null = null, logs: Logs | null = null): void {
    this._check_mode(mode);
    this._call(`on_${mode}_batch_begin`, step, logs);
  }
  on_batch_end(mode: Mode, step: number | null = null, logs: Logs | null = null): void {
    this._check_mode(mode);
    this._call(`on_${mode}_batch_end`, step, logs);
  }
}

/** The callbacks a Model run uses (Paddle's config_callbacks): the given ones plus the defaults. */
export function config_callbacks(opts: {
  callbacks?: Callback | Callback[] | null;
  model?: Model | null;
  batch_size?: number | null;
  epochs?: number | null;
  steps?: number | null;
  log_freq?: number;
  verbose?: number;
  save_freq?: number;
  save_dir?: string | null;
  metrics?: string[] | null;
  mode?: string;
}): CallbackList {
  const { callbacks = null, model = null, batch_size = null, epochs = null, steps = null, log_freq = 2, verbose = 2, save_freq = 1, save_dir = null, metrics = null, mode = 'train' } = opts;
  let cbks: Callback[] = callbacks === null ? [] : Array.isArray(callbacks) ? callbacks.slice() : [callbacks];
  for (const c of cbks)
    if (!(c instanceof Callback)) fail('paddle.Model', `argument 'callbacks' expected Callback instances (paddle.callbacks.*), but got ${String(c)}`);
  if (!cbks.some((k) => k instanceof ProgBarLogger) && verbose) cbks = [new ProgBarLogger(log_freq, verbose), ...cbks];
  if (!cbks.some((k) => k instanceof ModelCheckpoint)) cbks.push(new ModelCheckpoint(save_freq, save_dir));
  for (const k of cbks) if (k instanceof EarlyStopping) k.save_dir = save_dir;
  if (!cbks.some((k) => k instanceof LRScheduler)) cbks.push(new LRScheduler());
  const list = new CallbackList(cbks);
  list.set_model(model);
  list.set_params({ batch_size, epochs, steps, verbose, metrics: mode !== 'test' ? (metrics ?? []) : [] });
  return list;
}

interface Timer {
  data_time: number;
  batch_time: number;
  count: number;
  samples: number;
  batch_start_time?: number;
  batch_data_end_time?: number;
}
const newTimer = (): Timer => ({ data_time: 0, batch_time: 0, count: 0, samples: 0 });
const nowSec = (): number => performance.now() / 1000;

/** A batch begins: the time since the previous batch ended counts as data (reader) time. */
function startBatch(t: Timer): void {
  t.batch_data_end_time = nowSec();
  t.data_time += t.batch_data_end_time - (t.batch_start_time ?? t.batch_data_end_time);
}

/** A batch ends: its compute time, one more batch and its samples (logs.batch_size, else 1, returned). */
function endBatch(t: Timer, logs: Logs): number {
  const samples = typeof logs.batch_size === 'number' ? logs.batch_size : 1;
  t.batch_time += nowSec() - (t.batch_data_end_time ?? nowSec());
  t.count += 1;
  t.samples += samples;
  return samples;
}

/** The steps and metric names an eval / predict run's begin logs give (null and [] when absent). */
function runInfo(logs: Logs): [steps: number | null, metrics: string[]] {
  return [typeof logs.steps === 'number' ? logs.steps : null, Array.isArray(logs.metrics) ? (logs.metrics as string[]) : []];
}

const progBarParams = [p('log_freq', T.int, 1), p('verbose', T.int, 2)] as const;
const parseProgBar = makeParser('paddle.callbacks.ProgBarLogger', progBarParams);

/**
 * paddle.callbacks.ProgBarLogger(log_freq=1, verbose=2): prints 'Epoch 1/2' and, every
 * `log_freq` steps, the step with the loss (of the current batch), the metrics (averaged so
 * far) and the time per step: `step  10/938 - loss: 0.3421 - acc: 0.9012 - 12ms/step`.
 * verbose 0: silent; 1: a progress bar (redrawn in place on a terminal, a line per log
 * otherwise); 2: one line per log; 3: as 2 plus avg_reader_cost, avg_batch_cost and ips.
 * Model.fit adds one (with its log_freq and verbose) unless callbacks already hold one.
 * @example model.fit(train_dataset, { batch_size: 64, callbacks: new paddle.callbacks.ProgBarLogger(10) })
 */
export class ProgBarLogger extends Callback {
  epochs: number | null = null;
  steps: number | null = null;
  verbose: number;
  log_freq: number;
  /** Where the bar is written (process.stdout). */
  file: Writable = process.stdout;
  epoch = 0;
  train_metrics: string[] = [];
  eval_metrics: string[] = [];
  test_metrics: string[] = [];
  train_step = 0;
  eval_step = 0;
  test_step = 0;
  eval_steps: number | null = null;
  test_steps: number | null = null;
  evaled_samples = 0;
  tested_samples = 0;
  train_progbar: ProgressBar | null = null;
  eval_progbar: ProgressBar | null = null;
  test_progbar: ProgressBar | null = null;
  _train_timer: Timer = newTimer();
  _eval_timer: Timer = newTimer();
  _test_timer: Timer = newTimer();

  constructor(...args: [log_freq?: number, verbose?: number, kw?: { log_freq?: number; verbose?: number }] | [{ log_freq?: number; verbose?: number }]) {
    super();
    const a = parseProgBar(args) as { log_freq: number; verbose: number };
    if (a.log_freq <= 0) fail('paddle.callbacks.ProgBarLogger', `log_freq should be a positive integer, but got ${a.log_freq}`);
    this.log_freq = a.log_freq;
    this.verbose = a.verbose;
  }

  _is_print(): boolean {
    return Boolean(this.verbose) && localRank() === 0;
  }

  override on_train_begin(): void {
    this.epochs = this.params.epochs ?? null;
    if (!this.epochs) fail('paddle.callbacks.ProgBarLogger', "params['epochs'] should be set before training");
    this.train_metrics = this.params.metrics ?? [];
    this._train_timer = newTimer();
    if (this._is_print())
      print('The loss value printed in the log is the current step, and the metric is the average value of previous step.');
  }

  override on_epoch_begin(epoch: number): void {
    this.steps = this.params.steps ?? null;
    this.epoch = epoch;
    this.train_step = 0;
    if (this.epochs && this._is_print()) print(`Epoch ${epoch + 1}/${this.epochs}`);
    this.train_progbar = new ProgressBar(this.steps, 30, this.verbose, true, this.file);
    this._train_timer.batch_start_time = nowSec();
  }

  _updates(logs: Logs, mode: 'train' | 'eval' | 'test'): void {
    const values: [string, unknown][] = [];
    const metrics = mode === 'train' ? this.train_metrics : mode === 'eval' ? this.eval_metrics : this.test_metrics;
    const progbar = mode === 'train' ? this.train_progbar : mode === 'eval' ? this.eval_progbar : this.test_progbar;
    const steps = mode === 'train' ? this.train_step : mode === 'eval' ? this.eval_step : this.test_step;
    for (const k of metrics) if (k in logs) values.push([k, logs[k]]);
    if (this.verbose === 3) {
      const timer = mode === 'train' ? this._train_timer : mode === 'eval' ? this._eval_timer : this._test_timer;
      const cnt = timer.count > 0 ? timer.count : 1;
      const samples = timer.samples > 0 ? timer.samples : 1;
      values.push(['avg_reader_cost', `${pyFixed(timer.data_time / cnt, 5)} sec`]);
      values.push(['avg_batch_cost', `${pyFixed(timer.batch_time / cnt, 5)} sec`]);
      values.push(['ips', `${pyFixed(samples / (timer.data_time + timer.batch_time), 5)} samples/sec`]);
    }
    progbar?.update(steps, values);
  }

  override on_train_batch_begin(): void {
    startBatch(this._train_timer);
  }

  override on_train_batch_end(_step: number, logs?: Logs | null): void {
    logs = logs ?? {};
    this.train_step += 1;
    endBatch(this._train_timer, logs);
    if (this._is_print() && this.train_step % this.log_freq === 0)
      if (this.steps === null || this.train_step < this.steps) this._updates(logs, 'train');
    this._train_timer.batch_start_time = nowSec();
  }

  override on_epoch_end(_epoch: number, logs?: Logs | null): void {
    logs = logs ?? {};
    if (this._is_print() && this.steps !== null) this._updates(logs, 'train');
  }

  override on_eval_begin(logs?: Logs | null): void {
    [this.eval_steps, this.eval_metrics] = runInfo(logs ?? {});
    this.eval_step = 0;
    this.evaled_samples = 0;
    this._eval_timer = newTimer();
    this.eval_progbar = new ProgressBar(this.eval_steps, 30, this.verbose, true, this.file);
    if (this._is_print()) print('Eval begin...');
    this._eval_timer.batch_start_time = nowSec();
  }

  override on_eval_batch_begin(): void {
    startBatch(this._eval_timer);
  }

  override on_eval_batch_end(_step: number, logs?: Logs | null): void {
    logs = logs ?? {};
    this.eval_step += 1;
    this.evaled_samples += endBatch(this._eval_timer, logs);
    if (this._is_print() && this.eval_step % this.log_freq === 0)
      if (this.eval_steps === null || this.eval_step < this.eval_steps) this._updates(logs, 'eval');
    this._eval_timer.batch_start_time = nowSec();
  }

  override on_predict_begin(logs?: Logs | null): void {
    [this.test_steps, this.test_metrics] = runInfo(logs ?? {});
    this.test_step = 0;
    this.tested_samples = 0;
    this._test_timer = newTimer();
    this.test_progbar = new ProgressBar(this.test_steps, 30, this.verbose, true, this.file);
    if (this._is_print()) print('Predict begin...');
    this._test_timer.batch_start_time = nowSec();
  }

  override on_predict_batch_begin(): void {
    startBatch(this._test_timer);
  }

  override on_predict_batch_end(_step: number, logs?: Logs | null): void {
    logs = logs ?? {};
    this.test_step += 1;
    this.tested_samples += endBatch(this._test_timer, logs);
    if (this.test_step % this.log_freq === 0 && this._is_print())
      if (this.test_steps === null || this.test_step < this.test_steps) this._updates(logs, 'test');
    this._test_timer.batch_start_time = nowSec();
  }

  override on_eval_end(logs?: Logs | null): void {
    logs = logs ?? {};
    if (this._is_print() && this.eval_steps !== null) {
      this._updates(logs, 'eval');
      print(`Eval samples: ${this.evaled_samples}`);
    }
  }

  override on_predict_end(logs?: Logs | null): void {
    logs = logs ?? {};
    if (this._is_print()) {
      if (this.test_step % this.log_freq !== 0 || this.verbose === 1) this._updates(logs, 'test');
      print(`Predict samples: ${this.tested_samples}`);
    }
  }
}

const checkpointParams = [p('save_freq', T.int, 1), p('save_dir', T.nullable(T.str), null as string | null)] as const;
const parseCheckpoint = makeParser('paddle.callbacks.ModelCheckpoint', checkpointParams);

/**
 * paddle.callbacks.ModelCheckpoint(save_freq=1, save_dir=None): saves the model (parameters
 * `.pdparams` and optimizer state `.pdopt`) to `save_dir/{epoch}` every `save_freq` epochs
 * and to `save_dir/final` at the end of training; does nothing when save_dir is None.
 * Model.fit adds one with its own save_freq and save_dir unless callbacks already hold one.
 * @example model.fit(train_dataset, { callbacks: new paddle.callbacks.ModelCheckpoint({ save_dir: './ckpt' }) })
 */
export class ModelCheckpoint extends Callback {
  save_freq: number;
  save_dir: string | null;
  epoch = 0;
  constructor(...args: [save_freq?: number, save_dir?: string | null, kw?: { save_freq?: number; save_dir?: string | null }] | [{ save_freq?: number; save_dir?: string | null }]) {
    super();
    const a = parseCheckpoint(args) as { save_freq: number; save_dir: string | null };
    if (a.save_freq <= 0) fail('paddle.callbacks.ModelCheckpoint', `save_freq should be a positive integer, but got ${a.save_freq}`);
    this.save_freq = a.save_freq;
    this.save_dir = a.save_dir;
  }
  override on_epoch_begin(epoch: number): void {
    this.epoch = epoch;
  }
  _is_save(): boolean {
    return Boolean(this.model && this.save_dir && localRank() === 0);
  }
  override on_epoch_end(epoch: number): void {
    if (this._is_save() && this.epoch % this.save_freq === 0) {
      const path = `${this.save_dir}/${epoch}`;
      print(`save checkpoint at ${resolve(path)}`);
      this.model!.save(path);
    }
  }
  override on_train_end(): void {
    if (this._is_save()) {
      const path = `${this.save_dir}/final`;
      print(`save checkpoint at ${resolve(path)}`);
      this.model!.save(path);
    }
  }
}

const lrParams = [p('by_step', T.bool, true), p('by_epoch', T.bool, false)] as const;
const parseLR = makeParser('paddle.callbacks.LRScheduler', lrParams);

/**
 * paddle.callbacks.LRScheduler(by_step=True, by_epoch=False): steps the optimizer's
 * learning-rate scheduler (a paddle.optimizer.lr.LRScheduler) after every training batch
 * (by_step) or after every epoch (by_epoch). Model.fit adds a by-step one unless callbacks
 * already hold one.
 * @example model.fit(train_dataset, { callbacks: new paddle.callbacks.LRScheduler({ by_step: false, by_epoch: true }) })
 */
export class LRScheduler extends Callback {
  by_step: boolean;
  by_epoch: boolean;
  constructor(...args: [by_step?: boolean, by_epoch?: boolean, kw?: { by_step?: boolean; by_epoch?: boolean }] | [{ by_step?: boolean; by_epoch?: boolean }]) {
    super();
    const a = parseLR(args) as { by_step: boolean; by_epoch: boolean };
    if (a.by_step && a.by_epoch) fail('paddle.callbacks.LRScheduler', 'by_step option is mutually exclusive with by_epoch');
    this.by_step = a.by_step;
    this.by_epoch = a.by_epoch;
  }
  private stepScheduler(): void {
    const opt = this.model?._optimizer as { _learning_rate?: unknown } | null | undefined;
    if (opt && opt._learning_rate instanceof LRSchedulerBase) opt._learning_rate.step();
  }
  override on_epoch_end(): void {
    if (this.by_epoch) this.stepScheduler();
  }
  override on_train_batch_end(): void {
    if (this.by_step) this.stepScheduler();
  }
}

type Cmp = (a: number, b: number) => boolean;
const less: Cmp = (a, b) => a < b;
const greater: Cmp = (a, b) => a > b;

const earlyParams = [
  p('monitor', T.str, 'loss'),
  p('mode', T.str, 'auto'),
  p('patience', T.int, 0),
  p('verbose', T.int, 1),
  p('min_delta', T.float, 0),
  p('baseline', T.nullable(T.float), null as number | null),
  p('save_best_model', T.bool, true),
] as const;
const parseEarly = makeParser('paddle.callbacks.EarlyStopping', earlyParams);
interface EarlyOpts {
  monitor?: string;
  mode?: string;
  patience?: number;
  verbose?: number;
  min_delta?: number;
  baseline?: number | null;
  save_best_model?: boolean;
}

/**
 * paddle.callbacks.EarlyStopping(monitor='loss', mode='auto', patience=0, verbose=1,
 * min_delta=0, baseline=None, save_best_model=True): after each evaluation, stops training
 * (`model.stop_training = true`) when `monitor` has not improved by more than `min_delta`
 * for `patience` evaluations in a row. mode 'min' / 'max' says which way is better; 'auto'
 * picks 'max' when the name contains 'acc', else 'min'. `baseline` is the value to beat at
 * the start. With save_best_model and fit's save_dir, the best model is saved to
 * `save_dir/best_model`. Needs eval_data in fit.
 * @example
 * const es = new paddle.callbacks.EarlyStopping('loss', { mode: 'min', patience: 1 });
 * model.fit(train, val, { epochs: 20, save_dir: './ckpt', callbacks: [es] });
 */
export class EarlyStopping extends Callback {
  monitor: string;
  patience: number;
  verbose: number;
  baseline: number | null;
  min_delta: number;
  wait_epoch = 0;
  best_weights: unknown = null;
  stopped_epoch = 0;
  save_best_model: boolean;
  /** Set by Model.fit from its save_dir. */
  save_dir: string | null = null;
  monitor_op: Cmp;
  best_value = Infinity;

  constructor(
    ...args:
      | [monitor?: string, mode?: string, patience?: number, verbose?: number, min_delta?: number, baseline?: number | null, save_best_model?: boolean, kw?: EarlyOpts]
      | [string, EarlyOpts]
      | [EarlyOpts]
  ) {
    super();
    const a = parseEarly(args) as Required<EarlyOpts>;
    this.monitor = a.monitor;
    this.patience = a.patience;
    this.verbose = a.verbose;
    this.baseline = a.baseline;
    this.min_delta = Math.abs(a.min_delta);
    this.save_best_model = a.save_best_model;
    let mode = a.mode;
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
      warn(`EarlyStopping mode ${mode} is unknown, fallback to auto mode.`);
      mode = 'auto';
    }
    if (mode === 'min') this.monitor_op = less;
    else if (mode === 'max') this.monitor_op = greater;
    else this.monitor_op = this.monitor.includes('acc') ? greater : less;
    if (this.monitor_op === less) this.min_delta *= -1;
  }

  override on_train_begin(): void {
    this.wait_epoch = 0;
    if (this.baseline !== null) this.best_value = this.baseline;
    else {
      this.best_value = this.monitor_op === less ? Infinity : -Infinity;
      this.best_weights = null;
    }
  }

  override on_eval_end(logs?: Logs | null): void {
    if (!logs || !(this.monitor in logs)) {
      warn('Monitor of EarlyStopping should be loss or metric name.');
      return;
    }
    const current = scalarOf(logs[this.monitor]);
    if (current === null) return;
    if (this.monitor_op(current - this.min_delta, this.best_value)) {
      this.best_value = current;
      this.wait_epoch = 0;
      if (this.save_best_model && this.save_dir !== null) this.model!.save(join(this.save_dir, 'best_model'));
    } else this.wait_epoch += 1;
    if (this.wait_epoch >= this.patience) {
      if (this.model) this.model.stop_training = true;
      if (this.verbose > 0) {
        print(`Epoch ${this.stopped_epoch + 1}: Early stopping.`);
        if (this.save_best_model && this.save_dir !== null) print(`Best checkpoint has been saved at ${resolve(join(this.save_dir, 'best_model'))}`);
      }
    }
    this.stopped_epoch += 1;
  }
}

/**
 * The scalar log VisualDL writes: here one JSON object per line,
 * `{"tag": "train/loss", "step": 10, "value": 0.34, "wall_time": 1712345678.9}`, appended to
 * `<log_dir>/vdlrecords.<timestamp>.jsonl` (VisualDL's own record format is a protobuf
 * stream; this file carries the same fields, readable by any JSON-lines tool).
 */
export class ScalarLogWriter {
  readonly file: string;
  private fd: number | null;
  constructor(log_dir: string) {
    mkdirSync(log_dir, { recursive: true });
    this.file = join(log_dir, `vdlrecords.${Date.now()}.jsonl`);
    this.fd = openSync(this.file, 'a');
  }
  add_scalar(tag: string, step: number, value: number): void {
    if (this.fd === null) return;
    writeSync(this.fd, JSON.stringify({ tag, step, value, wall_time: Date.now() / 1000 }) + '\n');
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * paddle.callbacks.VisualDL(log_dir): logs the training loss and metrics every batch
 * (`train/<name>`, step = global batch count) and the evaluation results after each
 * evaluation (`eval/<name>`, step = epoch) as scalars in `log_dir` (see ScalarLogWriter for
 * the file: JSON lines, one scalar each).
 * @example model.fit(train, val, { batch_size: 64, callbacks: new paddle.callbacks.VisualDL('visualdl_log_dir') })
 */
export class VisualDL extends Callback {
  log_dir: string;
  epochs: number | null = null;
  steps: number | null = null;
  epoch = 0;
  train_metrics: string[] = [];
  eval_metrics: string[] = [];
  train_step = 0;
  eval_step = 0;
  eval_steps: number | null = null;
  evaled_samples = 0;
  writer: ScalarLogWriter | null = null;
  _is_fit = false;
  constructor(...args: [log_dir: string] | [{ log_dir: string }]) {
    super();
    const a = makeParser('paddle.callbacks.VisualDL', [p('log_dir', T.str)])(args) as { log_dir: string };
    this.log_dir = a.log_dir;
  }
  _is_write(): boolean {
    return localRank() === 0;
  }
  override on_train_begin(): void {
    this.epochs = this.params.epochs ?? null;
    this.train_metrics = this.params.metrics ?? [];
    this._is_fit = true;
    this.train_step = 0;
  }
  override on_epoch_begin(epoch: number): void {
    this.steps = this.params.steps ?? null;
    this.epoch = epoch;
  }
  _updates(logs: Logs, mode: 'train' | 'eval'): void {
    if (!this._is_write()) return;
    this.writer ??= new ScalarLogWriter(this.log_dir);
    const metrics = mode === 'train' ? this.train_metrics : this.eval_metrics;
    const step = mode === 'train' ? this.train_step : this.epoch;
    for (const k of metrics) {
      if (!(k in logs)) continue;
      const v = scalarOf(logs[k]);
      if (v === null) continue;
      this.writer.add_scalar(`${mode}/${k}`, step, v);
    }
  }
  override on_train_batch_end(_step: number, logs?: Logs | null): void {
    this.train_step += 1;
    if (this._is_write()) this._updates(logs ?? {}, 'train');
  }
  override on_eval_begin(logs?: Logs | null): void {
    [this.eval_steps, this.eval_metrics] = runInfo(logs ?? {});
    this.eval_step = 0;
    this.evaled_samples = 0;
  }
  override on_train_end(): void {
    this.writer?.close();
    this.writer = null;
  }
  override on_eval_end(logs?: Logs | null): void {
    if (!this._is_write()) return;
    this._updates(logs ?? {}, 'eval');
    if (!this._is_fit && this.writer) {
      this.writer.close();
      this.writer = null;
    }
  }
}

const plateauParams = [
  p('monitor', T.str, 'loss'),
  p('factor', T.float, 0.1),
  p('patience', T.int, 10),
  p('verbose', T.int, 1),
  p('mode', T.str, 'auto'),
  p('min_delta', T.float, 1e-4),
  p('cooldown', T.int, 0),
  p('min_lr', T.float, 0),
] as const;
const parsePlateau = makeParser('paddle.callbacks.ReduceLROnPlateau', plateauParams);
interface PlateauOpts {
  monitor?: string;
  factor?: number;
  patience?: number;
  verbose?: number;
  mode?: string;
  min_delta?: number;
  cooldown?: number;
  min_lr?: number;
}

/**
 * paddle.callbacks.ReduceLROnPlateau(monitor='loss', factor=0.1, patience=10, verbose=1,
 * mode='auto', min_delta=1e-4, cooldown=0, min_lr=0): after each evaluation, multiplies the
 * optimizer's learning rate by `factor` (not below min_lr) when `monitor` has not improved
 * (by min_delta) for `patience` evaluations, then waits `cooldown` evaluations. Only a float
 * learning rate is changed; with an LRScheduler it warns and does nothing.
 * @example model.fit(train, val, { epochs: 20, callbacks: [new paddle.callbacks.ReduceLROnPlateau({ patience: 3 })] })
 */
export class ReduceLROnPlateau extends Callback {
  monitor: string;
  factor: number;
  min_lr: number;
  min_delta: number;
  patience: number;
  verbose: number;
  cooldown: number;
  cooldown_counter = 0;
  wait = 0;
  best = 0;
  mode: string;
  monitor_op: Cmp = less;
  epoch = 0;

  constructor(
    ...args:
      | [monitor?: string, factor?: number, patience?: number, verbose?: number, mode?: string, min_delta?: number, cooldown?: number, min_lr?: number, kw?: PlateauOpts]
      | [string, PlateauOpts]
      | [PlateauOpts]
  ) {
    super();
    const a = parsePlateau(args) as Required<PlateauOpts>;
    if (a.factor >= 1.0) fail('paddle.callbacks.ReduceLROnPlateau', 'ReduceLROnPlateau does not support a factor >= 1.0.');
    this.monitor = a.monitor;
    this.factor = a.factor;
    this.min_lr = a.min_lr;
    this.min_delta = a.min_delta;
    this.patience = a.patience;
    this.verbose = a.verbose;
    this.cooldown = a.cooldown;
    this.mode = a.mode;
    this._reset();
  }

  _reset(): void {
    if (this.mode !== 'auto' && this.mode !== 'min' && this.mode !== 'max') {
      warn(`Learning rate reduction mode ${this.mode} is unknown, fallback to auto mode.`);
      this.mode = 'auto';
    }
    if (this.mode === 'min' || (this.mode === 'auto' && !this.monitor.includes('acc'))) {
      this.monitor_op = (a, b) => a < b - this.min_delta;
      this.best = Infinity;
    } else {
      this.monitor_op = (a, b) => a > b + this.min_delta;
      this.best = -Infinity;
    }
    this.cooldown_counter = 0;
    this.wait = 0;
  }

  override on_train_begin(): void {
    this._reset();
  }

  in_cooldown(): boolean {
    return this.cooldown_counter > 0;
  }

  override on_eval_end(logs?: Logs | null): void {
    if (!logs || !(this.monitor in logs)) {
      warn('Monitor of ReduceLROnPlateau should be loss or metric name.');
      return;
    }
    const opt = this.model?._optimizer as { _learning_rate?: unknown; get_lr(): number; set_lr(v: number): void } | null | undefined;
    if (!opt) {
      warn('There are something wrong when get learning_rate from optimizer: the model has no optimizer.');
      return;
    }
    if (typeof opt._learning_rate !== 'number') {
      warn(`Expected learning_rate be float, bug got ${(opt._learning_rate as object)?.constructor?.name ?? typeof opt._learning_rate}.`);
      return;
    }
    const current = scalarOf(logs[this.monitor]);
    if (current === null) return;
    if (this.in_cooldown()) {
      this.cooldown_counter -= 1;
      this.wait = 0;
    }
    if (this.monitor_op(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.in_cooldown()) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = opt.get_lr();
        if (oldLr > Math.fround(this.min_lr)) {
          const newLr = Math.max(oldLr * this.factor, this.min_lr);
          opt.set_lr(newLr);
          if (this.verbose > 0 && localRank() === 0) print(`\nEpoch ${this.epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pyFloat(newLr)}.`);
          this.cooldown_counter = this.cooldown;
          this.wait = 0;
        }
      }
    }
    this.epoch += 1;
  }
}
