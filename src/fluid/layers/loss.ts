// paddle.fluid.layers losses (Paddle 2.0's python/paddle/fluid/layers/loss.py, plus
// ctc_greedy_decoder from nn.py): fluid signatures, defaults and operator types.
// cross_entropy takes probabilities (cross_entropy2 for hard labels, cross_entropy for soft).
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { fail } from '../../core/errors.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { ConstantInitializer } from '../../nn/initializer/constant.js';
import { Variable } from '../../static/framework.js';
import { generate } from '../../static/unique_name.js';
import { appendState, default_main_program, default_startup_program } from '../../static/mode.js';
import { checkDtype, L, layerName, nameP, param } from './misc.js';

const FLOATS: readonly DType[] = ['float16', 'float32', 'float64'];
const F32_64: readonly DType[] = ['float32', 'float64'];
const outs = (type: string, ins: Record<string, Tensor[]>, attrs: Record<string, unknown>, slots: string[]): Tensor[] => {
  const r = dispatch(type, ins, attrs);
  return slots.map((s) => r[s][0]);
};

/**
 * Cross entropy of probabilities `input` [..., D] against `label`: hard int64 labels [..., 1]
 * (operator `cross_entropy2`, -log p[label], 0 at ignore_index) or, with soft_label, label
 * distributions [..., D] (operator `cross_entropy`, -sum label log p). Result [..., 1].
 * @example fluid.layers.cross_entropy(fluid.layers.softmax(logits), label)
 */
export const cross_entropy = defineApi(
  `${L}cross_entropy`,
  [p('input', T.tensor), p('label', T.tensor), p('soft_label', T.bool, false), p('ignore_index', T.int, -100)],
  (a): Tensor => {
    const api = `${L}cross_entropy`;
    checkDtype(api, 'input', a.input, FLOATS);
    if (!a.soft_label) return outs('cross_entropy2', { X: [a.input], Label: [a.label] }, { ignore_index: a.ignore_index }, ['Y'])[0];
    return run1('cross_entropy', { X: [a.input], Label: [a.label] }, { soft_label: true, ignore_index: a.ignore_index }, 'Y');
  },
);

/**
 * (input - label)^2 averaged over all elements (elementwise_sub, square, reduce_mean).
 * @example fluid.layers.mse_loss(pred, label)
 */
export const mse_loss = defineApi(`${L}mse_loss`, [p('input', T.tensor), p('label', T.tensor)], (a): Tensor => {
  const api = `${L}mse_loss`;
  checkDtype(api, 'input', a.input, F32_64);
  checkDtype(api, 'label', a.label, F32_64);
  const sq = run1('square', { X: [run1('elementwise_sub', { X: [a.input], Y: [a.label] }, { axis: -1 })] }, {});
  return run1('reduce_mean', { X: [sq] }, { dim: [0], keep_dim: false, reduce_all: true });
});

/**
 * Bayesian personalized ranking loss per sample: -mean_j log sigmoid(x[label] - x[j]) over the
 * other classes (operator `bpr_loss`). input [..., D], label int64 [..., 1].
 * @example fluid.layers.bpr_loss(scores, label)
 */
export const bpr_loss = defineApi(`${L}bpr_loss`, [p('input', T.tensor), p('label', T.tensor), nameP], (a): Tensor => {
  checkDtype(`${L}bpr_loss`, 'input', a.input, FLOATS);
  return run1('bpr_loss', { X: [a.input], Label: [a.label] }, {}, 'Y');
});

/**
 * Center loss: ||x - center[label]||^2 / 2 per sample [N, 1] (operator `center_loss`). Creates
 * the centers [num_classes, D] (not trained by the optimizer); with update_center they move
 * toward their samples by alpha each call.
 * @param alpha the centers' update rate (a float, or a [1] Tensor)
 * @param param_attr the centers' ParamAttr (initializer)
 * @example fluid.layers.center_loss(features, label, 10, 0.1, new fluid.ParamAttr({ initializer: new fluid.initializer.Constant(0) }))
 */
