// paddle.vision.transforms: the transform classes, the functional forms (also under
// `functional`), as in python/paddle/vision/transforms/__init__.py at 2.0. adjust_saturation is
// only in `functional`, since 2.0's functional.__all__ leaves it out.
export {
  BaseTransform, Compose, Resize, RandomResizedCrop, CenterCrop, RandomHorizontalFlip, RandomVerticalFlip, Transpose,
  Normalize, BrightnessTransform, SaturationTransform, ContrastTransform, HueTransform, ColorJitter, RandomCrop, Pad,
  RandomRotation, Grayscale, ToTensor,
} from './transforms.js';
export {
  to_tensor, hflip, vflip, resize, pad, rotate, to_grayscale, crop, center_crop, adjust_brightness, adjust_contrast,
  adjust_hue, normalize,
} from './functional.js';
export * as functional from './functional_api.js';
