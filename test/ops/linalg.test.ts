// cross / norm (p_norm, frobenius_norm) / dist / cholesky / inverse / addmm: values from
// Paddle 2.0's docstrings and from NumPy (np.cross, np.linalg.norm/cholesky/inv, plain
// array arithmetic) on the same inputs, gradients by finite differences, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';
import { checkGrad, randTensor } from '../helpers/gradcheck.js';

const { InvalidArgumentError } = paddle.errors;
type DT = 'float32' | 'float64' | 'int32' | 'int64';
const numelOf = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const t = (data: unknown, dtype: DT = 'float64'): Tensor => paddle.to_tensor(data as never, { dtype });
/** (i % 7) - 3 and (i % 5) - 2, as NumPy's `np.arange(n) % 7 - 3`. */
const gx = (shape: number[], dtype: DT = 'float64'): Tensor =>
  paddle.to_tensor(Array.from({ length: numelOf(shape) }, (_, i) => (i % 7) - 3), { dtype }).reshape(shape);
const gy = (shape: number[], dtype: DT = 'float64'): Tensor =>
  paddle.to_tensor(Array.from({ length: numelOf(shape) }, (_, i) => (i % 5) - 2), { dtype }).reshape(shape);
/** np.arange(24).reshape(2, 3, 4) - 12, the docstring input of paddle.norm. */
const normInput = (dtype: DT = 'float32'): Tensor =>
  paddle.to_tensor(Array.from({ length: 24 }, (_, i) => i - 12), { dtype }).reshape([2, 3, 4]);
/** n x n identity times s. */
const eyeTimes = (n: number, s: number): Tensor =>
  t(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? s : 0))));
const flat = (x: Tensor): number[] => Array.from(x.numpy() as ArrayLike<number | bigint>, Number);

// ---- cross ---------------------------------------------------------------------------------

