// paddle.fluid.layers sequence functions (Paddle 2.0's python/paddle/fluid/layers/sequence_lod.py),
// lod_reset / lod_append / im2sequence (layers/nn.py) and lod_rank_table /
// reorder_lod_tensor_by_rank (layers/control_flow.py). They take LoD tensors: in static mode
// Variables declared with lod_level and fed fluid.LoDTensors; in dygraph (which Paddle 2.0 does not
// support for these) Tensors that carry a LoD, e.g. from fluid.create_lod_tensor.
import { defineApi, p, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { badArg, fail, InvalidArgumentError } from '../../core/errors.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { LoDRankTable } from '../../ops/sequence.js';
import { Variable } from '../../static/framework.js';
import { actTy, appendAct, checkDtype, constant, L, layerName, nameP, param } from './misc.js';

const F32_64: readonly DType[] = ['float32', 'float64'];
const NUM4: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];
const INTS: readonly DType[] = ['int32', 'int64'];
const paramAttrTy = T.any;

/** An int or a list of ints, as a list of `n` (Python's `if isinstance(x, int): x = [x, x]`). */
function intList(v: number | number[], n: number): number[] {
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  return v.slice();
}
const intOrInts: Ty<number | number[]> = T.union(T.int, T.ints) as Ty<number | number[]>;

/** Marks an output as data that stops gradients (Paddle sets `stop_gradient = True` on it). */
function stopGrad<V extends Tensor>(t: V): V {
  t.stop_gradient = true;
  return t;
}

// ---- sequence_conv -------------------------------------------------------------------------------

/**
 * Convolution over the time steps of each sequence of a 1-level LoD input [T, D]: every step
 * sees `filter_size` consecutive steps from `padding_start` (zero padded at the sequence's
 * borders), times a new filter [filter_size * D, num_filters]; then a bias and `act`
 * (operator `sequence_conv`).
 * @param input a float32/float64 LoD tensor [T, D] with one LoD level
 * @param num_filters the output width
 * @param filter_size the context window (steps)
 * @param filter_stride must be 1
 * @param padding accepted for compatibility (the padding is always zeros)
 * @param padding_start where the window starts relative to the step (default -floor(filter_size/2))
 * @param bias_attr the bias' ParamAttr (false: no bias)
 * @param param_attr the filter's ParamAttr
 * @param act an activation appended
 * @example const y = fluid.layers.sequence_conv(x, 8, 3)  // x: [T, 4] with lod [[0, 2, 5]] -> [T, 8]
 */
export const sequence_conv = defineApi(
  `${L}sequence_conv`,
  [
    p('input', T.tensor), p('num_filters', T.int), p('filter_size', T.int, 3), p('filter_stride', T.int, 1), p('padding', T.bool, true),
    p('padding_start', T.nullable(T.int), null), p('bias_attr', paramAttrTy, null), p('param_attr', paramAttrTy, null), p('act', actTy, null), nameP,
  ],
  (a): Tensor => {
    const api = `${L}sequence_conv`;
    checkDtype(api, 'input', a.input, F32_64);
    if (a.input.dims.length !== 2 || a.input.dims[1] < 0) fail(api, `input must be a 2-D LoD tensor [T, D] with a known D, but got shape [${a.input.dims}]`);
    const layer = layerName('sequence_conv', a.name);
    const filter = param(layer, a.param_attr, [a.filter_size * a.input.dims[1], a.num_filters], a.input.dtype, false, api)!;
    const start = a.padding_start ?? -Math.trunc(a.filter_size / 2);
    const pre = run1('sequence_conv', { X: [a.input], Filter: [filter] }, { contextStride: a.filter_stride, contextStart: start, contextLength: a.filter_size });
    let out = pre;
    if (a.bias_attr !== false) {
      const b = param(layer, a.bias_attr, [a.num_filters], pre.dtype, true, api);
      if (b) out = run1('elementwise_add', { X: [pre], Y: [b] }, { axis: 1 });
    }
    return appendAct(out, a.act);
  },
);

// ---- sequence_softmax / sequence_pool / first / last ------------------------------------------------

