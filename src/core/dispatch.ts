// dispatch(type, inputs, attrs): the one way an operator runs. In dygraph it infers the
// outputs, runs the first kernel that accepts the call and records it for autograd; in
// static mode the static package's hook appends the operator to the current Block instead.
import { apiName } from './args.js';
import { record } from './autograd.js';
import { fail, PreconditionNotMetError } from './errors.js';
import { shareLoD } from './lod.js';
import { Attrs, getOp, OpDef, runKernel, Slots } from './registry.js';
import { state } from './state.js';
import { Tensor, Meta } from './tensor.js';

/** Filled in by src/static: appends the operator to the current program and returns its output Variables. */
export const staticHooks: {
  append?: (def: OpDef, ins: Slots<Tensor>, attrs: Attrs, only?: readonly string[]) => Slots<Tensor>;
} = {};

/**
 * The metas without the dispensable output slots not in `only` (undefined: keep all). Kernels
 * skip the outputs they are not asked for, as Paddle's grad kernels skip absent X@GRADs.
 */
export function pruneOutputs(def: OpDef, metas: Slots<Meta>, only?: readonly string[]): Slots<Meta> {
  if (!only) return metas;
  const out: Slots<Meta> = {};
  for (const k in metas) {
    const spec = def.outputs.find((s) => s.name === k);
    if (!spec?.dispensable || only.includes(k)) out[k] = metas[k];
  }
  return out;
}

const defaultsCache = new WeakMap<OpDef, [string, unknown][]>();
/** Fills in Paddle's defaults for attributes not given; a missing required one is an error. */
export function withDefaults(def: OpDef, attrs: Attrs): Attrs {
  let d = defaultsCache.get(def);
  if (!d) {
    d = Object.entries(def.attrs).map(([k, s]) => [k, s.default]);
    defaultsCache.set(def, d);
  }
  for (let i = 0; i < d.length; i++) {
    const [k, v] = d[i];
    if (attrs[k] === undefined) {
      if (v === undefined) fail(apiName(def.type), `operator ${def.type} needs attribute '${k}'`);
      attrs[k] = v;
    }
  }
  return attrs;
}

/** The dtype kernels are chosen by: the first input's, or the first output's for creation ops. */
function keyDtype(ins: Slots<Tensor>, outs: Slots<Meta>): Meta['dtype'] {
  for (const k in ins) {
    const t = ins[k]?.[0];
    if (t) return t.dtype;
  }
  for (const k in outs) {
    const t = outs[k]?.[0];
    if (t) return t.dtype;
  }
  return 'float32';
}

/** Called with every operator's outputs after its kernel ran (fluid's FLAGS_check_nan_inf). */
export const opHooks: { afterRun?: (def: OpDef, outs: Slots<Tensor>) => void } = {};

/** Runs an operator now, without recording it (kernels only): the Executor's path too. */
export function runOp(def: OpDef, ins: Slots<Tensor>, attrs: Attrs, metas: Slots<Meta> = def.infer(ins, attrs)): Slots<Tensor> {
  const outs = runKernel(def, ins, attrs, metas, keyDtype(ins, metas));
  shareLoD(def, ins, outs);
  if (opHooks.afterRun) opHooks.afterRun(def, outs);
  return outs;
}

/**
 * Runs (or, in static mode, appends) operator `type` on slot inputs with attributes. `only`
 * names the dispensable outputs wanted (a gradient rule asks a *_grad operator for just the
 * gradients that are needed); default: all.
 */
export function dispatch(type: string, ins: Slots<Tensor>, attrs: Attrs = {}, only?: readonly string[]): Slots<Tensor> {
  const def = getOp(type);
  withDefaults(def, attrs);
  if (state.staticMode && staticHooks.append) return staticHooks.append(def, ins, attrs, only);
  const outs = runOp(def, ins, attrs, only ? pruneOutputs(def, def.infer(ins, attrs), only) : undefined);
  if (state.gradEnabled && def.grad) record(def, ins, attrs, outs);
  return outs;
}

/** dispatch, returning the first tensor of output slot `out` (default `Out`). */
export function run1(type: string, ins: Slots<Tensor>, attrs: Attrs = {}, out = 'Out'): Tensor {
  const r = dispatch(type, ins, attrs)[out]?.[0];
  if (!r) fail(type, `operator ${type} produced no output '${out}'`);
  return r;
}

/**
 * Replaces `target`'s value by `build(old)` in place, keeping autograd right: `build` computes
 * the new value from a stand-in for the old one (same data and history); `target` then takes
 * the new value's place in the graph and its version bumps, so recorded uses of the old value
 * that need it for gradients are caught at backward. Gradient rules of in-place forms must not
 * read the overwritten input (its data is the new value).
 */
export function writeInPlace(target: Tensor, api: string, build: (old: Tensor) => Tensor): Tensor {
  if (state.gradEnabled && !target.stop_gradient && target.node === null)
    fail(api, 'a leaf Tensor that requires gradient (stop_gradient=False) cannot be modified in place; use the out-of-place form or modify a copy (x.clone())', PreconditionNotMetError);
  const old = new Tensor(target.data, target.dims.slice(), target.dtype);
  old.node = target.node;
  old.stop_gradient = target.stop_gradient;
  old.ver = { v: target.ver.v };
  const y = build(old);
  if (y.data !== target.data) {
    if (y.data.length === target.data.length && y.dtype === target.dtype) (target.data as Float64Array).set(y.data as Float64Array);
    else target.data = y.data;
  }
  target.dims = y.dims.slice();
  target.dtype = y.dtype;
  target.ver.v++;
  const node = y.node;
  if (node && !y.stop_gradient) {
    // the old value's producer now feeds `old`; the new value's producer outputs target
    if (old.node) for (const k in old.node.outs) old.node.outs[k] = old.node.outs[k].map((t) => (t === target ? old : t));
    for (const k in node.outs) node.outs[k] = node.outs[k].map((t) => (t === y ? target : t));
    target.node = node;
    target.stop_gradient = false;
  }
  return target;
}

/** Runs operator `type` and writes its `out` result into `target` in place (Paddle's `x.op_()` forms). */
export function dispatchInplace(type: string, ins: Slots<Tensor>, attrs: Attrs, target: Tensor, out = 'Out'): Tensor {
  if (state.staticMode && staticHooks.append) return dispatch(type, ins, attrs)[out][0];
  return writeInPlace(target, apiName(type), (old) => {
    const swapped: Slots<Tensor> = {};
    for (const k in ins) swapped[k] = ins[k].map((t) => (t === target ? old : t));
    return dispatch(type, swapped, attrs)[out][0];
  });
}
