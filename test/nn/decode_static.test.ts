// dynamic_decode in static mode (2.0's `_dynamic_decode_declarative`: a While loop over tensor
// arrays). Each case builds the same model twice from fixed weights (Assign initializers): once
// in a static program run by an Executor, once in dygraph; the predicted ids, lengths and final
// states must be equal. The weights come from a fixed LCG so both builds see the same numbers
// (the LSTM seed gives one batch entry that hits max_step_num and one whose beams end early).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { Decoder } from '../../src/nn/decode.js';
import { assertClose } from '../helpers/assert.js';

const nn = paddle.nn;
type V = paddle.static.Variable;

/** Deterministic values in [-1, 1). */
function lcg(seed: number): (n: number) => number[] {
  let s = seed >>> 0;
  return (n) => Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}
function mat(rand: (n: number) => number[], r: number, c: number, scale = 1): number[][] {
  const v = rand(r * c);
  return Array.from({ length: r }, (_, i) => v.slice(i * c, i * c + c).map((x) => x * scale));
}
const attr = (value: unknown) => new paddle.ParamAttr({ initializer: new nn.initializer.Assign(value as never) });

const V_ = 7; // vocabulary
const D = 4; // embedding
const H = 5; // hidden
const B = 2; // batch
const K = 3; // beam
const END = 6;

interface Weights { emb: number[][]; wih: number[][]; whh: number[][]; bih: number[]; bhh: number[]; fcw: number[][]; fcb: number[] }
function weights(gates: number, seed: number): Weights {
  const r = lcg(seed);
  return {
    emb: mat(r, V_, D), wih: mat(r, gates * H, D), whh: mat(r, gates * H, H), bih: r(gates * H), bhh: r(gates * H),
    fcw: mat(r, H, V_, 2), fcb: r(V_),
  };
}
function makeDecoder(kind: 'lstm' | 'gru', w: Weights): InstanceType<typeof paddle.nn.BeamSearchDecoder> {
  const Cell = kind === 'lstm' ? nn.LSTMCell : nn.GRUCell;
  const cell = new Cell(D, H, { weight_ih_attr: attr(w.wih), weight_hh_attr: attr(w.whh), bias_ih_attr: attr(w.bih), bias_hh_attr: attr(w.bhh) } as never);
  const emb = new nn.Embedding(V_, D, { weight_attr: attr(w.emb) } as never);
  const fc = new nn.Linear(H, V_, attr(w.fcw), attr(w.fcb));
  return new nn.BeamSearchDecoder(cell as never, 0, END, K, { embedding_fn: emb as never, output_fn: fc as never });
}

/** Builds and runs a static program: `fn` gets the data variables and returns the fetches. */
function runStatic(feeds: Record<string, Tensor>, fn: (v: Record<string, V>) => unknown[]): Tensor[] {
  paddle.enable_static();
  let main: paddle.static.Program;
  let startup: paddle.static.Program;
  let outs: V[] = [];
  try {
    main = new paddle.static.Program();
    startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const vars: Record<string, V> = {};
      for (const [k, t] of Object.entries(feeds)) vars[k] = paddle.static.data(k, t.shape, t.dtype) as V;
      outs = fn(vars) as V[];
    });
  } finally {
    paddle.disable_static();
  }
  const exe = new paddle.static.Executor(new paddle.CPUPlace());
  const scope = new paddle.static.Scope();
  return paddle.static.scope_guard(scope, () => {
    exe.run(startup);
    return exe.run(main, { feed: feeds, fetch_list: outs }) as Tensor[];
  });
}

const initH = paddle.to_tensor(mat(lcg(99), B, H));
const initC = paddle.to_tensor(mat(lcg(7), B, H));

for (const is_test of [false, true]) {
  test(`static dynamic_decode: BeamSearchDecoder over an LSTMCell equals dygraph (is_test=${is_test})`, () => {
    const w = weights(4, 3);
    const opts = { max_step_num: 6, return_length: true, is_test };
    const [ids, st, len] = nn.dynamic_decode(makeDecoder('lstm', w), { inits: [initH, initC], ...opts }) as [Tensor, any, Tensor];
    const got = runStatic({ h: initH, c: initC }, (v) => {
      const [sIds, sSt, sLen] = nn.dynamic_decode(makeDecoder('lstm', w), { inits: [v.h, v.c], ...opts }) as [V, any, V];
      assert.equal(sIds.dtype, 'int64');
      return [sIds, sLen, sSt.log_probs, sSt.cell_states[1], sSt.finished];
    });
    assert.deepEqual(got[0].shape, ids.shape);
    assert.deepEqual(got[0].tolist(), ids.tolist());
    assert.deepEqual(got[1].tolist(), len.tolist());
    assertClose(got[2], st.log_probs, 1e-6);
    assertClose(got[3], st.cell_states[1], 1e-6);
    assert.deepEqual(got[4].tolist(), st.finished.tolist());
    assert.equal(ids.shape[0], B);
    assert.equal(ids.shape[2], K);
  });
}

