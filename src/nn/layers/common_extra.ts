// More common layers (python/paddle/nn/layer/{common,vision,distance}.py at 2.0): Dropout,
// Dropout2D, Dropout3D, AlphaDropout, Embedding, Bilinear, PixelShuffle, CosineSimilarity,
// PairwiseDistance. Each forwards to nn.functional; the dropouts follow train()/eval().
import { makeParser, p, type CallArgs, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { getDefaultDType, type DType } from '../../core/dtype.js';
import { run1 } from '../../core/dispatch.js';
import { fail } from '../../core/errors.js';
import { state } from '../../core/state.js';
import type { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import {
  alpha_dropout, bilinear, cosine_similarity, dropout, dropout2d, dropout3d, embedding, pixel_shuffle,
} from '../functional/common.js';
import { Layer } from '../layer.js';
import { attrTy } from '../param_attr.js';
import type { ParamBase } from '../parameter.js';

const nameP = p('name', T.nullable(T.str), null);
const intOrList = T.union(T.int, T.ints) as Ty<number | number[], number | readonly number[]>;
/** Python's repr of a value in extra_repr. */
const py = (v: unknown): string => (v === null || v === undefined ? 'None' : Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

// ---- dropouts -----------------------------------------------------------------------------
const dropoutParams = [p('p', T.float, 0.5), p('axis', T.nullable(intOrList), null), p('mode', T.str, 'upscale_in_train'), nameP] as const;
const parseDropout = makeParser('paddle.nn.Dropout', dropoutParams);

/**
 * Dropout layer: F.dropout with `training` following train()/eval().
 * @param p probability of zeroing an element (0.5)
 * @param axis axes of a shared mask (None: every element)
 * @param mode 'upscale_in_train' (default) or 'downscale_in_infer'
 * @example const d = new nn.Dropout(0.5); d.eval(); d(x) // x
 */
export class Dropout extends Layer {
  declare p: number;
  declare axis: number | number[] | null;
  declare mode: string;
  declare name: string | null;
  constructor(...args: CallArgs<typeof dropoutParams>) {
    super();
    const a = parseDropout(args) as { p: number; axis: number | number[] | null; mode: string; name: string | null };
    this.p = a.p;
    this.axis = a.axis;
    this.mode = a.mode;
    this.name = a.name;
  }
  override forward(input: Tensor): Tensor {
    return dropout(input, { p: this.p, axis: this.axis, training: this.training, mode: this.mode as 'upscale_in_train', name: this.name });
  }
  override extra_repr(): string {
    return `p=${py(this.p)}, axis=${py(this.axis)}, mode=${this.mode}${this.name ? `, name=${this.name}` : ''}`;
  }
}

const dropoutNdParams = (fmt: string) => [p('p', T.float, 0.5), p('data_format', T.str, fmt), nameP] as const;
const dropout2dParams = dropoutNdParams('NCHW');
const dropout3dParams = dropoutNdParams('NCDHW');
const parseDropout2d = makeParser('paddle.nn.Dropout2D', dropout2dParams);
const parseDropout3d = makeParser('paddle.nn.Dropout3D', dropout3dParams);

/**
 * Channel dropout on 4-D input (F.dropout2d), following train()/eval().
 * @param p probability of zeroing a channel (0.5)
 * @param data_format 'NCHW' or 'NHWC'
 * @example new nn.Dropout2D(0.5)(paddle.ones([2, 3, 4, 5]))
 */
export class Dropout2D extends Layer {
  declare p: number;
  declare data_format: string;
  declare name: string | null;
  constructor(...args: CallArgs<typeof dropout2dParams>) {
    super();
    const a = parseDropout2d(args) as { p: number; data_format: string; name: string | null };
    this.p = a.p;
    this.data_format = a.data_format;
    this.name = a.name;
  }
  override forward(input: Tensor): Tensor {
    return dropout2d(input, { p: this.p, training: this.training, data_format: this.data_format as 'NCHW', name: this.name });
  }
  override extra_repr(): string {
    return `p=${py(this.p)}, data_format=${this.data_format}${this.name ? `, name=${this.name}` : ''}`;
  }
}

/**
 * Channel dropout on 5-D input (F.dropout3d), following train()/eval().
 * @param p probability of zeroing a channel (0.5)
 * @param data_format 'NCDHW' or 'NDHWC'
 * @example new nn.Dropout3D(0.5)(paddle.ones([2, 3, 4, 5, 6]))
 */
export class Dropout3D extends Layer {
  declare p: number;
  declare data_format: string;
  declare name: string | null;
  constructor(...args: CallArgs<typeof dropout3dParams>) {
    super();
    const a = parseDropout3d(args) as { p: number; data_format: string; name: string | null };
    this.p = a.p;
    this.data_format = a.data_format;
    this.name = a.name;
  }
  override forward(input: Tensor): Tensor {
    return dropout3d(input, { p: this.p, training: this.training, data_format: this.data_format as 'NCDHW', name: this.name });
  }
  override extra_repr(): string {
    return `p=${py(this.p)}, data_format=${this.data_format}${this.name ? `, name=${this.name}` : ''}`;
  }
}

const alphaParams = [p('p', T.float, 0.5), nameP] as const;
const parseAlpha = makeParser('paddle.nn.AlphaDropout', alphaParams);

/**
 * Alpha dropout for SELU networks (F.alpha_dropout), identity in eval mode.
 * @param p probability of dropping an element (0.5)
 * @example new nn.AlphaDropout(0.5)(x)
 */
export class AlphaDropout extends Layer {
  declare p: number;
  declare name: string | null;
  constructor(...args: CallArgs<typeof alphaParams>) {
    super();
    const a = parseAlpha(args) as { p: number; name: string | null };
    this.p = a.p;
    this.name = a.name;
  }
  override forward(input: Tensor): Tensor {
    return alpha_dropout(input, { p: this.p, training: this.training, name: this.name });
  }
  override extra_repr(): string {
    return `p=${py(this.p)}${this.name ? `, name=${this.name}` : ''}`;
  }
}

// ---- Embedding ----------------------------------------------------------------------------
const embeddingParams = [
  p('num_embeddings', T.int), p('embedding_dim', T.int), p('padding_idx', T.nullable(T.int), null), p('sparse', T.bool, false),
  p('weight_attr', attrTy, null), nameP,
] as const;
const parseEmbedding = makeParser('paddle.nn.Embedding', embeddingParams);

/**
 * Embedding table: weight [num_embeddings, embedding_dim] (Xavier-uniform by default),
 * looked up by int ids of any shape (the output appends embedding_dim). The padding_idx row
 * starts at zero, outputs zeros and gets no gradient; a negative padding_idx counts from the
 * end.
 * @param num_embeddings the vocabulary size
 * @param embedding_dim the size of each vector
 * @param padding_idx the padding id, or None
 * @param sparse the weight's gradient is SelectedRows (the looked-up rows), updated sparsely (dygraph)
 * @param weight_attr ParamAttr of the weight
 * @example const emb = new nn.Embedding(10, 3, { padding_idx: 0 }); emb(paddle.to_tensor([[0, 2]])) // shape [1, 2, 3]
 */
export class Embedding extends Layer {
  declare weight: ParamBase;
  declare _num_embeddings: number;
  declare _embedding_dim: number;
  declare _sparse: boolean;
  declare _is_distributed: boolean;
  declare _padding_idx: number | null;
  declare _size: number[];
  declare _weight_attr: unknown;
  declare _remote_prefetch: boolean;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof embeddingParams>) {
    super();
    const api = 'paddle.nn.Embedding';
    const a = parseEmbedding(args) as {
      num_embeddings: number; embedding_dim: number; padding_idx: number | null; sparse: boolean; weight_attr: unknown; name: string | null;
    };
    this._num_embeddings = a.num_embeddings;
    this._embedding_dim = a.embedding_dim;
    this._sparse = a.sparse;
    this._is_distributed = false;
    this._padding_idx = a.padding_idx;
    if (a.num_embeddings <= 0) fail(api, `num_embeddings must be greater than 0, but got ${a.num_embeddings}`);
    if (a.embedding_dim <= 0) fail(api, `embedding_dim must be greater than 0, but got ${a.embedding_dim}`);
    const num = a.num_embeddings;
    if (a.padding_idx !== null && (a.padding_idx >= num || a.padding_idx < -num))
      fail(api, `padding_idx must be within [-${num}, ${num}), but got ${a.padding_idx}`);
    const pad = a.padding_idx === null ? -1 : a.padding_idx >= 0 ? a.padding_idx : num + a.padding_idx;
    this._dtype = getDefaultDType();
    this._size = [num, a.embedding_dim];
    this._weight_attr = a.weight_attr;
    this._remote_prefetch = false;
    this._name = a.name;
    this.weight = this.create_parameter({ attr: a.weight_attr, shape: this._size, dtype: this._dtype as DType, is_bias: false });
    if (!state.staticMode && pad !== -1) {
      // Paddle: self.weight[padding_idx] = 0.0 (outside autograd)
      const d = a.embedding_dim;
      (this.weight.data as Float32Array).fill(0, pad * d, pad * d + d);
    }
  }
  override forward(x: Tensor): Tensor {
    return embedding(x, { weight: this.weight, padding_idx: this._padding_idx, sparse: this._sparse, name: this._name });
  }
  override extra_repr(): string {
    let s = `${this._num_embeddings}, ${this._embedding_dim}`;
    if (this._padding_idx !== null) s += `, padding_idx=${this._padding_idx}`;
    s += `, sparse=${this._sparse ? 'True' : 'False'}`;
    if (this._name !== null) s += `, name=${this._name}`;
    return s;
  }
}

// ---- Bilinear ---------------------------------------------------------------------------
const bilinearParams = [
  p('in1_features', T.int), p('in2_features', T.int), p('out_features', T.int), p('weight_attr', attrTy, null),
  p('bias_attr', attrTy, null), nameP,
] as const;
const parseBilinear = makeParser('paddle.nn.Bilinear', bilinearParams);

/**
 * Bilinear layer: out[:, k] = x1 W_k x2^T + b_k, weight [out_features, in1_features,
 * in2_features] (Xavier-uniform), bias [1, out_features] (zeros).
 * @param in1_features size of x1's rows
 * @param in2_features size of x2's rows
 * @param out_features size of the output rows
 * @param weight_attr ParamAttr of the weight
 * @param bias_attr ParamAttr of the bias; false: no bias
 * @example new nn.Bilinear(5, 4, 1000)(paddle.ones([5, 5]), paddle.ones([5, 4])) // shape [5, 1000]
 */
export class Bilinear extends Layer {
  declare weight: ParamBase;
  declare bias: ParamBase | null;
  declare _weight_attr: unknown;
  declare _bias_attr: unknown;
  declare _name: string | null;
  declare _in1_features: number;
  declare _in2_features: number;
  declare _out_features: number;
  constructor(...args: CallArgs<typeof bilinearParams>) {
    super();
    const a = parseBilinear(args) as {
      in1_features: number; in2_features: number; out_features: number; weight_attr: unknown; bias_attr: unknown; name: string | null;
    };
    for (const k of ['in1_features', 'in2_features', 'out_features'] as const)
      if (a[k] <= 0) fail('paddle.nn.Bilinear', `${k} must be greater than 0, but got ${a[k]}`);
    this._weight_attr = a.weight_attr;
    this._bias_attr = a.bias_attr;
    this._name = a.name;
    this._in1_features = a.in1_features;
    this._in2_features = a.in2_features;
    this._out_features = a.out_features;
    this._dtype = getDefaultDType();
    const dt = this._dtype as DType;
    this.weight = this.create_parameter({ attr: a.weight_attr, shape: [a.out_features, a.in1_features, a.in2_features], dtype: dt, is_bias: false });
    this.bias = this.create_parameter({ attr: a.bias_attr, shape: [1, a.out_features], dtype: dt, is_bias: true }) ?? null;
  }
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias, this._name);
  }
  override extra_repr(): string {
    return `in1_features=${this._in1_features}, in2_features=${this._in2_features}, out_features=${this._out_features}, dtype=${this._dtype}${this._name ? `, name=${this._name}` : ''}`;
  }
}

