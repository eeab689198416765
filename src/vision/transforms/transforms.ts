// The transform classes of paddle.vision.transforms (python/paddle/vision/transforms/
// transforms.py at 2.0). A transform is a callable object, as in Python: `new T.Resize(224)(img)`.
// Called with one image it returns the transformed image; called with an array (Python's tuple)
// it transforms the leading entries named by `keys` ('image' by default) and passes the rest
// through. Random transforms draw from paddle.seed's generator, in the order Paddle draws.
import { type ArgsOf, type CallArgs, type Param, type Ty, T, makeParser, p } from '../../core/args.js';
import { badArg, fail, UnimplementedError } from '../../core/errors.js';
import { defaultGenerator } from '../../core/random.js';
import { Tensor } from '../../core/tensor.js';
import * as F from './functional.js';
import { transpose3 } from './cv2.js';

type AnyParam = Param<string, any, any, boolean>;
function parser<const P extends readonly AnyParam[]>(api: string, params: P): (args: readonly unknown[]) => ArgsOf<P> {
  const parse = makeParser(api, params);
  return (args) => parse(args) as ArgsOf<P>;
}

// Python's random / np.random on paddle.seed's generator.
const rand = (): number => defaultGenerator.random();
const uniform = (a: number, b: number): number => a + (b - a) * defaultGenerator.random();
function randint(api: string, a: number, b: number): number {
  if (b < a) fail(api, `empty range for randint(${a}, ${b})`);
  return a + defaultGenerator.int(b - a + 1);
}

const NS = 'paddle.vision.transforms';

const keysTy: Ty<string[] | null, readonly string[] | null> = {
  desc: 'a list of strings or None',
  parse(v, api, arg) {
    if (v === null) return null;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return (v as string[]).slice();
    return fail(api, `keys should be a sequence, but got keys=${JSON.stringify(v)}`);
  },
};
const pairTy: Ty<[number, number], readonly number[]> = {
  desc: 'a pair of numbers',
  parse(v, api, arg) {
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
    return badArg(api, arg, 'a pair of numbers (min, max)', v);
  },
};
const numOrPairTy: Ty<number | [number, number], number | readonly number[]> = {
  desc: 'a number or a pair of numbers',
  parse(v, api, arg) {
    if (typeof v === 'number') return v;
    return pairTy.parse(v, api, arg);
  },
};

/** A callable object whose prototype is `proto`: calling it runs its `__call__`. */
function callable<X extends { __call__(inputs: unknown): unknown }>(proto: object): X {
  const self = ((inputs: unknown) => self.__call__(inputs)) as unknown as X;
  delete (self as { name?: unknown }).name;
  delete (self as { length?: unknown }).length;
  Object.setPrototypeOf(self, proto);
  return self;
}

export interface Compose {
  /** Applies the transforms in order. */
  (data: any): any;
}
/**
 * Chains transforms: calling it calls each in turn on the previous result.
 * @param transforms a list of transforms (any callables)
 * @example const t = new T.Compose([new T.Resize(256), new T.CenterCrop(224), new T.ToTensor()]);
 */
export class Compose {
  declare transforms: ((data: any) => any)[];
  constructor(...args: CallArgs<typeof composeParams>) {
    const a = parseCompose(args);
    if (!Array.isArray(a.transforms) || !a.transforms.every((t) => typeof t === 'function'))
      badArg(`${NS}.Compose`, 'transforms', 'a list of transforms (callables)', a.transforms);
    const self = callable<Compose>(new.target.prototype);
    self.transforms = (a.transforms as ((data: any) => any)[]).slice();
    return self;
  }
  __call__(data: unknown): unknown {
    for (const f of this.transforms) data = f(data);
    return data;
  }
  toString(): string {
    return `Compose(${this.transforms.map((t) => `\n    ${String(t)}`).join('')}\n)`;
  }
}
const composeParams = [p('transforms', T.any)] as const;
const parseCompose = parser(`${NS}.Compose`, composeParams);

