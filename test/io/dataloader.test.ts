// paddle.io.DataLoader in the main thread: batch composition, drop_last, len, shuffling under
// paddle.seed, the default collate of nested samples, batch_size=None, batch_sampler,
// IterableDataset, static mode feeds, from_generator, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';

const { io } = paddle;

class Table extends io.Dataset {
  constructor(public n: number) {
    super();
  }
  override __getitem__(i: number) {
    return [new Float32Array([i, 10 * i]), i];
  }
  override __len__() {
    return this.n;
  }
}

class Count extends io.IterableDataset {
  constructor(public n: number) {
    super();
  }
  override *__iter__() {
    for (let i = 0; i < this.n; i++) yield [i, i + 0.5];
  }
}

const labelsOf = (loader: Iterable<any>) => [...loader].map((b) => b[1].tolist());

test('batches of [features, label] samples: stacked fields, drop_last, len', () => {
  const loader = new io.DataLoader(new Table(5), { batch_size: 2 });
  assert.equal(loader.__len__(), 3);
  assert.equal(loader.length, 3);
  const batches = [...loader];
  assert.equal(batches.length, 3);
  assertTensor(batches[0][0], [2, 2], 'float32', [[0, 0], [1, 10]]);
  assertTensor(batches[0][1], [2], 'int64', [0, 1]);
  assertTensor(batches[2][0], [1, 2], 'float32', [[4, 40]]);
  assert.ok(batches[0][0].stop_gradient);
  const dl = new io.DataLoader(new Table(5), { batch_size: 2, drop_last: true });
  assert.equal(dl.__len__(), 2);
  assert.deepEqual(labelsOf(dl), [[0, 1], [2, 3]]);
  // default batch_size is 1
  assert.deepEqual(labelsOf(new io.DataLoader(new Table(2))), [[0], [1]]);
});

test('loader() gives a fresh iterator, like iterating the loader; break ends it', () => {
  const loader = new io.DataLoader(new Table(4), { batch_size: 3 });
  assert.equal(typeof loader, 'function');
  assert.ok(loader instanceof io.DataLoader);
  assert.deepEqual(labelsOf(loader()), [[0, 1, 2], [3]]);
  assert.deepEqual(labelsOf({ [Symbol.iterator]: () => loader.__call__() }), [[0, 1, 2], [3]]);
  const it = loader();
  assert.equal(it.__len__(), 2);
  assert.deepEqual(it.next().value[1].tolist(), [0, 1, 2]);
  it.return();
  assert.equal(it.next().done, true);
  for (const b of loader) {
    assert.deepEqual(b[1].tolist(), [0, 1, 2]);
    break;
  }
});

