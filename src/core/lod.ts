// How level-of-detail (LoD) information flows through operators that do not compute it
// themselves: Paddle's InferShape calls `ctx->ShareLoD("X", "Out")` in most operators (unary,
// elementwise, activation, mul/fc, lookup_table...). Here an OpDef may list its pairs in
// `shareLod`; without it the default rule applies (the first input carrying a LoD shares it with
// every output of the same first dimension). Run time: after a kernel, on outputs it left without
// LoD (dygraph and the Executor both go through runOp). Static mode: the output Variables'
// lod_level, when `infer` did not set one.
import type { OpDef, Slots } from './registry.js';
import type { Meta, Tensor } from './tensor.js';

/** The LoD levels as plain arrays (a fluid.LoDTensor's `lod` is a callable view). */
function plainLod(t: Tensor): number[][] {
  const lod = t.lod;
  return Array.isArray(lod) ? lod : Array.from(lod as ArrayLike<number[]>, (l) => Array.from(l));
}

function isInput(ins: Slots<Tensor>, t: Tensor): boolean {
  for (const k in ins) if (ins[k]?.includes(t)) return true;
  return false;
}

/** Gives outputs without LoD the LoD their operator shares with them (after its kernel ran). */
export function shareLoD(def: OpDef, ins: Slots<Tensor>, outs: Slots<Tensor>): void {
  const pairs = def.shareLod;
  if (pairs) {
    for (const [i, o] of pairs) {
      const src = ins[i]?.[0];
      if (!src || !src.lod.length) continue;
      for (const t of outs[o] ?? []) if (t && t !== src && !t.lod.length && !isInput(ins, t)) t.lod = plainLod(src);
    }
    return;
  }
  let src: Tensor | undefined;
  for (const s of def.inputs) {
    const arr = ins[s.name];
    if (!arr) continue;
    for (const t of arr) if (t && t.lod.length) { src = t; break; }
    if (src) break;
  }
  if (!src || !src.dims.length) return;
  const rows = src.dims[0];
  let lod: number[][] | undefined;
  for (const k in outs)
    for (const t of outs[k] ?? [])
      if (t && t !== src && !t.lod.length && t.dims.length && t.dims[0] === rows && !isInput(ins, t)) t.lod = lod ??= plainLod(src);
}

/** The LoD level of a meta: a Variable's lod_level, a tensor's number of LoD levels. */
export function lodLevelOf(m: Meta | undefined): number {
  if (!m) return 0;
  if (typeof m.lod_level === 'number') return m.lod_level;
  const lod = (m as Partial<Tensor>).lod;
  return lod ? lod.length : 0;
}

/** Static mode: the lod_level of output `slot` (meta `out`) of an operator appended with inputs `ins`. */
export function outputLodLevel(def: OpDef, ins: Slots<Meta>, slot: string, out: Meta): number {
  if (typeof out.lod_level === 'number') return out.lod_level;
  const pairs = def.shareLod;
  if (pairs) {
    for (const [i, o] of pairs) if (o === slot && ins[i]?.[0]) return lodLevelOf(ins[i][0]);
    return 0;
  }
  for (const s of def.inputs) {
    for (const m of ins[s.name] ?? []) {
      const l = lodLevelOf(m);
      if (l > 0) return m.dims.length && out.dims.length && m.dims[0] === out.dims[0] ? l : 0;
    }
  }
  return 0;
}
