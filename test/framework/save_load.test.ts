// paddle.save / paddle.load: real Paddle .pdparams files, files Python writes, files Python
// reads, round trips, and the errors.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { tensorFromData } from '../../src/core/convert.js';
import { unpackSavedDict } from '../../src/framework/io.js';
import { NDArray, concatChunks, pickle } from '../../src/framework/pickle.js';
import { assertThrows } from '../helpers/assert.js';
import { python3, SKIP_PY3_NUMPY } from '../helpers/python.js';

const SKIP_PY = SKIP_PY3_NUMPY;
const MODELS = fileURLToPath(new URL('../../../shared/paddle-models/pdparams/', import.meta.url));
const SKIP_MODELS = fs.existsSync(MODELS) ? false : `${MODELS} is missing: skipping the real Paddle files`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paddle-ts-save-load-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const file = (name: string) => path.join(tmp, name);

const python = (code: string, ...args: string[]): string => python3(code, { args });

// Canonical forms both sides compute (tuples read as lists, as paddle.load gives them).
const PY_CANON = String.raw`
import numpy as np, struct, json, sys, pickle, collections
def fhex(v): return struct.pack('>d', v).hex()
def canon(v):
    if v is None: return None
    if isinstance(v, (bool, np.bool_)): return ['bool', bool(v)]
    if isinstance(v, (int, np.integer)): return ['int', str(int(v))]
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if v == v and abs(v) <= 2**53 - 1 and v.is_integer(): return ['int', str(int(v))]
        return ['float', fhex(v)]
    if isinstance(v, str): return ['str', v]
    if isinstance(v, np.ndarray):
        a = v.astype(v.dtype.newbyteorder('<'), order='C')
        return ['nd', a.dtype.str[1:], list(a.shape), a.tobytes().hex()]
    if isinstance(v, (tuple, list)): return ['list', [canon(x) for x in v]]
    if isinstance(v, dict): return ['dict', [[canon(k), canon(x)] for k, x in v.items()]]
    raise TypeError(type(v))
`;

const NP: Record<string, string> = {
  bool: 'b1', uint8: 'u1', int8: 'i1', int16: 'i2', int32: 'i4', int64: 'i8', float16: 'f2', float32: 'f4', float64: 'f8', complex64: 'c8', complex128: 'c16',
};
const bytesOf = (t: Tensor) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
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
  if (v instanceof Tensor) return ['nd', NP[v.dtype], v.shape, hex(bytesOf(v))];
  if (Array.isArray(v)) return ['list', v.map(canon)];
  return ['dict', Object.entries(v as object).map(([k, x]) => [canon(k), canon(x)])];
}

// Tensors of every dtype, with values that need exact storage.
function tensors(): Record<string, Tensor> {
  const r = (n: number, s: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + s) * 43758.5453 % 1);
  const out: Record<string, Tensor> = {
    'fc.weight': tensorFromData([r(4, 1), r(4, 2), r(4, 3)], 'float32', 'test'),
    'fc.bias': tensorFromData(r(4, 4), 'float32', 'test'),
    emb: new Tensor(new BigInt64Array([2n ** 62n + 1n, -(2n ** 63n), 9007199254740993n, -1n, 0n, 2n ** 63n - 1n]), [2, 3], 'int64'),
    half: tensorFromData([0.1, -65504, 6e-8, Infinity, -0, 1.5], 'float16', 'test'),
    mask: tensorFromData([[true, false], [false, true]], 'bool', 'test'),
    dbl: tensorFromData([1 / 3, -1e-310, 1e300, NaN], 'float64', 'test'),
    cplx: tensorFromData([{ real: 1, imag: -2 }, { real: 0.5, imag: 1e-3 }], 'complex64', 'test'),
    cplx2: tensorFromData([[{ real: 1e-300, imag: 3 }]], 'complex128', 'test'),
    i32: tensorFromData([-(2 ** 31), 2 ** 31 - 1], 'int32', 'test'),
    i16: tensorFromData([-32768, 32767], 'int16', 'test'),
    i8: tensorFromData([-128, 127], 'int8', 'test'),
    u8: tensorFromData([0, 255], 'uint8', 'test'),
    empty: new Tensor(new Float32Array(0), [2, 0, 3], 'float32'),
  };
  for (const [k, t] of Object.entries(out)) t.name = `${k.replace('.', '_')}.w_0`;
  return out;
}

