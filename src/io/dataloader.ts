// paddle.io.DataLoader (python/paddle/fluid/reader.py and dataloader/dataloader_iter.py at
// 2.0): iterates a dataset in batches, in the main thread or with worker threads.
import { isMainThread } from 'node:worker_threads';
import { p } from '../core/args.js';
import { T, tensorFromData } from '../core/convert.js';
import { describe, fail, InvalidArgumentError, PreconditionNotMetError, UnimplementedError } from '../core/errors.js';
import { defaultGenerator } from '../core/random.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { default_collate_fn, default_convert_fn, flattenBatch, tensorsIn, typedToTensor } from './collate.js';
import { Dataset, isIterableDataset, iterate, lenOf, parser } from './dataset.js';
import { Fetcher, FetchConfig, STOP } from './fetcher.js';
import { BatchSampler, InfiniteIterableSampler } from './sampler.js';
import { decode, Enc, encode, resolverFor, Unsendable } from './transfer.js';
import { WorkerPool, workerError } from './worker.js';

const API = 'paddle.io.DataLoader';

const loaderParams = [
  p('dataset', T.any),
  p('feed_list', T.any, null),
  p('places', T.any, null),
  p('return_list', T.bool, true),
  p('batch_sampler', T.any, null),
  p('batch_size', T.nullable(T.int), 1 as number | null),
  p('shuffle', T.bool, false),
  p('drop_last', T.bool, false),
  p('collate_fn', T.nullable(T.fn), null),
  p('num_workers', T.int, 0),
  p('use_buffer_reader', T.bool, true),
  p('use_shared_memory', T.bool, true),
  p('timeout', T.float, 0),
  p('worker_init_fn', T.nullable(T.fn), null),
] as const;
const parseLoader = parser(API, loaderParams);

/** DataLoader's keyword arguments. */
export interface DataLoaderOptions {
  feed_list?: readonly Tensor[] | null;
  places?: unknown;
  return_list?: boolean;
  batch_sampler?: Iterable<number[]> | null;
  batch_size?: number | null;
  shuffle?: boolean;
  drop_last?: boolean;
  collate_fn?: ((batch: any[]) => unknown) | null;
  num_workers?: number;
  use_buffer_reader?: boolean;
  use_shared_memory?: boolean;
  timeout?: number;
  worker_init_fn?: ((worker_id: number) => void) | null;
}

type LoaderArgs =
  | [dataset: unknown, opts?: DataLoaderOptions]
  | [dataset: unknown, feed_list?: readonly Tensor[] | null, places?: unknown, return_list?: boolean, batch_sampler?: Iterable<number[]> | null,
      batch_size?: number | null, shuffle?: boolean, drop_last?: boolean, collate_fn?: ((batch: any[]) => unknown) | null, num_workers?: number,
      use_buffer_reader?: boolean, use_shared_memory?: boolean, timeout?: number, worker_init_fn?: ((worker_id: number) => void) | null]
  | [{ dataset: unknown } & DataLoaderOptions];

export interface DataLoader {
  /** `loader()` gives a new iterator over the batches, as Paddle 2.0's tutorials call it. */
  (): DataLoaderIter;
}

