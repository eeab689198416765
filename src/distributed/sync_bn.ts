// nn.SyncBatchNorm across processes: the sync_batch_norm kernels (src/backends/js/norm.ts) sum
// their per-channel statistics through batchNormSync.allreduce; this connects it to the world group.
import { batchNormSync } from '../ops/norm.js';
import { allreduceStorage, comm, ReduceOp } from './comm.js';

export function installSyncBatchNorm(): void {
  if (comm.world < 2 || !comm.group) return;
  batchNormSync.allreduce = (buf: Float64Array) => allreduceStorage('paddle.nn.SyncBatchNorm', buf, 'float64', ReduceOp.SUM);
}
