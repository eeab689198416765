// Paddle's VariableMessage (send_recv.proto) on the wire: a 4-byte little-endian header length,
// the header as UTF-8 JSON (varname, out_varname, trainer_id, data_type, dims, type), then the
// tensor's raw bytes (an identity serializer: no protobuf pass over the payload).
export interface VariableMessage {
  varname: string;
  out_varname?: string;
  trainer_id?: number;
  /** The dtype name ('float32', ...); '' for messages without a tensor (barriers, requests). */
  data_type?: string;
  dims?: number[];
  type?: string;
  /** The raw tensor bytes. */
  serialized?: Uint8Array;
}

export function encodeMessage(m: VariableMessage): Buffer {
  const { serialized, ...head } = m;
  const h = Buffer.from(JSON.stringify(head), 'utf8');
  const body = serialized ?? new Uint8Array(0);
  const out = Buffer.allocUnsafe(4 + h.length + body.byteLength);
  out.writeUInt32LE(h.length, 0);
  h.copy(out, 4);
  out.set(body, 4 + h.length);
  return out;
}

export function decodeMessage(b: Buffer | Uint8Array): VariableMessage {
  const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const n = buf.readUInt32LE(0);
  const head = JSON.parse(buf.subarray(4, 4 + n).toString('utf8')) as VariableMessage;
  // copy the payload so it owns an aligned buffer of its own
  head.serialized = new Uint8Array(buf.subarray(4 + n));
  return head;
}

/** Paddle's barrier message names (operators/distributed/request_handler.h). */
export const BATCH_BARRIER_MESSAGE = 'BATCH_BARRIER@RECV';
export const FETCH_BARRIER_MESSAGE = 'FETCH_BARRIER@RECV';
export const COMPLETE_MESSAGE = 'COMPLETE@RECV';
