// paddle.fluid.layers detection functions (Paddle 2.0's python/paddle/fluid/layers/detection.py,
// and roi_pool / roi_align / psroi_pool / prroi_pool / deformable_roi_pooling of layers/nn.py):
// fluid signatures and defaults, appending the operators of src/ops/detection. Ground truth and
// RoIs are LoD tensors (one segment per image): in static mode Variables declared with
// lod_level and fed fluid LoD tensors, in dygraph Tensors carrying a `lod` (e.g. from
// fluid.create_lod_tensor) or, where 2.0 has it, a rois_num Tensor.
import { defineApi, p, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import type { DType } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { badArg, describe, fail } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import { checkDtype, L, nameP } from './misc.js';
import { flatten, reduce_sum, reshape, smooth_l1 } from './nn.js';

const F32_64: readonly DType[] = ['float32', 'float64'];
const F32: readonly DType[] = ['float32'];

/** Outputs of an operator call, by slot (first value each). */
function call(type: string, ins: Record<string, Tensor[]>, attrs: Record<string, unknown>, slots: string[]): Tensor[] {
  const r = dispatch(type, ins, attrs);
  return slots.map((s) => r[s][0]);
}
/** Marks outputs as data that stops gradients (Python's `x.stop_gradient = True`). */
function stop<V extends Tensor>(...ts: V[]): void {
  for (const t of ts) t.stop_gradient = true;
}
/** Drops null / undefined attributes (Paddle's append_op ignores None, so the defaults apply). */
function attrsOf(o: Record<string, unknown>): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) r[k] = v;
  return r;
}

/** A number or a list of numbers, given as a list (Python's `if not list: [x]`). */
const floatList: Ty<number[], number | number[]> = {
  desc: 'a number or a list of numbers',
  parse(v, api, arg) {
    if (typeof v === 'number') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return (v as number[]).slice();
    return badArg(api, arg, 'a number or a list of numbers', v);
  },
};
/** A list of exactly `n` numbers. */
function pairOf(api: string, arg: string, v: number[] | null, what: string, n = 2): number[] {
  if (!Array.isArray(v) || v.length !== n) fail(api, `${arg} should be a list or tuple with length ${n}, (${what}), but got ${describe(v)}`);
  return v.slice();
}
const tensorList: Ty<Tensor[]> = T.tensors as Ty<Tensor[]>;

// =====================================================================================
// prior boxes and anchors

/**
 * SSD prior boxes for every position of `input`'s feature map (operator `prior_box`): per
 * position the boxes of min_sizes x aspect ratios (1 first, flip adds reciprocals) and
 * sqrt(min*max) squares, normalized to `image`'s size. Returns [boxes, variances], both
 * [H, W, num_priors, 4].
 * @param input the feature map [N, C, H, W]
 * @param image the input image [N, C, H_img, W_img] (only its shape is used)
 * @param min_sizes the minimum box sizes (a number or a list)
 * @param max_sizes the maximum box sizes (None: none)
 * @param aspect_ratios the aspect ratios
 * @param variance the variances written for every box
 * @param flip add the reciprocal of every aspect ratio
 * @param clip clip boxes to [0, 1]
 * @param steps [step_w, step_h] between centres; 0 means image size / feature size
 * @param offset the centre offset within a cell
 * @param min_max_aspect_ratios_order Caffe's order: min, max, then the ratios
 * @example const [box, var_] = fluid.layers.prior_box(feat, img, [100], [200], [1, 2], { flip: true })
 */
export const prior_box = defineApi(
  `${L}prior_box`,
  [
    p('input', T.tensor), p('image', T.tensor), p('min_sizes', floatList), p('max_sizes', T.nullable(floatList), null),
    p('aspect_ratios', floatList, [1.0]), p('variance', T.floats, [0.1, 0.1, 0.2, 0.2]), p('flip', T.bool, false), p('clip', T.bool, false),
    p('steps', T.floats, [0.0, 0.0]), p('offset', T.float, 0.5), nameP, p('min_max_aspect_ratios_order', T.bool, false),
  ],
  (a): [Tensor, Tensor] => {
    const api = `${L}prior_box`;
    checkDtype(api, 'input', a.input, ['uint8', 'int8', 'float32', 'float64']);
    const steps = pairOf(api, 'steps', a.steps, 'step_width, step_height');
    const attrs: Record<string, unknown> = {
      min_sizes: a.min_sizes, aspect_ratios: a.aspect_ratios, variances: a.variance, flip: a.flip, clip: a.clip,
      step_w: steps[0], step_h: steps[1], offset: a.offset, min_max_aspect_ratios_order: a.min_max_aspect_ratios_order,
    };
    if (a.max_sizes && a.max_sizes.length > 0 && a.max_sizes[0] > 0) attrs.max_sizes = a.max_sizes;
    const [box, v] = call('prior_box', { Input: [a.input], Image: [a.image] }, attrs, ['Boxes', 'Variances']);
    stop(box, v);
    return [box, v];
  },
);

/**
 * SSD density prior boxes (operator `density_prior_box`): per position, for every fixed size
 * and ratio, a densities[i] x densities[i] grid of boxes. Returns [boxes, variances] of
 * [H, W, num_priors, 4], or [H * W * num_priors, 4] with flatten_to_2d.
 * @param input the feature map [N, C, H, W]
 * @param image the input image (only its shape is used)
 * @param densities the grid density of each fixed size
 * @param fixed_sizes the box sizes
 * @param fixed_ratios the aspect ratios
 * @param variance the variances of every box
 * @param clip clip to [0, 1]
 * @param steps [step_w, step_h] (0: computed)
 * @param offset centre offset
 * @param flatten_to_2d return [num_boxes, 4]
 * @example const [box, var_] = fluid.layers.density_prior_box(feat, img, [4, 2, 1], [32, 64, 128], [1])
 */
export const density_prior_box = defineApi(
  `${L}density_prior_box`,
  [
    p('input', T.tensor), p('image', T.tensor), p('densities', T.nullable(T.ints), null), p('fixed_sizes', T.nullable(T.floats), null),
    p('fixed_ratios', T.nullable(T.floats), null), p('variance', T.floats, [0.1, 0.1, 0.2, 0.2]), p('clip', T.bool, false),
    p('steps', T.floats, [0.0, 0.0]), p('offset', T.float, 0.5), p('flatten_to_2d', T.bool, false), nameP,
  ],
  (a): [Tensor, Tensor] => {
    const api = `${L}density_prior_box`;
    checkDtype(api, 'input', a.input, F32_64);
    for (const k of ['densities', 'fixed_sizes', 'fixed_ratios'] as const)
      if (!a[k]) fail(api, `The type of '${k}' in density_prior_box must be list or tuple, but received None`);
    if (a.densities!.length !== a.fixed_sizes!.length) fail(api, 'densities and fixed_sizes length should be euqal.');
    const steps = pairOf(api, 'steps', a.steps, 'step_width, step_height');
    const attrs = {
      variances: a.variance, clip: a.clip, step_w: steps[0], step_h: steps[1], offset: a.offset,
      densities: a.densities, fixed_sizes: a.fixed_sizes, fixed_ratios: a.fixed_ratios, flatten_to_2d: a.flatten_to_2d,
    };
    const [box, v] = call('density_prior_box', { Input: [a.input], Image: [a.image] }, attrs, ['Boxes', 'Variances']);
    stop(box, v);
    return [box, v];
  },
);

/**
 * Faster R-CNN anchors for every position of `input` (operator `anchor_generator`): per
 * position, anchor_sizes x aspect_ratios boxes centred at (w * stride + offset * (stride - 1)).
 * Returns [anchors, variances], both [H, W, num_anchors, 4] in pixels.
 * @param input the feature map [N, C, H, W]
 * @param anchor_sizes the anchor sizes (a number or a list)
 * @param aspect_ratios the aspect ratios (height / width)
 * @param variance the variances of every anchor
 * @param stride [stride_w, stride_h]
 * @param offset the centre offset
 * @example const [anchors, vars] = fluid.layers.anchor_generator(feat, [64, 128], [0.5, 1, 2], { stride: [16, 16] })
 */
