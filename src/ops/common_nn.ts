// Common neural-network operators of Paddle 2.0's nn.functional (paddle/fluid/operators/):
// one_hot_v2 and the 1.x one_hot, label_smooth, pixel_shuffle, unfold, grid_sampler,
// affine_grid, temporal_shift, diag_embed and bilinear_tensor_product.
//
// Gradients: label_smooth's and bilinear_tensor_product's are written with other operators.
// pixel_shuffle, unfold, affine_grid and temporal_shift get Paddle's *_grad operators (their
// own kernels); each is linear in the incoming gradient with the forward operator as adjoint,
// so its gradient is the forward operator again (double grad). grid_sampler_grad has the
// closed-form gradient of Paddle's kernel and no gradient of its own. one_hot and diag_embed
// have none (as in Paddle).
import type { Attrs, AttrSpec, GradContext, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { knownInts } from './reshape.js';
import { bool, defineOp, dtypeAttr, float, int, ints, meta, one, opFail, str } from './util.js';

const known = (d: number): boolean => d >= 0;
const FLOATS = ['float32', 'float64'];

function requireFloats(op: string, m: Meta, what: string, allowed: readonly string[] = FLOATS): void {
  if (!allowed.includes(m.dtype)) opFail(op, `input ${what} must be a ${allowed.join(' or ')} tensor, but got ${m.dtype}`);
}

/**
 * Defines `type` (X -> Out) and `type_grad` (Out@GRAD -> X@GRAD) for an operator linear in X
 * whose *_grad kernel is its adjoint, so each one's gradient runs the other. `outDims` checks
 * the input (slot `what` of operator `op`) and gives the output's dims (`grad`: for type_grad).
 */
function defineAdjointPair(
  type: string, attrSpecs: Record<string, AttrSpec>,
  outDims: (op: string, m: Meta, what: string, attrs: Attrs, grad: boolean) => number[],
): void {
  const gradType = `${type}_grad`;
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out'],
    attrs: attrSpecs,
    infer(ins, attrs) {
      const x = one(ins, 'X', type);
      return { Out: [meta(outDims(type, x, 'X', attrs, false), x.dtype)] };
    },
    grad: (ctx) => ({ X: [c.run1(gradType, { 'Out@GRAD': [ctx.outGrad('Out')] }, { ...ctx.attrs }, 'X@GRAD')] }),
  });
  defineOp({
    type: gradType,
    inputs: ['Out@GRAD'],
    outputs: ['X@GRAD'],
    attrs: attrSpecs,
    infer(ins, attrs) {
      const g = one(ins, 'Out@GRAD', gradType);
      return { 'X@GRAD': [meta(outDims(gradType, g, 'Out@GRAD', attrs, true), g.dtype)] };
    },
    grad: (ctx) => ({ 'Out@GRAD': [c.run1(type, { X: [ctx.outGrad('X@GRAD')] }, { ...ctx.attrs })] }),
  });
}

// ---- one_hot_v2 / one_hot -----------------------------------------------------------------
function oneHotDepth(op: string, ins: Slots<Meta>, attrs: Attrs): number {
  const dt = ins.depth_tensor?.[0];
  if (dt) {
    if (dt.dtype !== 'int32' && dt.dtype !== 'int64') opFail(op, `input depth_tensor must be an int32 tensor, but got ${dt.dtype}`);
    const v = knownInts(dt, op, 'depth_tensor');
    if (!v) return -1;
    if (!(v[0] >= 1)) opFail(op, `the depth (depth_tensor) must be a positive integer, but got ${v[0]}`);
    return v[0];
  }
  const d = attrs.depth as number;
  if (!Number.isInteger(d) || d < 1) opFail(op, `attribute depth (num_classes) must be a positive integer, but got ${String(d)}`);
  return d;
}

