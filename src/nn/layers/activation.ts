// Activation layers (python/paddle/nn/layer/activation.py, 2.0): each stores its arguments
// under Paddle's attribute names, calls the nn.functional form in forward, and prints as
// Paddle's extra_repr does ('ReLU()', 'LeakyReLU(negative_slope=0.01)', 'ELU(alpha=1.0)').
import { makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { getDefaultDType, type DType } from '../../core/dtype.js';
import { fail } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import * as F from '../functional/activation.js';
import { Constant } from '../initializer/index.js';
import { Layer } from '../layer.js';
import { attrTy } from '../param_attr.js';
import type { ParamBase } from '../parameter.js';

const nameP = p('name', T.nullable(T.str), null);
const onlyName = [nameP] as const;

/** Python's repr of a float: 1.0, 0.01, 1e-05. */
function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}
/** ', name=...' when a name was given (Paddle's name_str). */
const nameTail = (name: string | null): string => (name ? `, name=${name}` : '');
const nameOnly = (name: string | null): string => (name ? `name=${name}` : '');
const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** Base of the layers taking only `name`. */
abstract class NameOnly extends Layer {
  declare _name: string | null;
  constructor(api: string, args: readonly unknown[]) {
    super();
    this._name = (makeParser(api, onlyName)(args) as { name: string | null }).name;
  }
  override extra_repr(): string {
    return nameOnly(this._name);
  }
}

const eluParams = [p('alpha', T.float, 1.0), nameP] as const;
const parseElu = makeParser('paddle.nn.ELU', eluParams);
/**
 * ELU layer: x where x > 0, else alpha (e^x - 1).
 * @param alpha (1.0)
 * @example new nn.ELU(0.2)(x)
 */
export class ELU extends Layer {
  declare _alpha: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof eluParams>) {
    super();
    const a = parseElu(args) as { alpha: number; name: string | null };
    this._alpha = a.alpha;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.elu(x, this._alpha, this._name);
  }
  override extra_repr(): string {
    return `alpha=${pyFloat(this._alpha)}${nameTail(this._name)}`;
  }
}

const geluParams = [p('approximate', T.bool, false), nameP] as const;
const parseGelu = makeParser('paddle.nn.GELU', geluParams);
/**
 * GELU layer: x Phi(x), or the tanh approximation.
 * @param approximate (false)
 * @example new nn.GELU(true)(x)
 */
export class GELU extends Layer {
  declare _approximate: boolean;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof geluParams>) {
    super();
    const a = parseGelu(args) as { approximate: boolean; name: string | null };
    this._approximate = a.approximate;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.gelu(x, this._approximate, this._name);
  }
  override extra_repr(): string {
    return `approximate=${pyBool(this._approximate)}${nameTail(this._name)}`;
  }
}

/** Layers with one float `threshold` argument. */
function thresholdLayer(api: string, dflt: number) {
  const params = [p('threshold', T.float, dflt), nameP] as const;
  return { params, parse: makeParser(api, params) as (args: readonly unknown[]) => { threshold: number; name: string | null } };
}

const hardshrinkP = thresholdLayer('paddle.nn.Hardshrink', 0.5);
/**
 * Hardshrink layer: x where |x| > threshold, else 0.
 * @param threshold (0.5)
 * @example new nn.Hardshrink()(x)
 */
export class Hardshrink extends Layer {
  declare _threshold: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof hardshrinkP.params>) {
    super();
    const a = hardshrinkP.parse(args);
    this._threshold = a.threshold;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.hardshrink(x, this._threshold, this._name);
  }
  override extra_repr(): string {
    return `threshold=${pyFloat(this._threshold)}${nameTail(this._name)}`;
  }
}

/**
 * Hardswish layer: x clip(x + 3, 0, 6) / 6.
 * @example new nn.Hardswish()(x)
 */
export class Hardswish extends NameOnly {
  constructor(...args: CallArgs<typeof onlyName>) {
    super('paddle.nn.Hardswish', args);
  }
  override forward(x: Tensor): Tensor {
    return F.hardswish(x, this._name);
  }
}

/**
 * Tanh layer.
 * @example new nn.Tanh()(x)
 */
export class Tanh extends NameOnly {
  constructor(...args: CallArgs<typeof onlyName>) {
    super('paddle.nn.Tanh', args);
  }
  override forward(x: Tensor): Tensor {
    return F.tanh(x, this._name);
  }
}

