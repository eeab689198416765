// Portable kernels of the assorted operators: cumsum, clip, clip_grad, kron, multiplex, sum,
// tril_triu, meshgrid, flip, roll, shard_index, diag_v2, diag_v2_grad, trace, trace_grad and
// is_empty. Data-movement kernels copy raw storage numbers (int64 exact, float16 bits,
// complex pairs); arithmetic ones compute in the numbers of the dtype, writing each partial
// result into the output's typed array so float32/int32 round and wrap as C++ does.
import { apiName } from '../../core/args.js';
import { allocNumbers, allocStorage, fillStorage, isComplex, Storage, toNumbers } from '../../core/dtype.js';
import { fail, OutOfRangeError } from '../../core/errors.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { numel, showShape, stridesOf } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { kronDims, traceAxes } from '../../ops/misc.js';
import { axisOf } from '../../ops/search.js';
import { nums, outNumbers, tensorOf, unaryLoop } from './loops.js';
import { boxCopy, raw, rawOf, rawZeros } from './slice.js';
import { copyRun } from './transpose.js';

/** outer / size / inner around an axis. */
function around(dims: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= dims[i];
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i];
  return [outer, dims[axis], inner];
}

// ---- cumsum ---------------------------------------------------------------------------------
registerKernel('cumsum', 'js', (ins: Slots<Tensor>, attrs, outs) => {
  const x = ins.X[0];
  if (isComplex(x.dtype)) return undefined;
  const o = outs.Out[0];
  const v = nums(x);
  const res = outNumbers(x.dtype, x.dims);
  const n = res.length;
  const [pre, mid, post] = attrs.flatten ? [1, n, 1] : around(x.dims, axisOf(attrs.axis, x.dims.length, 'cumsum'));
  const excl = !!attrs.exclusive;
  const rev = !!attrs.reverse;
  if (mid > 0) {
    for (let p = 0; p < pre; p++) {
      const base = p * mid * post;
      const first = base + (rev ? (mid - 1) * post : 0);
      for (let i = 0; i < post; i++) res[first + i] = excl ? 0 : v[first + i];
      for (let s = 1; s < mid; s++) {
        const j = rev ? mid - 1 - s : s;
        const row = base + j * post;
        const prev = rev ? row + post : row - post;
        const src = excl ? prev : row;
        for (let i = 0; i < post; i++) res[row + i] = res[prev + i] + v[src + i];
      }
    }
  }
  return { Out: [tensorOf(res, o.dims.slice(), x.dtype)] };
});

// ---- clip / clip_grad -----------------------------------------------------------------------
/** A bound: the Min/Max tensor's value if given, else the float32 attribute. */
function bound(t: Tensor | undefined, attr: number): number {
  return t ? toNumbers(t.data, t.dtype)[0] : Math.fround(attr);
}
function bounds(ins: Slots<Tensor>, attrs: Record<string, any>, op: string): [number, number] {
  const lo = bound(ins.Min?.[0], attrs.min);
  const hi = bound(ins.Max?.[0], attrs.max);
  if (lo > hi) fail(apiName(op), `max should be greater than or equal to min, but got min = ${lo}, max = ${hi} (operator ${op})`);
  return [lo, hi];
}

const clipLoop = unaryLoop('x < p0 ? p0 : x > p1 ? p1 : x');
registerKernel('clip', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const [lo, hi] = bounds(ins, attrs, 'clip');
  const res = outNumbers(x.dtype, x.dims);
  clipLoop(nums(x), res, res.length, lo, hi, 0);
  return { Out: [tensorOf(res, x.dims.slice(), x.dtype)] };
});

registerKernel('clip_grad', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = nums(ins.X[0]);
  const gt = ins['Out@GRAD'][0];
  const g = nums(gt);
  const [lo, hi] = bounds(ins, attrs, 'clip_grad');
  const res = outNumbers(gt.dtype, gt.dims);
  for (let i = 0; i < res.length; i++) res[i] = x[i] > lo && x[i] < hi ? g[i] : 0;
  return { 'X@GRAD': [tensorOf(res, ins.X[0].dims.slice(), gt.dtype)] };
});

