// Recurrent layers: SimpleRNN / LSTM / GRU (the fused `rnn` operator) and the cells run by
// RNN / BiRNN, against a NumPy re-implementation of Paddle 2.0's cell equations (values
// pasted below), parameter names and shapes, sequence_length masking, gradients through
// time by finite differences, dropout between layers, static mode, and errors.
//
// The NumPy reference (tmp script, summarized): weights gen(shape, k) = 0.5*sin(1.7k + 0.37i)
// (flat index i), k counting 4 per layer and direction (w_ih k, w_hh k+1, b_ih k+2, b_hh k+3);
// x = gen([2, 3, 2], 100), h0 = gen([L*D, 2, 2], 200), c0 = gen([L*D, 2, 2], 300); cells:
//   LSTM  g = x W_ih^T + b_ih + h W_hh^T + b_hh; i,f,o = σ(g_i,f,o), c~ = tanh(g_g);
//         c = f c_prev + i c~; h = o tanh(c)
//   GRU   r = σ(x_r + h_r), z = σ(x_z + h_z), c = tanh(x_c + r * h_c), h = (h_prev - c) z + c
//         (x_* = x W_ih^T + b_ih, h_* = h W_hh^T + b_hh)
//   RNN   h = act(x W_ih^T + b_ih + h W_hh^T + b_hh)
// layers stacked (bidirectional outputs concatenated [fw, bw]); with lengths, outputs past a
// length are 0 and the state keeps its last valid value (the reverse direction starts at the
// last valid step).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const nn = paddle.nn;

function gen(shape: number[], seed: number, plus = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Float64Array.from({ length: n }, (_, i) => 0.5 * Math.sin(seed * 1.7 + i * 0.37) + plus)).reshape(shape);
}
const G: Record<string, number> = { LSTM: 4, GRU: 3, RNN_TANH: 1, RNN_RELU: 1 };

/** Sets a network's parameters to the reference's gen values (through the cuDNN-style names). */
function setParams(net: any, mode: string, I: number, H: number, L: number, D: number, plus = 0): void {
  let k = 0;
  for (let l = 0; l < L; l++)
    for (let d = 0; d < D; d++) {
      const sfx = d ? '_reverse' : '';
      const ins = l === 0 ? I : D * H;
      net[`weight_ih_l${l}${sfx}`].set_value(gen([G[mode] * H, ins], k, plus));
      net[`weight_hh_l${l}${sfx}`].set_value(gen([G[mode] * H, H], k + 1, plus));
      net[`bias_ih_l${l}${sfx}`].set_value(gen([G[mode] * H], k + 2, plus));
      net[`bias_hh_l${l}${sfx}`].set_value(gen([G[mode] * H], k + 3, plus));
      k += 4;
    }
}
function setCell(cell: any, mode: string, I: number, H: number, k: number): void {
  cell.weight_ih.set_value(gen([G[mode] * H, I], k));
  cell.weight_hh.set_value(gen([G[mode] * H, H], k + 1));
  cell.bias_ih.set_value(gen([G[mode] * H], k + 2));
  cell.bias_hh.set_value(gen([G[mode] * H], k + 3));
}
function f64<R>(fn: () => R): R {
  paddle.set_default_dtype('float64');
  try {
    return fn();
  } finally {
    paddle.set_default_dtype('float32');
  }
}

const X = (): Tensor => gen([2, 3, 2], 100);
const lens = (v: number[]): Tensor => paddle.to_tensor(v, { dtype: 'int64' });

