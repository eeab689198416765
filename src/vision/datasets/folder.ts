// paddle.vision.datasets.DatasetFolder and ImageFolder (python/paddle/vision/datasets/folder.py
// at 2.0): datasets over a directory tree of image files.
//
// Files are listed as Python's `sorted(os.walk(root, followlinks=True))` then `sorted(fnames)`
// lists them, and paths are joined with '/' onto `root` as given (after expanding '~'), so
// `samples` holds the same strings Paddle's would.
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { p, type CallArgs, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { getDefaultDType, type DType } from '../../core/dtype.js';
import { badArg, fail, NotFoundError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { Dataset, parser } from '../../io/dataset.js';
import { get_image_backend, image_load } from '../image.js';
import { checkIndex, transformTy, applyTransform, type Transform } from './common.js';

/** The extensions DatasetFolder and ImageFolder accept by default. */
export const IMG_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];

/** Whether `filename` ends with one of `extensions` (case-insensitive). */
export function has_valid_extension(filename: string, extensions: readonly string[]): boolean {
  const f = filename.toLowerCase();
  return extensions.some((e) => f.endsWith(e.toLowerCase()));
}

/**
 * Loads an image file as an RGB uint8 Tensor [H, W, 3], as Paddle's default_loader does with
 * either backend ('pil': `Image.open(path).convert('RGB')`; 'cv2': `cv2.imread` converted
 * BGR -> RGB, EXIF orientation applied).
 * @param path the image file (PNG or JPEG)
 */
export function default_loader(path: string): Tensor {
  if (get_image_backend() !== 'cv2') return image_load(path, 'pil');
  const bgr = image_load(path, 'cv2');
  const s = bgr.data as Uint8Array;
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i += 3) {
    out[i] = s[i + 2];
    out[i + 1] = s[i + 1];
    out[i + 2] = s[i];
  }
  return new Tensor(out, bgr.dims.slice(), 'uint8');
}

const expanduser = (p: string): string => (p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p);
const pyJoin = (a: string, b: string): string => (a === '' || a.endsWith('/') ? a + b : `${a}/${b}`);
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Python's os.walk(top, followlinks=True), sorted by directory: [dir, file names] pairs. */
function walk(top: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  const seen = new Set<string>();
  const rec = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    // a symlink cycle would recurse forever (Python's os.walk does loop on one; we stop)
    let real = '';
    try {
      const st = statSync(dir);
      real = `${st.dev}:${st.ino}`;
    } catch {
      /* keep going */
    }
    if (real && seen.has(real)) return;
    if (real) seen.add(real);
    const files: string[] = [];
    const dirs: string[] = [];
    for (const n of names) (isDir(pyJoin(dir, n)) ? dirs : files).push(n);
    out.push([dir, files]);
    for (const d of dirs) rec(pyJoin(dir, d));
  };
  rec(top);
  return out.sort((x, y) => byCodePoint(x[0], y[0]));
}

const extensionsTy: Ty<string[] | null, string | readonly string[] | null> = {
  desc: 'a list of extensions (strings) or None',
  parse(v, api, arg) {
    if (v === null) return null;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return (v as string[]).slice();
    return badArg(api, arg, 'a list of file extensions (strings) or None', v);
  },
};
const fnTy: Ty<((x: any) => any) | null, ((x: any) => any) | null> = {
  desc: 'a function or None',
  parse: (v, api, arg) => (v === null ? null : typeof v === 'function' ? (v as (x: any) => any) : badArg(api, arg, 'a function or None', v)),
};

const folderParams = [
  p('root', T.str),
  p('loader', fnTy, null),
  p('extensions', extensionsTy, null),
  p('transform', transformTy, null),
  p('is_valid_file', fnTy, null),
] as const;

/** The file filter: `is_valid_file` alone, else the extensions (IMG_EXTENSIONS by default). */
function fileFilter(api: string, extensions: string[] | null, isValid: ((x: string) => unknown) | null): { exts: string[]; ok: (path: string) => boolean } {
  if (extensions !== null && isValid !== null) fail(api, 'Both extensions and is_valid_file should not be passed: give one of them');
  if (isValid !== null) return { exts: [], ok: (path) => Boolean(isValid(path)) };
  const exts = extensions ?? IMG_EXTENSIONS.slice();
  return { exts, ok: (path) => has_valid_extension(path, exts) };
}

const DF = 'paddle.vision.datasets.DatasetFolder';
const parseDF = parser(DF, folderParams);

/**
 * A generic dataset over files arranged as `root/<class>/.../<file>`: the classes are the
 * sorted sub-directory names of `root`, numbered from 0; each file (in any depth below a class
 * directory) with an accepted extension is a sample of that class.
 *
 * An item is `[sample, target]`: `sample` is `transform(loader(path))` (the default loader gives
 * an RGB uint8 Tensor [H, W, 3]), `target` the class index (a number; a batch of them is int64).
 * @param root the root directory
 * @param loader a function from a file path to a sample (null: default_loader)
 * @param extensions accepted extensions (null: IMG_EXTENSIONS); not together with is_valid_file
 * @param transform a callable applied to each sample, or null
 * @param is_valid_file a function from a path to whether to keep it, instead of extensions
 * @example
 * const ds = new paddle.vision.datasets.DatasetFolder('data/train', { transform: new T.Resize([32, 32]) });
 * ds.classes   // ['cat', 'dog']
 * const [img, target] = ds.__getitem__(0);
 */
