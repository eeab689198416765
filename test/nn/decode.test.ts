// gather_tree, BeamSearchDecoder and dynamic_decode.
//
// gather_tree: the worked example of Paddle's gather_tree docstring, and a random case
// back-traced by NumPy (the loop of Paddle's test_gather_tree_op.py).
//
// Beam search: a NumPy re-implementation of Paddle 2.0's BeamSearchDecoder step (tmp script,
// summarized): log-probs = log(softmax(logits)); finished beams get 0 for end_token and -1e9
// for the rest; scores = step log-probs + beam log-probs; top beam_size of the beam*vocab
// candidates per batch entry (beam = index // vocab, token = index % vocab); states, finished
// and lengths gathered by beam; lengths += !finished; finished |= token == end; start
// log-probs [0, -1e9, ...]; dynamic_decode loops until all finished, or stops once the step
// count exceeds max_step_num, then back-traces with gather_tree. The cell is a fixed Markov
// chain over V=5 tokens: logits = TABLE[input id] + h (h a per-batch bias state), and a second
// state c = 5c + input id records the path, so the final states show how beams were reordered.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { Decoder } from '../../src/nn/decode.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const nn = paddle.nn;
const F = paddle.nn.functional;
const { InvalidArgumentError, OutOfRangeError, UnimplementedError } = paddle.errors;

// ---- gather_tree --------------------------------------------------------------------------------

test('gather_tree: the example of Paddle\'s docs (int64 and int32)', () => {
  const idsData = [[[2, 2], [6, 1]], [[3, 9], [6, 1]], [[0, 1], [9, 0]]];
  const parentsData = [[[0, 0], [1, 1]], [[1, 0], [1, 0]], [[0, 0], [0, 1]]];
  const expected = [[[2, 2], [1, 6]], [[3, 3], [6, 1]], [[0, 1], [9, 0]]];
  const out = F.gather_tree(paddle.to_tensor(idsData), paddle.to_tensor(parentsData));
  assert.equal(out.dtype, 'int64');
  assert.deepEqual(out.tolist(), expected);
  const out32 = F.gather_tree(paddle.to_tensor(idsData, { dtype: 'int32' }), paddle.to_tensor(parentsData, { dtype: 'int32' }));
  assert.equal(out32.dtype, 'int32');
  assert.deepEqual(out32.tolist(), expected);
});

test('gather_tree: a random case back-traced by NumPy; int64 ids stay exact', () => {
  const ids = paddle.to_tensor([[[5, 0, 3], [3, 7, 9]], [[3, 5, 2], [4, 7, 6]], [[8, 8, 1], [6, 7, 7]], [[8, 1, 5], [9, 8, 9]]]);
  const parents = paddle.to_tensor([[[0, 0, 1], [2, 0, 2]], [[0, 1, 1], [2, 0, 1]], [[1, 1, 0], [2, 0, 2]], [[2, 0, 2], [0, 0, 0]]]);
  assert.deepEqual(F.gather_tree(ids, parents).tolist(), [[[5, 0, 5], [7, 7, 7]], [[3, 5, 3], [6, 6, 6]], [[1, 8, 1], [6, 6, 6]], [[8, 1, 5], [9, 8, 9]]]);
  const big = paddle.to_tensor([[[2n ** 60n + 1n]], [[7n]]] as never, { dtype: 'int64' });
  const out = F.gather_tree(big, paddle.zeros([2, 1, 1], 'int64'));
  assert.equal((out.numpy() as BigInt64Array)[0], 2n ** 60n + 1n);
});

test('gather_tree: static mode appends the operator', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const ids = paddle.static.data('ids', [-1, 2, 2], 'int64');
      const parents = paddle.static.data('parents', [-1, 2, 2], 'int64');
      const out = F.gather_tree(ids, parents);
      assert.deepEqual(out.shape, [-1, 2, 2]);
    });
    const op = main.global_block().ops.at(-1)!;
    assert.equal(op.type, 'gather_tree');
    assert.deepEqual(op.input_names, ['Ids', 'Parents']);
  } finally {
    paddle.disable_static();
  }
});

