// The package without the native backend: PADDLE_TS_BACKEND=js and a missing addon both
// leave every operator on the portable kernels, with one warning for a missing addon; the
// native kernels' dtype lists send other dtypes to the portable kernels; threads and ISA
// selection. Child processes load the package with the environment under test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as paddle from '../../../src/index.js';
import { getNumThreads, nativeInfo, nativeTuning, selectIsa, setNumThreads } from '../../../src/backends/native/index.js';
import { withDefaults } from '../../../src/core/dispatch.js';
import { getOp, kernelBackends, runKernelOn } from '../../../src/core/registry.js';
import { defaultMinElements, skip } from './helpers.js';

const src = fileURLToPath(new URL('../../../src/', import.meta.url));

/** Runs `code` (an ES module body with `paddle`, `native`, `registry` in scope) in a child with `env`; its stdout. */
function child(code: string, env: Record<string, string>): string {
  const body = `const paddle = await import(${JSON.stringify(src + 'index.ts')});
const native = await import(${JSON.stringify(src + 'backends/native/index.ts')});
const registry = await import(${JSON.stringify(src + 'core/registry.ts')});
${code}`;
  const e: Record<string, string | undefined> = { ...process.env, ...env };
  delete e.NODE_TEST_CONTEXT;
  const p = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', body], { env: e, encoding: 'utf8' });
  assert.equal(p.status, 0, `child failed: ${p.stderr}`);
  return p.stdout;
}

const PROBE = `
const x = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32' });
const y = paddle.matmul(x, x);
const c = paddle.nn.functional.conv2d(paddle.ones([1, 1, 3, 3]), paddle.ones([1, 1, 2, 2]));
console.log(JSON.stringify({ info: native.nativeInfo(), order: registry.kernelBackends('matmul_v2'), y: y.tolist(), c: c.tolist() }));`;

test('PADDLE_TS_BACKEND=js runs everything on the portable kernels', { timeout: 60_000 }, () => {
  const r = JSON.parse(child(PROBE, { PADDLE_TS_BACKEND: 'js' }).trim().split('\n').pop()!);
  assert.equal(r.info.loaded, false);
  assert.match(r.info.error, /PADDLE_TS_BACKEND=js/);
  assert.deepEqual(r.order, ['js']);
  assert.deepEqual(r.y, [[7, 10], [15, 22]]);
  assert.deepEqual(r.c, [[[[4, 4], [4, 4]]]]);
});

test('a missing addon warns once and falls back to the portable kernels', { timeout: 60_000 }, () => {
  const body = `const paddle = await import(${JSON.stringify(src + 'index.ts')});
const native = await import(${JSON.stringify(src + 'backends/native/index.ts')});
const registry = await import(${JSON.stringify(src + 'core/registry.ts')});
${PROBE}
paddle.matmul(paddle.ones([3, 3]), paddle.ones([3, 3]));`;
  const env = { ...process.env, PADDLE_TS_NATIVE_PATH: '/nonexistent/paddle_native.node' } as Record<string, string>;
  delete env.PADDLE_TS_BACKEND;
  delete env.NODE_TEST_CONTEXT;
  const p = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', body], { env, encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  const r = JSON.parse(p.stdout.trim().split('\n').pop()!);
  assert.equal(r.info.loaded, false);
  assert.deepEqual(r.order, ['js']);
  assert.deepEqual(r.y, [[7, 10], [15, 22]]);
  const warnings = p.stderr.split('\n').filter((l) => l.includes('native backend is not available'));
  assert.equal(warnings.length, 1, p.stderr);
});

test('dtypes the native kernels do not take go to the portable kernels', () => {
  const a = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'int32' });
  assert.deepEqual(paddle.matmul(a, a).tolist(), [[7, 10], [15, 22]]);
  const c = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'int64' });
  assert.deepEqual(paddle.matmul(c, c).tolist(), [[7n, 10n], [15n, 22n]].map((r) => r.map(Number)));
});

test('thread count and instruction set can be changed at run time', { skip }, () => {
  const info = nativeInfo();
  const old = getNumThreads();
  assert.equal(setNumThreads(1), 1);
  assert.equal(getNumThreads(), 1);
  assert.equal(setNumThreads(3), 3);
  setNumThreads(old);
  assert.throws(() => setNumThreads(0), RangeError);
  for (const isa of info.isas) assert.equal(selectIsa(isa), isa);
  assert.equal(selectIsa('auto'), info.isas[0]);
  assert.deepEqual(kernelBackends('conv2d').slice(0, 2), ['native', 'js']);
});

test('PADDLE_TS_NUM_THREADS and PADDLE_TS_ISA are read at load', { skip, timeout: 60_000 }, () => {
  const r = JSON.parse(child(`console.log(JSON.stringify(native.nativeInfo()));`, { PADDLE_TS_NUM_THREADS: '3', PADDLE_TS_ISA: 'generic' }).trim().split('\n').pop()!);
  assert.equal(r.threads, 3);
  assert.equal(r.isa, 'generic');
});

test('tiny tensors stay on the portable kernels (the native call costs more than the loop)', { skip }, () => {
  const run = (n: number): boolean => {
    const x = paddle.ones([n]);
    const def = getOp('elementwise_add');
    const attrs = withDefaults(def, {});
    return runKernelOn('native', 'elementwise_add', { X: [x], Y: [x] }, attrs, def.infer({ X: [x], Y: [x] }, attrs)) !== undefined;
  };
  const saved = nativeTuning.minElements;
  nativeTuning.minElements = defaultMinElements;
  try {
    assert.equal(run(1), false);
    assert.equal(run(defaultMinElements - 1), false);
    assert.equal(run(defaultMinElements), true);
    // the portable kernel gives the same sum through dispatch
    assert.deepEqual(paddle.add(paddle.to_tensor([1.5]), paddle.to_tensor([2.25])).tolist(), [3.75]);
  } finally {
    nativeTuning.minElements = saved;
  }
});
