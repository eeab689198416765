// paddle.fluid.layers tensor functions (Paddle 2.0's python/paddle/fluid/layers/tensor.py):
// create_tensor, concat, sums, assign, fill_constant, argmin, argmax, argsort, ones, zeros,
// reverse, has_inf, has_nan, isfinite, range, zeros_like, diag, eye, ones_like. Fluid
// signatures and defaults, fluid's operator types (arg_max, reverse, isinf, fill_zeros_like,
// diag, eye + reshape2 + expand...).
import { defineApi, p, type Ty } from '../../core/args.js';
import { T, tensorFromData, type TensorData } from '../../core/convert.js';
import { PROTO_DTYPE, toNumbers, type DType } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { badArg, fail } from '../../core/errors.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { fillConstant, shapeInputs, shapeTy, valuesKey } from '../../ops/creation.js';
import { default_main_program } from '../../static/mode.js';
import { checkDtype, constant, L, layerName, nameP, runInto } from './misc.js';

const NUM4: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];
const outP = (n: string) => p(n, T.nullable(T.tensor), null);

/** A Tensor, or data (numpy's stand-in: nested arrays or a typed array) converted to one. */
const tensorOrData: Ty<Tensor | { data: unknown }, Tensor | TensorData> = {
  desc: 'a Tensor, nested arrays or a typed array',
  parse(v, api, arg) {
    if (v instanceof Tensor) return v;
    if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) return { data: v };
    return badArg(api, arg, 'a Tensor (Variable) or an array (numpy.ndarray)', v);
  },
};

/**
 * Creates an empty variable of `dtype` (a Variable of the current block in static mode; an empty
 * Tensor in dygraph) to be filled later, e.g. as the `output` of assign.
 * @param dtype bool, float16, float32, float64, int8, int32 or int64
 * @param name the variable's name (default: generated `create_tensor_N`)
 * @param persistable whether it outlives a run
 * @example const t = fluid.layers.create_tensor('float32'); fluid.layers.assign(x, t)
 */
export const create_tensor = defineApi(
  `${L}create_tensor`,
  [p('dtype', T.dtype), nameP, p('persistable', T.bool, false)],
  (a): Tensor => {
    const api = `${L}create_tensor`;
    if (!['bool', 'float16', 'float32', 'float64', 'int8', 'int32', 'int64'].includes(a.dtype))
      fail(api, `The data type of 'dtype' must be one of bool, float16, float32, float64, int8, int32, int64, but received ${a.dtype}`);
    const name = layerName('create_tensor', a.name);
    if (state.staticMode) return default_main_program().current_block().create_var({ name, dtype: a.dtype, persistable: a.persistable });
    const t = new Tensor(toStorage(a.dtype), [0], a.dtype);
    t.name = name;
    t.persistable = a.persistable;
    return t;
  },
);
function toStorage(d: DType): Tensor['data'] {
  return tensorFromData([], d, 'create_tensor').data;
}

/**
 * Concatenates tensors along `axis` (operator `concat`).
 * @param input a list of Tensors of one dtype
 * @param axis the axis (an int or a 1-element int Tensor); negative counts from the end
 * @example fluid.layers.concat([x1, x2], 1)
 */
export const concat = defineApi(
  `${L}concat`,
  [p('input', T.union(T.tensors, T.tensor)), p('axis', T.union(T.int, T.tensor), 0 as number | Tensor), nameP],
  (a): Tensor => {
    const api = `${L}concat`;
    const xs = a.input instanceof Tensor ? [a.input] : a.input;
    if (xs.length === 0) fail(api, "argument 'input' must be a non-empty list of Tensors");
    xs.forEach((x, i) => {
      checkDtype(api, `input[${i}]`, x, ['bool', 'float16', 'float32', 'float64', 'int32', 'int64']);
      if (x.dtype !== xs[0].dtype) fail(api, 'All the Tensors in the input must have the same data type.');
    });
    if (a.axis instanceof Tensor) {
      checkDtype(api, 'axis', a.axis, ['int32', 'int64']);
      if (state.staticMode) {
        a.axis.stop_gradient = true;
        return run1('concat', { X: xs, AxisTensor: [a.axis] }, {});
      }
      return run1('concat', { X: xs }, { axis: Number(toNumbers(a.axis.data, a.axis.dtype)[0]) });
    }
    return run1('concat', { X: xs }, { axis: a.axis });
  },
);

