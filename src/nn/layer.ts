// paddle.nn.Layer (python/paddle/fluid/dygraph/layers.py at 2.0): the base of every layer.
//
// A Layer instance is callable, `net(x)`, as Python's `__call__`: the constructor returns a
// Proxy around a function whose prototype chain is the subclass's, so `net instanceof Net`,
// methods, getters and class fields all work. The Proxy's traps do what Python's
// `__setattr__` / `__getattr__` / `__delattr__` do: a Parameter, a Layer or a Tensor assigned
// to an attribute — by a class field (which *defines* the property, hence the
// `defineProperty` trap) or by `this.x = ...` in a constructor (the `set` trap) — is
// registered in `_parameters`, `_sub_layers` or `_buffers` in assignment order, and read back
// from there.
import { makeParser, p, type ArgsOf, type CallArgs, type Param, type Ty } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType, convertStorage, getDefaultDType, isFloating, parseDType, allocStorage } from '../core/dtype.js';
import { describe, fail, NotFoundError, UnavailableError, InvalidArgumentError } from '../core/errors.js';
import { CPUPlace } from '../core/place.js';
import { numel, sameShape, showShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { state } from '../core/state.js';
import { generate } from '../static/unique_name.js';
import { Initializer } from './initializer/initializer.js';
import { createParameter, ParamBase, setValue } from './parameter.js';
import { attrTy } from './param_attr.js';

type AnyParam = Param<string, any, any, boolean>;
function parser<const P extends readonly AnyParam[]>(api: string, params: P): (args: readonly unknown[]) => ArgsOf<P> {
  const parse = makeParser(api, params);
  return (args) => parse(args) as ArgsOf<P>;
}

/**
 * Classes whose instances register as parameters when assigned to a layer attribute
 * (ParamBase; src/static adds its static Parameter).
 */
export const parameterClasses: (abstract new (...a: any[]) => Tensor)[] = [ParamBase];
function isParameter(v: unknown): v is ParamBase {
  for (const c of parameterClasses) if (v instanceof c) return true;
  return false;
}

/** `hook(layer, inputs)`; a non-null result replaces the inputs (an array: the inputs; else the one input). */
export type ForwardPreHook = (layer: Layer, inputs: unknown[]) => unknown;
/** `hook(layer, inputs, outputs)`; a non-null result replaces the outputs. */
export type ForwardPostHook = (layer: Layer, inputs: unknown[], outputs: unknown) => unknown;

let nextHookId = 0;
/** The handle a hook registration returns; `remove()` unregisters the hook. */
export class HookRemoveHelper {
  readonly _hook_id: number;
  private readonly hooks: WeakRef<Map<number, unknown>>;
  constructor(hooks: Map<number, unknown>) {
    this.hooks = new WeakRef(hooks);
    this._hook_id = nextHookId++;
  }
  /** Unregisters the hook (no effect if already removed). */
  remove(): void {
    this.hooks.deref()?.delete(this._hook_id);
  }
}

/** Python's `_convert_camel_to_snake`: `BatchNorm2D` -> `batch_norm2d`, `Net` -> `net`. */
export function camelToSnake(name: string): string {
  const s1 = name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return s1.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Python's `_addindent`: indents every line but the first. */
function addIndent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  return lines[0] + '\n' + lines.slice(1).map((l) => ' '.repeat(n) + l).join('\n');
}

const MISSING = Symbol('missing');
/** Keys containers resolve through `__getitem__`: integers (also negative) and 'a:b:c' slices. */
const INDEX_KEY = /^(-?\d+|-?\d*:-?\d*(:-?\d*)?)$/;

/** A registered attribute (parameter, sublayer or buffer) of the raw target, or MISSING. */
function registered(t: Layer, k: string): unknown {
  const ps = t._parameters;
  if (ps === undefined) return MISSING;
  if (ps.has(k)) return ps.get(k);
  if (t._sub_layers.has(k)) return t._sub_layers.get(k);
  if (t._buffers.has(k)) return t._buffers.get(k);
  return MISSING;
}

/** The property descriptor of `k` on `o` or its prototype chain. */
function findDescriptor(o: object | null, k: PropertyKey): PropertyDescriptor | undefined {
  while (o) {
    const d = Reflect.getOwnPropertyDescriptor(o, k);
    if (d) return d;
    o = Reflect.getPrototypeOf(o);
  }
  return undefined;
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'object' || typeof v === 'function') return (v as { constructor?: { name?: string } }).constructor?.name ?? typeof v;
  return typeof v;
}

