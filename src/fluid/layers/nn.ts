// paddle.fluid.layers neural-network functions (Paddle 2.0's python/paddle/fluid/layers/nn.py):
// fluid signatures and defaults, fluid's operator types (mul, lookup_table, matmul v1,
// flatten2, expand, top_k, one_hot v1, *_interp v1...), parameters created the way
// LayerHelper creates them (`fc_0.w_0`), and `act` arguments appended as activation ops.
// Every function works in dygraph and in static mode.
import { defineApi, p, type Ty } from '../../core/args.js';
import { T, tensorToNumbers } from '../../core/convert.js';
import { PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { badArg, fail } from '../../core/errors.js';
import { assign } from './tensor.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { ConstantInitializer } from '../../nn/initializer/constant.js';
import { NormalInitializer } from '../../nn/initializer/normal.js';
import { ParamAttr } from '../../nn/param_attr.js';
import { runBatchNorm } from '../../nn/functional/norm.js';
import { shapeInputs, shapeTy } from '../../ops/creation.js';
import { Variable } from '../../static/framework.js';
import { default_main_program, default_startup_program } from '../../static/mode.js';
import { generate } from '../../static/unique_name.js';
import {
  actTy, appendAct, checkDtype, intInputs, intsTy, L, layerName, nameP, param, resolveInts, runInto, tensorOrList, toList,
} from './misc.js';

const FLOATS: readonly DType[] = ['float16', 'float32', 'float64'];
const F32_64: readonly DType[] = ['float32', 'float64'];
const NUM4: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];
const prod = (a: readonly number[]): number => a.reduce((x, y) => x * y, 1);
const outs = (type: string, ins: Record<string, Tensor[]>, attrs: Record<string, unknown>, slots: string[]): Tensor[] => {
  const r = dispatch(type, ins, attrs);
  return slots.map((s) => r[s][0]);
};
/** A number or a list of ints, kept as given. */
const intOrList: Ty<number | number[]> = T.union(T.int, T.ints) as Ty<number | number[]>;
const paramAttrTy = T.any;

// =====================================================================================
// fc, embedding

/**
 * A fully connected layer: for each input, `mul` with a new weight [prod(in dims after
 * num_flatten_dims), size]; several inputs are summed (`sum`); then the bias
 * (`elementwise_add` from axis num_flatten_dims) and the activation.
 * @param input a Tensor or a list of Tensors (float16, float32, float64)
 * @param size the output width
 * @param num_flatten_dims how many leading dims are batch dims (-1: all but the last)
 * @param param_attr the weights' ParamAttr (one per input, or one for all)
 * @param bias_attr the bias' ParamAttr (false: no bias)
 * @param act an activation appended (e.g. 'relu', 'softmax')
 * @example const y = fluid.layers.fc(x, 10, { act: 'softmax' })
 */
export const fc = defineApi(
  `${L}fc`,
  [p('input', tensorOrList), p('size', T.int), p('num_flatten_dims', T.int, 1), p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null), p('act', actTy, null), nameP],
  (a): Tensor => {
    const api = `${L}fc`;
    const inputs = a.input instanceof Tensor ? [a.input] : a.input;
    const dtype = inputs[0].dtype;
    for (const x of inputs) {
      checkDtype(api, 'input', x, FLOATS);
      if (x.dtype !== dtype) fail(api, `all inputs must have the same dtype, but got ${dtype} and ${x.dtype}`);
    }
    const layer = layerName('fc', a.name);
    let attrs: unknown[];
    if (Array.isArray(a.param_attr)) {
      if (a.param_attr.length !== inputs.length) fail(api, `param_attr holds ${a.param_attr.length} attributes but there are ${inputs.length} inputs`);
      attrs = a.param_attr;
    } else attrs = inputs.map(() => (a.param_attr instanceof ParamAttr ? a.param_attr._copy() : a.param_attr));
    let nfd = a.num_flatten_dims;
    const muls = inputs.map((x, i) => {
      if (nfd === -1) nfd = x.dims.length - 1;
      if (nfd < 1 || nfd >= x.dims.length + 1) fail(api, `num_flatten_dims (${a.num_flatten_dims}) must be in [1, rank of input] for an input of shape [${x.dims}]`);
      const inner = x.dims.slice(nfd);
      if (inner.some((d) => d < 0)) fail(api, `the dims of input after num_flatten_dims must be known, but got shape [${x.dims}]`);
      const w = param(layer, attrs[i], [prod(inner), a.size], dtype, false, api)!;
      return run1('mul', { X: [x], Y: [w] }, { x_num_col_dims: nfd, y_num_col_dims: 1 });
    });
    const pre = muls.length === 1 ? muls[0] : run1('sum', { X: muls }, { use_mkldnn: false });
    return appendAct(appendBias(layer, pre, a.bias_attr, nfd, api), a.act);
  },
);

/** LayerHelper.append_bias_op: a bias of pre's shape[dimStart:dimEnd] added from axis dimStart. */
function appendBias(layer: string, pre: Tensor, biasAttr: unknown, dimStart: number, api: string, dimEnd?: number): Tensor {
  if (biasAttr === false) return pre;
  const shape = pre.dims.slice(dimStart, dimEnd);
  const b = param(layer, biasAttr, shape, pre.dtype, true, api);
  if (!b) return pre;
  return run1('elementwise_add', { X: [pre], Y: [b] }, { axis: dimStart });
}

/**
 * Looks up rows of a new embedding table [size[0], size[1]] for int64 ids (operator
 * `lookup_table`: ids of shape [..., 1], the output replaces the 1 by size[1]).
 * @param input int64 ids whose last dim is 1
 * @param size [vocabulary size, embedding width]
 * @param is_sparse sparse gradient updates (recorded on the op; a static program computes the same numbers densely)
 * @param is_distributed deprecated (warns, ignored)
 * @param padding_idx an id whose row outputs zeros (negative counts from the end)
 * @param param_attr the table's ParamAttr
 * @param dtype float16, float32 or float64
 * @example const emb = fluid.layers.embedding(ids, [128, 64])
 */
export const embedding = defineApi(
  `${L}embedding`,
  [p('input', T.tensor), p('size', T.ints), p('is_sparse', T.bool, false), p('is_distributed', T.bool, false), p('padding_idx', T.nullable(T.int), null), p('param_attr', paramAttrTy, null), p('dtype', T.dtype, 'float32' as DType)],
  (a): Tensor => {
    const api = `${L}embedding`;
    checkDtype(api, 'input', a.input, ['int64']);
    if (!FLOATS.includes(a.dtype)) fail(api, `The data type of 'dtype' must be one of float16, float32, float64, but received ${a.dtype}`);
    if (a.size.length !== 2) fail(api, `size must be [vocabulary size, embedding width], but got [${a.size}]`);
    let distributed = a.is_distributed;
    if (distributed) {
      distributed = false;
      console.warn('is_distributed is go out of use, `fluid.contrib.layers.sparse_embedding` is your needed');
    }
    const layer = layerName('embedding', null);
    const w = param(layer, a.param_attr, a.size.slice(), a.dtype, false, api)!;
    const pad = a.padding_idx === null ? -1 : a.padding_idx >= 0 ? a.padding_idx : a.size[0] + a.padding_idx;
    return run1('lookup_table', { Ids: [a.input], W: [w] }, { is_sparse: a.is_sparse, is_distributed: distributed, remote_prefetch: a.is_sparse, padding_idx: pad });
  },
);

// =====================================================================================
// dropout, softmax

/**
 * Drops elements with probability dropout_prob (operator `dropout`). The fluid default
 * 'downgrade_in_infer' keeps kept values unscaled while training and multiplies by
 * (1 - p) at inference; 'upscale_in_train' scales kept values by 1/(1 - p) while training.
 * @param x float16/float32/float64 Tensor
 * @param dropout_prob the drop probability
 * @param is_test inference mode (default: false in dygraph training)
 * @param seed a fixed seed (the program's random_seed when unset)
 * @param dropout_implementation 'downgrade_in_infer' or 'upscale_in_train'
 * @example fluid.layers.dropout(x, 0.5)
 */
export const dropout = defineApi(
  `${L}dropout`,
  [p('x', T.tensor), p('dropout_prob', T.float), p('is_test', T.nullable(T.bool), null), p('seed', T.nullable(T.int), null), nameP, p('dropout_implementation', T.oneOf('downgrade_in_infer', 'upscale_in_train'), 'downgrade_in_infer' as const)],
  (a): Tensor => {
    const api = `${L}dropout`;
    if (a.dropout_prob === 0) return a.x;
    checkDtype(api, 'x', a.x, FLOATS);
    if (!(a.dropout_prob >= 0 && a.dropout_prob <= 1)) fail(api, `dropout_prob must be in [0, 1], but got ${a.dropout_prob}`);
    let seed = a.seed;
    const ps = default_main_program().random_seed;
    if ((seed === null || seed === 0) && ps) seed = ps;
    return run1('dropout', { X: [a.x] }, {
      dropout_prob: a.dropout_prob,
      is_test: a.is_test ?? false,
      fix_seed: seed !== null,
      seed: seed ?? 0,
      dropout_implementation: a.dropout_implementation,
    });
  },
);

/**
 * Softmax along `axis` (operator `softmax`).
 * @example fluid.layers.softmax(x, { axis: 1 })
 */
export const softmax = defineApi(
  `${L}softmax`,
  [p('input', T.tensor), p('use_cudnn', T.bool, true), nameP, p('axis', T.int, -1)],
  (a): Tensor => {
    checkDtype(`${L}softmax`, 'input/x', a.input, FLOATS);
    return run1('softmax', { X: [a.input] }, { axis: a.axis, use_cudnn: a.use_cudnn });
  },
);

// =====================================================================================
// pooling

const padArg: Ty<unknown> = T.any;

/** Fluid pooling's padding: 'SAME'/'VALID', an int, per-dim ints, per-side ints or per-dim pairs. */
function poolPadding(api: string, padding: unknown, nd: number, dataFormat: string, ceil: boolean): { paddings: number[]; algorithm: string } {
  let algorithm = 'EXPLICIT';
  let pad = padding;
  if (typeof pad === 'string') {
    const up = pad.toUpperCase();
    if (up !== 'SAME' && up !== 'VALID') fail(api, `Unknown Attr(pool_padding): '${pad}'. It can only be 'SAME' or 'VALID'.`);
    if (up === 'VALID' && ceil) fail(api, 'When Attr(pool_padding) is "VALID", Attr(ceil_mode) must be False. Received ceil_mode: True.');
    algorithm = up;
    pad = new Array(nd).fill(0);
  }
  const channelLast = dataFormat === 'NHWC' || dataFormat === 'NDHWC';
  if (Array.isArray(pad) && pad.length === nd + 2 && Array.isArray(pad[0])) {
    const pairs = pad as number[][];
    const skip = channelLast ? [0, nd + 1] : [0, 1];
    for (const i of skip)
      if (pairs[i][0] !== 0 || pairs[i][1] !== 0) fail(api, `Non-zero pool_padding(${JSON.stringify(pad)}) in the batch or channel dimensions is not supported.`);
    pad = (channelLast ? pairs.slice(1, nd + 1) : pairs.slice(2)).flat();
  }
  if (Array.isArray(pad) && pad.length === 2 * nd) {
    const p2 = toList(api, 'padding', pad, 2 * nd);
    let sym = true;
    for (let i = 0; i < nd; i++) if (p2[2 * i] !== p2[2 * i + 1]) sym = false;
    return { paddings: sym ? p2.filter((_, i) => i % 2 === 0) : p2, algorithm };
  }
  return { paddings: toList(api, 'padding', pad, nd), algorithm };
}

