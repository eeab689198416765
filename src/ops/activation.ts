// Activation operators as in paddle/fluid/operators/activation_op.cc (and gelu_op, selu_op,
// mish_op): X -> Out with Paddle's attributes and defaults. Piecewise-linear activations
// take their gradient from Paddle's own *_grad operators (relu_grad, brelu_grad, ...: a mask
// of X or Out times dOut, one fast kernel); those masks also serve the gradient rules of the
// smooth activations with thresholds. Every rule is made of operators, so gradients of
// gradients work and static programs get the same operator types Paddle appends.
import { run1 } from '../core/dispatch.js';
import type { AttrSpec, Attrs, GradContext } from '../core/registry.js';
import type { Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, float, one, opFail, out } from './util.js';
import { checkAttrs, checkDtype, defineUnary, FLOATS } from './unary.js';

// ---------------------------------------------------------------------------------------
// Mask gradient operators: X@GRAD = Out@GRAD * mask(X or Out) (hard_sigmoid: times slope).
// Their own gradient is the same operator applied to the incoming gradient (the mask is
// piecewise constant, so nothing flows to X / Out).

/** Registers `<fwd>_grad` reading `src` ('X' or 'Out') with the forward op's attributes. */
function maskGrad(fwd: string, src: 'X' | 'Out', attrs: Record<string, AttrSpec>): void {
  const type = `${fwd}_grad`;
  defineOp({
    type,
    inputs: [`${src}!`, 'Out@GRAD'],
    outputs: ['X@GRAD'],
    attrs,
    infer(ins, a) {
      const s = one(ins, src, type);
      const g = one(ins, 'Out@GRAD', type);
      checkDtype(type, g, FLOATS, 'Out@GRAD');
      if (s.dtype !== g.dtype) opFail(type, `inputs ${src} and Out@GRAD must have the same dtype, but got ${s.dtype} and ${g.dtype}`);
      if (s.dims.length !== g.dims.length || s.dims.some((d, i) => d !== g.dims[i] && d !== -1 && g.dims[i] !== -1))
        opFail(type, `inputs ${src} [${s.dims.join(', ')}] and Out@GRAD [${g.dims.join(', ')}] must have the same shape`);
      checkAttrs(type, attrs, a);
      return out(g.dims.slice(), g.dtype, 'X@GRAD');
    },
    grad: (ctx) => ({
      'Out@GRAD': [
        ctx.needs('Out@GRAD')
          ? run1(type, { [src]: [ctx.input(src)], 'Out@GRAD': [ctx.outGrad('X@GRAD')] }, { ...ctx.attrs }, 'X@GRAD')
          : null,
      ],
    }),
  });
}

/** Calls a mask gradient operator. */
function mg(fwd: string, src: 'X' | 'Out', s: Tensor, g: Tensor, attrs: Attrs = {}): Tensor {
  return run1(`${fwd}_grad`, { [src]: [s], 'Out@GRAD': [g] }, attrs, 'X@GRAD');
}
/** g where t > 0, else 0 (relu_grad). */
const pos = (t: Tensor, g: Tensor): Tensor => mg('relu', 'Out', t, g);
/** g where t > thr, else 0 (thresholded_relu_grad). */
const above = (t: Tensor, thr: number, g: Tensor): Tensor => mg('thresholded_relu', 'X', t, g, { threshold: thr });
/** g where lo < t < hi, else 0 (brelu_grad). */
const between = (t: Tensor, lo: number, hi: number, g: Tensor): Tensor => mg('brelu', 'X', t, g, { t_min: lo, t_max: hi });
/** Largest float32: a threshold that no finite value passes. */
const BIG = 3.4028234663852886e38;

const u = (type: string, x: Tensor, attrs: Attrs = {}): Tensor => run1(type, { X: [x] }, attrs);
const X = (ctx: GradContext): Tensor => ctx.input('X');
const OUT = (ctx: GradContext): Tensor => ctx.output('Out');
const A = (ctx: GradContext, k: string): number => ctx.attrs[k] as number;

/** A piecewise-linear activation whose gradient is its mask grad operator. */
function piecewise(type: string, src: 'X' | 'Out', attrs: Record<string, AttrSpec>): void {
  maskGrad(type, src, attrs);
  defineUnary(type, {
    dtypes: FLOATS,
    attrs,
    grad: (ctx, d) => mg(type, src, src === 'X' ? X(ctx) : OUT(ctx), d, { ...ctx.attrs }),
  });
}

