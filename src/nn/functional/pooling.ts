// paddle.nn.functional pooling, as python/paddle/nn/functional/pooling.py at 2.0:
// avg_pool1d/2d/3d, max_pool1d/2d/3d and adaptive_{avg,max}_pool1d/2d/3d. The 1-D forms run
// the 2-D operators on an input unsqueezed at dim 2. Max pooling with return_mask uses
// max_pool2d/3d_with_index, whose Mask holds each max's flat index in its input plane (as in
// Paddle, that operator has no ceil_mode and takes symmetric padding only).
import { defineApi, p, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { describe, fail } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';

const nameP = p('name', T.nullable(T.str), null);
const PREFIX = 'paddle.nn.functional.';

/** An int or a list of ints, kept as given (Paddle tells `3` from `[3]`). */
export const intOrList: Ty<number | number[], number | readonly number[]> = T.union(T.int, T.ints) as Ty<number | number[], number | readonly number[]>;
/** A padding: an int, a list of ints or of pairs, or 'SAME'/'VALID'. */
export const paddingTy: Ty<unknown, number | string | readonly number[] | readonly (readonly number[])[]> = {
  desc: "an int, a list of ints or of [before, after] pairs, or 'SAME'/'VALID'",
  parse: (v) => v,
};

/** Paddle's utils.convert_to_list: an int repeated n times, or a list of n ints. */
export function convertToList(api: string, v: number | readonly number[], n: number, name: string): number[] {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) fail(api, `argument '${name}' must be an integer or a list of ${n} integers, but got ${describe(v)}`);
    return new Array<number>(n).fill(v);
  }
  if (!Array.isArray(v) || v.length !== n || !v.every((e) => Number.isInteger(e)))
    fail(api, `argument '${name}' must be an integer or a list of ${n} integer${n > 1 ? 's' : ''}, but got ${describe(v)}`);
  return v.slice();
}

function checkRank(api: string, x: Tensor, rank: number): void {
  if (x.dims.length !== rank) fail(api, `expected input x to be a ${rank}-D tensor, but got a ${x.dims.length}-D tensor of shape [${x.dims.join(', ')}]`);
}
function checkDtype(api: string, x: Tensor, allowed: readonly string[]): void {
  if (!allowed.includes(x.dtype)) fail(api, `argument 'x' must have dtype ${allowed.join(' or ')}, but got ${x.dtype}`);
}

/** Whether data_format puts channels last, checked against the pooled rank (Paddle's _channel_last). */
export function channelLastOf(api: string, dataFormat: string, nd: number): boolean {
  const ok = nd === 1 ? ['NCL', 'NLC'] : nd === 2 ? ['NCHW', 'NHWC'] : ['NCDHW', 'NDHWC'];
  if (!ok.includes(dataFormat)) fail(api, `argument 'data_format' must be '${ok[0]}' or '${ok[1]}', but got '${dataFormat}'`);
  return dataFormat === ok[1];
}

const isSymmetric = (pads: number[], nd: number): boolean => {
  for (let i = 0; i < nd; i++) if (pads[2 * i] !== pads[2 * i + 1]) return false;
  return true;
};

