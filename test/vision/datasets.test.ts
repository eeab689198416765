// paddle.vision.datasets: every dataset reads files in the official formats, which the tests
// build themselves (IDX gz, CIFAR tarballs of pickled batches — Python 2 style by hand, and
// Python 3's when python3 with NumPy is here —, MATLAB v5 .mat labels, a VOC-like tar with
// palette PNG masks, an image folder tree), plus the real Fashion-MNIST files of Debian's
// dataset-fashion-mnist package when it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import * as paddle from '../../src/index.js';
import { assertThrows } from '../helpers/assert.js';
import { pythonWith, runPython } from '../helpers/python.js';

const D = paddle.vision.datasets;
const T = paddle.vision.transforms;
const { errors } = paddle;

// ---------------------------------------------------------------------------------------
// Fixture builders

const tmp = (tag: string): string => mkdtempSync(join(tmpdir(), `paddle-ts-${tag}-`));
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

/** Runs fn with $HOME (the cache root) at a fresh directory. */
function withHome<R>(fn: (home: string) => R): R {
  const home = tmp('home');
  const old = process.env.HOME;
  process.env.HOME = home;
  try {
    return fn(home);
  } finally {
    process.env.HOME = old;
    rmSync(home, { recursive: true, force: true });
  }
}

const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

/** An IDX3 image file (magic 2051) of n images rows x cols. */
function idxImages(pixels: Uint8Array, n: number, rows: number, cols: number): Uint8Array {
  return Uint8Array.from([...be32(0x803), ...be32(n), ...be32(rows), ...be32(cols), ...pixels]);
}
/** An IDX1 label file (magic 2049). */
function idxLabels(labels: number[]): Uint8Array {
  return Uint8Array.from([...be32(0x801), ...be32(labels.length), ...labels]);
}

/** A ustar archive of [name, bytes] members (with a directory entry for the first one's folder). */
function tarOf(files: [string, Uint8Array][]): Uint8Array {
  const blocks: Uint8Array[] = [];
  const header = (name: string, size: number, type: string): Uint8Array => {
    const h = new Uint8Array(512);
    const put = (s: string, off: number, len: number): void => {
      const b = Buffer.from(s, 'utf8');
      h.set(b.subarray(0, len), off);
    };
    let prefix = '';
    let base = name;
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', 155);
      prefix = name.slice(0, cut);
      base = name.slice(cut + 1);
    }
    put(base, 0, 100);
    put('0000644\0', 100, 8);
    put('0000000\0', 108, 8);
    put('0000000\0', 116, 8);
    put(size.toString(8).padStart(11, '0') + '\0', 124, 12);
    put('14000000000\0', 136, 12);
    put('        ', 148, 8);
    put(type, 156, 1);
    put('ustar\0', 257, 6);
    put('00', 263, 2);
    put(prefix, 345, 155);
    let sum = 0;
    for (const x of h) sum += x;
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
    return h;
  };
  const dir = files[0][0].split('/')[0] + '/';
  blocks.push(header(dir, 0, '5'));
  for (const [name, data] of files) {
    blocks.push(header(name, data.length, '0'));
    const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
    padded.set(data);
    blocks.push(padded);
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks);
}

/**
 * A CIFAR batch pickled the way the published files are (Python 2 cPickle, protocol 2): str
 * keys, the data through numpy.core.multiarray._reconstruct with its bytes as a str.
 */
function py2CifarBatch(data: Uint8Array, n: number, labelKey: string, labels: number[]): Uint8Array {
  const out: number[] = [];
  const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')];
  const sbs = (s: string): number[] => [0x55, s.length, ...ascii(s)]; // SHORT_BINSTRING
  const int = (v: number): number[] => (v < 256 ? [0x4b, v] : [0x4d, v & 255, v >> 8]); // BININT1 / BININT2
  out.push(0x80, 2, 0x7d, 0x28); // PROTO 2, EMPTY_DICT, MARK
  out.push(...sbs('batch_label'), ...sbs('training batch 1 of 5'));
  out.push(...sbs('data'));
  out.push(0x63, ...ascii('numpy.core.multiarray\n_reconstruct\n'), 0x63, ...ascii('numpy\nndarray\n'));
  out.push(...int(0), 0x85, ...sbs('b'), 0x87, 0x52); // (0,), 'b' -> TUPLE3, REDUCE
  out.push(0x28, ...int(1), ...int(n), ...int(3072), 0x86); // MARK 1 (n, 3072)
  out.push(0x63, ...ascii('numpy\ndtype\n'), ...sbs('u1'), ...int(0), ...int(1), 0x87, 0x52);
  out.push(0x28, ...int(3), ...sbs('|'), 0x4e, 0x4e, 0x4e, 0x4a, 255, 255, 255, 255, 0x4a, 255, 255, 255, 255, ...int(0), 0x74, 0x62); // dtype state, BUILD
  out.push(0x89); // NEWFALSE (C order)
  out.push(0x54, ...[data.length & 255, (data.length >> 8) & 255, (data.length >> 16) & 255, data.length >>> 24], ...data); // BINSTRING
  out.push(0x74, 0x62); // TUPLE, BUILD
  out.push(...sbs(labelKey), 0x5d, 0x28, ...labels.flatMap(int), 0x65); // EMPTY_LIST MARK ... APPENDS
  out.push(...sbs('filenames'), 0x5d); // an empty list
  out.push(0x75, 0x2e); // SETITEMS, STOP
  return Uint8Array.from(out);
}

/** Deterministic image bytes: n images of 3072 channel-major bytes. */
function cifarPixels(n: number, seed: number): Uint8Array {
  const a = new Uint8Array(n * 3072);
  for (let i = 0; i < a.length; i++) a[i] = (i * 31 + seed * 17 + (i >> 10) * 7) & 255;
  return a;
}