/**
 * Softmax over the time steps of each sequence (the last LoD level) of an input [T, 1] or [T]
 * (operator `sequence_softmax`).
 * @param input a float32/float64 LoD tensor whose steps have width 1
 * @param use_cudnn recorded (CPU only)
 * @example fluid.layers.sequence_softmax(x)  // x lod [[0, 2, 5]]: softmax of rows 0-1 and of rows 2-4
 */
export const sequence_softmax = defineApi(
  `${L}sequence_softmax`,
  [p('input', T.tensor), p('use_cudnn', T.bool, false), nameP],
  (a): Tensor => {
    checkDtype(`${L}sequence_softmax`, 'input', a.input, F32_64);
    return run1('sequence_softmax', { X: [a.input] }, { use_cudnn: a.use_cudnn });
  },
);

/**
 * Pools every sequence (of the last LoD level) into one row: 'sum', 'average', 'sqrt' (sum /
 * sqrt(length)), 'max', 'last' or 'first'; an empty sequence gives pad_value. A 2-level input
 * keeps its first level (operator `sequence_pool`).
 * @param input a float32/float64 LoD tensor [T, ...]
 * @param pool_type the pooling (case-insensitive)
 * @param is_test inference mode
 * @param pad_value the value of empty sequences
 * @example fluid.layers.sequence_pool(x, 'sum')  // x [[1], [3], [2], [4], [6]] lod [[0, 2, 5]] -> [[4], [12]]
 */
export const sequence_pool = defineApi(
  `${L}sequence_pool`,
  [p('input', T.tensor), p('pool_type', T.str), p('is_test', T.bool, false), p('pad_value', T.float, 0.0)],
  (a): Tensor => {
    checkDtype(`${L}sequence_pool`, 'input', a.input, F32_64);
    const r = dispatch('sequence_pool', { X: [a.input] }, { pooltype: a.pool_type.toUpperCase(), is_test: a.is_test, pad_value: a.pad_value });
    if (a.pool_type === 'max') stopGrad(r.MaxIndex[0]);
    return r.Out[0];
  },
);

/**
 * The first time step of every sequence (sequence_pool with 'first').
 * @param input a float32/float64 LoD tensor
 * @example fluid.layers.sequence_first_step(x)  // x lod [[0, 2, 5]] -> rows 0 and 2
 */
export const sequence_first_step = defineApi(`${L}sequence_first_step`, [p('input', T.tensor)], (a): Tensor => {
  checkDtype(`${L}sequence_first_step`, 'input', a.input, F32_64);
  return sequence_pool(a.input, 'first');
});

/**
 * The last time step of every sequence (sequence_pool with 'last').
 * @param input a float32/float64 LoD tensor
 * @example fluid.layers.sequence_last_step(x)  // x lod [[0, 2, 5]] -> rows 1 and 4
 */
export const sequence_last_step = defineApi(`${L}sequence_last_step`, [p('input', T.tensor)], (a): Tensor => {
  checkDtype(`${L}sequence_last_step`, 'input', a.input, F32_64);
  return sequence_pool(a.input, 'last');
});

// ---- sequence_concat / slice / expand ---------------------------------------------------------------

/**
 * Concatenates 1-level LoD tensors sequence by sequence: sequence i of the output is sequence
 * i of input[0], then of input[1], ... (operator `sequence_concat`).
 * @param input a list of LoD tensors with the same number of sequences and row width
 * @example fluid.layers.sequence_concat([x, y])  // lods [[0, 2, 3]] and [[0, 1, 3]] -> [[0, 3, 6]]
 */
export const sequence_concat = defineApi(
  `${L}sequence_concat`,
  [p('input', T.tensors), nameP],
  (a): Tensor => {
    a.input.forEach((x, i) => checkDtype(`${L}sequence_concat`, `input[${i}]`, x, ['int64', 'float32', 'float64', 'int32']));
    return run1('sequence_concat', { X: a.input }, {});
  },
);

