// Non-maximum suppression operators of Paddle 2.0 (paddle/fluid/operators/detection/
// multiclass_nms_op.cc, matrix_nms_op.cc, locality_aware_nms_op.cc,
// retinanet_detection_output_op.cc):
//   multiclass_nms   BBoxes, Scores -> Out                          (LoD: one segment per image)
//   multiclass_nms2  BBoxes, Scores -> Out, Index
//   multiclass_nms3  BBoxes, Scores, RoisNum? -> Out, Index, NmsRoisNum?
//   matrix_nms       BBoxes, Scores -> Out, Index, RoisNum?
//   locality_aware_nms          BBoxes, Scores -> Out
//   retinanet_detection_output  BBoxes[], Scores[], Anchors[], ImInfo -> Out
// Out rows are [label, score, box...]. Scores are [N, C, M] with BBoxes [N, M, box] (box = 4
// coordinates, or 8/16/24/32 for polygons), or (multiclass_nms*) [M, C] with BBoxes [M, C, 4]
// and a LoD (or RoisNum) splitting the rows per image. No gradient.
import type { Attrs, Slots } from '../../core/registry.js';
import { showShape } from '../../core/shape.js';
import type { Meta } from '../../core/tensor.js';
import { bool, defineOp, float, int, opFail } from '../util.js';
import { F32_64, atLeast1, input, lodMeta, rank, sameDim } from './common.js';

const POLY_SIZES = [4, 8, 16, 24, 32];

const nmsAttrs = () => ({
  background_label: int(0),
  score_threshold: float(),
  nms_top_k: int(),
  nms_threshold: float(0.3),
  nms_eta: float(1.0),
  keep_top_k: int(),
  normalized: bool(true),
});

/** Checks BBoxes / Scores of the multiclass NMS family; returns [rows of Out (static), box size]. */
function checkNmsInputs(ins: Slots<Meta>, op: string, allow2d: boolean, attrs: Attrs): [number, number, Meta] {
  const boxes = input(ins, 'BBoxes', op, F32_64);
  const scores = input(ins, 'Scores', op, F32_64);
  if (boxes.dtype !== scores.dtype) opFail(op, `inputs BBoxes and Scores must have the same dtype, but got ${boxes.dtype} and ${scores.dtype}`);
  const sr = scores.dims.length;
  if (sr !== 3 && !(allow2d && sr === 2)) opFail(op, `input Scores must be ${allow2d ? '2-D [M, C] or ' : ''}3-D [N, C, M], but got shape ${showShape(scores.dims)}`);
  rank(boxes, 3, op, 'BBoxes', sr === 3 ? '[N, M, 4]' : '[M, C, 4]');
  const bd = boxes.dims[2];
  if (sr === 3) {
    if (bd >= 0 && !POLY_SIZES.includes(bd))
      opFail(op, `the last dimension of BBoxes must be 4 ([xmin, ymin, xmax, ymax]) or 8, 16, 24, 32 (polygon points), but got shape ${showShape(boxes.dims)}`);
    sameDim(boxes.dims[1], scores.dims[2], op, `BBoxes ${showShape(boxes.dims)} must have as many boxes (dimension 1) as Scores ${showShape(scores.dims)} has (dimension 2)`);
    sameDim(boxes.dims[0], scores.dims[0], op, `BBoxes ${showShape(boxes.dims)} and Scores ${showShape(scores.dims)} must have the same batch size`);
  } else {
    if (bd >= 0 && bd !== 4) opFail(op, `with 2-D Scores, BBoxes must be [M, C, 4], but got shape ${showShape(boxes.dims)}`);
    sameDim(boxes.dims[0], scores.dims[0], op, `BBoxes ${showShape(boxes.dims)} and Scores ${showShape(scores.dims)} must have the same number of boxes`);
    sameDim(boxes.dims[1], scores.dims[1], op, `BBoxes ${showShape(boxes.dims)} and Scores ${showShape(scores.dims)} must have the same number of classes`);
  }
  const eta = attrs.nms_eta as number | undefined;
  if (eta !== undefined && !(eta > 0)) opFail(op, `attribute nms_eta must be greater than 0, but got ${eta}`);
  return [sr === 3 ? boxes.dims[1] : -1, bd < 0 ? -1 : bd + 2, boxes];
}

defineOp({
  type: 'multiclass_nms',
  inputs: ['BBoxes!', 'Scores!'],
  outputs: ['Out'],
  attrs: nmsAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const [rows, width, boxes] = checkNmsInputs(ins, 'multiclass_nms', true, attrs);
    return { Out: [lodMeta([rows, width], boxes.dtype, atLeast1(boxes))] };
  },
});

defineOp({
  type: 'multiclass_nms2',
  inputs: ['BBoxes!', 'Scores!'],
  outputs: ['Out', 'Index'],
  attrs: nmsAttrs(),
  shareLod: [],
  noGradOutputs: ['Index'],
  infer(ins, attrs) {
    const [rows, width, boxes] = checkNmsInputs(ins, 'multiclass_nms2', true, attrs);
    const l = atLeast1(boxes);
    return { Out: [lodMeta([rows, width], boxes.dtype, l)], Index: [lodMeta([rows, 1], 'int32', l)] };
  },
});

