// Gathering and scattering operators (paddle/fluid/operators/gather_op.cc, gather_nd_op.cc,
// index_select_op.cc, index_sample_op.cc, masked_select_op.cc, scatter_op.cc,
// scatter_nd_add_op.cc, where_index_op.cc), with the grad operators Paddle has for them
// (gather_grad, gather_nd_grad, index_select_grad, index_sample_grad, masked_select_grad,
// scatter_grad): each writes or adds a gradient back into a zero tensor of the input's shape,
// and its own gradient is the forward gather again, so double gradients work.
//
// Indices are int32 or int64 and must lie in [0, size) (an index out of range is an
// OutOfRangeError from the kernel). Later-release behaviour followed here: masked_select
// broadcasts X and Mask, and gather takes any Axis.
import type { Slots } from '../core/registry.js';
import { broadcastShapes, showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import { apiName } from '../core/args.js';
import * as c from './calls.js';
import { knownInts } from './reshape.js';
import { bool, defineOp, int, meta, one, opFail } from './util.js';

function requireIndex(m: Meta, op: string, what = 'Index'): void {
  if (m.dtype !== 'int32' && m.dtype !== 'int64') opFail(op, `input ${what} must be an int32 or int64 tensor, but got ${m.dtype}`);
}

/** A gather-style 1-D index: shape [N] or [N, 1]; returns N. */
function indexLength(m: Meta, op: string, what = 'Index'): number {
  requireIndex(m, op, what);
  if (m.dims.length === 2 && m.dims[1] !== 1 && m.dims[1] !== -1)
    opFail(op, `input ${what} must be 1-D, or 2-D with a last dimension of 1, but got shape ${showShape(m.dims)}`);
  if (m.dims.length !== 1 && m.dims.length !== 2) opFail(op, `input ${what} must be 1-D, but got shape ${showShape(m.dims)}`);
  return m.dims[0];
}

/** The axis of a gather call: the Axis input if given (undefined when not known yet), else 0. */
export function gatherAxis(ins: Slots<Meta>, rank: number, op: string): number | undefined {
  const a = ins.Axis?.[0];
  if (!a) return 0;
  requireIndex(a, op, 'Axis');
  const v = knownInts(a, op, 'Axis');
  if (!v) return undefined;
  const ax = v[0];
  if (ax < -rank || ax >= rank) opFail(op, `axis ${ax} is out of range for X of rank ${rank} (expected an integer in [${-rank}, ${rank - 1}])`);
  return ax < 0 ? ax + rank : ax;
}

// ---- gather ---------------------------------------------------------------------------------
defineOp({
  type: 'gather',
  inputs: ['X', 'Index!', 'Axis?!'],
  outputs: ['Out'],
  attrs: { overwrite: bool(true) },
  infer(ins) {
    const op = 'gather';
    const x = one(ins, 'X', op);
    const n = indexLength(one(ins, 'Index', op), op);
    const axis = gatherAxis(ins, x.dims.length, op);
    if (axis === undefined) return { Out: [meta(x.dims.map(() => -1), x.dtype)] };
    const dims = x.dims.slice();
    dims[axis] = n;
    return { Out: [meta(dims, x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins: Slots<Tensor> = { X: [ctx.input('X')], Index: [ctx.input('Index')], 'Out@GRAD': [ctx.outGrad('Out')] };
    if (ctx.has('Axis')) ins.Axis = [ctx.input('Axis')];
    return { X: [c.run1('gather_grad', ins, { overwrite: ctx.attrs.overwrite }, 'X@GRAD')] };
  },
});

// gather_grad: X@GRAD = zeros(X) with Out@GRAD's slices written (overwrite) or added at Index.
defineOp({
  type: 'gather_grad',
  inputs: ['X!', 'Index!', 'Axis?!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { overwrite: bool(true) },
  infer(ins) {
    const op = 'gather_grad';
    const x = one(ins, 'X', op);
    indexLength(one(ins, 'Index', op), op);
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', op).dtype)] };
  },
  grad(ctx) {
    const ins: Slots<Tensor> = { X: [ctx.outGrad('X@GRAD')], Index: [ctx.input('Index')] };
    if (ctx.has('Axis')) ins.Axis = [ctx.input('Axis')];
    return { 'Out@GRAD': [c.run1('gather', ins, { overwrite: ctx.attrs.overwrite })] };
  },
});

// ---- gather_nd ------------------------------------------------------------------------------
/** gather_nd's output shape: Index.shape[:-1] + X.shape[Index.shape[-1]:] ([1] if empty). */
export function gatherNdDims(x: Meta, index: Meta, op: string): number[] {
  requireIndex(index, op);
  if (index.dims.length < 1) opFail(op, `input Index must have rank >= 1, but got shape ${showShape(index.dims)}`);
  const k = index.dims[index.dims.length - 1];
  if (k > x.dims.length)
    opFail(op, `the last dimension of Index (${k}) must not exceed the rank of X (${x.dims.length}); Index shape ${showShape(index.dims)}, X shape ${showShape(x.dims)}`);
  if (k < 0) return [...index.dims.slice(0, -1), -1];
  const dims = [...index.dims.slice(0, -1), ...x.dims.slice(k)];
  return dims.length ? dims : [1];
}

defineOp({
  type: 'gather_nd',
  inputs: ['X', 'Index!'],
  outputs: ['Out'],
  infer(ins) {
    const x = one(ins, 'X', 'gather_nd');
    return { Out: [meta(gatherNdDims(x, one(ins, 'Index', 'gather_nd'), 'gather_nd'), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], Index: [ctx.input('Index')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('gather_nd_grad', ins, {}, 'X@GRAD')] };
  },
});

// gather_nd_grad: X@GRAD = zeros(X) with Out@GRAD's slices added at the Index coordinates.
defineOp({
  type: 'gather_nd_grad',
  inputs: ['X!', 'Index!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  infer(ins) {
    const op = 'gather_nd_grad';
    const x = one(ins, 'X', op);
    gatherNdDims(x, one(ins, 'Index', op), op);
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', op).dtype)] };
  },
  grad(ctx) {
    const g = c.run1('gather_nd', { X: [ctx.outGrad('X@GRAD')], Index: [ctx.input('Index')] });
    return { 'Out@GRAD': [c.reshape(g, ctx.input('Out@GRAD').dims.slice())] };
  },
});

// ---- index_select ---------------------------------------------------------------------------
function selectDim(x: Meta, dim: number, op: string): number {
  const r = x.dims.length;
  if (!Number.isInteger(dim) || dim < -r || dim >= r)
    opFail(op, `attribute dim = ${dim} is out of range for X of rank ${r} (expected an integer in [${-r}, ${r - 1}])`);
  return dim < 0 ? dim + r : dim;
}

defineOp({
  type: 'index_select',
  inputs: ['X', 'Index!'],
  outputs: ['Out'],
  attrs: { dim: int(0) },
  infer(ins, attrs) {
    const op = 'index_select';
    const x = one(ins, 'X', op);
    const n = indexLength(one(ins, 'Index', op), op);
    const dims = x.dims.slice();
    dims[selectDim(x, attrs.dim, op)] = n;
    return { Out: [meta(dims, x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], Index: [ctx.input('Index')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('index_select_grad', ins, { dim: ctx.attrs.dim }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'index_select_grad',
  inputs: ['X!', 'Index!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: { dim: int(0) },
  infer(ins, attrs) {
    const op = 'index_select_grad';
    const x = one(ins, 'X', op);
    selectDim(x, attrs.dim, op);
    indexLength(one(ins, 'Index', op), op);
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', op).dtype)] };
  },
  grad(ctx) {
    return { 'Out@GRAD': [c.run1('index_select', { X: [ctx.outGrad('X@GRAD')], Index: [ctx.input('Index')] }, { dim: ctx.attrs.dim })] };
  },
});

// ---- index_sample ---------------------------------------------------------------------------
function sampleCheck(x: Meta, index: Meta, op: string): void {
  requireIndex(index, op);
  if (x.dims.length !== 2) opFail(op, `input X must be 2-D, but got shape ${showShape(x.dims)}`);
  if (index.dims.length !== 2) opFail(op, `input Index must be 2-D, but got shape ${showShape(index.dims)}`);
  if (x.dims[0] >= 0 && index.dims[0] >= 0 && x.dims[0] !== index.dims[0])
    opFail(op, `X and Index must have the same first dimension, but got X shape ${showShape(x.dims)} and Index shape ${showShape(index.dims)}`);
}

defineOp({
  type: 'index_sample',
  inputs: ['X', 'Index!'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'index_sample';
    const x = one(ins, 'X', op);
    const index = one(ins, 'Index', op);
    sampleCheck(x, index, op);
    return { Out: [meta(index.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], Index: [ctx.input('Index')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('index_sample_grad', ins, {}, 'X@GRAD')] };
  },
});

defineOp({
  type: 'index_sample_grad',
  inputs: ['X!', 'Index!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  infer(ins) {
    const op = 'index_sample_grad';
    const x = one(ins, 'X', op);
    sampleCheck(x, one(ins, 'Index', op), op);
    return { 'X@GRAD': [meta(x.dims.slice(), one(ins, 'Out@GRAD', op).dtype)] };
  },
  grad(ctx) {
    return { 'Out@GRAD': [c.run1('index_sample', { X: [ctx.outGrad('X@GRAD')], Index: [ctx.input('Index')] })] };
  },
});

// ---- masked_select --------------------------------------------------------------------------
function maskShape(x: Meta, mask: Meta, op: string): number[] {
  if (mask.dtype !== 'bool') opFail(op, `input Mask must be a bool tensor, but got ${mask.dtype}`);
  return broadcastShapes(x.dims, mask.dims, apiName(op));
}

defineOp({
  type: 'masked_select',
  inputs: ['X', 'Mask!'],
  outputs: ['Y'],
  infer(ins) {
    const op = 'masked_select';
    const x = one(ins, 'X', op);
    maskShape(x, one(ins, 'Mask', op), op);
    return { Y: [meta([-1], x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    const x = ctx.input('X');
    const ins = { X: [x], Mask: [ctx.input('Mask')], 'Y@GRAD': [ctx.outGrad('Y')] };
    const g = c.run1('masked_select_grad', ins, {}, 'X@GRAD');
    return { X: [c.sumTo(g, x.dims, x.dims.slice())] };
  },
});

// masked_select_grad: Y@GRAD placed at the True positions of a zero tensor of the broadcast
// shape of X and Mask (the masked_select rule sums it back to X's shape).
defineOp({
  type: 'masked_select_grad',
  inputs: ['X!', 'Mask!', 'Y@GRAD'],
  outputs: ['X@GRAD'],
  infer(ins) {
    const op = 'masked_select_grad';
    const x = one(ins, 'X', op);
    const dims = maskShape(x, one(ins, 'Mask', op), op);
    return { 'X@GRAD': [meta(dims, one(ins, 'Y@GRAD', op).dtype)] };
  },
  grad(ctx) {
    return { 'Y@GRAD': [c.run1('masked_select', { X: [ctx.outGrad('X@GRAD')], Mask: [ctx.input('Mask')] }, {}, 'Y')] };
  },
});

// ---- scatter --------------------------------------------------------------------------------
function scatterCheck(x: Meta, ids: Meta, updates: Meta, op: string): void {
  const n = indexLength(ids, op, 'Ids');
  if (updates.dtype !== x.dtype) opFail(op, `Updates has dtype ${updates.dtype} but X has dtype ${x.dtype}; they must match`);
  const bad = (): never =>
    opFail(op, `Updates must have shape [len(Ids)] + X.shape[1:] = [${n}, ${x.dims.slice(1).join(', ')}], but got ${showShape(updates.dims)} (X shape ${showShape(x.dims)}, Ids shape ${showShape(ids.dims)})`);
  if (updates.dims.length !== x.dims.length) bad();
  if (n >= 0 && updates.dims[0] >= 0 && updates.dims[0] !== n) bad();
  for (let i = 1; i < x.dims.length; i++) if (x.dims[i] >= 0 && updates.dims[i] >= 0 && x.dims[i] !== updates.dims[i]) bad();
}

defineOp({
  type: 'scatter',
  inputs: ['X', 'Ids!', 'Updates'],
  outputs: ['Out'],
  attrs: { overwrite: bool(true) },
  infer(ins) {
    const op = 'scatter';
    const x = one(ins, 'X', op);
    scatterCheck(x, one(ins, 'Ids', op), one(ins, 'Updates', op), op);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    const ins = { Ids: [ctx.input('Ids')], Updates: [ctx.input('Updates')], 'Out@GRAD': [ctx.outGrad('Out')] };
    const r = c.dispatch('scatter_grad', ins, { overwrite: ctx.attrs.overwrite });
    return { X: [ctx.needs('X') ? r['X@GRAD'][0] : null], Updates: [ctx.needs('Updates') ? r['Updates@GRAD'][0] : null] };
  },
});

// scatter_grad: X@GRAD = Out@GRAD with the rows at Ids zeroed; Updates@GRAD = rows Ids of Out@GRAD.
defineOp({
  type: 'scatter_grad',
  inputs: ['Ids!', 'Updates!', 'Out@GRAD'],
  outputs: ['X@GRAD', 'Updates@GRAD'],
  attrs: { overwrite: bool(true) },
  infer(ins) {
    const op = 'scatter_grad';
    const g = one(ins, 'Out@GRAD', op);
    const u = one(ins, 'Updates', op);
    indexLength(one(ins, 'Ids', op), op, 'Ids');
    return { 'X@GRAD': [meta(g.dims.slice(), g.dtype)], 'Updates@GRAD': [meta(u.dims.slice(), g.dtype)] };
  },
  grad(ctx) {
    const ids = ctx.input('Ids');
    const dout = ctx.input('Out@GRAD');
    // adjoint of zeroing rows: zero the same rows; adjoint of gathering rows: add them back
    const a = c.dispatch('scatter_grad', { Ids: [ids], Updates: [ctx.input('Updates')], 'Out@GRAD': [ctx.outGrad('X@GRAD')] }, { overwrite: ctx.attrs.overwrite })['X@GRAD'][0];
    const b = c.run1('gather_grad', { X: [dout], Index: [ids], 'Out@GRAD': [ctx.outGrad('Updates@GRAD')] }, { overwrite: false }, 'X@GRAD');
    return { 'Out@GRAD': [c.add(a, b)] };
  },
});

// ---- scatter_nd_add -------------------------------------------------------------------------
/** The shape Updates must have for scatter_nd_add: Index.shape[:-1] + X.shape[Index.shape[-1]:]. */
function scatterNdCheck(x: Meta, index: Meta, updates: Meta, op: string): void {
  requireIndex(index, op);
  if (updates.dtype !== x.dtype) opFail(op, `Updates has dtype ${updates.dtype} but X has dtype ${x.dtype}; they must match`);
  if (index.dims.length < 1) opFail(op, `input Index must have rank >= 1, but got shape ${showShape(index.dims)}`);
  const k = index.dims[index.dims.length - 1];
  if (k > x.dims.length)
    opFail(op, `the last dimension of Index (${k}) must not exceed the rank of X (${x.dims.length}); Index shape ${showShape(index.dims)}, X shape ${showShape(x.dims)}`);
  if (k < 0) return;
  const want = [...index.dims.slice(0, -1), ...x.dims.slice(k)];
  const ok = updates.dims.length === want.length && want.every((d, i) => d < 0 || updates.dims[i] < 0 || d === updates.dims[i]);
  const okScalar = want.length === 0 && updates.dims.length === 1 && updates.dims[0] === 1;
  if (!ok && !okScalar)
    opFail(op, `Updates must have shape Index.shape[:-1] + X.shape[Index.shape[-1]:] = ${showShape(want)}, but got ${showShape(updates.dims)} (X shape ${showShape(x.dims)}, Index shape ${showShape(index.dims)})`);
}

defineOp({
  type: 'scatter_nd_add',
  inputs: ['X', 'Index!', 'Updates'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'scatter_nd_add';
    const x = one(ins, 'X', op);
    scatterNdCheck(x, one(ins, 'Index', op), one(ins, 'Updates', op), op);
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx) {
    const d = ctx.outGrad('Out');
    const u = ctx.input('Updates');
    return {
      X: [ctx.needs('X') ? d : null],
      Updates: [ctx.needs('Updates') ? c.reshape(c.run1('gather_nd', { X: [d], Index: [ctx.input('Index')] }), u.dims.slice()) : null],
    };
  },
});

// ---- where_index ----------------------------------------------------------------------------
defineOp({
  type: 'where_index',
  inputs: ['Condition!'],
  outputs: ['Out'],
  infer(ins) {
    const cond = one(ins, 'Condition', 'where_index');
    if (cond.dims.length < 1) opFail('where_index', 'input Condition must have rank >= 1');
    return { Out: [meta([-1, cond.dims.length], 'int64')] };
  },
});
