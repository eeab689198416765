// Assorted tensor functions: cumsum, clip, kron, multiplex, add_n, tril/triu, meshgrid,
// flip/reverse, roll, shard_index, diag, trace, is_empty, is_tensor, broadcast_shape. Values
// from the Paddle docs and NumPy, gradients (checkGrad), errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as paddle from '../../src/index.js';
import { run1 } from '../../src/core/dispatch.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError, OutOfRangeError } = paddle.errors;
const f64 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float64' });
const f32 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float32' });
const i32 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'int32' });

describe('paddle.cumsum', () => {
  it('matches the Paddle docs examples', () => {
    const data = paddle.arange(12).reshape([3, 4]);
    assertTensor(paddle.cumsum(data), [12], 'int64', [0, 1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 66]);
    assertTensor(paddle.cumsum(data, 0), [3, 4], 'int64', [[0, 1, 2, 3], [4, 6, 8, 10], [12, 15, 18, 21]]);
    assertTensor(data.cumsum({ axis: -1 }), [3, 4], 'int64', [[0, 1, 3, 6], [4, 9, 15, 22], [8, 17, 27, 38]]);
    assertTensor(paddle.cumsum(data, { dtype: 'float64' }), [12], 'float64');
  });
  it('accumulates in the dtype (float32 rounding, int32 wrap-around) like NumPy', () => {
    const x = f32([1e8, 1, 1, 1, 1, 1, 1, 1, 1]);
    assertClose(paddle.cumsum(x), [1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8], 0, 0);
    assert.deepEqual(paddle.cumsum(i32([2147483647, 1])).tolist(), [2147483647, -2147483648]);
    assertClose(paddle.cumsum(f64([[0.5, 1.5], [2, -4]]), 1), [[0.5, 2], [2, -2]]);
  });
  it('runs exclusive and reverse scans (operator attributes)', () => {
    const x = f64([1, 2, 3, 4]);
    assertClose(run1('cumsum', { X: [x] }, { exclusive: true }), [0, 1, 3, 6]);
    assertClose(run1('cumsum', { X: [x] }, { reverse: true }), [10, 9, 7, 4]);
    assertClose(run1('cumsum', { X: [x] }, { reverse: true, exclusive: true }), [9, 7, 4, 0]);
    assertClose(run1('cumsum', { X: [paddle.reshape(x, [2, 2])] }, { axis: 0, reverse: true }), [[4, 6], [3, 4]]);
  });
  it('has gradients (a scan the other way)', () => {
    checkGrad((t) => paddle.cumsum(t, 1), [randTensor([3, 4])]);
    checkGrad((t) => paddle.cumsum(t), [randTensor([2, 3])]);
    checkGrad((t) => run1('cumsum', { X: [t] }, { axis: 0, exclusive: true, reverse: true }), [randTensor([4, 2])]);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.cumsum(f32([1, 2]), 1), InvalidArgumentError, /paddle\.cumsum/, /out of range/);
    assertThrows(() => paddle.cumsum(paddle.to_tensor([true])), InvalidArgumentError, /dtype/);
  });
});

