// Portable kernels of expand_v2, expand_as_v2 and tile, on raw storage (every dtype). One
// routine does all three: each output dim is `reps` copies of the (padded) input dim; a copy
// is built once, then duplicated with copyWithin (or a short loop).
import { allocStorage, isComplex, Storage } from '../../core/dtype.js';
import { Kernel, registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { copyRun } from './transpose.js';

type Arr = Float64Array;

/**
 * Writes into dst the tiling of src: `xs` are the input dims padded to the output rank,
 * `reps` the copies per dim, `width` storage slots per element.
 */
export function tileStorage(src: Storage, xs: readonly number[], reps: readonly number[], width: number, dst: Storage): void {
  const dims = width > 1 ? [...xs, width] : xs.slice();
  const rp = width > 1 ? [...reps, 1] : reps.slice();
  const r = dims.length;
  if (numel(dims) === 0) return;
  const inStride = new Array<number>(r + 1).fill(1);
  const outBlock = new Array<number>(r + 1).fill(1);
  const tailOnes = new Array<boolean>(r + 1).fill(true);
  for (let i = r - 1; i >= 0; i--) {
    inStride[i] = inStride[i + 1] * dims[i];
    outBlock[i] = outBlock[i + 1] * dims[i] * rp[i];
    tailOnes[i] = tailOnes[i + 1] && rp[i] === 1;
  }
  const d = dst as Arr;
  const fill = (k: number, sOff: number, dOff: number): void => {
    if (tailOnes[k]) return copyRun(dst, dOff, src, sOff, inStride[k]);
    const n = dims[k];
    const sStep = inStride[k + 1];
    const dStep = outBlock[k + 1];
    for (let i = 0; i < n; i++) fill(k + 1, sOff + i * sStep, dOff + i * dStep);
    const one = n * dStep;
    const times = rp[k];
    if (one >= 32) for (let t = 1; t < times; t++) d.copyWithin(dOff + t * one, dOff, dOff + one);
    else for (let t = 1, p = dOff + one; t < times; t++) for (let j = 0; j < one; j++) d[p++] = d[dOff + j];
  };
  fill(0, 0, 0);
}

/** Output = X tiled to the inferred output dims (the repeat counts are output / input dims). */
const broadcastKernel: Kernel = (ins, _attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  const r = o.dims.length;
  const xs = [...new Array<number>(r - x.dims.length).fill(1), ...x.dims];
  const reps = o.dims.map((d, i) => (xs[i] === 0 ? 1 : d / xs[i]));
  const dst = allocStorage(x.dtype, numel(o.dims));
  tileStorage(x.data, xs, reps, isComplex(x.dtype) ? 2 : 1, dst);
  return { Out: [new Tensor(dst, o.dims.slice(), x.dtype)] };
};

registerKernel('expand_v2', 'js', broadcastKernel);
registerKernel('expand_as_v2', 'js', broadcastKernel);
registerKernel('tile', 'js', broadcastKernel);
