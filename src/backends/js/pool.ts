// Portable kernels of pool2d / pool3d (+ _grad) and max_pool2d/3d_with_index (+ _grad).
// Every call is treated as 3-D pooling (2-D pools have depth 1); the per-dim windows are
// precomputed (src/ops/pool.ts: dimWindows), and the loops run over typed arrays with
// element stride 1 (NCHW) or C (NHWC). Float16 computes in float32, float32/float64 in
// float64 and rounds once when stored.
import type { NumArray } from '../../core/dtype.js';
import { registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { dimWindows, poolGeom, withIndexGeom, type DimWindows, type PoolGeom } from '../../ops/pool.js';
import { nums, outNumbers, tensorOf } from './loops.js';

/** Paddle's initial value of a max window (-FLT_MAX). */
const NEG_FLT_MAX = -3.4028234663852886e38;

function windowsOf(g: PoolGeom): [DimWindows, DimWindows, DimWindows] {
  return [0, 1, 2].map((i) => dimWindows(g.inSp[i], g.outSp[i], g.ksize[i], g.strides[i], g.padBefore[i], g.adaptive)) as [DimWindows, DimWindows, DimWindows];
}

/** Offsets of channel plane (n, c) and the element stride, for input and output. */
interface Layout {
  inPlane: number;
  outPlane: number;
  cs: number;
}
function layoutOf(g: PoolGeom): Layout {
  return { inPlane: g.inSp[0] * g.inSp[1] * g.inSp[2], outPlane: g.outSp[0] * g.outSp[1] * g.outSp[2], cs: g.channelLast ? g.c : 1 };
}
/** Base offset of channel (n, c) in a tensor whose planes hold `plane` elements. */
function baseOf(g: PoolGeom, n: number, c: number, plane: number): number {
  return g.channelLast ? n * plane * g.c + c : (n * g.c + c) * plane;
}

function poolForward(x: NumArray, o: NumArray, g: PoolGeom, max: boolean, exclusive: boolean): void {
  const [wd, wh, ww] = windowsOf(g);
  const { inPlane, outPlane, cs } = layoutOf(g);
  const [, H, W] = g.inSp;
  const [OD, OH, OW] = g.outSp;
  const divByCount = exclusive || g.adaptive;
  for (let n = 0; n < g.n; n++) {
    for (let ch = 0; ch < g.c; ch++) {
      const ib = baseOf(g, n, ch, inPlane);
      const ob = baseOf(g, n, ch, outPlane);
      let op = 0;
      for (let od = 0; od < OD; od++) {
        const d0 = wd.start[od], d1 = wd.end[od];
        for (let oh = 0; oh < OH; oh++) {
          const h0 = wh.start[oh], h1 = wh.end[oh];
          for (let ow = 0; ow < OW; ow++, op++) {
            const w0 = ww.start[ow], w1 = ww.end[ow];
            let v: number;
            if (max) {
              v = NEG_FLT_MAX;
              for (let d = d0; d < d1; d++) {
                for (let h = h0; h < h1; h++) {
                  let p = ib + ((d * H + h) * W + w0) * cs;
                  for (let w = w0; w < w1; w++, p += cs) {
                    const t = x[p];
                    v = v > t ? v : t; // NaN propagates, as Paddle's MaxPool::compute
                  }
                }
              }
            } else {
              let s = 0;
              for (let d = d0; d < d1; d++) {
                for (let h = h0; h < h1; h++) {
                  let p = ib + ((d * H + h) * W + w0) * cs;
                  for (let w = w0; w < w1; w++, p += cs) s += x[p];
                }
              }
              const count = divByCount ? (d1 - d0) * (h1 - h0) * (w1 - w0) : wd.full[od] * wh.full[oh] * ww.full[ow];
              v = s / count;
            }
            o[ob + op * cs] = v;
          }
        }
      }
    }
  }
}

function poolBackward(x: NumArray, y: NumArray, dy: NumArray, dx: NumArray, g: PoolGeom, max: boolean, exclusive: boolean): void {
  const [wd, wh, ww] = windowsOf(g);
  const { inPlane, outPlane, cs } = layoutOf(g);
  const [, H, W] = g.inSp;
  const [OD, OH, OW] = g.outSp;
  const divByCount = exclusive || g.adaptive;
  for (let n = 0; n < g.n; n++) {
    for (let ch = 0; ch < g.c; ch++) {
      const ib = baseOf(g, n, ch, inPlane);
      const ob = baseOf(g, n, ch, outPlane);
      let op = 0;
      for (let od = 0; od < OD; od++) {
        const d0 = wd.start[od], d1 = wd.end[od];
        for (let oh = 0; oh < OH; oh++) {
          const h0 = wh.start[oh], h1 = wh.end[oh];
          for (let ow = 0; ow < OW; ow++, op++) {
            const w0 = ww.start[ow], w1 = ww.end[ow];
            const oi = ob + op * cs;
            const gv = dy[oi];
            if (max) {
              // the first position (row-major in the window) equal to the max
              const m = y[oi];
              search: for (let d = d0; d < d1; d++) {
                for (let h = h0; h < h1; h++) {
                  let p = ib + ((d * H + h) * W + w0) * cs;
                  for (let w = w0; w < w1; w++, p += cs) {
                    if (x[p] === m) {
                      dx[p] += gv;
                      break search;
                    }
                  }
                }
              }
            } else {
              const count = divByCount ? (d1 - d0) * (h1 - h0) * (w1 - w0) : wd.full[od] * wh.full[oh] * ww.full[ow];
              const sv = gv / count;
              for (let d = d0; d < d1; d++) {
                for (let h = h0; h < h1; h++) {
                  let p = ib + ((d * H + h) * W + w0) * cs;
                  for (let w = w0; w < w1; w++, p += cs) dx[p] += sv;
                }
              }
            }
          }
        }
      }
    }
  }
}

const FLOATS = ['float16', 'float32', 'float64'] as const;

for (const nd of [2, 3]) {
  const type = `pool${nd}d`;
  registerKernel(type, 'js', (ins, attrs, outs) => {
    const x = ins.X[0];
    const g = poolGeom(x, attrs, type);
    const m = outs.Out[0];
    const res = outNumbers(m.dtype, g.outDims);
    poolForward(nums(x), res, g, attrs.pooling_type === 'max', !!attrs.exclusive);
    return { Out: [tensorOf(res, g.outDims.slice(), m.dtype)] };
  }, FLOATS);

  registerKernel(`${type}_grad`, 'js', (ins, attrs, outs) => {
    const x = ins.X[0];
    const g = poolGeom(x, attrs, `${type}_grad`);
    const m = outs['X@GRAD'][0];
    const dx = new Float64Array(numel(x.dims));
    const max = attrs.pooling_type === 'max';
    const dy = ins['Out@GRAD'][0];
    const y = ins.Out?.[0];
    poolBackward(nums(x), max && y ? nums(y) : dx, nums(dy), dx, g, max, !!attrs.exclusive);
    const res = outNumbers(m.dtype, x.dims);
    res.set(dx);
    return { 'X@GRAD': [tensorOf(res, x.dims.slice(), m.dtype)] };
  }, FLOATS);

  const wtype = `max_pool${nd}d_with_index`;
  registerKernel(wtype, 'js', (ins, attrs, outs) => {
    const x = ins.X[0];
    const g = withIndexGeom(x, attrs, wtype);
    const m = outs.Out[0];
    const xv = nums(x);
    const res = outNumbers(m.dtype, g.outDims);
    const mask = new Int32Array(numel(g.outDims));
    const wd = withIndexWindows(g, 0), wh = withIndexWindows(g, 1), ww = withIndexWindows(g, 2);
    const [, H, W] = g.inSp;
    const [OD, OH, OW] = g.outSp;
    const inPlane = g.inSp[0] * H * W;
    const outPlane = OD * OH * OW;
    for (let pl = 0; pl < g.n * g.c; pl++) {
      const ib = pl * inPlane;
      let op = pl * outPlane;
      for (let od = 0; od < OD; od++) {
        for (let oh = 0; oh < OH; oh++) {
          for (let ow = 0; ow < OW; ow++, op++) {
            let v = NEG_FLT_MAX;
            let idx = -1;
            for (let d = wd.start[od]; d < wd.end[od]; d++) {
              for (let h = wh.start[oh]; h < wh.end[oh]; h++) {
                const row = (d * H + h) * W;
                for (let w = ww.start[ow]; w < ww.end[ow]; w++) {
                  const t = xv[ib + row + w];
                  if (v < t) {
                    v = t;
                    idx = row + w;
                  }
                }
              }
            }
            res[op] = v;
            mask[op] = idx;
          }
        }
      }
    }
    return { Out: [tensorOf(res, g.outDims.slice(), m.dtype)], Mask: [tensorOf(mask, g.outDims.slice(), 'int32')] };
  }, FLOATS);

  registerKernel(`${wtype}_grad`, 'js', (ins, _attrs, outs) => {
    const x = ins.X[0];
    const mask = nums(ins.Mask[0]);
    const dy = nums(ins['Out@GRAD'][0]);
    const m = outs['X@GRAD'][0];
    const plane = numel(x.dims.slice(2));
    const oplane = numel(ins['Out@GRAD'][0].dims.slice(2));
    const dx = new Float64Array(numel(x.dims));
    const planes = x.dims[0] * x.dims[1];
    for (let pl = 0; pl < planes; pl++) {
      const ib = pl * plane;
      const ob = pl * oplane;
      for (let i = 0; i < oplane; i++) {
        const k = mask[ob + i];
        if (k >= 0 && k < plane) dx[ib + k] += dy[ob + i];
      }
    }
    const res = outNumbers(m.dtype, x.dims);
    res.set(dx);
    return { 'X@GRAD': [tensorOf(res, x.dims.slice(), m.dtype)] };
  }, FLOATS);
}

/** max_pool*_with_index windows: start = o*s - p, end = min(start + k, in), start >= 0. */
function withIndexWindows(g: PoolGeom, i: number): DimWindows {
  const inSize = g.inSp[i], outSize = g.outSp[i];
  if (g.adaptive) return dimWindows(inSize, outSize, g.ksize[i], g.strides[i], 0, true);
  const start = new Int32Array(outSize);
  const end = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s0 = o * g.strides[i] - g.padBefore[i];
    end[o] = Math.min(s0 + g.ksize[i], inSize);
    start[o] = Math.max(s0, 0);
  }
  return { start, end, full: new Int32Array(outSize) };
}
