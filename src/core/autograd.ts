// Dygraph autograd: every recorded operator call is a GradNode; backward walks the nodes in
// reverse topological order and runs each operator's gradient rule, which is itself made of
// operators (so with create_graph the gradients are recorded too and differentiate again).
import { isComplex, isFloating } from './dtype.js';
import { fail, PreconditionNotMetError, InvalidArgumentError } from './errors.js';
import type { Attrs, GradContext, GradResult, OpDef, Slots } from './registry.js';
import { densify, isSelectedRows, mergeRows, SelectedRows } from './selected_rows.js';
import { sameShape, showShape } from './shape.js';
import { state, withContext } from './state.js';
import { Tensor, tensorRuntime } from './tensor.js';

/** One recorded operator call. */
export class GradNode {
  /** Versions of the inputs' data when recorded (in-place writes after that are errors). */
  readonly versions: number[] = [];
  released = false;
  constructor(
    readonly def: OpDef,
    public ins: Slots<Tensor>,
    readonly attrs: Attrs,
    public outs: Slots<Tensor>,
  ) {
    for (const k in ins) for (const t of ins[k]) if (t) this.versions.push(t.ver.v);
  }
  release(): void {
    this.released = true;
    this.ins = {};
    this.outs = {};
  }
}

/** Whether a dtype carries gradients. */
export function differentiable(t: Tensor): boolean {
  return isFloating(t.dtype) || isComplex(t.dtype);
}

/** Records a call if some differentiable input needs a gradient; marks its outputs. */
export function record(def: OpDef, ins: Slots<Tensor>, attrs: Attrs, outs: Slots<Tensor>): void {
  let need = false;
  for (const s of def.inputs) {
    if (s.noGrad) continue;
    const arr = ins[s.name];
    if (!arr) continue;
    for (let i = 0; i < arr.length; i++) {
      const t = arr[i];
      if (t && !t.stop_gradient) {
        need = true;
        break;
      }
    }
    if (need) break;
  }
  if (!need) return;
  const node = new GradNode(def, ins, attrs, outs);
  const skip = def.noGradOutputs;
  for (const k in outs) {
    if (skip && skip.includes(k)) continue;
    for (const t of outs[k]) {
      if (t && differentiable(t)) {
        t.stop_gradient = false;
        t.node = node;
      }
    }
  }
}

/** Runs `fn` with autograd recording switched off (paddle.no_grad). */
export function withoutGrad<R>(fn: () => R): R {
  return withContext(
    () => { const prev = state.gradEnabled; state.gradEnabled = false; return prev; },
    (prev) => { state.gradEnabled = prev; },
    fn,
  );
}

export interface BackwardOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** paddle.grad: return these tensors' gradients instead of accumulating into leaves. */
  inputs?: Tensor[];
  allowUnused?: boolean;
  noGradVars?: ReadonlySet<Tensor>;
  api: string;
}

/** The add used to accumulate gradients (set by src/ops, which owns elementwise_add). */
export const autogradOps: { add?: (a: Tensor, b: Tensor) => Tensor } = {};

function accumulate(grads: Map<Tensor, Tensor>, t: Tensor, g: Tensor, api: string): void {
  const dims = isSelectedRows(g) ? g.dense_shape : g.dims;
  if (!sameShape(dims, t.dims))
    fail(api, `gradient of shape ${showShape(dims)} does not match its tensor's shape ${showShape(t.dims)} (operator ${t.node?.def.type ?? 'leaf'})`);
  const prev = grads.get(t);
  grads.set(t, prev ? addGrads(prev, g) : g);
}

/**
 * The sum of two gradients of one tensor: two SelectedRows merge (Paddle's SelectedRowsMerge),
 * a SelectedRows and a dense gradient give a dense one.
 */
function addGrads(a: Tensor, b: Tensor): Tensor {
  if (isSelectedRows(a) && isSelectedRows(b)) return mergeRows(a, b);
  return autogradOps.add!(densify(a), densify(b));
}

function applyHooks(t: Tensor, g: Tensor): Tensor {
  if (!t.hooks) return g;
  for (const h of t.hooks) {
    const r = h(g);
    if (r instanceof Tensor) g = r;
  }
  return g;
}

