// Convolution layers (python/paddle/nn/layer/conv.py, 2.0): Conv1D, Conv2D, Conv3D and
// Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, built on nn.functional's convolutions.
// Weights are [out_channels, in_channels/groups, k...] ([in_channels, out_channels/groups,
// k...] when transposed); convolution weights start Normal(0, sqrt(2 / (prod(k) *
// in_channels))), transposed ones Xavier (the Layer default), biases 0.
import { makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { fail } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as F from '../functional/index.js';
import {
  conv1d, conv1d_transpose, conv2d_transpose, conv2dOpType, conv3d_transpose, convertToList, convNd, intOrListTy, paddingTy,
  updatePaddingNd, type PaddingArg,
} from '../functional/conv.js';
import { NormalInitializer } from '../initializer/normal.js';
import { Layer } from '../layer.js';
import { attrTy } from '../param_attr.js';
import type { ParamBase } from '../parameter.js';

const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'];

/** Pads the spatial dims of x by `pad` (as F.pad: [before, after] per dim, last dim first). */
function padInput(x: Tensor, pad: number[], mode: string, dataFormat: string): Tensor {
  return F.pad(x, pad, { mode, data_format: dataFormat });
}

interface ConvArgs {
  in_channels: number;
  out_channels: number;
  kernel_size: number | number[];
  stride: number | number[];
  padding: PaddingArg;
  padding_mode?: string;
  output_padding?: number | number[];
  dilation: number | number[];
  groups: number;
  weight_attr: unknown;
  bias_attr: unknown;
  data_format: string;
}

/** The shared base of the convolution layers (Paddle's _ConvNd). */
export class _ConvNd extends Layer {
  declare weight: ParamBase;
  declare bias: ParamBase | null;
  declare _param_attr: unknown;
  declare _bias_attr: unknown;
  declare _groups: number;
  declare _in_channels: number;
  declare _out_channels: number;
  declare _data_format: string;
  declare _channel_dim: number;
  declare _stride: number[];
  declare _dilation: number[];
  declare _kernel_size: number[];
  declare _padding: PaddingArg;
  declare _padding_mode: string;
  declare output_padding: number | number[];
  declare _updated_padding: number[];
  declare _padding_algorithm: string;
  declare _reversed_padding_repeated_twice: number[];
  declare _use_cudnn: boolean;
  declare _op_type: string;

  constructor(api: string, a: ConvArgs, transposed: boolean, dims: number) {
    super();
    const { in_channels, out_channels, groups, data_format } = a;
    const paddingMode = a.padding_mode ?? 'zeros';
    if (a.weight_attr === false) fail(api, 'weight_attr should not be False in Conv.');
    if (!(in_channels > 0) || !(out_channels > 0)) fail(api, `in_channels and out_channels must be positive, but got ${in_channels} and ${out_channels}`);
    if (groups < 1) fail(api, `groups must be a positive integer, but got ${groups}`);
    const formats = dims === 1 ? ['NCL', 'NLC'] : dims === 2 ? ['NCHW', 'NHWC'] : ['NCDHW', 'NDHWC'];
    if (!formats.includes(data_format)) fail(api, `data_format must be '${formats[0]}' or '${formats[1]}', but got '${data_format}'`);
    this._param_attr = a.weight_attr;
    this._bias_attr = a.bias_attr;
    this._groups = groups;
    this._in_channels = in_channels;
    this._out_channels = out_channels;
    this._data_format = data_format;
    if (!PADDING_MODES.includes(paddingMode))
      fail(api, `padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${paddingMode}'`);
    if (paddingMode !== 'zeros' && typeof a.padding !== 'number')
      fail(api, "when padding_mode in ['reflect', 'replicate', 'circular'], type of padding must be int");
    const channelLast = data_format === 'NHWC' || data_format === 'NDHWC' || data_format === 'NLC';
    this._channel_dim = channelLast ? data_format.length - 1 : 1;
    this._stride = convertToList(api, a.stride, dims, 'stride');
    this._dilation = convertToList(api, a.dilation, dims, 'dilation');
    this._kernel_size = convertToList(api, a.kernel_size, dims, 'kernel_size');
    if (this._kernel_size.some((k) => k < 1)) fail(api, `kernel_size must hold positive integers, but got ${JSON.stringify(a.kernel_size)}`);
    this._padding = a.padding;
    this._padding_mode = paddingMode;
    this.output_padding = a.output_padding ?? 0;
    if (dims !== 1) [this._updated_padding, this._padding_algorithm] = updatePaddingNd(api, a.padding, channelLast, dims);
    let shape: number[];
    if (transposed) {
      if (out_channels % groups !== 0) fail(api, `out_channels (${out_channels}) must be divisible by groups (${groups}).`);
      shape = [in_channels, out_channels / groups, ...this._kernel_size];
    } else {
      if (in_channels % groups !== 0) fail(api, `in_channels must be divisible by groups. (in_channels=${in_channels}, groups=${groups})`);
      if (paddingMode !== 'zeros') {
        const paired = convertToList(api, a.padding as number, dims, 'padding');
        this._reversed_padding_repeated_twice = paired.slice().reverse().flatMap((v) => [v, v]);
        [this._updated_padding, this._padding_algorithm] = updatePaddingNd(api, 0, channelLast, dims);
      }
      shape = [out_channels, in_channels / groups, ...this._kernel_size];
    }
    // Paddle's _get_default_param_initializer: Normal(0, sqrt(2 / (prod(k) * in_channels)))
    const fanIn = this._kernel_size.reduce((x, y) => x * y, 1) * in_channels;
    const init = transposed ? null : new NormalInitializer(0.0, Math.sqrt(2.0 / fanIn), 0);
    this.weight = this.create_parameter({ shape, attr: a.weight_attr, default_initializer: init });
    this.bias = this.create_parameter({ shape: [out_channels], attr: a.bias_attr, is_bias: true }) ?? null;
    this._use_cudnn = false;
    this._op_type = `conv${dims}d`;
    if (this._op_type === 'conv2d') this._op_type = conv2dOpType(in_channels, out_channels, groups);
  }

  override extra_repr(): string {
    const list = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
    let s = `${this._in_channels}, ${this._out_channels}, kernel_size=${list(this._kernel_size)}`;
    if (this._stride.some((v) => v !== 1)) s += `, stride=${list(this._stride)}`;
    if (this._padding !== 0) s += `, padding=${typeof this._padding === 'string' ? this._padding : list(this._padding)}`;
    if (this._padding_mode !== 'zeros') s += `, padding_mode=${this._padding_mode}`;
    if (this.output_padding !== 0) s += `, output_padding=${list(this.output_padding)}`;
    if (this._dilation.some((v) => v !== 1)) s += `, dilation=${list(this._dilation)}`;
    if (this._groups !== 1) s += `, groups=${this._groups}`;
    return `${s}, data_format=${this._data_format}`;
  }
}

const convLayerParams = (fmt: string) =>
  [
    p('in_channels', T.int),
    p('out_channels', T.int),
    p('kernel_size', intOrListTy),
    p('stride', intOrListTy, 1),
    p('padding', paddingTy, 0),
    p('dilation', intOrListTy, 1),
    p('groups', T.int, 1),
    p('padding_mode', T.str, 'zeros'),
    p('weight_attr', attrTy, null),
    p('bias_attr', attrTy, null),
    p('data_format', T.str, fmt),
  ] as const;
const conv1dParams = convLayerParams('NCL');
const conv2dParams = convLayerParams('NCHW');
const conv3dParams = convLayerParams('NCDHW');

/** Transposed: (..., output_padding, groups, dilation, ...) for 1-D; (..., output_padding, dilation, groups, ...) for 2-D/3-D. */
const convTLayerParams = (fmt: string, groupsFirst: boolean) =>
  [
    p('in_channels', T.int),
    p('out_channels', T.int),
    p('kernel_size', intOrListTy),
    p('stride', intOrListTy, 1),
    p('padding', paddingTy, 0),
    p('output_padding', intOrListTy, 0),
    p(groupsFirst ? 'groups' : 'dilation', groupsFirst ? T.int : intOrListTy, 1),
    p(groupsFirst ? 'dilation' : 'groups', groupsFirst ? intOrListTy : T.int, 1),
    p('weight_attr', attrTy, null),
    p('bias_attr', attrTy, null),
    p('data_format', T.str, fmt),
  ] as const;
const conv1dTParams = convTLayerParams('NCL', true);
const conv2dTParams = convTLayerParams('NCHW', false);
const conv3dTParams = convTLayerParams('NCDHW', false);

const parsers = {
  Conv1D: makeParser('paddle.nn.Conv1D', conv1dParams),
  Conv2D: makeParser('paddle.nn.Conv2D', conv2dParams),
  Conv3D: makeParser('paddle.nn.Conv3D', conv3dParams),
  Conv1DTranspose: makeParser('paddle.nn.Conv1DTranspose', conv1dTParams),
  Conv2DTranspose: makeParser('paddle.nn.Conv2DTranspose', conv2dTParams),
  Conv3DTranspose: makeParser('paddle.nn.Conv3DTranspose', conv3dTParams),
};

/**
 * 1-D convolution layer on [N, C, L] ('NCL') or [N, L, C] ('NLC') input; weight
 * [out_channels, in_channels/groups, kernel_size], bias [out_channels].
 * @param in_channels channels of the input
 * @param out_channels channels of the output
 * @param kernel_size int or [k]
 * @param stride int or [s] (1)
 * @param padding int, [p], [before, after] or 'same'/'valid' (0)
 * @param dilation int or [d] (1)
 * @param groups channel groups (1)
 * @param padding_mode 'zeros', 'reflect', 'replicate' or 'circular' (non-zeros needs an int padding)
 * @param weight_attr ParamAttr of the weight (default Normal(0, sqrt(2/(k*in_channels))))
 * @param bias_attr ParamAttr of the bias; false: no bias
 * @param data_format 'NCL' or 'NLC'
 * @example const conv = new nn.Conv1D(3, 8, 3, { padding: 1 }); conv(paddle.ones([2, 3, 10])) // shape [2, 8, 10]
 */
export class Conv1D extends _ConvNd {
  constructor(...args: CallArgs<typeof conv1dParams>) {
    super('paddle.nn.Conv1D', parsers.Conv1D(args) as unknown as ConvArgs, false, 1);
  }
  override forward(x: Tensor): Tensor {
    let padding: PaddingArg = 0;
    if (this._padding_mode !== 'zeros') x = padInput(x, this._reversed_padding_repeated_twice, this._padding_mode, this._data_format);
    else padding = this._padding;
    return conv1d(x, this.weight, this.bias, {
      padding, stride: this._stride, dilation: this._dilation, groups: this._groups, data_format: this._data_format,
    });
  }
}

/**
 * 2-D convolution layer on [N, C, H, W] ('NCHW') or [N, H, W, C] ('NHWC') input; weight
 * [out_channels, in_channels/groups, kh, kw], bias [out_channels]. Uses depthwise_conv2d when
 * groups == in_channels != 1 and out_channels is a multiple of in_channels.
 * @param in_channels channels of the input
 * @param out_channels channels of the output
 * @param kernel_size int or [kh, kw]
 * @param stride int or [sh, sw] (1)
 * @param padding int, [ph, pw], [top, bottom, left, right], pairs or 'same'/'valid' (0)
 * @param dilation int or [dh, dw] (1)
 * @param groups channel groups (1)
 * @param padding_mode 'zeros', 'reflect', 'replicate' or 'circular' (non-zeros needs an int padding)
 * @param weight_attr ParamAttr of the weight (default Normal(0, sqrt(2/(kh*kw*in_channels))))
 * @param bias_attr ParamAttr of the bias; false: no bias
 * @param data_format 'NCHW' or 'NHWC'
 * @example const conv = new nn.Conv2D(3, 16, 3, { padding: 1 }); conv(paddle.ones([1, 3, 8, 8])) // shape [1, 16, 8, 8]
 */
export class Conv2D extends _ConvNd {
  constructor(...args: CallArgs<typeof conv2dParams>) {
    super('paddle.nn.Conv2D', parsers.Conv2D(args) as unknown as ConvArgs, false, 2);
  }
  override forward(x: Tensor): Tensor {
    if (this._padding_mode !== 'zeros') x = padInput(x, this._reversed_padding_repeated_twice, this._padding_mode, this._data_format);
    return convNd(
      x, this.weight, this.bias, this._stride, this._updated_padding, this._padding_algorithm, this._dilation, this._groups,
      this._data_format, this._channel_dim, this._op_type,
    );
  }
}

/**
 * 3-D convolution layer on [N, C, D, H, W] ('NCDHW') or [N, D, H, W, C] ('NDHWC') input;
 * weight [out_channels, in_channels/groups, kd, kh, kw], bias [out_channels].
 * @param in_channels channels of the input
 * @param out_channels channels of the output
 * @param kernel_size int or [kd, kh, kw]
 * @param stride int or [sd, sh, sw] (1)
 * @param padding int, 3 or 6 ints, pairs or 'same'/'valid' (0)
 * @param dilation int or [dd, dh, dw] (1)
 * @param groups channel groups (1)
 * @param padding_mode 'zeros', 'reflect', 'replicate' or 'circular' (non-zeros needs an int padding)
 * @param weight_attr ParamAttr of the weight (default Normal(0, sqrt(2/(kd*kh*kw*in_channels))))
 * @param bias_attr ParamAttr of the bias; false: no bias
 * @param data_format 'NCDHW' or 'NDHWC'
 * @example const conv = new nn.Conv3D(2, 4, 3); conv(paddle.ones([1, 2, 5, 5, 5])) // shape [1, 4, 3, 3, 3]
 */
export class Conv3D extends _ConvNd {
  constructor(...args: CallArgs<typeof conv3dParams>) {
    super('paddle.nn.Conv3D', parsers.Conv3D(args) as unknown as ConvArgs, false, 3);
  }
  override forward(x: Tensor): Tensor {
    if (this._padding_mode !== 'zeros') x = padInput(x, this._reversed_padding_repeated_twice, this._padding_mode, this._data_format);
    return convNd(
      x, this.weight, this.bias, this._stride, this._updated_padding, this._padding_algorithm, this._dilation, this._groups,
      this._data_format, this._channel_dim, this._op_type,
    );
  }
}

/**
 * 1-D transposed convolution layer; weight [in_channels, out_channels/groups, kernel_size].
 * forward(x, output_size=null). Note the order (..., output_padding, groups, dilation, ...).
 * @param in_channels channels of the input
 * @param out_channels channels of the output
 * @param kernel_size int or [k]
 * @param stride int or [s] (1)
 * @param padding int, [p], [before, after] or 'same'/'valid' (0)
 * @param output_padding extra size on one side of the output (0)
 * @param groups channel groups (1)
 * @param dilation int or [d] (1)
 * @param weight_attr ParamAttr of the weight (default Xavier)
 * @param bias_attr ParamAttr of the bias; false: no bias
 * @param data_format 'NCL' or 'NLC'
 * @example const up = new nn.Conv1DTranspose(4, 2, 3, { stride: 2 }); up(paddle.ones([1, 4, 5])) // shape [1, 2, 11]
 */
export class Conv1DTranspose extends _ConvNd {
  constructor(...args: CallArgs<typeof conv1dTParams>) {
    super('paddle.nn.Conv1DTranspose', parsers.Conv1DTranspose(args) as unknown as ConvArgs, true, 1);
  }
  override forward(x: Tensor, output_size: number | number[] | null = null): Tensor {
    return conv1d_transpose(x, this.weight, this.bias, {
      output_size, output_padding: this.output_padding, padding: this._padding, stride: this._stride, dilation: this._dilation,
      groups: this._groups, data_format: this._data_format,
    });
  }
}

/**
 * 2-D transposed convolution layer; weight [in_channels, out_channels/groups, kh, kw].
 * forward(x, output_size=null): output_size [h, w] picks among the possible output sizes.
 * @param in_channels channels of the input
 * @param out_channels channels of the output
 * @param kernel_size int or [kh, kw]
 * @param stride int or [sh, sw] (1)
 * @param padding int, [ph, pw], [top, bottom, left, right], pairs or 'same'/'valid' (0)
 * @param output_padding extra size on one side of each output dim (0)
 * @param dilation int or [dh, dw] (1)
 * @param groups channel groups (1)
 * @param weight_attr ParamAttr of the weight (default Xavier)
 * @param bias_attr ParamAttr of the bias; false: no bias
 * @param data_format 'NCHW' or 'NHWC'
 * @example const up = new nn.Conv2DTranspose(4, 2, 3, { stride: 2, padding: 1 }); up(paddle.ones([1, 4, 5, 5])) // shape [1, 2, 9, 9]
 */
export class Conv2DTranspose extends _ConvNd {
  constructor(...args: CallArgs<typeof conv2dTParams>) {
    super('paddle.nn.Conv2DTranspose', parsers.Conv2DTranspose(args) as unknown as ConvArgs, true, 2);
  }
  override forward(x: Tensor, output_size: number | number[] | null = null): Tensor {
    return conv2d_transpose(x, this.weight, this.bias, {
      padding: this._padding, output_padding: output_size === null ? this.output_padding : 0, stride: this._stride,
      dilation: this._dilation, groups: this._groups, output_size, data_format: this._data_format,
    });
  }
}

/**
 * 3-D transposed convolution layer; weight [in_channels, out_channels/groups, kd, kh, kw].
 * forward(x, output_size=null).
 * @param in_channels channels of the input
 * @param out_channels channels of the output
 * @param kernel_size int or [kd, kh, kw]
 * @param stride int or [sd, sh, sw] (1)
 * @param padding int, 3 or 6 ints, pairs or 'same'/'valid' (0)
 * @param output_padding extra size on one side of each output dim (0)
 * @param dilation int or [dd, dh, dw] (1)
 * @param groups channel groups (1)
 * @param weight_attr ParamAttr of the weight (default Xavier)
 * @param bias_attr ParamAttr of the bias; false: no bias
 * @param data_format 'NCDHW' or 'NDHWC'
 * @example const up = new nn.Conv3DTranspose(4, 2, 2, { stride: 2 }); up(paddle.ones([1, 4, 3, 3, 3])) // shape [1, 2, 6, 6, 6]
 */
export class Conv3DTranspose extends _ConvNd {
  constructor(...args: CallArgs<typeof conv3dTParams>) {
    super('paddle.nn.Conv3DTranspose', parsers.Conv3DTranspose(args) as unknown as ConvArgs, true, 3);
  }
  override forward(x: Tensor, output_size: number | number[] | null = null): Tensor {
    return conv3d_transpose(x, this.weight, this.bias, {
      padding: this._padding, output_padding: output_size === null ? this.output_padding : 0, stride: this._stride,
      dilation: this._dilation, groups: this._groups, output_size, data_format: this._data_format,
    });
  }
}
