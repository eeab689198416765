// paddle.fluid's small functions (python/paddle/fluid/{data.py, input.py, framework.py,
// transpiler/memory_optimization_transpiler.py} at 2.0): data, one_hot, device_guard,
// cuda_pinned_places, require_version, memory_optimize, release_memory; and the version
// (paddle.__version__ / paddle.version) the package implements.
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType } from '../core/dtype.js';
import { run1 } from '../core/dispatch.js';
import { describe, fail, InvalidArgumentError, PreconditionNotMetError, UnavailableError } from '../core/errors.js';
import { is_compiled_with_cuda } from '../core/place.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { tensorToNumbers } from '../core/convert.js';
import { Variable } from '../static/framework.js';
import { default_main_program, device_guard as staticDeviceGuard } from '../static/mode.js';

// ---- version ------------------------------------------------------------------------------

/** The Paddle version paddle-ts implements. */
export const __version__ = '2.0.0';

/** paddle.version: the implemented Paddle version's parts (as python/paddle/version.py). */
export const version = {
  full_version: '2.0.0',
  major: '2',
  minor: '0',
  patch: '0',
  rc: '0',
  istaged: true,
  commit: 'paddle-ts',
  with_mkl: 'OFF',
  /** Prints the version (paddle.version.show()). */
  show(): void {
    console.log(`full_version: ${version.full_version}\nmajor: ${version.major}\nminor: ${version.minor}\npatch: ${version.patch}\nrc: ${version.rc}`);
  },
  mkl(): string {
    return version.with_mkl;
  },
};

/** Warnings printed once per process (Python's warnings module shows each once). */
const warned = new Set<string>();
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(message);
}

// ---- data ---------------------------------------------------------------------------------

const shapeTy = {
  desc: 'a list of ints (None or -1 for unknown sizes)',
  parse: (v: unknown, api: string, arg: string): number[] => {
    if (!Array.isArray(v) || !v.every((d) => d === null || Number.isInteger(d)))
      return fail(api, `The type of '${arg}' in data must be list or tuple of ints, but received ${describe(v)}`);
    return v.map((d) => (d === null ? -1 : (d as number)));
  },
};

/**
 * Declares an input variable of the default main program (static mode). The shape includes
 * the batch dimension (None or -1 for sizes known only when data is fed); fed values are
 * checked against it.
 * @param name the variable's name
 * @param shape e.g. [null, 784]
 * @param dtype default 'float32'
 * @param lod_level LoD levels (sequence inputs)
 * @example const x = fluid.data('x', [null, 784], 'float32')
 */
export const data = defineApi(
  'paddle.fluid.data',
  [p('name', T.str), p('shape', shapeTy), p('dtype', T.dtype, 'float32' as DType), p('lod_level', T.int, 0)],
  (a): Variable => {
    if (!state.staticMode) fail('paddle.fluid.data', 'fluid.data declares an input of a static program: call paddle.enable_static() first', PreconditionNotMetError);
    return default_main_program().global_block().create_var({
      name: a.name, shape: a.shape, dtype: a.dtype, lod_level: a.lod_level, type: 'LOD_TENSOR', stop_gradient: true, is_data: true, need_check_feed: true,
    });
  },
);

// ---- one_hot ------------------------------------------------------------------------------

/**
 * One-hot encodes int ids into a new trailing dimension of size depth (float32), appending
 * Paddle's `one_hot_v2`. With allow_out_of_range ids outside [0, depth) give all-zero rows,
 * otherwise they are an error. The output stops gradients.
 * @param input int32/int64 ids of any shape
 * @param depth the number of classes (an int or a 1-element int Tensor)
 * @param allow_out_of_range whether out-of-range ids are allowed
 * @example fluid.one_hot(paddle.to_tensor([1, 0, 3]), 4)   // [[0,1,0,0],[1,0,0,0],[0,0,0,1]]
 */
export const one_hot = defineApi(
  'paddle.fluid.one_hot',
  [p('input', T.tensor), p('depth', T.any), p('allow_out_of_range', T.bool, false)],
  (a): Tensor => {
    const api = 'paddle.fluid.one_hot';
    if (a.input.dtype !== 'int32' && a.input.dtype !== 'int64')
      fail(api, `The data type of 'input' in one_hot_v2 must be int32 or int64, but received ${a.input.dtype}`);
    let out: Tensor;
    if (a.depth instanceof Variable) {
      a.depth.stop_gradient = true;
      out = run1('one_hot_v2', { X: [a.input], depth_tensor: [a.depth] }, { allow_out_of_range: a.allow_out_of_range });
    } else {
      let depth: number;
      if (a.depth instanceof Tensor) {
        if (a.depth.size !== 1) fail(api, `argument 'depth' as a Tensor must have shape [1], but got [${a.depth.dims.join(', ')}]`);
        depth = tensorToNumbers(a.depth)[0];
      } else if (typeof a.depth === 'number' && Number.isInteger(a.depth)) depth = a.depth;
      else return fail(api, `argument 'depth' expected an integer or a Tensor, but got ${describe(a.depth)}`);
      out = run1('one_hot_v2', { X: [a.input] }, { depth, allow_out_of_range: a.allow_out_of_range });
    }
    out.stop_gradient = true;
    return out;
  },
);

// ---- devices ------------------------------------------------------------------------------

/**
 * Runs fn with the operators it appends placed on `device` ('cpu', 'gpu' or 'gpu:N'; null or ''
 * for no preference), recorded as their `op_device` attribute (static mode). paddle-ts computes
 * on the CPU whatever the record says.
 * @example fluid.device_guard('cpu', () => { const s = paddle.shape(x); })
 */
