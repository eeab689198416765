// paddle.vision.image_load / set_image_backend / get_image_backend: PNG and JPEG decoding into
// HWC uint8 Tensors. References: libjpeg-turbo's djpeg (the decoder inside cv2 and Pillow) for
// JPEG pixels, which must match exactly, and PNGs written in the test with pngjs (lossless).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import * as paddle from '../../src/index.js';
import { decodeImage } from '../../src/vision/image.js';
import { assertThrows } from '../helpers/assert.js';

const { image_load, set_image_backend, get_image_backend } = paddle.vision;
const { InvalidArgumentError, NotFoundError } = paddle.errors;
const MODELS = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'paddle-models');
const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-image-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function channelMeans(t: paddle.Tensor): number[] {
  const d = t.numpy() as Uint8Array;
  const s = [0, 0, 0];
  for (let i = 0; i < d.length; i++) s[i % 3] += d[i];
  return s.map((v) => v / (d.length / 3));
}
function pixel(t: paddle.Tensor, y: number, x: number): number[] {
  const [, w] = t.shape;
  return Array.from((t.numpy() as Uint8Array).subarray((y * w + x) * 3, (y * w + x) * 3 + 3));
}
function near(a: number[], e: number[], tol: number, msg = ''): void {
  assert.equal(a.length, e.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - e[i]) <= tol, `${msg} element ${i}: ${a[i]} vs ${e[i]} (tol ${tol})`);
}

test('image backend: pil by default, set/get, and bad names', () => {
  assert.equal(get_image_backend(), 'pil');
  set_image_backend('cv2');
  assert.equal(get_image_backend(), 'cv2');
  set_image_backend({ backend: 'pil' });
  assert.equal(get_image_backend(), 'pil');
  assertThrows(() => set_image_backend('opencv'), InvalidArgumentError, /set_image_backend/, /one of \['pil', 'cv2'\]/);
  assertThrows(() => image_load(join(MODELS, 'blazeface', 'test.jpg'), 'PIL'), InvalidArgumentError, /image_load/, /"PIL"/);
});

test('a JPEG named .png is recognised by its bytes (mnist infer_3.png), cv2 and pil', () => {
  const path = join(MODELS, 'mnist-mlp-fluid', 'infer_3.png');
  const bgr = image_load(path, 'cv2');
  const rgb = image_load(path, 'pil');
  assert.deepEqual(bgr.shape, [148, 152, 3]);
  assert.equal(bgr.dtype, 'uint8');
  assert.deepEqual(rgb.shape, [148, 152, 3]);
  // djpeg: channel means 45.4077 (a gray picture), pixels (74,76) = 190, corners 0
  near(channelMeans(rgb), [45.4077, 45.4077, 45.4077], 5e-5);
  assert.deepEqual(pixel(rgb, 74, 76), [190, 190, 190]);
  assert.deepEqual(pixel(bgr, 0, 0), [0, 0, 0]);
  assert.deepEqual(pixel(bgr, 147, 151), [0, 0, 0]);
  // the default backend (pil) is used when backend is omitted
  assert.deepEqual(image_load(path).numpy(), rgb.numpy());
});

test('blazeface test.jpg (4:2:0 colour) decodes to libjpeg-turbo\'s pixels', () => {
  const path = join(MODELS, 'blazeface', 'test.jpg');
  const rgb = image_load(path, 'pil');
  const bgr = image_load(path, 'cv2');
  assert.deepEqual(rgb.shape, [588, 1024, 3]);
  // djpeg's RGB channel means (4 decimals) and pixels
  near(channelMeans(rgb), [96.6926, 93.0362, 82.8027], 5e-5);
  assert.deepEqual(pixel(rgb, 0, 0), [94, 98, 39]);
  assert.deepEqual(pixel(rgb, 294, 512), [83, 96, 113]);
  assert.deepEqual(pixel(rgb, 587, 1023), [92, 108, 61]);
  assert.deepEqual(pixel(rgb, 196, 204), [67, 56, 64]);
  // cv2 gives the same pixels in BGR order
  assert.deepEqual(pixel(bgr, 196, 204), pixel(rgb, 196, 204).reverse());
  assert.deepEqual(bgr.getitem('...', '::-1').numpy(), rgb.numpy());
});

