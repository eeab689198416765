// Native elementwise-family kernels against the portable kernels: add/sub/mul/div with
// same-shape, scalar and bias broadcasting (both operand orders, fluid axis), relu, sigmoid,
// tanh, exp, relu_grad, softmax_with_cross_entropy (+ grad, hard labels, ignore_index),
// reduce_sum over leading axes and all, and the sgd / momentum / adam updates; odd sizes,
// size-1 and zero-size dims, large sizes (thread pool), float32 and float64. Unsupported
// patterns must decline so the portable kernel runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeArrays, compare, info, randTensor, rng, skip, withThreads } from './helpers.js';
import { withDefaults } from '../../../src/core/dispatch.js';
import { getOp, runKernelOn, type Slots } from '../../../src/core/registry.js';
import { Tensor } from '../../../src/core/tensor.js';

type DT = 'float32' | 'float64';
const DTS: DT[] = ['float32', 'float64'];

function labels(rows: number, C: number, r: () => number, ignore?: number): Tensor {
  const a = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) a[i] = ignore !== undefined && r() > 0.6 ? BigInt(ignore) : BigInt(Math.floor(((r() + 1) / 2) * C) % C);
  return new Tensor(a, [rows, 1], 'int64');
}

test('elementwise binary ops: same shape, scalar, bias patterns', { skip }, () => {
  const r = rng(7);
  const cases: [number[], number[], number, boolean][] = [
    [[5, 7], [5, 7], -1, true],
    [[0, 3], [0, 3], -1, true],
    [[1], [1], -1, true],
    [[33, 17], [1], -1, true],
    [[129, 31], [31], -1, true],
    [[128, 256], [256], -1, true],
    [[64, 10], [10], 1, true],
    [[3, 6, 5, 7], [6], 1, true],
    [[3, 6, 5, 7], [1, 6, 1, 1], -1, true],
    [[2, 3, 4, 5], [3, 4], 1, true],
    [[1, 1, 1, 1], [1, 1, 1, 1], -1, true],
    [[4, 0, 3], [3], -1, true],
    [[300, 1001], [1001], -1, true], // threaded
    [[1 << 18], [1 << 18], -1, true],
    [[8, 5], [8, 1], -1, true],
    // declined: both sides broadcast, or y's non-1 dims not one run
    [[4, 1], [1, 5], -1, false],
    [[3, 4, 5], [3, 1, 5], -1, false],
  ];
  for (const type of ['elementwise_add', 'elementwise_sub', 'elementwise_mul', 'elementwise_div']) {
    for (const dt of DTS) {
      for (const [xs, ys, axis, handled] of cases) {
        const x = randTensor(xs, dt, r);
        const y = randTensor(ys, dt, r);
        const lbl = `${dt} ${JSON.stringify(xs)} ${JSON.stringify(ys)} axis=${axis}`;
        assert.equal(compare(type, { X: [x], Y: [y] }, { axis }, {}, lbl), handled, `${type} ${lbl}: handled`);
        // swapped operands: X broadcast into Y's shape
        if (axis === -1 && ys.length <= xs.length) {
          const ok = compare(type, { X: [y], Y: [x] }, { axis }, {}, `swapped ${lbl}`);
          if (handled && xs.length === ys.length) assert.ok(ok || !handled, `${type} swapped ${lbl}`);
        }
      }
    }
  }
});

test('unary ops: relu, sigmoid, tanh, exp, relu_grad', { skip }, () => {
  const r = rng(11);
  for (const dt of DTS) {
    for (const shape of [[0], [1], [7, 3], [1023], [3, 100003], [2, 1, 5]]) {
      for (const type of ['relu', 'sigmoid', 'tanh', 'exp']) {
        const x = randTensor(shape, dt, r);
        const d = x.data as Float32Array;
        // wide range, tiny values and specials
        for (let i = 0; i < d.length; i++) if (i % 3 === 0) d[i] *= 30;
        if (d.length > 10) {
          d[1] = 1e-9; d[2] = -3e-5; d[4] = 0; d[5] = Infinity; d[6] = -Infinity; d[7] = NaN; d[8] = 700; d[9] = -740;
        }
        assert.ok(compare(type, { X: [x] }, {}, {}, `${dt} ${JSON.stringify(shape)}`), `${type} declined`);
      }
      const y = randTensor(shape, dt, r);
      const g = randTensor(shape, dt, r);
      assert.ok(compare('relu_grad', { Out: [y], 'Out@GRAD': [g] }, {}, {}, `${dt} ${JSON.stringify(shape)}`));
    }
  }
});

