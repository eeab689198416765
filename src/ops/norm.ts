// Normalization operators (paddle/fluid/operators): batch_norm and sync_batch_norm (+ their
// fused *_grad operators), layer_norm (+ layer_norm_grad), group_norm (+ group_norm_grad),
// instance_norm (+ instance_norm_grad), lrn (+ lrn_grad) and spectral_norm
// (+ spectral_norm_grad).
//
// Gradients run the fused *_grad operators, as Paddle does. Second derivatives: when a
// gradient is itself being recorded in dygraph (create_graph=True), the rules of batch_norm,
// layer_norm, group_norm and instance_norm compute the same first derivative with composite
// operators (reduce_mean, elementwise ops, rsqrt), so it differentiates again; the fused
// *_grad operators have no gradient rule of their own, so static-mode double backward through
// them is not supported. lrn and spectral_norm have no second derivative.
//
// Statistics conventions, as Paddle's CPU kernels:
// - batch_norm's SavedVariance (and instance_norm's) hold 1/sqrt(var + epsilon), the
//   inverse standard deviation; layer_norm's and group_norm's Variance hold the variance.
// - batch_norm's MeanOut/VarianceOut are the updated running statistics
//   momentum*running + (1-momentum)*batch, with the biased batch variance. The kernel is pure
//   (fresh output tensors); the API layer writes them back into Mean/Variance, which Paddle's
//   programs alias with MeanOut/VarianceOut.
import type { DType } from '../core/dtype.js';
import type { Attrs, GradContext, GradResult, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import { state } from '../core/state.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, float, int, meta, one, opFail, str } from './util.js';

const known = (d: number): boolean => d >= 0;
const prod = (dims: readonly number[]): number => (dims.some((d) => d < 0) ? -1 : dims.reduce((a, b) => a * b, 1));

/** The dtype of scale/bias/statistics for input dtype d: float64 for float64, else float32. */
export function paramDtype(d: DType): DType {
  return d === 'float64' ? 'float64' : 'float32';
}

function requireFloatX(x: Meta, op: string, what = 'X', allowed: readonly DType[] = ['float16', 'float32', 'float64']): void {
  if (!allowed.includes(x.dtype)) opFail(op, `input ${what} must have dtype ${allowed.join(', ')}, but got ${x.dtype}`);
}

/** Checks a per-channel 1-D input (Scale, Bias, Mean, Variance) of size `n` and dtype. */
function requireVec(m: Meta | undefined, n: number, dtypes: readonly DType[], op: string, what: string, sizeWhat: string): void {
  if (!m) return;
  if (m.dims.length !== 1) opFail(op, `input ${what} must be 1-D, but got shape ${showShape(m.dims)}`);
  if (known(n) && known(m.dims[0]) && m.dims[0] !== n) opFail(op, `input ${what} must have shape [${n}] (${sizeWhat}), but got shape ${showShape(m.dims)}`);
  if (!dtypes.includes(m.dtype)) opFail(op, `input ${what} must have dtype ${dtypes.join(' or ')}, but got ${m.dtype}`);
}

function checkEpsilon(eps: number, op: string, max: number): void {
  if (!(eps >= 0 && eps <= max)) opFail(op, `attribute epsilon must be in [0, ${max}], but got ${eps}`);
}

/** The channel axis of a rank-r input in `layout` ('NCHW' -> 1, 'NHWC' -> r-1). */
export function channelAxis(rank: number, layout: string, op: string, attr = 'data_layout'): number {
  if (layout === 'NCHW') return 1;
  if (layout === 'NHWC') return rank - 1;
  return opFail(op, `attribute ${attr} must be 'NCHW' or 'NHWC', but got '${layout}'`);
}

/** Mean over `axes`, keeping them. */
const meanKeep = (x: Tensor, axes: number[]): Tensor => c.run1('reduce_mean', { X: [x] }, { dim: axes, keep_dim: true, reduce_all: false });

/**
 * The first derivative of a normalization y = (x - mean) * rsqrt(var + eps) * scale + bias,
 * written with composite operators so that it differentiates again (create_graph). `view`
 * is x's shape with the statistics' axes `axes` explicit; `scaleView` is scale's shape
 * broadcast against `view`; `global` gives fixed statistics (batch_norm with global stats).
 */
function compositeNormGrad(o: {
  x: Tensor; g: Tensor; view: number[]; axes: number[]; scale: Tensor | null; scaleView: number[]; paramDims: number[];
  eps: number; global?: { mean: Tensor; variance: Tensor }; skipStats?: boolean;
}): { dx: Tensor; dscale: Tensor; dbias: Tensor } {
  const xv = c.reshape(o.x, o.view);
  const gv = c.reshape(o.g, o.view);
  const sv = o.scale ? c.reshape(o.scale, o.scaleView) : null;
  let xhat: Tensor;
  let dxv: Tensor;
  if (o.skipStats) {
    // batch_norm with one value per channel in training: Paddle's kernels pass y = x through.
    const z = c.zerosLike(gv);
    return { dx: o.g, dscale: c.sumTo(z, o.scaleView, o.paramDims), dbias: c.sumTo(z, o.scaleView, o.paramDims) };
  }
  if (o.global) {
    const mu = c.reshape(o.global.mean, o.scaleView);
    const r = c.unary('rsqrt', c.scale(c.reshape(o.global.variance, o.scaleView), 1, o.eps));
    xhat = c.mul(c.sub(xv, mu), r);
    dxv = c.mul(sv ? c.mul(gv, sv) : gv, r);
  } else {
    const xc = c.sub(xv, meanKeep(xv, o.axes));
    const r = c.unary('rsqrt', c.scale(meanKeep(c.square(xc), o.axes), 1, o.eps));
    xhat = c.mul(xc, r);
    const gh = sv ? c.mul(gv, sv) : gv;
    dxv = c.mul(r, c.sub(c.sub(gh, meanKeep(gh, o.axes)), c.mul(xhat, meanKeep(c.mul(gh, xhat), o.axes))));
  }
  return {
    dx: c.reshape(dxv, o.x.dims.slice()),
    dscale: c.sumTo(c.mul(gv, xhat), o.scaleView, o.paramDims),
    dbias: c.sumTo(gv, o.scaleView, o.paramDims),
  };
}

/** Whether a gradient rule should build the composite (twice differentiable) form. */
const composite = (): boolean => state.gradEnabled && !state.staticMode;

/** How compositeNormGrad views x and scale for one normalization (see its `view`, `axes`, ...). */
type NormView = { view: number[]; axes: number[]; scaleView: number[]; paramDims: number[] };

/**
 * The gradient rule of a normalization with optional Scale and Bias (layer_norm, group_norm,
 * instance_norm): the composite form over `views(x, attrs)` when it is recorded, else the fused
 * `gradType` operator fed X, the saved statistics `stats`, Y@GRAD, Scale and, with `feedBias`, Bias.
 */
function optionalAffineGrad(
  gradType: string, stats: readonly [string, string], feedBias: boolean, views: (x: Tensor, a: Attrs) => NormView,
): (ctx: GradContext) => GradResult {
  return (ctx) => {
    const x = ctx.input('X');
    const hasS = ctx.has('Scale');
    const hasB = ctx.has('Bias');
    if (!ctx.needs('X') && !(hasS && ctx.needs('Scale')) && !(hasB && ctx.needs('Bias'))) return {};
    const a = ctx.attrs;
    const g = ctx.outGrad('Y');
    if (composite()) {
      const v = views(x, a);
      const res = compositeNormGrad({ x, g, eps: a.epsilon, scale: hasS ? ctx.input('Scale') : null, ...v });
      return { X: [res.dx], Scale: hasS ? [res.dscale] : undefined, Bias: hasB ? [res.dbias] : undefined };
    }
    const [sm, sv] = stats;
    const ins: Slots<Tensor> = { X: [x], [sm]: [ctx.output(sm)], [sv]: [ctx.output(sv)], 'Y@GRAD': [g] };
    if (hasS) ins.Scale = [ctx.input('Scale')];
    if (feedBias && hasB) ins.Bias = [ctx.input('Bias')];
    const r = c.dispatch(gradType, ins, { ...a });
    return { X: [r['X@GRAD'][0]], Scale: hasS ? [r['Scale@GRAD'][0]] : undefined, Bias: hasB ? [r['Bias@GRAD'][0]] : undefined };
  };
}

/** Checks that each input of `slots` (saved statistics) has shape `want`. */
function requireStats(ins: Slots<Meta>, slots: readonly string[], want: readonly number[], op: string): void {
  for (const s of slots) {
    const m = one(ins, s, op);
    if (m.dims.length !== want.length || want.some((d, i) => known(d) && known(m.dims[i]) && d !== m.dims[i]))
      opFail(op, `input ${s} must have shape [${want.join(', ')}], but got ${showShape(m.dims)}`);
  }
}

/** A *_grad operator's outputs with optional Scale and Bias: X@GRAD, and Scale@GRAD / Bias@GRAD when given. */
function optionalAffineGradOuts(ins: Slots<Meta>, x: Meta): Slots<Meta> {
  const out: Slots<Meta> = { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  const s = ins.Scale?.[0];
  const b = ins.Bias?.[0];
  if (s) out['Scale@GRAD'] = [meta(s.dims.slice(), s.dtype)];
  if (b) out['Bias@GRAD'] = [meta(b.dims.slice(), b.dtype)];
  return out;
}

// ---- batch_norm / sync_batch_norm -----------------------------------------------------------

/**
 * Cross-process statistics for sync_batch_norm. When a collective group is active, the
 * distributed package sets `allreduce` to a function that sums a Float64Array elementwise
 * across processes, in place. The forward pass reduces [sum x (C), sum x^2 (C), count], the
 * backward pass [sum dy (C), sum dy*(x - mean) (C), count]. Unset (one process), sync_batch_norm
 * computes exactly what batch_norm does.
 */
export const batchNormSync: { allreduce: ((buf: Float64Array) => void) | null } = { allreduce: null };

const bnAttrs = () => ({
  is_test: bool(false),
  momentum: float(0.9),
  epsilon: float(1e-5),
  data_layout: str('NCHW'),
  use_mkldnn: bool(false),
  fuse_with_relu: bool(false),
  use_global_stats: bool(false),
  trainable_statistics: bool(false),
});

/** Whether batch_norm normalizes with the running statistics (Mean/Variance). */
export function bnGlobal(attrs: Attrs): boolean {
  return !!attrs.use_global_stats || (!!attrs.is_test && !attrs.trainable_statistics);
}

/** Checks batch_norm's inputs; returns [C, param dtype]. */
function bnCheck(ins: Slots<Meta>, attrs: Attrs, op: string): [number, DType] {
  const x = one(ins, 'X', op);
  requireFloatX(x, op);
  const r = x.dims.length;
  if (r < 2 || r > 5) opFail(op, `input X must be 2-D to 5-D, but got shape ${showShape(x.dims)}`);
  const C = x.dims[channelAxis(r, attrs.data_layout, op)];
  checkEpsilon(attrs.epsilon, op, 0.001);
  const pd = paramDtype(x.dtype);
  const dts = [pd];
  const what = `the channels of X, data_layout ${attrs.data_layout}`;
  requireVec(one(ins, 'Scale', op), C, dts, op, 'Scale', what);
  requireVec(ins.Bias?.[0], C, dts, op, 'Bias', what);
  requireVec(ins.Mean?.[0], C, dts, op, 'Mean', what);
  requireVec(ins.Variance?.[0], C, dts, op, 'Variance', what);
  const mt = ins.MomentumTensor?.[0];
  if (mt && prod(mt.dims) > 1) opFail(op, `input MomentumTensor must hold one value, but got shape ${showShape(mt.dims)}`);
  return [C, pd];
}

function defineBatchNorm(type: string): void {
  const gradType = `${type}_grad`;
  defineOp({
    type,
    inputs: ['X', 'Scale', 'Bias', 'Mean!', 'Variance!', 'MomentumTensor?!'],
    outputs: ['Y', 'MeanOut', 'VarianceOut', 'SavedMean', 'SavedVariance', 'ReserveSpace?'],
    attrs: bnAttrs(),
    noGradOutputs: ['MeanOut', 'VarianceOut', 'SavedMean', 'SavedVariance', 'ReserveSpace'],
    infer(ins, attrs) {
      one(ins, 'Bias', type);
      one(ins, 'Mean', type);
      one(ins, 'Variance', type);
      const [C, pd] = bnCheck(ins, attrs, type);
      const x = one(ins, 'X', type);
      const v = (): Meta => meta([C], pd);
      return { Y: [meta(x.dims.slice(), x.dtype)], MeanOut: [v()], VarianceOut: [v()], SavedMean: [v()], SavedVariance: [v()] };
    },
    grad(ctx): GradResult {
      const nx = ctx.needs('X');
      const ns = ctx.needs('Scale');
      const nb = ctx.needs('Bias');
      if (!nx && !ns && !nb) return {};
      const a = ctx.attrs;
      const x = ctx.input('X');
      const g = ctx.outGrad('Y');
      const global = bnGlobal(a);
      if (composite() && type === 'batch_norm') {
        const r = x.dims.length;
        const ca = channelAxis(r, a.data_layout, type);
        const C = x.dims[ca];
        const N = x.dims[0];
        const S = x.dims.reduce((p, d) => p * d, 1) / N / C;
        const nchw = ca === 1;
        const res = compositeNormGrad({
          x, g, eps: a.epsilon, scale: ctx.input('Scale'), paramDims: [C],
          view: nchw ? [N, C, S] : [N * S, C],
          axes: nchw ? [0, 2] : [0],
          scaleView: nchw ? [1, C, 1] : [1, C],
          global: global ? { mean: ctx.input('Mean'), variance: ctx.input('Variance') } : undefined,
          skipStats: !global && N * S === 1,
        });
        return { X: [res.dx], Scale: [res.dscale], Bias: [res.dbias] };
      }
      const ins: Slots<Tensor> = {
        X: [x], Scale: [ctx.input('Scale')], Bias: [ctx.input('Bias')],
        SavedMean: [ctx.output('SavedMean')], SavedVariance: [ctx.output('SavedVariance')], 'Y@GRAD': [g],
      };
      if (global) {
        ins.Mean = [ctx.input('Mean')];
        ins.Variance = [ctx.input('Variance')];
      }
      const r = c.dispatch(gradType, ins, { ...a });
      return { X: [r['X@GRAD'][0]], Scale: [r['Scale@GRAD'][0]], Bias: [r['Bias@GRAD'][0]] };
    },
  });

  // batch_norm_grad: X@GRAD, Scale@GRAD, Bias@GRAD from X, the saved batch statistics (or,
  // with global statistics, Mean/Variance) and Y@GRAD.
  defineOp({
    type: gradType,
    inputs: ['X', 'Scale', 'Bias', 'Mean?', 'Variance?', 'SavedMean', 'SavedVariance', 'ReserveSpace?', 'Y@GRAD'],
    outputs: ['X@GRAD', 'Scale@GRAD', 'Bias@GRAD'],
    attrs: bnAttrs(),
    infer(ins, attrs) {
      const [C, pd] = bnCheck(ins, attrs, gradType);
      const x = one(ins, 'X', gradType);
      const dy = one(ins, 'Y@GRAD', gradType);
      if (dy.dims.length !== x.dims.length || dy.dims.some((d, i) => known(d) && known(x.dims[i]) && d !== x.dims[i]))
        opFail(gradType, `input Y@GRAD must have X's shape ${showShape(x.dims)}, but got ${showShape(dy.dims)}`);
      if (bnGlobal(attrs) && (!ins.Mean?.[0] || !ins.Variance?.[0]))
        opFail(gradType, 'inputs Mean and Variance are required with global statistics (use_global_stats or is_test)');
      return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)], 'Scale@GRAD': [meta([C], pd)], 'Bias@GRAD': [meta([C], pd)] };
    },
  });
}
defineBatchNorm('batch_norm');
defineBatchNorm('sync_batch_norm');

