// paddle.save / paddle.load: Paddle's `.pdparams` / `.pdopt` files, a Python pickle of a dict
// of NumPy arrays (protocol 2 from Paddle 2.0, 4 from later Paddle). A file saved by Paddle in
// Python loads here, and a file saved here loads in Python (pickle.load or paddle.load).
//
// save: a Layer/Optimizer state dict (a dict whose values are Tensors, or dicts of plain
// values) is written the way Paddle writes it: each Tensor becomes an ndarray of its dtype,
// and the 'StructuredToParameterName@@' dict records the tensors' names; with protocol 2/3
// arrays over 1 GiB are split as Paddle splits them ('UnpackBigParamInfor@@'). Any other
// object (a Tensor, nested dicts and lists of Tensors and plain values) is pickled as is,
// Tensors as ndarrays (Paddle >= 2.1 and Python's pickle read these back as Tensors/arrays).
//
// load: every ndarray comes back as a Tensor (where Paddle gives a NumPy array paddle-ts
// gives a Tensor), a dict as a plain object (keys in the file's order; a JS object still
// lists integer-like keys first), lists and tuples as arrays, Paddle >= 2.1's
// (name, ndarray) tensor tuples as Tensors with that name.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { defineApi, p, type Ty } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType, Storage, itemsize } from '../core/dtype.js';
import { NotFoundError, PermissionDeniedError, UnimplementedError, describe, fail } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { NDArray, PyTuple, WriteProtocol, npItemsize, pickle, unpickle } from './pickle.js';

const NAME_TABLE = 'StructuredToParameterName@@';
const UNPACK_INFO = 'UnpackBigParamInfor@@';

/** NumPy's type string of each Paddle dtype. */
const NP_TYPE: Readonly<Record<DType, string>> = {
  bool: 'b1', uint8: 'u1', int8: 'i1', int16: 'i2', int32: 'i4', int64: 'i8',
  float16: 'f2', float32: 'f4', float64: 'f8', complex64: 'c8', complex128: 'c16',
};
/** The Paddle dtype of a NumPy type string; uint16/uint32 widen losslessly to int32/int64. */
const FROM_NP: Readonly<Record<string, DType>> = {
  ...Object.fromEntries(Object.entries(NP_TYPE).map(([d, t]) => [t, d as DType])),
  u2: 'int32', u4: 'int64',
};

// ---------------------------------------------------------------------------------------
// Tensors <-> ndarrays

/** An NDArray viewing a tensor's storage (no copy). */
function tensorToND(t: Tensor, api: string, where: string): NDArray {
  let n = 1;
  for (const d of t.dims) n *= d;
  const width = t.dtype === 'complex64' || t.dtype === 'complex128' ? 2 : 1;
  if (t.dims.some((d) => !Number.isInteger(d) || d < 0) || t.data.length < n * width)
    fail(api, `${where} is a Tensor without data (shape [${t.dims.join(', ')}]; a static-mode Variable?): only Tensors holding values can be saved`);
  const s = t.data;
  return new NDArray(NP_TYPE[t.dtype], t.dims.slice(), new Uint8Array(s.buffer, s.byteOffset, n * itemsize(t.dtype)));
}

