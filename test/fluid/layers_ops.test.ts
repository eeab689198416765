// The operators only fluid.layers appends (src/ops/fluid_extra.ts, fluid_loss.ts, fluid_nn.ts):
// gradients by finite differences (float64) through the fluid.layers functions, and values of
// the data-movement operators against hand-derived layouts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatch, run1 } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const L = paddle.fluid.layers;
const f64 = (v: unknown): Tensor => paddle.to_tensor(v as never, { dtype: 'float64' });
const i64 = (v: unknown): Tensor => paddle.to_tensor(v as never, { dtype: 'int64' });

test('mean, top_k, reverse, expand, expand_as, flatten2: gradients', () => {
  checkGrad((x) => L.mean(x), [randTensor([2, 3])]);
  // top_k's values differentiate into the chosen positions (distinct values)
  checkGrad((x) => run1('top_k', { X: [x] }, { k: 2 }), [f64([[0.1, 0.9, -0.4, 0.5], [0.3, -0.2, 0.8, 0.05]])]);
  checkGrad((x) => L.reverse(x, [0, 1]), [randTensor([2, 3])]);
  checkGrad((x) => L.expand(x, [2, 3]), [randTensor([2, 2])]);
  checkGrad((x) => L.expand_as(x, paddle.ones([4, 2, 6])), [randTensor([2, 1, 3])]);
  checkGrad((x) => L.flatten(x, 2), [randTensor([2, 3, 2])]);
  checkGrad((x) => L.merge_selected_rows(L.get_tensor_from_selected_rows(x)), [randTensor([2, 3])]);
  // second derivatives through the *_grad operators
  checkGrad((x) => L.pow(L.expand(x, [2, 1]), 2), [randTensor([2, 2])], { second: true });
});

test('norm (l2_normalize), cross_entropy (hard and soft), bpr_loss, rank_loss: gradients', () => {
  checkGrad((x) => L.l2_normalize(x, 1), [randTensor([3, 4])]);
  checkGrad((x) => L.l2_normalize(x, 0, 1e-6), [randTensor([3, 2])]);
  const prob = f64([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]);
  checkGrad((p) => L.cross_entropy(p, i64([[1], [2]])), [prob]);
  checkGrad((p) => L.cross_entropy(p, f64([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]), true), [prob]);
  checkGrad((p, l) => L.cross_entropy(p, l, true), [prob, f64([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])], { wrt: [0] });
  checkGrad((x) => L.bpr_loss(x, i64([[0], [2]])), [randTensor([2, 4])]);
  checkGrad((a, b) => run1('rank_loss', { Label: [f64([[1], [0]])], Left: [a], Right: [b] }), [randTensor([2, 1]), randTensor([2, 1])]);
});

test('space_to_depth, shuffle_channel, affine_channel, pad_constant_like, crop, crop_tensor: gradients', () => {
  checkGrad((x) => L.pow(L.space_to_depth(x, 2), 2), [randTensor([1, 4, 2, 4])], { second: true });
  checkGrad((x) => L.shuffle_channel(x, 2), [randTensor([1, 6, 1, 2])]);
  checkGrad((x, s, b) => L.affine_channel(x, s, b), [randTensor([2, 3, 2]), randTensor([3]), randTensor([3])]);
  checkGrad((x, s, b) => L.affine_channel(x, s, b, 'NHWC'), [randTensor([2, 2, 3]), randTensor([3]), randTensor([3])]);
  checkGrad((y) => L.pad_constant_like(paddle.ones([3, 4]), y, 1.5), [randTensor([2, 3])]);
  checkGrad((x) => run1('crop', { X: [x] }, { shape: [2, 2], offsets: [1, 0] }), [randTensor([3, 3])]);
  checkGrad((x) => L.pow(L.crop_tensor(x, [-1, 2], [1, 1]), 2), [randTensor([3, 4])], { second: true });
  checkGrad((x) => run1('crop', { X: [x], Y: [paddle.zeros([1, 2])], Offsets: [paddle.to_tensor([1, 1], { dtype: 'int32' })] }, {}), [randTensor([3, 3])]);
});

