// fluid.layers control flow: tensor arrays, cond / case / switch_case, while_loop / While,
// Switch, IfElse, StaticRNN and DynamicRNN, in dygraph (plain JS control flow) and in static
// programs (conditional_block, while, select_input, recurrent...), with gradients through them
// checked against finite differences by re-running the program.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const { fluid } = paddle;
const L = fluid.layers;
const place = new paddle.CPUPlace();
type V = paddle.static.Variable;

let seed = 7;
function rnd(n: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return lo + (hi - lo) * (seed / 2 ** 32);
  });
}
function f64(data: ArrayLike<number>, shape: number[], lod: number[][] = []): Tensor {
  const t = paddle.to_tensor(Float64Array.from(data)).reshape(shape);
  t.lod = lod.map((l) => l.slice());
  return t;
}
const vals = (t: Tensor): number[] => Array.from(t.numpy() as ArrayLike<number>, Number);

interface Built {
  main: paddle.static.Program;
  startup: paddle.static.Program;
  out: V[];
}
/** Builds a program in static mode from data variables named like the feeds. */
function build(feeds: Record<string, Tensor>, fn: (v: Record<string, V>) => V[], lodLevels: Record<string, number> = {}, dtype = 'float64'): Built {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    let out: V[] = [];
    paddle.static.program_guard(main, startup, () => {
      const vars: Record<string, V> = {};
      for (const [k, t] of Object.entries(feeds)) {
        const shape = lodLevels[k] ? [-1, ...t.shape.slice(1)] : t.shape;
        vars[k] = paddle.static.data(k, shape, t.dtype === 'int64' ? 'int64' : dtype, lodLevels[k] ?? 0) as V;
        vars[k].stop_gradient = t.dtype === 'int64';
      }
      out = fn(vars);
    });
    return { main, startup, out };
  } finally {
    paddle.disable_static();
  }
}
function runner(b: Built): (feed: Record<string, Tensor>, fetch?: (V | string)[]) => Tensor[] {
  const exe = new paddle.static.Executor(place);
  const scope = new paddle.static.Scope();
  paddle.static.scope_guard(scope, () => exe.run(b.startup));
  return (feed, fetch = b.out) => paddle.static.scope_guard(scope, () => exe.run(b.main, { feed, fetch_list: fetch }));
}

/**
 * Checks d(loss)/d(feeds[wrt]) from static.gradients against central differences of the
 * program's loss (re-running it with each element of the input nudged).
 */
function staticGradCheck(feeds: Record<string, Tensor>, wrt: string[], fn: (v: Record<string, V>) => V, lodLevels: Record<string, number> = {}, tol = 1e-6): void {
  const b = build(feeds, (v) => {
    const loss = fn(v);
    const grads = paddle.static.gradients([loss], wrt.map((k) => v[k]));
    grads.forEach((g, i) => assert.ok(g, `no gradient for ${wrt[i]}`));
    return [loss, ...(grads as V[])];
  }, lodLevels);
  const run = runner(b);
  const [, ...grads] = run(feeds);
  const eps = 1e-6;
  wrt.forEach((k, gi) => {
    const base = feeds[k];
    const x = Float64Array.from(base.numpy() as Float64Array);
    const numeric: number[] = [];
    for (let j = 0; j < x.length; j++) {
      const at = (d: number): number => {
        const y = x.slice();
        y[j] += d;
        const [l] = run({ ...feeds, [k]: f64(y, base.shape, base.lod) }, [b.out[0]]);
        return Number(l.numpy()[0]);
      };
      numeric.push((at(eps) - at(-eps)) / (2 * eps));
    }
    assertClose(grads[gi], numeric, 1e-4, tol, `d loss / d ${k}`);
  });
}

// ---- tensor arrays ------------------------------------------------------------------------------------

