// A minimal Python pickle reader and writer: the opcodes that NumPy arrays, dicts, lists,
// tuples, sets, strings, bytes, ints, floats, bools and None use. It reads protocols 0-5
// (Paddle 2.0 writes 2, later Paddle 4, NumPy 2 with protocol 5 uses _frombuffer) and
// writes protocols 2, 3 and 4 as CPython does, so files round-trip with Python's pickle.
//
// Python values map to JS as: None null, bool boolean, int number (bigint beyond ±2^53),
// float number, str string, bytes Uint8Array, list Array, tuple PyTuple, dict Map (keys in
// order), set/frozenset Set, complex {real, imag}, numpy.ndarray NDArray, numpy scalars
// their JS value. No Python code runs: only a fixed list of classes is recognised
// (numpy's array/dtype/scalar constructors, _codecs.encode, a few builtins,
// collections.OrderedDict), anything else is an UnimplementedError.
//
// Array bytes are copied with typed-array views; the only per-byte loops are the ones the
// format forces (protocol 2 stores bytes as a latin-1 string in UTF-8, byte-swapping
// big-endian data, reordering Fortran-order data).
import { InvalidArgumentError, UnimplementedError } from '../core/errors.js';

/** A Python tuple (JS arrays stand for Python lists). */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/**
 * A NumPy ndarray: `dtype` is NumPy's type string without the byte order (`'f4'`, `'i8'`,
 * `'b1'`, `'c16'`), `shape` the dims, `data` the elements in C order, little-endian.
 * Arrays the reader makes own their `data` (a fresh buffer at byte offset 0, exact length),
 * so typed arrays of any element size can view it without a copy.
 */
export class NDArray {
  constructor(
    public dtype: string,
    public shape: number[],
    public data: Uint8Array,
  ) {}
}

/** Where errors come from: the API and the file (for messages). */
export interface PickleContext {
  api: string;
  source: string;
}

// ---------------------------------------------------------------------------------------
// Opcodes

const OP = {
  MARK: 0x28, STOP: 0x2e, POP: 0x30, POP_MARK: 0x31, DUP: 0x32, FLOAT: 0x46, INT: 0x49, BININT: 0x4a,
  BININT1: 0x4b, LONG: 0x4c, BININT2: 0x4d, NONE: 0x4e, PERSID: 0x50, BINPERSID: 0x51, REDUCE: 0x52,
  STRING: 0x53, BINSTRING: 0x54, SHORT_BINSTRING: 0x55, UNICODE: 0x56, BINUNICODE: 0x58, APPEND: 0x61,
  BUILD: 0x62, GLOBAL: 0x63, DICT: 0x64, EMPTY_DICT: 0x7d, APPENDS: 0x65, GET: 0x67, BINGET: 0x68,
  INST: 0x69, LONG_BINGET: 0x6a, LIST: 0x6c, EMPTY_LIST: 0x5d, OBJ: 0x6f, PUT: 0x70, BINPUT: 0x71,
  LONG_BINPUT: 0x72, SETITEM: 0x73, TUPLE: 0x74, EMPTY_TUPLE: 0x29, SETITEMS: 0x75, BINFLOAT: 0x47,
  PROTO: 0x80, NEWOBJ: 0x81, EXT1: 0x82, EXT2: 0x83, EXT4: 0x84, TUPLE1: 0x85, TUPLE2: 0x86, TUPLE3: 0x87,
  NEWTRUE: 0x88, NEWFALSE: 0x89, LONG1: 0x8a, LONG4: 0x8b, BINBYTES: 0x42, SHORT_BINBYTES: 0x43,
  SHORT_BINUNICODE: 0x8c, BINUNICODE8: 0x8d, BINBYTES8: 0x8e, EMPTY_SET: 0x8f, ADDITEMS: 0x90,
  FROZENSET: 0x91, NEWOBJ_EX: 0x92, STACK_GLOBAL: 0x93, MEMOIZE: 0x94, FRAME: 0x95, BYTEARRAY8: 0x96,
  NEXT_BUFFER: 0x97, READONLY_BUFFER: 0x98,
} as const;

const OP_NAMES: Record<number, string> = Object.fromEntries(Object.entries(OP).map(([k, v]) => [v, k]));

// ---------------------------------------------------------------------------------------
// Reading

/** The classes and functions a pickle may name (GLOBAL / STACK_GLOBAL). */
type GlobalKind =
  | 'reconstruct' | 'ndarray' | 'dtype' | 'scalar' | 'frombuffer' | 'encode' | 'set' | 'frozenset' | 'list'
  | 'tuple' | 'dict' | 'bytes' | 'bytearray' | 'complex' | 'ordereddict' | 'eval';

const GLOBALS: Record<string, GlobalKind> = {
  'numpy.core.multiarray._reconstruct': 'reconstruct',
  'numpy._core.multiarray._reconstruct': 'reconstruct',
  'numpy.core._multiarray_umath._reconstruct': 'reconstruct',
  'numpy._core._multiarray_umath._reconstruct': 'reconstruct',
  'numpy.ndarray': 'ndarray',
  'numpy.dtype': 'dtype',
  'numpy.core.multiarray.scalar': 'scalar',
  'numpy._core.multiarray.scalar': 'scalar',
  'numpy.core._multiarray_umath.scalar': 'scalar',
  'numpy.core.numeric._frombuffer': 'frombuffer',
  'numpy._core.numeric._frombuffer': 'frombuffer',
  '_codecs.encode': 'encode',
  'collections.OrderedDict': 'ordereddict',
};
for (const mod of ['builtins', '__builtin__']) {
  for (const k of ['set', 'frozenset', 'list', 'tuple', 'dict', 'bytes', 'bytearray', 'complex', 'eval'] as const) GLOBALS[`${mod}.${k}`] = k;
}

class PyGlobal {
  constructor(readonly module: string, readonly name: string, readonly kind: GlobalKind) {}
}

/** A numpy.dtype while it is being unpickled: type string and byte order. */
class NPDType {
  order = '=';
  constructor(readonly str: string) {}
}