test('add_position_encoding, fsp_matrix, center_loss, teacher_student_sigmoid_loss: gradients', () => {
  checkGrad((x) => L.add_position_encoding(x, 0.5, 2), [randTensor([2, 3, 4])]);
  checkGrad((x, y) => L.fsp_matrix(x, y), [randTensor([2, 2, 2, 3]), randTensor([2, 3, 2, 3])]);
  checkGrad((x) => L.center_loss(x, i64([[1], [0], [1]]), 2, 0.5, new paddle.ParamAttr({ initializer: new paddle.fluid.initializer.Constant(0.25) }), false), [randTensor([3, 2])]);
  // away from the clipping bounds Paddle's gradient is the derivative
  checkGrad((x) => L.teacher_student_sigmoid_loss(x, f64([[-2], [-1], [0.3], [1.6]])), [f64([[0.4], [-0.7], [1.2], [-0.2]])]);
});

test('linear_chain_crf: the negative log-likelihood and its gradient (padded and LoD)', () => {
  // padded: batch 2, max_len 3, 3 tags
  const em = randTensor([2, 3, 3]);
  const trans = randTensor([5, 3]);
  const label = i64([[0, 2, 1], [1, 1, 0]]);
  const len = i64([3, 2]);
  const crf = (e: Tensor, t: Tensor): Tensor => run1('linear_chain_crf', { Emission: [e], Transition: [t], Label: [label], Length: [len] }, {}, 'LogLikelihood');
  // brute force: -log p(label) = log Z - score(label), Z over all tag paths
  const ev = em.tolist() as number[][][];
  const tv = trans.tolist() as number[][];
  const lv = label.tolist() as number[][];
  const expected = [3, 2].map((n, b) => {
    const score = (path: number[]): number => {
      let s = tv[0][path[0]] + tv[1][path[n - 1]];
      for (let k = 0; k < n; k++) s += ev[b][k][path[k]];
      for (let k = 1; k < n; k++) s += tv[path[k - 1] + 2][path[k]];
      return s;
    };
    let z = 0;
    const walk = (p: number[]): void => {
      if (p.length === n) z += Math.exp(score(p));
      else for (let t = 0; t < 3; t++) walk([...p, t]);
    };
    walk([]);
    return Math.log(z) - score(lv[b].slice(0, n));
  });
  assertClose(crf(em, trans), expected.map((v) => [v]), 1e-9, 1e-9);
  checkGrad(crf, [em, trans]);
  // the LoD form of the same sequences
  const flat = f64([...ev[0], ...ev[1].slice(0, 2)]);
  flat.lod = [[0, 3, 5]];
  const lab = i64([[0], [2], [1], [1], [1]]);
  lab.lod = [[0, 3, 5]];
  const lodCrf = (e: Tensor, t: Tensor): Tensor => run1('linear_chain_crf', { Emission: [e], Transition: [t], Label: [lab] }, {}, 'LogLikelihood');
  assertClose(lodCrf(flat, trans), expected.map((v) => [v]), 1e-9, 1e-9);
  checkGrad(lodCrf, [flat, trans]);
  // the layer creates the transition parameter [tags + 2, tags]
  const nll = L.linear_chain_crf(em.astype('float32'), label, null, len);
  assert.deepEqual(nll.shape, [2, 1]);
});

