// paddle.vision.transforms classes: callable objects with Paddle 2.0's signatures and defaults,
// keys/tuple handling, random transforms on paddle.seed's generator, and argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';

const T = paddle.vision.transforms;
const F = paddle.vision.transforms.functional;
const { InvalidArgumentError, UnimplementedError } = paddle.errors;

function pat(h: number, w: number, c: number): paddle.Tensor {
  const a = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) a[(y * w + x) * c + k] = (y * 37 + x * 91 + k * 53 + x * y * 7) % 256;
  return paddle.to_tensor(a).reshape([h, w, c]);
}
const u8 = (data: unknown) => paddle.to_tensor(data as number[], { dtype: 'uint8' });
/** The first draws paddle.seed(s) gives, as uniform(a, b) = a + (b - a) * random(). */
const draws = (s: number, n: number) => {
  const g = new paddle.Generator(s);
  return Array.from({ length: n }, () => g.random());
};

test('transforms are callable objects, instances of their classes, also under paddle.vision', () => {
  const r = new T.Resize(4);
  assert.equal(typeof r, 'function');
  assert.ok(r instanceof T.Resize && r instanceof T.BaseTransform);
  assert.deepEqual(r(pat(6, 8, 3)).shape, [4, 5, 3]);
  assert.deepEqual(r.keys, ['image']);
  assert.equal(r.size, 4);
  assert.equal(r.interpolation, 'bilinear');
  assert.equal(paddle.vision.Resize, T.Resize);
  assert.equal(paddle.vision.resize, T.resize);
  assert.equal(String(r), 'Resize()');
});

test('Compose chains in order and prints its transforms', () => {
  const c = new T.Compose([new T.CenterCrop(4), new T.Transpose(), (x: paddle.Tensor) => x.astype('float32')]);
  const out = c(pat(6, 6, 3)) as paddle.Tensor;
  assertTensor(out, [3, 4, 4], 'float32');
  assert.ok(c instanceof T.Compose);
  assert.match(String(new T.Compose([new T.Resize(2), new T.ToTensor()])), /^Compose\(\n {4}Resize\(\)\n {4}ToTensor\(\)\n\)$/);
  assertThrows(() => new T.Compose([1 as never]), InvalidArgumentError, /Compose/, /transforms/);
});

test('BaseTransform: tuples (arrays) map keys to _apply_<key>, extra inputs pass through', () => {
  const img = pat(4, 4, 3);
  const [a, label] = new T.RandomHorizontalFlip(1)([img, 7]) as [paddle.Tensor, number];
  assert.deepEqual(a.tolist(), F.hflip(img).tolist());
  assert.equal(label, 7);
  class Shift extends T.BaseTransform {
    override _apply_image(x: paddle.Tensor) {
      return x.astype('int32').add(paddle.to_tensor(1, { dtype: 'int32' }));
    }
    _apply_label(l: number) {
      return l * 10;
    }
  }
  const s = new Shift(['image', 'label']);
  const [x, l, extra] = s([u8([[1]]), 2, 'kept']) as [paddle.Tensor, number, string];
  assert.deepEqual(x.tolist(), [[2]]);
  assert.equal(l, 20);
  assert.equal(extra, 'kept');
  assert.deepEqual((new Shift()(u8([[5]])) as paddle.Tensor).tolist(), [[6]]);
  assertThrows(() => new Shift(['image', 'depth']), UnimplementedError, /depth is unsupported data structure/);
  assertThrows(() => new T.BaseTransform()(u8([[1]])), UnimplementedError, /_apply_image/);
  assertThrows(() => new T.Resize(4, 'bilinear', 'image' as never), InvalidArgumentError, /keys should be a sequence/);
});