export interface BaseTransform {
  /** Transforms one image, or the entries of an array named by `keys`. */
  (inputs: Tensor): any;
  (inputs: readonly unknown[]): any;
}
/**
 * Base class of the transforms. `keys` names what the positional inputs are (default
 * ['image']); calling the transform applies `_apply_<key>` to each (subclasses define
 * `_apply_image`, and may define `_apply_boxes`, `_apply_mask` or their own keys), after
 * `_get_params(inputs)` has set `this.params`.
 * @param keys input names, e.g. ['image', 'label'] with `_apply_label` defined
 * @example
 * class AddOne extends T.BaseTransform {
 *   _apply_image(img: paddle.Tensor) { return img.add(1); }
 * }
 */
export class BaseTransform {
  declare keys: string[];
  declare params: unknown;
  constructor(...args: CallArgs<typeof baseParams>) {
    const a = parseBase(args);
    const self = callable<BaseTransform>(new.target.prototype);
    const keys = a.keys ?? ['image'];
    for (const k of keys)
      if (self._get_apply(k) === null) fail(`${NS}.${new.target.name}`, `${k} is unsupported data structure (define _apply_${k})`, UnimplementedError);
    self.keys = keys;
    self.params = null;
    return self;
  }
  /** Draws what one call needs (e.g. random parameters); the result goes to `this.params`. */
  _get_params(_inputs: unknown[]): unknown {
    return null;
  }
  /** Applies the transform to `inputs`: one image, or an array of inputs matched to `keys`. */
  __call__(inputs: unknown): any {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.params = this._get_params(list);
    const outputs: unknown[] = [];
    const n = Math.min(list.length, this.keys.length);
    for (let i = 0; i < n; i++) {
      const f = this._get_apply(this.keys[i]);
      outputs.push(f === null ? list[i] : f(list[i]));
    }
    for (let i = this.keys.length; i < list.length; i++) outputs.push(list[i]);
    return outputs.length === 1 ? outputs[0] : outputs;
  }
  /** The `_apply_<key>` method, bound, or null. */
  _get_apply(key: string): ((x: unknown) => unknown) | null {
    const f = (this as unknown as Record<string, unknown>)[`_apply_${key}`];
    return typeof f === 'function' ? (f as (x: unknown) => unknown).bind(this) : null;
  }
  _apply_image(_image: any): any {
    return fail(`${NS}.${this.constructor.name}._apply_image`, 'not implemented', UnimplementedError);
  }
  _apply_boxes(_boxes: any): any {
    return fail(`${NS}.${this.constructor.name}._apply_boxes`, 'not implemented', UnimplementedError);
  }
  _apply_mask(_mask: any): any {
    return fail(`${NS}.${this.constructor.name}._apply_mask`, 'not implemented', UnimplementedError);
  }
  toString(): string {
    return `${this.constructor.name}()`;
  }
}
const baseParams = [p('keys', keysTy, null)] as const;
const parseBase = parser(`${NS}.BaseTransform`, baseParams);

const toTensorParams = [p('data_format', T.oneOf('CHW', 'HWC'), 'CHW'), p('keys', keysTy, null)] as const;
const parseToTensor = parser(`${NS}.ToTensor`, toTensorParams);
/**
 * Converts an HWC image to a Tensor: CHW by default; uint8 becomes float32 in [0, 1].
 * @param data_format 'CHW' or 'HWC'
 * @example new T.ToTensor()(img)  // [3, H, W] float32
 */
export class ToTensor extends BaseTransform {
  declare data_format: 'CHW' | 'HWC';
  constructor(...args: CallArgs<typeof toTensorParams>) {
    const a = parseToTensor(args);
    super(a.keys);
    this.data_format = a.data_format;
  }
  override _apply_image(img: Tensor): Tensor {
    return F.to_tensor(img, this.data_format);
  }
}