/** Paddle's _update_padding_nd: [paddings attribute, padding_algorithm]. */
export function updatePaddingNd(api: string, padding: unknown, nd: number, channelLast: boolean, ceilMode: boolean): [number[], string] {
  if (typeof padding === 'string') {
    const s = padding.toUpperCase();
    if (s !== 'SAME' && s !== 'VALID') fail(api, `unknown padding '${padding}': it can only be 'SAME' or 'VALID'`);
    if (s === 'VALID' && ceilMode) fail(api, "when padding is 'VALID', ceil_mode must be False, but got ceil_mode=True");
    return [new Array<number>(nd).fill(0), s];
  }
  if (Array.isArray(padding)) {
    if (padding.length === 2 + nd && Array.isArray(padding[0])) {
      const pairs = padding as unknown[];
      if (!pairs.every((q) => Array.isArray(q) && q.length === 2 && q.every((e) => Number.isInteger(e))))
        fail(api, `invalid padding ${describe(padding)}: expected ${2 + nd} [before, after] pairs of integers`);
      const pp = pairs as number[][];
      const zero = (q: number[]): boolean => q[0] === 0 && q[1] === 0;
      const ok = channelLast ? zero(pp[0]) && zero(pp[pp.length - 1]) : zero(pp[0]) && zero(pp[1]);
      if (!ok) fail(api, `non-zero padding ${describe(padding)} in the batch or channel dimensions is not supported`);
      const flat = (channelLast ? pp.slice(1, -1) : pp.slice(2)).flat();
      return [isSymmetric(flat, nd) ? flat.filter((_, i) => i % 2 === 0) : flat, 'EXPLICIT'];
    }
    if (padding.length === 2 * nd && padding.every((e) => Number.isInteger(e))) {
      const flat = (padding as number[]).slice();
      return [isSymmetric(flat, nd) ? flat.filter((_, i) => i % 2 === 0) : flat, 'EXPLICIT'];
    }
    if (padding.length === nd && padding.every((e) => Number.isInteger(e))) return [(padding as number[]).slice(), 'EXPLICIT'];
    return fail(api, `invalid padding ${describe(padding)}: expected an int, ${nd} ints, ${2 * nd} ints, ${2 + nd} [before, after] pairs, or 'SAME'/'VALID'`);
  }
  if (typeof padding === 'number' && Number.isInteger(padding)) return [new Array<number>(nd).fill(padding), 'EXPLICIT'];
  return fail(api, `argument 'padding' expected an int, a list of ints or pairs, or 'SAME'/'VALID', but got ${describe(padding)}`);
}

/** Paddle's _expand_low_nd_padding: 1-D paddings lifted to the 2-D operator. */
function expandLowNdPadding(api: string, pads: number[]): number[] {
  if (pads.length === 2) return [0, 0, ...pads];
  if (pads.length === 1) return [0, ...pads];
  return fail(api, `the padding must have 1 or 2 elements, but got [${pads.join(', ')}]`);
}

const unsqueeze2 = (x: Tensor): Tensor => run1('unsqueeze2', { X: [x] }, { axes: [2] });
const squeeze2 = (x: Tensor): Tensor => run1('squeeze2', { X: [x] }, { axes: [2] });

interface PoolCall {
  type: 'max' | 'avg';
  ksize: number[];
  strides: number[];
  paddings: number[];
  algo: string;
  ceil: boolean;
  exclusive: boolean;
  dataFormat: string;
  nd: 2 | 3;
}
function poolOp(x: Tensor, q: PoolCall): Tensor {
  return run1(`pool${q.nd}d`, { X: [x] }, {
    pooling_type: q.type,
    ksize: q.ksize,
    global_pooling: false,
    strides: q.strides,
    paddings: q.paddings,
    padding_algorithm: q.algo,
    use_cudnn: true,
    ceil_mode: q.ceil,
    use_mkldnn: false,
    exclusive: q.exclusive,
    data_format: q.dataFormat,
  });
}
function withIndexOp(x: Tensor, nd: 2 | 3, ksize: number[], strides: number[], paddings: number[], adaptive: boolean): [Tensor, Tensor] {
  const r = dispatch(`max_pool${nd}d_with_index`, { X: [x] }, { ksize, global_pooling: false, strides, paddings, adaptive });
  return [r.Out[0], r.Mask[0]];
}

/**
 * The paddings max_pool*_with_index gets. Paddle passes the explicit paddings and drops the
 * padding algorithm (so 'SAME' silently pooled without padding); here 'SAME' is resolved to
 * its explicit padding, and is an error where that padding would be asymmetric, which the
 * operator cannot express. (ceil_mode is ignored with return_mask, as in Paddle.)
 */
function maskPaddings(api: string, inSp: number[], ksize: number[], strides: number[], pads: number[], algo: string): number[] {
  if (algo !== 'SAME') return pads;
  return inSp.map((d, i) => {
    if (d < 0) fail(api, "padding='SAME' with return_mask needs the input's spatial size to be known");
    const o = Math.ceil(d / strides[i]);
    const sum = Math.max((o - 1) * strides[i] + ksize[i] - d, 0);
    if (sum % 2 !== 0) fail(api, `padding='SAME' needs an asymmetric padding here (${sum >> 1}, ${sum - (sum >> 1)}), which max pooling with return_mask does not support`);
    return sum / 2;
  });
}

// ---- average pooling ------------------------------------------------------------------------

