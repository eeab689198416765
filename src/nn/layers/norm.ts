// Normalization layers (python/paddle/nn/layer/norm.py and fluid/dygraph/nn.py at 2.0):
// BatchNorm (the fluid one), BatchNorm1D/2D/3D, SyncBatchNorm, InstanceNorm1D/2D/3D,
// LayerNorm, GroupNorm, LocalResponseNorm and SpectralNorm.
import { makeParser, p, type CallArgs, type Param } from '../../core/args.js';
import { T } from '../../core/convert.js';
import type { DType } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { fail } from '../../core/errors.js';
import { hasOp } from '../../core/registry.js';
import { showShape } from '../../core/shape.js';
import { state } from '../../core/state.js';
import type { Tensor } from '../../core/tensor.js';
import type { Slots } from '../../core/registry.js';
import { batch_norm, instance_norm, layer_norm, local_response_norm, runBatchNorm } from '../functional/norm.js';
import { Constant } from '../initializer/constant.js';
import { Normal } from '../initializer/normal.js';
import { Layer } from '../layer.js';
import { attrTy, ParamAttr } from '../param_attr.js';
import type { ParamBase } from '../parameter.js';

type AnyParam = Param<string, any, any, boolean>;
const nameP = p('name', T.nullable(T.str), null);

/** Python's repr of a float: 0.9, 1e-05, 1.0. */
function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  const e = Math.floor(Math.log10(Math.abs(v)));
  if (e < -4 || e >= 16) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(v);
}

/** Whether a weight/bias attribute sets learning_rate 0 (Paddle then stops its gradient). */
function lrZero(attr: unknown): boolean {
  return attr instanceof ParamAttr && attr.learning_rate === 0;
}

/** Parses a layer's constructor arguments under the API name of the class being built. */
function parseFor(cls: { name: string }, params: readonly AnyParam[], args: readonly unknown[]): Record<string, any> {
  return makeParser(`paddle.nn.${cls.name}`, params)(args);
}

/** Fails unless `input` has one of `ranks` dims (undefined: any rank), naming layer class `cls`. */
function checkRank(cls: string, ranks: number[] | undefined, input: Tensor): void {
  if (ranks && !ranks.includes(input.dims.length))
    fail(`paddle.nn.${cls}`, `expected ${ranks.map((r) => `${r}D`).join(' or ')} input (got ${input.dims.length}D input of shape ${showShape(input.dims)})`);
}

/** The end of an extra_repr: data_format unless 'NCHW', then name when set. */
function formatAndName(dataFormat: string, name: string | null): string {
  return (dataFormat !== 'NCHW' ? `, data_format=${dataFormat}` : '') + (name !== null ? `, name=${name}` : '');
}

/**
 * Creates a batch / group norm's `weight` (ones) and `bias` (zeros) of `shape`: an attribute
 * of false keeps its parameter, fixed (stop_gradient); another is fixed when its learning rate is 0.
 */
function createAffine(layer: Layer & { weight: ParamBase; bias: ParamBase }, shape: number[], weightAttr: unknown, biasAttr: unknown): void {
  if (weightAttr === false) {
    layer.weight = layer.create_parameter({ shape, attr: null, default_initializer: new Constant(1.0) });
    layer.weight.stop_gradient = true;
  } else {
    layer.weight = layer.create_parameter({ shape, attr: weightAttr, default_initializer: new Constant(1.0) });
    layer.weight.stop_gradient = lrZero(weightAttr);
  }
  if (biasAttr === false) {
    layer.bias = layer.create_parameter({ shape, attr: null, default_initializer: new Constant(0.0), is_bias: true });
    layer.bias.stop_gradient = true;
  } else {
    layer.bias = layer.create_parameter({ shape, attr: biasAttr, is_bias: true });
    layer.bias.stop_gradient = lrZero(biasAttr);
  }
}

// ---- BatchNorm1D / 2D / 3D, SyncBatchNorm ---------------------------------------------------

