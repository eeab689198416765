// Sequence (LoD) operators in dygraph: values from NumPy loops over the sequences (pasted) or
// Paddle's documented examples, LoD outputs, gradients through the shared checker, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const L = paddle.fluid.layers;
const { InvalidArgumentError, OutOfRangeError } = paddle.errors;

/** The deterministic data the NumPy references use: 2 sin(a i + b), i = 0, 1, ... */
function dat(shape: number[], a = 0.37, b = 0.11, dtype = 'float64'): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return paddle.to_tensor(Array.from({ length: n }, (_, i) => 2 * Math.sin(a * i + b)), { dtype }).reshape(shape);
}
/** `t` with a LoD (offsets per level). */
function withLod<V extends Tensor>(t: V, lod: number[][]): V {
  t.lod = lod.map((l) => l.slice());
  return t;
}
function lodT(data: unknown, lod: number[][], dtype = 'float64'): Tensor {
  return withLod(paddle.to_tensor(data as never, { dtype }), lod);
}

// ---- sequence_pool --------------------------------------------------------------------------------

test('sequence_pool: every pool type over a LoD with an empty sequence (NumPy), pad_value', () => {
  const x = withLod(dat([7, 2]), [[0, 2, 2, 5, 7]]);
  const expected: Record<string, number[][]> = {
    average: [[0.86105871, 1.40087853], [-1.5, -1.5], [1.19782101, 0.70572873], [-1.6065807, -1.84012303]],
    sum: [[1.72211741, 2.80175706], [-1.5, -1.5], [3.59346303, 2.11718618], [-3.2131614, -3.68024606]],
    sqrt: [[1.2177209, 1.98114142], [-1.5, -1.5], [2.07468685, 1.22235801], [-2.27204822, -2.60232695]],
    max: [[1.50256081, 1.87819871], [-1.5, -1.5], [1.99963123, 1.85042304], [-1.23947369, -1.7231938]],
    last: [[1.50256081, 1.87819871], [-1.5, -1.5], [0.14306302, -0.58799662], [-1.97368772, -1.95705226]],
    first: [[0.2195566, 0.92355835], [-1.5, -1.5], [1.99963123, 1.85042304], [-1.23947369, -1.7231938]],
  };
  for (const [type, want] of Object.entries(expected)) {
    const y = L.sequence_pool(x, type, false, -1.5);
    assert.deepEqual(y.shape, [4, 2]);
    assert.deepEqual(y.lod, [], `${type}: a 1-level input pools to a tensor without LoD`);
    assertClose(y, want, 1e-7, 1e-7, type);
  }
  // upper case works too, and MaxIndex holds the rows (-1 for the empty sequence)
  const r = dispatch('sequence_pool', { X: [x] }, { pooltype: 'MAX' });
  assert.deepEqual(r.MaxIndex[0].tolist(), [[1, 1], [-1, -1], [2, 2], [5, 5]]);
  assert.equal(r.MaxIndex[0].dtype, 'int32');
});

test("sequence_pool: Paddle's documented example, and a 2-level LoD keeps its first level", () => {
  const x = lodT([[1], [3], [2], [4], [6], [5], [1]], [[0, 2, 5, 7]], 'float32');
  assertClose(L.sequence_pool(x, 'average'), [[2], [4], [3]]);
  assertClose(L.sequence_pool(x, 'sum'), [[4], [12], [6]]);
  assertClose(L.sequence_pool(x, 'sqrt'), [[4 / Math.SQRT2], [12 / Math.sqrt(3)], [6 / Math.SQRT2]], 1e-6);
  assertClose(L.sequence_pool(x, 'max'), [[3], [6], [5]]);
  assertClose(L.sequence_last_step(x), [[3], [6], [1]]);
  assertClose(L.sequence_first_step(x), [[1], [2], [5]]);
  // two levels: pooled over the last, the output has the first level
  const x2 = lodT([[1], [3], [2], [4], [6], [5], [1]], [[0, 2, 3], [0, 2, 5, 7]], 'float32');
  const y = L.sequence_pool(x2, 'sum');
  assertClose(y, [[4], [12], [6]]);
  assert.deepEqual(y.lod, [[0, 2, 3]]);
  // LoD propagates through ordinary ops afterwards (ShareLoD)
  assert.deepEqual(paddle.scale(y, 2).lod, [[0, 2, 3]]);
  assert.deepEqual(L.sequence_pool(paddle.tanh(y), 'sum').shape, [2, 1]);
});

test('sequence_pool: gradients of every pool type (float64, checkGrad)', () => {
  const x = withLod(dat([7, 2]), [[0, 2, 2, 5, 7]]);
  for (const type of ['average', 'sum', 'sqrt', 'max', 'last', 'first'])
    checkGrad((t) => L.sequence_pool(t, type), [x]);
  const x2 = withLod(dat([5, 3], 0.7), [[0, 1, 2], [0, 3, 5]]);
  checkGrad((t) => L.sequence_pool(t, 'sqrt'), [x2]);
  // second order: through sequence_pool_grad, whose own gradient is the pooling
  for (const type of ['average', 'sum', 'sqrt', 'last', 'first'])
    checkGrad((t) => { const y = L.sequence_pool(t, type, false, 0.5); return paddle.multiply(y, y); }, [x], { second: true });
});

