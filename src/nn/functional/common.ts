// paddle.nn.functional common functions, as Paddle 2.0's python/paddle/nn/functional/
// {common,input,vision,extension,norm}.py (and the fluid.layers functions they re-export):
// linear, dropout, dropout2d, dropout3d, alpha_dropout, embedding, one_hot, label_smooth,
// normalize, cosine_similarity, pixel_shuffle, unfold, grid_sample, affine_grid,
// temporal_shift, diag_embed, bilinear. Each appends the operators Paddle 2.0 appends.
import { defineApi, p, type Ty } from '../../core/args.js';
import { T, tensorFromData, tensorToNumbers } from '../../core/convert.js';
import { PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { run1 } from '../../core/dispatch.js';
import { badArg, fail } from '../../core/errors.js';
import { showShape } from '../../core/shape.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import { fillConstant } from '../../ops/creation.js';
import { default_main_program } from '../../static/mode.js';

const PREFIX = 'paddle.nn.functional.';
const nameP = p('name', T.nullable(T.str), null);
/** float32's largest value: the bound paddle.clip uses for a missing max. */
const FMAX = 3.4028234663852886e38;

function checkDtype(api: string, arg: string, t: Tensor, allowed: readonly DType[]): void {
  if (!allowed.includes(t.dtype)) fail(api, `argument '${arg}' must be a Tensor of dtype ${allowed.join(', ')}, but got ${t.dtype}`);
}

/** An int or a list of ints, kept as given. */
const intOrList: Ty<number | number[], number | readonly number[]> = T.union(T.int, T.ints) as Ty<number | number[], number | readonly number[]>;

/** A list of `n` ints from an int or a list (Paddle's `[v] * n` / length check). */
function pairOf(api: string, arg: string, v: number | number[], n: number): number[] {
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  if (v.length !== n) fail(api, `argument '${arg}' should either be an integer or a list of ${n} integers, but got ${JSON.stringify(v)}`);
  return v.slice();
}

// ---------------------------------------------------------------------------------------
// linear

/**
 * Fully connected transform x @ weight + bias, as Paddle 2.0 appends it: `matmul` (no
 * transposes, alpha 1) then `elementwise_add` of the bias on the last axis.
 * @param x input of shape [batch, *, in_features] (float16, float32 or float64)
 * @param weight [in_features, out_features]
 * @param bias [out_features], or None
 * @example F.linear(paddle.ones([3, 2]), paddle.full([2, 4], 0.5), paddle.ones([4])) // every value 2
 */
export const linear = defineApi(
  `${PREFIX}linear`,
  [p('x', T.tensor), p('weight', T.tensor), p('bias', T.nullable(T.tensor), null), nameP],
  (a): Tensor => {
    checkDtype(`${PREFIX}linear`, 'x', a.x, ['float16', 'float32', 'float64']);
    const out = run1('matmul', { X: [a.x], Y: [a.weight] }, { transpose_X: false, transpose_Y: false, alpha: 1 });
    return a.bias ? c.add(out, a.bias, a.x.dims.length - 1) : out;
  },
);

// ---------------------------------------------------------------------------------------
// dropout family

const modeTy = T.oneOf('upscale_in_train', 'downscale_in_infer');

/** The dropout operator's seed attributes: the main program's random_seed when set (as 2.0). */
function seedAttrs(): { fix_seed: boolean; seed: number } {
  const s = default_main_program().random_seed;
  return s ? { fix_seed: true, seed: s } : { fix_seed: false, seed: 0 };
}

/** A keep mask (1 where uniform[0,1) >= p) of `shape`, in `dtype`: uniform_random, greater_equal, cast. */
function keepMask(shape: number[], p: number, dtype: DType): Tensor {
  const r = run1('uniform_random', {}, { shape, dtype: PROTO_DTYPE.float32, min: 0, max: 1, seed: 0 });
  const pt = fillConstant([1], 'float32', p);
  return c.cast(c.compare('greater_equal', r, pt), dtype);
}

function dropoutImpl(api: string, x: Tensor, p: number, axis: number | number[] | null, training: boolean, mode: string): Tensor {
  if (p === 0) return x; // Paddle returns x itself first
  if (!(p >= 0 && p <= 1)) fail(api, `argument 'p' should be between 0 and 1, but got ${p}`);
  if (axis === null) {
    const attrs = {
      dropout_prob: p,
      is_test: !training,
      ...seedAttrs(),
      dropout_implementation: mode === 'downscale_in_infer' ? 'downgrade_in_infer' : mode,
    };
    return run1('dropout', { X: [x] }, attrs);
  }
  // a mask over the given axes, shared along the others (Paddle's composite "dropout_nd")
  checkDtype(api, 'x', x, ['float32', 'float64']);
  const keep = 1 - p;
  if (!training) return mode === 'downscale_in_infer' ? c.scale(x, keep) : x;
  if (p === 1) return c.scale(x, 0);
  const scaled = mode === 'upscale_in_train' ? c.scale(x, 1 / keep) : x;
  const dims = x.dims;
  const axes = typeof axis === 'number' ? [axis] : axis;
  if (axes.length === 0) fail(api, "argument 'axis' must not be an empty list");
  if (axes.length > dims.length)
    fail(api, `length of axis should not be greater than dimensions of x:${dims.length}, but get length of axis: ${axes.length}`);
  if (Math.min(...axes) < 0 || Math.max(...axes) > dims.length - 1)
    fail(api, `axis value should be greater than or equal to 0 and less than dimensions of x:${dims.length}, but get axis value:${JSON.stringify(axis)}`);
  const maskShape = dims.map(() => 1);
  for (const i of axes) maskShape[i] = dims[i];
  return c.mul(c.cast(scaled, x.dtype), keepMask(maskShape, p, x.dtype));
}

/**
 * Zeroes elements of x with probability p while training. mode 'upscale_in_train' (default)
 * scales the kept values by 1/(1-p) and is the identity at inference; 'downscale_in_infer'
 * keeps them as they are and multiplies by (1-p) at inference. With `axis`, one mask is drawn
 * over those axes and shared along the others. Masks come from paddle.seed's generator.
 * @param x a float Tensor
 * @param p probability of zeroing an element (0.5)
 * @param axis int or list of axes of the mask (None: every element independently)
 * @param training whether training (True)
 * @param mode 'upscale_in_train' or 'downscale_in_infer'
 * @example F.dropout(paddle.ones([2, 3]), 0.5) // each value 0 or 2
 */
export const dropout = defineApi(
  `${PREFIX}dropout`,
  [
    p('x', T.tensor), p('p', T.float, 0.5), p('axis', T.nullable(intOrList), null), p('training', T.bool, true),
    p('mode', modeTy, 'upscale_in_train'), nameP,
  ],
  (a): Tensor => dropoutImpl(`${PREFIX}dropout`, a.x, a.p, a.axis, a.training, a.mode),
);

function channelDropout(api: string, x: Tensor, p: number, training: boolean, fmt: string, rank: number): Tensor {
  if (x.dims.length !== rank) fail(api, `dimensions of x should be ${rank}, but received ${x.dims.length} != ${rank} (shape ${showShape(x.dims)})`);
  const channelFirst = fmt === 'NCHW' || fmt === 'NCDHW';
  return dropoutImpl(api, x, p, [0, channelFirst ? 1 : rank - 1], training, 'upscale_in_train');
}

/**
 * Zeroes whole channels (2-D feature maps) of a 4-D input with probability p while training,
 * scaling the rest by 1/(1-p).
 * @param x [N, C, H, W] (or NHWC) float Tensor
 * @param p probability of zeroing a channel (0.5)
 * @param training whether training (True)
 * @param data_format 'NCHW' or 'NHWC'
 * @example F.dropout2d(paddle.ones([2, 3, 4, 5]))
 */
export const dropout2d = defineApi(
  `${PREFIX}dropout2d`,
  [p('x', T.tensor), p('p', T.float, 0.5), p('training', T.bool, true), p('data_format', T.oneOf('NCHW', 'NHWC'), 'NCHW'), nameP],
  (a): Tensor => channelDropout(`${PREFIX}dropout2d`, a.x, a.p, a.training, a.data_format, 4),
);

/**
 * Zeroes whole channels (3-D feature maps) of a 5-D input with probability p while training,
 * scaling the rest by 1/(1-p).
 * @param x [N, C, D, H, W] (or NDHWC) float Tensor
 * @param p probability of zeroing a channel (0.5)
 * @param training whether training (True)
 * @param data_format 'NCDHW' or 'NDHWC'
 * @example F.dropout3d(paddle.ones([2, 3, 4, 5, 6]))
 */
export const dropout3d = defineApi(
  `${PREFIX}dropout3d`,
  [p('x', T.tensor), p('p', T.float, 0.5), p('training', T.bool, true), p('data_format', T.oneOf('NCDHW', 'NDHWC'), 'NCDHW'), nameP],
  (a): Tensor => channelDropout(`${PREFIX}dropout3d`, a.x, a.p, a.training, a.data_format, 5),
);

/** SELU's constants (alpha, scale). */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * Alpha dropout for SELU networks: dropped elements take SELU's negative saturation value
 * -alpha*scale, then an affine map a*y + b keeps zero mean and unit variance. Identity when
 * not training.
 * @param x a float32 or float64 Tensor
 * @param p probability of dropping an element (0.5)
 * @param training whether training (True)
 * @example F.alpha_dropout(paddle.to_tensor([[-1, 1], [-1, 1]], { dtype: 'float32' }), 0.5)
 */
export const alpha_dropout = defineApi(
  `${PREFIX}alpha_dropout`,
  [p('x', T.tensor), p('p', T.float, 0.5), p('training', T.bool, true), nameP],
  (a): Tensor => {
    const api = `${PREFIX}alpha_dropout`;
    const { x, p: pr } = a;
    if (!(pr >= 0 && pr <= 1)) fail(api, `argument 'p' should be between 0 and 1, but got ${pr}`);
    checkDtype(api, 'x', x, ['float32', 'float64']);
    if (!a.training) return x;
    if (pr === 1) return c.scale(x, 0);
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const scaleA = ((1 - pr) * (1 + pr * alphaP ** 2)) ** -0.5;
    const b = -scaleA * alphaP * pr;
    const keep = keepMask(x.dims.slice(), pr, x.dtype);
    const drop = c.sub(fillConstant(x.dims.slice(), x.dtype, 1), keep);
    const y = c.add(c.mul(x, keep), c.scale(drop, alphaP));
    return c.add(c.scale(y, scaleA), fillConstant([1], x.dtype, b));
  },
);

// ---------------------------------------------------------------------------------------
// embedding, one_hot, label_smooth

/**
 * Looks up rows of `weight` for the ids in x: the output has x's shape plus the embedding
 * dim. Ids must lie in [0, weight.shape[0]). Rows at padding_idx are zeros and get no
 * gradient (with sparse, as Paddle's sparse kernel, they do); a negative padding_idx counts
 * from the end. With sparse, a dygraph backward gives weight a SelectedRows gradient (rows =
 * the ids), which SGD and Adam(lazy_mode) apply to those rows only.
 * @param x int32 or int64 ids of any shape
 * @param weight the table [num_embeddings, embedding_dim]
 * @param padding_idx an id in [-num_embeddings, num_embeddings) whose rows are zeros, or None
 * @param sparse a SelectedRows gradient for weight (False)
 * @example F.embedding(paddle.to_tensor([[3], [4], [5]]), paddle.full([10, 3], 2)) // shape [3, 1, 3]
 */
export const embedding = defineApi(
  `${PREFIX}embedding`,
  [p('x', T.tensor), p('weight', T.tensor), p('padding_idx', T.nullable(T.int), null), p('sparse', T.bool, false), nameP],
  (a): Tensor => {
    const api = `${PREFIX}embedding`;
    checkDtype(api, 'x', a.x, ['int32', 'int64']);
    if (a.weight.dims.length !== 2) fail(api, `argument 'weight' must be 2-D [num_embeddings, embedding_dim], but got shape ${showShape(a.weight.dims)}`);
    const num = a.weight.dims[0];
    let pad = -1;
    if (a.padding_idx !== null) {
      if (num >= 0 && (a.padding_idx >= num || a.padding_idx < -num)) fail(api, `padding_idx must be within [-${num}, ${num}), but got ${a.padding_idx}`);
      pad = a.padding_idx >= 0 ? a.padding_idx : num + a.padding_idx;
    }
    return run1('lookup_table_v2', { W: [a.weight], Ids: [a.x] }, {
      is_sparse: a.sparse, is_distributed: false, remote_prefetch: false, padding_idx: pad,
    });
  },
);

/**
 * One-hot encodes int ids into a new trailing dim of size num_classes (float32). An id
 * outside [0, num_classes) is an error.
 * @param x int32 or int64 ids, at least 1-D
 * @param num_classes the number of classes (an int, or a 1-element int Tensor)
 * @example F.one_hot(paddle.to_tensor([1, 1, 3, 0]), 4) // [[0,1,0,0],[0,1,0,0],[0,0,0,1],[1,0,0,0]]
 */
export const one_hot = defineApi(
  `${PREFIX}one_hot`,
  [p('x', T.tensor), p('num_classes', T.union(T.int, T.tensor)), nameP],
  (a): Tensor => {
    checkDtype(`${PREFIX}one_hot`, 'x', a.x, ['int32', 'int64']);
    if (a.num_classes instanceof Tensor) {
      const d = c.cast(a.num_classes, 'int32');
      return run1('one_hot_v2', { X: [a.x], depth_tensor: [d] }, { allow_out_of_range: false });
    }
    return run1('one_hot_v2', { X: [a.x] }, { depth: a.num_classes, allow_out_of_range: false });
  },
);

/**
 * Label smoothing: (1 - epsilon) * label + epsilon * prior_dist, with the uniform prior
 * 1/num_classes when prior_dist is None.
 * @param label one-hot (or soft) float labels [N_1, ..., num_classes]
 * @param prior_dist the prior [1, num_classes], or None
 * @param epsilon the mixing weight in [0, 1] (0.1)
 * @example F.label_smooth(paddle.to_tensor([[[0, 1, 0], [1, 0, 1]]], { dtype: 'float32' })) // [[[0.0333, 0.9333, 0.0333], [0.9333, 0.0333, 0.9333]]]
 */
export const label_smooth = defineApi(
  `${PREFIX}label_smooth`,
  [p('label', T.tensor), p('prior_dist', T.nullable(T.tensor), null), p('epsilon', T.float, 0.1), nameP],
  (a): Tensor => {
    const api = `${PREFIX}label_smooth`;
    if (a.epsilon > 1 || a.epsilon < 0) fail(api, `The value of epsilon must be between 0 and 1, but got ${a.epsilon}`);
    checkDtype(api, 'label', a.label, ['float32', 'float64']);
    const ins: Record<string, Tensor[]> = { X: [a.label] };
    if (a.prior_dist) ins.PriorDist = [a.prior_dist];
    return run1('label_smooth', ins, { epsilon: a.epsilon });
  },
);

// ---------------------------------------------------------------------------------------
// normalize, cosine_similarity

/**
 * Divides x by its p-norm along `axis`, floored at epsilon: x / max(||x||_p, epsilon).
 * @param x a float32 or float64 Tensor
 * @param p the norm order (2)
 * @param axis the axis of the norm (1)
 * @param epsilon the floor of the norm (1e-12)
 * @example F.normalize(paddle.to_tensor([[3, 4]], { dtype: 'float32' })) // [[0.6, 0.8]]
 */
export const normalize = defineApi(
  `${PREFIX}normalize`,
  [p('x', T.tensor), p('p', T.float, 2), p('axis', T.int, 1), p('epsilon', T.float, 1e-12), nameP],
  (a): Tensor => {
    const api = `${PREFIX}normalize`;
    checkDtype(api, 'x', a.x, ['float32', 'float64']);
    if (a.x.dims.length === 1 && a.axis !== 0 && a.axis !== -1) fail(api, `Axis must be 0 or -1 when x is a 1-D tensor, but received axis = ${a.axis}`);
    const norm = run1('p_norm', { X: [a.x] }, { axis: a.axis, porder: a.p, keepdim: true, epsilon: a.epsilon, asvector: false });
    const eps = fillConstant([1], a.x.dtype, a.epsilon);
    return c.div(a.x, run1('elementwise_max', { X: [norm], Y: [eps] }, { axis: -1 }));
  },
);

/**
 * Cosine similarity of x1 and x2 along `axis`: sum(x1*x2) / sqrt(max(sum(x1^2) * sum(x2^2), eps^2)).
 * @param x1 a float Tensor
 * @param x2 a float Tensor (broadcast with x1)
 * @param axis the axis of the vectors (1)
 * @param eps the floor of the norms (1e-8)
 * @example F.cosine_similarity(paddle.to_tensor([[1, 0]], { dtype: 'float32' }), paddle.to_tensor([[1, 1]], { dtype: 'float32' })) // [0.7071]
 */
export const cosine_similarity = defineApi(
  `${PREFIX}cosine_similarity`,
  [p('x1', T.tensor), p('x2', T.tensor), p('axis', T.int, 1), p('eps', T.float, 1e-8)],
  (a): Tensor => {
    const api = `${PREFIX}cosine_similarity`;
    checkDtype(api, 'x1', a.x1, ['float32', 'float64']);
    checkDtype(api, 'x2', a.x2, ['float32', 'float64']);
    const prod = c.mul(a.x1, a.x2);
    const r = prod.dims.length;
    if (a.axis < -r || a.axis >= r) fail(api, `argument 'axis' (${a.axis}) is out of range for inputs of rank ${r} (expected an integer in [${-r}, ${r - 1}])`);
    const ax = a.axis < 0 ? a.axis + r : a.axis;
    const w12 = c.sum(prod, [ax]);
    const w1 = c.sum(c.mul(a.x1, a.x1), [ax]);
    const w2 = c.sum(c.mul(a.x2, a.x2), [ax]);
    const n12 = c.sqrt(run1('clip', { X: [c.mul(w1, w2)] }, { min: a.eps * a.eps, max: FMAX }));
    return c.div(w12, n12);
  },
);

// ---------------------------------------------------------------------------------------
// vision: pixel_shuffle, unfold, grid_sample, affine_grid, temporal_shift

/**
 * Rearranges [N, C*r*r, H, W] into [N, C, H*r, W*r] (sub-pixel convolution); NHWC likewise.
 * @param x a 4-D Tensor
 * @param upscale_factor r
 * @param data_format 'NCHW' or 'NHWC'
 * @example F.pixel_shuffle(paddle.ones([2, 9, 4, 4]), 3) // shape [2, 1, 12, 12]
 */
export const pixel_shuffle = defineApi(
  `${PREFIX}pixel_shuffle`,
  [p('x', T.tensor), p('upscale_factor', T.int), p('data_format', T.oneOf('NCHW', 'NHWC'), 'NCHW'), nameP],
  (a): Tensor => {
    checkDtype(`${PREFIX}pixel_shuffle`, 'x', a.x, ['float16', 'float32', 'float64']);
    return run1('pixel_shuffle', { X: [a.x] }, { upscale_factor: a.upscale_factor, data_format: a.data_format });
  },
);

/**
 * im2col: extracts the sliding blocks of an [N, C, H, W] input into columns, giving
 * [N, C*kh*kw, L] with L the number of blocks.
 * @param x a 4-D float32/float64 Tensor
 * @param kernel_sizes k or [kh, kw]
 * @param strides s or [sh, sw] (1)
 * @param paddings p, [ph, pw] or [top, left, bottom, right] (0)
 * @param dilations d or [dh, dw] (1)
 * @example F.unfold(paddle.randn([100, 3, 224, 224]), [3, 3], 1, 1, 1) // shape [100, 27, 50176]
 */
export const unfold = defineApi(
  `${PREFIX}unfold`,
  [
    p('x', T.tensor), p('kernel_sizes', intOrList), p('strides', intOrList, 1), p('paddings', intOrList, 0),
    p('dilations', intOrList, 1), nameP,
  ],
  (a): Tensor => {
    const api = `${PREFIX}unfold`;
    checkDtype(api, 'x', a.x, ['float32', 'float64']);
    if (a.x.dims.length !== 4) fail(api, `input should be the format of [N, C, H, W], but got shape ${showShape(a.x.dims)}`);
    let paddings: number[];
    if (typeof a.paddings === 'number') paddings = [a.paddings, a.paddings, a.paddings, a.paddings];
    else if (a.paddings.length === 2) paddings = [...a.paddings, ...a.paddings];
    else if (a.paddings.length === 4) paddings = a.paddings.slice();
    else return fail(api, `paddings should either be an integer or a list of 2 or 4 integers, but got ${JSON.stringify(a.paddings)}`);
    return run1('unfold', { X: [a.x] }, {
      kernel_sizes: pairOf(api, 'kernel_sizes', a.kernel_sizes, 2),
      strides: pairOf(api, 'strides', a.strides, 2),
      paddings,
      dilations: pairOf(api, 'dilations', a.dilations, 2),
    }, 'Y');
  },
);

/**
 * Samples x [N, C, H, W] at the normalized (x, y) locations of grid [N, H', W', 2] (-1 and 1
 * are the corner pixels' centres with align_corners, else the image edges), by bilinear or
 * nearest interpolation; locations outside read zeros, the border, or a reflection.
 * @param x a 4-D float32/float64 Tensor
 * @param grid [N, H', W', 2] of the same dtype
 * @param mode 'bilinear' or 'nearest'
 * @param padding_mode 'zeros', 'reflection' or 'border'
 * @param align_corners (True)
 * @example F.grid_sample(x, grid, { mode: 'nearest' }) // shape [N, C, H', W']
 */
export const grid_sample = defineApi(
  `${PREFIX}grid_sample`,
  [
    p('x', T.tensor), p('grid', T.tensor), p('mode', T.oneOf('bilinear', 'nearest'), 'bilinear'),
    p('padding_mode', T.oneOf('zeros', 'reflection', 'border'), 'zeros'), p('align_corners', T.bool, true), nameP,
  ],
  (a): Tensor => {
    const api = `${PREFIX}grid_sample`;
    checkDtype(api, 'x', a.x, ['float32', 'float64']);
    checkDtype(api, 'grid', a.grid, ['float32', 'float64']);
    return run1('grid_sampler', { X: [a.x], Grid: [a.grid] }, {
      mode: a.mode, padding_mode: a.padding_mode, align_corners: a.align_corners, use_cudnn: false,
    }, 'Output');
  },
);

const outShapeTy: Ty<number[] | Tensor, readonly number[] | Tensor> = {
  desc: 'a list of ints or a Tensor',
  parse: (v, api, arg) => {
    if (v instanceof Tensor) return v;
    if (Array.isArray(v) && v.every((x) => Number.isInteger(x))) return (v as number[]).slice();
    return badArg(api, arg, 'a list, tuple or Tensor', v);
  },
};

/**
 * Builds the sampling grid [N, H, W, 2] of the affine maps theta [N, 2, 3] for an output
 * of size out_shape [N, C, H, W]: each output pixel's normalized (x, y), mapped by theta.
 * @param theta [N, 2, 3] float32/float64
 * @param out_shape [N, C, H, W] as a list or an int32 Tensor
 * @param align_corners (True)
 * @example F.affine_grid(paddle.to_tensor([[[1, 0, 0], [0, 1, 0]]], { dtype: 'float32' }), [1, 1, 2, 3])
 */
export const affine_grid = defineApi(
  `${PREFIX}affine_grid`,
  [p('theta', T.tensor), p('out_shape', outShapeTy), p('align_corners', T.bool, true), nameP],
  (a): Tensor => {
    const api = `${PREFIX}affine_grid`;
    checkDtype(api, 'theta', a.theta, ['float32', 'float64']);
    const attrs: Record<string, unknown> = { align_corners: a.align_corners, use_cudnn: false };
    const ins: Record<string, Tensor[]> = { Theta: [a.theta] };
    if (a.out_shape instanceof Tensor) {
      if (!state.staticMode) attrs.output_shape = tensorToNumbers(a.out_shape);
      else {
        checkDtype(api, 'out_shape', a.out_shape, ['int32']);
        ins.OutputShape = [a.out_shape];
      }
    } else attrs.output_shape = a.out_shape;
    return run1('affine_grid', ins, attrs, 'Output');
  },
);

/**
 * Temporal Shift Module: in x [N*T, C, H, W] (T = seg_num), the first shift_ratio of the
 * channels take the previous time step's values, the next shift_ratio the following step's
 * (zeros at the ends), the rest stay.
 * @param x a 4-D float Tensor
 * @param seg_num T, the number of time segments
 * @param shift_ratio the fraction of channels shifted each way (0.25)
 * @example F.temporal_shift(paddle.randn([6, 4, 2, 2]), 2, 0.2)
 */
export const temporal_shift = defineApi(
  `${PREFIX}temporal_shift`,
  [p('x', T.tensor), p('seg_num', T.int), p('shift_ratio', T.float, 0.25), nameP],
  (a): Tensor => {
    checkDtype(`${PREFIX}temporal_shift`, 'x', a.x, ['float32', 'float64']);
    return run1('temporal_shift', { X: [a.x] }, { seg_num: a.seg_num, shift_ratio: a.shift_ratio });
  },
);

// ---------------------------------------------------------------------------------------
// diag_embed, bilinear

/**
 * Puts the last dim of `input` on a diagonal (offset) of the 2-D planes formed by the new
 * dims dim1 and dim2, zeros elsewhere: one more dim than input. Not differentiable (as 2.0).
 * @param input an int32, int64, float32 or float64 Tensor (or data), at least 1-D
 * @param offset which diagonal: 0 main, > 0 above, < 0 below
 * @param dim1 first dim of the planes (-2)
 * @param dim2 second dim of the planes (-1)
 * @example F.diag_embed(paddle.to_tensor([1, 2])) // [[1, 0], [0, 2]]
 */
export const diag_embed = defineApi(
  `${PREFIX}diag_embed`,
  [p('input', T.union(T.tensor, T.data)), p('offset', T.int, 0), p('dim1', T.int, -2), p('dim2', T.int, -1)],
  (a): Tensor => {
    const api = `${PREFIX}diag_embed`;
    const x = a.input instanceof Tensor ? a.input : tensorFromData(a.input, null, api, 'input');
    checkDtype(api, 'input', x, ['int32', 'int64', 'float16', 'float32', 'float64']);
    const out = run1('diag_embed', { Input: [x] }, { offset: a.offset, dim1: a.dim1, dim2: a.dim2 });
    out.stop_gradient = true;
    return out;
  },
);

/**
 * Bilinear form out[:, k] = x1 W_k x2^T (+ bias[k]) for each of the out_features slices W_k.
 * @param x1 [batch, in1_features] float32/float64
 * @param x2 [batch, in2_features]
 * @param weight [out_features, in1_features, in2_features]
 * @param bias [1, out_features], or None
 * @example F.bilinear(paddle.ones([5, 5]), paddle.ones([5, 4]), paddle.ones([1000, 5, 4])) // shape [5, 1000]
 */
export const bilinear = defineApi(
  `${PREFIX}bilinear`,
  [p('x1', T.tensor), p('x2', T.tensor), p('weight', T.tensor), p('bias', T.nullable(T.tensor), null), nameP],
  (a): Tensor => {
    const api = `${PREFIX}bilinear`;
    checkDtype(api, 'x1', a.x1, ['float32', 'float64']);
    checkDtype(api, 'x2', a.x2, ['float32', 'float64']);
    const ins: Record<string, Tensor[]> = { X: [a.x1], Y: [a.x2], Weight: [a.weight] };
    if (a.bias) ins.Bias = [a.bias];
    return run1('bilinear_tensor_product', ins);
  },
);
