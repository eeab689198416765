// paddle.vision.models.VGG, vgg11/13/16/19 and make_layers (python/paddle/vision/models/vgg.py
// at 2.0).
import { defineApi, makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { badArg } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { Sequential } from '../../nn/containers.js';
import { Layer } from '../../nn/layer.js';
import { ReLU } from '../../nn/layers/activation.js';
import { Dropout } from '../../nn/layers/common_extra.js';
import { Linear } from '../../nn/layers/common.js';
import { Conv2D } from '../../nn/layers/conv.js';
import { BatchNorm2D } from '../../nn/layers/norm.js';
import { AdaptiveAvgPool2D, MaxPool2D } from '../../nn/layers/pooling.js';
import { flatten } from '../../tensor/manipulation.js';
import { loadPretrained, pretrainedPath, type ModelUrls } from './pretrained.js';

/** Paddle's published checkpoints: [url, md5]. */
export const model_urls: ModelUrls = {
  vgg16: ['https://paddle-hapi.bj.bcebos.com/models/vgg16.pdparams', '89bbffc0f87d260be9b8cdc169c991c4'],
};

const vggParams = [
  p('features', T.instance(Layer, 'a Layer (the convolutional feature extractor)')),
  p('num_classes', T.int, 1000),
  p('with_pool', T.bool, true),
] as const;
const parseVGG = makeParser('paddle.vision.models.VGG', vggParams);

/**
 * VGG: a `features` layer (512 output channels), then with `with_pool` AdaptiveAvgPool2D to 7x7
 * (`avgpool`), then with num_classes > 0 the classifier Linear(25088, 4096), ReLU, Dropout,
 * Linear(4096, 4096), ReLU, Dropout, Linear(4096, num_classes) (`classifier`).
 * @param features the convolutional layers, e.g. make_layers(cfgs.D)
 * @param num_classes output classes; 0 or less: no classifier
 * @param with_pool whether to add the 7x7 adaptive average pool
 * @example
 * const net = new paddle.vision.models.VGG(paddle.vision.models.vgg.make_layers(paddle.vision.models.vgg.cfgs.A), { num_classes: 10 });
 */
export class VGG extends Layer {
  declare features: Layer;
  declare num_classes: number;
  declare with_pool: boolean;
  declare avgpool: AdaptiveAvgPool2D;
  declare classifier: Sequential;

  constructor(...args: CallArgs<typeof vggParams>) {
    super();
    const a = parseVGG(args) as { features: Layer; num_classes: number; with_pool: boolean };
    this.features = a.features;
    this.num_classes = a.num_classes;
    this.with_pool = a.with_pool;
    if (a.with_pool) this.avgpool = new AdaptiveAvgPool2D([7, 7]);
    if (a.num_classes > 0)
      this.classifier = new Sequential(
        new Linear(512 * 7 * 7, 4096),
        new ReLU(),
        new Dropout(),
        new Linear(4096, 4096),
        new ReLU(),
        new Dropout(),
        new Linear(4096, a.num_classes),
      );
  }

  override forward(x: Tensor): Tensor {
    x = this.features(x) as Tensor;
    if (this.with_pool) x = this.avgpool(x) as Tensor;
    if (this.num_classes > 0) {
      x = flatten(x, 1);
      x = this.classifier(x) as Tensor;
    }
    return x;
  }
}

/** VGG configurations: output channels of each 3x3 conv, 'M' for a 2x2 max pool. */
export const cfgs: Record<'A' | 'B' | 'D' | 'E', readonly (number | 'M')[]> = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

const cfgTy = {
  desc: "a list of channel counts and 'M'",
  parse(v: unknown, api: string, arg: string): (number | 'M')[] {
    if (Array.isArray(v) && v.every((x) => x === 'M' || (typeof x === 'number' && Number.isInteger(x) && x > 0))) return v.slice() as (number | 'M')[];
    return badArg(api, arg, "a list of positive channel counts and 'M' (max pool)", v);
  },
};

/**
 * The VGG feature extractor for a configuration: Conv2D(in, v, 3, padding 1) [BatchNorm2D(v)]
 * ReLU per number (starting from 3 input channels), MaxPool2D(2, 2) per 'M', in one Sequential.
 * @param cfg e.g. cfgs.D
 * @param batch_norm whether to put BatchNorm2D after each conv
 * @example const features = paddle.vision.models.vgg.make_layers(paddle.vision.models.vgg.cfgs.A, true)
 */
export const make_layers = defineApi(
  'paddle.vision.models.vgg.make_layers',
  [p('cfg', cfgTy), p('batch_norm', T.bool, false)],
  (a): Sequential => {
    const layers: Layer[] = [];
    let inChannels = 3;
    for (const v of a.cfg) {
      if (v === 'M') layers.push(new MaxPool2D({ kernel_size: 2, stride: 2 }));
      else {
        const conv2d = new Conv2D(inChannels, v, { kernel_size: 3, padding: 1 });
        if (a.batch_norm) layers.push(conv2d, new BatchNorm2D(v), new ReLU());
        else layers.push(conv2d, new ReLU());
        inChannels = v;
      }
    }
    return new Sequential(...layers);
  },
);

const vggFnParams = [p('pretrained', T.bool, false), p('batch_norm', T.bool, false), p('num_classes', T.int, 1000), p('with_pool', T.bool, true)] as const;

function defineVgg(depth: 11 | 13 | 16 | 19, cfg: keyof typeof cfgs) {
  const api = `paddle.vision.models.vgg${depth}`;
  return defineApi(api, vggFnParams, (a): VGG => {
    const arch = `vgg${depth}${a.batch_norm ? '_bn' : ''}`;
    const path = a.pretrained ? pretrainedPath(api, arch, model_urls) : null;
    const model = new VGG(make_layers(cfgs[cfg] as (number | 'M')[], a.batch_norm), { num_classes: a.num_classes, with_pool: a.with_pool });
    if (path !== null) loadPretrained(model, path);
    return model;
  });
}

/**
 * VGG-11 (configuration 'A': 8 convs + 3 linears; 132,863,336 parameters, 1000 classes).
 * `pretrained` loads ~/.cache/paddle/hapi/weights/vgg11[_bn].pdparams (Paddle publishes none).
 * @param pretrained whether to load pretrained weights
 * @param batch_norm whether to use BatchNorm2D after each conv
 * @param num_classes passed to VGG
 * @param with_pool passed to VGG
 * @example const net = paddle.vision.models.vgg11({ num_classes: 10 })
 */
export const vgg11 = defineVgg(11, 'A');
/**
 * VGG-13 (configuration 'B'; 133,047,848 parameters). Arguments as vgg11.
 * @example const net = paddle.vision.models.vgg13()
 */
export const vgg13 = defineVgg(13, 'B');
/**
 * VGG-16 (configuration 'D'; 138,357,544 parameters). `pretrained` loads Paddle's ImageNet
 * weights vgg16.pdparams from ~/.cache/paddle/hapi/weights/ (downloaded when possible).
 * Arguments as vgg11.
 * @example const net = paddle.vision.models.vgg16(true)
 */
export const vgg16 = defineVgg(16, 'D');
/**
 * VGG-19 (configuration 'E'; 143,667,240 parameters). Arguments as vgg11.
 * @example const net = paddle.vision.models.vgg19({ batch_norm: true })
 */
export const vgg19 = defineVgg(19, 'E');
