// Anchor / prior box generators of Paddle 2.0 (paddle/fluid/operators/detection/
// prior_box_op.*, density_prior_box_op.*, anchor_generator_op.*):
//   prior_box          Input, Image -> Boxes, Variances   [H, W, num_priors, 4]
//   density_prior_box  Input, Image -> Boxes, Variances   [H, W, num_priors, 4] or [H*W*num_priors, 4]
//   anchor_generator   Input -> Anchors, Variances        [H, W, num_anchors, 4]
// Only the shapes of Input (and Image) matter; none of these has a gradient.
import type { DType } from '../../core/dtype.js';
import { isFloating } from '../../core/dtype.js';
import { bool, defineOp, float, floats, ints, opFail, str } from '../util.js';
import { input, mulDims, rank } from './common.js';

/**
 * Paddle's ExpandAspectRatios: 1 first, then every ratio not already present (within 1e-6),
 * each followed by its reciprocal when `flip`.
 */
export function expandAspectRatios(ratios: readonly number[], flip: boolean): number[] {
  const out = [1];
  for (const ar of ratios) {
    if (out.some((v) => Math.abs(ar - v) < 1e-6)) continue;
    out.push(ar);
    if (flip) out.push(1 / ar);
  }
  return out;
}

/** The box dtype: the input's float dtype (prior_box's uint8/int8 kernels write float32). */
const boxDtype = (d: DType): DType => (isFloating(d) && d !== 'float16' ? d : 'float32');

function checkVariances(v: number[], op: string): void {
  if (v.length !== 4) opFail(op, `attribute variances must have 4 values, but got [${v.join(', ')}]`);
  if (v.some((x) => !(x > 0))) opFail(op, `every value of attribute variances must be greater than 0, but got [${v.join(', ')}]`);
}
function checkSteps(attrs: Record<string, any>, op: string): void {
  if (!(attrs.step_w >= 0) || !(attrs.step_h >= 0)) opFail(op, `attributes step_w and step_h must be non-negative, but got ${attrs.step_w} and ${attrs.step_h}`);
}

defineOp({
  type: 'prior_box',
  inputs: ['Input!', 'Image!'],
  outputs: ['Boxes', 'Variances'],
  attrs: {
    min_sizes: floats(),
    max_sizes: floats([]),
    aspect_ratios: floats(),
    variances: floats(),
    flip: bool(true),
    clip: bool(true),
    step_w: float(0),
    step_h: float(0),
    offset: float(0.5),
    min_max_aspect_ratios_order: bool(false),
    use_mkldnn: bool(false),
    use_quantizer: bool(false),
    mkldnn_data_type: str('float32'),
  },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'prior_box';
    const x = input(ins, 'Input', op, ['float32', 'float64', 'uint8', 'int8']);
    const img = input(ins, 'Image', op);
    rank(img, 4, op, 'Image', '(NCHW)');
    rank(x, 4, op, 'Input', '(NCHW)');
    const mins = attrs.min_sizes as number[];
    const maxs = attrs.max_sizes as number[];
    if (!mins.length) opFail(op, 'attribute min_sizes must hold at least one size');
    mins.forEach((m, i) => {
      if (!(m > 0)) opFail(op, `min_sizes[${i}] must be greater than 0, but got ${m}`);
    });
    checkVariances(attrs.variances as number[], op);
    checkSteps(attrs, op);
    let n = expandAspectRatios(attrs.aspect_ratios as number[], attrs.flip as boolean).length * mins.length;
    if (maxs.length) {
      if (maxs.length !== mins.length)
        opFail(op, `min_sizes and max_sizes must have the same length, but got ${mins.length} and ${maxs.length}`);
      maxs.forEach((m, i) => {
        if (!(m > mins[i])) opFail(op, `max_sizes[${i}] (${m}) must be greater than min_sizes[${i}] (${mins[i]})`);
      });
      n += maxs.length;
    }
    const dims = [x.dims[2], x.dims[3], n, 4];
    const d = boxDtype(x.dtype);
    return { Boxes: [{ dims, dtype: d }], Variances: [{ dims: dims.slice(), dtype: d }] };
  },
});

