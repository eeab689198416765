// Portable kernels of inplace_abn and the deformable convolutions (see src/ops/fluid_nn.ts).
// The deformable convolution samples each kernel tap at its offset position with bilinear
// interpolation (zero outside the image; a sample counts only when -1 < h < H and -1 < w < W),
// multiplies by the mask (v2), and contracts the columns with the filter per group.
import { runOp, withDefaults } from '../../core/dispatch.js';
import { getOp, registerKernel, type Attrs, type Kernel, type Slots } from '../../core/registry.js';
import { Tensor } from '../../core/tensor.js';
import { nums, outNumbers, tensorOf } from './loops.js';

const F32_64 = ['float32', 'float64'] as never;

// ---- inplace_abn --------------------------------------------------------------------------------------
registerKernel(
  'inplace_abn',
  'js',
  (ins, attrs) => {
    const bn = getOp('batch_norm');
    const a: Attrs = {};
    for (const k of Object.keys(bn.attrs)) if (k in attrs) a[k] = attrs[k];
    withDefaults(bn, a);
    const r: Slots<Tensor> = { ...runOp(bn, ins, a) };
    const act = attrs.activation as string;
    if (act === 'leaky_relu' || act === 'elu') {
      const y = r.Y[0];
      const v = nums(y);
      const o = outNumbers(y.dtype, y.dims);
      const alpha = attrs.alpha as number;
      if (act === 'leaky_relu') for (let i = 0; i < v.length; i++) o[i] = v[i] > 0 ? v[i] : v[i] * alpha;
      else for (let i = 0; i < v.length; i++) o[i] = v[i] > 0 ? v[i] : alpha * (Math.exp(v[i]) - 1);
      r.Y = [tensorOf(o, y.dims.slice(), y.dtype)];
    }
    return r;
  },
  F32_64,
);

// ---- deformable convolution ------------------------------------------------------------------------------
interface DGeo {
  N: number; C: number; H: number; W: number;
  K: number; kh: number; kw: number; Ho: number; Wo: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  groups: number; dg: number;
}
function geo(x: Tensor, f: Tensor, attrs: Attrs): DGeo {
  const [N, C, H, W] = x.dims;
  const [K, , kh, kw] = f.dims;
  const [sh, sw] = attrs.strides as number[];
  const [ph, pw] = attrs.paddings as number[];
  const [dh, dw] = attrs.dilations as number[];
  const Ho = Math.floor((H + 2 * ph - (dh * (kh - 1) + 1)) / sh) + 1;
  const Wo = Math.floor((W + 2 * pw - (dw * (kw - 1) + 1)) / sw) + 1;
  return { N, C, H, W, K, kh, kw, Ho, Wo, sh, sw, ph, pw, dh, dw, groups: attrs.groups as number, dg: attrs.deformable_groups as number };
}

/**
 * The columns [N][C*kh*kw][L] of the sampled, masked input: column row c*kh*kw + i*kw + j,
 * column l = ho*Wo + wo.
 */