test('tensor arrays in dygraph are JS lists: array_write / array_read / array_length / tensor_array_to_tensor', () => {
  const arr = L.create_array('float32') as Tensor[];
  assert.deepEqual(arr, []);
  const i0 = paddle.to_tensor([0]);
  const i1 = paddle.to_tensor([1]);
  const x = paddle.to_tensor([[1, 2], [3, 4]], { dtype: 'float32' });
  const y = paddle.to_tensor([[5, 6], [7, 8]], { dtype: 'float32' });
  L.array_write(x, i0, arr);
  L.array_write(y, i1, arr);
  assert.equal(L.array_length(arr), 2);
  assert.equal(L.array_read(arr, i1), y);
  const [cat, idx] = L.tensor_array_to_tensor(arr, 1);
  assert.deepEqual(cat.tolist(), [[1, 2, 5, 6], [3, 4, 7, 8]]);
  assert.deepEqual(idx.tolist(), [2, 2]);
  const [st, idx2] = L.tensor_array_to_tensor(arr, 0, null, true);
  assert.deepEqual(st.shape, [2, 2, 2]);
  assert.deepEqual(idx2.tolist(), [1, 1]);
  assertThrows(() => L.array_write(x, paddle.to_tensor([5]), arr), paddle.errors.InvalidArgumentError, /should not be greater than the length/);
});

test('tensor arrays in static mode: write_to_array / read_from_array / lod_array_length / tensor_array_to_tensor, with gradients', () => {
  const x = f64([1, 2, 3, 4, 5, 6], [2, 3]);
  const y = f64([7, 8, 9, 10, 11, 12], [2, 3]);
  const b = build({ x, y }, (v) => {
    const arr = L.create_array('float64') as V;
    assert.equal(arr.type, 'LOD_TENSOR_ARRAY');
    const i0 = L.fill_constant([1], 'int64', 0);
    const i1 = L.fill_constant([1], 'int64', 1);
    L.array_write(v.x, i0, arr);
    L.array_write(v.y, i1, arr);
    const n = L.array_length(arr) as V;
    const back = L.array_read(arr, i1) as V;
    const [cat, idx] = L.tensor_array_to_tensor(arr, 1) as unknown as V[];
    const [stk] = L.tensor_array_to_tensor(arr, 0, null, true) as unknown as V[];
    return [n, back, cat, idx, stk];
  });
  const [n, back, cat, idx, stk] = runner(b)({ x, y });
  assert.deepEqual(n.tolist(), [2]);
  assert.equal(n.dtype, 'int64');
  assert.deepEqual(back.tolist(), [[7, 8, 9], [10, 11, 12]]);
  assert.deepEqual(cat.tolist(), [[1, 2, 3, 7, 8, 9], [4, 5, 6, 10, 11, 12]]);
  assert.deepEqual(idx.tolist(), [3, 3]);
  assert.equal(idx.dtype, 'int32');
  assert.deepEqual(stk.shape, [2, 2, 3]);
  // gradients flow through write/read and the concatenation
  staticGradCheck({ x, y }, ['x', 'y'], (v) => {
    const arr = L.create_array('float64') as V;
    L.array_write(paddle.tanh(v.x), L.fill_constant([1], 'int64', 0), arr);
    L.array_write(paddle.multiply(v.y, v.x), L.fill_constant([1], 'int64', 1), arr);
    const r = L.array_read(arr, L.fill_constant([1], 'int64', 0));
    const [cat2] = L.tensor_array_to_tensor(arr, 1) as unknown as V[];
    return paddle.add(paddle.sum(paddle.multiply(cat2, cat2)), paddle.sum(r)) as V;
  });
});

test('array API errors', () => {
  paddle.enable_static();
  try {
    paddle.static.program_guard(new paddle.static.Program(), () => {
      const x = paddle.static.data('x', [2], 'float32');
      const i = L.fill_constant([1], 'int32', 0);
      assertThrows(() => L.array_write(x, i), paddle.errors.InvalidArgumentError, /i.*int64/);
      assertThrows(() => L.array_read(x as never, L.fill_constant([1], 'int64', 0)), paddle.errors.InvalidArgumentError, /tensor array/);
    });
  } finally {
    paddle.disable_static();
  }
});

// ---- cond / case / switch_case -------------------------------------------------------------------

test('cond in dygraph is an if', () => {
  const a = paddle.to_tensor([2.0]);
  const b = paddle.to_tensor([3.0]);
  const r = L.cond(paddle.less_than(a, b), () => paddle.add(a, b), () => paddle.subtract(a, b));
  assert.deepEqual(r.tolist(), [5]);
  const r2 = L.cond(paddle.less_than(b, a), () => paddle.add(a, b), () => paddle.subtract(a, b));
  assert.deepEqual(r2.tolist(), [-1]);
  assert.equal(L.cond(paddle.less_than(b, a), () => a), null);
  assertThrows(() => L.cond(paddle.to_tensor([true, false]), () => a), paddle.errors.InvalidArgumentError, /numel should be 1/);
});