test('exp over the float range, subnormal results included', { skip }, () => {
  for (const dt of DTS) {
    const n = 4001;
    const a = dt === 'float32' ? new Float32Array(n) : new Float64Array(n);
    const lo = dt === 'float32' ? -104 : -746;
    const hi = dt === 'float32' ? 89 : 710;
    for (let i = 0; i < n; i++) a[i] = lo + ((hi - lo) * i) / (n - 1);
    const x = new Tensor(a, [n], dt);
    // relative comparison element by element (values span hundreds of orders of magnitude)
    const js = runKernelOn('js', 'exp', { X: [x] }, {}, { Out: [{ dims: [n], dtype: dt }] } as never)!.Out[0].data as Float64Array;
    for (const isa of info.isas) {
      const nat = withIsa(isa, () => runKernelOn('native', 'exp', { X: [x] }, {}, { Out: [{ dims: [n], dtype: dt }] } as never)!.Out[0].data as Float64Array);
      const eps = dt === 'float32' ? 1.2e-7 : 2.2e-16;
      for (let i = 0; i < n; i++) {
        const w = js[i], g = nat[i];
        if (w === g) continue;
        const min = dt === 'float32' ? 1.2e-38 : 2.3e-308;
        // subnormals: absolute error of an ulp of the smallest normal
        assert.ok(Math.abs(g - w) <= 4 * eps * Math.abs(w) || Math.abs(g - w) <= 2 * eps * min, `exp ${dt} [${isa}] x=${a[i]}: ${g} vs ${w}`);
      }
    }
  }
});

import { selectIsa } from '../../../src/backends/native/index.js';
function withIsa<T>(isa: string, fn: () => T): T {
  selectIsa(isa);
  try {
    return fn();
  } finally {
    selectIsa('auto');
  }
}

test('softmax_with_cross_entropy and its grad (hard labels, last axis)', { skip }, () => {
  const r = rng(3);
  for (const dt of DTS) {
    for (const [rows, C] of [[1, 1], [5, 10], [128, 10], [7, 333], [0, 4], [2000, 100]]) {
      for (const ignore of [-100, 2]) {
        const x = randTensor([rows, C], dt, r);
        const xd = x.data as Float32Array;
        for (let i = 0; i < xd.length; i++) xd[i] *= 8;
        const lb = labels(rows, C, r, ignore === -100 ? undefined : ignore);
        const attrs = { ignore_index: ignore };
        const lbl = `${dt} [${rows}, ${C}] ignore=${ignore}`;
        assert.ok(compare('softmax_with_cross_entropy', { Logits: [x], Label: [lb] }, attrs, { reduce: C }, lbl), `declined ${lbl}`);
        const def = getOp('softmax_with_cross_entropy');
        const a = withDefaults(def, { ...attrs });
        const sm = runKernelOn('js', 'softmax_with_cross_entropy', { Logits: [x], Label: [lb] }, a, def.infer({ Logits: [x], Label: [lb] }, a))!.Softmax[0];
        const dl = randTensor([rows, 1], dt, r);
        assert.ok(compare('softmax_with_cross_entropy_grad', { Softmax: [sm], Label: [lb], 'Loss@GRAD': [dl] }, attrs, {}, lbl), `grad declined ${lbl}`);
      }
    }
    // 3-D logits, last axis
    const x3 = randTensor([3, 4, 6], dt, r);
    const l3 = new Tensor(BigInt64Array.from([0, 5, 2, 3, 1, 1, 4, 0, 2, 5, 3, 3], BigInt), [3, 4, 1], 'int64');
    assert.ok(compare('softmax_with_cross_entropy', { Logits: [x3], Label: [l3] }, {}, { reduce: 6 }, '3-D'));
    // declined: soft labels, other axis
    const xs = randTensor([4, 5], dt, r);
    const soft = randTensor([4, 5], dt, r);
    assert.equal(compare('softmax_with_cross_entropy', { Logits: [xs], Label: [soft] }, { soft_label: true }, { reduce: 5 }, 'soft'), false);
    const la = new Tensor(BigInt64Array.from([0, 1, 2, 3, 0], BigInt), [1, 5], 'int64');
    assert.equal(compare('softmax_with_cross_entropy', { Logits: [xs], Label: [la] }, { axis: 0 }, { reduce: 4 }, 'axis 0'), false);
  }
});

test('softmax_with_cross_entropy: a bad label still raises the portable error', { skip }, async () => {
  const paddle = await import('../../../src/index.js');
  const x = paddle.to_tensor([[1, 2, 3]], 'float32');
  const l = paddle.to_tensor([[7]], 'int64');
  assert.throws(() => paddle.nn.functional.softmax_with_cross_entropy(x, l), /out of range/);
});