// NumPy reference values
const REF = {
  lstm2b: {
    out: [[[-0.0618612467, -0.0802077411, 0.1675841635, 0.296498573], [0.0082896328, 0.0578993169, 0.0772774253, 0.202342493], [0.0437641291, 0.14240672, -0.0464901697, 0.0393705567]], [[-0.0861025685, -0.0897847412, 0.1959095569, 0.3040280012], [0.0193366543, 0.0508455978, 0.1187339559, 0.2125532426], [0.0, 0.0, 0.0, 0.0]]],
    h: [[[-0.0699681745, -0.1087250386], [-0.0748967605, -0.0099192703]], [[-0.0528911264, -0.0410862885], [-0.0222873657, 0.0142364648]], [[0.0437641291, 0.14240672], [0.0193366543, 0.0508455978]], [[0.1675841635, 0.296498573], [0.1959095569, 0.3040280012]]],
    c: [[[-0.1674518034, -0.2277399601], [-0.1316246267, -0.0163550726]], [[-0.0978797827, -0.0679833264], [-0.0395430485, 0.0229178823]], [[0.0643256479, 0.2111229917], [0.0303337073, 0.0784924279]], [[0.2425414825, 0.4827569471], [0.2852628986, 0.4892162824]]],
  },
  gru2b: {
    out: [[[-0.3159825515, -0.2365010649, -0.3164191782, 0.2369258949], [-0.383898624, -0.1715191131, -0.374882702, 0.0847827754], [-0.3981881119, -0.1388323742, -0.3977263308, -0.1200060792]], [[-0.4098874598, -0.3205723578, -0.10496725, 0.2528530149], [-0.327356025, -0.2133910947, -0.1274347567, 0.1202017553], [0.0, 0.0, 0.0, 0.0]]],
    h: [[[-0.3145590431, -0.4184093985], [-0.3014939906, -0.1818376101]], [[-0.290894505, -0.287273824], [-0.2104187637, -0.1198429387]], [[-0.3981881119, -0.1388323742], [-0.327356025, -0.2133910947]], [[-0.3164191782, 0.2369258949], [-0.10496725, 0.2528530149]]],
  },
  tanh1b: {
    out: [[[-0.1743983228, -0.2671316416, -0.6014249578, -0.3627323071], [-0.6072336708, -0.3666198121, -0.4274138873, -0.1400914268], [-0.7529903807, -0.5150131995, -0.1470978937, -0.1572162167]], [[-0.1135702393, -0.2761661385, -0.7878006145, -0.4166722423], [-0.6722778044, -0.7080588273, -0.8543512463, -0.6452937695], [-0.8671590791, -0.8710443986, -0.7262163019, -0.7665445197]]],
    h: [[[-0.7529903807, -0.5150131995], [-0.8671590791, -0.8710443986]], [[-0.6014249578, -0.3627323071], [-0.7878006145, -0.4166722423]]],
  },
  // parameters gen + 0.25, lengths [1, 3]
  relu2: {
    out: [[[0.9126242459, 0.9542119776], [0.0, 0.0], [0.0, 0.0]], [[0.5820203388, 0.8617091541], [1.1702780915, 0.9304283131], [1.2273347348, 0.662907861]]],
    h: [[[0.6413449245, 0.5437718351], [0.2995319609, 0.0]], [[0.9126242459, 0.9542119776], [1.2273347348, 0.662907861]]],
  },
  lstm1: {
    out: [[[-0.0560832098, -0.0270404358], [-0.0683597633, -0.0892010168], [-0.0699681745, -0.1087250386]], [[-0.0676263326, -0.0525020867], [-0.0748967605, -0.0099192703], [-0.0808939934, 0.0320981237]]],
    h: [[[-0.0699681745, -0.1087250386], [-0.0808939934, 0.0320981237]]],
    c: [[[-0.1674518034, -0.2277399601], [-0.1279904133, 0.0487169858]]],
  },
  gru1: {
    out: [[[-0.2129384104, -0.1977449007], [-0.2945501403, -0.3601233187], [-0.3145590431, -0.4184093985]], [[-0.1765528591, -0.1878407279], [-0.3014939906, -0.1818376101], [-0.3423844172, -0.0753637808]]],
    h: [[[-0.3145590431, -0.4184093985], [-0.3423844172, -0.0753637808]]],
  },
  // RNN(GRUCell, is_reverse=True), lengths [2, 3]: the cell's outputs (not zeroed) and frozen states
  gruRev: {
    out: [[[-0.2897676538, -0.3328882013], [-0.1649962994, -0.2224167516], [-0.165097844, -0.2138494077]], [[-0.3476055943, -0.2490360646], [-0.3483596653, -0.1083209142], [-0.3088028919, 0.0098748241]]],
    h: [[-0.2897676538, -0.3328882013], [-0.3476055943, -0.2490360646]],
  },
};