test('ocr 7.jpg (large) decodes with the right size and colours', () => {
  const img = image_load(join(MODELS, 'ocr-det-db-mv3', '7.jpg'), 'pil');
  assert.deepEqual(img.shape, [2130, 1200, 3]);
  near(channelMeans(img), [159.8143, 89.9119, 93.944], 5e-5);
  assert.deepEqual(pixel(img, 0, 0), [248, 249, 251]);
  assert.deepEqual(pixel(img, 710, 240), [157, 80, 86]);
  assert.deepEqual(pixel(img, 2129, 1199), [249, 255, 255]);
});
// Tiny JPEGs made with libjpeg-turbo's cjpeg (9x7 colour pattern; chroma 2x2, 2x1 progressive, 1x2;
// grayscale; 2x2 progressive with a restart marker after every block), and their pixels as
// libjpeg-turbo's djpeg decodes them (what cv2 and PIL get).
const TINY: Record<string, { b64: string; ref: number[] }> = {
  h2v2: {
    b64: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAHAAkDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDD+E37INnDFHI8UIRBuY5HAFew/wDDN2kf8+rfkn/xVFFfA8deIOecLVMNQy2UUpxbd43d727j8M+LM4r5PedZ6W/I/9k=',
    ref: [0, 0, 42, 20, 8, 54, 50, 7, 63, 76, 5, 73, 102, 10, 95, 128, 8, 114, 154, 4, 137, 184, 7, 157, 206, 11, 167, 7, 30, 62, 29, 37, 74, 61, 35, 83, 86, 34, 98, 114, 39, 121, 139, 37, 139, 166, 33, 160, 195, 36, 178, 219, 39, 188, 8, 68, 79, 26, 71, 90, 59, 69, 105, 88, 71, 125, 114, 73, 149, 138, 71, 168, 167, 68, 185, 197, 72, 200, 220, 75, 206, 6, 106, 98, 26, 107, 110, 58, 106, 128, 88, 107, 149, 112, 107, 171, 137, 106, 186, 170, 107, 198, 198, 111, 205, 222, 113, 204, 2, 140, 114, 21, 142, 127, 56, 143, 150, 84, 144, 170, 106, 140, 185, 134, 141, 195, 169, 147, 196, 197, 151, 190, 226, 158, 183, 9, 176, 132, 27, 178, 145, 62, 180, 168, 90, 179, 185, 110, 176, 198, 143, 181, 200, 175, 186, 188, 197, 185, 163, 201, 167, 121, 18, 207, 143, 36, 209, 156, 70, 209, 178, 98, 209, 193, 122, 209, 201, 155, 218, 199, 185, 219, 168, 195, 208, 120, 217, 209, 84],
  },
  h2v1prog: {
    b64: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCAAHAAkDASEAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABAb/xAAVAQEBAAAAAAAAAAAAAAAAAAADBf/aAAwDAQACEAMQAAABDYLY/8QAGhAAAQUBAAAAAAAAAAAAAAAAAQACAwUGFv/aAAgBAQABBQKpyDAObiX/xAAaEQABBQEAAAAAAAAAAAAAAAADAAEEBQYh/9oACAEDAQE/Ac5fEJE46//EABwRAAEDBQAAAAAAAAAAAAAAAAEAAgQDBQZR4f/aAAgBAgEBPwGXkka0Bja4JLtdIX//xAAXEAEBAQEAAAAAAAAAAAAAAAABABEy/9oACAEBAAY/Ahwub//EABoQAAICAwAAAAAAAAAAAAAAAAABESFhodH/2gAIAQEAAT8haiFWzL10/9oADAMBAAIAAwAAABBv/8QAGBEAAgMAAAAAAAAAAAAAAAAAAVEAETH/2gAIAQMBAT8QAThTU//EABgRAQEBAQEAAAAAAAAAAAAAAAERITFB/9oACAECAQE/ED6QpIwIb6LkvGzL/8QAGBABAAMBAAAAAAAAAAAAAAAAAQARIfH/2gAIAQEAAT8QImOyzAnMl//Z',
    ref: [6, 0, 35, 31, 2, 58, 62, 0, 81, 89, 0, 98, 116, 0, 111, 142, 0, 123, 166, 0, 138, 196, 1, 157, 217, 5, 167, 5, 34, 50, 28, 39, 69, 59, 34, 89, 86, 32, 107, 113, 40, 121, 138, 38, 136, 164, 35, 153, 194, 38, 173, 215, 41, 188, 10, 65, 85, 31, 68, 97, 62, 66, 114, 92, 67, 132, 116, 73, 145, 141, 70, 162, 170, 67, 182, 200, 70, 204, 221, 71, 218, 2, 108, 94, 21, 110, 104, 52, 110, 121, 82, 112, 138, 105, 114, 155, 130, 112, 172, 163, 111, 194, 191, 113, 215, 215, 111, 232, 2, 142, 105, 20, 144, 116, 55, 147, 134, 83, 148, 154, 101, 145, 170, 130, 145, 186, 165, 148, 202, 194, 147, 219, 223, 147, 247, 14, 172, 137, 32, 174, 148, 67, 176, 170, 94, 176, 187, 114, 174, 198, 145, 176, 220, 179, 174, 238, 203, 178, 181, 207, 181, 36, 10, 212, 139, 28, 214, 153, 62, 214, 176, 88, 214, 192, 110, 215, 201, 145, 223, 199, 175, 224, 168, 190, 212, 112, 212, 216, 59],
  },
  h1v2: {
    b64: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAHAAkDARIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDD+E37INnDFHI8UIRBuY5HAFFenis5xWWZVisdRs50qc5pO9rxi2r2adrrWzXqfkfAPGedzqU4us9Wj2H/AIZu0j/n1b8k/wDiqK/l3/iNXF3/AD8h/wCAL/M/rr/WbNf+fzP/2Q==',
    ref: [0, 2, 35, 20, 9, 49, 41, 9, 72, 70, 4, 91, 109, 5, 102, 126, 7, 123, 148, 8, 133, 189, 1, 174, 212, 7, 174, 6, 32, 57, 31, 37, 71, 52, 38, 89, 82, 34, 108, 121, 34, 128, 138, 36, 145, 160, 37, 151, 201, 32, 185, 225, 35, 193, 5, 70, 76, 26, 71, 90, 49, 76, 97, 83, 73, 125, 119, 70, 151, 137, 73, 160, 161, 75, 162, 204, 72, 182, 227, 70, 211, 5, 107, 96, 26, 107, 111, 49, 113, 115, 84, 110, 143, 117, 105, 169, 135, 108, 175, 164, 111, 191, 205, 108, 201, 230, 110, 199, 0, 143, 112, 21, 141, 131, 48, 150, 136, 80, 147, 166, 111, 140, 174, 131, 145, 184, 162, 143, 233, 204, 138, 235, 234, 158, 162, 5, 179, 130, 28, 177, 148, 55, 185, 157, 86, 181, 185, 117, 175, 189, 140, 181, 209, 169, 176, 254, 206, 175, 193, 213, 167, 90, 13, 209, 143, 36, 207, 162, 63, 214, 173, 94, 210, 197, 126, 206, 203, 152, 212, 238, 179, 207, 247, 202, 213, 72, 229, 209, 52],
  },
  gray: {
    b64: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/wAALCAAHAAkBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/APL/ANgD/mG/8Br9UK//2Q==',
    ref: [0, 28, 57, 83, 113, 139, 168, 196, 224, 0, 28, 57, 83, 113, 139, 168, 196, 224, 0, 28, 57, 83, 113, 139, 168, 196, 224, 0, 28, 57, 83, 113, 139, 168, 196, 224, 0, 28, 57, 83, 113, 139, 168, 196, 224, 0, 28, 57, 83, 113, 139, 168, 196, 224, 0, 28, 57, 83, 113, 139, 168, 196, 224],
  },
  progRestart: {
    b64: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wgARCAAHAAkDASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAMF/8QAFQEBAQAAAAAAAAAAAAAAAAAAAAT/3QAEAAH/2gAMAwEAAhADEAAAAYbBC//EABkQAAEFAAAAAAAAAAAAAAAAAAABAgQFFP/aAAgBAQABBQKJWIf/0MLT/8QAGREAAQUAAAAAAAAAAAAAAAAAAwABBAUx/9oACAEDAQE/AaqYZw6v/8QAGREAAgMBAAAAAAAAAAAAAAAAAQMAAgUE/9oACAECAQE/AdDSfymoXP/EABUQAQEAAAAAAAAAAAAAAAAAAAAx/9oACAEBAAY/An//0I//xAAVEAEBAAAAAAAAAAAAAAAAAAABAP/aAAgBAQABPyEIKF//0Lf/2gAMAwEAAgADAAAAEAv/xAAWEQADAAAAAAAAAAAAAAAAAAAAARH/2gAIAQMBAT8Qumf/xAAWEQEBAQAAAAAAAAAAAAAAAAABEQD/2gAIAQIBAT8QcMiK0u//xAAZEAEAAgMAAAAAAAAAAAAAAAABABFhodH/2gAIAQEAAT8QBBAtn//Qy9dn/9k=',
    ref: [3, 0, 62, 14, 3, 63, 38, 9, 65, 64, 13, 79, 95, 12, 102, 124, 11, 127, 153, 10, 154, 177, 9, 166, 201, 16, 172, 14, 26, 76, 27, 31, 78, 50, 37, 81, 75, 40, 96, 105, 37, 120, 133, 35, 144, 165, 35, 171, 189, 35, 183, 209, 39, 187, 17, 64, 84, 33, 71, 92, 56, 76, 100, 81, 77, 114, 108, 71, 140, 137, 70, 165, 170, 71, 190, 195, 71, 203, 221, 78, 206, 15, 97, 93, 31, 105, 104, 57, 112, 115, 80, 111, 131, 107, 105, 154, 138, 104, 178, 172, 107, 197, 197, 108, 202, 218, 113, 197, 10, 134, 110, 30, 143, 123, 56, 150, 136, 78, 148, 148, 108, 144, 170, 142, 145, 188, 174, 148, 195, 196, 149, 185, 221, 159, 170, 16, 172, 133, 35, 181, 145, 59, 186, 159, 84, 184, 172, 115, 182, 191, 150, 186, 200, 179, 186, 192, 197, 184, 165, 198, 172, 115, 19, 199, 152, 37, 206, 165, 61, 210, 178, 86, 207, 188, 118, 207, 203, 152, 212, 202, 177, 211, 178, 192, 205, 133, 210, 210, 86],
  },
};

