// Xavier (Glorot) initializers: fluid's XavierInitializer(uniform, fan_in, fan_out, seed) and
// 2.0's nn.initializer.XavierUniform / XavierNormal(fan_in, fan_out). Uniform draws from
// U(-b, b) with b = sqrt(6 / (fan_in + fan_out)); normal from N(0, 2 / (fan_in + fan_out)).
import { p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { Tensor } from '../../core/tensor.js';
import { BlockLike, checkFloatVar, checkVar, Initializer, parser, runInitOp, seedFor } from './initializer.js';

const fanTy = T.nullable(T.float);
const fluidParams = [p('uniform', T.bool, true), p('fan_in', fanTy, null), p('fan_out', fanTy, null), p('seed', T.int, 0)] as const;
const parseFluid = parser('paddle.fluid.initializer.XavierInitializer', fluidParams);

/**
 * Xavier initialization (Glorot & Bengio): fans come from the shape (conv weights count the
 * receptive field) unless given.
 * @example new paddle.fluid.initializer.XavierInitializer(false)
 */
export class XavierInitializer extends Initializer {
  declare _uniform: boolean;
  declare _fan_in: number | null;
  declare _fan_out: number | null;
  declare _seed: number;
  constructor(...args: CallArgs<typeof fluidParams>) {
    super();
    const a = parseFluid(args);
    this._uniform = a.uniform;
    this._fan_in = a.fan_in;
    this._fan_out = a.fan_out;
    this._seed = a.seed;
  }
  override __call__(param: Tensor, block: BlockLike | null = null): unknown {
    const api = this.constructor.name;
    const v = checkVar(param, api);
    block = this._check_block(block);
    checkFloatVar(v, api, 'xavier_init');
    const [fi, fo] = this._compute_fans(v);
    const fanIn = this._fan_in ?? fi;
    const fanOut = this._fan_out ?? fo;
    this._seed = seedFor(this._seed, block);
    const outDtype = v.dtype === 'float16' ? 'float32' : v.dtype;
    if (this._uniform) {
      const limit = Math.sqrt(6.0 / (fanIn + fanOut));
      return runInitOp(v, block, 'uniform_random', { shape: v.dims.slice(), min: -limit, max: limit, seed: this._seed }, api, outDtype, 'xavier_init');
    }
    const std = Math.sqrt(2.0 / (fanIn + fanOut));
    return runInitOp(v, block, 'gaussian_random', { shape: v.dims.slice(), mean: 0, std, seed: this._seed }, api, outDtype, 'xavier_init');
  }
}

const nnParams = [p('fan_in', fanTy, null), p('fan_out', fanTy, null), p('name', T.nullable(T.str), null)] as const;
const parseXN = parser('paddle.nn.initializer.XavierNormal', nnParams);
const parseXU = parser('paddle.nn.initializer.XavierUniform', nnParams);

/**
 * Xavier normal initialization: N(0, std^2) with std = sqrt(2 / (fan_in + fan_out)).
 * @param fan_in fan in (default: from the parameter's shape)
 * @param fan_out fan out (default: from the parameter's shape)
 * @example const w = new paddle.ParamAttr({ initializer: new nn.initializer.XavierNormal() })
 */
export class XavierNormal extends XavierInitializer {
  constructor(...args: CallArgs<typeof nnParams>) {
    const a = parseXN(args);
    super(false, a.fan_in, a.fan_out, 0);
  }
}

/**
 * Xavier uniform initialization: U(-b, b) with b = sqrt(6 / (fan_in + fan_out)). The default
 * for weights created without an initializer (Linear, Embedding...).
 * @param fan_in fan in (default: from the parameter's shape)
 * @param fan_out fan out (default: from the parameter's shape)
 * @example const w = new paddle.ParamAttr({ initializer: new nn.initializer.XavierUniform() })
 */
export class XavierUniform extends XavierInitializer {
  constructor(...args: CallArgs<typeof nnParams>) {
    const a = parseXU(args);
    super(true, a.fan_in, a.fan_out, 0);
  }
}