test('sequence_pool: errors (no LoD, LoD not matching the rows, more than 2 levels, int input)', () => {
  assertThrows(() => L.sequence_pool(dat([3, 2]), 'sum'), InvalidArgumentError, /sequence_pool/, /does not contain LoD information/);
  assertThrows(() => L.sequence_pool(withLod(dat([3, 2]), [[0, 1, 4]]), 'sum'), InvalidArgumentError, /does not match its first dimension 3/);
  assertThrows(() => L.sequence_pool(withLod(dat([3, 2]), [[0, 2, 1, 3]]), 'sum'), InvalidArgumentError, /decreases/);
  assertThrows(() => L.sequence_pool(withLod(dat([3, 1]), [[0, 1], [0, 1], [0, 3]]), 'sum'), InvalidArgumentError, /LoD level of Input\(X\) must be 1 to 2/);
  assertThrows(() => L.sequence_pool(lodT([[1], [2]], [[0, 2]], 'int64'), 'sum'), InvalidArgumentError, /must be one of float32, float64/);
  assertThrows(() => L.sequence_pool(withLod(dat([3, 1]), [[0, 3]]), 'median'), InvalidArgumentError, /pooltype must be one of/);
});

// ---- sequence_concat ------------------------------------------------------------------------------

test('sequence_concat: joins sequence i of each input; gradient splits back', () => {
  const a = lodT([[1], [2], [3]], [[0, 2, 3]]);
  const b = lodT([[10], [20], [30], [40]], [[0, 1, 4]]);
  const y = L.sequence_concat([a, b]);
  assert.deepEqual(y.tolist(), [[1], [2], [10], [3], [20], [30], [40]]);
  assert.deepEqual(y.lod, [[0, 3, 7]]);
  // empty sequences, int64 data (exact)
  const i1 = lodT([[1], [2]], [[0, 0, 2]], 'int64');
  const i2 = lodT([[7]], [[0, 1, 1]], 'int64');
  const yi = L.sequence_concat([i1, i2]);
  assert.deepEqual(yi.tolist(), [[7], [1], [2]]);
  assert.deepEqual(yi.lod, [[0, 1, 3]]);
  checkGrad((p, q) => L.sequence_concat([p, q]), [withLod(dat([3, 2]), [[0, 2, 3]]), withLod(dat([4, 2], 0.5), [[0, 1, 4]])]);
  assertThrows(() => L.sequence_concat([a, lodT([[1]], [[0, 1]])]), InvalidArgumentError, /lod size of each input must be the same/);
  assertThrows(() => L.sequence_concat([a]), InvalidArgumentError, /greater than 1/);
});

// ---- sequence_conv --------------------------------------------------------------------------------

function seqConv(x: Tensor, f: Tensor, start: number, len: number, pad?: Tensor): Tensor {
  const ins: Record<string, Tensor[]> = { X: [x], Filter: [f] };
  if (pad) ins.PaddingData = [pad];
  return dispatch('sequence_conv', ins, { contextStart: start, contextLength: len, paddingTrainable: !!pad }).Out[0];
}

test('sequence_conv: context windows with zero and trainable padding (NumPy), LoD kept', () => {
  const x = withLod(dat([6, 3]), [[0, 2, 2, 6]]);
  const y = seqConv(x, dat([9, 2], 0.23, 0.5), -1, 3);
  assertClose(y, [[-3.0666877, -5.99688484], [12.38600692, 10.80238985], [8.55155032, 8.93077523], [4.51200669, 8.45056992], [-13.27484179, -11.32255133], [-11.19941059, -12.10007938]], 1e-7, 1e-7);
  assert.deepEqual(y.lod, [[0, 2, 2, 6]]);
  const y2 = seqConv(x, dat([6, 2], 0.31, 0.2), 1, 2);
  assertClose(y2, [[7.33955978, 9.09235001], [0, 0], [-10.16205769, -8.03787998], [-9.54892323, -10.75397021], [-0.73415446, -1.58709916], [0, 0]], 1e-7, 1e-7);
  // trainable padding: start -2, length 4 -> 2 rows above, 1 below
  const y3 = seqConv(x, dat([12, 2], 0.13, 0.7), -2, 4, dat([3, 3], 0.5, 0.9));
  assertClose(y3, [[12.23095167, 10.93610657], [15.01049534, 15.10774024], [16.51496184, 17.63714773], [4.40780535, 6.82860238], [-9.98945668, -7.73308147], [-17.16333872, -15.70405649]], 1e-7, 1e-7);
});

test('sequence_conv: gradients wrt X, Filter and PaddingData (checkGrad)', () => {
  const x = withLod(dat([6, 3]), [[0, 2, 2, 6]]);
  checkGrad((a, f) => seqConv(a, f, -1, 3), [x, dat([9, 2], 0.23, 0.5)]);
  checkGrad((a, f) => seqConv(a, f, 1, 2), [x, dat([6, 2], 0.31, 0.2)]);
  checkGrad((a, f, pd) => seqConv(a, f, -2, 4, pd), [x, dat([12, 2], 0.13, 0.7), dat([3, 3], 0.5, 0.9)]);
});

