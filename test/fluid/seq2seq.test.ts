// A small fluid seq2seq, as Paddle's fluid "machine translation" book model: a DynamicRNN
// encoder over LoD source sequences, a DynamicRNN decoder trained with teacher forcing, and a
// beam-search decoder built with While, tensor arrays, lod_reset, topk, beam_search (with
// parent_idx and gather for the states) and beam_search_decode on LoD beams. It learns a toy copy task and decodes the
// training sequences back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';

const { fluid } = paddle;
const L = fluid.layers;
const place = new paddle.CPUPlace();
type V = paddle.static.Variable;

const BOS = 0;
const EOS = 1;
const VOCAB = 6; // tokens 2..5 are the content
const EMB = 12;
const H = 32;
const BEAM = 2;
const MAX_LEN = 5;

/** The shared decoder step: state, previous token -> (new state, next-token probabilities). */
function decoderStep(prevState: Tensor, prevIds: Tensor): [Tensor, Tensor] {
  const emb = L.embedding(prevIds, [VOCAB, EMB], { param_attr: 'trg_emb' });
  const flat = L.reshape(emb, [-1, EMB]);
  const state = L.fc([prevState, flat], H, { act: 'tanh', param_attr: ['dec_ws', 'dec_we'], bias_attr: 'dec_b' });
  const probs = L.fc(state, VOCAB, { act: 'softmax', param_attr: 'out_w', bias_attr: 'out_b' });
  return [state, probs];
}

function encoder(src: Tensor): Tensor {
  const emb = L.embedding(src, [VOCAB, EMB], { param_attr: 'src_emb' });
  const drnn = new L.DynamicRNN();
  drnn.block(() => {
    const w = drnn.step_input(emb);
    const prev = drnn.memory({ shape: [H] });
    const h = L.fc([w, prev], H, { act: 'tanh', param_attr: ['enc_wx', 'enc_wh'], bias_attr: 'enc_b' });
    drnn.update_memory(prev, h);
    drnn.output(h);
  });
  return L.sequence_last_step(drnn() as Tensor);
}

function trainProgram(): { main: paddle.static.Program; startup: paddle.static.Program; loss: V; probs: V } {
  const main = new paddle.static.Program();
  const startup = new paddle.static.Program();
  let loss!: V;
  let probsV!: V;
  paddle.static.program_guard(main, startup, () => {
    const src = paddle.static.data('src', [-1, 1], 'int64', 1);
    const trg = paddle.static.data('trg', [-1, 1], 'int64', 1);
    const next = paddle.static.data('next', [-1, 1], 'int64', 1);
    const enc = encoder(src);
    const drnn = new L.DynamicRNN();
    drnn.block(() => {
      const word = drnn.step_input(trg);
      // batches come sorted by length (longest first), the DynamicRNN's own order, so the
      // encoder states need no reordering
      const mem = drnn.memory({ init: enc });
      const [state, probs] = decoderStep(mem, word);
      drnn.update_memory(mem, state);
      drnn.output(probs);
    });
    const probs = drnn() as Tensor;
    probsV = probs as V;
    loss = L.mean(L.cross_entropy(probs, next)) as V;
    new paddle.optimizer.Adam({ learning_rate: 0.02 }).minimize(loss);
  });
  return { main, startup, loss, probs: probsV };
}

function inferProgram(): { main: paddle.static.Program; ids: V; scores: V } {
  const main = new paddle.static.Program();
  let out!: [V, V];
  paddle.static.program_guard(main, new paddle.static.Program(), () => {
    const src = paddle.static.data('src', [-1, 1], 'int64', 1);
    const initIds = paddle.static.data('init_ids', [-1, 1], 'int64', 2);
    const initScores = paddle.static.data('init_scores', [-1, 1], 'float32', 2);
    const enc = encoder(src);
    const counter = L.fill_constant([1], 'int64', 0);
    const maxLen = L.fill_constant([1], 'int64', MAX_LEN);
    const states = L.array_write(enc, counter) as V;
    const idsArr = L.array_write(initIds, counter) as V;
    const scoresArr = L.array_write(initScores, counter) as V;
    const cond = L.less_than(counter, maxLen) as V;
    const w = new L.While(cond);
    w.block(() => {
      const preIds = L.array_read(idsArr, counter);
      const preState = L.array_read(states, counter);
      const preScore = L.array_read(scoresArr, counter);
      // one state and next-token distribution per live prefix
      const [state, probs] = decoderStep(preState, preIds);
      const scored = L.lod_reset(probs, preScore);
      const [topScores, topIds] = L.topk(scored, BEAM);
      const acc = L.elementwise_add(paddle.log(topScores), L.reshape(preScore, [-1]), 0);
      const [selIds, selScores, parent] = L.beam_search(preIds, preScore, topIds, acc, BEAM, EOS, { return_parent_idx: true });
      L.increment(counter, 1, true);
      // the selected candidates continue from their parent prefix's state
      L.array_write(L.gather(state, parent), counter, states);
      L.array_write(selIds, counter, idsArr);
      L.array_write(selScores, counter, scoresArr);
      const more = paddle.logical_and(L.less_than(counter, maxLen), paddle.logical_not(paddle.is_empty(selIds)));
      L.assign(more, cond);
    });
    out = L.beam_search_decode(idsArr, scoresArr, BEAM, EOS) as [V, V];
  });
  return { main, ids: out[0], scores: out[1] };
}