/**
 * Cuts a sub-sequence from each sequence: `length[i]` steps from `offset[i]` (operator
 * `sequence_slice`).
 * @param input a 1-level LoD tensor
 * @param offset int32/int64 [N, 1], the start inside each sequence
 * @param length int32/int64 [N, 1], the number of steps
 * @example fluid.layers.sequence_slice(x, offset, length)  // lod [[0, 3, 5]], offset [[0], [1]], length [[2], [1]] -> lod [[0, 2, 3]]
 */
export const sequence_slice = defineApi(
  `${L}sequence_slice`,
  [p('input', T.tensor), p('offset', T.tensor), p('length', T.tensor), nameP],
  (a): Tensor => {
    const api = `${L}sequence_slice`;
    checkDtype(api, 'input', a.input, NUM4);
    checkDtype(api, 'offset', a.offset, INTS);
    checkDtype(api, 'length', a.length, INTS);
    stopGrad(a.offset);
    stopGrad(a.length);
    return run1('sequence_slice', { X: [a.input], Offset: [a.offset], Length: [a.length] }, {});
  },
);

/**
 * Repeats each sequence of x (each row, when x has no LoD) as many times as the matching
 * sequence of y's LoD level `ref_level` has elements (operator `sequence_expand`).
 * @param x a Tensor, or a LoD tensor with one level
 * @param y a LoD tensor whose level ref_level gives the repeat counts
 * @param ref_level the level of y (-1: the last)
 * @example fluid.layers.sequence_expand(x, y)  // x [[a], [b], [c]], y lod [[0, 2, 3, 6]] -> [[a], [a], [b], [c], [c], [c]]
 */
export const sequence_expand = defineApi(
  `${L}sequence_expand`,
  [p('x', T.tensor), p('y', T.tensor), p('ref_level', T.int, -1), nameP],
  (a): Tensor => {
    checkDtype(`${L}sequence_expand`, 'x', a.x, NUM4);
    return run1('sequence_expand', { X: [a.x], Y: [a.y] }, { ref_level: a.ref_level });
  },
);

/**
 * Repeats row i of x as many times as sequence i of y (1-level LoD) is long; the output takes
 * y's LoD (operator `sequence_expand_as`).
 * @param x a Tensor [N, ...]
 * @param y a LoD tensor with N sequences
 * @example fluid.layers.sequence_expand_as(x, y)  // x [[a], [b]], y lod [[0, 3, 4]] -> [[a], [a], [a], [b]]
 */
export const sequence_expand_as = defineApi(
  `${L}sequence_expand_as`,
  [p('x', T.tensor), p('y', T.tensor), nameP],
  (a): Tensor => {
    checkDtype(`${L}sequence_expand_as`, 'x', a.x, NUM4);
    return run1('sequence_expand_as', { X: [a.x], Y: [a.y] }, {});
  },
);

// ---- sequence_pad / sequence_unpad ------------------------------------------------------------------

/**
 * Pads the sequences of a 1-level LoD tensor [T, ...] into [N, maxlen, ...] with pad_value,
 * and returns the lengths (int64 [N]) too (operator `sequence_pad`).
 * @param x the LoD tensor
 * @param pad_value a Tensor [1] or of one step's shape (x's dtype); a number is made one
 * @param maxlen the padded length (default: the longest sequence)
 * @returns [out, length]
 * @example const [out, len] = fluid.layers.sequence_pad(x, fluid.layers.fill_constant([1], 'float32', 0))
 */
export const sequence_pad = defineApi(
  `${L}sequence_pad`,
  [p('x', T.tensor), p('pad_value', T.tensorOrScalar), p('maxlen', T.nullable(T.int), null), nameP],
  (a): [Tensor, Tensor] => {
    const api = `${L}sequence_pad`;
    checkDtype(api, 'x', a.x, NUM4);
    let pv: Tensor;
    if (a.pad_value instanceof Tensor) {
      checkDtype(api, 'pad_value', a.pad_value, NUM4);
      pv = a.pad_value;
    } else {
      if (typeof a.pad_value !== 'number') badArg(api, 'pad_value', 'a Tensor or a number', a.pad_value);
      pv = constant([1], a.x.dtype, a.pad_value);
    }
    stopGrad(pv);
    const r = dispatch('sequence_pad', { X: [a.x], PadValue: [pv] }, { padded_length: a.maxlen ?? -1 });
    return [r.Out[0], stopGrad(r.Length[0])];
  },
);

