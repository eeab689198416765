// Pooling layers (python/paddle/nn/layer/pooling.py at 2.0): AvgPool1D/2D/3D,
// MaxPool1D/2D/3D, AdaptiveAvgPool1D/2D/3D, AdaptiveMaxPool1D/2D/3D. Each keeps its
// arguments and calls the functional form in forward.
//
// In 2.0.0 AvgPool3D had no default for `stride` and MaxPool3D none for `stride` and
// `padding`; these follow Paddle 2.0.2, which gave them stride=None (= kernel_size) and
// padding=0 like the 1-D and 2-D layers.
import { makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import type { Tensor } from '../../core/tensor.js';
import {
  adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d, adaptive_max_pool2d, adaptive_max_pool3d,
  avg_pool1d, avg_pool2d, avg_pool3d, intOrList, max_pool1d, max_pool2d, max_pool3d, paddingTy,
} from '../functional/pooling.js';
import { Layer } from '../layer.js';

const nameP = p('name', T.nullable(T.str), null);

/** Python's str() of an argument, for extra_repr. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `[${v.map(pyStr).join(', ')}]`;
  return String(v);
}

type Size = number | number[];

const avg1Params = [p('kernel_size', intOrList), p('stride', T.nullable(intOrList), null), p('padding', paddingTy, 0), p('exclusive', T.bool, true), p('ceil_mode', T.bool, false), nameP] as const;
const parseAvg1 = makeParser('paddle.nn.AvgPool1D', avg1Params);

/**
 * 1-D average pooling layer over [N, C, L] (see F.avg_pool1d). Note exclusive comes before
 * ceil_mode here.
 * @param kernel_size window length
 * @param stride step (default kernel_size)
 * @param padding int, list or 'SAME'/'VALID'
 * @param exclusive exclude padding from the divisor (True)
 * @param ceil_mode ceil the output length
 * @example new nn.AvgPool1D(2, 2)(paddle.rand([1, 3, 32]))   // shape [1, 3, 16]
 */
export class AvgPool1D extends Layer {
  declare kernel_size: Size;
  declare stride: Size | null;
  declare padding: unknown;
  declare exclusive: boolean;
  declare ceil_mode: boolean;
  declare name: string | null;
  constructor(...args: CallArgs<typeof avg1Params>) {
    super();
    const a = parseAvg1(args) as { kernel_size: Size; stride: Size | null; padding: unknown; exclusive: boolean; ceil_mode: boolean; name: string | null };
    this.kernel_size = a.kernel_size;
    this.stride = a.stride;
    this.padding = a.padding;
    this.ceil_mode = a.ceil_mode;
    this.exclusive = a.exclusive;
    this.name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return avg_pool1d(x, this.kernel_size, this.stride, this.padding as number, this.exclusive, this.ceil_mode, this.name);
  }
  override extra_repr(): string {
    return `kernel_size=${pyStr(this.kernel_size)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

const avgParams = (df: string) =>
  [
    p('kernel_size', intOrList),
    p('stride', T.nullable(intOrList), null),
    p('padding', paddingTy, 0),
    p('ceil_mode', T.bool, false),
    p('exclusive', T.bool, true),
    p('divisor_override', T.nullable(T.float), null),
    p('data_format', T.str, df),
    nameP,
  ] as const;
const avg2Params = avgParams('NCHW');
const avg3Params = avgParams('NCDHW');
const parseAvg2 = makeParser('paddle.nn.AvgPool2D', avg2Params);
const parseAvg3 = makeParser('paddle.nn.AvgPool3D', avg3Params);
interface AvgArgs { kernel_size: Size; stride: Size | null; padding: unknown; ceil_mode: boolean; exclusive: boolean; divisor_override: number | null; data_format: string; name: string | null }

abstract class AvgPoolND extends Layer {
  declare ksize: Size;
  declare stride: Size | null;
  declare padding: unknown;
  declare ceil_mode: boolean;
  declare exclusive: boolean;
  declare divisor: number | null;
  declare data_format: string;
  declare name: string | null;
  protected init(a: AvgArgs): void {
    this.ksize = a.kernel_size;
    this.stride = a.stride;
    this.padding = a.padding;
    this.ceil_mode = a.ceil_mode;
    this.exclusive = a.exclusive;
    this.divisor = a.divisor_override;
    this.data_format = a.data_format;
    this.name = a.name;
  }
  protected kw(): Record<string, unknown> {
    return {
      kernel_size: this.ksize, stride: this.stride, padding: this.padding, ceil_mode: this.ceil_mode, exclusive: this.exclusive,
      divisor_override: this.divisor, data_format: this.data_format, name: this.name,
    };
  }
  override extra_repr(): string {
    return `kernel_size=${pyStr(this.ksize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

/**
 * 2-D average pooling layer (see F.avg_pool2d).
 * @param kernel_size int or [kh, kw]
 * @param stride default kernel_size
 * @param padding int, list, pairs or 'SAME'/'VALID'
 * @param ceil_mode ceil the output size
 * @param exclusive exclude padding from the divisor (True)
 * @param divisor_override multiply the mean by prod(kernel_size) / divisor_override
 * @param data_format 'NCHW' or 'NHWC'
 * @example new nn.AvgPool2D(2, { stride: 2 })(paddle.rand([1, 3, 32, 32]))   // shape [1, 3, 16, 16]
 */
export class AvgPool2D extends AvgPoolND {
  constructor(...args: CallArgs<typeof avg2Params>) {
    super();
    this.init(parseAvg2(args) as unknown as AvgArgs);
  }
  override forward(x: Tensor): Tensor {
    return avg_pool2d(x, this.kw() as never);
  }
}

/**
 * 3-D average pooling layer (see F.avg_pool3d); stride defaults to kernel_size (Paddle 2.0.2).
 * @example new nn.AvgPool3D(2)(paddle.rand([1, 3, 8, 8, 8]))   // shape [1, 3, 4, 4, 4]
 */
export class AvgPool3D extends AvgPoolND {
  constructor(...args: CallArgs<typeof avg3Params>) {
    super();
    this.init(parseAvg3(args) as unknown as AvgArgs);
  }
  override forward(x: Tensor): Tensor {
    return avg_pool3d(x, this.kw() as never);
  }
}

const max1Params = [p('kernel_size', intOrList), p('stride', T.nullable(intOrList), null), p('padding', paddingTy, 0), p('return_mask', T.bool, false), p('ceil_mode', T.bool, false), nameP] as const;
const parseMax1 = makeParser('paddle.nn.MaxPool1D', max1Params);

/**
 * 1-D max pooling layer over [N, C, L] (see F.max_pool1d).
 * @param kernel_size window length
 * @param stride default kernel_size
 * @param padding int, list or 'SAME'/'VALID'
 * @param return_mask also return the indices
 * @param ceil_mode ceil the output length
 * @example new nn.MaxPool1D(2)(paddle.rand([1, 3, 32]))   // shape [1, 3, 16]
 */
export class MaxPool1D extends Layer {
  declare kernel_size: Size;
  declare stride: Size | null;
  declare padding: unknown;
  declare return_mask: boolean;
  declare ceil_mode: boolean;
  declare name: string | null;
  constructor(...args: CallArgs<typeof max1Params>) {
    super();
    const a = parseMax1(args) as { kernel_size: Size; stride: Size | null; padding: unknown; return_mask: boolean; ceil_mode: boolean; name: string | null };
    this.kernel_size = a.kernel_size;
    this.stride = a.stride;
    this.padding = a.padding;
    this.ceil_mode = a.ceil_mode;
    this.return_mask = a.return_mask;
    this.name = a.name;
  }
  override forward(x: Tensor): Tensor | [Tensor, Tensor] {
    return max_pool1d(x, this.kernel_size, this.stride, this.padding as number, this.return_mask, this.ceil_mode, this.name);
  }
  override extra_repr(): string {
    return `kernel_size=${pyStr(this.kernel_size)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

const maxParams = (df: string) =>
  [
    p('kernel_size', intOrList),
    p('stride', T.nullable(intOrList), null),
    p('padding', paddingTy, 0),
    p('return_mask', T.bool, false),
    p('ceil_mode', T.bool, false),
    p('data_format', T.str, df),
    nameP,
  ] as const;
const max2Params = maxParams('NCHW');
const max3Params = maxParams('NCDHW');
const parseMax2 = makeParser('paddle.nn.MaxPool2D', max2Params);
const parseMax3 = makeParser('paddle.nn.MaxPool3D', max3Params);
interface MaxArgs { kernel_size: Size; stride: Size | null; padding: unknown; return_mask: boolean; ceil_mode: boolean; data_format: string; name: string | null }

abstract class MaxPoolND extends Layer {
  declare ksize: Size;
  declare stride: Size | null;
  declare padding: unknown;
  declare return_mask: boolean;
  declare ceil_mode: boolean;
  declare data_format: string;
  declare name: string | null;
  protected init(a: MaxArgs): void {
    this.ksize = a.kernel_size;
    this.stride = a.stride;
    this.padding = a.padding;
    this.return_mask = a.return_mask;
    this.ceil_mode = a.ceil_mode;
    this.data_format = a.data_format;
    this.name = a.name;
  }
  protected kw(): Record<string, unknown> {
    return {
      kernel_size: this.ksize, stride: this.stride, padding: this.padding, return_mask: this.return_mask, ceil_mode: this.ceil_mode,
      data_format: this.data_format, name: this.name,
    };
  }
  override extra_repr(): string {
    return `kernel_size=${pyStr(this.ksize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

/**
 * 2-D max pooling layer (see F.max_pool2d).
 * @param kernel_size int or [kh, kw]
 * @param stride default kernel_size
 * @param padding int, list, pairs or 'SAME'/'VALID'
 * @param return_mask also return the indices (NCHW only)
 * @param ceil_mode ceil the output size
 * @param data_format 'NCHW' or 'NHWC'
 * @example new nn.MaxPool2D(2, 2)(paddle.rand([1, 3, 32, 32]))   // shape [1, 3, 16, 16]
 */
export class MaxPool2D extends MaxPoolND {
  constructor(...args: CallArgs<typeof max2Params>) {
    super();
    this.init(parseMax2(args) as unknown as MaxArgs);
  }
  override forward(x: Tensor): Tensor | [Tensor, Tensor] {
    return max_pool2d(x, this.kw() as never);
  }
}

/**
 * 3-D max pooling layer (see F.max_pool3d); stride defaults to kernel_size and padding to 0
 * (Paddle 2.0.2).
 * @example new nn.MaxPool3D(2)(paddle.rand([1, 3, 8, 8, 8]))   // shape [1, 3, 4, 4, 4]
 */
export class MaxPool3D extends MaxPoolND {
  constructor(...args: CallArgs<typeof max3Params>) {
    super();
    this.init(parseMax3(args) as unknown as MaxArgs);
  }
  override forward(x: Tensor): Tensor | [Tensor, Tensor] {
    return max_pool3d(x, this.kw() as never);
  }
}

// ---- adaptive ---------------------------------------------------------------------------------

const sizeTy = { desc: 'an int or a list of ints', parse: (v: unknown) => v } as const;
type OutSize = number | (number | null)[];

const aavg1Params = [p('output_size', T.int), nameP] as const;
const parseAAvg1 = makeParser('paddle.nn.AdaptiveAvgPool1D', aavg1Params);

/**
 * Adaptive 1-D average pooling layer (see F.adaptive_avg_pool1d).
 * @param output_size the output length
 * @example new nn.AdaptiveAvgPool1D(16)(paddle.rand([1, 3, 32]))   // shape [1, 3, 16]
 */
export class AdaptiveAvgPool1D extends Layer {
  declare output_size: number;
  declare name: string | null;
  constructor(...args: CallArgs<typeof aavg1Params>) {
    super();
    const a = parseAAvg1(args) as { output_size: number; name: string | null };
    this.output_size = a.output_size;
    this.name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return adaptive_avg_pool1d(x, this.output_size, this.name);
  }
  override extra_repr(): string {
    return `output_size=${pyStr(this.output_size)}`;
  }
}

const aavgParams = (df: string) => [p('output_size', sizeTy), p('data_format', T.str, df), nameP] as const;
const aavg2Params = aavgParams('NCHW');
const aavg3Params = aavgParams('NCDHW');
const parseAAvg2 = makeParser('paddle.nn.AdaptiveAvgPool2D', aavg2Params);
const parseAAvg3 = makeParser('paddle.nn.AdaptiveAvgPool3D', aavg3Params);

/**
 * Adaptive 2-D average pooling layer (see F.adaptive_avg_pool2d).
 * @param output_size int or [oh, ow] (null keeps a dim)
 * @param data_format 'NCHW' or 'NHWC'
 * @example new nn.AdaptiveAvgPool2D(3)(paddle.rand([1, 3, 32, 32]))   // shape [1, 3, 3, 3]
 */
export class AdaptiveAvgPool2D extends Layer {
  declare _output_size: OutSize;
  declare _data_format: string;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof aavg2Params>) {
    super();
    const a = parseAAvg2(args) as { output_size: OutSize; data_format: string; name: string | null };
    this._output_size = a.output_size;
    this._data_format = a.data_format;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return adaptive_avg_pool2d(x, this._output_size, this._data_format, this._name);
  }
  override extra_repr(): string {
    return `output_size=${pyStr(this._output_size)}`;
  }
}

/**
 * Adaptive 3-D average pooling layer (see F.adaptive_avg_pool3d).
 * @example new nn.AdaptiveAvgPool3D(2)(paddle.rand([1, 3, 8, 8, 8]))   // shape [1, 3, 2, 2, 2]
 */
export class AdaptiveAvgPool3D extends Layer {
  declare _output_size: OutSize;
  declare _data_format: string;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof aavg3Params>) {
    super();
    const a = parseAAvg3(args) as { output_size: OutSize; data_format: string; name: string | null };
    this._output_size = a.output_size;
    this._data_format = a.data_format;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return adaptive_avg_pool3d(x, this._output_size, this._data_format, this._name);
  }
  override extra_repr(): string {
    return `output_size=${pyStr(this._output_size)}`;
  }
}

const amax1Params = [p('output_size', T.int), p('return_mask', T.bool, false), nameP] as const;
const parseAMax1 = makeParser('paddle.nn.AdaptiveMaxPool1D', amax1Params);

/**
 * Adaptive 1-D max pooling layer (see F.adaptive_max_pool1d).
 * @param output_size the output length
 * @param return_mask also return the indices
 * @example new nn.AdaptiveMaxPool1D(16)(paddle.rand([1, 3, 32]))   // shape [1, 3, 16]
 */
export class AdaptiveMaxPool1D extends Layer {
  declare output_size: number;
  declare return_mask: boolean;
  declare name: string | null;
  constructor(...args: CallArgs<typeof amax1Params>) {
    super();
    const a = parseAMax1(args) as { output_size: number; return_mask: boolean; name: string | null };
    this.output_size = a.output_size;
    this.return_mask = a.return_mask;
    this.name = a.name;
  }
  override forward(x: Tensor): Tensor | [Tensor, Tensor] {
    return adaptive_max_pool1d(x, this.output_size, this.return_mask, this.name);
  }
  override extra_repr(): string {
    return `output_size=${pyStr(this.output_size)}, return_mask=${pyStr(this.return_mask)}`;
  }
}

const amaxParams = [p('output_size', sizeTy), p('return_mask', T.bool, false), nameP] as const;
const parseAMax2 = makeParser('paddle.nn.AdaptiveMaxPool2D', amaxParams);
const parseAMax3 = makeParser('paddle.nn.AdaptiveMaxPool3D', amaxParams);

/**
 * Adaptive 2-D max pooling layer (see F.adaptive_max_pool2d).
 * @param output_size int or [oh, ow]
 * @param return_mask also return the indices
 * @example new nn.AdaptiveMaxPool2D(3)(paddle.rand([1, 3, 32, 32]))   // shape [1, 3, 3, 3]
 */
export class AdaptiveMaxPool2D extends Layer {
  declare _output_size: OutSize;
  declare _return_mask: boolean;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof amaxParams>) {
    super();
    const a = parseAMax2(args) as { output_size: OutSize; return_mask: boolean; name: string | null };
    this._output_size = a.output_size;
    this._return_mask = a.return_mask;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor | [Tensor, Tensor] {
    return adaptive_max_pool2d(x, this._output_size, this._return_mask, this._name);
  }
  override extra_repr(): string {
    return `output_size=${pyStr(this._output_size)}, return_mask=${pyStr(this._return_mask)}`;
  }
}

/**
 * Adaptive 3-D max pooling layer (see F.adaptive_max_pool3d).
 * @example new nn.AdaptiveMaxPool3D(2)(paddle.rand([1, 3, 8, 8, 8]))   // shape [1, 3, 2, 2, 2]
 */
export class AdaptiveMaxPool3D extends Layer {
  declare _output_size: OutSize;
  declare _return_mask: boolean;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof amaxParams>) {
    super();
    const a = parseAMax3(args) as { output_size: OutSize; return_mask: boolean; name: string | null };
    this._output_size = a.output_size;
    this._return_mask = a.return_mask;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor | [Tensor, Tensor] {
    return adaptive_max_pool3d(x, this._output_size, this._return_mask, this._name);
  }
  override extra_repr(): string {
    return `output_size=${pyStr(this._output_size)}, return_mask=${pyStr(this._return_mask)}`;
  }
}
