// fluid.load_op_library: a custom-operator library written in the test registers operators
// that then run in dygraph (with gradients), in static programs and in saved programs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { checkGrad } from '../helpers/gradcheck.js';

const { fluid } = paddle;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddle-ts-oplib-'));

// custom_relu_plus: Out = max(X, 0) + plus, dX = dOut * (X > 0).
// custom_sum_split: X[] (duplicable) -> Sum = sum of the inputs, Sign = sign(Sum) (no gradient).
const LIB = `
module.exports = function register(lib) {
  lib.defineOp({
    type: 'custom_relu_plus',
    inputs: ['X'],
    outputs: ['Out'],
    attrs: { plus: lib.attr.float(0) },
    infer(ins, attrs) {
      const x = ins.X[0];
      if (x.dtype !== 'float32' && x.dtype !== 'float64') lib.opFail('custom_relu_plus', 'X must be float32 or float64, got ' + x.dtype);
      return { Out: [{ dims: x.dims.slice(), dtype: x.dtype }] };
    },
    grad(ctx) {
      const x = ctx.input('X');
      const mask = lib.ops.maskOf('greater_than', x, lib.ops.zerosLike(x), x.dtype);
      return { X: [lib.ops.mul(ctx.outGrad('Out'), mask)] };
    },
  });
  lib.registerKernel('custom_relu_plus', 'js', (ins, attrs, outs) => {
    const x = ins.X[0];
    const out = lib.zeros(outs.Out[0].dims, x.dtype);
    const a = x.data, o = out.data, plus = attrs.plus;
    for (let i = 0; i < a.length; i++) o[i] = (a[i] > 0 ? a[i] : 0) + plus;
    return { Out: [out] };
  });
  lib.defineOp({
    type: 'custom_sum_split',
    inputs: ['X[]'],
    outputs: ['Sum', 'Sign'],
    noGradOutputs: ['Sign'],
    infer(ins) {
      const x = ins.X[0];
      return { Sum: [{ dims: x.dims.slice(), dtype: x.dtype }], Sign: [{ dims: x.dims.slice(), dtype: x.dtype }] };
    },
    grad(ctx) {
      return { X: ctx.inputs('X').map(() => ctx.outGrad('Sum')) };
    },
  });
  lib.registerKernel('custom_sum_split', 'js', (ins, _attrs, outs) => {
    const sum = lib.zeros(outs.Sum[0].dims, outs.Sum[0].dtype);
    for (const t of ins.X) for (let i = 0; i < t.data.length; i++) sum.data[i] += t.data[i];
    const sign = lib.tensor(Array.from(sum.data, Math.sign), outs.Sum[0].dims, outs.Sum[0].dtype);
    return { Sum: [sum], Sign: [sign] };
  });
};
`;
const libPath = path.join(dir, 'custom_ops.cjs');
fs.writeFileSync(libPath, LIB);

test('load_op_library registers operators that run in dygraph, with gradients', () => {
  const ops = fluid.load_op_library(libPath);
  assert.deepEqual(Object.keys(ops), ['custom_relu_plus', 'custom_sum_split']);
  const x = paddle.to_tensor([-1.5, 0.5, 2.0], { dtype: 'float32', stop_gradient: false });
  const y = ops.custom_relu_plus(x, { plus: 1 }) as paddle.Tensor;
  assertClose(y, [1, 1.5, 3]);
  assertClose(ops.custom_relu_plus(x) as paddle.Tensor, [0, 0.5, 2]); // plus defaults to 0
  y.sum().backward();
  assertClose(x.grad!, [0, 1, 1]);
  const x64 = paddle.to_tensor([[-1.3, 0.7], [2.1, -0.4]], { dtype: 'float64' });
  checkGrad((t) => ops.custom_relu_plus(t, { plus: 0.25 }) as paddle.Tensor, [x64]);
  // duplicable input, two outputs
  const a = paddle.to_tensor([1, -2], { dtype: 'float64' });
  const b = paddle.to_tensor([-3, 1], { dtype: 'float64' });
  const [sum, sign] = ops.custom_sum_split([a, b]) as paddle.Tensor[];
  assertClose(sum, [-2, -1]);
  assertClose(sign, [-1, -1]);
  checkGrad((p, q) => (ops.custom_sum_split([p, q]) as paddle.Tensor[])[0], [a, b]);
  // dispatch by type works like any operator
  assert.ok(paddle.Tensor);
  assertThrows(() => ops.custom_relu_plus(paddle.to_tensor([1, 2])), paddle.errors.InvalidArgumentError, /X must be float32 or float64, got int64/);
  assertThrows(() => ops.custom_relu_plus(x, { bogus: 1 }), paddle.errors.InvalidArgumentError, /has no attribute 'bogus'/);
});