function poolNd(nd: 2 | 3, a: {
  input: Tensor; pool_size: number | number[]; pool_type: string; pool_stride: number | number[]; pool_padding: unknown;
  global_pooling: boolean; use_cudnn: boolean; ceil_mode: boolean; exclusive: boolean; data_format: string;
}): Tensor {
  const api = `${L}pool${nd}d`;
  if (a.pool_type !== 'max' && a.pool_type !== 'avg') fail(api, `Unknown Attr(pool_type): '${a.pool_type}'. It can only be 'max' or 'avg'.`);
  if (!a.global_pooling && a.pool_size === -1)
    fail(api, `When Attr(global_pooling) is False, Attr(pool_size) must be passed and be a valid value. Received pool_size: ${a.pool_size}.`);
  const formats = nd === 2 ? ['NCHW', 'NHWC'] : ['NCDHW', 'NDHWC'];
  if (!formats.includes(a.data_format)) fail(api, `Attr(data_format) should be '${formats[0]}' or '${formats[1]}'. Received Attr(data_format): ${a.data_format}.`);
  const ksize = toList(api, 'pool_size', a.pool_size, nd);
  const strides = toList(api, 'pool_stride', a.pool_stride, nd);
  const { paddings, algorithm } = poolPadding(api, a.pool_padding, nd, a.data_format, a.ceil_mode);
  return run1(`pool${nd}d`, { X: [a.input] }, {
    pooling_type: a.pool_type, ksize, global_pooling: a.global_pooling, strides, paddings, padding_algorithm: algorithm,
    use_cudnn: a.use_cudnn, ceil_mode: a.ceil_mode, use_mkldnn: false, exclusive: a.exclusive, data_format: a.data_format,
  });
}

const poolParams = (fmt: string) =>
  [
    p('input', T.tensor), p('pool_size', intOrList, -1 as number | number[]), p('pool_type', T.str, 'max'), p('pool_stride', intOrList, 1 as number | number[]),
    p('pool_padding', padArg, 0 as unknown), p('global_pooling', T.bool, false), p('use_cudnn', T.bool, true), p('ceil_mode', T.bool, false), nameP,
    p('exclusive', T.bool, true), p('data_format', T.str, fmt),
  ] as const;

/**
 * Max or average pooling over H, W (operator `pool2d`). pool_padding may be 'SAME', 'VALID',
 * an int, [pad_h, pad_w], [top, bottom, left, right] or per-dim pairs including batch and
 * channel ([[0,0],[0,0],[t,b],[l,r]]). Average pooling excludes padding by default.
 * @example fluid.layers.pool2d(x, 2, 'max', 2)
 */
export const pool2d = defineApi(`${L}pool2d`, poolParams('NCHW'), (a): Tensor => poolNd(2, a));
/** Max or average pooling over D, H, W (operator `pool3d`); see pool2d. @example fluid.layers.pool3d(x, 2, 'avg', 2) */
export const pool3d = defineApi(`${L}pool3d`, poolParams('NCDHW'), (a): Tensor => poolNd(3, a));

function adaptivePool(nd: 2 | 3, a: { input: Tensor; pool_size: number | number[]; pool_type: string; require_index: boolean }): Tensor | [Tensor, Tensor] {
  const api = `${L}adaptive_pool${nd}d`;
  checkDtype(api, 'input', a.input, ['float16', 'float32', 'float64', 'int32', 'int64']);
  if (a.pool_type !== 'max' && a.pool_type !== 'avg') fail(api, `Unknown pool_type: '${a.pool_type}'. It can only be 'max' or 'avg'.`);
  if (a.pool_type === 'avg' && a.require_index) fail(api, "invalid setting 'require_index' true when 'pool_type' is 'avg'.");
  const ksize = toList(api, 'pool_size', a.pool_size, nd);
  if (a.pool_type === 'max') {
    const [out, mask] = outs(`max_pool${nd}d_with_index`, { X: [a.input] }, { ksize, adaptive: true }, ['Out', 'Mask']);
    return a.require_index ? [out, mask] : out;
  }
  return run1(`pool${nd}d`, { X: [a.input] }, { pooling_type: 'avg', ksize, adaptive: true });
}
const adaptiveParams = [p('input', T.tensor), p('pool_size', intOrList), p('pool_type', T.str, 'max'), p('require_index', T.bool, false), nameP] as const;
/**
 * Adaptive max/avg pooling to an output of pool_size (max: `max_pool2d_with_index`, which also
 * gives the argmax Mask when require_index; avg: `pool2d` with adaptive).
 * @example fluid.layers.adaptive_pool2d(x, [3, 3], 'avg')
 */
export const adaptive_pool2d = defineApi(`${L}adaptive_pool2d`, adaptiveParams, (a) => adaptivePool(2, a));
/** Adaptive 3-D pooling (see adaptive_pool2d). @example fluid.layers.adaptive_pool3d(x, [2, 2, 2]) */
export const adaptive_pool3d = defineApi(`${L}adaptive_pool3d`, adaptiveParams, (a) => adaptivePool(3, a));

// =====================================================================================
// reductions

function reduce(op: string, api: string, x: Tensor, dim: number[] | null, keep: boolean, dtypes: readonly DType[] | null): Tensor {
  if (dtypes) checkDtype(api, 'input', x, dtypes);
  const all = dim === null || dim.length === 0 || dim.length === x.dims.length;
  return run1(op, { X: [x] }, { dim: dim && dim.length ? dim : [0], keep_dim: keep, reduce_all: all });
}
const reduceParams = [p('input', T.tensor), p('dim', T.nullable(T.intOrInts), null), p('keep_dim', T.bool, false), nameP] as const;
/**
 * Sum over `dim` (an int or a list; None: all dims, giving shape [1]) (operator `reduce_sum`).
 * @example fluid.layers.reduce_sum(x, 1, true)
 */
export const reduce_sum = defineApi(`${L}reduce_sum`, reduceParams, (a) => reduce('reduce_sum', `${L}reduce_sum`, a.input, a.dim, a.keep_dim, NUM4));
/** Mean over `dim` (operator `reduce_mean`). @example fluid.layers.reduce_mean(x, [0, 1]) */
export const reduce_mean = defineApi(`${L}reduce_mean`, reduceParams, (a) => reduce('reduce_mean', `${L}reduce_mean`, a.input, a.dim, a.keep_dim, NUM4));
/** Maximum over `dim` (operator `reduce_max`). @example fluid.layers.reduce_max(x, -1) */
export const reduce_max = defineApi(`${L}reduce_max`, reduceParams, (a) => reduce('reduce_max', `${L}reduce_max`, a.input, a.dim, a.keep_dim, null));
/** Minimum over `dim` (operator `reduce_min`). @example fluid.layers.reduce_min(x) */
export const reduce_min = defineApi(`${L}reduce_min`, reduceParams, (a) => reduce('reduce_min', `${L}reduce_min`, a.input, a.dim, a.keep_dim, null));
/** Product over `dim` (operator `reduce_prod`). @example fluid.layers.reduce_prod(x, 0) */
export const reduce_prod = defineApi(`${L}reduce_prod`, reduceParams, (a) => reduce('reduce_prod', `${L}reduce_prod`, a.input, a.dim, a.keep_dim, NUM4));
/** Logical and over `dim` of a bool tensor (operator `reduce_all`). @example fluid.layers.reduce_all(mask, 1) */
export const reduce_all = defineApi(`${L}reduce_all`, reduceParams, (a) => reduce('reduce_all', `${L}reduce_all`, a.input, a.dim, a.keep_dim, ['bool']));
/** Logical or over `dim` of a bool tensor (operator `reduce_any`). @example fluid.layers.reduce_any(mask) */
export const reduce_any = defineApi(`${L}reduce_any`, reduceParams, (a) => reduce('reduce_any', `${L}reduce_any`, a.input, a.dim, a.keep_dim, ['bool']));

/**
 * The mean of all elements, shape [1] (operator `mean`).
 * @example fluid.layers.mean(loss)
 */
export const mean = defineApi(`${L}mean`, [p('x', T.tensor), nameP], (a): Tensor => {
  checkDtype(`${L}mean`, 'x', a.x, FLOATS);
  return run1('mean', { X: [a.x] }, {});
});

// =====================================================================================
// split, stack, unbind, shape helpers

const sectionsTy: Ty<number | (number | Tensor)[]> = {
  desc: 'an int or a list of ints (entries may be 1-element int Tensors)',
  parse(v, api, arg) {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (Array.isArray(v) && v.every((x) => Number.isInteger(x) || x instanceof Tensor)) return v.slice() as (number | Tensor)[];
    return badArg(api, arg, 'an int, list or tuple', v);
  },
};

/**
 * Splits input along `dim` into num_or_sections equal parts (an int) or parts of the given
 * sizes (a list; one may be -1) (operator `split`).
 * @example const [a, b, c] = fluid.layers.split(x, 3, 1)
 */
export const split = defineApi(
  `${L}split`,
  [p('input', T.tensor), p('num_or_sections', sectionsTy), p('dim', T.union(T.int, T.tensor), -1 as number | Tensor), nameP],
  (a): Tensor[] => {
    const api = `${L}split`;
    checkDtype(api, 'input', a.input, ['bool', 'float16', 'float32', 'float64', 'int32', 'int64']);
    const ins: Record<string, Tensor[]> = { X: [a.input] };
    const attrs: Record<string, unknown> = {};
    let dim: number | null = null;
    if (a.dim instanceof Tensor) {
      checkDtype(api, 'dim', a.dim, ['int32', 'int64']);
      if (state.staticMode) {
        a.dim.stop_gradient = true;
        ins.AxisTensor = [a.dim];
      } else dim = tensorToNumbers(a.dim)[0];
    } else dim = a.dim;
    if (dim !== null) {
      dim = dim < 0 ? dim + a.input.dims.length : dim;
      attrs.axis = dim;
    }
    let num: number;
    if (typeof a.num_or_sections === 'number') {
      num = a.num_or_sections;
      if (num <= 1) fail(api, 'num_or_sections must be more than 1.');
      const n = dim === null ? -1 : a.input.dims[dim];
      if (n > 0 && n % num !== 0)
        fail(api, `The input's size along the split dimension must be evenly divisible by Attr(num_or_sections). But ${n} is not evenly divisible by ${num}.`);
      attrs.num = num;
    } else {
      const secs = a.num_or_sections;
      num = secs.length;
      const n = dim === null ? -1 : a.input.dims[dim];
      if (n > 0 && secs.length > n) fail(api, 'len(num_or_sections) must not be more than input.shape[dim].');
      if (secs.filter((s) => s === -1).length > 1) fail(api, "Only one value of 'num_or_section' in split can be -1.");
      const r = resolveInts(secs);
      attrs.num = 0;
      attrs.sections = r.attr;
      Object.assign(ins, intInputs(r, null, 'SectionsTensorList'));
    }
    const r = dispatch('split', ins, attrs);
    return r.Out.slice(0, num);
  },
);

