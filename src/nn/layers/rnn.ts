// Recurrent layers of paddle.nn (python/paddle/nn/layer/rnn.py at 2.0): the cells
// (RNNCellBase, SimpleRNNCell, LSTMCell, GRUCell), the wrappers that unroll a cell over time
// (RNN, BiRNN: fluid.layers.rnn / birnn in dygraph, a step loop of the cell's operators) and
// the multi-layer networks (SimpleRNN, LSTM, GRU), which run Paddle's fused `rnn` operator.
//
// As in 2.0, a network is a LayerList of RNN / BiRNN sublayers ('0', '1', ...) holding the
// cells, and also owns every cell's parameters under the cuDNN-style names weight_ih_l{k},
// weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} (+ '_reverse' for the backward direction), so
// state_dict() lists both names (e.g. 'weight_ih_l0' and '0.cell.weight_ih') as Paddle's does
// and checkpoints map one to one. With every bias present the network appends one `rnn`
// operator per call (its WeightList is the weights, then the biases); with a bias disabled it
// falls back, as 2.0 does, to running its RNN / BiRNN sublayers with dropout between layers.
import { isPlainObject, makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { getDefaultDType, PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { describe, fail, UnimplementedError } from '../../core/errors.js';
import { hasOp } from '../../core/registry.js';
import { showShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import { LayerList } from '../containers.js';
import { Uniform } from '../initializer/uniform.js';
import { Layer } from '../layer.js';
import { attrTy } from '../param_attr.js';
import type { ParamBase } from '../parameter.js';

/** A (possibly nested) structure of tensors: a Tensor, or an array of structures (Python's tuples and lists). */
export type Nest = Tensor | readonly Nest[];

function flattenNest(n: unknown, out: Tensor[] = []): Tensor[] {
  if (Array.isArray(n)) for (const v of n) flattenNest(v, out);
  else out.push(n as Tensor);
  return out;
}
function mapNest(n: Nest, f: (t: Tensor) => Tensor): Nest {
  return Array.isArray(n) ? (n as readonly Nest[]).map((v) => mapNest(v, f)) : f(n as Tensor);
}
function mapNest2(a: Nest, b: Nest, f: (x: Tensor, y: Tensor) => Tensor, api: string): Nest {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || b.length !== a.length) fail(api, `the new states do not have the structure of the states (${describe(b)})`);
    return (a as readonly Nest[]).map((v, i) => mapNest2(v, (b as readonly Nest[])[i], f, api));
  }
  if (Array.isArray(b)) fail(api, 'the new states do not have the structure of the states');
  return f(a as Tensor, b as Tensor);
}
/** Rebuilds `like`'s structure from a flat list. */
function packNest(like: Nest, flat: Tensor[], pos = { i: 0 }): Nest {
  return Array.isArray(like) ? (like as readonly Nest[]).map((v) => packNest(v, flat, pos)) : flat[pos.i++];
}

function checkTensor(v: unknown, api: string, arg: string): Tensor {
  if (!(v instanceof Tensor)) fail(api, `argument '${arg}' must be a Tensor, but got ${describe(v)}`);
  return v;
}

/**
 * Python's fill_constant_batch_size_like: a tensor of `shape` filled with `value`, whose dim
 * `outIdx` is `ref`'s dim `inIdx` (the batch size). In static mode with an unknown batch size
 * it appends fill_constant_batch_size_like.
 */
function fillBatchLike(ref: Tensor, shape: readonly number[], dtype: DType, value: number, inIdx: number, outIdx: number, api: string): Tensor {
  const dims = shape.slice();
  const r = inIdx < 0 ? inIdx + ref.dims.length : inIdx;
  if (r < 0 || r >= ref.dims.length) fail(api, `batch_dim_idx ${inIdx} is out of range for the batch reference of shape ${showShape(ref.dims)}`);
  const batch = ref.dims[r];
  if (batch < 0) {
    if (!hasOp('fill_constant_batch_size_like'))
      fail(api, 'the batch size is unknown (-1) and operator fill_constant_batch_size_like is not available; pass the initial states explicitly', UnimplementedError);
    return run1('fill_constant_batch_size_like', { Input: [ref] }, { shape: dims, dtype: PROTO_DTYPE[dtype], value, input_dim_idx: r, output_dim_idx: outIdx });
  }
  dims[outIdx] = batch;
  return run1('fill_constant', {}, { shape: dims, dtype: PROTO_DTYPE[dtype], value });
}

const act = (type: string, x: Tensor): Tensor => run1(type, { X: [x] });
const splitLast = (x: Tensor, n: number): Tensor[] => dispatch('split', { X: [x] }, { num: n, sections: [], axis: x.dims.length - 1 }).Out;

type Shapes = readonly number[] | readonly Shapes[];
const isShape = (v: unknown): v is readonly number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

const initStatesParams = [
  p('batch_ref', T.any),
  p('shape', T.any, null),
  p('dtype', T.any, null),
  p('init_value', T.float, 0.0),
  p('batch_dim_idx', T.int, 0),
] as const;
const parseInitStates = makeParser('paddle.nn.RNNCellBase.get_initial_states', initStatesParams);

/**
 * The base of RNN cells: `forward(inputs, states)` returns `[outputs, new_states]`;
 * `state_shape` (and optionally `state_dtype`) describe the states so `get_initial_states`
 * can build them.
 */
export class RNNCellBase extends Layer {
  /**
   * Initial states filled with init_value: for each shape of `shape` (default: the cell's
   * state_shape; a nested structure of shapes), a tensor with the batch size of batch_ref
   * (its dim batch_dim_idx) in front (-1 is put first when the shape does not start with it).
   * @param batch_ref a Tensor (or a structure; its first tensor is used)
   * @param shape a shape or a nested structure of shapes (default this.state_shape)
   * @param dtype a dtype or a structure of dtypes (default this.state_dtype, else the default dtype)
   * @param init_value the fill value (0)
   * @param batch_dim_idx the batch dim of batch_ref (0)
   * @example cell.get_initial_states(x)   // LSTMCell: [h, c], each [batch, hidden]
   */
  get_initial_states(...args: CallArgs<typeof initStatesParams>): Nest {
    const api = `${this.constructor.name}.get_initial_states`;
    const a = parseInitStates(args) as { batch_ref: unknown; shape: unknown; dtype: unknown; init_value: number; batch_dim_idx: number };
    const ref = checkTensor(flattenNest(a.batch_ref)[0], api, 'batch_ref');
    const shapes = (a.shape ?? this.state_shape) as Shapes;
    let dtypes: unknown = a.dtype;
    if (dtypes === null) {
      try {
        dtypes = this.state_dtype;
      } catch (e) {
        if (!(e instanceof UnimplementedError)) throw e;
        dtypes = getDefaultDType();
      }
    }
    const flatD: unknown[] = Array.isArray(dtypes) ? (dtypes as unknown[]).flat(Infinity) : [dtypes];
    const single = flatD.length === 1 ? T.dtype.parse(flatD[0], api, 'dtype') : null;
    let di = 0;
    const build = (s: Shapes): Nest => {
      if (isShape(s)) {
        const full = s[0] === -1 ? s.slice() : [-1, ...s];
        const dt = single ?? T.dtype.parse(flatD[di++], api, 'dtype');
        return fillBatchLike(ref, full, dt, a.init_value, a.batch_dim_idx, 0, api);
      }
      if (!Array.isArray(s)) fail(api, `shape must be a list of ints or a nested structure of them, but got ${describe(s)}`);
      return (s as readonly Shapes[]).map(build);
    };
    return build(shapes);
  }

  /** The shape(s) of the states without the batch dim; cells override it. */
  get state_shape(): Shapes {
    return fail(`${this.constructor.name}.state_shape`, 'Please add implementaion for `state_shape` in the used cell.', UnimplementedError);
  }
  /** The dtype(s) of the states; cells may override it (default: paddle.get_default_dtype()). */
  get state_dtype(): unknown {
    return fail(`${this.constructor.name}.state_dtype`, 'Please add implementaion for `state_dtype` in the used cell.', UnimplementedError);
  }
}

const nameP = p('name', T.nullable(T.str), null);
const attrParams = [p('weight_ih_attr', attrTy, null), p('weight_hh_attr', attrTy, null), p('bias_ih_attr', attrTy, null), p('bias_hh_attr', attrTy, null)] as const;
interface CellArgs {
  input_size: number;
  hidden_size: number;
  weight_ih_attr: unknown;
  weight_hh_attr: unknown;
  bias_ih_attr: unknown;
  bias_hh_attr: unknown;
}

function checkSizes(api: string, input: number, hidden: number): void {
  if (!(input > 0)) fail(api, `input_size must be a positive integer, but got ${input}`);
  if (!(hidden > 0)) fail(api, `hidden_size must be a positive integer, but got ${hidden}`);
}

/** The four parameters of a cell with `gates` gates, each U(-1/sqrt(hidden), 1/sqrt(hidden)). */
function cellParams(cell: CellLayer, gates: number, a: CellArgs): void {
  const std = 1.0 / Math.sqrt(a.hidden_size);
  const GH = gates * a.hidden_size;
  cell.weight_ih = cell.create_parameter({ shape: [GH, a.input_size], attr: a.weight_ih_attr, default_initializer: new Uniform(-std, std) });
  cell.weight_hh = cell.create_parameter({ shape: [GH, a.hidden_size], attr: a.weight_hh_attr, default_initializer: new Uniform(-std, std) });
  cell.bias_ih = cell.create_parameter({ shape: [GH], attr: a.bias_ih_attr, is_bias: true, default_initializer: new Uniform(-std, std) }) ?? null;
  cell.bias_hh = cell.create_parameter({ shape: [GH], attr: a.bias_hh_attr, is_bias: true, default_initializer: new Uniform(-std, std) }) ?? null;
  cell.input_size = a.input_size;
  cell.hidden_size = a.hidden_size;
}

/** x W^T (+ b), as the cells compute their projections (matmul_v2, elementwise_add). */
function project(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const y = c.matmul(x, w, false, true);
  return b ? c.add(y, b) : y;
}

const cellForwardParams = [p('inputs', T.tensor), p('states', T.any, null)] as const;

/** The parts every built-in cell shares. */
abstract class CellLayer extends RNNCellBase {
  declare weight_ih: ParamBase;
  declare weight_hh: ParamBase;
  declare bias_ih: ParamBase | null;
  declare bias_hh: ParamBase | null;
  declare input_size: number;
  declare hidden_size: number;

  /** Checks the step input [batch, input_size]; returns the states (initial ones when null). */
  protected stepStates(api: string, x: Tensor, states: unknown): unknown {
    if (x.dims.length < 1 || (x.dims[x.dims.length - 1] >= 0 && x.dims[x.dims.length - 1] !== this.input_size))
      fail(api, `the inputs must have input_size=${this.input_size} features in the last dim, but got shape ${showShape(x.dims)}`);
    return states === null || states === undefined ? this.get_initial_states(x, this.state_shape) : states;
  }
  override extra_repr(): string {
    return `${this.input_size}, ${this.hidden_size}`;
  }
}

const simpleCellParams = [p('input_size', T.int), p('hidden_size', T.int), p('activation', T.str, 'tanh'), ...attrParams, nameP] as const;
const parseSimpleCell = makeParser('paddle.nn.SimpleRNNCell', simpleCellParams);

/**
 * Elman RNN cell: h = act(W_ih x + b_ih + W_hh h_prev + b_hh), act tanh or relu.
 * weight_ih [hidden, input], weight_hh [hidden, hidden], biases [hidden], all
 * U(-1/sqrt(hidden), 1/sqrt(hidden)). `forward(inputs, states=null)` returns `[h, h]`.
 * @param input_size features of the input
 * @param hidden_size features of the state
 * @param activation 'tanh' or 'relu' ('tanh')
 * @param weight_ih_attr ParamAttr of weight_ih (and weight_hh_attr, bias_ih_attr, bias_hh_attr; false drops a bias)
 * @example
 * const cell = new nn.SimpleRNNCell(16, 32)
 * const [y, h] = cell(paddle.randn([4, 16]), paddle.randn([4, 32]))   // [4, 32] each
 */
export class SimpleRNNCell extends CellLayer {
  declare activation: string;
  constructor(...args: CallArgs<typeof simpleCellParams>) {
    super();
    const api = 'paddle.nn.SimpleRNNCell';
    const a = parseSimpleCell(args) as unknown as CellArgs & { activation: string };
    checkSizes(api, a.input_size, a.hidden_size);
    cellParams(this, 1, a);
    if (a.activation !== 'tanh' && a.activation !== 'relu')
      fail(api, `activation for SimpleRNNCell should be tanh or relu, but get ${a.activation}`);
    this.activation = a.activation;
  }
  override forward(...args: CallArgs<typeof cellForwardParams>): [Tensor, Tensor] {
    const api = 'paddle.nn.SimpleRNNCell';
    const a = parseCellForward(args) as { inputs: Tensor; states: unknown };
    const h0 = checkTensor(this.stepStates(api, a.inputs, a.states), api, 'states');
    const i2h = project(a.inputs, this.weight_ih, this.bias_ih);
    const h2h = project(h0, this.weight_hh, this.bias_hh);
    const h = act(this.activation === 'tanh' ? 'tanh' : 'relu', c.add(i2h, h2h));
    return [h, h];
  }
  override get state_shape(): Shapes {
    return [this.hidden_size];
  }
  override extra_repr(): string {
    return `${this.input_size}, ${this.hidden_size}` + (this.activation !== 'tanh' ? `, activation=${this.activation}` : '');
  }
}
const parseCellForward = makeParser('paddle.nn.RNNCellBase.forward', cellForwardParams);

const gatedCellParams = [p('input_size', T.int), p('hidden_size', T.int), ...attrParams, nameP] as const;
const parseLSTMCell = makeParser('paddle.nn.LSTMCell', gatedCellParams);
const parseGRUCell = makeParser('paddle.nn.GRUCell', gatedCellParams);

/**
 * LSTM cell, gates in Paddle's order i, f, g (cell candidate), o:
 * i = σ(W_ii x + b_ii + W_hi h + b_hi), f = σ(...), g = tanh(...), o = σ(...),
 * c = f * c_prev + i * g, h = o * tanh(c) (no forget-gate offset). weight_ih [4*hidden, input],
 * weight_hh [4*hidden, hidden]. `forward(inputs, states=[h, c])` returns `[h, [h, c]]`.
 * @param input_size features of the input
 * @param hidden_size features of h and c
 * @example
 * const cell = new nn.LSTMCell(16, 32)
 * const [y, [h, c]] = cell(paddle.randn([4, 16]), [paddle.randn([4, 32]), paddle.randn([4, 32])])
 */
export class LSTMCell extends CellLayer {
  constructor(...args: CallArgs<typeof gatedCellParams>) {
    super();
    const a = parseLSTMCell(args) as unknown as CellArgs;
    checkSizes('paddle.nn.LSTMCell', a.input_size, a.hidden_size);
    cellParams(this, 4, a);
  }
  override forward(...args: CallArgs<typeof cellForwardParams>): [Tensor, [Tensor, Tensor]] {
    const api = 'paddle.nn.LSTMCell';
    const a = parseCellForward(args) as { inputs: Tensor; states: unknown };
    const st = this.stepStates(api, a.inputs, a.states);
    if (!Array.isArray(st) || st.length !== 2) fail(api, `states must be a pair [h, c], but got ${describe(st)}`);
    const preH = checkTensor(st[0], api, 'states[0]');
    const preC = checkTensor(st[1], api, 'states[1]');
    let gates = project(a.inputs, this.weight_ih, this.bias_ih);
    gates = c.add(gates, project(preH, this.weight_hh, this.bias_hh));
    const [gi, gf, gg, go] = splitLast(gates, 4);
    const i = act('sigmoid', gi);
    const f = act('sigmoid', gf);
    const o = act('sigmoid', go);
    const cNew = c.add(c.mul(f, preC), c.mul(i, act('tanh', gg)));
    const h = c.mul(o, act('tanh', cNew));
    return [h, [h, cNew]];
  }
  override get state_shape(): Shapes {
    return [[this.hidden_size], [this.hidden_size]];
  }
}

/**
 * GRU cell, gates in Paddle's order r, z, c, with the reset gate applied after the hidden
 * projection: r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(...),
 * c = tanh(W_ic x + b_ic + r * (W_hc h + b_hc)), h = z * h_prev + (1 - z) * c.
 * weight_ih [3*hidden, input], weight_hh [3*hidden, hidden]. `forward(inputs, states)`
 * returns `[h, h]`.
 * @param input_size features of the input
 * @param hidden_size features of the state
 * @example
 * const cell = new nn.GRUCell(16, 32)
 * const [y, h] = cell(paddle.randn([4, 16]), paddle.randn([4, 32]))
 */
export class GRUCell extends CellLayer {
  constructor(...args: CallArgs<typeof gatedCellParams>) {
    super();
    const a = parseGRUCell(args) as unknown as CellArgs;
    checkSizes('paddle.nn.GRUCell', a.input_size, a.hidden_size);
    cellParams(this, 3, a);
  }
  override forward(...args: CallArgs<typeof cellForwardParams>): [Tensor, Tensor] {
    const api = 'paddle.nn.GRUCell';
    const a = parseCellForward(args) as { inputs: Tensor; states: unknown };
    const preH = checkTensor(this.stepStates(api, a.inputs, a.states), api, 'states');
    const xg = project(a.inputs, this.weight_ih, this.bias_ih);
    const hg = project(preH, this.weight_hh, this.bias_hh);
    const [xr, xz, xc] = splitLast(xg, 3);
    const [hr, hz, hc] = splitLast(hg, 3);
    const r = act('sigmoid', c.add(xr, hr));
    const z = act('sigmoid', c.add(xz, hz));
    const cand = act('tanh', c.add(xc, c.mul(r, hc)));
    const h = c.add(c.mul(c.sub(preH, cand), z), cand);
    return [h, h];
  }
  override get state_shape(): Shapes {
    return [this.hidden_size];
  }
}

// ---------------------------------------------------------------------------------------
// RNN and BiRNN: a cell unrolled over time (fluid.layers.rnn / birnn in dygraph).

/** Splits a trailing keyword object into the known parameters and the extra keywords for the cell. */
function splitKwargs(args: unknown[], known: readonly string[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  if (args.length === 0 || !isPlainObject(last)) return [args, {}];
  const kw: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(last)) (known.includes(k) || k === 'name' ? kw : extra)[k] = v;
  const rest = args.slice(0, -1);
  if (Object.keys(kw).length) rest.push(kw);
  return [rest, extra];
}

/** A float [T, N] mask, 1 where step t < sequence_length[n] (sequence_mask, transposed). */
function stepMask(seqLen: Tensor, T: number, dtype: DType): Tensor {
  const steps = c.reshape(run1('range', {
    Start: [run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE.int64, value: 0 })],
    End: [run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE.int64, value: T })],
    Step: [run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE.int64, value: 1 })],
  }), [T, 1]);
  const lens = c.reshape(c.cast(seqLen, 'int64'), [1, -1]);
  return c.maskOf('less_than', steps, lens, dtype);
}