test('sequence_conv: the fluid layer creates filter and bias, applies act; errors', () => {
  const x = withLod(dat([5, 4], 0.3, 0.1, 'float32'), [[0, 2, 5]]);
  const y = L.sequence_conv(x, 3, 3, { act: 'relu', bias_attr: false });
  assert.deepEqual(y.shape, [5, 3]);
  assert.deepEqual(y.lod, [[0, 2, 5]]);
  assert.ok((y.numpy() as Float32Array).every((v) => v >= 0));
  assertThrows(() => seqConv(withLod(dat([4, 3]), [[0, 1], [0, 4]]), dat([9, 2]), -1, 3), InvalidArgumentError, /LoD level of Input\(X\) must be 1/);
  assertThrows(() => seqConv(withLod(dat([4, 3]), [[0, 4]]), dat([8, 2]), -1, 3), InvalidArgumentError, /contextLength \* input width = 9/);
  assertThrows(() => dispatch('sequence_conv', { X: [withLod(dat([4, 3]), [[0, 4]])], Filter: [dat([9, 2])] }, { contextLength: 3, contextStride: 2 }), InvalidArgumentError, /only contextStride=1/);
});

// ---- sequence_enumerate -----------------------------------------------------------------------------

test("sequence_enumerate: Paddle's example, pad values, int32 and int64", () => {
  const x = lodT([[1], [2], [3], [4], [5]], [[0, 3, 5]], 'int64');
  const y = L.sequence_enumerate(x, 2);
  assert.deepEqual(y.tolist(), [[1, 2], [2, 3], [3, 0], [4, 5], [5, 0]]);
  assert.deepEqual(y.lod, [[0, 3, 5]]);
  assert.equal(y.dtype, 'int64');
  const y3 = L.sequence_enumerate(lodT([[1], [2], [3], [4]], [[0, 0, 4]], 'int32'), 3, 9);
  assert.deepEqual(y3.tolist(), [[1, 2, 3], [2, 3, 4], [3, 4, 9], [4, 9, 9]]);
  assert.equal(y3.dtype, 'int32');
  assertThrows(() => L.sequence_enumerate(x, 1), InvalidArgumentError, /window size should be not less than 2/);
  assertThrows(() => L.sequence_enumerate(lodT([[1, 2]], [[0, 1]], 'int64'), 2), InvalidArgumentError, /\[N, 1\]/);
});

// ---- sequence_expand / sequence_expand_as -------------------------------------------------------------

test("sequence_expand: Paddle's four documented cases", () => {
  // case 1: X 1-level, ref_level 0
  const x1 = lodT([[1], [2], [3], [4]], [[0, 2, 4]]);
  const y1 = lodT([[0], [0], [0], [0], [0], [0], [0], [0]], [[0, 2, 4], [0, 3, 6, 7, 8]]);
  const o1 = L.sequence_expand(x1, y1, 0);
  assert.deepEqual(o1.tolist(), [[1], [2], [1], [2], [3], [4], [3], [4]]);
  assert.deepEqual(o1.lod, [[0, 2, 4, 6, 8]]);
  // case 2
  const x2 = lodT([[1], [2], [3], [4]], [[0, 1, 4]]);
  const y2 = lodT([[0], [0], [0], [0], [0], [0], [0], [0]], [[0, 2, 4], [0, 3, 6, 6, 8]]);
  const o2 = L.sequence_expand(x2, y2, 0);
  assert.deepEqual(o2.tolist(), [[1], [1], [2], [3], [4], [2], [3], [4]]);
  assert.deepEqual(o2.lod, [[0, 1, 2, 5, 8]]);
  // case 3: X without LoD, last level of Y
  const o3 = L.sequence_expand(paddle.to_tensor([[1], [2], [3]], { dtype: 'float64' }), lodT([[0], [0], [0], [0], [0], [0]], [[0, 2, 3, 6]]));
  assert.deepEqual(o3.tolist(), [[1], [1], [2], [3], [3], [3]]);
  assert.deepEqual(o3.lod, []);
  // case 4: rows of width 2, int64 exact
  const o4 = L.sequence_expand(paddle.to_tensor([[1, 2], [3, 4], [5, 6]]), lodT([[0], [0], [0], [0], [0], [0]], [[0, 2, 3, 6]]), 0);
  assert.deepEqual(o4.tolist(), [[1, 2], [1, 2], [3, 4], [5, 6], [5, 6], [5, 6]]);
});

test('sequence_expand: gradients, and errors', () => {
  const y = lodT([[0], [0], [0], [0], [0], [0], [0], [0]], [[0, 2, 4], [0, 3, 6, 6, 8]]);
  checkGrad((x) => L.sequence_expand(x, y, 0), [withLod(dat([4, 2]), [[0, 1, 4]])]);
  checkGrad((x) => L.sequence_expand(x, y), [dat([4, 3])]);
  assertThrows(() => L.sequence_expand(dat([3, 1]), y), InvalidArgumentError, /first dimension \(3\) must equal the number of sequences in level 1/);
  assertThrows(() => L.sequence_expand(dat([2, 1]), y, 2), InvalidArgumentError, /invalid ref_level 2/);
  assertThrows(() => L.sequence_expand(dat([2, 1]), dat([2, 1])), InvalidArgumentError, /Input\(Y\).*does not contain LoD/);
});

