// paddle.vision.models.MobileNetV2 and mobilenet_v2 (python/paddle/vision/models/mobilenetv2.py
// at 2.0).
import { defineApi, makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { fail } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { Sequential } from '../../nn/containers.js';
import { Layer } from '../../nn/layer.js';
import { ReLU6 } from '../../nn/layers/activation.js';
import { Dropout } from '../../nn/layers/common_extra.js';
import { Linear } from '../../nn/layers/common.js';
import { Conv2D } from '../../nn/layers/conv.js';
import { BatchNorm2D } from '../../nn/layers/norm.js';
import { AdaptiveAvgPool2D } from '../../nn/layers/pooling.js';
import { add } from '../../tensor/math.js';
import { flatten } from '../../tensor/manipulation.js';
import { loadPretrained, pretrainedPath, pyFloatStr, type ModelUrls } from './pretrained.js';

/** Paddle's published checkpoints: [url, md5]. */
export const model_urls: ModelUrls = {
  'mobilenetv2_1.0': ['https://paddle-hapi.bj.bcebos.com/models/mobilenet_v2_x1.0.pdparams', '0340af0a901346c8d46f4529882fb63d'],
};

type NormLayer = new (num_features: number) => Layer;

/** `v` rounded to the nearest multiple of `divisor` (at least min_value), never more than 10% below v. */
export function _make_divisible(v: number, divisor: number, min_value: number | null = null): number {
  const minValue = min_value ?? divisor;
  let newV = Math.max(minValue, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (newV < 0.9 * v) newV += divisor;
  return newV;
}

/** Sequential of Conv2D (no bias, 'same' padding), norm_layer, ReLU6, registered as '0', '1', '2'. */
export class ConvBNReLU extends Sequential {
  constructor(in_planes: number, out_planes: number, kernel_size = 3, stride = 1, groups = 1, norm_layer: NormLayer = BatchNorm2D) {
    const padding = Math.floor((kernel_size - 1) / 2);
    super(new Conv2D(in_planes, out_planes, kernel_size, stride, padding, { groups, bias_attr: false }), new norm_layer(out_planes), new ReLU6());
  }
}

/**
 * The inverted residual block: [1x1 expand ConvBNReLU] 3x3 depthwise ConvBNReLU, 1x1 Conv2D
 * projection, norm — all in the Sequential `conv` — plus the input when stride is 1 and the
 * channel count is kept.
 */
export class InvertedResidual extends Layer {
  declare stride: number;
  declare use_res_connect: boolean;
  declare conv: Sequential;
  constructor(inp: number, oup: number, stride: number, expand_ratio: number, norm_layer: NormLayer = BatchNorm2D) {
    super();
    if (stride !== 1 && stride !== 2) fail('paddle.vision.models.mobilenetv2.InvertedResidual', `stride should be 1 or 2, but got ${stride}`);
    this.stride = stride;
    const hiddenDim = Math.round(inp * expand_ratio);
    this.use_res_connect = stride === 1 && inp === oup;
    const layers: Layer[] = [];
    if (expand_ratio !== 1) layers.push(new ConvBNReLU(inp, hiddenDim, 1, 1, 1, norm_layer));
    layers.push(
      new ConvBNReLU(hiddenDim, hiddenDim, 3, stride, hiddenDim, norm_layer),
      new Conv2D(hiddenDim, oup, 1, 1, 0, { bias_attr: false }),
      new norm_layer(oup),
    );
    this.conv = new Sequential(...layers);
  }
  override forward(x: Tensor): Tensor {
    if (this.use_res_connect) return add(x, this.conv(x) as Tensor);
    return this.conv(x) as Tensor;
  }
}

const v2Params = [p('scale', T.float, 1.0), p('num_classes', T.int, 1000), p('with_pool', T.bool, true)] as const;
const V2 = 'paddle.vision.models.MobileNetV2';
const parseV2 = makeParser(V2, v2Params);

// [expansion t, channels c, repeats n, first stride s]
const SETTING: [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * MobileNetV2 with width multiplier `scale`: `features` = a stride-2 ConvBNReLU stem (32 * scale
 * channels, rounded to a multiple of 8), 17 InvertedResidual blocks, a 1x1 ConvBNReLU to
 * `last_channel` (1280 * max(1, scale)); then with `with_pool` an adaptive average pool
 * `pool2d_avg` and with num_classes > 0 `classifier` = Dropout(0.2), Linear.
 * @param scale channel width multiplier
 * @param num_classes output classes; 0 or less: no classifier
 * @param with_pool whether to add the global average pool
 * @example const net = new paddle.vision.models.MobileNetV2({ scale: 0.5, num_classes: 10 })
 */
export class MobileNetV2 extends Layer {
  declare num_classes: number;
  declare with_pool: boolean;
  declare last_channel: number;
  declare features: Sequential;
  declare pool2d_avg: AdaptiveAvgPool2D;
  declare classifier: Sequential;

  constructor(...args: CallArgs<typeof v2Params>) {
    super();
    const a = parseV2(args) as { scale: number; num_classes: number; with_pool: boolean };
    const scale = a.scale;
    if (!(scale > 0)) fail(V2, `scale should be positive, but got ${scale}`);
    this.num_classes = a.num_classes;
    this.with_pool = a.with_pool;
    const roundNearest = 8;
    let inputChannel = _make_divisible(32 * scale, roundNearest);
    this.last_channel = _make_divisible(1280 * Math.max(1.0, scale), roundNearest);
    const features: Layer[] = [new ConvBNReLU(3, inputChannel, 3, 2, 1, BatchNorm2D)];
    for (const [t, c, n, s] of SETTING) {
      const outputChannel = _make_divisible(c * scale, roundNearest);
      for (let i = 0; i < n; i++) {
        features.push(new InvertedResidual(inputChannel, outputChannel, i === 0 ? s : 1, t, BatchNorm2D));
        inputChannel = outputChannel;
      }
    }
    features.push(new ConvBNReLU(inputChannel, this.last_channel, 1, 1, 1, BatchNorm2D));
    this.features = new Sequential(...features);
    if (a.with_pool) this.pool2d_avg = new AdaptiveAvgPool2D(1);
    if (a.num_classes > 0) this.classifier = new Sequential(new Dropout(0.2), new Linear(this.last_channel, a.num_classes));
  }

  override forward(x: Tensor): Tensor {
    x = this.features(x) as Tensor;
    if (this.with_pool) x = this.pool2d_avg(x) as Tensor;
    if (this.num_classes > 0) {
      x = flatten(x, 1);
      x = this.classifier(x) as Tensor;
    }
    return x;
  }
}

/**
 * MobileNetV2 (3,504,872 trainable parameters at scale 1.0 with 1000 classes). `pretrained`
 * loads Paddle's ImageNet weights mobilenet_v2_x1.0.pdparams (scale 1.0) from
 * ~/.cache/paddle/hapi/weights/, or for another scale a local mobilenetv2_<scale>.pdparams there.
 * @param pretrained whether to load pretrained weights
 * @param scale channel width multiplier
 * @param num_classes passed to MobileNetV2
 * @param with_pool passed to MobileNetV2
 * @example const net = paddle.vision.models.mobilenet_v2({ num_classes: 10 })
 */
export const mobilenet_v2 = defineApi(
  'paddle.vision.models.mobilenet_v2',
  [p('pretrained', T.bool, false), p('scale', T.float, 1.0), p('num_classes', T.int, 1000), p('with_pool', T.bool, true)],
  (a): MobileNetV2 => {
    const path = a.pretrained ? pretrainedPath('paddle.vision.models.mobilenet_v2', `mobilenetv2_${pyFloatStr(a.scale)}`, model_urls) : null;
    const model = new MobileNetV2({ scale: a.scale, num_classes: a.num_classes, with_pool: a.with_pool });
    if (path !== null) loadPretrained(model, path);
    return model;
  },
);
