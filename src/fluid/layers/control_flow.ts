// paddle.fluid.layers control flow (Paddle 2.0's python/paddle/fluid/layers/control_flow.py):
// tensor arrays (create_array, array_write, array_read, array_length, tensor_array_to_tensor),
// cond, case, switch_case, while_loop, While, Switch, IfElse, StaticRNN and DynamicRNN.
//
// In dygraph they run as ordinary JS control flow on tensor values, as 2.0's dygraph does for
// cond / while_loop (arrays are JS lists); Switch, IfElse and While run their callbacks
// directly too. In static mode they build sub-blocks run by Paddle's conditional_block,
// while, select_input and recurrent operators, and append_backward differentiates through
// them (src/static/control_flow_exec.ts).
//
// Python's `with` blocks are callbacks here: `while_op.block(() => {...})`,
// `rnn.step(() => {...})`, `drnn.block(() => {...})`, `ie.true_block(() => {...})`,
// `sw.guard(() => { sw.case(c, () => {...}); sw.default(() => {...}); })`. Objects Python
// calls (`rnn()`, `ie()`, `drnn()`) are callable.
import { defineApi, p, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { badArg, describe, fail, InvalidArgumentError, PreconditionNotMetError } from '../../core/errors.js';
import { numel } from '../../core/shape.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { map_structure } from '../../nn/decode.js';
import { Block, Variable } from '../../static/framework.js';
import { appendState, default_main_program } from '../../static/mode.js';
import { generate } from '../../static/unique_name.js';
import { cast, concat as concatT, stack as stackT } from '../../tensor/manipulation.js';
import { logical_and, logical_not } from '../../tensor/logic.js';
import { checkDtype, equal, increment, L, less_than, nameP } from './misc.js';
import { assign, fill_constant } from './tensor.js';

// ---- helpers --------------------------------------------------------------------------------------

const prog = () => default_main_program();
const curBlock = (): Block => prog().current_block();
const parentOf = (b: Block): Block => b.program.block(b.parent_idx);
const isVar = (v: unknown): v is Variable => v instanceof Variable;
const isArrayVar = (v: unknown): boolean => v instanceof Variable && v.type === 'LOD_TENSOR_ARRAY';

/** Appends an operator to `block` with the current op role. */
function appendOp(block: Block, spec: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; attrs?: Record<string, unknown> }) {
  return block.append_op({ ...spec, attrs: { ...(spec.attrs ?? {}), op_role: appendState.role } } as Parameters<Block['append_op']>[0]);
}
/** Runs fn inside a new sub-block of the current block; `complete` runs before leaving it. */
function inSubBlock<R>(fn: () => R, complete: (inside: Block, parent: Block, result: R) => void): R {
  const program = prog();
  const inside = program._create_block();
  try {
    const r = fn();
    complete(inside, parentOf(inside), r);
    return r;
  } finally {
    program._rollback();
  }
}

/** A one-element tensor's value as a boolean (dygraph). */
function boolOf(t: Tensor, api: string, arg: string): boolean {
  if (!(t instanceof Tensor)) badArg(api, arg, 'a bool Tensor', t);
  if (t.size !== 1) fail(api, `${arg} must hold exactly one element, but has shape [${t.shape}]`, InvalidArgumentError);
  return Number(t.data[0]) !== 0;
}
function indexOf(i: Tensor, api: string): number {
  if (!(i instanceof Tensor)) badArg(api, 'i', 'an int64 Tensor of shape [1]', i);
  if (i.dims.length !== 1 || i.dims[0] !== 1) fail(api, `The shape of index 'i' should be [1] in dygraph mode, but got [${i.shape}]`, InvalidArgumentError);
  return Number(i.data[0]);
}

/**
 * Paddle's get_inputs_outputs_in_block: the names the block's operators read that no earlier
 * operator of the block produced, and every name they write; arrays created in the block are
 * not inputs.
 */
function blockIO(block: Block, inputs: Set<string>, outputs: Set<string>): [Set<string>, Set<string>] {
  for (const op of block.ops) {
    for (const n of op.input_arg_names) if (!outputs.has(n)) inputs.add(n);
    for (const n of op.output_arg_names) outputs.add(n);
  }
  const parent = parentOf(block);
  for (const n of [...inputs]) {
    const here = block.vars.get(n);
    if (!parent._find_var_recursive(n) && here?.type === 'LOD_TENSOR_ARRAY') inputs.delete(n);
  }
  return [inputs, outputs];
}

// ---- tensor arrays ---------------------------------------------------------------------------------

/**
 * An empty LoDTensorArray of `dtype`: in dygraph a JS list, in static mode a LOD_TENSOR_ARRAY
 * variable (`array_N.out`).
 * @param dtype the element dtype
 * @example const arr = fluid.layers.create_array('float32')
 */
export const create_array = defineApi(`${L}create_array`, [p('dtype', T.dtype)], (a): Variable | Tensor[] => {
  if (!state.staticMode) return [];
  return curBlock().create_var({ name: `${generate('array')}.out`, type: 'LOD_TENSOR_ARRAY', dtype: a.dtype });
});

const arrayTy: Ty<Variable | Tensor[] | null> = {
  desc: 'a tensor array (create_array) or None',
  parse(v, api, arg) {
    if (v === null || Array.isArray(v) || v instanceof Variable) return v as Variable | Tensor[] | null;
    return badArg(api, arg, 'a tensor array (create_array)', v);
  },
};

/**
 * Writes x at position i of a LoDTensorArray (created when `array` is None), growing it, and
 * returns the array (operator `write_to_array`).
 * @param x the tensor to write
 * @param i an int64 Tensor of shape [1]
 * @param array the array (default: a new one)
 * @example arr = fluid.layers.array_write(x, i, arr)
 */
export const array_write = defineApi(
  `${L}array_write`,
  [p('x', T.tensor), p('i', T.tensor), p('array', arrayTy, null)],
  (a): Variable | Tensor[] => {
    const api = `${L}array_write`;
    if (!state.staticMode) {
      const i = indexOf(a.i, api);
      const arr = (a.array ?? []) as Tensor[];
      if (!Array.isArray(arr)) fail(api, "The 'array' in array_write must be a list in dygraph mode", InvalidArgumentError);
      if (!(i <= arr.length)) fail(api, `The index 'i' (${i}) should not be greater than the length of 'array' (${arr.length}) in dygraph mode`, InvalidArgumentError);
      if (i < arr.length) arr[i] = a.x;
      else arr.push(a.x);
      return arr;
    }
    checkDtype(api, 'i', a.i, ['int64']);
    if (a.array !== null && !isArrayVar(a.array)) fail(api, 'array should be tensor array vairable in array_write Op', InvalidArgumentError);
    const block = curBlock();
    const arr = (a.array as Variable | null) ?? block.create_var({ name: `${generate('array_write')}.out`, type: 'LOD_TENSOR_ARRAY', dtype: a.x.dtype });
    appendOp(block, { type: 'write_to_array', inputs: { X: [a.x], I: [a.i] }, outputs: { Out: [arr] } });
    if (!arr.dims.length && a.x.dims.length) arr.dims = a.x.dims.slice();
    return arr;
  },
);