test('chroma upsampling (2x2, 2x1, 1x2), progressive, restart and grayscale JPEGs match djpeg exactly', () => {
  for (const [name, { b64, ref }] of Object.entries(TINY)) {
    const path = join(dir, `${name}.jpg`);
    writeFileSync(path, Buffer.from(b64, 'base64'));
    const img = image_load(path, 'pil');
    assert.deepEqual(img.shape, [7, 9, 3], name);
    const got = Array.from(img.numpy() as Uint8Array);
    assert.deepEqual(got, name === 'gray' ? ref.flatMap((v) => [v, v, v]) : ref, name);
  }
  // a file without its EOI marker still decodes (libjpeg only warns)
  const noEoi = join(dir, 'noeoi.jpg');
  const whole = Buffer.from(TINY.h2v2.b64, 'base64');
  writeFileSync(noEoi, whole.subarray(0, whole.length - 2));
  assert.deepEqual(Array.from(image_load(noEoi, 'pil').numpy() as Uint8Array), TINY.h2v2.ref);
});

function writePng(name: string, width: number, height: number, data: ArrayLike<number>, opts: { colorType: number; bitDepth?: number }): string {
  const path = join(dir, name);
  const png = { width, height, data: opts.bitDepth === 16 ? Uint16Array.from(data) : Buffer.from(Uint8Array.from(data)) };
  writeFileSync(path, pngjs.PNG.sync.write(png as never, { colorType: opts.colorType as 0 | 2 | 4 | 6, bitDepth: (opts.bitDepth ?? 8) as 8, inputHasAlpha: true }));
  return path;
}

