// The Transformer layers of paddle.nn (python/paddle/nn/layer/transformer.py at 2.0):
// MultiHeadAttention (with its Cache / StaticCache for incremental decoding),
// TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder and
// Transformer. Every layer is batch-first and composes the operators Paddle 2.0 appends:
// Linear projections, reshape2 / transpose2 to split heads, `matmul` with alpha=head_dim^-0.5
// for the logits, elementwise_add of the mask, softmax, dropout, matmul_v2, layer_norm.
//
// Attention masks. In Paddle 2.0.0 `attn_mask` is simply added to the logits, so a float mask
// holds 0 where attention is allowed and -inf where it is not. 2.0.0 did not convert bool
// masks (adding one silently added 0/1); later 2.x releases (2.0.1 on, PR #30957) convert a
// bool or int mask of another dtype as `(cast(mask) - 1) * 1e9` (True / 1 keeps, False / 0
// masks) and cast a float mask of another dtype. This file follows that later behaviour, as
// API.md asks for fixed 2.0 APIs; a float mask of the logits' dtype behaves as in 2.0.0.
//
// Stacks. TransformerEncoder / TransformerDecoder use the given layer as their first layer and
// build the others as 2.0 does, `type(layer)(**layer._config)`: new layers of the same class
// and constructor arguments, hence with freshly initialized parameters (no values copied).
import { makeParser, p, type CallArgs, type Ty } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { getDefaultDType, isFloating, PROTO_DTYPE, type DType } from '../../core/dtype.js';
import { run1 } from '../../core/dispatch.js';
import { describe, fail, UnimplementedError } from '../../core/errors.js';
import { hasOp } from '../../core/registry.js';
import { showShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import { full, ones } from '../../tensor/creation.js';
import { concat, reshape, transpose } from '../../tensor/manipulation.js';
import { triu } from '../../tensor/misc.js';
import { LayerList } from '../containers.js';
import * as F from '../functional/index.js';
import { Layer } from '../layer.js';
import { attrTy, ParamAttr } from '../param_attr.js';
import { Linear } from './common.js';
import { Dropout } from './common_extra.js';
import { LayerNorm } from './norm.js';

// ---- Cache / StaticCache ---------------------------------------------------------------------

/**
 * A (k, v) pair of projected keys and values, `[batch_size, num_heads, length, head_dim]`:
 * Python's namedtuple, so `cache.k`, `cache[0]` and `const [k, v] = cache` all work.
 */
export interface KVCache {
  readonly k: Tensor;
  readonly v: Tensor;
  readonly 0: Tensor;
  readonly 1: Tensor;
  readonly length: 2;
  [Symbol.iterator](): Iterator<Tensor>;
}
/** The class of a KVCache (callable with or without `new`, like a namedtuple type). */
export interface KVCacheClass {
  new (k: Tensor, v: Tensor): KVCache;
  (k: Tensor, v: Tensor): KVCache;
  readonly prototype: KVCache;
  readonly _fields: readonly ['k', 'v'];
}

function kvTupleClass(name: 'Cache' | 'StaticCache'): KVCacheClass {
  const api = `paddle.nn.MultiHeadAttention.${name}`;
  const ctor = function (this: unknown, k: Tensor, v: Tensor): KVCache {
    if (!new.target) return new (ctor as unknown as KVCacheClass)(k, v);
    if (!(k instanceof Tensor)) fail(api, `field 'k' must be a Tensor, but got ${describe(k)}`);
    if (!(v instanceof Tensor)) fail(api, `field 'v' must be a Tensor, but got ${describe(v)}`);
    const self = this as Record<string, unknown>;
    for (const [key, val] of [['k', k], ['v', v]] as const) Object.defineProperty(self, key, { value: val, enumerable: true });
    return self as unknown as KVCache;
  };
  Object.defineProperty(ctor, 'name', { value: name });
  Object.defineProperty(ctor, '_fields', { value: Object.freeze(['k', 'v']) });
  const proto = ctor.prototype as Record<PropertyKey, unknown>;
  Object.defineProperty(proto, 0, { get(this: KVCache) { return this.k; } });
  Object.defineProperty(proto, 1, { get(this: KVCache) { return this.v; } });
  Object.defineProperty(proto, 'length', { value: 2 });
  proto[Symbol.iterator] = function* (this: KVCache) {
    yield this.k;
    yield this.v;
  };
  proto.toString = function (this: KVCache) {
    return `${name}(k=Tensor(shape=${showShape(this.k.dims)}), v=Tensor(shape=${showShape(this.v.dims)}))`;
  };
  return ctor as unknown as KVCacheClass;
}

const Cache = kvTupleClass('Cache');
const StaticCache = kvTupleClass('StaticCache');

// ---- helpers ----------------------------------------------------------------------------------

/**
 * Later Paddle's `_convert_attention_mask`: a mask whose dtype differs from the logits' is cast;
 * a bool or integer one becomes `(cast(mask) - 1) * 1e9` (true / 1 keeps, false / 0 masks).
 */
function convertMask(mask: Tensor | null, dtype: DType): Tensor | null {
  if (mask === null || mask.dtype === dtype) return mask;
  if (mask.dtype === 'bool' || mask.dtype.startsWith('int') || mask.dtype === 'uint8') return c.scale(c.scale(c.cast(mask, dtype), 1, -1), 1e9);
  return c.cast(mask, dtype);
}

/** Python's `_convert_param_attr_to_list`: one attribute per sub-layer. */
function paramAttrList(attr: unknown, n: number, api: string, arg: string): unknown[] {
  if (Array.isArray(attr)) {
    if (attr.length !== n) fail(api, `length of ${arg} should be ${n} when it is a list/tuple, but got ${attr.length}`);
    return attr.map((a) => (typeof a === 'boolean' ? (a ? ParamAttr._to_attr(null, api) : false) : ParamAttr._to_attr(a, api)));
  }
  if (typeof attr === 'boolean') return Array.from({ length: n }, () => (attr ? ParamAttr._to_attr(null, api) : false));
  const base = ParamAttr._to_attr(attr, api) as ParamAttr;
  return Array.from({ length: n }, (_, i) => {
    const a = base._copy();
    if (base.name) a.name = `${base.name}_${i}`;
    return a;
  });
}

/** A weight_attr / bias_attr that may also be a list (one per sub-layer). */
const attrOrList: Ty<unknown, unknown> = {
  desc: 'a ParamAttr (or a name, an Initializer, a bool, None) or a list of them',
  parse(v, api, arg) {
    if (Array.isArray(v)) {
      v.forEach((x, i) => attrTy.parse(x, api, `${arg}[${i}]`));
      return v.slice();
    }
    return attrTy.parse(v, api, arg);
  },
};
const layerTy = T.instance(Layer, 'a Layer');
const maskTy = T.nullable(T.tensor);

function checkInput(api: string, arg: string, x: Tensor, last: number): void {
  if (x.dims.length !== 3) fail(api, `${arg} must be a 3-D Tensor [batch_size, length, ${last}], but got shape ${showShape(x.dims)}`);
  if (!isFloating(x.dtype)) fail(api, `${arg} must be a float16, float32 or float64 Tensor, but got ${x.dtype}`);
  const d = x.dims[2];
  if (d >= 0 && d !== last) fail(api, `${arg} must have ${last} features in its last dim, but got shape ${showShape(x.dims)}`);
}

/** The activation function named `name` in paddle.nn.functional (Python's `getattr(F, activation)`). */
function activationFn(name: string, api: string): (x: Tensor) => Tensor {
  const f = (F as Record<string, unknown>)[name];
  if (typeof f !== 'function')
    fail(api, `activation '${name}' is not a function of paddle.nn.functional (e.g. 'relu', 'gelu')`);
  return (x: Tensor) => (f as (x: Tensor) => Tensor)(x);
}

/** Python's `type(layer)(**layer._config)`: a new layer of the same class and arguments. */
function rebuild<L extends Layer>(layer: L, api: string, arg: string): L {
  const cfg = (layer as unknown as { _config?: Record<string, unknown> })._config;
  if (!cfg || typeof cfg !== 'object')
    fail(api, `${arg} must be a layer built from a config (a TransformerEncoderLayer / TransformerDecoderLayer or a subclass), but ${layer.constructor.name} has no _config`);
  const Ctor = layer.constructor as new (kw: Record<string, unknown>) => L;
  return new Ctor({ ...cfg });
}

/** The layers of a TransformerEncoder / TransformerDecoder: `first`, then n - 1 rebuilt like it. */
function stackLayers<L extends Layer>(first: L, n: number, api: string, arg: string): LayerList<L> {
  if (n < 0) fail(api, `num_layers must be non-negative, but got ${n}`);
  const layers: L[] = [];
  for (let i = 0; i < n; i++) layers.push(i === 0 ? first : rebuild(first, api, arg));
  return new LayerList(layers);
}

/**
 * A TransformerEncoder / TransformerDecoder forward: `x` through each layer in turn, as
 * `call(layer, x, extra)` with extra `{ cache: the layer's cache }` when `cache` is a list
 * (undefined when it is null), then `norm` if any. Returns the output, or
 * `[output, new caches]` with a cache list.
 */
function runStack<L>(layers: Iterable<L>, norm: Layer | null, x: Tensor, cache: unknown[] | null, call: (layer: L, x: Tensor, extra?: { cache: unknown }) => unknown): any {
  let output = x;
  const newCaches: unknown[] = [];
  let i = 0;
  for (const mod of layers) {
    if (cache === null) output = call(mod, output) as Tensor;
    else {
      const [o, nc] = call(mod, output, { cache: cache[i] }) as [Tensor, unknown];
      output = o;
      newCaches.push(nc);
    }
    i++;
  }
  if (norm !== null) output = norm(output);
  return cache === null ? output : [output, newCaches];
}

// ---- MultiHeadAttention -----------------------------------------------------------------------

const mhaParams = [
  p('embed_dim', T.int),
  p('num_heads', T.int),
  p('dropout', T.float, 0.0),
  p('kdim', T.nullable(T.int), null),
  p('vdim', T.nullable(T.int), null),
  p('need_weights', T.bool, false),
  p('weight_attr', attrTy, null),
  p('bias_attr', attrTy, null),
] as const;
const MHA = 'paddle.nn.MultiHeadAttention';
const parseMha = makeParser(MHA, mhaParams);
const mhaForwardParams = [
  p('query', T.tensor),
  p('key', maskTy, null),
  p('value', maskTy, null),
  p('attn_mask', maskTy, null),
  p('cache', T.any, null),
] as const;
const parseMhaForward = makeParser(`${MHA}.forward`, mhaForwardParams);
const genCacheParams = [p('key', T.tensor), p('value', maskTy, null), p('type', T.any, Cache)] as const;
const parseGenCache = makeParser(`${MHA}.gen_cache`, genCacheParams);
const computeKvParams = [p('key', T.tensor), p('value', T.tensor)] as const;
const parseComputeKv = makeParser(`${MHA}.compute_kv`, computeKvParams);

/**
 * Multi-head attention (batch-first): queries attend to key/value pairs in `num_heads`
 * parallel heads of size embed_dim / num_heads, logits scaled by head_dim^-0.5. Parameters
 * q_proj, k_proj, v_proj, out_proj are Linear layers, as in Paddle (checkpoints map).
 * `forward(query, key=null, value=null, attn_mask=null, cache=null)` returns `out`
 * `[batch, query_len, embed_dim]`, or an array `[out, weights?, cache?]` when need_weights
 * (weights `[batch, num_heads, query_len, key_len]`) or a cache is given. attn_mask is added to
 * the logits (0 keeps, -inf masks; bool masks: true keeps, see the file notes).
 * A `MultiHeadAttention.Cache` holds the keys and values of earlier positions for incremental
 * decoding (each call appends the current ones and returns the grown cache); a `StaticCache`
 * holds precomputed keys and values of a fixed memory (key and value are then ignored).
 * @param embed_dim features of the input and output
 * @param num_heads number of heads (must divide embed_dim)
 * @param dropout dropout probability on the attention weights (0)
 * @param kdim features of key (default embed_dim)
 * @param vdim features of value (default embed_dim)
 * @param need_weights also return the attention weights (false)
 * @param weight_attr ParamAttr of the projection weights
 * @param bias_attr ParamAttr of the projection biases (false: none)
 * @example
 * const attn = new nn.MultiHeadAttention(128, 2)
 * const out = attn(paddle.rand([2, 4, 128]), null, null, { attn_mask: paddle.rand([2, 2, 4, 4]) })   // [2, 4, 128]
 */
export class MultiHeadAttention extends Layer {
  /** The incremental cache type (keys/values of earlier positions, grown by each call). */
  static readonly Cache: KVCacheClass = Cache;
  /** The static cache type (precomputed keys/values of a fixed memory). */
  static readonly StaticCache: KVCacheClass = StaticCache;

  declare embed_dim: number;
  declare kdim: number;
  declare vdim: number;
  declare num_heads: number;
  declare dropout: number;
  declare need_weights: boolean;
  declare head_dim: number;
  declare q_proj: Linear;
  declare k_proj: Linear;
  declare v_proj: Linear;
  declare out_proj: Linear;

  constructor(...args: CallArgs<typeof mhaParams>) {
    super();
    const a = parseMha(args) as {
      embed_dim: number; num_heads: number; dropout: number; kdim: number | null; vdim: number | null;
      need_weights: boolean; weight_attr: unknown; bias_attr: unknown;
    };
    if (a.embed_dim <= 0) fail(MHA, `embed_dim must be positive, but got ${a.embed_dim}`);
    if (a.num_heads <= 0) fail(MHA, `num_heads must be positive, but got ${a.num_heads}`);
    if (a.embed_dim % a.num_heads !== 0)
      fail(MHA, `embed_dim must be divisible by num_heads, but got embed_dim=${a.embed_dim} and num_heads=${a.num_heads}`);
    if (!(a.dropout >= 0 && a.dropout <= 1)) fail(MHA, `dropout must be in [0, 1], but got ${a.dropout}`);
    this.embed_dim = a.embed_dim;
    this.kdim = a.kdim ?? a.embed_dim;
    this.vdim = a.vdim ?? a.embed_dim;
    this.num_heads = a.num_heads;
    this.dropout = a.dropout;
    this.need_weights = a.need_weights;
    this.head_dim = Math.floor(a.embed_dim / a.num_heads);
    const wa = a.weight_attr as never;
    const ba = a.bias_attr as never;
    this.q_proj = new Linear(a.embed_dim, a.embed_dim, wa, ba);
    this.k_proj = new Linear(this.kdim, a.embed_dim, wa, ba);
    this.v_proj = new Linear(this.vdim, a.embed_dim, wa, ba);
    this.out_proj = new Linear(a.embed_dim, a.embed_dim, wa, ba);
  }

  /** [batch, len, embed_dim] -> [batch, num_heads, len, head_dim]. */
  private splitHeads(x: Tensor): Tensor {
    return transpose(reshape(x, [0, 0, this.num_heads, this.head_dim]), [0, 2, 1, 3]);
  }

  /**
   * Projects keys and values and splits heads: `[k, v]`, each
   * `[batch_size, num_heads, length, head_dim]` (what a StaticCache stores).
   * @param key `[batch_size, length, kdim]`
   * @param value `[batch_size, length, vdim]`
   */
  compute_kv(...args: CallArgs<typeof computeKvParams>): [Tensor, Tensor] {
    const a = parseComputeKv(args) as { key: Tensor; value: Tensor };
    checkInput(`${MHA}.compute_kv`, 'key', a.key, this.kdim);
    checkInput(`${MHA}.compute_kv`, 'value', a.value, this.vdim);
    return [this.splitHeads(this.k_proj(a.key)), this.splitHeads(this.v_proj(a.value))];
  }

  /**
   * Makes a cache for `forward` in inference: with type StaticCache, `compute_kv(key, value)`;
   * with type Cache (default) and no value, empty keys/values `[batch_size, num_heads, 0,
   * head_dim]` (batch size and dtype from key); with type Cache and a value, `Cache(key, value)`.
   * @param key `[batch_size, length, kdim]` (or only a batch-size and dtype reference)
   * @param value `[batch_size, length, vdim]` or null
   * @param type MultiHeadAttention.Cache (default) or MultiHeadAttention.StaticCache
   * @example const cache = attn.gen_cache(x)   // an empty incremental cache
   */
  gen_cache(...args: CallArgs<typeof genCacheParams>): KVCache {
    const api = `${MHA}.gen_cache`;
    const a = parseGenCache(args) as { key: Tensor; value: Tensor | null; type: unknown };
    if (a.type === StaticCache) {
      if (a.value === null) fail(api, 'a StaticCache is computed from key and value, but value is None');
      const [k, v] = this.compute_kv(a.key, a.value);
      return new StaticCache(k, v);
    }
    if (a.type !== Cache) fail(api, `type must be MultiHeadAttention.Cache or MultiHeadAttention.StaticCache, but got ${describe(a.type)}`);
    if (a.value !== null) return new Cache(a.key, a.value);
    if (a.key.dims.length < 1) fail(api, `key must have a batch dim, but got shape ${showShape(a.key.dims)}`);
    const shape = [a.key.dims[0], this.num_heads, 0, this.head_dim];
    if (shape[0] >= 0) return new Cache(full(shape, 0, a.key.dtype), full(shape, 0, a.key.dtype));
    // static mode with an unknown batch size: Paddle's fill_constant_batch_size_like
    if (!hasOp('fill_constant_batch_size_like'))
      fail(api, 'the batch size of key is unknown (-1) and operator fill_constant_batch_size_like is not available; pass the cache tensors explicitly', UnimplementedError);
    const fill = (): Tensor =>
      run1('fill_constant_batch_size_like', { Input: [a.key] }, { shape, dtype: PROTO_DTYPE[a.key.dtype], value: 0, input_dim_idx: 0, output_dim_idx: 0 });
    return new Cache(fill(), fill());
  }

  /**
   * Attention of query over key/value (both default to query). Returns out, or
   * `[out, weights?, cache?]`; see the class doc.
   * @param query `[batch_size, query_length, embed_dim]`
   * @param key `[batch_size, key_length, kdim]` (null: query)
   * @param value `[batch_size, key_length, vdim]` (null: query)
   * @param attn_mask added to the logits, broadcast to `[batch_size, num_heads, query_length, key_length]`
   * @param cache a MultiHeadAttention.Cache or StaticCache, for inference
   */
  override forward(...args: CallArgs<typeof mhaForwardParams>): any {
    const api = MHA;
    const a = parseMhaForward(args) as { query: Tensor; key: Tensor | null; value: Tensor | null; attn_mask: Tensor | null; cache: unknown };
    if (a.cache !== null && !(a.cache instanceof Cache) && !(a.cache instanceof StaticCache))
      fail(api, `cache must be a MultiHeadAttention.Cache or MultiHeadAttention.StaticCache, but got ${describe(a.cache)}`);
    let cache = a.cache as KVCache | null;
    const query = a.query;
    checkInput(api, 'query', query, this.embed_dim);
    const key = a.key ?? query;
    const value = a.value ?? query;
    // _prepare_qkv
    const q = this.splitHeads(this.q_proj(query));
    let k: Tensor;
    let v: Tensor;
    if (cache instanceof StaticCache) {
      k = cache.k;
      v = cache.v;
    } else {
      checkInput(api, 'key', key, this.kdim);
      checkInput(api, 'value', value, this.vdim);
      if (key.dims[1] >= 0 && value.dims[1] >= 0 && key.dims[1] !== value.dims[1])
        fail(api, `key and value must have the same length, but got shapes ${showShape(key.dims)} and ${showShape(value.dims)}`);
      k = this.splitHeads(this.k_proj(key));
      v = this.splitHeads(this.v_proj(value));
    }
    if (cache instanceof Cache) {
      k = concat([cache.k, k], 2);
      v = concat([cache.v, v], 2);
      cache = new Cache(k, v);
    }
    // scaled dot-product attention
    let product = run1('matmul', { X: [q], Y: [k] }, { transpose_X: false, transpose_Y: true, alpha: this.head_dim ** -0.5 });
    const mask = convertMask(a.attn_mask, product.dtype);
    if (mask !== null) product = c.add(product, mask);
    let weights = F.softmax(product);
    if (this.dropout) weights = F.dropout(weights, this.dropout, { training: this.training, mode: 'upscale_in_train' });
    let out = c.matmul(weights, v);
    // combine heads
    out = transpose(out, [0, 2, 1, 3]);
    out = reshape(out, [0, 0, out.dims[2] * out.dims[3]]);
    out = this.out_proj(out);
    const outs: unknown[] = [out];
    if (this.need_weights) outs.push(weights);
    if (cache !== null) outs.push(cache);
    return outs.length === 1 ? out : outs;
  }
}

// ---- encoder ----------------------------------------------------------------------------------

const stackLayerParams = [
  p('d_model', T.int),
  p('nhead', T.int),
  p('dim_feedforward', T.int),
  p('dropout', T.float, 0.1),
  p('activation', T.str, 'relu'),
  p('attn_dropout', T.nullable(T.float), null),
  p('act_dropout', T.nullable(T.float), null),
  p('normalize_before', T.bool, false),
  p('weight_attr', attrOrList, null),
  p('bias_attr', attrOrList, null),
] as const;
interface StackLayerArgs {
  d_model: number; nhead: number; dim_feedforward: number; dropout: number; activation: string;
  attn_dropout: number | null; act_dropout: number | null; normalize_before: boolean; weight_attr: unknown; bias_attr: unknown;
}
const ENC_LAYER = 'paddle.nn.TransformerEncoderLayer';
const DEC_LAYER = 'paddle.nn.TransformerDecoderLayer';
const parseEncLayer = makeParser(ENC_LAYER, stackLayerParams);
const parseDecLayer = makeParser(DEC_LAYER, stackLayerParams);

function checkStackArgs(api: string, a: StackLayerArgs): void {
  if (a.d_model <= 0) fail(api, `d_model must be positive, but got ${a.d_model}`);
  if (a.nhead <= 0) fail(api, `nhead must be positive, but got ${a.nhead}`);
  if (a.dim_feedforward <= 0) fail(api, `dim_feedforward must be positive, but got ${a.dim_feedforward}`);
  if (a.d_model % a.nhead !== 0) fail(api, `d_model must be divisible by nhead, but got d_model=${a.d_model} and nhead=${a.nhead}`);
}

/**
 * The start of an encoder / decoder layer's constructor: keeps the config, checks it, sets
 * normalize_before; returns the dropout rates, the weight / bias attributes of its `n`
 * sub-blocks and the activation.
 */
function initStackLayer(
  layer: { _config: Record<string, unknown>; normalize_before: boolean }, a: StackLayerArgs, api: string, n: number,
): { attnDropout: number; actDropout: number; wa: never[]; ba: never[]; activation: (x: Tensor) => Tensor } {
  layer._config = { ...a };
  checkStackArgs(api, a);
  const attnDropout = a.attn_dropout ?? a.dropout;
  const actDropout = a.act_dropout ?? a.dropout;
  layer.normalize_before = a.normalize_before;
  const wa = paramAttrList(a.weight_attr, n, api, 'weight_attr') as never[];
  const ba = paramAttrList(a.bias_attr, n, api, 'bias_attr') as never[];
  const activation = activationFn(a.activation, api);
  return { attnDropout, actDropout, wa, ba, activation };
}

/**
 * One residual block of an encoder / decoder layer: `x + dropout(block(x))`, with `norm` on the
 * block's input when normalizeBefore (pre-norm), on the sum otherwise (post-norm).
 */
function residualBlock(x: Tensor, normalizeBefore: boolean, norm: LayerNorm, dropout: Dropout, block: (x: Tensor) => Tensor): Tensor {
  let y = normalizeBefore ? norm(x) : x;
  y = c.add(x, dropout(block(y)));
  return normalizeBefore ? y : norm(y);
}

const encLayerForwardParams = [p('src', T.tensor), p('src_mask', maskTy, null), p('cache', T.any, null)] as const;
const parseEncLayerForward = makeParser(`${ENC_LAYER}.forward`, encLayerForwardParams);

/**
 * One Transformer encoder layer: self-attention then a feed-forward network
 * (linear1 - activation - dropout - linear2), each with dropout, a residual connection and
 * LayerNorm (applied before the block when normalize_before, after the residual otherwise).
 * `forward(src, src_mask=null, cache=null)` returns `[batch, src_len, d_model]` (with a cache,
 * later Paddle's incremental encoding: `[out, new_cache]`).
 * @param d_model features of the input and output
 * @param nhead number of attention heads
 * @param dim_feedforward hidden size of the feed-forward network
 * @param dropout dropout after each block (0.1)
 * @param activation name of a paddle.nn.functional activation ('relu')
 * @param attn_dropout dropout on the attention weights (default: dropout)
 * @param act_dropout dropout after the activation (default: dropout)
 * @param normalize_before pre-norm instead of post-norm (false)
 * @param weight_attr ParamAttr of the weights, or a list [attention's, feed-forward's]
 * @param bias_attr ParamAttr of the biases, or a list of two (false: none)
 * @example
 * const layer = new nn.TransformerEncoderLayer(128, 2, 512)
 * const out = layer(paddle.rand([2, 4, 128]), paddle.rand([2, 2, 4, 4]))   // [2, 4, 128]
 */
export class TransformerEncoderLayer extends Layer {
  declare _config: Record<string, unknown>;
  declare normalize_before: boolean;
  declare self_attn: MultiHeadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare activation: (x: Tensor) => Tensor;

  constructor(...args: CallArgs<typeof stackLayerParams>) {
    const a = parseEncLayer(args) as unknown as StackLayerArgs;
    super();
    const { attnDropout, actDropout, wa, ba, activation } = initStackLayer(this, a, ENC_LAYER, 2);
    this.self_attn = new MultiHeadAttention(a.d_model, a.nhead, { dropout: attnDropout, weight_attr: wa[0], bias_attr: ba[0] });
    this.linear1 = new Linear(a.d_model, a.dim_feedforward, wa[1], ba[1]);
    this.dropout = new Dropout(actDropout, { mode: 'upscale_in_train' });
    this.linear2 = new Linear(a.dim_feedforward, a.d_model, wa[1], ba[1]);
    this.norm1 = new LayerNorm(a.d_model);
    this.norm2 = new LayerNorm(a.d_model);
    this.dropout1 = new Dropout(a.dropout, { mode: 'upscale_in_train' });
    this.dropout2 = new Dropout(a.dropout, { mode: 'upscale_in_train' });
    this.activation = activation;
  }

  override forward(...args: CallArgs<typeof encLayerForwardParams>): any {
    const a = parseEncLayerForward(args) as { src: Tensor; src_mask: Tensor | null; cache: unknown };
    const srcMask = convertMask(a.src_mask, a.src.dtype);
    let incremental: KVCache | null = null;
    let src = residualBlock(a.src, this.normalize_before, this.norm1, this.dropout1, (x) => {
      if (a.cache === null) return this.self_attn(x, x, x, srcMask);
      let out: Tensor;
      [out, incremental] = this.self_attn(x, x, x, srcMask, a.cache) as [Tensor, KVCache];
      return out;
    });
    src = residualBlock(src, this.normalize_before, this.norm2, this.dropout2, (x) => this.linear2(this.dropout(this.activation(this.linear1(x)))));
    return a.cache === null ? src : [src, incremental];
  }

  /**
   * An empty incremental cache of the self-attention for `forward` with a cache (later Paddle):
   * `self_attn.gen_cache(src, type=Cache)`.
   * @param src `[batch_size, length, d_model]`, the batch-size and dtype reference
   */
  gen_cache(src: Tensor): KVCache {
    return this.self_attn.gen_cache(src, { type: Cache });
  }
}

const ENC = 'paddle.nn.TransformerEncoder';
const encParams = [p('encoder_layer', layerTy), p('num_layers', T.int), p('norm', T.nullable(layerTy), null)] as const;
const parseEnc = makeParser(ENC, encParams);
const encForwardParams = encLayerForwardParams; // the stack forwards what its layers take
const parseEncForward = makeParser(`${ENC}.forward`, encForwardParams);

/**
 * A stack of num_layers encoder layers: `encoder_layer` itself first, then new layers built
 * with its class and arguments (fresh parameters, as Paddle 2.0), then `norm` on the output if
 * given. `forward(src, src_mask=null, cache=null)` returns `[batch, src_len, d_model]` (with a
 * list of caches: `[out, new_caches]`).
 * @param encoder_layer a TransformerEncoderLayer
 * @param num_layers number of layers
 * @param norm a LayerNorm applied to the output (null: none)
 * @example
 * const encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(128, 2, 512), 2)
 * const out = encoder(paddle.rand([2, 4, 128]))   // [2, 4, 128]
 */
export class TransformerEncoder extends Layer {
  declare layers: LayerList<TransformerEncoderLayer>;
  declare num_layers: number;
  declare norm: Layer | null;

  constructor(...args: CallArgs<typeof encParams>) {
    super();
    const a = parseEnc(args) as { encoder_layer: TransformerEncoderLayer; num_layers: number; norm: Layer | null };
    this.layers = stackLayers(a.encoder_layer, a.num_layers, ENC, 'encoder_layer');
    this.num_layers = a.num_layers;
    this.norm = a.norm;
  }

  override forward(...args: CallArgs<typeof encForwardParams>): any {
    const a = parseEncForward(args) as { src: Tensor; src_mask: Tensor | null; cache: unknown };
    const srcMask = convertMask(a.src_mask, a.src.dtype);
    const cache = a.cache as unknown[] | null;
    if (cache !== null && (!Array.isArray(cache) || cache.length !== this.num_layers))
      fail(ENC, `cache must be a list of ${this.num_layers} caches (one per layer), but got ${describe(cache)}`);
    return runStack(this.layers, this.norm, a.src, cache, (mod, x, extra) => mod(x, { src_mask: srcMask, ...extra }));
  }

  /** One empty incremental cache per layer (later Paddle), for `forward` with a cache. */
  gen_cache(src: Tensor): KVCache[] {
    return [...this.layers].map((l) => l.gen_cache(src));
  }
}

// ---- decoder ----------------------------------------------------------------------------------

const decLayerForwardParams = [
  p('tgt', T.tensor),
  p('memory', T.tensor),
  p('tgt_mask', maskTy, null),
  p('memory_mask', maskTy, null),
  p('cache', T.any, null),
] as const;
const parseDecLayerForward = makeParser(`${DEC_LAYER}.forward`, decLayerForwardParams);

/**
 * One Transformer decoder layer: self-attention, cross-attention over the encoder output
 * (memory), then the feed-forward network; each block with dropout, residual and LayerNorm
 * (pre-norm when normalize_before). `forward(tgt, memory, tgt_mask=null, memory_mask=null,
 * cache=null)` returns `[batch, tgt_len, d_model]`; with `cache = [Cache, StaticCache]` (see
 * gen_cache) it decodes incrementally and returns `[out, [new_incremental_cache, static_cache]]`.
 * @param d_model features of the input and output
 * @param nhead number of attention heads
 * @param dim_feedforward hidden size of the feed-forward network
 * @param dropout dropout after each block (0.1)
 * @param activation name of a paddle.nn.functional activation ('relu')
 * @param attn_dropout dropout on the attention weights (default: dropout)
 * @param act_dropout dropout after the activation (default: dropout)
 * @param normalize_before pre-norm instead of post-norm (false)
 * @param weight_attr ParamAttr of the weights, or a list [self-attention's, cross-attention's, feed-forward's]
 * @param bias_attr ParamAttr of the biases, or a list of three (false: none)
 * @example
 * const layer = new nn.TransformerDecoderLayer(128, 2, 512)
 * const out = layer(paddle.rand([2, 4, 128]), paddle.rand([2, 6, 128]))   // [2, 4, 128]
 */
export class TransformerDecoderLayer extends Layer {
  declare _config: Record<string, unknown>;
  declare normalize_before: boolean;
  declare self_attn: MultiHeadAttention;
  declare cross_attn: MultiHeadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare norm3: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare dropout3: Dropout;
  declare activation: (x: Tensor) => Tensor;

  constructor(...args: CallArgs<typeof stackLayerParams>) {
    const a = parseDecLayer(args) as unknown as StackLayerArgs;
    super();
    const { attnDropout, actDropout, wa, ba, activation } = initStackLayer(this, a, DEC_LAYER, 3);
    this.self_attn = new MultiHeadAttention(a.d_model, a.nhead, { dropout: attnDropout, weight_attr: wa[0], bias_attr: ba[0] });
    this.cross_attn = new MultiHeadAttention(a.d_model, a.nhead, { dropout: attnDropout, weight_attr: wa[1], bias_attr: ba[1] });
    this.linear1 = new Linear(a.d_model, a.dim_feedforward, wa[2], ba[2]);
    this.dropout = new Dropout(actDropout, { mode: 'upscale_in_train' });
    this.linear2 = new Linear(a.dim_feedforward, a.d_model, wa[2], ba[2]);
    this.norm1 = new LayerNorm(a.d_model);
    this.norm2 = new LayerNorm(a.d_model);
    this.norm3 = new LayerNorm(a.d_model);
    this.dropout1 = new Dropout(a.dropout, { mode: 'upscale_in_train' });
    this.dropout2 = new Dropout(a.dropout, { mode: 'upscale_in_train' });
    this.dropout3 = new Dropout(a.dropout, { mode: 'upscale_in_train' });
    this.activation = activation;
  }

  override forward(...args: CallArgs<typeof decLayerForwardParams>): any {
    const a = parseDecLayerForward(args) as { tgt: Tensor; memory: Tensor; tgt_mask: Tensor | null; memory_mask: Tensor | null; cache: unknown };
    const cache = a.cache as readonly unknown[] | null;
    if (cache !== null && (!Array.isArray(cache) || cache.length !== 2 || !(cache[0] instanceof Cache) || !(cache[1] instanceof StaticCache)))
      fail(DEC_LAYER, `cache must be a pair [MultiHeadAttention.Cache, MultiHeadAttention.StaticCache] (see gen_cache), but got ${describe(cache)}`);
    const tgtMask = convertMask(a.tgt_mask, a.tgt.dtype);
    const memoryMask = convertMask(a.memory_mask, a.memory.dtype);
    const memory = a.memory;
    let incremental: unknown = null;
    let staticCache: unknown = null;
    let tgt = residualBlock(a.tgt, this.normalize_before, this.norm1, this.dropout1, (x) => {
      if (cache === null) return this.self_attn(x, x, x, tgtMask, null);
      let out: Tensor;
      [out, incremental] = this.self_attn(x, x, x, tgtMask, cache[0]) as [Tensor, KVCache];
      return out;
    });
    tgt = residualBlock(tgt, this.normalize_before, this.norm2, this.dropout2, (x) => {
      if (cache === null) return this.cross_attn(x, memory, memory, memoryMask, null);
      let out: Tensor;
      [out, staticCache] = this.cross_attn(x, memory, memory, memoryMask, cache[1]) as [Tensor, KVCache];
      return out;
    });
    tgt = residualBlock(tgt, this.normalize_before, this.norm3, this.dropout3, (x) => this.linear2(this.dropout(this.activation(this.linear1(x)))));
    return cache === null ? tgt : [tgt, [incremental, staticCache]];
  }

  /**
   * The cache for incremental decoding: `[incremental_cache, static_cache]`, an empty
   * `self_attn.gen_cache(memory, type=Cache)` and `cross_attn.gen_cache(memory, memory,
   * type=StaticCache)` (keys/values of the memory, `[batch, nhead, src_len, d_model/nhead]`).
   * @param memory the encoder output `[batch_size, src_len, d_model]`
   */
  gen_cache(memory: Tensor): [KVCache, KVCache] {
    const incremental = this.self_attn.gen_cache(memory, { type: Cache });
    const staticCache = this.cross_attn.gen_cache(memory, memory, { type: StaticCache });
    return [incremental, staticCache];
  }
}

const DEC = 'paddle.nn.TransformerDecoder';
const decParams = [p('decoder_layer', layerTy), p('num_layers', T.int), p('norm', T.nullable(layerTy), null)] as const;
const parseDec = makeParser(DEC, decParams);
const decForwardParams = decLayerForwardParams; // the stack forwards what its layers take
const parseDecForward = makeParser(`${DEC}.forward`, decForwardParams);
const decGenCacheParams = [p('memory', T.tensor), p('do_zip', T.bool, false)] as const;
const parseDecGenCache = makeParser(`${DEC}.gen_cache`, decGenCacheParams);

/**
 * A stack of num_layers decoder layers (decoder_layer first, then new layers with its class
 * and arguments and fresh parameters, as Paddle 2.0), then `norm` if given.
 * `forward(tgt, memory, tgt_mask=null, memory_mask=null, cache=null)` returns
 * `[batch, tgt_len, d_model]`, or `[out, new_caches]` with a cache list from gen_cache.
 * @param decoder_layer a TransformerDecoderLayer
 * @param num_layers number of layers
 * @param norm a LayerNorm applied to the output (null: none)
 * @example
 * const decoder = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(128, 2, 512), 2)
 * const out = decoder(paddle.rand([2, 4, 128]), paddle.rand([2, 6, 128]))   // [2, 4, 128]
 */
export class TransformerDecoder extends Layer {
  declare layers: LayerList<TransformerDecoderLayer>;
  declare num_layers: number;
  declare norm: Layer | null;

  constructor(...args: CallArgs<typeof decParams>) {
    super();
    const a = parseDec(args) as { decoder_layer: TransformerDecoderLayer; num_layers: number; norm: Layer | null };
    this.layers = stackLayers(a.decoder_layer, a.num_layers, DEC, 'decoder_layer');
    this.num_layers = a.num_layers;
    this.norm = a.norm;
  }

  override forward(...args: CallArgs<typeof decForwardParams>): any {
    const a = parseDecForward(args) as { tgt: Tensor; memory: Tensor; tgt_mask: Tensor | null; memory_mask: Tensor | null; cache: unknown };
    const tgtMask = convertMask(a.tgt_mask, a.tgt.dtype);
    const memoryMask = convertMask(a.memory_mask, a.memory.dtype);
    const cache = a.cache as unknown[] | null;
    if (cache !== null && (!Array.isArray(cache) || cache.length !== this.num_layers))
      fail(DEC, `cache must be a list of ${this.num_layers} per-layer caches (see gen_cache), but got ${describe(cache)}`);
    return runStack(this.layers, this.norm, a.tgt, cache, (mod, x, extra) =>
      mod(x, a.memory, { tgt_mask: tgtMask, memory_mask: memoryMask, cache: null, ...extra }));
  }

  /**
   * One `[incremental_cache, static_cache]` per layer (TransformerDecoderLayer.gen_cache); with
   * do_zip, zipped into `[[incremental caches...], [static caches...]]`.
   * @param memory the encoder output `[batch_size, src_len, d_model]`
   * @param do_zip zip the pairs (false)
   */
  gen_cache(...args: CallArgs<typeof decGenCacheParams>): any[] {
    const a = parseDecGenCache(args) as { memory: Tensor; do_zip: boolean };
    const cache = [...this.layers].map((l) => l.gen_cache(a.memory));
    if (!a.do_zip) return cache;
    return cache.length === 0 ? [] : [cache.map((x) => x[0]), cache.map((x) => x[1])];
  }
}

// ---- Transformer ------------------------------------------------------------------------------

const TRANSFORMER = 'paddle.nn.Transformer';
const transformerParams = [
  p('d_model', T.int, 512),
  p('nhead', T.int, 8),
  p('num_encoder_layers', T.int, 6),
  p('num_decoder_layers', T.int, 6),
  p('dim_feedforward', T.int, 2048),
  p('dropout', T.float, 0.1),
  p('activation', T.str, 'relu'),
  p('attn_dropout', T.nullable(T.float), null),
  p('act_dropout', T.nullable(T.float), null),
  p('normalize_before', T.bool, false),
  p('weight_attr', attrOrList, null),
  p('bias_attr', attrOrList, null),
  p('custom_encoder', T.nullable(layerTy), null),
  p('custom_decoder', T.nullable(layerTy), null),
] as const;
const parseTransformer = makeParser(TRANSFORMER, transformerParams);
const transformerForwardParams = [
  p('src', T.tensor),
  p('tgt', T.tensor),
  p('src_mask', maskTy, null),
  p('tgt_mask', maskTy, null),
  p('memory_mask', maskTy, null),
] as const;
const parseTransformerForward = makeParser(`${TRANSFORMER}.forward`, transformerForwardParams);
const maskLenParams = [p('length', T.union(T.int, T.tensor))] as const;
const parseMaskLen = makeParser(`${TRANSFORMER}.generate_square_subsequent_mask`, maskLenParams);

/** Transformer's split of a list weight_attr / bias_attr into the encoder's (2) and decoder's (3). */
function splitAttr(attr: unknown, arg: string): [unknown, unknown] {
  if (!Array.isArray(attr)) return [attr, attr];
  if (attr.length === 1) return [[attr[0], attr[0]], [attr[0], attr[0], attr[0]]];
  if (attr.length === 2) return [attr, [attr[0], attr[0], attr[1]]];
  if (attr.length === 3) return [[attr[0], attr[2]], attr];
  return fail(TRANSFORMER, `length of ${arg} should be 1 or 2 or 3 when it is a list/tuple, but got ${attr.length}`);
}

/**
 * An encoder-decoder Transformer (no embeddings or output projection): a TransformerEncoder of
 * num_encoder_layers layers with a final LayerNorm and a TransformerDecoder of
 * num_decoder_layers layers with a final LayerNorm, unless custom_encoder / custom_decoder are
 * given. `forward(src, tgt, src_mask=null, tgt_mask=null, memory_mask=null)` returns the
 * decoder output `[batch, tgt_len, d_model]`.
 * @param d_model features of inputs and outputs (512)
 * @param nhead attention heads (8)
 * @param num_encoder_layers encoder layers (6)
 * @param num_decoder_layers decoder layers (6)
 * @param dim_feedforward feed-forward hidden size (2048)
 * @param dropout dropout after each block (0.1)
 * @param activation feed-forward activation ('relu')
 * @param attn_dropout attention-weight dropout (default: dropout)
 * @param act_dropout dropout after the activation (default: dropout)
 * @param normalize_before pre-norm (false)
 * @param weight_attr ParamAttr, or a list of 1, 2 or 3 (self-attention, cross-attention, feed-forward)
 * @param bias_attr likewise for the biases
 * @param custom_encoder a Layer used as the encoder
 * @param custom_decoder a Layer used as the decoder
 * @example
 * const model = new nn.Transformer(128, 2, 4, 4, 512)
 * const out = model(paddle.rand([2, 4, 128]), paddle.rand([2, 6, 128]))   // [2, 6, 128]
 */
export class Transformer extends Layer {
  declare encoder: Layer;
  declare decoder: Layer;
  declare d_model: number;
  declare nhead: number;

  constructor(...args: CallArgs<typeof transformerParams>) {
    super();
    const a = parseTransformer(args) as unknown as StackLayerArgs & {
      num_encoder_layers: number; num_decoder_layers: number; custom_encoder: Layer | null; custom_decoder: Layer | null;
    };
    const [encBias, decBias] = splitAttr(a.bias_attr, 'bias_attr');
    const [encWeight, decWeight] = splitAttr(a.weight_attr, 'weight_attr');
    const layerArgs = (w: unknown, b: unknown) =>
      [a.d_model, a.nhead, a.dim_feedforward, a.dropout, a.activation, a.attn_dropout, a.act_dropout, a.normalize_before, w, b] as const;
    if (a.custom_encoder !== null) this.encoder = a.custom_encoder;
    else {
      const layer = new TransformerEncoderLayer(...(layerArgs(encWeight, encBias) as unknown as CallArgs<typeof stackLayerParams>));
      this.encoder = new TransformerEncoder(layer, a.num_encoder_layers, new LayerNorm(a.d_model));
    }
    if (a.custom_decoder !== null) this.decoder = a.custom_decoder;
    else {
      const layer = new TransformerDecoderLayer(...(layerArgs(decWeight, decBias) as unknown as CallArgs<typeof stackLayerParams>));
      this.decoder = new TransformerDecoder(layer, a.num_decoder_layers, new LayerNorm(a.d_model));
    }
    this.d_model = a.d_model;
    this.nhead = a.nhead;
  }

  override forward(...args: CallArgs<typeof transformerForwardParams>): Tensor {
    const a = parseTransformerForward(args) as { src: Tensor; tgt: Tensor; src_mask: Tensor | null; tgt_mask: Tensor | null; memory_mask: Tensor | null };
    const srcMask = convertMask(a.src_mask, a.src.dtype);
    const memory = this.encoder(a.src, { src_mask: srcMask }) as Tensor;
    const tgtMask = convertMask(a.tgt_mask, a.tgt.dtype);
    const memoryMask = convertMask(a.memory_mask, memory.dtype);
    return this.decoder(a.tgt, memory, { tgt_mask: tgtMask, memory_mask: memoryMask }) as Tensor;
  }

  /**
   * The causal mask `[length, length]` of the default dtype: 0 on and below the diagonal,
   * -inf above it (position i may attend to positions <= i).
   * @param length the sequence length (an int or a one-element Tensor)
   * @example model.generate_square_subsequent_mask(3)   // [[0, -inf, -inf], [0, 0, -inf], [0, 0, 0]]
   */
  generate_square_subsequent_mask(...args: CallArgs<typeof maskLenParams>): Tensor {
    const api = `${TRANSFORMER}.generate_square_subsequent_mask`;
    const a = parseMaskLen(args) as { length: number | Tensor };
    let n = a.length;
    if (n instanceof Tensor) {
      if (n.size !== 1) fail(api, `length must be an int or a one-element Tensor, but got shape ${showShape(n.dims)}`);
      n = Number(n.item());
    }
    if (!Number.isInteger(n) || n < 0) fail(api, `length must be a non-negative integer, but got ${n}`);
    return triu(c.scale(ones([n, n], getDefaultDType()), -Infinity), 1);
  }
}

/** @internal Later Paddle's `_convert_attention_mask` (bool / int masks to additive float masks). */
export { convertMask as _convert_attention_mask };
