// paddle.Model in dygraph: training to a fixed accuracy on a fixed seed, train_batch /
// eval_batch / predict_batch results, fit with Datasets, DataLoaders and plain iterables,
// evaluate / predict results, save / load round trips (parameters and optimizer state),
// inference-model export, inputs inferred from forward, summary, and errors.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { forwardArgNames } from '../../src/hapi/model.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { Blobs, blobModel, capture, mlp, withTmp } from './fixtures.js';

const { InputSpec } = paddle.static;
const E = paddle.errors;

function trainBlobs(): { acc: number; loss: number; w: number[] } {
  paddle.seed(2021);
  const model = blobModel();
  model.fit(new Blobs(200), { batch_size: 16, epochs: 4, verbose: 0 });
  const r = model.evaluate(new Blobs(100, 99), { batch_size: 50, verbose: 0 });
  return { acc: r.acc as number, loss: (r.loss as number[])[0], w: (model.parameters()[0].tolist() as number[][]).flat() };
}

test('a small model trains to a fixed accuracy on a fixed seed', () => {
  const a = trainBlobs();
  // the four blobs are separable but overlap a little: 96 of the 100 held-out points
  assert.equal(a.acc, 0.96);
  assert.ok(a.loss < 0.2, `loss ${a.loss}`);
  const b = trainBlobs();
  assert.equal(b.acc, a.acc);
  assert.deepEqual(b.w, a.w, 'same seed, same weights');
});

test('train_batch / eval_batch / predict_batch results', () => {
  paddle.seed(1);
  const net = mlp();
  const model = new paddle.Model(net, new InputSpec([null, 2], 'float32', 'x'), new InputSpec([null], 'int64', 'label'));
  const sgd = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: model.parameters() });
  const lossFn = new paddle.nn.CrossEntropyLoss();
  model.prepare(sgd, lossFn, new paddle.metric.Accuracy());
  const x = paddle.to_tensor([[-2, -2], [2, -2], [-2, 2], [2, 2]], { dtype: 'float32' });
  const y = paddle.to_tensor([0, 1, 2, 3]);
  // the loss before the step, by hand
  const expected = paddle.no_grad(() => lossFn(net(x), y)).item() as number;
  const w0 = net.parameters()[0].clone();
  const [losses, metrics] = model.train_batch([x], [y]) as [paddle.Tensor[], number[]];
  assert.equal(losses.length, 1);
  assert.deepEqual(losses[0].shape, [1]);
  assert.equal(losses[0].stop_gradient, true);
  assertClose(losses[0], [expected], 1e-6);
  assert.equal(metrics.length, 1);
  assert.equal(typeof metrics[0], 'number');
  assert.equal(model.mode, 'train');
  assert.ok(!paddle.allclose(net.parameters()[0], w0).item(), 'the step changed the weights');
  const g = net.parameters()[0].grad;
  assert.ok(g === null || paddle.all(paddle.equal(g, 0)).item(), 'gradients are cleared after the step');
  // eval_batch does not update; its loss matches a forward pass
  const w1 = net.parameters()[0].clone();
  const [elosses, emetrics] = model.eval_batch([x], [y]) as [paddle.Tensor[], number[]];
  assertClose(elosses[0], [paddle.no_grad(() => lossFn(net(x), y)).item() as number], 1e-6);
  assert.equal(typeof emetrics[0], 'number');
  assert.ok(paddle.allclose(net.parameters()[0], w1).item());
  assert.equal(model.mode, 'eval');
  assert.equal(net.training, false);
  // predict_batch: the outputs
  const [out] = model.predict_batch([x]);
  assert.deepEqual(out.shape, [4, 4]);
  assertClose(out, paddle.no_grad(() => net(x)), 1e-6);
  assert.equal(model.mode, 'test');
  // inputs as plain arrays, a single (non-list) input, and no metrics
  model.prepare(sgd, lossFn);
  const only = model.train_batch(x, y) as paddle.Tensor[];
  assert.equal(only.length, 1);
  assert.ok(only[0] instanceof paddle.Tensor);
  const fromArrays = model.eval_batch([[[-2, -2], [2, 2]]], [[[0], [3]]]) as paddle.Tensor[];
  assert.equal(fromArrays.length, 1);
  // no loss: eval_batch gives the metrics only
  model.prepare(null, null, new paddle.metric.Accuracy({ topk: [1, 2] }));
  const m = model.eval_batch([x], [y]) as number[][];
  assert.equal(m.length, 1);
  assert.equal(m[0].length, 2);
});