// relu: max(x, 0); dx = dout * (out > 0)
piecewise('relu', 'Out', {});
// relu6: min(max(x, 0), threshold); dx = dout * (0 < out < threshold)
piecewise('relu6', 'Out', { threshold: float(6) });
// leaky_relu: x > 0 ? x : alpha * x; dx = dout * (x >= 0 ? 1 : alpha)
piecewise('leaky_relu', 'X', { alpha: float(0.02) });
// brelu: min(max(x, t_min), t_max); dx = dout * (t_min < x < t_max)
piecewise('brelu', 'X', { t_min: float(0), t_max: float(24) });
// hard_shrink: |x| > threshold ? x : 0
piecewise('hard_shrink', 'X', { threshold: float(0.5) });
// softshrink: x - lambda (x > lambda), x + lambda (x < -lambda), else 0
piecewise('softshrink', 'X', { lambda: float(0.5) });
// thresholded_relu: x > threshold ? x : 0
piecewise('thresholded_relu', 'X', { threshold: float(1) });
// hard_sigmoid: clip(slope * x + offset, 0, 1); dx = dout * slope * (0 < out < 1)
piecewise('hard_sigmoid', 'Out', { slope: float(0.2), offset: float(0.5) });

// elu: max(0, x) + min(0, alpha * (e^x - 1)).
// alpha > 0: dx = dout where out > 0, else dout * (out + alpha) (= alpha e^x); reads Out, so elu_ works.
// alpha <= 0: dx = dout * (1 + alpha e^x) where x > 0, else 0 (Paddle's ELUGradFunctor).
defineUnary('elu', {
  dtypes: FLOATS,
  attrs: { alpha: float(1) },
  grad: (ctx, d) => {
    const alpha = A(ctx, 'alpha');
    if (alpha > 0) {
      const o = OUT(ctx);
      const p = pos(o, d);
      return c.add(p, c.mul(c.sub(d, p), c.scale(o, 1, alpha)));
    }
    const x = X(ctx);
    return c.mul(pos(x, d), c.scale(c.exp(x), alpha, 1));
  },
});

