// paddle.distributed: collectives on Gloo, DataParallel, spawn and the launcher's environment.
export { ParallelEnv } from './env.js';
export { ReduceOp, init_parallel_env, get_rank, get_world_size, all_reduce, broadcast, reduce, all_gather, scatter, barrier } from './collective.js';
export { DataParallel } from './parallel.js';
export { spawn, type MultiprocessContext, type SpawnOptions } from './spawn.js';
import { installStaticDataParallel } from './static_dp.js';
installStaticDataParallel();
export { split } from './split.js';
