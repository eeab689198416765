// paddle.Tensor: a dtype, a shape and a contiguous row-major typed array, plus what
// autograd needs (stop_gradient, the creating node, the gradient). Math methods are not
// written here: src/tensor/methods.ts installs them from the API table.
import { DType, Storage, allocStorage, convertStorage, fillStorage, fromHalfBits, isComplex, itemsize } from './dtype.js';
import { formatTensor } from './format.js';
import { CPU, CPUPlace } from './place.js';
import { numel } from './shape.js';
import type { GradNode } from './autograd.js';
import { UnavailableError } from './errors.js';

/** What shape inference sees of a value: Tensors and static Variables both are Metas. */
export interface Meta {
  /** The shape; -1 marks a dimension unknown until run time (static mode). Do not mutate. */
  readonly dims: number[];
  readonly dtype: DType;
  /**
   * Static mode: how many LoD levels the value carries (Variables have it; `infer` may set it
   * on an output meta, otherwise the operator's LoD sharing rule decides, see OpDef.shareLod).
   */
  readonly lod_level?: number;
}

/** A gradient hook: returns a replacement gradient, or nothing to keep it. */
export type GradHook = (grad: Tensor) => Tensor | void;

let tensorCount = 0;

/** Functions the autograd module provides (set at load; avoids an import cycle). */
export const tensorRuntime: {
  backward?: (t: Tensor, grad: Tensor | null, retain: boolean) => void;
  /** The global block of the default main program (set by src/static). */
  defaultBlock?: () => unknown;
  zerosLike?: (t: Tensor) => Tensor;
} = {};

export class Tensor implements Meta {
  /** @internal The elements, row-major; shared by tensors that view the same memory. */
  data: Storage;
  /** @internal The shape (use `shape` for a copy). */
  dims: number[];
  /** The element type. */
  dtype: DType;
  /** Whether gradients stop here: true for data, false for parameters. */
  stop_gradient = true;
  /** Whether the tensor outlives one run (parameters, buffers). */
  persistable = false;
  /** The variable type, framework.proto's VarType name ('LOD_TENSOR' for tensors). */
  type: string = 'LOD_TENSOR';
  /** @internal The operator call that produced this tensor, while it is recorded for autograd. */
  node: GradNode | null = null;
  /** @internal */
  _grad: Tensor | null = null;
  /** @internal Hooks applied to this tensor's gradient. */
  hooks: GradHook[] | null = null;
  /**
   * @internal Called once a leaf's gradient of a backward is complete and accumulated into
   * `.grad` (Paddle's reduce hooks: DataParallel starts communicating from here).
   */
  declare _readyHooks: Array<(t: Tensor) => void> | undefined;
  /** @internal Bumped by every in-place write to the data, to detect a value changed after
   * autograd saved it; shared by tensors that share the data. */
  ver: { v: number } = { v: 0 };
  /** @internal Level-of-detail offsets, outermost level first (empty: no LoD). */
  lod: number[][] = [];
  private _name: string | undefined;

  /** @internal Use `paddle.to_tensor` to make tensors. */
  constructor(data: Storage, dims: number[], dtype: DType) {
    this.data = data;
    this.dims = dims;
    this.dtype = dtype;
  }

  /** The tensor's name (generated on first use, like Paddle's `generated_tensor_N`). */
  get name(): string {
    return (this._name ??= `generated_tensor_${tensorCount++}`);
  }
  set name(v: string) {
    this._name = v;
  }
  /** The shape as a fresh array. */
  get shape(): number[] {
    return this.dims.slice();
  }
  /** Where the data lives: always `CPUPlace`. */
  get place(): CPUPlace {
    return CPU;
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.dims.length;
  }
  /** Number of elements (a property, as in Paddle). */
  get size(): number {
    return numel(this.dims);
  }
  /** True for tensors not produced by a recorded operator (data and parameters). */
  get is_leaf(): boolean {
    return this.node === null;
  }
  /** The accumulated gradient, a Tensor (as in Paddle >= 2.1), or null before any backward. */
  get grad(): Tensor | null {
    return this._grad;
  }
  set grad(g: Tensor | null) {
    this._grad = g;
  }
  /** Number of dimensions (Paddle's `dim()`). */
  dim(): number {
    return this.dims.length;
  }
  ndimension(): number {
    return this.dims.length;
  }

