// Static mode: building programs with the same API, append_op by type, running them, and
// differentiating them with append_backward (checked against hand-derived gradients).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

/** Runs fn in static mode with fresh programs and scope. */
function staticRun<R>(fn: (main: paddle.static.Program, startup: paddle.static.Program, exe: paddle.static.Executor) => R): R {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    return paddle.static.scope_guard(new paddle.static.Scope(), () => paddle.static.program_guard(main, startup, () => fn(main, startup, exe)));
  } finally {
    paddle.disable_static();
  }
}

test('enable_static switches the same API to building a program; disable_static switches back', () => {
  assert.equal(paddle.in_dynamic_mode(), true);
  staticRun((main, _s, exe) => {
    assert.equal(paddle.in_dynamic_mode(), false);
    const x = paddle.static.data('x', [null, 3], 'float32');
    const y = paddle.multiply(paddle.add(x, x), 2).subtract(1);
    assert.ok(y instanceof paddle.static.Variable);
    assert.deepEqual(y.shape, [-1, 3]);
    assert.deepEqual(main.global_block().ops.map((o) => o.type), ['elementwise_add', 'scale', 'scale']);
    assert.match(main.to_string(), /var x : LOD_TENSOR\.shape\(-1, 3\)\.dtype\(float32\)/);
    const [out] = exe.run(main, { feed: { x: [[1, 2, 3], [4, 5, 6]] }, fetch_list: [y] });
    assertClose(out, [[3, 7, 11], [15, 19, 23]]);
  });
  assert.equal(paddle.in_dynamic_mode(), true);
});

test('append_op by operator type infers undeclared outputs and checks slots', () => {
  staticRun((main) => {
    const block = main.global_block();
    const x = block.create_var({ name: 'x', shape: [-1, 4], dtype: 'float32' });
    const y = block.create_var({ name: 'y', shape: [4], dtype: 'float32' });
    const out = block.create_var({ name: 'out' });
    const op = block.append_op({ type: 'elementwise_add', inputs: { X: [x], Y: [y] }, outputs: { Out: [out] }, attrs: { axis: -1, use_mkldnn: null } });
    assert.deepEqual(out.shape, [-1, 4]);
    assert.equal(out.dtype, 'float32');
    assert.equal(op.attr('axis'), -1);
    assert.equal(op.has_attr('use_mkldnn'), false); // null attributes are dropped
    assert.deepEqual(op.input('X'), ['x']);
    assert.deepEqual(op.output_arg_names, ['out']);
    assertThrows(() => block.append_op({ type: 'elementwise_add', inputs: { X: [x] }, outputs: { Out: [out] } }), paddle.errors.InvalidArgumentError, /input slot Y .* is required/);
    assertThrows(() => block.append_op({ type: 'elementwise_add', inputs: { X: [x], Y: [y], Z: [y] }, outputs: { Out: [out] } }), paddle.errors.InvalidArgumentError, /no input slot 'Z'/);
    assertThrows(() => block.var('nope'), paddle.errors.NotFoundError, /'nope'/);
  });
});

test('Executor checks feeds and fetches', () => {
  staticRun((main, _s, exe) => {
    const x = paddle.static.data('x', [null, 2], 'float32');
    const y = paddle.add(x, 1);
    assertThrows(() => exe.run(main, { feed: { x: [[1, 2, 3]] }, fetch_list: [y] }), paddle.errors.InvalidArgumentError, /'x' should have shape \[-1, 2\]/);
    assertThrows(() => exe.run(main, { feed: { q: [[1, 2]] }, fetch_list: [y] }), paddle.errors.NotFoundError, /'q'/);
    assertThrows(() => exe.run(main, { feed: {}, fetch_list: [y] }), paddle.errors.PreconditionNotMetError, /'x'/);
    // a flat typed array fills the declared shape
    const [r] = exe.run(main, { feed: { x: new Float32Array([1, 2, 3, 4]) }, fetch_list: [y.name] });
    assertClose(r, [[2, 3], [4, 5]]);
  });
});

