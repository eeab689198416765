import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gloo } from '../../src/distributed/gloo.js';
import * as dist from '../../src/distributed/index.js';
import { here } from './helpers.js';

const skip = gloo() ? false : 'the Gloo binding is not built (apt-get install libgloo-dev)';
const mod = join(here, 'workers', 'spawn_mod.ts');

test('spawn runs func in nprocs processes and returns their results', { skip, timeout: 60000 }, async () => {
  const { train } = await import('./workers/spawn_mod.js');
  const ctx = await dist.spawn(train, [10], 3, true, false, { module: mod });
  assert.equal(ctx.is_child, false);
  assert.deepEqual(ctx.results, [0, 1, 2].map((r) => ({ rank: r, world: 3, sum: 33 })));
});

test('spawn finds func in the calling module', { skip, timeout: 60000 }, async () => {
  const { runHere } = await import('./workers/spawn_mod.js');
  const ctx = await runHere(2);
  assert.deepEqual(ctx.results, [{ rank: 0, world: 2, sum: 3 }, { rank: 1, world: 2, sum: 3 }]);
});

test('spawn rejects with the failing rank\'s error and stops the others', { skip, timeout: 60000 }, async () => {
  const { boom } = await import('./workers/spawn_mod.js');
  const t0 = Date.now();
  await assert.rejects(dist.spawn(boom, [], 2, true, false, { module: mod }), /process 1 exited with code 1:[\s\S]*rank 1 failed on purpose/);
  assert.ok(Date.now() - t0 < 30000);
});

test('spawn checks its arguments', async () => {
  await assert.rejects(dist.spawn(3 as never), /expected a function/);
  await assert.rejects(dist.spawn(() => 1, [], 2), /named, exported function/);
  await assert.rejects(dist.spawn(function f() {}, [], 0), /nprocs must be a positive integer/);
});