// ---------------------------------------------------------------------------------------
// (1) real Paddle files

const REAL: Record<string, { protocol: number; shapes: Record<string, number[]>; count?: number; names?: RegExp }> = {
  'mnist-mlp-sequential.pdparams': { protocol: 2, shapes: { '1.weight': [784, 512], '1.bias': [512], '4.weight': [512, 10], '4.bias': [10] }, count: 4, names: /^linear_\d+\.[wb]_0$/ },
  'energy-resmlp-bn.pdparams': { protocol: 4, shapes: { 'first_layer.weight': [8, 128], 'blocks.0.normalization._mean': [128], 'blocks.1.normalization._variance': [128], 'head.linear.weight': [128, 1], 'head.linear.bias': [1] }, count: 24 },
  'nndl-lenet5-mnist.pdparams': { protocol: 4, shapes: { 'conv1.weight': [6, 1, 5, 5], 'conv1.bias': [6, 1], 'conv3.bias': [16, 1], 'conv5.bias': [120, 1], 'linear7.weight': [84, 10] }, count: 10 },
  'nndl-cnn-bn-mnist.pdparams': { protocol: 4, shapes: { 'conv1.weight': [20, 1, 5, 5], 'fc.weight': [980, 10], 'batch_norm2._variance': [20] }, count: 14 },
  'nndl-softmax-iris.pdparams': { protocol: 4, shapes: { W: [4, 3], b: [3] }, count: 2, names: /^eager_tmp_\d+$/ },
  'nndl-mlp-iris.pdparams': { protocol: 4, shapes: { 'fc1.weight': [4, 6], 'fc1.bias': [6], 'fc2.weight': [6, 3], 'fc2.bias': [3] }, count: 4 },
  'nndl-mlp5-relu.pdparams': { protocol: 4, shapes: { 'fc1.weight': [2, 3], 'fc2.weight': [3, 3], 'fc4.bias': [3], 'fc5.weight': [3, 1], 'fc5.bias': [1] }, count: 10 },
  'linty5-mnist.pdparams': { protocol: 4, shapes: { 'fc.weight': [784, 1], 'fc.bias': [1] }, count: 2, names: /^linear_0\.[wb]_0$/ },
};

test('loads every real Paddle .pdparams file: keys, shapes, dtypes, names as the README records', { skip: SKIP_MODELS }, () => {
  const files = fs.readdirSync(MODELS).filter((f) => f.endsWith('.pdparams')).sort();
  assert.deepEqual(files, Object.keys(REAL).sort());
  for (const f of files) {
    const exp = REAL[f];
    assert.equal(fs.readFileSync(path.join(MODELS, f))[1], exp.protocol, `${f}: pickle protocol`);
    const sd = paddle.load(path.join(MODELS, f)) as Record<string, Tensor>;
    assert.equal(Object.keys(sd).length, exp.count, `${f}: number of tensors`);
    assert.ok(!('StructuredToParameterName@@' in sd));
    for (const [k, shape] of Object.entries(exp.shapes)) {
      assert.ok(sd[k] instanceof Tensor, `${f}: ${k}`);
      assert.deepEqual(sd[k].shape, shape, `${f}: ${k} shape`);
    }
    for (const [k, t] of Object.entries(sd)) {
      assert.equal(t.dtype, 'float32', `${f}: ${k}`);
      assert.equal(t.stop_gradient, true);
      if (exp.names) assert.match(t.name, exp.names, `${f}: ${k} name`);
    }
    const withTable = paddle.load(path.join(MODELS, f), { keep_name_table: true }) as Record<string, unknown>;
    const table = withTable['StructuredToParameterName@@'] as Record<string, string>;
    assert.deepEqual(Object.keys(table), Object.keys(sd));
    for (const [k, n] of Object.entries(table)) assert.equal(sd[k].name, n);
  }
  // Batch-norm statistics are real trained values: variances are positive
  const bn = paddle.load(path.join(MODELS, 'energy-resmlp-bn.pdparams')) as Record<string, Tensor>;
  assert.ok((bn['blocks.0.normalization._variance'].numpy() as Float32Array).every((v) => v > 0));
});

