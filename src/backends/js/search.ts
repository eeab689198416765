// Portable kernels of the search family: arg_max, arg_min, argsort, top_k_v2, where, unique.
// Sorting is a stable merge sort of Int32Array positions by Float64Array keys (NaN largest,
// ties in input order), written out without comparator closures; top_k_v2 keeps a bounded
// heap for small k. Values move as raw storage (int64 exact, float16 bits); int64 index
// outputs are written through an Int32Array view (low word, high word 0).
import { DType, NumArray, allocStorage, isComplex, toNumbers } from '../../core/dtype.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { apiName } from '../../core/args.js';
import { fail } from '../../core/errors.js';
import { numel, showShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { axisOf, topkK } from '../../ops/search.js';
import { raw, rawZeros } from './slice.js';

// ---- sorting helpers ------------------------------------------------------------------------
/** Whether key a sorts strictly before key b (NaN is the largest value). */
function before(ka: number, kb: number, desc: boolean): boolean {
  return desc ? ka > kb || (ka !== ka && kb === kb) : ka < kb || (kb !== kb && ka === ka);
}

const RUN = 16;

/**
 * Stable sort of (key, position) pairs: keys[j] is the key of idx[j]; both arrays are
 * permuted together (ascending, or descending with `desc`), equal keys keeping their order.
 * tk / ti are scratch arrays of length >= n. NaNs are first moved (stably) to the end, or
 * the front when descending; a descending sort sorts negated keys ascending, so the merge
 * loop compares with a plain `<` and reads keys sequentially.
 */
export function sortPairs(keys: Float64Array, idx: Int32Array, tk: Float64Array, ti: Int32Array, n: number, desc: boolean): void {
  let nan = 0;
  for (let j = 0; j < n; j++) if (keys[j] !== keys[j]) nan++;
  let from = 0;
  let to = n;
  if (nan > 0) {
    // stable partition into numbers and NaNs through the scratch arrays
    let a = desc ? nan : 0;
    let b = desc ? 0 : n - nan;
    for (let j = 0; j < n; j++) {
      if (keys[j] !== keys[j]) {
        tk[b] = keys[j];
        ti[b++] = idx[j];
      } else {
        tk[a] = keys[j];
        ti[a++] = idx[j];
      }
    }
    keys.set(tk.subarray(0, n));
    idx.set(ti.subarray(0, n));
    if (desc) from = nan;
    else to = n - nan;
  }
  if (desc) for (let j = from; j < to; j++) keys[j] = -keys[j];
  if (to - from >= RADIX_MIN) radix(keys, idx, tk, ti, from, to);
  else ascending(keys, idx, tk, ti, from, to);
  if (desc) for (let j = from; j < to; j++) keys[j] = -keys[j];
}

/** From this many keys on, sorting is an LSD radix sort on the keys' bits. */
const RADIX_MIN = 256;

/**
 * Stable ascending LSD radix sort of keys[from..to) (no NaN) with idx alongside: the double
 * bits are mapped to unsigned order (sign flipped; all bits flipped for negatives, -0 made +0),
 * then sorted by 8-bit digits, skipping digits that are the same for every key (most of them
 * for float32 or integer data).
 */
function radix(keys: Float64Array, idx: Int32Array, tk: Float64Array, ti: Int32Array, from: number, to: number): void {
  const n = to - from;
  for (let j = from; j < to; j++) keys[j] += 0;
  const u = new Uint32Array(keys.buffer, keys.byteOffset + from * 8, 2 * n);
  const v = new Uint32Array(tk.buffer, tk.byteOffset + from * 8, 2 * n);
  const ia = idx.subarray(from, to);
  const ib = ti.subarray(from, to);
  const counts = new Int32Array(8 * 256);
  for (let j = 0; j < n; j++) {
    let lo = u[2 * j];
    let hi = u[2 * j + 1];
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    u[2 * j] = lo;
    u[2 * j + 1] = hi;
    counts[lo & 255]++;
    counts[256 + ((lo >>> 8) & 255)]++;
    counts[512 + ((lo >>> 16) & 255)]++;
    counts[768 + (lo >>> 24)]++;
    counts[1024 + (hi & 255)]++;
    counts[1280 + ((hi >>> 8) & 255)]++;
    counts[1536 + ((hi >>> 16) & 255)]++;
    counts[1792 + (hi >>> 24)]++;
  }
  let src = u;
  let dst = v;
  let si = ia;
  let di = ib;
  for (let d = 0; d < 8; d++) {
    const c0 = d * 256;
    let skip = false;
    for (let b = 0; b < 256; b++) {
      if (counts[c0 + b] === n) skip = true;
      if (counts[c0 + b] !== 0) break;
    }
    if (skip) continue;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const t = counts[c0 + b];
      counts[c0 + b] = sum;
      sum += t;
    }
    const word = d < 4 ? 0 : 1;
    const shift = (d & 3) * 8;
    for (let j = 0; j < n; j++) {
      const p = counts[c0 + ((src[2 * j + word] >>> shift) & 255)]++;
      dst[2 * p] = src[2 * j];
      dst[2 * p + 1] = src[2 * j + 1];
      di[p] = si[j];
    }
    const t = src;
    src = dst;
    dst = t;
    const w = si;
    si = di;
    di = w;
  }
  if (src !== u) {
    u.set(src);
    ia.set(si);
  }
  for (let j = 0; j < n; j++) {
    const hi = u[2 * j + 1];
    if (hi & 0x80000000) u[2 * j + 1] = hi ^ 0x80000000;
    else {
      u[2 * j + 1] = ~hi >>> 0;
      u[2 * j] = ~u[2 * j] >>> 0;
    }
  }
}