/**
 * Python's `Layer.__setattr__` on the raw target: registers parameters, sublayers and tensors
 * (non-persistable buffers), keeps a name's kind, and stores anything else as a plain property.
 * `fromField` marks a class-field definition, where `undefined` (a field declared without a
 * value) leaves an already registered name alone.
 */
function setAttr(t: Layer, k: string, v: unknown, fromField: boolean, desc?: PropertyDescriptor): boolean {
  const params = t._parameters;
  if (params === undefined) {
    if (v instanceof Tensor || v instanceof Layer)
      fail(`${t.constructor.name}`, 'super().__init__() should be called first: Layer() must be constructed before assigning parameters or sublayers');
    return desc ? Reflect.defineProperty(t, k, desc) : Reflect.set(t, k, v, t);
  }
  if (v === undefined && fromField && registered(t, k) !== MISSING) return true;
  const removeOwn = (): void => void Reflect.deleteProperty(t, k);
  if (isParameter(v)) {
    removeOwn();
    t._buffers.delete(k);
    t._sub_layers.delete(k);
    t._non_persistable_buffer_names_set.delete(k);
    params.set(k, v);
    return true;
  }
  if (params.has(k)) {
    if (v !== null && v !== undefined)
      fail(t.constructor.name, `assignment to parameter '${k}' should be of type Parameter or None, but got '${typeName(v)}'`, InvalidArgumentError);
    params.set(k, null);
    return true;
  }
  if (v instanceof Layer) {
    removeOwn();
    params.delete(k);
    t._buffers.delete(k);
    t._non_persistable_buffer_names_set.delete(k);
    t._sub_layers.set(k, v);
    return true;
  }
  if (t._sub_layers.has(k)) {
    if (v !== null && v !== undefined)
      fail(t.constructor.name, `assignment to sublayer '${k}' should be of type Layer or None, but got '${typeName(v)}'`, InvalidArgumentError);
    t._sub_layers.set(k, null);
    return true;
  }
  if (v instanceof Tensor) {
    removeOwn();
    params.delete(k);
    t._sub_layers.delete(k);
    if (!t._buffers.has(k)) t._non_persistable_buffer_names_set.add(k);
    t._buffers.set(k, v);
    return true;
  }
  if (t._buffers.has(k)) {
    if (v !== null && v !== undefined)
      fail(t.constructor.name, `assignment to buffers '${k}' should be of type Tensor or None, but got '${typeName(v)}'`, InvalidArgumentError);
    t._buffers.set(k, null);
    return true;
  }
  if (desc) return Reflect.defineProperty(t, k, desc);
  return Reflect.set(t, k, v, t);
}

/** Python's `Layer.__delattr__`. */
function delAttr(t: Layer, k: string): boolean {
  if (t._parameters?.has(k)) return t._parameters.delete(k);
  if (t._sub_layers?.has(k)) return t._sub_layers.delete(k);
  if (t._buffers?.has(k)) {
    t._non_persistable_buffer_names_set.delete(k);
    return t._buffers.delete(k);
  }
  return Reflect.deleteProperty(t, k);
}

type Container = Layer & {
  __getitem__?(k: number | string): unknown;
  __setitem__?(k: number | string, v: unknown): void;
  __delitem__?(k: number | string): void;
};

const handler: ProxyHandler<Layer> = {
  get(t, k, r) {
    if (typeof k === 'string' && !(k in t)) {
      const v = registered(t, k);
      if (v !== MISSING) return v;
      const c = t as Container;
      if (c.__getitem__ && INDEX_KEY.test(k)) return c.__getitem__(k);
    }
    return Reflect.get(t, k, r);
  },
  set(t, k, v, r) {
    if (typeof k !== 'string') return Reflect.set(t, k, v, r);
    const d = findDescriptor(t, k);
    if (d && (d.get || d.set)) return d.set ? Reflect.set(t, k, v, r) : false;
    const c = t as Container;
    if (c.__setitem__ && INDEX_KEY.test(k) && !(k in t)) {
      c.__setitem__.call(r as Container, k, v);
      return true;
    }
    return setAttr(t, k, v, false);
  },
  defineProperty(t, k, desc) {
    if (typeof k === 'string' && 'value' in desc && !desc.get && !desc.set) return setAttr(t, k, desc.value, true, desc);
    return Reflect.defineProperty(t, k, desc);
  },
  has(t, k) {
    return Reflect.has(t, k) || (typeof k === 'string' && registered(t, k) !== MISSING);
  },
  deleteProperty(t, k) {
    if (typeof k !== 'string') return Reflect.deleteProperty(t, k);
    const c = t as Container;
    if (c.__delitem__ && INDEX_KEY.test(k) && !(k in t)) {
      c.__delitem__(k);
      return true;
    }
    return delAttr(t, k);
  },
};