test('real Paddle files: every value equals what Python + NumPy read', { skip: SKIP_MODELS || SKIP_PY }, () => {
  const py = JSON.parse(python(`
import pickle, json, sys, os, hashlib
d = sys.argv[1]
out = {}
for f in sorted(os.listdir(d)):
    obj = pickle.load(open(os.path.join(d, f), 'rb'), encoding='latin1')
    out[f] = {k: [v.dtype.str, list(v.shape), hashlib.sha256(v.tobytes()).hexdigest(), [float(x) for x in v.ravel()[:3]]]
              for k, v in obj.items() if k != 'StructuredToParameterName@@'}
    out[f]['@names'] = obj['StructuredToParameterName@@']
print(json.dumps(out))
`, MODELS)) as Record<string, Record<string, unknown>>;
  for (const [f, entries] of Object.entries(py)) {
    const sd = paddle.load(path.join(MODELS, f)) as Record<string, Tensor>;
    const { '@names': names, ...arrays } = entries;
    assert.deepEqual(Object.keys(sd), Object.keys(arrays), `${f}: key order`);
    for (const [k, [dt, shape, sha, first]] of Object.entries(arrays as Record<string, [string, number[], string, number[]]>)) {
      const t = sd[k];
      assert.equal(`<${NP[t.dtype]}`, dt);
      assert.deepEqual(t.shape, shape);
      assert.equal(createHash('sha256').update(bytesOf(t)).digest('hex'), sha, `${f}: ${k} bytes`);
      assert.deepEqual([...(t.numpy() as Float32Array).subarray(0, 3)], first);
      assert.equal(t.name, (names as Record<string, string>)[k]);
    }
  }
});

// ---------------------------------------------------------------------------------------
// (2) saved here, read by Python

test('saved here, Python pickle.load reads every value exactly (protocols 2, 3, 4)', { skip: SKIP_PY }, () => {
  const sd = tensors();
  const names = Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.name]));
  const nested = {
    model: sd,
    opt: { LR_Scheduler: { last_epoch: 3, last_lr: 0.001 }, moment: [sd['fc.bias'], sd.emb] },
    epoch: 100,
    tags: ['a', null, true, 2.5, 2n ** 70n, 'ü✓'],
    grid: [[sd.half, sd.mask]],
  };
  const cases: [string, unknown, unknown, Record<string, unknown>][] = [
    ['state dict', sd, { ...sd, 'StructuredToParameterName@@': names }, {}],
    ['nested', nested, nested, {}],
    ['tensor', sd.emb, sd.emb, {}],
    ['list', [sd.dbl, 1, 'x'], [sd.dbl, 1, 'x'], {}],
  ];
  for (const protocol of [2, 3, 4])
    for (const [label, obj, expected] of cases) {
      const p = file(`py-${label.replace(' ', '_')}-${protocol}.pdparams`);
      if (protocol === 3) paddle.save(obj, p, { pickle_protocol: 3 });
      else paddle.save(obj, p, protocol);
      assert.equal(fs.readFileSync(p)[1], protocol);
      const got = JSON.parse(python(`${PY_CANON}
v = pickle.load(open(sys.argv[1], 'rb'))
sys.stdout.write(json.dumps(canon(v)))
`, p));
      assert.deepEqual(got, canon(expected), `${label}, protocol ${protocol}`);
    }
});

test('saved here with protocol 2: Python sees numpy dtypes and Paddle 2.0 state-dict layout', { skip: SKIP_PY }, () => {
  const sd = tensors();
  const p = file('layout.pdparams');
  paddle.save(sd, p);
  const out = python(`
import pickle, sys
v = pickle.load(open(sys.argv[1], 'rb'))
print(list(v.keys())[-1])
print(' '.join(f'{k}:{a.dtype}:{a.shape}:{a.flags.c_contiguous}' for k, a in v.items() if k != 'StructuredToParameterName@@'))
print(v['emb'].tolist(), v['half'].tolist())
`, p);
  const [last, dtypes, values] = out.trim().split('\n');
  assert.equal(last, 'StructuredToParameterName@@');
  assert.match(dtypes, /fc\.weight:float32:\(3, 4\):True/);
  assert.match(dtypes, /emb:int64:\(2, 3\):True/);
  assert.match(dtypes, /half:float16:\(6,\):True mask:bool:\(2, 2\):True dbl:float64/);
  assert.match(dtypes, /cplx:complex64:\(2,\):True cplx2:complex128:\(1, 1\):True i32:int32/);
  assert.match(dtypes, /i16:int16:\(2,\):True i8:int8:\(2,\):True u8:uint8:\(2,\):True empty:float32:\(2, 0, 3\):True/);
  assert.equal(values, '[[4611686018427387905, -9223372036854775808, 9007199254740993], [-1, 0, 9223372036854775807]] [0.0999755859375, -65504.0, 5.960464477539063e-08, inf, -0.0, 1.5]');
});