// ---- layer_norm -----------------------------------------------------------------------------

/** [left, right] of layer_norm: X flattened to a matrix at begin_norm_axis. */
function lnSplit(x: Meta, attrs: Attrs, op: string): [number, number] {
  const r = x.dims.length;
  const b = attrs.begin_norm_axis;
  // Paddle 2.0 requires begin_norm_axis > 0; later releases also take 0 (normalize everything).
  if (!Number.isInteger(b) || b < 0 || b >= r)
    opFail(op, `attribute begin_norm_axis must be in [0, ${r}) for X of shape ${showShape(x.dims)}, but got ${b}`);
  return [prod(x.dims.slice(0, b)), prod(x.dims.slice(b))];
}

const lnAttrs = () => ({
  epsilon: float(1e-5),
  begin_norm_axis: int(1),
  use_mkldnn: bool(false),
  mkldnn_data_type: str('float32'),
  is_test: bool(false),
});

function lnCheckParams(ins: Slots<Meta>, x: Meta, right: number, op: string): DType[] {
  const dts = x.dtype === 'float16' ? ['float32', 'float16'] as DType[] : [x.dtype];
  const what = 'the product of X dims from begin_norm_axis';
  requireVec(ins.Scale?.[0], right, dts, op, 'Scale', what);
  requireVec(ins.Bias?.[0], right, dts, op, 'Bias', what);
  return dts;
}

