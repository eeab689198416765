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
