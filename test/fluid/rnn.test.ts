// fluid.layers recurrent layers and operators: lstm / lstmp / gru (LoD), gru_unit, lstm_unit,
// cudnn_lstm, the cells with rnn / birnn, BasicDecoder with its helpers, beam_search and
// beam_search_decode. Values against NumPy re-implementations of Paddle's formulas (gate
// orders, peepholes, weight layouts), gradients through the shared checker, and the real
// text-classification model (embedding + lstm + sequence_pool + fc) against NumPy.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';
import { pythonWith, runPython } from '../helpers/python.js';

const { fluid } = paddle;
const L = fluid.layers;
const place = new paddle.CPUPlace();
const helpers = resolve(import.meta.dirname, '..', 'helpers');
const models = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'paddle-models');
const needNp = () => (pythonWith('numpy') ? false : 'python3 with numpy is not installed');
const needPb = () => (pythonWith('numpy', 'google.protobuf') ? false : 'python3 with numpy and protobuf is not installed');

const vals = (t: Tensor): number[] => Array.from(t.numpy() as ArrayLike<number>, Number);
const withLod = (t: Tensor, lod: number[][]): Tensor => {
  t.lod = lod.map((l) => l.slice());
  return t;
};
/** NumPy with the shared activations and Paddle's recurrent formulas, written from their docs. */
const NP = `
import json, sys
import numpy as np
A = {'sigmoid': lambda v: 1 / (1 + np.exp(-v)), 'tanh': np.tanh, 'relu': lambda v: np.maximum(v, 0), 'identity': lambda v: v}
def lstm(x, lod, w, b, h0, c0, peep, rev, ga, ca, cda, pw=None, pa='tanh', cclip=0, pclip=0):
    D = b.shape[1] // (7 if peep else 4)
    R = w.shape[0]
    T = x.shape[0]
    H = np.zeros((T, pw.shape[1] if pw is not None else D)); C = np.zeros((T, D))
    for s in range(len(lod) - 1):
        rows = list(range(lod[s], lod[s + 1]))
        if rev: rows = rows[::-1]
        h = h0[s] if h0 is not None else np.zeros(R)
        c = c0[s] if c0 is not None else np.zeros(D)
        for r in rows:
            g = x[r] + b[0, :4 * D] + h @ w
            wic, wfc, woc = (b[0, 4 * D:5 * D], b[0, 5 * D:6 * D], b[0, 6 * D:]) if peep else (0, 0, 0)
            cand = A[cda](g[:D]); i = A[ga](g[D:2 * D] + c * wic); f = A[ga](g[2 * D:3 * D] + c * wfc)
            c = cand * i + c * f
            if cclip > 0: c = np.clip(c, -cclip, cclip)
            o = A[ga](g[3 * D:] + c * woc)
            h = o * A[ca](c)
            if pw is not None:
                h = A[pa](h @ pw)
                if pclip > 0: h = np.clip(h, -pclip, pclip)
            H[r] = h; C[r] = c
    return H, C
def gru(x, lod, w, b, h0, rev, ga, ca, origin):
    D = w.shape[0]
    wg = w.reshape(-1)[:2 * D * D].reshape(D, 2 * D); wc = w.reshape(-1)[2 * D * D:].reshape(D, D)
    H = np.zeros((x.shape[0], D))
    for s in range(len(lod) - 1):
        rows = list(range(lod[s], lod[s + 1]))
        if rev: rows = rows[::-1]
        h = h0[s] if h0 is not None else np.zeros(D)
        for r in rows:
            g = x[r] + (b[0] if b is not None else 0)
            u = A[ga](g[:D] + h @ wg[:, :D]); rr = A[ga](g[D:2 * D] + h @ wg[:, D:])
            cnd = A[ca](g[2 * D:] + (rr * h) @ wc)
            h = u * h + (1 - u) * cnd if origin else (1 - u) * h + u * cnd
            H[r] = h
    return H
inp = json.loads(sys.stdin.read())
arr = lambda k: None if inp.get(k) is None else np.array(inp[k], dtype=np.float64)
`;
const py = (body: string, input: unknown): unknown => JSON.parse(runPython(NP + body, ['numpy'], JSON.stringify(input)));
const json = (t: Tensor | null): unknown => (t ? (t.tolist() as unknown) : null);

// ---- lstm ---------------------------------------------------------------------------------------------

