// MultiHeadAttention and the Transformer layers against a NumPy re-implementation of Paddle
// 2.0's transformer.py (values pasted below), incremental decoding with Cache / StaticCache
// against the full-sequence computation, stacking, masks, gradients and errors.
//
// The NumPy reference (tmp script, summarized), all float64: parameters are set in state_dict
// order, parameter number i (0, 1, ...) getting 0.5*sin(0.1 + 0.37k + 1.3i) at flat index k;
// inputs are inp(shape, off) = cos(0.2 + 0.53k + off). Attention: q/k/v = x W + b, split into
// heads [B, nh, L, hd], logits = Q K^T * hd^-0.5 + mask, w = softmax(logits), out = merge(w V)
// W_out + b_out. LayerNorm eps 1e-5; FFN linear2(act(linear1(x))); post-norm
// x = LN(x + block(x)), pre-norm x = x + block(LN(x)); dropout 0.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const nn = paddle.nn;
const { InvalidArgumentError } = paddle.errors;
const NEG = -Infinity;

beforeEach(() => paddle.set_default_dtype('float64'));
afterEach(() => paddle.set_default_dtype('float32'));

/** Sets every parameter (state_dict order i) to 0.5*sin(0.1 + 0.37k + 1.3i). */
function fill(layer: paddle.nn.Layer): void {
  Object.values(layer.state_dict()).forEach((t, i) => {
    const n = t.size;
    const v = Float64Array.from({ length: n }, (_, k) => 0.5 * Math.sin(0.1 + 0.37 * k + 1.3 * i));
    (t as paddle.Tensor & { set_value(v: Tensor): void }).set_value(paddle.to_tensor(v, { dtype: t.dtype }).reshape(t.shape));
  });
}
function inp(shape: number[], off = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Float64Array.from({ length: n }, (_, k) => Math.cos(0.2 + 0.53 * k + off))).reshape(shape);
}
const causal3 = () => paddle.to_tensor([[0, NEG, NEG], [0, 0, NEG], [0, 0, 0]], { dtype: 'float64' });

// ---- MultiHeadAttention -------------------------------------------------------------------------

test('MultiHeadAttention: self-attention matches NumPy; parameters named as Paddle', () => {
  const attn = new nn.MultiHeadAttention(4, 2);
  assert.deepEqual(Object.keys(attn.state_dict()), [
    'q_proj.weight', 'q_proj.bias', 'k_proj.weight', 'k_proj.bias', 'v_proj.weight', 'v_proj.bias', 'out_proj.weight', 'out_proj.bias',
  ]);
  assert.equal(attn.head_dim, 2);
  fill(attn);
  const x = inp([2, 3, 4]);
  const out = attn(x) as Tensor;
  assert.deepEqual(out.shape, [2, 3, 4]);
  assertClose(out, [
    [[-0.007726502, -0.1861468652, -0.3393731234, -0.4466668214], [-0.0372774622, -0.2053162375, -0.3455664233, -0.4390458148], [-0.1088326726, -0.2469864404, -0.3517117522, -0.4088345282]],
    [[-0.0100947309, -0.1871214695, -0.338822195, -0.444664926], [-0.0425786899, -0.2084475746, -0.3461040579, -0.4369169806], [-0.1064944265, -0.2453672756, -0.3510308149, -0.4091839802]],
  ], 1e-8, 1e-9);
  // key / value default to query
  assertClose(attn(x, x, x) as Tensor, out, 0, 0);
});

