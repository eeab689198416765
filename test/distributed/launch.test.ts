import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseLaunchArgs, clusterEnv } from '../../src/distributed/launch.js';
import { gloo } from '../../src/distributed/gloo.js';
import { launcher, freePort, here } from './helpers.js';

const skip = gloo() ? false : 'the Gloo binding is not built (apt-get install libgloo-dev)';

test('launcher options and the PADDLE_* environment of each trainer', () => {
  const a = parseLaunchArgs(['--ips', '127.0.0.1,127.0.0.2', '--node_ip=127.0.0.2', '--nproc_per_node', '2', '--started_port', '7000', 'train.js', '--lr', '0.1']);
  assert.equal(a.script, 'train.js');
  assert.deepEqual(a.script_args, ['--lr', '0.1']);
  const c = clusterEnv(a);
  assert.equal(c.node, 1);
  assert.deepEqual(c.endpoints, ['127.0.0.1:7000', '127.0.0.1:7001', '127.0.0.2:7000', '127.0.0.2:7001']);
  assert.deepEqual(c.trainers.map((t) => t.env.PADDLE_TRAINER_ID), ['2', '3']);
  assert.equal(c.trainers[1].env.PADDLE_CURRENT_ENDPOINT, '127.0.0.2:7001');
  assert.equal(c.trainers[1].env.PADDLE_TRAINERS_NUM, '4');
  assert.equal(c.trainers[1].env.PADDLE_TRAINER_ENDPOINTS, c.endpoints.join(','));
  // two trainers share the node's cores for their compute threads (unless the user chose)
  const userSet = process.env.PADDLE_TS_NUM_THREADS || process.env.FLAGS_paddle_num_threads;
  assert.equal(c.trainers[0].env.PADDLE_TS_NUM_THREADS, userSet ? undefined : String(Math.max(1, Math.floor(availableParallelism() / 2))));
  assert.equal(clusterEnv({ ...a, nproc_per_node: 1 }).trainers[0].env.PADDLE_TS_NUM_THREADS, undefined);
  assert.throws(() => parseLaunchArgs(['--nproc_per_node', '0', 'x.js']), /positive integer/);
  assert.throws(() => parseLaunchArgs(['--bogus', '1', 'x.js']), /unknown option --bogus/);
  assert.throws(() => parseLaunchArgs(['--ips', '1.2.3.4']), /missing training_script/);
  assert.throws(() => clusterEnv(parseLaunchArgs(['--ips', '10.255.255.1', 'x.js'])), /pass --node_ip/);
});

test('launcher writes per-rank logs and stops every rank when one fails', { skip, timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-launch-'));
  try {
    const port = await freePort();
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [launcher, '--nproc_per_node', '3', '--started_port', String(port), '--log_dir', dir, join(here, 'workers', 'dead_peer.ts')], {
      encoding: 'utf8', timeout: 45000, env: { ...process.env, PADDLE_TS_COMM_TIMEOUT_MS: '15000' },
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /trainer 2 \(127\.0\.0\.1:\d+\) exited with code 7; stopping the others/);
    assert.ok(Date.now() - t0 < 30000);
    for (const k of [0, 1, 2]) assert.ok(existsSync(join(dir, `workerlog.${k}`)));
    assert.doesNotMatch(readFileSync(join(dir, 'workerlog.0'), 'utf8'), /failed":false/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
