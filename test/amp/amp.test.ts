// paddle.amp: auto_cast and GradScaler. Without CUDA (always, here) Paddle 2.0 warns once that
// AMP "makes no effect" and runs in float32 / leaves the loss unscaled. The dynamic loss-scaling
// logic is tested with `_enable` forced on: scaled loss, unscaled gradients, the step skipped on
// inf/nan (check_finite_and_unscale zeroes the gradients), the scale's decrease and increase.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import * as paddle from '../../src/index.js';
import { ampState } from '../../src/amp/auto_cast.js';
import { assertClose, assertThrows } from '../helpers/assert.js';

const nn = paddle.nn;
type Tensor = paddle.Tensor;

function captureWarnings(t: TestContext): string[] {
  const seen: string[] = [];
  t.mock.method(process, 'emitWarning', (msg: string | Error) => void seen.push(String(msg)));
  return seen;
}

function model(): InstanceType<typeof nn.Linear> {
  const fc = new nn.Linear(2, 1);
  fc.weight.set_value([[1], [-2]]);
  fc.bias!.set_value([0.5]);
  return fc;
}
const X = [[1, 2], [3, 4]];
// loss = mean(x @ w + b): d/dw = mean of the rows of x = [2, 3], d/db = 1; loss = mean([-2.5, -4.5]) = -3.5

test('get_cudnn_version is None without CUDA', () => {
  assert.equal(paddle.get_cudnn_version(), null);
  assert.equal(paddle.is_compiled_with_cuda(), false);
});

test('auto_cast on the CPU: warns once, runs the function in float32 and returns its result', (t) => {
  const seen = captureWarnings(t);
  const fc = model();
  const x = paddle.to_tensor(X, { dtype: 'float32' });
  const y = paddle.amp.auto_cast(() => fc(x));
  assert.equal(y.dtype, 'float32');
  assertClose(y, [[-2.5], [-4.5]]);
  const y2 = paddle.amp.auto_cast({ enable: true, custom_white_list: ['elementwise_add'] }, () => paddle.add(x, x));
  assert.equal(y2.dtype, 'float32');
  assert.equal(paddle.amp.auto_cast(true, () => 7), 7);
  assert.equal(paddle.amp.auto_cast(false, () => 'off'), 'off');
  assert.equal(paddle.amp.auto_cast(true, new Set(['conv2d']), ['softmax'], () => 1), 1);
  const amp = seen.filter((m) => /amp_guard can only be enabled on CUDAPlace/.test(m));
  assert.equal(amp.length, 1);
  assert.match(amp[0], /current place is CPUPlace, so it makes no effect\./);
});

test('auto_cast records its (disabled) state and op lists only inside the call, also across a promise', async () => {
  assert.equal(ampState.enable, false);
  paddle.amp.auto_cast({ custom_white_list: ['exp'], custom_black_list: new Set(['conv2d']) }, () => {
    assert.equal(ampState.enable, false); // no CUDA: AMP stays off
    assert.ok(ampState.white.has('exp') && !ampState.black.has('exp'));
    assert.ok(ampState.black.has('conv2d') && !ampState.white.has('conv2d'));
  });
  assert.ok(ampState.white.has('conv2d') && !ampState.white.has('exp'));
  const r = await paddle.amp.auto_cast({ custom_white_list: ['log'] }, async () => {
    await new Promise((res) => setTimeout(res, 1));
    return ampState.white.has('log');
  });
  assert.equal(r, true);
  assert.equal(ampState.white.has('log'), false);
});

test('auto_cast errors', () => {
  assertThrows(() => paddle.amp.auto_cast({ custom_white_list: ['exp'], custom_black_list: ['exp'] }, () => 0), paddle.errors.InvalidArgumentError, /paddle\.amp\.auto_cast/, /Custom white list overlap custom black list/);
  assertThrows(() => (paddle.amp.auto_cast as (...a: unknown[]) => unknown)(true), paddle.errors.InvalidArgumentError, /expected a function/);
  assertThrows(() => paddle.amp.auto_cast({ enabled: true } as never, () => 0), paddle.errors.InvalidArgumentError, /unexpected keyword argument 'enabled'/);
  assertThrows(() => paddle.amp.auto_cast('yes' as never, () => 0), paddle.errors.InvalidArgumentError, /argument 'enable'/);
  paddle.enable_static();
  try {
    assertThrows(() => paddle.amp.auto_cast(() => 0), paddle.errors.PreconditionNotMetError, /only support 'auto_cast\(\)' in dynamic graph mode/);
    assertThrows(() => new paddle.amp.GradScaler(), paddle.errors.PreconditionNotMetError, /dynamic graph mode/);
  } finally {
    paddle.disable_static();
  }
});

