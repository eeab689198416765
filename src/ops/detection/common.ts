// Shape-inference helpers shared by the detection operator definitions (src/ops/detection/*).
import type { DType } from '../../core/dtype.js';
import type { Slots } from '../../core/registry.js';
import { showShape } from '../../core/shape.js';
import type { Meta } from '../../core/tensor.js';
import { lodLevelOf } from '../../core/lod.js';
import { one, opFail } from '../util.js';

export const F32_64: readonly DType[] = ['float32', 'float64'];
export const INT32: readonly DType[] = ['int32'];

/** The input's meta, checking its dtype. */
export function input(ins: Slots<Meta>, slot: string, op: string, dtypes?: readonly DType[]): Meta {
  const m = one(ins, slot, op);
  if (dtypes && !dtypes.includes(m.dtype)) opFail(op, `input ${slot} must have dtype ${dtypes.join(' or ')}, but got ${m.dtype}`);
  return m;
}

/** Fails unless `m` has rank `r`. */
export function rank(m: Meta, r: number, op: string, slot: string, what = ''): void {
  if (m.dims.length !== r) opFail(op, `input ${slot} must be a ${r}-D tensor${what ? ` ${what}` : ''}, but got shape ${showShape(m.dims)}`);
}

/** Fails when dim `i` of `m` is known and differs from `v`. */
export function dimIs(m: Meta, i: number, v: number, op: string, slot: string, what = ''): void {
  const d = m.dims[i < 0 ? m.dims.length + i : i];
  if (d >= 0 && d !== v) opFail(op, `input ${slot} must have ${v} in dimension ${i}${what ? ` (${what})` : ''}, but got shape ${showShape(m.dims)}`);
}

/** Fails when two known dims differ. */
export function sameDim(a: number, b: number, op: string, msg: string): void {
  if (a >= 0 && b >= 0 && a !== b) opFail(op, msg);
}

/** A product of dims that stays -1 when one is unknown. */
export function mulDims(...ds: number[]): number {
  let p = 1;
  for (const d of ds) {
    if (d < 0) return -1;
    p *= d;
  }
  return p;
}

/** A meta with a LoD level (static mode). */
export function lodMeta(dims: number[], dtype: DType, lod_level: number): Meta {
  return { dims, dtype, lod_level };
}

/** max(lod_level(input), 1): the LoD level of outputs that carry one offset list per image. */
export function atLeast1(m: Meta | undefined): number {
  return Math.max(lodLevelOf(m), 1);
}

/** Fails unless the attribute is a finite number > 0 (or >= 0 when `orZero`). */
export function positiveAttr(v: number, op: string, name: string, orZero = false): void {
  if (!(orZero ? v >= 0 : v > 0)) opFail(op, `attribute ${name} must be ${orZero ? 'non-negative' : 'greater than 0'}, but got ${v}`);
}
