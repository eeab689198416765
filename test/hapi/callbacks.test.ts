// paddle.callbacks and the progress bar: Python's number formatting, the ProgressBar lines in
// verbose 1 (terminal / not) and 2, ProgBarLogger output through fit, the order of the
// callback hooks, ModelCheckpoint / EarlyStopping files, LRScheduler, VisualDL scalars,
// ReduceLROnPlateau, and argument errors.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { formatStepTime, ProgressBar, pyExp, pyFloat, pyFixed } from '../../src/hapi/progressbar.js';
import { assertThrows } from '../helpers/assert.js';
import { Blobs, blobModel, capture, withTmp } from './fixtures.js';

const { callbacks } = paddle;

test('Python number formatting: %.4e, %.4f, repr(float), step time', () => {
  // values from Python: '%.4e' % v, repr(v)
  assert.equal(pyExp(0.000123), '1.2300e-04');
  assert.equal(pyExp(-4.5e-7), '-4.5000e-07');
  assert.equal(pyExp(1.5e123), '1.5000e+123');
  assert.equal(pyFixed(0.34215, 4), '0.3422');
  assert.equal(pyFixed(NaN, 4), 'nan');
  assert.equal(pyFloat(1e-5), '1e-05');
  assert.equal(pyFloat(0.0001), '0.0001');
  assert.equal(pyFloat(2), '2.0');
  assert.equal(pyFloat(0.1 * 0.1), '0.010000000000000002');
  assert.equal(pyFloat(1e16), '1e+16');
  assert.equal(pyFloat(123456.789), '123456.789');
  assert.equal(pyFloat(-2.5e-10), '-2.5e-10');
  assert.equal(formatStepTime(0.0123), ' - 12ms/step');
  assert.equal(formatStepTime(0.0000123), ' - 12us/step');
  assert.equal(formatStepTime(2.4), ' - 2s/step');
  assert.equal(formatStepTime(0), ' - 0s/step');
});

function sink(isTTY: boolean) {
  const f = { text: '', isTTY, columns: 80, write(s: string) { f.text += s; return true; } };
  return f;
}

test('ProgressBar verbose 2: one line per update', () => {
  const f = sink(false);
  const bar = new ProgressBar(938, 30, 2, true, f);
  bar.update(10, [['loss', [0.34213]], ['acc', 0.90121], ['lr', 0.0000123]]);
  bar.update(938, [['loss', [0.1]]]);
  const lines = f.text.split('\n');
  assert.match(lines[0], /^step  10\/938 - loss: 0\.3421 - acc: 0\.9012 - lr: 1\.2300e-05 - \d+(us|ms|s)\/step$/);
  assert.match(lines[1], /^step 938\/938 - loss: 0\.1000 - \d+(us|ms|s)\/step$/);
  assert.equal(lines[2], '');
  // no known total: 'step %3d'
  const g = sink(false);
  new ProgressBar(null, 30, 2, true, g).update(7, [['loss', 1.5]]);
  assert.match(g.text, /^step   7 - loss: 1\.5000 - /);
});

test('ProgressBar verbose 1: a bar, redrawn in place on a terminal, new lines otherwise', () => {
  const f = sink(false);
  const bar = new ProgressBar(20, 30, 1, true, f);
  bar.update(10, [['loss', [0.5]]]);
  bar.update(20, [['loss', [0.25]]]);
  const parts = f.text.split('\n');
  // Python's non-dynamic display writes '\n' before each bar; the last update ends the line
  assert.equal(parts[0], '');
  assert.match(parts[1], /^step 10\/20 \[={14}>\.{15}\] - loss: 0\.5000 - ETA: \d+s - \d+(us|ms|s)\/step$/);
  assert.match(parts[2], /^step 20\/20 \[={30}\] - loss: 0\.2500 - \d+(us|ms|s)\/step */);
  const t = sink(true);
  const tb = new ProgressBar(20, 30, 1, true, t);
  tb.update(10, [['loss', [0.5]]]);
  const first = t.text;
  assert.ok(first.startsWith('\r') && !first.includes('\n'), JSON.stringify(first));
  tb.update(20, [['loss', [0.25]]]);
  const second = t.text.slice(first.length);
  const width = first.length - 1; // what was drawn: the bar and its info
  assert.ok(second.startsWith('\b'.repeat(width) + '\r'), 'the second draw backs over the first');
  assert.ok(second.endsWith('\n'));
  // the bar width follows the terminal: min(60%, columns - 50)
  const narrow = { ...sink(true), columns: 70 };
  assert.equal(new ProgressBar(10, 30, 1, true, narrow)._width, 20);
  assert.throws(() => new ProgressBar(0), TypeError);
});