test('cond in static mode: conditional_block + select_input, both branches, nested structures', () => {
  const x = f64([0.5, -1.5, 2.0], [3]);
  const b = build({ x }, (v) => {
    const s = paddle.sum(v.x);
    const pred = paddle.greater_than(s, paddle.full([1], 0, 'float64'));
    const [p, q] = L.cond(pred, () => [paddle.scale(v.x, 2), paddle.exp(v.x)], () => [paddle.scale(v.x, -1), paddle.tanh(v.x)]) as unknown as V[];
    return [p, q];
  });
  const ops = b.main.global_block().ops.map((o) => o.type);
  assert.ok(ops.includes('conditional_block') && ops.includes('select_input'), ops.join(','));
  assert.equal(b.main.num_blocks, 3);
  const run = runner(b);
  let [p, q] = run({ x });
  assertClose(p, [1, -3, 4]);
  assertClose(q, [0.5, -1.5, 2].map(Math.exp), 1e-12);
  [p, q] = run({ x: f64([-0.5, -1.5, 1.0], [3]) });
  assertClose(p, [0.5, 1.5, -1]);
  assertClose(q, [-0.5, -1.5, 1].map(Math.tanh), 1e-12);
});

test('cond errors: a non-bool pred, mismatched branches, None on one side', () => {
  paddle.enable_static();
  try {
    paddle.static.program_guard(new paddle.static.Program(), () => {
      const x = paddle.static.data('x', [1], 'float32');
      assertThrows(() => L.cond(x, () => x, () => x), paddle.errors.InvalidArgumentError, /pred.*bool/);
      const pred = paddle.less_than(x, x);
      assertThrows(() => L.cond(pred, () => x, () => null), paddle.errors.InvalidArgumentError, /false_fn returns None/);
      assertThrows(() => L.cond(pred, () => [x, x], () => x), paddle.errors.InvalidArgumentError, /same structure/);
      assertThrows(() => L.cond(pred, 3 as never), paddle.errors.InvalidArgumentError, /must be callable/);
    });
  } finally {
    paddle.disable_static();
  }
});

test('gradients through cond (static): conditional_block_grad, taken branch only', () => {
  for (const sign of [1, -1]) {
    const x = f64([0.3 * sign, 0.7 * sign, -0.2 * sign], [3]);
    const w = f64([0.5, -1.2, 0.8], [3]);
    staticGradCheck({ x, w }, ['x', 'w'], (v) => {
      const pred = paddle.greater_than(paddle.sum(v.x), paddle.full([1], 0, 'float64'));
      const r = L.cond(pred, () => paddle.multiply(paddle.tanh(v.x), v.w), () => paddle.multiply(paddle.exp(v.x), paddle.multiply(v.w, v.w))) as V;
      return paddle.sum(paddle.multiply(r, v.x)) as V;
    });
  }
});

test('case and switch_case pick the first true branch (Paddle docs examples)', () => {
  const b = build({}, () => {
    const fn1 = () => paddle.full([1, 2], 1, 'float32');
    const fn2 = () => paddle.full([1, 2], 2, 'float32');
    const fn3 = () => paddle.full([1, 2], 3, 'float32');
    const x = paddle.full([1], 0.3, 'float32');
    const y = paddle.full([1], 0.1, 'float32');
    const z = paddle.full([1], 0.2, 'float32');
    const p1 = paddle.less_than(z, x);
    const p2 = paddle.less_than(x, y);
    const p3 = paddle.equal(x, y);
    const o1 = L.case([[p1, fn1], [p2, fn2]], fn3);
    const o2 = L.case([[p2, fn2], [p3, fn3]]);
    const i1 = paddle.full([1], 1, 'int32');
    const i2 = paddle.full([1], 2, 'int32');
    const o3 = L.switch_case(i1, { 1: fn1, 2: fn2 }, fn3);
    const o4 = L.switch_case(i2, [[1, fn1], [2, fn2]], fn3);
    const o5 = L.switch_case(i2, [[0, fn1], [4, fn2], [7, fn3]]);
    return [o1, o2, o3, o4, o5];
  });
  const [r1, r2, r3, r4, r5] = runner(b)({});
  assert.deepEqual(r1.tolist(), [[1, 1]]);
  assert.deepEqual(r2.tolist(), [[3, 3]]);
  assert.deepEqual(r3.tolist(), [[1, 1]]);
  assert.deepEqual(r4.tolist(), [[2, 2]]);
  assert.deepEqual(r5.tolist(), [[3, 3]]);
});