export const anchor_generator = defineApi(
  `${L}anchor_generator`,
  [
    p('input', T.tensor), p('anchor_sizes', T.nullable(floatList), null), p('aspect_ratios', T.nullable(floatList), null),
    p('variance', T.floats, [0.1, 0.1, 0.2, 0.2]), p('stride', T.nullable(T.floats), null), p('offset', T.float, 0.5), nameP,
  ],
  (a): [Tensor, Tensor] => {
    const api = `${L}anchor_generator`;
    checkDtype(api, 'input', a.input, F32_64);
    if (!a.anchor_sizes) fail(api, 'anchor_sizes must be given (a number or a list of numbers)');
    if (!a.aspect_ratios) fail(api, 'aspect_ratios must be given (a number or a list of numbers)');
    const stride = pairOf(api, 'stride', a.stride, 'stride_width, stride_height');
    const attrs = { anchor_sizes: a.anchor_sizes, aspect_ratios: a.aspect_ratios, variances: a.variance, stride, offset: a.offset };
    const [an, v] = call('anchor_generator', { Input: [a.input] }, attrs, ['Anchors', 'Variances']);
    stop(an, v);
    return [an, v];
  },
);

// =====================================================================================
// box coding and geometry

/**
 * Encodes target boxes against prior boxes (center-size deltas divided by the variances) or
 * decodes deltas back to boxes (operator `box_coder`).
 * @param prior_box prior boxes [M, 4] (xmin, ymin, xmax, ymax)
 * @param prior_box_var variances: a Tensor [M, 4] or a list of 4 numbers (or None)
 * @param target_box encode: boxes [N, 4]; decode: deltas [N, M, 4] (axis 0) or [M, N, 4] (axis 1)
 * @param code_type 'encode_center_size' or 'decode_center_size'
 * @param box_normalized false: pixel boxes (+1 on widths and heights)
 * @param axis decode only: the dimension of target_box the priors run along
 * @example const deltas = fluid.layers.box_coder(priors, [0.1, 0.1, 0.2, 0.2], gt)
 */
export const box_coder = defineApi(
  `${L}box_coder`,
  [
    p('prior_box', T.tensor), p('prior_box_var', T.any), p('target_box', T.tensor), p('code_type', T.str, 'encode_center_size'),
    p('box_normalized', T.bool, true), nameP, p('axis', T.int, 0),
  ],
  (a): Tensor => {
    const api = `${L}box_coder`;
    checkDtype(api, 'prior_box', a.prior_box, F32_64);
    checkDtype(api, 'target_box', a.target_box, F32_64);
    const ins: Record<string, Tensor[]> = { PriorBox: [a.prior_box], TargetBox: [a.target_box] };
    const attrs: Record<string, unknown> = { code_type: a.code_type, box_normalized: a.box_normalized, axis: a.axis };
    if (a.prior_box_var instanceof Tensor) ins.PriorBoxVar = [a.prior_box_var];
    else if (Array.isArray(a.prior_box_var) && a.prior_box_var.every((x) => typeof x === 'number')) attrs.variance = a.prior_box_var;
    else if (a.prior_box_var !== null && a.prior_box_var !== undefined)
      fail(api, `Input variance of box_coder must be Variable or list, but got ${describe(a.prior_box_var)}`);
    return run1('box_coder', ins, attrs, 'OutputBox');
  },
);

/**
 * Clips boxes to their image (operator `box_clip`): x to [0, round(w / scale) - 1] and y to
 * [0, round(h / scale) - 1], from im_info rows (height, width, scale). The boxes' LoD (or
 * dimension 0 of a [N, ..., 4] input) gives each box's image.
 * @param input boxes [..., 4]
 * @param im_info [N, 3]
 * @example const clipped = fluid.layers.box_clip(boxes, im_info)
 */
export const box_clip = defineApi(`${L}box_clip`, [p('input', T.tensor), p('im_info', T.tensor), nameP], (a): Tensor => {
  const api = `${L}box_clip`;
  checkDtype(api, 'input', a.input, F32_64);
  checkDtype(api, 'im_info', a.im_info, F32_64);
  return run1('box_clip', { Input: [a.input], ImInfo: [a.im_info] }, {}, 'Output');
});

/**
 * Decodes per-class deltas against prior boxes (+1 pixel convention, widths clipped at
 * box_clip in log space) and assigns each RoI the box of its best non-background class
 * (operator `box_decoder_and_assign`). Returns [decoded_box [N, 4C], output_assign_box [N, 4]].
 * @param prior_box [N, 4]
 * @param prior_box_var [4]
 * @param target_box [N, 4 * C]
 * @param box_score [N, C]
 * @param box_clip the clip of dw, dh
 * @example const [dec, assigned] = fluid.layers.box_decoder_and_assign(rois, pvar, deltas, scores, 4.135)
 */
export const box_decoder_and_assign = defineApi(
  `${L}box_decoder_and_assign`,
  [p('prior_box', T.tensor), p('prior_box_var', T.tensor), p('target_box', T.tensor), p('box_score', T.tensor), p('box_clip', T.float), nameP],
  (a): [Tensor, Tensor] => {
    const api = `${L}box_decoder_and_assign`;
    checkDtype(api, 'prior_box', a.prior_box, F32_64);
    checkDtype(api, 'target_box', a.target_box, F32_64);
    checkDtype(api, 'box_score', a.box_score, F32_64);
    const ins = { PriorBox: [a.prior_box], PriorBoxVar: [a.prior_box_var], TargetBox: [a.target_box], BoxScore: [a.box_score] };
    const [d, o] = call('box_decoder_and_assign', ins, { box_clip: a.box_clip }, ['DecodeBox', 'OutputAssignBox']);
    return [d, o];
  },
);

/**
 * Pairwise IoU of boxes x [N, 4] and y [M, 4] (operator `iou_similarity`); box_normalized
 * false adds +1 to widths and heights.
 * @example const iou = fluid.layers.iou_similarity(gt, priors)  // [N, M]
 */
export const iou_similarity = defineApi(
  `${L}iou_similarity`,
  [p('x', T.tensor), p('y', T.tensor), p('box_normalized', T.bool, true), nameP],
  (a): Tensor => run1('iou_similarity', { X: [a.x], Y: [a.y] }, { box_normalized: a.box_normalized }),
);

/**
 * EAST geometry to absolute vertex coordinates (operator `polygon_box_transform`): even
 * channels become 4 * w - value, odd channels 4 * h - value.
 * @example const quads = fluid.layers.polygon_box_transform(geo)  // geo [N, 8, H, W]
 */
export const polygon_box_transform = defineApi(`${L}polygon_box_transform`, [p('input', T.tensor), nameP], (a): Tensor => {
  checkDtype(`${L}polygon_box_transform`, 'input', a.input, F32_64);
  return run1('polygon_box_transform', { Input: [a.input] }, {}, 'Output');
});

// =====================================================================================
// NMS

/**
 * Multi-class NMS (operator `multiclass_nms`): per image and class, the boxes above
 * score_threshold (top nms_top_k) are suppressed greedily by IoU > nms_threshold (adaptive with
 * nms_eta), then the keep_top_k best of the image are kept. Returns [No, 6] rows [label, score,
 * xmin, ymin, xmax, ymax] (polygons: more columns) with a LoD of one segment per image; with no
 * detection at all, a [1, 1] tensor holding -1 with LoD [[0, 1]].
 * @param bboxes [N, M, 4] (or [M, C, 4] with a LoD)
 * @param scores [N, C, M] (or [M, C] with bboxes' LoD)
 * @param score_threshold boxes scoring at most this are dropped
 * @param nms_top_k candidates per class (-1: all)
 * @param keep_top_k detections per image (-1: all)
 * @param nms_threshold the IoU threshold
 * @param normalized false: pixel boxes (+1 on widths and heights)
 * @param nms_eta adaptive NMS factor (1: off)
 * @param background_label the class skipped (-1: none)
 * @example const out = fluid.layers.multiclass_nms(boxes, scores, 0.05, 400, 200)
 */
