// paddle.fluid.set_flags / get_flags (python/paddle/fluid/framework.py at 2.0) over the table
// of Paddle 2.0's public global flags (paddle/fluid/pybind/global_value_getter_setter.cc,
// REGISTER_PUBLIC_GLOBAL_VAR), with their C++ types and defaults (paddle/fluid/platform/
// flags.cc and the files that define them). Flags that mean something here act:
//   FLAGS_check_nan_inf       every operator's outputs are checked for NaN/Inf after it runs
//                             (dygraph and Executor), failing with the operator named;
//   FLAGS_paddle_num_threads  sizes the native backend's thread pool when set (the pool's own
//                             default is the number of cores; the flag reads Paddle's 1 until set).
// The others are recorded (their settings tune Paddle's allocators, cuDNN, threads...).
// As a CUDA build of Paddle, the CUDA flags are public too (they only record a value here).
import { isPlainObject } from '../core/args.js';
import { setNumThreads } from '../core/threads.js';
import { opHooks } from '../core/dispatch.js';
import { isComplex, isFloating } from '../core/dtype.js';
import { describe, fail, InvalidArgumentError, NotFoundError, PreconditionNotMetError } from '../core/errors.js';
import type { OpDef, Slots } from '../core/registry.js';
import type { Tensor } from '../core/tensor.js';

/** A flag's C++ type (gflags): bool, int32, uint64, double or string. */
export type FlagType = 'bool' | 'int32' | 'uint64' | 'double' | 'string';
export type FlagValue = boolean | number | string;

interface FlagInfo {
  readonly type: FlagType;
  readonly default: FlagValue;
  /** Registered only by CUDA builds of Paddle. */
  readonly cuda?: boolean;
  /** Applies a new value (flags that act). */
  readonly apply?: (v: FlagValue) => void;
}

/** Paddle 2.0's public flags, in registration order. */
const TABLE: Readonly<Record<string, FlagInfo>> = {
  FLAGS_eager_delete_tensor_gb: { type: 'double', default: 0.0 },
  FLAGS_enable_parallel_graph: { type: 'bool', default: false },
  FLAGS_allocator_strategy: { type: 'string', default: 'auto_growth' },
  FLAGS_use_system_allocator: { type: 'bool', default: false },
  FLAGS_check_nan_inf: { type: 'bool', default: false, apply: (v) => setNanInfCheck(v as boolean) },
  FLAGS_call_stack_level: { type: 'int32', default: 1 },
  FLAGS_sort_sum_gradient: { type: 'bool', default: false },
  FLAGS_cpu_deterministic: { type: 'bool', default: false },
  FLAGS_enable_rpc_profiler: { type: 'bool', default: false },
  FLAGS_multiple_of_cupti_buffer_size: { type: 'int32', default: 1 },
  FLAGS_reader_queue_speed_test_mode: { type: 'bool', default: false },
  FLAGS_pe_profile_fname: { type: 'string', default: '' },
  FLAGS_print_sub_graph_dir: { type: 'string', default: '' },
  FLAGS_fraction_of_cpu_memory_to_use: { type: 'double', default: 1.0 },
  FLAGS_fuse_parameter_groups_size: { type: 'int32', default: 1 },
  FLAGS_fuse_parameter_memory_size: { type: 'double', default: -1.0 },
  FLAGS_init_allocated_mem: { type: 'bool', default: false },
  FLAGS_initial_cpu_memory_in_mb: { type: 'uint64', default: 500 },
  FLAGS_memory_fraction_of_eager_deletion: { type: 'double', default: 1.0 },
  FLAGS_use_pinned_memory: { type: 'bool', default: true },
  FLAGS_benchmark: { type: 'bool', default: false },
  FLAGS_inner_op_parallelism: { type: 'int32', default: 0 },
  FLAGS_tracer_profile_fname: { type: 'string', default: 'xxgperf' },
  FLAGS_paddle_num_threads: { type: 'int32', default: 1, apply: (v) => void ((v as number) >= 1 && setNumThreads(v as number)) },
  FLAGS_use_mkldnn: { type: 'bool', default: false },
  FLAGS_max_inplace_grad_add: { type: 'int32', default: 0 },
  FLAGS_tracer_mkldnn_ops_on: { type: 'string', default: '' },
  FLAGS_tracer_mkldnn_ops_off: { type: 'string', default: '' },
  // CUDA builds
  FLAGS_gpu_memory_limit_mb: { type: 'uint64', default: 0, cuda: true },
  FLAGS_cudnn_deterministic: { type: 'bool', default: false, cuda: true },
  FLAGS_conv_workspace_size_limit: { type: 'uint64', default: 512, cuda: true },
  FLAGS_cudnn_batchnorm_spatial_persistent: { type: 'bool', default: false, cuda: true },
  FLAGS_cudnn_exhaustive_search: { type: 'bool', default: false, cuda: true },
  FLAGS_eager_delete_scope: { type: 'bool', default: true, cuda: true },
  FLAGS_fast_eager_deletion_mode: { type: 'bool', default: true, cuda: true },
  FLAGS_fraction_of_cuda_pinned_memory_to_use: { type: 'double', default: 0.5, cuda: true },
  FLAGS_fraction_of_gpu_memory_to_use: { type: 'double', default: 0.92, cuda: true },
  FLAGS_initial_gpu_memory_in_mb: { type: 'uint64', default: 0, cuda: true },
  FLAGS_reallocate_gpu_memory_in_mb: { type: 'uint64', default: 0, cuda: true },
  FLAGS_enable_cublas_tensor_op_math: { type: 'bool', default: false, cuda: true },
  FLAGS_selected_gpus: { type: 'string', default: '', cuda: true },
  FLAGS_sync_nccl_allreduce: { type: 'bool', default: true, cuda: true },
};

