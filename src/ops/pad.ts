// Padding operators as in paddle/fluid/operators/pad_op.cc, pad3d_op.cc and pad2d_op.cc:
// - pad (X -> Out; paddings: a (before, after) pair per dim from dim 0, pad_value),
// - pad3d (X, Paddings? -> Out; paddings [left, right, top, bottom, front, back] of a 5-D
//   NCDHW/NDHWC tensor, mode constant/reflect/replicate/circular, value),
// - pad2d (X, Paddings? -> Out; paddings [top, bottom, left, right] of a 4-D NCHW/NHWC
//   tensor, mode constant/reflect/edge, pad_value), used by fluid.layers.pad2d,
// and their *_grad operators (the sum of Out@GRAD over every output position reading an
// input position). Each *_grad's own gradient is the forward padding with a zero fill.
import type { Attrs, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { knownInts } from './reshape.js';
import { defineOp, float, ints, meta, one, opFail, out, str } from './util.js';

/** Dtypes of Paddle's CPU pad kernels (float16 added: it is data movement). */
const PAD_DTYPES = ['float16', 'float32', 'float64', 'int32', 'int64'] as const;
const GRAD_DTYPES = ['float16', 'float32', 'float64'] as const;

function checkDtype(m: Meta, allowed: readonly string[], op: string, what = 'X'): void {
  if (!allowed.includes(m.dtype)) opFail(op, `input ${what} must have dtype ${allowed.join(', ')}, but got ${m.dtype}`);
}
const fmt = (v: readonly number[]): string => `[${v.join(', ')}]`;

// ---- pad ------------------------------------------------------------------------------------

/** Checks pad's paddings against X's rank; returns the output dims. */
export function padOutDims(x: Meta, paddings: readonly number[], op: string): number[] {
  const r = x.dims.length;
  if (paddings.length !== 2 * r)
    opFail(op, `attribute paddings must have 2 * rank(X) = ${2 * r} elements (a before/after pair per dim), but got ${paddings.length}: ${fmt(paddings)}`);
  paddings.forEach((p, i) => {
    if (!Number.isInteger(p) || p < 0) opFail(op, `each element of paddings must be >= 0, but got ${p} at index ${i}`);
  });
  return x.dims.map((d, i) => (d < 0 ? -1 : d + paddings[2 * i] + paddings[2 * i + 1]));
}

const padAttrs = { paddings: ints(), pad_value: float(0) };

defineOp({
  type: 'pad',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: padAttrs,
  infer(ins, a) {
    const x = one(ins, 'X', 'pad');
    checkDtype(x, PAD_DTYPES, 'pad');
    return out(padOutDims(x, a.paddings, 'pad'), x.dtype);
  },
  grad(ctx) {
    if (!ctx.needs('X')) return {};
    return { X: [c.run1('pad_grad', { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] }, { ...ctx.attrs }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'pad_grad',
  inputs: ['X!', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: padAttrs,
  infer(ins, a) {
    const x = one(ins, 'X', 'pad_grad');
    const g = one(ins, 'Out@GRAD', 'pad_grad');
    checkDtype(g, GRAD_DTYPES, 'pad_grad', 'Out@GRAD');
    padOutDims(x, a.paddings, 'pad_grad');
    return out(x.dims.slice(), g.dtype, 'X@GRAD');
  },
  grad(ctx) {
    if (!ctx.needs('Out@GRAD')) return {};
    return { 'Out@GRAD': [c.run1('pad', { X: [ctx.outGrad('X@GRAD')] }, { paddings: ctx.attrs.paddings, pad_value: 0 })] };
  },
});

// ---- pad3d / pad2d --------------------------------------------------------------------------

/** The resolved geometry of a pad3d/pad2d call, as 3 spatial dims [D, H, W]. */
export interface PadGeom {
  channelLast: boolean;
  n: number;
  c: number;
  inSp: number[];
  outSp: number[];
  /** Padding before / after each of D, H, W. */
  before: number[];
  after: number[];
  outDims: number[];
  mode: string;
}

/** pad3d's or pad2d's paddings: the attribute, or the Paddings tensor when its values are known. */
function padList(ins: Slots<Meta>, attrs: Attrs, op: string, count: number): number[] | undefined {
  const t = ins.Paddings?.[0];
  if (t) {
    if (t.dims.length !== 1) opFail(op, `input Paddings must be 1-D, but got shape ${showShape(t.dims)}`);
    if (t.dims[0] >= 0 && t.dims[0] !== count) opFail(op, `input Paddings must have shape [${count}], but got ${showShape(t.dims)}`);
    return knownInts(t, op, 'Paddings');
  }
  const p = attrs.paddings as number[];
  if (p.length !== count) opFail(op, `attribute paddings must have ${count} elements, but got ${p.length}: ${fmt(p)}`);
  return p;
}

/**
 * Resolves pad3d (rank 5) or pad2d (rank 4) against X. Output dims are -1 where the
 * paddings come from a Paddings tensor not known yet (static mode).
 */
export function padGeom(x: Meta, ins: Slots<Meta>, attrs: Attrs, op: 'pad3d' | 'pad2d' | 'pad3d_grad' | 'pad2d_grad'): PadGeom {
  const is3 = op.startsWith('pad3d');
  const r = is3 ? 5 : 4;
  if (x.dims.length !== r) opFail(op, `input X must be a ${r}-D tensor, but got shape ${showShape(x.dims)}`);
  const df: string = attrs.data_format;
  const cf = is3 ? 'NCDHW' : 'NCHW';
  const cl = is3 ? 'NDHWC' : 'NHWC';
  if (df !== cf && df !== cl) opFail(op, `attribute data_format must be '${cf}' or '${cl}', but got '${df}'`);
  const mode: string = attrs.mode;
  const modes = is3 ? ['constant', 'reflect', 'replicate', 'circular'] : ['constant', 'reflect', 'edge'];
  if (!modes.includes(mode)) opFail(op, `attribute mode must be one of ${modes.map((m) => `'${m}'`).join(', ')}, but got '${mode}'`);
  const channelLast = df === cl;
  const sp = channelLast ? x.dims.slice(1, r - 1) : x.dims.slice(2);
  const inSp = is3 ? sp : [1, ...sp];
  const pads = padList(ins, attrs, op, is3 ? 6 : 4);
  let before: number[];
  let after: number[];
  if (!pads) {
    before = [-1, -1, -1];
    after = [-1, -1, -1];
  } else if (is3) {
    // [left, right, top, bottom, front, back]
    before = [pads[4], pads[2], pads[0]];
    after = [pads[5], pads[3], pads[1]];
  } else {
    // [top, bottom, left, right]
    before = [0, pads[0], pads[2]];
    after = [0, pads[1], pads[3]];
  }
  const names = ['depth', 'height', 'width'];
  const sides = [['front', 'back'], ['top', 'bottom'], ['left', 'right']];
  if (pads) {
    for (let i = 0; i < 3; i++) {
      if (before[i] < 0 || after[i] < 0) opFail(op, `paddings must not be negative, but got ${fmt(pads)}`);
      if (mode === 'reflect' && inSp[i] >= 0 && (before[i] >= inSp[i] || after[i] >= inSp[i]))
        opFail(op, `in reflect mode the ${names[i]} of X (${inSp[i]}) must be greater than pad_${sides[i][0]} (${before[i]}) and pad_${sides[i][1]} (${after[i]})`);
      if ((mode === 'replicate' || mode === 'edge' || mode === 'circular') && inSp[i] === 0 && before[i] + after[i] > 0)
        opFail(op, `cannot pad an empty ${names[i]} in ${mode} mode`);
    }
  }
  const outSp = inSp.map((d, i) => (d < 0 || !pads ? -1 : d + before[i] + after[i]));
  const o = is3 ? outSp : outSp.slice(1);
  const outDims = channelLast ? [x.dims[0], ...o, x.dims[r - 1]] : [x.dims[0], x.dims[1], ...o];
  return { channelLast, n: x.dims[0], c: channelLast ? x.dims[r - 1] : x.dims[1], inSp, outSp, before, after, outDims, mode };
}

for (const [type, valueAttr, df] of [['pad3d', 'value', 'NCDHW'], ['pad2d', 'pad_value', 'NCHW']] as const) {
  const gradType = `${type}_grad` as const;
  const attrs = { paddings: ints(), [valueAttr]: float(0), mode: str('constant'), data_format: str(df) };
  defineOp({
    type,
    inputs: ['X', 'Paddings?!'],
    outputs: ['Out'],
    attrs,
    infer(ins, a) {
      const x = one(ins, 'X', type);
      checkDtype(x, PAD_DTYPES, type);
      return out(padGeom(x, ins, a, type).outDims, x.dtype);
    },
    grad(ctx) {
      if (!ctx.needs('X')) return {};
      const ins: Slots<Tensor> = { X: [ctx.input('X')], 'Out@GRAD': [ctx.outGrad('Out')] };
      if (ctx.has('Paddings')) ins.Paddings = [ctx.input('Paddings')];
      return { X: [c.run1(gradType, ins, { ...ctx.attrs }, 'X@GRAD')] };
    },
  });
  defineOp({
    type: gradType,
    inputs: ['X!', 'Paddings?!', 'Out@GRAD'],
    outputs: ['X@GRAD'],
    attrs,
    infer(ins, a) {
      const x = one(ins, 'X', gradType);
      const g = one(ins, 'Out@GRAD', gradType);
      checkDtype(g, GRAD_DTYPES, gradType, 'Out@GRAD');
      padGeom(x, ins, a, gradType);
      return { 'X@GRAD': [meta(x.dims.slice(), g.dtype)] };
    },
    grad(ctx) {
      if (!ctx.needs('Out@GRAD')) return {};
      const ins: Slots<Tensor> = { X: [ctx.outGrad('X@GRAD')] };
      if (ctx.has('Paddings')) ins.Paddings = [ctx.input('Paddings')];
      return { 'Out@GRAD': [c.run1(type, ins, { ...ctx.attrs, [valueAttr]: 0 })] };
    },
  });
}
