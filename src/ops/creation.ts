// Creation operators (paddle/fluid/operators): fill_constant, fill_any_like, range, linspace,
// eye, empty, assign, assign_value. None but assign carries a gradient.
import type { Ty } from '../core/args.js';
import { T } from '../core/convert.js';
import { run1 } from '../core/dispatch.js';
import { DType, isComplex, isFloating, isInteger, PROTO_DTYPE } from '../core/dtype.js';
import { badArg, fail } from '../core/errors.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { Attrs, AttrSpec, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta } from '../core/tensor.js';
import { bool, defineOp, dtypeAttr, float, int, one, opFail, out, sameAsX, str } from './util.js';

const longs = (d?: number[]): AttrSpec => ({ type: 'longs', default: d });
const bools = (d?: boolean[]): AttrSpec => ({ type: 'bools', default: d });
const floats = (d?: number[]): AttrSpec => ({ type: 'floats', default: d });
const ints = (d?: number[]): AttrSpec => ({ type: 'ints', default: d });
const long = (d?: number): AttrSpec => ({ type: 'long', default: d });

/** The dtype attribute of a creation op (a proto number or a name), required to be one. */
export function outDtype(attrs: Attrs, op: string, dflt?: DType): DType {
  const d = dtypeAttr(attrs.dtype, op);
  if (d) return d;
  if (dflt) return dflt;
  return opFail(op, `attribute dtype=${String(attrs.dtype)} is not a dtype`);
}

/** Checks a shape attribute: every dim >= 0 (or -1 left for run time in static mode). */
export function checkShape(shape: readonly number[], op: string, name = 'shape'): void {
  if (!Array.isArray(shape)) opFail(op, `attribute ${name} must be a list of integers`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || d < 0)
      opFail(op, `each value of ${name} must be a non-negative integer, but got ${name}[${i}] = ${d} in ${showShape(shape)}`);
  }
}

/**
 * The output shape of an op with the ShapeTensor / ShapeTensorList / shape attr trio
 * (fill_constant, empty, uniform_random, gaussian_random, randint): from tensors, the dims are
 * known only at run time (-1 here; the kernel reads them).
 */
export function shapeFromInputs(ins: Slots<Meta>, attrs: Attrs, op: string): number[] {
  const st = ins.ShapeTensor?.[0];
  if (st) {
    if (st.dtype !== 'int32' && st.dtype !== 'int64') opFail(op, `input ShapeTensor must be int32 or int64, but got ${st.dtype}`);
    if (st.dims.length !== 1) opFail(op, `input ShapeTensor must be 1-D, but got shape ${showShape(st.dims)}`);
    return new Array<number>(Math.max(st.dims[0], 0)).fill(-1);
  }
  const list = ins.ShapeTensorList;
  if (list && list.length) {
    for (const t of list) if (t.dtype !== 'int32' && t.dtype !== 'int64') opFail(op, `inputs ShapeTensorList must be int32 or int64, but got ${t.dtype}`);
    // Paddle keeps the known dims of attr shape (-1 marks the ones given by tensors)
    const known = attrs.shape as number[] | undefined;
    if (known && known.length === list.length) return known.map((d) => (Number.isInteger(d) && d >= 0 ? d : -1));
    return new Array<number>(list.length).fill(-1);
  }
  const shape = (attrs.shape ?? []) as number[];
  checkShape(shape, op);
  return shape.slice();
}

const shapeSlots = ['ShapeTensor?!', 'ShapeTensorList[]?!'];

defineOp({
  type: 'fill_constant',
  inputs: ['ValueTensor?!', ...shapeSlots],
  outputs: ['Out'],
  attrs: {
    dtype: int(5),
    shape: longs([]),
    value: float(0),
    str_value: str(''),
    force_cpu: bool(false),
    place_type: int(-1),
  },
  infer: (ins, attrs) => {
    const op = 'fill_constant';
    const v = ins.ValueTensor?.[0];
    if (v && v.dims.every((d) => d >= 0) && v.dims.reduce((a, b) => a * b, 1) !== 1)
      opFail(op, `input ValueTensor must hold one value, but got shape ${showShape(v.dims)}`);
    return out(shapeFromInputs(ins, attrs, op), outDtype(attrs, op));
  },
});

/** The largest and smallest values of a dtype (fill_any_like checks its value fits). */
export function dtypeRange(d: DType): [number, number] {
  switch (d) {
    case 'bool': return [0, 1];
    case 'uint8': return [0, 255];
    case 'int8': return [-128, 127];
    case 'int16': return [-32768, 32767];
    case 'int32': return [-2147483648, 2147483647];
    case 'int64': return [-(2 ** 63), 2 ** 63];
    case 'float16': return [-65504, 65504];
    case 'float32': return [-3.4028234663852886e38, 3.4028234663852886e38];
    default: return [-Number.MAX_VALUE, Number.MAX_VALUE];
  }
}

