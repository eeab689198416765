// The accuracy operator (paddle/fluid/operators/metrics/accuracy_op.cc): from the top-k
// indices of each row (Indices, the output of top_k / top_k_v2 on the predictions Out) and
// the labels, the fraction of rows whose label is among their top k. Not differentiable
// (Paddle registers no gradient), so it has no grad rule.
import { showShape } from '../core/shape.js';
import { defineOp, meta, one, opFail, requireDtypes } from './util.js';

defineOp({
  type: 'accuracy',
  inputs: ['Out!', 'Indices!', 'Label!'],
  outputs: ['Accuracy', 'Correct', 'Total'],
  attrs: {},
  noGradOutputs: ['Accuracy', 'Correct', 'Total'],
  infer(ins) {
    const op = 'accuracy';
    const out = one(ins, 'Out', op);
    const idx = one(ins, 'Indices', op);
    const label = one(ins, 'Label', op);
    requireDtypes(out, ['float16', 'float32', 'float64'], op, 'Out');
    requireDtypes(idx, ['int32', 'int64'], op, 'Indices');
    requireDtypes(label, ['int32', 'int64'], op, 'Label');
    if (out.dims.length !== 2) opFail(op, `input Out (the top-k values) must be 2-D [samples, k], but has shape ${showShape(out.dims)}`);
    if (idx.dims.length !== 2 || (idx.dims[1] >= 0 && out.dims[1] >= 0 && idx.dims[1] !== out.dims[1]))
      opFail(op, `input Indices must have the shape of Out ${showShape(out.dims)}, but has shape ${showShape(idx.dims)}`);
    if (label.dims.length !== 2)
      opFail(op, `label's dimensions must be 2, but received label's shape ${showShape(label.dims)}`);
    if (label.dims[1] >= 0 && label.dims[1] !== 1)
      opFail(op, `label's second dimension must be 1, but received label's shape ${showShape(label.dims)}`);
    const rows = [out.dims[0], idx.dims[0], label.dims[0]].filter((d) => d >= 0);
    if (rows.some((d) => d !== rows[0]))
      opFail(op, `Out, Indices and Label must have the same number of rows, but got shapes ${showShape(out.dims)}, ${showShape(idx.dims)} and ${showShape(label.dims)}`);
    return { Accuracy: [meta([1], 'float32')], Correct: [meta([1], 'int32')], Total: [meta([1], 'int32')] };
  },
});