export const center_loss = defineApi(
  `${L}center_loss`,
  [p('input', T.tensor), p('label', T.tensor), p('num_classes', T.int), p('alpha', T.union(T.float, T.tensor)), p('param_attr', T.any), p('update_center', T.bool, true)],
  (a): Tensor => {
    const api = `${L}center_loss`;
    checkDtype(api, 'input', a.input, F32_64);
    checkDtype(api, 'label', a.label, ['int32', 'int64']);
    const layer = layerName('center_loss', null);
    const centers = param(layer, a.param_attr, [a.num_classes, a.input.dims[1]], a.input.dtype, false, api)!;
    centers.stop_gradient = true;
    let rate: Tensor;
    if (a.alpha instanceof Tensor) {
      checkDtype(api, 'alpha', a.alpha, F32_64);
      rate = a.alpha;
    } else if (state.staticMode) {
      const name = 'centerloss_alpha';
      const main = default_main_program().global_block();
      rate = main.has_var(name) ? main.var(name) : main.create_var({ name, shape: [1], dtype: 'float32', persistable: true, stop_gradient: true });
      const startup = default_startup_program().global_block();
      if (!startup.has_var(name)) {
        const sv = startup.create_var({ name, shape: [1], dtype: 'float32', persistable: true, stop_gradient: true });
        new ConstantInitializer(a.alpha)(sv as never, startup as never);
      }
    } else rate = new Tensor(Float32Array.of(a.alpha), [1], 'float32');
    if (rate.dtype !== a.input.dtype) rate = run1('cast', { X: [rate] }, { in_dtype: PROTO_DTYPE[rate.dtype], out_dtype: PROTO_DTYPE[a.input.dtype] });
    const attrs = { cluster_num: a.num_classes, need_update: a.update_center };
    const ins = { X: [a.input], Label: [a.label], Centers: [centers as Tensor], CenterUpdateRate: [rate] };
    if (state.staticMode && centers instanceof Variable) {
      const block = default_main_program().current_block();
      const base = `${generate('center_loss')}.tmp`;
      const diff = block.create_var({ name: `${base}_0`, dtype: a.input.dtype, shape: a.input.dims });
      const loss = block.create_var({ name: `${base}_1`, dtype: a.input.dtype, shape: [a.input.dims[0], 1] });
      block.append_op({
        type: 'center_loss', inputs: ins as unknown as Record<string, Variable[]>, attrs: { ...attrs, op_role: appendState.role },
        outputs: { SampleCenterDiff: [diff], Loss: [loss], CentersOut: [centers as Variable] },
      });
      return loss;
    }
    const [loss, centersOut] = outs('center_loss', ins, attrs, ['Loss', 'CentersOut']);
    if (a.update_center) (centers.data as Float64Array).set(centersOut.data as Float64Array);
    return loss;
  },
);

/**
 * RankNet loss log(1 + e^(left - right)) - label (left - right) (operator `rank_loss`).
 * label, left, right: float32 [batch, 1].
 * @example fluid.layers.rank_loss(label, left, right)
 */
export const rank_loss = defineApi(`${L}rank_loss`, [p('label', T.tensor), p('left', T.tensor), p('right', T.tensor), nameP], (a): Tensor => {
  const api = `${L}rank_loss`;
  checkDtype(api, 'label', a.label, ['float32']);
  checkDtype(api, 'left', a.left, ['float32']);
  checkDtype(api, 'right', a.right, ['float32']);
  return run1('rank_loss', { Label: [a.label], Left: [a.left], Right: [a.right] }, {});
});

/**
 * max(0, -label (left - right) + margin) (operator `margin_rank_loss`).
 * @example fluid.layers.margin_rank_loss(label, left, right, 0.1)
 */
export const margin_rank_loss = defineApi(
  `${L}margin_rank_loss`,
  [p('label', T.tensor), p('left', T.tensor), p('right', T.tensor), p('margin', T.float, 0.1), nameP],
  (a): Tensor => {
    const api = `${L}margin_rank_loss`;
    checkDtype(api, 'label', a.label, ['float32']);
    checkDtype(api, 'left', a.left, ['float32']);
    checkDtype(api, 'right', a.right, ['float32']);
    return outs('margin_rank_loss', { Label: [a.label], X1: [a.left], X2: [a.right] }, { margin: a.margin }, ['Out'])[0];
  },
);