/** A MATLAB level-5 MAT-file of numeric row vectors (optionally compressed / big-endian). */
function matFile(vars: [string, 'uint8' | 'uint16' | 'double', number[]][], opts: { compress?: boolean; bigEndian?: boolean } = {}): Uint8Array {
  const le = !opts.bigEndian;
  const u32 = (v: number): Uint8Array => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, le);
    return b;
  };
  const pad8 = (b: Uint8Array): Uint8Array => {
    const p = new Uint8Array(Math.ceil(b.length / 8) * 8);
    p.set(b);
    return p;
  };
  const element = (type: number, data: Uint8Array): Uint8Array => {
    if (data.length <= 4 && data.length > 0) {
      // small data element format
      const b = new Uint8Array(8);
      new DataView(b.buffer).setUint32(0, (data.length << 16) | type, le);
      b.set(data, 4);
      return b;
    }
    return Buffer.concat([u32(type), u32(data.length), pad8(data)]);
  };
  const header = new Uint8Array(128).fill(32);
  header.set(Buffer.from('MATLAB 5.0 MAT-file, written by the paddle-ts tests'), 0);
  header.fill(0, 116, 124);
  new DataView(header.buffer).setUint16(124, 0x0100, le);
  header.set(Buffer.from(le ? 'IM' : 'MI'), 126);
  const parts: Uint8Array[] = [header];
  for (const [name, cls, values] of vars) {
    const [mxClass, miType, size] = cls === 'uint8' ? [9, 2, 1] : cls === 'uint16' ? [11, 4, 2] : [6, 9, 8];
    const raw = new Uint8Array(values.length * size);
    const dv = new DataView(raw.buffer);
    values.forEach((v, i) => (size === 1 ? dv.setUint8(i, v) : size === 2 ? dv.setUint16(2 * i, v, le) : dv.setFloat64(8 * i, v, le)));
    const dims = new Uint8Array(8);
    new DataView(dims.buffer).setInt32(0, 1, le);
    new DataView(dims.buffer).setInt32(4, values.length, le);
    const flags = new Uint8Array(8);
    new DataView(flags.buffer).setUint32(0, mxClass, le);
    const body = Buffer.concat([element(6, flags), element(5, dims), element(1, Buffer.from(name)), element(miType, raw)]);
    const matrix = Buffer.concat([u32(14), u32(body.length), body]);
    parts.push(opts.compress ? (() => { const z = deflateSync(matrix); return Buffer.concat([u32(15), u32(z.length), z]); })() : matrix);
  }
  return Buffer.concat(parts);
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();
function crc32(b: Uint8Array): number {
  let c = -1;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
/** The VOC colour map: class k's colour. */
function vocColor(k: number): [number, number, number] {
  let r = 0, g = 0, b = 0;
  for (let j = 0, c = k; j < 8; j++, c >>= 3) {
    r |= ((c >> 0) & 1) << (7 - j);
    g |= ((c >> 1) & 1) << (7 - j);
    b |= ((c >> 2) & 1) << (7 - j);
  }
  return [r, g, b];
}
/** An 8-bit palette PNG (colour type 3) of the given indices, with the 256-entry VOC palette. */
function palettePng(indices: Uint8Array, w: number, h: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    return Buffer.concat([Uint8Array.from(be32(data.length)), td, Uint8Array.from(be32(crc32(td)))]);
  };
  const ihdr = Uint8Array.from([...be32(w), ...be32(h), 8, 3, 0, 0, 0]);
  const plte = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) plte.set(vocColor(k), 3 * k);
  const raw = new Uint8Array(h * (w + 1));
  for (let y = 0; y < h; y++) raw.set(indices.subarray(y * w, (y + 1) * w), y * (w + 1) + 1);
  return Buffer.concat([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}
/** A solid-colour RGB JPEG. */
function solidJpeg(w: number, h: number, rgb: [number, number, number]): Uint8Array {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([...rgb, 255], 4 * i);
  return jpeg.encode({ data, width: w, height: h }, 95).data;
}
/** An RGB PNG whose pixel (y, x) is (base + y, x, c) per channel. */
function rgbPng(w: number, h: number, base: number): Uint8Array {
  const png = new pngjs.PNG({ width: w, height: h, colorType: 2 as never });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) png.data.set([base + y, x, 7, 255], 4 * (y * w + x));
  return pngjs.PNG.sync.write(png, { colorType: 2 });
}

const values = (t: paddle.Tensor): number[] => Array.from(t.numpy() as ArrayLike<number>, Number);

// ---------------------------------------------------------------------------------------
// MNIST / FashionMNIST

const FASHION = '/usr/share/datasets/fashion-mnist';

