// Tensor.getitem / Tensor.setitem: Python-style indexing checked against NumPy results,
// gradients through indexing, in-place assignment with autograd, errors, static programs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError, OutOfRangeError, PreconditionNotMetError, UnimplementedError } = paddle.errors;
/** numpy.arange(n).reshape(shape) as a Tensor of dtype. */
const ar = (shape: number[], dtype = 'int64'): paddle.Tensor =>
  paddle.to_tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), { dtype }).reshape(shape);
const x3 = (): paddle.Tensor => ar([3, 4, 5]);

test('getitem: ints, slice strings, negative steps, Ellipsis and None (NumPy values)', () => {
  const x = x3();
  assertTensor(x.getitem('1:', '::-2', -1), [2, 2], 'int64', [[39, 29], [59, 49]]);
  assertTensor(x.getitem('...', '1:4:2'), [3, 4, 2], 'int64');
  assert.deepEqual(x.getitem('...', '1:4:2').getitem(2, 3).tolist(), [56, 58]);
  assertTensor(x.getitem(null, 0, '...', null), [1, 4, 5, 1], 'int64');
  assertTensor(x.getitem(-1, '2:0:-1', '::3'), [2, 2], 'int64', [[50, 53], [45, 48]]);
  assertTensor(x.getitem(' : ', '-100:100'), [3, 4, 5], 'int64');
  assertTensor(x.getitem('5:'), [0, 4, 5], 'int64');
  // Paddle has no 0-D tensors: indexing every axis gives shape [1]
  assertTensor(x.getitem(2, -1, 0), [1], 'int64', [55]);
  assertTensor(paddle.to_tensor([4, 5, 6]).getitem(-1), [1], 'int64', [6]);
  assertTensor(paddle.to_tensor([4, 5, 6]).getitem(-1, null), [1], 'int64', [6]);
  // a result is a new tensor, even for x[:]
  const all = x.getitem(':');
  assert.notEqual(all, x);
  assert.deepEqual(all.tolist(), x.tolist());
});

test('getitem: int arrays and int Tensors gather (NumPy advanced indexing)', () => {
  const x = x3();
  assertTensor(x.getitem(':', [3, -1, 0]), [3, 3, 5], 'int64');
  assert.deepEqual(x.getitem(':', [3, -1, 0]).getitem(1).tolist(), [[35, 36, 37, 38, 39], [35, 36, 37, 38, 39], [20, 21, 22, 23, 24]]);
  assertTensor(x.getitem(paddle.to_tensor([[0, 2], [1, 1]], { dtype: 'int32' })), [2, 2, 4, 5], 'int64');
  // several advanced indices broadcast together; ints count as advanced next to them
  assertTensor(x.getitem([[0, 2], [1, 1]], 1, 2), [2, 2], 'int64', [[7, 47], [27, 27]]);
  assertTensor(x.getitem([0, 2], '1:3', [4, 0]), [2, 2], 'int64', [[9, 14], [45, 50]]);
  assertTensor(x.getitem(1, ':', [0, 4]), [2, 4], 'int64', [[20, 25, 30, 35], [24, 29, 34, 39]]);
  assertTensor(x.getitem(':', [1, 2], [[0], [3]]), [3, 2, 2], 'int64', [[[5, 10], [8, 13]], [[25, 30], [28, 33]], [[45, 50], [48, 53]]]);
  assertTensor(x.getitem(paddle.to_tensor([2, 0]), '::-1').getitem(':', 0), [2, 5], 'int64', [[55, 56, 57, 58, 59], [15, 16, 17, 18, 19]]);
  assertTensor(x.getitem([]), [0, 4, 5], 'int64');
});

