// Resizing operators as in paddle/fluid/operators/interpolate_v2_op.cc (2.0's F.interpolate)
// and interpolate_op.cc (the v1 ops of fluid.layers.resize_* and 1.x saved models):
//   {linear,bilinear,trilinear,nearest,bicubic}_interp_v2 and {...}_interp
//   (X, OutSize?, SizeTensor[]?, Scale? -> Out) with their *_grad operators.
// The output size comes, in Paddle's priority, from SizeTensor, else OutSize, else the scale
// (the Scale tensor or attribute: out = int(in * scale) in float32), else out_d/out_h/out_w.
// The kernel follows `interp_method` (the attribute, as Paddle's kernels do; its default is
// 'bilinear' for every type). The index maps (align_corners, align_mode) are in
// src/backends/js/interp.ts; the plan (sizes, scales, ratios) is resolved here.
import { toNumbers } from '../core/dtype.js';
import type { AttrSpec, Attrs, GradContext, Slots } from '../core/registry.js';
import { numel, showShape } from '../core/shape.js';
import { Tensor, type Meta } from '../core/tensor.js';
import * as c from './calls.js';
import { knownIntList, knownInts } from './reshape.js';
import { bool, defineOp, float, floats, int, meta, one, opFail, str } from './util.js';

export const INTERP_METHODS = ['linear', 'bilinear', 'trilinear', 'nearest', 'bicubic'] as const;
export type InterpMethod = (typeof INTERP_METHODS)[number];

/** A resolved interpolation call, always as 3 spatial dims [D, H, W] (missing ones are 1). */
export interface InterpPlan {
  /** Number of resized dims (1, 2 or 3). */
  nd: number;
  channelLast: boolean;
  n: number;
  c: number;
  inSp: number[];
  outSp: number[];
  /** Output dims in X's layout (-1 where unknown until run time). */
  outDims: number[];
  method: InterpMethod;
  alignCorners: boolean;
  alignMode: number;
  /** Source-index step per output index of each of D, H, W (float32, as Paddle). */
  ratio: number[];
}

/** The values of a float tensor input when known now (a dygraph Tensor or a fed one). */
function knownFloats(m: Meta | undefined): number[] | undefined {
  if (!m || !(m instanceof Tensor) || Object.getPrototypeOf(m) !== Tensor.prototype) return undefined;
  if (m.dims.some((d) => d < 0) || m.data.length < numel(m.dims)) return undefined;
  return Array.from(toNumbers(m.data, m.dtype)).slice(0, numel(m.dims));
}

const f32 = Math.fround;

/**
 * Resolves the output size and ratios of an interpolation operator from X, its tensor inputs
 * (when their values are known) and attributes. `v2` selects the *_interp_v2 rules (a list
 * scale attribute, and ratios from 1/scale when a scale is given).
 */
