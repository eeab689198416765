// Portable kernels of the fluid-only loss and decoding operators (see src/ops/fluid_loss.ts).
// Formulas follow Paddle's CPU kernels; sums accumulate in doubles.
import { apiName } from '../../core/args.js';
import { allocStorage, type DType } from '../../core/dtype.js';
import { fail, InvalidArgumentError, OutOfRangeError } from '../../core/errors.js';
import { defaultGenerator, Generator } from '../../core/random.js';
import { registerKernel, type Kernel, type Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { nums, outNumbers, tensorOf } from './loops.js';
import { raw, rawZeros } from './slice.js';

const F32_64 = ['float32', 'float64'] as const;
const reg = (type: string, k: Kernel, dtypes: readonly string[] = F32_64): void => registerKernel(type, 'js', k, dtypes as never);
const err = (op: string, msg: string, cls = InvalidArgumentError): never => fail(apiName(op), `${msg} (operator ${op})`, cls);
const tolerable = (v: number): number => (v === Infinity ? 1e20 : v === -Infinity ? -1e20 : v);
const INTS = ['int32', 'int64'];

// ---- bpr_loss --------------------------------------------------------------------------------------
function bprRows(x: Tensor): [number, number] {
  const C = x.dims[x.dims.length - 1];
  return [C === 0 ? 0 : numel(x.dims) / C, C];
}
function bprLabel(l: number, C: number): void {
  if (!(l >= 0 && l < C)) err('bpr_loss', `label data ${l} is illegal (labels must be in [0, ${C}))`, OutOfRangeError);
}
reg('bpr_loss', (ins, _a, outs) => {
  const x = ins.X[0];
  const [N, C] = bprRows(x);
  const v = nums(x);
  const lb = nums(ins.Label[0]);
  const y = outNumbers(x.dtype, outs.Y[0].dims);
  for (let i = 0; i < N; i++) {
    const l = lb[i];
    bprLabel(l, C);
    const pos = v[i * C + l];
    let s = 0;
    for (let j = 0; j < C; j++) {
      if (j === l) continue;
      s += tolerable(-Math.log(1 + tolerable(Math.exp(v[i * C + j] - pos))));
    }
    y[i] = -s / (C - 1);
  }
  return { Y: [tensorOf(y, outs.Y[0].dims.slice(), x.dtype)] };
});
reg('bpr_loss_grad', (ins) => {
  const x = ins.X[0];
  const [N, C] = bprRows(x);
  const v = nums(x);
  const lb = nums(ins.Label[0]);
  const dy = nums(ins['Y@GRAD'][0]);
  const dx = outNumbers(x.dtype, x.dims);
  for (let i = 0; i < N; i++) {
    const l = lb[i];
    bprLabel(l, C);
    const p = i * C + l;
    for (let j = 0; j < C; j++) {
      if (j === l) continue;
      const g = -dy[i] / ((C - 1) * (1 + tolerable(Math.exp(v[p] - v[i * C + j]))));
      dx[p] += g;
      dx[i * C + j] -= g;
    }
  }
  return { 'X@GRAD': [tensorOf(dx, x.dims.slice(), x.dtype)] };
});

// ---- center_loss --------------------------------------------------------------------------------------
reg('center_loss', (ins, attrs) => {
  const x = ins.X[0];
  const [N, D] = x.dims;
  const v = nums(x);
  const lb = nums(ins.Label[0]);
  const ct = ins.Centers[0];
  const cv = nums(ct);
  const alpha = nums(ins.CenterUpdateRate[0])[0];
  const K = attrs.cluster_num as number;
  const diff = outNumbers(x.dtype, x.dims);
  const loss = outNumbers(x.dtype, [N, 1]);
  const acc = new Float64Array(K * D);
  const count = new Int32Array(K).fill(1);
  for (let i = 0; i < N; i++) {
    const l = lb[i];
    if (!(l >= 0 && l < K && l < ct.dims[0])) err('center_loss', `label ${l} is out of range [0, ${Math.min(K, ct.dims[0])})`, OutOfRangeError);
    count[l]++;
    let s = 0;
    for (let d = 0; d < D; d++) {
      const e = v[i * D + d] - cv[l * D + d];
      diff[i * D + d] = e;
      acc[l * D + d] += e;
      s += e * e;
    }
    loss[i] = s / 2;
  }
  const co = outNumbers(ct.dtype, ct.dims);
  co.set(cv);
  if (attrs.need_update)
    for (let k = 0; k < K; k++) {
      const sc = alpha / count[k];
      for (let d = 0; d < D; d++) co[k * D + d] += acc[k * D + d] * sc;
    }
  return {
    SampleCenterDiff: [tensorOf(diff, x.dims.slice(), x.dtype)],
    Loss: [tensorOf(loss, [N, 1], x.dtype)],
    CentersOut: [tensorOf(co, ct.dims.slice(), ct.dtype)],
  };
});

// ---- rank_loss ----------------------------------------------------------------------------------------
reg('rank_loss', (ins, _a, outs) => {
  const l = nums(ins.Label[0]);
  const a = nums(ins.Left[0]);
  const b = nums(ins.Right[0]);
  const m = outs.Out[0];
  const o = outNumbers(m.dtype, m.dims);
  for (let i = 0; i < o.length; i++) {
    const d = a[i] - b[i];
    // log(1 + e^d), computed without overflow
    const sp = d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d));
    o[i] = sp - l[i] * d;
  }
  return { Out: [tensorOf(o, m.dims.slice(), m.dtype)] };
});

