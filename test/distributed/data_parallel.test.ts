import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gloo } from '../../src/distributed/gloo.js';
import { assignGroupBySize } from '../../src/distributed/parallel.js';
import { runJob, results } from './helpers.js';
import * as paddle from '../../src/index.js';

const skip = gloo() ? false : 'the Gloo binding is not built (apt-get install libgloo-dev)';

test('assign_group_by_size: dtype groups, the first bucket small, sorted by first index', () => {
  // sizes in bytes; limits [first, rest]
  const g = assignGroupBySize([4, 4, 8, 4, 20, 4, 4], ['f', 'f', 'd', 'f', 'f', 'd', 'f'], [8, 24]);
  assert.deepEqual(g, [[0, 1], [2], [3, 4], [5], [6]]);
  const r = assignGroupBySize([4, 4, 4], ['f', 'f', 'f'], [4, 100], [2, 0, 1]);
  assert.deepEqual(r, [[2], [0, 1]]);
});

test('DataParallel in one process is the wrapped layer', () => {
  const net = new paddle.nn.Linear(2, 2);
  const dp = new paddle.DataParallel(net);
  assert.deepEqual(Object.keys(dp.state_dict()), ['weight', 'bias']);
  const x = paddle.ones([1, 2]);
  assert.deepEqual(Array.from(dp(x).numpy() as Float32Array), Array.from(net(x).numpy() as Float32Array));
  assert.equal(dp.scale_loss(x), x);
  assert.throws(() => new paddle.DataParallel(3 as never), /expected a Layer/);
});

for (const [kind, nodes, cbs, lcbs] of [['mlp', 2, 25, 1], ['mlp', 3, 0.0005, 0.0002], ['cnn', 2, 25, 1], ['cnn', 3, 0.0005, 0.0002]] as const) {
  test(`DataParallel ${kind}, ${nodes} ranks, buckets ${cbs}/${lcbs} MB: equal to one process on the whole batch`, { skip, timeout: 90000 }, async () => {
    const r = await runJob('data_parallel.ts', { nodes, timeoutMs: 60000, args: [kind, String(cbs), String(lcbs)] });
    for (const n of r) assert.equal(n.code, 0, n.err);
    const res = results(r);
    assert.equal(res.length, nodes);
    // small buckets: some start (on the communication thread) while backward is still computing
    if (cbs < 1) for (const x of res) {
      assert.ok(x.buckets >= 2, `buckets ${x.buckets}`);
      assert.ok(x.early >= 1, `buckets started before backward ended: ${x.early}`);
    }
  });
}

for (const opt of ['sgd', 'adam-lazy']) {
  test(`DataParallel with a sparse Embedding (${opt}), 2 ranks: rows gathered, weights equal to one process`, { skip, timeout: 90000 }, async () => {
    const r = await runJob('data_parallel_sparse.ts', { nodes: 2, timeoutMs: 60000, args: [opt] });
    for (const n of r) assert.equal(n.code, 0, n.err);
    assert.equal(results(r).length, 2);
  });
}
