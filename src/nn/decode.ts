// paddle.nn.BeamSearchDecoder and paddle.nn.dynamic_decode (python/paddle/nn/decode.py at 2.0,
// which re-exports fluid/layers/rnn.py's classes), with the Decoder base class they rely on.
//
// dynamic_decode runs as Paddle 2.0's dygraph version (`_dynamic_decode_imperative`) does: it
// calls decoder.step until every entry is finished, or for max_step_num + 1 steps at most
// (2.0 breaks only once the step count exceeds max_step_num), stacks each step's outputs on a
// new leading time axis, lets decoder.finalize revise them, and transposes to batch-major
// unless output_time_major. In static mode it builds what 2.0's `_dynamic_decode_declarative`
// does: a While loop whose body reads the inputs and states of the step from tensor arrays
// (or, with is_test, reuses and overwrites the same variables), runs decoder.step, and writes
// the outputs, next inputs and next states into tensor arrays at the step index.
//
// Structures of tensors (states, outputs) are Tensors, arrays (Python's lists and tuples),
// plain objects (dicts) or namedtuple-like objects (BeamSearchDecoder.StateWrapper /
// OutputWrapper, MultiHeadAttention.Cache), mapped leaf by leaf as Paddle's map_structure does.
// Keyword arguments of dynamic_decode that are not its own parameters (Python's **kwargs) are
// passed on to decoder.step as a trailing plain object, and from BeamSearchDecoder.step to the
// cell.
import { isPlainObject, makeParser, p, type CallArgs, type Ty } from '../core/args.js';
import { T } from '../core/convert.js';
import { getDefaultDType, type DType } from '../core/dtype.js';
import { describe, fail, UnimplementedError } from '../core/errors.js';
import { showShape } from '../core/shape.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { arange, assign, full, to_tensor, zeros_like } from '../tensor/creation.js';
import { gather_nd } from '../tensor/indexing.js';
import { equal, logical_not, logical_or } from '../tensor/logic.js';
import { cast, reshape, stack, tile, transpose, unsqueeze } from '../tensor/manipulation.js';
import { floor_divide, mod } from '../tensor/math.js';
import { all } from '../tensor/reduction.js';
import { topk } from '../tensor/search.js';
import { gather_tree } from './functional/extension.js';
import { array_read, array_write, tensor_array_to_tensor, While } from '../fluid/layers/control_flow.js';
import { increment, less_equal, runInto } from '../fluid/layers/misc.js';
import { assign as assignInto } from '../fluid/layers/tensor.js';
import { Variable } from '../static/framework.js';
import { generate } from '../static/unique_name.js';
import { default_main_program } from '../static/mode.js';
import { softmax } from './functional/activation.js';
import { log } from '../tensor/unary.js';

// ---- namedtuples and structures ---------------------------------------------------------------

/** A namedtuple instance: its fields by name and by position, iterable. */
export type NamedTupleOf<F extends readonly string[]> = { readonly [K in F[number]]: any } & {
  readonly length: number;
  readonly [i: number]: any;
  [Symbol.iterator](): Iterator<any>;
  /** A copy with some fields replaced. */
  _replace(changes: Partial<Record<F[number], unknown>>): NamedTupleOf<F>;
};
/** A namedtuple class, callable with or without `new`. */
export interface NamedTupleClass<F extends readonly string[]> {
  new (...values: unknown[]): NamedTupleOf<F>;
  (...values: unknown[]): NamedTupleOf<F>;
  readonly _fields: F;
  readonly prototype: NamedTupleOf<F>;
}

function namedTuple<const F extends readonly string[]>(name: string, fields: F): NamedTupleClass<F> {
  const ctor = function (this: unknown, ...values: unknown[]): NamedTupleOf<F> {
    if (!new.target) return new (ctor as unknown as NamedTupleClass<F>)(...values);
    if (values.length !== fields.length) fail(name, `takes ${fields.length} values (${fields.join(', ')}), but got ${values.length}`);
    const self = this as Record<string, unknown>;
    fields.forEach((f, i) => Object.defineProperty(self, f, { value: values[i], enumerable: true }));
    return self as unknown as NamedTupleOf<F>;
  };
  Object.defineProperty(ctor, 'name', { value: name });
  Object.defineProperty(ctor, '_fields', { value: Object.freeze(fields.slice()) });
  const proto = ctor.prototype as Record<PropertyKey, unknown>;
  fields.forEach((f, i) => Object.defineProperty(proto, i, { get(this: Record<string, unknown>) { return this[f]; } }));
  Object.defineProperty(proto, 'length', { value: fields.length });
  proto[Symbol.iterator] = function* (this: Record<string, unknown>) {
    for (const f of fields) yield this[f];
  };
  proto._replace = function (this: Record<string, unknown>, changes: Record<string, unknown>) {
    for (const k of Object.keys(changes)) if (!fields.includes(k)) fail(`${name}._replace`, `got an unexpected field name '${k}'`);
    return new (ctor as unknown as NamedTupleClass<F>)(...fields.map((f) => (f in changes ? changes[f] : this[f])));
  };
  proto.toString = function (this: Record<string, unknown>) {
    const show = (v: unknown): string => (v instanceof Tensor ? `Tensor(shape=${showShape(v.dims)}, dtype=${v.dtype})` : String(v));
    return `${name}(${fields.map((f) => `${f}=${show(this[f])}`).join(', ')})`;
  };
  return ctor as unknown as NamedTupleClass<F>;
}

