// The native backend: loads the Node-API addon (build/Release/paddle_native.node, built by
// `npm install` through node-gyp from src/backends/native/csrc) and registers its kernels on
// the 'native' backend, tried before 'js'. Kernels run zero-copy on the tensors' typed
// arrays: inputs are passed as they are, outputs are allocated here and filled in place.
// A kernel that does not handle a call returns undefined and the portable kernel runs.
//
// Environment: PADDLE_TS_BACKEND=js skips the addon (portable kernels only);
// PADDLE_TS_NUM_THREADS=n sizes the thread pool (default: the number of cores; Paddle's own
// FLAGS_paddle_num_threads is read too); PADDLE_TS_ISA=avx512|avx2|generic picks the
// instruction set instead of the best the CPU supports; PADDLE_TS_NATIVE_PATH=file.node loads
// the addon from elsewhere; PADDLE_TS_MALLOC_TUNE=0 keeps glibc's malloc settings (see
// csrc/addon.cc, tune_malloc). If the addon is missing or fails to load, or the CPU has no
// vector instruction set the addon was built for, one warning says so and everything keeps
// working.
//
// Adding a kernel: see src/backends/native/README.md.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DType } from '../../core/dtype.js';
import { backendOrder, registerKernel, resortKernels, type Attrs, type Kernel, type Slots } from '../../core/registry.js';
import { numel, stridesOf } from '../../core/shape.js';
import { Tensor, type Meta } from '../../core/tensor.js';
import { threads } from '../../core/threads.js';
import { matView, mulShapes } from '../../ops/matmul.js';
import { convShape, convTransposeShape, type ConvGeom } from '../../ops/conv.js';
import { dimWindows, poolGeom } from '../../ops/pool.js';
import { alignY } from '../../ops/util.js';

export type FloatArray = Float32Array | Float64Array;

/** The addon's functions (csrc/addon.cc). Number parameters travel in a Float64Array. */
export interface NativeAddon {
  info(): { isa: string; isas: string; threads: number };
  selectIsa(name: string): string;
  setNumThreads(n: number): number;
  /** p = [M, N, K, aOff, ars, acs, bOff, brs, bcs, cOff, crs, ccs, alpha, accumulate]. */
  gemm(a: FloatArray, b: FloatArray, c: FloatArray, p: Float64Array): void;
  /** p as gemm's; offs = [aOff, bOff, cOff] per batch. */
  gemmBatched(a: FloatArray, b: FloatArray, c: FloatArray, p: Float64Array, offs: Float64Array): void;
  /** geo: 23 numbers (see convGeo). */
  convForward(x: FloatArray, w: FloatArray, out: FloatArray, geo: Float64Array): void;
  convBackwardData(dout: FloatArray, w: FloatArray, dx: FloatArray, geo: Float64Array): void;
  convBackwardFilter(x: FloatArray, dout: FloatArray, dw: FloatArray, geo: Float64Array): void;
  /** p = [N, K, P, channelLast]. */
  addChannelBias(out: FloatArray, bias: FloatArray, p: Float64Array): void;
  /** p = [N, C, ID, IH, IW, OD, OH, OW, channelLast, max, divByCount]; windows: start/end/full per dim. */
  poolForward(x: FloatArray, out: FloatArray, p: Float64Array, windows: Int32Array): void;
  poolBackward(x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray, p: Float64Array, windows: Int32Array): void;
  // elementwise family (csrc/elementwise.cc)
  /** p = [op (0 add, 1 sub, 2 mul, 3 div, 4 rsub, 5 rdiv), total, n, post]: out[i] = x[i] op y[(i / post) % n]. */
  ewBinary(x: FloatArray, y: FloatArray, out: FloatArray, p: Float64Array): void;
  /** p = [op (0 relu, 1 sigmoid, 2 tanh, 3 exp), n]. */
  ewUnary(x: FloatArray, out: FloatArray, p: Float64Array): void;
  /** p = [n]. */
  reluGrad(out: FloatArray, dout: FloatArray, dx: FloatArray, p: Float64Array): void;
  /** p = [rows, C, ignore_index]; returns -1 or the first row with a label out of range. */
  softmaxCE(logits: FloatArray, label: BigInt64Array, softmax: FloatArray, loss: FloatArray, p: Float64Array): number;
  softmaxCEGrad(softmax: FloatArray, label: BigInt64Array, dloss: FloatArray, dlogits: FloatArray, p: Float64Array): number;
  /** p = [R, C]: out[c] = sum over r of x[r * C + c]. */
  /** p = [R, C, B]: out[c] = sum over r, b of x[r, c, b]. */
  sumRows(x: FloatArray, out: FloatArray, p: Float64Array): void;
  /** kind 0 sgd p = [n, lr]; 1 momentum p = [n, lr, mu, rescale, l2, nesterov]; 2 adam p = [n, lr', beta1, beta2, epsHat]. */
  update(kind: number, param: FloatArray, grad: FloatArray, a: FloatArray | null, b: FloatArray | null, p: Float64Array): void;
}

