// Reductions: values (NumPy / Paddle docs), shapes, dtypes, gradients and errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError } = paddle.errors;
const doc = () => paddle.to_tensor([[0.2, 0.3, 0.5, 0.9], [0.1, 0.2, 0.6, 0.7]]);
const f64 = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float64' });
const ar = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Float64Array.from({ length: n }, (_, i) => i)).reshape(shape);
};

describe('paddle.sum', () => {
  it('matches the Paddle docs example', () => {
    const x = doc();
    assertTensor(paddle.sum(x), [1], 'float32');
    assertClose(paddle.sum(x), [3.5]);
    assertClose(paddle.sum(x, 0), [0.30000001192092896, 0.5, 1.100000023841858, 1.5999999046325684], 0, 0);
    assertClose(paddle.sum(x, -1), [1.899999976158142, 1.600000023841858], 0, 0);
    assertTensor(paddle.sum(x, 1, undefined, true), [2, 1], 'float32');
    const y = paddle.to_tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    assertTensor(paddle.sum(y, [1, 2]), [2], 'int64', [10, 26]);
    assertTensor(paddle.sum(y, [0, 1]), [2], 'int64', [16, 20]);
  });
  it('takes keywords and is a Tensor method', () => {
    const x = doc();
    assertClose(x.sum({ axis: 1 }), [1.9, 1.6]);
    assertTensor(paddle.sum(x, { axis: [0, 1], keepdim: true }), [1, 1], 'float32');
    assertTensor(x.sum({ keepdim: true }), [1, 1], 'float32');
  });
  it('sums bool and int32 as int64, and dtype sets the result dtype', () => {
    const b = paddle.to_tensor([[true, true, true, true], [false, false, false, false]]);
    assertTensor(paddle.sum(b), [1], 'int64', [4]);
    assertTensor(paddle.sum(b, 0), [4], 'int64', [1, 1, 1, 1]);
    assertTensor(paddle.sum(b, 1), [2], 'int64', [4, 0]);
    const i = paddle.to_tensor([1, 2, 3], { dtype: 'int32' });
    assertTensor(paddle.sum(i), [1], 'int64', [6]);
    assertTensor(paddle.sum(i, { dtype: 'int32' }), [1], 'int32', [6]);
    assertTensor(paddle.sum(doc(), { dtype: 'float64' }), [1], 'float64');
    assertClose(paddle.sum(doc(), { dtype: 'float64' }), [3.5000000223517418], 1e-12);
  });
  it('gives a float32 input its gradient in float32 when dtype widens the sum', () => {
    const x = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32', stop_gradient: false });
    const s = paddle.sum(x, 0, 'float64');
    assertTensor(s, [2], 'float64', [4, 6]);
    paddle.sum(paddle.multiply(s, paddle.to_tensor([2, 3], { dtype: 'float64' }))).backward();
    assertTensor(x.grad!, [2, 2], 'float32', [[2, 3], [2, 3]]);
  });
  it('accumulates float32 in float64', () => {
    const x = paddle.to_tensor(new Float32Array(1_000_000).fill(0.1));
    // NumPy: float32 values summed in float64, rounded to float32
    assertClose(paddle.sum(x), [100000.0], 0, 0.01);
  });
  it('reduces middle and scattered axes of a 3-D tensor', () => {
    const z = ar([2, 3, 4]);
    assertClose(paddle.sum(z, [0, 2]), [60, 92, 124]);
    assertClose(paddle.sum(z, [2, 0], { keepdim: true }), [[[60], [92], [124]]]);
    assertTensor(paddle.sum(z, [-1, 0], { keepdim: true }), [1, 3, 1], 'float64');
    assertTensor(paddle.sum(z, 1), [2, 4], 'float64', [[12, 15, 18, 21], [48, 51, 54, 57]]);
  });
  it('sums complex tensors', () => {
    const c = paddle.to_tensor([{ real: 1, imag: 2 }, { real: 3, imag: -1 }]);
    const s = paddle.sum(c);
    assert.equal(s.dtype, 'complex64');
    assert.deepEqual(s.tolist(), [{ real: 4, imag: 1 }]);
  });
  it('rejects bad axes', () => {
    const x = doc();
    assertThrows(() => paddle.sum(x, 2), InvalidArgumentError, /paddle\.sum/, /axis 2 is out of range/);
    assertThrows(() => paddle.sum(x, -3), InvalidArgumentError, /out of range/);
    assertThrows(() => paddle.sum(x, [1, -1]), InvalidArgumentError, /paddle\.sum/, /repeated/);
    assertThrows(() => paddle.sum(x, 1.5 as never), InvalidArgumentError, /argument 'axis'/);
    assertThrows(() => paddle.sum(x, { axes: 1 } as never), InvalidArgumentError, /unexpected keyword argument 'axes'/);
  });
  it('has gradients', () => {
    const x = randTensor([3, 4, 2]);
    checkGrad((t) => paddle.sum(t), [x]);
    checkGrad((t) => paddle.sum(t, 1), [x]);
    checkGrad((t) => paddle.sum(t, [0, 2], undefined, true), [x]);
    checkGrad((t) => paddle.sum(t, -1, { keepdim: true }), [x]);
  });
});

