// Box coding and box geometry operators of Paddle 2.0 (paddle/fluid/operators/detection/):
//   box_coder              PriorBox, PriorBoxVar?, TargetBox -> OutputBox   (code_type, box_normalized, axis, variance)
//   box_clip               Input, ImInfo -> Output
//   box_decoder_and_assign PriorBox, PriorBoxVar, TargetBox, BoxScore -> DecodeBox, OutputAssignBox (box_clip)
//   iou_similarity         X, Y -> Out                                      (box_normalized)
//   polygon_box_transform  Input -> Output
// None has a gradient in Paddle. LoD follows the operators' ShareLoD calls.
import { lodLevelOf } from '../../core/lod.js';
import { showShape } from '../../core/shape.js';
import { bool, defineOp, float, floats, int, opFail, str } from '../util.js';
import { F32_64, dimIs, input, lodMeta, rank, sameDim } from './common.js';

defineOp({
  type: 'box_coder',
  inputs: ['PriorBox!', 'PriorBoxVar?!', 'TargetBox!'],
  outputs: ['OutputBox'],
  attrs: {
    code_type: str('encode_center_size'),
    box_normalized: bool(true),
    axis: int(0),
    variance: floats([]),
  },
  // decode along axis 1 shares PriorBox's LoD, otherwise TargetBox's (the kernel sets it)
  shareLod: [],
  infer(ins, attrs) {
    const op = 'box_coder';
    const prior = input(ins, 'PriorBox', op, F32_64);
    const target = input(ins, 'TargetBox', op, F32_64);
    const code = attrs.code_type as string;
    if (code !== 'encode_center_size' && code !== 'decode_center_size')
      opFail(op, `attribute code_type must be 'encode_center_size' or 'decode_center_size', but got '${code}'`);
    rank(prior, 2, op, 'PriorBox', '[M, 4]');
    dimIs(prior, 1, 4, op, 'PriorBox');
    const pv = ins.PriorBoxVar?.[0];
    const variance = attrs.variance as number[];
    if (pv) {
      rank(pv, 2, op, 'PriorBoxVar', '[M, 4]');
      if (pv.dims.some((d, i) => d >= 0 && prior.dims[i] >= 0 && d !== prior.dims[i]))
        opFail(op, `input PriorBoxVar must have the shape of PriorBox ${showShape(prior.dims)}, but got ${showShape(pv.dims)}`);
      if (variance.length) opFail(op, "input PriorBoxVar and attribute 'variance' cannot be used at the same time");
    }
    if (variance.length && variance.length !== 4) opFail(op, `attribute variance must have 4 values, but got ${variance.length}`);
    const axis = attrs.axis as number;
    let dims: number[];
    let lodFrom = target;
    if (code === 'encode_center_size') {
      rank(target, 2, op, 'TargetBox', '[N, 4] when encoding');
      dimIs(target, 1, 4, op, 'TargetBox');
      dims = [target.dims[0], prior.dims[0], 4];
    } else {
      rank(target, 3, op, 'TargetBox', '[N, M, 4] when decoding');
      if (axis !== 0 && axis !== 1) opFail(op, `attribute axis must be 0 or 1, but got ${axis}`);
      sameDim(target.dims[1 - axis], prior.dims[0], op,
        `when axis is ${axis}, dimension ${1 - axis} of TargetBox (shape ${showShape(target.dims)}) must equal the number of prior boxes (PriorBox of shape ${showShape(prior.dims)})`);
      sameDim(target.dims[2], prior.dims[1], op, `the last dimension of TargetBox (shape ${showShape(target.dims)}) must be 4`);
      dims = target.dims.slice();
      if (axis === 1) lodFrom = prior;
    }
    return { OutputBox: [lodMeta(dims, prior.dtype, lodLevelOf(lodFrom))] };
  },
});