// ---- teacher_student_sigmoid_loss --------------------------------------------------------------------------
reg('teacher_student_sigmoid_loss', (ins) => {
  const x = ins.X[0];
  const v = nums(x);
  const l = nums(ins.Label[0]);
  const N = x.dims[0];
  const y = outNumbers(x.dtype, [N, 1]);
  for (let i = 0; i < N; i++) {
    const xi = v[i];
    const pos = xi > 0 ? xi : 0;
    const lg = Math.log(1 + Math.exp(-Math.abs(xi)));
    const li = l[i];
    if (li < -1) y[i] = pos + lg;
    else if (li < 0) y[i] = pos - xi + lg;
    else if (li < 1) y[i] = pos + lg + pos - xi * li + lg;
    else y[i] = pos - xi + lg + pos - xi * (li - 1) + lg;
  }
  return { Y: [tensorOf(y, [N, 1], x.dtype)] };
});
reg('teacher_student_sigmoid_loss_grad', (ins, attrs) => {
  const x = ins.X[0];
  const v = nums(x);
  const l = nums(ins.Label[0]);
  const dy = nums(ins['Y@GRAD'][0]);
  const up = attrs.soft_max_up_bound as number;
  const lo = attrs.soft_max_lower_bound as number;
  const N = x.dims[0];
  const dx = outNumbers(x.dtype, x.dims);
  for (let i = 0; i < N; i++) {
    let s = v[i];
    if (s > up) s = up;
    else if (s < lo) s = lo;
    const pred = 1 / (1 + Math.exp(-s));
    let g: number;
    if (l[i] < -1) g = -pred;
    else if (l[i] < 0) g = 1 - pred;
    else g = l[i] - 2 * pred;
    if (s >= up || s <= lo) g = 0;
    dx[i] = -g * dy[i];
  }
  return { 'X@GRAD': [tensorOf(dx, x.dims.slice(), x.dtype)] };
});

