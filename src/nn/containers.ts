// Containers (python/paddle/fluid/dygraph/container.py): Sequential, LayerList and
// ParameterList. They index with `[i]` (negative indices count from the end, 'a:b' string
// slices give a new container, as later Paddle versions allow), have `length`, and iterate
// with for...of.
import { describe, fail, OutOfRangeError } from '../core/errors.js';
import { Layer } from './layer.js';
import { ParamBase } from './parameter.js';

/** The positions a Python slice 'start:stop:step' selects from a list of length n. */
export function sliceIndices(key: string, n: number, api: string): number[] {
  const parts = key.split(':');
  if (parts.length < 2 || parts.length > 3) fail(api, `bad slice '${key}'`);
  const num = (s: string | undefined): number | null => (s === undefined || s.trim() === '' ? null : Number(s));
  const step = num(parts[2]) ?? 1;
  if (!Number.isInteger(step) || step === 0) fail(api, `slice step must be a non-zero integer, but got '${key}'`);
  const clamp = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    if (!Number.isInteger(v)) fail(api, `slice bounds must be integers, but got '${key}'`);
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  const out: number[] = [];
  if (step > 0) {
    const start = clamp(num(parts[0]), 0, 0, n);
    const stop = clamp(num(parts[1]), n, 0, n);
    for (let i = start; i < stop; i += step) out.push(i);
  } else {
    const start = clamp(num(parts[0]), n - 1, -1, n - 1);
    const stop = clamp(num(parts[1]), -1, -1, n - 1);
    for (let i = start; i > stop; i += step) out.push(i);
  }
  return out;
}

const isSlice = (k: unknown): k is string => typeof k === 'string' && k.includes(':');

/** An int index (a number or an integer string), normalized against n; out of range fails. */
function position(k: number | string, n: number, api: string): number {
  const i = typeof k === 'number' ? k : Number(k);
  if (!Number.isInteger(i)) fail(api, `index must be an integer or a slice string, but got ${describe(k)}`);
  if (i >= n || i < -n) fail(api, `index ${i} is out of range for a container of length ${n}`, OutOfRangeError);
  return i < 0 ? i + n : i;
}

function checkLayer(v: unknown, api: string): Layer {
  if (!(v instanceof Layer)) fail(api, `expected a Layer, but got ${describe(v)}`);
  return v;
}

/**
 * A layer that runs its sublayers in order: `new nn.Sequential(l1, l2, ...)`, or with names,
 * `new nn.Sequential(['conv', conv], ['relu', relu])`. Index by position (`seq[0]`, `seq[-1]`)
 * or by name (`seq.conv`).
 * @example
 * const model = new nn.Sequential(new nn.Linear(10, 5), new nn.ReLU(), new nn.Linear(5, 1))
 * const y = model(x)
 */
export class Sequential extends Layer {
  [index: number]: Layer;

  constructor(...layers: (Layer | readonly [string, Layer])[]) {
    super();
    const api = 'paddle.nn.Sequential';
    if (layers.length > 0 && Array.isArray(layers[0])) {
      for (const item of layers) {
        if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string')
          fail(api, `named layers are given as [name, layer] pairs, but got ${describe(item)}`);
        this.add_sublayer(item[0], checkLayer(item[1], api));
      }
    } else {
      layers.forEach((l, i) => this.add_sublayer(String(i), checkLayer(l, api)));
    }
  }

  /** The sublayer at a position (negative from the end) or with a name; a slice string gives a new Sequential. */
  __getitem__(name: number | string): any {
    const api = 'paddle.nn.Sequential.__getitem__';
    const values = [...this._sub_layers.values()] as Layer[];
    if (isSlice(name)) return new Sequential(...sliceIndices(name, values.length, api).map((i) => values[i]));
    if (typeof name === 'string' && this._sub_layers.has(name)) return this._sub_layers.get(name);
    if (typeof name === 'string' && !/^-?\d+$/.test(name)) return fail(api, `no sublayer named '${name}'`, OutOfRangeError);
    return values[position(name, values.length, api)];
  }
  /** Replaces (or adds) the sublayer under a name or position. */
  __setitem__(name: number | string, layer: Layer): void {
    const api = 'paddle.nn.Sequential.__setitem__';
    checkLayer(layer, api);
    let key = String(name);
    if (!this._sub_layers.has(key) && /^-\d+$/.test(key)) key = [...this._sub_layers.keys()][position(name, this._sub_layers.size, api)];
    // setattr(self, name, layer): a layer takes the name from a parameter or buffer
    this._parameters.delete(key);
    this._buffers.delete(key);
    this._sub_layers.set(key, layer);
  }
  /** Removes the sublayer with that name (or at that position). */
  __delitem__(name: number | string): void {
    const api = 'paddle.nn.Sequential.__delitem__';
    let key = String(name);
    if (!this._sub_layers.has(key)) {
      if (!/^-?\d+$/.test(key)) fail(api, `no sublayer named '${key}'`, OutOfRangeError);
      key = [...this._sub_layers.keys()][position(name, this._sub_layers.size, api)];
    }
    this._sub_layers.delete(key);
  }
  /** Number of sublayers. */
  __len__(): number {
    return this._sub_layers.size;
  }
  override get length(): number {
    return this._sub_layers.size;
  }
  *[Symbol.iterator](): IterableIterator<Layer> {
    for (const l of this._sub_layers.values()) if (l) yield l;
  }

  /** Feeds the input through every sublayer in order. */
  override forward(input: any): any {
    for (const l of this._sub_layers.values()) if (l) input = l(input);
    return input;
  }
}