test('gather_tree: errors', () => {
  const ids = paddle.to_tensor([[[1, 2]], [[3, 4]]]);
  assertThrows(() => F.gather_tree(ids.astype('float32'), ids), InvalidArgumentError, /gather_tree/, /'ids' must be a Tensor of dtype int32 or int64/);
  assertThrows(() => F.gather_tree(ids, paddle.to_tensor([[1, 0]])), InvalidArgumentError, /must have shape \[max_time, batch_size, beam_size\]/);
  assertThrows(() => F.gather_tree(ids, paddle.zeros([2, 1, 3], 'int64')), InvalidArgumentError, /shape of Input\(Parents\) must be same/);
  assertThrows(() => F.gather_tree(ids, paddle.zeros([2, 1, 2], 'int32')), InvalidArgumentError, /same dtype/);
  assertThrows(() => F.gather_tree(ids, paddle.to_tensor([[[0, 2]], [[0, 1]]])), OutOfRangeError, /gather_tree/, /outside the beam range \[0, 2\)/);
});

// ---- BeamSearchDecoder --------------------------------------------------------------------------

const V = 5;
const B = 2;
const K = 3;
const TABLE = [[-3, -1.0, 0.9, 0.5, 0.2], [-3, 0.0, 0.1, 0.2, 0.3], [-3, 0.3, -0.5, 1.1, 0.4], [-3, 1.2, 0.1, -0.8, 0.6], [-3, 0.8, 0.7, 0.2, -1.0]];

beforeEach(() => paddle.set_default_dtype('float64'));
afterEach(() => paddle.set_default_dtype('float32'));

function h0(): Tensor {
  return paddle.to_tensor(Float64Array.from({ length: B * V }, (_, i) => 0.3 * Math.cos(0.3 + 2.1 * i))).reshape([B, V]);
}
/** cell(ids, [h, c]) -> [TABLE[ids] + h, [h, 5c + ids]] */
function markovCell(table: Tensor) {
  return (ids: Tensor, states: Tensor[]): [Tensor, Tensor[]] => {
    const [h, c] = states;
    const logits = paddle.add(paddle.gather(table, ids), h);
    return [logits, [h, paddle.add(paddle.scale(c, V), paddle.unsqueeze(ids.astype('float64'), [1]))]];
  };
}

test('BeamSearchDecoder + dynamic_decode: ids, scores, lengths and reordered states match NumPy', () => {
  const table = paddle.to_tensor(TABLE, { dtype: 'float64' });
  const decoder = new nn.BeamSearchDecoder(markovCell(table), 0, 1, K);
  const inits = [h0(), paddle.zeros([B, 1], 'float64')];
  const [ids, states, lengths] = nn.dynamic_decode(decoder, inits, { return_length: true }) as [Tensor, any, Tensor];
  assert.equal(ids.dtype, 'int64');
  assert.deepEqual(ids.shape, [B, 6, K]);
  assert.deepEqual(ids.tolist(), [
    [[3, 2, 2], [1, 3, 3], [1, 1, 4], [1, 1, 2], [1, 1, 3], [1, 1, 1]],
    [[3, 4, 2], [1, 1, 3], [1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]],
  ]);
  assert.ok(states instanceof nn.BeamSearchDecoder.StateWrapper);
  assertClose(states.log_probs, [[-1.7615648566, -2.2569734967, -5.2860712466], [-1.9073166229, -2.0036821348, -2.6019987076]], 1e-9, 1e-9);
  assert.deepEqual(states.finished.tolist(), [[true, true, true], [true, true, true]]);
  assert.deepEqual(states.lengths.tolist(), [[2, 3, 6], [2, 2, 3]]);
  assert.equal(lengths, states.lengths);
  const [h, c] = states.cell_states as Tensor[];
  assert.deepEqual(h.shape, [B, K, V]);
  assert.deepEqual(c.tolist(), [[[2031], [1656], [1738]], [[2031], [2656], [1656]]]);
  // time-major output
  const [idsT] = nn.dynamic_decode(decoder, { inits, output_time_major: true }) as [Tensor, unknown];
  assert.deepEqual(idsT.shape, [6, B, K]);
  assert.deepEqual(paddle.transpose(idsT, [1, 0, 2]).tolist(), ids.tolist());
});

