// paddle.vision.models: structure, parameter names and counts as Paddle 2.0 defines them
// (python/paddle/vision/models/*.py), forward shapes, a training step, and loading checkpoints.
//
// Parameter counts, derived from the architectures (conv k*k*in/groups*out [+out bias];
// Linear in*out+out; BatchNorm2D weight+bias trainable, _mean+_variance non-trainable — all four
// are Paddle Parameters, so parameters() and paddle.summary's "Total params" count them):
// - LeNet: conv 1*6*9+6 = 60, conv 6*16*25+16 = 2,416, fc 400*120+120 = 48,120,
//   120*84+84 = 10,164, 84*10+10 = 850: 61,610 (the count Paddle's own summary() docs print).
// - ResNet (bias-free convs, BN, fc): trainable 18: 11,689,512; 34: 21,797,672; 50: 25,557,032;
//   101: 44,549,160; 152: 60,192,808 (the published ImageNet counts). Running statistics add
//   2 * (BN channels): 18: 9,600; 34: 17,024; 50: 53,120 (total 25,610,152, paddle.summary's
//   figure for resnet50); 101: 105,344; 152: 151,424.
// - VGG features (3x3 convs with bias): A 9,220,480; B 9,404,992; D 14,714,688; E 20,024,384;
//   with batch_norm + 2*C trainable and 2*C running per conv (A 5,504; B 5,888; D 8,448; E 11,008
//   each). Classifier 25088*4096+4096 + 4096*4096+4096 + 4096*1000+1000 = 123,642,856, so vgg16
//   has 138,357,544 (the published count).
// - MobileNetV1 scale 1: 4,231,976 trainable + 21,888 running (paddle.summary: 4,253,864);
//   scale 0.25 with 10 classes: 215,642 + 5,472.
// - MobileNetV2 scale 1: 3,504,872 trainable (the published count) + 34,112 running; scale 0.5:
//   1,968,680 + 18,544.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as paddle from '../../src/index.js';
import { assertClose, assertThrows } from '../helpers/assert.js';
import { pythonWith, runPython } from '../helpers/python.js';

const { nn } = paddle;
const M = paddle.vision.models;
const F = paddle.nn.functional;

type Net = { parameters(): { size: number; stop_gradient: boolean }[]; state_dict(): Record<string, paddle.Tensor> };
function counts(net: Net): { trainable: number; total: number } {
  let trainable = 0;
  let total = 0;
  for (const p of net.parameters()) {
    total += p.size;
    if (!p.stop_gradient) trainable += p.size;
  }
  return { trainable, total };
}

/** Runs fn with $HOME pointing at a fresh temporary directory (the cache root). */
function withHome<R>(fn: (home: string) => R): R {
  const home = mkdtempSync(join(tmpdir(), 'paddle-ts-home-'));
  const old = process.env.HOME;
  process.env.HOME = home;
  try {
    return fn(home);
  } finally {
    process.env.HOME = old;
    rmSync(home, { recursive: true, force: true });
  }
}

test('LeNet: structure, 61,610 parameters, names, forward shapes', () => {
  const net = new M.LeNet();
  assert.deepEqual(counts(net), { trainable: 61610, total: 61610 });
  assert.deepEqual(Object.keys(net.state_dict()), [
    'features.0.weight', 'features.0.bias', 'features.3.weight', 'features.3.bias',
    'fc.0.weight', 'fc.0.bias', 'fc.1.weight', 'fc.1.bias', 'fc.2.weight', 'fc.2.bias',
  ]);
  assert.deepEqual(net.state_dict()['features.0.weight'].shape, [6, 1, 3, 3]);
  assert.deepEqual(net.state_dict()['fc.0.weight'].shape, [400, 120]);
  assert.ok(net.features[1] instanceof nn.ReLU && net.features[2] instanceof nn.MaxPool2D);
  assert.deepEqual(net(paddle.rand([3, 1, 28, 28])).shape, [3, 10]);
  assert.deepEqual(new M.LeNet(5)(paddle.rand([1, 1, 28, 28])).shape, [1, 5]);
  const headless = new M.LeNet({ num_classes: 0 });
  assert.equal(headless.fc, undefined);
  assert.deepEqual(headless(paddle.rand([2, 1, 28, 28])).shape, [2, 16, 5, 5]);
  assertThrows(() => new M.LeNet({ classes: 3 } as never), paddle.errors.InvalidArgumentError, /LeNet/, /unexpected keyword argument 'classes'/);
});

