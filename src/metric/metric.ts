// paddle.metric.Metric (python/paddle/metric/metrics.py at 2.0): the base of metrics, and the
// helpers that read metric inputs (Tensors, typed arrays or nested arrays) as numbers.
import { tensorFromData } from '../core/convert.js';
import { toNumbers } from '../core/dtype.js';
import { describe, fail, UnimplementedError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

/** A metric input read as numbers (row-major) with its shape. */
export interface Values {
  data: ArrayLike<number>;
  dims: number[];
}

/**
 * Reads what Paddle takes as a NumPy array: a Tensor, a typed array (1-D) or nested arrays
 * of numbers / booleans.
 */
export function valuesOf(v: unknown, api: string, arg: string): Values {
  if (v instanceof Tensor) {
    if (v.dtype === 'complex64' || v.dtype === 'complex128') fail(api, `argument '${arg}' must be a real Tensor, but got ${v.dtype}`);
    return { data: toNumbers(v.data, v.dtype), dims: v.dims.slice() };
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const t = tensorFromData(v, null, api, arg);
    return { data: toNumbers(t.data, t.dtype), dims: t.dims.slice() };
  }
  if (Array.isArray(v) || typeof v === 'number' || typeof v === 'boolean') {
    const t = tensorFromData(v, 'float64', api, arg);
    return { data: t.data as Float64Array, dims: t.dims.slice() };
  }
  return fail(api, `argument '${arg}' must be a Tensor or an array, but got ${describe(v)}`);
}

/**
 * paddle.metric.Metric: the base class of metrics. Subclasses define `reset()`,
 * `update(...)`, `accumulate()` and `name()`, and may define `compute(...)`, which turns a
 * model's outputs and labels into the states `update` takes (in Paddle it runs as operators,
 * before the values are fetched); by default it passes its arguments through.
 * @example
 * const m = new paddle.metric.Accuracy();
 * m.update(m.compute(pred, label));
 * m.accumulate();
 */
export class Metric {
  /** Clears the accumulated state. */
  reset(): void {
    fail('paddle.metric.Metric', `function 'reset' not implemented in ${this.constructor.name}`, UnimplementedError);
  }
  /** Accumulates one batch's states (the outputs of compute). */
  update(...args: unknown[]): unknown {
    void args;
    return fail('paddle.metric.Metric', `function 'update' not implemented in ${this.constructor.name}`, UnimplementedError);
  }
  /** The metric over everything accumulated since reset. */
  accumulate(): unknown {
    return fail('paddle.metric.Metric', `function 'accumulate' not implemented in ${this.constructor.name}`, UnimplementedError);
  }
  /** The metric's name(s), used as log keys. */
  name(): string | string[] {
    return fail('paddle.metric.Metric', `function 'name' not implemented in ${this.constructor.name}`, UnimplementedError);
  }
  /** Pre-processing of the model's outputs and labels; returns its inputs by default. */
  compute(...args: unknown[]): unknown {
    return args;
  }
}
