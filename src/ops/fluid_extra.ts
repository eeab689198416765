// Operators of Paddle 2.0 that only the fluid.layers functions append (paddle/fluid/operators):
//   mean                    X -> Out [1]
//   top_k                   X, K? -> Out, Indices          (k; last axis, largest first)
//   reverse                 X -> Out                       (axis)
//   expand / expand_grad    X, ExpandTimes?, expand_times_tensor[]? -> Out   (expand_times)
//   expand_as / _grad       X, target_tensor -> Out        (v1: target dims multiples of X's)
//   flatten2                X -> Out, XShape               (axis)
//   isinf / isnan / isfinite X -> Out [1] bool             (any inf / any nan / all finite)
//   diag                    Diagonal -> Out [n, n]
//   fill_zeros_like         X -> Out
//   unique_with_counts      X -> Out, Index, Count         (dtype; first-occurrence order)
//   norm                    X -> Norm, Out                 (axis, epsilon): x / sqrt(sum x^2 + eps)
//   cross_entropy / _grad   X, Label -> Y                  (soft_label, ignore_index; X probabilities)
//   space_to_depth / _grad  X -> Out                       (blocksize; darknet's reorg order)
//   shuffle_channel         X -> Out                       (group)
//   affine_channel          X, Scale, Bias -> Out          (data_layout)
//   pad_constant_like       X, Y -> Out                    (pad_value)
//   crop / crop_grad        X, Y?, Offsets? -> Out         (offsets, shape)
//   crop_tensor / _grad     X, Shape?, Offsets?, ShapeTensor[]?, OffsetsTensor[]? -> Out
//   random_crop             X, Seed -> Out, SeedOut        (shape, startup_seed)
//   similarity_focus        X -> Out                       (axis, indexes)
//   hash                    X -> Out [N, num_hash, 1]      (num_hash, mod_by; XXH64)
//   add_position_encoding   X -> Out                       (alpha, beta)
//   cvm / cvm_grad          X, CVM -> Y                    (use_cvm)
//   fsp                     X, Y -> Out                    (X·Yᵀ / (H·W) per sample)
//   sampling_id             X -> Out int64                 (min, max, seed)
//   get_tensor_from_selected_rows, merge_selected_rows   X -> Out (dense stand-ins: a copy)
//   filter_by_instag / _grad Ins, Ins_tag, Filter_tag -> Out, LossWeight, IndexMap (is_lod, out_val_if_empty)
// Slots, attributes and defaults are Paddle's. Linear data movement ops differentiate through
// a *_grad operator whose own gradient is the forward op again.
import type { DType } from '../core/dtype.js';
import type { GradContext, GradResult, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { knownIntList, knownInts, xshapeMeta } from './reshape.js';
import { axisOf, putAlong } from './search.js';
import { bool, defineOp, dtypeAttr, float, int, ints, long, meta, one, opFail, requireDtypes, sameAsX, str } from './util.js';

const known = (d: number): boolean => d >= 0;
const FLOATS: readonly DType[] = ['float16', 'float32', 'float64'];
const F32_64: readonly DType[] = ['float32', 'float64'];
const prod = (dims: readonly number[]): number => (dims.some((d) => d < 0) ? -1 : dims.reduce((a, b) => a * b, 1));
const gradOf = (ctx: GradContext, slot: string): Tensor => ctx.outGrad(slot);

// ---- mean -------------------------------------------------------------------------------------
defineOp({
  type: 'mean',
  inputs: ['X'],
  outputs: ['Out'],
  infer(ins) {
    const x = one(ins, 'X', 'mean');
    requireDtypes(x, FLOATS, 'mean');
    return { Out: [meta([1], x.dtype)] };
  },
  // dX = dOut / numel(X), broadcast to X's shape (numel taken at run time when unknown)
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const x = ctx.input('X');
    const ones = c.fullLike(x, 1);
    const g = c.mul(ones, gradOf(ctx, 'Out'));
    const n = prod(x.dims);
    if (n >= 0) return { X: [c.scale(g, n === 0 ? 0 : 1 / n)] };
    return { X: [c.div(g, c.cast(c.run1('size', { Input: [x] }), x.dtype))] };
  },
});

