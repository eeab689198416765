// Portable kernels of the elementwise unary math operators (see src/ops/unary.ts), and the
// kernel builders the activation kernels share. Real dtypes only: complex inputs are
// declined (their kernels are a later issue). float16 computes in float32 numbers.
import { isComplex, isFloating, NumArray } from '../../core/dtype.js';
import { Attrs, registerKernel } from '../../core/registry.js';
import { nums, outNumbers, tensorOf, unaryLoop, UnaryLoop } from './loops.js';

// Chebyshev coefficients fitted (with mpmath at 40 digits) for erf to double precision:
// erf(x) = x * S(x^2) on |x| < 1, and erf(x) = 1 - e^(-x^2) * G(x) with G = erfc * e^(x^2) on
// [1, 2.5) and [2.5, 6); |x| >= 6 is 1 in doubles. Max relative error about 3e-16.
const ERF_SMALL = new Float64Array([
  0.9754769393826541, -0.14226120510371365, 0.010035582187599796, -0.0005768764699767485, 2.741993125219606e-5,
  -1.1043175507344507e-6, 3.8488755420345036e-8, -1.1808582533875466e-9, 3.2334215826050435e-11, -7.991015946679151e-13,
  1.7990723022320763e-14, -3.717374242306777e-16,
]);
const ERFC_MID = new Float64Array([
  0.3017138902444292, -0.10574990110152695, 0.017104848474406763, -0.002587682261135065, 0.0003696145268036729,
  -5.0198560605167956e-5, 6.517935170561901e-6, -8.126449775613485e-7, 9.763690285483578e-8, -1.133813656364367e-8,
  1.2757869239497698e-9, -1.3939984728303207e-10, 1.4818660272094127e-11, -1.5350838559289164e-12, 1.5518968060052045e-13,
  -1.5330737506323092e-14, 1.481617681333899e-15, -1.4021942401247371e-16, 1.2904135730410188e-17,
]);
const ERFC_TAIL = new Float64Array([
  0.14016047004976134, -0.05677604943259737, 0.011209463278240392, -0.0021611166170954787, 0.00040747765264847823,
  -7.523771561693374e-5, 1.3620051895515644e-5, -2.4198114237545286e-6, 4.223228134648387e-7, -7.246499552340511e-8,
  1.223372886245904e-8, -2.0334473033647613e-9, 3.329826004203619e-10, -5.3749377494886306e-11, 8.55692534783044e-12,
  -1.3442073415931563e-12, 2.0845649562237655e-13, -3.1926254204057334e-14, 4.830968628269544e-15, -7.224867982152607e-16,
  1.0678477136731483e-16, -1.5299256581578205e-17,
]);

/** Sum of c[k] T_k(t) for t in [-1, 1] (Clenshaw's recurrence). */
function chebyshev(c: Float64Array, t: number): number {
  let b1 = 0;
  let b2 = 0;
  const t2 = 2 * t;
  for (let k = c.length - 1; k >= 1; k--) {
    const b = t2 * b1 - b2 + c[k];
    b2 = b1;
    b1 = b;
  }
  return t * b1 - b2 + c[0];
}

/** The Gauss error function, to double precision. */
export function erf(x: number): number {
  const ax = x < 0 ? -x : x;
  let r: number;
  if (ax < 1) return x * chebyshev(ERF_SMALL, 2 * x * x - 1);
  if (ax < 2.5) r = 1 - Math.exp(-ax * ax) * chebyshev(ERFC_MID, (2 * ax - 3.5) / 1.5);
  else if (ax < 6) r = 1 - Math.exp(-ax * ax) * chebyshev(ERFC_TAIL, (2 * ax - 8.5) / 3.5);
  else if (ax >= 6) r = 1;
  else return NaN;
  return x < 0 ? -r : r;
}

/** Rounds halves away from zero (C's round), unlike Math.round. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** The attribute values a loop reads as p0, p1, p2. */
export type Params = (attrs: Attrs) => [number, number, number];
const NO_PARAMS: [number, number, number] = [0, 0, 0];

/**
 * Registers a unary kernel computing `floatExpr` of `x` (and p0..p2 from `params`) for float
 * dtypes, and `intExpr` for int dtypes when given. `pick` may choose another float loop by
 * attributes (gelu's approximate).
 */