const resizeParams = [p('size', F.sizeTy), p('interpolation', F.interpTy, 'bilinear'), p('keys', keysTy, null)] as const;
const parseResize = parser(`${NS}.Resize`, resizeParams);
/**
 * Resizes images: an int size sets the shorter side (keeping the aspect ratio), (h, w) both.
 * @param size int or (h, w)
 * @param interpolation 'nearest', 'bilinear' (default), 'bicubic', 'area' or 'lanczos'
 * @example new T.Resize(224)(img)
 */
export class Resize extends BaseTransform {
  declare size: number | [number, number];
  declare interpolation: string;
  constructor(...args: CallArgs<typeof resizeParams>) {
    const a = parseResize(args);
    super(a.keys);
    if (a.size.hw[0] <= 0 || a.size.hw[1] <= 0) fail(`${NS}.Resize`, `size must be positive, but got ${JSON.stringify(args[0])}`);
    this.size = a.size.int ? a.size.hw[0] : a.size.hw;
    this.interpolation = a.interpolation;
  }
  override _apply_image(img: Tensor): Tensor {
    return F.resize(img, this.size, this.interpolation as F.Interpolation);
  }
}

const rrcParams = [
  p('size', F.sizeTy), p('scale', pairTy, [0.08, 1.0] as [number, number]), p('ratio', pairTy, [3 / 4, 4 / 3] as [number, number]),
  p('interpolation', F.interpTy, 'bilinear'), p('keys', keysTy, null),
] as const;
const parseRrc = parser(`${NS}.RandomResizedCrop`, rrcParams);
/**
 * Crops a random area (a fraction in `scale` of the image, with aspect ratio in `ratio`,
 * drawn log-uniformly; 10 attempts, then a central crop) and resizes it to `size`.
 * @param size int or (h, w) of the output
 * @param scale (min, max) area fraction
 * @param ratio (min, max) aspect ratio w/h
 * @param interpolation resize interpolation
 * @example new T.RandomResizedCrop(224)(img)
 */
export class RandomResizedCrop extends BaseTransform {
  declare size: [number, number];
  declare scale: [number, number];
  declare ratio: [number, number];
  declare interpolation: string;
  constructor(...args: CallArgs<typeof rrcParams>) {
    const a = parseRrc(args);
    super(a.keys);
    const api = `${NS}.RandomResizedCrop`;
    if (a.size.hw[0] <= 0 || a.size.hw[1] <= 0) fail(api, `size must be positive, but got ${JSON.stringify(args[0])}`);
    if (!(a.scale[0] <= a.scale[1])) fail(api, 'scale should be of kind (min, max)');
    if (!(a.ratio[0] <= a.ratio[1])) fail(api, 'ratio should be of kind (min, max)');
    if (a.ratio[0] <= 0) fail(api, `ratio must be positive, but got [${a.ratio}]`);
    this.size = a.size.hw;
    this.scale = a.scale;
    this.ratio = a.ratio;
    this.interpolation = a.interpolation;
  }
  _get_param(image: Tensor, attempts = 10): [number, number, number, number] {
    const [height, width] = image.dims;
    const area = height * width;
    const api = `${NS}.RandomResizedCrop`;
    for (let k = 0; k < attempts; k++) {
      const targetArea = uniform(this.scale[0], this.scale[1]) * area;
      const logRatio = [Math.log(this.ratio[0]), Math.log(this.ratio[1])];
      const aspect = Math.exp(uniform(logRatio[0], logRatio[1]));
      const w = F.pyRound(Math.sqrt(targetArea * aspect));
      const h = F.pyRound(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) return [randint(api, 0, height - h), randint(api, 0, width - w), h, w];
    }
    const inRatio = width / height;
    let w: number, h: number;
    if (inRatio < Math.min(...this.ratio)) { w = width; h = F.pyRound(w / Math.min(...this.ratio)); }
    else if (inRatio > Math.max(...this.ratio)) { h = height; w = F.pyRound(h * Math.max(...this.ratio)); }
    else { w = width; h = height; }
    return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
  }
  override _apply_image(img: Tensor): Tensor {
    const t = F.imageTy.parse(img, `${NS}.RandomResizedCrop`, 'img');
    const [i, j, h, w] = this._get_param(t);
    return F.resize(F.crop(t, i, j, h, w), this.size, this.interpolation as F.Interpolation);
  }
}

