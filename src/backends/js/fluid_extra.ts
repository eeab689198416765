// Portable kernels of the operators only fluid.layers appends (see src/ops/fluid_extra.ts).
// Where an operator is another one under a fluid name (top_k = top_k_v2 on the last axis,
// reverse = flip, fill_zeros_like = fill_any_like), the kernel runs that operator's kernel.
import { apiName } from '../../core/args.js';
import { runOp, withDefaults } from '../../core/dispatch.js';
import { allocStorage, fillStorage, isComplex, toNumbers, type DType, type Storage } from '../../core/dtype.js';
import { fail, InvalidArgumentError, OutOfRangeError } from '../../core/errors.js';
import { Generator, defaultGenerator } from '../../core/random.js';
import { getOp, registerKernel, type Attrs, type Kernel, type Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { affineAxis, cropOffsets, expandTimes } from '../../ops/fluid_extra.js';
import { tileStorage } from './expand.js';
import { nums, outNumbers, tensorOf } from './loops.js';
import { boxCopy, raw, rawOf, rawZeros } from './slice.js';
import { viewOf } from './reshape.js';

const F32_64 = ['float32', 'float64'] as const;
const reg = (type: string, k: Kernel, dtypes?: readonly string[]): void => registerKernel(type, 'js', k, dtypes as never);
const err = (op: string, msg: string, cls = InvalidArgumentError): never => fail(apiName(op), `${msg} (operator ${op})`, cls);

/** Runs operator `type`'s kernel on the given inputs (attribute defaults filled in). */
function delegate(type: string, ins: Slots<Tensor>, attrs: Attrs): Slots<Tensor> {
  const def = getOp(type);
  return runOp(def, ins, withDefaults(def, { ...attrs }));
}
const intsOf = (t: Tensor): number[] => Array.from(toNumbers(t.data, t.dtype), Number);

// ---- mean ---------------------------------------------------------------------------------------
reg('mean', (ins, _a, outs) => {
  const x = ins.X[0];
  const v = nums(x);
  const n = v.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i];
  const o = outNumbers(outs.Out[0].dtype, [1]);
  o[0] = n === 0 ? NaN : s / n;
  return { Out: [tensorOf(o, [1], x.dtype)] };
});

// ---- top_k / reverse / fill_zeros_like: other operators' kernels ---------------------------------
reg('top_k', (ins, attrs) => {
  const x = ins.X[0];
  const k = ins.K?.[0] ? intsOf(ins.K[0])[0] : (attrs.k as number);
  const last = x.dims[x.dims.length - 1];
  if (k < 1 || k > last) err('top_k', `k (${k}) must be in [1, ${last}] (the size of X's last dimension)`, OutOfRangeError);
  return delegate('top_k_v2', { X: [x] }, { k, axis: -1, largest: true, sorted: true });
});
reg('reverse', (ins, attrs) => delegate('flip', { X: ins.X }, { axis: attrs.axis }));
reg('fill_zeros_like', (ins) => delegate('fill_any_like', { X: ins.X }, { value: 0, dtype: -1 }));
for (const t of ['get_tensor_from_selected_rows', 'merge_selected_rows'])
  reg(t, (ins) => {
    const x = ins.X[0];
    return { Out: [new Tensor(x.data.slice(), x.dims.slice(), x.dtype)] };
  });

