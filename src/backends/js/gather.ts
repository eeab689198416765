// Portable kernels of the gather/scatter family. Pure data movement copies raw storage
// numbers (exact for int64 and float16); the accumulating kernels (grads, scatter with
// overwrite=false, scatter_nd_add) add in the numbers of the dtype (float16 as float32).
import { apiName } from '../../core/args.js';
import { DType, NumArray, allocNumbers, isComplex, toNumbers } from '../../core/dtype.js';
import { fail, OutOfRangeError } from '../../core/errors.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { broadcastShapes, numel, sameShape, stridesOf } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { gatherAxis } from '../../ops/gather.js';
import { tensorOf } from './loops.js';
import { boxCopy, broadcastRaw, raw, Raw, rawOf, rawZeros } from './slice.js';

/** Copies `n` numbers from src[from..] to dst[to..]. */
function copy(dst: NumArray, to: number, src: NumArray, from: number, n: number): void {
  if (n > 32) (dst as Float64Array).set((src as Float64Array).subarray(from, from + n), to);
  else for (let j = 0; j < n; j++) dst[to + j] = src[from + j];
}
/** Adds `n` numbers of src[from..] into dst[to..]. */
function addTo(dst: NumArray, to: number, src: NumArray, from: number, n: number): void {
  for (let j = 0; j < n; j++) dst[to + j] += src[from + j];
}

/** An index tensor's values as numbers, each checked to lie in [0, size). */
function indices(t: Tensor, op: string, size: number | ((k: number) => number), what: string): NumArray {
  const v = toNumbers(t.data, t.dtype);
  const n = numel(t.dims);
  for (let i = 0; i < n; i++) {
    const s = typeof size === 'number' ? size : size(i);
    const x = v[i];
    if (!(x >= 0 && x < s))
      fail(apiName(op), `${what} ${x} is out of range: expected an index in [0, ${s}) (operator ${op})`, OutOfRangeError);
  }
  return v;
}

/** The numbers of a tensor for accumulating: w numbers per element (2 for complex). */
function numsOf(t: Tensor): { a: NumArray; w: number } {
  return { a: toNumbers(t.data, t.dtype), w: isComplex(t.dtype) ? 2 : 1 };
}
/** A zero numbers array for a result of dtype d and shape dims. */
function zeroNums(d: DType, dims: readonly number[]): NumArray {
  return allocNumbers(d, numel(dims));
}

/** Outer/size/inner of X around `axis` (inner in elements). */
function around(dims: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= dims[i];
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i];
  return [outer, dims[axis], inner];
}

/** out[o, j, :] = x[o, ids[j], :] on raw numbers. */
function gatherAlong(x: Tensor, ids: NumArray, m: number, axis: number): Tensor {
  const [outer, n, inner] = around(x.dims, axis);
  const dims = x.dims.slice();
  dims[axis] = m;
  const [out, ro] = rawZeros(dims, x.dtype);
  const rx = raw(x);
  const blk = inner * rx.w;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++) copy(ro.a, (o * m + j) * blk, rx.a, (o * n + ids[j]) * blk, blk);
  return out;
}

/** The gradient of gatherAlong: zeros of xDims with g's slices added (or written) back. */
function gatherAlongGrad(xDims: number[], g: Tensor, ids: NumArray, m: number, axis: number, overwrite: boolean): Tensor {
  const [outer, n, inner] = around(xDims, axis);
  if (overwrite) {
    const [out, ro] = rawZeros(xDims, g.dtype);
    const rg = raw(g);
    const blk = inner * rg.w;
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < m; j++) copy(ro.a, (o * n + ids[j]) * blk, rg.a, (o * m + j) * blk, blk);
    return out;
  }
  const gn = numsOf(g);
  const res = zeroNums(g.dtype, xDims);
  const blk = inner * gn.w;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++) addTo(res, (o * n + ids[j]) * blk, gn.a, (o * m + j) * blk, blk);
  return tensorOf(res, xDims, g.dtype);
}

