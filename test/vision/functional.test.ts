// paddle.vision.transforms functional forms on HWC Tensors, with the cv2 backend's numerics.
// Expected values are hand-derived, or (marked "NumPy") computed by an independent NumPy
// re-implementation of OpenCV's C++ formulas (fixed-point resize and warpAffine, RGB2GRAY,
// BGR<->HSV_FULL) written while developing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { assertClose, assertTensor, assertThrows } from '../helpers/assert.js';

const T = paddle.vision.transforms;
const F = paddle.vision.transforms.functional;
const { InvalidArgumentError, UnimplementedError } = paddle.errors;

/** img[y, x, k] = (37y + 91x + 53k + 7xy) mod 256, the same pattern the NumPy reference used. */
function pat(h: number, w: number, c: number): paddle.Tensor {
  const a = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) a[(y * w + x) * c + k] = (y * 37 + x * 91 + k * 53 + x * y * 7) % 256;
  return paddle.to_tensor(a).reshape([h, w, c]);
}
const u8 = (data: unknown) => paddle.to_tensor(data as number[], { dtype: 'uint8' });
const f32 = (data: unknown) => paddle.to_tensor(data as number[], { dtype: 'float32' });
const fullU8 = (shape: number[], v: number) => paddle.to_tensor(new Uint8Array(shape.reduce((a, b) => a * b)).fill(v)).reshape(shape);
const flat = (t: paddle.Tensor): number[] => Array.from(t.numpy() as ArrayLike<number>);