/** A large str kept as UTF-8 bytes until needed (protocol-2 array data is one of these). */
class LazyStr {
  constructor(readonly buf: Uint8Array, readonly start: number, readonly end: number) {}
  toString(): string {
    return utf8.decode(this.buf.subarray(this.start, this.end));
  }
}

const utf8 = new TextDecoder('utf-8');
const LAZY_MIN = 1 << 16;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const pyInt = (b: bigint): number | bigint => (b <= MAX_SAFE && b >= -MAX_SAFE ? Number(b) : b);

/** numpy type-character aliases (dtype('f') is 'f4'); numpy pickles use the sized form. */
const TYPECHAR: Record<string, string> = {
  '?': 'b1', b: 'i1', B: 'u1', h: 'i2', H: 'u2', i: 'i4', I: 'u4', l: 'i8', L: 'u8', q: 'i8', Q: 'u8',
  e: 'f2', f: 'f4', d: 'f8', F: 'c8', D: 'c16', bool: 'b1',
};

/** Item size in bytes of a numeric type string ('f4' -> 4), or 0 for non-numeric ones. */
export function npItemsize(t: string): number {
  const m = /^([biufc])(\d+)$/.exec(t);
  return m ? Number(m[2]) : 0;
}

class Unpickler {
  private pos = 0;
  private opStart = 0;
  private readonly dv: DataView;
  private stack: unknown[] = [];
  private marks: number[] = [];
  private memo = new Map<number, unknown>();
  private lazy = false;
  /** Byte buffers handed to an NDArray already (a second use copies). */
  private used = new WeakSet<Uint8Array>();
  /** ndarrays created by _reconstruct whose BUILD has not come yet. */
  private pending = new WeakSet<NDArray>();

  private readonly buf: Uint8Array;