// ---- expand / expand_as and their grads --------------------------------------------------------
function tile(x: Tensor, reps: number[]): Tensor {
  const dims = x.dims.map((d, i) => d * reps[i]);
  const dst = allocStorage(x.dtype, numel(dims));
  tileStorage(x.data, x.dims, reps, isComplex(x.dtype) ? 2 : 1, dst);
  return new Tensor(dst, dims, x.dtype);
}
reg('expand', (ins, attrs) => {
  const x = ins.X[0];
  let times: number[];
  if (ins.ExpandTimes?.[0]) times = intsOf(ins.ExpandTimes[0]);
  else if (ins.expand_times_tensor?.length) times = ins.expand_times_tensor.map((t) => intsOf(t)[0]);
  else times = expandTimes({}, attrs, 'expand');
  if (times.length !== x.dims.length || times.some((t) => !(t > 0)))
    err('expand', `expand_times [${times}] must hold one positive count per dimension of X (shape [${x.dims}])`);
  return { Out: [tile(x, times)] };
});
reg('expand_as', (ins) => {
  const x = ins.X[0];
  const t = ins.target_tensor[0];
  const reps = x.dims.map((d, i) => (d === 0 ? 1 : t.dims[i] / d));
  if (reps.some((r) => !Number.isInteger(r))) err('expand_as', `target_tensor's shape [${t.dims}] must be a multiple of X's [${x.dims}]`);
  return { Out: [tile(x, reps)] };
});
/** X@GRAD: Out@GRAD summed over the repeats of each dim (repeats = dOut dim / X dim). */
const tileGrad: Kernel = (ins) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  const r = x.dims.length;
  const gv = nums(g);
  const res = new Float64Array(numel(x.dims));
  const xs = x.dims;
  // walk dOut, mapping each index to X's index modulo the X dims
  const gd = g.dims;
  const idx = new Int32Array(r);
  const xStride = new Array<number>(r).fill(1);
  for (let i = r - 2; i >= 0; i--) xStride[i] = xStride[i + 1] * xs[i + 1];
  const n = gv.length;
  for (let p = 0; p < n; p++) {
    let q = 0;
    for (let d = 0; d < r; d++) q += (idx[d] % xs[d]) * xStride[d];
    res[q] += gv[p];
    for (let d = r - 1; d >= 0; d--) {
      if (++idx[d] < gd[d]) break;
      idx[d] = 0;
    }
  }
  const o = outNumbers(g.dtype, x.dims);
  o.set(res);
  return { 'X@GRAD': [tensorOf(o, x.dims.slice(), g.dtype)] };
};
reg('expand_grad', tileGrad);
reg('expand_as_grad', tileGrad);

// ---- flatten2 ----------------------------------------------------------------------------------
reg('flatten2', (ins, _a, outs) => {
  const x = ins.X[0];
  return { Out: [viewOf(x, outs.Out[0].dims.slice())], XShape: [new Tensor(allocStorage(x.dtype, 0), outs.XShape[0].dims.slice(), x.dtype)] };
});

// ---- isinf / isnan / isfinite ----------------------------------------------------------------------
function overflow(pred: (v: number) => boolean, all: boolean): Kernel {
  return (ins) => {
    const v = nums(ins.X[0]);
    let r = all;
    for (let i = 0; i < v.length; i++)
      if (pred(v[i]) !== all) {
        r = !all;
        break;
      }
    return { Out: [new Tensor(Uint8Array.of(r ? 1 : 0), [1], 'bool')] };
  };
}
reg('isinf', overflow((v) => v === Infinity || v === -Infinity, false));
reg('isnan', overflow((v) => v !== v, false));
reg('isfinite', overflow((v) => Number.isFinite(v), true));

// ---- diag ---------------------------------------------------------------------------------------------
reg('diag', (ins) => delegate('diag_v2', { X: ins.Diagonal }, { offset: 0, padding_value: 0 }));

// ---- unique_with_counts ---------------------------------------------------------------------------------
reg('unique_with_counts', (ins, _a, outs) => {
  const x = ins.X[0];
  const d = outs.Index[0].dtype;
  const v = nums(x);
  const n = v.length;
  const seen = new Map<number, number>();
  const index = new Float64Array(n);
  const firsts: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = v[i] !== v[i] ? NaN : v[i];
    let u = seen.get(key);
    if (u === undefined) {
      u = firsts.length;
      seen.set(key, u);
      firsts.push(i);
      counts.push(0);
    }
    counts[u]++;
    index[i] = u;
  }
  const rx = raw(x);
  const [out, ro] = rawZeros([firsts.length], x.dtype);
  for (let u = 0; u < firsts.length; u++) for (let t = 0; t < rx.w; t++) ro.a[u * rx.w + t] = rx.a[firsts[u] * rx.w + t];
  return { Out: [out], Index: [tensorOf(index, [n], d)], Count: [tensorOf(Float64Array.from(counts), [counts.length], d)] };
});