// ---- while_loop / While ----------------------------------------------------------------------------

test('while_loop in dygraph is a JS loop', () => {
  const i = paddle.to_tensor([0]);
  const ten = paddle.to_tensor([10]);
  const [iF, tenF] = L.while_loop((a: Tensor, b: Tensor) => paddle.less_than(a, b), (a: Tensor, b: Tensor) => [paddle.add(a, paddle.to_tensor([1])), b], [i, ten]);
  assert.deepEqual(iF.tolist(), [10]);
  assert.equal(tenF, ten);
  assertThrows(() => L.while_loop(3 as never, () => [], [i]), paddle.errors.InvalidArgumentError, /cond in while_loop should be callable/);
  assertThrows(() => L.while_loop(() => i, () => [], [i]), paddle.errors.InvalidArgumentError, /bool/);
  assertThrows(() => L.while_loop(() => paddle.less_than(i, ten), () => [i, i], [i]), paddle.errors.InvalidArgumentError, /same arity/);
});

test('while_loop in static mode (Paddle docs example) and a product loop', () => {
  const x = f64([1.5, -2, 0.5], [3]);
  const b = build({ x }, (v) => {
    const i = L.fill_constant([1], 'int64', 0);
    const ten = L.fill_constant([1], 'int64', 10);
    const [iF] = L.while_loop((a: V, t: V) => paddle.less_than(a, t), (a: V, t: V) => [paddle.add(a, L.fill_constant([1], 'int64', 1)), t], [i, ten]) as unknown as V[];
    const j = L.fill_constant([1], 'int64', 0);
    const three = L.fill_constant([1], 'int64', 3);
    const s0 = paddle.scale(v.x, 1);
    const [, s] = L.while_loop((a: V) => paddle.less_than(a, three), (a: V, acc: V) => [paddle.add(a, L.fill_constant([1], 'int64', 1)), paddle.multiply(acc, v.x)], [j, s0]) as unknown as V[];
    return [iF, s];
  });
  assert.ok(b.main.global_block().ops.some((o) => o.type === 'while'));
  const [iF, s] = runner(b)({ x });
  assert.deepEqual(iF.tolist(), [10]);
  assertClose(s, [1.5 ** 4, 16, 0.5 ** 4], 1e-12);
});

test('gradients through while_loop (static): while_grad carries the loop state across steps', () => {
  const x = f64([0.9, -0.4, 0.3], [3]);
  const w = f64([0.5, 0.7, -0.6], [3]);
  staticGradCheck({ x, w }, ['x', 'w'], (v) => {
    const i = L.fill_constant([1], 'int64', 0);
    const n = L.fill_constant([1], 'int64', 4);
    const h0 = paddle.scale(v.x, 1);
    const [, h] = L.while_loop(
      (k: V) => paddle.less_than(k, n),
      (k: V, hh: V) => [paddle.add(k, L.fill_constant([1], 'int64', 1)), paddle.tanh(paddle.add(paddle.multiply(hh, v.w), v.x))],
      [i, h0],
    ) as unknown as V[];
    return paddle.sum(paddle.multiply(h, h)) as V;
  });
});

test('gradients through a cond nested in a while_loop', () => {
  const x = f64([0.4, -0.9], [2]);
  staticGradCheck({ x }, ['x'], (v) => {
    const i = L.fill_constant([1], 'int64', 0);
    const n = L.fill_constant([1], 'int64', 3);
    const [, h] = L.while_loop(
      (k: V) => paddle.less_than(k, n),
      (k: V, hh: V) => {
        const big = paddle.greater_than(paddle.sum(hh), paddle.full([1], 0, 'float64'));
        const nh = L.cond(big, () => paddle.scale(paddle.multiply(hh, v.x), 0.5), () => paddle.add(hh, paddle.sin(v.x))) as V;
        return [paddle.add(k, L.fill_constant([1], 'int64', 1)), nh];
      },
      [i, paddle.scale(v.x, 1)],
    ) as unknown as V[];
    return paddle.sum(paddle.multiply(h, paddle.exp(v.x))) as V;
  });
});