/**
 * fluid.layers.rnn in dygraph: runs `cell` step by step. With sequence_length the states stop
 * changing past each sequence's length (the outputs there are the cell's, from the frozen state).
 */
export function runRnn(
  api: string, cell: Layer, inputs: Nest, initialStates: Nest | null, sequenceLength: Tensor | null,
  timeMajor: boolean, isReverse: boolean, kwargs: Record<string, unknown>,
): [Nest, Nest] {
  const tIdx = timeMajor ? 0 : 1;
  const flat = flattenNest(inputs);
  if (flat.length === 0) fail(api, 'inputs must hold at least one Tensor');
  for (const x of flat) {
    checkTensor(x, api, 'inputs');
    if (x.dims.length < 2) fail(api, `inputs must be at least 2-D ([batch, time, ...] or [time, batch, ...]), but got shape ${showShape(x.dims)}`);
  }
  const T = flat[0].dims[tIdx];
  if (T < 0) fail(api, 'the number of time steps must be known (static mode with an unknown time dim is not supported)', UnimplementedError);
  let states: Nest;
  if (initialStates === null) {
    if (!(cell instanceof RNNCellBase)) fail(api, 'initial_states must be given for a cell that is not an RNNCellBase');
    states = cell.get_initial_states({ batch_ref: inputs, batch_dim_idx: timeMajor ? 1 : 0 });
  } else states = initialStates;
  let xs: Nest = timeMajor ? inputs : mapNest(inputs, (x) => c.transpose(x, [1, 0, ...x.dims.slice(2).map((_, i) => i + 2)]));
  let masks: Tensor[] | null = null;
  if (sequenceLength !== null) {
    checkTensor(sequenceLength, api, 'sequence_length');
    let m = stepMask(sequenceLength, T, flat[0].dtype);
    if (isReverse) m = run1('flip', { X: [m] }, { axis: [0] });
    masks = T > 0 ? dispatch('unstack', { X: [m] }, { axis: 0, num: T }).Y : [];
  }
  if (isReverse) xs = mapNest(xs, (x) => run1('flip', { X: [x] }, { axis: [0] }));
  const flatSteps = flattenNest(xs).map((x) => (T > 0 ? dispatch('unstack', { X: [x] }, { axis: 0, num: T }).Y : []));
  const hasKw = Object.keys(kwargs).length > 0;
  const outputs: Tensor[][] = [];
  let outLike: Nest | null = null;
  for (let i = 0; i < T; i++) {
    const stepIn = packNest(xs, flatSteps.map((s) => s[i]));
    const r = (hasKw ? (cell as any)(stepIn, states, kwargs) : (cell as any)(stepIn, states)) as [Nest, Nest];
    if (!Array.isArray(r) || r.length !== 2) fail(api, `the cell must return [outputs, new_states], but returned ${describe(r)}`);
    let [stepOut, newStates] = r;
    if (masks) {
      const mk = masks[i];
      newStates = mapNest2(states, newStates, (s, n) => c.add(c.mul(n, mk, 0), c.mul(s, c.scale(mk, -1, 1), 0)), api);
    }
    states = newStates;
    const fo = flattenNest(stepOut);
    if (i === 0) {
      outLike = stepOut;
      for (const o of fo) outputs.push([o]);
    } else fo.forEach((o, k) => outputs[k].push(o));
  }
  if (T === 0) fail(api, 'inputs must have at least one time step');
  let finals = outputs.map((list) => run1('stack', { X: list }, { axis: tIdx }, 'Y'));
  if (isReverse) finals = finals.map((o) => run1('flip', { X: [o] }, { axis: [tIdx] }));
  return [packNest(outLike!, finals), states];
}