// ---- norm ----------------------------------------------------------------------------------------------
reg(
  'norm',
  (ins, attrs, outs) => {
    const x = ins.X[0];
    const r = x.dims.length;
    const a = (attrs.axis as number) < 0 ? (attrs.axis as number) + r : (attrs.axis as number);
    const pre = numel(x.dims.slice(0, a));
    const n = x.dims[a];
    const post = numel(x.dims.slice(a + 1));
    const v = nums(x);
    const eps = attrs.epsilon as number;
    const y = outNumbers(x.dtype, x.dims);
    const nm = outNumbers(x.dtype, outs.Norm[0].dims);
    for (let i = 0; i < pre; i++)
      for (let k = 0; k < post; k++) {
        let s = 0;
        for (let j = 0; j < n; j++) {
          const e = v[(i * n + j) * post + k];
          s += e * e;
        }
        const norm = Math.sqrt(s + eps);
        nm[i * post + k] = norm;
        for (let j = 0; j < n; j++) {
          const p = (i * n + j) * post + k;
          y[p] = v[p] / norm;
        }
      }
    return { Out: [tensorOf(y, x.dims.slice(), x.dtype)], Norm: [tensorOf(nm, outs.Norm[0].dims.slice(), x.dtype)] };
  },
  F32_64,
);

// ---- cross_entropy (v1) ----------------------------------------------------------------------------------
const tolerableLog = (p: number): number => {
  const l = Math.log(p);
  return l === -Infinity ? -1e20 : l === Infinity ? 1e20 : l;
};
function ceCheckLabel(lbl: number, ignore: number, classes: number): void {
  if (lbl !== ignore && !(lbl >= 0 && lbl < classes))
    err('cross_entropy', `label value ${lbl} is out of range: labels must be in [0, ${classes}) or equal ignore_index (${ignore})`, OutOfRangeError);
}
reg('cross_entropy', (ins, attrs, outs) => {
  const x = ins.X[0];
  const D = x.dims[x.dims.length - 1];
  const rows = D === 0 ? 0 : numel(x.dims) / D;
  const xv = nums(x);
  const lv = nums(ins.Label[0]);
  const y = outNumbers(x.dtype, outs.Y[0].dims);
  const ignore = attrs.ignore_index as number;
  if (attrs.soft_label) {
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += lv[i * D + j] * tolerableLog(xv[i * D + j]);
      y[i] = -s;
    }
  } else {
    for (let i = 0; i < rows; i++) {
      const l = lv[i];
      ceCheckLabel(l, ignore, D);
      y[i] = l === ignore ? 0 : -tolerableLog(xv[i * D + l]);
    }
  }
  return { Y: [tensorOf(y, outs.Y[0].dims.slice(), x.dtype)] };
});
reg('cross_entropy_grad', (ins, attrs) => {
  const x = ins.X[0];
  const D = x.dims[x.dims.length - 1];
  const rows = D === 0 ? 0 : numel(x.dims) / D;
  const xv = nums(x);
  const lv = nums(ins.Label[0]);
  const dy = nums(ins['Y@GRAD'][0]);
  const dx = outNumbers(x.dtype, x.dims);
  const ignore = attrs.ignore_index as number;
  if (attrs.soft_label) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < D; j++) dx[i * D + j] = (-lv[i * D + j] * dy[i]) / xv[i * D + j];
  } else {
    for (let i = 0; i < rows; i++) {
      const l = lv[i];
      ceCheckLabel(l, ignore, D);
      if (l !== ignore) dx[i * D + l] = -dy[i] / xv[i * D + l];
    }
  }
  return { 'X@GRAD': [tensorOf(dx, x.dims.slice(), x.dtype)] };
});

// ---- space_to_depth ----------------------------------------------------------------------------------------
/** Moves elements between X [B, C, H, W] and Out (darknet reorg order); forward: Out[o(i)] = X[i]. */
function s2d(src: Storage, dtype: DType, B: number, C: number, H: number, W: number, bs: number, forward: boolean): Storage {
  const r = rawOf(src, dtype);
  const dst = allocStorage(dtype, B * C * H * W);
  const ro = rawOf(dst, dtype);
  const w = r.w;
  const outC = C / (bs * bs);
  let i = 0;
  for (let b = 0; b < B; b++)
    for (let k = 0; k < C; k++) {
      const c2 = k % outC;
      const off = Math.floor(k / outC);
      for (let j = 0; j < H; j++) {
        const h2 = j * bs + Math.floor(off / bs);
        for (let ii = 0; ii < W; ii++, i++) {
          const w2 = ii * bs + (off % bs);
          const o = w2 + W * bs * (h2 + H * bs * (c2 + outC * b));
          if (forward) for (let t = 0; t < w; t++) ro.a[o * w + t] = r.a[i * w + t];
          else for (let t = 0; t < w; t++) ro.a[i * w + t] = r.a[o * w + t];
        }
      }
    }
  return dst;
}
reg('space_to_depth', (ins, attrs, outs) => {
  const x = ins.X[0];
  const [B, C, H, W] = x.dims;
  return { Out: [new Tensor(s2d(x.data, x.dtype, B, C, H, W, attrs.blocksize as number, true), outs.Out[0].dims.slice(), x.dtype)] };
});
reg('space_to_depth_grad', (ins, attrs) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  const [B, C, H, W] = x.dims;
  return { 'X@GRAD': [new Tensor(s2d(g.data, g.dtype, B, C, H, W, attrs.blocksize as number, false), x.dims.slice(), g.dtype)] };
});

