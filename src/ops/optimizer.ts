// Paddle's parameter-update operators (paddle/fluid/operators/optimizers/*.cc at 2.0): sgd,
// momentum, adam, adamax, adagrad, adadelta, rmsprop, lamb, and clip_by_norm (used by
// nn.ClipGradByNorm). None has a gradient. The update outputs (ParamOut, Moment1Out...) share
// memory with the matching inputs, as in Paddle: the kernels write in place and return the
// input tensors themselves. Grad may be a SelectedRows (sparse Embedding): sgd and adam with
// lazy_mode update only its rows; the others see it as the dense gradient it stands for, which
// is what Paddle's sparse functors compute (absent rows have a zero gradient).
import { DType } from '../core/dtype.js';
import { hasOp, Slots } from '../core/registry.js';
import { isSelectedRows } from '../core/selected_rows.js';
import { showShape } from '../core/shape.js';
import type { Meta } from '../core/tensor.js';
import { bool, defineOp, float, long, meta, one, opFail, requireFloat, str } from './util.js';

const FLOATS: readonly DType[] = ['float32', 'float64'];

/** Checks the common inputs of an update op and returns Param's meta. */
function checkUpdate(ins: Slots<Meta>, op: string, sameShape: readonly string[], scalars: readonly string[]): Meta {
  const param = one(ins, 'Param', op);
  if (!FLOATS.includes(param.dtype)) opFail(op, `input Param must be float32 or float64, but got ${param.dtype}`);
  for (const s of sameShape) {
    const m = ins[s]?.[0];
    if (!m) continue;
    if (m.dtype !== param.dtype) opFail(op, `input ${s} must have Param's dtype ${param.dtype}, but got ${m.dtype}`);
    // a SelectedRows gradient (sparse Embedding) is checked by its dense shape
    const dims = isSelectedRows(m) ? m.dense_shape : m.dims;
    if (!sameDims(dims, param.dims))
      opFail(op, `Param and ${s} should have the same dimension, but got Param ${showShape(param.dims)} and ${s} ${showShape(dims)}`);
  }
  for (const s of scalars) {
    const m = ins[s]?.[0];
    if (!m) continue;
    const n = numelKnown(m.dims);
    if (n === 0)
      opFail(op, `input ${s} has no elements. Maybe the LearningRate or accumulator variable has not been initialized: run the startup program after optimizer.minimize`);
    if (n > 1) opFail(op, `input ${s} should hold a single value, but has shape ${showShape(m.dims)}`);
  }
  return param;
}
function sameDims(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && a[i] >= 0 && b[i] >= 0) return false;
  return true;
}
/** Element count, or -1 when a dim is unknown. */
function numelKnown(d: readonly number[]): number {
  let n = 1;
  for (const x of d) {
    if (x < 0) return -1;
    n *= x;
  }
  return n;
}
const like = (m: Meta): Meta => meta(m.dims.slice(), m.dtype);

// sgd: ParamOut = Param - LearningRate * Grad.
defineOp({
  type: 'sgd',
  inputs: ['Param', 'LearningRate', 'Grad'],
  outputs: ['ParamOut'],
  attrs: {},
  infer(ins) {
    const p = checkUpdate(ins, 'sgd', ['Grad'], ['LearningRate']);
    one(ins, 'LearningRate', 'sgd');
    one(ins, 'Grad', 'sgd');
    return { ParamOut: [like(p)] };
  },
});

// momentum: VelocityOut = mu * Velocity + g; ParamOut = Param - lr * VelocityOut, or with
// use_nesterov Param - lr * (g + mu * VelocityOut); g = rescale_grad * Grad (+ coeff * Param
// when regularization_method is 'l2_decay').
defineOp({
  type: 'momentum',
  inputs: ['Param', 'Grad', 'Velocity', 'LearningRate', 'MasterParam?'],
  outputs: ['ParamOut', 'VelocityOut', 'MasterParamOut?'],
  attrs: {
    mu: float(),
    use_nesterov: bool(false),
    regularization_method: str(''),
    regularization_coeff: float(0),
    multi_precision: bool(false),
    rescale_grad: float(1),
  },
  infer(ins) {
    const op = 'momentum';
    for (const s of ['Grad', 'Velocity', 'LearningRate']) one(ins, s, op);
    const p = checkUpdate(ins, op, ['Grad', 'Velocity'], ['LearningRate']);
    const out: Slots<Meta> = { ParamOut: [like(p)], VelocityOut: [like(p)] };
    if (ins.MasterParam?.[0]) out.MasterParamOut = [like(ins.MasterParam[0])];
    return out;
  },
});