/**
 * 1-D average pooling of an [N, C, L] tensor (exclusive=True leaves padding out of the mean).
 * @param x float32/float64 Tensor [N, C, L]
 * @param kernel_size window length (int or [int])
 * @param stride step (default: kernel_size)
 * @param padding int, [p], [before, after], pairs, or 'SAME'/'VALID'
 * @param exclusive exclude padded positions from the divisor (default True)
 * @param ceil_mode use ceil instead of floor for the output length
 * @example F.avg_pool1d(paddle.ones([1, 3, 32]), 2)   // shape [1, 3, 16]
 */
export const avg_pool1d = defineApi(
  `${PREFIX}avg_pool1d`,
  [p('x', T.tensor), p('kernel_size', intOrList), p('stride', T.nullable(intOrList), null), p('padding', paddingTy, 0), p('exclusive', T.bool, true), p('ceil_mode', T.bool, false), nameP],
  (a): Tensor => {
    const api = `${PREFIX}avg_pool1d`;
    checkDtype(api, a.x, ['float32', 'float64']);
    checkRank(api, a.x, 3);
    const ksize = [1, ...convertToList(api, a.kernel_size, 1, 'kernel_size')];
    const strides = a.stride === null ? ksize : [1, ...convertToList(api, a.stride, 1, 'stride')];
    const [pads, algo] = updatePaddingNd(api, a.padding, 1, false, a.ceil_mode);
    const out = poolOp(unsqueeze2(a.x), { type: 'avg', ksize, strides, paddings: expandLowNdPadding(api, pads), algo, ceil: a.ceil_mode, exclusive: a.exclusive, dataFormat: 'NCHW', nd: 2 });
    return squeeze2(out);
  },
);

function avgPoolNd(api: string, nd: 2 | 3, a: {
  x: Tensor; kernel_size: number | number[]; stride: number | number[] | null; padding: unknown; ceil_mode: boolean;
  exclusive: boolean; divisor_override: number | null; data_format: string;
}): Tensor {
  checkDtype(api, a.x, ['float32', 'float64']);
  checkRank(api, a.x, nd + 2);
  const ksize = convertToList(api, a.kernel_size, nd, 'kernel_size');
  const strides = a.stride === null ? ksize : convertToList(api, a.stride, nd, 'stride');
  const cl = channelLastOf(api, a.data_format, nd);
  const [pads, algo] = updatePaddingNd(api, a.padding, nd, cl, a.ceil_mode);
  const out = poolOp(a.x, { type: 'avg', ksize, strides, paddings: pads, algo, ceil: a.ceil_mode, exclusive: a.exclusive, dataFormat: a.data_format, nd });
  if (a.divisor_override === null) return out;
  // Paddle: output * prod(kernel_size) / divisor_override (applied to the pooled mean)
  return c.scale(c.scale(out, ksize.reduce((s, k) => s * k, 1)), 1 / a.divisor_override);
}

const avgParams = (df: string) =>
  [
    p('x', T.tensor),
    p('kernel_size', intOrList),
    p('stride', T.nullable(intOrList), null),
    p('padding', paddingTy, 0),
    p('ceil_mode', T.bool, false),
    p('exclusive', T.bool, true),
    p('divisor_override', T.nullable(T.float), null),
    p('data_format', T.str, df),
    nameP,
  ] as const;

/**
 * 2-D average pooling (NCHW or NHWC).
 * @param x float32/float64 Tensor [N, C, H, W] (or NHWC)
 * @param kernel_size int or [kh, kw]
 * @param stride int or [sh, sw] (default: kernel_size)
 * @param padding int, [ph, pw], [top, bottom, left, right], 4 pairs, or 'SAME'/'VALID'
 * @param ceil_mode ceil instead of floor for the output size
 * @param exclusive exclude padding from the divisor (default True)
 * @param divisor_override multiply the mean by prod(kernel_size) / divisor_override
 * @param data_format 'NCHW' or 'NHWC'
 * @example F.avg_pool2d(paddle.ones([1, 3, 32, 32]), 2, { stride: 2 })   // shape [1, 3, 16, 16]
 */
export const avg_pool2d = defineApi(`${PREFIX}avg_pool2d`, avgParams('NCHW'), (a): Tensor => avgPoolNd(`${PREFIX}avg_pool2d`, 2, a));

