// Paddle's own model files: programs and parameters written by real Paddle (../shared/paddle-models)
// load and run here; files written here load in an independent Python reader, and files that
// reader writes load here.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { decodeProgram, encodeProgram } from '../../src/static/serialize.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { pythonWith, runPython } from '../helpers/python.js';

const models = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'paddle-models');
const helpers = resolve(import.meta.dirname, '..', 'helpers');
const py = (body: string) => `import sys, json\nsys.path.insert(0, ${JSON.stringify(helpers)})\nimport numpy as np\nfrom paddle_proto import *\n${body}`;
const needPy = () => (pythonWith('numpy', 'google.protobuf') ? false : 'python3 with numpy and protobuf is not installed (.ci/run installs python3-numpy python3-protobuf)');

function runModel(dir: string, feed: Record<string, unknown>, opts: { model_filename?: string; params_filename?: string } = {}) {
  const exe = new paddle.static.Executor(new paddle.CPUPlace());
  const scope = new paddle.static.Scope();
  return paddle.static.scope_guard(scope, () => {
    const [prog, feeds, fetches] = paddle.static.load_inference_model(join(models, dir), exe, opts);
    return { feeds, out: exe.run(prog, { feed, fetch_list: fetches }), prog };
  });
}

test('uci-housing fit_a_line (Paddle 1.7 __model__ + per-variable files) gives the output Paddle Serving recorded', () => {
  const x = [[0.0137, -0.1136, 0.2553, -0.0692, 0.0582, -0.0727, -0.1583, -0.0584, 0.6283, 0.4919, 0.1856, 0.0795, -0.0332]];
  const { feeds, out } = runModel('uci-housing-fit-a-line/model', { x });
  assert.deepEqual(feeds, ['x']);
  assert.deepEqual(out[0].shape, [1, 1]);
  // recorded: {"price": [[18.901151657104492]]}
  assert.equal((out[0].tolist() as number[][])[0][0], Math.fround(18.901151657104492));
});

test('fit_a_line from 2018 (no version field) loads and runs', () => {
  const x = [[0.0137, -0.1136, 0.2553, -0.0692, 0.0582, -0.0727, -0.1583, -0.0584, 0.6283, 0.4919, 0.1856, 0.0795, -0.0332]];
  const { out } = runModel('fit-a-line-2018/model', { x });
  assertClose(out[0], [[15.577298]], 1e-6);
});

test('mnist MLP (Paddle 2.1) matches a NumPy forward pass over the same files', { skip: needPy() }, () => {
  paddle.seed(7);
  const x = paddle.rand([2, 1, 28, 28]);
  const { out } = runModel('mnist-mlp-fluid/model', { image: x });
  const expected = JSON.parse(runPython(py(`
d = ${JSON.stringify(join(models, 'mnist-mlp-fluid/model'))}
p = {n: read_tensor(open(d + '/' + n, 'rb').read())[0] for n in ['fc_0.w_0','fc_0.b_0','fc_1.w_0','fc_1.b_0','fc_2.w_0','fc_2.b_0']}
x = np.array(json.loads(sys.stdin.read()), dtype=np.float32).reshape(2, 784)
h = np.maximum(x @ p['fc_0.w_0'] + p['fc_0.b_0'], 0)
h = np.maximum(h @ p['fc_1.w_0'] + p['fc_1.b_0'], 0)
z = h @ p['fc_2.w_0'] + p['fc_2.b_0']
e = np.exp(z - z.max(1, keepdims=True)); print(json.dumps((e / e.sum(1, keepdims=True)).tolist()))
`), ['numpy', 'google.protobuf'], JSON.stringify(Array.from(x.numpy() as Float32Array))));
  assert.deepEqual(out[0].shape, [2, 10]);
  assertClose(out[0], expected, 1e-4, 1e-6);
});

