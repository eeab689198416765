// Native convolutions (conv2d, depthwise_conv2d, conv3d, the transposed ones and every
// *_grad) against the portable kernels, on every instruction set the CPU has: random
// geometries over strides, dilations, groups (depthwise included), explicit symmetric and
// asymmetric paddings, SAME and VALID, both data formats, size-1 and zero-size batches, with
// Bias and ResidualData; plus targeted cases for each internal path (1x1, padded grid,
// im2col, backward data through the flipped filter and through col2im).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, randTensor, rng, skip, withThreads } from './helpers.js';
import type { Tensor } from '../../../src/core/tensor.js';

type DT = 'float32' | 'float64';

interface Geometry {
  type: string;
  nsp: 2 | 3;
  N: number; C: number; K: number; groups: number;
  sp: number[]; k: number[];
  attrs: Record<string, unknown>;
}

function layoutShape(N: number, C: number, sp: number[], cl: boolean): number[] {
  return cl ? [N, ...sp, C] : [N, C, ...sp];
}

/** Runs the forward op and its grad op on both backends; false if the geometry is invalid. */
function check(g: Geometry, dt: DT, r: () => number, label: string): boolean {
  const transposed = g.type.includes('transpose');
  const cl = g.attrs.data_format === 'NHWC' || g.attrs.data_format === 'NDHWC';
  const x = randTensor(layoutShape(g.N, g.C, g.sp, cl), dt, r);
  // forward filters are [K, C/groups, k...]; transposed ones [C, K/groups, k...]
  const w = randTensor(transposed ? [g.C, g.K / g.groups, ...g.k] : [g.K, g.C / g.groups, ...g.k], dt, r);
  const ins: Record<string, Tensor[]> = { Input: [x], Filter: [w] };
  const reduce = (transposed ? g.K / g.groups : g.C / g.groups) * g.k.reduce((a, b) => a * b, 1);
  let outDims: number[];
  try {
    // infer through compare's first step; invalid geometries throw here
    const { getOp } = requireRegistry();
    const { withDefaults } = requireDispatch();
    const def = getOp(g.type);
    outDims = def.infer(ins, withDefaults(def, { ...g.attrs })).Output[0].dims;
  } catch {
    return false;
  }
  const Kout = cl ? outDims[outDims.length - 1] : outDims[1];
  if (r() < 0.3 && g.nsp === 2) ins.Bias = [randTensor([Kout], dt, r)];
  if (!transposed && r() < 0.2) ins.ResidualData = [randTensor(outDims, dt, r)];
  assert.ok(compare(g.type, ins, g.attrs, { reduce }, `${label} forward`), `${label}: the native kernel declined`);
  const d = randTensor(outDims, dt, r);
  const gradIns = { Input: [x], Filter: [w], 'Output@GRAD': [d] };
  const outP = outDims.reduce((a, b) => a * b, 1) / Math.max(1, Kout);
  assert.ok(compare(`${g.type}_grad`, gradIns, g.attrs, { reduce: Math.max(reduce, outP * Kout) }, `${label} grad`), `${label}: the native grad kernel declined`);
  return true;
}

// lazy imports kept synchronous through the already-loaded modules
import * as registry from '../../../src/core/registry.js';
import * as dispatch from '../../../src/core/dispatch.js';
const requireRegistry = () => registry;
const requireDispatch = () => dispatch;

function randomGeometry(r: () => number, type: string, nsp: 2 | 3): Geometry {
  const pick = <T>(a: T[]): T => a[Math.floor(((r() + 1) / 2) * a.length) % a.length];
  const transposed = type.includes('transpose');
  const depthwise = type.startsWith('depthwise');
  const groups = depthwise ? pick([1, 2, 3, 4]) : pick([1, 1, 1, 2, 3]);
  const C = depthwise ? groups : groups * pick([1, 2, 3, 5]);
  const K = depthwise ? groups * pick([1, 1, 2]) : groups * pick([1, 2, 4, 7]);
  const sp = Array.from({ length: nsp }, () => pick(nsp === 2 ? [1, 3, 5, 6, 8, 11] : [1, 3, 4, 6]));
  const k = Array.from({ length: nsp }, () => pick([1, 2, 3, 3, 5]));
  const strides = Array.from({ length: nsp }, () => pick([1, 1, 2, 3]));
  const dilations = Array.from({ length: nsp }, () => pick([1, 1, 1, 2]));
  const padKind = pick(['sym', 'asym', 'zero', 'SAME', 'VALID']);
  let paddings: number[];
  if (padKind === 'asym') paddings = Array.from({ length: 2 * nsp }, () => pick([0, 1, 2, 3]));
  else if (padKind === 'zero') paddings = new Array(nsp).fill(0);
  else paddings = Array.from({ length: nsp }, () => pick([0, 1, 2]));
  const cl = r() < 0.35;
  const attrs: Record<string, unknown> = {
    strides, dilations, paddings, groups,
    padding_algorithm: padKind === 'SAME' || padKind === 'VALID' ? padKind : 'EXPLICIT',
    data_format: nsp === 2 ? (cl ? 'NHWC' : 'NCHW') : cl ? 'NDHWC' : 'NCDHW',
  };
  // transposed: C is the op's input channels (filter dim 0), K its output channels
  if (transposed) {
    if (r() < 0.3) attrs.output_padding = strides.map((s, i) => (s > 1 || dilations[i] > 1 ? Math.min(1, Math.max(s, dilations[i]) - 1) : 0));
    return { type, nsp, N: pick([1, 2, 3]), C: depthwise ? groups : C, K: depthwise ? groups * pick([1, 2]) : K, groups, sp, k, attrs };
  }
  return { type, nsp, N: pick([1, 2, 3]), C, K, groups, sp, k, attrs };
}

