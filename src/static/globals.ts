// paddle.static.create_global_var and create_parameter: variables of the main program whose
// initial values are set by operators of the startup program.
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType, PROTO_DTYPE } from '../core/dtype.js';
import { fail } from '../core/errors.js';
import { create_parameter as nnCreateParameter } from '../nn/parameter.js';
import { state } from '../core/state.js';
import type { Variable } from './framework.js';
import { default_main_program, default_startup_program } from './mode.js';
import { generate } from './unique_name.js';

/**
 * A global variable filled with `value` by the startup program (stop_gradient, optionally
 * persistable).
 * @example const step = paddle.static.create_global_var([1], 0, 'int64', true, false, 'step')
 */
export const create_global_var = defineApi(
  'paddle.static.create_global_var',
  [p('shape', T.shape), p('value', T.float), p('dtype', T.dtype), p('persistable', T.bool, false), p('force_cpu', T.bool, false), p('name', T.nullable(T.str), null)],
  (a): Variable => {
    if (a.shape.some((d) => !Number.isInteger(d) || d < 0)) fail('paddle.static.create_global_var', `argument 'shape' must hold non-negative integers, but got [${a.shape}]`);
    const name = a.name ?? generate('global_var');
    const main = default_main_program().global_block();
    const v = main.create_var({ name, shape: a.shape, dtype: a.dtype as DType, persistable: a.persistable, stop_gradient: true });
    const startup = default_startup_program().global_block();
    const sv = startup.create_var({ name, shape: a.shape, dtype: a.dtype as DType, persistable: a.persistable, stop_gradient: true });
    startup.append_op({ type: 'fill_constant', outputs: { Out: [sv] }, attrs: { shape: a.shape, value: a.value, dtype: PROTO_DTYPE[a.dtype as DType], force_cpu: a.force_cpu } });
    return v;
  },
);

/**
 * A Parameter of the main program, initialized by the startup program (weights Xavier,
 * biases 0 unless `attr`/`default_initializer` say otherwise).
 * @example const w = paddle.static.create_parameter([784, 10], 'float32', 'w')
 */
export function create_parameter(...args: Parameters<typeof nnCreateParameter>): ReturnType<typeof nnCreateParameter> {
  if (!state.staticMode) fail('paddle.static.create_parameter', 'call paddle.enable_static() first (in dygraph use paddle.create_parameter)');
  return nnCreateParameter(...args);
}
