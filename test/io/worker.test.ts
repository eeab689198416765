// DataLoader with worker threads: the same batches as in-process loading, worker info and
// seeds, worker_init_fn / collate_fn, iterable datasets split among workers, errors re-thrown
// with the worker id, the fallback to in-process loading, and (measured, not asserted) the
// speed-up on a CPU-bound dataset.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertThrows } from '../helpers/assert.js';
import {
  BurnDataset, ClosureDataset, FailingDataset, HolderDataset, ImageDataset, InfoDataset, MarkedDataset, RandDataset, SlowDataset, SplitRange,
  TableDataset, badInit, makeHidden, markWorker, sumLabels,
} from './fixtures.js';

const { io } = paddle;

/** A batch as plain data (Tensors as {shape, dtype, values}) to compare loaders. */
function plain(v: unknown): unknown {
  if (v instanceof paddle.Tensor) return { shape: v.shape, dtype: v.dtype, values: v.tolist() };
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, plain(x)]));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}
const all = (loader: Iterable<unknown>) => [...loader].map(plain);

const settle = () => new Promise((r) => setImmediate(r));

/** Runs fn and returns the process warnings it caused (emitWarning delivers them on a later tick). */
async function warningsOf(fn: () => void): Promise<string[]> {
  const seen: string[] = [];
  const on = (w: Error) => seen.push(w.message);
  process.on('warning', on);
  try {
    fn();
    await settle();
  } finally {
    process.off('warning', on);
  }
  return seen;
}

test('workers load the same batches as the main thread (nested samples, strings, held Tensors)', () => {
  for (const ds of [new TableDataset(9), new HolderDataset(5, 3)]) {
    const single = all(new io.DataLoader(ds, { batch_size: 2 }));
    const multi = all(new io.DataLoader(ds, { batch_size: 2, num_workers: 2 }));
    assert.deepEqual(multi, single);
  }
  // a dataset class from paddle itself, holding Tensors
  const td = new io.TensorDataset([paddle.arange(0, 12, 1, 'float32').reshape([6, 2]), paddle.to_tensor([[0], [1], [2], [3], [4], [5]])]);
  assert.deepEqual(all(new io.DataLoader(td, { batch_size: 4, num_workers: 3 })), all(new io.DataLoader(td, { batch_size: 4 })));
  // drop_last, batch_size=None
  assert.deepEqual(all(new io.DataLoader(new TableDataset(7), { batch_size: 3, drop_last: true, num_workers: 2 })), all(new io.DataLoader(new TableDataset(7), { batch_size: 3, drop_last: true })));
  assert.deepEqual(all(new io.DataLoader(new TableDataset(3), { batch_size: null, num_workers: 2 })), all(new io.DataLoader(new TableDataset(3), { batch_size: null })));
});

test('vision transforms held by a dataset are rebuilt in the workers; a Layer is not', async () => {
  const T = paddle.vision.transforms;
  const t = new T.Compose([new T.Normalize({ mean: [127.5], std: [127.5] }), new T.Transpose()]);
  const expected = all(new io.DataLoader(new ImageDataset(4, t), { batch_size: 2 }));
  const w = await warningsOf(() => assert.deepEqual(all(new io.DataLoader(new ImageDataset(4, t), { batch_size: 2, num_workers: 2 })), expected));
  assert.deepEqual(w, []);
  assert.deepEqual((expected[0] as { shape: number[] }[])[0].shape, [2, 1, 2, 2]);
  const layer = new paddle.nn.ReLU();
  const w2 = await warningsOf(() => all(new io.DataLoader(new ImageDataset(2, layer as never), { num_workers: 2 })));
  assert.equal(w2.length, 1);
  assert.match(w2[0], /the dataset\.transform is .* behind a Proxy \(such as a paddle\.nn\.Layer\)/);
});

test('shuffle with workers: the same order as in-process under the same paddle.seed', () => {
  const ds = new TableDataset(12);
  paddle.seed(7);
  const single = all(new io.DataLoader(ds, { batch_size: 5, shuffle: true }));
  paddle.seed(7);
  const multi = all(new io.DataLoader(ds, { batch_size: 5, shuffle: true, num_workers: 2 }));
  assert.deepEqual(multi, single);
});