/**
 * Sums a list of tensors of one shape elementwise (operator `sum`); `out` receives the result
 * when given.
 * @param input a Tensor or a list of Tensors (float32, float64, int32, int64)
 * @param out an existing Tensor to write into
 * @example fluid.layers.sums([a, b, c])
 */
export const sums = defineApi(
  `${L}sums`,
  [p('input', T.union(T.tensors, T.tensor)), outP('out')],
  (a): Tensor => {
    const api = `${L}sums`;
    const xs = a.input instanceof Tensor ? [a.input] : a.input;
    if (xs.length === 0) fail(api, "argument 'input' must be a non-empty list of Tensors");
    for (const x of xs) checkDtype(api, 'input', x, NUM4);
    if (a.out) {
      checkDtype(api, 'out', a.out, NUM4);
      return runInto('sum', { X: xs }, { use_mkldnn: false }, 'Out', a.out, api);
    }
    return run1('sum', { X: xs }, { use_mkldnn: false });
  },
);

/**
 * Copies `input` into a new tensor or into `output` (operator `assign`); array data (numpy's
 * stand-in) becomes an `assign_value` of its values (bool, float32, int32 or int64; whole JS
 * numbers are int64, others float32, typed arrays keep their dtype).
 * @param input a Tensor, nested arrays or a typed array
 * @param output an existing Tensor to write into
 * @example fluid.layers.assign(paddle.to_tensor([1.5, 2]))
 */
export const assign = defineApi(
  `${L}assign`,
  [p('input', tensorOrData), outP('output')],
  (a): Tensor => {
    const api = `${L}assign`;
    if (a.input instanceof Tensor) {
      checkDtype(api, 'input', a.input, ['float16', 'float32', 'float64', 'int32', 'int64', 'bool']);
      if (a.output) return runInto('assign', { X: [a.input] }, {}, 'Out', a.output, api);
      return run1('assign', { X: [a.input] }, {});
    }
    const t = tensorFromData(a.input.data, null, api, 'input');
    const key = valuesKey(t.dtype);
    if (!key)
      fail(api, `When the type of 'input' in assign is numpy.ndarray, the data type of 'input' must be bool, float32, int32 or int64, but received ${t.dtype}.`);
    if (t.size > 1024 * 1024) fail(api, "The size of input is too big. Please consider saving it to file and 'load_op' to load it");
    const values = t.dtype === 'bool' ? Array.from(t.data as Uint8Array, (v) => v !== 0) : Array.from(toNumbers(t.data, t.dtype));
    const attrs = { dtype: PROTO_DTYPE[t.dtype], shape: t.dims.slice(), [key]: values };
    if (a.output) return runInto('assign_value', {}, attrs, 'Out', a.output, api);
    return run1('assign_value', {}, attrs);
  },
);

const FILL_DTYPES: readonly DType[] = ['bool', 'float16', 'float32', 'float64', 'int32', 'int64'];

function fill(api: string, shape: ReturnType<typeof shapeTy.parse>, dtype: DType, value: number | boolean | Tensor, force_cpu: boolean, out: Tensor | null): Tensor {
  if (!FILL_DTYPES.includes(dtype)) fail(api, `The data type of 'dtype' must be one of ${FILL_DTYPES.join(', ')}, but received ${dtype}`);
  let v = value;
  if (v instanceof Tensor && v.dtype !== dtype) v = run1('cast', { X: [v] }, { in_dtype: PROTO_DTYPE[v.dtype], out_dtype: PROTO_DTYPE[dtype] });
  if (out) {
    checkDtype(api, 'out', out, [dtype]);
    const { ins, attrs } = shapeInputs(shape);
    if (v instanceof Tensor) ins.ValueTensor = [v];
    else Object.assign(attrs, valueAttrs(dtype, Number(v)));
    Object.assign(attrs, { dtype: PROTO_DTYPE[dtype], force_cpu });
    const r = runInto('fill_constant', ins, attrs, 'Out', out, api);
    r.stop_gradient = true;
    return r;
  }
  const r = fillConstant(shape, dtype, v, api);
  r.stop_gradient = true;
  return r;
}
function valueAttrs(dtype: DType, v: number): { value: number; str_value: string } {
  if (dtype === 'int32' || dtype === 'int64') return { value: Math.trunc(v), str_value: String(Math.trunc(v)) };
  return { value: v, str_value: String(v) };
}

