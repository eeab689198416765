// fluid.dygraph's layers with their fluid signatures (python/paddle/fluid/dygraph/nn.py at
// 2.0): Linear(input_dim, output_dim, param_attr, bias_attr, act, dtype), Conv2D(num_channels,
// num_filters, filter_size, ...), Pool2D(pool_size, pool_type, pool_stride, ...) and
// Embedding(size, is_sparse, ...). They append the operators Paddle's do (matmul +
// elementwise_add + act; conv2d / depthwise_conv2d + elementwise_add + act; pool2d;
// lookup_table_v2) in dygraph and static mode. BatchNorm is nn.BatchNorm (already the fluid one).
import { defineApi, makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { DType, isFloating } from '../../core/dtype.js';
import { run1 } from '../../core/dispatch.js';
import { describe, fail } from '../../core/errors.js';
import { hasOp } from '../../core/registry.js';
import type { Tensor } from '../../core/tensor.js';
import { convertToList, intOrListTy } from '../../nn/functional/conv.js';
import { NormalInitializer } from '../../nn/initializer/normal.js';
import { Layer } from '../../nn/layer.js';
import { attrTy } from '../../nn/param_attr.js';
import type { ParamBase } from '../../nn/parameter.js';

export { BatchNorm } from '../../nn/layers/norm.js';

const actTy = T.nullable(T.str);
const dtypeTy = T.union(T.dtype, T.str);

/** Appends the activation `act` (an operator type such as 'relu', 'sigmoid', 'softmax'), if any. */
export function appendActivation(x: Tensor, act: string | null, api: string): Tensor {
  if (!act) return x;
  if (!hasOp(act)) fail(api, `unknown activation '${act}': act must name an activation operator such as 'relu', 'sigmoid', 'tanh' or 'softmax'`);
  return run1(act, { X: [x] });
}

/** elementwise_add of a bias along `axis` (Paddle's _append_bias_in_dygraph / append_bias_op). */
function appendBias(x: Tensor, bias: Tensor | null, axis: number): Tensor {
  return bias ? run1('elementwise_add', { X: [x], Y: [bias] }, { axis }) : x;
}

// ---- Linear -------------------------------------------------------------------------------

const linearParams = [
  p('input_dim', T.int),
  p('output_dim', T.int),
  p('param_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  p('act', actTy, null),
  p('dtype', dtypeTy, 'float32'),
] as const;

const linearForward = defineApi(
  'paddle.fluid.dygraph.Linear',
  [p('input', T.tensor), p('weight', T.tensor), p('bias', T.nullable(T.tensor), null), p('act', actTy, null)],
  (a): Tensor => {
    const api = 'paddle.fluid.dygraph.Linear';
    if (!isFloating(a.input.dtype)) fail(api, `The data type of 'input' in Linear must be float16, float32 or float64, but received ${a.input.dtype}`);
    const out = run1('matmul', { X: [a.input], Y: [a.weight] }, { transpose_X: false, transpose_Y: false, alpha: 1 });
    return appendActivation(appendBias(out, a.bias, a.input.dims.length - 1), a.act, api);
  },
);

/**
 * Fully connected layer (fluid signature): out = act(input W + b) on the last dimension;
 * W is [input_dim, output_dim] (Xavier uniform), b is [output_dim] (zeros).
 * @param input_dim size of each input sample
 * @param output_dim size of each output sample
 * @param param_attr ParamAttr of the weight
 * @param bias_attr ParamAttr of the bias (false: no bias)
 * @param act activation operator type applied to the output ('relu', 'softmax'...)
 * @param dtype 'float32' or 'float64'
 * @example const fc = new fluid.dygraph.Linear(4, 2, { act: 'relu' }); fc(paddle.ones([3, 4]))
 */
export class Linear extends Layer {
  declare weight: ParamBase;
  declare bias: ParamBase | null;
  declare _act: string | null;

  constructor(...args: CallArgs<typeof linearParams>) {
    super();
    const a = makeParser('paddle.fluid.dygraph.Linear', linearParams)(args) as {
      input_dim: number; output_dim: number; param_attr: unknown; bias_attr: unknown; act: string | null; dtype: DType;
    };
    this._act = a.act;
    this._dtype = a.dtype;
    this.weight = this.create_parameter({ shape: [a.input_dim, a.output_dim], attr: a.param_attr, dtype: a.dtype, is_bias: false });
    this.bias = this.create_parameter({ shape: [a.output_dim], attr: a.bias_attr, dtype: a.dtype, is_bias: true }) ?? null;
  }
  override forward(input: Tensor): Tensor {
    return linearForward(input, this.weight, this.bias, this._act);
  }
}

// ---- Conv2D -------------------------------------------------------------------------------

const conv2dParams = [
  p('num_channels', T.int),
  p('num_filters', T.int),
  p('filter_size', intOrListTy),
  p('stride', intOrListTy, 1),
  p('padding', intOrListTy, 0),
  p('dilation', intOrListTy, 1),
  p('groups', T.nullable(T.int), null),
  p('param_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  p('use_cudnn', T.any, true),
  p('act', actTy, null),
  p('dtype', dtypeTy, 'float32'),
] as const;

const conv2dForward = defineApi(
  'paddle.fluid.dygraph.Conv2D',
  [p('input', T.tensor), p('layer', T.any)],
  (a): Tensor => {
    const l = a.layer as Conv2D;
    const attrs = {
      strides: l._stride, paddings: l._padding, dilations: l._dilation, groups: l._groups ?? 1, use_cudnn: l._use_cudnn, use_mkldnn: false,
    };
    const out = run1(l._l_type, { Input: [a.input], Filter: [l.weight] }, attrs, 'Output');
    return appendActivation(appendBias(out, l.bias, 1), l._act, 'paddle.fluid.dygraph.Conv2D');
  },
);

/**
 * 2-D convolution layer (fluid signature) on NCHW input: out = act(conv2d(input, W) + b).
 * W is [num_filters, num_channels/groups, kh, kw], initialized Normal(0, sqrt(2 / (kh*kw*
 * num_channels))); b is [num_filters] (zeros). With use_cudnn=false and num_channels ==
 * groups dividing num_filters, the op is depthwise_conv2d, as in Paddle.
 * @param num_channels input channels
 * @param num_filters output channels
 * @param filter_size int or [kh, kw]
 * @param stride int or [sh, sw] (1)
 * @param padding int or [ph, pw] (0)
 * @param dilation int or [dh, dw] (1)
 * @param groups channel groups (null: 1)
 * @param param_attr ParamAttr of the filter (not false)
 * @param bias_attr ParamAttr of the bias (false: no bias)
 * @param use_cudnn whether Paddle would use cuDNN (true)
 * @param act activation applied to the output
 * @param dtype 'float32' or 'float64'
 * @example const conv = new fluid.dygraph.Conv2D(3, 8, 3, { padding: 1, act: 'relu' })
 */
export class Conv2D extends Layer {
  declare weight: ParamBase;
  declare bias: ParamBase | null;
  declare _num_channels: number;
  declare _num_filters: number;
  declare _groups: number | null;
  declare _stride: number[];
  declare _padding: number[];
  declare _dilation: number[];
  declare _filter_size: number | number[];
  declare _act: string | null;
  declare _use_cudnn: boolean;
  declare _l_type: string;

  constructor(...args: CallArgs<typeof conv2dParams>) {
    const api = 'paddle.fluid.dygraph.Conv2D';
    const a = makeParser(api, conv2dParams)(args) as {
      num_channels: number; num_filters: number; filter_size: number | number[]; stride: number | number[]; padding: number | number[];
      dilation: number | number[]; groups: number | null; param_attr: unknown; bias_attr: unknown; use_cudnn: unknown; act: string | null; dtype: DType;
    };
    if (a.param_attr === false) fail(api, 'param_attr should not be False here.');
    super();
    this._num_channels = a.num_channels;
    this._groups = a.groups;
    this._stride = convertToList(api, a.stride, 2, 'stride');
    this._padding = convertToList(api, a.padding, 2, 'padding');
    this._dilation = convertToList(api, a.dilation, 2, 'dilation');
    this._act = a.act;
    if (typeof a.use_cudnn !== 'boolean') fail(api, `use_cudnn should be True or False, but got ${describe(a.use_cudnn)}`);
    this._use_cudnn = a.use_cudnn;
    this._filter_size = a.filter_size;
    this._num_filters = a.num_filters;
    this._dtype = a.dtype;
    this._l_type = this._num_channels === this._groups && a.num_filters % this._num_channels === 0 && !this._use_cudnn ? 'depthwise_conv2d' : 'conv2d';
    let filterChannels: number;
    if (this._groups === null) filterChannels = this._num_channels;
    else {
      if (this._groups < 1) fail(api, `groups must be a positive integer, but got ${this._groups}`);
      if (this._num_channels % this._groups !== 0) fail(api, 'num_channels must be divisible by groups.');
      filterChannels = this._num_channels / this._groups;
    }
    const fs = convertToList(api, a.filter_size, 2, 'filter_size');
    const std = Math.sqrt(2.0 / (fs[0] * fs[1] * this._num_channels));
    this.weight = this.create_parameter({
      attr: a.param_attr, shape: [this._num_filters, filterChannels, ...fs], dtype: a.dtype, default_initializer: new NormalInitializer(0.0, std, 0),
    });
    this.bias = this.create_parameter({ attr: a.bias_attr, shape: [this._num_filters], dtype: a.dtype, is_bias: true }) ?? null;
  }
  override forward(input: Tensor): Tensor {
    return conv2dForward(input, this);
  }
}

// ---- Pool2D -------------------------------------------------------------------------------

const pool2dParams = [
  p('pool_size', intOrListTy, -1),
  p('pool_type', T.str, 'max'),
  p('pool_stride', intOrListTy, 1),
  p('pool_padding', intOrListTy, 0),
  p('global_pooling', T.bool, false),
  p('use_cudnn', T.any, true),
  p('ceil_mode', T.bool, false),
  p('exclusive', T.bool, true),
  p('data_format', T.str, 'NCHW'),
] as const;

const pool2dForward = defineApi('paddle.fluid.dygraph.Pool2D', [p('input', T.tensor), p('layer', T.any)], (a): Tensor => {
  const l = a.layer as Pool2D;
  return run1('pool2d', { X: [a.input] }, {
    pooling_type: l._pool_type, ksize: l._pool_size, global_pooling: l._global_pooling, strides: l._pool_stride, paddings: l._pool_padding,
    use_cudnn: l._use_cudnn, ceil_mode: l._ceil_mode, use_mkldnn: false, exclusive: l._exclusive, data_format: l._data_format,
  });
});

/**
 * 2-D pooling layer (fluid signature): max or average pooling of an NCHW (or NHWC) input.
 * @param pool_size int or [kh, kw] (required unless global_pooling)
 * @param pool_type 'max' or 'avg'
 * @param pool_stride int or [sh, sw] (1)
 * @param pool_padding int or [ph, pw] (0)
 * @param global_pooling pool the whole feature map
 * @param use_cudnn whether Paddle would use cuDNN
 * @param ceil_mode use ceil to compute the output size
 * @param exclusive average pooling ignores the padding
 * @param data_format 'NCHW' or 'NHWC'
 * @example const pool = new fluid.dygraph.Pool2D({ pool_size: 2, pool_type: 'max', pool_stride: 2 })
 */
export class Pool2D extends Layer {
  declare _pool_type: string;
  declare _pool_size: number[];
  declare _pool_padding: number[];
  declare _pool_stride: number[];
  declare _global_pooling: boolean;
  declare _use_cudnn: boolean;
  declare _ceil_mode: boolean;
  declare _exclusive: boolean;
  declare _data_format: string;
  declare _l_type: string;

  constructor(...args: CallArgs<typeof pool2dParams>) {
    const api = 'paddle.fluid.dygraph.Pool2D';
    const a = makeParser(api, pool2dParams)(args) as {
      pool_size: number | number[]; pool_type: string; pool_stride: number | number[]; pool_padding: number | number[]; global_pooling: boolean;
      use_cudnn: unknown; ceil_mode: boolean; exclusive: boolean; data_format: string;
    };
    const df = a.data_format.toUpperCase();
    if (df !== 'NCHW' && df !== 'NHWC') fail(api, `Attr(data_format) should be 'NCHW' or 'NHWC'. Received Attr(data_format): ${a.data_format}.`);
    if (a.pool_type !== 'max' && a.pool_type !== 'avg') fail(api, `Unknown pool_type: '${a.pool_type}'. It can only be 'max' or 'avg'.`);
    if (!a.global_pooling && a.pool_size === -1)
      fail(api, `When the global_pooling is False, pool_size must be passed and be a valid value. Received pool_size: ${JSON.stringify(a.pool_size)}`);
    if (typeof a.use_cudnn !== 'boolean') fail(api, `use_cudnn should be True or False, but got ${describe(a.use_cudnn)}`);
    super();
    this._pool_type = a.pool_type;
    this._pool_size = convertToList(api, a.pool_size, 2, 'pool_size');
    this._pool_padding = convertToList(api, a.pool_padding, 2, 'pool_padding');
    this._pool_stride = convertToList(api, a.pool_stride, 2, 'pool_stride');
    this._global_pooling = a.global_pooling;
    this._use_cudnn = a.use_cudnn;
    this._ceil_mode = a.ceil_mode;
    this._exclusive = a.exclusive;
    this._data_format = df;
    this._l_type = 'pool2d';
  }
  override forward(input: Tensor): Tensor {
    return pool2dForward(input, this);
  }
}

// ---- Embedding ----------------------------------------------------------------------------

const embeddingParams = [
  p('size', T.ints),
  p('is_sparse', T.bool, false),
  p('is_distributed', T.bool, false),
  p('padding_idx', T.nullable(T.int), null),
  p('param_attr', attrTy, null),
  p('dtype', dtypeTy, 'float32'),
] as const;

const embeddingForward = defineApi('paddle.fluid.dygraph.Embedding', [p('input', T.tensor), p('layer', T.any)], (a): Tensor => {
  const l = a.layer as Embedding;
  if (a.input.dtype !== 'int64' && a.input.dtype !== 'int32')
    fail('paddle.fluid.dygraph.Embedding', `The data type of 'input' in Embedding must be int64 (or int32), but received ${a.input.dtype}`);
  return run1('lookup_table_v2', { W: [l.weight], Ids: [a.input] }, {
    is_sparse: l._is_sparse, is_distributed: l._is_distributed, remote_prefetch: l._remote_prefetch, padding_idx: l._padding_idx,
  });
});

/**
 * Embedding lookup (fluid.dygraph signature, the `lookup_table_v2` op): each id of the input
 * (int64, any shape) is replaced by its row of the [vocab, dim] table; the output shape is the
 * input's plus [dim]. Rows of padding_idx give zeros (a negative padding_idx counts from the end).
 * @param size [vocab_size, embedding_dim]
 * @param is_sparse sparse gradient updates: the weight's gradient is SelectedRows (the looked-up rows)
 * @param is_distributed distributed table (parameter server)
 * @param padding_idx the id whose output is zeros, or null
 * @param param_attr ParamAttr of the table (default Xavier uniform)
 * @param dtype 'float32' or 'float64'
 * @example const emb = new fluid.dygraph.Embedding([10, 4]); emb(paddle.to_tensor([[1], [3]]))  // [2, 1, 4]
 */
export class Embedding extends Layer {
  declare weight: ParamBase;
  declare _size: number[];
  declare _is_sparse: boolean;
  declare _is_distributed: boolean;
  declare _padding_idx: number;
  declare _remote_prefetch: boolean;
  declare _param_attr: unknown;

  constructor(...args: CallArgs<typeof embeddingParams>) {
    super();
    const api = 'paddle.fluid.dygraph.Embedding';
    const a = makeParser(api, embeddingParams)(args) as {
      size: number[]; is_sparse: boolean; is_distributed: boolean; padding_idx: number | null; param_attr: unknown; dtype: DType;
    };
    if (a.size.length !== 2 || a.size.some((d) => d <= 0)) fail(api, `size must be [vocab_size, embedding_dim] with positive entries, but got ${JSON.stringify(a.size)}`);
    this._size = a.size;
    this._is_sparse = a.is_sparse;
    this._is_distributed = a.is_distributed;
    const pi = a.padding_idx;
    if (pi !== null && (pi >= a.size[0] || pi < -a.size[0])) fail(api, `padding_idx must be within [-${a.size[0]}, ${a.size[0]}), but got ${pi}`);
    this._padding_idx = pi === null ? -1 : pi >= 0 ? pi : a.size[0] + pi;
    this._param_attr = a.param_attr;
    this._dtype = a.dtype;
    this._remote_prefetch = this._is_sparse && !this._is_distributed;
    this.weight = this.create_parameter({ attr: a.param_attr, shape: this._size, dtype: a.dtype, is_bias: false });
  }
  override forward(input: Tensor): Tensor {
    return embeddingForward(input, this);
  }
}
