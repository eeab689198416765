// The DataLoader's worker threads (node:worker_threads), standing in for Paddle's worker
// processes.
//
// Each worker rebuilds the dataset from an encoded copy (see transfer.ts: like Python's
// spawn start method, which pickles the dataset) and then loads the batches it is asked
// for. Tasks go to the workers round-robin (as Paddle deals out indices). Results come
// back on one MessagePort per worker, with the batch's tensor memory transferred rather
// than copied. The main thread waits synchronously — Paddle's iteration is synchronous —
// by sleeping in Atomics.wait on a shared counter that a worker bumps after each message,
// then reading the messages with receiveMessageOnPort. Batches are handed out in task
// order whatever order they arrive in.
//
// This module is also the worker's entry: the worker imports it and runs
// `__paddle_io_worker_main`.
import { isMainThread, MessageChannel, MessagePort, parentPort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import { defineApi } from '../core/args.js';
import * as errors from '../core/errors.js';
import { ExecutionTimeoutError, fail, UnavailableError } from '../core/errors.js';
import { setDefaultDType } from '../core/dtype.js';
import { seed as paddleSeed } from '../core/random.js';
import { state } from '../core/state.js';
import { collatedTensors, default_collate_fn, default_convert_fn } from './collate.js';
import { Fetcher, FetchConfig, STOP } from './fetcher.js';
import { decode, Enc, encode, moduleRefs, resolverFor, Unsendable } from './transfer.js';

// ---- get_worker_info ---------------------------------------------------------------------------

/** What `paddle.io.get_worker_info()` returns inside a worker. */
export interface WorkerInfo {
  /** This worker's id, 0 .. num_workers - 1. */
  readonly id: number;
  readonly num_workers: number;
  /** This worker's copy of the dataset. */
  readonly dataset: unknown;
  /** The seed this worker's random generator (paddle.seed) was seeded with. */
  readonly seed: number;
}

let currentInfo: WorkerInfo | null = null;

/**
 * paddle.io.get_worker_info(): inside a DataLoader worker thread, `{ id, num_workers,
 * dataset, seed }` (the dataset being the worker's own copy); elsewhere null. Use it to
 * split an IterableDataset among workers.
 * @example
 * *__iter__() {
 *   const info = paddle.io.get_worker_info();
 *   const [start, end] = info === null ? [0, this.n] : split(this.n, info.id, info.num_workers);
 *   for (let i = start; i < end; i++) yield i;
 * }
 */
export const get_worker_info = defineApi('paddle.io.get_worker_info', [], (): WorkerInfo | null => currentInfo);

// ---- messages ----------------------------------------------------------------------------------

export interface ErrorInfo {
  name: string;
  message: string;
  stack: string;
}
export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` };
  return { name: 'Error', message: String(e), stack: `Error: ${String(e)}` };
}

type Msg = (
  | { type: 'ready' }
  | { type: 'unsupported'; reason: string }
  | { type: 'init_error'; error: ErrorInfo }
  | { type: 'fatal'; error: ErrorInfo }
  | { type: 'exit'; code: number }
  | { type: 'batch'; idx: number; data: Enc }
  | { type: 'error'; idx: number; error: ErrorInfo }
  | { type: 'stop'; idx: number }
) & { session: number };

/** What a thread needs to boot (its workerData). */
interface Boot {
  /** The paddle-ts entry module (src/index.ts or dist/index.js), imported first. */
  paddle: string;
  /** This module. */
  entry: string;
  /** tsx's API module, registered before importing TypeScript modules (null: not needed / not found). */
  tsx: string | null;
  /** The thread's end of its result channel. */
  port: MessagePort;
  /** The shared counter bumped after every message. */
  sab: SharedArrayBuffer;
}

/** What one DataLoader iterator asks of a thread (the 'init' message). */
interface SessionInit {
  type: 'init';
  session: number;
  tsx: string | null;
  id: number;
  num_workers: number;
  seed: number;
  dataset: Enc;
  fetch: Omit<FetchConfig, 'collate'>;
  /** 'default' / 'convert': the built-in collate / convert functions; null: none (collated in the main thread). */
  collate: Enc | 'default' | 'convert' | null;
  initFn: Enc | null;
}

const BUILTIN_ERRORS: Record<string, new (m: string) => Error> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
};

/** The error a worker reported, re-created on the main thread with the worker id and both stacks. */
export function workerError(info: ErrorInfo, wid: number, what: string): Error {
  const Cls = ((errors as unknown as Record<string, unknown>)[info.name] as (new (m: string) => Error) | undefined) ?? BUILTIN_ERRORS[info.name] ?? Error;
  const e = typeof Cls === 'function' ? new Cls(`DataLoader worker ${wid} ${what}: ${info.message}`) : new Error(info.message);
  if (e.name !== info.name && Cls === Error) e.name = info.name;
  const here = (new Error().stack ?? '').split('\n').slice(2).join('\n');
  e.stack = `${e.name}: ${e.message}\n    [stack in worker ${wid}]\n${info.stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n')}\n    [re-thrown on the main thread]\n${here}`;
  (e as Error & { worker_id?: number }).worker_id = wid;
  return e;
}

// ---- threads (main thread) --------------------------------------------------------------------
//
// A thread is a Worker that has imported paddle-ts and waits for sessions. A DataLoader
// iterator runs one session on each of its threads: 'init' (rebuild the dataset, run
// worker_init_fn), tasks, then 'release'. Starting a thread costs an import of the whole
// library, so a thread whose session ended cleanly is kept for the next iterator (the next
// epoch) for a while; every session still gets a freshly rebuilt dataset, a fresh seed and
// its own worker_init_fn call, as a new Python worker process would. Threads are unref'd:
// they never keep the process alive.

let tsxApi: string | null | undefined;
function tsxUrl(): string | null {
  if (tsxApi === undefined) {
    try {
      tsxApi = import.meta.resolve('tsx/esm/api');
    } catch {
      tsxApi = null;
    }
  }
  return tsxApi;
}
const isTsUrl = (u: string): boolean => /\.[mc]?tsx?(\?|#|$)/.test(u);

const BOOTSTRAP = `
const { workerData: d } = require('node:worker_threads');
const report = (e) => {
  try {
    d.port.postMessage({ type: 'fatal', session: -1, error: { name: (e && e.name) || 'Error', message: String((e && e.message) || e), stack: String((e && e.stack) || e) } });
    const s = new Int32Array(d.sab); Atomics.add(s, 0, 1); Atomics.notify(s, 0);
  } catch (_) {}
};
(async () => {
  if (d.tsx) {
    const k = Symbol.for('paddle-ts.tsx-registered');
    if (!globalThis[k]) { globalThis[k] = true; (await import(d.tsx)).register(); }
  }
  await import(d.paddle); // the package first, so its modules load in the same order as in the main thread
  const m = await import(d.entry);
  await m.__paddle_io_worker_main();
})().catch(report);
`;

interface Thread {
  worker: Worker;
  port: MessagePort;
  dead: boolean;
  idleTimer: ReturnType<typeof setTimeout> | null;
}

/** How long a thread whose session ended waits for another before it stops (ms). */
const IDLE_MS = 30_000;
const idleThreads: Thread[] = [];
let sharedCounter: SharedArrayBuffer | null = null;
let nextSession = 1;

function spawnThread(needTsx: boolean): Thread {
  sharedCounter ??= new SharedArrayBuffer(4);
  const entry = import.meta.url;
  const isTs = isTsUrl(new URL(entry).pathname);
  const paddle = new URL(`../index${isTs ? '.ts' : '.js'}`, entry).href;
  const { port1, port2 } = new MessageChannel();
  const boot: Boot = { paddle, entry, tsx: isTs || needTsx ? tsxUrl() : null, port: port2, sab: sharedCounter };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: boot, transferList: [port2], name: 'paddle.io.DataLoader worker' });
  worker.unref();
  const t: Thread = { worker, port: port1, dead: false, idleTimer: null };
  // Errors also come through the port; these keep events from going unhandled.
  worker.on('error', () => {});
  worker.on('exit', () => {
    t.dead = true;
    const k = idleThreads.indexOf(t);
    if (k >= 0) idleThreads.splice(k, 1);
  });
  return t;
}

