// paddle.fluid.LoDTensor (alias paddle.fluid.Tensor), LoDTensorArray, create_lod_tensor and
// create_random_int_lodtensor (paddle/fluid/pybind/pybind.cc, python/paddle/fluid/lod_tensor.py
// at 2.0). A LoDTensor is a core Tensor (so feeds, fetches and every API take it) carrying
// level-of-detail offsets (`lod`, outermost level first), with the C++ class's methods.
// `shape()` is a method in Paddle's LoDTensor; here `t.shape` is both: callable (`t.shape()`)
// and array-like (`t.shape[0]`, `t.shape.length`), so code written for paddle.Tensor works too.
import { defineApi, isPlainObject, p } from '../core/args.js';
import { T, tensorFromData } from '../core/convert.js';
import { DType, convertStorage } from '../core/dtype.js';
import { describe, fail, InvalidArgumentError } from '../core/errors.js';
import { numel } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { randint } from '../tensor/random.js';
import { fetchHooks } from '../static/executor.js';

/** The shape of a LoDTensor: an array of dims that can also be called (Paddle's `shape()`). */
export type ShapeFn = number[] & (() => number[]);

/** An array-like, callable view of `dims` (a snapshot). */
function callableShape(dims: readonly number[]): ShapeFn {
  const arr = dims.slice();
  const fn = (): number[] => arr.slice();
  // util.inspect looks at a proxy's target: show the dims
  Object.defineProperty(fn, Symbol.for('nodejs.util.inspect.custom'), { value: () => arr });
  return new Proxy(fn, {
    get(_t, k) {
      if (k === 'call' || k === 'apply' || k === 'bind') return Reflect.get(fn, k);
      if (k === 'toJSON') return () => arr.slice();
      const v = Reflect.get(arr, k);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(arr) : v;
    },
    has: (_t, k) => k in arr,
  }) as unknown as ShapeFn;
}

/** Offsets -> lengths per level. */
export function offsetsToLengths(lod: readonly (readonly number[])[]): number[][] {
  return lod.map((level) => level.slice(1).map((v, i) => v - level[i]));
}
/** Lengths -> offsets per level. */
export function lengthsToOffsets(lens: readonly (readonly number[])[]): number[][] {
  return lens.map((level) => {
    const out = [0];
    for (const n of level) out.push(out[out.length - 1] + n);
    return out;
  });
}

/** Paddle's CheckLoD: well-formed offsets whose last level ends at `height` (when height > 0). */
export function checkLoD(lod: readonly (readonly number[])[], height: number): boolean {
  if (lod.length === 0) return true;
  for (const level of lod) {
    if (level.length < 2 || level[0] !== 0) return false;
    for (let i = 1; i < level.length; i++) if (!(level[i] >= level[i - 1])) return false;
  }
  if (height > 0 && lod[lod.length - 1][lod[lod.length - 1].length - 1] !== height) return false;
  for (let l = 0; l < lod.length - 1; l++) if (lod[l][lod[l].length - 1] !== lod[l + 1].length - 1) return false;
  return true;
}

function levelsArg(api: string, arg: string, v: unknown): number[][] {
  if (!Array.isArray(v) || !v.every((l) => Array.isArray(l) && l.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)))
    return fail(api, `argument '${arg}' expected a list of lists of non-negative integers, but got ${describe(v)}`);
  return (v as number[][]).map((l) => l.slice());
}

/** Turns what `set` accepts (Tensor, nested arrays, typed arrays, `{ data, shape }`) into a Tensor. */
function toTensor(api: string, value: unknown): Tensor {
  if (value instanceof Tensor) return tensorFromData(value, value.dtype, api, 'array');
  if (isPlainObject(value) && 'data' in value && 'shape' in value) {
    const { data, shape } = value as { data: unknown; shape: unknown };
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(api, `argument 'array' has a 'shape' that is not a list of non-negative integers: ${describe(shape)}`);
    const t = tensorFromData(data, undefined, api, 'array');
    if (numel(shape as number[]) !== t.size) fail(api, `argument 'array' has ${t.size} values but shape [${(shape as number[]).join(', ')}]`);
    return new Tensor(t.data, (shape as number[]).slice(), t.dtype);
  }
  return tensorFromData(value, undefined, api, 'array');
}

/** Paddle's name of a dtype as its C++ print shows it. */
const CPP_DTYPE: Record<string, string> = {
  float32: 'float', float64: 'double', int32: 'int', int64: 'int64_t', bool: 'bool', float16: 'float16', uint8: 'uint8_t',
  int8: 'int8_t', int16: 'int16_t', complex64: 'complex64', complex128: 'complex128',
};

