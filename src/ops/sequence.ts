// Sequence (LoD) operators of paddle/fluid/operators/sequence_ops/*, lod_reset_op.cc,
// lod_rank_table_op.cc, reorder_lod_tensor_by_rank_op.cc and im2sequence_op.cc, with the grad
// operators Paddle has for them.
//
// A LoD is a Tensor's `lod`: offsets per level, outermost first; the last level indexes rows of
// the tensor's first dimension. At run time (dygraph, or the Executor) `infer` sees the real
// tensors and checks their LoD; in static mode it sees Variables (`lod_level`) and gives -1 for
// the data-dependent dimensions. Kernels (src/backends/js/sequence.ts) compute the outputs and
// set their LoD; `shareLod` says which outputs take an input's LoD as Paddle's ShareLoD does.
//
// Gradient rules call the *_grad operators. Where a grad operator needs the LoD of an output's
// gradient (which autograd builds without one), the rule first gives it the forward output's
// LoD with `lod_reset(dOut, Y=Out)`, so the same rule also builds static programs.
import { parseDType, PROTO_DTYPE, toNumbers, type DType, type NumArray } from '../core/dtype.js';
import { fail, InvalidArgumentError, OutOfRangeError, UnimplementedError } from '../core/errors.js';
import { lodLevelOf } from '../core/lod.js';
import type { Slots } from '../core/registry.js';
import { numel, showShape } from '../core/shape.js';
import { Tensor, type Meta } from '../core/tensor.js';
import { apiName } from '../core/args.js';
import * as c from './calls.js';
import { bool, defineOp, float, int, ints, meta, one, opFail, str } from './util.js';

// ---- LoD helpers shared with the kernels ------------------------------------------------------

/** Whether a meta is a run-time tensor (not a static Variable, which has a lod_level). */
export function isRuntime(m: Meta): m is Tensor {
  return typeof m.lod_level !== 'number' && m instanceof Tensor;
}

/** A tensor's LoD as plain arrays (a fluid.LoDTensor's `lod` is a callable view). */
export function lodOf(t: Tensor): number[][] {
  const lod = t.lod;
  return Array.isArray(lod) ? lod : Array.from(lod as ArrayLike<number[]>, (l) => Array.from(l));
}

function failWith(op: string, msg: string, cls = InvalidArgumentError): never {
  const api = apiName('');
  return fail(api || op, api ? `${msg} (operator ${op})` : msg, cls);
}

/** Checks a LoD is well formed and its last level ends at `rows` (Paddle's CheckLoD). */
export function checkLodShape(lod: readonly (readonly number[])[], rows: number, op: string, what: string): void {
  for (let l = 0; l < lod.length; l++) {
    const level = lod[l];
    if (level.length < 1 || level[0] !== 0) failWith(op, `the LoD of ${what} is invalid: level ${l} (${JSON.stringify(level)}) must start at 0`);
    for (let i = 1; i < level.length; i++)
      if (!(level[i] >= level[i - 1])) failWith(op, `the LoD of ${what} is invalid: level ${l} (${JSON.stringify(level)}) decreases`);
    if (l + 1 < lod.length && level[level.length - 1] !== lod[l + 1].length - 1)
      failWith(op, `the LoD of ${what} is invalid: level ${l} ends at ${level[level.length - 1]} but level ${l + 1} has ${lod[l + 1].length - 1} sequences`);
  }
  if (lod.length) {
    const last = lod[lod.length - 1];
    if (last[last.length - 1] !== rows)
      failWith(op, `the LoD of ${what} (${JSON.stringify(lod)}) does not match its first dimension ${rows}: the last level must end at ${rows}`);
  }
}