defineOp({
  type: 'layer_norm',
  inputs: ['X', 'Scale?', 'Bias?'],
  outputs: ['Y', 'Mean', 'Variance'],
  attrs: lnAttrs(),
  noGradOutputs: ['Mean', 'Variance'],
  infer(ins, attrs) {
    const op = 'layer_norm';
    const x = one(ins, 'X', op);
    requireFloatX(x, op);
    const [left, right] = lnSplit(x, attrs, op);
    checkEpsilon(attrs.epsilon, op, 0.001);
    lnCheckParams(ins, x, right, op);
    const sd = paramDtype(x.dtype);
    return { Y: [meta(x.dims.slice(), x.dtype)], Mean: [meta([left], sd)], Variance: [meta([left], sd)] };
  },
  grad: optionalAffineGrad('layer_norm_grad', ['Mean', 'Variance'], true, (x, a) => {
    const b = a.begin_norm_axis;
    const left = x.dims.slice(0, b).reduce((p, d) => p * d, 1);
    const right = x.dims.slice(b).reduce((p, d) => p * d, 1);
    return { paramDims: [right], view: [left, right], axes: [1], scaleView: [1, right] };
  }),
});

// layer_norm_grad: X@GRAD (and Scale@GRAD / Bias@GRAD when Scale / Bias are given).
defineOp({
  type: 'layer_norm_grad',
  inputs: ['X', 'Scale?', 'Bias?', 'Mean', 'Variance', 'Y@GRAD'],
  outputs: ['X@GRAD', 'Scale@GRAD?', 'Bias@GRAD?'],
  attrs: lnAttrs(),
  infer(ins, attrs) {
    const op = 'layer_norm_grad';
    const x = one(ins, 'X', op);
    requireFloatX(x, op);
    const [left, right] = lnSplit(x, attrs, op);
    lnCheckParams(ins, x, right, op);
    requireStats(ins, ['Mean', 'Variance'], [left], op);
    return optionalAffineGradOuts(ins, x);
  },
});