const rnnForwardParams = [p('inputs', T.any), p('initial_states', T.any, null), p('sequence_length', T.nullable(T.tensor), null)] as const;
const parseRnnForward = makeParser('paddle.nn.RNN.forward', rnnForwardParams);
const parseBiRnnForward = makeParser('paddle.nn.BiRNN.forward', rnnForwardParams);
const rnnParams = [p('cell', T.instance(Layer, 'an RNN cell (Layer)')), p('is_reverse', T.bool, false), p('time_major', T.bool, false)] as const;
const parseRnn = makeParser('paddle.nn.RNN', rnnParams);

/**
 * Unrolls a cell over the time steps of `inputs` (a Python loop of the cell's operators).
 * `forward(inputs, initial_states=null, sequence_length=null, ...cell keywords)` returns
 * `[outputs, final_states]`; outputs are [batch, time, ...] unless time_major. With
 * sequence_length the states freeze after each sequence's length.
 * @param cell an RNNCellBase (or any Layer returning [outputs, new_states])
 * @param is_reverse process the steps from last to first (false)
 * @param time_major inputs are [time, batch, ...] (false)
 * @example
 * const rnn = new nn.RNN(new nn.SimpleRNNCell(16, 32))
 * const [y, h] = rnn(paddle.rand([4, 23, 16]), paddle.randn([4, 32]))   // y [4, 23, 32]
 */