// ---- sample_logits ------------------------------------------------------------------------------------------
reg('sample_logits', (ins, attrs, outs) => {
  const op = 'sample_logits';
  const lg = ins.Logits[0];
  const lb = ins.Labels[0];
  const [B, C] = lg.dims;
  const T = lb.dims[1];
  const ns = attrs.num_samples as number;
  const K = T + ns;
  const labels = nums(lb);
  let samples: Float64Array;
  let probs: Float64Array;
  if (attrs.use_customized_samples) {
    samples = Float64Array.from(nums(ins.CustomizedSamples[0]));
    probs = Float64Array.from(nums(ins.CustomizedProbabilities[0]));
    if (samples.length !== B * K || probs.length !== B * K) err(op, `CustomizedSamples and CustomizedProbabilities must have shape [${B}, ${K}]`);
  } else {
    samples = new Float64Array(B * K);
    probs = new Float64Array(B * K);
    const logRange = Math.log(C + 1);
    const probability = (v: number): number => Math.log((v + 2) / (v + 1)) / logRange;
    const seed = attrs.seed as number;
    const gen = seed !== 0 ? new Generator(seed >>> 0) : defaultGenerator;
    for (let j = 0; j < T; j++)
      for (let i = 0; i < B; i++) {
        const v = labels[i * T + j];
        if (!(v >= 0 && v < C)) err(op, `label ${v} is out of range [0, ${C})`, OutOfRangeError);
        samples[i * K + j] = v;
        probs[i * K + j] = probability(v);
      }
    // num_samples distinct classes from the log-uniform distribution, shared by the batch
    const seen = new Set<number>();
    let tries = 0;
    for (let j = T; j < K; ) {
      tries++;
      const v = (Math.floor(Math.exp(gen.random() * logRange)) - 1) % C;
      if (seen.has(v)) continue;
      seen.add(v);
      const pv = probability(v);
      for (let i = 0; i < B; i++) {
        samples[i * K + j] = v;
        probs[i * K + j] = pv;
      }
      j++;
    }
    // Q(y|x) of sampling without replacement
    for (let k = 0; k < B * K; k++) probs[k] = ns === tries ? probs[k] * ns : -Math.expm1(tries * Math.log1p(-probs[k]));
  }
  const lv = nums(lg);
  const sl = new Float64Array(B * K);
  for (let i = 0; i < B; i++) {
    for (let k = 0; k < K; k++) {
      const s = samples[i * K + k];
      if (!(s >= 0 && s < C)) err(op, `sample ${s} is out of range [0, ${C})`, OutOfRangeError);
      sl[i * K + k] = lv[i * C + s];
    }
    if (attrs.remove_accidental_hits) {
      const trues = new Set<number>();
      for (let k = 0; k < T; k++) trues.add(samples[i * K + k]);
      for (let k = T; k < K; k++) if (trues.has(samples[i * K + k])) sl[i * K + k] -= 1e20;
    }
  }
  for (let k = 0; k < B * K; k++) sl[k] = tolerable(sl[k] - tolerable(Math.log(probs[k])));
  const sampledLabels = new BigInt64Array(B * T);
  for (let i = 0; i < B; i++) for (let j = 0; j < T; j++) sampledLabels[i * T + j] = BigInt(j);
  const d = lg.dtype as DType;
  return {
    Samples: [new Tensor(BigInt64Array.from(samples, (v) => BigInt(v)), [B, K], 'int64')],
    Probabilities: [tensorOf(probs, [B, K], d)],
    SampledLogits: [tensorOf(sl, [B, K], d)],
    SampledLabels: [new Tensor(sampledLabels, [B, T], 'int64')],
    LogitsDim: [new Tensor(allocStorage(d, 0), outs.LogitsDim[0].dims.slice(), d)],
    LabelsDim: [new Tensor(allocStorage(d, 0), outs.LabelsDim[0].dims.slice(), d)],
  };
});
reg('sample_logits_grad', (ins, _a, outs) => {
  const g = ins['SampledLogits@GRAD'][0];
  const s = nums(ins.Samples[0]);
  const dims = outs['Logits@GRAD'][0].dims.slice();
  const [B, C] = dims;
  const K = g.dims[1];
  const gv = nums(g);
  const dx = outNumbers(g.dtype, dims);
  for (let i = 0; i < B; i++) for (let k = 0; k < K; k++) dx[i * C + s[i * K + k]] = gv[i * K + k];
  return { 'Logits@GRAD': [tensorOf(dx, dims, g.dtype)] };
});

