// Logical operators (paddle/fluid/operators/controlflow/logical_op.cc): logical_and,
// logical_or, logical_xor with NumPy broadcasting, and logical_not. Paddle 2.0 runs them on
// bool tensors only; no gradient.
import { broadcastShapes } from '../core/shape.js';
import { apiName } from '../core/args.js';
import type { Meta } from '../core/tensor.js';
import { defineOp, one, opFail, out } from './util.js';

function requireBool(m: Meta, op: string, what: string): void {
  if (m.dtype !== 'bool') opFail(op, `input ${what} must be a bool tensor, but got ${m.dtype}`);
}

for (const type of ['logical_and', 'logical_or', 'logical_xor']) {
  defineOp({
    type,
    inputs: ['X', 'Y'],
    outputs: ['Out'],
    infer(ins) {
      const x = one(ins, 'X', type);
      const y = one(ins, 'Y', type);
      requireBool(x, type, 'X');
      requireBool(y, type, 'Y');
      return out(broadcastShapes(x.dims, y.dims, apiName(type)), 'bool');
    },
  });
}

defineOp({
  type: 'logical_not',
  inputs: ['X'],
  outputs: ['Out'],
  infer(ins) {
    const x = one(ins, 'X', 'logical_not');
    requireBool(x, 'logical_not', 'X');
    return out(x.dims.slice(), 'bool');
  },
});