  constructor(buf: Uint8Array, private readonly ctx: PickleContext) {
    // a plain Uint8Array view (a Node Buffer's slice() would not copy)
    this.buf = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(msg: string, cls: new (m: string) => Error = InvalidArgumentError, at = this.opStart): never {
    throw new cls(`${this.ctx.api}: cannot read ${this.ctx.source}: ${msg} (at byte offset ${at})`);
  }
  unsupported(msg: string): never {
    return this.fail(msg, UnimplementedError);
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length)
      this.fail(`the pickle is truncated (needs ${n} more byte${n === 1 ? '' : 's'} at offset ${this.pos}, but the data ends at ${this.buf.length})`);
  }
  private u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  private u16(): number {
    this.need(2);
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  private i32(): number {
    this.need(4);
    const v = this.dv.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  private u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  private u64(): number {
    this.need(8);
    const lo = this.dv.getUint32(this.pos, true);
    const hi = this.dv.getUint32(this.pos + 4, true);
    this.pos += 8;
    const v = hi * 2 ** 32 + lo;
    if (!Number.isSafeInteger(v)) this.fail(`a length of ${BigInt(hi) * 2n ** 32n + BigInt(lo)} bytes is too large`);
    return v;
  }
  private take(n: number): Uint8Array {
    if (n < 0) this.fail(`negative length ${n}`);
    this.need(n);
    const s = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  /** A fresh copy of n bytes (a Python bytes object). */
  private bytes(n: number): Uint8Array {
    return this.take(n).slice();
  }
  private str(n: number): string | LazyStr {
    if (n >= LAZY_MIN) {
      this.need(n);
      const s = new LazyStr(this.buf, this.pos, this.pos + n);
      this.pos += n;
      this.lazy = true;
      return s;
    }
    return utf8.decode(this.take(n));
  }
  private line(): string {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('the pickle is truncated (a text line has no end)');
    const s = latin1(this.buf.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }

  private pop(): unknown {
    if (this.stack.length <= (this.marks.length ? this.marks[this.marks.length - 1] : 0)) this.fail('stack underflow (a corrupt pickle)');
    return this.stack.pop();
  }
  private top(): unknown {
    if (this.stack.length <= (this.marks.length ? this.marks[this.marks.length - 1] : 0)) this.fail('stack underflow (a corrupt pickle)');
    return this.stack[this.stack.length - 1];
  }
  private popMark(): unknown[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail('no MARK on the stack (a corrupt pickle)');
    const items = this.stack.slice(m);
    this.stack.length = m;
    return items;
  }
  private memoGet(i: number): unknown {
    if (!this.memo.has(i)) this.fail(`memo entry ${i} is not defined (a corrupt pickle)`);
    return this.memo.get(i);
  }
  private memoPut(i: number): void {
    this.memo.set(i, this.top());
  }

  private asStr(v: unknown, what: string): string {
    if (typeof v === 'string') return v;
    if (v instanceof LazyStr) return v.toString();
    return this.fail(`${what} should be a str, got ${pyTypeName(v)}`);
  }
  private asDict(v: unknown, op: string): Map<unknown, unknown> {
    if (v instanceof Map) return v;
    return this.fail(`${op} on a ${pyTypeName(v)}, not a dict`);
  }
  private key(k: unknown): unknown {
    return k instanceof LazyStr ? k.toString() : k;
  }

  run(): unknown {
    const buf = this.buf;
    for (;;) {
      this.opStart = this.pos;
      if (this.pos >= buf.length) this.fail('the pickle is truncated (no STOP opcode)');
      const op = buf[this.pos++];
      switch (op) {
        case OP.PROTO: {
          const v = this.u8();
          if (v > 5) this.unsupported(`pickle protocol ${v} is not supported (0 to 5 are)`);
          break;
        }
        case OP.FRAME:
          this.u64();
          break;
        case OP.STOP: {
          const v = this.pop();
          return this.lazy ? resolveLazy(v) : v;
        }
        case OP.MARK:
          this.marks.push(this.stack.length);
          break;
        case OP.POP:
          if (this.marks.length && this.marks[this.marks.length - 1] === this.stack.length) this.marks.pop();
          else this.pop();
          break;
        case OP.POP_MARK:
          this.popMark();
          break;
        case OP.DUP:
          this.stack.push(this.top());
          break;
        // ---- scalars
        case OP.NONE: this.stack.push(null); break;
        case OP.NEWTRUE: this.stack.push(true); break;
        case OP.NEWFALSE: this.stack.push(false); break;
        case OP.BININT1: this.stack.push(this.u8()); break;
        case OP.BININT2: this.stack.push(this.u16()); break;
        case OP.BININT: this.stack.push(this.i32()); break;
        case OP.LONG1: this.stack.push(pyInt(decodeLong(this.take(this.u8())))); break;
        case OP.LONG4: {
          const n = this.i32();
          this.stack.push(pyInt(decodeLong(this.take(n))));
          break;
        }
        case OP.INT: {
          const s = this.line().trim();
          if (s === '01') this.stack.push(true);
          else if (s === '00') this.stack.push(false);
          else this.stack.push(this.parseIntText(s));
          break;
        }
        case OP.LONG:
          this.stack.push(this.parseIntText(this.line().trim().replace(/L$/, '')));
          break;
        case OP.BINFLOAT: {
          this.need(8);
          this.stack.push(this.dv.getFloat64(this.pos, false));
          this.pos += 8;
          break;
        }
        case OP.FLOAT: {
          const s = this.line().trim();
          const v = s === 'nan' ? NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
          if (Number.isNaN(v) && s !== 'nan') this.fail(`bad float literal '${s}'`);
          this.stack.push(v);
          break;
        }
        // ---- strings and bytes
        case OP.SHORT_BINUNICODE: this.stack.push(this.str(this.u8())); break;
        case OP.BINUNICODE: this.stack.push(this.str(this.u32())); break;
        case OP.BINUNICODE8: this.stack.push(this.str(this.u64())); break;
        case OP.UNICODE: this.stack.push(rawUnicodeEscape(this.line())); break;
        // Python 2 str: read as Python 3 does with encoding='latin1' (Paddle's own setting)
        case OP.SHORT_BINSTRING: this.stack.push(latin1(this.take(this.u8()))); break;
        case OP.BINSTRING: this.stack.push(latin1(this.take(this.i32()))); break;
        case OP.STRING: this.stack.push(this.pyStringLiteral(this.line())); break;
        case OP.SHORT_BINBYTES: this.stack.push(this.bytes(this.u8())); break;
        case OP.BINBYTES: this.stack.push(this.bytes(this.u32())); break;
        case OP.BINBYTES8: this.stack.push(this.bytes(this.u64())); break;
        case OP.BYTEARRAY8: this.stack.push(this.bytes(this.u64())); break;
        case OP.READONLY_BUFFER: this.top(); break;
        case OP.NEXT_BUFFER:
          return this.unsupported('out-of-band buffers (pickle protocol 5 NEXT_BUFFER) are not supported; pickle with buffers in-band');
        // ---- containers
        case OP.EMPTY_TUPLE: this.stack.push(new PyTuple([])); break;
        case OP.TUPLE1: this.stack.push(new PyTuple([this.pop()])); break;
        case OP.TUPLE2: {
          const b = this.pop();
          const a = this.pop();
          this.stack.push(new PyTuple([a, b]));
          break;
        }
        case OP.TUPLE3: {
          const c = this.pop();
          const b = this.pop();
          const a = this.pop();
          this.stack.push(new PyTuple([a, b, c]));
          break;
        }
        case OP.TUPLE: this.stack.push(new PyTuple(this.popMark())); break;
        case OP.EMPTY_LIST: this.stack.push([]); break;
        case OP.LIST: this.stack.push(this.popMark()); break;
        case OP.APPEND: {
          const v = this.pop();
          const l = this.top();
          if (!Array.isArray(l)) this.fail(`APPEND to a ${pyTypeName(l)}, not a list`);
          l.push(v);
          break;
        }
        case OP.APPENDS: {
          const items = this.popMark();
          const l = this.top();
          if (!Array.isArray(l)) this.fail(`APPENDS to a ${pyTypeName(l)}, not a list`);
          for (const v of items) l.push(v);
          break;
        }
        case OP.EMPTY_DICT: this.stack.push(new Map()); break;
        case OP.DICT: {
          const items = this.popMark();
          if (items.length % 2) this.fail('DICT with an odd number of items');
          const d = new Map<unknown, unknown>();
          for (let i = 0; i < items.length; i += 2) d.set(this.key(items[i]), items[i + 1]);
          this.stack.push(d);
          break;
        }
        case OP.SETITEM: {
          const v = this.pop();
          const k = this.pop();
          this.asDict(this.top(), 'SETITEM').set(this.key(k), v);
          break;
        }
        case OP.SETITEMS: {
          const items = this.popMark();
          if (items.length % 2) this.fail('SETITEMS with an odd number of items');
          const d = this.asDict(this.top(), 'SETITEMS');
          for (let i = 0; i < items.length; i += 2) d.set(this.key(items[i]), items[i + 1]);
          break;
        }
        case OP.EMPTY_SET: this.stack.push(new Set()); break;
        case OP.ADDITEMS: {
          const items = this.popMark();
          const s = this.top();
          if (!(s instanceof Set)) this.fail(`ADDITEMS to a ${pyTypeName(s)}, not a set`);
          for (const v of items) s.add(this.key(v));
          break;
        }
        case OP.FROZENSET: this.stack.push(new Set(this.popMark().map((v) => this.key(v)))); break;
        // ---- memo
        case OP.BINPUT: this.memoPut(this.u8()); break;
        case OP.LONG_BINPUT: this.memoPut(this.u32()); break;
        case OP.PUT: this.memoPut(this.parseIndex(this.line())); break;
        case OP.MEMOIZE: this.memoPut(this.memo.size); break;
        case OP.BINGET: this.stack.push(this.memoGet(this.u8())); break;
        case OP.LONG_BINGET: this.stack.push(this.memoGet(this.u32())); break;
        case OP.GET: this.stack.push(this.memoGet(this.parseIndex(this.line()))); break;
        // ---- objects
        case OP.GLOBAL: {
          const module = this.line();
          const name = this.line();
          this.stack.push(this.global(module, name));
          break;
        }
        case OP.STACK_GLOBAL: {
          const name = this.asStr(this.pop(), 'STACK_GLOBAL name');
          const module = this.asStr(this.pop(), 'STACK_GLOBAL module');
          this.stack.push(this.global(module, name));
          break;
        }
        case OP.REDUCE: {
          const args = this.pop();
          const fn = this.pop();
          if (!(args instanceof PyTuple)) this.fail(`REDUCE arguments are a ${pyTypeName(args)}, not a tuple`);
          this.stack.push(this.call(fn, args.items));
          break;
        }
        case OP.NEWOBJ: {
          const args = this.pop();
          const cls = this.pop();
          if (!(args instanceof PyTuple)) this.fail(`NEWOBJ arguments are a ${pyTypeName(args)}, not a tuple`);
          this.stack.push(this.call(cls, args.items, true));
          break;
        }
        case OP.NEWOBJ_EX: {
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (!(args instanceof PyTuple)) this.fail(`NEWOBJ_EX arguments are a ${pyTypeName(args)}, not a tuple`);
          if (!(kwargs instanceof Map) || kwargs.size) this.unsupported('NEWOBJ_EX with keyword arguments is not supported');
          this.stack.push(this.call(cls, args.items, true));
          break;
        }
        case OP.BUILD: {
          const state = this.pop();
          this.build(this.top(), state);
          break;
        }
        case OP.PERSID: case OP.BINPERSID:
          return this.unsupported('persistent ids (PERSID) are not supported: this is not a Paddle/NumPy pickle');
        case OP.EXT1: case OP.EXT2: case OP.EXT4:
          return this.unsupported('the copyreg extension registry (EXT opcodes) is not supported');
        case OP.INST: case OP.OBJ:
          return this.unsupported(`${OP_NAMES[op]} (old-style class instances) is not supported`);
        default:
          return this.fail(`unknown pickle opcode 0x${op.toString(16).padStart(2, '0')}; the file is corrupt or not a pickle`);
      }
    }
  }

  private parseIntText(s: string): number | bigint {
    if (!/^[-+]?\d+$/.test(s)) this.fail(`bad int literal '${s}'`);
    return pyInt(BigInt(s));
  }
  private parseIndex(s: string): number {
    const v = Number(s.trim());
    if (!Number.isSafeInteger(v) || v < 0) this.fail(`bad memo index '${s.trim()}'`);
    return v;
  }
  private pyStringLiteral(s: string): string {
    const t = s.trim();
    const q = t[0];
    if ((q !== "'" && q !== '"') || t[t.length - 1] !== q || t.length < 2) this.fail('STRING argument is not a quoted string');
    return pyUnescape(t.slice(1, -1));
  }

  private global(module: string, name: string): PyGlobal {
    const kind = GLOBALS[`${module}.${name}`];
    if (!kind) this.unsupported(`the pickle needs the Python class or function '${module}.${name}', which paddle-ts does not load (only NumPy arrays, dicts, lists, tuples, sets, strings, bytes and numbers are supported)`);
    return new PyGlobal(module, name, kind);
  }

  private call(fn: unknown, args: unknown[], isNew = false): unknown {
    if (!(fn instanceof PyGlobal)) return this.fail(`cannot call a ${pyTypeName(fn)}`);
    const what = `${fn.module}.${fn.name}`;
    const bad = (): never => this.unsupported(`unsupported call ${what}(${args.map(pyTypeName).join(', ')})`);
    switch (fn.kind) {
      case 'reconstruct': {
        if (isNew || !(args[0] instanceof PyGlobal) || args[0].kind !== 'ndarray')
          return this.unsupported(`${what} of a ${args[0] instanceof PyGlobal ? `${args[0].module}.${args[0].name}` : pyTypeName(args[0])}: only numpy.ndarray is supported (not subclasses such as matrix or masked arrays)`);
        const a = new NDArray('', [0], new Uint8Array(0));
        this.pending.add(a);
        return a;
      }
      case 'dtype': {
        const s = this.asStr(args[0], 'numpy.dtype argument');
        return new NPDType(TYPECHAR[s] ?? s);
      }
      case 'scalar': {
        const [dt, raw] = args;
        if (!(dt instanceof NPDType)) return bad();
        if (!(raw instanceof Uint8Array) && typeof raw !== 'string') return this.unsupported(`numpy scalar of dtype '${dt.str}' (object scalars are not supported)`);
        const a = this.finishArray(new NDArray('', [], new Uint8Array(0)), dt, [], false, raw);
        return scalarValue(a);
      }
      case 'frombuffer': {
        const [raw, dt, shape, order] = args;
        if (!(dt instanceof NPDType) || !(raw instanceof Uint8Array)) return bad();
        return this.finishArray(new NDArray('', [], new Uint8Array(0)), dt, this.shapeOf(shape), order === 'F', raw);
      }
      case 'encode': {
        const enc = args.length > 1 ? this.asStr(args[1], '_codecs.encode encoding').toLowerCase().replace(/[-_]/g, '') : 'utf8';
        const s = args[0];
        if (enc === 'latin1' || enc === 'iso88591') return s instanceof LazyStr ? this.utf8ToLatin1(s) : this.strToLatin1(this.asStr(s, '_codecs.encode argument'));
        if (enc === 'utf8') return new TextEncoder().encode(this.asStr(s, '_codecs.encode argument'));
        return this.unsupported(`_codecs.encode with encoding '${args[1]}'`);
      }
      case 'set':
      case 'frozenset':
        return new Set(args.length ? this.iterable(args[0], what).map((v) => this.key(v)) : []);
      case 'list':
        return args.length ? this.iterable(args[0], what).slice() : [];
      case 'tuple':
        return new PyTuple(args.length ? this.iterable(args[0], what).slice() : []);
      case 'dict':
      case 'ordereddict': {
        const d = new Map<unknown, unknown>();
        if (args.length === 0) return d;
        const src = args[0];
        if (src instanceof Map) return new Map(src);
        for (const kv of this.iterable(src, what)) {
          const pair = kv instanceof PyTuple ? kv.items : Array.isArray(kv) ? kv : null;
          if (!pair || pair.length !== 2) return bad();
          d.set(this.key(pair[0]), pair[1]);
        }
        return d;
      }
      case 'bytes':
      case 'bytearray': {
        if (args.length === 0) return new Uint8Array(0);
        const src = args[0];
        if (src instanceof Uint8Array) return src.slice();
        if ((typeof src === 'string' || src instanceof LazyStr) && args.length === 2) return this.call(new PyGlobal('_codecs', 'encode', 'encode'), args);
        if (Array.isArray(src) && src.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 256)) return Uint8Array.from(src as number[]);
        return bad();
      }
      case 'complex': {
        const [re, im] = args;
        if (typeof re !== 'number' || (im !== undefined && typeof im !== 'number')) return bad();
        return { real: re, imag: im ?? 0 };
      }
      case 'eval': {
        // Paddle >= 2.1 pickles a static-mode LoDTensor as eval('data', {'data': ndarray});
        // recognise exactly that, never evaluate anything.
        const [code, env] = args;
        if (code === 'data' && env instanceof Map && env.size === 1 && env.get('data') instanceof NDArray) return env.get('data');
        return this.unsupported(`builtins.eval is only accepted in Paddle's LoDTensor form eval('data', {'data': ndarray})`);
      }
      case 'ndarray':
        return this.unsupported('numpy.ndarray called directly (only numpy.core.multiarray._reconstruct is supported)');
    }
  }

  private iterable(v: unknown, what: string): unknown[] {
    if (Array.isArray(v)) return v;
    if (v instanceof PyTuple) return v.items;
    if (v instanceof Set) return [...v];
    if (v instanceof Map) return [...v.keys()];
    return this.fail(`${what} of a ${pyTypeName(v)}`);
  }

  private shapeOf(v: unknown): number[] {
    const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
    if (!items) return this.fail(`an ndarray shape is a ${pyTypeName(v)}, not a tuple`);
    return items.map((d) => {
      const n = typeof d === 'bigint' ? Number(d) : d;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) this.fail(`bad ndarray dimension ${String(d)}`);
      return n as number;
    });
  }

  private build(obj: unknown, state: unknown): void {
    if (obj instanceof NPDType) {
      const s = state instanceof PyTuple ? state.items : null;
      if (!s || s.length < 2) this.fail('bad numpy.dtype state');
      if (typeof s[1] === 'string') obj.order = s[1];
      // (version, byte order, subarray, names, fields, elsize, alignment, flags[, metadata])
      if (s.length >= 5 && (s[2] !== null || s[3] !== null || s[4] !== null))
        this.unsupported(`structured or sub-array numpy dtypes are not supported`);
      return;
    }
    if (obj instanceof NDArray) {
      if (!this.pending.has(obj)) this.fail('BUILD on an ndarray that was already built');
      this.pending.delete(obj);
      let s = state instanceof PyTuple ? state.items : null;
      if (s && s.length === 4) s = [1, ...s];
      if (!s || s.length !== 5) return this.fail(`bad ndarray state (a ${pyTypeName(state)} of ${s ? s.length : 0} items, expected (version, shape, dtype, is_fortran, data))`);
      const [, shape, dt, fortran, raw] = s;
      if (!(dt instanceof NPDType)) return this.fail(`bad ndarray state: dtype is a ${pyTypeName(dt)}`);
      if (Array.isArray(raw)) return this.unsupported(`ndarrays of dtype '${dt.str}' holding Python objects are not supported`);
      if (!(raw instanceof Uint8Array) && typeof raw !== 'string' && !(raw instanceof LazyStr))
        return this.fail(`bad ndarray state: data is a ${pyTypeName(raw)}`);
      this.finishArray(obj, dt, this.shapeOf(shape), fortran === true || fortran === 1, raw instanceof LazyStr ? this.utf8ToLatin1(raw) : raw);
      return;
    }
    if (obj instanceof Map && state === null) return;
    this.unsupported(`BUILD (setting the state) of a ${pyTypeName(obj)} is not supported`);
  }

  /** Fills `a` from raw bytes: checks the size, byte-swaps big-endian data, reorders Fortran order. */
  private finishArray(a: NDArray, dt: NPDType, shape: number[], fortran: boolean, raw: Uint8Array | string): NDArray {
    const t = dt.str;
    const isz = npItemsize(t);
    if (!isz || (t[0] === 'b' && isz !== 1) || (t[0] === 'f' && isz !== 2 && isz !== 4 && isz !== 8) || (t[0] === 'c' && isz !== 8 && isz !== 16))
      this.unsupported(`numpy dtype '${t}' is not supported (bool, int, uint, float and complex types are)`);
    let data = typeof raw === 'string' ? this.strToLatin1(raw) : raw;
    let n = 1;
    for (const d of shape) n *= d;
    if (data.length !== n * isz)
      this.fail(`ndarray data has ${data.length} bytes, but shape [${shape.join(', ')}] of dtype '${t}' needs ${n * isz}`);
    if (this.used.has(data) || data.byteOffset !== 0 || data.buffer.byteLength !== data.length) data = data.slice();
    this.used.add(data);
    if (dt.order === '>' && isz > 1) byteSwap(data, t[0] === 'c' ? isz / 2 : isz);
    if (fortran && shape.length > 1 && n > 1) data = fortranToC(data, shape, isz);
    a.dtype = t;
    a.shape = shape;
    a.data = data;
    return a;
  }

  private strToLatin1(s: string): Uint8Array {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 255) this.fail(`_codecs.encode(..., 'latin1') of a character beyond latin-1 (U+${c.toString(16)})`);
      out[i] = c;
    }
    return out;
  }