export const multiclass_nms = defineApi(
  `${L}multiclass_nms`,
  [
    p('bboxes', T.tensor), p('scores', T.tensor), p('score_threshold', T.float), p('nms_top_k', T.int), p('keep_top_k', T.int),
    p('nms_threshold', T.float, 0.3), p('normalized', T.bool, true), p('nms_eta', T.float, 1.0), p('background_label', T.int, 0), nameP,
  ],
  (a): Tensor => {
    const api = `${L}multiclass_nms`;
    checkDtype(api, 'BBoxes', a.bboxes, F32_64);
    checkDtype(api, 'Scores', a.scores, F32_64);
    const out = run1('multiclass_nms', { BBoxes: [a.bboxes], Scores: [a.scores] }, {
      background_label: a.background_label, score_threshold: a.score_threshold, nms_top_k: a.nms_top_k,
      nms_threshold: a.nms_threshold, nms_eta: a.nms_eta, keep_top_k: a.keep_top_k, normalized: a.normalized,
    });
    stop(out);
    return out;
  },
);

/**
 * Matrix NMS of SOLOv2 (operator `matrix_nms`): decays the scores of overlapping boxes in
 * parallel (linear (1 - iou) / (1 - max_iou), or gaussian) and keeps those above
 * post_threshold. Returns Out [No, 6] with one LoD segment per image (empty [0, 6] when
 * nothing is kept), and with return_index also the int32 Index [No, 1] (box index in the batch).
 * @param bboxes [N, M, 4]
 * @param scores [N, C, M]
 * @param score_threshold pre-NMS score threshold
 * @param post_threshold threshold on the decayed scores
 * @param nms_top_k candidates per class (-1: all)
 * @param keep_top_k detections per image (-1: all)
 * @param use_gaussian gaussian decay instead of linear
 * @param gaussian_sigma the gaussian's sigma
 * @param background_label the class skipped
 * @param normalized false: pixel boxes
 * @param return_index also return Index
 * @example const out = fluid.layers.matrix_nms(boxes, scores, 0.1, 0.1, 100, 50)
 */
export const matrix_nms = defineApi(
  `${L}matrix_nms`,
  [
    p('bboxes', T.tensor), p('scores', T.tensor), p('score_threshold', T.float), p('post_threshold', T.float), p('nms_top_k', T.int),
    p('keep_top_k', T.int), p('use_gaussian', T.bool, false), p('gaussian_sigma', T.float, 2.0), p('background_label', T.int, 0),
    p('normalized', T.bool, true), p('return_index', T.bool, false), nameP,
  ],
  (a): Tensor | [Tensor, Tensor] => {
    const api = `${L}matrix_nms`;
    checkDtype(api, 'BBoxes', a.bboxes, F32_64);
    checkDtype(api, 'Scores', a.scores, F32_64);
    const [out, index] = call('matrix_nms', { BBoxes: [a.bboxes], Scores: [a.scores] }, {
      background_label: a.background_label, score_threshold: a.score_threshold, post_threshold: a.post_threshold,
      nms_top_k: a.nms_top_k, gaussian_sigma: a.gaussian_sigma, use_gaussian: a.use_gaussian, keep_top_k: a.keep_top_k, normalized: a.normalized,
    }, ['Out', 'Index']);
    stop(out);
    return a.return_index ? [out, index] : out;
  },
);

/**
 * Locality-aware NMS of EAST (operator `locality_aware_nms`): consecutive boxes overlapping
 * by more than nms_threshold are first merged (score-weighted), then standard NMS runs; one
 * class only (scores [N, 1, M]). Rows [label, score, box...] with a LoD per image; [1, 1] of -1
 * when nothing is kept.
 * @example const out = fluid.layers.locality_aware_nms(quads, scores, 0.5, 400, 200)
 */
export const locality_aware_nms = defineApi(
  `${L}locality_aware_nms`,
  [
    p('bboxes', T.tensor), p('scores', T.tensor), p('score_threshold', T.float), p('nms_top_k', T.int), p('keep_top_k', T.int),
    p('nms_threshold', T.float, 0.3), p('normalized', T.bool, true), p('nms_eta', T.float, 1.0), p('background_label', T.int, -1), nameP,
  ],
  (a): Tensor => {
    const api = `${L}locality_aware_nms`;
    checkDtype(api, 'bboxes', a.bboxes, F32_64);
    checkDtype(api, 'scores', a.scores, F32_64);
    const shape = a.scores.dims;
    if (shape.length !== 3) fail(api, `dim size of scores must be 3, but got shape [${shape}]`);
    if (shape[1] !== 1) fail(api, `locality_aware_nms only support one class, Tensor score shape must be [N, 1, M], but got [${shape}]`);
    const out = run1('locality_aware_nms', { BBoxes: [a.bboxes], Scores: [a.scores] }, {
      background_label: a.background_label, score_threshold: a.score_threshold, nms_top_k: a.nms_top_k,
      nms_threshold: a.nms_threshold, nms_eta: a.nms_eta, keep_top_k: a.keep_top_k, normalized: a.normalized,
    });
    stop(out);
    return out;
  },
);

/**
 * SSD post-processing (Python composite in Paddle): decodes loc against the priors
 * (`box_coder`), softmax over classes, transposes the scores to [N, C, M] and runs
 * `multiclass_nms` (or `multiclass_nms2` with return_index). background_label and nms_eta are
 * passed as 0 and 1.0 whatever is given, as in Paddle 2.0.
 * @param loc deltas [N, M, 4]
 * @param scores class logits [N, M, C]
 * @param prior_box [M, 4]
 * @param prior_box_var [M, 4]
 * @example const dets = fluid.layers.detection_output(loc, conf, priors, pvar)
 */
export const detection_output = defineApi(
  `${L}detection_output`,
  [
    p('loc', T.tensor), p('scores', T.tensor), p('prior_box', T.tensor), p('prior_box_var', T.tensor), p('background_label', T.int, 0),
    p('nms_threshold', T.float, 0.3), p('nms_top_k', T.int, 400), p('keep_top_k', T.int, 200), p('score_threshold', T.float, 0.01),
    p('nms_eta', T.float, 1.0), p('return_index', T.bool, false),
  ],
  (a): Tensor | [Tensor, Tensor] => {
    const decoded = box_coder(a.prior_box, a.prior_box_var, a.loc, 'decode_center_size');
    let scores = run1('softmax', { X: [a.scores] }, { axis: -1 });
    scores = c.transpose(scores, [0, 2, 1]);
    stop(scores);
    const attrs = { background_label: 0, nms_threshold: a.nms_threshold, nms_top_k: a.nms_top_k, keep_top_k: a.keep_top_k, score_threshold: a.score_threshold, nms_eta: 1.0 };
    if (a.return_index) {
      const [out, index] = call('multiclass_nms2', { Scores: [scores], BBoxes: [decoded] }, attrs, ['Out', 'Index']);
      stop(out, index);
      return [out, index];
    }
    const out = run1('multiclass_nms', { Scores: [scores], BBoxes: [decoded] }, attrs);
    stop(out);
    return out;
  },
);