/**
 * Elementwise sigmoid cross entropy on logits (operator `sigmoid_cross_entropy_with_logits`);
 * labels equal to ignore_index give 0; normalize divides by the count of the others.
 * @example fluid.layers.sigmoid_cross_entropy_with_logits(logits, labels)
 */
export const sigmoid_cross_entropy_with_logits = defineApi(
  `${L}sigmoid_cross_entropy_with_logits`,
  [p('x', T.tensor), p('label', T.tensor), p('ignore_index', T.int, -100), nameP, p('normalize', T.bool, false)],
  (a): Tensor => {
    checkDtype(`${L}sigmoid_cross_entropy_with_logits`, 'input', a.x, FLOATS);
    return run1('sigmoid_cross_entropy_with_logits', { X: [a.x], Label: [a.label] }, { ignore_index: a.ignore_index, normalize: a.normalize });
  },
);

/**
 * The teacher-student sigmoid loss of [batch, 1] logits; labels encode click and the teacher's
 * value (-2, -1, or z' / 1 + z') (operator `teacher_student_sigmoid_loss`).
 * @example fluid.layers.teacher_student_sigmoid_loss(x, label)
 */
export const teacher_student_sigmoid_loss = defineApi(
  `${L}teacher_student_sigmoid_loss`,
  [p('input', T.tensor), p('label', T.tensor), p('soft_max_up_bound', T.float, 15.0), p('soft_max_lower_bound', T.float, -15.0)],
  (a): Tensor => {
    const api = `${L}teacher_student_sigmoid_loss`;
    checkDtype(api, 'input', a.input, ['float32', 'float64', 'int32', 'int64']);
    checkDtype(api, 'label', a.label, ['float32', 'float64', 'int32', 'int64']);
    return run1('teacher_student_sigmoid_loss', { X: [a.input], Label: [a.label] }, { soft_max_lower_bound: a.soft_max_lower_bound, soft_max_up_bound: a.soft_max_up_bound }, 'Y');
  },
);

/**
 * Huber loss with threshold delta: 0.5 r^2 if |r| <= delta else delta (|r| - 0.5 delta), r =
 * label - input (operator `huber_loss`).
 * @example fluid.layers.huber_loss(pred, label, 1.0)
 */
export const huber_loss = defineApi(`${L}huber_loss`, [p('input', T.tensor), p('label', T.tensor), p('delta', T.float)], (a): Tensor => {
  const api = `${L}huber_loss`;
  checkDtype(api, 'input', a.input, F32_64);
  checkDtype(api, 'label', a.label, F32_64);
  return outs('huber_loss', { X: [a.input], Y: [a.label] }, { delta: a.delta }, ['Out'])[0];
});

/**
 * KL divergence target * (log target - x) with x log-probabilities (operator `kldiv_loss`);
 * reduction 'none', 'batchmean', 'mean' or 'sum'.
 * @example fluid.layers.kldiv_loss(log_probs, target, 'batchmean')
 */
export const kldiv_loss = defineApi(
  `${L}kldiv_loss`,
  [p('x', T.tensor), p('target', T.tensor), p('reduction', T.oneOf('none', 'batchmean', 'mean', 'sum'), 'mean' as const), nameP],
  (a): Tensor => {
    const api = `${L}kldiv_loss`;
    checkDtype(api, 'x', a.x, F32_64);
    checkDtype(api, 'target', a.target, F32_64);
    return run1('kldiv_loss', { X: [a.x], Target: [a.target] }, { reduction: a.reduction }, 'Loss');
  },
);

/**
 * The CTC loss (operator `warpctc`) of unnormalized logits: padded [max_T, batch, C] with
 * input_length / label_length (int64), or LoD inputs in static mode.
 * @example fluid.layers.warpctc(logits, label, 0, false, logits_length, label_length)
 */
