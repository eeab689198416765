// Portable kernels of the loss operators, maxout and prelu (see src/ops/loss.ts). Formulas
// follow Paddle's CPU kernels; sums accumulate in doubles. Where Paddle's form overflows
// (log(1 + e^-|x|) for large |x|) the same value is computed stably.
import { apiName } from '../../core/args.js';
import { fail, InvalidArgumentError } from '../../core/errors.js';
import { registerKernel, type Kernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { nums, outNumbers, tensorOf } from './loops.js';

const F32_64 = ['float32', 'float64'] as const;
const FLOATS = ['float16', 'float32', 'float64'] as const;

/** log(1 + e^v) without overflow. */
function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

function reg(type: string, k: Kernel, dtypes: readonly string[] = F32_64): void {
  registerKernel(type, 'js', k, dtypes as never);
}

// bce_loss: (label - 1) max(log(1 - x), -100) - label max(log(x), -100); x must lie in [0, 1].
reg('bce_loss', (ins, _a, outs) => {
  const x = nums(ins.X[0]);
  const l = nums(ins.Label[0]);
  const m = outs.Out[0];
  const out = outNumbers(m.dtype, m.dims);
  for (let i = 0; i < out.length; i++) {
    const v = x[i];
    if (!(v >= 0 && v <= 1))
      fail(apiName('bce_loss'), `input must be probabilities in [0, 1], but element ${i} of X is ${v} (operator bce_loss)`, InvalidArgumentError);
    const lg = Math.max(Math.log(v), -100);
    const lg1 = Math.max(Math.log(1 - v), -100);
    out[i] = (l[i] - 1) * lg1 - l[i] * lg;
  }
  return { Out: [tensorOf(out, m.dims.slice(), m.dtype)] };
});

// sigmoid_cross_entropy_with_logits: max(x, 0) - x label + log(1 + e^-|x|)
reg(
  'sigmoid_cross_entropy_with_logits',
  (ins, attrs, outs) => {
    const x = nums(ins.X[0]);
    const l = nums(ins.Label[0]);
    const ignore = attrs.ignore_index as number;
    const m = outs.Out[0];
    const out = outNumbers(m.dtype, m.dims);
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const lb = l[i];
      out[i] = Math.trunc(lb) === ignore ? 0 : (v > 0 ? v : 0) - v * lb + Math.log1p(Math.exp(-Math.abs(v)));
    }
    if (attrs.normalize) {
      let norm = 0;
      for (let i = 0; i < n; i++) {
        const diff = l[i] - ignore;
        if (diff < -1e-6 || diff > 1e-6) norm++;
      }
      const div = norm > 1e-5 ? norm : 1e-5;
      for (let i = 0; i < n; i++) out[i] /= div;
    }
    return { Out: [tensorOf(out, m.dims.slice(), m.dtype)] };
  },
  FLOATS,
);

// nll_loss over [N, C] or [N, C, H, W] (map = H*W, 1 for rank 2).
function badNllLabel(label: number, classes: number, ignore: number): never {
  return fail(
    apiName('nll_loss'),
    `label ${label} is out of bounds: labels must be in [0, ${classes - 1}] or equal ignore_index=${ignore} (operator nll_loss)`,
    InvalidArgumentError,
  );
}

/** What nll_loss and its grad read alike: labels, class weights, attributes, and X's [n, classes, map]. */
function nllArgs(ins: Parameters<Kernel>[0], attrs: Parameters<Kernel>[1]) {
  const xt = ins.X[0];
  const wt = ins.Weight?.[0];
  const [n, classes] = xt.dims;
  return {
    lb: nums(ins.Label[0]),
    w: wt ? nums(wt) : null,
    ignore: attrs.ignore_index as number,
    reduction: attrs.reduction as string,
    n,
    classes,
    map: xt.dims.length === 4 ? xt.dims[2] * xt.dims[3] : 1,
  };
}

