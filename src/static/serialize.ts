// Program <-> framework.proto ProgramDesc bytes (`.pdmodel`, `__model__`).
import { DType, PROTO_DTYPE } from '../core/dtype.js';
import { fail, InvalidArgumentError } from '../core/errors.js';
import { getOp, hasOp } from '../core/registry.js';
import { Block, Operator, Parameter, Program, VarKind, Variable } from './framework.js';
import { AttrDesc, AttrTypeEnum, ProgramDescMsg, ProgramDescObj, VarDescMsg, VarTypeEnum } from './proto.js';

/** The Paddle version written into saved programs (major*1e6 + minor*1e3 + patch). */
export const PROGRAM_VERSION = 2000000;

const DTYPE_OF = new Map<number, DType>(Object.entries(PROTO_DTYPE).map(([k, v]) => [v, k as DType]));
const KIND_NAMES = Object.fromEntries(Object.entries(VarTypeEnum).map(([k, v]) => [v, k]));

// ------------------------------------------------------------------------ decode

function attrValue(a: AttrDesc, blocks: Block[]): unknown {
  const T = AttrTypeEnum;
  switch (a.type) {
    case T.INT: return a.i ?? 0;
    case T.FLOAT: return a.f ?? 0;
    case T.STRING: return a.s ?? '';
    case T.INTS: return a.ints ?? [];
    case T.FLOATS: return a.floats ?? [];
    case T.STRINGS: return a.strings ?? [];
    case T.BOOLEAN: return a.b ?? false;
    case T.BOOLEANS: return a.bools ?? [];
    case T.BLOCK: return blocks[a.block_idx ?? 0];
    case T.LONG: return a.l ?? 0;
    case T.BLOCKS: return (a.blocks_idx ?? []).map((i) => blocks[i]);
    case T.LONGS: return a.longs ?? [];
    case T.FLOAT64S: return a.float64s ?? [];
    case T.FLOAT64: return a.float64 ?? 0;
    case T.VAR: return a.var_name ?? '';
    case T.VARS: return a.vars_name ?? [];
    default: return fail('paddle.static.deserialize_program', `attribute '${a.name}' has unknown type ${a.type}`, InvalidArgumentError);
  }
}

function addVar(block: Block, vd: VarDescMsg): void {
  const kind = (KIND_NAMES[vd.type.type] ?? 'RAW') as VarKind;
  const td = vd.type.lod_tensor?.tensor ?? vd.type.tensor_array?.tensor ?? vd.type.selected_rows;
  const dtype = td ? DTYPE_OF.get(td.data_type) ?? 'float32' : 'float32';
  const opts = {
    name: vd.name,
    shape: (td?.dims ?? []).map(Number),
    dtype,
    lod_level: vd.type.lod_tensor?.lod_level ?? vd.type.tensor_array?.lod_level ?? 0,
    persistable: vd.persistable ?? false,
    need_check_feed: vd.need_check_feed ?? false,
    is_data: vd.need_check_feed ?? false,
    stop_gradient: vd.stop_gradient ?? false,
    type: kind,
  };
  const v = vd.is_parameter ? new Parameter(block, opts) : new Variable(block, opts);
  if (vd.is_parameter) v.stop_gradient = vd.stop_gradient ?? false;
  block.vars.set(vd.name, v);
}

/** Decodes ProgramDesc bytes into a Program (paddle.static.deserialize_program). */
export function decodeProgram(bytes: Uint8Array, what = 'program'): Program {
  let obj: ProgramDescObj;
  try {
    obj = ProgramDescMsg.toObject(ProgramDescMsg.decode(bytes), { longs: Number, enums: Number, defaults: false, arrays: true }) as ProgramDescObj;
  } catch (e) {
    return fail('paddle.static.deserialize_program', `${what} is not a valid Paddle ProgramDesc: ${(e as Error).message}`, InvalidArgumentError);
  }
  if (!obj.blocks?.length) fail('paddle.static.deserialize_program', `${what} holds no blocks: not a Paddle program`, InvalidArgumentError);
  const prog = new Program();
  prog.blocks.length = 0;
  for (const bd of obj.blocks) {
    const b = new Block(prog, bd.idx, bd.parent_idx);
    b.forward_block_idx = bd.forward_block_idx ?? -1;
    prog.blocks.push(b);
  }
  obj.blocks.forEach((bd, i) => {
    const b = prog.blocks[i];
    for (const vd of bd.vars ?? []) addVar(b, vd);
    for (const od of bd.ops ?? []) {
      const slots = (list?: { parameter: string; arguments?: string[] }[]) =>
        Object.fromEntries((list ?? []).map((v) => [v.parameter, v.arguments ?? []]));
      const attrs: Record<string, unknown> = {};
      for (const a of od.attrs ?? []) attrs[a.name] = attrValue(a, prog.blocks);
      // Programs saved by older Paddle lack attributes added later: use the operator's defaults.
      if (hasOp(od.type)) for (const [k, spec] of Object.entries(getOp(od.type).attrs)) if (!(k in attrs) && spec.default !== undefined) attrs[k] = spec.default;
      b.ops.push(new Operator(b, od.type, slots(od.inputs), slots(od.outputs), attrs));
    }
  });
  (prog as Program & { _version?: number })._version = obj.version?.version ?? 0;
  return prog;
}