test('PNG: RGB, gray, gray+alpha and RGBA (alpha dropped, not composited)', () => {
  const opaque = [10, 20, 30, 255, 200, 100, 0, 255, 1, 2, 3, 255, 255, 255, 255, 255];
  const rgbPath = writePng('rgb.png', 2, 2, opaque, { colorType: 2 });
  assert.deepEqual(image_load(rgbPath, 'pil').tolist(), [[[10, 20, 30], [200, 100, 0]], [[1, 2, 3], [255, 255, 255]]]);
  assert.deepEqual(image_load(rgbPath, 'cv2').tolist(), [[[30, 20, 10], [0, 100, 200]], [[3, 2, 1], [255, 255, 255]]]);
  const rgbaPath = writePng('rgba.png', 2, 2, [10, 20, 30, 255, 200, 100, 0, 0, 1, 2, 3, 128, 255, 255, 255, 7], { colorType: 6 });
  assert.deepEqual(image_load(rgbaPath, 'pil').tolist(), [[[10, 20, 30], [200, 100, 0]], [[1, 2, 3], [255, 255, 255]]]);
  // gray: 3 channels of the same value, for both backends
  const grayPath = writePng('gray.png', 3, 1, [5, 5, 5, 255, 128, 128, 128, 255, 250, 250, 250, 255], { colorType: 0 });
  assert.deepEqual(image_load(grayPath, 'cv2').tolist(), [[[5, 5, 5], [128, 128, 128], [250, 250, 250]]]);
  const gaPath = writePng('ga.png', 2, 1, [9, 9, 9, 0, 77, 77, 77, 3], { colorType: 4 });
  assert.deepEqual(image_load(gaPath, 'pil').tolist(), [[[9, 9, 9], [77, 77, 77]]]);
});