/**
 * A tensor with level-of-detail (LoD) information describing variable-length sequences, as
 * Paddle's C++ LoDTensor (`paddle.fluid.LoDTensor`, also `paddle.fluid.Tensor`). It is a
 * Tensor, so Executor feeds and every API accept it.
 * @param recursive_sequence_lengths optional sequence lengths per level (the tensor stays empty)
 * @example
 * const t = new fluid.LoDTensor();
 * t.set([[1], [2], [3], [4], [5]], new paddle.CPUPlace());
 * t.set_recursive_sequence_lengths([[2, 3]]);
 * t.lod()   // [[0, 2, 5]]
 */
export class LoDTensor extends Tensor {
  constructor(recursive_sequence_lengths?: number[][]) {
    super(new Float32Array(0), [0], 'float32');
    // Tensor's `lod` field is replaced by the accessor of LoDTensor.prototype (see below).
    delete (this as { lod?: unknown }).lod;
    this._lod = [];
    if (recursive_sequence_lengths !== undefined) {
      const lens = levelsArg('paddle.fluid.LoDTensor', 'recursive_sequence_lengths', recursive_sequence_lengths);
      const lod = lengthsToOffsets(lens);
      if (!checkLoD(lod, -1))
        fail('paddle.fluid.LoDTensor', `the provided recursive_sequence_lengths info is invalid, the LoD converted by recursive_sequence_lengths is ${JSON.stringify(lod)}`);
      this._lod = lod;
    }
  }

  /** @internal A LoDTensor sharing `t`'s data (and its LoD unless one is given). */
  static _from(t: Tensor, lod?: number[][]): LoDTensor {
    if (t instanceof LoDTensor && lod === undefined) return t;
    const out = new LoDTensor();
    out.data = t.data;
    out.dims = t.dims.slice();
    out.dtype = t.dtype;
    out.ver = t.ver;
    out._lod = Array.from(lod ?? t.lod, (l) => Array.from(l));
    return out;
  }

  /** The shape, callable as Paddle's `shape()` and usable as an array. */
  override get shape(): ShapeFn {
    return callableShape(this.dims);
  }

  /**
   * Copies `array` into this tensor (its shape and dtype become the array's; the LoD is kept).
   * @param array a Tensor, nested arrays, a typed array or `{ data, shape }`
   * @param place where the data lives (CPUPlace; accepted for compatibility)
   * @param zero_copy accepted for compatibility (the data is copied)
   */
  set(array: unknown, place: unknown = null, zero_copy = false): void {
    void place;
    void zero_copy;
    const t = toTensor('LoDTensor.set', array);
    this.data = t.data;
    this.dims = t.dims.slice();
    this.dtype = t.dtype;
    this.ver.v++;
  }

  /**
   * The LoD as offsets per level: call it (`t.lod()`, Paddle's method) for a copy such as
   * [[0, 2, 5]]; it also reads as the array of levels.
   */
  declare lod: number[][] & (() => number[][]);

  /**
   * Sets the LoD from offsets per level (each level starts at 0, does not decrease, and the
   * last level ends at the tensor's first dimension).
   * @example t.set_lod([[0, 2, 5]])
   */
  set_lod(lod: number[][]): void {
    const api = 'LoDTensor.set_lod';
    const l = levelsArg(api, 'lod', lod);
    if (!checkLoD(l, this.dims[0] ?? 0)) fail(api, `the provided LoD is invalid, the LoD is ${JSON.stringify(l)} for a tensor of shape [${this.dims.join(', ')}]`);
    this._lod = l;
  }

  /** The LoD as sequence lengths per level, e.g. [[2, 3]]. */
  recursive_sequence_lengths(): number[][] {
    return offsetsToLengths(this._lod);
  }

  /**
   * Sets the LoD from sequence lengths per level.
   * @example t.set_recursive_sequence_lengths([[2, 3]])   // lod [[0, 2, 5]]
   */
  set_recursive_sequence_lengths(recursive_sequence_lengths: number[][]): void {
    const api = 'LoDTensor.set_recursive_sequence_lengths';
    const lens = levelsArg(api, 'recursive_sequence_lengths', recursive_sequence_lengths);
    const lod = lengthsToOffsets(lens);
    if (!checkLoD(lod, -1))
      fail(api, `the provided recursive_sequence_lengths info is invalid, the LoD converted by recursive_sequence_lengths is ${JSON.stringify(lod)}`);
    this._lod = lod;
  }