test('lstm operator (fluid dynamic_lstm): gate order, peepholes, reverse, H0/C0 and activations as NumPy', { skip: needNp() }, () => {
  const D = 3;
  const lod = [0, 2, 5, 6];
  const x = withLod(randTensor([6, 4 * D]), [lod]);
  const w = randTensor([D, 4 * D]);
  for (const [peep, rev, acts, init] of [
    [true, false, ['sigmoid', 'tanh', 'tanh'], false],
    [false, true, ['sigmoid', 'relu', 'identity'], true],
    [true, true, ['tanh', 'sigmoid', 'tanh'], true],
  ] as [boolean, boolean, string[], boolean][]) {
    const b = randTensor([1, (peep ? 7 : 4) * D]);
    const h0 = init ? randTensor([3, D]) : null;
    const c0 = init ? randTensor([3, D]) : null;
    const ins: Record<string, Tensor[]> = { Input: [x], Weight: [w], Bias: [b] };
    if (h0) ins.H0 = [h0];
    if (c0) ins.C0 = [c0];
    const attrs = { use_peepholes: peep, is_reverse: rev, gate_activation: acts[0], cell_activation: acts[1], candidate_activation: acts[2] };
    const r = dispatch('lstm', ins, attrs);
    const want = py(`H, C = lstm(arr('x'), inp['lod'], arr('w'), arr('b'), arr('h0'), arr('c0'), inp['peep'], inp['rev'], *inp['acts'])
print(json.dumps([H.tolist(), C.tolist()]))`, { x: json(x), lod, w: json(w), b: json(b), h0: json(h0), c0: json(c0), peep, rev, acts }) as number[][][];
    assertClose(r.Hidden[0], want[0], 1e-10, 1e-12);
    assertClose(r.Cell[0], want[1], 1e-10, 1e-12);
    assert.deepEqual(r.Hidden[0].lod, [lod]);
    // gradients of every input, also through the cell output (which Paddle's lstm_grad ignores)
    checkGrad((xx, ww, bb, hh, cc) => {
      const i2: Record<string, Tensor[]> = { Input: [xx], Weight: [ww], Bias: [bb] };
      if (init) {
        i2.H0 = [hh];
        i2.C0 = [cc];
      }
      const o = dispatch('lstm', i2, { ...attrs });
      return [o.Hidden[0], o.Cell[0]];
    }, [x, w, b, h0 ?? randTensor([3, D]), c0 ?? randTensor([3, D])], { wrt: init ? [0, 1, 2, 3, 4] : [0, 1, 2] });
  }
});

test('lstm operator errors: no LoD, bad widths, mismatched H0/C0', () => {
  const x = randTensor([4, 8]);
  const w = randTensor([2, 8]);
  const b = randTensor([1, 14]);
  assertThrows(() => dispatch('lstm', { Input: [x], Weight: [w], Bias: [b] }, {}), paddle.errors.InvalidArgumentError, /LoD/);
  const xl = withLod(randTensor([4, 8]), [[0, 4]]);
  assertThrows(() => dispatch('lstm', { Input: [xl], Weight: [w], Bias: [randTensor([1, 8])] }, {}), paddle.errors.InvalidArgumentError, /Bias.*\[1, 14\]/);
  assertThrows(() => dispatch('lstm', { Input: [withLod(randTensor([4, 6]), [[0, 4]])], Weight: [w], Bias: [b] }, {}), paddle.errors.InvalidArgumentError, /4 \* hidden size/);
  assertThrows(() => dispatch('lstm', { Input: [xl], Weight: [w], Bias: [b], H0: [randTensor([1, 2])] }, {}), paddle.errors.InvalidArgumentError, /H0 and C0/);
  assertThrows(() => dispatch('lstm', { Input: [xl], Weight: [w], Bias: [b] }, { gate_activation: 'gelu' }), paddle.errors.InvalidArgumentError, /gate_activation/);
});

test('lstmp operator (dynamic_lstmp): projection with its activation and clips, as NumPy, with gradients', { skip: needNp() }, () => {
  const D = 3;
  const P = 2;
  const lod = [0, 3, 5];
  const x = withLod(randTensor([5, 4 * D]), [lod]);
  const w = randTensor([P, 4 * D]);
  const pw = randTensor([D, P]);
  const b = randTensor([1, 7 * D]);
  const h0 = randTensor([2, P]);
  const c0 = randTensor([2, D]);
  for (const [cclip, pclip] of [[0, 0], [0.3, 0.15]]) {
    const attrs = { cell_clip: cclip, proj_clip: pclip, proj_activation: 'tanh' };
    const r = dispatch('lstmp', { Input: [x], Weight: [w], ProjWeight: [pw], Bias: [b], H0: [h0], C0: [c0] }, attrs);
    const want = py(`H, C = lstm(arr('x'), inp['lod'], arr('w'), arr('b'), arr('h0'), arr('c0'), True, False, 'sigmoid', 'tanh', 'tanh', pw=arr('pw'), cclip=inp['cc'], pclip=inp['pc'])
print(json.dumps([H.tolist(), C.tolist()]))`, { x: json(x), lod, w: json(w), b: json(b), pw: json(pw), h0: json(h0), c0: json(c0), cc: cclip, pc: pclip }) as number[][][];
    assertClose(r.Projection[0], want[0], 1e-10, 1e-12);
    assertClose(r.Cell[0], want[1], 1e-10, 1e-12);
  }
  checkGrad((xx, ww, pp, bb, hh, cc) => {
    const o = dispatch('lstmp', { Input: [xx], Weight: [ww], ProjWeight: [pp], Bias: [bb], H0: [hh], C0: [cc] }, {});
    return [o.Projection[0], o.Cell[0]];
  }, [x, w, pw, b, h0, c0]);
});