const centerCropParams = [p('size', F.sizeTy), p('keys', keysTy, null)] as const;
const parseCenterCrop = parser(`${NS}.CenterCrop`, centerCropParams);
/**
 * Crops the centre of images to `size` (an int for a square, or (h, w)).
 * @param size int or (h, w)
 * @example new T.CenterCrop(224)(img)
 */
export class CenterCrop extends BaseTransform {
  declare size: [number, number];
  constructor(...args: CallArgs<typeof centerCropParams>) {
    const a = parseCenterCrop(args);
    super(a.keys);
    this.size = a.size.hw;
  }
  override _apply_image(img: Tensor): Tensor {
    return F.center_crop(img, this.size);
  }
}

const flipParams = [p('prob', T.float, 0.5), p('keys', keysTy, null)] as const;
const parseHFlip = parser(`${NS}.RandomHorizontalFlip`, flipParams);
const parseVFlip = parser(`${NS}.RandomVerticalFlip`, flipParams);
/**
 * Flips images left-right with probability `prob`.
 * @param prob probability of flipping (0.5)
 * @example new T.RandomHorizontalFlip(0.5)(img)
 */
export class RandomHorizontalFlip extends BaseTransform {
  declare prob: number;
  constructor(...args: CallArgs<typeof flipParams>) {
    const a = parseHFlip(args);
    super(a.keys);
    this.prob = a.prob;
  }
  override _apply_image(img: Tensor): Tensor {
    return rand() < this.prob ? F.hflip(img) : img;
  }
}
/**
 * Flips images top-bottom with probability `prob`.
 * @param prob probability of flipping (0.5)
 * @example new T.RandomVerticalFlip()(img)
 */
export class RandomVerticalFlip extends BaseTransform {
  declare prob: number;
  constructor(...args: CallArgs<typeof flipParams>) {
    const a = parseVFlip(args);
    super(a.keys);
    this.prob = a.prob;
  }
  override _apply_image(img: Tensor): Tensor {
    return rand() < this.prob ? F.vflip(img) : img;
  }
}

const normalizeParams = [
  p('mean', numOrListTy(), 0.0 as number | number[]), p('std', numOrListTy(), 1.0 as number | number[]),
  p('data_format', T.oneOf('CHW', 'HWC'), 'CHW'), p('to_rgb', T.bool, false), p('keys', keysTy, null),
] as const;
function numOrListTy(): Ty<number | number[], number | readonly number[]> {
  return {
    desc: 'a number or a list of numbers',
    parse(v, api, arg) {
      if (typeof v === 'number') return v;
      if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) return (v as number[]).slice();
      return badArg(api, arg, 'a number or a list of numbers', v);
    },
  };
}
const parseNormalize = parser(`${NS}.Normalize`, normalizeParams);
/**
 * Normalizes images per channel, (img - mean) / std, with mean/std along the channel axis of
 * `data_format`; a number means the same value for 3 channels. to_rgb swaps BGR to RGB first.
 * @param mean per-channel means (default 0.0)
 * @param std per-channel standard deviations (default 1.0)
 * @param data_format 'CHW' (default) or 'HWC'
 * @param to_rgb whether to convert BGR to RGB first
 * @example new T.Normalize([127.5, 127.5, 127.5], [127.5, 127.5, 127.5], 'HWC')(img)
 */