// NumPy reference values (see header).
const LIN_4x5_TO_3x4 = [17, 71, 124, 133, 170, 143, 88, 125, 98, 107, 160, 176, 68, 121, 158, 147, 152, 125, 114, 119, 172, 193, 134, 75, 119, 145, 193, 161, 81, 107, 140, 193, 112, 91, 107, 134];
const LIN_4x5_TO_7x9 = [0, 53, 106, 30, 83, 136, 81, 134, 187, 131, 184, 124, 182, 235, 32, 90, 143, 82, 27, 80, 133, 78, 131, 184, 108, 161, 214, 13, 66, 119, 44, 97, 150, 96, 149, 202, 148, 161, 140, 200, 162, 50, 110, 122, 102, 48, 101, 144, 100, 153, 145, 131, 184, 146, 34, 87, 140, 67, 120, 173, 121, 174, 227, 175, 122, 167, 229, 45, 79, 141, 88, 133, 82, 135, 161, 136, 189, 83, 168, 221, 37, 56, 109, 162, 89, 142, 153, 146, 199, 138, 145, 141, 123, 131, 56, 109, 116, 112, 165, 115, 154, 193, 171, 139, 107, 206, 131, 56, 76, 129, 182, 112, 159, 132, 170, 207, 49, 115, 158, 79, 32, 84, 137, 90, 143, 186, 147, 173, 210, 195, 90, 136, 224, 40, 92, 98, 151, 204, 134, 132, 155, 195, 102, 74, 142, 104, 106, 61, 114, 167, 122, 174, 136, 164, 207, 114, 133, 125, 124, 115, 77, 130, 111, 164, 217, 148, 116, 169, 210, 36, 89, 159, 70, 123, 79, 132, 185, 141, 194, 105, 175, 228, 53, 95, 148, 116, 47, 100, 153];
const CUB_4x5_TO_7x9 = [0, 40, 93, 20, 71, 140, 72, 124, 195, 149, 215, 122, 177, 255, 27, 82, 148, 52, 9, 60, 134, 64, 116, 202, 111, 164, 245, 1, 54, 105, 34, 92, 161, 88, 147, 227, 175, 175, 150, 212, 162, 46, 111, 109, 83, 30, 91, 146, 87, 156, 148, 136, 206, 146, 23, 76, 128, 58, 125, 183, 114, 184, 249, 202, 124, 177, 239, 39, 78, 143, 63, 133, 67, 137, 168, 126, 201, 82, 176, 242, 16, 45, 96, 164, 89, 159, 155, 149, 236, 139, 158, 148, 110, 131, 32, 109, 100, 88, 198, 114, 163, 224, 188, 146, 102, 242, 128, 11, 67, 122, 200, 120, 167, 126, 184, 222, 29, 114, 163, 49, 21, 86, 139, 65, 151, 214, 155, 184, 224, 208, 87, 142, 239, 14, 81, 90, 160, 223, 144, 134, 149, 211, 99, 52, 141, 90, 88, 49, 118, 171, 112, 198, 146, 178, 220, 110, 142, 123, 124, 110, 50, 137, 103, 185, 235, 158, 107, 169, 227, 5, 83, 167, 33, 126, 84, 137, 190, 153, 227, 90, 189, 244, 23, 88, 158, 107, 11, 92, 173];
const CUB_4x5_TO_3x3 = [28, 83, 150, 193, 205, 38, 78, 136, 173, 89, 159, 155, 131, 32, 109, 188, 146, 102, 150, 121, 159, 68, 126, 179, 116, 141, 115];
const LIN_5x7x1_TO_3x3 = [74, 36, 112, 144, 133, 122, 100, 229, 161];
const ROT30_NN_5x7 = [0, 0, 0, 0, 0, 0, 17, 70, 123, 108, 161, 214, 15, 68, 121, 113, 166, 219, 0, 0, 0, 0, 0, 0, 182, 235, 32, 17, 70, 123, 173, 226, 23, 15, 68, 121, 192, 245, 42, 192, 245, 42, 91, 144, 197, 233, 30, 83, 233, 30, 83, 133, 186, 239, 238, 35, 88, 159, 212, 9, 15, 68, 121, 37, 90, 143, 179, 232, 29, 28, 81, 134, 191, 244, 41, 47, 100, 153, 231, 28, 81, 231, 28, 81, 74, 127, 180, 223, 20, 73, 223, 20, 73, 130, 183, 236, 249, 46, 99, 0, 0, 0, 0, 0, 0];
const ROT30_LIN_5x7 = [0, 0, 0, 8, 13, 8, 34, 65, 97, 135, 188, 152, 88, 141, 110, 113, 163, 190, 15, 20, 11, 49, 72, 70, 156, 206, 38, 52, 98, 142, 151, 204, 62, 95, 113, 121, 141, 194, 112, 68, 99, 45, 79, 132, 185, 184, 114, 138, 136, 90, 143, 155, 143, 181, 165, 75, 113, 139, 192, 47, 53, 98, 135, 66, 119, 161, 158, 204, 97, 47, 97, 137, 152, 205, 115, 104, 142, 130, 157, 111, 119, 142, 62, 105, 55, 93, 131, 159, 127, 113, 154, 72, 125, 144, 152, 170, 209, 64, 114, 52, 68, 92, 0, 0, 0];
const ROT_M45_LIN_5x7_FILL = [221, 139, 56, 98, 145, 192, 137, 190, 106, 167, 133, 171, 186, 152, 60, 116, 113, 71, 255, 128, 0, 148, 195, 243, 159, 74, 127, 146, 119, 92, 77, 80, 133, 110, 112, 165, 86, 139, 144, 168, 164, 122, 180, 120, 60, 66, 104, 157, 101, 149, 183, 138, 191, 144, 172, 125, 150, 145, 179, 51, 130, 183, 82, 255, 128, 0, 212, 144, 84, 218, 89, 124, 132, 157, 110, 138, 91, 116, 86, 120, 168, 83, 136, 174, 255, 128, 0, 255, 128, 0, 227, 120, 59, 132, 134, 182, 164, 166, 38, 111, 164, 89, 202, 193, 53];
const GRAY_4x5 = [43, 134, 196, 60, 151, 80, 178, 97, 118, 187, 117, 193, 71, 176, 102, 154, 87, 122, 205, 90];
const HUE0_3x3 = [0, 52, 106, 91, 143, 197, 183, 235, 32, 37, 89, 143, 135, 187, 241, 233, 30, 84, 74, 126, 180, 180, 232, 29, 28, 80, 134];
const HUE025_3x3 = [0, 106, 3, 91, 197, 94, 235, 32, 77, 37, 143, 40, 135, 241, 138, 82, 30, 233, 74, 180, 77, 232, 29, 73, 28, 134, 31];
const HUEM03_3x3 = [106, 0, 75, 197, 91, 166, 32, 227, 235, 143, 37, 112, 241, 135, 210, 128, 233, 30, 180, 74, 149, 29, 224, 232, 134, 28, 103];

