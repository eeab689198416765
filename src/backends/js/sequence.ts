// Portable kernels of the sequence (LoD) operators (src/ops/sequence.ts). Data movement
// (concat, expand, pad/unpad, reverse, slice, reorder, enumerate, reshape, lod_reset) copies raw
// storage numbers, so every dtype is exact; the math kernels (pool, conv, softmax, their grads,
// im2sequence) run on float32/float64 arrays, accumulating in float64. Each kernel sets the LoD
// of its outputs.
import { allocStorage, DType, fromNumbers, NumArray, Storage } from '../../core/dtype.js';
import { fail, InvalidArgumentError, OutOfRangeError } from '../../core/errors.js';
import { apiName } from '../../core/args.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import {
  checkLodShape, expandPlan, im2seqSizes, lengthsOf, LoDRankTable, lodOf, numsOf, offsetsOf, rankTableOf, seqLod, slicePlan,
} from '../../ops/sequence.js';
import { raw, Raw, rawZeros } from './slice.js';

type F = Float32Array | Float64Array;
/** Numbers per row of a tensor (elements after the first dim). */
const rowW = (dims: readonly number[]): number => numel(dims.slice(1));

function floatZeros(dims: number[], dtype: DType): [Tensor, F] {
  const s = allocStorage(dtype, numel(dims)) as F;
  return [new Tensor(s, dims, dtype), s];
}
function isFloat(t: Tensor): boolean {
  return t.dtype === 'float32' || t.dtype === 'float64';
}
function fail2(op: string, msg: string, cls: typeof OutOfRangeError = OutOfRangeError): never {
  const api = apiName('');
  return fail(api || op, api ? `${msg} (operator ${op})` : msg, cls);
}

/** Copies `n` raw numbers. */
function copy(dst: NumArray, to: number, src: NumArray, from: number, n: number): void {
  if (n > 32) (dst as Float64Array).set((src as Float64Array).subarray(from, from + n), to);
  else for (let j = 0; j < n; j++) dst[to + j] = src[from + j];
}
/** Copies `rows` rows of `w` elements from src row `from` to dst row `to` (raw numbers). */
function copyRows(dst: Raw, to: number, src: Raw, from: number, rows: number, w: number): void {
  const k = w * src.w;
  copy(dst.a, to * k, src.a, from * k, rows * k);
}
const withLod = (t: Tensor, lod: number[][]): Tensor => {
  t.lod = lod;
  return t;
};

// ---- sequence_pool -----------------------------------------------------------------------------
registerKernel('sequence_pool', 'js', (ins, attrs) => {
  const x = ins.X[0];
  if (!isFloat(x)) return undefined;
  const lod = seqLod(x, 'sequence_pool', 'X', 1, 2);
  const off = lod[lod.length - 1];
  const S = off.length - 1;
  const w = rowW(x.dims);
  const dims = [S, ...x.dims.slice(1)];
  const [out, o] = floatZeros(dims, x.dtype);
  const xd = x.data as F;
  const pad = (attrs.pad_value as number | undefined) ?? 0; // absent in programs saved before it existed
  const type = attrs.pooltype as string;
  let index: Tensor;
  if (type === 'MAX') {
    const idx = new Int32Array(S * w);
    index = new Tensor(idx, dims.slice(), 'int32');
    for (let i = 0; i < S; i++) {
      const s = off[i];
      const e = off[i + 1];
      const ob = i * w;
      if (s === e) {
        for (let k = 0; k < w; k++) {
          o[ob + k] = pad;
          idx[ob + k] = -1;
        }
        continue;
      }
      for (let k = 0; k < w; k++) {
        let best = xd[s * w + k];
        let at = s;
        for (let j = s + 1; j < e; j++) {
          const v = xd[j * w + k];
          if (v > best) {
            best = v;
            at = j;
          }
        }
        o[ob + k] = best;
        idx[ob + k] = at;
      }
    }
  } else {
    index = new Tensor(new Int32Array(0), [0], 'int32');
    const acc = new Float64Array(w);
    for (let i = 0; i < S; i++) {
      const s = off[i];
      const e = off[i + 1];
      const h = e - s;
      const ob = i * w;
      if (h === 0) {
        for (let k = 0; k < w; k++) o[ob + k] = pad;
        continue;
      }
      if (type === 'FIRST' || type === 'LAST') {
        const r = type === 'FIRST' ? s : e - 1;
        for (let k = 0; k < w; k++) o[ob + k] = xd[r * w + k];
        continue;
      }
      acc.fill(0);
      for (let j = s; j < e; j++) {
        const b = j * w;
        for (let k = 0; k < w; k++) acc[k] += xd[b + k];
      }
      const div = type === 'SUM' ? 1 : type === 'AVERAGE' ? h : Math.sqrt(h);
      for (let k = 0; k < w; k++) o[ob + k] = acc[k] / div;
    }
  }
  return { Out: [withLod(out, lod.length > 1 ? [lod[0].slice()] : [])], MaxIndex: [index] };
});

