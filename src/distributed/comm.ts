// The communication layer under paddle.distributed and the c_* collective operators: the
// world group (Gloo context + its communication thread) and collectives on raw tensor storage.
// One process (world size 1) needs no binding: every collective is then the identity.
import { Worker } from 'node:worker_threads';
import { fail } from '../core/errors.js';
import { PreconditionNotMetError, UnavailableError, InvalidArgumentError } from '../core/errors.js';
import type { DType, Storage } from '../core/dtype.js';
import { fromHalfBits, toHalfBits } from '../core/dtype.js';
import { gloo, glooMissingMessage, type NativeGroup } from './gloo.js';
import { parallelEnv, splitEndpoint } from './env.js';

/** Reduce operations (Paddle's ReduceOp values). */
export const ReduceOp = { SUM: 0, MAX: 1, MIN: 2, PROD: 3 } as const;
export type ReduceOpValue = (typeof ReduceOp)[keyof typeof ReduceOp];

interface CommState {
  rank: number;
  world: number;
  group: NativeGroup | null;
  storeWorker: Worker | null;
}

export const comm: CommState = { rank: 0, world: 1, group: null, storeWorker: null };

/** Whether init_parallel_env has connected this process to its peers. */
export function commInitialized(): boolean {
  return comm.group !== null;
}

/** The communication timeout (ms): PADDLE_TS_COMM_TIMEOUT_MS, default 30 s. */
function timeoutMs(): number {
  const v = Number(process.env.PADDLE_TS_COMM_TIMEOUT_MS ?? 30000);
  return Number.isFinite(v) && v > 0 ? v : 30000;
}

/**
 * Connects to the other ranks (blocking until all have joined or the timeout passes).
 * Rank 0 serves the rendezvous store itself (from a worker thread) unless the launcher does.
 */
export function connectWorld(api: string): void {
  const world = parallelEnv.world_size;
  const rank = parallelEnv.rank;
  comm.rank = rank;
  comm.world = world;
  if (world < 2 || comm.group) return;
  const g = gloo();
  if (!g) fail(api, `world size is ${world} but ${glooMissingMessage()}`, UnavailableError);
  const eps = parallelEnv.trainer_endpoints;
  if (eps.length !== world)
    fail(api, `PADDLE_TRAINER_ENDPOINTS lists ${eps.length} endpoints but PADDLE_TRAINERS_NUM is ${world}`, PreconditionNotMetError);
  if (!(rank >= 0 && rank < world)) fail(api, `PADDLE_TRAINER_ID ${rank} is outside [0, ${world})`, PreconditionNotMetError);
  const store = splitEndpoint(eps[0], api);
  const self = splitEndpoint(parallelEnv.current_endpoint || eps[rank], api);
  if (rank === 0 && process.env.PADDLE_TS_STORE_SERVED !== '1') comm.storeWorker = serveStoreInWorker(store.host, store.port);
  try {
    comm.group = new g.Group(store.host, store.port, 'paddle_ts/world', rank, world, self.host, timeoutMs());
  } catch (e) {
    fail(api, (e as Error).message, UnavailableError);
  }
}

function serveStoreInWorker(host: string, port: number): Worker {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`./store${ext}`, import.meta.url).href;
  const code = `import(${JSON.stringify(url)}).then((m) => m.startStoreServer(${JSON.stringify(host)}, ${port})).catch((e) => { console.error('paddle-ts rendezvous store:', e.message); process.exit(1); });
setInterval(() => {}, 1 << 30);`;
  const w = new Worker(code, { eval: true });
  w.unref();
  return w;
}

/** Closes the world group (tests; process exit does this too). */
export function closeWorld(): void {
  comm.group?.close();
  comm.group = null;
  void comm.storeWorker?.terminate();
  comm.storeWorker = null;
}

function group(api: string): NativeGroup | null {
  if (comm.world < 2) {
    // not initialized: a world size > 1 in the environment needs init_parallel_env first
    if (parallelEnv.world_size > 1 && !comm.group)
      fail(api, 'call paddle.distributed.init_parallel_env() first', PreconditionNotMetError);
    return null;
  }
  return comm.group!;
}

// ---- storage helpers -----------------------------------------------------------------------------

/** A view the binding can reduce (float16 widened to float32). */
function wire(s: Storage, dtype: DType): ArrayBufferView {
  if (dtype === 'float16') {
    const f = new Float32Array(s.length);
    for (let i = 0; i < s.length; i++) f[i] = fromHalfBits((s as Uint16Array)[i]);
    return f;
  }
  return s;
}