// ---------------------------------------------------------------------------------------

test('to_tensor: uint8 HWC -> float32 CHW / 255 (cast + scale), HWC kept with data_format', () => {
  const img = u8([[[0, 51, 255], [1, 2, 3]]]); // [1, 2, 3]
  const t = F.to_tensor(img);
  assertTensor(t, [3, 1, 2], 'float32');
  // Paddle's scale op multiplies by float32(1/255): 51 * 0.003921569 -> 0.2 (float32)
  assertClose(t, [[[0, 1 / 255]], [[0.2, 2 / 255]], [[1, 3 / 255]]], 1e-7, 0);
  assert.equal(t.numpy()[4], Math.fround(255 * Math.fround(1 / 255)));
  const h = F.to_tensor(img, 'HWC');
  assertTensor(h, [1, 2, 3], 'float32');
  assertClose(h, [[[0, 0.2, 1], [1 / 255, 2 / 255, 3 / 255]]], 1e-7, 0);
  assert.equal(T.to_tensor, F.to_tensor);
});

test('to_tensor: other dtypes keep their values; a 2-D image gains a channel axis', () => {
  const img = f32([[[0.5, 2], [3, -1]]]); // [1, 2, 2]
  assertTensor(F.to_tensor(img), [2, 1, 2], 'float32', [[[0.5, 3]], [[2, -1]]]);
  const g = u8([[10, 20, 30], [40, 50, 60]]);
  const t = F.to_tensor(g);
  assertTensor(t, [1, 2, 3], 'float32');
  assertClose(t, [[[10 / 255, 20 / 255, 30 / 255], [40 / 255, 50 / 255, 60 / 255]]], 1e-6, 0);
  assertThrows(() => F.to_tensor(img, 'NCHW' as 'CHW'), InvalidArgumentError, /data_format/);
  assertThrows(() => F.to_tensor(u8([1, 2, 3])), InvalidArgumentError, /2 or 3 dimensions/);
  assertThrows(() => F.to_tensor([[1, 2]] as never), InvalidArgumentError, /image Tensor/);
});

test('normalize: (img - mean) / std per channel in float32, CHW and HWC', () => {
  const chw = f32([[[1, 2]], [[3, 4]], [[5, 6]]]);
  assertTensor(F.normalize(chw, [1, 2, 3], [1, 2, 4]), [3, 1, 2], 'float32', [[[0, 1]], [[0.5, 1]], [[0.5, 0.75]]]);
  const hwc = u8([[[10, 20, 30], [40, 50, 60]]]);
  const n = F.normalize(hwc, [127.5, 127.5, 127.5], [127.5, 127.5, 127.5], 'HWC');
  assertTensor(n, [1, 2, 3], 'float32');
  assertClose(n, [[[10, 20, 30], [40, 50, 60]].map((r) => r.map((v) => Math.fround(Math.fround(v - 127.5) / 127.5)))], 0, 0);
  // A scalar mean/std, and a float64 image stays float64.
  assertTensor(F.normalize(paddle.to_tensor([[[2, 4]]], { dtype: 'float64' }), 1, 2, 'HWC'), [1, 1, 2], 'float64', [[[0.5, 1.5]]]);
  // to_rgb reverses the channel axis first (BGR -> RGB).
  assertTensor(F.normalize(hwc, [0, 0, 0], [1, 1, 1], 'HWC', true), [1, 2, 3], 'float32', [[[30, 20, 10], [60, 50, 40]]]);
  assertTensor(F.normalize(chw, 0, 1, 'CHW', true), [3, 1, 2], 'float32', [[[5, 6]], [[3, 4]], [[1, 2]]]);
  // numpy broadcasting: a 1-channel image against 3 means gives 3 channels
  assertTensor(F.normalize(u8([[[10], [20]]]), [1, 2, 3], [1, 1, 1], 'HWC'), [1, 2, 3], 'float32', [[[9, 8, 7], [19, 18, 17]]]);
  assertThrows(() => F.normalize(hwc, [1, 2], [1, 2], 'HWC'), InvalidArgumentError, /cannot be broadcast/);
  assertThrows(() => F.normalize(hwc, [1, 2, 3], [1, 2], 'HWC'), InvalidArgumentError, /do not match/);
});

