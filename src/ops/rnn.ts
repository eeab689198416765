// The fused recurrent operator of Paddle 2.0 (paddle/fluid/operators/rnn_op.cc), which
// nn.SimpleRNN / nn.LSTM / nn.GRU append on every device (python/paddle/nn/layer/rnn.py
// RNNBase._cudnn_impl; 2.0 has a CPU kernel too):
//
//   rnn       Input [T, N, I], PreState[] (h, or h and c for LSTM: [L*D, N, H] each),
//             WeightList[] (4*L*D tensors), SequenceLength? ([N] int32/int64)
//             -> Out [T, N, D*H], State[] (as PreState), Reserve, DropoutState (uint8)
//             attrs dropout_prob, is_bidirec, input_size, hidden_size, num_layers, mode
//             ('LSTM', 'GRU', 'RNN_RELU', 'RNN_TANH'), is_test, seed
//   rnn_grad  the gradient, with its own kernel (back-propagation through time)
//
// WeightList is Paddle's `_all_weights` order: every weight first, [w_ih, w_hh] per layer and
// direction (layer-major, forward direction before backward), then every bias [b_ih, b_hh] in
// the same order. Weights are [G*H, in] and [G*H, H] with G gates in Paddle's order: LSTM
// i, f, g(c), o; GRU r, z, c; simple RNN one. The GRU candidate is
// tanh(W_ic x + b_ic + r * (W_hc h + b_hc)) and h = z * h_prev + (1 - z) * c.
//
// Input is time-major. With SequenceLength, steps at or past a sequence's length give zero
// outputs and leave the state as it was (the backward direction starts at the last valid
// step), so State holds the state at each sequence's last valid step. Dropout (not when
// is_test) applies to the input of every layer but the first, with one mask drawn per run
// (from paddle.seed's generator, or one seeded by attribute seed when it is not 0)
// and shared by the layers, as Paddle's CPU kernel does; DropoutState is that mask.
//
// Reserve keeps what the gradient needs: its shape is Paddle's ([rows, D*T*N*H] with rows =
// (G+2)*L + L-1 for LSTM, (G+1)*L + L-1 for GRU, L + L-1 for simple RNNs), its layout our
// kernel's own: per layer and direction the activated gates, then for LSTM the cell states and
// tanh(cell), for GRU W_hc h + b_hc, then the outputs of every layer but the last.
import type { DType } from '../core/dtype.js';
import type { Attrs, GradResult, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, float, int, meta, one, opFail, str } from './util.js';

const MODES = ['LSTM', 'GRU', 'RNN_RELU', 'RNN_TANH'] as const;

/** The numbers every rnn kernel needs, from the attributes. */
export interface RnnConfig {
  mode: (typeof MODES)[number];
  /** Gates per step: 4 (LSTM), 3 (GRU), 1. */
  gates: number;
  layers: number;
  dirs: number;
  hidden: number;
  inputSize: number;
  dropout: number;
  isTest: boolean;
}

/** Reads and checks the attributes. */
export function rnnConfig(attrs: Attrs, op: string): RnnConfig {
  const mode = attrs.mode as RnnConfig['mode'];
  if (!MODES.includes(mode)) opFail(op, `attribute mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, but got '${String(mode)}'`);
  const layers = Number(attrs.num_layers);
  const hidden = Number(attrs.hidden_size);
  const inputSize = Number(attrs.input_size);
  const dropout = Number(attrs.dropout_prob);
  if (!(layers >= 1)) opFail(op, `attribute num_layers must be at least 1, but got ${layers}`);
  if (!(hidden >= 1)) opFail(op, `attribute hidden_size must be at least 1, but got ${hidden}`);
  if (!(inputSize >= 1)) opFail(op, `attribute input_size must be at least 1, but got ${inputSize}`);
  if (!(dropout >= 0 && dropout <= 1)) opFail(op, `attribute dropout_prob must be in [0, 1], but got ${dropout}`);
  const gates = mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
  return { mode, gates, layers, dirs: attrs.is_bidirec ? 2 : 1, hidden, inputSize, dropout, isTest: !!attrs.is_test };
}