// ------------------------------------------------------------------------ encode

function attrDesc(name: string, v: unknown, specType: string | undefined): AttrDesc {
  const T = AttrTypeEnum;
  if (v instanceof Block) return { name, type: T.BLOCK, block_idx: v.idx };
  if (Array.isArray(v) && v.length && v.every((x) => x instanceof Block)) return { name, type: T.BLOCKS, blocks_idx: v.map((b: Block) => b.idx) };
  switch (specType) {
    case 'int': return { name, type: T.INT, i: Number(v) };
    case 'float': return { name, type: T.FLOAT, f: Number(v) };
    case 'string': return { name, type: T.STRING, s: String(v) };
    case 'ints': return { name, type: T.INTS, ints: (v as number[]).map(Number) };
    case 'floats': return { name, type: T.FLOATS, floats: (v as number[]).map(Number) };
    case 'strings': return { name, type: T.STRINGS, strings: (v as string[]).map(String) };
    case 'bool': return { name, type: T.BOOLEAN, b: Boolean(v) };
    case 'bools': return { name, type: T.BOOLEANS, bools: (v as boolean[]).map(Boolean) };
    case 'long': return { name, type: T.LONG, l: Number(v) };
    case 'longs': return { name, type: T.LONGS, longs: (v as number[]).map(Number) };
    case 'float64s': return { name, type: T.FLOAT64S, float64s: (v as number[]).map(Number) };
  }
  // Not in the definition (common attributes such as op_role): by the value's JS type.
  if (typeof v === 'boolean') return { name, type: T.BOOLEAN, b: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: v };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return { name, type: T.FLOAT, f: v };
    return Math.abs(v) < 2 ** 31 ? { name, type: T.INT, i: v } : { name, type: T.LONG, l: v };
  }
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return { name, type: T.STRINGS, strings: v };
    if (v.every((x) => typeof x === 'boolean')) return { name, type: T.BOOLEANS, bools: v };
    if (v.every((x) => typeof x === 'number' && Number.isInteger(x))) return { name, type: T.INTS, ints: v };
    if (v.every((x) => typeof x === 'number')) return { name, type: T.FLOATS, floats: v };
  }
  return fail('paddle.static.serialize_program', `attribute '${name}' has a value that framework.proto cannot hold`, InvalidArgumentError);
}

function varDesc(v: Variable): VarDescMsg {
  const tensor = { data_type: PROTO_DTYPE[v.dtype], dims: v.dims };
  const kind = VarTypeEnum[v.type] ?? VarTypeEnum.LOD_TENSOR;
  const type: VarDescMsg['type'] = { type: kind };
  if (v.type === 'LOD_TENSOR') type.lod_tensor = { tensor, lod_level: v.lod_level };
  else if (v.type === 'LOD_TENSOR_ARRAY') type.tensor_array = { tensor, lod_level: v.lod_level };
  else if (v.type === 'SELECTED_ROWS') type.selected_rows = tensor;
  const d: VarDescMsg = { name: v.name, type, persistable: v.persistable };
  if (v.need_check_feed) d.need_check_feed = true;
  return d;
}

/** Encodes a Program as ProgramDesc bytes (paddle.static.serialize_program's core). */
export function encodeProgram(prog: Program): Uint8Array {
  const blocks = prog.blocks.map((b) => ({
    idx: b.idx,
    parent_idx: b.parent_idx,
    forward_block_idx: b.forward_block_idx,
    vars: [...b.vars.values()].map(varDesc),
    ops: b.ops.map((op) => {
      const spec = hasOp(op.type) ? getOp(op.type).attrs : {};
      return {
        type: op.type,
        inputs: Object.entries(op.inputs).map(([parameter, args]) => ({ parameter, arguments: args })),
        outputs: Object.entries(op.outputs).map(([parameter, args]) => ({ parameter, arguments: args })),
        attrs: Object.entries(op.attrs).map(([k, v]) => attrDesc(k, v, spec[k]?.type)),
      };
    }),
  }));
  const msg = ProgramDescMsg.fromObject({ blocks, version: { version: PROGRAM_VERSION } });
  return ProgramDescMsg.encode(msg).finish();
}