test('dynamic_decode: max_step_num stops after max_step_num + 1 steps (Paddle 2.0 dygraph)', () => {
  const table = paddle.to_tensor(TABLE, { dtype: 'float64' });
  const decoder = new nn.BeamSearchDecoder(markovCell(table), 0, 1, K);
  const [ids, states, lengths] = nn.dynamic_decode(decoder, [h0(), paddle.zeros([B, 1], 'float64')], 2, { return_length: true }) as [Tensor, any, Tensor];
  assert.deepEqual(ids.tolist(), [[[3, 2, 2], [1, 3, 3], [1, 1, 4]], [[3, 4, 2], [1, 1, 3], [1, 1, 1]]]);
  assertClose(states.log_probs, [[-1.7615648566, -2.2569734967, -2.8603493757], [-1.9073166229, -2.0036821348, -2.6019987076]], 1e-9, 1e-9);
  assert.deepEqual(states.finished.tolist(), [[true, true, false], [true, true, true]]);
  assert.deepEqual(lengths.tolist(), [[2, 3, 3], [2, 2, 3]]);
  assert.deepEqual((states.cell_states[1] as Tensor).tolist(), [[[16], [13], [13]], [[16], [21], [13]]]);
});

test('BeamSearchDecoder: embedding_fn and output_fn give the same search; step outputs', () => {
  const table = paddle.to_tensor(TABLE, { dtype: 'float64' });
  // the cell sees one-hot inputs from embedding_fn, and output_fn scales the logits by 1
  const cell = (x: Tensor, states: Tensor[]): [Tensor, Tensor[]] => {
    const [h, c] = states;
    const ids = paddle.argmax(x, -1);
    return [paddle.add(paddle.matmul(x, table), h), [h, paddle.add(paddle.scale(c, V), paddle.unsqueeze(ids.astype('float64'), [1]))]];
  };
  const decoder = new nn.BeamSearchDecoder(cell, 0, 1, K, {
    embedding_fn: (ids: Tensor) => F.one_hot(ids, V).astype('float64'),
    output_fn: (o: Tensor) => paddle.scale(o, 1),
  });
  const [ids] = nn.dynamic_decode(decoder, [h0(), paddle.zeros([B, 1], 'float64')]) as [Tensor, unknown];
  assert.deepEqual((ids.tolist() as number[][][])[1], [[3, 4, 2], [1, 1, 3], [1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]]);
  // one step by hand: OutputWrapper(scores, predicted_ids, parent_ids)
  const [inputs, st, finished] = decoder.initialize([h0(), paddle.zeros([B, 1], 'float64')]);
  assert.deepEqual((inputs as Tensor).shape, [B, K, V]);
  assert.deepEqual(finished.tolist(), [[false, false, false], [false, false, false]]);
  assert.deepEqual(st.log_probs.tolist(), [[0, -1e9, -1e9], [0, -1e9, -1e9]]);
  assert.deepEqual(st.lengths.tolist(), [[0, 0, 0], [0, 0, 0]]);
  const [out] = decoder.step(paddle.to_tensor([0]), inputs, st);
  assert.ok(out instanceof nn.BeamSearchDecoder.OutputWrapper);
  const [scores, predicted, parents] = out;
  assert.deepEqual(parents.tolist(), [[0, 0, 0], [0, 0, 0]]);
  assert.deepEqual(predicted.tolist(), [[2, 3, 4], [2, 4, 3]]);
  // the first step's scores are the log-softmax of the start row + h, sorted
  const first = F.log_softmax(paddle.add(paddle.gather(table, paddle.to_tensor([0, 0])), h0()), -1);
  const [topv] = paddle.topk(first, K);
  assertClose(scores, topv, 1e-12, 1e-12);
});

test('BeamSearchDecoder.tile_beam_merge_with_batch repeats each batch entry beam_size times', () => {
  const x = paddle.to_tensor([[1, 2], [3, 4], [5, 6]]);
  const t = nn.BeamSearchDecoder.tile_beam_merge_with_batch(x, 2);
  assert.deepEqual(t.tolist(), [[1, 2], [1, 2], [3, 4], [3, 4], [5, 6], [5, 6]]);
  const y = paddle.arange(0, 8).reshape([2, 2, 2]);
  assert.deepEqual(nn.BeamSearchDecoder.tile_beam_merge_with_batch(y, 3).shape, [6, 2, 2]);
  assert.deepEqual((nn.BeamSearchDecoder.tile_beam_merge_with_batch(y, 3).tolist() as number[][][])[5], [[4, 5], [6, 7]]);
  assertThrows(() => nn.BeamSearchDecoder.tile_beam_merge_with_batch([1, 2] as never, 2), InvalidArgumentError, /tile_beam_merge_with_batch/, /'x'/);
});