// ---- group_norm -----------------------------------------------------------------------------

const gnAttrs = () => ({ epsilon: float(1e-5), groups: int(), data_layout: str('NCHW') });

/** Checks group_norm's inputs; returns [N, C, groups]. */
function gnCheck(ins: Slots<Meta>, attrs: Attrs, op: string): [number, number, number] {
  const x = one(ins, 'X', op);
  requireFloatX(x, op, 'X', ['float32', 'float64']);
  const r = x.dims.length;
  if (r < 2) opFail(op, `input X must have at least 2 dimensions, but got shape ${showShape(x.dims)}`);
  const C = x.dims[channelAxis(r, attrs.data_layout, op)];
  const G = attrs.groups;
  if (!Number.isInteger(G) || G < 1) opFail(op, `attribute groups must be an integer >= 1, but got ${G}`);
  if (known(C)) {
    if (G > C) opFail(op, `attribute groups (${G}) must be at most the number of channels (${C}, data_layout ${attrs.data_layout})`);
    if (C % G !== 0) opFail(op, `the number of channels (${C}) must be divisible by groups (${G})`);
  }
  if (!(attrs.epsilon >= 0 && attrs.epsilon <= 1)) opFail(op, `attribute epsilon must be in [0, 1], but got ${attrs.epsilon}`);
  const what = `the channels of X, data_layout ${attrs.data_layout}`;
  requireVec(ins.Scale?.[0], C, [x.dtype], op, 'Scale', what);
  requireVec(ins.Bias?.[0], C, [x.dtype], op, 'Bias', what);
  return [x.dims[0], C, G];
}

