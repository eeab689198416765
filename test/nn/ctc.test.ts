// CTC loss (warpctc): losses against a brute-force sum over every alignment (NumPy, tiny T
// and C: all C^T paths, collapsed by merging repeats and dropping blanks), Paddle's documented
// example, reductions, the gradient by finite differences, norm_by_times, impossible labels,
// the LoD form, static mode and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { dispatch } from '../../src/core/dispatch.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const F = paddle.nn.functional;

/** 1.5 * sin(1.7 seed + 0.37 i) over the flat index i, float64. */
function gen(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Float64Array.from({ length: n }, (_, i) => 1.5 * Math.sin(seed * 1.7 + i * 0.37))).reshape(shape);
}
const i32 = (v: number[][]): Tensor => paddle.to_tensor(v, { dtype: 'int32' });
const i64 = (v: number[]): Tensor => paddle.to_tensor(v, { dtype: 'int64' });

// logits [T=4, N=3, C=3]; brute-force -log p(label) of each sequence (NumPy, itertools.product)
const CASES = [
  { blank: 0, labels: [[1, 2], [1, 1], [2, 0]], labelLen: [2, 2, 1], inputLen: [4, 4, 3], loss: [1.8504579284, 2.7855985575, 1.4219369455] },
  { blank: 2, labels: [[1, 0], [0, 0], [1, 1]], labelLen: [2, 2, 1], inputLen: [4, 3, 2], loss: [1.578498195, 4.2785438888, 1.0694545454] },
];

test('ctc_loss equals the brute-force sum over alignments', () => {
  const x = gen([4, 3, 3], 7);
  for (const k of CASES) {
    const loss = F.ctc_loss(x, i32(k.labels), i64(k.inputLen), i64(k.labelLen), k.blank, 'none');
    assert.deepEqual(loss.shape, [3]);
    assert.equal(loss.dtype, 'float64');
    assertClose(loss, k.loss, 1e-9, 1e-9);
    assertClose(F.ctc_loss(x, i32(k.labels), i64(k.inputLen), i64(k.labelLen), k.blank, 'sum'), [k.loss.reduce((a, b) => a + b)], 1e-9, 1e-9);
    const mean = k.loss.map((l, i) => l / k.labelLen[i]).reduce((a, b) => a + b) / 3;
    const m = F.ctc_loss(x, i32(k.labels), i64(k.inputLen), i64(k.labelLen), { blank: k.blank });
    assert.deepEqual(m.shape, [1]);
    assertClose(m, [mean], 1e-9, 1e-9);
  }
  // float32 logits
  const k = CASES[0];
  assertClose(F.ctc_loss(x.astype('float32'), i32(k.labels), i64(k.inputLen), i64(k.labelLen), 0, 'none'), k.loss, 1e-5, 1e-6);
});

test("Paddle's documented ctc_loss example", () => {
  const logProbs = paddle.to_tensor([
    [[4.17021990e-01, 7.20324516e-01, 1.14374816e-04], [3.02332580e-01, 1.46755889e-01, 9.23385918e-02]],
    [[1.86260208e-01, 3.45560730e-01, 3.96767467e-01], [5.38816750e-01, 4.19194520e-01, 6.85219526e-01]],
    [[2.04452246e-01, 8.78117442e-01, 2.73875929e-02], [6.70467496e-01, 4.17304814e-01, 5.58689833e-01]],
    [[1.40386939e-01, 1.98101491e-01, 8.00744593e-01], [9.68261600e-01, 3.13424170e-01, 6.92322612e-01]],
    [[8.76389146e-01, 8.94606650e-01, 8.50442126e-02], [3.90547849e-02, 1.69830427e-01, 8.78142476e-01]],
  ], { dtype: 'float32' });
  const labels = i32([[1, 2, 2], [1, 2, 2]]);
  const none = F.ctc_loss(logProbs, labels, i64([5, 5]), i64([3, 3]), 0, 'none');
  assertClose(none, [3.9179852, 2.9076521], 1e-6, 1e-6);
  assertClose(F.ctc_loss(logProbs, labels, i64([5, 5]), i64([3, 3]), 0, 'mean'), [1.1376063], 1e-6, 1e-6);
  const layer = new paddle.nn.CTCLoss();
  assertClose(layer(logProbs, labels, i64([5, 5]), i64([3, 3])), [1.1376063], 1e-6, 1e-6);
  assertClose(new paddle.nn.CTCLoss(0, 'none')(logProbs, labels, i64([5, 5]), i64([3, 3])), none, 0, 0);
});