  /** Decodes a UTF-8 str straight into its latin-1 bytes (protocol-2 bytes), without a JS string. */
  private utf8ToLatin1(s: LazyStr): Uint8Array {
    const out = new Uint8Array(s.end - s.start - countContinuation(s.buf, s.start, s.end));
    const bad = utf8ToLatin1Into(s.buf, s.start, s.end, out);
    if (bad >= 0) this.fail(`_codecs.encode(..., 'latin1') of a str that is not latin-1 or not valid UTF-8 (byte 0x${s.buf[bad].toString(16)} at offset ${bad})`, InvalidArgumentError, bad);
    return out;
  }
}

/** Number of UTF-8 continuation bytes (10xxxxxx) in src[s, e), four bytes at a time. */
function countContinuation(src: Uint8Array, s: number, e: number): number {
  let cont = 0;
  let i = s;
  while (i < e && (src.byteOffset + i) & 3) if ((src[i++] & 0xc0) === 0x80) cont++;
  const words = new Uint32Array(src.buffer, src.byteOffset + i, (e - i) >>> 2);
  for (let k = 0; k < words.length; k++) {
    const x = words[k];
    const c = x & ~(x << 1) & 0x80808080;
    cont += Math.imul(c >>> 7, 0x01010101) >>> 24;
  }
  for (i += words.length * 4; i < e; i++) if ((src[i] & 0xc0) === 0x80) cont++;
  return cont;
}