// ---- PixelShuffle -------------------------------------------------------------------------
const pixelParams = [p('upscale_factor', T.int), p('data_format', T.str, 'NCHW'), nameP] as const;
const parsePixel = makeParser('paddle.nn.PixelShuffle', pixelParams);

/**
 * Rearranges [N, C*r*r, H, W] into [N, C, H*r, W*r] (F.pixel_shuffle).
 * @param upscale_factor r
 * @param data_format 'NCHW' or 'NHWC'
 * @example new nn.PixelShuffle(3)(paddle.ones([2, 9, 4, 4])) // shape [2, 1, 12, 12]
 */
export class PixelShuffle extends Layer {
  declare _upscale_factor: number;
  declare _data_format: string;
  declare _name: string | null;
  constructor(...args: CallArgs<typeof pixelParams>) {
    super();
    const a = parsePixel(args) as { upscale_factor: number; data_format: string; name: string | null };
    if (a.data_format !== 'NCHW' && a.data_format !== 'NHWC')
      fail('paddle.nn.PixelShuffle', `Data format should be 'NCHW' or 'NHWC', but received data format: ${a.data_format}`);
    this._upscale_factor = a.upscale_factor;
    this._data_format = a.data_format;
    this._name = a.name;
  }
  override forward(x: Tensor): Tensor {
    return pixel_shuffle(x, this._upscale_factor, this._data_format as 'NCHW', this._name);
  }
  override extra_repr(): string {
    let s = `upscale_factor=${this._upscale_factor}`;
    if (this._data_format !== 'NCHW') s += `, data_format=${this._data_format}`;
    if (this._name !== null) s += `, name=${this._name}`;
    return s;
  }
}