registerKernel('sequence_pool_grad', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  if (!isFloat(g)) return undefined;
  const lod = seqLod(x, 'sequence_pool_grad', 'X', 1, 2);
  const off = lod[lod.length - 1];
  const S = off.length - 1;
  const w = rowW(x.dims);
  if (g.dims[0] !== S || rowW(g.dims) !== w)
    fail2('sequence_pool_grad', `Out@GRAD of shape [${g.dims}] does not match the ${S} sequences of X (shape [${x.dims}])`);
  const [dx, d] = floatZeros(x.dims.slice(), g.dtype);
  const gd = g.data as F;
  const type = attrs.pooltype as string;
  if (type === 'MAX') {
    const idx = ins.MaxIndex[0].data as Int32Array;
    for (let i = 0; i < S * w; i++) {
      const at = idx[i];
      if (at >= 0) d[at * w + (i % w)] = gd[i];
    }
    return { 'X@GRAD': [dx] };
  }
  for (let i = 0; i < S; i++) {
    const s = off[i];
    const e = off[i + 1];
    const h = e - s;
    if (h === 0) continue;
    const gb = i * w;
    if (type === 'FIRST' || type === 'LAST') {
      const r = type === 'FIRST' ? s : e - 1;
      for (let k = 0; k < w; k++) d[r * w + k] = gd[gb + k];
      continue;
    }
    const div = type === 'SUM' ? 1 : type === 'AVERAGE' ? h : Math.sqrt(h);
    for (let j = s; j < e; j++) {
      const b = j * w;
      for (let k = 0; k < w; k++) d[b + k] = gd[gb + k] / div;
    }
  }
  return { 'X@GRAD': [dx] };
});

// ---- sequence_concat ---------------------------------------------------------------------------
registerKernel('sequence_concat', 'js', (ins) => {
  const xs = ins.X;
  const lods = xs.map((x, i) => seqLod(x, 'sequence_concat', `X[${i}]`, 1, 1)[0]);
  const n = lods[0].length;
  const w = rowW(xs[0].dims);
  const rows = xs.reduce((a, x) => a + x.dims[0], 0);
  const [out, ro] = rawZeros([rows, ...xs[0].dims.slice(1)], xs[0].dtype);
  const raws = xs.map(raw);
  const outLod = [0];
  let at = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < xs.length; j++) {
      const len = lods[j][i] - lods[j][i - 1];
      copyRows(ro, at, raws[j], lods[j][i - 1], len, w);
      at += len;
    }
    outLod.push(at);
  }
  return { Out: [withLod(out, [outLod])] };
});

registerKernel('sequence_concat_grad', 'js', (ins) => {
  const xs = ins.X;
  const g = ins['Out@GRAD'][0];
  const lods = xs.map((x) => lodOf(x)[0]);
  const w = rowW(xs[0].dims);
  const rg = raw(g);
  const outs = xs.map((x) => rawZeros(x.dims.slice(), g.dtype));
  let at = 0;
  for (let i = 1; i < lods[0].length; i++)
    for (let j = 0; j < xs.length; j++) {
      const len = lods[j][i] - lods[j][i - 1];
      copyRows(outs[j][1], lods[j][i - 1], rg, at, len, w);
      at += len;
    }
  return { 'X@GRAD': outs.map(([t], j) => withLod(t, lodOf(xs[j]).map((l) => l.slice()))) };
});

// ---- sequence_conv -----------------------------------------------------------------------------
/**
 * The source of output row t (of a sequence of h rows), context slot k: a row of the sequence
 * (>= 0, relative), or a padding row (encoded as -1 - index into PaddingData), or none (zero
 * padding): returns null.
 */
function contextSource(t: number, k: number, h: number, start: number, up: number, trainable: boolean): number | null {
  const r = t + start + k;
  if (r >= 0 && r < h) return r;
  if (!trainable) return null;
  return r < 0 ? -1 - (r + up) : -1 - (up + r - h);
}