test('fit takes a Dataset, a DataLoader or any iterable of batches; evaluate and predict results', () => {
  paddle.seed(3);
  const model = blobModel();
  const train = new Blobs(64);
  model.fit(train, { batch_size: 16, epochs: 1, verbose: 0 });
  const loader = new paddle.io.DataLoader(train, { batch_size: 32, shuffle: true });
  model.fit(loader, { epochs: 1, verbose: 0 });
  const batches = [...new paddle.io.DataLoader(train, { batch_size: 32 })];
  model.fit(batches, { epochs: 2, verbose: 0 });
  // a generator-like iterable without a length
  const iterable = { *[Symbol.iterator]() { yield* batches; } };
  model.fit(iterable, { epochs: 1, verbose: 0 });
  // worker threads load the batches (the Dataset class is exported from a module)
  model.fit(train, new Blobs(16, 3), { batch_size: 16, epochs: 1, verbose: 0, num_workers: 2 });
  const r = model.evaluate(new Blobs(40, 5), { batch_size: 16, verbose: 0 });
  assert.deepEqual(Object.keys(r), ['loss', 'acc']);
  assert.ok(Array.isArray(r.loss) && (r.loss as number[]).length === 1);
  assert.ok((r.acc as number) > 0.8, `acc ${r.acc}`);
  // predict: per output, per batch; or stacked
  const per = model.predict(new Blobs(40), { batch_size: 16, verbose: 0 }) as paddle.Tensor[][];
  assert.equal(per.length, 1);
  assert.deepEqual(per[0].map((t) => t.shape), [[16, 4], [16, 4], [8, 4]]);
  const stacked = model.predict(new Blobs(40), { batch_size: 16, stack_outputs: true, verbose: 0 }) as paddle.Tensor[];
  assert.deepEqual(stacked[0].shape, [40, 4]);
  assertClose(stacked[0].getitem('16:32'), per[0][1], 1e-6);
  // drop_last and shuffle=false
  const rec: number[] = [];
  class Sizes extends paddle.callbacks.Callback {
    override on_train_batch_end(_s: number, logs?: Record<string, unknown> | null) {
      rec.push(logs!.batch_size as number);
    }
  }
  model.fit(new Blobs(40), { batch_size: 16, drop_last: true, shuffle: false, verbose: 0, callbacks: new Sizes() });
  assert.deepEqual(rec, [16, 16]);
});

test('a Model with several outputs and losses, and a loss function instead of a Layer', () => {
  class TwoHeads extends paddle.nn.Layer {
    body = new paddle.nn.Linear(2, 8);
    a = new paddle.nn.Linear(8, 4);
    b = new paddle.nn.Linear(8, 1);
    override forward(x: paddle.Tensor) {
      const h = paddle.nn.functional.relu(this.body(x));
      return [this.a(h), this.b(h)];
    }
  }
  paddle.seed(4);
  const net = new TwoHeads();
  const model = new paddle.Model(net, [new InputSpec([null, 2], 'float32', 'x')], [new InputSpec([null], 'int64', 'cls')]);
  const ce = new paddle.nn.CrossEntropyLoss();
  const loss = (logits: paddle.Tensor, reg: paddle.Tensor, label: paddle.Tensor) => [ce(logits, label), paddle.mean(paddle.square(reg))];
  model.prepare(new paddle.optimizer.Adam({ learning_rate: 0.01, parameters: model.parameters() }), loss);
  const x = paddle.rand([6, 2]);
  const y = paddle.to_tensor([0, 1, 2, 3, 0, 1]);
  const losses = model.train_batch([x], [y]) as paddle.Tensor[];
  assert.equal(losses.length, 2);
  const outs = model.predict_batch([x]);
  assert.deepEqual(outs.map((o) => o.shape), [[6, 4], [6, 1]]);
  const r = model.evaluate([[x, y]], { verbose: 0 });
  assert.deepEqual(Object.keys(r), ['loss']);
  assert.equal((r.loss as number[]).length, 2);
});