test('PNG: 16-bit samples keep their high byte', () => {
  const p16 = writePng('rgb16.png', 2, 1, [0x1234, 0xff00, 0x80ff, 0xffff, 0x00ff, 0x0100, 0xabcd, 0xffff], { colorType: 2, bitDepth: 16 });
  assert.deepEqual(image_load(p16, 'pil').tolist(), [[[0x12, 0xff, 0x80], [0x00, 0x01, 0xab]]]);
  const g16 = writePng('gray16.png', 2, 1, [0xfe80, 0xfe80, 0xfe80, 0xffff, 0x0101, 0x0101, 0x0101, 0xffff], { colorType: 0, bitDepth: 16 });
  assert.deepEqual(image_load(g16, 'cv2').tolist(), [[[0xfe, 0xfe, 0xfe], [1, 1, 1]]]);
});

test('JPEG EXIF orientation: cv2 applies it, pil does not', () => {
  // 16x8: left half red, right half blue
  const w = 16, h = 8;
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(x < 8 ? [255, 0, 0, 255] : [0, 0, 255, 255], (y * w + x) * 4);
  const body = jpeg.encode({ width: w, height: h, data }, 95).data;
  // APP1 "Exif" with a big-endian TIFF IFD holding Orientation = 6 (rotate 90 degrees clockwise)
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
  const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const app1 = [0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 255, ...payload];
  const path = join(dir, 'exif.jpg');
  writeFileSync(path, Buffer.concat([Buffer.from(body.subarray(0, 2)), Buffer.from(app1), Buffer.from(body.subarray(2))]));
  const pil = image_load(path, 'pil');
  assert.deepEqual(pil.shape, [8, 16, 3]);
  const cv = image_load(path, 'cv2');
  assert.deepEqual(cv.shape, [16, 8, 3]);
  // the left (red) half is now on top; BGR order
  near(pixel(cv, 2, 4), [0, 0, 255], 12, 'top');
  near(pixel(cv, 13, 4), [255, 0, 0], 12, 'bottom');
});

test('image_load errors: missing file, directory, unknown format, corrupt data', () => {
  assertThrows(() => image_load(join(dir, 'nope.jpg')), NotFoundError, /image_load/, /No such file/);
  const sub = join(dir, 'sub.png');
  mkdirSync(sub);
  assertThrows(() => image_load(sub), InvalidArgumentError, /is a directory/);
  const txt = join(dir, 'text.jpg');
  writeFileSync(txt, 'hello, not an image');
  assertThrows(() => image_load(txt), InvalidArgumentError, /cannot identify image file/);
  const badJpeg = join(dir, 'bad.jpg');
  writeFileSync(badJpeg, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 1, 2, 0xff, 0xd9]));
  assertThrows(() => image_load(badJpeg), InvalidArgumentError, /cannot decode JPEG/);
  const good = Buffer.from(TINY.h2v2.b64, 'base64');
  const cut = join(dir, 'cut.jpg');
  writeFileSync(cut, good.subarray(0, 200));
  assertThrows(() => image_load(cut), InvalidArgumentError, /cannot decode JPEG/);
  const png = pngjs.PNG.sync.write({ width: 1, height: 1, data: Buffer.from([1, 2, 3, 255]) } as never);
  const truncated = join(dir, 'truncated.png');
  writeFileSync(truncated, png.subarray(0, png.length - 20));
  assertThrows(() => image_load(truncated), InvalidArgumentError, /cannot decode PNG/);
  assertThrows(() => image_load(42 as never), InvalidArgumentError, /argument 'path'/);
  assertThrows(() => decodeImage(new Uint8Array([1, 2, 3]), 'api', 'x'), InvalidArgumentError, /cannot identify/);
});

test('a loaded image goes through a transform pipeline', () => {
  const T = paddle.vision.transforms;
  const img = image_load(join(MODELS, 'blazeface', 'test.jpg'), 'cv2');
  const pipe = new T.Compose([new T.Resize(128), new T.CenterCrop(128), new T.ToTensor(), new T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])]);
  const out = pipe(img) as paddle.Tensor;
  assert.deepEqual(out.shape, [3, 128, 128]);
  assert.equal(out.dtype, 'float32');
  const v = out.numpy() as Float32Array;
  assert.ok(v.every((x) => x >= -1 && x <= 1));
});
