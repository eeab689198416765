// Portable kernels of the activation operators (see src/ops/activation.ts) and of their
// mask gradient operators. Formulas follow Paddle's functors in activation_op.h; where
// Paddle's is numerically fragile (softplus and logsigmoid for large |x|) a stable form of
// the same function is used.
import { erf, maskGradKernel, unaryKernel } from './unary.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** log(1 + e^v) without overflow. */
function softplus1(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}
/** mish's softplus: x above threshold, e^x below -threshold (threshold > 0 only). */
function mishSoftplus(x: number, th: number): number {
  if (th > 0 && x > th) return x;
  if (th > 0 && x < -th) return Math.exp(x);
  return softplus1(x);
}
const env = { erf, softplus1, mishSoftplus };

// NaN passes through max/min as in Eigen's cwiseMax/cwiseMin (`a < b ? b : a`).
unaryKernel('relu', 'x < 0 ? 0 : x');
unaryKernel('relu6', '(x < 0 ? 0 : p0 < x ? p0 : x)', { params: (a) => [a.threshold, 0, 0] });
unaryKernel('leaky_relu', 'x > 0 ? x : p0 * x', { params: (a) => [a.alpha, 0, 0] });
unaryKernel('brelu', '(x < p0 ? p0 : p1 < x ? p1 : x)', { params: (a) => [a.t_min, a.t_max, 0] });
unaryKernel('hard_shrink', 'x < -p0 || x > p0 ? x : 0', { params: (a) => [a.threshold, 0, 0] });
unaryKernel('softshrink', 'x > p0 ? x - p0 : x < -p0 ? x + p0 : 0', { params: (a) => [a.lambda, 0, 0] });
unaryKernel('thresholded_relu', 'x > p0 ? x : 0', { params: (a) => [a.threshold, 0, 0] });
unaryKernel('hard_sigmoid', '(x * p0 + p1 < 0 ? 0 : 1 < x * p0 + p1 ? 1 : x * p0 + p1)', { params: (a) => [a.slope, a.offset, 0] });
// max(0, x) + min(0, alpha (e^x - 1)), without 0 * inf for large x
unaryKernel('elu', 'x > 0 ? (p0 < 0 ? x + p0 * Math.expm1(x) : x) : (p0 > 0 ? p0 * Math.expm1(x) : 0)', {
  params: (a) => [a.alpha, 0, 0],
});
unaryKernel('gelu', '0.5 * x * (1 + erf(x * Math.SQRT1_2))', {
  env,
  alt: { expr: `0.5 * x * (1 + Math.tanh(${SQRT_2_OVER_PI} * (x + 0.044715 * x * x * x)))`, when: (a) => !!a.approximate },
});
unaryKernel('sigmoid', '1 / (1 + Math.exp(-x))');
// log(sigmoid(x)) = -softplus(-x)
unaryKernel('logsigmoid', '-softplus1(-x)', { env });
unaryKernel('hard_swish', '(p2 + x < 0 ? 0 : p0 < p2 + x ? p0 : p2 + x) * x / p1', {
  params: (a) => [a.threshold, a.scale, a.offset],
});
unaryKernel('softplus', 'p0 * x > p1 ? x : softplus1(p0 * x) / p0', { env, params: (a) => [a.beta, a.threshold, 0] });
unaryKernel('softsign', 'x / (1 + Math.abs(x))');
unaryKernel('swish', 'x / (1 + Math.exp(-p0 * x))', { params: (a) => [a.beta, 0, 0] });
unaryKernel('tanh_shrink', 'x - Math.tanh(x)');
unaryKernel('selu', 'x > 0 ? p0 * x : p0 * p1 * Math.expm1(x)', { params: (a) => [a.scale, a.alpha, 0] });
unaryKernel('mish', 'x * Math.tanh(mishSoftplus(x, p0))', { env, params: (a) => [a.threshold, 0, 0] });
unaryKernel('soft_relu', 'softplus1(x < -p0 ? -p0 : p0 < x ? p0 : x)', { env, params: (a) => [a.threshold, 0, 0] });

// Mask gradients: x is X or Out (as each op reads), g is dOut.
maskGradKernel('relu_grad', 'Out', 'x > 0 ? g : 0');
maskGradKernel('relu6_grad', 'Out', 'x > 0 && x < p0 ? g : 0', (a) => [a.threshold, 0, 0]);
maskGradKernel('leaky_relu_grad', 'X', 'x >= 0 ? g : x < 0 ? p0 * g : 0', (a) => [a.alpha, 0, 0]);
maskGradKernel('brelu_grad', 'X', 'x > p0 && x < p1 ? g : 0', (a) => [a.t_min, a.t_max, 0]);
maskGradKernel('hard_shrink_grad', 'X', 'x < -p0 || x > p0 ? g : 0', (a) => [a.threshold, 0, 0]);
maskGradKernel('softshrink_grad', 'X', 'x > p0 || x < -p0 ? g : 0', (a) => [a.lambda, 0, 0]);
maskGradKernel('thresholded_relu_grad', 'X', 'x > p0 ? g : 0', (a) => [a.threshold, 0, 0]);
maskGradKernel('hard_sigmoid_grad', 'Out', 'x > 0 && x < 1 ? g * p0 : 0', (a) => [a.slope, 0, 0]);