// ---- kron -----------------------------------------------------------------------------------
/** Offsets into Out of every element of a tensor with (padded) dims, given per-dim scales. */
function offsets(dims: readonly number[], scale: readonly number[]): Float64Array {
  const n = numel(dims);
  const off = new Float64Array(n);
  const r = dims.length;
  const idx = new Int32Array(r);
  let p = 0;
  for (let e = 0; e < n; e++) {
    off[e] = p;
    for (let d = r - 1; d >= 0; d--) {
      idx[d]++;
      p += scale[d];
      if (idx[d] < dims[d]) break;
      p -= scale[d] * dims[d];
      idx[d] = 0;
    }
  }
  return off;
}

registerKernel('kron', 'js', (ins: Slots<Tensor>, _attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const [px, py] = kronDims(x.dims, y.dims);
  const ost = stridesOf(o.dims);
  const offX = offsets(px, ost.map((s, t) => s * py[t]));
  const offY = offsets(py, ost);
  const xv = nums(x);
  const yv = nums(y);
  const res = outNumbers(o.dtype, o.dims);
  const nx = offX.length;
  const ny = offY.length;
  if (isComplex(x.dtype)) {
    for (let a = 0; a < nx; a++) {
      const xr = xv[2 * a];
      const xi = xv[2 * a + 1];
      for (let b = 0; b < ny; b++) {
        const p = 2 * (offX[a] + offY[b]);
        res[p] = xr * yv[2 * b] - xi * yv[2 * b + 1];
        res[p + 1] = xr * yv[2 * b + 1] + xi * yv[2 * b];
      }
    }
  } else if (x.dtype === 'int32') {
    for (let a = 0; a < nx; a++) {
      const xa = xv[a];
      const base = offX[a];
      for (let b = 0; b < ny; b++) res[base + offY[b]] = Math.imul(xa, yv[b]);
    }
  } else {
    for (let a = 0; a < nx; a++) {
      const xa = xv[a];
      const base = offX[a];
      for (let b = 0; b < ny; b++) res[base + offY[b]] = xa * yv[b];
    }
  }
  return { Out: [tensorOf(res, o.dims.slice(), o.dtype)] };
});

// ---- multiplex ------------------------------------------------------------------------------
registerKernel('multiplex', 'js', (ins: Slots<Tensor>) => {
  const xs = ins.X;
  const ids = toNumbers(ins.Ids[0].data, ins.Ids[0].dtype);
  const x0 = xs[0];
  const rows = ins.Ids[0].dims[0];
  const [out, ro] = rawZeros(x0.dims.slice(), x0.dtype);
  const rs = xs.map(raw);
  const len = (numel(x0.dims) / Math.max(x0.dims[0], 1)) * ro.w;
  for (let i = 0; i < rows; i++) {
    const k = ids[i];
    if (!(k >= 0 && k < xs.length))
      fail(apiName('multiplex'), `index ${k} in row ${i} is out of range: expected an index in [0, ${xs.length}) (operator multiplex)`, OutOfRangeError);
    copyRun(ro.a, i * len, rs[k].a, i * len, len);
  }
  return { Out: [out] };
});

// ---- sum (add_n) ----------------------------------------------------------------------------
registerKernel('sum', 'js', (ins: Slots<Tensor>) => {
  const xs = ins.X;
  const x0 = xs[0];
  const res = allocNumbers(x0.dtype, numel(x0.dims));
  res.set(nums(x0) as Float64Array);
  for (let k = 1; k < xs.length; k++) {
    const v = nums(xs[k]);
    for (let i = 0; i < res.length; i++) res[i] += v[i];
  }
  return { Out: [tensorOf(res, x0.dims.slice(), x0.dtype)] };
});

// ---- tril_triu ------------------------------------------------------------------------------
registerKernel('tril_triu', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const r = x.dims.length;
  const h = x.dims[r - 2];
  const wd = x.dims[r - 1];
  const [out, ro] = rawZeros(x.dims.slice(), x.dtype);
  const rx = raw(x);
  const w = rx.w;
  const batch = h * wd === 0 ? 0 : numel(x.dims) / (h * wd);
  const diag = attrs.diagonal as number;
  const lower = !!attrs.lower;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < h; i++) {
      const j0 = lower ? 0 : Math.max(0, i + diag);
      const j1 = lower ? Math.min(wd, i + diag + 1) : wd;
      if (j1 <= j0) continue;
      const off = ((b * h + i) * wd + j0) * w;
      copyRun(ro.a, off, rx.a, off, (j1 - j0) * w);
    }
  }
  return { Out: [out] };
});

