// Target assignment and proposal operators of Paddle 2.0 (paddle/fluid/operators/detection/):
//   bipartite_match            DistMat -> ColToRowMatchIndices, ColToRowMatchDist
//   target_assign              X, MatchIndices, NegIndices? -> Out, OutWeight
//   mine_hard_examples         ClsLoss, LocLoss?, MatchIndices, MatchDist -> NegIndices, UpdatedMatchIndices
//   rpn_target_assign          Anchor, GtBoxes, IsCrowd, ImInfo -> LocationIndex, ScoreIndex, TargetBBox, TargetLabel, BBoxInsideWeight
//   retinanet_target_assign    Anchor, GtBoxes, GtLabels, IsCrowd, ImInfo -> ... + ForegroundNumber
//   generate_proposals         Scores, BboxDeltas, ImInfo, Anchors, Variances -> RpnRois, RpnRoiProbs, RpnRoisNum?
//   generate_proposal_labels   RpnRois, GtClasses, IsCrowd, GtBoxes, ImInfo, MaxOverlap? -> Rois, LabelsInt32, BboxTargets, ...
//   generate_mask_labels       ImInfo, GtClasses, IsCrowd, GtSegms, Rois, LabelsInt32 -> MaskRois, RoiHasMaskInt32, MaskInt32
//   collect_fpn_proposals      MultiLevelRois[], MultiLevelScores[], MultiLevelRoIsNum[]? -> FpnRois, RoisNum?
//   distribute_fpn_proposals   FpnRois, RoisNum? -> MultiFpnRois[], RestoreIndex, MultiLevelRoIsNum[]?
// Ground truth comes as LoD tensors (one segment per image). Outputs whose size depends on the
// data have -1 rows until the kernel runs. Sampling operators draw from paddle.seed's generator.
// None has a gradient.
import { lodLevelOf } from '../../core/lod.js';
import { showShape } from '../../core/shape.js';
import type { Meta } from '../../core/tensor.js';
import { bool, defineOp, float, floats, int, opFail, str } from '../util.js';
import { F32_64, INT32, atLeast1, dimIs, input, lodMeta, rank } from './common.js';

defineOp({
  type: 'bipartite_match',
  inputs: ['DistMat!'],
  outputs: ['ColToRowMatchIndices', 'ColToRowMatchDist'],
  attrs: { match_type: str('bipartite'), dist_threshold: float(0.5) },
  noGradOutputs: ['ColToRowMatchIndices', 'ColToRowMatchDist'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'bipartite_match';
    const d = input(ins, 'DistMat', op, F32_64);
    rank(d, 2, op, 'DistMat', '[K, M]');
    const t = attrs.match_type as string;
    if (t !== 'bipartite' && t !== 'per_prediction') opFail(op, `attribute match_type must be 'bipartite' or 'per_prediction', but got '${t}'`);
    const rows = lodLevelOf(d) > 0 ? -1 : 1;
    return { ColToRowMatchIndices: [{ dims: [rows, d.dims[1]], dtype: 'int32' }], ColToRowMatchDist: [{ dims: [rows, d.dims[1]], dtype: d.dtype }] };
  },
});

defineOp({
  type: 'target_assign',
  inputs: ['X!', 'MatchIndices!', 'NegIndices?!'],
  outputs: ['Out', 'OutWeight'],
  attrs: { mismatch_value: int(0) },
  noGradOutputs: ['Out', 'OutWeight'],
  shareLod: [],
  infer(ins) {
    const op = 'target_assign';
    const x = input(ins, 'X', op, ['int32', 'int64', 'float32', 'float64']);
    const mi = input(ins, 'MatchIndices', op, INT32);
    rank(x, 3, op, 'X', '[num_gt, P, K] (a LoD tensor)');
    rank(mi, 2, op, 'MatchIndices', '[N, P]');
    const neg = ins.NegIndices?.[0];
    if (neg) {
      if (neg.dtype !== 'int32') opFail(op, `input NegIndices must be int32, but got ${neg.dtype}`);
      rank(neg, 2, op, 'NegIndices', '[num_neg, 1]');
      dimIs(neg, 1, 1, op, 'NegIndices');
    }
    const [n, m] = mi.dims;
    return { Out: [{ dims: [n, m, x.dims[2]], dtype: x.dtype }], OutWeight: [{ dims: [n, m, 1], dtype: 'float32' }] };
  },
});