test('save / load: .pdparams and .pdopt round trip into a fresh Model', () => {
  withTmp((dir) => {
    paddle.seed(7);
    const model = blobModel();
    model.fit(new Blobs(48), { batch_size: 16, epochs: 1, verbose: 0 });
    const path = join(dir, 'ckpt', 'blobs');
    model.save(path);
    assert.deepEqual(readdirSync(join(dir, 'ckpt')).sort(), ['blobs.pdopt', 'blobs.pdparams']);
    const sd = paddle.load(path + '.pdparams') as Record<string, paddle.Tensor>;
    assert.deepEqual(Object.keys(sd), ['0.weight', '0.bias', '2.weight', '2.bias']);
    const opt = paddle.load(path + '.pdopt') as Record<string, unknown>;
    assert.ok(Object.keys(opt).some((k) => k.endsWith('_moment1_0')), Object.keys(opt).join(','));

    // a fresh Model (new parameter names) gets the same weights and the same Adam state
    const fresh = blobModel();
    assert.notEqual(fresh.parameters()[0].name, model.parameters()[0].name);
    fresh.load(path);
    model.parameters().forEach((p, i) => assertClose(fresh.parameters()[i], p, 0, 0));
    // the same next step proves the moments (and beta powers) were restored
    const x = paddle.to_tensor([[-2, -1.5], [2, -2.5], [-1, 2], [2.5, 2]], { dtype: 'float32' });
    const y = paddle.to_tensor([0, 1, 2, 3]);
    model.train_batch([x], [y]);
    fresh.train_batch([x], [y]);
    model.parameters().forEach((p, i) => assertClose(fresh.parameters()[i], p, 1e-6, 1e-7));
    // reset_optimizer: the moments start again, so the step differs
    const reset = blobModel();
    reset.load(path + '.pdparams', { reset_optimizer: true });
    const again = blobModel();
    again.load(path);
    reset.train_batch([x], [y]);
    again.train_batch([x], [y]);
    assert.ok(!paddle.allclose(reset.parameters()[0], again.parameters()[0]).item());
  });
});

test('load: mismatched parameters, skip_mismatch, missing files and bad paths', () => {
  withTmp((dir) => {
    const model = blobModel();
    const path = join(dir, 'm');
    model.save(path);
    assert.ok(existsSync(path + '.pdparams'));
    assert.ok(!existsSync(path + '.pdopt'), 'Adam has no state before its first step');
    const wider = new paddle.Model(new paddle.nn.Sequential(new paddle.nn.Linear(2, 16), new paddle.nn.ReLU(), new paddle.nn.Linear(16, 5)));
    assertThrows(() => wider.load(path), E.InvalidArgumentError, /2\.weight receives a shape \[16, 4\], but the expected shape is \[16, 5\]/);
    const before = wider.parameters()[2].clone();
    const warnings: string[] = [];
    const emit = process.emitWarning;
    process.emitWarning = ((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning;
    try {
      wider.load(path, { skip_mismatch: true });
    } finally {
      process.emitWarning = emit;
    }
    assert.deepEqual(warnings, [
      'Skip loading for 2.weight. 2.weight receives a shape [16, 4], but the expected shape is [16, 5].',
      'Skip loading for 2.bias. 2.bias receives a shape [4], but the expected shape is [5].',
    ]);
    assertClose(wider.parameters()[0], model.parameters()[0], 0, 0);
    assertClose(wider.parameters()[2], before, 0, 0);
    const extra = new paddle.Model(new paddle.nn.Sequential(new paddle.nn.Linear(2, 16), new paddle.nn.ReLU(), new paddle.nn.Linear(16, 4), new paddle.nn.Linear(4, 4)));
    assertThrows(() => extra.load(path), E.InvalidArgumentError, /3\.weight is not found in the providing file/);
    assertThrows(() => model.load(join(dir, 'nothing')), E.NotFoundError, /Failed to load parameters/);
    assertThrows(() => model.load(path + '.bin'), E.InvalidArgumentError, /Unknown postfix \.bin/);
    assertThrows(() => model.save(dir + '/'), E.InvalidArgumentError, /file_prefix is empty/);
  });
});

test('save(path, false): an inference model through paddle.jit.save', () => {
  withTmp((dir) => {
    paddle.seed(8);
    const model = blobModel();
    const path = join(dir, 'infer', 'blobs');
    model.save(path, false);
    assert.deepEqual(readdirSync(join(dir, 'infer')).sort(), ['blobs.pdiparams', 'blobs.pdmodel']);
    const loaded = paddle.jit.load(path);
    const x = paddle.to_tensor([[-2, -2], [2, 2]], { dtype: 'float32' });
    const out = loaded(x) as paddle.Tensor | paddle.Tensor[];
    assertClose(Array.isArray(out) ? out[0] : out, model.predict_batch([x])[0], 1e-5, 1e-6);
    // without inputs and before any batch, the shapes are unknown
    const bare = new paddle.Model(mlp());
    assertThrows(() => bare.save(join(dir, 'x'), false), E.PreconditionNotMetError, /Saving inference model needs 'inputs' or running before saving/);
  });
});

test('inputs default to forward\'s parameters; shapes are inferred from the first batch', () => {
  class Net extends paddle.nn.Layer {
    fc = new paddle.nn.Linear(3, 2);
    override forward(image: paddle.Tensor) {
      return this.fc(image);
    }
  }
  assert.deepEqual(forwardArgNames(Net.prototype.forward), ['image']);
  assert.deepEqual(forwardArgNames(function f(a: unknown, { b }: { b: unknown }, c = 1) { return [a, b, c]; }), ['a', 'input_1']);
  assert.deepEqual(forwardArgNames((...xs: unknown[]) => xs), []);
  const model = new paddle.Model(new Net());
  assert.deepEqual(model._inputs.map((s) => [s.name, s.shape]), [['image', [-1]]]);
  assert.equal(model._labels, null);
  model.prepare(new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: model.parameters() }), new paddle.nn.MSELoss());
  model.train_batch([paddle.rand([5, 3])], [paddle.rand([5, 2])]);
  assert.deepEqual(model._inputs.map((s) => [s.name, s.shape, s.dtype]), [['image', [5, 3], 'float32']]);
  assert.equal(model._is_shape_inferred, true);
  // dict inputs are ordered by forward's parameters
  const specs = new paddle.Model(new Net(), { image: new InputSpec([null, 3], 'float32', 'image') });
  assert.deepEqual(specs._inputs.map((s) => s.name), ['image']);
});