test('LSTM, GRU, SimpleRNN match the NumPy cell equations (multi-layer, bidirectional, sequence_length)', () => {
  f64(() => {
    const lstm = new nn.LSTM(2, 2, 2, 'bidirect');
    setParams(lstm, 'LSTM', 2, 2, 2, 2);
    const [y, [h, c]] = lstm(X(), [gen([4, 2, 2], 200), gen([4, 2, 2], 300)], lens([3, 2]));
    assert.deepEqual(y.shape, [2, 3, 4]);
    assert.deepEqual(h.shape, [4, 2, 2]);
    assertClose(y, REF.lstm2b.out, 1e-8, 1e-9);
    assertClose(h, REF.lstm2b.h, 1e-8, 1e-9);
    assertClose(c, REF.lstm2b.c, 1e-8, 1e-9);

    const gru = new nn.GRU(2, 2, 2, 'bidirectional');
    setParams(gru, 'GRU', 2, 2, 2, 2);
    const [gy, gh] = gru(X(), gen([4, 2, 2], 200), lens([3, 2]));
    assertClose(gy, REF.gru2b.out, 1e-8, 1e-9);
    assertClose(gh, REF.gru2b.h, 1e-8, 1e-9);

    const rnn = new nn.SimpleRNN(2, 2, 1, 'bidirect');
    setParams(rnn, 'RNN_TANH', 2, 2, 1, 2);
    const [ry, rh] = rnn(X(), gen([2, 2, 2], 200));
    assertClose(ry, REF.tanh1b.out, 1e-8, 1e-9);
    assertClose(rh, REF.tanh1b.h, 1e-8, 1e-9);

    const relu = new nn.SimpleRNN(2, 2, 2, { activation: 'relu' });
    setParams(relu, 'RNN_RELU', 2, 2, 2, 1, 0.25);
    const [uy, uh] = relu(X(), gen([2, 2, 2], 200), lens([1, 3]));
    assertClose(uy, REF.relu2.out, 1e-8, 1e-9);
    assertClose(uh, REF.relu2.h, 1e-8, 1e-9);
  });
  // float32 gives the same values to float32 precision
  const lstm = new nn.LSTM(2, 2, 2, 'bidirect');
  setParams(lstm, 'LSTM', 2, 2, 2, 2);
  const [y, [h, c]] = lstm(X().astype('float32'), [gen([4, 2, 2], 200).astype('float32'), gen([4, 2, 2], 300).astype('float32')], lens([3, 2]));
  assert.equal(y.dtype, 'float32');
  assertClose(y, REF.lstm2b.out, 1e-5, 1e-6);
  assertClose(h, REF.lstm2b.h, 1e-5, 1e-6);
  assertClose(c, REF.lstm2b.c, 1e-5, 1e-6);
});