/**
 * A list of sublayers, registered as '0', '1', ...: index with `[i]` (negative from the end,
 * 'a:b' slices), `length`, for...of, append/insert/extend.
 * @example
 * class Net extends nn.Layer {
 *   linears = new nn.LayerList(Array.from({ length: 3 }, () => new nn.Linear(10, 10)));
 *   forward(x) { for (const l of this.linears) x = l(x); return x; }
 * }
 */
export class LayerList<L extends Layer = Layer> extends Layer {
  [index: number]: L;

  constructor(sublayers: Iterable<L> | null = null) {
    super();
    if (sublayers !== null && sublayers !== undefined) {
      let i = 0;
      for (const l of sublayers) this.add_sublayer(String(i++), checkLayer(l, 'paddle.nn.LayerList'));
    }
  }

  /** The sublayer at idx (negative from the end); a slice string gives a new LayerList. */
  __getitem__(idx: number | string): any {
    const api = 'paddle.nn.LayerList.__getitem__';
    const values = [...this._sub_layers.values()] as L[];
    if (isSlice(idx)) return new LayerList<L>(sliceIndices(idx, values.length, api).map((i) => values[i]));
    return values[position(idx, values.length, api)];
  }
  /** Replaces the sublayer at idx. */
  __setitem__(idx: number | string, sublayer: L): void {
    const api = 'paddle.nn.LayerList.__setitem__';
    checkLayer(sublayer, api);
    const i = position(idx, this._sub_layers.size, api);
    this._sub_layers.set(String(i), sublayer);
  }
  /** Removes the sublayer(s) at idx (an int or a slice string) and renumbers the rest. */
  __delitem__(idx: number | string): void {
    const api = 'paddle.nn.LayerList.__delitem__';
    const n = this._sub_layers.size;
    const drop = new Set(isSlice(idx) ? sliceIndices(idx, n, api) : [position(idx, n, api)]);
    const keep = [...this._sub_layers.values()].filter((_, i) => !drop.has(i));
    this._sub_layers.clear();
    keep.forEach((l, i) => this._sub_layers.set(String(i), l));
  }
  /** Number of sublayers. */
  __len__(): number {
    return this._sub_layers.size;
  }
  override get length(): number {
    return this._sub_layers.size;
  }
  *[Symbol.iterator](): IterableIterator<L> {
    for (const l of this._sub_layers.values()) yield l as L;
  }

  /** Appends a sublayer; returns this. */
  append(sublayer: L): this {
    this.add_sublayer(String(this._sub_layers.size), checkLayer(sublayer, 'paddle.nn.LayerList.append') as L);
    return this;
  }
  /** Inserts a sublayer before position index (-len <= index < len). */
  insert(index: number, sublayer: L): void {
    const api = 'paddle.nn.LayerList.insert';
    const n = this._sub_layers.size;
    if (!Number.isInteger(index) || index < -n || index >= n) fail(api, `index should be an integer in range [-${n}, ${n}), but got ${index}`, OutOfRangeError);
    checkLayer(sublayer, api);
    if (index < 0) index += n;
    for (let i = n; i > index; i--) this._sub_layers.set(String(i), this._sub_layers.get(String(i - 1))!);
    this._sub_layers.set(String(index), sublayer);
  }
  /** Appends every layer of `sublayers`; returns this. */
  extend(sublayers: Iterable<L>): this {
    let i = this._sub_layers.size;
    for (const l of sublayers) this.add_sublayer(String(i++), checkLayer(l, 'paddle.nn.LayerList.extend') as L);
    return this;
  }
}

function checkParam(v: unknown, api: string): ParamBase {
  if (!(v instanceof ParamBase)) fail(api, `expected a Parameter, but got ${describe(v)}`);
  return v;
}

/**
 * A list of parameters registered as '0', '1', ...: index with `[i]`, `length`, for...of,
 * append.
 * @example
 * class Net extends nn.Layer {
 *   params = new nn.ParameterList(Array.from({ length: 3 }, () => this.create_parameter([2, 2])));
 * }
 */
export class ParameterList extends Layer {
  [index: number]: ParamBase;

  constructor(parameters: Iterable<ParamBase> | null = null) {
    super();
    if (parameters !== null && parameters !== undefined) {
      let i = 0;
      for (const prm of parameters) this.add_parameter(String(i++), checkParam(prm, 'paddle.nn.ParameterList'));
    }
  }

  /** The parameter at idx (negative from the end). */
  __getitem__(idx: number | string): ParamBase {
    const api = 'paddle.nn.ParameterList.__getitem__';
    const values = [...this._parameters.values()] as ParamBase[];
    return values[position(idx, values.length, api)];
  }
  /** Replaces the parameter at idx. */
  __setitem__(idx: number | string, param: ParamBase): void {
    const api = 'paddle.nn.ParameterList.__setitem__';
    checkParam(param, api);
    const i = position(idx, this._parameters.size, api);
    this._parameters.set(String(i), param);
  }
  /** Number of parameters. */
  __len__(): number {
    return this._parameters.size;
  }
  override get length(): number {
    return this._parameters.size;
  }
  *[Symbol.iterator](): IterableIterator<ParamBase> {
    for (const prm of this._parameters.values()) yield prm as ParamBase;
  }
  /** Appends a parameter; returns this. */
  append(parameter: ParamBase): this {
    this.add_parameter(String(this._parameters.size), checkParam(parameter, 'paddle.nn.ParameterList.append'));
    return this;
  }
}