/**
 * 3-D average pooling (NCDHW or NDHWC); arguments as avg_pool2d with 3 values per dim list.
 * @example F.avg_pool3d(paddle.ones([1, 3, 8, 8, 8]), 2)   // shape [1, 3, 4, 4, 4]
 */
export const avg_pool3d = defineApi(`${PREFIX}avg_pool3d`, avgParams('NCDHW'), (a): Tensor => avgPoolNd(`${PREFIX}avg_pool3d`, 3, a));

// ---- max pooling ----------------------------------------------------------------------------

/**
 * 1-D max pooling of an [N, C, L] tensor; with return_mask also the argmax positions (int32).
 * @param x float32/float64 Tensor [N, C, L]
 * @param kernel_size int or [int]
 * @param stride default kernel_size
 * @param padding int, [p], [before, after], pairs or 'SAME'/'VALID'
 * @param return_mask also return the indices
 * @param ceil_mode ceil instead of floor for the output length
 * @example const [out, mask] = F.max_pool1d(x, 2, { return_mask: true })
 */
export const max_pool1d = defineApi(
  `${PREFIX}max_pool1d`,
  [p('x', T.tensor), p('kernel_size', intOrList), p('stride', T.nullable(intOrList), null), p('padding', paddingTy, 0), p('return_mask', T.bool, false), p('ceil_mode', T.bool, false), nameP],
  (a): Tensor | [Tensor, Tensor] => {
    const api = `${PREFIX}max_pool1d`;
    checkDtype(api, a.x, ['float32', 'float64']);
    checkRank(api, a.x, 3);
    const x = unsqueeze2(a.x);
    const ksize = [1, ...convertToList(api, a.kernel_size, 1, 'kernel_size')];
    const strides = a.stride === null ? ksize : [1, ...convertToList(api, a.stride, 1, 'stride')];
    const [pads0, algo] = updatePaddingNd(api, a.padding, 1, false, a.ceil_mode);
    const pads = expandLowNdPadding(api, pads0);
    if (a.return_mask) {
      const [o, m] = withIndexOp(x, 2, ksize, strides, maskPaddings(api, x.dims.slice(2), ksize, strides, pads, algo), false);
      return [squeeze2(o), squeeze2(m)];
    }
    return squeeze2(poolOp(x, { type: 'max', ksize, strides, paddings: pads, algo, ceil: a.ceil_mode, exclusive: true, dataFormat: 'NCHW', nd: 2 }));
  },
);

function maxPoolNd(api: string, nd: 2 | 3, a: {
  x: Tensor; kernel_size: number | number[]; stride: number | number[] | null; padding: unknown; return_mask: boolean; ceil_mode: boolean; data_format: string;
}): Tensor | [Tensor, Tensor] {
  checkDtype(api, a.x, nd === 2 ? ['float16', 'float32', 'float64'] : ['float32', 'float64']);
  checkRank(api, a.x, nd + 2);
  const ksize = convertToList(api, a.kernel_size, nd, 'kernel_size');
  const strides = a.stride === null ? ksize : convertToList(api, a.stride, nd, 'stride');
  const cl = channelLastOf(api, a.data_format, nd);
  const [pads, algo] = updatePaddingNd(api, a.padding, nd, cl, a.ceil_mode);
  if (a.return_mask) {
    if (cl) fail(api, `when return_mask is True, data_format must be '${nd === 2 ? 'NCHW' : 'NCDHW'}', but got '${a.data_format}'`);
    return withIndexOp(a.x, nd, ksize, strides, maskPaddings(api, a.x.dims.slice(2), ksize, strides, pads, algo), false);
  }
  return poolOp(a.x, { type: 'max', ksize, strides, paddings: pads, algo, ceil: a.ceil_mode, exclusive: true, dataFormat: a.data_format, nd });
}

const maxParams = (df: string) =>
  [
    p('x', T.tensor),
    p('kernel_size', intOrList),
    p('stride', T.nullable(intOrList), null),
    p('padding', paddingTy, 0),
    p('return_mask', T.bool, false),
    p('ceil_mode', T.bool, false),
    p('data_format', T.str, df),
    nameP,
  ] as const;

