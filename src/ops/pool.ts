// Pooling operators as in paddle/fluid/operators/pool_op.cc and pool_with_index_op.cc:
// pool2d / pool3d (X -> Out; max or avg, explicit / SAME / VALID padding, ceil_mode,
// exclusive, adaptive, global, NCHW or NHWC) with their pool2d_grad / pool3d_grad, and
// max_pool2d_with_index / max_pool3d_with_index (X -> Out, Mask: the argmax's flat index in
// its input plane, int32) with their *_grad. The window geometry lives here (poolGeom) and
// is shared by the kernels in src/backends/js/pool.ts.
//
// Two Paddle 2.0 CPU-kernel bugs are not followed: its pool2d/pool3d 'max' kernels ignore
// `adaptive` (they slide ksize-sized windows instead of adaptive bins) and so does their
// gradient; here max pooling uses the adaptive bins too, as avg pooling and
// max_pool2d_with_index do (and as later Paddle does).
import type { Attrs, GradContext } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, ints, meta, one, opFail, out, str } from './util.js';

const FLOATS = ['float16', 'float32', 'float64'] as const;

/** Where each output position of one spatial dim reads: its window [start, end) and, for
 * non-exclusive average pooling, the window length counting padding. */
export interface DimWindows {
  start: Int32Array;
  end: Int32Array;
  full: Int32Array;
}

/** The resolved geometry of one pooling call (always 3 spatial dims: 2-D pools get D = 1). */
export interface PoolGeom {
  /** Number of pooled dims (2 or 3). */
  nd: number;
  channelLast: boolean;
  n: number;
  c: number;
  /** Input spatial dims [D, H, W]. */
  inSp: number[];
  /** Output spatial dims [D, H, W]. */
  outSp: number[];
  /** Output dims in the input's layout. */
  outDims: number[];
  ksize: number[];
  strides: number[];
  /** Padding before each spatial dim (after SAME/VALID/global/adaptive are applied). */
  padBefore: number[];
  padAfter: number[];
  adaptive: boolean;
}

function fmt(v: readonly number[]): string {
  return `[${v.join(', ')}]`;
}

/** Paddle's PoolOutputSize (C++ integer division, truncating toward zero). */
function poolOutputSize(inSize: number, k: number, p0: number, p1: number, s: number, ceil: boolean, op: string): number {
  const num = ceil ? inSize - k + p0 + p1 + s - 1 : inSize - k + p0 + p1;
  const o = Math.trunc(num / s) + 1;
  if (o <= 0)
    opFail(op, `the output size must be greater than 0, but got ${o} from input size ${inSize}, padding (${p0}, ${p1}), kernel size ${k} and stride ${s}`);
  return o;
}

const isChannelLast = (fmtStr: string): boolean => fmtStr === 'NHWC' || fmtStr === 'NDHWC';

/**
 * Resolves pool2d/pool3d attributes against X's shape (Paddle's UpdatePadding/UpdateKsize
 * and InferShape). In static mode unknown (-1) spatial dims give -1 output dims.
 */
