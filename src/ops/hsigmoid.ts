// Hierarchical sigmoid (paddle/fluid/operators/hierarchical_sigmoid_op.cc at 2.0):
//
//   hierarchical_sigmoid       X [N, D], W [K, D], Label! (int64, [N, 1] or [N]),
//                              PathTable?! / PathCode?! (int64 [N, L]), Bias? (K elements)
//                              -> Out [N, 1], PreOut [N, L], W_Out (W itself)
//                              attrs num_classes (2), remote_prefetch, trainer_id,
//                              height_sections, epmap, table_names, is_sparse
//   hierarchical_sigmoid_grad  X, W, Label!, PathTable?!, PathCode?!, Bias?, PreOut!, Out@GRAD
//                              -> X@GRAD, W@GRAD, Bias@GRAD
//
// Each sample walks a path of binary classifiers. Default tree (no PathTable): class c is
// coded as c + num_classes; step j uses node (code >> (j+1)) - 1 and target bit j of the code,
// for FindLastSet(code) - 1 steps; L = FindLastSet(num_classes - 1). Custom tree: row i of
// PathTable lists the nodes (ended by a negative entry) and PathCode the targets.
// With z_j = clip(W[node] . x + b[node], -40, 40), Out = sum_j softplus(z_j) - sum_j bit_j z_j,
// and PreOut = softplus(z) (0 -> log 2 where a path is shorter than L). As in Paddle, Out also
// counts those log 2 terms of the shorter paths (a constant that does not change the
// gradient), and the gradient (sigmoid(z_j) - bit_j) ignores the clipping.
// With is_sparse (a custom tree), a dygraph backward gives W a SelectedRows gradient as Paddle:
// rows = the nodes of PathTable (sorted, unique), value = those rows of the dense gradient.
// Static programs keep the dense W@GRAD.
import { toNumbers } from '../core/dtype.js';
import { SelectedRows } from '../core/selected_rows.js';
import { showShape } from '../core/shape.js';
import { state } from '../core/state.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, int, meta, one, opFail } from './util.js';

/** The rows of a dense W gradient that the paths use (Paddle's PathToRows), as a SelectedRows. */
function rowsOfPaths(dense: Tensor, table: Tensor): SelectedRows {
  const ids = new Set<number>();
  for (const v of toNumbers(table.data, table.dtype)) if (v >= 0) ids.add(v);
  const rows = [...ids].sort((a, b) => a - b);
  const D = dense.dims[1];
  const value = dense.data.constructor as new (n: number) => typeof dense.data;
  const out = new value(rows.length * D);
  rows.forEach((r, i) => out.set(dense.data.subarray(r * D, r * D + D) as never, i * D));
  return new SelectedRows(out, [rows.length, D], dense.dtype, rows, dense.dims[0]);
}

/** 1 + floor(log2(x)) for x > 0, 0 for 0 (Paddle's FindLastSet). */
export function findLastSet(x: number): number {
  return x > 0 ? Math.floor(Math.log2(x)) + 1 : 0;
}

const hsAttrs = {
  num_classes: int(2),
  remote_prefetch: bool(false),
  trainer_id: int(0),
  height_sections: { type: 'longs', default: [] },
  epmap: { type: 'strings', default: [] },
  table_names: { type: 'strings', default: [] },
  is_sparse: bool(false),
} as const;