/**
 * Stacks same-shaped tensors along a new axis (operator `stack`).
 * @example fluid.layers.stack([x1, x2], 0)
 */
export const stack = defineApi(`${L}stack`, [p('x', T.union(T.tensors, T.tensor)), p('axis', T.nullable(T.int), 0), nameP], (a): Tensor => {
  const xs = a.x instanceof Tensor ? [a.x] : a.x;
  if (xs.length === 0) fail(`${L}stack`, "argument 'x' must be a non-empty list of Tensors");
  return run1('stack', { X: xs }, { axis: a.axis ?? 0 }, 'Y');
});

/**
 * Splits input along `axis` into its slices, dropping that axis (operator `unbind`).
 * @example const [r0, r1] = fluid.layers.unbind(x, 0)
 */
export const unbind = defineApi(`${L}unbind`, [p('input', T.tensor), p('axis', T.int, 0)], (a): Tensor[] => {
  const api = `${L}unbind`;
  checkDtype(api, 'input', a.input, NUM4);
  const ax = a.axis < 0 ? a.axis + a.input.dims.length : a.axis;
  const num = a.input.dims[ax];
  if (!(num >= 0)) fail(api, `the size of dimension ${a.axis} must be known, but got shape [${a.input.dims}]`);
  return dispatch('unbind', { X: [a.input] }, { axis: a.axis }).Out;
});

/**
 * Reshapes x (operator `reshape2`): 0 copies the input dim, one -1 is inferred; entries may be
 * 1-element Tensors, or shape a Tensor; actual_shape (deprecated) overrides at run time.
 * @param act an activation appended
 * @param inplace deprecated (ignored in dygraph)
 * @example fluid.layers.reshape(x, [0, -1])
 */
export const reshape = defineApi(
  `${L}reshape`,
  [p('x', T.tensor), p('shape', intsTy()), p('actual_shape', T.nullable(T.tensor), null), p('act', actTy, null), p('inplace', T.bool, false), nameP],
  (a): Tensor => {
    const api = `${L}reshape`;
    checkDtype(api, 'x', a.x, ['float16', 'float32', 'float64', 'int32', 'int64', 'bool']);
    if (a.inplace && !state.staticMode) console.warn('Inplace on reshape is not allowed and will be discarded in dygraph mode currently.');
    const ins: Record<string, Tensor[]> = { X: [a.x] };
    const attrs: Record<string, unknown> = {};
    if (Array.isArray(a.shape)) {
      if (a.shape.length === 0) fail(api, "The size of 'shape' in reshape can't be zero");
      let unk = -1;
      a.shape.forEach((s, i) => {
        if (s instanceof Tensor) return;
        if (s === -1) {
          if (unk !== -1) fail(api, `Only one dimension value of 'shape' in reshape can be -1. But received shape[${i}] is also -1.`);
          unk = i;
        } else if (s === 0) {
          if (i >= a.x.dims.length) fail(api, `The index of 0 in \`shape\` must be less than the input tensor X's dimensions. But received shape[${i}] = 0, X's dimensions = ${a.x.dims.length}.`);
        } else if (s < 0) fail(api, `Each dimension value of 'shape' in reshape must not be negative except one unknown dimension. But received shape[${i}] = ${s}.`);
      });
    }
    const r = resolveInts(a.shape);
    attrs.shape = r.attr;
    Object.assign(ins, intInputs(r, 'Shape', 'ShapeTensor'));
    if (!r.tensor && !r.list && a.actual_shape) {
      a.actual_shape.stop_gradient = true;
      ins.Shape = [a.actual_shape];
    }
    return appendAct(run1('reshape2', ins, attrs), a.act);
  },
);

/**
 * Removes the listed size-1 dims (operator `squeeze2`).
 * @example fluid.layers.squeeze(x, [0, 2])
 */
export const squeeze = defineApi(`${L}squeeze`, [p('input', T.tensor), p('axes', T.ints), nameP], (a): Tensor => {
  checkDtype(`${L}squeeze`, 'input', a.input, ['float16', 'float32', 'float64', 'bool', 'int8', 'int32', 'int64']);
  return run1('squeeze2', { X: [a.input] }, { axes: a.axes });
});

/**
 * Inserts size-1 dims at `axes` (operator `unsqueeze2`; axes may hold Tensors).
 * @example fluid.layers.unsqueeze(x, [0])
 */
export const unsqueeze = defineApi(`${L}unsqueeze`, [p('input', T.tensor), p('axes', intsTy(true)), nameP], (a): Tensor => {
  checkDtype(`${L}unsqueeze`, 'input', a.input, ['float16', 'float32', 'float64', 'bool', 'int8', 'int32', 'int64']);
  const r = resolveInts(a.axes);
  return run1('unsqueeze2', { X: [a.input], ...intInputs(r, 'AxesTensor', 'AxesTensorList') }, r.tensor || r.list ? {} : { axes: r.attr });
});

/**
 * Flattens x into a matrix [prod(dims[:axis]), prod(dims[axis:])] (operator `flatten2`).
 * @example fluid.layers.flatten(x, 2)
 */
export const flatten = defineApi(`${L}flatten`, [p('x', T.tensor), p('axis', T.int, 1), nameP], (a): Tensor => {
  const api = `${L}flatten`;
  checkDtype(api, 'x', a.x, ['float32', 'float64', 'int8', 'int32', 'int64']);
  if (a.axis > a.x.dims.length || a.axis < 0) fail(api, 'The axis should be a int, and in range [0, rank(x)]');
  return run1('flatten2', { X: [a.x] }, { axis: a.axis });
});

/**
 * Tiles x expand_times[i] times along each dim (operator `expand`; entries may be Tensors).
 * @example fluid.layers.expand(x, [1, 2])
 */
export const expand = defineApi(`${L}expand`, [p('x', T.tensor), p('expand_times', intsTy()), nameP], (a): Tensor => {
  const api = `${L}expand`;
  checkDtype(api, 'x', a.x, ['bool', 'float32', 'float64', 'int32', 'int64']);
  if (state.staticMode && a.x.dtype === 'bool' && a.x.stop_gradient) fail(api, 'expand op bool date type must set the stop_gradient to be False');
  if (Array.isArray(a.expand_times)) for (const t of a.expand_times) if (typeof t === 'number' && t <= 0) fail(api, 'Each element given in expand_times must not be negative.');
  const r = resolveInts(a.expand_times);
  return run1('expand', { X: [a.x], ...intInputs(r, 'ExpandTimes', 'expand_times_tensor') }, r.tensor ? {} : { expand_times: r.attr });
});

/**
 * Tiles x to target_tensor's shape (each target dim a multiple of x's) (operator `expand_as`).
 * @example fluid.layers.expand_as(x, y)
 */
export const expand_as = defineApi(`${L}expand_as`, [p('x', T.tensor), p('target_tensor', T.tensor), nameP], (a): Tensor => {
  const api = `${L}expand_as`;
  checkDtype(api, 'x', a.x, ['float32', 'float64', 'int32', 'int64', 'bool']);
  checkDtype(api, 'target_tensor', a.target_tensor, ['float32', 'float64', 'int32', 'int64', 'bool']);
  return run1('expand_as', { X: [a.x], target_tensor: [a.target_tensor] }, {});
});

/**
 * Slices with strides (operator `strided_slice`); starts/ends/strides may hold Tensors.
 * @example fluid.layers.strided_slice(x, [0, 1], [0, 0], [2, 4], [1, 2])
 */
export const strided_slice = defineApi(
  `${L}strided_slice`,
  [p('input', T.tensor), p('axes', T.ints), p('starts', intsTy()), p('ends', intsTy()), p('strides', intsTy())],
  (a): Tensor => {
    checkDtype(`${L}strided_slice`, 'input', a.input, NUM4);
    const ins: Record<string, Tensor[]> = { Input: [a.input] };
    const attrs: Record<string, unknown> = { axes: a.axes };
    const flags = a.axes.map(() => 1);
    for (const [k, v] of [['starts', a.starts], ['ends', a.ends], ['strides', a.strides]] as const) {
      const r = resolveInts(v);
      const cap = k[0].toUpperCase() + k.slice(1);
      attrs[k] = r.attr;
      if (r.tensor) ins[`${cap}Tensor`] = [r.tensor];
      if (r.list) {
        ins[`${cap}TensorList`] = r.list;
        r.attr.forEach((x, i) => {
          if (x === -1 && (v as (number | Tensor)[])[i] instanceof Tensor) flags[i] = -1;
        });
      }
    }
    attrs.infer_flags = flags;
    return run1('strided_slice', ins, attrs);
  },
);

/** The number of elements as an int64 [1] tensor (operator `size`). @example fluid.layers.size(x) */
export const size = defineApi(`${L}size`, [p('input', T.tensor)], (a): Tensor => {
  checkDtype(`${L}size`, 'input', a.input, ['bool', 'float16', 'float32', 'float64', 'int32', 'int64']);
  return run1('size', { Input: [a.input] }, {});
});

/**
 * Adds a list of tensors elementwise (operator `sum`, as paddle.add_n).
 * @example fluid.layers.sum([a, b])
 */
export const sum = defineApi(`${L}sum`, [p('x', T.union(T.tensors, T.tensor))], (a): Tensor => {
  const xs = a.x instanceof Tensor ? [a.x] : a.x;
  if (xs.length === 0) fail(`${L}sum`, "argument 'x' must be a non-empty list of Tensors");
  return run1('sum', { X: xs }, { use_mkldnn: false });
});

// =====================================================================================
// matmul, mul, elementwise

/**
 * Matrix product with optional transposes and a scale (operator `matmul`, v1): 1-D inputs are
 * treated as [1, n] / [n, 1]; leading batch dims broadcast.
 * @example fluid.layers.matmul(x, y, false, true, 0.5)
 */
export const matmul = defineApi(
  `${L}matmul`,
  [p('x', T.tensor), p('y', T.tensor), p('transpose_x', T.bool, false), p('transpose_y', T.bool, false), p('alpha', T.float, 1.0), nameP],
  (a): Tensor => {
    const api = `${L}matmul`;
    checkDtype(api, 'x', a.x, FLOATS);
    checkDtype(api, 'y', a.y, FLOATS);
    const xs = a.x.dims.length === 1 ? [1, ...a.x.dims] : a.x.dims.slice();
    const ys = a.y.dims.length === 1 ? [...a.y.dims, 1] : a.y.dims.slice();
    const sw = (s: number[]) => ([s[s.length - 2], s[s.length - 1]] = [s[s.length - 1], s[s.length - 2]]);
    if (a.transpose_x) sw(xs);
    if (a.transpose_y) sw(ys);
    const k1 = xs[xs.length - 1];
    const k2 = ys[ys.length - 2];
    if (k1 !== k2 && k1 !== -1 && k2 !== -1)
      fail(api, `After performing an optional transpose, Input X's width should be equal to Y's width for multiplication prerequisites. But received X's shape: [${xs}], Y's shape: [${ys}]`);
    if (xs.length > 2 && ys.length > 2)
      xs.slice(0, -2).forEach((d, i) => {
        if (d >= 0 && ys[i] >= 0 && d !== ys[i])
          fail(api, `When the matrix is larger than 2 dimensions, the higher dimensional values of the two matrices need to be equal. But received x_shape[${i}] != y_shape[${i}]. X's shape: [${xs}], Y's shape: [${ys}].`);
      });
    return run1('matmul', { X: [a.x], Y: [a.y] }, { transpose_X: a.transpose_x, transpose_Y: a.transpose_y, alpha: a.alpha });
  },
);