// ---- CosineSimilarity, PairwiseDistance ---------------------------------------------------
const cosParams = [p('axis', T.int, 1), p('eps', T.float, 1e-8)] as const;
const parseCos = makeParser('paddle.nn.CosineSimilarity', cosParams);

/**
 * Cosine similarity of two inputs along `axis` (F.cosine_similarity).
 * @param axis the axis of the vectors (1)
 * @param eps the floor of the norms (1e-8)
 * @example new nn.CosineSimilarity({ axis: 0 })(x1, x2)
 */
export class CosineSimilarity extends Layer {
  declare _axis: number;
  declare _eps: number;
  constructor(...args: CallArgs<typeof cosParams>) {
    super();
    const a = parseCos(args) as { axis: number; eps: number };
    this._axis = a.axis;
    this._eps = a.eps;
  }
  override forward(x1: Tensor, x2: Tensor): Tensor {
    return cosine_similarity(x1, x2, { axis: this._axis, eps: this._eps });
  }
  override extra_repr(): string {
    return `axis=${this._axis}, eps=${this._eps}`;
  }
}

const pdParams = [p('p', T.float, 2), p('epsilon', T.float, 1e-6), p('keepdim', T.bool, false), nameP] as const;
const parsePd = makeParser('paddle.nn.PairwiseDistance', pdParams);