/**
 * Removes the padding of x [N, L, ...] given the lengths, giving a 1-level LoD tensor
 * [sum(length), ...] (a 2-D x gives [sum, 1]) (operator `sequence_unpad`).
 * @param x the padded Tensor
 * @param length int64 [N], the valid steps of each row
 * @example fluid.layers.sequence_unpad(x, len)  // x [3, 5], len [2, 3, 4] -> [9, 1] with lod [[0, 2, 5, 9]]
 */
export const sequence_unpad = defineApi(
  `${L}sequence_unpad`,
  [p('x', T.tensor), p('length', T.tensor), nameP],
  (a): Tensor => {
    const api = `${L}sequence_unpad`;
    checkDtype(api, 'x', a.x, NUM4);
    checkDtype(api, 'length', a.length, ['int64']);
    stopGrad(a.length);
    return run1('sequence_unpad', { X: [a.x], Length: [a.length] }, {});
  },
);

// ---- sequence_reshape / scatter / enumerate / mask / reverse ------------------------------------------

/**
 * Reshapes each sequence of a 1-level LoD tensor [T, D] to rows of width new_dim (each
 * sequence's length * D must divide by new_dim) (operator `sequence_reshape`).
 * @param input the LoD tensor [T, D]
 * @param new_dim the new width
 * @example fluid.layers.sequence_reshape(x, 4)  // x [6, 2] lod [[0, 2, 6]] -> [3, 4] lod [[0, 1, 3]]
 */
export const sequence_reshape = defineApi(
  `${L}sequence_reshape`,
  [p('input', T.tensor), p('new_dim', T.int)],
  (a): Tensor => {
    checkDtype(`${L}sequence_reshape`, 'input', a.input, NUM4);
    return run1('sequence_reshape', { X: [a.input] }, { new_dim: a.new_dim });
  },
);

/**
 * Adds `updates` into input: the ids of sequence i (index, 1-level LoD) are columns of row i
 * (operator `sequence_scatter`).
 * @param input a Tensor [N, W]
 * @param index int32/int64 ids with a LoD of N sequences
 * @param updates values, one per id, with the same LoD
 * @example fluid.layers.sequence_scatter(x, ids, upd)
 */
export const sequence_scatter = defineApi(
  `${L}sequence_scatter`,
  [p('input', T.tensor), p('index', T.tensor), p('updates', T.tensor), nameP],
  (a): Tensor => {
    const api = `${L}sequence_scatter`;
    checkDtype(api, 'input', a.input, NUM4);
    checkDtype(api, 'index', a.index, INTS);
    checkDtype(api, 'updates', a.updates, NUM4);
    return run1('sequence_scatter', { X: [a.input], Ids: [a.index], Updates: [a.updates] }, {});
  },
);

/**
 * For each step of an int sequence [T, 1], the window of the next win_size ids (pad_value past
 * the sequence's end) (operator `sequence_enumerate`).
 * @param input int32/int64 LoD tensor [T, 1]
 * @param win_size the window (>= 2)
 * @param pad_value the fill past the end
 * @example fluid.layers.sequence_enumerate(x, 2)  // [[1], [2], [3]] lod [[0, 3]] -> [[1, 2], [2, 3], [3, 0]]
 */
export const sequence_enumerate = defineApi(
  `${L}sequence_enumerate`,
  [p('input', T.tensor), p('win_size', T.int), p('pad_value', T.int, 0), nameP],
  (a): Tensor => {
    checkDtype(`${L}sequence_enumerate`, 'input', a.input, INTS);
    return stopGrad(run1('sequence_enumerate', { X: [a.input] }, { win_size: a.win_size, pad_value: a.pad_value }));
  },
);

/**
 * A mask [..., maxlen] of x's lengths: y[..., j] = j < x[...] (operator `sequence_mask`).
 * @param x the lengths (int32, int64, float32 or float64)
 * @param maxlen the mask width (an int or an int32 Tensor; default max(x))
 * @param dtype the mask's dtype
 * @example fluid.layers.sequence_mask(paddle.to_tensor([1, 3]), 4)  // [[1, 0, 0, 0], [1, 1, 1, 0]] int64
 */
