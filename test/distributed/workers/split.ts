// paddle.distributed.split on 2 ranks against the unsplit layer (run by test/distributed/split.test.ts).
import assert from 'node:assert/strict';
import * as paddle from '../../../src/index.js';
import * as dist from '../../../src/distributed/index.js';

dist.init_parallel_env();
const rank = dist.get_rank();
const P = dist.get_world_size();
const arr = (t: paddle.Tensor): number[] => Array.from(t.numpy() as Float64Array, Number);
const close = (a: number[], b: number[], what: string): void => {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-9, `${what}[${i}]: ${v} vs ${b[i]}`));
};
paddle.set_default_dtype('float64');
const R = 6, C = 4, B = 3;
const full = (r: number, c: number, s: number): number[][] =>
  Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => Math.sin(s + 1.3 * i + 0.7 * j)));
const W = full(R, C, 1), bias = full(1, C, 5)[0], X = full(B, R, 9);
const attr = (v: unknown) => new paddle.ParamAttr({ initializer: new paddle.nn.initializer.Assign(v as number[][]) });
const coef = paddle.to_tensor(full(B, C, 3));

// the unsplit layer
const xf = paddle.to_tensor(X, 'float64');
const wf = paddle.to_tensor(W, 'float64'); wf.stop_gradient = false;
const yf = paddle.nn.functional.linear(xf, wf, paddle.to_tensor(bias, 'float64'));
paddle.sum(paddle.multiply(yf, coef)).backward();

// row parallel: rank k holds rows [k*R/P, (k+1)*R/P) and the matching input features
{
  const per = R / P, rows = W.slice(rank * per, (rank + 1) * per);
  const xk = paddle.to_tensor(X.map((r) => r.slice(rank * per, (rank + 1) * per)), 'float64');
  const y = dist.split(xk, [R, C], 'linear', { axis: 0, num_partitions: P, weight_attr: attr(rows), bias_attr: attr(bias) });
  close(arr(y), arr(yf), 'row-parallel out');
}
// column parallel: rank k holds columns [k*C/P, ...)
{
  const per = C / P, cols = W.map((r) => r.slice(rank * per, (rank + 1) * per));
  const y = dist.split(xf, [R, C], 'linear', { axis: 1, num_partitions: P, weight_attr: attr(cols), bias_attr: attr(bias.slice(rank * per, (rank + 1) * per)) });
  close(arr(y), arr(yf), 'column-parallel out');
  paddle.sum(paddle.multiply(y, coef)).backward();
}
// row parallel: the gradient of this rank's input slice equals its slice of the unsplit input gradient
{
  const per = R / P;
  const xf2 = paddle.to_tensor(X, 'float64'); xf2.stop_gradient = false;
  paddle.sum(paddle.multiply(paddle.nn.functional.linear(xf2, paddle.to_tensor(W, 'float64')), coef)).backward();
  const gx = (xf2.grad!.numpy() as Float64Array);
  const xk = paddle.to_tensor(X.map((r) => r.slice(rank * per, (rank + 1) * per)), 'float64'); xk.stop_gradient = false;
  const y = dist.split(xk, [R, C], 'linear', { axis: 0, num_partitions: P, weight_attr: attr(W.slice(rank * per, (rank + 1) * per)), bias_attr: false });
  paddle.sum(paddle.multiply(y, coef)).backward();
  const expect: number[] = [];
  for (let i = 0; i < B; i++) for (let j = rank * per; j < (rank + 1) * per; j++) expect.push(gx[i * R + j]);
  close(Array.from(xk.grad!.numpy() as Float64Array), expect, 'row-parallel x grad');
}
// parallel embedding: vocabulary 7 over P ranks (ceil split + a padding row each)
{
  const V = 7, D = 3, E = full(V, D, 2);
  const per = Math.ceil(V / P), lo = rank * per, hi = Math.min(V, lo + per);
  const part = [...E.slice(lo, hi), Array(D).fill(0)];
  const ids = paddle.to_tensor([[0, 6], [3, 4], [5, 1]], 'int64');
  const y = dist.split(ids, [V, D], 'embedding', { num_partitions: P, weight_attr: attr(part) });
  const ref = paddle.nn.functional.embedding(ids, paddle.to_tensor(E, 'float64'));
  assert.deepEqual(y.shape, [3, 2, D]);
  close(arr(y), arr(ref), 'embedding out');
}
console.log('RESULT ' + JSON.stringify({ rank, ok: true }));
