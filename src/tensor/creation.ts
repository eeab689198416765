// paddle.* tensor creation as in python/paddle/tensor/creation.py.
import { defineApi, p, Ty } from '../core/args.js';
import { T, tensorFromData, TensorData } from '../core/convert.js';
import { dispatchInplace, run1 } from '../core/dispatch.js';
import { DType, getDefaultDType, isComplex, PROTO_DTYPE } from '../core/dtype.js';
import { badArg, fail } from '../core/errors.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { checkDtype, fillConstant, shapeInputs, shapeTy, valuesKey } from '../ops/creation.js';

/**
 * Creates a Tensor from data: nested arrays, typed arrays, numbers, booleans, or a Tensor.
 * Whole numbers give int64, other numbers the default float dtype (float32), booleans bool;
 * a scalar gives shape [1]. Given a Tensor, Paddle 2.0 returns that tensor itself with
 * `stop_gradient` set (converted when another dtype is asked for).
 * @param data the values
 * @param dtype the dtype, e.g. 'float32'
 * @param place ignored (CPU only)
 * @param stop_gradient default true
 * @example paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32', stop_gradient: false })
 */
export const to_tensor = defineApi(
  'paddle.to_tensor',
  [p('data', T.data), p('dtype', T.nullable(T.dtype), null), p('place', T.any, null), p('stop_gradient', T.bool, true)],
  (a) => {
    if (a.data instanceof Tensor && (a.dtype === null || a.dtype === a.data.dtype)) {
      a.data.stop_gradient = a.stop_gradient;
      return a.data;
    }
    const t = tensorFromData(a.data, a.dtype, 'paddle.to_tensor');
    t.stop_gradient = a.stop_gradient;
    return t;
  },
);

const FILL_DTYPES: readonly DType[] = ['bool', 'float16', 'float32', 'float64', 'int32', 'int64', 'complex64', 'complex128'];
const LIKE_DTYPES: readonly DType[] = ['bool', 'float16', 'float32', 'float64', 'int32', 'int64'];

const fillValueTy = T.union(T.tensorOrScalar, {
  desc: 'a bigint',
  parse: (v: unknown, api: string, arg: string) => (typeof v === 'bigint' ? v : badArg(api, arg, 'a number', v)),
} as Ty<bigint>);

const nameP = p('name', T.nullable(T.str), null);

// ---------------------------------------------------------------------------------------
// fill_constant family.

/**
 * A tensor of `shape` filled with `fill_value`. dtype defaults to float32, even for an int
 * fill value (Paddle 2.0).
 * @param shape a list of ints (or 1-element int Tensors), or a 1-D int Tensor
 * @param fill_value a number, boolean, bigint (exact int64) or a 1-element Tensor
 * @param dtype bool, float16, float32, float64, int32, int64 (or complex)
 * @example paddle.full([2, 3], 2.5) // [[2.5, 2.5, 2.5], [2.5, 2.5, 2.5]] float32
 */
export const full = defineApi(
  'paddle.full',
  [p('shape', shapeTy), p('fill_value', fillValueTy), p('dtype', T.nullable(T.dtype), null), nameP],
  (a) => {
    const d = a.dtype ?? 'float32';
    checkDtype('paddle.full', 'dtype', d, FILL_DTYPES);
    return fillConstant(a.shape, d, a.fill_value, 'paddle.full');
  },
);

/**
 * A tensor of `shape` filled with 0 (dtype defaults to float32).
 * @example paddle.zeros([3, 2]) // [[0, 0], [0, 0], [0, 0]] float32
 */
export const zeros = defineApi('paddle.zeros', [p('shape', shapeTy), p('dtype', T.nullable(T.dtype), null), nameP], (a) => {
  const d = a.dtype ?? 'float32';
  checkDtype('paddle.zeros', 'dtype', d, FILL_DTYPES);
  return fillConstant(a.shape, d, 0, 'paddle.zeros');
});

/**
 * A tensor of `shape` filled with 1 (dtype defaults to float32).
 * @example paddle.ones([3, 2]) // [[1, 1], [1, 1], [1, 1]] float32
 */
export const ones = defineApi('paddle.ones', [p('shape', shapeTy), p('dtype', T.nullable(T.dtype), null), nameP], (a) => {
  const d = a.dtype ?? 'float32';
  checkDtype('paddle.ones', 'dtype', d, FILL_DTYPES);
  return fillConstant(a.shape, d, 1, 'paddle.ones');
});

// ---------------------------------------------------------------------------------------
// fill_any_like family.

function fillLike(api: string, x: Tensor, value: number, dtype: DType | null): Tensor {
  const d = dtype ?? x.dtype;
  checkDtype(api, 'dtype', d, LIKE_DTYPES);
  const out = run1('fill_any_like', { X: [x] }, { value, dtype: dtype === null ? -1 : PROTO_DTYPE[dtype] });
  out.stop_gradient = true;
  return out;
}