const layerParams = [p('name_scope', T.nullable(T.str), null), p('dtype', T.union(T.dtype, T.str), 'float32')] as const;
const parseLayer = parser('paddle.nn.Layer', layerParams);

const dictTy: Ty<Record<string, unknown> | Map<string, unknown>> = {
  desc: 'a dict (plain object or Map)',
  dict: true,
  parse: (v, api, arg) =>
    v instanceof Map || (v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null))
      ? (v as Record<string, unknown>)
      : fail(api, `argument '${arg}' expected a dict (plain object or Map), but got ${describe(v)}`),
};

const P = {
  named_parameters: parser('paddle.nn.Layer.named_parameters', [p('prefix', T.str, ''), p('include_sublayers', T.bool, true)]),
  parameters: parser('paddle.nn.Layer.parameters', [p('include_sublayers', T.bool, true)]),
  sublayers: parser('paddle.nn.Layer.sublayers', [p('include_sublayers', T.bool, true), p('include_self', T.bool, false)]),
  named_sublayers: parser('paddle.nn.Layer.named_sublayers', [
    p('prefix', T.str, ''), p('include_sublayers', T.bool, true), p('include_self', T.bool, false), p('layers_set', T.nullable(T.any), null),
  ]),
  buffers: parser('paddle.nn.Layer.buffers', [p('include_sublayers', T.bool, true)]),
  named_buffers: parser('paddle.nn.Layer.named_buffers', [p('prefix', T.str, ''), p('include_sublayers', T.bool, true)]),
  register_buffer: parser('paddle.nn.Layer.register_buffer', [p('name', T.any), p('tensor', T.any), p('persistable', T.bool, true)]),
  add_sublayer: parser('paddle.nn.Layer.add_sublayer', [p('name', T.str), p('sublayer', T.any)]),
  add_parameter: parser('paddle.nn.Layer.add_parameter', [p('name', T.any), p('parameter', T.any)]),
  create_parameter: parser('paddle.nn.Layer.create_parameter', [
    p('shape', T.shape), p('attr', attrTy, null), p('dtype', T.nullable(T.dtype), null), p('is_bias', T.bool, false),
    p('default_initializer', T.nullable(T.instance(Initializer, 'an Initializer')), null),
  ]),
  create_tensor: parser('paddle.nn.Layer.create_tensor', [
    p('name', T.nullable(T.str), null), p('persistable', T.nullable(T.bool), null), p('dtype', T.nullable(T.dtype), null),
  ]),
  state_dict: parser('paddle.nn.Layer.state_dict', [
    p('destination', T.nullable(dictTy), null), p('include_sublayers', T.bool, true), p('structured_name_prefix', T.str, ''),
  ]),
  set_state_dict: parser('paddle.nn.Layer.set_state_dict', [
    p('state_dict', dictTy), p('include_sublayers', T.bool, true), p('use_structured_name', T.bool, true),
  ]),
  apply: parser('paddle.nn.Layer.apply', [p('fn', T.fn)]),
  preHook: parser('paddle.nn.Layer.register_forward_pre_hook', [p('hook', T.fn)]),
  postHook: parser('paddle.nn.Layer.register_forward_post_hook', [p('hook', T.fn)]),
  to: parser('paddle.nn.Layer.to', [p('device', T.any, null), p('dtype', T.nullable(T.dtype), null), p('blocking', T.nullable(T.bool), null)]),
};

/** A state dict: structured names to Tensors (what `state_dict()` returns). */
export type StateDict = Record<string, Tensor>;

export interface Layer {
  /** Runs forward pre-hooks, `forward`, then forward post-hooks (Python's `__call__`). */
  (...inputs: Parameters<this['forward']>): ReturnType<this['forward']>;
}

/**
 * The base class of all layers. Subclasses create parameters and sublayers (as class fields
 * or in the constructor) and define `forward`; the instance is then callable.
 * @param name_scope prefix of the layer's unique name (default: the class name in snake case)
 * @param dtype the layer's dtype (default 'float32')
 * @example
 * class Net extends nn.Layer {
 *   fc1 = new nn.Linear(784, 128);
 *   fc2 = new nn.Linear(128, 10);
 *   forward(x: paddle.Tensor) { return this.fc2(F.relu(this.fc1(x))); }
 * }
 * const net = new Net();
 * const y = net(x);
 */
