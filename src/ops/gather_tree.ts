// gather_tree (paddle/fluid/operators/gather_tree_op.*): back-traces beam-search results.
// Ids and Parents are [max_time, batch_size, beam_size] int32/int64 tensors of the same shape
// and dtype; Out[t, b, k] is the id on the path that ends at beam k of the last step, found by
// following Parents backwards from there. Integer data only, so the operator has no gradient.
import { showShape, sameShape } from '../core/shape.js';
import { defineOp, meta, one, opFail } from './util.js';

defineOp({
  type: 'gather_tree',
  inputs: ['Ids!', 'Parents!'],
  outputs: ['Out'],
  attrs: {},
  infer(ins) {
    const op = 'gather_tree';
    const ids = one(ins, 'Ids', op);
    const parents = one(ins, 'Parents', op);
    for (const [m, what] of [[ids, 'Ids'], [parents, 'Parents']] as const) {
      if (m.dtype !== 'int32' && m.dtype !== 'int64') opFail(op, `input ${what} must be an int32 or int64 tensor, but got ${m.dtype}`);
      if (m.dims.length !== 3) opFail(op, `input ${what} must have shape [max_time, batch_size, beam_size], but got shape ${showShape(m.dims)}`);
    }
    if (!sameShape(ids.dims, parents.dims))
      opFail(op, `the shape of Input(Parents) must be same with the shape of Input(Ids), but got ${showShape(parents.dims)} and ${showShape(ids.dims)}`);
    if (ids.dtype !== parents.dtype) opFail(op, `Ids and Parents must have the same dtype, but got ${ids.dtype} and ${parents.dtype}`);
    return { Out: [meta(ids.dims.slice(), ids.dtype)] };
  },
});