test('inplace_abn: batch norm then the activation, with batch_norm_grad through it', () => {
  const x = randTensor([2, 3, 2, 2]);
  for (const act of ['leaky_relu', 'elu', 'identity'] as const) {
    const alpha = 0.2;
    const y = L.inplace_abn(x, act, { act_alpha: alpha });
    // reference: normalize per channel with the biased batch variance, scale 1, bias 0
    const mean = paddle.mean(x, [0, 2, 3], true);
    const v = paddle.mean(paddle.square(paddle.subtract(x, mean)), [0, 2, 3], true);
    const bn = paddle.divide(paddle.subtract(x, mean), paddle.sqrt(paddle.add(v, paddle.to_tensor(1e-5, { dtype: 'float64' }))));
    const bv = bn.tolist() as number[][][][];
    const ref = bv.map((a) => a.map((b) => b.map((c) => c.map((e) => (e > 0 || act === 'identity' ? e : act === 'leaky_relu' ? alpha * e : alpha * (Math.exp(e) - 1))))));
    assertClose(y, ref, 1e-9, 1e-9);
  }
  const scale = randTensor([3]);
  const bias = randTensor([3]);
  const abn = (xx: Tensor, s: Tensor, b: Tensor): Tensor =>
    run1('inplace_abn', { X: [xx], Scale: [s], Bias: [b], Mean: [paddle.zeros([3], 'float64')], Variance: [paddle.ones([3], 'float64')] }, { activation: 'elu', alpha: 0.5 }, 'Y');
  checkGrad(abn, [x, scale, bias]);
  const abn2 = (xx: Tensor, s: Tensor, b: Tensor): Tensor =>
    run1('inplace_abn', { X: [xx], Scale: [s], Bias: [b], Mean: [paddle.zeros([3], 'float64')], Variance: [paddle.ones([3], 'float64')] }, { activation: 'leaky_relu', alpha: 0.1 }, 'Y');
  checkGrad(abn2, [x, scale, bias]);
});

test('deformable_conv: zero offsets and unit mask equal conv2d; gradients for input, offset, mask and filter', () => {
  const x = randTensor([1, 2, 4, 4]);
  const w = randTensor([4, 2, 3, 3]);
  const zeroOff = paddle.zeros([1, 18, 4, 4], 'float64');
  const ones = paddle.ones([1, 9, 4, 4], 'float64');
  const dc = run1('deformable_conv', { Input: [x], Offset: [zeroOff], Mask: [ones], Filter: [w] }, { paddings: [1, 1] }, 'Output');
  assertClose(dc, paddle.nn.functional.conv2d(x, w, null, 1, 1), 1e-9, 1e-9);
  const v1 = run1('deformable_conv_v1', { Input: [x], Offset: [zeroOff], Filter: [w] }, { paddings: [1, 1] }, 'Output');
  assertClose(v1, dc, 1e-12, 1e-12);
  // groups and deformable groups, fractional offsets (away from integer sample points)
  const x2 = randTensor([1, 4, 3, 3]);
  const w2 = randTensor([2, 2, 2, 2]);
  const off = randTensor([1, 2 * 2 * 4, 2, 2], -0.45, 0.45);
  const mask = randTensor([1, 2 * 4, 2, 2], 0.2, 1);
  const attrs = { groups: 2, deformable_groups: 2, strides: [1, 1], paddings: [0, 0] };
  checkGrad((a, o, m, f) => run1('deformable_conv', { Input: [a], Offset: [o], Mask: [m], Filter: [f] }, { ...attrs }, 'Output'), [x2, off, mask, w2], { rtol: 1e-3, atol: 1e-5 });
  checkGrad((a, o, f) => run1('deformable_conv_v1', { Input: [a], Offset: [o], Filter: [f] }, { ...attrs, strides: [2, 2], paddings: [1, 1] }, 'Output'), [x2, randTensor([1, 16, 2, 2], -0.45, 0.45), w2], { rtol: 1e-3, atol: 1e-5 });
  // the layer: filter [num_filters, C/groups, kh, kw] plus a bias
  const out = L.deformable_conv(x.astype('float32'), zeroOff.astype('float32'), ones.astype('float32'), 3, 3, { padding: 1 });
  assert.deepEqual(out.shape, [1, 3, 4, 4]);
  assertThrows(() => L.deformable_conv(x.astype('float32'), zeroOff.astype('float32'), null, 3, 3, { padding: 1 }), paddle.errors.InvalidArgumentError, /needs a mask/);
  assertThrows(() => run1('deformable_conv', { Input: [x], Offset: [randTensor([1, 9, 4, 4])], Mask: [ones], Filter: [w] }, { paddings: [1, 1] }), paddle.errors.InvalidArgumentError, /Offset must have 2 \* deformable_groups/);
});

