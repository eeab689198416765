// Statistics and attributes: var, std, median, numel, histogram, rank, shape. Values from the
// Paddle docs and NumPy, gradients of the composites, errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError, OutOfRangeError } = paddle.errors;
const f64 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float64' });
const f32 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float32' });
const doc = () => f32([[1.0, 2.0, 3.0], [1.0, 4.0, 5.0]]);
const F = () => f64([[1.5, 2, -3], [0.25, 4, 5], [7, -1, 0.5]]);

describe('paddle.var / std', () => {
  it('match the Paddle docs examples', () => {
    assertTensor(paddle.var(doc()), [1], 'float32');
    assertClose(paddle.var(doc()), [2.66666667]);
    assertClose(paddle.var(doc(), 1), [1.0, 4.33333333]);
    assertClose(paddle.std(doc()), [1.63299316]);
    assertClose(doc().std({ axis: 1 }), [1.0, 2.081666]);
  });
  it('match NumPy over axes, lists, keepdim and unbiased=False', () => {
    assertClose(paddle.var(F(), 0), [12.895833333333336, 6.333333333333333, 16.083333333333336], 1e-12);
    assertClose(paddle.var(F(), [0, 1]), [9.652777777777779], 1e-12);
    assertClose(F().std({ axis: 1, unbiased: false }), [2.2484562605386733, 2.0446406910642163, 3.4721111093332766], 1e-12);
    const k = F().var({ axis: -1, keepdim: true });
    assertTensor(k, [3, 1], 'float64');
    assertClose(k, [[7.583333333333332], [6.270833333333333], [18.083333333333336]], 1e-12);
    // one element: unbiased divides by max(N - 1, 1)
    assertClose(paddle.var(f64([[4], [6]]), 1), [0, 0]);
  });
  it('have gradients', () => {
    checkGrad((t) => paddle.var(t), [randTensor([3, 4])]);
    checkGrad((t) => paddle.var(t, [0, 2], false, true), [randTensor([2, 3, 2])], { second: true });
    checkGrad((t) => paddle.std(t, 1), [randTensor([3, 4])]);
  });
  it('reject bad arguments', () => {
    assertThrows(() => paddle.var(paddle.to_tensor([1, 2])), InvalidArgumentError, /paddle\.var/, /dtype/);
    assertThrows(() => paddle.std(doc(), 2), InvalidArgumentError, /paddle\.std/, /out of range/);
    assertThrows(() => paddle.var(doc(), [1, 1]), InvalidArgumentError, /repeated/);
  });
});

describe('paddle.median', () => {
  it('matches the Paddle docs examples', () => {
    const x = paddle.arange(12).reshape([3, 4]);
    assertTensor(paddle.median(x), [1], 'float32', [5.5]);
    assertTensor(paddle.median(x, 0), [4], 'float32', [4, 5, 6, 7]);
    assertTensor(paddle.median(x, 1), [3], 'float32', [1.5, 5.5, 9.5]);
    assertTensor(x.median({ axis: 0, keepdim: true }), [1, 4], 'float32', [[4, 5, 6, 7]]);
    assertTensor(paddle.median(x, { keepdim: true }), [1, 1], 'float32', [[5.5]]);
  });
  it('matches NumPy on odd counts and keeps float64', () => {
    assertTensor(paddle.median(F(), 0), [3], 'float64', [1.5, 2, 0.5]);
    assertTensor(paddle.median(F(), -1), [3], 'float64', [1.5, 4, 0.5]);
    assertTensor(paddle.median(F()), [1], 'float64', [1.5]);
    assertTensor(paddle.median(f64([1, 2, 3, 4])), [1], 'float64', [2.5]);
  });
  it('has gradients (the middle value, or half to each of the two middle values)', () => {
    checkGrad((t) => paddle.median(t, 1), [randTensor([3, 5])]);
    checkGrad((t) => paddle.median(t, 0), [randTensor([4, 3])]);
    checkGrad((t) => paddle.median(t), [randTensor([2, 3])]);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.median(doc(), 2), InvalidArgumentError, /paddle\.median/, /out of range/);
    assertThrows(() => paddle.median(paddle.to_tensor([true])), InvalidArgumentError, /dtype/);
    assertThrows(() => paddle.median(paddle.zeros([0])), InvalidArgumentError, /known and positive/);
  });
});

