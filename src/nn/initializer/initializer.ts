// The base of every initializer (python/paddle/fluid/initializer.py at 2.0). An initializer
// is called on a parameter, `init(param)`, and fills it in place by running Paddle's own
// operator (fill_constant, uniform_random, gaussian_random, truncated_gaussian_random,
// assign_value) through dispatch; given a static Block it prepends that operator to the block
// instead, writing the variable, as Paddle's startup programs do.
import { defineApi, makeParser, p, type ArgsOf, type Param } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { withoutGrad } from '../../core/autograd.js';
import { DType, PROTO_DTYPE, convertStorage, isFloating } from '../../core/dtype.js';
import { dispatch } from '../../core/dispatch.js';
import { fail, UnimplementedError } from '../../core/errors.js';
import type { Attrs } from '../../core/registry.js';
import { sameShape, showShape } from '../../core/shape.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { generate } from '../../static/unique_name.js';

/** What an initializer needs of a static Block (src/static's Block has it). */
export interface BlockLike {
  program?: { random_seed?: number };
  create_var(opts: Record<string, unknown>): Tensor;
  append_op(spec: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; attrs?: Record<string, unknown> }): unknown;
  _prepend_op?(spec: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; attrs?: Record<string, unknown> }): unknown;
}

type AnyParam = Param<string, any, any, boolean>;
/** A parser for a constructor's arguments (positional, or keywords in a trailing object). */
export function parser<const P extends readonly AnyParam[]>(api: string, params: P): (args: readonly unknown[]) => ArgsOf<P> {
  const parse = makeParser(api, params);
  return (args) => parse(args) as ArgsOf<P>;
}

export interface Initializer {
  /** Fills `param` in place (dygraph) or appends its init operator to `block` (static). */
  (param: Tensor, block?: BlockLike | null): unknown;
}

/**
 * Base class of the initializers. Instances are callable: `init(param, block?)` runs
 * `__call__`. Subclasses implement `__call__`.
 */
export class Initializer {
  constructor() {
    const f = ((param: Tensor, block?: BlockLike | null) => (f as unknown as Initializer).__call__(param, block ?? null)) as unknown as Record<string, unknown>;
    // A callable instance: a function whose prototype chain is the subclass's.
    delete f.name;
    delete f.length;
    Object.setPrototypeOf(f, new.target.prototype);
    return f as unknown as Initializer;
  }

  /** Fills `param` (a Tensor/Parameter in dygraph, a Variable with `block` in static mode). */
  __call__(_param: Tensor, _block: BlockLike | null = null): unknown {
    return fail(`${this.constructor.name}.__call__`, 'this initializer does not implement __call__', UnimplementedError);
  }

  /** @internal The block to write to: null in dygraph; an error in static mode without one. */
  protected _check_block(block: BlockLike | null): BlockLike | null {
    if (block) return block;
    if (state.staticMode) fail(`${this.constructor.name}`, "The parameter 'block' is needed in static graph mode.");
    return null;
  }

  /** (fan_in, fan_out) of a shape as Paddle computes them; conv weights count the receptive field. */
  protected _compute_fans(v: { dims: readonly number[] }): [number, number] {
    return computeFans(v.dims);
  }

  get [Symbol.toStringTag](): string {
    return this.constructor.name;
  }
}

/**
 * Paddle's fans: [] -> (1, 1); [n] -> (n, n); [in, out] -> (in, out); conv [out, in, k...] ->
 * (in * prod(k), out * prod(k)).
 */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  let rf = 1;
  for (let i = 2; i < shape.length; i++) rf *= shape[i];
  return [shape[1] * rf, shape[0] * rf];
}

/** The Tensor an initializer was called on, checked. */
export function checkVar(v: unknown, api: string): Tensor {
  if (!(v instanceof Tensor)) fail(api, `an initializer is called on a parameter (Tensor), but got ${v === null ? 'None' : typeof v}`);
  return v;
}