registerKernel('sequence_conv', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const f = ins.Filter[0];
  if (!isFloat(x)) return undefined;
  const off = seqLod(x, 'sequence_conv', 'X', 1, 1)[0];
  const L = attrs.contextLength as number;
  const start = attrs.contextStart as number;
  const trainable = !!attrs.paddingTrainable;
  const up = Math.max(0, -start);
  const D = x.dims[1];
  const M = f.dims[1];
  const [out, o] = floatZeros([x.dims[0], M], x.dtype);
  const xd = x.data as F;
  const fd = f.data as F;
  const pd = trainable ? (ins.PaddingData[0].data as F) : null;
  const acc = new Float64Array(M);
  for (let i = 0; i + 1 < off.length; i++) {
    const s = off[i];
    const h = off[i + 1] - s;
    for (let t = 0; t < h; t++) {
      acc.fill(0);
      for (let k = 0; k < L; k++) {
        const src = contextSource(t, k, h, start, up, trainable);
        if (src === null) continue;
        const vec = src >= 0 ? xd : pd!;
        const vb = (src >= 0 ? s + src : -1 - src) * D;
        const fb = k * D * M;
        for (let dd = 0; dd < D; dd++) {
          const v = vec[vb + dd];
          if (v === 0) continue;
          const fr = fb + dd * M;
          for (let m = 0; m < M; m++) acc[m] += v * fd[fr + m];
        }
      }
      const ob = (s + t) * M;
      for (let m = 0; m < M; m++) o[ob + m] = acc[m];
    }
  }
  return { Out: [withLod(out, [off.slice()])] };
});

registerKernel('sequence_conv_grad', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const f = ins.Filter[0];
  const g = ins['Out@GRAD'][0];
  if (!isFloat(g)) return undefined;
  const off = seqLod(x, 'sequence_conv_grad', 'X', 1, 1)[0];
  const L = attrs.contextLength as number;
  const start = attrs.contextStart as number;
  const trainable = !!attrs.paddingTrainable && !!ins.PaddingData?.length;
  const up = Math.max(0, -start);
  const D = x.dims[1];
  const M = f.dims[1];
  const xd = x.data as F;
  const fd = f.data as F;
  const gd = g.data as F;
  const [dx, dxd] = floatZeros(x.dims.slice(), g.dtype);
  const [df, dfd] = floatZeros(f.dims.slice(), g.dtype);
  const pdT = trainable ? ins.PaddingData[0] : null;
  const pd = pdT ? (pdT.data as F) : null;
  const [dp, dpd] = pdT ? floatZeros(pdT.dims.slice(), g.dtype) : [null, null];
  for (let i = 0; i + 1 < off.length; i++) {
    const s = off[i];
    const h = off[i + 1] - s;
    for (let t = 0; t < h; t++) {
      const gb = (s + t) * M;
      for (let k = 0; k < L; k++) {
        const src = contextSource(t, k, h, start, up, trainable);
        if (src === null) continue;
        const fb = k * D * M;
        const isRow = src >= 0;
        const vb = (isRow ? s + src : -1 - src) * D;
        const vec = isRow ? xd : pd!;
        const dvec = isRow ? dxd : dpd!;
        for (let dd = 0; dd < D; dd++) {
          const fr = fb + dd * M;
          let sum = 0;
          const v = vec[vb + dd];
          for (let m = 0; m < M; m++) {
            const gv = gd[gb + m];
            sum += gv * fd[fr + m];
            dfd[fr + m] += v * gv;
          }
          dvec[vb + dd] += sum;
        }
      }
    }
  }
  const res: Slots<Tensor> = { 'X@GRAD': [withLod(dx, [off.slice()])], 'Filter@GRAD': [df] };
  if (dp) res['PaddingData@GRAD'] = [dp];
  return res;
});

// ---- sequence_enumerate ------------------------------------------------------------------------
registerKernel('sequence_enumerate', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const lod = lodOf(x);
  const off = lod[0];
  const win = attrs.win_size as number;
  const n = x.dims[0];
  const xs = x.data as Storage;
  const o = allocStorage(x.dtype, n * win);
  const pv = (attrs.pad_value as number | undefined) ?? 0;
  const pad = o instanceof BigInt64Array ? BigInt(pv) : pv;
  const od = o as unknown as { [i: number]: unknown };
  const xd = xs as unknown as { [i: number]: unknown };
  for (let i = 0; i + 1 < off.length; i++) {
    const end = off[i + 1];
    for (let idx = off[i]; idx < end; idx++)
      for (let j = 0; j < win; j++) od[idx * win + j] = idx + j < end ? xd[idx + j] : pad;
  }
  return { Out: [withLod(new Tensor(o, [n, win], x.dtype), lod.map((l) => l.slice()))] };
});