/**
 * Element i of a LoDTensorArray (operator `read_from_array`).
 * @param array the array
 * @param i an int64 Tensor of shape [1]
 * @example const x = fluid.layers.array_read(arr, i)
 */
export const array_read = defineApi(`${L}array_read`, [p('array', arrayTy), p('i', T.tensor)], (a): Tensor => {
  const api = `${L}array_read`;
  if (!state.staticMode) {
    if (!Array.isArray(a.array)) fail(api, "The 'array' in array_read must be list in dygraph mode", InvalidArgumentError);
    const i = indexOf(a.i, api);
    const t = a.array[i];
    if (!t) fail(api, `index ${i} is out of the array's range (it has ${a.array.length} element(s))`, InvalidArgumentError);
    return t;
  }
  checkDtype(api, 'i', a.i, ['int64']);
  if (!isArrayVar(a.array)) fail(api, 'array should be tensor array vairable', InvalidArgumentError);
  return run1('read_from_array', { X: [a.array as Variable], I: [a.i] }, {});
});

/**
 * The number of elements of a LoDTensorArray: an int64 Tensor [1] in static mode (operator
 * `lod_array_length`), a number in dygraph.
 * @param array the array
 * @example const n = fluid.layers.array_length(arr)
 */
export const array_length = defineApi(`${L}array_length`, [p('array', arrayTy)], (a): Tensor | number => {
  const api = `${L}array_length`;
  if (!state.staticMode) {
    if (!Array.isArray(a.array)) fail(api, "The 'array' in array_write must be a list in dygraph mode", InvalidArgumentError);
    return a.array.length;
  }
  if (!isArrayVar(a.array)) fail(api, 'array should be tensor array vairable in array_length Op', InvalidArgumentError);
  const out = run1('lod_array_length', { X: [a.array as Variable] }, {});
  out.stop_gradient = true;
  return out;
});

/**
 * Concatenates (or, with use_stack, stacks) the elements of a LoDTensorArray along `axis`, and
 * gives each element's size along it (int32) (operator `tensor_array_to_tensor`).
 * @param input the array (a list of Tensors in dygraph)
 * @param axis the axis
 * @param use_stack stack on a new axis instead
 * @example const [out, index] = fluid.layers.tensor_array_to_tensor(arr, 1)
 */
export const tensor_array_to_tensor = defineApi(
  `${L}tensor_array_to_tensor`,
  [p('input', arrayTy), p('axis', T.int, 1), nameP, p('use_stack', T.bool, false)],
  (a): [Tensor, Tensor] => {
    const api = `${L}tensor_array_to_tensor`;
    if (!state.staticMode) {
      const list = a.input as Tensor[];
      if (!Array.isArray(list) || !list.length) fail(api, "The 'input' in tensor_array_to_tensor must be a non-empty list in dygraph mode", InvalidArgumentError);
      const out = a.use_stack ? stackT(list, a.axis) : concatT(list, a.axis);
      const sizes = list.map((t) => (a.use_stack ? 1 : t.dims[a.axis < 0 ? a.axis + t.dims.length : a.axis]));
      return [out, new Tensor(Int32Array.from(sizes), [sizes.length], 'int32')];
    }
    if (!isArrayVar(a.input)) fail(api, 'input should be a tensor array variable (create_array / array_write)', InvalidArgumentError);
    const r = dispatch('tensor_array_to_tensor', { X: [a.input as Variable] }, { axis: a.axis, use_stack: a.use_stack });
    return [r.Out[0], r.OutIndex[0]];
  },
);

// ---- select / arrays <-> LoD (internal, as in control_flow.py) --------------------------------------

function selectInput(inputs: Variable[], mask: Tensor): Variable {
  const block = curBlock();
  const x0 = inputs[0];
  const out = block.create_var({ name: `${generate('select_input')}.tmp_0`, dtype: x0.dtype, shape: x0.dims, type: x0.type, lod_level: x0.lod_level });
  appendOp(block, { type: 'select_input', inputs: { X: inputs, Mask: [mask] }, outputs: { Out: [out] } });
  return out;
}

function lodTensorToArray(x: Tensor, table: Tensor): Variable {
  const block = curBlock();
  const arr = block.create_var({ name: generate('lod_tensor_to_array'), type: 'LOD_TENSOR_ARRAY', dtype: x.dtype, shape: x.dims });
  appendOp(block, { type: 'lod_tensor_to_array', inputs: { X: [x], RankTable: [table] }, outputs: { Out: [arr] } });
  return arr;
}
function arrayToLodTensor(x: Variable, table: Tensor): Tensor {
  return run1('array_to_lod_tensor', { X: [x], RankTable: [table] }, {});
}
function shrinkMemory(x: Tensor, i: Tensor, table: Tensor): Tensor {
  return run1('shrink_rnn_memory', { X: [x], I: [i], RankTable: [table] }, {});
}

// ---- ConditionalBlock (internal) ----------------------------------------------------------------------

/**
 * Runs `fn` in a sub-block executed by a `conditional_block` operator when `conds` hold (one
 * bool for is_scalar_condition; otherwise when every input of the block is non-empty).
 */
function conditionalBlock<R>(conds: Tensor[], isScalar: boolean, fn: () => R): R {
  return inSubBlock(fn, (inside, parent) => {
    const [params, inter] = blockIO(inside, new Set(), new Set());
    const paramVars = [...params].map((n) => parent._find_var_recursive(n)).filter((v): v is Variable => !!v);
    const outs = [...inter].map((n) => parent._find_var_recursive(n)).filter((v): v is Variable => !!v);
    const scope = parent.create_var({ name: generate('_generated_var'), type: 'STEP_SCOPES' });
    appendOp(parent, {
      type: 'conditional_block',
      inputs: { Cond: conds, Input: paramVars },
      outputs: { Out: outs, Scope: [scope] },
      attrs: { sub_block: inside, is_scalar_condition: isScalar },
    });
  });
}

/** Copies a sub-block's result into a new variable of the parent block (copy_var_to_parent_block). */
function copyToParent(v: unknown, api: string): Variable | null {
  if (v === null || v === undefined) return null;
  if (!(v instanceof Tensor)) return fail(api, `true_fn and false_fn must return Tensors (or nested lists of them), but got ${describe(v)}`, InvalidArgumentError);
  const block = curBlock();
  const parent = parentOf(block);
  const src = isVar(v) ? v : (run1('assign', { X: [v] }, {}) as Variable);
  if (src.type === 'LOD_TENSOR_ARRAY' && parent._find_var_recursive(src.name)) return src;
  const out = parent.create_var({ name: generate('_generated_var'), dtype: src.dtype, shape: src.dims, type: src.type, lod_level: src.lod_level });
  appendOp(block, { type: 'assign', inputs: { X: [src] }, outputs: { Out: [out] } });
  return out;
}