test('ToTensor and Normalize', () => {
  const img = u8([[[0, 51, 255]]]);
  assertClose(new T.ToTensor()(img), [[[0]], [[0.2]], [[1]]], 1e-7, 0);
  assert.deepEqual(new T.ToTensor('HWC')(img).shape, [1, 1, 3]);
  const n = new T.Normalize(0.5, 0.5);
  assert.deepEqual(n.mean, [0.5, 0.5, 0.5]);
  assert.equal(n.data_format, 'CHW');
  assertClose(n(new T.ToTensor()(img)), [[[-1]], [[-0.6]], [[1]]], 1e-6, 0);
  const hwc = new T.Normalize({ mean: [10, 20, 30], std: [1, 2, 3], data_format: 'HWC', to_rgb: true });
  assertTensor(hwc(u8([[[30, 40, 40]]])), [1, 1, 3], 'float32', [[[30, 10, 0]]]); // ([40, 40, 30] - mean) / std
  assertThrows(() => new T.ToTensor('NHWC' as 'CHW'), InvalidArgumentError, /data_format/);
});

test('Resize, CenterCrop, Pad, Transpose, Grayscale', () => {
  const img = pat(6, 9, 3);
  assert.deepEqual(new T.Resize([3, 5], 'nearest')(img).shape, [3, 5, 3]);
  assert.deepEqual(new T.CenterCrop(4)(img).tolist(), F.center_crop(img, 4).tolist());
  assert.deepEqual(new T.CenterCrop([2, 3])(img).shape, [2, 3, 3]);
  assert.deepEqual(new T.Pad([1, 2], 0, 'edge')(img).tolist(), F.pad(img, [1, 2], 0, 'edge').tolist());
  assert.deepEqual(new T.Pad(1, [1, 2, 3]).fill, [1, 2, 3]);
  const tp = new T.Transpose();
  assert.deepEqual(tp.order, [2, 0, 1]);
  assertTensor(tp(u8([[[1, 2], [3, 4]]])), [2, 1, 2], 'uint8', [[[1, 3]], [[2, 4]]]);
  assertTensor(new T.Transpose([1, 0, 2])(u8([[1, 2], [3, 4]])), [2, 2, 1], 'uint8', [[[1], [3]], [[2], [4]]]);
  const f = paddle.to_tensor([[[0.5, -1]]], { dtype: 'float64' });
  assertTensor(tp(f), [2, 1, 1], 'float64', [[[0.5]], [[-1]]]);
  assert.deepEqual(new T.Grayscale()(img).shape, [6, 9, 1]);
  assert.deepEqual(new T.Grayscale(3)(img).tolist(), F.to_grayscale(img, 3).tolist());
  assertThrows(() => new T.Resize(0), InvalidArgumentError, /positive/);
  assertThrows(() => new T.Resize(10, 'hamming' as 'bilinear'), InvalidArgumentError, /interpolation/);
  assertThrows(() => new T.Resize([1, 2, 3] as never), InvalidArgumentError, /size/);
  assertThrows(() => new T.Pad([1, 2, 3]), InvalidArgumentError, /not a 3 element tuple/);
  assertThrows(() => new T.Pad(1, 0, 'wrap' as 'edge'), InvalidArgumentError, /padding_mode/);
  assertThrows(() => new T.Transpose([0, 1, 1]), InvalidArgumentError, /permutation/);
  assertThrows(() => new T.Grayscale(2), InvalidArgumentError, /either 1 or 3/);
  assertThrows(() => new T.Resize(4)(u8([1, 2, 3])), InvalidArgumentError, /2 or 3 dimensions/);
});

test('RandomHorizontalFlip / RandomVerticalFlip: prob and paddle.seed', () => {
  const img = pat(3, 4, 3);
  assert.deepEqual(new T.RandomHorizontalFlip(1)(img).tolist(), F.hflip(img).tolist());
  assert.equal(new T.RandomHorizontalFlip(0)(img), img);
  assert.deepEqual(new T.RandomVerticalFlip(1)(img).tolist(), F.vflip(img).tolist());
  // flips when random() < prob, drawing one number per call
  const r = draws(11, 6);
  paddle.seed(11);
  const t = new T.RandomVerticalFlip();
  for (let i = 0; i < 6; i++) {
    const out = t(img) as paddle.Tensor;
    assert.deepEqual(out.tolist(), (r[i] < 0.5 ? F.vflip(img) : img).tolist(), `call ${i}`);
  }
});