/**
 * Flattens x to a matrix at x_num_col_dims and y at y_num_col_dims, multiplies them, and
 * restores the outer dims (operator `mul`).
 * @example fluid.layers.mul(x, w, 2)   // x [2, 3, 4] -> [6, 4] @ w [4, 5] -> [2, 3, 5]
 */
export const mul = defineApi(
  `${L}mul`,
  [p('x', T.tensor), p('y', T.tensor), p('x_num_col_dims', T.int, 1), p('y_num_col_dims', T.int, 1), nameP],
  (a): Tensor => {
    checkDtype(`${L}mul`, 'x', a.x, FLOATS);
    checkDtype(`${L}mul`, 'y', a.y, FLOATS);
    return run1('mul', { X: [a.x], Y: [a.y] }, { x_num_col_dims: a.x_num_col_dims, y_num_col_dims: a.y_num_col_dims });
  },
);

const EW_DTYPES: readonly DType[] = ['float16', 'float32', 'float64', 'int32', 'int64'];
function elementwise(op: string) {
  const api = `${L}${op}`;
  return defineApi(api, [p('x', T.tensor), p('y', T.tensor), p('axis', T.int, -1), p('act', actTy, null), nameP], (a): Tensor => {
    checkDtype(api, 'x', a.x, EW_DTYPES);
    checkDtype(api, 'y', a.y, EW_DTYPES);
    return appendAct(run1(op, { X: [a.x], Y: [a.y] }, { axis: a.axis, use_mkldnn: false }), a.act);
  });
}
/**
 * x + y (operator `elementwise_add`). With axis -1 y broadcasts NumPy-style; otherwise y's dims
 * line up with x's from dimension `axis` (x [2,3,4,5], y [3,4], axis 1). `act` is appended.
 * @example fluid.layers.elementwise_add(x, y, 1, 'relu')
 */
export const elementwise_add = elementwise('elementwise_add');
/** x - y with fluid's axis broadcasting (operator `elementwise_sub`). @example fluid.layers.elementwise_sub(x, y) */
export const elementwise_sub = elementwise('elementwise_sub');
/** x * y with fluid's axis broadcasting (operator `elementwise_mul`). @example fluid.layers.elementwise_mul(x, y, 0) */
export const elementwise_mul = elementwise('elementwise_mul');
/** x / y with fluid's axis broadcasting (operator `elementwise_div`). @example fluid.layers.elementwise_div(x, y) */
export const elementwise_div = elementwise('elementwise_div');
/** max(x, y) with fluid's axis broadcasting (operator `elementwise_max`). @example fluid.layers.elementwise_max(x, y) */
export const elementwise_max = elementwise('elementwise_max');
/** min(x, y) with fluid's axis broadcasting (operator `elementwise_min`). @example fluid.layers.elementwise_min(x, y) */
export const elementwise_min = elementwise('elementwise_min');
/** x ** y with fluid's axis broadcasting (operator `elementwise_pow`). @example fluid.layers.elementwise_pow(x, y) */
export const elementwise_pow = elementwise('elementwise_pow');
/** x mod y, the divisor's sign (operator `elementwise_mod`). @example fluid.layers.elementwise_mod(x, y) */
export const elementwise_mod = elementwise('elementwise_mod');
/** x // y (operator `elementwise_floordiv`). @example fluid.layers.elementwise_floordiv(x, y) */
export const elementwise_floordiv = elementwise('elementwise_floordiv');

// =====================================================================================
// activations with attributes (nn.py)

function act1(op: string, api: string, x: Tensor, attrs: Record<string, unknown>, dtypes: readonly DType[] = FLOATS): Tensor {
  checkDtype(api, 'x', x, dtypes);
  return run1(op, { X: [x] }, attrs);
}
/** max(x, 0) (operator `relu`). @example fluid.layers.relu(x) */
export const relu = defineApi(`${L}relu`, [p('x', T.tensor), nameP], (a): Tensor => act1('relu', `${L}relu`, a.x, {}));
/**
 * scale * (x if x > 0 else alpha * (e^x - 1)) (operator `selu`; Paddle's constants by default).
 * @example fluid.layers.selu(x)
 */
export const selu = defineApi(`${L}selu`, [p('x', T.tensor), p('scale', T.nullable(T.float), null), p('alpha', T.nullable(T.float), null), nameP], (a): Tensor => {
  const attrs: Record<string, unknown> = {};
  if (a.scale !== null) attrs.scale = a.scale;
  if (a.alpha !== null) attrs.alpha = a.alpha;
  return act1('selu', `${L}selu`, a.x, attrs, F32_64);
});
/** x if x > 0 else alpha * (e^x - 1) (operator `elu`). @example fluid.layers.elu(x, 0.2) */
export const elu = defineApi(`${L}elu`, [p('x', T.tensor), p('alpha', T.float, 1.0), nameP], (a): Tensor => act1('elu', `${L}elu`, a.x, { alpha: a.alpha }));
/** min(max(x, 0), threshold) (operator `relu6`). @example fluid.layers.relu6(x) */
export const relu6 = defineApi(`${L}relu6`, [p('x', T.tensor), p('threshold', T.float, 6.0), nameP], (a): Tensor =>
  act1('relu6', `${L}relu6`, a.x, { threshold: a.threshold, use_mkldnn: false }),
);
/**
 * x ** factor (operator `pow`; factor may be a float32 [1] Tensor).
 * @example fluid.layers.pow(x, 2.0)
 */
export const pow = defineApi(`${L}pow`, [p('x', T.tensor), p('factor', T.union(T.float, T.tensor), 1.0 as number | Tensor), nameP], (a): Tensor => {
  const api = `${L}pow`;
  checkDtype(api, 'x', a.x, ['int32', 'int64', 'float32', 'float64']);
  if (a.factor instanceof Tensor) {
    checkDtype(api, 'factor', a.factor, ['float32']);
    a.factor.stop_gradient = true;
    return run1('pow', { X: [a.x], FactorTensor: [a.factor] }, {});
  }
  return run1('pow', { X: [a.x] }, { factor: a.factor });
});
/** clip(slope * x + offset, 0, 1) (operator `hard_sigmoid`; fluid's slope 0.2). @example fluid.layers.hard_sigmoid(x) */
export const hard_sigmoid = defineApi(`${L}hard_sigmoid`, [p('x', T.tensor), p('slope', T.float, 0.2), p('offset', T.float, 0.5), nameP], (a): Tensor =>
  act1('hard_sigmoid', `${L}hard_sigmoid`, a.x, { slope: a.slope, offset: a.offset }),
);
/** x * sigmoid(beta * x) (operator `swish`). @example fluid.layers.swish(x, 2.0) */
export const swish = defineApi(`${L}swish`, [p('x', T.tensor), p('beta', T.float, 1.0), nameP], (a): Tensor => act1('swish', `${L}swish`, a.x, { beta: a.beta }));
/** clip(x, t_min, t_max) (operator `brelu`). @example fluid.layers.brelu(x, 1, 10) */
export const brelu = defineApi(`${L}brelu`, [p('x', T.tensor), p('t_min', T.float, 0.0), p('t_max', T.float, 24.0), nameP], (a): Tensor =>
  act1('brelu', `${L}brelu`, a.x, { t_min: a.t_min, t_max: a.t_max }),
);
/** x if x > 0 else alpha * x (operator `leaky_relu`; fluid's alpha 0.02). @example fluid.layers.leaky_relu(x) */
export const leaky_relu = defineApi(`${L}leaky_relu`, [p('x', T.tensor), p('alpha', T.float, 0.02), nameP], (a): Tensor =>
  act1('leaky_relu', `${L}leaky_relu`, a.x, { alpha: a.alpha }),
);
/** log(1 + e^clip(x, -threshold, threshold)) (operator `soft_relu`). @example fluid.layers.soft_relu(x, 20) */
export const soft_relu = defineApi(`${L}soft_relu`, [p('x', T.tensor), p('threshold', T.float, 40.0), nameP], (a): Tensor =>
  act1('soft_relu', `${L}soft_relu`, a.x, { threshold: a.threshold }),
);
/** x * min(max(x + offset, 0), threshold) / scale (operator `hard_swish`). @example fluid.layers.hard_swish(x) */
export const hard_swish = defineApi(
  `${L}hard_swish`,
  [p('x', T.tensor), p('threshold', T.float, 6.0), p('scale', T.float, 6.0), p('offset', T.float, 3.0), nameP],
  (a): Tensor => act1('hard_swish', `${L}hard_swish`, a.x, { threshold: a.threshold, scale: a.scale, offset: a.offset }),
);
/** The sign of each element, -1, 0 or 1 (operator `sign`). @example fluid.layers.sign(x) */
export const sign = defineApi(`${L}sign`, [p('x', T.union(T.tensor, T.any))], (a): Tensor => {
  const api = `${L}sign`;
  let x = a.x;
  if (!(x instanceof Tensor)) {
    if (!Array.isArray(x) && !ArrayBuffer.isView(x)) badArg(api, 'x', 'a Tensor (Variable) or an array (numpy.ndarray)', x);
    x = assign(x as never);
  }
  checkDtype(api, 'x', x as Tensor, FLOATS);
  return run1('sign', { X: [x as Tensor] }, {});
});
/**
 * Maxout over groups of channels along `axis` (operator `maxout`).
 * @example fluid.layers.maxout(x, 2)
 */
export const maxout = defineApi(`${L}maxout`, [p('x', T.tensor), p('groups', T.int), nameP, p('axis', T.int, 1)], (a): Tensor => {
  const api = `${L}maxout`;
  checkDtype(api, 'x', a.x, F32_64);
  if (a.axis !== 1 && a.axis !== -1 && a.axis !== 3) fail(api, `Attr(axis) should be 1 when data format is NCHW, -1 or 3 when data format is NHWC. Received Attr(axis): ${a.axis}.`);
  return run1('maxout', { X: [a.x] }, { groups: a.groups, axis: a.axis === -1 ? 3 : a.axis });
});
/**
 * Clips values to [min, max] (operator `clip`).
 * @example fluid.layers.clip(x, -1, 1)
 */
export const clip = defineApi(`${L}clip`, [p('x', T.tensor), p('min', T.float), p('max', T.float), nameP], (a): Tensor => {
  checkDtype(`${L}clip`, 'x', a.x, FLOATS);
  return run1('clip', { X: [a.x] }, { min: a.min, max: a.max });
});
/**
 * Scales x down so its L2 norm is at most max_norm (operator `clip_by_norm`).
 * @example fluid.layers.clip_by_norm(x, 1.0)
 */
export const clip_by_norm = defineApi(`${L}clip_by_norm`, [p('x', T.tensor), p('max_norm', T.float), nameP], (a): Tensor => {
  checkDtype(`${L}clip_by_norm`, 'X', a.x, ['float32']);
  return run1('clip_by_norm', { X: [a.x] }, { max_norm: a.max_norm });
});

// =====================================================================================
// one_hot, label_smooth, l2_normalize, lrn, smooth_l1, topk, where, unique