// ---- gru -----------------------------------------------------------------------------------------------

test('gru operator (dynamic_gru): gates (u, r, c), the split weight layout, origin_mode, as NumPy', { skip: needNp() }, () => {
  const D = 3;
  const lod = [0, 1, 4, 6];
  const x = withLod(randTensor([6, 3 * D]), [lod]);
  const w = randTensor([D, 3 * D]);
  const b = randTensor([1, 3 * D]);
  const h0 = randTensor([3, D]);
  for (const [origin, rev, withB, withH] of [[false, false, true, false], [true, true, false, true]] as boolean[][]) {
    const ins: Record<string, Tensor[]> = { Input: [x], Weight: [w] };
    if (withB) ins.Bias = [b];
    if (withH) ins.H0 = [h0];
    const attrs = { origin_mode: origin, is_reverse: rev };
    const r = dispatch('gru', ins, attrs);
    const want = py(`print(json.dumps(gru(arr('x'), inp['lod'], arr('w'), arr('b'), arr('h0'), inp['rev'], 'sigmoid', 'tanh', inp['origin']).tolist()))`,
      { x: json(x), lod, w: json(w), b: withB ? json(b) : null, h0: withH ? json(h0) : null, rev, origin }) as number[][];
    assertClose(r.Hidden[0], want, 1e-10, 1e-12);
    checkGrad((xx, ww, bb, hh) => {
      const i2: Record<string, Tensor[]> = { Input: [xx], Weight: [ww] };
      if (withB) i2.Bias = [bb];
      if (withH) i2.H0 = [hh];
      return dispatch('gru', i2, { ...attrs }).Hidden[0];
    }, [x, w, b, h0], { wrt: [0, 1, ...(withB ? [2] : []), ...(withH ? [3] : [])] });
  }
});

test('gru_unit operator and fluid.layers.gru_unit: one step, as NumPy, with gradients', { skip: needNp() }, () => {
  const D = 2;
  const x = randTensor([3, 3 * D]);
  const h = randTensor([3, D]);
  const w = randTensor([D, 3 * D]);
  const b = randTensor([1, 3 * D]);
  const r = dispatch('gru_unit', { Input: [x], HiddenPrev: [h], Weight: [w], Bias: [b] }, { origin_mode: false });
  const want = py(`out = []
x, h, w, b = arr('x'), arr('h'), arr('w'), arr('b')
for n in range(3):
    out.append(gru(x[n:n+1], [0, 1], w, b, h[n:n+1], False, 'sigmoid', 'tanh', False)[0].tolist())
print(json.dumps(out))`, { x: json(x), h: json(h), w: json(w), b: json(b) }) as number[][];
  assertClose(r.Hidden[0], want, 1e-10, 1e-12);
  assert.deepEqual(r.Gate[0].shape, [3, 3 * D]);
  for (const origin of [false, true])
    checkGrad((xx, hh, ww, bb) => dispatch('gru_unit', { Input: [xx], HiddenPrev: [hh], Weight: [ww], Bias: [bb] }, { origin_mode: origin, activation: 3, gate_activation: 2 }).Hidden[0], [x, h, w, b]);
  // the layer: parameters [D, 3D] and [1, 3D]
  const [hid, rhp, gate] = L.gru_unit(paddle.to_tensor([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]], { dtype: 'float32' }), paddle.zeros([1, 2]), 6);
  assert.deepEqual([hid.shape, rhp.shape, gate.shape], [[1, 2], [1, 2], [1, 6]]);
  assertThrows(() => L.gru_unit(x, h, 7), paddle.errors.InvalidArgumentError, /multiple of 3/);
});