/** The field names of a namedtuple-like value (ours, or any object whose class has `_fields`), or null. */
function tupleFields(v: unknown): readonly string[] | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Tensor) return null;
  const f = (v.constructor as { _fields?: unknown } | undefined)?._fields;
  return Array.isArray(f) ? (f as string[]) : null;
}

/** Paddle's map_structure: applies f to the leaves of one or more structures of the same shape. */
export function map_structure(f: (...leaves: any[]) => any, first: unknown, ...rest: unknown[]): any {
  const api = 'map_structure';
  if (Array.isArray(first)) {
    for (const r of rest)
      if (!Array.isArray(r) || r.length !== first.length) fail(api, `the structures do not match: ${describe(first)} and ${describe(r)}`);
    return first.map((x, i) => map_structure(f, x, ...rest.map((r) => (r as unknown[])[i])));
  }
  const fields = tupleFields(first);
  if (fields) {
    const Ctor = (first as object).constructor as new (...v: unknown[]) => unknown;
    return new Ctor(...fields.map((k) => map_structure(f, (first as Record<string, unknown>)[k], ...rest.map((r) => (r as Record<string, unknown>)?.[k]))));
  }
  if (isPlainObject(first)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(first)) out[k] = map_structure(f, first[k], ...rest.map((r) => (r as Record<string, unknown>)?.[k]));
    return out;
  }
  return f(first, ...rest);
}

/** The leaves of a structure, in order. */
export function flatten_structure(s: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(s)) for (const v of s) flatten_structure(v, out);
  else if (tupleFields(s)) for (const k of tupleFields(s)!) flatten_structure((s as Record<string, unknown>)[k], out);
  else if (isPlainObject(s)) for (const k of Object.keys(s)) flatten_structure(s[k], out);
  else out.push(s);
  return out;
}

/**
 * An empty tensor of an exact shape. Paddle's reshape reads a 0 in the target shape as "copy
 * this input dim", so a state with a zero-length dim (e.g. an empty MultiHeadAttention.Cache)
 * cannot be reshaped there; its elements are none, so a new empty tensor of the shape serves.
 */
function emptyOf(dims: number[], dtype: DType): Tensor {
  return full(dims, 0, dtype);
}

function tensorLeaf(v: unknown, api: string, what: string): Tensor {
  if (!(v instanceof Tensor)) fail(api, `${what} must be a Tensor, but got ${describe(v)}`);
  return v;
}

// ---- Decoder ----------------------------------------------------------------------------------

/** What decoder.initialize returns: [initial_inputs, initial_states, finished]. */
export type DecoderInit = [inputs: any, states: any, finished: Tensor];
/** What decoder.step returns: [outputs, next_states, next_inputs, finished]. */
export type DecoderStep = [outputs: any, states: any, inputs: any, finished: Tensor];

/**
 * The base of decoders used with dynamic_decode (Paddle's fluid.layers.Decoder): subclasses
 * define `initialize(inits)` -> `[initial_inputs, initial_states, finished]`,
 * `step(time, inputs, states, kwargs)` -> `[outputs, next_states, next_inputs, finished]`
 * (finished: a bool Tensor; kwargs: the extra keywords given to dynamic_decode, as a plain
 * object) and optionally `finalize(outputs, final_states, sequence_lengths)` ->
 * `[final_outputs, final_states]`. `tracks_own_finished` (false) says whether dynamic_decode
 * should take `finished` from step as is instead of OR-ing it with the finished so far.
 */
export class Decoder {
  /** Called once before decoding; returns [initial_inputs, initial_states, finished]. */
  initialize(_inits: unknown): DecoderInit {
    return fail(`${this.constructor.name}.initialize`, 'Decoder.initialize is not implemented', UnimplementedError);
  }
  /** One decoding step; returns [outputs, next_states, next_inputs, finished]. */
  step(_time: Tensor, _inputs: unknown, _states: unknown, _kwargs?: Record<string, unknown>): DecoderStep {
    return fail(`${this.constructor.name}.step`, 'Decoder.step is not implemented', UnimplementedError);
  }
  /** Revises the stacked outputs and the final states after decoding (optional). */
  finalize(_outputs: unknown, _final_states: unknown, _sequence_lengths: Tensor): [any, any] {
    return fail(`${this.constructor.name}.finalize`, 'Decoder.finalize is not implemented', UnimplementedError);
  }
  /** Whether the decoder tracks finished entries itself (beams get reordered): false. */
  get tracks_own_finished(): boolean {
    return false;
  }
}

// ---- BeamSearchDecoder ------------------------------------------------------------------------

