// Portable kernels of pad / pad_grad and pad3d / pad2d (+ _grad). The forward kernels move
// raw storage (int64 stays exact, float16 keeps its bits): pad copies whole input rows into
// an output filled with pad_value; pad3d/pad2d build, per spatial dim, the input index each
// output index reads (-1: the constant fill) and copy through those maps. The gradients
// add Out@GRAD back through the same maps.
import { allocStorage, fillStorage, type NumArray, type Storage } from '../../core/dtype.js';
import type { Attrs, Slots } from '../../core/registry.js';
import { registerKernel } from '../../core/registry.js';
import { numel, stridesOf } from '../../core/shape.js';
import { Tensor, type Meta } from '../../core/tensor.js';
import { padGeom, padOutDims, type PadGeom } from '../../ops/pad.js';
import { opFail } from '../../ops/util.js';
import { nums, outNumbers, tensorOf } from './loops.js';

type Any = Storage & { [i: number]: number | bigint };

/** Calls `row(inOffset, outOffset)` for every innermost row of X inside the padded output. */
function forEachRow(xDims: readonly number[], oDims: readonly number[], before: (i: number) => number, row: (xi: number, oi: number) => void): void {
  const r = xDims.length;
  const os = stridesOf(oDims);
  const inner = xDims[r - 1];
  const rows = inner === 0 ? 0 : numel(xDims) / inner;
  const idx = new Array<number>(Math.max(r - 1, 0)).fill(0);
  let base = 0;
  for (let k = 0; k < r; k++) base += before(k) * os[k];
  for (let q = 0; q < rows; q++) {
    let off = base;
    for (let k = 0; k < r - 1; k++) off += idx[k] * os[k];
    row(q * inner, off);
    for (let k = r - 2; k >= 0; k--) {
      if (++idx[k] < xDims[k]) break;
      idx[k] = 0;
    }
  }
}

registerKernel('pad', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const m = outs.Out[0];
  const p: number[] = attrs.paddings;
  const oDims = padOutDims(x, p, 'pad');
  const o = allocStorage(x.dtype, numel(oDims)) as Any;
  fillStorage(o, x.dtype, attrs.pad_value);
  const xs = x.data as Any;
  const inner = x.dims.length ? x.dims[x.dims.length - 1] : 1;
  if (x.dims.length === 0) o.set(xs as never);
  else forEachRow(x.dims, oDims, (k) => p[2 * k], (xi, oi) => o.set(xs.subarray(xi, xi + inner) as never, oi));
  return { Out: [new Tensor(o, oDims, m.dtype)] };
}, ['float16', 'float32', 'float64', 'int32', 'int64']);

registerKernel('pad_grad', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const g = ins['Out@GRAD'][0];
  const m = outs['X@GRAD'][0];
  const p: number[] = attrs.paddings;
  const gv = nums(g);
  const res = outNumbers(m.dtype, x.dims);
  const inner = x.dims[x.dims.length - 1];
  forEachRow(x.dims, g.dims, (k) => p[2 * k], (xi, oi) => res.set(gv.subarray(oi, oi + inner), xi));
  return { 'X@GRAD': [tensorOf(res, x.dims.slice(), m.dtype)] };
}, ['float16', 'float32', 'float64']);

/** For each output index of one dim, the input index it reads (-1: the constant fill). */
function indexMap(mode: string, inSize: number, outSize: number, before: number): Int32Array {
  const map = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    let i = o - before;
    if (mode === 'constant') {
      if (i < 0 || i >= inSize) i = -1;
    } else if (mode === 'reflect') {
      i = Math.max(i, -i);
      i = Math.min(i, 2 * inSize - i - 2);
    } else if (mode === 'replicate' || mode === 'edge') {
      i = Math.min(inSize - 1, Math.max(i, 0));
    } else {
      i = ((i % inSize) + inSize) % inSize; // circular
    }
    map[o] = i;
  }
  return map;
}

