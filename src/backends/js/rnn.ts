// Portable kernels of `rnn` and `rnn_grad` (see src/ops/rnn.ts for the slots and the Reserve
// layout). Per layer and direction the input projection x W_ih^T + biases is one GEMM over
// all time steps; each step then does one GEMM h W_hh^T and a fused loop over the gates.
// The gradient runs the steps backwards with one GEMM per step (dGates W_hh), and gets the
// weight gradients and the input gradient with one GEMM each over all steps.
// States, outputs and Reserve are stored in the input's dtype (float32 rounds there); the
// GEMMs accumulate in float64.
import { toNumbers } from '../../core/dtype.js';
import { defaultGenerator, Generator } from '../../core/random.js';
import { opFail } from '../../ops/util.js';
import { registerKernel, type Attrs, type Slots } from '../../core/registry.js';
import { Tensor } from '../../core/tensor.js';
import { rnnConfig, reserveRows, type RnnConfig } from '../../ops/rnn.js';
import { gemm } from './matmul.js';

type Arr = Float32Array | Float64Array;

/** Scratch buffers, grown on demand and reused between calls. */
const scratch = new Map<string, Float64Array>();
function buf(key: string, n: number): Float64Array {
  let b = scratch.get(key);
  if (!b || b.length < n) {
    b = new Float64Array(Math.max(n, 16));
    scratch.set(key, b);
  }
  return b;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

interface Dims {
  T: number;
  N: number;
  H: number;
  G: number;
  L: number;
  D: number;
  /** Elements of one [T, N, H] block. */
  tnh: number;
}

/** Offsets of the parts of Reserve. */
function layout(cfg: RnnConfig, dm: Dims): { gate: (l: number, d: number) => number; cell: (l: number, d: number) => number; act: (l: number, d: number) => number; hidden: (l: number) => number } {
  const { L, D, G, tnh } = dm;
  const gateEnd = L * D * G * tnh;
  const cellEnd = gateEnd + (cfg.mode === 'LSTM' || cfg.mode === 'GRU' ? L * D * tnh : 0);
  const actEnd = cellEnd + (cfg.mode === 'LSTM' ? L * D * tnh : 0);
  return {
    gate: (l, d) => (l * D + d) * G * tnh,
    cell: (l, d) => gateEnd + (l * D + d) * tnh,
    act: (l, d) => cellEnd + (l * D + d) * tnh,
    hidden: (l) => actEnd + l * D * tnh,
  };
}

/** Sequence lengths as numbers, checked against T; null without SequenceLength. */
function lengths(t: Tensor | undefined, T: number, N: number, op: string): Int32Array | null {
  if (!t) return null;
  const v = toNumbers(t.data, t.dtype);
  const out = new Int32Array(N);
  for (let b = 0; b < N; b++) {
    const n = v[b];
    if (!(n >= 0 && n <= T)) opFail(op, `SequenceLength[${b}] = ${n} is outside [0, ${T}] (the number of time steps)`);
    out[b] = n;
  }
  return out;
}

const alloc = (dtype: string, n: number): Arr => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));
const data = (t: Tensor): Arr => t.data as Arr;

/** What rnn and rnn_grad read first: the checked attributes, the sizes, the inputs they share. */
interface Setup {
  cfg: RnnConfig;
  x: Tensor;
  dtype: 'float32' | 'float64';
  dm: Dims;
  lens: Int32Array | null;
  ws: Arr[];
  lay: ReturnType<typeof layout>;
  /** Elements of one layer's output, [T, N, D*H]. */
  outSize: number;
  /** Layer l's output as kept in Reserve. */
  hidden: (reserve: Arr, l: number) => Arr;
}
/** The Setup of a call, or undefined unless Input is float32 or float64. */
function setup(ins: Slots<Tensor>, attrs: Attrs, op: string): Setup | undefined {
  const cfg = rnnConfig(attrs, op);
  const x = ins.Input[0];
  const dtype = x.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') return undefined;
  const [T, N] = x.dims;
  const H = cfg.hidden;
  const dm: Dims = { T, N, H, G: cfg.gates, L: cfg.layers, D: cfg.dirs, tnh: T * N * H };
  const lens = lengths(ins.SequenceLength?.[0], T, N, op);
  const lay = layout(cfg, dm);
  const outSize = T * N * cfg.dirs * H;
  const hidden = (reserve: Arr, l: number): Arr => reserve.subarray(lay.hidden(l), lay.hidden(l) + outSize) as Arr;
  return { cfg, x, dtype, dm, lens, ws: ins.WeightList.map(data), lay, outSize, hidden };
}