export const sequence_mask = defineApi(
  `${L}sequence_mask`,
  [p('x', T.tensor), p('maxlen', T.nullable(T.union(T.int, T.tensor)), null), p('dtype', T.dtype, 'int64' as DType), nameP],
  (a): Tensor => {
    const api = `${L}sequence_mask`;
    checkDtype(api, 'x', a.x, ['int32', 'int64', 'float32', 'float64']);
    const ins: Record<string, Tensor[]> = { X: [a.x] };
    const attrs: Record<string, unknown> = { out_dtype: PROTO_DTYPE[a.dtype] };
    if (a.maxlen instanceof Tensor) {
      checkDtype(api, 'maxlen', a.maxlen, INTS);
      ins.MaxLenTensor = [a.maxlen.dtype === 'int32' ? a.maxlen : run1('cast', { X: [a.maxlen] }, { in_dtype: PROTO_DTYPE.int64, out_dtype: PROTO_DTYPE.int32 })];
    } else if (a.maxlen !== null) attrs.maxlen = a.maxlen;
    return stopGrad(run1('sequence_mask', ins, attrs, 'Y'));
  },
);

/**
 * Reverses the steps inside each sequence of a 1-level LoD tensor (operator `sequence_reverse`).
 * @param x the LoD tensor (rank >= 2)
 * @example fluid.layers.sequence_reverse(x)  // [[1], [2], [3], [4]] lod [[0, 1, 4]] -> [[1], [4], [3], [2]]
 */
export const sequence_reverse = defineApi(
  `${L}sequence_reverse`,
  [p('x', T.tensor), nameP],
  (a): Tensor => {
    checkDtype(`${L}sequence_reverse`, 'x', a.x, ['float32', 'float64', 'int8', 'int32', 'int64', 'uint8']);
    return run1('sequence_reverse', { X: [a.x] }, {}, 'Y');
  },
);

// ---- lod_reset / lod_append ----------------------------------------------------------------------------

/**
 * x's data with a new LoD: y's LoD (or, when y has none, y's data as level offsets), or the one
 * level `target_lod` (offsets, e.g. [0, 4, 6]) (operator `lod_reset`).
 * @param x the tensor (float32, float64, int32, int64)
 * @param y the tensor giving the LoD
 * @param target_lod offsets of one level, when y is not given
 * @example fluid.layers.lod_reset(x, null, [0, 4, 6])
 */
export const lod_reset = defineApi(
  `${L}lod_reset`,
  [p('x', T.tensor), p('y', T.nullable(T.tensor), null), p('target_lod', T.nullable(T.ints), null)],
  (a): Tensor => {
    const api = `${L}lod_reset`;
    checkDtype(api, 'x', a.x, NUM4);
    if (a.y) return run1('lod_reset', { X: [a.x], Y: [a.y] }, {});
    if (a.target_lod) return run1('lod_reset', { X: [a.x] }, { target_lod: a.target_lod });
    return fail(api, 'y and target_lod should not be both none.', InvalidArgumentError);
  },
);

/**
 * x with a new finest LoD level appended: `level` as offsets into x's rows (or a Tensor: its LoD,
 * or its int32 data as offsets) (operator `lod_reset` with append=True).
 * @param x the tensor (float32, float64, int32, int64)
 * @param level offsets of the new level (list or Tensor)
 * @example fluid.layers.lod_append(x, [0, 1, 3, 6])  // x lod [[0, 2, 3]] -> [[0, 2, 3], [0, 1, 3, 6]]
 */
export const lod_append = defineApi(
  `${L}lod_append`,
  [p('x', T.tensor), p('level', T.union(T.ints, T.tensor))],
  (a): Tensor => {
    checkDtype(`${L}lod_append`, 'x', a.x, NUM4);
    if (a.level instanceof Tensor) return run1('lod_reset', { X: [a.x], Y: [a.level] }, { append: true });
    return run1('lod_reset', { X: [a.x] }, { target_lod: a.level, append: true });
  },
);