// ---- sequence_expand / sequence_expand_as ------------------------------------------------------
registerKernel('sequence_expand', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const plan = expandPlan(x, y, attrs.ref_level as number, 'sequence_expand');
  const w = rowW(x.dims);
  const rx = raw(x);
  const [out, ro] = rawZeros([plan.rows, ...x.dims.slice(1)], x.dtype);
  if (plan.ref.length <= 1) {
    copyRows(ro, 0, rx, 0, x.dims[0], w);
    return { Out: [withLod(out, plan.outLod.map((l) => l.slice()))] };
  }
  let at = 0;
  for (let i = 1; i < plan.ref.length; i++) {
    const rep = plan.ref[i] - plan.ref[i - 1];
    const s = plan.xOff[i - 1];
    const len = plan.xOff[i] - s;
    for (let r = 0; r < rep; r++) {
      copyRows(ro, at, rx, s, len, w);
      at += len;
    }
  }
  return { Out: [withLod(out, plan.outLod.map((l) => l.slice()))] };
});

registerKernel('sequence_expand_grad', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const g = ins['Out@GRAD'][0];
  if (!isFloat(g)) return undefined;
  const plan = expandPlan(x, y, attrs.ref_level as number, 'sequence_expand_grad');
  const w = rowW(x.dims);
  const [dx, d] = floatZeros(x.dims.slice(), g.dtype);
  const gd = g.data as F;
  if (plan.ref.length <= 1) {
    d.set(gd.subarray(0, d.length));
    return { 'X@GRAD': [dx] };
  }
  let at = 0;
  for (let i = 1; i < plan.ref.length; i++) {
    const rep = plan.ref[i] - plan.ref[i - 1];
    const s = plan.xOff[i - 1];
    const len = plan.xOff[i] - s;
    for (let r = 0; r < rep; r++) {
      const gb = at * w;
      const db = s * w;
      for (let q = 0; q < len * w; q++) d[db + q] += gd[gb + q];
      at += len;
    }
  }
  return { 'X@GRAD': [dx] };
});

registerKernel('sequence_expand_as', 'js', (ins) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const ref = seqLod(y, 'sequence_expand_as', 'Y', 1, 1)[0];
  const w = rowW(x.dims);
  const rx = raw(x);
  const rows = ref[ref.length - 1] - ref[0];
  const [out, ro] = rawZeros([rows, ...x.dims.slice(1)], x.dtype);
  for (let h = 0; h < x.dims[0]; h++)
    for (let k = ref[h]; k < ref[h + 1]; k++) copyRows(ro, k - ref[0], rx, h, 1, w);
  return { Out: [out] };
});

registerKernel('sequence_expand_as_grad', 'js', (ins) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const g = ins['Out@GRAD'][0];
  if (!isFloat(g)) return undefined;
  const ref = seqLod(y, 'sequence_expand_as_grad', 'Y', 1, 1)[0];
  const w = rowW(x.dims);
  const [dx, d] = floatZeros(x.dims.slice(), g.dtype);
  const gd = g.data as F;
  for (let h = 0; h < x.dims[0]; h++)
    for (let k = ref[h]; k < ref[h + 1]; k++) {
      const gb = (k - ref[0]) * w;
      for (let q = 0; q < w; q++) d[h * w + q] += gd[gb + q];
    }
  return { 'X@GRAD': [dx] };
});

// ---- sequence_mask -----------------------------------------------------------------------------
registerKernel('sequence_mask', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const dt = outs.Y[0].dtype;
  let maxlen = attrs.maxlen as number;
  const mt = ins.MaxLenTensor?.[0];
  if (mt) {
    maxlen = numsOf(mt)[0];
    if (!(maxlen > 0)) fail2('sequence_mask', `Input(MaxLenTensor) value should be greater than 0, but received ${maxlen}`);
  }
  const v = numsOf(x);
  if (maxlen < 0) {
    let m = 0;
    for (let i = 0; i < v.length; i++) if (v[i] > m) m = v[i];
    maxlen = Math.trunc(m);
  }
  const n = v.length;
  const o = new Float64Array(n * maxlen);
  for (let i = 0; i < n; i++) {
    const len = v[i];
    for (let j = 0; j < maxlen && j < len; j++) o[i * maxlen + j] = 1;
  }
  return { Y: [new Tensor(fromNumbers(o, dt), [...x.dims, maxlen], dt)] };
});