test('getitem: bool masks select as NumPy (masked_select for a full mask)', () => {
  const x = x3();
  const m = paddle.equal(paddle.mod(x, paddle.to_tensor(7)), paddle.to_tensor(0));
  assertTensor(x.getitem(m), [9], 'int64', [0, 7, 14, 21, 28, 35, 42, 49, 56]);
  const m2 = [[true, false, false, true], [false, true, false, false], [false, false, false, true]];
  assertTensor(x.getitem(paddle.to_tensor(m2)), [4, 5], 'int64', [[0, 1, 2, 3, 4], [15, 16, 17, 18, 19], [25, 26, 27, 28, 29], [55, 56, 57, 58, 59]]);
  assertTensor(x.getitem(':', ':', [true, false, true, false, true]).getitem('...', 0), [3, 4], 'int64', [[0, 5, 10, 15], [20, 25, 30, 35], [40, 45, 50, 55]]);
  assertTensor(x.getitem(1, paddle.to_tensor(m2[0])), [2, 5], 'int64', [[20, 21, 22, 23, 24], [35, 36, 37, 38, 39]]);
  const m3 = [[true, false, true, false, false], [false, false, false, false, true], [false, true, false, false, false], [true, false, false, false, false]];
  assertTensor(x.getitem(':', m3), [3, 5], 'int64', [[0, 2, 9, 11, 15], [20, 22, 29, 31, 35], [40, 42, 49, 51, 55]]);
  assertTensor(x.getitem('0:2', paddle.to_tensor(m3)), [2, 5], 'int64', [[0, 2, 9, 11, 15], [20, 22, 29, 31, 35]]);
  assertTensor(x.getitem(paddle.zeros([3], 'bool')), [0, 4, 5], 'int64');
});

test('getitem gradients (finite differences): slices, steps, None, gathers, masks', () => {
  const x = randTensor([3, 4, 5]);
  checkGrad((t) => t.getitem(1, '::-2', null, '1:4'), [x]);
  checkGrad((t) => t.getitem('...', -1), [x]);
  checkGrad((t) => t.getitem(':', [3, 3, 0]), [x]);
  checkGrad((t) => t.getitem([0, 2, 0], '1:3', [4, 0, 4]), [x]);
  checkGrad((t) => t.getitem(paddle.greater_than(t.detach(), paddle.to_tensor(0, { dtype: 'float64' }))), [x]);
  checkGrad((t) => t.getitem(':', [[true, false, true, false, false], [false, false, false, false, true], [false, true, false, false, false], [true, false, false, false, false]]), [x]);
  // second order through the slicing grad ops
  checkGrad((t) => { const y = t.getitem('1:', '::-1', 2); return paddle.multiply(y, y); }, [x], { second: true });
});

test('setitem: basic indices write in place with NumPy broadcasting', () => {
  let x = ar([2, 3, 4], 'float32');
  const v0 = x.version;
  const r = x.setitem([':', '::-2'], paddle.to_tensor([[1], [2]], { dtype: 'float32' }));
  assert.equal(r, x);
  assert.equal(x.version, v0 + 1);
  assertTensor(x, [2, 3, 4], 'float32', [[[2, 2, 2, 2], [4, 5, 6, 7], [1, 1, 1, 1]], [[2, 2, 2, 2], [16, 17, 18, 19], [1, 1, 1, 1]]]);
  x = ar([2, 3, 4], 'float32');
  x.setitem([0, null, '1:'], [[[9]]]);
  assertTensor(x.getitem(0), [3, 4], 'float32', [[0, 1, 2, 3], [9, 9, 9, 9], [9, 9, 9, 9]]);
  // the variadic form, a scalar, and views sharing the data see the write
  x = ar([2, 3, 4], 'float32');
  const view = x.reshape([24]);
  (x.setitem as (...a: unknown[]) => paddle.Tensor)(1, '...', -1, 0.5);
  assertTensor(x.getitem(1, ':', -1), [3], 'float32', [0.5, 0.5, 0.5]);
  assert.equal(view.getitem(23).item(), 0.5);
  // int64 values stay exact, bools assign, float values truncate into ints as NumPy does
  const big = paddle.to_tensor([1, 2, 3]);
  big.setitem(1, 9007199254740993n);
  assert.deepEqual(Array.from(big.numpy() as BigInt64Array), [1n, 9007199254740993n, 3n]);
  big.setitem('::2', 2.7);
  assert.deepEqual(big.tolist(), [2, 9007199254740993n, 2]);
  const b = paddle.to_tensor([true, true, true]);
  b.setitem(0, false);
  assert.deepEqual(b.tolist(), [false, true, true]);
});