/** The input of layer l: the layer below's outputs, through the dropout mask when training. */
function layerInput(cfg: RnnConfig, hidden: Arr, mask: Uint8Array, n: number, dtype: string): Arr {
  if (cfg.isTest || cfg.dropout === 0) return hidden;
  const out = alloc(dtype, n);
  if (cfg.dropout === 1) return out;
  const k = 1 / (1 - cfg.dropout);
  for (let i = 0; i < n; i++) out[i] = mask[i] ? hidden[i] * k : 0;
  return out;
}

registerKernel('rnn', 'js', (ins, attrs) => {
  const st = setup(ins, attrs, 'rnn');
  if (!st) return undefined;
  const { cfg, x, dtype, dm, lens, ws, lay, outSize, hidden } = st;
  const { T, N, H, L, D } = dm;
  const reserve = alloc(dtype, reserveRows(cfg) * D * dm.tnh);
  const out = alloc(dtype, outSize);
  const mask = new Uint8Array(outSize);
  let maskDrawn = false;
  const h0 = data(ins.PreState[0]);
  const c0 = cfg.mode === 'LSTM' ? data(ins.PreState[1]) : null;
  const hT = alloc(dtype, L * D * N * H);
  const cT = cfg.mode === 'LSTM' ? alloc(dtype, L * D * N * H) : null;
  let input: Arr = data(x);
  let inSize = cfg.inputSize;
  for (let l = 0; l < L; l++) {
    if (l > 0) {
      const below = hidden(reserve, l - 1);
      if (!cfg.isTest && cfg.dropout > 0 && !maskDrawn) {
        maskDrawn = true;
        // attribute seed 0: paddle.seed's generator; otherwise a generator of that seed (Paddle's GetCPURandomEngine)
        const gen = Number(attrs.seed) ? new Generator(Number(attrs.seed) >>> 0) : defaultGenerator;
        if (cfg.dropout < 1) for (let i = 0; i < outSize; i++) mask[i] = gen.random() < cfg.dropout ? 0 : 1;
      }
      input = layerInput(cfg, below, mask, outSize, dtype);
      inSize = D * H;
    }
    const target = l === L - 1 ? out : hidden(reserve, l);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      forwardDirection(cfg, dm, d, input, inSize, ws[2 * k], ws[2 * k + 1], ws[2 * L * D + 2 * k], ws[2 * L * D + 2 * k + 1],
        h0, c0, k * N * H, lens, target, reserve, lay.gate(l, d), lay.cell(l, d), lay.act(l, d), hT, cT);
    }
  }
  if (!maskDrawn) mask.fill(1);
  const res: Slots<Tensor> = {
    DropoutState: [new Tensor(mask, [T, N, D * H], 'uint8')],
    Reserve: [new Tensor(reserve, [reserveRows(cfg), D * dm.tnh], dtype)],
    Out: [new Tensor(out, [T, N, D * H], dtype)],
    State: [new Tensor(hT, ins.PreState[0].dims.slice(), dtype)],
  };
  if (cT) res.State.push(new Tensor(cT, ins.PreState[1].dims.slice(), dtype));
  return res;
});