/**
 * A tensor of `shape` filled with `value` (operator `fill_constant`, stop_gradient).
 * @param shape a list of ints (entries may be 1-element int Tensors) or an int Tensor
 * @param dtype bool, float16, float32, float64, int32 or int64
 * @param value a number, or a 1-element Tensor
 * @param force_cpu place the data on the CPU (always so here)
 * @param out an existing Tensor to write into
 * @example fluid.layers.fill_constant([2, 3], 'int64', 7)
 */
export const fill_constant = defineApi(
  `${L}fill_constant`,
  [p('shape', shapeTy), p('dtype', T.dtype), p('value', T.union(T.tensorOrScalar, T.tensor)), p('force_cpu', T.bool, false), outP('out'), nameP],
  (a): Tensor => fill(`${L}fill_constant`, a.shape, a.dtype, a.value, a.force_cpu, a.out),
);

/** A tensor of ones (fill_constant). @example fluid.layers.ones([2, 2], 'float32') */
export const ones = defineApi(
  `${L}ones`,
  [p('shape', shapeTy), p('dtype', T.dtype), p('force_cpu', T.bool, false)],
  (a): Tensor => fill(`${L}ones`, a.shape, a.dtype, 1, a.force_cpu, null),
);
/** A tensor of zeros (fill_constant). @example fluid.layers.zeros([2, 2], 'int64') */
export const zeros = defineApi(
  `${L}zeros`,
  [p('shape', shapeTy), p('dtype', T.dtype), p('force_cpu', T.bool, false), nameP],
  (a): Tensor => fill(`${L}zeros`, a.shape, a.dtype, 0, a.force_cpu, null),
);

const ARG_DTYPES: readonly DType[] = ['float32', 'float64', 'uint8', 'int16', 'int32', 'int64'];
function argOp(op: 'arg_max' | 'arg_min', api: string, x: Tensor, axis: number): Tensor {
  checkDtype(api, 'x', x, ARG_DTYPES);
  const out = run1(op, { X: [x] }, { axis });
  out.stop_gradient = true;
  return out;
}
/**
 * Indices (int64) of the largest values along `axis`, which drops (operator `arg_max`). Note
 * fluid's default axis is 0.
 * @example fluid.layers.argmax(paddle.to_tensor([[1, 5], [4, 2]]))  // [1, 0]
 */
export const argmax = defineApi(`${L}argmax`, [p('x', T.tensor), p('axis', T.int, 0)], (a): Tensor => argOp('arg_max', `${L}argmax`, a.x, a.axis));
/** Indices (int64) of the smallest values along `axis` (default 0; operator `arg_min`). @example fluid.layers.argmin(x, 1) */
export const argmin = defineApi(`${L}argmin`, [p('x', T.tensor), p('axis', T.int, 0)], (a): Tensor => argOp('arg_min', `${L}argmin`, a.x, a.axis));

/**
 * Sorts along `axis`, returning [sorted values, int64 indices] (operator `argsort`; both stop
 * gradients).
 * @example const [out, ids] = fluid.layers.argsort(x, -1, true)
 */
