// Shared test assertions: closeness of tensors to expected values, and expected errors.
import assert from 'node:assert/strict';
import { Tensor } from '../../src/index.js';

type Nested = number | boolean | bigint | Nested[];

function flatten(v: Nested | Tensor | ArrayLike<number>): number[] {
  if (v instanceof Tensor) return flatten(v.tolist() as Nested);
  if (typeof v === 'number') return [v];
  if (typeof v === 'boolean') return [v ? 1 : 0];
  if (typeof v === 'bigint') return [Number(v)];
  return Array.from(v as ArrayLike<Nested>).flatMap((x) => flatten(x));
}

/** Asserts every element of `actual` is within atol + rtol*|expected| of `expected` (NaN matches NaN). */
export function assertClose(actual: Tensor | Nested | ArrayLike<number>, expected: Nested | Tensor | ArrayLike<number>, rtol = 1e-5, atol = 1e-6, msg = ''): void {
  const a = flatten(actual as Nested);
  const e = flatten(expected as Nested);
  assert.equal(a.length, e.length, `${msg} length ${a.length} != expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(e[i]) && Number.isNaN(a[i])) continue;
    if (a[i] === e[i]) continue;
    const tol = atol + rtol * Math.abs(e[i]);
    if (!(Math.abs(a[i] - e[i]) <= tol)) assert.fail(`${msg} element ${i}: ${a[i]} != expected ${e[i]} (tol ${tol})\nactual:   ${a.slice(0, 20)}\nexpected: ${e.slice(0, 20)}`);
  }
}

/** Asserts a tensor's shape, dtype and values exactly. */
export function assertTensor(t: Tensor, shape: number[], dtype: string, values?: unknown): void {
  assert.ok(t instanceof Tensor, 'expected a Tensor');
  assert.deepEqual(t.shape, shape, 'shape');
  assert.equal(t.dtype, dtype, 'dtype');
  if (values !== undefined) assert.deepEqual(t.tolist(), values);
}

/** Asserts fn throws an error of class cls whose message matches every pattern. */
export function assertThrows(fn: () => unknown, cls: new (...a: any[]) => Error, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    for (const p of patterns) assert.match((e as Error).message, p);
    return true;
  });
}
