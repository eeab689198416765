// Portable kernel of transpose2, on raw storage (every dtype: int64 stays exact, complex
// moves (re, im) pairs). Dims of size 1 are dropped and input dims that stay adjacent are
// merged first, so most permutations become a block copy, a (batched) 2-D transpose done in
// cache-sized tiles, or one strided loop.
import { allocStorage, isComplex, Storage } from '../../core/dtype.js';
import { registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';

type Arr = Float64Array; // any Storage, typed as one array kind for the copy loops

/** Copies len elements src[so..] to dst[do..]: `set` for long runs, a loop for short ones. */
export function copyRun(dst: Storage, dOff: number, src: Storage, sOff: number, len: number): void {
  if (len >= 128) (dst as Arr).set((src as Arr).subarray(sOff, sOff + len), dOff);
  else {
    const d = dst as Arr;
    const s = src as Arr;
    for (let k = 0; k < len; k++) d[dOff + k] = s[sOff + k];
  }
}

/** Simplifies (dims, perm): drops size-1 dims and merges input dims that stay adjacent in perm. */
function coalesce(dims: readonly number[], perm: readonly number[]): [number[], number[]] {
  const keep: number[] = [];
  for (let i = 0; i < dims.length; i++) if (dims[i] !== 1) keep.push(i);
  const rank = new Map<number, number>();
  keep.forEach((a, i) => rank.set(a, i));
  const p1 = perm.filter((a) => dims[a] !== 1).map((a) => rank.get(a)!);
  const d1 = keep.map((a) => dims[a]);
  // groups of consecutive input axes appearing consecutively in p1
  const groups: number[][] = [];
  for (const a of p1) {
    const g = groups[groups.length - 1];
    if (g && g[g.length - 1] + 1 === a) g.push(a);
    else groups.push([a]);
  }
  const order = groups.map((g, i) => [g[0], i]).sort((x, y) => x[0] - y[0]);
  const newIndex = new Array<number>(groups.length);
  order.forEach(([, gi], k) => (newIndex[gi] = k));
  const d2 = new Array<number>(groups.length);
  groups.forEach((g, gi) => (d2[newIndex[gi]] = g.reduce((m, a) => m * d1[a], 1)));
  return [d2, groups.map((_, gi) => newIndex[gi])];
}

/** 2-D transpose of `rows x cols` elements at src[so..] into dst[do..] (cols x rows), in tiles. */
function transpose2d(dst: Arr, dOff: number, src: Arr, sOff: number, rows: number, cols: number): void {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(i0 + B, rows);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(j0 + B, cols);
      for (let i = i0; i < i1; i++) {
        const si = sOff + i * cols;
        for (let j = j0; j < j1; j++) dst[dOff + j * rows + i] = src[si + j];
      }
    }
  }
}

/**
 * Permutes raw storage: `dims` are the input dims, output dim i is input dim perm[i]; each
 * element is `width` consecutive storage slots (2 for complex).
 */
export function permuteStorage(src: Storage, dims: readonly number[], perm: readonly number[], width: number, dst: Storage): void {
  const n = numel(dims) * width;
  if (n === 0) return;
  const d0 = width > 1 ? [...dims, width] : dims;
  const p0 = width > 1 ? [...perm, dims.length] : perm;
  const [d, p] = coalesce(d0, p0);
  const r = d.length;
  if (r <= 1 || p.every((a, i) => a === i)) return copyRun(dst, 0, src, 0, n);
  const s = src as Arr;
  const o = dst as Arr;
  if (r === 2) return transpose2d(o, 0, s, 0, d[0], d[1]);
  if (r === 3 && p[0] === 0 && p[1] === 2 && p[2] === 1) {
    const m = d[1] * d[2];
    for (let b = 0; b < d[0]; b++) transpose2d(o, b * m, s, b * m, d[1], d[2]);
    return;
  }
  // input strides, seen in output order
  const inStride = new Array<number>(r);
  let acc = 1;
  for (let i = r - 1; i >= 0; i--) {
    inStride[i] = acc;
    acc *= d[i];
  }
  const od = p.map((a) => d[a]);
  const os = p.map((a) => inStride[a]);
  const last = r - 1;
  const inner = od[last];
  const innerStride = os[last];
  const outer = n / inner;
  const idx = new Int32Array(r);
  let off = 0;
  let pos = 0;
  const contiguous = innerStride === 1;
  for (let q = 0; q < outer; q++) {
    if (contiguous) {
      copyRun(o, pos, s, off, inner);
      pos += inner;
    } else for (let k = 0, so = off; k < inner; k++, so += innerStride) o[pos++] = s[so];
    for (let j = last - 1; j >= 0; j--) {
      idx[j]++;
      off += os[j];
      if (idx[j] < od[j]) break;
      off -= os[j] * od[j];
      idx[j] = 0;
    }
  }
}

registerKernel('transpose2', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  const width = isComplex(x.dtype) ? 2 : 1;
  const out = allocStorage(x.dtype, numel(o.dims));
  permuteStorage(x.data, x.dims, attrs.axis, width, out);
  const xs = outs.XShape[0];
  return { Out: [new Tensor(out, o.dims.slice(), o.dtype)], XShape: [new Tensor(allocStorage(x.dtype, 0), xs.dims.slice(), x.dtype)] };
});
