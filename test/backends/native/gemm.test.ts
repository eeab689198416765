// Native matrix products (matmul_v2, matmul, mul, bmm, addmm) against the portable kernels, on
// every instruction set the CPU has: odd sizes around the micro-tile and cache-block edges,
// vectors, size-1 and zero-size dims, transposes, broadcast batch dims, alpha; 1 and 2
// threads; float32 and float64.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../../src/index.js';
import { compare, info, randTensor, rng, skip, withThreads } from './helpers.js';
import { kernelBackends } from '../../../src/core/registry.js';

type DT = 'float32' | 'float64';
const DTS: DT[] = ['float32', 'float64'];

test('native matmul kernels are registered first when the addon is loaded', { skip }, () => {
  for (const t of ['matmul_v2', 'matmul', 'mul', 'bmm', 'addmm']) assert.deepEqual(kernelBackends(t).slice(0, 2), ['native', 'js']);
  assert.ok(['avx512', 'avx2', 'generic'].includes(info.isa!));
});

test('matmul_v2: 2-D shapes around tile and block edges, all transposes', { skip }, () => {
  const r = rng(1);
  const sizes: [number, number, number][] = [
    [1, 1, 1], [1, 7, 5], [7, 1, 5], [5, 3, 1], [13, 31, 17], [14, 32, 16], [15, 33, 257], [29, 65, 300],
    [6, 16, 8], [100, 3, 40], [3, 100, 40], [64, 64, 64], [130, 70, 520], [337, 45, 20], [2, 4100, 3],
  ];
  for (const dt of DTS) {
    for (const [M, N, K] of sizes) {
      for (const tx of [false, true]) {
        for (const ty of [false, true]) {
          const x = randTensor(tx ? [K, M] : [M, K], dt, r);
          const y = randTensor(ty ? [N, K] : [K, N], dt, r);
          compare('matmul_v2', { X: [x], Y: [y] }, { trans_x: tx, trans_y: ty }, { reduce: K }, `${dt} ${M}x${N}x${K} tx=${tx} ty=${ty}`);
        }
      }
    }
  }
});

test('matmul_v2: vectors, zero-size dims and broadcast batches', { skip }, () => {
  const r = rng(2);
  const cases: [number[], number[], boolean, boolean][] = [
    [[5], [5], false, false],
    [[7], [7, 3], false, false],
    [[4, 7], [7], false, false],
    [[2, 3, 7, 4], [7], true, false],
    [[7], [3, 7, 5], false, false],
    [[0, 4], [4, 3], false, false],
    [[3, 0], [0, 5], false, false],
    [[3, 4], [4, 0], false, false],
    [[2, 0, 3, 4], [4, 5], false, false],
    [[2, 3, 5, 4], [4, 6], false, false],
    [[2, 3, 5, 4], [2, 1, 6, 5], true, true],
    [[1, 3, 5, 4], [2, 1, 4, 6], false, false],
    [[3, 5, 4], [2, 1, 4, 6], false, false],
    [[6, 4], [3, 2, 4, 5], false, false],
    [[6, 4], [3, 2, 6, 5], true, false],
    [[2, 1, 33, 40], [1, 3, 40, 17], false, false],
    [[4, 20, 30], [30, 25], false, false],
    [[4, 30, 20], [25, 30], true, true],
  ];
  for (const dt of DTS) {
    for (const [xs, ys, tx, ty] of cases) {
      const x = randTensor(xs, dt, r);
      const y = randTensor(ys, dt, r);
      const K = tx ? xs[xs.length - 2] : xs[xs.length - 1];
      compare('matmul_v2', { X: [x], Y: [y] }, { trans_x: tx, trans_y: ty }, { reduce: K }, `${dt} ${xs} x ${ys}`);
    }
  }
});

test('matmul (v1): transpose_X/transpose_Y, alpha, batch on one side', { skip }, () => {
  const r = rng(3);
  const cases: [number[], number[], boolean, boolean, number][] = [
    [[5, 7], [7, 3], false, false, 1],
    [[7, 5], [3, 7], true, true, 0.5],
    [[4, 5, 7], [7, 3], false, false, 2],
    [[4, 7, 5], [7, 3], true, false, -1.5],
    [[5, 7], [4, 7, 3], false, false, 1],
    [[2, 2, 5, 7], [2, 2, 3, 7], false, true, 3],
    [[7], [7], false, false, 1],
    [[7], [7, 4], false, false, 1],
    [[0, 3], [3, 2], false, false, 1],
  ];
  for (const dt of DTS)
    for (const [xs, ys, tX, tY, alpha] of cases)
      compare('matmul', { X: [randTensor(xs, dt, r)], Y: [randTensor(ys, dt, r)] }, { transpose_X: tX, transpose_Y: tY, alpha }, { reduce: 8 }, `${dt} ${xs} x ${ys}`);
});

