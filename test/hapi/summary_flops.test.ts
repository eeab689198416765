// paddle.summary and paddle.flops: Paddle's table text and totals for LeNet (61,610
// parameters, 347,560 FLOPs, as Paddle's docs print them), a Sequential with batch norm,
// pools and a grouped conv against hand counts, multiple inputs, custom counters, static
// programs, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { guard } from '../../src/static/unique_name.js';
import { assertThrows } from '../helpers/assert.js';
import { capture } from './fixtures.js';

const nn = paddle.nn;
const E = paddle.errors;

// Python: '{:^{}} {:^{}} {:^{}} {:^{}}'.format(...) per row of Paddle's LeNet example
const LENET_TABLE =
  '---------------------------------------------------------------------------\n' +
  ' Layer (type)       Input Shape          Output Shape         Param #    \n' +
  '===========================================================================\n' +
  '   Conv2D-1       [[1, 1, 28, 28]]      [1, 6, 28, 28]          60       \n' +
  '    ReLU-1        [[1, 6, 28, 28]]      [1, 6, 28, 28]           0       \n' +
  '  MaxPool2D-1     [[1, 6, 28, 28]]      [1, 6, 14, 14]           0       \n' +
  '   Conv2D-2       [[1, 6, 14, 14]]     [1, 16, 10, 10]         2,416     \n' +
  '    ReLU-2       [[1, 16, 10, 10]]     [1, 16, 10, 10]           0       \n' +
  '  MaxPool2D-2    [[1, 16, 10, 10]]      [1, 16, 5, 5]            0       \n' +
  '   Linear-1          [[1, 400]]            [1, 120]           48,120     \n' +
  '   Linear-2          [[1, 120]]            [1, 84]            10,164     \n' +
  '   Linear-3          [[1, 84]]             [1, 10]              850      \n' +
  '===========================================================================\n' +
  'Total params: 61,610\n' +
  'Trainable params: 61,610\n' +
  'Non-trainable params: 0\n' +
  '---------------------------------------------------------------------------\n' +
  'Input size (MB): 0.00\n' +
  'Forward/backward pass size (MB): 0.11\n' +
  'Params size (MB): 0.24\n' +
  'Estimated Total Size (MB): 0.35\n' +
  '---------------------------------------------------------------------------\n\n';

const lenet = (): paddle.nn.Layer => guard(() => new paddle.vision.models.LeNet());

test('paddle.summary(LeNet): Paddle\'s table and totals', () => {
  const net = lenet();
  const { out, result } = capture(() => paddle.summary(net, [1, 1, 28, 28]));
  assert.equal(out, LENET_TABLE);
  assert.deepEqual(result, { total_params: 61610, trainable_params: 61610 });
  assert.equal(net.training, true, 'the train mode is restored');
  // None / -1 batch sizes count as 1; an InputSpec works too; keywords
  assert.equal(capture(() => paddle.summary(net, [null, 1, 28, 28] as never)).out, LENET_TABLE);
  assert.equal(capture(() => paddle.summary(net, new paddle.static.InputSpec([-1, 1, 28, 28], 'float32', 'x'))).out, LENET_TABLE);
  assert.equal(capture(() => paddle.summary({ net, input_size: [1, 1, 28, 28] })).out, LENET_TABLE);
  // a given input Tensor
  assert.equal(capture(() => paddle.summary(net, null, null, paddle.rand([1, 1, 28, 28]))).out, LENET_TABLE);
});

function mixedNet(): paddle.nn.Sequential {
  return guard(() =>
    new nn.Sequential(
      new nn.Conv2D(3, 8, 3, { padding: 1 }),
      new nn.BatchNorm2D(8),
      new nn.ReLU(),
      new nn.AvgPool2D(2),
      new nn.Conv2D(8, 8, 3, { padding: 1, groups: 2, bias_attr: false }),
      new nn.AdaptiveAvgPool2D(2),
      new nn.Flatten(),
      new nn.Linear(32, 10),
      new nn.Dropout(0.5),
      new nn.LeakyReLU(),
    ),
  );
}