/**
 * A tensor with x's shape filled with `fill_value`; dtype defaults to x's.
 * @param x a Tensor
 * @param fill_value a number or boolean
 * @example paddle.full_like(paddle.to_tensor([1, 2, 3]), 2.0) // [2, 2, 2] int64
 */
export const full_like = defineApi(
  'paddle.full_like',
  [p('x', T.tensor), p('fill_value', T.union(T.float, T.bool)), p('dtype', T.nullable(T.dtype), null), nameP],
  (a) => fillLike('paddle.full_like', a.x, Number(a.fill_value), a.dtype),
);

/**
 * A tensor of zeros with x's shape; dtype defaults to x's.
 * @example paddle.zeros_like(paddle.to_tensor([1, 2, 3])) // [0, 0, 0] int64
 */
export const zeros_like = defineApi('paddle.zeros_like', [p('x', T.tensor), p('dtype', T.nullable(T.dtype), null), nameP], (a) =>
  fillLike('paddle.zeros_like', a.x, 0, a.dtype),
);

/**
 * A tensor of ones with x's shape; dtype defaults to x's.
 * @example paddle.ones_like(paddle.to_tensor([1, 2, 3])) // [1, 1, 1] int64
 */
export const ones_like = defineApi('paddle.ones_like', [p('x', T.tensor), p('dtype', T.nullable(T.dtype), null), nameP], (a) =>
  fillLike('paddle.ones_like', a.x, 1, a.dtype),
);

// ---------------------------------------------------------------------------------------
// empty, eye, arange, linspace.

/**
 * An uninitialized tensor of `shape` (here zero-filled); dtype defaults to get_default_dtype().
 * @example paddle.empty([2, 3], 'float32').shape // [2, 3]
 */
export const empty = defineApi('paddle.empty', [p('shape', shapeTy), p('dtype', T.nullable(T.dtype), null), nameP], (a) => {
  const d = a.dtype ?? getDefaultDType();
  checkDtype('paddle.empty', 'dtype', d, LIKE_DTYPES);
  const { ins, attrs } = shapeInputs(a.shape);
  attrs.dtype = PROTO_DTYPE[d];
  return run1('empty', ins, attrs);
});

/**
 * An uninitialized tensor with x's shape (here zero-filled); dtype defaults to x's.
 * @example paddle.empty_like(paddle.to_tensor([1, 2])).dtype // 'int64'
 */
export const empty_like = defineApi('paddle.empty_like', [p('x', T.tensor), p('dtype', T.nullable(T.dtype), null), nameP], (a) => {
  const d = a.dtype ?? a.x.dtype;
  checkDtype('paddle.empty_like', 'dtype', d, LIKE_DTYPES);
  return run1('empty', {}, { shape: a.x.shape, dtype: PROTO_DTYPE[d] });
});

/**
 * A 2-D identity matrix of [num_rows, num_columns] (num_columns defaults to num_rows);
 * dtype defaults to float32.
 * @example paddle.eye(2, 3, 'int32') // [[1, 0, 0], [0, 1, 0]]
 */
export const eye = defineApi(
  'paddle.eye',
  [p('num_rows', T.int), p('num_columns', T.nullable(T.int), null), p('dtype', T.nullable(T.dtype), null), nameP],
  (a) => {
    const api = 'paddle.eye';
    const d = a.dtype ?? 'float32';
    checkDtype(api, 'dtype', d, ['float16', 'float32', 'float64', 'int32', 'int64']);
    if (a.num_rows < 0) fail(api, `argument 'num_rows' must be a non-negative int, but got ${a.num_rows}`);
    if (a.num_columns !== null && a.num_columns < 0) fail(api, `argument 'num_columns' must be a non-negative int, but got ${a.num_columns}`);
    return run1('eye', {}, { num_rows: a.num_rows, num_columns: a.num_columns ?? a.num_rows, dtype: PROTO_DTYPE[d] });
  },
);

/** A shape-[1] tensor of dtype d holding v (a number through fill_constant, a Tensor cast). */
function scalarOf(v: number | Tensor, d: DType, api: string): Tensor {
  if (v instanceof Tensor) return v.dtype === d ? v : c.cast(v, d);
  return fillConstant([1], d, v, api);
}

const numOrTensor = T.union(T.float, T.tensor);

/**
 * Evenly spaced values in [start, end) with `step` (numpy's arange). With one argument it is
 * the end. dtype defaults to int64 even for float arguments (Paddle 2.0), and float arguments
 * are then truncated.
 * @example paddle.arange(5) // [0, 1, 2, 3, 4] int64
 * @example paddle.arange(3, 9, 2.0, 'float32') // [3, 5, 7]
 */
export const arange = defineApi(
  'paddle.arange',
  [p('start', numOrTensor, 0), p('end', T.nullable(numOrTensor), null), p('step', numOrTensor, 1), p('dtype', T.nullable(T.dtype), null), nameP],
  (a) => {
    const api = 'paddle.arange';
    const d = a.dtype ?? 'int64';
    checkDtype(api, 'dtype', d, ['float32', 'float64', 'int32', 'int64']);
    let start = a.start;
    let end = a.end;
    if (end === null) {
      end = start;
      start = 0;
    }
    const out = run1('range', { Start: [scalarOf(start, d, api)], End: [scalarOf(end, d, api)], Step: [scalarOf(a.step, d, api)] });
    out.stop_gradient = true;
    return out;
  },
);

