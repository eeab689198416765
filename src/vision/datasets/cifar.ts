// paddle.vision.datasets.Cifar10 and Cifar100 (python/paddle/vision/datasets/cifar.py at 2.0):
// the "python version" tarballs, whose batches are pickled dicts holding `data` (an N x 3072
// uint8 ndarray, channel-major 32x32 RGB planes) and `labels` (CIFAR-10) or `fine_labels`
// (CIFAR-100). Pickles written by Python 2 (the published files) and by Python 3 both read.
import { p, T, type CallArgs } from '../../core/args.js';
import { getDefaultDType, type DType } from '../../core/dtype.js';
import { fail } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { NDArray, pyTypeName, unpickle } from '../../framework/pickle.js';
import { Dataset, parser } from '../../io/dataset.js';
import { astype, checkBackend, checkIndex, checkMode, pathTy, transformTy, applyTransform, type Transform } from './common.js';
import { resolveDataFile } from './download.js';
import { openTar, readTarMember, releaseTar } from './tar.js';

const URL_PREFIX = 'https://dataset.bj.bcebos.com/cifar/';
const CIFAR10_URL = URL_PREFIX + 'cifar-10-python.tar.gz';
const CIFAR10_MD5 = 'c58f30108f718f92721af3b95e74349a';
const CIFAR100_URL = URL_PREFIX + 'cifar-100-python.tar.gz';
const CIFAR100_MD5 = 'eb9058c3a382ffc7106e4002c42a8d85';

/** The member names a mode reads: those containing this text. */
const MODE_FLAG_MAP: Record<string, string> = { train10: 'data_batch', test10: 'test_batch', train100: 'train', test100: 'test' };

const cifarParams = [
  p('data_file', pathTy, null),
  p('mode', T.str, 'train'),
  p('transform', transformTy, null),
  p('download', T.bool, true),
  p('backend', T.nullable(T.str), null),
] as const;
const parsers = new Map<string, ReturnType<typeof parser<typeof cifarParams>>>();
function parse(api: string, args: readonly unknown[]) {
  let f = parsers.get(api);
  if (!f) parsers.set(api, (f = parser(api, cifarParams)));
  return f(args);
}

const keyText = (k: unknown): string | null =>
  typeof k === 'string' ? k : k instanceof Uint8Array ? Buffer.from(k.buffer, k.byteOffset, k.length).toString('latin1') : null;

/** A pickled dict's value under `key` (a str key from Python 2, a bytes key from Python 3). */
function dictGet(d: Map<unknown, unknown>, key: string): unknown {
  for (const [k, v] of d) if (keyText(k) === key) return v;
  return undefined;
}

const IMAGE_BYTES = 3 * 32 * 32;

/**
 * CIFAR-10: 32x32 RGB images in 10 classes (50,000 train in `data_batch_1..5`, 10,000 test in
 * `test_batch`), read from `cifar-10-python.tar.gz`. With `data_file` null the file is taken
 * from ~/.cache/paddle/dataset/cifar/ (downloaded there when `download` is true and a network
 * is reachable; otherwise the error names the file to place there).
 *
 * An item is `[image, label]`, `label` an int64 Tensor of shape [] (NumPy's 0-d array, so a
 * batch of labels is [N]). `image` is what the transform makes of a [32, 32, 3] uint8 RGB
 * Tensor: returned as is with backend 'pil' (Paddle's PIL RGB image), cast to the default dtype
 * with 'cv2'.
 * @param data_file the .tar.gz file, or null for the cache
 * @param mode 'train' or 'test'
 * @param transform a callable applied to each image, or null
 * @param download whether to download a missing file to the cache
 * @param backend 'pil' or 'cv2' (null: paddle.vision.get_image_backend())
 * @example
 * const ds = new paddle.vision.datasets.Cifar10({ data_file: 'cifar-10-python.tar.gz', mode: 'test' });
 * const [img, label] = ds.__getitem__(0);   // img [32, 32, 3] uint8
 */
export class Cifar10 extends Dataset {
  mode: string;
  backend: 'pil' | 'cv2';
  data_url = '';
  data_md5 = '';
  flag = '';
  data_file: string;
  transform: Transform | null;
  dtype: DType;
  /** All images, 3072 bytes each (R, G, B planes of 32x32), in archive order. */
  images: Uint8Array = new Uint8Array(0);
  /** The label of each image. */
  labels: Int32Array = new Int32Array(0);

  constructor(...args: CallArgs<typeof cifarParams>) {
    super();
    const api = `paddle.vision.datasets.${new.target === Cifar100 || new.target.prototype instanceof Cifar100 ? 'Cifar100' : 'Cifar10'}`;
    const a = parse(api, args);
    this.mode = checkMode(api, a.mode, ['train', 'test']);
    this.backend = checkBackend(api, a.backend);
    this._init_url_md5_flag();
    this.data_file = resolveDataFile(api, a.data_file, 'data_file', a.download, this.data_url, this.data_md5, 'cifar');
    this.transform = a.transform;
    this._load_data(api);
    this.dtype = getDefaultDType();
  }

