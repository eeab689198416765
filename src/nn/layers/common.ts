// Common layers (python/paddle/nn/layer/common.py, fluid/dygraph/nn.py at 2.0): Linear,
// Flatten, and Identity (from later Paddle).
import { defineApi, makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { getDefaultDType, isFloating, type DType } from '../../core/dtype.js';
import { run1 } from '../../core/dispatch.js';
import { fail } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { flatten } from '../../tensor/manipulation.js';
import { Layer } from '../layer.js';
import { attrTy } from '../param_attr.js';
import type { ParamBase } from '../parameter.js';

/** Linear's forward; errors from its operators name paddle.nn.Linear. */
const linearForward = defineApi(
  'paddle.nn.Linear',
  [p('input', T.tensor), p('weight', T.tensor), p('bias', T.nullable(T.tensor), null)],
  (a): Tensor => {
    if (!isFloating(a.input.dtype)) fail('paddle.nn.Linear', `the input must be float16, float32 or float64, but got ${a.input.dtype}`);
    const out = run1('matmul', { X: [a.input], Y: [a.weight] }, { transpose_X: false, transpose_Y: false, alpha: 1 });
    return a.bias ? run1('elementwise_add', { X: [out], Y: [a.bias] }, { axis: a.input.dims.length - 1 }) : out;
  },
);

const linearParams = [
  p('in_features', T.int),
  p('out_features', T.int),
  p('weight_attr', attrTy, null),
  p('bias_attr', attrTy, null),
  p('name', T.nullable(T.str), null),
] as const;
const parseLinear = makeParser('paddle.nn.Linear', linearParams);

/**
 * Fully connected layer: y = x W + b, applied to the last dim of an input of any rank. The
 * weight has shape [in_features, out_features] (transposed vs PyTorch) and starts Xavier
 * uniform; the bias [out_features] starts at 0.
 * @param in_features size of each input sample
 * @param out_features size of each output sample
 * @param weight_attr ParamAttr of the weight (or a name, an Initializer; null: defaults)
 * @param bias_attr ParamAttr of the bias; false: no bias
 * @param name the name used by F.linear
 * @example
 * const fc = new nn.Linear(4, 2, { bias_attr: false })
 * const y = fc(paddle.ones([3, 4]))   // shape [3, 2]
 */
export class Linear extends Layer {
  declare weight: ParamBase;
  declare bias: ParamBase | null;
  declare _weight_attr: unknown;
  declare _bias_attr: unknown;
  declare name: string | null;

  constructor(...args: CallArgs<typeof linearParams>) {
    super();
    const a = parseLinear(args) as { in_features: number; out_features: number; weight_attr: unknown; bias_attr: unknown; name: string | null };
    if (a.in_features < 0 || a.out_features < 0)
      fail('paddle.nn.Linear', `in_features and out_features must be non-negative, but got ${a.in_features} and ${a.out_features}`);
    this._dtype = getDefaultDType();
    this._weight_attr = a.weight_attr;
    this._bias_attr = a.bias_attr;
    this.weight = this.create_parameter({ shape: [a.in_features, a.out_features], attr: a.weight_attr, dtype: this._dtype as DType, is_bias: false });
    this.bias = this.create_parameter({ shape: [a.out_features], attr: a.bias_attr, dtype: this._dtype as DType, is_bias: true }) ?? null;
    this.name = a.name;
  }

  /**
   * F.linear's computation, as Paddle 2.0 appends it: `matmul` (v1, no transposes, alpha 1) of
   * the input and the weight, then `elementwise_add` of the bias on the last axis.
   */
  override forward(input: Tensor): Tensor {
    return linearForward(input, this.weight, this.bias);
  }

  override extra_repr(): string {
    const nameStr = this.name ? `, name=${this.name}` : '';
    return `in_features=${this.weight.dims[0]}, out_features=${this.weight.dims[1]}, dtype=${this._dtype}${nameStr}`;
  }
}

const flattenParams = [p('start_axis', T.int, 1), p('stop_axis', T.int, -1)] as const;
const parseFlatten = makeParser('paddle.nn.Flatten', flattenParams);

/**
 * Flattens dims start_axis..stop_axis of the input into one (paddle.flatten); the default
 * start_axis=1 keeps the batch dim.
 * @param start_axis first dim to flatten (1)
 * @param stop_axis last dim to flatten (-1)
 * @example new nn.Flatten()(paddle.ones([2, 3, 4]))   // shape [2, 12]
 */
export class Flatten extends Layer {
  declare start_axis: number;
  declare stop_axis: number;
  constructor(...args: CallArgs<typeof flattenParams>) {
    super();
    const a = parseFlatten(args) as { start_axis: number; stop_axis: number };
    this.start_axis = a.start_axis;
    this.stop_axis = a.stop_axis;
  }
  override forward(input: Tensor): Tensor {
    return flatten(input, { start_axis: this.start_axis, stop_axis: this.stop_axis });
  }
}

/**
 * A layer that returns its input unchanged (a placeholder; from later Paddle versions). Its
 * arguments are accepted and ignored.
 * @example new nn.Identity()(x) === x
 */
export class Identity extends Layer {
  constructor(..._args: unknown[]) {
    super();
  }
  override forward<X>(input: X): X {
    return input;
  }
}
