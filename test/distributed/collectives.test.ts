import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gloo } from '../../src/distributed/gloo.js';
import { runJob, results } from './helpers.js';

const skip = gloo() ? false : 'the Gloo binding is not built (apt-get install libgloo-dev)';

for (const [nodes, nproc] of [[2, 1], [3, 1], [1, 2]] as const) {
  test(`collectives: ${nodes} node(s) x ${nproc} trainer(s)`, { skip, timeout: 90000 }, async () => {
    const r = await runJob('collectives.ts', { nodes, nproc, timeoutMs: 60000 });
    for (const n of r) assert.equal(n.code, 0, n.err);
    const res = results(r).filter((x) => !x.async).sort((a, b) => a.rank - b.rank);
    assert.deepEqual(res.map((x) => x.rank), Array.from({ length: nodes * nproc }, (_, i) => i));
    for (const x of res) assert.equal(x.n, nodes * nproc);
    assert.equal(results(r).filter((x) => x.async).length, nodes * nproc);
  });
}

test('a dead rank makes every other rank exit non-zero within seconds', { skip, timeout: 60000 }, async () => {
  const r = await runJob('dead_peer.ts', { nodes: 3, timeoutMs: 40000 });
  for (const n of r) assert.notEqual(n.code, 0);
  const res = results(r);
  assert.equal(res.length, 2);
  for (const x of res) {
    assert.equal(x.failed, true);
    assert.ok(x.ms < 10000, `failed after ${x.ms} ms`);
  }
  for (const n of r) assert.ok(n.ms < 30000);
});

test('init_parallel_env with one process does nothing; collectives are the identity', async () => {
  const dist = await import('../../src/distributed/index.js');
  const paddle = await import('../../src/index.js');
  dist.init_parallel_env();
  assert.equal(dist.get_rank(), 0);
  assert.equal(dist.get_world_size(), 1);
  const t = paddle.to_tensor([1, 2], 'float32');
  dist.all_reduce(t);
  dist.broadcast(t, 0);
  assert.deepEqual(Array.from(t.numpy() as Float32Array), [1, 2]);
  const l: unknown[] = [];
  dist.all_gather(l, t);
  assert.equal(l.length, 1);
  assert.throws(() => dist.broadcast(t, 1), /src must be a rank in \[0, 1\)/);
  assert.throws(() => dist.all_reduce(t, 9), /op must be one of/);
});

test('without the Gloo binding, init_parallel_env with world size > 1 fails at once naming libgloo-dev', { timeout: 30000 }, async () => {
  const { spawnSync } = await import('node:child_process');
  const code = "import * as d from './src/distributed/index.js'; try { d.init_parallel_env(); console.log('no error'); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }";
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8', timeout: 20000,
    env: { ...process.env, PADDLE_TS_DISABLE_GLOO: '1', PADDLE_TRAINER_ID: '0', PADDLE_TRAINERS_NUM: '2', PADDLE_TRAINER_ENDPOINTS: '127.0.0.1:1,127.0.0.1:2', PADDLE_CURRENT_ENDPOINT: '127.0.0.1:1' },
  });
  assert.match(r.stdout, /UnavailableError: paddle.distributed.init_parallel_env: world size is 2 but the Gloo collective binding of paddle-ts is not built: install Debian's package `libgloo-dev`/);
  assert.ok(Date.now() - t0 < 15000);
});