/**
 * paddle.io.DataLoader(dataset, feed_list=None, places=None, return_list=True,
 * batch_sampler=None, batch_size=1, shuffle=False, drop_last=False, collate_fn=None,
 * num_workers=0, use_buffer_reader=True, use_shared_memory=True, timeout=0,
 * worker_init_fn=None): iterates `dataset` in batches.
 *
 * Iterate with `for (const batch of loader)` or `for (const batch of loader())`; `len()` is
 * `loader.__len__()` (or `loader.length`). Batches come from `batch_sampler`, or from a
 * BatchSampler built from `batch_size`, `shuffle` and `drop_last` (`batch_size=null` turns
 * batching off: each sample is one item). The samples of a batch are merged by `collate_fn`,
 * by default `default_collate_fn`, which stacks each field into a Tensor and keeps the
 * samples' structure: samples `[image, label]` give batches `[images, labels]`, and dict
 * samples give dicts (JS integers become int64, other numbers float32). Typed arrays left in
 * a batch by a custom collate_fn become Tensors.
 *
 * In static mode with `return_list=False`, each batch is a list holding one dict (one per
 * place, as in Paddle) from the names of the `feed_list` variables to the batch's Tensors
 * in order, ready for `exe.run(prog, { feed: batch[0] })`. In dygraph mode `return_list`
 * has no effect (Paddle always returns lists there).
 *
 * `num_workers > 0` loads batches in that many worker threads, in parallel with the main
 * thread and with each other; batches still come out in order. Like Python's spawn start
 * method, every worker rebuilds its own copy of the dataset, which must be reconstructible:
 * - its class (and the class of every object it holds) must be exported from a module file
 *   other than the main script. Subclasses of paddle.io.Dataset are found automatically
 *   (from where they are constructed); other classes declare `static __module__ =
 *   import.meta.url`;
 * - its fields must be data (numbers, strings, arrays, plain objects, Maps, Sets, typed
 *   arrays, Tensors) or instances of such classes — no closures, no #private fields; the
 *   worker's copy is made without running the constructor, as unpickling does;
 * - `collate_fn` and `worker_init_fn` are functions exported from a module with
 *   `fn.__module__ = import.meta.url`. A collate_fn that cannot be sent runs in the main
 *   thread instead; a worker_init_fn that cannot be sent, or a dataset that cannot be
 *   rebuilt, makes the loader warn once and load in the main thread.
 * Each worker's random generator is seeded differently (see `get_worker_info().seed`). An
 * error in a worker is re-thrown by the main thread's `next()` with the worker id and the
 * worker's stack. `timeout` (seconds, 0 = none) bounds the wait for one batch. Every
 * iterator (epoch) rebuilds the dataset in its workers and runs `worker_init_fn` again, as
 * Paddle starts new worker processes; the threads themselves (which have imported
 * paddle-ts) are kept for a while after an iterator ends and reused by the next one, so
 * module-level state of your own modules persists between epochs in a worker.
 * `use_buffer_reader`, `use_shared_memory` and `places` are accepted and have no effect
 * (data is on the CPU; worker batches are transferred without copying).
 * @example
 * const loader = new paddle.io.DataLoader(dataset, { batch_size: 16, shuffle: true, drop_last: true });
 * for (let epoch = 0; epoch < 4; epoch++)
 *   for (const [image, label] of loader()) { ... }
 */
export class DataLoader {
  declare dataset: unknown;
  declare feed_list: Tensor[] | null;
  declare places: unknown;
  declare return_list: boolean;
  declare batch_sampler: Iterable<unknown> | null;
  declare batch_size: number | null;
  declare collate_fn: ((batch: any[]) => unknown) | null;
  declare num_workers: number;
  declare use_buffer_reader: boolean;
  declare use_shared_memory: boolean;
  declare timeout: number;
  declare worker_init_fn: ((worker_id: number) => void) | null;
  declare drop_last: boolean;
  /** 'map' for __getitem__ datasets, 'iter' for IterableDataset. */
  declare dataset_kind: 'map' | 'iter';
  declare auto_collate_batch: boolean;
  /** @internal Why worker threads are not used (set after the first failed attempt). */
  declare _inProcessReason: string | null;
  /** @internal How many iterators were made (varies the worker seeds). */
  declare _iterCount: number;

