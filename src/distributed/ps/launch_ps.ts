// paddle-ts-launch in parameter-server mode (Paddle 2.0's launch_ps): --servers ip:port,... and
// --workers ip:port,... (or --server_num / --worker_num on 127.0.0.1 from --started_port) start
// this node's pservers (TRAINING_ROLE=PSERVER, PADDLE_PORT, POD_IP) and trainers
// (TRAINING_ROLE=TRAINER, PADDLE_TRAINER_ID), all with PADDLE_PSERVERS_IP_PORT_LIST,
// PADDLE_TRAINER_ENDPOINTS and PADDLE_TRAINERS_NUM. The job ends when every process has; a
// failure stops the others.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { scriptCommand, type LaunchArgs } from '../launch.js';

function localAddresses(): Set<string> {
  const s = new Set<string>(['127.0.0.1', 'localhost']);
  for (const list of Object.values(networkInterfaces())) for (const n of list ?? []) s.add(n.address);
  return s;
}

export interface PsProc { role: 'PSERVER' | 'TRAINER'; index: number; endpoint: string; env: Record<string, string> }

/** The processes this node runs and their environment. */
export function psEnv(a: LaunchArgs): PsProc[] {
  const port = a.started_port;
  const servers = a.servers ? a.servers.split(',').filter((s) => s)
    : Array.from({ length: a.server_num ?? 1 }, (_, i) => `127.0.0.1:${port + i}`);
  const workers = a.workers ? a.workers.split(',').filter((s) => s)
    : Array.from({ length: a.worker_num ?? 1 }, (_, i) => `127.0.0.1:${port + servers.length + i}`);
  if (a.server_num !== null && a.server_num !== servers.length) throw new Error(`paddle-ts-launch: --server_num ${a.server_num} but --servers lists ${servers.length}`);
  if (a.worker_num !== null && a.worker_num !== workers.length) throw new Error(`paddle-ts-launch: --worker_num ${a.worker_num} but --workers lists ${workers.length}`);
  const mine = a.node_ip ? new Set([a.node_ip]) : localAddresses();
  const host = (ep: string): string => ep.slice(0, ep.lastIndexOf(':'));
  const common = {
    PADDLE_PSERVERS_IP_PORT_LIST: servers.join(','), PADDLE_TRAINER_ENDPOINTS: workers.join(','),
    PADDLE_TRAINERS_NUM: String(workers.length), PADDLE_PSERVER_NUMS: String(servers.length),
  };
  const procs: PsProc[] = [];
  servers.forEach((ep, i) => {
    if (!mine.has(host(ep))) return;
    procs.push({ role: 'PSERVER', index: i, endpoint: ep, env: { ...common, TRAINING_ROLE: 'PSERVER', PADDLE_PORT: ep.slice(ep.lastIndexOf(':') + 1), POD_IP: host(ep), PADDLE_CURRENT_ENDPOINT: ep } });
  });
  workers.forEach((ep, i) => {
    if (!mine.has(host(ep))) return;
    procs.push({ role: 'TRAINER', index: i, endpoint: ep, env: { ...common, TRAINING_ROLE: 'TRAINER', PADDLE_TRAINER_ID: String(i), POD_IP: host(ep), PADDLE_CURRENT_ENDPOINT: ep } });
  });
  if (!procs.length) throw new Error('paddle-ts-launch: no server or worker endpoint is on this machine; pass --node_ip');
  return procs;
}

export async function launchPs(a: LaunchArgs): Promise<number> {
  const procs = psEnv(a);
  if (a.log_dir) mkdirSync(a.log_dir, { recursive: true });
  const children: ChildProcess[] = [];
  let failed: number | null = null;
  const stopAll = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    setTimeout(() => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); }, 3000).unref();
  };
  const code = await new Promise<number>((resolve) => {
    let live = procs.length;
    for (const p of procs) {
      const name = p.role === 'PSERVER' ? `serverlog.${p.index}` : `workerlog.${p.index}`;
      const child = spawn(process.execPath, [...scriptCommand(a.script), ...a.script_args], {
        env: { ...process.env, ...p.env }, stdio: a.log_dir ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      });
      children.push(child);
      if (a.log_dir) {
        const f = createWriteStream(join(a.log_dir, name));
        child.stdout!.on('data', (d: Buffer) => { f.write(d); process.stdout.write(d); });
        child.stderr!.on('data', (d: Buffer) => { f.write(d); process.stderr.write(d); });
        child.on('close', () => f.end());
      }
      child.on('exit', (c, sig) => {
        live--;
        if ((c !== 0 || sig) && failed === null) {
          failed = c && c !== 0 ? c : 1;
          console.error(`paddle-ts-launch: ${p.role.toLowerCase()} ${p.index} (${p.endpoint}) ${sig ? `was killed by ${sig}` : `exited with code ${c}`}; stopping the others`);
          stopAll();
        }
        if (live === 0) resolve(failed ?? 0);
      });
    }
  });
  return code;
}
