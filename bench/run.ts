// `npm run bench`: the workloads of the native-backend issue for paddle-ts and, in the same
// run when python3 with torch is present (Debian's python3-torch), for PyTorch, printed as
// one table of medians after warm-up with the ratio paddle-ts time / PyTorch time (below 1:
// paddle-ts is faster). Not part of the tests.
//   npm run bench [-- --threads N] [-- --only sgemm1024,conv,...] [-- --no-torch] [-- --stat min]
// (--stat min reports the fastest run instead of the median: steadier on a machine that
// other processes share)
// Workloads: sgemm N=256/512/1024/2048; conv2d forward N=8, C=K=64, 56x56, 3x3, pad 1; one
// training step (forward, backward, SGD) of an MLP 784-256-256-10 at batch 128 and of
// LeNet-5 at batch 64; add of two 1M float32 tensors; per-op time of adding two 1-element
// tensors.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as paddle from '../src/index.js';
import { nativeInfo, setNumThreads } from '../src/backends/native/index.js';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const threads = Number(arg('threads') ?? process.env.PADDLE_TS_NUM_THREADS ?? 2);
const only = arg('only') ? new Set(arg('only')!.split(',')) : null;
const want = (k: string): boolean => !only || only.has(k);
const stat = arg('stat') === 'min' ? 'min' : 'median';
if (nativeInfo().loaded) setNumThreads(threads);

function medianTime(fn: () => void, minReps = 5, minTime = 0.5, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minReps || (performance.now() - start < minTime * 1000 && times.length < 10000)) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return stat === 'min' ? times[0] : times[Math.floor(times.length / 2)];
}

interface Row {
  key: string;
  name: string;
  /** Work per run for the throughput column (flops or bytes). */
  work?: number;
  unit?: 'GFLOP/s' | 'GB/s';
}
const rows: Row[] = [];
const ours: Record<string, number> = {};

const F = paddle.nn.functional as any;
const nn = paddle.nn as any;

paddle.seed(0);
for (const n of [256, 512, 1024, 2048]) {
  const key = `sgemm${n}`;
  if (!want(key)) continue;
  const a = paddle.randn([n, n]);
  const b = paddle.randn([n, n]);
  ours[key] = medianTime(() => paddle.matmul(a, b), n < 2048 ? 5 : 3);
  rows.push({ key, name: `sgemm N=${n}`, work: 2 * n ** 3, unit: 'GFLOP/s' });
}
if (want('conv')) {
  const x = paddle.randn([8, 64, 56, 56]);
  const w = paddle.randn([64, 64, 3, 3]);
  paddle.no_grad(() => {
    ours.conv = medianTime(() => F.conv2d(x, w, null, 1, 1));
  });
  rows.push({ key: 'conv', name: 'conv2d fwd 8x64x56x56, 64@3x3 pad 1', work: 2 * 8 * 64 * 64 * 9 * 56 * 56, unit: 'GFLOP/s' });
}

