// The last rank dies after joining; the others' next collective must fail (not hang).
import * as paddle from '../../../src/index.js';
import * as dist from '../../../src/distributed/index.js';

dist.init_parallel_env();
const rank = dist.get_rank();
const n = dist.get_world_size();
dist.barrier();
if (rank === n - 1) process.exit(7);
const t = paddle.ones([1000], 'float32');
const t0 = Date.now();
try {
  for (let i = 0; i < 100; i++) dist.all_reduce(t);
  console.log('RESULT ' + JSON.stringify({ rank, failed: false }));
} catch (e) {
  console.log('RESULT ' + JSON.stringify({ rank, failed: true, ms: Date.now() - t0, msg: (e as Error).message }));
  process.exit(1);
}