/** One direction of one layer, forward. States end in hT/cT at `sOff`. */
function forwardDirection(
  cfg: RnnConfig, dm: Dims, d: number, xin: Arr, In: number,
  wih: Arr, whh: Arr, bih: Arr, bhh: Arr,
  h0: Arr, c0: Arr | null, sOff: number, lens: Int32Array | null,
  out: Arr, reserve: Arr, gOff: number, cOff: number, aOff: number,
  hT: Arr, cT: Arr | null,
): void {
  const { T, N, H, G, D } = dm;
  const GH = G * H;
  const NH = N * H;
  const DH = D * H;
  const isGru = cfg.mode === 'GRU';
  // input projection for every step: xp[t*N + b, :] = x W_ih^T + b_ih (+ b_hh but for GRU's candidate)
  const xp = buf('xp', T * N * GH);
  gemm(T * N, GH, In, xin, 0, In, 1, wih, 0, 1, In, xp, 0, GH);
  const bsum = buf('bsum', GH);
  for (let j = 0; j < GH; j++) bsum[j] = bih[j] + (isGru && j >= 2 * H ? 0 : bhh[j]);
  for (let r = 0, p = 0; r < T * N; r++) for (let j = 0; j < GH; j++, p++) xp[p] += bsum[j];
  const hp = buf('hp', N * GH);
  // W_hh^T [H, GH] once, so each step's GEMM reads contiguous rows
  const whhT = buf('whhT', H * GH);
  for (let j = 0; j < GH; j++) for (let k = 0; k < H; k++) whhT[k * GH + j] = whh[j * H + k];
  // the running state, updated in place (hT/cT hold it)
  const h = hT;
  const cc = cT;
  for (let i = 0; i < NH; i++) h[sOff + i] = h0[sOff + i];
  if (cc && c0) for (let i = 0; i < NH; i++) cc[sOff + i] = c0[sOff + i];
  const lstm = cfg.mode === 'LSTM';
  const relu = cfg.mode === 'RNN_RELU';
  for (let s = 0; s < T; s++) {
    const t = d === 0 ? s : T - 1 - s;
    gemm(N, GH, H, h, sOff, H, 1, whhT, 0, GH, 1, hp, 0, GH);
    for (let b = 0; b < N; b++) {
      const valid = !lens || t < lens[b];
      const xo = (t * N + b) * GH;
      const po = b * GH;
      const so = sOff + b * H;
      const go = gOff + (t * N + b) * GH;
      const oo = (t * N + b) * DH + d * H;
      const co = (t * N + b) * H;
      if (lstm) {
        for (let k = 0; k < H; k++) {
          const ig = sigmoid(xp[xo + k] + hp[po + k]);
          const fg = sigmoid(xp[xo + H + k] + hp[po + H + k]);
          const gg = Math.tanh(xp[xo + 2 * H + k] + hp[po + 2 * H + k]);
          const og = sigmoid(xp[xo + 3 * H + k] + hp[po + 3 * H + k]);
          const cprev = cc![so + k];
          const cn = fg * cprev + ig * gg;
          const tc = Math.tanh(cn);
          const hn = og * tc;
          reserve[go + k] = ig;
          reserve[go + H + k] = fg;
          reserve[go + 2 * H + k] = gg;
          reserve[go + 3 * H + k] = og;
          reserve[aOff + co + k] = tc;
          if (valid) {
            cc![so + k] = cn;
            h[so + k] = hn;
            out[oo + k] = hn;
          } else out[oo + k] = 0;
          reserve[cOff + co + k] = cc![so + k];
        }
      } else if (isGru) {
        for (let k = 0; k < H; k++) {
          const r = sigmoid(xp[xo + k] + hp[po + k]);
          const z = sigmoid(xp[xo + H + k] + hp[po + H + k]);
          const hc = hp[po + 2 * H + k] + bhh[2 * H + k];
          const cand = Math.tanh(xp[xo + 2 * H + k] + r * hc);
          const hprev = h[so + k];
          const hn = (hprev - cand) * z + cand;
          reserve[go + k] = r;
          reserve[go + H + k] = z;
          reserve[go + 2 * H + k] = cand;
          reserve[cOff + co + k] = hc;
          if (valid) {
            h[so + k] = hn;
            out[oo + k] = hn;
          } else out[oo + k] = 0;
        }
      } else {
        for (let k = 0; k < H; k++) {
          const pre = xp[xo + k] + hp[po + k];
          const hn = relu ? (pre > 0 ? pre : 0) : Math.tanh(pre);
          reserve[go + k] = hn;
          if (valid) {
            h[so + k] = hn;
            out[oo + k] = hn;
          } else out[oo + k] = 0;
        }
      }
    }
  }
}