test('lstm_unit operator (gates i, f, o, g and forget_bias) and fluid.layers.lstm_unit, with gradients', () => {
  const D = 2;
  const x = randTensor([3, 4 * D]);
  const cp = randTensor([3, D]);
  const fb = 0.7;
  const r = dispatch('lstm_unit', { X: [x], C_prev: [cp] }, { forget_bias: fb });
  const X = vals(x);
  const Cp = vals(cp);
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  const wantC: number[] = [];
  const wantH: number[] = [];
  for (let n = 0; n < 3; n++)
    for (let d = 0; d < D; d++) {
      const o = n * 4 * D;
      const c = sig(X[o + D + d] + fb) * Cp[n * D + d] + sig(X[o + d]) * Math.tanh(X[o + 3 * D + d]);
      wantC.push(c);
      wantH.push(sig(X[o + 2 * D + d]) * Math.tanh(c));
    }
  assertClose(r.C[0], wantC, 1e-12, 1e-14);
  assertClose(r.H[0], wantH, 1e-12, 1e-14);
  checkGrad((xx, cc) => {
    const o = dispatch('lstm_unit', { X: [xx], C_prev: [cc] }, { forget_bias: fb });
    return [o.C[0], o.H[0]];
  }, [x, cp]);
  const [h, c] = L.lstm_unit(paddle.ones([2, 3]), paddle.zeros([2, 4]), paddle.zeros([2, 4]));
  assert.deepEqual([h.shape, c.shape], [[2, 4], [2, 4]]);
  assertThrows(() => L.lstm_unit(paddle.ones([2, 3]), paddle.zeros([3, 4]), paddle.zeros([2, 4])), paddle.errors.InvalidArgumentError, /1st dimensions/);
});

test('fluid.layers.lstm (cudnn_lstm) runs paddle.nn.LSTM\'s computation with one flat weight', () => {
  paddle.seed(5);
  const lstm = new paddle.nn.LSTM(3, 4, 2, { time_major: true, direction: 'bidirectional' });
  const x = paddle.randn([5, 2, 3]);
  const h0 = paddle.randn([4, 2, 4]);
  const c0 = paddle.randn([4, 2, 4]);
  const [ref, [rh, rc]] = lstm(x, [h0, c0]) as [Tensor, Tensor[]];
  // weights of every layer and direction, then the biases (paddle.nn.LSTM's _all_weights order)
  const named = lstm.named_parameters() as [string, Tensor][];
  const ordered = [...named.filter(([n]) => n.startsWith('weight')), ...named.filter(([n]) => n.startsWith('bias'))];
  const flat = paddle.concat(ordered.map(([, p]) => p.reshape([-1])));
  const size = paddle.static ? flat.shape[0] : 0;
  const r = dispatch('cudnn_lstm', { Input: [x], InitH: [h0], InitC: [c0], W: [flat] }, { input_size: 3, hidden_size: 4, num_layers: 2, is_bidirec: true });
  assert.equal(size, 4 * 3 * 8 + 4 * 4 * 8 + 8 * 8 + 4 * 8 * 8 + 4 * 4 * 8 + 8 * 8);
  assertClose(r.Out[0], ref, 1e-5, 1e-6);
  assertClose(r.LastH[0], rh, 1e-5, 1e-6);
  assertClose(r.LastC[0], rc, 1e-5, 1e-6);
  const xd = randTensor([3, 2, 2]);
  const hd = randTensor([1, 2, 3]);
  const cd = randTensor([1, 2, 3]);
  const wd = randTensor([4 * 3 * 2 + 4 * 3 * 3 + 8 * 3]);
  checkGrad((xx, hh, cc, ww) => {
    const o = dispatch('cudnn_lstm', { Input: [xx], InitH: [hh], InitC: [cc], W: [ww] }, { input_size: 2, hidden_size: 3, num_layers: 1, is_test: true });
    return [o.Out[0], o.LastH[0], o.LastC[0]];
  }, [xd, hd, cd, wd]);
  const [out, lh] = L.lstm(paddle.randn([4, 2, 3]), paddle.zeros([1, 2, 5]), paddle.zeros([1, 2, 5]), 4, 5, 1);
  assert.deepEqual([out.shape, lh.shape], [[4, 2, 5], [1, 2, 5]]);
});

// ---- the LoD layers in static programs --------------------------------------------------------------