/** Typed arrays a user may save in place of a NumPy array (1-D). */
function typedToND(a: ArrayBufferView): NDArray | null {
  const t =
    a instanceof Float32Array ? 'f4' : a instanceof Float64Array ? 'f8' : a instanceof Int32Array ? 'i4'
    : a instanceof BigInt64Array ? 'i8' : a instanceof Uint8Array ? 'u1' : a instanceof Int8Array ? 'i1'
    : a instanceof Int16Array ? 'i2' : null;
  if (!t) return null;
  const n = a.byteLength / npItemsize(t);
  return new NDArray(t, [n], new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** A Tensor over an NDArray's bytes: a view when the bytes are the array's own, else a copy. */
function ndToTensor(a: NDArray, copy: boolean, api: string, source: string): Tensor {
  const dtype = FROM_NP[a.dtype];
  if (!dtype) throw new UnimplementedError(`${api}: ${source} holds a NumPy array of dtype '${a.dtype}', which has no Paddle dtype`);
  let n = 1;
  for (const d of a.shape) n *= d;
  let b = a.data;
  const isz = npItemsize(a.dtype);
  if (copy || b.byteOffset % isz !== 0) b = b.slice();
  const buf = b.buffer;
  const off = b.byteOffset;
  let data: Storage;
  switch (a.dtype) {
    case 'b1': case 'u1': data = new Uint8Array(buf, off, n); break;
    case 'i1': data = new Int8Array(buf, off, n); break;
    case 'i2': data = new Int16Array(buf, off, n); break;
    case 'i4': data = new Int32Array(buf, off, n); break;
    case 'i8': data = new BigInt64Array(buf, off, n); break;
    case 'f2': data = new Uint16Array(buf, off, n); break;
    case 'f4': data = new Float32Array(buf, off, n); break;
    case 'f8': data = new Float64Array(buf, off, n); break;
    case 'c8': data = new Float32Array(buf, off, 2 * n); break;
    case 'c16': data = new Float64Array(buf, off, 2 * n); break;
    case 'u2': data = Int32Array.from(new Uint16Array(buf, off, n)); break;
    default: {
      const u = new Uint32Array(buf, off, n);
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt(u[i]);
      data = out;
    }
  }
  // Paddle 2.0 has no 0-D tensors: a 0-D array becomes shape [1], as to_tensor makes it
  return new Tensor(data, a.shape.length ? a.shape.slice() : [1], dtype);
}

// ---------------------------------------------------------------------------------------
// Python object model <-> JS values

/** Python's str() of a dict key, for the keys of the plain objects load returns. */
function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === null) return 'None';
  if (typeof k === 'boolean') return k ? 'True' : 'False';
  if (k instanceof PyTuple) return `(${k.items.map(keyString).join(', ')}${k.items.length === 1 ? ',' : ''})`;
  return String(k);
}

