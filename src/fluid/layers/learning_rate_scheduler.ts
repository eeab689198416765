// fluid.layers' learning-rate decays (python/paddle/fluid/layers/learning_rate_scheduler.py at
// 2.0) and autoincreased_step_counter (layers/nn.py). In static mode each decay appends, under
// the LRSched op role, operators computing the rate from the global step counter
// '@LR_DECAY_COUNTER@' (a persistable int64 variable the startup program sets to begin-1 and
// an `increment` operator prepended to the main program advances at every run), and returns
// the learning-rate Variable. In dygraph mode it returns the fluid.dygraph decay object (a
// paddle.optimizer.lr.LRScheduler the optimizers accept; call its step() per iteration).
//
// Paddle builds piecewise_decay, linear_lr_warmup and polynomial_decay(cycle=True) with a
// Switch (conditional_block operators); here the same choices are written as arithmetic on
// less_than masks (and elementwise_max for the cycle's first step), giving the same values.
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { DType, PROTO_DTYPE } from '../../core/dtype.js';
import { run1 } from '../../core/dispatch.js';
import { describe, fail, InvalidArgumentError, PreconditionNotMetError } from '../../core/errors.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import { OpRole, Variable } from '../../static/framework.js';
import { create_global_var } from '../../static/globals.js';
import { appendState, default_main_program, default_startup_program, withRole } from '../../static/mode.js';
import {
  CosineDecay, ExponentialDecay, InverseTimeDecay, LinearLrWarmup, NaturalExpDecay, NoamDecay, PiecewiseDecay, PolynomialDecay,
} from '../dygraph/learning_rate_scheduler.js';

/**
 * A global step counter (static mode): a persistable int64 [1] variable `counter_name`
 * (default '@STEP_COUNTER@') that the startup program sets to begin - 1 and an `increment`
 * operator at the start of the main program raises by `step` at every run, so the first run
 * sees begin - 1 + step (`begin` for the default step 1). Calling it again with the same name
 * returns the same counter.
 * @param counter_name the variable's name
 * @param begin the value at the first run (1)
 * @param step the increment (1)
 * @example const step = fluid.layers.autoincreased_step_counter({ begin: 0 })
 */
export const autoincreased_step_counter = defineApi(
  'paddle.fluid.layers.autoincreased_step_counter',
  [p('counter_name', T.nullable(T.str), null), p('begin', T.int, 1), p('step', T.int, 1)],
  (a): Variable => {
    const api = 'paddle.fluid.layers.autoincreased_step_counter';
    if (!state.staticMode) fail(api, 'the global step counter belongs to a static program: call paddle.enable_static() first', PreconditionNotMetError);
    const name = a.counter_name ?? '@STEP_COUNTER@';
    const main = default_main_program().global_block();
    const existing = main._find_var_recursive(name);
    if (existing) return existing;
    const counter = main.create_var({ name, dtype: 'int64', shape: [1], persistable: true, stop_gradient: true });
    const startup = default_startup_program().global_block();
    const sv = startup.create_var({ name, dtype: 'int64', shape: [1], persistable: true, stop_gradient: true });
    startup.append_op({ type: 'fill_constant', outputs: { Out: [sv] }, attrs: { shape: [1], dtype: PROTO_DTYPE.int64, value: a.begin - 1, force_cpu: true } });
    main._prepend_op({ type: 'increment', inputs: { X: [counter] }, outputs: { Out: [counter] }, attrs: { step: a.step, op_role: appendState.role } });
    counter.stop_gradient = true;
    return counter;
  },
);