test('RNN and BiRNN unroll the cells (LSTMCell, GRUCell) with the same equations', () => {
  f64(() => {
    const lcell = new nn.LSTMCell(2, 2);
    setCell(lcell, 'LSTM', 2, 2, 0);
    const [ly, [lh, lc]] = new nn.RNN(lcell)(X(), [gen([2, 2], 200), gen([2, 2], 300)]);
    assertClose(ly, REF.lstm1.out, 1e-8, 1e-9);
    assertClose(lh, REF.lstm1.h[0], 1e-8, 1e-9);
    assertClose(lc, REF.lstm1.c[0], 1e-8, 1e-9);

    const gcell = new nn.GRUCell(2, 2);
    setCell(gcell, 'GRU', 2, 2, 0);
    // time-major input gives time-major output
    const [gy, gh] = new nn.RNN(gcell, false, true)(X().transpose([1, 0, 2]), gen([2, 2], 200));
    assertClose(gy.transpose([1, 0, 2]), REF.gru1.out, 1e-8, 1e-9);
    assertClose(gh, REF.gru1.h[0], 1e-8, 1e-9);

    // reverse with lengths: the cell's outputs everywhere (fluid.layers.rnn does not zero them), frozen states
    const [ry, rh] = new nn.RNN(gcell, { is_reverse: true })(X(), gen([2, 2], 200), lens([2, 3]));
    assertClose(ry, REF.gruRev.out, 1e-8, 1e-9);
    assertClose(rh, REF.gruRev.h, 1e-8, 1e-9);

    // BiRNN = forward RNN and reversed RNN, outputs concatenated, states [fw, bw]
    const fw = new nn.GRUCell(2, 2);
    const bw = new nn.GRUCell(2, 2);
    const bi = new nn.BiRNN(fw, bw);
    const x = X();
    const [by, [bhf, bhb]] = bi(x, [gen([2, 2], 200), gen([2, 2], 300)], lens([3, 1]));
    const [fy, fh] = new nn.RNN(fw)(x, gen([2, 2], 200), lens([3, 1]));
    const [ry2, rh2] = new nn.RNN(bw, true)(x, gen([2, 2], 300), lens([3, 1]));
    assertClose(by, paddle.concat([fy, ry2], -1), 1e-12, 1e-12);
    assertClose(bhf, fh, 1e-12, 1e-12);
    assertClose(bhb, rh2, 1e-12, 1e-12);
    // a cell alone: zero states by default, [h, h] / [h, [h, c]]
    const [o, hs] = gcell(gen([2, 2], 5));
    assert.equal(o, hs);
    const [o2, [h2, c2]] = lcell(gen([2, 2], 5));
    assert.equal(o2, h2);
    assert.deepEqual(c2.shape, [2, 2]);
  });
});

test('multi-layer bidirectional LSTM: parameter names, shapes, state_dict and initialization', () => {
  const lstm = new nn.LSTM(3, 4, 2, 'bidirect');
  const keys = Object.keys(lstm.state_dict());
  const own = ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0_reverse', 'bias_hh_l0_reverse',
    'weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1', 'weight_ih_l1_reverse', 'weight_hh_l1_reverse', 'bias_ih_l1_reverse', 'bias_hh_l1_reverse'];
  const cells = ['0.cell_fw', '0.cell_bw', '1.cell_fw', '1.cell_bw'].flatMap((p) => ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((n) => `${p}.${n}`));
  assert.deepEqual(keys, [...own, ...cells]); // as Paddle 2.0: both names, own ones first
  const sd = lstm.state_dict();
  assert.equal(sd.weight_ih_l1_reverse, sd['1.cell_bw.weight_ih']);
  assert.deepEqual(sd.weight_ih_l0.shape, [16, 3]);
  assert.deepEqual(sd.weight_ih_l1.shape, [16, 8]);
  assert.deepEqual(sd.weight_hh_l0_reverse.shape, [16, 4]);
  assert.deepEqual(sd.bias_hh_l1.shape, [16]);
  assert.equal(lstm.parameters().length, 16);
  assert.equal(lstm.length, 2);
  assert.ok(lstm[0] instanceof nn.BiRNN);
  // U(-1/sqrt(hidden), 1/sqrt(hidden)) for weights and biases
  for (const p of lstm.parameters()) for (const v of p.numpy() as Float32Array) assert.ok(Math.abs(v) <= 0.5 + 1e-7);
  assert.ok(lstm.parameters().some((p) => (p.numpy() as Float32Array).some((v) => v !== 0)));
  assert.equal(String(lstm.weight_ih_l0.dtype), 'float32');
  // forward: shapes
  const [y, [h, c]] = lstm(paddle.randn([5, 7, 3]));
  assert.deepEqual(y.shape, [5, 7, 8]);
  assert.deepEqual(h.shape, [4, 5, 4]);
  assert.deepEqual(c.shape, [4, 5, 4]);
  const gru = new nn.GRU(3, 4, 3, { time_major: true });
  assert.deepEqual(Object.keys(gru.state_dict()).slice(0, 4), ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
  assert.ok(Object.keys(gru.state_dict()).includes('2.cell.weight_hh'));
  const [gy, gh] = gru(paddle.randn([7, 5, 3]));
  assert.deepEqual(gy.shape, [7, 5, 4]);
  assert.deepEqual(gh.shape, [3, 5, 4]);
  assert.equal(String(new nn.SimpleRNN(3, 4, 2, { dropout: 0.5 })).split('\n')[0], 'SimpleRNN(3, 4, num_layers=2, dropout=0.5');
  assert.equal(String(new nn.SimpleRNNCell(3, 4, 'relu')), 'SimpleRNNCell(3, 4, activation=relu)');
  // a state dict maps back onto a fresh network
  const other = new nn.LSTM(3, 4, 2, 'bidirect');
  other.set_state_dict(lstm.state_dict());
  const x = paddle.randn([2, 3, 3]);
  assertClose(other(x)[0], lstm(x)[0], 0, 0);
});

