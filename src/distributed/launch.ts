// paddle-ts-launch: the counterpart of `python -m paddle.distributed.launch` (collective mode).
//
//   paddle-ts-launch [--nproc_per_node N] [--ips ip0,ip1,...] [--node_ip IP] [--started_port P]
//                    [--log_dir DIR] training_script [script args...]
//
// Every node runs the same command (--ips lists the nodes; --node_ip says which one this is,
// default: the first of --ips that is an address of this machine). Each node starts
// nproc_per_node trainers with Paddle's environment (PADDLE_TRAINER_ID, PADDLE_TRAINERS_NUM,
// PADDLE_TRAINER_ENDPOINTS, PADDLE_CURRENT_ENDPOINT, PADDLE_RANK_IN_NODE); trainer endpoints are
// ip:started_port+i. Node 0's launcher serves the rendezvous store at the first endpoint. When a
// trainer fails, the launcher stops the node's other trainers and exits with its code (the
// other nodes' trainers then fail on their dead peer within the communication timeout).
// With several trainers per node, each gets an equal share of the cores for its compute threads
// (PADDLE_TS_NUM_THREADS, unless set), so they do not oversubscribe the machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { availableParallelism, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { startStoreServer, type StoreServer } from './store.js';

export interface LaunchArgs {
  nproc_per_node: number;
  ips: string[];
  node_ip: string | null;
  started_port: number;
  log_dir: string | null;
  script: string;
  script_args: string[];
  // parameter-server mode (Paddle 2.0's launch_ps)
  servers: string | null;
  workers: string | null;
  server_num: number | null;
  worker_num: number | null;
}

const USAGE = 'usage: paddle-ts-launch [--nproc_per_node N] [--ips ip0,ip1,...] [--node_ip IP] [--started_port PORT] [--log_dir DIR] training_script [args...]';

export function parseLaunchArgs(argv: string[]): LaunchArgs {
  const a: LaunchArgs = { nproc_per_node: 1, ips: ['127.0.0.1'], node_ip: null, started_port: 6170, log_dir: null, script: '', script_args: [], servers: null, workers: null, server_num: null, worker_num: null };
  let i = 0;
  for (; i < argv.length; i++) {
    const s = argv[i];
    if (!s.startsWith('--')) break;
    const eq = s.indexOf('=');
    const key = (eq > 0 ? s.slice(2, eq) : s.slice(2)).replace(/-/g, '_');
    const val = eq > 0 ? s.slice(eq + 1) : argv[++i];
    if (val === undefined) throw new Error(`paddle-ts-launch: ${s} needs a value\n${USAGE}`);
    switch (key) {
      case 'nproc_per_node': a.nproc_per_node = Number(val); break;
      case 'ips': case 'cluster_node_ips': a.ips = val.split(',').map((x) => x.trim()).filter((x) => x); break;
      case 'node_ip': a.node_ip = val; break;
      case 'started_port': a.started_port = Number(val); break;
      case 'log_dir': a.log_dir = val; break;
      case 'gpus': case 'selected_gpus': break; // CPU only: accepted and ignored
      // ---- parameter-server mode (see ps/launch_ps.ts) ----
      case 'servers': a.servers = val; break;
      case 'workers': a.workers = val; break;
      case 'server_num': a.server_num = Number(val); break;
      case 'worker_num': a.worker_num = Number(val); break;
      default: throw new Error(`paddle-ts-launch: unknown option --${key}\n${USAGE}`);
    }
  }
  if (i >= argv.length) throw new Error(`paddle-ts-launch: missing training_script\n${USAGE}`);
  a.script = argv[i];
  a.script_args = argv.slice(i + 1);
  if (!Number.isInteger(a.nproc_per_node) || a.nproc_per_node < 1) throw new Error('paddle-ts-launch: --nproc_per_node must be a positive integer');
  if (!Number.isInteger(a.started_port) || a.started_port < 1 || a.started_port > 65535) throw new Error('paddle-ts-launch: --started_port must be a port number');
  return a;
}

function localAddresses(): Set<string> {
  const s = new Set<string>(['127.0.0.1', 'localhost']);
  for (const list of Object.values(networkInterfaces())) for (const n of list ?? []) s.add(n.address);
  return s;
}

/** The command line that runs a script (TypeScript through tsx). */
export function scriptCommand(script: string): string[] {
  if (/\.(ts|mts|cts)$/.test(script)) {
    let tsx = 'tsx';
    try { tsx = import.meta.resolve('tsx'); } catch { /* from the script's directory then */ }
    return ['--import', tsx, script];
  }
  return [script];
}