test('shuffle: every sample once per epoch, the same order under the same paddle.seed', () => {
  const loader = new io.DataLoader(new Table(10), { batch_size: 4, shuffle: true });
  paddle.seed(42);
  const e1 = labelsOf(loader).flat();
  const e2 = labelsOf(loader).flat();
  assert.deepEqual(e1.slice().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(e1, e2);
  paddle.seed(42);
  assert.deepEqual(labelsOf(loader).flat(), e1);
  paddle.seed(42);
  // a new loader: same order too
  assert.deepEqual(labelsOf(new io.DataLoader(new Table(10), { batch_size: 4, shuffle: true })).flat(), e1);
});

test('default collate: nested lists, dicts, Tensors, typed arrays, numbers, booleans, strings', () => {
  const sample = (i: number) => ({
    image: paddle.to_tensor([[i, i + 1], [i + 2, i + 3]], { dtype: 'float32' }),
    label: i,
    score: i + 0.25,
    flag: i % 2 === 0,
    ids: new Int32Array([i, -i]),
    big: BigInt(i) * 10n,
    name: `n${i}`,
    pair: [i, [i * 2, { deep: i * 3 }]],
    map: new Map([['k', i]]),
  });
  const b = io.default_collate_fn([sample(1), sample(2)]) as Record<string, any>;
  assertTensor(b.image, [2, 2, 2], 'float32', [[[1, 2], [3, 4]], [[2, 3], [4, 5]]]);
  assertTensor(b.label, [2], 'int64', [1, 2]);
  assertTensor(b.score, [2], 'float32', [1.25, 2.25]);
  assertTensor(b.flag, [2], 'bool', [false, true]);
  assertTensor(b.ids, [2, 2], 'int32', [[1, -1], [2, -2]]);
  assertTensor(b.big, [2], 'int64', [10, 20]);
  assert.deepEqual(b.name, ['n1', 'n2']);
  assertTensor(b.pair[0], [2], 'int64', [1, 2]);
  assertTensor(b.pair[1][0], [2], 'int64', [2, 4]);
  assertTensor(b.pair[1][1].deep, [2], 'int64', [3, 6]);
  assertTensor(b.map.get('k'), [2], 'int64', [1, 2]);
  // a single-field sample gives that field's batch (later Paddle's structure; 2.0 wrapped it in a list)
  assertTensor(io.default_collate_fn([3, 4]) as paddle.Tensor, [2], 'int64', [3, 4]);
  // through the loader
  class Dicts extends io.Dataset {
    override __getitem__(i: number) {
      return sample(i);
    }
    override __len__() {
      return 3;
    }
  }
  const [first] = new io.DataLoader(new Dicts(), { batch_size: 3 });
  assertTensor(first.label, [3], 'int64', [0, 1, 2]);
  assert.deepEqual(first.name, ['n0', 'n1', 'n2']);
  // float64 default dtype gives float64 numbers
  paddle.set_default_dtype('float64');
  try {
    assertTensor(io.default_collate_fn([0.5, 1]) as paddle.Tensor, [2], 'float64', [0.5, 1]);
  } finally {
    paddle.set_default_dtype('float32');
  }
});

test('default collate errors name the field', () => {
  const f32 = (n: number) => paddle.zeros([n]);
  assertThrows(() => io.default_collate_fn([[f32(2), 1], [f32(3), 1]]), paddle.errors.InvalidArgumentError, /paddle\.io\.DataLoader/, /sample\[0\]/, /shapes \[2\] \(sample 0\) and \[3\] \(sample 1\)/);
  assertThrows(() => io.default_collate_fn([[1, 2], [1]]), paddle.errors.InvalidArgumentError, /number of fields is not the same/);
  assertThrows(() => io.default_collate_fn([{ a: 1 }, { b: 1 }]), paddle.errors.InvalidArgumentError, /sample 1 has no key 'a'/);
  assertThrows(() => io.default_collate_fn([[null], [null]]), paddle.errors.InvalidArgumentError, /can only contain Tensors, typed arrays/, /sample\[0\]/);
  assertThrows(() => io.default_collate_fn([[1], ['a']]), paddle.errors.InvalidArgumentError, /sample 0 holds a number but sample 1 holds string/);
  assertThrows(() => io.default_collate_fn([new Float32Array(2), new Float32Array(3)]), paddle.errors.InvalidArgumentError, /lengths 2 \(sample 0\) and 3/);
  assertThrows(() => io.default_collate_fn([paddle.zeros([1]), paddle.zeros([1], 'int32')]), paddle.errors.InvalidArgumentError, /cannot stack a float32 Tensor \(sample 0\) with a int32 Tensor/);
  assertThrows(() => io.default_collate_fn([]), paddle.errors.InvalidArgumentError, /non-empty list of samples/);
});

test('collate_fn, batch_size=None and batch_sampler', () => {
  const sums = new io.DataLoader(new Table(5), { batch_size: 2, collate_fn: (batch: [Float32Array, number][]) => [batch.reduce((s, x) => s + x[1], 0), new Float64Array(batch.map((x) => x[1]))] });
  const out = [...sums];
  assert.deepEqual(out.map((b) => b[0]), [1, 5, 4]);
  // typed arrays a collate_fn returns become Tensors
  assertTensor(out[0][1], [2], 'float64', [0, 1]);
  // batch_size=None: samples one by one, typed arrays converted, numbers kept
  const single = new io.DataLoader(new Table(2), { batch_size: null });
  assert.equal(single.__len__(), 2);
  const s = [...single];
  assertTensor(s[1][0], [2], 'float32', [1, 10]);
  assert.equal(s[1][1], 1);
  // a batch sampler
  const bs = new io.BatchSampler({ dataset: new Table(5), batch_size: 4, drop_last: true });
  const viaSampler = new io.DataLoader(new Table(5), { batch_sampler: bs });
  assert.equal(viaSampler.__len__(), 1);
  assert.deepEqual(labelsOf(viaSampler), [[0, 1, 2, 3]]);
  const dist = new io.DataLoader(new Table(7), { batch_sampler: new io.DistributedBatchSampler(new Table(7), 2, 3, 1) });
  assert.deepEqual(labelsOf(dist), [[2, 3], [0]]);
});

test('IterableDataset: batches as they come; drop_last; no len', () => {
  const loader = new io.DataLoader(new Count(5), { batch_size: 2 });
  const b = [...loader];
  assert.deepEqual(b.map((x) => x[0].tolist()), [[0, 1], [2, 3], [4]]);
  assertClose(b[0][1], [0.5, 1.5]);
  assert.deepEqual([...new io.DataLoader(new Count(5), { batch_size: 2, drop_last: true })].map((x) => x[0].tolist()), [[0, 1], [2, 3]]);
  assert.deepEqual([...new io.DataLoader(new Count(2), { batch_size: null })], [[0, 0.5], [1, 1.5]]);
  assertThrows(() => loader.__len__(), paddle.errors.PreconditionNotMetError, /length of IterableDataset not supported/);
  assertThrows(() => new io.DataLoader(new Count(5), { shuffle: true }), paddle.errors.InvalidArgumentError, /IterableDataset does not support shuffle/);
  assertThrows(() => new io.DataLoader(new Count(5), { batch_sampler: new io.BatchSampler({ dataset: new Table(2) }) }), paddle.errors.InvalidArgumentError, /expects batch_sampler to be unspecified/);
});

test('static mode: return_list=False gives [feed dict] keyed by the feed_list names', () => {
  paddle.enable_static();
  try {
    const x = paddle.static.data('x', [-1, 2], 'float32');
    const y = paddle.static.data('y', [-1], 'int64');
    const loader = new io.DataLoader(new Table(3), { feed_list: [x, y], return_list: false, batch_size: 2 });
    const [first] = loader;
    assert.ok(Array.isArray(first) && first.length === 1);
    assert.deepEqual(Object.keys(first[0]), ['x', 'y']);
    assertTensor(first[0].x, [2, 2], 'float32', [[0, 0], [1, 10]]);
    assertTensor(first[0].y, [2], 'int64', [0, 1]);
    assertThrows(() => new io.DataLoader(new Table(3), { return_list: false }), paddle.errors.InvalidArgumentError, /feed_list should be set when return_list=False/);
    const wrong = new io.DataLoader(new Table(3), { feed_list: [x], return_list: false });
    assertThrows(() => [...wrong], paddle.errors.InvalidArgumentError, /2 Tensor field\(s\) but feed_list has 1/);
    // return_list=True: the batch as in dygraph mode
    const [lst] = new io.DataLoader(new Table(3), { feed_list: [x, y], batch_size: 3 });
    assertTensor(lst[1], [3], 'int64', [0, 1, 2]);
  } finally {
    paddle.disable_static();
  }
});

test('DataLoader.from_generator (iterable form)', () => {
  const batches = paddle.io.DataLoader.from_generator({ capacity: 4 });
  batches.set_batch_generator(function* () {
    yield [new Float32Array([1, 2]), [[3], [4]]];
    yield [paddle.to_tensor([5, 6], { dtype: 'float32' }), [[7], [8]]];
  });
  const out = [...batches()];
  assertTensor(out[0][0], [2], 'float32', [1, 2]);
  assertTensor(out[1][1], [2, 1], 'int64', [[7], [8]]);
  const samples = paddle.io.DataLoader.from_generator({ capacity: 2, return_list: true });
  samples.set_sample_generator(function* () {
    for (let i = 0; i < 5; i++) yield [new Float32Array([i, i]), [i]];
  }, 2, false);
  const s = [...samples];
  assert.equal(s.length, 3);
  assertTensor(s[0][0], [2, 2], 'float32', [[0, 0], [1, 1]]);
  assertTensor(s[2][1], [1, 1], 'int64', [[4]]);
  samples.set_sample_generator(function* () {
    for (let i = 0; i < 5; i++) yield [new Float32Array([i]), [i]];
  }, 2);
  assert.equal([...samples].length, 2, 'drop_last defaults to True');
  assertThrows(() => [...paddle.io.DataLoader.from_generator({ capacity: 2 })], paddle.errors.PreconditionNotMetError, /has not been set yet/);
  assertThrows(() => paddle.io.DataLoader.from_generator(), paddle.errors.InvalidArgumentError, /capacity/);
  assertThrows(() => paddle.io.DataLoader.from_dataset(null, null), paddle.errors.UnimplementedError, /fleet datasets/);
  // static mode: feeds converted to the variables' dtypes, [dict] per batch
  paddle.enable_static();
  try {
    const x = paddle.static.data('gx', [-1, 1], 'float32');
    const g = paddle.io.DataLoader.from_generator({ feed_list: [x], capacity: 2 });
    g.set_sample_list_generator(function* () {
      yield [[[1]], [[2]]];
    });
    const [feed] = [...g];
    assertTensor((feed as Record<string, paddle.Tensor>[])[0].gx, [2, 1], 'float32', [[1], [2]]);
    assertThrows(() => paddle.io.DataLoader.from_generator({ feed_list: [x], capacity: 2, iterable: false }), paddle.errors.UnimplementedError, /iterable=False/);
  } finally {
    paddle.disable_static();
  }
});

test('argument errors name the DataLoader and the argument', () => {
  assertThrows(() => new io.DataLoader([1, 2, 3] as never), paddle.errors.InvalidArgumentError, /paddle\.io\.DataLoader/, /dataset should be an instance of a paddle\.io\.Dataset/);
  assertThrows(() => new io.DataLoader(new Table(3), { batch_size: 0 }), paddle.errors.InvalidArgumentError, /batch_size should be None or a positive value/);
  assertThrows(() => new io.DataLoader(new Table(3), { batch_size: 1.5 }), paddle.errors.InvalidArgumentError, /argument 'batch_size' expected an integer/);
  assertThrows(() => new io.DataLoader(new Table(3), { num_workers: -1 }), paddle.errors.InvalidArgumentError, /num_workers should be a non-negative value/);
  assertThrows(() => new io.DataLoader(new Table(3), { timeout: -1 }), paddle.errors.InvalidArgumentError, /timeout should be a non-negative value/);
  assertThrows(() => new io.DataLoader(new Table(3), { batch_sampler: new io.BatchSampler({ dataset: new Table(3) }), batch_size: 2 }), paddle.errors.InvalidArgumentError, /should not be set when batch_sampler is given/);
  assertThrows(() => new io.DataLoader(new Table(3), { batch_sampler: 3 as never }), paddle.errors.InvalidArgumentError, /argument 'batch_sampler'/);
  assertThrows(() => new io.DataLoader(new Table(3), { bogus: 1 } as never), paddle.errors.InvalidArgumentError, /unexpected keyword argument 'bogus'/);
  assertThrows(() => new io.DataLoader(new Table(3), { collate_fn: 3 as never }), paddle.errors.InvalidArgumentError, /argument 'collate_fn' expected a function/);
  class Bad extends io.Dataset {
    override __getitem__(i: number) {
      return [i];
    }
  }
  assertThrows(() => new io.DataLoader(new Bad()).__len__(), paddle.errors.UnimplementedError, /'__len__' not implemented in class Bad/);
});
