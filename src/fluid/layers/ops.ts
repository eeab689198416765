// paddle.fluid.layers activation and unary functions (Paddle 2.0's
// python/paddle/fluid/layers/ops.py): the generated one-input layers (sigmoid, logsigmoid,
// tanh_shrink, softplus, softsign, tanh, exp, sqrt, abs, ...) and softshrink, hard_shrink,
// cumsum, thresholded_relu, gelu, each appending the operator of that name with the
// operator's defaults for omitted attributes.
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import type { DType } from '../../core/dtype.js';
import { run1 } from '../../core/dispatch.js';
import type { Tensor } from '../../core/tensor.js';
import { checkDtype, L, nameP } from './misc.js';

const FLOATS: readonly DType[] = ['float16', 'float32', 'float64'];
const WITH_INTS: readonly DType[] = ['int32', 'int64', 'float16', 'float32', 'float64'];

function unary(op: string) {
  const api = `${L}${op}`;
  return defineApi(api, [p('x', T.tensor), nameP], (a): Tensor => {
    checkDtype(api, 'x', a.x, ['abs', 'exp', 'square'].includes(op) ? WITH_INTS : FLOATS);
    return run1(op, { X: [a.x] }, {});
  });
}

/** 1 / (1 + e^-x) (operator `sigmoid`). @example fluid.layers.sigmoid(x) */
export const sigmoid = unary('sigmoid');
/** log(1 / (1 + e^-x)) (operator `logsigmoid`). @example fluid.layers.logsigmoid(x) */
export const logsigmoid = unary('logsigmoid');
/** x - tanh(x) (operator `tanh_shrink`). @example fluid.layers.tanh_shrink(x) */
export const tanh_shrink = unary('tanh_shrink');
/** log(1 + e^x) (operator `softplus`, its default beta 1 and threshold 20). @example fluid.layers.softplus(x) */
export const softplus = unary('softplus');
/** x / (1 + |x|) (operator `softsign`). @example fluid.layers.softsign(x) */
export const softsign = unary('softsign');
/** tanh(x) (operator `tanh`). @example fluid.layers.tanh(x) */
export const tanh = unary('tanh');
/** e^x (operator `exp`). @example fluid.layers.exp(x) */
export const exp = unary('exp');
/** atan(x) (operator `atan`). @example fluid.layers.atan(x) */
export const atan = unary('atan');
/** sqrt(x) (operator `sqrt`). @example fluid.layers.sqrt(x) */
export const sqrt = unary('sqrt');
/** 1 / sqrt(x) (operator `rsqrt`). @example fluid.layers.rsqrt(x) */
export const rsqrt = unary('rsqrt');
/** |x| (operator `abs`). @example fluid.layers.abs(x) */
export const abs = unary('abs');
/** ceil(x) (operator `ceil`). @example fluid.layers.ceil(x) */
export const ceil = unary('ceil');
/** floor(x) (operator `floor`). @example fluid.layers.floor(x) */
export const floor = unary('floor');
/** cos(x) (operator `cos`). @example fluid.layers.cos(x) */
export const cos = unary('cos');
/** tan(x) (operator `tan`). @example fluid.layers.tan(x) */
export const tan = unary('tan');
/** acos(x) (operator `acos`). @example fluid.layers.acos(x) */
export const acos = unary('acos');
/** sin(x) (operator `sin`). @example fluid.layers.sin(x) */
export const sin = unary('sin');
/** sinh(x) (operator `sinh`). @example fluid.layers.sinh(x) */
export const sinh = unary('sinh');
/** asin(x) (operator `asin`). @example fluid.layers.asin(x) */
export const asin = unary('asin');
/** cosh(x) (operator `cosh`). @example fluid.layers.cosh(x) */
export const cosh = unary('cosh');
/** Rounds half away from zero (operator `round`). @example fluid.layers.round(x) */
export const round = unary('round');
/** 1 / x (operator `reciprocal`). @example fluid.layers.reciprocal(x) */
export const reciprocal = unary('reciprocal');
/** x * x (operator `square`). @example fluid.layers.square(x) */
export const square = unary('square');
/** The error function (operator `erf`). @example fluid.layers.erf(x) */
export const erf = unary('erf');

/**
 * x - alpha if x > alpha, x + alpha if x < -alpha, else 0 (operator `softshrink`, its
 * attribute `lambda`; default 0.5).
 * @example fluid.layers.softshrink(x, 0.3)
 */
export const softshrink = defineApi(`${L}softshrink`, [p('x', T.tensor), p('alpha', T.nullable(T.float), null)], (a): Tensor => {
  checkDtype(`${L}softshrink`, 'x', a.x, FLOATS);
  return run1('softshrink', { X: [a.x] }, a.alpha === null ? {} : { lambda: a.alpha });
});

/** x where |x| > threshold, else 0 (operator `hard_shrink`; default 0.5). @example fluid.layers.hard_shrink(x, 0.3) */
export const hard_shrink = defineApi(`${L}hard_shrink`, [p('x', T.tensor), p('threshold', T.nullable(T.float), null)], (a): Tensor => {
  checkDtype(`${L}hard_shrink`, 'x', a.x, FLOATS);
  return run1('hard_shrink', { X: [a.x] }, a.threshold === null ? {} : { threshold: a.threshold });
});

/**
 * The cumulative sum along axis (default -1), optionally exclusive and/or reversed (operator
 * `cumsum`).
 * @example fluid.layers.cumsum(x, 0, true)
 */
export const cumsum = defineApi(
  `${L}cumsum`,
  [p('x', T.tensor), p('axis', T.nullable(T.int), null), p('exclusive', T.nullable(T.bool), null), p('reverse', T.nullable(T.bool), null)],
  (a): Tensor => {
    const attrs: Record<string, unknown> = {};
    if (a.axis !== null) attrs.axis = a.axis;
    if (a.exclusive !== null) attrs.exclusive = a.exclusive;
    if (a.reverse !== null) attrs.reverse = a.reverse;
    return run1('cumsum', { X: [a.x] }, attrs);
  },
);

/** x where x > threshold, else 0 (operator `thresholded_relu`; default 1.0). @example fluid.layers.thresholded_relu(x, 0.5) */
export const thresholded_relu = defineApi(`${L}thresholded_relu`, [p('x', T.tensor), p('threshold', T.nullable(T.float), null)], (a): Tensor => {
  checkDtype(`${L}thresholded_relu`, 'x', a.x, FLOATS);
  return run1('thresholded_relu', { X: [a.x] }, a.threshold === null ? {} : { threshold: a.threshold });
});

/** The GELU activation, exact or tanh-approximated (operator `gelu`). @example fluid.layers.gelu(x, true) */
export const gelu = defineApi(`${L}gelu`, [p('x', T.tensor), p('approximate', T.bool, false)], (a): Tensor => run1('gelu', { X: [a.x] }, { approximate: a.approximate }));
