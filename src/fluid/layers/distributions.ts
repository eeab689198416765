// fluid.layers' probability distributions (python/paddle/fluid/layers/distributions.py at 2.0):
// Uniform, Normal, Categorical and MultivariateNormalDiag, composites of operators, so they
// work in dygraph and in static programs. Parameters given as numbers, lists or typed arrays
// become float32 constants broadcast to one shape (assign_value); Tensors (Variables) are used
// as they are. Two Paddle 2.0 bugs are not followed, as later Paddle (paddle.distribution) fixed
// them: Uniform.sample drew its noise from U(-1, 1) (uniform_random's default) instead of
// U(0, 1); and with Tensor parameters, sample laid the noise out as batch_shape + shape before
// broadcasting it against the [batch_shape] parameters (failing unless the shapes happened to
// align) where it is laid out as shape + batch_shape, the result's shape.
import { isPlainObject } from '../../core/args.js';
import { tensorFromData } from '../../core/convert.js';
import { PROTO_DTYPE } from '../../core/dtype.js';
import { run1 } from '../../core/dispatch.js';
import { describe, fail, InvalidArgumentError } from '../../core/errors.js';
import { broadcastShapes, numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import { warnOnce } from '../misc.js';

type Param = number | readonly unknown[] | ArrayLike<number> | Tensor;

/** Whether the parameters are Variables (Tensors); mixing Tensors and plain values fails. */
function validateArgs(api: string, ...args: unknown[]): boolean {
  let isVar = false;
  let isNum = false;
  for (const a of args) {
    if (a instanceof Tensor) isVar = true;
    else isNum = true;
  }
  if (isVar && isNum) fail(api, 'if one argument is Variable, all arguments should be Variable', InvalidArgumentError);
  return isVar;
}

function checkParam(api: string, name: string, v: unknown, allowNumber = true): void {
  const ok = (allowNumber && typeof v === 'number') || Array.isArray(v) || v instanceof Tensor || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) fail(api, `The type of '${name}' in ${api.split('.').pop()} must be ${allowNumber ? 'float, ' : ''}list, numpy.ndarray (a typed array) or Variable, but received ${describe(v)}.`);
}

