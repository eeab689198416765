// paddle.vision.datasets.MNIST and FashionMNIST (python/paddle/vision/datasets/mnist.py at 2.0):
// the IDX files (gzip-compressed as published, or plain) of images and labels.
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { p, T, type CallArgs } from '../../core/args.js';
import { getDefaultDType, type DType } from '../../core/dtype.js';
import { fail, NotFoundError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { Dataset, parser } from '../../io/dataset.js';
import { astype, checkBackend, checkIndex, checkMode, int64Label, pathTy, transformTy, applyTransform, type Transform } from './common.js';
import { resolveDataFile } from './download.js';

const mnistParams = [
  p('image_path', pathTy, null),
  p('label_path', pathTy, null),
  p('mode', T.str, 'train'),
  p('transform', transformTy, null),
  p('download', T.bool, true),
  p('backend', T.nullable(T.str), null),
] as const;

const parsers = new Map<string, ReturnType<typeof parser<typeof mnistParams>>>();
function parse(api: string, args: readonly unknown[]) {
  let f = parsers.get(api);
  if (!f) parsers.set(api, (f = parser(api, mnistParams)));
  return f(args);
}

/** A Buffer as a plain Uint8Array over the same memory (so .slice() copies, as Tensors need). */
const plain = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** The bytes of an IDX file, gunzipped when it is gzip-compressed. */
function readIdx(api: string, path: string, what: string): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = plain(readFileSync(path));
  } catch (e) {
    return fail(api, `cannot read ${what} '${path}': ${(e as Error).message}`, NotFoundError);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return plain(gunzipSync(raw));
    } catch (e) {
      return fail(api, `cannot decompress ${what} '${path}': ${(e as Error).message}`);
    }
  }
  return raw;
}

const u32 = (b: Uint8Array, pos: number): number => ((b[pos] << 24) | (b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3]) >>> 0;

/**
 * The MNIST handwritten digits (60,000 train / 10,000 test 28x28 grayscale images, labels 0-9),
 * read from the IDX files `train-images-idx3-ubyte.gz` / `train-labels-idx1-ubyte.gz` (or the
 * `t10k-` ones for mode 'test'). With `image_path`/`label_path` null the files are taken from
 * ~/.cache/paddle/dataset/mnist/ (downloaded there when `download` is true and a network is
 * reachable; otherwise the error names the file to place there).
 *
 * An item is `[image, label]`; `label` is an int64 Tensor of shape [1]. `image` is what the
 * transform makes of: with backend 'pil' (Paddle's PIL 'L' image) a uint8 Tensor of shape
 * [28, 28], returned as the transform leaves it; with 'cv2' a float32 [28, 28] Tensor of the
 * pixel values (0-255, not scaled), whose transformed result is cast to the default dtype.
 * @param image_path the images IDX file, or null for the cache
 * @param label_path the labels IDX file, or null for the cache
 * @param mode 'train' or 'test'
 * @param transform a callable applied to each image, or null
 * @param download whether to download missing files to the cache
 * @param backend 'pil' or 'cv2' (null: paddle.vision.get_image_backend())
 * @example
 * const mnist = new paddle.vision.datasets.MNIST({ mode: 'test', transform: new T.ToTensor() });
 * const [img, label] = mnist.__getitem__(0);   // img [1, 28, 28] float32, label [1] int64
 */
export class MNIST extends Dataset {
  static NAME = 'mnist';
  static URL_PREFIX = 'https://dataset.bj.bcebos.com/mnist/';
  static TEST_IMAGE_URL = MNIST.URL_PREFIX + 't10k-images-idx3-ubyte.gz';
  static TEST_IMAGE_MD5 = '9fb629c4189551a2d022fa330f9573f3';
  static TEST_LABEL_URL = MNIST.URL_PREFIX + 't10k-labels-idx1-ubyte.gz';
  static TEST_LABEL_MD5 = 'ec29112dd5afa0611ce80d1b7f02629c';
  static TRAIN_IMAGE_URL = MNIST.URL_PREFIX + 'train-images-idx3-ubyte.gz';
  static TRAIN_IMAGE_MD5 = 'f68b3c2dcbeaaa9fbdd348bbdeb94873';
  static TRAIN_LABEL_URL = MNIST.URL_PREFIX + 'train-labels-idx1-ubyte.gz';
  static TRAIN_LABEL_MD5 = 'd53e105ee54ea40749a09fcbcd1e9432';

  mode: string;
  backend: 'pil' | 'cv2';
  image_path: string;
  label_path: string;
  transform: Transform | null;
  dtype: DType;
  /** Image rows and columns (28 for MNIST). */
  rows = 0;
  cols = 0;
  /** All images, `rows * cols` uint8 pixels each, in file order. */
  images: Uint8Array = new Uint8Array(0);
  /** All labels, one byte each. */
  labels: Uint8Array = new Uint8Array(0);

