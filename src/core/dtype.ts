// Data types: Paddle's eleven dtypes, how each is stored, and conversions between the
// storage and the plain numbers that portable kernels compute with.

/** A Paddle data type, named as Paddle names it (`paddle.float32 === 'float32'`). */
export type DType =
  | 'bool'
  | 'uint8'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float16'
  | 'float32'
  | 'float64'
  | 'complex64'
  | 'complex128';

export const DTYPES: readonly DType[] = [
  'bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64', 'complex64', 'complex128',
];

/**
 * The typed array that holds a tensor's elements, row-major and contiguous. int64 is a
 * BigInt64Array (exact, and the same bytes Paddle and the native backend use), float16 is
 * the raw half bits in a Uint16Array, complex is interleaved (re, im) in Float32/64Array.
 */
export type Storage =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint16Array
  | Float32Array
  | Float64Array;

/** Typed arrays whose elements are JS numbers: what portable math kernels read and write. */
export type NumArray = Uint8Array | Int8Array | Int16Array | Int32Array | Uint16Array | Float32Array | Float64Array;

/** framework.proto's VarType.Type numbers, used by saved programs and dtype attributes. */
export const PROTO_DTYPE: Readonly<Record<DType, number>> = {
  bool: 0, int16: 1, int32: 2, int64: 3, float16: 4, float32: 5, float64: 6,
  uint8: 20, int8: 21, complex64: 23, complex128: 24,
};
const FROM_PROTO = new Map<number, DType>(Object.entries(PROTO_DTYPE).map(([k, v]) => [v, k as DType]));

export function isFloating(d: DType): boolean {
  return d === 'float32' || d === 'float64' || d === 'float16';
}
export function isComplex(d: DType): boolean {
  return d === 'complex64' || d === 'complex128';
}
export function isInteger(d: DType): boolean {
  return d === 'int32' || d === 'int64' || d === 'int16' || d === 'int8' || d === 'uint8';
}
/** Bytes per element, as Paddle stores it. */
export function itemsize(d: DType): number {
  switch (d) {
    case 'bool': case 'uint8': case 'int8': return 1;
    case 'int16': case 'float16': return 2;
    case 'int32': case 'float32': return 4;
    case 'int64': case 'float64': case 'complex64': return 8;
    case 'complex128': return 16;
  }
}
/** The real dtype of a complex one (complex64 -> float32), or the dtype itself. */
export function realOf(d: DType): DType {
  return d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d;
}

/** Allocates zeroed storage for n elements of dtype d (2n numbers for complex). */
export function allocStorage(d: DType, n: number): Storage {
  switch (d) {
    case 'bool': case 'uint8': return new Uint8Array(n);
    case 'int8': return new Int8Array(n);
    case 'int16': return new Int16Array(n);
    case 'int32': return new Int32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'float16': return new Uint16Array(n);
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'complex64': return new Float32Array(2 * n);
    case 'complex128': return new Float64Array(2 * n);
  }
}

/** The number array a kernel computing in dtype d writes: float16 and int64 compute wider. */
export function allocNumbers(d: DType, n: number): NumArray {
  switch (d) {
    case 'float16': return new Float32Array(n);
    case 'int64': return new Float64Array(n);
    default: return allocStorage(d, n) as NumArray;
  }
}

// ---- float16 <-> float32 bits, round to nearest even ----
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / nan
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow to zero
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++; // may carry into the exponent: still correct
  return sign | half;
}

export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Converts a number to int32 as an x86 C++ cast does (truncation; NaN and out-of-range give
 * INT32_MIN); narrower int types then keep the low bits, as their typed arrays do on store.
 */
export function toInt32(v: number): number {
  return v > -2147483649 && v < 2147483648 ? Math.trunc(v) : -2147483648;
}

/** Converts a JS number to an int64 the way C++ casts do (truncation; NaN/overflow to INT64_MIN). */
export function toBigInt64(v: number): bigint {
  if (Number.isSafeInteger(v)) return BigInt(v);
  if (!Number.isFinite(v)) return INT64_MIN;
  const b = BigInt(Math.trunc(v));
  return b < INT64_MIN || b > INT64_MAX ? INT64_MIN : b;
}

/**
 * Reads storage as numbers. Zero-copy for dtypes stored as numbers; int64 (exact within
 * ±2^53) and float16 are converted into a fresh Float64Array / Float32Array.
 */
export function toNumbers(s: Storage, d: DType): NumArray {
  if (s instanceof BigInt64Array) {
    const out = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = Number(s[i]);
    return out;
  }
  if (d === 'float16') {
    const out = new Float32Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = fromHalfBits((s as Uint16Array)[i]);
    return out;
  }
  return s;
}