export function device_guard<R>(device: string | null | (() => R), fn?: () => R): R {
  const api = 'paddle.fluid.device_guard';
  if (typeof device === 'function') {
    fn = device;
    device = null;
  }
  if (typeof fn !== 'function') return fail(api, 'expected a function to run inside the guard');
  let dev = device as string | null | undefined;
  if (dev !== null && dev !== undefined && typeof dev !== 'string') fail(api, `argument 'device' expected a string or None, but got ${describe(dev)}`);
  let index: string | null = null;
  if (dev && dev.includes(':')) {
    [dev, index] = dev.split(':');
    if (dev === 'cpu') fail(api, 'Should not set device id for cpu.', InvalidArgumentError);
  }
  if (!['cpu', 'gpu', '', null, undefined].includes(dev))
    fail(api, `The Attr(device) should be 'cpu' or 'gpu', and it can also be empty string or None when there is no need to specify device. But received ${dev}`);
  if (index) dev = `${dev}:${index}`;
  return staticDeviceGuard(dev ?? null, fn);
}

/**
 * Paddle's list of CUDAPinnedPlaces; paddle-ts is not compiled with CUDA, so, as Paddle
 * built without CUDA, this fails.
 */
export function cuda_pinned_places(device_count: number | null = null): never {
  void device_count;
  if (!is_compiled_with_cuda()) fail('paddle.fluid.cuda_pinned_places', 'Not compiled with CUDA', UnavailableError);
  return fail('paddle.fluid.cuda_pinned_places', 'Not compiled with CUDA', UnavailableError);
}

// ---- require_version ----------------------------------------------------------------------

/** Raised by require_version when the installed version is outside the required range. */
export class VersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionError';
  }
}

/**
 * Checks that the Paddle version paddle-ts implements (2.0.0) is at least min_version (and at
 * most max_version): versions like '1.8', '2.0.0' or '1.5.2.0'. Throws a VersionError otherwise.
 * @param min_version the lowest accepted version
 * @param max_version the highest accepted version, or null
 * @example fluid.require_version('1.8.0')            // ok
 * fluid.require_version('1.8.0', '1.9.0')            // throws: 2.0.0 is above 1.9.0
 */
export const require_version = defineApi(
  'paddle.fluid.require_version',
  [p('min_version', T.any), p('max_version', T.any, null)],
  (a): void => {
    const api = 'paddle.fluid.require_version';
    const { min_version: minV, max_version: maxV } = a;
    if (typeof minV !== 'string') fail(api, `The type of 'min_version' in require_version must be str, but received ${describe(minV)}.`);
    if (maxV !== null && typeof maxV !== 'string') fail(api, `The type of 'max_version' in require_version must be str or type(None), but received ${describe(maxV)}.`);
    const fmt = /^\d+(\.\d+){0,3}$/;
    if (!fmt.test(minV)) fail(api, `The value of 'min_version' in require_version must be in format '\\d+(\\.\\d+){0,3}', like '1.5.2.0', but received ${minV}`);
    if (maxV !== null && !fmt.test(maxV as string))
      fail(api, `The value of 'max_version' in require_version must be in format '\\d+(\\.\\d+){0,3}', like '1.5.2.0', but received ${maxV}`);
    const installed = [version.major, version.minor, version.patch, version.rc].map(Number);
    const pad = (v: string): number[] => {
      const parts = v.split('.').map(Number);
      while (parts.length < 4) parts.push(0);
      return parts;
    };
    const cmp = (x: number[], y: number[]): number => {
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] > y[i] ? 1 : -1;
      return 0;
    };
    const full = version.full_version;
    if (maxV !== null) {
      if (cmp(installed, pad(maxV as string)) > 0 || cmp(installed, pad(minV)) < 0)
        throw new VersionError(`VersionError: PaddlePaddle version in [${minV}, ${maxV}] required, but ${full} installed.`);
    } else if (cmp(installed, pad(minV)) < 0)
      throw new VersionError(
        `VersionError: PaddlePaddle version ${minV} or higher is required, but ${full} installed, please upgrade your PaddlePaddle to ${minV} or other higher version.`,
      );
  },
);

// ---- deprecated memory APIs -------------------------------------------------------------

/**
 * Deprecated since Paddle 1.6 and a no-op: memory reuse and garbage collection are on by
 * default. Warns once.
 */
export const memory_optimize = defineApi(
  'paddle.fluid.memory_optimize',
  [p('input_program', T.any), p('skip_opt_set', T.any, null), p('print_log', T.bool, false), p('level', T.int, 0), p('skip_grads', T.bool, true)],
  (): void => {
    warnOnce(
      'memory_optimize',
      'WARNING: Caution! paddle.fluid.memory_optimize() is deprecated and not maintained any more, since it is not stable!\n' +
        'This API would not take any memory optimizations on your Program now, since we have provided default strategies for you.\n' +
        'The newest and stable memory optimization strategies (they are all enabled by default) are as follows:\n' +
        ' 1. Garbage collection strategy, which is enabled by exporting environment variable FLAGS_eager_delete_tensor_gb=0 (0 is the default value).\n' +
        ' 2. Inplace strategy, which is enabled by setting build_strategy.enable_inplace=True (True is the default value) when using CompiledProgram or ParallelExecutor.\n',
    );
  },
);

/** Deprecated and a no-op; warns once. */
export const release_memory = defineApi(
  'paddle.fluid.release_memory',
  [p('input_program', T.any), p('skip_opt_set', T.any, null)],
  (): void => {
    warnOnce('release_memory', 'WARNING: paddle.fluid.release_memory() is deprecated, it would not take any memory release on your program');
  },
);