// adam: moments, then Param -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) +
// epsilon * sqrt(1 - beta2^t)), with beta1^t, beta2^t read from Beta1Pow/Beta2Pow (which the
// op then multiplies by beta1, beta2).
defineOp({
  type: 'adam',
  inputs: ['Param', 'Grad', 'LearningRate', 'Moment1', 'Moment2', 'Beta1Pow', 'Beta2Pow', 'Beta1Tensor?', 'Beta2Tensor?', 'MasterParam?'],
  outputs: ['ParamOut', 'Moment1Out', 'Moment2Out', 'Beta1PowOut', 'Beta2PowOut', 'MasterParamOut?'],
  attrs: {
    beta1: float(0.9),
    beta2: float(0.999),
    epsilon: float(1e-8),
    lazy_mode: bool(false),
    min_row_size_to_use_multithread: long(1000),
    multi_precision: bool(false),
  },
  infer(ins) {
    const op = 'adam';
    for (const s of ['Grad', 'LearningRate', 'Moment1', 'Moment2', 'Beta1Pow', 'Beta2Pow']) one(ins, s, op);
    const p = checkUpdate(ins, op, ['Grad', 'Moment1', 'Moment2'], ['LearningRate', 'Beta1Pow', 'Beta2Pow', 'Beta1Tensor', 'Beta2Tensor']);
    const out: Slots<Meta> = {
      ParamOut: [like(p)], Moment1Out: [like(p)], Moment2Out: [like(p)],
      Beta1PowOut: [like(ins.Beta1Pow[0])], Beta2PowOut: [like(ins.Beta2Pow[0])],
    };
    if (ins.MasterParam?.[0]) out.MasterParamOut = [like(ins.MasterParam[0])];
    return out;
  },
});

// adamax: MomentOut = beta1 * m + (1 - beta1) * g; InfNormOut = max(|g|, beta2 * u + epsilon);
// ParamOut = Param - lr / (1 - beta1^t) * MomentOut / InfNormOut. Beta1Pow is advanced by a
// separate scale op (the optimizer's _finish_update).
defineOp({
  type: 'adamax',
  inputs: ['Param', 'Grad', 'LearningRate', 'Moment', 'InfNorm', 'Beta1Pow'],
  outputs: ['ParamOut', 'MomentOut', 'InfNormOut'],
  attrs: { beta1: float(0.9), beta2: float(0.999), epsilon: float(1e-8) },
  infer(ins) {
    const op = 'adamax';
    for (const s of ['Grad', 'LearningRate', 'Moment', 'InfNorm', 'Beta1Pow']) one(ins, s, op);
    const p = checkUpdate(ins, op, ['Grad', 'Moment', 'InfNorm'], ['LearningRate', 'Beta1Pow']);
    return { ParamOut: [like(p)], MomentOut: [like(p)], InfNormOut: [like(p)] };
  },
});

// adagrad: MomentOut = Moment + g^2; ParamOut = Param - lr * g / (sqrt(MomentOut) + epsilon).
defineOp({
  type: 'adagrad',
  inputs: ['Param', 'Grad', 'Moment', 'LearningRate'],
  outputs: ['ParamOut', 'MomentOut'],
  attrs: { epsilon: float(1e-6) },
  infer(ins) {
    const op = 'adagrad';
    for (const s of ['Grad', 'Moment', 'LearningRate']) one(ins, s, op);
    const p = checkUpdate(ins, op, ['Grad', 'Moment'], ['LearningRate']);
    return { ParamOut: [like(p)], MomentOut: [like(p)] };
  },
});

