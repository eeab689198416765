// paddle.vision.models.MobileNetV1 and mobilenet_v1 (python/paddle/vision/models/mobilenetv1.py
// at 2.0).
import { defineApi, makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { fail } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { Layer } from '../../nn/layer.js';
import { ReLU } from '../../nn/layers/activation.js';
import { Linear } from '../../nn/layers/common.js';
import { Conv2D } from '../../nn/layers/conv.js';
import { BatchNorm2D } from '../../nn/layers/norm.js';
import { AdaptiveAvgPool2D } from '../../nn/layers/pooling.js';
import { flatten } from '../../tensor/manipulation.js';
import { loadPretrained, pretrainedPath, pyFloatStr, type ModelUrls } from './pretrained.js';

/** Paddle's published checkpoints: [url, md5]. */
export const model_urls: ModelUrls = {
  'mobilenetv1_1.0': ['https://paddle-hapi.bj.bcebos.com/models/mobilenet_v1_x1.0.pdparams', '42a154c2f26f86e7457d6daded114e8c'],
};

/** Python's int() of a float (toward zero). */
const int = (x: number): number => Math.trunc(x);

/** Conv2D (no bias) `_conv`, BatchNorm2D `_norm_layer`, ReLU `_act`. */
export class ConvBNLayer extends Layer {
  declare _conv: Conv2D;
  declare _norm_layer: BatchNorm2D;
  declare _act: ReLU;
  constructor(in_channels: number, out_channels: number, kernel_size: number, stride: number, padding: number, num_groups = 1) {
    super();
    this._conv = new Conv2D(in_channels, out_channels, kernel_size, { stride, padding, groups: num_groups, bias_attr: false });
    this._norm_layer = new BatchNorm2D(out_channels);
    this._act = new ReLU();
  }
  override forward(x: Tensor): Tensor {
    x = this._conv(x) as Tensor;
    x = this._norm_layer(x) as Tensor;
    return this._act(x);
  }
}

/** A depthwise 3x3 ConvBNLayer `_depthwise_conv` then a pointwise 1x1 one `_pointwise_conv`. */
export class DepthwiseSeparable extends Layer {
  declare _depthwise_conv: ConvBNLayer;
  declare _pointwise_conv: ConvBNLayer;
  constructor(in_channels: number, out_channels1: number, out_channels2: number, num_groups: number, stride: number, scale: number) {
    super();
    this._depthwise_conv = new ConvBNLayer(in_channels, int(out_channels1 * scale), 3, stride, 1, int(num_groups * scale));
    this._pointwise_conv = new ConvBNLayer(int(out_channels1 * scale), int(out_channels2 * scale), 1, 1, 0);
  }
  override forward(x: Tensor): Tensor {
    return this._pointwise_conv(this._depthwise_conv(x));
  }
}

const v1Params = [p('scale', T.float, 1.0), p('num_classes', T.int, 1000), p('with_pool', T.bool, true)] as const;
const V1 = 'paddle.vision.models.MobileNetV1';
const parseV1 = makeParser(V1, v1Params);

// [name, in_channels, out_channels1, out_channels2, num_groups, stride] of the separable blocks
const BLOCKS: [string, number, number, number, number, number][] = [
  ['conv2_1', 32, 32, 64, 32, 1],
  ['conv2_2', 64, 64, 128, 64, 2],
  ['conv3_1', 128, 128, 128, 128, 1],
  ['conv3_2', 128, 128, 256, 128, 2],
  ['conv4_1', 256, 256, 256, 256, 1],
  ['conv4_2', 256, 256, 512, 256, 2],
  ['conv5_1', 512, 512, 512, 512, 1],
  ['conv5_2', 512, 512, 512, 512, 1],
  ['conv5_3', 512, 512, 512, 512, 1],
  ['conv5_4', 512, 512, 512, 512, 1],
  ['conv5_5', 512, 512, 512, 512, 1],
  ['conv5_6', 512, 512, 1024, 512, 2],
  ['conv6', 1024, 1024, 1024, 1024, 1],
];

/**
 * MobileNetV1 with width multiplier `scale`: a 3x3 stride-2 ConvBNLayer `conv1` (32 * scale
 * channels), 13 depthwise-separable blocks registered as conv2_1, conv2_2, conv3_1, conv3_2,
 * conv4_1, conv4_2, conv5_1..conv5_6, conv6 (also listed in `dwsl`), then with `with_pool` an
 * adaptive average pool `pool2d_avg` and with num_classes > 0 the Linear `fc`.
 * @param scale channel width multiplier
 * @param num_classes output classes; 0 or less: no fc
 * @param with_pool whether to add the global average pool
 * @example const net = new paddle.vision.models.MobileNetV1({ scale: 0.5, num_classes: 10 })
 */
export class MobileNetV1 extends Layer {
  declare scale: number;
  declare dwsl: DepthwiseSeparable[];
  declare num_classes: number;
  declare with_pool: boolean;
  declare conv1: ConvBNLayer;
  declare pool2d_avg: AdaptiveAvgPool2D;
  declare fc: Linear;

  constructor(...args: CallArgs<typeof v1Params>) {
    super();
    const a = parseV1(args) as { scale: number; num_classes: number; with_pool: boolean };
    const scale = a.scale;
    if (!(scale > 0)) fail(V1, `scale should be positive, but got ${scale}`);
    this.scale = scale;
    this.dwsl = [];
    this.num_classes = a.num_classes;
    this.with_pool = a.with_pool;
    this.conv1 = new ConvBNLayer(3, int(32 * scale), 3, 2, 1);
    for (const [name, inC, out1, out2, groups, stride] of BLOCKS) {
      const block = this.add_sublayer(name, new DepthwiseSeparable(int(inC * scale), out1, out2, groups, stride, scale));
      this.dwsl.push(block);
    }
    if (a.with_pool) this.pool2d_avg = new AdaptiveAvgPool2D(1);
    if (a.num_classes > 0) this.fc = new Linear(int(1024 * scale), a.num_classes);
  }

  override forward(x: Tensor): Tensor {
    x = this.conv1(x);
    for (const dws of this.dwsl) x = dws(x);
    if (this.with_pool) x = this.pool2d_avg(x) as Tensor;
    if (this.num_classes > 0) {
      x = flatten(x, 1);
      x = this.fc(x);
    }
    return x;
  }
}

/**
 * MobileNetV1 (4,231,976 trainable parameters at scale 1.0 with 1000 classes). `pretrained`
 * loads Paddle's ImageNet weights mobilenet_v1_x1.0.pdparams (scale 1.0) from
 * ~/.cache/paddle/hapi/weights/, or for another scale a local mobilenetv1_<scale>.pdparams there.
 * @param pretrained whether to load pretrained weights
 * @param scale channel width multiplier
 * @param num_classes passed to MobileNetV1
 * @param with_pool passed to MobileNetV1
 * @example const net = paddle.vision.models.mobilenet_v1({ scale: 0.25, num_classes: 10 })
 */
export const mobilenet_v1 = defineApi(
  'paddle.vision.models.mobilenet_v1',
  [p('pretrained', T.bool, false), p('scale', T.float, 1.0), p('num_classes', T.int, 1000), p('with_pool', T.bool, true)],
  (a): MobileNetV1 => {
    const path = a.pretrained ? pretrainedPath('paddle.vision.models.mobilenet_v1', `mobilenetv1_${pyFloatStr(a.scale)}`, model_urls) : null;
    const model = new MobileNetV1({ scale: a.scale, num_classes: a.num_classes, with_pool: a.with_pool });
    if (path !== null) loadPretrained(model, path);
    return model;
  },
);
