import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { gloo } from '../../src/distributed/gloo.js';
import { runJob, results } from './helpers.js';

const skip = gloo() ? false : 'the Gloo binding is not built (apt-get install libgloo-dev)';

test('paddle.distributed.split on 2 ranks equals the unsplit linear/embedding', { skip, timeout: 90000 }, async () => {
  const r = await runJob('split.ts', { nodes: 2, timeoutMs: 60000 });
  for (const n of r) assert.equal(n.code, 0, n.err + n.out);
  assert.deepEqual(results(r).map((x) => x.rank).sort(), [0, 1]);
});

test('paddle.distributed.split in one process is the plain layer; bad arguments fail clearly', () => {
  const x = paddle.ones([2, 4]);
  const y = paddle.distributed.split(x, [4, 3], 'linear', { axis: 1 });
  assert.deepEqual(y.shape, [2, 3]);
  const e = paddle.distributed.split(paddle.to_tensor([[1], [2]], 'int64'), [5, 3], 'embedding');
  assert.deepEqual(e.shape, [2, 1, 3]);
  assert.throws(() => paddle.distributed.split(x, [4, 3], 'conv'), /operation must be one of \['linear', 'embedding'\]/);
  assert.throws(() => paddle.distributed.split(x, [4, 3], 'linear', { axis: 2 }), /axis must be 0 or 1/);
  assert.throws(() => paddle.distributed.split(x, [4, 3], 'linear', { num_partitions: 2 }), /num_partitions \(2\) must equal the number of ranks \(1\)/);
  assert.throws(() => paddle.distributed.split(x, [4], 'linear'), /size must hold two positive integers/);
});