test('reduce_sum around one kept run of axes (leading, trailing, a conv bias\'s channel) and all', { skip }, () => {
  const r = rng(5);
  for (const dt of DTS) {
    const cases: [number[], Record<string, unknown>, boolean][] = [
      [[128, 256], { dim: [0] }, true],
      [[7, 3], { dim: [0], keep_dim: true }, true],
      [[4, 6, 5, 3], { dim: [0, 2, 3] }, true],
      [[64, 6, 28, 28], { dim: [0, 2, 3] }, true],
      [[4, 6, 5, 3], { dim: [1, 3] }, false],
      [[4, 6, 5, 3], { dim: [0, 2] }, false],
      [[4, 6, 5, 3], { dim: [0, 1] }, true],
      [[4, 6, 5], { dim: [1, 0] }, true],
      [[4, 6, 5], { dim: [-3] }, true],
      [[33, 17], { reduce_all: true }, true],
      [[100003], { dim: [0] }, true],
      [[5, 4], { dim: [1] }, true],
      [[0, 4], { dim: [0] }, true],
      [[1], { dim: [0] }, true],
      [[3000, 500], { dim: [0] }, true],
    ];
    for (const [shape, attrs, handled] of cases) {
      const x = randTensor(shape, dt, r);
      const red = shape.reduce((a, b) => a * b, 1);
      assert.equal(compare('reduce_sum', { X: [x] }, attrs, { reduce: red }, `${dt} ${JSON.stringify(shape)} ${JSON.stringify(attrs)}`), handled);
    }
  }
});

/** Runs an in-place update op on copies of its inputs with each backend and compares every tensor. */
function compareUpdate(type: string, mk: () => Record<string, Tensor[]>, attrs: Record<string, unknown>, label: string): void {
  const def = getOp(type);
  const a = withDefaults(def, { ...attrs });
  const base = mk();
  const copy = (): Record<string, Tensor[]> => Object.fromEntries(Object.entries(base).map(([k, ts]) => [k, ts.map((t) => new Tensor(t.data.slice() as Float32Array, t.dims.slice(), t.dtype))]));
  const insJ = copy();
  const outs = def.infer(insJ, a);
  assert.ok(runKernelOn('js', type, insJ, { ...a }, outs));
  for (const isa of info.isas) {
    const insN = copy();
    const got = withIsa(isa, () => runKernelOn('native', type, insN, { ...a }, outs));
    assert.ok(got, `${type} ${label}: declined`);
    for (const k of Object.keys(insJ)) {
      closeArrays(insN[k][0].data as Float32Array, insJ[k][0].data as Float32Array, insJ[k][0].dtype, 4, `${type} ${label} [${isa}] ${k}`);
    }
  }
}

test('sgd, momentum and adam updates in place', { skip }, () => {
  const r = rng(9);
  for (const dt of DTS) {
    for (const n of [[1], [0], [7, 5], [256, 784], [300001]]) {
      const lr = () => new Tensor(dt === 'float32' ? new Float32Array([0.05]) : new Float64Array([0.05]), [1], dt);
      const s = (v: number) => new Tensor(dt === 'float32' ? new Float32Array([v]) : new Float64Array([v]), [1], dt);
      compareUpdate('sgd', () => ({ Param: [randTensor(n, dt, r)], Grad: [randTensor(n, dt, r)], LearningRate: [lr()] }), {}, `${dt} ${n}`);
      for (const nesterov of [false, true])
        compareUpdate('momentum', () => ({ Param: [randTensor(n, dt, r)], Grad: [randTensor(n, dt, r)], Velocity: [randTensor(n, dt, r)], LearningRate: [lr()] }),
          { mu: 0.9, use_nesterov: nesterov, regularization_method: 'l2_decay', regularization_coeff: 0.01, rescale_grad: 0.5 }, `${dt} ${n} nesterov=${nesterov}`);
      compareUpdate('adam', () => {
        const m2 = randTensor(n, dt, r);
        const d = m2.data as Float32Array;
        for (let i = 0; i < d.length; i++) d[i] = Math.abs(d[i]);
        return { Param: [randTensor(n, dt, r)], Grad: [randTensor(n, dt, r)], Moment1: [randTensor(n, dt, r)], Moment2: [m2], LearningRate: [lr()], Beta1Pow: [s(0.9 ** 3)], Beta2Pow: [s(0.999 ** 3)] };
      }, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, `${dt} ${n}`);
    }
  }
});

test('threaded and single-threaded results agree', { skip }, () => {
  const r = rng(13);
  const x = randTensor([2100, 1001], 'float32', r);
  const y = randTensor([1001], 'float32', r);
  for (const type of ['elementwise_add', 'exp', 'softmax_with_cross_entropy']) {
    const ins: Slots<Tensor> = type === 'exp' ? { X: [x] } : type === 'elementwise_add' ? { X: [x], Y: [y] } : { Logits: [x], Label: [labels(2100, 1001, r)] };
    const def = getOp(type);
    const a0 = withDefaults(def, {});
    const run = () => runKernelOn('native', type, ins, { ...a0 }, def.infer(ins, a0))!;
    const a = withThreads(1, () => Object.values(run()).map((ts) => ts[0].data));
    const b = withThreads(Math.max(2, info.threads), () => Object.values(run()).map((ts) => ts[0].data));
    assert.deepEqual(a, b, type);
  }
});
