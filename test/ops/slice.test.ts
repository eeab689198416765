// slice, strided_slice and set_value (and their grad ops): NumPy-derived values, Python
// clamping, negative strides, tensor-valued starts/ends, every dtype, gradients, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { run1 } from '../../src/core/dispatch.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError } = paddle.errors;
const ar = (dtype = 'int64'): paddle.Tensor => paddle.to_tensor(Array.from({ length: 24 }, (_, i) => i), { dtype }).reshape([2, 3, 4]);

test('slice: Paddle doc cases and Python clamping of starts/ends', () => {
  const d = paddle.to_tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
  // Case1 and Case2 of the slice op's documentation
  assertTensor(paddle.slice(d, [0, 1], [1, 0], [2, 3]), [1, 3], 'int64', [[5, 6, 7]]);
  assertTensor(paddle.slice(d, [0, 1], [0, 1], [-1, 1000]), [1, 3], 'int64', [[2, 3, 4]]);
  // numpy: x[:, 1:100, -3:-1]
  assertTensor(paddle.slice(ar(), [1, 2], [1, -3], [100, -1]), [2, 2, 2], 'int64', [[[5, 6], [9, 10]], [[17, 18], [21, 22]]]);
  // start beyond the end clamps to an empty slice; a very negative start clamps to 0
  assertTensor(paddle.slice(ar(), [2], [10], [20]), [2, 3, 0], 'int64');
  assertTensor(paddle.slice(ar(), [0], [-100], [1]), [1, 3, 4], 'int64');
  // method form and tensor-valued bounds (whole tensors and 1-element entries)
  assertTensor(ar().slice([2], [paddle.to_tensor([1])], [3]), [2, 3, 2], 'int64', [[[1, 2], [5, 6], [9, 10]], [[13, 14], [17, 18], [21, 22]]]);
  assertTensor(paddle.slice(ar(), [2], paddle.to_tensor([1], { dtype: 'int32' }), paddle.to_tensor([3], { dtype: 'int32' })), [2, 3, 2], 'int64');
});

test('slice op: decrease_axis drops axes (all dropped gives shape [1]); Paddle\'s -1,0 form', () => {
  assertTensor(run1('slice', { Input: [ar()] }, { axes: [0, 2], starts: [1, 3], ends: [2, 4], decrease_axis: [0] }), [3, 1], 'int64', [[15], [19], [23]]);
  assertTensor(run1('slice', { Input: [ar()] }, { axes: [0, 1, 2], starts: [1, 2, 3], ends: [2, 3, 4], decrease_axis: [0, 1, 2] }), [1], 'int64', [23]);
  // a decreased index -1 written as start -1, end 0 selects the last element
  assertTensor(run1('slice', { Input: [ar()] }, { axes: [2], starts: [-1], ends: [0], decrease_axis: [2] }), [2, 3], 'int64', [[3, 7, 11], [15, 19, 23]]);
});

test('strided_slice: positive and negative strides as NumPy', () => {
  // x[1, :, ::-1]
  assertTensor(run1('strided_slice', { Input: [ar()] }, { axes: [0, 2], starts: [1, -1], ends: [2, -1], strides: [1, -1], decrease_axis: [0] }), [3, 4], 'int64',
    [[15, 14, 13, 12], [19, 18, 17, 16], [23, 22, 21, 20]]);
  // x[:, ::-2, 3:0:-2]
  assertTensor(paddle.strided_slice(ar(), [1, 2], [2, 3], [-1, 0], [-2, -2]), [2, 2, 2], 'int64', [[[11, 9], [3, 1]], [[23, 21], [15, 13]]]);
  // x[:, 5:-10:-1]: start clamps to the last index, end to "before the first"
  assertTensor(ar().strided_slice([1], [5], [-10], [-1]), [2, 3, 4], 'int64');
  // a start before the first element with a negative stride selects nothing
  assertTensor(paddle.strided_slice(ar(), [2], [-10], [-1], [-1]), [2, 3, 0], 'int64');
  // x[:, :, ::3] with a step that does not divide the size
  assertTensor(paddle.strided_slice(ar(), [2], [0], [4], [3]), [2, 3, 2], 'int64', [[[0, 3], [4, 7], [8, 11]], [[12, 15], [16, 19], [20, 23]]]);
});

