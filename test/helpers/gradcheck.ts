// The one finite-difference gradient checker: every differentiable operator's test uses it.
// It compares autograd's gradient of sum(f(inputs) * W) (W random, so every output element
// weighs differently) with central differences, in float64.
import assert from 'node:assert/strict';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';

export interface GradCheckOptions {
  /** Indices of the inputs to check (default: every float input). */
  wrt?: number[];
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Also check second derivatives through create_graph (default false). */
  second?: boolean;
}

let seedState = 12345;
function rand(): number {
  seedState = (Math.imul(seedState, 1103515245) + 12345) >>> 0;
  return seedState / 2 ** 32;
}

function floatInputs(inputs: Tensor[]): number[] {
  return inputs.map((t, i) => (t.dtype === 'float64' ? i : -1)).filter((i) => i >= 0);
}

/** Output(s) of f reduced to a scalar with fixed random weights. */
function weighted(outs: Tensor | Tensor[], weights: Tensor[] | null): [Tensor, Tensor[]] {
  const list = Array.isArray(outs) ? outs : [outs];
  const ws = weights ?? list.map((o) => paddle.to_tensor(Array.from({ length: o.size }, () => rand() * 2 - 1), { dtype: o.dtype === 'float32' ? 'float32' : 'float64' }).reshape(o.shape));
  let total: Tensor | null = null;
  list.forEach((o, i) => {
    const s = paddle.sum(paddle.multiply(o, ws[i]));
    total = total ? paddle.add(total, s) : s;
  });
  return [total!, ws];
}

/**
 * Checks d(f)/d(inputs) against central differences. Inputs should be float64 Tensors for the
 * checked ones (others, e.g. int labels, pass through unchanged).
 */
export function checkGrad(f: (...xs: Tensor[]) => Tensor | Tensor[], inputs: Tensor[], opts: GradCheckOptions = {}): void {
  const { eps = 1e-6, rtol = 1e-4, atol = 1e-6 } = opts;
  const wrt = opts.wrt ?? floatInputs(inputs);
  assert.ok(wrt.length > 0, 'checkGrad: no float64 input to check');
  const xs = inputs.map((t, i) => {
    const c = paddle.to_tensor(t.numpy() as never, { dtype: t.dtype }).reshape(t.shape);
    c.lod = t.lod.map((l) => l.slice()); // LoD inputs (sequence operators) keep their LoD
    c.stop_gradient = !wrt.includes(i);
    return c;
  });
  const [y, ws] = weighted(f(...xs), null);
  const analytic = paddle.grad([y], wrt.map((i) => xs[i]), { allow_unused: true, create_graph: !!opts.second });
  for (let k = 0; k < wrt.length; k++) {
    const i = wrt[k];
    const base = Float64Array.from(xs[i].numpy() as Float64Array);
    const numeric = new Float64Array(base.length);
    for (let j = 0; j < base.length; j++) {
      const probe = (delta: number): number => {
        const d = base.slice();
        d[j] += delta;
        // fresh inputs that need gradients as the originals do (second-order checks differentiate inside f)
        const args = xs.map((t, m) => {
          const a = m === i ? paddle.to_tensor(d, { dtype: 'float64' }).reshape(t.shape) : paddle.to_tensor(t.numpy() as never, { dtype: t.dtype }).reshape(t.shape);
          a.stop_gradient = t.stop_gradient;
          a.lod = t.lod;
          return a;
        });
        const [v] = weighted(f(...args), ws);
        return v.item() as number;
      };
      numeric[j] = (probe(eps) - probe(-eps)) / (2 * eps);
    }
    // a sparse (SelectedRows) gradient is compared as the dense table it stands for
    const g0 = analytic[k];
    const g = g0 && g0.type === 'SELECTED_ROWS' ? (g0 as unknown as { to_dense(): paddle.Tensor }).to_dense() : g0;
    const a = g ? Array.from(g.numpy() as Float64Array) : new Array(base.length).fill(0);
    for (let j = 0; j < base.length; j++) {
      const tol = atol + rtol * Math.abs(numeric[j]);
      if (!(Math.abs(a[j] - numeric[j]) <= tol))
        assert.fail(`gradient of input ${i}, element ${j}: autograd ${a[j]} vs finite difference ${numeric[j]}\nautograd: ${a.slice(0, 12)}\nnumeric:  ${Array.from(numeric.slice(0, 12))}`);
    }
  }
  if (opts.second) {
    // Second derivatives: check d/dx of sum(grad * V) the same way.
    const g1 = (...zs: Tensor[]): Tensor[] => {
      const [yy] = weighted(f(...zs), ws);
      return paddle.grad([yy], wrt.map((i) => zs[i]), { create_graph: true, allow_unused: true }).map((g, k) => g ?? paddle.zeros_like(zs[wrt[k]]));
    };
    checkGrad(g1, inputs, { ...opts, second: false });
  }
}

/** A float64 tensor of the given shape with values in [lo, hi), deterministic. */
export function randTensor(shape: number[], lo = -1, hi = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return paddle.to_tensor(Float64Array.from({ length: n }, () => lo + (hi - lo) * rand())).reshape(shape);
}