  /**
   * Computes gradients of this tensor with respect to the leaves that need them, accumulating
   * into their `.grad`. `grad_tensor` defaults to ones; `retain_graph` keeps the graph for
   * another backward.
   * @example const y = x.mul(x).sum(); y.backward(); x.grad
   */
  backward(grad_tensor?: Tensor | null | { grad_tensor?: Tensor | null; retain_graph?: boolean }, retain_graph = false): void {
    let g = grad_tensor;
    if (g && !(g instanceof Tensor) && typeof g === 'object') {
      retain_graph = g.retain_graph ?? false;
      g = g.grad_tensor ?? null;
    }
    tensorRuntime.backward!(this, (g as Tensor | null | undefined) ?? null, retain_graph);
  }
  /** Sets the gradient to zero (Paddle 2.0 keeps the gradient tensor, zeroed). */
  clear_gradient(): void {
    if (this._grad) this._grad._zero_();
  }
  /** @internal Zeroes the data in place (a SelectedRows gradient empties its rows instead). */
  _zero_(): void {
    this.data.fill(0 as never);
  }
  /** Alias of clear_gradient (later Paddle name). */
  clear_grad(): void {
    this.clear_gradient();
  }
  /**
   * The gradient's data as a flat typed array (Paddle 2.0's `gradient()` returned numpy), or
   * null; for a SelectedRows gradient (Embedding with sparse=True) `[value, rows]`, as Paddle.
   */
  gradient(): Storage | Float32Array | [Storage | Float32Array, BigInt64Array] | null {
    const g = this._grad;
    if (!g) return null;
    const rows = (g as { rows?: number[] }).rows;
    return g.type === 'SELECTED_ROWS' && rows ? [g.numpy(), BigInt64Array.from(rows, (r) => BigInt(r))] : g.numpy();
  }
  /**
   * Registers a hook called with this tensor's gradient during backward; it may return a
   * replacement. Returns a handle whose `remove()` unregisters it.
   */
  register_hook(hook: GradHook): { remove(): void } {
    if (typeof hook !== 'function') throw new TypeError('Tensor.register_hook: argument hook must be a function');
    if (this.stop_gradient) throw new Error('Tensor.register_hook: cannot register a hook on a tensor that stops gradient');
    (this.hooks ??= []).push(hook);
    return { remove: () => void (this.hooks = this.hooks?.filter((h) => h !== hook) ?? null) };
  }
  /** A new tensor sharing this one's data, cut from the graph (stop_gradient true). */
  detach(): Tensor {
    const t = new Tensor(this.data, this.dims.slice(), this.dtype);
    t.lod = this.lod;
    t.ver = this.ver;
    return t;
  }

  /**
   * Overwrites this tensor's data with `value` (a Tensor of the same shape, converted to this
   * dtype), in place and outside autograd, as Paddle's `Tensor.set_value`.
   * @example param.set_value(paddle.zeros(param.shape))
   */
  set_value(value: Tensor): void {
    if (!(value instanceof Tensor)) throw new TypeError(`Tensor.set_value: argument 'value' expected a Tensor, but got ${typeof value}`);
    if (numel(value.dims) !== numel(this.dims) || value.dims.length !== this.dims.length || value.dims.some((d, i) => d !== this.dims[i]))
      throw new RangeError(`Tensor.set_value: value has shape [${value.dims}] but the tensor has shape [${this.dims}]`);
    const src = value.dtype === this.dtype ? value.data : convertStorage(value.data, value.dtype, this.dtype);
    (this.data as Float64Array).set(src as Float64Array);
    this.ver.v++;
  }

  /** A flat row-major copy of the data: int64 as BigInt64Array, float16 as Float32Array values, complex interleaved. */
  numpy(): Storage | Float32Array {
    if (this.dtype === 'float16') {
      const out = new Float32Array(this.data.length);
      for (let i = 0; i < out.length; i++) out[i] = fromHalfBits((this.data as Uint16Array)[i]);
      return out;
    }
    return this.data.slice();
  }
  /** The data as nested JS arrays (numbers, booleans; int64 beyond ±2^53 as bigint; complex as {real, imag}). */
  tolist(): unknown {
    const flat = this.flatValues();
    const dims = this.dims;
    if (dims.length === 0) return flat[0];
    let pos = 0;
    const rec = (d: number): unknown[] => {
      const n = dims[d];
      const out = new Array<unknown>(n);
      if (d === dims.length - 1) for (let i = 0; i < n; i++) out[i] = flat[pos++];
      else for (let i = 0; i < n; i++) out[i] = rec(d + 1);
      return out;
    };
    return rec(0);
  }
  /** The single value of a one-element tensor. */
  item(): number | boolean | bigint | { real: number; imag: number } {
    if (numel(this.dims) !== 1)
      throw new RangeError(`Tensor.item: only a tensor with one element can be converted to a scalar, but this one has shape [${this.dims}]`);
    return this.flatValues()[0] as number;
  }
  /** @internal Element values as JS values. */
  flatValues(): unknown[] {
    const n = numel(this.dims);
    const d = this.data;
    const out = new Array<unknown>(n);
    switch (this.dtype) {
      case 'bool': for (let i = 0; i < n; i++) out[i] = d[i] !== 0; break;
      case 'int64':
        for (let i = 0; i < n; i++) {
          const b = (d as BigInt64Array)[i];
          const v = Number(b);
          out[i] = (v < 9007199254740992 && v > -9007199254740992) || BigInt(v) === b ? v : b;
        }
        break;
      case 'float16': for (let i = 0; i < n; i++) out[i] = fromHalfBits((d as Uint16Array)[i]); break;
      case 'complex64': case 'complex128':
        for (let i = 0; i < n; i++) out[i] = { real: (d as Float64Array)[2 * i], imag: (d as Float64Array)[2 * i + 1] };
        break;
      default: for (let i = 0; i < n; i++) out[i] = d[i];
    }
    return out;
  }

