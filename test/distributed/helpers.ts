// Runs paddle-ts-launch jobs for the distributed tests: one launcher per simulated node, each
// node on its own loopback address (127.0.0.x), every run bounded in time.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const launcher = join(root, 'bin', 'paddle-ts-launch');

/** A free TCP port on 127.0.0.1 (and the next few, likely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
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
