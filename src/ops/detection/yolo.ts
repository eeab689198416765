// YOLOv3 operators of Paddle 2.0 (paddle/fluid/operators/detection/yolo_box_op.cc,
// yolov3_loss_op.cc):
//   yolo_box     X, ImgSize -> Boxes [N, A*H*W, 4], Scores [N, A*H*W, class_num]
//   yolov3_loss  X, GTBox, GTLabel, GTScore? -> Loss [N], ObjectnessMask, GTMatchMask
// X is the head output [N, A * (5 + class_num), H, W] (per anchor: tx, ty, tw, th, objectness,
// class logits). yolov3_loss has Paddle's yolov3_loss_grad (gradient for X only).
import { run1 } from '../../core/dispatch.js';
import type { GradResult, Slots } from '../../core/registry.js';
import { showShape } from '../../core/shape.js';
import type { Meta } from '../../core/tensor.js';
import { bool, defineOp, float, int, ints, opFail } from '../util.js';
import { F32_64, INT32, dimIs, input, mulDims, rank, sameDim } from './common.js';

function checkAnchors(anchors: number[], op: string): number {
  if (!anchors.length) opFail(op, 'attribute anchors must not be empty');
  if (anchors.length % 2) opFail(op, `attribute anchors must hold (width, height) pairs, but has ${anchors.length} values`);
  return anchors.length / 2;
}

defineOp({
  type: 'yolo_box',
  inputs: ['X!', 'ImgSize!'],
  outputs: ['Boxes', 'Scores'],
  attrs: {
    class_num: int(),
    anchors: ints([]),
    downsample_ratio: int(32),
    conf_thresh: float(0.01),
    clip_bbox: bool(true),
    scale_x_y: float(1.0),
  },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'yolo_box';
    const x = input(ins, 'X', op, F32_64);
    const img = input(ins, 'ImgSize', op, INT32);
    rank(x, 4, op, 'X', '[N, A * (5 + class_num), H, W]');
    rank(img, 2, op, 'ImgSize', '[N, 2] (height, width)');
    dimIs(img, 1, 2, op, 'ImgSize');
    const an = checkAnchors(attrs.anchors as number[], op);
    const cls = attrs.class_num as number;
    if (!(cls > 0)) opFail(op, `attribute class_num must be greater than 0, but got ${cls}`);
    if (x.dims[1] >= 0 && x.dims[1] !== an * (5 + cls))
      opFail(op, `X (shape ${showShape(x.dims)}) must have anchor_number * (5 + class_num) = ${an} * ${5 + cls} = ${an * (5 + cls)} channels`);
    sameDim(img.dims[0], x.dims[0], op, `ImgSize (shape ${showShape(img.dims)}) must have one row per image of X (shape ${showShape(x.dims)})`);
    const boxNum = mulDims(x.dims[2], x.dims[3], an);
    return { Boxes: [{ dims: [x.dims[0], boxNum, 4], dtype: x.dtype }], Scores: [{ dims: [x.dims[0], boxNum, cls], dtype: x.dtype }] };
  },
});

const lossAttrs = () => ({
  class_num: int(),
  anchors: ints([]),
  anchor_mask: ints([]),
  downsample_ratio: int(32),
  ignore_thresh: float(0.7),
  use_label_smooth: bool(true),
  scale_x_y: float(1.0),
});

function checkLoss(ins: Slots<Meta>, attrs: Record<string, any>, op: string): Meta {
  const x = input(ins, 'X', op, F32_64);
  const box = input(ins, 'GTBox', op, F32_64);
  const label = input(ins, 'GTLabel', op, INT32);
  rank(x, 4, op, 'X', '[N, mask_num * (5 + class_num), H, W]');
  sameDim(x.dims[2], x.dims[3], op, `X must have H == W, but got shape ${showShape(x.dims)}`);
  const an = checkAnchors(attrs.anchors as number[], op);
  const mask = attrs.anchor_mask as number[];
  mask.forEach((m) => {
    if (!(m >= 0 && m < an)) opFail(op, `attribute anchor_mask values must index anchors (0..${an - 1}), but got ${m}`);
  });
  const cls = attrs.class_num as number;
  if (!(cls > 0)) opFail(op, `attribute class_num must be greater than 0, but got ${cls}`);
  if (x.dims[1] >= 0 && x.dims[1] !== mask.length * (5 + cls))
    opFail(op, `X (shape ${showShape(x.dims)}) must have len(anchor_mask) * (5 + class_num) = ${mask.length * (5 + cls)} channels`);
  rank(box, 3, op, 'GTBox', '[N, B, 4]');
  dimIs(box, 2, 4, op, 'GTBox');
  rank(label, 2, op, 'GTLabel', '[N, B]');
  sameDim(label.dims[0], box.dims[0], op, `GTLabel ${showShape(label.dims)} and GTBox ${showShape(box.dims)} must have the same batch size`);
  sameDim(label.dims[1], box.dims[1], op, `GTLabel ${showShape(label.dims)} and GTBox ${showShape(box.dims)} must have the same number of boxes`);
  const score = ins.GTScore?.[0];
  if (score) {
    if (!F32_64.includes(score.dtype)) opFail(op, `input GTScore must be float32 or float64, but got ${score.dtype}`);
    rank(score, 2, op, 'GTScore', '[N, B]');
    sameDim(score.dims[0], box.dims[0], op, `GTScore ${showShape(score.dims)} and GTBox ${showShape(box.dims)} must have the same batch size`);
    sameDim(score.dims[1], box.dims[1], op, `GTScore ${showShape(score.dims)} and GTBox ${showShape(box.dims)} must have the same number of boxes`);
  }
  return x;
}

defineOp({
  type: 'yolov3_loss',
  inputs: ['X', 'GTBox!', 'GTLabel!', 'GTScore?!'],
  outputs: ['Loss', 'ObjectnessMask', 'GTMatchMask'],
  attrs: lossAttrs(),
  noGradOutputs: ['ObjectnessMask', 'GTMatchMask'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'yolov3_loss';
    const x = checkLoss(ins, attrs, op);
    const box = ins.GTBox[0];
    const [n, , h, w] = x.dims;
    return {
      Loss: [{ dims: [n], dtype: x.dtype }],
      ObjectnessMask: [{ dims: [n, (attrs.anchor_mask as number[]).length, h, w], dtype: x.dtype }],
      GTMatchMask: [{ dims: [box.dims[0], box.dims[1]], dtype: 'int32' }],
    };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const ins: Slots<any> = {
      X: [ctx.input('X')], GTBox: [ctx.input('GTBox')], GTLabel: [ctx.input('GTLabel')],
      'Loss@GRAD': [ctx.outGrad('Loss')], ObjectnessMask: [ctx.output('ObjectnessMask')], GTMatchMask: [ctx.output('GTMatchMask')],
    };
    if (ctx.has('GTScore')) ins.GTScore = [ctx.input('GTScore')];
    return { X: [run1('yolov3_loss_grad', ins, { ...ctx.attrs }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'yolov3_loss_grad',
  inputs: ['X', 'GTBox', 'GTLabel', 'GTScore?', 'Loss@GRAD', 'ObjectnessMask', 'GTMatchMask'],
  outputs: ['X@GRAD'],
  attrs: lossAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const x = checkLoss(ins, attrs, 'yolov3_loss_grad');
    return { 'X@GRAD': [{ dims: x.dims.slice(), dtype: x.dtype }] };
  },
});