// ---- meshgrid -------------------------------------------------------------------------------
registerKernel('meshgrid', 'js', (ins: Slots<Tensor>) => {
  const xs = ins.X;
  const dims = xs.map((x) => x.dims[0]);
  const outs = xs.map((x, i) => {
    const [out, ro] = rawZeros(dims.slice(), x.dtype);
    const rx = raw(x);
    const w = rx.w;
    const [outer, n, inner] = around(dims, i);
    let p = 0;
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < n; j++) {
        if (w === 1) {
          ro.a.fill(rx.a[j], p, p + inner);
          p += inner;
        } else for (let e = 0; e < inner; e++) for (let t = 0; t < w; t++) ro.a[p++] = rx.a[j * w + t];
      }
    return out;
  });
  return { Out: outs };
});

// ---- flip -----------------------------------------------------------------------------------
registerKernel('flip', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const r = x.dims.length;
  const first = new Array<number>(r).fill(0);
  const step = new Array<number>(r).fill(1);
  for (const a0 of attrs.axis as number[]) {
    const a = axisOf(a0, r, 'flip');
    first[a] = Math.max(x.dims[a] - 1, 0);
    step[a] = -1;
  }
  const [out, ro] = rawZeros(x.dims.slice(), x.dtype);
  const rx = raw(x);
  boxCopy(rx.a, x.dims, first, step, x.dims, rx.w, ro.a, true);
  return { Out: [out] };
});

// ---- roll -----------------------------------------------------------------------------------
registerKernel('roll', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const shifts = (attrs.shifts as number[]).map(Number);
  let axes = (attrs.axis as number[]).map(Number);
  let dims = x.dims;
  if (axes.length === 0) {
    dims = [numel(x.dims)];
    axes = [0];
  }
  let cur: Storage = x.data;
  const w = raw(x).w;
  for (let q = 0; q < axes.length; q++) {
    const [outer, n, inner] = around(dims, axisOf(axes[q], dims.length, 'roll'));
    const next = allocStorage(x.dtype, numel(x.dims));
    const src = rawOf(cur, x.dtype).a;
    const dst = rawOf(next, x.dtype).a;
    const s = n === 0 ? 0 : ((shifts[q] % n) + n) % n;
    const blk = inner * w;
    for (let o = 0; o < outer; o++) {
      const base = o * n * blk;
      copyRun(dst, base + s * blk, src, base, (n - s) * blk);
      copyRun(dst, base, src, base + (n - s) * blk, s * blk);
    }
    cur = next;
  }
  return { Out: [new Tensor(cur === x.data ? x.data.slice() : cur, x.dims.slice(), x.dtype)] };
});

// ---- shard_index ----------------------------------------------------------------------------
registerKernel('shard_index', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const v = nums(x);
  const res = outNumbers(x.dtype, x.dims);
  const indexNum = attrs.index_num as number;
  const shardSize = Math.floor((indexNum + attrs.nshards - 1) / attrs.nshards);
  const shardId = attrs.shard_id as number;
  const ignore = attrs.ignore_value as number;
  for (let i = 0; i < res.length; i++) {
    const e = v[i];
    if (!(e >= 0 && e < indexNum))
      fail(apiName('shard_index'), `every input index must be in [0, index_num = ${indexNum}), but got ${e} (operator shard_index)`);
    res[i] = Math.floor(e / shardSize) === shardId ? e % shardSize : ignore;
  }
  return { Out: [tensorOf(res, x.dims.slice(), x.dtype)] };
});

// ---- diag_v2 / diag_v2_grad -----------------------------------------------------------------
/** Where the offset diagonal starts: [row, col]. */
const diagStart = (offset: number): [number, number] => (offset >= 0 ? [0, offset] : [-offset, 0]);

registerKernel('diag_v2', 'js', (ins: Slots<Tensor>, attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  const [r0, c0] = diagStart(attrs.offset);
  const rx = raw(x);
  const w = rx.w;
  if (x.dims.length === 1) {
    const m = o.dims[0];
    const s = allocStorage(x.dtype, m * m);
    const pad = Math.fround(attrs.padding_value);
    if (pad !== 0) fillStorage(s, x.dtype, pad);
    const ro = rawOf(s, x.dtype);
    for (let i = 0; i < x.dims[0]; i++) {
      const p = ((i + r0) * m + i + c0) * w;
      for (let t = 0; t < w; t++) ro.a[p + t] = rx.a[i * w + t];
    }
    return { Out: [new Tensor(s, [m, m], x.dtype)] };
  }
  const cols = x.dims[1];
  const len = o.dims[0];
  const [out, ro] = rawZeros([len], x.dtype);
  for (let i = 0; i < len; i++) {
    const p = ((i + r0) * cols + i + c0) * w;
    for (let t = 0; t < w; t++) ro.a[i * w + t] = rx.a[p + t];
  }
  return { Out: [out] };
});