// ---- shuffle_channel -------------------------------------------------------------------------------------------
reg('shuffle_channel', (ins, attrs) => {
  const x = ins.X[0];
  const [N, C, H, W] = x.dims;
  const g = attrs.group as number;
  const cols = C / g;
  const sp = H * W;
  const rx = raw(x);
  const [out, ro] = rawZeros(x.dims.slice(), x.dtype);
  const blk = sp * rx.w;
  for (let n = 0; n < N; n++)
    for (let i = 0; i < g; i++)
      for (let j = 0; j < cols; j++) {
        const si = (n * C + i * cols + j) * blk;
        const di = (n * C + j * g + i) * blk;
        for (let t = 0; t < blk; t++) ro.a[di + t] = rx.a[si + t];
      }
  return { Out: [out] };
});

// ---- affine_channel ----------------------------------------------------------------------------------------------
reg(
  'affine_channel',
  (ins, attrs) => {
    const x = ins.X[0];
    const r = x.dims.length;
    const ax = affineAxis(r, attrs.data_layout as string);
    const C = x.dims[ax];
    const inner = numel(x.dims.slice(ax + 1));
    const v = nums(x);
    const s = nums(ins.Scale[0]);
    const b = nums(ins.Bias[0]);
    const o = outNumbers(x.dtype, x.dims);
    const n = v.length;
    for (let p = 0; p < n; p++) {
      const ch = Math.floor(p / inner) % C;
      o[p] = v[p] * s[ch] + b[ch];
    }
    return { Out: [tensorOf(o, x.dims.slice(), x.dtype)] };
  },
  F32_64,
);

// ---- pad_constant_like ---------------------------------------------------------------------------------------------
reg('pad_constant_like', (ins, attrs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const s = allocStorage(y.dtype, numel(x.dims));
  const pv = attrs.pad_value as number;
  if (pv !== 0) fillStorage(s, y.dtype, y.dtype === 'float32' ? Math.fround(pv) : pv);
  const ro = rawOf(s, y.dtype);
  const ry = raw(y);
  boxCopy(ro.a, x.dims, y.dims.map(() => 0), y.dims.map(() => 1), y.dims, ry.w, ry.a, false);
  return { Out: [new Tensor(s, x.dims.slice(), y.dtype)] };
});

