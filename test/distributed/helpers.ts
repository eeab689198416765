// Runs paddle-ts-launch jobs for the distributed tests: one launcher per simulated node, each
// node on its own loopback address (127.0.0.x), every run bounded in time.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const launcher = join(root, 'bin', 'paddle-ts-launch');

/** Whether `port` can be listened on (on every address). */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive free TCP ports. They are drawn below the kernel's ephemeral
 * range (32768+ on Linux), where the outgoing connections of concurrently running tests take
 * their local ports, and at random, so two test files rarely draw the same ones.
 */
export async function freePort(count = 8): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * (12000 - count));
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await bindable(base + i);
    if (ok) return base;
  }
  throw new Error('no free block of test ports in 20000-32000');
}

export interface NodeResult { code: number | null; signal: string | null; out: string; err: string; ms: number }

/**
 * Runs `script` on `nodes` simulated hosts (127.0.0.1..n) with `nproc` trainers each; every
 * launcher is killed after `timeoutMs`.
 */
export async function runJob(script: string, opts: { nodes: number; nproc?: number; timeoutMs?: number; env?: Record<string, string>; args?: string[] }): Promise<NodeResult[]> {
  const port = await freePort();
  const ips = Array.from({ length: opts.nodes }, (_, i) => `127.0.0.${i + 1}`);
  const timeout = opts.timeoutMs ?? 60000;
  const runs = ips.map((ip) => new Promise<NodeResult>((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [launcher, '--ips', ips.join(','), '--node_ip', ip, '--nproc_per_node', String(opts.nproc ?? 1),
      '--started_port', String(port), join(here, 'workers', script), ...(opts.args ?? [])], {
      env: { ...process.env, PADDLE_TS_COMM_TIMEOUT_MS: '15000', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { try { process.kill(-p.pid!, 'SIGKILL'); } catch { /* gone */ } }, timeout);
    p.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out, err, ms: Date.now() - t0 }); });
  }));
  return Promise.all(runs);
}

/** The JSON lines a worker printed with the prefix "RESULT ". */
export function results(r: NodeResult[]): any[] {
  const out: any[] = [];
  for (const n of r) for (const line of n.out.split('\n')) if (line.startsWith('RESULT ')) out.push(JSON.parse(line.slice(7)));
  return out;
}