export const warpctc = defineApi(
  `${L}warpctc`,
  [p('input', T.tensor), p('label', T.tensor), p('blank', T.int, 0), p('norm_by_times', T.bool, false), p('input_length', T.nullable(T.tensor), null), p('label_length', T.nullable(T.tensor), null)],
  (a): Tensor => {
    const api = `${L}warpctc`;
    if (!state.staticMode && (a.input_length === null || a.label_length === null) && !a.input.lod.length)
      fail(api, 'input_length and label_length must not be None in dygraph mode!');
    checkDtype(api, 'input', a.input, F32_64);
    checkDtype(api, 'label', a.label, ['int32']);
    const ins: Record<string, Tensor[]> = { Logits: [a.input], Label: [a.label] };
    if (a.input_length && a.label_length) {
      checkDtype(api, 'LogitsLength', a.input_length, ['int64']);
      checkDtype(api, 'LabelLength', a.label_length, ['int64']);
      ins.LogitsLength = [a.input_length];
      ins.LabelLength = [a.label_length];
    }
    return outs('warpctc', ins, { blank: a.blank, norm_by_times: a.norm_by_times }, ['Loss'])[0];
  },
);

/**
 * Hierarchical sigmoid loss (operator `hierarchical_sigmoid`): a default complete binary tree of
 * num_classes leaves, or a custom tree (path_table / path_code). Creates the weights
 * [num_classes - 1, D] (custom: [num_classes, D]) and bias. Result [N, 1].
 * @example fluid.layers.hsigmoid(x, label, 6)
 */
export const hsigmoid = defineApi(
  `${L}hsigmoid`,
  [
    p('input', T.tensor), p('label', T.tensor), p('num_classes', T.nullable(T.int)), p('param_attr', T.any, null), p('bias_attr', T.any, null), nameP,
    p('path_table', T.nullable(T.tensor), null), p('path_code', T.nullable(T.tensor), null), p('is_custom', T.bool, false), p('is_sparse', T.bool, false),
  ],
  (a): Tensor => {
    const api = `${L}hsigmoid`;
    checkDtype(api, 'input', a.input, F32_64);
    checkDtype(api, 'label', a.label, ['int64']);
    const nc = a.num_classes;
    if ((nc === null || nc < 2) && !a.is_custom) fail(api, 'num_classes must not be less than 2 with default tree');
    let sparse = a.is_sparse;
    if (!a.is_custom && sparse) sparse = false;
    if (!a.is_custom && (a.path_table !== null || a.path_code !== null)) fail(api, 'only num_classes should be passed without custom tree');
    if (a.is_custom && a.path_code === null) fail(api, 'path_code should not be None with custom tree');
    if (a.is_custom && a.path_table === null) fail(api, 'path_table should not be None with custom tree');
    if (a.is_custom && nc === null) fail(api, 'num_classes should not be None with custom tree');
    const layer = layerName('hierarchical_sigmoid', a.name);
    const rows = a.is_custom ? nc! : nc! - 1;
    const D = a.input.dims[1];
    const w = param(layer, a.param_attr, [rows, D], a.input.dtype, false, api)!;
    const ins: Record<string, Tensor[]> = { X: [a.input], W: [w], Label: [a.label] };
    if (a.path_table) ins.PathTable = [a.path_table];
    if (a.path_code) ins.PathCode = [a.path_code];
    if (a.bias_attr !== false) {
      const b = param(layer, a.bias_attr, [rows, 1], a.input.dtype, true, api);
      if (b) ins.Bias = [b];
    }
    return outs('hierarchical_sigmoid', ins, { num_classes: nc, is_sparse: sparse, remote_prefetch: sparse }, ['Out'])[0];
  },
);

/**
 * Softmax cross entropy over the true class and num_samples classes drawn (uniquely, shared by
 * the batch) from a log-uniform distribution (sample_logits, one_hot, softmax_with_cross_entropy
 * on soft labels; divided by num_true).
 * @example fluid.layers.sampled_softmax_with_cross_entropy(logits, label, 25)
 */
