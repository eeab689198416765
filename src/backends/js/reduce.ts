// Portable kernels of the reductions and their grad operators. X is seen as merged runs of
// reduced and kept dimensions; one compiled loop per reduction walks X once, in order, with an
// odometer over the runs (no per-element calls), accumulating in float64.
import { DType, fromNumbers, isComplex, NumArray, toNumbers } from '../../core/dtype.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Meta, Tensor } from '../../core/tensor.js';
import { lseAsReduce, reducePlan } from '../../ops/reduce.js';

/** X's dims merged into runs: sizes and whether each run is reduced (size-1 dims dropped). */
interface Runs {
  sizes: number[];
  red: boolean[];
  /** Elements of X per output element. */
  count: number;
}

function runsOf(dims: readonly number[], axes: readonly number[], complexPair: boolean): Runs {
  const sizes: number[] = [];
  const red: boolean[] = [];
  let count = 1;
  const push = (s: number, r: boolean): void => {
    if (s === 1) return;
    const k = sizes.length - 1;
    if (k >= 0 && red[k] === r) sizes[k] *= s;
    else {
      sizes.push(s);
      red.push(r);
    }
  };
  for (let i = 0; i < dims.length; i++) {
    const r = axes.includes(i);
    if (r) count *= dims[i];
    push(dims[i], r);
  }
  if (complexPair) push(2, false);
  if (sizes.length === 0) {
    sizes.push(1);
    red.push(false);
  }
  return { sizes, red, count };
}

/** Output strides over the runs: 0 on reduced runs, row-major over the kept ones. */
function outStrides(r: Runs): Int32Array {
  const nd = r.sizes.length;
  const os = new Int32Array(nd);
  let acc = 1;
  for (let d = nd - 1; d >= 0; d--) {
    if (r.red[d]) os[d] = 0;
    else {
      os[d] = acc;
      acc *= r.sizes[d];
    }
  }
  return os;
}

type ReduceLoop = (a: NumArray, acc: Float64Array, sizes: number[], red: boolean[], os: Int32Array) => void;

/** Compiles a loop folding X into acc (pre-filled with the identity) with `fold` over r (acc) and v (x). */
function reduceLoop(fold: string): ReduceLoop {
  return new Function(`return function(a, acc, sizes, red, os) {
    const nd = sizes.length;
    const inner = sizes[nd - 1];
    let total = 1;
    for (let d = 0; d < nd; d++) total *= sizes[d];
    if (total === 0) return;
    const outer = total / inner;
    const idx = new Int32Array(nd);
    let p = 0, o = 0;
    if (red[nd - 1]) {
      for (let q = 0; q < outer; q++) {
        let r = acc[o];
        for (let k = 0; k < inner; k++) { const v = a[p++]; r = ${fold}; }
        acc[o] = r;
        for (let d = nd - 2; d >= 0; d--) {
          idx[d]++; o += os[d];
          if (idx[d] < sizes[d]) break;
          o -= os[d] * sizes[d]; idx[d] = 0;
        }
      }
    } else {
      for (let q = 0; q < outer; q++) {
        for (let k = 0; k < inner; k++) { const v = a[p++]; const r = acc[o + k]; acc[o + k] = ${fold}; }
        for (let d = nd - 2; d >= 0; d--) {
          idx[d]++; o += os[d];
          if (idx[d] < sizes[d]) break;
          o -= os[d] * sizes[d]; idx[d] = 0;
        }
      }
    }
  };`)() as ReduceLoop;
}

type MapLoop = (sizes: number[], red: boolean[], os: Int32Array, x: NumArray, g: Float64Array, res: Float64Array, e0: Float64Array, e1: Float64Array) => void;