/** The run-time LoD of `t`, checked against its rows; it must have `min`..`max` levels. */
export function seqLod(t: Tensor, op: string, what: string, min = 1, max = Infinity): number[][] {
  const lod = lodOf(t);
  if (lod.length === 0 && min > 0) failWith(op, `Input(${what}) Tensor of ${op} does not contain LoD information: give it a LoD (e.g. a fluid.LoDTensor from fluid.create_lod_tensor)`);
  if (lod.length < min || lod.length > max)
    failWith(op, `the LoD level of Input(${what}) must be ${min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`}, but got ${lod.length} (LoD ${JSON.stringify(lod)})`);
  checkLodShape(lod, t.dims[0] ?? 0, op, `Input(${what})`);
  return lod;
}

/** Offsets of a level -> lengths. */
export const lengthsOf = (level: readonly number[]): number[] => level.slice(1).map((v, i) => v - level[i]);
/** Lengths -> offsets. */
export function offsetsOf(lens: ArrayLike<number>): number[] {
  const out = [0];
  for (let i = 0; i < lens.length; i++) out.push(out[i] + lens[i]);
  return out;
}

function requireFloat(m: Meta, op: string, what = 'X'): void {
  if (m.dtype !== 'float32' && m.dtype !== 'float64') opFail(op, `input ${what} must be a float32 or float64 tensor, but got ${m.dtype}`);
}
function requireInt(m: Meta, op: string, what: string): void {
  if (m.dtype !== 'int32' && m.dtype !== 'int64') opFail(op, `input ${what} must be an int32 or int64 tensor, but got ${m.dtype}`);
}
function staticLevel(m: Meta, op: string, what: string, min: number): number {
  const l = lodLevelOf(m);
  if (l < min) opFail(op, `the LoD level of Input(${what}) should be larger than ${min - 1}, but received lod level ${l} (declare it with lod_level, e.g. paddle.static.data(name, shape, dtype, lod_level=1))`);
  return l;
}
/** A tensor's values as numbers (int64 converted). */
export const numsOf = (t: Tensor): NumArray => toNumbers(t.data, t.dtype);
const rowsOf = (dims: readonly number[]): number => (dims.length ? dims.slice(1).reduce((a, b) => a * b, 1) : 1);

/** Gives `t` the LoD of `ref` (lod_reset with Y): for gradients that need an output's LoD. */
export const withLodOf = (t: Tensor, ref: Tensor): Tensor => c.run1('lod_reset', { X: [t], Y: [ref] }, { target_lod: [], append: false });

// ---- sequence_pool ---------------------------------------------------------------------------
export const POOL_TYPES = ['AVERAGE', 'SUM', 'SQRT', 'LAST', 'FIRST', 'MAX'];

defineOp({
  type: 'sequence_pool',
  inputs: ['X'],
  outputs: ['Out', 'MaxIndex'],
  attrs: { is_test: bool(false), pooltype: str('AVERAGE'), pad_value: float(0) },
  noGradOutputs: ['MaxIndex'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'sequence_pool';
    const x = one(ins, 'X', op);
    requireFloat(x, op);
    if (!POOL_TYPES.includes(attrs.pooltype)) opFail(op, `attribute pooltype must be one of ${POOL_TYPES.join(', ')}, but got '${attrs.pooltype}'`);
    if (x.dims.length < 1) opFail(op, `input X must have rank >= 1, but got shape ${showShape(x.dims)}`);
    let rows = -1;
    let level: number;
    if (isRuntime(x)) {
      const lod = seqLod(x, op, 'X', 1, 2);
      rows = lod[lod.length - 1].length - 1;
      level = lod.length;
    } else level = staticLevel(x, op, 'X', 1);
    const dims = [rows, ...x.dims.slice(1)];
    const idx = attrs.pooltype === 'MAX' ? dims : [0];
    return { Out: [{ dims, dtype: x.dtype, lod_level: level - 1 }], MaxIndex: [{ dims: idx, dtype: 'int32', lod_level: 0 }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins: Slots<Tensor> = { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] };
    if (ctx.attrs.pooltype === 'MAX') ins.MaxIndex = [ctx.output('MaxIndex')];
    const { pooltype, is_test, pad_value } = ctx.attrs;
    return { X: [c.run1('sequence_pool_grad', ins, { pooltype, is_test, pad_value }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'sequence_pool_grad',
  inputs: ['X!', 'MaxIndex?!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { is_test: bool(false), pooltype: str('AVERAGE'), pad_value: float(0) },
  shareLod: [['X', 'X@GRAD']],
  infer(ins, attrs) {
    const op = 'sequence_pool_grad';
    const x = one(ins, 'X', op);
    const g = one(ins, 'Out@GRAD', op);
    if (g.dims.length !== x.dims.length) opFail(op, `the rank of Out@GRAD (${showShape(g.dims)}) must equal the rank of X (${showShape(x.dims)})`);
    for (let i = 1; i < x.dims.length; i++)
      if (g.dims[i] !== x.dims[i] && g.dims[i] >= 0 && x.dims[i] >= 0) opFail(op, `Out@GRAD of shape ${showShape(g.dims)} does not match X of shape ${showShape(x.dims)}`);
    if (attrs.pooltype === 'MAX' && !ins.MaxIndex?.length) opFail(op, 'input MaxIndex is required for pooltype MAX');
    return { 'X@GRAD': [meta(x.dims.slice(), g.dtype)] };
  },
  grad(ctx) {
    // linear in Out@GRAD: its adjoint is the pooling itself (empty sequences give 0)
    if (!ctx.needs('Out@GRAD')) return {};
    if (ctx.attrs.pooltype === 'MAX') fail(apiName('sequence_pool_grad'), 'the second-order gradient of sequence_pool with pooltype MAX is not supported', UnimplementedError);
    const dd = withLodOf(ctx.outGrad('X@GRAD'), ctx.input('X'));
    return { 'Out@GRAD': [c.dispatch('sequence_pool', { X: [dd] }, { pooltype: ctx.attrs.pooltype, is_test: ctx.attrs.is_test, pad_value: 0 }).Out[0]] };
  },
});

// ---- sequence_concat ---------------------------------------------------------------------------
defineOp({
  type: 'sequence_concat',
  inputs: ['X[]'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const op = 'sequence_concat';
    const xs = ins.X ?? [];
    if (xs.length < 2) opFail(op, `the number of inputs should be greater than 1, but received ${xs.length}`);
    const width = rowsOf(xs[0].dims);
    let rows = 0;
    for (const x of xs) {
      if (x.dtype !== xs[0].dtype) opFail(op, `all inputs must have the same dtype, but got ${xs[0].dtype} and ${x.dtype}`);
      if (x.dims.length !== xs[0].dims.length || rowsOf(x.dims) !== width)
        opFail(op, `each input must have the same feature size, but got shapes ${showShape(xs[0].dims)} and ${showShape(x.dims)}`);
      rows = rows < 0 || x.dims[0] < 0 ? -1 : rows + x.dims[0];
    }
    if (xs.every(isRuntime)) {
      const n = seqLod(xs[0] as Tensor, op, 'X[0]', 1, 1)[0].length;
      xs.forEach((x, i) => {
        const l = seqLod(x as Tensor, op, `X[${i}]`, 1, 1)[0];
        if (l.length !== n) opFail(op, `the lod size of each input must be the same, but X[${i}] has ${l.length - 1} sequences and X[0] has ${n - 1}`);
      });
    }
    return { Out: [{ dims: [rows, ...xs[0].dims.slice(1)], dtype: xs[0].dtype, lod_level: lodLevelOf(xs[0]) }] };
  },
  grad(ctx) {
    const xs = ctx.inputs('X');
    if (!xs.some((_, i) => ctx.needs('X', i))) return {};
    const gs = c.dispatch('sequence_concat_grad', { X: xs, 'Out@GRAD': [ctx.outGrad('Out')] }, {})['X@GRAD'];
    return { X: gs.map((g, i) => (ctx.needs('X', i) ? g : null)) };
  },
});

defineOp({
  type: 'sequence_concat_grad',
  inputs: ['X[]!', 'Out@GRAD'],
  outputs: ['X@GRAD[]'],
  shareLod: [],
  infer(ins) {
    const g = one(ins, 'Out@GRAD', 'sequence_concat_grad');
    return { 'X@GRAD': (ins.X ?? []).map((x) => meta(x.dims.slice(), g.dtype)) };
  },
  grad(ctx) {
    // linear in Out@GRAD: the adjoint concatenates the inputs' gradients again
    const xs = ctx.inputs('X');
    const dd = xs.map((x, i) => withLodOf(ctx.outGrad('X@GRAD', i), x));
    return { 'Out@GRAD': [c.run1('sequence_concat', { X: dd }, {})] };
  },
});

// ---- sequence_conv -----------------------------------------------------------------------------
defineOp({
  type: 'sequence_conv',
  inputs: ['X', 'PaddingData?', 'Filter'],
  outputs: ['Out'],
  attrs: { paddingTrainable: bool(false), contextLength: int(), contextStart: int(0), contextStride: int(1) },
  shareLod: [['X', 'Out']],
  infer(ins, attrs) {
    const op = 'sequence_conv';
    const x = one(ins, 'X', op);
    const f = one(ins, 'Filter', op);
    requireFloat(x, op);
    if (f.dtype !== x.dtype) opFail(op, `Filter must have X's dtype ${x.dtype}, but got ${f.dtype}`);
    const len = attrs.contextLength as number;
    const start = attrs.contextStart as number;
    if (!(len > 0)) opFail(op, `attribute contextLength must be greater than 0, but got ${len}`);
    if (attrs.contextStride !== 1) opFail(op, `only contextStride=1 is supported, but received contextStride = ${attrs.contextStride}`);
    if (x.dims.length !== 2 || f.dims.length !== 2)
      opFail(op, `Input(X, Filter) should be 2-D tensors, but received X of shape ${showShape(x.dims)} and Filter of shape ${showShape(f.dims)}`);
    if (x.dims[1] >= 0 && f.dims[0] >= 0 && f.dims[0] !== len * x.dims[1])
      opFail(op, `Filter's height should be contextLength * input width = ${len * x.dims[1]}, but received Filter of shape ${showShape(f.dims)}`);
    if (attrs.paddingTrainable) {
      const pd = ins.PaddingData?.[0];
      if (!pd) opFail(op, 'input PaddingData is required when paddingTrainable is true');
      const up = Math.max(0, -start);
      const down = Math.max(0, start + len - 1);
      if (start === 0 && len === 1) opFail(op, 'if contextStart is 0 and contextLength is 1, paddingTrainable should be false');
      if (pd.dims.length !== 2 || (pd.dims[0] !== up + down && pd.dims[0] >= 0) || (pd.dims[1] !== x.dims[1] && pd.dims[1] >= 0 && x.dims[1] >= 0))
        opFail(op, `Input(PaddingData) must have shape [${up + down}, ${x.dims[1]}] (up pad + down pad, input width), but received ${showShape(pd.dims)}`);
    }
    if (isRuntime(x)) seqLod(x, op, 'X', 1, 1);
    else staticLevel(x, op, 'X', 1);
    return { Out: [meta([x.dims[0], f.dims[1]], x.dtype)] };
  },
  grad(ctx) {
    const ins: Slots<Tensor> = { X: [ctx.input('X')], Filter: [ctx.input('Filter')], 'Out@GRAD': [ctx.outGrad('Out')] };
    const trainable = !!ctx.attrs.paddingTrainable && ctx.has('PaddingData');
    if (trainable) ins.PaddingData = [ctx.input('PaddingData')];
    const { paddingTrainable, contextLength, contextStart, contextStride } = ctx.attrs;
    const r = c.dispatch('sequence_conv_grad', ins, { paddingTrainable, contextLength, contextStart, contextStride });
    return { X: [r['X@GRAD'][0]], Filter: [r['Filter@GRAD'][0]], PaddingData: [trainable ? r['PaddingData@GRAD'][0] : null] };
  },
});

