// Helpers of the native-backend tests: run one operator's native kernel and its portable
// kernel on the same inputs (for every instruction set the CPU has) and compare the outputs.
import assert from 'node:assert/strict';
import '../../../src/index.js';
import { withDefaults } from '../../../src/core/dispatch.js';
import { getOp, runKernelOn, type Attrs, type Slots } from '../../../src/core/registry.js';
import { Tensor } from '../../../src/core/tensor.js';
import { nativeInfo, nativeTuning, selectIsa, setNumThreads, getNumThreads } from '../../../src/backends/native/index.js';

export const info = nativeInfo();
// the comparisons check the native loops on small shapes too (which they leave to the
// portable kernels by default); test/backends/native/fallback.test.ts checks the default
export const defaultMinElements = nativeTuning.minElements;
nativeTuning.minElements = 0;
/** Why the native comparisons are skipped (false when the addon is loaded). */
export const skip: string | false = info.loaded ? false : `native addon not built or not loaded (${info.error}); build it with \`npm run build:native\``;
if (skip) console.log(`# skipping native-vs-js comparisons: ${skip}`);

/** A seeded generator of uniform numbers in [-1, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
  };
}

export function randTensor(shape: number[], dtype: 'float32' | 'float64', r: () => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = r();
  return new Tensor(a, shape.slice(), dtype);
}

export interface CompareOptions {
  /** Length of the longest sum behind one output element (scales the float32 tolerance). */
  reduce?: number;
  /** Instruction sets to try (default: every one the CPU has). */
  isas?: string[];
}

/**
 * Runs `type` on the native and the portable kernel and asserts every output matches
 * within a tolerance for the dtype and the reduction length. Returns false if the native
 * kernel declined.
 */
export function compare(type: string, ins: Slots<Tensor>, attrs: Attrs, opts: CompareOptions = {}, label = ''): boolean {
  const def = getOp(type);
  const a = withDefaults(def, { ...attrs });
  const outs = def.infer(ins, a);
  const expected = runKernelOn('js', type, ins, { ...a }, outs);
  assert.ok(expected, `${type}: the portable kernel declined`);
  let declined = false;
  for (const isa of opts.isas ?? info.isas) {
    selectIsa(isa);
    try {
      const got = runKernelOn('native', type, ins, { ...a }, outs);
      if (!got) {
        declined = true;
        continue;
      }
      for (const slot of Object.keys(expected)) {
        expected[slot].forEach((e, i) => {
          const g = got[slot]?.[i];
          assert.ok(g, `${type} ${label}: native produced no ${slot}[${i}]`);
          assert.deepEqual(g.dims, e.dims, `${type} ${label} ${slot} shape`);
          assert.equal(g.dtype, e.dtype, `${type} ${label} ${slot} dtype`);
          closeArrays(g.data as Float32Array, e.data as Float32Array, e.dtype, opts.reduce ?? 1, `${type} ${label} [${isa}] ${slot}[${i}]`);
        });
      }
    } finally {
      selectIsa('auto');
    }
  }
  return !declined;
}

/** |got - want| <= eps * (8 sqrt(reduce) max|want| + 4 |want|) elementwise (NaN matches NaN). */
export function closeArrays(got: ArrayLike<number>, want: ArrayLike<number>, dtype: string, reduce: number, msg: string): void {
  assert.equal(got.length, want.length, `${msg}: length`);
  let maxAbs = 0;
  for (let i = 0; i < want.length; i++) if (Number.isFinite(want[i])) maxAbs = Math.max(maxAbs, Math.abs(want[i]));
  const eps = dtype === 'float64' ? 2.2e-16 : 1.2e-7;
  const atol = eps * 8 * Math.sqrt(Math.max(1, reduce)) * Math.max(maxAbs, 1e-30);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (g === w || (Number.isNaN(g) && Number.isNaN(w))) continue;
    const tol = atol + eps * 4 * Math.abs(w);
    if (!(Math.abs(g - w) <= tol)) assert.fail(`${msg}: element ${i} is ${g}, the portable kernel gives ${w} (tolerance ${tol})`);
  }
}

/** Runs fn with the thread pool at n threads, restoring it after. */
export function withThreads<T>(n: number, fn: () => T): T {
  const old = getNumThreads();
  setNumThreads(n);
  try {
    return fn();
  } finally {
    setNumThreads(old);
  }
}
