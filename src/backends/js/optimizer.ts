// Portable kernels of the parameter-update operators: one fused loop per parameter, writing
// in place into the parameter and its accumulators (the outputs are the input tensors, as
// Paddle's ParamOut shares memory with Param). float32 and float64; each write bumps the
// tensor's version so autograd notices a parameter changed after it was used.
import { kernelBackends, registerKernel, Slots } from '../../core/registry.js';
import { densify, isSelectedRows, mergeRows, type SelectedRows } from '../../core/selected_rows.js';
import { Tensor } from '../../core/tensor.js';
import { opFail } from '../../ops/util.js';
import { nums, outNumbers, tensorOf } from './loops.js';

type F = Float32Array | Float64Array;
const FLOATS = ['float32', 'float64'] as const;

/** The float storage of an in-place operand (Param, accumulators). */
const buf = (t: Tensor): F => t.data as F;
/** The first value of a one-element tensor (LearningRate, beta powers). */
const scalar = (t: Tensor | undefined, dflt: number): number => (t ? Number(nums(t)[0]) : dflt);
function touched(...ts: (Tensor | undefined)[]): void {
  for (const t of ts) if (t) t.ver.v++;
}
function needFloat(...ts: Tensor[]): boolean {
  for (const t of ts) if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) return false;
  return true;
}
/** Grad as numbers of Param's size (a SelectedRows gradient scattered into zeros). */
const gradOf = (ins: Slots<Tensor>): ArrayLike<number> => nums(densify(ins.Grad[0]));

/** Copies the updated parameter into MasterParam when there is one (MasterParamOut), then returns out. */
function withMaster(ins: Slots<Tensor>, w: F, out: Slots<Tensor>): Slots<Tensor> {
  const mp = ins.MasterParam?.[0];
  if (mp) {
    (mp.data as F).set(w);
    touched(mp);
    out.MasterParamOut = [mp];
  }
  return out;
}

/**
 * The in-place operands of adam and lamb (Param, the moments, the beta powers), the storage of
 * Param (w) and the moments (a, b), and the beta powers as they were before this step.
 */
type AdamState = { p: Tensor; m1: Tensor; m2: Tensor; b1p: Tensor; b2p: Tensor; w: F; a: F; b: F; pow1: number; pow2: number };
/** adam/lamb's AdamState, or undefined unless all the operands are float. */
function adamState(ins: Slots<Tensor>): AdamState | undefined {
  const p = ins.Param[0];
  const m1 = ins.Moment1[0];
  const m2 = ins.Moment2[0];
  const b1p = ins.Beta1Pow[0];
  const b2p = ins.Beta2Pow[0];
  if (!needFloat(p, m1, m2, b1p, b2p)) return undefined;
  return { p, m1, m2, b1p, b2p, w: buf(p), a: buf(m1), b: buf(m2), pow1: buf(b1p)[0], pow2: buf(b2p)[0] };
}
/** Ends an adam/lamb step: advances the beta powers (pow * beta), marks the operands changed, returns them. */
function adamDone(s: AdamState, beta1: number, beta2: number): Slots<Tensor> {
  const { p, m1, m2, b1p, b2p } = s;
  buf(b1p)[0] = s.pow1 * beta1;
  buf(b2p)[0] = s.pow2 * beta2;
  touched(p, m1, m2, b1p, b2p);
  return { ParamOut: [p], Moment1Out: [m1], Moment2Out: [m2], Beta1PowOut: [b1p], Beta2PowOut: [b2p] };
}

/** Calls f(paramOffset, valueOffset) for each row of a SelectedRows gradient, checking the rows. */
function eachRow(op: string, g: SelectedRows, height: number, f: (po: number, vo: number) => void): void {
  const w = g.rowSize;
  for (let i = 0; i < g.rows.length; i++) {
    const r = g.rows[i];
    if (!(r >= 0 && r < height)) opFail(op, `a row of the SelectedRows gradient is out of range: expected rows in [0, ${height}), but got ${r}`);
    f(r * w, i * w);
  }
}

registerKernel('sgd', 'js', (ins) => {
  const p = ins.Param[0];
  if (!needFloat(p)) return undefined;
  const w = buf(p);
  const lr = scalar(ins.LearningRate[0], 0);
  const sg = ins.Grad[0];
  if (isSelectedRows(sg)) {
    // sparse: only the listed rows move (duplicates apply one after another, i.e. add up)
    const v = nums(sg);
    const n = sg.rowSize;
    eachRow('sgd', sg, p.dims[0], (po, vo) => {
      for (let j = 0; j < n; j++) w[po + j] -= lr * v[vo + j];
    });
  } else {
    const g = gradOf(ins);
    for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
  }
  touched(p);
  return { ParamOut: [p] };
}, FLOATS);

