// nn.ClipGradByValue / ClipGradByNorm / ClipGradByGlobalNorm: the clipping math on
// [param, grad] pairs (hand-computed), need_clip, use as an optimizer's grad_clip (clipping
// comes before weight decay, as in Paddle's _apply_optimize), static-mode operators, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const nn = paddle.nn;
const t = (v: unknown) => paddle.to_tensor(v as number[], { dtype: 'float64' });
function param(value: unknown, need_clip = true): paddle.Tensor {
  const v = t(value);
  const w = paddle.create_parameter(v.shape, 'float64', { attr: new paddle.ParamAttr({ need_clip }) });
  w.set_value(v);
  return w;
}

test('ClipGradByValue clamps into [min, max] (min defaults to -max); need_clip=false is left alone', () => {
  const a = param([1, 2, 3]);
  const b = param([1, 2], false);
  const clip = new nn.ClipGradByValue({ max: 1 });
  assert.equal(clip.min, -1);
  const out = clip.__call__([[a, t([-3, 0.5, 2])], [b, t([5, -5])]]);
  assertClose(out[0][1]!, [-1, 0.5, 1]);
  assertClose(out[1][1]!, [5, -5]);
  const c2 = new nn.ClipGradByValue(0.5, -0.2);
  assertClose(c2.__call__([[a, t([-3, 0.1, 2])]])[0][1]!, [-0.2, 0.1, 0.5]);
  // pairs without a gradient are dropped
  assert.equal(clip.__call__([[a, null]]).length, 0);
  assert.equal(String(c2), 'Clip Gradient By Value, min = -0.200000, max=0.500000');
  assertThrows(() => new nn.ClipGradByValue(-1), paddle.errors.InvalidArgumentError, /max must be greater than 0/);
});

test('ClipGradByNorm rescales each gradient to norm <= clip_norm', () => {
  const a = param([0, 0]);
  const b = param([0, 0]);
  const clip = new nn.ClipGradByNorm({ clip_norm: 1.0 });
  const out = clip.__call__([[a, t([3, 4])], [b, t([0.3, 0.4])]]);
  assertClose(out[0][1]!, [0.6, 0.8], 1e-12); // norm 5 -> 1
  assertClose(out[1][1]!, [0.3, 0.4], 1e-12); // norm 0.5 stays
  assert.equal(String(clip), 'Gradient Clip By Norm, clip_norm=1.000000');
  assertThrows(() => new nn.ClipGradByNorm(0), paddle.errors.InvalidArgumentError, /clip_norm should be greater than 0/);
});

test('ClipGradByGlobalNorm scales all gradients by clip_norm / max(global_norm, clip_norm)', () => {
  const a = param([0, 0]);
  const b = param([[0]]);
  const c = param([0], false);
  const clip = new nn.ClipGradByGlobalNorm(6.5);
  assert.equal(clip.group_name, 'default_group');
  // global norm sqrt(9 + 16 + 144) = 13 -> scale 0.5; c is neither counted nor scaled
  const out = clip.__call__([[a, t([3, 4])], [b, t([[12]])], [c, t([100])]]);
  assertClose(out[0][1]!, [1.5, 2], 1e-12);
  assertClose(out[1][1]!, [[6]], 1e-12);
  assertClose(out[2][1]!, [100]);
  // below the limit: unchanged
  const out2 = new nn.ClipGradByGlobalNorm(20).__call__([[a, t([3, 4])], [b, t([[12]])]]);
  assertClose(out2[0][1]!, [3, 4], 1e-12);
  assert.equal(String(clip), 'Gradient Clip By GlobalNorm, global_norm=6.500000');
});

test('grad_clip in an optimizer: clip, then weight decay, then the update', () => {
  const w = param([2, -2]);
  const sgd = new paddle.optimizer.SGD({ learning_rate: 1.0, parameters: [w], weight_decay: 0.1, grad_clip: new nn.ClipGradByValue(0.5) });
  w.grad = t([3, -0.25]);
  sgd.step();
  // clipped [0.5, -0.25], plus 0.1*w = [0.2, -0.2] -> [0.7, -0.45]; w - that
  assertClose(w, [1.3, -1.55], 1e-12);
  const v = param([1, 1]);
  const u = param([1]);
  const adam = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: [v, u], grad_clip: new nn.ClipGradByGlobalNorm(1.0) });
  v.grad = t([3, 4]);
  u.grad = t([0]);
  adam.step();
  assertClose(v, [1 - 0.06, 1 - 0.08], 1e-12);
});

test('clipping in static mode appends Paddle operators', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    paddle.static.program_guard(main, new paddle.static.Program(), () => {
      const block = main.global_block();
      const p = block.create_parameter({ name: 'p', shape: [2], dtype: 'float32' });
      const g = block.create_var({ name: 'p@GRAD', shape: [2], dtype: 'float32' });
      new nn.ClipGradByValue(1).__call__([[p, g]]);
      new nn.ClipGradByNorm(1).__call__([[p, g]]);
      new nn.ClipGradByGlobalNorm(1).__call__([[p, g]]);
      const types = block.ops.map((o) => o.type);
      assert.deepEqual(types, ['clip', 'clip_by_norm', 'square', 'reduce_sum', 'sum', 'sqrt', 'fill_constant', 'elementwise_max', 'elementwise_div', 'elementwise_mul']);
      assert.equal(block.ops[0].attr('op_role'), paddle.static.OpRole.Optimize);
      assert.equal(block.ops[0].attr('op_namescope'), '/gradient_clip/');
      const exe = new paddle.static.Executor();
      const outs = exe.run(main, { feed: { 'p@GRAD': new Float32Array([3, 4]) }, fetch_list: [block.ops[0].output('Out')[0], block.ops[1].output('Out')[0], block.ops[9].output('Out')[0]] });
      assertClose(outs[0], [1, 1]);
      assertClose(outs[1], [0.6, 0.8]);
      assertClose(outs[2], [0.6, 0.8]);
    });
  } finally {
    paddle.disable_static();
  }
});
