// paddle.vision.transforms.functional: the functional transforms (adjust_saturation included).
export {
  to_tensor, hflip, vflip, resize, pad, rotate, to_grayscale, crop, center_crop, adjust_brightness, adjust_contrast,
  adjust_hue, adjust_saturation, normalize,
} from './functional.js';