const hardtanhParams = [p('min', T.float, -1.0), p('max', T.float, 1.0), nameP] as const;
const parseHardtanh = makeParser('paddle.nn.Hardtanh', hardtanhParams);
/**
 * Hardtanh layer: clip(x, min, max).
 * @param min (-1.0)
 * @param max (1.0)
 * @example new nn.Hardtanh(-2, 2)(x)
 */
export class Hardtanh extends Layer {
  declare _min: number;
  declare _max: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof hardtanhParams>) {
    super();
    const a = parseHardtanh(args) as { min: number; max: number; name: string | null };
    this._min = a.min;
    this._max = a.max;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.hardtanh(x, this._min, this._max, this._name);
  }
  override extra_repr(): string {
    return `min=${pyFloat(this._min)}, max=${pyFloat(this._max)}${nameTail(this._name)}`;
  }
}

const PRELU_FORMATS = ['NC', 'NCL', 'NCHW', 'NCDHW', 'NLC', 'NHWC', 'NDHWC'] as const;
type PreluFormat = (typeof PRELU_FORMATS)[number];
const preluParams = [
  p('num_parameters', T.int, 1),
  p('init', T.float, 0.25),
  p('weight_attr', attrTy, null),
  p('data_format', T.oneOf(...PRELU_FORMATS), 'NCHW'),
  nameP,
] as const;
const parsePrelu = makeParser('paddle.nn.PReLU', preluParams);
/**
 * PReLU layer: max(0, x) + w min(0, x) with a learnable weight `_weight` of shape
 * [num_parameters] (1: shared; C: one per channel), initialized to `init`. `data_format` (for
 * channel-last inputs) comes from later Paddle versions.
 * @param num_parameters 1 or the number of channels (1)
 * @param init the initial slope (0.25)
 * @param weight_attr ParamAttr of the weight
 * @param data_format 'NCHW' (default) and other channel-second formats, or 'NLC', 'NHWC', 'NDHWC'
 * @example new nn.PReLU(3)(paddle.randn([2, 3, 4]))
 */
export class PReLU extends Layer {
  declare _num_parameters: number;
  declare _init: number;
  declare _weight_attr: unknown;
  declare _data_format: PreluFormat;
  declare _name: string | null;
  declare _weight: ParamBase;
  constructor(...args: CallArgs<typeof preluParams>) {
    super();
    const a = parsePrelu(args) as { num_parameters: number; init: number; weight_attr: unknown; data_format: PreluFormat; name: string | null };
    if (a.num_parameters < 1) fail('paddle.nn.PReLU', `num_parameters must be at least 1, but got ${a.num_parameters}`);
    this._num_parameters = a.num_parameters;
    this._init = a.init;
    this._weight_attr = a.weight_attr;
    this._data_format = a.data_format;
    this._name = a.name;
    this._dtype = getDefaultDType();
    this._weight = this.create_parameter({
      attr: a.weight_attr,
      shape: [a.num_parameters],
      dtype: this._dtype as DType,
      is_bias: false,
      default_initializer: new Constant(a.init),
    });
  }
  override forward(x: Tensor): Tensor {
    return F.prelu(x, this._weight, this._data_format);
  }
  override extra_repr(): string {
    return `num_parameters=${this._num_parameters}, data_format=${this._data_format}, init=${pyFloat(this._init)}, dtype=${this._dtype}${nameTail(this._name)}`;
  }
}

/**
 * ReLU layer: max(x, 0).
 * @example new nn.ReLU()(x)
 */
export class ReLU extends NameOnly {
  constructor(...args: CallArgs<typeof onlyName>) {
    super('paddle.nn.ReLU', args);
  }
  override forward(x: Tensor): Tensor {
    return F.relu(x, this._name);
  }
}

/**
 * ReLU6 layer: min(max(x, 0), 6).
 * @example new nn.ReLU6()(x)
 */
export class ReLU6 extends NameOnly {
  constructor(...args: CallArgs<typeof onlyName>) {
    super('paddle.nn.ReLU6', args);
  }
  override forward(x: Tensor): Tensor {
    return F.relu6(x, this._name);
  }
}