test('custom operators build, differentiate and run static programs, and survive serialization', () => {
  const ops = fluid.load_op_library(libPath); // loading again replaces the custom definitions
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [null, 3], 'float32');
      x.stop_gradient = false;
      const y = ops.custom_relu_plus(x, { plus: 2 }) as paddle.static.Variable;
      // the same operator appended by type
      const block = main.global_block();
      const z = block.create_var({ name: 'z' });
      block.append_op({ type: 'custom_relu_plus', inputs: { X: [y] }, outputs: { Out: [z] }, attrs: { plus: -1 } });
      assert.deepEqual(z.shape, [-1, 3]); // inferred by the custom infer
      const loss = paddle.mean(z);
      const [gx] = paddle.static.gradients([loss], [x]);
      assert.deepEqual(block.ops.map((o) => o.type).slice(0, 3), ['custom_relu_plus', 'custom_relu_plus', 'reduce_mean']);
      assert.equal(block.ops[1].attr('plus'), -1);
      const exe = new paddle.static.Executor();
      const feed = { x: paddle.to_tensor([[-1, 0.5, 3], [2, -2, 1]], { dtype: 'float32' }) };
      const [zv, gv] = exe.run(main, { feed, fetch_list: [z, gx!] });
      assertClose(zv, [[1, 1.5, 4], [3, 1, 2]]);
      assertClose(gv, [[0, 1 / 6, 1 / 6], [1 / 6, 0, 1 / 6]]);

      // serialize -> deserialize -> run
      const bytes = paddle.static.serialize_program([x], [z]);
      const prog = paddle.static.deserialize_program(bytes);
      const types = prog.global_block().ops.map((o) => o.type);
      assert.ok(types.filter((t) => t === 'custom_relu_plus').length === 2, types.join(','));
      const plus = prog.global_block().ops.filter((o) => o.type === 'custom_relu_plus').map((o) => o.attr('plus'));
      assert.deepEqual(plus, [2, -1]);
      const [zz] = exe.run(prog, { feed, fetch_list: [z.name] });
      assertClose(zz, [[1, 1.5, 4], [3, 1, 2]]);
    });
  } finally {
    paddle.disable_static();
  }
});

test('load_op_library accepts a registration function or module object; errors are clear', () => {
  const ops = fluid.load_op_library({
    register(lib: paddle.fluid.OpLibraryApi) {
      lib.defineOp({ type: 'custom_double', inputs: ['X'], outputs: ['Out'], infer: (ins) => ({ Out: [{ dims: ins.X[0].dims, dtype: ins.X[0].dtype }] }), grad: (ctx) => ({ X: [lib.ops.scale(ctx.outGrad('Out'), 2)] }) });
      lib.registerKernel('custom_double', 'js', (ins) => ({ Out: [lib.tensor(Array.from(ins.X[0].data as Float32Array, (v) => 2 * v), ins.X[0].dims, ins.X[0].dtype)] }));
    },
  });
  assertClose(ops.custom_double(paddle.to_tensor([1, 2.5], { dtype: 'float32' })) as paddle.Tensor, [2, 5]);

  assertThrows(
    () => fluid.load_op_library((lib: paddle.fluid.OpLibraryApi) => void lib.defineOp({ type: 'relu', inputs: ['X'], outputs: ['Out'], infer: (ins) => ({ Out: ins.X }) })),
    paddle.errors.AlreadyExistsError,
    /Operator \(relu\) has been registered/,
  );
  assertThrows(() => fluid.load_op_library(path.join(dir, 'missing.cjs')), paddle.errors.NotFoundError, /no such file/);
  // an ES module: plain Node cannot require it synchronously (a clear error says how to load it);
  // under tsx (these tests) the loader compiles it and it registers like a CommonJS one
  const esm = path.join(dir, 'esm_ops.mjs');
  fs.writeFileSync(esm, "export default function register(lib) { lib.defineOp({ type: 'custom_esm_id', inputs: ['X'], outputs: ['Out'], infer: (ins) => ({ Out: ins.X }) }); }\n");
  try {
    assert.deepEqual(Object.keys(fluid.load_op_library(esm)), ['custom_esm_id']);
  } catch (e) {
    assert.ok(e instanceof paddle.errors.InvalidArgumentError && /ES module/.test(e.message), String(e));
  }
  const bad = path.join(dir, 'bad_ops.cjs');
  fs.writeFileSync(bad, 'module.exports = { something: 1 };\n');
  assertThrows(() => fluid.load_op_library(bad), paddle.errors.InvalidArgumentError, /does not export a registration function/);
  assertThrows(() => fluid.load_op_library(42 as never), paddle.errors.InvalidArgumentError, /expected a file name/);
});
