// The pickle reader/writer against CPython's pickle and NumPy: objects pickled by Python with
// protocols 0-5 read back exactly; what we write, Python reads back exactly; corrupt,
// truncated and unsupported input gives paddle errors naming the offset.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { NDArray, PyTuple, concatChunks, pickle, unpickle } from '../../src/framework/pickle.js';
import { assertThrows } from '../helpers/assert.js';
import { python3, SKIP_PY3_NUMPY } from '../helpers/python.js';

const SKIP_PY = SKIP_PY3_NUMPY;

const python = (code: string, input?: Uint8Array): string => python3(code, { input });

// A canonical form both sides compute. Numbers: ints (JS: safe integers, bigints) as
// ['int', decimal], other floats as ['float', big-endian hex]; arrays as dtype (kind+size),
// shape, hex of the C-order little-endian bytes.
const PY_CANON = String.raw`
import numpy as np, struct, collections, json
def fhex(v): return struct.pack('>d', v).hex()
def canon(v):
    if v is None: return None
    if isinstance(v, (bool, np.bool_)): return ['bool', bool(v)]
    if isinstance(v, (int, np.integer)): return ['int', str(int(v))]
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if v == v and abs(v) <= 2**53 - 1 and v.is_integer(): return ['int', str(int(v))]
        return ['float', fhex(v)]
    if isinstance(v, (complex, np.complexfloating)): return ['complex', fhex(v.real), fhex(v.imag)]
    if isinstance(v, str): return ['str', v]
    if isinstance(v, (bytes, bytearray)): return ['bytes', bytes(v).hex()]
    if isinstance(v, np.ndarray):
        a = v.astype(v.dtype.newbyteorder('<'), order='C')
        return ['nd', a.dtype.str[1:], list(a.shape), a.tobytes().hex()]
    if isinstance(v, tuple): return ['tuple', [canon(x) for x in v]]
    if isinstance(v, list): return ['list', [canon(x) for x in v]]
    if isinstance(v, dict): return ['dict', [[canon(k), canon(x)] for k, x in v.items()]]
    if isinstance(v, (set, frozenset)): return ['set', sorted((canon(x) for x in v), key=lambda c: json.dumps(c, separators=(',', ':')))]
    raise TypeError(type(v))
`;

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
function fhex(v: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v, false);
  return hex(new Uint8Array(dv.buffer));
}
function canon(v: unknown): unknown {
  if (v === null) return null;
  if (typeof v === 'boolean') return ['bool', v];
  if (typeof v === 'bigint') return ['int', String(v)];
  if (typeof v === 'number') return Number.isSafeInteger(v) ? ['int', String(v === 0 ? 0 : v)] : ['float', fhex(v)];
  if (typeof v === 'string') return ['str', v];
  if (v instanceof Uint8Array) return ['bytes', hex(v)];
  if (v instanceof NDArray) return ['nd', v.dtype, v.shape, hex(v.data)];
  if (v instanceof PyTuple) return ['tuple', v.items.map(canon)];
  if (Array.isArray(v)) return ['list', v.map(canon)];
  if (v instanceof Map) return ['dict', [...v].map(([k, x]) => [canon(k), canon(x)])];
  if (v instanceof Set) return ['set', [...v].map(canon).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))];
  const o = v as Record<string, unknown>;
  if (Object.keys(o).length === 2 && typeof o.real === 'number' && typeof o.imag === 'number') return ['complex', fhex(o.real), fhex(o.imag)];
  if (Object.getPrototypeOf(v) === Object.prototype) return ['dict', Object.entries(v as object).map(([k, x]) => [canon(k), canon(x)])];
  const c = v as { real: number; imag: number };
  return ['complex', fhex(c.real), fhex(c.imag)];
}

const ctx = { api: 'test', source: "'fixture'" };