describe('paddle.mean', () => {
  it('computes values', () => {
    const x = doc();
    assertTensor(paddle.mean(x), [1], 'float32');
    assertClose(paddle.mean(x), [0.4375]);
    assertClose(paddle.mean(x, 0), [0.15000000596046448, 0.25, 0.550000011920929, 0.7999999523162842], 0, 0);
    const z = ar([2, 3, 4]);
    assertClose(paddle.mean(z, 1), [[4, 5, 6, 7], [16, 17, 18, 19]]);
    assertTensor(z.mean({ axis: [0, 2], keepdim: true }), [1, 3, 1], 'float64');
    assertClose(z.mean({ axis: [0, 2] }), [7.5, 11.5, 15.5]);
  });
  it('rejects int input', () => {
    assertThrows(() => paddle.mean(paddle.to_tensor([1, 2])), InvalidArgumentError, /paddle\.mean/, /float/);
  });
  it('has gradients', () => {
    const x = randTensor([3, 4]);
    checkGrad((t) => paddle.mean(t), [x]);
    checkGrad((t) => paddle.mean(t, 0), [x]);
    checkGrad((t) => paddle.mean(t, [-1], true), [x]);
  });
});

describe('paddle.max / paddle.min', () => {
  it('computes values', () => {
    const x = doc();
    assertClose(paddle.max(x), [0.9]);
    assertTensor(paddle.max(x), [1], 'float32');
    assertClose(paddle.max(x, 0), [0.2, 0.3, 0.6, 0.9]);
    assertClose(paddle.max(x, -1), [0.9, 0.7]);
    assertClose(paddle.min(x, 1, true), [[0.2], [0.1]]);
    assertClose(paddle.min(x), [0.1]);
    const z = ar([2, 3, 4]);
    assertClose(z.max({ axis: [0, 2] }), [15, 19, 23]);
    assertClose(z.min({ axis: [0, 2] }), [0, 4, 8]);
    assertTensor(paddle.max(paddle.to_tensor([[3, -2], [5, 1]]), 1), [2], 'int64', [3, 5]);
    assertTensor(paddle.min(paddle.to_tensor([[3, -2], [5, 1]], { dtype: 'int32' }), 0), [2], 'int32', [3, -2]);
  });
  it('propagates NaN', () => {
    assert.ok(Number.isNaN(paddle.max(f64([1, NaN, 3])).item() as number));
  });
  it('routes the gradient to every extreme element (ties included)', () => {
    const x = paddle.to_tensor([[1, 5, 5], [2, 0, 0]], { dtype: 'float64', stop_gradient: false });
    paddle.sum(paddle.max(x, 1)).backward();
    assert.deepEqual(x.grad!.tolist(), [[0, 1, 1], [1, 0, 0]]);
    const y = paddle.to_tensor([[1, 5, 5], [2, 0, 0]], { dtype: 'float64', stop_gradient: false });
    paddle.min(y).backward();
    assert.deepEqual(y.grad!.tolist(), [[0, 0, 0], [0, 1, 1]]);
  });
  it('has gradients', () => {
    const x = randTensor([3, 4, 2]);
    checkGrad((t) => paddle.max(t), [x]);
    checkGrad((t) => paddle.max(t, 1), [x]);
    checkGrad((t) => paddle.max(t, [0, 2], true), [x]);
    checkGrad((t) => paddle.min(t, -1), [x]);
    checkGrad((t) => paddle.min(t, [0, 1], true), [x]);
  });
  it('rejects bad input', () => {
    assertThrows(() => paddle.max(doc(), 3), InvalidArgumentError, /paddle\.max/, /out of range/);
    assertThrows(() => paddle.min(paddle.to_tensor([true])), InvalidArgumentError, /paddle\.min/, /dtype/);
  });
});

