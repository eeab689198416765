// Convolutions, as Paddle 2.0's paddle/fluid/operators/conv_op.cc and conv_transpose_op.cc:
// conv2d, depthwise_conv2d, conv3d (Input, Filter [, Bias, ResidualData] -> Output) and
// conv2d_transpose, depthwise_conv2d_transpose, conv3d_transpose (Input, Filter [, Bias] ->
// Output), with their *_grad operators (Input, Filter, Output@GRAD -> Input@GRAD, Filter@GRAD),
// which have their own kernels. The gradient rules of the *_grad operators (double grad) are
// written with the forward and *_grad operators: the convolution is bilinear in (Input, Filter).
import type { Attrs, GradContext, GradResult, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, float, floats, int, ints, meta, one, opFail, str } from './util.js';

const known = (d: number): boolean => d >= 0;

/**
 * Resolved geometry of a convolution, seen as the forward convolution: for the transposed
 * operators the forward convolution maps the op's Output (`inSp`) to its Input (`outSp`).
 */
export interface ConvGeom {
  channelLast: boolean;
  /** Number of spatial dims (2 or 3). */
  nsp: number;
  /** Spatial sizes on the convolution's input side (transposed ops: their Output). */
  inSp: number[];
  /** Spatial sizes on the convolution's output side (transposed ops: their Input). */
  outSp: number[];
  ksize: number[];
  strides: number[];
  /** [before0, after0, before1, after1, ...]; null entries when SAME meets an unknown dim. */
  pads: number[];
  dils: number[];
  groups: number;
}

/** Whether a data_format string means channels last; fails on unknown strings. */
function channelLastOf(op: string, fmt: unknown): boolean {
  if (fmt === 'NHWC' || fmt === 'NDHWC' || fmt === 'NLC') return true;
  if (fmt === 'NCHW' || fmt === 'NCDHW' || fmt === 'NCL' || fmt === 'AnyLayout' || fmt === 'ANYLAYOUT') return false;
  return opFail(op, `attribute data_format must be 'NCHW', 'NHWC', 'NCDHW', 'NDHWC' or 'AnyLayout', but got '${String(fmt)}'`);
}

function intList(op: string, attrs: Attrs, name: string, n: number, min: number): number[] {
  const v = attrs[name] as number[];
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => Number.isInteger(x)))
    opFail(op, `attribute ${name} must be a list of ${n} integers (one per spatial dim), but got ${JSON.stringify(v)}`);
  if (v.some((x) => x < min)) opFail(op, `attribute ${name} must hold integers >= ${min}, but got ${JSON.stringify(v)}`);
  return v.slice();
}

/**
 * Paddle's UpdatePaddingAndDilation: paddings of length nsp are symmetric, 2*nsp are
 * [before, after] pairs; SAME pads to ceil(in/stride) outputs (splitting the odd pixel
 * after) and resets dilation to 1; VALID pads nothing.
 */
function resolvePadding(op: string, attrs: Attrs, dataSp: number[], ksize: number[], strides: number[], dils: number[]): number[] {
  const nsp = dataSp.length;
  const raw = attrs.paddings as number[];
  if (!Array.isArray(raw) || !raw.every((x) => Number.isInteger(x)))
    opFail(op, `attribute paddings must be a list of integers, but got ${JSON.stringify(raw)}`);
  let pads: number[];
  if (raw.length === nsp) pads = raw.flatMap((p) => [p, p]);
  else if (raw.length === 2 * nsp) pads = raw.slice();
  else
    return opFail(op, `attribute paddings must have ${nsp} or ${2 * nsp} elements for a ${nsp}-D convolution (the same or twice the number of spatial dims), but got ${JSON.stringify(raw)}`);
  const algo = attrs.padding_algorithm ?? 'EXPLICIT';
  if (algo === 'SAME') {
    for (let i = 0; i < nsp; i++) {
      dils[i] = 1;
      if (!known(dataSp[i])) {
        pads[2 * i] = pads[2 * i + 1] = -1;
        continue;
      }
      const o = Math.ceil(dataSp[i] / strides[i]);
      const sum = Math.max((o - 1) * strides[i] + ksize[i] - dataSp[i], 0);
      pads[2 * i] = Math.floor(sum / 2);
      pads[2 * i + 1] = sum - Math.floor(sum / 2);
    }
  } else if (algo === 'VALID') pads.fill(0);
  else if (algo !== 'EXPLICIT') opFail(op, `attribute padding_algorithm must be 'EXPLICIT', 'SAME' or 'VALID', but got '${String(algo)}'`);
  else if (pads.some((p) => p < 0)) opFail(op, `attribute paddings must be non-negative, but got ${JSON.stringify(raw)}`);
  return pads;
}

