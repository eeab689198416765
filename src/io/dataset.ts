// paddle.io datasets (python/paddle/fluid/dataloader/dataset.py at 2.0): Dataset,
// IterableDataset, TensorDataset, ComposeDataset, ChainDataset, Subset and random_split.
//
// A map-style dataset defines Paddle's own method names `__getitem__(idx)` and `__len__()`;
// an iterable dataset defines `__iter__()` (a generator method is simplest) or
// `[Symbol.iterator]()`. Datasets are iterable with for...of either way. Where Paddle takes
// "a dataset" (Subset, random_split, samplers), a JS array also works, as a Python list or
// range does.
import { makeParser, p, type ArgsOf, type Param } from '../core/args.js';
import { T } from '../core/convert.js';
import { describe, fail, InvalidArgumentError, OutOfRangeError, PreconditionNotMetError, UnimplementedError } from '../core/errors.js';
import { defaultGenerator, Generator } from '../core/random.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { noteClassModule } from './transfer.js';

type AnyParam = Param<string, any, any, boolean>;
/** A parser for a class constructor's Paddle parameters (positional + trailing keywords). */
export function parser<const P extends readonly AnyParam[]>(api: string, params: P): (args: readonly unknown[]) => ArgsOf<P> {
  const parse = makeParser(api, params);
  return (args) => parse(args) as ArgsOf<P>;
}

/** Something with a length: a Dataset, a Sampler, an array (Python list/range), a Tensor. */
export type Sized = { __len__(): number } | ArrayLike<unknown> | Tensor;

/** Python's len() for datasets and samplers. */
export function lenOf(ds: unknown, api: string, arg = 'dataset'): number {
  if (ds instanceof Tensor) return ds.dims[0] ?? 1;
  if (ds !== null && (typeof ds === 'object' || typeof ds === 'function')) {
    const f = (ds as { __len__?: unknown }).__len__;
    if (typeof f === 'function') {
      const n = (f as () => unknown).call(ds);
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        fail(api, `${arg}.__len__() must return a non-negative integer, but returned ${describe(n)}`);
      return n;
    }
    if (Array.isArray(ds) || ArrayBuffer.isView(ds)) return (ds as ArrayLike<unknown>).length;
  }
  return fail(api, `argument '${arg}' has no length: expected a Dataset (with __len__), a Sampler or an array, but got ${describe(ds)}`);
}

/** Python's dataset[idx]. */
export function getItem(ds: unknown, idx: unknown, api: string): unknown {
  if (ds !== null && (typeof ds === 'object' || typeof ds === 'function')) {
    const f = (ds as { __getitem__?: unknown }).__getitem__;
    if (typeof f === 'function') return (f as (i: unknown) => unknown).call(ds, idx);
    if (Array.isArray(ds) || (ArrayBuffer.isView(ds) && !(ds instanceof DataView))) {
      const a = ds as ArrayLike<unknown>;
      if (typeof idx !== 'number' || !Number.isInteger(idx)) fail(api, `index must be an integer, but got ${describe(idx)}`);
      const i = idx < 0 ? idx + a.length : idx;
      if (i < 0 || i >= a.length) fail(api, `index ${idx} is out of range for a dataset of length ${a.length}`, OutOfRangeError);
      return a[i];
    }
  }
  return fail(api, `the dataset ${describe(ds)} has no __getitem__`);
}

/** Iterates what `__iter__()` / `[Symbol.iterator]()` returns (an iterator, a generator or an iterable). */
export function toIterator<T = unknown>(v: unknown, api: string, what: string): Iterator<T> {
  if (v !== null && typeof v === 'object') {
    if (typeof (v as Iterator<T>).next === 'function') return v as Iterator<T>;
    const it = (v as Iterable<T>)[Symbol.iterator];
    if (typeof it === 'function') return it.call(v);
  }
  return fail(api, `${what} must return an iterator or an iterable, but returned ${describe(v)}`);
}