defineOp({
  type: 'group_norm',
  inputs: ['X', 'Scale?', 'Bias?'],
  outputs: ['Y', 'Mean', 'Variance'],
  attrs: gnAttrs(),
  noGradOutputs: ['Mean', 'Variance'],
  infer(ins, attrs) {
    const [N, , G] = gnCheck(ins, attrs, 'group_norm');
    const x = one(ins, 'X', 'group_norm');
    return { Y: [meta(x.dims.slice(), x.dtype)], Mean: [meta([N, G], x.dtype)], Variance: [meta([N, G], x.dtype)] };
  },
  grad: optionalAffineGrad('group_norm_grad', ['Mean', 'Variance'], true, (x, a) => {
    const r = x.dims.length;
    const nchw = channelAxis(r, a.data_layout, 'group_norm') === 1;
    const N = x.dims[0];
    const C = nchw ? x.dims[1] : x.dims[r - 1];
    const G = a.groups;
    const S = x.dims.reduce((p, d) => p * d, 1) / N / C;
    return {
      paramDims: [C],
      view: nchw ? [N, G, C / G, S] : [N, S, G, C / G],
      axes: nchw ? [2, 3] : [1, 3],
      scaleView: nchw ? [1, G, C / G, 1] : [1, 1, G, C / G],
    };
  }),
});

