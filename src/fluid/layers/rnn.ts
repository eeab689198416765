// paddle.fluid.layers recurrent and decoding layers (Paddle 2.0's
// python/paddle/fluid/layers/rnn.py): the LoD recurrent operators dynamic_lstm (op `lstm`),
// dynamic_lstmp (`lstmp`), dynamic_gru (`gru`), the single steps gru_unit and lstm_unit, the
// cuDNN-style multi-layer lstm (`cudnn_lstm`), the cell interface (RNNCell, GRUCell, LSTMCell)
// with rnn / birnn, decoders (BasicDecoder with the decode helpers; Decoder,
// BeamSearchDecoder and dynamic_decode are paddle.nn's, which 2.0 re-exports from here), and
// beam_search / beam_search_decode for decoding LoD beams in static programs.
//
// Parameter names and layouts are Paddle's (`lstm_0.w_0` [D, 4D], `lstm_0.b_0` [1, 7D] with
// peepholes; GRUCell's `GRUCell/BasicGRUUnit_0.w_0` gate and `.w_1` candidate weights...), so
// fluid checkpoints load.
import { defineApi, isPlainObject, p, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { badArg, fail, InvalidArgumentError, PreconditionNotMetError, UnimplementedError } from '../../core/errors.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { BeamSearchDecoder, Decoder, dynamic_decode, flatten_structure, map_structure } from '../../nn/decode.js';
import { ParamAttr } from '../../nn/param_attr.js';
import * as c from '../../ops/calls.js';
import { cudnnWeightSize } from '../../ops/control_flow.js';
import { generate } from '../../static/unique_name.js';
import { concat, squeeze, stack, transpose } from '../../tensor/manipulation.js';
import { slice } from '../../tensor/indexing.js';
import { equal, less_equal } from '../../tensor/logic.js';
import { argmax } from '../../tensor/search.js';
import { StaticRNN } from './control_flow.js';
import { checkDtype, L, layerName, nameP, param } from './misc.js';
import { fc } from './nn.js';
import { sequence_mask } from './sequence_lod.js';
import { fill_constant, reverse } from './tensor.js';

const F32_64: readonly DType[] = ['float32', 'float64'];
const paramAttrTy = T.any;
const actName = T.oneOf('sigmoid', 'tanh', 'relu', 'identity');

function staticOnly(api: string, instead: string): void {
  if (!state.staticMode) fail(api, `please use ${instead} instead of ${api.split('.').pop()} in dygraph mode!`, PreconditionNotMetError);
}
function checkInit(api: string, arg: string, t: Tensor | null, batch: number, width: number): void {
  if (!t) return;
  checkDtype(api, arg, t, F32_64);
  const ok = t.dims.length === 2 && t.dims[1] === width && (t.dims[0] === batch || t.dims[0] < 0 || batch < 0);
  if (!ok) fail(api, `The shape of ${arg.replace('_', '')} should be (batch_size, ${width}), but got [${t.shape}]`, InvalidArgumentError);
}

// ---- LoD recurrent layers -------------------------------------------------------------------------

/**
 * An LSTM over the sequences of a LoD tensor (operator `lstm`): the input is already projected
 * to the four gates ([T, 4D], gate order candidate, input, forget, output); with use_peepholes
 * the bias [1, 7D] ends with the peephole weights. Returns [hidden, cell], both [T, D] with the
 * input's LoD. Static mode only, as in Paddle 2.0.
 * @param input a float32/float64 LoD tensor [T, 4D]
 * @param size 4D (four times the hidden size)
 * @param h_0 initial hidden states [N, D] (one per sequence), or None (zeros)
 * @param c_0 initial cell states [N, D], or None
 * @param param_attr the hidden-hidden weight [D, 4D]'s ParamAttr
 * @param bias_attr the bias' ParamAttr
 * @param use_peepholes use peephole connections (true)
 * @param is_reverse process each sequence from its end
 * @example const [h, c] = fluid.layers.dynamic_lstm(fluid.layers.fc(emb, 512), 512)
 */
export const dynamic_lstm = defineApi(
  `${L}dynamic_lstm`,
  [
    p('input', T.tensor), p('size', T.int), p('h_0', T.nullable(T.tensor), null), p('c_0', T.nullable(T.tensor), null),
    p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null), p('use_peepholes', T.bool, true), p('is_reverse', T.bool, false),
    p('gate_activation', actName, 'sigmoid'), p('cell_activation', actName, 'tanh'), p('candidate_activation', actName, 'tanh'),
    p('dtype', T.dtype, 'float32' as DType), nameP,
  ],
  (a): [Tensor, Tensor] => {
    const api = `${L}dynamic_lstm`;
    staticOnly(api, 'lstm');
    if (a.bias_attr === false) fail(api, 'bias_attr should not be False in dynamic_lstm.', InvalidArgumentError);
    checkDtype(api, 'input', a.input, F32_64);
    if (!(a.size > 0 && a.size % 4 === 0)) fail(api, `size must be a positive multiple of 4 (4 * hidden size), but got ${a.size}`, InvalidArgumentError);
    const layer = layerName('lstm', a.name);
    const D = a.size / 4;
    checkInit(api, 'h_0', a.h_0, a.input.dims[0], D);
    checkInit(api, 'c_0', a.c_0, a.input.dims[0], D);
    const w = param(layer, a.param_attr, [D, 4 * D], a.dtype, false, api)!;
    const b = param(layer, a.bias_attr, [1, a.use_peepholes ? 7 * D : 4 * D], a.dtype, true, api)!;
    const ins: Record<string, Tensor[]> = { Input: [a.input], Weight: [w], Bias: [b] };
    if (a.h_0) ins.H0 = [a.h_0];
    if (a.c_0) ins.C0 = [a.c_0];
    const r = dispatch('lstm', ins, {
      use_peepholes: a.use_peepholes, is_reverse: a.is_reverse, gate_activation: a.gate_activation,
      cell_activation: a.cell_activation, candidate_activation: a.candidate_activation,
    });
    return [r.Hidden[0], r.Cell[0]];
  },
);

/**
 * An LSTM with a recurrent projection layer over a LoD tensor (operator `lstmp`): like
 * dynamic_lstm, and the hidden state is projected to proj_size (proj_activation, clipped by
 * proj_clip) before it feeds back. Returns [projection [T, P], cell [T, D]]. Static mode only.
 * @param input a float32/float64 LoD tensor [T, 4D]
 * @param size 4D
 * @param proj_size P
 * @param cell_clip clip the cell state to [-cell_clip, cell_clip] (None: no clip)
 * @param proj_clip clip the projection (None: no clip)
 * @example const [proj, cell] = fluid.layers.dynamic_lstmp(fluid.layers.fc(emb, 512), 512, 64)
 */
