// Resizing layers (python/paddle/nn/layer/common.py at 2.0): Upsample (F.interpolate with
// its arguments), UpsamplingNearest2D (mode 'nearest') and UpsamplingBilinear2D (mode
// 'bilinear' with align_corners=True fixed).
import { makeParser, p, type CallArgs, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import type { Tensor } from '../../core/tensor.js';
import { interpolate } from '../functional/interp.js';
import { Layer } from '../layer.js';
import { pyStr } from './pooling.js';

type SizeArg = number | Tensor | (number | Tensor)[] | null;
const anyTy: Ty<SizeArg, SizeArg> = { desc: 'a list of ints, a number or a Tensor', parse: (v) => v as SizeArg };
const nameP = p('name', T.nullable(T.str), null);

const upParams = [
  p('size', anyTy, null),
  p('scale_factor', anyTy, null),
  p('mode', T.str, 'nearest'),
  p('align_corners', T.bool, false),
  p('align_mode', T.int, 0),
  p('data_format', T.str, 'NCHW'),
  nameP,
] as const;
const parseUp = makeParser('paddle.nn.Upsample', upParams);

function mainStr(size: SizeArg, scale: SizeArg): string {
  return scale !== null ? `scale_factor=${pyStr(scale)}` : `size=${pyStr(size)}`;
}

/**
 * Resizes its input with F.interpolate.
 * @param size output spatial size
 * @param scale_factor multiplier of the input size
 * @param mode 'nearest' (default), 'linear', 'bilinear', 'bicubic', 'trilinear'
 * @param align_corners align corner pixels (False)
 * @param align_mode 0 (half-pixel) or 1
 * @param data_format 'NCW', 'NCHW', 'NCDHW' or channel-last forms
 * @example new nn.Upsample({ scale_factor: 2, mode: 'bilinear' })(paddle.rand([1, 3, 4, 4]))   // shape [1, 3, 8, 8]
 */
export class Upsample extends Layer {
  declare size: SizeArg;
  declare scale_factor: SizeArg;
  declare mode: string;
  declare align_corners: boolean;
  declare align_mode: number;
  declare data_format: string;
  declare name: string | null;
  constructor(...args: CallArgs<typeof upParams>) {
    super();
    const a = parseUp(args) as { size: SizeArg; scale_factor: SizeArg; mode: string; align_corners: boolean; align_mode: number; data_format: string; name: string | null };
    this.size = a.size;
    this.scale_factor = a.scale_factor;
    this.mode = a.mode.toLowerCase();
    this.align_corners = a.align_corners;
    this.align_mode = a.align_mode;
    this.data_format = a.data_format;
    this.name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return interpolate(x, {
      size: this.size, scale_factor: this.scale_factor, mode: this.mode, align_corners: this.align_corners,
      align_mode: this.align_mode, data_format: this.data_format, name: this.name,
    } as never);
  }
  override extra_repr(): string {
    const nameStr = this.name ? `, name=${this.name}` : '';
    return `${mainStr(this.size, this.scale_factor)}, mode=${this.mode}, align_corners=${pyStr(this.align_corners)}, align_mode=${this.align_mode}, data_format=${this.data_format}${nameStr}`;
  }
}

const fixedParams = [p('size', anyTy, null), p('scale_factor', anyTy, null), p('data_format', T.str, 'NCHW'), nameP] as const;
const parseNearest = makeParser('paddle.nn.UpsamplingNearest2D', fixedParams);
const parseBilinear = makeParser('paddle.nn.UpsamplingBilinear2D', fixedParams);
interface FixedArgs { size: SizeArg; scale_factor: SizeArg; data_format: string; name: string | null }

abstract class FixedUpsample extends Layer {
  declare size: SizeArg;
  declare scale_factor: SizeArg;
  declare data_format: string;
  declare name: string | null;
  protected init(a: FixedArgs): void {
    this.size = a.size;
    this.scale_factor = a.scale_factor;
    this.data_format = a.data_format;
    this.name = a.name;
  }
  protected run(x: Tensor, mode: string, alignCorners: boolean): Tensor {
    return interpolate(x, {
      size: this.size, scale_factor: this.scale_factor, mode, align_corners: alignCorners, align_mode: 0,
      data_format: this.data_format, name: this.name,
    } as never);
  }
  override extra_repr(): string {
    const nameStr = this.name ? `, name=${this.name}` : '';
    return `${mainStr(this.size, this.scale_factor)}, data_format=${this.data_format}${nameStr}`;
  }
}

/**
 * Nearest-neighbour resize of a 4-D input (F.interpolate with mode 'nearest').
 * @param size output [h, w]
 * @param scale_factor multiplier of the input size
 * @param data_format 'NCHW' or 'NHWC'
 * @example new nn.UpsamplingNearest2D({ size: [4, 6] })(paddle.rand([1, 3, 2, 3]))   // shape [1, 3, 4, 6]
 */
export class UpsamplingNearest2D extends FixedUpsample {
  constructor(...args: CallArgs<typeof fixedParams>) {
    super();
    this.init(parseNearest(args) as unknown as FixedArgs);
  }
  override forward(x: Tensor): Tensor {
    return this.run(x, 'nearest', false);
  }
}

/**
 * Bilinear resize of a 4-D input with align_corners=True (F.interpolate, mode 'bilinear').
 * @param size output [h, w]
 * @param scale_factor multiplier of the input size
 * @param data_format 'NCHW' or 'NHWC'
 * @example new nn.UpsamplingBilinear2D({ scale_factor: 2 })(paddle.rand([1, 3, 2, 3]))   // shape [1, 3, 4, 6]
 */
export class UpsamplingBilinear2D extends FixedUpsample {
  constructor(...args: CallArgs<typeof fixedParams>) {
    super();
    this.init(parseBilinear(args) as unknown as FixedArgs);
  }
  override forward(x: Tensor): Tensor {
    return this.run(x, 'bilinear', true);
  }
}