/**
 * RetinaNet post-processing (operator `retinanet_detection_output`): per FPN level the top
 * nms_top_k (class, anchor) scores above score_threshold (all for the last level) are decoded
 * against the anchors and clipped to the image, then class-wise NMS and keep_top_k. Rows
 * [label + 1, score, xmin, ymin, xmax, ymax] with a LoD per image.
 * @param bboxes per level [N, Mi, 4]
 * @param scores per level [N, Mi, C] (sigmoid scores)
 * @param anchors per level [Mi, 4]
 * @param im_info [N, 3] (height, width, scale)
 * @example const dets = fluid.layers.retinanet_detection_output([b3, b4], [s3, s4], [a3, a4], im_info)
 */
export const retinanet_detection_output = defineApi(
  `${L}retinanet_detection_output`,
  [
    p('bboxes', tensorList), p('scores', tensorList), p('anchors', tensorList), p('im_info', T.tensor), p('score_threshold', T.float, 0.05),
    p('nms_top_k', T.int, 1000), p('keep_top_k', T.int, 100), p('nms_threshold', T.float, 0.3), p('nms_eta', T.float, 1.0),
  ],
  (a): Tensor => {
    const api = `${L}retinanet_detection_output`;
    a.bboxes.forEach((t, i) => checkDtype(api, `bbox${i}`, t, F32_64));
    a.scores.forEach((t, i) => checkDtype(api, `score${i}`, t, F32_64));
    a.anchors.forEach((t, i) => checkDtype(api, `anchor${i}`, t, F32_64));
    checkDtype(api, 'im_info', a.im_info, F32_64);
    const out = run1('retinanet_detection_output', { BBoxes: a.bboxes, Scores: a.scores, Anchors: a.anchors, ImInfo: [a.im_info] }, {
      score_threshold: a.score_threshold, nms_top_k: a.nms_top_k, nms_threshold: a.nms_threshold, keep_top_k: a.keep_top_k, nms_eta: 1.0,
    });
    stop(out);
    return out;
  },
);

// =====================================================================================
// matching, targets and SSD loss

/**
 * Greedy bipartite matching on a distance matrix [K, M] (operator `bipartite_match`): returns
 * [match_indices int32 [N, M] (row matched to each column, -1 if none), match_distance [N, M]];
 * match_type 'per_prediction' also matches unmatched columns whose best distance >= dist_threshold.
 * With a LoD, each segment of rows is one instance.
 * @example const [idx, dist] = fluid.layers.bipartite_match(iou)
 */
export const bipartite_match = defineApi(
  `${L}bipartite_match`,
  [p('dist_matrix', T.tensor), p('match_type', T.nullable(T.str), null), p('dist_threshold', T.nullable(T.float), null), nameP],
  (a): [Tensor, Tensor] => {
    const [i, d] = call('bipartite_match', { DistMat: [a.dist_matrix] }, attrsOf({ match_type: a.match_type, dist_threshold: a.dist_threshold }), [
      'ColToRowMatchIndices', 'ColToRowMatchDist',
    ]);
    return [i, d];
  },
);

/**
 * Gathers per-prediction targets from matched ground-truth rows (operator `target_assign`):
 * out[i][j] = input[lod[i] + match[i][j]][j % P] where matched, else mismatch_value; weights 1
 * where matched (and at negative_indices, which get mismatch_value), else 0.
 * @param input a LoD tensor [G, P, K]
 * @param matched_indices int32 [N, P]
 * @param negative_indices int32 LoD tensor [Neg, 1] (optional)
 * @param mismatch_value the value for unmatched predictions
 * @example const [tgt, w] = fluid.layers.target_assign(gt_label, idx, { mismatch_value: 0 })
 */
export const target_assign = defineApi(
  `${L}target_assign`,
  [p('input', T.tensor), p('matched_indices', T.tensor), p('negative_indices', T.nullable(T.tensor), null), p('mismatch_value', T.nullable(T.int), null), nameP],
  (a): [Tensor, Tensor] => {
    const ins: Record<string, Tensor[]> = { X: [a.input], MatchIndices: [a.matched_indices] };
    if (a.negative_indices) ins.NegIndices = [a.negative_indices];
    const [o, w] = call('target_assign', ins, attrsOf({ mismatch_value: a.mismatch_value }), ['Out', 'OutWeight']);
    return [o, w];
  },
);

/**
 * The SSD multibox loss, composed as Paddle 2.0 composes it: IoU matching of priors to ground
 * truth (`iou_similarity`, `bipartite_match`), hard negative mining on the confidence loss
 * (`mine_hard_examples`), encoded location targets (`box_coder`, `target_assign`), softmax
 * cross entropy plus smooth L1, weighted and summed per image ([N, 1]), divided by the number of
 * matched priors when normalize.
 * @param location predicted deltas [N, Np, 4]
 * @param confidence class logits [N, Np, C]
 * @param gt_box ground truth boxes, a LoD tensor [Ng, 4]
 * @param gt_label ground truth labels, a LoD tensor [Ng, 1] (int32)
 * @param prior_box [Np, 4]
 * @param prior_box_var [Np, 4]
 * @example const loss = fluid.layers.ssd_loss(loc, conf, gt_box, gt_label, priors, pvar)
 */
export const ssd_loss = defineApi(
  `${L}ssd_loss`,
  [
    p('location', T.tensor), p('confidence', T.tensor), p('gt_box', T.tensor), p('gt_label', T.tensor), p('prior_box', T.tensor),
    p('prior_box_var', T.nullable(T.tensor), null), p('background_label', T.int, 0), p('overlap_threshold', T.float, 0.5),
    p('neg_pos_ratio', T.float, 3.0), p('neg_overlap', T.float, 0.5), p('loc_loss_weight', T.float, 1.0), p('conf_loss_weight', T.float, 1.0),
    p('match_type', T.str, 'per_prediction'), p('mining_type', T.str, 'max_negative'), p('normalize', T.bool, true), p('sample_size', T.nullable(T.int), null),
  ],
  (a): Tensor => {
    const api = `${L}ssd_loss`;
    if (a.mining_type !== 'max_negative') fail(api, 'Only support mining_type == max_negative now.');
    if (a.confidence.dims.length !== 3) fail(api, `confidence must be [N, Np, C], but got shape [${a.confidence.dims}]`);
    const confShape = run1('shape', { Input: [a.confidence] }, {});
    // 1. match priors to ground truth by IoU
    const iou = iou_similarity(a.gt_box, a.prior_box);
    const [matched, matchedDist] = bipartite_match(iou, a.match_type, a.overlap_threshold);
    // 2. confidence loss against the matched labels, to mine hard negatives
    const gtLabel = reshape(a.gt_label, [...new Array<number>(a.gt_label.dims.length - 1).fill(0), -1, 1]);
    gtLabel.stop_gradient = true;
    let [targetLabel] = target_assign(gtLabel, matched, null, a.background_label);
    const confidence = flatten(a.confidence, 2);
    targetLabel = flatten(c.cast(targetLabel, 'int64'), 2);
    targetLabel.stop_gradient = true;
    let confLoss = call('softmax_with_cross_entropy', { Logits: [confidence], Label: [targetLabel] }, {}, ['Loss'])[0];
    const actualShape = run1('slice', { Input: [confShape] }, { axes: [0], starts: [0], ends: [2] });
    actualShape.stop_gradient = true;
    confLoss = reshape(confLoss, [-1, 0], actualShape);
    confLoss.stop_gradient = true;
    const [negIndices, updated] = call('mine_hard_examples', { ClsLoss: [confLoss], MatchIndices: [matched], MatchDist: [matchedDist] },
      attrsOf({ neg_pos_ratio: a.neg_pos_ratio, neg_dist_threshold: a.neg_overlap, mining_type: a.mining_type, sample_size: a.sample_size }),
      ['NegIndices', 'UpdatedMatchIndices']);
    // 3. location and confidence targets
    const encoded = box_coder(a.prior_box, a.prior_box_var, a.gt_box, 'encode_center_size');
    let [targetBBox, targetLocWeight] = target_assign(encoded, updated, null, a.background_label);
    let targetConfWeight: Tensor;
    [targetLabel, targetConfWeight] = target_assign(gtLabel, updated, negIndices, a.background_label);
    // 4. losses
    targetLabel = c.cast(flatten(targetLabel, 2), 'int64');
    confLoss = call('softmax_with_cross_entropy', { Logits: [confidence], Label: [targetLabel] }, {}, ['Loss'])[0];
    targetConfWeight = flatten(targetConfWeight, 2);
    confLoss = c.mul(confLoss, targetConfWeight);
    stop(targetLabel, targetConfWeight);
    const location = flatten(a.location, 2);
    targetBBox = flatten(targetBBox, 2);
    let locLoss = smooth_l1(location, targetBBox);
    targetLocWeight = flatten(targetLocWeight, 2);
    locLoss = c.mul(locLoss, targetLocWeight);
    stop(targetBBox, targetLocWeight);
    let loss = c.add(c.scale(confLoss, a.conf_loss_weight), c.scale(locLoss, a.loc_loss_weight));
    loss = reshape(loss, [-1, 0], actualShape);
    loss = reduce_sum(loss, 1, true);
    if (a.normalize) loss = c.div(loss, reduce_sum(targetLocWeight));
    return loss;
  },
);