test('ProgBarLogger through fit: Paddle lines for verbose 2, silent for verbose 0', () => {
  paddle.seed(5);
  const model = blobModel();
  const { out } = capture(() => model.fit(new Blobs(64), new Blobs(32, 7), { batch_size: 16, epochs: 2, log_freq: 2, verbose: 2, shuffle: false }));
  const lines = out.split('\n');
  assert.equal(lines[0], 'The loss value printed in the log is the current step, and the metric is the average value of previous step.');
  assert.equal(lines[1], 'Epoch 1/2');
  assert.match(lines[2], /^step 2\/4 - loss: \d\.\d{4} - acc: \d\.\d{4} - \d+(us|ms|s)\/step$/);
  assert.match(lines[3], /^step 4\/4 - loss: \d\.\d{4} - acc: \d\.\d{4} - \d+(us|ms|s)\/step$/);
  assert.equal(lines[4], 'Eval begin...');
  assert.match(lines[5], /^step 2\/2 - loss: \d\.\d{4} - acc: \d\.\d{4} - /);
  assert.equal(lines[6], 'Eval samples: 32');
  assert.equal(lines[7], 'Epoch 2/2');
  assert.equal(out.match(/^Eval begin\.\.\.$/gm)?.length, 2);
  const silent = capture(() => model.fit(new Blobs(32), { batch_size: 16, epochs: 1, verbose: 0 }));
  assert.equal(silent.out, '');
  // evaluate and predict log too
  const ev = capture(() => model.evaluate(new Blobs(32), { batch_size: 16, log_freq: 1 }));
  assert.match(ev.out, /^Eval begin\.\.\.\nstep 1\/2 - loss: .* - acc: .*\nstep 2\/2 - loss: .*\nEval samples: 32\n$/);
  // predict logs every 2 steps (Paddle's config_callbacks default) and the last step when not logged yet
  const pr = capture(() => model.predict(new Blobs(40), { batch_size: 16, verbose: 2 }));
  assert.match(pr.out, /^Predict begin\.\.\.\nstep 2\/3 - \d+(us|ms|s)\/step\nstep 3\/3 - \d+(us|ms|s)\/step\nPredict samples: 40\n$/);
  const pr2 = capture(() => model.predict(new Blobs(32), { batch_size: 16, verbose: 2 }));
  assert.equal(pr2.out, 'Predict begin...\nPredict samples: 32\n');
  // verbose 3 adds the timers
  const v3 = capture(() => model.fit(new Blobs(32), { batch_size: 16, epochs: 1, verbose: 3, log_freq: 1 }));
  assert.match(v3.out, /step 1\/2 - loss: .* - acc: .* - avg_reader_cost: \d+\.\d{5} sec - avg_batch_cost: \d+\.\d{5} sec - ips: \d+\.\d{5} samples\/sec - /);
});

class Recorder extends callbacks.Callback {
  events: string[] = [];
  override on_train_begin() { this.events.push('train_begin'); }
  override on_train_end() { this.events.push('train_end'); }
  override on_epoch_begin(e: number) { this.events.push(`epoch_begin ${e}`); }
  override on_epoch_end(e: number, logs?: Record<string, unknown> | null) { this.events.push(`epoch_end ${e} ${Object.keys(logs ?? {}).join(',')}`); }
  override on_train_batch_begin(s: number) { this.events.push(`train_batch_begin ${s}`); }
  override on_train_batch_end(s: number, logs?: Record<string, unknown> | null) { this.events.push(`train_batch_end ${s} bs=${logs?.batch_size}`); }
  override on_eval_begin(logs?: Record<string, unknown> | null) { this.events.push(`eval_begin steps=${logs?.steps} metrics=${logs?.metrics}`); }
  override on_eval_end() { this.events.push('eval_end'); }
  override on_eval_batch_begin(s: number) { this.events.push(`eval_batch_begin ${s}`); }
  override on_eval_batch_end(s: number) { this.events.push(`eval_batch_end ${s}`); }
  override on_predict_begin(logs?: Record<string, unknown> | null) { this.events.push(`predict_begin steps=${logs?.steps}`); }
  override on_predict_end() { this.events.push('predict_end'); }
  override on_predict_batch_begin(s: number) { this.events.push(`predict_batch_begin ${s}`); }
  override on_predict_batch_end(s: number) { this.events.push(`predict_batch_end ${s}`); }
}