export const dynamic_lstmp = defineApi(
  `${L}dynamic_lstmp`,
  [
    p('input', T.tensor), p('size', T.int), p('proj_size', T.int), p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null),
    p('use_peepholes', T.bool, true), p('is_reverse', T.bool, false), p('gate_activation', actName, 'sigmoid'), p('cell_activation', actName, 'tanh'),
    p('candidate_activation', actName, 'tanh'), p('proj_activation', actName, 'tanh'), p('dtype', T.dtype, 'float32' as DType), nameP,
    p('h_0', T.nullable(T.tensor), null), p('c_0', T.nullable(T.tensor), null), p('cell_clip', T.nullable(T.float), null), p('proj_clip', T.nullable(T.float), null),
  ],
  (a): [Tensor, Tensor] => {
    const api = `${L}dynamic_lstmp`;
    staticOnly(api, 'lstm');
    if (a.bias_attr === false) fail(api, 'bias_attr should not be False in dynamic_lstmp.', InvalidArgumentError);
    checkDtype(api, 'input', a.input, F32_64);
    if (!(a.size > 0 && a.size % 4 === 0)) fail(api, `size must be a positive multiple of 4 (4 * hidden size), but got ${a.size}`, InvalidArgumentError);
    if (a.cell_clip !== null && a.cell_clip < 0) fail(api, 'cell_clip should not be negative.', InvalidArgumentError);
    if (a.proj_clip !== null && a.proj_clip < 0) fail(api, 'proj_clip should not be negative.', InvalidArgumentError);
    const layer = layerName('lstmp', a.name);
    const D = a.size / 4;
    const P = a.proj_size;
    checkInit(api, 'h_0', a.h_0, a.input.dims[0], P);
    checkInit(api, 'c_0', a.c_0, a.input.dims[0], D);
    const w = param(layer, a.param_attr, [P, 4 * D], a.dtype, false, api)!;
    const pw = param(layer, a.param_attr instanceof ParamAttr ? a.param_attr._copy() : a.param_attr, [D, P], a.dtype, false, api)!;
    const b = param(layer, a.bias_attr, [1, a.use_peepholes ? 7 * D : 4 * D], a.dtype, true, api)!;
    const ins: Record<string, Tensor[]> = { Input: [a.input], Weight: [w], ProjWeight: [pw], Bias: [b] };
    if (a.h_0) ins.H0 = [a.h_0];
    if (a.c_0) ins.C0 = [a.c_0];
    const r = dispatch('lstmp', ins, {
      use_peepholes: a.use_peepholes, cell_clip: a.cell_clip ?? 0, proj_clip: a.proj_clip ?? 0, is_reverse: a.is_reverse,
      gate_activation: a.gate_activation, cell_activation: a.cell_activation, candidate_activation: a.candidate_activation, proj_activation: a.proj_activation,
    });
    return [r.Projection[0], r.Cell[0]];
  },
);

/**
 * A GRU over the sequences of a LoD tensor (operator `gru`): the input is already projected to
 * the three gates ([T, 3D]: update, reset, candidate). Returns the hidden states [T, D].
 * origin_mode picks h = u*h_prev + (1-u)*c (else (1-u)*h_prev + u*c). Static mode only.
 * @param input a float32/float64 LoD tensor [T, 3D]
 * @param size D (the hidden size)
 * @param h_0 initial hidden states [N, D], or None
 * @example const h = fluid.layers.dynamic_gru(fluid.layers.fc(emb, 3 * 64), 64)
 */
export const dynamic_gru = defineApi(
  `${L}dynamic_gru`,
  [
    p('input', T.tensor), p('size', T.int), p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null), p('is_reverse', T.bool, false),
    p('gate_activation', actName, 'sigmoid'), p('candidate_activation', actName, 'tanh'), p('h_0', T.nullable(T.tensor), null), p('origin_mode', T.bool, false),
  ],
  (a): Tensor => {
    const api = `${L}dynamic_gru`;
    staticOnly(api, 'gru');
    checkDtype(api, 'input', a.input, F32_64);
    if (!(a.size > 0)) fail(api, `size must be positive, but got ${a.size}`, InvalidArgumentError);
    checkInit(api, 'h_0', a.h_0, a.input.dims[0], a.size);
    const layer = layerName('gru', null);
    const dtype = a.input.dtype;
    const w = param(layer, a.param_attr, [a.size, 3 * a.size], dtype, false, api)!;
    const b = param(layer, a.bias_attr, [1, 3 * a.size], dtype, true, api);
    const ins: Record<string, Tensor[]> = { Input: [a.input], Weight: [w] };
    if (b) ins.Bias = [b];
    if (a.h_0) ins.H0 = [a.h_0];
    const r = dispatch('gru', ins, { is_reverse: a.is_reverse, gate_activation: a.gate_activation, activation: a.candidate_activation, origin_mode: a.origin_mode });
    return r.Hidden[0];
  },
);

const UNIT_ACT: Record<string, number> = { identity: 0, sigmoid: 1, tanh: 2, relu: 3 };

/**
 * One GRU step (operator `gru_unit`): input [N, 3D] already projected, hidden [N, D]. Returns
 * [hidden, reset_hidden_prev, gate]. (Paddle 2.0's Python passes tanh / sigmoid whatever the
 * activation arguments say; here they are honored.)
 * @param input [N, 3D]
 * @param hidden the previous hidden state [N, D]
 * @param size 3D
 * @example const [h] = fluid.layers.gru_unit(fluid.layers.fc(x, 3 * 8), h0, 3 * 8)
 */
export const gru_unit = defineApi(
  `${L}gru_unit`,
  [
    p('input', T.tensor), p('hidden', T.tensor), p('size', T.int), p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null),
    p('activation', actName, 'tanh'), p('gate_activation', actName, 'sigmoid'), p('origin_mode', T.bool, false),
  ],
  (a): [Tensor, Tensor, Tensor] => {
    const api = `${L}gru_unit`;
    checkDtype(api, 'input', a.input, F32_64);
    checkDtype(api, 'hidden', a.hidden, F32_64);
    if (!(a.size > 0 && a.size % 3 === 0)) fail(api, `size must be a positive multiple of 3 (3 * hidden size), but got ${a.size}`, InvalidArgumentError);
    const D = a.size / 3;
    const layer = layerName('gru_unit', null);
    const dtype = a.input.dtype;
    const w = param(layer, a.param_attr, [D, 3 * D], dtype, false, api)!;
    const ins: Record<string, Tensor[]> = { Input: [a.input], HiddenPrev: [a.hidden], Weight: [w] };
    if (a.bias_attr !== false) {
      const b = param(layer, a.bias_attr, [1, 3 * D], dtype, true, api);
      if (b) ins.Bias = [b];
    }
    const r = dispatch('gru_unit', ins, { activation: UNIT_ACT[a.activation], gate_activation: UNIT_ACT[a.gate_activation], origin_mode: a.origin_mode });
    return [r.Hidden[0], r.ResetHiddenPrev[0], r.Gate[0]];
  },
);