test('append_backward gives d/dw of mean((x*w - t)^2) = 2/N * (x*w - t) * x', () => {
  staticRun((main, _s, exe) => {
    const x = paddle.static.data('x', [null, 3], 'float32');
    const t = paddle.static.data('t', [null, 3], 'float32');
    const w = main.global_block().create_parameter({ name: 'w', shape: [3], dtype: 'float32' });
    const loss = paddle.mean(paddle.square(paddle.subtract(paddle.multiply(x, w), t)));
    const pairs = paddle.static.append_backward(loss);
    assert.equal(pairs.length, 1);
    assert.equal(pairs[0][0].name, 'w');
    assert.equal(pairs[0][1].name, 'w@GRAD');
    paddle.static.global_scope().set('w', paddle.to_tensor([0.5, -1, 2], { dtype: 'float32' }));
    const xs = [[1, 2, 3], [4, 5, 6]];
    const ts = [[0, 1, 0], [1, 0, 1]];
    const [l, g] = exe.run(main, { feed: { x: xs, t: ts }, fetch_list: [loss, pairs[0][1]] });
    const wv = [0.5, -1, 2];
    const N = 6;
    let lossV = 0;
    const grad = [0, 0, 0];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) {
        const d = xs[i][j] * wv[j] - ts[i][j];
        lossV += (d * d) / N;
        grad[j] += ((2 / N) * d * xs[i][j]);
      }
    assertClose(l, [lossV], 1e-6);
    assertClose(g, grad, 1e-5);
  });
});

test('gradients() differentiates with respect to data variables', () => {
  staticRun((main, _s, exe) => {
    const x = paddle.static.data('x', [2], 'float32');
    const y = paddle.multiply(paddle.multiply(x, x), x);
    const [gx] = paddle.static.gradients([y], [x]);
    const [r] = exe.run(main, { feed: { x: [1, -2] }, fetch_list: [gx!] });
    assertClose(r, [3, 12]);
  });
});

test('clone(for_test) copies blocks and switches is_test', () => {
  staticRun((main) => {
    const block = main.global_block();
    const x = block.create_var({ name: 'x', shape: [2], dtype: 'float32' });
    block.append_op({ type: 'scale', inputs: { X: [x] }, outputs: { Out: [block.create_var({ name: 'o' })] }, attrs: { scale: 3, is_test: false } });
    const c = main.clone(true);
    assert.equal(c.global_block().ops[0].attr('is_test'), true);
    assert.equal(main.global_block().ops[0].attr('is_test'), false);
    assert.equal(c.global_block().var('o').shape[0], 2);
    assert.notEqual(c.global_block().var('x'), x);
  });
});

test('layers in static mode: parameters in the main program, initializers in the startup program', () => {
  staticRun((main, startup, exe) => {
    const x = paddle.static.data('x', [null, 3], 'float32');
    const fc = new paddle.nn.Linear(3, 2, { bias_attr: new paddle.ParamAttr({ initializer: new paddle.nn.initializer.Constant(0.5) }) });
    const y = fc(x);
    const [w, b] = fc.parameters();
    assert.ok(w instanceof paddle.static.Parameter);
    assert.deepEqual(main.all_parameters().map((p) => p.name).sort(), [b.name, w.name].sort());
    assert.deepEqual(startup.global_block().ops.map((o) => o.type).sort(), ['fill_constant', 'uniform_random']);
    exe.run(startup);
    const wv = paddle.static.global_scope().find_var(w.name)!;
    const bv = paddle.static.global_scope().find_var(b.name)!;
    assertClose(bv, [0.5, 0.5]);
    // Xavier-uniform bound for [3, 2]: sqrt(6 / (3 + 2))
    const bound = Math.sqrt(6 / 5);
    assert.ok((wv.tolist() as number[][]).flat().every((v) => Math.abs(v) <= bound));
    const [out] = exe.run(main, { feed: { x: [[1, 2, 3]] }, fetch_list: [y] });
    const W = wv.tolist() as number[][];
    assertClose(out, [[0, 1].map((j) => 1 * W[0][j] + 2 * W[1][j] + 3 * W[2][j] + 0.5)], 1e-5);
  });
});

test('optimizer.minimize in static mode follows an LR scheduler stepped between runs', () => {
  staticRun((main, startup, exe) => {
    const x = paddle.static.data('x', [null, 1], 'float32');
    const fc = new paddle.nn.Linear(1, 1, { weight_attr: new paddle.ParamAttr({ initializer: new paddle.nn.initializer.Constant(1) }), bias_attr: false });
    const loss = paddle.mean(fc(x));
    const sched = new paddle.optimizer.lr.StepDecay(1.0, 1, 0.5);
    new paddle.optimizer.SGD({ learning_rate: sched, parameters: fc.parameters() }).minimize(loss);
    exe.run(startup);
    // d loss / d w = x = 1, so w goes 1 -> 1 - 1 -> 0 - 0.5 -> -0.5 - 0.25
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      exe.run(main, { feed: { x: [[1]] }, fetch_list: [loss] });
      seen.push((paddle.static.global_scope().find_var(fc.weight.name)!.tolist() as number[][])[0][0]);
      sched.step();
    }
    assert.deepEqual(seen, [0, -0.5, -0.75]);
  });
});