defineOp({
  type: 'sequence_conv_grad',
  inputs: ['X!', 'PaddingData?!', 'Filter!', 'Out@GRAD'],
  outputs: ['X@GRAD', 'Filter@GRAD', 'PaddingData@GRAD'],
  attrs: { paddingTrainable: bool(false), contextLength: int(), contextStart: int(0), contextStride: int(1) },
  shareLod: [['X', 'X@GRAD']],
  infer(ins, attrs) {
    const op = 'sequence_conv_grad';
    const x = one(ins, 'X', op);
    const f = one(ins, 'Filter', op);
    const out: Slots<Meta> = { 'X@GRAD': [meta(x.dims.slice(), x.dtype)], 'Filter@GRAD': [meta(f.dims.slice(), f.dtype)] };
    const pd = ins.PaddingData?.[0];
    if (attrs.paddingTrainable && pd) out['PaddingData@GRAD'] = [meta(pd.dims.slice(), pd.dtype)];
    return out;
  },
});

// ---- sequence_enumerate ------------------------------------------------------------------------
defineOp({
  type: 'sequence_enumerate',
  inputs: ['X!'],
  outputs: ['Out'],
  attrs: { win_size: int(), pad_value: int(0) },
  shareLod: [['X', 'Out']],
  infer(ins, attrs) {
    const op = 'sequence_enumerate';
    const x = one(ins, 'X', op);
    requireInt(x, op, 'X');
    if (!(attrs.win_size >= 2)) opFail(op, `the window size should be not less than 2, but received window size is ${attrs.win_size}`);
    if (x.dims.length !== 2 || (x.dims[1] !== 1 && x.dims[1] >= 0))
      opFail(op, `Input(X) must be 2-D with a 2nd dimension of 1 ([N, 1]), but received shape ${showShape(x.dims)}`);
    if (isRuntime(x)) {
      const lod = seqLod(x, op, 'X');
      if (lod[0][lod[0].length - 1] !== x.dims[0])
        opFail(op, `the actual input data's size mismatched with LoD information: received input data size is ${x.dims[0]} (actual) vs ${lod[0][lod[0].length - 1]} (LoD information); give X one LoD level`);
    }
    return { Out: [meta([x.dims[0], attrs.win_size], x.dtype)] };
  },
});