test('RandomCrop: padding, pad_if_needed, determinism and errors', () => {
  const img = pat(5, 6, 3);
  const t = new T.RandomCrop(3);
  assert.deepEqual(t.size, [3, 3]);
  paddle.seed(3);
  const a = t(img) as paddle.Tensor;
  paddle.seed(3);
  assert.deepEqual((t(img) as paddle.Tensor).tolist(), a.tolist());
  // randint(0, h - th) then randint(0, w - tw), each a + int(b - a + 1)
  const g = new paddle.Generator(3);
  const i = g.int(3), j = g.int(4);
  assert.deepEqual(a.tolist(), F.crop(img, i, j, 3, 3).tolist());
  assert.deepEqual(new T.RandomCrop([5, 6])(img).tolist(), img.tolist());
  // padding first; pad_if_needed grows small images
  assert.deepEqual(new T.RandomCrop(7, 1)(img).shape, [7, 7, 3]);
  const grown = new T.RandomCrop([8, 10], null, true, 9)(img) as paddle.Tensor;
  assert.deepEqual(grown.shape, [8, 10, 3]);
  assertThrows(() => new T.RandomCrop(7)(img), InvalidArgumentError, /smaller than the crop size/);
  assertThrows(() => new T.RandomCrop(3, [1, 2, 3]), InvalidArgumentError, /not a 3 element tuple/);
});

test('RandomResizedCrop: output size, reproducible under paddle.seed, fallback to the centre', () => {
  const img = pat(20, 30, 3);
  const t = new T.RandomResizedCrop(8);
  assert.deepEqual(t.scale, [0.08, 1.0]);
  assertClose(t.ratio, [0.75, 4 / 3]);
  paddle.seed(2021);
  const a = t(img) as paddle.Tensor;
  assert.deepEqual(a.shape, [8, 8, 3]);
  paddle.seed(2021);
  assert.deepEqual((t(img) as paddle.Tensor).tolist(), a.tolist());
  paddle.seed(2022);
  assert.notDeepEqual((t(img) as paddle.Tensor).tolist(), a.tolist());
  // scale above 1 can never fit: 10 attempts fail, then the whole image (ratio 1.5 > 4/3 -> h=20, w=round(20*4/3)=27)
  const fb = new T.RandomResizedCrop([20, 27], [2, 3], [3 / 4, 4 / 3], 'nearest');
  assert.deepEqual((fb(img) as paddle.Tensor).tolist(), F.crop(img, 0, 1, 20, 27).tolist());
  assertThrows(() => new T.RandomResizedCrop(8, [0.9, 0.1]), InvalidArgumentError, /scale should be of kind/);
  assertThrows(() => new T.RandomResizedCrop(8, [0.1, 0.9], [2, 1]), InvalidArgumentError, /ratio should be of kind/);
});

test('RandomRotation: angle from uniform(-d, d), reproducible; argument checks', () => {
  const img = pat(7, 9, 3);
  const t = new T.RandomRotation(30);
  assert.deepEqual(t.degrees, [-30, 30]);
  const [r] = draws(8, 1);
  paddle.seed(8);
  const out = t(img) as paddle.Tensor;
  assert.deepEqual(out.tolist(), F.rotate(img, -30 + 60 * r).tolist());
  const t2 = new T.RandomRotation([10, 20], 'bilinear', true, null, [1, 2, 3]);
  assert.deepEqual(t2.degrees, [10, 20]);
  assert.equal((t2(img) as paddle.Tensor).shape.length, 3);
  assertThrows(() => new T.RandomRotation(-5), InvalidArgumentError, /must be positive/);
  assertThrows(() => new T.RandomRotation([1, 2, 3] as never), InvalidArgumentError, /degrees/);
  assertThrows(() => new T.RandomRotation(5, 'nearest', false, [1] as never), InvalidArgumentError, /center/);
});

