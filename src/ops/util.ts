// Helpers shared by operator definitions: building definitions tersely, common shape
// inference, and errors that name the API being called (or the operator).
import { apiName } from '../core/args.js';
import { DType, isComplex, isFloating, parseDType } from '../core/dtype.js';
import { fail } from '../core/errors.js';
import { AttrSpec, OpDef, registerOp, SlotSpec, Slots } from '../core/registry.js';
import { broadcastShapes, showShape } from '../core/shape.js';
import type { Meta } from '../core/tensor.js';

/** Fails with the running API's name (or the operator type) in front. */
export function opFail(op: string, msg: string): never {
  const api = apiName('');
  return fail(api ? `${api}` : op, api ? `${msg} (operator ${op})` : msg);
}

/** A slot written as 'X', 'X[]' (duplicable), 'X?' (dispensable), 'Label!' (no gradient), combinable: 'X[]?!'. */
function slot(s: string): SlotSpec {
  const m = /^([A-Za-z0-9_@]+)(\[\])?(\?)?(!)?$/.exec(s);
  if (!m) throw new Error(`bad slot spec '${s}'`);
  return { name: m[1], duplicable: !!m[2], dispensable: !!m[3], noGrad: !!m[4] };
}

export type OpSpec = Omit<OpDef, 'inputs' | 'outputs' | 'attrs'> & {
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, AttrSpec>;
};

/** Registers an operator from a compact spec (slots as strings, see `slot`). */
export function defineOp(spec: OpSpec): OpDef {
  return registerOp({
    ...spec,
    inputs: spec.inputs.map(slot),
    outputs: spec.outputs.map(slot),
    attrs: spec.attrs ?? {},
  });
}

// Attribute spec shorthands.
export const int = (d?: number): AttrSpec => ({ type: 'int', default: d });
export const float = (d?: number): AttrSpec => ({ type: 'float', default: d });
export const bool = (d?: boolean): AttrSpec => ({ type: 'bool', default: d });
export const str = (d?: string): AttrSpec => ({ type: 'string', default: d });
export const ints = (d?: number[]): AttrSpec => ({ type: 'ints', default: d });
export const strs = (d?: string[]): AttrSpec => ({ type: 'strings', default: d });
export const floats = (d?: number[]): AttrSpec => ({ type: 'floats', default: d });
export const long = (d?: number): AttrSpec => ({ type: 'long', default: d });

/** The single input of a slot, which must be present. */
export function one(ins: Slots<Meta>, slotName: string, op: string): Meta {
  const m = ins[slotName]?.[0];
  if (!m) opFail(op, `input ${slotName} is missing`);
  return m;
}
/** `{ Out: [meta] }`. */
export function out(dims: number[], dtype: DType, slotName = 'Out'): Slots<Meta> {
  return { [slotName]: [{ dims, dtype }] };
}
export function meta(dims: number[], dtype: DType): Meta {
  return { dims, dtype };
}

/** Infers Out as X's shape and dtype (unary operators). */
export function sameAsX(ins: Slots<Meta>, _attrs: unknown, op = 'unary'): Slots<Meta> {
  const x = one(ins, 'X', op);
  return out(x.dims.slice(), x.dtype);
}

export function requireFloat(m: Meta, op: string, what = 'X'): void {
  if (!isFloating(m.dtype) && !isComplex(m.dtype)) opFail(op, `input ${what} must be a float tensor (float16, float32 or float64), but got ${m.dtype}`);
}
export function requireDtypes(m: Meta, allowed: readonly DType[], op: string, what = 'X'): void {
  if (!allowed.includes(m.dtype)) opFail(op, `input ${what} must have dtype ${allowed.join(', ')}, but got ${m.dtype}`);
}

/**
 * Y's shape aligned to X's for Paddle's `elementwise_*(x, y, axis)`: with axis -1 NumPy's
 * right-aligned rule; otherwise Y's dims sit at X's dims starting from `axis`.
 */
export function alignY(xDims: readonly number[], yDims: readonly number[], axis: number, op: string): number[] {
  if (axis === -1 || yDims.length >= xDims.length) return yDims.slice();
  if (axis < 0 || axis + yDims.length > xDims.length)
    opFail(op, `attribute axis=${axis} does not fit Y of shape ${showShape(yDims)} into X of shape ${showShape(xDims)}`);
  const dims = new Array<number>(xDims.length).fill(1);
  for (let i = 0; i < yDims.length; i++) dims[axis + i] = yDims[i];
  return dims;
}

/** Output shape of an elementwise binary operator. */
export function broadcastXY(x: Meta, y: Meta, axis: number, op: string): number[] {
  return broadcastShapes(x.dims, alignY(x.dims, y.dims, axis, op), apiName(op));
}

/** Reads a dtype attribute given as a framework.proto number or a name (-1 means none). */
export function dtypeAttr(v: unknown, op: string, name = 'dtype'): DType | undefined {
  if (v === -1 || v === undefined || v === null) return undefined;
  const d = parseDType(v);
  if (!d) opFail(op, `attribute ${name}=${String(v)} is not a dtype`);
  return d;
}