describe('paddle.numel / rank / shape', () => {
  it('give int64 [1], int32 [1] and int32 [rank] tensors', () => {
    const x = paddle.ones([3, 100, 100]);
    assertTensor(paddle.numel(x), [1], 'int64', [30000]);
    assertTensor(paddle.numel(paddle.zeros([0, 2])), [1], 'int64', [0]);
    assertTensor(x.numel(), [1], 'int64', [30000]);
    assertTensor(paddle.rank(x), [1], 'int32', [3]);
    assertTensor(x.rank(), [1], 'int32', [3]);
    assertTensor(paddle.shape(x), [3], 'int32', [3, 100, 100]);
    assert.deepEqual(x.shape, [3, 100, 100]);
  });
  it('append size / shape operators in static mode', () => {
    paddle.enable_static();
    try {
      const main = new paddle.static.Program();
      paddle.static.program_guard(main, new paddle.static.Program(), () => {
        const x = paddle.static.data('x', [null, 4], 'float32');
        const n = paddle.numel(x);
        const s = paddle.shape(x);
        assert.deepEqual(s.shape, [2]);
        const exe = new paddle.static.Executor(new paddle.CPUPlace());
        const [a, b] = exe.run(main, { feed: { x: [[1, 2, 3, 4], [5, 6, 7, 8], [0, 0, 0, 0]] }, fetch_list: [n, s] }) as paddle.Tensor[];
        assert.deepEqual(a.tolist(), [12]);
        assert.deepEqual(b.tolist(), [3, 4]);
      });
    } finally {
      paddle.disable_static();
    }
  });
});

describe('paddle.histogram', () => {
  it('matches the Paddle docs example', () => {
    assertTensor(paddle.histogram(paddle.to_tensor([1, 2, 1]), 4, 0, 3), [4], 'int64', [0, 2, 1, 0]);
    assertTensor(paddle.to_tensor([1, 2, 1]).histogram({ bins: 4, min: 0, max: 3 }), [4], 'int64', [0, 2, 1, 0]);
  });
  it('uses the data range when min = max = 0, ignores values outside, puts max in the last bin', () => {
    assert.deepEqual(paddle.histogram(f64([0.1, 0.5, 0.9, 1.0, -0.1, 2]), 4, 0, 1).tolist(), [1, 0, 1, 2]);
    const h = paddle.histogram(f32([2, 4, 4, 6]), 4).tolist() as number[];
    assert.deepEqual(h, [1, 0, 2, 1]);
    // a single value v: range [v - 1, v + 1]
    assert.deepEqual(paddle.histogram(paddle.to_tensor([3, 3]), 2).tolist(), [0, 2]);
    // integer inputs bin with integer division
    assert.deepEqual(paddle.histogram(paddle.to_tensor([0, 1, 2, 3, 4, 5, 6]), 3, 0, 6).tolist(), [2, 2, 3]);
    assert.equal(paddle.histogram(paddle.to_tensor([1])).shape[0], 100);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.histogram(paddle.to_tensor([1]), 0), InvalidArgumentError, /paddle\.histogram/, /bins/);
    assertThrows(() => paddle.histogram(paddle.to_tensor([1]), 4, 3, 1), InvalidArgumentError, /max/);
    assertThrows(() => paddle.histogram(paddle.to_tensor([1]), 4, 0.5 as never, 1), InvalidArgumentError, /argument 'min'/);
    assertThrows(() => paddle.histogram(paddle.to_tensor([true])), InvalidArgumentError, /dtype/);
    assertThrows(() => paddle.histogram(f32([1, Infinity])), OutOfRangeError, /not finite/);
  });
});
