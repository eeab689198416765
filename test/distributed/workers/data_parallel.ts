// DataParallel gradients and weights equal to single-process training on the concatenated batch
// (run by test/distributed/data_parallel.test.ts). argv: mlp|cnn, comm_buffer_size, last_comm_buffer_size
import assert from 'node:assert/strict';
import * as paddle from '../../../src/index.js';
import * as dist from '../../../src/distributed/index.js';

const [kind, cbs, lcbs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
paddle.set_default_dtype('float64');
dist.init_parallel_env();
const rank = dist.get_rank();
const W = dist.get_world_size();
const nn = paddle.nn;

function build(): paddle.nn.Layer {
  if (kind === 'mlp') return new nn.Sequential(new nn.Linear(5, 8), new nn.Tanh(), new nn.Linear(8, 8), new nn.ReLU(), new nn.Linear(8, 3));
  return new nn.Sequential(new nn.Conv2D(2, 4, 3, 1, 1), new nn.ReLU(), new nn.MaxPool2D(2), new nn.Flatten(), new nn.Linear(4 * 2 * 2, 3));
}
// different seeds per rank: DataParallel must start every rank from rank 0's weights
paddle.seed(100 + rank);
const ref = build();
const local = build();
// rank 0's reference weights, made identical on every rank
for (const prm of ref.parameters()) dist.broadcast(prm, 0);
if (rank === 0) local.set_state_dict(ref.state_dict());
const model = new paddle.DataParallel(local, null, cbs, lcbs);
const refSd = ref.state_dict();
const sd = model.state_dict();
assert.deepEqual(Object.keys(sd), Object.keys(refSd), 'state_dict names without the wrapper prefix');
for (const k of Object.keys(sd)) assert.deepEqual(Array.from(sd[k].numpy() as Float64Array), Array.from(refSd[k].numpy() as Float64Array), k);

const b = 3; // local batch
const shape = kind === 'mlp' ? [5] : [2, 4, 4];
const per = shape.reduce((a, v) => a * v, 1);
const N = b * W;
const xs = Array.from({ length: N * per }, (_, i) => Math.sin(i * 0.37) + 0.1 * (i % 7));
const ys = Array.from({ length: N * 3 }, (_, i) => Math.cos(i * 0.11));
const X = paddle.to_tensor(xs).reshape([N, ...shape]);
const Y = paddle.to_tensor(ys).reshape([N, 3]);
const Xl = X.slice([0], [rank * b], [(rank + 1) * b]);
const Yl = Y.slice([0], [rank * b], [(rank + 1) * b]);
const optRef = new paddle.optimizer.Momentum({ learning_rate: 0.1, momentum: 0.9, parameters: ref.parameters() });
const opt = new paddle.optimizer.Momentum({ learning_rate: 0.1, momentum: 0.9, parameters: model.parameters() });
const close = (a: paddle.Tensor, e: paddle.Tensor, what: string): void => {
  const x = a.numpy() as Float64Array, y = e.numpy() as Float64Array;
  assert.equal(x.length, y.length);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-9 * (1 + Math.abs(y[i])), `${what}[${i}]: ${x[i]} vs ${y[i]}`);
};
let maxBuckets = 0;
let early = 0;
for (let step = 0; step < 4; step++) {
  // the reference sees the whole batch; backward divides by world size, so scale the loss back
  const lr = paddle.nn.functional.mse_loss(ref(X), Y);
  lr.scale(W).backward();
  const l = paddle.nn.functional.mse_loss(model(Xl), Yl);
  l.backward();
  early = Math.max(early, (model as any)._reducer.startedEarly);
  const rp = ref.parameters(), mp = model.parameters();
  rp.forEach((p, i) => close(mp[i].grad!, p.grad!, `step ${step} grad ${i}`));
  optRef.step(); optRef.clear_grad();
  opt.step(); opt.clear_grad();
  rp.forEach((p, i) => close(mp[i], p, `step ${step} weight ${i}`));
  maxBuckets = Math.max(maxBuckets, (model as any)._reducer.groups.length);
}
console.log('RESULT ' + JSON.stringify({ rank, W, buckets: maxBuckets, early, kind }));