test('resize: bilinear by hand (cv2 11-bit fixed point, half-pixel centres)', () => {
  // 1x2 -> 1x4: x-weights (2048,0), (1536,512), (512,1536), (0,2048)
  assertTensor(F.resize(u8([[[0], [100]]]), [1, 4]), [1, 4, 1], 'uint8', [[[0], [25], [75], [100]]]);
  assertTensor(F.resize(f32([[[0], [1]]]), [1, 4]), [1, 4, 1], 'float32', [[[0], [0.25], [0.75], [1]]]);
  // 2-D stays 2-D
  assertTensor(F.resize(u8([[0, 100]]), [1, 4]), [1, 4], 'uint8', [[0, 25, 75, 100]]);
  // exact 2x down-scale of uint8 is cv2's area average (a+b+c+d+2)>>2
  assertTensor(F.resize(u8([[[0], [1]], [[1], [0]]]), [1, 1]), [1, 1, 1], 'uint8', [[[1]]]);
});

test('resize: uint8 bilinear, bicubic and nearest match the NumPy reference', () => {
  const img = pat(4, 5, 3);
  assertTensor(F.resize(img, [3, 4]), [3, 4, 3], 'uint8');
  assert.deepEqual(flat(F.resize(img, [3, 4])), LIN_4x5_TO_3x4);
  assert.deepEqual(flat(F.resize(img, [7, 9], 'bilinear')), LIN_4x5_TO_7x9);
  assert.deepEqual(flat(F.resize(img, [7, 9], 'bicubic')), CUB_4x5_TO_7x9);
  assert.deepEqual(flat(F.resize(img, [3, 3], 'bicubic')), CUB_4x5_TO_3x3);
  assert.deepEqual(flat(F.resize(pat(5, 7, 1), [3, 3])), LIN_5x7x1_TO_3x3);
  // nearest: source index floor(x * in / out)
  const nn = F.resize(img, [2, 10], 'nearest');
  const src = img.tolist() as number[][][];
  assert.deepEqual(nn.tolist(), [0, 2].map((y) => Array.from({ length: 10 }, (_, x) => src[y][Math.floor(x / 2)])));
});

test('resize: int size sets the shorter side (truncating the other); same size returns the input', () => {
  const img = pat(6, 9, 3);
  assert.deepEqual(F.resize(img, 4).shape, [4, 6, 3]);
  assert.deepEqual(F.resize(pat(9, 6, 3), 4).shape, [6, 4, 3]);
  assert.deepEqual(F.resize(pat(7, 10, 1), 3).shape, [3, 4, 1]); // int(3 * 10 / 7) = 4
  assert.equal(F.resize(img, 6), img);
  assert.deepEqual(F.resize(img, [6, 9]).tolist(), img.tolist());
});

