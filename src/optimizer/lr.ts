// paddle.optimizer.lr (python/paddle/optimizer/lr.py at 2.0): learning-rate schedulers. A
// scheduler is passed as an optimizer's learning_rate and stepped by the user
// (`scheduler.step()` per epoch or per iteration). The constructor already steps once, so
// `last_epoch` starts at 0 and `last_lr` holds the rate for epoch 0. A scheduler is callable,
// as in Python: `scheduler()` returns `last_lr`.
import { makeParser, p, type CallArgs, type Param, type Ty } from '../core/args.js';
import { T } from '../core/convert.js';
import { describe, fail, InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

/** Python's repr of a float (`0.5`, `1.0`, `1e-05`). */
function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = v.toExponential().split('e');
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** Scheduler state saved by state_dict: numbers, null, nested dicts. */
export type LRState = Record<string, unknown>;

/** LRScheduler instances can be called: `scheduler()` is `scheduler.last_lr`. */
export interface LRScheduler {
  (): number;
}

const numTy = T.float;
const baseParams = [p('learning_rate', numTy, 0.1), p('last_epoch', T.int, -1), p('verbose', T.bool, false)] as const;
const parseBase = makeParser('paddle.optimizer.lr.LRScheduler', baseParams);

/**
 * Base class of learning-rate schedulers. Subclasses implement `get_lr()`, which computes the
 * rate for `this.last_epoch` (from `this.base_lr` and their own settings).
 *
 * A subclass of your own: call `super(learning_rate, last_epoch, verbose)`, set the fields
 * get_lr needs, and its first step runs when the scheduler is first used (the built-in ones
 * step at the end of their constructors, as Paddle's do).
 * @param learning_rate the initial rate (0.1)
 * @param last_epoch the epoch to resume from (-1: start)
 * @param verbose print the rate at every step
 * @example
 * class MyLR extends paddle.optimizer.lr.LRScheduler {
 *   get_lr() { return this.base_lr * 0.5 ** this.last_epoch; }
 * }
 */
export class LRScheduler {
  // (declared only: the instance is the function made in the constructor)
  declare base_lr: number;
  /** @internal */ declare _last_lr: number;
  /** @internal */ declare _last_epoch: number;
  declare verbose: boolean;
  /** @internal The static-mode learning-rate variable's name (set by the optimizer). */
  declare _var_name: string | null;
  /** @internal The constructor's step has not run yet. */
  declare _pending: boolean;
  /** @internal */ declare keys: string[];

  constructor(...args: CallArgs<typeof baseParams>) {
    const a = parseBase(args) as { learning_rate: number; last_epoch: number; verbose: boolean };
    // An instance is a function (so `scheduler()` works) with the subclass's prototype.
    const self = function (this: unknown): number {
      return (self as unknown as LRScheduler).last_lr;
    } as unknown as LRScheduler;
    delete (self as { name?: unknown }).name;
    delete (self as { length?: unknown }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    self.base_lr = a.learning_rate;
    self._last_lr = a.learning_rate;
    self._last_epoch = a.last_epoch;
    self.verbose = a.verbose;
    self._var_name = null;
    self._pending = true;
    self.keys = [];
    return self;
  }

  /** The rate computed by the latest step. */
  get last_lr(): number {
    this._start();
    return this._last_lr;
  }
  set last_lr(v: number) {
    this._last_lr = v;
  }
  /** The epoch count: 0 after construction, +1 per step(). */
  get last_epoch(): number {
    this._start();
    return this._last_epoch;
  }
  set last_epoch(v: number) {
    this._last_epoch = v;
  }

  /** @internal Runs the constructor's step if it has not run yet. */
  _start(): void {
    if (!this._pending) return;
    this._pending = false;
    this.step();
  }

  /** The current rate (same as `scheduler()`). */
  __call__(): number {
    return this.last_lr;
  }

  /**
   * Advances to the next epoch (or to `epoch`) and recomputes `last_lr`. Call it once per
   * epoch or per iteration, as the schedule intends.
   * @param epoch the epoch to jump to (default: last_epoch + 1)
   */
  step(epoch?: number | null | { epoch?: number | null }): void {
    this._pending = false;
    if (epoch !== null && typeof epoch === 'object') epoch = epoch.epoch;
    if (epoch === undefined || epoch === null) {
      this._last_epoch += 1;
      this._last_lr = this.get_lr();
    } else {
      if (typeof epoch !== 'number') fail(`${this.constructor.name}.step`, `argument 'epoch' expected an integer, but got ${describe(epoch)}`);
      this._last_epoch = epoch;
      this._last_lr = this._get_closed_form_lr ? this._get_closed_form_lr() : this.get_lr();
    }
    if (this.verbose) console.log(`Epoch ${this._last_epoch}: ${this.constructor.name} set learning rate to ${pyFloat(this._last_lr)}.`);
  }

  /** @internal A closed form used by step(epoch) where the recursive get_lr cannot jump. */
  _get_closed_form_lr?(): number;

  /** The rate for `last_epoch`; subclasses implement it. */
  get_lr(): number {
    return fail(`${this.constructor.name}.get_lr`, 'LRScheduler subclasses must implement get_lr()', NotImplementedLR);
  }

  /** Declares the attributes state_dict saves (default last_epoch and last_lr). */
  state_keys(): void {
    this.keys = ['last_epoch', 'last_lr'];
  }

  /** The state to checkpoint: the attributes named by state_keys(). */
  state_dict(): LRState {
    this._start();
    this.state_keys();
    const out: LRState = {};
    for (const k of this.keys) {
      let v = (this as unknown as Record<string, unknown>)[k];
      if (v === undefined) continue;
      if (v instanceof Tensor) {
        if (v.size !== 1) fail(`${this.constructor.name}.state_dict`, `a Tensor in state_dict must have shape [1], but '${k}' has shape [${v.shape}]`);
        v = Number(v.item());
      }
      out[k] = v;
    }
    return out;
  }

  /** Restores the state saved by state_dict. */
  set_state_dict(state_dict: LRState): void {
    const api = `${this.constructor.name}.set_state_dict`;
    if (state_dict === null || typeof state_dict !== 'object') fail(api, `argument 'state_dict' expected a dict, but got ${describe(state_dict)}`);
    this._pending = false;
    this.state_keys();
    for (const k of this.keys) {
      if (!(k in state_dict))
        fail(api, `Please check whether state_dict is correct for optimizer. Can't find [ ${k} ] in state_dict`, NotFoundError);
      const v = state_dict[k];
      (this as unknown as Record<string, unknown>)[k] = v instanceof Tensor ? Number(v.item()) : typeof v === 'bigint' ? Number(v) : v;
    }
    if (Object.keys(state_dict).length > this.keys.length)
      console.warn("There are some unused values in state_dict. Maybe the optimizer have different 'LearningRateDecay' when invoking state_dict and set_dict");
  }
  /** Alias of set_state_dict. */
  set_dict(state_dict: LRState): void {
    this.set_state_dict(state_dict);
  }

  toString(): string {
    return `${this.constructor.name}(last_epoch=${this._last_epoch}, last_lr=${pyFloat(this._last_lr)})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

class NotImplementedLR extends InvalidArgumentError {}

/** The trailing parameters every scheduler takes. */
const tail = [p('last_epoch', T.int, -1), p('verbose', T.bool, false)] as const;
/** The parser of a scheduler's parameters. */
function parser(name: string, params: readonly Param<string, any, any, boolean>[]): (args: unknown[]) => Record<string, any> {
  return makeParser(`paddle.optimizer.lr.${name}`, params);
}
const lrTy = T.float;

const noamParams = [p('d_model', T.float), p('warmup_steps', T.int), p('learning_rate', lrTy, 1.0), ...tail] as const;
const parseNoam = parser('NoamDecay', noamParams);
/**
 * The Transformer schedule: learning_rate * d_model^-0.5 * min(epoch^-0.5, epoch *
 * warmup_steps^-1.5) (epoch 0 counts as a first factor of 1).
 * @param d_model the model's hidden size
 * @param warmup_steps the number of warmup steps
 * @param learning_rate the base rate (1.0)
 * @example const s = new paddle.optimizer.lr.NoamDecay({ d_model: 0.01, warmup_steps: 100 })
 */
export class NoamDecay extends LRScheduler {
  d_model!: number;
  warmup_steps!: number;
  constructor(...args: CallArgs<typeof noamParams>) {
    const a = parseNoam(args);
    super(a.learning_rate, a.last_epoch, a.verbose);
    this.d_model = a.d_model;
    this.warmup_steps = a.warmup_steps;
    this._start();
  }
  override get_lr(): number {
    const e = this._last_epoch;
    const a = e === 0 ? 1 : e ** -0.5;
    const b = this.warmup_steps ** -1.5 * e;
    return this.base_lr * this.d_model ** -0.5 * Math.min(a, b);
  }
}

const piecewiseParams = [p('boundaries', T.floats), p('values', T.floats), ...tail] as const;
const parsePiecewise = parser('PiecewiseDecay', piecewiseParams);
/**
 * values[i] while epoch < boundaries[i], and the last value after the last boundary.
 * @param boundaries increasing epoch boundaries
 * @param values the rates, one more than boundaries
 * @example const s = new paddle.optimizer.lr.PiecewiseDecay({ boundaries: [3, 6, 9], values: [0.1, 0.2, 0.3, 0.4] })
 */
export class PiecewiseDecay extends LRScheduler {
  boundaries!: number[];
  values!: number[];
  constructor(...args: CallArgs<typeof piecewiseParams>) {
    const a = parsePiecewise(args);
    super(0.1, a.last_epoch, a.verbose);
    this.boundaries = a.boundaries;
    this.values = a.values;
    if (a.values.length === 0) fail('paddle.optimizer.lr.PiecewiseDecay', "argument 'values' must not be empty");
    this._start();
  }
  override get_lr(): number {
    for (let i = 0; i < this.boundaries.length; i++) if (this._last_epoch < this.boundaries[i]) return this.values[i];
    return this.values[this.values.length - 1];
  }
}

const gammaParams = [p('learning_rate', lrTy), p('gamma', T.float), ...tail] as const;
const parseGamma = (name: string) => parser(name, gammaParams);
const parseNatural = parseGamma('NaturalExpDecay');
/**
 * learning_rate * exp(-gamma * epoch).
 * @param learning_rate the initial rate
 * @param gamma the decay rate
 * @example const s = new paddle.optimizer.lr.NaturalExpDecay({ learning_rate: 0.5, gamma: 0.1 })
 */
export class NaturalExpDecay extends LRScheduler {
  gamma!: number;
  constructor(...args: CallArgs<typeof gammaParams>) {
    const a = parseNatural(args);
    super(a.learning_rate, a.last_epoch, a.verbose);
    this.gamma = a.gamma;
    this._start();
  }
  override get_lr(): number {
    return this.base_lr * Math.exp(-1 * this.gamma * this._last_epoch);
  }
}

const parseInverse = parseGamma('InverseTimeDecay');
/**
 * learning_rate / (1 + gamma * epoch).
 * @param learning_rate the initial rate
 * @param gamma the decay rate
 * @example const s = new paddle.optimizer.lr.InverseTimeDecay({ learning_rate: 0.5, gamma: 0.1 })
 */
export class InverseTimeDecay extends LRScheduler {
  gamma!: number;
  constructor(...args: CallArgs<typeof gammaParams>) {
    const a = parseInverse(args);
    super(a.learning_rate, a.last_epoch, a.verbose);
    this.gamma = a.gamma;
    this._start();
  }
  override get_lr(): number {
    return this.base_lr / (1 + this.gamma * this._last_epoch);
  }
}

const polyParams = [
  p('learning_rate', lrTy), p('decay_steps', T.int), p('end_lr', T.float, 0.0001), p('power', T.float, 1.0), p('cycle', T.bool, false),
  ...tail,
] as const;
const parsePoly = parser('PolynomialDecay', polyParams);
/**
 * (learning_rate - end_lr) * (1 - epoch / decay_steps)^power + end_lr, held at end_lr after
 * decay_steps; with cycle, decay_steps grows to the next multiple instead so the decay restarts.
 * @param learning_rate the initial rate
 * @param decay_steps steps over which the rate decays
 * @param end_lr the final rate (0.0001)
 * @param power the polynomial's power (1.0)
 * @param cycle restart the decay after decay_steps (false)
 * @example const s = new paddle.optimizer.lr.PolynomialDecay({ learning_rate: 0.5, decay_steps: 20 })
 */
export class PolynomialDecay extends LRScheduler {
  decay_steps!: number;
  end_lr!: number;
  power!: number;
  cycle!: boolean;
  constructor(...args: CallArgs<typeof polyParams>) {
    const a = parsePoly(args);
    super(a.learning_rate, a.last_epoch, a.verbose);
    if (!(a.decay_steps > 0)) fail('paddle.optimizer.lr.PolynomialDecay', `decay_steps must be a positive integer, but got ${a.decay_steps}`);
    this.decay_steps = a.decay_steps;
    this.end_lr = a.end_lr;
    this.power = a.power;
    this.cycle = a.cycle;
    this._start();
  }
  override get_lr(): number {
    let epoch = this._last_epoch;
    let steps = this.decay_steps;
    if (this.cycle) {
      let div = Math.ceil(epoch / this.decay_steps);
      if (epoch === 0) div = 1;
      steps = this.decay_steps * div;
    } else epoch = Math.min(epoch, this.decay_steps);
    return (this.base_lr - this.end_lr) * (1 - epoch / steps) ** this.power + this.end_lr;
  }
}

const lrOrSchedulerTy: Ty<number | LRScheduler> = {
  desc: 'a number or an LRScheduler',
  parse: (v: unknown, api: string, arg: string): number | LRScheduler => {
    if (typeof v === 'number' || v instanceof LRScheduler) return v as number | LRScheduler;
    return fail(api, `the type of ${arg} should be [int, float or LRScheduler], the current type is ${describe(v)}`);
  },
};
const warmupParams = [p('learning_rate', lrOrSchedulerTy), p('warmup_steps', T.int), p('start_lr', T.float), p('end_lr', T.float), ...tail] as const;
const parseWarmup = parser('LinearWarmup', warmupParams);
/**
 * Rises linearly from start_lr to end_lr over warmup_steps, then follows learning_rate (a
 * number, or a scheduler that is stepped from then on).
 * @param learning_rate the rate (or scheduler) after warmup
 * @param warmup_steps the warmup length
 * @param start_lr the rate at epoch 0
 * @param end_lr the rate reached at warmup_steps (must be > start_lr)
 * @example const s = new paddle.optimizer.lr.LinearWarmup({ learning_rate: 0.5, warmup_steps: 20, start_lr: 0, end_lr: 0.5 })
 */
export class LinearWarmup extends LRScheduler {
  learning_rate!: number | LRScheduler;
  warmup_steps!: number;
  start_lr!: number;
  end_lr!: number;
  constructor(...args: CallArgs<typeof warmupParams>) {
    const a = parseWarmup(args);
    if (!(a.end_lr > a.start_lr)) fail('paddle.optimizer.lr.LinearWarmup', `end_lr ${a.end_lr} must be greater than start_lr ${a.start_lr}`);
    super(a.start_lr, a.last_epoch, a.verbose);
    this.learning_rate = a.learning_rate;
    this.warmup_steps = a.warmup_steps;
    this.start_lr = a.start_lr;
    this.end_lr = a.end_lr;
    this._start();
  }
  override state_dict(): LRState {
    const s = super.state_dict();
    if (this.learning_rate instanceof LRScheduler) s.LinearWarmup_LR = this.learning_rate.state_dict();
    return s;
  }
  override set_state_dict(state_dict: LRState): void {
    super.set_state_dict(state_dict);
    if (this.learning_rate instanceof LRScheduler) this.learning_rate.set_state_dict(state_dict.LinearWarmup_LR as LRState);
  }
  override get_lr(): number {
    if (this._last_epoch < this.warmup_steps)
      return ((this.end_lr - this.start_lr) * this._last_epoch) / this.warmup_steps + this.start_lr;
    if (this.learning_rate instanceof LRScheduler) {
      const v = this.learning_rate.last_lr;
      this.learning_rate.step();
      return v;
    }
    return this.learning_rate;
  }
}

const parseExp = parseGamma('ExponentialDecay');
/**
 * learning_rate * gamma^epoch.
 * @param learning_rate the initial rate
 * @param gamma the decay factor per epoch
 * @example const s = new paddle.optimizer.lr.ExponentialDecay({ learning_rate: 0.5, gamma: 0.9 })
 */
export class ExponentialDecay extends LRScheduler {
  gamma!: number;
  constructor(...args: CallArgs<typeof gammaParams>) {
    const a = parseExp(args);
    super(a.learning_rate, a.last_epoch, a.verbose);
    this.gamma = a.gamma;
    this._start();
  }
  override get_lr(): number {
    return this.base_lr * this.gamma ** this._last_epoch;
  }
}

const multiParams = [p('learning_rate', lrTy), p('milestones', T.floats), p('gamma', T.float, 0.1), ...tail] as const;
const parseMulti = parser('MultiStepDecay', multiParams);
/**
 * learning_rate * gamma^k, k the number of milestones the epoch has reached.
 * @param learning_rate the initial rate
 * @param milestones increasing epochs at which the rate drops
 * @param gamma the factor per milestone (< 1, default 0.1)
 * @example const s = new paddle.optimizer.lr.MultiStepDecay({ learning_rate: 0.5, milestones: [2, 4, 6], gamma: 0.8 })
 */
export class MultiStepDecay extends LRScheduler {
  milestones!: number[];
  gamma!: number;
  constructor(...args: CallArgs<typeof multiParams>) {
    const api = 'paddle.optimizer.lr.MultiStepDecay';
    const a = parseMulti(args);
    for (let i = 0; i + 1 < a.milestones.length; i++)
      if (!(a.milestones[i] < a.milestones[i + 1])) fail(api, 'The elements of milestones must be incremented');
    if (a.gamma >= 1.0) fail(api, 'gamma should be < 1.0.');
    super(a.learning_rate, a.last_epoch, a.verbose);
    this.milestones = a.milestones;
    this.gamma = a.gamma;
    this._start();
  }
  override get_lr(): number {
    for (let i = 0; i < this.milestones.length; i++) if (this._last_epoch < this.milestones[i]) return this.base_lr * this.gamma ** i;
    return this.base_lr * this.gamma ** this.milestones.length;
  }
}

const stepParams = [p('learning_rate', lrTy), p('step_size', T.int), p('gamma', T.float, 0.1), ...tail] as const;
const parseStep = parser('StepDecay', stepParams);
/**
 * learning_rate * gamma^(epoch // step_size).
 * @param learning_rate the initial rate
 * @param step_size epochs between drops
 * @param gamma the factor per drop (< 1, default 0.1)
 * @example const s = new paddle.optimizer.lr.StepDecay({ learning_rate: 0.5, step_size: 5, gamma: 0.8 })
 */
export class StepDecay extends LRScheduler {
  step_size!: number;
  gamma!: number;
  constructor(...args: CallArgs<typeof stepParams>) {
    const a = parseStep(args);
    if (a.gamma >= 1.0) fail('paddle.optimizer.lr.StepDecay', 'gamma should be < 1.0.');
    if (!(a.step_size > 0)) fail('paddle.optimizer.lr.StepDecay', `step_size must be a positive integer, but got ${a.step_size}`);
    super(a.learning_rate, a.last_epoch, a.verbose);
    this.step_size = a.step_size;
    this.gamma = a.gamma;
    this._start();
  }
  override get_lr(): number {
    return this.base_lr * this.gamma ** Math.floor(this._last_epoch / this.step_size);
  }
}

const lambdaParams = [p('learning_rate', lrTy), p('lr_lambda', T.fn), ...tail] as const;
const parseLambda = parser('LambdaDecay', lambdaParams);
/**
 * learning_rate * lr_lambda(epoch).
 * @param learning_rate the initial rate
 * @param lr_lambda a function of the epoch giving the factor
 * @example const s = new paddle.optimizer.lr.LambdaDecay({ learning_rate: 0.5, lr_lambda: (x) => 0.95 ** x })
 */
export class LambdaDecay extends LRScheduler {
  lr_lambda!: (epoch: number) => number;
  constructor(...args: CallArgs<typeof lambdaParams>) {
    const a = parseLambda(args);
    super(a.learning_rate, a.last_epoch, a.verbose);
    this.lr_lambda = a.lr_lambda;
    this._start();
  }
  override get_lr(): number {
    return this.base_lr * Number(this.lr_lambda(this._last_epoch));
  }
}

const plateauParams = [
  p('learning_rate', lrTy), p('mode', T.str, 'min'), p('factor', T.float, 0.1), p('patience', T.int, 10), p('threshold', T.float, 1e-4),
  p('threshold_mode', T.str, 'rel'), p('cooldown', T.int, 0), p('min_lr', T.float, 0), p('epsilon', T.float, 1e-8), p('verbose', T.bool, false),
] as const;
const parsePlateau = makeParser('paddle.optimizer.lr.ReduceOnPlateau', plateauParams);
/**
 * Multiplies the rate by factor when the metric given to step(metrics) has not improved for
 * more than patience steps (then waits cooldown steps). Unlike the others, step takes the
 * metric (a number or a shape-[1] Tensor), and the constructor does not step.
 * @param learning_rate the initial rate
 * @param mode 'min' (lower is better) or 'max'
 * @param factor the multiplier (< 1, default 0.1)
 * @param patience steps without improvement tolerated (10)
 * @param threshold the improvement needed (1e-4)
 * @param threshold_mode 'rel' (relative to the best) or 'abs'
 * @param cooldown steps to wait after a reduction (0)
 * @param min_lr the lowest rate (0)
 * @param epsilon reductions smaller than this are skipped (1e-8)
 * @example
 * const s = new paddle.optimizer.lr.ReduceOnPlateau({ learning_rate: 1.0, factor: 0.5, patience: 5 })
 * s.step(loss)
 */
export class ReduceOnPlateau extends LRScheduler {
  mode!: 'min' | 'max';
  factor!: number;
  patience!: number;
  threshold!: number;
  threshold_mode!: 'rel' | 'abs';
  cooldown!: number;
  min_lr!: number;
  epsilon!: number;
  cooldown_counter!: number;
  best!: number | null;
  num_bad_epochs!: number;
  constructor(...args: CallArgs<typeof plateauParams>) {
    const api = 'paddle.optimizer.lr.ReduceOnPlateau';
    const a = parsePlateau(args) as Record<string, any>;
    const mode = String(a.mode).toLowerCase();
    if (mode !== 'min' && mode !== 'max') fail(api, `mode: ${mode} is unknown!`);
    if (a.factor >= 1.0) fail(api, 'new_lr = origin_lr * gamma and gamma should be < 1.0.');
    const tmode = String(a.threshold_mode).toLowerCase();
    if (tmode !== 'rel' && tmode !== 'abs') fail(api, `threshold mode: ${tmode} is unknown!`);
    super(a.learning_rate, 0, a.verbose);
    this._pending = false;
    this._last_epoch = 0;
    this.mode = mode as 'min' | 'max';
    this.factor = a.factor;
    this.threshold_mode = tmode as 'rel' | 'abs';
    this.patience = a.patience;
    this.threshold = a.threshold;
    this.cooldown = a.cooldown;
    this.min_lr = a.min_lr;
    this.epsilon = a.epsilon;
    this.cooldown_counter = 0;
    this.best = null;
    this.num_bad_epochs = 0;
  }
  override state_keys(): void {
    this.keys = ['cooldown_counter', 'best', 'num_bad_epochs', 'last_epoch', 'last_lr'];
  }
  /**
   * Records a metric value and lowers the rate if it stopped improving.
   * @param metrics the monitored value (a number or a shape-[1] Tensor, e.g. the loss)
   * @param epoch the epoch (default: last_epoch + 1)
   */
  override step(metrics?: unknown, epoch?: number | null): void {
    const api = 'ReduceOnPlateau.step';
    if (metrics !== null && typeof metrics === 'object' && !(metrics instanceof Tensor) && !ArrayBuffer.isView(metrics)) {
      const kw = metrics as { metrics?: unknown; epoch?: number | null };
      metrics = kw.metrics;
      epoch = kw.epoch;
    }
    if (this._pending) {
      // never reached (the constructor does not step), kept for subclass safety
      this._pending = false;
    }
    this._last_epoch = epoch === undefined || epoch === null ? this._last_epoch + 1 : epoch;
    let m: number;
    if (metrics instanceof Tensor) {
      if (metrics.dims.length !== 1 || metrics.dims[0] !== 1)
        fail(api, `the metrics.shape should be [1], but the current metrics.shape is [${metrics.shape}]. Maybe that you should call paddle.mean to process it first.`);
      m = Number(metrics.item());
    } else if (typeof metrics === 'number') m = metrics;
    else return fail(api, `metrics must be 'int', 'float' or a shape-[1] 'paddle.Tensor', but received ${describe(metrics)}`);
    if (this.cooldown_counter > 0) this.cooldown_counter -= 1;
    else {
      if (this.best === null || this.isBetter(m, this.best)) {
        this.best = m;
        this.num_bad_epochs = 0;
      } else this.num_bad_epochs += 1;
      if (this.num_bad_epochs > this.patience) {
        this.cooldown_counter = this.cooldown;
        this.num_bad_epochs = 0;
        const next = Math.max(this._last_lr * this.factor, this.min_lr);
        if (this._last_lr - next > this.epsilon) {
          this._last_lr = next;
          if (this.verbose) console.log(`Epoch ${this._last_epoch}: ${this.constructor.name} set learning rate to ${pyFloat(this._last_lr)}.`);
        }
      }
    }
  }
  private isBetter(current: number, best: number): boolean {
    if (this.mode === 'min' && this.threshold_mode === 'rel') return current < best - best * this.threshold;
    if (this.mode === 'min') return current < best - this.threshold;
    if (this.threshold_mode === 'rel') return current > best + best * this.threshold;
    return current > best + this.threshold;
  }
  override get_lr(): number {
    return this._last_lr;
  }
}

const cosineParams = [p('learning_rate', lrTy), p('T_max', T.int), p('eta_min', T.float, 0), ...tail] as const;
const parseCosine = parser('CosineAnnealingDecay', cosineParams);
/**
 * Cosine annealing, eta_min + (learning_rate - eta_min) * (1 + cos(pi * epoch / T_max)) / 2,
 * computed recursively from the previous rate as Paddle (and SGDR) do; step(epoch) uses the
 * closed form.
 * @param learning_rate the initial rate
 * @param T_max half the cosine period, in epochs
 * @param eta_min the lowest rate (0)
 * @example const s = new paddle.optimizer.lr.CosineAnnealingDecay({ learning_rate: 0.5, T_max: 10 })
 */
export class CosineAnnealingDecay extends LRScheduler {
  T_max!: number;
  eta_min!: number;
  constructor(...args: CallArgs<typeof cosineParams>) {
    const a = parseCosine(args);
    super(a.learning_rate, a.last_epoch, a.verbose);
    if (!(a.T_max > 0)) fail('paddle.optimizer.lr.CosineAnnealingDecay', `T_max must be a positive integer, but got ${a.T_max}`);
    this.T_max = a.T_max;
    this.eta_min = a.eta_min;
    this._start();
  }
  override get_lr(): number {
    const e = this._last_epoch;
    const T = this.T_max;
    if (e === 0) return this.base_lr;
    if ((e - 1 - T) % (2 * T) === 0) return this._last_lr + ((this.base_lr - this.eta_min) * (1 - Math.cos(Math.PI / T))) / 2;
    return ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (this._last_lr - this.eta_min) + this.eta_min;
  }
  override _get_closed_form_lr(): number {
    return this.eta_min + ((this.base_lr - this.eta_min) * (1 + Math.cos((Math.PI * this._last_epoch) / this.T_max))) / 2;
  }
}