test("sequence_expand_as: Paddle's examples; the output takes Y's LoD; gradient", () => {
  const y = lodT([[0], [0], [0], [0], [0], [0], [0], [0]], [[0, 3, 6, 7, 8]]);
  const o = L.sequence_expand_as(paddle.to_tensor([[1], [2], [3], [4]], { dtype: 'float32' }), y);
  assert.deepEqual(o.tolist(), [[1], [1], [1], [2], [2], [2], [3], [4]]);
  assert.deepEqual(o.lod, [[0, 3, 6, 7, 8]]);
  const o2 = L.sequence_expand_as(paddle.to_tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'int32' }), lodT([[0], [0], [0], [0], [0], [0]], [[0, 2, 3, 6]]));
  assert.deepEqual(o2.tolist(), [[1, 2], [1, 2], [3, 4], [5, 6], [5, 6], [5, 6]]);
  checkGrad((x) => L.sequence_expand_as(x, lodT([[0], [0], [0], [0], [0]], [[0, 2, 2, 5]])), [dat([3, 2])]);
  assertThrows(() => L.sequence_expand_as(dat([2, 1]), y), InvalidArgumentError, /should equal the number of sequences of Input\(Y\) \(4\)/);
});

// ---- sequence_mask ------------------------------------------------------------------------------------

test('sequence_mask: from lengths, maxlen default max(x), maxlen Tensor, dtype', () => {
  const m = L.sequence_mask(paddle.to_tensor([1, 3, 0]));
  assert.deepEqual(m.tolist(), [[1, 0, 0], [1, 1, 1], [0, 0, 0]]);
  assert.equal(m.dtype, 'int64');
  const m2 = L.sequence_mask(paddle.to_tensor([[2], [4]]), 5, 'float32');
  assert.deepEqual(m2.shape, [2, 1, 5]);
  assert.deepEqual(m2.tolist(), [[[1, 1, 0, 0, 0]], [[1, 1, 1, 1, 0]]]);
  const m3 = L.sequence_mask(paddle.to_tensor([2, 1]), paddle.to_tensor([3], { dtype: 'int32' }), 'bool');
  assert.deepEqual(m3.tolist(), [[true, true, false], [true, false, false]]);
  assert.ok(m.stop_gradient);
  assertThrows(() => L.sequence_mask(paddle.to_tensor([true])), InvalidArgumentError, /must be one of int32, int64, float32, float64/);
});

// ---- sequence_pad / sequence_unpad ------------------------------------------------------------------------

test("sequence_pad: Paddle's three cases, maxlen, Length output", () => {
  const x = lodT([[1], [2], [3], [4], [5]], [[0, 2, 5]], 'float32');
  const [o1, l1] = L.sequence_pad(x, paddle.to_tensor([0], { dtype: 'float32' }), 4);
  assert.deepEqual(o1.tolist(), [[[1], [2], [0], [0]], [[3], [4], [5], [0]]]);
  assert.deepEqual(l1.tolist(), [2, 3]);
  assert.equal(l1.dtype, 'int64');
  const x2 = lodT([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]], [[0, 2, 5]], 'int64');
  const [o2] = L.sequence_pad(x2, paddle.to_tensor([0]));
  assert.deepEqual(o2.tolist(), [[[1, 1], [2, 2], [0, 0]], [[3, 3], [4, 4], [5, 5]]]);
  const [o3] = L.sequence_pad(x2, paddle.to_tensor([8, 9]));
  assert.deepEqual(o3.tolist(), [[[1, 1], [2, 2], [8, 9]], [[3, 3], [4, 4], [5, 5]]]);
  // a number as pad value, an empty sequence
  const [o4, l4] = L.sequence_pad(lodT([[1], [2]], [[0, 0, 2]]), -1);
  assert.deepEqual(o4.tolist(), [[[-1], [-1]], [[1], [2]]]);
  assert.deepEqual(l4.tolist(), [0, 2]);
  assertThrows(() => L.sequence_pad(x, paddle.to_tensor([0], { dtype: 'float32' }), 2), InvalidArgumentError, /padded_length\) \(2\) must be -1 or not less than .* \(3\)/);
  assertThrows(() => L.sequence_pad(x, paddle.to_tensor([0, 0], { dtype: 'float32' })), InvalidArgumentError, /should be \[1\] or the shape of one time step/);
});