/**
 * The engine behind Tensor.backward and paddle.grad. Returns the gradients of
 * `opts.inputs` (null for unreachable ones) when given, otherwise accumulates into leaves.
 */
export function runBackward(roots: Tensor[], rootGrads: (Tensor | null)[], opts: BackwardOptions): (Tensor | null)[] | undefined {
  const { api } = opts;
  const noGrad = opts.noGradVars;
  const wanted = opts.inputs ? new Set(opts.inputs) : undefined;
  const captured = new Map<Tensor, Tensor>();
  const grads = new Map<Tensor, Tensor>();
  const prevMode = state.gradEnabled;
  state.gradEnabled = opts.createGraph;
  // A leaf's gradient is complete: run its hooks, then capture it (paddle.grad) or accumulate
  // it into .grad and run its ready hooks (backward).
  const finishLeaf = (t: Tensor): void => {
    const g0 = grads.get(t);
    if (!g0) return;
    grads.delete(t);
    const g = applyHooks(t, g0);
    if (wanted) {
      if (wanted.has(t)) captured.set(t, g);
      return;
    }
    if (noGrad?.has(t)) return;
    t._grad = accumulateLeaf(t._grad, g, opts.createGraph);
    if (!opts.createGraph) t._grad.stop_gradient = true;
    if (t._readyHooks) for (const h of t._readyHooks) h(t);
  };
  try {
    for (let i = 0; i < roots.length; i++) {
      const r = roots[i];
      if (r.stop_gradient)
        fail(api, `tensor '${r.name}' has stop_gradient=True, so no gradient flows from it; set stop_gradient=False on the inputs that need gradients`, PreconditionNotMetError);
      let g = rootGrads[i];
      if (g == null) g = Tensor.full(r.dims.slice(), r.dtype, 1);
      else if (!sameShape(g.dims, r.dims))
        fail(api, `grad_tensor has shape ${showShape(g.dims)} but the tensor has shape ${showShape(r.dims)}`, InvalidArgumentError);
      accumulate(grads, r, g, api);
    }
    // Count, for each node, how many recorded consumers will send it gradients; for each leaf,
    // how many recorded nodes will (its gradient is final, and goes into .grad, when that
    // reaches zero, so reduce hooks can start communicating while backward goes on).
    const deps = new Map<GradNode, number>();
    const leafDeps = new Map<Tensor, number>();
    const stack: GradNode[] = [];
    const seen = new Set<GradNode>();
    for (const r of roots) if (r.node && !seen.has(r.node)) { seen.add(r.node); stack.push(r.node); }
    while (stack.length) {
      const n = stack.pop()!;
      if (n.released)
        fail(api, `trying to backward through the graph a second time (operator ${n.def.type}); its saved values were freed after the first backward. Pass retain_graph=True to the first backward to keep them.`, PreconditionNotMetError);
      for (const s of n.def.inputs) {
        if (s.noGrad) continue;
        for (const t of n.ins[s.name] ?? []) {
          if (!t || t.stop_gradient) continue;
          if (!t.node) {
            leafDeps.set(t, (leafDeps.get(t) ?? 0) + 1);
            continue;
          }
          deps.set(t.node, (deps.get(t.node) ?? 0) + 1);
          if (!seen.has(t.node)) { seen.add(t.node); stack.push(t.node); }
        }
      }
    }
    const ready: GradNode[] = [];
    for (const n of seen) if (!deps.get(n)) ready.push(n);
    while (ready.length) {
      const node = ready.pop()!;
      let any = false;
      for (const k in node.outs) {
        for (const o of node.outs[k]) {
          const g0 = grads.get(o);
          if (!g0) continue;
          const g = applyHooks(o, g0);
          grads.set(o, g);
          if (wanted?.has(o)) captured.set(o, g);
          any = true;
        }
      }
      if (any) {
        checkVersions(node, api);
        const result = node.def.grad!(gradContext(node, grads, noGrad));
        for (const s of node.def.inputs) {
          if (s.noGrad) continue;
          const gs = result[s.name];
          if (!gs) continue;
          const ts = node.ins[s.name] ?? [];
          for (let i = 0; i < ts.length; i++) {
            const t = ts[i];
            const g = gs[i];
            if (!t || !g || t.stop_gradient || noGrad?.has(t)) continue;
            accumulate(grads, t, g, api);
          }
        }
      }
      for (const k in node.outs) for (const o of node.outs[k]) if (!wanted?.has(o)) grads.delete(o);
      const inputsNodes: GradNode[] = [];
      const doneLeaves: Tensor[] = [];
      for (const s of node.def.inputs) {
        if (s.noGrad) continue;
        for (const t of node.ins[s.name] ?? []) {
          if (!t || t.stop_gradient) continue;
          if (t.node) inputsNodes.push(t.node);
          else {
            const d = leafDeps.get(t)! - 1;
            leafDeps.set(t, d);
            if (d === 0) doneLeaves.push(t);
          }
        }
      }
      if (!opts.retainGraph) node.release();
      for (const t of doneLeaves) finishLeaf(t);
      for (const m of inputsNodes) {
        const d = deps.get(m)! - 1;
        deps.set(m, d);
        if (d === 0) ready.push(m);
      }
    }
    // Leaves not consumed by any recorded node (roots that are leaves).
    for (const t of [...grads.keys()]) if (!t.node) finishLeaf(t);
  } finally {
    state.gradEnabled = prevMode;
  }
  if (!opts.inputs) return undefined;
  return opts.inputs.map((t, i) => {
    const g = captured.get(t);
    if (!g && !opts.allowUnused)
      fail(api, `input ${i} ('${t.name}') is not reachable from the outputs, so it has no gradient; pass allow_unused=True to get None for it`);
    return g ?? null;
  });
}