  constructor(...args: LoaderArgs) {
    const a = parseLoader(args);
    const ds = a.dataset;
    const isMap = ds instanceof Dataset
      ? !isIterableDataset(ds)
      : ds !== null && typeof ds === 'object' && typeof (ds as Dataset).__getitem__ === 'function' && typeof (ds as Dataset).__len__ === 'function';
    const isIter = !isMap && isIterableDataset(ds);
    if (!isMap && !isIter)
      fail(API, `dataset should be an instance of a paddle.io.Dataset subclass (with __getitem__ and __len__) or of a paddle.io.IterableDataset, but got ${describe(ds)}`);
    let feed: Tensor[] | null = null;
    if (a.feed_list !== null) {
      if (!Array.isArray(a.feed_list) || !a.feed_list.every((v) => v instanceof Tensor))
        fail(API, `argument 'feed_list' expected a list of Variables (from paddle.static.data), but got ${describe(a.feed_list)}`);
      feed = a.feed_list.slice();
    }
    if (!a.return_list && state.staticMode && feed === null) fail(API, 'feed_list should be set when return_list=False');
    if (a.num_workers < 0) fail(API, `num_workers should be a non-negative value, but got ${a.num_workers}`);
    if (a.timeout < 0) fail(API, `timeout should be a non-negative value, but got ${a.timeout}`);
    let batchSampler: Iterable<unknown> | null;
    let batchSize: number | null;
    if (isIter) {
      if (a.shuffle) fail(API, 'IterableDataset does not support shuffle, but got shuffle=True');
      if (a.batch_sampler !== null) fail(API, 'IterableDataset expects batch_sampler to be unspecified');
    }
    if (a.batch_sampler !== null) {
      if (a.batch_size !== 1 || a.shuffle || a.drop_last) fail(API, 'batch_size/shuffle/drop_last should not be set when batch_sampler is given');
      const bs = a.batch_sampler as { __iter__?: unknown; [Symbol.iterator]?: unknown };
      if (bs === null || typeof bs !== 'object' || (typeof bs.__iter__ !== 'function' && typeof bs[Symbol.iterator] !== 'function'))
        fail(API, `argument 'batch_sampler' expected a paddle.io.BatchSampler (an iterable of index lists), but got ${describe(a.batch_sampler)}`);
      batchSampler = a.batch_sampler as Iterable<unknown>;
      batchSize = null;
    } else if (a.batch_size === null) {
      batchSampler = null;
      batchSize = null;
    } else {
      if (a.batch_size <= 0) fail(API, `batch_size should be None or a positive value when batch_sampler is not given, but got ${a.batch_size}`);
      batchSize = a.batch_size;
      batchSampler = isIter
        ? new InfiniteIterableSampler(ds, batchSize)
        : new BatchSampler({ dataset: ds, batch_size: batchSize, shuffle: a.shuffle, drop_last: a.drop_last });
    }

    // The instance is a function (so `loader()` works) with DataLoader's prototype chain.
    const target = ((): DataLoaderIter => target.__iter__()) as unknown as DataLoader;
    delete (target as { name?: unknown }).name;
    delete (target as { length?: unknown }).length;
    Object.setPrototypeOf(target, new.target.prototype);
    Object.assign(target, {
      dataset: ds,
      feed_list: feed,
      places: a.places,
      return_list: a.return_list,
      batch_sampler: batchSampler,
      batch_size: batchSize,
      collate_fn: a.collate_fn,
      num_workers: a.num_workers,
      use_buffer_reader: a.use_buffer_reader,
      use_shared_memory: a.use_shared_memory && a.num_workers > 0,
      timeout: a.timeout,
      worker_init_fn: a.worker_init_fn,
      drop_last: a.drop_last,
      dataset_kind: isIter ? 'iter' : 'map',
      auto_collate_batch: batchSampler !== null,
    });
    for (const k of ['_inProcessReason', '_iterCount'])
      Object.defineProperty(target, k, { value: k === '_iterCount' ? 0 : null, writable: true, configurable: true, enumerable: false });
    return target;
  }

  /** A new iterator over the batches (Python's `iter(loader)`). */
  __iter__(): DataLoaderIter {
    return new DataLoaderIter(this);
  }
  [Symbol.iterator](): DataLoaderIter {
    return this.__iter__();
  }
  /** Same as calling the loader: a new iterator. */
  __call__(): DataLoaderIter {
    return this.__iter__();
  }
  /** The number of batches (of samples without batching); an error for IterableDataset. */
  __len__(): number {
    if (this.dataset_kind === 'iter') fail(API, 'length of IterableDataset not supported', PreconditionNotMetError);
    if (this.auto_collate_batch) return lenOf(this.batch_sampler, API, 'batch_sampler');
    return lenOf(this.dataset, API);
  }
  /** Same as `__len__()`. */
  get length(): number {
    return this.__len__();
  }

  /**
   * DataLoader.from_generator(feed_list=None, capacity=None, use_double_buffer=True,
   * iterable=True, return_list=False, use_multiprocess=False, drop_last=True): a loader fed
   * by a generator function, set with `set_sample_generator`, `set_sample_list_generator` or
   * `set_batch_generator`. Only the iterable form is supported (`iterable=False`, which
   * feeds a static program through a reader operator, is not).
   * @example
   * const loader = paddle.io.DataLoader.from_generator({ capacity: 4, return_list: true });
   * loader.set_batch_generator(function* () { yield [x, y]; });
   * for (const [bx, by] of loader()) { ... }
   */
  static from_generator(...args: unknown[]): GeneratorLoader {
    return new GeneratorLoader(...args);
  }
  /** DataLoader.from_dataset(dataset, places, drop_last=True): fleet datasets are not supported. */
  static from_dataset(...args: unknown[]): never {
    parser('paddle.io.DataLoader.from_dataset', [p('dataset', T.any), p('places', T.any), p('drop_last', T.bool, true)] as const)(args);
    return fail('paddle.io.DataLoader.from_dataset', 'fleet datasets (InMemoryDataset / QueueDataset) are not supported by paddle-ts', UnimplementedError);
  }
}

