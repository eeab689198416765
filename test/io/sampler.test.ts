// paddle.io samplers: order, randomness under paddle.seed, BatchSampler composition and
// DistributedBatchSampler shards (expected batches from Paddle 2.0's algorithm, transcribed
// into Python and run there).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertThrows } from '../helpers/assert.js';

const { io } = paddle;

class Range extends io.Dataset {
  constructor(public n: number) {
    super();
  }
  override __getitem__(i: number) {
    return i;
  }
  override __len__() {
    return this.n;
  }
}
const sorted = (a: number[]) => a.slice().sort((x, y) => x - y);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('SequenceSampler yields 0..n-1; a Sampler subclass defines __iter__ and __len__', () => {
  const s = new io.SequenceSampler(new Range(4));
  assert.deepEqual([...s], [0, 1, 2, 3]);
  assert.equal(s.__len__(), 4);
  assert.equal(s.length, 4);
  class Evens extends io.Sampler {
    override *__iter__() {
      for (let i = 0; i < 6; i += 2) yield i;
    }
    override __len__() {
      return 3;
    }
  }
  assert.deepEqual([...new Evens()], [0, 2, 4]);
  assertThrows(() => [...new io.Sampler()], paddle.errors.UnimplementedError, /'__iter__' not implemented/);
});

test('RandomSampler: a permutation, repeatable under paddle.seed; with replacement num_samples draws', () => {
  paddle.seed(10);
  const a = [...new io.RandomSampler(new Range(20))];
  assert.deepEqual(sorted(a), range(20));
  assert.notDeepEqual(a, range(20));
  paddle.seed(10);
  assert.deepEqual([...new io.RandomSampler(new Range(20))], a);
  // each pass draws a new order
  const s = new io.RandomSampler(new Range(20));
  assert.notDeepEqual([...s], [...s]);
  const r = new io.RandomSampler(new Range(3), true, 50);
  const draws = [...r];
  assert.equal(draws.length, 50);
  assert.equal(r.__len__(), 50);
  assert.ok(draws.every((x) => x >= 0 && x < 3));
  assert.deepEqual(sorted([...new Set(draws)]), [0, 1, 2]);
  // a Generator of its own
  assert.deepEqual([...new io.RandomSampler(new Range(8), { generator: new paddle.Generator(3) })], [...new io.RandomSampler(new Range(8), { generator: new paddle.Generator(3) })]);
  // Paddle 2.0's generator: an iterator of indices, read num_samples times
  assert.deepEqual([...new io.RandomSampler(new Range(3), { generator: [2, 0, 1, 2][Symbol.iterator]() })], [2, 0, 1]);
  assertThrows(() => new io.RandomSampler(new Range(3), false, 5), paddle.errors.InvalidArgumentError, /num_samples should not be specified while replacement is False/);
  assertThrows(() => new io.RandomSampler(new Range(3), 1 as never), paddle.errors.InvalidArgumentError, /expected a boolean value for replacement/);
  assertThrows(() => new io.RandomSampler(new Range(0)), paddle.errors.InvalidArgumentError, /num_samples should be a positive integer/);
});