test('cross: docstring example, default axis, NumPy values, int dtypes', () => {
  const x = t([[1, 1, 1], [2, 2, 2], [3, 3, 3]], 'float32');
  const y = paddle.ones([3, 3]);
  assertTensor(paddle.cross(x, y), [3, 3], 'float32', [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]]);
  assertTensor(paddle.cross(x, y, 1), [3, 3], 'float32', [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  // np.cross(x, y, axis=1) on [2, 3, 4]
  const want = [5, 2, -6, 3, 7, 5, -2, 1, -4, 6, 1, 3, 5, 0, 2, 4, 4, 0, -4, 4, -2, 0, -5, 0];
  assert.deepEqual(flat(paddle.cross(gx([2, 3, 4]), gy([2, 3, 4]), { axis: 1 })), want);
  assert.deepEqual(flat(paddle.cross(gx([2, 3, 4]), gy([2, 3, 4]), -2)), want);
  // axis None picks dim 1 of [4, 3]
  assert.deepEqual(flat(paddle.cross(gx([4, 3]), gy([4, 3]))), [-1, 2, -1, -6, 2, -1, -3, -1, -3, 2, 1, 2]);
  // [3, 3] int64: axis None picks dim 0
  const o = paddle.cross(gx([3, 3], 'int64'), gy([3, 3], 'int64'));
  assertTensor(o, [3, 3], 'int64', [[-3, 6, -2], [-9, 3, 1], [-3, -3, 2]]);
  assertTensor(gx([3, 3], 'int32').cross(gy([3, 3], 'int32')), [3, 3], 'int32', [[-3, 6, -2], [-9, 3, 1], [-3, -3, 2]]);
});

test('cross: gradients', () => {
  checkGrad((x, y) => paddle.cross(x, y, 1), [randTensor([2, 3, 4]), randTensor([2, 3, 4])], { second: true });
  checkGrad((x, y) => paddle.cross(x, y), [randTensor([3, 2]), randTensor([3, 2])]);
});

test('cross: errors', () => {
  const a = paddle.ones([2, 3]);
  assertThrows(() => paddle.cross(a, paddle.ones([3, 2])), InvalidArgumentError, /paddle\.cross/, /same shape/, /\[2, 3\]/, /\[3, 2\]/);
  assertThrows(() => paddle.cross(a, a, 0), InvalidArgumentError, /paddle\.cross/, /dimension 0/, /size 3/);
  assertThrows(() => paddle.cross(a, a, 2), InvalidArgumentError, /axis 2 is out of range/);
  assertThrows(() => paddle.cross(paddle.ones([2, 4]), paddle.ones([2, 4])), InvalidArgumentError, /no dimension .* size 3/);
  assertThrows(() => paddle.cross(a, paddle.ones([2, 3], 'float64')), InvalidArgumentError, /same dtype/);
  assertThrows(() => paddle.cross(a, a, 1.5 as never), InvalidArgumentError, /'axis'/);
});

// ---- norm ----------------------------------------------------------------------------------

test('norm: the values printed in the paddle.norm docstring', () => {
  const x = normInput();
  assertClose(paddle.norm(x, 'fro', [0, 1]), [17.435596, 16.911535, 16.7332, 16.911535]);
  const p2 = paddle.norm(x, 2, -1);
  assert.deepEqual(p2.shape, [2, 3]);
  assertClose(p2, [[21.118711, 13.190906, 5.477226], [3.7416575, 11.224972, 19.131126]]);
  assertClose(paddle.norm(x, 2, [0, 1]), [17.435596, 16.911535, 16.7332, 16.911535]);
  assertTensor(paddle.norm(x, Infinity), [1], 'float32', [12]);
  assertTensor(paddle.norm(x, Infinity, 0), [3, 4], 'float32', [[12, 11, 10, 9], [8, 7, 6, 7], [8, 9, 10, 11]]);
  assertTensor(paddle.norm(x, -Infinity), [1], 'float32', [0]);
  assertTensor(paddle.norm(x, -Infinity, 0), [3, 4], 'float32', [[0, 1, 2, 3], [4, 5, 6, 5], [4, 3, 2, 1]]);
});

test('norm: every form against NumPy, with keepdim shapes', () => {
  const x = normInput('float64');
  assertTensor(paddle.norm(x), [1], 'float64', [34]);
  assertTensor(x.norm({ keepdim: true }), [1, 1, 1], 'float64', [[[34]]]);
  assertTensor(paddle.norm(x, 1, 1), [2, 4], 'float64', [[24, 21, 18, 15], [12, 15, 18, 21]]);
  assertClose(paddle.norm(x, 3, 2), [16.85458436430696, 10.614765230800138, 4.641588833612778, 3.3019272488946263, 9.07751968323485, 15.286350621725619], 1e-12);
  assertTensor(paddle.norm(x, 0, 0), [3, 4], 'float64', [[1, 2, 2, 2], [2, 2, 2, 2], [2, 2, 2, 2]]);
  assertClose(paddle.norm(x, 0.5), [3028.730982231428], 1e-12);
  assertClose(paddle.norm(x, 3), [21.855806293108305], 1e-12);
  const k = paddle.norm(x, 3, [2], true);
  assert.deepEqual(k.shape, [2, 3, 1]);
  assertClose(paddle.norm(x, 3, { axis: 0, keepdim: true }).shape, [1, 3, 4]);
  assertTensor(paddle.norm(x, Infinity, undefined, true), [1, 1, 1], 'float64', [[[12]]]);
  // 'fro' with one axis is the 2-norm along it; with two axes the Frobenius norm
  assertClose(paddle.norm(x, 'fro', 2), paddle.norm(x, 2, 2), 1e-12);
  const f = paddle.norm(x, 'fro', [1, 2], true);
  assert.deepEqual(f.shape, [2, 1, 1]);
  assertClose(f, [25.495097567963924, 22.494443758403985], 1e-12);
  // matrix inf / -inf (max / min of |x| over both axes) and entrywise p over two axes
  assertTensor(paddle.norm(x, Infinity, [1, 2]), [2], 'float64', [12, 11]);
  assertTensor(paddle.norm(x, -Infinity, [0, 2]), [3], 'float64', [0, 4, 1]);
  assertClose(paddle.norm(x, 3, [0, 2]), [16.896721000568494, 12.480502938311423, 15.427689543949409], 1e-12);
  // negative orders are computed as the formula gives (Paddle does not reject them)
  assertClose(paddle.norm(x, -1, 2), [2.5950196592398425, 1.575984990619137, 0.48, 0, 1.316614420062696, 2.3418095801301004], 1e-12);
  // a 1-D vector
  assertTensor(paddle.norm(t([3, 4]), 2, 0), [1], 'float64', [5]);
});

test('norm: gradients of every form', () => {
  const x = randTensor([2, 3, 4]);
  checkGrad((a) => paddle.norm(a), [x], { second: true });
  checkGrad((a) => paddle.norm(a, 'fro', [0, 2], true), [x]);
  checkGrad((a) => paddle.norm(a, 2, 1), [x], { second: true });
  checkGrad((a) => paddle.norm(a, 3, -1, true), [x]);
  checkGrad((a) => paddle.norm(a, 1.5), [x]);
  checkGrad((a) => paddle.norm(a, 1, 0), [x]);
  checkGrad((a) => paddle.norm(a, Infinity, 1), [x]);
  checkGrad((a) => paddle.norm(a, -Infinity), [x]);
  checkGrad((a) => paddle.norm(a, 3, [0, 1]), [x]);
  checkGrad((a) => paddle.norm(a, Infinity, [1, 2]), [x]);
  // p = 0 counts nonzeros: zero gradient
  const z = t([[1, -2], [0, 3]]);
  z.stop_gradient = false;
  paddle.norm(z, 0).backward();
  assert.deepEqual(flat(z.grad!), [0, 0, 0, 0]);
});

test('norm: errors', () => {
  const x = normInput();
  assertThrows(() => paddle.norm(x, 'nuc'), InvalidArgumentError, /paddle\.norm/, /'fro'/, /'nuc'/);
  assertThrows(() => paddle.norm(x, 'nuc', 1), InvalidArgumentError, /'fro'/);
  assertThrows(() => paddle.norm(x, 'nuc', [0, 1]), InvalidArgumentError, /'fro'/);
  assertThrows(() => paddle.norm(x, 0, [0, 1]), InvalidArgumentError, /p=0/, /axis/);
  assertThrows(() => paddle.norm(x, 2, [0, 1, 2]), InvalidArgumentError, /'axis'/, /one or two/);
  assertThrows(() => paddle.norm(x, 2, 3), InvalidArgumentError, /paddle\.norm/, /axis 3 is out of range/);
  assertThrows(() => paddle.norm(x, 'fro', [0, 3]), InvalidArgumentError, /axis 3 is out of range/);
  assertThrows(() => paddle.norm(x, 'fro', [1, 1]), InvalidArgumentError, /repeated/);
  assertThrows(() => paddle.norm(gx([3], 'int64')), InvalidArgumentError, /paddle\.norm/, /float32 or float64/, /int64/);
  assertThrows(() => paddle.norm(x, true as never), InvalidArgumentError, /'p'/);
});

// ---- dist ----------------------------------------------------------------------------------

test('dist: docstring values, broadcasting, every p against NumPy', () => {
  const a = t([[3, 3], [3, 3]], 'float32');
  const b = t([[3, 3], [3, 1]], 'float32');
  assertTensor(paddle.dist(a, b, 0), [1], 'float32', [1]);
  assertTensor(paddle.dist(a, b, 2), [1], 'float32', [2]);
  assertTensor(paddle.dist(a, b, Infinity), [1], 'float32', [2]);
  assertTensor(paddle.dist(a, b, -Infinity), [1], 'float32', [0]);
  assertTensor(a.dist(b), [1], 'float32', [2]);
  // x [2, 3] against y [3]
  const x = t([[1, -2, 3], [0.5, 4, -1]]);
  const y = t([2, -2, 0]);
  const want: [number, number][] = [[0, 5], [1, 12.5], [2, 7.0178344238090995], [3, 6.285926424363404], [Infinity, 6], [-Infinity, 0], [0.5, 54.853063748332424]];
  for (const [p, v] of want) assertClose(paddle.dist(x, y, p), [v], 1e-12, 0, `p=${p}`);
  assertClose(paddle.dist(y, x, { p: 3 }), [6.285926424363404], 1e-12);
});

test('dist: gradients with broadcasting', () => {
  const x = randTensor([2, 3]);
  const y = randTensor([3]);
  for (const p of [2, 3, 1, 1.5, Infinity, -Infinity]) checkGrad((a, b) => paddle.dist(a, b, p), [x, y]);
  checkGrad((a, b) => paddle.dist(a, b), [randTensor([2, 1, 3]), randTensor([4, 1])], { second: true });
});

test('dist: errors', () => {
  assertThrows(() => paddle.dist(paddle.ones([2, 3]), paddle.ones([4])), InvalidArgumentError, /paddle\.dist/, /\[2, 3\] and \[4\]/);
  assertThrows(() => paddle.dist(gx([3], 'int64'), gx([3], 'int64')), InvalidArgumentError, /paddle\.dist/, /float32 or float64/);
  assertThrows(() => paddle.dist(paddle.ones([3]), paddle.ones([3]), 'fro' as never), InvalidArgumentError, /'p'/);
  assertThrows(() => paddle.dist(paddle.ones([3]), paddle.ones([3], 'float64')), InvalidArgumentError, /same dtype/);
});

// ---- cholesky ------------------------------------------------------------------------------

const SPD = [[4, 12, -16], [12, 37, -43], [-16, -43, 98]];
const SPD_BATCH = [[[2, -1, 0], [-1, 2, -1], [0, -1, 2]], [[5, 1, 2], [1, 3, 0.5], [2, 0.5, 4]]];
const L_BATCH = [
  1.4142135623730951, 0, 0, -0.7071067811865475, 1.224744871391589, 0, 0, -0.8164965809277261, 1.1547005383792515,
  2.23606797749979, 0, 0, 0.4472135954999579, 1.6733200530681511, 0, 0.8944271909999159, 0.059761430466719695, 1.787855858683404,
];

test('cholesky: NumPy values, batches, upper, float32', () => {
  assertTensor(paddle.cholesky(t(SPD)), [3, 3], 'float64', [[2, 0, 0], [6, 1, 0], [-8, 5, 3]]);
  assertTensor(t(SPD).cholesky(true), [3, 3], 'float64', [[2, 6, -8], [0, 1, 5], [0, 0, 3]]);
  const lb = paddle.cholesky(t(SPD_BATCH));
  assert.deepEqual(lb.shape, [2, 3, 3]);
  assertClose(lb, L_BATCH, 1e-14, 1e-15);
  const ub = paddle.cholesky(t(SPD_BATCH), { upper: true });
  assertClose(ub, paddle.transpose(lb, [0, 2, 1]), 1e-14, 1e-15);
  assertClose(paddle.cholesky(t(SPD_BATCH, 'float32')), L_BATCH, 1e-6, 1e-6);
  assert.equal(paddle.cholesky(t(SPD, 'float32')).dtype, 'float32');
  // as Eigen's LLT, only the factored triangle is read
  assertTensor(paddle.cholesky(t([[4, 99], [2, 5]])), [2, 2], 'float64', [[2, 0], [1, 2]]);
  assertTensor(paddle.cholesky(t([[4, 2], [99, 5]]), true), [2, 2], 'float64', [[2, 1], [0, 2]]);
});

test('cholesky: gradients (symmetric inputs), batched, upper', () => {
  const spd = (a: Tensor): Tensor => paddle.add(paddle.matmul(a, a, false, true), eyeTimes(a.shape[a.shape.length - 1], 2));
  checkGrad((a) => paddle.cholesky(spd(a)), [randTensor([3, 3])]);
  checkGrad((a) => paddle.cholesky(spd(a), true), [randTensor([3, 3])]);
  checkGrad((a) => paddle.cholesky(spd(a)), [randTensor([2, 4, 4])]);
  // the gradient itself is symmetric
  const a = t(SPD);
  a.stop_gradient = false;
  paddle.sum(paddle.multiply(paddle.cholesky(a), t([[1, 0, 0], [2, 3, 0], [4, 5, 6]]))).backward();
  const g = a.grad!.tolist() as number[][];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assertClose([g[i][j]], [g[j][i]], 1e-12);
});

test('cholesky: errors', () => {
  assertThrows(() => paddle.cholesky(t([[1, 2], [2, 1]])), InvalidArgumentError, /paddle\.cholesky/, /not positive definite/);
  assertThrows(() => paddle.cholesky(t([[[1, 0], [0, 1]], [[1, 0], [0, -1]]])), InvalidArgumentError, /the 1-th input matrix is not positive definite/);
  assertThrows(() => paddle.cholesky(paddle.ones([2, 3])), InvalidArgumentError, /paddle\.cholesky/, /square/, /\[2, 3\]/);
  assertThrows(() => paddle.cholesky(paddle.ones([3])), InvalidArgumentError, /at least 2 dimensions/);
  assertThrows(() => paddle.cholesky(gx([2, 2], 'int64')), InvalidArgumentError, /float32 or float64/);
  assertThrows(() => paddle.cholesky(t(SPD), 1 as never), InvalidArgumentError, /'upper'/);
});

// ---- inverse -------------------------------------------------------------------------------

test('inverse: docstring example, NumPy values, batches', () => {
  assertTensor(paddle.inverse(t([[2, 0], [0, 2]], 'float32')), [2, 2], 'float32', [[0.5, 0], [0, 0.5]]);
  // np.linalg.inv
  assertClose(paddle.inverse(t([[2, 1, 1], [1, 3, 2], [1, 0, 0]])), [0, 0, 1, -2, 1, 3, 3, -1, -5], 1e-12, 1e-12);
  const b = paddle.inverse(t([[[4, 7], [2, 6]], [[1, 2], [3, 4]]]));
  assert.deepEqual(b.shape, [2, 2, 2]);
  assertClose(b, [0.6, -0.7, -0.2, 0.4, -2, 1, 1.5, -0.5], 1e-12, 1e-12);
  // x @ inverse(x) = I for a random well-conditioned batch
  const x = paddle.add(randTensor([3, 5, 5]), eyeTimes(5, 4));
  assertClose(paddle.matmul(x, x.inverse()), paddle.expand(eyeTimes(5, 1), [3, 5, 5]), 1e-12, 1e-12);
});

test('inverse: gradients', () => {
  checkGrad((a) => paddle.inverse(a), [paddle.add(randTensor([3, 3]), eyeTimes(3, 3))], { second: true });
  checkGrad((a) => paddle.inverse(a), [paddle.add(randTensor([2, 2, 2]), eyeTimes(2, 3))]);
});

test('inverse: errors', () => {
  assertThrows(() => paddle.inverse(t([[1, 2], [2, 4]])), InvalidArgumentError, /paddle\.inverse/, /singular/);
  assertThrows(() => paddle.inverse(t([[[1, 0], [0, 1]], [[0, 0], [0, 0]]])), InvalidArgumentError, /1-th input matrix is singular/);
  assertThrows(() => paddle.inverse(paddle.ones([2, 3])), InvalidArgumentError, /paddle\.inverse/, /square/);
  assertThrows(() => paddle.inverse(paddle.ones([3])), InvalidArgumentError, /at least 2 dimensions/);
  assertThrows(() => paddle.inverse(gx([2, 2], 'int32')), InvalidArgumentError, /float32 or float64/);
});

// ---- addmm ---------------------------------------------------------------------------------

test('addmm: docstring example, broadcasting input, NumPy values', () => {
  const o = paddle.addmm({ input: paddle.ones([2, 2]), x: paddle.ones([2, 2]), y: paddle.ones([2, 2]), beta: 0.5, alpha: 5.0 });
  assertTensor(o, [2, 2], 'float32', [[10.5, 10.5], [10.5, 10.5]]);
  const x = t([[1, 2], [3, 4]]);
  const y = t([[1, 0, -1], [2, 1, 0]]);
  // 0.5 * input + 2 * x @ y with input [1, 3]
  assertTensor(paddle.addmm(t([[1, 2, 3]]), x, y, 0.5, 2), [2, 3], 'float64', [[10.5, 5, -0.5], [22.5, 9, -4.5]]);
  // input [2, 1] and the Tensor method (the tensor is `input`)
  assertTensor(t([[10], [20]]).addmm(x, y), [2, 3], 'float64', [[15, 12, 9], [31, 24, 17]]);
  assertTensor(paddle.addmm(t([[1]]), x, y, -1), [2, 3], 'float64', [[4, 1, -2], [10, 3, -4]]);
  // beta = 0 does not read input (as BLAS)
  assertTensor(paddle.addmm(t([[NaN]]), x, y, 0), [2, 3], 'float64', [[5, 2, -1], [11, 4, -3]]);
});

test('addmm: gradients', () => {
  const x = randTensor([2, 4]);
  const y = randTensor([4, 3]);
  checkGrad((i, a, b) => paddle.addmm(i, a, b, 0.5, -2), [randTensor([2, 3]), x, y], { second: true });
  checkGrad((i, a, b) => paddle.addmm(i, a, b, 1.5, 0.25), [randTensor([1, 3]), x, y]);
  checkGrad((i, a, b) => paddle.addmm(i, a, b), [randTensor([2, 1]), x, y]);
});

test('addmm: errors', () => {
  const m = paddle.ones([2, 3]);
  assertThrows(() => paddle.addmm(paddle.ones([2, 2]), m, m), InvalidArgumentError, /paddle\.addmm/, /width must equal Y's height/);
  assertThrows(() => paddle.addmm(paddle.ones([3, 3]), m, paddle.ones([3, 3])), InvalidArgumentError, /broadcast/, /\[2, 3\]/);
  assertThrows(() => paddle.addmm(paddle.ones([3]), m, paddle.ones([3, 3])), InvalidArgumentError, /2-D/);
  assertThrows(() => paddle.addmm(paddle.ones([2, 3]), paddle.ones([2, 3, 1]), paddle.ones([3, 3])), InvalidArgumentError, /2-D/);
  assertThrows(() => paddle.addmm(gx([2, 2], 'int64'), gx([2, 2], 'int64'), gx([2, 2], 'int64')), InvalidArgumentError, /float32 or float64/);
  assertThrows(() => paddle.addmm(paddle.ones([2, 2]), paddle.ones([2, 2]), paddle.ones([2, 2]), 'a' as never), InvalidArgumentError, /'beta'/);
});

// ---- static mode ---------------------------------------------------------------------------

test('static mode appends the operators with Paddle attributes, and runs them', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [-1, 3], 'float32');
      const n = paddle.norm(x, 2, 1);
      assert.deepEqual(n.shape, [-1]);
      const f = paddle.norm(x);
      const cr = paddle.cross(x, x);
      assert.deepEqual(cr.shape, [-1, 3]);
      const ops = main.global_block().ops;
      const pn = ops.find((o) => o.type === 'p_norm')!;
      assert.equal(pn.attr('porder'), 2);
      assert.equal(pn.attr('axis'), 1);
      assert.equal(pn.attr('asvector'), false);
      assert.equal(pn.attr('epsilon'), 1e-12);
      assert.equal(ops.find((o) => o.type === 'frobenius_norm')!.attr('reduce_all'), true);
      assert.equal(ops.find((o) => o.type === 'cross')!.attr('dim'), 9);
      const [nv, fv] = exe.run(main, { feed: { x: [[3, 4, 0], [1, 2, 2]] }, fetch_list: [n, f] });
      assertClose(nv, [5, 3]);
      assertClose(fv, [Math.sqrt(34)]);
    });
  } finally {
    paddle.disable_static();
  }
});