test('static dynamic_decode: BeamSearchDecoder over a GRUCell, time-major, equals dygraph', () => {
  const w = weights(3, 5);
  for (const max_step_num of [0, 3]) {
    const opts = { max_step_num, output_time_major: true, return_length: true };
    const [ids, st, len] = nn.dynamic_decode(makeDecoder('gru', w), { inits: initH, ...opts }) as [Tensor, any, Tensor];
    const got = runStatic({ h: initH }, (v) => {
      const [sIds, sSt, sLen] = nn.dynamic_decode(makeDecoder('gru', w), { inits: v.h, ...opts }) as [V, any, V];
      return [sIds, sLen, sSt.lengths, sSt.cell_states];
    });
    assert.deepEqual(got[0].tolist(), ids.tolist(), `max_step_num=${max_step_num}`);
    assert.deepEqual(got[1].tolist(), len.tolist());
    assert.deepEqual(got[2].tolist(), st.lengths.tolist());
    assertClose(got[3], st.cell_states, 1e-6);
    assert.equal(ids.shape[0], max_step_num + 1);
  }
});

/** Counts each entry down by one per step; finished at <= 0 (a greedy-style decoder). */
class CountDown extends Decoder {
  override initialize(inits: unknown): [Tensor, Tensor, Tensor] {
    const x = inits as Tensor;
    return [x, x, paddle.full(x.shape, false, 'bool')];
  }
  override step(_time: Tensor, _inputs: unknown, states: unknown, kwargs: Record<string, unknown> = {}): [Tensor, Tensor, Tensor, Tensor] {
    const next = paddle.scale(states as Tensor, 1, -1);
    return [paddle.scale(next, (kwargs.mult as number) ?? 1), next, next, paddle.less_equal(next, paddle.zeros_like(next))];
  }
}

// A decoder that does not track its own finished flag: 2.0's static loop counts the lengths and
// imputes the states with the finished flag of the previous step (its dygraph loop updates the
// flag first), so the lengths (and imputed states) are derived by hand here, step by step:
// states 3,1,2 -> 2,0,1 (entry 1 finishes) -> 1,-1,0 (entry 2) -> 0,-2,-1 (entry 0).
test('static dynamic_decode: a custom decoder (impute_finished, lengths, kwargs, no finalize)', () => {
  const inits = paddle.to_tensor([3, 1, 2], { dtype: 'float64' });
  const run = (opts: Record<string, unknown>) => runStatic({ x: inits }, (v) => nn.dynamic_decode(new CountDown(), v.x, opts) as V[]);
  // impute_finished: a state is kept once its entry was finished before the step
  let [o, s, l] = run({ impute_finished: true, return_length: true, mult: 10 });
  assert.deepEqual(o.tolist(), [[20, 10, 0], [0, -10, -10], [10, 0, -10]]);
  assert.deepEqual(s.tolist(), [0, 0, 0]);
  assert.deepEqual(l.tolist(), [3, 1, 2]);
  assert.equal(l.dtype, 'int64');
  // is_test reuses the variables instead of arrays: same values
  [o, s, l] = run({ impute_finished: true, return_length: true, is_test: true });
  assert.deepEqual(o.tolist(), [[2, 1, 0], [0, -1, -1], [1, 0, -1]]);
  assert.deepEqual(s.tolist(), [0, 0, 0]);
  assert.deepEqual(l.tolist(), [3, 1, 2]);
  // without imputation outputs and states equal dygraph's
  const opts = { output_time_major: true, mult: 10 };
  const [dO, dS] = nn.dynamic_decode(new CountDown(), inits, opts) as Tensor[];
  [o, s] = run(opts);
  assert.deepEqual(o.tolist(), dO.tolist());
  assert.deepEqual(o.tolist(), [[20, 0, 10], [10, -10, 0], [0, -20, -10]]);
  assert.deepEqual(s.tolist(), dS.tolist());
  // max_step_num=1: at most 2 steps, as dygraph
  const [mO, mS] = nn.dynamic_decode(new CountDown(), inits, { max_step_num: 1 }) as Tensor[];
  [o, s, l] = run({ max_step_num: 1, return_length: true });
  assert.deepEqual(o.tolist(), mO.tolist());
  assert.deepEqual(o.tolist(), [[2, 1], [0, -1], [1, 0]]);
  assert.deepEqual(s.tolist(), mS.tolist());
  assert.deepEqual(l.tolist(), [2, 1, 2]);
});

test('static dynamic_decode: the program has one while operator over tensor arrays', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const x = paddle.static.data('x', [3], 'float64');
      nn.dynamic_decode(new CountDown(), x, { max_step_num: 4 });
    });
    const types = main.global_block().ops.map((op) => op.type);
    assert.equal(types.filter((t) => t === 'while').length, 1);
    assert.ok(types.includes('tensor_array_to_tensor'));
    assert.equal(main.num_blocks, 2);
  } finally {
    paddle.disable_static();
  }
});