/** Stable ascending merge sort of keys[from..to) (no NaN) with idx alongside. */
function ascending(keys: Float64Array, idx: Int32Array, tk: Float64Array, ti: Int32Array, from: number, to: number): void {
  for (let lo = from; lo < to; lo += RUN) {
    const hi = lo + RUN < to ? lo + RUN : to;
    for (let i = lo + 1; i < hi; i++) {
      const kv = keys[i];
      const v = idx[i];
      let j = i - 1;
      while (j >= lo && kv < keys[j]) {
        keys[j + 1] = keys[j];
        idx[j + 1] = idx[j];
        j--;
      }
      keys[j + 1] = kv;
      idx[j + 1] = v;
    }
  }
  let sk = keys;
  let si = idx;
  let dk = tk;
  let di = ti;
  for (let w = RUN; w < to - from; w *= 2) {
    for (let lo = from; lo < to; lo += 2 * w) {
      const mid = lo + w < to ? lo + w : to;
      const hi = lo + 2 * w < to ? lo + 2 * w : to;
      if (mid >= hi || !(sk[mid] < sk[mid - 1])) {
        // already in order: copy the run
        dk.set(sk.subarray(lo, hi), lo);
        di.set(si.subarray(lo, hi), lo);
        continue;
      }
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (sk[j] < sk[i]) {
          dk[k] = sk[j];
          di[k++] = si[j++];
        } else {
          dk[k] = sk[i];
          di[k++] = si[i++];
        }
      }
      while (i < mid) {
        dk[k] = sk[i];
        di[k++] = si[i++];
      }
      while (j < hi) {
        dk[k] = sk[j];
        di[k++] = si[j++];
      }
    }
    const t = sk;
    sk = dk;
    dk = t;
    const u = si;
    si = di;
    di = u;
  }
  if (sk !== keys) {
    keys.set(sk.subarray(from, to), from);
    idx.set(si.subarray(from, to), from);
  }
}

/** Whether position a comes before position b in the (stable) order of keys. */
function precedes(keys: Float64Array, a: number, b: number, desc: boolean): boolean {
  const ka = keys[a];
  const kb = keys[b];
  if (before(ka, kb, desc)) return true;
  if (before(kb, ka, desc)) return false;
  return a < b;
}