test('fit / evaluate / predict call the callbacks in Paddle order, with params and model set', () => {
  const model = blobModel();
  const rec = new Recorder();
  model.fit(new Blobs(20), new Blobs(8), { batch_size: 8, epochs: 3, eval_freq: 2, verbose: 0, callbacks: rec });
  assert.deepEqual(rec.events, [
    'train_begin',
    'epoch_begin 0',
    'train_batch_begin 0', 'train_batch_end 0 bs=8',
    'train_batch_begin 1', 'train_batch_end 1 bs=8',
    'train_batch_begin 2', 'train_batch_end 2 bs=4',
    'epoch_end 0 loss,acc,step,batch_size',
    'eval_begin steps=1 metrics=loss,acc',
    'eval_batch_begin 0', 'eval_batch_end 0',
    'eval_end',
    'epoch_begin 1',
    'train_batch_begin 0', 'train_batch_end 0 bs=8',
    'train_batch_begin 1', 'train_batch_end 1 bs=8',
    'train_batch_begin 2', 'train_batch_end 2 bs=4',
    'epoch_end 1 loss,acc,step,batch_size',
    'epoch_begin 2',
    'train_batch_begin 0', 'train_batch_end 0 bs=8',
    'train_batch_begin 1', 'train_batch_end 1 bs=8',
    'train_batch_begin 2', 'train_batch_end 2 bs=4',
    'epoch_end 2 loss,acc,step,batch_size',
    'eval_begin steps=1 metrics=loss,acc',
    'eval_batch_begin 0', 'eval_batch_end 0',
    'eval_end',
    'train_end',
  ]);
  assert.equal(rec.model, model);
  assert.deepEqual(rec.params, { batch_size: null, epochs: 3, steps: 3, verbose: 0, metrics: ['loss', 'acc'] });
  rec.events = [];
  model.evaluate(new Blobs(8), { batch_size: 8, verbose: 0, callbacks: [rec] });
  assert.deepEqual(rec.events, ['eval_begin steps=1 metrics=loss,acc', 'eval_batch_begin 0', 'eval_batch_end 0', 'eval_end']);
  rec.events = [];
  model.predict(new Blobs(10), { batch_size: 8, verbose: 0, callbacks: [rec] });
  assert.deepEqual(rec.events, ['predict_begin steps=2', 'predict_batch_begin 0', 'predict_batch_end 0', 'predict_batch_begin 1', 'predict_batch_end 1', 'predict_end']);
});

test('ModelCheckpoint: save_dir/{epoch} every save_freq epochs and save_dir/final', () => {
  withTmp((dir) => {
    const model = blobModel();
    const { out } = capture(() => model.fit(new Blobs(16), { batch_size: 8, epochs: 3, save_dir: dir, save_freq: 2, verbose: 0 }));
    assert.deepEqual(readdirSync(dir).sort(), ['0.pdopt', '0.pdparams', '2.pdopt', '2.pdparams', 'final.pdopt', 'final.pdparams']);
    assert.equal(out, [`save checkpoint at ${join(dir, '0')}`, `save checkpoint at ${join(dir, '2')}`, `save checkpoint at ${join(dir, 'final')}`, ''].join('\n'));
    const sd = paddle.load(join(dir, 'final.pdparams')) as Record<string, paddle.Tensor>;
    assert.deepEqual(Object.keys(sd), ['0.weight', '0.bias', '2.weight', '2.bias']);
    // a ModelCheckpoint given in callbacks replaces fit's own
    const sub = join(dir, 'own');
    capture(() => model.fit(new Blobs(16), { batch_size: 8, epochs: 1, verbose: 0, callbacks: [new callbacks.ModelCheckpoint({ save_dir: sub })] }));
    assert.deepEqual(readdirSync(sub).sort(), ['0.pdopt', '0.pdparams', 'final.pdopt', 'final.pdparams']);
    // no save_dir: nothing saved
    const ck = new callbacks.ModelCheckpoint();
    assert.equal(ck.save_freq, 1);
    assert.equal(ck.save_dir, null);
  });
});