describe('paddle.prod', () => {
  it('computes values', () => {
    const x = doc();
    assertClose(paddle.prod(x), [0.00022680000984109938], 1e-6, 0);
    assertClose(paddle.prod(x, -1), [0.027000000700354576, 0.008400000631809235], 1e-6, 0);
    assertClose(paddle.prod(x, 0), [0.02, 0.06, 0.3, 0.63]);
    assertTensor(paddle.prod(x, 1, true), [2, 1], 'float32');
    assertTensor(paddle.prod(x, { dtype: 'float64' }), [1], 'float64');
    const y = paddle.to_tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    assertTensor(paddle.prod(y, [1, 2]), [2], 'int64', [24, 1680]);
    assertTensor(paddle.prod(y, [0, 1]), [2], 'int64', [105, 384]);
    assertClose(ar([2, 3, 4]).prod({ axis: 1 }), [[0, 45, 120, 231], [3840, 4641, 5544, 6555]]);
  });
  it('handles zeros in the gradient', () => {
    const x = paddle.to_tensor([[2, 0, 3], [0, 4, 0], [1, 2, 3]], { dtype: 'float64', stop_gradient: false });
    paddle.sum(paddle.prod(x, 1)).backward();
    assert.deepEqual(x.grad!.tolist(), [[0, 6, 0], [0, 0, 0], [6, 3, 2]]);
  });
  it('has gradients', () => {
    const x = randTensor([3, 4, 2], 0.5, 1.5);
    checkGrad((t) => paddle.prod(t), [x]);
    checkGrad((t) => paddle.prod(t, 1), [x]);
    checkGrad((t) => paddle.prod(t, [0, 2], true), [x]);
    const z = paddle.to_tensor([[0.5, 0, -1.5], [1.2, 0.7, 0]], { dtype: 'float64' });
    checkGrad((t) => paddle.prod(t, 0), [z]);
  });
  it('rejects bad dtype', () => {
    assertThrows(() => paddle.prod(doc(), { dtype: 'bool' }), InvalidArgumentError, /paddle\.prod/, /dtype/);
  });
});

describe('second derivatives', () => {
  // grad of sum(f(t) * W) as a function of t, differentiable (create_graph); checkGrad then
  // compares its derivative with finite differences.
  const gradOf = (f: (t: paddle.Tensor) => paddle.Tensor, w: paddle.Tensor) => (t: paddle.Tensor) => {
    let u = t;
    if (t.stop_gradient) {
      u = t.detach();
      u.stop_gradient = false;
    }
    const [g] = paddle.grad([paddle.sum(paddle.multiply(f(u), w))], [u], { create_graph: true });
    return g!;
  };
  it('prod', () => {
    const x = randTensor([3, 4, 2], 0.5, 1.5);
    checkGrad(gradOf((t) => paddle.prod(t, [0, 2], true), randTensor([1, 4, 1])), [x]);
    checkGrad(gradOf((t) => paddle.prod(t, 1), randTensor([3, 2])), [x]);
  });
  it('logsumexp', () => {
    const x = randTensor([3, 4]);
    checkGrad(gradOf((t) => paddle.logsumexp(t, 1), randTensor([3])), [x]);
  });
  it('sum of a product (grad of reduce_sum_grad)', () => {
    const x = randTensor([3, 4]);
    checkGrad(gradOf((t) => paddle.multiply(paddle.sum(t, 0, undefined, true), t), randTensor([3, 4])), [x]);
    checkGrad(gradOf((t) => paddle.multiply(paddle.mean(t, 1, true), t), randTensor([3, 4])), [x]);
  });
});