test('resize: area (true area averaging for down-scaling)', () => {
  // 1x3 -> 1x2: weights (2/3, 1/3) and (1/3, 2/3)
  assertTensor(F.resize(u8([[[0], [30], [90]]]), [1, 2], 'area'), [1, 2, 1], 'uint8', [[[10], [70]]]);
  // integer factor: block averages (uint8 2x2 rounds half up)
  const img = u8([[[1], [2], [5], [5]], [[3], [4], [5], [6]]]);
  assertTensor(F.resize(img, [1, 2], 'area'), [1, 2, 1], 'uint8', [[[3], [5]]]);
  assertTensor(F.resize(f32([[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]]), [1, 1], 'area'), [1, 1, 1], 'float32', [[[5]]]);
  // lanczos runs and keeps a constant image constant
  assertTensor(F.resize(fullU8([5, 6, 3], 77), [8, 3], 'lanczos'), [8, 3, 3], 'uint8', Array(8).fill(Array(3).fill([77, 77, 77])));
});

test('resize: errors', () => {
  const img = pat(4, 5, 3);
  assertThrows(() => F.resize(img, 10, 'box' as 'bilinear'), InvalidArgumentError, /interpolation/, /'bilinear'/);
  assertThrows(() => F.resize(img, -2), InvalidArgumentError, /positive/);
  assertThrows(() => F.resize(img, [0, 3]), InvalidArgumentError, /positive/);
  assertThrows(() => F.resize(img, [1, 2, 3] as never), InvalidArgumentError, /size/);
  assertThrows(() => F.resize(pat(2, 2, 3).reshape([1, 2, 2, 3]), 4), InvalidArgumentError, /2 or 3 dimensions/);
  assertThrows(() => F.resize(img.astype('int32'), 2), UnimplementedError, /int32/);
  assert.deepEqual(F.resize(img.astype('int32'), [2, 2], 'nearest').shape, [2, 2, 3]);
});

test('pad: constant, edge, reflect and symmetric as the docs describe', () => {
  const row = u8([[1, 2, 3, 4]]);
  const pads = (mode: 'constant' | 'edge' | 'reflect' | 'symmetric', fill = 0) => (F.pad(row, [2, 0], fill, mode).tolist() as number[][])[0];
  assert.deepEqual(pads('reflect'), [3, 2, 1, 2, 3, 4, 3, 2]);
  assert.deepEqual(pads('symmetric'), [2, 1, 1, 2, 3, 4, 4, 3]);
  assert.deepEqual(pads('edge'), [1, 1, 1, 2, 3, 4, 4, 4]);
  assert.deepEqual(pads('constant', 9), [9, 9, 1, 2, 3, 4, 9, 9]);
  // (left, top, right, bottom); a number fills every channel, a list per channel
  const img = u8([[[1, 2, 3]]]);
  assertTensor(F.pad(img, [1, 0, 0, 1], 7), [2, 2, 3], 'uint8', [[[7, 7, 7], [1, 2, 3]], [[7, 7, 7], [7, 7, 7]]]);
  assertTensor(F.pad(img, [0, 1, 0, 0], [5, 6]), [2, 1, 3], 'uint8', [[[5, 6, 0]], [[1, 2, 3]]]);
  // int padding on every side, float image, fill saturates for uint8
  assert.deepEqual(F.pad(pat(3, 5, 1), 2, 300).shape, [7, 9, 1]);
  assert.equal((F.pad(u8([[[1]]]), 1, 300).tolist() as number[][][])[0][0][0], 255);
  assertTensor(F.pad(f32([[0.5]]), 1, 0.25), [3, 3], 'float32', [[0.25, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.25, 0.25]]);
  // reflect wider than the image reflects again
  assert.deepEqual((F.pad(u8([[1, 2]]), [3, 0], 0, 'reflect').tolist() as number[][])[0], [2, 1, 2, 1, 2, 1, 2, 1]);
});

test('pad: errors', () => {
  const img = pat(3, 3, 3);
  assertThrows(() => F.pad(img, [1, 2, 3]), InvalidArgumentError, /2, or 4 element tuple, not a 3 element/);
  assertThrows(() => F.pad(img, -1), InvalidArgumentError, /non-negative/);
  assertThrows(() => F.pad(img, 1, 0, 'wrap' as 'edge'), InvalidArgumentError, /padding_mode/);
  assertThrows(() => F.pad(img, 1.5 as number), InvalidArgumentError, /padding/);
});