test('WeightedRandomSampler follows the weights', () => {
  paddle.seed(3);
  const s = new io.WeightedRandomSampler([0.1, 0.3, 0, 0.7, 0.2], 400);
  const draws = [...s];
  assert.equal(draws.length, 400);
  assert.ok(!draws.includes(2), 'a zero weight is never drawn');
  const freq = [0, 1, 3, 4].map((k) => draws.filter((x) => x === k).length / 400);
  // expected 0.0769, 0.2308, 0.5385, 0.1538
  assert.ok(Math.abs(freq[2] - 0.5385) < 0.08 && Math.abs(freq[0] - 0.0769) < 0.05, `frequencies ${freq}`);
  const nr = [...new io.WeightedRandomSampler([1, 1, 1, 1], 4, false)];
  assert.deepEqual(sorted(nr), [0, 1, 2, 3]);
  const rows = new io.WeightedRandomSampler(paddle.to_tensor([[1, 0, 1], [0, 1, 0]], { dtype: 'float32' }), 3);
  assert.equal(rows.__len__(), 6);
  const rd = [...rows];
  assert.ok(rd.slice(0, 3).every((x) => x === 0 || x === 2) && rd.slice(3).every((x) => x === 1));
  assertThrows(() => new io.WeightedRandomSampler([1, 2], 0), paddle.errors.InvalidArgumentError, /num_samples should be a positive integer/);
  assertThrows(() => [...new io.WeightedRandomSampler([1, 0], 2, false)], paddle.errors.InvalidArgumentError, /should not be less than num_samples/);
  assertThrows(() => [...new io.WeightedRandomSampler([-1, 2], 2)], paddle.errors.InvalidArgumentError, /non-negative/);
  assertThrows(() => new io.WeightedRandomSampler('x' as never, 2), paddle.errors.InvalidArgumentError, /argument 'weights'/);
});