/** A leaf's .grad after adding `g` (a new, owned tensor the first time: clear_gradient zeroes it in place). */
function accumulateLeaf(prev: Tensor | null, g: Tensor, createGraph: boolean): Tensor {
  if (prev && sameShape(isSelectedRows(prev) ? prev.dense_shape : prev.dims, isSelectedRows(g) ? g.dense_shape : g.dims)) return addGrads(prev, g);
  if (createGraph) return g;
  if (isSelectedRows(g)) return new SelectedRows(g.data.slice(), g.dims.slice(), g.dtype, g.rows.slice(), g.height);
  return new Tensor(g.data.slice(), g.dims.slice(), g.dtype);
}

function checkVersions(node: GradNode, api: string): void {
  let i = 0;
  for (const k in node.ins)
    for (const t of node.ins[k]) {
      if (!t) continue;
      if (t.ver.v !== node.versions[i])
        fail(api, `input '${k}' of operator ${node.def.type}, needed for the gradient, was modified by an in-place operation after it was used (version ${node.versions[i]} -> ${t.ver.v})`, PreconditionNotMetError);
      i++;
    }
}

function gradContext(node: GradNode, grads: Map<Tensor, Tensor>, noGrad?: ReadonlySet<Tensor>): GradContext {
  const get = (s: Slots<Tensor>, slot: string, i: number, what: string): Tensor => {
    const t = s[slot]?.[i];
    if (!t) fail(node.def.type, `gradient rule asked for missing ${what} ${slot}[${i}]`);
    return t;
  };
  return {
    attrs: node.attrs,
    input: (slot, i = 0) => get(node.ins, slot, i, 'input'),
    has: (slot, i = 0) => !!node.ins[slot]?.[i],
    inputs: (slot) => node.ins[slot] ?? [],
    output: (slot, i = 0) => get(node.outs, slot, i, 'output'),
    outputs: (slot) => node.outs[slot] ?? [],
    outGrad: (slot, i = 0) => {
      const o = get(node.outs, slot, i, 'output');
      const g = grads.get(o);
      return g ? densify(g) : Tensor.zeros(o.dims.slice(), o.dtype);
    },
    needs: (slot, i = 0) => {
      const t = node.ins[slot]?.[i];
      return !!t && !t.stop_gradient && !noGrad?.has(t);
    },
  };
}

tensorRuntime.backward = (t, g, retain) =>
  void runBackward([t], [g], { retainGraph: retain, createGraph: false, api: 'Tensor.backward' });

export type { GradResult };