// ---- gather / index_select ------------------------------------------------------------------
registerKernel('gather', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const axis = gatherAxis(ins, x.dims.length, 'gather')!;
  const index = ins.Index[0];
  const m = index.dims[0];
  return { Out: [gatherAlong(x, indices(index, 'gather', x.dims[axis], 'index'), m, axis)] };
});
registerKernel('gather_grad', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const axis = gatherAxis(ins, x.dims.length, 'gather_grad')!;
  const index = ins.Index[0];
  const ids = indices(index, 'gather_grad', x.dims[axis], 'index');
  // with an Axis input Paddle always accumulates
  const overwrite = attrs.overwrite && !ins.Axis?.[0];
  return { 'X@GRAD': [gatherAlongGrad(x.dims.slice(), ins['Out@GRAD'][0], ids, index.dims[0], axis, overwrite)] };
});
const selAxis = (dim: number, r: number): number => (dim < 0 ? dim + r : dim);
registerKernel('index_select', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const axis = selAxis(attrs.dim, x.dims.length);
  const index = ins.Index[0];
  return { Out: [gatherAlong(x, indices(index, 'index_select', x.dims[axis], 'index'), index.dims[0], axis)] };
});
registerKernel('index_select_grad', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const axis = selAxis(attrs.dim, x.dims.length);
  const index = ins.Index[0];
  const ids = indices(index, 'index_select_grad', x.dims[axis], 'index');
  return { 'X@GRAD': [gatherAlongGrad(x.dims.slice(), ins['Out@GRAD'][0], ids, index.dims[0], axis, false)] };
});

// ---- gather_nd ------------------------------------------------------------------------------
/** Per index row: the element offset into X of the addressed slice; and the slice size. */
function ndOffsets(x: Tensor, index: Tensor, op: string): { offs: Float64Array; rows: number; slice: number; outDims: number[] } {
  const k = index.dims[index.dims.length - 1];
  const lead = index.dims.slice(0, -1);
  const rows = numel(lead);
  const st = stridesOf(x.dims);
  const ids = indices(index, op, (i) => x.dims[i % k], 'index');
  const offs = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let o = 0;
    for (let j = 0; j < k; j++) o += ids[r * k + j] * st[j];
    offs[r] = o;
  }
  let slice = 1;
  for (let i = k; i < x.dims.length; i++) slice *= x.dims[i];
  const outDims = [...lead, ...x.dims.slice(k)];
  return { offs, rows, slice, outDims: outDims.length ? outDims : [1] };
}

registerKernel('gather_nd', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const { offs, rows, slice, outDims } = ndOffsets(x, ins.Index[0], 'gather_nd');
  const [out, ro] = rawZeros(outDims, x.dtype);
  const rx = raw(x);
  const blk = slice * rx.w;
  for (let r = 0; r < rows; r++) copy(ro.a, r * blk, rx.a, offs[r] * rx.w, blk);
  return { Out: [out] };
});
registerKernel('gather_nd_grad', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  const { offs, rows, slice } = ndOffsets(x, ins.Index[0], 'gather_nd_grad');
  const gn = numsOf(g);
  const res = zeroNums(g.dtype, x.dims);
  const blk = slice * gn.w;
  for (let r = 0; r < rows; r++) addTo(res, offs[r] * gn.w, gn.a, r * blk, blk);
  return { 'X@GRAD': [tensorOf(res, x.dims.slice(), g.dtype)] };
});

// ---- index_sample ---------------------------------------------------------------------------
registerKernel('index_sample', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const index = ins.Index[0];
  const [n, d] = x.dims;
  const k = index.dims[1];
  const ids = indices(index, 'index_sample', d, 'index');
  const [out, ro] = rawZeros(index.dims.slice(), x.dtype);
  const rx = raw(x);
  const w = rx.w;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) copy(ro.a, (i * k + j) * w, rx.a, (i * d + ids[i * k + j]) * w, w);
  return { Out: [out] };
});
registerKernel('index_sample_grad', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const index = ins.Index[0];
  const g = ins['Out@GRAD'][0];
  const [n, d] = x.dims;
  const k = index.dims[1];
  const ids = indices(index, 'index_sample_grad', d, 'index');
  const gn = numsOf(g);
  const res = zeroNums(g.dtype, x.dims);
  const w = gn.w;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) addTo(res, (i * d + ids[i * k + j]) * w, gn.a, (i * k + j) * w, w);
  return { 'X@GRAD': [tensorOf(res, x.dims.slice(), g.dtype)] };
});

// ---- masked_select --------------------------------------------------------------------------
/** A tensor's raw numbers broadcast to dims (no copy when the shape already matches). */
function rawTo(t: Tensor, dims: number[]): Raw {
  return sameShape(t.dims, dims) ? raw(t) : broadcastRaw(raw(t), t.dims, dims, t.dtype);
}