function lodIds(seqs: number[][]): paddle.fluid.LoDTensor {
  return fluid.create_lod_tensor(seqs.map((s) => s.slice()), [seqs.map((s) => s.length)], place);
}

test('a fluid seq2seq (DynamicRNN encoder and decoder, beam search on LoD beams) learns to copy sequences', () => {
  paddle.seed(1234);
  let seed = 99;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 16) % n;
  };
  const sample = (): number[] => Array.from({ length: 1 + rand(3) }, () => 2 + rand(VOCAB - 2));
  paddle.enable_static();
  let train!: ReturnType<typeof trainProgram>;
  let infer!: ReturnType<typeof inferProgram>;
  try {
    train = trainProgram();
    infer = inferProgram();
  } finally {
    paddle.disable_static();
  }
  const ops = infer.main.global_block().ops.map((o) => o.type);
  for (const t of ['lod_rank_table', 'lod_tensor_to_array', 'while', 'array_to_lod_tensor', 'beam_search_decode']) assert.ok(ops.includes(t), t);
  const sub = infer.main.global_block().ops.filter((o) => o.type === 'while').pop()!.attr('sub_block') as paddle.static.Block;
  assert.ok(sub.ops.some((o) => o.type === 'beam_search'));
  const exe = new paddle.static.Executor(place);
  const scope = new paddle.static.Scope();
  const t0 = Date.now();
  let last = Infinity;
  paddle.static.scope_guard(scope, () => {
    exe.run(train.startup);
    let first = 0;
    for (let step = 0; step < 800; step++) {
      const batch = Array.from({ length: 16 }, sample).sort((a, b) => b.length - a.length);
      const [l] = exe.run(train.main, {
        feed: { src: lodIds(batch), trg: lodIds(batch.map((s) => [BOS, ...s])), next: lodIds(batch.map((s) => [...s, EOS])) },
        fetch_list: [train.loss],
      });
      last = l.item() as number;
      if (step === 0) first = last;
      if (step > 200 && last < 0.02) break;
    }
    assert.ok(last < first / 5, `loss ${first} -> ${last}`);
  });
  // decode a batch of sequences with beam search
  const tests = [[2], [5, 3], [3, 3, 4], [4, 2, 5], [5], [2, 4], [3, 5, 2], [4, 4]];
  const n = tests.length;
  const ones = (v: number, dtype: 'int64' | 'float32') => fluid.create_lod_tensor(paddle.full([n, 1], v, dtype), [Array(n).fill(1), Array(n).fill(1)], place);
  const [ids, scores] = paddle.static.scope_guard(scope, () =>
    exe.run(infer.main, { feed: { src: lodIds(tests), init_ids: ones(BOS, 'int64'), init_scores: ones(0, 'float32') }, fetch_list: [infer.ids, infer.scores] }));
  const [srcLod, sentLod] = ids.lod;
  assert.equal(srcLod.length, n + 1);
  const data = Array.from(ids.numpy() as BigInt64Array, Number);
  const sc = Array.from(scores.numpy() as Float32Array);
  tests.forEach((seq, k) => {
    const s = srcLod[k];
    assert.ok(srcLod[k + 1] - s >= 1, `source ${k} has hypotheses`);
    const best = data.slice(sentLod[s], sentLod[s + 1]);
    assert.deepEqual(best, [BOS, ...seq, EOS], `source ${k}: decoded ${best}`);
    // hypotheses come best first: the final accumulated score decreases
    for (let h = s + 1; h < srcLod[k + 1]; h++) assert.ok(sc[sentLod[h + 1] - 1] <= sc[sentLod[s + 1] - 1] + 1e-6);
  });
  assert.ok(Date.now() - t0 < 60000, `took ${Date.now() - t0} ms`);
});