// ---- sequence_pad / sequence_unpad -------------------------------------------------------------
registerKernel('sequence_pad', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const pv = ins.PadValue[0];
  const off = seqLod(x, 'sequence_pad', 'X')[0];
  const lens = lengthsOf(off);
  const S = lens.length;
  const maxLen = Math.max(0, ...lens);
  const L = (attrs.padded_length as number) === -1 ? maxLen : (attrs.padded_length as number);
  const w = rowW(x.dims);
  const [out, ro] = rawZeros([S, L, ...x.dims.slice(1)], x.dtype);
  const rp = raw(pv);
  const rx = raw(x);
  const pw = numel(pv.dims) === 1 ? 1 : w;
  // fill with the pad value (one number, or one time step), then copy the valid steps
  const k = ro.w;
  for (let r = 0; r < S * L; r++) {
    if (pw === 1) for (let q = 0; q < w; q++) for (let z = 0; z < k; z++) ro.a[(r * w + q) * k + z] = rp.a[z];
    else copy(ro.a, r * w * k, rp.a, 0, w * k);
  }
  for (let i = 0; i < S; i++) copyRows(ro, i * L, rx, off[i], lens[i], w);
  const len = new Tensor(BigInt64Array.from(lens, (v) => BigInt(v)), [S], 'int64');
  return { Out: [out], Length: [len] };
});

registerKernel('sequence_pad_grad', 'js', (ins) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  const off = seqLod(x, 'sequence_pad_grad', 'X')[0];
  const L = g.dims[1];
  const w = rowW(x.dims);
  const [dx, rd] = rawZeros(x.dims.slice(), g.dtype);
  const rg = raw(g);
  for (let i = 0; i + 1 < off.length; i++) copyRows(rd, off[i], rg, i * L, off[i + 1] - off[i], w);
  return { 'X@GRAD': [dx] };
});

registerKernel('sequence_unpad', 'js', (ins) => {
  const x = ins.X[0];
  const lens = Array.from(numsOf(ins.Length[0]));
  const L = x.dims[1];
  for (let i = 0; i < lens.length; i++)
    if (!(lens[i] >= 0 && lens[i] <= L)) fail2('sequence_unpad', `Length[${i}] = ${lens[i]} is out of range: each length must be in [0, ${L}] (the padded length)`);
  const off = offsetsOf(lens);
  const rest = x.dims.length === 2 ? [1] : x.dims.slice(2);
  const w = numel(rest);
  const [out, ro] = rawZeros([off[off.length - 1], ...rest], x.dtype);
  const rx = raw(x);
  for (let i = 0; i < lens.length; i++) copyRows(ro, off[i], rx, i * L, lens[i], w);
  return { Out: [withLod(out, [off])] };
});

registerKernel('sequence_unpad_grad', 'js', (ins) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  const off = seqLod(g, 'sequence_unpad_grad', 'Out@GRAD', 1, 1)[0];
  const L = x.dims[1];
  const w = numel(x.dims.slice(2));
  const [dx, rd] = rawZeros(x.dims.slice(), g.dtype);
  const rg = raw(g);
  for (let i = 0; i + 1 < off.length; i++) copyRows(rd, i * L, rg, off[i], off[i + 1] - off[i], w);
  return { 'X@GRAD': [dx] };
});

// ---- sequence_reshape --------------------------------------------------------------------------
registerKernel('sequence_reshape', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const nd = attrs.new_dim as number;
  const l = seqLod(x, 'sequence_reshape', 'X', 1, 1)[0];
  const D = x.dims[1];
  const outLod = D === nd ? l.slice() : offsetsOf(lengthsOf(l).map((n) => (n * D) / nd));
  const out = new Tensor(x.data.slice(), [numel(x.dims) / nd, nd], x.dtype);
  return { Out: [withLod(out, [outLod])] };
});

registerKernel('sequence_reshape_grad', 'js', (ins) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  return { 'X@GRAD': [new Tensor(g.data.slice(), x.dims.slice(), g.dtype)] };
});

// ---- sequence_reverse --------------------------------------------------------------------------
registerKernel('sequence_reverse', 'js', (ins) => {
  const x = ins.X[0];
  const off = seqLod(x, 'sequence_reverse', 'X', 1, 1)[0];
  const w = rowW(x.dims);
  const [out, ro] = rawZeros(x.dims.slice(), x.dtype);
  const rx = raw(x);
  for (let i = 0; i + 1 < off.length; i++) {
    const s = off[i];
    const e = off[i + 1];
    for (let r = s; r < e; r++) copyRows(ro, r, rx, e - 1 - (r - s), 1, w);
  }
  return { Y: [out] };
});

