// paddle.io samplers (python/paddle/fluid/dataloader/sampler.py and batch_sampler.py at 2.0):
// Sampler, SequenceSampler, RandomSampler, WeightedRandomSampler, BatchSampler and
// DistributedBatchSampler. Samplers define `__iter__()` (or `[Symbol.iterator]()`) and
// `__len__()`, and are iterable with for...of. Randomness comes from the generator that
// `paddle.seed` reseeds (Paddle 2.0 drew from NumPy's global state), so shuffles repeat
// under the same seed.
import { p } from '../core/args.js';
import { T } from '../core/convert.js';
import { toNumbers } from '../core/dtype.js';
import { describe, fail, UnimplementedError } from '../core/errors.js';
import { Generator } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { BASE_ITERATORS, Dataset, generatorArg, IterableDataset, isIterableDataset, iterate, lenOf, parser, permutation, toIterator } from './dataset.js';

/**
 * paddle.io.Sampler(data_source=None): the base of samplers, which yield sample indices.
 * Subclasses define `__iter__()` (e.g. a generator method) and `__len__()`.
 * @example
 * class MySampler extends paddle.io.Sampler {
 *   *__iter__() { for (let i = 0; i < this.__len__(); i++) yield i; }
 *   __len__() { return 10; }
 * }
 */
export class Sampler {
  data_source: unknown;
  constructor(...args: unknown[]) {
    // Subclasses with their own parameters may call super() with none.
    this.data_source = args.length ? parser('paddle.io.Sampler', [p('data_source', T.any, null)] as const)(args).data_source : null;
  }
  /** The indices. */
  __iter__(): Iterator<unknown> | Iterable<unknown> {
    return fail('paddle.io.Sampler', `'__iter__' not implemented in class ${this.constructor.name}`, UnimplementedError);
  }
  /** The number of indices (batches, for batch samplers). */
  __len__(): number {
    return fail('paddle.io.Sampler', `'__len__' not implemented in class ${this.constructor.name}`, UnimplementedError);
  }
  [Symbol.iterator](): Iterator<any> {
    return toIterator(this.__iter__(), 'paddle.io.Sampler', `${this.constructor.name}.__iter__()`);
  }
  /** Same as `__len__()`. */
  get length(): number {
    return this.__len__();
  }
}
BASE_ITERATORS.add(Sampler.prototype[Symbol.iterator]);

const parseSequence = parser('paddle.io.SequenceSampler', [p('data_source', T.any)] as const);
/**
 * paddle.io.SequenceSampler(data_source): yields 0, 1, ..., len(data_source) - 1.
 * @example [...new paddle.io.SequenceSampler(dataset)] // [0, 1, 2, ...]
 */
export class SequenceSampler extends Sampler {
  constructor(...args: [data_source: unknown] | [{ data_source: unknown }]) {
    super();
    this.data_source = parseSequence(args).data_source;
  }
  override *__iter__(): Iterator<number> {
    const n = lenOf(this.data_source, 'paddle.io.SequenceSampler', 'data_source');
    for (let i = 0; i < n; i++) yield i;
  }
  override __len__(): number {
    return lenOf(this.data_source, 'paddle.io.SequenceSampler', 'data_source');
  }
}

const parseRandom = parser('paddle.io.RandomSampler', [
  p('data_source', T.any), p('replacement', T.any, false), p('num_samples', T.any, null), p('generator', T.any, null),
] as const);
/**
 * paddle.io.RandomSampler(data_source, replacement=False, num_samples=None, generator=None):
 * yields a random permutation of the indices, or with `replacement` `num_samples` indices
 * drawn uniformly with repeats. `generator` is a paddle.Generator to draw from (default: the
 * one `paddle.seed` reseeds); as in Paddle 2.0 it may instead be an iterator (or iterable)
 * of indices, which is then read `num_samples` times.
 * @example paddle.seed(1); const order = [...new paddle.io.RandomSampler(dataset)];
 */
