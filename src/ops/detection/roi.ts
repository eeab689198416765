// Region-of-interest pooling operators of Paddle 2.0 (paddle/fluid/operators/roi_pool_op.cc,
// roi_align_op.cc, psroi_pool_op.cc, prroi_pool_op.cc, deformable_psroi_pooling_op.cc,
// detection/roi_perspective_transform_op.cc), each with Paddle's dedicated *_grad operator:
//   roi_pool                  X, ROIs, RoisNum? -> Out, Argmax        (pooled_height, pooled_width, spatial_scale)
//   roi_align                 X, ROIs, RoisNum? -> Out                (+ sampling_ratio)
//   psroi_pool                X, ROIs -> Out                          (+ output_channels)
//   prroi_pool                X, ROIs, BatchRoINums? -> Out           (gradient for X and ROIs)
//   roi_perspective_transform X, ROIs -> Out, Mask, TransformMatrix, Out2InIdx, Out2InWeights
//   deformable_psroi_pooling  Input, ROIs, Trans -> Output, TopCount  (gradient for Input and Trans)
// X is NCHW; ROIs is [K, 4] (x1, y1, x2, y2) or [K, 8] (four corners) whose LoD, or RoisNum /
// BatchRoINums, gives each RoI's image.
import { run1, dispatch } from '../../core/dispatch.js';
import type { GradResult, Slots } from '../../core/registry.js';
import { showShape } from '../../core/shape.js';
import type { Meta } from '../../core/tensor.js';
import { bool, defineOp, float, int, ints, opFail } from '../util.js';
import { F32_64, dimIs, input, rank } from './common.js';

const poolAttrs = () => ({ spatial_scale: float(1.0), pooled_height: int(1), pooled_width: int(1) });

function checkPool(ins: Slots<Meta>, attrs: Record<string, any>, op: string, x = 'X', roiSize = 4): [Meta, Meta] {
  const xm = input(ins, x, op, F32_64);
  const rois = input(ins, 'ROIs', op, F32_64);
  rank(xm, 4, op, x, '(NCHW)');
  rank(rois, 2, op, 'ROIs', `[num_rois, ${roiSize}]`);
  dimIs(rois, 1, roiSize, op, 'ROIs');
  if (rois.dtype !== xm.dtype) opFail(op, `inputs ${x} and ROIs must have the same dtype, but got ${xm.dtype} and ${rois.dtype}`);
  for (const k of ['pooled_height', 'pooled_width', 'transformed_height', 'transformed_width'])
    if (k in attrs && !(attrs[k] > 0)) opFail(op, `attribute ${k} must be greater than 0, but got ${attrs[k]}`);
  if (!(attrs.spatial_scale > 0)) opFail(op, `attribute spatial_scale must be greater than 0, but got ${attrs.spatial_scale}`);
  return [xm, rois];
}
function checkRoisNum(ins: Slots<Meta>, op: string, slot = 'RoisNum', dtype: 'int32' | 'int64' = 'int32'): void {
  const r = ins[slot]?.[0];
  if (!r) return;
  if (r.dtype !== dtype) opFail(op, `input ${slot} must be ${dtype}, but got ${r.dtype}`);
  rank(r, 1, op, slot, '[batch_size]');
}
const gradX = (x: Meta) => ({ 'X@GRAD': [{ dims: x.dims.slice(), dtype: x.dtype }] });

// ---- roi_pool ----------------------------------------------------------------------------------

