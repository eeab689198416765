// Random operators (paddle/fluid/operators): uniform_random, gaussian_random, randint, randperm,
// bernoulli, multinomial. They draw from the default generator (paddle.seed), or from a
// generator of their own seeded by a non-zero `seed` attribute, as Paddle's kernels do.
// None has a gradient.
import { AttrSpec, Attrs, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta } from '../core/tensor.js';
import { outDtype, shapeFromInputs } from './creation.js';
import { bool, defineOp, float, int, one, opFail, out, requireDtypes } from './util.js';

const longs = (d?: number[]): AttrSpec => ({ type: 'longs', default: d });
const shapeSlots = ['ShapeTensor?!', 'ShapeTensorList[]?!'];

/** The output shape of a random op: like fill_constant's, but an empty shape attr is an error. */
function randomShape(ins: Slots<Meta>, attrs: Attrs, op: string): number[] {
  const hasTensors = !!ins.ShapeTensor?.[0] || !!ins.ShapeTensorList?.length;
  if (!hasTensors && !(attrs.shape as number[] | undefined)?.length)
    opFail(op, 'the shape must be given (attribute shape is empty and there is no ShapeTensor or ShapeTensorList)');
  return shapeFromInputs(ins, attrs, op);
}

defineOp({
  type: 'uniform_random',
  inputs: [...shapeSlots],
  outputs: ['Out'],
  attrs: {
    shape: longs([]),
    min: float(-1),
    max: float(1),
    seed: int(0),
    diag_num: int(0),
    diag_step: int(0),
    diag_val: float(1),
    dtype: int(5),
  },
  random: true,
  infer: (ins, attrs) => {
    const op = 'uniform_random';
    if (!(attrs.min < attrs.max)) opFail(op, `min must be less than max, but got min = ${attrs.min} and max = ${attrs.max}`);
    if (attrs.diag_num < 0) opFail(op, `diag_num must be >= 0, but got ${attrs.diag_num}`);
    if (attrs.diag_step < 0) opFail(op, `diag_step must be >= 0, but got ${attrs.diag_step}`);
    const d = outDtype(attrs, op);
    if (d !== 'float32' && d !== 'float64' && d !== 'float16') opFail(op, `dtype must be float32 or float64, but got ${d}`);
    return out(randomShape(ins, attrs, op), d);
  },
});

defineOp({
  type: 'gaussian_random',
  inputs: [...shapeSlots],
  outputs: ['Out'],
  attrs: { shape: longs([]), mean: float(0), std: float(1), seed: int(0), dtype: int(5), use_mkldnn: bool(false) },
  random: true,
  infer: (ins, attrs) => {
    const op = 'gaussian_random';
    const d = outDtype(attrs, op);
    if (d !== 'float32' && d !== 'float64' && d !== 'float16') opFail(op, `dtype must be float32 or float64, but got ${d}`);
    return out(randomShape(ins, attrs, op), d);
  },
});

defineOp({
  type: 'randint',
  inputs: [...shapeSlots],
  outputs: ['Out'],
  attrs: { shape: longs([]), low: int(), high: int(), dtype: int(3), seed: int(0) },
  random: true,
  infer: (ins, attrs) => {
    const op = 'randint';
    if (!(attrs.low < attrs.high)) opFail(op, `low must be less than high, but got low = ${attrs.low} and high = ${attrs.high}`);
    const d = outDtype(attrs, op);
    if (d !== 'int32' && d !== 'int64') opFail(op, `dtype must be int32 or int64, but got ${d}`);
    return out(randomShape(ins, attrs, op), d);
  },
});

defineOp({
  type: 'randperm',
  inputs: [],
  outputs: ['Out'],
  attrs: { n: int(), dtype: int(3), seed: int(0) },
  random: true,
  infer: (_ins, attrs) => {
    const op = 'randperm';
    const n = attrs.n as number;
    if (!Number.isInteger(n) || n <= 0) opFail(op, `n must be greater than 0, but got ${n}`);
    const d = outDtype(attrs, op);
    if (!['int32', 'int64', 'float32', 'float64'].includes(d)) opFail(op, `dtype must be int32, int64, float32 or float64, but got ${d}`);
    return out([n], d);
  },
});

defineOp({
  type: 'bernoulli',
  inputs: ['X!'],
  outputs: ['Out'],
  random: true,
  infer: (ins) => {
    const x = one(ins, 'X', 'bernoulli');
    requireDtypes(x, ['float32', 'float64'], 'bernoulli');
    return out(x.dims.slice(), x.dtype);
  },
});

defineOp({
  type: 'multinomial',
  inputs: ['X!'],
  outputs: ['Out'],
  attrs: { num_samples: int(1), replacement: bool(false) },
  random: true,
  infer: (ins, attrs) => {
    const op = 'multinomial';
    const x = one(ins, 'X', op);
    requireDtypes(x, ['float32', 'float64'], op);
    const r = x.dims.length;
    if (r < 1 || r > 2) opFail(op, `the input probability distribution must be 1-D or 2-D, but got shape ${showShape(x.dims)}`);
    const n = attrs.num_samples as number;
    if (!Number.isInteger(n) || n <= 0) opFail(op, `the number of samples must be > 0, but got ${n}`);
    const cats = x.dims[r - 1];
    if (!attrs.replacement && cats >= 0 && n > cats)
      opFail(op, `without replacement, num_samples (${n}) cannot exceed the number of categories (${cats})`);
    const dims = x.dims.slice();
    dims[r - 1] = n;
    return out(dims, 'int64');
  },
});