for (const [type, nsp, count] of [
  ['conv2d', 2, 70], ['depthwise_conv2d', 2, 30], ['conv3d', 3, 25],
  ['conv2d_transpose', 2, 40], ['depthwise_conv2d_transpose', 2, 15], ['conv3d_transpose', 3, 15],
] as const) {
  test(`${type}: random geometries against the portable kernel`, { skip }, () => {
    const r = rng(100 + type.length * 7 + nsp);
    let ran = 0;
    for (let i = 0; ran < count && i < count * 20; i++) {
      const g = randomGeometry(r, type, nsp);
      const dt: DT = i % 3 === 0 ? 'float64' : 'float32';
      if (check(g, dt, r, `#${i} ${dt} ${JSON.stringify({ N: g.N, C: g.C, K: g.K, sp: g.sp, k: g.k, ...g.attrs })}`)) ran++;
    }
    assert.ok(ran >= count * 0.8, `only ${ran} valid geometries`);
  });
}

const geo = (type: string, N: number, C: number, K: number, sp: number[], k: number[], attrs: Record<string, unknown>): Geometry => ({
  type, nsp: sp.length as 2 | 3, N, C, K, groups: (attrs.groups as number) ?? 1, sp, k,
  attrs: { strides: sp.map(() => 1), paddings: sp.map(() => 0), dilations: sp.map(() => 1), groups: 1, ...attrs },
});

test('conv2d: each internal path (1x1, padded grid, im2col, backward data by flipped filter and by col2im)', { skip }, () => {
  const r = rng(7);
  const cases: [string, Geometry][] = [
    ['1x1 NCHW', geo('conv2d', 2, 20, 36, [9, 7], [1, 1], {})],
    ['1x1 NHWC groups 2', geo('conv2d', 2, 20, 36, [9, 7], [1, 1], { groups: 2, data_format: 'NHWC' })],
    ['grid 3x3 pad 1', geo('conv2d', 3, 16, 40, [17, 15], [3, 3], { paddings: [1, 1] })],
    ['grid 3x3 pad 1 NHWC', geo('conv2d', 2, 16, 40, [17, 15], [3, 3], { paddings: [1, 1], data_format: 'NHWC' })],
    ['grid 5x5 dilation 2 asym pads', geo('conv2d', 2, 8, 12, [20, 21], [5, 3], { paddings: [2, 4, 0, 1], dilations: [2, 1] })],
    ['im2col stride 2', geo('conv2d', 2, 12, 20, [19, 18], [3, 3], { strides: [2, 2], paddings: [1, 1] })],
    ['pad larger than the kernel (col2im)', geo('conv2d', 2, 6, 10, [7, 8], [3, 3], { paddings: [3, 4] })],
    ['1xK kernels', geo('conv2d', 1, 4, 8, [1, 30], [1, 5], { paddings: [0, 2] })],
    ['groups 4 grid', geo('conv2d', 2, 16, 32, [10, 10], [3, 3], { groups: 4, paddings: [1, 1] })],
    ['zero batch', geo('conv2d', 0, 4, 6, [5, 5], [3, 3], { paddings: [1, 1] })],
    ['big enough for threads', geo('conv2d', 4, 32, 64, [28, 28], [3, 3], { paddings: [1, 1] })],
    ['conv3d grid', geo('conv3d', 2, 6, 10, [6, 7, 8], [3, 3, 3], { paddings: [1, 1, 1] })],
    ['conv3d NDHWC stride 2', geo('conv3d', 2, 6, 10, [6, 7, 8], [3, 2, 3], { strides: [2, 1, 2], data_format: 'NDHWC' })],
    ['depthwise NCHW', geo('depthwise_conv2d', 2, 32, 32, [20, 20], [3, 3], { groups: 32, paddings: [1, 1] })],
    ['depthwise NHWC multiplier 2', geo('depthwise_conv2d', 2, 8, 16, [9, 10], [3, 3], { groups: 8, paddings: [1, 1], data_format: 'NHWC' })],
    ['transpose stride 2', geo('conv2d_transpose', 2, 16, 12, [9, 8], [4, 4], { strides: [2, 2], paddings: [1, 1] })],
  ];
  for (const dt of ['float32', 'float64'] as DT[])
    for (const [name, g] of cases) assert.ok(check(g, dt, r, `${name} ${dt}`), `${name}: invalid geometry`);
});

test('convolution results do not depend on the thread count', { skip }, () => {
  const r = rng(8);
  const g = geo('conv2d', 3, 16, 24, [14, 13], [3, 3], { paddings: [1, 1] });
  for (const n of [1, 2, 3]) withThreads(n, () => assert.ok(check(g, 'float32', r, `threads=${n}`)));
});