export const sampled_softmax_with_cross_entropy = defineApi(
  `${L}sampled_softmax_with_cross_entropy`,
  [
    p('logits', T.tensor), p('label', T.tensor), p('num_samples', T.int), p('num_true', T.int, 1), p('remove_accidental_hits', T.bool, true),
    p('use_customized_samples', T.bool, false), p('customized_samples', T.nullable(T.tensor), null), p('customized_probabilities', T.nullable(T.tensor), null), p('seed', T.int, 0),
  ],
  (a): Tensor => {
    const ins: Record<string, Tensor[]> = { Logits: [a.logits], Labels: [a.label] };
    if (a.customized_samples) ins.CustomizedSamples = [a.customized_samples];
    if (a.customized_probabilities) ins.CustomizedProbabilities = [a.customized_probabilities];
    const [sampledLogits, sampledLabel] = outs(
      'sample_logits', ins,
      { use_customized_samples: a.use_customized_samples, uniq: true, remove_accidental_hits: a.remove_accidental_hits, num_samples: a.num_samples, seed: a.seed },
      ['SampledLogits', 'SampledLabels'],
    );
    const soft = run1('one_hot', { X: [sampledLabel] }, { depth: a.num_samples + 1, dtype: PROTO_DTYPE[sampledLogits.dtype] });
    const loss = outs('softmax_with_cross_entropy', { Logits: [sampledLogits], Label: [soft] }, { soft_label: true, ignore_index: 0, numeric_stable_mode: false }, ['Loss'])[0];
    return run1('scale', { X: [loss] }, { scale: 1 / a.num_true, bias: 0, bias_after_scale: true });
  },
);

/**
 * Levenshtein distances between hypothesis and reference id sequences: [batch, 1] float32
 * (normalized by the reference length by default) and the sequence count (operator
 * `edit_distance`; `sequence_erase` first removes ignored_tokens from LoD inputs). Inputs are
 * LoD [total, 1] tensors, or padded [batch, max_len] with input_length / label_length.
 * @example const [dist, n] = fluid.layers.edit_distance(hyps, refs, true, null, hyp_len, ref_len)
 */
export const edit_distance = defineApi(
  `${L}edit_distance`,
  [p('input', T.tensor), p('label', T.tensor), p('normalized', T.bool, true), p('ignored_tokens', T.nullable(T.ints), null), p('input_length', T.nullable(T.tensor), null), p('label_length', T.nullable(T.tensor), null)],
  (a): [Tensor, Tensor] => {
    const api = `${L}edit_distance`;
    checkDtype(api, 'input', a.input, ['int64']);
    checkDtype(api, 'label', a.label, ['int64']);
    let input = a.input;
    let label = a.label;
    if (a.ignored_tokens && a.ignored_tokens.length) {
      input = run1('sequence_erase', { X: [input] }, { tokens: a.ignored_tokens });
      label = run1('sequence_erase', { X: [label] }, { tokens: a.ignored_tokens });
    }
    const ins: Record<string, Tensor[]> = { Hyps: [input], Refs: [label] };
    if (a.input_length && a.label_length) {
      ins.HypsLength = [a.input_length];
      ins.RefsLength = [a.label_length];
    }
    const [o, n] = outs('edit_distance', ins, { normalized: a.normalized }, ['Out', 'SequenceNum']);
    return [o, n];
  },
);

/**
 * Greedy CTC decoding: the argmax class per step (top_k with k 1), then merged repeats and
 * blanks removed (operator `ctc_align`). With input_length ([batch, 1] int64) the input is
 * padded [batch, T, C] and [output (padded with padding_value), output_length] is returned;
 * otherwise the input is a LoD [total, C] tensor and the output a LoD [n, 1] tensor.
 * @example const [out, len] = fluid.layers.ctc_greedy_decoder(probs, 0, probs_len)
 */
export const ctc_greedy_decoder = defineApi(
  `${L}ctc_greedy_decoder`,
  [p('input', T.tensor), p('blank', T.int), p('input_length', T.nullable(T.tensor), null), p('padding_value', T.int, 0), nameP],
  (a): Tensor | [Tensor, Tensor] => {
    checkDtype(`${L}ctc_greedy_decoder`, 'input', a.input, F32_64);
    const [, idx] = outs('top_k', { X: [a.input] }, { k: 1 }, ['Out', 'Indices']);
    idx.stop_gradient = true;
    if (a.input_length === null) {
      if (!state.staticMode) idx.lod = a.input.lod;
      return outs('ctc_align', { Input: [idx] }, { merge_repeated: true, blank: a.blank }, ['Output'])[0];
    }
    const sq = run1('squeeze2', { X: [idx] }, { axes: [2] });
    const [o, l] = outs('ctc_align', { Input: [sq], InputLength: [a.input_length] }, { merge_repeated: true, blank: a.blank, padding_value: a.padding_value }, ['Output', 'OutputLength']);
    return [o, l];
  },
);