// ---- sequence_expand ---------------------------------------------------------------------------
/** sequence_expand's plan: X's row offsets per sequence, Y's reference level, output LoD (or none). */
export function expandPlan(x: Tensor, y: Tensor, refLevel: number, op: string): { xOff: number[]; ref: number[]; outLod: number[][]; rows: number } {
  const xl = lodOf(x);
  if (xl.length > 1) failWith(op, `the LoD level of Input(X) should not be greater than 1, but received lod level ${xl.length}`);
  if (xl.length) checkLodShape(xl, x.dims[0], op, 'Input(X)');
  const yl = seqLod(y, op, 'Y');
  if (!(refLevel === -1 || (refLevel >= 0 && refLevel < yl.length)))
    failWith(op, `invalid ref_level ${refLevel}: it should be either -1 or in [0, ${yl.length})`);
  const level = refLevel === -1 ? yl.length - 1 : refLevel;
  const ref = yl[level];
  let xOff: number[];
  if (xl.length) {
    xOff = xl[0];
    if (xOff.length !== ref.length)
      failWith(op, `X has ${xOff.length - 1} sequences but level ${level} of Y's LoD has ${ref.length - 1}: they must be equal`);
  } else {
    if (x.dims[0] !== ref.length - 1)
      failWith(op, `when Input(X) has no LoD, its first dimension (${x.dims[0]}) must equal the number of sequences in level ${level} of Y's LoD (${ref.length - 1})`);
    xOff = Array.from({ length: x.dims[0] + 1 }, (_, i) => i);
  }
  let rows = 0;
  const off = [0];
  for (let i = 1; i < ref.length; i++) {
    const rep = ref[i] - ref[i - 1];
    const len = xOff[i] - xOff[i - 1];
    rows += rep * len;
    for (let j = 0; j < rep; j++) off.push(off[off.length - 1] + len);
  }
  if (ref.length <= 1) rows = x.dims[0];
  return { xOff, ref, outLod: xl.length && ref.length > 1 ? [off] : xl.length ? xl : [], rows };
}

