// Attribute and statistics operators: size (paddle.numel), shape (paddle.shape) and histogram
// (paddle/fluid/operators/size_op.cc, shape_op.cc, histogram_op.cc). None has a gradient.
import { isComplex } from '../core/dtype.js';
import { defineOp, int, long, meta, one, opFail } from './util.js';

defineOp({
  type: 'size',
  inputs: ['Input'],
  outputs: ['Out'],
  infer(ins) {
    one(ins, 'Input', 'size');
    return { Out: [meta([1], 'int64')] };
  },
});

defineOp({
  type: 'shape',
  inputs: ['Input'],
  outputs: ['Out'],
  infer(ins) {
    const x = one(ins, 'Input', 'shape');
    return { Out: [meta([x.dims.length], 'int32')] };
  },
});

defineOp({
  type: 'histogram',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { bins: long(100), min: int(0), max: int(0) },
  infer(ins, attrs) {
    const op = 'histogram';
    const x = one(ins, 'X', op);
    if (isComplex(x.dtype) || x.dtype === 'bool') opFail(op, `input X must be a real number tensor, but got ${x.dtype}`);
    const bins = attrs.bins as number;
    if (!Number.isInteger(bins) || bins < 1) opFail(op, `bins must be an integer >= 1, but got ${bins}`);
    if (!Number.isInteger(attrs.min) || !Number.isInteger(attrs.max))
      opFail(op, `min and max must be integers, but got min = ${attrs.min}, max = ${attrs.max}`);
    if (attrs.max < attrs.min) opFail(op, `max must be larger than or equal to min, but got max = ${attrs.max}, min = ${attrs.min}`);
    return { Out: [meta([bins], 'int64')] };
  },
});