describe('paddle.clip', () => {
  const x1 = () => f32([[1.2, 3.5], [4.5, 6.4]]);
  it('matches the Paddle docs examples', () => {
    assertClose(paddle.clip(x1(), 3.5, 5.0), [[3.5, 3.5], [4.5, 5.0]]);
    assertClose(paddle.clip(x1(), { min: 2.5 }), [[2.5, 3.5], [4.5, 6.4]]);
    assertClose(x1().clip({ max: 4 }), [[1.2, 3.5], [4, 4]]);
  });
  it('takes 1-element Tensor bounds, int inputs, and keeps NaN', () => {
    assertClose(paddle.clip(x1(), f32([2]), f64([4])), [[2, 3.5], [4, 4]]);
    assert.deepEqual(paddle.clip(paddle.to_tensor([-5, 0, 7]), -2, 3).tolist(), [-2, 0, 3]);
    assertClose(paddle.clip(f64([NaN, 10]), 0, 1), [NaN, 1]);
    // min/max are float32 attributes, as in Paddle
    assertClose(paddle.clip(f64([0]), 0.1), [Math.fround(0.1)], 0, 0);
  });
  it('has gradients only strictly inside the bounds, and a gradient of its gradient', () => {
    checkGrad((t) => paddle.clip(t, -0.5, 0.5), [f64([-0.9, -0.3, 0.1, 0.45, 0.8])]);
    checkGrad((t) => paddle.clip(t, f64([-0.2]), null), [f64([[-0.9, 0.3], [0.1, -0.45]])]);
    const x = paddle.to_tensor([-1, 0, 0.5, 1, 2], { dtype: 'float64', stop_gradient: false });
    const v = paddle.to_tensor([1, 2, 3, 4, 5], { dtype: 'float64', stop_gradient: false });
    const [g] = paddle.grad([paddle.clip(x, 0, 1)], [x], [v], { create_graph: true });
    assertClose(g!, [0, 0, 3, 0, 0]);
    const [gv] = paddle.grad([paddle.sum(g!)], [v]);
    assertClose(gv!, [0, 0, 1, 0, 0]);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.clip(x1(), 5, 1), InvalidArgumentError, /paddle\.clip/, /max should be greater than or equal to min/);
    assertThrows(() => paddle.clip(x1(), f32([5]), f32([1])), InvalidArgumentError, /max should be greater/);
    assertThrows(() => paddle.clip(x1(), f32([1, 2])), InvalidArgumentError, /1-element Tensor/);
    assertThrows(() => paddle.clip(paddle.to_tensor([true])), InvalidArgumentError, /dtype/);
    assertThrows(() => paddle.clip(x1(), 'a' as never), InvalidArgumentError, /argument 'min'/);
  });
});

describe('paddle.kron', () => {
  it('matches the Paddle docs example and pads the lower rank (NumPy)', () => {
    const out = paddle.kron(paddle.to_tensor([[1, 2], [3, 4]]), paddle.to_tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]));
    assertTensor(out, [6, 6], 'int64', [
      [1, 2, 3, 2, 4, 6],
      [4, 5, 6, 8, 10, 12],
      [7, 8, 9, 14, 16, 18],
      [3, 6, 9, 4, 8, 12],
      [12, 15, 18, 16, 20, 24],
      [21, 24, 27, 28, 32, 36],
    ]);
    assertTensor(paddle.to_tensor([1, 2]).kron(paddle.to_tensor([[1, 2], [3, 4]])), [2, 4], 'int64', [[1, 2, 2, 4], [3, 4, 6, 8]]);
    assert.deepEqual(paddle.kron(i32([65536]), i32([65536])).tolist(), [0]); // int32 wraps as in C++
    const c = paddle.kron(paddle.to_tensor([{ real: 1, imag: 1 }]), paddle.to_tensor([{ real: 2, imag: -1 }]));
    assert.deepEqual(c.tolist(), [{ real: 3, imag: 1 }]);
  });
  it('has gradients for both inputs, and second derivatives', () => {
    checkGrad((a, b) => paddle.kron(a, b), [randTensor([2, 3]), randTensor([3, 2])], { second: true });
    checkGrad((a, b) => paddle.kron(a, b), [randTensor([3]), randTensor([2, 2])]);
  });
  it('rejects mismatched dtypes', () => {
    assertThrows(() => paddle.kron(f32([1]), f64([1])), InvalidArgumentError, /paddle\.kron/, /same dtype/);
  });
});

