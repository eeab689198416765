// Portable kernels of slice, strided_slice and their grad ops, plus the raw-storage copy
// helpers the indexing kernels share (gather.ts, set_value.ts). Data is moved as raw storage
// numbers: int64 through an Int32Array view (two words per element, exact), complex as two
// numbers per element, float16 as its bits.
import { DType, NumArray, Storage, allocStorage, isComplex } from '../../core/dtype.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { slicePlanOf } from '../../ops/slice.js';

/** A typed array over a storage's raw numbers, and how many numbers make one element. */
export interface Raw {
  a: NumArray;
  w: number;
}

/** The raw numbers of a storage: int64 as Int32 pairs, complex as (re, im) pairs. */
export function rawOf(s: Storage, dtype: DType): Raw {
  if (s instanceof BigInt64Array) return { a: new Int32Array(s.buffer, s.byteOffset, s.length * 2), w: 2 };
  return { a: s as NumArray, w: isComplex(dtype) ? 2 : 1 };
}
export const raw = (t: Tensor): Raw => rawOf(t.data, t.dtype);

/** A zeroed tensor of the given shape and dtype with its raw view. */
export function rawZeros(dims: number[], dtype: DType): [Tensor, Raw] {
  const s = allocStorage(dtype, numel(dims));
  return [new Tensor(s, dims, dtype), rawOf(s, dtype)];
}

/** Copies `n` numbers from src[from..] to dst[to..]. */
function run(dst: NumArray, to: number, src: NumArray, from: number, n: number): void {
  if (n > 32) (dst as Float64Array).set((src as Float64Array).subarray(from, from + n), to);
  else for (let j = 0; j < n; j++) dst[to + j] = src[from + j];
}

/**
 * Moves data between a strided box of `big` (element shape `dims`, row-major, `w` numbers
 * per element) and the dense array `dense` (the box in row-major order). The box has, per
 * dim, its first index, step (may be negative, or 0 to repeat: broadcasting reads) and count.
 * `toDense`: big -> dense (slicing); otherwise dense -> big (writing a slice).
 */
export function boxCopy(
  big: NumArray, dims: readonly number[], first: readonly number[], step: readonly number[], count: readonly number[],
  w: number, dense: NumArray, toDense: boolean,
): void {
  const nd = dims.length;
  let total = w;
  for (let d = 0; d < nd; d++) total *= count[d];
  if (total === 0) return;
  // strides in numbers, the box's base offset, and its axes (size-1 axes dropped)
  const st: number[] = [];
  const cn: number[] = [];
  let base = 0;
  let acc = w;
  const S = new Array<number>(nd);
  for (let d = nd - 1; d >= 0; d--) {
    S[d] = acc;
    acc *= dims[d];
  }
  for (let d = 0; d < nd; d++) {
    base += first[d] * S[d];
    if (count[d] !== 1) {
      st.push(step[d] * S[d]);
      cn.push(count[d]);
    }
  }
  // the contiguous block at the end: the element's numbers, merged with unit-step inner axes
  let block = w;
  while (st.length && st[st.length - 1] === block) {
    block *= cn.pop()!;
    st.pop();
  }
  const m = st.length;
  if (m === 0) {
    if (toDense) run(dense, 0, big, base, block);
    else run(big, base, dense, 0, block);
    return;
  }
  const innerSt = st[m - 1];
  const innerCn = cn[m - 1];
  const outerN = m - 1;
  let outer = 1;
  for (let d = 0; d < outerN; d++) outer *= cn[d];
  const idx = new Int32Array(outerN);
  let p = base;
  let q = 0;
  for (let o = 0; o < outer; o++) {
    let r = p;
    if (block === 1) {
      if (toDense) for (let k = 0; k < innerCn; k++, r += innerSt) dense[q++] = big[r];
      else for (let k = 0; k < innerCn; k++, r += innerSt) big[r] = dense[q++];
    } else if (toDense) {
      for (let k = 0; k < innerCn; k++, r += innerSt, q += block) run(dense, q, big, r, block);
    } else {
      for (let k = 0; k < innerCn; k++, r += innerSt, q += block) run(big, r, dense, q, block);
    }
    for (let d = outerN - 1; d >= 0; d--) {
      idx[d]++;
      p += st[d];
      if (idx[d] < cn[d]) break;
      p -= st[d] * cn[d];
      idx[d] = 0;
    }
  }
}

/**
 * Broadcasts `src` (shape `srcDims`, right-aligned against `dims`) into a new dense storage of
 * shape `dims` (raw view returned). The caller has checked the shapes broadcast.
 */
export function broadcastRaw(src: Raw, srcDims: readonly number[], dims: readonly number[], dtype: DType): Raw {
  const r = rawOf(allocStorage(dtype, numel(dims)), dtype);
  const nd = dims.length;
  const lead = nd - srcDims.length;
  const sd: number[] = [];
  const step: number[] = [];
  for (let d = 0; d < nd; d++) {
    const s = d < lead ? 1 : srcDims[d - lead];
    sd.push(s);
    step.push(s === 1 && dims[d] !== 1 ? 0 : 1);
  }
  boxCopy(src.a, sd, new Array(nd).fill(0), step, dims, src.w, r.a, true);
  return r;
}

for (const type of ['slice', 'strided_slice']) {
  const strided = type === 'strided_slice';
  registerKernel(type, 'js', (ins: Slots<Tensor>, attrs) => {
    const x = ins.Input[0];
    const plan = slicePlanOf(x.dims, ins, attrs, type, strided);
    const [out, ro] = rawZeros(plan.outDims, x.dtype);
    const rx = raw(x);
    boxCopy(rx.a, x.dims, plan.first, plan.step, plan.count, rx.w, ro.a, true);
    return { Out: [out] };
  });
  registerKernel(`${type}_grad`, 'js', (ins: Slots<Tensor>, attrs) => {
    const x = ins.Input[0];
    const g = ins['Out@GRAD'][0];
    const plan = slicePlanOf(x.dims, ins, attrs, `${type}_grad`, strided);
    const [dx, rdx] = rawZeros(x.dims.slice(), g.dtype);
    const rg = raw(g);
    boxCopy(rdx.a, x.dims, plan.first, plan.step, plan.count, rdx.w, rg.a, false);
    return { 'Input@GRAD': [dx] };
  });
}
