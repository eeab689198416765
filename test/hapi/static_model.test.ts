// paddle.Model in static mode (StaticGraphAdapter): programs built by prepare from the
// InputSpecs, fit / evaluate / predict through the Executor, checkpoints that load into a
// fresh static Model and into a dygraph Model, the inference model, and errors.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { Blobs, capture, mlp, withTmp } from './fixtures.js';

const { InputSpec } = paddle.static;

/** Runs fn in static mode with fresh main / startup programs. */
function inStatic<R>(fn: () => R): R {
  paddle.enable_static();
  try {
    return paddle.static.program_guard(new paddle.static.Program(), new paddle.static.Program(), fn);
  } finally {
    paddle.disable_static();
  }
}

function staticModel(): paddle.Model {
  const model = new paddle.Model(mlp(), [new InputSpec([null, 2], 'float32', 'x')], [new InputSpec([null], 'int64', 'label')]);
  model.prepare(new paddle.optimizer.Adam({ learning_rate: 0.05, parameters: model.parameters() }), new paddle.nn.CrossEntropyLoss(), new paddle.metric.Accuracy());
  return model;
}

test('static Model: fit, evaluate, predict, save / load and the inference model', () => {
  withTmp((dir) => {
    const x = [[-2, -2], [2, -2], [-2, 2], [2, 2]];
    const { saved, predicted, acc } = inStatic(() => {
      paddle.seed(2021);
      const model = staticModel();
      const { out } = capture(() => model.fit(new Blobs(200), new Blobs(100, 99), { batch_size: 16, epochs: 4, verbose: 2, log_freq: 100 }));
      assert.match(out, /^Epoch 4\/4\nstep 13\/13 - loss: \d\.\d{4} - acc: \d\.\d{4} - /m);
      const r = model.evaluate(new Blobs(100, 99), { batch_size: 50, verbose: 0 });
      assert.ok((r.acc as number) >= 0.9, `acc ${r.acc}`);
      // train_batch / eval_batch / predict_batch take array data and give Tensors
      const [losses, metrics] = model.eval_batch([x], [[0, 1, 2, 3]]) as [paddle.Tensor[], number[]];
      assert.deepEqual(losses[0].shape, [1]);
      assert.equal(metrics.length, 1);
      const [logits] = model.predict_batch([x]);
      assert.deepEqual(logits.shape, [4, 4]);
      const stacked = model.predict(new Blobs(10), { batch_size: 4, stack_outputs: true, verbose: 0 }) as paddle.Tensor[];
      assert.deepEqual(stacked[0].shape, [10, 4]);
      assert.ok(!(stacked[0] instanceof paddle.static.Variable), 'a value, not a program variable');
      const b = new Blobs(10).x;
      const first4 = [0, 1, 2, 3].map((i) => [b[2 * i], b[2 * i + 1]]);
      assertClose(Array.from(stacked[0].numpy() as Float32Array).slice(0, 16), model.predict_batch([first4])[0].numpy() as Float32Array, 1e-6);
      model.save(join(dir, 'ckpt'));
      model.save(join(dir, 'infer'), false);
      // a fresh static Model of the same architecture loads the checkpoint
      const fresh = staticModel();
      fresh.load(join(dir, 'ckpt'));
      const r2 = fresh.evaluate(new Blobs(100, 99), { batch_size: 50, verbose: 0 });
      assert.equal(r2.acc, r.acc);
      assertClose(r2.loss as number[], r.loss as number[], 1e-6);
      return { saved: r, predicted: logits, acc: r.acc };
    });
    assert.deepEqual(readdirSync(dir).sort(), ['ckpt.pdopt', 'ckpt.pdparams', 'infer.pdiparams', 'infer.pdmodel']);
    // the static checkpoint loads into a dygraph Model (the same structured names)
    const dy = new paddle.Model(mlp(), [new InputSpec([null, 2], 'float32', 'x')], [new InputSpec([null], 'int64', 'label')]);
    dy.prepare(null, new paddle.nn.CrossEntropyLoss(), new paddle.metric.Accuracy());
    dy.load(join(dir, 'ckpt'), { reset_optimizer: true });
    assertClose(dy.predict_batch([x])[0], predicted, 1e-5, 1e-6);
    assert.equal(dy.evaluate(new Blobs(100, 99), { batch_size: 50, verbose: 0 }).acc, acc);
    void saved;
    // the inference model gives the same outputs
    const infer = paddle.jit.load(join(dir, 'infer'));
    const out = infer(paddle.to_tensor(x, { dtype: 'float32' })) as paddle.Tensor | paddle.Tensor[];
    assertClose(Array.isArray(out) ? out[0] : out, predicted, 1e-5, 1e-6);
  });
});

test('static Model errors: inputs required, prepare first, input count', () => {
  inStatic(() => {
    assertThrows(() => new paddle.Model(mlp()), paddle.errors.InvalidArgumentError, /'inputs' must be list or dict, and couldn't be None/);
    const model = new paddle.Model(mlp(), [new InputSpec([null, 2], 'float32', 'x')], [new InputSpec([null], 'int64', 'label')]);
    assertThrows(() => model.predict_batch([[[1, 2]]]), paddle.errors.PreconditionNotMetError, /Model is not ready, please call `model\.prepare\(\)` first/);
    model.prepare(null, new paddle.nn.CrossEntropyLoss());
    assertThrows(() => model.train_batch([[[1, 2]]], [[0]]), paddle.errors.PreconditionNotMetError, /model not ready/);
    assertThrows(() => model.predict_batch([[[1, 2]], [[3, 4]]]), paddle.errors.InvalidArgumentError, /number of inputs \(2\) does not match number of arguments of `forward` method \(1\)/);
  });
});