/** A model stand-in for driving monitor callbacks with chosen eval results. */
function fakeModel(opt: unknown = null) {
  const saved: string[] = [];
  return { saved, stop_training: false, _optimizer: opt, save(p: string) { saved.push(p); } };
}

test('EarlyStopping: patience, min_delta, mode, baseline and the best model', () => {
  const es = new callbacks.EarlyStopping('loss', { mode: 'min', patience: 2, min_delta: 0.1 });
  const m = fakeModel();
  es.set_model(m as never);
  es.save_dir = '/ckpt';
  es.on_train_begin();
  const { out } = capture(() => {
    for (const v of [1.0, 0.95, 0.85, 0.8, 0.79]) {
      es.on_eval_end({ loss: [v] });
      if (m.stop_training) break;
    }
  });
  // 1.0 improves (from inf), 0.95 not by > 0.1, 0.85 improves (1.0 - 0.85 > 0.1)... 0.8 no, 0.79 no -> stop
  assert.deepEqual(m.saved, ['/ckpt/best_model', '/ckpt/best_model']);
  assert.equal(m.stop_training, true);
  assert.equal(es.best_value, 0.85);
  assert.equal(out, 'Epoch 5: Early stopping.\nBest checkpoint has been saved at /ckpt/best_model\n');
  // mode auto with 'acc' maximizes; a baseline must be beaten
  const acc = new callbacks.EarlyStopping({ monitor: 'acc', patience: 1, baseline: 0.9, verbose: 0, save_best_model: false });
  const m2 = fakeModel();
  acc.set_model(m2 as never);
  acc.on_train_begin();
  acc.on_eval_end({ acc: 0.85 });
  assert.equal(m2.stop_training, true);
  assert.deepEqual(m2.saved, []);
  // in fit: patience 0 and an unreachable baseline stop after the first evaluation
  withTmp((dir) => {
    const model = blobModel();
    const rec = new Recorder();
    capture(() => model.fit(new Blobs(16), new Blobs(8), { batch_size: 8, epochs: 5, verbose: 0, save_dir: dir, callbacks: [new callbacks.EarlyStopping({ baseline: 0, verbose: 0 }), rec] }));
    assert.equal(rec.events.filter((e) => e.startsWith('epoch_begin')).length, 1);
    assert.ok(!existsSync(join(dir, 'best_model.pdparams')));
    const model2 = blobModel();
    capture(() => model2.fit(new Blobs(16), new Blobs(8), { batch_size: 8, epochs: 1, verbose: 0, save_dir: dir, callbacks: [new callbacks.EarlyStopping()] }));
    assert.ok(existsSync(join(dir, 'best_model.pdparams')));
  });
});

test('LRScheduler callback: steps the scheduler per batch (default) or per epoch', () => {
  const sched = new paddle.optimizer.lr.StepDecay({ learning_rate: 1.0, step_size: 1, gamma: 0.5 });
  const model = blobModel((ps) => new paddle.optimizer.SGD({ learning_rate: sched, parameters: ps }));
  model.fit(new Blobs(24), { batch_size: 8, epochs: 1, verbose: 0 });
  assert.equal(sched.last_epoch, 3);
  assert.equal(sched.get_lr(), 0.125);
  const sched2 = new paddle.optimizer.lr.StepDecay({ learning_rate: 1.0, step_size: 1, gamma: 0.5 });
  const model2 = blobModel((ps) => new paddle.optimizer.SGD({ learning_rate: sched2, parameters: ps }));
  model2.fit(new Blobs(24), { batch_size: 8, epochs: 2, verbose: 0, callbacks: new callbacks.LRScheduler({ by_step: false, by_epoch: true }) });
  assert.equal(sched2.last_epoch, 2);
  assertThrows(() => new callbacks.LRScheduler(true, true), paddle.errors.InvalidArgumentError, /mutually exclusive/);
});

