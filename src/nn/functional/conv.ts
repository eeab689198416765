// paddle.nn.functional convolutions, as in python/paddle/nn/functional/conv.py (2.0): conv1d,
// conv2d, conv3d and their transposes. They append conv2d / depthwise_conv2d / conv3d /
// conv2d_transpose / depthwise_conv2d_transpose / conv3d_transpose, then elementwise_add of the
// bias on the channel axis; the 1-D ones unsqueeze to 2-D (a width of 1) and squeeze back.
import { defineApi, p, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { badArg, describe, fail } from '../../core/errors.js';
import { run1 } from '../../core/dispatch.js';
import { showShape } from '../../core/shape.js';
import type { Tensor } from '../../core/tensor.js';

const nameP = p('name', T.nullable(T.str), null);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** A padding argument: an int, a list of ints, a list of [before, after] pairs, or a string. */
export type PaddingArg = number | string | number[] | number[][];
export const paddingTy: Ty<PaddingArg> = {
  desc: "an int, a list of ints or of [before, after] pairs, or 'SAME'/'VALID'",
  parse(v, api, arg) {
    if (isInt(v) || typeof v === 'string') return v;
    if (Array.isArray(v) && (v.every(isInt) || v.every((e) => Array.isArray(e) && e.length === 2 && e.every(isInt))))
      return (v as (number | number[])[]).map((e) => (Array.isArray(e) ? e.slice() : e)) as number[] | number[][];
    return badArg(api, arg, "an int, a list of ints or of [before, after] pairs, or 'SAME'/'VALID'", v);
  },
};
/** An int or a list of ints, kept as given (Paddle tests `output_padding == 0`). */
export const intOrListTy: Ty<number | number[]> = {
  desc: 'an integer or a list of integers',
  parse: (v, api, arg) => (isInt(v) ? v : Array.isArray(v) && v.every(isInt) ? (v as number[]).slice() : badArg(api, arg, 'an integer or a list of integers', v)),
};

/** Paddle's utils.convert_to_list: an int repeated n times, or a list of n ints. */
export function convertToList(api: string, v: number | number[], n: number, name: string): number[] {
  if (isInt(v)) return new Array<number>(n).fill(v);
  if (!Array.isArray(v) || v.length !== n || !v.every(isInt))
    return fail(api, `argument '${name}' must be an integer or a list of ${n} integers, but got ${describe(v)}`);
  return v.slice();
}

/**
 * Paddle's _update_padding_nd: the op's paddings (nsp symmetric values, or 2*nsp [before,
 * after] values) and padding_algorithm ('EXPLICIT', 'SAME' or 'VALID').
 */
export function updatePaddingNd(api: string, padding: PaddingArg, channelLast: boolean, nsp: number): [number[], string] {
  const symmetric = (pads: number[]): boolean => pads.every((_, i) => i % 2 === 1 || pads[i] === pads[i + 1]);
  if (typeof padding === 'string') {
    const s = padding.toUpperCase();
    if (s !== 'SAME' && s !== 'VALID') return fail(api, `Unknown padding: '${padding}'. It can only be 'SAME' or 'VALID'.`);
    return [new Array<number>(nsp).fill(0), s];
  }
  if (Array.isArray(padding)) {
    if (padding.length === nsp + 2 && Array.isArray(padding[0])) {
      const pairs = padding as number[][];
      const zero = (e: number[]): boolean => e[0] === 0 && e[1] === 0;
      const ok = channelLast ? zero(pairs[0]) && zero(pairs[pairs.length - 1]) : zero(pairs[0]) && zero(pairs[1]);
      if (!ok) return fail(api, `Non-zero padding(${JSON.stringify(padding)}) in the batch or channel dimensions is not supported.`);
      const flat = (channelLast ? pairs.slice(1, -1) : pairs.slice(2)).flat();
      return [symmetric(flat) ? flat.filter((_, i) => i % 2 === 0) : flat, 'EXPLICIT'];
    }
    if (padding.length === 2 * nsp && isInt(padding[0])) {
      const flat = padding as number[];
      return [symmetric(flat) ? flat.filter((_, i) => i % 2 === 0) : flat.slice(), 'EXPLICIT'];
    }
    if (padding.length === nsp && isInt(padding[0])) return [(padding as number[]).slice(), 'EXPLICIT'];
    return fail(
      api,
      `argument 'padding' must be an int, a list of ${nsp} or ${2 * nsp} ints, a list of ${nsp + 2} [before, after] pairs (including the batch and channel dims) or 'SAME'/'VALID', but got ${JSON.stringify(padding)}`,
    );
  }
  return [new Array<number>(nsp).fill(padding), 'EXPLICIT'];
}

/** The input's channel count, checked against groups and (for convolutions) the weight. */
function checkChannels(api: string, x: Tensor, weight: Tensor, groups: number, channelLast: boolean, rank: number, transposed: boolean): number {
  if (x.dims.length !== rank)
    fail(api, `x must be a ${rank}-D Tensor, but got shape ${showShape(x.dims)}`);
  if (weight.dims.length !== rank)
    fail(api, `weight must be a ${rank}-D Tensor ([${transposed ? 'in_channels, out_channels/groups' : 'out_channels, in_channels/groups'}, kernel...]), but got shape ${showShape(weight.dims)}`);
  if (groups < 1) fail(api, `argument 'groups' must be a positive integer, but got ${groups}`);
  const C = x.dims[channelLast ? rank - 1 : 1];
  if (C < 0) fail(api, `The channel dimension of the input(${showShape(x.dims)}) should be defined. Received: ${C}.`);
  if (C % groups !== 0)
    fail(api, `the channel of input must be divisible by groups, received: the channel of input is ${C}, the shape of input is ${showShape(x.dims)}, the groups is ${groups}`);
  if (!transposed) {
    const K = weight.dims[0];
    if (K >= 0 && K % groups !== 0)
      fail(api, `the number of filters must be divisible by groups, received: the number of filters is ${K}, the shape of weight is ${showShape(weight.dims)}, the groups is ${groups}`);
    if (weight.dims[1] >= 0 && weight.dims[1] * groups !== C)
      fail(api, `the input has ${C} channels (in_channels, shape ${showShape(x.dims)}) but the weight of shape ${showShape(weight.dims)} with groups=${groups} expects weight.shape[1] * groups = ${weight.dims[1] * groups}`);
  } else if (weight.dims[0] >= 0 && weight.dims[0] !== C) {
    fail(api, `the input has ${C} channels (in_channels, shape ${showShape(x.dims)}) but the transposed weight of shape ${showShape(weight.dims)} expects weight.shape[0] = ${weight.dims[0]} channels`);
  }
  return C;
}

function checkFormat(api: string, fmt: string, allowed: [string, string]): boolean {
  if (fmt !== allowed[0] && fmt !== allowed[1])
    fail(api, `Attr(data_format) should be '${allowed[0]}' or '${allowed[1]}'. Received Attr(data_format): ${fmt}.`);
  return fmt === allowed[1];
}

const addBias = (out: Tensor, bias: Tensor | null, channelDim: number): Tensor =>
  bias ? run1('elementwise_add', { X: [out], Y: [bias] }, { axis: channelDim }) : out;
const unsqueeze = (x: Tensor, axis: number): Tensor => run1('unsqueeze2', { X: [x] }, { axes: [axis] });
const squeeze = (x: Tensor, axis: number): Tensor => run1('squeeze2', { X: [x] }, { axes: [axis] });

/** Runs one convolution op (Paddle's _conv_nd) and adds the bias on the channel axis. */
export function convNd(
  x: Tensor, weight: Tensor, bias: Tensor | null, stride: number[], padding: number[], paddingAlgorithm: string,
  dilation: number[], groups: number, dataFormat: string, channelDim: number, opType: string,
): Tensor {
  const attrs = {
    strides: stride, paddings: padding, dilations: dilation, groups, use_cudnn: false, use_mkldnn: false,
    fuse_relu_before_depthwise_conv: false, padding_algorithm: paddingAlgorithm, data_format: dataFormat,
  };
  if (opType === 'conv3d') delete (attrs as Partial<typeof attrs>).fuse_relu_before_depthwise_conv;
  const pre = run1(opType, { Input: [x], Filter: [weight] }, attrs, 'Output');
  return addBias(pre, bias, channelDim);
}

/** conv2d's op type: depthwise_conv2d when each group has one input channel (and C > 1). */
export function conv2dOpType(C: number, K: number, groups: number): string {
  return C === groups && C !== 1 && K % C === 0 ? 'depthwise_conv2d' : 'conv2d';
}

const convParams = (fmt: string) =>
  [
    p('x', T.tensor),
    p('weight', T.tensor),
    p('bias', T.nullable(T.tensor), null),
    p('stride', intOrListTy, 1),
    p('padding', paddingTy, 0),
    p('dilation', intOrListTy, 1),
    p('groups', T.int, 1),
    p('data_format', T.str, fmt),
    nameP,
  ] as const;

/**
 * 1-D convolution of x [N, C, L] ('NCL') or [N, L, C] ('NLC') with weight [out_channels,
 * in_channels/groups, k]; runs as a 2-D convolution over [N, C, L, 1].
 * @param x the input (float32/float64)
 * @param weight the filter [out_channels, in_channels/groups, kernel_size]
 * @param bias optional bias [out_channels]
 * @param stride int or [s]
 * @param padding int, [p], [before, after], 3 [before, after] pairs, or 'same'/'valid'
 * @param dilation int or [d]
 * @param groups number of channel groups
 * @param data_format 'NCL' or 'NLC'
 * @example F.conv1d(paddle.ones([1, 2, 5]), paddle.ones([3, 2, 3]), { padding: 1 }) // shape [1, 3, 5]
 */
export const conv1d = defineApi('paddle.nn.functional.conv1d', convParams('NCL'), (a): Tensor => {
  const api = 'paddle.nn.functional.conv1d';
  const cl = checkFormat(api, a.data_format, ['NCL', 'NLC']);
  const channelDim = cl ? -1 : 1;
  const C = checkChannels(api, a.x, a.weight, a.groups, cl, 3, false);
  let [padding, algo] = updatePaddingNd(api, a.padding, cl, 1);
  if (padding.length === 2) padding = [...padding, 0, 0];
  else if (padding.length === 1) padding = [...padding, 0];
  const stride = [...convertToList(api, a.stride, 1, 'stride'), 1];
  const dilation = [...convertToList(api, a.dilation, 1, 'dilation'), 1];
  const opType = conv2dOpType(C, a.weight.dims[0], a.groups);
  const axis = cl ? -2 : -1;
  const x = unsqueeze(a.x, axis);
  const w = unsqueeze(a.weight, -1);
  const out = convNd(x, w, a.bias, stride, padding, algo, dilation, a.groups, cl ? 'NHWC' : 'NCHW', channelDim, opType);
  return squeeze(out, axis);
});

/**
 * 2-D convolution of x [N, C, H, W] ('NCHW') or [N, H, W, C] ('NHWC') with weight
 * [out_channels, in_channels/groups, kh, kw], plus bias [out_channels] when given.
 * Output size per dim: (in + pad_before + pad_after - (dilation*(k-1)+1)) / stride + 1.
 * @param x the input (float32/float64)
 * @param weight the filter [out_channels, in_channels/groups, kh, kw]
 * @param bias optional bias [out_channels]
 * @param stride int or [sh, sw]
 * @param padding int, [ph, pw], [top, bottom, left, right], 4 [before, after] pairs, or 'same'/'valid'
 * @param dilation int or [dh, dw]
 * @param groups number of channel groups (depthwise when groups == in_channels)
 * @param data_format 'NCHW' or 'NHWC'
 * @example F.conv2d(paddle.ones([1, 3, 8, 8]), paddle.ones([6, 3, 3, 3]), { padding: 1 }) // shape [1, 6, 8, 8]
 */
export const conv2d = defineApi('paddle.nn.functional.conv2d', convParams('NCHW'), (a): Tensor => {
  const api = 'paddle.nn.functional.conv2d';
  const cl = checkFormat(api, a.data_format, ['NCHW', 'NHWC']);
  const C = checkChannels(api, a.x, a.weight, a.groups, cl, 4, false);
  const [padding, algo] = updatePaddingNd(api, a.padding, cl, 2);
  const stride = convertToList(api, a.stride, 2, 'stride');
  const dilation = convertToList(api, a.dilation, 2, 'dilation');
  const opType = conv2dOpType(C, a.weight.dims[0], a.groups);
  return convNd(a.x, a.weight, a.bias, stride, padding, algo, dilation, a.groups, a.data_format, cl ? -1 : 1, opType);
});

/**
 * 3-D convolution of x [N, C, D, H, W] ('NCDHW') or [N, D, H, W, C] ('NDHWC') with weight
 * [out_channels, in_channels/groups, kd, kh, kw], plus bias [out_channels] when given.
 * @param x the input (float32/float64)
 * @param weight the filter [out_channels, in_channels/groups, kd, kh, kw]
 * @param bias optional bias [out_channels]
 * @param stride int or [sd, sh, sw]
 * @param padding int, 3 or 6 ints, 5 [before, after] pairs, or 'same'/'valid'
 * @param dilation int or [dd, dh, dw]
 * @param groups number of channel groups
 * @param data_format 'NCDHW' or 'NDHWC'
 * @example F.conv3d(paddle.ones([1, 2, 4, 4, 4]), paddle.ones([3, 2, 3, 3, 3])) // shape [1, 3, 2, 2, 2]
 */
export const conv3d = defineApi('paddle.nn.functional.conv3d', convParams('NCDHW'), (a): Tensor => {
  const api = 'paddle.nn.functional.conv3d';
  const cl = checkFormat(api, a.data_format, ['NCDHW', 'NDHWC']);
  checkChannels(api, a.x, a.weight, a.groups, cl, 5, false);
  const [padding, algo] = updatePaddingNd(api, a.padding, cl, 3);
  const stride = convertToList(api, a.stride, 3, 'stride');
  const dilation = convertToList(api, a.dilation, 3, 'dilation');
  return convNd(a.x, a.weight, a.bias, stride, padding, algo, dilation, a.groups, a.data_format, cl ? -1 : 1, 'conv3d');
});

/** output_size / output_padding attributes of a transposed convolution (Paddle's checks). */
function outputAttrs(api: string, outputSize: number | number[] | null, outputPadding: number | number[], n: number): [number[], number[]] {
  let size: number[] = [];
  if (outputSize !== null) {
    if (outputPadding !== 0) fail(api, 'output_padding option is mutually exclusive with output_size');
    size = convertToList(api, outputSize, n, 'output_size');
  }
  const pad = outputPadding === 0 ? [] : convertToList(api, outputPadding, n, 'output_padding');
  return [size, pad];
}

function transposeOp(
  x: Tensor, weight: Tensor, opType: string, attrs: {
    output_padding: number[]; output_size: number[]; strides: number[]; paddings: number[]; padding_algorithm: string;
    dilations: number[]; groups: number; data_format: string;
  },
): Tensor {
  return run1(opType, { Input: [x], Filter: [weight] }, { ...attrs, use_cudnn: false }, 'Output');
}

const conv1dTParams = [
  p('x', T.tensor), p('weight', T.tensor), p('bias', T.nullable(T.tensor), null), p('stride', intOrListTy, 1), p('padding', paddingTy, 0),
  p('output_padding', intOrListTy, 0), p('groups', T.int, 1), p('dilation', intOrListTy, 1), p('output_size', T.nullable(intOrListTy), null),
  p('data_format', T.str, 'NCL'), nameP,
] as const;
const conv2dTParams = [
  p('x', T.tensor), p('weight', T.tensor), p('bias', T.nullable(T.tensor), null), p('stride', intOrListTy, 1), p('padding', paddingTy, 0),
  p('output_padding', intOrListTy, 0), p('dilation', intOrListTy, 1), p('groups', T.int, 1), p('output_size', T.nullable(intOrListTy), null),
  p('data_format', T.str, 'NCHW'), nameP,
] as const;
const conv3dTParams = [
  p('x', T.tensor), p('weight', T.tensor), p('bias', T.nullable(T.tensor), null), p('stride', intOrListTy, 1), p('padding', paddingTy, 0),
  p('output_padding', intOrListTy, 0), p('groups', T.int, 1), p('dilation', intOrListTy, 1), p('output_size', T.nullable(intOrListTy), null),
  p('data_format', T.str, 'NCDHW'), nameP,
] as const;

/**
 * 1-D transposed convolution of x [N, C, L] ('NCL') or [N, L, C] ('NLC') with weight
 * [in_channels, out_channels/groups, k]; runs as a 2-D one over [N, C, L, 1]. Output length:
 * (L - 1) * stride - pad_before - pad_after + dilation*(k-1) + 1 (+ output_padding), or
 * `output_size` when given. Note the order (..., output_padding, groups, dilation, ...).
 * @param x the input (float32/float64)
 * @param weight the filter [in_channels, out_channels/groups, kernel_size]
 * @param bias optional bias [out_channels]
 * @param stride int or [s]
 * @param padding int, [p], [before, after], pairs or 'same'/'valid'
 * @param output_padding extra size added to one side of the output (< stride)
 * @param groups number of channel groups
 * @param dilation int or [d]
 * @param output_size the output length (exclusive with output_padding)
 * @param data_format 'NCL' or 'NLC'
 * @example F.conv1d_transpose(paddle.ones([1, 2, 4]), paddle.ones([2, 3, 3]), { stride: 2 }) // shape [1, 3, 9]
 */
export const conv1d_transpose = defineApi('paddle.nn.functional.conv1d_transpose', conv1dTParams, (a): Tensor => {
  const api = 'paddle.nn.functional.conv1d_transpose';
  const cl = checkFormat(api, a.data_format, ['NCL', 'NLC']);
  const channelDim = cl ? -1 : 1;
  const C = checkChannels(api, a.x, a.weight, a.groups, cl, 3, true);
  let [padding, algo] = updatePaddingNd(api, a.padding, cl, 1);
  if (padding.length === 2) padding = [...padding, 0, 0];
  else if (padding.length === 1) padding = [...padding, 0];
  const stride = [...convertToList(api, a.stride, 1, 'stride'), 1];
  const dilation = [...convertToList(api, a.dilation, 1, 'dilation'), 1];
  let [size, pad] = outputAttrs(api, a.output_size, a.output_padding, 1);
  if (size.length) size = [...size, 1];
  if (pad.length) pad = [...pad, 0];
  if (pad.length && pad[0] > stride[0])
    fail(api, `The size of output_padding should not be greater than stride.But got output_padding=${pad[0]} and stride=${stride[0]}`);
  const opType = C === a.groups && C !== 1 && a.weight.dims[1] === 1 ? 'depthwise_conv2d_transpose' : 'conv2d_transpose';
  const axis = cl ? -2 : -1;
  const x = unsqueeze(a.x, axis);
  const w = unsqueeze(a.weight, -1);
  const out = transposeOp(x, w, opType, {
    output_padding: pad, output_size: size, strides: stride, paddings: padding, padding_algorithm: algo,
    dilations: dilation, groups: a.groups, data_format: cl ? 'NHWC' : 'NCHW',
  });
  return squeeze(addBias(out, a.bias, channelDim), axis);
});

/**
 * 2-D transposed convolution of x [N, C, H, W] ('NCHW') or [N, H, W, C] ('NHWC') with weight
 * [in_channels, out_channels/groups, kh, kw]: the adjoint of conv2d. Output size per dim:
 * (in - 1) * stride - pad_before - pad_after + dilation*(k-1) + 1 (+ output_padding), or
 * `output_size`, which must lie in [that, that + stride).
 * @param x the input (float32/float64)
 * @param weight the filter [in_channels, out_channels/groups, kh, kw]
 * @param bias optional bias [out_channels]
 * @param stride int or [sh, sw]
 * @param padding int, [ph, pw], [top, bottom, left, right], pairs or 'same'/'valid'
 * @param output_padding extra size added to one side of each output dim
 * @param dilation int or [dh, dw]
 * @param groups number of channel groups
 * @param output_size [h, w] of the output (exclusive with output_padding)
 * @param data_format 'NCHW' or 'NHWC'
 * @example F.conv2d_transpose(paddle.ones([1, 2, 3, 3]), paddle.ones([2, 4, 3, 3]), { stride: 2 }) // shape [1, 4, 7, 7]
 */
export const conv2d_transpose = defineApi('paddle.nn.functional.conv2d_transpose', conv2dTParams, (a): Tensor => {
  const api = 'paddle.nn.functional.conv2d_transpose';
  const cl = checkFormat(api, a.data_format, ['NCHW', 'NHWC']);
  const C = checkChannels(api, a.x, a.weight, a.groups, cl, 4, true);
  const [padding, algo] = updatePaddingNd(api, a.padding, cl, 2);
  const stride = convertToList(api, a.stride, 2, 'stride');
  const dilation = convertToList(api, a.dilation, 2, 'dilation');
  const [size, pad] = outputAttrs(api, a.output_size, a.output_padding, 2);
  const opType = C === a.groups && C !== 1 && a.weight.dims[1] === 1 ? 'depthwise_conv2d_transpose' : 'conv2d_transpose';
  const out = transposeOp(a.x, a.weight, opType, {
    output_padding: pad, output_size: size, strides: stride, paddings: padding, padding_algorithm: algo,
    dilations: dilation, groups: a.groups, data_format: a.data_format,
  });
  return addBias(out, a.bias, cl ? -1 : 1);
});

/**
 * 3-D transposed convolution of x [N, C, D, H, W] ('NCDHW') or [N, D, H, W, C] ('NDHWC') with
 * weight [in_channels, out_channels/groups, kd, kh, kw]. Note the order (..., output_padding,
 * groups, dilation, ...).
 * @param x the input (float32/float64)
 * @param weight the filter [in_channels, out_channels/groups, kd, kh, kw]
 * @param bias optional bias [out_channels]
 * @param stride int or [sd, sh, sw]
 * @param padding int, 3 or 6 ints, pairs or 'same'/'valid'
 * @param output_padding extra size added to one side of each output dim
 * @param groups number of channel groups
 * @param dilation int or [dd, dh, dw]
 * @param output_size [d, h, w] of the output (exclusive with output_padding)
 * @param data_format 'NCDHW' or 'NDHWC'
 * @example F.conv3d_transpose(paddle.ones([1, 2, 2, 2, 2]), paddle.ones([2, 3, 2, 2, 2])) // shape [1, 3, 3, 3, 3]
 */
export const conv3d_transpose = defineApi('paddle.nn.functional.conv3d_transpose', conv3dTParams, (a): Tensor => {
  const api = 'paddle.nn.functional.conv3d_transpose';
  const cl = checkFormat(api, a.data_format, ['NCDHW', 'NDHWC']);
  checkChannels(api, a.x, a.weight, a.groups, cl, 5, true);
  const [padding, algo] = updatePaddingNd(api, a.padding, cl, 3);
  const stride = convertToList(api, a.stride, 3, 'stride');
  const dilation = convertToList(api, a.dilation, 3, 'dilation');
  const [size, pad] = outputAttrs(api, a.output_size, a.output_padding, 3);
  // Paddle 2.0 passes 'NHWC'/'NCHW' as the 3-D op's data_format
  const out = transposeOp(a.x, a.weight, 'conv3d_transpose', {
    output_padding: pad, output_size: size, strides: stride, paddings: padding, padding_algorithm: algo,
    dilations: dilation, groups: a.groups, data_format: cl ? 'NHWC' : 'NCHW',
  });
  return addBias(out, a.bias, cl ? -1 : 1);
});