test('LeNet: a training step gives a finite loss and changes every parameter', () => {
  paddle.seed(7);
  const net = new M.LeNet();
  const opt = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: net.parameters() });
  const before = Object.fromEntries(Object.entries(net.state_dict()).map(([k, v]) => [k, Array.from(v.numpy() as Float32Array)]));
  const x = paddle.rand([8, 1, 28, 28]);
  const y = paddle.to_tensor([0, 1, 2, 3, 4, 5, 6, 7]).reshape([8, 1]);
  const loss = F.cross_entropy(net(x), y);
  const l0 = loss.item() as number;
  assert.ok(Number.isFinite(l0) && l0 > 0);
  loss.backward();
  opt.step();
  opt.clear_grad();
  for (const [k, v] of Object.entries(net.state_dict())) {
    const now = Array.from(v.numpy() as Float32Array);
    assert.ok(now.some((a, i) => a !== before[k][i]), `${k} did not change`);
  }
  // a few more steps on the same batch bring the loss down
  let l = l0;
  for (let i = 0; i < 5; i++) {
    const li = F.cross_entropy(net(x), y);
    l = li.item() as number;
    li.backward();
    opt.step();
    opt.clear_grad();
  }
  assert.ok(l < l0, `loss ${l} did not go below ${l0}`);
});

const PY_LENET = `
import numpy as np, pickle, json, sys
rng = np.random.default_rng(3)
f32 = lambda *s: (rng.standard_normal(s) * 0.2).astype(np.float32)
sd = {'features.0.weight': f32(6, 1, 3, 3), 'features.0.bias': f32(6), 'features.3.weight': f32(16, 6, 5, 5),
      'features.3.bias': f32(16), 'fc.0.weight': f32(400, 120), 'fc.0.bias': f32(120), 'fc.1.weight': f32(120, 84),
      'fc.1.bias': f32(84), 'fc.2.weight': f32(84, 10), 'fc.2.bias': f32(10)}
def conv(x, w, b, pad):
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, wd = x.shape; o, _, k, _ = w.shape
    oh, ow = h - k + 1, wd - k + 1
    cols = np.stack([x[:, :, i:i + oh, j:j + ow] for i in range(k) for j in range(k)], axis=2)  # n c k*k oh ow
    return np.einsum('nckhw,ock->nohw', cols.astype(np.float64), w.reshape(o, c, k * k).astype(np.float64)) + b[None, :, None, None]
def pool(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
x = rng.random((2, 1, 28, 28)).astype(np.float32)
h = pool(np.maximum(conv(x, sd['features.0.weight'], sd['features.0.bias'], 1), 0))
h = pool(np.maximum(conv(h, sd['features.3.weight'], sd['features.3.bias'], 0), 0))
h = h.reshape(2, -1)
for i in range(3): h = h @ sd['fc.%d.weight' % i] + sd['fc.%d.bias' % i]
saved = dict(sd)
saved['StructuredToParameterName@@'] = {k: 'param_%d' % i for i, k in enumerate(sd)}
with open(sys.argv[1], 'wb') as f: pickle.dump(saved, f, protocol=2)
print(json.dumps({'x': x.ravel().tolist(), 'y': h.ravel().tolist()}))
`;

