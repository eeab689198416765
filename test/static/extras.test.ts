// paddle.static's remaining names: save/load checkpoints, program state, CompiledProgram and
// friends, create_global_var/create_parameter, py_func, WeightNormParamAttr.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { pythonWith, runPython } from '../helpers/python.js';

function staticRun<R>(fn: (main: paddle.static.Program, startup: paddle.static.Program, exe: paddle.static.Executor) => R): R {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    return paddle.static.scope_guard(new paddle.static.Scope(), () => paddle.static.program_guard(main, startup, () => fn(main, startup, new paddle.static.Executor())));
  } finally {
    paddle.disable_static();
  }
}

test('static.save writes .pdparams/.pdopt/.pdmodel; static.load and set_program_state restore them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-ssave-'));
  try {
    staticRun((main, startup, exe) => {
      const x = paddle.static.data('x', [null, 2], 'float32');
      const fc = new paddle.nn.Linear(2, 1);
      const loss = paddle.mean(fc(x));
      new paddle.optimizer.Adam({ learning_rate: 0.1, parameters: fc.parameters() }).minimize(loss);
      exe.run(startup);
      exe.run(main, { feed: { x: [[1, 2]] }, fetch_list: [loss] });
      const scope = paddle.static.global_scope();
      const w = scope.find_var(fc.weight.name)!.tolist();
      paddle.static.save(main, join(dir, 'ckpt'));
      for (const ext of ['.pdparams', '.pdopt', '.pdmodel']) assert.ok(existsSync(join(dir, 'ckpt' + ext)), ext);
      const state = paddle.static.load_program_state(join(dir, 'ckpt'));
      assert.deepEqual(state[fc.weight.name].tolist(), w);
      assert.ok(Object.keys(state).some((k) => k.includes('moment1')), 'optimizer state is in .pdopt');
      // clobber, then load back
      scope.set(fc.weight.name, paddle.zeros([2, 1]));
      paddle.static.load(main, join(dir, 'ckpt'), exe);
      assert.deepEqual(scope.find_var(fc.weight.name)!.tolist(), w);
      scope.set(fc.weight.name, paddle.zeros([2, 1]));
      const unused = paddle.static.set_program_state(main, { ...state, not_a_var: paddle.zeros([1]) });
      assert.deepEqual(unused, ['not_a_var']);
      assert.deepEqual(scope.find_var(fc.weight.name)!.tolist(), w);
      assertThrows(() => paddle.static.set_program_state(main, { [fc.weight.name]: paddle.zeros([3]) }), paddle.errors.InvalidArgumentError, /has shape \[2, 1\]/);
      assertThrows(() => paddle.static.load(main, join(dir, 'nope'), exe), paddle.errors.NotFoundError, /nope\.pdparams/);
    });
    if (pythonWith('numpy')) {
      // the .pdparams pickle is a plain dict of arrays Python reads
      const keys = JSON.parse(runPython(`import pickle, json\nd = pickle.load(open(${JSON.stringify(join(dir, 'ckpt.pdparams'))}, 'rb'))\nprint(json.dumps(sorted((k, list(v.shape)) for k, v in d.items())))`, ['numpy']));
      assert.deepEqual(keys.map((k: [string, number[]]) => k[1]), [[1], [2, 1]]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CompiledProgram, ParallelExecutor, strategies and places run on the CPU', () => {
  staticRun((main, startup, exe) => {
    const x = paddle.static.data('x', [null, 2], 'float32');
    const y = paddle.scale(x, 2);
    const bs = new paddle.static.BuildStrategy();
    bs.enable_inplace = true;
    const compiled = new paddle.static.CompiledProgram(main, bs).with_data_parallel(y.name, bs, new paddle.static.ExecutionStrategy());
    const [r] = exe.run(compiled, { feed: { x: [[1, 2]] }, fetch_list: [y] });
    assertClose(r, [[2, 4]]);
    const pe = new paddle.static.ParallelExecutor(false, null, main);
    assertClose(pe.run([y], { x: [[3, 4]] })[0], [[6, 8]]);
    assert.equal(paddle.static.cpu_places(2).length, 2);
    assert.deepEqual(paddle.static.cuda_places(), []);
    assertThrows(() => new paddle.static.ParallelExecutor(true), paddle.errors.UnavailableError, /CUDA/);
    void startup;
  });
});

test('create_global_var is filled by the startup program; create_parameter makes a Parameter', () => {
  staticRun((main, startup, exe) => {
    const g = paddle.static.create_global_var([2], 1.5, 'float32', true, false, 'gv');
    const w = paddle.static.create_parameter([2], 'float32', 'pw', null, false, new paddle.nn.initializer.Constant(3));
    assert.ok(w instanceof paddle.static.Parameter);
    const s = paddle.add(g, w);
    exe.run(startup);
    assertClose(exe.run(main, { fetch_list: [s] })[0], [4.5, 4.5]);
    assert.equal(main.global_block().var('gv').stop_gradient, true);
  });
  assertThrows(() => paddle.static.create_parameter([2], 'float32'), paddle.errors.InvalidArgumentError, /enable_static/);
});

test('py_func runs a JS function forward and its backward_func in append_backward', () => {
  staticRun((main, _startup, exe) => {
    const x = paddle.static.data('x', [3], 'float32');
    x.stop_gradient = false;
    const out = main.global_block().create_var({ name: 'pyout', shape: [3], dtype: 'float32' });
    paddle.static.py_func((t) => paddle.multiply(t, t), x, out, (t, o, dout) => paddle.multiply(paddle.multiply(t, dout), 2), null);
    const [gx] = paddle.static.gradients([out], [x]);
    const [o, g] = exe.run(main, { feed: { x: [1, 2, 3] }, fetch_list: [out, gx!] });
    assertClose(o, [1, 4, 9]);
    assertClose(g, [2, 4, 6]);
  });
});

test('WeightNormParamAttr: w = g * v / ||v||, g starts at ||v||', () => {
  staticRun((main, startup, exe) => {
    const x = paddle.static.data('x', [null, 2], 'float32');
    const fc = new paddle.nn.Linear(2, 2, { weight_attr: new paddle.static.WeightNormParamAttr({ dim: 1, name: 'wn', initializer: new paddle.nn.initializer.Assign(paddle.to_tensor([[3, 0], [4, 2]], { dtype: 'float32' })) }), bias_attr: false });
    const y = fc(x);
    assert.deepEqual(main.all_parameters().map((p) => p.name).sort(), ['wn_g', 'wn_v']);
    exe.run(startup);
    const scope = paddle.static.global_scope();
    // norms over dim 0 for each column (dim=1 kept): [5, 2]
    assertClose(scope.find_var('wn_g')!, [[5, 2]]);
    const [r] = exe.run(main, { feed: { x: [[1, 1]] }, fetch_list: [y] });
    assertClose(r, [[7, 2]], 1e-5); // w equals v at the start
  });
});