function checkInputs(ins: Record<string, Meta[]>, attrs: Record<string, unknown>, op: string): { x: Meta; codeLength: number } {
  const x = one(ins, 'X', op);
  const w = one(ins, 'W', op);
  const label = one(ins, 'Label', op);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') opFail(op, `input X must be float32 or float64, but got ${x.dtype}`);
  if (x.dims.length !== 2) opFail(op, `input X must be 2-D [N, D], but got shape ${showShape(x.dims)}`);
  if (w.dtype !== x.dtype) opFail(op, `input W must have X's dtype ${x.dtype}, but got ${w.dtype}`);
  if (w.dims.length !== 2 || (w.dims[1] >= 0 && x.dims[1] >= 0 && w.dims[1] !== x.dims[1]))
    opFail(op, `input W must be 2-D [num_nodes, ${x.dims[1]}] (its second dim is X's feature size), but got shape ${showShape(w.dims)}`);
  if (label.dtype !== 'int64') opFail(op, `input Label must be int64, but got ${label.dtype}`);
  const nLabel = label.dims.reduce((a, b) => (a < 0 || b < 0 ? -1 : a * b), 1);
  if (label.dims.length > 2 || (label.dims.length === 2 && label.dims[1] !== 1) || (nLabel >= 0 && x.dims[0] >= 0 && nLabel !== x.dims[0]))
    opFail(op, `input Label must have shape [N, 1] with N = ${x.dims[0]}, but got ${showShape(label.dims)}`);
  const b = ins.Bias?.[0];
  if (b) {
    if (b.dtype !== x.dtype) opFail(op, `input Bias must have X's dtype ${x.dtype}, but got ${b.dtype}`);
    const nb = b.dims.reduce((p, q) => (p < 0 || q < 0 ? -1 : p * q), 1);
    if (nb >= 0 && w.dims[0] >= 0 && nb !== w.dims[0]) opFail(op, `input Bias must have one value per row of W (${w.dims[0]}), but got shape ${showShape(b.dims)}`);
  }
  const table = ins.PathTable?.[0];
  const code = ins.PathCode?.[0];
  if (!!table !== !!code) opFail(op, 'inputs PathTable and PathCode must be given together (custom tree) or not at all (default tree)');
  let codeLength: number;
  if (table && code) {
    for (const [m, nm] of [[table, 'PathTable'], [code, 'PathCode']] as const) {
      if (m.dtype !== 'int64') opFail(op, `input ${nm} must be int64, but got ${m.dtype}`);
      if (m.dims.length !== 2 || (m.dims[0] >= 0 && x.dims[0] >= 0 && m.dims[0] !== x.dims[0]))
        opFail(op, `input ${nm} must be 2-D [N, path_length] with N = ${x.dims[0]}, but got shape ${showShape(m.dims)}`);
    }
    if (table.dims[1] !== code.dims[1]) opFail(op, `inputs PathTable ${showShape(table.dims)} and PathCode ${showShape(code.dims)} must have the same shape`);
    codeLength = table.dims[1];
  } else {
    const nc = Number(attrs.num_classes);
    if (!(nc >= 2)) opFail(op, `attribute num_classes must be at least 2 with the default tree, but got ${nc}`);
    if (w.dims[0] >= 0 && w.dims[0] < nc - 1) opFail(op, `input W must have num_classes - 1 = ${nc - 1} rows with the default tree, but got shape ${showShape(w.dims)}`);
    codeLength = findLastSet(nc - 1);
  }
  return { x, codeLength };
}

defineOp({
  type: 'hierarchical_sigmoid',
  inputs: ['X', 'W', 'Label!', 'PathTable?!', 'PathCode?!', 'Bias?'],
  outputs: ['Out', 'PreOut', 'W_Out'],
  attrs: hsAttrs,
  noGradOutputs: ['PreOut', 'W_Out'],
  infer(ins, attrs) {
    const { x, codeLength } = checkInputs(ins, attrs, 'hierarchical_sigmoid');
    const w = ins.W[0];
    return {
      Out: [meta([x.dims[0], 1], x.dtype)],
      PreOut: [meta([x.dims[0], codeLength], x.dtype)],
      W_Out: [meta(w.dims.slice(), w.dtype)],
    };
  },
  grad(ctx) {
    const ins: Record<string, ReturnType<typeof ctx.input>[]> = {
      X: [ctx.input('X')],
      W: [ctx.input('W')],
      Label: [ctx.input('Label')],
      PreOut: [ctx.output('PreOut')],
      'Out@GRAD': [ctx.outGrad('Out')],
    };
    for (const s of ['PathTable', 'PathCode', 'Bias']) if (ctx.has(s)) ins[s] = [ctx.input(s)];
    const r = c.dispatch('hierarchical_sigmoid_grad', ins, { ...ctx.attrs });
    const sparse = ctx.attrs.is_sparse && ctx.has('PathTable') && !state.staticMode && !state.gradEnabled;
    const w = sparse ? [rowsOfPaths(r['W@GRAD'][0], ctx.input('PathTable'))] : r['W@GRAD'];
    return { X: r['X@GRAD'], W: w, Bias: ctx.has('Bias') ? r['Bias@GRAD'] : undefined };
  },
});

defineOp({
  type: 'hierarchical_sigmoid_grad',
  inputs: ['X', 'W', 'Label!', 'PathTable?!', 'PathCode?!', 'Bias?', 'PreOut!', 'Out@GRAD'],
  outputs: ['X@GRAD', 'W@GRAD', 'Bias@GRAD?'],
  attrs: hsAttrs,
  infer(ins, attrs) {
    const { x } = checkInputs(ins, attrs, 'hierarchical_sigmoid_grad');
    one(ins, 'PreOut', 'hierarchical_sigmoid_grad');
    one(ins, 'Out@GRAD', 'hierarchical_sigmoid_grad');
    const w = ins.W[0];
    const res: Record<string, Meta[]> = { 'X@GRAD': [meta(x.dims.slice(), x.dtype)], 'W@GRAD': [meta(w.dims.slice(), w.dtype)] };
    const b = ins.Bias?.[0];
    if (b) res['Bias@GRAD'] = [meta(b.dims.slice(), b.dtype)];
    return res;
  },
});
