// paddle.vision: transforms and image loading (datasets and models are added beside them). As
// in Paddle 2.0's vision/__init__.py, the transforms' names are also reachable here directly.
export * as transforms from './transforms/index.js';
export {
  BaseTransform, Compose, Resize, RandomResizedCrop, CenterCrop, RandomHorizontalFlip, RandomVerticalFlip, Transpose,
  Normalize, BrightnessTransform, SaturationTransform, ContrastTransform, HueTransform, ColorJitter, RandomCrop, Pad,
  RandomRotation, Grayscale, ToTensor, to_tensor, hflip, vflip, resize, pad, rotate, to_grayscale, crop, center_crop,
  adjust_brightness, adjust_contrast, adjust_hue, normalize,
} from './transforms/index.js';
export { image_load, set_image_backend, get_image_backend } from './image.js';
export * as datasets from './datasets/index.js';
export * as models from './models/index.js';
export { DatasetFolder, ImageFolder, MNIST, FashionMNIST, Flowers, Cifar10, Cifar100, VOC2012 } from './datasets/index.js';
export { ResNet, resnet18, resnet34, resnet50, resnet101, resnet152, MobileNetV1, mobilenet_v1, MobileNetV2, mobilenet_v2, VGG, vgg11, vgg13, vgg16, vgg19, LeNet } from './models/index.js';