function acquireThread(needTsx: boolean): Thread {
  while (idleThreads.length) {
    const t = idleThreads.pop()!;
    if (t.idleTimer) clearTimeout(t.idleTimer);
    t.idleTimer = null;
    // drop what an ended session left behind; a thread that exited meanwhile is discarded
    let exited = t.dead;
    for (let r = receiveMessageOnPort(t.port); r; r = receiveMessageOnPort(t.port)) if ((r.message as Msg).type === 'exit' || (r.message as Msg).type === 'fatal') exited = true;
    if (!exited) return t;
    killThread(t);
  }
  return spawnThread(needTsx);
}

function killThread(t: Thread): void {
  t.dead = true;
  if (t.idleTimer) clearTimeout(t.idleTimer);
  void t.worker.terminate().catch(() => {});
  t.port.close();
}

function releaseThread(t: Thread): void {
  if (t.dead) return;
  t.worker.postMessage({ type: 'release' });
  t.idleTimer = setTimeout(() => {
    const k = idleThreads.indexOf(t);
    if (k >= 0) idleThreads.splice(k, 1);
    killThread(t);
  }, IDLE_MS);
  t.idleTimer.unref();
  idleThreads.push(t);
}

// ---- the pool of one iterator (main thread) --------------------------------------------------

export interface PoolConfig {
  numWorkers: number;
  dataset: Enc;
  fetch: Omit<FetchConfig, 'collate'>;
  collate: Enc | 'default' | 'convert' | null;
  initFn: Enc | null;
  baseSeed: number;
  /** Seconds to wait for one batch (0: no limit). */
  timeout: number;
}