test('static mode: append_backward through cholesky, inverse, addmm and dist matches dygraph', () => {
  const wv = [[0.9, -0.2, 0.1], [0.3, 1.1, -0.4], [0.05, 0.2, 0.8]];
  const loss = (w: Tensor): Tensor => {
    const spd = paddle.add(paddle.matmul(w, w, false, true), paddle.eye(3, 3, 'float64'));
    const l = paddle.cholesky(spd);
    const a = paddle.sum(paddle.multiply(l, paddle.matmul(l, w)));
    const b = paddle.sum(paddle.inverse(w));
    const c = paddle.sum(paddle.addmm(w, w, w, 0.5, 2));
    return paddle.add(paddle.add(a, b), paddle.add(c, paddle.dist(w, paddle.ones([3], 'float64'), 3)));
  };
  const wd = t(wv);
  wd.stop_gradient = false;
  const ld = loss(wd);
  ld.backward();
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    paddle.static.scope_guard(new paddle.static.Scope(), () =>
      paddle.static.program_guard(main, startup, () => {
        const w = main.global_block().create_parameter({ name: 'w', shape: [3, 3], dtype: 'float64' });
        const l = loss(w);
        const pairs = paddle.static.append_backward(l);
        paddle.static.global_scope().set('w', t(wv));
        const [lv, gv] = exe.run(main, { feed: {}, fetch_list: [l, pairs[0][1]] });
        assertClose(lv, ld, 1e-12);
        assertClose(gv, wd.grad!, 1e-10, 1e-12);
      }),
    );
  } finally {
    paddle.disable_static();
  }
});
