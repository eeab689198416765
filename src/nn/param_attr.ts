// paddle.ParamAttr (python/paddle/fluid/param_attr.py): how a layer creates one parameter —
// its name, initializer, learning-rate multiplier, regularizer, trainable flag, model
// averaging and gradient clipping. A layer's weight_attr/bias_attr may also be null (the
// defaults), false (no parameter), a string (the name), an Initializer or a regularizer.
import { isPlainObject, makeParser, p, type CallArgs, type Ty } from '../core/args.js';
import { describe, fail } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { ConstantInitializer } from './initializer/constant.js';
import { Initializer } from './initializer/initializer.js';
import { XavierInitializer } from './initializer/xavier.js';

/**
 * Whether `v` is a weight-decay regularizer (paddle.regularizer.L1Decay/L2Decay or a
 * fluid regularizer): an instance of some class that is not a tensor, an initializer or a
 * ParamAttr.
 */
export function isRegularizer(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || isPlainObject(v)) return false;
  return !(v instanceof Tensor) && !(v instanceof ParamAttr) && !(v instanceof Initializer) && !ArrayBuffer.isView(v);
}

function typeTy<X>(desc: string, ok: (v: unknown) => boolean): Ty<X> {
  return {
    desc,
    parse: (v, api, arg) =>
      ok(v) ? (v as X) : fail(api, `The type of '${arg}' in ${api} must be ${desc}, but received ${describe(v)}.`),
  };
}

const params = [
  p('name', typeTy<string | null>('str or None', (v) => v === null || typeof v === 'string'), null),
  p('initializer', typeTy<Initializer | null>('Initializer or None', (v) => v === null || v instanceof Initializer), null),
  p('learning_rate', typeTy<number>('float or int', (v) => typeof v === 'number'), 1.0),
  p('regularizer', typeTy<unknown>('WeightDecayRegularizer or None', (v) => v === null || isRegularizer(v)), null),
  p('trainable', typeTy<boolean>('bool', (v) => typeof v === 'boolean'), true),
  p('do_model_average', typeTy<boolean>('bool', (v) => typeof v === 'boolean'), true),
  p('need_clip', typeTy<boolean>('bool', (v) => typeof v === 'boolean'), true),
] as const;
const parse = makeParser('paddle.ParamAttr', params);

/** The ParamBase keyword arguments a ParamAttr gives (Paddle's `_to_kwargs`). */
export interface ParamKwargs {
  name: string | null;
  optimize_attr: { learning_rate: number };
  regularizer: unknown;
  trainable: boolean;
  do_model_average: boolean;
  need_clip: boolean;
  initializer?: Initializer | null;
}

/**
 * Settings for creating a parameter.
 * @param name the parameter's name (default: generated, like `linear_0.w_0`)
 * @param initializer an Initializer (default: the layer's; Xavier for weights, 0 for biases)
 * @param learning_rate multiplier of the optimizer's learning rate for this parameter (1.0)
 * @param regularizer a regularizer (paddle.regularizer.L2Decay...), overriding the optimizer's
 * @param trainable whether the parameter is updated (true)
 * @param do_model_average whether ModelAverage includes it (true)
 * @param need_clip whether gradient clipping applies to it (true)
 * @example
 * const w = new paddle.ParamAttr({ name: 'fc_w', initializer: new nn.initializer.Constant(0.5), learning_rate: 0.5 })
 * const fc = new nn.Linear(4, 2, w, false)
 */
export class ParamAttr {
  name: string | null;
  initializer: Initializer | null;
  learning_rate: number;
  regularizer: unknown;
  trainable: boolean;
  do_model_average: boolean;
  need_clip: boolean;

