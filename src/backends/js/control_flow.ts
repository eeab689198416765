// Portable kernels of the tensor-array, LoD/array, recurrent-unit and beam-search operators of
// src/ops/control_flow.ts. Data movement copies raw storage numbers (every dtype exact); the
// recurrent units compute in float64 and store in the tensor's dtype. The sub-block operators
// (conditional_block, while, recurrent), write_to_array and select_input/select_output run in
// the Executor (src/static/control_flow_exec.ts).
import { apiName } from '../../core/args.js';
import { allocStorage, DType, fromNumbers, toNumbers } from '../../core/dtype.js';
import { fail, InvalidArgumentError, OutOfRangeError } from '../../core/errors.js';
import { getOp, registerKernel, Slots } from '../../core/registry.js';
import { runOp } from '../../core/dispatch.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { isArrayValue, offsetOf, TensorArray, UNIT_ACTS } from '../../ops/control_flow.js';
import { lodOf, rankTableOf } from '../../ops/sequence.js';
import { raw, Raw, rawZeros } from './slice.js';

type F = Float32Array | Float64Array;

function failK(op: string, msg: string, cls: typeof InvalidArgumentError = InvalidArgumentError): never {
  const api = apiName('');
  return fail(api || op, api ? `${msg} (operator ${op})` : msg, cls);
}
const rowW = (dims: readonly number[]): number => numel(dims.slice(1));
const withLod = <T extends Tensor>(t: T, lod: number[][]): T => {
  t.lod = lod;
  return t;
};
/** A new tensor object over the same data (values are never modified in place). */
function view(t: Tensor): Tensor {
  const v = new Tensor(t.data, t.dims.slice(), t.dtype);
  v.lod = lodOf(t).map((l) => l.slice());
  return v;
}

/** Copies `rows` rows of `w` elements (raw numbers). */
function copyRows(dst: Raw, to: number, src: Raw, from: number, rows: number, w: number): void {
  const k = w * src.w;
  const n = rows * k;
  if (n > 32) (dst.a as Float64Array).set((src.a as Float64Array).subarray(from * k, from * k + n), to * k);
  else for (let j = 0; j < n; j++) dst.a[to * k + j] = src.a[from * k + j];
}

/** Rows [start, end) of t as a new tensor. */
function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const w = rowW(t.dims);
  const [out, o] = rawZeros([end - start, ...t.dims.slice(1)], t.dtype);
  if (end > start) copyRows(o, 0, raw(t), start, end - start, w);
  return out;
}

/**
 * Paddle's GetSubLoDAndAbsoluteOffset: the lengths of levels `level`.. of the LoD under the
 * entries [start, end) of level `level`, and the rows they cover.
 */
function subLod(lod: readonly (readonly number[])[], start: number, end: number, level: number): [number[][], number, number] {
  const lens: number[][] = [];
  let s = start;
  let e = end;
  for (let l = level; l < lod.length; l++) {
    const lv = lod[l];
    const ls: number[] = [];
    for (let i = s; i < e; i++) ls.push(lv[i + 1] - lv[i]);
    lens.push(ls);
    s = lv[s];
    e = lv[e];
  }
  return [lens, s, e];
}
/** Paddle's AppendLoD: appends lengths (per level) to offsets. */
function appendLod(lod: number[][], lens: number[][]): void {
  while (lod.length < lens.length) lod.push([0]);
  lens.forEach((ls, l) => {
    const lv = lod[l];
    for (const n of ls) lv.push(lv[lv.length - 1] + n);
  });
}
/** A new tensor of x's rows [s, e) of each piece [lens, s, e] in turn, its LoD appended from their lengths. */
function gatherPieces(x: Tensor, pieces: [number[][], number, number][]): Tensor {
  const lod: number[][] = [];
  let height = 0;
  for (const [lens, s, e] of pieces) {
    appendLod(lod, lens);
    height += e - s;
  }
  const w = rowW(x.dims);
  const src = raw(x);
  const [o, or] = rawZeros([height, ...x.dims.slice(1)], x.dtype);
  let off = 0;
  for (const [, s, e] of pieces) {
    copyRows(or, off, src, s, e - s, w);
    off += e - s;
  }
  return withLod(o, lod);
}

// ---- arrays ----------------------------------------------------------------------------------

registerKernel('read_from_array', 'js', (ins) => {
  const x = ins.X[0];
  if (!isArrayValue(x)) return failK('read_from_array', `input X must be a tensor array, but got a ${x.constructor.name}`);
  const k = offsetOf(ins.I[0], 'read_from_array');
  const t = x.items[k];
  if (t) return { Out: [view(t)] };
  const w = ins.X_W?.[0];
  if (!w) return failK('read_from_array', `index ${k} is out of the array's range (it has ${x.items.length} element(s))`, OutOfRangeError);
  const z = new Tensor(allocStorage(w.dtype, w.size), w.dims.slice(), w.dtype);
  z.lod = lodOf(w).map((l) => l.slice());
  return { Out: [z] };
});

registerKernel('lod_array_length', 'js', (ins) => {
  const x = ins.X[0];
  if (!isArrayValue(x)) return failK('lod_array_length', 'input X must be a tensor array');
  return { Out: [new Tensor(BigInt64Array.of(BigInt(x.items.length)), [1], 'int64')] };
});

/** Concatenation (or stacking) of elements along `axis`, with their sizes there. */
registerKernel('tensor_array_to_tensor', 'js', (ins, attrs, outs) => {
  const x = ins.X[0] as TensorArray;
  const items = x.items as Tensor[];
  const out = outs.Out[0];
  const first = items[0];
  const stack = !!attrs.use_stack;
  const rank = first.dims.length;
  let axis = attrs.axis as number;
  if (axis < 0) axis += rank + (stack ? 1 : 0);
  const [res, r] = rawZeros(out.dims.slice(), first.dtype);
  const outer = numel(first.dims.slice(0, axis));
  const index = new Int32Array(items.length);
  let total = 0;
  const chunks = items.map((t, i) => {
    index[i] = stack ? 1 : t.dims[axis];
    return numel(t.dims.slice(axis));
  });
  const rowOut = chunks.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    const src = raw(items[i]);
    const inner = chunks[i];
    for (let o = 0; o < outer; o++) copySeg(r, o * rowOut + total, src, o * inner, inner);
    total += inner;
  }
  return { Out: [res], OutIndex: [new Tensor(index, [items.length], 'int32')] };
});

function copySeg(dst: Raw, to: number, src: Raw, from: number, n: number): void {
  const k = src.w;
  for (let j = 0; j < n * k; j++) dst.a[to * k + j] = src.a[from * k + j];
}