export class RNN extends Layer {
  declare cell: Layer;
  declare is_reverse: boolean;
  declare time_major: boolean;
  constructor(...args: CallArgs<typeof rnnParams>) {
    super();
    const a = parseRnn(args) as { cell: Layer; is_reverse: boolean; time_major: boolean };
    this.cell = a.cell;
    this.is_reverse = a.is_reverse;
    this.time_major = a.time_major;
  }
  override forward(...args: unknown[]): [any, any] {
    const [rest, extra] = splitKwargs(args, ['inputs', 'initial_states', 'sequence_length']);
    const a = parseRnnForward(rest) as { inputs: Nest; initial_states: Nest | null; sequence_length: Tensor | null };
    return runRnn('paddle.nn.RNN', this.cell, a.inputs, a.initial_states, a.sequence_length, this.time_major, this.is_reverse, extra);
  }
}

const biRnnParams = [p('cell_fw', T.instance(Layer, 'an RNN cell (Layer)')), p('cell_bw', T.instance(Layer, 'an RNN cell (Layer)')), p('time_major', T.bool, false)] as const;
const parseBiRnn = makeParser('paddle.nn.BiRNN', biRnnParams);

/**
 * Runs cell_fw forward and cell_bw backward over the sequence and concatenates their outputs
 * on the last dim. `forward(inputs, initial_states=null, sequence_length=null)` returns
 * `[outputs, [states_fw, states_bw]]`; initial_states is `[states_fw, states_bw]`.
 * @param cell_fw the forward cell
 * @param cell_bw the backward cell (same input_size)
 * @param time_major inputs are [time, batch, ...] (false)
 * @example
 * const rnn = new nn.BiRNN(new nn.LSTMCell(16, 32), new nn.LSTMCell(16, 32))
 * const [y, [[hf, cf], [hb, cb]]] = rnn(paddle.rand([2, 23, 16]))   // y [2, 23, 64]
 */