/**
 * The p-norm of x - y along axis 1 (Paddle 2.0: elementwise_sub then p_norm with this
 * epsilon); keepdim keeps that axis.
 * @param p the norm order (2)
 * @param epsilon p_norm's epsilon (1e-6)
 * @param keepdim keep the reduced axis (False)
 * @example new nn.PairwiseDistance()(paddle.to_tensor([[1, 3], [3, 5]], { dtype: 'float64' }), paddle.to_tensor([[5, 6], [7, 8]], { dtype: 'float64' })) // [5, 5]
 */
export class PairwiseDistance extends Layer {
  declare p: number;
  declare epsilon: number;
  declare keepdim: boolean;
  declare name: string | null;
  constructor(...args: CallArgs<typeof pdParams>) {
    super();
    const a = parsePd(args) as { p: number; epsilon: number; keepdim: boolean; name: string | null };
    this.p = a.p;
    this.epsilon = a.epsilon;
    this.keepdim = a.keepdim;
    this.name = a.name;
  }
  override forward(x: Tensor, y: Tensor): Tensor {
    const api = 'paddle.nn.PairwiseDistance';
    for (const [t, n] of [[x, 'x'], [y, 'y']] as const)
      if (t.dtype !== 'float32' && t.dtype !== 'float64') fail(api, `input '${n}' must be a float32 or float64 Tensor, but got ${t.dtype}`);
    const sub = c.sub(x, y);
    return run1('p_norm', { X: [sub] }, { axis: 1, porder: this.p, keepdim: this.keepdim, epsilon: this.epsilon, asvector: false });
  }
  override extra_repr(): string {
    let s = `p=${this.p}`;
    if (this.epsilon !== 1e-6) s += `, epsilon=${this.epsilon}`;
    if (this.keepdim) s += ', keepdim=True';
    if (this.name !== null) s += `, name=${this.name}`;
    return s;
  }
}
