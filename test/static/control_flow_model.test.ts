// Programs with sub-blocks (while_loop, cond, StaticRNN, tensor arrays) round-trip through
// Paddle's file formats: saved as an inference model (.pdmodel + .pdiparams), read by an
// independent protobuf reader with their blocks intact, loaded back, and giving the same outputs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { decodeProgram, encodeProgram } from '../../src/static/serialize.js';
import { assertClose } from '../helpers/assert.js';
import { pythonWith, runPython } from '../helpers/python.js';

const { fluid } = paddle;
const L = fluid.layers;
type V = paddle.static.Variable;
const helpers = resolve(import.meta.dirname, '..', 'helpers');
const py = (body: string) => `import sys, json\nsys.path.insert(0, ${JSON.stringify(helpers)})\nimport numpy as np\nfrom paddle_proto import *\n${body}`;
const needPy = () => (pythonWith('numpy', 'google.protobuf') ? false : 'python3 with numpy and protobuf is not installed');

/** x [2, 3] -> fc -> a while_loop of 3 tanh steps -> cond on the sum -> a StaticRNN over [3, 2, 4]. */
function buildModel(): { main: paddle.static.Program; startup: paddle.static.Program; x: V; seq: V; out: V[] } {
  const main = new paddle.static.Program();
  const startup = new paddle.static.Program();
  let res!: { x: V; seq: V; out: V[] };
  paddle.static.program_guard(main, startup, () => {
    const x = paddle.static.data('x', [-1, 3], 'float32') as V;
    const seq = paddle.static.data('seq', [3, -1, 4], 'float32') as V;
    const h0 = L.fc(x, 4, { act: 'tanh' });
    const i = L.fill_constant([1], 'int64', 0);
    const n = L.fill_constant([1], 'int64', 3);
    const w = paddle.static.create_parameter([4, 4], 'float32', 'loop_w');
    const [, h] = L.while_loop((k: V) => paddle.less_than(k, n), (k: V, hh: V) => [paddle.increment(k), paddle.tanh(paddle.matmul(hh, w))], [i, h0]) as V[];
    const pred = paddle.greater_than(paddle.sum(h), paddle.full([1], 0, 'float32'));
    const y = L.cond(pred, () => paddle.scale(h, 2), () => paddle.exp(h)) as V;
    const rnn = new L.StaticRNN();
    rnn.step(() => {
      const s = rnn.step_input(seq);
      const prev = rnn.memory({ init: y });
      const nh = L.fc([s, prev], 4, { act: 'relu' });
      rnn.update_memory(prev, nh);
      rnn.step_output(nh);
    });
    const r = rnn() as V;
    res = { x, seq, out: [y, r] };
  });
  return { main, startup, ...res };
}

test('a program with while_loop, cond and StaticRNN saves as .pdmodel/.pdiparams with its blocks and loads back with the same outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-cf-'));
  paddle.seed(3);
  const x = paddle.rand([2, 3]);
  const seq = paddle.rand([3, 2, 4]);
  try {
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    const scope = new paddle.static.Scope();
    let before: paddle.Tensor[] = [];
    paddle.enable_static();
    let model!: ReturnType<typeof buildModel>;
    try {
      model = buildModel();
    } finally {
      paddle.disable_static();
    }
    paddle.static.scope_guard(scope, () => {
      exe.run(model.startup);
      before = exe.run(model.main, { feed: { x, seq }, fetch_list: model.out });
      paddle.static.save_inference_model(join(dir, 'cf'), [model.x, model.seq], model.out, exe, { program: model.main });
    });
    assert.deepEqual(before[0].shape, [2, 4]);
    assert.deepEqual(before[1].shape, [3, 2, 4]);
    // loaded into a fresh scope
    const scope2 = new paddle.static.Scope();
    const after = paddle.static.scope_guard(scope2, () => {
      const [prog, feeds, fetches] = paddle.static.load_inference_model(join(dir, 'cf'), exe);
      assert.deepEqual(feeds, ['x', 'seq']);
      assert.equal(prog.num_blocks, model.main.num_blocks);
      const types = prog.global_block().ops.map((o) => o.type);
      for (const t of ['while', 'conditional_block', 'select_input', 'recurrent']) assert.ok(types.includes(t), `${t} in ${types}`);
      const wop = prog.global_block().ops.find((o) => o.type === 'while')!;
      const sub = wop.attr('sub_block') as paddle.static.Block;
      assert.equal(sub.program, prog);
      assert.equal(sub.parent_idx, 0);
      assert.ok(sub.ops.some((o) => o.type === 'matmul_v2'));
      return exe.run(prog, { feed: { x, seq }, fetch_list: fetches });
    });
    assertClose(after[0], before[0], 0, 0);
    assertClose(after[1], before[1], 0, 0);
    // the bytes decode to the same program again
    const bytes = readFileSync(join(dir, 'cf.pdmodel'));
    assert.deepEqual(Buffer.from(encodeProgram(decodeProgram(bytes))), bytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an independent protobuf reader sees the sub-blocks: parent indices and BLOCK attributes', { skip: needPy() }, () => {
  paddle.enable_static();
  let bytes: Uint8Array;
  try {
    bytes = encodeProgram(buildModel().main);
  } finally {
    paddle.disable_static();
  }
  const out = JSON.parse(runPython(py(`
prog = ProgramDesc(); prog.ParseFromString(sys.stdin.buffer.read())
blocks = [(b.idx, b.parent_idx, [o.type for o in b.ops]) for b in prog.blocks]
attrs = {}
for b in prog.blocks:
    for o in b.ops:
        for a in o.attrs:
            if a.type == 8: attrs.setdefault(o.type, []).append((a.name, a.block_idx))
print(json.dumps({'blocks': blocks, 'attrs': attrs}))
`), ['numpy', 'google.protobuf'], bytes));
  const blocks = out.blocks as [number, number, string[]][];
  // while body, cond's true and false branches, the StaticRNN step
  assert.equal(blocks.length, 5);
  assert.deepEqual(blocks.map((b) => b[0]), [0, 1, 2, 3, 4]);
  assert.deepEqual(blocks.map((b) => b[1]), [-1, 0, 0, 0, 0]);
  const sub = (op: string) => (out.attrs[op] as [string, number][])[0];
  assert.deepEqual(sub('while'), ['sub_block', 1]);
  assert.deepEqual(out.attrs.conditional_block, [['sub_block', 2], ['sub_block', 3]]);
  assert.deepEqual(sub('recurrent'), ['sub_block', 4]);
  assert.ok(blocks[1][2].includes('tanh'));
  assert.deepEqual(blocks[2][2], ['scale', 'assign']);
  assert.deepEqual(blocks[3][2], ['exp', 'assign']);
  assert.ok(blocks[4][2].includes('rnn_memory_helper'));
});