const KV_OUT = [
  [[-0.0872131049, -0.2318074169, -0.3450276825, -0.4115500698], [-0.0971377329, -0.2431976259, -0.3563418611, -0.4212568971], [-0.1090965343, -0.2522987358, -0.3613534869, -0.4215007388]],
  [[-0.2906690301, -0.4177542183, -0.4882983329, -0.4927535587], [-0.0968027784, -0.2491354732, -0.3677488505, -0.4365891461], [-0.0871166146, -0.2295346498, -0.340886247, -0.4061004899]],
];
const KV_W = [
  [[[0.3423759387, 0.5013657935, 0.1562582678, 0], [0.3424061317, 0.3880861553, 0.269507713, 0], [0.3403013573, 0.3421196479, 0.3175789948, 0]],
    [[0.2153547507, 0.5151408342, 0.2695044151, 0], [0.280447268, 0.4082191121, 0.3113336199, 0], [0.374609433, 0.2849870221, 0.3404035449, 0]]],
  [[[1, 0, 0, 0], [0.2771486324, 0.301442951, 0.2182466989, 0.2031617177], [0, 0.3594828374, 0.3209910792, 0.3195260833]],
    [[1, 0, 0, 0], [0.2388562225, 0.3241417517, 0.2505439638, 0.1864580621], [0, 0.2707235828, 0.3231206882, 0.406155729]]],
];
function kvMask(): number[][][][] {
  const m = [0, 1].map(() => [[0, 0, 0].map(() => [0, 0, 0, 0])]);
  m[0][0].forEach((row) => (row[3] = NEG));
  m[1][0][0][1] = m[1][0][0][2] = m[1][0][0][3] = NEG;
  m[1][0][2][0] = NEG;
  return m;
}

test('MultiHeadAttention: kdim / vdim, need_weights and an additive -inf mask match NumPy', () => {
  const attn = new nn.MultiHeadAttention(4, 2, { kdim: 3, vdim: 5, need_weights: true });
  assert.deepEqual(attn.k_proj.weight.shape, [3, 4]);
  assert.deepEqual(attn.v_proj.weight.shape, [5, 4]);
  fill(attn);
  const q = inp([2, 3, 4]);
  const k = inp([2, 4, 3], 1);
  const v = inp([2, 4, 5], 2);
  const mask = paddle.to_tensor(kvMask(), { dtype: 'float64' });
  const [out, w] = attn(q, k, v, mask) as [Tensor, Tensor];
  assert.deepEqual(w.shape, [2, 2, 3, 4]);
  assertClose(out, KV_OUT, 1e-8, 1e-9);
  assertClose(w, KV_W, 1e-8, 1e-9);
  // a bool mask (true keeps) gives the same result: later Paddle's conversion to (m - 1) * 1e9
  const boolMask = paddle.to_tensor(kvMask().map((b) => b.map((h) => h.map((r) => r.map((x) => x === 0))))) as Tensor;
  assert.equal(boolMask.dtype, 'bool');
  const [out2, w2] = attn(q, k, v, { attn_mask: boolMask }) as [Tensor, Tensor];
  assertClose(out2, KV_OUT, 1e-8, 1e-9);
  assertClose(w2, KV_W, 1e-8, 1e-9);
  // so does an int mask (1 keeps, 0 masks)
  const [out3] = attn(q, k, v, { attn_mask: boolMask.astype('int64') }) as [Tensor, Tensor];
  assertClose(out3, KV_OUT, 1e-8, 1e-9);
});

test('MultiHeadAttention: incremental decoding with Cache equals the causal full-sequence result', () => {
  const attn = new nn.MultiHeadAttention(4, 2);
  fill(attn);
  const x = inp([2, 3, 4]);
  const full = attn(x, x, x, causal3()) as Tensor;
  let cache = attn.gen_cache(x);
  assert.ok(cache instanceof nn.MultiHeadAttention.Cache);
  assert.deepEqual(cache.k.shape, [2, 2, 0, 2]);
  assert.deepEqual(cache.v.shape, [2, 2, 0, 2]);
  for (let t = 0; t < 3; t++) {
    const xt = x.getitem(':', `${t}:${t + 1}`);
    const r = attn(xt, xt, xt, null, cache) as [Tensor, typeof cache];
    assert.equal(r.length, 2);
    cache = r[1];
    assert.ok(cache instanceof nn.MultiHeadAttention.Cache);
    assert.deepEqual(cache.k.shape, [2, 2, t + 1, 2]);
    assertClose(r[0], full.getitem(':', `${t}:${t + 1}`), 1e-12, 1e-12);
  }
  // a Cache is a namedtuple: fields, positions, unpacking, and callable without new
  const [k, v] = cache;
  assert.equal(k, cache.k);
  assert.equal(cache[1], v);
  const c2 = nn.MultiHeadAttention.Cache(k, v);
  assert.ok(c2 instanceof nn.MultiHeadAttention.Cache);
  // gen_cache(key, value) with type Cache wraps them as given (UniLM-style initial values)
  const c3 = attn.gen_cache(k, v);
  assert.equal(c3.k, k);
  // need_weights and a cache: [out, weights, cache]
  const attnW = new nn.MultiHeadAttention(4, 2, { need_weights: true });
  const r = attnW(x, null, null, null, attnW.gen_cache(x)) as unknown[];
  assert.equal(r.length, 3);
  assert.deepEqual((r[1] as Tensor).shape, [2, 2, 3, 3]);
});

