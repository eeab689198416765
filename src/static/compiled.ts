// CompiledProgram, BuildStrategy, ExecutionStrategy, ParallelExecutor and places: accepted and
// running on the CPU as Paddle does without a GPU (the strategies' settings are recorded).
import { describe, fail, UnavailableError } from '../core/errors.js';
import { CPUPlace } from '../core/place.js';
import { Tensor } from '../core/tensor.js';
import { Executor, Scope, global_scope } from './executor.js';
import { Program } from './framework.js';
import { default_main_program } from './mode.js';

/** Graph-building options (Paddle's C++ BuildStrategy); recorded, the CPU executor needs none. */
export class BuildStrategy {
  reduce_strategy = 0;
  gradient_scale_strategy = 0;
  debug_graphviz_path = '';
  enable_sequential_execution = false;
  fuse_elewise_add_act_ops = false;
  fuse_bn_act_ops = false;
  fuse_relu_depthwise_conv = false;
  fuse_broadcast_ops = false;
  fuse_all_optimizer_ops = false;
  fuse_all_reduce_ops = false;
  enable_inplace = false;
  enable_addto = false;
  memory_optimize = false;
  sync_batch_norm = false;
  enable_auto_fusion = false;
  static ReduceStrategy = { AllReduce: 0, Reduce: 1 } as const;
  static GradientScaleStrategy = { CoeffNumDevice: 0, One: 1, Customized: 2 } as const;
}
/** Execution options (Paddle's C++ ExecutionStrategy); recorded. */
export class ExecutionStrategy {
  num_threads = 0;
  num_iteration_per_drop_scope = 100;
  num_iteration_per_run = 1;
  use_thread_barrier = false;
}

/**
 * A program prepared for execution (Paddle's CompiledProgram). On the CPU it runs as the
 * program itself; with_data_parallel records the strategies (multi-process data parallelism
 * comes with paddle.distributed).
 * @example const compiled = new paddle.static.CompiledProgram(main).with_data_parallel(loss.name)
 */
export class CompiledProgram {
  readonly _program: Program;
  _build_strategy: BuildStrategy | null;
  _exec_strategy: ExecutionStrategy | null = null;
  _loss_name: string | null = null;
  constructor(program_or_graph: Program, build_strategy: BuildStrategy | null = null) {
    if (!(program_or_graph instanceof Program)) fail('paddle.static.CompiledProgram', `argument 'program_or_graph' expected a Program, but got ${describe(program_or_graph)}`);
    this._program = program_or_graph;
    this._build_strategy = build_strategy;
  }
  with_data_parallel(loss_name: string | null = null, build_strategy: BuildStrategy | null = null, exec_strategy: ExecutionStrategy | null = null, _share_vars_from: unknown = null, places: unknown = null): this {
    if (places && Array.isArray(places) && places.some((p) => !(p instanceof CPUPlace)))
      fail('CompiledProgram.with_data_parallel', 'only CPU places are available', UnavailableError);
    this._loss_name = loss_name;
    if (build_strategy) this._build_strategy = build_strategy;
    this._exec_strategy = exec_strategy;
    return this;
  }
}

/** Paddle's ParallelExecutor on the CPU: runs the main program with one executor. */
export class ParallelExecutor {
  private readonly exe = new Executor();
  private readonly program: Program;
  private readonly scope: Scope;
  constructor(use_cuda: boolean, loss_name: string | null = null, main_program: Program | null = null, _share_vars_from: unknown = null, _exec_strategy: ExecutionStrategy | null = null, _build_strategy: BuildStrategy | null = null, _num_trainers = 1, _trainer_id = 0, scope: Scope | null = null) {
    if (use_cuda) fail('paddle.static.ParallelExecutor', 'use_cuda=True needs CUDA; paddle-ts runs on the CPU', UnavailableError);
    void loss_name;
    this.program = main_program ?? default_main_program();
    this.scope = scope ?? global_scope();
  }
  run(fetch_list: unknown[], feed: Record<string, unknown> | null = null, _feed_dict: unknown = null, return_numpy = true): Tensor[] {
    return this.exe.run(this.program, { feed: feed ?? {}, fetch_list, scope: this.scope, return_numpy });
  }
  drop_local_exe_scopes(): void {}
}

/** CPU places: `device_count` of them (default: the env CPU_NUM, else 1), as Paddle. */
export function cpu_places(device_count: number | null = null): CPUPlace[] {
  const n = device_count ?? (Number(process.env.CPU_NUM) || 1);
  if (!Number.isInteger(n) || n < 1) fail('paddle.static.cpu_places', `argument 'device_count' must be a positive integer, but got ${describe(device_count)}`);
  return Array.from({ length: n }, () => new CPUPlace());
}
/** CUDA places: none are available (Paddle without a GPU returns an empty list when not asked for ids). */
export function cuda_places(device_ids: number[] | null = null): never[] {
  if (device_ids && device_ids.length) fail('paddle.static.cuda_places', 'paddle-ts is not compiled with CUDA', UnavailableError);
  return [];
}
