// A minimal reader of MATLAB level-5 MAT-files (what scipy.io.loadmat reads for Flowers'
// imagelabels.mat and setid.mat): numeric arrays, real part only, compressed (v7) or not,
// either byte order. Other classes (cell, struct, char, sparse) are skipped; v7.3 (HDF5) and
// v4 files are refused with a clear error.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { fail, NotFoundError, UnimplementedError } from '../../core/errors.js';

/** A numeric MATLAB array: `dims` as MATLAB gives them, `data` in column-major order. */
export interface MatArray {
  /** MATLAB class name: 'double', 'single', 'int8', 'uint8', ..., 'uint64'. */
  cls: string;
  dims: number[];
  data: Float64Array;
}

const mi = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15 } as const;
// mxCLASS ids 6..15 (numeric)
const NUMERIC_CLASSES: Record<number, string> = {
  6: 'double', 7: 'single', 8: 'int8', 9: 'uint8', 10: 'int16', 11: 'uint16', 12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64',
};
const ELEM_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };

interface Element {
  type: number;
  data: Uint8Array;
  /** offset of the next element */
  next: number;
}

class Reader {
  constructor(
    readonly api: string,
    readonly path: string,
    readonly le: boolean,
  ) {}

  bad(msg: string): never {
    return fail(this.api, `cannot read MAT-file '${this.path}': ${msg}`);
  }

  /** The data element at `pos` of `b`. */
  element(b: Uint8Array, pos: number): Element {
    if (pos + 8 > b.length) this.bad(`truncated data element at byte ${pos}`);
    const dv = new DataView(b.buffer, b.byteOffset + pos, 8);
    const first = dv.getUint32(0, this.le);
    if (first >>> 16 !== 0) {
      // small data element: type and size in 4 bytes, up to 4 bytes of data
      const type = first & 0xffff;
      const n = first >>> 16;
      if (n > 4) this.bad(`bad small data element at byte ${pos}`);
      return { type, data: b.subarray(pos + 4, pos + 4 + n), next: pos + 8 };
    }
    const n = dv.getUint32(4, this.le);
    const start = pos + 8;
    if (start + n > b.length) this.bad(`truncated data element at byte ${pos} (${n} bytes announced)`);
    const next = first === mi.COMPRESSED ? start + n : start + Math.ceil(n / 8) * 8;
    return { type: first, data: b.subarray(start, start + n), next };
  }

  numbers(e: Element): Float64Array {
    const size = ELEM_SIZE[e.type];
    if (!size) this.bad(`unsupported numeric data type ${e.type}`);
    const n = Math.floor(e.data.length / size);
    const dv = new DataView(e.data.buffer, e.data.byteOffset, e.data.length);
    const out = new Float64Array(n);
    const le = this.le;
    switch (e.type) {
      case mi.INT8: for (let i = 0; i < n; i++) out[i] = dv.getInt8(i); break;
      case mi.UINT8: for (let i = 0; i < n; i++) out[i] = dv.getUint8(i); break;
      case mi.INT16: for (let i = 0; i < n; i++) out[i] = dv.getInt16(2 * i, le); break;
      case mi.UINT16: for (let i = 0; i < n; i++) out[i] = dv.getUint16(2 * i, le); break;
      case mi.INT32: for (let i = 0; i < n; i++) out[i] = dv.getInt32(4 * i, le); break;
      case mi.UINT32: for (let i = 0; i < n; i++) out[i] = dv.getUint32(4 * i, le); break;
      case mi.SINGLE: for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, le); break;
      case mi.DOUBLE: for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, le); break;
      case mi.INT64: for (let i = 0; i < n; i++) out[i] = Number(dv.getBigInt64(8 * i, le)); break;
      case mi.UINT64: for (let i = 0; i < n; i++) out[i] = Number(dv.getBigUint64(8 * i, le)); break;
    }
    return out;
  }

  /** A miMATRIX element's name and array (null for classes this reader skips). */
  matrix(e: Element): { name: string; array: MatArray | null } {
    const b = e.data;
    if (b.length === 0) return { name: '', array: null };
    const flags = this.element(b, 0);
    if (flags.data.length < 4) this.bad('bad array flags');
    const fw = new DataView(flags.data.buffer, flags.data.byteOffset, flags.data.length).getUint32(0, this.le);
    const cls = fw & 0xff;
    const dimsEl = this.element(b, flags.next);
    const dims = Array.from(this.numbers(dimsEl));
    const nameEl = this.element(b, dimsEl.next);
    const name = Buffer.from(nameEl.data.buffer, nameEl.data.byteOffset, nameEl.data.length).toString('latin1');
    const clsName = NUMERIC_CLASSES[cls];
    if (clsName === undefined) return { name, array: null };
    const real = this.element(b, nameEl.next);
    const data = this.numbers(real);
    const count = dims.reduce((a, d) => a * d, 1);
    if (data.length !== count) this.bad(`variable '${name}' has ${data.length} values for dims [${dims.join(', ')}]`);
    return { name, array: { cls: clsName, dims, data } };
  }
}

/**
 * Reads the numeric variables of a level-5 MAT-file (scipy.io.loadmat's result, minus the
 * `__header__` entries and non-numeric variables).
 */
export function loadmat(api: string, path: string): Record<string, MatArray> {
  let b: Uint8Array;
  try {
    b = readFileSync(path);
  } catch {
    return fail(api, `No such file: '${path}'`, NotFoundError);
  }
  if (b.length < 128) fail(api, `cannot read MAT-file '${path}': too short for a MAT-file header`);
  const text = Buffer.from(b.buffer, b.byteOffset, 116).toString('latin1');
  if (text.startsWith('MATLAB 7.3')) fail(api, `'${path}' is a MATLAB v7.3 (HDF5) file, which is not supported: save it with -v7 or -v6`, UnimplementedError);
  const ind = String.fromCharCode(b[126], b[127]);
  if (ind !== 'IM' && ind !== 'MI') fail(api, `'${path}' is not a level-5 MAT-file (no 'MATLAB 5.0' header with an endian indicator)`);
  const r = new Reader(api, path, ind === 'IM');
  const out: Record<string, MatArray> = {};
  let pos = 128;
  while (pos + 8 <= b.length) {
    let e = r.element(b, pos);
    pos = e.next;
    if (e.type === mi.COMPRESSED) {
      let raw: Uint8Array;
      try {
        raw = inflateSync(e.data);
      } catch (err) {
        return r.bad(`a compressed variable does not inflate: ${(err as Error).message}`);
      }
      e = r.element(raw, 0);
    }
    if (e.type !== mi.MATRIX) continue;
    const { name, array } = r.matrix(e);
    if (array) out[name] = array;
  }
  return out;
}

/** `arr[0]` of the array scipy would return: the first row of a 2-D array (1-D values). */
export function firstRow(arr: MatArray): number[] {
  const rows = arr.dims[0] ?? 1;
  const cols = arr.dims.length >= 2 ? arr.dims.slice(1).reduce((a, d) => a * d, 1) : 1;
  if (rows === 0) return [];
  const out = new Array<number>(cols);
  for (let j = 0; j < cols; j++) out[j] = arr.data[j * rows];
  return out;
}