// ---------------------------------------------------------------------------------------
// (3) written by Python, loaded here

test('Python-written pickles (protocols 2 to 5) load here exactly', { skip: SKIP_PY }, () => {
  const out = JSON.parse(python(`${PY_CANON}
rs = np.random.RandomState(7)
d = sys.argv[1]
objs = {
  'plain': {'w': rs.randn(3, 5).astype('float32'), 'b': np.zeros(5, 'float32'), 'steps': np.array([2**60 + 3, -5], 'int64'),
            'h': np.array([0.5, -2.25], 'float16'), 'ok': np.array([True, False]), 'd': rs.randn(2, 2),
            'c': np.array([1 - 1j], 'complex64'), 'i': np.arange(6, dtype='int32').reshape(1, 2, 3), 'u': np.array([7], 'uint8'),
            'k': np.array([-1], 'int8'), 's': np.array([300], 'int16'), 'f': np.asfortranarray(rs.randn(3, 4)),
            'big': rs.randn(300, 100).astype('float32')},
  'nested': {'model': collections.OrderedDict([('fc.weight', rs.randn(2, 2).astype('float32'))]),
             'opt': {'LR_Scheduler': {'last_epoch': 4, 'last_lr': 0.1}, 'beta1_pow': np.array([0.9], 'float32')},
             'epoch': 3, 'hist': [1.5, None, 'x', True, (1, 2)], 'ü': 'unicode key'},
  'list': [np.arange(3, dtype='int64'), [np.ones((1, 2), 'float64')], 7],
  'tensor': np.arange(4, dtype='float32'),
}
res = {}
for name, obj in objs.items():
    for proto in (2, 3, 4, 5):
        p = f'{d}/{name}-{proto}.pdparams'
        with open(p, 'wb') as f: pickle.dump(obj, f, protocol=proto)
    res[name] = canon(obj)
print(json.dumps(res))
`, tmp)) as Record<string, unknown>;
  for (const [name, exp] of Object.entries(out))
    for (const proto of [2, 3, 4, 5]) {
      const v = paddle.load(file(`${name}-${proto}.pdparams`));
      assert.deepEqual(canon(v), exp, `${name}, protocol ${proto}`);
    }
  const plain = paddle.load(file('plain-2.pdparams')) as Record<string, Tensor>;
  assert.ok(plain.w instanceof Tensor && plain.w.dtype === 'float32');
  assert.equal((plain.steps.numpy() as BigInt64Array)[0], 2n ** 60n + 3n);
});