export class Normalize extends BaseTransform {
  declare mean: number[];
  declare std: number[];
  declare data_format: 'CHW' | 'HWC';
  declare to_rgb: boolean;
  constructor(...args: CallArgs<typeof normalizeParams>) {
    const a = parseNormalize(args);
    super(a.keys);
    this.mean = typeof a.mean === 'number' ? [a.mean, a.mean, a.mean] : a.mean;
    this.std = typeof a.std === 'number' ? [a.std, a.std, a.std] : a.std;
    this.data_format = a.data_format;
    this.to_rgb = a.to_rgb;
  }
  override _apply_image(img: Tensor): Tensor {
    return F.normalize(img, this.mean, this.std, this.data_format, this.to_rgb);
  }
}

const transposeParams = [p('order', T.ints, [2, 0, 1]), p('keys', keysTy, null)] as const;
const parseTranspose = parser(`${NS}.Transpose`, transposeParams);
/**
 * Permutes the axes of HWC images by `order` (default (2, 0, 1): HWC -> CHW) without changing
 * values or dtype; a 2-D image gets a trailing channel axis first.
 * @param order a permutation of [0, 1, 2]
 * @example new T.Transpose()(img)  // [C, H, W]
 */
export class Transpose extends BaseTransform {
  declare order: number[];
  constructor(...args: CallArgs<typeof transposeParams>) {
    const a = parseTranspose(args);
    super(a.keys);
    if (a.order.length !== 3 || [...a.order].sort().join() !== '0,1,2') fail(`${NS}.Transpose`, `order must be a permutation of [0, 1, 2], but got [${a.order}]`);
    this.order = a.order;
  }
  override _apply_image(img: Tensor): Tensor {
    const t = F.imageTy.parse(img, `${NS}.Transpose`, 'img');
    const dims = t.dims.length === 2 ? [t.dims[0], t.dims[1], 1] : t.dims.slice();
    return new Tensor(transpose3(t.data, dims, this.order), this.order.map((k) => dims[k]), t.dtype);
  }
}

/** Paddle's _check_input: a factor range [center - v, center + v] (clipped at 0) or (min, max); null when it is the identity. */
function checkInput(api: string, value: number | [number, number], name: string, center = 1, bound: [number, number] = [0, Infinity], clipFirstOnZero = true): [number, number] | null {
  let v: [number, number];
  if (typeof value === 'number') {
    if (value < 0) fail(api, `If ${name} is a single number, it must be non negative.`);
    v = [center - value, center + value];
    if (clipFirstOnZero) v[0] = Math.max(v[0], 0);
  } else {
    if (!(bound[0] <= value[0] && value[0] <= value[1] && value[1] <= bound[1])) fail(api, `${name} values should be between [${bound}]`);
    v = [value[0], value[1]];
  }
  return v[0] === center && v[1] === center ? null : v;
}

const valueParams = [p('value', numOrPairTy), p('keys', keysTy, null)] as const;
const parseBrightness = parser(`${NS}.BrightnessTransform`, valueParams);
const parseContrast = parser(`${NS}.ContrastTransform`, valueParams);
const parseSaturation = parser(`${NS}.SaturationTransform`, valueParams);
const parseHue = parser(`${NS}.HueTransform`, valueParams);

/**
 * Changes brightness by a factor drawn uniformly from [max(0, 1 - value), 1 + value] (or the
 * given (min, max)).
 * @param value how much to jitter
 * @example new T.BrightnessTransform(0.4)(img)
 */
export class BrightnessTransform extends BaseTransform {
  declare value: [number, number] | null;
  constructor(...args: CallArgs<typeof valueParams>) {
    const a = parseBrightness(args);
    super(a.keys);
    this.value = checkInput(`${NS}.BrightnessTransform`, a.value, 'brightness');
  }
  override _apply_image(img: Tensor): Tensor {
    if (this.value === null) return img;
    return F.adjust_brightness(img, uniform(this.value[0], this.value[1]));
  }
}
/**
 * Changes contrast by a factor drawn uniformly from [max(0, 1 - value), 1 + value].
 * @param value how much to jitter (non-negative)
 * @example new T.ContrastTransform(0.4)(img)
 */