export class Layer {
  /** True in training mode (after construction and `train()`), false after `eval()`. */
  declare training: boolean;
  /** @internal */ declare _full_name: string;
  /** @internal */ declare _dtype: DType | string;
  /** @internal */ declare _built: boolean;
  /** @internal */ declare _init_in_dynamic_mode: boolean;
  /** @internal Parameters by attribute name, in registration order. */
  declare _parameters: Map<string, ParamBase | null>;
  /** @internal Buffers by attribute name, in registration order. */
  declare _buffers: Map<string, Tensor | null>;
  /** @internal */ declare _non_persistable_buffer_names_set: Set<string>;
  /** @internal Sublayers by attribute name, in registration order. */
  declare _sub_layers: Map<string, Layer | null>;
  /** @internal */ declare _forward_pre_hooks: Map<number, ForwardPreHook>;
  /** @internal */ declare _forward_post_hooks: Map<number, ForwardPostHook>;

  constructor(...args: CallArgs<typeof layerParams>) {
    const a = parseLayer(args);
    // The instance: a function (so it can be called) with the subclass's prototype chain.
    const target = ((...inputs: unknown[]) => (proxy as Layer).__call__(...inputs)) as unknown as Layer;
    delete (target as { name?: unknown }).name;
    delete (target as { length?: unknown }).length;
    Object.setPrototypeOf(target, new.target.prototype);
    const cls = new.target.name || 'Layer';
    target.training = true;
    // Internal state is non-enumerable, so Object.keys(layer) shows the user's attributes.
    const hidden = (k: string, v: unknown): void => void Object.defineProperty(target, k, { value: v, writable: true, configurable: true, enumerable: false });
    hidden('_full_name', generate(a.name_scope ?? camelToSnake(cls)));
    hidden('_built', false);
    hidden('_dtype', a.dtype);
    hidden('_init_in_dynamic_mode', !state.staticMode);
    hidden('_parameters', new Map());
    hidden('_buffers', new Map());
    hidden('_non_persistable_buffer_names_set', new Set());
    hidden('_sub_layers', new Map());
    hidden('_forward_pre_hooks', new Map());
    hidden('_forward_post_hooks', new Map());
    const proxy = new Proxy(target, handler);
    return proxy;
  }

