// paddle.vision.datasets.VOC2012 (python/paddle/vision/datasets/voc2012.py at 2.0): the Pascal
// VOC 2012 segmentation data, read from the trainval tar: the image names of a split come from
// VOCdevkit/VOC2012/ImageSets/Segmentation/<split>.txt, each image from JPEGImages/<name>.jpg and
// its class mask from SegmentationClass/<name>.png (a palette PNG whose indices are the classes,
// 255 marking borders).
import { p, T, type CallArgs } from '../../core/args.js';
import { getDefaultDType, type DType } from '../../core/dtype.js';
import { fail } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { Dataset, parser } from '../../io/dataset.js';
import { decodeImage } from '../image.js';
import { astype, checkBackend, checkIndex, checkMode, imageTensor, pathTy, transformTy, applyTransform, type Transform } from './common.js';
import { resolveDataFile } from './download.js';
import { openTar, readTarMember, tarEntry, type TarIndex } from './tar.js';

const VOC_URL = 'https://dataset.bj.bcebos.com/voc/VOCtrainval_11-May-2012.tar';
const VOC_MD5 = '6cd6e144f989b92b3379bac3b3de84fd';
const SET_FILE = (s: string): string => `VOCdevkit/VOC2012/ImageSets/Segmentation/${s}.txt`;
const DATA_FILE = (s: string): string => `VOCdevkit/VOC2012/JPEGImages/${s}.jpg`;
const LABEL_FILE = (s: string): string => `VOCdevkit/VOC2012/SegmentationClass/${s}.png`;
const CACHE_DIR = 'voc2012';

/** Which split file a mode reads (Paddle's choice: 'train' is trainval, 'test' is train). */
const MODE_FLAG_MAP: Record<string, string> = { train: 'trainval', test: 'train', valid: 'val' };

const vocParams = [
  p('data_file', pathTy, null),
  p('mode', T.str, 'train'),
  p('transform', transformTy, null),
  p('download', T.bool, true),
  p('backend', T.nullable(T.str), null),
] as const;
const API = 'paddle.vision.datasets.VOC2012';
const parse = parser(API, vocParams);

/**
 * A PNG as PIL's `np.array(Image.open(f))` gives it: a palette PNG as its palette indices
 * ([H, W] uint8), a grayscale one as [H, W], a colour one as [H, W, 3].
 */
export function decodePngLikePil(bytes: Uint8Array, api: string, what: string): Tensor {
  const img = decodeImage(bytes, api, what);
  // IHDR colour type 3: indexed colour
  const isPng = bytes.length > 33 && bytes[0] === 0x89 && bytes[1] === 0x50;
  if (!isPng || bytes[25] !== 3 || img.c !== 3) return imageTensor(img.data, img.height, img.width, img.c);
  // Map each decoded colour back to its (first) palette index.
  const index = new Map<number, number>();
  let pos = 8;
  while (pos + 8 <= bytes.length) {
    const len = ((bytes[pos] << 24) | (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3]) >>> 0;
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (type === 'PLTE') {
      for (let k = 0; k < Math.floor(len / 3); k++) {
        const q = pos + 8 + 3 * k;
        const key = (bytes[q] << 16) | (bytes[q + 1] << 8) | bytes[q + 2];
        if (!index.has(key)) index.set(key, k);
      }
      break;
    }
    if (type === 'IDAT' || type === 'IEND') break;
    pos += 12 + len;
  }
  if (index.size === 0) fail(api, `cannot decode PNG image '${what}': an indexed-colour image without a palette`);
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  const s = img.data;
  for (let i = 0; i < n; i++) out[i] = index.get((s[3 * i] << 16) | (s[3 * i + 1] << 8) | s[3 * i + 2]) ?? 0;
  return new Tensor(out, [img.height, img.width], 'uint8');
}

/**
 * Pascal VOC2012 semantic segmentation. With `data_file` null the tar is taken from
 * ~/.cache/paddle/dataset/voc2012/ (downloaded there when `download` is true and a network is
 * reachable; otherwise the error names the file to place there). Modes follow Paddle: 'train'
 * reads the `trainval` list, 'test' the `train` list, 'valid' the `val` list.
 *
 * An item is `[image, label]`: `image` is what the transform makes of the JPEG as an RGB uint8
 * Tensor [H, W, 3]; `label` the mask as a uint8 Tensor [H, W] of palette indices (what
 * `np.array` of Paddle's PIL 'P' image gives). With backend 'pil' both are returned as they
 * are; with 'cv2' both are cast to the default dtype (the transform applies to the image only).
 * @param data_file VOCtrainval_11-May-2012.tar (or a tar with the same layout), or null
 * @param mode 'train', 'valid' or 'test'
 * @param transform a callable applied to each image, or null
 * @param download whether to download a missing file to the cache
 * @param backend 'pil' or 'cv2' (null: paddle.vision.get_image_backend())
 * @example
 * const voc = new paddle.vision.datasets.VOC2012({ mode: 'valid' });
 * const [img, mask] = voc.__getitem__(0);
 */
export class VOC2012 extends Dataset {
  backend: 'pil' | 'cv2';
  flag: string;
  data_file: string;
  transform: Transform | null;
  dtype: DType;
  /** The archive's member index (name -> offset, size). */
  data_tar: TarIndex;
  /** Member names of the images and of their masks, in list order. */
  data: string[] = [];
  labels: string[] = [];

  constructor(...args: CallArgs<typeof vocParams>) {
    super();
    const a = parse(args);
    const mode = checkMode(API, a.mode, ['train', 'valid', 'test']);
    this.backend = checkBackend(API, a.backend);
    this.flag = MODE_FLAG_MAP[mode];
    this.data_file = resolveDataFile(API, a.data_file, 'data_file', a.download, VOC_URL, VOC_MD5, CACHE_DIR);
    this.transform = a.transform;
    this.data_tar = openTar(API, this.data_file);
    this._load_anno();
    this.dtype = getDefaultDType();
  }

  _load_anno(): void {
    const setFile = SET_FILE(this.flag);
    if (!tarEntry(this.data_tar, setFile)) fail(API, `'${this.data_file}' has no member '${setFile}' (is it the VOC2012 trainval tar?)`);
    const text = Buffer.from(readTarMember(API, this.data_tar, setFile)).toString('utf8');
    this.data = [];
    this.labels = [];
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      this.data.push(DATA_FILE(line));
      this.labels.push(LABEL_FILE(line));
    }
  }

  /** `[image, label]` of sample `idx` (see the class description). */
  override __getitem__(idx: number): [unknown, unknown] {
    const api = `${API}.__getitem__`;
    const i = checkIndex(api, idx, this.data.length);
    const dataName = this.data[i];
    const labelName = this.labels[i];
    for (const n of [dataName, labelName]) if (!tarEntry(this.data_tar, n)) fail(api, `'${this.data_file}' has no member '${n}'`);
    const img = decodeImage(readTarMember(api, this.data_tar, dataName), api, `${dataName} in ${this.data_file}`);
    const label = decodePngLikePil(readTarMember(api, this.data_tar, labelName), api, `${labelName} in ${this.data_file}`);
    let data: unknown = imageTensor(img.data, img.height, img.width, img.c);
    if (this.transform !== null) data = applyTransform(this.transform, data);
    if (this.backend === 'cv2') return [astype(data, this.dtype, api), astype(label, this.dtype, api)];
    return [data, label];
  }

  override __len__(): number {
    return this.data.length;
  }
}