test('While with less_than(cond=...) (Paddle docs examples 1 and 2)', () => {
  const data = f64([1], [1]);
  const b = build({ data }, (v) => {
    const i = L.fill_constant([1], 'int64', 0);
    const loopLen = L.fill_constant([1], 'int64', 10);
    const c = L.less_than(i, loopLen) as V;
    const w = new L.While(c);
    w.block(() => {
      L.increment(i, 1, true);
      L.less_than(i, loopLen, null, c);
    });
    // example 2: a value assigned out of the loop
    const j = L.fill_constant([1], 'int64', 0);
    const one = L.fill_constant([1], 'float64', 1);
    const sums = L.fill_constant([1], 'float64', 0);
    const c2 = L.less_than(j, loopLen) as V;
    const w2 = new L.While(c2);
    let d: Tensor = v.data;
    w2.block(() => {
      const st = L.elementwise_add(d, d);
      L.assign(st, sums);
      L.increment(j, 1, true);
      d = L.elementwise_add(d, one);
      L.less_than(j, loopLen, null, c2);
    });
    return [i, sums] as V[];
  });
  const [i, sums] = runner(b)({ data });
  assert.deepEqual(i.tolist(), [10]);
  assert.deepEqual(sums.tolist(), [2]);
  assertThrows(() => new L.While(paddle.to_tensor([1.0])), paddle.errors.InvalidArgumentError, /bool/);
});

test('While in dygraph runs its block while cond holds', () => {
  const i = paddle.to_tensor([0]);
  const n = paddle.to_tensor([5]);
  const c = paddle.less_than(i, n);
  let count = 0;
  new L.While(c).block(() => {
    count++;
    L.increment(i, 1, true);
    L.less_than(i, n, null, c);
  });
  assert.equal(count, 5);
  assert.deepEqual(i.tolist(), [5]);
});

// ---- Switch / IfElse -----------------------------------------------------------------------------

test('Switch: the first true case, else the default (static and dygraph)', () => {
  const pick = (step: number, dygraph: boolean): number => {
    const body = (g: Tensor): Tensor => {
      const lr = L.fill_constant([1], 'float32', 0);
      const zero = L.fill_constant([1], 'float32', 0);
      const five = L.fill_constant([1], 'float32', 5);
      const sw = new L.Switch();
      sw.guard(() => {
        sw.case(paddle.equal(g, zero), () => void L.assign(L.fill_constant([1], 'float32', 1), lr));
        sw.case(paddle.less_than(g, five), () => void L.assign(L.fill_constant([1], 'float32', 2), lr));
        sw.default(() => void L.assign(L.fill_constant([1], 'float32', 3), lr));
      });
      return lr;
    };
    if (dygraph) return body(paddle.to_tensor([step], { dtype: 'float32' })).item() as number;
    const b = build({ g: paddle.to_tensor([step], { dtype: 'float32' }) }, (v) => [body(v.g) as V], {}, 'float32');
    return runner(b)({ g: paddle.to_tensor([step], { dtype: 'float32' }) })[0].item() as number;
  };
  for (const dy of [false, true]) {
    assert.equal(pick(0, dy), 1);
    assert.equal(pick(3, dy), 2);
    assert.equal(pick(9, dy), 3);
  }
  const sw = new L.Switch();
  assertThrows(() => sw.case(paddle.to_tensor([true]), () => {}), paddle.errors.PreconditionNotMetError, /inside with/);
});

