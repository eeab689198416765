// paddle.vision.datasets.Flowers (python/paddle/vision/datasets/flowers.py at 2.0): the Oxford
// 102 Category Flowers set, from `102flowers.tgz` (jpg/image_00001.jpg ...), the labels in
// `imagelabels.mat` (variable `labels`, 1..102 per image) and the splits in `setid.mat`
// (variables `trnid`, `valid`, `tstid`: 1-based image numbers).
import { p, T, type CallArgs } from '../../core/args.js';
import { getDefaultDType, type DType } from '../../core/dtype.js';
import { fail } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { Dataset, parser } from '../../io/dataset.js';
import { decodeImage } from '../image.js';
import { astype, checkBackend, checkIndex, checkMode, imageTensor, int64Label, pathTy, transformTy, applyTransform, type Transform } from './common.js';
import { resolveDataFile } from './download.js';
import { firstRow, loadmat } from './matfile.js';
import { openTar, readTarMember, tarEntry, type TarIndex } from './tar.js';

const DATA_URL = 'http://paddlemodels.bj.bcebos.com/flowers/102flowers.tgz';
const LABEL_URL = 'http://paddlemodels.bj.bcebos.com/flowers/imagelabels.mat';
const SETID_URL = 'http://paddlemodels.bj.bcebos.com/flowers/setid.mat';
const DATA_MD5 = '52808999861908f626f3c1f4e79d11fa';
const LABEL_MD5 = 'e0620be6f572b9609742df49c70aed4d';
const SETID_MD5 = 'a5357ecc9cb78c4bef273ce3793fc85c';

/** Which setid.mat variable a mode reads. Paddle swaps the official splits: its 'train' is the
 * large `tstid` (6,149 images) and its 'test' the small `trnid` (1,020). */
const MODE_FLAG_MAP: Record<string, string> = { train: 'tstid', test: 'trnid', valid: 'valid' };

const flowersParams = [
  p('data_file', pathTy, null),
  p('label_file', pathTy, null),
  p('setid_file', pathTy, null),
  p('mode', T.str, 'train'),
  p('transform', transformTy, null),
  p('download', T.bool, true),
  p('backend', T.nullable(T.str), null),
] as const;
const API = 'paddle.vision.datasets.Flowers';
const parse = parser(API, flowersParams);

/**
 * Oxford 102 Flowers. With a file argument null, that file is taken from
 * ~/.cache/paddle/dataset/flowers/ (downloaded there when `download` is true and a network is
 * reachable; otherwise the error names the file to place there). Modes follow Paddle: 'train'
 * reads setid's `tstid` (6,149 images), 'test' its `trnid` (1,020), 'valid' its `valid` (1,020).
 *
 * An item is `[image, label]`: `label` an int64 Tensor of shape [1] holding the 1-based class;
 * `image` what the transform makes of the decoded JPEG as an RGB uint8 Tensor [H, W, 3] (both
 * backends decode as PIL does, to RGB): returned as is with backend 'pil', cast to the default
 * dtype with 'cv2'.
 * @param data_file 102flowers.tgz, or null for the cache
 * @param label_file imagelabels.mat, or null for the cache
 * @param setid_file setid.mat, or null for the cache
 * @param mode 'train', 'valid' or 'test'
 * @param transform a callable applied to each image, or null
 * @param download whether to download missing files to the cache
 * @param backend 'pil' or 'cv2' (null: paddle.vision.get_image_backend())
 * @example
 * const ds = new paddle.vision.datasets.Flowers({ mode: 'valid', transform: new T.Resize([64, 64]) });
 */
export class Flowers extends Dataset {
  backend: 'pil' | 'cv2';
  flag: string;
  data_file: string;
  label_file: string;
  setid_file: string;
  transform: Transform | null;
  dtype: DType;
  /** The archive's member index (name -> offset, size). */
  data_tar: TarIndex;
  /** imagelabels.mat's `labels[0]`: the class of image k at position k - 1. */
  labels: number[] = [];
  /** setid.mat's `<flag>[0]`: the image numbers of this mode. */
  indexes: number[] = [];

  constructor(...args: CallArgs<typeof flowersParams>) {
    super();
    const a = parse(args);
    const mode = checkMode(API, a.mode, ['train', 'valid', 'test']);
    this.backend = checkBackend(API, a.backend);
    this.flag = MODE_FLAG_MAP[mode];
    this.data_file = resolveDataFile(API, a.data_file, 'data_file', a.download, DATA_URL, DATA_MD5, 'flowers');
    this.label_file = resolveDataFile(API, a.label_file, 'label_file', a.download, LABEL_URL, LABEL_MD5, 'flowers');
    this.setid_file = resolveDataFile(API, a.setid_file, 'setid_file', a.download, SETID_URL, SETID_MD5, 'flowers');
    this.transform = a.transform;
    this.data_tar = openTar(API, this.data_file);
    this._load_anno();
    this.dtype = getDefaultDType();
  }

  _load_anno(): void {
    const labels = loadmat(API, this.label_file).labels;
    if (!labels) fail(API, `'${this.label_file}' has no numeric variable 'labels'`);
    const ids = loadmat(API, this.setid_file)[this.flag];
    if (!ids) fail(API, `'${this.setid_file}' has no numeric variable '${this.flag}'`);
    this.labels = firstRow(labels);
    this.indexes = firstRow(ids);
  }

  /** `[image, label]` of sample `idx` (see the class description). */
  override __getitem__(idx: number): [unknown, Tensor] {
    const api = `${API}.__getitem__`;
    const index = this.indexes[checkIndex(api, idx, this.indexes.length)];
    if (!Number.isInteger(index) || index < 1 || index > this.labels.length)
      fail(api, `image number ${index} of '${this.setid_file}' has no label in '${this.label_file}' (${this.labels.length} labels)`);
    const label = int64Label(this.labels[index - 1]);
    const name = `jpg/image_${String(index).padStart(5, '0')}.jpg`;
    if (!tarEntry(this.data_tar, name)) fail(api, `'${this.data_file}' has no member '${name}'`);
    const img = decodeImage(readTarMember(api, this.data_tar, name), api, `${name} in ${this.data_file}`);
    let image: unknown = imageTensor(img.data, img.height, img.width, img.c);
    if (this.transform !== null) image = applyTransform(this.transform, image);
    if (this.backend === 'pil') return [image, label];
    return [astype(image, this.dtype, api), label];
  }

  override __len__(): number {
    return this.indexes.length;
  }
}
