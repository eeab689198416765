// Portable kernels of softmax_with_cross_entropy (+ _grad) and cross_entropy2 (+ grad2).
// The loss is computed in log space (logsumexp - logit[label]), so it stays finite for very
// confident wrong predictions.
import { apiName } from '../../core/args.js';
import { fail, OutOfRangeError } from '../../core/errors.js';
import { registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { softmaxAxis } from '../../ops/softmax.js';
import { nums, outNumbers, tensorOf } from './loops.js';
import { aroundAxis } from './softmax.js';

const FLOATS = ['float16', 'float32', 'float64'] as const;

function badLabel(op: string, lbl: number, classes: number, ignore: number): never {
  return fail(
    apiName(op),
    `label value ${lbl} is out of range: labels must be in [0, ${classes - 1}] (the size of the class axis) or equal ignore_index=${ignore} (operator ${op})`,
    OutOfRangeError,
  );
}

let row = new Float64Array(256);

registerKernel('softmax_with_cross_entropy', 'js', (ins, attrs, outs) => {
  const op = 'softmax_with_cross_entropy';
  const logits = ins.Logits[0];
  const label = ins.Label[0];
  const axis = softmaxAxis(logits, attrs.axis, op);
  const [outer, n, inner] = aroundAxis(logits.dims, axis);
  const smMeta = outs.Softmax[0];
  const lossMeta = outs.Loss[0];
  const x = nums(logits);
  const lb = nums(label);
  const sm = outNumbers(smMeta.dtype, smMeta.dims);
  const loss = outNumbers(lossMeta.dtype, lossMeta.dims);
  const soft = !!attrs.soft_label;
  const ignore = attrs.ignore_index as number;
  if (row.length < n) row = new Float64Array(n);
  const e = row;
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = o * n * inner + q;
      let p = base;
      let max = -Infinity;
      for (let i = 0; i < n; i++, p += inner) if (x[p] > max) max = x[p];
      if (max === -Infinity) max = 0;
      let sum = 0;
      p = base;
      for (let i = 0; i < n; i++, p += inner) {
        const t = Math.exp(x[p] - max);
        e[i] = t;
        sum += t;
      }
      const inv = 1 / sum;
      const lse = max + Math.log(sum);
      p = base;
      for (let i = 0; i < n; i++, p += inner) sm[p] = e[i] * inv;
      const li = o * inner + q;
      if (soft) {
        let s = 0;
        p = base;
        for (let i = 0; i < n; i++, p += inner) {
          const w = lb[p];
          if (w !== 0) s -= w * (x[p] - lse);
        }
        loss[li] = s;
      } else {
        const l = lb[li];
        if (l === ignore) loss[li] = 0;
        else {
          if (!(l >= 0 && l < n)) badLabel(op, l, n, ignore);
          loss[li] = lse - x[base + l * inner];
        }
      }
    }
  }
  return {
    Softmax: [tensorOf(sm, smMeta.dims.slice(), smMeta.dtype)],
    Loss: [tensorOf(loss, lossMeta.dims.slice(), lossMeta.dtype)],
  };
}, FLOATS);

registerKernel('softmax_with_cross_entropy_grad', 'js', (ins, attrs, outs) => {
  const op = 'softmax_with_cross_entropy_grad';
  const softmax = ins.Softmax[0];
  const label = ins.Label[0];
  const axis = softmaxAxis(softmax, attrs.axis, op, 'Softmax');
  const [outer, n, inner] = aroundAxis(softmax.dims, axis);
  const gm = outs['Logits@GRAD'][0];
  const sm = nums(softmax);
  const lb = nums(label);
  const dl = nums(ins['Loss@GRAD'][0]);
  const g = outNumbers(gm.dtype, gm.dims);
  const soft = !!attrs.soft_label;
  const ignore = attrs.ignore_index as number;
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = o * n * inner + q;
      const li = o * inner + q;
      const d = dl[li];
      let p = base;
      if (soft) {
        // d/dlogits of -sum(label * log_softmax) = softmax * sum(label) - label
        let total = 0;
        for (let i = 0; i < n; i++, p += inner) total += lb[p];
        p = base;
        for (let i = 0; i < n; i++, p += inner) g[p] = d * (sm[p] * total - lb[p]);
      } else {
        const l = lb[li];
        if (l === ignore) continue; // stays 0
        if (!(l >= 0 && l < n)) badLabel(op, l, n, ignore);
        for (let i = 0; i < n; i++, p += inner) g[p] = d * sm[p];
        g[base + l * inner] -= d;
      }
    }
  }
  return { 'Logits@GRAD': [tensorOf(g, gm.dims.slice(), gm.dtype)] };
});

registerKernel('cross_entropy2', 'js', (ins, attrs, outs) => {
  const op = 'cross_entropy2';
  const xt = ins.X[0];
  const x = nums(xt);
  const lb = nums(ins.Label[0]);
  const F = xt.dims[xt.dims.length - 1];
  const rows = F === 0 ? 0 : numel(xt.dims) / F;
  const ym = outs.Y[0];
  const mm = outs.MatchX[0];
  const y = outNumbers(ym.dtype, ym.dims);
  const match = outNumbers(mm.dtype, mm.dims);
  const ignore = attrs.ignore_index as number;
  for (let r = 0; r < rows; r++) {
    const l = lb[r];
    if (l === ignore) continue;
    if (!(l >= 0 && l < F)) badLabel(op, l, F, ignore);
    const v = x[r * F + l];
    match[r] = v;
    // Paddle's TolerableValue: -log(0) = inf is clipped to a large finite number
    const nl = -Math.log(v);
    y[r] = nl === Infinity ? 1e20 : nl;
  }
  return {
    Y: [tensorOf(y, ym.dims.slice(), ym.dtype)],
    XShape: [tensorOf(outNumbers(xt.dtype, [0]), outs.XShape[0].dims.slice(), xt.dtype)],
    MatchX: [tensorOf(match, mm.dims.slice(), mm.dtype)],
  };
}, FLOATS);

registerKernel('cross_entropy_grad2', 'js', (ins, attrs, outs) => {
  const op = 'cross_entropy_grad2';
  const gm = outs['X@GRAD'][0];
  const lb = nums(ins.Label[0]);
  const match = nums(ins.MatchX[0]);
  const dy = nums(ins['Y@GRAD'][0]);
  const F = gm.dims[gm.dims.length - 1];
  const rows = F === 0 ? 0 : numel(gm.dims) / F;
  const g = outNumbers(gm.dtype, gm.dims);
  const ignore = attrs.ignore_index as number;
  for (let r = 0; r < rows; r++) {
    const l = lb[r];
    if (l === ignore) continue;
    if (!(l >= 0 && l < F)) badLabel(op, l, F, ignore);
    g[r * F + l] = -dy[r] / match[r];
  }
  return { 'X@GRAD': [tensorOf(g, gm.dims.slice(), gm.dtype)] };
});
