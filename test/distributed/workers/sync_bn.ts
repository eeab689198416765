// nn.SyncBatchNorm across processes equals BatchNorm on the concatenated batch (forward, backward,
// running statistics), with unequal local batches (run by test/distributed/sync_bn.test.ts).
import assert from 'node:assert/strict';
import * as paddle from '../../../src/index.js';
import * as dist from '../../../src/distributed/index.js';

paddle.set_default_dtype('float64');
dist.init_parallel_env();
const rank = dist.get_rank();
const W = dist.get_world_size();
const nn = paddle.nn;
const sizes = Array.from({ length: W }, (_, r) => r + 1 + (r % 2) * 2); // unequal local batches
const N = sizes.reduce((a, b) => a + b, 0);
const start = sizes.slice(0, rank).reduce((a, b) => a + b, 0);
let worst = 0;
const close = (a: ArrayLike<number>, e: ArrayLike<number>, what: string): void => {
  assert.equal(a.length, e.length, what);
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    worst = Math.max(worst, d);
    assert.ok(d <= 1e-6, `${what}[${i}]: ${a[i]} vs ${e[i]}`);
  }
};
const num = (t: paddle.Tensor): Float64Array => Float64Array.from(t.numpy() as Float64Array);

for (const [name, shape, mkRef, mkSync] of [
  ['4-D NCHW', [3, 2, 2], () => new nn.BatchNorm2D(3), () => new nn.SyncBatchNorm(3)],
  ['2-D', [4], () => new nn.BatchNorm1D(4), () => new nn.SyncBatchNorm(4)],
  ['converted', [3, 2, 2], () => new nn.Sequential(new nn.BatchNorm2D(3)), () => nn.SyncBatchNorm.convert_sync_batchnorm(new nn.Sequential(new nn.BatchNorm2D(3)))],
] as const) {
  const per = shape.reduce((a, b) => a * b, 1);
  const ref = mkRef() as paddle.nn.Layer;
  const syn = mkSync() as paddle.nn.Layer;
  // non-trivial affine parameters, equal on both
  ref.parameters().forEach((p, i) => { const v = paddle.to_tensor(Array.from({ length: p.size }, (_, k) => 0.5 + 0.25 * k + i)); p.set_value(v); syn.parameters()[i].set_value(v); });
  for (let step = 0; step < 2; step++) {
    const xs = Array.from({ length: N * per }, (_, i) => Math.sin(i * 0.7 + step) * 3 + (i % 5));
    const gs = Array.from({ length: N * per }, (_, i) => Math.cos(i * 0.3 - step));
    const X = paddle.to_tensor(xs).reshape([N, ...shape]); X.stop_gradient = false;
    const G = paddle.to_tensor(gs).reshape([N, ...shape]);
    const Xl = paddle.to_tensor(xs.slice(start * per, (start + sizes[rank]) * per)).reshape([sizes[rank], ...shape]); Xl.stop_gradient = false;
    const Gl = paddle.to_tensor(gs.slice(start * per, (start + sizes[rank]) * per)).reshape([sizes[rank], ...shape]);
    const yr = ref(X) as paddle.Tensor;
    const yl = syn(Xl) as paddle.Tensor;
    close(num(yl), num(yr).slice(start * per, (start + sizes[rank]) * per), `${name} forward`);
    paddle.sum(yr.multiply(G)).backward();
    paddle.sum(yl.multiply(Gl)).backward();
    close(num(Xl.grad!), num(X.grad!).slice(start * per, (start + sizes[rank]) * per), `${name} dx`);
    // parameter gradients are local sums (DataParallel adds them up)
    const tr = (l: paddle.nn.Layer, t: boolean) => l.parameters().filter((p) => p.trainable === t);
    tr(ref, true).forEach((p, i) => {
      const g = tr(syn, true)[i].grad!.clone();
      dist.all_reduce(g);
      close(num(g), num(p.grad!), `${name} dparam ${i}`);
    });
    ref.parameters().forEach((p) => p.clear_grad());
    syn.parameters().forEach((p) => p.clear_grad());
    const rb = [...tr(ref, false), ...ref.buffers()], sb = [...tr(syn, false), ...syn.buffers()];
    assert.equal(rb.length, 2);
    rb.forEach((b, i) => close(num(sb[i]), num(b), `${name} running stat ${i}`));
  }
  // eval mode uses the running statistics
  ref.eval(); syn.eval();
  const xe = paddle.to_tensor(Array.from({ length: 2 * per }, (_, i) => i * 0.1)).reshape([2, ...shape]);
  close(num(syn(xe) as paddle.Tensor), num(ref(xe) as paddle.Tensor), `${name} eval`);
}
console.log('RESULT ' + JSON.stringify({ rank, W, worst }));
