// Portable kernels of `warpctc` and `warpctc_grad` (see src/ops/ctc.ts). The CTC
// forward-backward recursions run in log space over the label extended with blanks; the
// gradient with respect to the logits is softmax - posterior(class) per step, computed with
// the loss in one pass as warp-ctc does. Everything is computed in float64 and stored in the
// logits' dtype.
import { toNumbers } from '../../core/dtype.js';
import { opFail } from '../../ops/util.js';
import { registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';

type Arr = Float32Array | Float64Array;
const alloc = (dtype: string, n: number): Arr => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));

const NEG = -Infinity;
function lse(a: number, b: number): number {
  if (a === NEG) return b;
  if (b === NEG) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

interface Layout {
  N: number;
  C: number;
  Tmax: number;
  /** Input length of each sequence. */
  lens: number[];
  /** Element offset of step t of sequence n in Logits. */
  at: (n: number, t: number) => number;
}

function intsOf(t: Tensor): ArrayLike<number> {
  return toNumbers(t.data, t.dtype);
}

/** Where each sequence's steps are in Logits (padded or LoD), with the lengths checked. */
function layoutOf(logits: Tensor, logitsLength: Tensor | undefined, op: string): Layout {
  if (logitsLength) {
    const [T, N, C] = logits.dims;
    const v = intsOf(logitsLength);
    const lens: number[] = [];
    for (let n = 0; n < N; n++) {
      const l = Number(v[n]);
      if (!(l >= 0 && l <= T)) opFail(op, `input_lengths[${n}] = ${l} is outside [0, ${T}] (max_logit_length)`);
      lens.push(l);
    }
    return { N, C, Tmax: T, lens, at: (n, t) => (t * N + n) * C };
  }
  const lod = logits.lod[0];
  if (!lod || lod.length < 2) opFail(op, 'Input(Logits) Tensor of WarpCTC does not contain LoD information (pass input and label lengths for padded inputs)');
  const rows = logits.dims[0];
  if (lod[lod.length - 1] !== rows) opFail(op, `The first dimension of Input(Logits) should be equal to the sum of all sequences' lengths = ${lod[lod.length - 1]}, but received ${rows}`);
  const C = rows > 0 ? numel(logits.dims) / rows : numel(logits.dims.slice(1));
  const lens: number[] = [];
  for (let n = 0; n + 1 < lod.length; n++) lens.push(lod[n + 1] - lod[n]);
  return { N: lens.length, C, Tmax: Math.max(0, ...lens), lens, at: (n, t) => (lod[n] + t) * C };
}

/**
 * One sequence: writes d loss / d logits for its steps into grad (padded [Tmax, N, C]) and
 * returns the loss -log p(label | logits).
 */
function ctcOne(x: ArrayLike<number>, lay: Layout, n: number, label: number[], blank: number, grad: Arr): number {
  const { C, N } = lay;
  const T = lay.lens[n];
  const S = label.length;
  let repeats = 0;
  for (let i = 1; i < S; i++) if (label[i] === label[i - 1]) repeats++;
  if (T === 0 || S + repeats > T) return 0; // warp-ctc: an impossible alignment gets loss 0 and gradient 0
  // log-softmax of every step
  const lp = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    const o = lay.at(n, t);
    let m = NEG;
    for (let k = 0; k < C; k++) if (x[o + k] > m) m = x[o + k];
    let s = 0;
    for (let k = 0; k < C; k++) s += Math.exp(x[o + k] - m);
    const z = m + Math.log(s);
    for (let k = 0; k < C; k++) lp[t * C + k] = x[o + k] - z;
  }
  const L = 2 * S + 1;
  const ext = new Int32Array(L).fill(blank);
  for (let i = 0; i < S; i++) ext[2 * i + 1] = label[i];
  const skip = new Uint8Array(L); // may jump from s-2 to s
  for (let s = 2; s < L; s++) skip[s] = ext[s] !== blank && ext[s] !== ext[s - 2] ? 1 : 0;
  const alpha = new Float64Array(T * L).fill(NEG);
  const beta = new Float64Array(T * L).fill(NEG);
  alpha[0] = lp[blank];
  if (L > 1) alpha[1] = lp[ext[1]];
  for (let t = 1; t < T; t++) {
    const a0 = (t - 1) * L;
    const a1 = t * L;
    for (let s = 0; s < L; s++) {
      let v = alpha[a0 + s];
      if (s > 0) v = lse(v, alpha[a0 + s - 1]);
      if (skip[s]) v = lse(v, alpha[a0 + s - 2]);
      alpha[a1 + s] = v === NEG ? NEG : v + lp[t * C + ext[s]];
    }
  }
  const last = (T - 1) * L;
  beta[last + L - 1] = lp[(T - 1) * C + ext[L - 1]];
  if (L > 1) beta[last + L - 2] = lp[(T - 1) * C + ext[L - 2]];
  for (let t = T - 2; t >= 0; t--) {
    const b1 = (t + 1) * L;
    const b0 = t * L;
    for (let s = 0; s < L; s++) {
      let v = beta[b1 + s];
      if (s + 1 < L) v = lse(v, beta[b1 + s + 1]);
      if (s + 2 < L && skip[s + 2]) v = lse(v, beta[b1 + s + 2]);
      beta[b0 + s] = v === NEG ? NEG : v + lp[t * C + ext[s]];
    }
  }
  const ll = lse(alpha[last + L - 1], L > 1 ? alpha[last + L - 2] : NEG);
  if (ll === NEG) return 0;
  // gradient: softmax - sum over the label positions of class k of alpha*beta / (p * y)
  const acc = new Float64Array(C);
  for (let t = 0; t < T; t++) {
    acc.fill(NEG);
    for (let s = 0; s < L; s++) {
      const v = alpha[t * L + s] + beta[t * L + s];
      if (v !== NEG) acc[ext[s]] = lse(acc[ext[s]], v);
    }
    const g = (t * N + n) * C;
    for (let k = 0; k < C; k++) {
      const l = lp[t * C + k];
      grad[g + k] = Math.exp(l) - (acc[k] === NEG ? 0 : Math.exp(acc[k] - l - ll));
    }
  }
  return -ll;
}