/**
 * Starts iterating an iterable dataset or sampler: its `[Symbol.iterator]()` when defined by a
 * subclass, else its `__iter__()`.
 */
export function iterate<T = unknown>(obj: unknown, api: string, what = 'the dataset'): Iterator<T> {
  if (obj !== null && (typeof obj === 'object' || typeof obj === 'function')) {
    const o = obj as { __iter__?: () => unknown; [Symbol.iterator]?: () => unknown };
    const si = o[Symbol.iterator];
    if (typeof si === 'function' && !BASE_ITERATORS.has(si)) return toIterator<T>(si.call(obj), api, `${what}[Symbol.iterator]()`);
    if (typeof o.__iter__ === 'function') return toIterator<T>(o.__iter__(), api, `${what}.__iter__()`);
    if (typeof si === 'function') return toIterator<T>(si.call(obj), api, `${what}[Symbol.iterator]()`);
  }
  return fail(api, `${what} is not iterable: expected an object with __iter__() or [Symbol.iterator](), but got ${describe(obj)}`);
}
/** The [Symbol.iterator] methods of the base classes, which delegate to __iter__/__getitem__. */
export const BASE_ITERATORS = new Set<Function>();

/**
 * paddle.io.Dataset: the base of map-style datasets. Subclasses define `__getitem__(idx)`
 * (one sample: a Tensor, a typed array, a number, or an array / plain object of those) and
 * `__len__()`. A dataset is iterable with for...of (samples 0 .. len-1).
 *
 * For `DataLoader(num_workers > 0)` the dataset is rebuilt in each worker thread as Python
 * pickles it: its class must be exported from a module file (not the main script) and its
 * fields must be data (numbers, strings, arrays, plain objects, typed arrays, Tensors) or
 * instances of such classes; see DataLoader.
 * @example
 * class RandomDataset extends paddle.io.Dataset {
 *   constructor(public num_samples: number) { super(); }
 *   __getitem__(idx: number) { return [paddle.rand([784]), idx % 10]; }
 *   __len__() { return this.num_samples; }
 * }
 */
export class Dataset {
  constructor() {
    noteClassModule(new.target);
  }
  /** One sample. */
  __getitem__(idx: number): unknown {
    return fail('paddle.io.Dataset', `'__getitem__' not implemented in class ${this.constructor.name} (idx ${describe(idx)})`, UnimplementedError);
  }
  /** The number of samples. */
  __len__(): number {
    return fail('paddle.io.Dataset', `'__len__' not implemented in class ${this.constructor.name}`, UnimplementedError);
  }
  /** Samples 0 .. len-1 (Python iterates a Dataset through __getitem__). */
  *[Symbol.iterator](): Iterator<unknown> {
    const n = lenOf(this, 'paddle.io.Dataset');
    for (let i = 0; i < n; i++) yield getItem(this, i, 'paddle.io.Dataset');
  }
}
BASE_ITERATORS.add(Dataset.prototype[Symbol.iterator]);

/**
 * paddle.io.IterableDataset: the base of iterable-style datasets. Subclasses define
 * `__iter__()` (e.g. `*__iter__() { yield ... }`) or `[Symbol.iterator]()`; they have no
 * `__getitem__`/`__len__`. With `num_workers > 0` every worker iterates its own copy, so
 * split the work with `paddle.io.get_worker_info()` as in Paddle.
 * @example
 * class Range extends paddle.io.IterableDataset {
 *   constructor(public start: number, public end: number) { super(); }
 *   *__iter__() { for (let i = this.start; i < this.end; i++) yield i; }
 * }
 */