test('without a bias the network runs its RNN / BiRNN sublayers, with the same results', () => {
  f64(() => {
    const fused = new nn.LSTM(2, 2, 2, 'bidirect');
    const plain = new nn.LSTM(2, 2, 2, 'bidirect', { bias_ih_attr: false });
    assert.equal(fused.could_use_cudnn, true);
    assert.equal(plain.could_use_cudnn, false);
    assert.equal(plain.parameters().length, 12);
    assert.ok(!Object.keys(plain.state_dict()).includes('bias_ih_l0'));
    setParams(fused, 'LSTM', 2, 2, 2, 2);
    for (const name of Object.keys(plain.state_dict())) if (!name.includes('.')) (plain as any)[name].set_value((fused as any)[name]);
    for (const name of Object.keys(fused.state_dict())) if (name.startsWith('bias_ih')) (fused as any)[name].set_value(paddle.zeros([8], 'float64'));
    const init = [gen([4, 2, 2], 200), gen([4, 2, 2], 300)];
    const [a, [ah, ac]] = fused(X(), init);
    const [b, [bh, bc]] = plain(X(), init);
    assertClose(b, a, 1e-12, 1e-12);
    assertClose(bh, ah, 1e-12, 1e-12);
    assertClose(bc, ac, 1e-12, 1e-12);
    // with lengths the states agree; the sublayers leave the cell's outputs at padded steps
    const [a2, [ah2]] = fused(X(), init, lens([3, 1]));
    const [b2, [bh2]] = plain(X(), init, lens([3, 1]));
    assertClose(bh2, ah2, 1e-12, 1e-12);
    assertClose(b2.getitem(0), a2.getitem(0), 1e-12, 1e-12);
    assertClose(a2.getitem(1, '1:'), paddle.zeros([2, 4], 'float64'));
  });
});

test('sequence_length: padded steps give zero outputs and leave the final states at the last valid step', () => {
  f64(() => {
    const gru = new nn.GRU(2, 3, 1, 'bidirect');
    const x = randTensor([3, 5, 2]);
    const [y, h] = gru(x, null, lens([5, 2, 4]));
    // sequence 1 alone, truncated to its 2 steps, gives the same outputs and states
    const [y1, h1] = gru(x.getitem('1:2', ':2'));
    assertClose(y.getitem('1:2', ':2'), y1, 1e-12, 1e-12);
    assertClose(y.getitem(1, '2:'), paddle.zeros([3, 6], 'float64'));
    assertClose(h.getitem(':', '1:2'), h1, 1e-12, 1e-12);
    // int32 lengths work too
    const [y32] = gru(x, null, paddle.to_tensor([5, 2, 4], { dtype: 'int32' }));
    assertClose(y32, y, 0, 0);
  });
});