  /** The block of the default main program (as Paddle's VarBase.block); static Variables give their own. */
  get block(): unknown {
    return tensorRuntime.defaultBlock?.() ?? null;
  }
  /** This tensor (it already lives in CPU memory, so no copy is made, as Paddle's `cpu()`). */
  cpu(): this {
    return this;
  }
  /** Moving to a GPU is unavailable: paddle-ts computes on the CPU. */
  cuda(_device_id: number | null = null, _blocking = true): never {
    throw new UnavailableError('Tensor.cuda: paddle-ts is not compiled with CUDA; tensors live on the CPU');
  }
  /** Page-locked memory needs CUDA. */
  pin_memory(): never {
    throw new UnavailableError('Tensor.pin_memory: paddle-ts is not compiled with CUDA');
  }
  /** Copies `value`'s data into this tensor in place (Paddle's `copy_`); returns this. */
  copy_(value: Tensor, _blocking = true): this {
    this.set_value(value);
    return this;
  }
  /** The tensor itself (Paddle's VarBase.value() gives the underlying LoDTensor). */
  value(): this {
    return this;
  }
  /** How many in-place writes the data has had (Paddle's `inplace_version`). */
  get inplace_version(): number {
    return this.ver.v;
  }
  /** Python's bool(x): the truth of a one-element tensor. */
  __bool__(): boolean {
    return Boolean(this.scalarOf('__bool__'));
  }
  /** Python's float(x) of a one-element tensor. */
  __float__(): number {
    return Number(this.scalarOf('__float__'));
  }
  /** Python's int(x) of a one-element tensor (truncated). */
  __int__(): number {
    return Math.trunc(Number(this.scalarOf('__int__')));
  }
  __long__(): number {
    return this.__int__();
  }
  /** Python's operator.index(x): the integer of a one-element integer tensor. */
  __index__(): number {
    if (this.dtype !== 'int32' && this.dtype !== 'int64' && this.dtype !== 'int16' && this.dtype !== 'int8' && this.dtype !== 'uint8')
      throw new TypeError(`Tensor.__index__: only integer tensors can be used as an index, but this one is ${this.dtype}`);
    return this.__int__();
  }
  /** Python's len(x): the size of the first dimension. */
  __len__(): number {
    if (this.dims.length === 0) throw new TypeError('Tensor.__len__: len() of a 0-D tensor');
    return this.dims[0];
  }
  __str__(): string {
    return this.toString();
  }
  /** A copy with its own data, keeping stop_gradient and name (Python's deepcopy). */
  __deepcopy__(_memo: unknown = null): Tensor {
    const t = new Tensor(this.data.slice(), this.dims.slice(), this.dtype);
    t.stop_gradient = this.stop_gradient;
    t.persistable = this.persistable;
    t.lod = this.lod.map((l) => l.slice());
    return t;
  }
  private scalarOf(what: string): unknown {
    if (numel(this.dims) !== 1) throw new TypeError(`Tensor.${what}: only a tensor with one element can be converted to a Python scalar, but this one has shape [${this.dims}]`);
    const v = this.flatValues()[0];
    return typeof v === 'object' && v !== null ? (v as { real: number }).real : v;
  }

  /** Paddle's repr: `Tensor(shape=[2], dtype=float32, place=CPUPlace, stop_gradient=True,\n       [1., 2.])`. */
  toString(): string {
    const vals = isComplex(this.dtype)
      ? (this.flatValues() as { real: number; imag: number }[]).map((c) => [c.real, c.imag])
      : this.flatValues();
    let pos = 0;
    const rec = (d: number): unknown =>
      d === this.dims.length ? vals[pos++] : Array.from({ length: this.dims[d] }, () => rec(d + 1));
    return formatTensor('Tensor', this.dims, this.dtype, 'CPUPlace', this.stop_gradient, rec(0));
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
  get [Symbol.toStringTag](): string {
    return 'Tensor';
  }

  /** @internal Version of the data (see `ver`). */
  get version(): number {
    return this.ver.v;
  }
  /** @internal A tensor of the given shape and dtype filled with zeros. */
  static zeros(dims: number[], dtype: DType): Tensor {
    return new Tensor(allocStorage(dtype, numel(dims)), dims, dtype);
  }
  /** @internal A tensor of the given shape and dtype filled with `value`. */
  static full(dims: number[], dtype: DType, value: number): Tensor {
    const t = Tensor.zeros(dims, dtype);
    if (value !== 0) fillStorage(t.data, dtype, value);
    return t;
  }
  /** @internal Bytes of data. */
  get nbytes(): number {
    return numel(this.dims) * itemsize(this.dtype);
  }
}