// =====================================================================================
// RPN / RetinaNet / R-CNN targets and proposals

/**
 * RPN training targets (operator `rpn_target_assign`, then `gather` of the sampled
 * predictions): anchors get fg (IoU >= rpn_positive_overlap, or best for a ground truth) or
 * bg (< rpn_negative_overlap) labels, rpn_batch_size_per_im are sampled (rpn_fg_fraction
 * foreground; randomly with use_random, from paddle.seed's generator). Returns
 * [predicted_scores, predicted_location, target_label, target_bbox, bbox_inside_weight].
 * @example const [s, l, tl, tb, w] = fluid.layers.rpn_target_assign(bbox_pred, cls_logits, anchors, avar, gt, crowd, im_info)
 */
export const rpn_target_assign = defineApi(
  `${L}rpn_target_assign`,
  [
    p('bbox_pred', T.tensor), p('cls_logits', T.tensor), p('anchor_box', T.tensor), p('anchor_var', T.tensor), p('gt_boxes', T.tensor),
    p('is_crowd', T.tensor), p('im_info', T.tensor), p('rpn_batch_size_per_im', T.int, 256), p('rpn_straddle_thresh', T.float, 0.0),
    p('rpn_fg_fraction', T.float, 0.5), p('rpn_positive_overlap', T.float, 0.7), p('rpn_negative_overlap', T.float, 0.3), p('use_random', T.bool, true),
  ],
  (a): [Tensor, Tensor, Tensor, Tensor, Tensor] => {
    const api = `${L}rpn_target_assign`;
    for (const k of ['bbox_pred', 'cls_logits', 'anchor_box', 'anchor_var', 'gt_boxes', 'im_info'] as const) checkDtype(api, k, a[k], F32_64);
    checkDtype(api, 'is_crowd', a.is_crowd, ['int32']);
    const [loc, score, label, bbox, weight] = call('rpn_target_assign', { Anchor: [a.anchor_box], GtBoxes: [a.gt_boxes], IsCrowd: [a.is_crowd], ImInfo: [a.im_info] }, {
      rpn_batch_size_per_im: a.rpn_batch_size_per_im, rpn_straddle_thresh: a.rpn_straddle_thresh, rpn_positive_overlap: a.rpn_positive_overlap,
      rpn_negative_overlap: a.rpn_negative_overlap, rpn_fg_fraction: a.rpn_fg_fraction, use_random: a.use_random,
    }, ['LocationIndex', 'ScoreIndex', 'TargetLabel', 'TargetBBox', 'BBoxInsideWeight']);
    stop(loc, score, label, bbox, weight);
    const cls = reshape(a.cls_logits, [-1, 1]);
    const pred = reshape(a.bbox_pred, [-1, 4]);
    return [run1('gather', { X: [cls], Index: [score] }, {}), run1('gather', { X: [pred], Index: [loc] }, {}), label, bbox, weight];
  },
);

/**
 * RetinaNet training targets (operator `retinanet_target_assign`, then `gather`): every anchor
 * is fg (IoU >= positive_overlap or best for a ground truth, labelled with its class) or bg
 * (< negative_overlap), without sampling. Returns [predicted_scores, predicted_location,
 * target_label, target_bbox, bbox_inside_weight, fg_num].
 * @example const outs = fluid.layers.retinanet_target_assign(bbox_pred, cls_logits, anchors, avar, gt, labels, crowd, im_info, 10)
 */
export const retinanet_target_assign = defineApi(
  `${L}retinanet_target_assign`,
  [
    p('bbox_pred', T.tensor), p('cls_logits', T.tensor), p('anchor_box', T.tensor), p('anchor_var', T.tensor), p('gt_boxes', T.tensor),
    p('gt_labels', T.tensor), p('is_crowd', T.tensor), p('im_info', T.tensor), p('num_classes', T.int, 1), p('positive_overlap', T.float, 0.5),
    p('negative_overlap', T.float, 0.4),
  ],
  (a): [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor] => {
    const api = `${L}retinanet_target_assign`;
    for (const k of ['bbox_pred', 'cls_logits', 'anchor_box', 'anchor_var', 'gt_boxes', 'im_info'] as const) checkDtype(api, k, a[k], F32_64);
    checkDtype(api, 'gt_labels', a.gt_labels, ['int32']);
    checkDtype(api, 'is_crowd', a.is_crowd, ['int32']);
    const [loc, score, label, bbox, weight, fg] = call('retinanet_target_assign', {
      Anchor: [a.anchor_box], GtBoxes: [a.gt_boxes], GtLabels: [a.gt_labels], IsCrowd: [a.is_crowd], ImInfo: [a.im_info],
    }, { positive_overlap: a.positive_overlap, negative_overlap: a.negative_overlap }, [
      'LocationIndex', 'ScoreIndex', 'TargetLabel', 'TargetBBox', 'BBoxInsideWeight', 'ForegroundNumber',
    ]);
    stop(loc, score, label, bbox, weight, fg);
    const cls = reshape(a.cls_logits, [-1, a.num_classes]);
    const pred = reshape(a.bbox_pred, [-1, 4]);
    return [run1('gather', { X: [cls], Index: [score] }, {}), run1('gather', { X: [pred], Index: [loc] }, {}), label, bbox, weight, fg];
  },
);

/**
 * RPN proposals (operator `generate_proposals`): per image the pre_nms_top_n best anchors are
 * decoded (+1 pixel convention, variances, dw/dh clipped at log(1000/16)), clipped, small boxes
 * (< min_size in the original image) dropped, NMS at nms_thresh, post_nms_top_n kept. Returns
 * [rpn_rois [R, 4], rpn_roi_probs [R, 1]] with a LoD per image, plus rpn_rois_num with
 * return_rois_num.
 * @param scores [N, A, H, W]
 * @param bbox_deltas [N, 4A, H, W]
 * @param im_info [N, 3]
 * @param anchors [H, W, A, 4]
 * @param variances [H, W, A, 4]
 * @example const [rois, probs, num] = fluid.layers.generate_proposals(s, d, im_info, an, vars, { return_rois_num: true })
 */
