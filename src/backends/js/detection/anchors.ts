// Kernels of prior_box, density_prior_box and anchor_generator (see src/ops/detection/anchors.ts),
// following Paddle's CPU kernels (boxes in the order positions x priors, variances repeated).
import { expandAspectRatios } from '../../../ops/detection/anchors.js';
import type { Attrs } from '../../../core/registry.js';
import { make, outNumbers, reg, roundC } from './util.js';

/** Variances repeated for every box: a tensor of `dims` (last dim 4). */
function fillVariances(variances: number[], dims: number[], dtype: 'float32' | 'float64') {
  const v = outNumbers(dtype, dims);
  for (let i = 0; i < v.length; i += 4) for (let j = 0; j < 4; j++) v[i + j] = variances[j];
  return make(v, dims.slice(), dtype);
}

reg(
  'prior_box',
  (ins, a: Attrs, outs) => {
    const x = ins.Input[0];
    const img = ins.Image[0];
    const dtype = outs.Boxes[0].dtype as 'float32' | 'float64';
    const mins = a.min_sizes as number[];
    const maxs = a.max_sizes as number[];
    const ars = expandAspectRatios(a.aspect_ratios as number[], a.flip as boolean);
    const imgW = img.dims[3];
    const imgH = img.dims[2];
    const fw = x.dims[3];
    const fh = x.dims[2];
    let stepW = a.step_w as number;
    let stepH = a.step_h as number;
    if (stepW === 0 || stepH === 0) {
      stepW = imgW / fw;
      stepH = imgH / fh;
    }
    const offset = a.offset as number;
    const np = ars.length * mins.length + maxs.length;
    const dims = [fh, fw, np, 4];
    const b = outNumbers(dtype, dims);
    let p = 0;
    const put = (cx: number, cy: number, bw: number, bh: number): void => {
      b[p++] = (cx - bw) / imgW;
      b[p++] = (cy - bh) / imgH;
      b[p++] = (cx + bw) / imgW;
      b[p++] = (cy + bh) / imgH;
    };
    for (let h = 0; h < fh; h++) {
      for (let w = 0; w < fw; w++) {
        const cx = (w + offset) * stepW;
        const cy = (h + offset) * stepH;
        for (let s = 0; s < mins.length; s++) {
          const ms = mins[s];
          if (a.min_max_aspect_ratios_order) {
            put(cx, cy, ms / 2, ms / 2);
            if (maxs.length) {
              const r = Math.sqrt(ms * maxs[s]) / 2;
              put(cx, cy, r, r);
            }
            for (const ar of ars) {
              if (Math.abs(ar - 1) < 1e-6) continue;
              put(cx, cy, (ms * Math.sqrt(ar)) / 2, ms / Math.sqrt(ar) / 2);
            }
          } else {
            for (const ar of ars) put(cx, cy, (ms * Math.sqrt(ar)) / 2, ms / Math.sqrt(ar) / 2);
            if (maxs.length) {
              const r = Math.sqrt(ms * maxs[s]) / 2;
              put(cx, cy, r, r);
            }
          }
        }
      }
    }
    if (a.clip) for (let i = 0; i < b.length; i++) b[i] = Math.min(Math.max(b[i], 0), 1);
    return { Boxes: [make(b, dims, dtype)], Variances: [fillVariances(a.variances as number[], dims, dtype)] };
  },
);

reg('density_prior_box', (ins, a: Attrs, outs) => {
  const x = ins.Input[0];
  const img = ins.Image[0];
  const dtype = outs.Boxes[0].dtype as 'float32' | 'float64';
  const imgW = img.dims[3];
  const imgH = img.dims[2];
  const fw = x.dims[3];
  const fh = x.dims[2];
  let stepW = a.step_w as number;
  let stepH = a.step_h as number;
  if (stepW === 0 || stepH === 0) {
    stepW = imgW / fw;
    stepH = imgH / fh;
  }
  const offset = a.offset as number;
  const sizes = a.fixed_sizes as number[];
  const ratios = a.fixed_ratios as number[];
  const dens = a.densities as number[];
  let np = 0;
  for (const d of dens) np += ratios.length * d * d;
  const dims = [fh, fw, np, 4];
  const b = outNumbers(dtype, dims);
  const stepAvg = Math.trunc((stepW + stepH) * 0.5);
  const sqrtR = ratios.map((r) => Math.fround(Math.sqrt(r)));
  let p = 0;
  for (let h = 0; h < fh; h++) {
    for (let w = 0; w < fw; w++) {
      const cx = (w + offset) * stepW;
      const cy = (h + offset) * stepH;
      for (let s = 0; s < sizes.length; s++) {
        const density = dens[s];
        const shift = Math.trunc(stepAvg / density);
        for (let r = 0; r < ratios.length; r++) {
          const bw = Math.fround(sizes[s] * sqrtR[r]);
          const bh = Math.fround(sizes[s] / sqrtR[r]);
          const dcx = Math.fround(cx - stepAvg / 2 + shift / 2);
          const dcy = Math.fround(cy - stepAvg / 2 + shift / 2);
          for (let di = 0; di < density; di++) {
            for (let dj = 0; dj < density; dj++) {
              const tx = Math.fround(dcx + dj * shift);
              const ty = Math.fround(dcy + di * shift);
              b[p++] = Math.max((tx - bw / 2) / imgW, 0);
              b[p++] = Math.max((ty - bh / 2) / imgH, 0);
              b[p++] = Math.min((tx + bw / 2) / imgW, 1);
              b[p++] = Math.min((ty + bh / 2) / imgH, 1);
            }
          }
        }
      }
    }
  }
  if (a.clip) for (let i = 0; i < b.length; i++) b[i] = Math.min(Math.max(b[i], 0), 1);
  const outDims = a.flatten_to_2d ? [fh * fw * np, 4] : dims;
  return { Boxes: [make(b, outDims.slice(), dtype)], Variances: [fillVariances(a.variances as number[], outDims, dtype)] };
});

reg('anchor_generator', (ins, a: Attrs, outs) => {
  const x = ins.Input[0];
  const dtype = outs.Anchors[0].dtype as 'float32' | 'float64';
  const sizes = a.anchor_sizes as number[];
  const ratios = a.aspect_ratios as number[];
  const [sw, sh] = a.stride as number[];
  const offset = a.offset as number;
  const fw = x.dims[3];
  const fh = x.dims[2];
  const na = sizes.length * ratios.length;
  const dims = [fh, fw, na, 4];
  const out = outNumbers(dtype, dims);
  let p = 0;
  for (let h = 0; h < fh; h++) {
    for (let w = 0; w < fw; w++) {
      const xc = w * sw + offset * (sw - 1);
      const yc = h * sh + offset * (sh - 1);
      for (const ar of ratios) {
        for (const size of sizes) {
          const area = sw * sh;
          const baseW = roundC(Math.sqrt(area / ar));
          const baseH = roundC(baseW * ar);
          const aw = (size / sw) * baseW;
          const ah = (size / sh) * baseH;
          out[p++] = xc - 0.5 * (aw - 1);
          out[p++] = yc - 0.5 * (ah - 1);
          out[p++] = xc + 0.5 * (aw - 1);
          out[p++] = yc + 0.5 * (ah - 1);
        }
      }
    }
  }
  return { Anchors: [make(out, dims, dtype)], Variances: [fillVariances(a.variances as number[], dims, dtype)] };
});