for (const [type, v1] of [['one_hot_v2', false], ['one_hot', true]] as const) {
  defineOp({
    type,
    inputs: ['X!', 'depth_tensor?!'],
    outputs: ['Out'],
    attrs: { depth: int(-1), dtype: int(5), allow_out_of_range: bool(false) },
    infer(ins, attrs) {
      const x = one(ins, 'X', type);
      if (x.dtype !== 'int32' && x.dtype !== 'int64') opFail(type, `input X must be an int32 or int64 tensor, but got ${x.dtype}`);
      const depth = oneHotDepth(type, ins, attrs);
      const d = dtypeAttr(attrs.dtype, type) ?? 'float32';
      const r = x.dims.length;
      if (v1) {
        if (r < 2) opFail(type, `input X must have rank at least 2 (ids with a trailing dim of 1), but got shape ${showShape(x.dims)}`);
        if (known(x.dims[r - 1]) && x.dims[r - 1] !== 1)
          opFail(type, `the last dimension of X must be 1, but got X of shape ${showShape(x.dims)}`);
        return { Out: [meta([...x.dims.slice(0, r - 1), depth], d)] };
      }
      if (r < 1) opFail(type, 'input X must have rank at least 1');
      return { Out: [meta([...x.dims, depth], d)] };
    },
  });
}

// ---- label_smooth -----------------------------------------------------------------------
defineOp({
  type: 'label_smooth',
  inputs: ['X', 'PriorDist?!'],
  outputs: ['Out'],
  attrs: { epsilon: float(0) },
  infer(ins) {
    const op = 'label_smooth';
    const x = one(ins, 'X', op);
    requireFloats(op, x, 'X', ['float16', 'float32', 'float64']);
    if (x.dims.length < 1) opFail(op, 'input X must have rank at least 1');
    const pd = ins.PriorDist?.[0];
    if (pd) {
      if (pd.dtype !== x.dtype) opFail(op, `input PriorDist must have X's dtype ${x.dtype}, but got ${pd.dtype}`);
      const k = x.dims[x.dims.length - 1];
      const n = pd.dims.reduce((a, b) => a * b, 1);
      if (known(k) && pd.dims.every(known) && n !== k)
        opFail(op, `the number of elements in PriorDist must equal the dimension of each label (${k}), but PriorDist has shape ${showShape(pd.dims)}`);
    }
    return { Out: [meta(x.dims.slice(), x.dtype)] };
  },
  grad: (ctx) => ({ X: [c.scale(ctx.outGrad('Out'), 1 - Number(ctx.attrs.epsilon))] }),
});

// ---- pixel_shuffle ----------------------------------------------------------------------
/** [channel dim, height dim, width dim] of a 4-D NCHW / NHWC tensor. */
function layoutDims(op: string, fmt: unknown): [number, number, number] {
  if (fmt === 'NCHW' || fmt === 'AnyLayout') return [1, 2, 3];
  if (fmt === 'NHWC') return [3, 1, 2];
  return opFail(op, `attribute data_format must be 'NCHW' or 'NHWC', but got '${String(fmt)}'`);
}

/** pixel_shuffle's output dims from X's (inverse: X's dims from Out's). */
export function pixelShuffleDims(op: string, dims: readonly number[], attrs: Attrs, inverse: boolean): number[] {
  if (dims.length !== 4) opFail(op, `the input must be a 4-D tensor of format [N, C, H, W] or [N, H, W, C], but got shape ${showShape(dims)}`);
  const r = attrs.upscale_factor as number;
  if (!Number.isInteger(r) || r < 1) opFail(op, `attribute upscale_factor must be a positive integer, but got ${String(r)}`);
  const [cd, hd, wd] = layoutDims(op, attrs.data_format);
  const out = dims.slice();
  const C = dims[cd];
  if (!inverse) {
    if (known(C) && C % (r * r) !== 0)
      opFail(op, `the square of upscale_factor (${r * r}) must divide the number of channels (${C}) of the input of shape ${showShape(dims)}`);
    out[cd] = known(C) ? C / (r * r) : -1;
    out[hd] = known(dims[hd]) ? dims[hd] * r : -1;
    out[wd] = known(dims[wd]) ? dims[wd] * r : -1;
  } else {
    out[cd] = known(C) ? C * r * r : -1;
    for (const d of [hd, wd]) {
      if (known(dims[d]) && dims[d] % r !== 0) opFail(op, `the spatial dims of Out@GRAD (shape ${showShape(dims)}) must be multiples of upscale_factor ${r}`);
      out[d] = known(dims[d]) ? dims[d] / r : -1;
    }
  }
  return out;
}