// ---- top_k (v1) -------------------------------------------------------------------------------
defineOp({
  type: 'top_k',
  inputs: ['X', 'K?!'],
  outputs: ['Out', 'Indices'],
  attrs: { k: int(1) },
  noGradOutputs: ['Indices'],
  infer(ins, attrs) {
    const op = 'top_k';
    const x = one(ins, 'X', op);
    if (x.dims.length < 1) opFail(op, 'input X must have at least 1 dimension');
    let k = attrs.k as number;
    if (ins.K?.[0]) {
      const v = knownInts(ins.K[0], op, 'K');
      k = v ? v[0] : -1;
    }
    if (k !== -1 && k < 1) opFail(op, `attribute k must be >= 1, but got k=${k}`);
    const last = x.dims[x.dims.length - 1];
    if (k > 0 && known(last) && last < k) opFail(op, `input X's last dimension (${last}) must be >= k (${k}), X has shape ${showShape(x.dims)}`);
    const dims = x.dims.slice();
    dims[dims.length - 1] = k;
    return { Out: [meta(dims, x.dtype)], Indices: [meta(dims.slice(), 'int64')] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    return { X: [putAlong(ctx.input('X'), ctx.output('Indices'), gradOf(ctx, 'Out'), -1)] };
  },
});

// ---- reverse ------------------------------------------------------------------------------------
defineOp({
  type: 'reverse',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { axis: ints() },
  infer(ins, attrs) {
    const op = 'reverse';
    const x = one(ins, 'X', op);
    const axes = attrs.axis as number[];
    if (axes.length === 0) opFail(op, "attribute 'axis' can not be empty");
    for (const a of axes) axisOf(a, x.dims.length, op, 'axis');
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad: (ctx): GradResult => ({ X: [c.run1('reverse', { X: [gradOf(ctx, 'Out')] }, { axis: ctx.attrs.axis })] }),
});

// ---- expand / expand_as (v1) ----------------------------------------------------------------------
/** Repeat counts of expand from the attribute or the tensor inputs (-1: known at run time). */
export function expandTimes(ins: Slots<Meta>, attrs: Record<string, unknown>, op: string): number[] {
  if (ins.ExpandTimes?.[0]) {
    const v = knownInts(ins.ExpandTimes[0], op, 'ExpandTimes');
    return v ?? new Array<number>(Math.max(ins.ExpandTimes[0].dims[0], 0)).fill(-1);
  }
  if (ins.expand_times_tensor?.length) {
    const v = knownIntList(ins.expand_times_tensor, op, 'expand_times_tensor');
    return v ?? (attrs.expand_times as number[]).map((t) => (t > 0 ? t : -1));
  }
  return attrs.expand_times as number[];
}

defineOp({
  type: 'expand',
  inputs: ['X', 'ExpandTimes?!', 'expand_times_tensor[]?!'],
  outputs: ['Out'],
  attrs: { expand_times: ints([]) },
  infer(ins, attrs) {
    const op = 'expand';
    const x = one(ins, 'X', op);
    const times = expandTimes(ins, attrs, op);
    const r = x.dims.length;
    if (times.length !== r)
      opFail(op, `the number of elements of expand_times (${times.length}) must equal the rank of X (${r}), X has shape ${showShape(x.dims)}`);
    if (r > 6) opFail(op, `the rank of X must be at most 6, but got ${r}`);
    const dims = x.dims.map((d, i) => {
      const t = times[i];
      if (t === 0 || t < -1) opFail(op, `each value of expand_times must be positive, but got expand_times=${showShape(times)}`);
      return known(d) && t > 0 ? d * t : -1;
    });
    return { Out: [meta(dims, x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    return { X: [c.run1('expand_grad', { X: [ctx.input('X')], 'Out@GRAD': [gradOf(ctx, 'Out')] }, {}, 'X@GRAD')] };
  },
});

// expand_grad / expand_as_grad: X@GRAD sums Out@GRAD over the repeats (repeats = dOut / X dims).
function tileGradOp(type: string): void {
  defineOp({
    type,
    inputs: ['X!', 'Out@GRAD'],
    outputs: ['X@GRAD'],
    infer(ins) {
      const x = one(ins, 'X', type);
      const g = one(ins, 'Out@GRAD', type);
      if (g.dims.length !== x.dims.length) opFail(type, `Out@GRAD must have X's rank ${x.dims.length}, but got shape ${showShape(g.dims)}`);
      return { 'X@GRAD': [meta(x.dims.slice(), g.dtype)] };
    },
    // linear in Out@GRAD: its gradient tiles back
    grad(ctx): GradResult {
      const gg = gradOf(ctx, 'X@GRAD');
      return { 'Out@GRAD': [c.run1('expand_as', { X: [gg], target_tensor: [ctx.input('Out@GRAD')] }, {})] };
    },
  });
}
tileGradOp('expand_grad');
tileGradOp('expand_as_grad');

defineOp({
  type: 'expand_as',
  inputs: ['X', 'target_tensor!'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'expand_as';
    const x = one(ins, 'X', op);
    const t = one(ins, 'target_tensor', op);
    if (t.dims.length !== x.dims.length)
      opFail(op, `the rank of target_tensor (${t.dims.length}) must equal the rank of X (${x.dims.length})`);
    if (x.dims.length > 6) opFail(op, `the rank of X must be at most 6, but got ${x.dims.length}`);
    x.dims.forEach((d, i) => {
      const td = t.dims[i];
      if (known(d) && known(td) && (d === 0 ? td !== 0 : td % d !== 0))
        opFail(op, `each dimension of target_tensor must be a multiple of X's, but got X of shape ${showShape(x.dims)} and target_tensor of shape ${showShape(t.dims)}`);
    });
    return { Out: [meta(t.dims.slice(), x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    return { X: [c.run1('expand_as_grad', { X: [ctx.input('X')], 'Out@GRAD': [gradOf(ctx, 'Out')] }, {}, 'X@GRAD')] };
  },
});

// ---- flatten2 -----------------------------------------------------------------------------------
defineOp({
  type: 'flatten2',
  inputs: ['X'],
  outputs: ['Out', 'XShape'],
  attrs: { axis: int(1) },
  noGradOutputs: ['XShape'],
  infer(ins, attrs) {
    const op = 'flatten2';
    const x = one(ins, 'X', op);
    const axis = attrs.axis as number;
    if (axis < 0 || axis > x.dims.length) opFail(op, `attribute axis must be in [0, ${x.dims.length}] (the rank of X), but got ${axis}`);
    const outer = prod(x.dims.slice(0, axis));
    const inner = prod(x.dims.slice(axis));
    return { Out: [meta([outer, inner], x.dtype)], XShape: [xshapeMeta(x)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const x = ctx.input('X');
    const g = gradOf(ctx, 'Out');
    if (x.dims.filter((d) => d < 0).length > 1)
      return { X: [c.run1('reshape2', { X: [g], Shape: [c.run1('shape', { Input: [x] })] }, { shape: x.dims.slice() })] };
    return { X: [c.reshape(g, x.dims.slice())] };
  },
});

// ---- isinf / isnan / isfinite (v1: one bool for the whole tensor) -----------------------------------
for (const type of ['isinf', 'isnan', 'isfinite']) {
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out'],
    infer(ins) {
      const x = one(ins, 'X', type);
      requireDtypes(x, ['int32', 'int64', 'float16', 'float32', 'float64'], type);
      return { Out: [meta([1], 'bool')] };
    },
  });
}

// ---- diag (v1) ----------------------------------------------------------------------------------
defineOp({
  type: 'diag',
  inputs: ['Diagonal'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'diag';
    const d = one(ins, 'Diagonal', op);
    if (d.dims.length !== 1) opFail(op, `input Diagonal must be 1-D, but got shape ${showShape(d.dims)}`);
    requireDtypes(d, ['float32', 'float64', 'int32', 'int64'], op, 'Diagonal');
    return { Out: [meta([d.dims[0], d.dims[0]], d.dtype)] };
  },
});

// ---- fill_zeros_like ------------------------------------------------------------------------------
defineOp({
  type: 'fill_zeros_like',
  inputs: ['X!'],
  outputs: ['Out'],
  infer: (ins, attrs) => sameAsX(ins, attrs, 'fill_zeros_like'),
});

// ---- unique_with_counts -----------------------------------------------------------------------------
defineOp({
  type: 'unique_with_counts',
  inputs: ['X'],
  outputs: ['Out', 'Index', 'Count'],
  attrs: { dtype: int() },
  infer(ins, attrs) {
    const op = 'unique_with_counts';
    const x = one(ins, 'X', op);
    if (x.dims.length !== 1) opFail(op, `input X must be 1-D, but got shape ${showShape(x.dims)}`);
    requireDtypes(x, ['float32', 'float64', 'int32', 'int64'], op);
    const d = dtypeAttr(attrs.dtype, op);
    if (d !== 'int32' && d !== 'int64') opFail(op, `attribute dtype must be int32 or int64, but got ${String(attrs.dtype)}`);
    return { Out: [meta([-1], x.dtype)], Index: [meta(x.dims.slice(), d)], Count: [meta([-1], d)] };
  },
});

// ---- norm ---------------------------------------------------------------------------------------------
defineOp({
  type: 'norm',
  inputs: ['X'],
  outputs: ['Norm', 'Out'],
  attrs: { axis: int(), epsilon: float(1e-10) },
  noGradOutputs: ['Norm'],
  infer(ins, attrs) {
    const op = 'norm';
    const x = one(ins, 'X', op);
    requireDtypes(x, F32_64, op);
    const a = axisOf(attrs.axis, x.dims.length, op);
    const nd = x.dims.slice();
    nd[a] = 1;
    return { Out: [meta(x.dims.slice(), x.dtype)], Norm: [meta(nd, x.dtype)] };
  },
  // y = x / n with n = sqrt(sum x^2 + eps): dx = (dy - y * sum(dy * y, axis)) / n
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const x = ctx.input('X');
    const a = axisOf(ctx.attrs.axis, x.dims.length, 'norm');
    const y = ctx.output('Out');
    const n = ctx.output('Norm');
    const dy = gradOf(ctx, 'Out');
    const s = c.sum(c.mul(dy, y), [a], true);
    return { X: [c.div(c.sub(dy, c.mul(y, s)), n)] };
  },
});

// ---- cross_entropy (v1) -------------------------------------------------------------------------------
function ceShapes(x: Meta, label: Meta, soft: boolean, op: string): number[] {
  requireDtypes(x, FLOATS, op);
  const r = x.dims.length;
  const show = `X of shape ${showShape(x.dims)} and Label of shape ${showShape(label.dims)}`;
  if (r < 1) opFail(op, 'input X must have at least 1 dimension');
  if (label.dims.length !== r) opFail(op, `Input(X) and Input(Label) shall have the same rank, but got ${show}`);
  for (let i = 0; i < r - 1; i++)
    if (known(x.dims[i]) && known(label.dims[i]) && x.dims[i] !== label.dims[i])
      opFail(op, `Input(X) and Input(Label) shall have the same shape except the last dimension, but got ${show}`);
  const ll = label.dims[r - 1];
  if (soft) {
    if (known(ll) && known(x.dims[r - 1]) && ll !== x.dims[r - 1])
      opFail(op, `with soft_label, the last dimension of Label must equal X's, but got ${show}`);
    if (label.dtype !== x.dtype) opFail(op, `with soft_label, Label must have X's dtype ${x.dtype}, but got ${label.dtype}`);
  } else {
    if (known(ll) && ll !== 1) opFail(op, `with hard labels the last dimension of Label must be 1, but got ${show}`);
    if (label.dtype !== 'int64') opFail(op, `hard labels must be an int64 tensor, but got ${label.dtype}`);
  }
  const y = x.dims.slice();
  y[r - 1] = 1;
  return y;
}

defineOp({
  type: 'cross_entropy',
  inputs: ['X', 'Label!'],
  outputs: ['Y'],
  attrs: { soft_label: bool(false), ignore_index: int(-100) },
  infer(ins, attrs) {
    const x = one(ins, 'X', 'cross_entropy');
    return { Y: [meta(ceShapes(x, one(ins, 'Label', 'cross_entropy'), !!attrs.soft_label, 'cross_entropy'), x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const g = c.run1(
      'cross_entropy_grad',
      { X: [ctx.input('X')], Label: [ctx.input('Label')], 'Y@GRAD': [gradOf(ctx, 'Y')] },
      { soft_label: ctx.attrs.soft_label, ignore_index: ctx.attrs.ignore_index },
      'X@GRAD',
    );
    return { X: [g] };
  },
});

defineOp({
  type: 'cross_entropy_grad',
  inputs: ['X', 'Label!', 'Y@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { soft_label: bool(false), ignore_index: int(-100) },
  infer(ins, attrs) {
    const op = 'cross_entropy_grad';
    const x = one(ins, 'X', op);
    ceShapes(x, one(ins, 'Label', op), !!attrs.soft_label, op);
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  },
});

// ---- space_to_depth ---------------------------------------------------------------------------------
function s2dCheck(x: Meta, bs: number, op: string): void {
  if (x.dims.length !== 4) opFail(op, `input X must be a 4-D tensor, but got shape ${showShape(x.dims)}`);
  if (!(bs > 1)) opFail(op, `attribute blocksize must be greater than 1, but got ${bs}`);
  const [, ch, h, w] = x.dims;
  if (known(ch) && ch % (bs * bs) !== 0) opFail(op, `input channel (${ch}) must be divisible by the square of blocksize (${bs * bs})`);
  if (known(h) && h % bs !== 0) opFail(op, `input height (${h}) must be divisible by blocksize (${bs})`);
  if (known(w) && w % bs !== 0) opFail(op, `input width (${w}) must be divisible by blocksize (${bs})`);
}
defineOp({
  type: 'space_to_depth',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { blocksize: long(2) },
  infer(ins, attrs) {
    const op = 'space_to_depth';
    const x = one(ins, 'X', op);
    const bs = attrs.blocksize as number;
    s2dCheck(x, bs, op);
    const [n, ch, h, w] = x.dims;
    const div = (d: number): number => (known(d) ? d / bs : -1);
    return { Out: [meta([n, known(ch) ? ch * bs * bs : -1, div(h), div(w)], x.dtype)] };
  },
  grad: (ctx): GradResult => ({
    X: [c.run1('space_to_depth_grad', { X: [ctx.input('X')], 'Out@GRAD': [gradOf(ctx, 'Out')] }, { blocksize: ctx.attrs.blocksize }, 'X@GRAD')],
  }),
});
defineOp({
  type: 'space_to_depth_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { blocksize: long(2) },
  infer(ins) {
    const x = one(ins, 'X', 'space_to_depth_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', 'space_to_depth_grad').dtype)] };
  },
  grad: (ctx): GradResult => ({ 'Out@GRAD': [c.run1('space_to_depth', { X: [gradOf(ctx, 'X@GRAD')] }, { blocksize: ctx.attrs.blocksize })] }),
});

// ---- shuffle_channel ------------------------------------------------------------------------------------
defineOp({
  type: 'shuffle_channel',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { group: int(1) },
  infer(ins, attrs) {
    const op = 'shuffle_channel';
    const x = one(ins, 'X', op);
    if (x.dims.length !== 4) opFail(op, `input X must be a 4-D tensor, but got shape ${showShape(x.dims)}`);
    const g = attrs.group as number;
    if (!(g > 0)) opFail(op, `attribute group must be positive, but got ${g}`);
    if (known(x.dims[1]) && x.dims[1] % g !== 0) opFail(op, `the channels (${x.dims[1]}) must be divisible by group (${g})`);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  // the inverse permutation is a shuffle with C / group groups
  grad(ctx): GradResult {
    const x = ctx.input('X');
    if (!known(x.dims[1])) opFail('shuffle_channel', 'the channel count must be known to differentiate');
    return { X: [c.run1('shuffle_channel', { X: [gradOf(ctx, 'Out')] }, { group: x.dims[1] / (ctx.attrs.group as number) })] };
  },
});

// ---- affine_channel -----------------------------------------------------------------------------------------
/** The channel axis of affine_channel: 1 for NCHW, the last otherwise. */
export function affineAxis(rank: number, layout: string): number {
  return layout === 'NCHW' ? 1 : rank - 1;
}
defineOp({
  type: 'affine_channel',
  inputs: ['X', 'Scale', 'Bias'],
  outputs: ['Out'],
  attrs: { data_layout: str('AnyLayout') },
  infer(ins, attrs) {
    const op = 'affine_channel';
    const x = one(ins, 'X', op);
    requireDtypes(x, F32_64, op);
    if (x.dims.length < 2) opFail(op, `input X must have at least 2 dimensions, but got shape ${showShape(x.dims)}`);
    const C = x.dims[affineAxis(x.dims.length, attrs.data_layout)];
    for (const k of ['Scale', 'Bias']) {
      const m = one(ins, k, op);
      if (m.dims.length !== 1) opFail(op, `input ${k} must be 1-D, but got shape ${showShape(m.dims)}`);
      if (known(C) && known(m.dims[0]) && m.dims[0] !== C) opFail(op, `input ${k} must have ${C} elements (the channels of X), but got shape ${showShape(m.dims)}`);
    }
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx): GradResult {
    const x = ctx.input('X');
    const r = x.dims.length;
    const ax = affineAxis(r, ctx.attrs.data_layout);
    const g = gradOf(ctx, 'Out');
    const others = [...Array(r).keys()].filter((i) => i !== ax);
    return {
      X: [ctx.needs('X') ? c.mul(g, ctx.input('Scale'), ax) : null],
      Scale: [ctx.needs('Scale') ? c.sum(c.mul(g, x), others) : null],
      Bias: [ctx.needs('Bias') ? c.sum(g, others) : null],
    };
  },
});

// ---- pad_constant_like ------------------------------------------------------------------------------------
defineOp({
  type: 'pad_constant_like',
  inputs: ['X!', 'Y'],
  outputs: ['Out'],
  attrs: { pad_value: float(0) },
  infer(ins) {
    const op = 'pad_constant_like';
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    if (x.dims.length !== y.dims.length) opFail(op, `X and Y must have the same rank, but got X of shape ${showShape(x.dims)} and Y of shape ${showShape(y.dims)}`);
    x.dims.forEach((d, i) => {
      if (known(d) && known(y.dims[i]) && d < y.dims[i])
        opFail(op, `each dimension of X must be >= Y's, but got X of shape ${showShape(x.dims)} and Y of shape ${showShape(y.dims)}`);
    });
    return { Out: [meta(x.dims.slice(), y.dtype)] };
  },
  // dY is dOut's leading corner of Y's shape
  grad(ctx): GradResult {
    if (!ctx.needs('Y')) return {};
    const y = ctx.input('Y');
    const r = y.dims.length;
    const g = c.run1('slice', { Input: [gradOf(ctx, 'Out')] }, { axes: [...Array(r).keys()], starts: new Array(r).fill(0), ends: y.dims.slice(), infer_flags: new Array(r).fill(1), decrease_axis: [] });
    return { Y: [g] };
  },
});

// ---- crop / crop_tensor ---------------------------------------------------------------------------------------
defineOp({
  type: 'crop',
  inputs: ['X', 'Y?!', 'Offsets?!'],
  outputs: ['Out'],
  attrs: { offsets: ints([]), shape: ints([]) },
  infer(ins, attrs) {
    const op = 'crop';
    const x = one(ins, 'X', op);
    const y = ins.Y?.[0];
    let dims: number[];
    if (y) {
      if (y.dims.length !== x.dims.length) opFail(op, `Y must have X's rank ${x.dims.length}, but got shape ${showShape(y.dims)}`);
      dims = y.dims.slice();
    } else {
      const shape = attrs.shape as number[];
      if (shape.length !== x.dims.length) opFail(op, `attribute shape must have ${x.dims.length} elements (the rank of X), but got ${showShape(shape)}`);
      dims = shape.slice();
    }
    if (ins.Offsets?.[0] && (attrs.offsets as number[]).length) opFail(op, "Input 'Offsets' and attribute 'offsets' should not be used at the same time");
    if (!ins.Offsets?.[0] && (attrs.offsets as number[]).length !== x.dims.length)
      opFail(op, `attribute offsets must have ${x.dims.length} elements (the rank of X), but got ${showShape(attrs.offsets)}`);
    return { Out: [meta(dims, x.dtype)] };
  },
  grad: (ctx): GradResult => ({ X: [cropGrad(ctx, 'crop_grad')] }),
});

function cropGrad(ctx: GradContext, type: string): Tensor | null {
  if (!ctx.needs('X')) return null;
  const ins: Slots<Tensor> = { X: [ctx.input('X')], 'Out@GRAD': [gradOf(ctx, 'Out')] };
  for (const k of ['Offsets', 'OffsetsTensor']) if (ctx.has(k)) ins[k] = ctx.inputs(k);
  return c.run1(type, ins, { offsets: ctx.attrs.offsets }, 'X@GRAD');
}

defineOp({
  type: 'crop_tensor',
  inputs: ['X', 'Shape?!', 'Offsets?!', 'ShapeTensor[]?!', 'OffsetsTensor[]?!'],
  outputs: ['Out'],
  attrs: { offsets: ints([]), shape: ints([]) },
  infer(ins, attrs) {
    const op = 'crop_tensor';
    const x = one(ins, 'X', op);
    const r = x.dims.length;
    let shape: number[] | undefined;
    if (ins.ShapeTensor?.length) {
      if (ins.ShapeTensor.length !== r) opFail(op, `ShapeTensor must hold ${r} tensors (the rank of X), but got ${ins.ShapeTensor.length}`);
      shape = knownIntList(ins.ShapeTensor, op, 'ShapeTensor') ?? (attrs.shape as number[]).map((s) => (s > 0 ? s : -1));
    } else if (ins.Shape?.[0]) {
      shape = knownInts(ins.Shape[0], op, 'Shape') ?? new Array<number>(r).fill(-1);
    } else shape = attrs.shape as number[];
    if (shape.length !== r) opFail(op, `the number of elements (${shape.length}) of shape must equal the rank of X (${r})`);
    const offsets = cropOffsets(ins, attrs, r, op);
    const dims = shape.map((s, i) => {
      if (s === 0) opFail(op, `the value of shape[${i}] should not be zero`);
      if (s < -1) opFail(op, `when shape[${i}] is negative only -1 is supported, but got ${s}`);
      if (s === -1) return known(x.dims[i]) && offsets && offsets[i] >= 0 ? x.dims[i] - offsets[i] : -1;
      return s;
    });
    if (offsets)
      dims.forEach((d, i) => {
        if (known(d) && known(x.dims[i]) && offsets[i] >= 0 && offsets[i] + d > x.dims[i])
          opFail(op, `offsets[${i}] (${offsets[i]}) + shape[${i}] (${d}) must not exceed X's dimension ${i} (${x.dims[i]})`);
      });
    return { Out: [meta(dims, x.dtype)] };
  },
  grad: (ctx): GradResult => ({ X: [cropGrad(ctx, 'crop_tensor_grad')] }),
});

/** Offsets of crop/crop_tensor when known now (-1 entries: known at run time); undefined if all unknown. */
export function cropOffsets(ins: Slots<Meta>, attrs: Record<string, unknown>, r: number, op: string): number[] | undefined {
  if (ins.OffsetsTensor?.length) return knownIntList(ins.OffsetsTensor, op, 'OffsetsTensor') ?? (attrs.offsets as number[]);
  if (ins.Offsets?.[0]) return knownInts(ins.Offsets[0], op, 'Offsets');
  const o = attrs.offsets as number[];
  if (o.length === 0) return new Array<number>(r).fill(0);
  if (o.length !== r) opFail(op, `the number of elements (${o.length}) of offsets must equal the rank of X (${r})`);
  return o;
}

for (const type of ['crop_grad', 'crop_tensor_grad']) {
  defineOp({
    type,
    inputs: type === 'crop_grad' ? ['X!', 'Offsets?!', 'Out@GRAD'] : ['X!', 'Offsets?!', 'OffsetsTensor[]?!', 'Out@GRAD'],
    outputs: ['X@GRAD'],
    attrs: { offsets: ints([]) },
    infer(ins) {
      const x = one(ins, 'X', type);
      return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', type).dtype)] };
    },
    // linear in Out@GRAD: its gradient crops again
    grad(ctx): GradResult {
      const gg = gradOf(ctx, 'X@GRAD');
      const og = ctx.input('Out@GRAD');
      const ins: Slots<Tensor> = { X: [gg], Shape: [c.cast(c.run1('shape', { Input: [og] }), 'int32')] };
      for (const k of ['Offsets', 'OffsetsTensor']) if (ctx.has(k)) ins[k] = ctx.inputs(k);
      return { 'Out@GRAD': [c.run1('crop_tensor', ins, { offsets: ctx.attrs.offsets })] };
    },
  });
}

// ---- random_crop --------------------------------------------------------------------------------------------------
defineOp({
  type: 'random_crop',
  inputs: ['X!', 'Seed!'],
  outputs: ['Out', 'SeedOut'],
  attrs: { shape: ints(), startup_seed: int(0) },
  random: true,
  infer(ins, attrs) {
    const op = 'random_crop';
    const x = one(ins, 'X', op);
    const shape = attrs.shape as number[];
    const lead = x.dims.length - shape.length;
    if (lead < 0) opFail(op, `the rank of X (${x.dims.length}) must be >= the length of shape (${shape.length})`);
    shape.forEach((s, i) => {
      const d = x.dims[lead + i];
      if (!(s > 0)) opFail(op, `each value of shape must be positive, but got ${showShape(shape)}`);
      if (known(d) && s > d) opFail(op, `the cropped shape ${showShape(shape)} must fit in X's trailing dims ${showShape(x.dims.slice(lead))}`);
    });
    return { Out: [meta([...x.dims.slice(0, lead), ...shape], x.dtype)], SeedOut: [meta([1], 'int64')] };
  },
});

// ---- similarity_focus --------------------------------------------------------------------------------------------
defineOp({
  type: 'similarity_focus',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { axis: int(), indexes: ints() },
  infer(ins, attrs) {
    const op = 'similarity_focus';
    const x = one(ins, 'X', op);
    requireDtypes(x, F32_64, op);
    if (x.dims.length !== 4) opFail(op, `input X must be a 4-D tensor, but got shape ${showShape(x.dims)}`);
    const axis = attrs.axis as number;
    if (axis !== 1 && axis !== 2 && axis !== 3) opFail(op, `attribute axis must be 1, 2 or 3, but got ${axis}`);
    const idx = attrs.indexes as number[];
    if (idx.length === 0) opFail(op, 'attribute indexes can not be empty');
    for (const i of idx) if (i < 0 || (known(x.dims[axis]) && i >= x.dims[axis])) opFail(op, `each value of indexes must be in [0, ${x.dims[axis]}), but got ${i}`);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
});

// ---- hash ------------------------------------------------------------------------------------------------------------
defineOp({
  type: 'hash',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { num_hash: int(1), mod_by: long(100000) },
  infer(ins, attrs) {
    const op = 'hash';
    const x = one(ins, 'X', op);
    requireDtypes(x, ['int32', 'int64'], op);
    if (x.dims.length !== 2) opFail(op, `the input of hash must be 2-D, but got shape ${showShape(x.dims)}`);
    if (!((attrs.mod_by as number) > 0)) opFail(op, `attribute mod_by must be positive, but got ${attrs.mod_by}`);
    return { Out: [meta([x.dims[0], attrs.num_hash as number, 1], x.dtype)] };
  },
});

// ---- add_position_encoding -------------------------------------------------------------------------------------------
defineOp({
  type: 'add_position_encoding',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { alpha: float(1), beta: float(1) },
  infer(ins) {
    const op = 'add_position_encoding';
    const x = one(ins, 'X', op);
    requireDtypes(x, F32_64, op);
    const r = x.dims.length;
    if (r !== 3 && r !== 2) opFail(op, `input X must be 3-D [batch, seq_len, size] (or 2-D with LoD), but got shape ${showShape(x.dims)}`);
    const e = x.dims[r - 1];
    if (known(e) && e % 2 !== 0) opFail(op, `the feature size of X must be even, but got ${e}`);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad: (ctx): GradResult => ({ X: [c.scale(gradOf(ctx, 'Out'), ctx.attrs.alpha as number)] }),
});

// ---- cvm ----------------------------------------------------------------------------------------------------------------
defineOp({
  type: 'cvm',
  inputs: ['X', 'CVM!'],
  outputs: ['Y'],
  attrs: { use_cvm: bool(true) },
  infer(ins, attrs) {
    const op = 'cvm';
    const x = one(ins, 'X', op);
    requireDtypes(x, F32_64, op);
    if (x.dims.length !== 2) opFail(op, `input X must be 2-D, but got shape ${showShape(x.dims)}`);
    const cvm = one(ins, 'CVM', op);
    if (cvm.dims.length !== 2 || (known(cvm.dims[1]) && cvm.dims[1] !== 2)) opFail(op, `input CVM must have shape [N, 2], but got ${showShape(cvm.dims)}`);
    const w = x.dims[1];
    if (known(w) && w < 2) opFail(op, `X must have at least 2 columns (show and click), but got shape ${showShape(x.dims)}`);
    return { Y: [meta([x.dims[0], attrs.use_cvm ? w : known(w) ? w - 2 : -1], x.dtype)] };
  },
  // Paddle's cvm_grad: dX = dY in the kept columns, and the CVM values (show, click) in columns 0, 1
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    return {
      X: [c.run1('cvm_grad', { X: [ctx.input('X')], CVM: [ctx.input('CVM')], 'Y@GRAD': [gradOf(ctx, 'Y')] }, { use_cvm: ctx.attrs.use_cvm }, 'X@GRAD')],
    };
  },
});
defineOp({
  type: 'cvm_grad',
  inputs: ['X!', 'CVM!', 'Y@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { use_cvm: bool(true) },
  infer(ins) {
    const x = one(ins, 'X', 'cvm_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  },
});

// ---- fsp -----------------------------------------------------------------------------------------------------------------
defineOp({
  type: 'fsp',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'fsp';
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    requireDtypes(x, F32_64, op);
    if (y.dtype !== x.dtype) opFail(op, `X and Y must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
    if (x.dims.length !== 4 || y.dims.length !== 4) opFail(op, `X and Y must be 4-D [N, C, H, W], but got ${showShape(x.dims)} and ${showShape(y.dims)}`);
    for (const i of [0, 2, 3])
      if (known(x.dims[i]) && known(y.dims[i]) && x.dims[i] !== y.dims[i])
        opFail(op, `X and Y must have the same batch size, height and width, but got ${showShape(x.dims)} and ${showShape(y.dims)}`);
    return { Out: [meta([x.dims[0], x.dims[1], y.dims[1]], x.dtype)] };
  },
  // Out = X Yᵀ / hw on [N, C, hw] views: dX = dOut Y / hw, dY = dOutᵀ X / hw
  grad(ctx): GradResult {
    const x = ctx.input('X');
    const y = ctx.input('Y');
    const g = gradOf(ctx, 'Out');
    const [n, cx, h, w] = x.dims;
    const hw = h * w;
    const x3 = c.reshape(x, [n, cx, hw]);
    const y3 = c.reshape(y, [n, y.dims[1], hw]);
    return {
      X: [ctx.needs('X') ? c.reshape(c.scale(c.matmul(g, y3), 1 / hw), x.dims.slice()) : null],
      Y: [ctx.needs('Y') ? c.reshape(c.scale(c.matmul(g, x3, true), 1 / hw), y.dims.slice()) : null],
    };
  },
});

// ---- sampling_id ------------------------------------------------------------------------------------------------------------
defineOp({
  type: 'sampling_id',
  inputs: ['X!'],
  outputs: ['Out'],
  attrs: { min: float(0), max: float(1), seed: int(0) },
  random: true,
  infer(ins, attrs) {
    const op = 'sampling_id';
    const x = one(ins, 'X', op);
    requireDtypes(x, F32_64, op);
    if (!((attrs.min as number) < (attrs.max as number))) opFail(op, `attribute min (${attrs.min}) must be less than max (${attrs.max})`);
    if (x.dims.length !== 2) opFail(op, `input X must be 2-D [batch, width], but got shape ${showShape(x.dims)}`);
    return { Out: [meta([x.dims[0]], 'int64')] };
  },
});

// ---- selected-rows helpers (dense tensors here) -------------------------------------------------------------------------------
for (const type of ['get_tensor_from_selected_rows', 'merge_selected_rows']) {
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out'],
    infer: (ins, attrs) => sameAsX(ins, attrs, type),
    grad: (ctx): GradResult => ({ X: [gradOf(ctx, 'Out')] }),
  });
}

// ---- filter_by_instag ---------------------------------------------------------------------------------------------------------
defineOp({
  type: 'filter_by_instag',
  inputs: ['Ins', 'Ins_tag!', 'Filter_tag!'],
  outputs: ['Out', 'LossWeight', 'IndexMap'],
  attrs: { is_lod: bool(), out_val_if_empty: long(0) },
  noGradOutputs: ['LossWeight', 'IndexMap'],
  infer(ins) {
    const op = 'filter_by_instag';
    const x = one(ins, 'Ins', op);
    if (x.dims.length !== 2) opFail(op, `input Ins must be 2-D [rows, size], but got shape ${showShape(x.dims)}`);
    const tag = one(ins, 'Ins_tag', op);
    const ft = one(ins, 'Filter_tag', op);
    if (tag.dtype !== 'int64' || ft.dtype !== 'int64') opFail(op, `Ins_tag and Filter_tag must be int64 tensors, but got ${tag.dtype} and ${ft.dtype}`);
    return { Out: [meta([-1, x.dims[1]], x.dtype)], LossWeight: [meta([-1, 1], 'float32')], IndexMap: [meta([-1, 3], 'int64')] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('Ins')) return {};
    return {
      Ins: [
        c.run1(
          'filter_by_instag_grad',
          { IndexMap: [ctx.output('IndexMap')], Ins: [ctx.input('Ins')], LossWeight: [ctx.output('LossWeight')], 'Out@GRAD': [gradOf(ctx, 'Out')] },
          { ...ctx.attrs },
          'Ins@GRAD',
        ),
      ],
    };
  },
});
defineOp({
  type: 'filter_by_instag_grad',
  inputs: ['IndexMap!', 'Ins!', 'LossWeight!', 'Out@GRAD'],
  outputs: ['Ins@GRAD'],
  attrs: { is_lod: bool(), out_val_if_empty: long(0) },
  infer(ins) {
    const op = 'filter_by_instag_grad';
    const x = one(ins, 'Ins', op);
    const g = one(ins, 'Out@GRAD', op);
    return { 'Ins@GRAD': [meta([x.dims[0], g.dims[1]], g.dtype)] };
  },
});