test("sequence_unpad: Paddle's example; pad/unpad round trips; gradients", () => {
  const x = paddle.to_tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15]], { dtype: 'float32' });
  const o = L.sequence_unpad(x, paddle.to_tensor([2, 3, 4]));
  assert.deepEqual(o.shape, [9, 1]);
  assert.deepEqual(o.tolist(), [[1], [2], [6], [7], [8], [11], [12], [13], [14]]);
  assert.deepEqual(o.lod, [[0, 2, 5, 9]]);
  // round trip: pad then unpad gives the sequences back (3-D steps, an empty sequence)
  const s = withLod(dat([6, 2, 2]), [[0, 3, 3, 6]]);
  const [p, len] = L.sequence_pad(s, 0);
  assert.deepEqual(p.shape, [3, 3, 2, 2]);
  const back = L.sequence_unpad(p, len);
  assertClose(back, s);
  assert.deepEqual(back.lod, [[0, 3, 3, 6]]);
  const [p2, len2] = L.sequence_pad(back, 0, 5);
  assertClose(L.sequence_unpad(p2, len2), s);
  // gradients
  checkGrad((t) => L.sequence_pad(t, 0.5, 4)[0], [withLod(dat([5, 2]), [[0, 1, 1, 5]])]);
  checkGrad((t) => L.sequence_unpad(t, paddle.to_tensor([2, 0, 3])), [dat([3, 3, 2])]);
  checkGrad((t) => { const [q, n] = L.sequence_pad(t, 0); return L.sequence_pool(L.sequence_unpad(paddle.tanh(q), n), 'sum'); }, [withLod(dat([5, 2]), [[0, 2, 5]])]);
  assertThrows(() => L.sequence_unpad(x, paddle.to_tensor([2, 6, 1])), OutOfRangeError, /Length\[1\] = 6 is out of range/);
  assertThrows(() => L.sequence_unpad(x, paddle.to_tensor([2, 3])), InvalidArgumentError, /should be the same/);
  assertThrows(() => L.sequence_unpad(x, paddle.to_tensor([2, 3, 1], { dtype: 'int32' })), InvalidArgumentError, /'length' must be one of int64/);
});

// ---- sequence_reshape / reverse / scatter / slice / softmax ---------------------------------------------------