test('crop and center_crop (offsets rounded half to even, as Python round)', () => {
  const img = pat(5, 7, 3);
  const src = img.tolist() as number[][][];
  assertTensor(F.crop(img, 1, 2, 2, 3), [2, 3, 3], 'uint8', [1, 2].map((y) => [2, 3, 4].map((x) => src[y][x])));
  // h=5 -> th=2: round(1.5) = 2; w=7 -> tw=2: round(2.5) = 2
  assert.deepEqual(F.center_crop(img, 2).tolist(), [2, 3].map((y) => [2, 3].map((x) => src[y][x])));
  assert.deepEqual(F.center_crop(img, [3, 4]).tolist(), [1, 2, 3].map((y) => [2, 3, 4, 5].map((x) => src[y][x]))); // (5-3)/2 = 1, round((7-4)/2) = 2
  assert.deepEqual(F.center_crop(u8([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), 1).tolist(), [[5]]);
  assertThrows(() => F.crop(img, 4, 0, 2, 2), InvalidArgumentError, /does not fit/);
  assertThrows(() => F.crop(img, -1, 0, 2, 2), InvalidArgumentError, /does not fit/);
  assertThrows(() => F.center_crop(img, 6), InvalidArgumentError, /does not fit/);
});

test('hflip and vflip (1-channel images keep their channel axis)', () => {
  const img = u8([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);
  assertTensor(F.hflip(img), [2, 3, 2], 'uint8', [[[5, 6], [3, 4], [1, 2]], [[11, 12], [9, 10], [7, 8]]]);
  assertTensor(F.vflip(img), [2, 3, 2], 'uint8', [[[7, 8], [9, 10], [11, 12]], [[1, 2], [3, 4], [5, 6]]]);
  assertTensor(F.hflip(u8([[[1], [2]]])), [1, 2, 1], 'uint8', [[[2], [1]]]);
  assertTensor(F.vflip(f32([[1, 2], [3, 4]])), [2, 2], 'float32', [[3, 4], [1, 2]]);
  const big = paddle.to_tensor([[[1n], [2n ** 40n]]], { dtype: 'int64' });
  assert.deepEqual(F.hflip(big).numpy(), BigInt64Array.from([2n ** 40n, 1n]));
});

test('rotate: exact right angles by hand, cv2 pixel-centre conventions', () => {
  const img = u8([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  // 3x3 about (1.5, 1.5): 180 degrees maps (x, y) -> (3 - x, 3 - y), so row/col 0 come from outside
  assertTensor(F.rotate(img, 180), [3, 3], 'uint8', [[0, 0, 0], [0, 9, 8], [0, 6, 5]]);
  // about the true centre (1, 1) it is an exact rotation (counter-clockwise)
  assert.deepEqual(F.rotate(img, 90, 'nearest', false, [1, 1]).tolist(), [[3, 6, 9], [2, 5, 8], [1, 4, 7]]);
  assert.deepEqual(F.rotate(img, 90, 'bilinear', false, [1, 1]).tolist(), [[3, 6, 9], [2, 5, 8], [1, 4, 7]]);
  // expand: a 2x4 image turned 90 degrees becomes 4x2; about (2, 1) the top row is uncovered
  const wide = u8([[[1], [2], [3], [4]], [[5], [6], [7], [8]]]);
  assertTensor(F.rotate(wide, 90, 'nearest', true, null, [200]), [4, 2, 1], 'uint8', [[[200], [200]], [[4], [8]], [[3], [7]], [[2], [6]]]);
});

test('rotate: nearest and bilinear match the NumPy reference (fixed-point warpAffine)', () => {
  const img = pat(5, 7, 3);
  assert.deepEqual(flat(F.rotate(img, 30)), ROT30_NN_5x7);
  assert.deepEqual(flat(F.rotate(img, 30, 'bilinear')), ROT30_LIN_5x7);
  assert.deepEqual(flat(F.rotate(img, -45, 'bilinear', false, null, [255, 128, 0])), ROT_M45_LIN_5x7_FILL);
  // a scalar fill fills every channel (cv2 read 2.0's int fill as (fill, 0, 0))
  const r = F.rotate(img, 45, 'nearest', false, null, 9).tolist() as number[][][];
  assert.deepEqual(r[0][0], [9, 9, 9]);
});

test('rotate: float, 4-channel, bicubic and errors', () => {
  const g = f32([[0, 0, 0], [0, 1, 0], [0, 0, 0]]);
  assertClose(F.rotate(g, 90, 'bilinear', false, [1, 1]), [[0, 0, 0], [0, 1, 0], [0, 0, 0]], 0, 1e-7);
  const four = fullU8([4, 6, 4], 50);
  const r = F.rotate(four, 15, 'bicubic', true);
  assert.equal(r.shape[2], 4);
  assert.deepEqual(r.shape, [6, 8, 4]); // ceil(3 + 3.415) - floor(3 - 3.415) = 8, ceil(2 + 2.708) - floor(2 - 2.708) = 6
  assert.equal((r.tolist() as number[][][])[3][3][3], 50);
  assertThrows(() => F.rotate(four, 10, 'spline' as 'nearest'), InvalidArgumentError, /interpolation/);
  assertThrows(() => F.rotate(four, 10, 'nearest', false, [1] as never), InvalidArgumentError, /center/);
  assertThrows(() => F.rotate(fullU8([3, 3, 5], 0), 10), InvalidArgumentError, /4 channels/);
});

test('to_grayscale: cv2 RGB2GRAY weights in 14-bit fixed point', () => {
  const img = u8([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [100, 150, 200]]]);
  // (255*4899+8192)>>14 = 76, (255*9617+8192)>>14 = 150, (255*1868+8192)>>14 = 29, 141
  assertTensor(F.to_grayscale(img), [1, 4, 1], 'uint8', [[[76], [150], [29], [141]]]);
  assertTensor(F.to_grayscale(img, 3), [1, 4, 3], 'uint8', [[[76, 76, 76], [150, 150, 150], [29, 29, 29], [141, 141, 141]]]);
  assert.deepEqual(flat(F.to_grayscale(pat(4, 5, 3))), GRAY_4x5);
  // float images use 0.299/0.587/0.114 without rounding; 4 channels ignore the 4th (and keep 4 with 3 outputs)
  assertClose(F.to_grayscale(f32([[[1, 1, 1], [10, 0, 0]]])), [[[1], [2.99]]], 1e-6, 1e-6);
  assert.deepEqual(F.to_grayscale(u8([[[255, 0, 0, 9]]]), 3).tolist(), [[[76, 76, 76, 76]]]);
  assertThrows(() => F.to_grayscale(img, 2), InvalidArgumentError, /either 1 or 3/);
  assertThrows(() => F.to_grayscale(img.astype('int32')), UnimplementedError, /int32/);
  assertThrows(() => F.to_grayscale(u8([[[1], [2]]])), InvalidArgumentError, /3-channel/);
});

test('adjust_brightness and adjust_contrast: cv2 lookup tables (truncating)', () => {
  const img = u8([[[0, 3, 100], [200, 75, 10]]]);
  assertTensor(F.adjust_brightness(img, 1.5), [1, 2, 3], 'uint8', [[[0, 4, 150], [255, 112, 15]]]);
  assertTensor(F.adjust_brightness(img, 0.5), [1, 2, 3], 'uint8', [[[0, 1, 50], [100, 37, 5]]]);
  assert.deepEqual(F.adjust_brightness(img, 0).tolist(), [[[0, 0, 0], [0, 0, 0]]]);
  // (v - 74) * f + 74
  assertTensor(F.adjust_contrast(img, 0.5), [1, 2, 3], 'uint8', [[[37, 38, 87], [137, 74, 42]]]);
  assertTensor(F.adjust_contrast(img, 2), [1, 2, 3], 'uint8', [[[0, 0, 126], [255, 76, 0]]]);
  // other dtypes are cast to uint8 first
  assertTensor(F.adjust_brightness(f32([[[10.7, 300]]]), 1), [1, 1, 2], 'uint8', [[[10, 255]]]);
  assertTensor(F.adjust_contrast(u8([[1, 2]]), 1), [1, 2], 'uint8', [[1, 2]]);
});

test('adjust_saturation: blend with BGR2GRAY in float32, clip, truncate (functional only)', () => {
  const img = u8([[[10, 20, 30]]]);
  // gray = 10*0.114 + 20*0.587 + 30*0.299 = 21.85
  assertTensor(F.adjust_saturation(img, 0.5), [1, 1, 3], 'uint8', [[[15, 20, 25]]]);
  assertTensor(F.adjust_saturation(img, 0), [1, 1, 3], 'uint8', [[[21, 21, 21]]]);
  assertTensor(F.adjust_saturation(img, 2), [1, 1, 3], 'uint8', [[[0, 18, 38]]]);
  assert.deepEqual(F.adjust_saturation(img, 1).tolist(), [[[10, 20, 30]]]);
  assertClose(F.adjust_saturation(f32([[[10, 20, 30]]]), 0.5), [[[15.925, 20.925, 25.925]]], 1e-6);
  assert.equal((T as Record<string, unknown>).adjust_saturation, undefined);
  assertThrows(() => F.adjust_saturation(u8([[1, 2]]), 0.5), InvalidArgumentError, /3-channel/);
});

test('adjust_hue: HSV_FULL round trip with a uint8 hue shift', () => {
  // pure red (BGR 0,0,255): h=0; +127 -> h*6/256 = 2.977, sector 2 -> BGR (249, 255, 0)
  assertTensor(F.adjust_hue(u8([[[0, 0, 255]]]), 0.5), [1, 1, 3], 'uint8', [[[249, 255, 0]]]);
  assert.deepEqual(F.adjust_hue(u8([[[0, 0, 255], [7, 7, 7]]]), 0).tolist(), [[[0, 0, 255], [7, 7, 7]]]);
  const img = pat(3, 3, 3);
  assert.deepEqual(flat(F.adjust_hue(img, 0)), HUE0_3x3);
  assert.deepEqual(flat(F.adjust_hue(img, 0.25)), HUE025_3x3);
  assert.deepEqual(flat(F.adjust_hue(img, -0.3)), HUEM03_3x3);
  // float input is cast to uint8 and back; 4 channels give 3
  assertTensor(F.adjust_hue(f32([[[0, 0, 255]]]), 0.5), [1, 1, 3], 'float32', [[[249, 255, 0]]]);
  assert.deepEqual(F.adjust_hue(u8([[[0, 0, 255, 9]]]), 0).shape, [1, 1, 3]);
  assertThrows(() => F.adjust_hue(img, 0.6), InvalidArgumentError, /not in \[-0.5, 0.5\]/);
  assertThrows(() => F.adjust_hue(u8([[1]]), 0.1), InvalidArgumentError, /3-channel/);
});

test('functional APIs take keywords and name the API in errors', () => {
  const img = pat(4, 6, 3);
  assert.deepEqual(F.resize(img, { size: [2, 3], interpolation: 'nearest' }).shape, [2, 3, 3]);
  assert.deepEqual(F.pad(img, 1, { padding_mode: 'edge' }).shape, [6, 8, 3]);
  assertThrows(() => F.crop(img, { top: 0 } as never), InvalidArgumentError, /paddle\.vision\.transforms\.crop/, /missing required argument 'left'/);
  assertThrows(() => F.hflip(img, { axis: 1 } as never), InvalidArgumentError, /unexpected keyword argument 'axis'/);
});