function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** Converts what the unpickler gives into paddle-ts values (see the top of this file). */
function fromPython(root: unknown, tuplesAsTensors: boolean, api: string, source: string): unknown {
  const done = new Map<object, unknown>();
  const usedArrays = new Set<NDArray>();
  const tensor = (a: NDArray): Tensor => {
    const t = ndToTensor(a, usedArrays.has(a), api, source);
    usedArrays.add(a);
    return t;
  };
  const conv = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
    if (done.has(v)) return done.get(v);
    // an array referenced twice gives two Tensors (as to_tensor does per reference in Paddle)
    if (v instanceof NDArray) return tensor(v);
    if (v instanceof PyTuple) {
      const it = v.items;
      if (tuplesAsTensors && it.length === 2 && typeof it[0] === 'string' && it[1] instanceof NDArray) {
        const t = tensor(it[1]);
        t.name = it[0];
        return t;
      }
      const out: unknown[] = [];
      done.set(v, out);
      for (const x of it) out.push(conv(x));
      return out;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      done.set(v, out);
      for (const x of v) out.push(conv(x));
      return out;
    }
    if (v instanceof Map) {
      const out: Record<string, unknown> = {};
      done.set(v, out);
      for (const [k, x] of v) setKey(out, keyString(k), conv(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set<unknown>();
      done.set(v, out);
      for (const x of v) out.add(conv(x));
      return out;
    }
    return v; // {real, imag}
  };
  return conv(root);
}

const isDict = (v: unknown): v is Record<string, unknown> | Map<unknown, unknown> => {
  if (v instanceof Map) return true;
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const entriesOf = (v: Record<string, unknown> | Map<unknown, unknown>): [unknown, unknown][] =>
  v instanceof Map ? [...v.entries()] : Object.entries(v);

/** Whether v holds a Tensor anywhere inside (dicts, lists, sets). */
function containsTensor(v: unknown, seen = new Set<object>()): boolean {
  if (v instanceof Tensor) return true;
  if (typeof v !== 'object' || v === null || seen.has(v)) return false;
  seen.add(v);
  if (Array.isArray(v) || v instanceof Set) return [...v].some((x) => containsTensor(x, seen));
  if (isDict(v)) return entriesOf(v).some(([, x]) => containsTensor(x, seen));
  return false;
}

/**
 * Paddle's test for a state dict: a dict whose values are Tensors, or dicts holding no
 * Tensor (an optimizer's 'LR_Scheduler'). Those are saved with the name table.
 */
function isStateDict(obj: unknown): obj is Record<string, unknown> | Map<unknown, unknown> {
  if (!isDict(obj)) return false;
  for (const [, v] of entriesOf(obj)) {
    if (isDict(v)) {
      if (containsTensor(v)) return false;
    } else if (!(v instanceof Tensor)) return false;
  }
  return true;
}

const keyPath = (where: string, k: unknown): string => `${where}[${typeof k === 'string' ? `'${k}'` : String(k)}]`;

/** Converts what the user saves into the pickler's object model, checking every value. */
function toPython(root: unknown, api: string): unknown {
  const arrays = new Map<Tensor, NDArray>();
  const done = new Map<object, unknown>();
  const active = new Set<object>();
  const conv = (v: unknown, where: string): unknown => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'bigint') return v;
    if (typeof v === 'number') return v;
    if (v === undefined) return fail(api, `${where} is undefined, which cannot be saved (use null for Python's None)`);
    if (typeof v !== 'object') return fail(api, `${where} is ${describe(v)}, which cannot be saved`);
    if (v instanceof Tensor) {
      let a = arrays.get(v);
      if (!a) arrays.set(v, (a = tensorToND(v, api, where)));
      return a;
    }
    if (ArrayBuffer.isView(v)) {
      const a = typedToND(v);
      return a ?? fail(api, `${where} is a ${v.constructor.name}, which cannot be saved (Float32Array, Float64Array, Int32Array, BigInt64Array, Uint8Array, Int8Array, Int16Array or Tensors can)`);
    }
    if (done.has(v)) return done.get(v);
    if (active.has(v)) return fail(api, `${where} refers back to an object that contains it (a reference cycle), which cannot be saved`);
    active.add(v);
    let out: unknown;
    if (Array.isArray(v)) out = v.map((x, i) => conv(x, `${where}[${i}]`));
    else if (v instanceof Set) out = new Set([...v].map((x, i) => conv(x, `${where} item ${i}`)));
    else if (isDict(v)) {
      const m = new Map<unknown, unknown>();
      for (const [k, x] of entriesOf(v)) {
        if (!(k === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof k)))
          fail(api, `${where} has a key that is ${describe(k)}; dict keys must be strings, numbers, booleans or null`);
        m.set(k, conv(x, keyPath(where, k)));
      }
      out = m;
    } else if (typeof (v as { real?: unknown }).real === 'number' && typeof (v as { imag?: unknown }).imag === 'number' && Object.keys(v).length === 2) {
      out = v;
    } else {
      const name = (v as object).constructor?.name ?? 'object';
      return fail(api, `${where} is a ${name}, which cannot be saved: save Tensors, state dicts (layer.state_dict()), dicts, lists, numbers, strings, booleans or null`);
    }
    active.delete(v);
    done.set(v, out);
    return out;
  };
  return conv(root, 'obj');
}

/** Paddle's _build_saved_state_dict: Tensors as ndarrays, plus the name table. */
function buildSavedStateDict(obj: Record<string, unknown> | Map<unknown, unknown>, api: string): Map<unknown, unknown> {
  const converted = toPython(obj, api) as Map<unknown, unknown>;
  const names = new Map<unknown, unknown>();
  for (const [k, v] of entriesOf(obj)) if (v instanceof Tensor) names.set(k, v.name);
  converted.set(NAME_TABLE, names);
  return converted;
}

