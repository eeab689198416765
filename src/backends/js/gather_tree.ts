// Portable kernel of gather_tree: for every (batch, beam) it walks the parent pointers from the
// last step back to the first, copying ids. int64 ids are copied as BigInt64 values (exact);
// parent indices are read as numbers and checked against beam_size.
import { apiName } from '../../core/args.js';
import { allocStorage } from '../../core/dtype.js';
import { fail, OutOfRangeError } from '../../core/errors.js';
import { registerKernel } from '../../core/registry.js';
import { Tensor } from '../../core/tensor.js';

registerKernel('gather_tree', 'js', (ins, _attrs, outs) => {
  const ids = ins.Ids[0];
  const parents = ins.Parents[0];
  const [T, B, K] = ids.dims;
  const o = outs.Out[0];
  const storage = allocStorage(o.dtype, T * B * K);
  // Int32Array or BigInt64Array alike: elements are only copied
  const out = storage as unknown as { [i: number]: number | bigint };
  const idv = ids.data as unknown as { readonly [i: number]: number | bigint };
  const pv = parents.data;
  const parentAt = (i: number): number => {
    const p = Number(pv[i]);
    if (!(p >= 0 && p < K))
      fail(apiName('gather_tree'), `Parents holds ${p} at flat index ${i}, outside the beam range [0, ${K}) (operator gather_tree)`, OutOfRangeError);
    return p;
  };
  if (T > 0) {
    const stepSize = B * K;
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        let idx = (T - 1) * stepSize + b * K + k;
        out[idx] = idv[idx];
        let parent = parentAt(idx);
        for (let t = T - 2; t >= 0; t--) {
          const row = t * stepSize + b * K;
          out[row + k] = idv[row + parent];
          parent = parentAt(row + parent);
        }
      }
    }
  }
  return { Out: [new Tensor(storage, o.dims.slice(), o.dtype)] };
});