registerKernel('tensor_array_to_tensor_grad', 'js', (ins, attrs) => {
  const x = ins.X[0] as TensorArray;
  const d = ins['Out@GRAD'][0];
  const items = x.items as Tensor[];
  const stack = !!attrs.use_stack;
  const rank = items[0].dims.length;
  let axis = attrs.axis as number;
  if (axis < 0) axis += rank + (stack ? 1 : 0);
  const outer = numel(items[0].dims.slice(0, axis));
  const chunks = items.map((t) => numel(t.dims.slice(axis)));
  const rowOut = chunks.reduce((a, b) => a + b, 0);
  const src = raw(d);
  let total = 0;
  const grads = items.map((t, i) => {
    const [g, gr] = rawZeros(t.dims.slice(), d.dtype);
    for (let o = 0; o < outer; o++) copySeg(gr, o * chunks[i], src, o * rowOut + total, chunks[i]);
    total += chunks[i];
    return g;
  });
  return { 'X@GRAD': [new TensorArray(grads, d.dtype)] };
});

// ---- LoD tensor <-> array ---------------------------------------------------------------------

registerKernel('lod_tensor_to_array', 'js', (ins) => {
  const op = 'lod_tensor_to_array';
  const x = ins.X[0];
  const table = rankTableOf(ins.RankTable[0], op);
  const items = table.items();
  const level = table.coarse_lod.length;
  const lod = lodOf(x);
  if (level >= lod.length) failK(op, `the rank table's level (${level}) must be less than the LoD levels of X (${lod.length})`);
  const maxLen = items.length ? items[0].length : 0;
  const out: Tensor[] = [];
  for (let t = 0; t < maxLen; t++) {
    const pieces: [number[][], number, number][] = [];
    for (const it of items) {
      if (t >= it.length) break;
      const start = lod[level][it.index] + t;
      pieces.push(subLod(lod, start, start + 1, level + 1));
    }
    out.push(gatherPieces(x, pieces));
  }
  return { Out: [new TensorArray(out, x.dtype)] };
});

registerKernel('array_to_lod_tensor', 'js', (ins) => {
  const op = 'array_to_lod_tensor';
  const x = ins.X[0];
  if (!isArrayValue(x)) return failK(op, 'input X must be a tensor array');
  const table = rankTableOf(ins.RankTable[0], op);
  const items = table.items();
  const arr = x.items;
  const first = arr.find((t) => t);
  if (!first) return failK(op, 'the input tensor array is empty');
  const w = rowW(first.dims);
  let rows = 0;
  for (const t of arr) if (t) rows += t.dims[0];
  const [out, o] = rawZeros([rows, ...first.dims.slice(1)], first.dtype);
  const order = items.map((_, i) => i).sort((a, b) => items[a].index - items[b].index);
  const lod: number[][] = [];
  const cur = [0];
  let off = 0;
  for (const idx of order) {
    const len = items[idx].length;
    if (len > arr.length) failK(op, `a sequence of length ${len} needs ${len} array elements, but the array has ${arr.length}`);
    cur.push(cur[cur.length - 1] + len);
    for (let k = 0; k < len; k++) {
      const t = arr[k];
      if (!t) failK(op, `element ${k} of the input tensor array was never written`);
      const [lens, s, e] = subLod(lodOf(t), idx, idx + 1, 0);
      appendLod(lod, lens);
      const [ss, ee] = lodOf(t).length ? [s, e] : [idx, idx + 1];
      if (ee - ss > 0) copyRows(o, off, raw(t), ss, ee - ss, w);
      off += ee - ss;
    }
  }
  return { Out: [withLod(out, [...table.coarse_lod.map((l) => l.slice()), cur, ...lod])] };
});

/** Rows of a memory kept at step I: the sequences still running (shrink_rnn_memory). */
function shrinkRows(x: Tensor, k: number, rankTable: Tensor): [number, number[][]] {
  const items = rankTableOf(rankTable, 'shrink_rnn_memory').items();
  let n = 0;
  while (n < items.length && items[n].length > k) n++;
  const lod = lodOf(x);
  if (lod.length && lod[0].length > n) {
    const [lens, , e] = subLod(lod, 0, n, 0);
    const out: number[][] = [];
    appendLod(out, lens);
    return [e, out];
  }
  return [n, []];
}

registerKernel('shrink_rnn_memory', 'js', (ins) => {
  const x = ins.X[0];
  const k = offsetOf(ins.I[0], 'shrink_rnn_memory');
  const [height, lod] = shrinkRows(x, k, ins.RankTable[0]);
  return { Out: [withLod(sliceRows(x, 0, Math.min(height, x.dims[0])), lod)] };
});

registerKernel('shrink_rnn_memory_grad', 'js', (ins) => {
  const x = ins.X[0];
  const d = ins['Out@GRAD']?.[0];
  const [g, gr] = rawZeros(x.dims.slice(), d?.dtype ?? x.dtype);
  if (d && d.dims[0] > 0) copyRows(gr, 0, raw(d), 0, Math.min(d.dims[0], x.dims[0]), rowW(x.dims));
  return { 'X@GRAD': [withLod(g, lodOf(x).map((l) => l.slice()))] };
});

registerKernel('max_sequence_len', 'js', (ins) => {
  const items = rankTableOf(ins.RankTable[0], 'max_sequence_len').items();
  return { Out: [new Tensor(BigInt64Array.of(BigInt(items.length ? items[0].length : 0)), [1], 'int64')] };
});

// ---- split / merge by mask ---------------------------------------------------------------------

function maskValues(m: Tensor): Uint8Array {
  return m.data as Uint8Array;
}

registerKernel('split_lod_tensor', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const mask = maskValues(ins.Mask[0]);
  const level = attrs.level as number;
  const lod = lodOf(x);
  const parts: Tensor[] = [];
  for (const want of [1, 0]) {
    const pieces: [number[][], number, number][] = [];
    for (let i = 0; i < mask.length; i++) {
      if ((mask[i] ? 1 : 0) !== want) continue;
      pieces.push(level < lod.length ? subLod(lod, i, i + 1, level) : [[], i, i + 1]);
    }
    parts.push(gatherPieces(x, pieces));
  }
  return { OutTrue: [parts[0]], OutFalse: [parts[1]] };
});

registerKernel('merge_lod_tensor', 'js', (ins, attrs) => {
  const op = 'merge_lod_tensor';
  const x = ins.X[0];
  const mask = maskValues(ins.Mask[0]);
  const level = attrs.level as number;
  const tIn = ins.InTrue[0];
  const fIn = ins.InFalse[0];
  if (!tIn.size && !fIn.size) failK(op, 'InTrue and InFalse are both empty');
  const ref = tIn.size ? tIn : fIn;
  const rows = tIn.dims[0] + fIn.dims[0];
  const w = rowW(ref.dims);
  const [out, o] = rawZeros([rows, ...ref.dims.slice(1)], ref.dtype);
  const outLod: number[][] = [];
  let off = 0;
  let ti = 0;
  let fi = 0;
  for (let i = 0; i < mask.length; i++) {
    const inp = mask[i] ? tIn : fIn;
    const idx = mask[i] ? ti++ : fi++;
    const l = lodOf(inp);
    const [lens, s, e] = l.length ? subLod(l, idx, idx + 1, 0) : [[], idx, idx + 1];
    appendLod(outLod, lens);
    if (e > inp.dims[0]) failK(op, `the ${mask[i] ? 'true' : 'false'} branch has too few rows for the mask`, OutOfRangeError);
    if (e > s) copyRows(o, off, raw(inp), s, e - s, w);
    off += e - s;
  }
  const xl = lodOf(x);
  return { Out: [withLod(out, [...xl.slice(0, level).map((l) => l.slice()), ...outLod])] };
});