/**
 * The first k positions of the stable order of keys[0..n), in order, into idx[0..k):
 * a heap whose root is the latest of the kept positions, then a sort of those k.
 */
export function topIndices(keys: Float64Array, idx: Int32Array, n: number, k: number, desc: boolean, s: Scratch): void {
  if (k * 4 >= n) {
    s.k.set(keys.subarray(0, n));
    for (let j = 0; j < n; j++) idx[j] = j;
    sortPairs(s.k, idx, s.tk, s.ti, n, desc);
    return;
  }
  let size = 0;
  for (let e = 0; e < n; e++) {
    if (size < k) {
      // sift up: parents must come later in the order than their children
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!precedes(keys, idx[p], e, desc)) break;
        idx[i] = idx[p];
        i = p;
      }
      idx[i] = e;
    } else if (precedes(keys, e, idx[0], desc)) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k) break;
        let m = l;
        if (l + 1 < k && precedes(keys, idx[l], idx[l + 1], desc)) m = l + 1;
        if (!precedes(keys, e, idx[m], desc)) break;
        idx[i] = idx[m];
        i = m;
      }
      idx[i] = e;
    }
  }
  // sort the kept positions: by position first, so the stable key sort breaks ties by position
  idx.subarray(0, k).sort();
  for (let j = 0; j < k; j++) s.k[j] = keys[idx[j]];
  sortPairs(s.k, idx, s.tk, s.ti, k, desc);
}

/** Scratch arrays for sortPairs / topIndices over rows of up to n elements. */
export interface Scratch {
  k: Float64Array;
  tk: Float64Array;
  ti: Int32Array;
}
export const scratch = (n: number): Scratch => ({ k: new Float64Array(n), tk: new Float64Array(n), ti: new Int32Array(n) });

/** An index output: the tensor and an Int32Array over it, `s` words per element. */
export function indexOut(dims: number[], dtype: DType): { t: Tensor; a: Int32Array; s: number } {
  const n = numel(dims);
  if (dtype === 'int64') {
    const b = new BigInt64Array(n);
    return { t: new Tensor(b, dims, 'int64'), a: new Int32Array(b.buffer), s: 2 };
  }
  const a = new Int32Array(n);
  return { t: new Tensor(a, dims, 'int32'), a, s: 1 };
}

/** outer / size / inner around an axis. */
function around(dims: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= dims[i];
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i];
  return [outer, dims[axis], inner];
}

/** Numbers of a real tensor, as keys (int64 within +-2^53 exact). */
const keysOf = (t: Tensor): NumArray => toNumbers(t.data, t.dtype);

// ---- arg_max / arg_min ----------------------------------------------------------------------
function argKernel(type: string, max: boolean): void {
  registerKernel(type, 'js', (ins: Slots<Tensor>, attrs, outs) => {
    const x = ins.X[0];
    const meta = outs.Out[0];
    const v = keysOf(x);
    const total = numel(x.dims);
    let outer: number;
    let n: number;
    let inner: number;
    if (attrs.flatten) [outer, n, inner] = [1, total, 1];
    else [outer, n, inner] = around(x.dims, axisOf(attrs.axis, x.dims.length, type));
    const res = indexOut(meta.dims.slice(), meta.dtype);
    if (n === 0 && outer * inner > 0) fail(apiName(type), `cannot take the arg${max ? 'max' : 'min'} along an empty axis of shape ${showShape(x.dims)} (operator ${type})`);
    const best = new Float64Array(inner);
    const at = new Int32Array(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * n * inner;
      for (let i = 0; i < inner; i++) {
        best[i] = v[base + i];
        at[i] = 0;
      }
      for (let j = 1; j < n; j++) {
        const row = base + j * inner;
        for (let i = 0; i < inner; i++) {
          const x1 = v[row + i];
          const b = best[i];
          if ((max ? x1 > b : x1 < b) || (x1 !== x1 && b === b)) {
            best[i] = x1;
            at[i] = j;
          }
        }
      }
      for (let i = 0; i < inner; i++) res.a[(o * inner + i) * res.s] = at[i];
    }
    return { Out: [res.t] };
  });
}
argKernel('arg_max', true);
argKernel('arg_min', false);