const noComplex = (op: string, m: Meta, what: string): void => {
  if (m.dtype === 'complex64' || m.dtype === 'complex128') opFail(op, `input ${what} cannot be complex (${m.dtype})`);
};

defineAdjointPair('pixel_shuffle', { upscale_factor: int(1), data_format: str('NCHW') }, (op, m, what, attrs, grad) => {
  noComplex(op, m, what);
  return pixelShuffleDims(op, m.dims, attrs, grad);
});

// ---- unfold -----------------------------------------------------------------------------
export interface UnfoldGeom {
  k: number[];
  s: number[];
  /** [top, left, bottom, right] */
  p: number[];
  d: number[];
  outH: number;
  outW: number;
}

/** unfold's attributes checked and its output grid (CalcOutputSize); -1 sizes when unknown. */
export function unfoldGeom(op: string, xDims: readonly number[], attrs: Attrs): UnfoldGeom {
  if (xDims.length !== 4) opFail(op, `the input should be a 4-D tensor of format [N, C, H, W], but got shape ${showShape(xDims)}`);
  const list = (name: string, n: number, min: number): number[] => {
    const v = attrs[name] as number[];
    if (!Array.isArray(v) || v.length !== n || !v.every((x) => Number.isInteger(x) && x >= min))
      opFail(op, `attribute ${name} must be a list of ${n} integers >= ${min}, but got ${JSON.stringify(v)}`);
    return v.slice();
  };
  const k = list('kernel_sizes', 2, 1);
  const s = list('strides', 2, 1);
  const p = list('paddings', 4, 0);
  const d = list('dilations', 2, 1);
  const size = (i: number, inSize: number, p1: number, p2: number): number => {
    if (!known(inSize)) return -1;
    const dk = d[i] * (k[i] - 1) + 1;
    const o = Math.floor((inSize + p1 + p2 - dk) / s[i]) + 1;
    if (!(o > 0))
      opFail(op, `the output size is not positive: with padding (${p1}, ${p2}), kernel size ${k[i]}, dilation ${d[i]} and stride ${s[i]}, an input size of ${inSize} gives ${o}`);
    return o;
  };
  return { k, s, p, d, outH: size(0, xDims[2], p[0], p[2]), outW: size(1, xDims[3], p[1], p[3]) };
}

const unfoldAttrs = { kernel_sizes: ints(), strides: ints(), paddings: ints(), dilations: ints() };

defineOp({
  type: 'unfold',
  inputs: ['X'],
  outputs: ['Y'],
  attrs: unfoldAttrs,
  infer(ins, attrs) {
    const op = 'unfold';
    const x = one(ins, 'X', op);
    requireFloats(op, x, 'X');
    const g = unfoldGeom(op, x.dims, attrs);
    const C = x.dims[1];
    const L = known(g.outH) && known(g.outW) ? g.outH * g.outW : -1;
    return { Y: [meta([x.dims[0], known(C) ? C * g.k[0] * g.k[1] : -1, L], x.dtype)] };
  },
  grad: (ctx) => ({
    X: [c.run1('unfold_grad', { X: [ctx.input('X')], 'Y@GRAD': [ctx.outGrad('Y')] }, { ...ctx.attrs }, 'X@GRAD')],
  }),
});