export class IterableDataset extends Dataset {
  /** The samples, in order. */
  __iter__(): Iterator<unknown> | Iterable<unknown> {
    return fail('paddle.io.IterableDataset', `'__iter__' not implemented in class ${this.constructor.name}`, UnimplementedError);
  }
  override __getitem__(idx: number): unknown {
    return fail('paddle.io.IterableDataset', `'__getitem__' should not be called for IterableDataset ${this.constructor.name} (idx ${describe(idx)})`, PreconditionNotMetError);
  }
  override __len__(): number {
    return fail('paddle.io.IterableDataset', `'__len__' should not be called for IterableDataset ${this.constructor.name}`, PreconditionNotMetError);
  }
  override [Symbol.iterator](): Iterator<unknown> {
    return toIterator(this.__iter__(), 'paddle.io.IterableDataset', `${this.constructor.name}.__iter__()`);
  }
}
BASE_ITERATORS.add(IterableDataset.prototype[Symbol.iterator]);

/** Whether `ds` is iterable-style (an IterableDataset, or a non-Dataset object with __iter__ and no __getitem__). */
export function isIterableDataset(ds: unknown): boolean {
  if (ds instanceof IterableDataset) return true;
  if (ds instanceof Dataset) return false;
  const o = ds as { __getitem__?: unknown; __iter__?: unknown } | null;
  return !!o && typeof o === 'object' && typeof o.__getitem__ !== 'function' && typeof o.__iter__ === 'function';
}

const parseTensorDataset = parser('paddle.io.TensorDataset', [p('tensors', T.tensors)] as const);
/**
 * paddle.io.TensorDataset(tensors): sample i is `[t[i] for t of tensors]`, indexing every
 * tensor along its first dimension (all tensors must have the same first dimension; a 1-D
 * tensor gives shape-[1] samples, as Paddle 2.0's indexing does). Dygraph mode only.
 * @example
 * const ds = new paddle.io.TensorDataset([paddle.rand([4, 3]), paddle.to_tensor([[0], [1], [0], [1]])]);
 * const [x, y] = ds.__getitem__(0); // shapes [3] and [1]
 */
export class TensorDataset extends Dataset {
  tensors: Tensor[];
  constructor(...args: [tensors: readonly Tensor[]] | [{ tensors: readonly Tensor[] }]) {
    super();
    const a = parseTensorDataset(args);
    const api = 'paddle.io.TensorDataset';
    if (state.staticMode) fail(api, 'TensorDataset can only be used in dynamic graph mode', PreconditionNotMetError);
    if (a.tensors.length === 0) fail(api, "argument 'tensors' must hold at least one Tensor");
    const n = a.tensors[0].dims[0];
    a.tensors.forEach((t, i) => {
      if (t.dims.length === 0 || t.dims[0] !== n)
        fail(api, `tensors do not have the same size in the 1st dimension: tensors[0] has shape [${a.tensors[0].dims}] and tensors[${i}] has shape [${t.dims}]`);
    });
    this.tensors = a.tensors;
  }
  override __getitem__(index: number): Tensor[] {
    const n = this.__len__();
    if (typeof index !== 'number' || !Number.isInteger(index)) fail('paddle.io.TensorDataset', `index must be an integer, but got ${describe(index)}`);
    if (index < -n || index >= n) fail('paddle.io.TensorDataset', `index ${index} is out of range for a dataset of length ${n}`, OutOfRangeError);
    return this.tensors.map((t) => (t as unknown as { getitem(i: number): Tensor }).getitem(index));
  }
  override __len__(): number {
    return this.tensors[0].dims[0];
  }
}

