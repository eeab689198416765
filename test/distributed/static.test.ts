import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gloo } from '../../src/distributed/gloo.js';
import { runJob, results } from './helpers.js';
import * as paddle from '../../src/index.js';
import { insertGradAllreduce } from '../../src/distributed/static_dp.js';
import { run1 } from '../../src/core/dispatch.js';

const skip = gloo() ? false : 'the Gloo binding is not built (apt-get install libgloo-dev)';

for (const nodes of [2, 3]) {
  test(`static collective operators and with_data_parallel on ${nodes} ranks`, { skip, timeout: 90000 }, async () => {
    const r = await runJob('static_collective.ts', { nodes, timeoutMs: 60000 });
    for (const n of r) assert.equal(n.code, 0, n.err);
    assert.equal(results(r).length, nodes);
  });
}

test('collective operators in one process are the identity; the grad allreduce goes before the optimizer', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [null, 3], 'float32');
      const fc = new paddle.nn.Linear(3, 1);
      const loss = paddle.mean(fc(x));
      new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: fc.parameters() }).minimize(loss);
      const n = insertGradAllreduce(main, 2);
      assert.equal(n, 2);
      const types = main.global_block().ops.map((o) => o.type);
      const first = types.indexOf('sgd');
      assert.deepEqual(types.slice(first - 4, first), ['c_allreduce_sum', 'scale', 'c_allreduce_sum', 'scale']);
    });
  } finally {
    paddle.disable_static();
  }
  const t = paddle.to_tensor([1, 2], 'float32');
  for (const type of ['c_allreduce_sum', 'c_allreduce_max', 'c_allreduce_min', 'c_allreduce_prod', 'c_broadcast', 'c_sync_calc_stream', 'barrier'])
    assert.deepEqual(Array.from(run1(type, { X: [t] }, {}).numpy() as Float32Array), [1, 2], type);
  assert.deepEqual(run1('c_allgather', { X: [t] }, { nranks: 1 }).shape, [2]);
  assert.throws(() => run1('c_allreduce_sum', { X: [t] }, { ring_id: 1 }), /ring_id 1 does not exist/);
  assert.throws(() => run1('c_allgather', { X: [t] }, { nranks: 2 }), /nranks \(2\) must equal the world size \(1\)/);
  // the gradient of c_allreduce_sum is c_allreduce_sum of the output gradient (one process: identity)
  const x = paddle.to_tensor([1, 2, 3], 'float64'); x.stop_gradient = false;
  paddle.sum(run1('c_allreduce_sum', { X: [x] }, {}).multiply(x)).backward();
  assert.deepEqual(Array.from(x.grad!.numpy() as Float64Array), [2, 4, 6]);
});