/**
 * One-hot encodes int ids of shape [..., 1] into [..., depth] float32 (operator `one_hot`, v1).
 * depth may be a [1] int Tensor. Out-of-range ids are errors unless allow_out_of_range.
 * @example fluid.layers.one_hot(paddle.to_tensor([[1], [0]]), 3)  // [[0,1,0],[1,0,0]]
 */
export const one_hot = defineApi(
  `${L}one_hot`,
  [p('input', T.tensor), p('depth', T.union(T.int, T.tensor)), p('allow_out_of_range', T.bool, false)],
  (a): Tensor => {
    const api = `${L}one_hot`;
    checkDtype(api, 'input', a.input, ['int32', 'int64']);
    let out: Tensor;
    if (a.depth instanceof Tensor) {
      if (state.staticMode) {
        a.depth.stop_gradient = true;
        out = run1('one_hot', { X: [a.input], depth_tensor: [a.depth] }, { allow_out_of_range: a.allow_out_of_range });
      } else {
        if (a.depth.size !== 1) fail(api, 'depth of type Variable should have shape [1]');
        out = run1('one_hot', { X: [a.input] }, { depth: tensorToNumbers(a.depth)[0], allow_out_of_range: a.allow_out_of_range });
      }
    } else out = run1('one_hot', { X: [a.input] }, { depth: a.depth, allow_out_of_range: a.allow_out_of_range });
    out.stop_gradient = true;
    return out;
  },
);

/**
 * Label smoothing: (1 - epsilon) * label + epsilon * prior (uniform 1/classes when no
 * prior_dist) (operator `label_smooth`).
 * @example fluid.layers.label_smooth(one_hot_labels, null, 0.1)
 */
export const label_smooth = defineApi(
  `${L}label_smooth`,
  [p('label', T.tensor), p('prior_dist', T.nullable(T.tensor), null), p('epsilon', T.float, 0.1), p('dtype', T.dtype, 'float32' as DType), nameP],
  (a): Tensor => {
    const api = `${L}label_smooth`;
    if (a.epsilon > 1 || a.epsilon < 0) fail(api, 'The value of epsilon must be between 0 and 1.');
    checkDtype(api, 'label', a.label, F32_64);
    if (state.staticMode) a.label.stop_gradient = true;
    return run1('label_smooth', a.prior_dist ? { X: [a.label], PriorDist: [a.prior_dist] } : { X: [a.label] }, { epsilon: a.epsilon });
  },
);

/**
 * x / sqrt(sum(x^2, axis) + epsilon) (operator `norm`; 1-D inputs use axis 0).
 * @example fluid.layers.l2_normalize(x, 1)
 */
export const l2_normalize = defineApi(`${L}l2_normalize`, [p('x', T.tensor), p('axis', T.nullable(T.int)), p('epsilon', T.float, 1e-12), nameP], (a): Tensor => {
  checkDtype(`${L}l2_normalize`, 'X', a.x, F32_64);
  const axis = a.x.dims.length === 1 ? 0 : a.axis ?? 1;
  return outs('norm', { X: [a.x] }, { axis, epsilon: a.epsilon }, ['Out'])[0];
});

/**
 * Local response normalization across channels (operator `lrn`; fluid's k is 1.0).
 * @example fluid.layers.lrn(x)
 */
export const lrn = defineApi(
  `${L}lrn`,
  [p('input', T.tensor), p('n', T.int, 5), p('k', T.float, 1.0), p('alpha', T.float, 1e-4), p('beta', T.float, 0.75), nameP, p('data_format', T.str, 'NCHW')],
  (a): Tensor => {
    const api = `${L}lrn`;
    checkDtype(api, 'input', a.input, ['float32']);
    if (a.input.dims.length !== 4) fail(api, `Input's dimension size of Op(lrn) must be 4, but received ${a.input.dims.length}.`);
    if (a.data_format !== 'NCHW' && a.data_format !== 'NHWC')
      fail(api, `Attr(data_format) of Op(lrn) got wrong value: received ${a.data_format} but only NCHW or NHWC supported.`);
    return outs('lrn', { X: [a.input] }, { n: a.n, k: a.k, alpha: a.alpha, beta: a.beta, data_format: a.data_format }, ['Out'])[0];
  },
);

/**
 * Smooth L1 loss per sample, summed over features: [N, 1] (operator `smooth_l1_loss`;
 * sigma default 1, optional inside/outside weights).
 * @example fluid.layers.smooth_l1(x, y)
 */
export const smooth_l1 = defineApi(
  `${L}smooth_l1`,
  [p('x', T.tensor), p('y', T.tensor), p('inside_weight', T.nullable(T.tensor), null), p('outside_weight', T.nullable(T.tensor), null), p('sigma', T.nullable(T.float), null)],
  (a): Tensor => {
    const api = `${L}smooth_l1`;
    checkDtype(api, 'X', a.x, F32_64);
    checkDtype(api, 'Y', a.y, F32_64);
    const ins: Record<string, Tensor[]> = { X: [a.x], Y: [a.y] };
    if (a.inside_weight) ins.InsideWeight = [a.inside_weight];
    if (a.outside_weight) ins.OutsideWeight = [a.outside_weight];
    return outs('smooth_l1_loss', ins, { sigma: a.sigma ?? 1.0 }, ['Out'])[0];
  },
);

/**
 * The k largest values along the last axis and their int64 indices (operator `top_k`; both
 * stop gradients). k may be a [1] int Tensor.
 * @example const [values, indices] = fluid.layers.topk(x, 2)
 */
export const topk = defineApi(`${L}topk`, [p('input', T.tensor), p('k', T.union(T.int, T.tensor)), nameP], (a): [Tensor, Tensor] => {
  let ins: Record<string, Tensor[]> = { X: [a.input] };
  let attrs: Record<string, unknown> = {};
  if (a.k instanceof Tensor) {
    if (state.staticMode) ins = { X: [a.input], K: [a.k] };
    else attrs = { k: tensorToNumbers(a.k)[0] };
  } else attrs = { k: a.k };
  const [v, i] = outs('top_k', ins, attrs, ['Out', 'Indices']);
  v.stop_gradient = true;
  i.stop_gradient = true;
  return [v, i];
});

/**
 * The coordinates (int64 [count, rank]) of the true elements of a bool tensor (operator
 * `where_index`; fluid's where is a nonzero, not a select).
 * @example fluid.layers.where(paddle.to_tensor([true, false, true]))  // [[0], [2]]
 */
export const where = defineApi(`${L}where`, [p('condition', T.tensor)], (a): Tensor => run1('where_index', { Condition: [a.condition] }, {}));

/**
 * The unique values in first-occurrence order and, per element, the index of its unique
 * value (operator `unique`; index dtype int32 by default).
 * @example const [out, index] = fluid.layers.unique(paddle.to_tensor([2, 3, 3, 1, 5, 3]))  // [2,3,1,5], [0,1,1,2,3,1]
 */
export const unique = defineApi(`${L}unique`, [p('x', T.tensor), p('dtype', T.dtype, 'int32' as DType)], (a): [Tensor, Tensor] => {
  checkDtype(`${L}unique`, 'x', a.x, NUM4);
  const [o, i] = outs('unique', { X: [a.x] }, { dtype: PROTO_DTYPE[a.dtype] }, ['Out', 'Index']);
  return [o, i];
});

/**
 * unique plus the count of each unique value (operator `unique_with_counts`; 1-D x).
 * @example const [out, index, count] = fluid.layers.unique_with_counts(x)
 */
export const unique_with_counts = defineApi(`${L}unique_with_counts`, [p('x', T.tensor), p('dtype', T.dtype, 'int32' as DType)], (a): [Tensor, Tensor, Tensor] => {
  const api = `${L}unique_with_counts`;
  checkDtype(api, 'x', a.x, NUM4);
  if (a.dtype !== 'int32' && a.dtype !== 'int64') fail(api, 'Op unique_with_counts, index dtype must be int32 or int64');
  if (a.x.dims.length !== 1) fail(api, 'Op unique_with_counts, x must not be null and size of dim must be 1');
  const [o, i, c] = outs('unique_with_counts', { X: [a.x] }, { dtype: PROTO_DTYPE[a.dtype] }, ['Out', 'Index', 'Count']);
  return [o, i, c];
});

// =====================================================================================
// padding, cropping, resizing

/**
 * Pads every dim with constant pad_value; paddings lists (before, after) per dim from dim 0
 * (operator `pad`).
 * @example fluid.layers.pad(x, [0, 1, 1, 2])
 */
export const pad = defineApi(`${L}pad`, [p('x', T.tensor), p('paddings', T.ints), p('pad_value', T.float, 0.0), nameP], (a): Tensor => {
  checkDtype(`${L}pad`, 'x', a.x, ['float16', 'float32', 'float64', 'int32', 'int64']);
  return run1('pad', { X: [a.x] }, { paddings: a.paddings, pad_value: a.pad_value });
});

/**
 * Pads y up to x's shape (at the end of each dim) with pad_value (operator `pad_constant_like`).
 * @example fluid.layers.pad_constant_like(x, y, 0)
 */
export const pad_constant_like = defineApi(`${L}pad_constant_like`, [p('x', T.tensor), p('y', T.tensor), p('pad_value', T.float, 0.0), nameP], (a): Tensor => {
  checkDtype(`${L}pad_constant_like`, 'y', a.y, NUM4);
  return run1('pad_constant_like', { X: [a.x], Y: [a.y] }, { pad_value: a.pad_value });
});

/**
 * Pads H and W of a 4-D tensor: paddings [top, bottom, left, right] (or a Tensor), mode
 * 'constant', 'reflect' or 'edge' (operator `pad2d`).
 * @example fluid.layers.pad2d(x, [1, 1, 2, 2], 'reflect')
 */
export const pad2d = defineApi(
  `${L}pad2d`,
  [p('input', T.tensor), p('paddings', T.union(T.ints, T.tensor), [0, 0, 0, 0] as number[] | Tensor), p('mode', T.oneOf('constant', 'reflect', 'edge'), 'constant' as const), p('pad_value', T.float, 0.0), p('data_format', T.oneOf('NCHW', 'NHWC'), 'NCHW' as const), nameP],
  (a): Tensor => {
    checkDtype(`${L}pad2d`, 'input', a.input, ['float16', 'float32', 'float64', 'int32', 'int64']);
    const attrs = { mode: a.mode, pad_value: a.pad_value, data_format: a.data_format };
    if (a.paddings instanceof Tensor) {
      if (state.staticMode) return run1('pad2d', { X: [a.input], Paddings: [a.paddings] }, { ...attrs, paddings: [] });
      return run1('pad2d', { X: [a.input] }, { ...attrs, paddings: tensorToNumbers(a.paddings) });
    }
    return run1('pad2d', { X: [a.input] }, { ...attrs, paddings: a.paddings });
  },
);

/**
 * Crops x to `shape` (a list, or a Tensor whose shape is used) at `offsets` (operator `crop`).
 * @example fluid.layers.crop(x, [2, 2], [1, 1])
 */
