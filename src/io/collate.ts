// Batching samples (Paddle's default_collate_fn / default_convert_fn, as completed in later
// 2.x releases: nested lists and dicts are collated field by field).
//
// In a sample, a Tensor, a typed array (a NumPy array's stand-in), a number, a boolean or a
// bigint is a leaf: the leaves at the same place in every sample are stacked into one
// Tensor with a new first dimension of the batch size. JS integers give int64, other
// numbers the default float dtype (float32), booleans bool; a typed array keeps its dtype.
// Arrays (Python lists and tuples) and plain objects (dicts) and Maps are walked
// recursively; strings are gathered into an array.
import { isPlainObject } from '../core/args.js';
import { tensorFromData } from '../core/convert.js';
import { allocStorage, DType, Storage } from '../core/dtype.js';
import { describe, fail } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

const API = 'paddle.io.DataLoader';

/** Tensors made by collating (their memory belongs to nobody else, so workers may transfer it). */
export const collatedTensors = new WeakSet<Tensor>();

/** The dtype a typed array stands for. */
export function typedArrayDtype(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Int16Array) return 'int16';
  return undefined;
}

const isTyped = (v: unknown): v is ArrayBufferView => ArrayBuffer.isView(v) && !(v instanceof DataView);

function fresh(t: Tensor): Tensor {
  collatedTensors.add(t);
  return t;
}

/** A typed array as a 1-D Tensor (copied). */
export function typedToTensor(a: ArrayBufferView, where: string): Tensor {
  const d = typedArrayDtype(a);
  if (!d) fail(API, `${where} is a ${a.constructor.name}, which is not a dtype paddle-ts stores (use Float32Array, Float64Array, Int32Array, BigInt64Array, Uint8Array, Int8Array or Int16Array)`);
  const src = a instanceof Uint8ClampedArray ? new Uint8Array(a) : (a as unknown as Storage).slice();
  return fresh(new Tensor(src as Storage, [(a as unknown as ArrayLike<number>).length], d));
}

function stackTensors(batch: readonly Tensor[], where: string): Tensor {
  const first = batch[0];
  for (let i = 1; i < batch.length; i++) {
    const t = batch[i];
    if (!(t instanceof Tensor)) fail(API, `${where}: sample 0 holds a Tensor but sample ${i} holds ${describe(t)}`);
    if (t.dtype !== first.dtype) fail(API, `${where}: cannot stack a ${first.dtype} Tensor (sample 0) with a ${t.dtype} Tensor (sample ${i})`);
    if (t.dims.length !== first.dims.length || t.dims.some((d, j) => d !== first.dims[j]))
      fail(API, `${where}: cannot stack Tensors of shapes [${first.dims}] (sample 0) and [${t.dims}] (sample ${i}); samples must have equal shapes (or pass a collate_fn)`);
  }
  const per = first.size * (first.dtype === 'complex64' || first.dtype === 'complex128' ? 2 : 1);
  const out = allocStorage(first.dtype, per * batch.length);
  for (let i = 0; i < batch.length; i++) {
    const d = batch[i].data;
    (out as Float64Array).set((d.length === per ? d : d.subarray(0, per)) as Float64Array, i * per);
  }
  return fresh(new Tensor(out, [batch.length, ...first.dims], first.dtype));
}

function stackTyped(batch: readonly ArrayBufferView[], where: string): Tensor {
  const first = batch[0];
  const d = typedArrayDtype(first);
  if (!d) fail(API, `${where} is a ${first.constructor.name}, which is not a dtype paddle-ts stores (use Float32Array, Float64Array, Int32Array, BigInt64Array, Uint8Array, Int8Array or Int16Array)`);
  const len = (first as unknown as ArrayLike<number>).length;
  const out = allocStorage(d, len * batch.length);
  for (let i = 0; i < batch.length; i++) {
    const a = batch[i];
    if (!isTyped(a) || a.constructor !== first.constructor)
      fail(API, `${where}: sample 0 holds a ${first.constructor.name} but sample ${i} holds ${describe(a)}`);
    if ((a as unknown as ArrayLike<number>).length !== len)
      fail(API, `${where}: cannot stack arrays of lengths ${len} (sample 0) and ${(a as unknown as ArrayLike<number>).length} (sample ${i})`);
    (out as Float64Array).set(a as unknown as Float64Array, i * len);
  }
  return fresh(new Tensor(out, [batch.length, len], d));
}