/**
 * One LSTM step: fc([x_t, hidden_t_prev]) to 4D gates (i, f, o, g) then operator `lstm_unit`
 * (forget_bias added to f). Returns [h, c].
 * @param x_t [N, M]
 * @param hidden_t_prev [N, D]
 * @param cell_t_prev [N, D]
 * @param forget_bias added to the forget gate (0)
 * @example const [h, c] = fluid.layers.lstm_unit(x, h0, c0)
 */
export const lstm_unit = defineApi(
  `${L}lstm_unit`,
  [p('x_t', T.tensor), p('hidden_t_prev', T.tensor), p('cell_t_prev', T.tensor), p('forget_bias', T.float, 0.0), p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null), nameP],
  (a): [Tensor, Tensor] => {
    const api = `${L}lstm_unit`;
    checkDtype(api, 'x_t', a.x_t, F32_64);
    checkDtype(api, 'hidden_t_prev', a.hidden_t_prev, F32_64);
    checkDtype(api, 'cell_t_prev', a.cell_t_prev, F32_64);
    if (a.x_t.dims.length !== 2) fail(api, 'Rank of x_t must be 2.', InvalidArgumentError);
    if (a.hidden_t_prev.dims.length !== 2) fail(api, 'Rank of hidden_t_prev must be 2.', InvalidArgumentError);
    if (a.cell_t_prev.dims.length !== 2) fail(api, 'Rank of cell_t_prev must be 2.', InvalidArgumentError);
    if (a.x_t.dims[0] !== a.hidden_t_prev.dims[0] || a.x_t.dims[0] !== a.cell_t_prev.dims[0])
      fail(api, 'The 1st dimensions of x_t, hidden_t_prev and cell_t_prev must be the same.', InvalidArgumentError);
    if (a.hidden_t_prev.dims[1] !== a.cell_t_prev.dims[1]) fail(api, 'The 2nd dimensions of hidden_t_prev and cell_t_prev must be the same.', InvalidArgumentError);
    const size = a.cell_t_prev.dims[1];
    const cat = concat([a.x_t, a.hidden_t_prev], 1);
    const gates = fc(cat, 4 * size, { param_attr: a.param_attr, bias_attr: a.bias_attr ?? new ParamAttr() });
    const r = dispatch('lstm_unit', { X: [gates], C_prev: [a.cell_t_prev] }, { forget_bias: a.forget_bias });
    return [r.H[0], r.C[0]];
  },
);

/**
 * A multi-layer (optionally bidirectional) LSTM on padded time-major input [T, N, I]
 * (operator `cudnn_lstm`, which Paddle 2.0 runs on GPUs only; it runs on the CPU here). Its one
 * flat weight holds, as paddle.nn.LSTM's parameters in order, every [4H, in] input and [4H, H]
 * hidden weight (layer by layer, forward direction first), then every bias pair; gates i, f,
 * g (cell), o. Returns [out [T, N, D*H], last_h, last_c].
 * @param input [T, N, I]
 * @param init_h [L*D, N, H]
 * @param init_c [L*D, N, H]
 * @param max_len the sequence length T
 * @param hidden_size H
 * @param num_layers L
 * @example const [out, h, c] = fluid.layers.lstm(x, h0, c0, 10, 32, 1)
 */
export const lstm = defineApi(
  `${L}lstm`,
  [
    p('input', T.tensor), p('init_h', T.tensor), p('init_c', T.tensor), p('max_len', T.int), p('hidden_size', T.int), p('num_layers', T.int),
    p('dropout_prob', T.float, 0.0), p('is_bidirec', T.bool, false), p('is_test', T.bool, false), nameP, p('default_initializer', T.any, null), p('seed', T.int, -1),
  ],
  (a): [Tensor, Tensor, Tensor] => {
    const api = `${L}lstm`;
    checkDtype(api, 'input', a.input, F32_64);
    checkDtype(api, 'init_h', a.init_h, F32_64);
    checkDtype(api, 'init_c', a.init_c, F32_64);
    if (a.input.dims.length !== 3) fail(api, `input must be 3-D [seq_len, batch, input_size], but got [${a.input.shape}]`, InvalidArgumentError);
    const I = a.input.dims[2];
    const dirs = a.is_bidirec ? 2 : 1;
    const layer = layerName('cudnn_lstm', a.name);
    const w = param(layer, null, [cudnnWeightSize(I, a.hidden_size, a.num_layers, dirs)], a.input.dtype, false, api, a.default_initializer as never)!;
    const r = dispatch('cudnn_lstm', { Input: [a.input], InitH: [a.init_h], InitC: [a.init_c], W: [w] }, {
      is_bidirec: a.is_bidirec, input_size: I, hidden_size: a.hidden_size, num_layers: a.num_layers, is_test: a.is_test, dropout_prob: a.dropout_prob, seed: a.seed,
    });
    return [r.Out[0], r.LastH[0], r.LastC[0]];
  },
);

// ---- beam search --------------------------------------------------------------------------------

/**
 * One step of beam search over LoD beams (operator `beam_search`): for each source sentence
 * (LoD level `level` of scores), picks the beam_size best candidates among every prefix's
 * `ids` / `scores` (accumulated scores, or log-probabilities added to pre_scores when not
 * is_accumulated); a prefix that ended (end_id) keeps one candidate; a source whose beams all
 * ended one step ago is pruned. Returns [selected_ids, selected_scores] (plus parent_idx), with
 * a 2-level LoD (sources -> prefixes -> candidates).
 * @param pre_ids int64 [P, 1]: the previous step's ids (2-level LoD)
 * @param pre_scores [P, 1]
 * @param ids int64 [P, K] candidate ids (None: the column index is the id)
 * @param scores [P, K] candidate scores with the LoD of pre_scores
 * @param beam_size the beam width
 * @param end_id the end token
 * @example const [ids, scores] = fluid.layers.beam_search(pre_ids, pre_scores, topk_ids, acc_scores, 4, 1)
 */
