// Embedding lookups (paddle/fluid/operators/lookup_table_v2_op.cc, lookup_table_op.cc):
// lookup_table_v2 (W [num, dim], Ids int32/int64 of any shape -> Out = Ids.shape + [dim]) and
// the 1.x lookup_table (Ids int64 with a trailing dim of 1, which the embedding dim replaces),
// kept for saved models. Rows whose id equals padding_idx (-1: none) are zeros. An id
// outside [0, num) is an error.
//
// Their gradients are lookup_table_v2_grad / lookup_table_grad (W, Ids, Out@GRAD -> W@GRAD):
// Out@GRAD rows added into zeros of W's shape at their ids, padding_idx rows left zero. The
// grad ops are linear in Out@GRAD with the lookup as adjoint, so their own gradient is the
// forward lookup again (double grad).
//
// With is_sparse, a dygraph backward gives W a SelectedRows gradient instead (Paddle's sparse
// lookup_table_v2_grad kernel): rows = the ids, value = Out@GRAD as [ids, dim], padding ids
// included as in Paddle. Static programs and create_graph backwards keep the dense gradient
// (the same numbers once scattered).
import { toNumbers } from '../core/dtype.js';
import type { AttrSpec, GradContext } from '../core/registry.js';
import { SelectedRows } from '../core/selected_rows.js';
import { state } from '../core/state.js';
import { showShape } from '../core/shape.js';
import type { Meta } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, int, long, meta, one, opFail, str } from './util.js';

const strs = (d: string[] = []): AttrSpec => ({ type: 'strings', default: d });
const longs = (d: number[] = []): AttrSpec => ({ type: 'longs', default: d });

const FLOATS = ['float16', 'float32', 'float64'];

function checkTable(op: string, w: Meta, allowInt8: boolean): void {
  if (!FLOATS.includes(w.dtype) && !(allowInt8 && w.dtype === 'int8'))
    opFail(op, `input W (the lookup table) must be a float16, float32 or float64 tensor${allowInt8 ? ' (or int8)' : ''}, but got ${w.dtype}`);
  if (w.dims.length !== 2)
    opFail(op, `the lookup table W must be 2-D ([num_embeddings, embedding_dim]), but got shape ${showShape(w.dims)}`);
}

/** Output dims of lookup_table_v2 (v1: ids with the trailing 1 dropped). */
function lookupDims(op: string, w: Meta, ids: Meta, v1: boolean): number[] {
  if (v1) {
    if (ids.dtype !== 'int64') opFail(op, `input Ids must be an int64 tensor, but got ${ids.dtype}`);
    const r = ids.dims.length;
    if (r < 1 || (ids.dims[r - 1] !== 1 && ids.dims[r - 1] !== -1))
      opFail(op, `the last dimension of the 'Ids' tensor must be 1, but got Ids of shape ${showShape(ids.dims)}`);
    return [...ids.dims.slice(0, r - 1), w.dims[1]];
  }
  if (ids.dtype !== 'int32' && ids.dtype !== 'int64') opFail(op, `input Ids must be an int32 or int64 tensor, but got ${ids.dtype}`);
  return [...ids.dims, w.dims[1]];
}

function defineLookup(type: string, v1: boolean, extraAttrs: Record<string, AttrSpec>): void {
  const attrs: Record<string, AttrSpec> = {
    is_sparse: bool(false),
    is_distributed: bool(false),
    padding_idx: long(-1),
    remote_prefetch: bool(false),
    ...extraAttrs,
  };
  const gradType = `${type}_grad`;
  defineOp({
    type,
    inputs: ['W', 'Ids!'],
    outputs: ['Out'],
    attrs,
    infer(ins) {
      const w = one(ins, 'W', type);
      checkTable(type, w, v1);
      return { Out: [meta(lookupDims(type, w, one(ins, 'Ids', type), v1), w.dtype)] };
    },
    grad(ctx: GradContext) {
      if (!ctx.needs('W')) return {};
      if (ctx.attrs.is_sparse && !state.staticMode && !state.gradEnabled) return { W: [sparseGrad(ctx)] };
      const ins = { W: [ctx.input('W')], Ids: [ctx.input('Ids')], 'Out@GRAD': [ctx.outGrad('Out')] };
      return { W: [c.run1(gradType, ins, { ...ctx.attrs }, 'W@GRAD')] };
    },
  });
  defineOp({
    type: gradType,
    inputs: ['W!', 'Ids!', 'Out@GRAD'],
    outputs: ['W@GRAD'],
    attrs,
    infer(ins) {
      const w = one(ins, 'W', gradType);
      checkTable(gradType, w, false);
      const dims = lookupDims(gradType, w, one(ins, 'Ids', gradType), v1);
      const g = one(ins, 'Out@GRAD', gradType);
      if (g.dims.length !== dims.length || g.dims.some((d, i) => d >= 0 && dims[i] >= 0 && d !== dims[i]))
        opFail(gradType, `Out@GRAD must have the lookup's output shape ${showShape(dims)}, but got ${showShape(g.dims)}`);
      return { 'W@GRAD': [meta(w.dims.slice(), g.dtype)] };
    },
    grad(ctx: GradContext) {
      const ins = { W: [ctx.outGrad('W@GRAD')], Ids: [ctx.input('Ids')] };
      return { 'Out@GRAD': [c.run1(type, ins, { ...ctx.attrs })] };
    },
  });
}

/** W's SelectedRows gradient: the ids as rows, Out@GRAD's rows as the value. */
function sparseGrad(ctx: GradContext): SelectedRows {
  const w = ctx.input('W');
  const ids = ctx.input('Ids');
  const g = ctx.outGrad('Out');
  const rows = Array.from(toNumbers(ids.data, ids.dtype));
  const dim = w.dims[1];
  return new SelectedRows(g.data.slice(), [rows.length, dim], g.dtype, rows, w.dims[0]);
}

defineLookup('lookup_table_v2', false, {
  trainer_id: int(0),
  height_sections: longs([]),
  epmap: strs([]),
  table_names: strs([]),
});

defineLookup('lookup_table', true, {
  entry_config: str(''),
  is_test: bool(false),
  entry: str('none'),
  table_names: strs([]),
  trainer_id: int(0),
  grad_inplace: bool(false),
  epmap: strs([]),
  height_sections: longs([]),
});