reg('nll_loss', (ins, attrs, outs) => {
  const x = nums(ins.X[0]);
  const { lb, w, ignore, reduction, n, classes, map } = nllArgs(ins, attrs);
  const om = outs.Out[0];
  const tm = outs.Total_weight[0];
  const out = outNumbers(om.dtype, om.dims);
  const tw = outNumbers(tm.dtype, tm.dims);
  let sum = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < map; k++) {
      const idx = i * map + k;
      const c = lb[idx];
      if (c === ignore) continue;
      if (!(c >= 0 && c < classes)) badNllLabel(c, classes, ignore);
      const cw = w ? w[c] : 1;
      const v = -x[(i * classes + c) * map + k] * cw;
      if (reduction === 'none') out[idx] = v;
      else {
        sum += v;
        total += cw;
      }
    }
  }
  if (reduction !== 'none') out[0] = reduction === 'mean' && total !== 0 ? sum / total : sum;
  tw[0] = total;
  return { Out: [tensorOf(out, om.dims.slice(), om.dtype)], Total_weight: [tensorOf(tw, [1], tm.dtype)] };
});

reg('nll_loss_grad', (ins, attrs, outs) => {
  const { lb, w, ignore, reduction, n, classes, map } = nllArgs(ins, attrs);
  const g = nums(ins['Out@GRAD'][0]);
  const total = nums(ins.Total_weight[0])[0];
  const m = outs['X@GRAD'][0];
  const dx = outNumbers(m.dtype, m.dims);
  const scale = reduction === 'mean' ? 1 / total : 1;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < map; k++) {
      const idx = i * map + k;
      const c = lb[idx];
      if (c === ignore) continue;
      if (!(c >= 0 && c < classes)) badNllLabel(c, classes, ignore);
      const cw = w ? w[c] : 1;
      dx[(i * classes + c) * map + k] = reduction === 'none' ? -g[idx] * cw : -g[0] * cw * scale;
    }
  }
  return { 'X@GRAD': [tensorOf(dx, m.dims.slice(), m.dtype)] };
});

// huber_loss: Residual = y - x; Out = 0.5 r^2 (|r| <= delta) or delta (|r| - 0.5 delta)
reg('huber_loss', (ins, attrs, outs) => {
  const x = nums(ins.X[0]);
  const y = nums(ins.Y[0]);
  const delta = attrs.delta as number;
  const rm = outs.Residual[0];
  const om = outs.Out[0];
  const res = outNumbers(rm.dtype, rm.dims);
  const out = outNumbers(om.dtype, om.dims);
  for (let i = 0; i < out.length; i++) {
    const r = y[i] - x[i];
    res[i] = r;
    const a = Math.abs(r);
    out[i] = a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
  }
  return { Residual: [tensorOf(res, rm.dims.slice(), rm.dtype)], Out: [tensorOf(out, om.dims.slice(), om.dtype)] };
});

// smooth_l1_loss: per-sample sums of the smooth L1 of (x - y) * inside, times outside.
reg('smooth_l1_loss', (ins, attrs, outs) => {
  const xt = ins.X[0];
  const x = nums(xt);
  const y = nums(ins.Y[0]);
  const iw = ins.InsideWeight?.[0];
  const ow = ins.OutsideWeight?.[0];
  const inside = iw && ow ? nums(iw) : null;
  const outside = iw && ow ? nums(ow) : null;
  const s2 = (attrs.sigma as number) ** 2;
  const dm = outs.Diff[0];
  const om = outs.Out[0];
  const diff = outNumbers(dm.dtype, dm.dims);
  const out = outNumbers(om.dtype, om.dims);
  const n = xt.dims[0];
  const cols = n > 0 ? numel(xt.dims) / n : 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * cols, e = j + cols; j < e; j++) {
      let v = x[j] - y[j];
      if (inside) v *= inside[j];
      diff[j] = v;
      const a = Math.abs(v);
      let err = a < 1 / s2 ? 0.5 * v * v * s2 : a - 0.5 / s2;
      if (outside) err *= outside[j];
      s += err;
    }
    out[i] = s;
  }
  return { Diff: [tensorOf(diff, dm.dims.slice(), dm.dtype)], Out: [tensorOf(out, om.dims.slice(), om.dtype)] };
});