registerKernel('diag_v2_grad', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  const [r0, c0] = diagStart(attrs.offset);
  const rg = raw(g);
  const w = rg.w;
  const [dx, rd] = rawZeros(x.dims.slice(), g.dtype);
  if (x.dims.length === 1) {
    const m = g.dims[1];
    for (let i = 0; i < x.dims[0]; i++) {
      const p = ((i + r0) * m + i + c0) * w;
      for (let t = 0; t < w; t++) rd.a[i * w + t] = rg.a[p + t];
    }
  } else {
    const cols = x.dims[1];
    for (let i = 0; i < g.dims[0]; i++) {
      const p = ((i + r0) * cols + i + c0) * w;
      for (let t = 0; t < w; t++) rd.a[p + t] = rg.a[i * w + t];
    }
  }
  return { 'X@GRAD': [dx] };
});

// ---- trace / trace_grad ---------------------------------------------------------------------
interface TracePlan {
  /** Offset of the first diagonal element of each output element, in elements. */
  bases: Float64Array;
  start: number;
  len: number;
  step: number;
}
function tracePlan(dims: readonly number[], attrs: Record<string, any>, op: string): TracePlan {
  const [a1, a2] = traceAxes(dims, attrs, op);
  const st = stridesOf(dims);
  const offset = attrs.offset as number;
  const d1 = dims[a1];
  const d2 = dims[a2];
  const len = Math.max(0, offset >= 0 ? Math.min(d1, d2 - offset) : Math.min(d1 + offset, d2));
  const start = offset >= 0 ? offset * st[a2] : -offset * st[a1];
  const rest: number[] = [];
  for (let i = 0; i < dims.length; i++) if (i !== a1 && i !== a2) rest.push(i);
  const restDims = rest.map((i) => dims[i]);
  const bases = offsets(restDims, rest.map((i) => st[i]));
  return { bases, start, len, step: st[a1] + st[a2] };
}

registerKernel('trace', 'js', (ins: Slots<Tensor>, attrs, outs) => {
  const x = ins.Input[0];
  const o = outs.Out[0];
  const { bases, start, len, step } = tracePlan(x.dims, attrs, 'trace');
  const v = nums(x);
  const w = isComplex(x.dtype) ? 2 : 1;
  const res = outNumbers(o.dtype, o.dims);
  for (let e = 0; e < bases.length; e++)
    for (let t = 0; t < w; t++) {
      let acc = 0;
      for (let k = 0, p = bases[e] + start; k < len; k++, p += step) acc += v[p * w + t];
      res[e * w + t] = acc;
    }
  return { Out: [tensorOf(res, o.dims.slice(), o.dtype)] };
});

registerKernel('trace_grad', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.Input[0];
  const g = ins['Out@GRAD'][0];
  const { bases, start, len, step } = tracePlan(x.dims, attrs, 'trace_grad');
  const gv = nums(g);
  const w = isComplex(g.dtype) ? 2 : 1;
  const res = outNumbers(g.dtype, x.dims);
  if (numel(g.dims) !== bases.length)
    fail(apiName('trace_grad'), `Out@GRAD has shape ${showShape(g.dims)} but the trace of Input (shape ${showShape(x.dims)}) has ${bases.length} elements`);
  for (let e = 0; e < bases.length; e++)
    for (let t = 0; t < w; t++) {
      const val = gv[e * w + t];
      for (let k = 0, p = bases[e] + start; k < len; k++, p += step) res[p * w + t] = val;
    }
  return { 'Input@GRAD': [tensorOf(res, x.dims.slice(), g.dtype)] };
});

// ---- is_empty -------------------------------------------------------------------------------
registerKernel('is_empty', 'js', (ins: Slots<Tensor>) => ({
  Out: [new Tensor(Uint8Array.of(numel(ins.X[0].dims) === 0 ? 1 : 0), [1], 'bool')],
}));