test('setitem: int and bool indices (scatter at the selected positions)', () => {
  let x = ar([2, 3, 4], 'float32');
  x.setitem(['...', [0, 3]], paddle.to_tensor([7, 8], { dtype: 'float32' }));
  assertTensor(x, [2, 3, 4], 'float32', [[[7, 1, 2, 8], [7, 5, 6, 8], [7, 9, 10, 8]], [[7, 13, 14, 8], [7, 17, 18, 8], [7, 21, 22, 8]]]);
  x = ar([2, 3, 4], 'float32');
  x.setitem([1, [2, 0], [1, 1]], [5, 6]);
  assertTensor(x.getitem(1), [3, 4], 'float32', [[12, 6, 14, 15], [16, 17, 18, 19], [20, 5, 22, 23]]);
  x = ar([2, 3, 4], 'float32');
  x.setitem([paddle.equal(paddle.mod(x, paddle.to_tensor(5, { dtype: 'float32' })), paddle.to_tensor(0, { dtype: 'float32' }))], 0.5);
  assertTensor(x, [2, 3, 4], 'float32', [[[0.5, 1, 2, 3], [4, 0.5, 6, 7], [8, 9, 0.5, 11]], [[12, 13, 14, 0.5], [16, 17, 18, 19], [0.5, 21, 22, 23]]]);
  x = ar([2, 3, 4], 'float32');
  x.setitem([[true, false]], paddle.scale(ar([3, 4], 'float32'), -1));
  assertTensor(x.getitem(0), [3, 4], 'float32', [[0, -1, -2, -3], [-4, -5, -6, -7], [-8, -9, -10, -11]]);
  assertTensor(x.getitem(1, 0), [4], 'float32', [12, 13, 14, 15]);
});

test('setitem is recorded for autograd: gradients reach the value and the untouched elements', () => {
  const a = paddle.to_tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', stop_gradient: false });
  const v = paddle.to_tensor([10, 20, 30], { dtype: 'float64', stop_gradient: false });
  const y = paddle.scale(a, 2);
  y.setitem(0, v);
  paddle.multiply(y, y).sum().backward();
  assertClose(y, [[10, 20, 30], [8, 10, 12]]);
  assertClose(a.grad!, [[0, 0, 0], [32, 40, 48]]);
  assertClose(v.grad!, [20, 40, 60]);
  // x that needs no gradient becomes part of the graph when the value needs one
  const z = paddle.zeros([2, 3], 'float64');
  const w = paddle.to_tensor([1, 2], { dtype: 'float64', stop_gradient: false });
  z.setitem([':', 1], w);
  assert.equal(z.stop_gradient, false);
  paddle.multiply(z, z).sum().backward();
  assertClose(w.grad!, [2, 4]);
  // finite differences: the value broadcasts (gradient summed), x keeps the rest
  checkGrad((t, u) => { const c = paddle.scale(t, 1); c.setitem([':', '::-2', 1], u); return c; }, [randTensor([2, 5, 3]), randTensor([3])]);
  checkGrad((t, u) => { const c = paddle.scale(t, 1); c.setitem([[2, 0], 0], u); return c; }, [randTensor([3, 2]), randTensor([1])]);
  checkGrad((t, u) => {
    const c = paddle.scale(t, 1);
    c.setitem([paddle.greater_than(t.detach(), paddle.to_tensor(0, { dtype: 'float64' }))], u);
    return paddle.multiply(c, c);
  }, [randTensor([3, 4]), randTensor([1])]);
});