// ---- crop / crop_tensor -------------------------------------------------------------------------------------------
function runtimeOffsets(ins: Slots<Tensor>, attrs: Attrs, r: number, op: string): number[] {
  let o: number[] | undefined;
  if (ins.OffsetsTensor?.length) o = ins.OffsetsTensor.map((t) => intsOf(t)[0]);
  else if (ins.Offsets?.[0]) o = intsOf(ins.Offsets[0]);
  else o = cropOffsets({}, attrs, r, op);
  if (!o || o.length !== r) return err(op, `offsets must hold ${r} values (the rank of X), but got [${o ?? []}]`);
  return o;
}
function cropKernel(op: string): Kernel {
  return (ins, attrs, outs) => {
    const x = ins.X[0];
    const r = x.dims.length;
    const off = runtimeOffsets(ins, attrs, r, op);
    let shape: number[];
    if (op === 'crop') shape = ins.Y?.[0] ? ins.Y[0].dims.slice() : (attrs.shape as number[]).slice();
    else if (ins.ShapeTensor?.length) shape = ins.ShapeTensor.map((t) => intsOf(t)[0]);
    else if (ins.Shape?.[0]) shape = intsOf(ins.Shape[0]);
    else shape = (attrs.shape as number[]).length ? (attrs.shape as number[]).slice() : outs.Out[0].dims.slice();
    shape = shape.map((s, i) => (s === -1 ? x.dims[i] - off[i] : s));
    shape.forEach((s, i) => {
      if (off[i] < 0 || s < 0 || off[i] + s > x.dims[i])
        err(op, `offsets[${i}] (${off[i]}) + shape[${i}] (${s}) must be within X's dimension ${i} (${x.dims[i]})`, OutOfRangeError);
    });
    const rx = raw(x);
    const [out, ro] = rawZeros(shape, x.dtype);
    boxCopy(rx.a, x.dims, off, off.map(() => 1), shape, rx.w, ro.a, true);
    return { Out: [out] };
  };
}
function cropGradKernel(op: string): Kernel {
  return (ins, attrs) => {
    const x = ins.X[0];
    const g = ins['Out@GRAD'][0];
    const off = runtimeOffsets(ins, attrs, x.dims.length, op);
    const rg = raw(g);
    const [dx, rd] = rawZeros(x.dims.slice(), g.dtype);
    boxCopy(rd.a, x.dims, off, off.map(() => 1), g.dims, rg.w, rg.a, false);
    return { 'X@GRAD': [dx] };
  };
}
reg('crop', cropKernel('crop'));
reg('crop_tensor', cropKernel('crop_tensor'));
reg('crop_grad', cropGradKernel('crop_grad'));
reg('crop_tensor_grad', cropGradKernel('crop_tensor_grad'));

// ---- random_crop ---------------------------------------------------------------------------------------------------
reg('random_crop', (ins, attrs, outs) => {
  const x = ins.X[0];
  const seedT = ins.Seed[0];
  const seed = seedT.data.length ? intsOf(seedT)[0] : (attrs.startup_seed as number);
  const gen = new Generator(seed >>> 0);
  const dims = outs.Out[0].dims.slice();
  const shape = attrs.shape as number[];
  const lead = x.dims.length - shape.length;
  const batch = numel(x.dims.slice(0, lead));
  const inIns = numel(x.dims.slice(lead));
  const outIns = numel(shape);
  const rx = raw(x);
  const [out, ro] = rawZeros(dims, x.dtype);
  const w = rx.w;
  const view = x.dims.slice(lead);
  const tmp = rawZeros(shape.slice(), x.dtype)[1];
  for (let b = 0; b < batch; b++) {
    const off = shape.map((s, i) => gen.int(view[i] - s + 1));
    const sub = rx.a.subarray(b * inIns * w, (b + 1) * inIns * w);
    boxCopy(sub, view, off, off.map(() => 1), shape, w, tmp.a, true);
    ro.a.set(tmp.a.subarray(0, outIns * w), b * outIns * w);
  }
  const next = BigInt64Array.of(BigInt(gen.nextU32()));
  return { Out: [out], SeedOut: [new Tensor(next, [1], 'int64')] };
});

// ---- similarity_focus -------------------------------------------------------------------------------------------------
reg(
  'similarity_focus',
  (ins, attrs) => {
    const x = ins.X[0];
    const [B, d1, d2, d3] = x.dims;
    const dim = [B, d1, d2, d3];
    const axis = attrs.axis as number;
    const v = nums(x);
    const o = outNumbers(x.dtype, x.dims);
    const at = (i: number, a: number, b: number, c2: number): number => ((i * d1 + a) * d2 + b) * d3 + c2;
    // the two other axes, in order
    const [pa, qa] = axis === 1 ? [2, 3] : axis === 2 ? [1, 3] : [1, 2];
    const P = dim[pa];
    const Q = dim[qa];
    for (const index of attrs.indexes as number[])
      if (index < 0 || index >= dim[axis]) err('similarity_focus', `each value of indexes must be less than X.dim[axis] (${dim[axis]}), but got ${index}`);
    const pos = (i: number, fixed: number, p: number, q: number): number => {
      const c3 = [0, 0, 0, 0];
      c3[axis] = fixed;
      c3[pa] = p;
      c3[qa] = q;
      return at(i, c3[1], c3[2], c3[3]);
    };
    const order = new Int32Array(P * Q);
    const vals = new Float64Array(P * Q);
    for (let i = 0; i < B; i++)
      for (const index of attrs.indexes as number[]) {
        for (let p = 0; p < P; p++) for (let q = 0; q < Q; q++) vals[p * Q + q] = v[pos(i, index, p, q)];
        const idx = Array.from({ length: P * Q }, (_, k) => k).sort((a, b) => vals[b] - vals[a] || a - b);
        order.set(idx);
        const tagP = new Uint8Array(P);
        const tagQ = new Uint8Array(Q);
        let tags = 0;
        for (const k of order) {
          const p = Math.floor(k / Q);
          const q = k % Q;
          if (tagP[p] || tagQ[q]) continue;
          tags++;
          tagP[p] = 1;
          tagQ[q] = 1;
          for (let f = 0; f < dim[axis]; f++) o[pos(i, f, p, q)] = 1;
          if (tags === Math.min(P, Q)) break;
        }
      }
    return { Out: [tensorOf(o, x.dims.slice(), x.dtype)] };
  },
  F32_64,
);

