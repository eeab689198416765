// End to end: small sequence-to-sequence models learn to copy their input and then decode it
// with beam search (BeamSearchDecoder + dynamic_decode, the predicted ids back-traced by
// gather_tree). Sequences are random symbols 2..7 of a vocabulary of 8 (0 = BOS, 1 = EOS);
// the target is the source followed by EOS. Two models:
// - a Transformer (1 encoder and 1 decoder layer, d_model 32) with learned position
//   embeddings, decoded incrementally: the beam-search cell runs the TransformerDecoder on one
//   token with the per-layer [Cache, StaticCache] states of TransformerDecoder.gen_cache, and
//   gets the (beam-tiled) encoder output through dynamic_decode's extra keywords;
// - an LSTM encoder with an LSTMCell decoder (teacher-forced through nn.RNN), decoded with the
//   cell itself, embedding_fn = the embedding and output_fn = the output projection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const nn = paddle.nn;
const F = paddle.nn.functional;
const BOS = 0;
const EOS = 1;
const V = 8;
const BEAM = 3;

/** A seeded batch of copy examples of length L. */
function makeBatches(seed: number, L: number) {
  let s = seed;
  const rnd = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return (n: number) => {
    const src = Array.from({ length: n }, () => Array.from({ length: L }, () => 2 + Math.floor(rnd() * (V - 2))));
    return { src, tgtIn: src.map((x) => [BOS, ...x]), tgtOut: src.map((x) => [...x, EOS]) };
  };
}

function train(model: paddle.nn.Layer, steps: number, batch: ReturnType<typeof makeBatches>): number {
  const opt = new paddle.optimizer.Adam({ learning_rate: 0.01, parameters: model.parameters() });
  let loss = Infinity;
  for (let step = 0; step < steps; step++) {
    const b = batch(32);
    const logits = model(paddle.to_tensor(b.src), paddle.to_tensor(b.tgtIn)) as Tensor;
    const l = F.cross_entropy(logits.reshape([-1, V]), paddle.to_tensor(b.tgtOut).reshape([-1, 1]));
    l.backward();
    opt.step();
    opt.clear_grad();
    loss = l.item() as number;
  }
  return loss;
}

/** The best beam's ids per example (beams come sorted by score). */
const bestBeam = (ids: Tensor): number[][] => (ids.tolist() as number[][][]).map((seq) => seq.map((step) => step[0]));

test('a Transformer learns to copy and decodes with beam search through its caches', () => {
  const L = 5;
  const D = 32;
  paddle.seed(123);
  class CopyTransformer extends nn.Layer {
    emb = new nn.Embedding(V, D);
    pos = new nn.Embedding(L + 4, D);
    transformer = new nn.Transformer(D, 4, 1, 1, 64, { dropout: 0 });
    proj = new nn.Linear(D, V);
    embed(ids: Tensor): Tensor {
      return paddle.add(this.emb(ids), this.pos(paddle.arange(0, ids.shape[1])));
    }
    override forward(src: Tensor, tgtIn: Tensor): Tensor {
      const mask = this.transformer.generate_square_subsequent_mask(tgtIn.shape[1]);
      return this.proj(this.transformer(this.embed(src), this.embed(tgtIn), null, mask));
    }
  }
  const model = new CopyTransformer();
  const batch = makeBatches(99, L);
  const loss = train(model, 150, batch);
  assert.ok(loss < 0.02, `training loss ${loss}`);

  model.eval();
  const ex = batch(8);
  const src = paddle.to_tensor(ex.src);
  const memory = model.transformer.encoder(model.embed(src)) as Tensor;
  const decoderStack = model.transformer.decoder as InstanceType<typeof nn.TransformerDecoder>;
  // the cell: one incremental decoder step; the position is the length of the self-attention cache
  const cell = (inputs: Tensor, caches: any, kw: { memory: Tensor }): [Tensor, unknown] => {
    const t = caches[0][0].k.shape[2];
    const x = paddle.unsqueeze(paddle.add(inputs, model.pos(paddle.to_tensor([t]))), [1]);
    const [out, next] = decoderStack(x, kw.memory, null, null, caches) as [Tensor, unknown];
    return [model.proj(paddle.squeeze(out, [1])), next];
  };
  const decoder = new nn.BeamSearchDecoder(cell, BOS, EOS, BEAM, { embedding_fn: (ids: Tensor) => model.emb(ids) });
  const [ids, states, lengths] = paddle.no_grad(() =>
    nn.dynamic_decode(decoder, decoderStack.gen_cache(memory), {
      max_step_num: L + 1,
      return_length: true,
      memory: nn.BeamSearchDecoder.tile_beam_merge_with_batch(memory, BEAM),
    }),
  ) as [Tensor, any, Tensor];
  assert.equal(ids.shape[0], 8);
  assert.equal(ids.shape[2], BEAM);
  const best = bestBeam(ids);
  for (let i = 0; i < 8; i++) assert.deepEqual(best[i].slice(0, L + 1), ex.tgtOut[i], `example ${i}: ${best[i]}`);
  assert.deepEqual((lengths.tolist() as number[][]).map((r) => r[0]), new Array(8).fill(L + 1));
  // the caches in the final states grew by one position per step
  assert.equal(states.cell_states[0][0].k.shape[3], ids.shape[1]);
});

test('an LSTM encoder-decoder learns to copy and decodes with BeamSearchDecoder(LSTMCell)', () => {
  const L = 4;
  paddle.seed(11);
  class Seq2Seq extends nn.Layer {
    emb = new nn.Embedding(V, 16);
    encoder = new nn.LSTM(16, 64);
    cell = new nn.LSTMCell(16, 64);
    decoder = new nn.RNN(this.cell);
    proj = new nn.Linear(64, V);
    override forward(src: Tensor, tgtIn: Tensor): Tensor {
      const [, [h, c]] = this.encoder(this.emb(src));
      const [out] = this.decoder(this.emb(tgtIn), [paddle.squeeze(h, [0]), paddle.squeeze(c, [0])]);
      return this.proj(out);
    }
  }
  const model = new Seq2Seq();
  const batch = makeBatches(7, L);
  const loss = train(model, 250, batch);
  assert.ok(loss < 0.05, `training loss ${loss}`);

  model.eval();
  const ex = batch(8);
  const [, [h, c]] = model.encoder(model.emb(paddle.to_tensor(ex.src)));
  const decoder = new nn.BeamSearchDecoder(model.cell, BOS, EOS, BEAM, { embedding_fn: model.emb, output_fn: model.proj });
  const [ids] = paddle.no_grad(() => nn.dynamic_decode(decoder, [paddle.squeeze(h, [0]), paddle.squeeze(c, [0])], { max_step_num: L + 1 })) as [Tensor, unknown];
  const best = bestBeam(ids);
  for (let i = 0; i < 8; i++) assert.deepEqual(best[i].slice(0, L + 1), ex.tgtOut[i], `example ${i}: ${best[i]}`);
});