test('slice and strided_slice keep every dtype exactly', () => {
  const big = paddle.to_tensor([9007199254740993n, -9007199254740995n, 5n], { dtype: 'int64' });
  assert.deepEqual(Array.from(paddle.strided_slice(big, [0], [-1], [-1], [-1]).numpy() as BigInt64Array), [5n, -9007199254740995n, 9007199254740993n]);
  for (const dtype of ['bool', 'uint8', 'int8', 'int16', 'int32', 'float16', 'float32', 'float64']) {
    const x = paddle.to_tensor([1, 0, 1, 1], { dtype }).reshape([2, 2]);
    const y = paddle.strided_slice(x, [0, 1], [-1, 1], [-3, 0], [-1, -1]); // x[::-1, 1:0:-1]
    assertTensor(y, [2, 1], dtype);
    assertClose(y, [[1], [0]]);
  }
  const z = paddle.to_tensor([{ real: 1, imag: 2 }, { real: 3, imag: -4 }, { real: 5, imag: 6 }], { dtype: 'complex64' });
  assert.deepEqual(paddle.slice(z, [0], [1], [3]).tolist(), [{ real: 3, imag: -4 }, { real: 5, imag: 6 }]);
});

test('slice / strided_slice errors name the API and the problem', () => {
  assertThrows(() => paddle.slice(ar(), [3], [0], [1]), InvalidArgumentError, /paddle\.slice/, /axes\[0\] = 3 is out of range/);
  assertThrows(() => paddle.slice(ar(), [0, 1], [0], [1, 2]), InvalidArgumentError, /'starts' has 1 values but 'axes' has 2/);
  assertThrows(() => paddle.strided_slice(ar(), [0], [0], [1], [0]), InvalidArgumentError, /paddle\.strided_slice/, /step must not be zero/);
  assertThrows(() => paddle.slice(ar(), [0, 0], [0, 0], [1, 1]), InvalidArgumentError, /axis 0 twice/);
  assertThrows(() => paddle.slice(ar(), [0], [0.5] as never, [1]), InvalidArgumentError, /argument 'starts' expected/);
  assertThrows(() => run1('slice', { Input: [ar()] }, { axes: [0], starts: [0], ends: [2], decrease_axis: [0] }), InvalidArgumentError, /axis 0 is decreased, so it must select exactly one element/);
});

test('slice / strided_slice gradients (finite differences, and second order)', () => {
  const x = randTensor([3, 4, 5]);
  // squared, so the second-order check runs through the grad ops' own gradients
  const sq = (f: (t: paddle.Tensor) => paddle.Tensor) => (t: paddle.Tensor) => paddle.multiply(f(t), f(t));
  checkGrad((t) => paddle.slice(t, [0, 2], [1, -4], [3, 100]), [x]);
  checkGrad(sq((t) => paddle.slice(t, [0, 2], [1, -4], [3, 100])), [x], { second: true });
  checkGrad((t) => paddle.strided_slice(t, [0, 1, 2], [-1, 3, 0], [-10, 0, 5], [-2, -2, 2]), [x]);
  checkGrad(sq((t) => paddle.strided_slice(t, [0, 1, 2], [-1, 3, 0], [-10, 0, 5], [-2, -2, 2])), [x], { second: true });
  checkGrad((t) => run1('slice', { Input: [t] }, { axes: [1], starts: [2], ends: [3], decrease_axis: [1] }), [x]);
  // the grad op writes Out@GRAD into zeros of Input's shape
  const g = run1('strided_slice_grad', { Input: [paddle.zeros([2, 4], 'float64')], 'Out@GRAD': [paddle.to_tensor([[1, 2]], { dtype: 'float64' })] },
    { axes: [0, 1], starts: [1, 3], ends: [2, 0], strides: [1, -2], infer_flags: [1, 1], decrease_axis: [] }, 'Input@GRAD');
  assertTensor(g, [2, 4], 'float64', [[0, 0, 0, 0], [0, 2, 0, 1]]);
});

