// Datasets for the DataLoader tests. They live in a module of their own (not a test file):
// worker threads import it to rebuild the datasets, as Python's spawn start method imports
// the module that defines a pickled class.
import * as paddle from '../../src/index.js';

/** Sample i: [features (Float32Array [i, i/2, i*i]), label i % 3, { id: i, name: 's<i>' }]. */
export class TableDataset extends paddle.io.Dataset {
  constructor(public n: number) {
    super();
  }
  override __getitem__(i: number) {
    return [new Float32Array([i, i / 2, i * i]), i % 3, { id: i, name: `s${i}` }];
  }
  override __len__() {
    return this.n;
  }
}

/** A helper class that a dataset holds: found through its static __module__. */
export class Scaler {
  static __module__ = import.meta.url;
  constructor(public factor: number) {}
  apply(x: number): number {
    return x * this.factor;
  }
}

/** Holds a Tensor and a Scaler: sample i is [data[i] scaled (a Tensor), i]. */
export class HolderDataset extends paddle.io.Dataset {
  data: paddle.Tensor;
  scaler: Scaler;
  constructor(n: number, factor: number) {
    super();
    this.data = paddle.arange(0, n * 2, 1, 'float32').reshape([n, 2]);
    this.scaler = new Scaler(factor);
  }
  override __getitem__(i: number) {
    return [this.data.getitem(i).scale(this.scaler.apply(1)), i];
  }
  override __len__() {
    return this.data.shape[0];
  }
}

/** __getitem__ burns CPU (a few ms per sample) and returns a small float32 vector. */
export class BurnDataset extends paddle.io.Dataset {
  constructor(public n: number, public work: number) {
    super();
  }
  override __getitem__(i: number) {
    let acc = i;
    for (let k = 0; k < this.work; k++) acc = (acc * 1103515245 + 12345) % 2147483647;
    return [new Float32Array([i, acc % 1000]), i];
  }
  override __len__() {
    return this.n;
  }
}

/** Throws on sample `bad`. */
export class FailingDataset extends paddle.io.Dataset {
  constructor(public n: number, public bad: number) {
    super();
  }
  override __getitem__(i: number) {
    if (i === this.bad) throw new RangeError(`sample ${i} is corrupted`);
    return [i];
  }
  override __len__() {
    return this.n;
  }
}

/** Sample i: [paddle.rand([2]) drawn in the loading thread, i]. */
export class RandDataset extends paddle.io.Dataset {
  constructor(public n: number) {
    super();
  }
  override __getitem__(i: number) {
    return [paddle.rand([2]), i];
  }
  override __len__() {
    return this.n;
  }
}

/** Yields start..end-1, split among workers with get_worker_info (Paddle's example). */
export class SplitRange extends paddle.io.IterableDataset {
  constructor(public start: number, public end: number) {
    super();
  }
  override *__iter__() {
    const info = paddle.io.get_worker_info();
    let lo = this.start;
    let hi = this.end;
    if (info !== null) {
      const per = Math.ceil((this.end - this.start) / info.num_workers);
      lo = this.start + info.id * per;
      hi = Math.min(lo + per, this.end);
    }
    for (let i = lo; i < hi; i++) yield [i];
  }
}

/** Reports what get_worker_info() says in the loading thread. */
export class InfoDataset extends paddle.io.Dataset {
  constructor(public n: number) {
    super();
  }
  override __getitem__(i: number) {
    const info = paddle.io.get_worker_info();
    return { i, worker: info === null ? -1 : info.id, workers: info === null ? 0 : info.num_workers, same: info !== null && info.dataset instanceof InfoDataset };
  }
  override __len__() {
    return this.n;
  }
}

/** A collate_fn that can go to workers: sums the labels of [x, label] samples. */
export function sumLabels(batch: [unknown, number][]): [paddle.Tensor, number] {
  return [paddle.to_tensor(batch.map((s) => s[1])), batch.reduce((a, s) => a + s[1], 0)];
}
sumLabels.__module__ = import.meta.url;

/** A worker_init_fn that can go to workers: marks the worker's dataset copy. */
export function markWorker(id: number): void {
  const info = paddle.io.get_worker_info()!;
  (info.dataset as MarkedDataset).mark = 100 * (id + 1);
}
markWorker.__module__ = import.meta.url;

export class MarkedDataset extends paddle.io.Dataset {
  mark = 0;
  constructor(public n: number) {
    super();
  }
  override __getitem__(i: number) {
    return [i, this.mark];
  }
  override __len__() {
    return this.n;
  }
}

/** A worker_init_fn that throws. */
export function badInit(id: number): void {
  throw new TypeError(`init of worker ${id} refused`);
}
badInit.__module__ = import.meta.url;

/** Holds a closure: cannot be rebuilt in a worker. */
export class ClosureDataset extends paddle.io.Dataset {
  f = (i: number) => i * 10;
  constructor(public n: number) {
    super();
  }
  override __getitem__(i: number) {
    return [this.f(i)];
  }
  override __len__() {
    return this.n;
  }
}

/** Not exported by name (a class expression bound to another name): the worker cannot find it. */
const Hidden = class HiddenDataset extends paddle.io.Dataset {
  override __getitem__(i: number) {
    return [i];
  }
  override __len__() {
    return 4;
  }
};
export const makeHidden = () => new Hidden();

/** Sleeps `ms` per sample (to test the timeout). */
export class SlowDataset extends paddle.io.Dataset {
  constructor(public n: number, public ms: number) {
    super();
  }
  override __getitem__(i: number) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, this.ms);
    return [i];
  }
  override __len__() {
    return this.n;
  }
}

/** Sample i: [transform(an HWC image filled with 10 i), i] (the transform is data the workers rebuild). */
export class ImageDataset extends paddle.io.Dataset {
  constructor(public n: number, public transform: ((img: paddle.Tensor) => paddle.Tensor) | null) {
    super();
  }
  override __getitem__(i: number) {
    const img = paddle.full([2, 2, 1], i * 10, 'float32');
    return [this.transform ? this.transform(img) : img, i];
  }
  override __len__() {
    return this.n;
  }
}