export class WorkerPool {
  readonly n: number;
  private readonly threads: Thread[] = [];
  private readonly session: number;
  private readonly counter: Int32Array;
  private readonly results = new Map<number, { wid: number; msg: Msg }>();
  private readonly ready: boolean[] = [];
  private unsupported: string | null = null;
  private initError: Error | null = null;
  private fatal: Error | null = null;
  private closed = false;
  private readonly timeoutMs: number;

  constructor(cfg: PoolConfig) {
    this.n = cfg.numWorkers;
    this.timeoutMs = cfg.timeout > 0 ? cfg.timeout * 1000 : Infinity;
    this.session = nextSession++;
    const needTsx = moduleRefs([cfg.dataset, cfg.collate, cfg.initFn]).some((r) => isTsUrl(r.m));
    const tsx = needTsx ? tsxUrl() : null;
    try {
      for (let id = 0; id < this.n; id++) {
        const t = acquireThread(needTsx);
        this.threads.push(t);
        this.ready.push(false);
        const init: SessionInit = {
          type: 'init', session: this.session, tsx, id, num_workers: this.n, seed: (cfg.baseSeed + id) >>> 0,
          dataset: cfg.dataset, fetch: cfg.fetch, collate: cfg.collate, initFn: cfg.initFn,
        };
        t.worker.postMessage(init);
      }
    } catch (e) {
      this.close(false);
      throw e;
    }
    this.counter = new Int32Array(sharedCounter!);
  }

  private onMessage(wid: number, msg: Msg): void {
    if (msg.session !== this.session && msg.session !== -1) return; // left over from an earlier session
    switch (msg.type) {
      case 'ready':
        this.ready[wid] = true;
        break;
      case 'unsupported':
        this.unsupported ??= `worker ${wid} cannot rebuild the dataset: ${msg.reason}`;
        break;
      case 'init_error':
        this.initError ??= workerError(msg.error, wid, 'failed to start');
        break;
      case 'fatal':
        this.fatal ??= workerError(msg.error, wid, 'crashed');
        break;
      case 'exit':
        this.threads[wid].dead = true;
        if (!this.closed) this.fatal ??= new errors.UnavailableError(`paddle.io.DataLoader: worker ${wid} exited unexpectedly (exit code ${msg.code})`);
        break;
      default:
        this.results.set(msg.idx, { wid, msg });
    }
  }

