// paddle.static.data and InputSpec: the program's inputs.
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType, parseDType } from '../core/dtype.js';
import { fail } from '../core/errors.js';
import { Variable } from './framework.js';
import { default_main_program } from './mode.js';

const shapeWithNone = T.union(
  T.shape,
  { desc: 'a list of ints or None', parse: (v: unknown, api: string, arg: string) => {
    if (Array.isArray(v) && v.every((d) => d === null || Number.isInteger(d))) return v.map((d) => (d === null ? -1 : d)) as number[];
    return fail(api, `argument '${arg}' expected a list of ints (None or -1 for unknown sizes)`);
  } },
);

/**
 * Declares an input variable of the default main program; None or -1 marks a size known only
 * when data is fed. Fed values are checked against the shape.
 * @param name the variable's name
 * @param shape e.g. [null, 784] or [-1, 784]
 * @param dtype default 'float32'
 * @param lod_level LoD levels of the input (sequence models)
 * @example const x = paddle.static.data('x', [null, 784], 'float32')
 */
export const data = defineApi(
  'paddle.static.data',
  [p('name', T.str), p('shape', shapeWithNone), p('dtype', T.dtype, 'float32' as DType), p('lod_level', T.int, 0)],
  (a): Variable => {
    const block = default_main_program().global_block();
    const v = block.create_var({ name: a.name, shape: a.shape, dtype: a.dtype, lod_level: a.lod_level, stop_gradient: true, need_check_feed: true, is_data: true });
    return v;
  },
);

/** Describes a model input for jit.save / to_static: shape (None/-1 unknown), dtype, name. */
export class InputSpec {
  shape: number[];
  dtype: DType;
  name: string | null;
  constructor(shape: readonly (number | null)[], dtype: DType | string = 'float32', name: string | null = null) {
    const d = parseDType(dtype);
    if (!d) fail('paddle.static.InputSpec', `argument 'dtype' is not a dtype: ${String(dtype)}`);
    if (!Array.isArray(shape)) fail('paddle.static.InputSpec', "argument 'shape' expected a list of ints or None");
    this.shape = shape.map((x) => (x === null ? -1 : x));
    this.dtype = d;
    this.name = name;
  }
  /** An InputSpec with the shape and dtype of a tensor. */
  static from_tensor(t: { dims: number[]; dtype: DType; name?: string }, name: string | null = null): InputSpec {
    return new InputSpec(t.dims, t.dtype, name ?? t.name ?? null);
  }
  batch(batch_size: number): InputSpec {
    return new InputSpec([batch_size, ...this.shape], this.dtype, this.name);
  }
  unbatch(): InputSpec {
    return new InputSpec(this.shape.slice(1), this.dtype, this.name);
  }
  toString(): string {
    return `InputSpec(shape=(${this.shape.join(', ')}), dtype=${this.dtype}, name=${this.name ?? 'None'})`;
  }
}