export const generate_proposals = defineApi(
  `${L}generate_proposals`,
  [
    p('scores', T.tensor), p('bbox_deltas', T.tensor), p('im_info', T.tensor), p('anchors', T.tensor), p('variances', T.tensor),
    p('pre_nms_top_n', T.int, 6000), p('post_nms_top_n', T.int, 1000), p('nms_thresh', T.float, 0.5), p('min_size', T.float, 0.1),
    p('eta', T.float, 1.0), p('return_rois_num', T.bool, false), nameP,
  ],
  (a): [Tensor, Tensor] | [Tensor, Tensor, Tensor] => {
    const api = `${L}generate_proposals`;
    checkDtype(api, 'scores', a.scores, F32);
    checkDtype(api, 'bbox_deltas', a.bbox_deltas, F32);
    checkDtype(api, 'im_info', a.im_info, F32_64);
    checkDtype(api, 'anchors', a.anchors, F32);
    checkDtype(api, 'variances', a.variances, F32);
    const r = dispatch('generate_proposals', { Scores: [a.scores], BboxDeltas: [a.bbox_deltas], ImInfo: [a.im_info], Anchors: [a.anchors], Variances: [a.variances] }, {
      pre_nms_topN: a.pre_nms_top_n, post_nms_topN: a.post_nms_top_n, nms_thresh: a.nms_thresh, min_size: a.min_size, eta: a.eta,
    });
    const rois = r.RpnRois[0];
    const probs = r.RpnRoiProbs[0];
    stop(rois, probs);
    if (!a.return_rois_num) return [rois, probs];
    const num = r.RpnRoisNum[0];
    stop(num);
    return [rois, probs, num];
  },
);

/**
 * Faster R-CNN second-stage sampling (operator `generate_proposal_labels`): proposals plus
 * ground truth are labelled fg (IoU >= fg_thresh) or bg (in [bg_thresh_lo, bg_thresh_hi)),
 * batch_size_per_im are sampled (fg_fraction foreground), with class-specific regression
 * targets. Returns [rois, labels_int32, bbox_targets, bbox_inside_weights,
 * bbox_outside_weights] (+ max_overlap_with_gt with return_max_overlap).
 * @example const outs = fluid.layers.generate_proposal_labels(rois, gt_cls, crowd, gt_box, im_info, { class_nums: 81 })
 */
export const generate_proposal_labels = defineApi(
  `${L}generate_proposal_labels`,
  [
    p('rpn_rois', T.tensor), p('gt_classes', T.tensor), p('is_crowd', T.tensor), p('gt_boxes', T.tensor), p('im_info', T.tensor),
    p('batch_size_per_im', T.int, 256), p('fg_fraction', T.float, 0.25), p('fg_thresh', T.float, 0.25), p('bg_thresh_hi', T.float, 0.5),
    p('bg_thresh_lo', T.float, 0.0), p('bbox_reg_weights', T.floats, [0.1, 0.1, 0.2, 0.2]), p('class_nums', T.nullable(T.int), null),
    p('use_random', T.bool, true), p('is_cls_agnostic', T.bool, false), p('is_cascade_rcnn', T.bool, false),
    p('max_overlap', T.nullable(T.tensor), null), p('return_max_overlap', T.bool, false),
  ],
  (a): Tensor[] => {
    const api = `${L}generate_proposal_labels`;
    checkDtype(api, 'rpn_rois', a.rpn_rois, F32_64);
    checkDtype(api, 'gt_classes', a.gt_classes, ['int32']);
    checkDtype(api, 'is_crowd', a.is_crowd, ['int32']);
    if (a.is_cascade_rcnn && !a.max_overlap) fail(api, 'Input max_overlap of generate_proposal_labels should not be None if is_cascade_rcnn is True');
    if (a.class_nums === null) fail(api, 'class_nums must be given');
    const ins: Record<string, Tensor[]> = { RpnRois: [a.rpn_rois], GtClasses: [a.gt_classes], IsCrowd: [a.is_crowd], GtBoxes: [a.gt_boxes], ImInfo: [a.im_info] };
    if (a.max_overlap) ins.MaxOverlap = [a.max_overlap];
    const o = call('generate_proposal_labels', ins, {
      batch_size_per_im: a.batch_size_per_im, fg_fraction: a.fg_fraction, fg_thresh: a.fg_thresh, bg_thresh_hi: a.bg_thresh_hi,
      bg_thresh_lo: a.bg_thresh_lo, bbox_reg_weights: a.bbox_reg_weights, class_nums: a.class_nums, use_random: a.use_random,
      is_cls_agnostic: a.is_cls_agnostic, is_cascade_rcnn: a.is_cascade_rcnn,
    }, ['Rois', 'LabelsInt32', 'BboxTargets', 'BboxInsideWeights', 'BboxOutsideWeights', 'MaxOverlapWithGT']);
    stop(...o);
    return a.return_max_overlap ? o : o.slice(0, 5);
  },
);

/**
 * Mask R-CNN mask targets (operator `generate_mask_labels`): each foreground RoI gets the
 * polygons of its best-overlapping ground truth rasterized into a resolution x resolution
 * mask, in its class' slot of num_classes * resolution^2 (others -1). Returns [mask_rois,
 * roi_has_mask_int32, mask_int32].
 * @param gt_segms polygon points [P, 2] with a 3-level LoD (images, objects' polygons, points)
 * @example const [mrois, has, masks] = fluid.layers.generate_mask_labels(im_info, gt_cls, crowd, segms, rois, labels, 81, 14)
 */
export const generate_mask_labels = defineApi(
  `${L}generate_mask_labels`,
  [
    p('im_info', T.tensor), p('gt_classes', T.tensor), p('is_crowd', T.tensor), p('gt_segms', T.tensor), p('rois', T.tensor),
    p('labels_int32', T.tensor), p('num_classes', T.int), p('resolution', T.int),
  ],
  (a): [Tensor, Tensor, Tensor] => {
    const o = call('generate_mask_labels', {
      ImInfo: [a.im_info], GtClasses: [a.gt_classes], IsCrowd: [a.is_crowd], GtSegms: [a.gt_segms], Rois: [a.rois], LabelsInt32: [a.labels_int32],
    }, { num_classes: a.num_classes, resolution: a.resolution }, ['MaskRois', 'RoiHasMaskInt32', 'MaskInt32']);
    stop(...o);
    return [o[0], o[1], o[2]];
  },
);

/**
 * Merges the RoIs of FPN levels min_level..max_level (operator `collect_fpn_proposals`): the
 * post_nms_top_n best scores over all levels, grouped by image. Returns fpn_rois (LoD per
 * image), plus rois_num when rois_num_per_level is given.
 * @example const rois = fluid.layers.collect_fpn_proposals([r2, r3], [s2, s3], 2, 3, 2000)
 */
export const collect_fpn_proposals = defineApi(
  `${L}collect_fpn_proposals`,
  [
    p('multi_rois', tensorList), p('multi_scores', tensorList), p('min_level', T.int), p('max_level', T.int), p('post_nms_top_n', T.int),
    p('rois_num_per_level', T.nullable(tensorList), null), nameP,
  ],
  (a): Tensor | [Tensor, Tensor] => {
    const api = `${L}collect_fpn_proposals`;
    const lv = a.max_level - a.min_level + 1;
    const rois = a.multi_rois.slice(0, lv);
    const scores = a.multi_scores.slice(0, lv);
    rois.forEach((t, i) => checkDtype(api, `multi_rois[${i}]`, t, F32_64));
    const ins: Record<string, Tensor[]> = { MultiLevelRois: rois, MultiLevelScores: scores };
    if (a.rois_num_per_level) ins.MultiLevelRoIsNum = a.rois_num_per_level.slice(0, lv);
    const r = dispatch('collect_fpn_proposals', ins, { post_nms_topN: a.post_nms_top_n });
    const out = r.FpnRois[0];
    stop(out);
    if (!a.rois_num_per_level) return out;
    stop(r.RoisNum[0]);
    return [out, r.RoisNum[0]];
  },
);

