// Constant initializers: fluid's ConstantInitializer(value, force_cpu) and 2.0's
// nn.initializer.Constant(value), both appending fill_constant.
import type { CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { Tensor } from '../../core/tensor.js';
import { BlockLike, checkVar, Initializer, parser, runInitOp } from './initializer.js';
import { p } from '../../core/args.js';

const numOrBool = T.union(T.float, T.bool);
const fluidParams = [p('value', numOrBool, 0), p('force_cpu', T.bool, false)] as const;
const parseFluid = parser('paddle.fluid.initializer.ConstantInitializer', fluidParams);

/**
 * Fills the parameter with `value` (Paddle's fill_constant). fluid form:
 * `ConstantInitializer(value=0.0, force_cpu=False)`.
 * @example new paddle.fluid.initializer.ConstantInitializer(2.0)
 */
export class ConstantInitializer extends Initializer {
  declare _value: number;
  declare _force_cpu: boolean;
  constructor(...args: CallArgs<typeof fluidParams>) {
    super();
    const a = parseFluid(args);
    this._value = Number(a.value);
    this._force_cpu = a.force_cpu;
  }
  override __call__(param: Tensor, block: BlockLike | null = null): unknown {
    const v = checkVar(param, this.constructor.name);
    block = this._check_block(block);
    const dtype = v.dtype === 'float16' ? 'float32' : v.dtype;
    return runInitOp(
      v, block, 'fill_constant',
      { shape: v.dims.slice(), value: this._value, force_cpu: this._force_cpu },
      this.constructor.name, dtype, 'constant_init',
    );
  }
}

const nnParams = [p('value', numOrBool, 0)] as const;
const parseNN = parser('paddle.nn.initializer.Constant', nnParams);

/**
 * Initializes a parameter with a constant value (default 0.0).
 * @param value the fill value
 * @example const attr = new paddle.ParamAttr({ initializer: new nn.initializer.Constant(2.0) })
 */
export class Constant extends ConstantInitializer {
  constructor(...args: CallArgs<typeof nnParams>) {
    const a = parseNN(args);
    super(a.value, false);
  }
}