test('MultiHeadAttention: StaticCache holds the precomputed memory keys and values', () => {
  const attn = new nn.MultiHeadAttention(4, 2, { kdim: 3, vdim: 5 });
  fill(attn);
  const q = inp([2, 3, 4]);
  const k = inp([2, 4, 3], 1);
  const v = inp([2, 4, 5], 2);
  const sc = attn.gen_cache(k, v, nn.MultiHeadAttention.StaticCache);
  assert.ok(sc instanceof nn.MultiHeadAttention.StaticCache);
  assert.notEqual(Object.getPrototypeOf(sc), nn.MultiHeadAttention.Cache.prototype);
  assert.deepEqual(sc.k.shape, [2, 2, 4, 2]);
  const [ck, cv] = attn.compute_kv(k, v);
  assertClose(sc.k, ck, 0, 0);
  assertClose(sc.v, cv, 0, 0);
  const mask = paddle.to_tensor(kvMask(), { dtype: 'float64' });
  const [out, same] = attn(q, null, null, mask, sc) as [Tensor, unknown];
  assert.equal(same, sc);
  assertClose(out, KV_OUT, 1e-8, 1e-9);
});

test('MultiHeadAttention: gradients through the attention (finite differences)', () => {
  const attn = new nn.MultiHeadAttention(4, 2, { kdim: 3, vdim: 2 });
  fill(attn);
  const mask = paddle.to_tensor([[0, 0, NEG], [0, 0, 0]], { dtype: 'float64' });
  checkGrad((q, k, v) => attn(q, k, v, mask) as Tensor, [inp([2, 2, 4]), inp([2, 3, 3], 1), inp([2, 3, 2], 2)]);
  // and through the parameters' users: the weights output
  const attnW = new nn.MultiHeadAttention(4, 2, { need_weights: true });
  fill(attnW);
  checkGrad((q) => (attnW(q) as Tensor[])[1], [inp([1, 3, 4])]);
});

test('MultiHeadAttention: dropout on the weights follows train() / eval()', () => {
  paddle.seed(5);
  const attn = new nn.MultiHeadAttention(4, 2, { dropout: 0.5, need_weights: true });
  const x = inp([2, 3, 4]);
  const [, w] = attn(x) as [Tensor, Tensor];
  const vals = Array.from(w.numpy() as Float64Array);
  assert.ok(vals.some((z) => z === 0) && vals.some((z) => z > 1 / 3), 'some weights dropped, the others scaled by 2');
  attn.eval();
  const [, w2] = attn(x) as [Tensor, Tensor];
  assertClose(paddle.sum(w2, -1), paddle.ones([2, 2, 3]), 1e-12, 1e-12);
});