// ---- cond / case / switch_case -------------------------------------------------------------------------

const fnTy: Ty<((...a: any[]) => any) | null> = {
  desc: 'a callable or None',
  parse(v, api, arg) {
    if (v === null || typeof v === 'function') return v as ((...a: any[]) => any) | null;
    return fail(api, `The ${arg} in cond must be callable, but received ${describe(v)}`, InvalidArgumentError);
  },
};

function sameStructure(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameStructure(x, b[i]));
  return !Array.isArray(a) && !Array.isArray(b);
}

/**
 * Runs true_fn() when the one-element bool `pred` is true, else false_fn(); both must return
 * the same structure of Tensors (or both nothing). In dygraph this is a plain `if`; in static
 * mode both branches become sub-blocks (conditional_block) and the results are merged with
 * select_input.
 * @param pred a bool Tensor of one element
 * @param true_fn the branch for true (or None)
 * @param false_fn the branch for false (or None)
 * @example const y = fluid.layers.cond(paddle.less_than(a, b), () => a.add(b), () => a.subtract(b))
 */
export const cond = defineApi(
  `${L}cond`,
  [p('pred', T.tensor), p('true_fn', fnTy, null), p('false_fn', fnTy, null), nameP],
  (a): any => {
    const api = `${L}cond`;
    if (!state.staticMode) {
      if (a.pred.size !== 1) fail(api, "condition input's numel should be 1", InvalidArgumentError);
      const fn = boolOf(a.pred, api, 'pred') ? a.true_fn : a.false_fn;
      return fn ? fn() : null;
    }
    checkDtype(api, 'pred', a.pred, ['bool']);
    let trueOut: unknown = null;
    let falseOut: unknown = null;
    const copy = (v: unknown): Variable | null => copyToParent(v, api);
    if (a.true_fn) {
      const fn = a.true_fn;
      trueOut = conditionalBlock([a.pred], true, () => {
        const o = fn();
        return o === null || o === undefined ? null : map_structure(copy, o);
      });
    }
    if (a.false_fn) {
      const fn = a.false_fn;
      const notPred = logical_not(a.pred);
      falseOut = conditionalBlock([notPred], true, () => {
        const o = fn();
        return o === null || o === undefined ? null : map_structure(copy, o);
      });
    }
    if (trueOut === null && falseOut === null) return null;
    if (trueOut === null) fail(api, 'Incompatible return values of true_fn and false_fn in cond: true_fn returns None while false_fn returns non-None', InvalidArgumentError);
    if (falseOut === null) fail(api, 'Incompatible return values of true_fn and false_fn in cond: true_fn returns non-None while false_fn returns None', InvalidArgumentError);
    if (!sameStructure(trueOut, falseOut)) fail(api, 'Incompatible return values of true_fn and false_fn in cond: they must return the same structure (number and nesting of Tensors)', InvalidArgumentError);
    const mask = cast(a.pred, 'int32');
    return map_structure((f: Variable, t: Variable) => selectInput([f, t], mask), falseOut, trueOut);
  },
);

/**
 * An if-elif-else chain: the function of the first pair whose pred is true, else `default`
 * (or the last pair's function), each through cond.
 * @param pred_fn_pairs a list of [pred, fn] pairs
 * @param default the function when no pred holds
 * @example fluid.layers.case([[p1, f1], [p2, f2]], f3)
 */
const case_ = defineApi(
  `${L}case`,
  [p('pred_fn_pairs', T.any), p('default', fnTy, null), nameP],
  (a): any => {
    const api = `${L}case`;
    if (!Array.isArray(a.pred_fn_pairs)) badArg(api, 'pred_fn_pairs', 'a list of [pred, fn] pairs', a.pred_fn_pairs);
    const pairs = (a.pred_fn_pairs as unknown[]).map((pf) => {
      if (!Array.isArray(pf) || pf.length !== 2) return fail(api, `The elements' type of 'pred_fn_pairs' in case must be a 2-element list, but received: ${describe(pf)}.`, InvalidArgumentError);
      if (!(pf[0] instanceof Tensor)) return fail(api, `The pred's type of 'pred_fn_pairs' in case must be a boolean Tensor, but received: ${describe(pf[0])}.`, InvalidArgumentError);
      if (typeof pf[1] !== 'function') return fail(api, "The fn of 'pred_fn_pairs' in case must be callable.", InvalidArgumentError);
      return pf as [Tensor, () => unknown];
    });
    let dflt = a.default;
    if (!dflt) {
      if (!pairs.length) fail(api, 'pred_fn_pairs must not be empty when there is no default', InvalidArgumentError);
      dflt = pairs.pop()![1];
    }
    let falseFn: () => unknown = dflt;
    for (const [pred, fn] of pairs.reverse()) {
      const f = falseFn;
      falseFn = () => cond(pred, fn, f);
    }
    return falseFn();
  },
);

/**
 * Runs the function whose key equals `branch_index` (a C-style switch), else `default` (or the
 * function with the largest key), through cond.
 * @param branch_index an int32/int64/uint8 Tensor [1]
 * @param branch_fns a list of functions (keys 0, 1, ...), a list of [key, fn] pairs, or a dict key -> fn
 * @param default the function when no key matches
 * @example fluid.layers.switch_case(idx, { 1: f1, 2: f2 }, f3)
 */
export const switch_case = defineApi(
  `${L}switch_case`,
  [p('branch_index', T.tensor), p('branch_fns', T.union(T.dict, T.any)), p('default', fnTy, null), nameP],
  (a): any => {
    const api = `${L}switch_case`;
    checkDtype(api, 'branch_index', a.branch_index, ['uint8', 'int32', 'int64']);
    const idx = a.branch_index.dtype === 'int64' ? a.branch_index : cast(a.branch_index, 'int64');
    const fns = a.branch_fns as unknown;
    let pairs: [number, () => unknown][];
    if (Array.isArray(fns)) pairs = fns.every((f) => typeof f === 'function') ? fns.map((f, i) => [i, f]) : (fns as [number, () => unknown][]);
    else if (fns && typeof fns === 'object') pairs = Object.entries(fns as Record<string, () => unknown>).map(([k, f]) => [Number(k), f]);
    else return badArg(api, 'branch_fns', 'a list or a dict of functions', fns);
    const seen = new Set<number>();
    for (const pr of pairs) {
      if (!Array.isArray(pr) || pr.length !== 2) fail(api, "The elements' type of 'branch_fns' in switch_case must be a 2-element list", InvalidArgumentError);
      if (!Number.isInteger(pr[0])) fail(api, `The key's type of 'branch_fns' in switch_case must be int, but received: ${describe(pr[0])}.`, InvalidArgumentError);
      if (seen.has(pr[0])) fail(api, `The key in 'branch_fns' must be unique, but '${pr[0]}' appears more than once.`, InvalidArgumentError);
      seen.add(pr[0]);
      if (typeof pr[1] !== 'function') fail(api, `The type of function for key ${pr[0]} of 'branch_fns' in switch_case must be callable.`, InvalidArgumentError);
    }
    pairs.sort((x, y) => x[0] - y[0]);
    let dflt = a.default;
    if (!dflt) dflt = pairs.pop()![1];
    let falseFn: () => unknown = dflt;
    for (const [key, fn] of pairs) {
      const pred = equal(idx, fill_constant([1], 'int64', key));
      const f = falseFn;
      falseFn = () => cond(pred, fn, f);
    }
    return falseFn();
  },
);