test('Brightness/Contrast/Saturation/Hue transforms draw their factor and call the functional', () => {
  const img = pat(4, 5, 3);
  const [r] = draws(5, 1);
  paddle.seed(5);
  assert.deepEqual(new T.BrightnessTransform(0.4)(img).tolist(), F.adjust_brightness(img, 0.6 + 0.8 * r).tolist());
  paddle.seed(5);
  assert.deepEqual(new T.ContrastTransform([0.5, 1.5])(img).tolist(), F.adjust_contrast(img, 0.5 + r).tolist());
  paddle.seed(5);
  assert.deepEqual(new T.SaturationTransform(2)(img).tolist(), F.adjust_saturation(img, 0 + 3 * r).tolist());
  paddle.seed(5);
  assert.deepEqual(new T.HueTransform(0.2)(img).tolist(), F.adjust_hue(img, -0.2 + 0.4 * r).tolist());
  // value 0 is the identity (no draw, the input itself)
  assert.equal(new T.BrightnessTransform(0)(img), img);
  assert.equal(new T.HueTransform(0)(img), img);
  assert.deepEqual(new T.BrightnessTransform(0.4).value, [0.6, 1.4]);
  assert.deepEqual(new T.ContrastTransform(2).value, [0, 3]);
  assert.deepEqual(new T.HueTransform(0.3).value, [-0.3, 0.3]);
  assertThrows(() => new T.BrightnessTransform(-1), InvalidArgumentError, /must be non negative/);
  assertThrows(() => new T.ContrastTransform(-0.1), InvalidArgumentError, /non-negative/);
  assertThrows(() => new T.HueTransform([-0.7, 0.1]), InvalidArgumentError, /hue values should be between/);
  assertThrows(() => new T.SaturationTransform([2, 1]), InvalidArgumentError, /saturation values/);
});

test('ColorJitter: random order, reproducible, identity with zeros', () => {
  const img = pat(6, 7, 3);
  const t = new T.ColorJitter(0.4, 0.4, 0.4, 0.1);
  paddle.seed(99);
  const a = t(img) as paddle.Tensor;
  paddle.seed(99);
  assert.deepEqual((t(img) as paddle.Tensor).tolist(), a.tolist());
  assert.deepEqual(a.shape, [6, 7, 3]);
  assert.deepEqual(new T.ColorJitter()(img).tolist(), img.tolist());
  // only brightness: shuffle draws 3 numbers (Fisher-Yates on 4), then the factor
  const g = new paddle.Generator(4);
  g.int(4); g.int(3); g.int(2);
  const f = 0.5 + g.random();
  paddle.seed(4);
  assert.deepEqual(new T.ColorJitter(0.5)(img).tolist(), F.adjust_brightness(img, f).tolist());
  assertThrows(() => new T.ColorJitter(-1), InvalidArgumentError, /brightness/);
});

test('edge cases: 1- and 4-channel, float and 2-D images through the pipeline', () => {
  const one = pat(5, 7, 1);
  assert.deepEqual(new T.Resize(3)(one).shape, [3, 4, 1]);
  assert.deepEqual(new T.RandomRotation(10)(one).shape, [5, 7, 1]);
  assert.deepEqual(new T.ToTensor()(one).shape, [1, 5, 7]);
  const four = pat(5, 7, 4);
  assert.deepEqual(new T.Resize([4, 4], 'bicubic')(four).shape, [4, 4, 4]);
  assert.deepEqual(new T.ColorJitter(0.2, 0.2, 0.2)(four).shape, [5, 7, 4]);
  const fl = pat(5, 7, 3).astype('float32');
  const r = new T.Resize([10, 14])(fl) as paddle.Tensor;
  assert.equal(r.dtype, 'float32');
  assertClose(r.getitem(0, 0), fl.getitem(0, 0));
  const flat2d = u8([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assert.deepEqual(new T.CenterCrop(1)(flat2d).tolist(), [[5]]);
  assert.deepEqual(new T.Pad(1)(flat2d).shape, [5, 5]);
  assert.deepEqual(new T.RandomHorizontalFlip(1)(flat2d).tolist(), [[3, 2, 1], [6, 5, 4], [9, 8, 7]]);
});