defineOp({
  type: 'mine_hard_examples',
  inputs: ['ClsLoss!', 'LocLoss?!', 'MatchIndices!', 'MatchDist!'],
  outputs: ['NegIndices', 'UpdatedMatchIndices'],
  attrs: { neg_pos_ratio: float(1.0), neg_dist_threshold: float(0.5), sample_size: int(0), mining_type: str('max_negative') },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'mine_hard_examples';
    const cls = input(ins, 'ClsLoss', op, F32_64);
    const mi = input(ins, 'MatchIndices', op, INT32);
    const md = input(ins, 'MatchDist', op, F32_64);
    rank(cls, 2, op, 'ClsLoss', '[N, Np]');
    rank(mi, 2, op, 'MatchIndices', '[N, Np]');
    rank(md, 2, op, 'MatchDist', '[N, Np]');
    const loc = ins.LocLoss?.[0];
    for (const [m, name] of [[mi, 'MatchIndices'], [md, 'MatchDist'], ...(loc ? [[loc, 'LocLoss']] : [])] as [Meta, string][])
      if (m.dims.some((d, i) => d >= 0 && cls.dims[i] >= 0 && d !== cls.dims[i]))
        opFail(op, `input ${name} (shape ${showShape(m.dims)}) must have the shape of ClsLoss ${showShape(cls.dims)}`);
    const t = attrs.mining_type as string;
    if (t === 'max_negative') {
      if (!(attrs.neg_pos_ratio > 0)) opFail(op, `attribute neg_pos_ratio must be greater than 0, but got ${attrs.neg_pos_ratio}`);
      if (!(attrs.neg_dist_threshold > 0 && attrs.neg_dist_threshold < 1))
        opFail(op, `attribute neg_dist_threshold must lie in (0, 1), but got ${attrs.neg_dist_threshold}`);
    } else if (t === 'hard_example') {
      if (!(attrs.sample_size > 0)) opFail(op, `attribute sample_size must be greater than 0 for hard_example mining, but got ${attrs.sample_size}`);
    } else opFail(op, `attribute mining_type must be 'max_negative' or 'hard_example', but got '${t}'`);
    return { NegIndices: [lodMeta([-1, 1], 'int32', 1)], UpdatedMatchIndices: [{ dims: mi.dims.slice(), dtype: 'int32' }] };
  },
});

function checkTargetAssignInputs(ins: Record<string, Meta[]>, op: string): Meta {
  const anchor = input(ins, 'Anchor', op, F32_64);
  const gt = input(ins, 'GtBoxes', op, F32_64);
  input(ins, 'IsCrowd', op, INT32);
  const info = input(ins, 'ImInfo', op, F32_64);
  rank(anchor, 2, op, 'Anchor', '[A, 4]');
  dimIs(anchor, 1, 4, op, 'Anchor');
  rank(gt, 2, op, 'GtBoxes', '[G, 4] (a LoD tensor)');
  rank(info, 2, op, 'ImInfo', '[N, 3]');
  return anchor;
}

defineOp({
  type: 'rpn_target_assign',
  inputs: ['Anchor!', 'GtBoxes!', 'IsCrowd!', 'ImInfo!'],
  outputs: ['LocationIndex', 'ScoreIndex', 'TargetBBox', 'TargetLabel', 'BBoxInsideWeight'],
  attrs: {
    rpn_batch_size_per_im: int(256),
    rpn_straddle_thresh: float(),
    rpn_positive_overlap: float(0.7),
    rpn_negative_overlap: float(0.3),
    rpn_fg_fraction: float(0.25),
    use_random: bool(true),
  },
  random: true,
  shareLod: [],
  infer(ins) {
    const a = checkTargetAssignInputs(ins, 'rpn_target_assign');
    return {
      LocationIndex: [{ dims: [-1], dtype: 'int32' }],
      ScoreIndex: [{ dims: [-1], dtype: 'int32' }],
      TargetBBox: [{ dims: [-1, 4], dtype: a.dtype }],
      TargetLabel: [{ dims: [-1, 1], dtype: 'int32' }],
      BBoxInsideWeight: [{ dims: [-1, 4], dtype: a.dtype }],
    };
  },
});

defineOp({
  type: 'retinanet_target_assign',
  inputs: ['Anchor!', 'GtBoxes!', 'GtLabels!', 'IsCrowd!', 'ImInfo!'],
  outputs: ['LocationIndex', 'ScoreIndex', 'TargetBBox', 'TargetLabel', 'BBoxInsideWeight', 'ForegroundNumber'],
  attrs: { positive_overlap: float(0.5), negative_overlap: float(0.4) },
  shareLod: [],
  infer(ins) {
    const op = 'retinanet_target_assign';
    const a = checkTargetAssignInputs(ins, op);
    const gl = input(ins, 'GtLabels', op, INT32);
    rank(gl, 2, op, 'GtLabels', '[G, 1] (a LoD tensor)');
    return {
      LocationIndex: [{ dims: [-1], dtype: 'int32' }],
      ScoreIndex: [{ dims: [-1], dtype: 'int32' }],
      TargetBBox: [{ dims: [-1, 4], dtype: a.dtype }],
      TargetLabel: [{ dims: [-1, 1], dtype: 'int32' }],
      BBoxInsideWeight: [{ dims: [-1, 4], dtype: a.dtype }],
      ForegroundNumber: [{ dims: [-1, 1], dtype: 'int32' }],
    };
  },
});