const setValue = (x: paddle.Tensor, attrs: Record<string, unknown>, value?: paddle.Tensor): paddle.Tensor =>
  run1('set_value', value ? { Input: [x], ValueTensor: [value] } : { Input: [x] }, attrs);

test('set_value: strided boxes, broadcasting values, decrease and none axes (NumPy assignment)', () => {
  // y[:, 0:3:2, 1] = [100, 200]
  assertTensor(setValue(ar(), { axes: [1, 2], starts: [0, 1], ends: [3, 2], steps: [2, 1], decrease_axes: [2] }, paddle.to_tensor([100, 200])), [2, 3, 4], 'int64',
    [[[0, 100, 2, 3], [4, 5, 6, 7], [8, 200, 10, 11]], [[12, 100, 14, 15], [16, 17, 18, 19], [20, 200, 22, 23]]]);
  // y[1, :, ::-3] = [[7], [8], [9]]
  assertTensor(setValue(ar(), { axes: [0, 2], starts: [1, -1], ends: [2, -1], steps: [1, -3], decrease_axes: [0] }, paddle.to_tensor([[7], [8], [9]])), [2, 3, 4], 'int64',
    [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], [[7, 13, 14, 7], [8, 17, 18, 8], [9, 21, 22, 9]]]);
  // a scalar from the attributes, and a none axis making a [1, 3] value fit y[0, None, :, 0]
  assertTensor(setValue(ar(), { axes: [0], starts: [1], ends: [2], int64_values: [-5], shape: [1], dtype: 3 }), [2, 3, 4], 'int64');
  assertClose(setValue(ar('float32'), { axes: [0, 2], starts: [0, 0], ends: [1, 1], decrease_axes: [0, 2], none_axes: [1], fp32_values: [1, 2, 3], shape: [1, 3] }).getitem(0, ':', 0), [1, 2, 3]);
  // the input is never modified
  const x = ar('float64');
  setValue(x, { axes: [0], starts: [0], ends: [2], fp64_values: [0], shape: [1], dtype: 6 });
  assert.equal(x.getitem(1, 2, 3).item(), 23);
  // bool and float16
  assertTensor(setValue(paddle.to_tensor([true, true, true]), { axes: [0], starts: [1], ends: [2], bool_values: [0], shape: [1], dtype: 0 }), [3], 'bool', [true, false, true]);
  assertClose(setValue(paddle.ones([3], 'float16'), { axes: [0], starts: [0], ends: [3], steps: [2], fp32_values: [0.5], shape: [1] }), [0.5, 1, 0.5]);
});

test('set_value gradients: to Input outside the box, to ValueTensor summed over broadcasting', () => {
  const attrs = { axes: [0, 2], starts: [1, 4], ends: [3, 0], steps: [1, -2], decrease_axes: [], dtype: 6 };
  checkGrad((x, v) => setValue(x, attrs, v), [randTensor([3, 2, 5]), randTensor([2, 1, 2])]);
  checkGrad((x, v) => { const y = setValue(x, attrs, v); return paddle.multiply(y, y); }, [randTensor([3, 2, 5]), randTensor([2, 1, 2])], { second: true });
  checkGrad((x, v) => setValue(x, { ...attrs, decrease_axes: [0], starts: [1, 4], ends: [2, 0] }, v), [randTensor([3, 2, 5]), randTensor([1, 1, 2])]);
  checkGrad((x, v) => setValue(x, { axes: [1], starts: [0], ends: [2], dtype: 6 }, v), [randTensor([3, 2, 5]), randTensor([1])]);
});

test('set_value errors: value shape, dtype, missing value', () => {
  assertThrows(() => setValue(ar(), { axes: [0], starts: [0], ends: [1] }, paddle.to_tensor([1, 2])), InvalidArgumentError, /value of shape \[2\] cannot be broadcast to the assigned region of shape \[1, 3, 4\]/);
  assertThrows(() => setValue(ar(), { axes: [0], starts: [0], ends: [1] }, paddle.to_tensor([1], { dtype: 'int32' })), InvalidArgumentError, /ValueTensor has dtype int32 but Input has dtype int64/);
  assertThrows(() => setValue(ar(), { axes: [0], starts: [0], ends: [1] }), InvalidArgumentError, /neither ValueTensor nor a values attribute/);
});