  constructor(...args: CallArgs<typeof params>) {
    const a = parse(args) as {
      name: string | null; initializer: Initializer | null; learning_rate: number; regularizer: unknown;
      trainable: boolean; do_model_average: boolean; need_clip: boolean;
    };
    if (a.name === '') fail('paddle.ParamAttr', 'name of ParamAttr can not be empty str');
    this.name = a.name;
    this.initializer = a.initializer;
    this.learning_rate = a.learning_rate;
    this.regularizer = a.regularizer;
    this.trainable = a.trainable;
    this.do_model_average = a.do_model_average;
    this.need_clip = a.need_clip;
  }

  /** @internal Sets the initializer if none was given (null: one must have been given). */
  _set_default_initializer(initializer: Initializer | null): void {
    if (initializer === null) {
      if (this.initializer === null) fail('paddle.ParamAttr', 'ParamAttr.initializer is not set');
      return;
    }
    if (this.initializer !== null) return;
    this.initializer = initializer;
  }
  /** @internal Default weight initializer: Xavier (uniform). */
  _set_default_param_initializer(): void {
    this._set_default_initializer(new XavierInitializer());
  }
  /** @internal Default bias initializer: Constant(0). */
  _set_default_bias_initializer(): void {
    this._set_default_initializer(new ConstantInitializer(0.0));
  }

  /**
   * @internal Paddle's `ParamAttr._to_attr`: null/true -> a default ParamAttr; a ParamAttr as is;
   * a string -> ParamAttr(name); an Initializer -> ParamAttr(initializer); a regularizer ->
   * ParamAttr(regularizer); false -> false; a list -> a list of those. Anything else is an error.
   */
  static _to_attr(arg: unknown, api = 'paddle.ParamAttr'): ParamAttr | false | (ParamAttr | false)[] {
    if (arg === null || arg === undefined) return new ParamAttr();
    if (Array.isArray(arg)) return arg.map((x) => ParamAttr._to_attr(x, api) as ParamAttr | false);
    if (arg instanceof ParamAttr) return arg;
    if (typeof arg === 'string') return new ParamAttr({ name: arg });
    if (arg instanceof Initializer) return new ParamAttr({ initializer: arg });
    if (typeof arg === 'boolean') return arg ? new ParamAttr() : false;
    if (isRegularizer(arg)) return new ParamAttr({ regularizer: arg });
    return fail(api, `a parameter attribute must be a ParamAttr, a name string, an Initializer, a regularizer, False or None, but got ${describe(arg)}`);
  }

  /** @internal A copy (Paddle deep-copies an attribute before naming the parameter). */
  _copy(): ParamAttr {
    // keeps the subclass (WeightNormParamAttr)
    return Object.assign(Object.create(Object.getPrototypeOf(this)) as ParamAttr, this);
  }

  /** @internal The ParamBase keyword arguments (Paddle's `_to_kwargs`). */
  _to_kwargs(with_initializer = false): ParamKwargs {
    const kw: ParamKwargs = {
      name: this.name,
      optimize_attr: { learning_rate: this.learning_rate },
      regularizer: this.regularizer,
      trainable: this.trainable,
      do_model_average: this.do_model_average,
      need_clip: this.need_clip,
    };
    if (with_initializer) kw.initializer = this.initializer;
    return kw;
  }

  toString(): string {
    return `ParamAttr(name=${this.name ?? 'None'}, learning_rate=${this.learning_rate}, trainable=${this.trainable ? 'True' : 'False'})`;
  }
}

/** The parameter type for a layer's weight_attr / bias_attr (checked when the parameter is made). */
export const attrTy: Ty<unknown, ParamAttr | string | boolean | Initializer | null | object> = {
  desc: 'a ParamAttr, a name, an Initializer, False or None',
  parse: (v, api, arg) => {
    if (v === null || v === false || v === true || typeof v === 'string' || v instanceof ParamAttr || v instanceof Initializer || isRegularizer(v)) return v;
    return fail(api, `argument '${arg}' expected a ParamAttr, a name string, an Initializer, False or None, but got ${describe(v)}`);
  },
};