// ---- edit_distance / sequence_erase ----------------------------------------------------------------------------
/** Sequence offsets from lengths or from LoD level 0. */
function spans(t: Tensor, len: Tensor | undefined, op: string, what: string): [number, number][] {
  if (len) {
    const l = nums(len);
    const w = t.dims[1];
    return Array.from(l, (n, i) => [i * w, n] as [number, number]);
  }
  const lod = t.lod[0];
  if (!lod) return err(op, `${what} needs one level of LoD (sequence offsets), or pass the lengths`);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < lod.length; i++) out.push([lod[i], lod[i + 1] - lod[i]]);
  return out;
}
reg(
  'edit_distance',
  (ins, attrs) => {
    const op = 'edit_distance';
    const h = ins.Hyps[0];
    const r = ins.Refs[0];
    const hs = spans(h, ins.HypsLength?.[0], op, 'Hyps');
    const rs = spans(r, ins.RefsLength?.[0], op, 'Refs');
    if (hs.length !== rs.length) err(op, `Hyps holds ${hs.length} sequences but Refs holds ${rs.length}`);
    const hv = nums(h);
    const rv = nums(r);
    const n = hs.length;
    const out = new Float32Array(n);
    for (let s = 0; s < n; s++) {
      const [ho, m] = hs[s];
      const [ro, k] = rs[s];
      if (attrs.normalized && k === 0) err(op, `The reference string (#${s}) cannot be empty when Attr(normalized) is enabled.`);
      let dist: number;
      if (m === 0) dist = k;
      else if (k === 0) dist = m;
      else {
        let prev = new Float64Array(k + 1);
        let cur = new Float64Array(k + 1);
        for (let j = 0; j <= k; j++) prev[j] = j;
        for (let i = 1; i <= m; i++) {
          cur[0] = i;
          for (let j = 1; j <= k; j++) {
            const cost = hv[ho + i - 1] === rv[ro + j - 1] ? 0 : 1;
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
          }
          [prev, cur] = [cur, prev];
        }
        dist = prev[k];
      }
      out[s] = attrs.normalized ? dist / k : dist;
    }
    return { Out: [new Tensor(out, [n, 1], 'float32')], SequenceNum: [new Tensor(BigInt64Array.of(BigInt(n)), [1], 'int64')] };
  },
  INTS,
);
reg(
  'sequence_erase',
  (ins, attrs) => {
    const op = 'sequence_erase';
    const x = ins.X[0];
    const lod = x.lod;
    if (!lod.length) err(op, 'Input(X) Tensor of SequenceEraseOp does not contain LoD information.');
    const last = lod[lod.length - 1];
    const n = numel(x.dims);
    if (last[last.length - 1] !== n) err(op, `The actual input size ${n} mismatches with the LoD information size ${last[last.length - 1]}.`);
    const tokens = new Set(attrs.tokens as number[]);
    const v = nums(x);
    const keep: number[] = [];
    const outLast = [0];
    for (let s = 0; s + 1 < last.length; s++) {
      for (let i = last[s]; i < last[s + 1]; i++) if (!tokens.has(v[i])) keep.push(i);
      outLast.push(keep.length);
    }
    const rx = raw(x);
    const [out, ro] = rawZeros([keep.length, 1], x.dtype);
    keep.forEach((i, j) => {
      for (let t = 0; t < rx.w; t++) ro.a[j * rx.w + t] = rx.a[i * rx.w + t];
    });
    out.lod = [...lod.slice(0, -1).map((l) => l.slice()), outLast];
    return { Out: [out] };
  },
  INTS,
);

// ---- ctc_align ----------------------------------------------------------------------------------------------------
reg(
  'ctc_align',
  (ins, attrs): Slots<Tensor> => {
    const op = 'ctc_align';
    const x = ins.Input[0];
    const v = nums(x);
    const blank = attrs.blank as number;
    const merge = !!attrs.merge_repeated;
    const len = ins.InputLength?.[0];
    if (!x.lod.length) {
      if (!len) return err(op, 'a padded Input needs InputLength (or give Input one level of LoD)');
      const [B, Tm] = x.dims;
      const lv = nums(len);
      const o = outNumbers(x.dtype, x.dims);
      const ol = outNumbers(x.dtype, [B, 1]);
      for (let b = 0; b < B; b++) {
        let prev = -1;
        let k = 0;
        for (let i = 0; i < lv[b]; i++) {
          const t = v[b * Tm + i];
          if (t !== blank && !(merge && t === prev)) o[b * Tm + k++] = t;
          prev = t;
        }
        ol[b] = k;
        for (let j = k; j < Tm; j++) o[b * Tm + j] = attrs.padding_value as number;
      }
      return { Output: [tensorOf(o, x.dims.slice(), x.dtype)], OutputLength: [tensorOf(ol, [B, 1], x.dtype)] };
    }
    const lod = x.lod[0];
    if (x.dims[0] !== lod[lod.length - 1])
      err(op, `The first dimension ${x.dims[0]} of CTCAlign operator Input(Input) should be equal to the sum of all sequences' lengths ${lod[lod.length - 1]}.`);
    const res: number[] = [];
    const outLod = [0];
    for (let s = 0; s + 1 < lod.length; s++) {
      let prev = -1;
      for (let i = lod[s]; i < lod[s + 1]; i++) {
        const t = v[i];
        if (t !== blank && !(merge && t === prev)) res.push(t);
        prev = t;
      }
      outLod.push(res.length);
    }
    const out = res.length === 0 ? tensorOf(Float64Array.of(-1), [1, 1], x.dtype) : tensorOf(Float64Array.from(res), [res.length, 1], x.dtype);
    out.lod = [outLod];
    return { Output: [out] };
  },
  INTS,
);