/** Repeats flat `vals` of shape `from` into shape `to` (NumPy broadcasting). */
function broadcastValues(vals: number[], from: number[], to: number[]): number[] {
  const n = numel(to);
  const lead = to.length - from.length;
  const out = new Array<number>(n);
  const idx = new Array<number>(to.length).fill(0);
  for (let k = 0; k < n; k++) {
    let off = 0;
    for (let d = 0; d < from.length; d++) off = off * from[d] + (from[d] === 1 ? 0 : idx[lead + d]);
    out[k] = vals[off];
    for (let d = to.length - 1; d >= 0; d--) {
      if (++idx[d] < to[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Paddle's _to_variable: plain values -> float32 constants broadcast to a common shape. */
function toVariables(api: string, ...args: unknown[]): Tensor[] {
  const parsed = args.map((a) => {
    const t = typeof a === 'number' ? tensorFromData([a], 'float32', api) : tensorFromData(a, undefined, api);
    if (t.dtype !== 'float32' && (ArrayBuffer.isView(a) || a instanceof Tensor))
      warnOnce('distribution.float32', 'UserWarning: data type of argument only support float32, your argument will be convert to float32.');
    return t.dtype === 'float32' ? t : tensorFromData(t, 'float32', api);
  });
  const shape = parsed.reduce<number[]>((s, t) => broadcastShapes(s, t.dims, api), []);
  return parsed.map((t) => {
    const vals = broadcastValues(Array.from(t.data as Float32Array), t.dims, shape);
    return run1('assign_value', {}, { shape, dtype: PROTO_DTYPE.float32, fp32_values: vals });
  });
}

function checkShapeSeed(shape: unknown, seed: unknown): { shape: number[]; seed: number } {
  const api = 'sample';
  if (isPlainObject(shape)) ({ shape, seed = seed } = shape as { shape: unknown; seed?: unknown });
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d))) fail(api, `The type of 'shape' in sample must be list, but received ${describe(shape)}.`);
  if (seed === undefined) seed = 0;
  if (!Number.isInteger(seed)) fail(api, `The type of 'seed' in sample must be int, but received ${describe(seed)}.`);
  return { shape: (shape as number[]).slice(), seed: seed as number };
}

/**
 * Zeros of shape `shape` + batch shape, the batch dims taken from `ref` at run time (Paddle's
 * fill_constant_batch_size_like on ref, laid out as the samples are).
 */
function zerosBatch(ref: Tensor, shape: number[]): Tensor {
  const z = c.zerosLike(ref);
  if (shape.length === 0) return z;
  const u = run1('unsqueeze2', { X: [z] }, { axes: shape.map((_, i) => i) });
  return run1('expand_v2', { X: [u] }, { shape: [...shape, ...ref.dims.map(() => -1)] });
}
/** A random op of `like`'s shape (a ShapeTensor when it is known only at run time). */
function randomLike(type: 'uniform_random' | 'gaussian_random', like: Tensor, attrs: Record<string, unknown>): Tensor {
  if (like.dims.every((d) => d >= 0)) return run1(type, {}, { ...attrs, shape: like.dims.slice() });
  return run1(type, { ShapeTensor: [run1('shape', { Input: [like] })] }, { ...attrs, shape: [] });
}
const log = (x: Tensor): Tensor => c.log(x);

/** The base of the distributions. */
export class Distribution {
  /** Draws samples. */
  sample(..._args: unknown[]): Tensor {
    return fail(`${this.constructor.name}.sample`, 'not implemented for this distribution', InvalidArgumentError);
  }
  /** The entropy. */
  entropy(): Tensor {
    return fail(`${this.constructor.name}.entropy`, 'not implemented for this distribution', InvalidArgumentError);
  }
  /** KL(self || other). */
  kl_divergence(_other: Distribution): Tensor {
    return fail(`${this.constructor.name}.kl_divergence`, 'not implemented for this distribution', InvalidArgumentError);
  }
  /** The log density of value. */
  log_prob(_value: Tensor): Tensor {
    return fail(`${this.constructor.name}.log_prob`, 'not implemented for this distribution', InvalidArgumentError);
  }
}

function checkValue(api: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) return fail(api, `The type of 'value' in log_prob must be Variable, but received ${describe(value)}.`);
  if (value.dtype !== 'float32' && value.dtype !== 'float64')
    fail(api, `The data type of 'value' in log_prob must be float32 or float64, but received ${value.dtype}.`);
  return value;
}

/**
 * The uniform distribution on [low, high): pdf 1/(high - low).
 * @param low lower bound(s): a number, a list, a typed array or a Tensor
 * @param high upper bound(s)
 * @example const u = new fluid.layers.Uniform(0.0, 4.0); u.entropy()   // log(4)
 */
export class Uniform extends Distribution {
  low: Tensor;
  high: Tensor;
  all_arg_is_float = false;
  batch_size_unknown = false;
  constructor(low: Param, high: Param) {
    super();
    const api = 'paddle.fluid.layers.Uniform';
    checkParam(api, 'low', low);
    checkParam(api, 'high', high);
    if (validateArgs(api, low, high)) {
      this.batch_size_unknown = true;
      this.low = low as Tensor;
      this.high = high as Tensor;
    } else {
      if (typeof low === 'number' && typeof high === 'number') this.all_arg_is_float = true;
      [this.low, this.high] = toVariables(api, low, high);
    }
  }
  /**
   * Samples of shape `shape` + batch shape (just `shape` when low and high are numbers).
   * @param shape the sample shape, a list of ints
   * @param seed the random seed (0: paddle.seed's generator)
   */
  override sample(shape: number[], seed = 0): Tensor {
    ({ shape, seed } = checkShapeSeed(shape, seed));
    const sum = c.add(this.low, this.high);
    const batch = sum.dims.slice();
    const outShape = [...shape, ...batch];
    if (this.batch_size_unknown) {
      // as later Paddle: the noise is laid out as shape + batch shape before it meets the parameters
      const zero = zerosBatch(sum, shape);
      const u = randomLike('uniform_random', zero, { min: 0, max: 1, seed, dtype: PROTO_DTYPE[this.low.dtype] });
      return c.add(c.mul(u, c.sub(c.add(zero, this.high), this.low)), this.low);
    }
    const u = run1('uniform_random', {}, { shape: outShape, min: 0, max: 1, seed, dtype: PROTO_DTYPE.float32 });
    const zeros = run1('fill_constant', {}, { shape: outShape, dtype: PROTO_DTYPE[this.low.dtype], value: 0 });
    const out = c.add(c.mul(u, c.add(zeros, c.sub(this.high, this.low))), this.low);
    return this.all_arg_is_float ? run1('reshape2', { X: [out] }, { shape }) : out;
  }
  /** log(1[low < value < high] / (high - low)): -inf outside the support. */
  override log_prob(value: Tensor): Tensor {
    value = checkValue('Uniform.log_prob', value);
    const lb = c.cast(c.compare('less_than', this.low, value), value.dtype);
    const ub = c.cast(c.compare('less_than', value, this.high), value.dtype);
    return c.sub(log(c.mul(lb, ub)), log(c.sub(this.high, this.low)));
  }
  /** log(high - low). */
  override entropy(): Tensor {
    return log(c.sub(this.high, this.low));
  }
}

/**
 * The normal distribution N(loc, scale^2).
 * @param loc mean(s): a number, a list, a typed array or a Tensor
 * @param scale standard deviation(s)
 * @example const n = new fluid.layers.Normal(0.0, 1.0); n.log_prob(paddle.to_tensor([0.5]))
 */
export class Normal extends Distribution {
  loc: Tensor;
  scale: Tensor;
  all_arg_is_float = false;
  batch_size_unknown = false;
  constructor(loc: Param, scale: Param) {
    super();
    const api = 'paddle.fluid.layers.Normal';
    checkParam(api, 'loc', loc);
    checkParam(api, 'scale', scale);
    if (validateArgs(api, loc, scale)) {
      this.batch_size_unknown = true;
      this.loc = loc as Tensor;
      this.scale = scale as Tensor;
    } else {
      if (typeof loc === 'number' && typeof scale === 'number') this.all_arg_is_float = true;
      [this.loc, this.scale] = toVariables(api, loc, scale);
    }
  }
  /**
   * Samples of shape `shape` + batch shape (just `shape` when loc and scale are numbers).
   * @param shape the sample shape, a list of ints
   * @param seed the random seed (0: paddle.seed's generator)
   */
  override sample(shape: number[], seed = 0): Tensor {
    ({ shape, seed } = checkShapeSeed(shape, seed));
    const sum = c.add(this.loc, this.scale);
    const outShape = [...shape, ...sum.dims];
    if (this.batch_size_unknown) {
      const zero = zerosBatch(sum, shape);
      const n = randomLike('gaussian_random', zero, { mean: 0, std: 1, seed, dtype: PROTO_DTYPE[this.loc.dtype] });
      return c.add(c.mul(n, c.add(zero, this.scale)), this.loc);
    }
    const n = run1('gaussian_random', {}, { shape: outShape, mean: 0, std: 1, seed, dtype: PROTO_DTYPE.float32 });
    const zeros = run1('fill_constant', {}, { shape: outShape, dtype: PROTO_DTYPE[this.loc.dtype], value: 0 });
    const out = c.add(c.mul(n, c.add(zeros, this.scale)), this.loc);
    return this.all_arg_is_float ? run1('reshape2', { X: [out] }, { shape }) : out;
  }
  /** 0.5 + 0.5 * log(2 pi) + log(scale), of the batch shape. */
  override entropy(): Tensor {
    const zero = zerosBatch(c.add(this.loc, this.scale), []);
    return c.scale(log(c.add(this.scale, zero)), 1, 0.5 + 0.5 * Math.log(2 * Math.PI));
  }
  /** -(value - loc)^2 / (2 scale^2) - log(scale) - log(sqrt(2 pi)). */
  override log_prob(value: Tensor): Tensor {
    value = checkValue('Normal.log_prob', value);
    const v = c.mul(this.scale, this.scale);
    const logScale = log(this.scale);
    const d = c.sub(value, this.loc);
    const q = c.div(c.scale(c.mul(d, d), -1), c.scale(v, 2));
    return c.scale(c.sub(q, logScale), 1, -Math.log(Math.sqrt(2 * Math.PI)));
  }
  /** KL(self || other) = 0.5 (r + t^2 - 1 - log r) with r = (scale/other.scale)^2, t = (loc - other.loc)/other.scale. */
  override kl_divergence(other: Distribution): Tensor {
    if (!(other instanceof Normal)) fail('Normal.kl_divergence', `The type of 'other' in kl_divergence must be Normal, but received ${describe(other)}.`);
    let r = c.div(this.scale, other.scale);
    r = c.mul(r, r);
    let t = c.div(c.sub(this.loc, other.loc), other.scale);
    t = c.mul(t, t);
    return c.scale(c.sub(c.scale(c.add(r, t), 1, -1), log(r)), 0.5);
  }
}

/**
 * The categorical distribution given unnormalized logits (softmax over the last axis).
 * @param logits a list, a typed array or a Tensor
 * @example const cat = new fluid.layers.Categorical([0.1, 0.5, 0.4]); cat.entropy()
 */
export class Categorical extends Distribution {
  logits: Tensor;
  constructor(logits: readonly unknown[] | ArrayLike<number> | Tensor) {
    super();
    const api = 'paddle.fluid.layers.Categorical';
    checkParam(api, 'logits', logits, false);
    this.logits = validateArgs(api, logits) ? (logits as Tensor) : toVariables(api, logits)[0];
  }
  private norm(l: Tensor): { logits: Tensor; z: Tensor; e: Tensor } {
    const shifted = c.sub(l, run1('reduce_max', { X: [l] }, { dim: [-1], keep_dim: true, reduce_all: false }));
    const e = c.exp(shifted);
    return { logits: shifted, e, z: run1('reduce_sum', { X: [e] }, { dim: [-1], keep_dim: true, reduce_all: false }) };
  }
  /** KL(self || other) over the last axis (kept with size 1). */
  override kl_divergence(other: Distribution): Tensor {
    if (!(other instanceof Categorical)) fail('Categorical.kl_divergence', `The type of 'other' in kl_divergence must be Categorical, but received ${describe(other)}.`);
    const a = this.norm(this.logits);
    const b = this.norm(other.logits);
    const prob = c.div(a.e, a.z);
    const inner = c.add(c.sub(c.sub(a.logits, log(a.z)), b.logits), log(b.z));
    return run1('reduce_sum', { X: [c.mul(prob, inner)] }, { dim: [-1], keep_dim: true, reduce_all: false });
  }
  /** -sum(p log p) over the last axis (kept with size 1). */
  override entropy(): Tensor {
    const a = this.norm(this.logits);
    const prob = c.div(a.e, a.z);
    const s = run1('reduce_sum', { X: [c.mul(prob, c.sub(a.logits, log(a.z)))] }, { dim: [-1], keep_dim: true, reduce_all: false });
    return c.scale(s, -1);
  }
}

/**
 * A multivariate normal with diagonal covariance: loc [k] and `scale`, a [k, k] diagonal matrix
 * (the covariance, as Paddle's formulas use it).
 * @param loc the mean, [k]
 * @param scale the diagonal covariance matrix, [k, k]
 * @example const m = new fluid.layers.MultivariateNormalDiag([0.3, 0.5], [[0.4, 0], [0, 0.5]]); m.entropy()
 */
export class MultivariateNormalDiag extends Distribution {
  loc: Tensor;
  scale: Tensor;
  constructor(loc: readonly unknown[] | ArrayLike<number> | Tensor, scale: readonly unknown[] | ArrayLike<number> | Tensor) {
    super();
    const api = 'paddle.fluid.layers.MultivariateNormalDiag';
    checkParam(api, 'loc', loc, false);
    checkParam(api, 'scale', scale, false);
    if (validateArgs(api, loc, scale)) {
      this.loc = loc as Tensor;
      this.scale = scale as Tensor;
    } else {
      // loc [k] and scale [k, k] are not broadcast together: each keeps its own shape
      const l = tensorFromData(loc, 'float32', api, 'loc');
      const s = tensorFromData(scale, 'float32', api, 'scale');
      this.loc = toVariables(api, l)[0];
      this.scale = toVariables(api, s)[0];
    }
  }
  private ones(dims: number[]): Tensor {
    return run1('fill_constant', {}, { shape: dims, dtype: PROTO_DTYPE[this.loc.dtype], value: 1 });
  }
  /** The identity of `value`'s size: diag(ones([n])). */
  private eye(value: Tensor): Tensor {
    return run1('diag_v2', { X: [this.ones([value.dims[0]])] }, { offset: 0, padding_value: 0 });
  }
  /** The determinant of a diagonal matrix: prod(value + 1 - I). */
  _det(value: Tensor): Tensor {
    const m = c.sub(c.add(value, this.ones(value.dims.slice())), this.eye(value));
    return run1('reduce_prod', { X: [m] }, { dim: [0], keep_dim: false, reduce_all: true });
  }
  /** The inverse of a diagonal matrix: value ^ (1 - 2 I) elementwise. */
  _inv(value: Tensor): Tensor {
    return c.pow(value, c.sub(this.ones(value.dims.slice()), c.scale(this.eye(value), 2)));
  }
  /** 0.5 (k (1 + log 2 pi) + log det(scale)). */
  override entropy(): Tensor {
    const k = this.scale.dims[0];
    return c.scale(log(this._det(this.scale)), 0.5, 0.5 * k * (1.0 + Math.log(2 * Math.PI)));
  }
  /** KL(self || other) = 0.5 (tr(S2^-1 S1) + (m2 - m1)^T S2^-1 (m2 - m1) - k + log(det S2 / det S1)). */
  override kl_divergence(other: Distribution): Tensor {
    if (!(other instanceof MultivariateNormalDiag))
      fail('MultivariateNormalDiag.kl_divergence', `The type of 'other' in kl_divergence must be MultivariateNormalDiag, but received ${describe(other)}.`);
    const tr = run1('reduce_sum', { X: [c.mul(this._inv(other.scale), this.scale)] }, { dim: [0], keep_dim: false, reduce_all: true });
    const d = c.sub(other.loc, this.loc);
    const mm = (x: Tensor, y: Tensor): Tensor => run1('matmul', { X: [x], Y: [y] }, { transpose_X: false, transpose_Y: false, alpha: 1 });
    const tri = mm(mm(d, this._inv(other.scale)), d);
    const k = this.scale.dims[0];
    const lnCov = c.sub(log(this._det(other.scale)), log(this._det(this.scale)));
    return c.scale(c.add(c.scale(c.add(tr, tri), 1, -k), lnCov), 0.5);
  }
}