// ---- argsort / top_k_v2 ---------------------------------------------------------------------
/**
 * Sorts (k = n) or selects (k < n) along `axis`: values raw-copied by position, int64
 * indices. `desc` orders largest first.
 */
function sortAlong(x: Tensor, axis: number, k: number, desc: boolean): [Tensor, Tensor] {
  const [outer, n, inner] = around(x.dims, axis);
  const dims = x.dims.slice();
  dims[axis] = k;
  const [out, ro] = rawZeros(dims, x.dtype);
  const ind = indexOut(dims.slice(), 'int64');
  const rx = raw(x);
  const w = rx.w;
  const v = keysOf(x);
  const keys = new Float64Array(n);
  const idx = new Int32Array(n);
  const sc = scratch(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      for (let j = 0; j < n; j++) keys[j] = v[base + j * inner];
      if (k === n) {
        for (let j = 0; j < n; j++) idx[j] = j;
        sortPairs(keys, idx, sc.tk, sc.ti, n, desc);
      } else topIndices(keys, idx, n, k, desc, sc);
      const obase = o * k * inner + i;
      if (w === 1) {
        for (let j = 0; j < k; j++) {
          const p = obase + j * inner;
          ro.a[p] = rx.a[base + idx[j] * inner];
          ind.a[2 * p] = idx[j];
        }
      } else {
        for (let j = 0; j < k; j++) {
          const p = obase + j * inner;
          const s = (base + idx[j] * inner) * w;
          for (let t = 0; t < w; t++) ro.a[p * w + t] = rx.a[s + t];
          ind.a[2 * p] = idx[j];
        }
      }
    }
  }
  return [out, ind.t];
}

registerKernel('argsort', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const a = axisOf(attrs.axis, x.dims.length, 'argsort');
  const [out, ind] = sortAlong(x, a, x.dims[a], !!attrs.descending);
  return { Out: [out], Indices: [ind] };
});

registerKernel('top_k_v2', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const a = axisOf(attrs.axis, x.dims.length, 'top_k_v2');
  const k = topkK(ins, attrs, 'top_k_v2');
  const [out, ind] = sortAlong(x, a, k, !!attrs.largest);
  return { Out: [out], Indices: [ind] };
});

// ---- where ----------------------------------------------------------------------------------
registerKernel('where', 'js', (ins: Slots<Tensor>) => {
  const cond = ins.Condition[0].data as Uint8Array;
  const x = ins.X[0];
  const rx = raw(x);
  const ry = raw(ins.Y[0]);
  const [out, ro] = rawZeros(x.dims.slice(), x.dtype);
  const n = numel(x.dims);
  const w = rx.w;
  const o = ro.a;
  if (w === 1) {
    const xa = rx.a;
    const ya = ry.a;
    for (let i = 0; i < n; i++) o[i] = cond[i] ? xa[i] : ya[i];
  } else {
    for (let i = 0; i < n; i++) {
      const src = cond[i] ? rx.a : ry.a;
      for (let t = 0; t < w; t++) o[i * w + t] = src[i * w + t];
    }
  }
  return { Out: [out] };
});

// ---- unique ---------------------------------------------------------------------------------
/** Equal as unique groups them: numerically, or both NaN. */
const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

const empty = (d: DType): Tensor => new Tensor(allocStorage(d, 0), [0], d);