const seluParams = [p('scale', T.float, 1.0507009873554804934193349852946), p('alpha', T.float, 1.6732632423543772848170429916717), nameP] as const;
const parseSelu = makeParser('paddle.nn.SELU', seluParams);
/**
 * SELU layer: scale (x where x > 0, else alpha (e^x - 1)).
 * @param scale (1.0507009873554805)
 * @param alpha (1.6732632423543772)
 * @example new nn.SELU()(x)
 */
export class SELU extends Layer {
  declare _scale: number;
  declare _alpha: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof seluParams>) {
    super();
    const a = parseSelu(args) as { scale: number; alpha: number; name: string | null };
    this._scale = a.scale;
    this._alpha = a.alpha;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.selu(x, this._scale, this._alpha, this._name);
  }
  override extra_repr(): string {
    return `scale=${this._scale.toFixed(16)}, alpha=${this._alpha.toFixed(16)}${nameTail(this._name)}`;
  }
}

const leakyParams = [p('negative_slope', T.float, 0.01), nameP] as const;
const parseLeaky = makeParser('paddle.nn.LeakyReLU', leakyParams);
/**
 * LeakyReLU layer: x where x >= 0, else negative_slope x.
 * @param negative_slope (0.01)
 * @example new nn.LeakyReLU(0.1)(x)
 */
export class LeakyReLU extends Layer {
  declare _negative_slope: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof leakyParams>) {
    super();
    const a = parseLeaky(args) as { negative_slope: number; name: string | null };
    this._negative_slope = a.negative_slope;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.leaky_relu(x, this._negative_slope, this._name);
  }
  override extra_repr(): string {
    return `negative_slope=${pyFloat(this._negative_slope)}${nameTail(this._name)}`;
  }
}

const parseSigmoidName = makeParser('paddle.nn.Sigmoid', onlyName);
/**
 * Sigmoid layer: 1 / (1 + e^-x).
 * @example new nn.Sigmoid()(x)
 */
export class Sigmoid extends Layer {
  declare name: string | null;
  constructor(...args: CallArgs<typeof onlyName>) {
    super();
    this.name = (parseSigmoidName(args) as { name: string | null }).name;
  }
  override forward(x: Tensor): Tensor {
    return F.sigmoid(x, this.name);
  }
  override extra_repr(): string {
    return nameOnly(this.name);
  }
}

const parseHardsigmoidName = makeParser('paddle.nn.Hardsigmoid', onlyName);
/**
 * Hardsigmoid layer: clip(x / 6 + 0.5, 0, 1).
 * @example new nn.Hardsigmoid()(x)
 */
export class Hardsigmoid extends Layer {
  declare name: string | null;
  constructor(...args: CallArgs<typeof onlyName>) {
    super();
    this.name = (parseHardsigmoidName(args) as { name: string | null }).name;
  }
  override forward(x: Tensor): Tensor {
    return F.hardsigmoid(x, { name: this.name });
  }
  override extra_repr(): string {
    return nameOnly(this.name);
  }
}

const axisParams = [p('axis', T.int, -1), nameP] as const;
const parseSoftmax = makeParser('paddle.nn.Softmax', axisParams);
/**
 * Softmax layer along `axis`.
 * @param axis (-1)
 * @example new nn.Softmax(1)(x)
 */
export class Softmax extends Layer {
  declare _axis: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof axisParams>) {
    super();
    const a = parseSoftmax(args) as { axis: number; name: string | null };
    this._axis = a.axis;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.softmax(x, this._axis, null, this._name);
  }
  override extra_repr(): string {
    return `axis=${this._axis}${nameTail(this._name)}`;
  }
}

const parseLogSoftmax = makeParser('paddle.nn.LogSoftmax', axisParams);
/**
 * LogSoftmax layer along `axis`.
 * @param axis (-1)
 * @example new nn.LogSoftmax()(x)
 */
export class LogSoftmax extends Layer {
  declare _axis: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof axisParams>) {
    super();
    const a = parseLogSoftmax(args) as { axis: number; name: string | null };
    this._axis = a.axis;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.log_softmax(x, this._axis);
  }
  override extra_repr(): string {
    return `axis=${this._axis}${nameTail(this._name)}`;
  }
}

const softplusParams = [p('beta', T.float, 1), p('threshold', T.float, 20), nameP] as const;
const parseSoftplus = makeParser('paddle.nn.Softplus', softplusParams);
/**
 * Softplus layer: log(1 + e^(beta x)) / beta, linear above threshold.
 * @param beta (1)
 * @param threshold (20)
 * @example new nn.Softplus()(x)
 */