test('get_worker_info: null in the main thread, { id, num_workers, dataset, seed } in a worker', () => {
  assert.equal(io.get_worker_info(), null);
  const batches = [...new io.DataLoader(new InfoDataset(8), { batch_size: 2, num_workers: 2 })];
  // batches go to the workers round-robin
  assert.deepEqual(batches.map((b) => b.worker.tolist()), [[0, 0], [1, 1], [0, 0], [1, 1]]);
  assert.ok(batches.every((b) => b.workers.tolist().every((n: number) => n === 2)));
  assert.ok(batches.every((b) => b.same.tolist().every(Boolean)));
  assert.deepEqual(batches.flatMap((b) => b.i.tolist()), [0, 1, 2, 3, 4, 5, 6, 7]);
  const inProcess = [...new io.DataLoader(new InfoDataset(2), { batch_size: 2 })];
  assert.deepEqual(inProcess[0].worker.tolist(), [-1, -1]);
});

test('worker seeds: different per worker, repeatable under paddle.seed', () => {
  const run = () => [...new io.DataLoader(new RandDataset(4), { batch_size: 1, num_workers: 2 })].map((b) => b[0].tolist()[0]);
  paddle.seed(123);
  const a = run();
  paddle.seed(123);
  const b = run();
  assert.deepEqual(a, b);
  // samples 0 and 1 were drawn first by worker 0 and worker 1: different streams
  assert.notDeepEqual(a[0], a[1]);
  // another epoch of the same loader draws other numbers
  const loader = new io.DataLoader(new RandDataset(2), { batch_size: 1, num_workers: 1 });
  const e1 = [...loader].map((x) => x[0].tolist());
  const e2 = [...loader].map((x) => x[0].tolist());
  assert.notDeepEqual(e1, e2);
});

test('worker_init_fn and collate_fn exported from a module run in the workers', async () => {
  const marked = [...new io.DataLoader(new MarkedDataset(4), { batch_size: 2, num_workers: 2, worker_init_fn: markWorker })];
  assert.deepEqual(marked.map((b) => b[1].tolist()), [[100, 100], [200, 200]]);
  // the next iterator (epoch) rebuilds the dataset and runs worker_init_fn again, on a fresh copy
  const again = new io.DataLoader(new MarkedDataset(4), { batch_size: 2, num_workers: 2, worker_init_fn: markWorker });
  assert.deepEqual([...again].map((b) => b[1].tolist()), [[100, 100], [200, 200]]);
  assert.deepEqual([...again].map((b) => b[1].tolist()), [[100, 100], [200, 200]]);
  assert.deepEqual([...new io.DataLoader(new MarkedDataset(4), { batch_size: 2, num_workers: 2 })].map((b) => b[1].tolist()), [[0, 0], [0, 0]]);
  const sums = [...new io.DataLoader(new TableDataset(6), { batch_size: 3, num_workers: 2, collate_fn: sumLabels as never })];
  assert.deepEqual(sums.map((b) => b[1]), [3, 3]);
  assert.deepEqual(sums.map((b) => b[0].tolist()), [[0, 1, 2], [0, 1, 2]]);
  // a closure collate_fn cannot go to the workers: it runs in the main thread, same result, no warning
  let calls = 0;
  const local = (batch: [Float32Array, number][]) => {
    calls++;
    return batch.map((s) => s[1]);
  };
  const w = await warningsOf(() => {
    const out = [...new io.DataLoader(new TableDataset(6), { batch_size: 3, num_workers: 2, collate_fn: local })];
    assert.deepEqual(out, [[0, 1, 2], [0, 1, 2]]);
  });
  assert.equal(calls, 2);
  assert.deepEqual(w, []);
});

test('IterableDataset with workers: each worker iterates its own copy, split with get_worker_info', () => {
  const out = [...new io.DataLoader(new SplitRange(2, 9), { batch_size: 1, num_workers: 2 })].map((b) => b[0].tolist()[0]);
  // worker 0 yields 2..5, worker 1 yields 6..8; batches alternate between them
  assert.deepEqual(out, [2, 6, 3, 7, 4, 8, 5]);
  const pairs = [...new io.DataLoader(new SplitRange(0, 7), { batch_size: 2, num_workers: 2 })].map((b) => b[0].tolist());
  assert.deepEqual(pairs, [[0, 1], [4, 5], [2, 3], [6]]);
  const dropped = [...new io.DataLoader(new SplitRange(0, 7), { batch_size: 2, num_workers: 2, drop_last: true })].map((b) => b[0].tolist());
  assert.deepEqual(dropped, [[0, 1], [4, 5], [2, 3]]);
});