registerKernel('rnn_grad', 'js', (ins, attrs) => {
  const st = setup(ins, attrs, 'rnn_grad');
  if (!st) return undefined;
  const { cfg, x, dtype, dm, lens, ws, lay, outSize, hidden } = st;
  const { T, N, H, L, D } = dm;
  const reserve = data(ins.Reserve[0]);
  const outAll = data(ins.Out[0]);
  const mask = (ins.DropoutState?.[0]?.data as Uint8Array | undefined) ?? new Uint8Array(outSize).fill(1);
  const h0 = data(ins.PreState[0]);
  const c0 = cfg.mode === 'LSTM' ? data(ins.PreState[1]) : null;
  const dState = ins['State@GRAD'].map(data);
  const dPre = ins.PreState.map(() => alloc(dtype, L * D * N * H));
  const dW = ins.WeightList.map((w) => alloc(dtype, w.data.length));
  let dOut: Arr = data(ins['Out@GRAD'][0]);
  let dInput: Arr | null = null;
  const dropScale = cfg.isTest || cfg.dropout === 0 ? 0 : cfg.dropout === 1 ? -1 : 1 / (1 - cfg.dropout);
  for (let l = L - 1; l >= 0; l--) {
    const inSize = l === 0 ? cfg.inputSize : D * H;
    const xin: Arr = l === 0 ? data(x) : layerInput(cfg, hidden(reserve, l - 1), mask, outSize, dtype);
    const hseq: Arr = l === L - 1 ? outAll : hidden(reserve, l);
    const dX = alloc(dtype, T * N * inSize);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      backwardDirection(cfg, dm, d, xin, inSize, hseq, dOut, ws[2 * k], ws[2 * k + 1],
        h0, c0, k * N * H, lens, reserve, lay.gate(l, d), lay.cell(l, d), lay.act(l, d),
        dState[0], dState[1] ?? null, dPre[0], dPre[1] ?? null,
        dW[2 * k], dW[2 * k + 1], dW[2 * L * D + 2 * k], dW[2 * L * D + 2 * k + 1], dX);
    }
    if (l > 0) {
      if (dropScale !== 0) for (let i = 0; i < outSize; i++) dX[i] = dropScale > 0 && mask[i] ? dX[i] * dropScale : 0;
      dOut = dX;
    } else dInput = dX;
  }
  return {
    'Input@GRAD': [new Tensor(dInput!, x.dims.slice(), dtype)],
    'PreState@GRAD': dPre.map((a, i) => new Tensor(a, ins.PreState[i].dims.slice(), dtype)),
    'WeightList@GRAD': dW.map((a, i) => new Tensor(a, ins.WeightList[i].dims.slice(), dtype)),
  };
});