/** Checks shared by both kinds: ranks, dtypes, attribute lengths. */
function common(op: string, x: Meta, w: Meta, attrs: Attrs): { cl: boolean; nsp: number; strides: number[]; dils: number[]; groups: number } {
  if (x.dtype === 'float16') opFail(op, 'float16 can only be used when CUDNN is used (the CPU kernels take float32 and float64)');
  if (x.dtype !== 'float32' && x.dtype !== 'float64') opFail(op, `input Input must be a float32 or float64 tensor, but got ${x.dtype}`);
  if (w.dtype !== x.dtype) opFail(op, `input and filter data type should be consistent, but got Input ${x.dtype} and Filter ${w.dtype}`);
  const r = x.dims.length;
  if (r !== 4 && r !== 5) opFail(op, `the input should be a 4-D or 5-D Tensor, but got shape ${showShape(x.dims)}`);
  if (w.dims.length !== r)
    opFail(op, `the input's and the filter's numbers of dimensions must be equal, but got input shape ${showShape(x.dims)} and filter shape ${showShape(w.dims)}`);
  const nsp = r - 2;
  const strides = intList(op, attrs, 'strides', nsp, 1);
  const dils = intList(op, attrs, 'dilations', nsp, 1);
  const groups = attrs.groups as number;
  if (!Number.isInteger(groups) || groups < 1) opFail(op, `attribute groups must be a positive integer, but got ${String(groups)}`);
  return { cl: channelLastOf(op, attrs.data_format), nsp, strides, dils, groups };
}

/** Output shape and geometry of conv2d / depthwise_conv2d / conv3d (ConvOp::ComputeOutputShape). */
export function convShape(op: string, x: Meta, w: Meta, attrs: Attrs): { dims: number[]; geom: ConvGeom } {
  const { cl, nsp, strides, dils, groups } = common(op, x, w, attrs);
  const xd = x.dims;
  const wd = w.dims;
  const C = cl ? xd[xd.length - 1] : xd[1];
  if (known(C) && known(wd[1]) && C !== wd[1] * groups)
    opFail(op, `the number of input channels (${C}, input shape ${showShape(xd)}, data_format ${String(attrs.data_format)}) must equal the filter's channels * groups = ${wd[1]} * ${groups}, but the filter has shape ${showShape(wd)}`);
  if (known(wd[0]) && wd[0] % groups !== 0)
    opFail(op, `the number of output channels (the filter's first dim, ${wd[0]}, filter shape ${showShape(wd)}) must be divisible by groups = ${groups}`);
  const inSp = cl ? xd.slice(1, -1) : xd.slice(2);
  const ksize = wd.slice(2);
  const pads = resolvePadding(op, attrs, inSp, ksize, strides, dils);
  const outSp: number[] = [];
  for (let i = 0; i < nsp; i++) {
    if (!known(inSp[i]) || !known(ksize[i]) || !known(pads[2 * i])) {
      outSp.push(-1);
      continue;
    }
    const ext = dils[i] * (ksize[i] - 1) + 1;
    const span = inSp[i] + pads[2 * i] + pads[2 * i + 1] - ext;
    if (span < 0)
      opFail(op, `the output size must be greater than 0, but spatial dim ${i} has input size ${inSp[i]}, paddings (${pads[2 * i]}, ${pads[2 * i + 1]}), filter size ${ksize[i]}, dilation ${dils[i]}, stride ${strides[i]}: (input + paddings - (dilation * (filter - 1) + 1)) / stride + 1 = ${Math.floor(span / strides[i]) + 1}`);
    outSp.push(Math.floor(span / strides[i]) + 1);
  }
  const dims = cl ? [xd[0], ...outSp, wd[0]] : [xd[0], wd[0], ...outSp];
  return { dims, geom: { channelLast: cl, nsp, inSp, outSp, ksize, strides, pads, dils, groups } };
}