export function poolGeom(x: Meta, attrs: Attrs, op: string): PoolGeom {
  const r = x.dims.length;
  if (r !== 4 && r !== 5) opFail(op, `input X must be a 4-D or 5-D tensor, but got shape ${showShape(x.dims)}`);
  const df: string = attrs.data_format;
  if (!['NCHW', 'NHWC', 'NCDHW', 'NDHWC', 'AnyLayout'].includes(df))
    opFail(op, `attribute data_format must be 'NCHW', 'NHWC', 'NCDHW' or 'NDHWC', but got '${df}'`);
  const pt: string = attrs.pooling_type;
  if (pt !== undefined && pt !== 'max' && pt !== 'avg') opFail(op, `attribute pooling_type must be 'max' or 'avg', but got '${pt}'`);
  const algo: string = attrs.padding_algorithm ?? 'EXPLICIT';
  if (algo !== 'EXPLICIT' && algo !== 'SAME' && algo !== 'VALID')
    opFail(op, `attribute padding_algorithm must be 'EXPLICIT', 'SAME' or 'VALID', but got '${algo}'`);
  let ksize: number[] = (attrs.ksize as number[]).slice();
  const strides: number[] = (attrs.strides as number[]).slice();
  const nd = r - 2;
  if (ksize.length !== nd)
    opFail(op, `attribute ksize must have ${nd} elements for a ${r}-D input (rank minus 2), but got ksize=${fmt(ksize)} for X of shape ${showShape(x.dims)}`);
  if (strides.length !== nd) opFail(op, `attributes ksize and strides must have the same length, but got ksize=${fmt(ksize)} and strides=${fmt(strides)}`);
  const channelLast = isChannelLast(df);
  const sp = channelLast ? x.dims.slice(1, r - 1) : x.dims.slice(2);
  const global = !!attrs.global_pooling;
  const adaptive = !!attrs.adaptive;
  // paddings: one per dim (symmetric) or a (before, after) pair per dim
  const pin: number[] = (attrs.paddings as number[]).slice();
  let pads: number[];
  if (pin.length === nd) pads = pin.flatMap((v) => [v, v]);
  else if (pin.length === 2 * nd) pads = pin;
  else opFail(op, `attribute paddings must have ${nd} or ${2 * nd} elements, but got paddings=${fmt(pin)}`);
  for (let i = 0; i < nd; i++) {
    if (!global && !(ksize[i] > 0)) opFail(op, `attribute ksize must be positive, but got ksize=${fmt(ksize)}`);
    if (!(strides[i] > 0)) opFail(op, `attribute strides must be positive, but got strides=${fmt(strides)}`);
  }
  if (pads.some((v) => v < 0)) opFail(op, `attribute paddings must not be negative, but got paddings=${fmt(pin)}`);
  if (algo === 'SAME') {
    for (let i = 0; i < nd; i++) {
      if (sp[i] < 0) continue;
      const o = Math.trunc((sp[i] + strides[i] - 1) / strides[i]);
      const sum = Math.max((o - 1) * strides[i] + ksize[i] - sp[i], 0);
      pads[2 * i] = Math.trunc(sum / 2);
      pads[2 * i + 1] = sum - pads[2 * i];
    }
  } else if (algo === 'VALID') pads = pads.map(() => 0);
  if (global || adaptive) pads = pads.map(() => 0);
  if (global) ksize = sp.slice();
  const outSp: number[] = [];
  for (let i = 0; i < nd; i++) {
    if (adaptive) {
      if (!(ksize[i] > 0)) opFail(op, `the adaptive output size (attribute ksize) must be positive, but got ksize=${fmt(ksize)}`);
      outSp.push(ksize[i]);
    } else if (sp[i] < 0) outSp.push(-1);
    else outSp.push(poolOutputSize(sp[i], ksize[i], pads[2 * i], pads[2 * i + 1], strides[i], !!attrs.ceil_mode, op));
  }
  const outDims = channelLast ? [x.dims[0], ...outSp, x.dims[r - 1]] : [x.dims[0], x.dims[1], ...outSp];
  const lift = (v: number[], fill: number): number[] => (nd === 2 ? [fill, ...v] : v);
  return {
    nd,
    channelLast,
    n: x.dims[0],
    c: channelLast ? x.dims[r - 1] : x.dims[1],
    inSp: lift(sp, 1),
    outSp: lift(outSp, 1),
    outDims,
    ksize: lift(ksize, 1),
    strides: lift(strides, 1),
    padBefore: lift(pads.filter((_, i) => i % 2 === 0), 0),
    padAfter: lift(pads.filter((_, i) => i % 2 === 1), 0),
    adaptive,
  };
}

/**
 * The windows of one spatial dim. Adaptive bins are floor(i*in/out) .. ceil((i+1)*in/out);
 * otherwise start = i*stride - pad_before, clipped to the input, with `full` the length up
 * to in + pad_before (what non-exclusive averaging divides by, as Paddle's kernel).
 * `withIndex` uses max_pool*_with_index's clipping (end at min(start + k, in)).
 */