// kldiv_loss: target (log(target) - x) where target > 0, else 0
reg('kldiv_loss', (ins, attrs, outs) => {
  const xt = ins.X[0];
  const x = nums(xt);
  const t = nums(ins.Target[0]);
  const reduction = attrs.reduction as string;
  const m = outs.Loss[0];
  const out = outNumbers(m.dtype, m.dims);
  const len = x.length;
  if (reduction === 'none') {
    for (let i = 0; i < len; i++) {
      const v = t[i];
      out[i] = v > 0 ? v * (Math.log(v) - x[i]) : 0;
    }
  } else {
    let s = 0;
    for (let i = 0; i < len; i++) {
      const v = t[i];
      if (v > 0) s += v * (Math.log(v) - x[i]);
    }
    const n = xt.dims[0];
    if (reduction === 'mean') s /= len;
    else if (reduction === 'batchmean' && n > 0) s /= n;
    out[0] = s;
  }
  return { Loss: [tensorOf(out, m.dims.slice(), m.dtype)] };
});

// log_loss: -label log(p + eps) - (1 - label) log(1 - p + eps)
reg('log_loss', (ins, attrs, outs) => {
  const p = nums(ins.Predicted[0]);
  const l = nums(ins.Labels[0]);
  const eps = attrs.epsilon as number;
  const m = outs.Loss[0];
  const out = outNumbers(m.dtype, m.dims);
  for (let i = 0; i < out.length; i++) out[i] = -l[i] * Math.log(p[i] + eps) - (1 - l[i]) * Math.log(1 - p[i] + eps);
  return { Loss: [tensorOf(out, m.dims.slice(), m.dtype)] };
});

// margin_rank_loss: Out = relu(-label (x1 - x2) + margin), Activated = Out > 0
reg('margin_rank_loss', (ins, attrs, outs) => {
  const x1 = nums(ins.X1[0]);
  const x2 = nums(ins.X2[0]);
  const l = nums(ins.Label[0]);
  const margin = attrs.margin as number;
  const om = outs.Out[0];
  const am = outs.Activated[0];
  const out = outNumbers(om.dtype, om.dims);
  const act = outNumbers(am.dtype, am.dims);
  for (let i = 0; i < out.length; i++) {
    const v = -l[i] * (x1[i] - x2[i]) + margin;
    out[i] = v > 0 ? v : 0;
    act[i] = v > 0 ? 1 : 0;
  }
  return { Activated: [tensorOf(act, am.dims.slice(), am.dtype)], Out: [tensorOf(out, om.dims.slice(), om.dtype)] };
});

// sigmoid_focal_loss (+ grad): Paddle's formulas; label g marks class g - 1 positive, -1 ignores.
const FLT_MIN = 1.1754943508222875e-38;

function focal(ins: Parameters<Kernel>[0], attrs: Parameters<Kernel>[1], grad: boolean): Float64Array | Float32Array {
  const xt = ins.X[0];
  const x = nums(xt);
  const lb = nums(ins.Label[0]);
  const fgRaw = nums(ins.FgNum[0])[0];
  const g = grad ? nums(ins['Out@GRAD'][0]) : null;
  const gamma = attrs.gamma as number;
  const alpha = attrs.alpha as number;
  const classes = xt.dims[1];
  const fg = fgRaw > 1 ? fgRaw : 1;
  const sNeg = (1 - alpha) / fg;
  const sPos = alpha / fg;
  const out = outNumbers(xt.dtype, xt.dims) as Float64Array | Float32Array;
  for (let idx = 0; idx < out.length; idx++) {
    const v = x[idx];
    const a = Math.floor(idx / classes);
    const d = idx % classes;
    const target = lb[a];
    const cPos = target === d + 1 ? 1 : 0;
    const cNeg = target !== -1 && target !== d + 1 ? 1 : 0;
    const p = 1 / (1 + Math.exp(-v));
    const logP = Math.log(p > FLT_MIN ? p : FLT_MIN);
    const log1mP = -softplus(v); // log(1 - p)
    let r: number;
    if (!grad) {
      const termPos = Math.pow(1 - p, gamma) * logP;
      const termNeg = Math.pow(p, gamma) * log1mP;
      r = -cPos * termPos * sPos - cNeg * termNeg * sNeg;
    } else {
      const termPos = Math.pow(1 - p, gamma) * (1 - p - p * gamma * logP);
      const termNeg = Math.pow(p, gamma) * (log1mP * (1 - p) * gamma - p);
      r = (-cPos * sPos * termPos - cNeg * sNeg * termNeg) * g![idx];
    }
    out[idx] = r;
  }
  return out;
}
reg('sigmoid_focal_loss', (ins, attrs, outs) => {
  const m = outs.Out[0];
  return { Out: [tensorOf(focal(ins, attrs, false), m.dims.slice(), m.dtype)] };
});
reg('sigmoid_focal_loss_grad', (ins, attrs, outs) => {
  const m = outs['X@GRAD'][0];
  return { 'X@GRAD': [tensorOf(focal(ins, attrs, true), m.dims.slice(), m.dtype)] };
});