const bnParams = [
  p('num_features', T.int),
  p('momentum', T.float, 0.9),
  p('epsilon', T.float, 1e-5),
  p('weight_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  p('data_format', T.str, 'NCHW'),
  p('use_global_stats', T.nullable(T.bool), null),
  nameP,
] as const;

/** The data formats each batch norm layer accepts, mapped to the operator's layout. */
const BN_LAYOUTS: Record<string, Record<string, 'NCHW' | 'NHWC'>> = {
  BatchNorm1D: { NCHW: 'NCHW', NC: 'NCHW', NCL: 'NCHW', NHWC: 'NHWC', NLC: 'NHWC' },
  BatchNorm2D: { NCHW: 'NCHW', NHWC: 'NHWC' },
  BatchNorm3D: { NCHW: 'NCHW', NCDHW: 'NCHW', NHWC: 'NHWC', NDHWC: 'NHWC' },
  SyncBatchNorm: { NCHW: 'NCHW', NC: 'NCHW', NCL: 'NCHW', NCDHW: 'NCHW', NHWC: 'NHWC', NLC: 'NHWC', NDHWC: 'NHWC' },
};
const BN_RANKS: Record<string, number[]> = { BatchNorm1D: [2, 3], BatchNorm2D: [4], BatchNorm3D: [5] };

/** The error for a data_format that is not among a batch norm layer's `formats`. */
function badFormat(api: string, formats: Record<string, string>, got: string): never {
  return fail(api, `data_format must be ${Object.keys(formats).map((f) => `'${f}'`).join(', ')}, but got '${got}'`);
}

/**
 * The base of BatchNorm1D/2D/3D and SyncBatchNorm (Paddle's _BatchNormBase). Parameters:
 * `weight` (ones), `bias` (zeros), and the running statistics `_mean` (zeros) and `_variance`
 * (ones), which are non-trainable Parameters, so they are in parameters() and state_dict.
 * weight_attr/bias_attr false keep the parameter, fixed (stop_gradient), as Paddle 2.0 does.
 */
export class _BatchNormBase extends Layer {
  declare weight: ParamBase;
  declare bias: ParamBase;
  declare _mean: ParamBase;
  declare _variance: ParamBase;
  declare _num_features: number;
  declare _weight_attr: unknown;
  declare _bias_attr: unknown;
  declare _use_global_stats: boolean | null;
  declare _data_format: string;
  declare _momentum: number;
  declare _epsilon: number;
  declare _name: string | null;

  /** @internal The constructor's parameters (SyncBatchNorm has no use_global_stats). */
  static _params: readonly AnyParam[] = bnParams;

  constructor(...args: CallArgs<typeof bnParams>) {
    super();
    const cls = new.target as unknown as { name: string; _params: readonly AnyParam[] };
    const a = parseFor(cls, cls._params, args) as {
      num_features: number; momentum: number; epsilon: number; weight_attr: unknown; bias_attr: unknown;
      data_format: string; use_global_stats: boolean | null; name: string | null;
    };
    const api = `paddle.nn.${cls.name}`;
    if (a.num_features < 1) fail(api, `num_features must be a positive integer, but got ${a.num_features}`);
    const formats = BN_LAYOUTS[cls.name] ?? BN_LAYOUTS.SyncBatchNorm;
    if (!(a.data_format in formats)) badFormat(api, formats, a.data_format);
    this._num_features = a.num_features;
    this._weight_attr = a.weight_attr;
    this._bias_attr = a.bias_attr;
    this._use_global_stats = a.use_global_stats ?? null;
    const shape = [a.num_features];
    createAffine(this, shape, a.weight_attr, a.bias_attr);
    const statAttr = (suffix: string, v: number): ParamAttr =>
      new ParamAttr({ name: a.name === null ? null : a.name + suffix, initializer: new Constant(v), trainable: false, do_model_average: true });
    this._mean = this.create_parameter({ shape, attr: statAttr('_mean', 0.0) });
    this._mean.stop_gradient = true;
    this._variance = this.create_parameter({ shape, attr: statAttr('_variance', 1.0) });
    this._variance.stop_gradient = true;
    this._data_format = a.data_format;
    this._momentum = a.momentum;
    this._epsilon = a.epsilon;
    this._name = a.name;
  }

  /** The operator layout ('NCHW' or 'NHWC') of this layer's data_format. */
  protected layout(): 'NCHW' | 'NHWC' {
    const cls = this.constructor.name;
    const formats = BN_LAYOUTS[cls] ?? BN_LAYOUTS.SyncBatchNorm;
    const l = formats[this._data_format];
    if (!l) badFormat(`paddle.nn.${cls}`, formats, this._data_format);
    return l;
  }

  protected checkInputDim(input: Tensor): void {
    const cls = this.constructor.name;
    checkRank(cls, BN_RANKS[cls], input);
  }

  override forward(input: Tensor): Tensor {
    const layout = this.layout();
    this.checkInputDim(input);
    return batch_norm(input, this._mean, this._variance, {
      weight: this.weight, bias: this.bias, training: this.training, momentum: this._momentum, epsilon: this._epsilon,
      data_format: layout, use_global_stats: this._use_global_stats,
    });
  }

  override extra_repr(): string {
    return `num_features=${this._num_features}, momentum=${pyFloat(this._momentum)}, epsilon=${pyFloat(this._epsilon)}` + formatAndName(this._data_format, this._name);
  }
}

/**
 * Batch normalization of [N, C] or [N, C, L] input ('NC'/'NCL'/'NCHW', or 'NLC'/'NHWC' for
 * channel last). Training normalizes with the batch statistics and updates the running ones:
 * running = momentum * running + (1 - momentum) * batch (biased variance); eval uses the
 * running statistics; use_global_stats forces either.
 * @param num_features C
 * @param momentum weight of the old running value (0.9)
 * @param epsilon added to the variance (1e-5)
 * @param weight_attr ParamAttr of the scale (false: fixed at 1)
 * @param bias_attr ParamAttr of the shift (false: fixed at 0)
 * @param data_format 'NCHW' (default), 'NC', 'NCL', 'NLC' or 'NHWC'
 * @param use_global_stats null: batch statistics in training, running ones in eval
 * @example const bn = new nn.BatchNorm1D(4); bn(paddle.rand([8, 4]))
 */
export class BatchNorm1D extends _BatchNormBase {}

/**
 * Batch normalization of [N, C, H, W] ('NCHW') or [N, H, W, C] ('NHWC') input; see BatchNorm1D.
 * @example const bn = new nn.BatchNorm2D(3); bn(paddle.rand([2, 3, 8, 8]))
 */
export class BatchNorm2D extends _BatchNormBase {}

/**
 * Batch normalization of [N, C, D, H, W] ('NCDHW'/'NCHW') or channel-last ('NDHWC'/'NHWC')
 * input; see BatchNorm1D.
 * @example const bn = new nn.BatchNorm3D(3); bn(paddle.rand([2, 3, 4, 4, 4]))
 */
export class BatchNorm3D extends _BatchNormBase {}

const syncParams = [
  p('num_features', T.int),
  p('momentum', T.float, 0.9),
  p('epsilon', T.float, 1e-5),
  p('weight_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  p('data_format', T.str, 'NCHW'),
  nameP,
] as const;

/**
 * Batch normalization whose batch statistics are reduced across all processes of the
 * collective group in multi-process training (operator sync_batch_norm). In one process it
 * computes exactly what BatchNorm2D does. Training uses batch statistics and updates the
 * running ones; eval uses the running statistics.
 * @param num_features C
 * @param momentum weight of the old running value (0.9)
 * @param epsilon added to the variance (1e-5)
 * @param weight_attr ParamAttr of the scale
 * @param bias_attr ParamAttr of the shift
 * @param data_format 'NCHW' (default) or 'NHWC' (and the other batch norm formats)
 * @example const model = nn.SyncBatchNorm.convert_sync_batchnorm(net)
 */
export class SyncBatchNorm extends _BatchNormBase {
  static override _params: readonly AnyParam[] = syncParams;

  constructor(...args: CallArgs<typeof syncParams>) {
    super(...(args as unknown as CallArgs<typeof bnParams>));
  }

  override forward(x: Tensor): Tensor {
    const layout = this.layout();
    if (x.dims.length < 2) fail('paddle.nn.SyncBatchNorm', `expected an input of at least 2 dimensions, but got shape ${showShape(x.dims)}`);
    // use_global_stats is always False: batch statistics in training, running ones in eval
    return runBatchNorm('sync_batch_norm', x, this.weight, this.bias, this._mean, this._variance, {
      momentum: this._momentum, epsilon: this._epsilon, is_test: !this.training, data_layout: layout, use_mkldnn: false,
      fuse_with_relu: false, use_global_stats: false, trainable_statistics: false,
    });
  }

  /**
   * Replaces every BatchNorm1D/2D/3D (any _BatchNormBase) in `layer`, recursively, by a
   * SyncBatchNorm with the same configuration that shares its parameters (weight, bias,
   * _mean, _variance). Returns the converted layer (a new one if `layer` itself is converted).
   * @param layer the model
   * @example const model = nn.SyncBatchNorm.convert_sync_batchnorm(new nn.Sequential(new nn.Conv2D(3, 5, 3), new nn.BatchNorm2D(5)))
   */
  static convert_sync_batchnorm(layer: Layer): Layer {
    if (!(layer instanceof Layer)) fail('paddle.nn.SyncBatchNorm.convert_sync_batchnorm', `argument 'layer' expected a Layer, but got ${typeof layer}`);
    let output: Layer = layer;
    if (layer instanceof _BatchNormBase) {
      // Named attributes get a '_sync' suffix, as in Paddle (parameter names must be unique);
      // the new layer's own parameters are then replaced by the old ones.
      const rename = (attr: unknown): unknown => {
        if (attr instanceof ParamAttr && typeof attr.name === 'string') {
          const c = attr._copy();
          c.name = attr.name + '_sync';
          return c;
        }
        return attr;
      };
      const sync = new SyncBatchNorm(layer._num_features, layer._momentum, layer._epsilon, rename(layer._weight_attr) as null, rename(layer._bias_attr) as null, layer._data_format, null);
      sync._name = layer._name;
      sync.weight = layer.weight;
      sync.bias = layer.bias;
      sync._mean = layer._mean;
      sync._variance = layer._variance;
      sync.training = layer.training;
      output = sync;
    }
    for (const [name, sub] of layer.named_children()) output.add_sublayer(name, SyncBatchNorm.convert_sync_batchnorm(sub));
    return output;
  }
}

// ---- BatchNorm (fluid.dygraph) --------------------------------------------------------------

const fluidBnParams = [
  p('num_channels', T.int),
  p('act', T.nullable(T.str), null),
  p('is_test', T.bool, false),
  p('momentum', T.float, 0.9),
  p('epsilon', T.float, 1e-5),
  p('param_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  p('dtype', T.dtype, 'float32'),
  p('data_layout', T.str, 'NCHW'),
  p('in_place', T.bool, false),
  p('moving_mean_name', T.nullable(T.str), null),
  p('moving_variance_name', T.nullable(T.str), null),
  p('do_model_average_for_mean_and_var', T.bool, true),
  p('use_global_stats', T.bool, false),
  p('trainable_statistics', T.bool, false),
] as const;

/**
 * The fluid batch norm layer (paddle.nn.BatchNorm is fluid.dygraph.BatchNorm in 2.0): batch
 * normalization of [N, C, ...] ('NCHW') or channel-last ('NHWC') input of rank 2 to 5, with an
 * optional activation. In dygraph, train()/eval() choose batch or running statistics (is_test
 * applies to static programs). Parameters: weight, bias, _mean, _variance.
 * @param num_channels C
 * @param act activation operator applied to the output ('relu', 'sigmoid'...), or null
 * @param is_test use the running statistics in static programs
 * @param momentum weight of the old running value (0.9)
 * @param epsilon added to the variance (1e-5)
 * @param param_attr ParamAttr of the scale (ones)
 * @param bias_attr ParamAttr of the shift (zeros); false is not allowed
 * @param dtype 'float32' (default) or 'float64'
 * @param data_layout 'NCHW' or 'NHWC'
 * @param in_place unused in dygraph
 * @param moving_mean_name name of the running mean parameter
 * @param moving_variance_name name of the running variance parameter
 * @param do_model_average_for_mean_and_var whether ModelAverage averages the running statistics
 * @param use_global_stats normalize with the running statistics also in training
 * @param trainable_statistics compute batch statistics even when is_test
 * @example const bn = new nn.BatchNorm(10); bn(paddle.rand([3, 10, 3, 7]))
 */
export class BatchNorm extends Layer {
  declare weight: ParamBase;
  declare bias: ParamBase;
  declare _mean: ParamBase;
  declare _variance: ParamBase;
  declare _act: string | null;
  declare _is_test: boolean;
  declare _momentum: number;
  declare _epsilon: number;
  declare _data_layout: string;
  declare _in_place: boolean;
  declare _use_global_stats: boolean;
  declare _trainable_statistics: boolean;
  declare _fuse_with_relu: boolean;

  constructor(...args: CallArgs<typeof fluidBnParams>) {
    super();
    const api = 'paddle.nn.BatchNorm';
    const a = makeParser(api, fluidBnParams)(args) as {
      num_channels: number; act: string | null; is_test: boolean; momentum: number; epsilon: number; param_attr: unknown;
      bias_attr: unknown; dtype: DType; data_layout: string; in_place: boolean; moving_mean_name: string | null;
      moving_variance_name: string | null; do_model_average_for_mean_and_var: boolean; use_global_stats: boolean; trainable_statistics: boolean;
    };
    if (a.bias_attr === false) fail(api, 'bias_attr should not be False in batch_norm.');
    if (a.num_channels < 1) fail(api, `num_channels must be a positive integer, but got ${a.num_channels}`);
    if (a.data_layout !== 'NCHW' && a.data_layout !== 'NHWC') fail(api, `data_layout must be 'NCHW' or 'NHWC', but got '${a.data_layout}'`);
    if (a.act !== null && !hasOp(a.act)) fail(api, `act '${a.act}' is not an activation operator`);
    const dtype: DType = a.dtype === 'float16' ? 'float32' : a.dtype;
    this._dtype = dtype;
    const shape = [a.num_channels];
    // Paddle fixes weight and bias when use_global_stats and the attribute's learning rate is 0
    this.weight = this.create_parameter({ shape, attr: a.param_attr, dtype, default_initializer: new Constant(1.0) });
    this.weight.stop_gradient = a.use_global_stats && lrZero(a.param_attr);
    this.bias = this.create_parameter({ shape, attr: a.bias_attr, dtype, is_bias: true });
    this.bias.stop_gradient = a.use_global_stats && lrZero(a.param_attr);
    const stat = (name: string | null, v: number): ParamAttr =>
      new ParamAttr({ name, initializer: new Constant(v), trainable: false, do_model_average: a.do_model_average_for_mean_and_var });
    this._mean = this.create_parameter({ shape, attr: stat(a.moving_mean_name, 0.0), dtype });
    this._mean.stop_gradient = true;
    this._variance = this.create_parameter({ shape, attr: stat(a.moving_variance_name, 1.0), dtype });
    this._variance.stop_gradient = true;
    this._act = a.act;
    this._in_place = a.in_place;
    this._data_layout = a.data_layout;
    this._momentum = a.momentum;
    this._epsilon = a.epsilon;
    this._is_test = a.is_test;
    this._fuse_with_relu = false;
    this._use_global_stats = a.use_global_stats;
    this._trainable_statistics = a.trainable_statistics;
  }

  override forward(input: Tensor): Tensor {
    const y = runBatchNorm('batch_norm', input, this.weight, this.bias, this._mean, this._variance, {
      momentum: this._momentum, epsilon: this._epsilon, is_test: state.staticMode ? this._is_test : !this.training,
      data_layout: this._data_layout, use_mkldnn: false, fuse_with_relu: this._fuse_with_relu,
      use_global_stats: this._use_global_stats, trainable_statistics: this._trainable_statistics,
    });
    return this._act ? run1(this._act, { X: [y] }) : y;
  }
}

// ---- InstanceNorm1D / 2D / 3D ---------------------------------------------------------------

const inParams = [
  p('num_features', T.int),
  p('epsilon', T.float, 1e-5),
  p('momentum', T.float, 0.9),
  p('weight_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  p('data_format', T.str, 'NCHW'),
  nameP,
] as const;
const IN_RANKS: Record<string, number[]> = { InstanceNorm1D: [2, 3], InstanceNorm2D: [4], InstanceNorm3D: [5] };

/**
 * The base of InstanceNorm1D/2D/3D (Paddle's _InstanceNormBase): per-sample, per-channel
 * normalization, never with running statistics. Parameters `scale` (ones) and `bias` (zeros),
 * or neither when weight_attr and bias_attr are both false.
 */
export class _InstanceNormBase extends Layer {
  declare scale: ParamBase | null;
  declare bias: ParamBase | null;
  declare _epsilon: number;
  declare _weight_attr: unknown;
  declare _bias_attr: unknown;
  declare _num_features: number;

  constructor(...args: CallArgs<typeof inParams>) {
    super();
    const cls = new.target;
    const api = `paddle.nn.${cls.name}`;
    const a = parseFor(cls, inParams, args) as {
      num_features: number; epsilon: number; momentum: number; weight_attr: unknown; bias_attr: unknown; data_format: string; name: string | null;
    };
    if ((a.weight_attr === false || a.bias_attr === false) && a.weight_attr !== a.bias_attr)
      fail(api, 'weight_attr and bias_attr must be set to False at the same time in InstanceNorm');
    if (a.num_features < 1) fail(api, `num_features must be a positive integer, but got ${a.num_features}`);
    this._epsilon = a.epsilon;
    this._weight_attr = a.weight_attr;
    this._bias_attr = a.bias_attr;
    this._num_features = a.num_features;
    if (a.weight_attr !== false) {
      this.scale = this.create_parameter({ shape: [a.num_features], attr: a.weight_attr, default_initializer: new Constant(1.0) });
      this.bias = this.create_parameter({ shape: [a.num_features], attr: a.bias_attr, default_initializer: new Constant(0.0), is_bias: true });
    } else {
      this.scale = null;
      this.bias = null;
    }
  }

  override forward(input: Tensor): Tensor {
    const cls = this.constructor.name;
    checkRank(cls, IN_RANKS[cls], input);
    return instance_norm(input, { weight: this.scale, bias: this.bias, eps: this._epsilon });
  }

  override extra_repr(): string {
    return `num_features=${this._num_features}, epsilon=${pyFloat(this._epsilon)}`;
  }
}

/**
 * Instance normalization of [N, C] or [N, C, L] input: each (sample, channel) is normalized
 * over L with its own statistics, then scaled and shifted per channel.
 * @param num_features C
 * @param epsilon added to the variance (1e-5)
 * @param momentum unused (no running statistics)
 * @param weight_attr ParamAttr of `scale` (false together with bias_attr: no affine)
 * @param bias_attr ParamAttr of `bias`
 * @param data_format 'NCL' layout
 * @example new nn.InstanceNorm1D(3)(paddle.rand([2, 3, 5]))
 */
export class InstanceNorm1D extends _InstanceNormBase {}
/**
 * Instance normalization of [N, C, H, W] input; see InstanceNorm1D.
 * @example new nn.InstanceNorm2D(3)(paddle.rand([2, 3, 4, 4]))
 */
export class InstanceNorm2D extends _InstanceNormBase {}
/**
 * Instance normalization of [N, C, D, H, W] input; see InstanceNorm1D.
 * @example new nn.InstanceNorm3D(3)(paddle.rand([2, 3, 2, 4, 4]))
 */
export class InstanceNorm3D extends _InstanceNormBase {}

// ---- GroupNorm ------------------------------------------------------------------------------

const gnParams = [
  p('num_groups', T.int),
  p('num_channels', T.int),
  p('epsilon', T.float, 1e-5),
  p('weight_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  p('data_format', T.str, 'NCHW'),
  nameP,
] as const;

/**
 * Group normalization: the channels of each sample are split into num_groups groups, each
 * normalized over its channels and spatial positions, then scaled and shifted per channel.
 * NCHW only (as in Paddle 2.0). Parameters weight (ones) and bias (zeros); weight_attr /
 * bias_attr false keep them fixed.
 * @param num_groups the number of groups (must divide num_channels)
 * @param num_channels C
 * @param epsilon added to the variance (1e-5)
 * @param weight_attr ParamAttr of the scale
 * @param bias_attr ParamAttr of the shift
 * @param data_format 'NCHW'
 * @example new nn.GroupNorm(2, 4)(paddle.rand([2, 4, 3, 3]))
 */
export class GroupNorm extends Layer {
  declare weight: ParamBase;
  declare bias: ParamBase;
  declare _weight_attr: unknown;
  declare _bias_attr: unknown;
  declare _epsilon: number;
  declare _num_channels: number;
  declare _num_groups: number;

  constructor(...args: CallArgs<typeof gnParams>) {
    super();
    const api = 'paddle.nn.GroupNorm';
    const a = makeParser(api, gnParams)(args) as {
      num_groups: number; num_channels: number; epsilon: number; weight_attr: unknown; bias_attr: unknown; data_format: string; name: string | null;
    };
    if (a.data_format !== 'NCHW') fail(api, `unsupported data layout: '${a.data_format}' (GroupNorm supports 'NCHW' only)`);
    if (a.num_groups < 1) fail(api, `num_groups must be a positive integer, but got ${a.num_groups}`);
    if (a.num_channels < 1) fail(api, `num_channels must be a positive integer, but got ${a.num_channels}`);
    if (a.num_channels % a.num_groups !== 0)
      fail(api, `num_channels (${a.num_channels}) must be divisible by num_groups (${a.num_groups})`);
    this._weight_attr = a.weight_attr;
    this._bias_attr = a.bias_attr;
    this._epsilon = a.epsilon;
    this._num_channels = a.num_channels;
    this._num_groups = a.num_groups;
    createAffine(this, [a.num_channels], a.weight_attr, a.bias_attr);
  }

  override forward(input: Tensor): Tensor {
    const ins: Slots<Tensor> = { X: [input], Scale: [this.weight], Bias: [this.bias] };
    return dispatch('group_norm', ins, { epsilon: this._epsilon, groups: this._num_groups }).Y[0];
  }

  override extra_repr(): string {
    return `num_groups=${this._num_groups}, num_channels=${this._num_channels}, epsilon=${pyFloat(this._epsilon)}`;
  }
}

// ---- LayerNorm ------------------------------------------------------------------------------

const lnParams = [
  p('normalized_shape', T.intOrInts),
  p('epsilon', T.float, 1e-5),
  p('weight_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  nameP,
] as const;

/**
 * Layer normalization over the trailing dims normalized_shape, with an elementwise scale
 * `weight` (ones) and shift `bias` (zeros) of prod(normalized_shape) values; weight_attr or
 * bias_attr false leaves that one out.
 * @param normalized_shape an int or the list of trailing dims
 * @param epsilon added to the variance (1e-5)
 * @param weight_attr ParamAttr of the scale (false: none)
 * @param bias_attr ParamAttr of the shift (false: none)
 * @example new nn.LayerNorm([3, 4])(paddle.rand([2, 3, 4]))
 */
export class LayerNorm extends Layer {
  declare weight: ParamBase | null;
  declare bias: ParamBase | null;
  declare _normalized_shape: number[];
  declare _epsilon: number;
  declare _weight_attr: unknown;
  declare _bias_attr: unknown;

  constructor(...args: CallArgs<typeof lnParams>) {
    super();
    const api = 'paddle.nn.LayerNorm';
    const a = makeParser(api, lnParams)(args) as { normalized_shape: number[]; epsilon: number; weight_attr: unknown; bias_attr: unknown; name: string | null };
    if (a.normalized_shape.some((d) => d < 1)) fail(api, `normalized_shape must hold positive integers, but got ${showShape(a.normalized_shape)}`);
    this._normalized_shape = a.normalized_shape;
    this._epsilon = a.epsilon;
    this._weight_attr = a.weight_attr;
    this._bias_attr = a.bias_attr;
    const shape = [a.normalized_shape.reduce((s, d) => s * d, 1)];
    this.weight = a.weight_attr === false ? null : this.create_parameter({ shape, attr: a.weight_attr, default_initializer: new Constant(1.0) });
    this.bias = a.bias_attr === false ? null : this.create_parameter({ shape, attr: a.bias_attr, is_bias: true });
  }

  override forward(input: Tensor): Tensor {
    return layer_norm(input, this._normalized_shape, { weight: this.weight, bias: this.bias, epsilon: this._epsilon });
  }

  override extra_repr(): string {
    return `normalized_shape=[${this._normalized_shape.join(', ')}], epsilon=${pyFloat(this._epsilon)}`;
  }
}

// ---- LocalResponseNorm ----------------------------------------------------------------------

const lrnParams = [
  p('size', T.int),
  p('alpha', T.float, 0.0001),
  p('beta', T.float, 0.75),
  p('k', T.float, 1.0),
  p('data_format', T.str, 'NCHW'),
  nameP,
] as const;

/**
 * Local response normalization across channels (F.local_response_norm):
 * x / (k + alpha / size * sum of squares over `size` neighbouring channels)^beta.
 * @param size the number of channels summed over
 * @param alpha scale (1e-4)
 * @param beta exponent (0.75)
 * @param k offset (1.0)
 * @param data_format 'NCL', 'NLC', 'NCHW', 'NHWC', 'NCDHW' or 'NDHWC'
 * @example new nn.LocalResponseNorm(5)(paddle.rand([2, 8, 4, 4]))
 */
export class LocalResponseNorm extends Layer {
  declare size: number;
  declare alpha: number;
  declare beta: number;
  declare k: number;
  declare data_format: string;
  declare name: string | null;

  constructor(...args: CallArgs<typeof lrnParams>) {
    super();
    const a = makeParser('paddle.nn.LocalResponseNorm', lrnParams)(args) as {
      size: number; alpha: number; beta: number; k: number; data_format: string; name: string | null;
    };
    this.size = a.size;
    this.alpha = a.alpha;
    this.beta = a.beta;
    this.k = a.k;
    this.data_format = a.data_format;
    this.name = a.name;
  }

  override forward(input: Tensor): Tensor {
    return local_response_norm(input, this.size, this.alpha, this.beta, this.k, this.data_format, this.name);
  }

  override extra_repr(): string {
    return `size=${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}` + formatAndName(this.data_format, this.name);
  }
}

// ---- SpectralNorm ---------------------------------------------------------------------------

const snParams = [
  p('weight_shape', T.ints),
  p('dim', T.int, 0),
  p('power_iters', T.int, 1),
  p('eps', T.float, 1e-12),
  p('dtype', T.dtype, 'float32'),
] as const;

/**
 * Spectral normalization (fluid.dygraph.SpectralNorm): forward(weight) returns weight divided by
 * its largest singular value, estimated by power_iters power iterations on the weight viewed as
 * a matrix with dim `dim` first. The iteration vectors weight_u [h] and weight_v [w] are
 * non-trainable parameters drawn from N(0, 1) (as in Paddle 2.0, they are not updated).
 * @param weight_shape the shape of the weights normalized
 * @param dim 0 (fc weights) or 1 (conv weights)
 * @param power_iters power iterations per call (1)
 * @param eps added to norms' denominators (1e-12)
 * @param dtype 'float32' or 'float64'
 * @example const sn = new nn.SpectralNorm([2, 8, 32, 32], { dim: 1, power_iters: 2 }); sn(w)
 */
export class SpectralNorm extends Layer {
  declare weight_u: ParamBase;
  declare weight_v: ParamBase;
  declare _power_iters: number;
  declare _eps: number;
  declare _dim: number;
  declare _weight_shape: number[];

  constructor(...args: CallArgs<typeof snParams>) {
    super();
    const api = 'paddle.nn.SpectralNorm';
    const a = makeParser(api, snParams)(args) as { weight_shape: number[]; dim: number; power_iters: number; eps: number; dtype: DType };
    const ws = a.weight_shape;
    if (ws.length < 2 || ws.length > 5) fail(api, `weight_shape must have 2 to 5 dims, but got ${showShape(ws)}`);
    if (a.dim !== 0 && a.dim !== 1) fail(api, `dim can only be 0 or 1, but got ${a.dim}`);
    if (a.dtype !== 'float32' && a.dtype !== 'float64') fail(api, `dtype must be float32 or float64, but got ${a.dtype}`);
    this._power_iters = a.power_iters;
    this._eps = a.eps;
    this._dim = a.dim;
    this._dtype = a.dtype;
    this._weight_shape = ws.slice();
    const h = ws[a.dim];
    const w = ws.reduce((s, d) => s * d, 1) / h;
    this.weight_u = this.create_parameter({ shape: [h], attr: new ParamAttr(), dtype: a.dtype, default_initializer: new Normal(0, 1) });
    this.weight_u.stop_gradient = true;
    this.weight_v = this.create_parameter({ shape: [w], attr: new ParamAttr(), dtype: a.dtype, default_initializer: new Normal(0, 1) });
    this.weight_v.stop_gradient = true;
  }

  override forward(weight: Tensor): Tensor {
    if (weight.dtype !== 'float32' && weight.dtype !== 'float64')
      fail('paddle.nn.SpectralNorm', `argument 'weight' must be float32 or float64, but got ${weight.dtype}`);
    return run1('spectral_norm', { Weight: [weight], U: [this.weight_u], V: [this.weight_v] }, {
      dim: this._dim, power_iters: this._power_iters, eps: this._eps,
    });
  }
}