  /** Whether the LoD is well formed and its last level covers the tensor's first dimension. */
  has_valid_recursive_sequence_lengths(): boolean {
    return checkLoD(this._lod, this.dims[0] ?? 0);
  }

  /** The element type (Paddle returns the VarType; here the dtype name). */
  _dtype(): DType {
    return this.dtype;
  }
  /** Where the data lives. */
  _place(): unknown {
    return this.place;
  }
  /** Number of elements. */
  _numel(): number {
    return numel(this.dims);
  }
  /** Frees the data (the tensor becomes empty). */
  _clear(): void {
    this.data = new Float32Array(0);
    this.dims = [0];
    this.dtype = 'float32';
  }
  /** A Tensor sharing the data, cut from the graph (a LoDTensor keeps its LoD). */
  override detach(): LoDTensor {
    return LoDTensor._from(this, this._lod);
  }
  /** A deep copy (data and LoD). */
  _copy(_place?: unknown): LoDTensor {
    const t = LoDTensor._from(this, this._lod);
    t.data = this.data.slice();
    t.ver = { v: 0 };
    return t;
  }
  /** A copy converted to `dtype`, keeping the LoD. */
  _as(dtype: DType): LoDTensor {
    const t = this._copy();
    if (dtype !== this.dtype) {
      t.data = convertStorage(this.data, this.dtype, dtype);
      t.dtype = dtype;
    }
    return t;
  }

  /** Paddle's print of a LoDTensor (lod, place, shape, layout, dtype, data). */
  override toString(): string {
    const lod = this._lod.length ? `  - lod: {${this._lod.map((l) => `{${l.join(', ')}}`).join(', ')}}\n` : '';
    const vals = this.flatValues().map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));
    return `${lod}  - place: CPUPlace\n  - shape: [${this.dims.join(', ')}]\n  - layout: NCHW\n  - dtype: ${CPP_DTYPE[this.dtype] ?? this.dtype}\n  - data: [${vals.join(' ')}]\n`;
  }
  override get [Symbol.toStringTag](): string {
    return 'LoDTensor';
  }

  /** @internal */
  get _lod(): number[][] {
    return (this as unknown as { lodOffsets: number[][] }).lodOffsets;
  }
  set _lod(v: number[][]) {
    (this as unknown as { lodOffsets: number[][] }).lodOffsets = v;
  }
}

// Tensor declares `lod` as a data field (number[][]); on a LoDTensor `lod` must also be the
// method `lod()`. The field is kept under `lodOffsets` and `lod` becomes an accessor giving a
// callable array of levels, so core code reading `t.lod` (offsets) keeps working.
function callableLod(t: LoDTensor): number[][] & (() => number[][]) {
  const levels = t._lod;
  const fn = (): number[][] => levels.map((l) => l.slice());
  Object.defineProperty(fn, Symbol.for('nodejs.util.inspect.custom'), { value: () => levels });
  return new Proxy(fn, {
    get(_f, k) {
      if (k === 'call' || k === 'apply' || k === 'bind') return Reflect.get(fn, k);
      const v = Reflect.get(levels, k);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(levels) : v;
    },
    has: (_f, k) => k in levels,
  }) as unknown as number[][] & (() => number[][]);
}
Object.defineProperty(LoDTensor.prototype, 'lod', {
  configurable: true,
  get(this: LoDTensor) {
    return callableLod(this);
  },
  set(this: LoDTensor, v: number[][]) {
    // core code assigns offsets (possibly a callable view from another LoDTensor)
    this._lod = Array.from(v as number[][], (l) => Array.from(l));
  },
});

/**
 * A list of LoDTensors (Paddle's C++ LoDTensorArray), used by static control flow
 * (array_write / array_read / While). Index it, iterate it, `append` to it.
 * @example const arr = new fluid.LoDTensorArray(); arr.append(t); arr.length === 1
 */
export class LoDTensorArray extends Array<LoDTensor> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  constructor(...items: LoDTensor[]) {
    super();
    for (const t of items) this.push(t);
  }
  /** Appends a copy of `tensor` (sharing its data, keeping its LoD). */
  append(tensor: Tensor): void {
    if (!(tensor instanceof Tensor)) fail('LoDTensorArray.append', `argument 'tensor' expected a LoDTensor, but got ${describe(tensor)}`);
    this.push(LoDTensor._from(tensor, tensor.lod.map((l) => l.slice())));
  }
  /** The elements as a plain array (Paddle's `_move_to_list`). */
  _move_to_list(): LoDTensor[] {
    const out = Array.from(this);
    this.length = 0;
    return out;
  }
}

// ---- create_lod_tensor / create_random_int_lodtensor --------------------------------------