/**
 * Decodes UTF-8 of code points < 256 into bytes, branch-free (random float data defeats
 * branch prediction). Returns -1, or the offset of the first byte that is not latin-1 UTF-8.
 */
function utf8ToLatin1Into(src: Uint8Array, s: number, e: number, out: Uint8Array): number {
  let o = 0;
  let i = s;
  let err = 0;
  const last = e - 1;
  while (i < last) {
    const c = src[i];
    const hi = c >>> 7;
    const m = -hi;
    const nx = src[i + 1];
    out[o++] = (c & ~m) | ((((c & 3) << 6) | (nx & 0x3f)) & m);
    err |= m & (((c & 0xfe) ^ 0xc2) | ((nx & 0xc0) ^ 0x80));
    i += 1 + hi;
  }
  if (i === last) {
    err |= src[i] & 0x80;
    out[o++] = src[i];
  }
  if (!err && o === out.length) return -1;
  for (i = s; i < e; i++) {
    const c = src[i];
    if (c < 0x80) continue;
    if ((c & 0xfe) !== 0xc2 || i + 1 >= e || (src[i + 1] & 0xc0) !== 0x80) return i;
    i++;
  }
  return s;
}

/** Encodes bytes as the UTF-8 of the latin-1 str they are (protocol-2 bytes), branch-free. */
function latin1ToUtf8(src: Uint8Array): Uint8Array {
  let high = 0;
  let i = 0;
  const n = src.length;
  while (i < n && (src.byteOffset + i) & 3) high += src[i++] >>> 7;
  const words = new Uint32Array(src.buffer, src.byteOffset + i, (n - i) >>> 2);
  for (let k = 0; k < words.length; k++) high += Math.imul((words[k] & 0x80808080) >>> 7, 0x01010101) >>> 24;
  for (i += words.length * 4; i < n; i++) high += src[i] >>> 7;
  if (high === 0) return src;
  const out = new Uint8Array(n + high + 1); // one spare byte: the loop writes a byte ahead
  let o = 0;
  for (i = 0; i < n; i++) {
    const c = src[i];
    const hi = c >>> 7;
    const m = -hi;
    out[o] = (c & ~m) | ((0xc0 | (c >>> 6)) & m);
    out[o + 1] = 0x80 | (c & 0x3f);
    o += 1 + hi;
  }
  return out.subarray(0, n + high);
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  return s;
}

