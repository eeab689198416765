// Elementwise unary math operators as in paddle/fluid/operators/activation_op.cc (and
// abs_op, sign_op, erf_op, increment_op): X -> Out of X's shape and dtype. Gradient rules are
// written with other operators (Paddle's *_grad functors, same formulas); floor, ceil,
// round and sign have zero gradient, as Paddle defines it. increment has none.
import { DType, isComplex } from '../core/dtype.js';
import { run1 } from '../core/dispatch.js';
import type { AttrSpec, Attrs, GradContext } from '../core/registry.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { defineOp, float, one, opFail, out } from './util.js';

export const FLOATS: readonly DType[] = ['float16', 'float32', 'float64'];
/** Float ops whose complex kernels are a later issue: infer accepts complex, kernels decline it. */
export const FLOATS_C: readonly DType[] = [...FLOATS, 'complex64', 'complex128'];
/** abs, exp, square: Paddle also has int32/int64 kernels. */
export const FLOATS_INTS: readonly DType[] = ['int32', 'int64', ...FLOATS];

/** Checks attribute types against the op's specs (a string for a float attribute would give silent NaNs). */
export function checkAttrs(type: string, specs: Readonly<Record<string, AttrSpec>>, attrs: Attrs): void {
  for (const k in specs) {
    const v = attrs[k];
    const t = specs[k].type;
    if (v === undefined) continue;
    if ((t === 'float' || t === 'int') && (typeof v !== 'number' || (t === 'int' && !Number.isInteger(v))))
      opFail(type, `attribute ${k} must be ${t === 'int' ? 'an integer' : 'a number'}, but got ${JSON.stringify(v) ?? String(v)}`);
    if (t === 'bool' && typeof v !== 'boolean') opFail(type, `attribute ${k} must be a boolean, but got ${JSON.stringify(v) ?? String(v)}`);
  }
}

export function checkDtype(type: string, x: Meta, allowed: readonly DType[], slot = 'X'): void {
  if (!allowed.includes(x.dtype))
    opFail(type, `input ${slot} has dtype ${x.dtype}, but ${type} supports only ${allowed.filter((d) => !d.startsWith('complex')).join(', ')}`);
}

export interface UnarySpec {
  /** Input dtypes the operator accepts. */
  dtypes: readonly DType[];
  attrs?: Record<string, AttrSpec>;
  /** Extra (dispensable) input slots after X, e.g. 'FactorTensor?!'. */
  extraInputs?: string[];
  /** Out's dtype from X's (default: the same). */
  outDtype?: (d: DType) => DType;
  /** Extra checks of attributes and inputs. */
  check?: (ins: Record<string, Meta[]>, attrs: Attrs) => void;
  /** dX from dOut; reads X or Out through ctx as Paddle's grad functor does. */
  grad?: (ctx: GradContext, dout: Tensor) => Tensor;
}

/** Registers an elementwise unary operator X -> Out. */
export function defineUnary(type: string, spec: UnarySpec): void {
  const attrs = spec.attrs ?? {};
  const rule = spec.grad;
  defineOp({
    type,
    inputs: ['X', ...(spec.extraInputs ?? [])],
    outputs: ['Out'],
    attrs,
    infer(ins, a) {
      const x = one(ins, 'X', type);
      checkDtype(type, x, spec.dtypes);
      checkAttrs(type, attrs, a);
      spec.check?.(ins, a);
      return out(x.dims.slice(), spec.outDtype ? spec.outDtype(x.dtype) : x.dtype);
    },
    grad: rule ? (ctx) => ({ X: [ctx.needs('X') ? rule(ctx, ctx.outGrad('Out')) : null] }) : undefined,
  });
}

// Short calls of the unary ops for gradient rules.
const u = (type: string, x: Tensor, attrs: Attrs = {}): Tensor => run1(type, { X: [x] }, attrs);
const X = (ctx: GradContext): Tensor => ctx.input('X');
const OUT = (ctx: GradContext): Tensor => ctx.output('Out');
/** Paddle's ZeroGradFunctor: dx = 0 * dout. */
const zeroGrad = (_ctx: GradContext, d: Tensor): Tensor => c.scale(d, 0);