test('gradients through time match finite differences (inputs, initial states, weights)', () => {
  f64(() => {
    const lstm = new nn.LSTM(2, 2, 2, 'bidirect');
    checkGrad((x, h0, c0) => {
      const [y, [h, c]] = lstm(x, [h0, c0], lens([3, 2]));
      return [y, h, c];
    }, [randTensor([2, 3, 2]), randTensor([4, 2, 2]), randTensor([4, 2, 2])]);
    const gru = new nn.GRU(2, 3, 1, 'forward', { time_major: true });
    checkGrad((x, h0) => {
      const [y, h] = gru(x, h0, lens([1, 3]));
      return [y, h];
    }, [randTensor([3, 2, 2]), randTensor([1, 2, 3])]);
    const srnn = new nn.SimpleRNN(2, 2, 2, { activation: 'relu' });
    checkGrad((x) => srnn(x)[0], [randTensor([2, 3, 2], 0.1, 1)]);
    // the weights, through the rnn operator itself
    for (const mode of ['LSTM', 'GRU', 'RNN_TANH']) {
      const g = G[mode];
      const ws = [randTensor([g * 2, 2]), randTensor([g * 2, 2]), randTensor([g * 2, 2]), randTensor([g * 2, 2]), randTensor([g * 2]), randTensor([g * 2]), randTensor([g * 2]), randTensor([g * 2])];
      checkGrad((x, h0, c0, ...w) => {
        const r = dispatch('rnn', { Input: [x], PreState: mode === 'LSTM' ? [h0, c0] : [h0], WeightList: [w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]], SequenceLength: [lens([3, 1])] },
          { mode, input_size: 2, hidden_size: 2, num_layers: 1, is_bidirec: true });
        return [r.Out[0], ...r.State];
      }, [randTensor([3, 2, 2]), randTensor([2, 2, 2]), randTensor([2, 2, 2]), ...ws], { wrt: mode === 'LSTM' ? undefined : [0, 1, 3, 4, 5, 6, 7, 8, 9, 10] });
    }
    // the composed cell loop (RNN with sequence_length) differentiates too
    const rnn = new nn.RNN(new nn.LSTMCell(2, 2), true);
    checkGrad((x, h0, c0) => {
      const [y, [h, c]] = rnn(x, [h0, c0], lens([2, 3]));
      return [y, h, c];
    }, [randTensor([2, 3, 2]), randTensor([2, 2]), randTensor([2, 2])]);
  });
  // parameter gradients reach the cells' parameters (shared with weight_ih_l0 ...)
  const lstm = new nn.LSTM(3, 4);
  const [y] = lstm(paddle.randn([2, 5, 3]));
  y.sum().backward();
  assert.deepEqual(lstm.weight_ih_l0.grad!.shape, [16, 3]);
  assert.equal(lstm.weight_ih_l0.grad, (lstm[0] as any).cell.weight_ih.grad);
});