let warnedOnce = new WeakSet<DataLoader>();
function warnInProcess(loader: DataLoader, reason: string): void {
  if (warnedOnce.has(loader)) return;
  warnedOnce.add(loader);
  process.emitWarning(`${API}: num_workers=${loader.num_workers}, but ${reason}; loading in the main thread instead`, {
    type: 'PaddleWarning',
    code: 'PADDLE_DATALOADER_IN_PROCESS',
  });
}
/** @internal For tests: forget which loaders already warned. */
export function _resetWarnings(): void {
  warnedOnce = new WeakSet<DataLoader>();
}

/** A seed for the workers of one iterator: from the default generator's state, without drawing from it. */
function workerBaseSeed(count: number): number {
  const st = defaultGenerator.get_state();
  let h = (0x811c9dc5 ^ Math.imul(count + 1, 0x9e3779b9)) >>> 0;
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ (st[i] >>> 0), 0x01000193) >>> 0;
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** Stops the worker threads of iterators dropped before they finished. */
const abandoned = new FinalizationRegistry<WorkerPool>((pool) => pool.close(false));

/**
 * The iterator over a DataLoader's batches (for...of, or `next()`). Breaking out of a loop
 * (or calling `return()`) stops its worker threads.
 */
export class DataLoaderIter implements IterableIterator<any> {
  private readonly loader: DataLoader;
  private readonly sampler: Iterator<unknown>;
  private readonly collate: FetchConfig['collate'];
  private readonly fetchCfg: Omit<FetchConfig, 'collate'>;
  private fetcher: Fetcher | null = null;
  private pool: WorkerPool | null = null;
  private started = false;
  private done = false;
  /** Collate in the main thread (a collate_fn that cannot be sent to the workers). */
  private collateHere = false;
  // multi-worker bookkeeping
  private sent = 0;
  private rcvd = 0;
  private samplerDone = false;
  private nextWorker = 0;
  private active: boolean[] = [];

  constructor(loader: DataLoader) {
    this.loader = loader;
    const auto = loader.auto_collate_batch;
    if (auto) this.sampler = iterate(loader.batch_sampler, API, 'the batch sampler');
    else if (loader.dataset_kind === 'map') {
      const n = lenOf(loader.dataset, API);
      this.sampler = (function* () {
        for (let i = 0; i < n; i++) yield i;
      })();
    } else this.sampler = iterate(new InfiniteIterableSampler(loader.dataset, 1), API);
    this.collate = auto ? (loader.collate_fn ?? (default_collate_fn as FetchConfig['collate'])) : (loader.collate_fn ?? default_convert_fn);
    this.fetchCfg = { kind: loader.dataset_kind, autoCollate: auto, dropLast: loader.drop_last };
    loader._iterCount++;
    if (loader.num_workers > 0 && isMainThread && loader._inProcessReason === null) this.startPool();
    else if (loader.num_workers > 0 && loader._inProcessReason === null) this.useInProcess('worker threads cannot start more worker threads');
    else if (loader.num_workers > 0) this.useInProcess(loader._inProcessReason!);
  }

  private useInProcess(reason: string): void {
    this.loader._inProcessReason = reason;
    warnInProcess(this.loader, reason);
  }