export function unaryKernel(
  type: string,
  floatExpr: string,
  opts: {
    int?: string;
    /** int32's expression when it differs from `int`'s. */
    int32?: string;
    env?: Record<string, unknown>;
    params?: Params;
    alt?: { expr: string; when: (a: Attrs) => boolean };
  } = {},
): void {
  const env = opts.env ?? {};
  const fl: UnaryLoop = unaryLoop(floatExpr, env);
  const il: UnaryLoop | undefined = opts.int ? unaryLoop(opts.int, env) : undefined;
  const i32: UnaryLoop | undefined = opts.int32 ? unaryLoop(opts.int32, env) : il;
  const alt = opts.alt ? { loop: unaryLoop(opts.alt.expr, env), when: opts.alt.when } : undefined;
  const params = opts.params;
  registerKernel(type, 'js', (ins, attrs, outs) => {
    const x = ins.X[0];
    if (isComplex(x.dtype)) return undefined;
    let loop = isFloating(x.dtype) ? fl : x.dtype === 'int32' ? i32 : il;
    if (!loop) return undefined;
    if (alt && loop === fl && alt.when(attrs)) loop = alt.loop;
    const o = outs.Out[0];
    const res = outNumbers(o.dtype, o.dims);
    const [p0, p1, p2] = params ? params(attrs) : NO_PARAMS;
    loop(nums(x), res, res.length, p0, p1, p2);
    return { Out: [tensorOf(res, o.dims.slice(), o.dtype)] };
  });
}

type GradLoop = (a: NumArray, g: NumArray, out: NumArray, n: number, p0: number, p1: number, p2: number) => void;

/** Compiles a same-shape loop computing `expr` from `x` (X or Out) and `g` (dOut). */
function gradLoop(expr: string): GradLoop {
  return new Function(`return function(a, gs, out, n, p0, p1, p2) {
    for (let i = 0; i < n; i++) { const x = a[i], g = gs[i]; out[i] = ${expr}; }
  };`)() as GradLoop;
}

/** Registers the kernel of a mask gradient operator `type` (inputs `src`, Out@GRAD; output X@GRAD). */
export function maskGradKernel(type: string, src: 'X' | 'Out', expr: string, params?: Params): void {
  const loop = gradLoop(expr);
  registerKernel(type, 'js', (ins, attrs, outs) => {
    const s = ins[src][0];
    const g = ins['Out@GRAD'][0];
    if (!isFloating(g.dtype)) return undefined;
    const o = outs['X@GRAD'][0];
    const res = outNumbers(o.dtype, o.dims);
    const [p0, p1, p2] = params ? params(attrs) : NO_PARAMS;
    loop(nums(s), nums(g), res, res.length, p0, p1, p2);
    return { 'X@GRAD': [tensorOf(res, o.dims.slice(), o.dtype)] };
  });
}

unaryKernel('abs', 'Math.abs(x)', { int: 'Math.abs(x)' });
unaryKernel('exp', 'Math.exp(x)', { int: 'Math.exp(x)' });
unaryKernel('log', 'Math.log(x)');
unaryKernel('log2', 'Math.log2(x)');
unaryKernel('log10', 'Math.log10(x)');
unaryKernel('log1p', 'Math.log1p(x)');
unaryKernel('sqrt', 'Math.sqrt(x)');
unaryKernel('rsqrt', '1 / Math.sqrt(x)');
// int32 squares wrap as C++ does; int64 computes in doubles (exact within 2^53)
unaryKernel('square', 'x * x', { int: 'x * x', int32: 'Math.imul(x, x)' });
unaryKernel('reciprocal', '1 / x');
unaryKernel('sin', 'Math.sin(x)');
unaryKernel('cos', 'Math.cos(x)');
unaryKernel('tan', 'Math.tan(x)');
unaryKernel('asin', 'Math.asin(x)');
unaryKernel('acos', 'Math.acos(x)');
unaryKernel('atan', 'Math.atan(x)');
unaryKernel('sinh', 'Math.sinh(x)');
unaryKernel('cosh', 'Math.cosh(x)');
unaryKernel('tanh', 'Math.tanh(x)');
unaryKernel('floor', 'Math.floor(x)');
unaryKernel('ceil', 'Math.ceil(x)');
unaryKernel('round', 'roundHalfAway(x)', { env: { roundHalfAway } });
// NaN gives 0, as Eigen's (x > 0) - (x < 0)
unaryKernel('sign', 'x > 0 ? 1 : x < 0 ? -1 : 0');
unaryKernel('erf', 'erf(x)', { env: { erf } });
unaryKernel('stanh', 'p1 * Math.tanh(p0 * x)', { params: (a) => [a.scale_a, a.scale_b, 0] });

// pow: the factor comes from FactorTensor when given; int tensors use the factor cast to int.
const powF = unaryLoop('Math.pow(x, p0)');
registerKernel('pow', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  if (isComplex(x.dtype)) return undefined;
  const ft = ins.FactorTensor?.[0];
  let factor = ft ? Number(nums(ft)[0]) : (attrs.factor as number);
  if (!isFloating(x.dtype)) factor = Math.trunc(factor);
  const o = outs.Out[0];
  const res = outNumbers(o.dtype, o.dims);
  powF(nums(x), res, res.length, factor, 0, 0);
  return { Out: [tensorOf(res, o.dims.slice(), o.dtype)] };
});

// increment: Out = X + step (an int X adds the step cast to its type)
unaryKernel('increment', 'x + p0', { int: 'x + p1', params: (a) => [a.step, Math.trunc(a.step), 0] });