test('MultiHeadAttention: errors', () => {
  assertThrows(() => new nn.MultiHeadAttention(6, 4), InvalidArgumentError, /MultiHeadAttention/, /embed_dim must be divisible by num_heads.*6.*4/);
  assertThrows(() => new nn.MultiHeadAttention(4, 0), InvalidArgumentError, /num_heads must be positive/);
  const attn = new nn.MultiHeadAttention(4, 2);
  const x = inp([2, 3, 4]);
  assertThrows(() => attn(x, null, null, null, [x, x]), InvalidArgumentError, /cache must be a MultiHeadAttention.Cache or MultiHeadAttention.StaticCache/);
  assertThrows(() => attn(inp([2, 3, 5])), InvalidArgumentError, /query must have 4 features/);
  assertThrows(() => attn(inp([3, 4])), InvalidArgumentError, /query must be a 3-D Tensor/);
  assertThrows(() => attn.gen_cache(x, null, nn.MultiHeadAttention.StaticCache), InvalidArgumentError, /StaticCache.*value is None/);
  assertThrows(() => attn.gen_cache(x, null, 'Cache'), InvalidArgumentError, /type must be MultiHeadAttention.Cache/);
  assertThrows(() => attn(x, inp([2, 4, 4]), inp([2, 5, 4])), InvalidArgumentError, /key and value must have the same length/);
});

// ---- encoder / decoder layers ---------------------------------------------------------------------

test('TransformerEncoderLayer: post-norm with a causal mask and pre-norm with gelu match NumPy', () => {
  const post = new nn.TransformerEncoderLayer(4, 2, 6, { dropout: 0 });
  assert.deepEqual(Object.keys(post.state_dict()).slice(8), [
    'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
  ]);
  fill(post);
  const src = inp([2, 3, 4]);
  assertClose(post(src, causal3()) as Tensor, [
    [[0.3941861341, 0.5461475279, 0.4646350018, 0.9138338772], [0.3109783879, 0.4279974358, 0.6126703233, 0.0617900144], [0.1086454002, 0.3706446301, 0.4751707464, 0.0712825187]],
    [[0.3971177377, 0.5471963614, 0.4671530018, 0.9128683254], [0.2860748267, 0.4111909043, 0.5939937204, 0.0388684315], [0.1029851852, 0.3705533103, 0.4710268286, 0.0768868231]],
  ], 1e-8, 1e-9);
  const pre = new nn.TransformerEncoderLayer(4, 2, 6, 0, 'gelu', { normalize_before: true });
  fill(pre);
  assertClose(pre(src) as Tensor, [
    [[1.4577447431, 1.0052746732, 0.3131359334, -0.4639052372], [-0.1685656111, -0.6544785495, -0.918639622, -0.9233592984], [0.2759932006, 0.5669696263, 0.7457858543, 0.7251296302]],
    [[1.4257282301, 0.9414893053, 0.2336356878, -0.5380763216], [-0.224077636, -0.6717217182, -0.8926054986, -0.8604896285], [0.3390356848, 0.6310108186, 0.79194477, 0.7399214186]],
  ], 1e-8, 1e-9);
});

const DEC_POST = [
  [[0.5230552867, 0.4067545993, 0.5449578954, 1.0114597733], [0.5524110961, 0.4742253438, 0.7669861411, 0.6806851197], [0.4550336771, 0.5964396796, -0.0195904697, 0.6957485941]],
  [[0.5260772949, 0.4110023753, 0.5590413312, 0.9989912846], [0.552717206, 0.475176307, 0.7616326418, 0.6874117413], [0.4551366074, 0.5098760121, 0.0269256359, 0.9184583042]],
];

test('TransformerDecoderLayer: post-norm and pre-norm match NumPy', () => {
  const layer = new nn.TransformerDecoderLayer(4, 2, 6, { dropout: 0 });
  fill(layer);
  const tgt = inp([2, 3, 4]);
  const mem = inp([2, 2, 4], 0.5);
  const mm = paddle.to_tensor([[[[0, 0]]], [[[0, NEG]]]], { dtype: 'float64' });
  assertClose(layer(tgt, mem, causal3(), mm) as Tensor, DEC_POST, 1e-8, 1e-9);
  const pre = new nn.TransformerDecoderLayer(4, 2, 6, { dropout: 0, normalize_before: true });
  fill(pre);
  assertClose(pre(tgt, mem, { tgt_mask: causal3() }) as Tensor, [
    [[0.5467785064, 0.5710344592, 0.414394118, 0.1591465257], [-1.0473650019, -1.0373500799, -0.7537634265, -0.2330505966], [-0.5251685981, 0.2621312642, 0.9785293709, 1.4639542825]],
    [[0.5065206916, 0.471846185, 0.277120979, 0.0126518508], [-1.0616557747, -1.0598396528, -0.7787332872, -0.2600393408], [-0.4515272977, 0.2591353196, 0.8890883587, 1.2929361661]],
  ], 1e-8, 1e-9);
});