// ---- hash (XXH64 of each row's bytes, seeded with the hash number) ----------------------------------------------------
const M64 = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;
const rotl = (v: bigint, r: bigint): bigint => ((v << r) | (v >> (64n - r))) & M64;
const round = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * P2) & M64, 31n) * P1) & M64;
const mergeRound = (acc: bigint, v: bigint): bigint => (((acc ^ round(0n, v)) * P1 + P4) & M64);

/** XXH64 of `bytes` with `seed`. */
export function xxh64(bytes: Uint8Array, seed: bigint): bigint {
  const len = bytes.length;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & M64;
    let v2 = (seed + P2) & M64;
    let v3 = seed & M64;
    let v4 = (seed - P1) & M64;
    for (; p + 32 <= len; p += 32) {
      v1 = round(v1, dv.getBigUint64(p, true));
      v2 = round(v2, dv.getBigUint64(p + 8, true));
      v3 = round(v3, dv.getBigUint64(p + 16, true));
      v4 = round(v4, dv.getBigUint64(p + 24, true));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M64;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else h = (seed + P5) & M64;
  h = (h + BigInt(len)) & M64;
  for (; p + 8 <= len; p += 8) h = ((rotl(h ^ round(0n, dv.getBigUint64(p, true)), 27n) * P1) + P4) & M64;
  if (p + 4 <= len) {
    h = ((rotl(h ^ ((BigInt(dv.getUint32(p, true)) * P1) & M64), 23n) * P2) + P3) & M64;
    p += 4;
  }
  for (; p < len; p++) h = (rotl(h ^ ((BigInt(bytes[p]) * P5) & M64), 11n) * P1) & M64;
  h ^= h >> 33n;
  h = (h * P2) & M64;
  h ^= h >> 29n;
  h = (h * P3) & M64;
  h ^= h >> 32n;
  return h;
}

reg('hash', (ins, attrs) => {
  const x = ins.X[0];
  const [N, L] = x.dims;
  const k = attrs.num_hash as number;
  const mod = BigInt(attrs.mod_by as number);
  const bytes = new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);
  const width = x.dtype === 'int64' ? 8 : 4;
  const res = new Float64Array(N * k);
  for (let i = 0; i < N; i++) {
    const row = bytes.subarray(i * L * width, (i + 1) * L * width);
    for (let j = 0; j < k; j++) res[i * k + j] = Number(xxh64(row, BigInt(j)) % mod);
  }
  return { Out: [tensorOf(res, [N, k, 1], x.dtype)] };
}, ['int32', 'int64']);