export const beam_search = defineApi(
  `${L}beam_search`,
  [
    p('pre_ids', T.tensor), p('pre_scores', T.tensor), p('ids', T.nullable(T.tensor)), p('scores', T.tensor), p('beam_size', T.int), p('end_id', T.int),
    p('level', T.int, 0), p('is_accumulated', T.bool, true), nameP, p('return_parent_idx', T.bool, false),
  ],
  (a): Tensor[] => {
    const api = `${L}beam_search`;
    checkDtype(api, 'pre_ids', a.pre_ids, ['int64']);
    checkDtype(api, 'pre_scores', a.pre_scores, F32_64);
    checkDtype(api, 'scores', a.scores, F32_64);
    const ins: Record<string, Tensor[]> = { pre_ids: [a.pre_ids], pre_scores: [a.pre_scores], scores: [a.scores] };
    if (a.ids) ins.ids = [a.ids];
    const r = dispatch('beam_search', ins, { level: a.level, beam_size: a.beam_size, end_id: a.end_id, is_accumulated: a.is_accumulated });
    const out = [r.selected_ids[0], r.selected_scores[0]];
    for (const t of out) t.stop_gradient = true;
    return a.return_parent_idx ? [...out, r.parent_idx[0]] : out;
  },
);

/**
 * Back-traces the per-step results of beam_search (two tensor arrays) into whole sentences
 * (operator `beam_search_decode`): [sentence_ids, sentence_scores], 1-D with a 2-level LoD
 * (sources -> sentences -> tokens), best sentence first.
 * @param ids the tensor array of each step's selected ids
 * @param scores the tensor array of each step's selected scores
 * @param beam_size the beam width
 * @param end_id the end token
 * @example const [sent, sc] = fluid.layers.beam_search_decode(ids_array, scores_array, 4, 1)
 */
export const beam_search_decode = defineApi(
  `${L}beam_search_decode`,
  [p('ids', T.tensor), p('scores', T.tensor), p('beam_size', T.int), p('end_id', T.int), nameP],
  (a): [Tensor, Tensor] => {
    const api = `${L}beam_search_decode`;
    checkDtype(api, 'ids', a.ids, ['int64']);
    checkDtype(api, 'scores', a.scores, ['float32', 'float64']);
    const r = dispatch('beam_search_decode', { Ids: [a.ids], Scores: [a.scores] }, { beam_size: a.beam_size, end_id: a.end_id });
    return [r.SentenceIds[0], r.SentenceScores[0]];
  },
);

// ---- cells -------------------------------------------------------------------------------------------

type Nest = any;

/**
 * The base of fluid's RNN cells: implement `call(inputs, states, kwargs)` returning
 * `[outputs, new_states]`, and `state_shape` (and optionally `state_dtype`) for
 * get_initial_states. A cell is callable: `cell(inputs, states)`.
 */
export class RNNCell {
  constructor() {
    const f = ((inputs: unknown, states: unknown, kwargs?: Record<string, unknown>) => (f as unknown as RNNCell).call(inputs, states, kwargs)) as unknown as RNNCell;
    delete (f as { name?: unknown }).name;
    delete (f as { length?: unknown }).length;
    Object.setPrototypeOf(f, new.target.prototype);
    return f;
  }
  /** One step: [outputs, new_states]. */
  call(_inputs: Nest, _states: Nest, _kwargs?: Record<string, unknown>): [Nest, Nest] {
    return fail(`${L}RNNCell.call`, 'RNNCell must implent the call function.', UnimplementedError);
  }
  /** The shape(s) of the states without the batch dim. */
  get state_shape(): Nest {
    return fail(`${L}RNNCell.state_shape`, 'Please add implementaion for `state_shape` in the used cell.', UnimplementedError);
  }
  /** The dtype(s) of the states. */
  get state_dtype(): Nest {
    return fail(`${L}RNNCell.state_dtype`, 'Please add implementaion for `state_dtype` in the used cell.', UnimplementedError);
  }
  /**
   * Initial states filled with init_value, whose batch size is batch_ref's dim batch_dim_idx
   * (operator fill_constant_batch_size_like), shaped by `shape` or state_shape.
   */
  get_initial_states(...args: unknown[]): Nest {
    const a = parseInit(args);
    const api = `${L}RNNCell.get_initial_states`;
    const ref = flatten_structure(a.batch_ref)[0];
    if (!(ref instanceof Tensor)) badArg(api, 'batch_ref', 'a Tensor (or a structure of Tensors)', a.batch_ref);
    checkDtype(api, 'batch_ref', ref as Tensor, ['float32', 'float64', 'int32', 'int64']);
    const shapes: Nest = a.shape ?? this.state_shape;
    let dtype: unknown = a.dtype;
    if (dtype === null) {
      try {
        dtype = this.state_dtype;
      } catch {
        dtype = 'float32';
      }
    }
    const isShape = (s: unknown): s is number[] => Array.isArray(s) && s.every((d) => typeof d === 'number');
    const mapShapes = (s: Nest, f: (shape: number[]) => Tensor): Nest => (isShape(s) ? f(s) : (s as Nest[]).map((x) => mapShapes(x, f)));
    const dt = typeof dtype === 'string' ? (dtype as DType) : (flatten_structure(dtype)[0] as DType);
    return mapShapes(shapes, (shape) => {
      const full = shape[0] === -1 ? shape : [-1, ...shape];
      return run1('fill_constant_batch_size_like', { Input: [ref as Tensor] }, {
        shape: full, dtype: PROTO_DTYPE[dt], value: a.init_value, input_dim_idx: a.batch_dim_idx, output_dim_idx: 0,
      });
    });
  }
}
export interface RNNCell {
  (inputs: Nest, states: Nest, kwargs?: Record<string, unknown>): [Nest, Nest];
}
const initParser = defineApi(`${L}RNNCell.get_initial_states`, [
  p('batch_ref', T.any), p('shape', T.any, null), p('dtype', T.nullable(T.any), 'float32' as unknown), p('init_value', T.float, 0), p('batch_dim_idx', T.int, 0),
] as const, (a) => a);
const parseInit = (args: unknown[]) => (initParser as unknown as (...x: unknown[]) => ReturnType<typeof initParser>)(...args);

type Act = ((x: Tensor) => Tensor) | null;
const actFnTy: Ty<Act> = {
  desc: 'an activation function or None',
  parse: (v, api, arg) => (v === null || typeof v === 'function' ? (v as Act) : badArg(api, arg, 'a function (e.g. fluid.layers.tanh) or None', v)),
};
const sigmoid = (x: Tensor): Tensor => c.unary('sigmoid', x);
const tanh = (x: Tensor): Tensor => c.unary('tanh', x);