export class BiRNN extends Layer {
  declare cell_fw: Layer;
  declare cell_bw: Layer;
  declare time_major: boolean;
  constructor(...args: CallArgs<typeof biRnnParams>) {
    super();
    const a = parseBiRnn(args) as { cell_fw: Layer & { input_size?: number }; cell_bw: Layer & { input_size?: number }; time_major: boolean };
    this.cell_fw = a.cell_fw;
    this.cell_bw = a.cell_bw;
    if (a.cell_fw.input_size !== a.cell_bw.input_size)
      fail('paddle.nn.BiRNN', `input size of forward cell(${a.cell_fw.input_size}) does not equals that of backward cell(${a.cell_bw.input_size})`);
    this.time_major = a.time_major;
  }
  override forward(...args: unknown[]): [any, [any, any]] {
    const api = 'paddle.nn.BiRNN';
    const [rest, extra] = splitKwargs(args, ['inputs', 'initial_states', 'sequence_length']);
    const a = parseBiRnnForward(rest) as { inputs: Nest; initial_states: Nest | null; sequence_length: Tensor | null };
    let fw: Nest | null = null;
    let bw: Nest | null = null;
    if (a.initial_states !== null) {
      if (!Array.isArray(a.initial_states) || a.initial_states.length !== 2)
        fail(api, `initial_states must be a pair [states_fw, states_bw], but got ${describe(a.initial_states)}`);
      [fw, bw] = a.initial_states as [Nest, Nest];
    }
    const [ofw, sfw] = runRnn(api, this.cell_fw, a.inputs, fw, a.sequence_length, this.time_major, false, extra);
    const [obw, sbw] = runRnn(api, this.cell_bw, a.inputs, bw, a.sequence_length, this.time_major, true, extra);
    const outputs = mapNest2(ofw, obw, (x, y) => run1('concat', { X: [x, y] }, { axis: -1 }), api);
    return [outputs, [sfw, sbw]];
  }
}