test('the gradient with respect to the logits matches finite differences', () => {
  for (const k of CASES) {
    for (const reduction of ['none', 'mean', 'sum'] as const) {
      checkGrad((x) => F.ctc_loss(x, i32(k.labels), i64(k.inputLen), i64(k.labelLen), k.blank, reduction), [gen([4, 3, 3], 11)]);
    }
  }
  // steps past an input length get no gradient
  const x = gen([4, 3, 3], 7);
  x.stop_gradient = false;
  const k = CASES[1];
  F.ctc_loss(x, i32(k.labels), i64(k.inputLen), i64(k.labelLen), k.blank, 'sum').backward();
  assertClose(x.grad!.getitem('3:', 1), paddle.zeros([1, 3], 'float64'));
  assertClose(x.grad!.getitem('2:', 2), paddle.zeros([2, 3], 'float64'));
  // at each valid step the gradient sums to 0 over the classes (softmax - posterior)
  assertClose(x.grad!.getitem(':2').sum(-1), paddle.zeros([2, 3], 'float64'), 0, 1e-12);
});

test('norm_by_times scales the gradient (not the loss) by 1 / input length', () => {
  const k = CASES[0];
  const run = (norm: boolean): [Tensor, Tensor] => {
    const x = gen([4, 3, 3], 7);
    x.stop_gradient = false;
    const loss = F.ctc_loss(x, i32(k.labels), i64(k.inputLen), i64(k.labelLen), k.blank, 'sum', norm);
    loss.backward();
    return [loss, x.grad!];
  };
  const [l0, g0] = run(false);
  const [l1, g1] = run(true);
  assertClose(l1, l0, 0, 0);
  const scale = paddle.to_tensor([1 / 4, 1 / 4, 1 / 3], { dtype: 'float64' }).reshape([1, 3, 1]);
  assertClose(g1, g0.multiply(scale), 1e-12, 1e-15);
});

test('a label that cannot fit its input gets loss 0 and gradient 0 (as warp-ctc)', () => {
  // label [1, 1] needs 3 steps (a blank between the repeats); sequence 0 has 2
  const x = gen([4, 2, 3], 3);
  x.stop_gradient = false;
  const loss = F.ctc_loss(x, i32([[1, 1], [1, 2]]), i64([2, 4]), i64([2, 2]), 0, 'none');
  assert.equal(loss.numpy()[0], 0);
  assert.ok((loss.numpy()[1] as number) > 0);
  loss.sum().backward();
  assertClose(x.grad!.getitem(':', 0), paddle.zeros([4, 3], 'float64'));
  // an empty label: -log of the all-blank path
  const e = F.ctc_loss(gen([3, 1, 2], 5), i32([[1]]), i64([3]), i64([0]), 0, 'none');
  const lp = paddle.nn.functional.log_softmax(gen([3, 1, 2], 5), -1).getitem(':', 0, 0);
  assertClose(e, [-(lp.sum().item() as number)], 1e-12, 1e-12);
});