// ---- add_position_encoding ----------------------------------------------------------------------------------------------
reg(
  'add_position_encoding',
  (ins, attrs) => {
    const x = ins.X[0];
    const alpha = attrs.alpha as number;
    const beta = attrs.beta as number;
    const v = nums(x);
    const o = outNumbers(x.dtype, x.dims);
    const e = x.dims[x.dims.length - 1];
    const half = e / 2;
    // sequences: [batch, len] rows of a 3-D input, or the LoD's spans of a 2-D one
    let seqs: [number, number][];
    if (x.dims.length === 3) seqs = Array.from({ length: x.dims[0] }, (_, b) => [b * x.dims[1], x.dims[1]] as [number, number]);
    else {
      const lod = x.lod[0];
      if (!lod) return err('add_position_encoding', 'a 2-D input X needs one level of LoD (sequence offsets)');
      seqs = [];
      for (let i = 0; i + 1 < lod.length; i++) seqs.push([lod[i], lod[i + 1] - lod[i]]);
    }
    for (const [start, len] of seqs)
      for (let j = 0; j < len; j++) {
        const base = (start + j) * e;
        for (let k = 0; k < half; k++) {
          const val = half > 1 ? j / Math.pow(10000, k / (half - 1)) : j / 10000;
          o[base + k] = v[base + k] * alpha + Math.sin(val) * beta;
          o[base + half + k] = v[base + half + k] * alpha + Math.cos(val) * beta;
        }
      }
    const out = tensorOf(o, x.dims.slice(), x.dtype);
    out.lod = x.lod;
    return { Out: [out] };
  },
  F32_64,
);

// ---- cvm ----------------------------------------------------------------------------------------------------------------
reg(
  'cvm',
  (ins, attrs, outs) => {
    const x = ins.X[0];
    const [N, W] = x.dims;
    const use = !!attrs.use_cvm;
    const v = nums(x);
    const ow = use ? W : W - 2;
    const o = outNumbers(x.dtype, outs.Y[0].dims);
    for (let i = 0; i < N; i++) {
      if (use) {
        const a = Math.log(v[i * W] + 1);
        o[i * ow] = a;
        o[i * ow + 1] = Math.log(v[i * W + 1] + 1) - a;
        for (let j = 2; j < W; j++) o[i * ow + j] = v[i * W + j];
      } else for (let j = 2; j < W; j++) o[i * ow + j - 2] = v[i * W + j];
    }
    return { Y: [tensorOf(o, [N, ow], x.dtype)] };
  },
  F32_64,
);
reg(
  'cvm_grad',
  (ins, attrs) => {
    const x = ins.X[0];
    const [N, W] = x.dims;
    const use = !!attrs.use_cvm;
    const cv = nums(ins.CVM[0]);
    const dy = nums(ins['Y@GRAD'][0]);
    const ow = use ? W : W - 2;
    const off = use ? 0 : 2;
    const dx = outNumbers(x.dtype, x.dims);
    // rows map to CVM rows one to one, or per sequence with LoD
    const lod = x.lod[0];
    const cvmRow = (i: number): number => {
      if (!lod) return i;
      let s = 0;
      while (s + 1 < lod.length && lod[s + 1] <= i) s++;
      return s;
    };
    for (let i = 0; i < N; i++) {
      for (let j = off; j < W; j++) dx[i * W + j] = dy[i * ow + j - off];
      const r = cvmRow(i);
      dx[i * W] = cv[r * 2];
      dx[i * W + 1] = cv[r * 2 + 1];
    }
    return { 'X@GRAD': [tensorOf(dx, x.dims.slice(), x.dtype)] };
  },
  F32_64,
);

// ---- fsp ------------------------------------------------------------------------------------------------------------------
reg(
  'fsp',
  (ins) => {
    const x = ins.X[0];
    const y = ins.Y[0];
    const [N, C1, H, W] = x.dims;
    const C2 = y.dims[1];
    const hw = H * W;
    const xv = nums(x);
    const yv = nums(y);
    const o = outNumbers(x.dtype, [N, C1, C2]);
    for (let n = 0; n < N; n++)
      for (let i = 0; i < C1; i++)
        for (let j = 0; j < C2; j++) {
          let s = 0;
          const xo = (n * C1 + i) * hw;
          const yo = (n * C2 + j) * hw;
          for (let k = 0; k < hw; k++) s += xv[xo + k] * yv[yo + k];
          o[(n * C1 + i) * C2 + j] = s / hw;
        }
    return { Out: [tensorOf(o, [N, C1, C2], x.dtype)] };
  },
  F32_64,
);

// ---- sampling_id --------------------------------------------------------------------------------------------------------------
reg(
  'sampling_id',
  (ins, attrs) => {
    const x = ins.X[0];
    const [B, W] = x.dims;
    const v = nums(x);
    const s = attrs.seed as number;
    const gen = s !== 0 ? new Generator(s >>> 0) : defaultGenerator;
    const lo = attrs.min as number;
    const span = (attrs.max as number) - lo;
    const ids = new BigInt64Array(B);
    for (let i = 0; i < B; i++) {
      let r = lo + span * gen.random();
      let idx = W - 1;
      for (let j = 0; j < W; j++) {
        r -= v[i * W + j];
        if (r < 0) {
          idx = j;
          break;
        }
      }
      ids[i] = BigInt(idx);
    }
    return { Out: [new Tensor(ids, [B], 'int64')] };
  },
  F32_64,
);