test('every real program decodes with the operators its README lists', () => {
  const cases: [string, number, Record<string, number>][] = [
    ['ppyolo-tiny-trash/model/model.pdmodel', 2004000, { conv2d: 62, depthwise_conv2d: 21, batch_norm: 64, yolo_box: 3, multiclass_nms3: 1 }],
    ['resnet-cifar10-2018/model/__model__', 0, { conv2d: 33, batch_norm: 33, relu: 31, elementwise_add: 16 }],
    ['gesture-rec-paddlejs/model/__model__', 1006003, { batch_norm: 53, relu6: 36, depthwise_conv2d: 17 }],
    ['ocr-det-db-mv3/model/__model__', 1008001, { conv2d_transpose: 4, hard_swish: 20, nearest_interp: 6 }],
    ['blazeface/model/__model__', 0, { prior_box: 2, box_coder: 1, multiclass_nms: 1, reshape2: 8 }],
    ['text-classification-lstm/model/__model__', 0, { lookup_table: 1, lstm: 1, sequence_pool: 1, mul: 3 }],
    ['mobilenetv1-conv1-bn/model/model.pdmodel', 2002002, { conv2d: 1, batch_norm: 1, relu: 1 }],
  ];
  for (const [file, version, ops] of cases) {
    const prog = decodeProgram(readFileSync(join(models, file)), file);
    assert.equal((prog as unknown as { _version: number })._version, version, file);
    const counts: Record<string, number> = {};
    for (const o of prog.global_block().ops) counts[o.type] = (counts[o.type] ?? 0) + 1;
    for (const [k, n] of Object.entries(ops)) assert.equal(counts[k], n, `${file}: ${k}`);
  }
  const lstm = decodeProgram(readFileSync(join(models, 'text-classification-lstm/model/__model__')));
  const words = lstm.global_block().var('words');
  assert.equal(words.lod_level, 1);
  assert.equal(words.dtype, 'int64');
});

test('PP-YOLO tiny combined .pdiparams: 358 tensors, 1,024,344 floats, in sorted-name order', () => {
  const prog = decodeProgram(readFileSync(join(models, 'ppyolo-tiny-trash/model/model.pdmodel')));
  const scope = new paddle.static.Scope();
  paddle.static.deserialize_persistables(prog, new Uint8Array(readFileSync(join(models, 'ppyolo-tiny-trash/model/model.pdiparams'))), new paddle.static.Executor(), { scope });
  const names = scope.local_var_names();
  assert.equal(names.length, 358);
  const total = names.reduce((a, n) => a + (scope.find_var(n) as paddle.Tensor).size, 0);
  assert.equal(total, 1024344);
});

test('decode -> encode -> decode keeps blocks, variables, operators and attributes', () => {
  for (const file of ['mnist-mlp-fluid/model/__model__', 'blazeface/model/__model__', 'ppyolo-tiny-trash/model/model.pdmodel']) {
    const a = decodeProgram(readFileSync(join(models, file)));
    const b = decodeProgram(encodeProgram(a));
    const ba = a.global_block();
    const bb = b.global_block();
    assert.deepEqual([...bb.vars.keys()].sort(), [...ba.vars.keys()].sort(), file);
    for (const [n, v] of ba.vars) {
      const w = bb.var(n);
      assert.deepEqual([w.dims, w.dtype, w.persistable, w.lod_level, w.type], [v.dims, v.dtype, v.persistable, v.lod_level, v.type], `${file}: ${n}`);
    }
    assert.equal(bb.ops.length, ba.ops.length);
    ba.ops.forEach((op, i) => {
      const o = bb.ops[i];
      assert.equal(o.type, op.type);
      assert.deepEqual(o.inputs, op.inputs);
      assert.deepEqual(o.outputs, op.outputs);
      assert.deepEqual(o.attrs, op.attrs, `${file}: attrs of op ${i} (${op.type})`);
    });
  }
});

