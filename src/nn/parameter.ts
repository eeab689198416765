// Parameters: ParamBase (Paddle's dygraph parameter, a Tensor that is persistable, trainable
// and carries its optimizer settings), the parameter creation every layer goes through
// (python/paddle/fluid/layer_helper_base.py create_parameter), and paddle.create_parameter.
import { defineApi, p } from '../core/args.js';
import { T, tensorFromData } from '../core/convert.js';
import { DType, allocStorage, convertStorage, getDefaultDType, isFloating } from '../core/dtype.js';
import { describe, fail, InvalidArgumentError, UnimplementedError } from '../core/errors.js';
import { numel, sameShape, showShape } from '../core/shape.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { generate } from '../static/unique_name.js';
import { _global_bias_initializer, _global_weight_initializer, Initializer } from './initializer/initializer.js';
import { ParamAttr, type ParamKwargs } from './param_attr.js';

/**
 * A dygraph parameter (Paddle's `ParamBase`): a Tensor with stop_gradient=false (while
 * trainable), persistable=true, a unique name such as `linear_0.w_0`, and the settings of its
 * ParamAttr (`optimize_attr.learning_rate`, `regularizer`, `need_clip`, `do_model_average`).
 */
export class ParamBase extends Tensor {
  /** Optimizer settings: `{ learning_rate }`, a multiplier of the optimizer's rate. */
  optimize_attr: { learning_rate: number };
  /** The regularizer from ParamAttr (overrides the optimizer's weight_decay), or null. */
  regularizer: unknown;
  do_model_average: boolean | null;
  /** Whether gradient clipping applies to this parameter. */
  need_clip: boolean;
  is_distributed = false;

  /**
   * @param shape the shape (every dim >= 0, at least one dim)
   * @param dtype the dtype
   * @param kwargs name, trainable, optimize_attr, regularizer, do_model_average, need_clip
   */
  constructor(shape: readonly number[], dtype: DType | string, kwargs: Partial<ParamKwargs> = {}) {
    const api = 'paddle.ParamBase';
    if (shape === null || shape === undefined) fail(api, 'The shape of Parameter should not be None');
    if (dtype === null || dtype === undefined) fail(api, 'The dtype of Parameter should not be None');
    if (shape.length === 0) fail(api, 'The dimensions of shape for Parameter must be greater than 0');
    for (const d of shape)
      if (!Number.isInteger(d) || d < 0) fail(api, `Each dimension of shape for Parameter must be greater than 0, but received ${showShape(shape)}`);
    const dt = T.dtype.parse(dtype, api, 'dtype');
    super(allocStorage(dt, numel(shape)), shape.slice(), dt);
    this.name = kwargs.name ?? generate('_param_base');
    this.persistable = true;
    this.stop_gradient = !(kwargs.trainable ?? true);
    this.optimize_attr = kwargs.optimize_attr ?? { learning_rate: 1.0 };
    this.regularizer = kwargs.regularizer ?? null;
    this.do_model_average = kwargs.do_model_average ?? null;
    this.need_clip = kwargs.need_clip ?? true;
  }

  /** Whether the optimizer updates it: the opposite of stop_gradient. */
  get trainable(): boolean {
    return !this.stop_gradient;
  }
  set trainable(v: boolean) {
    if (typeof v !== 'boolean') fail('ParamBase.trainable', `The type of trainable MUST be bool, but the type is ${typeof v}`);
    this.stop_gradient = !v;
  }

  /**
   * Replaces the values in place (same shape): a Tensor, nested arrays or a typed array,
   * converted to this dtype.
   * @example net.fc.weight.set_value(paddle.ones([4, 2]))
   */
  override set_value(value: Tensor | unknown): void {
    setValue(this, value, 'ParamBase.set_value');
  }