test('cvm and filter_by_instag: Paddle gradients (cvm puts the show/click values in the first two columns)', () => {
  const x = f64([[1, 2, 3, 4], [3, 1, 5, 6]]);
  x.stop_gradient = false;
  const cvm = f64([[7, 8], [9, 10]]);
  const y = L.continuous_value_model(x, cvm, false);
  assertClose(y, [[3, 4], [5, 6]]);
  const [gx] = paddle.grad([paddle.sum(paddle.multiply(y, f64([[1, 2], [3, 4]])))], [x]);
  assertClose(gx!, [[7, 8, 1, 2], [9, 10, 3, 4]]);
  const y2 = L.continuous_value_model(x, cvm, true);
  assertClose(y2, [[Math.log(2), Math.log(3) - Math.log(2), 3, 4], [Math.log(4), Math.log(2) - Math.log(4), 5, 6]]);
  const [gx2] = paddle.grad([paddle.sum(y2)], [x]);
  assertClose(gx2!, [[7, 8, 1, 1], [9, 10, 1, 1]]);

  const ins = f64([[1, 1], [2, 2], [3, 3], [4, 4]]);
  ins.stop_gradient = false;
  const tag = i64([[5], [6], [7], [5], [8]]);
  tag.lod = [[0, 1, 2, 4, 5]];
  const [out, w] = L.filter_by_instag(ins, tag, i64([5]), false);
  assertClose(out, [[1, 1], [3, 3]]);
  assertClose(w, [[1], [1]]);
  const [g] = paddle.grad([paddle.sum(paddle.multiply(out, f64([[1, 2], [3, 4]])))], [ins]);
  assertClose(g!, [[1, 2], [0, 0], [3, 4], [0, 0]]);
  // nothing kept: one row of out_val_if_empty and a zero loss weight
  const [o2, w2] = L.filter_by_instag(ins, tag, i64([9]), false, 7);
  assertClose(o2, [[7, 7]]);
  assertClose(w2, [[0]]);
});

test('sample_logits: the sampled logits minus log Q and the gradient put back at the samples', () => {
  const logits = randTensor([2, 10]);
  const label = i64([[4], [7]]);
  const attrs = { num_samples: 3, seed: 11 };
  const r = dispatch('sample_logits', { Logits: [logits], Labels: [label] }, { ...attrs });
  const samples = r.Samples[0].tolist() as number[][];
  const probs = r.Probabilities[0].tolist() as number[][];
  const sl = r.SampledLogits[0].tolist() as number[][];
  const lv = logits.tolist() as number[][];
  assert.deepEqual(samples.map((row) => row[0]), [4, 7]);
  // the negatives are shared by the batch, distinct, and in range
  assert.deepEqual(samples[0].slice(1), samples[1].slice(1));
  assert.equal(new Set(samples[0].slice(1)).size, 3);
  for (const v of samples[0]) assert.ok(v >= 0 && v < 10);
  assert.deepEqual(r.SampledLabels[0].tolist(), [[0], [0]]);
  for (let i = 0; i < 2; i++)
    for (let k = 0; k < 4; k++) {
      const hit = k > 0 && samples[i][k] === samples[i][0];
      assert.ok(probs[i][k] > 0 && probs[i][k] <= 1);
      if (!hit) assertClose([sl[i][k]], [lv[i][samples[i][k]] - Math.log(probs[i][k])], 1e-12, 1e-12);
    }
  // the same seed draws the same samples
  assert.deepEqual(dispatch('sample_logits', { Logits: [logits], Labels: [label] }, { ...attrs }).Samples[0].tolist(), samples);
  checkGrad((lg) => dispatch('sample_logits', { Logits: [lg], Labels: [label] }, { ...attrs }).SampledLogits[0], [logits]);
  // the fluid loss: softmax cross entropy over [true, negatives] against class 0
  const loss = L.sampled_softmax_with_cross_entropy(logits, label, 3, { seed: 11, remove_accidental_hits: false });
  const expect = sl.map((row) => {
    const m = Math.max(...row);
    return [Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0)) + m - row[0]];
  });
  assertClose(loss, expect, 1e-9, 1e-9);
});