test('GradScaler on the CPU: warns once, disabled; scale returns the loss, minimize is optimizer.minimize', (t) => {
  const seen = captureWarnings(t);
  const scaler = new paddle.amp.GradScaler({ init_loss_scaling: 1024 });
  new paddle.amp.GradScaler();
  assert.equal(seen.filter((m) => /AmpScaler can only be enabled on CUDAPlace, current place is CPUPlace, so it makes no effect\./.test(m)).length, 1);
  assert.equal(scaler._enable, false);
  const fc = model();
  const opt = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: fc.parameters() });
  const loss = paddle.mean(fc(paddle.to_tensor(X, { dtype: 'float32' })));
  const scaled = scaler.scale(loss);
  assert.equal(scaled, loss);
  scaled.backward();
  const r = scaler.minimize(opt, scaled) as [unknown, [Tensor, Tensor][]];
  assert.equal(r.length, 2);
  assertClose(fc.weight, [[1 - 0.1 * 2], [-2 - 0.1 * 3]]);
  assertClose(fc.bias!, [0.5 - 0.1]);
  // Paddle 2.0's GradScaler defaults (decr_every_n_nan_or_inf is 2 here, 1 in AmpScaler)
  const d = new paddle.amp.GradScaler(false);
  assert.deepEqual(
    [d._init_loss_scaling, d._incr_ratio, d._decr_ratio, d._incr_every_n_steps, d._decr_every_n_nan_or_inf, d._use_dynamic_loss_scaling],
    [32768, 2, 0.5, 1000, 2, true],
  );
  assertThrows(() => scaler.scale([1] as never), paddle.errors.InvalidArgumentError, /The type of 'var' in AmpScaler\.scale\(\) must be Tensor/);
  assertThrows(() => scaler.minimize(null as never), paddle.errors.InvalidArgumentError, /expected an Optimizer/);
});

test('GradScaler with _enable forced: scaled loss, unscaled grads, increase every n finite steps', (t) => {
  captureWarnings(t);
  const scaler = new paddle.amp.GradScaler({ init_loss_scaling: 1024, incr_every_n_steps: 2 });
  scaler._enable = true;
  const fc = model();
  const opt = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: fc.parameters() });
  const x = paddle.to_tensor(X, { dtype: 'float32' });
  const loss = paddle.mean(fc(x));
  const scaled = scaler.scale(loss);
  assertClose(scaled, [-3.5 * 1024]);
  scaled.backward();
  assertClose(fc.weight.grad!, [[2 * 1024], [3 * 1024]]);
  scaler.minimize(opt, scaled);
  // the gradients were unscaled in place before the update
  assertClose(fc.weight.grad!, [[2], [3]]);
  assertClose(fc.bias!.grad!, [1]);
  assertClose(fc.weight, [[1 - 0.2], [-2 - 0.3]]);
  assertClose(fc.bias!, [0.4]);
  assert.equal(scaler._found_inf.item(), false);
  assert.deepEqual([scaler._incr_count, scaler._decr_count], [1, 0]);
  assertClose(scaler._scale, [1024]);
  opt.clear_grad();
  const s2 = scaler.scale(paddle.mean(fc(x)));
  s2.backward();
  scaler.minimize(opt, s2);
  assertClose(fc.weight, [[0.8 - 0.2], [-2.3 - 0.3]]);
  assert.deepEqual([scaler._incr_count, scaler._decr_count], [0, 0]);
  assertClose(scaler._scale, [2048]); // 2 finite steps: * incr_ratio
  assert.equal(scaler._scale.dtype, 'float32');
});

test('GradScaler with _enable forced: inf/nan skips the step and decreases the scale every n such steps', (t) => {
  captureWarnings(t);
  const logs: string[] = [];
  t.mock.method(console, 'log', (m: string) => void logs.push(m));
  const scaler = new paddle.amp.GradScaler({ init_loss_scaling: 1024 }); // decr_every_n_nan_or_inf = 2
  scaler._enable = true;
  const fc = model();
  const opt = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: fc.parameters() });
  const x = paddle.to_tensor(X, { dtype: 'float32' });
  const step = (bad: number): unknown => {
    opt.clear_grad();
    const s = scaler.scale(paddle.mean(fc(x)));
    s.backward();
    fc.weight.grad!.data[0] = bad;
    return scaler.minimize(opt, s);
  };
  const r = step(Infinity);
  assert.deepEqual(r, [null, null]);
  assert.equal(scaler._found_inf.item(), true);
  // no update; check_finite_and_unscale multiplied the gradients by 0 once inf was found (inf * 0 = nan)
  assertClose(fc.weight, [[1], [-2]]);
  assertClose(fc.bias!, [0.5]);
  assertClose(fc.weight.grad!, [[NaN], [0]]);
  assert.deepEqual([scaler._incr_count, scaler._decr_count], [0, 1]);
  assertClose(scaler._scale, [1024]);
  step(NaN);
  assert.deepEqual([scaler._incr_count, scaler._decr_count], [0, 0]);
  assertClose(scaler._scale, [512]);
  assert.deepEqual(logs, ['Found inf or nan, current scale is: 1024.0, decrease to: 1024.0*0.5']);
  // a finite step after that updates with the gradients unscaled by the new scale
  step(512 * 2);
  assertClose(fc.weight, [[1 - 0.1 * 2], [-2 - 0.1 * 3]]);
  assert.deepEqual([scaler._incr_count, scaler._decr_count], [1, 0]);
  // a fixed scale (use_dynamic_loss_scaling=false) never changes
  const fixed = new paddle.amp.GradScaler({ init_loss_scaling: 8, use_dynamic_loss_scaling: false, decr_every_n_nan_or_inf: 1 });
  fixed._enable = true;
  const fc2 = model();
  const opt2 = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: fc2.parameters() });
  const s = fixed.scale(paddle.mean(fc2(x)));
  s.backward();
  fc2.bias!.grad!.data[0] = -Infinity;
  fixed.minimize(opt2, s);
  assertClose(fixed._scale, [8]);
  assertClose(fc2.weight, [[1], [-2]]);
});