test('an inference model saved here reads field by field in an independent Python reader', { skip: needPy() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-infer-'));
  try {
    paddle.enable_static();
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const scope = new paddle.static.Scope();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    paddle.static.scope_guard(scope, () =>
      paddle.static.program_guard(main, startup, () => {
        const x = paddle.static.data('x', [null, 3], 'float32');
        const w = main.global_block().create_parameter({ name: 'w', shape: [3, 2], dtype: 'float32' });
        const y = paddle.add(paddle.matmul(x, w), 1);
        scope.set('w', paddle.to_tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float32' }));
        paddle.static.save_inference_model(join(dir, 'model'), [x], [y], exe);
      }),
    );
    const out = JSON.parse(runPython(py(`
prog = ProgramDesc(); prog.ParseFromString(open(${JSON.stringify(join(dir, 'model.pdmodel'))}, 'rb').read())
b = prog.blocks[0]
ops = [(o.type, {v.parameter: list(v.arguments) for v in o.inputs}, {v.parameter: list(v.arguments) for v in o.outputs}) for o in b.ops]
vars = {v.name: (list(v.type.lod_tensor.tensor.dims), v.type.lod_tensor.tensor.data_type, v.persistable, v.need_check_feed) for v in b.vars if v.type.type == 7}
w, lod, pos = read_tensor(open(${JSON.stringify(join(dir, 'model.pdiparams'))}, 'rb').read())
print(json.dumps({'ops': ops, 'vars': vars, 'w': w.tolist(), 'wdtype': str(w.dtype), 'version': prog.version.version}))
`), ['numpy', 'google.protobuf']));
    assert.deepEqual(out.ops.map((o: [string]) => o[0]), ['feed', 'matmul_v2', 'scale', 'fetch']);
    assert.deepEqual(out.ops[0][1], { X: ['feed'] });
    assert.deepEqual(out.vars.x, [[-1, 3], 5, false, true]);
    assert.deepEqual(out.vars.w, [[3, 2], 5, true, false]);
    assert.deepEqual(out.w, [[1, 2], [3, 4], [5, 6]]);
    assert.equal(out.wdtype, 'float32');
    assert.equal(out.version, 2000000);
  } finally {
    paddle.disable_static();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a model written by an independent Python writer loads and runs here', { skip: needPy() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-pywritten-'));
  try {
    const expected = JSON.parse(runPython(py(`
d = ${JSON.stringify(dir)}
rng = np.random.RandomState(3)
w = rng.randn(4, 3).astype(np.float32); b = rng.randn(3).astype(np.float32)
x = rng.randn(2, 4).astype(np.float32)
prog = ProgramDesc(); blk = prog.blocks.add(); blk.idx = 0; blk.parent_idx = -1
def var(name, dims, persistable=False, kind=7, feed=False):
    v = blk.vars.add(); v.name = name; v.type.type = kind; v.persistable = persistable
    if kind == 7:
        v.type.lod_tensor.tensor.data_type = 5; v.type.lod_tensor.tensor.dims.extend(dims)
    if feed: v.need_check_feed = True
var('feed', [], True, 9); var('fetch', [], True, 10)
var('x', [-1, 4], feed=True); var('w', [4, 3], True); var('b', [3], True); var('t0', [-1, 3]); var('t1', [-1, 3]); var('y', [-1, 3])
def op(type, ins, outs, attrs):
    o = blk.ops.add(); o.type = type
    for k, v in ins.items(): s = o.inputs.add(); s.parameter = k; s.arguments.extend(v)
    for k, v in outs.items(): s = o.outputs.add(); s.parameter = k; s.arguments.extend(v)
    for name, (t, val) in attrs.items():
        a = o.attrs.add(); a.name = name; a.type = t
        if t == 0: a.i = val
        elif t == 1: a.f = val
        elif t == 6: a.b = val
op('feed', {'X': ['feed']}, {'Out': ['x']}, {'col': (0, 0)})
op('mul', {'X': ['x'], 'Y': ['w']}, {'Out': ['t0']}, {'x_num_col_dims': (0, 1), 'y_num_col_dims': (0, 1)})
op('elementwise_add', {'X': ['t0'], 'Y': ['b']}, {'Out': ['t1']}, {'axis': (0, 1)})
op('relu', {'X': ['t1']}, {'Out': ['y']}, {})
op('fetch', {'X': ['y']}, {'Out': ['fetch']}, {'col': (0, 0)})
open(d + '/m.pdmodel', 'wb').write(prog.SerializeToString())
open(d + '/m.pdiparams', 'wb').write(write_tensor(b) + write_tensor(w))  # sorted by name: b, w
print(json.dumps({'x': x.tolist(), 'y': np.maximum(x @ w + b, 0).tolist()}))
`), ['numpy', 'google.protobuf']));
    const exe = new paddle.static.Executor();
    const scope = new paddle.static.Scope();
    const out = paddle.static.scope_guard(scope, () => {
      const [prog, feeds, fetches] = paddle.static.load_inference_model(join(dir, 'm'), exe);
      assert.deepEqual(feeds, ['x']);
      return exe.run(prog, { feed: { x: expected.x }, fetch_list: fetches });
    });
    assertClose(out[0], expected.y, 1e-6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad files give clear errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-bad-'));
  const exe = new paddle.static.Executor();
  try {
    assertThrows(() => paddle.static.load_inference_model(join(dir, 'nothing'), exe), paddle.errors.NotFoundError, /nothing\.pdmodel/);
    writeFileSync(join(dir, 'g.pdmodel'), Buffer.from('this is not a protobuf'));
    assertThrows(() => paddle.static.load_inference_model(join(dir, 'g'), exe), paddle.errors.InvalidArgumentError, /not a valid Paddle ProgramDesc|holds no blocks/);
    // a real program with its parameters cut short
    const params = readFileSync(join(models, 'mobilenetv1-conv1-bn/model/model.pdiparams'));
    writeFileSync(join(dir, 'm.pdmodel'), readFileSync(join(models, 'mobilenetv1-conv1-bn/model/model.pdmodel')));
    writeFileSync(join(dir, 'm.pdiparams'), params.subarray(0, params.length - 100));
    assertThrows(() => paddle.static.load_inference_model(join(dir, 'm'), exe, { scope: new paddle.static.Scope() }), paddle.errors.InvalidArgumentError, /truncated or corrupt/, /m\.pdiparams/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(existsSync(models), 'the shared models are present');
});