export interface Trainer { rank: number; endpoint: string; env: Record<string, string> }

/** The trainers of this node and their environment. */
export function clusterEnv(a: LaunchArgs): { node: number; endpoints: string[]; trainers: Trainer[] } {
  let node = a.node_ip ? a.ips.indexOf(a.node_ip) : -1;
  if (a.node_ip && node < 0) throw new Error(`paddle-ts-launch: --node_ip ${a.node_ip} is not in --ips ${a.ips.join(',')}`);
  if (!a.node_ip) {
    const mine = localAddresses();
    node = a.ips.findIndex((ip) => mine.has(ip));
    if (node < 0) throw new Error(`paddle-ts-launch: none of --ips ${a.ips.join(',')} is an address of this machine; pass --node_ip`);
  }
  const endpoints: string[] = [];
  for (const ip of a.ips) for (let i = 0; i < a.nproc_per_node; i++) endpoints.push(`${ip}:${a.started_port + i}`);
  const trainers: Trainer[] = [];
  const threads = threadShare(a.nproc_per_node);
  for (let i = 0; i < a.nproc_per_node; i++) {
    const rank = node * a.nproc_per_node + i;
    trainers.push({
      rank,
      endpoint: endpoints[rank],
      env: {
        PADDLE_TRAINER_ID: String(rank),
        PADDLE_TRAINERS_NUM: String(endpoints.length),
        PADDLE_TRAINER_ENDPOINTS: endpoints.join(','),
        PADDLE_CURRENT_ENDPOINT: endpoints[rank],
        PADDLE_RANK_IN_NODE: String(i),
        PADDLE_TS_STORE_SERVED: '1',
        FLAGS_selected_gpus: '0',
        TRAINING_ROLE: 'TRAINER',
        ...(threads ? { PADDLE_TS_NUM_THREADS: threads } : {}),
      },
    });
  }
  return { node, endpoints, trainers };
}

/** Compute threads per trainer: the cores shared by the node's trainers, unless the user chose. */
function threadShare(nproc: number): string | null {
  if (nproc < 2 || process.env.PADDLE_TS_NUM_THREADS || process.env.FLAGS_paddle_num_threads) return null;
  return String(Math.max(1, Math.floor(availableParallelism() / nproc)));
}

/** Runs the launcher; resolves to the exit code. */
export async function launch(argv: string[]): Promise<number> {
  const a = parseLaunchArgs(argv);
  if (a.servers !== null || a.workers !== null || a.server_num !== null || a.worker_num !== null) return (await import('./ps/launch_ps.js')).launchPs(a);
  const { node, endpoints, trainers } = clusterEnv(a);
  let store: StoreServer | null = null;
  if (node === 0) {
    const i = endpoints[0].lastIndexOf(':');
    store = await startStoreServer(endpoints[0].slice(0, i), Number(endpoints[0].slice(i + 1)));
  }
  if (a.log_dir) mkdirSync(a.log_dir, { recursive: true });
  const procs: ChildProcess[] = [];
  let failed: number | null = null;
  let live = trainers.length;
  let killTimer: NodeJS.Timeout | null = null;
  const stopAll = (): void => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
    killTimer ??= setTimeout(() => { for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL'); }, 3000);
    killTimer.unref();
  };
  const done = new Promise<number>((resolve) => {
    for (const t of trainers) {
      const logged = a.log_dir !== null;
      const child = spawn(process.execPath, [...scriptCommand(a.script), ...a.script_args], {
        env: { ...process.env, ...t.env },
        stdio: logged ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      });
      procs.push(child);
      if (logged) {
        const file = createWriteStream(join(a.log_dir!, `workerlog.${t.rank}`));
        const local0 = t.rank === node * a.nproc_per_node;
        child.stdout!.on('data', (d: Buffer) => { file.write(d); if (local0) process.stdout.write(d); });
        child.stderr!.on('data', (d: Buffer) => { file.write(d); if (local0) process.stderr.write(d); });
        child.on('close', () => file.end());
      }
      child.on('exit', (code, signal) => {
        live--;
        if ((code !== 0 || signal) && failed === null) {
          failed = code && code !== 0 ? code : 1;
          console.error(`paddle-ts-launch: trainer ${t.rank} (${t.endpoint}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; stopping the others`);
          stopAll();
        }
        if (live === 0) resolve(failed ?? 0);
      });
    }
  });
  const onSignal = (): void => { failed ??= 1; stopAll(); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (killTimer) clearTimeout(killTimer);
  await store?.close();
  return code;
}