/** Rows of Reserve (Paddle's count). */
export function reserveRows(cfg: RnnConfig): number {
  const per = cfg.mode === 'LSTM' ? cfg.gates + 2 : cfg.mode === 'GRU' ? cfg.gates + 1 : cfg.gates;
  return per * cfg.layers + cfg.layers - 1;
}

const mul = (a: number, b: number): number => (a < 0 || b < 0 ? -1 : a * b);

const rnnAttrs = {
  dropout_prob: float(0.0),
  is_bidirec: bool(false),
  input_size: int(10),
  hidden_size: int(100),
  num_layers: int(1),
  mode: str(),
  is_test: bool(false),
  seed: int(0),
};

/** Checks the forward inputs; returns the config and the metas of Input and PreState. */
function checkInputs(ins: Slots<Meta>, attrs: Attrs, op: string): { cfg: RnnConfig; x: Meta; pre: Meta[] } {
  const cfg = rnnConfig(attrs, op);
  const x = one(ins, 'Input', op);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') opFail(op, `input Input must be float32 or float64, but got ${x.dtype}`);
  if (x.dims.length !== 3) opFail(op, `input Input must be 3-D [time_steps, batch_size, input_size], but got shape ${showShape(x.dims)}`);
  if (x.dims[2] >= 0 && x.dims[2] !== cfg.inputSize)
    opFail(op, `the last dim of Input (${x.dims[2]}) must equal attribute input_size (${cfg.inputSize})`);
  const pre = ins.PreState ?? [];
  const nState = cfg.mode === 'LSTM' ? 2 : 1;
  if (pre.length !== nState) opFail(op, `PreState of ${cfg.mode} must hold ${nState} tensor${nState > 1 ? 's' : ''}, but got ${pre.length}`);
  const L = cfg.layers * cfg.dirs;
  for (let i = 0; i < pre.length; i++) {
    const s = pre[i];
    if (s.dims.length !== 3) opFail(op, `PreState[${i}] must be 3-D [num_layers * num_directions, batch_size, hidden_size], but got shape ${showShape(s.dims)}`);
    const want = [L, x.dims[1], cfg.hidden];
    for (let k = 0; k < 3; k++)
      if (s.dims[k] >= 0 && want[k] >= 0 && s.dims[k] !== want[k])
        opFail(op, `PreState[${i}] must have shape [${L}, ${x.dims[1]}, ${cfg.hidden}] (num_layers * num_directions, batch_size, hidden_size), but got ${showShape(s.dims)}`);
    if (s.dtype !== x.dtype) opFail(op, `PreState[${i}] must have Input's dtype ${x.dtype}, but got ${s.dtype}`);
  }
  const ws = ins.WeightList ?? [];
  if (ws.length !== 4 * L) opFail(op, `WeightList must hold ${4 * L} tensors (weight_ih, weight_hh, bias_ih, bias_hh per layer and direction), but got ${ws.length}`);
  const GH = cfg.gates * cfg.hidden;
  for (let l = 0; l < cfg.layers; l++) {
    const inSize = l === 0 ? cfg.inputSize : cfg.dirs * cfg.hidden;
    for (let d = 0; d < cfg.dirs; d++) {
      const j = (l * cfg.dirs + d) * 2;
      const shapes: [number, number[], string][] = [
        [j, [GH, inSize], 'weight_ih'],
        [j + 1, [GH, cfg.hidden], 'weight_hh'],
        [2 * L + j, [GH], 'bias_ih'],
        [2 * L + j + 1, [GH], 'bias_hh'],
      ];
      for (const [k, dims, what] of shapes) {
        const w = ws[k];
        const ok = w.dims.length === dims.length && w.dims.every((v, q) => v < 0 || v === dims[q]);
        if (!ok) opFail(op, `WeightList[${k}] (${what} of layer ${l}${d ? ', reverse direction' : ''}) must have shape ${showShape(dims)}, but got ${showShape(w.dims)}`);
        if (w.dtype !== x.dtype) opFail(op, `WeightList[${k}] must have Input's dtype ${x.dtype}, but got ${w.dtype}`);
      }
    }
  }
  const sl = ins.SequenceLength?.[0];
  if (sl) {
    if (sl.dtype !== 'int32' && sl.dtype !== 'int64') opFail(op, `SequenceLength must be int32 or int64, but got ${sl.dtype}`);
    if (sl.dims.length !== 1 || (sl.dims[0] >= 0 && x.dims[1] >= 0 && sl.dims[0] !== x.dims[1]))
      opFail(op, `SequenceLength must have shape [batch_size] = [${x.dims[1]}], but got ${showShape(sl.dims)}`);
  }
  return { cfg, x, pre };
}