const values = new Map<string, FlagValue>(Object.entries(TABLE).map(([k, f]) => [k, f.default]));

/** Reads the environment as Paddle's __bootstrap__ does (`FLAGS_x=value`, for its read_env_flags). */
function readEnv(): void {
  const env = typeof process !== 'undefined' ? process.env : {};
  for (const name of Object.keys(TABLE)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const f = TABLE[name];
    let v: FlagValue | undefined;
    if (f.type === 'bool') v = /^(1|true|yes|y|t)$/i.test(raw) ? true : /^(0|false|no|n|f)$/i.test(raw) ? false : undefined;
    else if (f.type === 'string') v = raw;
    else {
      const n = Number(raw);
      v = Number.isFinite(n) && (f.type === 'double' || Number.isInteger(n)) ? n : undefined;
    }
    if (v === undefined) continue;
    values.set(name, v);
    f.apply?.(v);
  }
}

/** Converts a value to the flag's type as pybind11's casts would, or fails. */
function coerce(api: string, name: string, f: FlagInfo, v: unknown): FlagValue {
  const bad = (what: string): never => fail(api, `flag ${name} is of C++ type ${f.type} and takes ${what}, but got ${describe(v)}`, InvalidArgumentError);
  switch (f.type) {
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      return bad('a boolean');
    case 'int32':
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad('an integer');
      if (v < -(2 ** 31) || v >= 2 ** 31) return bad('an integer in the int32 range');
      return v;
    case 'uint64':
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad('an integer');
      if (v < 0) return bad('a non-negative integer');
      return v;
    case 'double':
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      return bad('a number');
    case 'string':
      if (typeof v === 'string') return v;
      return bad('a string');
  }
}

function lookup(api: string, name: unknown, what: 'set' | 'get'): FlagInfo {
  if (typeof name !== 'string') return fail(api, `flag names must be strings such as 'FLAGS_check_nan_inf', but got ${describe(name)}`);
  const f = TABLE[name];
  if (!f) {
    const hint = name.startsWith('FLAGS_') ? '' : ` (flag names start with 'FLAGS_', e.g. 'FLAGS_${name}')`;
    return fail(api, `Flag ${name} cannot ${what} its value through this function: it is not one of Paddle's public flags${hint}`, NotFoundError);
  }
  return f;
}