defineOp({
  type: 'box_clip',
  inputs: ['Input!', 'ImInfo!'],
  outputs: ['Output'],
  shareLod: [['Input', 'Output']],
  infer(ins) {
    const op = 'box_clip';
    const x = input(ins, 'Input', op, F32_64);
    const info = input(ins, 'ImInfo', op, F32_64);
    if (!x.dims.length) opFail(op, 'input Input must hold boxes [..., 4]');
    dimIs(x, -1, 4, op, 'Input', 'xmin, ymin, xmax, ymax');
    rank(info, 2, op, 'ImInfo', '[N, 3] (height, width, scale)');
    dimIs(info, 1, 3, op, 'ImInfo');
    return { Output: [lodMeta(x.dims.slice(), x.dtype, lodLevelOf(x))] };
  },
});

defineOp({
  type: 'box_decoder_and_assign',
  inputs: ['PriorBox!', 'PriorBoxVar?!', 'TargetBox!', 'BoxScore!'],
  outputs: ['DecodeBox', 'OutputAssignBox'],
  attrs: { box_clip: float(4.135) },
  shareLod: [['TargetBox', 'DecodeBox'], ['PriorBox', 'OutputAssignBox']],
  infer(ins) {
    const op = 'box_decoder_and_assign';
    const prior = input(ins, 'PriorBox', op, F32_64);
    const pv = ins.PriorBoxVar?.[0];
    if (!pv) opFail(op, 'input PriorBoxVar is required');
    const target = input(ins, 'TargetBox', op, F32_64);
    const score = input(ins, 'BoxScore', op, F32_64);
    rank(prior, 2, op, 'PriorBox', '[N, 4]');
    dimIs(prior, 1, 4, op, 'PriorBox');
    rank(pv, 1, op, 'PriorBoxVar', '[4]');
    dimIs(pv, 0, 4, op, 'PriorBoxVar');
    rank(target, 2, op, 'TargetBox', '[N, 4 * C]');
    rank(score, 2, op, 'BoxScore', '[N, C]');
    sameDim(prior.dims[0], target.dims[0], op, `PriorBox ${showShape(prior.dims)} and TargetBox ${showShape(target.dims)} must have the same number of rows`);
    sameDim(prior.dims[0], score.dims[0], op, `PriorBox ${showShape(prior.dims)} and BoxScore ${showShape(score.dims)} must have the same number of rows`);
    if (target.dims[1] >= 0 && score.dims[1] >= 0 && target.dims[1] !== score.dims[1] * 4)
      opFail(op, `TargetBox must have 4 columns per class of BoxScore, but got TargetBox ${showShape(target.dims)} and BoxScore ${showShape(score.dims)}`);
    return {
      DecodeBox: [lodMeta(target.dims.slice(), prior.dtype, lodLevelOf(target))],
      OutputAssignBox: [lodMeta(prior.dims.slice(), prior.dtype, lodLevelOf(prior))],
    };
  },
});

defineOp({
  type: 'iou_similarity',
  inputs: ['X!', 'Y!'],
  outputs: ['Out'],
  attrs: { box_normalized: bool(true) },
  shareLod: [['X', 'Out']],
  infer(ins) {
    const op = 'iou_similarity';
    const x = input(ins, 'X', op, F32_64);
    const y = input(ins, 'Y', op, F32_64);
    rank(x, 2, op, 'X', '[N, 4]');
    dimIs(x, 1, 4, op, 'X');
    rank(y, 2, op, 'Y', '[M, 4]');
    dimIs(y, 1, 4, op, 'Y');
    if (x.dtype !== y.dtype) opFail(op, `inputs X and Y must have the same dtype, but got ${x.dtype} and ${y.dtype}`);
    return { Out: [lodMeta([x.dims[0], y.dims[0]], x.dtype, lodLevelOf(x))] };
  },
});

defineOp({
  type: 'polygon_box_transform',
  inputs: ['Input!'],
  outputs: ['Output'],
  shareLod: [],
  infer(ins) {
    const op = 'polygon_box_transform';
    const x = input(ins, 'Input', op, F32_64);
    rank(x, 4, op, 'Input', '[N, geo_channels, H, W]');
    if (x.dims[1] >= 0 && x.dims[1] % 2 !== 0) opFail(op, `the number of geometry channels (dimension 1 of Input, shape ${showShape(x.dims)}) must be even`);
    return { Output: [{ dims: x.dims.slice(), dtype: x.dtype }] };
  },
});
