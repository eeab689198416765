// paddle.* random functions as in python/paddle/tensor/random.py, and the CUDA RNG state
// functions of python/paddle/framework/random.py (no GPU here: an empty list / a no-op).
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { run1 } from '../core/dispatch.js';
import { DType, getDefaultDType, PROTO_DTYPE } from '../core/dtype.js';
import { fail } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { checkDtype, shapeInputs, shapeTy, ShapeArg } from '../ops/creation.js';

const nameP = p('name', T.nullable(T.str), null);
const FLOATS: readonly DType[] = ['float32', 'float64'];

/** The dtype of a float random API: the given one, else the default dtype (which must be float32/64). */
function floatDtype(api: string, d: DType | null): DType {
  if (d === null) {
    const dd = getDefaultDType();
    if (!FLOATS.includes(dd)) fail(api, `only float32 and float64 are supported, but the default dtype is ${dd}`);
    return dd;
  }
  checkDtype(api, 'dtype', d, FLOATS);
  return d;
}

function gaussian(shape: ShapeArg, mean: number, std: number, dtype: DType, seed = 0): Tensor {
  const { ins, attrs } = shapeInputs(shape);
  Object.assign(attrs, { mean, std, seed, dtype: PROTO_DTYPE[dtype], use_mkldnn: false });
  return run1('gaussian_random', ins, attrs);
}

function uniformDraw(shape: ShapeArg, min: number, max: number, dtype: DType, seed: number): Tensor {
  const { ins, attrs } = shapeInputs(shape);
  Object.assign(attrs, { min, max, seed, dtype: PROTO_DTYPE[dtype] });
  return run1('uniform_random', ins, attrs);
}

/**
 * A tensor of `shape` drawn uniformly from [min, max). dtype defaults to the default dtype
 * (float32); a non-zero `seed` gives the same numbers on every call.
 * @param shape a list of ints (or 1-element int Tensors), or a 1-D int Tensor
 * @param dtype float32 or float64
 * @param min lower bound (inclusive), default -1.0
 * @param max upper bound (exclusive), default 1.0
 * @param seed 0 draws from the global generator (paddle.seed)
 * @example paddle.uniform([2, 3], 'float32', -1, 1)
 */
export const uniform = defineApi(
  'paddle.uniform',
  [p('shape', shapeTy), p('dtype', T.nullable(T.dtype), null), p('min', T.float, -1.0), p('max', T.float, 1.0), p('seed', T.int, 0), nameP],
  (a) => uniformDraw(a.shape, a.min, a.max, floatDtype('paddle.uniform', a.dtype), a.seed),
);

/**
 * A tensor of `shape` drawn uniformly from [0, 1); dtype defaults to float32.
 * @example paddle.rand([2, 3])
 */
export const rand = defineApi('paddle.rand', [p('shape', shapeTy), p('dtype', T.nullable(T.dtype), null), nameP], (a) =>
  uniformDraw(a.shape, 0, 1, floatDtype('paddle.rand', a.dtype), 0),
);

/**
 * A tensor of `shape` drawn from the standard normal distribution; dtype defaults to float32.
 * @example paddle.standard_normal([2, 3])
 */
export const standard_normal = defineApi('paddle.standard_normal', [p('shape', shapeTy), p('dtype', T.nullable(T.dtype), null), nameP], (a) =>
  gaussian(a.shape, 0, 1, floatDtype('paddle.standard_normal', a.dtype)),
);

/**
 * A tensor of `shape` drawn from the standard normal distribution (same as standard_normal).
 * @example paddle.randn([2, 3])
 */
export const randn = defineApi('paddle.randn', [p('shape', shapeTy), p('dtype', T.nullable(T.dtype), null), nameP], (a) =>
  gaussian(a.shape, 0, 1, floatDtype('paddle.randn', a.dtype)),
);

/**
 * Draws from normal distributions. With numbers for mean and std it is a tensor of `shape`;
 * with a Tensor mean (and/or std), one draw per element of that tensor, shaped like it
 * (out = standard_normal * std + mean).
 * @param mean a number or a float Tensor, default 0.0
 * @param std a number or a float Tensor, default 1.0
 * @param shape required when mean and std are numbers
 * @example paddle.normal(0, 1, [2, 3])
 * @example paddle.normal(paddle.to_tensor([1.0, 2.0, 3.0]))
 */