// ---- sequence_scatter --------------------------------------------------------------------------
/** For each id row: the flat position it updates (sequence i updates row i of X). */
function scatterPositions(ids: Tensor, xDims: readonly number[], op: string): Int32Array {
  const l = seqLod(ids, op, 'Ids', 1, 1)[0];
  const slice = rowW(xDims);
  const v = numsOf(ids);
  const pos = new Int32Array(v.length);
  for (let seg = 0; seg + 1 < l.length; seg++)
    for (let i = l[seg]; i < l[seg + 1]; i++) {
      const id = v[i];
      if (!(id >= 0 && id < slice)) fail2(op, `Ids[${i}] = ${id} is out of range: expected an index in [0, ${slice}) (the width of X)`);
      pos[i] = seg * slice + id;
    }
  return pos;
}

registerKernel('sequence_scatter', 'js', (ins) => {
  const x = ins.X[0];
  const pos = scatterPositions(ins.Ids[0], x.dims, 'sequence_scatter');
  const o = Float64Array.from(numsOf(x));
  const u = numsOf(ins.Updates[0]);
  for (let i = 0; i < pos.length; i++) o[pos[i]] += u[i];
  return { Out: [new Tensor(fromNumbers(o, x.dtype), x.dims.slice(), x.dtype)] };
});

registerKernel('sequence_scatter_grad', 'js', (ins) => {
  const g = ins['Out@GRAD'][0];
  const up = ins.Updates[0];
  const pos = scatterPositions(ins.Ids[0], g.dims, 'sequence_scatter_grad');
  const gv = numsOf(g);
  const du = new Float64Array(numel(up.dims));
  for (let i = 0; i < pos.length; i++) du[i] = gv[pos[i]];
  return {
    'X@GRAD': [new Tensor(g.data.slice(), g.dims.slice(), g.dtype)],
    'Updates@GRAD': [new Tensor(fromNumbers(du, g.dtype), up.dims.slice(), g.dtype)],
  };
});

// ---- sequence_slice ----------------------------------------------------------------------------
registerKernel('sequence_slice', 'js', (ins) => {
  const x = ins.X[0];
  const { lod, off, len } = slicePlan(x, ins.Offset[0], ins.Length[0], 'sequence_slice');
  const outOff = offsetsOf(len);
  const w = rowW(x.dims);
  const [out, ro] = rawZeros([outOff[outOff.length - 1], ...x.dims.slice(1)], x.dtype);
  const rx = raw(x);
  for (let i = 0; i < len.length; i++) copyRows(ro, outOff[i], rx, lod[i] + off[i], len[i], w);
  return { Out: [withLod(out, [outOff])] };
});

registerKernel('sequence_slice_grad', 'js', (ins) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  const { lod, off, len } = slicePlan(x, ins.Offset[0], ins.Length[0], 'sequence_slice_grad');
  const outOff = offsetsOf(len);
  const w = rowW(x.dims);
  const [dx, rd] = rawZeros(x.dims.slice(), g.dtype);
  const rg = raw(g);
  for (let i = 0; i < len.length; i++) copyRows(rd, lod[i] + off[i], rg, outOff[i], len[i], w);
  return { 'X@GRAD': [dx] };
});

// ---- sequence_softmax --------------------------------------------------------------------------
registerKernel('sequence_softmax', 'js', (ins) => {
  const x = ins.X[0];
  if (!isFloat(x)) return undefined;
  const lod = seqLod(x, 'sequence_softmax', 'X');
  const off = lod[lod.length - 1];
  const [out, o] = floatZeros(x.dims.slice(), x.dtype);
  const xd = x.data as F;
  for (let i = 0; i + 1 < off.length; i++) {
    const s = off[i];
    const e = off[i + 1];
    let m = -Infinity;
    for (let j = s; j < e; j++) if (xd[j] > m) m = xd[j];
    let sum = 0;
    for (let j = s; j < e; j++) sum += Math.exp(xd[j] - m);
    for (let j = s; j < e; j++) o[j] = Math.exp(xd[j] - m) / sum;
  }
  return { Out: [out] };
});

registerKernel('sequence_softmax_grad', 'js', (ins) => {
  const x = ins.X[0];
  const y = ins.Out[0];
  const g = ins['Out@GRAD'][0];
  if (!isFloat(g)) return undefined;
  const lod = seqLod(x, 'sequence_softmax_grad', 'X');
  const off = lod[lod.length - 1];
  const [dx, d] = floatZeros(x.dims.slice(), g.dtype);
  const yd = y.data as F;
  const gd = g.data as F;
  for (let i = 0; i + 1 < off.length; i++) {
    let dot = 0;
    for (let j = off[i]; j < off[i + 1]; j++) dot += gd[j] * yd[j];
    for (let j = off[i]; j < off[i + 1]; j++) d[j] = (gd[j] - dot) * yd[j];
  }
  return { 'X@GRAD': [dx] };
});