// ---------------------------------------------------------------------------------------
// SimpleRNN, LSTM, GRU

const BIDIRECTIONAL = ['bidirectional', 'bidirect'];

interface BaseArgs extends Omit<CellArgs, 'input_size' | 'hidden_size'> {
  input_size: number;
  hidden_size: number;
  num_layers: number;
  direction: string;
  time_major: boolean;
  dropout: number;
  activation?: string;
}

/**
 * What SimpleRNN, LSTM and GRU share (Paddle's RNNBase, a LayerList of RNN / BiRNN layers).
 * `forward(inputs, initial_states=null, sequence_length=null)` returns `[outputs, final_states]`
 * with states [num_layers * num_directions, batch, hidden] (LSTM: `[h, c]`).
 */
export class RNNBase extends LayerList<RNN | BiRNN> {
  declare mode: string;
  declare input_size: number;
  declare hidden_size: number;
  declare dropout: number;
  declare num_directions: number;
  declare time_major: boolean;
  declare num_layers: number;
  declare state_components: number;
  declare could_use_cudnn: boolean;
  declare _all_weights: ParamBase[];
  declare _api: string;
  /** The cells' parameters under the cuDNN-style names (weight_ih_l0, bias_hh_l1_reverse, ...). */
  [name: `weight_${string}` | `bias_${string}`]: ParamBase;

  constructor(api: string, mode: string, a: BaseArgs) {
    super();
    Object.defineProperty(this, '_api', { value: api, writable: true, configurable: true, enumerable: false });
    checkSizes(api, a.input_size, a.hidden_size);
    if (!(Number.isInteger(a.num_layers) && a.num_layers >= 1)) fail(api, `num_layers must be a positive integer, but got ${a.num_layers}`);
    if (!(a.dropout >= 0 && a.dropout <= 1)) fail(api, `dropout must be in [0, 1], but got ${a.dropout}`);
    this.mode = mode;
    this.input_size = a.input_size;
    this.hidden_size = a.hidden_size;
    this.dropout = a.dropout;
    const bidirect = BIDIRECTIONAL.includes(a.direction);
    this.num_directions = bidirect ? 2 : 1;
    this.time_major = a.time_major;
    this.num_layers = a.num_layers;
    this.state_components = mode === 'LSTM' ? 2 : 1;
    const kw = { weight_ih_attr: a.weight_ih_attr, weight_hh_attr: a.weight_hh_attr, bias_ih_attr: a.bias_ih_attr, bias_hh_attr: a.bias_hh_attr };
    const make = (inSize: number): Layer =>
      mode === 'LSTM' ? new LSTMCell(inSize, a.hidden_size, kw) : mode === 'GRU' ? new GRUCell(inSize, a.hidden_size, kw) : new SimpleRNNCell(inSize, a.hidden_size, a.activation, kw);
    if (a.direction === 'forward') {
      this.append(new RNN(make(a.input_size), false, a.time_major));
      for (let i = 1; i < a.num_layers; i++) this.append(new RNN(make(a.hidden_size), false, a.time_major));
    } else if (bidirect) {
      this.append(new BiRNN(make(a.input_size), make(a.input_size), a.time_major));
      for (let i = 1; i < a.num_layers; i++) this.append(new BiRNN(make(2 * a.hidden_size), make(2 * a.hidden_size), a.time_major));
    } else fail(api, `direction should be forward or bidirect (or bidirectional), received direction = ${a.direction}`);
    const params = this.parameters();
    this.could_use_cudnn = params.length === a.num_layers * 4 * this.num_directions;
    // the cells' parameters, also under the cuDNN-style names
    const names: string[] = [];
    for (let l = 0; l < a.num_layers; l++)
      for (let d = 0; d < this.num_directions; d++) {
        const sfx = d === 1 ? '_reverse' : '';
        names.push(`weight_ih_l${l}${sfx}`, `weight_hh_l${l}${sfx}`);
        if (a.bias_ih_attr !== false) names.push(`bias_ih_l${l}${sfx}`);
        if (a.bias_hh_attr !== false) names.push(`bias_hh_l${l}${sfx}`);
      }
    names.forEach((n, i) => {
      if (params[i]) (this as unknown as Record<string, unknown>)[n] = params[i];
    });
    this.flatten_parameters();
  }