/** A named copy of a ParamAttr (BasicGRUUnit's `<name>_gate` / `<name>_candidate`). */
function suffixed(attr: unknown, suffix: string): unknown {
  if (attr instanceof ParamAttr && attr.name) {
    const cp = attr._copy();
    cp.name = `${attr.name}${suffix}`;
    return cp;
  }
  return attr;
}

/**
 * fluid's GRU cell (BasicGRUUnit): r, u = act_g([x, h] @ W_g + b_g) (reset first);
 * c = act_c([x, r*h] @ W_c + b_c); h' = u*h + (1-u)*c. Parameters `<name>/BasicGRUUnit_N.w_0`
 * [I+H, 2H], `.w_1` [I+H, H], `.b_0` [2H], `.b_1` [H], made at the first call.
 * @example const cell = new fluid.layers.GRUCell(32); const [out, h] = cell(x, h0)
 */
export class GRUCell extends RNNCell {
  declare hidden_size: number;
  declare private cfg: { param_attr: unknown; bias_attr: unknown; gate: Act; act: Act; dtype: DType; full: string };
  declare private params: Tensor[] | null;
  constructor(...args: unknown[]) {
    super();
    const a = parseGru(args);
    checkDtype(`${L}GRUCell`, 'dtype', new Tensor(new Float32Array(0), [0], a.dtype), F32_64);
    Object.assign(this, {
      hidden_size: a.hidden_size,
      cfg: { param_attr: a.param_attr, bias_attr: a.bias_attr, gate: a.gate_activation, act: a.activation, dtype: a.dtype, full: generate(`${a.name}/BasicGRUUnit`) },
      params: null,
    });
  }
  override call(inputs: Tensor, states: Tensor): [Tensor, Tensor] {
    const api = `${L}GRUCell`;
    checkDtype(api, 'inputs', inputs, F32_64);
    checkDtype(api, 'states', states, F32_64);
    const H = this.hidden_size;
    if (!this.params) {
      const I = inputs.dims[inputs.dims.length - 1];
      if (!(I > 0)) fail(api, `the input size must be known, but inputs has shape [${inputs.shape}]`, InvalidArgumentError);
      const { full, dtype } = this.cfg;
      this.params = [
        param(full, suffixed(this.cfg.param_attr, '_gate'), [I + H, 2 * H], dtype, false, api)!,
        param(full, suffixed(this.cfg.param_attr, '_candidate'), [I + H, H], dtype, false, api)!,
        param(full, suffixed(this.cfg.bias_attr, '_gate'), [2 * H], dtype, true, api)!,
        param(full, suffixed(this.cfg.bias_attr, '_candidate'), [H], dtype, true, api)!,
      ];
    }
    const [wg, wc, bg, bc] = this.params;
    const gate = this.cfg.gate ?? sigmoid;
    const act = this.cfg.act ?? tanh;
    const g = gate(c.add(c.matmul(concat([inputs, states], 1), wg), bg));
    const [r, u] = c.dispatch('split', { X: [g] }, { num: 2, axis: 1, sections: [] }).Out;
    const cand = act(c.add(c.matmul(concat([inputs, c.mul(r, states)], 1), wc), bc));
    const h = c.add(c.mul(u, states), c.mul(c.scale(u, -1, 1), cand));
    return [h, h];
  }
  override get state_shape(): number[] {
    return [this.hidden_size];
  }
}
const gruParser = defineApi(`${L}GRUCell`, [
  p('hidden_size', T.int), p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null), p('gate_activation', actFnTy, null),
  p('activation', actFnTy, null), p('dtype', T.dtype, 'float32' as DType), p('name', T.str, 'GRUCell'),
] as const, (a) => a);
const parseGru = (args: unknown[]) => (gruParser as unknown as (...x: unknown[]) => ReturnType<typeof gruParser>)(...args);

/**
 * fluid's LSTM cell (BasicLSTMUnit): i, j, f, o = [x, h] @ W + b; c' = c*sigmoid(f +
 * forget_bias) + sigmoid(i)*tanh(j); h' = tanh(c')*sigmoid(o). Parameters
 * `<name>/BasicLSTMUnit_N.w_0` [I+H, 4H] and `.b_0` [4H], made at the first call. States are
 * [h, c]; call returns [h', [h', c']]. (BasicLSTMUnit uses sigmoid and tanh whatever
 * gate_activation / activation say, as Paddle 2.0.)
 * @example const cell = new fluid.layers.LSTMCell(32); const [out, [h, c]] = cell(x, [h0, c0])
 */
export class LSTMCell extends RNNCell {
  declare hidden_size: number;
  declare private cfg: { param_attr: unknown; bias_attr: unknown; forget_bias: number; dtype: DType; full: string };
  declare private params: Tensor[] | null;
  constructor(...args: unknown[]) {
    super();
    const a = parseLstm(args);
    checkDtype(`${L}LSTMCell`, 'dtype', new Tensor(new Float32Array(0), [0], a.dtype), F32_64);
    Object.assign(this, {
      hidden_size: a.hidden_size,
      cfg: { param_attr: a.param_attr, bias_attr: a.bias_attr, forget_bias: a.forget_bias, dtype: a.dtype, full: generate(`${a.name}/BasicLSTMUnit`) },
      params: null,
    });
  }
  override call(inputs: Tensor, states: Tensor[]): [Tensor, Tensor[]] {
    const api = `${L}LSTMCell`;
    checkDtype(api, 'inputs', inputs, F32_64);
    if (!Array.isArray(states) || states.length !== 2) badArg(api, 'states', 'a list [h, c] of two Tensors', states);
    states.forEach((s, i) => checkDtype(api, `state[${i}]`, s, F32_64));
    const H = this.hidden_size;
    if (!this.params) {
      const I = inputs.dims[inputs.dims.length - 1];
      if (!(I > 0)) fail(api, `the input size must be known, but inputs has shape [${inputs.shape}]`, InvalidArgumentError);
      const { full, dtype } = this.cfg;
      this.params = [param(full, this.cfg.param_attr, [I + H, 4 * H], dtype, false, api)!, param(full, this.cfg.bias_attr, [4 * H], dtype, true, api)!];
    }
    const [w, b] = this.params;
    const [h0, c0] = states;
    const g = c.add(c.matmul(concat([inputs, h0], 1), w), b);
    const [i, j, f, o] = c.dispatch('split', { X: [g] }, { num: 4, axis: -1, sections: [] }).Out;
    const cell = c.add(c.mul(c0, sigmoid(c.scale(f, 1, this.cfg.forget_bias))), c.mul(sigmoid(i), tanh(j)));
    const h = c.mul(tanh(cell), sigmoid(o));
    return [h, [h, cell]];
  }
  override get state_shape(): number[][] {
    return [[this.hidden_size], [this.hidden_size]];
  }
}
const lstmParser = defineApi(`${L}LSTMCell`, [
  p('hidden_size', T.int), p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null), p('gate_activation', actFnTy, null),
  p('activation', actFnTy, null), p('forget_bias', T.float, 1.0), p('dtype', T.dtype, 'float32' as DType), p('name', T.str, 'LSTMCell'),
] as const, (a) => a);
const parseLstm = (args: unknown[]) => (lstmParser as unknown as (...x: unknown[]) => ReturnType<typeof lstmParser>)(...args);