test('dynamic_lstm / dynamic_lstmp / dynamic_gru build lstm, lstmp, gru with Paddle\'s parameter shapes and run', () => {
  paddle.enable_static();
  let main!: paddle.static.Program;
  let startup!: paddle.static.Program;
  let outs: Tensor[] = [];
  try {
    main = new paddle.static.Program();
    startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [-1, 5], 'float32', 1);
      const [h, c] = L.dynamic_lstm(L.fc(x, 16), 16);
      const [pj, pc] = L.dynamic_lstmp(L.fc(x, 16), 16, 3, { use_peepholes: false });
      const g = L.dynamic_gru(L.fc(x, 12), 4, { origin_mode: true });
      outs = [h, c, pj, pc, g];
    });
    const shapes = Object.fromEntries(main.global_block().all_parameters().map((p) => [p.name.replace(/_\d+\./, '_0.'), p.shape]));
    assert.deepEqual(shapes['lstm_0.w_0'], [4, 16]);
    assert.deepEqual(shapes['lstm_0.b_0'], [1, 28]);
    assert.deepEqual(shapes['lstmp_0.w_0'], [3, 16]);
    assert.deepEqual(shapes['lstmp_0.w_1'], [4, 3]);
    assert.deepEqual(shapes['lstmp_0.b_0'], [1, 16]);
    assert.deepEqual(shapes['gru_0.w_0'], [4, 12]);
    assert.deepEqual(shapes['gru_0.b_0'], [1, 12]);
    assert.equal((outs[0] as paddle.static.Variable).lod_level, 1);
  } finally {
    paddle.disable_static();
  }
  const exe = new paddle.static.Executor(place);
  const res = paddle.static.scope_guard(new paddle.static.Scope(), () => {
    exe.run(startup);
    const x = fluid.create_lod_tensor(paddle.rand([5, 5]), [[2, 3]], place);
    return exe.run(main, { feed: { x }, fetch_list: outs, return_numpy: false });
  });
  assert.deepEqual(res.map((t) => Array.from(t.shape)), [[5, 4], [5, 4], [5, 3], [5, 4], [5, 4]]);
  assert.deepEqual((res[0] as paddle.fluid.LoDTensor).recursive_sequence_lengths(), [[2, 3]]);
  assertThrows(() => L.dynamic_lstm(paddle.ones([2, 8]), 8), paddle.errors.PreconditionNotMetError, /dygraph/);
  paddle.enable_static();
  try {
    paddle.static.program_guard(new paddle.static.Program(), () => {
      const x = paddle.static.data('x', [-1, 8], 'float32', 1);
      assertThrows(() => L.dynamic_lstm(x, 6), paddle.errors.InvalidArgumentError, /multiple of 4/);
      assertThrows(() => L.dynamic_lstm(x, 8, { bias_attr: false }), paddle.errors.InvalidArgumentError, /bias_attr should not be False/);
    });
  } finally {
    paddle.disable_static();
  }
});

test('the text-classification model (lookup_table + lstm + sequence_pool + fc) gives NumPy\'s probabilities', { skip: needPb() }, () => {
  const dir = join(models, 'text-classification-lstm/model');
  const seqs = [[12, 7, 400, 5146, 3], [88, 1], [0, 9, 31, 4, 4, 2, 1000]];
  const exe = new paddle.static.Executor(place);
  const out = paddle.static.scope_guard(new paddle.static.Scope(), () => {
    const [prog, feeds, fetches] = paddle.static.load_inference_model(dir, exe);
    assert.deepEqual(feeds, ['words']);
    const words = fluid.create_lod_tensor(seqs, [seqs.map((s) => s.length)], place);
    return exe.run(prog, { feed: { words }, fetch_list: fetches })[0];
  });
  assert.deepEqual(out.shape, [3, 2]);
  const want = JSON.parse(runPython(`import sys, json
sys.path.insert(0, ${JSON.stringify(helpers)})
import numpy as np
from paddle_proto import read_tensor
d = ${JSON.stringify(dir)}
P = {n: read_tensor(open(d + '/' + n, 'rb').read())[0].astype(np.float64) for n in ['embedding_0.w_0', 'fc_0.w_0', 'fc_0.b_0', 'lstm_0.w_0', 'lstm_0.b_0', 'fc_1.w_0', 'fc_1.b_0', 'fc_2.w_0', 'fc_2.b_0']}
sig = lambda v: 1 / (1 + np.exp(-v))
res = []
for seq in json.loads(sys.stdin.read()):
    x = P['embedding_0.w_0'][seq] @ P['fc_0.w_0'] + P['fc_0.b_0']
    W, b = P['lstm_0.w_0'], P['lstm_0.b_0'][0]
    D = W.shape[0]
    h = np.zeros(D); c = np.zeros(D); hs = []
    for t in range(len(seq)):
        g = x[t] + b[:4 * D] + h @ W
        cand = np.tanh(g[:D]); i = sig(g[D:2 * D] + c * b[4 * D:5 * D]); f = sig(g[2 * D:3 * D] + c * b[5 * D:6 * D])
        c = cand * i + c * f
        o = sig(g[3 * D:] + c * b[6 * D:])
        h = o * np.tanh(c); hs.append(h)
    p = np.tanh(np.max(np.array(hs), axis=0))
    p = np.tanh(p @ P['fc_1.w_0'] + P['fc_1.b_0'])
    z = p @ P['fc_2.w_0'] + P['fc_2.b_0']
    e = np.exp(z - z.max()); res.append((e / e.sum()).tolist())
print(json.dumps(res))
`, ['numpy', 'google.protobuf'], JSON.stringify(seqs)));
  assertClose(out, want, 1e-4, 1e-6);
  for (const row of out.tolist() as number[][]) assertClose(row[0] + row[1], 1, 1e-6);
});

