// fluid.dygraph's mode functions (python/paddle/fluid/dygraph/base.py, framework.py at 2.0):
// guard, to_variable, enabled, enable_dygraph / disable_dygraph, in_dygraph_mode, no_grad.
import { isPlainObject } from '../../core/args.js';
import { tensorFromData } from '../../core/convert.js';
import { parseDType } from '../../core/dtype.js';
import { describe, fail, PreconditionNotMetError, UnavailableError } from '../../core/errors.js';
import { CUDAPlace, XPUPlace } from '../../core/place.js';
import { numel } from '../../core/shape.js';
import { state, withContext } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { Program } from '../../static/framework.js';
import { LoDTensor } from '../lod_tensor.js';
import { program_guard } from '../../static/mode.js';
import { NameGenerator, switchGenerator } from '../../static/unique_name.js';
import { warnOnce } from '../misc.js';

export { no_grad } from '../../tensor/autograd.js';

function checkPlace(api: string, place: unknown): void {
  if (place instanceof CUDAPlace || place instanceof XPUPlace)
    fail(api, `${String(place)} is not available: paddle-ts is not compiled with CUDA or XPU; use CPUPlace`, UnavailableError);
}

/**
 * Runs fn in dygraph (imperative) mode with fresh default programs and unique names, as
 * Python's `with fluid.dygraph.guard(place):`; returns fn's result (a promise keeps the
 * context until it settles).
 * @param place the device (CPUPlace; null: the current one)
 * @example fluid.dygraph.guard(() => { const x = fluid.dygraph.to_variable([1, 2]); ... })
 */
export function guard<R>(place: unknown, fn?: () => R): R {
  const api = 'paddle.fluid.dygraph.guard';
  if (typeof place === 'function' && fn === undefined) {
    fn = place as () => R;
    place = null;
  }
  if (typeof fn !== 'function') return fail(api, 'expected a function to run inside the guard: fluid.dygraph.guard(place, () => {...})');
  checkPlace(api, place);
  const body = fn;
  return program_guard(new Program(), new Program(), () =>
    withContext(
      () => {
        const prev = { staticMode: state.staticMode, gen: switchGenerator(new NameGenerator()) };
        state.staticMode = false;
        return prev;
      },
      (prev) => {
        state.staticMode = prev.staticMode;
        switchGenerator(prev.gen);
      },
      body,
    ),
  );
}

/** Whether the program runs in dygraph mode (fluid.dygraph.enabled). */
export function enabled(): boolean {
  return !state.staticMode;
}
/** Whether dygraph mode is on (fluid.in_dygraph_mode). */
export function in_dygraph_mode(): boolean {
  return !state.staticMode;
}
/** Switches to dygraph mode (fluid.enable_dygraph / fluid.enable_imperative). */
export function enable_dygraph(place: unknown = null): void {
  checkPlace('paddle.fluid.enable_dygraph', place);
  state.staticMode = false;
}
/** Switches to static mode (fluid.disable_dygraph / fluid.disable_imperative). */
export function disable_dygraph(): void {
  state.staticMode = true;
}

/**
 * Makes a dygraph Tensor from a value: nested arrays, a typed array, `{ data, shape }`, a
 * (LoD)Tensor. A Tensor is returned as is; a LoDTensor becomes a Tensor of its data. The
 * result stops gradients.
 * @param value the data
 * @param name the Tensor's name
 * @param zero_copy accepted for compatibility (Paddle 2.0 ignores it on the CPU, with a warning)
 * @param dtype convert to this dtype
 * @example const x = fluid.dygraph.to_variable([[1.5, 2], [3, 4]])
 */
export function to_variable(value: unknown, name: string | null = null, zero_copy: boolean | null = null, dtype: unknown = null): Tensor {
  const api = 'paddle.fluid.dygraph.to_variable';
  if (isPlainObject(value) && !('data' in value && 'shape' in value) && 'value' in value) {
    const kw = value as { value: unknown; name?: string | null; zero_copy?: boolean | null; dtype?: unknown };
    return to_variable(kw.value, kw.name ?? null, kw.zero_copy ?? null, kw.dtype ?? null);
  }
  if (state.staticMode)
    fail(api, "We only support 'to_variable()' in dynamic graph mode, please call 'paddle.disable_static()' to enter dynamic graph mode.", PreconditionNotMetError);
  const d = dtype === null || dtype === undefined ? undefined : parseDType(dtype);
  if (dtype !== null && dtype !== undefined && !d) fail(api, `argument 'dtype' is not a dtype: ${describe(dtype)}`);
  // a Tensor (VarBase) is returned as is, as Paddle does (dtype is not applied to it)
  if (value instanceof Tensor && !(value instanceof LoDTensor)) return value;
  if (value instanceof LoDTensor) {
    const t = new Tensor(value.data.slice(), value.dims.slice(), value.dtype);
    if (name) t.name = name;
    return t;
  }
  if (zero_copy === true) warnOnce('to_variable.zero_copy', 'UserWarning: Currently, zero_copy is not supported, and it will be discarded.');
  let t: Tensor;
  if (isPlainObject(value) && 'data' in value && 'shape' in value) {
    const { data, shape } = value as { data: unknown; shape: number[] };
    t = tensorFromData(data, d, api, 'value');
    if (!Array.isArray(shape) || numel(shape) !== t.size) fail(api, `value has ${t.size} elements but shape ${describe(shape)}`);
    t = new Tensor(t.data, shape.slice(), t.dtype);
  } else if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)) || typeof value === 'number' || typeof value === 'boolean') {
    t = tensorFromData(value, d, api, 'value');
  } else
    return fail(
      api,
      `The type of 'value' in fluid.dygraph.to_variable must be list, tuple, numpy.ndarray (a typed array or { data, shape }), Tensor or LoDTensor, but received ${describe(value)}.`,
    );
  if (name) t.name = name;
  t.stop_gradient = true;
  return t;
}