/** Where the addon is looked for, relative to this file (src/ or dist/ alike). */
const ADDON_PATHS = ['../../../build/Release/paddle_native.node', '../../../build/Debug/paddle_native.node'];

let loadError: string | null = null;
let warned = false;

function warnOnce(msg: string): void {
  if (warned) return;
  warned = true;
  process.emitWarning(msg, { code: 'PADDLE_TS_NATIVE' });
}

function load(): NativeAddon | null {
  if (process.env.PADDLE_TS_BACKEND === 'js') {
    loadError = 'disabled by PADDLE_TS_BACKEND=js';
    return null;
  }
  const require = createRequire(import.meta.url);
  const override = process.env.PADDLE_TS_NATIVE_PATH;
  const found = override ? (existsSync(override) ? override : undefined) : ADDON_PATHS.map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p));
  if (!found) {
    loadError = override ? `PADDLE_TS_NATIVE_PATH=${override} does not exist` : 'the addon is not built (run `npm run build:native`)';
    warnOnce(`paddle-ts: the native backend is not available (${loadError}); using the portable JavaScript kernels`);
    return null;
  }
  try {
    const a = require(found) as NativeAddon;
    const isa = a.selectIsa(process.env.PADDLE_TS_ISA ?? 'auto');
    const threads = Number(process.env.PADDLE_TS_NUM_THREADS ?? process.env.FLAGS_paddle_num_threads ?? 0);
    if (Number.isInteger(threads) && threads > 0) a.setNumThreads(threads);
    if (isa === 'generic' && (process.arch === 'x64' || process.arch === 'ia32'))
      warnOnce('paddle-ts: this CPU has neither AVX-512 nor AVX2+FMA; the native backend runs its portable (slower) kernels');
    return a;
  } catch (e) {
    loadError = `the addon failed to load: ${(e as Error).message}`;
    warnOnce(`paddle-ts: the native backend is not available (${loadError}); using the portable JavaScript kernels`);
    return null;
  }
}

/** The loaded addon, or null (not built, failed to load, or PADDLE_TS_BACKEND=js). */
export const native: NativeAddon | null = load();

/** What the native backend runs on: whether it loaded, the instruction set, threads. */
export function nativeInfo(): { loaded: boolean; isa: string | null; isas: string[]; threads: number; error: string | null } {
  if (!native) return { loaded: false, isa: null, isas: [], threads: 1, error: loadError };
  const i = native.info();
  return { loaded: true, isa: i.isa, isas: i.isas.split(','), threads: i.threads, error: null };
}