registerKernel('rnn_memory_helper', 'js', (ins) => ({ Out: [view(ins.X[0])] }));

registerKernel('fill_constant_batch_size_like', 'js', (ins, attrs, outs) => {
  const m = outs.Out[0];
  const dtype = m.dtype;
  const n = numel(m.dims);
  const s = String(attrs.str_value ?? '');
  // an int64 value given as a string stays exact (Paddle parses str_value as int64)
  if (dtype === 'int64' && s !== '' && /^-?\d+$/.test(s.trim())) return { Out: [new Tensor(new BigInt64Array(n).fill(BigInt(s.trim())), m.dims.slice(), dtype)] };
  const value = s !== '' ? Number(s) : Number(attrs.value);
  const a = new Float64Array(n).fill(value);
  return { Out: [new Tensor(fromNumbers(a, dtype), m.dims.slice(), dtype)] };
});

// ---- activations of the recurrent units -------------------------------------------------------

const SIGMOID = 0;
const TANH = 1;
const RELU = 2;
const IDENTITY = 3;
function actCode(name: unknown, op: string): number {
  switch (name) {
    case 'sigmoid': return SIGMOID;
    case 'tanh': return TANH;
    case 'relu': return RELU;
    case 'identity': case '': return IDENTITY;
  }
  return failK(op, `unsupported activation '${String(name)}'`);
}
/** Paddle's forward activation (sigmoid clamps its input to [-40, 40]). */
function act(k: number, x: number): number {
  switch (k) {
    case SIGMOID: return 1 / (1 + Math.exp(-(x < -40 ? -40 : x > 40 ? 40 : x)));
    case TANH: return Math.tanh(x);
    case RELU: return x > 0 ? x : 0;
    default: return x;
  }
}
/** The derivative in terms of the activation's output y. */
function dact(k: number, y: number): number {
  switch (k) {
    case SIGMOID: return y * (1 - y);
    case TANH: return 1 - y * y;
    case RELU: return y > 0 ? 1 : 0;
    default: return 1;
  }
}

const f64 = (t: Tensor | undefined): Float64Array | null => (t ? Float64Array.from(toNumbers(t.data, t.dtype)) : null);
const store = (a: Float64Array, dims: number[], dtype: DType, lod: number[][] = []): Tensor =>
  withLod(new Tensor(dtype === 'float64' ? a : Float32Array.from(a), dims, dtype), lod);
function isFloatT(t: Tensor): boolean {
  return t.dtype === 'float32' || t.dtype === 'float64';
}

/** The sequences of a LoD input: [start, end) rows of its last level. */
function sequences(x: Tensor, op: string): number[] {
  const lod = lodOf(x);
  if (!lod.length) return failK(op, `Input(Input) of ${op} must be a LoD tensor (sequences): give it a LoD, e.g. with fluid.create_lod_tensor`);
  const off = lod[lod.length - 1];
  if (off[off.length - 1] !== x.dims[0]) failK(op, `the LoD of Input (${JSON.stringify(lod)}) does not match its ${x.dims[0]} rows`);
  return off;
}
/** Row order of sequence s in processing order. */
function rowsOf(off: number[], s: number, reverse: boolean): number[] {
  const a = off[s];
  const b = off[s + 1];
  const out: number[] = [];
  if (reverse) for (let r = b - 1; r >= a; r--) out.push(r);
  else for (let r = a; r < b; r++) out.push(r);
  return out;
}
function checkInit(t: Tensor | undefined, n: number, w: number, op: string, what: string): void {
  if (t && (t.dims[0] !== n || rowW(t.dims) !== w)) failK(op, `input ${what} must have shape [${n}, ${w}] (one row per sequence), but got [${t.dims}]`);
}

// ---- lstm / lstmp ---------------------------------------------------------------------------------

interface LstmCfg {
  D: number;
  R: number;
  P: number;
  gate: number;
  cell: number;
  cand: number;
  proj: number;
  peep: boolean;
  cellClip: number;
  projClip: number;
  reverse: boolean;
}
function lstmCfg(ins: Slots<Tensor>, attrs: Record<string, any>, op: string, projected: boolean): LstmCfg {
  const w = ins.Weight[0];
  const D = projected ? ins.ProjWeight[0].dims[0] : w.dims[0];
  const P = projected ? ins.ProjWeight[0].dims[1] : D;
  return {
    D,
    P,
    R: w.dims[0],
    gate: actCode(attrs.gate_activation, op),
    cell: actCode(attrs.cell_activation, op),
    cand: actCode(attrs.candidate_activation, op),
    proj: projected ? actCode(attrs.proj_activation, op) : IDENTITY,
    peep: !!attrs.use_peepholes && ins.Bias[0].size >= 7 * D,
    cellClip: projected ? Number(attrs.cell_clip ?? 0) : 0,
    projClip: projected ? Number(attrs.proj_clip ?? 0) : 0,
    reverse: !!attrs.is_reverse,
  };
}

/** What lstm(p) and its gradient read alike: the config, the sequences and the weights (undefined unless Input is float). */
function lstmInputs(ins: Slots<Tensor>, attrs: Record<string, any>, op: string, projected: boolean) {
  const xT = ins.Input[0];
  if (!isFloatT(xT)) return undefined;
  const cfg = lstmCfg(ins, attrs, op, projected);
  const off = sequences(xT, op);
  const W = f64(ins.Weight[0])!;
  const B = f64(ins.Bias[0])!;
  const PW = projected ? f64(ins.ProjWeight[0])! : null;
  return { xT, cfg, off, N: off.length - 1, T: xT.dims[0], W, B, PW };
}