/**
 * 2-D max pooling (NCHW or NHWC). With return_mask (NCHW only) also returns the int32 index
 * of each max within its H*W input plane.
 * @param x float Tensor [N, C, H, W]
 * @param kernel_size int or [kh, kw]
 * @param stride default kernel_size
 * @param padding int, [ph, pw], [top, bottom, left, right], pairs or 'SAME'/'VALID'
 * @param return_mask also return the indices
 * @param ceil_mode ceil instead of floor for the output size
 * @param data_format 'NCHW' or 'NHWC'
 * @example F.max_pool2d(paddle.rand([1, 3, 32, 32]), 2)   // shape [1, 3, 16, 16]
 */
export const max_pool2d = defineApi(`${PREFIX}max_pool2d`, maxParams('NCHW'), (a): Tensor | [Tensor, Tensor] => maxPoolNd(`${PREFIX}max_pool2d`, 2, a));

/**
 * 3-D max pooling (NCDHW or NDHWC); with return_mask (NCDHW only) also the flat D*H*W index.
 * @example F.max_pool3d(paddle.rand([1, 3, 8, 8, 8]), 2)   // shape [1, 3, 4, 4, 4]
 */
export const max_pool3d = defineApi(`${PREFIX}max_pool3d`, maxParams('NCDHW'), (a): Tensor | [Tensor, Tensor] => maxPoolNd(`${PREFIX}max_pool3d`, 3, a));

// ---- adaptive pooling -----------------------------------------------------------------------

/** A 1-D output size: an int (or a one-element list). */
function size1(api: string, v: unknown): number {
  if (Number.isInteger(v)) return v as number;
  if (Array.isArray(v) && v.length === 1 && Number.isInteger(v[0])) return v[0] as number;
  return fail(api, `argument 'output_size' must be an integer, but got ${describe(v)}`);
}
/** An n-D output size: an int, or n ints where null (None) keeps the input's size. */
function sizeN(api: string, v: unknown, n: number, inSp: number[]): number[] {
  if (Number.isInteger(v)) return new Array<number>(n).fill(v as number);
  if (!Array.isArray(v) || v.length !== n || !v.every((e) => e === null || Number.isInteger(e)))
    fail(api, `argument 'output_size' must be an integer or a list of ${n} integers (None keeps a dim), but got ${describe(v)}`);
  return (v as (number | null)[]).map((e, i) => (e === null ? inSp[i] : e));
}
const sizeTy: Ty<unknown, number | readonly (number | null)[]> = { desc: 'an int or a list of ints', parse: (v) => v };

/**
 * Adaptive 1-D average pooling of [N, C, L] to length output_size (bins floor(i*L/out) ..
 * ceil((i+1)*L/out)).
 * @param x float Tensor [N, C, L]
 * @param output_size the output length
 * @example F.adaptive_avg_pool1d(paddle.rand([1, 3, 32]), 16)   // shape [1, 3, 16]
 */
export const adaptive_avg_pool1d = defineApi(`${PREFIX}adaptive_avg_pool1d`, [p('x', T.tensor), p('output_size', sizeTy), nameP], (a): Tensor => {
  const api = `${PREFIX}adaptive_avg_pool1d`;
  checkDtype(api, a.x, ['float16', 'float32', 'float64']);
  checkRank(api, a.x, 3);
  const ksize = [1, size1(api, a.output_size)];
  return squeeze2(run1('pool2d', { X: [unsqueeze2(a.x)] }, { pooling_type: 'avg', ksize, adaptive: true }));
});

/**
 * Adaptive 2-D average pooling to output_size (int or [h, w]; null keeps that dim).
 * @param x float Tensor [N, C, H, W] (or NHWC)
 * @param output_size int or [oh, ow]
 * @param data_format 'NCHW' or 'NHWC'
 * @example F.adaptive_avg_pool2d(paddle.rand([1, 3, 32, 32]), 3)   // shape [1, 3, 3, 3]
 */
export const adaptive_avg_pool2d = defineApi(
  `${PREFIX}adaptive_avg_pool2d`,
  [p('x', T.tensor), p('output_size', sizeTy), p('data_format', T.str, 'NCHW'), nameP],
  (a): Tensor => adaptiveAvg(`${PREFIX}adaptive_avg_pool2d`, 2, a.x, a.output_size, a.data_format),
);

/**
 * Adaptive 3-D average pooling to output_size (int or [d, h, w]; null keeps that dim).
 * @example F.adaptive_avg_pool3d(paddle.rand([1, 3, 8, 8, 8]), 2)   // shape [1, 3, 2, 2, 2]
 */