// ---- cells, rnn, decoders --------------------------------------------------------------------------

test('GRUCell / LSTMCell (BasicGRUUnit / BasicLSTMUnit layouts) with rnn: values, sequence_length masking, reverse', () => {
  paddle.seed(11);
  const cell = new L.GRUCell(3);
  const x = paddle.rand([2, 4, 2]);
  const [out, h] = L.rnn(cell, x);
  assert.deepEqual(out.shape, [2, 4, 3]);
  const [wg, wc, bg, bc] = (cell as unknown as { params: Tensor[] }).params;
  assert.ok(wg.name.startsWith('GRUCell/BasicGRUUnit_'), wg.name);
  assert.deepEqual([wg.shape, wc.shape, bg.shape, bc.shape], [[5, 6], [5, 3], [6], [3]]);
  // a JS loop of BasicGRUUnit: r, u = sigmoid([x, h] Wg + bg); c = tanh([x, r*h] Wc + bc); h = u*h + (1-u)*c
  const Wg = vals(wg), Wc = vals(wc), Bg = vals(bg), Bc = vals(bc), X = vals(x);
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  const step = (xs: number[], hs: number[]): number[] => {
    const cat = [...xs, ...hs];
    const g = Bg.map((b0, k) => sig(cat.reduce((acc, v, i) => acc + v * Wg[i * 6 + k], b0)));
    const r = g.slice(0, 3);
    const u = g.slice(3);
    const cat2 = [...xs, ...hs.map((v, i) => v * r[i])];
    const cnd = Bc.map((b0, k) => Math.tanh(cat2.reduce((acc, v, i) => acc + v * Wc[i * 3 + k], b0)));
    return hs.map((v, i) => u[i] * v + (1 - u[i]) * cnd[i]);
  };
  const lens = [4, 2];
  const want: number[] = [];
  const last: number[][] = [];
  for (let n = 0; n < 2; n++) {
    let hs = [0, 0, 0];
    for (let t = 0; t < 4; t++) {
      hs = step([X[(n * 4 + t) * 2], X[(n * 4 + t) * 2 + 1]], hs);
      want.push(...hs);
    }
    last.push(hs);
  }
  assertClose(out, want, 1e-5, 1e-6);
  assertClose(h, last.flat(), 1e-5, 1e-6);
  // sequence_length: the state stops updating past each length
  const [, hm] = L.rnn(cell, x, null, paddle.to_tensor(lens));
  assertClose((hm as Tensor).getitem(1), want.slice(15, 18), 1e-5, 1e-6);
  // reverse: the first output is the state after the whole reversed sequence
  const [ro] = L.rnn(cell, x, { is_reverse: true });
  assert.deepEqual((ro as Tensor).shape, [2, 4, 3]);
  // LSTMCell: states [h, c], forget_bias 1
  const lc = new L.LSTMCell(3);
  const [lo, [lh, lcs]] = L.rnn(lc, x) as [Tensor, Tensor[]];
  assert.deepEqual([lo.shape, lh.shape, lcs.shape], [[2, 4, 3], [2, 3], [2, 3]]);
  const [lw, lb] = (lc as unknown as { params: Tensor[] }).params;
  assert.deepEqual([lw.shape, lb.shape], [[5, 12], [12]]);
  const W = vals(lw), B = vals(lb);
  let hh = [0, 0, 0], cc = [0, 0, 0];
  for (let t = 0; t < 4; t++) {
    const cat = [X[t * 2], X[t * 2 + 1], ...hh];
    const g = B.map((b0, k) => cat.reduce((acc, v, i) => acc + v * W[i * 12 + k], b0));
    cc = cc.map((cv, i) => cv * sig(g[6 + i] + 1) + sig(g[i]) * Math.tanh(g[3 + i]));
    hh = cc.map((cv, i) => Math.tanh(cv) * sig(g[9 + i]));
  }
  assertClose(lh.getitem(0), hh, 1e-5, 1e-6);
  // birnn concatenates both directions
  const [bo] = L.birnn(new L.GRUCell(2), new L.GRUCell(2), x);
  assert.deepEqual((bo as Tensor).shape, [2, 4, 4]);
});