test('paddle.summary of a Sequential: batch-norm statistics are not trainable', () => {
  const { out, result } = capture(() => paddle.summary(mixedNet(), [1, 3, 8, 8]));
  // conv 3*8*9+8 = 224, bn 4*8 = 32 (16 trainable), grouped conv 8*4*9 = 288, linear 32*10+10 = 330
  assert.deepEqual(result, { total_params: 874, trainable_params: 858 });
  const lines = out.split('\n');
  assert.match(lines[4], /^\s+BatchNorm2D-1\s+\[\[1, 8, 8, 8\]\]\s+\[1, 8, 8, 8\]\s+32\s+$/);
  assert.match(lines[8], /^AdaptiveAvgPool2D-1\s+\[\[1, 8, 4, 4\]\]\s+\[1, 8, 2, 2\]\s+0\s+$/);
  assert.match(out, /Total params: 874\nTrainable params: 858\nNon-trainable params: 16\n/);
  assert.ok(!/Sequential/.test(out), 'containers are not rows');
});

test('paddle.summary with several inputs and dtypes', () => {
  class Two extends nn.Layer {
    a = new nn.Linear(3, 4);
    b = new nn.Embedding(10, 4);
    override forward(x: paddle.Tensor, ids: paddle.Tensor) {
      return paddle.add(this.a(x), paddle.sum(this.b(ids), 1));
    }
  }
  const net = guard(() => new Two());
  const { out, result } = capture(() => paddle.summary(net, [[2, 3], [2, 5]], ['float32', 'int64']));
  assert.deepEqual(result, { total_params: 16 + 40, trainable_params: 56 });
  assert.match(out, /Linear-1\s+\[\[2, 3\]\]\s+\[2, 4\]\s+16/);
  assert.match(out, /Embedding-1\s+\[\[2, 5\]\]\s+\[2, 5, 4\]\s+40/);
  // input size: (6 + 10) * 4 bytes
  assert.match(out, /Input size \(MB\): 0\.00\n/);
});

test('paddle.summary errors', () => {
  const net = lenet();
  assertThrows(() => paddle.summary(net), E.InvalidArgumentError, /input_size and input cannot be None at the same time/);
  assertThrows(() => paddle.summary(net, [null, null, 28, 28] as never), E.InvalidArgumentError, /only the dim of batch_size can be None or -1/);
  assertThrows(() => paddle.summary(net, [1, 0, 28, 28]), E.InvalidArgumentError, /greater than zero, but got 0/);
  assertThrows(() => paddle.summary(3 as never, [1]), E.InvalidArgumentError, /'net' expected a paddle\.nn\.Layer/);
  assertThrows(() => paddle.summary(net, [1, 1, 28, 28], 'float3'), E.InvalidArgumentError, /'dtypes'/);
  // a wrong input size fails in the network, naming the layer's operator
  assert.throws(() => capture(() => paddle.summary(net, [1, 3, 28, 28])), E.InvalidArgumentError);
});

const LENET_FLOPS_TABLE =
  '+--------------+-----------------+-----------------+--------+--------+\n' +
  '|  Layer Name  |   Input Shape   |   Output Shape  | Params | Flops  |\n' +
  '+--------------+-----------------+-----------------+--------+--------+\n' +
  '|   conv2d_0   |  [1, 1, 28, 28] |  [1, 6, 28, 28] |   60   | 47040  |\n' +
  '|   re_lu_0    |  [1, 6, 28, 28] |  [1, 6, 28, 28] |   0    |   0    |\n' +
  '| max_pool2d_0 |  [1, 6, 28, 28] |  [1, 6, 14, 14] |   0    |   0    |\n' +
  '|   conv2d_1   |  [1, 6, 14, 14] | [1, 16, 10, 10] |  2416  | 241600 |\n' +
  '|   re_lu_1    | [1, 16, 10, 10] | [1, 16, 10, 10] |   0    |   0    |\n' +
  '| max_pool2d_1 | [1, 16, 10, 10] |  [1, 16, 5, 5]  |   0    |   0    |\n' +
  '|   linear_0   |     [1, 400]    |     [1, 120]    | 48120  | 48000  |\n' +
  '|   linear_1   |     [1, 120]    |     [1, 84]     | 10164  | 10080  |\n' +
  '|   linear_2   |     [1, 84]     |     [1, 10]     |  850   |  840   |\n' +
  '+--------------+-----------------+-----------------+--------+--------+\n';