export const adaptive_avg_pool3d = defineApi(
  `${PREFIX}adaptive_avg_pool3d`,
  [p('x', T.tensor), p('output_size', sizeTy), p('data_format', T.str, 'NCDHW'), nameP],
  (a): Tensor => adaptiveAvg(`${PREFIX}adaptive_avg_pool3d`, 3, a.x, a.output_size, a.data_format),
);

function adaptiveAvg(api: string, nd: 2 | 3, x: Tensor, outputSize: unknown, dataFormat: string): Tensor {
  checkDtype(api, x, nd === 2 ? ['float16', 'float32', 'float64'] : ['float32', 'float64']);
  const cl = channelLastOf(api, dataFormat, nd);
  checkRank(api, x, nd + 2);
  const inSp = cl ? x.dims.slice(1, -1) : x.dims.slice(2);
  const ksize = sizeN(api, outputSize, nd, inSp);
  return run1(`pool${nd}d`, { X: [x] }, { pooling_type: 'avg', ksize, global_pooling: false, adaptive: true, data_format: dataFormat });
}

/**
 * Adaptive 1-D max pooling of [N, C, L]; return_mask also returns the argmax indices.
 * @param x float32/float64 Tensor [N, C, L]
 * @param output_size the output length
 * @param return_mask also return the indices
 * @example F.adaptive_max_pool1d(paddle.rand([1, 3, 32]), 16)   // shape [1, 3, 16]
 */
export const adaptive_max_pool1d = defineApi(
  `${PREFIX}adaptive_max_pool1d`,
  [p('x', T.tensor), p('output_size', sizeTy), p('return_mask', T.bool, false), nameP],
  (a): Tensor | [Tensor, Tensor] => {
    const api = `${PREFIX}adaptive_max_pool1d`;
    checkDtype(api, a.x, ['float32', 'float64']);
    checkRank(api, a.x, 3);
    const ksize = [1, size1(api, a.output_size)];
    const [o, m] = withIndexOp(unsqueeze2(a.x), 2, ksize, [1, 1], [0, 0], true);
    return a.return_mask ? [squeeze2(o), squeeze2(m)] : squeeze2(o);
  },
);

/**
 * Adaptive 2-D max pooling of NCHW input; return_mask also returns the indices.
 * @param x float32/float64 Tensor [N, C, H, W]
 * @param output_size int or [oh, ow] (null keeps a dim)
 * @param return_mask also return the indices
 * @example F.adaptive_max_pool2d(paddle.rand([1, 3, 32, 32]), 3)   // shape [1, 3, 3, 3]
 */
export const adaptive_max_pool2d = defineApi(
  `${PREFIX}adaptive_max_pool2d`,
  [p('x', T.tensor), p('output_size', sizeTy), p('return_mask', T.bool, false), nameP],
  (a): Tensor | [Tensor, Tensor] => adaptiveMax(`${PREFIX}adaptive_max_pool2d`, 2, a.x, a.output_size, a.return_mask),
);

/**
 * Adaptive 3-D max pooling of NCDHW input; return_mask also returns the indices.
 * @example F.adaptive_max_pool3d(paddle.rand([1, 3, 8, 8, 8]), 2)   // shape [1, 3, 2, 2, 2]
 */
export const adaptive_max_pool3d = defineApi(
  `${PREFIX}adaptive_max_pool3d`,
  [p('x', T.tensor), p('output_size', sizeTy), p('return_mask', T.bool, false), nameP],
  (a): Tensor | [Tensor, Tensor] => adaptiveMax(`${PREFIX}adaptive_max_pool3d`, 3, a.x, a.output_size, a.return_mask),
);

function adaptiveMax(api: string, nd: 2 | 3, x: Tensor, outputSize: unknown, returnMask: boolean): Tensor | [Tensor, Tensor] {
  checkDtype(api, x, ['float32', 'float64']);
  checkRank(api, x, nd + 2);
  const ksize = sizeN(api, outputSize, nd, x.dims.slice(2));
  const [o, m] = withIndexOp(x, nd, ksize, new Array<number>(nd).fill(1), new Array<number>(nd).fill(0), true);
  return returnMask ? [o, m] : o;
}