/** Compiles a loop over X in order that runs `stmt` with p (X's index) and o (Out's index). */
function mapLoop(stmt: string): MapLoop {
  return new Function(`return function(sizes, red, os, x, g, res, e0, e1) {
    const nd = sizes.length;
    const inner = sizes[nd - 1];
    let total = 1;
    for (let d = 0; d < nd; d++) total *= sizes[d];
    if (total === 0) return;
    const outer = total / inner;
    const step = red[nd - 1] ? 0 : 1;
    const idx = new Int32Array(nd);
    let p = 0, base = 0;
    for (let q = 0; q < outer; q++) {
      for (let k = 0, o = base; k < inner; k++, p++, o += step) { ${stmt} }
      for (let d = nd - 2; d >= 0; d--) {
        idx[d]++; base += os[d];
        if (idx[d] < sizes[d]) break;
        base -= os[d] * sizes[d]; idx[d] = 0;
      }
    }
  };`)() as MapLoop;
}

/** Numbers of dtype-d results in a float64 array, stored as d stores them. */
function store(acc: Float64Array, dims: number[], d: DType): Tensor {
  return new Tensor(d === 'float64' || d === 'complex128' ? acc : fromNumbers(acc, d), dims, d);
}

const LOOPS = {
  sum: reduceLoop('r + v'),
  prod: reduceLoop('r * v'),
  // NaN propagates, as NumPy's max/min
  max: reduceLoop('(v > r || v !== v) ? v : r'),
  min: reduceLoop('(v < r || v !== v) ? v : r'),
  all: reduceLoop('(r !== 0 && v !== 0) ? 1 : 0'),
  any: reduceLoop('(r !== 0 || v !== 0) ? 1 : 0'),
};
type Kind = keyof typeof LOOPS | 'mean';
const INIT: Record<Kind, number> = { sum: 0, mean: 0, prod: 1, max: -Infinity, min: Infinity, all: 1, any: 0 };

/** Reduces x over `axes` with `kind`, giving numbers in a Float64Array of `outDims`' size. */
export function reduceNumbers(x: Tensor, axes: readonly number[], kind: Kind): { acc: Float64Array; runs: Runs } {
  const cplx = isComplex(x.dtype);
  const runs = runsOf(x.dims, axes, cplx);
  const os = outStrides(runs);
  let m = 1;
  for (let d = 0; d < runs.sizes.length; d++) if (!runs.red[d]) m *= runs.sizes[d];
  const acc = new Float64Array(m);
  if (INIT[kind] !== 0) acc.fill(INIT[kind]);
  LOOPS[kind === 'mean' ? 'sum' : kind](toNumbers(x.data, x.dtype), acc, runs.sizes, runs.red, os);
  if (kind === 'mean') {
    const inv = runs.count;
    for (let i = 0; i < m; i++) acc[i] /= inv;
  }
  return { acc, runs };
}

function reduceKernel(type: string, kind: Kind): void {
  registerKernel(type, 'js', (ins: Slots<Tensor>, attrs, outs: Slots<Meta>) => {
    const x = ins.X[0];
    const o = outs.Out[0];
    if (isComplex(x.dtype) && kind !== 'sum' && kind !== 'mean') return undefined;
    const plan = reducePlan(x.dims, attrs.dim, attrs.keep_dim, attrs.reduce_all, type);
    const { acc } = reduceNumbers(x, plan.axes, kind);
    if (kind === 'mean' && !isComplex(o.dtype) && o.dtype !== 'float16' && o.dtype !== 'float32' && o.dtype !== 'float64')
      for (let i = 0; i < acc.length; i++) acc[i] = Math.trunc(acc[i]);
    return { Out: [store(acc, o.dims.slice(), o.dtype)] };
  });
}
reduceKernel('reduce_sum', 'sum');
reduceKernel('reduce_mean', 'mean');
reduceKernel('reduce_max', 'max');
reduceKernel('reduce_min', 'min');
reduceKernel('reduce_prod', 'prod');
reduceKernel('reduce_all', 'all');
reduceKernel('reduce_any', 'any');

