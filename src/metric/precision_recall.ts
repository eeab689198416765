// paddle.metric.Precision and paddle.metric.Recall (python/paddle/metric/metrics.py at 2.0):
// binary classification from sigmoid outputs. As in Paddle, Precision rounds a prediction
// with floor(p + 0.5) (so 0.5 counts as positive) while Recall uses NumPy's rint (round
// half to even: 0.5 counts as negative).
import { p } from '../core/args.js';
import { T } from '../core/convert.js';
import { fail } from '../core/errors.js';
import { parser } from '../io/dataset.js';
import { Metric, Values, valuesOf } from './metric.js';

/** One prediction and one label per sample, as numbers. */
function pairs(preds: unknown, labels: unknown, api: string): { pred: Values; label: Values; n: number } {
  const pred = valuesOf(preds, api, 'preds');
  const label = valuesOf(labels, api, 'labels');
  const n = label.dims[0] ?? label.data.length;
  if (label.data.length !== n) fail(api, `labels must hold one value per sample (shape [N] or [N, 1]), but has shape [${label.dims}]`);
  if (pred.data.length !== n)
    fail(api, `preds must hold one value per sample, like labels (${n} samples), but has shape [${pred.dims}]`);
  return { pred, label, n };
}

/** NumPy's rint: round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * paddle.metric.Precision(name='precision'): tp / (tp + fp) for binary predictions
 * (probabilities, positive when >= 0.5) against 0/1 labels.
 * @example
 * const m = new paddle.metric.Precision();
 * m.update(paddle.to_tensor([0.1, 0.5, 0.6, 0.7]), paddle.to_tensor([0, 1, 1, 1]));
 * m.accumulate(); // 1
 */
export class Precision extends Metric {
  tp = 0;
  fp = 0;
  _name: string;
  constructor(...args: [name?: string] | [{ name?: string }]) {
    super();
    this._name = parser('paddle.metric.Precision', [p('name', T.str, 'precision')] as const)(args).name;
  }
  /** Counts one batch: preds [N] or [N, 1] (float), labels of the same shape (int). */
  override update(preds: unknown, labels: unknown): void {
    const { pred, label, n } = pairs(preds, labels, 'paddle.metric.Precision.update');
    for (let i = 0; i < n; i++) {
      const pr = Math.floor(pred.data[i] + 0.5);
      if (pr === 1) {
        if (pr === label.data[i]) this.tp++;
        else this.fp++;
      }
    }
  }
  override reset(): void {
    this.tp = 0;
    this.fp = 0;
  }
  /** The precision so far (0 when nothing was predicted positive). */
  override accumulate(): number {
    const ap = this.tp + this.fp;
    return ap !== 0 ? this.tp / ap : 0;
  }
  override name(): string {
    return this._name;
  }
}

/**
 * paddle.metric.Recall(name='recall'): tp / (tp + fn) for binary predictions against 0/1
 * labels.
 * @example
 * const m = new paddle.metric.Recall();
 * m.update(paddle.to_tensor([0.1, 0.5, 0.6, 0.7]), paddle.to_tensor([1, 0, 1, 1]));
 * m.accumulate(); // 0.6666666666666666
 */
export class Recall extends Metric {
  tp = 0;
  fn = 0;
  _name: string;
  constructor(...args: [name?: string] | [{ name?: string }]) {
    super();
    this._name = parser('paddle.metric.Recall', [p('name', T.str, 'recall')] as const)(args).name;
  }
  /** Counts one batch: preds [N] or [N, 1] (float), labels of the same shape (int). */
  override update(preds: unknown, labels: unknown): void {
    const { pred, label, n } = pairs(preds, labels, 'paddle.metric.Recall.update');
    for (let i = 0; i < n; i++) {
      if (label.data[i] === 1) {
        if (rint(pred.data[i]) === 1) this.tp++;
        else this.fn++;
      }
    }
  }
  /** The recall so far (0 when there were no positive labels). */
  override accumulate(): number {
    const r = this.tp + this.fn;
    return r !== 0 ? this.tp / r : 0;
  }
  override reset(): void {
    this.tp = 0;
    this.fn = 0;
  }
  override name(): string {
    return this._name;
  }
}