function unwire(w: ArrayBufferView, s: Storage, dtype: DType, op: number): void {
  if (dtype === 'float16') {
    const f = w as Float32Array;
    for (let i = 0; i < f.length; i++) (s as Uint16Array)[i] = toHalfBits(f[i]);
  } else if (dtype === 'bool' && op === ReduceOp.SUM) {
    const u = s as Uint8Array;
    for (let i = 0; i < u.length; i++) u[i] = u[i] ? 1 : 0;
  }
}

function checkOp(api: string, dtype: DType, op: number): void {
  if (![0, 1, 2, 3].includes(op)) fail(api, `op must be one of ReduceOp.SUM/MAX/MIN/PROD, got ${op}`, InvalidArgumentError);
  if ((dtype === 'complex64' || dtype === 'complex128') && op !== ReduceOp.SUM)
    fail(api, `only ReduceOp.SUM is supported for ${dtype} tensors`, InvalidArgumentError);
  if (dtype === 'bool' && op === ReduceOp.SUM) return; // logical or
}

/** Reduces `s` elementwise across every rank, in place (sync). */
export function allreduceStorage(api: string, s: Storage, dtype: DType, op: number): void {
  checkOp(api, dtype, op);
  const g = group(api);
  if (!g) return;
  const w = wire(s, dtype);
  // bool SUM: a logical or, which MAX on 0/1 bytes is
  g.allreduce(w, dtype === 'bool' && op === ReduceOp.SUM ? ReduceOp.MAX : op);
  unwire(w, s, dtype, op);
}

/** Async allreduce of a storage the caller keeps alive and untouched until the promise settles. */
export function allreduceStorageAsync(api: string, s: Storage, dtype: DType, op: number): Promise<void> {
  checkOp(api, dtype, op);
  const g = group(api);
  if (!g) return Promise.resolve();
  if (dtype === 'float16' || dtype === 'bool') {
    allreduceStorage(api, s, dtype, op);
    return Promise.resolve();
  }
  return g.allreduce(s, op, true);
}

/** A collective in flight. */
export interface Work {
  /** Blocks until it is done (throws its error). */
  wait(): void;
}
const DONE: Work = { wait() {} };

/**
 * Starts an allreduce on the group's communication thread and returns at once; `wait()`
 * blocks until it is done. The caller keeps `s` untouched until then. float16 and bool run
 * synchronously (they are converted on the way).
 */
export function allreduceStorageStart(api: string, s: Storage, dtype: DType, op: number): Work {
  checkOp(api, dtype, op);
  const g = group(api);
  if (!g) return DONE;
  if (dtype === 'float16' || dtype === 'bool') {
    allreduceStorage(api, s, dtype, op);
    return DONE;
  }
  const id = g.allreduce(s, op, 'handle');
  return { wait: () => g.wait(id) };
}

/** Copies root's `s` into every rank's `s`. */
export function broadcastStorage(api: string, s: Storage, root: number): void {
  const g = group(api);
  checkRank(api, 'src', root);
  if (g) g.broadcast(s, root);
}

/** Reduces into root's `s` (the others keep theirs). */
export function reduceStorage(api: string, s: Storage, dtype: DType, root: number, op: number): void {
  checkOp(api, dtype, op);
  checkRank(api, 'dst', root);
  const g = group(api);
  if (!g) return;
  const w = wire(s, dtype);
  g.reduce(w, root, dtype === 'bool' && op === ReduceOp.SUM ? ReduceOp.MAX : op);
  if (comm.rank === root) unwire(w, s, dtype, op);
}

/** Every rank's `s`, concatenated in rank order. */
export function allgatherStorage(api: string, s: Storage): Storage {
  const g = group(api);
  const C = s.constructor as new (n: number) => Storage;
  const out = new C(s.length * Math.max(comm.world, 1));
  if (!g) {
    out.set(s as never);
    return out;
  }
  g.allgather(s, out);
  return out;
}

/** Root's parts[rank] lands in `out` on every rank. */
export function scatterStorage(api: string, parts: Storage[] | null, out: Storage, root: number): void {
  checkRank(api, 'src', root);
  const g = group(api);
  if (!g) {
    if (parts) out.set(parts[0] as never);
    return;
  }
  g.scatter(comm.rank === root ? parts : null, out, root);
}

/** Waits for every rank. */
export function barrierWorld(api: string): void {
  const g = group(api);
  if (g) g.barrier();
}

function checkRank(api: string, arg: string, r: number): void {
  const world = Math.max(comm.world, parallelEnv.world_size, 1);
  if (!Number.isInteger(r) || r < 0 || r >= world) fail(api, `${arg} must be a rank in [0, ${world}), got ${r}`, InvalidArgumentError);
}