export const argsort = defineApi(
  `${L}argsort`,
  [p('input', T.tensor), p('axis', T.int, -1), p('descending', T.bool, false), nameP],
  (a): [Tensor, Tensor] => {
    checkDtype(`${L}argsort`, 'input', a.input, ['float32', 'float64', 'int16', 'int32', 'int64', 'uint8']);
    const r = run1Multi('argsort', { X: [a.input] }, { axis: a.axis, descending: a.descending }, ['Out', 'Indices']);
    r[0].stop_gradient = true;
    r[1].stop_gradient = true;
    return [r[0], r[1]];
  },
);

function run1Multi(type: string, ins: Record<string, Tensor[]>, attrs: Record<string, unknown>, slots: string[]): Tensor[] {
  const r = dispatch(type, ins, attrs);
  return slots.map((s) => r[s][0]);
}

/**
 * Reverses x along the given axes (operator `reverse`).
 * @param x float32, float64, int32, int64 or uint8 Tensor
 * @param axis an int or a list of ints
 * @example fluid.layers.reverse(paddle.to_tensor([[0, 1], [2, 3]]), [0])  // [[2, 3], [0, 1]]
 */
export const reverse = defineApi(`${L}reverse`, [p('x', T.tensor), p('axis', T.intOrInts)], (a): Tensor => {
  checkDtype(`${L}reverse`, 'x', a.x, ['float32', 'float64', 'int32', 'int64', 'uint8']);
  return run1('reverse', { X: [a.x] }, { axis: a.axis });
});

/** Whether x holds any inf: a [1] bool tensor (operator `isinf`). @example fluid.layers.has_inf(x) */
export const has_inf = defineApi(`${L}has_inf`, [p('x', T.tensor)], (a): Tensor => run1('isinf', { X: [a.x] }, {}));
/** Whether x holds any NaN: a [1] bool tensor (operator `isnan`). @example fluid.layers.has_nan(x) */
export const has_nan = defineApi(`${L}has_nan`, [p('x', T.tensor)], (a): Tensor => run1('isnan', { X: [a.x] }, {}));
/**
 * Whether every element of x is finite: a [1] bool tensor (operator `isfinite`).
 * @example fluid.layers.isfinite(paddle.to_tensor([1, Infinity]))  // [false]
 */
export const isfinite = defineApi(`${L}isfinite`, [p('x', T.tensor)], (a): Tensor => {
  checkDtype(`${L}isfinite`, 'x', a.x, NUM4);
  return run1('isfinite', { X: [a.x] }, {});
});

/**
 * Values from `start` to `end` (exclusive) by `step` (operator `range`, fill_constant'd bounds
 * of `dtype`; stop_gradient).
 * @param start a number or a 1-element Tensor
 * @param end a number or a 1-element Tensor
 * @param step a number or a 1-element Tensor
 * @param dtype float32, float64, int32 or int64
 * @example fluid.layers.range(0, 10, 2, 'int32')  // [0, 2, 4, 6, 8]
 */
export const range = defineApi(
  `${L}range`,
  [p('start', T.union(T.float, T.tensor)), p('end', T.union(T.float, T.tensor)), p('step', T.union(T.float, T.tensor)), p('dtype', T.dtype), nameP],
  (a): Tensor => {
    const api = `${L}range`;
    if (!NUM4.includes(a.dtype)) fail(api, `The data type of 'dtype' must be one of float32, float64, int32, int64, but received ${a.dtype}`);
    const bound = (v: number | Tensor): Tensor => {
      if (v instanceof Tensor) return v.dtype === a.dtype ? v : run1('cast', { X: [v] }, { in_dtype: PROTO_DTYPE[v.dtype], out_dtype: PROTO_DTYPE[a.dtype] });
      return constant([1], a.dtype, v);
    };
    const s = bound(a.start);
    const e = bound(a.end);
    const st = bound(a.step);
    if (!state.staticMode) {
      const step = Number(toNumbers(st.data, st.dtype)[0]);
      if (step === 0) fail(api, "The step of range op should not be 0.");
    }
    const out = run1('range', { Start: [s], End: [e], Step: [st] }, {});
    out.stop_gradient = true;
    return out;
  },
);