defineOp({
  type: 'roi_pool',
  inputs: ['X', 'ROIs!', 'RoisNum?!'],
  outputs: ['Out', 'Argmax'],
  attrs: poolAttrs(),
  noGradOutputs: ['Argmax'],
  shareLod: [],
  infer(ins, attrs) {
    const op = 'roi_pool';
    const [x, rois] = checkPool(ins, attrs, op);
    checkRoisNum(ins, op);
    const dims = [rois.dims[0], x.dims[1], attrs.pooled_height, attrs.pooled_width];
    return { Out: [{ dims, dtype: x.dtype }], Argmax: [{ dims: dims.slice(), dtype: 'int64' }] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const ins: Slots<any> = { X: [ctx.input('X')], ROIs: [ctx.input('ROIs')], Argmax: [ctx.output('Argmax')], 'Out@GRAD': [ctx.outGrad('Out')] };
    if (ctx.has('RoisNum')) ins.RoisNum = [ctx.input('RoisNum')];
    return { X: [run1('roi_pool_grad', ins, { ...ctx.attrs }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'roi_pool_grad',
  inputs: ['X', 'ROIs', 'RoisNum?', 'Argmax', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: poolAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const [x] = checkPool(ins, attrs, 'roi_pool_grad');
    return gradX(x);
  },
});

// ---- roi_align ---------------------------------------------------------------------------------

const alignAttrs = () => ({ ...poolAttrs(), sampling_ratio: int(-1) });

defineOp({
  type: 'roi_align',
  inputs: ['X', 'ROIs!', 'RoisNum?!'],
  outputs: ['Out'],
  attrs: alignAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const op = 'roi_align';
    const [x, rois] = checkPool(ins, attrs, op);
    checkRoisNum(ins, op);
    return { Out: [{ dims: [rois.dims[0], x.dims[1], attrs.pooled_height, attrs.pooled_width], dtype: x.dtype }] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const ins: Slots<any> = { X: [ctx.input('X')], ROIs: [ctx.input('ROIs')], 'Out@GRAD': [ctx.outGrad('Out')] };
    if (ctx.has('RoisNum')) ins.RoisNum = [ctx.input('RoisNum')];
    return { X: [run1('roi_align_grad', ins, { ...ctx.attrs }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'roi_align_grad',
  inputs: ['X', 'ROIs', 'RoisNum?', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: alignAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const [x] = checkPool(ins, attrs, 'roi_align_grad');
    return gradX(x);
  },
});

// ---- psroi_pool --------------------------------------------------------------------------------

const psAttrs = () => ({ output_channels: int(), ...poolAttrs() });

function checkPs(ins: Slots<Meta>, attrs: Record<string, any>, op: string): [Meta, Meta] {
  const [x, rois] = checkPool(ins, attrs, op);
  const oc = attrs.output_channels as number;
  if (!(oc > 1)) opFail(op, `attribute output_channels must be greater than 1, but got ${oc}`);
  const need = oc * attrs.pooled_height * attrs.pooled_width;
  if (x.dims[1] >= 0 && x.dims[1] !== need)
    opFail(op, `the channels of X (shape ${showShape(x.dims)}) must equal output_channels * pooled_height * pooled_width = ${oc} * ${attrs.pooled_height} * ${attrs.pooled_width} = ${need}`);
  return [x, rois];
}

defineOp({
  type: 'psroi_pool',
  inputs: ['X', 'ROIs!'],
  outputs: ['Out'],
  attrs: psAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const [x, rois] = checkPs(ins, attrs, 'psroi_pool');
    return { Out: [{ dims: [rois.dims[0], attrs.output_channels, attrs.pooled_height, attrs.pooled_width], dtype: x.dtype }] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const ins = { X: [ctx.input('X')], ROIs: [ctx.input('ROIs')], 'Out@GRAD': [ctx.outGrad('Out')] };
    return { X: [run1('psroi_pool_grad', ins, { ...ctx.attrs }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'psroi_pool_grad',
  inputs: ['X', 'ROIs', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: psAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const [x] = checkPs(ins, attrs, 'psroi_pool_grad');
    return gradX(x);
  },
});

// ---- prroi_pool (precise RoI pooling: exact integral of the bilinear interpolation) -------------

defineOp({
  type: 'prroi_pool',
  inputs: ['X', 'ROIs', 'BatchRoINums?!'],
  outputs: ['Out'],
  attrs: poolAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const op = 'prroi_pool';
    const [x, rois] = checkPool(ins, attrs, op);
    checkRoisNum(ins, op, 'BatchRoINums', 'int64');
    const bn = ins.BatchRoINums?.[0];
    if (bn && bn.dims[0] >= 0 && x.dims[0] >= 0 && bn.dims[0] !== x.dims[0])
      opFail(op, `input BatchRoINums (shape ${showShape(bn.dims)}) must hold one count per image of X (shape ${showShape(x.dims)})`);
    return { Out: [{ dims: [rois.dims[0], x.dims[1], attrs.pooled_height, attrs.pooled_width], dtype: x.dtype }] };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X') && !ctx.needs('ROIs')) return {};
    const ins: Slots<any> = { X: [ctx.input('X')], Out: [ctx.output('Out')], ROIs: [ctx.input('ROIs')], 'Out@GRAD': [ctx.outGrad('Out')] };
    if (ctx.has('BatchRoINums')) ins.BatchRoINums = [ctx.input('BatchRoINums')];
    const g = dispatch('prroi_pool_grad', ins, { ...ctx.attrs });
    return { X: [ctx.needs('X') ? g['X@GRAD'][0] : null], ROIs: [ctx.needs('ROIs') ? g['ROIs@GRAD'][0] : null] };
  },
});

defineOp({
  type: 'prroi_pool_grad',
  inputs: ['X', 'Out', 'ROIs', 'BatchRoINums?', 'Out@GRAD'],
  outputs: ['X@GRAD', 'ROIs@GRAD'],
  attrs: poolAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const [x, rois] = checkPool(ins, attrs, 'prroi_pool_grad');
    return { ...gradX(x), 'ROIs@GRAD': [{ dims: rois.dims.slice(), dtype: rois.dtype }] };
  },
});

// ---- roi_perspective_transform -----------------------------------------------------------------

const perspAttrs = () => ({ spatial_scale: float(1.0), transformed_height: int(1), transformed_width: int(1) });

defineOp({
  type: 'roi_perspective_transform',
  inputs: ['X', 'ROIs!'],
  outputs: ['Out', 'Mask', 'TransformMatrix', 'Out2InIdx', 'Out2InWeights'],
  attrs: perspAttrs(),
  noGradOutputs: ['Mask', 'TransformMatrix', 'Out2InIdx', 'Out2InWeights'],
  shareLod: [['ROIs', 'Out']],
  infer(ins, attrs) {
    const op = 'roi_perspective_transform';
    const [x, rois] = checkPool(ins, attrs, op, 'X', 8);
    const k = rois.dims[0];
    const th = attrs.transformed_height as number;
    const tw = attrs.transformed_width as number;
    const dims = [k, x.dims[1], th, tw];
    return {
      Out: [{ dims, dtype: x.dtype }],
      Mask: [{ dims: [k, 1, th, tw], dtype: 'int32' }],
      TransformMatrix: [{ dims: [k, 9], dtype: x.dtype }],
      Out2InIdx: [{ dims: dims.slice(), dtype: 'int32' }],
      Out2InWeights: [{ dims: dims.slice(), dtype: x.dtype }],
    };
  },
  grad(ctx): GradResult {
    if (!ctx.needs('X')) return {};
    const ins = {
      X: [ctx.input('X')], ROIs: [ctx.input('ROIs')], Out2InIdx: [ctx.output('Out2InIdx')],
      Out2InWeights: [ctx.output('Out2InWeights')], 'Out@GRAD': [ctx.outGrad('Out')],
    };
    return { X: [run1('roi_perspective_transform_grad', ins, { ...ctx.attrs }, 'X@GRAD')] };
  },
});

defineOp({
  type: 'roi_perspective_transform_grad',
  inputs: ['X', 'ROIs', 'Out2InIdx?', 'Out2InWeights?', 'Out@GRAD'],
  outputs: ['X@GRAD'],
  attrs: perspAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const [x] = checkPool(ins, attrs, 'roi_perspective_transform_grad', 'X', 8);
    return gradX(x);
  },
});

// ---- deformable_psroi_pooling ------------------------------------------------------------------

const deformAttrs = () => ({
  no_trans: bool(),
  spatial_scale: float(),
  output_dim: int(),
  group_size: ints(),
  pooled_height: int(),
  pooled_width: int(),
  part_size: ints(),
  sample_per_part: int(),
  trans_std: float(),
});

function checkDeform(ins: Slots<Meta>, attrs: Record<string, any>, op: string): [Meta, Meta, Meta] {
  const [x, rois] = checkPool(ins, attrs, op, 'Input');
  const trans = input(ins, 'Trans', op, F32_64);
  rank(trans, 4, op, 'Trans', '[num_rois, 2 * num_classes, part_height, part_width]');
  const gs = attrs.group_size as number[];
  const ps = attrs.part_size as number[];
  if (gs.length !== 2 || gs.some((g) => !(g > 0))) opFail(op, `attribute group_size must be 2 positive integers, but got [${gs.join(', ')}]`);
  if (ps.length !== 2 || ps.some((g) => !(g > 0))) opFail(op, `attribute part_size must be 2 positive integers, but got [${ps.join(', ')}]`);
  if ((trans.dims[2] >= 0 && ps[0] > trans.dims[2]) || (trans.dims[3] >= 0 && ps[1] > trans.dims[3]))
    opFail(op, `part_size [${ps.join(', ')}] must not exceed the height and width of Trans (shape ${showShape(trans.dims)})`);
  if (!(attrs.trans_std >= 0)) opFail(op, `attribute trans_std must not be negative, but got ${attrs.trans_std}`);
  if (!(attrs.sample_per_part > 0)) opFail(op, `attribute sample_per_part must be greater than 0, but got ${attrs.sample_per_part}`);
  const od = attrs.output_dim as number;
  if (!(od > 0)) opFail(op, `attribute output_dim must be greater than 0, but got ${od}`);
  if (x.dims[1] >= 0 && x.dims[1] < od) opFail(op, `the channels of Input (shape ${showShape(x.dims)}) must not be fewer than output_dim ${od}`);
  if (x.dims[1] >= 0 && x.dims[1] < od * gs[0] * gs[1])
    opFail(op, `Input (shape ${showShape(x.dims)}) needs output_dim * group_size[0] * group_size[1] = ${od * gs[0] * gs[1]} channels`);
  return [x, rois, trans];
}

defineOp({
  type: 'deformable_psroi_pooling',
  inputs: ['Input', 'ROIs!', 'Trans'],
  outputs: ['TopCount', 'Output'],
  attrs: deformAttrs(),
  noGradOutputs: ['TopCount'],
  shareLod: [],
  infer(ins, attrs) {
    const [x, rois] = checkDeform(ins, attrs, 'deformable_psroi_pooling');
    const dims = [rois.dims[0], attrs.output_dim, attrs.pooled_height, attrs.pooled_width];
    return { Output: [{ dims, dtype: x.dtype }], TopCount: [{ dims: dims.slice(), dtype: x.dtype }] };
  },
  grad(ctx): GradResult {
    const ni = ctx.needs('Input');
    const nt = ctx.needs('Trans') && !ctx.attrs.no_trans;
    if (!ni && !nt) return {};
    const ins = {
      Input: [ctx.input('Input')], Trans: [ctx.input('Trans')], ROIs: [ctx.input('ROIs')],
      TopCount: [ctx.output('TopCount')], 'Output@GRAD': [ctx.outGrad('Output')],
    };
    const g = dispatch('deformable_psroi_pooling_grad', ins, { ...ctx.attrs });
    return { Input: [ni ? g['Input@GRAD'][0] : null], Trans: [nt ? g['Trans@GRAD'][0] : null] };
  },
});

defineOp({
  type: 'deformable_psroi_pooling_grad',
  inputs: ['Input', 'Trans', 'ROIs', 'TopCount', 'Output@GRAD'],
  outputs: ['Input@GRAD', 'Trans@GRAD'],
  attrs: deformAttrs(),
  shareLod: [],
  infer(ins, attrs) {
    const [x, , trans] = checkDeform(ins, attrs, 'deformable_psroi_pooling_grad');
    return { 'Input@GRAD': [{ dims: x.dims.slice(), dtype: x.dtype }], 'Trans@GRAD': [{ dims: trans.dims.slice(), dtype: trans.dtype }] };
  },
});