export class ContrastTransform extends BaseTransform {
  declare value: [number, number] | null;
  constructor(...args: CallArgs<typeof valueParams>) {
    const a = parseContrast(args);
    super(a.keys);
    if (typeof a.value === 'number' && a.value < 0) fail(`${NS}.ContrastTransform`, 'contrast value should be non-negative');
    this.value = checkInput(`${NS}.ContrastTransform`, a.value, 'contrast');
  }
  override _apply_image(img: Tensor): Tensor {
    if (this.value === null) return img;
    return F.adjust_contrast(img, uniform(this.value[0], this.value[1]));
  }
}
/**
 * Changes saturation by a factor drawn uniformly from [max(0, 1 - value), 1 + value].
 * @param value how much to jitter
 * @example new T.SaturationTransform(0.4)(img)
 */
export class SaturationTransform extends BaseTransform {
  declare value: [number, number] | null;
  constructor(...args: CallArgs<typeof valueParams>) {
    const a = parseSaturation(args);
    super(a.keys);
    this.value = checkInput(`${NS}.SaturationTransform`, a.value, 'saturation');
  }
  override _apply_image(img: Tensor): Tensor {
    if (this.value === null) return img;
    return F.adjust_saturation(img, uniform(this.value[0], this.value[1]));
  }
}
/**
 * Shifts hue by a factor drawn uniformly from [-value, value] (value <= 0.5).
 * @param value how much to jitter
 * @example new T.HueTransform(0.1)(img)
 */
export class HueTransform extends BaseTransform {
  declare value: [number, number] | null;
  constructor(...args: CallArgs<typeof valueParams>) {
    const a = parseHue(args);
    super(a.keys);
    this.value = checkInput(`${NS}.HueTransform`, a.value, 'hue', 0, [-0.5, 0.5], false);
  }
  override _apply_image(img: Tensor): Tensor {
    if (this.value === null) return img;
    return F.adjust_hue(img, uniform(this.value[0], this.value[1]));
  }
}

const jitterParams = [
  p('brightness', numOrPairTy, 0 as number | [number, number]), p('contrast', numOrPairTy, 0 as number | [number, number]),
  p('saturation', numOrPairTy, 0 as number | [number, number]), p('hue', numOrPairTy, 0 as number | [number, number]), p('keys', keysTy, null),
] as const;
const parseJitter = parser(`${NS}.ColorJitter`, jitterParams);
/**
 * Randomly changes brightness, contrast, saturation and hue, in a random order each call
 * (each part is a no-op when its value is 0).
 * @param brightness brightness jitter
 * @param contrast contrast jitter
 * @param saturation saturation jitter
 * @param hue hue jitter (<= 0.5)
 * @example new T.ColorJitter(0.4, 0.4, 0.4, 0.1)(img)
 */
export class ColorJitter extends BaseTransform {
  declare brightness: number | [number, number];
  declare contrast: number | [number, number];
  declare saturation: number | [number, number];
  declare hue: number | [number, number];
  constructor(...args: CallArgs<typeof jitterParams>) {
    const a = parseJitter(args);
    super(a.keys);
    this.brightness = a.brightness;
    this.contrast = a.contrast;
    this.saturation = a.saturation;
    this.hue = a.hue;
    // Check the values now (Paddle checks them when the transforms are built, on each call).
    this._get_param(this.brightness, this.contrast, this.saturation, this.hue, false);
  }
  _get_param(brightness: number | [number, number], contrast: number | [number, number], saturation: number | [number, number], hue: number | [number, number], shuffle = true): Compose {
    const ts: BaseTransform[] = [
      new BrightnessTransform(brightness, this.keys),
      new ContrastTransform(contrast, this.keys),
      new SaturationTransform(saturation, this.keys),
      new HueTransform(hue, this.keys),
    ];
    if (shuffle)
      for (let i = ts.length - 1; i > 0; i--) {
        const j = defaultGenerator.int(i + 1);
        [ts[i], ts[j]] = [ts[j], ts[i]];
      }
    return new Compose(ts);
  }
  override _apply_image(img: Tensor): Tensor {
    return this._get_param(this.brightness, this.contrast, this.saturation, this.hue)(img);
  }
}

