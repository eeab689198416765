// Gradient clipping (python/paddle/fluid/clip.py at 2.0): ClipGradByValue, ClipGradByNorm and
// ClipGradByGlobalNorm, given to an optimizer as `grad_clip`. Each takes [param, grad] pairs
// and returns new pairs; parameters whose `need_clip` is false (ParamAttr(need_clip=False))
// keep their gradient. In static mode the same calls append Paddle's operators (clip,
// clip_by_norm, square/reduce_sum/sum/sqrt/elementwise_max/div/mul) to the program.
import { makeParser, p } from '../core/args.js';
import { withoutGrad } from '../core/autograd.js';
import { T } from '../core/convert.js';
import { PROTO_DTYPE } from '../core/dtype.js';
import { fail } from '../core/errors.js';
import { isSelectedRows, mergeRows, valueOf, withValue } from '../core/selected_rows.js';
import { state } from '../core/state.js';
import type { Tensor } from '../core/tensor.js';
import * as c from '../ops/calls.js';
import { OpRole } from '../static/framework.js';
import { name_scope, withRole } from '../static/mode.js';

/** A parameter and its gradient (null: no gradient). */
export type ParamGrad = [Tensor, Tensor | null];

/**
 * Applies a dense computation to a gradient. A SelectedRows gradient (sparse Embedding) is
 * computed on its value and stays sparse; with `merge` its duplicate rows are summed first, as
 * Paddle's clip and clip_by_norm kernels (and merge_selected_rows for the global norm) do.
 */
function onGrad(g: Tensor, merge: boolean, f: (v: Tensor) => Tensor): Tensor {
  if (!isSelectedRows(g)) return f(g);
  const sr = merge ? mergeRows(g) : g;
  return withValue(sr, f(valueOf(sr)));
}

/** Python's `%f`. */
const fmt6 = (v: number): string => v.toFixed(6);
const needClip = (param: Tensor): boolean => (param as { need_clip?: boolean }).need_clip !== false;
const fillConstant = (value: number, like: Tensor): Tensor =>
  c.run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE[like.dtype], value });

/**
 * Base class of gradient clipping strategies. `__call__(params_grads)` clips a list of
 * `[param, grad]` pairs (the optimizer calls it); subclasses implement `_dygraph_clip` and
 * `_static_clip`.
 */
export class ClipGradBase {
  /** Clips `[param, grad]` pairs, returning new pairs. */
  __call__(params_grads: ParamGrad[]): ParamGrad[] {
    if (!Array.isArray(params_grads)) fail(`${this.constructor.name}.__call__`, "argument 'params_grads' expected a list of [param, grad] pairs");
    if (state.staticMode) return name_scope('gradient_clip', () => withRole(OpRole.Optimize, () => this._static_clip(params_grads)));
    return withoutGrad(() => this._dygraph_clip(params_grads));
  }
  /** @internal */
  _dygraph_clip(_params_grads: ParamGrad[]): ParamGrad[] {
    return fail(`${this.constructor.name}`, 'gradient clipping strategies must implement _dygraph_clip');
  }
  /** @internal */
  _static_clip(params_grads: ParamGrad[]): ParamGrad[] {
    return this._dygraph_clip(params_grads);
  }
  toString(): string {
    return 'ClipGradBase';
  }
}

const parseByValue = makeParser('paddle.nn.ClipGradByValue', [p('max', T.float), p('min', T.nullable(T.float), null)]);

/**
 * Clips every gradient element into [min, max] (min defaults to -max). Gradients of
 * parameters created with `need_clip: false` are left alone.
 * @param max the upper bound (must be > 0 when min is not given)
 * @param min the lower bound (default -max)
 * @example
 * const clip = new paddle.nn.ClipGradByValue({ min: -1, max: 1 })
 * const sgd = new paddle.optimizer.SGD({ learning_rate: 0.1, parameters: linear.parameters(), grad_clip: clip })
 */
export class ClipGradByValue extends ClipGradBase {
  max: number;
  min: number;
  constructor(...args: [max?: number | { max?: number; min?: number | null }, min?: number | null | { min?: number | null }]) {
    super();
    const a = parseByValue(args) as { max: number; min: number | null };
    let min = a.min;
    if (min === null) {
      if (!(a.max > 0)) fail('paddle.nn.ClipGradByValue', `when min is not given, max must be greater than 0, but got max=${a.max}`);
      min = -a.max;
    }
    this.max = a.max;
    this.min = min;
  }
  override _dygraph_clip(params_grads: ParamGrad[]): ParamGrad[] {
    const out: ParamGrad[] = [];
    for (const [param, g] of params_grads) {
      if (g === null) continue;
      if (!needClip(param)) out.push([param, g]);
      else out.push([param, onGrad(g, true, (v) => c.run1('clip', { X: [v] }, { min: this.min, max: this.max }))]);
    }
    return out;
  }
  override toString(): string {
    return `Clip Gradient By Value, min = ${fmt6(this.min)}, max=${fmt6(this.max)}`;
  }
}

