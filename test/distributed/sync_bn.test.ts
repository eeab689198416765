import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gloo } from '../../src/distributed/gloo.js';
import { runJob, results } from './helpers.js';

const skip = gloo() ? false : 'the Gloo binding is not built (apt-get install libgloo-dev)';

for (const nodes of [2, 3]) {
  test(`SyncBatchNorm on ${nodes} ranks with unequal local batches equals BatchNorm on the whole batch`, { skip, timeout: 90000 }, async () => {
    const r = await runJob('sync_bn.ts', { nodes, timeoutMs: 60000 });
    for (const n of r) assert.equal(n.code, 0, n.err);
    const res = results(r);
    assert.equal(res.length, nodes);
    for (const x of res) assert.ok(x.worst < 1e-9, `worst difference ${x.worst}`);
  });
}