test('TransformerDecoderLayer: incremental decoding with gen_cache equals the full result', () => {
  const layer = new nn.TransformerDecoderLayer(4, 2, 6, { dropout: 0 });
  fill(layer);
  const tgt = inp([2, 3, 4]);
  const mem = inp([2, 2, 4], 0.5);
  const mm = paddle.to_tensor([[[[0, 0]]], [[[0, NEG]]]], { dtype: 'float64' });
  let cache = layer.gen_cache(mem);
  assert.ok(cache[0] instanceof nn.MultiHeadAttention.Cache);
  assert.ok(cache[1] instanceof nn.MultiHeadAttention.StaticCache);
  assert.deepEqual(cache[1].k.shape, [2, 2, 2, 2]);
  for (let t = 0; t < 3; t++) {
    const [out, next] = layer(tgt.getitem(':', `${t}:${t + 1}`), mem, null, mm, cache) as [Tensor, typeof cache];
    assert.equal(next[1], cache[1], 'the static cache is passed through');
    cache = next;
    assertClose(out, (DEC_POST as number[][][]).map((b) => [b[t]]), 1e-8, 1e-9);
  }
});

test('TransformerDecoderLayer: gradients through the layer (finite differences)', () => {
  const layer = new nn.TransformerDecoderLayer(4, 2, 5, { dropout: 0, activation: 'tanh' });
  fill(layer);
  checkGrad((t, m) => layer(t, m, causal3()) as Tensor, [inp([1, 3, 4]), inp([1, 2, 4], 0.5)]);
});

// ---- stacks -------------------------------------------------------------------------------------

test('TransformerEncoder: the first layer is the given one, the others new layers of the same config', () => {
  paddle.seed(3);
  const layer = new nn.TransformerEncoderLayer(4, 2, 6, 0, 'relu', { normalize_before: true });
  const norm = new nn.LayerNorm(4);
  const enc = new nn.TransformerEncoder(layer, 3, norm);
  assert.equal(enc.num_layers, 3);
  assert.equal(enc.layers.length, 3);
  assert.equal(enc.layers[0], layer);
  assert.equal(enc.norm, norm);
  const l1 = enc.layers[1];
  assert.ok(l1 instanceof nn.TransformerEncoderLayer && l1 !== layer);
  assert.equal(l1.normalize_before, true);
  assert.deepEqual(l1._config, layer._config);
  // fresh parameters, as Paddle 2.0's type(layer)(**layer._config)
  assert.notDeepEqual(l1.self_attn.q_proj.weight.tolist(), layer.self_attn.q_proj.weight.tolist());
  const keys = Object.keys(enc.state_dict());
  assert.ok(keys.includes('layers.2.self_attn.q_proj.weight') && keys.includes('norm.weight'));
  assert.equal(keys.length, 3 * 16 + 2);
  // forward = the layers in turn, then the norm
  const src = inp([2, 3, 4]);
  let expected = src;
  for (const l of enc.layers) expected = l(expected, causal3()) as Tensor;
  expected = norm(expected);
  assertClose(enc(src, causal3()) as Tensor, expected, 1e-12, 1e-12);
  // later Paddle's encoder cache: one Cache per layer, incremental encoding equals the causal pass
  let cache = enc.gen_cache(src);
  assert.equal(cache.length, 3);
  const full = enc(src, causal3()) as Tensor;
  for (let t = 0; t < 3; t++) {
    const [o, next] = enc(src.getitem(':', `${t}:${t + 1}`), null, cache) as [Tensor, typeof cache];
    cache = next;
    assertClose(o, full.getitem(':', `${t}:${t + 1}`), 1e-10, 1e-10);
  }
  // a subclass is rebuilt through its own class
  class MyLayer extends nn.TransformerEncoderLayer {}
  const mine = new nn.TransformerEncoder(new MyLayer(4, 2, 6), 2);
  assert.ok(mine.layers[1] instanceof MyLayer);
});