/**
 * Zeros shaped like x (operator `fill_zeros_like`; stop_gradient); `out` receives them when given.
 * @example fluid.layers.zeros_like(x)
 */
export const zeros_like = defineApi(`${L}zeros_like`, [p('x', T.tensor), outP('out')], (a): Tensor => {
  const api = `${L}zeros_like`;
  const dts: DType[] = ['bool', 'float32', 'float64', 'int32', 'int64'];
  checkDtype(api, 'x', a.x, dts);
  let r: Tensor;
  if (a.out) {
    checkDtype(api, 'out', a.out, dts);
    r = runInto('fill_zeros_like', { X: [a.x] }, {}, 'Out', a.out, api);
  } else r = run1('fill_zeros_like', { X: [a.x] }, {});
  r.stop_gradient = true;
  return r;
});

/**
 * Ones shaped like x (operator `fill_any_like` with value 1); `out` receives them when given.
 * @example fluid.layers.ones_like(x)
 */
export const ones_like = defineApi(`${L}ones_like`, [p('x', T.tensor), outP('out')], (a): Tensor => {
  const api = `${L}ones_like`;
  const dts: DType[] = ['bool', 'float32', 'float64', 'int32', 'int64'];
  checkDtype(api, 'x', a.x, dts);
  if (a.out) {
    checkDtype(api, 'out', a.out, dts);
    return runInto('fill_any_like', { X: [a.x] }, { value: 1.0 }, 'Out', a.out, api);
  }
  return run1('fill_any_like', { X: [a.x] }, { value: 1.0 });
});

/**
 * A square matrix with `diagonal` on its diagonal (operator `diag`; stop_gradient).
 * @param diagonal a 1-D Tensor or array (float32, float64, int32, int64)
 * @example fluid.layers.diag(paddle.to_tensor([3, 4, 5]))  // [[3,0,0],[0,4,0],[0,0,5]]
 */
export const diag = defineApi(`${L}diag`, [p('diagonal', tensorOrData)], (a): Tensor => {
  const api = `${L}diag`;
  const d = a.diagonal instanceof Tensor ? a.diagonal : assign(a.diagonal.data as never);
  checkDtype(api, 'diagonal', d, NUM4);
  const out = run1('diag', { Diagonal: [d] }, {});
  out.stop_gradient = true;
  return out;
});

/**
 * An identity matrix [num_rows, num_columns] (operator `eye`), optionally repeated over
 * leading `batch_shape` dims (reshape2 + expand); stop_gradient.
 * @param num_rows rows
 * @param num_columns columns (default num_rows)
 * @param batch_shape leading batch dims
 * @param dtype float16, float32, float64, int32 or int64
 * @example fluid.layers.eye(2, null, [3])  // shape [3, 2, 2]
 */
export const eye = defineApi(
  `${L}eye`,
  [p('num_rows', T.int), p('num_columns', T.nullable(T.int), null), p('batch_shape', T.nullable(T.ints), null), p('dtype', T.dtype, 'float32' as DType), nameP],
  (a): Tensor => {
    const api = `${L}eye`;
    if (a.num_rows < 0) fail(api, 'num_rows should be a non-negative int');
    const cols = a.num_columns ?? a.num_rows;
    if (cols < 0) fail(api, 'num_columns should be a non-negative int');
    if (!['float16', 'float32', 'float64', 'int32', 'int64'].includes(a.dtype))
      fail(api, `The data type of 'dtype' must be one of float16, float32, float64, int32, int64, but received ${a.dtype}`);
    let out = run1('eye', {}, { num_rows: a.num_rows, num_columns: cols, dtype: PROTO_DTYPE[a.dtype] });
    if (a.batch_shape !== null) {
      if (a.batch_shape.some((b) => b <= 0)) fail(api, 'batch_shape should be a positive int list');
      out = run1('reshape2', { X: [out] }, { shape: [...a.batch_shape.map(() => 1), a.num_rows, cols] });
      out = run1('expand', { X: [out] }, { expand_times: [...a.batch_shape, 1, 1] });
    }
    out.stop_gradient = true;
    return out;
  },
);