function columns(g: DGeo, x: ArrayLike<number>, off: ArrayLike<number>, mask: ArrayLike<number> | null): Float64Array {
  const { N, C, H, W, kh, kw, Ho, Wo, sh, sw, ph, pw, dh, dw, dg } = g;
  const L = Ho * Wo;
  const ckk = C * kh * kw;
  const cpg = C / dg;
  const cols = new Float64Array(N * ckk * L);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++) {
      const d = Math.floor(c / cpg);
      const offBase = (n * dg + d) * 2 * kh * kw * L;
      const maskBase = (n * dg + d) * kh * kw * L;
      const base = (n * C + c) * H * W;
      for (let t = 0; t < kh * kw; t++) {
        const i = Math.floor(t / kw);
        const j = t - i * kw;
        const row = (n * ckk + c * kh * kw + t) * L;
        const oh = offBase + 2 * t * L;
        const mb = maskBase + t * L;
        for (let ho = 0; ho < Ho; ho++)
          for (let wo = 0; wo < Wo; wo++) {
            const l = ho * Wo + wo;
            const h = ho * sh - ph + i * dh + off[oh + l];
            const w = wo * sw - pw + j * dw + off[oh + L + l];
            if (!(h > -1 && w > -1 && h < H && w < W)) continue;
            const hl = Math.floor(h);
            const wl = Math.floor(w);
            const lh = h - hl;
            const lw = w - wl;
            const v1 = hl >= 0 && wl >= 0 ? x[base + hl * W + wl] : 0;
            const v2 = hl >= 0 && wl + 1 <= W - 1 ? x[base + hl * W + wl + 1] : 0;
            const v3 = hl + 1 <= H - 1 && wl >= 0 ? x[base + (hl + 1) * W + wl] : 0;
            const v4 = hl + 1 <= H - 1 && wl + 1 <= W - 1 ? x[base + (hl + 1) * W + wl + 1] : 0;
            const v = (1 - lh) * (1 - lw) * v1 + (1 - lh) * lw * v2 + lh * (1 - lw) * v3 + lh * lw * v4;
            cols[row + l] = mask ? v * mask[mb + l] : v;
          }
      }
    }
  return cols;
}

function deformForward(modulated: boolean): Kernel {
  return (ins, attrs) => {
    const x = ins.Input[0];
    const f = ins.Filter[0];
    const g = geo(x, f, attrs);
    const cols = columns(g, nums(x), nums(ins.Offset[0]), modulated ? nums(ins.Mask[0]) : null);
    const wv = nums(f);
    const L = g.Ho * g.Wo;
    const ckk = g.C * g.kh * g.kw;
    const Kg = g.K / g.groups;
    const Cg = ckk / g.groups;
    const out = outNumbers(x.dtype, [g.N, g.K, g.Ho, g.Wo]);
    const acc = new Float64Array(L);
    for (let n = 0; n < g.N; n++)
      for (let gr = 0; gr < g.groups; gr++)
        for (let k = 0; k < Kg; k++) {
          acc.fill(0);
          const ko = gr * Kg + k;
          for (let q = 0; q < Cg; q++) {
            const wq = wv[ko * Cg + q];
            if (wq === 0) continue;
            const cb = (n * ckk + gr * Cg + q) * L;
            for (let l = 0; l < L; l++) acc[l] += wq * cols[cb + l];
          }
          out.set(acc, (n * g.K + ko) * L);
        }
    return { Output: [tensorOf(out, [g.N, g.K, g.Ho, g.Wo], x.dtype)] };
  };
}

