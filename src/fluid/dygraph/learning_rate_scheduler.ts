// fluid.dygraph's learning-rate decays (python/paddle/fluid/dygraph/learning_rate_scheduler.py
// at 2.0): NoamDecay, PiecewiseDecay, NaturalExpDecay, ExponentialDecay, InverseTimeDecay,
// PolynomialDecay, CosineDecay and LinearLrWarmup. fluid.layers' decay functions return these
// in dygraph mode.
//
// A fluid decay counts `step_num` from `begin` by `step` and gives the rate for the current
// step_num. Here each is a paddle.optimizer.lr.LRScheduler, so the 2.0 optimizers accept it
// as learning_rate: `decay.last_lr` (and `decay()`) is the rate at step_num, and
// `decay.step()` moves step_num on by `step` (Paddle's fluid optimizers advanced it at every
// minimize; with the 2.0 optimizers call step() after each optimizer step, as for any
// scheduler). state_dict() saves `step_num`, as Paddle's.
import { makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { DType, parseDType } from '../../core/dtype.js';
import { describe, fail } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { LRScheduler } from '../../optimizer/lr.js';

const dtypeTy = T.union(T.dtype, T.str);

/**
 * Base class of the fluid decays: the rate is a function of `step_num`, which starts at
 * `begin` and grows by `step` at each step().
 */
export class LearningRateDecay extends LRScheduler {
  declare begin: number;
  declare step_size: number;
  declare dtype: DType;

  constructor(begin = 0, step = 1, dtype: DType | string = 'float32', learning_rate = 0) {
    super(typeof learning_rate === 'number' ? learning_rate : 0, -1, false);
    const d = parseDType(dtype);
    if (!d) fail(`paddle.fluid.dygraph.${new.target.name}`, `argument 'dtype' is not a dtype: ${describe(dtype)}`);
    this.begin = begin;
    this.step_size = step;
    this.dtype = d;
  }

  /** The current step: begin + (number of step() calls) * step. */
  get step_num(): number {
    return this.begin + Math.max(this._last_epoch, 0) * this.step_size;
  }
  set step_num(v: number) {
    if (typeof v !== 'number') fail(`${this.constructor.name}.step_num`, `expected a number, but got ${describe(v)}`);
    this._pending = false;
    this._last_epoch = (v - this.begin) / this.step_size;
    this._last_lr = this.get_lr();
  }

  /** The rate at step_num `s` (subclasses). */
  _lr_at(_s: number): number {
    return fail(`${this.constructor.name}.step`, 'LearningRateDecay subclasses implement the rate of a step');
  }

  override get_lr(): number {
    const v = this._lr_at(this.step_num);
    return this.dtype === 'float32' ? Math.fround(v) : v;
  }

  override state_keys(): void {
    this.keys = ['step_num'];
  }

  /** A [1] tensor holding `lr` in this decay's dtype (Paddle's create_lr_var). */
  create_lr_var(lr: number): Tensor {
    return Tensor.full([1], this.dtype, lr);
  }
}

const tail = [p('begin', T.int, 0), p('step', T.int, 1), p('dtype', dtypeTy, 'float32')] as const;
type Tail = { begin: number; step: number; dtype: DType };

// ---- PiecewiseDecay -----------------------------------------------------------------------

const piecewiseParams = [p('boundaries', T.floats), p('values', T.floats), p('begin', T.int), p('step', T.int, 1), p('dtype', dtypeTy, 'float32')] as const;
/**
 * values[i] while step_num < boundaries[i], values[-1] after the last boundary.
 * @param boundaries increasing step boundaries
 * @param values one more value than boundaries
 * @param begin the first step_num
 * @example new fluid.dygraph.PiecewiseDecay([10000, 20000], [1.0, 0.5, 0.1], 0)
 */
export class PiecewiseDecay extends LearningRateDecay {
  declare boundaries: number[];
  declare values: number[];
  constructor(...args: CallArgs<typeof piecewiseParams>) {
    const a = makeParser('paddle.fluid.dygraph.PiecewiseDecay', piecewiseParams)(args) as { boundaries: number[]; values: number[] } & Tail;
    super(a.begin, a.step, a.dtype);
    this.boundaries = a.boundaries;
    this.values = a.values;
    this._start();
  }
  override _lr_at(s: number): number {
    for (let i = 0; i < this.boundaries.length; i++) if (s < this.boundaries[i]) return this.values[i];
    return this.values[this.values.length - 1];
  }
}

// ---- exponential family -------------------------------------------------------------------

const expParams = [p('learning_rate', T.float), p('decay_steps', T.float), p('decay_rate', T.float), p('staircase', T.bool, false), ...tail] as const;
type ExpArgs = { learning_rate: number; decay_steps: number; decay_rate: number; staircase: boolean } & Tail;

abstract class ExpFamily extends LearningRateDecay {
  declare learning_rate: number;
  declare decay_steps: number;
  declare decay_rate: number;
  declare staircase: boolean;
  /** Parses the family's arguments under the public class's API name `api`. */
  constructor(api: string, args: readonly unknown[]) {
    const a = makeParser(api, expParams)(args) as ExpArgs;
    super(a.begin, a.step, a.dtype, a.learning_rate);
    this.init(a);
  }
  protected init(a: ExpArgs): void {
    this.learning_rate = a.learning_rate;
    this.decay_steps = a.decay_steps;
    this.decay_rate = a.decay_rate;
    this.staircase = a.staircase;
    this._start();
  }
  protected div(s: number): number {
    const d = Math.fround(s / this.decay_steps);
    return this.staircase ? Math.floor(d) : d;
  }
}

/**
 * learning_rate * exp(-decay_rate * step_num / decay_steps) (the ratio floored when staircase).
 * @example new fluid.dygraph.NaturalExpDecay(0.5, 10000, 0.5, true)
 */
export class NaturalExpDecay extends ExpFamily {
  constructor(...args: CallArgs<typeof expParams>) {
    super('paddle.fluid.dygraph.NaturalExpDecay', args);
  }
  override _lr_at(s: number): number {
    return this.learning_rate * Math.exp(-1 * this.decay_rate * this.div(s));
  }
}

/**
 * learning_rate * decay_rate ^ (step_num / decay_steps) (the exponent floored when staircase).
 * @example new fluid.dygraph.ExponentialDecay(0.5, 10000, 0.5, true)
 */
export class ExponentialDecay extends ExpFamily {
  constructor(...args: CallArgs<typeof expParams>) {
    super('paddle.fluid.dygraph.ExponentialDecay', args);
  }
  override _lr_at(s: number): number {
    return this.learning_rate * this.decay_rate ** this.div(s);
  }
}

/**
 * learning_rate / (1 + decay_rate * step_num / decay_steps) (the ratio floored when staircase).
 * @example new fluid.dygraph.InverseTimeDecay(0.5, 10000, 0.5, true)
 */
export class InverseTimeDecay extends ExpFamily {
  constructor(...args: CallArgs<typeof expParams>) {
    super('paddle.fluid.dygraph.InverseTimeDecay', args);
  }
  override _lr_at(s: number): number {
    return this.learning_rate / (1 + this.decay_rate * this.div(s));
  }
}

// ---- PolynomialDecay ----------------------------------------------------------------------

const polyParams = [
  p('learning_rate', T.float), p('decay_steps', T.float), p('end_learning_rate', T.float, 0.0001), p('power', T.float, 1.0), p('cycle', T.bool, false), ...tail,
] as const;
/**
 * (learning_rate - end_learning_rate) * (1 - s / decay_steps) ^ power + end_learning_rate with
 * s = min(step_num, decay_steps); with cycle, decay_steps grows to decay_steps * ceil(step_num
 * / decay_steps) (at least 1) instead.
 * @example new fluid.dygraph.PolynomialDecay(0.01, 5000, { end_learning_rate: 0 })
 */
export class PolynomialDecay extends LearningRateDecay {
  declare learning_rate: number;
  declare decay_steps: number;
  declare end_learning_rate: number;
  declare power: number;
  declare cycle: boolean;
  constructor(...args: CallArgs<typeof polyParams>) {
    const a = makeParser('paddle.fluid.dygraph.PolynomialDecay', polyParams)(args) as { learning_rate: number; decay_steps: number; end_learning_rate: number; power: number; cycle: boolean } & Tail;
    super(a.begin, a.step, a.dtype, a.learning_rate);
    this.learning_rate = a.learning_rate;
    this.decay_steps = a.decay_steps;
    this.end_learning_rate = a.end_learning_rate;
    this.power = a.power;
    this.cycle = a.cycle;
    this._start();
  }
  override _lr_at(s: number): number {
    let steps = this.decay_steps;
    if (this.cycle) {
      let div = Math.ceil(Math.fround(s / this.decay_steps));
      if (s === 0) div = 1;
      steps = this.decay_steps * div;
    } else s = Math.min(s, this.decay_steps);
    return (this.learning_rate - this.end_learning_rate) * (1 - s / steps) ** this.power + this.end_learning_rate;
  }
}

// ---- CosineDecay --------------------------------------------------------------------------

const cosParams = [p('learning_rate', T.float), p('step_each_epoch', T.int), p('epochs', T.int), ...tail] as const;
/**
 * learning_rate * 0.5 * (cos(epoch * pi / epochs) + 1) with epoch = floor(step_num / step_each_epoch).
 * @example new fluid.dygraph.CosineDecay(0.1, 10000, 120)
 */
export class CosineDecay extends LearningRateDecay {
  declare learning_rate: number;
  declare step_each_epoch: number;
  declare epochs: number;
  constructor(...args: CallArgs<typeof cosParams>) {
    const a = makeParser('paddle.fluid.dygraph.CosineDecay', cosParams)(args) as { learning_rate: number; step_each_epoch: number; epochs: number } & Tail;
    super(a.begin, a.step, a.dtype, a.learning_rate);
    this.learning_rate = a.learning_rate;
    this.step_each_epoch = a.step_each_epoch;
    this.epochs = a.epochs;
    this._start();
  }
  override _lr_at(s: number): number {
    const epoch = Math.floor(Math.fround(s / this.step_each_epoch));
    return this.learning_rate * 0.5 * (Math.cos((epoch * Math.PI) / this.epochs) + 1);
  }
}

// ---- NoamDecay ----------------------------------------------------------------------------

const noamParams = [p('d_model', T.float), p('warmup_steps', T.float), p('begin', T.int, 1), p('step', T.int, 1), p('dtype', dtypeTy, 'float32'), p('learning_rate', T.float, 1.0)] as const;
/**
 * The Transformer schedule: learning_rate * d_model^-0.5 * min(step_num^-0.5, step_num *
 * warmup_steps^-1.5), step_num starting at 1.
 * @example new fluid.dygraph.NoamDecay(512, 4000)
 */
export class NoamDecay extends LearningRateDecay {
  declare d_model: number;
  declare warmup_steps: number;
  declare learning_rate: number;
  constructor(...args: CallArgs<typeof noamParams>) {
    const a = makeParser('paddle.fluid.dygraph.NoamDecay', noamParams)(args) as { d_model: number; warmup_steps: number; learning_rate: number } & Tail;
    super(a.begin, a.step, a.dtype, a.learning_rate);
    this.d_model = a.d_model;
    this.warmup_steps = a.warmup_steps;
    this.learning_rate = a.learning_rate;
    this._start();
  }
  override _lr_at(s: number): number {
    const x = Math.fround(s ** -0.5);
    const y = Math.fround(this.warmup_steps ** -1.5 * s);
    return this.learning_rate * this.d_model ** -0.5 * Math.min(x, y);
  }
}

// ---- LinearLrWarmup -----------------------------------------------------------------------

const lrOrDecayTy = {
  desc: 'a number or a LearningRateDecay',
  parse: (v: unknown, api: string): number | LRScheduler =>
    typeof v === 'number' || v instanceof LRScheduler
      ? (v as number | LRScheduler)
      : fail(api, `the type of learning_rate should be [int, float or LearningRateDecay], the current type is ${describe(v)}`),
};
const warmupParams = [p('learning_rate', lrOrDecayTy), p('warmup_steps', T.int), p('start_lr', T.float), p('end_lr', T.float), p('begin', T.int, 1), p('step', T.int, 1), p('dtype', dtypeTy, 'float32')] as const;
/**
 * Linear warmup: start_lr + (end_lr - start_lr) * step_num / warmup_steps while step_num <
 * warmup_steps, then learning_rate (a number, or a decay that advances with this one).
 * @example new fluid.dygraph.LinearLrWarmup(new fluid.dygraph.PiecewiseDecay([10, 20], [0.1, 0.01, 0.001], 0), 5, 0, 0.1)
 */
export class LinearLrWarmup extends LearningRateDecay {
  declare learning_rate: number | LRScheduler;
  declare warmup_steps: number;
  declare start_lr: number;
  declare lr_ratio_before_warmup: number;
  constructor(...args: CallArgs<typeof warmupParams>) {
    const api = 'paddle.fluid.dygraph.LinearLrWarmup';
    const a = makeParser(api, warmupParams)(args) as { learning_rate: number | LRScheduler; warmup_steps: number; start_lr: number; end_lr: number } & Tail;
    if (!(a.end_lr > a.start_lr)) fail(api, `end_lr ${a.end_lr} must be greater than start_lr ${a.start_lr}`);
    super(a.begin, a.step, a.dtype, typeof a.learning_rate === 'number' ? a.learning_rate : 0);
    this.learning_rate = a.learning_rate;
    this.warmup_steps = a.warmup_steps;
    this.start_lr = a.start_lr;
    this.lr_ratio_before_warmup = (a.end_lr - a.start_lr) / a.warmup_steps;
    this._start();
  }
  override _lr_at(s: number): number {
    if (s < this.warmup_steps) return this.lr_ratio_before_warmup * s + this.start_lr;
    const base = this.learning_rate;
    if (typeof base === 'number') return base;
    // the wrapped decay is called once per step of this one, as Paddle's __call__ does
    const k = Math.max(this._last_epoch, 0);
    if (base instanceof LearningRateDecay) return base._lr_at(base.begin + k * base.step_size);
    return base.last_lr;
  }
}