/** The float32 global step of the decays (Paddle's _decay_step_counter; the first step is `begin`). */
function decayStep(begin = 0): Tensor {
  const counter = autoincreased_step_counter('@LR_DECAY_COUNTER@', begin, 1);
  return c.cast(counter, 'float32');
}
/** A [1] constant (fill_constant). */
function constant(value: number, dtype: DType = 'float32'): Tensor {
  return run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE[dtype], value });
}
const floor = (x: Tensor): Tensor => run1('floor', { X: [x] });
const ceil = (x: Tensor): Tensor => run1('ceil', { X: [x] });
const cos = (x: Tensor): Tensor => run1('cos', { X: [x] });
const emin = (x: Tensor, y: Tensor): Tensor => run1('elementwise_min', { X: [x], Y: [y] }, { axis: -1 });
const emax = (x: Tensor, y: Tensor): Tensor => run1('elementwise_max', { X: [x], Y: [y] }, { axis: -1 });
/** A float mask of x < y. */
const lessMask = (x: Tensor, y: Tensor): Tensor => c.cast(run1('less_than', { X: [x], Y: [y] }, { axis: -1, force_cpu: false }), 'float32');

/** Runs fn in static mode under the LRSched op role (Paddle's _lr_schedule_guard). */
function lrSchedule<R>(fn: () => R): R {
  return withRole(OpRole.LRSched, fn);
}
/** Writes `value` into the persistable learning-rate variable `name` (created with initial 0). */
function globalLr(name: string, dtype: DType, value: Tensor): Variable {
  const lr = create_global_var([1], 0.0, dtype, true, false, name);
  default_main_program().current_block().append_op({ type: 'assign', inputs: { X: [value as Variable] }, outputs: { Out: [lr] }, attrs: { op_role: appendState.role } });
  return lr;
}

const num = T.float;
const pos = (api: string, arg: string, v: number): void => {
  if (!(v > 0)) fail(api, `argument '${arg}' must be positive, but got ${v}`);
};

/**
 * Noam decay (Transformer): learning_rate * d_model^-0.5 * min(step^-0.5, step *
 * warmup_steps^-1.5), the step counting from 1.
 * @param d_model the model's hidden size
 * @param warmup_steps the warmup steps
 * @param learning_rate a scale (1.0)
 * @returns the LR Variable (static) or a fluid.dygraph.NoamDecay (dygraph)
 * @example const lr = fluid.layers.noam_decay(512, 4000)
 */
export const noam_decay = defineApi(
  'paddle.fluid.layers.noam_decay',
  [p('d_model', num), p('warmup_steps', num), p('learning_rate', num, 1.0)],
  (a): Tensor | NoamDecay => {
    if (!state.staticMode) return new NoamDecay(a.d_model, a.warmup_steps, { learning_rate: a.learning_rate });
    return lrSchedule(() => {
      const step = decayStep(1);
      const x = c.pow(step, constant(-0.5));
      const y = c.scale(step, a.warmup_steps ** -1.5);
      return c.scale(emin(x, y), a.learning_rate * a.d_model ** -0.5);
    });
  },
);

const expParams = [p('learning_rate', num), p('decay_steps', num), p('decay_rate', num), p('staircase', T.bool, false)] as const;

/** global_step / decay_steps, floored when staircase. */
function ratio(step: Tensor, decaySteps: number, staircase: boolean): Tensor {
  const d = c.scale(step, 1 / decaySteps);
  return staircase ? floor(d) : d;
}

/**
 * learning_rate * decay_rate ^ (global_step / decay_steps) (the exponent floored when staircase).
 * @example const lr = fluid.layers.exponential_decay(0.1, 10000, 0.5, true)
 */
export const exponential_decay = defineApi('paddle.fluid.layers.exponential_decay', expParams, (a): Tensor | ExponentialDecay => {
  pos('paddle.fluid.layers.exponential_decay', 'decay_steps', a.decay_steps);
  if (!state.staticMode) return new ExponentialDecay(a.learning_rate, a.decay_steps, a.decay_rate, a.staircase);
  return lrSchedule(() => {
    const div = ratio(decayStep(), a.decay_steps, a.staircase);
    return c.scale(c.pow(constant(a.decay_rate), div), a.learning_rate);
  });
});

/**
 * learning_rate * exp(-decay_rate * global_step / decay_steps) (the ratio floored when staircase).
 * @example const lr = fluid.layers.natural_exp_decay(0.1, 10000, 0.5, true)
 */