export class RandomSampler extends Sampler {
  replacement: boolean;
  _num_samples: number | null;
  generator: unknown;
  constructor(
    ...args:
      | [data_source: unknown, replacement?: boolean, num_samples?: number | null, generator?: Generator | Iterable<number> | null]
      | [unknown, ...unknown[], { replacement?: boolean; num_samples?: number | null; generator?: unknown }]
      | [{ data_source: unknown; replacement?: boolean; num_samples?: number | null; generator?: unknown }]
  ) {
    super();
    const api = 'paddle.io.RandomSampler';
    const a = parseRandom(args);
    this.data_source = a.data_source;
    if (typeof a.replacement !== 'boolean') fail(api, `expected a boolean value for replacement, but got replacement=${describe(a.replacement)}`);
    this.replacement = a.replacement;
    if (a.num_samples !== null && !a.replacement) fail(api, 'num_samples should not be specified while replacement is False');
    if (a.num_samples !== null && (typeof a.num_samples !== 'number' || !Number.isInteger(a.num_samples)))
      fail(api, `num_samples should be a positive integer, but got num_samples=${describe(a.num_samples)}`);
    this._num_samples = a.num_samples as number | null;
    this.generator = a.generator;
    if (a.generator !== null && !(a.generator instanceof Generator) && !isIterLike(a.generator))
      fail(api, `argument 'generator' expected a paddle.Generator or an iterator of indices, but got ${describe(a.generator)}`);
    const n = this.num_samples;
    if (!Number.isInteger(n) || n <= 0) fail(api, `num_samples should be a positive integer, but got num_samples=${n}`);
  }
  /** The number of indices drawn. */
  get num_samples(): number {
    return this._num_samples ?? lenOf(this.data_source, 'paddle.io.RandomSampler', 'data_source');
  }
  override *__iter__(): Iterator<number> {
    const api = 'paddle.io.RandomSampler';
    const n = lenOf(this.data_source, api, 'data_source');
    const g = this.generator;
    if (g !== null && g !== undefined && !(g instanceof Generator)) {
      const it = toIterator<number>(g, api, 'generator');
      for (let i = 0; i < this.num_samples; i++) {
        const r = it.next();
        if (r.done) return;
        yield r.value;
      }
      return;
    }
    const gen = generatorArg(g, api);
    if (this.replacement) {
      const m = this.num_samples;
      for (let i = 0; i < m; i++) yield gen.int(n);
    } else {
      yield* permutation(n, gen);
    }
  }
  override __len__(): number {
    return this.num_samples;
  }
}