function decodeLong(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string | undefined, b: string | undefined) =>
    String.fromCodePoint(parseInt(a ?? b!, 16)),
  );
}

const ESC: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
function pyUnescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ESC[e] ?? `\\${e}`;
  });
}

function byteSwap(d: Uint8Array, w: number): void {
  for (let i = 0; i < d.length; i += w) for (let a = i, b = i + w - 1; a < b; a++, b--) { const t = d[a]; d[a] = d[b]; d[b] = t; }
}

/** Reorders Fortran-order (column-major) elements of size isz into C order. */
function fortranToC(src: Uint8Array, shape: number[], isz: number): Uint8Array {
  const nd = shape.length;
  const out = new Uint8Array(src.length);
  const fstride = new Array<number>(nd);
  let s = isz;
  for (let k = 0; k < nd; k++) { fstride[k] = s; s *= shape[k]; }
  const idx = new Array<number>(nd).fill(0);
  const last = shape[nd - 1];
  const ls = fstride[nd - 1];
  let o = 0;
  for (;;) {
    let base = 0;
    for (let k = 0; k < nd - 1; k++) base += idx[k] * fstride[k];
    for (let j = 0; j < last; j++) {
      out.set(src.subarray(base + j * ls, base + j * ls + isz), o);
      o += isz;
    }
    let k = nd - 2;
    while (k >= 0 && ++idx[k] === shape[k]) idx[k--] = 0;
    if (k < 0) break;
  }
  return out;
}

const f16 = (h: number): number => {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
};

/** The JS value of a one-element NDArray (a numpy scalar). */
function scalarValue(a: NDArray): unknown {
  const dv = new DataView(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  switch (a.dtype) {
    case 'b1': return dv.getUint8(0) !== 0;
    case 'u1': return dv.getUint8(0);
    case 'i1': return dv.getInt8(0);
    case 'i2': return dv.getInt16(0, true);
    case 'u2': return dv.getUint16(0, true);
    case 'i4': return dv.getInt32(0, true);
    case 'u4': return dv.getUint32(0, true);
    case 'i8': return pyInt(dv.getBigInt64(0, true));
    case 'u8': return pyInt(dv.getBigUint64(0, true));
    case 'f2': return f16(dv.getUint16(0, true));
    case 'f4': return dv.getFloat32(0, true);
    case 'f8': return dv.getFloat64(0, true);
    case 'c8': return { real: dv.getFloat32(0, true), imag: dv.getFloat32(4, true) };
    case 'c16': return { real: dv.getFloat64(0, true), imag: dv.getFloat64(8, true) };
  }
  return undefined;
}

/** Replaces LazyStr left in the result by strings (they are only kept lazy for array data). */
function resolveLazy(root: unknown): unknown {
  const seen = new Set<object>();
  const fix = (v: unknown): unknown => {
    if (v instanceof LazyStr) return v.toString();
    if (typeof v !== 'object' || v === null || seen.has(v)) return v;
    seen.add(v);
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = fix(v[i]);
    else if (v instanceof PyTuple) for (let i = 0; i < v.items.length; i++) v.items[i] = fix(v.items[i]);
    else if (v instanceof Map) for (const [k, x] of v) v.set(k, fix(x));
    else if (v instanceof Set) {
      const items = [...v];
      v.clear();
      for (const x of items) v.add(fix(x));
    }
    return v;
  };
  return fix(root);
}

/** Python's name for the type of a JS value from the reader (for messages). */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string' || v instanceof LazyStr) return 'str';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof Map) return 'dict';
  if (v instanceof Set) return 'set';
  if (v instanceof NDArray) return 'numpy.ndarray';
  if (v instanceof NPDType) return 'numpy.dtype';
  if (v instanceof PyGlobal) return `${v.module}.${v.name}`;
  return 'object';
}