defineOp({
  type: 'multiclass_nms3',
  inputs: ['BBoxes!', 'Scores!', 'RoisNum?!'],
  outputs: ['Out', 'Index', 'NmsRoisNum?'],
  attrs: nmsAttrs(),
  shareLod: [],
  noGradOutputs: ['Index', 'NmsRoisNum'],
  infer(ins, attrs) {
    const op = 'multiclass_nms3';
    const [, width, boxes] = checkNmsInputs(ins, op, true, attrs);
    const rn = ins.RoisNum?.[0];
    if (rn) {
      if (rn.dtype !== 'int32') opFail(op, `input RoisNum must be int32, but got ${rn.dtype}`);
      rank(rn, 1, op, 'RoisNum', '[N]');
    }
    const l = atLeast1(boxes);
    return { Out: [lodMeta([-1, width], boxes.dtype, l)], Index: [lodMeta([-1, 1], 'int32', l)], NmsRoisNum: [{ dims: [-1], dtype: 'int32' }] };
  },
});

defineOp({
  type: 'matrix_nms',
  inputs: ['BBoxes!', 'Scores!'],
  outputs: ['Out', 'Index', 'RoisNum?'],
  attrs: {
    background_label: int(0),
    score_threshold: float(),
    post_threshold: float(0),
    nms_top_k: int(),
    keep_top_k: int(),
    normalized: bool(true),
    use_gaussian: bool(false),
    gaussian_sigma: float(2),
  },
  shareLod: [],
  noGradOutputs: ['Index', 'RoisNum'],
  infer(ins, attrs) {
    const op = 'matrix_nms';
    const [rows, , boxes] = checkNmsInputs(ins, op, false, attrs);
    if (boxes.dims[2] >= 0 && boxes.dims[2] !== 4) opFail(op, `the last dimension of BBoxes must be 4, but got shape ${showShape(boxes.dims)}`);
    const l = atLeast1(boxes);
    return { Out: [lodMeta([rows, 6], boxes.dtype, l)], Index: [lodMeta([rows, 1], 'int32', l)], RoisNum: [{ dims: [-1], dtype: 'int32' }] };
  },
});

defineOp({
  type: 'locality_aware_nms',
  inputs: ['BBoxes!', 'Scores!'],
  outputs: ['Out'],
  attrs: { ...nmsAttrs(), background_label: int(-1) },
  shareLod: [],
  infer(ins, attrs) {
    const [rows, width, boxes] = checkNmsInputs(ins, 'locality_aware_nms', false, attrs);
    return { Out: [{ dims: [rows, width], dtype: boxes.dtype }] };
  },
});

defineOp({
  type: 'retinanet_detection_output',
  inputs: ['BBoxes[]!', 'Scores[]!', 'Anchors[]!', 'ImInfo!'],
  outputs: ['Out'],
  attrs: {
    score_threshold: float(),
    nms_top_k: int(),
    nms_threshold: float(),
    nms_eta: float(),
    keep_top_k: int(),
  },
  shareLod: [],
  infer(ins) {
    const op = 'retinanet_detection_output';
    const bs = ins.BBoxes ?? [];
    const ss = ins.Scores ?? [];
    const as = ins.Anchors ?? [];
    if (!bs.length || !ss.length || !as.length) opFail(op, 'inputs BBoxes, Scores and Anchors must each hold at least one level');
    if (bs.length !== ss.length || bs.length !== as.length)
      opFail(op, `inputs BBoxes, Scores and Anchors must hold the same number of levels, but got ${bs.length}, ${ss.length} and ${as.length}`);
    const info = input(ins, 'ImInfo', op, F32_64);
    rank(info, 2, op, 'ImInfo', '[N, 3]');
    for (let l = 0; l < bs.length; l++) {
      const b = bs[l];
      const s = ss[l];
      const a = as[l];
      for (const [m, name] of [[b, 'BBoxes'], [s, 'Scores'], [a, 'Anchors']] as [Meta, string][])
        if (!F32_64.includes(m.dtype)) opFail(op, `input ${name}[${l}] must be float32 or float64, but got ${m.dtype}`);
      rank(b, 3, op, `BBoxes[${l}]`, '[N, M, 4]');
      rank(s, 3, op, `Scores[${l}]`, '[N, M, C]');
      rank(a, 2, op, `Anchors[${l}]`, '[M, 4]');
      if (b.dims[2] >= 0 && b.dims[2] !== 4) opFail(op, `the last dimension of BBoxes[${l}] must be 4, but got ${showShape(b.dims)}`);
      sameDim(b.dims[1], s.dims[1], op, `BBoxes[${l}] ${showShape(b.dims)} and Scores[${l}] ${showShape(s.dims)} must have the same number of boxes`);
      sameDim(a.dims[0], b.dims[1], op, `Anchors[${l}] ${showShape(a.dims)} must have one anchor per box of BBoxes[${l}] ${showShape(b.dims)}`);
    }
    return { Out: [{ dims: [-1, 6], dtype: ss[0].dtype }] };
  },
});