test('Model.summary and parameters', () => {
  const model = new paddle.Model(mlp(), new InputSpec([null, 2], 'float32', 'x'));
  const { out, result } = capture(() => model.summary());
  assert.deepEqual(result, { total_params: 2 * 16 + 16 + 16 * 4 + 4, trainable_params: 116 });
  assert.match(out, /Total params: 116\n/);
  assert.match(out, /\[\[1, 2\]\]\s+\[1, 16\]/);
  const { result: r2 } = capture(() => model.summary([3, 2], 'float32'));
  assert.equal(r2.total_params, 116);
  assert.equal(model.parameters().length, 4);
  assertThrows(() => new paddle.Model(mlp()).summary(), E.InvalidArgumentError, /'input_size' or 'self._input' must be set/);
});

test('errors: prepare, fit before prepare, bad inputs and bad data', () => {
  assertThrows(() => new paddle.Model(3 as never), E.InvalidArgumentError, /paddle\.Model.*'network' expected a paddle\.nn\.Layer/);
  assertThrows(() => new paddle.Model(mlp(), new InputSpec([null, 2], 'float32')), E.InvalidArgumentError, /Requires Input\[0\]\.name != None/);
  assertThrows(() => new paddle.Model(mlp(), [[null, 2]]), E.InvalidArgumentError, /must be paddle\.static\.InputSpec/);
  const model = new paddle.Model(mlp(), new InputSpec([null, 2], 'float32', 'x'), new InputSpec([null], 'int64', 'y'));
  assertThrows(() => model.fit(new Blobs(8), { verbose: 0 }), E.PreconditionNotMetError, /call `model\.prepare\(\)`/);
  assertThrows(() => model.train_batch([paddle.rand([2, 2])], [paddle.to_tensor([0, 1])]), E.PreconditionNotMetError, /model not ready, please call `model\.prepare\(\)` first/);
  assertThrows(() => model.evaluate(new Blobs(8)), E.PreconditionNotMetError, /prepare/);
  assertThrows(() => model.prepare(null, 3 as never), E.InvalidArgumentError, /'loss' must be sub classes of `paddle\.nn\.Layer` or any callable function/);
  assertThrows(() => model.prepare(null, null, [{}] as never), E.InvalidArgumentError, /is not sub class of Metric/);
  assertThrows(() => model.prepare(5 as never), E.InvalidArgumentError, /'optimizer' expected an Optimizer/);
  assertThrows(() => model.prepare(null, null, null, 'O1'), E.UnimplementedError, /mixed precision needs a GPU/);
  model.prepare(new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: model.parameters() }), new paddle.nn.CrossEntropyLoss());
  // a batch of the wrong width fails in the network's first layer, naming it
  assertThrows(() => model.train_batch([paddle.rand([4, 3])], [paddle.to_tensor([0, 1, 2, 3])]), E.InvalidArgumentError, /matmul|linear/);
  assertThrows(() => model.train_batch([{ a: 1 }], null), E.InvalidArgumentError, /inputs\[0\]/);
  assertThrows(() => model.fit(null, { verbose: 0 }), E.InvalidArgumentError, /train_data must be given!/);
  assertThrows(() => model.fit(42, { verbose: 0 }), E.InvalidArgumentError, /'train_data' expected a paddle\.io\.Dataset or a DataLoader/);
  assertThrows(() => model.fit(new Blobs(8), { epochs: 1, verbose: 0, batch_sz: 2 } as never), E.InvalidArgumentError, /unexpected keyword argument 'batch_sz'/);
  assertThrows(() => model.evaluate([], { verbose: 0 }), E.InvalidArgumentError, /eval_data gave no batches/);
  // a loss that returns something else than Tensors
  model.prepare(new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: model.parameters() }), () => 3 as never);
  assertThrows(() => model.train_batch([paddle.rand([2, 2])], [paddle.to_tensor([0, 1])]), E.InvalidArgumentError, /loss function should return a Tensor/);
});