/**
 * `num` evenly spaced values from start to stop inclusive; dtype defaults to float32.
 * @example paddle.linspace(0, 10, 5) // [0, 2.5, 5, 7.5, 10]
 */
export const linspace = defineApi(
  'paddle.linspace',
  [p('start', numOrTensor), p('stop', numOrTensor), p('num', T.union(T.int, T.tensor)), p('dtype', T.nullable(T.dtype), null), nameP],
  (a) => {
    const api = 'paddle.linspace';
    const d = a.dtype ?? 'float32';
    checkDtype(api, 'dtype', d, ['float32', 'float64', 'int32', 'int64']);
    for (const k of ['start', 'stop'] as const) {
      const v = a[k];
      if (v instanceof Tensor) checkDtype(api, k, v.dtype, ['float32', 'float64', 'int32', 'int64']);
    }
    const start = a.start instanceof Tensor ? a.start : fillConstant([1], d, a.start, api);
    const stop = a.stop instanceof Tensor ? a.stop : fillConstant([1], d, a.stop, api);
    let num: Tensor;
    if (a.num instanceof Tensor) {
      checkDtype(api, 'num', a.num.dtype, ['int32']);
      num = a.num;
    } else {
      if (a.num <= 0) fail(api, `argument 'num' must be larger than 0, but got ${a.num}`);
      num = fillConstant([1], 'int32', a.num, api);
    }
    return run1('linspace', { Start: [start], Stop: [stop], Num: [num] }, { dtype: PROTO_DTYPE[d] });
  },
);

// ---------------------------------------------------------------------------------------
// assign and clone.

/**
 * Copies x into a new tensor (or into `output`, in place). x may be a Tensor (differentiable:
 * the gradient passes through), or array data / a number, which becomes a constant through
 * the assign_value operator (bool, float32, int32 or int64; float64 arrays are stored as
 * float32, as assign_value holds fp32 values only).
 * @param x a Tensor, a typed array, nested arrays or a number
 * @param output a Tensor to write the result into
 * @example paddle.assign(paddle.full([3, 2], 2.0)) // a copy
 * @example paddle.assign([[1, 2], [3, 4]]) // int64 [[1, 2], [3, 4]]
 */
export const assign = defineApi(
  'paddle.assign',
  [p('x', T.data), p('output', T.nullable(T.tensor), null)],
  (a) => {
    const api = 'paddle.assign';
    if (a.x instanceof Tensor) {
      checkDtype(api, 'x', a.x.dtype, ['float16', 'float32', 'float64', 'int32', 'int64', 'bool']);
      if (a.output) return assignInto(a.x, a.output);
      return run1('assign', { X: [a.x] });
    }
    return assignValue(api, a.x, a.output);
  },
);

/**
 * assign(x, output): output takes x's value and, as in Paddle's traced op, x's place in the
 * graph (its gradient flows back to x) even when output did not require a gradient before.
 */
function assignInto(x: Tensor, output: Tensor): Tensor {
  if (!output.stop_gradient || state.staticMode) return dispatchInplace('assign', { X: [x] }, {}, output);
  const r = run1('assign', { X: [x] });
  output.data = r.data;
  output.dims = r.dims;
  output.dtype = r.dtype;
  output.ver.v++;
  if (r.node) {
    output.node = r.node;
    output.stop_gradient = false;
    r.node.outs.Out = [output];
  }
  return output;
}

function assignValue(api: string, data: TensorData, output: Tensor | null): Tensor {
  let t = tensorFromData(data, null, api, 'x');
  if (t.dtype === 'float64' || t.dtype === 'float16') t = tensorFromData(t, 'float32', api, 'x');
  const d = t.dtype;
  const key = valuesKey(d);
  if (!key || isComplex(d)) fail(api, `argument 'x' must hold bool, float32, int32 or int64 data, but got ${d}`);
  if (t.size > 1024 * 1024) fail(api, `argument 'x' is too big (${t.size} elements > 1048576); save it to a file and load it instead`);
  const vals: unknown[] = d === 'int64' ? Array.from(t.data as BigInt64Array) : d === 'bool' ? Array.from(t.data as Uint8Array, (v) => v !== 0) : Array.from(t.data as Float32Array);
  const attrs = { shape: t.shape, dtype: PROTO_DTYPE[d], [key]: vals };
  if (output) return dispatchInplace('assign_value', {}, attrs, output);
  return run1('assign_value', {}, attrs);
}

/**
 * A copy of x that stays in the graph (the gradient flows back to x), through the assign op.
 * Also the Tensor method `x.clone()`.
 * @example const y = x.clone()
 */
export const clone = defineApi('paddle.clone', [p('x', T.tensor), nameP], (a) => run1('assign', { X: [a.x] }), { method: true });