const lensTy = {
  desc: 'a list of lists of sequence lengths',
  parse: (v: unknown, api: string, arg: string) => levelsArg(api, arg, v),
};

/**
 * Builds a LoDTensor from data and sequence lengths.
 * - A Tensor, a typed array or `{ data, shape }` (Paddle's numpy array) is used as is.
 * - A LoDTensor is copied.
 * - A (JS) list of sequences, e.g. `[[1, 2], [3, 4, 5]]` with `[[2, 3]]`, is flattened into a
 *   column [N, 1] (whole numbers give int64 ids); it must have one LoD level matching its lengths.
 * @param data the data
 * @param recursive_seq_lens sequence lengths per level, e.g. [[2, 3]]
 * @param place where the tensor lives (CPUPlace)
 * @example const t = fluid.create_lod_tensor([[1, 2], [3, 4, 5]], [[2, 3]], new paddle.CPUPlace())  // shape [5, 1]
 */
export const create_lod_tensor = defineApi(
  'paddle.fluid.create_lod_tensor',
  [p('data', T.any), p('recursive_seq_lens', lensTy), p('place', T.any)],
  (a): LoDTensor => {
    const api = 'paddle.fluid.create_lod_tensor';
    const { data, recursive_seq_lens: lens } = a;
    let t: LoDTensor;
    if (data instanceof Tensor) {
      t = new LoDTensor();
      t.set(data);
    } else if (Array.isArray(data)) {
      const got = data.map((seq) => {
        if (!Array.isArray(seq)) fail(api, `a list 'data' must hold sequences (lists), but it holds ${describe(seq)}`);
        return seq.length;
      });
      if (lens.length !== 1 || lens[0].length !== got.length || lens[0].some((n, i) => n !== got[i]))
        fail(api, `data and recursive_seq_lens do not match: the sequences have lengths [[${got.join(', ')}]], but recursive_seq_lens is ${JSON.stringify(lens)}`);
      const flat = (data as unknown[][]).flat(1);
      const arr = flat.length ? tensorFromData(flat, undefined, api, 'data') : new Tensor(new BigInt64Array(0), [0], 'int64');
      t = new LoDTensor();
      t.set(new Tensor(arr.data, [...arr.dims, 1], arr.dtype));
      t.set_recursive_sequence_lengths(lens);
      return t;
    } else if (ArrayBuffer.isView(data) || isPlainObject(data)) {
      t = new LoDTensor();
      t.set(data);
    } else return fail(api, `data should be either a LoDTensor, a Tensor (numpy array) or a list, but got ${describe(data)}`, InvalidArgumentError);
    t.set_recursive_sequence_lengths(lens);
    if (!t.has_valid_recursive_sequence_lengths())
      fail(api, `the provided lod info is invalid: recursive_seq_lens ${JSON.stringify(lens)} do not cover the data's first dimension ${t.dims[0]}`);
    return t;
  },
);

/**
 * A LoDTensor of random int64 values in [low, high] (both included) whose first dimension is
 * the total of the last level's lengths, followed by base_shape. Uses paddle.seed's generator.
 * @param recursive_seq_lens sequence lengths per level
 * @param base_shape the shape of each element, e.g. [1]
 * @param place where the tensor lives
 * @param low the smallest value
 * @param high the largest value
 * @example fluid.create_random_int_lodtensor([[2, 3]], [1], place, 0, 9)   // shape [5, 1]
 */
export const create_random_int_lodtensor = defineApi(
  'paddle.fluid.create_random_int_lodtensor',
  [p('recursive_seq_lens', lensTy), p('base_shape', T.ints), p('place', T.any), p('low', T.int), p('high', T.int)],
  (a): LoDTensor => {
    const api = 'paddle.fluid.create_random_int_lodtensor';
    if (a.recursive_seq_lens.length === 0) fail(api, 'recursive_seq_lens must have at least one level');
    if (a.high < a.low) fail(api, `high (${a.high}) must not be less than low (${a.low})`);
    const n = a.recursive_seq_lens[a.recursive_seq_lens.length - 1].reduce((x, y) => x + y, 0);
    const shape = [n, ...a.base_shape];
    const data = numel(shape) === 0 ? new Tensor(new BigInt64Array(0), shape, 'int64') : randint(a.low, a.high + 1, shape, 'int64');
    return create_lod_tensor(data, a.recursive_seq_lens, a.place);
  },
);

// Executor.run(..., { return_numpy: false }) fetches LoDTensors that keep their LoD.
fetchHooks.wrap = (t: Tensor): Tensor => LoDTensor._from(t);