export const normal = defineApi(
  'paddle.normal',
  [p('mean', T.union(T.float, T.tensor), 0.0), p('std', T.union(T.float, T.tensor), 1.0), p('shape', T.nullable(shapeTy), null), nameP],
  (a) => {
    const api = 'paddle.normal';
    let { mean, std } = a;
    if (mean instanceof Tensor) checkDtype(api, 'mean', mean.dtype, FLOATS);
    if (std instanceof Tensor) checkDtype(api, 'std', std.dtype, FLOATS);
    let out: Tensor;
    if (mean instanceof Tensor) {
      if (std instanceof Tensor) {
        if (std.dtype !== mean.dtype) std = c.cast(std, mean.dtype);
        if (std.size !== mean.size)
          fail(api, `std of shape [${std.dims}] must have as many elements as mean of shape [${mean.dims}]`);
        std = c.reshape(std, mean.shape);
      }
      out = gaussian(mean.shape, 0, 1, mean.dtype);
    } else if (std instanceof Tensor) {
      out = gaussian(std.shape, 0, 1, std.dtype);
    } else {
      if (a.shape === null) fail(api, "argument 'shape' must be given when mean and std are numbers");
      return gaussian(a.shape, mean, std, floatDtype(api, null));
    }
    out = std instanceof Tensor ? c.mul(out, std) : c.scale(out, std);
    out = mean instanceof Tensor ? c.add(out, mean) : c.scale(out, 1, mean);
    return out;
  },
);

/**
 * Random integers drawn uniformly from [low, high) (from [0, low) when high is None); dtype
 * defaults to int64.
 * @param low lower bound (inclusive), default 0
 * @param high upper bound (exclusive)
 * @param shape default [1]
 * @param dtype int32 or int64
 * @example paddle.randint(-5, 5, [3])
 */
export const randint = defineApi(
  'paddle.randint',
  [p('low', T.int, 0), p('high', T.nullable(T.int), null), p('shape', shapeTy, [1]), p('dtype', T.nullable(T.dtype), null), nameP],
  (a) => {
    const api = 'paddle.randint';
    let low = a.low;
    let high = a.high;
    if (high === null) {
      if (low <= 0) fail(api, `if high is None, low must be greater than 0, but got low = ${low}`);
      high = low;
      low = 0;
    }
    if (low >= high) fail(api, `low must be less than high, but got low = ${low} and high = ${high}`);
    const d = a.dtype ?? 'int64';
    checkDtype(api, 'dtype', d, ['int32', 'int64']);
    const { ins, attrs } = shapeInputs(a.shape);
    Object.assign(attrs, { low, high, seed: 0, dtype: PROTO_DTYPE[d] });
    return run1('randint', ins, attrs);
  },
);

/**
 * A random permutation of 0..n-1; dtype defaults to int64.
 * @param n the number of values (> 0)
 * @param dtype int32, int64, float32 or float64
 * @example paddle.randperm(5) // e.g. [4, 1, 2, 3, 0]
 */
export const randperm = defineApi('paddle.randperm', [p('n', T.int), p('dtype', T.dtype, 'int64' as DType), nameP], (a) => {
  const api = 'paddle.randperm';
  if (a.n < 1) fail(api, `argument 'n' must be greater than 0, but got ${a.n}`);
  checkDtype(api, 'dtype', a.dtype, ['int32', 'int64', 'float32', 'float64']);
  const out = run1('randperm', {}, { n: a.n, dtype: PROTO_DTYPE[a.dtype], seed: 0 });
  out.stop_gradient = true;
  return out;
});

/**
 * Draws 0 or 1 per element of x with probability x (x float32/float64, values in [0, 1]).
 * @example paddle.bernoulli(paddle.rand([2, 3]))
 */
export const bernoulli = defineApi('paddle.bernoulli', [p('x', T.tensor), nameP], (a) => {
  checkDtype('paddle.bernoulli', 'x', a.x.dtype, FLOATS);
  return run1('bernoulli', { X: [a.x] });
});

/**
 * Draws category indices (int64) from the distributions in the last dim of x (1-D or 2-D,
 * non-negative weights). Without replacement the indices of one row are distinct.
 * @param x probabilities, float32 or float64
 * @param num_samples how many draws per distribution, default 1
 * @param replacement draw with replacement, default false
 * @example paddle.multinomial(paddle.to_tensor([0.2, 0.3, 0.5]), 2)
 */
export const multinomial = defineApi(
  'paddle.multinomial',
  [p('x', T.tensor), p('num_samples', T.int, 1), p('replacement', T.bool, false), nameP],
  (a) => {
    checkDtype('paddle.multinomial', 'x', a.x.dtype, FLOATS);
    return run1('multinomial', { X: [a.x] }, { num_samples: a.num_samples, replacement: a.replacement });
  },
);

/**
 * The random states of the CUDA generators: an empty list, as Paddle gives without a GPU.
 * @example paddle.get_cuda_rng_state() // []
 */
export const get_cuda_rng_state = defineApi('paddle.get_cuda_rng_state', [], (): unknown[] => []);

/**
 * Restores CUDA generator states: nothing to do without a GPU (as in Paddle).
 * @example paddle.set_cuda_rng_state(paddle.get_cuda_rng_state())
 */
export const set_cuda_rng_state = defineApi('paddle.set_cuda_rng_state', [p('state_list', T.any)], (): void => undefined);