function collate(batch: readonly unknown[], where: string): unknown {
  const s = batch[0];
  if (s instanceof Tensor) return stackTensors(batch as Tensor[], where);
  if (isTyped(s)) return stackTyped(batch as ArrayBufferView[], where);
  if (typeof s === 'number' || typeof s === 'boolean' || typeof s === 'bigint') {
    for (let i = 1; i < batch.length; i++) {
      const v = batch[i];
      if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint')
        fail(API, `${where}: sample 0 holds a ${typeof s} but sample ${i} holds ${describe(v)}`);
    }
    return fresh(tensorFromData(batch as number[], null, API, where));
  }
  if (typeof s === 'string') {
    for (let i = 1; i < batch.length; i++) if (typeof batch[i] !== 'string') fail(API, `${where}: sample 0 holds a string but sample ${i} holds ${describe(batch[i])}`);
    return batch.slice();
  }
  if (Array.isArray(s)) {
    const m = s.length;
    for (let i = 1; i < batch.length; i++) {
      const b = batch[i];
      if (!Array.isArray(b) || b.length !== m)
        fail(API, `${where}: the number of fields is not the same among samples in a batch (sample 0 has ${m}, sample ${i} has ${Array.isArray(b) ? b.length : describe(b)})`);
    }
    const out = new Array<unknown>(m);
    for (let j = 0; j < m; j++) out[j] = collate(batch.map((b) => (b as unknown[])[j]), `${where}[${j}]`);
    return out;
  }
  if (s instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const k of s.keys()) {
      out.set(k, collate(batch.map((b, i) => {
        if (!(b instanceof Map) || !b.has(k)) fail(API, `${where}: sample ${i} has no key ${describe(k)}`);
        return b.get(k);
      }), `${where}.get(${typeof k === 'string' ? `'${k}'` : String(k)})`));
    }
    return out;
  }
  if (isPlainObject(s)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(s)) {
      out[k] = collate(batch.map((b, i) => {
        if (!isPlainObject(b) || !(k in b)) fail(API, `${where}: sample ${i} has no key '${k}'`);
        return b[k];
      }), `${where}.${k}`);
    }
    return out;
  }
  return fail(API, `batch data can only contain Tensors, typed arrays, numbers, booleans, strings, arrays and plain objects, but ${where} is ${describe(s)}`);
}

/**
 * paddle.io's default collate function: stacks a list of samples into a batch, field by
 * field (see the module notes); the result has the samples' structure.
 * @example default_collate_fn([[img0, 3], [img1, 5]]) // [Tensor [2, ...], int64 Tensor [3, 5]]
 */
export function default_collate_fn(batch: readonly unknown[]): unknown {
  if (!Array.isArray(batch) || batch.length === 0) fail(API, `collate expects a non-empty list of samples, but got ${describe(batch)}`);
  return collate(batch, 'sample');
}

/**
 * The converter used without automatic batching (`batch_size=None`): typed arrays become
 * Tensors; arrays, plain objects and Maps are walked; everything else is kept.
 */
export function default_convert_fn(batch: unknown): unknown {
  if (batch instanceof Tensor) return batch;
  if (isTyped(batch)) return typedToTensor(batch, 'sample');
  if (Array.isArray(batch)) return batch.map(default_convert_fn);
  if (batch instanceof Map) return new Map([...batch].map(([k, v]) => [k, default_convert_fn(v)]));
  if (isPlainObject(batch)) return Object.fromEntries(Object.entries(batch).map(([k, v]) => [k, default_convert_fn(v)]));
  return batch;
}

/** Turns the typed arrays left in a batch (e.g. by a custom collate_fn) into Tensors, as Paddle turns NumPy arrays into Tensors. */
export function tensorsIn(batch: unknown): unknown {
  if (batch instanceof Tensor) return batch;
  if (isTyped(batch)) return typedToTensor(batch, 'batch');
  if (Array.isArray(batch)) {
    let changed = false;
    const out = batch.map((v) => {
      const w = tensorsIn(v);
      if (w !== v) changed = true;
      return w;
    });
    return changed ? out : batch;
  }
  if (isPlainObject(batch)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(batch)) {
      out[k] = tensorsIn(v);
      if (out[k] !== v) changed = true;
    }
    return changed ? out : batch;
  }
  return batch;
}

/** The Tensors of a batch in order (depth first), as Paddle flattens a batch to feed it. */
export function flattenBatch(batch: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(batch)) for (const v of batch) flattenBatch(v, out);
  else if (batch instanceof Map) for (const v of batch.values()) flattenBatch(v, out);
  else if (isPlainObject(batch)) for (const v of Object.values(batch)) flattenBatch(v, out);
  else if (batch instanceof Tensor) out.push(batch);
  return out;
}