  /** `Parameter containing:\nTensor(...)`, as Paddle prints parameters. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/**
 * Writes `value` into tensor `t` in place, converted to t's dtype: a Tensor or nested arrays of
 * t's shape, or a flat typed array of t's size.
 */
export function setValue(t: Tensor, value: unknown, api: string, what = `Variable [ ${t.name} ]`): void {
  let v: Tensor;
  if (value instanceof Tensor) {
    if (!sameShape(value.dims, t.dims))
      fail(api, `${what} needs a tensor with shape ${showShape(t.dims)}, but got shape ${showShape(value.dims)}`);
    v = value;
  } else {
    if (value === null || value === undefined || typeof value === 'string' || typeof value !== 'object')
      fail(api, `the value must be a Tensor, a (nested) list or a typed array, but got ${describe(value)}`);
    v = tensorFromData(value, t.dtype, api, 'value');
    if (!sameShape(v.dims, t.dims)) {
      if (v.dims.length === 1 && numel(v.dims) === numel(t.dims) && ArrayBuffer.isView(value)) v = new Tensor(v.data, t.dims.slice(), v.dtype);
      else fail(api, `${what} needs a value with shape ${showShape(t.dims)}, but got shape ${showShape(v.dims)}`);
    }
  }
  const data = v.dtype === t.dtype ? v.data : convertStorage(v.data, v.dtype, t.dtype);
  if (data !== t.data) {
    if (data.length === t.data.length && data.constructor === t.data.constructor) (t.data as Float64Array).set(data as Float64Array);
    else t.data = data.slice();
  }
  t.ver.v++;
}

/** Filled in by src/static: creates a static Parameter (startup program + main program). */
export const staticParameterHook: {
  create?: (attr: ParamAttr, shape: number[], dtype: DType, isBias: boolean) => Tensor;
} = {};

/** Parameter names used in dygraph (Paddle's dygraph_parameter_name_checker). */
const usedNames = new Set<string>();

/**
 * Creates a parameter the way every layer does (LayerHelperBase.create_parameter): resolves the
 * attribute (false gives null), names it `<helper>.w_N` / `<helper>.b_N` unless named, picks
 * the initializer (the attribute's, else the global one, else `default_initializer`, else
 * Xavier for weights and 0 for biases) and runs it.
 */
export function createParameter(
  helperName: string,
  attrIn: unknown,
  shape: readonly number[],
  dtype: DType | null,
  isBias: boolean,
  defaultInit: Initializer | null,
  api: string,
): ParamBase | null {
  const resolved = ParamAttr._to_attr(attrIn, api);
  if (Array.isArray(resolved)) return fail(api, 'a single parameter attribute was expected, but got a list');
  if (resolved === false) return null;
  const attr = resolved._copy();
  const dt = dtype ?? getDefaultDType();
  const suffix = isBias ? 'b' : 'w';
  const glob = isBias ? _global_bias_initializer() : _global_weight_initializer();
  const init = glob ?? defaultInit;
  const named = attr.name !== null;
  if (attr.name === null) attr.name = generate(`${helperName}.${suffix}`);
  if (init === null && attr.initializer === null) {
    if (!isFloating(dt))
      fail(api, `Can not create parameter with default initializer when dtype is not float type (got ${dt}). Set default_initializer to fit the parameter dtype!`);
    if (isBias) attr._set_default_bias_initializer();
    else attr._set_default_param_initializer();
  } else attr._set_default_initializer(init);

  if (state.staticMode) {
    if (!staticParameterHook.create) return fail(api, 'creating parameters in static mode needs paddle.static', UnimplementedError);
    return staticParameterHook.create(attr, shape.slice(), dt, isBias) as ParamBase;
  }
  if (named && usedNames.has(attr.name))
    fail(api, `parameter name [${attr.name}] have be been used. In dygraph mode, the name of parameter can't be same. Please check the parameter attr value passed to self.create_parameter or constructor of dygraph Layers`, InvalidArgumentError);
  usedNames.add(attr.name);
  const param = new ParamBase(shape, dt, attr._to_kwargs());
  attr.initializer!(param);
  return param;
}

const dtypesOk: readonly DType[] = ['bool', 'float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8'];

/**
 * Creates a parameter (paddle.create_parameter, from fluid.layers.create_parameter). Returns a
 * ParamBase in dygraph; weights default to Xavier, biases (is_bias) to 0.
 * @param shape the shape
 * @param dtype the dtype, e.g. 'float32'
 * @param name the parameter's name (default: generated)
 * @param attr a ParamAttr
 * @param is_bias whether it is a bias (picks the default initializer)
 * @param default_initializer the initializer when attr gives none
 * @example const w = paddle.create_parameter([784, 200], 'float32')
 */
export const create_parameter = defineApi(
  'paddle.create_parameter',
  [
    p('shape', T.ints),
    p('dtype', T.dtype),
    p('name', T.nullable(T.str), null),
    p('attr', T.nullable(T.instance(ParamAttr, 'a ParamAttr')), null),
    p('is_bias', T.bool, false),
    p('default_initializer', T.nullable(T.instance(Initializer, 'an Initializer')), null),
  ],
  (a): ParamBase => {
    const api = 'paddle.create_parameter';
    if (!dtypesOk.includes(a.dtype)) fail(api, `argument 'dtype' must be one of ${dtypesOk.join(', ')}, but got ${a.dtype}`);
    const helper = a.name ?? generate('create_parameter');
    const attr = a.attr ?? new ParamAttr({ name: a.name });
    return createParameter(helper, attr, a.shape, a.dtype, a.is_bias, a.default_initializer, api)!;
  },
);