/**
 * Paddle's _unpack_saved_dict: with protocol 2 or 3 a pickled object cannot pass 4 GB, so an
 * array of more than (2^30 - 1) / itemsize elements is saved flattened in parts `key@@.i`,
 * recorded in 'UnpackBigParamInfor@@'. `maxBytes` is a parameter only for tests.
 * @internal
 */
export function unpackSavedDict(d: Map<unknown, unknown>, protocol: number, maxBytes = 2 ** 30 - 1): Map<unknown, unknown> {
  if (protocol >= 4) return d;
  const info = new Map<unknown, unknown>();
  const parts = new Map<string, NDArray>();
  for (const [k, v] of d) {
    if (!(v instanceof NDArray)) continue;
    const isz = npItemsize(v.dtype);
    const max = Math.floor(maxBytes / isz);
    const n = v.data.length / isz;
    if (n <= max) continue;
    const slices: string[] = [];
    for (let i = 0; i < Math.ceil(n / max); i++) {
      const name = `${keyString(k)}@@.${i}`;
      slices.push(name);
      const len = Math.min(max, n - i * max);
      parts.set(name, new NDArray(v.dtype, [len], v.data.subarray(i * max * isz, (i * max + len) * isz)));
    }
    info.set(k, new Map<unknown, unknown>([['OriginShape', new PyTuple(v.shape.slice())], ['slices', slices]]));
  }
  if (info.size === 0) return d;
  for (const [k, v] of info) {
    d.delete(k);
    for (const s of (v as Map<string, string[]>).get('slices')!) d.set(s, parts.get(s));
  }
  d.set(UNPACK_INFO, info);
  return d;
}

/** Paddle's _pack_loaded_dict: joins arrays saved in parts back into one. */
function packLoadedDict(d: Map<unknown, unknown>, api: string, source: string): void {
  const info = d.get(UNPACK_INFO);
  if (info === undefined) return;
  const bad = (why: string): never => fail(api, `cannot read ${source}: bad '${UNPACK_INFO}' entry (${why})`);
  if (!(info instanceof Map)) return bad('not a dict');
  const removes: unknown[] = [];
  for (const [key, v] of info) {
    if (!(v instanceof Map)) return bad(`entry for '${keyString(key)}' is not a dict`);
    const slices = v.get('slices');
    const shapeV = v.get('OriginShape');
    const shape = shapeV instanceof PyTuple ? shapeV.items : Array.isArray(shapeV) ? shapeV : null;
    if (!Array.isArray(slices) || !shape || !shape.every((x) => typeof x === 'number')) return bad(`entry for '${keyString(key)}' lacks slices/OriginShape`);
    const parts = slices.map((s) => d.get(s));
    if (!parts.every((a): a is NDArray => a instanceof NDArray) || parts.length === 0) return bad(`a part of '${keyString(key)}' is missing or not an array`);
    const dt = parts[0].dtype;
    if (parts.some((a) => a.dtype !== dt)) return bad(`the parts of '${keyString(key)}' have different dtypes`);
    let total = 0;
    for (const a of parts) total += a.data.length;
    let n = 1;
    for (const x of shape as number[]) n *= x;
    if (n * npItemsize(dt) !== total) return bad(`the parts of '${keyString(key)}' hold ${total} bytes, shape [${shape.join(', ')}] needs ${n * npItemsize(dt)}`);
    const out = new Uint8Array(total);
    let o = 0;
    for (const a of parts) { out.set(a.data, o); o += a.data.length; }
    d.set(key, new NDArray(dt, (shape as number[]).slice(), out));
    removes.push(...slices);
  }
  for (const k of removes) d.delete(k);
  d.delete(UNPACK_INFO);
}

// ---------------------------------------------------------------------------------------
// Files