  /**
   * Python's `layer.__setattr__(name, value)`: the same as `layer[name] = value`, which
   * registers a Parameter, a Layer or a Tensor (buffer) under `name`.
   * @example layer.__setattr__('w', layer.create_parameter([2, 2]))
   */
  __setattr__(name: string, value: unknown): void {
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  /** Runs pre-hooks, forward and post-hooks (what calling the layer does). */
  __call__(...inputs: unknown[]): any {
    for (const hook of this._forward_pre_hooks.values()) {
      const r = hook(this, inputs);
      if (r !== null && r !== undefined) inputs = Array.isArray(r) ? r : [r];
    }
    if (!this._built) {
      this._build_once(...inputs);
      this._built = true;
    }
    let outputs: unknown = this.forward(...(inputs as any[]));
    for (const hook of this._forward_post_hooks.values()) {
      const r = hook(this, inputs, outputs);
      if (r !== null && r !== undefined) outputs = r;
    }
    return outputs;
  }

  /** The computation; subclasses override it. */
  forward(..._inputs: any[]): any {
    return fail(`${this.constructor.name}.forward`, 'forward is not implemented: define forward(...) in your Layer subclass', NotFoundError);
  }

  /** @internal Called once before the first forward. */
  _build_once(..._inputs: unknown[]): void {}

  /** Layers compute gradients by autograd: this always fails, as in Paddle. */
  backward(..._inputs: unknown[]): never {
    return fail(`${this.constructor.name}.backward`, "Layer shouldn't implement backward");
  }

  /** Sets training mode on this layer and every sublayer. */
  train(): void {
    this.training = true;
    for (const l of this.sublayers()) l.training = true;
  }
  /** Sets evaluation mode (training = false) on this layer and every sublayer. */
  eval(): void {
    this.training = false;
    for (const l of this.sublayers()) l.training = false;
  }

  /**
   * Calls fn on every sublayer (children first, recursively) and then on this layer; returns this.
   * @example net.apply((l) => { if (l instanceof nn.Linear) init(l.weight) })
   */
  apply(...args: CallArgs<readonly [Param<'fn', (layer: Layer) => unknown, (layer: Layer) => unknown, false>]>): this {
    const { fn } = P.apply(args) as { fn: (l: Layer) => unknown };
    for (const l of this.children()) l.apply(fn);
    fn(this);
    return this;
  }

  /** The layer's unique name, e.g. 'linear_0'. */
  full_name(): string {
    return this._full_name;
  }

  /**
   * Registers `hook(layer, inputs)` to run before forward; a non-null result replaces the
   * inputs. Returns a handle whose remove() unregisters it.
   */
  register_forward_pre_hook(hook: ForwardPreHook): HookRemoveHelper {
    const { hook: h } = P.preHook([hook]) as { hook: ForwardPreHook };
    const helper = new HookRemoveHelper(this._forward_pre_hooks);
    this._forward_pre_hooks.set(helper._hook_id, h);
    return helper;
  }
  /**
   * Registers `hook(layer, inputs, outputs)` to run after forward; a non-null result replaces
   * the outputs. Returns a handle whose remove() unregisters it.
   */
  register_forward_post_hook(hook: ForwardPostHook): HookRemoveHelper {
    const { hook: h } = P.postHook([hook]) as { hook: ForwardPostHook };
    const helper = new HookRemoveHelper(this._forward_post_hooks);
    this._forward_post_hooks.set(helper._hook_id, h);
    return helper;
  }

  /**
   * Creates a parameter for this layer (named `<full_name>.w_N` or `.b_N` unless the attr names
   * it). attr false gives null. Default initializer: Xavier for weights, 0 for biases.
   * @param shape the shape
   * @param attr a ParamAttr, a name, an Initializer, false or null
   * @param dtype the dtype (default: paddle.get_default_dtype())
   * @param is_bias whether it is a bias
   * @param default_initializer the initializer when attr gives none
   * @example this.w = this.create_parameter([4, 2])
   */
  create_parameter(
    ...args: CallArgs<readonly [
      Param<'shape', number[], readonly (number | Tensor)[] | Tensor, false>,
      Param<'attr', unknown, unknown, true>,
      Param<'dtype', DType | null, DType | string | null, true>,
      Param<'is_bias', boolean, boolean, true>,
      Param<'default_initializer', Initializer | null, Initializer | null, true>,
    ]>
  ): ParamBase {
    const a = P.create_parameter(args);
    let attr = a.attr;
    if (attr === '') attr = null;
    return createParameter(this._full_name, attr, a.shape, a.dtype, a.is_bias, a.default_initializer, `${this.constructor.name}.create_parameter`)!;
  }

  /**
   * Creates an empty Tensor owned by the layer, named `<full_name>.<name>` (or a generated
   * name), to be filled by later operators.
   */
  create_tensor(
    ...args: CallArgs<readonly [
      Param<'name', string | null, string | null, true>,
      Param<'persistable', boolean | null, boolean | null, true>,
      Param<'dtype', DType | null, DType | string | null, true>,
    ]>
  ): Tensor {
    const a = P.create_tensor(args);
    const name = a.name !== null ? `${this._full_name}.${a.name}` : generate(`${this._full_name}._generated_var`);
    const dt = a.dtype ?? getDefaultDType();
    const t = new Tensor(allocStorage(dt, 0), [0], dt);
    t.name = name;
    t.persistable = a.persistable ?? false;
    return t;
  }
  /** Deprecated alias of create_tensor. */
  create_variable(...args: Parameters<Layer['create_tensor']>): Tensor {
    return this.create_tensor(...args);
  }

  /**
   * All parameters (with sublayers' when include_sublayers), each once, in registration order.
   * @example const opt = new paddle.optimizer.SGD({ parameters: net.parameters() })
   */
  parameters(...args: CallArgs<readonly [Param<'include_sublayers', boolean, boolean, true>]>): ParamBase[] {
    const a = P.parameters(args);
    return this.named_parameters('', a.include_sublayers).map(([, v]) => v);
  }

  /** Direct sublayers, each once. */
  children(): Layer[] {
    return this.named_children().map(([, l]) => l);
  }
  /** [name, sublayer] of the direct sublayers, each once. */
  named_children(): [string, Layer][] {
    const memo = new Set<Layer>();
    const out: [string, Layer][] = [];
    for (const [name, l] of this._sub_layers) {
      if (l && !memo.has(l)) {
        memo.add(l);
        out.push([name, l]);
      }
    }
    return out;
  }

  /**
   * All sublayers, recursively, each once, excluding this layer unless include_self. (In 2.0
   * include_sublayers=false stops the walk, giving none.)
   */
  sublayers(
    ...args: CallArgs<readonly [Param<'include_sublayers', boolean, boolean, true>, Param<'include_self', boolean, boolean, true>]>
  ): Layer[] {
    const a = P.sublayers(args);
    return this.named_sublayers('', a.include_sublayers, a.include_self).map(([, l]) => l);
  }

  /**
   * [dotted name, parameter] pairs, e.g. ['fc1.weight', p], each parameter once.
   * @param prefix prepended to every name
   * @param include_sublayers include the sublayers' parameters (true)
   */
  named_parameters(
    ...args: CallArgs<readonly [Param<'prefix', string, string, true>, Param<'include_sublayers', boolean, boolean, true>]>
  ): [string, ParamBase][] {
    const a = P.named_parameters(args);
    const seen = new Set<Tensor>();
    const out: [string, ParamBase][] = [];
    for (const [lp, l] of this.named_sublayers(a.prefix, a.include_sublayers, true)) {
      for (const [k, v] of l._parameters) {
        if (!v || seen.has(v)) continue;
        seen.add(v);
        out.push([lp + (lp ? '.' : '') + k, v]);
      }
    }
    return out;
  }

  /**
   * [dotted name, layer] pairs of the sublayers, recursively, each once; include_self adds
   * [prefix, this] first; include_sublayers=false stops the walk (only this, if included).
   */
  named_sublayers(
    ...args: CallArgs<readonly [
      Param<'prefix', string, string, true>,
      Param<'include_sublayers', boolean, boolean, true>,
      Param<'include_self', boolean, boolean, true>,
      Param<'layers_set', unknown, Set<Layer> | null, true>,
    ]>
  ): [string, Layer][] {
    const a = P.named_sublayers(args);
    const set = (a.layers_set as Set<Layer> | null) ?? new Set<Layer>();
    const out: [string, Layer][] = [];
    const walk = (l: Layer, prefix: string, self: boolean): void => {
      if (self && !set.has(l)) {
        set.add(l);
        out.push([prefix, l]);
      }
      if (!a.include_sublayers) return;
      for (const [k, s] of l._sub_layers) {
        if (!s) continue;
        walk(s, prefix + (prefix ? '.' : '') + k, true);
      }
    };
    walk(this, a.prefix, a.include_self);
    return out;
  }

  /**
   * Registers a Tensor as a buffer: saved in state_dict when persistable, not trained.
   * @param name the attribute name (no '.')
   * @param tensor a Tensor or null
   * @param persistable whether state_dict includes it (true)
   * @example this.register_buffer('running_mean', paddle.zeros([4]))
   */
  register_buffer(
    ...args: CallArgs<readonly [
      Param<'name', string, string, false>,
      Param<'tensor', Tensor | null, Tensor | null, false>,
      Param<'persistable', boolean, boolean, true>,
    ]>
  ): void {
    const a = P.register_buffer(args);
    const api = `${this.constructor.name}.register_buffer`;
    const name = a.name as unknown;
    if (typeof name !== 'string') fail(api, `The name of buffer should be a string, but received ${typeName(name)}.`);
    if (name.includes('.'))
      fail(api, 'The name of buffer can not contain `.`, because when you access the newly added buffer in the form of `self.**.**`, it will cause AttributeError.');
    if (name === '') fail(api, 'The name of buffer can not be empty.');
    if (name in this && !this._buffers.has(name)) fail(api, `attribute '${name}' already exists.`);
    const t = a.tensor as unknown;
    if (t !== null && (!(t instanceof Tensor) || isParameter(t)))
      fail(api, `The registered buffer should be a Tensor, but received ${typeName(t)}.`);
    this._buffers.set(name, t as Tensor | null);
    if (a.persistable) this._non_persistable_buffer_names_set.delete(name);
    else this._non_persistable_buffer_names_set.add(name);
  }

  /** All buffers (with sublayers' when include_sublayers), each once. */
  buffers(...args: CallArgs<readonly [Param<'include_sublayers', boolean, boolean, true>]>): Tensor[] {
    const a = P.buffers(args);
    return this.named_buffers('', a.include_sublayers).map(([, b]) => b);
  }
  /** [dotted name, buffer] pairs, each buffer once. */
  named_buffers(
    ...args: CallArgs<readonly [Param<'prefix', string, string, true>, Param<'include_sublayers', boolean, boolean, true>]>
  ): [string, Tensor][] {
    const a = P.named_buffers(args);
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [lp, l] of this.named_sublayers(a.prefix, a.include_sublayers, true)) {
      for (const [k, b] of l._buffers) {
        if (!b || seen.has(b)) continue;
        seen.add(b);
        out.push([lp + (lp ? '.' : '') + k, b]);
      }
    }
    return out;
  }