function toList(v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

const parseCompose = parser('paddle.io.ComposeDataset', [p('datasets', T.any)] as const);
/**
 * paddle.io.ComposeDataset(datasets): joins the fields of map-style datasets of the same
 * length; sample i is the concatenation of each dataset's sample i (as a list of fields).
 * @example const ds = new paddle.io.ComposeDataset([a, b]); const [img1, lbl1, img2, lbl2] = ds.__getitem__(0);
 */
export class ComposeDataset extends Dataset {
  datasets: Dataset[];
  constructor(...args: [datasets: Iterable<Dataset>] | [{ datasets: Iterable<Dataset> }]) {
    super();
    const api = 'paddle.io.ComposeDataset';
    const raw = parseCompose(args).datasets;
    if (raw === null || typeof raw !== 'object' || typeof (raw as Iterable<unknown>)[Symbol.iterator] !== 'function')
      fail(api, `argument 'datasets' expected a list of Datasets, but got ${describe(raw)}`);
    this.datasets = [...(raw as Iterable<Dataset>)];
    if (this.datasets.length === 0) fail(api, 'input datasets should not be empty');
    this.datasets.forEach((d, i) => {
      if (!(d instanceof Dataset)) fail(api, `each input dataset should be a paddle.io.Dataset, but datasets[${i}] is ${describe(d)}`);
      if (d instanceof IterableDataset) fail(api, `paddle.io.IterableDataset is not supported (datasets[${i}])`);
      if (i > 0 && lenOf(d, api) !== lenOf(this.datasets[i - 1], api))
        fail(api, `lengths of datasets should be the same, but datasets[${i - 1}] has ${lenOf(this.datasets[i - 1], api)} samples and datasets[${i}] has ${lenOf(d, api)}`);
    });
  }
  override __len__(): number {
    return lenOf(this.datasets[0], 'paddle.io.ComposeDataset');
  }
  override __getitem__(idx: number): unknown[] {
    const sample: unknown[] = [];
    for (const d of this.datasets) sample.push(...toList(getItem(d, idx, 'paddle.io.ComposeDataset')));
    return sample;
  }
}

const parseChain = parser('paddle.io.ChainDataset', [p('datasets', T.any)] as const);
/**
 * paddle.io.ChainDataset(datasets): iterates several iterable-style datasets one after another.
 * @example for (const [img, lbl] of new paddle.io.ChainDataset([a, b])) { ... }
 */
export class ChainDataset extends IterableDataset {
  datasets: IterableDataset[];
  constructor(...args: [datasets: Iterable<IterableDataset>] | [{ datasets: Iterable<IterableDataset> }]) {
    super();
    const api = 'paddle.io.ChainDataset';
    const raw = parseChain(args).datasets;
    if (raw === null || typeof raw !== 'object' || typeof (raw as Iterable<unknown>)[Symbol.iterator] !== 'function')
      fail(api, `argument 'datasets' expected a list of IterableDatasets, but got ${describe(raw)}`);
    this.datasets = [...(raw as Iterable<IterableDataset>)];
    if (this.datasets.length === 0) fail(api, 'input datasets should not be empty');
    this.datasets.forEach((d, i) => {
      if (!(d instanceof IterableDataset)) fail(api, `ChainDataset only supports paddle.io.IterableDataset, but datasets[${i}] is ${describe(d)}`);
    });
  }
  override *__iter__(): Iterator<unknown> {
    for (const d of this.datasets) {
      const it = iterate(d, 'paddle.io.ChainDataset');
      for (let r = it.next(); !r.done; r = it.next()) yield r.value;
    }
  }
}

/** Indices given as an array, a typed array or an int Tensor, as numbers. */
function indexList(v: unknown, api: string, arg: string): number[] {
  if (v instanceof Tensor) {
    if (v.dtype !== 'int32' && v.dtype !== 'int64') fail(api, `argument '${arg}' as a Tensor must be int32 or int64, but got ${v.dtype}`);
    return (v.flatValues() as unknown[]).map(Number);
  }
  if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    const out = Array.from(v as ArrayLike<unknown>, (x) => (typeof x === 'bigint' ? Number(x) : x));
    if (out.every((x) => typeof x === 'number' && Number.isInteger(x))) return out as number[];
  }
  return fail(api, `argument '${arg}' expected a list of integers, but got ${describe(v)}`);
}