/** Sets the native thread pool's size (PADDLE_TS_NUM_THREADS at start-up); returns it. */
export function setNumThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: n must be a positive integer, but got ${String(n)}`);
  return native ? native.setNumThreads(n) : 1;
}
// paddle.set_flags({ FLAGS_paddle_num_threads }) sizes this pool (core/threads.ts)
threads.apply = (n) => setNumThreads(n);

/** The native thread pool's size (1 without the addon). */
export function getNumThreads(): number {
  return native ? native.info().threads : 1;
}
/** Switches the instruction set ('avx512', 'avx2', 'generic' or 'auto'); returns the one in use. */
export function selectIsa(name: string): string | null {
  return native ? native.selectIsa(name) : null;
}

export const FLOATS: readonly DType[] = ['float32', 'float64'];

/** Registers `kernel` as the native kernel of `type` for `dtypes` (nothing when the addon is absent). */
export function registerNative(type: string, kernel: Kernel, dtypes: readonly DType[] = FLOATS): void {
  if (native) registerKernel(type, 'native', kernel, dtypes);
}

/**
 * A float32/float64 array of n elements for a kernel to fill completely: not zeroed (the
 * kernel writes every element), backed by its own ArrayBuffer.
 */
export function allocFloats(dtype: DType, n: number): FloatArray {
  if (dtype === 'float64') return n < 64 ? new Float64Array(n) : new Float64Array(Buffer.allocUnsafeSlow(n * 8).buffer, 0, n);
  return n < 64 ? new Float32Array(n) : new Float32Array(Buffer.allocUnsafeSlow(n * 4).buffer, 0, n);
}

const f = (t: Tensor): FloatArray => t.data as FloatArray;
const result = (data: FloatArray, m: Meta): Tensor => new Tensor(data, m.dims.slice(), m.dtype);

/** Shared parameter buffer (kernels run one at a time on the JS thread). */
const P = new Float64Array(32);

// ---------------------------------------------------------------------------------------
// Matrix products: matmul_v2, matmul, mul, bmm, addmm (float32, float64)

/** One operand of a batched product, as the portable kernel's. */
interface Operand {
  data: FloatArray;
  batch: number[];
  rows: number;
  cols: number;
  trans: boolean;
}

function bstrides(dims: readonly number[], outDims: readonly number[]): number[] {
  const nd = outDims.length;
  const lead = nd - dims.length;
  const st = stridesOf(dims);
  const s = new Array<number>(nd).fill(0);
  for (let i = 0; i < dims.length; i++) s[lead + i] = dims[i] === 1 && outDims[lead + i] !== 1 ? 0 : st[i];
  return s;
}

/** Out[b] = alpha * op(X[b]) op(Y[b]) over broadcast batch dims `outBatch`, Out [..outBatch, M, N]. */
function batchedProduct(x: Operand, y: Operand, outBatch: number[], out: FloatArray, alpha: number): void {
  const M = x.trans ? x.cols : x.rows;
  const K = x.trans ? x.rows : x.cols;
  const N = y.trans ? y.rows : y.cols;
  const nb = numel(outBatch);
  if (nb === 0 || M === 0 || N === 0) return;
  P[0] = M; P[1] = N; P[2] = K;
  P[3] = 0; P[4] = x.trans ? 1 : x.cols; P[5] = x.trans ? x.cols : 1;
  P[6] = 0; P[7] = y.trans ? 1 : y.cols; P[8] = y.trans ? y.cols : 1;
  P[9] = 0; P[10] = N; P[11] = 1;
  P[12] = alpha; P[13] = 0;
  const xb = numel(x.batch);
  const yb = numel(y.batch);
  if (nb === 1 || (yb === 1 && !x.trans && xb === nb)) {
    // one GEMM; Y shared by all batches folds the batch into the rows
    P[0] = nb * M;
    native!.gemm(x.data, y.data, out, P);
    return;
  }
  const nd = outBatch.length;
  const sx = bstrides(x.batch, outBatch);
  const sy = bstrides(y.batch, outBatch);
  const xMat = x.rows * x.cols;
  const yMat = y.rows * y.cols;
  const offs = new Float64Array(3 * nb);
  const idx = new Array<number>(nd).fill(0);
  let ox = 0;
  let oy = 0;
  for (let t = 0; t < nb; t++) {
    offs[3 * t] = ox * xMat;
    offs[3 * t + 1] = oy * yMat;
    offs[3 * t + 2] = t * M * N;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      ox += sx[d];
      oy += sy[d];
      if (idx[d] < outBatch[d]) break;
      ox -= sx[d] * outBatch[d];
      oy -= sy[d] * outBatch[d];
      idx[d] = 0;
    }
  }
  native!.gemmBatched(x.data, y.data, out, P, offs);
}

function product(o: Meta, X: Operand, Y: Operand, outBatch: number[], alpha: number): Slots<Tensor> {
  const res = allocFloats(o.dtype, numel(o.dims));
  batchedProduct(X, Y, outBatch, res, alpha);
  return { Out: [result(res, o)] };
}

registerNative('matmul_v2', (ins, attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const x1 = x.dims.length === 1;
  const y1 = y.dims.length === 1;
  const xd = x1 ? [1, x.dims[0]] : x.dims;
  const yd = y1 ? [y.dims[0], 1] : y.dims;
  const X: Operand = { data: f(x), batch: xd.slice(0, -2), rows: xd[xd.length - 2], cols: xd[xd.length - 1], trans: !x1 && !!attrs.trans_x };
  const Y: Operand = { data: f(y), batch: yd.slice(0, -2), rows: yd[yd.length - 2], cols: yd[yd.length - 1], trans: !y1 && !!attrs.trans_y };
  const nb = Math.max(X.batch.length, Y.batch.length);
  return product(o, X, Y, o.dims.slice(0, nb), 1);
});

registerNative('matmul', (ins, attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const vx = matView(x.dims, true);
  const vy = matView(y.dims, false);
  const batch = Math.max(vx.batch, vy.batch);
  const X: Operand = { data: f(x), batch: vx.batch ? [vx.batch] : [], rows: vx.rows, cols: vx.cols, trans: !!attrs.transpose_X };
  const Y: Operand = { data: f(y), batch: vy.batch ? [vy.batch] : [], rows: vy.rows, cols: vy.cols, trans: !!attrs.transpose_Y };
  return product(outs.Out[0], X, Y, batch ? [batch] : [], attrs.alpha as number);
});

registerNative('mul', (ins, attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const s = mulShapes(x.dims, y.dims, attrs.x_num_col_dims, attrs.y_num_col_dims, 'mul');
  const X: Operand = { data: f(x), batch: [], rows: s.x2[0], cols: s.x2[1], trans: false };
  const Y: Operand = { data: f(y), batch: [], rows: s.y2[0], cols: s.y2[1], trans: false };
  return product(outs.Out[0], X, Y, [], 1);
});

registerNative('bmm', (ins, _attrs, outs) => {
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  const X: Operand = { data: f(x), batch: [x.dims[0]], rows: x.dims[1], cols: x.dims[2], trans: false };
  const Y: Operand = { data: f(y), batch: [y.dims[0]], rows: y.dims[1], cols: y.dims[2], trans: false };
  return product(o, X, Y, [o.dims[0]], 1);
});

// addmm: Out = Alpha * X Y + Beta * Input (Input broadcast to [M, N]; not read when Beta = 0)
registerNative('addmm', (ins, attrs, outs) => {
  const inp = ins.Input[0];
  const x = ins.X[0];
  const y = ins.Y[0];
  const o = outs.Out[0];
  if (inp.dtype !== x.dtype || y.dtype !== x.dtype) return undefined;
  const [M, K] = x.dims;
  const N = y.dims[1];
  const res = allocFloats(o.dtype, M * N);
  const beta = attrs.Beta as number;
  if (beta !== 0) {
    const c = f(inp);
    const rs = inp.dims[0] === 1 ? 0 : inp.dims[1];
    const cs = inp.dims[1] === 1 ? 0 : 1;
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) res[i * N + j] = beta * c[i * rs + j * cs];
  }
  P[0] = M; P[1] = N; P[2] = K;
  P[3] = 0; P[4] = K; P[5] = 1;
  P[6] = 0; P[7] = N; P[8] = 1;
  P[9] = 0; P[10] = N; P[11] = 1;
  P[12] = attrs.Alpha as number; P[13] = beta !== 0 ? 1 : 0;
  native!.gemm(f(x), f(y), res, P);
  return { Out: [result(res, o)] };
});

// ---------------------------------------------------------------------------------------
// Convolutions: conv2d, depthwise_conv2d, conv3d, their transposes and *_grad (float32,
// float64). Each is one of three routines on a forward-convolution geometry, as the
// portable kernels: forward, backward data, backward filter.

/** The addon's geometry array from a resolved geometry, the input-side channels C and the filter's dims. */
function convGeo(g: ConvGeom, N: number, C: number, K: number): Float64Array {
  const pad3 = (a: number[], fill: number): number[] => (a.length === 3 ? a : [fill, ...a]);
  const inSp = pad3(g.inSp, 1);
  const outSp = pad3(g.outSp, 1);
  const k = pad3(g.ksize, 1);
  const s = pad3(g.strides, 1);
  const d = pad3(g.dils, 1);
  const before = pad3(g.pads.filter((_, i) => i % 2 === 0), 0);
  return new Float64Array([N, C, K, g.groups, ...inSp, ...outSp, ...k, ...s, ...before, ...d, g.channelLast ? 1 : 0]);
}

function forwardGeo(type: string, x: Tensor, w: Tensor, attrs: Attrs): Float64Array {
  const { geom } = convShape(type, x, w, attrs);
  return convGeo(geom, x.dims[0], geom.channelLast ? x.dims[x.dims.length - 1] : x.dims[1], w.dims[0]);
}
/** The forward convolution behind a transposed call: it maps Output to Input. */
function transposeGeo(type: string, x: Tensor, w: Tensor, attrs: Attrs): Float64Array {
  const { geom } = convTransposeShape(type, x, w, attrs);
  return convGeo(geom, x.dims[0], w.dims[1] * geom.groups, w.dims[0]);
}

/** Adds Bias (one value per channel) and ResidualData to an output in place. */
function addExtras(out: FloatArray, ins: Slots<Tensor>, N: number, K: number, Psp: number, cl: boolean): void {
  const b = ins.Bias?.[0];
  if (b) {
    P[0] = N; P[1] = K; P[2] = Psp; P[3] = cl ? 1 : 0;
    native!.addChannelBias(out, f(b), P);
  }
  const r = ins.ResidualData?.[0];
  if (r) {
    const rv = f(r);
    for (let i = 0; i < out.length; i++) out[i] += rv[i];
  }
}

const geoN = (g: Float64Array): number => g[0];
const geoC = (g: Float64Array): number => g[1];
const geoK = (g: Float64Array): number => g[2];
const geoInP = (g: Float64Array): number => g[4] * g[5] * g[6];
const geoOutP = (g: Float64Array): number => g[7] * g[8] * g[9];

function convKernel(type: string): Kernel {
  return (ins, attrs, outs) => {
    const x = ins.Input[0];
    const w = ins.Filter[0];
    const g = forwardGeo(type, x, w, attrs);
    const m = outs.Output[0];
    const out = allocFloats(m.dtype, numel(m.dims));
    native!.convForward(f(x), f(w), out, g);
    addExtras(out, ins, geoN(g), geoK(g), geoOutP(g), g[22] !== 0);
    return { Output: [result(out, m)] };
  };
}

/** The asked-for gradients of a convolution (conv1's input is data: no Input@GRAD). */
function gradPair(outs: Slots<Meta>, x: Tensor, w: Tensor, data: (dx: FloatArray) => void, filter: (dw: FloatArray) => void): Slots<Tensor> {
  const res: Slots<Tensor> = {};
  const mx = outs['Input@GRAD']?.[0];
  if (mx) {
    const dx = allocFloats(mx.dtype, numel(x.dims));
    data(dx);
    res['Input@GRAD'] = [result(dx, mx)];
  }
  const mw = outs['Filter@GRAD']?.[0];
  if (mw) {
    const dw = allocFloats(mw.dtype, numel(w.dims));
    filter(dw);
    res['Filter@GRAD'] = [result(dw, mw)];
  }
  return res;
}

function convGradKernel(type: string): Kernel {
  return (ins, attrs, outs) => {
    const x = ins.Input[0];
    const w = ins.Filter[0];
    const d = ins['Output@GRAD'][0];
    const g = forwardGeo(type, x, w, attrs);
    return gradPair(outs, x, w, (dx) => native!.convBackwardData(f(d), f(w), dx, g), (dw) => native!.convBackwardFilter(f(x), f(d), dw, g));
  };
}

function convTransposeKernel(type: string): Kernel {
  return (ins, attrs, outs) => {
    const x = ins.Input[0];
    const w = ins.Filter[0];
    const g = transposeGeo(type, x, w, attrs);
    const m = outs.Output[0];
    const out = allocFloats(m.dtype, numel(m.dims));
    native!.convBackwardData(f(x), f(w), out, g);
    addExtras(out, ins, geoN(g), geoC(g), geoInP(g), g[22] !== 0);
    return { Output: [result(out, m)] };
  };
}

function convTransposeGradKernel(type: string): Kernel {
  return (ins, attrs, outs) => {
    const x = ins.Input[0];
    const w = ins.Filter[0];
    const d = ins['Output@GRAD'][0];
    const g = transposeGeo(type, x, w, attrs);
    return gradPair(outs, x, w, (dx) => native!.convForward(f(d), f(w), dx, g), (dw) => native!.convBackwardFilter(f(d), f(x), dw, g));
  };
}

for (const t of ['conv2d', 'depthwise_conv2d', 'conv3d']) {
  registerNative(t, convKernel(t));
  registerNative(`${t}_grad`, convGradKernel(t));
}
for (const t of ['conv2d_transpose', 'depthwise_conv2d_transpose', 'conv3d_transpose']) {
  registerNative(t, convTransposeKernel(t));
  registerNative(`${t}_grad`, convTransposeGradKernel(t));
}

// ---------------------------------------------------------------------------------------
// Pooling: pool2d, pool3d and their grads (float32, float64; float16 stays portable)

function poolParams(x: Tensor, attrs: Attrs, op: string): { p: Float64Array; win: Int32Array; outDims: number[] } {
  const g = poolGeom(x, attrs, op);
  const ws = [0, 1, 2].map((i) => dimWindows(g.inSp[i], g.outSp[i], g.ksize[i], g.strides[i], g.padBefore[i], g.adaptive));
  const win = new Int32Array(3 * (g.outSp[0] + g.outSp[1] + g.outSp[2]));
  let o = 0;
  for (const w of ws) {
    win.set(w.start, o);
    win.set(w.end, o + w.start.length);
    win.set(w.full, o + 2 * w.start.length);
    o += 3 * w.start.length;
  }
  const p = new Float64Array([g.n, g.c, ...g.inSp, ...g.outSp, g.channelLast ? 1 : 0, attrs.pooling_type === 'max' ? 1 : 0, attrs.exclusive || g.adaptive ? 1 : 0]);
  return { p, win, outDims: g.outDims };
}

for (const nd of [2, 3]) {
  const type = `pool${nd}d`;
  registerNative(type, (ins, attrs, outs) => {
    const x = ins.X[0];
    const { p, win } = poolParams(x, attrs, type);
    const m = outs.Out[0];
    const out = allocFloats(m.dtype, numel(m.dims));
    native!.poolForward(f(x), out, p, win);
    return { Out: [result(out, m)] };
  });
  registerNative(`${type}_grad`, (ins, attrs, outs) => {
    const x = ins.X[0];
    const y = ins.Out?.[0];
    const dy = ins['Out@GRAD'][0];
    const max = attrs.pooling_type === 'max';
    if ((max && !y) || dy.dtype !== x.dtype || (y && y.dtype !== x.dtype)) return undefined;
    const { p, win } = poolParams(x, attrs, `${type}_grad`);
    const m = outs['X@GRAD'][0];
    const dx = allocFloats(m.dtype, numel(x.dims));
    native!.poolBackward(f(x), y ? f(y) : f(dy), f(dy), dx, p, win);
    return { 'X@GRAD': [result(dx, m)] };
  });
}

// ---------------------------------------------------------------------------------------
// Elementwise family (csrc/elementwise.cc): elementwise_add/sub/mul/div with same-shape,
// scalar and bias-style broadcasting (Y's non-1 dims one contiguous run of Out's dims),
// relu/sigmoid/tanh/exp, relu_grad, softmax_with_cross_entropy (+ _grad) over the last axis
// with hard int64 labels, reduce_sum around one kept run of axes (or all), and the sgd / momentum /
// adam updates in place. Anything else declines, so the portable kernel runs.

/**
 * Below this many elements the elementwise and update kernels decline: the portable loop is
 * faster than the native call's fixed cost there (a 1-element add: 0.27 us portable, 1.0 us
 * native; they meet near 256). Tests set it to 0 to check the native loops on small shapes.
 */
export const nativeTuning = { minElements: 256 };

/** y's dims (aligned to out's rank) as [n, post] if its non-1 dims are one run equal to out's, else null. */
function biasPattern(yd: readonly number[], od: readonly number[]): [number, number] | null {
  const lead = od.length - yd.length;
  if (lead < 0) return null;
  let first = -1;
  let last = -1;
  for (let i = 0; i < yd.length; i++) {
    if (yd[i] !== 1) {
      if (first < 0) first = i + lead;
      last = i + lead;
    }
  }
  if (first < 0) return [1, numel(od)];
  let n = 1;
  for (let i = first; i <= last; i++) {
    if (yd[i - lead] !== od[i]) return null;
    n *= od[i];
  }
  let post = 1;
  for (let i = last + 1; i < od.length; i++) post *= od[i];
  return [n, post];
}
const sameDims = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const BIN_CODES: Record<string, [number, number]> = {
  elementwise_add: [0, 0],
  elementwise_sub: [1, 4],
  elementwise_mul: [2, 2],
  elementwise_div: [3, 5],
};
for (const [type, [code, swapped]] of Object.entries(BIN_CODES)) {
  registerNative(type, (ins, attrs, outs) => {
    const x = ins.X[0];
    const y = ins.Y[0];
    const o = outs.Out[0];
    if (y.dtype !== x.dtype || o.dtype !== x.dtype) return undefined;
    const total = numel(o.dims);
    if (total < nativeTuning.minElements) return undefined;
    const res = allocFloats(o.dtype, total);
    if (total === 0) return { Out: [result(res, o)] };
    const ya = attrs.axis === -1 || y.dims.length >= x.dims.length ? y.dims : alignY(x.dims, y.dims, attrs.axis as number, type);
    let a = x;
    let b = y;
    let op = code;
    let pat = sameDims(x.dims, o.dims) ? biasPattern(ya, o.dims) : null;
    if (!pat && sameDims(ya, o.dims) && numel(y.dims) === total) {
      pat = biasPattern(x.dims, o.dims);
      a = y;
      b = x;
      op = swapped;
    }
    if (!pat) return undefined;
    P[0] = op; P[1] = total; P[2] = pat[0]; P[3] = pat[1];
    native!.ewBinary(f(a), f(b), res, P);
    return { Out: [result(res, o)] };
  });
}

const UN_CODES: Record<string, number> = { relu: 0, sigmoid: 1, tanh: 2, exp: 3 };
for (const [type, code] of Object.entries(UN_CODES)) {
  registerNative(type, (ins, _attrs, outs) => {
    const x = ins.X[0];
    const o = outs.Out[0];
    const n = numel(x.dims);
    if (o.dtype !== x.dtype || n < nativeTuning.minElements) return undefined;
    const res = allocFloats(o.dtype, n);
    P[0] = code; P[1] = n;
    if (n > 0) native!.ewUnary(f(x), res, P);
    return { Out: [result(res, o)] };
  });
}

registerNative('relu_grad', (ins, _attrs, outs) => {
  const y = ins.Out[0];
  const d = ins['Out@GRAD'][0];
  const m = outs['X@GRAD'][0];
  const n = numel(y.dims);
  if (d.dtype !== y.dtype || m.dtype !== y.dtype || numel(d.dims) !== n || n < nativeTuning.minElements) return undefined;
  const res = allocFloats(m.dtype, n);
  P[0] = n;
  if (n > 0) native!.reluGrad(f(y), f(d), res, P);
  return { 'X@GRAD': [result(res, m)] };
});

/** [rows, C] of a hard-label, last-axis call, or null. */
function sceRows(t: Tensor, label: Tensor, attrs: Attrs): [number, number] | null {
  const nd = t.dims.length;
  const axis = (attrs.axis as number) < 0 ? (attrs.axis as number) + nd : (attrs.axis as number);
  if (attrs.soft_label || axis !== nd - 1 || !(label.data instanceof BigInt64Array)) return null;
  const C = t.dims[nd - 1];
  const rows = numel(t.dims.slice(0, -1));
  if (C < 1 || label.data.length !== rows) return null;
  return [rows, C];
}

registerNative('softmax_with_cross_entropy', (ins, attrs, outs) => {
  const x = ins.Logits[0];
  const label = ins.Label[0];
  const sm = outs.Softmax[0];
  const lm = outs.Loss[0];
  const rc = sceRows(x, label, attrs);
  if (!rc || sm.dtype !== x.dtype || lm.dtype !== x.dtype) return undefined;
  const soft = allocFloats(sm.dtype, rc[0] * rc[1]);
  const loss = allocFloats(lm.dtype, rc[0]);
  if (rc[0] > 0) {
    P[0] = rc[0]; P[1] = rc[1]; P[2] = attrs.ignore_index as number;
    if (native!.softmaxCE(f(x), label.data as BigInt64Array, soft, loss, P) >= 0) return undefined; // bad label: the portable kernel raises
  }
  return { Softmax: [result(soft, sm)], Loss: [result(loss, lm)] };
});

registerNative('softmax_with_cross_entropy_grad', (ins, attrs, outs) => {
  const s = ins.Softmax[0];
  const label = ins.Label[0];
  const dl = ins['Loss@GRAD'][0];
  const gm = outs['Logits@GRAD'][0];
  const rc = sceRows(s, label, attrs);
  if (!rc || dl.dtype !== s.dtype || gm.dtype !== s.dtype || numel(dl.dims) !== rc[0]) return undefined;
  const g = allocFloats(gm.dtype, rc[0] * rc[1]);
  if (rc[0] > 0) {
    P[0] = rc[0]; P[1] = rc[1]; P[2] = attrs.ignore_index as number;
    if (native!.softmaxCEGrad(f(s), label.data as BigInt64Array, f(dl), g, P) >= 0) return undefined;
  }
  return { 'Logits@GRAD': [result(g, gm)] };
});

registerNative('reduce_sum', (ins, attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  if (o.dtype !== x.dtype) return undefined;
  const nd = x.dims.length;
  const dims = ((attrs.dim as number[] | undefined) ?? []).map((d) => (d < 0 ? d + nd : d));
  const all = !!attrs.reduce_all || nd === 0 || dims.length === 0 || new Set(dims).size === nd;
  // the kept axes must be one contiguous run [k0, k1): x is then [R, C, B] summed over R and B
  let k0 = nd;
  let k1 = nd;
  if (!all) {
    const set = new Set(dims);
    k0 = 0;
    while (k0 < nd && set.has(k0)) k0++;
    k1 = k0;
    while (k1 < nd && !set.has(k1)) k1++;
    for (let i = k1; i < nd; i++) if (!set.has(i)) return undefined;
  }
  const R = numel(x.dims.slice(0, k0));
  const C = numel(x.dims.slice(k0, k1));
  const B = numel(x.dims.slice(k1));
  const out = allocFloats(o.dtype, numel(o.dims));
  if (out.length !== C) return undefined;
  if (C === 0) return { Out: [result(out, o)] };
  if (R === 0 || B === 0) {
    out.fill(0);
    return { Out: [result(out, o)] };
  }
  P[0] = R; P[1] = C; P[2] = B;
  native!.sumRows(f(x), out, P);
  return { Out: [result(out, o)] };
});

/** A one-element float tensor's value, or NaN (declines). */
const scalarOf = (t: Tensor | undefined, dflt: number): number =>
  !t ? dflt : t.data instanceof Float32Array || t.data instanceof Float64Array ? t.data[0] : NaN;
/**
 * Same float storage type and length, none a SelectedRows (sparse gradients run in JS), and
 * large enough for the native call to pay (nativeTuning).
 */
const sameFloat = (a: Tensor, ...ts: Tensor[]): boolean =>
  a.data.length >= nativeTuning.minElements &&
  ts.every((t) => t.data.constructor === a.data.constructor && t.data.length === a.data.length && t.type !== 'SELECTED_ROWS');

registerNative('sgd', (ins) => {
  const p = ins.Param[0];
  const g = ins.Grad[0];
  const lr = scalarOf(ins.LearningRate[0], 0);
  if (!sameFloat(p, g) || Number.isNaN(lr)) return undefined;
  P[0] = p.data.length; P[1] = lr;
  native!.update(0, f(p), f(g), null, null, P);
  p.ver.v++;
  return { ParamOut: [p] };
});

registerNative('momentum', (ins, attrs) => {
  const p = ins.Param[0];
  const g = ins.Grad[0];
  const v = ins.Velocity[0];
  const lr = scalarOf(ins.LearningRate[0], 0);
  if (ins.MasterParam?.[0] || !sameFloat(p, g, v) || Number.isNaN(lr)) return undefined;
  P[0] = p.data.length; P[1] = lr; P[2] = attrs.mu as number; P[3] = (attrs.rescale_grad as number | undefined) ?? 1;
  P[4] = attrs.regularization_method === 'l2_decay' ? (attrs.regularization_coeff as number) : 0;
  P[5] = attrs.use_nesterov ? 1 : 0;
  native!.update(1, f(p), f(g), f(v), null, P);
  p.ver.v++;
  v.ver.v++;
  return { ParamOut: [p], VelocityOut: [v] };
});

registerNative('adam', (ins, attrs) => {
  const p = ins.Param[0];
  const g = ins.Grad[0];
  const m1 = ins.Moment1[0];
  const m2 = ins.Moment2[0];
  const b1p = ins.Beta1Pow[0];
  const b2p = ins.Beta2Pow[0];
  const beta1 = scalarOf(ins.Beta1Tensor?.[0], attrs.beta1 as number);
  const beta2 = scalarOf(ins.Beta2Tensor?.[0], attrs.beta2 as number);
  const lr0 = scalarOf(ins.LearningRate[0], 0);
  const pow1 = scalarOf(b1p, NaN);
  const pow2 = scalarOf(b2p, NaN);
  if (ins.MasterParam?.[0] || !sameFloat(p, g, m1, m2) || [beta1, beta2, lr0, pow1, pow2].some(Number.isNaN)) return undefined;
  P[0] = p.data.length;
  P[1] = (lr0 * Math.sqrt(1 - pow2)) / (1 - pow1);
  P[2] = beta1; P[3] = beta2; P[4] = (attrs.epsilon as number) * Math.sqrt(1 - pow2); P[5] = 0;
  native!.update(2, f(p), f(g), f(m1), f(m2), P);
  f(b1p)[0] = beta1 * pow1;
  f(b2p)[0] = beta2 * pow2;
  for (const t of [p, m1, m2, b1p, b2p]) t.ver.v++;
  return { ParamOut: [p], Moment1Out: [m1], Moment2Out: [m2], Beta1PowOut: [b1p], Beta2PowOut: [b2p] };
});

// ---------------------------------------------------------------------------------------

if (native && !backendOrder.includes('native')) {
  backendOrder.unshift('native');
  resortKernels();
}