// maxout: for axis 1 an input element is [n][c*groups + k][f], for axis 3 [n][f][c*groups + k].
function maxoutGeometry(dims: readonly number[], axis: number, groups: number): { n: number; fea: number; oc: number } {
  const ax = axis < 0 ? axis + 4 : axis;
  const fea = ax === 1 ? dims[2] * dims[3] : dims[1] * dims[2];
  return { n: dims[0], fea, oc: dims[ax] / groups };
}

reg('maxout', (ins, attrs, outs) => {
  const xt = ins.X[0];
  const x = nums(xt);
  const groups = attrs.groups as number;
  const first = (attrs.axis as number) === 1;
  const { n, fea, oc } = maxoutGeometry(xt.dims, attrs.axis as number, groups);
  const m = outs.Out[0];
  const out = outNumbers(m.dtype, m.dims);
  for (let i = 0; i < n; i++) {
    const ob = i * oc * fea;
    for (let c = 0; c < oc; c++) {
      for (let f = 0; f < fea; f++) {
        let best = -Infinity;
        if (first) {
          const base = (ob + c * fea) * groups + f;
          for (let k = 0; k < groups; k++) {
            const v = x[base + k * fea];
            if (!(best > v)) best = v;
          }
          out[ob + c * fea + f] = best;
        } else {
          const base = (ob + f * oc + c) * groups;
          for (let k = 0; k < groups; k++) {
            const v = x[base + k];
            if (!(best > v)) best = v;
          }
          out[ob + f * oc + c] = best;
        }
      }
    }
  }
  return { Out: [tensorOf(out, m.dims.slice(), m.dtype)] };
});

reg('maxout_grad', (ins, attrs, outs) => {
  const xt = ins.X[0];
  const x = nums(xt);
  const o = nums(ins.Out[0]);
  const g = nums(ins['Out@GRAD'][0]);
  const groups = attrs.groups as number;
  const first = (attrs.axis as number) === 1;
  const { n, fea, oc } = maxoutGeometry(xt.dims, attrs.axis as number, groups);
  const m = outs['X@GRAD'][0];
  const dx = outNumbers(m.dtype, m.dims);
  for (let i = 0; i < n; i++) {
    const ob = i * oc * fea;
    for (let c = 0; c < oc; c++) {
      for (let f = 0; f < fea; f++) {
        const oi = first ? ob + c * fea + f : ob + f * oc + c;
        const base = first ? (ob + c * fea) * groups + f : (ob + f * oc + c) * groups;
        const step = first ? fea : 1;
        for (let k = 0; k < groups; k++) {
          const xi = base + k * step;
          if (x[xi] === o[oi]) {
            dx[xi] += g[oi];
            break;
          }
        }
      }
    }
  }
  return { 'X@GRAD': [tensorOf(dx, m.dims.slice(), m.dtype)] };
});

// prelu: x > 0 ? x : alpha[index] x, index by mode
reg(
  'prelu',
  (ins, attrs, outs) => {
    const xt = ins.X[0];
    const x = nums(xt);
    const a = nums(ins.Alpha[0]);
    const mode = attrs.mode as string;
    const m = outs.Out[0];
    const out = outNumbers(m.dtype, m.dims);
    const len = out.length;
    if (mode === 'channel') {
      const inner = len / (xt.dims[0] * xt.dims[1]) || 1;
      const ch = xt.dims[1];
      for (let i = 0; i < len; i++) {
        const v = x[i];
        out[i] = v > 0 ? v : a[Math.floor(i / inner) % ch] * v;
      }
    } else if (mode === 'element') {
      const per = len / xt.dims[0] || 1;
      for (let i = 0; i < len; i++) {
        const v = x[i];
        out[i] = v > 0 ? v : a[i % per] * v;
      }
    } else {
      const s = a[0];
      for (let i = 0; i < len; i++) {
        const v = x[i];
        out[i] = v > 0 ? v : s * v;
      }
    }
    return { Out: [tensorOf(out, m.dims.slice(), m.dtype)] };
  },
  FLOATS,
);
