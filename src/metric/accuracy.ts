// paddle.metric.Accuracy and paddle.metric.accuracy (python/paddle/metric/metrics.py at 2.0).
import { p } from '../core/args.js';
import { T } from '../core/convert.js';
import { describe, fail } from '../core/errors.js';
import { defineApi } from '../core/args.js';
import { dispatch } from '../core/dispatch.js';
import { convertStorage } from '../core/dtype.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { parser } from '../io/dataset.js';
import { default_main_program } from '../static/mode.js';
import { argmax, argsort } from '../tensor/search.js';
import { slice } from '../tensor/indexing.js';
import { cast, reshape } from '../tensor/manipulation.js';
import { equal } from '../tensor/logic.js';
import { Metric, valuesOf } from './metric.js';

const API = 'paddle.metric.Accuracy';
const parseAccuracy = parser(API, [p('topk', T.any, [1]), p('name', T.nullable(T.str), null)] as const);

/**
 * paddle.metric.Accuracy(topk=(1,), name=None): top-k classification accuracy.
 * `compute(pred, label)` gives the correctness mask [batch, maxk] (float32: 1 where the
 * j-th best prediction is the label); `update(correct)` accumulates it and returns this
 * batch's accuracy; `accumulate()` returns the accuracy so far — a number, or a list with
 * one value per k when `topk` has several. Names are `name` (default 'acc'), or
 * `acc_top1`, `acc_top5`... when the largest k is not 1.
 * @example
 * const m = new paddle.metric.Accuracy();
 * const x = paddle.to_tensor([[0.1, 0.2, 0.3, 0.4], [0.1, 0.4, 0.3, 0.2], [0.1, 0.2, 0.4, 0.3], [0.1, 0.2, 0.3, 0.4]]);
 * const y = paddle.to_tensor([[0], [1], [2], [3]]);
 * m.update(m.compute(x, y));
 * m.accumulate(); // 0.75
 */
export class Accuracy extends Metric {
  topk: number[];
  maxk: number;
  total!: number[];
  count!: number[];
  _name!: string[];
  constructor(...args: [topk?: number | readonly number[], name?: string | null] | [number | readonly number[], { name?: string | null }] | [{ topk?: number | readonly number[]; name?: string | null }]) {
    super();
    const a = parseAccuracy(args);
    const k = a.topk;
    const list = typeof k === 'number' ? [k] : Array.isArray(k) ? k.slice() : null;
    if (!list || list.length === 0 || !list.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0))
      fail(API, `argument 'topk' expected a positive integer or a tuple of positive integers, but got ${describe(k)}`);
    this.topk = list as number[];
    this.maxk = Math.max(...this.topk);
    this._init_name(a.name);
    this.reset();
  }

  /**
   * The correctness mask of the top `maxk` predictions.
   * @param pred predictions [batch, ..., classes] (float)
   * @param label labels [batch, ..., 1] or [batch] (int64), or one-hot [batch, ..., classes]
   * @returns a float32 Tensor [batch, ..., maxk]
   */
  override compute(pred: Tensor, label: Tensor, ...args: unknown[]): Tensor {
    void args;
    const api = `${API}.compute`;
    if (!(pred instanceof Tensor)) fail(api, `argument 'pred' expected a Tensor, but got ${describe(pred)}`);
    if (!(label instanceof Tensor)) fail(api, `argument 'label' expected a Tensor, but got ${describe(label)}`);
    let top = argsort(pred, { descending: true });
    top = slice(top, [top.dims.length - 1], [0], [this.maxk]);
    let lab = label;
    if (lab.dims.length === 1 || (lab.dims.length === 2 && lab.dims[1] === 1)) lab = reshape(lab, [-1, 1]);
    else if (lab.dims[lab.dims.length - 1] !== 1) lab = argmax(lab, { axis: -1, keepdim: true });
    return cast(equal(top, lab), 'float32');
  }

  /**
   * Accumulates a correctness mask [batch, ..., >= maxk] and returns this batch's accuracy
   * (a list when there are several k).
   */
  override update(correct: Tensor | ArrayLike<number> | unknown[], ...args: unknown[]): number | number[] {
    void args;
    const { data, dims } = valuesOf(correct, `${API}.update`, 'correct');
    const last = dims[dims.length - 1] ?? 1;
    const rows = last === 0 ? 0 : data.length / last;
    const accs: number[] = [];
    this.topk.forEach((k, i) => {
      let hits = 0;
      const kk = Math.min(k, last);
      for (let r = 0; r < rows; r++) for (let j = 0; j < kk; j++) hits += data[r * last + j];
      accs.push(hits / rows);
      this.total[i] += hits;
      this.count[i] += rows;
    });
    return this.topk.length === 1 ? accs[0] : accs;
  }

  override reset(): void {
    this.total = this.topk.map(() => 0);
    this.count = this.topk.map(() => 0);
  }

  override accumulate(): number | number[] {
    const res = this.total.map((t, i) => (this.count[i] > 0 ? t / this.count[i] : 0));
    return this.topk.length === 1 ? res[0] : res;
  }

  /** @internal */
  _init_name(name: string | null): void {
    const n = name || 'acc';
    this._name = this.maxk !== 1 ? this.topk.map((k) => `${n}_top${k}`) : [n];
  }

  override name(): string[] {
    return this._name;
  }
}