  /**
   * Orders the parameters as the `rnn` operator's WeightList: every weight (w_ih, w_hh per
   * layer and direction), then every bias. (Paddle also packs them into one cuDNN buffer.)
   */
  flatten_parameters(): void {
    if (!this.could_use_cudnn) return;
    const params = this.parameters(false);
    const all: ParamBase[] = new Array(params.length);
    const half = 2 * this.num_layers * this.num_directions;
    params.forEach((prm, i) => {
      const offset = i % 4 < 2 ? 0 : half;
      all[offset + Math.floor(i / 4) * 2 + (i % 2)] = prm;
    });
    this._all_weights = all;
    (this as unknown as Record<string, unknown>)._dropout_state = this.create_variable({ dtype: 'uint8' });
  }

  override forward(...args: CallArgs<typeof rnnForwardParams>): [Tensor, any] {
    const api = this._api;
    const a = parseBaseForward(args) as { inputs: unknown; initial_states: unknown; sequence_length: Tensor | null };
    const x = checkTensor(a.inputs, api, 'inputs');
    if (x.dims.length !== 3) fail(api, `inputs must be 3-D ([batch, time, input_size], or [time, batch, input_size] when time_major), but got shape ${showShape(x.dims)}`);
    if (x.dims[2] >= 0 && x.dims[2] !== this.input_size) fail(api, `inputs must have input_size=${this.input_size} features in the last dim, but got shape ${showShape(x.dims)}`);
    if (x.dtype !== 'float32' && x.dtype !== 'float64') fail(api, `inputs must be float32 or float64, but got ${x.dtype}`);
    const batchIdx = this.time_major ? 1 : 0;
    const L = this.num_layers * this.num_directions;
    let init: Tensor[];
    if (a.initial_states === null || a.initial_states === undefined) {
      init = [];
      for (let i = 0; i < this.state_components; i++) init.push(fillBatchLike(x, [L, -1, this.hidden_size], x.dtype, 0, batchIdx, 1, api));
    } else {
      const s = a.initial_states;
      init = s instanceof Tensor ? [s] : Array.isArray(s) ? s.map((t, i) => checkTensor(t, api, `initial_states[${i}]`)) : [checkTensor(s, api, 'initial_states')];
      if (init.length !== this.state_components)
        fail(api, `initial_states must be ${this.state_components === 2 ? 'a pair [h, c]' : 'one Tensor'} of shape [${L}, batch_size, ${this.hidden_size}], but got ${init.length} tensors`);
      for (let i = 0; i < init.length; i++) {
        const d = init[i].dims;
        const want = [L, x.dims[batchIdx], this.hidden_size];
        if (d.length !== 3 || d.some((v, k) => v >= 0 && want[k] >= 0 && v !== want[k]))
          fail(api, `initial_states${init.length > 1 ? `[${i}]` : ''} must have shape [${want.join(', ')}] (num_layers * num_directions, batch_size, hidden_size), but got ${showShape(d)}`);
      }
    }
    if (this.could_use_cudnn) return this.fusedForward(x, init, a.sequence_length);
    // without the fused operator: the RNN / BiRNN sublayers, dropout between layers
    const bid = this.num_directions === 2;
    const states = splitStates(init, bid, this.state_components);
    const finals: Nest[] = [];
    let inputs: Tensor = x;
    let outputs: Tensor = x;
    let i = 0;
    for (const layer of this) {
      if (i > 0 && this.dropout > 0)
        inputs = dispatch('dropout', { X: [inputs] }, { dropout_prob: this.dropout, is_test: !this.training, dropout_implementation: 'upscale_in_train' }).Out[0];
      const [o, fs] = (layer as RNN)(inputs, states[i], a.sequence_length);
      finals.push(fs);
      outputs = o as Tensor;
      inputs = outputs;
      i++;
    }
    const cat = concatStates(finals, this.state_components);
    return [outputs, this.state_components === 2 ? cat : cat[0]];
  }

  /** The fused path: one `rnn` operator (time-major inside). */
  private fusedForward(x: Tensor, init: Tensor[], seqLen: Tensor | null): [Tensor, any] {
    const inp = this.time_major ? x : c.transpose(x, [1, 0, 2]);
    const ins: Record<string, Tensor[]> = { Input: [inp], PreState: init, WeightList: this._all_weights };
    if (seqLen !== null) ins.SequenceLength = [seqLen];
    const r = dispatch('rnn', ins, {
      dropout_prob: this.dropout,
      is_bidirec: this.num_directions === 2,
      input_size: this.input_size,
      hidden_size: this.hidden_size,
      num_layers: this.num_layers,
      mode: this.mode,
      is_test: !this.training,
    });
    const out = this.time_major ? r.Out[0] : c.transpose(r.Out[0], [1, 0, 2]);
    return [out, r.State.length > 1 ? [r.State[0], r.State[1]] : r.State[0]];
  }

  override extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.num_layers !== 1) s += `, num_layers=${this.num_layers}`;
    if (this.time_major) s += `, time_major=${this.time_major ? 'True' : 'False'}`;
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    return s;
  }
}
const parseBaseForward = makeParser('paddle.nn.RNNBase.forward', rnnForwardParams);