// ---- linear_chain_crf ------------------------------------------------------------------------------------------------
/** The sequences of a crf call: [start row, length] in the [rows, tags] view. */
function crfSeqs(op: string, emission: Tensor, label: Tensor, length: Tensor | undefined): [number, number][] {
  if (length) {
    const l = nums(length);
    if (l.length !== emission.dims[0]) err(op, `the size of Input(length) must be equal to emission_dims[0]. But input_size = ${l.length}, emission_dims[0] = ${emission.dims[0]}.`);
    const T = emission.dims[1];
    return Array.from(l, (n, i) => {
      if (!(n >= 0 && n <= T)) err(op, `Length[${i}] = ${n} is outside [0, ${T}]`, OutOfRangeError);
      return [i * T, n] as [number, number];
    });
  }
  const lod = label.lod[0] ?? emission.lod[0];
  if (!lod) return err(op, 'Input(Label) must be a sequence (one level of LoD), or pass Length');
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < lod.length; i++) out.push([lod[i], lod[i + 1] - lod[i]]);
  return out;
}
const normalizeL1 = (a: Float64Array, off: number, n: number): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[off + i];
  for (let i = 0; i < n; i++) a[off + i] /= s;
  return s;
};
reg('linear_chain_crf', (ins) => {
  const op = 'linear_chain_crf';
  const em = ins.Emission[0];
  const tr = ins.Transition[0];
  const label = ins.Label[0];
  const D = em.dims[em.dims.length - 1];
  const rows = numel(em.dims) / D;
  const x = nums(em);
  const w = nums(tr);
  const lb = nums(label);
  const seqs = crfSeqs(op, em, label, ins.Length?.[0]);
  const padded = !!ins.Length?.[0];
  const rowMax = new Float64Array(rows);
  const xe = new Float64Array(rows * D);
  const alpha = new Float64Array(rows * D);
  const we = Float64Array.from(w, Math.exp);
  const used = new Uint8Array(rows);
  for (const [s, n] of seqs) for (let r = s; r < s + n; r++) used[r] = 1;
  for (let r = 0; r < rows; r++) {
    if (padded && !used[r]) continue;
    let m = -Infinity;
    for (let j = 0; j < D; j++) m = Math.max(m, x[r * D + j]);
    rowMax[r] = m;
    for (let j = 0; j < D; j++) xe[r * D + j] = Math.exp(x[r * D + j] - m);
  }
  const ll = new Float64Array(seqs.length);
  seqs.forEach(([s, n], q) => {
    if (n === 0) return;
    for (let k = 0; k < n; k++) {
      const t = lb[s + k];
      if (!(t >= 0 && t < D)) err(op, 'An invalid tag label that execesses the largest tag number.', OutOfRangeError);
    }
    for (let i = 0; i < D; i++) alpha[s * D + i] = we[i] * xe[s * D + i];
    let v = -rowMax[s] - Math.log(normalizeL1(alpha, s * D, D));
    for (let k = 1; k < n; k++) {
      const r = s + k;
      for (let i = 0; i < D; i++) {
        let sum = 0;
        for (let j = 0; j < D; j++) sum += alpha[(r - 1) * D + j] * we[(j + 2) * D + i];
        alpha[r * D + i] = xe[r * D + i] * sum;
      }
      v -= rowMax[r] + Math.log(normalizeL1(alpha, r * D, D));
    }
    let sum = 0;
    for (let i = 0; i < D; i++) sum += alpha[(s + n - 1) * D + i] * we[D + i];
    v -= Math.log(sum);
    const l0 = lb[s];
    v += w[l0] + x[s * D + l0] + w[D + lb[s + n - 1]];
    for (let k = 1; k < n; k++) v += x[(s + k) * D + lb[s + k]] + w[(lb[s + k - 1] + 2) * D + lb[s + k]];
    ll[q] = -v;
  });
  const d = em.dtype;
  return {
    Alpha: [tensorOf(alpha, em.dims.slice(), d)],
    EmissionExps: [tensorOf(xe, em.dims.slice(), d)],
    TransitionExps: [tensorOf(we, tr.dims.slice(), d)],
    LogLikelihood: [tensorOf(ll, [seqs.length, 1], d)],
  };
});
reg('linear_chain_crf_grad', (ins) => {
  const op = 'linear_chain_crf_grad';
  const xeT = ins.EmissionExps[0];
  const weT = ins.TransitionExps[0];
  const D = xeT.dims[xeT.dims.length - 1];
  const xe = nums(xeT);
  const we = nums(weT);
  const alpha = nums(ins.Alpha[0]);
  const lb = nums(ins.Label[0]);
  const g = nums(ins['LogLikelihood@GRAD'][0]);
  const seqs = crfSeqs(op, xeT, ins.Label[0], ins.Length?.[0]);
  const dx = new Float64Array(xe.length);
  const dw = new Float64Array(we.length);
  seqs.forEach(([s, n], q) => {
    if (n === 0) return;
    const gq = g[q];
    const beta = new Float64Array(n * D);
    for (let i = 0; i < D; i++) beta[(n - 1) * D + i] = we[D + i];
    normalizeL1(beta, (n - 1) * D, D);
    for (let k = n - 2; k >= 0; k--) {
      for (let i = 0; i < D; i++) {
        let sum = 0;
        for (let j = 0; j < D; j++) sum += we[(i + 2) * D + j] * xe[(s + k + 1) * D + j] * beta[(k + 1) * D + j];
        beta[k * D + i] = sum;
      }
      normalizeL1(beta, k * D, D);
    }
    // emission gradient: marginals - one-hot(label), scaled by dLL
    for (let k = 0; k < n; k++) {
      let rs = 0;
      for (let i = 0; i < D; i++) rs += alpha[(s + k) * D + i] * beta[k * D + i];
      for (let i = 0; i < D; i++) dx[(s + k) * D + i] = ((alpha[(s + k) * D + i] * beta[k * D + i]) / rs) * gq;
      dx[(s + k) * D + lb[s + k]] -= gq;
    }
    for (let i = 0; i < D; i++) {
      dw[i] += dx[s * D + i];
      dw[D + i] += dx[(s + n - 1) * D + i];
    }
    // pairwise marginals for the transitions between tags
    const tmp = new Float64Array(n * D);
    for (let k = 0; k < n; k++) {
      let rs = 0;
      for (let i = 0; i < D; i++) rs += beta[k * D + i] * xe[(s + k) * D + i];
      for (let i = 0; i < D; i++) tmp[k * D + i] = (beta[k * D + i] * xe[(s + k) * D + i]) / rs;
    }
    for (let k = 1; k < n; k++) {
      let sum = 0;
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) sum += we[(i + 2) * D + j] * alpha[(s + k - 1) * D + i] * tmp[k * D + j];
      sum = 1 / sum;
      for (let i = 0; i < D; i++)
        for (let j = 0; j < D; j++) dw[(i + 2) * D + j] += sum * we[(i + 2) * D + j] * alpha[(s + k - 1) * D + i] * tmp[k * D + j] * gq;
      dw[(lb[s + k - 1] + 2) * D + lb[s + k]] -= gq;
    }
  });
  const d = xeT.dtype;
  return { 'Emission@GRAD': [tensorOf(dx, xeT.dims.slice(), d)], 'Transition@GRAD': [tensorOf(dw, weT.dims.slice(), d)] };
});