// gelu: x * Phi(x), or its tanh approximation.
defineUnary('gelu', {
  dtypes: FLOATS,
  attrs: { approximate: bool(false) },
  grad: (ctx, d) => {
    const x = X(ctx);
    if (ctx.attrs.approximate) {
      // 0.5 * dout * (1 + y + (x - x y^2) * (kA + kB x^2)), y = tanh(kA (x + 0.044715 x^3))
      const kA = Math.sqrt(2 / Math.PI);
      const kB = kA * 0.044715 * 3;
      const x2 = c.square(x);
      const y = u('tanh', c.scale(c.add(x, c.scale(c.mul(x, x2), 0.044715)), kA));
      const t = c.mul(c.sub(x, c.mul(x, c.square(y))), c.scale(x2, kB, kA));
      return c.scale(c.mul(d, c.add(c.scale(y, 1, 1), t)), 0.5);
    }
    // Phi(x) + x phi(x)
    const cdf = c.scale(u('erf', c.scale(x, Math.SQRT1_2)), 0.5, 0.5);
    const pdf = c.scale(c.exp(c.scale(c.square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return c.mul(d, c.add(cdf, c.mul(x, pdf)));
  },
});

// sigmoid: 1 / (1 + e^-x); dx = dout * out * (1 - out)
defineUnary('sigmoid', { dtypes: FLOATS, grad: (ctx, d) => { const o = OUT(ctx); return c.mul(d, c.mul(o, c.scale(o, -1, 1))); } });
// logsigmoid: log(sigmoid(x)); dx = dout * sigmoid(-x)
defineUnary('logsigmoid', { dtypes: FLOATS, grad: (ctx, d) => c.mul(d, u('sigmoid', c.neg(X(ctx)))) });

// hard_swish: x * clip(x + offset, 0, threshold) / scale.
// dx = dout * ((2x + offset) / scale where 0 < x + offset < threshold; threshold / scale where
// x + offset >= threshold). Paddle 2.0's functor gives 1 there, right only when threshold ==
// scale (the defaults); the true derivative is used.
defineUnary('hard_swish', {
  dtypes: FLOATS,
  attrs: { threshold: float(6), scale: float(6), offset: float(3) },
  grad: (ctx, d) => {
    const x = X(ctx);
    const th = A(ctx, 'threshold');
    const sc = A(ctx, 'scale');
    const off = A(ctx, 'offset');
    const xo = c.scale(x, 1, off);
    const mid = c.mul(between(xo, 0, th, d), c.scale(x, 2 / sc, off / sc));
    const below = between(xo, -BIG, th, d); // dout where x + offset < threshold
    return c.add(mid, c.scale(c.sub(d, below), th / sc));
  },
});

// softplus: log(1 + e^(beta x)) / beta, or x where beta x > threshold.
// dx = dout where beta x > threshold, else dout * sigmoid(beta x)
defineUnary('softplus', {
  dtypes: FLOATS,
  attrs: { beta: float(1), threshold: float(20) },
  grad: (ctx, d) => {
    const bx = c.scale(X(ctx), A(ctx, 'beta'));
    const hi = above(bx, A(ctx, 'threshold'), d);
    return c.add(hi, c.mul(c.sub(d, hi), u('sigmoid', bx)));
  },
});
// softsign: x / (1 + |x|); dx = dout / (1 + |x|)^2
defineUnary('softsign', { dtypes: FLOATS, grad: (ctx, d) => c.div(d, c.square(c.scale(u('abs', X(ctx)), 1, 1))) });
// swish: x * sigmoid(beta x); dx = dout * (beta out + s (1 - beta out)), s = sigmoid(beta x)
defineUnary('swish', {
  dtypes: FLOATS,
  attrs: { beta: float(1) },
  grad: (ctx, d) => {
    const beta = A(ctx, 'beta');
    const s = u('sigmoid', c.scale(X(ctx), beta));
    const bo = c.scale(OUT(ctx), beta);
    return c.mul(d, c.add(bo, c.mul(s, c.scale(bo, -1, 1))));
  },
});
// tanh_shrink: x - tanh(x); dx = dout * tanh(x)^2
defineUnary('tanh_shrink', { dtypes: FLOATS, grad: (ctx, d) => c.mul(d, c.square(u('tanh', X(ctx)))) });
// selu: scale * (x > 0 ? x : alpha (e^x - 1)); dx = dout * scale (x > 0), dout * (out + scale alpha) otherwise
defineUnary('selu', {
  dtypes: FLOATS,
  attrs: { scale: float(1.0507009873554804934193349852946), alpha: float(1.6732632423543772848170429916717) },
  grad: (ctx, d) => {
    const sc = A(ctx, 'scale');
    const p = pos(X(ctx), d);
    return c.add(c.scale(p, sc), c.mul(c.sub(d, p), c.scale(OUT(ctx), 1, sc * A(ctx, 'alpha'))));
  },
});
// mish: x * tanh(sp(x)), sp = softplus(x) except x above threshold and e^x below -threshold
// (threshold > 0). dx = dout * (t + x (1 - t^2) sp'(x)), t = tanh(sp(x)), sp' = sigmoid(x)
// (Paddle's mish_grad), and the derivative of the thresholded pieces (1 and e^x) there.
defineUnary('mish', {
  dtypes: FLOATS,
  attrs: { threshold: float(20) },
  grad: (ctx, d) => {
    const x = X(ctx);
    const th = A(ctx, 'threshold');
    let sp = u('softplus', x, { beta: 1, threshold: th > 0 ? th : BIG });
    let g = u('sigmoid', x);
    if (th > 0) {
      const e = c.exp(x);
      sp = c.add(sp, between(x, -BIG, -th, c.sub(e, sp)));
      g = c.add(g, c.add(above(x, th, c.scale(g, -1, 1)), between(x, -BIG, -th, c.sub(e, g))));
    }
    const t = u('tanh', sp);
    return c.mul(d, c.add(t, c.mul(x, c.mul(c.scale(c.square(t), -1, 1), g))));
  },
});
// soft_relu: log(1 + e^clip(x, -threshold, threshold)); dx = dout * (1 - e^-out) * (-t < x < t).
// Paddle 2.0 masks with -t < out < t, which is not the derivative unless t is large (default
// 40); the mask on x is the true one.
defineUnary('soft_relu', {
  dtypes: FLOATS,
  attrs: { threshold: float(40) },
  grad: (ctx, d) => {
    const th = A(ctx, 'threshold');
    return between(X(ctx), -th, th, c.mul(d, c.scale(c.exp(c.neg(OUT(ctx))), -1, 1)));
  },
});
