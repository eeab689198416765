// Turning user data (nested arrays, typed arrays, scalars) into tensors, and the parameter
// types of the argument parser that involve tensors, dtypes and shapes.
import { Ty, T as base } from './args.js';
import {
  DType, Storage, allocStorage, fromNumbers, getDefaultDType, isComplex, parseDType, toBigInt64, toHalfBits, toNumbers,
  convertStorage,
} from './dtype.js';
import { badArg, fail } from './errors.js';
import { numel } from './shape.js';
import { Tensor } from './tensor.js';

/** Data `paddle.to_tensor` accepts. */
export type TensorData =
  | number | boolean | bigint | { real: number; imag: number }
  | Storage | readonly TensorData[] | Tensor;

function typedDtype(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Int16Array) return 'int16';
  return undefined;
}

const isComplexObj = (v: unknown): v is { real: number; imag: number } =>
  typeof v === 'object' && v !== null && typeof (v as { real?: unknown }).real === 'number' && typeof (v as { imag?: unknown }).imag === 'number';

/**
 * Builds a tensor from data. Without `dtype`: booleans give bool, whole numbers int64 (as
 * Python ints), other numbers the default float dtype, typed arrays keep theirs.
 */
export function tensorFromData(data: unknown, dtype: DType | null | undefined, api: string, arg = 'data'): Tensor {
  if (data instanceof Tensor) {
    const t = new Tensor(dtype && dtype !== data.dtype ? convertStorage(data.data, data.dtype, dtype) : data.data.slice(), data.dims.slice(), dtype ?? data.dtype);
    return t;
  }
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const d = typedDtype(data);
    if (!d) return badArg(api, arg, 'a typed array of a Paddle dtype (Float32Array, Float64Array, Int32Array, BigInt64Array, Uint8Array, Int8Array, Int16Array)', data);
    const s = data as Storage;
    return new Tensor(dtype && dtype !== d ? convertStorage(s, d, dtype) : s.slice(), [s.length], dtype ?? d);
  }
  // Scalars and nested arrays: find the shape, then the flat values.
  const shape: number[] = [];
  let probe: unknown = data;
  const scalar = !Array.isArray(data);
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  if (scalar) shape.push(1);
  const n = numel(shape);
  const flat: unknown[] = new Array(n);
  let pos = 0;
  let kind = 0; // 0 int, 1 float, 2 bool, 3 bigint, 4 complex
  let sawBool = false;
  let sawNum = false;
  const leaf = (v: unknown): void => {
    if (v instanceof Tensor) {
      if (v.size !== 1) fail(api, `argument '${arg}' holds a Tensor of shape [${v.dims}] where a scalar was expected`);
      v = v.flatValues()[0];
    }
    if (typeof v === 'number') {
      sawNum = true;
      if (!Number.isInteger(v) && kind < 1) kind = 1;
    } else if (typeof v === 'boolean') sawBool = true;
    else if (typeof v === 'bigint') kind = Math.max(kind, 3) === 4 ? 4 : 3;
    else if (isComplexObj(v)) kind = 4;
    else return badArg(api, arg, 'numbers, booleans, bigints or nested arrays of them', v);
    flat[pos++] = v;
  };
  const walk = (v: unknown, d: number): void => {
    if (d === shape.length || (scalar && d === 0)) return leaf(v);
    if (!Array.isArray(v) || v.length !== shape[d])
      fail(api, `argument '${arg}' is a ragged nested list: expected a list of length ${shape[d]} at depth ${d}, got ${Array.isArray(v) ? `length ${v.length}` : typeof v}`);
    for (const x of v) walk(x, d + 1);
  };
  walk(data, 0);
  if (sawBool && (sawNum || kind >= 3)) fail(api, `argument '${arg}' mixes booleans and numbers`);
  const inferred: DType = sawBool ? 'bool' : kind === 4 ? (getDefaultDType() === 'float64' ? 'complex128' : 'complex64') : kind === 3 ? 'int64' : kind === 1 ? getDefaultDType() : n === 0 ? getDefaultDType() : 'int64';
  const dt = dtype ?? inferred;
  return new Tensor(storageFrom(flat, dt), shape, dt);
}

function storageFrom(flat: unknown[], dt: DType): Storage {
  const n = flat.length;
  if (isComplex(dt)) {
    const s = allocStorage(dt, n) as Float64Array;
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      if (isComplexObj(v)) { s[2 * i] = v.real; s[2 * i + 1] = v.imag; }
      else s[2 * i] = Number(v);
    }
    return s;
  }
  if (dt === 'int64') {
    const s = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      s[i] = typeof v === 'bigint' ? BigInt.asIntN(64, v) : toBigInt64(Number(isComplexObj(v) ? v.real : v));
    }
    return s;
  }
  const nums = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = flat[i];
    nums[i] = isComplexObj(v) ? v.real : Number(v);
  }
  if (dt === 'float16') {
    const s = new Uint16Array(n);
    for (let i = 0; i < n; i++) s[i] = toHalfBits(nums[i]);
    return s;
  }
  return fromNumbers(nums, dt);
}