// group_norm_grad. Paddle 2.0's kernel reconstructs the normalized input from Y, Scale and
// Bias (wrong where a scale is 0); this one takes X, Mean and Variance, as later releases do.
defineOp({
  type: 'group_norm_grad',
  inputs: ['X', 'Scale?', 'Bias?', 'Mean', 'Variance', 'Y@GRAD'],
  outputs: ['X@GRAD', 'Scale@GRAD?', 'Bias@GRAD?'],
  attrs: gnAttrs(),
  infer(ins, attrs) {
    const op = 'group_norm_grad';
    const [N, , G] = gnCheck(ins, attrs, op);
    const x = one(ins, 'X', op);
    requireStats(ins, ['Mean', 'Variance'], [N, G], op);
    return optionalAffineGradOuts(ins, x);
  },
});

// ---- instance_norm --------------------------------------------------------------------------

/** Checks instance_norm's inputs; returns [N, C]. */
function inCheck(ins: Slots<Meta>, attrs: Attrs, op: string): [number, number] {
  const x = one(ins, 'X', op);
  requireFloatX(x, op, 'X', ['float32', 'float64']);
  const r = x.dims.length;
  if (r < 2 || r > 5) opFail(op, `input X must be 2-D to 5-D, but got shape ${showShape(x.dims)}`);
  checkEpsilon(attrs.epsilon, op, 0.001);
  const C = x.dims[1];
  requireVec(ins.Scale?.[0], C, [x.dtype], op, 'Scale', 'the channels of X, dim 1');
  requireVec(ins.Bias?.[0], C, [x.dtype], op, 'Bias', 'the channels of X, dim 1');
  return [x.dims[0], C];
}