const BSD = 'paddle.nn.BeamSearchDecoder';
const callableTy: Ty<(...a: any[]) => any> = {
  desc: 'a callable (a Layer or a function)',
  parse: (v, api, arg) => (typeof v === 'function' ? (v as (...a: any[]) => any) : fail(api, `argument '${arg}' expected a callable (a Layer or a function), but got ${describe(v)}`)),
};
const bsdParams = [
  p('cell', callableTy),
  p('start_token', T.int),
  p('end_token', T.int),
  p('beam_size', T.int),
  p('embedding_fn', T.nullable(callableTy), null),
  p('output_fn', T.nullable(callableTy), null),
] as const;
const parseBsd = makeParser(BSD, bsdParams);
const tileParams = [p('x', T.tensor), p('beam_size', T.int)] as const;
const parseTile = makeParser(`${BSD}.tile_beam_merge_with_batch`, tileParams);

const OutputWrapper = namedTuple('OutputWrapper', ['scores', 'predicted_ids', 'parent_ids'] as const);
const StateWrapper = namedTuple('StateWrapper', ['cell_states', 'log_probs', 'finished', 'lengths'] as const);
type Outputs = NamedTupleOf<readonly ['scores', 'predicted_ids', 'parent_ids']>;
type States = NamedTupleOf<readonly ['cell_states', 'log_probs', 'finished', 'lengths']>;

type CellLike = (inputs: any, states: any, kwargs?: Record<string, unknown>) => [any, any];

/**
 * Beam-search decoding with a cell (an RNN cell or any callable `cell(inputs, states)` that
 * returns `[outputs, new_states]`), for dynamic_decode. Each step runs the cell on all
 * `batch_size * beam_size` beams, applies output_fn to get logits `[batch, beam, vocab]`,
 * adds the log-softmax to each beam's score (finished beams may only emit end_token, at no
 * cost), keeps the beam_size best of the beam*vocab candidates per batch entry and reorders the
 * cell states accordingly. Its outputs per step are `OutputWrapper(scores, predicted_ids,
 * parent_ids)`, its states `StateWrapper(cell_states, log_probs, finished, lengths)`;
 * finalize back-traces the ids with gather_tree, so dynamic_decode returns predicted ids
 * `[batch, time, beam]` (time-major `[time, batch, beam]` with output_time_major).
 * Tensors of shape `[batch, ...]` that the cell uses besides its inputs and states (e.g. an
 * encoder output for attention) must be tiled first with `tile_beam_merge_with_batch`.
 * @param cell the step function: an RNNCellBase or a callable with the same interface
 * @param start_token id fed at the first step
 * @param end_token id that finishes a beam
 * @param beam_size number of beams
 * @param embedding_fn maps ids `[batch, beam]`... to the cell inputs (e.g. an Embedding); null: ids are the inputs
 * @param output_fn applied to the cell outputs to get the logits (e.g. a Linear); null: none
 * @example
 * const decoder = new nn.BeamSearchDecoder(new nn.GRUCell(32, 32), 0, 1, 4, { embedding_fn: new nn.Embedding(100, 32), output_fn: new nn.Linear(32, 100) })
 * const [ids] = nn.dynamic_decode(decoder, { inits: decoder.cell.get_initial_states(encoderOutput), max_step_num: 10 })
 */
export class BeamSearchDecoder extends Decoder {
  /** The per-step output structure: scores, predicted_ids, parent_ids (each [batch, beam]). */
  static readonly OutputWrapper = OutputWrapper;
  /** The state structure: cell_states, log_probs, finished, lengths. */
  static readonly StateWrapper = StateWrapper;

  cell: CellLike;
  embedding_fn: ((ids: Tensor) => any) | null;
  output_fn: ((outputs: any) => any) | null;
  start_token: number;
  end_token: number;
  beam_size: number;
  /** Set by initialize: the "infinity" of masked log-probabilities (1e9). */
  kinf = 1e9;
  /** Set by initialize: the batch size. */
  batch_size = -1;
  /** Set at each step: the vocabulary size (the logits' last dim). */
  vocab_size = -1;
  /** Set at each step: 0 at end_token and -kinf elsewhere, in the default dtype. */
  noend_mask_tensor: Tensor | null = null;

  constructor(...args: CallArgs<typeof bsdParams>) {
    super();
    const a = parseBsd(args) as {
      cell: CellLike; start_token: number; end_token: number; beam_size: number;
      embedding_fn: ((ids: Tensor) => any) | null; output_fn: ((o: any) => any) | null;
    };
    if (a.beam_size < 1) fail(BSD, `beam_size must be a positive integer, but got ${a.beam_size}`);
    if (a.end_token < 0) fail(BSD, `end_token must be a non-negative id, but got ${a.end_token}`);
    this.cell = a.cell;
    this.embedding_fn = a.embedding_fn;
    this.output_fn = a.output_fn;
    this.start_token = a.start_token;
    this.end_token = a.end_token;
    this.beam_size = a.beam_size;
  }