registerKernel('momentum', 'js', (ins, attrs) => {
  const p = ins.Param[0];
  const vel = ins.Velocity[0];
  if (!needFloat(p, vel)) return undefined;
  const w = buf(p);
  const v = buf(vel);
  const g = gradOf(ins);
  const lr = scalar(ins.LearningRate[0], 0);
  const mu: number = attrs.mu;
  const rescale: number = attrs.rescale_grad ?? 1;
  const l2 = attrs.regularization_method === 'l2_decay' ? (attrs.regularization_coeff as number) : 0;
  const nesterov = !!attrs.use_nesterov;
  for (let i = 0; i < w.length; i++) {
    // Paddle 2.0's CPU kernel skipped rescale_grad (its GPU kernel applies it); applied here.
    const gi = g[i] * rescale + l2 * w[i];
    const vi = mu * v[i] + gi;
    v[i] = vi;
    w[i] -= nesterov ? (gi + mu * vi) * lr : lr * vi;
  }
  touched(p, vel);
  return withMaster(ins, w, { ParamOut: [p], VelocityOut: [vel] });
}, FLOATS);

registerKernel('adam', 'js', (ins, attrs) => {
  const st = adamState(ins);
  if (!st) return undefined;
  const { p, w, a, b, pow1, pow2 } = st;
  const sg = ins.Grad[0];
  const merged = isSelectedRows(sg) && attrs.lazy_mode ? mergeRows(sg) : null;
  const g = merged ? nums(merged) : gradOf(ins);
  const beta1 = scalar(ins.Beta1Tensor?.[0], attrs.beta1);
  const beta2 = scalar(ins.Beta2Tensor?.[0], attrs.beta2);
  const eps: number = attrs.epsilon;
  const lr = (scalar(ins.LearningRate[0], 0) * Math.sqrt(1 - pow2)) / (1 - pow1);
  const epsHat = eps * Math.sqrt(1 - pow2);
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  // elements [po, po + n) of the moments and Param, with gradients g[vo..]: all of them once
  // for a dense gradient, each merged row of a sparse one in lazy_mode (other rows stay)
  const update = (po: number, vo: number, n: number): void => {
    for (let j = 0; j < n; j++) {
      const i = po + j;
      const gi = g[vo + j];
      const mi = beta1 * a[i] + c1 * gi;
      const vi = beta2 * b[i] + c2 * gi * gi;
      a[i] = mi;
      b[i] = vi;
      w[i] -= lr * (mi / (Math.sqrt(vi) + epsHat));
    }
  };
  if (merged) eachRow('adam', merged, p.dims[0], (po, vo) => update(po, vo, merged.rowSize));
  else update(0, 0, w.length);
  return withMaster(ins, w, adamDone(st, beta1, beta2));
}, FLOATS);

registerKernel('adamax', 'js', (ins, attrs) => {
  const p = ins.Param[0];
  const mom = ins.Moment[0];
  const inf = ins.InfNorm[0];
  if (!needFloat(p, mom, inf)) return undefined;
  const w = buf(p);
  const m = buf(mom);
  const u = buf(inf);
  const g = gradOf(ins);
  const beta1: number = attrs.beta1;
  const beta2: number = attrs.beta2;
  const eps: number = attrs.epsilon;
  const lr = scalar(ins.LearningRate[0], 0) / (1 - scalar(ins.Beta1Pow[0], 0));
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const ui = Math.max(Math.abs(gi), beta2 * u[i] + eps);
    m[i] = mi;
    u[i] = ui;
    w[i] -= lr * (mi / ui);
  }
  touched(p, mom, inf);
  return { ParamOut: [p], MomentOut: [mom], InfNormOut: [inf] };
}, FLOATS);

registerKernel('adagrad', 'js', (ins, attrs) => {
  const p = ins.Param[0];
  const mom = ins.Moment[0];
  if (!needFloat(p, mom)) return undefined;
  const w = buf(p);
  const m = buf(mom);
  const g = gradOf(ins);
  const eps: number = attrs.epsilon;
  const lr = scalar(ins.LearningRate[0], 0);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = m[i] + gi * gi;
    m[i] = mi;
    w[i] -= (lr * gi) / (Math.sqrt(mi) + eps);
  }
  touched(p, mom);
  return { ParamOut: [p], MomentOut: [mom] };
}, FLOATS);

