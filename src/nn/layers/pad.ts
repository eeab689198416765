// Padding layers (python/paddle/nn/layer/common.py at 2.0): Pad1D, Pad2D, Pad3D, each
// calling F.pad with its padding, mode, value and data_format.
//
// An int `padding` pads every side by it (as Paddle documents; in 2.0.0 itself an int
// reached F.pad unconverted and failed, which later releases fixed).
import { makeParser, p, type CallArgs, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { describe, fail } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { pad } from '../functional/pad.js';
import { Layer } from '../layer.js';
import { pyStr } from './pooling.js';

type Padding = number | number[] | Tensor;
const paddingTy: Ty<Padding, number | readonly number[] | Tensor> = {
  desc: 'an int, a list of ints or an int Tensor',
  parse(v, api, arg) {
    if (v instanceof Tensor || Number.isInteger(v)) return v as Padding;
    if (Array.isArray(v) && v.every((e) => Number.isInteger(e))) return (v as number[]).slice();
    return fail(api, `argument '${arg}' expected an int, a list of ints or an int Tensor, but got ${describe(v)}`);
  },
};

const params = (df: string) =>
  [p('padding', paddingTy), p('mode', T.str, 'constant'), p('value', T.float, 0), p('data_format', T.str, df), p('name', T.nullable(T.str), null)] as const;
const pad1Params = params('NCL');
const pad2Params = params('NCHW');
const pad3Params = params('NCDHW');
interface PadArgs { padding: Padding; mode: string; value: number; data_format: string; name: string | null }

abstract class PadND extends Layer {
  declare _pad: number[] | Tensor;
  declare _mode: string;
  declare _value: number;
  declare _data_format: string;
  declare _name: string | null;
  protected init(a: PadArgs, nd: number): void {
    this._pad = typeof a.padding === 'number' ? new Array<number>(2 * nd).fill(a.padding) : a.padding;
    this._mode = a.mode;
    this._value = a.value;
    this._data_format = a.data_format;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return pad(x, { pad: this._pad, mode: this._mode, value: this._value, data_format: this._data_format, name: this._name });
  }
  override extra_repr(): string {
    const nameStr = this._name ? `, name=${this._name}` : '';
    const padStr = this._pad instanceof Tensor ? String(this._pad) : pyStr(this._pad);
    return `padding=${padStr}, mode=${this._mode}, value=${pyStr(this._value)}, data_format=${this._data_format}${nameStr}`;
  }
}

const parse1 = makeParser('paddle.nn.Pad1D', pad1Params);
const parse2 = makeParser('paddle.nn.Pad2D', pad2Params);
const parse3 = makeParser('paddle.nn.Pad3D', pad3Params);

/**
 * Pads the L dim of an [N, C, L] (or NLC) tensor.
 * @param padding int, or [left, right]
 * @param mode 'constant', 'reflect', 'replicate' or 'circular'
 * @param value fill value of 'constant' mode (0.0)
 * @param data_format 'NCL' or 'NLC'
 * @example new nn.Pad1D([1, 2], { mode: 'replicate' })(paddle.rand([1, 2, 3]))   // shape [1, 2, 6]
 */
export class Pad1D extends PadND {
  constructor(...args: CallArgs<typeof pad1Params>) {
    super();
    this.init(parse1(args) as unknown as PadArgs, 1);
  }
}

/**
 * Pads H and W of a 4-D tensor.
 * @param padding int, or [left, right, top, bottom]
 * @param mode 'constant', 'reflect', 'replicate' or 'circular'
 * @param value fill value of 'constant' mode (0.0)
 * @param data_format 'NCHW' or 'NHWC'
 * @example new nn.Pad2D([1, 0, 1, 2])(paddle.rand([1, 1, 2, 3]))   // shape [1, 1, 5, 4]
 */
export class Pad2D extends PadND {
  constructor(...args: CallArgs<typeof pad2Params>) {
    super();
    this.init(parse2(args) as unknown as PadArgs, 2);
  }
}

/**
 * Pads D, H and W of a 5-D tensor.
 * @param padding int, or [left, right, top, bottom, front, back]
 * @param mode 'constant', 'reflect', 'replicate' or 'circular'
 * @param value fill value of 'constant' mode (0.0)
 * @param data_format 'NCDHW' or 'NDHWC'
 * @example new nn.Pad3D(1)(paddle.rand([1, 1, 2, 2, 2]))   // shape [1, 1, 4, 4, 4]
 */
export class Pad3D extends PadND {
  constructor(...args: CallArgs<typeof pad3Params>) {
    super();
    this.init(parse3(args) as unknown as PadArgs, 3);
  }
}