  /** Zeroes the gradients of all trainable parameters. */
  clear_gradients(): void {
    for (const prm of this.parameters()) if (prm.trainable) prm.clear_gradient();
  }

  /**
   * Registers `sublayer` under `name` (as assigning the attribute does) and returns it.
   * @example this.add_sublayer('fc', new nn.Linear(4, 2))
   */
  add_sublayer<L extends Layer>(...args: CallArgs<readonly [Param<'name', string, string, false>, Param<'sublayer', L, L, false>]>): L {
    const a = P.add_sublayer(args);
    if (!(a.sublayer instanceof Layer))
      fail(`${this.constructor.name}.add_sublayer`, `argument 'sublayer' expected a Layer, but got ${describe(a.sublayer)}`);
    this._sub_layers.set(a.name, a.sublayer);
    return a.sublayer as L;
  }

  /**
   * Registers a parameter under `name` and returns it.
   * @example this.add_parameter('w', this.create_parameter([4]))
   */
  add_parameter(...args: CallArgs<readonly [Param<'name', string, string, false>, Param<'parameter', ParamBase | null, ParamBase | null, false>]>): ParamBase | null {
    const a = P.add_parameter(args);
    const api = `${this.constructor.name}.add_parameter`;
    const name = a.name as unknown;
    if (typeof name !== 'string') fail(api, `The name of parameter should be a string, but received ${typeName(name)}.`);
    if (name.includes('.'))
      fail(api, 'The name of parameter can not contain `.`, because when you access the newly added parameter in the form of `self.**.**`, it will cause AttributeError.');
    if (name === '') fail(api, 'The name of parameter can not be empty.');
    if (name in this && !this._parameters.has(name)) fail(api, `The parameter '${name}' already exists.`);
    const prm = a.parameter as unknown;
    if (prm !== null && !isParameter(prm)) fail(api, `The parameter to be added should be a Parameter, but received ${typeName(prm)}.`);
    this._parameters.set(name, prm as ParamBase | null);
    return prm as ParamBase | null;
  }