/** density_prior_box's number of priors per position: sum of len(fixed_ratios) * density^2. */
export function densityPriorCount(densities: readonly number[], ratios: readonly number[]): number {
  let n = 0;
  for (const d of densities) n += ratios.length * d * d;
  return n;
}

defineOp({
  type: 'density_prior_box',
  inputs: ['Input!', 'Image!'],
  outputs: ['Boxes', 'Variances'],
  attrs: {
    variances: floats(),
    clip: bool(true),
    flatten_to_2d: bool(false),
    step_w: float(0),
    step_h: float(0),
    offset: float(0.5),
    fixed_sizes: floats([]),
    fixed_ratios: floats([]),
    densities: ints([]),
  },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'density_prior_box';
    const x = input(ins, 'Input', op, ['float32', 'float64']);
    const img = input(ins, 'Image', op);
    rank(img, 4, op, 'Image', '(NCHW)');
    rank(x, 4, op, 'Input', '(NCHW)');
    for (const i of [2, 3])
      if (x.dims[i] >= 0 && img.dims[i] >= 0 && !(x.dims[i] < img.dims[i]))
        opFail(op, `the feature map (Input of shape [${x.dims}]) must be smaller than the image (Image of shape [${img.dims}]) in height and width`);
    checkVariances(attrs.variances as number[], op);
    checkSteps(attrs, op);
    const sizes = attrs.fixed_sizes as number[];
    const dens = attrs.densities as number[];
    if (sizes.length !== dens.length)
      opFail(op, `fixed_sizes and densities must have the same length, but got ${sizes.length} and ${dens.length}`);
    sizes.forEach((s, i) => {
      if (!(s > 0)) opFail(op, `fixed_sizes[${i}] must be greater than 0, but got ${s}`);
    });
    (attrs.fixed_ratios as number[]).forEach((s, i) => {
      if (!(s > 0)) opFail(op, `fixed_ratios[${i}] must be greater than 0, but got ${s}`);
    });
    dens.forEach((s, i) => {
      if (!(s > 0)) opFail(op, `densities[${i}] must be greater than 0, but got ${s}`);
    });
    const n = densityPriorCount(dens, attrs.fixed_ratios as number[]);
    const dims = attrs.flatten_to_2d ? [mulDims(x.dims[2], x.dims[3], n), 4] : [x.dims[2], x.dims[3], n, 4];
    return { Boxes: [{ dims, dtype: x.dtype }], Variances: [{ dims: dims.slice(), dtype: x.dtype }] };
  },
});

defineOp({
  type: 'anchor_generator',
  inputs: ['Input!'],
  outputs: ['Anchors', 'Variances'],
  attrs: {
    anchor_sizes: floats(),
    aspect_ratios: floats(),
    variances: floats(),
    stride: floats([16, 16]),
    offset: float(0.5),
  },
  shareLod: [],
  infer(ins, attrs) {
    const op = 'anchor_generator';
    const x = input(ins, 'Input', op, ['float32', 'float64']);
    rank(x, 4, op, 'Input', '(NCHW)');
    const sizes = attrs.anchor_sizes as number[];
    if (!sizes.length) opFail(op, 'attribute anchor_sizes must hold at least one size');
    sizes.forEach((s, i) => {
      if (!(s > 0)) opFail(op, `anchor_sizes[${i}] must be greater than 0, but got ${s}`);
    });
    checkVariances(attrs.variances as number[], op);
    const stride = attrs.stride as number[];
    if (stride.length !== 2 || stride.some((s) => !(s > 0)))
      opFail(op, `attribute stride must be 2 positive numbers (stride_width, stride_height), but got [${stride.join(', ')}]`);
    const dims = [x.dims[2], x.dims[3], (attrs.aspect_ratios as number[]).length * sizes.length, 4];
    return { Anchors: [{ dims, dtype: x.dtype }], Variances: [{ dims: dims.slice(), dtype: x.dtype }] };
  },
});