  private startPool(): void {
    const L = this.loader;
    let dataset: Enc;
    let initFn: Enc | null = null;
    let collate: Enc | 'default' | 'convert' | null;
    try {
      dataset = encode(L.dataset, { userRefs: true, root: 'the dataset' });
    } catch (e) {
      if (e instanceof Unsendable) return this.useInProcess(`the dataset cannot be rebuilt in a worker thread (${e.message})`);
      throw e;
    }
    try {
      if (L.worker_init_fn !== null) initFn = encode(L.worker_init_fn, { userRefs: true, root: 'worker_init_fn' });
    } catch (e) {
      if (e instanceof Unsendable) return this.useInProcess(`worker_init_fn cannot be sent to a worker thread (${e.message})`);
      throw e;
    }
    if (L.collate_fn === null) collate = this.fetchCfg.autoCollate ? 'default' : 'convert';
    else {
      try {
        collate = encode(L.collate_fn, { userRefs: true, root: 'collate_fn' });
      } catch (e) {
        if (!(e instanceof Unsendable)) throw e;
        collate = null;
        this.collateHere = true;
      }
    }
    try {
      this.pool = new WorkerPool({
        numWorkers: L.num_workers, dataset, fetch: this.fetchCfg, collate, initFn,
        baseSeed: workerBaseSeed(L._iterCount), timeout: L.timeout,
      });
    } catch (e) {
      this.pool = null;
      return this.useInProcess(`worker threads could not be started (${(e as Error)?.message ?? String(e)})`);
    }
    this.active = new Array<boolean>(L.num_workers).fill(true);
    abandoned.register(this, this.pool, this);
  }

  /** The number of batches (as the loader's). */
  __len__(): number {
    return this.loader.__len__();
  }
  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<any> {
    if (this.done) return { done: true, value: undefined };
    try {
      if (!this.started) {
        this.started = true;
        if (this.pool) {
          const reason = this.pool.waitReady();
          if (reason !== null) {
            this.pool.close(true);
            abandoned.unregister(this);
            this.pool = null;
            this.collateHere = false;
            this.useInProcess(reason);
          } else {
            for (let k = 0; k < 2 * this.pool.n; k++) if (!this.putTask()) break;
          }
        }
      }
      const v = this.pool ? this.nextFromWorkers() : this.nextInProcess();
      if (v === STOP) return this.finish(true);
      return { done: false, value: this.finalize(v) };
    } catch (e) {
      this.finish();
      throw e;
    }
  }

  /** Stops early (a `break` out of for...of): the worker threads end. */
  return(): IteratorResult<any> {
    return this.finish();
  }

  private finish(clean = false): IteratorResult<any> {
    this.done = true;
    // threads that answered every task can serve the next iterator
    if (this.pool) {
      this.pool.close(clean && this.rcvd >= this.sent);
      abandoned.unregister(this);
    }
    this.pool = null;
    return { done: true, value: undefined };
  }

  private nextInProcess(): unknown {
    this.fetcher ??= new Fetcher(this.loader.dataset, { ...this.fetchCfg, collate: this.collate });
    const r = this.sampler.next();
    if (r.done) return STOP;
    return this.fetcher.fetch(r.value);
  }

  /** Sends the next batch's indices to the next worker still producing; false when there is none. */
  private putTask(): boolean {
    const pool = this.pool!;
    if (this.samplerDone) return false;
    let wid = -1;
    for (let k = 0; k < pool.n; k++) {
      const w = (this.nextWorker + k) % pool.n;
      if (this.active[w]) {
        wid = w;
        break;
      }
    }
    if (wid < 0) return false;
    const r = this.sampler.next();
    if (r.done) {
      this.samplerDone = true;
      return false;
    }
    pool.send(wid, this.sent++, r.value);
    this.nextWorker = (wid + 1) % pool.n;
    return true;
  }

  private nextFromWorkers(): unknown {
    const pool = this.pool!;
    for (;;) {
      if (this.rcvd >= this.sent) return STOP;
      const { wid, msg } = pool.take(this.rcvd++);
      if (msg.type === 'stop') {
        this.active[wid] = false;
        this.putTask();
        continue;
      }
      if (msg.type === 'error') throw workerError(msg.error, wid, 'failed to load a batch');
      if (msg.type !== 'batch') continue;
      this.putTask();
      let data = decode(msg.data, resolverFor(null));
      if (this.collateHere && this.collate) data = this.collate(data);
      return data;
    }
  }

  /** Typed arrays -> Tensors; the feed dict for static mode with return_list=False. */
  private finalize(batch: unknown): unknown {
    const b = tensorsIn(batch);
    const L = this.loader;
    if (state.staticMode && !L.return_list) {
      const feed = L.feed_list!;
      const flat = flattenBatch(b);
      if (flat.length !== feed.length)
        fail(API, `the batch has ${flat.length} Tensor field(s) but feed_list has ${feed.length} variable(s)`, InvalidArgumentError);
      const d: Record<string, unknown> = {};
      feed.forEach((v, i) => (d[v.name] = flat[i]));
      return [d];
    }
    return b;
  }
}