function lstmForward(ins: Slots<Tensor>, attrs: Record<string, any>, op: string, projected: boolean): Slots<Tensor> | undefined {
  const inputs = lstmInputs(ins, attrs, op, projected);
  if (!inputs) return undefined;
  const { xT, cfg, off, N, T, W, B, PW } = inputs;
  const { D, R, P } = cfg;
  const x = f64(xT)!;
  const h0 = ins.H0?.[0];
  const c0 = ins.C0?.[0];
  checkInit(h0, N, R, op, 'H0');
  checkInit(c0, N, D, op, 'C0');
  const H0 = f64(h0);
  const C0 = f64(c0);
  const hid = new Float64Array(T * R);
  const cel = new Float64Array(T * D);
  const gates = new Float64Array(T * 4 * D);
  const cact = new Float64Array(T * D);
  const bh = projected ? new Float64Array(T * D) : null;
  const g = new Float64Array(4 * D);
  const h = new Float64Array(D);
  const hp = new Float64Array(R);
  const cp = new Float64Array(D);
  for (let s = 0; s < N; s++) {
    for (let j = 0; j < R; j++) hp[j] = H0 ? H0[s * R + j] : 0;
    for (let j = 0; j < D; j++) cp[j] = C0 ? C0[s * D + j] : 0;
    for (const r of rowsOf(off, s, cfg.reverse)) {
      for (let j = 0; j < 4 * D; j++) g[j] = x[r * 4 * D + j] + B[j];
      for (let k = 0; k < R; k++) {
        const v = hp[k];
        if (v === 0) continue;
        const row = k * 4 * D;
        for (let j = 0; j < 4 * D; j++) g[j] += v * W[row + j];
      }
      for (let j = 0; j < D; j++) {
        const cand = act(cfg.cand, g[j]);
        const ig = act(cfg.gate, g[D + j] + (cfg.peep ? cp[j] * B[4 * D + j] : 0));
        const fg = act(cfg.gate, g[2 * D + j] + (cfg.peep ? cp[j] * B[5 * D + j] : 0));
        let c = cand * ig + cp[j] * fg;
        if (cfg.cellClip > 0) c = c < -cfg.cellClip ? -cfg.cellClip : c > cfg.cellClip ? cfg.cellClip : c;
        const og = act(cfg.gate, g[3 * D + j] + (cfg.peep ? c * B[6 * D + j] : 0));
        const ca = act(cfg.cell, c);
        h[j] = og * ca;
        const gi = r * 4 * D;
        gates[gi + j] = cand;
        gates[gi + D + j] = ig;
        gates[gi + 2 * D + j] = fg;
        gates[gi + 3 * D + j] = og;
        cel[r * D + j] = c;
        cact[r * D + j] = ca;
        cp[j] = c;
      }
      if (projected) {
        for (let j = 0; j < D; j++) bh![r * D + j] = h[j];
        for (let p = 0; p < P; p++) {
          let v = 0;
          for (let j = 0; j < D; j++) v += h[j] * PW![j * P + p];
          v = act(cfg.proj, v);
          if (cfg.projClip > 0) v = v < -cfg.projClip ? -cfg.projClip : v > cfg.projClip ? cfg.projClip : v;
          hp[p] = v;
          hid[r * P + p] = v;
        }
      } else {
        for (let j = 0; j < D; j++) {
          hp[j] = h[j];
          hid[r * D + j] = h[j];
        }
      }
    }
  }
  const lod = lodOf(xT).map((l) => l.slice());
  const dt = xT.dtype;
  const res: Slots<Tensor> = {
    Cell: [store(cel, [T, D], dt, lod.map((l) => l.slice()))],
    BatchGate: [store(gates, [T, 4 * D], dt)],
    BatchCellPreAct: [store(cact, [T, D], dt)],
  };
  if (projected) {
    res.Projection = [store(hid, [T, P], dt, lod)];
    res.BatchHidden = [store(bh!, [T, D], dt)];
  } else res.Hidden = [store(hid, [T, D], dt, lod)];
  return res;
}

function lstmBackward(ins: Slots<Tensor>, attrs: Record<string, any>, op: string, projected: boolean): Slots<Tensor> | undefined {
  const inputs = lstmInputs(ins, attrs, op, projected);
  if (!inputs) return undefined;
  const { xT, cfg, off, N, T, W, B, PW } = inputs;
  const { D, R, P } = cfg;
  const H0 = f64(ins.H0?.[0]);
  const C0 = f64(ins.C0?.[0]);
  const hid = f64(projected ? ins.Projection[0] : ins.Hidden[0])!;
  const cel = f64(ins.Cell[0])!;
  const gates = f64(ins.BatchGate[0])!;
  const cact = f64(ins.BatchCellPreAct[0])!;
  const bh = projected ? f64(ins.BatchHidden[0])! : null;
  const dHid = f64((projected ? ins['Projection@GRAD'] : ins['Hidden@GRAD'])[0])!;
  const dCel = f64(ins['Cell@GRAD']?.[0]);
  const dX = new Float64Array(T * 4 * D);
  const dW = new Float64Array(R * 4 * D);
  const dB = new Float64Array(B.length);
  const dPW = projected ? new Float64Array(D * P) : null;
  const dH0 = H0 ? new Float64Array(N * R) : null;
  const dC0 = C0 ? new Float64Array(N * D) : null;
  const dr = new Float64Array(R);
  const dc = new Float64Array(D);
  const dh = new Float64Array(D);
  const dg = new Float64Array(4 * D);
  const dpre = new Float64Array(P);
  for (let s = 0; s < N; s++) {
    const rows = rowsOf(off, s, cfg.reverse);
    dr.fill(0);
    dc.fill(0);
    for (let q = rows.length - 1; q >= 0; q--) {
      const r = rows[q];
      const prev = q > 0 ? rows[q - 1] : -1;
      // the recurrent input and cell before this row
      const hprev = (k: number): number => (prev >= 0 ? hid[prev * R + k] : H0 ? H0[s * R + k] : 0);
      const cprev = (j: number): number => (prev >= 0 ? cel[prev * D + j] : C0 ? C0[s * D + j] : 0);
      for (let k = 0; k < R; k++) dr[k] += dHid[r * R + k];
      if (projected) {
        for (let p = 0; p < P; p++) {
          const v = hid[r * P + p];
          const clipped = cfg.projClip > 0 && (v >= cfg.projClip || v <= -cfg.projClip);
          dpre[p] = clipped ? 0 : dr[p] * dact(cfg.proj, v);
        }
        for (let j = 0; j < D; j++) {
          let v = 0;
          const hj = bh![r * D + j];
          for (let p = 0; p < P; p++) {
            v += dpre[p] * PW![j * P + p];
            dPW![j * P + p] += hj * dpre[p];
          }
          dh[j] = v;
        }
      } else for (let j = 0; j < D; j++) dh[j] = dr[j];
      const gi = r * 4 * D;
      for (let j = 0; j < D; j++) {
        const cand = gates[gi + j];
        const ig = gates[gi + D + j];
        const fg = gates[gi + 2 * D + j];
        const og = gates[gi + 3 * D + j];
        const c = cel[r * D + j];
        const ca = cact[r * D + j];
        const cp = cprev(j);
        const dog = dh[j] * ca * dact(cfg.gate, og);
        let dcj = dc[j] + (dCel ? dCel[r * D + j] : 0) + dh[j] * og * dact(cfg.cell, ca) + (cfg.peep ? dog * B[6 * D + j] : 0);
        if (cfg.peep) dB[6 * D + j] += dog * c;
        if (cfg.cellClip > 0 && (c >= cfg.cellClip || c <= -cfg.cellClip)) dcj = 0;
        const dig = dcj * cand * dact(cfg.gate, ig);
        const dfg = dcj * cp * dact(cfg.gate, fg);
        const dcand = dcj * ig * dact(cfg.cand, cand);
        let dcp = dcj * fg;
        if (cfg.peep) {
          dcp += dig * B[4 * D + j] + dfg * B[5 * D + j];
          dB[4 * D + j] += dig * cp;
          dB[5 * D + j] += dfg * cp;
        }
        dc[j] = dcp;
        dg[j] = dcand;
        dg[D + j] = dig;
        dg[2 * D + j] = dfg;
        dg[3 * D + j] = dog;
      }
      for (let j = 0; j < 4 * D; j++) {
        dX[gi + j] = dg[j];
        dB[j] += dg[j];
      }
      for (let k = 0; k < R; k++) {
        const hv = hprev(k);
        const row = k * 4 * D;
        let v = 0;
        for (let j = 0; j < 4 * D; j++) {
          dW[row + j] += hv * dg[j];
          v += dg[j] * W[row + j];
        }
        dr[k] = v;
      }
    }
    if (dH0) for (let k = 0; k < R; k++) dH0[s * R + k] = dr[k];
    if (dC0) for (let j = 0; j < D; j++) dC0[s * D + j] = dc[j];
  }
  const dt = xT.dtype;
  const res: Slots<Tensor> = {
    'Input@GRAD': [store(dX, xT.dims.slice(), dt, lodOf(xT).map((l) => l.slice()))],
    'Weight@GRAD': [store(dW, ins.Weight[0].dims.slice(), dt)],
    'Bias@GRAD': [store(dB, ins.Bias[0].dims.slice(), dt)],
  };
  if (dH0) res['H0@GRAD'] = [store(dH0, ins.H0[0].dims.slice(), dt)];
  if (dC0) res['C0@GRAD'] = [store(dC0, ins.C0[0].dims.slice(), dt)];
  if (dPW) res['ProjWeight@GRAD'] = [store(dPW, ins.ProjWeight[0].dims.slice(), dt)];
  return res;
}

