// Broadcasting copies: expand_v2 (to a shape; -1 keeps a dim), expand_as_v2 (to
// target_shape, the shape of another tensor) and tile (repeat counts per dim). Gradients sum
// the copies back.
import type { Attrs, GradContext, Slots } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { knownIntList, knownInts } from './reshape.js';
import { defineOp, ints, meta, one, opFail } from './util.js';

const MAX_RANK = 6;

/** expand's output dims: `shape` right-aligned against x; -1 keeps x's dim; size-1 dims grow. */
export function expandDims(xDims: readonly number[], shape: readonly number[], op: string, what = 'shape'): number[] {
  if (shape.length < xDims.length)
    opFail(op, `${what} ${showShape(shape)} has fewer entries than X has dims (shape ${showShape(xDims)})`);
  if (shape.length > MAX_RANK) opFail(op, `${what} ${showShape(shape)} has more than ${MAX_RANK} entries`);
  const lead = shape.length - xDims.length;
  const out = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i];
    if (i < lead) {
      if (s === -1) opFail(op, `${what} ${showShape(shape)}: -1 can only keep an existing dim of X, not a new leading one (entry ${i})`);
      if (!(s > 0)) opFail(op, `every entry of ${what} must be positive or -1, but got ${showShape(shape)}`);
      out[i] = s;
      continue;
    }
    const d = xDims[i - lead];
    if (s === -1) out[i] = d;
    else if (!(s > 0)) opFail(op, `every entry of ${what} must be positive or -1, but got ${showShape(shape)}`);
    else if (d === s || d === 1 || d < 0) out[i] = s;
    else opFail(op, `cannot expand X of shape ${showShape(xDims)} to ${showShape(shape)}: dim ${i - lead} has size ${d}, which is neither 1 nor ${s}`);
  }
  return out;
}

/** Gradient of a broadcast of x to dOut's shape: sum over the grown dims, back in x's shape. */
function expandGrad(ctx: GradContext): { X: (Tensor | null)[] } {
  if (!ctx.needs('X')) return { X: [null] };
  const x = ctx.input('X');
  return { X: [c.sumTo(ctx.outGrad('Out'), x.dims, x.dims.slice())] };
}

/** Values of an int-list op argument: the whole-list tensor, then the per-entry list, then the attribute. */
function listArg(ins: Slots<Meta>, attrs: Attrs, tensorSlot: string, listSlot: string, attr: string, op: string): number[] | undefined {
  const t = ins[tensorSlot]?.[0];
  if (t) return knownInts(t, op, tensorSlot);
  if (ins[listSlot]?.length) return knownIntList(ins[listSlot], op, listSlot);
  return attrs[attr];
}

defineOp({
  type: 'expand_v2',
  inputs: ['X', 'Shape?!', 'expand_shapes_tensor[]?!'],
  outputs: ['Out'],
  attrs: { shape: ints([]) },
  infer(ins, attrs) {
    const op = 'expand_v2';
    const x = one(ins, 'X', op);
    let shape = listArg(ins, attrs, 'Shape', 'expand_shapes_tensor', 'shape', op);
    if (!shape) {
      const n = ins.Shape?.[0] ? ins.Shape[0].dims[0] : ins.expand_shapes_tensor.length;
      return { Out: [meta(new Array(Math.max(n, x.dims.length)).fill(-1), x.dtype)] };
    }
    if (shape.length === 0) shape = new Array(x.dims.length).fill(-1);
    return { Out: [meta(expandDims(x.dims, shape, op), x.dtype)] };
  },
  grad: expandGrad,
});

defineOp({
  type: 'expand_as_v2',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { target_shape: ints([]) },
  infer(ins, attrs) {
    const op = 'expand_as_v2';
    const x = one(ins, 'X', op);
    const target = attrs.target_shape as number[];
    if (target.length === 0) opFail(op, 'attribute target_shape must not be empty');
    if (target.some((s) => s === 0 || s < -1)) opFail(op, `target_shape ${showShape(target)} must have positive entries`);
    return { Out: [meta(expandDims(x.dims, target, op, 'target_shape'), x.dtype)] };
  },
  grad: expandGrad,
});

/** tile's output dims and the x dims / repeat counts padded to the same rank. */
export function tileDims(xDims: readonly number[], repeats: readonly number[], op: string): { out: number[]; xs: number[]; reps: number[] } {
  const r = Math.max(xDims.length, repeats.length);
  if (r > MAX_RANK) opFail(op, `repeat_times [${repeats.join(', ')}] with X of shape ${showShape(xDims)} gives more than ${MAX_RANK} dims`);
  for (const v of repeats) if (!(v > 0) || !Number.isInteger(v)) opFail(op, `every entry of repeat_times must be a positive integer, but got [${repeats.join(', ')}]`);
  const xs = [...new Array<number>(r - xDims.length).fill(1), ...xDims];
  const reps = [...new Array<number>(r - repeats.length).fill(1), ...repeats];
  return { out: xs.map((d, i) => (d < 0 ? -1 : d * reps[i])), xs, reps };
}

defineOp({
  type: 'tile',
  inputs: ['X', 'RepeatTimes?!', 'repeat_times_tensor[]?!'],
  outputs: ['Out'],
  attrs: { repeat_times: ints([]) },
  infer(ins, attrs) {
    const op = 'tile';
    const x = one(ins, 'X', op);
    const reps = listArg(ins, attrs, 'RepeatTimes', 'repeat_times_tensor', 'repeat_times', op);
    if (!reps) {
      const n = ins.RepeatTimes?.[0] ? ins.RepeatTimes[0].dims[0] : ins.repeat_times_tensor.length;
      return { Out: [meta(new Array(Math.max(n, x.dims.length)).fill(-1), x.dtype)] };
    }
    if (reps.length === 0) opFail(op, 'repeat_times must not be empty');
    return { Out: [meta(tileDims(x.dims, reps, op).out, x.dtype)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return { X: [null] };
    const x = ctx.input('X');
    const g = ctx.outGrad('Out');
    // out dim i is reps[i] copies of x dim i: view dOut as [r0, x0, r1, x1, ...], sum the r's.
    // The counts come from the attribute or inputs (known even where static dims are -1).
    const r = g.dims.length;
    const xs = [...new Array<number>(r - x.dims.length).fill(1), ...x.dims];
    const given = listArg(
      { RepeatTimes: ctx.has('RepeatTimes') ? [ctx.input('RepeatTimes')] : [], repeat_times_tensor: ctx.inputs('repeat_times_tensor') },
      ctx.attrs, 'RepeatTimes', 'repeat_times_tensor', 'repeat_times', 'tile',
    );
    const reps = given && given.length ? [...new Array<number>(r - given.length).fill(1), ...given] : undefined;
    const split: number[] = [];
    const axes: number[] = [];
    for (let i = 0; i < r; i++) {
      const rep = reps && reps[i] > 0 ? reps[i] : xs[i] > 0 && g.dims[i] >= 0 ? g.dims[i] / xs[i] : 1;
      if (rep !== 1) axes.push(split.length);
      split.push(rep, xs[i]);
    }
    if (axes.length === 0) return { X: [c.reshape(g, x.dims.slice())] };
    return { X: [c.reshape(c.sum(c.reshape(g, split), axes), x.dims.slice())] };
  },
});
