// Portable kernels of softmax and log_softmax: per slice along the axis, subtract the max,
// exponentiate and normalize in float64 (float32/float16 rounded once when stored).
import type { NumArray } from '../../core/dtype.js';
import { registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { softmaxAxis } from '../../ops/softmax.js';
import { nums, outNumbers, tensorOf } from './loops.js';

/** Splits dims around `axis`: [outer, n, inner]. */
export function aroundAxis(dims: readonly number[], axis: number): [number, number, number] {
  return [numel(dims.slice(0, axis)), dims[axis], numel(dims.slice(axis + 1))];
}

let row = new Float64Array(256);

/** softmax (log = false) or log_softmax (log = true) of x over [outer, n, inner] into out. */
export function softmaxInto(x: NumArray, out: NumArray, outer: number, n: number, inner: number, log: boolean): void {
  if (row.length < n) row = new Float64Array(n);
  const e = row;
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = o * n * inner + q;
      let p = base;
      let max = -Infinity;
      for (let i = 0; i < n; i++, p += inner) {
        const v = x[p];
        if (v > max) max = v;
      }
      if (max === -Infinity) max = 0; // a slice of all -inf: avoid -inf - -inf
      let sum = 0;
      p = base;
      if (log) {
        for (let i = 0; i < n; i++, p += inner) {
          const t = x[p] - max;
          e[i] = t;
          sum += Math.exp(t);
        }
        const ls = Math.log(sum);
        p = base;
        for (let i = 0; i < n; i++, p += inner) out[p] = e[i] - ls;
      } else {
        for (let i = 0; i < n; i++, p += inner) {
          const t = Math.exp(x[p] - max);
          e[i] = t;
          sum += t;
        }
        const inv = 1 / sum;
        p = base;
        for (let i = 0; i < n; i++, p += inner) out[p] = e[i] * inv;
      }
    }
  }
}

for (const [type, log] of [['softmax', false], ['log_softmax', true]] as const) {
  registerKernel(type, 'js', (ins, attrs, outs) => {
    const x = ins.X[0];
    const o = outs.Out[0];
    const axis = softmaxAxis(x, attrs.axis, type);
    const [outer, n, inner] = aroundAxis(x.dims, axis);
    const res = outNumbers(o.dtype, o.dims);
    softmaxInto(nums(x), res, outer, n, inner, log);
    return { Out: [tensorOf(res, o.dims.slice(), o.dtype)] };
  }, ['float16', 'float32', 'float64']);
}