registerKernel('lstm', 'js', (ins, attrs) => lstmForward(ins, attrs, 'lstm', false));
registerKernel('lstm_grad', 'js', (ins, attrs) => lstmBackward(ins, attrs, 'lstm', false));
registerKernel('lstmp', 'js', (ins, attrs) => lstmForward(ins, attrs, 'lstmp', true));
registerKernel('lstmp_grad', 'js', (ins, attrs) => lstmBackward(ins, attrs, 'lstmp', true));

// ---- gru / gru_unit ---------------------------------------------------------------------------------

/**
 * One GRU step for `n` rows: g [n, 3D] holds the projected input (plus bias) and becomes the
 * activated (u, r, c); rh gets r * h_prev; out gets the new hidden state.
 */
function gruStep(g: Float64Array, hp: Float64Array, W: Float64Array, D: number, n: number, gate: number, cand: number, origin: boolean, rh: Float64Array, out: Float64Array): void {
  const W2 = 2 * D * D;
  for (let b = 0; b < n; b++) {
    const gb = b * 3 * D;
    const hb = b * D;
    for (let k = 0; k < D; k++) {
      const v = hp[hb + k];
      if (v === 0) continue;
      for (let j = 0; j < 2 * D; j++) g[gb + j] += v * W[k * 2 * D + j];
    }
    for (let j = 0; j < 2 * D; j++) g[gb + j] = act(gate, g[gb + j]);
    for (let k = 0; k < D; k++) rh[hb + k] = g[gb + D + k] * hp[hb + k];
    for (let k = 0; k < D; k++) {
      const v = rh[hb + k];
      if (v === 0) continue;
      for (let j = 0; j < D; j++) g[gb + 2 * D + j] += v * W[W2 + k * D + j];
    }
    for (let j = 0; j < D; j++) {
      const c = act(cand, g[gb + 2 * D + j]);
      g[gb + 2 * D + j] = c;
      const u = g[gb + j];
      const h = hp[hb + j];
      out[hb + j] = origin ? u * h + (1 - u) * c : (1 - u) * h + u * c;
    }
  }
}

/**
 * The gradient of one GRU step (one row): from dh (the gradient of the new hidden state), the
 * activated gates g (u, r, c), rh and h_prev, gives dg [3D] (gradient of the pre-activations),
 * dhp (gradient of h_prev) and accumulates dW.
 */
function gruStepGrad(dh: Float64Array, g: Float64Array, gi: number, rh: Float64Array, ri: number, hp: Float64Array, hi: number, W: Float64Array, D: number, gate: number, cand: number, origin: boolean, dg: Float64Array, dhp: Float64Array, dW: Float64Array): void {
  const W2 = 2 * D * D;
  for (let j = 0; j < D; j++) {
    const u = g[gi + j];
    const c = g[gi + 2 * D + j];
    const h = hp[hi + j];
    const d = dh[j];
    const du = origin ? d * (h - c) : d * (c - h);
    const dc = origin ? d * (1 - u) : d * u;
    dhp[j] = origin ? d * u : d * (1 - u);
    dg[j] = du * dact(gate, u);
    dg[2 * D + j] = dc * dact(cand, c);
  }
  // candidate: pre_c = x_c + (r * h_prev) @ Ws
  for (let k = 0; k < D; k++) {
    let drh = 0;
    const rv = rh[ri + k];
    for (let j = 0; j < D; j++) {
      drh += dg[2 * D + j] * W[W2 + k * D + j];
      dW[W2 + k * D + j] += rv * dg[2 * D + j];
    }
    const r = g[gi + D + k];
    dg[D + k] = drh * hp[hi + k] * dact(gate, r);
    dhp[k] += drh * r;
  }
  // update / reset: pre = x_ur + h_prev @ Wg
  for (let k = 0; k < D; k++) {
    const hv = hp[hi + k];
    let v = 0;
    for (let j = 0; j < 2 * D; j++) {
      v += dg[j] * W[k * 2 * D + j];
      dW[k * 2 * D + j] += hv * dg[j];
    }
    dhp[k] += v;
  }
}

/** What gru and its gradient read alike: the sequences and the weight (undefined unless Input is float). */
function gruInputs(ins: Slots<Tensor>, op: string) {
  const xT = ins.Input[0];
  if (!isFloatT(xT)) return undefined;
  const off = sequences(xT, op);
  return { xT, off, N: off.length - 1, T: xT.dims[0], W: f64(ins.Weight[0])!, D: ins.Weight[0].dims[0] };
}