test('LeNet loads a .pdparams written by Python (Paddle format) and computes what NumPy computes', (t) => {
  const py = pythonWith('numpy');
  if (!py) return t.skip('python3 with numpy is not available (.ci/run installs python3-numpy)');
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-lenet-'));
  try {
    const file = join(dir, 'lenet.pdparams');
    const { x, y } = JSON.parse(runPython(`import sys; sys.argv = ['-', ${JSON.stringify(file)}]\n${PY_LENET}`, ['numpy'])) as { x: number[]; y: number[] };
    const net = new M.LeNet();
    net.set_state_dict(paddle.load(file) as Record<string, paddle.Tensor>);
    net.eval();
    const out = net(paddle.to_tensor(Float32Array.from(x)).reshape([2, 1, 28, 28]));
    assert.deepEqual(out.shape, [2, 10]);
    assertClose(out, y, 1e-4, 1e-4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ResNet: Paddle names and structure, forward at 32x32, parameter counts', () => {
  const net = M.resnet18();
  assert.deepEqual(counts(net), { trainable: 11689512, total: 11689512 + 9600 });
  const keys = Object.keys(net.state_dict());
  assert.equal(keys.length, 102); // conv1 + bn1 (5), 8 blocks x 10, 3 downsamples x 5, fc (2)
  assert.deepEqual(keys.slice(0, 7), ['conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1._mean', 'bn1._variance', 'layer1.0.conv1.weight', 'layer1.0.bn1.weight']);
  for (const k of ['layer1.1.conv2.weight', 'layer2.0.downsample.0.weight', 'layer2.0.downsample.1._variance', 'layer4.1.bn2._mean', 'fc.weight', 'fc.bias'])
    assert.ok(keys.includes(k), k);
  assert.ok(!keys.includes('layer1.0.downsample.0.weight'), 'layer1 of resnet18 needs no downsample');
  assert.deepEqual(net.state_dict()['fc.weight'].shape, [512, 1000]);
  assert.ok(net.layer1[0] instanceof M.resnet.BasicBlock);
  net.eval();
  assert.deepEqual(net(paddle.rand([1, 3, 32, 32])).shape, [1, 1000]);

  const r50 = M.resnet50({ num_classes: 10 });
  // 25,557,032 - 2048*1000 - 1000 + 2048*10 + 10
  assert.deepEqual(counts(r50), { trainable: 25557032 - 2049000 + 20490, total: 25557032 - 2049000 + 20490 + 53120 });
  assert.ok(r50.layer1[0] instanceof M.resnet.BottleneckBlock);
  assert.ok((r50.layer1[0] as InstanceType<typeof M.resnet.BottleneckBlock>).downsample instanceof nn.Sequential, 'bottleneck layer1 downsamples 64 -> 256 channels');
  assert.deepEqual(r50.state_dict()['layer3.5.conv3.weight'].shape, [1024, 256, 1, 1]);
  r50.eval();
  assert.deepEqual(r50(paddle.rand([1, 3, 32, 32])).shape, [1, 10]);
  // without pool and classifier: the layer4 feature map
  const trunk = new M.ResNet(M.resnet.BasicBlock, 18, { num_classes: 0, with_pool: false });
  trunk.eval();
  assert.deepEqual(trunk(paddle.rand([1, 3, 64, 64])).shape, [1, 512, 2, 2]);
  const pooled = new M.ResNet(M.resnet.BasicBlock, 18, 0);
  pooled.eval();
  assert.deepEqual(pooled(paddle.rand([1, 3, 32, 32])).shape, [1, 512, 1, 1]);
});

test('ResNet 34/101/152 build with the published parameter counts', () => {
  assert.deepEqual(counts(M.resnet34()), { trainable: 21797672, total: 21797672 + 17024 });
  assert.deepEqual(counts(M.resnet101()), { trainable: 44549160, total: 44549160 + 105344 });
  assert.deepEqual(counts(M.resnet152()), { trainable: 60192808, total: 60192808 + 151424 });
});

test('ResNet: a training step on a small input', () => {
  paddle.seed(11);
  const net = M.resnet18({ num_classes: 4 });
  net.train();
  const opt = new paddle.optimizer.Momentum({ learning_rate: 0.01, momentum: 0.9, parameters: net.parameters() });
  const w0 = Array.from(net.conv1.weight.numpy() as Float32Array);
  const fc0 = Array.from(net.fc.weight.numpy() as Float32Array);
  const x = paddle.rand([2, 3, 32, 32]);
  const loss = F.cross_entropy(net(x), paddle.to_tensor([[1], [3]]));
  assert.ok(Number.isFinite(loss.item() as number));
  loss.backward();
  opt.step();
  opt.clear_grad();
  assert.ok((net.conv1.weight.numpy() as Float32Array).some((v, i) => v !== w0[i]), 'conv1.weight changed');
  assert.ok((net.fc.weight.numpy() as Float32Array).some((v, i) => v !== fc0[i]), 'fc.weight changed');
  // batch statistics were folded into the running mean: 0.9 * 0 + 0.1 * batch mean
  assert.ok(((net.bn1 as InstanceType<typeof nn.BatchNorm2D>)._mean.numpy() as Float32Array).some((v) => v !== 0), 'bn1._mean updated');
});

test('ResNet: bad arguments', () => {
  assertThrows(() => new M.ResNet(M.resnet.BasicBlock, 20), paddle.errors.InvalidArgumentError, /paddle\.vision\.models\.ResNet/, /depth should be one of 18, 34, 50, 101, 152, but got 20/);
  assertThrows(() => new M.ResNet(nn.Linear as never, 18), paddle.errors.InvalidArgumentError, /block/, /expansion/);
  assertThrows(() => new M.resnet.BasicBlock(64, 64, { dilation: 2 }), paddle.errors.UnimplementedError, /Dilation > 1 not supported in BasicBlock/);
  assertThrows(() => M.resnet18({ num_class: 10 } as never), paddle.errors.InvalidArgumentError, /resnet18/, /num_class/);
});

test('VGG: make_layers, names, counts, forward', () => {
  // Built with its classifier: vgg16, 138,357,544 parameters.
  const v16 = M.vgg16();
  assert.deepEqual(counts(v16), { trainable: 138357544, total: 138357544 });
  const keys = Object.keys(v16.state_dict());
  assert.deepEqual(keys.slice(0, 4), ['features.0.weight', 'features.0.bias', 'features.2.weight', 'features.2.bias']);
  assert.deepEqual(keys.slice(-6), ['classifier.0.weight', 'classifier.0.bias', 'classifier.3.weight', 'classifier.3.bias', 'classifier.6.weight', 'classifier.6.bias']);
  assert.deepEqual(v16.state_dict()['classifier.0.weight'].shape, [25088, 4096]);
  assert.ok(v16.avgpool instanceof nn.AdaptiveAvgPool2D);
  assert.ok(v16.classifier[2] instanceof nn.Dropout);
  v16.eval();
  assert.deepEqual(v16(paddle.rand([1, 3, 32, 32])).shape, [1, 1000]);

  // The others feature extractors only (num_classes 0 leaves the 123,642,856-parameter classifier out).
  const features: [typeof M.vgg11, number, number, number][] = [
    [M.vgg11, 9220480, 5504, 5504], [M.vgg13, 9404992, 5888, 5888], [M.vgg16, 14714688, 8448, 8448], [M.vgg19, 20024384, 11008, 11008],
  ];
  for (const [fn, plain, bnTrain, bnRun] of features) {
    assert.deepEqual(counts(fn({ num_classes: 0 })), { trainable: plain, total: plain });
    assert.deepEqual(counts(fn({ batch_norm: true, num_classes: 0 })), { trainable: plain + bnTrain, total: plain + bnTrain + bnRun });
  }
  const bn = M.vgg11(false, true, { num_classes: 0, with_pool: false });
  const bnKeys = Object.keys(bn.state_dict());
  assert.deepEqual(bnKeys.slice(0, 7), ['features.0.weight', 'features.0.bias', 'features.1.weight', 'features.1.bias', 'features.1._mean', 'features.1._variance', 'features.4.weight']);
  bn.eval();
  assert.deepEqual(bn(paddle.rand([1, 3, 64, 64])).shape, [1, 512, 2, 2]);
  const withPool = M.vgg11({ num_classes: 0 });
  withPool.eval();
  assert.deepEqual(withPool(paddle.rand([1, 3, 32, 32])).shape, [1, 512, 7, 7]);

  // make_layers and VGG directly; 'M' is a 2x2 max pool
  const small = M.vgg.make_layers([8, 'M', 16, 'M'], true);
  assert.equal(small.length, 8);
  assert.ok(small[3] instanceof nn.MaxPool2D);
  assertThrows(() => M.vgg.make_layers([8, 'X' as never]), paddle.errors.InvalidArgumentError, /make_layers/, /cfg/);
  assertThrows(() => new M.VGG('features' as never), paddle.errors.InvalidArgumentError, /VGG/, /features/);
});

test('MobileNetV1: names, counts, forward', () => {
  const full = M.mobilenet_v1();
  assert.deepEqual(counts(full), { trainable: 4231976, total: 4231976 + 21888 });
  full.eval();
  assert.deepEqual(full(paddle.rand([1, 3, 32, 32])).shape, [1, 1000]);

  const net = M.mobilenet_v1({ scale: 0.25, num_classes: 10 });
  assert.deepEqual(counts(net), { trainable: 215642, total: 215642 + 5472 });
  const keys = Object.keys(net.state_dict());
  assert.equal(keys.length, 5 * 27 + 2);
  assert.deepEqual(keys.slice(0, 6), ['conv1._conv.weight', 'conv1._norm_layer.weight', 'conv1._norm_layer.bias', 'conv1._norm_layer._mean', 'conv1._norm_layer._variance', 'conv2_1._depthwise_conv._conv.weight']);
  for (const k of ['conv2_2._pointwise_conv._norm_layer._variance', 'conv5_5._depthwise_conv._conv.weight', 'conv5_6._pointwise_conv._conv.weight', 'conv6._pointwise_conv._norm_layer.bias', 'fc.weight'])
    assert.ok(keys.includes(k), k);
  // depthwise: groups = channels, weight [C, 1, 3, 3]
  assert.deepEqual(net.state_dict()['conv2_1._depthwise_conv._conv.weight'].shape, [8, 1, 3, 3]);
  assert.deepEqual(net.state_dict()['conv6._pointwise_conv._conv.weight'].shape, [256, 256, 1, 1]);
  assert.equal(net.dwsl.length, 13);
  net.eval();
  assert.deepEqual(net(paddle.rand([2, 3, 64, 64])).shape, [2, 10]);
  const trunk = new M.MobileNetV1({ scale: 0.25, num_classes: 0, with_pool: false });
  trunk.eval();
  assert.deepEqual(trunk(paddle.rand([1, 3, 64, 64])).shape, [1, 256, 2, 2]);
});

test('MobileNetV2: names, counts, forward', () => {
  const full = M.mobilenet_v2();
  assert.deepEqual(counts(full), { trainable: 3504872, total: 3504872 + 34112 });
  full.eval();
  assert.deepEqual(full(paddle.rand([1, 3, 32, 32])).shape, [1, 1000]);

  const net = new M.MobileNetV2(0.5);
  assert.deepEqual(counts(net), { trainable: 1968680, total: 1968680 + 18544 });
  const keys = Object.keys(net.state_dict());
  for (const k of [
    'features.0.0.weight', 'features.0.1._mean', 'features.1.conv.0.0.weight', 'features.1.conv.1.weight', 'features.1.conv.2._variance',
    'features.2.conv.0.0.weight', 'features.2.conv.1.0.weight', 'features.2.conv.2.weight', 'features.2.conv.3.bias',
    'features.17.conv.3.weight', 'features.18.0.weight', 'features.18.1._variance', 'classifier.1.weight', 'classifier.1.bias',
  ])
    assert.ok(keys.includes(k), k);
  assert.equal(net.last_channel, 1280);
  assert.deepEqual(net.state_dict()['features.0.0.weight'].shape, [16, 3, 3, 3]);
  assert.deepEqual(net.state_dict()['features.2.conv.1.0.weight'].shape, [48, 1, 3, 3]);
  type IR = InstanceType<typeof M.mobilenetv2.InvertedResidual>;
  assert.equal((net.features[3] as IR).use_res_connect, true);
  assert.equal((net.features[2] as IR).use_res_connect, false);
  assert.ok(net.classifier[0] instanceof nn.Dropout);
  net.eval();
  assert.deepEqual(net(paddle.rand([2, 3, 32, 32])).shape, [2, 1000]);
  // _make_divisible: nearest multiple of 8, never 10% below
  assert.equal(M.mobilenetv2._make_divisible(32 * 0.35, 8), 16);
  assert.equal(M.mobilenetv2._make_divisible(1280 * 1.4, 8), 1792);
  assert.equal(M.mobilenetv2._make_divisible(20, 8), 24);
});

test('pretrained=true: loads the cached checkpoint, or says where to put it', () => {
  withHome((home) => {
    const weights = join(home, '.cache', 'paddle', 'hapi', 'weights');
    // Paddle publishes resnet18 weights: the error names the file, its place and its md5
    assertThrows(() => M.resnet18(true), paddle.errors.NotFoundError, /paddle\.vision\.models\.resnet18/, /resnet18\.pdparams/,
      new RegExp(`${weights.replace(/[.]/g, '\\.')}/resnet18\\.pdparams`), /cf548f46534aa3560945be4b95cd11c4/);
    // none published for vgg11: Paddle's message, plus where a checkpoint could go
    assertThrows(() => M.vgg11({ pretrained: true }), paddle.errors.NotFoundError, /vgg11 model do not have a pretrained model now/, /vgg11\.pdparams/);
    assertThrows(() => M.mobilenet_v2(true, 0.5), paddle.errors.NotFoundError, /mobilenetv2_0\.5 model/);
    // a checkpoint placed for an unpublished scale is loaded
    const src = M.mobilenet_v1({ scale: 0.25, num_classes: 10 });
    mkdirSync(weights, { recursive: true });
    paddle.save(src.state_dict(), join(weights, 'mobilenetv1_0.25.pdparams'));
    const loaded = M.mobilenet_v1(true, 0.25, { num_classes: 10 });
    for (const [k, v] of Object.entries(src.state_dict()))
      assert.deepEqual(Array.from(loaded.state_dict()[k].numpy() as Float32Array), Array.from(v.numpy() as Float32Array), k);
  });
});