export function dimWindows(inSize: number, outSize: number, k: number, s: number, pad: number, adaptive: boolean): DimWindows {
  const start = new Int32Array(outSize);
  const end = new Int32Array(outSize);
  const full = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    if (adaptive) {
      start[o] = Math.floor((o * inSize) / outSize);
      end[o] = Math.ceil(((o + 1) * inSize) / outSize);
      full[o] = end[o] - start[o];
    } else {
      const s0 = o * s - pad;
      const e0 = Math.min(s0 + k, inSize + pad);
      full[o] = e0 - s0;
      start[o] = Math.max(s0, 0);
      end[o] = Math.min(e0, inSize);
    }
  }
  return { start, end, full };
}

const poolAttrs = (nd: 2 | 3) => ({
  pooling_type: str(),
  ksize: ints(),
  global_pooling: bool(false),
  strides: ints(nd === 2 ? [1, 1] : [1, 1, 1]),
  paddings: ints(nd === 2 ? [0, 0] : [0, 0, 0]),
  exclusive: bool(true),
  adaptive: bool(false),
  use_cudnn: bool(false),
  ceil_mode: bool(false),
  use_mkldnn: bool(false),
  ...(nd === 2 ? { use_quantizer: bool(false), mkldnn_data_type: str('float32') } : {}),
  data_format: str(nd === 2 ? 'NCHW' : 'NCDHW'),
  ...(nd === 2 ? { is_test: bool(false) } : {}),
  padding_algorithm: str('EXPLICIT'),
});

function checkFloat(m: Meta, op: string, what = 'X'): void {
  if (!(FLOATS as readonly string[]).includes(m.dtype)) opFail(op, `input ${what} must be float16, float32 or float64, but got ${m.dtype}`);
}

/**
 * The second derivative of max pooling (the gradient of pool*_grad with respect to
 * Out@GRAD): the incoming ddX read at each window's argmax. It goes through
 * max_pool*_with_index (whose Mask is the first argmax, as pool*_grad routes) and
 * index_sample, so it covers NCHW/NHWC and adaptive pooling but not windows that
 * max_pool*_with_index cannot express (asymmetric padding, ceil_mode growing the output).
 */
function maxPoolDoubleGrad(type: string, ctx: GradContext): Tensor {
  const x = ctx.input('X');
  const dd = ctx.outGrad('X@GRAD');
  const g = poolGeom(x, ctx.attrs, type);
  const nd = g.nd;
  const pads = g.padBefore.slice(3 - nd);
  const after = g.padAfter.slice(3 - nd);
  const ks = g.adaptive ? g.outSp.slice(3 - nd) : g.ksize.slice(3 - nd);
  const st = g.strides.slice(3 - nd);
  const inSp = g.inSp.slice(3 - nd);
  const outSp = g.outSp.slice(3 - nd);
  for (let i = 0; i < nd; i++) {
    const same = g.adaptive || (pads[i] === after[i] && Math.trunc((inSp[i] - ks[i] + 2 * pads[i]) / st[i]) + 1 === outSp[i]);
    if (!same)
      opFail(type, 'the second derivative of max pooling is not supported with asymmetric padding or a ceil_mode that enlarges the output');
  }
  const perm = nd === 2 ? [0, 3, 1, 2] : [0, 4, 1, 2, 3];
  const back = nd === 2 ? [0, 2, 3, 1] : [0, 2, 3, 4, 1];
  const ddc = g.channelLast ? c.transpose(dd, perm) : dd;
  const xc = g.channelLast ? c.transpose(x, perm) : x;
  const wi = c.dispatch(`max_pool${nd}d_with_index`, { X: [xc] }, { ksize: ks, strides: st, paddings: pads, adaptive: g.adaptive, global_pooling: false });
  const mask = wi.Mask[0];
  const nc = g.n * g.c;
  const plane = inSp.reduce((a, b) => a * b, 1);
  const oplane = outSp.reduce((a, b) => a * b, 1);
  const picked = c.run1('index_sample', { X: [c.reshape(ddc, [nc, plane])], Index: [c.reshape(mask, [nc, oplane])] });
  const res = c.reshape(picked, mask.dims.slice());
  return g.channelLast ? c.transpose(res, back) : res;
}