/**
 * Reads one pickled object from `buf` (trailing bytes after STOP are ignored, as Python's
 * pickle.load does). Errors are InvalidArgumentError (corrupt or truncated data) or
 * UnimplementedError (a class or opcode outside the supported set), naming `ctx.api`,
 * `ctx.source` and the byte offset.
 */
export function unpickle(buf: Uint8Array, ctx: PickleContext): unknown {
  return new Unpickler(buf, ctx).run();
}

// ---------------------------------------------------------------------------------------
// Writing

/** Pickle protocols the writer produces. */
export type WriteProtocol = 2 | 3 | 4;

const BIG = 1 << 16;

class Pickler {
  private buf = new Uint8Array(BIG);
  private len = 0;
  private readonly chunks: Uint8Array[] = [];
  private readonly memo = new Map<unknown, number>();
  private memoNext = 0;
  private readonly active = new Set<object>();
  private readonly enc = new TextEncoder();
  private readonly tmp = new DataView(new ArrayBuffer(8));

  constructor(private readonly proto: WriteProtocol, private readonly api: string) {}

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }
  private flush(): void {
    if (this.len) this.chunks.push(this.buf.subarray(0, this.len));
    this.buf = new Uint8Array(BIG);
    this.len = 0;
  }
  private op(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }
  private u32(v: number): void {
    this.room(4);
    this.buf[this.len++] = v & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 24) & 0xff;
  }
  private u64(v: number): void {
    this.u32(v % 2 ** 32);
    this.u32(Math.floor(v / 2 ** 32));
  }
  private raw(b: Uint8Array): void {
    if (b.length >= BIG) {
      this.flush();
      this.chunks.push(b);
      return;
    }
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  finish(): Uint8Array[] {
    this.op(OP.STOP);
    this.flush();
    return this.chunks;
  }

  start(): void {
    this.op(OP.PROTO);
    this.op(this.proto);
  }

  private put(key: unknown): void {
    const i = this.memoNext++;
    this.memo.set(key, i);
    if (this.proto >= 4) this.op(OP.MEMOIZE);
    else if (i < 256) { this.op(OP.BINPUT); this.op(i); }
    else { this.op(OP.LONG_BINPUT); this.u32(i); }
  }
  private get(key: unknown): boolean {
    const i = this.memo.get(key);
    if (i === undefined) return false;
    if (i < 256) { this.op(OP.BINGET); this.op(i); }
    else { this.op(OP.LONG_BINGET); this.u32(i); }
    return true;
  }

  private global(module: string, name: string): void {
    const key = `global:${module}.${name}`;
    if (this.get(key)) return;
    if (this.proto >= 4) {
      this.str(module);
      this.str(name);
      this.op(OP.STACK_GLOBAL);
    } else {
      this.op(OP.GLOBAL);
      this.raw(this.enc.encode(`${module}\n${name}\n`));
    }
    this.put(key);
  }
  private builtin(name: string): void {
    this.global(this.proto < 3 ? '__builtin__' : 'builtins', name);
  }

  private int(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 256) { this.op(OP.BININT1); this.op(v); return; }
    if (typeof v === 'number' && v >= 0 && v < 65536) { this.op(OP.BININT2); this.op(v & 0xff); this.op(v >>> 8); return; }
    if (typeof v === 'number' && v >= -(2 ** 31) && v < 2 ** 31) { this.op(OP.BININT); this.u32(v >>> 0); return; }
    let x = BigInt(v);
    const bytes: number[] = [];
    for (;;) {
      const b = Number(x & 0xffn);
      bytes.push(b);
      x >>= 8n;
      if ((x === 0n && !(b & 0x80)) || (x === -1n && b & 0x80)) break;
    }
    if (bytes.length < 256) { this.op(OP.LONG1); this.op(bytes.length); }
    else { this.op(OP.LONG4); this.u32(bytes.length); }
    this.raw(Uint8Array.from(bytes));
  }
  private float(v: number): void {
    this.op(OP.BINFLOAT);
    this.tmp.setFloat64(0, v, false);
    this.raw(new Uint8Array(this.tmp.buffer).slice());
  }
  private str(s: string): void {
    const b = this.enc.encode(s);
    if (this.proto >= 4 && b.length < 256) { this.op(OP.SHORT_BINUNICODE); this.op(b.length); }
    else if (b.length <= 0xffffffff) { this.op(OP.BINUNICODE); this.u32(b.length); }
    else if (this.proto >= 4) { this.op(OP.BINUNICODE8); this.u64(b.length); }
    else this.tooBig(b.length);
    this.raw(b);
  }
  private tooBig(n: number): never {
    throw new InvalidArgumentError(`${this.api}: an object of ${n} bytes is too large for pickle protocol ${this.proto}; use protocol 4`);
  }

  /** bytes: protocol 3+ writes them as is; protocol 2 as _codecs.encode(latin-1 str, 'latin1'), as Python 3 does. */
  private bytes(b: Uint8Array): void {
    if (this.proto >= 3) {
      if (b.length < 256) { this.op(OP.SHORT_BINBYTES); this.op(b.length); }
      else if (b.length <= 0xffffffff) { this.op(OP.BINBYTES); this.u32(b.length); }
      else if (this.proto >= 4) { this.op(OP.BINBYTES8); this.u64(b.length); }
      else this.tooBig(b.length);
      this.raw(b);
      return;
    }
    if (b.length === 0) {
      this.builtin('bytes');
      this.op(OP.EMPTY_TUPLE);
      this.op(OP.REDUCE);
      return;
    }
    this.global('_codecs', 'encode');
    const u = latin1ToUtf8(b);
    if (u.length > 0xffffffff) this.tooBig(u.length);
    this.op(OP.BINUNICODE);
    this.u32(u.length);
    this.raw(u);
    if (!this.get('str:latin1')) { this.str('latin1'); this.put('str:latin1'); }
    this.op(OP.TUPLE2);
    this.op(OP.REDUCE);
  }

  private dtype(t: string): void {
    const key = `dtype:${t}`;
    if (this.get(key)) return;
    this.global('numpy', 'dtype');
    this.str(t);
    this.op(OP.NEWFALSE);
    this.op(OP.NEWTRUE);
    this.op(OP.TUPLE3);
    this.op(OP.REDUCE);
    this.op(OP.MARK);
    this.int(3);
    this.str(npItemsize(t) === 1 ? '|' : '<');
    this.op(OP.NONE); this.op(OP.NONE); this.op(OP.NONE);
    this.int(-1); this.int(-1); this.int(0);
    this.op(OP.TUPLE);
    this.op(OP.BUILD);
    this.put(key);
  }

  private ndarray(a: NDArray): void {
    const isz = npItemsize(a.dtype);
    let n = 1;
    for (const d of a.shape) n *= d;
    if (!isz || a.data.length !== n * isz)
      throw new InvalidArgumentError(`${this.api}: bad ndarray (dtype '${a.dtype}', shape [${a.shape.join(', ')}], ${a.data.length} bytes)`);
    this.global('numpy.core.multiarray', '_reconstruct');
    this.global('numpy', 'ndarray');
    if (!this.get('tuple:(0,)')) { this.int(0); this.op(OP.TUPLE1); this.put('tuple:(0,)'); }
    if (!this.get("bytes:b'b'")) { this.bytes(Uint8Array.of(0x62)); this.put("bytes:b'b'"); }
    this.op(OP.TUPLE3);
    this.op(OP.REDUCE);
    this.op(OP.MARK);
    this.int(1);
    this.tuple(a.shape);
    this.dtype(a.dtype);
    this.op(OP.NEWFALSE);
    this.bytes(a.data);
    this.op(OP.TUPLE);
    this.op(OP.BUILD);
  }

  private tuple(items: readonly unknown[]): void {
    if (items.length === 0) { this.op(OP.EMPTY_TUPLE); return; }
    if (items.length <= 3) {
      for (const v of items) this.value(v);
      this.op(items.length === 1 ? OP.TUPLE1 : items.length === 2 ? OP.TUPLE2 : OP.TUPLE3);
      return;
    }
    this.op(OP.MARK);
    for (const v of items) this.value(v);
    this.op(OP.TUPLE);
  }

  value(v: unknown): void {
    if (v === null) { this.op(OP.NONE); return; }
    switch (typeof v) {
      case 'boolean': this.op(v ? OP.NEWTRUE : OP.NEWFALSE); return;
      case 'number':
        if (Number.isSafeInteger(v)) this.int(v === 0 ? 0 : v);
        else this.float(v);
        return;
      case 'bigint': this.int(v); return;
      case 'string': this.str(v); return;
    }
    if (typeof v !== 'object') throw new InvalidArgumentError(`${this.api}: cannot pickle a ${typeof v}`);
    if (v instanceof Uint8Array) { this.bytes(v); return; }
    if (this.get(v)) return; // an object written before: shared, as Python's memo does
    if (this.active.has(v)) throw new InvalidArgumentError(`${this.api}: the object contains a reference cycle, which cannot be saved`);
    this.active.add(v);
    if (v instanceof NDArray) this.ndarray(v);
    else if (v instanceof PyTuple) this.tuple(v.items);
    else if (Array.isArray(v)) {
      this.op(OP.EMPTY_LIST);
      this.batched(v, (x) => this.value(x), OP.APPENDS, OP.APPEND);
    } else if (v instanceof Map || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
      this.op(OP.EMPTY_DICT);
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
      this.batched(entries, ([k, x]) => { this.value(k); this.value(x); }, OP.SETITEMS, OP.SETITEM);
    } else if (v instanceof Set) {
      if (this.proto >= 4) {
        this.op(OP.EMPTY_SET);
        const items = [...v];
        for (let i = 0; i < items.length; i += 1000) {
          this.op(OP.MARK);
          for (const x of items.slice(i, i + 1000)) this.value(x);
          this.op(OP.ADDITEMS);
        }
      } else {
        this.builtin('set');
        this.value([...v]);
        this.op(OP.TUPLE1);
        this.op(OP.REDUCE);
      }
    } else throw new InvalidArgumentError(`${this.api}: cannot pickle a ${(v as object).constructor?.name ?? 'object'}`);
    this.active.delete(v);
    if (!(v instanceof PyTuple)) this.put(v);
  }

  private batched<X>(items: readonly X[], write: (x: X) => void, many: number, one: number): void {
    if (items.length === 1) { write(items[0]); this.op(one); return; }
    for (let i = 0; i < items.length; i += 1000) {
      const part = items.slice(i, i + 1000);
      if (part.length === 1) { write(part[0]); this.op(one); continue; }
      this.op(OP.MARK);
      for (const x of part) write(x);
      this.op(many);
    }
  }
}

/**
 * Pickles `value` (null, booleans, numbers — whole numbers within ±2^53 become Python
 * ints, others floats —, bigints as ints, strings, Uint8Array as bytes, arrays as lists, PyTuple, Map or plain
 * objects as dicts, Set, NDArray) with `protocol` 2, 3 or 4, as CPython would. Returns the
 * bytes as chunks (large array data is not copied; write the chunks in order).
 */
export function pickle(value: unknown, protocol: WriteProtocol, api = 'pickle'): Uint8Array[] {
  const p = new Pickler(protocol, api);
  p.start();
  p.value(value);
  return p.finish();
}

/** Joins chunks into one buffer. */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}