function trainStep(model: any, x: paddle.Tensor, y: paddle.Tensor): () => void {
  const opt = new (paddle.optimizer as any).SGD({ learning_rate: 0.01, parameters: model.parameters() });
  return () => {
    const loss = F.cross_entropy(model(x), y);
    loss.backward();
    opt.step();
    opt.clear_grad();
  };
}
const labels = (n: number): paddle.Tensor => paddle.randint(0, 10, [n, 1], 'int64');
if (want('mlp')) {
  const mlp = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 256), new nn.ReLU(), new nn.Linear(256, 10));
  ours.mlp = medianTime(trainStep(mlp, paddle.randn([128, 784]), labels(128)), 20);
  rows.push({ key: 'mlp', name: 'MLP 784-256-256-10 train step, batch 128' });
}
if (want('lenet')) {
  const lenet = new nn.Sequential(
    new nn.Conv2D(1, 6, 5, 1, 2), new nn.ReLU(), new nn.MaxPool2D(2, 2),
    new nn.Conv2D(6, 16, 5), new nn.ReLU(), new nn.MaxPool2D(2, 2),
    new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
  ours.lenet = medianTime(trainStep(lenet, paddle.randn([64, 1, 28, 28]), labels(64)), 20);
  rows.push({ key: 'lenet', name: 'LeNet-5 train step, batch 64' });
}
if (want('add')) {
  const a = paddle.randn([1 << 20]);
  const b = paddle.randn([1 << 20]);
  ours.add = medianTime(() => paddle.add(a, b), 50);
  rows.push({ key: 'add', name: 'add, two 1M float32 tensors', work: 3 * 4 * (1 << 20), unit: 'GB/s' });
}
if (want('tiny')) {
  const a = paddle.randn([1]);
  const b = paddle.randn([1]);
  ours.tiny = medianTime(() => {
    for (let i = 0; i < 1000; i++) paddle.add(a, b);
  }, 20) / 1000;
  rows.push({ key: 'tiny', name: 'per-op overhead, add of 1-element tensors' });
}

// PyTorch, same workloads, same run
let torch: { torch: string; threads: number; results: Record<string, number> } | null = null;
let torchNote = '';
let torchBlas = '';
if (!argv.includes('--no-torch')) {
  const script = fileURLToPath(new URL('./torch_bench.py', import.meta.url));
  // PyTorch at its best here: Debian's torch calls the system BLAS (OpenBLAS when
  // libopenblas0 is installed); this machine's environment pins OpenBLAS to its Haswell
  // kernels (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) for old builds' sake, so the benchmark
  // unsets both and names the AVX-512 kernel on a CPU that has it
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.OPENBLAS_L2_SIZE;
  delete env.OPENBLAS_CORETYPE;
  if (existsSync('/proc/cpuinfo') && /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8'))) env.OPENBLAS_CORETYPE = 'SkylakeX';
  torchBlas = env.OPENBLAS_CORETYPE ? `OpenBLAS core ${env.OPENBLAS_CORETYPE}` : 'OpenBLAS core auto-detected';
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const r = spawnSync(py, [script, String(threads), only ? [...only].join(',') : '', stat], { encoding: 'utf8', maxBuffer: 1 << 20, env });
    if (r.status === 0) {
      try {
        torch = JSON.parse(r.stdout.trim().split('\n').pop()!);
        break;
      } catch {
        /* try the next interpreter */
      }
    }
    torchNote = (r.stderr || r.error?.message || '').trim().split('\n').pop() ?? '';
  }
}

const fmtTime = (s: number): string => (s < 1e-3 ? `${(s * 1e6).toFixed(2)} µs` : `${(s * 1e3).toFixed(3)} ms`);
const fmtRate = (row: Row, s: number | undefined): string => (row.work && s ? `${(row.work / s / 1e9).toFixed(1)} ${row.unit}` : '');
const ni = nativeInfo();
console.log(`paddle-ts: backend ${ni.loaded ? `native (${ni.isa}, ${ni.threads} threads)` : `js (${ni.error})`}; node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes skew both columns)`);
console.log(torch ? `PyTorch ${torch.torch}, ${torch.threads} threads (${torchBlas} if its BLAS is OpenBLAS)` : `PyTorch: not available${torchNote ? ` (${torchNote})` : ''}`);
console.log(`${stat === 'min' ? 'fastest run' : 'median'} after warm-up; ratio = paddle-ts time / PyTorch time (below 1: paddle-ts is faster)`);
const header = ['workload', 'paddle-ts', '', 'PyTorch', '', 'ratio (time)'];
const table = rows.map((row) => {
  const t = torch?.results[row.key];
  return [row.name, fmtTime(ours[row.key]), fmtRate(row, ours[row.key]), t ? fmtTime(t) : '-', t ? fmtRate(row, t) : '', t ? (ours[row.key] / t).toFixed(2) : '-'];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells: string[]): string => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
console.log(line(header));
console.log('|' + widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|').replace(/^\|:/, '|:') + '|');
for (const r of table) console.log(line(r));