/** Checks an initializer that draws floats is applied to a float tensor (Paddle's check_variable_and_dtype). */
export function checkFloatVar(v: Tensor, api: string, op: string): void {
  if (!isFloating(v.dtype))
    fail(api, `the data type of '${v.name}' in ${op} must be float16, float32 or float64, but received ${v.dtype}`);
}

/**
 * Writes `src` into `param` in place (same shape; converted to param's dtype): the dygraph
 * effect of an init operator whose output is the parameter itself.
 */
export function writeInto(param: Tensor, src: Tensor, api: string): void {
  if (!sameShape(param.dims, src.dims))
    fail(api, `the value has shape ${showShape(src.dims)} but the parameter '${param.name}' has shape ${showShape(param.dims)}`);
  const data = src.dtype === param.dtype ? src.data : convertStorage(src.data, src.dtype, param.dtype);
  if (data.length === param.data.length && data.constructor === param.data.constructor && data !== param.data)
    (param.data as Float64Array).set(data as Float64Array);
  else if (data !== param.data) param.data = data;
  param.ver.v++;
}

/**
 * Runs init operator `type` for `v`: in dygraph (block null) computes it and writes the result
 * into v; with a block prepends it to the block with v as its output. `outDtype` is the
 * dtype the op produces (Paddle produces float32 and casts when the op cannot make v's dtype).
 */
export function runInitOp(v: Tensor, block: BlockLike | null, type: string, attrs: Attrs, api: string, outDtype: DType = v.dtype, tmpKey = type): unknown {
  const a: Attrs = { ...attrs, dtype: PROTO_DTYPE[outDtype] };
  if (!block) {
    const r = withoutGrad(() => dispatch(type, {}, a)).Out[0];
    writeInto(v, r, api);
    return null;
  }
  const prepend = (spec: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; attrs?: Record<string, unknown> }) =>
    block._prepend_op ? block._prepend_op(spec) : block.append_op(spec);
  if (outDtype === v.dtype) return prepend({ type, inputs: {}, outputs: { Out: [v] }, attrs: a });
  const tmp = block.create_var({
    name: generate(`${tmpKey}.${v.name}.tmp`),
    shape: v.dims.slice(),
    dtype: outDtype,
    persistable: false,
  });
  const op = prepend({ type, inputs: {}, outputs: { Out: [tmp] }, attrs: a });
  block.append_op({ type: 'cast', inputs: { X: [tmp] }, outputs: { Out: [v] }, attrs: { in_dtype: PROTO_DTYPE[outDtype], out_dtype: PROTO_DTYPE[v.dtype] } });
  return op;
}

/** The seed attribute: the initializer's own, or (when 0) the block's program seed. */
export function seedFor(seed: number, block: BlockLike | null): number {
  if (seed === 0 && block) return block.program?.random_seed ?? 0;
  return seed;
}

// ---------------------------------------------------------------------------------------
// set_global_initializer

let globalWeight: Initializer | null = null;
let globalBias: Initializer | null = null;

const initOrNone = T.nullable(T.instance(Initializer, 'an Initializer'));

/**
 * Sets the initializers every parameter created afterwards uses instead of the layer's
 * default (weights: `weight_init`; biases: `bias_init`); `null` restores the defaults.
 * A ParamAttr's own initializer still wins.
 * @param weight_init Initializer for weights, or null
 * @param bias_init Initializer for biases, or null
 * @example paddle.nn.initializer.set_global_initializer(new nn.initializer.Uniform(), new nn.initializer.Constant())
 */
export const set_global_initializer = defineApi(
  'paddle.nn.initializer.set_global_initializer',
  [p('weight_init', initOrNone), p('bias_init', initOrNone, null)],
  (a): void => {
    globalWeight = a.weight_init;
    globalBias = a.bias_init;
  },
);
/** @internal The global weight initializer, if set. */
export function _global_weight_initializer(): Initializer | null {
  return globalWeight;
}
/** @internal The global bias initializer, if set. */
export function _global_bias_initializer(): Initializer | null {
  return globalBias;
}