// adadelta: E[g^2] = rho E[g^2] + (1 - rho) g^2; update = -sqrt((E[dx^2] + eps) / (E[g^2] +
// eps)) * g; E[dx^2] = rho E[dx^2] + (1 - rho) update^2; ParamOut = Param + lr * update.
// Paddle 2.0's op has no LearningRate input (so its learning_rate had no effect); later Paddle
// added it, and so does this one, as a dispensable input (absent: lr = 1, 2.0's behaviour).
defineOp({
  type: 'adadelta',
  inputs: ['Param', 'Grad', 'AvgSquaredGrad', 'AvgSquaredUpdate', 'LearningRate?'],
  outputs: ['ParamOut', 'AvgSquaredGradOut', 'AvgSquaredUpdateOut'],
  attrs: { rho: float(0.95), epsilon: float(1e-6) },
  infer(ins) {
    const op = 'adadelta';
    for (const s of ['Grad', 'AvgSquaredGrad', 'AvgSquaredUpdate']) one(ins, s, op);
    const p = checkUpdate(ins, op, ['Grad', 'AvgSquaredGrad', 'AvgSquaredUpdate'], ['LearningRate']);
    return { ParamOut: [like(p)], AvgSquaredGradOut: [like(p)], AvgSquaredUpdateOut: [like(p)] };
  },
});

// rmsprop: ms = decay * ms + (1 - decay) g^2 (centered: mg = decay * mg + (1 - decay) g, and
// ms - mg^2 below); mom = momentum * mom + lr * g / sqrt(ms + epsilon); ParamOut = Param - mom.
defineOp({
  type: 'rmsprop',
  inputs: ['Param', 'MeanSquare', 'MeanGrad?', 'LearningRate', 'Grad', 'Moment'],
  outputs: ['ParamOut', 'MomentOut', 'MeanSquareOut', 'MeanGradOut?'],
  attrs: { epsilon: float(1e-10), decay: float(0.9), momentum: float(0), centered: bool(false) },
  infer(ins, attrs) {
    const op = 'rmsprop';
    for (const s of ['MeanSquare', 'LearningRate', 'Grad', 'Moment']) one(ins, s, op);
    const p = checkUpdate(ins, op, ['Grad', 'Moment', 'MeanSquare', 'MeanGrad'], ['LearningRate']);
    if (attrs.centered && !ins.MeanGrad?.[0]) opFail(op, 'input MeanGrad is required when centered is true');
    const out: Slots<Meta> = { ParamOut: [like(p)], MomentOut: [like(p)], MeanSquareOut: [like(p)] };
    if (ins.MeanGrad?.[0]) out.MeanGradOut = [like(p)];
    return out;
  },
});

// lamb: Adam moments; r = m_hat / (sqrt(v_hat) + epsilon) + weight_decay * Param with m_hat =
// m / (1 - beta1^t), v_hat = v / (1 - beta2^t); ParamOut = Param - lr * (||Param|| / ||r||) * r
// (trust ratio 1 when either norm is 0); the beta powers advance once per call.
defineOp({
  type: 'lamb',
  inputs: ['Param', 'Grad', 'LearningRate', 'Moment1', 'Moment2', 'Beta1Pow', 'Beta2Pow'],
  outputs: ['ParamOut', 'Moment1Out', 'Moment2Out', 'Beta1PowOut?', 'Beta2PowOut?'],
  attrs: { weight_decay: float(), beta1: float(0.9), beta2: float(0.999), epsilon: float(1e-6) },
  infer(ins) {
    const op = 'lamb';
    for (const s of ['Grad', 'LearningRate', 'Moment1', 'Moment2', 'Beta1Pow', 'Beta2Pow']) one(ins, s, op);
    const p = checkUpdate(ins, op, ['Grad', 'Moment1', 'Moment2'], ['LearningRate', 'Beta1Pow', 'Beta2Pow']);
    return {
      ParamOut: [like(p)], Moment1Out: [like(p)], Moment2Out: [like(p)],
      Beta1PowOut: [like(ins.Beta1Pow[0])], Beta2PowOut: [like(ins.Beta2Pow[0])],
    };
  },
});

// clip_by_norm: Out = X * max_norm / ||X||_2 when the norm exceeds max_norm, else X. No
// gradient (Paddle registers it without one). Defined here unless another family already did.
if (!hasOp('clip_by_norm')) {
  defineOp({
    type: 'clip_by_norm',
    inputs: ['X'],
    outputs: ['Out'],
    attrs: { max_norm: float() },
    infer(ins, attrs) {
      const op = 'clip_by_norm';
      const x = one(ins, 'X', op);
      requireFloat(x, op);
      if (!(attrs.max_norm > 0)) opFail(op, `max_norm should be greater than 0, but received ${attrs.max_norm}`);
      return { Out: [like(x)] };
    },
  });
}