/** Output shape and geometry of the transposed convolutions (ConvTransposeOp::InferShape). */
export function convTransposeShape(op: string, x: Meta, w: Meta, attrs: Attrs): { dims: number[]; geom: ConvGeom } {
  const { cl, nsp, strides, dils, groups } = common(op, x, w, attrs);
  const xd = x.dims;
  const wd = w.dims;
  const outSize = (attrs.output_size ?? []) as number[];
  const outPad = (attrs.output_padding ?? []) as number[];
  if (!Array.isArray(outSize) || (outSize.length && outSize.length !== nsp) || !outSize.every((v) => Number.isInteger(v)))
    opFail(op, `attribute output_size must be empty or hold ${nsp} integers (one per spatial dim), but got ${JSON.stringify(outSize)}`);
  if (!Array.isArray(outPad) || (outPad.length && outPad.length !== nsp) || !outPad.every((v) => Number.isInteger(v)))
    opFail(op, `attribute output_padding must be empty or hold ${nsp} integers (one per spatial dim), but got ${JSON.stringify(outPad)}`);
  const C = cl ? xd[xd.length - 1] : xd[1];
  if (known(C) && known(wd[0]) && C !== wd[0])
    opFail(op, `the number of input channels (${C}, input shape ${showShape(xd)}, data_format ${String(attrs.data_format)}) must equal the filter's first dim, but the filter has shape ${showShape(wd)}`);
  if (known(C) && C % groups !== 0) opFail(op, `the number of input channels (${C}) must be divisible by groups = ${groups}`);
  const xSp = cl ? xd.slice(1, -1) : xd.slice(2);
  const ksize = wd.slice(2);
  const pads = resolvePadding(op, attrs, xSp, ksize, strides, dils);
  const ySp: number[] = [];
  for (let i = 0; i < nsp; i++) {
    const ext = dils[i] * (ksize[i] - 1) + 1;
    // null: unknown until run time (static mode)
    const inferred = known(xSp[i]) && known(ksize[i]) && known(pads[2 * i]) ? (xSp[i] - 1) * strides[i] - pads[2 * i] - pads[2 * i + 1] + ext : null;
    let o = inferred;
    if (outSize.length) {
      o = outSize[i];
      if (inferred !== null && !(o >= inferred && o < inferred + strides[i]))
        opFail(op, `output_size[${i}] = ${o} must be in [${inferred}, ${inferred + strides[i]}) (the sizes the transposed convolution can produce from input size ${xSp[i]} with stride ${strides[i]}), but got output_size ${JSON.stringify(outSize)}`);
    } else if (outPad.length) {
      if (outPad[i] < 0 || outPad[i] >= Math.max(strides[i], dils[i]))
        opFail(op, `output_padding[${i}] = ${outPad[i]} must be in [0, max(stride, dilation)) = [0, ${Math.max(strides[i], dils[i])})`);
      if (inferred !== null) o = inferred + outPad[i];
    }
    if (o !== null && o <= 0)
      opFail(op, `the output size must be greater than 0, but spatial dim ${i} gives ${o} from input size ${xSp[i]}, stride ${strides[i]}, paddings (${pads[2 * i]}, ${pads[2 * i + 1]}), filter size ${ksize[i]}, dilation ${dils[i]}`);
    ySp.push(o ?? -1);
  }
  const K = known(wd[1]) ? wd[1] * groups : -1;
  const dims = cl ? [xd[0], ...ySp, K] : [xd[0], K, ...ySp];
  return { dims, geom: { channelLast: cl, nsp, inSp: ySp, outSp: xSp, ksize, strides, pads, dils, groups } };
}

// ---------------------------------------------------------------------------------------
// Attributes (Paddle 2.0's makers; the cuDNN / MKL-DNN ones are accepted and ignored here).

const WORKSPACE_MB = 512;