  /**
   * Repeats each batch entry beam_size times along the batch dim: `[batch, ...]` ->
   * `[batch * beam_size, ...]` with entries `x[0], x[0], ..., x[1], x[1], ...`. Use it for
   * tensors the cell needs besides its states (e.g. an encoder output).
   * @param x a Tensor `[batch_size, ...]`
   * @param beam_size the beam width
   * @example const enc = nn.BeamSearchDecoder.tile_beam_merge_with_batch(encoderOutput, 4)
   */
  static tile_beam_merge_with_batch(...args: [x: Tensor, beam_size?: number | { beam_size: number }] | [{ x: Tensor; beam_size: number }]): Tensor {
    const api = `${BSD}.tile_beam_merge_with_batch`;
    const a = parseTile(args) as { x: Tensor; beam_size: number };
    if (a.beam_size < 1) fail(api, `beam_size must be a positive integer, but got ${a.beam_size}`);
    if (a.x.dims.length < 1) fail(api, `x must have a batch dim, but got shape ${showShape(a.x.dims)}`);
    const x = unsqueeze(a.x, [1]);
    const times = x.dims.map((_, i) => (i === 1 ? a.beam_size : 1));
    const tiled = tile(x, times);
    return reshape(tiled, [-1, ...a.x.dims.slice(1)]);
  }

  /** `[batch * beam, ...]` -> `[batch, beam, ...]`. */
  _split_batch_beams(x: Tensor): Tensor {
    tensorLeaf(x, `${BSD}._split_batch_beams`, 'x');
    if (x.size === 0) return emptyOf([x.dims[0] / this.beam_size, this.beam_size, ...x.dims.slice(1)], x.dtype);
    return reshape(x, [-1, this.beam_size, ...x.dims.slice(1)]);
  }
  /** `[batch, beam, ...]` -> `[batch * beam, ...]`. */
  _merge_batch_beams(x: Tensor): Tensor {
    tensorLeaf(x, `${BSD}._merge_batch_beams`, 'x');
    if (x.size === 0) return emptyOf([x.dims[0] * x.dims[1], ...x.dims.slice(2)], x.dtype);
    return reshape(x, [-1, ...x.dims.slice(2)]);
  }
  /** `[batch, ...]` -> `[batch, beam, ...]`, each entry repeated beam_size times. */
  _expand_to_beam_size(x: Tensor): Tensor {
    const u = unsqueeze(tensorLeaf(x, `${BSD}._expand_to_beam_size`, 'x'), [1]);
    return tile(u, u.dims.map((_, i) => (i === 1 ? this.beam_size : 1)));
  }
  /** Finished beams put all probability on end_token; the others are left as they are. */
  _mask_probs(probs: Tensor, finished: Tensor): Tensor {
    const f = cast(finished, probs.dtype);
    const onEnd = c.mul(tile(unsqueeze(f, [2]), [1, 1, this.vocab_size]), this.noend_mask_tensor!, -1);
    return c.sub(onEnd, c.mul(probs, c.scale(f, 1, -1), 0));
  }
  /** x `[batch, beam, ...]` gathered along the beam dim by indices `[batch, beam]`. */
  _gather(x: Tensor, indices: Tensor, batch_size: number): Tensor {
    const batchPos = tile(unsqueeze(arange(0, batch_size, 1, indices.dtype), [1]), [1, this.beam_size]);
    const coords = stack([batchPos, indices], 2);
    coords.stop_gradient = true;
    return gather_nd(x, coords);
  }

  /**
   * Starts decoding: the cell states tiled to `[batch, beam, ...]`, inputs filled with
   * start_token `[batch, beam]` (through embedding_fn if given), log_probs 0 for the first beam
   * and -1e9 for the others, nothing finished, lengths 0.
   * @param initial_cell_states the cell's initial states (a structure of `[batch, ...]` tensors)
   * @returns `[initial_inputs, StateWrapper(cell_states, log_probs, finished, lengths), finished]`
   */
  override initialize(initial_cell_states: unknown): DecoderInit {
    const api = `${BSD}.initialize`;
    this.kinf = 1e9;
    const first = tensorLeaf(flatten_structure(initial_cell_states)[0], api, 'the first initial cell state');
    if (first.dims.length < 1) fail(api, `the initial cell states need a batch dim, but got shape ${showShape(first.dims)}`);
    this.batch_size = first.dims[0];
    const B = this.batch_size;
    const initCellStates = map_structure((x: Tensor) => this._expand_to_beam_size(x), initial_cell_states);
    let initInputs: any = full([B, this.beam_size], this.start_token, 'int64');
    const row = [0, ...new Array<number>(this.beam_size - 1).fill(-this.kinf)];
    let logProbs = tile(to_tensor([row], { dtype: 'float32' }), [B, 1]);
    if (getDefaultDType() === 'float64') logProbs = cast(logProbs, 'float64');
    const initFinished = full([B, this.beam_size], false, 'bool');
    const initLengths = zeros_like(initInputs as Tensor);
    if (this.embedding_fn) initInputs = this.embedding_fn(initInputs as Tensor);
    return [initInputs, new StateWrapper(initCellStates, logProbs, initFinished, initLengths), initFinished];
  }

