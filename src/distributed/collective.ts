// paddle.distributed's collectives on Tensors (dygraph): in place, as Paddle 2.0's all_reduce,
// broadcast, reduce, all_gather, scatter and barrier; plus init_parallel_env, get_rank, get_world_size.
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { Tensor } from '../core/tensor.js';
import { fail, InvalidArgumentError } from '../core/errors.js';
import { parallelEnv } from './env.js';
import {
  ReduceOp, comm, connectWorld, allreduceStorage, broadcastStorage, reduceStorage, allgatherStorage, scatterStorage, barrierWorld,
} from './comm.js';
import { installLossScaling } from './loss_scale.js';
import { installSyncBatchNorm } from './sync_bn.js';

export { ReduceOp };

const groupTy = T.int;

function checkGroup(api: string, g: number): void {
  if (g !== 0) fail(api, `group ${g} does not exist: only the global group 0 is supported`, InvalidArgumentError);
}

function touched(t: Tensor): void {
  t.ver.v++;
}

/**
 * Connects this process to the other trainers of the job (the launcher's PADDLE_* environment):
 * Gloo rendezvous through the store at the first endpoint. With one process it does nothing.
 * @example paddle.distributed.init_parallel_env()
 */
export const init_parallel_env = defineApi('paddle.distributed.init_parallel_env', [], () => {
  if (parallelEnv.world_size < 2) return;
  connectWorld('paddle.distributed.init_parallel_env');
  installLossScaling();
  installSyncBatchNorm();
});

/**
 * This process's rank (PADDLE_TRAINER_ID; 0 without a launcher).
 * @example const rank = paddle.distributed.get_rank()
 */
export const get_rank = defineApi('paddle.distributed.get_rank', [], () => parallelEnv.rank);

/**
 * The number of trainer processes (PADDLE_TRAINERS_NUM; 1 without a launcher).
 * @example const n = paddle.distributed.get_world_size()
 */
export const get_world_size = defineApi('paddle.distributed.get_world_size', [], () => parallelEnv.world_size);

/**
 * Reduces `tensor` across every process, in place (the result is on every rank).
 * @param tensor the tensor (every rank passes the same shape and dtype)
 * @param op ReduceOp.SUM (default), MAX, MIN or PROD
 * @param group the ring id (0, the global group)
 * @example paddle.distributed.all_reduce(t)  // t = sum over the ranks
 */
export const all_reduce = defineApi('paddle.distributed.all_reduce',
  [p('tensor', T.tensor), p('op', T.int, ReduceOp.SUM as number), p('group', groupTy, 0)],
  (a) => {
    const api = 'paddle.distributed.all_reduce';
    checkGroup(api, a.group);
    allreduceStorage(api, a.tensor.data, a.tensor.dtype, a.op);
    touched(a.tensor);
  });

/**
 * Copies `src`'s tensor into every rank's `tensor`, in place.
 * @param tensor the tensor (sent on src, received elsewhere)
 * @param src the source rank
 * @param group the ring id (0)
 * @example paddle.distributed.broadcast(t, 0)
 */
export const broadcast = defineApi('paddle.distributed.broadcast',
  [p('tensor', T.tensor), p('src', T.int), p('group', groupTy, 0)],
  (a) => {
    const api = 'paddle.distributed.broadcast';
    checkGroup(api, a.group);
    broadcastStorage(api, a.tensor.data, a.src);
    touched(a.tensor);
  });

/**
 * Reduces `tensor` across the ranks into `dst`'s tensor (the other ranks' tensors are unchanged).
 * @param tensor the tensor
 * @param dst the destination rank
 * @param op ReduceOp.SUM (default), MAX, MIN or PROD
 * @param group the ring id (0)
 * @example paddle.distributed.reduce(t, 0)
 */
export const reduce = defineApi('paddle.distributed.reduce',
  [p('tensor', T.tensor), p('dst', T.int), p('op', T.int, ReduceOp.SUM as number), p('group', groupTy, 0)],
  (a) => {
    const api = 'paddle.distributed.reduce';
    checkGroup(api, a.group);
    reduceStorage(api, a.tensor.data, a.tensor.dtype, a.dst, a.op);
    touched(a.tensor);
  });

/**
 * Gathers every rank's `tensor` into `tensor_list` (appended, in rank order).
 * @param tensor_list the output list
 * @param tensor this rank's tensor (same shape and dtype on every rank)
 * @param group the ring id (0)
 * @example const out: paddle.Tensor[] = []; paddle.distributed.all_gather(out, t)
 */
export const all_gather = defineApi('paddle.distributed.all_gather',
  [p('tensor_list', T.any), p('tensor', T.tensor), p('group', groupTy, 0)],
  (a) => {
    const api = 'paddle.distributed.all_gather';
    checkGroup(api, a.group);
    if (!Array.isArray(a.tensor_list)) fail(api, `argument 'tensor_list' expected a list, got ${typeof a.tensor_list}`, InvalidArgumentError);
    const t = a.tensor;
    const all = allgatherStorage(api, t.data);
    const n = t.data.length;
    const world = Math.max(comm.world, 1);
    for (let r = 0; r < world; r++) {
      const part = all.slice(r * n, (r + 1) * n);
      (a.tensor_list as Tensor[]).push(new Tensor(part, t.dims.slice(), t.dtype));
    }
  });

/**
 * Sends `tensor_list[i]` from rank `src` to rank i's `tensor` (in place).
 * @param tensor the output tensor on every rank
 * @param tensor_list on src, world_size tensors shaped like `tensor` (ignored elsewhere)
 * @param src the source rank
 * @param group the ring id (0)
 * @example paddle.distributed.scatter(t, rank === 0 ? [a, b] : null, 0)
 */
export const scatter = defineApi('paddle.distributed.scatter',
  [p('tensor', T.tensor), p('tensor_list', T.any, null as unknown), p('src', T.int, 0), p('group', groupTy, 0)],
  (a) => {
    const api = 'paddle.distributed.scatter';
    checkGroup(api, a.group);
    const t = a.tensor;
    let parts: Tensor[] | null = null;
    const world = Math.max(comm.world, 1);
    const rank = comm.world > 1 ? comm.rank : 0;
    if (rank === a.src) {
      if (!Array.isArray(a.tensor_list) || a.tensor_list.length !== world)
        fail(api, `tensor_list on the source rank must hold world_size (${world}) tensors`, InvalidArgumentError);
      parts = a.tensor_list as Tensor[];
      for (const q of parts)
        if (!(q instanceof Tensor) || q.dtype !== t.dtype || q.data.length !== t.data.length)
          fail(api, `every tensor in tensor_list must have the shape [${t.dims}] and dtype ${t.dtype} of 'tensor'`, InvalidArgumentError);
    }
    scatterStorage(api, parts ? parts.map((q) => q.data) : null, t.data, a.src);
    touched(t);
  });

/**
 * Blocks until every rank reaches the barrier.
 * @param group the ring id (0)
 * @example paddle.distributed.barrier()
 */
export const barrier = defineApi('paddle.distributed.barrier', [p('group', groupTy, 0)], (a) => {
  checkGroup('paddle.distributed.barrier', a.group);
  barrierWorld('paddle.distributed.barrier');
});