/** Writes a one-element result into a user's tensor (dygraph `correct` / `total`). */
function writeInto(target: Tensor, value: Tensor): void {
  const data = target.dtype === value.dtype ? value.data : convertStorage(value.data, value.dtype, target.dtype);
  if (target.data.length === data.length) (target.data as Int32Array).set(data as Int32Array);
  else target.data = data;
  target.dims = [1];
  target.ver.v++;
}

/**
 * paddle.metric.accuracy(input, label, k=1, correct=None, total=None, name=None): the
 * fraction of rows whose label is among the k highest predictions, as a float32 Tensor of
 * shape [1]. Runs top_k_v2 then the accuracy operator; `correct` and `total` Tensors, when
 * given, receive the counts.
 * @param input predictions [samples, classes] (float)
 * @param label labels [samples, 1] (int64 or int32)
 * @example
 * const pred = paddle.to_tensor([[0.2, 0.1, 0.4, 0.1, 0.1], [0.2, 0.3, 0.1, 0.15, 0.25]], { dtype: 'float32' });
 * const label = paddle.to_tensor([[2], [0]], { dtype: 'int64' });
 * paddle.metric.accuracy(pred, label, 1); // [0.5]
 */
export const accuracy = defineApi(
  'paddle.metric.accuracy',
  [p('input', T.tensor), p('label', T.tensor), p('k', T.int, 1), p('correct', T.nullable(T.tensor), null), p('total', T.nullable(T.tensor), null), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    const api = 'paddle.metric.accuracy';
    if (!['float16', 'float32', 'float64'].includes(a.input.dtype)) fail(api, `argument 'input' must be a float16, float32 or float64 Tensor, but got ${a.input.dtype}`);
    if (a.k < 1) fail(api, `argument 'k' must be a positive integer, but got ${a.k}`);
    const top = dispatch('top_k_v2', { X: [a.input] }, { k: a.k, axis: -1, largest: true, sorted: true });
    const ins = { Out: top.Out, Indices: top.Indices, Label: [a.label] };
    if (state.staticMode && (a.correct || a.total)) {
      // write the counts into the given variables, as Paddle's append_op does
      const block = default_main_program().current_block();
      const acc = block.create_var({ dtype: 'float32' });
      const correct = a.correct ?? block.create_var({ dtype: 'int32' });
      const total = a.total ?? block.create_var({ dtype: 'int32' });
      block.append_op({ type: 'accuracy', inputs: ins as never, outputs: { Accuracy: [acc], Correct: [correct], Total: [total] } as never });
      return acc;
    }
    const outs = dispatch('accuracy', ins);
    if (!state.staticMode) {
      if (a.correct) writeInto(a.correct, outs.Correct[0]);
      if (a.total) writeInto(a.total, outs.Total[0]);
    }
    return outs.Accuracy[0];
  },
);