  /**
   * Scores the candidates of one step and keeps the beam_size best per batch entry.
   * @param time the step number (int64 [1])
   * @param logits `[batch, beam, vocab]`
   * @param next_cell_states the cell's new states, `[batch, beam, ...]`
   * @param beam_state the StateWrapper of the previous step
   * @returns `[OutputWrapper(scores, predicted_ids, parent_ids), StateWrapper(...)]`
   */
  _beam_search_step(_time: Tensor, logits: Tensor, next_cell_states: unknown, beam_state: States): [Outputs, States] {
    const api = `${BSD}.step`;
    if (logits.dims.length !== 3 || logits.dims[1] !== this.beam_size)
      fail(api, `the logits (cell outputs after output_fn) must have shape [batch_size, beam_size=${this.beam_size}, vocab_size], but got ${showShape(logits.dims)}`);
    this.vocab_size = logits.dims[2];
    const V = this.vocab_size;
    if (this.end_token >= V) fail(api, `end_token ${this.end_token} is not an id of the vocabulary of size ${V}`);
    const noend = new Array<number>(V).fill(-this.kinf);
    noend[this.end_token] = 0;
    const defaultDtype: DType = getDefaultDType() === 'float64' ? 'float64' : 'float32';
    this.noend_mask_tensor = cast(to_tensor(noend, { dtype: 'float32' }), defaultDtype);
    const vocabTensor = full([1], V, 'int64');
    const endTensor = full([1], this.end_token, 'int64');

    let stepLogProbs = log(softmax(logits));
    stepLogProbs = this._mask_probs(stepLogProbs, beam_state.finished as Tensor);
    const logProbs = c.add(stepLogProbs, beam_state.log_probs as Tensor, 0);
    const scores = reshape(logProbs, [-1, this.beam_size * V]);
    const [topkScores, topkIndices] = topk(scores, this.beam_size);
    const beamIndices = floor_divide(topkIndices, vocabTensor);
    const tokenIndices = mod(topkIndices, vocabTensor);
    const B = this.batch_size;
    const nextLogProbs = this._gather(reshape(logProbs, [-1, this.beam_size * V]), topkIndices, B);
    const nextCellStates = map_structure((x: Tensor) => this._gather(x, beamIndices, B), next_cell_states);
    let nextFinished = this._gather(beam_state.finished as Tensor, beamIndices, B);
    let nextLengths = this._gather(beam_state.lengths as Tensor, beamIndices, B);
    nextLengths = c.add(nextLengths, cast(logical_not(nextFinished), (beam_state.lengths as Tensor).dtype));
    nextFinished = logical_or(nextFinished, equal(tokenIndices, endTensor));
    return [new OutputWrapper(topkScores, tokenIndices, beamIndices), new StateWrapper(nextCellStates, nextLogProbs, nextFinished, nextLengths)];
  }

  /**
   * One beam-search step: runs the cell on the merged beams, applies output_fn, scores and
   * selects. Extra keywords (kwargs) are passed to the cell.
   * @returns `[OutputWrapper, StateWrapper, next_inputs, finished]`
   */
  override step(time: Tensor, inputs: unknown, states: unknown, kwargs: Record<string, unknown> = {}): DecoderStep {
    const api = `${BSD}.step`;
    if (!(states instanceof StateWrapper)) fail(api, `states must be the BeamSearchDecoder.StateWrapper from initialize or step, but got ${describe(states)}`);
    const st = states as States;
    const mergedInputs = map_structure((x: Tensor) => this._merge_batch_beams(x), inputs);
    const cellStates = map_structure((x: Tensor) => this._merge_batch_beams(x), st.cell_states);
    const r = Object.keys(kwargs).length > 0 ? this.cell(mergedInputs, cellStates, kwargs) : this.cell(mergedInputs, cellStates);
    if (!Array.isArray(r) || r.length !== 2) fail(api, `the cell must return [outputs, new_states], but returned ${describe(r)}`);
    let cellOutputs = map_structure((x: Tensor) => this._split_batch_beams(x), r[0]);
    const nextCellStates = map_structure((x: Tensor) => this._split_batch_beams(x), r[1]);
    if (this.output_fn) cellOutputs = this.output_fn(cellOutputs);
    const logits = tensorLeaf(cellOutputs, api, 'the cell output (after output_fn)');
    const [out, next] = this._beam_search_step(time, logits, nextCellStates, st);
    const finished = next.finished as Tensor;
    const sampleIds = out.predicted_ids as Tensor;
    sampleIds.stop_gradient = true;
    const nextInputs = this.embedding_fn ? this.embedding_fn(sampleIds) : sampleIds;
    return [out, next, nextInputs, finished];
  }

  /**
   * Back-traces the beams with gather_tree: returns `[predicted_ids, final_states]`, the ids
   * `[time, batch, beam]` (int64) of the full sequences ending at each final beam.
   */
  override finalize(outputs: unknown, final_states: unknown, _sequence_lengths: Tensor): [Tensor, any] {
    const o = outputs as Outputs;
    return [gather_tree(o.predicted_ids as Tensor, o.parent_ids as Tensor), final_states];
  }