// ---- While / while_loop ------------------------------------------------------------------------------

/**
 * A static while loop: `block(fn)` builds the body, run while the bool variable `cond` ([1]) is
 * true (the body must update it, e.g. with less_than(..., { cond })). Operator `while`. In
 * dygraph, block(fn) calls fn while cond holds.
 * @example
 * const w = new fluid.layers.While(c);
 * w.block(() => { fluid.layers.increment(i); fluid.layers.less_than(i, n, { cond: c }); });
 */
export class While {
  static readonly BEFORE_WHILE_BLOCK = 0;
  static readonly IN_WHILE_BLOCK = 1;
  static readonly AFTER_WHILE_BLOCK = 2;
  status = While.BEFORE_WHILE_BLOCK;
  readonly cond_var: Tensor;
  readonly is_test: boolean;
  constructor(cond: Tensor, is_test = false, name: string | null = null) {
    const api = `${L}While`;
    checkDtype(api, 'cond', cond, ['bool']);
    if (numel(cond.dims.map((d) => (d < 0 ? 1 : d))) !== 1 || cond.dims.some((d) => d < 0))
      fail(api, `condition expected shape as [1], but given shape as [${cond.shape}].`, InvalidArgumentError);
    void name;
    this.cond_var = cond;
    this.is_test = is_test;
  }
  /** Builds (static) or runs (dygraph) the loop body. */
  block(fn: () => void): void {
    if (!state.staticMode) {
      this.status = While.IN_WHILE_BLOCK;
      while (boolOf(this.cond_var, `${L}While`, 'cond')) fn();
      this.status = While.AFTER_WHILE_BLOCK;
      return;
    }
    this.status = While.IN_WHILE_BLOCK;
    inSubBlock(fn, (inside, parent) => {
      this.status = While.AFTER_WHILE_BLOCK;
      const [xs, outs] = blockIO(inside, new Set(), new Set([this.cond_var.name]));
      const outVars = [...outs].map((n) => parent._find_var_recursive(n)).filter((v): v is Variable => !!v);
      const stepScope = parent.create_var({ name: generate('_generated_var'), type: 'STEP_SCOPES' });
      appendOp(parent, {
        type: 'while',
        inputs: { X: [...xs].map((n) => parent._var_recursive(n)), Condition: [this.cond_var] },
        outputs: { Out: outVars, StepScopes: [stepScope] },
        attrs: { sub_block: inside, is_test: this.is_test },
      });
    });
  }
}

/** assign_skip_lod_tensor_array: arrays written in place need no copy. */
function assignSkipArray(input: Tensor, output: Tensor): void {
  if (isArrayVar(input)) {
    const parent = parentOf(curBlock());
    if (!parent._find_var_recursive((input as Variable).name)) assign(input, output);
    return;
  }
  assign(input, output);
}

/**
 * Repeats `body(...loop_vars)` while `cond(...loop_vars)` (a bool Tensor [1]) is true and returns
 * the final loop variables. In dygraph a JS loop; in static mode a `while` operator whose body
 * writes the new values into loop_vars.
 * @param cond a function of the loop variables giving a bool Tensor [1]
 * @param body a function of the loop variables giving their new values (same structure)
 * @param loop_vars a list of Tensors (or tensor arrays)
 * @param is_test inference only (no step scopes kept)
 * @example const [i, ten] = fluid.layers.while_loop((i, t) => paddle.less_than(i, t), (i, t) => [i.add(one), t], [i0, ten0])
 */
export const while_loop = defineApi(
  `${L}while_loop`,
  [p('cond', T.any), p('body', T.any), p('loop_vars', T.any), p('is_test', T.bool, false), nameP],
  (a): any[] => {
    const api = `${L}while_loop`;
    if (typeof a.cond !== 'function') fail(api, 'cond in while_loop should be callable', InvalidArgumentError);
    if (typeof a.body !== 'function') fail(api, 'body in while_loop should be callable', InvalidArgumentError);
    if (!Array.isArray(a.loop_vars)) badArg(api, 'loop_vars', 'a list', a.loop_vars);
    const condFn = a.cond as (...v: unknown[]) => Tensor;
    const bodyFn = a.body as (...v: unknown[]) => unknown;
    let vars = (a.loop_vars as unknown[]).slice();
    if (!vars.length) fail(api, 'loop_vars in while_loop should not be empty', InvalidArgumentError);
    const preCond = condFn(...vars);
    if (!(preCond instanceof Tensor)) fail(api, `the variable returned by cond should be a bool Tensor, but got ${describe(preCond)}`, InvalidArgumentError);
    checkDtype(api, 'var of cond returned', preCond, ['bool']);
    if (preCond.dims.length && numel(preCond.dims) !== 1) fail(api, `the shape of the variable returned by cond should be [1],but given shape as [${preCond.shape}].`, InvalidArgumentError);
    const norm = (o: unknown): unknown[] => (Array.isArray(o) ? o : [o]);
    if (!state.staticMode) {
      let now = boolOf(preCond, api, 'cond');
      while (now) {
        const out = norm(bodyFn(...vars));
        if (out.length !== vars.length) fail(api, 'body in while_loop should return the same arity (length and structure) and types as loop_vars', InvalidArgumentError);
        vars = out;
        now = boolOf(condFn(...vars), api, 'cond');
      }
      return vars;
    }
    const w = new While(preCond, a.is_test);
    const loopVars = vars;
    w.block(() => {
      const out = norm(bodyFn(...loopVars));
      if (!sameStructure(out, loopVars)) fail(api, 'body in while_loop should return the same arity (length and structure) as loop_vars', InvalidArgumentError);
      const now = condFn(...out);
      map_structure((o: Tensor, v: Tensor) => assignSkipArray(o, v), out, loopVars);
      assign(now, preCond);
    });
    return loopVars;
  },
);

// ---- Switch --------------------------------------------------------------------------------------------

/**
 * Paddle's Switch: cases tried in order, the first true one runs, else the default. Use it in
 * `guard`: `sw.guard(() => { sw.case(c1, () => {...}); sw.default(() => {...}); })`. Static
 * mode builds conditional_block operators; dygraph runs the chosen callback.
 */