for (const nd of [2, 3] as const) {
  const type = `pool${nd}d`;
  const gradType = `${type}_grad`;
  const attrs = poolAttrs(nd);
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out'],
    attrs,
    infer(ins, a) {
      const x = one(ins, 'X', type);
      checkFloat(x, type);
      return out(poolGeom(x, a, type).outDims, x.dtype);
    },
    grad(ctx) {
      if (!ctx.needs('X')) return {};
      const ins = { X: [ctx.input('X')], Out: [ctx.output('Out')], 'Out@GRAD': [ctx.outGrad('Out')] };
      return { X: [c.run1(gradType, ins, { ...ctx.attrs }, 'X@GRAD')] };
    },
  });
  // pool*_grad: X@GRAD from X, Out and Out@GRAD; max routes each gradient to the first
  // position in its window holding the max, avg spreads it over the counted window.
  defineOp({
    type: gradType,
    inputs: ['X!', 'Out!', 'Out@GRAD'],
    outputs: ['X@GRAD'],
    attrs,
    infer(ins, a) {
      const x = one(ins, 'X', gradType);
      const g = one(ins, 'Out@GRAD', gradType);
      checkFloat(g, gradType, 'Out@GRAD');
      poolGeom(x, a, gradType);
      return out(x.dims.slice(), g.dtype, 'X@GRAD');
    },
    grad(ctx) {
      if (!ctx.needs('Out@GRAD')) return {};
      const dd = ctx.outGrad('X@GRAD');
      if (ctx.attrs.pooling_type === 'avg') return { 'Out@GRAD': [c.run1(type, { X: [dd] }, { ...ctx.attrs })] };
      return { 'Out@GRAD': [maxPoolDoubleGrad(gradType, ctx)] };
    },
  });
}

// ---- max_pool2d_with_index / max_pool3d_with_index ------------------------------------------

/** Output dims of max_pool*_with_index (symmetric paddings, floor division, no ceil_mode). */
export function withIndexGeom(x: Meta, attrs: Attrs, op: string): PoolGeom {
  const r = x.dims.length;
  if (r !== 4 && r !== 5) opFail(op, `input X must be a 4-D or 5-D tensor, but got shape ${showShape(x.dims)}`);
  const nd = r - 2;
  let ksize: number[] = (attrs.ksize as number[]).slice();
  let paddings: number[] = (attrs.paddings as number[]).slice();
  const strides: number[] = (attrs.strides as number[]).slice();
  const sp = x.dims.slice(2);
  if (attrs.global_pooling) {
    ksize = sp.slice();
    paddings = paddings.map(() => 0);
  }
  if (ksize.length !== nd)
    opFail(op, `attribute ksize must have ${nd} elements for a ${r}-D input, but got ksize=${fmt(ksize)} for X of shape ${showShape(x.dims)}`);
  if (strides.length !== nd) opFail(op, `attributes ksize and strides must have the same length, but got ksize=${fmt(ksize)} and strides=${fmt(strides)}`);
  if (paddings.length !== nd)
    opFail(op, `attribute paddings must have one (symmetric) padding per pooled dim (${nd}), but got paddings=${fmt(paddings)}; max pooling with return_mask supports no asymmetric padding`);
  const adaptive = !!attrs.adaptive;
  const outSp: number[] = [];
  for (let i = 0; i < nd; i++) {
    if (!(ksize[i] > 0)) opFail(op, `attribute ksize must be positive, but got ksize=${fmt(ksize)}`);
    if (!(strides[i] > 0)) opFail(op, `attribute strides must be positive, but got strides=${fmt(strides)}`);
    if (paddings[i] < 0) opFail(op, `attribute paddings must not be negative, but got paddings=${fmt(paddings)}`);
    if (adaptive) outSp.push(ksize[i]);
    else if (sp[i] < 0) outSp.push(-1);
    else {
      const o = Math.trunc((sp[i] - ksize[i] + 2 * paddings[i]) / strides[i]) + 1;
      if (o <= 0)
        opFail(op, `the output size must be greater than 0, but got ${o} from input size ${sp[i]}, padding ${paddings[i]}, kernel size ${ksize[i]} and stride ${strides[i]}`);
      outSp.push(o);
    }
  }
  const lift = (v: number[], fill: number): number[] => (nd === 2 ? [fill, ...v] : v);
  return {
    nd,
    channelLast: false,
    n: x.dims[0],
    c: x.dims[1],
    inSp: lift(sp, 1),
    outSp: lift(outSp, 1),
    outDims: [x.dims[0], x.dims[1], ...outSp],
    ksize: lift(ksize, 1),
    strides: lift(strides, 1),
    padBefore: lift(adaptive ? paddings.map(() => 0) : paddings, 0),
    padAfter: lift(adaptive ? paddings.map(() => 0) : paddings, 0),
    adaptive,
  };
}

