import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, here, root, results, type NodeResult } from './helpers.js';
import { sliceVariable } from '../../src/fluid/transpiler/distribute_transpiler.js';

function runPs(env: Record<string, string>, timeoutMs = 90000): Promise<NodeResult> {
  return freePort().then((port) => new Promise<NodeResult>((resolve) => {
    const t0 = Date.now();
    // the launcher from source (bin/paddle-ts-launch prefers a built dist/, which may be older)
    const src = join(root, 'src', 'distributed', 'launch.ts');
    const code = `import(${JSON.stringify(src)}).then(async (m) => { process.exitCode = await m.launch(process.argv.slice(1)); })`;
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, '--', '--server_num', '2', '--worker_num', '2', '--started_port', String(port), join(here, 'workers', 'ps_sync.ts')], {
      env: { ...process.env, PADDLE_TS_RPC_TIMEOUT_MS: '20000', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { try { process.kill(-p.pid!, 'SIGKILL'); } catch { /* gone */ } }, timeoutMs);
    p.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out, err, ms: Date.now() - t0 }); });
  }));
}

test('slice_variable: 8192-element blocks aligned to rows', () => {
  assert.deepEqual(sliceVariable([200, 100], 2, 8192), [100, 100]);
  assert.deepEqual(sliceVariable([100, 100], 2, 8192), [100]); // 10000 < 2 * 8192: one block
  assert.deepEqual(sliceVariable([300, 100], 3, 8192), [100, 100, 100]);
  assert.deepEqual(sliceVariable([7, 3000], 2, 8192), [4, 3]);
  assert.deepEqual(sliceVariable([100], 2, 8192), [100]);
});

test('PS job, sync mode: 2 pservers and 2 trainers reach the single-process weights', { timeout: 120000 }, async () => {
  const r = await runPs({});
  assert.equal(r.code, 0, r.err + r.out);
  const res = results([r]);
  const tr = res.filter((x) => x.role === 'TRAINER');
  assert.equal(tr.length, 2, r.out + r.err);
  assert.equal(res.filter((x) => x.role === 'PSERVER').length, 2);
  for (const x of tr) {
    assert.deepEqual(x.sizes, [20000, 100, 100, 1]);
    assert.ok(x.moved > 1e-3, 'the weights changed');
    assert.ok(x.maxDiff < 1e-5, `max difference ${x.maxDiff}`);
    console.log(`# trainer ${x.tid}: max abs(w - w_single) = ${x.maxDiff}, weights moved by ${x.moved}`);
  }
});

test('PS job, async mode: 2 pservers and 2 trainers train and stop by themselves', { timeout: 120000 }, async () => {
  const r = await runPs({ PS_SYNC: '0' });
  assert.equal(r.code, 0, r.err + r.out);
  const tr = results([r]).filter((x) => x.role === 'TRAINER');
  assert.equal(tr.length, 2, r.out + r.err);
  for (const x of tr) assert.deepEqual(x.sizes, [20000, 100, 100, 1]);
});