test('IfElse splits a batch by a mask, runs both branches and merges rows back (static and dygraph)', () => {
  const x = f64([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
  const y = f64([2, 2, 2, 2, 9, 9, 1, 1], [4, 2]);
  const body = (xv: Tensor, yv: Tensor): Tensor[] => {
    const cond = paddle.less_than(paddle.sum(xv, 1, { keepdim: true }), paddle.sum(yv, 1, { keepdim: true })) as Tensor;
    const ie = new L.IfElse(cond);
    ie.true_block(() => ie.output(paddle.scale(ie.input(xv), 10)));
    ie.false_block(() => ie.output(paddle.subtract(ie.input(xv), ie.input(yv))));
    return ie();
  };
  // rows 0, 2 -> x*10 (sum x < sum y); rows 1, 3 -> x - y
  const want = [[10, 20], [1, 2], [50, 60], [6, 7]];
  const [dy] = body(x, y);
  assertClose(dy, want);
  const b = build({ x, y }, (v) => body(v.x, v.y) as unknown as V[]);
  assert.ok(b.main.global_block().ops.some((o) => o.type === 'split_lod_tensor'));
  const run = runner(b);
  const [st] = run({ x, y });
  assertClose(st, want);
  // every row in one branch: the other block does not run and merges as empty
  const big = f64([9, 9, 9, 9, 9, 9, 9, 9], [4, 2]);
  const [allTrue] = run({ x, y: big });
  assertClose(allTrue, vals(x).map((v) => v * 10));
  staticGradCheck({ x, y }, ['x', 'y'], (v) => {
    const [o] = body(v.x, v.y);
    return paddle.sum(paddle.multiply(o, o)) as V;
  });
});

// ---- StaticRNN / DynamicRNN -------------------------------------------------------------------------

test('StaticRNN: a tanh RNN over time-major input matches a JS loop, and its gradients', () => {
  const T = 3;
  const N = 2;
  const D = 4;
  const H = 3;
  const x = f64(rnd(T * N * D), [T, N, D]);
  const mk = (v: Record<string, V>): V[] => {
    const rnn = new L.StaticRNN();
    rnn.step(() => {
      const w = rnn.step_input(v.x);
      const prev = rnn.memory({ shape: [-1, H], batch_ref: w });
      const h = L.fc([w, prev], H, { act: 'tanh' });
      rnn.update_memory(prev, h);
      rnn.step_output(h);
    });
    return [rnn() as V];
  };
  const b = build({ x }, (v) => mk(v));
  const rec = b.main.global_block().ops.find((o) => o.type === 'recurrent')!;
  assert.ok(rec);
  assert.equal(rec.attr('has_states'), true);
  const run = runner(b);
  const [out, w0, w1, bias] = run({ x }, [b.out[0], ...b.main.global_block().all_parameters().map((q) => q.name)]);
  const W0 = vals(w0);
  const W1 = vals(w1);
  const B = vals(bias);
  const X = vals(x);
  let h = new Array(N * H).fill(0);
  const want: number[] = [];
  for (let t = 0; t < T; t++) {
    const nh: number[] = [];
    for (let n = 0; n < N; n++)
      for (let k = 0; k < H; k++) {
        let s = B[k];
        for (let d = 0; d < D; d++) s += X[(t * N + n) * D + d] * W0[d * H + k];
        for (let j = 0; j < H; j++) s += h[n * H + j] * W1[j * H + k];
        nh.push(Math.tanh(s));
      }
    h = nh;
    want.push(...nh);
  }
  assert.deepEqual(out.shape, [T, N, H]);
  assertClose(out, want, 1e-10, 1e-12);
  staticGradCheck({ x }, ['x'], (v) => {
    const [o] = mk(v);
    return paddle.sum(paddle.multiply(o, o)) as V;
  });
});

test('DynamicRNN over LoD sequences matches a loop per sequence; outputs keep the LoD; gradients', () => {
  const lod = [[0, 2, 3, 6]];
  const D = 3;
  const H = 2;
  const s = f64(rnd(6 * D), [6, D], lod);
  const mk = (v: Record<string, V>): V[] => {
    const drnn = new L.DynamicRNN();
    drnn.block(() => {
      const w = drnn.step_input(v.s);
      const prev = drnn.memory({ shape: [H], value: 0.5, dtype: 'float64' });
      const h = L.fc([w, prev], H, { act: 'tanh' });
      drnn.update_memory(prev, h);
      drnn.output(h);
    });
    return [drnn() as V];
  };
  const b = build({ s }, (v) => mk(v), { s: 1 });
  const names = b.main.global_block().all_parameters().map((p) => p.name);
  const run = runner(b);
  const [out, w0, w1, bias] = run({ s }, [b.out[0], ...names]);
  assert.deepEqual(out.lod, lod);
  const W0 = vals(w0);
  const W1 = vals(w1);
  const B = vals(bias);
  const X = vals(s);
  const want: number[] = [];
  for (let q = 0; q < 3; q++) {
    let h = [0.5, 0.5];
    for (let r = lod[0][q]; r < lod[0][q + 1]; r++) {
      const nh: number[] = [];
      for (let k = 0; k < H; k++) {
        let acc = B[k];
        for (let d = 0; d < D; d++) acc += X[r * D + d] * W0[d * H + k];
        for (let j = 0; j < H; j++) acc += h[j] * W1[j * H + k];
        nh.push(Math.tanh(acc));
      }
      h = nh;
      want.push(...nh);
    }
  }
  assertClose(out, want, 1e-10, 1e-12);
  staticGradCheck({ s }, ['s'], (v) => {
    const [o] = mk(v);
    return paddle.sum(paddle.multiply(L.sequence_last_step(o), L.sequence_first_step(o))) as V;
  }, { s: 1 });
});

test('DynamicRNN memory(init, need_reorder) pairs each sequence with its own initial state; static_input', () => {
  const lod = [[0, 1, 4, 6]]; // lengths 1, 3, 2: the loop runs them longest first
  const x = f64(rnd(6 * 2), [6, 2], lod);
  const init = f64([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [3, 2]);
  const ctxv = f64([1, 2, 3, 4, 5, 6], [3, 2], [[0, 1, 2, 3]]);
  const b = build({ x, init, ctxv }, (v) => {
    const drnn = new L.DynamicRNN();
    drnn.block(() => {
      const w = drnn.step_input(v.x);
      const c = drnn.static_input(v.ctxv);
      const prev = drnn.memory({ init: v.init, need_reorder: true });
      const h = paddle.tanh(paddle.add(paddle.add(w, prev), paddle.scale(c, 0.1)));
      drnn.update_memory(prev, h);
      drnn.output(h);
    });
    return [drnn() as V];
  }, { x: 1, ctxv: 1 });
  const [out] = runner(b)({ x, init, ctxv });
  const X = vals(x);
  const I = vals(init);
  const C = vals(ctxv);
  const want: number[] = [];
  for (let q = 0; q < 3; q++) {
    let h = [I[2 * q], I[2 * q + 1]];
    for (let r = lod[0][q]; r < lod[0][q + 1]; r++) {
      h = h.map((hv, k) => Math.tanh(X[2 * r + k] + hv + 0.1 * C[2 * q + k]));
      want.push(...h);
    }
  }
  assert.deepEqual(out.lod[0], lod[0]);
  assertClose(out, want, 1e-12, 1e-14);
});

test('StaticRNN and DynamicRNN are static-graph only; misuse errors', () => {
  assertThrows(() => new L.DynamicRNN(), paddle.errors.PreconditionNotMetError, /enable_static/);
  const rnn = new L.StaticRNN();
  assertThrows(() => rnn.step(() => {}), paddle.errors.PreconditionNotMetError, /enable_static/);
  paddle.enable_static();
  try {
    paddle.static.program_guard(new paddle.static.Program(), () => {
      const r = new L.StaticRNN();
      assertThrows(() => r.step_input(paddle.static.data('x', [2, 2], 'float32')), paddle.errors.PreconditionNotMetError, /in rnn block/);
      assertThrows(() => r(), paddle.errors.PreconditionNotMetError, /after rnn block/);
    });
  } finally {
    paddle.disable_static();
  }
});

test('fill_constant_batch_size_like: the batch size from an input dim (sequences for a LoD input)', async () => {
  const { dispatch } = await import('../../src/core/dispatch.js');
  const x = paddle.zeros([5, 3, 2]);
  const a = dispatch('fill_constant_batch_size_like', { Input: [x] }, { shape: [-1, 4], input_dim_idx: 1, output_dim_idx: 0, value: 2.5 }).Out[0];
  assert.deepEqual(a.shape, [3, 4]);
  assert.deepEqual(vals(a), new Array(12).fill(2.5));
  const lodIn = f64([1, 2, 3, 4, 5], [5, 1], [[0, 2, 5]]);
  const b = dispatch('fill_constant_batch_size_like', { Input: [lodIn] }, { shape: [1, 2], output_dim_idx: 1, dtype: 3, str_value: '9007199254740993' }).Out[0];
  assert.deepEqual(b.shape, [1, 2]);
  assert.equal(b.dtype, 'int64');
  assert.deepEqual(Array.from(b.numpy() as BigInt64Array), [9007199254740993n, 9007199254740993n]);
  assertThrows(() => dispatch('fill_constant_batch_size_like', { Input: [x] }, { shape: [4], input_dim_idx: 3 }), paddle.errors.InvalidArgumentError, /input_dim_idx=3/);
});