  _init_url_md5_flag(): void {
    this.data_url = CIFAR10_URL;
    this.data_md5 = CIFAR10_MD5;
    this.flag = MODE_FLAG_MAP[this.mode + '10'];
  }

  /** Reads every batch of the mode from the archive. */
  _load_data(api = 'paddle.vision.datasets.Cifar10'): void {
    const tar = openTar(api, this.data_file);
    const chunks: Uint8Array[] = [];
    const labels: number[] = [];
    for (const name of tar.names) {
      if (!name.includes(this.flag)) continue;
      const source = `'${name}' in '${this.data_file}'`;
      const batch = unpickle(readTarMember(api, tar, name), { api, source });
      if (!(batch instanceof Map)) fail(api, `${source} is not a CIFAR batch: it holds a ${pyTypeName(batch)}, not a dict`);
      const data = dictGet(batch, 'data');
      let labs = dictGet(batch, 'labels');
      if (labs === undefined) labs = dictGet(batch, 'fine_labels');
      if (labs === undefined) fail(api, `${source} has neither 'labels' nor 'fine_labels'`);
      if (!(data instanceof NDArray) || data.dtype !== 'u1' || data.shape.length !== 2 || data.shape[1] !== IMAGE_BYTES)
        fail(api, `${source}: 'data' should be a uint8 ndarray of shape [N, 3072], but got ${data instanceof NDArray ? `a ${data.dtype} ndarray of shape [${data.shape.join(', ')}]` : pyTypeName(data)}`);
      const ls = labelList(api, source, labs);
      if (ls.length !== data.shape[0]) fail(api, `${source} has ${data.shape[0]} images but ${ls.length} labels`);
      chunks.push(data.data.subarray(0, data.shape[0] * IMAGE_BYTES));
      for (const l of ls) labels.push(l);
    }
    releaseTar(tar);
    const images = new Uint8Array(labels.length * IMAGE_BYTES);
    let o = 0;
    for (const c of chunks) {
      images.set(c, o);
      o += c.length;
    }
    this.images = images;
    this.labels = Int32Array.from(labels);
  }

  /** `[image, label]` of sample `idx` (see the class description). */
  override __getitem__(idx: number): [unknown, Tensor] {
    const api = `paddle.vision.datasets.${this.constructor.name}.__getitem__`;
    const i = checkIndex(api, idx, this.labels.length);
    // [3, 32, 32] -> [32, 32, 3]
    const src = this.images.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES);
    const hwc = new Uint8Array(IMAGE_BYTES);
    for (let c = 0; c < 3; c++) {
      const plane = c * 1024;
      for (let k = 0; k < 1024; k++) hwc[3 * k + c] = src[plane + k];
    }
    let image: unknown = new Tensor(hwc, [32, 32, 3], 'uint8');
    if (this.transform !== null) image = applyTransform(this.transform, image);
    const label = new Tensor(new BigInt64Array([BigInt(this.labels[i])]), [], 'int64');
    if (this.backend === 'pil') return [image, label];
    return [astype(image, this.dtype, api), label];
  }

  override __len__(): number {
    return this.labels.length;
  }
}

function labelList(api: string, source: string, v: unknown): number[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return v as number[];
  if (v instanceof NDArray && /^[iu]\d$/.test(v.dtype) && v.shape.length === 1) {
    const n = v.shape[0];
    const size = Number(v.dtype.slice(1));
    const dv = new DataView(v.data.buffer, v.data.byteOffset, v.data.length);
    const signed = v.dtype[0] === 'i';
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * size;
      out.push(
        size === 1 ? (signed ? dv.getInt8(o) : dv.getUint8(o))
          : size === 2 ? (signed ? dv.getInt16(o, true) : dv.getUint16(o, true))
            : size === 4 ? (signed ? dv.getInt32(o, true) : dv.getUint32(o, true))
              : Number(signed ? dv.getBigInt64(o, true) : dv.getBigUint64(o, true)),
      );
    }
    return out;
  }
  return fail(api, `${source}: the labels should be a list of ints, but got a ${pyTypeName(v)}`);
}

/**
 * CIFAR-100: the same images in 100 classes (50,000 train in `train`, 10,000 test in `test`),
 * read from `cifar-100-python.tar.gz`; labels are the fine labels. Same options and items as
 * Cifar10.
 * @example const ds = new paddle.vision.datasets.Cifar100({ data_file: 'cifar-100-python.tar.gz' });
 */
export class Cifar100 extends Cifar10 {
  override _init_url_md5_flag(): void {
    this.data_url = CIFAR100_URL;
    this.data_md5 = CIFAR100_MD5;
    this.flag = MODE_FLAG_MAP[this.mode + '100'];
  }
}