const randomCropParams = [
  p('size', F.sizeTy), p('padding', T.any, null), p('pad_if_needed', T.bool, false), p('fill', F.fillTy, 0 as number | number[]),
  p('padding_mode', T.oneOf(...F.PADDING_MODES), 'constant'), p('keys', keysTy, null),
] as const;
const parseRandomCrop = parser(`${NS}.RandomCrop`, randomCropParams);
/**
 * Crops a random `size` region, after optional `padding`; pad_if_needed pads images smaller
 * than `size` (by the missing amount on both sides) first.
 * @param size int or (h, w)
 * @param padding padding applied first (int, 2 or 4 values), or null
 * @param pad_if_needed pad small images up to size
 * @param fill constant fill value(s)
 * @param padding_mode 'constant', 'edge', 'reflect' or 'symmetric'
 * @example new T.RandomCrop(32, 4)(img)
 */
export class RandomCrop extends BaseTransform {
  declare size: [number, number];
  declare padding: number | number[] | null;
  declare pad_if_needed: boolean;
  declare fill: number | number[];
  declare padding_mode: F.PaddingMode;
  constructor(...args: CallArgs<typeof randomCropParams>) {
    const a = parseRandomCrop(args);
    super(a.keys);
    const api = `${NS}.RandomCrop`;
    if (a.size.hw[0] <= 0 || a.size.hw[1] <= 0) fail(api, `size must be positive, but got ${JSON.stringify(args[0])}`);
    if (a.padding !== null) F.parsePadding(api, a.padding);
    this.size = a.size.hw;
    this.padding = a.padding as number | number[] | null;
    this.pad_if_needed = a.pad_if_needed;
    this.fill = a.fill;
    this.padding_mode = a.padding_mode;
  }
  _get_param(img: Tensor, output_size: [number, number]): [number, number, number, number] {
    const [h, w] = img.dims;
    const [th, tw] = output_size;
    if (w === tw && h === th) return [0, 0, h, w];
    const api = `${NS}.RandomCrop`;
    if (h < th || w < tw) fail(api, `the image (height ${h}, width ${w}) is smaller than the crop size [${th}, ${tw}]; use padding or pad_if_needed=true`);
    return [randint(api, 0, h - th), randint(api, 0, w - tw), th, tw];
  }
  override _apply_image(img: Tensor): Tensor {
    let t = F.imageTy.parse(img, `${NS}.RandomCrop`, 'img');
    if (this.padding !== null) t = F.pad(t, this.padding, this.fill, this.padding_mode);
    const [h, w] = t.dims;
    if (this.pad_if_needed && w < this.size[1]) t = F.pad(t, [this.size[1] - w, 0], this.fill, this.padding_mode);
    if (this.pad_if_needed && h < this.size[0]) t = F.pad(t, [0, this.size[0] - h], this.fill, this.padding_mode);
    const [i, j, hh, ww] = this._get_param(t, this.size);
    return F.crop(t, i, j, hh, ww);
  }
}