// ---- rnn / birnn ----------------------------------------------------------------------------------

const timeSlice = (x: Tensor, t: number | Tensor, axis: number): Tensor =>
  typeof t === 'number'
    ? c.run1('slice', { Input: [x] }, { axes: [axis], starts: [t], ends: [t === -1 ? 2147483647 : t + 1], decrease_axis: [axis], infer_flags: [1] })
    : squeeze(slice(x, [axis], [t], [c.add(t, fill_constant([1], t.dtype, 1))]), [axis]);
const swapBatchTime = (x: Tensor): Tensor => transpose(x, [1, 0, ...x.dims.slice(2).map((_, i) => i + 2)]);
/** The new state where step_mask is 1, the old one where it is 0 (Python's _maybe_copy). */
const maybeCopy = (s: Tensor, ns: Tensor, mask: Tensor): Tensor => c.add(c.mul(ns, mask, 0), c.mul(s, c.scale(mask, -1, 1), 0));
/** Rebuilds `structure` with the leaves of `flat` in order (pack_sequence_as). */
function pack(structure: Nest, flat: unknown[]): Nest {
  let k = 0;
  return map_structure(() => flat[k++], structure);
}

const RNN_OWN = ['cell', 'inputs', 'initial_states', 'sequence_length', 'time_major', 'is_reverse'];
const rnnParser = defineApi(`${L}rnn`, [
  p('cell', T.any), p('inputs', T.any), p('initial_states', T.any, null), p('sequence_length', T.nullable(T.tensor), null),
  p('time_major', T.bool, false), p('is_reverse', T.bool, false),
] as const, (a) => a);

/** Splits a trailing keywords object into rnn's own and the cell's (**kwargs). */
function splitKwargs(args: unknown[], own: string[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  if (args.length > 1 && isPlainObject(last)) {
    const mine: Record<string, unknown> = {};
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(last)) (own.includes(k) ? mine : extra)[k] = v;
    return [[...args.slice(0, -1), ...(Object.keys(mine).length ? [mine] : [])], extra];
  }
  return [args, {}];
}

/**
 * Runs an RNNCell over time: `cell(inputs[t], states)` for every step (a JS loop in dygraph, a
 * StaticRNN in static mode), masking the states past each sequence_length. Returns
 * [outputs, final_states]; outputs are [batch, time, ...] (time_major: [time, batch, ...]).
 * Keywords that are not rnn's own go to the cell (Python's **kwargs).
 * @param cell an RNNCell (or any callable (inputs, states) -> [outputs, new_states])
 * @param inputs a Tensor (or structure) [batch, time, ...]
 * @param initial_states states (default: cell.get_initial_states)
 * @param sequence_length int32/int64 [batch] valid lengths
 * @param time_major whether time is the first dim
 * @param is_reverse run from the last step
 * @example const [out, h] = fluid.layers.rnn(new fluid.layers.GRUCell(16), x)
 */
export function rnn(...args: unknown[]): [Nest, Nest] {
  const [mine, kwargs] = splitKwargs(args, RNN_OWN);
  const a = (rnnParser as unknown as (...x: unknown[]) => ReturnType<typeof rnnParser>)(...mine);
  const api = `${L}rnn`;
  const cell = a.cell as RNNCell;
  if (typeof cell !== 'function') badArg(api, 'cell', 'an RNNCell', cell);
  const tIdx = a.time_major ? 0 : 1;
  const flatIn = flatten_structure(a.inputs) as Tensor[];
  if (!flatIn.length || !flatIn.every((t) => t instanceof Tensor)) badArg(api, 'inputs', 'a Tensor or a structure of Tensors', a.inputs);
  let states: Nest = a.initial_states ?? (cell as RNNCell).get_initial_states(a.inputs, { batch_dim_idx: a.time_major ? 1 : 0 });
  let inputs: Nest = a.time_major ? a.inputs : map_structure(swapBatchTime, a.inputs);
  const first = flatten_structure(inputs)[0] as Tensor;
  let mask: Tensor | null = null;
  if (a.sequence_length) {
    const maxlen = state.staticMode ? c.run1('shape', { Input: [first] }, {}, 'Out') : first.dims[0];
    const maxT = state.staticMode ? c.run1('slice', { Input: [maxlen as Tensor] }, { axes: [0], starts: [0], ends: [1], decrease_axis: [], infer_flags: [1] }) : maxlen;
    mask = transpose(sequence_mask(a.sequence_length, maxT as never, (flatten_structure(states)[0] as Tensor).dtype), [1, 0]);
  }
  if (a.is_reverse) {
    inputs = map_structure((x: Tensor) => reverse(x, [0]), inputs);
    if (mask) mask = reverse(mask, [0]);
  }
  if (!state.staticMode) {
    const T = first.dims[0];
    let outputs: Tensor[][] | null = null;
    let outStruct: Nest = null;
    for (let i = 0; i < T; i++) {
      const stepIn = map_structure((x: Tensor) => timeSlice(x, i, 0), inputs);
      let [stepOut, newStates] = cell(stepIn, states, kwargs);
      if (mask) {
        const m = timeSlice(mask, i, 0);
        newStates = map_structure((s: Tensor, ns: Tensor) => maybeCopy(s, ns, m), states, newStates);
      }
      states = newStates;
      const flat = flatten_structure(stepOut) as Tensor[];
      if (!outputs) {
        outputs = flat.map(() => []);
        outStruct = stepOut;
      }
      flat.forEach((t, k) => outputs![k].push(t));
    }
    if (!outputs) fail(api, 'the inputs have no time steps', InvalidArgumentError);
    let finals: Tensor[] = outputs.map((l) => stack(l, tIdx));
    if (a.is_reverse) finals = finals.map((x) => reverse(x, [tIdx]));
    return [pack(outStruct, finals), states];
  }
  // static: a StaticRNN over the time-major inputs
  states = map_structure((s: Tensor) => {
    s.stop_gradient = false;
    return s;
  }, states);
  const r = new StaticRNN();
  let outStruct: Nest = null;
  let stateStruct: Nest = null;
  let nOut = 0;
  r.step(() => {
    const stepIn = map_structure((x: Tensor) => r.step_input(x), inputs);
    const mems = map_structure((s: Tensor) => r.memory(s), states);
    let [out, newStates] = cell(stepIn, map_structure((x: Tensor) => x, mems), kwargs);
    if (mask) {
      const m = r.step_input(mask);
      newStates = map_structure((s: Tensor, ns: Tensor) => maybeCopy(s, ns, m), mems, newStates);
    }
    map_structure((m: Tensor, ns: Tensor) => r.update_memory(m, ns), mems, newStates);
    outStruct = out;
    stateStruct = newStates;
    const flatOut = flatten_structure(out) as Tensor[];
    nOut = flatOut.length;
    for (const o of flatOut) r.step_output(o);
    for (const s of flatten_structure(newStates) as Tensor[]) r.step_output(s);
  });
  const res = r();
  const all = Array.isArray(res) ? res : [res];
  let finals: Tensor[] = all.slice(0, nOut);
  const lastStates = all.slice(nOut).map((x) => timeSlice(x, -1, 0));
  if (a.is_reverse) finals = finals.map((x) => reverse(x, [0]));
  if (!a.time_major) finals = finals.map(swapBatchTime);
  return [pack(outStruct, finals), pack(stateStruct, lastStates)];
}