defineOp({
  type: 'sequence_expand',
  inputs: ['X', 'Y!'],
  outputs: ['Out'],
  attrs: { ref_level: int(-1) },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'sequence_expand';
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    if (x.dims.length < 2) opFail(op, `dimension number of Input(X) should be at least 2, but received shape ${showShape(x.dims)}`);
    let rows = -1;
    if (isRuntime(x) && isRuntime(y)) rows = expandPlan(x, y, attrs.ref_level, op).rows;
    else staticLevel(y, op, 'Y', 1);
    return { Out: [{ dims: [rows, ...x.dims.slice(1)], dtype: x.dtype, lod_level: lodLevelOf(x) }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], Y: [ctx.input('Y')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('sequence_expand_grad', ins, { ref_level: ctx.attrs.ref_level }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'sequence_expand_grad',
  inputs: ['X!', 'Y!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { ref_level: int(-1) },
  shareLod: [['X', 'X@GRAD']],
  infer(ins) {
    const x = one(ins, 'X', 'sequence_expand_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'sequence_expand_grad').dtype)] };
  },
  grad(ctx) {
    const x = ctx.input('X');
    const dd = lodLevelOf(x) > 0 ? withLodOf(ctx.outGrad('X@GRAD'), x) : ctx.outGrad('X@GRAD');
    return { 'Out@GRAD': [c.run1('sequence_expand', { X: [dd], Y: [ctx.input('Y')] }, { ref_level: ctx.attrs.ref_level })] };
  },
});

// ---- sequence_expand_as ------------------------------------------------------------------------
defineOp({
  type: 'sequence_expand_as',
  inputs: ['X', 'Y!'],
  outputs: ['Out'],
  shareLod: [['Y', 'Out']],
  infer(ins) {
    const op = 'sequence_expand_as';
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    if (x.dims.length < 2) opFail(op, `dimension number of Input(X) should be at least 2, but received shape ${showShape(x.dims)}`);
    let rows = -1;
    if (isRuntime(x) && isRuntime(y)) {
      const l = seqLod(y, op, 'Y', 1, 1)[0];
      if (x.dims[0] !== l.length - 1)
        opFail(op, `the first dimension of Input(X) (${x.dims[0]}) should equal the number of sequences of Input(Y) (${l.length - 1})`);
      rows = l[l.length - 1] - l[0];
    } else staticLevel(y, op, 'Y', 1);
    return { Out: [meta([rows, ...x.dims.slice(1)], x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], Y: [ctx.input('Y')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('sequence_expand_as_grad', ins, {}, 'X@GRAD')] };
  },
});

defineOp({
  type: 'sequence_expand_as_grad',
  inputs: ['X!', 'Y!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  shareLod: [['X', 'X@GRAD']],
  infer(ins) {
    const x = one(ins, 'X', 'sequence_expand_as_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'sequence_expand_as_grad').dtype)] };
  },
  grad(ctx) {
    return { 'Out@GRAD': [c.run1('sequence_expand_as', { X: [ctx.outGrad('X@GRAD')], Y: [ctx.input('Y')] }, {})] };
  },
});

// ---- sequence_mask -----------------------------------------------------------------------------
defineOp({
  type: 'sequence_mask',
  inputs: ['X!', 'MaxLenTensor?!'],
  outputs: ['Y'],
  attrs: { maxlen: int(-1), out_dtype: int() },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'sequence_mask';
    const x = one(ins, 'X', op);
    if (!['int32', 'int64', 'float32', 'float64'].includes(x.dtype)) opFail(op, `input X must be an int32, int64, float32 or float64 tensor, but got ${x.dtype}`);
    if (!(attrs.maxlen < 0 || attrs.maxlen >= 1)) opFail(op, `attribute maxlen must be less than 0 or not less than 1, but got ${attrs.maxlen}`);
    const dt = dtypeOfAttr(attrs.out_dtype, op);
    const m = ins.MaxLenTensor?.[0];
    if (m) requireInt(m, op, 'MaxLenTensor');
    return { Y: [meta([...x.dims, m ? -1 : attrs.maxlen > 0 ? attrs.maxlen : -1], dt)] };
  },
});

function dtypeOfAttr(v: unknown, op: string): DType {
  const d = parseDType(v);
  if (!d) opFail(op, `attribute out_dtype=${String(v)} is not a dtype`);
  return d;
}

// ---- sequence_pad / sequence_unpad -------------------------------------------------------------
defineOp({
  type: 'sequence_pad',
  inputs: ['X', 'PadValue!'],
  outputs: ['Out', 'Length'],
  attrs: { padded_length: int(-1) },
  noGradOutputs: ['Length'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'sequence_pad';
    const x = one(ins, 'X', op);
    const pv = one(ins, 'PadValue', op);
    if (x.dims.length < 2) opFail(op, `the rank of Input(X) can't be less than 2, but received shape ${showShape(x.dims)}`);
    const step = x.dims.slice(1);
    const isOne = pv.dims.length === 1 && pv.dims[0] === 1;
    const isStep = pv.dims.length === step.length && pv.dims.every((d, i) => d === step[i] || d < 0 || step[i] < 0);
    if (!isOne && !isStep)
      opFail(op, `the shape of Input(PadValue) should be [1] or the shape of one time step ${showShape(step)}, but received ${showShape(pv.dims)}`);
    if (pv.dtype !== x.dtype) opFail(op, `Input(PadValue) must have X's dtype ${x.dtype}, but got ${pv.dtype}`);
    let n = -1;
    let len = attrs.padded_length as number;
    if (isRuntime(x)) {
      const lod = seqLod(x, op, 'X');
      const l0 = lod[0];
      if (l0[l0.length - 1] !== x.dims[0])
        opFail(op, `the Input(X)'s lod info mismatches the actual tensor shape: the first level ends at ${l0[l0.length - 1]} but X has ${x.dims[0]} rows (sequence_pad takes X with one LoD level)`);
      const maxLen = Math.max(0, ...lengthsOf(l0));
      if (len === -1) len = maxLen;
      if (len < maxLen) opFail(op, `the Attr(padded_length) (${len}) must be -1 or not less than the length of the longest original sequence (${maxLen})`);
      n = l0.length - 1;
    } else staticLevel(x, op, 'X', 1);
    return { Out: [meta([n, len, ...step], x.dtype)], Length: [meta([n], 'int64')] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('sequence_pad_grad', ins, { padded_length: ctx.attrs.padded_length }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'sequence_pad_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { padded_length: int(-1) },
  shareLod: [['X', 'X@GRAD']],
  infer(ins) {
    const x = one(ins, 'X', 'sequence_pad_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'sequence_pad_grad').dtype)] };
  },
  grad(ctx) {
    // linear: the adjoint of taking the valid steps back is padding with zeros again
    const x = ctx.input('X');
    const pad = c.run1('fill_constant', {}, { shape: [1], dtype: protoOf(x.dtype), value: 0 });
    const g = c.dispatch('sequence_pad', { X: [withLodOf(ctx.outGrad('X@GRAD'), x)], PadValue: [pad] }, { padded_length: ctx.attrs.padded_length });
    return { 'Out@GRAD': [g.Out[0]] };
  },
});

const protoOf = (d: DType): number => PROTO_DTYPE[d];

defineOp({
  type: 'sequence_unpad',
  inputs: ['X', 'Length!'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const op = 'sequence_unpad';
    const x = one(ins, 'X', op);
    const len = one(ins, 'Length', op);
    if (x.dims.length < 2) opFail(op, `the rank of Input(X) can't be less than 2, but received shape ${showShape(x.dims)}`);
    if (len.dtype !== 'int64') opFail(op, `input Length must be an int64 tensor, but got ${len.dtype}`);
    if (len.dims.length !== 1) opFail(op, `the rank of Input(Length) should be 1, but received shape ${showShape(len.dims)}`);
    if (len.dims[0] !== x.dims[0] && len.dims[0] >= 0 && x.dims[0] >= 0)
      opFail(op, `the 1st dimension of Input(X) (${x.dims[0]}) and Input(Length) (${len.dims[0]}) should be the same`);
    let rows = -1;
    if (isRuntime(len) && isRuntime(x)) {
      const v = Array.from(len.data as BigInt64Array, Number);
      for (let i = 0; i < v.length; i++)
        if (!(v[i] >= 0 && v[i] <= x.dims[1]))
          failWith(op, `Length[${i}] = ${v[i]} is out of range: each length must be in [0, ${x.dims[1]}] (the padded length)`, OutOfRangeError);
      rows = v.reduce((a, b) => a + b, 0);
    }
    const rest = x.dims.length === 2 ? [1] : x.dims.slice(2);
    return { Out: [{ dims: [rows, ...rest], dtype: x.dtype, lod_level: 1 }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], 'Out@GRAD': [withLodOf(ctx.outGrad('Out'), ctx.output('Out'))] };
    return { X: [c.run1('sequence_unpad_grad', ins, {}, 'X@GRAD')] };
  },
});

defineOp({
  type: 'sequence_unpad_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  shareLod: [['X', 'X@GRAD']],
  infer(ins) {
    const x = one(ins, 'X', 'sequence_unpad_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'sequence_unpad_grad').dtype)] };
  },
});

// ---- sequence_reshape --------------------------------------------------------------------------
defineOp({
  type: 'sequence_reshape',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { new_dim: int() },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'sequence_reshape';
    const x = one(ins, 'X', op);
    if (x.dims.length !== 2) opFail(op, `the rank of Input(X) should be 2, but received shape ${showShape(x.dims)}`);
    const nd = attrs.new_dim as number;
    if (!(nd > 0)) opFail(op, `attribute new_dim must be positive, but got ${nd}`);
    let rows = -1;
    if (isRuntime(x)) {
      const l = seqLod(x, op, 'X', 1, 1)[0];
      for (let i = 1; i < l.length; i++)
        if (((l[i] - l[i - 1]) * x.dims[1]) % nd !== 0)
          opFail(op, `sequence ${i - 1} has ${(l[i] - l[i - 1]) * x.dims[1]} values, which cannot be divided by new_dim ${nd}`);
      rows = numel(x.dims) / nd;
    }
    return { Out: [{ dims: [rows, nd], dtype: x.dtype, lod_level: 1 }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [c.run1('sequence_reshape_grad', { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] }, {}, 'X@GRAD')] };
  },
});

defineOp({
  type: 'sequence_reshape_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  shareLod: [['X', 'X@GRAD']],
  infer(ins) {
    const x = one(ins, 'X', 'sequence_reshape_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'sequence_reshape_grad').dtype)] };
  },
  grad(ctx) {
    // a reshape back to Out@GRAD's width
    const g = ctx.input('Out@GRAD');
    return { 'Out@GRAD': [c.reshape(ctx.outGrad('X@GRAD'), [-1, g.dims[g.dims.length - 1]])] };
  },
});

// ---- sequence_reverse --------------------------------------------------------------------------
defineOp({
  type: 'sequence_reverse',
  inputs: ['X'],
  outputs: ['Y'],
  shareLod: [['X', 'Y']],
  infer(ins) {
    const op = 'sequence_reverse';
    const x = one(ins, 'X', op);
    if (x.dims.length < 2) opFail(op, `the rank of Input(X) must be not less than 2, but received shape ${showShape(x.dims)}`);
    if (isRuntime(x)) seqLod(x, op, 'X', 1, 1);
    return { Y: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [c.run1('sequence_reverse', { X: [withLodOf(ctx.outGrad('Y'), ctx.input('X'))] }, {}, 'Y')] };
  },
});

// ---- sequence_scatter --------------------------------------------------------------------------
defineOp({
  type: 'sequence_scatter',
  inputs: ['X', 'Ids!', 'Updates'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const op = 'sequence_scatter';
    const x = one(ins, 'X', op);
    const ids = one(ins, 'Ids', op);
    const up = one(ins, 'Updates', op);
    requireInt(ids, op, 'Ids');
    if (up.dtype !== x.dtype) opFail(op, `Updates must have X's dtype ${x.dtype}, but got ${up.dtype}`);
    if (x.dims.length < 1) opFail(op, `input X must have rank >= 1, but got shape ${showShape(x.dims)}`);
    if (up.dims[0] !== ids.dims[0] && up.dims[0] >= 0 && ids.dims[0] >= 0)
      opFail(op, `the first dimension of Updates (${showShape(up.dims)}) and Ids (${showShape(ids.dims)}) must be the same`);
    if (isRuntime(ids) && isRuntime(up) && isRuntime(x)) {
      const l = seqLod(ids, op, 'Ids', 1, 1)[0];
      seqLod(up, op, 'Updates', 1, 1);
      if (numel(ids.dims) !== ids.dims[0] || numel(up.dims) !== up.dims[0])
        opFail(op, `Ids and Updates must hold one value per row ([N] or [N, 1]), but got shapes ${showShape(ids.dims)} and ${showShape(up.dims)}`);
      if (l.length - 1 > x.dims[0])
        opFail(op, `Ids has ${l.length - 1} sequences but X has only ${x.dims[0]} rows (sequence i updates row i)`);
    }
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    const r = c.dispatch('sequence_scatter_grad', { Ids: [ctx.input('Ids')], Updates: [ctx.input('Updates')], 'Out@GRAD': [ctx.outGrad('Out')] }, {});
    return { X: [ctx.needs('X') ? r['X@GRAD'][0] : null], Updates: [ctx.needs('Updates') ? r['Updates@GRAD'][0] : null] };
  },
});

defineOp({
  type: 'sequence_scatter_grad',
  inputs: ['Ids!', 'Updates!', 'Out@GRAD'],
  outputs: ['X@GRAD', 'Updates@GRAD'],
  shareLod: [['Updates', 'Updates@GRAD']],
  infer(ins) {
    const g = one(ins, 'Out@GRAD', 'sequence_scatter_grad');
    const up = one(ins, 'Updates', 'sequence_scatter_grad');
    return { 'X@GRAD': [meta(g.dims.slice(), g.dtype)], 'Updates@GRAD': [meta(up.dims.slice(), g.dtype)] };
  },
  grad(ctx) {
    const du = withLodOf(ctx.outGrad('Updates@GRAD'), ctx.input('Updates'));
    return { 'Out@GRAD': [c.run1('sequence_scatter', { X: [ctx.outGrad('X@GRAD')], Ids: [ctx.input('Ids')], Updates: [du] }, {})] };
  },
});

// ---- sequence_slice ----------------------------------------------------------------------------
/** Per-sequence offsets and lengths of sequence_slice, checked against X's LoD. */
export function slicePlan(x: Tensor, offset: Tensor, length: Tensor, op: string): { lod: number[]; off: number[]; len: number[] } {
  const lod = seqLod(x, op, 'X', 1, 1)[0];
  const n = lod.length - 1;
  if (offset.dims[0] !== n || length.dims[0] !== n)
    failWith(op, `X has ${n} sequences, but Offset has ${offset.dims[0]} rows and Length has ${length.dims[0]}: they must be equal`);
  const off = Array.from(numsOf(offset));
  const len = Array.from(numsOf(length));
  for (let i = 0; i < n; i++) {
    if (off[i] < 0) failWith(op, `the offset[${i}] must be nonnegative, but received ${off[i]}`, OutOfRangeError);
    if (len[i] < 0) failWith(op, `the length[${i}] must be nonnegative, but received ${len[i]}`, OutOfRangeError);
    if (lod[i] + off[i] + len[i] > lod[i + 1])
      failWith(op, `the slice of sequence ${i} (offset ${off[i]}, length ${len[i]}) ends past the sequence's end (its length is ${lod[i + 1] - lod[i]})`, OutOfRangeError);
  }
  return { lod, off, len };
}

defineOp({
  type: 'sequence_slice',
  inputs: ['X', 'Offset!', 'Length!'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const op = 'sequence_slice';
    const x = one(ins, 'X', op);
    const off = one(ins, 'Offset', op);
    const len = one(ins, 'Length', op);
    requireInt(off, op, 'Offset');
    requireInt(len, op, 'Length');
    if (off.dims.length !== 2) opFail(op, `Input(Offset) must be 2-D ([N, 1]), but received shape ${showShape(off.dims)}`);
    if (len.dims.length !== 2) opFail(op, `Input(Length) must be 2-D ([N, 1]), but received shape ${showShape(len.dims)}`);
    let rows = -1;
    if (isRuntime(x) && isRuntime(off) && isRuntime(len)) rows = slicePlan(x, off, len, op).len.reduce((a, b) => a + b, 0);
    return { Out: [{ dims: [rows, ...x.dims.slice(1)], dtype: x.dtype, lod_level: lodLevelOf(x) }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], Offset: [ctx.input('Offset')], Length: [ctx.input('Length')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('sequence_slice_grad', ins, {}, 'X@GRAD')] };
  },
});

defineOp({
  type: 'sequence_slice_grad',
  inputs: ['X!', 'Offset!', 'Length!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  shareLod: [['X', 'X@GRAD']],
  infer(ins) {
    const x = one(ins, 'X', 'sequence_slice_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'sequence_slice_grad').dtype)] };
  },
  grad(ctx) {
    const dd = withLodOf(ctx.outGrad('X@GRAD'), ctx.input('X'));
    return { 'Out@GRAD': [c.run1('sequence_slice', { X: [dd], Offset: [ctx.input('Offset')], Length: [ctx.input('Length')] }, {})] };
  },
});

// ---- sequence_softmax --------------------------------------------------------------------------
defineOp({
  type: 'sequence_softmax',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { use_cudnn: bool(false), data_format: str('AnyLayout') },
  shareLod: [['X', 'Out']],
  infer(ins) {
    const op = 'sequence_softmax';
    const x = one(ins, 'X', op);
    requireFloat(x, op);
    if (isRuntime(x)) {
      seqLod(x, op, 'X');
      if (x.dims[0] !== numel(x.dims))
        opFail(op, `the width of each timestep in Input(X) of SequenceSoftmaxOp should be 1 (X of shape [N] or [N, 1]), but received shape ${showShape(x.dims)}`);
    }
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { Out: [ctx.output('Out')], 'Out@GRAD': [ctx.outGrad('Out')], X: [ctx.input('X')] };
    return { X: [c.run1('sequence_softmax_grad', ins, { use_cudnn: ctx.attrs.use_cudnn, data_format: ctx.attrs.data_format }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'sequence_softmax_grad',
  inputs: ['Out!', 'Out@GRAD', 'X!'],
  outputs: ['X@GRAD'],
  attrs: { use_cudnn: bool(false), data_format: str('AnyLayout') },
  shareLod: [['X', 'X@GRAD']],
  infer(ins) {
    const op = 'sequence_softmax_grad';
    const o = one(ins, 'Out', op);
    const g = one(ins, 'Out@GRAD', op);
    if (o.dims.length !== g.dims.length || o.dims.some((d, i) => d !== g.dims[i] && d >= 0 && g.dims[i] >= 0))
      opFail(op, `Input(Out) of shape ${showShape(o.dims)} and Input(Out@GRAD) of shape ${showShape(g.dims)} should have the same shape`);
    return { 'X@GRAD': [meta(one(ins, 'X', op).dims.slice(), g.dtype)] };
  },
});

// ---- lod_reset (lod_append is lod_reset with append) --------------------------------------------
defineOp({
  type: 'lod_reset',
  inputs: ['X', 'Y?!'],
  outputs: ['Out'],
  attrs: { target_lod: ints([]), append: bool(false) },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'lod_reset';
    const x = one(ins, 'X', op);
    const y = ins.Y?.[0];
    if (!y && !(attrs.target_lod as number[]).length)
      opFail(op, 'if Input(Y) is not provided, the output LoD should be specified by attribute target_lod, but target_lod is empty');
    let level: number;
    if (y) level = Math.max(lodLevelOf(y), 1);
    else if (attrs.append) level = Math.max(lodLevelOf(x) + 1, 1);
    else level = 1;
    return { Out: [{ dims: x.dims.slice(), dtype: x.dtype, lod_level: level }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [c.run1('lod_reset_grad', { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] }, {}, 'X@GRAD')] };
  },
});

defineOp({
  type: 'lod_reset_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { target_lod: ints([]), append: bool(false) },
  shareLod: [['X', 'X@GRAD']],
  infer(ins) {
    const x = one(ins, 'X', 'lod_reset_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'lod_reset_grad').dtype)] };
  },
  grad(ctx) {
    // the identity on the data
    return { 'Out@GRAD': [ctx.outGrad('X@GRAD')] };
  },
});

// ---- lod_rank_table / reorder_lod_tensor_by_rank ----------------------------------------------

/**
 * Paddle's LoDRankTable (a LOD_RANK_TABLE variable): the sequences of one LoD level sorted by
 * length, longest first (stable). Held as an int32 tensor [n, 2] of (index, length) rows, with
 * the LoD levels above the ranked one in `coarse_lod`.
 */
export class LoDRankTable extends Tensor {
  coarse_lod: number[][];
  constructor(items: { index: number; length: number }[], coarseLod: number[][]) {
    const data = new Int32Array(items.length * 2);
    items.forEach((it, i) => {
      data[2 * i] = it.index;
      data[2 * i + 1] = it.length;
    });
    super(data, [items.length, 2], 'int32');
    this.coarse_lod = coarseLod;
  }
  /** The items, longest sequence first: `{ index, length }`. */
  items(): { index: number; length: number }[] {
    const d = this.data as Int32Array;
    return Array.from({ length: this.dims[0] }, (_, i) => ({ index: d[2 * i], length: d[2 * i + 1] }));
  }
  /** LoDRankTable::Reset: ranks level `level` of `lod`. */
  static fromLoD(lod: number[][], level: number): LoDRankTable {
    const v = lod[level];
    const items = lengthsOf(v).map((length, index) => ({ index, length }));
    items.sort((a, b) => b.length - a.length || a.index - b.index);
    return new LoDRankTable(items, lod.slice(0, level).map((l) => l.slice()));
  }
}

/** The rank table value of input `what` (a LoDRankTable at run time). */
export function rankTableOf(t: Tensor, op: string, what = 'RankTable'): LoDRankTable {
  if (!(t instanceof LoDRankTable)) failWith(op, `Input(${what}) must be a LoDRankTable (the output of lod_rank_table), but got ${t.constructor.name}`);
  return t;
}

defineOp({
  type: 'lod_rank_table',
  inputs: ['X!'],
  outputs: ['Out'],
  attrs: { level: int(0) },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'lod_rank_table';
    const x = one(ins, 'X', op);
    if (!(attrs.level >= 0)) opFail(op, `attribute level must be >= 0, but got ${attrs.level}`);
    if (isRuntime(x)) {
      const lod = seqLod(x, op, 'X');
      if (attrs.level >= lod.length) opFail(op, `cannot rank level ${attrs.level}: X's LoD has ${lod.length} level(s)`);
    }
    return { Out: [{ dims: [-1, 2], dtype: 'int32', lod_level: 0 }] };
  },
});

defineOp({
  type: 'reorder_lod_tensor_by_rank',
  inputs: ['X', 'RankTable!'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const x = one(ins, 'X', 'reorder_lod_tensor_by_rank');
    return { Out: [{ dims: x.dims.slice(), dtype: x.dtype, lod_level: lodLevelOf(x) }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    // reordering plain rows (no LoD) is allowed; only a LoD input's gradient needs Out's LoD back
    const o = ctx.output('Out');
    const g = lodLevelOf(o) > 0 ? withLodOf(ctx.outGrad('Out'), o) : ctx.outGrad('Out');
    return { X: [c.run1('reorder_lod_tensor_by_rank_grad', { X: [g], RankTable: [ctx.input('RankTable')] }, {}, 'Out')] };
  },
});

defineOp({
  type: 'reorder_lod_tensor_by_rank_grad',
  inputs: ['X', 'RankTable!'],
  outputs: ['Out'],
  shareLod: [],
  infer(ins) {
    const x = one(ins, 'X', 'reorder_lod_tensor_by_rank_grad');
    return { Out: [{ dims: x.dims.slice(), dtype: x.dtype, lod_level: lodLevelOf(x) }] };
  },
  grad(ctx) {
    // a permutation: its adjoint is the forward reordering (of a gradient with X's LoD, which Out has)
    if (!ctx.needs('X')) return {};
    const dd = withLodOf(ctx.outGrad('Out'), ctx.output('Out'));
    return { X: [c.run1('reorder_lod_tensor_by_rank', { X: [dd], RankTable: [ctx.input('RankTable')] }, {})] };
  },
});

// ---- im2sequence -------------------------------------------------------------------------------
/** Output rows per image of im2sequence: [oh, ow] for each image (from Y's real sizes when given). */
export function im2seqSizes(x: Meta, y: Tensor | undefined, attrs: Record<string, any>): [number, number][] {
  const [kh, kw] = attrs.kernels as number[];
  const [sh, sw] = attrs.strides as number[];
  const p = attrs.paddings as number[];
  const out = (size: number, k: number, p0: number, p1: number, s: number): number => Math.floor((size + p0 + p1 - k) / s) + 1;
  const n = x.dims[0];
  if (y && n > 1) {
    const v = numsOf(y);
    const [osh, osw] = attrs.out_stride as number[];
    return Array.from({ length: n }, (_, i) => {
      const h = Math.ceil(Math.trunc(v[2 * i]) / osh);
      const w = Math.ceil(Math.trunc(v[2 * i + 1]) / osw);
      return [out(h, kh, p[0], p[2], sh), out(w, kw, p[1], p[3], sw)];
    });
  }
  const oh = out(x.dims[2], kh, p[0], p[2], sh);
  const ow = out(x.dims[3], kw, p[1], p[3], sw);
  return Array.from({ length: n }, () => [oh, ow]);
}

function checkIm2seq(op: string, x: Meta, y: Meta | undefined, attrs: Record<string, any>): void {
  requireFloat(x, op);
  if (x.dims.length !== 4) opFail(op, `the dimension size of Input(X) should be 4 ([N, C, H, W]), but received shape ${showShape(x.dims)}`);
  const k = attrs.kernels as number[];
  const s = attrs.strides as number[];
  const p = attrs.paddings as number[];
  const os = attrs.out_stride as number[];
  if (k.length !== 2 || !k.every((v) => v > 0)) opFail(op, `attribute kernels must be 2 positive integers, but got [${k}]`);
  if (s.length !== 2 || !s.every((v) => v > 0)) opFail(op, `attribute strides must be 2 positive integers, but got [${s}]`);
  if (p.length !== 4 || !p.every((v) => v >= 0)) opFail(op, `attribute paddings must be 4 non-negative integers (up, left, down, right), but got [${p}]`);
  if (os.length !== 2 || !os.every((v) => v > 0)) opFail(op, `attribute out_stride must be 2 positive integers, but got [${os}]`);
  if (y && (y.dims.length !== 2 || (y.dims[1] !== 2 && y.dims[1] >= 0)))
    opFail(op, `Input(Y) (the real image sizes) must have shape [N, 2], but received ${showShape(y.dims)}`);
}

defineOp({
  type: 'im2sequence',
  inputs: ['X', 'Y?!'],
  outputs: ['Out'],
  attrs: { kernels: ints(), strides: ints([1, 1]), paddings: ints([0, 0, 0, 0]), out_stride: ints([1, 1]) },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'im2sequence';
    const x = one(ins, 'X', op);
    const y = ins.Y?.[0];
    checkIm2seq(op, x, y, attrs);
    const width = x.dims[1] < 0 ? -1 : x.dims[1] * attrs.kernels[0] * attrs.kernels[1];
    let rows = -1;
    if (x.dims.every((d) => d >= 0) && (!y || isRuntime(y) || x.dims[0] <= 1)) {
      const sizes = im2seqSizes(x, y && isRuntime(y) ? y : undefined, attrs);
      for (const [oh, ow] of sizes) if (!(oh > 0 && ow > 0)) opFail(op, `the kernels [${attrs.kernels}] do not fit the (padded) image of shape ${showShape(x.dims)}`);
      rows = sizes.reduce((a, [oh, ow]) => a + oh * ow, 0);
    }
    return { Out: [{ dims: [rows, width], dtype: x.dtype, lod_level: 1 }] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins: Slots<Tensor> = { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] };
    if (ctx.has('Y')) ins.Y = [ctx.input('Y')];
    const { kernels, strides, paddings, out_stride } = ctx.attrs;
    return { X: [c.run1('im2sequence_grad', ins, { kernels, strides, paddings, out_stride }, 'X@GRAD')] };
  },
});

// im2sequence_grad takes Y too (an addition to Paddle's slots, dispensable: Paddle's grad kernel
// ignores the real image sizes, which makes its gradient wrong when Y is used).
defineOp({
  type: 'im2sequence_grad',
  inputs: ['X!', 'Y?!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { kernels: ints(), strides: ints([1, 1]), paddings: ints([0, 0, 0, 0]), out_stride: ints([1, 1]) },
  shareLod: [],
  infer(ins) {
    const x = one(ins, 'X', 'im2sequence_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'im2sequence_grad').dtype)] };
  },
  grad(ctx) {
    const ins: Slots<Tensor> = { X: [ctx.outGrad('X@GRAD')] };
    if (ctx.has('Y')) ins.Y = [ctx.input('Y')];
    const { kernels, strides, paddings, out_stride } = ctx.attrs;
    return { 'Out@GRAD': [c.run1('im2sequence', ins, { kernels, strides, paddings, out_stride })] };
  },
});

