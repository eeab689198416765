// Short calls of operators by type, for gradient rules and API code. Each is one dispatch:
// in dygraph it computes (recording when needed), in static mode it appends an operator.
import { DType, PROTO_DTYPE } from '../core/dtype.js';
import { dispatch, run1 } from '../core/dispatch.js';
import { sameShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';

type V = Tensor;

export const add = (x: V, y: V, axis = -1): V => run1('elementwise_add', { X: [x], Y: [y] }, { axis });
export const sub = (x: V, y: V, axis = -1): V => run1('elementwise_sub', { X: [x], Y: [y] }, { axis });
export const mul = (x: V, y: V, axis = -1): V => run1('elementwise_mul', { X: [x], Y: [y] }, { axis });
export const div = (x: V, y: V, axis = -1): V => run1('elementwise_div', { X: [x], Y: [y] }, { axis });
export const pow = (x: V, y: V, axis = -1): V => run1('elementwise_pow', { X: [x], Y: [y] }, { axis });
export const scale = (x: V, s: number, bias = 0, biasAfterScale = true): V =>
  run1('scale', { X: [x] }, { scale: s, bias, bias_after_scale: biasAfterScale });
export const neg = (x: V): V => scale(x, -1);
export const unary = (type: string, x: V, attrs: Record<string, unknown> = {}): V => run1(type, { X: [x] }, attrs);
export const exp = (x: V): V => unary('exp', x);
export const log = (x: V): V => unary('log', x);
export const sqrt = (x: V): V => unary('sqrt', x);
export const square = (x: V): V => unary('square', x);
export const sign = (x: V): V => unary('sign', x);
export const cast = (x: V, dtype: DType): V =>
  x.dtype === dtype ? x : run1('cast', { X: [x] }, { in_dtype: PROTO_DTYPE[x.dtype], out_dtype: PROTO_DTYPE[dtype] });
export const compare = (type: string, x: V, y: V, axis = -1): V => run1(type, { X: [x], Y: [y] }, { axis });
/** A float mask (1 where `type` holds), in x's dtype. */
export const maskOf = (type: string, x: V, y: V, dtype: DType, axis = -1): V => cast(compare(type, x, y, axis), dtype);

export const reshape = (x: V, dims: number[]): V =>
  sameShape(x.dims, dims) ? x : run1('reshape2', { X: [x] }, { shape: dims });
export const transpose = (x: V, perm: number[]): V => run1('transpose2', { X: [x] }, { axis: perm });
export const sum = (x: V, axes: number[], keepdim = false): V =>
  run1('reduce_sum', { X: [x] }, { dim: axes, keep_dim: keepdim, reduce_all: false });
export const sumAll = (x: V): V => run1('reduce_sum', { X: [x] }, { dim: [0], keep_dim: false, reduce_all: true });
export const matmul = (x: V, y: V, transX = false, transY = false): V =>
  run1('matmul_v2', { X: [x], Y: [y] }, { trans_x: transX, trans_y: transY });
export const expand = (x: V, dims: number[]): V => (sameShape(x.dims, dims) ? x : run1('expand_v2', { X: [x] }, { shape: dims }));
export const zerosLike = (x: V): V => run1('fill_any_like', { X: [x] }, { value: 0, dtype: -1 });
export const fullLike = (x: V, value: number): V => run1('fill_any_like', { X: [x] }, { value, dtype: -1 });

/**
 * Sums a broadcast gradient back to an input's shape: over the leading dims it lacks and the
 * dims where `aligned` (its shape aligned to the output, see alignY) is 1, then reshapes to
 * `dims`.
 */
export function sumTo(g: V, aligned: readonly number[], dims: number[]): V {
  const lead = g.dims.length - aligned.length;
  const axes: number[] = [];
  for (let i = 0; i < g.dims.length; i++) {
    if (i < lead) axes.push(i);
    else if (aligned[i - lead] === 1 && g.dims[i] !== 1) axes.push(i);
  }
  const s = axes.length ? sum(g, axes, true) : g;
  return reshape(s, dims);
}

export { dispatch, run1 };