export const natural_exp_decay = defineApi('paddle.fluid.layers.natural_exp_decay', expParams, (a): Tensor | NaturalExpDecay => {
  pos('paddle.fluid.layers.natural_exp_decay', 'decay_steps', a.decay_steps);
  if (!state.staticMode) return new NaturalExpDecay(a.learning_rate, a.decay_steps, a.decay_rate, a.staircase);
  return lrSchedule(() => c.scale(c.exp(c.scale(ratio(decayStep(), a.decay_steps, a.staircase), -1 * a.decay_rate)), a.learning_rate));
});

/**
 * learning_rate / (1 + decay_rate * global_step / decay_steps) (the ratio floored when staircase).
 * @example const lr = fluid.layers.inverse_time_decay(0.1, 10000, 0.5, true)
 */
export const inverse_time_decay = defineApi('paddle.fluid.layers.inverse_time_decay', expParams, (a): Tensor | InverseTimeDecay => {
  pos('paddle.fluid.layers.inverse_time_decay', 'decay_steps', a.decay_steps);
  if (!state.staticMode) return new InverseTimeDecay(a.learning_rate, a.decay_steps, a.decay_rate, a.staircase);
  return lrSchedule(() => {
    const denom = c.scale(c.scale(ratio(decayStep(), a.decay_steps, a.staircase), a.decay_rate), 1, 1);
    return c.div(constant(a.learning_rate), denom);
  });
});

/**
 * (learning_rate - end_learning_rate) * (1 - s / decay_steps) ^ power + end_learning_rate
 * with s = min(global_step, decay_steps); with cycle, decay_steps becomes decay_steps *
 * ceil(global_step / decay_steps) (at least decay_steps) and s = global_step.
 * @example const lr = fluid.layers.polynomial_decay(0.01, 5000, { end_learning_rate: 0, power: 1 })
 */
export const polynomial_decay = defineApi(
  'paddle.fluid.layers.polynomial_decay',
  [p('learning_rate', num), p('decay_steps', num), p('end_learning_rate', num, 0.0001), p('power', num, 1.0), p('cycle', T.bool, false)],
  (a): Tensor | PolynomialDecay => {
    pos('paddle.fluid.layers.polynomial_decay', 'decay_steps', a.decay_steps);
    if (!state.staticMode) return new PolynomialDecay(a.learning_rate, a.decay_steps, a.end_learning_rate, a.power, a.cycle);
    return lrSchedule(() => {
      let step = decayStep();
      let frac: Tensor;
      if (a.cycle) {
        // ceil(step / decay_steps), 1 at step 0 (Paddle's Switch case global_step == 0)
        const div = emax(ceil(c.scale(step, 1 / a.decay_steps)), constant(1.0));
        frac = c.div(step, c.scale(div, a.decay_steps));
      } else {
        step = emin(step, constant(a.decay_steps));
        frac = c.scale(step, 1 / a.decay_steps);
      }
      const base = c.scale(frac, -1, 1);
      return c.scale(c.pow(base, constant(a.power)), a.learning_rate - a.end_learning_rate, a.end_learning_rate);
    });
  },
);

/**
 * values[i] while global_step < boundaries[i], values[-1] after the last boundary; the rate
 * lives in the persistable variable 'learning_rate'.
 * @param boundaries increasing step boundaries
 * @param values one more value than boundaries
 * @example const lr = fluid.layers.piecewise_decay([10000, 20000], [1.0, 0.5, 0.1])
 */