registerKernel('masked_select', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const mask = ins.Mask[0];
  const dims = broadcastShapes(x.dims, mask.dims, 'masked_select');
  const rx = rawTo(x, dims);
  const m = rawTo(mask, dims).a;
  const n = numel(dims);
  let count = 0;
  for (let i = 0; i < n; i++) if (m[i]) count++;
  const [out, ro] = rawZeros([count], x.dtype);
  const w = rx.w;
  let q = 0;
  for (let i = 0; i < n; i++) if (m[i]) { copy(ro.a, q, rx.a, i * w, w); q += w; }
  return { Y: [out] };
});
registerKernel('masked_select_grad', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const mask = ins.Mask[0];
  const g = ins['Y@GRAD'][0];
  const dims = broadcastShapes(x.dims, mask.dims, 'masked_select_grad');
  const m = rawTo(mask, dims).a;
  const n = numel(dims);
  let count = 0;
  for (let i = 0; i < n; i++) if (m[i]) count++;
  if (numel(g.dims) !== count)
    fail(apiName('masked_select_grad'), `Y@GRAD has ${numel(g.dims)} elements but the mask selects ${count}`);
  const [out, ro] = rawZeros(dims, g.dtype);
  const rg = raw(g);
  const w = rg.w;
  let q = 0;
  for (let i = 0; i < n; i++) if (m[i]) { copy(ro.a, i * w, rg.a, q, w); q += w; }
  return { 'X@GRAD': [out] };
});

// ---- scatter --------------------------------------------------------------------------------
registerKernel('scatter', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const u = ins.Updates[0];
  const idsT = ins.Ids[0];
  const m = idsT.dims[0];
  const ids = indices(idsT, 'scatter', x.dims[0], 'index');
  const inner = numel(x.dims.slice(1));
  if (attrs.overwrite) {
    const out = new Tensor(x.data.slice(), x.dims.slice(), x.dtype);
    const ro = raw(out);
    const ru = raw(u);
    const blk = inner * ro.w;
    for (let j = 0; j < m; j++) copy(ro.a, ids[j] * blk, ru.a, j * blk, blk);
    return { Out: [out] };
  }
  const xn = numsOf(x);
  const res = zeroNums(x.dtype, x.dims);
  res.set(xn.a as Float64Array);
  const un = numsOf(u);
  const blk = inner * xn.w;
  for (let j = 0; j < m; j++) res.fill(0, ids[j] * blk, (ids[j] + 1) * blk);
  for (let j = 0; j < m; j++) addTo(res, ids[j] * blk, un.a, j * blk, blk);
  return { Out: [tensorOf(res, x.dims.slice(), x.dtype)] };
});
registerKernel('scatter_grad', 'js', (ins: Slots<Tensor>) => {
  const g = ins['Out@GRAD'][0];
  const u = ins.Updates[0];
  const idsT = ins.Ids[0];
  const m = idsT.dims[0];
  const ids = indices(idsT, 'scatter_grad', g.dims[0], 'index');
  const dx = new Tensor(g.data.slice(), g.dims.slice(), g.dtype);
  const rdx = raw(dx);
  const blk = numel(g.dims.slice(1)) * rdx.w;
  for (let j = 0; j < m; j++) rdx.a.fill(0, ids[j] * blk, (ids[j] + 1) * blk);
  const [du, rdu] = rawZeros(u.dims.slice(), g.dtype);
  const rg = raw(g);
  for (let j = 0; j < m; j++) copy(rdu.a, j * blk, rg.a, ids[j] * blk, blk);
  return { 'X@GRAD': [dx], 'Updates@GRAD': [du] };
});

// ---- scatter_nd_add -------------------------------------------------------------------------
registerKernel('scatter_nd_add', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const u = ins.Updates[0];
  const { offs, rows, slice } = ndOffsets(x, ins.Index[0], 'scatter_nd_add');
  const xn = numsOf(x);
  const res = zeroNums(x.dtype, x.dims);
  res.set(xn.a as Float64Array);
  const un = numsOf(u);
  const w = xn.w;
  const blk = slice * w;
  for (let r = 0; r < rows; r++) addTo(res, offs[r] * w, un.a, r * blk, blk);
  return { Out: [tensorOf(res, x.dims.slice(), x.dtype)] };
});

// ---- where_index ----------------------------------------------------------------------------
registerKernel('where_index', 'js', (ins: Slots<Tensor>) => {
  const cond = ins.Condition[0];
  const { a, w } = rawOf(cond.data, cond.dtype);
  const n = numel(cond.dims);
  const half = cond.dtype === 'float16';
  const hits: number[] = [];
  for (let i = 0; i < n; i++) {
    let nz = false;
    for (let j = 0; j < w; j++) {
      const v = a[i * w + j];
      if (half ? (v & 0x7fff) !== 0 : v !== 0) nz = true;
    }
    if (nz) hits.push(i);
  }
  const r = cond.dims.length;
  const st = stridesOf(cond.dims);
  const out = new BigInt64Array(hits.length * r);
  for (let h = 0; h < hits.length; h++) {
    let rem = hits[h];
    for (let d = 0; d < r; d++) {
      const q = Math.floor(rem / st[d]);
      rem -= q * st[d];
      out[h * r + d] = BigInt(q);
    }
  }
  return { Out: [new Tensor(out, [hits.length, r], 'int64')] };
});

