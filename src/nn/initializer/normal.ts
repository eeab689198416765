// Normal and truncated normal initializers: fluid's NormalInitializer(loc, scale, seed) and
// TruncatedNormalInitializer(loc, scale, seed); 2.0's nn.initializer.Normal(mean, std) and
// TruncatedNormal(mean, std). They append gaussian_random / truncated_gaussian_random.
import { p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { Tensor } from '../../core/tensor.js';
import { BlockLike, checkFloatVar, checkVar, Initializer, parser, runInitOp, seedFor } from './initializer.js';

const fluidParams = [p('loc', T.float, 0), p('scale', T.float, 1), p('seed', T.int, 0)] as const;
const parseNormal = parser('paddle.fluid.initializer.NormalInitializer', fluidParams);
const parseTrunc = parser('paddle.fluid.initializer.TruncatedNormalInitializer', fluidParams);

/** The state both gaussian initializers keep. */
interface Gaussian {
  _mean: number;
  _std_dev: number;
  _seed: number;
}

/** Stores fluid's parsed (loc, scale, seed) as a gaussian initializer's _mean, _std_dev, _seed. */
function setGaussian(init: Gaussian, a: { loc: number; scale: number; seed: number }): void {
  init._mean = a.loc;
  init._std_dev = a.scale;
  init._seed = a.seed;
}

/**
 * A gaussian initializer's __call__ after the parameter and block checks: the float check
 * (under Paddle's name `checkName`), the seed, then operator `type` with the mean, std, seed
 * and `extra` attributes.
 */
function runGaussian(init: Gaussian, v: Tensor, block: BlockLike | null, checkName: string, type: string, extra: Record<string, unknown>): unknown {
  const api = init.constructor.name;
  checkFloatVar(v, api, checkName);
  init._seed = seedFor(init._seed, block);
  return runInitOp(
    v, block, type,
    { shape: v.dims.slice(), mean: init._mean, std: init._std_dev, seed: init._seed, ...extra },
    api, v.dtype === 'float16' ? 'float32' : v.dtype,
  );
}

/**
 * Fills the parameter with draws from N(loc, scale^2) (Paddle's gaussian_random).
 * @example new paddle.fluid.initializer.NormalInitializer(0.0, 2.0)
 */
export class NormalInitializer extends Initializer {
  declare _mean: number;
  declare _std_dev: number;
  declare _seed: number;
  constructor(...args: CallArgs<typeof fluidParams>) {
    super();
    setGaussian(this, parseNormal(args));
  }
  override __call__(param: Tensor, block: BlockLike | null = null): unknown {
    const v = checkVar(param, this.constructor.name);
    return runGaussian(this, v, this._check_block(block), 'guassian_random', 'gaussian_random', { use_mkldnn: false });
  }
}

/**
 * Fills the parameter with draws from N(loc, scale^2) truncated to [loc - 2 scale, loc + 2 scale]
 * (Paddle's truncated_gaussian_random, by inverse CDF).
 * @example new paddle.fluid.initializer.TruncatedNormalInitializer(0.0, 2.0)
 */
export class TruncatedNormalInitializer extends Initializer {
  declare _mean: number;
  declare _std_dev: number;
  declare _seed: number;
  constructor(...args: CallArgs<typeof fluidParams>) {
    super();
    setGaussian(this, parseTrunc(args));
  }
  override __call__(param: Tensor, block: BlockLike | null = null): unknown {
    const v = checkVar(param, this.constructor.name);
    return runGaussian(this, v, this._check_block(block), 'truncated_gaussian_random', 'truncated_gaussian_random', {});
  }
}

const nnParams = [p('mean', T.float, 0), p('std', T.float, 1), p('name', T.nullable(T.str), null)] as const;
const parseN = parser('paddle.nn.initializer.Normal', nnParams);
const parseTN = parser('paddle.nn.initializer.TruncatedNormal', nnParams);

/**
 * Initializes a parameter with draws from the normal distribution N(mean, std^2).
 * @param mean the mean (default 0.0)
 * @param std the standard deviation (default 1.0)
 * @example const w = new paddle.ParamAttr({ initializer: new nn.initializer.Normal(0, 0.02) })
 */
export class Normal extends NormalInitializer {
  constructor(...args: CallArgs<typeof nnParams>) {
    const a = parseN(args);
    super(a.mean, a.std, 0);
  }
}

/**
 * Initializes a parameter with draws from N(mean, std^2) truncated to within two standard
 * deviations of the mean.
 * @param mean the mean (default 0.0)
 * @param std the standard deviation (default 1.0)
 * @example const w = new paddle.ParamAttr({ initializer: new nn.initializer.TruncatedNormal(0, 0.02) })
 */
export class TruncatedNormal extends TruncatedNormalInitializer {
  constructor(...args: CallArgs<typeof nnParams>) {
    const a = parseTN(args);
    super(a.mean, a.std, 0);
  }
}
