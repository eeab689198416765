// paddle.fluid.layers: what the fluid layer functions share (Paddle 2.0's LayerHelper: the layer
// name, parameters, `act`, outputs written into given variables, argument checks), and the
// comparison and `increment` functions of python/paddle/fluid/layers/control_flow.py.
import { defineApi, p, type Ty } from '../../core/args.js';
import { T, tensorToNumbers } from '../../core/convert.js';
import { PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { dispatch, run1, writeInPlace } from '../../core/dispatch.js';
import { badArg, describe, fail } from '../../core/errors.js';
import type { Attrs, Slots } from '../../core/registry.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import type { Initializer } from '../../nn/initializer/initializer.js';
import { createParameter, type ParamBase } from '../../nn/parameter.js';
import { Variable } from '../../static/framework.js';
import { appendState, default_main_program } from '../../static/mode.js';
import { generate } from '../../static/unique_name.js';

export const L = 'paddle.fluid.layers.';
export const nameP = p('name', T.nullable(T.str), null);

/** The layer's name: `name`, or a generated `<layerType>_N` (LayerHelper's). */
export function layerName(layerType: string, name: string | null | undefined): string {
  return name ?? generate(layerType);
}

/** A parameter of a fluid layer (LayerHelper.create_parameter): `<layer>.w_N` / `<layer>.b_N`. */
export function param(layer: string, attr: unknown, shape: number[], dtype: DType, isBias: boolean, api: string, init: Initializer | null = null): ParamBase | null {
  return createParameter(layer, attr, shape, dtype, isBias, init, api);
}

/** Fails unless `t` has one of the dtypes (check_variable_and_dtype). */
export function checkDtype(api: string, arg: string, t: Tensor, allowed: readonly DType[]): void {
  if (!(t instanceof Tensor)) badArg(api, arg, 'a Tensor (Variable)', t);
  if (!allowed.includes(t.dtype)) fail(api, `The data type of '${arg}' must be one of ${allowed.join(', ')}, but received ${t.dtype}`);
}

/** `act`: an activation operator type, or `{ type, ...attrs }`, or null. */
export const actTy: Ty<string | Record<string, unknown> | null> = {
  desc: "an activation name (such as 'relu') or None",
  dict: true,
  parse(v, api, arg) {
    if (v === null || typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string') return v as Record<string, unknown>;
    return badArg(api, arg, "an activation name (such as 'relu'), a dict with 'type', or None", v);
  },
};

/** Appends the activation `act` to `x` (LayerHelper.append_activation): the op of that type on X. */
export function appendAct(x: Tensor, act: string | Record<string, unknown> | null | undefined, extra: Attrs = {}): Tensor {
  if (act === null || act === undefined) return x;
  const { type, ...attrs } = typeof act === 'string' ? { type: act } : (act as { type: string });
  return run1(type, { X: [x] }, { ...extra, ...attrs });
}

/**
 * Runs operator `type` with its output slot `slot` written into `target` (Paddle's `out=`
 * arguments). In static mode the operator names `target` as its output; in dygraph the result
 * replaces target's value in place.
 */
export function runInto(type: string, ins: Slots<Tensor>, attrs: Attrs, slot: string, target: Tensor, api: string): Tensor {
  if (state.staticMode && target instanceof Variable) {
    const block = default_main_program().current_block();
    const inputs: Record<string, Variable[]> = {};
    for (const [k, v] of Object.entries(ins)) if (v.length) inputs[k] = v as Variable[];
    block.append_op({ type, inputs, outputs: { [slot]: [target] }, attrs: { ...attrs, op_role: appendState.role } });
    return target;
  }
  if (target.node === null && !target.stop_gradient) {
    // a parameter (a leaf that needs gradients): its value is replaced outside autograd, as
    // Paddle's operator writing into the parameter's variable does
    const prev = state.gradEnabled;
    state.gradEnabled = false;
    try {
      const r = dispatch(type, ins, attrs)[slot][0];
      target.data = r.data === target.data ? r.data : r.data.slice();
      target.dims = r.dims.slice();
      target.dtype = r.dtype;
      target.ver.v++;
      return target;
    } finally {
      state.gradEnabled = prev;
    }
  }
  return writeInPlace(target, api, () => dispatch(type, ins, attrs)[slot][0]);
}

/** A fill_constant of `shape` (used for scalar operands). */
export function constant(shape: number[], dtype: DType, value: number): Tensor {
  const intLike = dtype === 'int32' || dtype === 'int64';
  return run1('fill_constant', {}, { shape, dtype: PROTO_DTYPE[dtype], value, str_value: intLike ? String(Math.trunc(value)) : String(value) });
}

/** An int or a list of `n` ints (utils.convert_to_list). */
export function toList(api: string, arg: string, v: unknown, n: number): number[] {
  if (typeof v === 'number' && Number.isInteger(v)) return new Array<number>(n).fill(v);
  if (Array.isArray(v) && v.length === n && v.every((x) => Number.isInteger(x))) return (v as number[]).slice();
  return fail(api, `The ${arg}'s type must be list or tuple of ${n} integers, or an integer. Received: ${describe(v)}`);
}

/** Tensor or list of Tensors. */
export const tensorOrList: Ty<Tensor | Tensor[]> = {
  desc: 'a Tensor or a list of Tensors',
  parse(v, api, arg) {
    if (v instanceof Tensor) return v;
    if (Array.isArray(v) && v.length > 0 && v.every((x) => x instanceof Tensor)) return (v as Tensor[]).slice();
    return badArg(api, arg, 'a Tensor or a non-empty list of Tensors', v);
  },
};

// ---- comparisons (control_flow.py) ------------------------------------------------------------

const CMP_DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];

function compare(op: string, a: { x: Tensor; y: Tensor; cond: Tensor | null; force_cpu?: boolean | null }): Tensor {
  const api = `${L}${op}`;
  checkDtype(api, 'x', a.x, CMP_DTYPES);
  checkDtype(api, 'y', a.y, CMP_DTYPES);
  const attrs: Attrs = {};
  if (a.force_cpu !== null && a.force_cpu !== undefined) attrs.force_cpu = a.force_cpu;
  if (a.cond) {
    checkDtype(api, 'cond', a.cond, ['bool']);
    return runInto(op, { X: [a.x], Y: [a.y] }, attrs, 'Out', a.cond, api);
  }
  const out = run1(op, { X: [a.x], Y: [a.y] }, attrs);
  out.stop_gradient = true;
  return out;
}

/**
 * x < y elementwise (bool), appending `less_than`; `cond` receives the result when given.
 * @param x float32/float64/int32/int64 Tensor
 * @param y Tensor of x's dtype (broadcast NumPy-style)
 * @param force_cpu keep the result on the CPU (always so here)
 * @param cond an existing bool Tensor to write into
 * @example fluid.layers.less_than(paddle.to_tensor([1, 2]), paddle.to_tensor([2, 2]))  // [true, false]
 */
export const less_than = defineApi(
  `${L}less_than`,
  [p('x', T.tensor), p('y', T.tensor), p('force_cpu', T.nullable(T.bool), null), p('cond', T.nullable(T.tensor), null), nameP],
  (a) => compare('less_than', a),
);
const cmpParams = [p('x', T.tensor), p('y', T.tensor), p('cond', T.nullable(T.tensor), null), nameP] as const;
/** x <= y elementwise (bool), appending `less_equal`. @example fluid.layers.less_equal(x, y) */
export const less_equal = defineApi(`${L}less_equal`, cmpParams, (a) => compare('less_equal', a));
/** x > y elementwise (bool), appending `greater_than`. @example fluid.layers.greater_than(x, y) */
export const greater_than = defineApi(`${L}greater_than`, cmpParams, (a) => compare('greater_than', a));
/** x >= y elementwise (bool), appending `greater_equal`. @example fluid.layers.greater_equal(x, y) */
export const greater_equal = defineApi(`${L}greater_equal`, cmpParams, (a) => compare('greater_equal', a));
/** x == y elementwise (bool), appending `equal`. @example fluid.layers.equal(x, y) */
export const equal = defineApi(`${L}equal`, cmpParams, (a) => compare('equal', a));
/** x != y elementwise (bool), appending `not_equal`. @example fluid.layers.not_equal(x, y) */
export const not_equal = defineApi(`${L}not_equal`, cmpParams, (a) => compare('not_equal', a));

/**
 * Adds `value` to a one-element tensor, appending `increment`. With in_place (the default) the
 * result is written into x itself (the operator's Out is X), as fluid's loop counters do.
 * @param x a Tensor of one element (float32, float64, int32 or int64)
 * @param value the step
 * @param in_place whether to update x
 * @example const i = fluid.layers.fill_constant([1], 'int64', 0); fluid.layers.increment(i)  // i is [1]
 */
export const increment = defineApi(
  `${L}increment`,
  [p('x', T.tensor), p('value', T.float, 1.0), p('in_place', T.bool, true)],
  (a): Tensor => {
    const api = `${L}increment`;
    checkDtype(api, 'x', a.x, CMP_DTYPES);
    const attrs = { step: a.value };
    if (!a.in_place) return run1('increment', { X: [a.x] }, attrs);
    if (state.staticMode) return runInto('increment', { X: [a.x] }, attrs, 'Out', a.x, api);
    // dygraph: the counter is updated in place, outside autograd (increment has no gradient)
    const r = run1('increment', { X: [a.x] }, attrs);
    (a.x.data as Float64Array).set(r.data as Float64Array);
    a.x.ver.v++;
    return a.x;
  },
);

// ---- int-list arguments that may hold Tensors ----------------------------------------------------

/** A list of ints whose entries may be 1-element int Tensors, or an int Tensor. */
export type IntsArg = (number | Tensor)[] | Tensor;
const isIntTensor = (v: unknown): v is Tensor => v instanceof Tensor && (v.dtype === 'int32' || v.dtype === 'int64');

/** The parameter type of an IntsArg (`single` also takes one int). */
export function intsTy(single = false): Ty<IntsArg> {
  const desc = `${single ? 'an integer, ' : ''}a list of integers (entries may be 1-element int Tensors) or an int Tensor`;
  return {
    desc,
    parse(v, api, arg) {
      if (single && typeof v === 'number' && Number.isInteger(v)) return [v];
      if (isIntTensor(v)) return v;
      if (Array.isArray(v) && v.every((x) => (typeof x === 'number' && Number.isInteger(x)) || isIntTensor(x))) return v.slice() as (number | Tensor)[];
      return badArg(api, arg, desc, v);
    },
  };
}

/** An IntsArg resolved: values in dygraph; in static mode the Tensor / per-entry Tensors stay. */
export interface ResolvedInts {
  /** The values, or (static mode) the attribute with -1 where a Tensor stands. */
  attr: number[];
  tensor?: Tensor;
  list?: Tensor[];
}
export function resolveInts(v: IntsArg): ResolvedInts {
  if (v instanceof Tensor) return state.staticMode ? { attr: [], tensor: v } : { attr: tensorToNumbers(v) };
  if (!v.some((x) => x instanceof Tensor)) return { attr: v as number[] };
  if (!state.staticMode) return { attr: v.map((x) => (x instanceof Tensor ? tensorToNumbers(x)[0] : x)) };
  const list = v.map((x) => {
    if (x instanceof Tensor) {
      x.stop_gradient = true;
      return x;
    }
    return run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE.int32, value: x, str_value: String(x), force_cpu: true });
  });
  return { attr: v.map((x) => (x instanceof Tensor ? -1 : x)), list };
}
/** Op inputs of a resolved list: `tensorSlot` for a whole Tensor, `listSlot` for per-entry Tensors. */
export function intInputs(r: ResolvedInts, tensorSlot: string | null, listSlot: string | null): Slots<Tensor> {
  const ins: Slots<Tensor> = {};
  if (r.tensor && tensorSlot) ins[tensorSlot] = [r.tensor];
  if (r.list && listSlot) ins[listSlot] = r.list;
  return ins;
}