test('mul: x_num_col_dims / y_num_col_dims flattening', { skip }, () => {
  const r = rng(4);
  const cases: [number[], number[], number, number][] = [
    [[6, 4], [4, 5], 1, 1],
    [[2, 3, 4], [4, 5], 2, 1],
    [[2, 3, 4], [12, 5], 1, 1],
    [[2, 3, 2, 2], [4, 5, 2], 2, 1],
    [[3, 8], [2, 4, 7], 1, 2],
    [[0, 8], [8, 3], 1, 1],
  ];
  for (const dt of DTS)
    for (const [xs, ys, xn, yn] of cases)
      compare('mul', { X: [randTensor(xs, dt, r)], Y: [randTensor(ys, dt, r)] }, { x_num_col_dims: xn, y_num_col_dims: yn }, { reduce: 12 }, `${dt} ${xs} x ${ys}`);
});

test('bmm: batches of odd sizes, single and many batches', { skip }, () => {
  const r = rng(5);
  for (const dt of DTS)
    for (const [b, m, k, n] of [[1, 5, 6, 7], [3, 1, 4, 1], [7, 15, 9, 33], [64, 4, 4, 4], [2, 50, 300, 40], [0, 2, 3, 4]])
      compare('bmm', { X: [randTensor([b, m, k], dt, r)], Y: [randTensor([b, k, n], dt, r)] }, {}, { reduce: k }, `${dt} ${[b, m, k, n]}`);
});

test('addmm: Alpha, Beta (0 leaves Input unread), broadcast Input', { skip }, () => {
  const r = rng(8);
  const cases: [number[], number, number, number, number, number][] = [
    [[5, 7], 5, 6, 7, 1, 1], [[1, 7], 5, 6, 7, 2, 0.5], [[5, 1], 5, 6, 7, -1, 3], [[1, 1], 33, 20, 40, 1, 1], [[5, 7], 5, 6, 7, 1.5, 0],
  ];
  for (const dt of DTS)
    for (const [inp, M, K, N, Alpha, Beta] of cases) {
      const input = randTensor(inp, dt, r);
      if (Beta === 0) (input.data as Float32Array)[0] = NaN;
      compare('addmm', { Input: [input], X: [randTensor([M, K], dt, r)], Y: [randTensor([K, N], dt, r)] }, { Alpha, Beta }, { reduce: K }, `${dt} ${inp} ${M}x${K}x${N} a=${Alpha} b=${Beta}`);
    }
});

test('GEMM results do not depend on the thread count', { skip }, () => {
  const r = rng(6);
  const x = randTensor([203, 317], 'float32', r);
  const y = randTensor([317, 151], 'float32', r);
  for (const n of [1, 2, 3]) withThreads(n, () => compare('matmul_v2', { X: [x], Y: [y] }, {}, { reduce: 317 }, `threads=${n}`));
  const xb = randTensor([16, 9, 21], 'float64', r);
  const yb = randTensor([16, 21, 7], 'float64', r);
  for (const n of [1, 2]) withThreads(n, () => compare('bmm', { X: [xb], Y: [yb] }, {}, { reduce: 21 }, `threads=${n}`));
});

test('matmul through the API: values and gradients agree with the portable path', { skip }, () => {
  const r = rng(7);
  const x = randTensor([3, 40, 30], 'float64', r);
  const y = randTensor([30, 20], 'float64', r);
  x.stop_gradient = false;
  y.stop_gradient = false;
  const out = paddle.matmul(x, y);
  out.sum().backward();
  // d/dx sum(x @ y) = row sums of y broadcast; d/dy = column sums of x
  const gx = x.grad!.numpy() as Float64Array;
  const ysum = Array.from({ length: 30 }, (_, k) => { let s = 0; for (let j = 0; j < 20; j++) s += (y.data as Float64Array)[k * 20 + j]; return s; });
  for (let i = 0; i < gx.length; i++) assert.ok(Math.abs(gx[i] - ysum[i % 30]) < 1e-12);
});

test('two JS threads running native kernels at once get the same results', { skip, timeout: 120_000 }, async () => {
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(new URL('./matmul_worker.mjs', import.meta.url));
  const fromWorker = new Promise<number[]>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  paddle.seed(11);
  const a = paddle.randn([96, 80]);
  const b = paddle.randn([80, 70]);
  let c = paddle.matmul(a, b);
  for (let i = 0; i < 200; i++) c = paddle.matmul(a, b);
  const theirs = await fromWorker;
  await w.terminate();
  assert.deepEqual(theirs, Array.from(c.numpy() as Float32Array));
});
