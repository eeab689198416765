// paddle.distributed.spawn: runs `func` in nprocs new processes as one data-parallel job.
// JS cannot pickle closures, so as Python's "spawn" start method does, each child re-imports the
// module that exports `func` (found from the caller's stack, or options.module) and calls the
// export of that name with `args` (JSON); results and errors come back over IPC. In a child,
// the module's own top-level spawn() call resolves at once with `is_child: true`.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail, InvalidArgumentError, ExternalError } from '../core/errors.js';
import { startStoreServer } from './store.js';

const API = 'paddle.distributed.spawn';

/** What spawn resolves to. */
export interface MultiprocessContext {
  /** True inside a spawned child (the module's top level ran again there). */
  is_child: boolean;
  /** Each rank's return value (JSON), in rank order. */
  results: unknown[];
  /** The child processes. */
  processes: ChildProcess[];
}

export interface SpawnOptions {
  /** The module (path or file URL) that exports func; default: the caller's module. */
  module?: string;
  /** The address the trainers use (default 127.0.0.1). */
  ip?: string;
}

function callerModule(): string | null {
  const stack = new Error().stack?.split('\n') ?? [];
  const me = import.meta.url;
  for (const line of stack.slice(1)) {
    const m = /(file:\/\/[^\s)]+?|\/[^\s()]+?):\d+:\d+\)?\s*$/.exec(line);
    if (!m) continue;
    const url = m[1].startsWith('file:') ? m[1] : pathToFileURL(m[1]).href;
    if (url === me || url.includes('/src/core/args.') || url.includes('/dist/core/args.')) continue;
    if (url.includes('/node_modules/') || url.startsWith('node:')) continue;
    return url;
  }
  return null;
}

/**
 * Starts `nprocs` processes that each run `func(...args)` with the PADDLE_* environment of a
 * data-parallel job (call init_parallel_env() inside func). Resolves once every process has
 * finished, with their return values; rejects (stopping the others) when one fails.
 * @param func an exported function of the calling module (or of options.module)
 * @param args its arguments (JSON-serializable)
 * @param nprocs the number of processes (-1: the number of CPUs)
 * @param join wait for the processes (true)
 * @param daemon ignored (children end with the job)
 * @example
 * export function train(lr: number) { dist.init_parallel_env(); ... }
 * const ctx = await dist.spawn(train, [0.1], 2)
 * if (!ctx.is_child) console.log(ctx.results)
 */
export async function spawn(func: (...a: any[]) => unknown, args: unknown[] = [], nprocs = -1, join = true, daemon = false, options: SpawnOptions = {}): Promise<MultiprocessContext> {
  void daemon;
  if (process.env.PADDLE_TS_SPAWN_CHILD === '1') return { is_child: true, results: [], processes: [] };
  if (typeof func !== 'function') fail(API, `argument 'func' expected a function, got ${typeof func}`, InvalidArgumentError);
  if (!func.name) fail(API, "argument 'func' must be a named, exported function (children import it by name)", InvalidArgumentError);
  if (!Array.isArray(args)) fail(API, "argument 'args' expected a list", InvalidArgumentError);
  if (nprocs === -1) nprocs = availableParallelism();
  if (!Number.isInteger(nprocs) || nprocs < 1) fail(API, `nprocs must be a positive integer, got ${nprocs}`, InvalidArgumentError);
  const mod = options.module ? (options.module.startsWith('file:') ? options.module : pathToFileURL(options.module).href) : callerModule();
  if (!mod) fail(API, "cannot tell which module exports 'func'; pass options.module");
  const ip = options.ip ?? '127.0.0.1';
  const store = await startStoreServer(ip, 0);
  const base = store.port;
  const endpoints = Array.from({ length: nprocs }, (_, i) => `${ip}:${i === 0 ? base : base + i}`);
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const child = fileURLToPath(new URL(`./spawn_child${ext}`, import.meta.url));
  const results: unknown[] = new Array(nprocs).fill(null);
  const processes: ChildProcess[] = [];
  const run = new Promise<void>((resolve, reject) => {
    let left = nprocs;
    let failed = false;
    const stop = (): void => { for (const p of processes) if (p.exitCode === null) p.kill('SIGKILL'); };
    // Every rank that failed on its own, in rank order: when one rank fails, its peers often fail
    // too (a closed connection), and which exits first is a race; the report names them all.
    const failures = new Map<number, string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const report = (): void => {
      timer = null;
      stop();
      const parts = [...failures].sort(([a], [b]) => a - b).map(([, msg]) => msg);
      reject(new ExternalError(`${API}: ${parts.join('\n')}`));
    };
    for (let rank = 0; rank < nprocs; rank++) {
      const errors: string[] = [];
      const p = fork(child, [], {
        execArgv: process.execArgv,
        env: {
          ...process.env,
          PADDLE_TS_SPAWN_CHILD: '1',
          PADDLE_TS_SPAWN_MODULE: mod,
          PADDLE_TS_SPAWN_FUNC: func.name,
          PADDLE_TS_SPAWN_ARGS: JSON.stringify(args),
          PADDLE_TRAINER_ID: String(rank),
          PADDLE_TRAINERS_NUM: String(nprocs),
          PADDLE_TRAINER_ENDPOINTS: endpoints.join(','),
          PADDLE_CURRENT_ENDPOINT: endpoints[rank],
          PADDLE_RANK_IN_NODE: String(rank),
          PADDLE_TS_STORE_SERVED: '1',
          FLAGS_selected_gpus: '0',
        },
      });
      processes.push(p);
      p.on('message', (m: { ok: boolean; result?: unknown; error?: string }) => {
        if (m.ok) results[rank] = m.result ?? null;
        else errors.push(m.error ?? 'unknown error');
      });
      p.on('exit', (code, signal) => {
        left--;
        const killedByUs = failed && signal === 'SIGKILL';
        if ((code !== 0 || signal) && !killedByUs)
          failures.set(rank, `process ${rank} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${errors.length ? `:\n${errors.join('\n')}` : ''}`);
        if (!failed && (code !== 0 || signal)) {
          failed = true;
          // give the other ranks a moment to report their own errors before stopping them
          timer = setTimeout(report, 1000);
        }
        if (left === 0) {
          if (!failed) resolve();
          else if (timer) {
            clearTimeout(timer);
            timer = null;
            report();
          }
        }
      });
    }
  });
  const ctx: MultiprocessContext = { is_child: false, results, processes };
  const finish = run.finally(() => store.close());
  if (join) await finish;
  else finish.catch(() => undefined);
  return ctx;
}