describe('paddle.all / paddle.any', () => {
  const b = () => paddle.to_tensor([[true, false], [true, true]]);
  it('computes values', () => {
    assertTensor(paddle.all(b()), [1], 'bool', [false]);
    assertTensor(paddle.all(b(), 0), [2], 'bool', [true, false]);
    assertTensor(paddle.all(b(), -1), [2], 'bool', [false, true]);
    assertTensor(paddle.all(b(), 1, true), [2, 1], 'bool', [[false], [true]]);
    assertTensor(paddle.any(b()), [1], 'bool', [true]);
    assertTensor(paddle.any(paddle.to_tensor([[false, false], [true, false]]), 1), [2], 'bool', [false, true]);
    assertTensor(b().any({ axis: 0 }), [2], 'bool', [true, true]);
  });
  it('rejects non-bool input', () => {
    assertThrows(() => paddle.all(paddle.to_tensor([1, 0])), InvalidArgumentError, /paddle\.all/, /bool/);
    assertThrows(() => paddle.any(paddle.to_tensor([1.5])), InvalidArgumentError, /paddle\.any/, /bool/);
  });
});

describe('paddle.logsumexp', () => {
  it('computes values', () => {
    const x = paddle.to_tensor([[-1.5, 0, 2], [3, 1.2, -2.4]], { dtype: 'float64' });
    assertTensor(paddle.logsumexp(x), [1], 'float64');
    assertClose(paddle.logsumexp(x), [3.4691226007802016], 1e-12);
    assertClose(paddle.logsumexp(x, 0), [3.011047744848594, 1.4632824673380311, 2.0122025846076963], 1e-12);
    assertClose(x.logsumexp({ axis: 1, keepdim: true }), [[2.1531782071222882], [3.1568460177076907]], 1e-12);
  });
  it('is stable for large inputs', () => {
    assertClose(paddle.logsumexp(f64([1000, 1000])), [1000 + Math.LN2], 1e-12);
    assertClose(paddle.logsumexp(f64([-1000, -1000])), [-1000 + Math.LN2], 1e-12);
  });
  it('has gradients', () => {
    const x = randTensor([3, 4]);
    checkGrad((t) => paddle.logsumexp(t), [x]);
    checkGrad((t) => paddle.logsumexp(t, 1), [x]);
    checkGrad((t) => paddle.logsumexp(t, [0], true), [x]);
  });
  it('rejects int input', () => {
    assertThrows(() => paddle.logsumexp(paddle.to_tensor([1, 2])), InvalidArgumentError, /paddle\.logsumexp/);
  });
});

describe('reduce operators in static form', () => {
  it('keeps -1 dims in shape inference', async () => {
    const { getOp } = await import('../../src/core/registry.js');
    const def = getOp('reduce_sum');
    const r = def.infer({ X: [{ dims: [-1, 3, 4], dtype: 'float32' }] }, { dim: [1], keep_dim: false, reduce_all: false, in_dtype: -1, out_dtype: -1 });
    assert.deepEqual(r.Out[0].dims, [-1, 4]);
    const r2 = def.infer({ X: [{ dims: [-1, 3], dtype: 'int32' }] }, { dim: [0], keep_dim: true, reduce_all: true, in_dtype: 2, out_dtype: 3 });
    assert.deepEqual(r2.Out[0], { dims: [1, 1], dtype: 'int64' });
  });
});