  constructor(...args: CallArgs<typeof mnistParams>) {
    super();
    const cls = new.target as unknown as typeof MNIST;
    const api = `paddle.vision.datasets.${cls === FashionMNIST || cls.prototype instanceof FashionMNIST ? 'FashionMNIST' : 'MNIST'}`;
    const a = parse(api, args);
    this.mode = checkMode(api, a.mode, ['train', 'test']);
    this.backend = checkBackend(api, a.backend);
    const train = this.mode === 'train';
    this.image_path = resolveDataFile(api, a.image_path, 'image_path', a.download,
      train ? cls.TRAIN_IMAGE_URL : cls.TEST_IMAGE_URL, train ? cls.TRAIN_IMAGE_MD5 : cls.TEST_IMAGE_MD5, cls.NAME);
    this.label_path = resolveDataFile(api, a.label_path, 'label_path', a.download,
      train ? cls.TRAIN_LABEL_URL : cls.TEST_LABEL_URL, train ? cls.TRAIN_LABEL_MD5 : cls.TEST_LABEL_MD5, cls.NAME);
    this.transform = a.transform;
    this._parse_dataset(api);
    this.dtype = getDefaultDType();
  }

  /** Reads both IDX files. */
  _parse_dataset(api = 'paddle.vision.datasets.MNIST'): void {
    const img = readIdx(api, this.image_path, 'image file');
    const lab = readIdx(api, this.label_path, 'label file');
    if (img.length < 16 || u32(img, 0) !== 0x803)
      fail(api, `'${this.image_path}' is not an IDX image file (magic number 2051 expected, got ${img.length >= 4 ? u32(img, 0) : 'a truncated file'})`);
    if (lab.length < 8 || u32(lab, 0) !== 0x801)
      fail(api, `'${this.label_path}' is not an IDX label file (magic number 2049 expected, got ${lab.length >= 4 ? u32(lab, 0) : 'a truncated file'})`);
    const nImg = u32(img, 4);
    this.rows = u32(img, 8);
    this.cols = u32(img, 12);
    const nLab = u32(lab, 4);
    const per = this.rows * this.cols;
    if (img.length < 16 + nImg * per) fail(api, `'${this.image_path}' is truncated: ${nImg} images of ${this.rows}x${this.cols} announced, ${Math.floor((img.length - 16) / per)} present`);
    if (lab.length < 8 + nLab) fail(api, `'${this.label_path}' is truncated: ${nLab} labels announced, ${lab.length - 8} present`);
    if (nImg < nLab) fail(api, `'${this.image_path}' holds ${nImg} images but '${this.label_path}' holds ${nLab} labels`);
    this.images = img.slice(16, 16 + nLab * per);
    this.labels = lab.slice(8, 8 + nLab);
  }

  /** `[image, label]` of sample `idx` (see the class description). */
  override __getitem__(idx: number): [unknown, Tensor] {
    const api = `paddle.vision.datasets.${this.constructor.name}.__getitem__`;
    const i = checkIndex(api, idx, this.labels.length);
    const per = this.rows * this.cols;
    const px = this.images.subarray(i * per, (i + 1) * per);
    let image: unknown = this.backend === 'pil'
      ? new Tensor(px.slice(), [this.rows, this.cols], 'uint8')
      : new Tensor(Float32Array.from(px), [this.rows, this.cols], 'float32');
    if (this.transform !== null) image = applyTransform(this.transform, image);
    const label = int64Label(this.labels[i]);
    if (this.backend === 'pil') return [image, label];
    return [astype(image, this.dtype, api), label];
  }

  override __len__(): number {
    return this.labels.length;
  }
}

/**
 * Fashion-MNIST (Zalando's 28x28 grayscale clothing images, 10 classes), with the same files,
 * options and items as MNIST; the cache directory is ~/.cache/paddle/dataset/fashion-mnist/.
 * @example const ds = new paddle.vision.datasets.FashionMNIST({ image_path: 'train-images-idx3-ubyte.gz', label_path: 'train-labels-idx1-ubyte.gz' });
 */
export class FashionMNIST extends MNIST {
  static override NAME = 'fashion-mnist';
  static override URL_PREFIX = 'https://dataset.bj.bcebos.com/fashion_mnist/';
  static override TEST_IMAGE_URL = FashionMNIST.URL_PREFIX + 't10k-images-idx3-ubyte.gz';
  static override TEST_IMAGE_MD5 = 'bef4ecab320f06d8554ea6380940ec79';
  static override TEST_LABEL_URL = FashionMNIST.URL_PREFIX + 't10k-labels-idx1-ubyte.gz';
  static override TEST_LABEL_MD5 = 'bb300cfdad3c16e7a12a480ee83cd310';
  static override TRAIN_IMAGE_URL = FashionMNIST.URL_PREFIX + 'train-images-idx3-ubyte.gz';
  static override TRAIN_IMAGE_MD5 = '8d4fb7e6c68d591d4c3dfef9ec88bf0d';
  static override TRAIN_LABEL_URL = FashionMNIST.URL_PREFIX + 'train-labels-idx1-ubyte.gz';
  static override TRAIN_LABEL_MD5 = '25c81989df183df01b3e8a0aad5dffbe';
}