// logsumexp: max-shifted, so large inputs do not overflow: m + log(sum(exp(x - m))).
const lseLoop = mapLoop('res[o] += Math.exp(x[p] - e0[o]);');
registerKernel('logsumexp', 'js', (ins: Slots<Tensor>, attrs, outs: Slots<Meta>) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  const r = lseAsReduce(attrs);
  const plan = reducePlan(x.dims, r.dim as number[], r.keep_dim as boolean, r.reduce_all as boolean, 'logsumexp');
  const { acc: mx, runs } = reduceNumbers(x, plan.axes, 'max');
  for (let i = 0; i < mx.length; i++) if (!Number.isFinite(mx[i])) mx[i] = mx[i] !== mx[i] ? mx[i] : 0;
  const s = new Float64Array(mx.length);
  lseLoop(runs.sizes, runs.red, outStrides(runs), toNumbers(x.data, x.dtype), s, s, mx, mx);
  for (let i = 0; i < s.length; i++) s[i] = mx[i] + Math.log(s[i]);
  return { Out: [store(s, o.dims.slice(), o.dtype)] };
});

// ---- grad kernels ---------------------------------------------------------------------------
const bcastLoop = mapLoop('res[p] = g[o];');
const bcastScaledLoop = mapLoop('res[p] = g[o] * e0[0];');
// e0: product of the nonzero elements per output, e1: their zero count.
const prodGradLoop = mapLoop('const v = x[p], z = e1[o]; res[p] = z === 0 ? g[o] * (e0[o] / v) : z === 1 && v === 0 ? g[o] * e0[o] : 0;');
const prodStatsLoop = mapLoop('const v = x[p]; if (v === 0) e1[o]++; else e0[o] *= v;');
const EMPTY = new Float64Array(0);

/** Out@GRAD as float64 numbers (real dtypes) and the runs of X for the grad op's attributes. */
function gradSetup(ins: Slots<Tensor>, attrs: Record<string, any>, type: string): { x: Tensor; g: Float64Array; runs: Runs; os: Int32Array } | undefined {
  const x = ins.X[0];
  const gt = ins['Out@GRAD'][0];
  if (isComplex(gt.dtype) !== isComplex(x.dtype) && (isComplex(gt.dtype) || isComplex(x.dtype))) return undefined;
  const plan = reducePlan(x.dims, attrs.dim, attrs.keep_dim, attrs.reduce_all, type);
  const runs = runsOf(x.dims, plan.axes, isComplex(x.dtype));
  const gn = toNumbers(gt.data, gt.dtype);
  const g = gn instanceof Float64Array ? gn : Float64Array.from(gn);
  return { x, g, runs, os: outStrides(runs) };
}

function bcastKernel(type: string, mean: boolean): void {
  registerKernel(type, 'js', (ins: Slots<Tensor>, attrs, outs: Slots<Meta>) => {
    const s = gradSetup(ins, attrs, type);
    if (!s) return undefined;
    const o = outs['X@GRAD'][0];
    const res = new Float64Array(isComplex(o.dtype) ? 2 * numel(o.dims) : numel(o.dims));
    if (mean) bcastScaledLoop(s.runs.sizes, s.runs.red, s.os, EMPTY, s.g, res, Float64Array.of(1 / s.runs.count), EMPTY);
    else bcastLoop(s.runs.sizes, s.runs.red, s.os, EMPTY, s.g, res, EMPTY, EMPTY);
    return { 'X@GRAD': [store(res, o.dims.slice(), o.dtype)] };
  });
}
bcastKernel('reduce_sum_grad', false);
bcastKernel('reduce_mean_grad', true);

registerKernel('reduce_prod_grad', 'js', (ins: Slots<Tensor>, attrs, outs: Slots<Meta>) => {
  const s = gradSetup(ins, attrs, 'reduce_prod_grad');
  if (!s || isComplex(s.x.dtype)) return undefined;
  const o = outs['X@GRAD'][0];
  const xn = toNumbers(s.x.data, s.x.dtype);
  const m = s.g.length;
  const prodNZ = new Float64Array(m).fill(1);
  const zeros = new Float64Array(m);
  prodStatsLoop(s.runs.sizes, s.runs.red, s.os, xn, s.g, EMPTY, prodNZ, zeros);
  const res = new Float64Array(numel(o.dims));
  prodGradLoop(s.runs.sizes, s.runs.red, s.os, xn, s.g, res, prodNZ, zeros);
  return { 'X@GRAD': [store(res, o.dims.slice(), o.dtype)] };
});
