// Loop generators for elementwise kernels. Each operator's scalar expression is compiled
// once into specialised loops (same shape, scalar operand, general broadcast) so the hot
// loops have no per-element calls or allocations.
import { DType, NumArray, Storage, allocNumbers, fromNumbers, toNumbers } from '../../core/dtype.js';
import { numel, stridesOf } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';

export type BinaryLoop = (a: NumArray, aDims: readonly number[], b: NumArray, bDims: readonly number[], out: NumArray, outDims: readonly number[]) => void;
export type UnaryLoop = (a: NumArray, out: NumArray, n: number, p0: number, p1: number, p2: number) => void;

/**
 * Compiles a broadcasting binary loop computing `expr` from `x` and `y` (JS source; may use
 * Math and the helpers passed in `env`). `pre` is a statement run once before the loops.
 */
export function binaryLoop(expr: string, env: Record<string, unknown> = {}): BinaryLoop {
  const names = Object.keys(env);
  const body = `
  const n = out.length;
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) { const x = a[i], y = b[i]; out[i] = ${expr}; }
    return;
  }
  if (b.length === 1 && a.length === n) {
    const y = b[0];
    for (let i = 0; i < n; i++) { const x = a[i]; out[i] = ${expr}; }
    return;
  }
  if (a.length === 1 && b.length === n) {
    const x = a[0];
    for (let i = 0; i < n; i++) { const y = b[i]; out[i] = ${expr}; }
    return;
  }
  if (n === 0) return;
  const nd = outDims.length;
  const sa = bstrides(aDims, outDims), sb = bstrides(bDims, outDims);
  const inner = outDims[nd - 1], ia = sa[nd - 1], ib = sb[nd - 1];
  const idx = new Int32Array(nd);
  let oa = 0, ob = 0, p = 0;
  const outer = n / inner;
  for (let o = 0; o < outer; o++) {
    if (ia === 1 && ib === 1) for (let k = 0; k < inner; k++) { const x = a[oa + k], y = b[ob + k]; out[p++] = ${expr}; }
    else if (ia === 1) { const y = b[ob]; for (let k = 0; k < inner; k++) { const x = a[oa + k]; out[p++] = ${expr}; } }
    else if (ib === 1) { const x = a[oa]; for (let k = 0; k < inner; k++) { const y = b[ob + k]; out[p++] = ${expr}; } }
    else for (let k = 0; k < inner; k++) { const x = a[oa + k * ia], y = b[ob + k * ib]; out[p++] = ${expr}; }
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++; oa += sa[d]; ob += sb[d];
      if (idx[d] < outDims[d]) break;
      oa -= sa[d] * outDims[d]; ob -= sb[d] * outDims[d]; idx[d] = 0;
    }
  }`;
  const make = new Function('bstrides', ...names, `return function(a, aDims, b, bDims, out, outDims) {${body}\n};`);
  return make(broadcastStrides, ...names.map((k) => env[k])) as BinaryLoop;
}

/** Compiles a unary loop computing `expr` from `x` (and parameters p0..p2). */
export function unaryLoop(expr: string, env: Record<string, unknown> = {}): UnaryLoop {
  const names = Object.keys(env);
  const make = new Function(...names, `return function(a, out, n, p0, p1, p2) {
    for (let i = 0; i < n; i++) { const x = a[i]; out[i] = ${expr}; }
  };`);
  return make(...names.map((k) => env[k])) as UnaryLoop;
}

/** Strides of `dims` right-aligned inside `outDims`, 0 on broadcast dimensions. */
export function broadcastStrides(dims: readonly number[], outDims: readonly number[]): number[] {
  const nd = outDims.length;
  const lead = nd - dims.length;
  const st = stridesOf(dims);
  const out = new Array<number>(nd).fill(0);
  for (let i = 0; i < dims.length; i++) out[lead + i] = dims[i] === 1 && outDims[lead + i] !== 1 ? 0 : st[i];
  return out;
}

/** The numbers of a tensor, zero-copy unless its storage is not numbers (int64, float16). */
export function nums(t: Tensor): NumArray {
  return toNumbers(t.data, t.dtype);
}

/** Wraps numbers computed for dtype d into a tensor (converting to its storage if needed). */
export function tensorOf(a: NumArray, dims: number[], d: DType): Tensor {
  const s: Storage = d === 'int64' || d === 'float16' || (d === 'bool' && !(a instanceof Uint8Array)) ? fromNumbers(a, d) : a;
  return new Tensor(s, dims, d);
}

/** A number array to compute a result of dtype d with `dims` into. */
export function outNumbers(d: DType, dims: readonly number[]): NumArray {
  return allocNumbers(d, numel(dims));
}
