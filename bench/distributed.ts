// Distributed benchmarks (not part of the tests): Gloo allreduce latency and bandwidth from 4 B
// to 64 MB between 2 processes on loopback, and a DataParallel training step (MLP 784-512-512-10,
// global batch 256) on 1 process vs 2 processes (batch 128 each) vs the plain model in one process,
// and on 2 processes against allreducing all gradients in one buffer after backward (no overlap).
//   npx tsx bench/distributed.ts            (starts the jobs itself through paddle-ts-launch)
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as paddle from '../src/index.js';
import * as dist from '../src/distributed/index.js';

const self = fileURLToPath(import.meta.url);
const launcher = fileURLToPath(new URL('../bin/paddle-ts-launch', import.meta.url));
const mode = process.argv[2] ?? 'main';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Sums every gradient across ranks after backward: one concatenated buffer, one allreduce. */
function allreduceAfterBackward(params: paddle.Tensor[]): void {
  const grads = params.map((q) => q.grad!);
  const flat = paddle.concat(grads.map((g) => g.flatten()));
  dist.all_reduce(flat);
  let off = 0;
  for (const g of grads) {
    (g.data as Float32Array).set((flat.data as Float32Array).subarray(off, off + g.size));
    off += g.size;
  }
}

function mlpStep(global: number, how: 'plain' | 'dp' | 'after'): number {
  paddle.seed(1);
  const net = new paddle.nn.Sequential(new paddle.nn.Linear(784, 512), new paddle.nn.ReLU(), new paddle.nn.Linear(512, 512), new paddle.nn.ReLU(), new paddle.nn.Linear(512, 10));
  const model = how === 'dp' ? new paddle.DataParallel(net) : net;
  const opt = new paddle.optimizer.SGD({ learning_rate: 0.01, parameters: model.parameters() });
  const b = global / dist.get_world_size();
  const x = paddle.rand([b, 784]);
  const y = paddle.randint(0, 10, [b, 1]);
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const loss = paddle.nn.functional.cross_entropy(model(x), y);
    loss.backward();
    if (how === 'after') allreduceAfterBackward(model.parameters());
    opt.step();
    opt.clear_grad();
    times.push(performance.now() - t0);
  }
  return median(times.slice(3));
}

if (mode === 'allreduce') {
  dist.init_parallel_env();
  const rank = dist.get_rank();
  const rows: string[] = [];
  for (let bytes = 4; bytes <= 64 << 20; bytes *= 4) {
    const t = paddle.ones([bytes / 4], 'float32');
    const reps = bytes < 1 << 20 ? 200 : bytes < 16 << 20 ? 20 : 5;
    for (let i = 0; i < 3; i++) dist.all_reduce(t);
    dist.barrier();
    const times: number[] = [];
    for (let i = 0; i < reps; i++) { const t0 = performance.now(); dist.all_reduce(t); times.push(performance.now() - t0); }
    const ms = median(times);
    rows.push(`${String(bytes).padStart(10)} B  ${ms.toFixed(3).padStart(9)} ms  ${(bytes / ms / 1e6).toFixed(3).padStart(9)} GB/s`);
  }
  if (rank === 0) console.log('allreduce, 2 processes (median):\n' + rows.join('\n'));
} else if (mode === 'dp') {
  dist.init_parallel_env();
  const W = dist.get_world_size();
  const ms = mlpStep(256, 'dp');
  if (dist.get_rank() === 0) console.log(`DataParallel step (buckets overlapped with backward), ${W} processes x batch ${256 / W}: ${ms.toFixed(1)} ms`);
  if (W > 1) {
    const after = mlpStep(256, 'after');
    if (dist.get_rank() === 0) console.log(`same step, one allreduce after backward,        ${W} processes x batch ${256 / W}: ${after.toFixed(1)} ms`);
  }
} else {
  const port = await new Promise<number>((r) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => r(p)); }); });
  const run = (n: number, m: string) => spawnSync(process.execPath, [launcher, '--nproc_per_node', String(n), '--started_port', String(port), self, m], { stdio: 'inherit', timeout: 600000 });
  run(2, 'allreduce');
  console.log(`plain model step, 1 process x batch 256: ${mlpStep(256, 'plain').toFixed(1)} ms`);
  run(1, 'dp');
  run(2, 'dp');
}