export class Softplus extends Layer {
  declare _beta: number;
  declare _threshold: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof softplusParams>) {
    super();
    const a = parseSoftplus(args) as { beta: number; threshold: number; name: string | null };
    this._beta = a.beta;
    this._threshold = a.threshold;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.softplus(x, this._beta, this._threshold, this._name);
  }
  override extra_repr(): string {
    return `beta=${this._beta}, threshold=${this._threshold}${nameTail(this._name)}`;
  }
}

const softshrinkP = thresholdLayer('paddle.nn.Softshrink', 0.5);
/**
 * Softshrink layer: x - t where x > t, x + t where x < -t, else 0.
 * @param threshold (0.5)
 * @example new nn.Softshrink()(x)
 */
export class Softshrink extends Layer {
  declare _threshold: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof softshrinkP.params>) {
    super();
    const a = softshrinkP.parse(args);
    this._threshold = a.threshold;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.softshrink(x, this._threshold, this._name);
  }
  override extra_repr(): string {
    return `threshold=${pyFloat(this._threshold)}${nameTail(this._name)}`;
  }
}

/**
 * Softsign layer: x / (1 + |x|).
 * @example new nn.Softsign()(x)
 */
export class Softsign extends NameOnly {
  constructor(...args: CallArgs<typeof onlyName>) {
    super('paddle.nn.Softsign', args);
  }
  override forward(x: Tensor): Tensor {
    return F.softsign(x, this._name);
  }
}

/**
 * Swish layer: x sigmoid(x).
 * @example new nn.Swish()(x)
 */
export class Swish extends NameOnly {
  constructor(...args: CallArgs<typeof onlyName>) {
    super('paddle.nn.Swish', args);
  }
  override forward(x: Tensor): Tensor {
    return F.swish(x, this._name);
  }
}

/**
 * Tanhshrink layer: x - tanh(x).
 * @example new nn.Tanhshrink()(x)
 */
export class Tanhshrink extends NameOnly {
  constructor(...args: CallArgs<typeof onlyName>) {
    super('paddle.nn.Tanhshrink', args);
  }
  override forward(x: Tensor): Tensor {
    return F.tanhshrink(x, this._name);
  }
}

const thresholdedP = thresholdLayer('paddle.nn.ThresholdedReLU', 1.0);
/**
 * ThresholdedReLU layer: x where x > threshold, else 0.
 * @param threshold (1.0)
 * @example new nn.ThresholdedReLU(0.5)(x)
 */
export class ThresholdedReLU extends Layer {
  declare _threshold: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof thresholdedP.params>) {
    super();
    const a = thresholdedP.parse(args);
    this._threshold = a.threshold;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.thresholded_relu(x, this._threshold, this._name);
  }
  override extra_repr(): string {
    return `threshold=${pyFloat(this._threshold)}${nameTail(this._name)}`;
  }
}

/**
 * LogSigmoid layer: log(sigmoid(x)).
 * @example new nn.LogSigmoid()(x)
 */
export class LogSigmoid extends NameOnly {
  constructor(...args: CallArgs<typeof onlyName>) {
    super('paddle.nn.LogSigmoid', args);
  }
  override forward(x: Tensor): Tensor {
    return F.log_sigmoid(x, this._name);
  }
}

const maxoutParams = [p('groups', T.int), p('axis', T.int, 1), nameP] as const;
const parseMaxout = makeParser('paddle.nn.Maxout', maxoutParams);
/**
 * Maxout layer: the max over groups of `groups` channels (dim `axis`: 1, 3 or -1).
 * @param groups channels per group (> 1)
 * @param axis (1)
 * @example new nn.Maxout(2)(paddle.rand([1, 4, 3, 3]))   // shape [1, 2, 3, 3]
 */
export class Maxout extends Layer {
  declare _groups: number;
  declare _axis: number;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof maxoutParams>) {
    super();
    const a = parseMaxout(args) as { groups: number; axis: number; name: string | null };
    this._groups = a.groups;
    this._axis = a.axis;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return F.maxout(x, this._groups, this._axis, this._name);
  }
  override extra_repr(): string {
    return `groups=${this._groups}, axis=${this._axis}${nameTail(this._name)}`;
  }
}
