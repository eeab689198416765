// Functions paddle.distributed.spawn runs in its children (test/distributed/spawn.test.ts).
import * as paddle from '../../../src/index.js';
import * as dist from '../../../src/distributed/index.js';

export function train(x: number): { rank: number; world: number; sum: number } {
  dist.init_parallel_env();
  const t = paddle.to_tensor([dist.get_rank() + x], 'float64');
  dist.all_reduce(t);
  return { rank: dist.get_rank(), world: dist.get_world_size(), sum: (t.numpy() as Float64Array)[0] };
}

export function boom(): void {
  dist.init_parallel_env();
  if (dist.get_rank() === 1) throw new Error('rank 1 failed on purpose');
  dist.barrier();
}

/** spawn called from this module: the children find `train` here without options.module. */
export function runHere(n: number): Promise<dist.MultiprocessContext> {
  return dist.spawn(train, [1], n);
}