/**
 * Sets Paddle's global flags from a dict of flag name -> value. Only Paddle's public flags can
 * be set; an unknown name or a value of the wrong type fails.
 * @param flags e.g. `{ FLAGS_check_nan_inf: true, FLAGS_eager_delete_tensor_gb: 1.0 }`
 * @example paddle.fluid.set_flags({ FLAGS_check_nan_inf: true })
 */
export function set_flags(flags: Record<string, FlagValue>): void {
  const api = 'paddle.fluid.set_flags';
  if (isPlainObject(flags) && Object.keys(flags).length === 1 && 'flags' in flags && isPlainObject(flags.flags))
    flags = flags.flags as Record<string, FlagValue>;
  if (!isPlainObject(flags)) fail(api, `flags in set_flags should be a dict, but got ${describe(flags)}`);
  // check every entry first, so a bad one changes nothing
  const updates: [string, FlagInfo, FlagValue][] = Object.entries(flags).map(([k, v]) => {
    const f = lookup(api, k, 'set');
    return [k, f, coerce(api, k, f, v)];
  });
  for (const [k, f, v] of updates) {
    values.set(k, v);
    f.apply?.(v);
  }
}

/**
 * Reads global flags: a flag name or a list of names; returns a dict name -> value.
 * @param flags e.g. `['FLAGS_eager_delete_tensor_gb', 'FLAGS_check_nan_inf']`
 * @example paddle.fluid.get_flags(['FLAGS_check_nan_inf'])   // { FLAGS_check_nan_inf: false }
 */
export function get_flags(flags: string | readonly string[] | { flags: string | readonly string[] }): Record<string, FlagValue> {
  const api = 'paddle.fluid.get_flags';
  if (isPlainObject(flags) && 'flags' in flags) flags = (flags as { flags: string | readonly string[] }).flags;
  let names: readonly unknown[];
  if (typeof flags === 'string') names = [flags];
  else if (Array.isArray(flags)) names = flags;
  else return fail(api, `Flags in get_flags should be a list, tuple or string, but got ${describe(flags)}`);
  const out: Record<string, FlagValue> = {};
  for (const n of names) {
    lookup(api, n, 'get');
    out[n as string] = values.get(n as string)!;
  }
  return out;
}

/** @internal The current value of a flag (for code that follows one). */
export function flagValue(name: string): FlagValue {
  const v = values.get(name);
  if (v === undefined) fail('paddle.fluid.get_flags', `unknown flag ${name}`, NotFoundError);
  return v;
}

/** @internal The names of the public flags. */
export function flagNames(): string[] {
  return Object.keys(TABLE);
}

// ---- FLAGS_check_nan_inf ----------------------------------------------------------------

function checkOutputs(def: OpDef, outs: Slots<Tensor>): void {
  for (const slot in outs) {
    const list = outs[slot];
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      if (!t || !(isFloating(t.dtype) || isComplex(t.dtype))) continue;
      let nan = false;
      let inf = false;
      if (t.dtype === 'float16') {
        const h = t.data as Uint16Array;
        for (let j = 0; j < h.length; j++) {
          if ((h[j] & 0x7c00) === 0x7c00) {
            if (h[j] & 0x03ff) nan = true;
            else inf = true;
          }
        }
      }
      const d = (t.dtype === 'float16' ? [] : t.data) as Float32Array | Float64Array;
      for (let j = 0; j < d.length; j++) {
        const x = d[j];
        if (x - x !== 0) {
          if (x !== x) nan = true;
          else inf = true;
          if (nan && inf) break;
        }
      }
      if (nan || inf) {
        const what = nan && inf ? 'NaN and Inf' : nan ? 'NaN' : 'Inf';
        const name = list.length > 1 ? `${slot}[${i}]` : slot;
        fail(def.type, `Operator ${def.type} output Tensor ${name} contains ${what} (FLAGS_check_nan_inf is on)`, PreconditionNotMetError);
      }
    }
  }
}

function setNanInfCheck(on: boolean): void {
  opHooks.afterRun = on ? checkOutputs : undefined;
}

readEnv();