export const crop = defineApi(
  `${L}crop`,
  [p('x', T.tensor), p('shape', T.union(T.ints, T.tensor), null as number[] | Tensor | null), p('offsets', T.union(T.ints, T.tensor), null as number[] | Tensor | null), nameP],
  (a): Tensor => {
    const api = `${L}crop`;
    checkDtype(api, 'x', a.x, ['float32']);
    if (a.shape === null) badArg(api, 'shape', 'a list, tuple or Variable', a.shape);
    const ins: Record<string, Tensor[]> = { X: [a.x] };
    const attrs: Record<string, unknown> = {};
    if (a.shape instanceof Tensor) ins.Y = [a.shape];
    else attrs.shape = a.shape;
    const off = a.offsets ?? a.x.dims.map(() => 0);
    if (off instanceof Tensor) ins.Offsets = [off];
    else attrs.offsets = off;
    return run1('crop', ins, attrs);
  },
);

/**
 * Crops x to `shape` at `offsets` (operator `crop_tensor`); either may be an int Tensor or
 * hold Tensors, and a -1 in shape keeps the rest of that dim.
 * @example fluid.layers.crop_tensor(x, [-1, 2, 3], [0, 1, 0])
 */
export const crop_tensor = defineApi(
  `${L}crop_tensor`,
  [p('x', T.tensor), p('shape', T.nullable(intsTy()), null), p('offsets', T.nullable(intsTy()), null), nameP],
  (a): Tensor => {
    const api = `${L}crop_tensor`;
    checkDtype(api, 'x', a.x, NUM4);
    if (a.shape === null) badArg(api, 'shape', 'a list, tuple or Variable', a.shape);
    const ins: Record<string, Tensor[]> = { X: [a.x] };
    const attrs: Record<string, unknown> = {};
    const off = a.offsets ?? a.x.dims.map(() => 0);
    if (Array.isArray(off))
      for (const o of off) if (typeof o === 'number' && o < 0) fail(api, `Attr(offsets) of Op(crop_tensor) should be greater or equal to zero, but received: ${o}.`);
    if (Array.isArray(a.shape))
      for (const s of a.shape)
        if (typeof s === 'number') {
          if (s === 0) fail(api, `Attr(shape) of Op(crop_tensor) should not be zero, but received: ${s}.`);
          if (s < -1) fail(api, `When the element in Attr(shape) of Op(crop_tensor) is negative, only -1 is supported, but received: ${s}.`);
        }
    const ro = resolveInts(off);
    if (ro.tensor) {
      ins.Offsets = [ro.tensor];
      attrs.offsets = a.x.dims.map(() => -1);
    } else {
      if (ro.list) ins.OffsetsTensor = ro.list;
      attrs.offsets = ro.attr;
    }
    const rs = resolveInts(a.shape!);
    if (rs.tensor) ins.Shape = [rs.tensor];
    else {
      if (rs.list) {
        ins.ShapeTensor = rs.list;
        attrs.shape = rs.attr.map((s) => (s === -1 ? 0 : s));
      } else attrs.shape = rs.attr;
    }
    return run1('crop_tensor', ins, attrs);
  },
);

/**
 * Randomly crops the trailing dims of each instance to `shape` (operator `random_crop`).
 * @param seed an int seed (random when None) or an int64 Tensor holding one
 * @example fluid.layers.random_crop(images, [3, 24, 24], 1)
 */
export const random_crop = defineApi(`${L}random_crop`, [p('x', T.tensor), p('shape', T.ints), p('seed', T.union(T.int, T.tensor), null as number | Tensor | null)], (a): Tensor => {
  const api = `${L}random_crop`;
  checkDtype(api, 'x', a.x, ['float32', 'float64', 'uint8', 'int16', 'int32']);
  let seedIn = a.seed ?? Math.floor(Math.random() * 131072) - 65536;
  const attrs: Record<string, unknown> = { shape: a.shape };
  if (typeof seedIn === 'number') {
    attrs.startup_seed = seedIn;
    const s = seedIn;
    if (state.staticMode) {
      const name = generate('random_crop_seed');
      const v = default_main_program().global_block().create_var({ name, dtype: 'int64', shape: [1], persistable: true });
      const sv = default_startup_program().global_block().create_var({ name, dtype: 'int64', shape: [1], persistable: true });
      default_startup_program().global_block().append_op({ type: 'fill_constant', outputs: { Out: [sv] }, attrs: { shape: [1], dtype: PROTO_DTYPE.int64, value: s, str_value: String(s) } });
      seedIn = v;
    } else seedIn = new Tensor(BigInt64Array.of(BigInt(s)), [1], 'int64');
  }
  const seedT = seedIn as Tensor;
  if (state.staticMode && seedT instanceof Variable) {
    const block = default_main_program().current_block();
    const out = block.create_var({ name: `${generate('random_crop')}.tmp_0`, dtype: a.x.dtype, shape: [...a.x.dims.slice(0, a.x.dims.length - a.shape.length), ...a.shape] });
    block.append_op({ type: 'random_crop', inputs: { X: [a.x as Variable], Seed: [seedT] }, outputs: { Out: [out], SeedOut: [seedT] }, attrs });
    return out;
  }
  const [out, next] = outs('random_crop', { X: [a.x], Seed: [seedT] }, attrs, ['Out', 'SeedOut']);
  if (a.seed instanceof Tensor) (a.seed.data as BigInt64Array).set(next.data as BigInt64Array);
  return out;
});

const resampleMethods: Record<string, string> = { LINEAR: 'linear', BILINEAR: 'bilinear', TRILINEAR: 'trilinear', NEAREST: 'nearest' };

function imageResize(api: string, a: {
  input: Tensor; out_shape: (number | Tensor)[] | Tensor | null; scale: number | Tensor | null; resample: string;
  actual_shape: Tensor | null; align_corners: boolean; align_mode: number; data_format: string;
}): Tensor {
  const resample = a.resample.toUpperCase();
  if (!(resample in resampleMethods)) fail(api, "The 'resample' of image_resize can only be 'LINEAR', 'BILINEAR', 'TRILINEAR' or 'NEAREST' currently.");
  const method = resampleMethods[resample];
  const r = a.input.dims.length;
  if (resample === 'LINEAR' && r !== 3) fail(api, "'LINER only support 3-D tensor.");
  if ((resample === 'BILINEAR' || resample === 'NEAREST') && r !== 4) fail(api, "'BILINEAR' and 'NEAREST' only support 4-D tensor.");
  if (resample === 'TRILINEAR' && r !== 5) fail(api, "'TRILINEAR'only support 5-D tensor.");
  if (a.align_mode !== 0 && a.align_mode !== 1) fail(api, 'align_mode can only be 0 or 1');
  if (a.out_shape === null && a.scale === null) fail(api, 'One of out_shape and scale must not be None.');
  const formats: Record<number, string[]> = { 3: ['NCW', 'NWC'], 4: ['NCHW', 'NHWC'], 5: ['NCDHW', 'NDHWC'] };
  if (!formats[r].includes(a.data_format))
    fail(api, `Got wrong value for param \`data_format\`: ${a.data_format} received but only \`${formats[r][0]}\` or \`${formats[r][1]}\` supported for ${r}-D input.`);
  const layout = ['NCHW', 'NCDHW', 'NCW'].includes(a.data_format) ? 'NCHW' : 'NHWC';
  const ins: Record<string, Tensor[]> = { X: [a.input] };
  const attrs: Record<string, unknown> = { out_d: -1, out_h: -1, out_w: -1, interp_method: method, align_corners: a.align_corners, align_mode: a.align_mode, data_layout: layout };
  const names = ['out_d', 'out_h', 'out_w'].slice(3 - (r - 2));
  if (a.out_shape !== null) {
    if (a.out_shape instanceof Tensor) {
      a.out_shape.stop_gradient = true;
      ins.OutSize = [a.out_shape];
    } else {
      if (a.out_shape.length !== r - 2) fail(api, `out_shape length should be ${r - 2} for input ${r}-D tensor.`);
      for (const d of a.out_shape) if (typeof d === 'number' && !(d > 0)) fail(api, 'Each dimension size given in out_shape must be greater than 0.');
      const res = resolveInts(a.out_shape);
      if (res.list) ins.SizeTensor = res.list;
      names.forEach((k, i) => (attrs[k] = res.attr[i]));
    }
  } else if (a.scale instanceof Tensor) {
    a.scale.stop_gradient = true;
    ins.Scale = [a.scale];
  } else {
    if (!(a.scale! > 0)) fail(api, 'Attr(scale) should be greater than zero.');
    attrs.scale = a.scale;
  }
  if (a.actual_shape) {
    console.warn('actual_shape will be deprecated, it is recommended to use out_shape instead of actual_shape to specify output shape dynamically.');
    a.actual_shape.stop_gradient = true;
    ins.OutSize = [a.actual_shape];
  }
  return run1(`${method}_interp`, ins, attrs);
}

const outShapeTy = T.nullable(intsTy());
const scaleTy = T.nullable(T.union(T.float, T.tensor));
/**
 * Resizes the spatial dims (operators `linear_interp`, `bilinear_interp`, `trilinear_interp`,
 * `nearest_interp`, v1) to out_shape, or by scale. Fluid defaults: align_corners=True,
 * align_mode=1.
 * @param resample 'LINEAR' (3-D), 'BILINEAR' / 'NEAREST' (4-D) or 'TRILINEAR' (5-D)
 * @example fluid.layers.image_resize(x, [12, 12])
 */
export const image_resize = defineApi(
  `${L}image_resize`,
  [p('input', T.tensor), p('out_shape', outShapeTy, null), p('scale', scaleTy, null), nameP, p('resample', T.str, 'BILINEAR'), p('actual_shape', T.nullable(T.tensor), null), p('align_corners', T.bool, true), p('align_mode', T.int, 1), p('data_format', T.str, 'NCHW')],
  (a): Tensor => imageResize(`${L}image_resize`, a),
);
/** Bilinear resize of a 4-D tensor (operator `bilinear_interp`); see image_resize. @example fluid.layers.resize_bilinear(x, [8, 8]) */
export const resize_bilinear = defineApi(
  `${L}resize_bilinear`,
  [p('input', T.tensor), p('out_shape', outShapeTy, null), p('scale', scaleTy, null), nameP, p('actual_shape', T.nullable(T.tensor), null), p('align_corners', T.bool, true), p('align_mode', T.int, 1), p('data_format', T.str, 'NCHW')],
  (a): Tensor => imageResize(`${L}resize_bilinear`, { ...a, resample: 'BILINEAR' }),
);
/** Trilinear resize of a 5-D tensor (operator `trilinear_interp`); see image_resize. @example fluid.layers.resize_trilinear(x, [4, 8, 8]) */
export const resize_trilinear = defineApi(
  `${L}resize_trilinear`,
  [p('input', T.tensor), p('out_shape', outShapeTy, null), p('scale', scaleTy, null), nameP, p('actual_shape', T.nullable(T.tensor), null), p('align_corners', T.bool, true), p('align_mode', T.int, 1), p('data_format', T.str, 'NCDHW')],
  (a): Tensor => imageResize(`${L}resize_trilinear`, { ...a, resample: 'TRILINEAR' }),
);
/** Nearest-neighbour resize of a 4-D tensor (operator `nearest_interp`); see image_resize. @example fluid.layers.resize_nearest(x, null, 2) */
export const resize_nearest = defineApi(
  `${L}resize_nearest`,
  [p('input', T.tensor), p('out_shape', outShapeTy, null), p('scale', scaleTy, null), nameP, p('actual_shape', T.nullable(T.tensor), null), p('align_corners', T.bool, true), p('data_format', T.str, 'NCHW')],
  (a): Tensor => imageResize(`${L}resize_nearest`, { ...a, resample: 'NEAREST', align_mode: 1 }),
);
/**
 * Resizes a 4-D tensor so its shorter side is out_short_len, keeping the aspect ratio (the
 * long side rounded half up).
 * @example fluid.layers.image_resize_short(x, 16)
 */
