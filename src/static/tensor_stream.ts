// Paddle's LoDTensor stream format: how parameters are stored in `.pdiparams`, per-variable
// files and `serialize_persistables`:
//   u32 version (0) | u64 lod_level, per level: u64 byte size + u64 offsets | u32 tensor version (0)
//   | i32 TensorDesc size + TensorDesc proto | raw little-endian data.
import { DType, PROTO_DTYPE, Storage, allocStorage, itemsize } from '../core/dtype.js';
import { fail, InvalidArgumentError } from '../core/errors.js';
import { numel } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { TensorDescMsg } from './proto.js';

const DTYPE_OF = new Map<number, DType>(Object.entries(PROTO_DTYPE).map(([k, v]) => [v, k as DType]));

/** Appends one tensor (with its LoD) in the stream format. */
export function writeTensor(t: Tensor, chunks: Uint8Array[]): void {
  const head = new DataView(new ArrayBuffer(4 + 8));
  head.setUint32(0, 0, true);
  head.setBigUint64(4, BigInt(t.lod.length), true);
  chunks.push(new Uint8Array(head.buffer));
  for (const level of t.lod) {
    const lv = new DataView(new ArrayBuffer(8 + 8 * level.length));
    lv.setBigUint64(0, BigInt(8 * level.length), true);
    level.forEach((o, i) => lv.setBigUint64(8 + 8 * i, BigInt(o), true));
    chunks.push(new Uint8Array(lv.buffer));
  }
  const desc = TensorDescMsg.encode(TensorDescMsg.fromObject({ data_type: PROTO_DTYPE[t.dtype], dims: t.dims })).finish();
  const mid = new DataView(new ArrayBuffer(8));
  mid.setUint32(0, 0, true);
  mid.setInt32(4, desc.length, true);
  chunks.push(new Uint8Array(mid.buffer), desc);
  const d = t.data;
  chunks.push(new Uint8Array(d.buffer, d.byteOffset, numel(t.dims) * itemsize(t.dtype)).slice());
}

/** Concatenates chunks into one buffer. */
export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** A cursor over a byte buffer that reports truncation clearly. */
export class Reader {
  pos = 0;
  private view: DataView;
  constructor(readonly bytes: Uint8Array, readonly what: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number): void {
    if (this.pos + n > this.bytes.length)
      fail('paddle.static.load', `${this.what} is truncated or corrupt: needed ${n} more bytes at offset ${this.pos}, but it has ${this.bytes.length}`, InvalidArgumentError);
  }
  u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  i32(): number { this.need(4); const v = this.view.getInt32(this.pos, true); this.pos += 4; return v; }
  u64(): number { this.need(8); const v = this.view.getBigUint64(this.pos, true); this.pos += 8; return Number(v); }
  take(n: number): Uint8Array { this.need(n); const v = this.bytes.subarray(this.pos, this.pos + n); this.pos += n; return v; }
  get done(): boolean { return this.pos >= this.bytes.length; }
}

/** Reads one tensor from the stream at the reader's position. */
export function readTensor(r: Reader): Tensor {
  const at = r.pos;
  const version = r.u32();
  if (version !== 0) fail('paddle.static.load', `${r.what}: unsupported LoDTensor version ${version} at offset ${at}`, InvalidArgumentError);
  const levels = r.u64();
  if (levels > 16) fail('paddle.static.load', `${r.what}: implausible LoD level count ${levels} at offset ${at + 4}: not a Paddle tensor file`, InvalidArgumentError);
  const lod: number[][] = [];
  for (let i = 0; i < levels; i++) {
    const nbytes = r.u64();
    const level: number[] = [];
    for (let k = 0; k < nbytes / 8; k++) level.push(r.u64());
    lod.push(level);
  }
  const tv = r.u32();
  if (tv !== 0) fail('paddle.static.load', `${r.what}: unsupported tensor version ${tv} at offset ${r.pos - 4}`, InvalidArgumentError);
  const descLen = r.i32();
  if (descLen < 0 || descLen > 1 << 20) fail('paddle.static.load', `${r.what}: bad tensor description size ${descLen} at offset ${r.pos - 4}`, InvalidArgumentError);
  let desc: { data_type: number; dims?: number[] };
  try {
    desc = TensorDescMsg.toObject(TensorDescMsg.decode(r.take(descLen)), { longs: Number, enums: Number }) as { data_type: number; dims?: number[] };
  } catch (e) {
    return fail('paddle.static.load', `${r.what}: corrupt tensor description at offset ${r.pos - descLen}: ${(e as Error).message}`, InvalidArgumentError);
  }
  const dtype = DTYPE_OF.get(desc.data_type);
  if (!dtype) fail('paddle.static.load', `${r.what}: unsupported data type ${desc.data_type}`, InvalidArgumentError);
  const dims = (desc.dims ?? []).map(Number);
  const n = numel(dims);
  const bytes = r.take(n * itemsize(dtype));
  const storage: Storage = allocStorage(dtype, n);
  new Uint8Array(storage.buffer).set(bytes);
  const t = new Tensor(storage, dims, dtype);
  t.lod = lod;
  return t;
}
