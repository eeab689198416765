// Kaiming (He / MSRA) initializers: fluid's MSRAInitializer(uniform, fan_in, seed) and 2.0's
// nn.initializer.KaimingUniform / KaimingNormal(fan_in). Uniform draws from U(-b, b) with
// b = sqrt(6 / fan_in); normal from N(0, 2 / fan_in).
import { p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { Tensor } from '../../core/tensor.js';
import { BlockLike, checkFloatVar, checkVar, Initializer, parser, runInitOp, seedFor } from './initializer.js';

const fanTy = T.nullable(T.float);
const fluidParams = [p('uniform', T.bool, true), p('fan_in', fanTy, null), p('seed', T.int, 0)] as const;
const parseFluid = parser('paddle.fluid.initializer.MSRAInitializer', fluidParams);

/**
 * MSRA initialization (He et al.), for ReLU networks; fan_in comes from the shape (conv weights:
 * in_channels * kernel area) unless given.
 * @example new paddle.fluid.initializer.MSRAInitializer(false)
 */
export class MSRAInitializer extends Initializer {
  declare _uniform: boolean;
  declare _fan_in: number | null;
  declare _seed: number;
  constructor(...args: CallArgs<typeof fluidParams>) {
    super();
    const a = parseFluid(args);
    this._uniform = a.uniform;
    this._fan_in = a.fan_in;
    this._seed = a.seed;
  }
  override __call__(param: Tensor, block: BlockLike | null = null): unknown {
    const api = this.constructor.name;
    const v = checkVar(param, api);
    block = this._check_block(block);
    checkFloatVar(v, api, 'msra_init');
    const fanIn = this._fan_in ?? this._compute_fans(v)[0];
    this._seed = seedFor(this._seed, block);
    const outDtype = v.dtype === 'float16' ? 'float32' : v.dtype;
    if (this._uniform) {
      const limit = Math.sqrt(6.0 / fanIn);
      return runInitOp(v, block, 'uniform_random', { shape: v.dims.slice(), min: -limit, max: limit, seed: this._seed }, api, outDtype, 'masra_init');
    }
    const std = Math.sqrt(2.0 / fanIn);
    return runInitOp(v, block, 'gaussian_random', { shape: v.dims.slice(), mean: 0, std, seed: this._seed }, api, outDtype, 'masra_init');
  }
}

const nnParams = [p('fan_in', fanTy, null)] as const;
const parseKN = parser('paddle.nn.initializer.KaimingNormal', nnParams);
const parseKU = parser('paddle.nn.initializer.KaimingUniform', nnParams);

/**
 * Kaiming normal initialization: N(0, std^2) with std = sqrt(2 / fan_in).
 * @param fan_in fan in (default: from the parameter's shape)
 * @example const w = new paddle.ParamAttr({ initializer: new nn.initializer.KaimingNormal() })
 */
export class KaimingNormal extends MSRAInitializer {
  constructor(...args: CallArgs<typeof nnParams>) {
    const a = parseKN(args);
    super(false, a.fan_in, 0);
  }
}

/**
 * Kaiming uniform initialization: U(-b, b) with b = sqrt(6 / fan_in).
 * @param fan_in fan in (default: from the parameter's shape)
 * @example const w = new paddle.ParamAttr({ initializer: new nn.initializer.KaimingUniform() })
 */
export class KaimingUniform extends MSRAInitializer {
  constructor(...args: CallArgs<typeof nnParams>) {
    const a = parseKU(args);
    super(true, a.fan_in, 0);
  }
}