describe('paddle.multiplex', () => {
  const a = () => f32([[1, 2], [3, 4]]);
  const b = () => f32([[5, 6], [7, 8]]);
  it('matches the Paddle docs example', () => {
    assertTensor(paddle.multiplex([a(), b()], i32([[1], [0]])), [2, 2], 'float32', [[5, 6], [3, 4]]);
    assert.deepEqual(paddle.multiplex([a(), b(), f32([[9, 9], [9, 9]])], paddle.to_tensor([[2], [1]])).tolist(), [[9, 9], [7, 8]]);
  });
  it('has gradients for every candidate', () => {
    const ids = paddle.to_tensor([[1], [0], [1]]);
    checkGrad((x, y) => paddle.multiplex([x, y], ids), [randTensor([3, 2, 2]), randTensor([3, 2, 2])]);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.multiplex([a()], i32([[0], [0]])), InvalidArgumentError, /paddle\.multiplex/, /at least 2/);
    assertThrows(() => paddle.multiplex([a(), b()], i32([[0, 1]])), InvalidArgumentError, /Ids must have shape/);
    assertThrows(() => paddle.multiplex([a(), b()], i32([[2], [0]])), OutOfRangeError, /out of range/);
    assertThrows(() => paddle.multiplex([a(), f32([1, 2])], i32([[0], [0]])), InvalidArgumentError, /same shape/);
  });
});