/** One direction of one layer, backward: accumulates dX, writes the weight and state gradients. */
function backwardDirection(
  cfg: RnnConfig, dm: Dims, d: number, xin: Arr, In: number, hseq: Arr, dOut: Arr,
  wih: Arr, whh: Arr,
  h0: Arr, c0: Arr | null, sOff: number, lens: Int32Array | null,
  reserve: Arr, gOff: number, cOff: number, aOff: number,
  dHT: Arr, dCT: Arr | null, dH0: Arr, dC0: Arr | null,
  dWih: Arr, dWhh: Arr, dBih: Arr, dBhh: Arr, dX: Arr,
): void {
  const { T, N, H, G, D } = dm;
  const GH = G * H;
  const NH = N * H;
  const DH = D * H;
  const TN = T * N;
  const lstm = cfg.mode === 'LSTM';
  const isGru = cfg.mode === 'GRU';
  const relu = cfg.mode === 'RNN_RELU';
  // gradients of the gate pre-activations: the input side (dgx) and the hidden side (dgh,
  // which differs from dgx only in GRU's candidate), and the previous hidden state per step
  const dgx = buf('dgx', TN * GH);
  const dgh = isGru ? buf('dgh', TN * GH) : dgx;
  const hprevAll = buf('hprev', TN * H);
  const dh = buf('dh', NH);
  const dc = buf('dc', NH);
  const dhp = buf('dhp', NH);
  for (let i = 0; i < NH; i++) {
    dh[i] = dHT[sOff + i];
    dc[i] = lstm && dCT ? dCT[sOff + i] : 0;
  }
  for (let s = T - 1; s >= 0; s--) {
    const t = d === 0 ? s : T - 1 - s;
    const tp = d === 0 ? t - 1 : t + 1;
    for (let b = 0; b < N; b++) {
      const row = t * N + b;
      const xo = row * GH;
      const ho = row * H;
      const len = lens ? lens[b] : T;
      if (t >= len) {
        // padding: zero output, the state passes through unchanged
        for (let j = 0; j < GH; j++) dgx[xo + j] = 0;
        if (isGru) for (let j = 0; j < GH; j++) dgh[xo + j] = 0;
        for (let k = 0; k < H; k++) hprevAll[ho + k] = 0;
        continue;
      }
      const prevValid = s > 0 && tp < len;
      const hpo = prevValid ? (tp * N + b) * DH + d * H : -1;
      const so = sOff + b * H;
      const go = gOff + xo;
      const oo = row * DH + d * H;
      const bo = b * H;
      for (let k = 0; k < H; k++) hprevAll[ho + k] = prevValid ? hseq[hpo + k] : h0[so + k];
      if (lstm) {
        const cpo = s > 0 ? cOff + (tp * N + b) * H : -1;
        for (let k = 0; k < H; k++) {
          const ig = reserve[go + k], fg = reserve[go + H + k], gg = reserve[go + 2 * H + k], og = reserve[go + 3 * H + k];
          const tc = reserve[aOff + ho + k];
          const cprev = cpo >= 0 ? reserve[cpo + k] : c0![so + k];
          const dhk = dh[bo + k] + dOut[oo + k];
          const dck = dc[bo + k] + dhk * og * (1 - tc * tc);
          dgx[xo + k] = dck * gg * ig * (1 - ig);
          dgx[xo + H + k] = dck * cprev * fg * (1 - fg);
          dgx[xo + 2 * H + k] = dck * ig * (1 - gg * gg);
          dgx[xo + 3 * H + k] = dhk * tc * og * (1 - og);
          dc[bo + k] = dck * fg;
        }
      } else if (isGru) {
        for (let k = 0; k < H; k++) {
          const r = reserve[go + k], z = reserve[go + H + k], cand = reserve[go + 2 * H + k];
          const hc = reserve[cOff + ho + k];
          const hprev = hprevAll[ho + k];
          const dhk = dh[bo + k] + dOut[oo + k];
          const dcp = dhk * (1 - z) * (1 - cand * cand);
          const dr = dcp * hc * r * (1 - r);
          const dz = dhk * (hprev - cand) * z * (1 - z);
          dgx[xo + k] = dr;
          dgx[xo + H + k] = dz;
          dgx[xo + 2 * H + k] = dcp;
          dgh[xo + k] = dr;
          dgh[xo + H + k] = dz;
          dgh[xo + 2 * H + k] = dcp * r;
          dh[bo + k] = dhk * z; // the direct path; W_hh's part is added below
        }
      } else {
        for (let k = 0; k < H; k++) {
          const hv = reserve[go + k];
          const dhk = dh[bo + k] + dOut[oo + k];
          dgx[xo + k] = dhk * (relu ? (hv > 0 ? 1 : 0) : 1 - hv * hv);
        }
      }
    }
    // dh_prev = dgh_t W_hh for the valid rows (GRU adds its direct path)
    gemm(N, H, GH, dgh, t * N * GH, GH, 1, whh, 0, H, 1, dhp, 0, H);
    for (let b = 0; b < N; b++) {
      if (lens && t >= lens[b]) continue;
      const bo = b * H;
      if (isGru) for (let k = 0; k < H; k++) dh[bo + k] += dhp[bo + k];
      else for (let k = 0; k < H; k++) dh[bo + k] = dhp[bo + k];
    }
  }
  for (let i = 0; i < NH; i++) {
    dH0[sOff + i] = dh[i];
    if (lstm && dC0) dC0[sOff + i] = dc[i];
  }
  // weight and bias gradients over all steps
  gemm(GH, In, TN, dgx, 0, 1, GH, xin, 0, In, 1, dWih, 0, In);
  gemm(GH, H, TN, dgh, 0, 1, GH, hprevAll, 0, H, 1, dWhh, 0, H);
  const sx = buf('sx', GH);
  const sh = buf('sh', GH);
  sx.fill(0, 0, GH);
  sh.fill(0, 0, GH);
  for (let r = 0, p = 0; r < TN; r++) for (let j = 0; j < GH; j++, p++) {
    sx[j] += dgx[p];
    sh[j] += dgh[p];
  }
  for (let j = 0; j < GH; j++) {
    dBih[j] = sx[j];
    dBhh[j] = sh[j];
  }
  // input gradient: dX += dgx W_ih
  const tmp = buf('dxt', TN * In);
  gemm(TN, In, GH, dgx, 0, GH, 1, wih, 0, In, 1, tmp, 0, In);
  for (let i = 0; i < TN * In; i++) dX[i] += tmp[i];
}