export function interpPlan(x: Meta, ins: Slots<Meta>, attrs: Attrs, op: string, v2: boolean): InterpPlan {
  const r = x.dims.length;
  const method = attrs.interp_method as InterpMethod;
  if (!(INTERP_METHODS as readonly string[]).includes(method))
    opFail(op, `attribute interp_method must be one of ${INTERP_METHODS.map((m) => `'${m}'`).join(', ')}, but got '${method}'`);
  const allowed: Record<number, string[]> = { 3: ['linear'], 4: ['bilinear', 'nearest', 'bicubic'], 5: ['trilinear'] };
  if (!allowed[r]) opFail(op, `input X must be a 3-D, 4-D or 5-D tensor, but got shape ${showShape(x.dims)}`);
  if (!allowed[r].includes(method))
    opFail(op, `interpolation method '${method}' does not apply to a ${r}-D input (a ${r}-D input takes ${allowed[r].map((m) => `'${m}'`).join(' or ')})`);
  const layout: string = attrs.data_layout;
  if (layout !== 'NCHW' && layout !== 'NHWC' && layout !== 'AnyLayout')
    opFail(op, `attribute data_layout must be 'NCHW' or 'NHWC', but got '${layout}'`);
  const channelLast = layout === 'NHWC';
  const nd = r - 2;
  const sp = channelLast ? x.dims.slice(1, r - 1) : x.dims.slice(2);
  const names = ['out_d', 'out_h', 'out_w'].slice(3 - nd);
  let out: number[] = names.map((k) => attrs[k] as number);
  let scales: number[] | null = null; // per resized dim, when a scale decides
  let unknown = false;
  const sizeTensor = ins.SizeTensor;
  if (sizeTensor && sizeTensor.length > 0) {
    if (sizeTensor.length !== nd) opFail(op, `input SizeTensor must hold ${nd} tensors for a ${r}-D input, but got ${sizeTensor.length}`);
    const v = knownIntList(sizeTensor, op, 'SizeTensor');
    if (v) out = v;
    else unknown = true;
  } else {
    const st = ins.Scale?.[0];
    if (st) {
      const v = knownFloats(st);
      if (v === undefined) unknown = true;
      else {
        if (v.length === 0) opFail(op, 'input Scale must not be empty');
        scales = !v2 || nd === 1 || v.length === 1 ? new Array<number>(nd).fill(f32(v[0])) : v.slice(0, nd).map(f32);
        if (scales.length < nd) opFail(op, `input Scale must hold 1 or ${nd} values, but got ${v.length}`);
      }
    } else if (v2) {
      const s: number[] = attrs.scale ?? [];
      if (s.length > (nd === 1 ? 0 : 1)) {
        if (s.length < nd) opFail(op, `attribute scale must hold ${nd} values for a ${r}-D input, but got [${s.join(', ')}]`);
        scales = s.slice(0, nd).map(f32);
      }
    } else {
      const s: number = attrs.scale ?? 0;
      if (s > 0) scales = new Array<number>(nd).fill(f32(s));
    }
    if (scales) {
      if (!scales.every((v) => v > 0)) opFail(op, `the scale of interpolation must be greater than 0, but got [${scales.join(', ')}]`);
      out = sp.map((d, i) => (d < 0 ? -1 : Math.trunc(f32(d * scales![i]))));
    }
    const os = ins.OutSize?.[0];
    if (os) {
      if (os.dims.length !== 1) opFail(op, `input OutSize must be 1-D, but got shape ${showShape(os.dims)}`);
      const v = knownInts(os, op, 'OutSize');
      if (v) {
        if (v.length !== nd) opFail(op, `input OutSize must hold ${nd} values for a ${r}-D input, but got ${v.length}`);
        out = v;
      } else unknown = true;
    }
  }
  if (unknown) out = out.map(() => -1);
  else {
    out.forEach((o, i) => {
      if (o !== -1 && !(o > 0))
        opFail(op, `the output ${['depth', 'height', 'width'][3 - nd + i]} of interpolation must be greater than 0, but got ${o} (input shape ${showShape(x.dims)})`);
    });
  }
  const lift = (v: number[], fill: number): number[] => [...new Array<number>(3 - nd).fill(fill), ...v];
  const inSp = lift(sp, 1);
  const outSp = lift(out, 1);
  const sc = scales ? lift(scales, -1) : [-1, -1, -1];
  const alignCorners = !!attrs.align_corners;
  const ratio = [0, 1, 2].map((i) => {
    const inS = inSp[i], outS = outSp[i];
    if (!(outS > 1)) return 0;
    if (alignCorners) return f32((inS - 1) / (outS - 1));
    return v2 && sc[i] > 0 ? f32(1 / sc[i]) : f32(inS / outS);
  });
  const outDims = channelLast ? [x.dims[0], ...out, x.dims[r - 1]] : [x.dims[0], x.dims[1], ...out];
  return {
    nd,
    channelLast,
    n: x.dims[0],
    c: channelLast ? x.dims[r - 1] : x.dims[1],
    inSp,
    outSp,
    outDims,
    method,
    alignCorners,
    alignMode: attrs.align_mode,
    ratio,
  };
}