/**
 * Distributes RoIs over FPN levels by floor(refer_level + log2(sqrt(area) / refer_scale))
 * clipped to [min_level, max_level] (operator `distribute_fpn_proposals`). Returns
 * [multi_rois (one LoD tensor per level), restore_ind], plus rois_num_per_level when rois_num
 * is given.
 * @example const [levels, restore] = fluid.layers.distribute_fpn_proposals(rois, 2, 5, 4, 224)
 */
export const distribute_fpn_proposals = defineApi(
  `${L}distribute_fpn_proposals`,
  [
    p('fpn_rois', T.tensor), p('min_level', T.int), p('max_level', T.int), p('refer_level', T.int), p('refer_scale', T.int),
    p('rois_num', T.nullable(T.tensor), null), nameP,
  ],
  (a): [Tensor[], Tensor] | [Tensor[], Tensor, Tensor[]] => {
    checkDtype(`${L}distribute_fpn_proposals`, 'fpn_rois', a.fpn_rois, F32_64);
    const ins: Record<string, Tensor[]> = { FpnRois: [a.fpn_rois] };
    if (a.rois_num) ins.RoisNum = [a.rois_num];
    const r = dispatch('distribute_fpn_proposals', ins, { min_level: a.min_level, max_level: a.max_level, refer_level: a.refer_level, refer_scale: a.refer_scale });
    const restore = r.RestoreIndex[0];
    if (!a.rois_num) return [r.MultiFpnRois, restore];
    return [r.MultiFpnRois, restore, r.MultiLevelRoIsNum];
  },
);

// =====================================================================================
// RoI pooling

/**
 * RoI max pooling (operator `roi_pool`): each RoI (coordinates scaled by spatial_scale and
 * rounded) is split into pooled_height x pooled_width bins, each the max of its pixels.
 * Returns [K, C, pooled_height, pooled_width] in both modes (Paddle 2.0's dygraph branch also
 * returned the Argmax, unlike its static one and its documentation).
 * @param input [N, C, H, W]
 * @param rois [K, 4] (x1, y1, x2, y2), a LoD tensor unless rois_num is given
 * @param rois_num int32 [N]: RoIs per image
 * @example const y = fluid.layers.roi_pool(x, rois, 7, 7, 1 / 16, { rois_num })
 */
export const roi_pool = defineApi(
  `${L}roi_pool`,
  [
    p('input', T.tensor), p('rois', T.tensor), p('pooled_height', T.int, 1), p('pooled_width', T.int, 1), p('spatial_scale', T.float, 1.0),
    p('rois_num', T.nullable(T.tensor), null), nameP,
  ],
  (a): Tensor => {
    const api = `${L}roi_pool`;
    checkDtype(api, 'input', a.input, F32);
    checkDtype(api, 'rois', a.rois, F32);
    const ins: Record<string, Tensor[]> = { X: [a.input], ROIs: [a.rois] };
    if (a.rois_num) ins.RoisNum = [a.rois_num];
    return run1('roi_pool', ins, { pooled_height: a.pooled_height, pooled_width: a.pooled_width, spatial_scale: a.spatial_scale });
  },
);

/**
 * RoIAlign (operator `roi_align`, Paddle 2.0's aligned=False form): each bin averages
 * sampling_ratio^2 bilinear samples (ceil(roi_size / pooled_size) when -1). Returns
 * [K, C, pooled_height, pooled_width].
 * @param input [N, C, H, W]
 * @param rois [K, 4], a LoD tensor unless rois_num is given
 * @param rois_num int32 [N]
 * @example const y = fluid.layers.roi_align(x, rois, 7, 7, 1 / 16, 2, { rois_num })
 */
export const roi_align = defineApi(
  `${L}roi_align`,
  [
    p('input', T.tensor), p('rois', T.tensor), p('pooled_height', T.int, 1), p('pooled_width', T.int, 1), p('spatial_scale', T.float, 1.0),
    p('sampling_ratio', T.int, -1), p('rois_num', T.nullable(T.tensor), null), nameP,
  ],
  (a): Tensor => {
    const api = `${L}roi_align`;
    checkDtype(api, 'input', a.input, F32_64);
    checkDtype(api, 'rois', a.rois, F32_64);
    const ins: Record<string, Tensor[]> = { X: [a.input], ROIs: [a.rois] };
    if (a.rois_num) ins.RoisNum = [a.rois_num];
    return run1('roi_align', ins, { pooled_height: a.pooled_height, pooled_width: a.pooled_width, spatial_scale: a.spatial_scale, sampling_ratio: a.sampling_ratio });
  },
);

/**
 * Position-sensitive RoI average pooling of R-FCN (operator `psroi_pool`): bin (i, j) of output
 * channel c averages input channel (c * pooled_height + i) * pooled_width + j.
 * @param input [N, output_channels * pooled_height * pooled_width, H, W]
 * @param rois a LoD tensor [K, 4]
 * @example const y = fluid.layers.psroi_pool(x, rois, 10, 1.0, 7, 7)
 */
export const psroi_pool = defineApi(
  `${L}psroi_pool`,
  [p('input', T.tensor), p('rois', T.tensor), p('output_channels', T.int), p('spatial_scale', T.float), p('pooled_height', T.int), p('pooled_width', T.int), nameP],
  (a): Tensor =>
    run1('psroi_pool', { X: [a.input], ROIs: [a.rois] }, {
      output_channels: a.output_channels, spatial_scale: a.spatial_scale, pooled_height: a.pooled_height, pooled_width: a.pooled_width,
    }),
);

/**
 * Precise RoI pooling (operator `prroi_pool`): each bin is the exact average of the bilinearly
 * interpolated feature over the bin (an integral, no sampling); differentiable with respect to
 * the input and the RoI coordinates.
 * @param input [N, C, H, W] (float32)
 * @param rois [K, 4] (float32), a LoD tensor unless batch_roi_nums is given
 * @param batch_roi_nums int64 [N]: RoIs per image
 * @example const y = fluid.layers.prroi_pool(x, rois, 1.0, 7, 7, { batch_roi_nums })
 */
export const prroi_pool = defineApi(
  `${L}prroi_pool`,
  [
    p('input', T.tensor), p('rois', T.tensor), p('spatial_scale', T.float, 1.0), p('pooled_height', T.int, 1), p('pooled_width', T.int, 1),
    p('batch_roi_nums', T.nullable(T.tensor), null), nameP,
  ],
  (a): Tensor => {
    const api = `${L}prroi_pool`;
    checkDtype(api, 'input', a.input, F32);
    checkDtype(api, 'rois', a.rois, F32);
    const ins: Record<string, Tensor[]> = { X: [a.input], ROIs: [a.rois] };
    if (a.batch_roi_nums) ins.BatchRoINums = [a.batch_roi_nums];
    return run1('prroi_pool', ins, { spatial_scale: a.spatial_scale, pooled_height: a.pooled_height, pooled_width: a.pooled_width });
  },
);

/**
 * Warps quadrilateral RoIs (4 corners, clockwise from top-left) into transformed_height x
 * transformed_width maps by a perspective transform (operator `roi_perspective_transform`).
 * Returns [out [K, C, th, tw], mask int32 [K, 1, th, tw], transform_matrix [K, 9]].
 * @param input [N, C, H, W] (float32)
 * @param rois a LoD tensor [K, 8] (float32)
 * @example const [out, mask, mat] = fluid.layers.roi_perspective_transform(x, quads, 8, 32)
 */
export const roi_perspective_transform = defineApi(
  `${L}roi_perspective_transform`,
  [p('input', T.tensor), p('rois', T.tensor), p('transformed_height', T.int), p('transformed_width', T.int), p('spatial_scale', T.float, 1.0), nameP],
  (a): [Tensor, Tensor, Tensor] => {
    const api = `${L}roi_perspective_transform`;
    checkDtype(api, 'input', a.input, F32);
    checkDtype(api, 'rois', a.rois, F32);
    const [out, mask, mat] = call('roi_perspective_transform', { X: [a.input], ROIs: [a.rois] }, {
      transformed_height: a.transformed_height, transformed_width: a.transformed_width, spatial_scale: a.spatial_scale,
    }, ['Out', 'Mask', 'TransformMatrix']);
    return [out, mask, mat];
  },
);