function isIterLike(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (typeof (v as Iterator<unknown>).next === 'function' || typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function');
}

/** Weights as rows of numbers (1-D weights: one row). */
function weightRows(w: unknown, api: string): number[][] {
  let flat: ArrayLike<number>;
  let dims: number[];
  if (w instanceof Tensor) {
    flat = toNumbers(w.data, w.dtype);
    dims = w.dims.slice();
  } else if (ArrayBuffer.isView(w) && !(w instanceof DataView) && !(w instanceof BigInt64Array)) {
    flat = w as unknown as ArrayLike<number>;
    dims = [flat.length];
  } else if (Array.isArray(w) && w.every((x) => typeof x === 'number')) {
    flat = w as number[];
    dims = [w.length];
  } else if (Array.isArray(w) && w.length > 0 && w.every((r) => Array.isArray(r) && r.length === (w[0] as unknown[]).length && r.every((x) => typeof x === 'number'))) {
    flat = (w as number[][]).flat();
    dims = [w.length, (w[0] as number[]).length];
  } else {
    return fail(api, `argument 'weights' expected a Tensor, a typed array or a list of numbers, but got ${describe(w)}`);
  }
  if (dims.length > 2 || dims.length === 0) fail(api, `weights should be a 1-D or 2-D array, but got shape [${dims}]`);
  const cols = dims[dims.length - 1];
  const rows: number[][] = [];
  for (let r = 0; r * cols < flat.length || (rows.length === 0 && cols === 0); r++) {
    rows.push(Array.from({ length: cols }, (_, j) => flat[r * cols + j]));
    if (cols === 0) break;
  }
  return rows;
}

const parseWeighted = parser('paddle.io.WeightedRandomSampler', [p('weights', T.any), p('num_samples', T.any), p('replacement', T.any, true)] as const);
/**
 * paddle.io.WeightedRandomSampler(weights, num_samples, replacement=True): draws
 * `num_samples` indices in [0, len(weights)) with probability proportional to `weights`
 * (with repeats when `replacement`). 2-D weights draw for each row, and the indices of all
 * rows are yielded one row after another.
 * @example new paddle.io.WeightedRandomSampler([0.1, 0.3, 0.5, 0.7, 0.2], 5)
 */
export class WeightedRandomSampler extends Sampler {
  weights: unknown;
  num_samples: number;
  replacement: boolean;
  constructor(
    ...args:
      | [weights: unknown, num_samples: number, replacement?: boolean]
      | [unknown, number, { replacement?: boolean }]
      | [unknown, { num_samples: number; replacement?: boolean }]
      | [{ weights: unknown; num_samples: number; replacement?: boolean }]
  ) {
    super();
    const api = 'paddle.io.WeightedRandomSampler';
    const a = parseWeighted(args);
    if (typeof a.num_samples !== 'number' || !Number.isInteger(a.num_samples) || a.num_samples <= 0)
      fail(api, `num_samples should be a positive integer, but got ${describe(a.num_samples)}`);
    if (typeof a.replacement !== 'boolean') fail(api, `replacement should be a boolean value, but got ${describe(a.replacement)}`);
    weightRows(a.weights, api);
    this.weights = a.weights;
    this.num_samples = a.num_samples;
    this.replacement = a.replacement;
  }
  override *__iter__(): Iterator<number> {
    const api = 'paddle.io.WeightedRandomSampler';
    const rows = weightRows(this.weights, api);
    const gen = generatorArg(null, api);
    const out: number[] = [];
    for (const w of rows) {
      if (w.some((x) => !(x >= 0) || x === Infinity)) fail(api, 'weights should be non-negative finite values (no NaN or INF)');
      const positive = w.filter((x) => x > 0).length;
      if (positive === 0) fail(api, 'weights should have positive values');
      if (!this.replacement && positive < this.num_samples)
        fail(api, `the number of positive weights (${positive}) should not be less than num_samples (${this.num_samples}) when replacement=False`);
      const left = w.slice();
      for (let s = 0; s < this.num_samples; s++) {
        let total = 0;
        for (const x of left) total += x;
        const u = gen.random() * total;
        let acc = 0;
        let pick = -1;
        for (let j = 0; j < left.length; j++) {
          if (left[j] <= 0) continue;
          acc += left[j];
          pick = j;
          if (u < acc) break;
        }
        out.push(pick);
        if (!this.replacement) left[pick] = 0;
      }
    }
    yield* out;
  }
  override __len__(): number {
    return this.num_samples * weightRows(this.weights, 'paddle.io.WeightedRandomSampler').length;
  }
}

const parseBatch = parser('paddle.io.BatchSampler', [
  p('dataset', T.any, null), p('sampler', T.any, null), p('shuffle', T.any, false), p('batch_size', T.any, 1), p('drop_last', T.any, false),
] as const);

function checkBatchSize(v: unknown, api: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(api, `batch_size should be a positive integer, but got ${describe(v)}`);
  return v;
}
function checkBool(v: unknown, api: string, arg: string): boolean {
  if (typeof v !== 'boolean') fail(api, `${arg} should be a boolean value, but got ${describe(v)}`);
  return v;
}

/**
 * paddle.io.BatchSampler(dataset=None, sampler=None, shuffle=False, batch_size=1,
 * drop_last=False): groups the indices of `sampler` (or of a SequenceSampler / RandomSampler
 * over `dataset`, by `shuffle`) into lists of `batch_size`; the last shorter batch is kept
 * unless `drop_last`. Subclasses with their own parameters may call `super()` with none.
 * @example for (const indices of new paddle.io.BatchSampler({ dataset, batch_size: 16 })) { ... }
 */
export class BatchSampler extends Sampler {
  sampler!: Sampler | Iterable<number>;
  batch_size!: number;
  drop_last!: boolean;
  constructor(
    ...args:
      | [dataset?: unknown, sampler?: unknown, shuffle?: boolean, batch_size?: number, drop_last?: boolean]
      | [...unknown[], { dataset?: unknown; sampler?: unknown; shuffle?: boolean; batch_size?: number; drop_last?: boolean }]
  ) {
    super();
    if (new.target !== BatchSampler && args.length === 0) return;
    const api = 'paddle.io.BatchSampler';
    const a = parseBatch(args);
    if (a.dataset === null) {
      if (a.sampler === null) fail(api, 'either dataset or sampler should be set');
      if (!(a.sampler instanceof Sampler) && !isIterLike(a.sampler))
        fail(api, `sampler should be a paddle.io.Sampler, but got ${describe(a.sampler)}`);
      if (a.shuffle !== false) fail(api, 'shuffle should be False when sampler is set');
      this.sampler = a.sampler as Sampler;
    } else {
      if (!(a.dataset instanceof Dataset) && !Array.isArray(a.dataset) && typeof (a.dataset as { __len__?: unknown })?.__len__ !== 'function')
        fail(api, `dataset should be a paddle.io.Dataset, but got ${describe(a.dataset)}`);
      if (a.dataset instanceof IterableDataset || (!(a.dataset instanceof Dataset) && isIterableDataset(a.dataset)))
        fail(api, 'dataset should not be a paddle.io.IterableDataset');
      if (a.sampler !== null) fail(api, 'should not set both dataset and sampler');
      const shuffle = checkBool(a.shuffle, api, 'shuffle');
      this.sampler = shuffle ? new RandomSampler(a.dataset) : new SequenceSampler(a.dataset);
    }
    this.batch_size = checkBatchSize(a.batch_size, api);
    this.drop_last = checkBool(a.drop_last, api, 'drop_last');
  }
  override *__iter__(): Iterator<number[]> {
    let batch: number[] = [];
    const it = iterate<number>(this.sampler, 'paddle.io.BatchSampler', 'the sampler');
    for (let r = it.next(); !r.done; r = it.next()) {
      batch.push(r.value);
      if (batch.length === this.batch_size) {
        yield batch;
        batch = [];
      }
    }
    if (!this.drop_last && batch.length > 0) yield batch;
  }
  override __len__(): number {
    let n = lenOf(this.sampler, 'paddle.io.BatchSampler', 'sampler');
    if (!this.drop_last) n += this.batch_size - 1;
    return Math.floor(n / this.batch_size);
  }
}

/** Batches of `batch_size` placeholders forever: what drives an IterableDataset (Paddle's _InfiniteIterableSampler). */
export class InfiniteIterableSampler {
  constructor(readonly dataset: unknown, readonly batch_size = 1) {}
  *[Symbol.iterator](): Iterator<null[]> {
    for (;;) yield new Array<null>(this.batch_size).fill(null);
  }
}

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n)) fail('paddle.io.DistributedBatchSampler', `environment variable ${name}=${v} is not an integer`);
  return n;
}

