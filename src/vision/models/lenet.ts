// paddle.vision.models.LeNet (python/paddle/vision/models/lenet.py at 2.0).
import { makeParser, p, type CallArgs } from '../../core/args.js';
import { T } from '../../core/convert.js';
import type { Tensor } from '../../core/tensor.js';
import { Sequential } from '../../nn/containers.js';
import { Layer } from '../../nn/layer.js';
import { ReLU } from '../../nn/layers/activation.js';
import { Linear } from '../../nn/layers/common.js';
import { Conv2D } from '../../nn/layers/conv.js';
import { MaxPool2D } from '../../nn/layers/pooling.js';
import { flatten } from '../../tensor/manipulation.js';

const lenetParams = [p('num_classes', T.int, 10)] as const;
const parseLeNet = makeParser('paddle.vision.models.LeNet', lenetParams);

/**
 * LeNet for 1x28x28 inputs, as Paddle defines it: `features` = Conv2D(1, 6, 3, padding 1), ReLU,
 * MaxPool2D(2, 2), Conv2D(6, 16, 5), ReLU, MaxPool2D(2, 2); then, when num_classes > 0, the
 * flattened 400 features go through `fc` = Linear(400, 120), Linear(120, 84),
 * Linear(84, num_classes) (with no activation between them, as in Paddle). 61,610 parameters
 * for 10 classes.
 * @param num_classes output classes; 0 or less keeps only `features` (output [N, 16, 5, 5])
 * @example
 * const net = new paddle.vision.models.LeNet();
 * const logits = net(paddle.rand([4, 1, 28, 28]));   // [4, 10]
 */
export class LeNet extends Layer {
  declare num_classes: number;
  declare features: Sequential;
  declare fc: Sequential;

  constructor(...args: CallArgs<typeof lenetParams>) {
    super();
    const a = parseLeNet(args) as { num_classes: number };
    this.num_classes = a.num_classes;
    this.features = new Sequential(
      new Conv2D(1, 6, 3, { stride: 1, padding: 1 }),
      new ReLU(),
      new MaxPool2D(2, 2),
      new Conv2D(6, 16, 5, { stride: 1, padding: 0 }),
      new ReLU(),
      new MaxPool2D(2, 2),
    );
    if (a.num_classes > 0) this.fc = new Sequential(new Linear(400, 120), new Linear(120, 84), new Linear(84, a.num_classes));
  }

  override forward(inputs: Tensor): Tensor {
    let x = this.features(inputs) as Tensor;
    if (this.num_classes > 0) {
      x = flatten(x, 1);
      x = this.fc(x) as Tensor;
    }
    return x;
  }
}