export class Switch {
  inside_scope = false;
  private readonly pre_not_conditions: Tensor[] = [];
  private matched = false;
  constructor(name: string | null = null) {
    void name;
  }
  /** Python's `with Switch() as switch:`. */
  guard<R>(fn: (sw: this) => R): R {
    this.inside_scope = true;
    try {
      return fn(this);
    } finally {
      this.inside_scope = false;
    }
  }
  /** Runs fn when no earlier case held and `condition` does. */
  case(condition: Tensor, fn: () => void): void {
    const api = `${L}Switch.case`;
    if (!this.inside_scope) fail(api, 'case should be called inside with', PreconditionNotMetError);
    checkDtype(api, 'condition', condition, ['bool']);
    if (!state.staticMode) {
      if (!this.matched && boolOf(condition, api, 'condition')) {
        this.matched = true;
        fn();
      }
      this.pre_not_conditions.push(condition);
      return;
    }
    let c: Tensor;
    if (!this.pre_not_conditions.length) {
      c = condition;
      this.pre_not_conditions.push(logical_not(condition));
    } else {
      const pre = this.pre_not_conditions[this.pre_not_conditions.length - 1];
      this.pre_not_conditions.push(logical_and(pre, logical_not(condition)));
      c = logical_and(pre, condition);
    }
    conditionalBlock([c], true, fn);
  }
  /** Runs fn when no case held. */
  default(fn: () => void): void {
    const api = `${L}Switch.default`;
    if (!this.pre_not_conditions.length) fail(api, 'there should be at least one condition', PreconditionNotMetError);
    if (!state.staticMode) {
      if (!this.matched) fn();
      return;
    }
    conditionalBlock([this.pre_not_conditions[this.pre_not_conditions.length - 1]], true, fn);
  }
}

// ---- callable objects ------------------------------------------------------------------------------------

/** Makes an instance callable (Python's __call__): the constructor returns `callableInstance(new.target, fn)`. */
function callableInstance<C extends object>(proto: object, call: (self: C) => unknown): C {
  const f = (() => call(f as unknown as C)) as unknown as C;
  delete (f as { name?: unknown }).name;
  delete (f as { length?: unknown }).length;
  Object.setPrototypeOf(f, proto);
  return f;
}

// ---- IfElse --------------------------------------------------------------------------------------------

/**
 * Paddle's IfElse: splits a batch by a bool column `cond` ([N, 1]) into rows for a true and a
 * false branch (`input(x)` inside true_block / false_block), runs both, and merges their
 * `output(...)`s back in row order when called: `const [y] = ie()`. Static mode uses
 * split_lod_tensor, conditional_block and merge_lod_tensor; dygraph the same split/merge
 * operators around direct calls.
 */
export class IfElse {
  static readonly OUT_IF_ELSE_BLOCKS = 0;
  static readonly IN_IF_ELSE_TRUE_BLOCKS = 1;
  static readonly IN_IF_ELSE_FALSE_BLOCKS = 2;
  declare status: number;
  declare readonly cond: Tensor;
  declare input_table: Map<Tensor, [Tensor, Tensor]>;
  declare output_table: [Tensor[], Tensor[]];
  constructor(cond: Tensor, name: string | null = null) {
    const self = callableInstance<IfElse>(new.target.prototype, (s) => s.call());
    if (!(cond instanceof Tensor)) badArg(`${L}IfElse`, 'cond', 'a bool Tensor', cond);
    void name;
    Object.assign(self, { status: IfElse.OUT_IF_ELSE_BLOCKS, cond, input_table: new Map(), output_table: [[], []] });
    return self;
  }
  /** The rows of x for the branch being built. */
  input(x: Tensor): Tensor {
    const api = `${L}IfElse.input`;
    if (this.status === IfElse.OUT_IF_ELSE_BLOCKS) fail(api, 'input must in true/false blocks', PreconditionNotMetError);
    let pair = this.input_table.get(x);
    if (!pair) {
      if (state.staticMode) {
        const parent = parentOf(curBlock());
        const t = parent.create_var({ name: generate('ifelse_input'), dtype: x.dtype });
        const f = parent.create_var({ name: generate('ifelse_input'), dtype: x.dtype });
        appendOp(parent, { type: 'split_lod_tensor', inputs: { X: [x], Mask: [this.cond] }, outputs: { OutTrue: [t], OutFalse: [f] }, attrs: { level: 0 } });
        pair = [t, f];
      } else {
        const r = dispatch('split_lod_tensor', { X: [x], Mask: [this.cond] }, { level: 0 });
        pair = [r.OutTrue[0], r.OutFalse[0]];
      }
      this.input_table.set(x, pair);
    }
    return this.status === IfElse.IN_IF_ELSE_TRUE_BLOCKS ? pair[0] : pair[1];
  }
  true_block(fn: () => void): void {
    this.branch(true, fn);
  }
  false_block(fn: () => void): void {
    this.branch(false, fn);
  }
  private branch(isTrue: boolean, fn: () => void): void {
    const api = `${L}IfElse.${isTrue ? 'true' : 'false'}_block`;
    if (this.status !== IfElse.OUT_IF_ELSE_BLOCKS) fail(api, 'You cannot invoke IfElse.block() inside a block', PreconditionNotMetError);
    this.status = isTrue ? IfElse.IN_IF_ELSE_TRUE_BLOCKS : IfElse.IN_IF_ELSE_FALSE_BLOCKS;
    try {
      if (state.staticMode) conditionalBlock([this.cond], false, fn);
      else fn();
    } finally {
      this.status = IfElse.OUT_IF_ELSE_BLOCKS;
    }
    if (!this.output_table[isTrue ? 1 : 0].length) fail(api, 'Must set output inside block', PreconditionNotMetError);
  }
  /** Marks the branch's results. */
  output(...outs: Tensor[]): void {
    const api = `${L}IfElse.output`;
    if (this.status === IfElse.OUT_IF_ELSE_BLOCKS) fail(api, 'output can only be invoked in the sub-block', PreconditionNotMetError);
    const table = this.output_table[this.status === IfElse.IN_IF_ELSE_TRUE_BLOCKS ? 1 : 0];
    for (const o of outs) {
      if (!(o instanceof Tensor)) badArg(api, 'outs', 'Tensors', o);
      if (!state.staticMode) {
        table.push(o);
        continue;
      }
      const parent = parentOf(curBlock());
      const outside = parent.create_var({ name: generate('ifelse_output'), dtype: o.dtype });
      assign(o, outside);
      table.push(outside);
    }
  }
  /** The merged outputs (Python's `ie()`). */
  call(): Tensor[] {
    const api = `${L}IfElse`;
    if (this.status !== IfElse.OUT_IF_ELSE_BLOCKS) fail(api, 'IfElse::__call__ must be out of sub-block', PreconditionNotMetError);
    const [f, t] = this.output_table;
    if (!f.length && !t.length) fail(api, 'Must invoke true_block/false_block before __call__', PreconditionNotMetError);
    if (f.length !== t.length && f.length && t.length) fail(api, 'The output side must be same', PreconditionNotMetError);
    if (!f.length || !t.length) return f.length ? f : t;
    return t.map((tv, k) => run1('merge_lod_tensor', { X: [this.cond], Mask: [this.cond], InTrue: [tv], InFalse: [f[k]] }, { level: 0 }));
  }
}
export interface IfElse {
  (): Tensor[];
}