defineOp({
  type: 'unfold_grad',
  inputs: ['X!', 'Y@GRAD'],
  outputs: ['X@GRAD'],
  attrs: unfoldAttrs,
  infer(ins, attrs) {
    const op = 'unfold_grad';
    const x = one(ins, 'X', op);
    const g = one(ins, 'Y@GRAD', op);
    requireFloats(op, g, 'Y@GRAD');
    unfoldGeom(op, x.dims, attrs);
    return { 'X@GRAD': [meta(x.dims.slice(), g.dtype)] };
  },
  grad: (ctx) => ({ 'Y@GRAD': [c.run1('unfold', { X: [ctx.outGrad('X@GRAD')] }, { ...ctx.attrs }, 'Y')] }),
});

// ---- grid_sampler -------------------------------------------------------------------------
/** Reads and checks grid_sampler's inputs X and Grid; returns [X, Grid]. */
function gridSamplerIns(op: string, ins: Slots<Meta>, attrs: Attrs): [Meta, Meta] {
  const x = one(ins, 'X', op);
  const grid = one(ins, 'Grid', op);
  requireFloats(op, x, 'X');
  if (grid.dtype !== x.dtype) opFail(op, `input Grid must have X's dtype ${x.dtype}, but got ${grid.dtype}`);
  if (x.dims.length !== 4) opFail(op, `input X should be a 4-D tensor [N, C, H, W], but got shape ${showShape(x.dims)}`);
  if (grid.dims.length !== 4) opFail(op, `input Grid should be a 4-D tensor [N, H, W, 2], but got shape ${showShape(grid.dims)}`);
  if (known(grid.dims[3]) && grid.dims[3] !== 2) opFail(op, `the last dimension of Grid should be 2, but got Grid of shape ${showShape(grid.dims)}`);
  if (known(x.dims[0]) && known(grid.dims[0]) && x.dims[0] !== grid.dims[0])
    opFail(op, `X and Grid must have the same batch size (dimension 0), but got X of shape ${showShape(x.dims)} and Grid of shape ${showShape(grid.dims)}`);
  if (attrs.mode !== 'bilinear' && attrs.mode !== 'nearest') opFail(op, `attribute mode must be 'bilinear' or 'nearest', but got '${String(attrs.mode)}'`);
  if (!['zeros', 'border', 'reflection'].includes(attrs.padding_mode as string))
    opFail(op, `attribute padding_mode must be 'zeros', 'border' or 'reflection', but got '${String(attrs.padding_mode)}'`);
  return [x, grid];
}

const gridAttrs = { use_cudnn: bool(true), align_corners: bool(true), mode: str('bilinear'), padding_mode: str('zeros') };

defineOp({
  type: 'grid_sampler',
  inputs: ['X', 'Grid'],
  outputs: ['Output'],
  attrs: gridAttrs,
  infer(ins, attrs) {
    const [x, grid] = gridSamplerIns('grid_sampler', ins, attrs);
    return { Output: [meta([x.dims[0], x.dims[1], grid.dims[1], grid.dims[2]], x.dtype)] };
  },
  grad(ctx) {
    const ins = { X: [ctx.input('X')], Grid: [ctx.input('Grid')], 'Output@GRAD': [ctx.outGrad('Output')] };
    const r = c.dispatch('grid_sampler_grad', ins, { ...ctx.attrs });
    return { X: [ctx.needs('X') ? r['X@GRAD'][0] : null], Grid: [ctx.needs('Grid') ? r['Grid@GRAD'][0] : null] };
  },
});

defineOp({
  type: 'grid_sampler_grad',
  inputs: ['X', 'Grid', 'Output@GRAD'],
  outputs: ['X@GRAD', 'Grid@GRAD'],
  attrs: gridAttrs,
  infer(ins, attrs) {
    const [x, grid] = gridSamplerIns('grid_sampler_grad', ins, attrs);
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)], 'Grid@GRAD': [meta(grid.dims.slice(), grid.dtype)] };
  },
});

