// Portable kernels of concat, split, stack, unstack and unbind: contiguous block copies of
// raw storage (every dtype; complex moves (re, im) pairs).
import { allocStorage, isComplex, Storage } from '../../core/dtype.js';
import { Kernel, registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { copyRun } from './transpose.js';

/** Interleaves blocks: for each of `outer` rows, srcs[i]'s chunks[i] slots in turn. */
function joinBlocks(srcs: Storage[], chunks: number[], outer: number, dst: Storage): void {
  let pos = 0;
  if (chunks.every((c) => c === 1)) {
    // one element from each source in turn (stack on the last axis)
    const d = dst as Float64Array;
    const ss = srcs as Float64Array[];
    const k = ss.length;
    for (let i = 0; i < k; i++) {
      const s = ss[i];
      for (let o = 0, p = i; o < outer; o++, p += k) d[p] = s[o];
    }
    return;
  }
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < srcs.length; i++) {
      const ch = chunks[i];
      if (ch === 0) continue;
      copyRun(dst, pos, srcs[i], o * ch, ch);
      pos += ch;
    }
}

/** The inverse of joinBlocks. */
function cutBlocks(src: Storage, chunks: number[], outer: number, dsts: Storage[]): void {
  let pos = 0;
  if (chunks.every((c) => c === 1)) {
    const s = src as Float64Array;
    const ds = dsts as Float64Array[];
    const k = ds.length;
    for (let i = 0; i < k; i++) {
      const d = ds[i];
      for (let o = 0, p = i; o < outer; o++, p += k) d[o] = s[p];
    }
    return;
  }
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < dsts.length; i++) {
      const ch = chunks[i];
      if (ch === 0) continue;
      copyRun(dsts[i], o * ch, src, pos, ch);
      pos += ch;
    }
}

const widthOf = (t: { dtype: Tensor['dtype'] }): number => (isComplex(t.dtype) ? 2 : 1);
const prod = (d: readonly number[], from: number, to = d.length): number => {
  let m = 1;
  for (let i = from; i < to; i++) m *= d[i];
  return m;
};

/** The axis the kernel works on: where the output's dims differ from the input's (or the attribute). */
function normalized(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function axisValue(ins: Record<string, Tensor[]>, attrs: Record<string, any>): number {
  const t = ins.AxisTensor?.[0];
  if (!t) return attrs.axis;
  return Number(t.data[0]);
}

registerKernel('concat', 'js', (ins, attrs, outs) => {
  const xs = ins.X;
  const o = outs.Out[0];
  const rank = o.dims.length;
  const axis = normalized(axisValue(ins, attrs), rank);
  const w = widthOf(o);
  const outer = prod(o.dims, 0, axis);
  const dst = allocStorage(o.dtype, numel(o.dims));
  joinBlocks(xs.map((x) => x.data), xs.map((x) => prod(x.dims, axis) * w), outer, dst);
  return { Out: [new Tensor(dst, o.dims.slice(), o.dtype)] };
});

registerKernel('split', 'js', (ins, attrs, outs) => {
  const x = ins.X[0];
  const rank = x.dims.length;
  const axis = normalized(axisValue(ins, attrs), rank);
  const w = widthOf(x);
  const metas = outs.Out;
  const outer = prod(x.dims, 0, axis);
  const dsts = metas.map((m) => allocStorage(x.dtype, numel(m.dims)));
  cutBlocks(x.data, metas.map((m) => prod(m.dims, axis) * w), outer, dsts);
  return { Out: dsts.map((d, i) => new Tensor(d, metas[i].dims.slice(), x.dtype)) };
});

registerKernel('stack', 'js', (ins, attrs, outs) => {
  const xs = ins.X;
  const y = outs.Y[0];
  const axis = normalized(attrs.axis, y.dims.length);
  const w = widthOf(y);
  const outer = prod(y.dims, 0, axis);
  const chunk = prod(y.dims, axis + 1) * w;
  const dst = allocStorage(y.dtype, numel(y.dims));
  joinBlocks(xs.map((x) => x.data), xs.map(() => chunk), outer, dst);
  return { Y: [new Tensor(dst, y.dims.slice(), y.dtype)] };
});

/** unstack / unbind: cut X along axis into pieces with that dim removed. */
function unstackKernel(slot: string): Kernel {
  return (ins, attrs, outs) => {
    const x = ins.X[0];
    const axis = normalized(attrs.axis, x.dims.length);
    const w = widthOf(x);
    const metas = outs[slot];
    const outer = prod(x.dims, 0, axis);
    const chunk = prod(x.dims, axis + 1) * w;
    const dsts = metas.map((m) => allocStorage(x.dtype, numel(m.dims)));
    cutBlocks(x.data, metas.map(() => chunk), outer, dsts);
    return { [slot]: dsts.map((d, i) => new Tensor(d, metas[i].dims.slice(), x.dtype)) };
  };
}
registerKernel('unstack', 'js', unstackKernel('Y'));
registerKernel('unbind', 'js', unstackKernel('Out'));