test('dropout applies between layers while training only', () => {
  const net = new nn.LSTM(3, 4, 2, { dropout: 0.5 });
  const x = paddle.randn([2, 6, 3]);
  net.eval();
  const [e1] = net(x);
  const [e2] = net(x);
  assertClose(e1, e2, 0, 0);
  const plain = new nn.LSTM(3, 4, 2);
  plain.set_state_dict(net.state_dict());
  assertClose(plain(x)[0], e1, 0, 0); // eval: no dropout
  net.train();
  paddle.seed(7);
  const [t1] = net(x);
  paddle.seed(7);
  const [t2] = net(x);
  assertClose(t1, t2, 0, 0);
  assert.ok(Math.max(...(t1.subtract(e1).abs().numpy() as Float32Array)) > 1e-4);
  // dropout 1: the second layer sees zeros
  const all = new nn.GRU(3, 4, 2, { dropout: 1.0 });
  const [yd, hd] = all(x);
  const second = new nn.GRU(4, 4);
  for (const n of ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']) (second as any)[`${n}_l0`].set_value((all as any)[`${n}_l1`]);
  const [ys, hs] = second(paddle.zeros([2, 6, 4]));
  assertClose(yd, ys, 1e-6, 1e-7);
  assertClose(hd.getitem(1), hs.getitem(0), 1e-6, 1e-7);
});

test('an LSTM learns a tiny sequence task (predict the previous input)', () => {
  paddle.seed(3);
  const lstm = new nn.LSTM(1, 8);
  const head = new nn.Linear(8, 1);
  const params = [...lstm.parameters(), ...head.parameters()];
  const opt = new paddle.optimizer.Adam({ learning_rate: 0.05, parameters: params });
  const data = paddle.rand([16, 6, 1]).subtract(paddle.to_tensor(0.5));
  const target = paddle.concat([paddle.zeros([16, 1, 1]), data.getitem(':', ':5')], 1);
  let first = 0;
  let last = 0;
  for (let it = 0; it < 60; it++) {
    const [y] = lstm(data);
    const loss = paddle.nn.functional.mse_loss(head(y), target);
    if (it === 0) first = loss.item() as number;
    last = loss.item() as number;
    loss.backward();
    opt.step();
    opt.clear_grad();
  }
  assert.ok(last < first * 0.2, `loss ${first} -> ${last}`);
});

test('get_initial_states and state_shape', () => {
  const cell = new nn.LSTMCell(3, 5);
  const x = paddle.randn([4, 3]);
  const [h, c] = cell.get_initial_states(x) as Tensor[];
  assert.deepEqual(h.shape, [4, 5]);
  assert.deepEqual(c.shape, [4, 5]);
  assert.equal(h.dtype, 'float32');
  const s = cell.get_initial_states(paddle.randn([7, 2, 3]), [[2], [6]], 'float64', 1.5, 1) as Tensor[];
  assert.deepEqual(s.map((t) => t.shape), [[2, 2], [2, 6]]);
  assert.equal(s[0].dtype, 'float64');
  assertClose(s[1], paddle.full([2, 6], 1.5, 'float64'));
  assert.deepEqual((new nn.GRUCell(3, 5).get_initial_states(x) as Tensor).shape, [4, 5]);
  assert.deepEqual(new nn.GRUCell(3, 5).state_shape, [5]);
  assert.deepEqual(cell.state_shape, [[5], [5]]);
  class Bare extends nn.RNNCellBase {}
  assertThrows(() => new Bare().state_shape, paddle.errors.UnimplementedError, /state_shape/);
  // a cell without state_dtype gets the default dtype
  class Custom extends nn.RNNCellBase {
    override get state_shape() {
      return [3];
    }
    override forward(inp: Tensor, st: Tensor): [Tensor, Tensor] {
      const h = paddle.tanh(st.add(inp.sum({ axis: 1, keepdim: true })));
      return [h, h];
    }
  }
  const [cy, ch] = new nn.RNN(new Custom())(paddle.randn([2, 4, 3]));
  assert.deepEqual((cy as Tensor).shape, [2, 4, 3]);
  assert.deepEqual((ch as Tensor).shape, [2, 3]);
});

test('static mode appends the rnn operator and its gradient, with the same values', () => {
  const I = nn.initializer;
  const attrs = () => ({
    weight_ih_attr: new paddle.ParamAttr({ initializer: new I.Constant(0.1) }),
    weight_hh_attr: new paddle.ParamAttr({ initializer: new I.Constant(-0.2) }),
    bias_ih_attr: new paddle.ParamAttr({ initializer: new I.Constant(0.05) }),
    bias_hh_attr: new paddle.ParamAttr({ initializer: new I.Constant(0.02) }),
  });
  const xv = paddle.to_tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), { dtype: 'float32' }).reshape([2, 3, 4]);
  const [yd, [hd]] = new nn.LSTM(4, 5, 2, 'bidirect', attrs())(xv);
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    const [ys, hs, types] = paddle.static.scope_guard(new paddle.static.Scope(), () =>
      paddle.static.program_guard(main, startup, () => {
        const x = paddle.static.data('x', [2, 3, 4], 'float32');
        const [y, [h]] = new nn.LSTM(4, 5, 2, 'bidirect', attrs())(x);
        paddle.static.append_backward(paddle.mean(y));
        exe.run(startup);
        const out = exe.run(main, { feed: { x: xv }, fetch_list: [y, h] });
        return [out[0], out[1], main.global_block().ops.map((o) => o.type)] as const;
      }),
    );
    assert.ok(types.includes('rnn') && types.includes('rnn_grad'));
    assertClose(ys as Tensor, yd, 1e-6, 1e-7);
    assertClose(hs as Tensor, hd, 1e-6, 1e-7);
  } finally {
    paddle.disable_static();
  }
});