// ---- filter_by_instag ---------------------------------------------------------------------------------------------------------
reg('filter_by_instag', (ins, attrs) => {
  const op = 'filter_by_instag';
  const x = ins.Ins[0];
  const tag = ins.Ins_tag[0];
  const tagLod = tag.lod[0];
  if (!tagLod) return err(op, 'input Ins_tag needs one level of LoD (the tags of each instance)');
  const tags = nums(tag);
  const filter = new Set(Array.from(nums(ins.Filter_tag[0])));
  const E = x.dims[1];
  let xLod: number[];
  if (attrs.is_lod) {
    if (!x.lod[0]) return err(op, 'is_lod is true but input Ins has no LoD');
    xLod = x.lod[0];
  } else xLod = Array.from({ length: x.dims[0] + 1 }, (_, i) => i);
  const outLod = [0];
  const srcStart = new Map<number, number>();
  for (let i = 0; i + 1 < tagLod.length; i++)
    for (let j = tagLod[i]; j < tagLod[i + 1]; j++)
      if (filter.has(tags[j])) {
        srcStart.set(outLod[outLod.length - 1], xLod[i]);
        outLod.push(outLod[outLod.length - 1] + xLod[i + 1] - xLod[i]);
        break;
      }
  const groups = outLod.length - 1;
  const rx = raw(x);
  const w = rx.w;
  if (groups > 0) {
    const rows = outLod[groups];
    const [out, ro] = rawZeros([rows, E], x.dtype);
    const map = new BigInt64Array(groups * 3);
    for (let g = 0; g < groups; g++) {
      const from = srcStart.get(outLod[g])!;
      const cnt = outLod[g + 1] - outLod[g];
      map[g * 3] = BigInt(outLod[g]);
      map[g * 3 + 1] = BigInt(from);
      map[g * 3 + 2] = BigInt(cnt);
      ro.a.set(rx.a.subarray(from * E * w, (from + cnt) * E * w), outLod[g] * E * w);
    }
    const lw = new Float32Array(groups).fill(1);
    const mapLod = [Array.from({ length: groups + 1 }, (_, i) => i)];
    out.lod = [outLod];
    const mt = new Tensor(map, [groups, 3], 'int64');
    mt.lod = mapLod;
    const lwt = new Tensor(lw, [groups, 1], 'float32');
    lwt.lod = mapLod;
    return { Out: [out], LossWeight: [lwt], IndexMap: [mt] };
  }
  const s = allocStorage(x.dtype, E);
  fillStorage(s, x.dtype, attrs.out_val_if_empty as number);
  const out = new Tensor(s, [1, E], x.dtype);
  out.lod = [[0, 1]];
  const mt = new Tensor(BigInt64Array.of(0n, 1n, 1n), [1, 3], 'int64');
  mt.lod = [[0, 1]];
  const lwt = new Tensor(new Float32Array(1), [1, 1], 'float32');
  lwt.lod = [[0, 1]];
  return { Out: [out], LossWeight: [lwt], IndexMap: [mt] };
});
reg('filter_by_instag_grad', (ins) => {
  const x = ins.Ins[0];
  const g = ins['Out@GRAD'][0];
  const map = nums(ins.IndexMap[0]);
  const lw = nums(ins.LossWeight[0]);
  const E = g.dims[1];
  const rg = raw(g);
  const [dx, rd] = rawZeros([x.dims[0], E], g.dtype);
  const w = rg.w;
  if (lw.length !== 1 || lw[0] !== 0)
    for (let i = 0; i < ins.IndexMap[0].dims[0]; i++) {
      const src = map[i * 3];
      const dst = map[i * 3 + 1];
      const cnt = map[i * 3 + 2];
      rd.a.set(rg.a.subarray(src * E * w, (src + cnt) * E * w), dst * E * w);
    }
  dx.lod = x.lod;
  return { 'Ins@GRAD': [dx] };
});