test('setitem errors: leaf that needs grad, value shape, a used value changed in place', () => {
  const leaf = paddle.to_tensor([1, 2, 3], { dtype: 'float32', stop_gradient: false });
  assertThrows(() => leaf.setitem(0, 5), PreconditionNotMetError, /paddle\.Tensor\.setitem/, /leaf Tensor that requires gradient/);
  paddle.no_grad(() => leaf.setitem(0, 5));
  assert.deepEqual(leaf.tolist(), [5, 2, 3]);
  assertThrows(() => ar([2, 3], 'float32').setitem(0, [1, 2]), InvalidArgumentError, /value of shape \[2\] cannot be broadcast to the assigned region of shape \[3\]/);
  assertThrows(() => ar([2, 3], 'float32').setitem([[0, 1]], [[1, 2]]), InvalidArgumentError, /value of shape \[1, 2\] cannot be broadcast to the indexed shape \[2, 3\]/);
  assertThrows(() => ar([2, 3], 'float32').setitem(0, 'a' as never), InvalidArgumentError, /argument 'value' expected a number/);
  // y * y saved y; assigning into y afterwards makes that gradient stale
  const a = paddle.to_tensor([1, 2], { dtype: 'float64', stop_gradient: false });
  const y = paddle.scale(a, 1);
  const s = paddle.multiply(y, y);
  y.setitem(0, 3);
  assertThrows(() => s.sum().backward(), PreconditionNotMetError, /modified by an in-place operation/);
});

test('indexing errors name the axis and the problem', () => {
  const x = x3();
  assertThrows(() => x.getitem(3), OutOfRangeError, /paddle\.Tensor\.getitem/, /index 3 is out of range for axis 0 with size 3/);
  assertThrows(() => x.getitem(0, -5), OutOfRangeError, /index -5 is out of range for axis 1 with size 4/);
  assertThrows(() => x.getitem(':', [0, 4]), OutOfRangeError, /index 4 is out of range for axis 1 with size 4/);
  assertThrows(() => x.getitem([0, 1], ':', [5, 0]), OutOfRangeError, /axis 2 with size 5/);
  assertThrows(() => x.setitem([0, 0, 7], 1), OutOfRangeError, /paddle\.Tensor\.setitem/, /axis 2 with size 5/);
  assertThrows(() => x.getitem(0, 0, 0, 0), InvalidArgumentError, /too many indices for a tensor of rank 3: 4 were given/);
  assertThrows(() => x.getitem('...', 0, '...'), InvalidArgumentError, /single ellipsis/);
  assertThrows(() => x.getitem('1:2:0'), InvalidArgumentError, /slice step cannot be zero/);
  assertThrows(() => x.getitem('a:b'), InvalidArgumentError, /index\[0\]/, /slice string/);
  assertThrows(() => x.getitem(1.5), InvalidArgumentError, /an integer index/);
  assertThrows(() => x.getitem(paddle.to_tensor([0.5])), InvalidArgumentError, /integer or bool dtype, but got float32/);
  assertThrows(() => x.getitem(paddle.to_tensor([true, false])), InvalidArgumentError, /bool index of shape \[2\] does not match the indexed tensor's dims \[3\]/);
  assertThrows(() => x.getitem([0, 1], ':', [0, 1, 2]), InvalidArgumentError, /could not be broadcast together/);
  assertThrows(() => x.getitem(true as never), UnimplementedError, /bare boolean/);
});

test('static mode: basic indexing appends slice ops; setitem appends set_value on the variable', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [null, 4], 'float32');
      const y = x.getitem(':', '::-1');
      const z = x.getitem(0, null);
      assert.deepEqual(z.shape, [1, 4]);
      x.setitem([':', 0], 1.5);
      assert.deepEqual(main.global_block().ops.map((o) => o.type), ['strided_slice', 'unsqueeze2', 'slice', 'set_value']);
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      const [a, b] = exe.run(main, { feed: { x: [[1, 2, 3, 4], [5, 6, 7, 8]] }, fetch_list: [y, x] }) as paddle.Tensor[];
      assertClose(a, [[4, 3, 2, 1], [8, 7, 6, 5]]);
      assertClose(b, [[1.5, 2, 3, 4], [1.5, 6, 7, 8]]);
    });
  } finally {
    paddle.disable_static();
  }
});
