// paddle.vision.models.ResNet and resnet18/34/50/101/152, with the BasicBlock and
// BottleneckBlock they are built from (python/paddle/vision/models/resnet.py at 2.0).
import { defineApi, makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { badArg, fail, UnimplementedError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { Sequential } from '../../nn/containers.js';
import { Layer } from '../../nn/layer.js';
import { ReLU } from '../../nn/layers/activation.js';
import { Linear } from '../../nn/layers/common.js';
import { Conv2D } from '../../nn/layers/conv.js';
import { BatchNorm2D } from '../../nn/layers/norm.js';
import { AdaptiveAvgPool2D, MaxPool2D } from '../../nn/layers/pooling.js';
import { add } from '../../tensor/math.js';
import { flatten } from '../../tensor/manipulation.js';
import { loadPretrained, pretrainedPath, type ModelUrls } from './pretrained.js';

/** Paddle's published checkpoints: [url, md5]. */
export const model_urls: ModelUrls = {
  resnet18: ['https://paddle-hapi.bj.bcebos.com/models/resnet18.pdparams', 'cf548f46534aa3560945be4b95cd11c4'],
  resnet34: ['https://paddle-hapi.bj.bcebos.com/models/resnet34.pdparams', '8d2275cf8706028345f78ac0e1d31969'],
  resnet50: ['https://paddle-hapi.bj.bcebos.com/models/resnet50.pdparams', 'ca6f485ee1ab0492d38f323885b0ad80'],
  resnet101: ['https://paddle-hapi.bj.bcebos.com/models/resnet101.pdparams', '02f35f034ca3858e1e54d4036443c92d'],
  resnet152: ['https://paddle-hapi.bj.bcebos.com/models/resnet152.pdparams', '7ad16a2f1e7333859ff986138630fd7a'],
};

/** A norm layer constructor taking the channel count (BatchNorm2D by default). */
type NormLayer = new (num_features: number) => Layer;

const layerOrNull = T.nullable(T.instance(Layer, 'a Layer'));
const normTy = {
  desc: 'a norm layer class or None',
  parse: (v: unknown, api: string, arg: string): NormLayer | null =>
    v === null ? null : typeof v === 'function' ? (v as NormLayer) : badArg(api, arg, 'a norm layer class (e.g. nn.BatchNorm2D) or None', v),
};
const blockParams = [
  p('inplanes', T.int),
  p('planes', T.int),
  p('stride', T.int, 1),
  p('downsample', layerOrNull, null),
  p('groups', T.int, 1),
  p('base_width', T.int, 64),
  p('dilation', T.int, 1),
  p('norm_layer', normTy, null),
] as const;
type BlockArgs = {
  inplanes: number; planes: number; stride: number; downsample: Layer | null; groups: number; base_width: number; dilation: number; norm_layer: NormLayer | null;
};
const parseBasic = makeParser('paddle.vision.models.resnet.BasicBlock', blockParams);
const parseBottleneck = makeParser('paddle.vision.models.resnet.BottleneckBlock', blockParams);

/**
 * The two-conv residual block of ResNet-18/34: conv1 (3x3, stride) bn1 relu, conv2 (3x3) bn2,
 * plus the input (through `downsample` when given), relu. `groups` and `base_width` are
 * accepted and unused, as in Paddle.
 * @example new paddle.vision.models.resnet.BasicBlock(64, 64)
 */
export class BasicBlock extends Layer {
  static expansion = 1;
  declare conv1: Conv2D;
  declare bn1: Layer;
  declare relu: ReLU;
  declare conv2: Conv2D;
  declare bn2: Layer;
  declare downsample: Layer | null;
  declare stride: number;

  constructor(...args: CallArgs<typeof blockParams>) {
    super();
    const a = parseBasic(args) as BlockArgs;
    const norm = a.norm_layer ?? BatchNorm2D;
    if (a.dilation > 1) fail('paddle.vision.models.resnet.BasicBlock', 'Dilation > 1 not supported in BasicBlock', UnimplementedError);
    this.conv1 = new Conv2D(a.inplanes, a.planes, 3, { padding: 1, stride: a.stride, bias_attr: false });
    this.bn1 = new norm(a.planes);
    this.relu = new ReLU();
    this.conv2 = new Conv2D(a.planes, a.planes, 3, { padding: 1, bias_attr: false });
    this.bn2 = new norm(a.planes);
    this.downsample = a.downsample;
    this.stride = a.stride;
  }

  override forward(x: Tensor): Tensor {
    let identity = x;
    let out = this.conv1(x) as Tensor;
    out = this.bn1(out) as Tensor;
    out = this.relu(out);
    out = this.conv2(out) as Tensor;
    out = this.bn2(out) as Tensor;
    if (this.downsample !== null) identity = this.downsample(x) as Tensor;
    out = add(out, identity);
    return this.relu(out);
  }
}

/**
 * The bottleneck residual block of ResNet-50/101/152: conv1 (1x1) bn1 relu, conv2 (3x3,
 * stride, groups, dilation) bn2 relu, conv3 (1x1 to planes * 4) bn3, plus the input (through
 * `downsample` when given), relu. The inner width is int(planes * base_width / 64) * groups.
 * @example new paddle.vision.models.resnet.BottleneckBlock(256, 64)
 */
export class BottleneckBlock extends Layer {
  static expansion = 4;
  declare conv1: Conv2D;
  declare bn1: Layer;
  declare conv2: Conv2D;
  declare bn2: Layer;
  declare conv3: Conv2D;
  declare bn3: Layer;
  declare relu: ReLU;
  declare downsample: Layer | null;
  declare stride: number;

  constructor(...args: CallArgs<typeof blockParams>) {
    super();
    const a = parseBottleneck(args) as BlockArgs;
    const norm = a.norm_layer ?? BatchNorm2D;
    const width = Math.trunc(a.planes * (a.base_width / 64)) * a.groups;
    this.conv1 = new Conv2D(a.inplanes, width, 1, { bias_attr: false });
    this.bn1 = new norm(width);
    this.conv2 = new Conv2D(width, width, 3, { padding: a.dilation, stride: a.stride, groups: a.groups, dilation: a.dilation, bias_attr: false });
    this.bn2 = new norm(width);
    this.conv3 = new Conv2D(width, a.planes * BottleneckBlock.expansion, 1, { bias_attr: false });
    this.bn3 = new norm(a.planes * BottleneckBlock.expansion);
    this.relu = new ReLU();
    this.downsample = a.downsample;
    this.stride = a.stride;
  }

  override forward(x: Tensor): Tensor {
    let identity = x;
    let out = this.conv1(x) as Tensor;
    out = this.bn1(out) as Tensor;
    out = this.relu(out);
    out = this.conv2(out) as Tensor;
    out = this.bn2(out) as Tensor;
    out = this.relu(out);
    out = this.conv3(out) as Tensor;
    out = this.bn3(out) as Tensor;
    if (this.downsample !== null) identity = this.downsample(x) as Tensor;
    out = add(out, identity);
    return this.relu(out);
  }
}

/** A residual block class: BasicBlock, BottleneckBlock, or one with the same constructor. */
type Block = (new (...args: CallArgs<typeof blockParams>) => Layer) & { expansion: number };

const LAYER_CFG: Record<number, [number, number, number, number]> = {
  18: [2, 2, 2, 2],
  34: [3, 4, 6, 3],
  50: [3, 4, 6, 3],
  101: [3, 4, 23, 3],
  152: [3, 8, 36, 3],
};

const blockTy = {
  desc: 'a residual block class',
  parse: (v: unknown, api: string, arg: string): Block =>
    typeof v === 'function' && typeof (v as { expansion?: unknown }).expansion === 'number'
      ? (v as Block)
      : badArg(api, arg, 'a residual block class with an `expansion` (BasicBlock or BottleneckBlock)', v),
};
const resnetParams = [p('block', blockTy), p('depth', T.int), p('num_classes', T.int, 1000), p('with_pool', T.bool, true)] as const;
const RESNET = 'paddle.vision.models.ResNet';
const parseResNet = makeParser(RESNET, resnetParams);

/**
 * ResNet: conv1 (7x7, stride 2, 64 channels) bn1 relu, maxpool (3x3, stride 2, padding 1),
 * layer1..layer4 (Sequentials of blocks with 64, 128, 256, 512 planes; stride 2 from layer2 on,
 * the first block of a layer downsampling through a 1x1 conv + BatchNorm2D when the shape
 * changes), then with `with_pool` an adaptive average pool to 1x1 (`avgpool`) and with
 * num_classes > 0 the Linear `fc`. Blocks per layer by depth: 18 [2,2,2,2], 34 and 50
 * [3,4,6,3], 101 [3,4,23,3], 152 [3,8,36,3].
 * @param block BasicBlock (18, 34) or BottleneckBlock (50, 101, 152)
 * @param depth 18, 34, 50, 101 or 152
 * @param num_classes output classes; 0 or less: no fc
 * @param with_pool whether to add the global average pool
 * @example
 * const { ResNet, resnet } = paddle.vision.models;
 * const net = new ResNet(resnet.BottleneckBlock, 50, { num_classes: 10 });
 */
export class ResNet extends Layer {
  declare num_classes: number;
  declare with_pool: boolean;
  declare _norm_layer: NormLayer;
  declare inplanes: number;
  declare dilation: number;
  declare conv1: Conv2D;
  declare bn1: Layer;
  declare relu: ReLU;
  declare maxpool: MaxPool2D;
  declare layer1: Sequential;
  declare layer2: Sequential;
  declare layer3: Sequential;
  declare layer4: Sequential;
  declare avgpool: AdaptiveAvgPool2D;
  declare fc: Linear;

  constructor(...args: CallArgs<typeof resnetParams>) {
    super();
    const a = parseResNet(args) as { block: Block; depth: number; num_classes: number; with_pool: boolean };
    const layers = LAYER_CFG[a.depth];
    if (!layers) fail(RESNET, `depth should be one of 18, 34, 50, 101, 152, but got ${a.depth}`);
    this.num_classes = a.num_classes;
    this.with_pool = a.with_pool;
    this._norm_layer = BatchNorm2D;
    this.inplanes = 64;
    this.dilation = 1;
    this.conv1 = new Conv2D(3, this.inplanes, { kernel_size: 7, stride: 2, padding: 3, bias_attr: false });
    this.bn1 = new this._norm_layer(this.inplanes);
    this.relu = new ReLU();
    this.maxpool = new MaxPool2D({ kernel_size: 3, stride: 2, padding: 1 });
    this.layer1 = this._make_layer(a.block, 64, layers[0]);
    this.layer2 = this._make_layer(a.block, 128, layers[1], 2);
    this.layer3 = this._make_layer(a.block, 256, layers[2], 2);
    this.layer4 = this._make_layer(a.block, 512, layers[3], 2);
    if (a.with_pool) this.avgpool = new AdaptiveAvgPool2D([1, 1]);
    if (a.num_classes > 0) this.fc = new Linear(512 * a.block.expansion, a.num_classes);
  }

  /** One stage: `blocks` blocks of `planes` planes, the first with `stride` (and a downsample). */
  _make_layer(block: Block, planes: number, blocks: number, stride = 1, dilate = false): Sequential {
    const norm = this._norm_layer;
    let downsample: Layer | null = null;
    const previousDilation = this.dilation;
    if (dilate) {
      this.dilation *= stride;
      stride = 1;
    }
    if (stride !== 1 || this.inplanes !== planes * block.expansion)
      downsample = new Sequential(
        new Conv2D(this.inplanes, planes * block.expansion, 1, { stride, bias_attr: false }),
        new norm(planes * block.expansion),
      );
    const layers: Layer[] = [new block(this.inplanes, planes, stride, downsample, 1, 64, previousDilation, norm)];
    this.inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) layers.push(new block(this.inplanes, planes, { norm_layer: norm }));
    return new Sequential(...layers);
  }

  override forward(x: Tensor): Tensor {
    x = this.conv1(x) as Tensor;
    x = this.bn1(x) as Tensor;
    x = this.relu(x);
    x = this.maxpool(x) as Tensor;
    x = this.layer1(x) as Tensor;
    x = this.layer2(x) as Tensor;
    x = this.layer3(x) as Tensor;
    x = this.layer4(x) as Tensor;
    if (this.with_pool) x = this.avgpool(x) as Tensor;
    if (this.num_classes > 0) {
      x = flatten(x, 1);
      x = this.fc(x);
    }
    return x;
  }
}

const resnetFnParams = [p('pretrained', T.bool, false), p('num_classes', T.int, 1000), p('with_pool', T.bool, true)] as const;

function defineResnet(depth: 18 | 34 | 50 | 101 | 152, block: Block) {
  const api = `paddle.vision.models.resnet${depth}`;
  return defineApi(api, resnetFnParams, (a): ResNet => {
    const path = a.pretrained ? pretrainedPath(api, `resnet${depth}`, model_urls) : null;
    const model = new ResNet(block, depth, { num_classes: a.num_classes, with_pool: a.with_pool });
    if (path !== null) loadPretrained(model, path);
    return model;
  });
}

/**
 * ResNet-18 (BasicBlock, 11,689,512 trainable parameters for 1000 classes). `pretrained` loads
 * Paddle's ImageNet weights resnet18.pdparams from ~/.cache/paddle/hapi/weights/ (downloaded
 * when a network is reachable; otherwise the error says where to put the file).
 * @param pretrained whether to load pretrained weights
 * @param num_classes passed to ResNet
 * @param with_pool passed to ResNet
 * @example const net = paddle.vision.models.resnet18({ num_classes: 10 })
 */
export const resnet18 = defineResnet(18, BasicBlock);
/**
 * ResNet-34 (BasicBlock, 21,797,672 trainable parameters). Arguments as resnet18.
 * @example const net = paddle.vision.models.resnet34()
 */
export const resnet34 = defineResnet(34, BasicBlock);
/**
 * ResNet-50 (BottleneckBlock, 25,557,032 trainable parameters). Arguments as resnet18.
 * @example const net = paddle.vision.models.resnet50(true)
 */
export const resnet50 = defineResnet(50, BottleneckBlock);
/**
 * ResNet-101 (BottleneckBlock, 44,549,160 trainable parameters). Arguments as resnet18.
 * @example const net = paddle.vision.models.resnet101()
 */
export const resnet101 = defineResnet(101, BottleneckBlock);
/**
 * ResNet-152 (BottleneckBlock, 60,192,808 trainable parameters). Arguments as resnet18.
 * @example const net = paddle.vision.models.resnet152()
 */
export const resnet152 = defineResnet(152, BottleneckBlock);
