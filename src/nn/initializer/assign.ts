// Initializers from given values: fluid's NumpyArrayInitializer(value) and 2.0's
// nn.initializer.Assign(value), appending assign_value (in dygraph the values are written
// directly, converted to the parameter's dtype, so int64 and float64 stay exact).
import { p, type CallArgs } from '../../core/args.js';
import { T, tensorFromData, type TensorData } from '../../core/convert.js';
import { PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { fail } from '../../core/errors.js';
import { numel, sameShape, showShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { generate } from '../../static/unique_name.js';
import { BlockLike, checkVar, Initializer, parser, writeInto } from './initializer.js';

/** The assign_value attribute for dtype d. */
function valuesKey(d: DType): string | undefined {
  return d === 'float32' ? 'fp32_values' : d === 'int32' ? 'int32_values' : d === 'int64' ? 'int64_values' : d === 'bool' ? 'bool_values' : undefined;
}

/**
 * Writes `value` into `v`: directly in dygraph; with a block, by an assign_value operator
 * (through a float32 temporary and a cast for float16/float64, as Paddle does).
 */
export function assignValues(v: Tensor, value: Tensor, block: BlockLike | null, api: string, tmpKey: string, prepend = true): unknown {
  if (!sameShape(v.dims, value.dims)) {
    if (value.dims.length === 1 && numel(value.dims) === numel(v.dims)) value = new Tensor(value.data, v.dims.slice(), value.dtype);
    else fail(api, `the value has shape ${showShape(value.dims)} but the parameter '${v.name}' has shape ${showShape(v.dims)}`);
  }
  if (!block) {
    writeInto(v, value, api);
    return null;
  }
  const viaFloat = v.dtype === 'float16' || v.dtype === 'float64';
  const outDtype: DType = viaFloat ? 'float32' : v.dtype;
  const key = valuesKey(outDtype);
  if (!key) fail(api, `unsupported dtype ${v.dtype}: assign_value holds float32, int32, int64 or bool values`);
  const vals = value.flatValues().map((x) => (key === 'bool_values' ? Number(Boolean(x)) : key === 'int64_values' ? x : Number(x)));
  const outVar = viaFloat
    ? block.create_var({ name: generate(`${tmpKey}.${v.name}.tmp`), shape: v.dims.slice(), dtype: outDtype, persistable: false })
    : v;
  const spec = { type: 'assign_value', outputs: { Out: [outVar] }, attrs: { dtype: PROTO_DTYPE[outDtype], shape: v.dims.slice(), [key]: vals } };
  const op = prepend && block._prepend_op ? block._prepend_op(spec) : block.append_op(spec);
  if (viaFloat)
    block.append_op({ type: 'cast', inputs: { X: [outVar] }, outputs: { Out: [v] }, attrs: { in_dtype: PROTO_DTYPE[outDtype], out_dtype: PROTO_DTYPE[v.dtype] } });
  return op;
}

const valueTy = {
  desc: 'a Tensor, a (nested) list or a typed array',
  parse(v: unknown, api: string, arg: string): Tensor {
    if (v instanceof Tensor) return tensorFromData(v, null, api, arg);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return tensorFromData(v as TensorData, null, api, arg);
    if (Array.isArray(v)) {
      // as numpy.array(list): Python floats are float64 (whole numbers int64, booleans bool)
      const t = tensorFromData(v as TensorData, null, api, arg);
      return t.dtype === 'float32' || t.dtype === 'float16' ? tensorFromData(v as TensorData, 'float64', api, arg) : t;
    }
    return fail(api, `argument '${arg}' expected a Tensor, a (nested) list or a typed array, but got ${v === null ? 'None' : typeof v}`);
  },
};

const fluidParams = [p('value', valueTy)] as const;
const parseFluid = parser('paddle.fluid.initializer.NumpyArrayInitializer', fluidParams);

/**
 * Fills the parameter with the given values (a copy is taken at construction).
 * @example new paddle.fluid.initializer.NumpyArrayInitializer([[1, 2], [3, 4]])
 */
export class NumpyArrayInitializer extends Initializer {
  declare _value: Tensor;
  constructor(...args: CallArgs<typeof fluidParams>) {
    super();
    this._value = parseFluid(args).value;
  }
  override __call__(param: Tensor, block: BlockLike | null = null): unknown {
    const api = this.constructor.name;
    const v = checkVar(param, api);
    block = this._check_block(block);
    if (numel(this._value.dims) > 1024 * 1024 * 1024)
      fail(api, "The size of input is too big. Please consider saving it to file and 'load_op' to load it");
    return assignValues(v, this._value, block, api, 'numpy_array_init');
  }
}

const nnParams = [p('value', valueTy), p('name', T.nullable(T.str), null)] as const;
const parseNN = parser('paddle.nn.initializer.Assign', nnParams);

/**
 * Initializes a parameter with the given values: a Tensor, a (nested) list or a typed array of
 * the parameter's size.
 * @param value the values
 * @example const w = new paddle.ParamAttr({ initializer: new nn.initializer.Assign([[1, 2], [3, 4]]) })
 */
export class Assign extends NumpyArrayInitializer {
  constructor(...args: CallArgs<typeof nnParams>) {
    const a = parseNN(args);
    super(a.value);
  }
}