/**
 * Runs cell_fw forward and cell_bw backward over the inputs (rnn twice) and concatenates their
 * outputs on the last axis. Returns [outputs, [states_fw, states_bw]].
 * @example const [out, [hf, hb]] = fluid.layers.birnn(new fluid.layers.GRUCell(8), new fluid.layers.GRUCell(8), x)
 */
export function birnn(...args: unknown[]): [Nest, [Nest, Nest]] {
  const [mine, kwargs] = splitKwargs(args, ['cell_fw', 'cell_bw', 'inputs', 'initial_states', 'sequence_length', 'time_major']);
  const a = (birnnParser as unknown as (...x: unknown[]) => ReturnType<typeof birnnParser>)(...mine);
  const fw = a.cell_fw as RNNCell;
  const bw = a.cell_bw as RNNCell;
  let sf: Nest;
  let sb: Nest;
  if (a.initial_states === null) {
    sf = fw.get_initial_states(a.inputs, { batch_dim_idx: a.time_major ? 1 : 0 });
    sb = fw.get_initial_states(a.inputs, { batch_dim_idx: a.time_major ? 1 : 0 });
  } else [sf, sb] = a.initial_states as [Nest, Nest];
  const [of, stf] = rnn(fw, a.inputs, sf, a.sequence_length, { time_major: a.time_major, ...kwargs });
  const [ob, stb] = rnn(bw, a.inputs, sb, a.sequence_length, { time_major: a.time_major, is_reverse: true, ...kwargs });
  return [map_structure((x: Tensor, y: Tensor) => concat([x, y], -1), of, ob), [stf, stb]];
}
const birnnParser = defineApi(`${L}birnn`, [
  p('cell_fw', T.any), p('cell_bw', T.any), p('inputs', T.any), p('initial_states', T.any, null), p('sequence_length', T.nullable(T.tensor), null), p('time_major', T.bool, false),
] as const, (a) => a);

// ---- decoders --------------------------------------------------------------------------------------------

/**
 * The interface of BasicDecoder's helpers: initialize() -> [initial_inputs, initial_finished],
 * sample(time, outputs, states) -> sample_ids, next_inputs(time, outputs, states, sample_ids)
 * -> [finished, next_inputs, next_states].
 */
export class DecodeHelper {
  initialize(): [Nest, Tensor] {
    return fail(`${L}DecodeHelper.initialize`, 'DecodeHelper.initialize is not implemented', UnimplementedError);
  }
  sample(_time: Tensor, _outputs: Nest, _states: Nest): Tensor {
    return fail(`${L}DecodeHelper.sample`, 'DecodeHelper.sample is not implemented', UnimplementedError);
  }
  next_inputs(_time: Tensor, _outputs: Nest, _states: Nest, _sample_ids: Tensor): [Tensor, Nest, Nest] {
    return fail(`${L}DecodeHelper.next_inputs`, 'DecodeHelper.next_inputs is not implemented', UnimplementedError);
  }
}

/**
 * Teacher forcing: step t gets the ground-truth inputs at t; an entry finishes when t reaches
 * its sequence_length. sample is argmax.
 * @param inputs the target inputs [batch, time, ...] (time_major: [time, batch, ...])
 * @param sequence_length int [batch]
 * @example const helper = new fluid.layers.TrainingHelper(trgEmb, trgLen)
 */
export class TrainingHelper extends DecodeHelper {
  inputs: Nest;
  sequence_length: Tensor;
  time_major: boolean;
  inputs_: Nest;
  constructor(...args: unknown[]) {
    super();
    const a = (trainingParser as unknown as (...x: unknown[]) => ReturnType<typeof trainingParser>)(...args);
    this.inputs = a.inputs;
    this.sequence_length = a.sequence_length;
    this.time_major = a.time_major;
    // one more (zero) step so that next_inputs can read past the end
    this.inputs_ = map_structure((x: Tensor) => {
      const pads = new Array<number>(2 * x.dims.length).fill(0);
      pads[this.time_major ? 1 : 3] = 1;
      return c.run1('pad', { X: [x] }, { paddings: pads, pad_value: 0 });
    }, this.inputs);
  }
  override initialize(): [Nest, Tensor] {
    const finished = equal(this.sequence_length, fill_constant([1], this.sequence_length.dtype, 0));
    const init = map_structure((x: Tensor) => timeSlice(x, 0, this.time_major ? 0 : 1), this.inputs);
    return [init, finished];
  }
  override sample(_time: Tensor, outputs: Tensor): Tensor {
    return argmax(outputs, -1);
  }
  override next_inputs(time: Tensor, _outputs: Nest, states: Nest, _ids: Tensor): [Tensor, Nest, Nest] {
    const t = time.dtype === 'int32' ? time : c.cast(time, 'int32');
    if (this.sequence_length.dtype !== t.dtype) this.sequence_length = c.cast(this.sequence_length, t.dtype);
    const next = c.add(t, fill_constant([1], 'int32', 1));
    const finished = less_equal(this.sequence_length, next);
    const axis = this.time_major ? 0 : 1;
    const inputs = map_structure((x: Tensor) => (state.staticMode ? timeSlice(x, next, axis) : timeSlice(x, Number(next.data[0]), axis)), this.inputs_);
    return [finished, inputs, states];
  }
}
const trainingParser = defineApi(`${L}TrainingHelper`, [p('inputs', T.any), p('sequence_length', T.tensor), p('time_major', T.bool, false)] as const, (a) => a);

