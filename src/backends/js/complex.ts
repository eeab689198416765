// Portable complex kernels. Complex storage is interleaved (re, im) in a Float32Array
// (complex64) or Float64Array (complex128). The kernels of conj/real/imag and their grad
// operators are the ops' own 'js' kernels; the complex kernels of operators that also have
// real kernels (elementwise_add/sub/mul/div, abs) register on the 'js-complex' backend for
// complex dtypes only, so they never replace the real ones (whose kernels decline complex).
import { allocStorage, DType, isComplex, realOf } from '../../core/dtype.js';
import { registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { complexOf } from '../../ops/complex.js';
import { alignY } from '../../ops/util.js';
import { broadcastStrides } from './loops.js';

type F = Float32Array | Float64Array;
const COMPLEX: DType[] = ['complex64', 'complex128'];

// ---- conj, real, imag and the grad operators ---------------------------------------------

registerKernel('conj', 'js', (ins, _attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  if (!isComplex(x.dtype)) return { Out: [new Tensor(x.data.slice(), o.dims.slice(), o.dtype)] };
  const a = x.data as F;
  const res = allocStorage(o.dtype, numel(o.dims)) as F;
  for (let i = 0; i < res.length; i += 2) {
    res[i] = a[i];
    res[i + 1] = -a[i + 1];
  }
  return { Out: [new Tensor(res, o.dims.slice(), o.dtype)] };
});

/** Out[i] = X's part `part` (0 real, 1 imaginary) of element i. */
function partKernel(type: string, part: 0 | 1): void {
  registerKernel(type, 'js', (ins, _attrs, outs) => {
    const x = ins.X[0];
    const o = outs.Out[0];
    if (!isComplex(x.dtype)) return undefined;
    const a = x.data as F;
    const n = numel(o.dims);
    const res = allocStorage(o.dtype, n) as F;
    for (let i = 0, q = part; i < n; i++, q += 2) res[i] = a[q];
    return { Out: [new Tensor(res, o.dims.slice(), o.dtype)] };
  });
}
partKernel('real', 0);
partKernel('imag', 1);

/** X@GRAD = a complex tensor whose part `part` is Out@GRAD (the other part 0). */
function partGradKernel(type: string, part: 0 | 1): void {
  registerKernel(type, 'js', (ins, _attrs, outs) => {
    const g = ins['Out@GRAD'][0];
    const o = outs['X@GRAD'][0];
    if (g.dtype !== 'float32' && g.dtype !== 'float64') return undefined;
    const a = g.data as F;
    const n = numel(o.dims);
    const res = allocStorage(complexOf(g.dtype), n) as F;
    for (let i = 0, q = part; i < n; i++, q += 2) res[q] = a[i];
    return { 'X@GRAD': [new Tensor(res, o.dims.slice(), o.dtype)] };
  });
}
partGradKernel('real_grad', 0);
partGradKernel('imag_grad', 1);

// ---- abs: the modulus, a real tensor ------------------------------------------------------

registerKernel(
  'abs',
  'js-complex',
  (ins, _attrs, outs) => {
    const x = ins.X[0];
    if (!isComplex(x.dtype)) return undefined;
    const o = outs.Out[0];
    const a = x.data as F;
    const n = numel(o.dims);
    const res = allocStorage(realOf(x.dtype), n) as F;
    for (let i = 0, q = 0; i < n; i++, q += 2) res[i] = Math.hypot(a[q], a[q + 1]);
    return { Out: [new Tensor(res, o.dims.slice(), realOf(x.dtype))] };
  },
  COMPLEX,
);

// ---- elementwise add/sub/mul/div with broadcasting ------------------------------------------

type ComplexLoop = (a: F, aDims: readonly number[], b: F, bDims: readonly number[], out: F, outDims: readonly number[]) => void;

/**
 * Compiles a broadcasting loop over complex elements. `body` reads xr, xi, yr, yi and sets
 * re, im (declared with let); element indices are in complex elements, storage indices
 * twice that.
 */
function complexLoop(body: string): ComplexLoop {
  const step = `{ let re, im; ${body} out[p] = re; out[p + 1] = im; }`;
  const src = `
  const n = out.length >> 1;
  if (n === 0) return;
  const na = a.length >> 1, nb = b.length >> 1;
  if (na === n && nb === n) {
    for (let p = 0; p < 2 * n; p += 2) { const xr = a[p], xi = a[p + 1], yr = b[p], yi = b[p + 1]; ${step} }
    return;
  }
  if (nb === 1 && na === n) {
    const yr = b[0], yi = b[1];
    for (let p = 0; p < 2 * n; p += 2) { const xr = a[p], xi = a[p + 1]; ${step} }
    return;
  }
  if (na === 1 && nb === n) {
    const xr = a[0], xi = a[1];
    for (let p = 0; p < 2 * n; p += 2) { const yr = b[p], yi = b[p + 1]; ${step} }
    return;
  }
  const nd = outDims.length;
  const sa = bstrides(aDims, outDims), sb = bstrides(bDims, outDims);
  const inner = outDims[nd - 1], ia = 2 * sa[nd - 1], ib = 2 * sb[nd - 1];
  const idx = new Int32Array(nd);
  let oa = 0, ob = 0, p = 0;
  const outer = n / inner;
  for (let o = 0; o < outer; o++) {
    for (let k = 0, qa = 2 * oa, qb = 2 * ob; k < inner; k++, qa += ia, qb += ib, p += 2) {
      const xr = a[qa], xi = a[qa + 1], yr = b[qb], yi = b[qb + 1];
      ${step}
    }
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++; oa += sa[d]; ob += sb[d];
      if (idx[d] < outDims[d]) break;
      oa -= sa[d] * outDims[d]; ob -= sb[d] * outDims[d]; idx[d] = 0;
    }
  }`;
  return new Function('bstrides', 'fr', `return function(a, aDims, b, bDims, out, outDims) {${src}\n};`)(broadcastStrides, Math.fround) as ComplexLoop;
}

/**
 * Registers a complex kernel: `body(F)` is the loop body, with F wrapping every intermediate
 * result. complex128 computes in doubles (F is empty); complex64 rounds every step to float32
 * (F = Math.fround), as Paddle's complex64 operators compute in float.
 */
function complexBinary(type: string, body: (F: string) => string): void {
  const loop128 = complexLoop(body(''));
  const loop64 = complexLoop(body('fr'));
  registerKernel(
    type,
    'js-complex',
    (ins, attrs, outs) => {
      const x = ins.X[0];
      const y = ins.Y[0];
      if (!isComplex(x.dtype) || y.dtype !== x.dtype) return undefined;
      const o = outs.Out[0];
      const res = allocStorage(o.dtype, numel(o.dims)) as F;
      const loop = x.dtype === 'complex64' ? loop64 : loop128;
      loop(x.data as F, x.dims, y.data as F, alignY(x.dims, y.dims, attrs.axis, type), res, o.dims);
      return { Out: [new Tensor(res, o.dims.slice(), o.dtype)] };
    },
    COMPLEX,
  );
}

complexBinary('elementwise_add', () => 're = xr + yr; im = xi + yi;');
complexBinary('elementwise_sub', () => 're = xr - yr; im = xi - yi;');
complexBinary('elementwise_mul', (F) => `re = ${F}(xr * yr) - ${F}(xi * yi); im = ${F}(xi * yr) + ${F}(yi * xr);`);
// Paddle's formula (platform/complex64.h, complex128.h on CPU): over |y|^2.
complexBinary(
  'elementwise_div',
  (F) => `const d = ${F}(${F}(yr * yr) + ${F}(yi * yi));
    re = ${F}(${F}(xr * yr) + ${F}(xi * yi)) / d; im = ${F}(${F}(xi * yr) - ${F}(xr * yi)) / d;`,
);