test('TransformerDecoder: stack, final norm and cached decoding equal to the full pass', () => {
  paddle.seed(4);
  const dec = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2, 6, { dropout: 0 }), 2, new nn.LayerNorm(4));
  const tgt = inp([2, 3, 4]);
  const mem = inp([2, 2, 4], 0.5);
  const full = dec(tgt, mem, causal3()) as Tensor;
  let expected = tgt;
  for (const l of dec.layers) expected = l(expected, mem, causal3()) as Tensor;
  assertClose(full, dec.norm!(expected), 1e-12, 1e-12);
  let cache = dec.gen_cache(mem);
  assert.equal(cache.length, 2);
  for (let t = 0; t < 3; t++) {
    const [o, next] = dec(tgt.getitem(':', `${t}:${t + 1}`), mem, null, null, cache) as [Tensor, typeof cache];
    cache = next;
    assertClose(o, full.getitem(':', `${t}:${t + 1}`), 1e-10, 1e-10);
  }
  const zipped = dec.gen_cache(mem, true);
  assert.equal(zipped.length, 2);
  assert.equal(zipped[0].length, 2);
  assert.ok(zipped[0][1] instanceof nn.MultiHeadAttention.Cache);
  assert.ok(zipped[1][0] instanceof nn.MultiHeadAttention.StaticCache);
});

test('Transformer: encoder + decoder with final norms, custom parts, causal mask', () => {
  paddle.seed(7);
  const model = new nn.Transformer(8, 2, 2, 1, 16, { dropout: 0 });
  assert.ok(model.encoder instanceof nn.TransformerEncoder);
  assert.ok(model.decoder instanceof nn.TransformerDecoder);
  assert.equal((model.encoder as InstanceType<typeof nn.TransformerEncoder>).num_layers, 2);
  assert.equal((model.decoder as InstanceType<typeof nn.TransformerDecoder>).num_layers, 1);
  assert.ok((model.encoder as InstanceType<typeof nn.TransformerEncoder>).norm instanceof nn.LayerNorm);
  const src = inp([2, 4, 8]);
  const tgt = inp([2, 3, 8], 1);
  const mask = model.generate_square_subsequent_mask(3);
  assert.deepEqual(mask.tolist(), [[0, NEG, NEG], [0, 0, NEG], [0, 0, 0]]);
  assert.equal(mask.dtype, 'float64');
  assert.deepEqual(model.generate_square_subsequent_mask(paddle.to_tensor([2])).tolist(), [[0, NEG], [0, 0]]);
  const out = model(src, tgt, null, mask) as Tensor;
  assert.deepEqual(out.shape, [2, 3, 8]);
  const memory = model.encoder(src) as Tensor;
  assertClose(out, model.decoder(tgt, memory, mask) as Tensor, 1e-12, 1e-12);
  // custom encoder / decoder are used as given
  const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16), 1);
  const custom = new nn.Transformer(8, 2, { custom_encoder: enc });
  assert.equal(custom.encoder, enc);
  assert.equal((custom.decoder as InstanceType<typeof nn.TransformerDecoder>).num_layers, 6);
  // a list of attributes: [self-attention, cross-attention, feed-forward]; false drops biases
  const noBias = new nn.Transformer(8, 2, 1, 1, 16, { bias_attr: [false, false, true] });
  const keys = Object.keys(noBias.state_dict());
  assert.ok(!keys.includes('encoder.layers.0.self_attn.q_proj.bias'));
  assert.ok(!keys.includes('decoder.layers.0.cross_attn.q_proj.bias'));
  assert.ok(keys.includes('encoder.layers.0.linear1.bias'));
  // an initializer given as weight_attr reaches every weight
  const constInit = new nn.TransformerEncoderLayer(8, 2, 16, { weight_attr: new paddle.ParamAttr({ initializer: new nn.initializer.Constant(0.25) }) });
  assert.deepEqual([...new Set(Array.from(constInit.self_attn.k_proj.weight.numpy() as Float64Array))], [0.25]);
  assert.deepEqual([...new Set(Array.from(constInit.linear2.weight.numpy() as Float64Array))], [0.25]);
});