// Objects Python pickles; each protocol's bytes must read back to the same canonical form.
const PY_OBJECTS = String.raw`
import collections
rs = np.random.RandomState(0)
shared = np.arange(3, dtype='int16')
objs = {
  'f32': (np.arange(6, dtype='float32').reshape(2, 3) * 0.5 - 1),
  'f64': np.array([1e300, -0.0, np.inf, 1/3, np.nan]),
  'f16': np.array([0.1, -65504, 6e-8, np.inf], dtype='float16'),
  'i64': np.array([2**62 + 1, -2**63, 2**53 + 1, -1], dtype='int64'),
  'i32': np.array([[-2**31, 2**31 - 1]], dtype='int32'),
  'i16': np.array([-32768, 7], dtype='int16'), 'i8': np.array([-128, 127], dtype='int8'),
  'u8': np.array([0, 255], dtype='uint8'), 'u16': np.array([65535], dtype='uint16'),
  'b': np.array([[True, False], [False, True]]),
  'c64': np.array([1+2j, -3.5j], dtype='complex64'), 'c128': np.array([[1e-300+1j]], dtype='complex128'),
  'empty': np.zeros((2, 0, 3), 'float32'), 'zero_d': np.array(2.5),
  'big_endian': np.arange(4, dtype='>i4'), 'big_endian_c': np.array([1+2j], dtype='>c8'),
  'fortran': np.asfortranarray(np.arange(24, dtype='float64').reshape(2, 3, 4)),
  'strided': np.arange(10)[::2],
  'large': rs.randn(50000).astype('float32'),
  'np_scalars': [np.float32(1.5), np.int64(-7), np.bool_(True), np.complex64(1+2j), np.float16(0.5), np.uint8(200)],
  'ints': [0, 1, 255, 256, 65535, 65536, -1, -2**31, 2**31, 2**53, 2**63, -2**64 - 1, 2**200],
  'floats': [0.1, -1e-310, 1e308, float('inf'), 2.0**60],
  'strs': ['', 'ascii', 'ünïcödé ✓ 😀', 'x' * 70000, '\n\\\'"'],
  'bytes': b'\x00\xff' * 3, 'empty_bytes': b'', 'bytearray': bytearray(b'ab\x80'),
  'tuple': (1, (2, 3), (), (4,), (5, 6, 7, 8)), 'set': {1, 2, 3}, 'frozenset': frozenset({'a'}),
  'none': None, 'bools': [True, False], 'nested': {'a': [{'b': ()}]},
  'odict': collections.OrderedDict([('z', 1), ('a', 2)]), 'complex': 1.5-2j,
  'shared': [shared, shared], 1: 'int key', (1, 'a'): 'tuple key', 'k' * 70000: 'big key',
  'many': list(range(2500)), 'bigdict': {str(i): i for i in range(1500)},
}
`;

test('reads what Python pickles, protocols 0 to 5', { skip: SKIP_PY }, () => {
  const out = JSON.parse(
    python(`${PY_CANON}${PY_OBJECTS}
import pickle, json, base64, sys
res = {}
for proto in range(6):
    res[proto] = base64.b64encode(pickle.dumps(objs, protocol=proto)).decode()
sys.stdout.write(json.dumps({'pickles': res, 'canon': canon(objs)}))
`),
  ) as { pickles: Record<string, string>; canon: unknown };
  for (const [proto, b64] of Object.entries(out.pickles)) {
    const v = unpickle(Buffer.from(b64, 'base64'), ctx);
    assert.ok(v instanceof Map);
    const got = canon(v) as [string, [unknown, unknown][]];
    const exp = out.canon as [string, [unknown, unknown][]];
    assert.equal(got[1].length, exp[1].length, `protocol ${proto}: number of keys`);
    for (let i = 0; i < exp[1].length; i++) assert.deepEqual(got[1][i], exp[1][i], `protocol ${proto}: entry ${JSON.stringify(exp[1][i][0]).slice(0, 40)}`);
    // a memoized object read twice is the same object
    const shared = v.get('shared') as NDArray[];
    assert.equal(shared[0], shared[1]);
  }
});

test('reads NumPy 2 pickle protocol 5 arrays (_frombuffer) and the numpy.core / numpy._core paths', { skip: SKIP_PY }, () => {
  const out = JSON.parse(
    python(`${PY_CANON}
import pickle, json, base64, sys
a = np.arange(12, dtype='float32').reshape(3, 4)
f = np.asfortranarray(np.arange(6, dtype='int64').reshape(2, 3))
p5 = pickle.dumps([a, f, a.astype('float16')], protocol=5)
p2 = pickle.dumps(a, protocol=2)
old = p2.replace(b'numpy._core.multiarray', b'numpy.core.multiarray') if b'numpy._core' in p2 else p2
new = p2.replace(b'numpy.core.multiarray', b'numpy._core.multiarray') if b'numpy._core' not in p2 else p2
sys.stdout.write(json.dumps({'p5': base64.b64encode(p5).decode(), 'old': base64.b64encode(old).decode(),
  'new': base64.b64encode(new).decode(), 'c5': canon([a, f, a.astype('float16')]), 'c2': canon(a)}))
`),
  ) as Record<string, string>;
  assert.deepEqual(canon(unpickle(Buffer.from(out.p5, 'base64'), ctx)), out.c5);
  assert.deepEqual(canon(unpickle(Buffer.from(out.old, 'base64'), ctx)), out.c2);
  assert.deepEqual(canon(unpickle(Buffer.from(out.new, 'base64'), ctx)), out.c2);
});