defineOp({
  type: 'instance_norm',
  inputs: ['X', 'Scale?', 'Bias?'],
  outputs: ['Y', 'SavedMean', 'SavedVariance'],
  attrs: { epsilon: float(1e-5) },
  noGradOutputs: ['SavedMean', 'SavedVariance'],
  infer(ins, attrs) {
    const [N, C] = inCheck(ins, attrs, 'instance_norm');
    const x = one(ins, 'X', 'instance_norm');
    const nc = known(N) && known(C) ? N * C : -1;
    return { Y: [meta(x.dims.slice(), x.dtype)], SavedMean: [meta([nc], x.dtype)], SavedVariance: [meta([nc], x.dtype)] };
  },
  // instance_norm_grad takes no Bias.
  grad: optionalAffineGrad('instance_norm_grad', ['SavedMean', 'SavedVariance'], false, (x) => {
    const N = x.dims[0];
    const C = x.dims[1];
    const S = x.dims.reduce((p, d) => p * d, 1) / N / C;
    return { paramDims: [C], view: [N, C, S], axes: [2], scaleView: [1, C, 1] };
  }),
});

defineOp({
  type: 'instance_norm_grad',
  inputs: ['X', 'Scale?', 'SavedMean', 'SavedVariance', 'Y@GRAD'],
  outputs: ['X@GRAD', 'Scale@GRAD', 'Bias@GRAD'],
  attrs: { epsilon: float(1e-5) },
  infer(ins, attrs) {
    const op = 'instance_norm_grad';
    const [N, C] = inCheck(ins, attrs, op);
    const x = one(ins, 'X', op);
    const nc = known(N) && known(C) ? N * C : -1;
    requireStats(ins, ['SavedMean', 'SavedVariance'], [nc], op);
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)], 'Scale@GRAD': [meta([C], x.dtype)], 'Bias@GRAD': [meta([C], x.dtype)] };
  },
});

// ---- lrn ------------------------------------------------------------------------------------

const lrnAttrs = () => ({
  n: int(5),
  k: float(2.0),
  alpha: float(0.0001),
  beta: float(0.75),
  use_mkldnn: bool(false),
  data_format: str('AnyLayout'),
  is_test: bool(false),
});

function lrnCheck(x: Meta, attrs: Attrs, op: string): void {
  requireFloatX(x, op, 'X', ['float32', 'float64']);
  if (x.dims.length !== 4) opFail(op, `input X must be 4-D, but got shape ${showShape(x.dims)}`);
  const n = attrs.n;
  if (!Number.isInteger(n) || n <= 0 || n % 2 !== 1) opFail(op, `attribute n must be a positive odd integer, but got ${n}`);
  for (const k of ['k', 'alpha', 'beta'])
    if (!(attrs[k] > 0)) opFail(op, `attribute ${k} must be greater than 0, but got ${attrs[k]}`);
  if (!['AnyLayout', 'NCHW', 'NHWC'].includes(attrs.data_format))
    opFail(op, `attribute data_format must be 'NCHW', 'NHWC' or 'AnyLayout', but got '${attrs.data_format}'`);
}