// ---- im2sequence ------------------------------------------------------------------------------------------

/**
 * Scans images [N, C, H, W] with a filter_size window into a sequence per image: one step per
 * window position, of width C * kh * kw; the output is a 1-level LoD tensor (operator
 * `im2sequence`).
 * @param input float32 images [N, C, H, W]
 * @param filter_size the window, int or [kh, kw]
 * @param stride int or [sh, sw]
 * @param padding int, [ph, pw], or [up, left, down, right]
 * @param input_image_size the real sizes [N, 2] (height, width) of padded images
 * @param out_stride with input_image_size: the real sizes are divided by it (ceil)
 * @example fluid.layers.im2sequence(x, [2, 2])  // x [2, 2, 3, 3] -> [8, 8] with lod [[0, 4, 8]]
 */
export const im2sequence = defineApi(
  `${L}im2sequence`,
  [
    p('input', T.tensor), p('filter_size', intOrInts, 1 as number | number[]), p('stride', intOrInts, 1 as number | number[]),
    p('padding', intOrInts, 0 as number | number[]), p('input_image_size', T.nullable(T.tensor), null), p('out_stride', intOrInts, 1 as number | number[]), nameP,
  ],
  (a): Tensor => {
    const api = `${L}im2sequence`;
    checkDtype(api, 'input', a.input, F32_64);
    const kernels = intList(a.filter_size, 2);
    const strides = intList(a.stride, 2);
    let paddings = intList(a.padding, 2);
    if (paddings.length === 2) paddings = [paddings[0], paddings[1], paddings[0], paddings[1]];
    if (paddings.length !== 4) fail(api, `padding must be an int or a list of 2 or 4 ints, but got [${paddings}]`);
    const ins: Record<string, Tensor[]> = { X: [a.input] };
    const attrs: Record<string, unknown> = { kernels, strides, paddings };
    if (a.input_image_size) {
      ins.Y = [a.input_image_size];
      attrs.out_stride = intList(a.out_stride, 2);
    }
    return run1('im2sequence', ins, attrs);
  },
);

// ---- lod_rank_table / reorder_lod_tensor_by_rank ---------------------------------------------------------

/**
 * The rank table of x's LoD level `level`: its sequences sorted by length, longest first
 * (operator `lod_rank_table`; layers.control_flow.lod_rank_table in Paddle, used by DynamicRNN).
 * @param x a LoD tensor
 * @param level the level to rank
 * @example const table = fluid.layers.lod_rank_table(x)
 */
export const lod_rank_table = defineApi(
  `${L}lod_rank_table`,
  [p('x', T.tensor), p('level', T.int, 0)],
  (a): Tensor => {
    const out = run1('lod_rank_table', { X: [a.x] }, { level: a.level });
    if (out instanceof Variable) out.type = 'LOD_RANK_TABLE';
    return stopGrad(out);
  },
);

/**
 * Reorders the sequences (top LoD level; rows when x has no LoD) of x in the order of a rank
 * table, rebuilding the LoD (operator `reorder_lod_tensor_by_rank`).
 * @param x the tensor to reorder
 * @param rank_table from lod_rank_table
 * @example fluid.layers.reorder_lod_tensor_by_rank(x, fluid.layers.lod_rank_table(x))  // longest sequence first
 */
export const reorder_lod_tensor_by_rank = defineApi(
  `${L}reorder_lod_tensor_by_rank`,
  [p('x', T.tensor), p('rank_table', T.tensor)],
  (a): Tensor => {
    const api = `${L}reorder_lod_tensor_by_rank`;
    const rt = a.rank_table;
    const ok = state.staticMode && rt instanceof Variable ? rt.type === 'LOD_RANK_TABLE' : rt instanceof LoDRankTable;
    if (!ok) fail(api, 'The type of rank_table should be LOD_RANK_TABLE (the output of lod_rank_table).', InvalidArgumentError);
    return run1('reorder_lod_tensor_by_rank', { X: [a.x], RankTable: [rt] }, {});
  },
);
