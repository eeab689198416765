// dispatch(type, inputs, attrs): the one way an operator runs. In dygraph it infers the
// outputs, runs the first kernel that accepts the call and records it for autograd; in
// static mode the static package's hook appends the operator to the current Block instead.
import { apiName } from './args.js';
import { record } from './autograd.js';
import { fail, PreconditionNotMetError } from './errors.js';
import { Attrs, getOp, OpDef, runKernel, Slots } from './registry.js';
import { state } from './state.js';
import { Tensor, Meta } from './tensor.js';

/** Filled in by src/static: appends the operator to the current program and returns its output Variables. */
export const staticHooks: {
  append?: (def: OpDef, ins: Slots<Tensor>, attrs: Attrs) => Slots<Tensor>;
} = {};

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

/** Runs an operator now, without recording it (kernels only): the Executor's path too. */
export function runOp(def: OpDef, ins: Slots<Tensor>, attrs: Attrs): Slots<Tensor> {
  const metas = def.infer(ins, attrs);
  return runKernel(def, ins, attrs, metas, keyDtype(ins, metas));
}

/** Runs (or, in static mode, appends) operator `type` on slot inputs with attributes. */
export function dispatch(type: string, ins: Slots<Tensor>, attrs: Attrs = {}): Slots<Tensor> {
  const def = getOp(type);
  withDefaults(def, attrs);
  if (state.staticMode && staticHooks.append) return staticHooks.append(def, ins, attrs);
  const outs = runOp(def, ins, attrs);
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
 * Runs operator `type` and writes its `out` result into `target` in place (Paddle's `x.op_()`
 * forms), keeping the graph right: the call is recorded with a stand-in for the old value.
 * In-place forms exist only for operators whose gradient does not read the overwritten input.
 */
export function dispatchInplace(type: string, ins: Slots<Tensor>, attrs: Attrs, target: Tensor, out = 'Out'): Tensor {
  const def = getOp(type);
  withDefaults(def, attrs);
  if (state.staticMode && staticHooks.append) return staticHooks.append(def, ins, attrs)[out][0];
  const grad = state.gradEnabled && def.grad && !target.stop_gradient;
  if (grad && target.node === null)
    fail(apiName(type), `a leaf Tensor that requires gradient (stop_gradient=False) cannot be modified in place; use the out-of-place form`, PreconditionNotMetError);
  // The old value, as autograd sees it: the same data and history under a new identity.
  let prev = target;
  if (grad) {
    prev = new Tensor(target.data, target.dims, target.dtype);
    prev.node = target.node;
    prev.stop_gradient = false;
    prev.ver = target.ver;
    for (const k in ins) ins[k] = ins[k].map((t) => (t === target ? prev : t));
  }
  const res = runOp(def, ins, attrs);
  const r = res[out][0];
  if (r.data.length === target.data.length && r.dtype === target.dtype && r.data !== target.data)
    (target.data as Float64Array).set(r.data as Float64Array);
  else target.data = r.data;
  target.dims = r.dims;
  target.dtype = r.dtype;
  target.ver.v++;
  if (grad) {
    res[out] = [target, ...res[out].slice(1)];
    record(def, ins, attrs, res);
  }
  return target;
}