// ---- StaticRNN ------------------------------------------------------------------------------------------

interface MemoryLink {
  init: Tensor;
  pre_mem: Variable;
  mem: Tensor | null;
}

/**
 * Paddle's StaticRNN: a recurrent network over time-major sequences of one length, built in
 * `step(fn)` with step_input / memory / update_memory / step_output (operator `recurrent`);
 * calling it gives the stacked outputs. Static mode only.
 * @example
 * const rnn = new fluid.layers.StaticRNN();
 * rnn.step(() => { const w = rnn.step_input(x); const prev = rnn.memory({ shape: [-1, 4], batch_ref: w });
 *   const h = fluid.layers.fc([w, prev], 4, { act: 'relu' }); rnn.update_memory(prev, h); rnn.step_output(h); });
 * const out = rnn();
 */
export class StaticRNN {
  static readonly BEFORE_RNN_BLOCK = 0;
  static readonly IN_RNN_BLOCK = 1;
  static readonly AFTER_RNN_BLOCK = 2;
  declare status: number;
  declare seq_len: number | null;
  declare readonly helperName: string;
  declare memories: Map<string, MemoryLink>;
  declare inputs: Variable[];
  declare outputs: Variable[];
  constructor(name: string | null = null) {
    const self = callableInstance<StaticRNN>(new.target.prototype, (s) => s.call());
    if (name !== null && typeof name !== 'string') badArg(`${L}StaticRNN`, 'name', 'a string or None', name);
    Object.assign(self, { status: StaticRNN.BEFORE_RNN_BLOCK, seq_len: null, helperName: name ?? generate('static_rnn'), memories: new Map(), inputs: [], outputs: [] });
    return self;
  }
  private assertIn(method: string): void {
    if (this.status !== StaticRNN.IN_RNN_BLOCK) fail(`${L}StaticRNN.${method}`, `You must invoke ${method} in rnn block`, PreconditionNotMetError);
  }
  private parentBlock(): Block {
    return parentOf(curBlock());
  }
  /** Builds the step (Python's `with rnn.step():`). */
  step(fn: () => void): void {
    if (!state.staticMode) fail(`${L}StaticRNN.step`, 'StaticRNN builds static programs: call paddle.enable_static() first', PreconditionNotMetError);
    this.status = StaticRNN.IN_RNN_BLOCK;
    inSubBlock(fn, () => {
      this.status = StaticRNN.AFTER_RNN_BLOCK;
      this.completeOp();
    });
  }
  /**
   * A memory: initialized by `init`, or by a tensor of `shape` filled with init_value whose batch
   * size comes from `batch_ref` (dim ref_batch_dim_idx).
   */
  memory(...args: unknown[]): Variable {
    const a = parseMemory(args);
    const api = `${L}StaticRNN.memory`;
    this.assertIn('memory');
    if (a.init === null) {
      if (a.shape === null || a.batch_ref === null) fail(api, 'if init is None, memory at least need shape and batch_ref', InvalidArgumentError);
      const parent = this.parentBlock();
      const boot = parent.create_var({ name: generate(`${this.helperName}@memory_boot`), shape: a.shape, dtype: a.batch_ref.dtype, persistable: false });
      appendOp(parent, {
        type: 'fill_constant_batch_size_like',
        inputs: { Input: [a.batch_ref] },
        outputs: { Out: [boot] },
        attrs: { value: a.init_value, shape: boot.dims, dtype: PROTO_DTYPE[boot.dtype], input_dim_idx: a.ref_batch_dim_idx, output_dim_idx: a.init_batch_dim_idx },
      });
      return this.memory(boot);
    }
    const pre = curBlock().create_var({ name: generate(`${this.helperName}@mem`), dtype: a.init.dtype, shape: a.init.dims });
    this.memories.set(pre.name, { init: a.init, pre_mem: pre, mem: null });
    return pre;
  }
  /** Marks a [seq_len, ...] sequence as an input; returns its step [...]. */
  step_input(x: Tensor): Variable {
    const api = `${L}StaticRNN.step_input`;
    this.assertIn('step_input');
    if (!isVar(x)) badArg(api, 'x', 'a Variable', x);
    if (this.seq_len === null) this.seq_len = x.dims[0];
    else if (x.dims[0] !== -1 && this.seq_len !== x.dims[0]) fail(api, 'Static RNN only take fix seq_len input', InvalidArgumentError);
    const ipt = curBlock().create_var({ name: x.name, dtype: x.dtype, shape: x.dims.slice(1), type: x.type });
    this.inputs.push(ipt);
    return ipt;
  }
  /** Marks a step result as an output (stacked over the steps). */
  step_output(o: Tensor): void {
    const api = `${L}StaticRNN.step_output`;
    this.assertIn('step_output');
    if (!isVar(o)) badArg(api, 'o', 'a Variable', o);
    const block = curBlock();
    const tmp = block.create_var({ name: generate(`${this.helperName}.tmp`), dtype: o.dtype });
    appendOp(block, { type: 'rnn_memory_helper', inputs: { X: [o] }, outputs: { Out: [tmp] }, attrs: { dtype: PROTO_DTYPE[o.dtype] } });
    const out = this.parentBlock().create_var({ name: tmp.name, shape: [this.seq_len ?? -1, ...tmp.dims], dtype: tmp.dtype });
    this.outputs.push(out);
  }
  /** step_output for each. */
  output(...outputs: Tensor[]): void {
    for (const o of outputs) this.step_output(o);
  }
  /** The memory `mem` takes `var`'s value at the next step. */
  update_memory(mem: Tensor, v: Tensor): void {
    const api = `${L}StaticRNN.update_memory`;
    if (!isVar(mem)) badArg(api, 'mem', 'a Variable', mem);
    if (!isVar(v)) badArg(api, 'var', 'a Variable', v);
    const link = this.memories.get(mem.name);
    if (!link) fail(api, `'${mem.name}' is not a memory of this StaticRNN`, InvalidArgumentError);
    link.mem = v;
  }
  /** The outputs (one Variable, or a list). */
  call(): Variable | Variable[] {
    const api = `${L}StaticRNN`;
    if (this.status !== StaticRNN.AFTER_RNN_BLOCK) fail(api, 'RNN output can only be retrieved after rnn block', PreconditionNotMetError);
    if (!this.outputs.length) fail(api, 'RNN has no output', PreconditionNotMetError);
    return this.outputs.length === 1 ? this.outputs[0] : this.outputs;
  }
  private completeOp(): void {
    const block = curBlock();
    const parent = this.parentBlock();
    const local = new Set<string>();
    for (const op of block.ops) for (const n of op.output_arg_names) local.add(n);
    for (const v of this.inputs) local.add(v.name);
    for (const n of this.memories.keys()) local.add(n);
    const params: string[] = [];
    for (const op of block.ops) for (const n of op.input_arg_names) if (!local.has(n) && !params.includes(n)) params.push(n);
    const parameters = params.map((n) => parent._var_recursive(n));
    const stepScope = parent.create_var({ name: generate('_generated_var'), type: 'STEP_SCOPES' });
    const inlinks = this.inputs.map((v) => parent._var_recursive(v.name));
    const boot: Tensor[] = [];
    const pre: string[] = [];
    const mems: string[] = [];
    for (const m of this.memories.values()) {
      boot.push(m.init);
      pre.push(m.pre_mem.name);
      if (!m.mem) fail(`${L}StaticRNN`, `${m.init.name} should be updated in every step.`, PreconditionNotMetError);
      const memVar = block._var_recursive((m.mem as Variable).name);
      const nm = block.create_var({ name: generate(`${this.helperName}.tmp`), dtype: memVar.dtype });
      appendOp(block, { type: 'rnn_memory_helper', inputs: { X: [memVar] }, outputs: { Out: [nm] }, attrs: { dtype: PROTO_DTYPE[memVar.dtype] } });
      mems.push(nm.name);
    }
    appendOp(parent, {
      type: 'recurrent',
      inputs: { inputs: inlinks, initial_states: boot, parameters },
      outputs: { outputs: this.outputs, step_scopes: [stepScope] },
      attrs: { has_states: pre.length > 0, ex_states: pre, states: mems, sub_block: block },
    });
  }
}
export interface StaticRNN {
  (): Variable | Variable[];
}

