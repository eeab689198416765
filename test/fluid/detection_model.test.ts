// Detection models end to end: a YOLOv3-style head (conv -> yolo_box -> multiclass_nms) built in
// static mode, saved as .pdmodel / .pdiparams and loaded back; and two detectors exported by
// Paddle itself (../shared/paddle-models): PP-YOLO tiny (yolo_box x3 + multiclass_nms3, Paddle
// 2.4) and BlazeFace (prior_box + box_coder + multiclass_nms, fluid 1.x), run on real pictures.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { disabledBackends } from '../../src/core/registry.js';
import { decodeProgram } from '../../src/static/serialize.js';
import { readFileSync } from 'node:fs';

const L = paddle.fluid.layers;
const models = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'paddle-models');
const lodOf = (t: Tensor): number[][] => {
  const l = t.lod as unknown;
  return typeof l === 'function' ? (l as () => number[][])() : (l as number[][]);
};

/** Runs fn with the portable kernels only (the detection kernels are js anyway). */
function jsOnly<R>(fn: () => R): R {
  const had = disabledBackends.has('native');
  disabledBackends.add('native');
  try {
    return fn();
  } finally {
    if (!had) disabledBackends.delete('native');
  }
}

test('a YOLOv3-style head in static mode: conv -> yolo_box -> multiclass_nms, saved and loaded back with identical boxes', () => {
  paddle.seed(2021);
  const image = paddle.rand([2, 3, 32, 32]);
  const imSize = paddle.to_tensor([[32, 32], [64, 48]], { dtype: 'int32' });
  const dir = mkdtempSync(join(tmpdir(), 'paddle-ts-yolo-'));
  paddle.enable_static();
  try {
    const main = new paddle.static.Program();
    const startup = new paddle.static.Program();
    const exe = new paddle.static.Executor(new paddle.CPUPlace());
    const { feeds, out } = paddle.static.program_guard(main, startup, () => {
      const img = paddle.static.data('image', [-1, 3, 32, 32], 'float32');
      const size = paddle.static.data('im_size', [-1, 2], 'int32');
      // 2 anchors x (5 + 3 classes) channels on a 4 x 4 grid (stride 8)
      const conv = new paddle.nn.Conv2D(3, 16, 3, { stride: 8, padding: 1 });
      const head = conv(img);
      const [boxes, scores] = L.yolo_box(head, size, [10, 13, 16, 30], 3, 0.01, 8);
      const nms = L.multiclass_nms(boxes, paddle.transpose(scores, [0, 2, 1]), 0.01, 100, 20, 0.45, false, 1.0, -1);
      return { feeds: [img, size], out: nms };
    });
    assert.deepEqual(main.global_block().ops.map((o) => o.type).filter((t) => !t.startsWith('elementwise')), ['conv2d', 'yolo_box', 'transpose2', 'multiclass_nms']);
    exe.run(startup);
    const [before] = exe.run(main, { feed: { image, im_size: imSize }, fetch_list: [out], return_numpy: false });
    const rows = before.tolist() as number[][];
    assert.ok(rows.length > 0 && rows[0].length === 6, 'the head detects something');
    const lod = lodOf(before);
    assert.equal(lod[0].length, 3);
    // boxes lie in their image (clip_bbox), scores in [0, 1], labels < 3
    rows.forEach((r, i) => {
      const img = i < lod[0][1] ? 0 : 1;
      const [h, w] = img === 0 ? [32, 32] : [64, 48];
      assert.ok(r[0] >= 0 && r[0] < 3 && r[1] > 0 && r[1] <= 1, `row ${i}: ${r}`);
      assert.ok(r[2] >= 0 && r[3] >= 0 && r[4] <= w - 1 && r[5] <= h - 1 && r[2] <= r[4] && r[3] <= r[5], `row ${i}: ${r}`);
    });

    const prefix = join(dir, 'yolo_head');
    paddle.static.save_inference_model(prefix, feeds, [out], exe, { program: main });
    assert.ok(existsSync(`${prefix}.pdmodel`) && existsSync(`${prefix}.pdiparams`));
    const saved = decodeProgram(readFileSync(`${prefix}.pdmodel`));
    const yolo = saved.global_block().ops.find((o) => o.type === 'yolo_box')!;
    assert.deepEqual(yolo.attr('anchors'), [10, 13, 16, 30]);
    assert.equal(yolo.attr('class_num'), 3);
    const nmsOp = saved.global_block().ops.find((o) => o.type === 'multiclass_nms')!;
    assert.equal(nmsOp.attr('normalized'), false);
    assert.equal(nmsOp.attr('keep_top_k'), 20);

    const after = paddle.static.scope_guard(new paddle.static.Scope(), () => {
      const [prog, feedNames, fetches] = paddle.static.load_inference_model(prefix, exe);
      assert.deepEqual(feedNames, ['image', 'im_size']);
      return exe.run(prog, { feed: { image, im_size: imSize }, fetch_list: fetches, return_numpy: false })[0];
    });
    assert.deepEqual(after.tolist(), rows);
    assert.deepEqual(lodOf(after), lod);
  } finally {
    paddle.disable_static();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** ImageNet-normalized CHW float32 of a picture resized to size x size. */
function preprocess(path: string, size: number): Tensor {
  const T = paddle.vision.transforms;
  const img = paddle.vision.image_load(path) as Tensor;
  let x = new T.Resize([size, size])(img) as Tensor;
  x = new T.ToTensor()(x) as Tensor;
  x = new T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])(x) as Tensor;
  return x.unsqueeze(0);
}

test('PP-YOLO tiny (Paddle 2.4 export: yolo_box, multiclass_nms3): sane detections, a batch equals its images', () => {
  const photo = preprocess(join(models, 'blazeface', 'test.jpg'), 320);
  paddle.seed(3);
  const noise = paddle.randn([1, 3, 320, 320]);
  const batch = paddle.concat([photo, noise]);
  paddle.enable_static();
  try {
    jsOnly(() => paddle.static.scope_guard(new paddle.static.Scope(), () => {
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      const [prog, feeds, fetches] = paddle.static.load_inference_model(join(models, 'ppyolo-tiny-trash', 'model', 'model'), exe);
      assert.deepEqual(feeds, ['im_shape', 'image', 'scale_factor']);
      const run = (image: Tensor) => {
        const n = image.shape[0];
        return exe.run(prog, {
          feed: { image, im_shape: paddle.to_tensor(new Array(n).fill([320, 320]), { dtype: 'float32' }), scale_factor: paddle.to_tensor(new Array(n).fill([1, 1]), { dtype: 'float32' }) },
          fetch_list: [...fetches, 'yolo_box_0.tmp_0', 'yolo_box_0.tmp_1'],
          return_numpy: false,
        });
      };
      const [out, num, boxes, scores] = run(batch);
      const rows = out.tolist() as number[][];
      const counts = num.tolist() as number[];
      assert.equal(num.dtype, 'int32');
      assert.deepEqual(lodOf(out), [[0, counts[0], counts[0] + counts[1]]]);
      assert.equal(rows.length, counts[0] + counts[1]);
      assert.ok(rows.length > 0);
      for (const r of rows) {
        assert.ok(Number.isInteger(r[0]) && r[0] >= 0 && r[0] < 13, `label ${r[0]}`);
        assert.ok(r[1] >= 0.005 && r[1] <= 1, `score ${r[1]}`);
        assert.ok(r[2] >= 0 && r[3] >= 0 && r[4] <= 319 && r[5] <= 319 && r[2] <= r[4] && r[3] <= r[5], `box ${r}`);
      }
      // yolo_box of the stride-32 head: [N, 3 * 10 * 10, 4] boxes in the image, scores in [0, 1]
      assert.deepEqual(boxes.dims, [2, 300, 4]);
      assert.deepEqual(scores.dims, [2, 300, 13]);
      const b = boxes.numpy() as Float32Array;
      const s = scores.numpy() as Float32Array;
      assert.ok(b.every((v) => v >= 0 && v <= 319));
      assert.ok(s.every((v) => v >= 0 && v <= 1));
      // each image alone gives its part of the batch's detections
      const [one] = run(photo);
      assert.deepEqual(one.tolist(), rows.slice(0, counts[0]));
      const [two] = run(noise);
      assert.deepEqual(two.tolist(), rows.slice(counts[0]));
    }));
  } finally {
    paddle.disable_static();
  }
});

test('BlazeFace (fluid export: prior_box, box_coder, multiclass_nms) finds the faces of test.jpg', () => {
  // PaddleDetection's BlazeFace input: BGR-mean subtracted pixels times 0.007843, any size
  const img = paddle.vision.image_load(join(models, 'blazeface', 'test.jpg')) as Tensor;
  const [h, w] = img.shape;
  const x = img.astype('float32').transpose([2, 0, 1]).subtract(paddle.to_tensor([123, 117, 104], { dtype: 'float32' }).reshape([3, 1, 1])).scale(0.007843).unsqueeze(0);
  paddle.enable_static();
  try {
    jsOnly(() => paddle.static.scope_guard(new paddle.static.Scope(), () => {
      const exe = new paddle.static.Executor(new paddle.CPUPlace());
      const [prog, feeds, fetches] = paddle.static.load_inference_model(join(models, 'blazeface', 'model'), exe);
      assert.deepEqual(feeds, ['image']);
      const [out] = exe.run(prog, { feed: { image: x }, fetch_list: fetches, return_numpy: false });
      const rows = out.tolist() as number[][];
      // keep_top_k 750 of this export; one image
      assert.equal(rows.length, 750);
      assert.deepEqual(lodOf(out), [[0, 750]]);
      const faces = rows.filter((r) => r[1] > 0.5);
      // the picture is a group photo of 21 people (3 rows); every face is found with a high
      // score, each box face-sized and distinct
      assert.equal(faces.length, 21);
      for (const r of faces) {
        assert.equal(r[0], 1);
        const bw = (r[4] - r[2]) * w;
        const bh = (r[5] - r[3]) * h;
        assert.ok(bw > 20 && bw < 60 && bh > 20 && bh < 60, `face box ${r}`);
      }
      const centres = faces.map((r) => [((r[2] + r[4]) / 2) * w, ((r[3] + r[5]) / 2) * h]);
      for (let i = 0; i < centres.length; i++)
        for (let j = 0; j < i; j++) assert.ok(Math.hypot(centres[i][0] - centres[j][0], centres[i][1] - centres[j][1]) > 20);
      assert.ok(faces.every((r) => r[1] > 0.9));
    }));
  } finally {
    paddle.disable_static();
  }
});
