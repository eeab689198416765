// Each collective's results on every rank (run by test/distributed/collectives.test.ts).
import assert from 'node:assert/strict';
import * as paddle from '../../../src/index.js';
import * as dist from '../../../src/distributed/index.js';

dist.init_parallel_env();
const rank = dist.get_rank();
const n = dist.get_world_size();
const env = new dist.ParallelEnv();
assert.equal(env.rank, rank);
assert.equal(env.world_size, n);
const ranks = Array.from({ length: n }, (_, i) => i);
const arr = (t: paddle.Tensor): number[] => Array.from(t.numpy() as ArrayLike<number | bigint>, Number);

// all_reduce: every op and several dtypes
for (const dtype of ['float32', 'float64', 'int32', 'int64', 'float16'] as const) {
  const mk = () => paddle.to_tensor([rank + 1, -(rank + 1), 2], dtype);
  let t = mk(); dist.all_reduce(t);
  const s = ranks.reduce((a, r) => a + r + 1, 0);
  assert.deepEqual(arr(t), [s, -s, 2 * n], `sum ${dtype}`);
  t = mk(); dist.all_reduce(t, dist.ReduceOp.MAX);
  assert.deepEqual(arr(t), [n, -1, 2], `max ${dtype}`);
  t = mk(); dist.all_reduce(t, dist.ReduceOp.MIN);
  assert.deepEqual(arr(t), [1, -n, 2], `min ${dtype}`);
  t = mk(); dist.all_reduce(t, dist.ReduceOp.PROD);
  const f = ranks.reduce((a, r) => a * (r + 1), 1);
  assert.deepEqual(arr(t), [f, (n % 2 ? -1 : 1) * f, 2 ** n], `prod ${dtype}`);
}
// a large buffer
const big = paddle.full([1 << 18], rank + 1, 'float32');
dist.all_reduce(big);
assert.ok(arr(big).every((v) => v === (n * (n + 1)) / 2));

// broadcast from each source
for (const src of ranks) {
  const t = paddle.to_tensor([[rank, rank * 10], [7, rank]], 'float64');
  dist.broadcast(t, src);
  assert.deepEqual(arr(t), [src, src * 10, 7, src]);
}
// reduce to the last rank
const dst = n - 1;
const rt = paddle.to_tensor([rank + 1, 1], 'int64');
dist.reduce(rt, dst);
assert.deepEqual(arr(rt), rank === dst ? [(n * (n + 1)) / 2, n] : [rank + 1, 1]);
const rm = paddle.to_tensor([rank], 'float32');
dist.reduce(rm, 0, dist.ReduceOp.MAX);
if (rank === 0) assert.deepEqual(arr(rm), [n - 1]);

// all_gather
const list: paddle.Tensor[] = [];
dist.all_gather(list, paddle.to_tensor([[rank, rank + 0.5]], 'float32'));
assert.equal(list.length, n);
list.forEach((t, r) => { assert.deepEqual(t.shape, [1, 2]); assert.deepEqual(arr(t), [r, r + 0.5]); });

// scatter from rank 1
const st = paddle.zeros([3], 'int32');
const parts = rank === 1 ? ranks.map((r) => paddle.to_tensor([r, r * 2, r * 3], 'int32')) : null;
dist.scatter(st, parts, 1);
assert.deepEqual(arr(st), [rank, rank * 2, rank * 3]);

// barrier, and errors
dist.barrier();
assert.throws(() => dist.broadcast(paddle.to_tensor([1]), n), /paddle.distributed.broadcast: src must be a rank in \[0, \d\)/);
assert.throws(() => dist.all_reduce(paddle.to_tensor([1]), dist.ReduceOp.SUM, 3), /group 3 does not exist/);
if (rank === 0) assert.throws(() => dist.scatter(paddle.zeros([2]), [paddle.zeros([2])], 0), /world_size/);
dist.barrier();
console.log('RESULT ' + JSON.stringify({ rank, n, ok: true }));

// async form on the communication thread: FIFO with the sync ones, buffers kept alive
{
  const { comm, allreduceStorageAsync } = await import('../../../src/distributed/comm.js');
  const bufs = [new Float64Array(1000).fill(rank), new Float64Array(10).fill(1)];
  const ps = bufs.map((b) => allreduceStorageAsync('test', b, 'float64', 0));
  const sync = paddle.to_tensor([1], 'float32');
  dist.all_reduce(sync);
  await Promise.all(ps);
  assert.equal(bufs[0][999], (n * (n - 1)) / 2);
  assert.equal(bufs[1][0], n);
  assert.deepEqual(arr(sync), [n]);
  assert.ok(comm.group);
}
console.log('RESULT ' + JSON.stringify({ rank, n, async: true }));