// ---- DataLoader.from_generator -----------------------------------------------------------------

const genParams = [
  p('feed_list', T.any, null), p('capacity', T.any, null), p('use_double_buffer', T.bool, true), p('iterable', T.bool, true),
  p('return_list', T.bool, false), p('use_multiprocess', T.bool, false), p('drop_last', T.bool, true),
] as const;

type Reader = () => Iterable<unknown> | Iterator<unknown>;

/** One field of a batch as a Tensor (of the feed variable's dtype in static mode). */
function fieldTensor(v: unknown, dtype: Tensor['dtype'] | undefined, api: string): Tensor {
  if (v instanceof Tensor) return dtype && v.dtype !== dtype ? tensorFromData(v, dtype, api) : v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const t = typedToTensor(v, 'a batch field');
    return dtype && t.dtype !== dtype ? tensorFromData(t, dtype, api) : t;
  }
  return tensorFromData(v, dtype ?? null, api, 'a batch field');
}

/** Stacks one field over the samples of a batch (NumPy's np.array(slot)). */
function stackField(items: unknown[], dtype: Tensor['dtype'] | undefined, api: string): Tensor {
  const s = items[0];
  if (s instanceof Tensor || (ArrayBuffer.isView(s) && !(s instanceof DataView))) {
    const t = default_collate_fn(items) as Tensor;
    return dtype && t.dtype !== dtype ? tensorFromData(t, dtype, api) : t;
  }
  return tensorFromData(items as never, dtype ?? null, api, 'a batch field');
}

/**
 * The loader DataLoader.from_generator makes: set its data source with one of the three
 * setters, then iterate it (`for (const batch of loader())`). In dygraph mode a batch is a
 * list of Tensors; in static mode a list with one entry per place: the list of Tensors
 * (`return_list`) or a dict from feed variable names to Tensors.
 */
export class GeneratorLoader {
  declare feed_list: Tensor[] | null;
  declare capacity: number;
  declare iterable: boolean;
  declare return_list: boolean;
  declare drop_last: boolean;
  /** @internal */ declare _batch_reader: Reader | null;
  /** @internal */ declare _static: boolean;