// ---- lod_reset ---------------------------------------------------------------------------------
registerKernel('lod_reset', 'js', (ins, attrs) => {
  const op = 'lod_reset';
  const x = ins.X[0];
  const y = ins.Y?.[0];
  const out = new Tensor(x.data.slice(), x.dims.slice(), x.dtype);
  let level0: number[];
  if (y) {
    const yl = lodOf(y);
    if (yl.length) {
      const last = yl[yl.length - 1];
      if (last[last.length - 1] !== x.dims[0])
        fail2(op, `the last offset of Input(Y)'s LoD (${last[last.length - 1]}) should be equal to the first dimension of Input(X) (${x.dims[0]})`, InvalidArgumentError);
      return { Out: [withLod(out, yl.map((l) => l.slice()))] };
    }
    if (y.dtype !== 'int32' && y.dtype !== 'int64') fail2(op, `Input(Y) without LoD gives the target LoD as its data, so it must be int32 or int64, but got ${y.dtype}`, InvalidArgumentError);
    level0 = Array.from(numsOf(y));
  } else level0 = (attrs.target_lod as number[]).slice();
  if (level0.length < 2) fail2(op, `the size of the target LoD should be larger than 1, but received ${level0.length} ([${level0}])`, InvalidArgumentError);
  if (level0[0] !== 0) fail2(op, `the target LoD should begin with 0, but received [${level0}]`, InvalidArgumentError);
  if (level0[level0.length - 1] !== x.dims[0])
    fail2(op, `the last offset of the target LoD ([${level0}]) should be equal to the first dimension of Input(X) (${x.dims[0]})`, InvalidArgumentError);
  for (let i = 1; i < level0.length; i++) if (level0[i] < level0[i - 1]) fail2(op, `the target LoD should be an ascending list, but received [${level0}]`, InvalidArgumentError);
  if (attrs.append) {
    const xl = lodOf(x).map((l) => l.slice());
    if (xl.length) {
      const last = xl[xl.length - 1];
      if (last[last.length - 1] !== level0.length - 1)
        fail2(op, `the appended level [${level0}] has ${level0.length - 1} sequences but the finest level of X's LoD ends at ${last[last.length - 1]}: they must match`, InvalidArgumentError);
    }
    xl.push(level0);
    checkLodShape(xl, x.dims[0], op, 'Out');
    return { Out: [withLod(out, xl)] };
  }
  return { Out: [withLod(out, [level0])] };
});

registerKernel('lod_reset_grad', 'js', (ins) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  return { 'X@GRAD': [new Tensor(g.data.slice(), x.dims.slice(), g.dtype)] };
});

// ---- lod_rank_table / reorder_lod_tensor_by_rank -------------------------------------------------
registerKernel('lod_rank_table', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const lod = seqLod(x, 'lod_rank_table', 'X');
  return { Out: [LoDRankTable.fromLoD(lod, attrs.level as number)] };
});

/** Paddle's absolute table: per top-level sequence of x (or per row without LoD), its rows and sub-LoD lengths. */
function absoluteTable(x: Tensor): { offset: number; length: number; lens: number[][] }[] {
  const lod = lodOf(x);
  if (!lod.length) return Array.from({ length: x.dims[0] }, (_, i) => ({ offset: i, length: 1, lens: [] }));
  const table = [];
  for (let i = 0; i + 1 < lod[0].length; i++) {
    let s = i;
    let e = i + 1;
    const lens: number[][] = [];
    for (const level of lod) {
      const l: number[] = [];
      for (let k = s; k < e; k++) l.push(level[k + 1] - level[k]);
      lens.push(l);
      s = level[s];
      e = level[e];
    }
    table.push({ offset: s, length: e - s, lens });
  }
  return table;
}

function reorder(x: Tensor, order: number[], op: string): Tensor {
  const table = absoluteTable(x);
  const w = rowW(x.dims);
  const [out, ro] = rawZeros(x.dims.slice(), x.dtype);
  const rx = raw(x);
  const levels = lodOf(x).length;
  const outLod: number[][] = Array.from({ length: levels }, () => [0]);
  let at = 0;
  for (const idx of order) {
    const item = table[idx];
    if (!item) fail2(op, `the value of rank_table is out of range: index ${idx} but X has ${table.length} sequences`);
    for (let l = 0; l < levels; l++) for (const n of item.lens[l]) outLod[l].push(outLod[l][outLod[l].length - 1] + n);
    copyRows(ro, at, rx, item.offset, item.length, w);
    at += item.length;
  }
  return withLod(out, outLod);
}