defineOp({
  type: 'generate_proposals',
  inputs: ['Scores!', 'BboxDeltas!', 'ImInfo!', 'Anchors!', 'Variances!'],
  outputs: ['RpnRois', 'RpnRoiProbs', 'RpnRoisNum?'],
  attrs: { pre_nms_topN: int(), post_nms_topN: int(), nms_thresh: float(), min_size: float(), eta: float() },
  shareLod: [],
  infer(ins) {
    const op = 'generate_proposals';
    const s = input(ins, 'Scores', op, F32_64);
    const d = input(ins, 'BboxDeltas', op, F32_64);
    const info = input(ins, 'ImInfo', op, F32_64);
    const an = input(ins, 'Anchors', op, F32_64);
    const v = input(ins, 'Variances', op, F32_64);
    rank(s, 4, op, 'Scores', '[N, A, H, W]');
    rank(d, 4, op, 'BboxDeltas', '[N, 4A, H, W]');
    rank(info, 2, op, 'ImInfo', '[N, 3]');
    if (s.dims[1] >= 0 && d.dims[1] >= 0 && d.dims[1] !== 4 * s.dims[1])
      opFail(op, `BboxDeltas (shape ${showShape(d.dims)}) must have 4 channels per anchor of Scores (shape ${showShape(s.dims)})`);
    dimIs(an, -1, 4, op, 'Anchors');
    dimIs(v, -1, 4, op, 'Variances');
    const l = atLeast1(s);
    return { RpnRois: [lodMeta([-1, 4], d.dtype, l)], RpnRoiProbs: [lodMeta([-1, 1], s.dtype, l)], RpnRoisNum: [{ dims: [-1], dtype: 'int32' }] };
  },
});

defineOp({
  type: 'generate_proposal_labels',
  inputs: ['RpnRois!', 'GtClasses!', 'IsCrowd!', 'GtBoxes!', 'ImInfo!', 'MaxOverlap?!'],
  outputs: ['Rois', 'LabelsInt32', 'BboxTargets', 'BboxInsideWeights', 'BboxOutsideWeights', 'MaxOverlapWithGT'],
  attrs: {
    batch_size_per_im: int(),
    fg_fraction: float(),
    fg_thresh: float(),
    bg_thresh_hi: float(),
    bg_thresh_lo: float(),
    bbox_reg_weights: floats(),
    class_nums: int(),
    use_random: bool(true),
    is_cascade_rcnn: bool(false),
    is_cls_agnostic: bool(false),
  },
  random: true,
  shareLod: [],
  infer(ins, attrs) {
    const op = 'generate_proposal_labels';
    const r = input(ins, 'RpnRois', op, F32_64);
    input(ins, 'GtClasses', op, INT32);
    input(ins, 'IsCrowd', op, INT32);
    const gt = input(ins, 'GtBoxes', op, F32_64);
    const info = input(ins, 'ImInfo', op, F32_64);
    rank(r, 2, op, 'RpnRois', '[R, 4] (a LoD tensor)');
    rank(gt, 2, op, 'GtBoxes', '[G, 4] (a LoD tensor)');
    rank(info, 2, op, 'ImInfo', '[N, 3]');
    if (attrs.is_cascade_rcnn && !ins.MaxOverlap?.[0]) opFail(op, 'input MaxOverlap is required when is_cascade_rcnn is True');
    if ((attrs.bbox_reg_weights as number[]).length !== 4) opFail(op, `attribute bbox_reg_weights must have 4 values, but got [${attrs.bbox_reg_weights}]`);
    const w = 4 * (attrs.class_nums as number);
    return {
      Rois: [{ dims: [-1, 4], dtype: r.dtype }],
      LabelsInt32: [{ dims: [-1, 1], dtype: 'int32' }],
      BboxTargets: [{ dims: [-1, w], dtype: r.dtype }],
      BboxInsideWeights: [{ dims: [-1, w], dtype: r.dtype }],
      BboxOutsideWeights: [{ dims: [-1, w], dtype: r.dtype }],
      MaxOverlapWithGT: [{ dims: [-1], dtype: r.dtype }],
    };
  },
});

