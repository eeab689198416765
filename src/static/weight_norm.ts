// paddle.static.WeightNormParamAttr: a weight reparameterized as w = g * v / ||v|| (Salimans &
// Kingma), built as Paddle's LayerHelper does in static mode: parameters `<name>_g` and
// `<name>_v`, g initialized to ||v|| in the startup program, w computed in the main program.
import { fail } from '../core/errors.js';
import type { DType } from '../core/dtype.js';
import { state } from '../core/state.js';
import type { Tensor } from '../core/tensor.js';
import { ParamAttr } from '../nn/param_attr.js';
import * as c from '../ops/calls.js';
import { Block, Parameter } from './framework.js';
import { default_main_program, default_startup_program, program_guard } from './mode.js';

/**
 * Parameter attribute with weight normalization over all dims but `dim` (null: the whole
 * tensor). Static mode only, as in Paddle 2.0.
 * @example const attr = new paddle.static.WeightNormParamAttr({ dim: 1, name: 'w' })
 */
export class WeightNormParamAttr extends ParamAttr {
  dim: number | null;
  constructor(opts: { dim?: number | null; name?: string | null; initializer?: ParamAttr['initializer']; learning_rate?: number; regularizer?: unknown; trainable?: boolean; do_model_average?: boolean; need_clip?: boolean } = {}) {
    const { dim = null, ...rest } = opts;
    super(rest as never);
    if (dim !== null && !Number.isInteger(dim)) fail('paddle.static.WeightNormParamAttr', `argument 'dim' expected an integer or None, but got ${String(dim)}`);
    this.dim = dim;
  }
}

/** ||v|| over every axis except `dim`, keeping dims so it broadcasts against v. */
function norm(v: Tensor, dim: number | null): Tensor {
  const axes = v.dims.map((_, i) => i).filter((i) => dim === null || i !== (dim < 0 ? dim + v.dims.length : dim));
  return c.sqrt(c.sum(c.square(v), axes, true));
}

/** Creates g and v and returns w (a Variable of the main program). */
export function weightNormParameter(attr: WeightNormParamAttr, shape: number[], dtype: DType): Tensor {
  if (!state.staticMode) fail('paddle.static.WeightNormParamAttr', 'weight normalization through ParamAttr is only supported in static graph mode, as in Paddle 2.0');
  const kw = attr._to_kwargs();
  const name = kw.name!;
  const dim = attr.dim;
  const gShape = shape.map((d, i) => (dim === null || i === (dim < 0 ? dim + shape.length : dim) ? (dim === null ? 1 : d) : 1));
  const main = default_main_program().global_block();
  const startup = default_startup_program().global_block();
  const mk = (b: Block, n: string, s: number[]): Parameter =>
    b.create_parameter({ name: n, shape: s, dtype, trainable: kw.trainable, learning_rate: kw.optimize_attr.learning_rate, regularizer: kw.regularizer, need_clip: kw.need_clip });
  const v = mk(main, `${name}_v`, shape);
  const g = mk(main, `${name}_g`, gShape);
  // startup: v from the initializer, g = ||v||
  const sv = mk(startup, `${name}_v`, shape);
  const sg = mk(startup, `${name}_g`, gShape);
  attr.initializer!(sv, startup);
  program_guard(default_startup_program(), () => {
    const n = c.reshape(norm(sv, dim), gShape);
    startup.append_op({ type: 'assign', inputs: { X: [n as never] }, outputs: { Out: [sg] } });
  });
  return c.mul(v, c.div(g, norm(v, dim)));
}