describe('paddle.add_n', () => {
  it('matches the Paddle docs example', () => {
    const input0 = f32([[1, 2, 3], [4, 5, 6]]);
    const input1 = f32([[7, 8, 9], [10, 11, 12]]);
    assertTensor(paddle.add_n([input0, input1]), [2, 3], 'float32', [[8, 10, 12], [14, 16, 18]]);
    assertTensor(paddle.add_n(input0), [2, 3], 'float32', [[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(paddle.add_n([paddle.to_tensor([2n ** 52n]), paddle.to_tensor([1])]).tolist(), [2 ** 52 + 1]);
  });
  it('has gradients for every input', () => {
    checkGrad((x, y, z) => paddle.add_n([x, y, z]), [randTensor([2, 3]), randTensor([2, 3]), randTensor([2, 3])]);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.add_n([f32([1, 2]), f32([1])]), InvalidArgumentError, /paddle\.add_n/, /same shape/);
    assertThrows(() => paddle.add_n([f32([1]), f64([1])]), InvalidArgumentError, /same dtype/);
    assertThrows(() => paddle.add_n([]), InvalidArgumentError, /at least one/);
  });
});

describe('paddle.tril / triu', () => {
  const x = () => paddle.arange(1, 13).reshape([3, 4]);
  it('match the Paddle docs examples', () => {
    assert.deepEqual(paddle.tril(x()).tolist(), [[1, 0, 0, 0], [5, 6, 0, 0], [9, 10, 11, 0]]);
    assert.deepEqual(paddle.tril(x(), 2).tolist(), [[1, 2, 3, 0], [5, 6, 7, 8], [9, 10, 11, 12]]);
    assert.deepEqual(paddle.tril(x(), { diagonal: -1 }).tolist(), [[0, 0, 0, 0], [5, 0, 0, 0], [9, 10, 0, 0]]);
    assert.deepEqual(paddle.triu(x()).tolist(), [[1, 2, 3, 4], [0, 6, 7, 8], [0, 0, 11, 12]]);
    assert.deepEqual(paddle.triu(x(), 2).tolist(), [[0, 0, 3, 4], [0, 0, 0, 8], [0, 0, 0, 0]]);
    assert.deepEqual(paddle.triu(x(), -1).tolist(), [[1, 2, 3, 4], [5, 6, 7, 8], [0, 10, 11, 12]]);
  });
  it('work on batches and far diagonals', () => {
    const b = paddle.arange(8).reshape([2, 2, 2]);
    assert.deepEqual(paddle.tril(b).tolist(), [[[0, 0], [2, 3]], [[4, 0], [6, 7]]]);
    assert.deepEqual(paddle.triu(b, 5).tolist(), [[[0, 0], [0, 0]], [[0, 0], [0, 0]]]);
    assert.deepEqual(paddle.tril(b, -5).tolist(), [[[0, 0], [0, 0]], [[0, 0], [0, 0]]]);
  });
  it('have gradients', () => {
    checkGrad((t) => paddle.tril(t, 1), [randTensor([3, 4])]);
    checkGrad((t) => paddle.triu(t, -1), [randTensor([2, 3, 3])]);
  });
  it('reject 1-D input', () => {
    assertThrows(() => paddle.tril(f32([1, 2])), InvalidArgumentError, /paddle\.tril/, /at least 2-D/);
    assertThrows(() => paddle.triu(x(), 1.5 as never), InvalidArgumentError, /argument 'diagonal'/);
  });
});

describe('paddle.meshgrid', () => {
  it('matches the Paddle docs shapes and NumPy ij values', () => {
    const [gx, gy] = paddle.meshgrid(paddle.randint(0, 10, [100]), paddle.randint(0, 10, [200]));
    assert.deepEqual(gx.shape, [100, 200]);
    assert.deepEqual(gy.shape, [100, 200]);
    const [a, b] = paddle.meshgrid([paddle.to_tensor([1, 2, 3]), paddle.to_tensor([4, 5])]);
    assert.deepEqual(a.tolist(), [[1, 1], [2, 2], [3, 3]]);
    assert.deepEqual(b.tolist(), [[4, 5], [4, 5], [4, 5]]);
    const [p, q, r] = paddle.meshgrid(f32([1, 2]), f32([3]), f32([4, 5]), { name: 'g' });
    assert.deepEqual(p.shape, [2, 1, 2]);
    assert.deepEqual(q.tolist(), [[[3, 3]], [[3, 3]]]);
    assert.deepEqual(r.tolist(), [[[4, 5]], [[4, 5]]]);
  });
  it('has gradients (sums over the other axes)', () => {
    checkGrad((x, y) => paddle.meshgrid(x, y), [randTensor([3]), randTensor([4])]);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.meshgrid(f32([[1]])), InvalidArgumentError, /paddle\.meshgrid/, /1-D/);
    assertThrows(() => paddle.meshgrid(f32([1]), f64([1])), InvalidArgumentError, /same dtype/);
    assertThrows(() => paddle.meshgrid(f32([1]), 3 as never), InvalidArgumentError, /expected a Tensor/);
    assertThrows(() => paddle.meshgrid(f32([1]), { axis: 0 } as never), InvalidArgumentError, /unexpected keyword argument 'axis'/);
  });
});

describe('paddle.flip / reverse', () => {
  it('match the Paddle docs example', () => {
    const img = paddle.arange(12).reshape([3, 2, 2]).astype('float32');
    assert.deepEqual(paddle.flip(img, [0, 1]).tolist(), [[[10, 11], [8, 9]], [[6, 7], [4, 5]], [[2, 3], [0, 1]]]);
    assert.deepEqual(img.flip(-1).tolist(), [[[1, 0], [3, 2]], [[5, 4], [7, 6]], [[9, 8], [11, 10]]]);
    assert.deepEqual(paddle.reverse(paddle.to_tensor([1, 2, 3]), 0).tolist(), [3, 2, 1]);
    assert.deepEqual(paddle.to_tensor([[1, 2]]).reverse([0, 1]).tolist(), [[2, 1]]);
    assert.deepEqual(paddle.flip(paddle.to_tensor([2n ** 62n + 1n, 5n]), 0).tolist(), [5, 2n ** 62n + 1n]);
  });
  it('has gradients', () => {
    checkGrad((t) => paddle.flip(t, [0, 2]), [randTensor([2, 3, 2])]);
  });
  it('rejects bad axes', () => {
    assertThrows(() => paddle.flip(f32([1, 2]), 1), InvalidArgumentError, /paddle\.flip/, /out of range/);
    assertThrows(() => paddle.flip(f32([[1, 2]]), [1, -1]), InvalidArgumentError, /repeated/);
  });
});

describe('paddle.roll', () => {
  const x = () => f32([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  it('matches the Paddle docs examples and NumPy', () => {
    assert.deepEqual(paddle.roll(x(), 1).tolist(), [[9, 1, 2], [3, 4, 5], [6, 7, 8]]);
    assert.deepEqual(paddle.roll(x(), { shifts: 1, axis: 0 }).tolist(), [[7, 8, 9], [1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(x().roll(-4, 1).tolist(), [[2, 3, 1], [5, 6, 4], [8, 9, 7]]);
    const r = paddle.arange(24).reshape([2, 3, 4]);
    assert.deepEqual(paddle.roll(r, [1, -2], [0, 2]).tolist(), [
      [[14, 15, 12, 13], [18, 19, 16, 17], [22, 23, 20, 21]],
      [[2, 3, 0, 1], [6, 7, 4, 5], [10, 11, 8, 9]],
    ]);
  });
  it('has gradients', () => {
    checkGrad((t) => paddle.roll(t, [1, 2], [0, 1]), [randTensor([3, 4])]);
    checkGrad((t) => paddle.roll(t, -2), [randTensor([2, 3])]);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.roll(x(), 1, 2), InvalidArgumentError, /paddle\.roll/, /axis is out of range/);
    assertThrows(() => paddle.roll(x(), [1, 2], 0), InvalidArgumentError, /same length/);
  });
});

describe('paddle.shard_index', () => {
  it('matches the Paddle docs example', () => {
    const label = paddle.to_tensor([[16], [1]]);
    assertTensor(paddle.shard_index(label, 20, 2, 0), [2, 1], 'int64', [[-1], [1]]);
    assertTensor(label.shard_index(20, 2, 1), [2, 1], 'int64', [[6], [-1]]);
  });
  it('uses shard size ceil(index_num / nshards) and ignore_value', () => {
    // shard size 4: shard 2 holds 8..10
    assert.deepEqual(paddle.shard_index(i32([[9], [3], [10]]), 11, 3, 2, { ignore_value: -5 }).tolist(), [[1], [-5], [2]]);
  });
  it('rejects bad arguments', () => {
    const label = paddle.to_tensor([[16], [1]]);
    assertThrows(() => paddle.shard_index(label, 20, 2, 2), InvalidArgumentError, /paddle\.shard_index/, /shard_id/);
    assertThrows(() => paddle.shard_index(label, 10, 2, 0), InvalidArgumentError, /index_num = 10/);
    assertThrows(() => paddle.shard_index(f32([[1]]), 10, 2, 0), InvalidArgumentError, /dtype/);
    assertThrows(() => paddle.shard_index(paddle.to_tensor([1]), 10, 2, 0), InvalidArgumentError, /rank >= 2/);
  });
});

describe('paddle.diag', () => {
  it('matches the Paddle docs examples', () => {
    const x = paddle.to_tensor([1, 2, 3]);
    assert.deepEqual(paddle.diag(x).tolist(), [[1, 0, 0], [0, 2, 0], [0, 0, 3]]);
    assert.deepEqual(paddle.diag(x, 1).tolist(), [[0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 3], [0, 0, 0, 0]]);
    assert.deepEqual(paddle.diag(x, { padding_value: 6 }).tolist(), [[1, 6, 6], [6, 2, 6], [6, 6, 3]]);
    const m = paddle.to_tensor([[1, 2, 3], [4, 5, 6]]);
    assertTensor(paddle.diag(m), [2], 'int64', [1, 5]);
    assertTensor(paddle.diag(m, 1), [2], 'int64', [2, 6]);
    assertTensor(paddle.diag(m, -1), [1], 'int64', [4]);
    assertTensor(paddle.diag(m, 5), [0], 'int64');
    assertClose(paddle.diag(f32([1, 2]), -1, 0.5), [[0.5, 0.5, 0.5], [1, 0.5, 0.5], [0.5, 2, 0.5]]);
  });
  it('has gradients both ways (diag_v2_grad) and second derivatives', () => {
    checkGrad((t) => paddle.diag(t, 1), [randTensor([3])]);
    checkGrad((t) => paddle.diag(t, -1), [randTensor([3, 4])]);
    const x = paddle.to_tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', stop_gradient: false });
    const v = paddle.to_tensor([7, 8], { dtype: 'float64', stop_gradient: false });
    const [g] = paddle.grad([paddle.diag(x, 1)], [x], [v], { create_graph: true });
    assertClose(g!, [[0, 7, 0], [0, 0, 8]]);
    const [gv] = paddle.grad([paddle.sum(paddle.multiply(g!, f64([[1, 2, 3], [4, 5, 6]])))], [v]);
    assertClose(gv!, [2, 6]);
  });
  it('rejects bad arguments', () => {
    assertThrows(() => paddle.diag(paddle.ones([2, 2, 2])), InvalidArgumentError, /paddle\.diag/, /either 1 or 2/);
    assertThrows(() => paddle.diag(paddle.to_tensor([true])), InvalidArgumentError, /dtype/);
  });
});

describe('paddle.trace', () => {
  const t = () => paddle.arange(24).reshape([2, 3, 4]);
  it('matches the Paddle docs shapes and NumPy values', () => {
    assertTensor(paddle.trace(paddle.to_tensor([[1, 2], [3, 4]])), [1], 'int64', [5]);
    assert.deepEqual(paddle.trace(paddle.randn([2, 3])).shape, [1]);
    assert.deepEqual(paddle.trace(paddle.randn([3, 10, 10]), 1, 1, 2).shape, [3]);
    assert.deepEqual(paddle.trace(paddle.randn([3, 10, 5, 10]), -3, 1, -1).shape, [3, 5]);
    assertTensor(paddle.trace(t(), 1, 1, 2), [2], 'int64', [18, 54]);
    assertTensor(t().trace({ offset: -1, axis1: 0, axis2: 2 }), [3], 'int64', [12, 16, 20]);
    assertTensor(paddle.trace(t(), 0, 2, 0), [3], 'int64', [13, 21, 29]);
    assertTensor(paddle.trace(t(), 7, 1, 2), [2], 'int64', [0, 0]);
  });
  it('has gradients (trace_grad) and second derivatives', () => {
    checkGrad((x) => paddle.trace(x, 1, 1, 2), [randTensor([2, 3, 4])]);
    checkGrad((x) => paddle.trace(x, -1), [randTensor([3, 3])]);
    const x = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float64', stop_gradient: false });
    const v = paddle.to_tensor([3], { dtype: 'float64', stop_gradient: false });
    const [g] = paddle.grad([paddle.trace(x)], [x], [v], { create_graph: true });
    assertClose(g!, [[3, 0], [0, 3]]);
    const [gv] = paddle.grad([paddle.sum(paddle.multiply(g!, f64([[1, 2], [3, 4]])))], [v]);
    assertClose(gv!, [5]);
  });
  it('rejects bad axes', () => {
    assertThrows(() => paddle.trace(f32([1, 2])), InvalidArgumentError, /paddle\.trace/, /rank >= 2/);
    assertThrows(() => paddle.trace(t(), 0, 1, 1), InvalidArgumentError, /different axes/);
    assertThrows(() => paddle.trace(t(), 0, 0, 3), InvalidArgumentError, /axis2/, /out of range/);
  });
});

describe('paddle.is_empty / is_tensor / broadcast_shape', () => {
  it('answer as Paddle does', () => {
    assertTensor(paddle.is_empty(paddle.ones([0, 3])), [1], 'bool', [true]);
    assertTensor(paddle.ones([2]).is_empty(), [1], 'bool', [false]);
    assert.equal(paddle.is_tensor(paddle.ones([1])), true);
    assert.equal(paddle.is_tensor([1, 2]), false);
    assert.equal(paddle.ones([1]).is_tensor(), true);
    assert.deepEqual(paddle.broadcast_shape([2, 1, 3], [1, 3, 1]), [2, 3, 3]);
    assert.deepEqual(paddle.broadcast_shape([1, 3], [4, 1, 1]), [4, 1, 3]);
    assertThrows(() => paddle.broadcast_shape([2, 3], [4]), InvalidArgumentError, /paddle\.broadcast_shape/, /cannot be broadcast/);
  });
});

describe('gradients in static mode (unknown batch size)', () => {
  it('append the grad rules of sort, topk, cumsum, var, median, clip and where', () => {
    paddle.enable_static();
    try {
      const main = new paddle.static.Program();
      paddle.static.program_guard(main, new paddle.static.Program(), () => {
        const x = paddle.static.data('x', [null, 4], 'float32');
        const w = f32([[1, 2, 3, 4]]);
        const ys = [
          paddle.sum(paddle.multiply(paddle.sort(x, 1, true), w)),
          paddle.sum(paddle.multiply(paddle.topk(x, 2)[0], f32([[1, 10]]))),
          paddle.sum(paddle.multiply(paddle.cumsum(x, 1), w)),
          paddle.sum(paddle.var(x, 1)),
          paddle.sum(paddle.median(x, 1)),
          paddle.sum(paddle.multiply(paddle.clip(x, 0, 3), w)),
          paddle.sum(paddle.multiply(paddle.where(x.greater_than(paddle.zeros([1])), x, paddle.zeros_like(x)) as paddle.Tensor, w)),
        ];
        const expected = [
          [[2, 4, 1, 3], [1, 2, 4, 3]],
          [[10, 0, 1, 0], [1, 10, 0, 0]],
          [[10, 9, 7, 4], [10, 9, 7, 4]],
          // 2 (x - mean) / (N - 1)
          [[1 / 3, -5 / 3, 5 / 3, -1 / 3], [5 / 3, 1, -7 / 3, -1 / 3]],
          [[0.5, 0, 0, 0.5], [0, 0.5, 0, 0.5]],
          [[1, 0, 0, 0], [0, 0, 0, 4]],
          [[1, 0, 3, 0], [1, 2, 0, 4]],
        ];
        const exe = new paddle.static.Executor(new paddle.CPUPlace());
        ys.forEach((y, k) => {
          const [gx] = paddle.static.gradients([y], [x]);
          const [r] = exe.run(main, { feed: { x: [[1, -2, 3, 0], [5, 4, -1, 2]] }, fetch_list: [gx!] }) as paddle.Tensor[];
          assertClose(r, expected[k], 1e-6, 1e-6, `case ${k}`);
        });
      });
    } finally {
      paddle.disable_static();
    }
  });
});

describe('misc operators in static mode', () => {
  it('append cumsum, clip, flip, roll, tril_triu, trace and run them', () => {
    paddle.enable_static();
    try {
      const main = new paddle.static.Program();
      paddle.static.program_guard(main, new paddle.static.Program(), () => {
        const x = paddle.static.data('x', [null, 3], 'float32');
        const outs = [paddle.cumsum(x, 1), paddle.clip(x, 0, 4), paddle.flip(x, 0), paddle.roll(x, 1, 1), paddle.triu(x), paddle.trace(x)];
        const types = main.global_block().ops.map((o) => o.type);
        for (const t of ['cumsum', 'clip', 'flip', 'roll', 'tril_triu', 'trace']) assert.ok(types.includes(t), t);
        const exe = new paddle.static.Executor(new paddle.CPUPlace());
        const r = exe.run(main, { feed: { x: [[1, 2, 3], [4, 5, 6]] }, fetch_list: outs }) as paddle.Tensor[];
        assertClose(r[0], [[1, 3, 6], [4, 9, 15]]);
        assertClose(r[1], [[1, 2, 3], [4, 4, 4]]);
        assertClose(r[2], [[4, 5, 6], [1, 2, 3]]);
        assertClose(r[3], [[3, 1, 2], [6, 4, 5]]);
        assertClose(r[4], [[1, 2, 3], [0, 5, 6]]);
        assertClose(r[5], [6]);
      });
    } finally {
      paddle.disable_static();
    }
  });
});