test("sequence_reshape: Paddle's example, same width, gradient, divisibility error", () => {
  const x = lodT([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]], [[0, 2, 6]]);
  const y = L.sequence_reshape(x, 4);
  assert.deepEqual(y.tolist(), [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
  assert.deepEqual(y.lod, [[0, 1, 3]]);
  assert.deepEqual(L.sequence_reshape(x, 2).lod, [[0, 2, 6]]);
  assert.deepEqual(L.sequence_reshape(x, 1).lod, [[0, 4, 12]]);
  checkGrad((t) => L.sequence_reshape(t, 4), [withLod(dat([6, 2]), [[0, 2, 6]])]);
  assertThrows(() => L.sequence_reshape(x, 3), InvalidArgumentError, /sequence 0 has 4 values, which cannot be divided by new_dim 3/);
});

test("sequence_reverse: Paddle's example, gradient, 1-level only", () => {
  const x = lodT([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [17, 18, 19, 20]], [[0, 2, 5]], 'int64');
  const y = L.sequence_reverse(x);
  assert.deepEqual(y.tolist(), [[5, 6, 7, 8], [1, 2, 3, 4], [17, 18, 19, 20], [13, 14, 15, 16], [9, 10, 11, 12]]);
  assert.deepEqual(y.lod, [[0, 2, 5]]);
  checkGrad((t) => L.sequence_reverse(t), [withLod(dat([5, 2]), [[0, 2, 2, 5]])]);
  // second order through the rule (lod_reset + sequence_reverse of the output gradient)
  checkGrad((t) => { const r = L.sequence_reverse(t); return paddle.multiply(r, r); }, [withLod(dat([4, 2]), [[0, 3, 4]])], { second: true });
  assertThrows(() => L.sequence_reverse(withLod(dat([2, 1]), [[0, 1], [0, 2]])), InvalidArgumentError, /LoD level of Input\(X\) must be 1, but got 2/);
});

test("sequence_scatter: Paddle's example; gradients wrt input and updates; index errors", () => {
  const x = paddle.ones([3, 6], 'float32');
  const ids = lodT([[0], [1], [2], [5], [4], [3], [2], [1], [3], [2], [5], [4]], [[0, 3, 8, 12]], 'int64');
  const upd = lodT([[0.3], [0.3], [0.4], [0.1], [0.2], [0.3], [0.4], [0.0], [0.2], [0.3], [0.1], [0.4]], [[0, 3, 8, 12]], 'float32');
  const y = L.sequence_scatter(x, ids, upd);
  assertClose(y, [[1.3, 1.3, 1.4, 1.0, 1.0, 1.0], [1.0, 1.0, 1.4, 1.3, 1.2, 1.1], [1.0, 1.0, 1.3, 1.2, 1.4, 1.1]], 1e-6);
  assert.deepEqual(y.lod, []);
  const ids2 = lodT([[0], [2], [2], [1]], [[0, 3, 4]], 'int32');
  checkGrad((a, u) => L.sequence_scatter(a, ids2, u), [dat([2, 3]), withLod(dat([4, 1], 0.9), [[0, 3, 4]])]);
  assertThrows(() => L.sequence_scatter(x, lodT([[6]], [[0, 1]], 'int64'), lodT([[1]], [[0, 1]], 'float32')), OutOfRangeError, /Ids\[0\] = 6 is out of range/);
});

test("sequence_slice: Paddle's example, zero lengths, gradient, range errors", () => {
  const x = lodT([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]], [[0, 3, 5]]);
  const y = L.sequence_slice(x, paddle.to_tensor([[0], [1]]), paddle.to_tensor([[2], [1]]));
  assert.deepEqual(y.tolist(), [[1, 2], [3, 4], [9, 10]]);
  assert.deepEqual(y.lod, [[0, 2, 3]]);
  const y0 = L.sequence_slice(x, paddle.to_tensor([[1], [0]], { dtype: 'int32' }), paddle.to_tensor([[0], [2]], { dtype: 'int32' }));
  assert.deepEqual(y0.tolist(), [[7, 8], [9, 10]]);
  assert.deepEqual(y0.lod, [[0, 0, 2]]);
  checkGrad((t) => L.sequence_slice(t, paddle.to_tensor([[1], [0]]), paddle.to_tensor([[2], [1]])), [withLod(dat([5, 2]), [[0, 3, 5]])]);
  assertThrows(() => L.sequence_slice(x, paddle.to_tensor([[2], [1]]), paddle.to_tensor([[2], [1]])), OutOfRangeError, /ends past the sequence's end/);
  assertThrows(() => L.sequence_slice(x, paddle.to_tensor([[0]]), paddle.to_tensor([[1]])), InvalidArgumentError, /X has 2 sequences, but Offset has 1 rows/);
});

test('sequence_softmax: per sequence of the last level (NumPy), gradient', () => {
  const x = withLod(dat([7, 1], 0.9, 0.3), [[0, 1, 3], [0, 3, 3, 7]]);
  const y = L.sequence_softmax(x);
  assertClose(y, [[0.13013993], [0.46481896], [0.40504111], [0.64763654], [0.12341557], [0.06660372], [0.16234416]], 1e-7, 1e-8);
  assert.deepEqual(y.lod, [[0, 1, 3], [0, 3, 3, 7]]);
  checkGrad((t) => L.sequence_softmax(t), [withLod(dat([6], 0.9, 0.3), [[0, 2, 6]])]);
  assertThrows(() => L.sequence_softmax(withLod(dat([3, 2]), [[0, 3]])), InvalidArgumentError, /width of each timestep .* should be 1/);
});

// ---- lod_reset / lod_append -----------------------------------------------------------------------------

test("lod_reset: Paddle's three examples (target_lod, Y's data, Y's LoD); gradient", () => {
  const x = lodT([[1], [2], [3], [4], [5], [6]], [[0, 2, 5, 6]]);
  const a = L.lod_reset(x, null, [0, 4, 6]);
  assert.deepEqual(a.lod, [[0, 4, 6]]);
  assert.deepEqual(a.tolist(), x.tolist());
  assert.deepEqual(x.lod, [[0, 2, 5, 6]], 'the input keeps its LoD');
  assert.deepEqual(L.lod_reset(x, paddle.to_tensor([[0, 2, 6]], { dtype: 'int32' })).lod, [[0, 2, 6]]);
  const y = lodT([[1.1], [2.1], [3.1], [4.1], [5.1], [6.1]], [[0, 2, 4], [0, 2, 5, 6]]);
  assert.deepEqual(L.lod_reset(x, y).lod, [[0, 2, 4], [0, 2, 5, 6]]);
  checkGrad((t) => L.sequence_pool(L.lod_reset(t, null, [0, 1, 3]), 'sqrt'), [withLod(dat([3, 2]), [[0, 3]])]);
  checkGrad((t) => { const r = L.lod_reset(t, null, [0, 1, 3]); return paddle.multiply(r, r); }, [withLod(dat([3, 2]), [[0, 3]])], { second: true });
  assertThrows(() => L.lod_reset(x), InvalidArgumentError, /y and target_lod should not be both none/);
  assertThrows(() => L.lod_reset(x, null, [0, 4]), InvalidArgumentError, /should be equal to the first dimension of Input\(X\) \(6\)/);
  assertThrows(() => L.lod_reset(x, null, [1, 6]), InvalidArgumentError, /should begin with 0/);
  assertThrows(() => L.lod_reset(x, null, [0, 4, 3, 6]), InvalidArgumentError, /ascending/);
});

test('lod_append: a new finest level (offsets or a Tensor), checked against the LoD it extends', () => {
  const x = lodT([[1], [2], [3], [4], [5], [6]], [[0, 2, 3]]);
  const y = L.lod_append(x, [0, 1, 3, 6]);
  assert.deepEqual(y.lod, [[0, 2, 3], [0, 1, 3, 6]]);
  const z = L.lod_append(paddle.to_tensor([[1], [2], [3]], { dtype: 'float32' }), paddle.to_tensor([0, 1, 3], { dtype: 'int32' }));
  assert.deepEqual(z.lod, [[0, 1, 3]]);
  assertThrows(() => L.lod_append(x, [0, 2, 6]), InvalidArgumentError, /has 2 sequences but the finest level of X's LoD ends at 3/);
});

// ---- lod_rank_table / reorder_lod_tensor_by_rank -------------------------------------------------------------

test('reorder_lod_tensor_by_rank: sequences sorted by length (stable), LoD rebuilt; 2 levels; no LoD; gradient', () => {
  const x = lodT([[1], [2], [3], [4], [5], [6]], [[0, 1, 4, 4, 6]]);
  const table = L.lod_rank_table(x);
  assert.deepEqual(table.tolist(), [[1, 3], [3, 2], [0, 1], [2, 0]]);
  const y = L.reorder_lod_tensor_by_rank(x, table);
  assert.deepEqual(y.tolist(), [[2], [3], [4], [5], [6], [1]]);
  assert.deepEqual(y.lod, [[0, 3, 5, 6, 6]]);
  // two levels: whole top-level sequences move with their sub-sequences
  const x2 = lodT([[1], [2], [3], [4], [5]], [[0, 1, 3], [0, 2, 3, 5]]);
  const y2 = L.reorder_lod_tensor_by_rank(x2, L.lod_rank_table(x2));
  assert.deepEqual(y2.tolist(), [[3], [4], [5], [1], [2]]);
  assert.deepEqual(y2.lod, [[0, 2, 3], [0, 1, 3, 5]]);
  // a tensor without LoD reorders its rows by another tensor's table
  const rows = L.reorder_lod_tensor_by_rank(paddle.to_tensor([[10], [20], [30], [40]]), table);
  assert.deepEqual(rows.tolist(), [[20], [40], [10], [30]]);
  assert.deepEqual(rows.lod, []);
  checkGrad((t) => L.reorder_lod_tensor_by_rank(t, table), [withLod(dat([6, 2]), [[0, 1, 4, 4, 6]])]);
  assertThrows(() => L.reorder_lod_tensor_by_rank(x, x), InvalidArgumentError, /should be LOD_RANK_TABLE/);
  assertThrows(() => L.lod_rank_table(x, 1), InvalidArgumentError, /cannot rank level 1/);
});

// ---- im2sequence ------------------------------------------------------------------------------------------------

test("im2sequence: Paddle's example, padding and strides (NumPy), real image sizes; gradients", () => {
  const img = paddle.to_tensor([[[[6, 2, 1], [8, 3, 5], [0, 2, 6]], [[2, 4, 4], [6, 3, 0], [6, 4, 7]]], [[[6, 7, 1], [5, 7, 9], [2, 4, 8]], [[1, 2, 1], [1, 3, 5], [9, 0, 8]]]], { dtype: 'float32' });
  const y = L.im2sequence(img, [2, 2]);
  assert.deepEqual(y.tolist(), [
    [6, 2, 8, 3, 2, 4, 6, 3], [2, 1, 3, 5, 4, 4, 3, 0], [8, 3, 0, 2, 6, 3, 6, 4], [3, 5, 2, 6, 3, 0, 4, 7],
    [6, 7, 5, 7, 1, 2, 1, 3], [7, 1, 7, 9, 2, 1, 3, 5], [5, 7, 2, 4, 1, 3, 9, 0], [7, 9, 4, 8, 3, 5, 0, 8],
  ]);
  assert.deepEqual(y.lod, [[0, 4, 8]]);
  const x = dat([2, 1, 4, 5], 0.21, 0.0);
  const o = L.im2sequence(x, [2, 3], [2, 1], [1, 0, 0, 1]);
  assert.deepEqual(o.lod, [[0, 8, 16]]);
  assertClose(o, [[0.0, 0.0, 0.0, 0.0, 0.4169198, 0.81552091], [0.0, 0.0, 0.0, 0.4169198, 0.81552091, 1.17828952], [0.0, 0.0, 0.0, 0.81552091, 1.17828952, 1.48928624], [0.0, 0.0, 0.0, 1.17828952, 1.48928624, 0.0], [1.73484645, 1.90418068, 1.9898487, 1.72641873, 1.47801056, 1.1646613], [1.90418068, 1.9898487, 1.9880864, 1.47801056, 1.1646613, 0.80013896], [1.9898487, 1.9880864, 1.89897123, 1.1646613, 0.80013896, 0.40045997], [1.9880864, 1.89897123, 0.0, 0.80013896, 0.40045997, 0.0], [0.0, 0.0, 0.0, -1.74315154, -1.90925554, -1.99147035], [0.0, 0.0, 0.0, -1.90925554, -1.99147035, -1.98618359], [0.0, 0.0, 0.0, -1.99147035, -1.98618359, -1.89362755], [0.0, 0.0, 0.0, -1.98618359, -1.89362755, 0.0], [-1.71786899, -1.4666304, -1.15095076, 0.0336278, 0.44974989, 0.84611079], [-1.4666304, -1.15095076, -0.78470045, 0.44974989, 0.84611079, 1.20529514], [-1.15095076, -0.78470045, -0.38397183, 0.84611079, 1.20529514, 1.51152102], [-0.78470045, -0.38397183, 0.0, 1.20529514, 1.51152102, 0.0]], 1e-7, 1e-8);
  // real sizes [[3, 4], [4, 5]] with out_stride [1, 2]: windows over 2x1 and 2x2 positions
  const sizes = paddle.to_tensor([[3, 4], [4, 5]], { dtype: 'float32' });
  const oy = L.im2sequence(x, [2, 3], [2, 1], [1, 0, 0, 1], sizes, [1, 2]);
  assert.deepEqual(oy.lod, [[0, 2, 6]]);
  assertClose(oy, [[0.0, 0.0, 0.0, 0.0, 0.4169198, 0.81552091], [1.73484645, 1.90418068, 1.9898487, 1.72641873, 1.47801056, 1.1646613], [0.0, 0.0, 0.0, -1.74315154, -1.90925554, -1.99147035], [0.0, 0.0, 0.0, -1.90925554, -1.99147035, -1.98618359], [-1.71786899, -1.4666304, -1.15095076, 0.0336278, 0.44974989, 0.84611079], [-1.4666304, -1.15095076, -0.78470045, 0.44974989, 0.84611079, 1.20529514]], 1e-7, 1e-8);
  checkGrad((t) => L.im2sequence(t, [2, 3], [2, 1], [1, 0, 0, 1]), [x]);
  checkGrad((t) => L.im2sequence(t, [2, 3], [2, 1], [1, 0, 0, 1], sizes, [1, 2]), [x]);
  assertThrows(() => L.im2sequence(dat([2, 3, 3]), 2), InvalidArgumentError, /should be 4/);
});

// ---- LoD through ordinary operators --------------------------------------------------------------------------

test('LoD propagation: unary/elementwise/lookup_table outputs share the input LoD; other shapes do not', () => {
  const x = withLod(dat([5, 2]), [[0, 2, 5]]);
  assert.deepEqual(paddle.tanh(x).lod, [[0, 2, 5]]);
  assert.deepEqual(paddle.add(x, paddle.ones([2], 'float64')).lod, [[0, 2, 5]]);
  assert.deepEqual(paddle.sum(x).lod, []);
  const ids = lodT([[1], [0], [2]], [[0, 1, 3]], 'int64');
  const emb = L.embedding(ids, [4, 3]);
  assert.deepEqual(emb.lod, [[0, 1, 3]]);
  assert.deepEqual(L.sequence_pool(emb, 'sum').shape, [2, 3]);
  // a fluid.LoDTensor input works as well
  const t = paddle.fluid.create_lod_tensor(paddle.to_tensor([[1], [2], [3]], { dtype: 'float32' }), [[1, 2]], new paddle.CPUPlace());
  assertClose(L.sequence_pool(t, 'sum'), [[1], [5]]);
});

test('second-order gradients through the grad operators (their gradients are the forward operators)', () => {
  const sq = (y: Tensor): Tensor => paddle.multiply(y, y);
  const yl = lodT([[0], [0], [0], [0], [0], [0], [0], [0]], [[0, 2, 4], [0, 3, 6, 6, 8]]);
  checkGrad((t) => sq(L.sequence_expand(t, yl, 0)), [withLod(dat([4, 2]), [[0, 1, 4]])], { second: true });
  checkGrad((t) => sq(L.sequence_expand(t, yl)), [dat([4, 2])], { second: true });
  checkGrad((t) => sq(L.sequence_expand_as(t, lodT([[0], [0], [0], [0], [0]], [[0, 2, 2, 5]]))), [dat([3, 2])], { second: true });
  checkGrad((p, q) => sq(L.sequence_concat([p, q])), [withLod(dat([3, 2]), [[0, 2, 3]]), withLod(dat([4, 2], 0.5), [[0, 1, 4]])], { second: true });
  checkGrad((t) => sq(L.sequence_slice(t, paddle.to_tensor([[1], [0]]), paddle.to_tensor([[2], [1]]))), [withLod(dat([5, 2]), [[0, 3, 5]])], { second: true });
  const ids = lodT([[0], [2], [2], [1]], [[0, 3, 4]], 'int64');
  checkGrad((a, u) => sq(L.sequence_scatter(a, ids, u)), [dat([2, 3]), withLod(dat([4, 1], 0.9), [[0, 3, 4]])], { second: true });
  const x = lodT([[1], [2], [3], [4], [5], [6]], [[0, 1, 4, 4, 6]]);
  const table = L.lod_rank_table(x);
  checkGrad((t) => sq(L.reorder_lod_tensor_by_rank(t, table)), [withLod(dat([6, 2]), [[0, 1, 4, 4, 6]])], { second: true });
  checkGrad((t) => sq(L.im2sequence(t, [2, 2], 1, [0, 1, 1, 0])), [dat([2, 1, 3, 3], 0.3)], { second: true });
  checkGrad((t) => sq(L.sequence_pad(t, 0, 3)[0]), [withLod(dat([4, 2]), [[0, 1, 4]])], { second: true });
  checkGrad((t) => sq(L.sequence_reshape(t, 4)), [withLod(dat([6, 2]), [[0, 2, 6]])], { second: true });
  // max pooling has no second-order rule: an error, not a silent zero
  const xm = withLod(dat([3, 2]), [[0, 3]]);
  xm.stop_gradient = false;
  const ym = L.sequence_pool(xm, 'max');
  const [g] = paddle.grad([paddle.sum(paddle.multiply(ym, ym))], [xm], { create_graph: true });
  assertThrows(() => paddle.grad([paddle.sum(g!)], [xm]), paddle.errors.UnimplementedError, /second-order gradient of sequence_pool with pooltype MAX/);
});