/** Reads a tensor as a JS number list (int64 exact within ±2^53). */
export function tensorToNumbers(t: Tensor): number[] {
  return Array.from(toNumbers(t.data, t.dtype).subarray(0, numel(t.dims)));
}

// ---------------------------------------------------------------------------------------
// Parameter types involving tensors.

function ty<X, In = X>(desc: string, parse: (v: unknown, api: string, arg: string) => X): Ty<X, In> {
  return { desc, parse };
}

const dtypeTy = ty<DType, DType | string | number>('a dtype (such as \'float32\')', (v, api, arg) => {
  const d = parseDType(v);
  return d ?? badArg(api, arg, "a dtype such as 'float32', 'int64', 'bool'", v);
});

/** The parameter types involving tensors (declared, so Tensor's method types can refer back). */
export interface TensorTys {
  tensor: Ty<Tensor>;
  tensors: Ty<Tensor[], readonly Tensor[]>;
  tensorOrScalar: Ty<Tensor | number | boolean>;
  dtype: Ty<DType, DType | string | number>;
  shape: Ty<number[], readonly (number | Tensor)[] | Tensor>;
  intOrTensor: Ty<number, number | Tensor>;
  floatOrTensor: Ty<number, number | Tensor>;
  data: Ty<TensorData>;
}

/** Parameter types for tensors, dtypes and shapes (extends the basic ones of args.ts). */
export const T: typeof base & TensorTys = {
  ...base,
  /** A Tensor (or a static-mode Variable, which is one). */
  tensor: ty<Tensor>('a Tensor', (v, api, arg) => (v instanceof Tensor ? v : badArg(api, arg, 'a Tensor', v))),
  /** A list (or tuple) of Tensors. */
  tensors: ty<Tensor[], readonly Tensor[]>('a list of Tensors', (v, api, arg) => {
    if (Array.isArray(v) && v.every((x) => x instanceof Tensor)) return (v as Tensor[]).slice();
    return badArg(api, arg, 'a list of Tensors', v);
  }),
  /** A Tensor or a Python scalar (number/boolean), kept as given for the API to convert. */
  tensorOrScalar: ty<Tensor | number | boolean, Tensor | number | boolean>('a Tensor or a number', (v, api, arg) =>
    v instanceof Tensor || typeof v === 'number' || typeof v === 'boolean' ? v : badArg(api, arg, 'a Tensor or a number', v),
  ),
  dtype: dtypeTy,
  /**
   * A shape: a list of ints (each may be a one-element Tensor) or an int Tensor, given to the
   * implementation as number[].
   */
  shape: ty<number[], readonly (number | Tensor)[] | Tensor>('a shape (list of ints or an int Tensor)', (v, api, arg) => {
    if (v instanceof Tensor) {
      if (v.dtype !== 'int32' && v.dtype !== 'int64') return badArg(api, arg, 'a shape as an int32/int64 Tensor', v);
      return tensorToNumbers(v);
    }
    if (Array.isArray(v)) {
      const out: number[] = [];
      for (const x of v) {
        if (typeof x === 'number' && Number.isInteger(x)) out.push(x);
        else if (x instanceof Tensor && x.size === 1) out.push(tensorToNumbers(x)[0]);
        else return badArg(api, arg, 'a shape (list of ints or 1-element Tensors)', v);
      }
      return out;
    }
    return badArg(api, arg, 'a shape (list of ints or an int Tensor)', v);
  }),
  /** An int, or a one-element int Tensor (Paddle accepts both for axis-like arguments). */
  intOrTensor: ty<number, number | Tensor>('an integer', (v, api, arg) => {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (v instanceof Tensor && v.size === 1 && (v.dtype === 'int32' || v.dtype === 'int64')) return tensorToNumbers(v)[0];
    return badArg(api, arg, 'an integer or a 1-element int Tensor', v);
  }),
  /** A number, or a one-element Tensor. */
  floatOrTensor: ty<number, number | Tensor>('a number', (v, api, arg) => {
    if (typeof v === 'number') return v;
    if (v instanceof Tensor && v.size === 1) return tensorToNumbers(v)[0];
    return badArg(api, arg, 'a number or a 1-element Tensor', v);
  }),
  /** Data for to_tensor: anything tensorFromData takes. */
  data: ty<TensorData>('tensor data (a number, a boolean, a (nested) array, a typed array or a Tensor)', (v, api, arg) =>
    v === null || v === undefined || typeof v === 'string' || typeof v === 'function' ? badArg(api, arg, 'tensor data', v) : (v as TensorData),
  ),
};