function conv2dAttrs(nsp: 2 | 3) {
  const base = {
    is_test: bool(false),
    strides: ints(nsp === 2 ? [1, 1] : [1, 1, 1]),
    paddings: ints(nsp === 2 ? [0, 0] : [0, 0, 0]),
    padding_algorithm: str('EXPLICIT'),
    groups: int(1),
    dilations: ints(nsp === 2 ? [1, 1] : [1, 1, 1]),
    use_cudnn: bool(false),
    use_mkldnn: bool(false),
    mkldnn_data_type: str('float32'),
    fuse_relu: bool(false),
    fuse_activation: str(''),
    fuse_alpha: float(0),
    fuse_beta: float(0),
    use_addto: bool(false),
    fuse_residual_connection: bool(false),
    data_format: str(nsp === 2 ? 'NCHW' : 'NCDHW'),
    force_fp32_output: bool(false),
    workspace_size_MB: int(WORKSPACE_MB),
    exhaustive_search: bool(false),
  };
  if (nsp === 3) return base;
  return {
    ...base,
    fuse_relu_before_depthwise_conv: bool(false),
    use_quantizer: bool(false),
    fuse_brelu: bool(false),
    fuse_brelu_threshold: float(6.0),
    Scale_in: float(1.0),
    Scale_out: float(1.0),
    Scale_in_eltwise: float(1.0),
    Scale_weights: floats([1.0]),
  };
}

function convTransposeAttrs(nsp: 2 | 3) {
  const base = {
    output_padding: ints([]),
    output_size: ints([]),
    groups: int(1),
    dilations: ints(nsp === 2 ? [1, 1] : [1, 1, 1]),
    strides: ints(nsp === 2 ? [1, 1] : [1, 1, 1]),
    paddings: ints(nsp === 2 ? [0, 0] : [0, 0, 0]),
    use_cudnn: bool(false),
    use_mkldnn: bool(false),
    data_format: str('NCHW'),
    padding_algorithm: str('EXPLICIT'),
    workspace_size_MB: int(WORKSPACE_MB),
  };
  if (nsp === 3) return base;
  return { ...base, is_test: bool(false), fuse_relu: bool(false), fuse_activation: str(''), fuse_alpha: float(0), fuse_beta: float(0) };
}

// ---------------------------------------------------------------------------------------
// Gradient rules

/** Axes of a conv output other than the channel axis (to sum a bias gradient over). */
function nonChannelAxes(rank: number, channelLast: boolean): number[] {
  const ch = channelLast ? rank - 1 : 1;
  return Array.from({ length: rank }, (_, i) => i).filter((i) => i !== ch);
}

/** Runs `<type>_grad` on (Input, Filter, dOut) for the wanted gradients: [Input@GRAD, Filter@GRAD]. */
function gradOp(type: string, x: Tensor, w: Tensor, dOut: Tensor, attrs: Attrs, needX = true, needW = true): [Tensor | null, Tensor | null] {
  const only = [...(needX ? ['Input@GRAD'] : []), ...(needW ? ['Filter@GRAD'] : [])];
  const r = c.dispatch(`${type}_grad`, { Input: [x], Filter: [w], 'Output@GRAD': [dOut] }, { ...attrs }, only);
  return [r['Input@GRAD']?.[0] ?? null, r['Filter@GRAD']?.[0] ?? null];
}

/** The forward rule: Input and Filter through `<type>_grad`; Bias and ResidualData by sums. */
function forwardGrad(type: string) {
  return (ctx: GradContext): GradResult => {
    const dOut = ctx.outGrad('Output');
    const res: GradResult = {};
    const nx = ctx.needs('Input');
    const nw = ctx.needs('Filter');
    if (nx || nw) {
      const [dx, dw] = gradOp(type, ctx.input('Input'), ctx.input('Filter'), dOut, ctx.attrs, nx, nw);
      res.Input = [dx];
      res.Filter = [dw];
    }
    if (ctx.has('Bias') && ctx.needs('Bias')) {
      const b = ctx.input('Bias');
      const cl = channelLastOf(type, ctx.attrs.data_format);
      res.Bias = [c.reshape(c.sum(dOut, nonChannelAxes(dOut.dims.length, cl)), b.dims.slice())];
    }
    if (ctx.has('ResidualData') && ctx.needs('ResidualData')) res.ResidualData = [dOut];
    return res;
  };
}

/**
 * The rule of `<type>_grad` (double grad). With L = <dOut, conv(I, W)>, Input@GRAD = A(dOut, W)
 * and Filter@GRAD = B(I, dOut) are bilinear, and <ddI, A(dOut, W)> + <ddW, B(I, dOut)> =
 * <dOut, conv(ddI, W) + conv(I, ddW)>; so dOut gets conv(ddI, W) + conv(I, ddW), W gets
 * B(ddI, dOut) and I gets A(dOut, ddW). The same holds for the transposed convolutions.
 */