test('FashionMNIST reads the real IDX gz files (Debian dataset-fashion-mnist)', (t) => {
  if (!existsSync(join(FASHION, 't10k-images-idx3-ubyte.gz')))
    return t.skip('the real Fashion-MNIST files are absent: `apt-get install dataset-fashion-mnist` provides them in /usr/share/datasets/fashion-mnist');
  const ds = new D.FashionMNIST({ image_path: join(FASHION, 't10k-images-idx3-ubyte.gz'), label_path: join(FASHION, 't10k-labels-idx1-ubyte.gz'), mode: 'test' });
  assert.ok(ds instanceof paddle.io.Dataset);
  assert.equal(ds.__len__(), 10000);
  // labels and pixels as read with gzip + NumPy
  assert.deepEqual(Array.from({ length: 10 }, (_, i) => ds.__getitem__(i)[1].item()), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
  const [img, label] = ds.__getitem__(0);
  assert.deepEqual([(img as paddle.Tensor).shape, (img as paddle.Tensor).dtype, label.shape, label.dtype], [[28, 28], 'uint8', [1], 'int64']);
  const px = values(img as paddle.Tensor);
  assert.equal(px.reduce((a, b) => a + b, 0), 33456);
  assert.deepEqual(px.slice(10 * 28 + 10, 10 * 28 + 20), [0, 0, 0, 4, 0, 53, 129, 120, 147, 175]);
  // cv2 backend: float32 pixel values (not scaled); ToTensor on 'pil': [1, 28, 28] in [0, 1]
  const cv = new D.FashionMNIST(join(FASHION, 't10k-images-idx3-ubyte.gz'), join(FASHION, 't10k-labels-idx1-ubyte.gz'), 'test', null, true, 'cv2');
  const [f] = cv.__getitem__(-10000);
  assert.equal((f as paddle.Tensor).dtype, 'float32');
  assert.deepEqual(values(f as paddle.Tensor), px);
  const tt = new D.FashionMNIST({ image_path: join(FASHION, 't10k-images-idx3-ubyte.gz'), label_path: join(FASHION, 't10k-labels-idx1-ubyte.gz'), mode: 'test', transform: new T.ToTensor() });
  const [x] = tt.__getitem__(0);
  assert.deepEqual((x as paddle.Tensor).shape, [1, 28, 28]);
  assert.ok(Math.abs(values(x as paddle.Tensor)[10 * 28 + 15] - 53 / 255) < 1e-6);
  // the train split: 60,000 images, 6,000 of each class
  const train = new D.FashionMNIST({ image_path: join(FASHION, 'train-images-idx3-ubyte.gz'), label_path: join(FASHION, 'train-labels-idx1-ubyte.gz') });
  assert.equal(train.__len__(), 60000);
  const hist = new Array(10).fill(0);
  for (const l of train.labels) hist[l]++;
  assert.deepEqual(hist, new Array(10).fill(6000));
  assert.deepEqual(Array.from(train.labels.subarray(0, 10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
});

test('MNIST reads IDX files it did not write (gz and plain), any image size', () => {
  const dir = tmp('idx');
  try {
    const n = 5, rows = 4, cols = 3;
    const pixels = Uint8Array.from({ length: n * rows * cols }, (_, i) => (i * 13) % 256);
    const labels = [3, 1, 4, 1, 5];
    writeFileSync(join(dir, 'img.gz'), gzipSync(idxImages(pixels, n, rows, cols)));
    writeFileSync(join(dir, 'lab.gz'), gzipSync(idxLabels(labels)));
    writeFileSync(join(dir, 'img'), idxImages(pixels, n, rows, cols));
    writeFileSync(join(dir, 'lab'), idxLabels(labels));
    for (const [ip, lp] of [['img.gz', 'lab.gz'], ['img', 'lab']]) {
      const ds = new D.MNIST({ image_path: join(dir, ip), label_path: join(dir, lp), mode: 'TEST' });
      assert.equal(ds.mode, 'test');
      assert.equal(ds.__len__(), 5);
      const [img, label] = ds.__getitem__(2);
      assert.deepEqual((img as paddle.Tensor).shape, [4, 3]);
      assert.deepEqual(values(img as paddle.Tensor), Array.from(pixels.subarray(24, 36)));
      assert.deepEqual(label.tolist(), [4]);
      assert.deepEqual(ds.__getitem__(-1)[1].tolist(), [5]);
      assert.deepEqual([...ds].map((s) => (s as [unknown, paddle.Tensor])[1].item()), labels);
      // items are copies: writing into one leaves the dataset as it was
      assert.equal(ds.images.constructor, Uint8Array);
      (img as paddle.Tensor).numpy(); // (a copy)
      ((img as paddle.Tensor).data as Uint8Array).fill(0);
      assert.deepEqual(values(ds.__getitem__(2)[0] as paddle.Tensor), Array.from(pixels.subarray(24, 36)));
    }
    // backend 'cv2' casts the transform's result to the default dtype
    const cv = new D.MNIST({ image_path: join(dir, 'img'), label_path: join(dir, 'lab'), transform: (x: paddle.Tensor) => x.astype('int32'), backend: 'cv2' });
    assert.equal((cv.__getitem__(0)[0] as paddle.Tensor).dtype, 'float32');
    // the global backend decides when backend is null
    paddle.vision.set_image_backend('cv2');
    try {
      assert.equal(new D.MNIST({ image_path: join(dir, 'img'), label_path: join(dir, 'lab') }).backend, 'cv2');
    } finally {
      paddle.vision.set_image_backend('pil');
    }
    // errors: bad mode, backend, swapped files, truncation, out-of-range index, missing file
    const args = { image_path: join(dir, 'img'), label_path: join(dir, 'lab') };
    assertThrows(() => new D.MNIST({ ...args, mode: 'valid' }), errors.InvalidArgumentError, /paddle\.vision\.datasets\.MNIST/, /mode should be 'train' or 'test', but got valid/);
    assertThrows(() => new D.MNIST({ ...args, backend: 'PIL' }), errors.InvalidArgumentError, /Expected backend are one of \['pil', 'cv2'\], but got PIL/);
    assertThrows(() => new D.MNIST({ image_path: args.label_path, label_path: args.image_path }), errors.InvalidArgumentError, /not an IDX image file/);
    writeFileSync(join(dir, 'short'), idxImages(pixels.subarray(0, 20), n, rows, cols));
    assertThrows(() => new D.MNIST({ image_path: join(dir, 'short'), label_path: args.label_path }), errors.InvalidArgumentError, /truncated: 5 images of 4x3 announced, 1 present/);
    assertThrows(() => new D.MNIST(args).__getitem__(5), errors.OutOfRangeError, /index 5 is out of range for a dataset of length 5/);
    assertThrows(() => new D.FashionMNIST({ ...args, image_path: join(dir, 'nope.gz') }), errors.NotFoundError, /FashionMNIST/, /image_path '.*nope\.gz' does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('MNIST with no paths: the cache directory, md5-checked, and a clear error offline', () => {
  withHome((home) => {
    const cache = join(home, '.cache', 'paddle', 'dataset', 'mnist');
    // No file and no network: the error names the file and where to place it (and fails fast).
    const t0 = Date.now();
    assertThrows(() => new D.MNIST({ mode: 'test' }), errors.NotFoundError, /paddle\.vision\.datasets\.MNIST/, /cannot download https:\/\/dataset\.bj\.bcebos\.com\/mnist\/t10k-images-idx3-ubyte\.gz/,
      new RegExp(`Place the file t10k-images-idx3-ubyte\\.gz at ${cache.replace(/\./g, '\\.')}/t10k-images-idx3-ubyte\\.gz \\(md5 9fb629c4189551a2d022fa330f9573f3\\)`), /pass the file's path as image_path/);
    assert.ok(Date.now() - t0 < 30000, 'the download attempt should fail fast without a network');
    assertThrows(() => new D.MNIST({ mode: 'test', download: false }), errors.NotFoundError, /image_path is not set and downloading automatically is disabled/, /t10k-images-idx3-ubyte\.gz/);
    // Files placed in the cache with the expected md5 are used. (Paddle's md5s are those of the
    // published files; a subclass with other md5s, as FashionMNIST is, stands in for them.)
    mkdirSync(cache, { recursive: true });
    const img = gzipSync(idxImages(new Uint8Array(2 * 4).fill(9), 2, 2, 2));
    const lab = gzipSync(idxLabels([7, 8]));
    writeFileSync(join(cache, 't10k-images-idx3-ubyte.gz'), img);
    writeFileSync(join(cache, 't10k-labels-idx1-ubyte.gz'), lab);
    class LocalMNIST extends D.MNIST {
      static override TEST_IMAGE_MD5 = md5(img);
      static override TEST_LABEL_MD5 = md5(lab);
    }
    const ds = new LocalMNIST({ mode: 'test' });
    assert.equal(ds.image_path, join(cache, 't10k-images-idx3-ubyte.gz'));
    assert.deepEqual(ds.__getitem__(1)[1].tolist(), [8]);
    // a cached file whose md5 is not the published one is not trusted
    assertThrows(() => new D.MNIST({ mode: 'test' }), errors.UnavailableError, /The file there has md5 [0-9a-f]{32}, not the expected 9fb629c4189551a2d022fa330f9573f3/);
    if (existsSync(join(FASHION, 't10k-labels-idx1-ubyte.gz'))) {
      // Debian recompressed its files, so their md5s differ from the published ones
      const fcache = join(home, '.cache', 'paddle', 'dataset', 'fashion-mnist');
      mkdirSync(fcache, { recursive: true });
      for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) symlinkSync(join(FASHION, f), join(fcache, f));
      class DebianFashion extends D.FashionMNIST {
        static override TEST_IMAGE_MD5 = md5(readFileSync(join(FASHION, 't10k-images-idx3-ubyte.gz')));
        static override TEST_LABEL_MD5 = md5(readFileSync(join(FASHION, 't10k-labels-idx1-ubyte.gz')));
      }
      assert.equal(new DebianFashion({ mode: 'test' }).__len__(), 10000);
    }
  });
});

// ---------------------------------------------------------------------------------------
// CIFAR

/** Expected HWC pixel (y, x, c) of image k of channel-major data. */
const hwc = (data: Uint8Array, k: number, y: number, x: number, c: number): number => data[k * 3072 + c * 1024 + y * 32 + x];

test('Cifar10 and Cifar100 read tar.gz files of Python 2 pickled batches', () => {
  const dir = tmp('cifar');
  try {
    const b1 = cifarPixels(3, 1), b2 = cifarPixels(2, 2), tb = cifarPixels(2, 3);
    const c10 = gzipSync(tarOf([
      ['cifar-10-batches-py/data_batch_1', py2CifarBatch(b1, 3, 'labels', [6, 9, 9])],
      ['cifar-10-batches-py/readme.html', Buffer.from('<html></html>')],
      ['cifar-10-batches-py/data_batch_2', py2CifarBatch(b2, 2, 'labels', [4, 1])],
      ['cifar-10-batches-py/test_batch', py2CifarBatch(tb, 2, 'labels', [3, 8])],
      ['cifar-10-batches-py/batches.meta', Buffer.from('not a batch')],
    ]));
    writeFileSync(join(dir, 'cifar-10-python.tar.gz'), c10);
    const train = new D.Cifar10({ data_file: join(dir, 'cifar-10-python.tar.gz') });
    assert.equal(train.__len__(), 5);
    const [img, label] = train.__getitem__(3);
    const t = img as paddle.Tensor;
    assert.deepEqual([t.shape, t.dtype, label.shape, label.dtype, label.item()], [[32, 32, 3], 'uint8', [], 'int64', 4]);
    const px = values(t);
    for (const [y, x, c] of [[0, 0, 0], [5, 7, 1], [31, 30, 2], [17, 0, 2]]) assert.equal(px[(y * 32 + x) * 3 + c], hwc(b2, 0, y, x, c));
    assert.deepEqual([...train].map((s) => (s as [unknown, paddle.Tensor])[1].item()), [6, 9, 9, 4, 1]);
    const test_ = new D.Cifar10(join(dir, 'cifar-10-python.tar.gz'), 'test', null, true, 'cv2');
    assert.equal(test_.__len__(), 2);
    const [timg, tlabel] = test_.__getitem__(1);
    assert.equal((timg as paddle.Tensor).dtype, 'float32');
    assert.equal(values(timg as paddle.Tensor)[3 * 33 + 1], hwc(tb, 1, 1, 1, 1));
    assert.equal(tlabel.item(), 8);
    // a batch of labels collates to [N] (0-d labels, as NumPy's)
    const loader = new paddle.io.DataLoader(train, { batch_size: 4 });
    const [xb, yb] = [...loader][0] as paddle.Tensor[];
    assert.deepEqual([xb.shape, yb.shape, yb.dtype], [[4, 32, 32, 3], [4], 'int64']);

    const c100 = gzipSync(tarOf([
      ['cifar-100-python/meta', Buffer.from('meta')],
      ['cifar-100-python/test', py2CifarBatch(tb, 2, 'fine_labels', [55, 99])],
      ['cifar-100-python/train', py2CifarBatch(b1, 3, 'fine_labels', [19, 29, 0])],
    ]));
    writeFileSync(join(dir, 'cifar-100-python.tar.gz'), c100);
    const f100 = new D.Cifar100({ data_file: join(dir, 'cifar-100-python.tar.gz'), mode: 'test', transform: new T.ToTensor() });
    const [x100, y100] = f100.__getitem__(0);
    assert.deepEqual((x100 as paddle.Tensor).shape, [3, 32, 32]);
    assert.ok(Math.abs(values(x100 as paddle.Tensor)[1024 + 32 * 2 + 3] - hwc(tb, 0, 2, 3, 1) / 255) < 1e-6);
    assert.equal(y100.item(), 55);
    assert.equal(new D.Cifar100({ data_file: join(dir, 'cifar-100-python.tar.gz') }).__len__(), 3);

    // errors
    assertThrows(() => new D.Cifar10({ data_file: join(dir, 'cifar-10-python.tar.gz'), mode: 'train10' }), errors.InvalidArgumentError, /Cifar10/, /mode should be 'train' or 'test'/);
    writeFileSync(join(dir, 'junk.tar.gz'), gzipSync(Buffer.from('x'.repeat(2000))));
    assertThrows(() => new D.Cifar10({ data_file: join(dir, 'junk.tar.gz') }), errors.InvalidArgumentError, /junk\.tar\.gz' is not a tar archive/);
    withHome((home) => {
      assertThrows(() => new D.Cifar100({ download: false }), errors.NotFoundError, /Cifar100/, /data_file is not set and downloading automatically is disabled/,
        new RegExp(`${join(home, '.cache/paddle/dataset/cifar/cifar-100-python.tar.gz').replace(/\./g, '\\.')}`));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Cifar10 reads batches pickled by Python 3 (NumPy arrays, bytes keys) in a tar written by tarfile', (t) => {
  if (!pythonWith('numpy')) return t.skip('python3 with numpy is not available (.ci/run installs python3-numpy)');
  const dir = tmp('cifar3');
  try {
    const file = join(dir, 'c10.tar.gz');
    // protocol 2 and 4 batches; a long member path (pax header) that must be found by name
    runPython(`
import numpy as np, pickle, tarfile, io, sys
def batch(n, seed, proto):
    data = ((np.arange(n * 3072) * 7 + seed) % 256).astype(np.uint8).reshape(n, 3072)
    return pickle.dumps({b'batch_label': b'x', b'data': data, b'labels': [seed + i for i in range(n)]}, protocol=proto)
with tarfile.open(${JSON.stringify(file)}, 'w:gz') as tf:
    for name, payload in [('cifar-10-batches-py/data_batch_1', batch(2, 1, 2)),
                          ('cifar-10-batches-py/' + 'x' * 120 + '/data_batch_2', batch(3, 5, 4)),
                          ('cifar-10-batches-py/test_batch', batch(1, 9, 2))]:
        info = tarfile.TarInfo(name); info.size = len(payload); tf.addfile(info, io.BytesIO(payload))
`, ['numpy']);
    const ds = new D.Cifar10({ data_file: file });
    assert.deepEqual([...ds].map((s) => (s as [unknown, paddle.Tensor])[1].item()), [1, 2, 5, 6, 7]);
    const [img] = ds.__getitem__(2);
    const expect = (i: number): number => (i * 7 + 5) % 256; // channel-major index i of batch 2's image 0
    const px = values(img as paddle.Tensor);
    assert.equal(px[(4 * 32 + 9) * 3 + 2], expect(2 * 1024 + 4 * 32 + 9));
    assert.equal(new D.Cifar10({ data_file: file, mode: 'test' }).__len__(), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------
// Flowers

test('Flowers reads the tgz of JPEGs with .mat labels and splits', () => {
  const dir = tmp('flowers');
  try {
    const colors: [number, number, number][] = [[250, 10, 10], [10, 240, 20], [20, 20, 230], [200, 200, 40], [128, 0, 128]];
    writeFileSync(join(dir, '102flowers.tgz'), gzipSync(tarOf(colors.map((c, i) => [`jpg/image_${String(i + 1).padStart(5, '0')}.jpg`, solidJpeg(8 + i, 6, c)]))));
    // labels 1-based classes per image; Paddle's 'train' is tstid, 'test' trnid
    const labels: [string, 'uint8', number[]][] = [['labels', 'uint8', [77, 3, 102, 3, 1]]];
    const setid: [string, 'uint16' | 'double', number[]][] = [['trnid', 'uint16', [2, 4]], ['valid', 'double', [5]], ['tstid', 'uint16', [1, 3, 5]]];
    for (const [tag, opts] of [['plain', {}], ['compressed', { compress: true }], ['big-endian', { bigEndian: true }]] as const) {
      writeFileSync(join(dir, `imagelabels-${tag}.mat`), matFile(labels, opts));
      writeFileSync(join(dir, `setid-${tag}.mat`), matFile(setid, opts));
      const files = { data_file: join(dir, '102flowers.tgz'), label_file: join(dir, `imagelabels-${tag}.mat`), setid_file: join(dir, `setid-${tag}.mat`) };
      const train = new D.Flowers(files);
      assert.equal(train.__len__(), 3, tag);
      assert.deepEqual([...train].map((s) => (s as [unknown, paddle.Tensor])[1].tolist()), [[77], [102], [1]], tag);
      const [img, label] = train.__getitem__(1); // image 3
      const t_ = img as paddle.Tensor;
      assert.deepEqual([t_.shape, t_.dtype, label.dtype], [[6, 10, 3], 'uint8', 'int64']);
      const mean = [0, 1, 2].map((c) => values(t_).filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0) / 60);
      mean.forEach((m, c) => assert.ok(Math.abs(m - colors[2][c]) < 4, `${tag}: channel ${c} mean ${m} vs ${colors[2][c]}`));
      assert.deepEqual(new D.Flowers({ ...files, mode: 'test' }).__getitem__(1)[1].tolist(), [3]);
      const valid = new D.Flowers({ ...files, mode: 'valid', backend: 'cv2', transform: new T.Resize([4, 4]) });
      const [v] = valid.__getitem__(0);
      assert.deepEqual([(v as paddle.Tensor).shape, (v as paddle.Tensor).dtype], [[4, 4, 3], 'float32']);
    }
    assertThrows(() => new D.Flowers({ data_file: join(dir, '102flowers.tgz'), label_file: join(dir, 'setid-plain.mat'), setid_file: join(dir, 'setid-plain.mat') }),
      errors.InvalidArgumentError, /Flowers/, /has no numeric variable 'labels'/);
    assertThrows(() => new D.Flowers({ data_file: join(dir, '102flowers.tgz'), label_file: join(dir, '102flowers.tgz'), setid_file: join(dir, 'setid-plain.mat') }),
      errors.InvalidArgumentError, /is not a level-5 MAT-file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the .mat reader agrees with scipy.io.savemat files', (t) => {
  if (!pythonWith('numpy', 'scipy')) return t.skip('python3 with scipy is not available: the .mat files are checked against the test\'s own writer only');
  const dir = tmp('mat');
  try {
    runPython(`
import numpy as np, scipy.io as sio
sio.savemat(${JSON.stringify(join(dir, 'l.mat'))}, {'labels': np.array([[77, 3, 102]], dtype=np.uint8)}, do_compression=True)
sio.savemat(${JSON.stringify(join(dir, 's.mat'))}, {'trnid': np.array([[2, 3]], dtype=np.uint16), 'valid': np.array([[1.0]]), 'tstid': np.array([[1, 2, 3]], dtype=np.uint16), 'note': 'text'})
`, ['numpy', 'scipy']);
    const files = { label_file: join(dir, 'l.mat'), setid_file: join(dir, 's.mat') };
    writeFileSync(join(dir, 'f.tgz'), gzipSync(tarOf([1, 2, 3].map((i) => [`jpg/image_0000${i}.jpg`, solidJpeg(4, 4, [i * 50, 0, 0])]))));
    const ds = new D.Flowers({ data_file: join(dir, 'f.tgz'), ...files, mode: 'test' });
    assert.deepEqual([...ds].map((s) => (s as [unknown, paddle.Tensor])[1].tolist()), [[3], [102]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------
// VOC2012

test('VOC2012 reads images and palette masks from the tar by the split lists', () => {
  const dir = tmp('voc');
  try {
    const names = ['2007_000032', '2007_000039', '2008_000123'];
    const masks = names.map((_, k) => Uint8Array.from({ length: 5 * 4 }, (_, i) => (i === 7 ? 255 : (i + k * 3) % 21)));
    const files: [string, Uint8Array][] = [
      ['VOCdevkit/VOC2012/ImageSets/Segmentation/train.txt', Buffer.from(`${names[0]}\n${names[2]}\n`)],
      ['VOCdevkit/VOC2012/ImageSets/Segmentation/val.txt', Buffer.from(`${names[1]}\n`)],
      ['VOCdevkit/VOC2012/ImageSets/Segmentation/trainval.txt', Buffer.from(`${names.join('\n')}\n`)],
    ];
    names.forEach((n, k) => {
      files.push([`VOCdevkit/VOC2012/JPEGImages/${n}.jpg`, solidJpeg(5, 4, [30 * k, 100, 200])]);
      files.push([`VOCdevkit/VOC2012/SegmentationClass/${n}.png`, palettePng(masks[k], 5, 4)]);
    });
    writeFileSync(join(dir, 'VOCtrainval_11-May-2012.tar'), tarOf(files));
    const file = join(dir, 'VOCtrainval_11-May-2012.tar');
    const train = new D.VOC2012({ data_file: file });
    assert.equal(train.__len__(), 3);
    const [img, mask] = train.__getitem__(1) as [paddle.Tensor, paddle.Tensor];
    assert.deepEqual([img.shape, img.dtype, mask.shape, mask.dtype], [[4, 5, 3], 'uint8', [4, 5], 'uint8']);
    assert.deepEqual(values(mask), Array.from(masks[1]));
    assert.equal(values(mask)[7], 255);
    const test_ = new D.VOC2012(file, 'test');
    assert.deepEqual(test_.data, [`VOCdevkit/VOC2012/JPEGImages/${names[0]}.jpg`, `VOCdevkit/VOC2012/JPEGImages/${names[2]}.jpg`]);
    assert.deepEqual(values(test_.__getitem__(1)[1] as paddle.Tensor), Array.from(masks[2]));
    const valid = new D.VOC2012({ data_file: file, mode: 'valid', backend: 'cv2', transform: new T.CenterCrop(2) });
    const [vi, vm] = valid.__getitem__(0) as [paddle.Tensor, paddle.Tensor];
    assert.deepEqual([vi.shape, vi.dtype, vm.shape, vm.dtype], [[2, 2, 3], 'float32', [4, 5], 'float32']);
    assert.deepEqual(values(vm), Array.from(masks[1]));
    writeFileSync(join(dir, 'other.tar'), tarOf([['x/readme.txt', Buffer.from('hi')]]));
    assertThrows(() => new D.VOC2012({ data_file: join(dir, 'other.tar') }), errors.InvalidArgumentError, /VOC2012/, /has no member 'VOCdevkit\/VOC2012\/ImageSets\/Segmentation\/trainval\.txt'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------
// DatasetFolder / ImageFolder

test('DatasetFolder and ImageFolder list a tree of images as Python\'s sorted os.walk does', () => {
  const root = tmp('folder');
  try {
    const put = (rel: string, data: Uint8Array | string): void => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), data);
    };
    put('dog/b.png', rgbPng(3, 2, 10));
    put('dog/a.PNG', rgbPng(3, 2, 20));
    put('dog/x/c.png', rgbPng(3, 2, 30));
    put('dog/x y/d.png', rgbPng(3, 2, 40));
    put('dog/x/z/e.png', rgbPng(3, 2, 45));
    put('cat/1.png', rgbPng(4, 3, 50));
    put('cat/notes.txt', 'not an image');
    put('top.png', rgbPng(2, 2, 60));
    const df = new D.DatasetFolder(root);
    assert.deepEqual(df.classes, ['cat', 'dog']);
    assert.deepEqual(df.class_to_idx, { cat: 0, dog: 1 });
    // the walked directories are sorted as strings: dog, dog/x, 'dog/x y', dog/x/z (' ' < '/'),
    // which is not a depth-first order
    assert.deepEqual(df.samples.map(([p, c]) => [p.slice(root.length + 1), c]), [
      ['cat/1.png', 0], ['dog/a.PNG', 1], ['dog/b.png', 1], ['dog/x/c.png', 1], ['dog/x y/d.png', 1], ['dog/x/z/e.png', 1],
    ]);
    assert.deepEqual(df.targets, [0, 1, 1, 1, 1, 1]);
    const [img, target] = df.__getitem__(2) as [paddle.Tensor, number];
    assert.deepEqual([img.shape, img.dtype, target], [[2, 3, 3], 'uint8', 1]);
    assert.deepEqual(values(img).slice(0, 6), [10, 0, 7, 10, 1, 7]); // RGB
    paddle.vision.set_image_backend('cv2');
    try {
      assert.deepEqual(values(df.__getitem__(2)[0] as paddle.Tensor).slice(0, 6), [10, 0, 7, 10, 1, 7]); // still RGB (BGR -> RGB)
    } finally {
      paddle.vision.set_image_backend('pil');
    }
    const batch = [...new paddle.io.DataLoader(new D.DatasetFolder(root, { transform: new T.Resize([2, 2]) }), { batch_size: 6 })][0] as paddle.Tensor[];
    assert.deepEqual([batch[0].shape, batch[1].tolist()], [[6, 2, 2, 3], [0, 1, 1, 1, 1, 1]]);
    // extensions, is_valid_file, a custom loader
    const onlyUpper = new D.DatasetFolder(root, { extensions: ['.png'], loader: (p: string) => p.length });
    assert.equal(onlyUpper.__len__(), 6, 'extensions compare case-insensitively');
    assert.equal(onlyUpper.__getitem__(0)[0], df.samples[0][0].length);
    const picked = new D.DatasetFolder(root, { is_valid_file: (p: string) => p.endsWith('.txt') || p.endsWith('c.png') });
    assert.deepEqual(picked.samples.map(([p]) => p.slice(root.length + 1)), ['cat/notes.txt', 'dog/x/c.png']);
    assertThrows(() => new D.DatasetFolder(root, { extensions: ['.jpg'] }), errors.NotFoundError, /DatasetFolder/, /Found 0 files in subfolders of: .*Supported extensions are: \.jpg/);
    assertThrows(() => new D.DatasetFolder(root, { extensions: ['.png'], is_valid_file: () => true }), errors.InvalidArgumentError, /Both extensions and is_valid_file should not be passed/);
    assertThrows(() => new D.DatasetFolder(join(root, 'missing')), errors.NotFoundError, /root '.*missing' does not exist/);

    const imf = new D.ImageFolder(root);
    assert.deepEqual(imf.samples.map((p) => p.slice(root.length + 1)), ['top.png', 'cat/1.png', 'dog/a.PNG', 'dog/b.png', 'dog/x/c.png', 'dog/x y/d.png', 'dog/x/z/e.png']);
    const item = imf.__getitem__(0);
    assert.equal(item.length, 1);
    assert.deepEqual((item[0] as paddle.Tensor).shape, [2, 2, 3]);
    const tensors = new D.ImageFolder(root, { transform: new T.ToTensor() });
    assert.deepEqual((tensors.__getitem__(1)[0] as paddle.Tensor).shape, [3, 3, 4]);
    assertThrows(() => new D.ImageFolder(root, { extensions: '.bmp' }), errors.NotFoundError, /ImageFolder/, /Found 0 files/);

    // the order matches Python's own sorted(os.walk(...)) where python3 is present
    if (pythonWith('os')) {
      const py = JSON.parse(runPython(`
import os, json
root = ${JSON.stringify(root)}
out = []
for r, _, fs in sorted(os.walk(root, followlinks=True)):
    for f in sorted(fs):
        out.append(os.path.join(r, f))
print(json.dumps(out))`, ['os'])) as string[];
      assert.deepEqual(new D.ImageFolder(root, { is_valid_file: () => true }).samples, py);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('datasets with transforms run in DataLoader worker threads', () => {
  const dir = tmp('workers');
  try {
    const n = 6;
    const pixels = Uint8Array.from({ length: n * 28 * 28 }, (_, i) => i % 251);
    writeFileSync(join(dir, 'img.gz'), gzipSync(idxImages(pixels, n, 28, 28)));
    writeFileSync(join(dir, 'lab.gz'), gzipSync(idxLabels([0, 1, 2, 3, 4, 5])));
    const ds = new D.MNIST({ image_path: join(dir, 'img.gz'), label_path: join(dir, 'lab.gz'), transform: new T.Compose([new T.ToTensor(), new T.Normalize([0.5], [0.5])]) });
    const loader = new paddle.io.DataLoader(ds, { batch_size: 3, num_workers: 2 });
    const batches = [...loader] as paddle.Tensor[][];
    assert.equal(batches.length, 2);
    assert.deepEqual([batches[0][0].shape, batches[0][1].shape], [[3, 1, 28, 28], [3, 1]]);
    assert.deepEqual(batches[1][1].tolist(), [[3], [4], [5]]);
    const v = values(batches[0][0])[5];
    assert.ok(Math.abs(v - (5 / 255 - 0.5) / 0.5) < 1e-6);
    // DatasetFolder's default loader travels to the workers too
    for (const [i, cls] of ['a', 'a', 'b', 'b'].entries()) {
      mkdirSync(join(dir, 'tree', cls), { recursive: true });
      writeFileSync(join(dir, 'tree', cls, `${i}.png`), rgbPng(3, 2, 10 * i));
    }
    const folder = new D.DatasetFolder(join(dir, 'tree'), { transform: new T.ToTensor() });
    const fb = [...new paddle.io.DataLoader(folder, { batch_size: 2, num_workers: 2 })] as paddle.Tensor[][];
    assert.deepEqual(fb.map((b) => [b[0].shape, b[1].tolist()]), [[[2, 3, 2, 3], [0, 0]], [[2, 3, 2, 3], [1, 1]]]);
    assert.ok(Math.abs(values(fb[1][0])[6 * 3] - 30 / 255) < 1e-6); // sample 3, channel R, pixel (0, 0)
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('downloading into the cache: fetched over HTTP, md5-checked, then read', async () => {
  // The server runs in a worker thread: the dataset's download blocks this thread while it waits.
  const { Worker } = await import('node:worker_threads');
  const dir = tmp('serve');
  const img = gzipSync(idxImages(Uint8Array.from({ length: 3 * 4 }, (_, i) => i * 20), 3, 2, 2));
  const lab = gzipSync(idxLabels([2, 0, 1]));
  writeFileSync(join(dir, 'imgs.gz'), img);
  writeFileSync(join(dir, 'labs.gz'), lab);
  const server = new Worker(`
    const http = require('node:http'), fs = require('node:fs'), path = require('node:path');
    const { parentPort, workerData } = require('node:worker_threads');
    let hits = 0;
    const srv = http.createServer((req, res) => {
      hits++;
      const f = path.join(workerData, path.basename(req.url));
      if (!fs.existsSync(f)) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(fs.readFileSync(f));
    });
    srv.listen(0, '127.0.0.1', () => parentPort.postMessage(srv.address().port));
    parentPort.on('message', (m) => { if (m === 'hits') parentPort.postMessage({ hits }); else srv.close(() => process.exit(0)); });
  `, { eval: true, workerData: dir });
  try {
    const port = await new Promise<number>((resolve) => server.once('message', resolve));
    const base = `http://127.0.0.1:${port}/`;
    withHome((home) => {
      class Served extends D.MNIST {
        static override NAME = 'served';
        static override TRAIN_IMAGE_URL = base + 'imgs.gz';
        static override TRAIN_IMAGE_MD5 = md5(img);
        static override TRAIN_LABEL_URL = base + 'labs.gz';
        static override TRAIN_LABEL_MD5 = md5(lab);
      }
      const ds = new Served();
      const cache = join(home, '.cache', 'paddle', 'dataset', 'served');
      assert.equal(ds.image_path, join(cache, 'imgs.gz'));
      assert.deepEqual(readFileSync(join(cache, 'labs.gz')), Buffer.from(lab));
      assert.deepEqual(ds.__getitem__(0)[1].tolist(), [2]);
      assert.deepEqual(values(ds.__getitem__(2)[0] as paddle.Tensor), [160, 180, 200, 220]);
      // a second construction uses the cached files
      assert.equal(new Served().__len__(), 3);
      // a download whose md5 is not the expected one is refused (after Paddle's 3 attempts)
      class BadMd5 extends Served {
        static override NAME = 'bad';
        static override TRAIN_IMAGE_MD5 = '0123456789abcdef0123456789abcdef';
      }
      assertThrows(() => new BadMd5(), errors.UnavailableError, /the downloaded file has md5 [0-9a-f]{32}, expected 0123456789abcdef0123456789abcdef/, /bad\/imgs\.gz/);
      // a missing file on the server
      class Missing extends Served {
        static override NAME = 'missing';
        static override TRAIN_IMAGE_URL = base + 'nothing.gz';
      }
      assertThrows(() => new Missing(), errors.NotFoundError, /cannot download http:\/\/127\.0\.0\.1:\d+\/nothing\.gz \(the server answered HTTP 404\)/);
    });
    server.postMessage('hits');
    const { hits } = await new Promise<{ hits: number }>((resolve) => server.once('message', resolve));
    // 2 downloads, then 3 attempts with the bad md5, 3 for the missing file
    assert.equal(hits, 8);
  } finally {
    server.postMessage('stop');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});