defineOp({
  type: 'fill_any_like',
  inputs: ['X!'],
  outputs: ['Out'],
  attrs: { value: float(0), dtype: int(-1) },
  infer: (ins, attrs) => {
    const op = 'fill_any_like';
    const x = one(ins, 'X', op);
    const d = dtypeAttr(attrs.dtype, op) ?? x.dtype;
    const v = Number(attrs.value);
    if (Number.isNaN(v)) opFail(op, 'the fill value should not be NaN');
    if (!isComplex(d)) {
      const [lo, hi] = dtypeRange(d);
      if (Number.isFinite(v) && (v < lo || v > hi)) opFail(op, `the fill value ${v} is out of range for dtype ${d}`);
      if (!Number.isFinite(v) && !isFloating(d)) opFail(op, `the fill value ${v} is out of range for dtype ${d}`);
    }
    return out(x.dims.slice(), d);
  },
});

defineOp({
  type: 'empty',
  inputs: [...shapeSlots],
  outputs: ['Out'],
  attrs: { shape: longs([]), dtype: int(5) },
  infer: (ins, attrs) => out(shapeFromInputs(ins, attrs, 'empty'), outDtype(attrs, 'empty')),
});

defineOp({
  type: 'eye',
  inputs: [],
  outputs: ['Out'],
  attrs: { num_rows: long(), num_columns: long(-1), dtype: int(5) },
  infer: (_ins, attrs) => {
    const op = 'eye';
    const r = attrs.num_rows as number;
    let c = attrs.num_columns as number;
    if (!Number.isInteger(r) || r < 0) opFail(op, `num_rows must be a non-negative integer, but got ${r}`);
    if (c === -1) c = r;
    if (!Number.isInteger(c) || c < 0) opFail(op, `num_columns must be a non-negative integer, but got ${c}`);
    return out([r, c], outDtype(attrs, op));
  },
});

defineOp({
  type: 'range',
  inputs: ['Start!', 'End!', 'Step!'],
  outputs: ['Out'],
  infer: (ins) => {
    const op = 'range';
    const s = one(ins, 'Start', op);
    for (const k of ['Start', 'End', 'Step']) {
      const m = one(ins, k, op);
      if (m.dims.length !== 1 || (m.dims[0] !== 1 && m.dims[0] !== -1)) opFail(op, `input ${k} must have shape [1], but got ${showShape(m.dims)}`);
      if (m.dtype !== s.dtype) opFail(op, `inputs Start, End and Step must have the same dtype, but got ${s.dtype} and ${m.dtype}`);
    }
    if (!['float32', 'float64', 'int32', 'int64'].includes(s.dtype)) opFail(op, `dtype must be float32, float64, int32 or int64, but got ${s.dtype}`);
    return out([-1], s.dtype);
  },
});

defineOp({
  type: 'linspace',
  inputs: ['Start!', 'Stop!', 'Num!'],
  outputs: ['Out'],
  attrs: { dtype: int() },
  infer: (ins, attrs) => {
    const op = 'linspace';
    for (const k of ['Start', 'Stop', 'Num']) {
      const m = one(ins, k, op);
      if (m.dims.length !== 1 || (m.dims[0] !== 1 && m.dims[0] !== -1)) opFail(op, `input ${k} must have shape [1], but got ${showShape(m.dims)}`);
    }
    const num = one(ins, 'Num', op);
    if (num.dtype !== 'int32') opFail(op, `input Num must be int32, but got ${num.dtype}`);
    const d = outDtype(attrs, op);
    if (!['float32', 'float64', 'int32', 'int64'].includes(d)) opFail(op, `dtype must be float32, float64, int32 or int64, but got ${d}`);
    return out([-1], d);
  },
});

defineOp({
  type: 'assign',
  inputs: ['X'],
  outputs: ['Out'],
  infer: (ins, attrs) => sameAsX(ins, attrs, 'assign'),
  grad: (ctx) => ({ X: [ctx.needs('X') ? assignCall(ctx.outGrad('Out')) : null] }),
});

const assignCall = (x: Tensor): Tensor => run1('assign', { X: [x] });