registerKernel('unique', 'js', (ins: Slots<Tensor>, attrs, outs) => {
  const x = ins.X[0];
  if (isComplex(x.dtype)) return undefined;
  const d = outs.Index[0].dtype;
  const v = keysOf(x);
  const n = numel(x.dims);
  const rx = raw(x);
  const w = rx.w;
  if (!attrs.is_sorted) {
    // fluid.layers.unique: first-occurrence order, Index maps every element to its unique
    const seen = new Map<number, number>();
    const inv = indexOut([n], d);
    const firsts: number[] = [];
    for (let i = 0; i < n; i++) {
      const key = v[i];
      let u = seen.get(key);
      if (u === undefined) {
        u = firsts.length;
        seen.set(key, u);
        firsts.push(i);
      }
      inv.a[i * inv.s] = u;
    }
    const [out, ro] = rawZeros([firsts.length], x.dtype);
    for (let u = 0; u < firsts.length; u++) for (let t = 0; t < w; t++) ro.a[u * w + t] = rx.a[firsts[u] * w + t];
    return { Out: [out], Index: [inv.t], Indices: [empty(d)], Counts: [empty(d)] };
  }
  const axes = attrs.axis as number[];
  let outer = 1;
  let len = n;
  let inner = 1;
  let axis = -1;
  if (axes.length) {
    axis = axisOf(axes[0], x.dims.length, 'unique');
    [outer, len, inner] = around(x.dims, axis);
  }
  // sorted order of the len slices along the axis (single elements when flattened)
  const idx = new Int32Array(len);
  for (let j = 0; j < len; j++) idx[j] = j;
  let eq: (a: number, b: number) => boolean;
  if (axis < 0) {
    sortPairs(Float64Array.from(v), idx, new Float64Array(len), new Int32Array(len), len, false);
    eq = (a, b) => same(v[a], v[b]);
  } else {
    // rows: slice j is, in order, x[o, j, i] for o < outer, i < inner
    const col = outer * inner;
    const rows = new Float64Array(len * col);
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < len; j++)
        for (let i = 0; i < inner; i++) rows[j * col + o * inner + i] = v[(o * len + j) * inner + i];
    const cmp = (a: number, b: number): number => {
      for (let t = 0; t < col; t++) {
        const p = rows[a * col + t];
        const q = rows[b * col + t];
        if (before(p, q, false)) return -1;
        if (before(q, p, false)) return 1;
      }
      return 0;
    };
    // stable: ties by position
    const sorted = Array.from(idx).sort((a, b) => cmp(a, b) || a - b);
    idx.set(sorted);
    eq = (a, b) => cmp(a, b) === 0;
  }
  // group equal neighbours
  const group = new Int32Array(len); // unique number of each sorted position
  let m = 0;
  for (let j = 0; j < len; j++) {
    if (j > 0 && !eq(idx[j - 1], idx[j])) m++;
    group[j] = m;
  }
  const count = len ? m + 1 : 0;
  const indices = indexOut([count], d);
  const counts = indexOut([count], d);
  const inverse = indexOut([len], d);
  for (let j = 0; j < len; j++) {
    const g = group[j];
    if (j === 0 || group[j - 1] !== g) indices.a[g * indices.s] = idx[j];
    counts.a[g * counts.s]++;
    inverse.a[idx[j] * inverse.s] = g;
  }
  let out: Tensor;
  if (axis < 0) {
    const [t, ro] = rawZeros([count], x.dtype);
    for (let g = 0; g < count; g++) {
      const s = indices.a[g * indices.s];
      for (let q = 0; q < w; q++) ro.a[g * w + q] = rx.a[s * w + q];
    }
    out = t;
  } else {
    const dims = x.dims.slice();
    dims[axis] = count;
    const [t, ro] = rawZeros(dims, x.dtype);
    const blk = inner * w;
    for (let o = 0; o < outer; o++)
      for (let g = 0; g < count; g++) {
        const s = indices.a[g * indices.s];
        ro.a.set(rx.a.subarray((o * len + s) * blk, (o * len + s + 1) * blk) as never, (o * count + g) * blk);
      }
    out = t;
  }
  return {
    Out: [out],
    Index: [attrs.return_inverse ? inverse.t : empty(d)],
    Indices: [attrs.return_index ? indices.t : empty(d)],
    Counts: [attrs.return_counts ? counts.t : empty(d)],
  };
});