/** Python's split_states: per-layer states from the stacked ones. */
function splitStates(states: Tensor[], bidirectional: boolean, components: number): Nest[] {
  const un = (t: Tensor): Tensor[] => dispatch('unstack', { X: [t] }, { axis: 0, num: t.dims[0] }).Y;
  let per: Nest[];
  if (components === 1) per = un(states[0]);
  else {
    const parts = states.map(un);
    per = parts[0].map((_, i) => parts.map((p) => p[i]));
  }
  if (!bidirectional) return per;
  const out: Nest[] = [];
  for (let i = 0; i < per.length; i += 2) out.push([per[i], per[i + 1]]);
  return out;
}
/** Python's concat_states: the stacked states ([h] or [h, c]) from per-layer ones. */
function concatStates(states: Nest[], components: number): Tensor[] {
  const flat = flattenNest(states);
  const out: Tensor[] = [];
  for (let k = 0; k < components; k++) out.push(run1('stack', { X: flat.filter((_, i) => i % components === k) }, { axis: 0 }, 'Y'));
  return out;
}

const netParams = [
  p('input_size', T.int),
  p('hidden_size', T.int),
  p('num_layers', T.int, 1),
  p('direction', T.str, 'forward'),
  p('time_major', T.bool, false),
  p('dropout', T.float, 0.0),
] as const;
const simpleNetParams = [...netParams, p('activation', T.str, 'tanh'), ...attrParams, nameP] as const;
const gatedNetParams = [...netParams, ...attrParams, nameP] as const;
const parseSimpleRNN = makeParser('paddle.nn.SimpleRNN', simpleNetParams);
const parseLSTM = makeParser('paddle.nn.LSTM', gatedNetParams);
const parseGRU = makeParser('paddle.nn.GRU', gatedNetParams);

/**
 * Multi-layer Elman RNN (tanh or relu): h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) per
 * layer. Input [batch, time, input_size] (time_major: [time, batch, ...]); returns
 * `[outputs, h]` with outputs [batch, time, num_directions*hidden] and h
 * [num_layers*num_directions, batch, hidden]. Dropout applies to the inputs of layers after
 * the first; with sequence_length, outputs past a length are 0 and states stop there.
 * @param input_size features of the input
 * @param hidden_size features of each layer's state
 * @param num_layers (1)
 * @param direction 'forward', or 'bidirect' / 'bidirectional' ('forward')
 * @param time_major (false)
 * @param dropout (0)
 * @param activation 'tanh' or 'relu' ('tanh')
 * @example
 * const rnn = new nn.SimpleRNN(16, 32, 2)
 * const [y, h] = rnn(paddle.randn([4, 23, 16]), paddle.randn([2, 4, 32]))   // y [4, 23, 32], h [2, 4, 32]
 */
export class SimpleRNN extends RNNBase {
  declare activation: string;
  constructor(...args: CallArgs<typeof simpleNetParams>) {
    const api = 'paddle.nn.SimpleRNN';
    const a = parseSimpleRNN(args) as unknown as BaseArgs & { activation: string };
    let mode: string;
    if (a.activation === 'tanh') mode = 'RNN_TANH';
    else if (a.activation === 'relu') mode = 'RNN_RELU';
    else fail(api, `Unknown activation '${a.activation}'`);
    super(api, mode, a);
    this.activation = a.activation;
  }
  override forward(...args: CallArgs<typeof rnnForwardParams>): [Tensor, Tensor] {
    return super.forward(...args) as [Tensor, Tensor];
  }
}

/**
 * Multi-layer LSTM (gates i, f, g, o as LSTMCell). Input [batch, time, input_size]
 * (time_major: [time, batch, ...]); `forward(inputs, initial_states=[h0, c0], sequence_length)`
 * returns `[outputs, [h, c]]`, h and c [num_layers*num_directions, batch, hidden].
 * @param input_size features of the input
 * @param hidden_size features of each layer's state
 * @param num_layers (1)
 * @param direction 'forward', or 'bidirect' / 'bidirectional' ('forward')
 * @param time_major (false)
 * @param dropout dropout on the inputs of layers after the first (0)
 * @example
 * const lstm = new nn.LSTM(16, 32, 2)
 * const [y, [h, c]] = lstm(paddle.randn([4, 23, 16]))   // y [4, 23, 32], h and c [2, 4, 32]
 */
export class LSTM extends RNNBase {
  constructor(...args: CallArgs<typeof gatedNetParams>) {
    super('paddle.nn.LSTM', 'LSTM', parseLSTM(args) as unknown as BaseArgs);
  }
  override forward(...args: CallArgs<typeof rnnForwardParams>): [Tensor, [Tensor, Tensor]] {
    return super.forward(...args) as [Tensor, [Tensor, Tensor]];
  }
}

/**
 * Multi-layer GRU (gates r, z, c as GRUCell). Input [batch, time, input_size] (time_major:
 * [time, batch, ...]); returns `[outputs, h]`, h [num_layers*num_directions, batch, hidden].
 * @param input_size features of the input
 * @param hidden_size features of each layer's state
 * @param num_layers (1)
 * @param direction 'forward', or 'bidirect' / 'bidirectional' ('forward')
 * @param time_major (false)
 * @param dropout dropout on the inputs of layers after the first (0)
 * @example
 * const gru = new nn.GRU(16, 32, 2)
 * const [y, h] = gru(paddle.randn([4, 23, 16]), paddle.randn([2, 4, 32]))
 */
export class GRU extends RNNBase {
  constructor(...args: CallArgs<typeof gatedNetParams>) {
    super('paddle.nn.GRU', 'GRU', parseGRU(args) as unknown as BaseArgs);
  }
  override forward(...args: CallArgs<typeof rnnForwardParams>): [Tensor, Tensor] {
    return super.forward(...args) as [Tensor, Tensor];
  }
}