  /** True: beams are reordered, so the decoder tracks finished entries itself. */
  override get tracks_own_finished(): boolean {
    return true;
  }
}

// ---- dynamic_decode ---------------------------------------------------------------------------

const DD = 'paddle.nn.dynamic_decode';
const ddParams = [
  p('decoder', T.any),
  p('inits', T.any, null),
  p('max_step_num', T.nullable(T.int), null),
  p('output_time_major', T.bool, false),
  p('impute_finished', T.bool, false),
  p('is_test', T.bool, false),
  p('return_length', T.bool, false),
] as const;
const ddNames = new Set<string>([...ddParams.map((q) => q.name), 'name']);
const parseDd = makeParser(DD, ddParams);

/** Keyword arguments of dynamic_decode: its own, plus any others for decoder.step. */
export type DynamicDecodeKwargs = {
  decoder?: unknown; inits?: unknown; max_step_num?: number | null; output_time_major?: boolean;
  impute_finished?: boolean; is_test?: boolean; return_length?: boolean;
} & Record<string, unknown>;

interface DecoderLike {
  initialize(inits: unknown): DecoderInit;
  step(time: Tensor, inputs: unknown, states: unknown, kwargs?: Record<string, unknown>): DecoderStep;
  finalize?(outputs: unknown, final_states: unknown, sequence_lengths: Tensor): [any, any];
  readonly tracks_own_finished?: boolean;
}

/** Python's `_maybe_copy`: the old state where step_mask (finished) is set, the new one elsewhere. */
function maybeCopy(oldState: Tensor, newState: Tensor, stepMask: Tensor): Tensor {
  const dtype = oldState.dtype;
  let s = oldState;
  let n = newState;
  if (dtype === 'bool') {
    s = cast(s, 'float32');
    n = cast(n, 'float32');
  }
  let m = stepMask;
  if (m.dtype !== s.dtype) {
    m = cast(m, s.dtype);
    m.stop_gradient = true;
  }
  const r = c.sub(c.mul(s, m, 0), c.mul(n, c.scale(m, 1, -1), 0));
  return dtype === 'bool' ? cast(r, 'bool') : r;
}

/**
 * Runs a decoder (e.g. a BeamSearchDecoder) step by step: `decoder.initialize(inits)`, then
 * `decoder.step` until every entry is finished (or max_step_num is passed), then the optional
 * `decoder.finalize`. Returns `[final_outputs, final_states]`, plus `sequence_lengths` (int64,
 * the shape of `finished`) when return_length. Each output tensor stacks all steps:
 * `[batch, time, ...]`, or `[time, batch, ...]` with output_time_major; for a
 * BeamSearchDecoder it is the back-traced predicted ids `[batch, time, beam]`. Keywords that
 * are not parameters of dynamic_decode are passed on to decoder.step (Python's **kwargs).
 * In static mode it builds a `while` loop over tensor arrays, as 2.0's `_dynamic_decode_declarative`.
 * @param decoder a Decoder (initialize / step / finalize)
 * @param inits passed to decoder.initialize (e.g. the cell's initial states)
 * @param max_step_num the step limit (null: until all finished); 2.0 runs at most max_step_num + 1 steps
 * @param output_time_major time-major outputs (false: batch-major)
 * @param impute_finished for decoders that do not track their own finished state, keep the
 *   states of finished entries unchanged (false)
 * @param is_test memory-saving mode in static graphs (no effect in dygraph)
 * @param return_length also return the sequence lengths (false)
 * @example
 * const [ids, states] = nn.dynamic_decode(decoder, { inits: cell.get_initial_states(encOut), max_step_num: 10 })
 */