const parseByNorm = makeParser('paddle.nn.ClipGradByNorm', [p('clip_norm', T.float)]);

/**
 * Rescales each gradient independently so that its L2 norm is at most clip_norm: g *
 * clip_norm / max(||g||, clip_norm) (operator clip_by_norm).
 * @param clip_norm the largest allowed norm (> 0)
 * @example
 * const clip = new paddle.nn.ClipGradByNorm({ clip_norm: 1.0 })
 */
export class ClipGradByNorm extends ClipGradBase {
  clip_norm: number;
  constructor(...args: [clip_norm?: number | { clip_norm?: number }]) {
    super();
    this.clip_norm = (parseByNorm(args) as { clip_norm: number }).clip_norm;
    if (!(this.clip_norm > 0)) fail('paddle.nn.ClipGradByNorm', `clip_norm should be greater than 0, but got ${this.clip_norm}`);
  }
  override _dygraph_clip(params_grads: ParamGrad[]): ParamGrad[] {
    const out: ParamGrad[] = [];
    for (const [param, g] of params_grads) {
      if (g === null) continue;
      if (!needClip(param)) out.push([param, g]);
      else out.push([param, onGrad(g, true, (v) => c.run1('clip_by_norm', { X: [v] }, { max_norm: this.clip_norm }))]);
    }
    return out;
  }
  override toString(): string {
    return `Gradient Clip By Norm, clip_norm=${fmt6(this.clip_norm)}`;
  }
}

const parseByGlobal = makeParser('paddle.nn.ClipGradByGlobalNorm', [p('clip_norm', T.float), p('group_name', T.str, 'default_group')]);

/**
 * Scales all gradients together by clip_norm / max(global_norm, clip_norm), where
 * global_norm = sqrt(sum of every clipped gradient's squared L2 norm). Gradients of
 * `need_clip: false` parameters neither count in the norm nor get scaled.
 * @param clip_norm the largest allowed global norm (> 0)
 * @param group_name the clipping group's name ('default_group')
 * @example
 * const clip = new paddle.nn.ClipGradByGlobalNorm({ clip_norm: 1.0 })
 * const adam = new paddle.optimizer.Adam({ parameters: net.parameters(), grad_clip: clip })
 */
export class ClipGradByGlobalNorm extends ClipGradBase {
  clip_norm: number;
  group_name: string;
  constructor(...args: [clip_norm?: number | { clip_norm?: number; group_name?: string }, group_name?: string | { group_name?: string }]) {
    super();
    const a = parseByGlobal(args) as { clip_norm: number; group_name: string };
    if (!(a.clip_norm > 0)) fail('paddle.nn.ClipGradByGlobalNorm', `clip_norm should be greater than 0, but got ${a.clip_norm}`);
    this.clip_norm = a.clip_norm;
    this.group_name = a.group_name;
  }
  override _dygraph_clip(params_grads: ParamGrad[]): ParamGrad[] {
    const squares: Tensor[] = [];
    for (const [param, g] of params_grads) {
      if (g === null || !needClip(param)) continue;
      const dense = isSelectedRows(g) ? valueOf(mergeRows(g)) : g;
      squares.push(c.sumAll(c.square(dense)));
    }
    if (squares.length === 0) return params_grads;
    const total = squares.length === 1 ? squares[0] : c.sumAll(c.run1('concat', { X: squares }, { axis: 0 }));
    const norm = c.sqrt(total);
    const maxNorm = fillConstant(this.clip_norm, norm);
    const scale = c.div(maxNorm, c.run1('elementwise_max', { X: [norm], Y: [maxNorm] }, { axis: -1 }));
    return this.scaled(params_grads, scale);
  }
  override _static_clip(params_grads: ParamGrad[]): ParamGrad[] {
    const squares: Tensor[] = [];
    for (const [param, g] of params_grads) {
      if (g === null || !needClip(param)) continue;
      squares.push(c.sumAll(c.square(g)));
    }
    if (squares.length === 0) return params_grads;
    const norm = c.sqrt(c.run1('sum', { X: squares }));
    const maxNorm = fillConstant(this.clip_norm, norm);
    const scale = c.div(maxNorm, c.run1('elementwise_max', { X: [maxNorm], Y: [norm] }, { axis: -1 }));
    return this.scaled(params_grads, scale);
  }
  private scaled(params_grads: ParamGrad[], scale: Tensor): ParamGrad[] {
    const out: ParamGrad[] = [];
    for (const [param, g] of params_grads) {
      if (g === null) continue;
      if (!needClip(param)) out.push([param, g]);
      else out.push([param, onGrad(g, false, (v) => c.mul(v, v.dtype === scale.dtype ? scale : c.cast(scale, v.dtype)))]);
    }
    return out;
  }
  override toString(): string {
    return `Gradient Clip By GlobalNorm, global_norm=${fmt6(this.clip_norm)}`;
  }
}

/** fluid's names for the same classes. */
export { ClipGradBase as GradientClipBase, ClipGradByValue as GradientClipByValue, ClipGradByNorm as GradientClipByNorm, ClipGradByGlobalNorm as GradientClipByGlobalNorm };