/**
 * Walks the output row by row (a row: OW elements, or OW * C channel-last), calling
 * `row(q, src, len)` with the output offset q and, per element of the row, the input
 * element it reads (-1: the constant fill). The maps are per axis, so no per-element map
 * of the whole output is built.
 */
function padRows(g: PadGeom, row: (q: number, src: Int32Array, len: number) => void): void {
  const [md, mh, mw] = [0, 1, 2].map((i) => indexMap(g.mode, g.inSp[i], g.outSp[i], g.before[i]));
  const [, IH, IW] = g.inSp;
  const [OD, OH, OW] = g.outSp;
  const C = g.c;
  const inPlane = g.inSp[0] * IH * IW;
  const len = g.channelLast ? OW * C : OW;
  const src = new Int32Array(len);
  let q = 0;
  const planes = g.channelLast ? g.n : g.n * C;
  for (let pl = 0; pl < planes; pl++) {
    const ib = g.channelLast ? pl * inPlane * C : pl * inPlane;
    for (let od = 0; od < OD; od++) {
      const id = md[od];
      for (let oh = 0; oh < OH; oh++, q += len) {
        const ih = mh[oh];
        const rowOk = id >= 0 && ih >= 0;
        const rb = (id * IH + ih) * IW;
        if (g.channelLast) {
          for (let ow = 0, k = 0; ow < OW; ow++) {
            const iw = mw[ow];
            const s0 = rowOk && iw >= 0 ? ib + (rb + iw) * C : -1;
            for (let ch = 0; ch < C; ch++, k++) src[k] = s0 < 0 ? -1 : s0 + ch;
          }
        } else {
          for (let ow = 0; ow < OW; ow++) {
            const iw = mw[ow];
            src[ow] = rowOk && iw >= 0 ? ib + rb + iw : -1;
          }
        }
        row(q, src, len);
      }
    }
  }
}

function geomOf(type: 'pad3d' | 'pad2d', x: Meta, ins: Slots<Tensor>, attrs: Attrs): PadGeom {
  return padGeom(x, ins as Slots<Meta>, attrs, type);
}

for (const [type, valueAttr] of [['pad3d', 'value'], ['pad2d', 'pad_value']] as const) {
  registerKernel(type, 'js', (ins, attrs, outs) => {
    const x = ins.X[0];
    const m = outs.Out[0];
    const g = geomOf(type, x, ins, attrs);
    const o = allocStorage(x.dtype, numel(g.outDims)) as Any;
    const xs = x.data as Any;
    if (g.mode === 'constant') fillStorage(o, x.dtype, attrs[valueAttr]);
    padRows(g, (q, src, len) => {
      for (let i = 0; i < len; i++) {
        const k = src[i];
        if (k >= 0) o[q + i] = xs[k];
      }
    });
    return { Out: [new Tensor(o, g.outDims.slice(), m.dtype)] };
  }, ['float16', 'float32', 'float64', 'int32', 'int64']);

  registerKernel(`${type}_grad`, 'js', (ins, attrs, outs) => {
    const x = ins.X[0];
    const m = outs['X@GRAD'][0];
    const g = geomOf(type, x, ins, attrs);
    const gv = nums(ins['Out@GRAD'][0]);
    if (gv.length !== numel(g.outDims))
      opFail(`${type}_grad`, `input Out@GRAD has ${gv.length} elements, but the padded shape [${g.outDims.join(', ')}] has ${numel(g.outDims)}`);
    const dx = new Float64Array(numel(x.dims));
    padRows(g, (q, src, len) => {
      for (let i = 0; i < len; i++) {
        const k = src[i];
        if (k >= 0) dx[k] += gv[q + i];
      }
    });
    const res: NumArray = outNumbers(m.dtype, x.dims);
    res.set(dx);
    return { 'X@GRAD': [tensorOf(res, x.dims.slice(), m.dtype)] };
  }, ['float16', 'float32', 'float64']);
}