defineOp({
  type: 'generate_mask_labels',
  inputs: ['ImInfo!', 'GtClasses!', 'IsCrowd!', 'GtSegms!', 'Rois!', 'LabelsInt32!'],
  outputs: ['MaskRois', 'RoiHasMaskInt32', 'MaskInt32'],
  attrs: { num_classes: int(), resolution: int() },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'generate_mask_labels';
    const info = input(ins, 'ImInfo', op, F32_64);
    input(ins, 'GtClasses', op, INT32);
    input(ins, 'IsCrowd', op, INT32);
    const segms = input(ins, 'GtSegms', op, F32_64);
    const rois = input(ins, 'Rois', op, F32_64);
    input(ins, 'LabelsInt32', op, INT32);
    rank(info, 2, op, 'ImInfo', '[N, 3]');
    rank(segms, 2, op, 'GtSegms', '[num_points, 2] (a 3-level LoD tensor)');
    dimIs(segms, 1, 2, op, 'GtSegms');
    if (!(attrs.resolution > 0)) opFail(op, `attribute resolution must be greater than 0, but got ${attrs.resolution}`);
    const l = lodLevelOf(rois);
    const r = attrs.resolution as number;
    return {
      MaskRois: [lodMeta([-1, 4], rois.dtype, l)],
      RoiHasMaskInt32: [lodMeta([-1, 1], 'int32', l)],
      MaskInt32: [lodMeta([-1, (attrs.num_classes as number) * r * r], 'int32', l)],
    };
  },
});

defineOp({
  type: 'collect_fpn_proposals',
  inputs: ['MultiLevelRois[]!', 'MultiLevelScores[]!', 'MultiLevelRoIsNum[]?!'],
  outputs: ['FpnRois', 'RoisNum?'],
  attrs: { post_nms_topN: int() },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'collect_fpn_proposals';
    const rois = ins.MultiLevelRois ?? [];
    const scores = ins.MultiLevelScores ?? [];
    if (!rois.length) opFail(op, 'input MultiLevelRois must hold at least one level');
    if (rois.length !== scores.length) opFail(op, `inputs MultiLevelRois and MultiLevelScores must hold the same number of levels, but got ${rois.length} and ${scores.length}`);
    rois.forEach((r, i) => {
      if (!F32_64.includes(r.dtype)) opFail(op, `input MultiLevelRois[${i}] must be float32 or float64, but got ${r.dtype}`);
      if (r.dims.length !== 2 || (r.dims[1] >= 0 && r.dims[1] !== 4)) opFail(op, `input MultiLevelRois[${i}] must be [R, 4], but got shape ${showShape(r.dims)}`);
    });
    scores.forEach((s, i) => {
      if (s.dims.length !== 2 || (s.dims[1] >= 0 && s.dims[1] !== 1)) opFail(op, `input MultiLevelScores[${i}] must be [R, 1], but got shape ${showShape(s.dims)}`);
    });
    const nums = ins.MultiLevelRoIsNum ?? [];
    if (nums.length && nums.length !== rois.length) opFail(op, `input MultiLevelRoIsNum must hold one tensor per level (${rois.length}), but holds ${nums.length}`);
    if (!(attrs.post_nms_topN >= 0)) opFail(op, `attribute post_nms_topN must not be negative, but got ${attrs.post_nms_topN}`);
    const out: Record<string, Meta[]> = { FpnRois: [lodMeta([attrs.post_nms_topN as number, 4], rois[0].dtype, lodLevelOf(rois[0]))] };
    if (nums.length) out.RoisNum = [{ dims: [-1], dtype: 'int32' }];
    return out;
  },
});

defineOp({
  type: 'distribute_fpn_proposals',
  inputs: ['FpnRois!', 'RoisNum?!'],
  outputs: ['MultiFpnRois[]', 'RestoreIndex', 'MultiLevelRoIsNum[]?'],
  attrs: { min_level: int(), max_level: int(), refer_level: int(), refer_scale: int() },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'distribute_fpn_proposals';
    const r = input(ins, 'FpnRois', op, F32_64);
    rank(r, 2, op, 'FpnRois', '[R, 4]');
    dimIs(r, 1, 4, op, 'FpnRois');
    const lv = (attrs.max_level as number) - (attrs.min_level as number) + 1;
    if (!(lv >= 1)) opFail(op, `attribute max_level (${attrs.max_level}) must not be smaller than min_level (${attrs.min_level})`);
    const rn = ins.RoisNum?.[0];
    if (rn && rn.dtype !== 'int32') opFail(op, `input RoisNum must be int32, but got ${rn.dtype}`);
    const l = lodLevelOf(r);
    const out: Record<string, Meta[]> = {
      MultiFpnRois: Array.from({ length: lv }, () => lodMeta([-1, 4], r.dtype, l)),
      RestoreIndex: [{ dims: [-1, 1], dtype: 'int32' }],
    };
    if (rn) out.MultiLevelRoIsNum = Array.from({ length: lv }, () => ({ dims: [-1], dtype: 'int32' as const }));
    return out;
  },
});