function doubleGrad(type: string) {
  return (ctx: GradContext): GradResult => {
    const x = ctx.input('Input');
    const w = ctx.input('Filter');
    const dOut = ctx.input('Output@GRAD');
    const ddx = ctx.outGrad('Input@GRAD');
    const ddw = ctx.outGrad('Filter@GRAD');
    const attrs = ctx.attrs;
    const fwd = (a: Tensor, b: Tensor): Tensor => c.run1(type, { Input: [a], Filter: [b] }, { ...attrs }, 'Output');
    const res: GradResult = {};
    if (ctx.needs('Output@GRAD')) res['Output@GRAD'] = [c.add(fwd(ddx, w), fwd(x, ddw))];
    if (ctx.needs('Filter')) res.Filter = [gradOp(type, ddx, w, dOut, attrs, false, true)[1]];
    if (ctx.needs('Input')) res.Input = [gradOp(type, x, ddw, dOut, attrs, true, false)[0]];
    return res;
  };
}

function gradInfer(type: string, shape: typeof convShape) {
  const op = `${type}_grad`;
  return (ins: Slots<Meta>, attrs: Attrs): Slots<Meta> => {
    const x = one(ins, 'Input', op);
    const w = one(ins, 'Filter', op);
    const d = one(ins, 'Output@GRAD', op);
    const { dims } = shape(op, x, w, attrs);
    if (d.dims.length !== dims.length || d.dims.some((v, i) => known(v) && known(dims[i]) && v !== dims[i]))
      opFail(op, `Output@GRAD has shape ${showShape(d.dims)}, but the operator's output has shape ${showShape(dims)}`);
    if (d.dtype !== x.dtype) opFail(op, `Output@GRAD must have Input's dtype ${x.dtype}, but got ${d.dtype}`);
    return { 'Input@GRAD': [meta(x.dims.slice(), x.dtype)], 'Filter@GRAD': [meta(w.dims.slice(), w.dtype)] };
  };
}

// ---------------------------------------------------------------------------------------
// Operators

function defineConv(type: string, nsp: 2 | 3, transposed: boolean): void {
  const shape = transposed ? convTransposeShape : convShape;
  const inputs = transposed ? (nsp === 2 ? ['Input', 'Filter', 'Bias?'] : ['Input', 'Filter']) : nsp === 2 ? ['Input', 'Filter', 'Bias?', 'ResidualData?'] : ['Input', 'Filter', 'ResidualData?'];
  const attrs = transposed ? convTransposeAttrs(nsp) : conv2dAttrs(nsp);
  defineOp({
    type,
    inputs,
    outputs: ['Output'],
    attrs,
    infer(ins, a) {
      const x = one(ins, 'Input', type);
      const w = one(ins, 'Filter', type);
      const { dims, geom } = shape(type, x, w, a);
      const K = dims[geom.channelLast ? dims.length - 1 : 1];
      const b = ins.Bias?.[0];
      if (b) {
        const n = b.dims.reduce((p, v) => p * v, 1);
        if (b.dtype !== x.dtype) opFail(type, `Bias must have Input's dtype ${x.dtype}, but got ${b.dtype}`);
        if (known(n) && known(K) && n !== K) opFail(type, `Bias must hold one value per output channel (${K}), but has shape ${showShape(b.dims)}`);
      }
      const r = ins.ResidualData?.[0];
      if (r && (r.dims.length !== dims.length || r.dims.some((v, i) => known(v) && known(dims[i]) && v !== dims[i])))
        opFail(type, `ResidualData must have the output's shape ${showShape(dims)}, but has shape ${showShape(r.dims)}`);
      return { Output: [meta(dims, x.dtype)] };
    },
    grad: forwardGrad(type),
  });
  defineOp({
    type: `${type}_grad`,
    inputs: ['Input', 'Filter', 'Output@GRAD'],
    outputs: ['Input@GRAD?', 'Filter@GRAD?'],
    attrs,
    infer: gradInfer(type, shape),
    grad: doubleGrad(type),
  });
}

defineConv('conv2d', 2, false);
defineConv('depthwise_conv2d', 2, false);
defineConv('conv3d', 3, false);
defineConv('conv2d_transpose', 2, true);
defineConv('depthwise_conv2d_transpose', 2, true);
defineConv('conv3d_transpose', 3, true);