test('hand-written opcode streams: protocol 2 ndarray, LONG1 edges, BINFLOAT', () => {
  // pickle.dumps(np.arange(3, dtype='float32'), protocol=2) from numpy 1.x, memo puts dropped
  const parts: (string | number[])[] = [
    [0x80, 2], 'cnumpy.core.multiarray\n_reconstruct\n', 'cnumpy\nndarray\n', [0x4b, 0, 0x85], 'c_codecs\nencode\n',
    [0x58, 1, 0, 0, 0], 'b', [0x58, 6, 0, 0, 0], 'latin1', [0x86, 0x52, 0x87, 0x52, 0x28, 0x4b, 1, 0x4b, 3, 0x85],
    'cnumpy\ndtype\n', [0x58, 2, 0, 0, 0], 'f4', [0x89, 0x88, 0x87, 0x52, 0x28, 0x4b, 3, 0x58, 1, 0, 0, 0], '<',
    [0x4e, 0x4e, 0x4e, 0x4a, 255, 255, 255, 255, 0x4a, 255, 255, 255, 255, 0x4b, 0, 0x74, 0x62, 0x89],
    'c_codecs\nencode\n', [0x58, 13, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0xc2, 0x80, 0x3f, 0, 0, 0, 0x40], [0x58, 6, 0, 0, 0], 'latin1',
    [0x86, 0x52, 0x74, 0x62, 0x2e],
  ];
  const bytes = concatChunks(parts.map((x) => (typeof x === 'string' ? new TextEncoder().encode(x) : Uint8Array.from(x))));
  const a = unpickle(bytes, ctx) as NDArray;
  assert.ok(a instanceof NDArray);
  assert.equal(a.dtype, 'f4');
  assert.deepEqual(a.shape, [3]);
  assert.deepEqual([...new Float32Array(a.data.buffer)], [0, 1, 2]);
  // Python 2 pickles hold array data as a str (SHORT_BINSTRING), read as latin-1 like numpy does
  const enc = (xs: (string | number[])[]) => concatChunks(xs.map((x) => (typeof x === 'string' ? new TextEncoder().encode(x) : Uint8Array.from(x))));
  const py2 = enc([...parts.slice(0, 16), [0x55, 12, 0, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40], [0x74, 0x62, 0x2e]]);
  const a2 = unpickle(py2, ctx) as NDArray;
  assert.deepEqual([...new Float32Array(a2.data.buffer)], [0, 1, 2]);
  // LONG1 with 0 bytes is 0; 0xff is -1; 0x80 0x00 is 128
  const long1 = (b: number[]) => unpickle(Uint8Array.from([0x80, 2, 0x8a, b.length, ...b, 0x2e]), ctx);
  assert.equal(long1([]), 0);
  assert.equal(long1([0xff]), -1);
  assert.equal(long1([0x80, 0x00]), 128);
  assert.equal(long1([0, 0, 0, 0, 0, 0, 0, 0x80]), -(2n ** 63n));
  // BINFLOAT is big-endian
  assert.equal(unpickle(Uint8Array.from([0x80, 2, 0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x2e]), ctx), 1.5);
});

