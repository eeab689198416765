// paddle.amp.GradScaler (python/paddle/amp/grad_scaler.py and fluid/dygraph/amp/loss_scaler.py's
// AmpScaler at 2.0): dynamic loss scaling for mixed-precision training. Paddle enables it only
// on a CUDAPlace; elsewhere it warns that it "makes no effect" and turns itself off, so
// scale() returns the loss unchanged and minimize() is optimizer.minimize(). paddle-ts runs on
// the CPU, so a scaler is always constructed disabled; the scaling logic below (what runs when
// `_enable` is true) is still complete and exact.
import { makeParser, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { describe, fail, InvalidArgumentError } from '../core/errors.js';
import { withoutGrad } from '../core/autograd.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { run1 } from '../ops/calls.js';
import { tensorFromData } from '../core/convert.js';
import { dygraphOnly, warnOnce } from './auto_cast.js';

const API = 'paddle.amp.GradScaler';
const parse = makeParser(API, [
  p('enable', T.bool, true),
  p('init_loss_scaling', T.float, 2 ** 15),
  p('incr_ratio', T.float, 2.0),
  p('decr_ratio', T.float, 0.5),
  p('incr_every_n_steps', T.int, 1000),
  p('decr_every_n_nan_or_inf', T.int, 2),
  p('use_dynamic_loss_scaling', T.bool, true),
]);

/** What minimize needs of an optimizer. */
interface OptimizerLike {
  minimize(...args: unknown[]): unknown;
  _parameter_list?: unknown[] | null;
  _all_parameters?(): Tensor[];
}

/** Python's `float.__repr__` for the scale message: 32768.0, 0.5. */
function pyFloat(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0` : String(x);
}

/**
 * Dynamic loss scaling for automatic mixed precision: scale() multiplies the loss by the scale
 * factor; minimize() unscales the gradients and updates the parameters, skipping the step when
 * a gradient holds inf or nan, and then adapts the factor (decreases it after
 * decr_every_n_nan_or_inf such steps, increases it after incr_every_n_steps finite ones).
 * Without CUDA (always, here) it warns once and is disabled, as in Paddle.
 * @param enable enable loss scaling (true)
 * @param init_loss_scaling the initial scale factor (2**15)
 * @param incr_ratio the factor's multiplier on increase (2.0)
 * @param decr_ratio the factor's multiplier on decrease (0.5)
 * @param incr_every_n_steps increase after this many consecutive finite steps (1000)
 * @param decr_every_n_nan_or_inf decrease after this many accumulated inf/nan steps (2)
 * @param use_dynamic_loss_scaling adapt the factor (true); false keeps it fixed
 * @example
 * const scaler = new paddle.amp.GradScaler({ init_loss_scaling: 1024 });
 * const scaled = scaler.scale(loss);
 * scaled.backward();
 * scaler.minimize(optimizer, scaled);
 */
export class GradScaler {
  /** Whether scaling is on (false without CUDA). */
  _enable: boolean;
  _init_loss_scaling: number;
  _incr_ratio: number;
  _decr_ratio: number;
  _incr_every_n_steps: number;
  _decr_every_n_nan_or_inf: number;
  _incr_count = 0;
  _decr_count = 0;
  _use_dynamic_loss_scaling: boolean;
  /** A [1] bool Tensor: whether the last unscale found an inf or nan. */
  _found_inf: Tensor;
  /** The scale factor, a [1] float32 Tensor. */
  _scale: Tensor;
  _cache_founf_inf: boolean | null = null;

  constructor(
    ...args:
      | [kwargs?: {
          enable?: boolean; init_loss_scaling?: number; incr_ratio?: number; decr_ratio?: number;
          incr_every_n_steps?: number; decr_every_n_nan_or_inf?: number; use_dynamic_loss_scaling?: boolean;
        }]
      | [enable: boolean, ...rest: unknown[]]
  ) {
    const a = parse(args) as {
      enable: boolean; init_loss_scaling: number; incr_ratio: number; decr_ratio: number;
      incr_every_n_steps: number; decr_every_n_nan_or_inf: number; use_dynamic_loss_scaling: boolean;
    };
    dygraphOnly(API, '__init__');
    let enable = a.enable;
    if (enable) {
      warnOnce('AmpScaler can only be enabled on CUDAPlace, current place is CPUPlace, so it makes no effect.');
      enable = false;
    }
    this._enable = enable;
    // Paddle sets the state below only when enabled (and then asserts incr_ratio > 1 and
    // decr_ratio < 1); it is always set here so that a scaler with `_enable` forced on works.
    if (this._enable) {
      if (!(a.incr_ratio > 1.0)) fail(API, 'The incr_ratio must be > 1.0.');
      if (!(a.decr_ratio < 1.0)) fail(API, 'The decr_ratio must be < 1.0.');
    }
    this._init_loss_scaling = a.init_loss_scaling;
    this._incr_ratio = a.incr_ratio;
    this._decr_ratio = a.decr_ratio;
    this._incr_every_n_steps = a.incr_every_n_steps;
    this._decr_every_n_nan_or_inf = a.decr_every_n_nan_or_inf;
    this._use_dynamic_loss_scaling = a.use_dynamic_loss_scaling;
    this._found_inf = tensorFromData([false], 'bool', API, 'found_inf');
    this._scale = tensorFromData([a.init_loss_scaling], 'float32', API, 'init_loss_scaling');
  }

  /**
   * The loss multiplied by the scale factor (operator `elementwise_mul`), or `var` itself when
   * the scaler is disabled.
   * @param var the Tensor to scale
   * @example const scaled = scaler.scale(loss)
   */
  scale(...args: [var_: Tensor] | [kwargs: { var: Tensor }]): Tensor {
    const a = parseScale(args) as { var: unknown };
    const v = a.var;
    if (!(v instanceof Tensor))
      fail(`${API}.scale`, `The type of 'var' in AmpScaler.scale() must be Tensor, but received ${describe(v)}.`, InvalidArgumentError);
    if (!this._enable) return v;
    return c.mul(v, this._scale);
  }

  /**
   * optimizer.minimize(...args) with loss scaling: unscales the gradients, skips the update if
   * one of them holds inf or nan, then updates the scale factor. Disabled: just
   * optimizer.minimize(...args). Returns minimize's result ([null, null] for a skipped step).
   * @param optimizer the optimizer
   * @param args passed on to optimizer.minimize
   * @example scaler.minimize(optimizer, scaled)
   */
  minimize(optimizer: OptimizerLike, ...args: unknown[]): unknown {
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.minimize !== 'function')
      fail(`${API}.minimize`, `argument 'optimizer' expected an Optimizer, but got ${describe(optimizer)}`);
    if (!this._enable) return optimizer.minimize(...args);
    this._unscale(optimizer);
    let result: unknown = [null, null];
    if (this._found_inf.item()) {
      this._cache_founf_inf = true;
    } else {
      result = optimizer.minimize(...args);
      this._cache_founf_inf = false;
    }
    if (this._use_dynamic_loss_scaling) this._update();
    return result;
  }

  /**
   * Divides every gradient of the optimizer's parameters by the scale factor in place and sets
   * `_found_inf` (operator check_finite_and_unscale's CPU semantics: once an inf or nan is
   * found, that gradient and the following ones are multiplied by 0 instead).
   */
  _unscale(optimizer: OptimizerLike): void {
    if (!this._enable) return;
    const params = typeof optimizer._all_parameters === 'function' ? optimizer._all_parameters() : flatParams(optimizer._parameter_list ?? []);
    const grads = params.map((q) => q.grad).filter((g): g is Tensor => g !== null && g !== undefined);
    withoutGrad(() => {
      const inv = 1 / Math.fround(Number(this._scale.item()));
      let found = false;
      for (const g of grads) {
        if (!found) found = !run1('isfinite', { X: [g] }).item();
        const out = c.scale(g, found ? 0 : inv);
        (g.data as { set(a: ArrayLike<unknown>): void }).set(out.data as ArrayLike<unknown>);
        g.ver.v++;
      }
      this._found_inf = tensorFromData([found], 'bool', API, 'found_inf');
    });
  }

  /** Updates the scale factor after a step (counts inf/nan and finite steps). */
  _update(): void {
    if (!this._enable) return;
    withoutGrad(() => {
      if (this._cache_founf_inf) {
        this._incr_count = 0;
        this._decr_count = this._decr_count + 1;
        if (this._decr_count === this._decr_every_n_nan_or_inf) {
          const s = Number(this._scale.item());
          console.log(`Found inf or nan, current scale is: ${pyFloat(s)}, decrease to: ${pyFloat(s)}*${pyFloat(this._decr_ratio)}`);
          this._scale = c.scale(this._scale, this._decr_ratio);
          this._decr_count = 0;
        }
      } else {
        this._decr_count = 0;
        this._incr_count = this._incr_count + 1;
        if (this._incr_count === this._incr_every_n_steps) {
          this._scale = c.scale(this._scale, this._incr_ratio);
          this._incr_count = 0;
        }
      }
    });
  }
}

const parseScale = makeParser(`${API}.scale`, [p('var', T.any)]);

/** Parameters from a parameter list that may hold groups ({ params: [...] }). */
function flatParams(list: unknown[]): Tensor[] {
  const out: Tensor[] = [];
  for (const x of list) {
    if (x instanceof Tensor) out.push(x);
    else if (x && typeof x === 'object' && Array.isArray((x as { params?: unknown }).params))
      for (const q of (x as { params: unknown[] }).params) if (q instanceof Tensor) out.push(q);
  }
  return out;
}