test('rnn in static mode runs the cell in a StaticRNN and matches dygraph; gradients flow to the cell parameters', () => {
  paddle.seed(3);
  const x = paddle.rand([2, 3, 2]);
  paddle.enable_static();
  let main!: paddle.static.Program;
  let startup!: paddle.static.Program;
  let fetch: Tensor[] = [];
  let cell!: InstanceType<typeof L.GRUCell>;
  try {
    main = new paddle.static.Program();
    startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const xv = paddle.static.data('x', [2, 3, 2], 'float32');
      cell = new L.GRUCell(4, { name: 'sgru' });
      const [o, h] = L.rnn(cell, xv);
      const loss = paddle.mean(o);
      const pg = paddle.static.append_backward(loss);
      fetch = [o, h, ...pg.map((q) => q[1])];
    });
    assert.ok(main.global_block().ops.some((op) => op.type === 'recurrent'));
  } finally {
    paddle.disable_static();
  }
  const exe = new paddle.static.Executor(place);
  const scope = new paddle.static.Scope();
  const [o, h, ...grads] = paddle.static.scope_guard(scope, () => {
    exe.run(startup);
    return exe.run(main, { feed: { x }, fetch_list: fetch });
  });
  assert.deepEqual(o.shape, [2, 3, 4]);
  assert.equal(grads.length, 4);
  // the same parameters in a dygraph cell give the same outputs
  const dcell = new L.GRUCell(4);
  const names = main.global_block().all_parameters().map((q) => q.name);
  (dcell as unknown as { params: Tensor[] }).params = names.map((n) => {
    const t = scope.find_var(n)!;
    const pp = paddle.to_tensor(t.numpy() as Float32Array).reshape(t.shape);
    pp.stop_gradient = false;
    return pp;
  });
  const [dout, dh] = L.rnn(dcell, x);
  assertClose(o, dout, 1e-5, 1e-6);
  assertClose(h, dh, 1e-5, 1e-6);
  paddle.mean(dout).backward();
  (dcell as unknown as { params: Tensor[] }).params.forEach((pp, k) => assertClose(grads[k], pp.grad!, 1e-4, 1e-6));
});

test('BasicDecoder with TrainingHelper and GreedyEmbeddingHelper under dynamic_decode', () => {
  paddle.seed(2);
  const vocab = 5;
  const emb = new paddle.nn.Embedding(vocab, 3);
  const cell = new L.GRUCell(4);
  const proj = new paddle.nn.Linear(4, vocab);
  const trg = paddle.to_tensor([[1, 2, 3], [4, 1, 0]]);
  const lens = paddle.to_tensor([3, 2]);
  const helper = new L.TrainingHelper(emb(trg), lens);
  const dec = new L.BasicDecoder(cell, helper, (t: Tensor) => proj(t));
  const [outs] = paddle.nn.dynamic_decode(dec, { inits: cell.get_initial_states(emb(trg)) });
  assert.deepEqual(outs.cell_outputs.shape, [2, 3, vocab]);
  assert.deepEqual(outs.sample_ids.shape, [2, 3]);
  // teacher forcing: the logits equal a manual loop of the same cell over the targets
  let hs = paddle.zeros([2, 4]);
  for (let t = 0; t < 3; t++) {
    [, hs] = cell(emb(trg).getitem(':', t), hs);
    assertClose(outs.cell_outputs.getitem(':', t), proj(hs), 1e-5, 1e-6);
  }
  assert.deepEqual(outs.sample_ids.tolist(), paddle.argmax(outs.cell_outputs, -1).tolist());
  // greedy: the next input embeds the argmax
  const greedy = new L.GreedyEmbeddingHelper((ids: Tensor) => emb(ids), paddle.to_tensor([0, 0]), 4);
  const gdec = new L.BasicDecoder(cell, greedy, (t: Tensor) => proj(t));
  const [gout] = paddle.nn.dynamic_decode(gdec, { inits: cell.get_initial_states(paddle.zeros([2, 1])), max_step_num: 5 });
  let gh = paddle.zeros([2, 4]);
  let ids = paddle.to_tensor([0, 0]);
  const steps = gout.sample_ids.shape[1];
  for (let t = 0; t < steps; t++) {
    [, gh] = cell(emb(ids), gh);
    ids = paddle.argmax(proj(gh), -1);
    assert.deepEqual(gout.sample_ids.getitem(':', t).tolist(), ids.tolist());
  }
  // sampling: ids drawn from softmax(logits / temperature), a valid token each step
  const sampler = new L.SampleEmbeddingHelper((i: Tensor) => emb(i), paddle.to_tensor([0, 0]), 4, 0.5, 7);
  const [sout] = paddle.nn.dynamic_decode(new L.BasicDecoder(cell, sampler, (t: Tensor) => proj(t)), { inits: cell.get_initial_states(paddle.zeros([2, 1])), max_step_num: 4 });
  for (const v of vals(sout.sample_ids)) assert.ok(Number.isInteger(v) && v >= 0 && v < vocab);
  assert.equal(sout.sample_ids.dtype, 'int64');
  assertThrows(() => new L.BasicDecoder(cell, {} as never), paddle.errors.InvalidArgumentError, /helper/);
  assertThrows(() => new L.DecodeHelper().sample(ids, ids, ids), paddle.errors.UnimplementedError, /not implemented/);
});