test('an error in a worker is re-thrown with its class, message, worker id and stack', () => {
  const loader = new io.DataLoader(new FailingDataset(8, 5), { batch_size: 2, num_workers: 2 });
  const got: number[][] = [];
  let err: unknown;
  try {
    for (const b of loader) got.push(b[0].tolist());
  } catch (e) {
    err = e;
  }
  assert.deepEqual(got, [[0, 1], [2, 3]]);
  assert.ok(err instanceof RangeError, `got ${String(err)}`);
  assert.match(err.message, /DataLoader worker 0 failed to load a batch: sample 5 is corrupted/);
  assert.equal((err as { worker_id?: number }).worker_id, 0);
  assert.match(err.stack!, /\[stack in worker 0\][\s\S]*FailingDataset\.__getitem__[\s\S]*fixtures\.ts/);
  // worker_init_fn failures
  assertThrows(() => [...new io.DataLoader(new TableDataset(4), { num_workers: 2, worker_init_fn: badInit })], TypeError, /DataLoader worker \d failed to start: worker_init_fn failed: init of worker \d refused/);
  // the same in the main thread: the original error
  assertThrows(() => [...new io.DataLoader(new FailingDataset(8, 5), { batch_size: 2 })], RangeError, /^sample 5 is corrupted$/);
});

test('the timeout bounds the wait for a batch', () => {
  const loader = new io.DataLoader(new SlowDataset(2, 3000), { batch_size: 1, num_workers: 1, timeout: 0.3 });
  assertThrows(() => [...loader], paddle.errors.ExecutionTimeoutError, /timed out after 0\.3 s waiting for batch 0/);
});

test('a dataset class a worker cannot find: one warning per loader, then loading in the main thread', async () => {
  const hidden = new io.DataLoader(makeHidden(), { batch_size: 2, num_workers: 2 });
  const expected = all(new io.DataLoader(makeHidden(), { batch_size: 2 }));
  const w = await warningsOf(() => {
    assert.deepEqual(all(hidden), expected);
    assert.deepEqual(all(hidden), expected);
  });
  assert.equal(w.length, 1, w.join('\n'));
  assert.match(w[0], /num_workers=2, but worker \d cannot rebuild the dataset: HiddenDataset is not exported by .*fixtures\.ts/);
  assert.match(w[0], /loading in the main thread instead/);
});

test('closure fields are refused before any worker starts (the message names the field)', async () => {
  let out: unknown[] = [];
  const w = await warningsOf(() => {
    out = all(new io.DataLoader(new ClosureDataset(4), { batch_size: 2, num_workers: 2 }));
  });
  assert.deepEqual(out, all(new io.DataLoader(new ClosureDataset(4), { batch_size: 2 })));
  assert.equal(w.length, 1);
  assert.match(w[0], /the dataset\.f: function f cannot be found by a worker thread/);
});

/** Defined in the test file, which is the main script: importing it in a worker would run the tests again. */
class LocalDataset extends io.Dataset {
  override __getitem__(i: number) {
    return [i];
  }
  override __len__() {
    return 4;
  }
}

test('a dataset class defined in the main script is not imported by workers', async () => {
  let out: unknown[] = [];
  const w = await warningsOf(() => {
    out = [...new io.DataLoader(new LocalDataset(), { batch_size: 2, num_workers: 2 })].map((b) => b[0].tolist());
  });
  assert.deepEqual(out, [[0, 1], [2, 3]]);
  assert.equal(w.length, 1);
  assert.match(w[0], /class LocalDataset is defined in the main script .*worker\.test\.ts.*move it to a module of its own/);
});

test('breaking out of a loop stops the workers', () => {
  const loader = new io.DataLoader(new TableDataset(40), { batch_size: 2, num_workers: 2 });
  let n = 0;
  for (const b of loader) {
    n += b[1].shape[0];
    if (n >= 4) break;
  }
  assert.equal(n, 4);
  // the loader still works afterwards
  assert.equal([...loader].length, 20);
});

test('speed-up of worker threads on a CPU-bound __getitem__ (measured, not asserted)', (t) => {
  const ds = new BurnDataset(48, 1_000_000);
  const time = (workers: number) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let n = 0;
    for (const b of new io.DataLoader(ds, { batch_size: 4, num_workers: workers })) n += b[1].shape[0];
    assert.equal(n, 48);
    const c = process.cpuUsage(c0);
    const wall = performance.now() - t0;
    return { wall, cpu: (c.user + c.system) / 1000 / wall };
  };
  time(0);
  const a = time(0);
  const b = time(2);
  t.diagnostic(
    `BurnDataset(48 samples, 1e6 steps each): num_workers=0 ${a.wall.toFixed(0)} ms (CPU/wall ${a.cpu.toFixed(2)}), ` +
      `num_workers=2 ${b.wall.toFixed(0)} ms (CPU/wall ${b.cpu.toFixed(2)}), speed-up x${(a.wall / b.wall).toFixed(2)}`,
  );
});
