// DataParallel with a sparse Embedding (run by test/distributed/data_parallel.test.ts): the
// table's SelectedRows gradient is gathered from every rank (rows and value rows concatenated in
// rank order, as Paddle's SelectedRows allreduce), the dense parameters are allreduced, and the
// weights follow single-process training on the concatenated batch. argv: sgd|adam-lazy
import assert from 'node:assert/strict';
import * as paddle from '../../../src/index.js';
import * as dist from '../../../src/distributed/index.js';

const optName = process.argv[2];
paddle.set_default_dtype('float64');
dist.init_parallel_env();
const rank = dist.get_rank();
const W = dist.get_world_size();
const nn = paddle.nn;
const V = 11, D = 4, L = 3, b = 2;

class Net extends nn.Layer {
  emb = new nn.Embedding(V, D, { sparse: true });
  fc = new nn.Linear(D, 2);
  override forward(ids: paddle.Tensor): paddle.Tensor {
    return this.fc(this.emb(ids).mean(1));
  }
}
paddle.seed(7 + rank);
const ref = new Net();
const local = new Net();
for (const prm of ref.parameters()) dist.broadcast(prm, 0);
if (rank === 0) local.set_state_dict(ref.state_dict());
const model = new paddle.DataParallel(local, null, 0.0001, 0.0001);

const N = b * W;
// ids repeat within and across ranks, so rows overlap
const ids = paddle.to_tensor(Array.from({ length: N * L }, (_, i) => (i * 5 + 3) % 7), { dtype: 'int64' }).reshape([N, L]);
const Y = paddle.to_tensor(Array.from({ length: N * 2 }, (_, i) => Math.sin(i))).reshape([N, 2]);
const idsL = ids.slice([0], [rank * b], [(rank + 1) * b]);
const YL = Y.slice([0], [rank * b], [(rank + 1) * b]);
const mk = (ps: paddle.Tensor[]) => optName === 'sgd'
  ? new paddle.optimizer.SGD({ learning_rate: 0.5, parameters: ps })
  : new paddle.optimizer.Adam({ learning_rate: 0.05, parameters: ps, lazy_mode: true });
const optRef = mk(ref.parameters());
const opt = mk(model.parameters());
const close = (x: ArrayLike<number>, y: ArrayLike<number>, what: string): void => {
  assert.equal(x.length, y.length, what);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-9 * (1 + Math.abs(y[i])), `${what}[${i}]: ${x[i]} vs ${y[i]}`);
};
for (let step = 0; step < 3; step++) {
  nn.functional.mse_loss(ref(ids), Y).scale(W).backward();
  nn.functional.mse_loss(model(idsL), YL).backward();
  const g = local.emb.weight.grad as any;
  assert.equal(g.type, 'SELECTED_ROWS', 'the table gradient stays sparse');
  // every rank's rows, in rank order: its ids at first; after clear_grad, the emptied gradient
  // merges with the new one (sorted unique rows), as Paddle's SelectedRows accumulation
  const all = Array.from(ids.numpy() as BigInt64Array, Number);
  const expected: number[] = [];
  for (let r = 0; r < W; r++) {
    const mine = all.slice(r * b * L, (r + 1) * b * L);
    expected.push(...(step === 0 ? mine : [...new Set(mine)].sort((x, y) => x - y)));
  }
  assert.deepEqual(g.rows, expected, 'gathered rows');
  close(g.to_dense().numpy(), (ref.emb.weight.grad as any).to_dense().numpy(), `step ${step} table grad`);
  close(local.fc.weight.grad!.numpy() as Float64Array, ref.fc.weight.grad!.numpy() as Float64Array, `step ${step} fc grad`);
  optRef.step(); optRef.clear_grad();
  opt.step(); opt.clear_grad();
  ref.parameters().forEach((p, i) => close(model.parameters()[i].numpy() as Float64Array, p.numpy() as Float64Array, `step ${step} weight ${i}`));
}
console.log('RESULT ' + JSON.stringify({ rank, W, opt: optName }));