  /** Extra text inside this layer's printed form; subclasses override it. */
  extra_repr(): string {
    return '';
  }

  /** Paddle's repr: `Net(\n  (fc1): Linear(in_features=784, out_features=128, dtype=float32)\n)`. */
  toString(): string {
    const extraLines = this.extra_repr().split('\n');
    const subLines: string[] = [];
    for (const [name, l] of this._sub_layers) subLines.push(`(${name}): ${addIndent(l ? String(l) : 'None', 2)}`);
    let s = `${this.constructor.name}(`;
    if (extraLines.length > 1) s += '\n  ' + extraLines.join('\n  ') + '\n';
    else if (extraLines.length === 1) s += extraLines[0];
    if (subLines.length) s += '\n  ' + subLines.join('\n  ') + '\n';
    return s + ')';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
  get [Symbol.toStringTag](): string {
    return this.constructor.name;
  }

  /**
   * The parameters and persistable buffers (with sublayers' when include_sublayers), keyed by
   * structured name ('fc1.weight', 'bn._mean'), as a plain object in Paddle's order: own
   * parameters, own buffers, then each sublayer's.
   * @example paddle.save(net.state_dict(), 'net.pdparams')
   */
  state_dict(
    ...args: CallArgs<readonly [
      Param<'destination', Record<string, unknown> | null, Record<string, unknown> | null, true>,
      Param<'include_sublayers', boolean, boolean, true>,
      Param<'structured_name_prefix', string, string, true>,
    ]>
  ): StateDict {
    const a = P.state_dict(args);
    const dest = (a.destination ?? {}) as Record<string, Tensor> | Map<string, Tensor>;
    const put = (k: string, v: Tensor): void => void (dest instanceof Map ? dest.set(k, v) : (dest[k] = v));
    const walk = (l: Layer, prefix: string): void => {
      for (const [k, v] of l._parameters) if (v) put(prefix + k, v);
      for (const [k, b] of l._buffers) if (b && !l._non_persistable_buffer_names_set.has(k)) put(prefix + k, b);
      if (!a.include_sublayers) return;
      for (const [k, s] of l._sub_layers) if (s) walk(s, prefix + k + '.');
    };
    walk(this, a.structured_name_prefix);
    return dest as StateDict;
  }

  /**
   * Loads parameters and persistable buffers from a state dict (Tensors, nested arrays or typed
   * arrays) by structured name (or by parameter name with use_structured_name=false). Missing
   * keys and shape mismatches are skipped with a warning, as in Paddle.
   * @example net.set_state_dict(paddle.load('net.pdparams'))
   */
  set_state_dict(
    ...args: CallArgs<readonly [
      Param<'state_dict', Record<string, unknown>, Record<string, unknown> | Map<string, unknown>, false>,
      Param<'include_sublayers', boolean, boolean, true>,
      Param<'use_structured_name', boolean, boolean, true>,
    ]>
  ): void {
    const a = P.set_state_dict(args);
    const sd = a.state_dict;
    const get = (k: string): unknown => (sd instanceof Map ? sd.get(k) : Object.prototype.hasOwnProperty.call(sd, k) ? sd[k] : undefined);
    const matched: [string, Tensor, unknown][] = [];
    for (const [key, prm] of Object.entries(this.state_dict())) {
      const keyName = a.use_structured_name ? key : prm.name;
      const st = get(keyName);
      if (st === null || st === undefined) {
        warn(`Skip loading for ${key}. ${keyName} is not found in the provided dict.`);
        continue;
      }
      const shape = shapeOfValue(st);
      if (shape && !sameShape(shape, prm.dims) && !(ArrayBuffer.isView(st) && shape[0] === numel(prm.dims))) {
        warn(`Skip loading for ${key}. ${keyName} receives a shape ${showShape(shape)}, but the expected shape is ${showShape(prm.dims)}.`);
        continue;
      }
      matched.push([key, prm, st]);
    }
    for (const [key, prm, st] of matched) setValue(prm, st, `${this.constructor.name}.set_state_dict`, `'${key}'`);
  }
  /** Alias of set_state_dict. */
  set_dict(...args: Parameters<Layer['set_state_dict']>): void {
    this.set_state_dict(...args);
  }
  /** Alias of set_state_dict. */
  load_dict(...args: Parameters<Layer['set_state_dict']>): void {
    this.set_state_dict(...args);
  }

  /**
   * Moves parameters and buffers to a device (only the CPU exists: 'cpu', a CPUPlace or null)
   * and casts floating ones to `dtype` (Paddle 2.1's Layer.to). Returns this.
   * @example net.to('cpu', 'float64')
   */
  to(
    ...args: CallArgs<readonly [
      Param<'device', unknown, string | CPUPlace | null, true>,
      Param<'dtype', DType | null, DType | string | null, true>,
      Param<'blocking', boolean | null, boolean | null, true>,
    ]>
  ): this {
    const a = P.to(args);
    const api = `${this.constructor.name}.to`;
    const dev = a.device;
    if (dev !== null && !(dev instanceof CPUPlace)) {
      if (typeof dev !== 'string') fail(api, `argument 'device' expected 'cpu', a CPUPlace or None, but got ${describe(dev)}`);
      const d = dev.toLowerCase();
      if (/^(gpu|xpu)(:\d+)?$/.test(d)) fail(api, `device '${dev}' is not available: paddle-ts runs on the CPU only`, UnavailableError);
      if (d !== 'cpu') fail(api, `argument 'device' must be 'cpu', 'gpu', 'gpu:x' or 'xpu:x', but got '${dev}'`);
    }
    const dt = a.dtype;
    if (dt !== null) {
      const cast = (t: Tensor): void => {
        if (t.dtype === dt || !isFloating(t.dtype)) return;
        t.data = convertStorage(t.data, t.dtype, dt);
        t.dtype = dt;
        t.ver.v++;
      };
      for (const prm of this.parameters()) {
        cast(prm);
        if (prm.grad) cast(prm.grad);
      }
      for (const b of this.buffers()) cast(b);
      for (const l of this.sublayers(true, true)) if (typeof l._dtype === 'string' && isFloating(parseDType(l._dtype) ?? 'int32')) l._dtype = dt;
    }
    return this;
  }
}

/** Emits a Python-style UserWarning (process 'warning' event; printed once per message by Node). */
export function warn(message: string): void {
  process.emitWarning(message, 'UserWarning');
}

/** The shape of a state-dict value: a Tensor's, a nested array's, or [length] of a typed array. */
function shapeOfValue(v: unknown): number[] | null {
  if (v instanceof Tensor) return v.dims.slice();
  if (ArrayBuffer.isView(v)) return [(v as unknown as { length: number }).length];
  if (Array.isArray(v)) {
    const s: number[] = [];
    let x: unknown = v;
    while (Array.isArray(x)) {
      s.push(x.length);
      x = x[0];
    }
    return s;
  }
  return null;
}