/**
 * Deformable (position-sensitive) RoI pooling (operator `deformable_psroi_pooling`): each bin
 * averages sample_per_part^2 bilinear samples, shifted by trans * trans_std * roi size.
 * @param input [N, C, H, W]
 * @param rois a LoD tensor [K, 4]
 * @param trans offsets [K, 2 * num_classes, part_height, part_width]
 * @param no_trans ignore trans
 * @param group_size position-sensitive groups [gh, gw]
 * @param part_size offset grid [ph, pw] (None: pooled size)
 * @param position_sensitive output C / (pooled_height * pooled_width) channels
 * @example const y = fluid.layers.deformable_roi_pooling(x, rois, trans, { pooled_height: 2, pooled_width: 2 })
 */
export const deformable_roi_pooling = defineApi(
  `${L}deformable_roi_pooling`,
  [
    p('input', T.tensor), p('rois', T.tensor), p('trans', T.tensor), p('no_trans', T.bool, false), p('spatial_scale', T.float, 1.0),
    p('group_size', T.ints, [1, 1]), p('pooled_height', T.int, 1), p('pooled_width', T.int, 1), p('part_size', T.nullable(T.ints), null),
    p('sample_per_part', T.int, 1), p('trans_std', T.float, 0.1), p('position_sensitive', T.bool, false), nameP,
  ],
  (a): Tensor => {
    const api = `${L}deformable_roi_pooling`;
    checkDtype(api, 'input', a.input, F32_64);
    checkDtype(api, 'rois', a.rois, F32_64);
    checkDtype(api, 'trans', a.trans, F32_64);
    const ch = a.input.dims[1];
    let outCh = ch;
    if (a.position_sensitive) {
      outCh = ch / a.pooled_height / a.pooled_width;
      if (!Number.isInteger(outCh)) fail(api, `with position_sensitive, the input channels (${ch}) must be a multiple of pooled_height * pooled_width (${a.pooled_height * a.pooled_width})`);
    }
    const partSize = pairOf(api, 'part_size', a.part_size ?? [a.pooled_height, a.pooled_width], 'part_height, part_width');
    const groupSize = pairOf(api, 'group_size', a.group_size, 'group_height, group_width');
    const [out] = call('deformable_psroi_pooling', { Input: [a.input], ROIs: [a.rois], Trans: [a.trans] }, {
      no_trans: a.no_trans, spatial_scale: a.spatial_scale, output_dim: outCh, group_size: groupSize, pooled_height: a.pooled_height,
      pooled_width: a.pooled_width, part_size: partSize, sample_per_part: a.sample_per_part, trans_std: a.trans_std,
    }, ['Output']);
    return out;
  },
);

// =====================================================================================
// YOLOv3 and focal loss

/**
 * Decodes a YOLOv3 head (operator `yolo_box`): per cell and anchor, box centre (sigmoid offsets,
 * scale_x_y grid sensitivity) and size (exp times the anchor), scaled to img_size; scores are
 * objectness * class probability; cells with objectness < conf_thresh give zero boxes and
 * scores. Returns [boxes [N, A*H*W, 4], scores [N, A*H*W, class_num]].
 * @param x the head output [N, A * (5 + class_num), H, W]
 * @param img_size int32 [N, 2] (height, width)
 * @param anchors [w0, h0, w1, h1, ...] of this head
 * @param class_num the number of classes
 * @param conf_thresh the objectness threshold
 * @param downsample_ratio the head's stride
 * @param clip_bbox clip boxes to the image
 * @param scale_x_y centre scaling (PP-YOLO's grid sensitive)
 * @example const [boxes, scores] = fluid.layers.yolo_box(head, img_size, [10, 13, 16, 30, 33, 23], 80, 0.01, 8)
 */
export const yolo_box = defineApi(
  `${L}yolo_box`,
  [
    p('x', T.tensor), p('img_size', T.tensor), p('anchors', T.ints), p('class_num', T.int), p('conf_thresh', T.float), p('downsample_ratio', T.int),
    p('clip_bbox', T.bool, true), nameP, p('scale_x_y', T.float, 1.0),
  ],
  (a): [Tensor, Tensor] => {
    const [b, s] = call('yolo_box', { X: [a.x], ImgSize: [a.img_size] }, {
      anchors: a.anchors, class_num: a.class_num, conf_thresh: a.conf_thresh, downsample_ratio: a.downsample_ratio, clip_bbox: a.clip_bbox, scale_x_y: a.scale_x_y,
    }, ['Boxes', 'Scores']);
    return [b, s];
  },
);

/**
 * The YOLOv3 loss of one head (operator `yolov3_loss`): for each ground truth (x, y, w, h
 * normalized to the image) the best anchor of anchor_mask at its cell gets sigmoid cross
 * entropy on x, y, L1 on w, h (weighted 2 - w*h) and class sigmoid cross entropy (label smoothing
 * optional); objectness everywhere except predictions overlapping a ground truth by more than
 * ignore_thresh. gt_score weights each box (mixup). Returns the loss per image [N].
 * @param x [N, len(anchor_mask) * (5 + class_num), H, W]
 * @param gt_box [N, B, 4] (zero boxes are padding)
 * @param gt_label int32 [N, B]
 * @example const loss = fluid.layers.yolov3_loss(head, gt_box, gt_label, anchors, [0, 1, 2], 80, 0.7, 32)
 */
export const yolov3_loss = defineApi(
  `${L}yolov3_loss`,
  [
    p('x', T.tensor), p('gt_box', T.tensor), p('gt_label', T.tensor), p('anchors', T.ints), p('anchor_mask', T.ints), p('class_num', T.int),
    p('ignore_thresh', T.float), p('downsample_ratio', T.int), p('gt_score', T.nullable(T.tensor), null), p('use_label_smooth', T.bool, true),
    nameP, p('scale_x_y', T.float, 1.0),
  ],
  (a): Tensor => {
    const ins: Record<string, Tensor[]> = { X: [a.x], GTBox: [a.gt_box], GTLabel: [a.gt_label] };
    if (a.gt_score) ins.GTScore = [a.gt_score];
    return run1('yolov3_loss', ins, {
      anchors: a.anchors, anchor_mask: a.anchor_mask, class_num: a.class_num, ignore_thresh: a.ignore_thresh, downsample_ratio: a.downsample_ratio,
      use_label_smooth: a.use_label_smooth, scale_x_y: a.scale_x_y,
    }, 'Loss');
  },
);

/**
 * RetinaNet focal loss on logits (operator `sigmoid_focal_loss`): x [N, C], label int32 [N, 1]
 * with 1..C for a class and 0 for background (-1 ignored), normalized by fg_num (int32 [1]);
 * alpha-balanced, (1 - p_t)^gamma weighted sigmoid cross entropy per element.
 * @example const loss = fluid.layers.sigmoid_focal_loss(logits, label, fg_num, 2.0, 0.25)
 */
export const sigmoid_focal_loss = defineApi(
  `${L}sigmoid_focal_loss`,
  [p('x', T.tensor), p('label', T.tensor), p('fg_num', T.tensor), p('gamma', T.float, 2.0), p('alpha', T.float, 0.25)],
  (a): Tensor => {
    const api = `${L}sigmoid_focal_loss`;
    checkDtype(api, 'x', a.x, F32_64);
    checkDtype(api, 'label', a.label, ['int32']);
    checkDtype(api, 'fg_num', a.fg_num, ['int32']);
    return run1('sigmoid_focal_loss', { X: [a.x], Label: [a.label], FgNum: [a.fg_num] }, { gamma: a.gamma, alpha: a.alpha });
  },
);