const FWD_DTYPES = ['float16', 'float32', 'float64', 'uint8'];
const GRAD_DTYPES = ['float16', 'float32', 'float64'];

function checkX(x: Meta, method: string, op: string, grad: boolean): void {
  const allowed = grad || method === 'bicubic' ? GRAD_DTYPES : FWD_DTYPES;
  if (!allowed.includes(x.dtype)) opFail(op, `input ${grad ? 'Out@GRAD' : 'X'} must have dtype ${allowed.join(', ')}, but got ${x.dtype}`);
}

/** The size inputs of a recorded call, passed on to the grad (and double-grad) operators. */
function sizeInputs(ctx: GradContext): Slots<Tensor> {
  const ins: Slots<Tensor> = {};
  for (const s of ['OutSize', 'SizeTensor', 'Scale']) if (ctx.has(s)) ins[s] = ctx.inputs(s);
  return ins;
}

for (const v2 of [true, false]) {
  const attrs: Record<string, AttrSpec> = v2
    ? {
        data_layout: str('NCHW'),
        out_d: int(0),
        out_h: int(0),
        out_w: int(0),
        scale: floats([]),
        interp_method: str('bilinear'),
        align_corners: bool(true),
        align_mode: int(1),
      }
    : {
        data_layout: str('NCHW'),
        out_d: int(0),
        out_h: int(0),
        out_w: int(0),
        scale: float(0),
        interp_method: str('bilinear'),
        align_corners: bool(true),
        align_mode: int(1),
        use_mkldnn: bool(false),
      };
  for (const m of INTERP_METHODS) {
    const type = `${m}_interp${v2 ? '_v2' : ''}`;
    const gradType = `${type}_grad`;
    defineOp({
      type,
      inputs: ['X', 'OutSize?!', 'SizeTensor[]?!', 'Scale?!'],
      outputs: ['Out'],
      attrs,
      infer(ins, a) {
        const x = one(ins, 'X', type);
        const p = interpPlan(x, ins, a, type, v2);
        checkX(x, p.method, type, false);
        return { Out: [meta(p.outDims, x.dtype)] };
      },
      grad(ctx) {
        if (!ctx.needs('X')) return {};
        const ins = { X: [ctx.input('X')], ...sizeInputs(ctx), 'Out@GRAD': [ctx.outGrad('Out')] };
        return { X: [c.run1(gradType, ins, { ...ctx.attrs }, 'X@GRAD')] };
      },
    });
    // *_grad: X@GRAD, the adjoint of the forward map (X only gives the shape). Its own
    // gradient is the forward operator applied to the incoming gradient.
    defineOp({
      type: gradType,
      inputs: ['X!', 'OutSize?!', 'SizeTensor[]?!', 'Scale?!', 'Out@GRAD'],
      outputs: ['X@GRAD'],
      attrs,
      infer(ins, a) {
        const x = one(ins, 'X', gradType);
        const g = one(ins, 'Out@GRAD', gradType);
        const p = interpPlan(x, ins, a, gradType, v2);
        checkX(g, p.method, gradType, true);
        if (g.dims.length !== x.dims.length) opFail(gradType, `input Out@GRAD must have the rank of X, but got ${showShape(g.dims)} for X ${showShape(x.dims)}`);
        return { 'X@GRAD': [meta(x.dims.slice(), g.dtype)] };
      },
      grad(ctx) {
        if (!ctx.needs('Out@GRAD')) return {};
        const ins = { X: [ctx.outGrad('X@GRAD')], ...sizeInputs(ctx) };
        return { 'Out@GRAD': [c.run1(type, ins, { ...ctx.attrs })] };
      },
    });
  }
}