const parseDistributed = parser('paddle.io.DistributedBatchSampler', [
  p('dataset', T.any), p('batch_size', T.any), p('num_replicas', T.any, null), p('rank', T.any, null), p('shuffle', T.any, false), p('drop_last', T.any, false),
] as const);
/**
 * paddle.io.DistributedBatchSampler(dataset, batch_size, num_replicas=None, rank=None,
 * shuffle=False, drop_last=False): the batches of one replica (process) of `num_replicas`.
 * The indices are padded by repeating the first ones up to a multiple of `num_replicas`,
 * dealt out `batch_size` at a time to each rank in turn, and the last partial round is
 * split evenly. `num_replicas` and `rank` default to the PADDLE_TRAINERS_NUM and
 * PADDLE_TRAINER_ID environment variables (1 and 0). With `shuffle`, every replica draws
 * the same permutation, seeded by the epoch: call `set_epoch(epoch)` each epoch (the epoch
 * also advances by one after each shuffled pass, as in Paddle 2.0).
 * @example const bs = new paddle.io.DistributedBatchSampler(dataset, 64, { shuffle: true });
 */
export class DistributedBatchSampler extends BatchSampler {
  dataset: unknown;
  shuffle: boolean;
  nranks: number;
  local_rank: number;
  epoch: number;
  num_samples: number;
  total_size: number;
  constructor(
    ...args:
      | [dataset: unknown, batch_size: number, num_replicas?: number | null, rank?: number | null, shuffle?: boolean, drop_last?: boolean]
      | [unknown, number, ...unknown[], { num_replicas?: number | null; rank?: number | null; shuffle?: boolean; drop_last?: boolean }]
      | [unknown, { batch_size: number; num_replicas?: number | null; rank?: number | null; shuffle?: boolean; drop_last?: boolean }]
      | [{ dataset: unknown; batch_size: number; num_replicas?: number | null; rank?: number | null; shuffle?: boolean; drop_last?: boolean }]
  ) {
    super();
    const api = 'paddle.io.DistributedBatchSampler';
    const a = parseDistributed(args);
    this.dataset = a.dataset;
    this.batch_size = checkBatchSize(a.batch_size, api);
    this.shuffle = checkBool(a.shuffle, api, 'shuffle');
    this.drop_last = checkBool(a.drop_last, api, 'drop_last');
    if (a.num_replicas !== null) {
      if (typeof a.num_replicas !== 'number' || !Number.isInteger(a.num_replicas) || a.num_replicas <= 0)
        fail(api, `num_replicas should be a positive integer, but got ${describe(a.num_replicas)}`);
      this.nranks = a.num_replicas;
    } else this.nranks = envInt('PADDLE_TRAINERS_NUM', 1);
    if (a.rank !== null) {
      if (typeof a.rank !== 'number' || !Number.isInteger(a.rank) || a.rank < 0) fail(api, `rank should be a non-negative integer, but got ${describe(a.rank)}`);
      this.local_rank = a.rank;
    } else this.local_rank = envInt('PADDLE_TRAINER_ID', 0);
    if (this.local_rank >= this.nranks) fail(api, `rank (${this.local_rank}) should be less than num_replicas (${this.nranks})`);
    this.epoch = 0;
    this.num_samples = Math.ceil(lenOf(this.dataset, api) / this.nranks);
    this.total_size = this.num_samples * this.nranks;
    this.sampler = [];
  }
  override *__iter__(): Iterator<number[]> {
    const n = lenOf(this.dataset, 'paddle.io.DistributedBatchSampler');
    let indices: number[] = [];
    for (let i = 0; i < n; i++) indices.push(i);
    // pad by repeating from the start (cycling if the padding exceeds the dataset)
    for (let i = 0; indices.length < this.total_size; i++) indices.push(indices[i]);
    if (this.shuffle) {
      const perm = permutation(indices.length, new Generator(this.epoch));
      indices = perm.map((j) => indices[j]);
      this.epoch += 1;
    }
    if (this.nranks > 1) {
      const bs = this.batch_size;
      const lastBatch = this.total_size % (bs * this.nranks);
      const lastLocal = lastBatch / this.nranks;
      const sub: number[] = [];
      for (let i = this.local_rank * bs; i < indices.length - lastBatch; i += bs * this.nranks) sub.push(...indices.slice(i, i + bs));
      const tail = indices.slice(indices.length - lastBatch);
      sub.push(...tail.slice(this.local_rank * lastLocal, (this.local_rank + 1) * lastLocal));
      indices = sub;
    }
    let batch: number[] = [];
    for (const idx of indices) {
      batch.push(idx);
      if (batch.length === this.batch_size) {
        yield batch;
        batch = [];
      }
    }
    if (!this.drop_last && batch.length > 0) yield batch;
  }
  override __len__(): number {
    let n = this.num_samples;
    if (!this.drop_last) n += this.batch_size - 1;
    return Math.floor(n / this.batch_size);
  }
  /**
   * Sets the epoch, which seeds the shuffle: every replica shuffles the same way in an epoch,
   * and differently in the next.
   * @example for (let epoch = 0; epoch < 10; epoch++) { sampler.set_epoch(epoch); ... }
   */
  set_epoch(...args: [epoch: number] | [{ epoch: number }]): void {
    const a = parser('paddle.io.DistributedBatchSampler.set_epoch', [p('epoch', T.int)] as const)(args);
    this.epoch = a.epoch;
  }
}
