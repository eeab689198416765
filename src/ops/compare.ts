// Comparisons (paddle/fluid/operators/controlflow/compare_op.cc, compare_all_op.cc,
// allclose_op.cc, isfinite_v2_op.cc): elementwise comparisons with `axis` broadcasting giving
// bool, equal_all and allclose giving one bool of shape [1], and the isfinite/isinf/isnan
// tests. None of them has a gradient.
import { DType } from '../core/dtype.js';
import { PreconditionNotMetError, fail } from '../core/errors.js';
import { apiName } from '../core/args.js';
import { showShape } from '../core/shape.js';
import { bool, defineOp, int, one, opFail, out, str, broadcastXY } from './util.js';

const REAL: readonly DType[] = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64'];

function checkReal(d: DType, op: string, what: string): void {
  if (!REAL.includes(d)) opFail(op, `input ${what} has dtype ${d}, which ${op} does not support`);
}

for (const type of ['equal', 'not_equal', 'less_than', 'less_equal', 'greater_than', 'greater_equal']) {
  defineOp({
    type,
    inputs: ['X', 'Y'],
    outputs: ['Out'],
    attrs: { axis: int(-1), force_cpu: bool(false) },
    infer(ins, attrs) {
      const x = one(ins, 'X', type);
      const y = one(ins, 'Y', type);
      checkReal(x.dtype, type, 'X');
      if (x.dtype !== y.dtype) opFail(type, `X and Y must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
      if (attrs.axis < -1) opFail(type, `attribute axis must be >= -1, but got ${attrs.axis}`);
      return out(broadcastXY(x, y, attrs.axis, type), 'bool');
    },
  });
}

// equal_all: true iff X and Y have the same shape and every element is equal.
defineOp({
  type: 'equal_all',
  inputs: ['X', 'Y'],
  outputs: ['Out'],
  infer(ins) {
    const x = one(ins, 'X', 'equal_all');
    const y = one(ins, 'Y', 'equal_all');
    checkReal(x.dtype, 'equal_all', 'X');
    if (x.dtype !== y.dtype) opFail('equal_all', `X and Y must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
    return out([1], 'bool');
  },
});

// allclose: rtol/atol are string attributes in 2.0 (Python passes str(rtol)); optional
// float64 tensors Rtol/Atol override them.
defineOp({
  type: 'allclose',
  inputs: ['Input', 'Other', 'Rtol?', 'Atol?'],
  outputs: ['Out'],
  attrs: { rtol: str('1e-5'), atol: str('1e-8'), equal_nan: bool(false) },
  infer(ins, attrs) {
    const x = one(ins, 'Input', 'allclose');
    const y = one(ins, 'Other', 'allclose');
    for (const [m, w] of [[x, 'Input'], [y, 'Other']] as const)
      if (m.dtype !== 'float32' && m.dtype !== 'float64') opFail('allclose', `input ${w} must be float32 or float64, but got ${m.dtype}`);
    if (x.dtype !== y.dtype) opFail('allclose', `Input and Other must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
    const same = x.dims.length === y.dims.length && x.dims.every((d, i) => d === y.dims[i] || d === -1 || y.dims[i] === -1);
    if (!same)
      fail(apiName('allclose'), `Input and Other must have the same shape, but got ${showShape(x.dims)} and ${showShape(y.dims)} (operator allclose)`, PreconditionNotMetError);
    for (const k of ['rtol', 'atol']) {
      const v = attrs[k];
      if (!(typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)))))
        opFail('allclose', `attribute ${k} must be a number written as a string, but got ${JSON.stringify(v)}`);
    }
    for (const s of ['Rtol', 'Atol']) {
      const t = ins[s]?.[0];
      if (t && (t.dtype !== 'float64' || t.dims.reduce((a, b) => a * b, 1) !== 1))
        opFail('allclose', `input ${s} must be a float64 tensor with one element, but got dtype ${t.dtype} and shape ${showShape(t.dims)}`);
    }
    return out([1], 'bool');
  },
});

// isfinite_v2 / isinf_v2 / isnan_v2: elementwise tests, bool of X's shape.
for (const type of ['isfinite_v2', 'isinf_v2', 'isnan_v2']) {
  defineOp({
    type,
    inputs: ['X'],
    outputs: ['Out'],
    infer(ins) {
      const x = one(ins, 'X', type);
      checkReal(x.dtype, type, 'X');
      return out(x.dims.slice(), 'bool');
    },
  });
}
