// paddle.nn.utils.weight_norm / remove_weight_norm (python/paddle/nn/utils/weight_norm_hook.py
// at 2.0): w = g * v / ||v||. The parameter `<name>` is replaced by `<name>_g` (magnitude) and
// `<name>_v` (direction); a forward pre-hook recomputes `<name>` (then a plain, non-persistable
// Tensor attribute, as Python's setattr of a VarBase makes it) before every forward.
//
// A composite of operators, as in Paddle: `norm` (fluid.layers.l2_normalize and the norm of
// norm_except_dim, epsilon 1e-12 inside the square root), reshape2, transpose2, squeeze2,
// square / reduce_sum / sqrt / scale / elementwise_div for the whole-tensor case, and
// elementwise_mul with axis=dim to apply g.
import { makeParser, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { fail, InvalidArgumentError, NotFoundError, PreconditionNotMetError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import { withoutGrad } from '../../core/autograd.js';
import { Layer } from '../layer.js';
import { setValue } from '../parameter.js';

/** The `norm` operator's Norm output (sqrt(sum x^2 + epsilon) along axis) squeezed on axis. */
function l2Norm(x: Tensor, axis: number, epsilon = 1e-12): Tensor {
  if (x.dims.length === 1) axis = 0;
  const norm = dispatch('norm', { X: [x] }, { axis, epsilon }).Norm[0];
  return run1('squeeze2', { X: [norm] }, { axes: [axis] });
}

/** fluid.layers.l2_normalize: the `norm` operator's Out (x / sqrt(sum x^2 + epsilon)). */
function l2Normalize(x: Tensor, axis: number, epsilon = 1e-12): Tensor {
  if (x.dims.length === 1) axis = 0;
  return dispatch('norm', { X: [x] }, { axis, epsilon }).Out[0];
}

/** Swaps dimension 0 and `dim`. */
function swapPerm(ndims: number, dim: number): number[] {
  const perm = Array.from({ length: ndims }, (_, i) => i);
  perm[0] = dim;
  perm[dim] = 0;
  return perm;
}

/**
 * The L2 norm of `p` over every dimension but `dim` (shape [p.shape[dim]]); dim -1 gives the
 * norm of the whole tensor, shape [1].
 * @example norm_except_dim(conv.weight, 0)  // [cout]
 */
export function norm_except_dim(p: Tensor, dim: number): Tensor {
  const shape = p.dims;
  const ndims = shape.length;
  if (dim === -1) return c.sqrt(c.scale(c.sumAll(c.square(p)), 1, 1e-12));
  if (dim === 0) return l2Norm(c.reshape(p, [shape[0], rest(shape, 0)]), 1);
  if (dim === ndims - 1) return l2Norm(c.reshape(p, [rest(shape, ndims - 1), shape[ndims - 1]]), 0);
  return norm_except_dim(c.transpose(p, swapPerm(ndims, dim)), 0);
}

/** The product of the dims other than `dim`. */
function rest(shape: readonly number[], dim: number): number {
  let n = 1;
  shape.forEach((d, i) => void (i !== dim && (n *= d)));
  return n;
}

/**
 * The weight g * v / ||v||, the norm taken over every dimension but `dim` (-1: the whole tensor).
 * @example const w = _weight_norm(v, g, 0)
 */
export function _weight_norm(v: Tensor, g: Tensor, dim: number): Tensor {
  const shape = v.dims;
  const ndims = shape.length;
  let vn: Tensor;
  if (dim === -1) {
    vn = c.div(v, c.scale(c.sqrt(c.sumAll(c.square(v))), 1, 1e-12));
  } else if (dim === 0) {
    vn = c.reshape(l2Normalize(c.reshape(v, [shape[0], rest(shape, 0)]), 1), shape);
  } else if (dim === ndims - 1) {
    vn = c.reshape(l2Normalize(c.reshape(v, [rest(shape, ndims - 1), shape[ndims - 1]]), 0), shape);
  } else {
    const perm = swapPerm(ndims, dim);
    const t = c.transpose(v, perm);
    const tshape = t.dims;
    vn = c.transpose(c.reshape(l2Normalize(c.reshape(t, [tshape[0], rest(tshape, 0)]), 1), tshape), perm);
  }
  return c.mul(vn, g, dim);
}

/** The forward pre-hook weight_norm registers: recomputes `layer[name]` from `<name>_g` and `<name>_v`. */
export class WeightNorm {
  readonly name: string;
  readonly dim: number;
  constructor(name: string, dim: number | null) {
    this.name = name;
    this.dim = dim ?? -1;
  }

  /** g * v / ||v|| from the layer's current `<name>_g` and `<name>_v`. */
  compute_weight(layer: Layer): Tensor {
    const l = layer as unknown as Record<string, Tensor>;
    return _weight_norm(l[this.name + '_v'], l[this.name + '_g'], this.dim);
  }

  /** Replaces parameter `name` of `layer` by `<name>_g` and `<name>_v` and registers the hook. */
  static apply(layer: Layer, name: string, dim: number | null): WeightNorm {
    const api = 'paddle.nn.utils.weight_norm';
    for (const hook of layer._forward_pre_hooks.values()) {
      const wn = hookOwner.get(hook);
      if (wn && wn.name === name) fail(api, `Cannot register two weight_norm hooks on the same parameter ${name}`, PreconditionNotMetError);
    }
    if (dim === null) dim = -1;
    const w = layer._parameters.get(name);
    if (!w) fail(api, `${layer.constructor.name} has no parameter '${name}'`, NotFoundError);
    const weightDim = w.dims.length;
    // dim = -1 means the whole tensor (as None does), not the last dimension.
    if (!(dim < weightDim && dim >= -weightDim))
      fail(api, `dim must set between [-R, R), R means the dimension of weight (R = ${weightDim}), but got dim = ${dim}`, InvalidArgumentError);
    if (dim !== -1) dim = (dim + weightDim) % weightDim;
    const fn = new WeightNorm(name, dim);

    layer._parameters.delete(name);
    const gVar = withoutGrad(() => norm_except_dim(w, dim!));
    const v = layer.create_parameter(w.dims, null, w.dtype);
    layer.add_parameter(name + '_v', v);
    const g = layer.create_parameter(gVar.dims, null, gVar.dtype);
    layer.add_parameter(name + '_g', g);
    withoutGrad(() => {
      setValue(v, w, api, `'${name}_v'`);
      setValue(g, gVar, api, `'${name}_g'`);
    });
    (layer as unknown as Record<string, Tensor>)[name] = fn.compute_weight(layer);

    const hook = (l: Layer, inputs: unknown[]): void => fn.__call__(l, inputs);
    hookOwner.set(hook, fn);
    layer.register_forward_pre_hook(hook);
    return fn;
  }

  /** Turns `name` back into a plain parameter holding the current weight; drops `<name>_g`/`<name>_v`. */
  remove(layer: Layer): void {
    const wVar = this.compute_weight(layer);
    delete (layer as unknown as Record<string, unknown>)[this.name];
    layer._parameters.delete(this.name + '_g');
    layer._parameters.delete(this.name + '_v');
    const w = layer.create_parameter(wVar.dims, null, wVar.dtype);
    layer.add_parameter(this.name, w);
    withoutGrad(() => setValue(w, wVar, 'paddle.nn.utils.remove_weight_norm', `'${this.name}'`));
  }

  /** The pre-hook: sets `layer[name]` to the recomputed weight. */
  __call__(layer: Layer, _inputs: unknown[]): void {
    (layer as unknown as Record<string, Tensor>)[this.name] = this.compute_weight(layer);
  }
}

/** The WeightNorm behind each registered hook function (Python finds them by isinstance). */
const hookOwner = new WeakMap<object, WeightNorm>();

const layerTy = T.instance(Layer, 'a Layer');
const parseWeightNorm = makeParser('paddle.nn.utils.weight_norm', [p('layer', layerTy), p('name', T.str, 'weight'), p('dim', T.nullable(T.int), 0)]);
const parseRemove = makeParser('paddle.nn.utils.remove_weight_norm', [p('layer', layerTy), p('name', T.str, 'weight')]);

type WeightNormRest =
  | []
  | [kwargs: { name?: string; dim?: number | null }]
  | [name: string, kwargs?: { dim?: number | null }]
  | [name: string, dim: number | null];

/**
 * Applies weight normalization to parameter `name` of `layer`: w = g * v / ||v||, the norm over
 * every dimension but `dim`. Replaces the parameter by `<name>_g` (magnitude) and `<name>_v`
 * (direction), recomputing `<name>` before each forward. Returns the layer.
 * @param layer a Layer with the parameter
 * @param name the parameter's name ('weight')
 * @param dim the dimension kept by the norm, in [-R, R) (0); None (null) or -1: the whole tensor
 * @example
 * const conv = paddle.nn.utils.weight_norm(new nn.Conv2D(3, 5, 3));
 * conv.weight_g.shape  // [5]
 * conv.weight_v.shape  // [5, 3, 3, 3]
 */
export function weight_norm<L extends Layer>(layer: L, ...rest: WeightNormRest): L {
  const a = parseWeightNorm([layer, ...rest]) as { layer: Layer; name: string; dim: number | null };
  WeightNorm.apply(a.layer, a.name, a.dim);
  return layer;
}

/**
 * Removes the weight normalization of parameter `name`: it becomes a plain parameter again,
 * holding the current g * v / ||v||. Returns the layer.
 * @param layer a Layer given to weight_norm
 * @param name the parameter's name ('weight')
 * @example paddle.nn.utils.remove_weight_norm(conv)
 */
export function remove_weight_norm<L extends Layer>(layer: L, ...rest: [] | [name: string] | [kwargs: { name?: string }]): L {
  const a = parseRemove([layer, ...rest]) as { layer: Layer; name: string };
  const l = a.layer;
  for (const [k, hook] of l._forward_pre_hooks) {
    const wn = hookOwner.get(hook);
    if (wn && wn.name === a.name) {
      wn.remove(l);
      l._forward_pre_hooks.delete(k);
      return layer;
    }
  }
  return fail('paddle.nn.utils.remove_weight_norm', `weight_norm of '${a.name}' not found in ${String(l)}`, NotFoundError);
}