test('BeamSearchDecoder with nn.GRUCell, Embedding and Linear (the example of Paddle\'s docs)', () => {
  paddle.set_default_dtype('float32');
  paddle.seed(2);
  const trgEmbeder = new nn.Embedding(100, 32);
  const outputLayer = new nn.Linear(32, 32);
  const decoderCell = new nn.GRUCell(32, 32);
  const decoder = new nn.BeamSearchDecoder(decoderCell, 0, 1, 4, { embedding_fn: trgEmbeder, output_fn: outputLayer });
  const encoderOutput = paddle.ones([4, 8, 32]);
  const [ids, states] = nn.dynamic_decode({ decoder, inits: decoderCell.get_initial_states(encoderOutput), max_step_num: 10 }) as [Tensor, any];
  assert.equal(ids.shape[0], 4);
  assert.equal(ids.shape[2], 4);
  assert.ok(ids.shape[1] >= 1 && ids.shape[1] <= 11);
  assert.deepEqual(states.cell_states.shape, [4, 4, 32]);
  const v = Array.from(ids.numpy() as BigInt64Array, Number);
  assert.ok(v.every((x) => x >= 0 && x < 32));
});

// ---- dynamic_decode with a decoder that does not track its own finished state -------------------

/** Counts each entry down by one per step; outputs next * kwargs.mult; finished when <= 0. */
class CountDown extends Decoder {
  kwargsSeen: Record<string, unknown>[] = [];
  override initialize(inits: unknown): [Tensor, Tensor, Tensor] {
    const x = inits as Tensor;
    return [x, x, paddle.full(x.shape, false, 'bool')];
  }
  override step(_time: Tensor, _inputs: unknown, states: unknown, kwargs: Record<string, unknown> = {}): [Tensor, Tensor, Tensor, Tensor] {
    this.kwargsSeen.push(kwargs);
    const next = paddle.scale(states as Tensor, 1, -1);
    return [paddle.scale(next, (kwargs.mult as number) ?? 1), next, next, paddle.less_equal(next, paddle.zeros_like(next))];
  }
}

test('dynamic_decode: impute_finished, lengths, kwargs to step, no finalize', () => {
  const dec = new CountDown();
  const inits = paddle.to_tensor([3, 1, 2], { dtype: 'float64' });
  const [out, st, len] = nn.dynamic_decode(dec, inits, { impute_finished: true, return_length: true, mult: 10 }) as Tensor[];
  assert.deepEqual(dec.kwargsSeen, [{ mult: 10 }, { mult: 10 }, { mult: 10 }]);
  assert.deepEqual(out.tolist(), [[20, 10, 0], [0, 0, 0], [10, 0, 0]]);
  // 2.0 dygraph: the finished flag is updated before lengths and imputation
  assert.deepEqual(st.tolist(), [1, 1, 1]);
  assert.deepEqual(len.tolist(), [2, 0, 1]);
  assert.equal(len.dtype, 'int64');
  const [out2, st2] = nn.dynamic_decode(new CountDown(), inits, { mult: 10, output_time_major: true }) as Tensor[];
  assert.deepEqual(out2.tolist(), [[20, 0, 10], [10, -10, 0], [0, -20, -10]]);
  assert.deepEqual(st2.tolist(), [0, -2, -1]);
  const [out3] = nn.dynamic_decode(new CountDown(), inits, 1) as Tensor[];
  assert.deepEqual(out3.shape, [3, 2]);
});

test('dynamic_decode: errors', () => {
  assertThrows(() => nn.dynamic_decode(paddle.ones([1])), InvalidArgumentError, /dynamic_decode/, /decoder must be a Decoder/);
  assertThrows(() => nn.dynamic_decode(new CountDown(), paddle.to_tensor([1.0]), -1), InvalidArgumentError, /max_step_num must be non-negative/);
  assertThrows(() => nn.dynamic_decode(new Decoder(), null), UnimplementedError, /initialize is not implemented/);
  assertThrows(() => new nn.BeamSearchDecoder(markovCell(paddle.ones([5, 5])), 0, 1, 0), InvalidArgumentError, /beam_size must be a positive integer/);
  assertThrows(() => new nn.BeamSearchDecoder(42 as never, 0, 1, 2), InvalidArgumentError, /'cell' expected a callable/);
  const decoder = new nn.BeamSearchDecoder(markovCell(paddle.to_tensor(TABLE, { dtype: 'float64' })), 0, 7, K);
  assertThrows(() => nn.dynamic_decode(decoder, [h0(), paddle.zeros([B, 1], 'float64')]), InvalidArgumentError, /end_token 7 is not an id of the vocabulary of size 5/);
});