function fsFail(api: string, what: string, path: string, e: unknown): never {
  const err = e as NodeJS.ErrnoException;
  const msg = `cannot ${what} '${path}': ${err?.message ?? String(e)}`;
  if (err?.code === 'ENOENT') fail(api, msg, NotFoundError);
  if (err?.code === 'EACCES' || err?.code === 'EPERM') fail(api, msg, PermissionDeniedError);
  return fail(api, msg);
}

function readAll(path: string, api: string): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    return fsFail(api, 'open', path, e);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const out = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, out, off, Math.min(size - off, 1 << 30), off);
      if (n === 0) break;
      off += n;
    }
    return off === size ? out : out.subarray(0, off);
  } catch (e) {
    return fsFail(api, 'read', path, e);
  } finally {
    fs.closeSync(fd);
  }
}

function writeAll(path: string, chunks: readonly Uint8Array[], api: string): void {
  let fd: number;
  try {
    fd = fs.openSync(path, 'w');
  } catch (e) {
    return fsFail(api, 'write', path, e);
  }
  try {
    for (const c of chunks) {
      let off = 0;
      while (off < c.length) off += fs.writeSync(fd, c, off, Math.min(c.length - off, 1 << 30));
    }
  } catch (e) {
    return fsFail(api, 'write', path, e);
  } finally {
    fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------
// Helpers for other save/load APIs (static.save, Model.save...)

/**
 * Pickles `obj` as paddle.save does (state dicts with the name table; Tensors as ndarrays).
 * With `stateDict: false` a dict is pickled as is (what static.save writes).
 * @internal
 */
export function dumpsPaddle(obj: unknown, protocol: WriteProtocol, api: string, opts: { stateDict?: boolean } = {}): Uint8Array[] {
  const value = (opts.stateDict ?? true) && isStateDict(obj) ? unpackSavedDict(buildSavedStateDict(obj, api), protocol) : toPython(obj, api);
  return pickle(value, protocol, api);
}

/**
 * Unpickles bytes as paddle.load does: ndarrays become Tensors, a state dict's name table
 * names them and is dropped unless `keepNameTable`.
 * @internal
 */
export function loadsPaddle(bytes: Uint8Array, api: string, source: string, opts: { keepNameTable?: boolean } = {}): unknown {
  if (bytes.length === 0) fail(api, `cannot read ${source}: the file is empty`);
  const raw = unpickle(bytes, { api, source });
  if (raw instanceof Map) {
    packLoadedDict(raw, api, source);
    const table = raw.get(NAME_TABLE);
    if (table !== undefined) {
      const out = fromPython(raw, false, api, source) as Record<string, unknown>;
      if (table instanceof Map)
        for (const [k, name] of table) {
          const t = out[keyString(k)];
          if (t instanceof Tensor && raw.get(k) instanceof NDArray && typeof name === 'string' && name) t.name = name;
        }
      if (!opts.keepNameTable) delete out[NAME_TABLE];
      return out;
    }
  }
  return fromPython(raw, true, api, source);
}

// ---------------------------------------------------------------------------------------
// The APIs

const objTy: Ty<unknown> = { desc: 'an object to save', dict: true, parse: (v) => v };

/**
 * Saves `obj` to the file `path` as a Python pickle, Paddle's `.pdparams` / `.pdopt` format,
 * readable by Paddle's `paddle.load` and Python's `pickle.load`. `obj` is a state dict
 * (`layer.state_dict()`, `opt.state_dict()`), a Tensor, or nested dicts and lists of Tensors,
 * numbers, strings, booleans and null. Tensors are stored as NumPy arrays of their dtype
 * (int64 exact). Whole JS numbers within ±2^53 are saved as Python ints, other numbers as
 * floats, bigints as ints.
 *
 * @param obj the object to save.
 * @param path the file name (its directory is created if missing); by convention
 *   `.pdparams` for a Layer's state dict and `.pdopt` for an optimizer's.
 * @param protocol the pickle protocol, 2 (Paddle 2.0's, the default), 3 or 4.
 * @param pickle_protocol Paddle 2.0.1's name for `protocol` (wins when given).
 * @example
 * paddle.save(net.state_dict(), 'model.pdparams');
 * paddle.save({ epoch: 3, w: paddle.ones([2]) }, 'ckpt/extra.pdparams', { protocol: 4 });
 */
export const save = defineApi(
  'paddle.save',
  [p('obj', objTy), p('path', T.str), p('protocol', T.int, 2), p('pickle_protocol', T.nullable(T.int), null)] as const,
  ({ obj, path, protocol, pickle_protocol }): void => {
    const api = 'paddle.save';
    const proto = pickle_protocol ?? protocol;
    if (proto < 2 || proto > 4) fail(api, `argument 'protocol' expected 1 < protocol < 5, but got ${proto}`);
    if (nodePath.basename(path) === '' || /[\\/]$/.test(path))
      fail(api, `the path must be of the form dirname/filename, but '${path}' has an empty file name`);
    const chunks = dumpsPaddle(obj, proto as WriteProtocol, api);
    const dir = nodePath.dirname(path);
    if (dir && !fs.existsSync(dir)) {
      try {
        fs.mkdirSync(dir, { recursive: true });
      } catch (e) {
        fsFail(api, 'create the directory of', path, e);
      }
    }
    writeAll(path, chunks, api);
  },
);

/**
 * Loads an object saved by `paddle.save` (or Paddle's `fluid.save_dygraph`,
 * `static.save`): NumPy arrays come back as Tensors, dicts as plain objects (keys in the
 * file's order), lists and tuples as arrays, numbers, strings, booleans and None (null) as
 * they are. For a Layer state dict the saved parameter names become the Tensors' `name`.
 *
 * @param path the file saved by paddle.save (the full file name, e.g. `model.pdparams`).
 * @param model_filename, params_filename for Paddle's inference-model layouts, which this
 *   function does not read (use the static / jit loaders); accepted for compatibility.
 * @param keep_name_table keep the 'StructuredToParameterName@@' entry of a state dict.
 * @param return_numpy accepted for compatibility: arrays are Tensors either way (`.numpy()`
 *   gives the flat data).
 * @example
 * const sd = paddle.load('model.pdparams');   // { 'fc.weight': Tensor, 'fc.bias': Tensor }
 * net.set_state_dict(sd);
 */
export const load = defineApi(
  'paddle.load',
  [
    p('path', T.str),
    p('model_filename', T.nullable(T.str), null),
    p('params_filename', T.nullable(T.str), null),
    p('keep_name_table', T.bool, false),
    p('return_numpy', T.bool, false),
  ] as const,
  ({ path, keep_name_table }): unknown => {
    const api = 'paddle.load';
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(path);
    } catch {
      st = undefined;
    }
    if (!st) {
      if (fs.existsSync(`${path}.pdparams`) || fs.existsSync(`${path}.pdopt`))
        fail(api, `the path '${path}' does not exist; give the full file name, e.g. paddle.load('${path}.pdparams') rather than paddle.load('${path}')`, NotFoundError);
      if (fs.existsSync(`${path}.pdmodel`))
        fail(api, `'${path}' is the prefix of a paddle.jit.save / save_inference_model model, which paddle.load does not read here; use paddle.jit.load('${path}')`, UnimplementedError);
      fail(api, `the path '${path}' does not exist`, NotFoundError);
    }
    if (st.isDirectory())
      fail(api, `'${path}' is a directory (a Paddle 1.x save_inference_model / save_params layout), which paddle.load does not read here; use paddle.static.load_inference_model or paddle.jit.load`, UnimplementedError);
    return loadsPaddle(readAll(path, api), api, `'${path}'`, { keepNameTable: keep_name_table });
  },
);

