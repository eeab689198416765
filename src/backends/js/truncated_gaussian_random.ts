// Portable kernel of truncated_gaussian_random, as Paddle's CPU kernel: each element maps one
// uniform draw u in (0, 1) to mean + std * sqrt(2) * erfinv(2p - 1), p = Phi(-2) + (Phi(2) - Phi(-2)) u,
// so every value lies within two standard deviations of the mean.
import { defaultGenerator, Generator } from '../../core/random.js';
import { registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { opFail } from '../../ops/util.js';

/** Phi(-2) and Phi(2), the standard normal CDF at -2 and 2. */
const A_CDF = 0.02275013194817921;
const B_CDF = 0.9772498680518208;
const FLT_MIN = 1.1754943508222875e-38;

/** Inverse error function (M. Giles' single-precision approximation; |x| < 1). */
export function erfinv(x: number): number {
  let w = -Math.log((1 - x) * (1 + x));
  let q: number;
  if (w < 5) {
    w -= 2.5;
    q = 2.81022636e-8;
    q = 3.43273939e-7 + q * w;
    q = -3.5233877e-6 + q * w;
    q = -4.39150654e-6 + q * w;
    q = 0.00021858087 + q * w;
    q = -0.00125372503 + q * w;
    q = -0.00417768164 + q * w;
    q = 0.246640727 + q * w;
    q = 1.50140941 + q * w;
  } else {
    w = Math.sqrt(w) - 3;
    q = -0.000200214257;
    q = 0.000100950558 + q * w;
    q = 0.00134934322 + q * w;
    q = -0.00367342844 + q * w;
    q = 0.00573950773 + q * w;
    q = -0.0076224613 + q * w;
    q = 0.00943887047 + q * w;
    q = 1.00167406 + q * w;
    q = 2.83297682 + q * w;
  }
  return q * x;
}

registerKernel('truncated_gaussian_random', 'js', (_ins, attrs, outs) => {
  const o = outs.Out[0];
  const shape = (attrs.shape as number[]).slice();
  for (const d of shape) if (d < 0) opFail('truncated_gaussian_random', `the shape must be known at run time, but got [${shape.join(', ')}]`);
  const n = numel(shape);
  const s = Number(attrs.seed ?? 0);
  const gen = s !== 0 ? new Generator(s >>> 0) : defaultGenerator;
  const mean = Number(attrs.mean);
  const std = Number(attrs.std);
  const a = o.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  const span = B_CDF - A_CDF;
  for (let i = 0; i < n; i++) {
    const u = FLT_MIN + (1 - FLT_MIN) * gen.random();
    const p = A_CDF + span * u;
    a[i] = Math.SQRT2 * erfinv(2 * p - 1) * std + mean;
  }
  return { Out: [new Tensor(a, shape, o.dtype)] };
});
