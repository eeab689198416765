// Static mode across processes (run by test/distributed/static.test.ts): the c_* collective
// operators in a program, and CompiledProgram.with_data_parallel training equal to one process
// on the whole batch.
import assert from 'node:assert/strict';
import * as paddle from '../../../src/index.js';
import * as dist from '../../../src/distributed/index.js';

dist.init_parallel_env();
const rank = dist.get_rank();
const W = dist.get_world_size();
paddle.enable_static();
const exe = new paddle.static.Executor(new paddle.CPUPlace());
const arr = (t: unknown): number[] => Array.from((t as paddle.Tensor).numpy() as Float32Array, (v) => Number(v) + 0);

function scoped<R>(fn: (main: paddle.static.Program, startup: paddle.static.Program) => R): R {
  const main = new paddle.static.Program();
  const startup = new paddle.static.Program();
  return paddle.static.scope_guard(new paddle.static.Scope(), () => paddle.static.program_guard(main, startup, () => fn(main, startup)));
}

// the collective operators
scoped((main) => {
  const x = paddle.static.data('x', [2, 2], 'float32');
  const block = main.global_block();
  const outs: paddle.static.Variable[] = [];
  const add = (type: string, attrs: Record<string, unknown>, dims = [2, 2]) => {
    const o = block.create_var({ name: `${type}_out`, shape: dims, dtype: 'float32' });
    block.append_op({ type, inputs: { X: [x] }, outputs: { Out: [o] }, attrs });
    outs.push(o);
  };
  add('c_allreduce_sum', { ring_id: 0 });
  add('c_allreduce_max', {});
  add('c_allreduce_min', {});
  add('c_allreduce_prod', {});
  add('c_broadcast', { root: W - 1 });
  add('c_allgather', { nranks: W }, [2 * W, 2]);
  add('c_sync_calc_stream', {});
  add('barrier', {});
  const so = block.create_var({ name: 'sync_out', shape: [2, 2], dtype: 'float32' });
  block.append_op({ type: 'c_sync_comm_stream', inputs: { X: [x] }, outputs: { Out: [so] }, attrs: { ring_id: 0 } });
  outs.push(so);
  const xv = [[rank + 1, 1], [0 - rank, 2]];
  const res = exe.run(main, { feed: { x: xv }, fetch_list: outs });
  const rs = Array.from({ length: W }, (_, r) => r);
  const S = rs.reduce((a, r) => a + r + 1, 0);
  assert.deepEqual(arr(res[0]), [S, W, 0 - rs.reduce((a, r) => a + r, 0) + 0, 2 * W]);
  assert.deepEqual(arr(res[1]), [W, 1, 0, 2]);
  assert.deepEqual(arr(res[2]), [1, 1, 1 - W, 2]);
  assert.deepEqual(arr(res[3]), [rs.reduce((a, r) => a * (r + 1), 1), 1, 0, 2 ** W]);
  assert.deepEqual(arr(res[4]), [W, 1, 1 - W, 2]);
  assert.deepEqual((res[5] as paddle.Tensor).shape, [2 * W, 2]);
  assert.deepEqual(arr(res[5]), rs.flatMap((r) => [r + 1, 1, 0 - r + 0, 2]));
  assert.deepEqual(arr(res[6]), xv.flat());
  assert.deepEqual(arr(res[7]), xv.flat());
  assert.deepEqual(arr(res[8]), xv.flat());
});

// with_data_parallel: gradients averaged over the ranks
function train(dp: boolean): number[][] {
  return scoped((main, startup) => {
    const x = paddle.static.data('x', [null, 4], 'float32');
    const y = paddle.static.data('y', [null, 2], 'float32');
    const init = (n: number, k: number) => new paddle.ParamAttr({ initializer: new paddle.nn.initializer.Assign(Array.from({ length: n * k }, (_, i) => Math.sin(i + n)).reduce((a: number[][], v, i) => { if (i % k === 0) a.push([]); a[a.length - 1].push(v); return a; }, [])) });
    const fc1 = new paddle.nn.Linear(4, 6, { weight_attr: init(4, 6) });
    const fc2 = new paddle.nn.Linear(6, 2, { weight_attr: init(6, 2) });
    const loss = paddle.nn.functional.mse_loss(fc2(paddle.tanh(fc1(x))), y);
    new paddle.optimizer.Momentum({ learning_rate: 0.2, momentum: 0.5, parameters: [...fc1.parameters(), ...fc2.parameters()] }).minimize(loss);
    exe.run(startup);
    const prog = dp ? new paddle.static.CompiledProgram(main).with_data_parallel(loss.name) : main;
    const b = 2, N = b * W;
    for (let step = 0; step < 3; step++) {
      const X = Array.from({ length: N }, (_, i) => [0, 1, 2, 3].map((j) => Math.cos(i * 1.3 + j + step)));
      const Y = Array.from({ length: N }, (_, i) => [Math.sin(i), Math.cos(i * 0.5)]);
      const feed = dp ? { x: X.slice(rank * b, (rank + 1) * b), y: Y.slice(rank * b, (rank + 1) * b) } : { x: X, y: Y };
      exe.run(prog, { feed, fetch_list: [loss] });
    }
    return [...fc1.parameters(), ...fc2.parameters()].map((p) => arr(paddle.static.global_scope().find_var(p.name)));
  });
}
const ref = train(false);
const got = train(true);
got.forEach((w, i) => w.forEach((v, k) => assert.ok(Math.abs(v - ref[i][k]) < 1e-5, `param ${i}[${k}]: ${v} vs ${ref[i][k]}`)));
console.log('RESULT ' + JSON.stringify({ rank, W }));