// ---- affine_grid ------------------------------------------------------------------------
/** [H, W] of affine_grid's output: from output_shape, else OutputShape when known, else -1. */
function affineHW(op: string, ins: Slots<Meta>, attrs: Attrs): [number, number] {
  const shape = (attrs.output_shape ?? []) as number[];
  if (shape.length === 0) {
    const os = ins.OutputShape?.[0];
    if (!os) opFail(op, "the output shape must be given: attribute 'output_shape' is empty and there is no input OutputShape");
    if (os.dtype !== 'int32' && os.dtype !== 'int64') opFail(op, `input OutputShape must be an int32 tensor, but got ${os.dtype}`);
    if (os.dims.length !== 1) opFail(op, `input OutputShape must be 1-D, but got shape ${showShape(os.dims)}`);
    const v = knownInts(os, op, 'OutputShape');
    if (!v) return [-1, -1];
    if (v.length !== 4) opFail(op, `input OutputShape must hold 4 values [N, C, H, W], but got ${JSON.stringify(v)}`);
    return [v[2], v[3]];
  }
  if (shape.length !== 4 || !shape.every((d) => Number.isInteger(d)))
    opFail(op, `attribute output_shape must hold 4 integers [N, C, H, W], but got ${JSON.stringify(shape)}`);
  if (shape[2] < 1 || shape[3] < 1) opFail(op, `the output height and width must be positive, but got output_shape ${JSON.stringify(shape)}`);
  return [shape[2], shape[3]];
}

const affineAttrs = { use_cudnn: bool(true), align_corners: bool(true), output_shape: ints([]) };

defineOp({
  type: 'affine_grid',
  inputs: ['Theta', 'OutputShape?!'],
  outputs: ['Output'],
  attrs: affineAttrs,
  infer(ins, attrs) {
    const op = 'affine_grid';
    const t = one(ins, 'Theta', op);
    requireFloats(op, t, 'Theta');
    if (t.dims.length !== 3) opFail(op, `input Theta must be 3-D [N, 2, 3], but got shape ${showShape(t.dims)}`);
    if ((known(t.dims[1]) && t.dims[1] !== 2) || (known(t.dims[2]) && t.dims[2] !== 3))
      opFail(op, `input Theta must have shape [N, 2, 3], but got ${showShape(t.dims)}`);
    const [h, w] = affineHW(op, ins, attrs);
    return { Output: [meta([t.dims[0], h, w, 2], t.dtype)] };
  },
  grad(ctx) {
    const ins: Slots<Tensor> = { 'Output@GRAD': [ctx.outGrad('Output')] };
    if (ctx.has('OutputShape')) ins.OutputShape = [ctx.input('OutputShape')];
    return { Theta: [c.run1('affine_grid_grad', ins, { ...ctx.attrs }, 'Theta@GRAD')] };
  },
});

defineOp({
  type: 'affine_grid_grad',
  inputs: ['OutputShape?!', 'Output@GRAD'],
  outputs: ['Theta@GRAD'],
  attrs: affineAttrs,
  infer(ins, attrs) {
    const op = 'affine_grid_grad';
    const g = one(ins, 'Output@GRAD', op);
    requireFloats(op, g, 'Output@GRAD');
    if (g.dims.length !== 4 || (known(g.dims[3]) && g.dims[3] !== 2)) opFail(op, `Output@GRAD must have shape [N, H, W, 2], but got ${showShape(g.dims)}`);
    affineHW(op, ins, attrs);
    return { 'Theta@GRAD': [meta([g.dims[0], 2, 3], g.dtype)] };
  },
  grad(ctx) {
    const ins: Slots<Tensor> = { Theta: [ctx.outGrad('Theta@GRAD')] };
    if (ctx.has('OutputShape')) ins.OutputShape = [ctx.input('OutputShape')];
    return { 'Output@GRAD': [c.run1('affine_grid', ins, { ...ctx.attrs }, 'Output')] };
  },
});