for (const nd of [2, 3] as const) {
  const type = `max_pool${nd}d_with_index`;
  const gradType = `${type}_grad`;
  const attrs = {
    ksize: ints(),
    global_pooling: bool(false),
    adaptive: bool(false),
    strides: ints(nd === 2 ? [1, 1] : [1, 1, 1]),
    paddings: ints(nd === 2 ? [0, 0] : [0, 0, 0]),
  };
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out', 'Mask'],
    attrs,
    noGradOutputs: ['Mask'],
    infer(ins, a) {
      const x = one(ins, 'X', type);
      checkFloat(x, type);
      const g = withIndexGeom(x, a, type);
      return { Out: [meta(g.outDims, x.dtype)], Mask: [meta(g.outDims.slice(), 'int32')] };
    },
    grad(ctx) {
      if (!ctx.needs('X')) return {};
      const ins = { X: [ctx.input('X')], Mask: [ctx.output('Mask')], 'Out@GRAD': [ctx.outGrad('Out')] };
      return { X: [c.run1(gradType, ins, { ...ctx.attrs }, 'X@GRAD')] };
    },
  });
  // X@GRAD: each Out@GRAD element added at its Mask position in the input plane. Its own
  // gradient reads the incoming gradient at the Mask positions (index_sample per plane).
  defineOp({
    type: gradType,
    inputs: ['X!', 'Mask!', 'Out@GRAD'],
    outputs: ['X@GRAD'],
    attrs,
    infer(ins, a) {
      const x = one(ins, 'X', gradType);
      const m = one(ins, 'Mask', gradType);
      const g = one(ins, 'Out@GRAD', gradType);
      checkFloat(g, gradType, 'Out@GRAD');
      if (m.dtype !== 'int32' && m.dtype !== 'int64') opFail(gradType, `input Mask must be an int32 tensor, but got ${m.dtype}`);
      withIndexGeom(x, a, gradType);
      return out(x.dims.slice(), g.dtype, 'X@GRAD');
    },
    grad(ctx) {
      if (!ctx.needs('Out@GRAD')) return {};
      const x = ctx.input('X');
      const mask = ctx.input('Mask');
      const nc = x.dims[0] * x.dims[1];
      const plane = x.dims.slice(2).reduce((p, q) => p * q, 1);
      const oplane = mask.dims.slice(2).reduce((p, q) => p * q, 1);
      const picked = c.run1('index_sample', { X: [c.reshape(ctx.outGrad('X@GRAD'), [nc, plane])], Index: [c.reshape(mask, [nc, oplane])] });
      return { 'Out@GRAD': [c.reshape(picked, mask.dims.slice())] };
    },
  });
}
