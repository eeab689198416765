// Portable kernels of the embedding lookups: rows are copied as raw storage (any dtype), the
// gradients add Out@GRAD rows into a zero table.
import { allocNumbers, allocStorage, NumArray, toNumbers } from '../../core/dtype.js';
import { Attrs, registerKernel, Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { opFail } from '../../ops/util.js';
import { nums, tensorOf } from './loops.js';

/** The ids as numbers, each checked against [0, rows) unless it is the padding index. */
function readIds(op: string, ids: Tensor, rows: number, pad: number): NumArray {
  const v = toNumbers(ids.data, ids.dtype);
  const n = numel(ids.dims);
  for (let i = 0; i < n; i++) {
    const id = v[i];
    if (id === pad && pad !== -1) continue;
    if (!(id >= 0 && id < rows))
      opFail(op, `an id is out of range: expected every id in [0, ${rows}) (the lookup table has ${rows} rows), but got ${id} at position ${i} of Ids`);
  }
  return v;
}

function lookup(op: string) {
  return (ins: Slots<Tensor>, attrs: Attrs): Slots<Tensor> => {
    const w = ins.W[0];
    const ids = ins.Ids[0];
    const [rows, dim] = w.dims;
    const pad = Number(attrs.padding_idx);
    const v = readIds(op, ids, rows, pad);
    const n = numel(ids.dims);
    const out = allocStorage(w.dtype, n * dim);
    const src = w.data as Float64Array;
    const dst = out as Float64Array;
    for (let i = 0; i < n; i++) {
      const id = v[i];
      if (id === pad && pad !== -1) continue; // zeros
      dst.set(src.subarray(id * dim, id * dim + dim), i * dim);
    }
    const dims = op === 'lookup_table' ? [...ids.dims.slice(0, -1), dim] : [...ids.dims, dim];
    return { Out: [new Tensor(out, dims, w.dtype)] };
  };
}

function lookupGrad(op: string) {
  return (ins: Slots<Tensor>, attrs: Attrs): Slots<Tensor> => {
    const w = ins.W[0];
    const ids = ins.Ids[0];
    const g = ins['Out@GRAD'][0];
    const [rows, dim] = w.dims;
    const pad = Number(attrs.padding_idx);
    const v = readIds(op, ids, rows, pad);
    const n = numel(ids.dims);
    const gv = nums(g);
    const out = allocNumbers(g.dtype, rows * dim);
    for (let i = 0; i < n; i++) {
      const id = v[i];
      if (id === pad && pad !== -1) continue; // padding rows get no gradient
      const o = id * dim;
      const s = i * dim;
      for (let j = 0; j < dim; j++) out[o + j] += gv[s + j];
    }
    return { 'W@GRAD': [tensorOf(out, [rows, dim], g.dtype)] };
  };
}

registerKernel('lookup_table_v2', 'js', lookup('lookup_table_v2'));
registerKernel('lookup_table', 'js', lookup('lookup_table'));
registerKernel('lookup_table_v2_grad', 'js', lookupGrad('lookup_table_v2_grad'));
registerKernel('lookup_table_grad', 'js', lookupGrad('lookup_table_grad'));