/**
 * Greedy decoding: the next input is embedding_fn(argmax of the outputs); an entry finishes
 * at end_token.
 * @param embedding_fn maps ids to inputs
 * @param start_tokens int64 [batch]
 * @param end_token the end id
 * @example const helper = new fluid.layers.GreedyEmbeddingHelper((ids) => emb(ids), startTokens, 1)
 */
export class GreedyEmbeddingHelper extends DecodeHelper {
  embedding_fn: (ids: Tensor) => Nest;
  start_tokens: Tensor;
  end_token: Tensor;
  constructor(...args: unknown[]) {
    super();
    const a = (greedyParser as unknown as (...x: unknown[]) => ReturnType<typeof greedyParser>)(...args);
    if (typeof a.embedding_fn !== 'function') badArg(`${L}GreedyEmbeddingHelper`, 'embedding_fn', 'a function', a.embedding_fn);
    this.embedding_fn = a.embedding_fn as (ids: Tensor) => Nest;
    this.start_tokens = a.start_tokens;
    this.end_token = fill_constant([1], 'int64', a.end_token);
  }
  override initialize(): [Nest, Tensor] {
    const finished = run1('fill_constant_batch_size_like', { Input: [this.start_tokens] }, { shape: [-1], dtype: PROTO_DTYPE.bool, value: 0, force_cpu: true });
    return [this.embedding_fn(this.start_tokens), finished];
  }
  override sample(_time: Tensor, outputs: Tensor): Tensor {
    return argmax(outputs, -1);
  }
  override next_inputs(_time: Tensor, _outputs: Nest, states: Nest, ids: Tensor): [Tensor, Nest, Nest] {
    return [equal(ids, this.end_token), this.embedding_fn(ids), states];
  }
}
const greedyParser = defineApi(`${L}GreedyEmbeddingHelper`, [p('embedding_fn', T.any), p('start_tokens', T.tensor), p('end_token', T.int)] as const, (a) => a);

/**
 * Sampling decoding: the next id is drawn from softmax(outputs / softmax_temperature)
 * (operator sampling_id), then embedded.
 * @param softmax_temperature divides the logits (None: 1)
 * @param seed the sampler's seed (None: paddle.seed's generator)
 * @example const helper = new fluid.layers.SampleEmbeddingHelper((ids) => emb(ids), startTokens, 1, 0.5)
 */
export class SampleEmbeddingHelper extends GreedyEmbeddingHelper {
  softmax_temperature: Tensor | null;
  seed: number | null;
  constructor(...args: unknown[]) {
    const a = (sampleParser as unknown as (...x: unknown[]) => ReturnType<typeof sampleParser>)(...args);
    super(a.embedding_fn, a.start_tokens, a.end_token);
    this.softmax_temperature = a.softmax_temperature === null ? null : fill_constant([1], 'float32', a.softmax_temperature);
    this.seed = a.seed;
  }
  override sample(_time: Tensor, outputs: Tensor): Tensor {
    const logits = this.softmax_temperature ? c.div(outputs, this.softmax_temperature) : outputs;
    const probs = c.unary('softmax', logits, { axis: -1 });
    probs.stop_gradient = true;
    return run1('sampling_id', { X: [probs] }, { min: 0.0, max: 1.0, seed: this.seed ?? 0 });
  }
}
const sampleParser = defineApi(`${L}SampleEmbeddingHelper`, [
  p('embedding_fn', T.any), p('start_tokens', T.tensor), p('end_token', T.int), p('softmax_temperature', T.nullable(T.float), null), p('seed', T.nullable(T.int), null),
] as const, (a) => a);

/** BasicDecoder's step outputs: (cell_outputs, sample_ids). */
export class OutputWrapper {
  static readonly _fields = ['cell_outputs', 'sample_ids'] as const;
  constructor(readonly cell_outputs: Nest, readonly sample_ids: Tensor) {}
  get 0(): Nest {
    return this.cell_outputs;
  }
  get 1(): Tensor {
    return this.sample_ids;
  }
  get length(): number {
    return 2;
  }
  *[Symbol.iterator](): Iterator<Nest> {
    yield this.cell_outputs;
    yield this.sample_ids;
  }
}

/**
 * A decoder for dynamic_decode made of a cell and a DecodeHelper: each step runs the cell,
 * output_fn, helper.sample and helper.next_inputs; outputs are OutputWrapper(cell_outputs,
 * sample_ids).
 * @example const dec = new fluid.layers.BasicDecoder(cell, helper, (x) => fluid.layers.fc(x, vocab))
 */
export class BasicDecoder extends Decoder {
  static readonly OutputWrapper = OutputWrapper;
  cell: RNNCell;
  helper: DecodeHelper;
  output_fn: ((x: Nest) => Nest) | null;
  constructor(...args: unknown[]) {
    super();
    const a = (basicParser as unknown as (...x: unknown[]) => ReturnType<typeof basicParser>)(...args);
    const api = `${L}BasicDecoder`;
    if (typeof a.cell !== 'function') badArg(api, 'cell', 'an RNNCell', a.cell);
    if (!(a.helper instanceof DecodeHelper)) badArg(api, 'helper', 'a DecodeHelper', a.helper);
    if (a.output_fn !== null && typeof a.output_fn !== 'function') badArg(api, 'output_fn', 'a function or None', a.output_fn);
    this.cell = a.cell as RNNCell;
    this.helper = a.helper as DecodeHelper;
    this.output_fn = a.output_fn as ((x: Nest) => Nest) | null;
  }
  override initialize(initial_cell_states: Nest): [Nest, Nest, Tensor] {
    const [inputs, finished] = this.helper.initialize();
    return [inputs, initial_cell_states, finished];
  }
  override step(time: Tensor, inputs: Nest, states: Nest, kwargs?: Record<string, unknown>): [Nest, Nest, Nest, Tensor] {
    let [out, st] = this.cell(inputs, states, kwargs);
    if (this.output_fn) out = this.output_fn(out);
    const ids = this.helper.sample(time, out, st);
    ids.stop_gradient = true;
    const [finished, nextInputs, nextStates] = this.helper.next_inputs(time, out, st, ids);
    return [new OutputWrapper(out, ids), nextStates, nextInputs, finished];
  }
}
const basicParser = defineApi(`${L}BasicDecoder`, [p('cell', T.any), p('helper', T.any), p('output_fn', T.any, null)] as const, (a) => a);

export { Decoder, BeamSearchDecoder, dynamic_decode };