  constructor(...args: unknown[]) {
    const api = `${API}.from_generator`;
    const a = parser(api, genParams)(args);
    if (!a.capacity || typeof a.capacity !== 'number' || !Number.isInteger(a.capacity)) fail(api, 'please give a positive integer value to capacity');
    let feed: Tensor[] | null = null;
    if (a.feed_list !== null) {
      if (!Array.isArray(a.feed_list) || !a.feed_list.every((v) => v instanceof Tensor)) fail(api, `argument 'feed_list' expected a list of Variables, but got ${describe(a.feed_list)}`);
      feed = a.feed_list.slice();
    }
    const isStatic = state.staticMode;
    if (isStatic && !feed?.length) fail(api, 'feed list must be given under static mode');
    if (isStatic && !a.iterable)
      fail(api, 'iterable=False (feeding the program through a reader operator, with start() / reset()) is not supported; use iterable=True and pass each batch as the feed of Executor.run', UnimplementedError);
    const target = ((): Generator<any> => target.__iter__()) as unknown as GeneratorLoader;
    delete (target as { name?: unknown }).name;
    delete (target as { length?: unknown }).length;
    Object.setPrototypeOf(target, GeneratorLoader.prototype);
    Object.assign(target, {
      feed_list: feed,
      capacity: a.capacity,
      iterable: isStatic ? a.iterable : true,
      return_list: isStatic ? a.return_list : true,
      drop_last: a.drop_last,
    });
    Object.defineProperty(target, '_batch_reader', { value: null, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(target, '_static', { value: isStatic, writable: true, configurable: true, enumerable: false });
    return target;
  }

  /**
   * set_sample_generator(reader, batch_size, drop_last=True, places=None): `reader()` yields
   * samples (lists of fields); they are grouped into batches of `batch_size` and stacked.
   */
  set_sample_generator(...args: unknown[]): this {
    const api = `${API}.set_sample_generator`;
    const a = parser(api, [p('reader', T.fn), p('batch_size', T.int), p('drop_last', T.bool, true), p('places', T.any, null)] as const)(args);
    if (a.batch_size <= 0) fail(api, `batch_size must be larger than 0, but got ${a.batch_size}`);
    const reader = a.reader as Reader;
    const bs = a.batch_size;
    const dropLast = a.drop_last;
    return this.set_sample_list_generator(function* () {
      let batch: unknown[] = [];
      const it = toIter(reader(), api);
      for (let r = it.next(); !r.done; r = it.next()) {
        batch.push(r.value);
        if (batch.length === bs) {
          yield batch;
          batch = [];
        }
      }
      if (!dropLast && batch.length) yield batch;
    });
  }

  /** set_sample_list_generator(reader, places=None): `reader()` yields lists of samples; each list is one batch. */
  set_sample_list_generator(...args: unknown[]): this {
    const api = `${API}.set_sample_list_generator`;
    const a = parser(api, [p('reader', T.fn), p('places', T.any, null)] as const)(args);
    const reader = a.reader as Reader;
    const feed = this.feed_list;
    return this.set_batch_generator(function* () {
      const it = toIter(reader(), api);
      for (let r = it.next(); !r.done; r = it.next()) {
        const samples = r.value;
        if (!Array.isArray(samples) || samples.length === 0) fail(api, `the reader must yield non-empty lists of samples, but yielded ${describe(samples)}`);
        const m = Array.isArray(samples[0]) ? samples[0].length : 1;
        const slots: unknown[][] = Array.from({ length: m }, () => []);
        for (const s of samples) {
          const fields = Array.isArray(s) ? s : [s];
          if (fields.length !== m) fail(api, `samples of a batch have different numbers of fields (${m} and ${fields.length})`);
          fields.forEach((f, i) => slots[i].push(f));
        }
        yield slots.map((items, i) => stackField(items, feed?.[i]?.dtype, api));
      }
    });
  }

  /** set_batch_generator(reader, places=None): `reader()` yields batches (lists of Tensors or arrays). */
  set_batch_generator(...args: unknown[]): this {
    const api = `${API}.set_batch_generator`;
    const a = parser(api, [p('reader', T.fn), p('places', T.any, null)] as const)(args);
    this._batch_reader = a.reader as Reader;
    return this;
  }

  *__iter__(): Generator<any> {
    const api = API;
    if (!this._batch_reader) fail(api, 'the data source of the DataLoader has not been set yet (call set_sample_generator, set_sample_list_generator or set_batch_generator)', PreconditionNotMetError);
    const feed = this.feed_list;
    const it = toIter(this._batch_reader(), api);
    for (let r = it.next(); !r.done; r = it.next()) {
      const fields = Array.isArray(r.value) ? r.value : [r.value];
      const tensors = fields.map((f, i) => fieldTensor(f, feed?.[i]?.dtype, api));
      if (!this._static) yield tensors;
      else if (this.return_list) yield [tensors];
      else {
        if (tensors.length !== feed!.length) fail(api, `a batch has ${tensors.length} field(s) but feed_list has ${feed!.length} variable(s)`);
        const d: Record<string, Tensor> = {};
        feed!.forEach((v, i) => (d[v.name] = tensors[i]));
        yield [d];
      }
    }
  }
  [Symbol.iterator](): Generator<any> {
    return this.__iter__();
  }
  /** iterable=False only: not supported. */
  start(): never {
    return fail(`${API}.start`, 'start() cannot be called when the DataLoader is iterable', PreconditionNotMetError);
  }
  /** iterable=False only: not supported. */
  reset(): never {
    return fail(`${API}.reset`, 'reset() cannot be called when the DataLoader is iterable', PreconditionNotMetError);
  }
}
export interface GeneratorLoader {
  /** `loader()`: a new iterator over the batches. */
  (): Generator<any>;
}

function toIter(v: unknown, api: string): Iterator<unknown> {
  if (v !== null && typeof v === 'object') {
    if (typeof (v as Iterator<unknown>).next === 'function') return v as Iterator<unknown>;
    if (typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function') return (v as Iterable<unknown>)[Symbol.iterator]();
  }
  return fail(api, `the reader must return an iterator or an iterable (e.g. be a generator function), but returned ${describe(v)}`);
}