test('writes what Python reads: protocols 2, 3 and 4', { skip: SKIP_PY }, () => {
  const f32 = new Float32Array([1.5, -2, 3.25, 1e-30]);
  const i64 = new BigInt64Array([2n ** 62n + 1n, -(2n ** 63n), 9007199254740993n]);
  const big = new Float32Array(40000).map((_, i) => Math.sin(i) * 1e3); // > 64 KiB: the chunked path
  const arr = (t: string, shape: number[], data: ArrayBufferView) => new NDArray(t, shape, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const shared = arr('f4', [2, 2], f32);
  const value = new Map<unknown, unknown>([
    ['f32', shared], ['again', shared],
    ['i64', arr('i8', [3], i64)],
    ['big', arr('f4', [200, 200], big)],
    ['empty', arr('f8', [0, 4], new Float64Array(0))],
    ['bool', arr('b1', [3], Uint8Array.from([1, 0, 1]))],
    ['u8', arr('u1', [2], Uint8Array.from([0, 255]))],
    ['c128', arr('c16', [1], new Float64Array([1, -2]))],
    ['f16', arr('f2', [2], Uint16Array.from([0x3c00, 0xfbff]))],
    ['ints', [0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31, 2 ** 53 - 1, 2n ** 64n, -(2n ** 70n), 2n ** 2100n]],
    ['floats', [0.5, -1e-310, Infinity, 1e300, 2 ** 60, -0.25]],
    ['strs', ['', 'ünïcödé ✓ 😀', 'y'.repeat(300), 'z'.repeat(70000)]],
    ['bytes', Uint8Array.from([0, 0x80, 0xff])], ['nobytes', new Uint8Array(0)],
    ['tuple', new PyTuple([1, new PyTuple([]), new PyTuple([2, 3, 4, 5])])],
    ['set', new Set([1, 'a'])], ['none', null], ['bools', [true, false]],
    [7, 'int key'], ['obj', { a: [1, { b: null }], '0': 'x' }],
    ['many', Array.from({ length: 2500 }, (_, i) => i)],
  ]);
  for (const proto of [2, 3, 4] as const) {
    const bytes = concatChunks(pickle(value, proto));
    assert.equal(bytes[1], proto);
    const got = JSON.parse(python(`${PY_CANON}
import pickle, json, sys
v = pickle.loads(sys.stdin.buffer.read())
assert v['f32'] is v['again']
types = [type(x).__name__ for x in v['ints'] + v['floats']]
sys.stdout.write(json.dumps({'canon': canon(v), 'types': types}))
`, bytes)) as { canon: unknown; types: string[] };
    assert.deepEqual(got.canon, canon(value), `protocol ${proto}`);
    assert.deepEqual(got.types, [...Array(12).fill('int'), ...Array(6).fill('float')]);
    // and we read our own bytes back to the same
    assert.deepEqual(canon(unpickle(bytes, ctx)), canon(value));
  }
});

test('protocol 2 writes NumPy arrays as Paddle 2.0 does (numpy.core path, _codecs.encode bytes)', { skip: SKIP_PY }, () => {
  const a = new NDArray('f4', [3], new Uint8Array(new Float32Array([0, 1, 2]).buffer));
  const bytes = concatChunks(pickle(a, 2));
  const ops = python(`
import pickletools, sys
for op, arg, pos in pickletools.genops(sys.stdin.buffer.read()):
    if op.name != 'BINPUT': print(op.name, repr(arg) if op.name in ('GLOBAL', 'BINUNICODE') else '')
`, bytes);
  assert.match(ops, /GLOBAL 'numpy.core.multiarray _reconstruct'/);
  assert.match(ops, /GLOBAL 'numpy ndarray'/);
  assert.match(ops, /GLOBAL '_codecs encode'/);
  assert.match(ops, /GLOBAL 'numpy dtype'\s+BINUNICODE 'f4'\s+NEWFALSE\s+NEWTRUE\s+TUPLE3\s+REDUCE/);
  assert.match(ops, /BINUNICODE '<'\s+NONE\s+NONE\s+NONE\s+BININT\s+BININT\s+BININT1\s+TUPLE\s+BUILD/);
  assert.doesNotMatch(ops, /STACK_GLOBAL|BINBYTES|MEMOIZE|FRAME/);
  const ops4 = python(`
import pickletools, sys
print(' '.join(op.name for op, arg, pos in pickletools.genops(sys.stdin.buffer.read())))
`, concatChunks(pickle(a, 4)));
  assert.match(ops4, /STACK_GLOBAL/);
  assert.match(ops4, /SHORT_BINBYTES/);
  assert.doesNotMatch(ops4, / GLOBAL /);
});

test('errors: truncated and corrupt data name the offset', () => {
  const value = new Map<unknown, unknown>([['w', new NDArray('f4', [2], new Uint8Array(8))], ['n', [1, 'two', 3.5, new PyTuple([null])]]]);
  for (const proto of [2, 4] as const) {
    const bytes = concatChunks(pickle(value, proto));
    for (let cut = 0; cut < bytes.length; cut++)
      assertThrows(() => unpickle(bytes.subarray(0, cut), ctx), paddle.errors.InvalidArgumentError, /^test: cannot read 'fixture': /, /at byte offset \d+/);
    // corrupting any one byte either still reads or throws a paddle error, never anything else
    for (let i = 0; i < bytes.length; i++)
      for (const x of [0x00, 0xff, 0x28, 0x2e, 0x80]) {
        const b = bytes.slice();
        b[i] = x;
        try {
          unpickle(b, ctx);
        } catch (e) {
          assert.ok(e instanceof paddle.errors.PaddleError, `byte ${i} = ${x}: ${(e as Error).stack}`);
          assert.match((e as Error).message, /at byte offset \d+/);
        }
      }
  }
  assertThrows(() => unpickle(Uint8Array.from([0x80, 2, 0xff]), ctx), paddle.errors.InvalidArgumentError, /unknown pickle opcode 0xff/, /at byte offset 2/);
  assertThrows(() => unpickle(Uint8Array.from([0x80, 2, 0x2e]), ctx), paddle.errors.InvalidArgumentError, /stack underflow/);
  assertThrows(() => unpickle(Uint8Array.from([0x80, 9, 0x4e, 0x2e]), ctx), paddle.errors.UnimplementedError, /protocol 9/);
  assertThrows(() => unpickle(Uint8Array.from([0x80, 5, 0x97, 0x2e]), ctx), paddle.errors.UnimplementedError, /out-of-band/, /offset 2/);
  assertThrows(() => unpickle(Uint8Array.from([0x80, 2, 0x68, 5, 0x2e]), ctx), paddle.errors.InvalidArgumentError, /memo entry 5/);
});

test('errors: classes outside the supported set are refused, never run', { skip: SKIP_PY }, () => {
  const out = JSON.parse(python(`
import pickle, json, base64, sys, os, datetime, numpy as np
class P:
    def __reduce__(self): return (os.system, ('echo pwned',))
sys.stdout.write(json.dumps({
  'os': base64.b64encode(pickle.dumps({'x': P()}, protocol=2)).decode(),
  'date': base64.b64encode(pickle.dumps(datetime.date(2021, 1, 1), protocol=4)).decode(),
  'obj': base64.b64encode(pickle.dumps(np.array([1, 'a'], dtype=object), protocol=2)).decode(),
  'rec': base64.b64encode(pickle.dumps(np.zeros(2, dtype=[('a', 'f4'), ('b', 'i4')]), protocol=2)).decode(),
  'str': base64.b64encode(pickle.dumps(np.array(['ab']), protocol=2)).decode(),
  'mat': base64.b64encode(pickle.dumps(np.matrix([[1, 2]]), protocol=2)).decode(),
}))
`)) as Record<string, string>;
  const read = (k: string) => () => unpickle(Buffer.from(out[k], 'base64'), ctx);
  assertThrows(read('os'), paddle.errors.UnimplementedError, /'(posix|os|nt)\.system'/, /at byte offset \d+/);
  assertThrows(read('date'), paddle.errors.UnimplementedError, /'datetime\.date'/);
  assertThrows(read('obj'), paddle.errors.UnimplementedError, /Python objects|dtype 'O/);
  assertThrows(read('rec'), paddle.errors.UnimplementedError, /structured|dtype 'V/);
  assertThrows(read('str'), paddle.errors.UnimplementedError, /dtype 'U/);
  assertThrows(read('mat'), paddle.errors.UnimplementedError, /'numpy\.matrix'|only numpy\.ndarray/);
});

test('writer errors: cycles and values Python has no form for', () => {
  const a: unknown[] = [];
  a.push(a);
  assertThrows(() => pickle(a, 2, 'paddle.save'), paddle.errors.InvalidArgumentError, /paddle\.save: .*reference cycle/);
  assertThrows(() => pickle(() => 1, 2, 'paddle.save'), paddle.errors.InvalidArgumentError, /cannot pickle a function/);
  assertThrows(() => pickle(new Date(), 4, 'paddle.save'), paddle.errors.InvalidArgumentError, /cannot pickle a Date/);
});
