// paddle.vision.models (python/paddle/vision/models/__init__.py at 2.0): the names of its
// __all__, and its submodules (`paddle.vision.models.resnet.BasicBlock`, `vgg.make_layers`...).
export { ResNet, resnet18, resnet34, resnet50, resnet101, resnet152 } from './resnet.js';
export { MobileNetV1, mobilenet_v1 } from './mobilenetv1.js';
export { MobileNetV2, mobilenet_v2 } from './mobilenetv2.js';
export { VGG, vgg11, vgg13, vgg16, vgg19 } from './vgg.js';
export { LeNet } from './lenet.js';
export * as resnet from './resnet.js';
export * as mobilenetv1 from './mobilenetv1.js';
export * as mobilenetv2 from './mobilenetv2.js';
export * as vgg from './vgg.js';
export * as lenet from './lenet.js';