test('paddle.flops(LeNet): 347,560 with Paddle\'s messages and table', () => {
  const net = lenet();
  const { out, result } = capture(() => paddle.flops(net, [1, 1, 28, 28], null, true));
  assert.equal(result, 347560);
  assert.equal(
    out,
    "<class 'paddle.nn.layer.conv.Conv2D'>'s flops has been counted\n" +
      "<class 'paddle.nn.layer.activation.ReLU'>'s flops has been counted\n" +
      "Cannot find suitable count function for <class 'paddle.nn.layer.pooling.MaxPool2D'>. Treat it as zero FLOPs.\n" +
      "<class 'paddle.nn.layer.common.Linear'>'s flops has been counted\n" +
      LENET_FLOPS_TABLE +
      'Total Flops: 347560     Total Params: 61610\n',
  );
  assert.equal(net.training, true);
  // the counters leave nothing behind on the layers
  for (const l of net.sublayers()) assert.ok(!('total_ops' in l) && !('input_shape' in l));
});

test('paddle.flops of conv / batch norm / pools / linear against hand counts', () => {
  const net = mixedNet();
  const { out, result } = capture(() => paddle.flops(net, [1, 3, 8, 8]));
  // conv 8*8*8 * (3*9 + 1) = 14336; bn 2*512 = 1024; relu 0; avgpool 8*4*4 = 128;
  // grouped conv 128 * (8/2*9) = 4608; adaptive pool (2*2 + 1) * 32 = 160; flatten 0 (no rule);
  // linear 32 * 10 = 320; dropout 0; leaky relu 10
  assert.equal(result, 14336 + 1024 + 128 + 4608 + 160 + 320 + 10);
  assert.match(out, /Cannot find suitable count function for <class 'paddle\.nn\.layer\.common\.Flatten'>/);
  assert.match(out, /Total Flops: 20586     Total Params: 874\n$/);
  // a single leaf layer as the network is counted too
  assert.equal(capture(() => paddle.flops(new nn.Linear(4, 3), [2, 4])).result, 24);
});

test('paddle.flops custom_ops: a Map or [class, fn] pairs', () => {
  class Square extends nn.Layer {
    override forward(x: paddle.Tensor) {
      return paddle.multiply(x, x);
    }
  }
  const net = guard(() => new nn.Sequential(new nn.Linear(4, 6), new Square(), new nn.ReLU()));
  const count = (m: { total_ops: number }, x: unknown[]) => {
    m.total_ops += (x[0] as paddle.Tensor).size;
  };
  const { out, result } = capture(() => paddle.flops(net, [1, 4], { custom_ops: new Map([[Square, count]]) }));
  assert.equal(result, 24 + 6);
  assert.match(out, /^Customize Function has been applied to <class 'Square'>$/m);
  assert.equal(capture(() => paddle.flops(net, [1, 4], [[Square, count]])).result, 30);
  // a custom counter replaces the default one
  assert.equal(capture(() => paddle.flops(net, [1, 4], [[nn.Linear, () => {}]])).result, 0);
  assertThrows(() => paddle.flops(net, [1, 4], { custom_ops: { Square: count } }), E.InvalidArgumentError, /custom_ops/);
  assertThrows(() => paddle.flops(net, [1, -4]), E.InvalidArgumentError, /input_size/);
});

test('paddle.flops of a static Program counts operators', () => {
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    paddle.static.program_guard(main, startup, () => {
      const x = paddle.static.data('x', [null, 3, 8, 8], 'float32');
      const conv = new nn.Conv2D(3, 8, 3, { padding: 1 });
      const fc = new nn.Linear(512, 10);
      fc(paddle.flatten(conv(x), 1));
    });
    const { out, result } = capture(() => paddle.flops(main, null, null, true));
    // conv2d 512 * 3*9 = 13824 (its bias is a separate elementwise_add: 512); the linear's
    // matmul 512 * 10 = 5120 and its bias add 10
    assert.equal(result, 13824 + 512 + 5120 + 10);
    assert.match(out, /\| +conv2d +\| +conv2d_\d+\.w_0 +\| +13824 +\|/);
  } finally {
    paddle.disable_static();
  }
});