defineOp({
  type: 'assign_value',
  inputs: [],
  outputs: ['Out'],
  attrs: { shape: ints([]), dtype: int(), bool_values: bools([]), fp32_values: floats([]), int32_values: ints([]), int64_values: longs([]) },
  infer: (_ins, attrs) => {
    const op = 'assign_value';
    const d = outDtype(attrs, op);
    const shape = attrs.shape as number[];
    checkShape(shape, op);
    const key = valuesKey(d);
    if (!key) opFail(op, `dtype must be bool, float32, int32 or int64, but got ${d}`);
    const n = shape.reduce((a, b) => a * b, 1);
    const vals = attrs[key] as unknown[];
    if (!Array.isArray(vals) || vals.length !== n)
      opFail(op, `attribute ${key} holds ${Array.isArray(vals) ? vals.length : 0} values but shape ${showShape(shape)} needs ${n}`);
    return out(shape.slice(), d);
  },
});

/** The assign_value attribute holding values of dtype d. */
export function valuesKey(d: DType): string | undefined {
  return d === 'bool' ? 'bool_values' : d === 'float32' ? 'fp32_values' : d === 'int32' ? 'int32_values' : d === 'int64' ? 'int64_values' : undefined;
}

// ---------------------------------------------------------------------------------------
// Helpers of the creation and random APIs (src/tensor/creation.ts, random.ts): shape
// arguments, dtype checks, and fill_constant calls.

/** A shape argument: ints, or Tensors (kept as Tensors in static mode, where they have no values yet). */
export type ShapeArg = number[] | Tensor | (number | Tensor)[];

/** The shape parameter type: a list of ints / 1-element int Tensors, or a 1-D int Tensor. */
export const shapeTy: Ty<ShapeArg, readonly (number | Tensor)[] | Tensor> = {
  desc: 'a shape (list of ints or an int Tensor)',
  parse(v, api, arg) {
    if (state.staticMode && (v instanceof Tensor || (Array.isArray(v) && v.some((x) => x instanceof Tensor)))) {
      if (v instanceof Tensor) {
        if (v.dtype !== 'int32' && v.dtype !== 'int64') return badArg(api, arg, 'a shape as an int32/int64 Tensor', v);
        return v;
      }
      for (const x of v as unknown[])
        if (!(x instanceof Tensor) && !(typeof x === 'number' && Number.isInteger(x))) return badArg(api, arg, 'a shape (list of ints or 1-element Tensors)', v);
      return (v as (number | Tensor)[]).slice();
    }
    return T.shape.parse(v, api, arg);
  },
};

/** The ShapeTensor / ShapeTensorList inputs and shape attribute of a shape argument. */
export function shapeInputs(shape: ShapeArg): { ins: Slots<Tensor>; attrs: Attrs } {
  if (shape instanceof Tensor) return { ins: { ShapeTensor: [shape] }, attrs: { shape: [] } };
  if (shape.some((x) => x instanceof Tensor)) {
    const list = shape.map((x) => (x instanceof Tensor ? x : fillConstant([1], 'int32', x)));
    return { ins: { ShapeTensorList: list }, attrs: { shape: shape.map((x) => (x instanceof Tensor ? -1 : x)) } };
  }
  return { ins: {}, attrs: { shape: (shape as number[]).slice() } };
}

/** Fails unless dtype d is one of `allowed`. */
export function checkDtype(api: string, arg: string, d: DType, allowed: readonly DType[]): void {
  if (!allowed.includes(d)) fail(api, `argument '${arg}' must be one of ${allowed.join(', ')}, but got ${d}`);
}


/** Python's str(float(v)) closely enough for the kernel to read back the same double. */
function floatStr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** fill_constant: a tensor of `shape` filled with `value` (Paddle's fluid.layers.fill_constant). */
export function fillConstant(shape: ShapeArg, dtype: DType, value: number | boolean | bigint | Tensor, api = 'paddle.full'): Tensor {
  const { ins, attrs } = shapeInputs(shape);
  attrs.dtype = PROTO_DTYPE[dtype];
  if (value instanceof Tensor) {
    if (value.size !== 1) fail(api, `the fill value Tensor must hold one value, but got shape [${value.dims}]`);
    ins.ValueTensor = [value];
  } else if (typeof value === 'bigint') {
    attrs.value = Number(value);
    attrs.str_value = isInteger(dtype) ? String(BigInt.asIntN(64, value)) : floatStr(Number(value));
  } else {
    const v = Number(value);
    if (isInteger(dtype)) {
      if (!Number.isFinite(v)) fail(api, `cannot fill an ${dtype} tensor with ${v}`);
      attrs.value = Math.trunc(v);
      attrs.str_value = BigInt(Math.trunc(v)).toString();
    } else {
      attrs.value = v;
      attrs.str_value = floatStr(v);
    }
  }
  return run1('fill_constant', ins, attrs);
}