registerKernel('gru', 'js', (ins, attrs) => {
  const op = 'gru';
  const inputs = gruInputs(ins, op);
  if (!inputs) return undefined;
  const { xT, off, N, T, W, D } = inputs;
  const B = f64(ins.Bias?.[0]);
  checkInit(ins.H0?.[0], N, D, op, 'H0');
  const H0 = f64(ins.H0?.[0]);
  const x = f64(xT)!;
  const gate = actCode(attrs.gate_activation, op);
  const cand = actCode(attrs.activation, op);
  const origin = !!attrs.origin_mode;
  const gates = new Float64Array(T * 3 * D);
  const rhAll = new Float64Array(T * D);
  const hid = new Float64Array(T * D);
  const g = new Float64Array(3 * D);
  const hp = new Float64Array(D);
  const rh = new Float64Array(D);
  const out = new Float64Array(D);
  for (let s = 0; s < N; s++) {
    for (let j = 0; j < D; j++) hp[j] = H0 ? H0[s * D + j] : 0;
    for (const r of rowsOf(off, s, !!attrs.is_reverse)) {
      for (let j = 0; j < 3 * D; j++) g[j] = x[r * 3 * D + j] + (B ? B[j] : 0);
      gruStep(g, hp, W, D, 1, gate, cand, origin, rh, out);
      gates.set(g, r * 3 * D);
      rhAll.set(rh, r * D);
      hid.set(out, r * D);
      hp.set(out);
    }
  }
  const dt = xT.dtype;
  const lod = lodOf(xT).map((l) => l.slice());
  return {
    BatchGate: [store(gates, [T, 3 * D], dt)],
    BatchResetHiddenPrev: [store(rhAll, [T, D], dt)],
    BatchHidden: [store(hid.slice(), [T, D], dt)],
    Hidden: [store(hid, [T, D], dt, lod)],
  };
});

registerKernel('gru_grad', 'js', (ins, attrs) => {
  const op = 'gru';
  const inputs = gruInputs(ins, op);
  if (!inputs) return undefined;
  const { xT, off, N, T, W, D } = inputs;
  const H0 = f64(ins.H0?.[0]);
  const gate = actCode(attrs.gate_activation, op);
  const cand = actCode(attrs.activation, op);
  const origin = !!attrs.origin_mode;
  const gates = f64(ins.BatchGate[0])!;
  const rhAll = f64(ins.BatchResetHiddenPrev[0])!;
  const hid = f64(ins.Hidden[0])!;
  const dHid = f64(ins['Hidden@GRAD'][0])!;
  const dX = new Float64Array(T * 3 * D);
  const dW = new Float64Array(3 * D * D);
  const dB = new Float64Array(3 * D);
  const dH0 = H0 ? new Float64Array(N * D) : null;
  const dh = new Float64Array(D);
  const dhp = new Float64Array(D);
  const dg = new Float64Array(3 * D);
  const hpv = new Float64Array(D);
  for (let s = 0; s < N; s++) {
    const rows = rowsOf(off, s, !!attrs.is_reverse);
    dh.fill(0);
    for (let q = rows.length - 1; q >= 0; q--) {
      const r = rows[q];
      const prev = q > 0 ? rows[q - 1] : -1;
      for (let j = 0; j < D; j++) {
        dh[j] += dHid[r * D + j];
        hpv[j] = prev >= 0 ? hid[prev * D + j] : H0 ? H0[s * D + j] : 0;
      }
      gruStepGrad(dh, gates, r * 3 * D, rhAll, r * D, hpv, 0, W, D, gate, cand, origin, dg, dhp, dW);
      for (let j = 0; j < 3 * D; j++) {
        dX[r * 3 * D + j] = dg[j];
        dB[j] += dg[j];
      }
      dh.set(dhp);
    }
    if (dH0) dH0.set(dh, s * D);
  }
  const dt = xT.dtype;
  const res: Slots<Tensor> = {
    'Input@GRAD': [store(dX, xT.dims.slice(), dt, lodOf(xT).map((l) => l.slice()))],
    'Weight@GRAD': [store(dW, ins.Weight[0].dims.slice(), dt)],
  };
  if (ins.Bias?.[0]) res['Bias@GRAD'] = [store(dB, ins.Bias[0].dims.slice(), dt)];
  if (dH0) res['H0@GRAD'] = [store(dH0, ins.H0[0].dims.slice(), dt)];
  return res;
});

const unitAct = (v: unknown, op: string): number => actCode(UNIT_ACTS[Number(v)], op);

registerKernel('gru_unit', 'js', (ins, attrs) => {
  const op = 'gru_unit';
  const xT = ins.Input[0];
  if (!isFloatT(xT)) return undefined;
  const N = xT.dims[0];
  const D = ins.HiddenPrev[0].dims[1];
  const g = f64(xT)!;
  const B = f64(ins.Bias?.[0]);
  if (B) for (let b = 0; b < N; b++) for (let j = 0; j < 3 * D; j++) g[b * 3 * D + j] += B[j];
  const hp = f64(ins.HiddenPrev[0])!;
  const rh = new Float64Array(N * D);
  const out = new Float64Array(N * D);
  gruStep(g, hp, f64(ins.Weight[0])!, D, N, unitAct(attrs.gate_activation, op), unitAct(attrs.activation, op), !!attrs.origin_mode, rh, out);
  const dt = xT.dtype;
  return { Gate: [store(g, [N, 3 * D], dt)], ResetHiddenPrev: [store(rh, [N, D], dt)], Hidden: [store(out, [N, D], dt)] };
});

registerKernel('gru_unit_grad', 'js', (ins, attrs) => {
  const op = 'gru_unit';
  const xT = ins.Input[0];
  if (!isFloatT(xT)) return undefined;
  const N = xT.dims[0];
  const D = ins.HiddenPrev[0].dims[1];
  const W = f64(ins.Weight[0])!;
  const gates = f64(ins.Gate[0])!;
  const rh = f64(ins.ResetHiddenPrev[0])!;
  const hp = f64(ins.HiddenPrev[0])!;
  const dHid = f64(ins['Hidden@GRAD'][0])!;
  const gate = unitAct(attrs.gate_activation, op);
  const cand = unitAct(attrs.activation, op);
  const dX = new Float64Array(N * 3 * D);
  const dHp = new Float64Array(N * D);
  const dW = new Float64Array(3 * D * D);
  const dB = new Float64Array(3 * D);
  const dg = new Float64Array(3 * D);
  const dhp = new Float64Array(D);
  for (let b = 0; b < N; b++) {
    gruStepGrad(dHid.subarray(b * D, b * D + D), gates, b * 3 * D, rh, b * D, hp, b * D, W, D, gate, cand, !!attrs.origin_mode, dg, dhp, dW);
    dX.set(dg, b * 3 * D);
    dHp.set(dhp, b * D);
    for (let j = 0; j < 3 * D; j++) dB[j] += dg[j];
  }
  const dt = xT.dtype;
  const res: Slots<Tensor> = {
    'Input@GRAD': [store(dX, [N, 3 * D], dt)],
    'HiddenPrev@GRAD': [store(dHp, [N, D], dt)],
    'Weight@GRAD': [store(dW, ins.Weight[0].dims.slice(), dt)],
  };
  if (ins.Bias?.[0]) res['Bias@GRAD'] = [store(dB, ins.Bias[0].dims.slice(), dt)];
  return res;
});

// ---- lstm_unit --------------------------------------------------------------------------------------

const sigmoid = (x: number): number => act(SIGMOID, x);