// ---- temporal_shift -----------------------------------------------------------------------
function temporalShiftCheck(op: string, x: Meta, attrs: Attrs): void {
  if (x.dims.length !== 4) opFail(op, `input X should be a 4-D tensor [N*T, C, H, W], but got shape ${showShape(x.dims)}`);
  const t = attrs.seg_num as number;
  if (!Number.isInteger(t) || t <= 0) opFail(op, `attribute seg_num must be a positive integer, but got ${String(t)}`);
  const r = attrs.shift_ratio as number;
  if (!(r > 0 && r < 0.5)) opFail(op, `attribute shift_ratio must be greater than 0 and less than 0.5, but got ${String(r)}`);
  if (known(x.dims[0]) && x.dims[0] % t !== 0)
    opFail(op, `dimension 0 of X (${x.dims[0]}) must be divisible by seg_num (${t}); X has shape ${showShape(x.dims)}`);
}

const shiftAttrs = { seg_num: int(), shift_ratio: float(0.25) };

defineAdjointPair('temporal_shift', shiftAttrs, (op, m, what, attrs) => {
  requireFloats(op, m, what, ['float16', 'float32', 'float64']);
  temporalShiftCheck(op, m, attrs);
  return m.dims.slice();
});

// ---- diag_embed ---------------------------------------------------------------------------
/** diag_embed's output dims and the normalized dim1/dim2 (in the output's rank). */
export function diagEmbedDims(op: string, xDims: readonly number[], attrs: Attrs): { dims: number[]; d1: number; d2: number } {
  const r = xDims.length;
  if (r < 1) opFail(op, 'input Input must be at least 1-dimensional');
  const dim1 = attrs.dim1 as number;
  const dim2 = attrs.dim2 as number;
  const offset = attrs.offset as number;
  for (const [n, v] of [['dim1', dim1], ['dim2', dim2]] as const)
    if (!Number.isInteger(v) || v < -(r + 1) || v > r) opFail(op, `${n} is out of range (expected to be in range of [${-(r + 1)}, ${r}], but got ${String(v)})`);
  if (!Number.isInteger(offset)) opFail(op, `attribute offset must be an integer, but got ${String(offset)}`);
  const d1 = dim1 < 0 ? r + dim1 + 1 : dim1;
  const d2 = dim2 < 0 ? r + dim2 + 1 : dim2;
  if (d1 === d2) opFail(op, `dim1 and dim2 cannot be the same dimension, but got dim1 = ${dim1}, dim2 = ${dim2}`);
  const last = xDims[r - 1];
  const n = known(last) ? last + Math.abs(offset) : -1;
  const dims = xDims.slice(0, r - 1);
  dims.splice(Math.min(d1, d2), 0, n);
  dims.splice(Math.max(d1, d2), 0, n);
  return { dims, d1, d2 };
}

defineOp({
  type: 'diag_embed',
  inputs: ['Input'],
  outputs: ['Out'],
  attrs: { offset: int(0), dim1: int(-2), dim2: int(-1) },
  infer(ins, attrs) {
    const op = 'diag_embed';
    const x = one(ins, 'Input', op);
    requireFloats(op, x, 'Input', ['int32', 'int64', 'float16', 'float32', 'float64']);
    return { Out: [meta(diagEmbedDims(op, x.dims, attrs).dims, x.dtype)] };
  },
});