  /** Reads every message that has arrived, without waiting. */
  private pump(): void {
    for (let wid = 0; wid < this.threads.length; wid++) {
      const port = this.threads[wid].port;
      for (let r = receiveMessageOnPort(port); r; r = receiveMessageOnPort(port)) this.onMessage(wid, r.message as Msg);
    }
  }

  /** Waits (blocking this thread) until `done()`; throws on a worker crash or after `limitMs`. */
  private waitFor(done: () => boolean, what: string, limitMs = this.timeoutMs): void {
    const start = Date.now();
    for (;;) {
      const seen = Atomics.load(this.counter, 0);
      this.pump();
      if (this.fatal) throw this.fatal;
      if (done()) return;
      const left = limitMs - (Date.now() - start);
      if (left <= 0)
        fail('paddle.io.DataLoader', `timed out after ${limitMs / 1000} s waiting for ${what} from the worker threads (argument 'timeout')`, ExecutionTimeoutError);
      Atomics.wait(this.counter, 0, seen, Math.min(left, 5000));
    }
  }

  /**
   * Waits until every worker has rebuilt the dataset. Returns a reason when one cannot
   * (the caller then loads in the main thread); throws if worker_init_fn or an import failed.
   */
  waitReady(): string | null {
    // start-up (importing paddle-ts and the dataset's modules) is not bounded by `timeout`
    this.waitFor(() => this.unsupported !== null || this.initError !== null || this.ready.every(Boolean), 'the workers to start', Infinity);
    if (this.initError) throw this.initError;
    return this.unsupported;
  }

  /** Asks worker `wid` for batch `idx`. */
  send(wid: number, idx: number, indices: unknown): void {
    this.threads[wid].worker.postMessage({ type: 'task', session: this.session, idx, indices });
  }

  /** The result of task `idx` (blocking until it arrives). */
  take(idx: number): { wid: number; msg: Msg } {
    this.waitFor(() => this.results.has(idx), `batch ${idx}`);
    const r = this.results.get(idx)!;
    this.results.delete(idx);
    return r;
  }

  /**
   * Ends the session. With `reuse` (every task answered, no error), the threads wait for the
   * next iterator; otherwise they are stopped.
   */
  close(reuse: boolean): void {
    if (this.closed) return;
    this.closed = true;
    const clean = reuse && !this.fatal && !this.initError;
    for (const t of this.threads) {
      if (clean && !t.dead) releaseThread(t);
      else killThread(t);
    }
  }
}

// ---- the worker --------------------------------------------------------------------------------

interface Session {
  id: number;
  fetcher: Fetcher;
  drained: boolean;
}