export const image_resize_short = defineApi(`${L}image_resize_short`, [p('input', T.tensor), p('out_short_len', T.int), p('resample', T.str, 'BILINEAR')], (a): Tensor => {
  const api = `${L}image_resize_short`;
  if (a.input.dims.length !== 4) fail(api, 'The rank of input must be 4 (num_batches, channels, in_h, in_w).');
  const hw = a.input.dims.slice(2, 4);
  const si = hw[0] <= hw[1] ? 0 : 1;
  const out = hw.slice();
  out[si] = a.out_short_len;
  out[1 - si] = Math.floor(hw[1 - si] * (a.out_short_len / hw[si]) + 0.5);
  return imageResize(api, { input: a.input, out_shape: out, scale: null, resample: a.resample, actual_shape: null, align_corners: true, align_mode: 1, data_format: 'NCHW' });
});

// =====================================================================================
// gather / scatter, grid ops

/** Rows of input at index (operator `gather`). @example fluid.layers.gather(x, paddle.to_tensor([1, 2])) */
export const gather = defineApi(`${L}gather`, [p('input', T.tensor), p('index', T.tensor), p('overwrite', T.bool, true)], (a): Tensor => {
  const api = `${L}gather`;
  checkDtype(api, 'x', a.input, ['float16', 'float32', 'float64', 'int32', 'int64', 'uint8']);
  checkDtype(api, 'index', a.index, ['int32', 'int64']);
  return run1('gather', { X: [a.input], Index: [a.index] }, { overwrite: a.overwrite });
});
/** Slices of input at the coordinates in index's last dim (operator `gather_nd`). @example fluid.layers.gather_nd(x, idx) */
export const gather_nd = defineApi(`${L}gather_nd`, [p('input', T.tensor), p('index', T.tensor), nameP], (a): Tensor => {
  const api = `${L}gather_nd`;
  checkDtype(api, 'input', a.input, ['bool', 'float32', 'float64', 'int32', 'int64']);
  checkDtype(api, 'index', a.index, ['int32', 'int64']);
  return run1('gather_nd', { X: [a.input], Index: [a.index] }, {});
});
/**
 * Writes updates into rows of input at index (overwrite) or adds them (operator `scatter`).
 * @example fluid.layers.scatter(x, idx, updates)
 */
export const scatter = defineApi(`${L}scatter`, [p('input', T.tensor), p('index', T.tensor), p('updates', T.tensor), nameP, p('overwrite', T.bool, true)], (a): Tensor =>
  run1('scatter', { X: [a.input], Ids: [a.index], Updates: [a.updates] }, { overwrite: a.overwrite }),
);

/**
 * Sampling grids [N, H, W, 2] from affine matrices theta [N, 2, 3] (operator `affine_grid`).
 * @example fluid.layers.affine_grid(theta, [1, 3, 4, 4])
 */
export const affine_grid = defineApi(`${L}affine_grid`, [p('theta', T.tensor), p('out_shape', T.union(T.ints, T.tensor)), nameP], (a): Tensor => {
  const api = `${L}affine_grid`;
  checkDtype(api, 'theta', a.theta, F32_64);
  if (a.out_shape instanceof Tensor) {
    checkDtype(api, 'out_shape', a.out_shape, ['int32']);
    return run1('affine_grid', { Theta: [a.theta], OutputShape: [a.out_shape] }, {}, 'Output');
  }
  return run1('affine_grid', { Theta: [a.theta] }, { output_shape: a.out_shape }, 'Output');
});
/**
 * Bilinear sampling of x [N, C, H, W] at grid [N, H', W', 2] in [-1, 1] (operator
 * `grid_sampler`, align_corners=True).
 * @example fluid.layers.grid_sampler(x, grid)
 */
export const grid_sampler = defineApi(`${L}grid_sampler`, [p('x', T.tensor), p('grid', T.tensor), nameP], (a): Tensor => {
  checkDtype(`${L}grid_sampler`, 'x', a.x, F32_64);
  checkDtype(`${L}grid_sampler`, 'grid', a.grid, F32_64);
  return run1('grid_sampler', { X: [a.x], Grid: [a.grid] }, {}, 'Output');
});
/** Rearranges [N, C*r*r, H, W] into [N, C, H*r, W*r] (operator `pixel_shuffle`). @example fluid.layers.pixel_shuffle(x, 3) */
export const pixel_shuffle = defineApi(`${L}pixel_shuffle`, [p('x', T.tensor), p('upscale_factor', T.int)], (a): Tensor => {
  checkDtype(`${L}pixel_shuffle`, 'x', a.x, F32_64);
  return run1('pixel_shuffle', { X: [a.x] }, { upscale_factor: a.upscale_factor });
});
/**
 * Moves blocksize x blocksize spatial blocks into channels (operator `space_to_depth`,
 * darknet's reorg order): [N, C, H, W] -> [N, C*b*b, H/b, W/b].
 * @example fluid.layers.space_to_depth(x, 2)
 */
export const space_to_depth = defineApi(`${L}space_to_depth`, [p('x', T.tensor), p('blocksize', T.int), nameP], (a): Tensor => {
  checkDtype(`${L}space_to_depth`, 'x', a.x, ['float16', 'float32', 'float64', 'int32', 'int64']);
  return run1('space_to_depth', { X: [a.x] }, { blocksize: a.blocksize });
});
/**
 * Shuffles channels: [N, g*k, H, W] viewed as [N, g, k] becomes [N, k, g] (operator
 * `shuffle_channel`).
 * @example fluid.layers.shuffle_channel(x, 2)
 */
export const shuffle_channel = defineApi(`${L}shuffle_channel`, [p('x', T.tensor), p('group', T.int), nameP], (a): Tensor =>
  run1('shuffle_channel', { X: [a.x] }, { group: a.group }),
);
/**
 * x * scale + bias per channel (operator `affine_channel`), then `act`.
 * @example fluid.layers.affine_channel(x, scale, bias)
 */
export const affine_channel = defineApi(
  `${L}affine_channel`,
  [p('x', T.tensor), p('scale', T.nullable(T.tensor), null), p('bias', T.nullable(T.tensor), null), p('data_layout', T.str, 'NCHW'), nameP, p('act', actTy, null)],
  (a): Tensor => {
    const api = `${L}affine_channel`;
    checkDtype(api, 'x', a.x, F32_64);
    if (!a.scale || !a.bias) fail(api, 'affine_channel needs both scale and bias Tensors');
    return appendAct(run1('affine_channel', { X: [a.x], Scale: [a.scale], Bias: [a.bias] }, { data_layout: a.data_layout }), a.act);
  },
);
/**
 * A 0/1 mask of x [N, A, B, C] selecting, for each index along `axis`, the greedy
 * non-overlapping maxima of that slice (operator `similarity_focus`).
 * @example fluid.layers.similarity_focus(x, 1, [0])
 */
export const similarity_focus = defineApi(`${L}similarity_focus`, [p('input', T.tensor), p('axis', T.int), p('indexes', T.ints), nameP], (a): Tensor => {
  const api = `${L}similarity_focus`;
  checkDtype(api, 'input', a.input, F32_64);
  if (a.axis !== 1 && a.axis !== 2 && a.axis !== 3) fail(api, 'axis must be 1, 2 or 3.');
  if (a.indexes.length === 0) fail(api, 'indexes can not be empty.');
  return run1('similarity_focus', { X: [a.input] }, { axis: a.axis, indexes: a.indexes });
});
/**
 * num_hash XXH64 hashes of each row modulo hash_size: [N, num_hash, 1] (operator `hash`).
 * @example fluid.layers.hash(ids, 1000, 4)
 */
export const hash = defineApi(`${L}hash`, [p('input', T.tensor), p('hash_size', T.int), p('num_hash', T.int, 1), nameP], (a): Tensor => {
  checkDtype(`${L}hash`, 'input', a.input, ['int32', 'int64']);
  const out = run1('hash', { X: [a.input] }, { num_hash: a.num_hash, mod_by: a.hash_size });
  out.stop_gradient = true;
  return out;
});
/**
 * alpha * input + beta * sinusoidal position encodings (operator `add_position_encoding`).
 * @example fluid.layers.add_position_encoding(x, 1.0, 1.0)
 */
export const add_position_encoding = defineApi(`${L}add_position_encoding`, [p('input', T.tensor), p('alpha', T.float), p('beta', T.float), nameP], (a): Tensor => {
  checkDtype(`${L}add_position_encoding`, 'input', a.input, F32_64);
  return run1('add_position_encoding', { X: [a.input] }, { alpha: a.alpha, beta: a.beta });
});
/**
 * The FSP matrix of two feature maps: X·Yᵀ / (H·W) per sample (operator `fsp`).
 * @example fluid.layers.fsp_matrix(feature_a, feature_b)
 */
export const fsp_matrix = defineApi(`${L}fsp_matrix`, [p('x', T.tensor), p('y', T.tensor)], (a): Tensor => {
  checkDtype(`${L}fsp_matrix`, 'x', a.x, F32_64);
  checkDtype(`${L}fsp_matrix`, 'y', a.y, F32_64);
  return run1('fsp', { X: [a.x], Y: [a.y] }, {});
});
/**
 * The continuous value model: with use_cvm, log(show + 1) and log(click + 1) - log(show + 1)
 * replace the first two columns; without, they are dropped (operator `cvm`).
 * @example fluid.layers.continuous_value_model(x, cvm, true)
 */
export const continuous_value_model = defineApi(`${L}continuous_value_model`, [p('input', T.tensor), p('cvm', T.tensor), p('use_cvm', T.bool, true)], (a): Tensor => {
  checkDtype(`${L}continuous_value_model`, 'input', a.input, FLOATS);
  return run1('cvm', { X: [a.input], CVM: [a.cvm] }, { use_cvm: a.use_cvm }, 'Y');
});
/**
 * Samples one id per row of probabilities x [batch, width] (operator `sampling_id`; int64).
 * @example fluid.layers.sampling_id(probs)
 */
export const sampling_id = defineApi(
  `${L}sampling_id`,
  [p('x', T.tensor), p('min', T.float, 0.0), p('max', T.float, 1.0), p('seed', T.int, 0), p('dtype', T.dtype, 'float32' as DType)],
  (a): Tensor => run1('sampling_id', { X: [a.x] }, { min: a.min, max: a.max, seed: a.seed }),
);
/**
 * Keeps the instances of ins whose tags (ins_tag, LoD) meet filter_tag; returns
 * [out, loss_weight] (operator `filter_by_instag`).
 * @example const [out, w] = fluid.layers.filter_by_instag(ins, ins_tag, filter_tag, false)
 */