test('Transformer layers: errors', () => {
  assertThrows(() => new nn.TransformerEncoderLayer(8, 2, 16, 0.1, 'nope'), InvalidArgumentError, /TransformerEncoderLayer/, /activation 'nope'/);
  assertThrows(() => new nn.TransformerDecoderLayer(8, 2, 16, { activation: 'swishy' }), InvalidArgumentError, /TransformerDecoderLayer/, /activation 'swishy'/);
  assertThrows(() => new nn.TransformerEncoderLayer(6, 4, 16), InvalidArgumentError, /d_model must be divisible by nhead/);
  assertThrows(() => new nn.TransformerEncoderLayer(8, 2, 16, { weight_attr: [null, null, null] }), InvalidArgumentError, /length of weight_attr should be 2/);
  assertThrows(() => new nn.Transformer(8, 2, 1, 1, 16, { bias_attr: [null, null, null, null] }), InvalidArgumentError, /length of bias_attr should be 1 or 2 or 3/);
  assertThrows(() => new nn.TransformerEncoder(new nn.Linear(2, 2), 2), InvalidArgumentError, /no _config/);
  assertThrows(() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16), -1), InvalidArgumentError, /num_layers/);
  const dec = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16), 2);
  assertThrows(() => dec(inp([1, 2, 8]), inp([1, 2, 8]), null, null, [1]), InvalidArgumentError, /cache must be a list of 2/);
  const mem = inp([1, 2, 8]);
  const [inc] = dec.layers[0].gen_cache(mem);
  assertThrows(() => dec.layers[0](inp([1, 1, 8]), mem, null, null, [inc, null]), InvalidArgumentError, /TransformerDecoderLayer/, /cache must be a pair \[MultiHeadAttention.Cache, MultiHeadAttention.StaticCache\]/);
  const model = new nn.Transformer(8, 2, 1, 1, 16);
  assertThrows(() => model.generate_square_subsequent_mask(-1), InvalidArgumentError, /non-negative/);
});

test('Transformer in static mode: the same operators run through a Program give the dygraph result', () => {
  paddle.set_default_dtype('float32');
  paddle.seed(9);
  const model = new nn.Transformer(8, 2, 1, 1, 16, { dropout: 0 });
  model.eval();
  const src = inp([2, 3, 8]).astype('float32');
  const tgt = inp([2, 4, 8], 1).astype('float32');
  const expected = model(src, tgt, null, model.generate_square_subsequent_mask(4)) as Tensor;
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    let out: unknown;
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const s = paddle.static.data('src', [-1, 3, 8], 'float32');
      const t = paddle.static.data('tgt', [-1, 4, 8], 'float32');
      out = model(s, t, null, model.generate_square_subsequent_mask(4));
      assert.deepEqual((out as Tensor).shape, [-1, 4, 8]);
    });
    const types = main.global_block().ops.map((o) => o.type);
    for (const ty of ['matmul', 'matmul_v2', 'softmax', 'reshape2', 'transpose2', 'layer_norm', 'tril_triu']) assert.ok(types.includes(ty), ty);
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    const [res] = exe.run(main, { feed: { src, tgt }, fetch_list: [out] }) as Tensor[];
    assertClose(res, expected, 1e-5, 1e-6);
  } finally {
    paddle.disable_static();
  }
});