function deformBackward(modulated: boolean): Kernel {
  return (ins, attrs) => {
    const x = ins.Input[0];
    const f = ins.Filter[0];
    const offT = ins.Offset[0];
    const g = geo(x, f, attrs);
    const xv = nums(x);
    const ov = nums(offT);
    const mv = modulated ? nums(ins.Mask[0]) : null;
    const gy = nums(ins['Output@GRAD'][0]);
    const wv = nums(f);
    const L = g.Ho * g.Wo;
    const ckk = g.C * g.kh * g.kw;
    const Kg = g.K / g.groups;
    const Cg = ckk / g.groups;
    const cols = columns(g, xv, ov, mv);
    // filter gradient and column gradient per group
    const dW = new Float64Array(wv.length);
    const dcol = new Float64Array(g.N * ckk * L);
    for (let n = 0; n < g.N; n++)
      for (let gr = 0; gr < g.groups; gr++)
        for (let k = 0; k < Kg; k++) {
          const ko = gr * Kg + k;
          const gb = (n * g.K + ko) * L;
          for (let q = 0; q < Cg; q++) {
            const cb = (n * ckk + gr * Cg + q) * L;
            let s = 0;
            const wq = wv[ko * Cg + q];
            for (let l = 0; l < L; l++) {
              s += gy[gb + l] * cols[cb + l];
              dcol[cb + l] += wq * gy[gb + l];
            }
            dW[ko * Cg + q] += s;
          }
        }
    const dX = new Float64Array(xv.length);
    const dOff = new Float64Array(ov.length);
    const dMask = mv ? new Float64Array(mv.length) : null;
    const { N, C, H, W, kh, kw, Ho, Wo, sh, sw, ph, pw, dh, dw, dg } = g;
    const cpg = C / dg;
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++) {
        const dgi = Math.floor(c / cpg);
        const offBase = (n * dg + dgi) * 2 * kh * kw * L;
        const maskBase = (n * dg + dgi) * kh * kw * L;
        const base = (n * C + c) * H * W;
        for (let t = 0; t < kh * kw; t++) {
          const i = Math.floor(t / kw);
          const j = t - i * kw;
          const row = (n * ckk + c * kh * kw + t) * L;
          const oh = offBase + 2 * t * L;
          const mb = maskBase + t * L;
          for (let ho = 0; ho < Ho; ho++)
            for (let wo = 0; wo < Wo; wo++) {
              const l = ho * Wo + wo;
              const gc = dcol[row + l];
              if (gc === 0) continue;
              const h = ho * sh - ph + i * dh + ov[oh + l];
              const w = wo * sw - pw + j * dw + ov[oh + L + l];
              if (!(h > -1 && w > -1 && h < H && w < W)) continue;
              const m = mv ? mv[mb + l] : 1;
              const hl = Math.floor(h);
              const wl = Math.floor(w);
              const lh = h - hl;
              const lw = w - wl;
              const in1 = hl >= 0 && wl >= 0;
              const in2 = hl >= 0 && wl + 1 <= W - 1;
              const in3 = hl + 1 <= H - 1 && wl >= 0;
              const in4 = hl + 1 <= H - 1 && wl + 1 <= W - 1;
              const p1 = base + hl * W + wl;
              const p3 = p1 + W;
              const v1 = in1 ? xv[p1] : 0;
              const v2 = in2 ? xv[p1 + 1] : 0;
              const v3 = in3 ? xv[p3] : 0;
              const v4 = in4 ? xv[p3 + 1] : 0;
              const gm = gc * m;
              // input: the four bilinear neighbours
              if (in1) dX[p1] += gm * (1 - lh) * (1 - lw);
              if (in2) dX[p1 + 1] += gm * (1 - lh) * lw;
              if (in3) dX[p3] += gm * lh * (1 - lw);
              if (in4) dX[p3 + 1] += gm * lh * lw;
              // offsets: the derivative of the bilinear sample in h and in w
              dOff[oh + l] += gm * ((1 - lw) * (v3 - v1) + lw * (v4 - v2));
              dOff[oh + L + l] += gm * ((1 - lh) * (v2 - v1) + lh * (v4 - v3));
              if (dMask) dMask[mb + l] += gc * ((1 - lh) * (1 - lw) * v1 + (1 - lh) * lw * v2 + lh * (1 - lw) * v3 + lh * lw * v4);
            }
        }
      }
    const d = x.dtype;
    const res: Slots<Tensor> = {
      'Input@GRAD': [tensorOf(dX, x.dims.slice(), d)],
      'Offset@GRAD': [tensorOf(dOff, offT.dims.slice(), d)],
      'Filter@GRAD': [tensorOf(dW, f.dims.slice(), d)],
    };
    if (dMask) res['Mask@GRAD'] = [tensorOf(dMask, ins.Mask[0].dims.slice(), d)];
    return res;
  };
}

registerKernel('deformable_conv', 'js', deformForward(true), F32_64);
registerKernel('deformable_conv_v1', 'js', deformForward(false), F32_64);
registerKernel('deformable_conv_grad', 'js', deformBackward(true), F32_64);
registerKernel('deformable_conv_v1_grad', 'js', deformBackward(false), F32_64);