defineOp({
  type: 'lrn',
  inputs: ['X'],
  outputs: ['Out', 'MidOut'],
  attrs: lrnAttrs(),
  noGradOutputs: ['MidOut'],
  infer(ins, attrs) {
    const x = one(ins, 'X', 'lrn');
    lrnCheck(x, attrs, 'lrn');
    return { Out: [meta(x.dims.slice(), x.dtype)], MidOut: [meta(x.dims.slice(), x.dtype)] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], Out: [ctx.output('Out')], MidOut: [ctx.output('MidOut')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [c.run1('lrn_grad', ins, { ...ctx.attrs }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'lrn_grad',
  inputs: ['X', 'Out', 'MidOut', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: lrnAttrs(),
  infer(ins, attrs) {
    const x = one(ins, 'X', 'lrn_grad');
    lrnCheck(x, attrs, 'lrn_grad');
    return { 'X@GRAD': [meta(x.dims.slice(), x.dtype)] };
  },
});

// ---- spectral_norm --------------------------------------------------------------------------

/** Checks spectral_norm's inputs; returns [h, w] of the weight matrix. */
function snCheck(ins: Slots<Meta>, attrs: Attrs, op: string): [number, number] {
  const wt = one(ins, 'Weight', op);
  requireFloatX(wt, op, 'Weight', ['float32', 'float64']);
  const r = wt.dims.length;
  if (r < 2 || r > 5) opFail(op, `input Weight must be 2-D to 5-D, but got shape ${showShape(wt.dims)}`);
  const dim = attrs.dim;
  if (dim !== 0 && dim !== 1) opFail(op, `attribute dim can only be 0 or 1, but got ${dim}`);
  if (!Number.isInteger(attrs.power_iters) || attrs.power_iters < 0) opFail(op, `attribute power_iters must be an integer >= 0, but got ${attrs.power_iters}`);
  const h = wt.dims[dim];
  const w = prod(wt.dims.filter((_, i) => i !== dim));
  for (const [s, n, what] of [['U', h, `Weight's dim ${dim}`], ['V', w, `the product of Weight's other dims`]] as const) {
    const m = one(ins, s, op);
    if (m.dtype !== wt.dtype) opFail(op, `input ${s} must have Weight's dtype ${wt.dtype}, but got ${m.dtype}`);
    const ok = (m.dims.length === 1 || (m.dims.length === 2 && m.dims[1] === 1)) && (!known(n) || !known(m.dims[0]) || m.dims[0] === n);
    if (!ok) opFail(op, `input ${s} must have shape [${n}] (${what}), but got ${showShape(m.dims)}`);
  }
  return [h, w];
}

const snAttrs = () => ({ dim: int(0), power_iters: int(1), eps: float(1e-12) });

defineOp({
  type: 'spectral_norm',
  inputs: ['Weight', 'U!', 'V!'],
  outputs: ['Out'],
  attrs: snAttrs(),
  infer(ins, attrs) {
    snCheck(ins, attrs, 'spectral_norm');
    const wt = one(ins, 'Weight', 'spectral_norm');
    return { Out: [meta(wt.dims.slice(), wt.dtype)] };
  },
  // The power-iteration vectors u, v are treated as constants (as Paddle and the paper do), so
  // dW = dOut / sigma - sum(dOut * W) / sigma^2 * u v^T. (Paddle 2.0's kernel multiplies by
  // dOut elementwise instead of summing it, which is right only for a constant dOut.)
  grad(ctx): GradResult {
    if (!ctx.needs('Weight')) return {};
    const ins = { Weight: [ctx.input('Weight')], U: [ctx.input('U')], V: [ctx.input('V')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { Weight: [c.run1('spectral_norm_grad', ins, { ...ctx.attrs }, 'Weight@GRAD')] };
  },
});

defineOp({
  type: 'spectral_norm_grad',
  inputs: ['Weight', 'U!', 'V!', 'Out@GRAD'],
  outputs: ['Weight@GRAD'],
  attrs: snAttrs(),
  infer(ins, attrs) {
    snCheck(ins, attrs, 'spectral_norm_grad');
    const wt = one(ins, 'Weight', 'spectral_norm_grad');
    return { 'Weight@GRAD': [meta(wt.dims.slice(), wt.dtype)] };
  },
});
