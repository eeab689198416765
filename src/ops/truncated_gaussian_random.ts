// truncated_gaussian_random (paddle/fluid/operators/truncated_gaussian_random_op.cc): a
// normal N(mean, std^2) restricted to [mean - 2 std, mean + 2 std], drawn by inverse CDF. It
// backs the TruncatedNormal initializer. No gradient.
import { outDtype } from './creation.js';
import { defineOp, float, int, ints, opFail, out } from './util.js';

defineOp({
  type: 'truncated_gaussian_random',
  inputs: [],
  outputs: ['Out'],
  attrs: { shape: ints([]), mean: float(0), std: float(1), seed: int(0), dtype: int(5) },
  random: true,
  infer: (_ins, attrs) => {
    const op = 'truncated_gaussian_random';
    const shape = (attrs.shape ?? []) as number[];
    if (!Array.isArray(shape) || shape.length === 0)
      opFail(op, `the input shape of TruncatedGaussianRandomOp must be set, but the rank of shape we received is ${Array.isArray(shape) ? shape.length : 0}`);
    for (let i = 0; i < shape.length; i++)
      if (!Number.isInteger(shape[i]) || shape[i] < -1) opFail(op, `each value of shape must be a non-negative integer, but got shape[${i}] = ${shape[i]}`);
    const d = outDtype(attrs, op);
    if (d !== 'float32' && d !== 'float64') opFail(op, `dtype must be float32 or float64, but got ${d}`);
    return out(shape.slice(), d);
  },
});