const memoryParser = defineApi(`${L}StaticRNN.memory`, [
  p('init', T.nullable(T.tensor), null),
  p('shape', T.nullable(T.ints), null),
  p('batch_ref', T.nullable(T.tensor), null),
  p('init_value', T.float, 0.0),
  p('init_batch_dim_idx', T.int, 0),
  p('ref_batch_dim_idx', T.int, 1),
] as const, (a) => a);
const parseMemory = (args: unknown[]) => (memoryParser as unknown as (...x: unknown[]) => ReturnType<typeof memoryParser>)(...args);

// ---- DynamicRNN -----------------------------------------------------------------------------------------

/**
 * Paddle's DynamicRNN: a recurrent network over the sequences of a LoD tensor (any lengths),
 * built in `block(fn)` with step_input / static_input / memory / update_memory / output.
 * Sequences are sorted by length (lod_rank_table), split by time step into arrays
 * (lod_tensor_to_array), run in a `while` loop whose batch shrinks as sequences end, and put
 * back (array_to_lod_tensor); calling it gives the outputs as LoD tensors. Static mode only.
 * @example
 * const drnn = new fluid.layers.DynamicRNN();
 * drnn.block(() => { const w = drnn.step_input(emb); const prev = drnn.memory({ shape: [8] });
 *   const h = fluid.layers.fc([w, prev], 8, { act: 'tanh' }); drnn.update_memory(prev, h); drnn.output(h); });
 * const out = drnn();
 */