registerKernel('reorder_lod_tensor_by_rank', 'js', (ins) => {
  const op = 'reorder_lod_tensor_by_rank';
  const table = rankTableOf(ins.RankTable[0], op);
  return { Out: [reorder(ins.X[0], table.items().map((it) => it.index), op)] };
});

registerKernel('reorder_lod_tensor_by_rank_grad', 'js', (ins) => {
  const op = 'reorder_lod_tensor_by_rank_grad';
  const items = rankTableOf(ins.RankTable[0], op).items();
  // the i-th sequence of X (reordered) goes back to position items[i].index
  const order = items.map((it, i) => [i, it.index]).sort((a, b) => a[1] - b[1]).map(([i]) => i);
  return { Out: [reorder(ins.X[0], order, op)] };
});

// ---- im2sequence -------------------------------------------------------------------------------
function im2seqGeometry(ins: Slots<Tensor>, attrs: Record<string, any>) {
  const x = ins.X[0];
  const sizes = im2seqSizes(x, ins.Y?.[0], attrs);
  const [C, H, W] = x.dims.slice(1);
  const [kh, kw] = attrs.kernels as number[];
  const [sh, sw] = attrs.strides as number[];
  const p = attrs.paddings as number[];
  return { x, sizes, C, H, W, kh, kw, sh, sw, pu: p[0], pl: p[1] };
}

registerKernel('im2sequence', 'js', (ins, attrs) => {
  const gm = im2seqGeometry(ins, attrs);
  const { x, sizes, C, H, W, kh, kw, sh, sw, pu, pl } = gm;
  if (!isFloat(x)) return undefined;
  const off = offsetsOf(sizes.map(([oh, ow]) => oh * ow));
  const D = C * kh * kw;
  const [out, o] = floatZeros([off[off.length - 1], D], x.dtype);
  const xd = x.data as F;
  for (let n = 0; n < sizes.length; n++) {
    const [oh, ow] = sizes[n];
    const img = n * C * H * W;
    for (let r = 0; r < oh; r++)
      for (let q = 0; q < ow; q++) {
        const ob = (off[n] + r * ow + q) * D;
        for (let ch = 0; ch < C; ch++)
          for (let fr = 0; fr < kh; fr++) {
            const ir = r * sh + fr - pu;
            for (let fc = 0; fc < kw; fc++) {
              const ic = q * sw + fc - pl;
              o[ob + (ch * kh + fr) * kw + fc] = ir < 0 || ir >= H || ic < 0 || ic >= W ? 0 : xd[img + (ch * H + ir) * W + ic];
            }
          }
      }
  }
  return { Out: [withLod(out, [off])] };
});

registerKernel('im2sequence_grad', 'js', (ins, attrs) => {
  const gm = im2seqGeometry(ins, attrs);
  const { x, sizes, C, H, W, kh, kw, sh, sw, pu, pl } = gm;
  const g = ins['Out@GRAD'][0];
  if (!isFloat(g)) return undefined;
  const off = offsetsOf(sizes.map(([oh, ow]) => oh * ow));
  const D = C * kh * kw;
  if (g.dims[0] !== off[off.length - 1] || rowW(g.dims) !== D)
    fail2('im2sequence_grad', `Out@GRAD of shape [${g.dims}] does not match the [${off[off.length - 1]}, ${D}] output of im2sequence`);
  const [dx, d] = floatZeros(x.dims.slice(), g.dtype);
  const gd = g.data as F;
  for (let n = 0; n < sizes.length; n++) {
    const [oh, ow] = sizes[n];
    const img = n * C * H * W;
    for (let r = 0; r < oh; r++)
      for (let q = 0; q < ow; q++) {
        const gb = (off[n] + r * ow + q) * D;
        for (let ch = 0; ch < C; ch++)
          for (let fr = 0; fr < kh; fr++) {
            const ir = r * sh + fr - pu;
            if (ir < 0 || ir >= H) continue;
            for (let fc = 0; fc < kw; fc++) {
              const ic = q * sw + fc - pl;
              if (ic < 0 || ic >= W) continue;
              d[img + (ch * H + ir) * W + ic] += gd[gb + (ch * kh + fr) * kw + fc];
            }
          }
      }
  }
  return { 'X@GRAD': [dx] };
});