defineOp({
  type: 'rnn',
  inputs: ['Input', 'PreState[]', 'WeightList[]', 'SequenceLength?!'],
  outputs: ['DropoutState?', 'Reserve', 'Out', 'State[]'],
  attrs: rnnAttrs,
  random: true,
  noGradOutputs: ['DropoutState', 'Reserve'],
  infer(ins, attrs) {
    const { cfg, x, pre } = checkInputs(ins, attrs, 'rnn');
    const [T, N] = x.dims;
    const outDims = [T, N, cfg.dirs * cfg.hidden];
    const block = mul(mul(mul(T, N), cfg.dirs), cfg.hidden);
    return {
      DropoutState: [meta(outDims.slice(), 'uint8')],
      Reserve: [meta([reserveRows(cfg), block], x.dtype)],
      Out: [meta(outDims, x.dtype)],
      State: pre.map((s) => meta(s.dims.slice(), x.dtype)),
    };
  },
  grad(ctx) {
    const ins: Slots<ReturnType<typeof ctx.input>> = {
      Input: [ctx.input('Input')],
      PreState: ctx.inputs('PreState'),
      WeightList: ctx.inputs('WeightList'),
      DropoutState: [ctx.output('DropoutState')],
      Reserve: [ctx.output('Reserve')],
      Out: [ctx.output('Out')],
      'Out@GRAD': [ctx.outGrad('Out')],
      'State@GRAD': ctx.inputs('PreState').map((_, i) => ctx.outGrad('State', i)),
    };
    if (ctx.has('SequenceLength')) ins.SequenceLength = [ctx.input('SequenceLength')];
    const r = c.dispatch('rnn_grad', ins, { ...ctx.attrs });
    const res: GradResult = {};
    if (ctx.needs('Input')) res.Input = r['Input@GRAD'];
    res.PreState = r['PreState@GRAD'];
    res.WeightList = r['WeightList@GRAD'];
    return res;
  },
});

defineOp({
  type: 'rnn_grad',
  inputs: ['Input', 'PreState[]', 'WeightList[]', 'SequenceLength?!', 'DropoutState?!', 'Reserve!', 'Out!', 'Out@GRAD', 'State@GRAD[]'],
  outputs: ['Input@GRAD', 'PreState@GRAD[]', 'WeightList@GRAD[]'],
  attrs: rnnAttrs,
  infer(ins, attrs) {
    const op = 'rnn_grad';
    const { cfg, x, pre } = checkInputs(ins, attrs, op);
    const g = one(ins, 'Out@GRAD', op);
    const outDims = [x.dims[0], x.dims[1], cfg.dirs * cfg.hidden];
    if (g.dims.length !== 3 || g.dims.some((v, k) => v >= 0 && outDims[k] >= 0 && v !== outDims[k]))
      opFail(op, `Out@GRAD must have shape ${showShape(outDims)}, but got ${showShape(g.dims)}`);
    const sg = ins['State@GRAD'] ?? [];
    if (sg.length !== pre.length) opFail(op, `State@GRAD must hold ${pre.length} tensors, but got ${sg.length}`);
    one(ins, 'Reserve', op);
    return {
      'Input@GRAD': [meta(x.dims.slice(), x.dtype)],
      'PreState@GRAD': pre.map((s) => meta(s.dims.slice(), x.dtype)),
      'WeightList@GRAD': (ins.WeightList ?? []).map((w) => meta(w.dims.slice(), x.dtype as DType)),
    };
  },
});