const padParams = [p('padding', T.any), p('fill', F.fillTy, 0 as number | number[]), p('padding_mode', T.oneOf(...F.PADDING_MODES), 'constant'), p('keys', keysTy, null)] as const;
const parsePad = parser(`${NS}.Pad`, padParams);
/**
 * Pads images: `padding` is an int, (left/right, top/bottom) or (left, top, right, bottom).
 * @param padding the padding
 * @param fill constant fill value(s)
 * @param padding_mode 'constant', 'edge', 'reflect' or 'symmetric'
 * @example new T.Pad(2, 0, 'reflect')(img)
 */
export class Pad extends BaseTransform {
  declare padding: number | number[];
  declare fill: number | number[];
  declare padding_mode: F.PaddingMode;
  constructor(...args: CallArgs<typeof padParams>) {
    const a = parsePad(args);
    F.parsePadding(`${NS}.Pad`, a.padding);
    super(a.keys);
    this.padding = a.padding as number | number[];
    this.fill = a.fill;
    this.padding_mode = a.padding_mode;
  }
  override _apply_image(img: Tensor): Tensor {
    return F.pad(img, this.padding, this.fill, this.padding_mode);
  }
}

const rotationParams = [
  p('degrees', numOrPairTy), p('interpolation', F.interpTy, 'nearest'), p('expand', T.bool, false),
  p('center', T.any, null), p('fill', F.fillTy, 0 as number | number[]), p('keys', keysTy, null),
] as const;
const parseRotation = parser(`${NS}.RandomRotation`, rotationParams);
/**
 * Rotates images by an angle drawn uniformly from (-degrees, degrees) (or the given (min, max)).
 * @param degrees range of degrees
 * @param interpolation 'nearest' (default), 'bilinear', 'bicubic'...
 * @param expand enlarge the output to hold the whole image
 * @param center (x, y) pivot or null for the centre
 * @param fill border value(s)
 * @example new T.RandomRotation(15)(img)
 */
export class RandomRotation extends BaseTransform {
  declare degrees: [number, number];
  declare interpolation: string;
  declare expand: boolean;
  declare center: [number, number] | null;
  declare fill: number | number[];
  constructor(...args: CallArgs<typeof rotationParams>) {
    const a = parseRotation(args);
    const api = `${NS}.RandomRotation`;
    if (typeof a.degrees === 'number' && a.degrees < 0) fail(api, 'If degrees is a single number, it must be positive.');
    super(a.keys);
    this.degrees = typeof a.degrees === 'number' ? [-a.degrees, a.degrees] : a.degrees;
    const c = a.center;
    if (c !== null && !(Array.isArray(c) && c.length === 2 && c.every((x) => typeof x === 'number'))) badArg(api, 'center', 'a pair (x, y) or None', c);
    this.interpolation = a.interpolation;
    this.expand = a.expand;
    this.center = c as [number, number] | null;
    this.fill = a.fill;
  }
  _get_param(degrees: [number, number]): number {
    return uniform(degrees[0], degrees[1]);
  }
  override _apply_image(img: Tensor): Tensor {
    const angle = this._get_param(this.degrees);
    return F.rotate(img, angle, this.interpolation as F.Interpolation, this.expand, this.center, this.fill);
  }
}

const grayParams = [p('num_output_channels', T.int, 1), p('keys', keysTy, null)] as const;
const parseGray = parser(`${NS}.Grayscale`, grayParams);
/**
 * Converts images to grayscale with 1 or 3 output channels.
 * @param num_output_channels 1 or 3
 * @example new T.Grayscale()(img)  // [H, W, 1]
 */
export class Grayscale extends BaseTransform {
  declare num_output_channels: number;
  constructor(...args: CallArgs<typeof grayParams>) {
    const a = parseGray(args);
    super(a.keys);
    if (a.num_output_channels !== 1 && a.num_output_channels !== 3) fail(`${NS}.Grayscale`, `num_output_channels should be either 1 or 3, but got ${a.num_output_channels}`);
    this.num_output_channels = a.num_output_channels;
  }
  override _apply_image(img: Tensor): Tensor {
    return F.to_grayscale(img, this.num_output_channels);
  }
}