export const filter_by_instag = defineApi(
  `${L}filter_by_instag`,
  [p('ins', T.tensor), p('ins_tag', T.tensor), p('filter_tag', T.tensor), p('is_lod', T.bool), p('out_val_if_empty', T.int, 0)],
  (a): [Tensor, Tensor] => {
    const [o, w] = outs('filter_by_instag', { Ins: [a.ins], Ins_tag: [a.ins_tag], Filter_tag: [a.filter_tag] }, { is_lod: a.is_lod, out_val_if_empty: a.out_val_if_empty }, ['Out', 'LossWeight']);
    return [o, w];
  },
);
/** A dense copy of a SelectedRows' value (operator `get_tensor_from_selected_rows`; tensors are dense here). @example fluid.layers.get_tensor_from_selected_rows(x) */
export const get_tensor_from_selected_rows = defineApi(`${L}get_tensor_from_selected_rows`, [p('x', T.tensor), nameP], (a): Tensor => {
  if (a.x instanceof Variable && a.x.type !== 'SELECTED_ROWS' && a.x.type !== 'LOD_TENSOR')
    fail(`${L}get_tensor_from_selected_rows`, "The type of 'x' in get_tensor_from_selected_rows must be SELECTED_ROWS.");
  return run1('get_tensor_from_selected_rows', { X: [a.x] }, {});
});
/** Merges duplicated rows of a SelectedRows (operator `merge_selected_rows`; a copy of dense tensors). @example fluid.layers.merge_selected_rows(x) */
export const merge_selected_rows = defineApi(`${L}merge_selected_rows`, [p('x', T.tensor), nameP], (a): Tensor => run1('merge_selected_rows', { X: [a.x] }, {}));

// =====================================================================================
// random

function shapeOf(api: string, shape: ReturnType<typeof shapeTy.parse>): ReturnType<typeof shapeInputs> {
  if (Array.isArray(shape)) for (const d of shape) if (typeof d === 'number' && d < 0 && d !== -1) fail(api, `each value of shape must be >= 0 (or -1), but got [${shape}]`);
  return shapeInputs(shape);
}
/**
 * Normal(mean, std) samples of `shape` (operator `gaussian_random`).
 * @example fluid.layers.gaussian_random([2, 3], 0, 1, 0, 'float32')
 */
export const gaussian_random = defineApi(
  `${L}gaussian_random`,
  [p('shape', shapeTy), p('mean', T.float, 0.0), p('std', T.float, 1.0), p('seed', T.int, 0), p('dtype', T.dtype, 'float32' as DType), nameP],
  (a): Tensor => {
    const api = `${L}gaussian_random`;
    if (!F32_64.includes(a.dtype)) fail(api, `The data type of 'dtype' must be one of float32, float64, but received ${a.dtype}`);
    const { ins, attrs } = shapeOf(api, a.shape);
    return run1('gaussian_random', ins, { ...attrs, mean: a.mean, std: a.std, seed: a.seed, dtype: PROTO_DTYPE[a.dtype], use_mkldnn: false });
  },
);
/**
 * Uniform [min, max) samples of `shape` (operator `uniform_random`).
 * @example fluid.layers.uniform_random([3, 4], 'float32', -1, 1)
 */
export const uniform_random = defineApi(
  `${L}uniform_random`,
  [p('shape', shapeTy), p('dtype', T.dtype, 'float32' as DType), p('min', T.float, -1.0), p('max', T.float, 1.0), p('seed', T.int, 0), nameP],
  (a): Tensor => {
    const api = `${L}uniform_random`;
    if (!F32_64.includes(a.dtype)) fail(api, `The data type of 'dtype' must be one of float32, float64, but received ${a.dtype}`);
    const { ins, attrs } = shapeOf(api, a.shape);
    return run1('uniform_random', ins, { ...attrs, seed: a.seed, min: a.min, max: a.max, dtype: PROTO_DTYPE[a.dtype] });
  },
);

// =====================================================================================
// layers with parameters: inplace_abn, deformable_conv, linear_chain_crf

/**
 * Batch normalization fused with an activation (operator `inplace_abn`): act None/'identity',
 * 'leaky_relu' (slope act_alpha) or 'elu' (alpha act_alpha). Creates scale (1), bias (0) and
 * running mean (0) / variance (1) parameters; the running statistics update while training.
 * @example fluid.layers.inplace_abn(x, 'leaky_relu', { act_alpha: 0.1 })
 */
export const inplace_abn = defineApi(
  `${L}inplace_abn`,
  [
    p('input', T.tensor), p('act', T.nullable(T.str), null), p('is_test', T.bool, false), p('momentum', T.union(T.float, T.tensor), 0.9 as number | Tensor),
    p('epsilon', T.float, 1e-5), p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null), p('data_layout', T.str, 'NCHW'), nameP,
    p('moving_mean_name', T.nullable(T.str), null), p('moving_variance_name', T.nullable(T.str), null), p('do_model_average_for_mean_and_var', T.bool, true),
    p('use_global_stats', T.bool, false), p('act_alpha', T.float, 1.0),
  ],
  (a): Tensor => {
    const api = `${L}inplace_abn`;
    if (a.act !== null && !['identity', 'leaky_relu', 'elu'].includes(a.act)) fail(api, "inplace_abn only support act as None, 'identity', 'leaky_relu', 'elu' currently");
    if (a.bias_attr === false) fail(api, 'bias_attr should not be False in inplace_abn.');
    checkDtype(api, 'input', a.input, F32_64);
    const dims = a.input.dims;
    let C: number;
    if (a.data_layout === 'NCHW') C = dims[1];
    else if (a.data_layout === 'NHWC') C = dims[dims.length - 1];
    else return fail(api, `unsupported data layout:${a.data_layout}`);
    const layer = layerName('inplace_abn', a.name);
    const dt = a.input.dtype;
    const scale = param(layer, a.param_attr, [C], dt, false, api, new ConstantInitializer(1.0))!;
    const bias = param(layer, a.bias_attr, [C], dt, true, api)!;
    const stat = (name: string | null, v: number) =>
      param(layer, new ParamAttr({ name, initializer: new ConstantInitializer(v), trainable: false, do_model_average: a.do_model_average_for_mean_and_var }), [C], dt, false, api)!;
    const mean = stat(a.moving_mean_name, 0);
    mean.stop_gradient = true;
    const variance = stat(a.moving_variance_name, 1);
    variance.stop_gradient = true;
    const attrs: Record<string, unknown> = {
      epsilon: a.epsilon, is_test: a.is_test, data_layout: a.data_layout, use_mkldnn: false, fuse_with_relu: false,
      use_global_stats: a.use_global_stats, activation: a.act ?? '', alpha: a.act_alpha,
    };
    if (a.momentum instanceof Tensor) {
      if (state.staticMode) fail(api, 'momentum as a Variable is not supported; pass a number');
      attrs.momentum = tensorToNumbers(a.momentum)[0];
    } else attrs.momentum = a.momentum;
    return runBatchNorm('inplace_abn' as 'batch_norm', a.input, scale, bias, mean, variance, attrs);
  },
);

/**
 * Deformable convolution: v2 (modulated, operator `deformable_conv`, with mask) or v1
 * (`deformable_conv_v1`), plus a bias added on the channel axis. Creates the filter
 * [num_filters, C/groups, kh, kw] (Normal(0, sqrt(2 / (kh*kw*C))) by default) and the bias.
 * @param offset [N, 2*deformable_groups*kh*kw, H_out, W_out]
 * @param mask [N, deformable_groups*kh*kw, H_out, W_out] (modulated only)
 * @example fluid.layers.deformable_conv(x, offset, mask, 4, 3, { padding: 1 })
 */
export const deformable_conv = defineApi(
  `${L}deformable_conv`,
  [
    p('input', T.tensor), p('offset', T.tensor), p('mask', T.nullable(T.tensor)), p('num_filters', T.int), p('filter_size', intOrList),
    p('stride', intOrList, 1 as number | number[]), p('padding', intOrList, 0 as number | number[]), p('dilation', intOrList, 1 as number | number[]),
    p('groups', T.nullable(T.int), null), p('deformable_groups', T.nullable(T.int), null), p('im2col_step', T.nullable(T.int), null),
    p('param_attr', paramAttrTy, null), p('bias_attr', paramAttrTy, null), p('modulated', T.bool, true), nameP,
  ],
  (a): Tensor => {
    const api = `${L}deformable_conv`;
    checkDtype(api, 'input', a.input, F32_64);
    checkDtype(api, 'offset', a.offset, F32_64);
    if (a.param_attr === false) fail(api, 'param_attr should not be False here.');
    const C = a.input.dims[1];
    let fc: number;
    if (a.groups === null) fc = C;
    else {
      if (C % a.groups !== 0) fail(api, 'num_channels must be divisible by groups.');
      fc = C / a.groups;
    }
    const fs = toList(api, 'filter_size', a.filter_size, 2);
    const stride = toList(api, 'stride', a.stride, 2);
    const padding = toList(api, 'padding', a.padding, 2);
    const dilation = toList(api, 'dilation', a.dilation, 2);
    const layer = layerName('deformable_conv', a.name);
    const std = Math.sqrt(2.0 / (fs[0] * fs[1] * C));
    const filter = param(layer, a.param_attr, [a.num_filters, fc, ...fs], a.input.dtype, false, api, new NormalInitializer(0.0, std, 0))!;
    const attrs = { strides: stride, paddings: padding, dilations: dilation, groups: a.groups ?? 1, deformable_groups: a.deformable_groups ?? 1, im2col_step: a.im2col_step ?? 64 };
    let pre: Tensor;
    if (a.modulated) {
      if (!a.mask) return fail(api, 'the modulated deformable convolution (v2) needs a mask');
      pre = run1('deformable_conv', { Input: [a.input], Filter: [filter], Offset: [a.offset], Mask: [a.mask] }, attrs, 'Output');
    } else pre = run1('deformable_conv_v1', { Input: [a.input], Filter: [filter], Offset: [a.offset] }, attrs, 'Output');
    return appendBias(layer, pre, a.bias_attr, 1, api, 2);
  },
);

/**
 * The negative log-likelihood of a linear-chain CRF (operator `linear_chain_crf`): creates the
 * transition parameter [size + 2, size] (rows 0/1: start/end weights). Input is emission scores
 * [total, size] with LoD, or padded [batch, max_len, size] with `length` [batch] (int64).
 * @example const nll = fluid.layers.linear_chain_crf(emission, label, fluid.ParamAttr({ name: 'crfw' }), length)
 */
export const linear_chain_crf = defineApi(
  `${L}linear_chain_crf`,
  [p('input', T.tensor), p('label', T.tensor), p('param_attr', paramAttrTy, null), p('length', T.nullable(T.tensor), null)],
  (a): Tensor => {
    const api = `${L}linear_chain_crf`;
    checkDtype(api, 'input', a.input, F32_64);
    checkDtype(api, 'label', a.label, ['int64']);
    const size = a.length ? a.input.dims[2] : a.input.dims[1];
    const layer = layerName('linear_chain_crf', null);
    const transition = param(layer, a.param_attr, [size + 2, size], a.input.dtype, false, api)!;
    const ins: Record<string, Tensor[]> = { Emission: [a.input], Transition: [transition], Label: [a.label] };
    if (a.length) ins.Length = [a.length];
    return outs('linear_chain_crf', ins, {}, ['LogLikelihood'])[0];
  },
);

