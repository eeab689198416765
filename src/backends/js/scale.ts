// Portable kernel of `scale`.
import { isComplex, isFloating } from '../../core/dtype.js';
import { registerKernel } from '../../core/registry.js';
import { nums, outNumbers, tensorOf, unaryLoop } from './loops.js';

const after = unaryLoop('x * p0 + p1');
const before = unaryLoop('(x + p1) * p0');
const afterInt = unaryLoop('Math.trunc(x * p0 + p1)');
const beforeInt = unaryLoop('Math.trunc((x + p1) * p0)');

registerKernel('scale', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  const st = ins.ScaleTensor?.[0];
  const s = st ? Number(nums(st)[0]) : attrs.scale;
  const res = outNumbers(o.dtype, o.dims);
  const a = nums(x);
  if (isComplex(x.dtype)) {
    // complex: scale and bias both act on the real part of the bias only
    for (let i = 0; i < a.length; i += 2) {
      const b = i % 2 === 0 ? attrs.bias : 0;
      res[i] = attrs.bias_after_scale ? a[i] * s + b : (a[i] + b) * s;
      res[i + 1] = a[i + 1] * s;
    }
  } else {
    const f = isFloating(x.dtype) ? (attrs.bias_after_scale ? after : before) : attrs.bias_after_scale ? afterInt : beforeInt;
    f(a, res, a.length, s, attrs.bias, 0);
  }
  return { Out: [tensorOf(res, o.dims.slice(), o.dtype)] };
});