export function dynamic_decode(decoder: unknown, ...args: unknown[]): any {
  const all_ = [decoder, ...args];
  let extra: Record<string, unknown> = {};
  let n = all_.length;
  let own: Record<string, unknown> | undefined;
  if (n > 1 && isPlainObject(all_[n - 1])) {
    const kw = all_[n - 1] as Record<string, unknown>;
    own = {};
    for (const k of Object.keys(kw)) {
      if (ddNames.has(k)) own[k] = kw[k];
      else extra[k] = kw[k];
    }
    n--;
  } else if (n === 1 && isPlainObject(decoder) && 'decoder' in (decoder as object)) {
    const kw = decoder as Record<string, unknown>;
    own = {};
    for (const k of Object.keys(kw)) {
      if (ddNames.has(k)) own[k] = kw[k];
      else extra[k] = kw[k];
    }
    n = 0;
  }
  const positional = all_.slice(0, n);
  const a = parseDd(own ? [...positional, own] : positional) as {
    decoder: DecoderLike; inits: unknown; max_step_num: number | null; output_time_major: boolean;
    impute_finished: boolean; is_test: boolean; return_length: boolean;
  };
  const dec = a.decoder;
  if (dec === null || (typeof dec !== 'object' && typeof dec !== 'function') || typeof dec.initialize !== 'function' || typeof dec.step !== 'function')
    fail(DD, `decoder must be a Decoder (with initialize and step methods), but got ${describe(dec)}`);
  if (a.max_step_num !== null && a.max_step_num < 0) fail(DD, `max_step_num must be non-negative, but got ${a.max_step_num}`);
  extra = { ...extra };
  if (state.staticMode) return dynamicDecodeStatic(dec, a, extra);

  const init = dec.initialize(a.inits);
  if (!Array.isArray(init) || init.length !== 3) fail(DD, `decoder.initialize must return [initial_inputs, initial_states, finished], but returned ${describe(init)}`);
  let [inputs, states, finished] = init as DecoderInit;
  finished = tensorLeaf(finished, DD, 'the finished flag from decoder.initialize');
  if (finished.dtype !== 'bool') fail(DD, `the finished flag must be a bool Tensor, but got ${finished.dtype}`);
  const tracksOwn = !!dec.tracks_own_finished;
  let cond = logical_not(all(finished));
  let sequenceLengths = cast(zeros_like(finished), 'int64');
  let outputs: unknown = null;
  let stepIdx = 0;
  let warned = false;
  while (cond.item()) {
    const stepTensor = full([1], stepIdx, 'int64');
    const r = dec.step(stepTensor, inputs, states, extra);
    if (!Array.isArray(r) || r.length !== 4) fail(DD, `decoder.step must return [outputs, next_states, next_inputs, finished], but returned ${describe(r)}`);
    let [stepOutputs, nextStates, nextInputs, nextFinished] = r as DecoderStep;
    nextFinished = tensorLeaf(nextFinished, DD, 'the finished flag from decoder.step');
    let nextLengths: Tensor;
    if (!tracksOwn) {
      nextFinished = logical_or(nextFinished, finished);
      // as 2.0: `finished` takes the new value in place (a decoder may hold it in its states),
      // before the lengths are counted and the states imputed
      assign(nextFinished, finished);
      const nowFinished = finished;
      nextLengths = c.add(sequenceLengths, cast(logical_not(nowFinished), sequenceLengths.dtype));
      if (a.impute_finished) nextStates = map_structure((x: Tensor, y: Tensor) => maybeCopy(x, y, nowFinished), states, nextStates);
    } else {
      const lengths = (nextStates as { lengths?: unknown } | null)?.lengths;
      if (lengths instanceof Tensor) nextLengths = lengths;
      else {
        if (!warned) process.emitWarning('`next_states` has no `lengths` attribute, the returned `sequence_lengths` would be all zeros.', 'UserWarning');
        warned = true;
        nextLengths = sequenceLengths;
      }
    }
    outputs = stepIdx === 0
      ? map_structure((x: unknown) => new ArrayWrapper(x), stepOutputs)
      : map_structure((x: unknown, w: ArrayWrapper) => w.append(x), stepOutputs, outputs);
    inputs = nextInputs;
    states = nextStates;
    finished = nextFinished;
    sequenceLengths = nextLengths;
    stepIdx++;
    cond = logical_not(all(finished));
    if (a.max_step_num !== null && stepIdx > a.max_step_num) break;
  }
  if (outputs === null) fail(DD, 'every entry was finished before the first step, so there are no outputs to stack');
  let finalOutputs: any = map_structure((w: ArrayWrapper) => stack(w.array as Tensor[], 0), outputs);
  let finalStates: any = states;
  if (typeof dec.finalize === 'function') {
    try {
      [finalOutputs, finalStates] = dec.finalize(finalOutputs, finalStates, sequenceLengths);
    } catch (e) {
      if (!(e instanceof UnimplementedError)) throw e;
    }
  }
  if (!a.output_time_major)
    finalOutputs = map_structure((x: Tensor) => transpose(x, [1, 0, ...x.dims.slice(2).map((_, i) => i + 2)]), finalOutputs);
  return a.return_length ? [finalOutputs, finalStates, sequenceLengths] : [finalOutputs, finalStates];
}

type DdArgs = { max_step_num: number | null; output_time_major: boolean; impute_finished: boolean; is_test: boolean; return_length: boolean; inits: unknown };

/** A tensor array created in the block enclosing the current (while) block. */
function arrayOutOfWhile(dtype: DType): Variable {
  const program = default_main_program();
  const parent = program.block(program.current_block().parent_idx);
  return parent.create_var({ name: `${generate('array')}.out`, type: 'LOD_TENSOR_ARRAY', dtype });
}

