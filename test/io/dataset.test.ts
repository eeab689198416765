// paddle.io datasets: Dataset / IterableDataset protocol, TensorDataset, ComposeDataset,
// ChainDataset, Subset (Paddle's documented examples) and random_split.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertTensor, assertThrows } from '../helpers/assert.js';

const { io } = paddle;

class Squares extends io.Dataset {
  constructor(public n: number) {
    super();
  }
  override __getitem__(i: number) {
    return [i * i, i];
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
    for (let i = 0; i < this.n; i++) yield i;
  }
}

/** An iterable dataset defined through [Symbol.iterator] instead of __iter__. */
class Letters extends io.IterableDataset {
  override *[Symbol.iterator]() {
    yield* ['a', 'b'];
  }
}

test('Dataset: __getitem__ / __len__, iterable with for...of; the base class refuses', () => {
  const ds = new Squares(4);
  assert.equal(ds.__len__(), 4);
  assert.deepEqual(ds.__getitem__(3), [9, 3]);
  assert.deepEqual([...ds], [[0, 0], [1, 1], [4, 2], [9, 3]]);
  assert.ok(ds instanceof io.Dataset);
  const base = new io.Dataset();
  assertThrows(() => base.__getitem__(0), paddle.errors.UnimplementedError, /'__getitem__' not implemented in class Dataset/);
  assertThrows(() => base.__len__(), paddle.errors.UnimplementedError, /'__len__' not implemented/);
});

test('IterableDataset: __iter__ or [Symbol.iterator]; no __getitem__ / __len__', () => {
  assert.deepEqual([...new Count(3)], [0, 1, 2]);
  assert.deepEqual([...new Letters()], ['a', 'b']);
  const c = new Count(2);
  assertThrows(() => c.__getitem__(0), paddle.errors.PreconditionNotMetError, /should not be called for IterableDataset/);
  assertThrows(() => c.__len__(), paddle.errors.PreconditionNotMetError, /'__len__' should not be called/);
  assertThrows(() => [...new io.IterableDataset()], paddle.errors.UnimplementedError, /'__iter__' not implemented/);
});

test('TensorDataset indexes every tensor along the first dimension', () => {
  const x = paddle.to_tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
  const y = paddle.to_tensor([[0], [1]]);
  const z = paddle.to_tensor([7, 8]);
  const ds = new io.TensorDataset([x, y, z]);
  assert.equal(ds.__len__(), 2);
  const [a, b, c] = ds.__getitem__(1);
  assertTensor(a, [3], 'float32', [4, 5, 6]);
  assertTensor(b, [1], 'int64', [1]);
  // a 1-D tensor gives a shape-[1] sample (Paddle 2.0 has no 0-D tensors)
  assertTensor(c, [1], 'int64', [8]);
  assertTensor(ds.__getitem__(-2)[0], [3], 'float32', [1, 2, 3]);
  assert.equal(new io.TensorDataset({ tensors: [x] }).__len__(), 2);
  assertThrows(() => new io.TensorDataset([x, paddle.to_tensor([1, 2, 3])]), paddle.errors.InvalidArgumentError, /paddle\.io\.TensorDataset/, /same size in the 1st dimension/);
  assertThrows(() => new io.TensorDataset([[1, 2]] as never), paddle.errors.InvalidArgumentError, /argument 'tensors' expected a list of Tensors/);
  assertThrows(() => ds.__getitem__(2), paddle.errors.OutOfRangeError, /index 2 is out of range/);
  paddle.enable_static();
  try {
    assertThrows(() => new io.TensorDataset([x]), paddle.errors.PreconditionNotMetError, /dynamic graph mode/);
  } finally {
    paddle.disable_static();
  }
});