/** Turns numbers computed for dtype d into its storage (rounding, truncating, wrapping as C++ does). */
export function fromNumbers(a: ArrayLike<number>, d: DType): Storage {
  const n = a.length;
  switch (d) {
    case 'int64': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = toBigInt64(a[i]);
      return out;
    }
    case 'float16': {
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) out[i] = toHalfBits(a[i]);
      return out;
    }
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = a[i] !== 0 ? 1 : 0; // NaN is true, as in C++
      return out;
    }
    default: {
      const out = allocStorage(d, n) as NumArray;
      if (out.constructor === (a as object).constructor) out.set(a as NumArray);
      else if (d === 'float32' || d === 'float64' || isComplex(d)) for (let i = 0; i < n; i++) out[i] = a[i];
      else for (let i = 0; i < n; i++) out[i] = toInt32(a[i]);
      return out;
    }
  }
}

/** Fills storage with one value, stored as dtype d stores it (complex: real part). */
export function fillStorage(s: Storage, d: DType, value: number): void {
  if (s instanceof BigInt64Array) s.fill(toBigInt64(value));
  else if (d === 'float16') s.fill(toHalfBits(value));
  else if (d === 'bool') s.fill(value !== 0 ? 1 : 0);
  else if (isComplex(d)) for (let i = 0; i < s.length; i += 2) { s[i] = value; s[i + 1] = 0; }
  else (s as NumArray).fill(isFloating(d) ? value : toInt32(value));
}

/** Converts storage of dtype `from` into storage of dtype `to` (the cast kernel's core). */
export function convertStorage(s: Storage, from: DType, to: DType): Storage {
  if (from === to) return s.slice();
  if (isComplex(from) || isComplex(to)) {
    const n = isComplex(from) ? s.length / 2 : s.length;
    if (isComplex(to)) {
      const out = allocStorage(to, n) as Float32Array | Float64Array;
      if (isComplex(from)) for (let i = 0; i < 2 * n; i++) out[i] = (s as Float64Array)[i];
      else { const v = toNumbers(s, from); for (let i = 0; i < n; i++) out[2 * i] = v[i]; }
      return out;
    }
    const re = new Float64Array(n);
    for (let i = 0; i < n; i++) re[i] = (s as Float64Array)[2 * i];
    return fromNumbers(re, to);
  }
  if (from === 'int64' && to !== 'float16' && to !== 'float32' && to !== 'float64' && to !== 'bool') {
    // int64 -> narrower ints wraps like C++; do it on bigints to stay exact
    const out = allocStorage(to, s.length) as NumArray;
    const b = s as BigInt64Array;
    for (let i = 0; i < b.length; i++) out[i] = Number(BigInt.asIntN(32, b[i]));
    return out;
  }
  return fromNumbers(toNumbers(s, from), to);
}

/** The default float dtype of `paddle.get_default_dtype()`. */
let defaultDType: DType = 'float32';
export function getDefaultDType(): DType {
  return defaultDType;
}
export function setDefaultDType(d: DType): void {
  defaultDType = d;
}

const ALIASES: Record<string, DType> = {
  bool: 'bool', bool_: 'bool', uint8: 'uint8', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64',
  float16: 'float16', half: 'float16', float32: 'float32', float: 'float32', float64: 'float64', double: 'float64',
  complex64: 'complex64', complex128: 'complex128',
  'paddle.bool': 'bool', 'paddle.uint8': 'uint8', 'paddle.int8': 'int8', 'paddle.int16': 'int16',
  'paddle.int32': 'int32', 'paddle.int64': 'int64', 'paddle.float16': 'float16', 'paddle.float32': 'float32',
  'paddle.float64': 'float64', 'paddle.complex64': 'complex64', 'paddle.complex128': 'complex128',
  'VarType.BOOL': 'bool', 'VarType.UINT8': 'uint8', 'VarType.INT8': 'int8', 'VarType.INT16': 'int16',
  'VarType.INT32': 'int32', 'VarType.INT64': 'int64', 'VarType.FP16': 'float16', 'VarType.FP32': 'float32',
  'VarType.FP64': 'float64', 'VarType.COMPLEX64': 'complex64', 'VarType.COMPLEX128': 'complex128',
};

/** Accepts a dtype name, an alias, or a framework.proto number; undefined if it is none of those. */
export function parseDType(v: unknown): DType | undefined {
  if (typeof v === 'string') return ALIASES[v];
  if (typeof v === 'number') return FROM_PROTO.get(v);
  return undefined;
}