export class DatasetFolder extends Dataset {
  root: string;
  transform: Transform | null;
  loader: (path: string) => unknown;
  extensions: string[];
  classes: string[];
  class_to_idx: Record<string, number>;
  /** `[path, class index]` of each sample. */
  samples: [string, number][];
  targets: number[];
  dtype: DType;

  constructor(...args: CallArgs<typeof folderParams>) {
    super();
    const a = parseDF(args);
    this.root = a.root;
    this.transform = a.transform;
    const filter = fileFilter(DF, a.extensions, a.is_valid_file);
    const [classes, classToIdx] = this._find_classes(this.root);
    const dir = expanduser(this.root);
    const samples: [string, number][] = [];
    for (const target of classes) {
      const d = pyJoin(dir, target);
      if (!isDir(d)) continue;
      for (const [r, files] of walk(d))
        for (const f of files.sort(byCodePoint)) {
          const path = pyJoin(r, f);
          if (filter.ok(path)) samples.push([path, classToIdx[target]]);
        }
    }
    if (samples.length === 0)
      fail(DF, `Found 0 files in subfolders of: ${this.root}; Supported extensions are: ${filter.exts.length ? filter.exts.join(',') : '(those accepted by is_valid_file)'}`, NotFoundError);
    this.loader = a.loader ?? default_loader;
    this.extensions = filter.exts;
    this.classes = classes;
    this.class_to_idx = classToIdx;
    this.samples = samples;
    this.targets = samples.map((s) => s[1]);
    this.dtype = getDefaultDType();
  }

  /** The sorted sub-directory names of `dir` and their indices. */
  _find_classes(dir: string): [string[], Record<string, number>] {
    const d = expanduser(dir);
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return fail(DF, `root '${dir}' does not exist or is not a directory`, NotFoundError);
    }
    const classes = names.filter((n) => isDir(pyJoin(d, n))).sort(byCodePoint);
    const classToIdx: Record<string, number> = {};
    classes.forEach((c, i) => (classToIdx[c] = i));
    return [classes, classToIdx];
  }

  /** `[sample, target]` of sample `index`. */
  override __getitem__(index: number): [unknown, number] {
    const [path, target] = this.samples[checkIndex(`${DF}.__getitem__`, index, this.samples.length)];
    let sample = this.loader(path);
    if (this.transform !== null) sample = applyTransform(this.transform, sample);
    return [sample, target];
  }

  override __len__(): number {
    return this.samples.length;
  }
}

const IF = 'paddle.vision.datasets.ImageFolder';
const parseIF = parser(IF, folderParams);

/**
 * A dataset over every image file found under `root`, at any depth, without labels. An item
 * is `[sample]`, `sample` being `transform(loader(path))`.
 * @param root the root directory
 * @param loader a function from a file path to a sample (null: default_loader)
 * @param extensions accepted extensions (null: IMG_EXTENSIONS); not together with is_valid_file
 * @param transform a callable applied to each sample, or null
 * @param is_valid_file a function from a path to whether to keep it, instead of extensions
 * @example
 * const ds = new paddle.vision.datasets.ImageFolder('photos');
 * const [img] = ds.__getitem__(0);
 */
export class ImageFolder extends Dataset {
  root: string;
  loader: (path: string) => unknown;
  extensions: string[];
  samples: string[];
  transform: Transform | null;

  constructor(...args: CallArgs<typeof folderParams>) {
    super();
    const a = parseIF(args);
    this.root = a.root;
    const filter = fileFilter(IF, a.extensions, a.is_valid_file);
    const dir = expanduser(a.root);
    if (!isDir(dir)) fail(IF, `root '${a.root}' does not exist or is not a directory`, NotFoundError);
    const samples: string[] = [];
    for (const [r, files] of walk(dir))
      for (const f of files.sort(byCodePoint)) {
        const path = pyJoin(r, f);
        if (filter.ok(path)) samples.push(path);
      }
    if (samples.length === 0)
      fail(IF, `Found 0 files in subfolders of: ${this.root}; Supported extensions are: ${filter.exts.length ? filter.exts.join(',') : '(those accepted by is_valid_file)'}`, NotFoundError);
    this.loader = a.loader ?? default_loader;
    this.extensions = filter.exts;
    this.samples = samples;
    this.transform = a.transform;
  }

  /** `[sample]` of sample `index`. */
  override __getitem__(index: number): [unknown] {
    const path = this.samples[checkIndex(`${IF}.__getitem__`, index, this.samples.length)];
    let sample = this.loader(path);
    if (this.transform !== null) sample = applyTransform(this.transform, sample);
    return [sample];
  }

  override __len__(): number {
    return this.samples.length;
  }
}