registerKernel('adadelta', 'js', (ins, attrs) => {
  const p = ins.Param[0];
  const sg = ins.AvgSquaredGrad[0];
  const su = ins.AvgSquaredUpdate[0];
  if (!needFloat(p, sg, su)) return undefined;
  const w = buf(p);
  const eg = buf(sg);
  const ex = buf(su);
  const g = gradOf(ins);
  const rho: number = attrs.rho;
  const eps: number = attrs.epsilon;
  const lr = scalar(ins.LearningRate?.[0], 1);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const egi = rho * eg[i] + (1 - rho) * gi * gi;
    const upd = -Math.sqrt((ex[i] + eps) / (egi + eps)) * gi;
    eg[i] = egi;
    ex[i] = rho * ex[i] + (1 - rho) * upd * upd;
    w[i] += lr * upd;
  }
  touched(p, sg, su);
  return { ParamOut: [p], AvgSquaredGradOut: [sg], AvgSquaredUpdateOut: [su] };
}, FLOATS);

registerKernel('rmsprop', 'js', (ins, attrs) => {
  const p = ins.Param[0];
  const msT = ins.MeanSquare[0];
  const momT = ins.Moment[0];
  const mgT = ins.MeanGrad?.[0];
  if (!needFloat(p, msT, momT) || (mgT && !needFloat(mgT))) return undefined;
  const w = buf(p);
  const ms = buf(msT);
  const mom = buf(momT);
  const g = gradOf(ins);
  const rho: number = attrs.decay;
  const eps: number = attrs.epsilon;
  const mu: number = attrs.momentum;
  const lr = scalar(ins.LearningRate[0], 0);
  if (attrs.centered) {
    const mg = buf(mgT!);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      const msi = rho * ms[i] + (1 - rho) * gi * gi;
      const mgi = rho * mg[i] + (1 - rho) * gi;
      const mi = mu * mom[i] + (lr * gi) / Math.sqrt(msi - mgi * mgi + eps);
      ms[i] = msi;
      mg[i] = mgi;
      mom[i] = mi;
      w[i] -= mi;
    }
  } else {
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      const msi = rho * ms[i] + (1 - rho) * gi * gi;
      const mi = mu * mom[i] + (lr * gi) / Math.sqrt(msi + eps);
      ms[i] = msi;
      mom[i] = mi;
      w[i] -= mi;
    }
  }
  touched(p, msT, momT, attrs.centered ? mgT : undefined);
  const out: Slots<Tensor> = { ParamOut: [p], MomentOut: [momT], MeanSquareOut: [msT] };
  if (mgT) out.MeanGradOut = [mgT];
  return out;
}, FLOATS);

registerKernel('lamb', 'js', (ins, attrs) => {
  const st = adamState(ins);
  if (!st) return undefined;
  // Both bias corrections use the powers from before this call (Paddle 2.0's CPU kernel
  // re-read the power after overwriting it in place from the second element on).
  const { w, a, b, pow1, pow2 } = st;
  const g = gradOf(ins);
  const beta1: number = attrs.beta1;
  const beta2: number = attrs.beta2;
  const eps: number = attrs.epsilon;
  const wd: number = attrs.weight_decay;
  const n = w.length;
  const r = new Float64Array(n);
  let pNorm = 0;
  let rNorm = 0;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = beta1 * a[i] + (1 - beta1) * gi;
    const vi = beta2 * b[i] + (1 - beta2) * gi * gi;
    a[i] = mi;
    b[i] = vi;
    const ri = mi / (1 - pow1) / (Math.sqrt(vi / (1 - pow2)) + eps) + wd * w[i];
    r[i] = ri;
    pNorm += w[i] * w[i];
    rNorm += ri * ri;
  }
  pNorm = Math.sqrt(pNorm);
  rNorm = Math.sqrt(rNorm);
  const lr = scalar(ins.LearningRate[0], 0) * (pNorm > 0 && rNorm > 0 ? pNorm / rNorm : 1);
  for (let i = 0; i < n; i++) w[i] -= lr * r[i];
  return adamDone(st, beta1, beta2);
}, FLOATS);

// clip_by_norm may be another family's op too; keep its kernel if it has one.
if (!kernelBackends('clip_by_norm').includes('js')) registerKernel('clip_by_norm', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  const a = nums(x);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  const norm = Math.sqrt(s);
  const maxNorm: number = attrs.max_norm;
  const scale = norm <= maxNorm ? 1 : maxNorm / norm;
  const res = outNumbers(o.dtype, o.dims);
  for (let i = 0; i < a.length; i++) res[i] = a[i] * scale;
  return { Out: [tensorOf(res, o.dims.slice(), o.dtype)] };
});