test('VisualDL: train and eval scalars as JSON lines in log_dir', () => {
  withTmp((dir) => {
    const model = blobModel();
    model.fit(new Blobs(24), new Blobs(8), { batch_size: 8, epochs: 2, verbose: 0, callbacks: new callbacks.VisualDL(dir) });
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^vdlrecords\.\d+\.jsonl$/);
    const recs = readFileSync(join(dir, files[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const tags = recs.map((r) => `${r.tag}@${r.step}`);
    assert.deepEqual(tags.filter((t) => t.startsWith('train/loss')), ['train/loss@1', 'train/loss@2', 'train/loss@3', 'train/loss@4', 'train/loss@5', 'train/loss@6']);
    assert.deepEqual(tags.filter((t) => t.startsWith('eval/')), ['eval/loss@0', 'eval/acc@0', 'eval/loss@1', 'eval/acc@1']);
    for (const r of recs) assert.ok(typeof r.value === 'number' && typeof r.wall_time === 'number');
  });
});

test('ReduceLROnPlateau: reduces a float learning rate after patience evaluations', () => {
  const sgd = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: [paddle.create_parameter([1], 'float32')] });
  const cb = new callbacks.ReduceLROnPlateau({ patience: 1, cooldown: 1, min_lr: 0.002 });
  const m = fakeModel(sgd);
  cb.set_model(m as never);
  cb.on_train_begin();
  const { out } = capture(() => {
    cb.on_eval_end({ loss: [1.0] }); // improves
    cb.on_eval_end({ loss: [1.0] }); // wait 1 -> reduce to 0.01, cooldown 1
    cb.on_eval_end({ loss: [1.0] }); // the cooldown ends (as Paddle / Keras count it), wait 1 -> reduce to max(0.001, 0.002)
    cb.on_eval_end({ loss: [1.0] }); // at min_lr: no change
    cb.on_eval_end({ loss: [0.5] }); // improves
  });
  assert.equal(out, '\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.010000000000000002.\n\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.002.\n');
  assert.equal(sgd.get_lr(), 0.002);
  // an LRScheduler learning rate is left alone (with a warning)
  const sched = new paddle.optimizer.lr.StepDecay(0.1, 10);
  const cb2 = new callbacks.ReduceLROnPlateau({ patience: 0, verbose: 0 });
  cb2.set_model(fakeModel(new paddle.optimizer.SGD({ learning_rate: sched, parameters: [paddle.create_parameter([1], 'float32')] })) as never);
  cb2.on_train_begin();
  cb2.on_eval_end({ loss: [1.0] });
  cb2.on_eval_end({ loss: [2.0] });
  assert.equal(sched.get_lr(), 0.1);
  assertThrows(() => new callbacks.ReduceLROnPlateau({ factor: 1.0 }), paddle.errors.InvalidArgumentError, /factor >= 1\.0/);
});

test('callback arguments are checked', () => {
  assertThrows(() => new callbacks.ProgBarLogger({ log_frq: 2 } as never), paddle.errors.InvalidArgumentError, /ProgBarLogger.*unexpected keyword argument 'log_frq'/);
  assertThrows(() => new callbacks.ProgBarLogger(0), paddle.errors.InvalidArgumentError, /log_freq should be a positive integer/);
  assertThrows(() => new callbacks.ModelCheckpoint('1' as never), paddle.errors.InvalidArgumentError, /save_freq/);
  assertThrows(() => new callbacks.EarlyStopping({ patience: 1.5 }), paddle.errors.InvalidArgumentError, /patience/);
  assertThrows(() => new (callbacks.VisualDL as unknown as new () => unknown)(), paddle.errors.InvalidArgumentError, /missing required argument 'log_dir'/);
  const model = blobModel();
  assertThrows(() => model.fit(new Blobs(8), { callbacks: [{}] as never, verbose: 0 }), paddle.errors.InvalidArgumentError, /Callback instances/);
  const p = new callbacks.ProgBarLogger(10, 1);
  assert.equal(p.log_freq, 10);
  assert.equal(p.verbose, 1);
});