test('the warpctc operator in LoD form gives the padded results', () => {
  const x = gen([4, 3, 3], 7);
  const k = CASES[0];
  // sequences of 4, 4 and 3 steps, stacked; labels [1, 2], [1, 1], [2]
  const rows = [0, 1, 2, 3].map((t) => x.getitem(t, 0)).concat([0, 1, 2, 3].map((t) => x.getitem(t, 1)), [0, 1, 2].map((t) => x.getitem(t, 2)));
  const logits = paddle.stack(rows);
  logits.lod = [[0, 4, 8, 11]];
  const label = paddle.to_tensor([[1], [2], [1], [1], [2]], { dtype: 'int32' });
  label.lod = [[0, 2, 4, 5]];
  const r = dispatch('warpctc', { Logits: [logits], Label: [label] }, { blank: 0 });
  assertClose(r.Loss[0], k.loss.map((v) => [v]), 1e-9, 1e-9);
  assert.deepEqual(r.WarpCTCGrad[0].shape, [4, 3, 3]);
  const padded = dispatch('warpctc', { Logits: [x], Label: [i32(k.labels)], LogitsLength: [i64(k.inputLen)], LabelLength: [i64(k.labelLen)] }, { blank: 0 });
  assertClose(r.WarpCTCGrad[0], padded.WarpCTCGrad[0], 1e-12, 1e-12);
  // gradient through the LoD form: rows of the padded gradient
  logits.stop_gradient = false;
  const r2 = dispatch('warpctc', { Logits: [logits], Label: [label] }, { blank: 0 });
  r2.Loss[0].sum().backward();
  assertClose(logits.grad!.getitem('4:8'), padded.WarpCTCGrad[0].getitem(':', 1), 1e-12, 1e-12);
  const bare = paddle.stack(rows);
  assertThrows(() => dispatch('warpctc', { Logits: [bare], Label: [label] }, {}), paddle.errors.InvalidArgumentError, /does not contain LoD information/);
});

test('static mode appends warpctc and warpctc_grad', () => {
  const k = CASES[0];
  const xv = gen([4, 3, 3], 7).astype('float32');
  const labels = i32(k.labels);
  const il = i64(k.inputLen);
  const ll = i64(k.labelLen);
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    paddle.static.scope_guard(new paddle.static.Scope(), () =>
      paddle.static.program_guard(main, startup, () => {
        const x = paddle.static.data('x', [4, 3, 3], 'float32');
        x.stop_gradient = false;
        const lab = paddle.static.data('lab', [3, 2], 'int32');
        const inl = paddle.static.data('inl', [3], 'int64');
        const labl = paddle.static.data('labl', [3], 'int64');
        const loss = F.ctc_loss(x, lab, inl, labl, 0, 'sum');
        paddle.static.append_backward(loss);
        const types = main.global_block().ops.map((o) => o.type);
        assert.ok(types.includes('warpctc') && types.includes('warpctc_grad'));
        const [out] = exe.run(main, { feed: { x: xv, lab: labels, inl: il, labl: ll }, fetch_list: [loss] });
        assertClose(out as Tensor, [k.loss.reduce((a, b) => a + b)], 1e-5, 1e-5);
      }),
    );
  } finally {
    paddle.disable_static();
  }
});

test('ctc_loss errors', () => {
  const E = paddle.errors.InvalidArgumentError;
  const x = gen([4, 2, 3], 1);
  const lab = i32([[1, 2], [1, 1]]);
  assertThrows(() => F.ctc_loss(x, lab.astype('int64'), i64([4, 4]), i64([2, 2])), E, /ctc_loss/, /'labels' must be a int32 Tensor/);
  assertThrows(() => F.ctc_loss(x, lab, i64([4, 4]).astype('int32'), i64([2, 2])), E, /'input_lengths' must be a int64 Tensor/);
  assertThrows(() => F.ctc_loss(x.getitem(0), lab, i64([4, 4]), i64([2, 2])), E, /must be 3-D/);
  assertThrows(() => F.ctc_loss(x, lab, i64([4, 5]), i64([2, 2])), E, /input_lengths\[1\] = 5 is outside \[0, 4\]/);
  assertThrows(() => F.ctc_loss(x, lab, i64([4, 4]), i64([2, 3])), E, /label_lengths\[1\] = 3 is outside \[0, 2\]/);
  assertThrows(() => F.ctc_loss(x, lab, i64([4, 4]), i64([2, 2]), 3), E, /blank must be in \[0, 3\)/);
  assertThrows(() => F.ctc_loss(x, i32([[1, 3], [1, 1]]), i64([4, 4]), i64([2, 2])), E, /label 3 of sequence 0 is outside \[0, 3\)/);
  assertThrows(() => F.ctc_loss(x, lab, i64([4, 4]), i64([2, 2]), 0, 'avg' as never), E, /reduction/);
  assertThrows(() => F.ctc_loss(x, i32([[1, 2]]), i64([4, 4]), i64([2, 2])), E, /Label has 1 sequences but Logits has batch_size 2/);
});