// ---- bilinear_tensor_product --------------------------------------------------------------
defineOp({
  type: 'bilinear_tensor_product',
  inputs: ['X', 'Y', 'Weight', 'Bias?'],
  outputs: ['Out'],
  infer(ins) {
    const op = 'bilinear_tensor_product';
    const x = one(ins, 'X', op);
    const y = one(ins, 'Y', op);
    const w = one(ins, 'Weight', op);
    requireFloats(op, x, 'X');
    for (const [m, n] of [[y, 'Y'], [w, 'Weight']] as const)
      if (m.dtype !== x.dtype) opFail(op, `input ${n} must have X's dtype ${x.dtype}, but got ${m.dtype}`);
    if (x.dims.length !== 2) opFail(op, `input X must be a 2-D tensor, but got shape ${showShape(x.dims)}`);
    if (y.dims.length !== 2) opFail(op, `input Y must be a 2-D tensor, but got shape ${showShape(y.dims)}`);
    if (w.dims.length !== 3) opFail(op, `input Weight must be a 3-D tensor [out, in1, in2], but got shape ${showShape(w.dims)}`);
    if (known(x.dims[0]) && known(y.dims[0]) && x.dims[0] !== y.dims[0])
      opFail(op, `the first dimension (batch size) of X (${x.dims[0]}) must equal that of Y (${y.dims[0]})`);
    if (known(x.dims[1]) && known(w.dims[1]) && x.dims[1] !== w.dims[1])
      opFail(op, `the second dimension of X (shape ${showShape(x.dims)}) must equal the second dimension of Weight (shape ${showShape(w.dims)})`);
    if (known(y.dims[1]) && known(w.dims[2]) && y.dims[1] !== w.dims[2])
      opFail(op, `the second dimension of Y (shape ${showShape(y.dims)}) must equal the third dimension of Weight (shape ${showShape(w.dims)})`);
    const b = ins.Bias?.[0];
    if (b) {
      if (b.dtype !== x.dtype) opFail(op, `input Bias must have X's dtype ${x.dtype}, but got ${b.dtype}`);
      if (b.dims.length !== 2 || (known(b.dims[0]) && b.dims[0] !== 1) || (known(b.dims[1]) && known(w.dims[0]) && b.dims[1] !== w.dims[0]))
        opFail(op, `input Bias must be a 2-D row vector [1, ${w.dims[0]}] (its second dim the first dim of Weight), but got shape ${showShape(b.dims)}`);
    }
    return { Out: [meta([known(x.dims[0]) ? x.dims[0] : y.dims[0], w.dims[0]], x.dtype)] };
  },
  grad(ctx: GradContext) {
    // out[b,k] = sum_ij x[b,i] W[k,i,j] y[b,j] + bias[k]
    const x = ctx.input('X');
    const y = ctx.input('Y');
    const w = ctx.input('Weight');
    const g = ctx.outGrad('Out');
    const [K, I, J] = w.dims;
    const B = known(x.dims[0]) ? x.dims[0] : -1;
    const g3 = c.reshape(g, [B, 1, K]);
    const res: Record<string, (Tensor | null)[]> = {};
    if (ctx.needs('X')) {
      // dX[b,i] = sum_k g[b,k] sum_j W[k,i,j] y[b,j]
      const wy = c.reshape(c.matmul(y, c.reshape(w, [K * I, J]), false, true), [B, K, I]);
      res.X = [c.reshape(c.matmul(g3, wy), [B, I])];
    }
    if (ctx.needs('Y')) {
      // dY[b,j] = sum_k g[b,k] sum_i x[b,i] W[k,i,j]
      const wt = c.reshape(c.transpose(w, [1, 0, 2]), [I, K * J]);
      const xw = c.reshape(c.matmul(x, wt), [B, K, J]);
      res.Y = [c.reshape(c.matmul(g3, xw), [B, J])];
    }
    if (ctx.needs('Weight')) {
      // dW[k,i,j] = sum_b g[b,k] x[b,i] y[b,j]
      const xy = c.reshape(c.mul(c.reshape(x, [B, I, 1]), c.reshape(y, [B, 1, J])), [B, I * J]);
      res.Weight = [c.reshape(c.matmul(g, xy, true, false), [K, I, J])];
    }
    if (ctx.has('Bias') && ctx.needs('Bias')) res.Bias = [c.sum(g, [0], true)];
    return res;
  },
});
