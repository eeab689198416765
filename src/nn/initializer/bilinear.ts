// The bilinear initializer (fluid BilinearInitializer, 2.0 nn.initializer.Bilinear): makes a
// conv_transpose weight [C, 1 or C, K, K] perform bilinear upsampling by factor ~K/2.
import { makeParser } from '../../core/args.js';
import { fail } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { assignValues } from './assign.js';
import { BlockLike, checkVar, Initializer } from './initializer.js';

const parse = makeParser('paddle.nn.initializer.Bilinear', []);

/**
 * Bilinear-interpolation weights for a transposed convolution used as an upsampler. For
 * kernel size K, f = ceil(K/2), c = (2f - 1 - f % 2) / (2f), and every K x K slice holds
 * (1 - |x/f - c|) * (1 - |y/f - c|). (Paddle computes the row index with Python 3's true
 * division, a leftover of Python 2 code that skews the rows; this follows the intended
 * integer division, which gives the standard bilinear kernel.)
 * @example
 * const w = new paddle.ParamAttr({ initializer: new nn.initializer.Bilinear() })
 * const up = new nn.Conv2DTranspose(3, 3, 4, { stride: 2, padding: 1, groups: 3, weight_attr: w, bias_attr: false })
 */
export class Bilinear extends Initializer {
  constructor(...args: [kwargs?: Record<string, never>]) {
    super();
    parse(args);
  }
  override __call__(param: Tensor, block: BlockLike | null = null): unknown {
    const api = this.constructor.name;
    const v = checkVar(param, api);
    block = this._check_block(block);
    const shape = v.dims;
    if (shape.length !== 4) fail(api, `the length of shape must be 4, but the parameter '${v.name}' has shape [${shape.join(', ')}]`);
    if (shape[2] !== shape[3]) fail(api, `shape[2] must be equal to shape[3], but got shape [${shape.join(', ')}]`);
    const size = shape[3];
    const n = shape[0] * shape[1] * shape[2] * shape[3];
    const f = Math.ceil(size / 2);
    const c = (2 * f - 1 - (f % 2)) / (2 * f);
    const w = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const x = i % size;
      const y = Math.floor(i / size) % size;
      w[i] = (1 - Math.abs(x / f - c)) * (1 - Math.abs(y / f - c));
    }
    if (v.dtype !== 'float16' && v.dtype !== 'float32' && v.dtype !== 'float64')
      fail(api, `unsupported dtype ${v.dtype}: the parameter must be float16, float32 or float64`);
    if (n > 1024 * 1024) fail(api, 'The size of input is too big. ');
    return assignValues(v, new Tensor(w, shape.slice(), 'float32'), block, api, 'bilinear_init', false);
  }
}

/** fluid's name for Bilinear (the same class). */
export { Bilinear as BilinearInitializer };