defineUnary('abs', {
  dtypes: FLOATS_INTS.concat(['complex64', 'complex128']),
  // |complex| is real
  outDtype: (d) => (d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d),
  grad: (ctx, d) => {
    const x = X(ctx);
    if (!isComplex(x.dtype)) return c.mul(d, c.sign(x));
    // complex: dx = dout * x / |x| (0 at x = 0), as Paddle's AbsGradFunctor
    const o = OUT(ctx);
    const mag = run1('elementwise_max', { X: [o], Y: [c.fullLike(o, x.dtype === 'complex64' ? 1e-18 : 1e-150)] }, { axis: -1 });
    return c.mul(c.cast(d, x.dtype), c.div(x, c.cast(mag, x.dtype)));
  },
});
defineUnary('exp', { dtypes: [...FLOATS_INTS, 'complex64', 'complex128'], grad: (ctx, d) => c.mul(d, OUT(ctx)) });
defineUnary('log', { dtypes: FLOATS_C, grad: (ctx, d) => c.div(d, X(ctx)) });
defineUnary('log2', { dtypes: FLOATS, grad: (ctx, d) => c.div(d, c.scale(X(ctx), Math.LN2)) });
defineUnary('log10', { dtypes: FLOATS, grad: (ctx, d) => c.div(d, c.scale(X(ctx), Math.LN10)) });
defineUnary('log1p', { dtypes: FLOATS, grad: (ctx, d) => c.div(d, c.scale(X(ctx), 1, 1)) });
// sqrt: dx = 0.5 * dout / out
defineUnary('sqrt', { dtypes: FLOATS_C, grad: (ctx, d) => c.scale(c.div(d, OUT(ctx)), 0.5) });
// rsqrt: dx = -0.5 * dout * out^3
defineUnary('rsqrt', {
  dtypes: FLOATS,
  grad: (ctx, d) => {
    const o = OUT(ctx);
    return c.scale(c.mul(d, c.mul(o, c.square(o))), -0.5);
  },
});
defineUnary('square', { dtypes: [...FLOATS_INTS, 'complex64', 'complex128'], grad: (ctx, d) => c.mul(d, c.scale(X(ctx), 2)) });
// reciprocal: dx = -dout * out^2
defineUnary('reciprocal', { dtypes: FLOATS_C, grad: (ctx, d) => c.scale(c.mul(d, c.square(OUT(ctx))), -1) });
defineUnary('sin', { dtypes: FLOATS_C, grad: (ctx, d) => c.mul(d, u('cos', X(ctx))) });
defineUnary('cos', { dtypes: FLOATS_C, grad: (ctx, d) => c.neg(c.mul(d, u('sin', X(ctx)))) });
defineUnary('tan', { dtypes: FLOATS, grad: (ctx, d) => c.div(d, c.square(u('cos', X(ctx)))) });
/** 1 / sqrt(1 - x^2), the derivative of asin. */
const invSqrt1mx2 = (x: Tensor): Tensor => u('rsqrt', c.scale(c.square(x), -1, 1));
defineUnary('asin', { dtypes: FLOATS, grad: (ctx, d) => c.mul(d, invSqrt1mx2(X(ctx))) });
defineUnary('acos', { dtypes: FLOATS, grad: (ctx, d) => c.neg(c.mul(d, invSqrt1mx2(X(ctx)))) });
defineUnary('atan', { dtypes: FLOATS, grad: (ctx, d) => c.div(d, c.scale(c.square(X(ctx)), 1, 1)) });
defineUnary('sinh', { dtypes: FLOATS, grad: (ctx, d) => c.mul(d, u('cosh', X(ctx))) });
defineUnary('cosh', { dtypes: FLOATS, grad: (ctx, d) => c.mul(d, u('sinh', X(ctx))) });
// tanh reads only Out, so tanh_ (in place) keeps a correct gradient.
defineUnary('tanh', { dtypes: FLOATS_C, grad: (ctx, d) => c.mul(d, c.scale(c.square(OUT(ctx)), -1, 1)) });
defineUnary('floor', { dtypes: FLOATS, grad: zeroGrad });
defineUnary('ceil', { dtypes: FLOATS, grad: zeroGrad });
defineUnary('round', { dtypes: FLOATS, grad: zeroGrad });
// Paddle's sign grad is a scale op with scale 0.
defineUnary('sign', { dtypes: FLOATS, grad: zeroGrad });
// erf: dx = dout * 2/sqrt(pi) * exp(-x^2)
defineUnary('erf', {
  dtypes: FLOATS,
  grad: (ctx, d) => c.mul(d, c.scale(c.exp(c.scale(c.square(X(ctx)), -1)), 2 / Math.sqrt(Math.PI))),
});
// stanh: out = b * tanh(a * x); dx = dout * a * b * (1 - tanh(a x)^2)
defineUnary('stanh', {
  dtypes: FLOATS,
  attrs: { scale_a: float(0.67), scale_b: float(1.7159) },
  grad: (ctx, d) => {
    const a = ctx.attrs.scale_a as number;
    const b = ctx.attrs.scale_b as number;
    const t = u('tanh', c.scale(X(ctx), a));
    return c.scale(c.mul(d, c.scale(c.square(t), -1, 1)), a * b);
  },
});
// pow: out = x ^ factor, the factor from FactorTensor (shape [1]) when given, else the attribute.
// For int tensors Paddle casts the factor to the int type.
defineUnary('pow', {
  dtypes: FLOATS_INTS,
  attrs: { factor: float(1) },
  extraInputs: ['FactorTensor?!'],
  check(ins) {
    const f = ins.FactorTensor?.[0];
    if (f && !f.dims.includes(-1) && f.dims.reduce((a, b) => a * b, 1) !== 1)
      opFail('pow', `input FactorTensor must have exactly one element, but has shape [${f.dims.join(', ')}]`);
  },
  grad: (ctx, d) => {
    const x = X(ctx);
    if (ctx.has('FactorTensor')) {
      const f = c.cast(ctx.input('FactorTensor'), x.dtype);
      const p = run1('pow', { X: [x], FactorTensor: [c.scale(f, 1, -1)] });
      return c.mul(d, c.mul(p, f));
    }
    const factor = ctx.attrs.factor as number;
    return c.scale(c.mul(d, u('pow', x, { factor: factor - 1 })), factor);
  },
});
// increment: Out = X + step for a one-element X (Paddle's control-flow counter; no gradient).
defineUnary('increment', {
  dtypes: ['float32', 'float64', 'int32', 'int64'],
  attrs: { step: float(1) },
  check(ins) {
    const x = ins.X[0];
    if (!x.dims.includes(-1) && x.dims.reduce((a, b) => a * b, 1) !== 1)
      opFail('increment', `input X must have exactly one element, but has shape [${x.dims.join(', ')}]`);
  },
});