registerKernel('lstm_unit', 'js', (ins, attrs) => {
  const xT = ins.X[0];
  if (!isFloatT(xT)) return undefined;
  const N = xT.dims[0];
  const D = ins.C_prev[0].dims[1];
  const x = f64(xT)!;
  const cp = f64(ins.C_prev[0])!;
  const fb = Number(attrs.forget_bias);
  const C = new Float64Array(N * D);
  const H = new Float64Array(N * D);
  for (let n = 0; n < N; n++) {
    for (let d = 0; d < D; d++) {
      const xi = n * 4 * D;
      const i = sigmoid(x[xi + d]);
      const f = sigmoid(x[xi + D + d] + fb);
      const o = sigmoid(x[xi + 2 * D + d]);
      const g = Math.tanh(x[xi + 3 * D + d]);
      const c = f * cp[n * D + d] + i * g;
      C[n * D + d] = c;
      H[n * D + d] = o * Math.tanh(c);
    }
  }
  return { C: [store(C, [N, D], xT.dtype)], H: [store(H, [N, D], xT.dtype)] };
});

registerKernel('lstm_unit_grad', 'js', (ins, attrs) => {
  const xT = ins.X[0];
  if (!isFloatT(xT)) return undefined;
  const N = xT.dims[0];
  const D = ins.C_prev[0].dims[1];
  const x = f64(xT)!;
  const cp = f64(ins.C_prev[0])!;
  const C = f64(ins.C[0])!;
  const dC = f64(ins['C@GRAD'][0])!;
  const dH = f64(ins['H@GRAD'][0])!;
  const fb = Number(attrs.forget_bias);
  const dX = new Float64Array(N * 4 * D);
  const dCp = new Float64Array(N * D);
  for (let n = 0; n < N; n++) {
    for (let d = 0; d < D; d++) {
      const xi = n * 4 * D;
      const k = n * D + d;
      const i = sigmoid(x[xi + d]);
      const f = sigmoid(x[xi + D + d] + fb);
      const o = sigmoid(x[xi + 2 * D + d]);
      const g = Math.tanh(x[xi + 3 * D + d]);
      const tc = Math.tanh(C[k]);
      const dc = dC[k] + dH[k] * o * (1 - tc * tc);
      dX[xi + d] = dc * g * i * (1 - i);
      dX[xi + D + d] = dc * cp[k] * f * (1 - f);
      dX[xi + 2 * D + d] = dH[k] * tc * o * (1 - o);
      dX[xi + 3 * D + d] = dc * i * (1 - g * g);
      dCp[k] = dc * f;
    }
  }
  return { 'X@GRAD': [store(dX, [N, 4 * D], xT.dtype)], 'C_prev@GRAD': [store(dCp, [N, D], xT.dtype)] };
});

// ---- beam search ------------------------------------------------------------------------------------

/** Paddle's ToAbsOffset: every level's offsets as rows of the tensor. */
function absLod(lod: number[][]): number[][] {
  const out = lod.map((l) => l.slice());
  for (let i = out.length - 2; i >= 0; i--) for (let j = 0; j < out[i].length; j++) out[i][j] = out[i + 1][out[i][j]];
  return out;
}

interface BeamItem {
  offset: number;
  id: number;
  score: number;
}
/** Paddle's ordering of candidates: by score, then by offset. */
const beamLess = (a: BeamItem, b: BeamItem): boolean => a.score < b.score || (a.score === b.score && a.offset < b.offset);
/** Inserts into a list kept in descending order, at most `size` long (Paddle's Insert). */
function beamInsert(top: BeamItem[], item: BeamItem, size: number): void {
  if (top.length >= size) {
    if (beamLess(item, top[size - 1])) return;
    top.pop();
  }
  let k = top.length - 1;
  while (k >= 0 && beamLess(top[k], item)) k--;
  top.splice(k + 1, 0, item);
}

registerKernel('beam_search', 'js', (ins, attrs) => {
  const op = 'beam_search';
  const preIds = ins.pre_ids[0];
  const preScores = ins.pre_scores[0];
  const idsT = ins.ids?.[0];
  const scoresT = ins.scores[0];
  const level = attrs.level as number;
  const beam = attrs.beam_size as number;
  const endId = attrs.end_id as number;
  const accumulated = attrs.is_accumulated !== false;
  const lod = lodOf(scoresT);
  if (level >= lod.length) failK(op, `Input(scores) must carry a LoD with more than ${level} level(s) (the beams of each source), but its LoD is ${JSON.stringify(lod)}`);
  const abs = absLod(lod);
  const high = abs[level];
  const pid = toNumbers(preIds.data, preIds.dtype);
  const psc = toNumbers(preScores.data, preScores.dtype);
  const ids = idsT ? toNumbers(idsT.data, idsT.dtype) : null;
  const sc = toNumbers(scoresT.data, scoresT.dtype);
  const width = rowW(scoresT.dims);
  const rows = high[high.length - 1];
  if (pid.length < rows || psc.length < rows) failK(op, `pre_ids / pre_scores must have one row per prefix (${rows}), but have ${pid.length} and ${psc.length}`);
  // top beam_size candidates per source
  const selected: BeamItem[][] = Array.from({ length: rows }, () => []);
  for (let sIdx = 0; sIdx + 1 < high.length; sIdx++) {
    const top: BeamItem[] = [];
    for (let off = high[sIdx]; off < high[sIdx + 1]; off++) {
      if (pid[off] === endId) {
        beamInsert(top, { offset: off, id: endId, score: psc[off] }, beam);
        continue;
      }
      for (let d = 0; d < width; d++) {
        const idx = off * width + d;
        const id = ids ? ids[idx] : d;
        const score = accumulated ? sc[idx] : psc[off] + Math.log(sc[idx]);
        beamInsert(top, { offset: off, id, score }, beam);
      }
    }
    for (const it of top) selected[it.offset].push(it);
  }
  // prune sources whose every branch ended one step ago
  for (let sIdx = 0; sIdx + 1 < high.length; sIdx++) {
    let finished = true;
    for (let off = high[sIdx]; off < high[sIdx + 1] && finished; off++)
      for (const it of selected[off]) if (it.id !== endId || pid[off] !== endId) { finished = false; break; }
    if (finished) for (let off = high[sIdx]; off < high[sIdx + 1]; off++) selected[off] = [];
  }
  const n = selected.reduce((a, l) => a + l.length, 0);
  const outIds = new Float64Array(n);
  const outScores = new Float64Array(n);
  const parent = new Int32Array(n);
  const low = [0];
  let k = 0;
  selected.forEach((list, p) => {
    for (const it of list) {
      outIds[k] = it.id;
      outScores[k] = it.score;
      parent[k] = p;
      k++;
    }
    low.push(k);
  });
  const outLod = [high.slice(), low];
  const sid = withLod(new Tensor(fromNumbers(outIds, preIds.dtype), [n, 1], preIds.dtype), outLod.map((l) => l.slice()));
  const sdt = preScores.dtype;
  const ssc = withLod(new Tensor(sdt === 'float64' ? outScores : fromNumbers(outScores, sdt), [n, 1], sdt), outLod);
  return { selected_ids: [sid], selected_scores: [ssc], parent_idx: [new Tensor(parent, [n], 'int32')] };
});