export class DynamicRNN {
  static readonly BEFORE_RNN = 0;
  static readonly IN_RNN = 1;
  static readonly AFTER_RNN = 2;
  declare status: number;
  declare lod_rank_table: Variable | null;
  declare max_seq_len: Tensor | null;
  declare step_idx: Tensor | null;
  declare zero_idx: Tensor | null;
  declare mem_dict: Map<string, Variable>;
  declare output_array: Variable[];
  declare outputs: Tensor[];
  declare cond: Variable;
  declare while_op: While;
  declare input_array: [Variable, DType][];
  declare mem_link: [Tensor, Variable][];
  declare readonly helperName: string;
  constructor(name: string | null = null) {
    const api = `${L}DynamicRNN`;
    if (!state.staticMode) fail(api, 'DynamicRNN builds static programs: call paddle.enable_static() first', PreconditionNotMetError);
    const self = callableInstance<DynamicRNN>(new.target.prototype, (s) => s.call());
    const helperName = name ?? generate('dynamic_rnn');
    const c = curBlock().create_var({ name: `${generate(helperName)}.tmp_0`, dtype: 'bool', shape: [1] });
    c.stop_gradient = false;
    Object.assign(self, {
      status: DynamicRNN.BEFORE_RNN, lod_rank_table: null, max_seq_len: null, step_idx: null, zero_idx: null, mem_dict: new Map(), output_array: [],
      outputs: [], cond: c, while_op: new While(c), input_array: [], mem_link: [], helperName,
    });
    return self;
  }
  private assertIn(method: string): void {
    if (this.status !== DynamicRNN.IN_RNN) fail(`${L}DynamicRNN.${method}`, `${method} can only be invoked inside rnn block.`, PreconditionNotMetError);
  }
  private parentBlock(): Block {
    return parentOf(curBlock());
  }
  /** Marks a LoD tensor as a sequence input; returns its rows at the current step (sorted batch). */
  step_input(x: Tensor, level = 0): Tensor {
    const api = `${L}DynamicRNN.step_input`;
    this.assertIn('step_input');
    if (!isVar(x)) badArg(api, 'x', 'a Variable', x);
    const parent = this.parentBlock();
    if (this.lod_rank_table === null) {
      const table = parent.create_var({ name: generate('lod_rank_table'), type: 'LOD_RANK_TABLE' });
      table.stop_gradient = true;
      appendOp(parent, { type: 'lod_rank_table', inputs: { X: [x] }, outputs: { Out: [table] }, attrs: { level } });
      this.lod_rank_table = table;
      const maxLen = parent.create_var({ name: generate('dynamic_rnn_max_seq_len'), dtype: 'int64', shape: [1] });
      appendOp(parent, { type: 'max_sequence_len', inputs: { RankTable: [table] }, outputs: { Out: [maxLen] } });
      this.max_seq_len = maxLen;
      this.cond.stop_gradient = true;
      appendOp(parent, { type: 'less_than', inputs: { X: [this.step_idx!], Y: [maxLen] }, outputs: { Out: [this.cond] }, attrs: { force_cpu: true } });
    }
    const arr = parent.create_var({ name: generate('dynamic_rnn_input_array'), type: 'LOD_TENSOR_ARRAY', dtype: x.dtype, shape: x.dims });
    this.input_array.push([arr, x.dtype]);
    appendOp(parent, { type: 'lod_tensor_to_array', inputs: { X: [x], RankTable: [this.lod_rank_table] }, outputs: { Out: [arr] } });
    return array_read(arr, this.step_idx!);
  }
  /** A LoD tensor used whole at every step (reordered like the inputs, shrunk to the running sequences). */
  static_input(x: Tensor): Tensor {
    const api = `${L}DynamicRNN.static_input`;
    this.assertIn('static_input');
    if (!isVar(x)) badArg(api, 'x', 'a Variable', x);
    if (this.lod_rank_table === null) fail(api, 'static_input() must be called after step_input().', PreconditionNotMetError);
    const parent = this.parentBlock();
    const re = parent.create_var({ name: generate('dynamic_rnn_static_input_reordered'), type: 'LOD_TENSOR', dtype: x.dtype });
    appendOp(parent, { type: 'reorder_lod_tensor_by_rank', inputs: { X: [x], RankTable: [this.lod_rank_table] }, outputs: { Out: [re] } });
    return shrinkMemory(re, this.step_idx!, this.lod_rank_table);
  }
  /** Builds the step (Python's `with drnn.block():`). */
  block(fn: () => void): void {
    const api = `${L}DynamicRNN.block`;
    if (this.status !== DynamicRNN.BEFORE_RNN) fail(api, 'rnn.block() can only be invoke once', PreconditionNotMetError);
    const idx = fill_constant([1], 'int64', 0, true);
    idx.stop_gradient = false;
    this.step_idx = idx;
    this.status = DynamicRNN.IN_RNN;
    this.while_op.block(() => {
      fn();
      increment(idx, 1.0, true);
      for (const [newMem, arr] of this.mem_link) array_write(newMem, idx, arr);
      less_than(idx, this.max_seq_len!, true, this.cond);
    });
    this.status = DynamicRNN.AFTER_RNN;
    for (const arr of this.output_array) this.outputs.push(arrayToLodTensor(arr, this.lod_rank_table!));
  }
  /** The outputs as LoD tensors (one, or a list). */
  call(): Tensor | Tensor[] {
    if (this.status !== DynamicRNN.AFTER_RNN) fail(`${L}DynamicRNN`, 'Output of the dynamic RNN can only be visited outside the rnn block.', PreconditionNotMetError);
    return this.outputs.length === 1 ? this.outputs[0] : this.outputs;
  }
  /**
   * A memory: from `init` (a tensor with one row per sequence; need_reorder sorts it like the
   * inputs), or of `shape` filled with `value` for each sequence.
   */
  memory(...args: unknown[]): Tensor {
    const a = parseDrnnMemory(args);
    const api = `${L}DynamicRNN.memory`;
    this.assertIn('memory');
    this.initZeroIdx();
    const parent = this.parentBlock();
    if (a.init !== null) {
      let init = a.init;
      if (a.need_reorder) {
        if (this.lod_rank_table === null) fail(api, 'If set need_reorder to True, make sure step_input be invoked before memory(init=init, need_reordered=True, ...).', PreconditionNotMetError);
        const re = parent.create_var({ name: generate('dynamic_rnn_mem_init_reordered'), type: 'LOD_TENSOR', dtype: init.dtype });
        appendOp(parent, { type: 'reorder_lod_tensor_by_rank', inputs: { X: [init], RankTable: [this.lod_rank_table] }, outputs: { Out: [re] } });
        init = re;
      }
      const arr = parent.create_var({ name: generate('dynamic_rnn_mem_array'), type: 'LOD_TENSOR_ARRAY', dtype: init.dtype, shape: init.dims });
      appendOp(parent, { type: 'write_to_array', inputs: { X: [init], I: [this.zero_idx!] }, outputs: { Out: [arr] } });
      const read = array_read(arr, this.step_idx!);
      const retv = shrinkMemory(read, this.step_idx!, this.lod_rank_table!);
      this.mem_dict.set(retv.name, arr);
      return retv;
    }
    if (!this.input_array.length) fail(api, 'step_input should be invoked before memory(shape=..., value=...)', PreconditionNotMetError);
    if (a.shape === null) fail(api, 'memory needs init or shape', InvalidArgumentError);
    const init = parent.create_var({ name: generate('mem_init'), dtype: a.dtype, shape: [-1, ...a.shape] });
    const [arr0, dt0] = this.input_array[0];
    const in0 = parent.create_var({ name: generate('in0'), dtype: dt0 });
    appendOp(parent, { type: 'read_from_array', inputs: { X: [arr0], I: [this.zero_idx!] }, outputs: { Out: [in0] } });
    appendOp(parent, {
      type: 'fill_constant_batch_size_like',
      inputs: { Input: [in0] },
      outputs: { Out: [init] },
      attrs: { shape: [-1, ...a.shape], value: a.value, dtype: PROTO_DTYPE[a.dtype] },
    });
    return this.memory(init);
  }
  /** The memory `ex_mem` takes `new_mem`'s value at the next step. */
  update_memory(ex_mem: Tensor, new_mem: Tensor): void {
    const api = `${L}DynamicRNN.update_memory`;
    this.assertIn('update_memory');
    if (!isVar(ex_mem)) badArg(api, 'ex_mem', 'a Variable', ex_mem);
    if (!isVar(new_mem)) badArg(api, 'new_mem', 'a Variable', new_mem);
    const arr = this.mem_dict.get(ex_mem.name);
    if (!arr) fail(api, 'Please invoke memory before update_memory', PreconditionNotMetError);
    if (this.lod_rank_table === null) fail(api, 'Please invoke step_input before update_memory', PreconditionNotMetError);
    this.mem_link.push([new_mem, arr]);
  }
  /** Marks step results as outputs. */
  output(...outputs: Tensor[]): void {
    const api = `${L}DynamicRNN.output`;
    this.assertIn('output');
    const parent = this.parentBlock();
    for (const o of outputs) {
      if (!isVar(o)) badArg(api, 'outputs', 'Variables', o);
      const arr = parent.create_var({ name: generate(`${this.helperName}_output_array_${o.name}`), type: 'LOD_TENSOR_ARRAY', dtype: o.dtype, shape: o.dims });
      array_write(o, this.step_idx!, arr);
      this.output_array.push(arr);
    }
  }
  private initZeroIdx(): void {
    if (this.zero_idx !== null) return;
    const parent = this.parentBlock();
    const z = parent.create_var({ name: generate('zero_idx'), dtype: 'int64', shape: [1] });
    appendOp(parent, { type: 'fill_constant', outputs: { Out: [z] }, attrs: { shape: [1], dtype: PROTO_DTYPE.int64, value: 0, force_cpu: true } });
    this.zero_idx = z;
  }
}
export interface DynamicRNN {
  (): Tensor | Tensor[];
}

const drnnMemoryParser = defineApi(`${L}DynamicRNN.memory`, [
  p('init', T.nullable(T.tensor), null),
  p('shape', T.nullable(T.ints), null),
  p('value', T.float, 0.0),
  p('need_reorder', T.bool, false),
  p('dtype', T.dtype, 'float32' as DType),
] as const, (a) => a);
const parseDrnnMemory = (args: unknown[]) => (drnnMemoryParser as unknown as (...x: unknown[]) => ReturnType<typeof drnnMemoryParser>)(...args);


export { case_ as case };