test('Python-written Paddle forms: name table, 2.1 (name, ndarray) tuples, LoDTensor eval form, split big params', { skip: SKIP_PY }, () => {
  python(`
import pickle, sys, numpy as np
d = sys.argv[1]
w = np.arange(6, dtype='float32').reshape(2, 3)
sd = {'fc.weight': w, 'fc.bias': np.ones(3, 'float32'), 'StructuredToParameterName@@': {'fc.weight': 'linear_3.w_0', 'fc.bias': 'linear_3.b_0'}}
pickle.dump(sd, open(f'{d}/table.pdparams', 'wb'), protocol=2)
# Paddle >= 2.1 pickles a Tensor outside a state dict as (name, ndarray)
pickle.dump({'model': {'w': ('linear_9.w_0', w)}, 'epoch': 2}, open(f'{d}/tuples.pdparams', 'wb'), protocol=4)
pickle.dump(('eager_tmp_1', w), open(f'{d}/tensor21.pdtensor', 'wb'), protocol=4)
# ... and a static-mode LoDTensor as eval('data', {'data': ndarray})
class LoD:
    def __reduce__(self): return (eval, ('data', {'data': w}))
pickle.dump({'x': LoD()}, open(f'{d}/lod.pdparams', 'wb'), protocol=4)
# Paddle's _unpack_saved_dict with protocol 2 splits big arrays; here with a tiny limit
big = np.arange(10, dtype='float64').reshape(2, 5)
flat = big.flatten()
split = {'small': w, 'StructuredToParameterName@@': {'small': 's', 'big': 'b'},
         'big@@.0': flat[:4], 'big@@.1': flat[4:8], 'big@@.2': flat[8:],
         'UnpackBigParamInfor@@': {'big': {'OriginShape': (2, 5), 'slices': ['big@@.0', 'big@@.1', 'big@@.2']}}}
pickle.dump(split, open(f'{d}/split.pdparams', 'wb'), protocol=2)
pickle.dump({'u16': np.array([65535], 'uint16'), 'u32': np.array([2**32 - 1], 'uint32')}, open(f'{d}/unsigned.pdparams', 'wb'), protocol=2)
pickle.dump({'u64': np.array([1], 'uint64')}, open(f'{d}/u64.pdparams', 'wb'), protocol=4)
`, tmp);
  const sd = paddle.load(file('table.pdparams')) as Record<string, Tensor>;
  assert.deepEqual(Object.keys(sd), ['fc.weight', 'fc.bias']);
  assert.equal(sd['fc.weight'].name, 'linear_3.w_0');
  assert.deepEqual(sd['fc.weight'].tolist(), [[0, 1, 2], [3, 4, 5]]);
  const kept = paddle.load(file('table.pdparams'), { keep_name_table: true }) as Record<string, unknown>;
  assert.deepEqual(kept['StructuredToParameterName@@'], { 'fc.weight': 'linear_3.w_0', 'fc.bias': 'linear_3.b_0' });

  const tup = paddle.load(file('tuples.pdparams')) as { model: { w: Tensor }; epoch: number };
  assert.ok(tup.model.w instanceof Tensor);
  assert.equal(tup.model.w.name, 'linear_9.w_0');
  assert.equal(tup.epoch, 2);
  const t21 = paddle.load(file('tensor21.pdtensor')) as Tensor;
  assert.ok(t21 instanceof Tensor);
  assert.equal(t21.name, 'eager_tmp_1');
  assert.deepEqual(t21.shape, [2, 3]);
  assert.deepEqual((paddle.load(file('lod.pdparams')) as { x: Tensor }).x.tolist(), [[0, 1, 2], [3, 4, 5]]);

  const split = paddle.load(file('split.pdparams')) as Record<string, Tensor>;
  assert.deepEqual(Object.keys(split), ['small', 'big']);
  assert.deepEqual(split.big.shape, [2, 5]);
  assert.equal(split.big.dtype, 'float64');
  assert.deepEqual(split.big.tolist(), [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
  assert.equal(split.big.name, 'b');

  // unsigned NumPy types Paddle lacks: uint16/uint32 widen exactly, uint64 is refused
  const u = paddle.load(file('unsigned.pdparams')) as Record<string, Tensor>;
  assert.equal(u.u16.dtype, 'int32');
  assert.deepEqual(u.u16.tolist(), [65535]);
  assert.equal(u.u32.dtype, 'int64');
  assert.deepEqual(u.u32.tolist(), [4294967295]);
  assertThrows(() => paddle.load(file('u64.pdparams')), paddle.errors.UnimplementedError, /paddle\.load: '.*u64\.pdparams' holds a NumPy array of dtype 'u8'/);
});

test('protocol 2/3 split of big arrays matches Paddle _unpack_saved_dict / _pack_loaded_dict', { skip: SKIP_PY }, () => {
  const data = new Float64Array(10).map((_, i) => i * 1.5);
  const m = new Map<unknown, unknown>([
    ['big', new NDArray('f8', [2, 5], new Uint8Array(data.buffer))],
    ['small', new NDArray('f8', [2], new Uint8Array(new Float64Array([7, 8]).buffer))],
  ]);
  unpackSavedDict(m, 2, 4 * 8 + 3); // at most 4 elements per part
  assert.deepEqual([...m.keys()], ['small', 'big@@.0', 'big@@.1', 'big@@.2', 'UnpackBigParamInfor@@']);
  const p = file('split-here.pdparams');
  fs.writeFileSync(p, concatChunks(pickle(m, 2)));
  // Paddle's own _pack_loaded_dict logic, in Python
  const out = python(`
import pickle, sys, numpy as np
load_obj = pickle.load(open(sys.argv[1], 'rb'), encoding='latin1')
unpack_info = 'UnpackBigParamInfor@@'
removes = []
for key, value in load_obj[unpack_info].items():
    slices = [load_obj[part] for part in value['slices']]
    load_obj[key] = np.concatenate(slices).reshape(value['OriginShape'])
    removes += value['slices']
for key in removes: load_obj.pop(key)
load_obj.pop(unpack_info)
print(list(load_obj.keys()), load_obj['big'].tolist())
`, p);
  assert.equal(out.trim(), "['small', 'big'] [[0.0, 1.5, 3.0, 4.5, 6.0], [7.5, 9.0, 10.5, 12.0, 13.5]]");
  const back = paddle.load(p) as Record<string, Tensor>;
  assert.deepEqual(back.big.tolist(), [[0, 1.5, 3, 4.5, 6], [7.5, 9, 10.5, 12, 13.5]]);
  // protocol 4 never splits
  const m4 = new Map<unknown, unknown>([['big', new NDArray('f8', [2, 5], new Uint8Array(data.buffer))]]);
  assert.deepEqual([...unpackSavedDict(m4, 4, 8).keys()], ['big']);
});

// ---------------------------------------------------------------------------------------
// (4) round trips here

test('round trip here: every dtype, shape and nesting, protocols 2, 3, 4', () => {
  const sd = tensors();
  const big = new Tensor(new Float32Array(1 << 20).map((_, i) => Math.sin(i)), [1024, 1024], 'float32');
  const obj = {
    model: { ...sd, big },
    'ключ ✓': [1, 2.5, -3n * 2n ** 60n, 'x', null, false, [sd.mask]],
    __proto__x: 'p',
    '10': 'integer-like key',
  };
  for (const protocol of [2, 3, 4]) {
    const p = file(`rt-${protocol}.pdparams`);
    paddle.save(obj, p, { protocol });
    const back = paddle.load(p) as typeof obj;
    assert.deepEqual(canon(back), canon(obj), `protocol ${protocol}`);
    assert.deepEqual(Object.keys(back.model), Object.keys(obj.model));
    for (const [k, t] of Object.entries(back.model)) {
      assert.equal(t.dtype, (obj.model as Record<string, Tensor>)[k].dtype);
      assert.notEqual(t.data, (obj.model as Record<string, Tensor>)[k].data);
    }
    // a state dict keeps the tensors' names
    paddle.save(sd, p, protocol);
    const back2 = paddle.load(p) as Record<string, Tensor>;
    for (const [k, t] of Object.entries(back2)) assert.equal(t.name, sd[k].name);
    assert.deepEqual(canon(back2), canon(sd));
  }
  // a top-level Tensor and a list
  paddle.save(sd.emb, file('t.pdtensor'));
  const t = paddle.load(file('t.pdtensor')) as Tensor;
  assert.deepEqual(canon(t), canon(sd.emb));
  paddle.save([sd.half, { a: sd.cplx }], file('l.pdparams'), 4);
  assert.deepEqual(canon(paddle.load(file('l.pdparams'))), canon([sd.half, { a: sd.cplx }]));
  // the same tensor twice is saved once (memo) and loads as two independent tensors
  paddle.save({ a: sd.dbl, b: sd.dbl, c: 1 }, file('shared.pdparams'));
  const sh = paddle.load(file('shared.pdparams')) as { a: Tensor; b: Tensor };
  assert.notEqual(sh.a.data.buffer, sh.b.data.buffer);
  assert.deepEqual(canon(sh.b), canon(sd.dbl));
  // a key named __proto__ is an ordinary key
  fs.writeFileSync(file('proto.pdparams'), concatChunks(pickle(new Map([['__proto__', 1]]), 2)));
  const pr = paddle.load(file('proto.pdparams')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(pr), ['__proto__']);
  assert.equal(Object.getPrototypeOf(pr), Object.prototype);
  // saving into a directory that does not exist creates it
  paddle.save(sd, file('a/b/c/model.pdparams'));
  assert.ok(fs.existsSync(file('a/b/c/model.pdparams')));
  // a 0-D NumPy array loads as shape [1] (Paddle 2.0 has no 0-D tensors); typed arrays save as 1-D arrays
  fs.writeFileSync(file('zero_d.pdparams'), concatChunks(pickle(new NDArray('f8', [], new Uint8Array(new Float64Array([2.5]).buffer)), 4)));
  assert.deepEqual((paddle.load(file('zero_d.pdparams')) as Tensor).shape, [1]);
  paddle.save({ v: new Float64Array([1, 2]), i: new BigInt64Array([5n]) }, file('typed.pdparams'));
  const ty = paddle.load(file('typed.pdparams')) as { v: Tensor; i: Tensor };
  assert.equal(ty.v.dtype, 'float64');
  assert.equal(ty.i.dtype, 'int64');
});

test('loaded tensors work with paddle ops', () => {
  const w = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32' });
  paddle.save({ w }, file('ops.pdparams'));
  const back = (paddle.load(file('ops.pdparams')) as { w: Tensor }).w;
  assert.deepEqual(paddle.add(back, back).tolist(), [[2, 4], [6, 8]]);
});

// ---------------------------------------------------------------------------------------
// (5) errors

test('errors: truncated file, missing path, directory, empty file', () => {
  const p = file('trunc.pdparams');
  paddle.save(tensors(), p);
  const full = fs.readFileSync(p);
  for (const keep of [1, 2, 10, 100, full.length >> 1, full.length - 1]) {
    fs.writeFileSync(p, full.subarray(0, keep));
    assertThrows(() => paddle.load(p), paddle.errors.InvalidArgumentError, /^paddle\.load: /, new RegExp(`'${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`), /byte offset \d+/);
  }
  fs.writeFileSync(p, '');
  assertThrows(() => paddle.load(p), paddle.errors.InvalidArgumentError, /paddle\.load: .*is empty/);
  fs.writeFileSync(p, 'not a pickle at all');
  assertThrows(() => paddle.load(p), paddle.errors.InvalidArgumentError, /paddle\.load: .*unknown pickle opcode/, /byte offset 0/);
  const missing = file('nope/missing.pdparams');
  assertThrows(() => paddle.load(missing), paddle.errors.NotFoundError, /paddle\.load: the path '.*nope\/missing\.pdparams' does not exist/);
  paddle.save({ w: paddle.to_tensor([1]) }, file('prefix.pdparams'));
  assertThrows(() => paddle.load(file('prefix')), paddle.errors.NotFoundError, /give the full file name, e\.g\. paddle\.load\('.*prefix\.pdparams'\)/);
  assertThrows(() => paddle.load(tmp), paddle.errors.UnimplementedError, /is a directory/);
  assertThrows(() => paddle.load(p, { bogus: 1 } as never), paddle.errors.InvalidArgumentError, /unexpected keyword argument 'bogus'/);
});

test('errors: what save refuses', () => {
  const p = file('bad.pdparams');
  const w = paddle.to_tensor([1, 2]);
  assertThrows(() => paddle.save({ w }, p, 5), paddle.errors.InvalidArgumentError, /paddle\.save: argument 'protocol' expected 1 < protocol < 5, but got 5/);
  assertThrows(() => paddle.save({ w }, p, { pickle_protocol: 1 }), paddle.errors.InvalidArgumentError, /got 1/);
  assertThrows(() => paddle.save({ w }, file('dir/')), paddle.errors.InvalidArgumentError, /empty file name/);
  assertThrows(() => paddle.save({ a: { b: undefined } }, p), paddle.errors.InvalidArgumentError, /obj\['a'\]\['b'\] is undefined/);
  assertThrows(() => paddle.save({ f: () => 1 }, p), paddle.errors.InvalidArgumentError, /obj\['f'\] is a function/);
  class Linear { weight = w; }
  assertThrows(() => paddle.save({ net: [new Linear()] }, p), paddle.errors.InvalidArgumentError, /obj\['net'\]\[0\] is a Linear, which cannot be saved/);
  assertThrows(() => paddle.save({ h: new Uint16Array(2) }, p), paddle.errors.InvalidArgumentError, /Uint16Array, which cannot be saved/);
  const cyc: Record<string, unknown> = { w };
  cyc.self = cyc;
  assertThrows(() => paddle.save(cyc, p), paddle.errors.InvalidArgumentError, /reference cycle/);
  assertThrows(() => paddle.save(new Tensor(new Float32Array(0), [-1, 3], 'float32'), p), paddle.errors.InvalidArgumentError, /without data/);
  assertThrows(() => (paddle.save as unknown as (...a: unknown[]) => void)({ w }), paddle.errors.InvalidArgumentError, /missing required argument 'path'/);
  assert.ok(!fs.existsSync(p), 'nothing is written when save fails');
});
