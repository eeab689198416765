// Control flow, tensor arrays and the fluid recurrent / decoding operators of Paddle 2.0:
// paddle/fluid/operators/controlflow/{conditional_block,while,tensor_array_read_write}_op.cc,
// recurrent_op.cc, select_{input,output}_op.cc, lod_tensor_to_array_op.cc,
// array_to_lod_tensor_op.cc, shrink_rnn_memory_op.cc, max_sequence_len_op.cc,
// lod_array_length_op.cc, tensor_array_to_tensor_op.cc, {split,merge}_lod_tensor_op.cc,
// rnn_memory_helper_op.cc, fill_constant_batch_size_like_op.cc, lstm_op, lstmp_op, gru_op,
// gru_unit_op, lstm_unit_op, beam_search_op and beam_search_decode_op.
//
// Operators with sub-blocks (conditional_block, while, recurrent and their *_grad) and the
// ones that read or write variables by name (write_to_array writes one element of an array
// in place, select_input reads only the selected branch) run in the Executor: their handlers
// are in src/static/control_flow_exec.ts, which also fills `controlFlowGrad` with their
// gradient rules (they build gradient sub-blocks, so they need the static framework).
//
// A LoDTensorArray value is a TensorArray (below): a Tensor subclass holding a list of
// tensors, so it flows through scopes and kernels like any value. Arrays are values: an
// operator that writes an element makes a new TensorArray (sharing the other elements).
//
// The recurrent operators keep Paddle's layouts, so fluid checkpoints load:
// - lstm / lstmp: gates of Input, Weight [D or P, 4D] and Bias are ordered (candidate c,
//   input i, forget f, output o); with use_peepholes Bias is [1, 7D] and ends with the
//   peephole weights (W_ic, W_fc, W_oc). H0 / C0 rows belong to the sequences in their order.
// - gru / gru_unit: gates (update u, reset r, candidate c); Weight [D, 3D] holds, in memory,
//   the [D, 2D] update/reset weights followed by the [D, D] candidate weights.
// - lstm_unit: X holds (i, f, o, g), forget_bias is added to f.
// The intermediate outputs (BatchGate, BatchCellPreAct, BatchHidden, BatchResetHiddenPrev)
// are kept in sequence order here (Paddle keeps them in its length-sorted batch order); only
// our own gradient kernels read them.
import { PROTO_DTYPE, type DType } from '../core/dtype.js';
import { lodLevelOf } from '../core/lod.js';
import type { AttrSpec, GradContext, GradResult, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import { state } from '../core/state.js';
import { Tensor, type Meta } from '../core/tensor.js';
import * as c from './calls.js';
import { dispatch, run1 } from './calls.js';
import { isRuntime } from './sequence.js';
import { bool, defineOp, dtypeAttr, float, int, ints, meta, one, opFail, str, strs } from './util.js';

const block = (): AttrSpec => ({ type: 'block' });

// ---- tensor arrays ------------------------------------------------------------------------

/**
 * A LoDTensorArray value: a list of tensors (elements may be missing). Operators never modify
 * one: writing an element makes a new array sharing the other elements.
 */
export class TensorArray extends Tensor {
  readonly items: (Tensor | undefined)[];
  constructor(items: (Tensor | undefined)[] = [], dtype?: DType) {
    super(new Float32Array(0), [0], dtype ?? items.find((t) => t)?.dtype ?? 'float32');
    this.items = items;
  }
  /** Number of elements. */
  get length(): number {
    return this.items.length;
  }
  /** Element i (undefined when never written). */
  get(i: number): Tensor | undefined {
    return this.items[i];
  }
  /** A copy with element i set to t (grown as needed). */
  with(i: number, t: Tensor): TensorArray {
    const items = this.items.slice();
    while (items.length <= i) items.push(undefined);
    items[i] = t;
    return new TensorArray(items, t.dtype);
  }
  [Symbol.iterator](): Iterator<Tensor | undefined> {
    return this.items[Symbol.iterator]();
  }
  override toString(): string {
    return `LoDTensorArray(length=${this.items.length}, dtype=${this.dtype})`;
  }
}

/** Whether a meta is a run-time array value. */
export const isArrayValue = (m: Meta | undefined): m is TensorArray => m instanceof TensorArray;

/** Marks a static output Variable as a LOD_TENSOR_ARRAY (dispatch declares LOD_TENSOR variables). */
export function markArray<T extends Tensor>(t: T): T {
  if (state.staticMode && 'type' in t) (t as unknown as { type: string }).type = 'LOD_TENSOR_ARRAY';
  return t;
}

/** The element index held by a one-element int tensor I (an ArrayOp's GetOffset). */
export function offsetOf(i: Tensor, op: string): number {
  if (i.size !== 1) opFail(op, `input I must hold exactly one index, but has shape ${showShape(i.dims)}`);
  const v = Number(i.data[0]);
  if (!Number.isInteger(v) || v < 0) opFail(op, `input I must be a non-negative integer index, but got ${v}`);
  return v;
}

function requireIndex(m: Meta | undefined, op: string, what = 'I'): void {
  if (!m) opFail(op, `input ${what} is missing`);
  if (m.dtype !== 'int64' && m.dtype !== 'int32') opFail(op, `input ${what} must be an int64 tensor holding one index, but got ${m.dtype}`);
}

/** Gradient rules that build sub-blocks (filled by src/static/control_flow_exec.ts). */
type StaticRule = 'conditional_block' | 'while' | 'recurrent' | 'select_input';
export const controlFlowGrad: Partial<Record<StaticRule, (ctx: GradContext) => GradResult>> = {};

function staticGrad(type: StaticRule) {
  return (ctx: GradContext): GradResult => {
    const rule = controlFlowGrad[type];
    if (!rule || !state.staticMode) return opFail(type, `the gradient of ${type} is built by paddle.static.append_backward (static mode)`);
    return rule(ctx);
  };
}

defineOp({
  type: 'write_to_array',
  inputs: ['X', 'I!'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const op = 'write_to_array';
    const x = one(ins, 'X', op);
    requireIndex(ins.I?.[0], op);
    return { Out: [{ dims: x.dims.slice(), dtype: x.dtype, lod_level: lodLevelOf(x) }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const g = run1('read_from_array', { X: [ctx.outGrad('Out')], I: [ctx.input('I')], X_W: [ctx.input('X')] }, {});
    return { X: [g] };
  },
});

defineOp({
  type: 'read_from_array',
  inputs: ['X', 'I!', 'X_W?!'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const op = 'read_from_array';
    const x = one(ins, 'X', op);
    requireIndex(ins.I?.[0], op);
    if (isArrayValue(x)) {
      const i = ins.I![0] as Tensor;
      const k = offsetOf(i, op);
      const t = x.items[k];
      if (t) return { Out: [meta(t.dims.slice(), t.dtype)] };
      const w = ins.X_W?.[0];
      if (w) return { Out: [meta(w.dims.slice(), w.dtype)] };
      return opFail(op, `index ${k} is out of the array's range (it has ${x.items.length} element(s))`);
    }
    return { Out: [{ dims: x.dims.slice(), dtype: x.dtype, lod_level: lodLevelOf(x) }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const g = markArray(run1('write_to_array', { X: [ctx.outGrad('Out')], I: [ctx.input('I')] }, {}));
    return { X: [g] };
  },
});

defineOp({
  type: 'lod_array_length',
  inputs: ['X!'],
  outputs: ['Out'],
  shareLod: [],
  noGradOutputs: ['Out'],
  infer: () => ({ Out: [{ dims: [1], dtype: 'int64', lod_level: 0 }] }),
});

defineOp({
  type: 'tensor_array_to_tensor',
  inputs: ['X'],
  outputs: ['Out', 'OutIndex'],
  attrs: { axis: int(0), use_stack: bool(false) },
  noGradOutputs: ['OutIndex'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'tensor_array_to_tensor';
    const x = one(ins, 'X', op);
    const axis = attrs.axis as number;
    if (isArrayValue(x)) {
      const items = x.items;
      if (!items.length) opFail(op, 'the input tensor array is empty');
      items.forEach((t, i) => { if (!t) opFail(op, `element ${i} of the input tensor array was never written`); });
      const first = items[0]!;
      const rank = first.dims.length;
      if (!(axis >= (attrs.use_stack ? -rank - 1 : -rank) && axis < (attrs.use_stack ? rank + 1 : rank)))
        opFail(op, `attribute axis=${axis} is out of range for elements of shape ${showShape(first.dims)}`);
      const ax = axis < 0 ? axis + rank + (attrs.use_stack ? 1 : 0) : axis;
      let dims: number[];
      if (attrs.use_stack) {
        for (const t of items) if (showShape(t!.dims) !== showShape(first.dims)) opFail(op, `use_stack needs elements of one shape, but got ${showShape(first.dims)} and ${showShape(t!.dims)}`);
        dims = first.dims.slice();
        dims.splice(ax, 0, items.length);
      } else {
        dims = first.dims.slice();
        let total = 0;
        for (const t of items) {
          if (t!.dims.length !== rank || t!.dims.some((d, k) => k !== ax && d !== first.dims[k]))
            opFail(op, `elements must match outside axis ${ax}, but got shapes ${showShape(first.dims)} and ${showShape(t!.dims)}`);
          total += t!.dims[ax];
        }
        dims[ax] = total;
      }
      return { Out: [meta(dims, first.dtype)], OutIndex: [meta([items.length], 'int32')] };
    }
    const dims = x.dims.slice();
    if (attrs.use_stack) dims.splice(axis < 0 ? axis + dims.length + 1 : axis, 0, -1);
    else if (dims.length) dims[axis < 0 ? axis + dims.length : axis] = -1;
    return { Out: [{ dims, dtype: x.dtype, lod_level: 0 }], OutIndex: [{ dims: [-1], dtype: 'int32', lod_level: 0 }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const g = dispatch('tensor_array_to_tensor_grad', { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] }, { axis: ctx.attrs.axis, use_stack: ctx.attrs.use_stack })['X@GRAD'][0];
    return { X: [markArray(g)] };
  },
});

defineOp({
  type: 'tensor_array_to_tensor_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { axis: int(0), use_stack: bool(false) },
  shareLod: [],
  infer(ins) {
    const x = one(ins, 'X', 'tensor_array_to_tensor_grad');
    return { 'X@GRAD': [{ dims: x.dims.slice(), dtype: x.dtype, lod_level: 0 }] };
  },
});

// ---- LoD tensor <-> array by rank table (DynamicRNN) -----------------------------------------

defineOp({
  type: 'lod_tensor_to_array',
  inputs: ['X', 'RankTable!'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const x = one(ins, 'X', 'lod_tensor_to_array');
    one(ins, 'RankTable', 'lod_tensor_to_array');
    return { Out: [{ dims: x.dims.slice(), dtype: x.dtype, lod_level: Math.max(lodLevelOf(x) - 1, 0) }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [run1('array_to_lod_tensor', { X: [ctx.outGrad('Out')], RankTable: [ctx.input('RankTable')] }, {})] };
  },
});

defineOp({
  type: 'array_to_lod_tensor',
  inputs: ['X', 'RankTable!'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const x = one(ins, 'X', 'array_to_lod_tensor');
    one(ins, 'RankTable', 'array_to_lod_tensor');
    if (isArrayValue(x)) {
      const first = x.items.find((t) => t);
      if (!first) opFail('array_to_lod_tensor', 'the input tensor array is empty');
      const rows = x.items.reduce((a, t) => a + (t ? t.dims[0] : 0), 0);
      return { Out: [meta([rows, ...first.dims.slice(1)], first.dtype)] };
    }
    return { Out: [{ dims: [-1, ...x.dims.slice(1)], dtype: x.dtype, lod_level: lodLevelOf(x) + 1 }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [markArray(run1('lod_tensor_to_array', { X: [ctx.outGrad('Out')], RankTable: [ctx.input('RankTable')] }, {}))] };
  },
});

defineOp({
  type: 'shrink_rnn_memory',
  inputs: ['X', 'RankTable!', 'I!'],
  outputs: ['Out'],
  shareLod: [['X', 'Out']],
  infer(ins) {
    const x = one(ins, 'X', 'shrink_rnn_memory');
    requireIndex(ins.I?.[0], 'shrink_rnn_memory');
    return { Out: [{ dims: [-1, ...x.dims.slice(1)], dtype: x.dtype }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [run1('shrink_rnn_memory_grad', { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] }, {}, 'X@GRAD')] };
  },
});

defineOp({
  type: 'shrink_rnn_memory_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  shareLod: [['X', 'X@GRAD']],
  infer(ins) {
    const x = one(ins, 'X', 'shrink_rnn_memory_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  },
});

defineOp({
  type: 'max_sequence_len',
  inputs: ['RankTable!'],
  outputs: ['Out'],
  shareLod: [],
  noGradOutputs: ['Out'],
  infer: () => ({ Out: [{ dims: [1], dtype: 'int64', lod_level: 0 }] }),
});

// ---- split / merge by a mask (IfElse) --------------------------------------------------------

function checkMask(m: Meta | undefined, op: string): void {
  if (!m) opFail(op, 'input Mask is missing');
  if (m.dtype !== 'bool') opFail(op, `input Mask must be a bool tensor, but got ${m.dtype}`);
}

defineOp({
  type: 'split_lod_tensor',
  inputs: ['X', 'Mask!'],
  outputs: ['OutTrue', 'OutFalse'],
  attrs: { level: int(0) },
  shareLod: [],
  infer(ins) {
    const op = 'split_lod_tensor';
    const x = one(ins, 'X', op);
    checkMask(ins.Mask?.[0], op);
    const m = { dims: [-1, ...x.dims.slice(1)], dtype: x.dtype, lod_level: lodLevelOf(x) };
    return { OutTrue: [m], OutFalse: [{ ...m }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins: Slots<Tensor> = { X: [ctx.input('X')], Mask: [ctx.input('Mask')], InTrue: [ctx.outGrad('OutTrue')], InFalse: [ctx.outGrad('OutFalse')] };
    return { X: [run1('merge_lod_tensor', ins, { level: ctx.attrs.level })] };
  },
});

defineOp({
  type: 'merge_lod_tensor',
  inputs: ['X!', 'Mask!', 'InTrue', 'InFalse'],
  outputs: ['Out'],
  attrs: { level: int(0) },
  shareLod: [],
  infer(ins) {
    const op = 'merge_lod_tensor';
    const x = one(ins, 'X', op);
    checkMask(ins.Mask?.[0], op);
    const t = ins.InTrue?.[0] ?? ins.InFalse?.[0];
    if (!t) opFail(op, 'inputs InTrue and InFalse are missing');
    const rows = x.dims[0];
    return { Out: [{ dims: [rows, ...t.dims.slice(1)], dtype: t.dtype, lod_level: lodLevelOf(x) }] };
  },
  grad(ctx) {
    const d = ctx.outGrad('Out');
    const r = dispatch('split_lod_tensor', { X: [d], Mask: [ctx.input('Mask')] }, { level: ctx.attrs.level });
    return { InTrue: [ctx.needs('InTrue') ? r.OutTrue[0] : null], InFalse: [ctx.needs('InFalse') ? r.OutFalse[0] : null] };
  },
});

// ---- select_input / select_output (cond) ----------------------------------------------------

function checkBranchMask(m: Meta | undefined, op: string): void {
  if (!m) opFail(op, 'input Mask is missing');
  if (m.dtype !== 'int32') opFail(op, `input Mask must be an int32 tensor holding the branch number, but got ${m.dtype}`);
}

defineOp({
  type: 'select_input',
  inputs: ['X[]', 'Mask!'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const op = 'select_input';
    const xs = ins.X ?? [];
    if (!xs.length) opFail(op, 'input X must hold at least one variable');
    checkBranchMask(ins.Mask?.[0], op);
    return { Out: [{ dims: xs[0].dims.slice(), dtype: xs[0].dtype, lod_level: lodLevelOf(xs[0]) }] };
  },
  // select_output with one output per branch: built by the static package (it declares them)
  grad: staticGrad('select_input'),
});

defineOp({
  type: 'select_output',
  inputs: ['X', 'Mask!'],
  outputs: ['Out[]'],
  shareLod: [],
  infer(ins) {
    const op = 'select_output';
    const x = one(ins, 'X', op);
    checkBranchMask(ins.Mask?.[0], op);
    // the outputs are declared by the caller (one per branch; cond has two)
    return { Out: [0, 1].map(() => ({ dims: x.dims.slice(), dtype: x.dtype, lod_level: lodLevelOf(x) })) };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [run1('select_input', { X: ctx.outputs('Out').map((_, i) => ctx.outGrad('Out', i)), Mask: [ctx.input('Mask')] }, {})] };
  },
});

// ---- sub-block operators (run by the Executor) ----------------------------------------------

defineOp({
  type: 'conditional_block',
  inputs: ['Cond[]!', 'Input[]?'],
  outputs: ['Out[]?', 'Scope?'],
  attrs: { sub_block: block(), is_scalar_condition: bool(false), skip_eager_deletion_vars: strs([]) },
  noGradOutputs: ['Scope'],
  shareLod: [],
  infer: () => ({}),
  grad: staticGrad('conditional_block'),
});

defineOp({
  type: 'conditional_block_grad',
  inputs: ['Cond[]!', 'Input[]?', 'Out[]?', 'Out@GRAD[]?', 'Scope?'],
  outputs: ['Input@GRAD[]?'],
  attrs: { sub_block: block(), is_scalar_condition: bool(false), skip_eager_deletion_vars: strs([]), input_grad_names: strs([]) },
  shareLod: [],
  infer: (ins) => ({ 'Input@GRAD': (ins.Input ?? []).map((m) => ({ dims: m.dims.slice(), dtype: m.dtype, lod_level: lodLevelOf(m) })) }),
});

defineOp({
  type: 'while',
  inputs: ['X[]?', 'Condition[]!'],
  outputs: ['Out[]?', 'StepScopes?'],
  attrs: { sub_block: block(), is_test: bool(false), skip_eager_deletion_vars: strs([]) },
  noGradOutputs: ['StepScopes'],
  shareLod: [],
  infer: () => ({}),
  grad: staticGrad('while'),
});

defineOp({
  type: 'while_grad',
  inputs: ['X[]?', 'Out[]?', 'Out@GRAD[]?', 'StepScopes?'],
  outputs: ['X@GRAD[]?'],
  attrs: {
    sub_block: block(),
    is_test: bool(false),
    skip_eager_deletion_vars: strs([]),
    original_output_grad: strs([]),
    x_grad_names: strs([]),
  },
  shareLod: [],
  infer: (ins) => ({ 'X@GRAD': (ins.X ?? []).map((m) => ({ dims: m.dims.slice(), dtype: m.dtype, lod_level: lodLevelOf(m) })) }),
});

const recurrentAttrs = {
  has_states: bool(false),
  ex_states: strs([]),
  states: strs([]),
  sub_block: block(),
  reverse: bool(false),
  is_train: bool(true),
  skip_eager_deletion_vars: strs([]),
};

defineOp({
  type: 'recurrent',
  inputs: ['inputs[]', 'initial_states[]?', 'parameters[]?'],
  outputs: ['outputs[]', 'step_scopes?'],
  attrs: recurrentAttrs,
  noGradOutputs: ['step_scopes'],
  shareLod: [],
  infer: () => ({}),
  grad: staticGrad('recurrent'),
});

defineOp({
  type: 'recurrent_grad',
  inputs: ['inputs[]', 'initial_states[]?', 'parameters[]?', 'outputs[]?', 'outputs@GRAD[]?', 'step_scopes?'],
  outputs: ['inputs@GRAD[]?', 'initial_states@GRAD[]?', 'parameters@GRAD[]?'],
  attrs: {
    ...recurrentAttrs,
    output_grad_names: strs([]),
    state_grad_names: strs([]),
    input_grad_names: strs([]),
    ex_state_grad_names: strs([]),
    parameter_grad_names: strs([]),
  },
  shareLod: [],
  infer(ins) {
    const same = (list?: Meta[]): Meta[] => (list ?? []).map((m) => ({ dims: m.dims.slice(), dtype: m.dtype, lod_level: lodLevelOf(m) }));
    return { 'inputs@GRAD': same(ins.inputs), 'initial_states@GRAD': same(ins.initial_states), 'parameters@GRAD': same(ins.parameters) };
  },
});

defineOp({
  type: 'rnn_memory_helper',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { dtype: int(PROTO_DTYPE.float32) },
  shareLod: [['X', 'Out']],
  infer(ins) {
    const x = one(ins, 'X', 'rnn_memory_helper');
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [ctx.outGrad('Out')] };
  },
});

// ---- fill_constant_batch_size_like ------------------------------------------------------------

defineOp({
  type: 'fill_constant_batch_size_like',
  inputs: ['Input!'],
  outputs: ['Out'],
  attrs: {
    shape: ints(),
    input_dim_idx: int(0),
    output_dim_idx: int(0),
    dtype: int(PROTO_DTYPE.float32),
    value: float(0),
    str_value: str(''),
    force_cpu: bool(false),
  },
  shareLod: [],
  noGradOutputs: ['Out'],
  infer(ins, attrs) {
    const op = 'fill_constant_batch_size_like';
    const x = one(ins, 'Input', op);
    const shape = (attrs.shape as number[]).slice();
    if (!shape.length) opFail(op, 'attribute shape must not be empty');
    const ii = attrs.input_dim_idx as number;
    const oi = attrs.output_dim_idx as number;
    if (!(ii >= 0 && ii < x.dims.length)) opFail(op, `attribute input_dim_idx=${ii} is out of range for Input of shape ${showShape(x.dims)}`);
    if (!(oi >= 0 && oi < shape.length)) opFail(op, `attribute output_dim_idx=${oi} is out of range for shape ${showShape(shape)}`);
    const dtype = dtypeAttr(attrs.dtype, op) ?? 'float32';
    let batch = x.dims[ii];
    // a LoD input gives the number of its sequences as the batch size (at run time)
    if (ii === 0 && isRuntime(x) && x.lod.length) batch = x.lod[x.lod.length - 1].length - 1;
    shape[oi] = batch;
    return { Out: [{ dims: shape, dtype, lod_level: 0 }] };
  },
});

// ---- recurrent units ------------------------------------------------------------------------------

const ACTS = ['sigmoid', 'tanh', 'relu', 'identity'];
function checkAct(v: unknown, op: string, name: string): void {
  if (!ACTS.includes(v as string)) opFail(op, `attribute ${name} must be one of ${ACTS.map((a) => `'${a}'`).join(', ')}, but got '${String(v)}'`);
}
function requireFloat2(m: Meta, op: string, what: string): void {
  if (m.dtype !== 'float32' && m.dtype !== 'float64') opFail(op, `input ${what} must be a float32 or float64 tensor, but got ${m.dtype}`);
  if (m.dims.length !== 2) opFail(op, `input ${what} must be 2-D, but got shape ${showShape(m.dims)}`);
}
const known = (d: number): boolean => d >= 0;
function expectDims(m: Meta | undefined, dims: number[], op: string, what: string): void {
  if (!m) return;
  const ok = m.dims.length === dims.length && m.dims.every((d, i) => !known(d) || !known(dims[i]) || d === dims[i]);
  if (!ok) opFail(op, `input ${what} must have shape ${showShape(dims)}, but got ${showShape(m.dims)}`);
}
const lstmActs = (attrs: Record<string, unknown>, op: string): void => {
  checkAct(attrs.gate_activation, op, 'gate_activation');
  checkAct(attrs.cell_activation, op, 'cell_activation');
  checkAct(attrs.candidate_activation, op, 'candidate_activation');
};
const seqMeta = (m: Meta, dims: number[], lod = true): Meta => ({ dims, dtype: m.dtype, lod_level: lod ? Math.max(lodLevelOf(m), 1) : 0 });

/** Passes the dispensable inputs a grad kernel needs. */
function gradIns(ctx: GradContext, slots: string[], outs: string[]): Slots<Tensor> {
  const ins: Slots<Tensor> = {};
  for (const s of slots) if (ctx.has(s)) ins[s] = [ctx.input(s)];
  for (const o of outs) ins[o] = [ctx.output(o)];
  return ins;
}

const lstmAttrs = {
  use_peepholes: bool(true),
  is_reverse: bool(false),
  gate_activation: str('sigmoid'),
  cell_activation: str('tanh'),
  candidate_activation: str('tanh'),
};

defineOp({
  type: 'lstm',
  inputs: ['Input', 'H0?', 'C0?', 'Weight', 'Bias'],
  outputs: ['Hidden', 'Cell', 'BatchGate', 'BatchCellPreAct'],
  attrs: lstmAttrs,
  noGradOutputs: ['BatchGate', 'BatchCellPreAct'],
  shareLod: [['Input', 'Hidden'], ['Input', 'Cell']],
  infer(ins, attrs) {
    const op = 'lstm';
    const x = one(ins, 'Input', op);
    const w = one(ins, 'Weight', op);
    const b = one(ins, 'Bias', op);
    requireFloat2(x, op, 'Input');
    lstmActs(attrs, op);
    const D = w.dims[0];
    if (known(x.dims[1]) && x.dims[1] % 4 !== 0) opFail(op, `the width of Input must be 4 * hidden size, but got ${x.dims[1]}`);
    expectDims(w, [D, 4 * D], op, 'Weight');
    if (known(x.dims[1]) && known(D) && x.dims[1] !== 4 * D) opFail(op, `the width of Input (${x.dims[1]}) must be 4 * hidden size (Weight is ${showShape(w.dims)})`);
    expectDims(b, [1, attrs.use_peepholes ? 7 * D : 4 * D], op, `Bias (use_peepholes=${attrs.use_peepholes})`);
    if (!!ins.H0?.[0] !== !!ins.C0?.[0]) opFail(op, 'H0 and C0 must be given together (or neither)');
    expectDims(ins.H0?.[0], [-1, D], op, 'H0');
    expectDims(ins.C0?.[0], [-1, D], op, 'C0');
    const T = x.dims[0];
    return {
      Hidden: [seqMeta(x, [T, D])],
      Cell: [seqMeta(x, [T, D])],
      BatchGate: [seqMeta(x, [T, 4 * D], false)],
      BatchCellPreAct: [seqMeta(x, [T, D], false)],
    };
  },
  grad(ctx) {
    const ins = gradIns(ctx, ['Input', 'H0', 'C0', 'Weight', 'Bias'], ['Hidden', 'Cell', 'BatchGate', 'BatchCellPreAct']);
    ins['Hidden@GRAD'] = [ctx.outGrad('Hidden')];
    ins['Cell@GRAD'] = [ctx.outGrad('Cell')];
    const r = dispatch('lstm_grad', ins, { ...ctx.attrs });
    return pick(ctx, r, ['Input', 'H0', 'C0', 'Weight', 'Bias']);
  },
});

function pick(ctx: GradContext, r: Slots<Tensor>, slots: string[]): GradResult {
  const out: GradResult = {};
  for (const s of slots) if (ctx.has(s) && ctx.needs(s)) out[s] = [r[`${s}@GRAD`]?.[0] ?? null];
  return out;
}

/** Grad outputs: one per forward input given, with its meta. */
function gradMetas(ins: Slots<Meta>, slots: string[]): Slots<Meta> {
  const out: Slots<Meta> = {};
  for (const s of slots) {
    const m = ins[s]?.[0];
    if (m) out[`${s}@GRAD`] = [{ dims: m.dims.slice(), dtype: m.dtype, lod_level: lodLevelOf(m) }];
  }
  return out;
}

// Cell@GRAD is an input Paddle's lstm_grad lacks (it ignores the gradient of Cell): added so
// the gradient of a loss on the cell states is right.
defineOp({
  type: 'lstm_grad',
  inputs: ['Input!', 'H0?!', 'C0?!', 'Weight!', 'Bias!', 'Hidden!', 'Cell!', 'BatchGate!', 'BatchCellPreAct!', 'Hidden@GRAD!', 'Cell@GRAD?!'],
  outputs: ['Input@GRAD', 'H0@GRAD?', 'C0@GRAD?', 'Weight@GRAD', 'Bias@GRAD'],
  attrs: lstmAttrs,
  shareLod: [['Input', 'Input@GRAD']],
  infer: (ins) => gradMetas(ins, ['Input', 'H0', 'C0', 'Weight', 'Bias']),
});

const lstmpAttrs = { ...lstmAttrs, cell_clip: float(0), proj_clip: float(0), proj_activation: str('tanh') };

defineOp({
  type: 'lstmp',
  inputs: ['Input', 'H0?', 'C0?', 'Weight', 'ProjWeight', 'Bias'],
  outputs: ['Projection', 'Cell', 'BatchGate', 'BatchCellPreAct', 'BatchHidden'],
  attrs: lstmpAttrs,
  noGradOutputs: ['BatchGate', 'BatchCellPreAct', 'BatchHidden'],
  shareLod: [['Input', 'Projection'], ['Input', 'Cell']],
  infer(ins, attrs) {
    const op = 'lstmp';
    const x = one(ins, 'Input', op);
    const w = one(ins, 'Weight', op);
    const pw = one(ins, 'ProjWeight', op);
    const b = one(ins, 'Bias', op);
    requireFloat2(x, op, 'Input');
    lstmActs(attrs, op);
    checkAct(attrs.proj_activation, op, 'proj_activation');
    const P = w.dims[0];
    const D = pw.dims[0];
    if (known(x.dims[1]) && known(D) && x.dims[1] !== 4 * D) opFail(op, `the width of Input (${x.dims[1]}) must be 4 * hidden size (ProjWeight is ${showShape(pw.dims)})`);
    expectDims(w, [P, 4 * D], op, 'Weight');
    expectDims(pw, [D, P], op, 'ProjWeight');
    expectDims(b, [1, attrs.use_peepholes ? 7 * D : 4 * D], op, `Bias (use_peepholes=${attrs.use_peepholes})`);
    expectDims(ins.H0?.[0], [-1, P], op, 'H0');
    expectDims(ins.C0?.[0], [-1, D], op, 'C0');
    if (ins.H0?.[0] && !ins.C0?.[0]) opFail(op, 'C0 must be given with H0');
    const T = x.dims[0];
    return {
      Projection: [seqMeta(x, [T, P])],
      Cell: [seqMeta(x, [T, D])],
      BatchGate: [seqMeta(x, [T, 4 * D], false)],
      BatchCellPreAct: [seqMeta(x, [T, D], false)],
      BatchHidden: [seqMeta(x, [T, D], false)],
    };
  },
  grad(ctx) {
    const ins = gradIns(ctx, ['Input', 'H0', 'C0', 'Weight', 'ProjWeight', 'Bias'], ['Projection', 'Cell', 'BatchGate', 'BatchCellPreAct', 'BatchHidden']);
    ins['Projection@GRAD'] = [ctx.outGrad('Projection')];
    ins['Cell@GRAD'] = [ctx.outGrad('Cell')];
    const r = dispatch('lstmp_grad', ins, { ...ctx.attrs });
    return pick(ctx, r, ['Input', 'H0', 'C0', 'Weight', 'ProjWeight', 'Bias']);
  },
});

defineOp({
  type: 'lstmp_grad',
  inputs: ['Input!', 'H0?!', 'C0?!', 'Weight!', 'ProjWeight!', 'Bias!', 'Projection!', 'Cell!', 'BatchGate!', 'BatchCellPreAct!', 'BatchHidden!', 'Projection@GRAD!', 'Cell@GRAD?!'],
  outputs: ['Input@GRAD', 'H0@GRAD?', 'C0@GRAD?', 'Weight@GRAD', 'ProjWeight@GRAD', 'Bias@GRAD'],
  attrs: lstmpAttrs,
  shareLod: [['Input', 'Input@GRAD']],
  infer: (ins) => gradMetas(ins, ['Input', 'H0', 'C0', 'Weight', 'ProjWeight', 'Bias']),
});

const gruAttrs = { activation: str('tanh'), gate_activation: str('sigmoid'), is_reverse: bool(false), origin_mode: bool(false) };

defineOp({
  type: 'gru',
  inputs: ['Input', 'H0?', 'Weight', 'Bias?'],
  outputs: ['BatchGate', 'BatchResetHiddenPrev', 'BatchHidden', 'Hidden'],
  attrs: gruAttrs,
  noGradOutputs: ['BatchGate', 'BatchResetHiddenPrev', 'BatchHidden'],
  shareLod: [['Input', 'Hidden']],
  infer(ins, attrs) {
    const op = 'gru';
    const x = one(ins, 'Input', op);
    const w = one(ins, 'Weight', op);
    requireFloat2(x, op, 'Input');
    checkAct(attrs.activation, op, 'activation');
    checkAct(attrs.gate_activation, op, 'gate_activation');
    const D = w.dims[0];
    expectDims(w, [D, 3 * D], op, 'Weight');
    if (known(x.dims[1]) && known(D) && x.dims[1] !== 3 * D) opFail(op, `the width of Input (${x.dims[1]}) must be 3 * hidden size (Weight is ${showShape(w.dims)})`);
    expectDims(ins.Bias?.[0], [1, 3 * D], op, 'Bias');
    expectDims(ins.H0?.[0], [-1, D], op, 'H0');
    const T = x.dims[0];
    return {
      BatchGate: [seqMeta(x, [T, 3 * D], false)],
      BatchResetHiddenPrev: [seqMeta(x, [T, D], false)],
      BatchHidden: [seqMeta(x, [T, D], false)],
      Hidden: [seqMeta(x, [T, D])],
    };
  },
  grad(ctx) {
    const ins = gradIns(ctx, ['Input', 'H0', 'Weight', 'Bias'], ['BatchGate', 'BatchResetHiddenPrev', 'BatchHidden', 'Hidden']);
    ins['Hidden@GRAD'] = [ctx.outGrad('Hidden')];
    const r = dispatch('gru_grad', ins, { ...ctx.attrs });
    return pick(ctx, r, ['Input', 'H0', 'Weight', 'Bias']);
  },
});

defineOp({
  type: 'gru_grad',
  inputs: ['Input!', 'H0?!', 'Weight!', 'Bias?!', 'BatchGate!', 'BatchResetHiddenPrev!', 'BatchHidden!', 'Hidden!', 'Hidden@GRAD!'],
  outputs: ['Input@GRAD', 'H0@GRAD?', 'Weight@GRAD', 'Bias@GRAD?'],
  attrs: gruAttrs,
  shareLod: [['Input', 'Input@GRAD']],
  infer: (ins) => gradMetas(ins, ['Input', 'H0', 'Weight', 'Bias']),
});

/** gru_unit's activation numbers (identity 0, sigmoid 1, tanh 2, relu 3). */
export const UNIT_ACTS = ['identity', 'sigmoid', 'tanh', 'relu'];
const gruUnitAttrs = { activation: int(2), gate_activation: int(1), origin_mode: bool(false) };

defineOp({
  type: 'gru_unit',
  inputs: ['Input', 'HiddenPrev', 'Weight', 'Bias?'],
  outputs: ['Gate', 'ResetHiddenPrev', 'Hidden'],
  attrs: gruUnitAttrs,
  noGradOutputs: ['Gate', 'ResetHiddenPrev'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'gru_unit';
    const x = one(ins, 'Input', op);
    const h = one(ins, 'HiddenPrev', op);
    const w = one(ins, 'Weight', op);
    requireFloat2(x, op, 'Input');
    requireFloat2(h, op, 'HiddenPrev');
    for (const k of ['activation', 'gate_activation'])
      if (!(Number.isInteger(attrs[k]) && attrs[k] >= 0 && attrs[k] <= 3)) opFail(op, `attribute ${k} must be 0 (identity), 1 (sigmoid), 2 (tanh) or 3 (relu), but got ${attrs[k]}`);
    const D = h.dims[1];
    if (known(x.dims[1]) && known(D) && x.dims[1] !== 3 * D) opFail(op, `the width of Input (${x.dims[1]}) must be 3 * the width of HiddenPrev (${D})`);
    expectDims(w, [D, 3 * D], op, 'Weight');
    expectDims(ins.Bias?.[0], [1, 3 * D], op, 'Bias');
    if (known(x.dims[0]) && known(h.dims[0]) && x.dims[0] !== h.dims[0]) opFail(op, `Input and HiddenPrev must have the same batch size, but got ${x.dims[0]} and ${h.dims[0]}`);
    const N = x.dims[0];
    return { Gate: [meta([N, 3 * D], x.dtype)], ResetHiddenPrev: [meta([N, D], x.dtype)], Hidden: [meta([N, D], x.dtype)] };
  },
  grad(ctx) {
    const ins = gradIns(ctx, ['Input', 'HiddenPrev', 'Weight', 'Bias'], ['Gate', 'ResetHiddenPrev', 'Hidden']);
    ins['Hidden@GRAD'] = [ctx.outGrad('Hidden')];
    const r = dispatch('gru_unit_grad', ins, { ...ctx.attrs });
    return pick(ctx, r, ['Input', 'HiddenPrev', 'Weight', 'Bias']);
  },
});

defineOp({
  type: 'gru_unit_grad',
  inputs: ['Input!', 'HiddenPrev!', 'Weight!', 'Bias?!', 'Gate!', 'ResetHiddenPrev!', 'Hidden!', 'Hidden@GRAD!'],
  outputs: ['Input@GRAD', 'HiddenPrev@GRAD', 'Weight@GRAD', 'Bias@GRAD?'],
  attrs: gruUnitAttrs,
  shareLod: [],
  infer: (ins) => gradMetas(ins, ['Input', 'HiddenPrev', 'Weight', 'Bias']),
});

defineOp({
  type: 'lstm_unit',
  inputs: ['X', 'C_prev'],
  outputs: ['C', 'H'],
  attrs: { forget_bias: float(0) },
  shareLod: [],
  infer(ins) {
    const op = 'lstm_unit';
    const x = one(ins, 'X', op);
    const cp = one(ins, 'C_prev', op);
    requireFloat2(x, op, 'X');
    requireFloat2(cp, op, 'C_prev');
    const D = cp.dims[1];
    if (known(x.dims[1]) && known(D) && x.dims[1] !== 4 * D) opFail(op, `the width of X (${x.dims[1]}) must be 4 * the width of C_prev (${D})`);
    if (known(x.dims[0]) && known(cp.dims[0]) && x.dims[0] !== cp.dims[0]) opFail(op, `X and C_prev must have the same batch size, but got ${x.dims[0]} and ${cp.dims[0]}`);
    return { C: [meta([x.dims[0], D], x.dtype)], H: [meta([x.dims[0], D], x.dtype)] };
  },
  grad(ctx) {
    const ins: Slots<Tensor> = { X: [ctx.input('X')], C_prev: [ctx.input('C_prev')], C: [ctx.output('C')], H: [ctx.output('H')], 'C@GRAD': [ctx.outGrad('C')], 'H@GRAD': [ctx.outGrad('H')] };
    const r = dispatch('lstm_unit_grad', ins, { forget_bias: ctx.attrs.forget_bias });
    return { X: [ctx.needs('X') ? r['X@GRAD'][0] : null], C_prev: [ctx.needs('C_prev') ? r['C_prev@GRAD'][0] : null] };
  },
});

defineOp({
  type: 'lstm_unit_grad',
  inputs: ['X!', 'C_prev!', 'C!', 'H!', 'C@GRAD!', 'H@GRAD!'],
  outputs: ['X@GRAD', 'C_prev@GRAD'],
  attrs: { forget_bias: float(0) },
  shareLod: [],
  infer: (ins) => gradMetas(ins, ['X', 'C_prev']),
});

// ---- beam search --------------------------------------------------------------------------------

defineOp({
  type: 'beam_search',
  inputs: ['pre_ids!', 'pre_scores!', 'ids?!', 'scores!'],
  outputs: ['selected_ids', 'selected_scores', 'parent_idx?'],
  attrs: { level: int(0), beam_size: int(), end_id: int(), is_accumulated: bool(true) },
  noGradOutputs: ['selected_ids', 'selected_scores', 'parent_idx'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'beam_search';
    const pi = one(ins, 'pre_ids', op);
    const ps = one(ins, 'pre_scores', op);
    const sc = one(ins, 'scores', op);
    if (pi.dtype !== 'int64') opFail(op, `input pre_ids must be int64, but got ${pi.dtype}`);
    if (ps.dtype !== 'float32' && ps.dtype !== 'float64') opFail(op, `input pre_scores must be float32 or float64, but got ${ps.dtype}`);
    if (sc.dtype !== 'float32' && sc.dtype !== 'float64') opFail(op, `input scores must be float32 or float64, but got ${sc.dtype}`);
    const ids = ins.ids?.[0];
    if (ids && ids.dtype !== 'int64' && ids.dtype !== 'int32') opFail(op, `input ids must be int64, but got ${ids.dtype}`);
    if (!(attrs.beam_size >= 1)) opFail(op, `attribute beam_size must be at least 1, but got ${attrs.beam_size}`);
    return {
      selected_ids: [{ dims: [-1, 1], dtype: pi.dtype, lod_level: 2 }],
      selected_scores: [{ dims: [-1, 1], dtype: ps.dtype, lod_level: 2 }],
      parent_idx: [{ dims: [-1], dtype: 'int32', lod_level: 0 }],
    };
  },
});

defineOp({
  type: 'beam_search_decode',
  inputs: ['Ids!', 'Scores!'],
  outputs: ['SentenceIds', 'SentenceScores'],
  attrs: { beam_size: int(), end_id: int() },
  noGradOutputs: ['SentenceIds', 'SentenceScores'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'beam_search_decode';
    const ids = one(ins, 'Ids', op);
    const sc = one(ins, 'Scores', op);
    if (!(attrs.beam_size >= 1)) opFail(op, `attribute beam_size must be at least 1, but got ${attrs.beam_size}`);
    if (isArrayValue(ids) && isArrayValue(sc)) {
      if (!ids.items.length) opFail(op, 'input Ids (a tensor array) is empty');
      if (ids.items.length !== sc.items.length) opFail(op, `Ids and Scores must have the same number of steps, but got ${ids.items.length} and ${sc.items.length}`);
    }
    return { SentenceIds: [{ dims: [-1], dtype: 'int64', lod_level: 2 }], SentenceScores: [{ dims: [-1], dtype: sc.dtype, lod_level: 2 }] };
  },
});

// ---- cudnn_lstm (fluid.layers.lstm) --------------------------------------------------------------

defineOp({
  type: 'cudnn_lstm',
  inputs: ['Input', 'InitH', 'InitC', 'W', 'WeightList[]?', 'SequenceLength?!'],
  outputs: ['Reserve', 'StateOut', 'Out', 'LastH', 'LastC'],
  attrs: { dropout_prob: float(0), is_bidirec: bool(false), input_size: int(10), hidden_size: int(100), num_layers: int(1), is_test: bool(false), seed: int(0) },
  noGradOutputs: ['Reserve', 'StateOut'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'cudnn_lstm';
    const x = one(ins, 'Input', op);
    const h = one(ins, 'InitH', op);
    const cc = one(ins, 'InitC', op);
    const w = one(ins, 'W', op);
    if (x.dims.length !== 3) opFail(op, `input Input must be 3-D [seq_len, batch, input_size], but got ${showShape(x.dims)}`);
    if (x.dtype !== 'float32' && x.dtype !== 'float64') opFail(op, `input Input must be float32 or float64, but got ${x.dtype}`);
    const dirs = attrs.is_bidirec ? 2 : 1;
    const H = attrs.hidden_size as number;
    const L = attrs.num_layers as number;
    const I = attrs.input_size as number;
    if (known(x.dims[2]) && x.dims[2] !== I) opFail(op, `attribute input_size (${I}) does not match Input's last dim ${x.dims[2]}`);
    expectDims(h, [L * dirs, x.dims[1], H], op, 'InitH');
    expectDims(cc, [L * dirs, x.dims[1], H], op, 'InitC');
    const size = cudnnWeightSize(I, H, L, dirs);
    if (w.dims.length !== 1 || (known(w.dims[0]) && w.dims[0] !== size)) opFail(op, `input W must be 1-D with ${size} values, but got shape ${showShape(w.dims)}`);
    return {
      Out: [meta([x.dims[0], x.dims[1], H * dirs], x.dtype)],
      LastH: [meta(h.dims.slice(), x.dtype)],
      LastC: [meta(cc.dims.slice(), x.dtype)],
      // Reserve / StateOut hold what the gradient needs (the rnn operator's Reserve and dropout mask)
      Reserve: [meta([-1, -1], x.dtype)],
      StateOut: [meta([-1], 'uint8')],
    };
  },
  grad(ctx) {
    const ins: Slots<Tensor> = { Input: [ctx.input('Input')], InitH: [ctx.input('InitH')], InitC: [ctx.input('InitC')], W: [ctx.input('W')] };
    if (ctx.has('SequenceLength')) ins.SequenceLength = [ctx.input('SequenceLength')];
    for (const o of ['Out', 'LastH', 'LastC']) {
      ins[o] = [ctx.output(o)];
      ins[`${o}@GRAD`] = [ctx.outGrad(o)];
    }
    ins.Reserve = [ctx.output('Reserve')];
    ins.StateOut = [ctx.output('StateOut')];
    const r = dispatch('cudnn_lstm_grad', ins, { ...ctx.attrs });
    return pick(ctx, r, ['Input', 'InitH', 'InitC', 'W']);
  },
});

defineOp({
  type: 'cudnn_lstm_grad',
  inputs: ['Input!', 'InitH!', 'InitC!', 'W!', 'SequenceLength?!', 'Out!', 'LastH!', 'LastC!', 'Reserve!', 'StateOut!', 'Out@GRAD!', 'LastH@GRAD!', 'LastC@GRAD!'],
  outputs: ['Input@GRAD', 'InitH@GRAD', 'InitC@GRAD', 'W@GRAD'],
  attrs: { dropout_prob: float(0), is_bidirec: bool(false), input_size: int(10), hidden_size: int(100), num_layers: int(1), is_test: bool(false), seed: int(0) },
  shareLod: [],
  infer: (ins) => gradMetas(ins, ['Input', 'InitH', 'InitC', 'W']),
});

/** The length of cudnn_lstm's flat weight W (fluid.layers.lstm's count). */
export function cudnnWeightSize(input: number, hidden: number, layers: number, dirs: number): number {
  let n = 0;
  for (let l = 0; l < layers; l++) {
    const inW = (l === 0 ? input : hidden * dirs) * hidden * 4 * dirs;
    n += inW + hidden * hidden * 4 * dirs + hidden * 8 * dirs;
  }
  return n;
}