// ---- beam search ------------------------------------------------------------------------------------

test('beam_search picks the beam_size best candidates per source (Paddle\'s unit test values)', () => {
  const lod = [[0, 2, 4], [0, 1, 2, 3, 4]];
  const ids = withLod(paddle.to_tensor([[4, 2, 5], [2, 1, 3], [3, 5, 2], [8, 2, 1]]), lod);
  const scores = withLod(paddle.to_tensor([[0.5, 0.3, 0.2], [0.6, 0.3, 0.1], [0.9, 0.5, 0.1], [0.7, 0.5, 0.1]], { dtype: 'float32' }), lod);
  const preIds = paddle.to_tensor([[1, 2, 3, 4]]);
  const preScores = paddle.to_tensor([[0.1, 0.2, 0.3, 0.4]], { dtype: 'float32' });
  const [sid, ssc, parent] = L.beam_search(preIds, preScores, ids, scores, 2, 0, { return_parent_idx: true });
  assert.deepEqual(sid.tolist(), [[4], [2], [3], [8]]);
  assertClose(ssc, [[0.5], [0.6], [0.9], [0.7]]);
  assert.deepEqual(sid.lod, [[0, 2, 4], [0, 1, 2, 3, 4]]);
  assert.deepEqual(parent.tolist(), [0, 1, 2, 3]);
  assert.equal(parent.dtype, 'int32');
  // not accumulated: log-probabilities added to pre_scores; an ended prefix keeps its score
  const l1 = [[0, 2], [0, 1, 2]];
  const [s2, c2] = L.beam_search(paddle.to_tensor([[7], [0]]), paddle.to_tensor([[-1.0], [-0.5]], { dtype: 'float32' }),
    withLod(paddle.to_tensor([[3, 4], [5, 6]]), l1), withLod(paddle.to_tensor([[0.5, 0.25], [0.9, 0.1]], { dtype: 'float32' }), l1), 2, 0, { is_accumulated: false });
  // candidates (-1 + log 0.5, id 3) from prefix 0 and the ended prefix 1 (-0.5, id 0), by prefix
  assert.deepEqual(s2.tolist(), [[3], [0]]);
  assertClose(c2, [[-1 + Math.log(0.5)], [-0.5]], 1e-6);
  assert.deepEqual(s2.lod, [[0, 2], [0, 1, 2]]);
});

test('beam_search_decode back-traces the beams into sentences (Paddle\'s unit test values)', () => {
  const steps: [number[][], number[]][] = [
    [[[0, 1, 2], [0, 1, 2]], [0, 0]],
    [[[0, 1, 2], [0, 2, 4]], [2, 3, 4, 5]],
    [[[0, 2, 4], [0, 2, 2, 4, 4]], [3, 1, 5, 4]],
    [[[0, 2, 4], [0, 1, 2, 3, 4]], [1, 1, 3, 5]],
    [[[0, 2, 4], [0, 0, 0, 2, 2]], [5, 1]],
  ];
  const ids = steps.map(([lod, d]) => withLod(paddle.to_tensor(d), lod));
  const scores = steps.map(([lod, d]) => withLod(paddle.to_tensor(d, { dtype: 'float32' }), lod));
  paddle.enable_static();
  let main!: paddle.static.Program;
  let out: Tensor[] = [];
  try {
    main = new paddle.static.Program();
    paddle.static.program_guard(main, () => {
      const idArr = L.create_array('int64') as paddle.static.Variable;
      const scArr = L.create_array('float32') as paddle.static.Variable;
      steps.forEach((_, k) => {
        const i = L.fill_constant([1], 'int64', k);
        L.array_write(paddle.static.data(`id${k}`, [-1], 'int64', 2), i, idArr);
        L.array_write(paddle.static.data(`sc${k}`, [-1], 'float32', 2), i, scArr);
      });
      out = L.beam_search_decode(idArr, scArr, 2, 1);
    });
  } finally {
    paddle.disable_static();
  }
  const feed: Record<string, Tensor> = {};
  steps.forEach((_, k) => {
    feed[`id${k}`] = ids[k];
    feed[`sc${k}`] = scores[k];
  });
  const [sent, sc] = new paddle.static.Executor(place).run(main, { feed, fetch_list: out });
  const expected = [0, 2, 3, 1, 0, 2, 1, 0, 4, 5, 3, 5, 0, 4, 5, 3, 1];
  assert.deepEqual(sent.lod, [[0, 2, 4], [0, 4, 7, 12, 17]]);
  assert.deepEqual(sc.lod, [[0, 2, 4], [0, 4, 7, 12, 17]]);
  assert.deepEqual(vals(sent), expected);
  assert.deepEqual(vals(sc), expected);
});