test('errors name the API and the argument', () => {
  const E = paddle.errors.InvalidArgumentError;
  assertThrows(() => new nn.LSTM(3, 4, 1, 'sideways'), E, /paddle\.nn\.LSTM/, /direction should be forward or bidirect/);
  assertThrows(() => new nn.SimpleRNN(3, 4, { activation: 'gelu' }), E, /Unknown activation 'gelu'/);
  assertThrows(() => new nn.SimpleRNNCell(3, 4, 'sigmoid'), E, /tanh or relu/);
  assertThrows(() => new nn.GRU(0, 4), E, /input_size must be a positive integer/);
  assertThrows(() => new nn.LSTM(3, 4, 0), E, /num_layers/);
  assertThrows(() => new nn.BiRNN(new nn.GRUCell(3, 4), new nn.GRUCell(2, 4)), E, /input size of forward cell\(3\) does not equals that of backward cell\(2\)/);
  const lstm = new nn.LSTM(3, 4, 2);
  assertThrows(() => lstm(paddle.randn([2, 5, 2])), E, /paddle\.nn\.LSTM/, /input_size=3/);
  assertThrows(() => lstm(paddle.randn([2, 3])), E, /must be 3-D/);
  assertThrows(() => lstm(paddle.randn([2, 5, 3]), paddle.zeros([2, 2, 4])), E, /a pair \[h, c\]/);
  assertThrows(() => lstm(paddle.randn([2, 5, 3]), [paddle.zeros([2, 3, 4]), paddle.zeros([2, 2, 4])]), E, /initial_states\[0\] must have shape \[2, 2, 4\]/);
  assertThrows(() => lstm(paddle.randn([2, 5, 3]), null, lens([5, 6])), E, /SequenceLength\[1\] = 6 is outside \[0, 5\]/);
  assertThrows(() => lstm(paddle.randn([2, 5, 3]), null, lens([5, 2, 1])), E, /SequenceLength must have shape \[batch_size\]/);
  assertThrows(() => lstm(paddle.randn([2, 5, 3]).astype('int32')), E, /float32 or float64/);
  const cell = new nn.LSTMCell(3, 4);
  assertThrows(() => cell(paddle.randn([2, 3]), paddle.zeros([2, 4])), E, /paddle\.nn\.LSTMCell/, /a pair \[h, c\]/);
  assertThrows(() => cell(paddle.randn([2, 5])), E, /input_size=3/);
  assertThrows(() => dispatch('rnn', { Input: [paddle.randn([2, 2, 3])], PreState: [paddle.zeros([1, 2, 4])], WeightList: [] }, { mode: 'LSTM', input_size: 3, hidden_size: 4 }), E, /PreState of LSTM must hold 2 tensors/);
  assertThrows(() => dispatch('rnn', { Input: [paddle.randn([2, 2, 3])], PreState: [paddle.zeros([1, 2, 4])], WeightList: [] }, { mode: 'GRUX', input_size: 3, hidden_size: 4 }), E, /attribute mode must be one of/);
});