/** @internal The worker thread's main loop (run by the bootstrap code). */
export async function __paddle_io_worker_main(): Promise<void> {
  if (isMainThread || !parentPort) throw new UnavailableError('__paddle_io_worker_main runs only in a DataLoader worker thread');
  const boot = workerData as Boot;
  const counter = new Int32Array(boot.sab);
  const port = boot.port;
  const post = (m: Msg, transfer: ArrayBuffer[] = []): void => {
    port.postMessage(m, transfer);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  };
  let tsxDone = !!boot.tsx;
  let session: Session | null = null;
  let sessionId = -1;
  process.on('uncaughtException', (e) => post({ type: 'fatal', session: sessionId, error: errorInfo(e) }));
  process.on('unhandledRejection', (e) => post({ type: 'fatal', session: sessionId, error: errorInfo(e) }));
  process.on('exit', (code) => post({ type: 'exit', session: sessionId, code }));

  const start = async (m: SessionInit): Promise<void> => {
    const sid = m.session;
    sessionId = sid;
    session = null;
    // a fresh worker's global state
    state.staticMode = false;
    state.gradEnabled = true;
    setDefaultDType('float32');
    currentInfo = null;
    const refs = moduleRefs([m.dataset, m.collate, m.initFn]);
    if (!tsxDone && m.tsx && refs.some((r) => isTsUrl(r.m))) {
      const k = Symbol.for('paddle-ts.tsx-registered');
      const g = globalThis as Record<symbol, unknown>;
      if (!g[k]) {
        g[k] = true;
        ((await import(m.tsx)) as { register(): void }).register();
      }
      tsxDone = true;
    }
    // import the modules that define the dataset's classes, then rebuild it
    const modules = new Map<string, Record<string, unknown>>();
    for (const r of refs) {
      if (modules.has(r.m)) continue;
      try {
        modules.set(r.m, (await import(r.m)) as Record<string, unknown>);
      } catch (e) {
        const info = errorInfo(e);
        return post({ type: 'init_error', session: sid, error: { ...info, message: `importing ${r.m} (which defines ${r.n}) failed: ${info.message}` } });
      }
    }
    let dataset: unknown;
    let collate: FetchConfig['collate'] = null;
    let initFn: ((id: number) => unknown) | null = null;
    const resolve = resolverFor(modules);
    try {
      dataset = decode(m.dataset, resolve);
      if (m.collate === 'default') collate = default_collate_fn as FetchConfig['collate'];
      else if (m.collate === 'convert') collate = default_convert_fn;
      else if (m.collate !== null) collate = decode(m.collate, resolve) as FetchConfig['collate'];
      if (m.initFn !== null) initFn = decode(m.initFn, resolve) as (id: number) => unknown;
    } catch (e) {
      if (e instanceof Unsendable) return post({ type: 'unsupported', session: sid, reason: e.message });
      return post({ type: 'init_error', session: sid, error: errorInfo(e) });
    }
    paddleSeed(m.seed);
    currentInfo = Object.freeze({ id: m.id, num_workers: m.num_workers, dataset, seed: m.seed });
    let fetcher: Fetcher;
    try {
      if (initFn) initFn(m.id);
      fetcher = new Fetcher(dataset, { ...m.fetch, collate });
    } catch (e) {
      const info = errorInfo(e);
      return post({ type: 'init_error', session: sid, error: { ...info, message: initFn ? `worker_init_fn failed: ${info.message}` : info.message } });
    }
    session = { id: sid, fetcher, drained: false };
    post({ type: 'ready', session: sid });
  };

  const task = (s: Session, idx: number, indices: unknown): void => {
    if (s.drained) return post({ type: 'stop', session: s.id, idx });
    let out: unknown;
    try {
      out = s.fetcher.fetch(indices);
    } catch (e) {
      return post({ type: 'error', session: s.id, idx, error: errorInfo(e) });
    }
    if (out === STOP) {
      s.drained = true;
      return post({ type: 'stop', session: s.id, idx });
    }
    try {
      const transfer = { list: [] as ArrayBuffer[], tensors: collatedTensors };
      const data = encode(out, { userRefs: false, transfer, root: 'the batch' });
      post({ type: 'batch', session: s.id, idx, data }, transfer.list);
    } catch (e) {
      const info = errorInfo(e);
      post({ type: 'error', session: s.id, idx, error: { ...info, message: `cannot send the batch to the main thread: ${info.message}` } });
    }
  };

  // Messages are handled one at a time, in order (an 'init' finishes before the next task).
  let queue: Promise<void> = Promise.resolve();
  parentPort.on('message', (m: SessionInit | { type: 'task'; session: number; idx: number; indices: unknown } | { type: 'release' }) => {
    queue = queue.then(async () => {
      if (m.type === 'init') await start(m);
      else if (m.type === 'task') {
        if (session && session.id === m.session) task(session, m.idx, m.indices);
      } else if (m.type === 'release') {
        session = null;
        sessionId = -1;
        currentInfo = null;
      }
    });
  });
}