registerKernel('warpctc', 'js', (ins, attrs) => {
  const op = 'warpctc';
  const logits = ins.Logits[0];
  const dtype = logits.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') return undefined;
  const label = ins.Label[0];
  const lay = layoutOf(logits, ins.LogitsLength?.[0], op);
  const { N, C, Tmax } = lay;
  const blank = Number(attrs.blank);
  if (!(blank >= 0 && blank < C)) opFail(op, `blank must be in [0, ${C}), but got ${blank}`);
  const lab = intsOf(label);
  const labels: number[][] = [];
  if (ins.LogitsLength?.[0]) {
    const S = label.dims[1];
    const ll = intsOf(ins.LabelLength[0]);
    for (let n = 0; n < N; n++) {
      const len = Number(ll[n]);
      if (!(len >= 0 && len <= S)) opFail(op, `label_lengths[${n}] = ${len} is outside [0, ${S}] (max_label_length)`);
      labels.push(Array.from({ length: len }, (_, i) => Number(lab[n * S + i])));
    }
  } else {
    const lod = label.lod[0];
    if (!lod || lod.length < 2) opFail(op, 'Input(Label) Tensor of WarpCTC does not contain LoD information');
    if (lod.length - 1 !== N) opFail(op, `The number of sequences of Input(Logits) should be equal to that of Input(Label) = ${lod.length - 1}, but received ${N}`);
    for (let n = 0; n < N; n++) labels.push(Array.from({ length: lod[n + 1] - lod[n] }, (_, i) => Number(lab[lod[n] + i])));
  }
  for (let n = 0; n < N; n++)
    for (const v of labels[n]) if (!(v >= 0 && v < C)) opFail(op, `label ${v} of sequence ${n} is outside [0, ${C}) (the number of classes)`);
  const x = toNumbers(logits.data, dtype);
  const grad = alloc(dtype, Tmax * N * C);
  const loss = alloc(dtype, N);
  for (let n = 0; n < N; n++) loss[n] = ctcOne(x, lay, n, labels[n], blank, grad);
  return {
    WarpCTCGrad: [new Tensor(grad, [Tmax, N, C], dtype)],
    Loss: [new Tensor(loss, [N, 1], dtype)],
  };
});

registerKernel('warpctc_grad', 'js', (ins, attrs) => {
  const op = 'warpctc_grad';
  const logits = ins.Logits[0];
  const dtype = logits.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') return undefined;
  const g = ins.WarpCTCGrad[0].data as Arr;
  const lg = toNumbers(ins['Loss@GRAD'][0].data, ins['Loss@GRAD'][0].dtype);
  const lay = layoutOf(logits, ins.LogitsLength?.[0], op);
  const { N, C } = lay;
  const norm = !!attrs.norm_by_times;
  const out = alloc(dtype, numel(logits.dims));
  for (let n = 0; n < N; n++) {
    const T = ins.LogitsLength?.[0] ? lay.Tmax : lay.lens[n];
    const scale = lg[n] * (norm && lay.lens[n] > 0 ? 1 / lay.lens[n] : 1);
    for (let t = 0; t < T; t++) {
      const o = lay.at(n, t);
      const p = (t * N + n) * C;
      for (let k = 0; k < C; k++) out[o + k] = g[p + k] * scale;
    }
  }
  return { 'Logits@GRAD': [new Tensor(out, logits.dims.slice(), dtype)] };
});
