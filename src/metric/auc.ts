// paddle.metric.Auc (python/paddle/metric/metrics.py at 2.0): the area under the ROC curve,
// from predictions bucketed into num_thresholds + 1 bins.
import { p } from '../core/args.js';
import { T } from '../core/convert.js';
import { fail } from '../core/errors.js';
import { parser } from '../io/dataset.js';
import { Metric, valuesOf } from './metric.js';

/**
 * paddle.metric.Auc(curve='ROC', num_thresholds=4095, name='auc'): area under the ROC curve
 * for binary classification. `update(preds, labels)` takes preds [N, 2] (column 1 is the
 * probability of the positive class) and labels [N, 1] or [N] (0/1); each prediction goes
 * into bin floor(p * num_thresholds). `accumulate()` sums trapezoids from the highest bin
 * down, as Paddle does; like Paddle it computes the ROC area whatever `curve` says ('PR' is
 * accepted but not implemented by Paddle either).
 * @example
 * const m = new paddle.metric.Auc();
 * m.update(paddle.to_tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]]), paddle.to_tensor([[0], [1], [1], [0]]));
 * m.accumulate(); // 0.75
 */
export class Auc extends Metric {
  _curve: string;
  _num_thresholds: number;
  _stat_pos!: Float64Array;
  _stat_neg!: Float64Array;
  _name: string;
  constructor(
    ...args:
      | [curve?: 'ROC' | 'PR', num_thresholds?: number, name?: string]
      | [...unknown[], { curve?: 'ROC' | 'PR'; num_thresholds?: number; name?: string }]
  ) {
    super();
    const api = 'paddle.metric.Auc';
    const a = parser(api, [p('curve', T.oneOf('ROC', 'PR'), 'ROC'), p('num_thresholds', T.int, 4095), p('name', T.str, 'auc')] as const)(args);
    if (a.num_thresholds < 1) fail(api, `argument 'num_thresholds' must be a positive integer, but got ${a.num_thresholds}`);
    this._curve = a.curve;
    this._num_thresholds = a.num_thresholds;
    this._name = a.name;
    this.reset();
  }
  /** Adds a batch: preds [N, 2] probabilities, labels [N] or [N, 1]. */
  override update(preds: unknown, labels: unknown): void {
    const api = 'paddle.metric.Auc.update';
    const lab = valuesOf(labels, api, 'labels');
    const pr = valuesOf(preds, api, 'preds');
    const n = lab.dims[0] ?? lab.data.length;
    if (lab.data.length !== n) fail(api, `labels must hold one value per sample (shape [N] or [N, 1]), but has shape [${lab.dims}]`);
    if (pr.dims.length !== 2 || pr.dims[1] < 2 || pr.dims[0] < n)
      fail(api, `preds must have shape [N, 2] (column 1 is the positive class probability) for ${n} labels, but has shape [${pr.dims}]`);
    const cols = pr.dims[1];
    const T_ = this._num_thresholds;
    for (let i = 0; i < n; i++) {
      const value = pr.data[i * cols + 1];
      const bin = Math.trunc(value * T_);
      if (!(bin <= T_) || bin < 0) fail(api, `preds[${i}][1] = ${value} is not a probability in [0, 1]`);
      if (lab.data[i]) this._stat_pos[bin] += 1;
      else this._stat_neg[bin] += 1;
    }
  }
  /** The trapezoid area between (x1, y1) and (x2, y2). */
  static trapezoid_area(x1: number, x2: number, y1: number, y2: number): number {
    return (Math.abs(x1 - x2) * (y1 + y2)) / 2;
  }
  /** The area under the ROC curve so far (0 without both positive and negative samples). */
  override accumulate(): number {
    let totPos = 0;
    let totNeg = 0;
    let auc = 0;
    for (let idx = this._num_thresholds; idx >= 0; idx--) {
      const prevPos = totPos;
      const prevNeg = totNeg;
      totPos += this._stat_pos[idx];
      totNeg += this._stat_neg[idx];
      auc += Auc.trapezoid_area(totNeg, prevNeg, totPos, prevPos);
    }
    return totPos > 0 && totNeg > 0 ? auc / totPos / totNeg : 0;
  }
  override reset(): void {
    this._stat_pos = new Float64Array(this._num_thresholds + 1);
    this._stat_neg = new Float64Array(this._num_thresholds + 1);
  }
  override name(): string {
    return this._name;
  }
}