test('ComposeDataset joins fields; ChainDataset chains iterables', () => {
  const ds = new io.ComposeDataset([new Squares(3), new Squares(3)]);
  assert.equal(ds.__len__(), 3);
  assert.deepEqual(ds.__getitem__(2), [4, 2, 4, 2]);
  assertThrows(() => new io.ComposeDataset([new Squares(3), new Squares(4)]), paddle.errors.InvalidArgumentError, /lengths of datasets should be the same/);
  assertThrows(() => new io.ComposeDataset([]), paddle.errors.InvalidArgumentError, /should not be empty/);
  assertThrows(() => new io.ComposeDataset([new Count(2)] as never), paddle.errors.InvalidArgumentError, /IterableDataset is not supported/);
  assertThrows(() => new io.ComposeDataset([[1, 2]] as never), paddle.errors.InvalidArgumentError, /should be a paddle\.io\.Dataset/);

  assert.deepEqual([...new io.ChainDataset([new Count(2), new Count(3), new Letters()])], [0, 1, 0, 1, 2, 'a', 'b']);
  assertThrows(() => new io.ChainDataset([new Squares(2)] as never), paddle.errors.InvalidArgumentError, /only supports paddle\.io\.IterableDataset/);
});

test('Subset: the examples of Paddle 2.0 docs (a Python range is an array here)', () => {
  const a = new io.Subset([1, 2, 3], [0, 2]);
  assert.deepEqual([...a], [1, 3]);
  const b = new io.Subset({ dataset: [1, 2, 3], indices: [1, 1] });
  assert.deepEqual([...b], [2, 2]);
  assert.equal(b.__len__(), 2);
  const c = new io.Subset(new Squares(5), paddle.to_tensor([4, 0]));
  assert.deepEqual(c.__getitem__(0), [16, 4]);
  assert.deepEqual(c.__getitem__(-1), [0, 0]);
  assertThrows(() => c.__getitem__(2), paddle.errors.OutOfRangeError, /out of range for a Subset of length 2/);
  assertThrows(() => new io.Subset([1], [0.5]), paddle.errors.InvalidArgumentError, /argument 'indices' expected a list of integers/);
});

test('random_split: sizes, a partition of the indices, repeatable under paddle.seed', () => {
  paddle.seed(2021);
  const parts = io.random_split(new Squares(10), [3, 7]);
  assert.deepEqual(parts.map((s) => s.__len__()), [3, 7]);
  const all = parts.flatMap((s) => s.indices).sort((x, y) => x - y);
  assert.deepEqual(all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  paddle.seed(2021);
  const again = io.random_split(new Squares(10), [3, 7]);
  assert.deepEqual(again.map((s) => s.indices), parts.map((s) => s.indices));
  // a Generator of its own
  const g1 = io.random_split([0, 1, 2, 3, 4, 5], [2, 2, 2], new paddle.Generator(7)).map((s) => s.indices);
  const g2 = io.random_split([0, 1, 2, 3, 4, 5], [2, 2, 2], { generator: new paddle.Generator(7) }).map((s) => s.indices);
  assert.deepEqual(g1, g2);
  // fractions, as later Paddle releases take them
  assert.deepEqual(io.random_split(new Squares(10), [0.5, 0.3, 0.2]).map((s) => s.__len__()), [5, 3, 2]);
  assert.deepEqual(io.random_split(new Squares(5), [0.5, 0.5]).map((s) => s.__len__()), [3, 2]);
  // samples come from the dataset
  const [first] = io.random_split([10, 20, 30], [3]);
  assert.deepEqual([...first].sort(), [10, 20, 30]);
  assertThrows(() => io.random_split(new Squares(10), [3, 6]), paddle.errors.InvalidArgumentError, /paddle\.io\.random_split/, /sum of input lengths \(9\) does not equal the length of the input dataset \(10\)/);
  assertThrows(() => io.random_split(new Squares(10), [3, 7], 5 as never), paddle.errors.InvalidArgumentError, /argument 'generator'/);
  assertThrows(() => io.random_split({} as never, [1]), paddle.errors.InvalidArgumentError, /has no length/);
});