test('BatchSampler groups indices; drop_last; len', () => {
  const ds = new Range(10);
  const bs = new io.BatchSampler({ dataset: ds, batch_size: 4 });
  assert.deepEqual([...bs], [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.equal(bs.__len__(), 3);
  const dl = new io.BatchSampler(ds, null, false, 4, true);
  assert.deepEqual([...dl], [[0, 1, 2, 3], [4, 5, 6, 7]]);
  assert.equal(dl.__len__(), 2);
  paddle.seed(1);
  const sh = [...new io.BatchSampler({ dataset: ds, shuffle: true, batch_size: 3 })];
  assert.deepEqual(sh.map((b) => b.length), [3, 3, 3, 1]);
  assert.deepEqual(sorted(sh.flat()), range(10));
  paddle.seed(1);
  assert.deepEqual([...new io.BatchSampler({ dataset: ds, shuffle: true, batch_size: 3 })], sh);
  const fromSampler = new io.BatchSampler({ sampler: new io.SequenceSampler(new Range(5)), batch_size: 2 });
  assert.deepEqual([...fromSampler], [[0, 1], [2, 3], [4]]);
  assertThrows(() => new io.BatchSampler(), paddle.errors.InvalidArgumentError, /either dataset or sampler should be set/);
  assertThrows(() => new io.BatchSampler({ dataset: ds, sampler: new io.SequenceSampler(ds) }), paddle.errors.InvalidArgumentError, /should not set both dataset and sampler/);
  assertThrows(() => new io.BatchSampler({ sampler: new io.SequenceSampler(ds), shuffle: true }), paddle.errors.InvalidArgumentError, /shuffle should be False when sampler is set/);
  assertThrows(() => new io.BatchSampler({ dataset: ds, batch_size: 0 }), paddle.errors.InvalidArgumentError, /batch_size should be a positive integer/);
  assertThrows(() => new io.BatchSampler({ dataset: ds, drop_last: 1 as never }), paddle.errors.InvalidArgumentError, /drop_last should be a boolean/);
  class Counting extends io.IterableDataset {}
  assertThrows(() => new io.BatchSampler({ dataset: new Counting() }), paddle.errors.InvalidArgumentError, /should not be a paddle\.io\.IterableDataset/);
  // a subclass with its own parameters calls super() with none
  class Pairs extends io.BatchSampler {
    constructor(public n: number) {
      super();
    }
    override *__iter__() {
      for (let i = 0; i + 1 < this.n; i += 2) yield [i, i + 1];
    }
    override __len__() {
      return Math.floor(this.n / 2);
    }
  }
  assert.deepEqual([...new Pairs(5)], [[0, 1], [2, 3]]);
});

test('DistributedBatchSampler: shards for 2 and 3 replicas with padding, as Paddle 2.0', () => {
  const cases: [number, number, number, boolean, number[][][], number][] = [
    [10, 2, 3, false, [[[0, 1], [6, 7]], [[2, 3], [8, 9]], [[4, 5], [0, 1]]], 2],
    [11, 2, 2, false, [[[0, 1], [4, 5], [8, 9]], [[2, 3], [6, 7], [10, 0]]], 3],
    [7, 2, 3, false, [[[0, 1], [6]], [[2, 3], [0]], [[4, 5], [1]]], 2],
    [7, 2, 3, true, [[[0, 1]], [[2, 3]], [[4, 5]]], 1],
    [7, 3, 2, false, [[[0, 1, 2], [6]], [[3, 4, 5], [0]]], 2],
    [5, 4, 2, false, [[[0, 1, 2]], [[3, 4, 0]]], 1],
  ];
  for (const [n, bs, reps, drop, expected, len] of cases) {
    for (let rank = 0; rank < reps; rank++) {
      const s = new io.DistributedBatchSampler(new Range(n), bs, reps, rank, false, drop);
      assert.deepEqual([...s], expected[rank], `n=${n} batch_size=${bs} replicas=${reps} rank=${rank} drop_last=${drop}`);
      assert.equal(s.__len__(), len);
    }
  }
});

test('DistributedBatchSampler: shuffle is the same on every rank and changes with set_epoch', () => {
  const ds = new Range(9);
  const shards = (epoch: number) =>
    [0, 1, 2].map((rank) => {
      const s = new io.DistributedBatchSampler(ds, 2, { num_replicas: 3, rank, shuffle: true });
      s.set_epoch(epoch);
      return [...s].flat();
    });
  const e0 = shards(0);
  // the three ranks split one permutation (9 samples, 3 each, no padding needed)
  assert.deepEqual(sorted(e0.flat()), range(9));
  assert.deepEqual(shards(0), e0);
  assert.notDeepEqual(shards(1), e0);
  // without set_epoch, each pass advances the epoch
  const s = new io.DistributedBatchSampler(ds, 3, { num_replicas: 1, rank: 0, shuffle: true });
  const first = [...s].flat();
  const second = [...s].flat();
  assert.notDeepEqual(first, second);
  assert.equal(s.epoch, 2);
  s.set_epoch(0);
  assert.deepEqual([...s].flat(), first);
});

test('DistributedBatchSampler reads PADDLE_TRAINERS_NUM / PADDLE_TRAINER_ID; errors', () => {
  const saved = [process.env.PADDLE_TRAINERS_NUM, process.env.PADDLE_TRAINER_ID];
  try {
    process.env.PADDLE_TRAINERS_NUM = '2';
    process.env.PADDLE_TRAINER_ID = '1';
    const s = new io.DistributedBatchSampler(new Range(11), 2);
    assert.equal(s.nranks, 2);
    assert.equal(s.local_rank, 1);
    assert.deepEqual([...s], [[2, 3], [6, 7], [10, 0]]);
    delete process.env.PADDLE_TRAINERS_NUM;
    delete process.env.PADDLE_TRAINER_ID;
    const one = new io.DistributedBatchSampler(new Range(3), 2);
    assert.deepEqual([...one], [[0, 1], [2]]);
  } finally {
    if (saved[0] === undefined) delete process.env.PADDLE_TRAINERS_NUM;
    else process.env.PADDLE_TRAINERS_NUM = saved[0];
    if (saved[1] === undefined) delete process.env.PADDLE_TRAINER_ID;
    else process.env.PADDLE_TRAINER_ID = saved[1];
  }
  assertThrows(() => new io.DistributedBatchSampler(new Range(4), 0), paddle.errors.InvalidArgumentError, /batch_size should be a positive integer/);
  assertThrows(() => new io.DistributedBatchSampler(new Range(4), 2, 0), paddle.errors.InvalidArgumentError, /num_replicas should be a positive integer/);
  assertThrows(() => new io.DistributedBatchSampler(new Range(4), 2, 2, 2), paddle.errors.InvalidArgumentError, /rank \(2\) should be less than num_replicas \(2\)/);
  assertThrows(() => new io.DistributedBatchSampler(new Range(4), 2, { shuffle: 'yes' as never }), paddle.errors.InvalidArgumentError, /shuffle should be a boolean/);
});