/** 2.0's `_dynamic_decode_declarative`: a While loop over tensor arrays (static mode). */
function dynamicDecodeStatic(dec: DecoderLike, a: DdArgs, extra: Record<string, unknown>): any {
  const init = dec.initialize(a.inits);
  if (!Array.isArray(init) || init.length !== 3) fail(DD, `decoder.initialize must return [initial_inputs, initial_states, finished], but returned ${describe(init)}`);
  const [initialInputs, initialStates, initialFinished0] = init as DecoderInit;
  const globalFinished = tensorLeaf(initialFinished0, DD, 'the finished flag from decoder.initialize');
  if (globalFinished.dtype !== 'bool') fail(DD, `the finished flag must be a bool Tensor, but got ${globalFinished.dtype}`);
  globalFinished.stop_gradient = true;
  const stepIdx = full([1], 0, 'int64');
  const cond = logical_not(all(globalFinished));
  const maxStep = a.max_step_num !== null ? full([1], a.max_step_num, 'int64') : null;
  const whileOp = new While(cond, a.is_test);
  const sequenceLengths = cast(zeros_like(globalFinished), 'int64');
  sequenceLengths.stop_gradient = true;
  const tracksOwn = !!dec.tracks_own_finished;
  let inputsArrays: any = null;
  let statesArrays: any = null;
  if (!a.is_test) {
    inputsArrays = map_structure((x: Tensor) => array_write(x, stepIdx), initialInputs);
    statesArrays = map_structure((x: Tensor) => array_write(x, stepIdx), initialStates);
  }
  let outputsArrays: any = null;
  let warned = false;
  whileOp.block(() => {
    const inputs = a.is_test ? initialInputs : map_structure((arr: Variable) => array_read(arr, stepIdx), inputsArrays);
    const states = a.is_test ? initialStates : map_structure((arr: Variable) => array_read(arr, stepIdx), statesArrays);
    const r = dec.step(stepIdx, inputs, states, extra);
    if (!Array.isArray(r) || r.length !== 4) fail(DD, `decoder.step must return [outputs, next_states, next_inputs, finished], but returned ${describe(r)}`);
    let [outputs, nextStates, nextInputs, nextFinished] = r as DecoderStep;
    nextFinished = tensorLeaf(nextFinished, DD, 'the finished flag from decoder.step');
    let nextLengths: Tensor;
    if (!tracksOwn) {
      nextFinished = logical_or(nextFinished, globalFinished);
      nextLengths = c.add(sequenceLengths, cast(logical_not(globalFinished), sequenceLengths.dtype));
      if (a.impute_finished) nextStates = map_structure((x: Tensor, y: Tensor) => maybeCopy(x, y, globalFinished), states, nextStates);
    } else {
      const lengths = (nextStates as { lengths?: unknown } | null)?.lengths;
      if (lengths instanceof Tensor) nextLengths = lengths;
      else {
        if (!warned) process.emitWarning('`next_states` has no `lengths` attribute, the returned `sequence_lengths` would be all zeros.', 'UserWarning');
        warned = true;
        nextLengths = sequenceLengths;
      }
    }
    outputsArrays = map_structure((x: Tensor) => arrayOutOfWhile(tensorLeaf(x, DD, 'a step output').dtype), outputs);
    map_structure((x: Tensor, arr: Variable) => array_write(x, stepIdx, arr), outputs, outputsArrays);
    increment(stepIdx, 1.0, true);
    // finished first: it may also be among the decoder's states
    assignInto(nextFinished, globalFinished);
    assignInto(nextLengths, sequenceLengths);
    if (a.is_test) {
      map_structure((x: Tensor, y: Tensor) => assignInto(x, y), nextInputs, initialInputs);
      map_structure((x: Tensor, y: Tensor) => assignInto(x, y), nextStates, initialStates);
    } else {
      map_structure((x: Tensor, arr: Variable) => array_write(x, stepIdx, arr), nextInputs, inputsArrays);
      map_structure((x: Tensor, arr: Variable) => array_write(x, stepIdx, arr), nextStates, statesArrays);
    }
    if (maxStep) runInto('logical_and', { X: [logical_not(all(globalFinished))], Y: [less_equal(stepIdx, maxStep)] }, {}, 'Out', cond, DD);
    else runInto('logical_not', { X: [all(globalFinished)] }, {}, 'Out', cond, DD);
  });
  let finalOutputs: any = map_structure((arr: Variable) => tensor_array_to_tensor(arr, 0, null, true)[0], outputsArrays);
  let finalStates: any = a.is_test ? initialStates : map_structure((arr: Variable) => array_read(arr, stepIdx), statesArrays);
  if (typeof dec.finalize === 'function') {
    try {
      [finalOutputs, finalStates] = dec.finalize(finalOutputs, finalStates, sequenceLengths);
    } catch (e) {
      if (!(e instanceof UnimplementedError)) throw e;
    }
  }
  if (!a.output_time_major)
    finalOutputs = map_structure((x: Tensor) => transpose(x, [1, 0, ...x.dims.slice(2).map((_, i) => i + 2)]), finalOutputs);
  return a.return_length ? [finalOutputs, finalStates, sequenceLengths] : [finalOutputs, finalStates];
}

/** Python's ArrayWrapper: one output leaf's values over the steps (a leaf for map_structure). */
class ArrayWrapper {
  array: unknown[];
  constructor(x: unknown) {
    this.array = [x];
  }
  append(x: unknown): this {
    this.array.push(x);
    return this;
  }
}
