// Static-mode data parallelism across processes: CompiledProgram.with_data_parallel(loss_name),
// with world size > 1 after init_parallel_env, runs a copy of the program in which every
// gradient the optimizer reads is summed over the ranks (c_allreduce_sum) and scaled by
// 1/world_size (Paddle's ScaleLossGradOpHandle + AllReduceOpHandle), inserted before the first
// optimizer operator. Installed by importing paddle.distributed (wraps the method once).
import { CompiledProgram } from '../static/compiled.js';
import { OpRole, type Program } from '../static/framework.js';
import { parallelEnv } from './env.js';
import { commInitialized } from './comm.js';
import { fail, PreconditionNotMetError } from '../core/errors.js';

/** Inserts the gradient allreduce into `prog` (in place); returns the number of gradients. */
export function insertGradAllreduce(prog: Program, nranks: number): number {
  const block = prog.global_block();
  const ops = block.ops;
  const first = ops.findIndex((op) => op.has_attr('op_role') && ((op.attr('op_role') as number) & OpRole.Optimize) !== 0 && op.has_attr('op_role_var'));
  if (first < 0) return 0;
  const grads: string[] = [];
  for (const op of ops.slice(first)) {
    if (!op.has_attr('op_role_var')) continue;
    const rv = op.attr('op_role_var') as string[];
    for (let i = 1; i < rv.length; i += 2) if (!grads.includes(rv[i])) grads.push(rv[i]);
  }
  let at = first;
  for (const g of grads) {
    const v = block.var(g);
    block._insert_op(at++, { type: 'c_allreduce_sum', inputs: { X: [v] }, outputs: { Out: [v] }, attrs: { ring_id: 0, use_calc_stream: true, op_role: OpRole.Backward } });
    block._insert_op(at++, { type: 'scale', inputs: { X: [v] }, outputs: { Out: [v] }, attrs: { scale: 1 / nranks, op_role: OpRole.Backward } });
  }
  return grads.length;
}

let installed = false;
export function installStaticDataParallel(): void {
  if (installed) return;
  installed = true;
  const proto = CompiledProgram.prototype as unknown as { with_data_parallel: (...a: unknown[]) => CompiledProgram };
  const orig = proto.with_data_parallel;
  proto.with_data_parallel = function (this: CompiledProgram, ...args: unknown[]) {
    const r = orig.apply(this, args);
    const world = parallelEnv.world_size;
    if (world > 1) {
      if (!commInitialized())
        fail('CompiledProgram.with_data_parallel', 'world size > 1: call paddle.distributed.init_parallel_env() first', PreconditionNotMetError);
      const prog = this._program.clone();
      insertGradAllreduce(prog, world);
      (this as { _program: Program })._program = prog;
    }
    return r;
  };
}