export const piecewise_decay = defineApi(
  'paddle.fluid.layers.piecewise_decay',
  [p('boundaries', T.floats), p('values', T.floats)],
  (a): Tensor | PiecewiseDecay => {
    if (a.values.length - a.boundaries.length !== 1)
      fail('paddle.fluid.layers.piecewise_decay', `len(values) - len(boundaries) should be 1, but got ${a.values.length} values and ${a.boundaries.length} boundaries`, InvalidArgumentError);
    if (!state.staticMode) return new PiecewiseDecay(a.boundaries, a.values, 0);
    return lrSchedule(() => {
      const step = decayStep();
      // from the last boundary back, so the first boundary the step is below wins
      let lr = constant(a.values[a.values.length - 1]);
      for (let i = a.boundaries.length - 1; i >= 0; i--) {
        const m = lessMask(step, constant(a.boundaries[i]));
        lr = c.add(lr, c.mul(m, c.scale(lr, -1, a.values[i])));
      }
      return globalLr('learning_rate', 'float32', lr);
    });
  },
);

/**
 * learning_rate * 0.5 * (cos(epoch * pi / epochs) + 1) with epoch = floor(global_step /
 * step_each_epoch).
 * @param learning_rate a number or (static) a Variable
 * @example const lr = fluid.layers.cosine_decay(0.1, 100, 120)
 */
export const cosine_decay = defineApi(
  'paddle.fluid.layers.cosine_decay',
  [p('learning_rate', T.any), p('step_each_epoch', num), p('epochs', num)],
  (a): Tensor | CosineDecay => {
    const api = 'paddle.fluid.layers.cosine_decay';
    if (typeof a.learning_rate !== 'number' && !(a.learning_rate instanceof Tensor))
      fail(api, `The type of 'learning_rate' in cosine_decay must be float or Variable, but received ${describe(a.learning_rate)}.`);
    pos(api, 'step_each_epoch', a.step_each_epoch);
    if (!state.staticMode) {
      if (typeof a.learning_rate !== 'number') fail(api, 'in dygraph mode learning_rate must be a number');
      return new CosineDecay(a.learning_rate, a.step_each_epoch, a.epochs);
    }
    return lrSchedule(() => {
      const epoch = floor(c.scale(decayStep(), 1 / a.step_each_epoch));
      const f = c.scale(cos(c.scale(epoch, Math.PI / a.epochs)), 1, 1);
      const lr = a.learning_rate as number | Tensor;
      return typeof lr === 'number' ? c.scale(f, lr * 0.5) : c.mul(c.scale(lr, 0.5), f);
    });
  },
);

/**
 * Linear warmup: start_lr + (end_lr - start_lr) * global_step / warmup_steps while global_step
 * < warmup_steps, then learning_rate (a number or a decayed LR Variable); the rate lives in the
 * persistable variable 'learning_rate_warmup'.
 * @example const lr = fluid.layers.linear_lr_warmup(fluid.layers.piecewise_decay([100], [0.1, 0.01]), 10, 0.0, 0.1)
 */
export const linear_lr_warmup = defineApi(
  'paddle.fluid.layers.linear_lr_warmup',
  [p('learning_rate', T.any), p('warmup_steps', num), p('start_lr', num), p('end_lr', num)],
  (a): Tensor | LinearLrWarmup => {
    const api = 'paddle.fluid.layers.linear_lr_warmup';
    const lrIn = a.learning_rate;
    if (!state.staticMode) return new LinearLrWarmup(lrIn as number, a.warmup_steps, a.start_lr, a.end_lr);
    if (typeof lrIn !== 'number' && !(lrIn instanceof Tensor))
      fail(api, `learning_rate must be a number or a Variable, but got ${describe(lrIn)}`);
    const dtype: DType = lrIn instanceof Tensor ? lrIn.dtype : 'float32';
    const linearStep = a.end_lr - a.start_lr;
    return lrSchedule(() => {
      const step = decayStep();
      const m = c.cast(lessMask(step, constant(a.warmup_steps)), dtype);
      const warm = c.cast(c.scale(step, linearStep / a.warmup_steps, a.start_lr), dtype);
      const base = typeof lrIn === 'number' ? constant(lrIn, dtype) : lrIn;
      const out = c.add(base, c.mul(m, c.sub(warm, base)));
      return globalLr('learning_rate_warmup', dtype, out);
    });
  },
);
