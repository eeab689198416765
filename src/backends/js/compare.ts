// Portable kernels of the comparisons: broadcasting compare loops writing bool (0/1) bytes,
// equal_all, allclose and the isfinite/isinf/isnan tests. int64 compares its BigInt64Array
// storage directly, so it stays exact beyond 2^53.
import { isFloating, NumArray, toNumbers } from '../../core/dtype.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { sameShape } from '../../core/shape.js';
import { Meta, Tensor } from '../../core/tensor.js';
import { alignY } from '../../ops/util.js';
import { binaryLoop, BinaryLoop } from './loops.js';

/** Storage as the compare loops read it: numbers, or the bigints of int64. */
function operand(t: Tensor): NumArray {
  return (t.dtype === 'int64' ? t.data : toNumbers(t.data, t.dtype)) as NumArray;
}

// Paddle's EqualFunctor treats floats closer than 1e-8 as equal (with inf == inf, as later
// releases fixed; NaN equals nothing).
const FLOAT_EQ = '(x === y || Math.abs(x - y) < 1e-8)';
const COMPARE: Record<string, [string, string]> = {
  equal: [FLOAT_EQ, 'x === y'],
  not_equal: [`!${FLOAT_EQ}`, 'x !== y'],
  less_than: ['x < y', 'x < y'],
  less_equal: ['x <= y', 'x <= y'],
  greater_than: ['x > y', 'x > y'],
  greater_equal: ['x >= y', 'x >= y'],
};

for (const [type, [fe, ie]] of Object.entries(COMPARE)) {
  const fl: BinaryLoop = binaryLoop(`(${fe}) ? 1 : 0`);
  const il: BinaryLoop = binaryLoop(`(${ie}) ? 1 : 0`);
  registerKernel(type, 'js', (ins: Slots<Tensor>, attrs, outs: Slots<Meta>) => {
    const x = ins.X[0];
    const y = ins.Y[0];
    const o = outs.Out[0];
    const res = new Uint8Array(o.dims.reduce((a, b) => a * b, 1));
    const aligned = alignY(x.dims, y.dims, attrs.axis, type);
    (isFloating(x.dtype) ? fl : il)(operand(x), x.dims, operand(y), aligned, res, o.dims);
    return { Out: [new Tensor(res, o.dims.slice(), 'bool')] };
  });
}

registerKernel('equal_all', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  let eq = sameShape(x.dims, y.dims);
  if (eq) {
    const a = operand(x);
    const b = operand(y);
    if (isFloating(x.dtype)) {
      for (let i = 0; i < a.length; i++) {
        const u = a[i], v = b[i];
        if (!(u === v || Math.abs(u - v) < 1e-8)) { eq = false; break; }
      }
    } else {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) { eq = false; break; }
    }
  }
  return { Out: [new Tensor(Uint8Array.of(eq ? 1 : 0), [1], 'bool')] };
});

// allclose: |a - b| <= atol + rtol * |b| everywhere (computed in the input's precision, with
// Paddle's 1e-15 slack); NaNs match only with equal_nan.
registerKernel('allclose', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.Input[0];
  const y = ins.Other[0];
  const rt = ins.Rtol?.[0];
  const at = ins.Atol?.[0];
  const rtol = rt ? Number(toNumbers(rt.data, rt.dtype)[0]) : Number(attrs.rtol);
  const atol = at ? Number(toNumbers(at.data, at.dtype)[0]) : Number(attrs.atol);
  const eqNan = !!attrs.equal_nan;
  const r: (v: number) => number = x.dtype === 'float32' ? Math.fround : (v) => v;
  const a = toNumbers(x.data, x.dtype);
  const b = toNumbers(y.data, y.dtype);
  let ok = true;
  for (let i = 0; i < a.length && ok; i++) {
    const u = a[i], v = b[i];
    if (u !== u || v !== v) ok = eqNan && u !== u && v !== v;
    else {
      const left = r(u > v ? u - v : v - u);
      const right = r(atol + (v > 0 ? rtol * v : -rtol * v));
      const diff = r(left > right ? left - right : right - left);
      ok = u === v || left <= right || diff <= 1e-15;
    }
  }
  return { Out: [new Tensor(Uint8Array.of(ok ? 1 : 0), [1], 'bool')] };
});

const TESTS: Record<string, (v: number) => boolean> = {
  isfinite_v2: Number.isFinite,
  isinf_v2: (v) => v === Infinity || v === -Infinity,
  isnan_v2: Number.isNaN,
};
for (const [type, test] of Object.entries(TESTS)) {
  registerKernel(type, 'js', (ins: Slots<Tensor>) => {
    const x = ins.X[0];
    const res = new Uint8Array(x.dims.reduce((a, b) => a * b, 1));
    if (isFloating(x.dtype)) {
      const a = toNumbers(x.data, x.dtype);
      for (let i = 0; i < a.length; i++) res[i] = test(a[i]) ? 1 : 0;
    } else if (type === 'isfinite_v2') res.fill(1); // integers are always finite
    return { Out: [new Tensor(res, x.dims.slice(), 'bool')] };
  });
}