const parseSubset = parser('paddle.io.Subset', [p('dataset', T.any), p('indices', T.any)] as const);
/**
 * paddle.io.Subset(dataset, indices): the samples of `dataset` at `indices` (repeats allowed).
 * @example new paddle.io.Subset([1, 2, 3], [0, 2]) // samples 1, 3
 */
export class Subset extends Dataset {
  dataset: unknown;
  indices: number[];
  constructor(...args: [dataset: unknown, indices: readonly number[] | Tensor] | [unknown, { indices: readonly number[] | Tensor }] | [{ dataset: unknown; indices: readonly number[] | Tensor }]) {
    super();
    const a = parseSubset(args);
    this.dataset = a.dataset;
    this.indices = indexList(a.indices, 'paddle.io.Subset', 'indices');
  }
  override __getitem__(idx: number): unknown {
    const n = this.indices.length;
    if (typeof idx !== 'number' || !Number.isInteger(idx)) fail('paddle.io.Subset', `index must be an integer, but got ${describe(idx)}`);
    if (idx < -n || idx >= n) fail('paddle.io.Subset', `index ${idx} is out of range for a Subset of length ${n}`, OutOfRangeError);
    return getItem(this.dataset, this.indices[idx < 0 ? idx + n : idx], 'paddle.io.Subset');
  }
  override __len__(): number {
    return this.indices.length;
  }
}

/** A uniformly random permutation of 0..n-1 drawn from `gen` (Fisher-Yates). */
export function permutation(n: number, gen: Generator): number[] {
  const a = new Array<number>(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = gen.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** A paddle Generator argument (null: the default generator that paddle.seed reseeds). */
export function generatorArg(v: unknown, api: string): Generator {
  if (v === null || v === undefined) return defaultGenerator;
  if (v instanceof Generator) return v;
  return fail(api, `argument 'generator' expected a paddle.Generator or None, but got ${describe(v)}`);
}

/**
 * paddle.io.random_split(dataset, lengths, generator=None): splits a dataset into
 * non-overlapping Subsets of the given lengths, from a random permutation drawn from
 * `generator` (default: the generator `paddle.seed` reseeds). As later Paddle releases do,
 * `lengths` may also be fractions summing to 1 (the remainder is spread round-robin).
 * @example const [train, val] = paddle.io.random_split(dataset, [8, 2]);
 */
export function random_split(...args: unknown[]): Subset[] {
  const api = 'paddle.io.random_split';
  const a = parser(api, [p('dataset', T.any), p('lengths', T.any), p('generator', T.any, null)] as const)(args);
  const gen = generatorArg(a.generator, api);
  const n = lenOf(a.dataset, api);
  const raw = a.lengths;
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((x) => typeof x === 'number' && x >= 0))
    fail(api, `argument 'lengths' expected a non-empty list of non-negative numbers, but got ${describe(raw)}`);
  let lengths = raw as number[];
  const total = lengths.reduce((s, x) => s + x, 0);
  if (!lengths.every(Number.isInteger) && Math.abs(total - 1) < 1e-9 && lengths.every((x) => x <= 1)) {
    lengths = lengths.map((f) => Math.floor(n * f));
    let rest = n - lengths.reduce((s, x) => s + x, 0);
    for (let i = 0; rest > 0; i = (i + 1) % lengths.length, rest--) lengths[i]++;
  } else if (!lengths.every(Number.isInteger)) {
    fail(api, `argument 'lengths' must be integers (or fractions summing to 1), but got ${describe(raw)}`);
  }
  const sum = lengths.reduce((s, x) => s + x, 0);
  if (sum !== n) fail(api, `sum of input lengths (${sum}) does not equal the length of the input dataset (${n})`, InvalidArgumentError);
  const perm = permutation(n, gen);
  const out: Subset[] = [];
  let offset = 0;
  for (const len of lengths) {
    out.push(new Subset(a.dataset, perm.slice(offset, offset + len)));
    offset += len;
  }
  return out;
}