interface Sentence {
  ids: number[];
  scores: number[];
}

registerKernel('beam_search_decode', 'js', (ins, attrs) => {
  const op = 'beam_search_decode';
  const idsA = ins.Ids[0];
  const scA = ins.Scores[0];
  if (!isArrayValue(idsA) || !isArrayValue(scA)) return failK(op, 'inputs Ids and Scores must be tensor arrays (of each step\'s beam_search results)');
  const endId = attrs.end_id as number;
  const steps = idsA.items as Tensor[];
  const stepScores = scA.items as Tensor[];
  steps.forEach((t, i) => {
    if (!t || lodOf(t).length !== 2) failK(op, `element ${i} of Ids must carry a 2-level LoD (the output of beam_search), but has ${t ? JSON.stringify(lodOf(t)) : 'no value'}`);
  });
  const srcNum = lodOf(steps[0])[0].length - 1;
  const sentences: Sentence[][] = Array.from({ length: srcNum }, () => []);
  const prefixIdx: number[][] = Array.from({ length: srcNum }, () => []);
  for (let step = steps.length - 1; step >= 0; step--) {
    const lod = lodOf(steps[step]);
    const ids = toNumbers(steps[step].data, steps[step].dtype);
    const sc = toNumbers(stepScores[step].data, stepScores[step].dtype);
    for (let src = 0; src < srcNum; src++) {
      const sv = sentences[src];
      const pv = prefixIdx[src];
      const pStart = lod[0][src];
      const pEnd = lod[0][src + 1];
      if (!pv.length) {
        for (let p = pStart; p < pEnd; p++)
          for (let cidx = lod[1][p]; cidx < lod[1][p + 1]; cidx++) {
            pv.push(p);
            sv.push({ ids: [ids[cidx]], scores: [sc[cidx]] });
          }
      } else {
        const candStart = lod[1][pStart];
        let p = pStart;
        let candNum = lod[1][p + 1] - lod[1][p];
        for (let idx = 0; idx < pv.length; idx++) {
          const cidx = pv[idx];
          const id = ids[cidx];
          if (id !== endId || !sv[idx].ids.length) {
            sv[idx].ids.push(id);
            sv[idx].scores.push(sc[cidx]);
          }
          while (candStart + candNum <= cidx) {
            p++;
            candNum += lod[1][p + 1] - lod[1][p];
          }
          pv[idx] = p;
        }
      }
    }
  }
  const idOut: number[] = [];
  const scOut: number[] = [];
  const srcLod = [0];
  const sentLod = [0];
  for (const list of sentences) {
    // best first by the final score (the first one collected going backwards); stable on ties
    const sorted = list.filter((s) => s.ids.length).sort((a, b) => b.scores[0] - a.scores[0]);
    for (const s of sorted) {
      for (let i = s.ids.length - 1; i >= 0; i--) {
        idOut.push(s.ids[i]);
        scOut.push(s.scores[i]);
      }
      sentLod.push(sentLod[sentLod.length - 1] + s.ids.length);
    }
    srcLod.push(srcLod[srcLod.length - 1] + sorted.length);
  }
  const lod = [srcLod, sentLod];
  const sdt = stepScores[0].dtype;
  return {
    SentenceIds: [withLod(new Tensor(fromNumbers(Float64Array.from(idOut), 'int64'), [idOut.length], 'int64'), lod.map((l) => l.slice()))],
    SentenceScores: [withLod(new Tensor(fromNumbers(Float64Array.from(scOut), sdt), [scOut.length], sdt), lod)],
  };
});


// ---- cudnn_lstm: the rnn operator's LSTM with one flat weight ----------------------------------

/** The flat weight W as the rnn operator's WeightList (weights per layer and direction, then biases). */
function weightList(W: Tensor, attrs: Record<string, any>): Tensor[] {
  const I = Number(attrs.input_size);
  const H = Number(attrs.hidden_size);
  const Ls = Number(attrs.num_layers);
  const dirs = attrs.is_bidirec ? 2 : 1;
  const shapes: number[][] = [];
  for (let l = 0; l < Ls; l++)
    for (let d = 0; d < dirs; d++) shapes.push([4 * H, l === 0 ? I : H * dirs], [4 * H, H]);
  for (let l = 0; l < Ls * dirs; l++) shapes.push([4 * H], [4 * H]);
  const src = raw(W);
  let off = 0;
  return shapes.map((dims) => {
    const n = numel(dims);
    const [t, r] = rawZeros(dims, W.dtype);
    copySeg(r, 0, src, off, n);
    off += n;
    return t;
  });
}
const rnnAttrs = (attrs: Record<string, any>): Record<string, unknown> => ({
  dropout_prob: attrs.dropout_prob, is_bidirec: attrs.is_bidirec, input_size: attrs.input_size, hidden_size: attrs.hidden_size,
  num_layers: attrs.num_layers, mode: 'LSTM', is_test: attrs.is_test, seed: Number(attrs.seed) > 0 ? Number(attrs.seed) : 0,
});

registerKernel('cudnn_lstm', 'js', (ins, attrs) => {
  const def = getOp('rnn');
  const rins: Slots<Tensor> = { Input: [ins.Input[0]], PreState: [ins.InitH[0], ins.InitC[0]], WeightList: weightList(ins.W[0], attrs) };
  if (ins.SequenceLength?.[0]) rins.SequenceLength = [ins.SequenceLength[0]];
  const r = runOp(def, rins, rnnAttrs(attrs));
  return { Out: r.Out, LastH: [r.State[0]], LastC: [r.State[1]], Reserve: r.Reserve, StateOut: r.DropoutState ?? [new Tensor(new Uint8Array(0), [0], 'uint8')] };
});

registerKernel('cudnn_lstm_grad', 'js', (ins, attrs) => {
  const def = getOp('rnn_grad');
  const ws = weightList(ins.W[0], attrs);
  const rins: Slots<Tensor> = {
    Input: [ins.Input[0]], PreState: [ins.InitH[0], ins.InitC[0]], WeightList: ws, Reserve: ins.Reserve, DropoutState: ins.StateOut,
    Out: ins.Out, 'Out@GRAD': ins['Out@GRAD'], 'State@GRAD': [ins['LastH@GRAD'][0], ins['LastC@GRAD'][0]],
  };
  if (ins.SequenceLength?.[0]) rins.SequenceLength = [ins.SequenceLength[0]];
  const r = runOp(def, rins, rnnAttrs(attrs));
  const W = ins.W[0];
  const [dW, dr] = rawZeros(W.dims.slice(), W.dtype);
  let off = 0;
  for (const g of r['WeightList@GRAD']) {
    copySeg(dr, off, raw(g), 0, g.size);
    off += g.size;
  }
  return { 'Input@GRAD': r['Input@GRAD'], 'InitH@GRAD': [r['PreState@GRAD'][0]], 'InitC@GRAD': [r['PreState@GRAD'][1]], 'W@GRAD': [dW] };
});
