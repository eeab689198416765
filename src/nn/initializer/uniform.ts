// Uniform initializers: fluid's UniformInitializer(low, high, seed, diag_num, diag_step,
// diag_val) and 2.0's nn.initializer.Uniform(low, high), both appending uniform_random.
import { p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { fail } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { BlockLike, checkFloatVar, checkVar, Initializer, parser, runInitOp, seedFor } from './initializer.js';

const fluidParams = [
  p('low', T.float, -1),
  p('high', T.float, 1),
  p('seed', T.int, 0),
  p('diag_num', T.int, 0),
  p('diag_step', T.int, 0),
  p('diag_val', T.float, 1),
] as const;
const parseFluid = parser('paddle.fluid.initializer.UniformInitializer', fluidParams);

/**
 * Fills the parameter with draws from U[low, high) (Paddle's uniform_random); with
 * diag_num/diag_step the first diag_num elements at that step get diag_val.
 * @example new paddle.fluid.initializer.UniformInitializer(-0.5, 0.5)
 */
export class UniformInitializer extends Initializer {
  declare _low: number;
  declare _high: number;
  declare _seed: number;
  declare _diag_num: number;
  declare _diag_step: number;
  declare _diag_val: number;
  constructor(...args: CallArgs<typeof fluidParams>) {
    super();
    const a = parseFluid(args);
    const api = new.target.name;
    if (!(a.high >= a.low)) fail(api, `high should be greater than or equal to low, but got low=${a.low} and high=${a.high}`);
    if ((a.diag_num > 0 || a.diag_step > 0) && !(a.diag_num > 0 && a.diag_step > 0))
      fail(api, `diag_num and diag_step must both be positive when either is, but got diag_num=${a.diag_num} and diag_step=${a.diag_step}`);
    this._low = a.low;
    this._high = a.high;
    this._seed = a.seed;
    this._diag_num = a.diag_num;
    this._diag_step = a.diag_step;
    this._diag_val = a.diag_val;
  }
  override __call__(param: Tensor, block: BlockLike | null = null): unknown {
    const api = this.constructor.name;
    const v = checkVar(param, api);
    block = this._check_block(block);
    checkFloatVar(v, api, 'uniform_random');
    this._seed = seedFor(this._seed, block);
    return runInitOp(
      v, block, 'uniform_random',
      {
        shape: v.dims.slice(), min: this._low, max: this._high, seed: this._seed,
        diag_num: this._diag_num, diag_step: this._diag_step, diag_val: this._diag_val,
      },
      api, v.dtype === 'float16' ? 'float32' : v.dtype,
    );
  }
}

const nnParams = [p('low', T.float, -1), p('high', T.float, 1), p('name', T.nullable(T.str), null)] as const;
const parseNN = parser('paddle.nn.initializer.Uniform', nnParams);

/**
 * Initializes a parameter with draws from the uniform distribution U[low, high).
 * @param low lower bound (default -1.0)
 * @param high upper bound (default 1.0)
 * @example const w = new paddle.ParamAttr({ initializer: new nn.initializer.Uniform(-0.5, 0.5) })
 */
export class Uniform extends UniformInitializer {
  constructor(...args: CallArgs<typeof nnParams>) {
    const a = parseNN(args);
    if (!(a.high >= a.low)) fail('paddle.nn.initializer.Uniform', `high should be greater than or equal to low, but got low=${a.low} and high=${a.high}`);
    super(a.low, a.high, 0, 0, 0, 1);
  }
}
