// Static graphs: Program, Block, Variable, Parameter and Operator with Paddle's members.
// An Operator holds what framework.proto's OpDesc holds (type, slot -> variable names,
// attributes); its definition comes from the same operator table dygraph uses.
import { DType, PROTO_DTYPE, parseDType } from '../core/dtype.js';
import { withDefaults } from '../core/dispatch.js';
import { describe, fail, NotFoundError, InvalidArgumentError } from '../core/errors.js';
import { outputLodLevel } from '../core/lod.js';
import { getOp, hasOp, OpDef, Slots } from '../core/registry.js';
import { Tensor, Meta } from '../core/tensor.js';
import { generate } from './unique_name.js';

/** framework.proto's VarType for variables (what a variable holds). */
export type VarKind =
  | 'LOD_TENSOR' | 'SELECTED_ROWS' | 'LOD_TENSOR_ARRAY' | 'FEED_MINIBATCH' | 'FETCH_LIST'
  | 'STEP_SCOPES' | 'LOD_RANK_TABLE' | 'PLACE_LIST' | 'READER' | 'RAW';

/** Op roles Paddle records in the `op_role` attribute. */
export const OpRole = { Forward: 0, Backward: 1, Optimize: 2, RPC: 4, Dist: 8, LRSched: 16, Loss: 256 } as const;

export interface VarOptions {
  name?: string;
  shape?: readonly number[];
  dtype?: DType | string | number;
  lod_level?: number;
  persistable?: boolean;
  stop_gradient?: boolean;
  type?: VarKind;
  need_check_feed?: boolean;
  is_data?: boolean;
}

/**
 * A variable of a static Program: a Tensor without data (shape may hold -1), so every Tensor
 * method works on it by appending operators.
 */
export class Variable extends Tensor {
  /** @internal */
  _block: Block;
  lod_level: number;
  override type: VarKind;
  is_data: boolean;
  need_check_feed: boolean;

  constructor(block: Block, opts: VarOptions & { name: string }) {
    const dtype = opts.dtype === undefined ? 'float32' : parseDType(opts.dtype);
    if (!dtype) fail('Block.create_var', `argument 'dtype' is not a dtype: ${describe(opts.dtype)}`);
    super(new Float32Array(0), (opts.shape ?? []).map((d) => (d === null ? -1 : d)) as number[], dtype);
    this._block = block;
    this.name = opts.name;
    this.lod_level = opts.lod_level ?? 0;
    this.persistable = opts.persistable ?? false;
    this.stop_gradient = opts.stop_gradient ?? false;
    this.type = opts.type ?? 'LOD_TENSOR';
    this.is_data = opts.is_data ?? false;
    this.need_check_feed = opts.need_check_feed ?? false;
  }
  override toString(): string {
    const shape = this.dims.length ? `(${this.dims.join(', ')})` : '()';
    const lod = this.lod_level ? `.lod_level(${this.lod_level})` : '';
    return `var ${this.name} : ${this.type}.shape${shape}.dtype(${this.dtype}).stop_gradient(${this.stop_gradient ? 'True' : 'False'})${lod}${this.persistable ? '.persistable(True)' : ''}`;
  }
  /** The block this variable belongs to. */
  override get block(): Block {
    return this._block;
  }
  /** The program this variable belongs to. */
  get program(): Program {
    return this.block.program;
  }
}

/** A trainable variable of a static Program (Paddle's framework.Parameter). */
export class Parameter extends Variable {
  trainable: boolean;
  optimize_attr: { learning_rate: number };
  regularizer: unknown;
  need_clip: boolean;
  do_model_average: boolean | null;
  is_distributed = false;
  constructor(block: Block, opts: VarOptions & { name: string; trainable?: boolean; learning_rate?: number; regularizer?: unknown; need_clip?: boolean; do_model_average?: boolean | null }) {
    super(block, { ...opts, persistable: true, stop_gradient: !(opts.trainable ?? true) });
    this.trainable = opts.trainable ?? true;
    this.optimize_attr = { learning_rate: opts.learning_rate ?? 1.0 };
    this.regularizer = opts.regularizer ?? null;
    this.need_clip = opts.need_clip ?? true;
    this.do_model_average = opts.do_model_average ?? null;
  }
}

type SlotArg = Variable | string | readonly (Variable | string)[] | null | undefined;

/** One operator of a Block: its type, inputs and outputs by slot (variable names), attributes. */
export class Operator {
  readonly inputs: Record<string, string[]>;
  readonly outputs: Record<string, string[]>;
  readonly attrs: Record<string, unknown>;
  constructor(readonly block: Block, readonly type: string, inputs: Record<string, string[]>, outputs: Record<string, string[]>, attrs: Record<string, unknown>) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.attrs = attrs;
  }
  /** Variable names of input slot `name`. */
  input(name: string): string[] {
    return this.inputs[name] ?? [];
  }
  output(name: string): string[] {
    return this.outputs[name] ?? [];
  }
  get input_names(): string[] {
    return Object.keys(this.inputs);
  }
  get output_names(): string[] {
    return Object.keys(this.outputs);
  }
  get input_arg_names(): string[] {
    return Object.values(this.inputs).flat();
  }
  get output_arg_names(): string[] {
    return Object.values(this.outputs).flat();
  }
  get attr_names(): string[] {
    return Object.keys(this.attrs);
  }
  attr(name: string): unknown {
    if (!(name in this.attrs)) fail(`Operator(${this.type}).attr`, `operator has no attribute '${name}'`, NotFoundError);
    return this.attrs[name];
  }
  has_attr(name: string): boolean {
    return name in this.attrs;
  }
  _set_attr(name: string, v: unknown): void {
    this.attrs[name] = v;
  }
  all_attrs(): Record<string, unknown> {
    return { ...this.attrs };
  }
  /** Renames a variable wherever this operator uses it. */
  _rename(oldName: string, newName: string): void {
    for (const m of [this.inputs, this.outputs]) for (const k in m) m[k] = m[k].map((n) => (n === oldName ? newName : n));
  }
  toString(): string {
    const fmt = (m: Record<string, string[]>) => Object.entries(m).map(([k, v]) => `${k}=[${v.join(', ')}]`).join(', ');
    const attrs = Object.entries(this.attrs)
      .filter(([k]) => !k.startsWith('op_'))
      .map(([k, v]) => `${k} = ${v instanceof Block ? `block[${v.idx}]` : JSON.stringify(v)}`)
      .join(', ');
    return `{${fmt(this.outputs)}} = ${this.type}(inputs={${fmt(this.inputs)}}, ${attrs})`;
  }
}

/** A block of a Program: variables and a list of operators; sub-blocks have a parent. */
export class Block {
  readonly vars = new Map<string, Variable>();
  readonly ops: Operator[] = [];
  forward_block_idx = -1;
  constructor(readonly program: Program, readonly idx: number, readonly parent_idx = -1) {}

  /** The variable called `name` in this block; NotFoundError if absent. */
  var(name: string): Variable {
    const v = this.vars.get(name);
    if (!v) fail('Block.var', `variable '${name}' is not in block ${this.idx}`, NotFoundError);
    return v;
  }
  has_var(name: string): boolean {
    return this.vars.has(name);
  }
  /**
   * Looks the variable up in this block and its ancestors (and, as Paddle does, in the forward
   * block of a gradient block: breadth first over parent_idx and forward_block_idx).
   */
  _find_var_recursive(name: string): Variable | null {
    const own = this.vars.get(name);
    if (own) return own;
    const frontier: Block[] = [this];
    const seen = new Set<Block>();
    while (frontier.length) {
      const b = frontier.shift()!;
      if (seen.has(b)) continue;
      seen.add(b);
      const v = b.vars.get(name);
      if (v) return v;
      if (b.parent_idx >= 0) frontier.push(b.program.block(b.parent_idx));
      if (b.forward_block_idx >= 0) frontier.push(b.program.block(b.forward_block_idx));
    }
    return null;
  }
  _var_recursive(name: string): Variable {
    const v = this._find_var_recursive(name);
    if (!v) fail('Block._var_recursive', `variable '${name}' is not in block ${this.idx} or its parents`, NotFoundError);
    return v;
  }
  /** Creates a variable (a generated name if none is given); `{ name, shape, dtype, lod_level, persistable, ... }`. */
  create_var(opts: VarOptions = {}): Variable {
    const name = opts.name ?? generate('_generated_var');
    const existing = this.vars.get(name);
    if (existing) return existing;
    const v = new Variable(this, { ...opts, name });
    this.vars.set(name, v);
    return v;
  }
  /** Creates a Parameter in this block (the global block of the main program). */
  create_parameter(opts: VarOptions & { name?: string; trainable?: boolean; learning_rate?: number; regularizer?: unknown; need_clip?: boolean }): Parameter {
    const name = opts.name ?? generate('_param');
    const p = new Parameter(this, { ...opts, name });
    this.vars.set(name, p);
    return p;
  }
  /** All Parameters of this block. */
  all_parameters(): Parameter[] {
    return [...this.vars.values()].filter((v): v is Parameter => v instanceof Parameter);
  }
  iter_parameters(): Parameter[] {
    return this.all_parameters();
  }
  _remove_var(name: string): void {
    this.vars.delete(name);
  }
  /** Renames a variable and every use of it by this block's operators. */
  _rename_var(oldName: string, newName: string): Variable {
    const v = this.var(oldName);
    this.vars.delete(oldName);
    v.name = newName;
    this.vars.set(newName, v);
    for (const op of this.ops) op._rename(oldName, newName);
    return v;
  }

  /**
   * Appends an operator of any type in the table: `{ type, inputs: { X: [x] }, outputs: {
   * Out: [out] }, attrs }`. Slots take variables or names (always lists; a single one is
   * accepted), null attributes are dropped, and outputs declared without shape or dtype get
   * them from the operator's inference.
   */
  append_op(spec: { type: string; inputs?: Record<string, SlotArg>; outputs?: Record<string, SlotArg>; attrs?: Record<string, unknown> }): Operator {
    const op = this.makeOp(spec);
    this.ops.push(op);
    return op;
  }
  _prepend_op(spec: { type: string; inputs?: Record<string, SlotArg>; outputs?: Record<string, SlotArg>; attrs?: Record<string, unknown> }): Operator {
    const op = this.makeOp(spec);
    this.ops.unshift(op);
    return op;
  }
  _insert_op(index: number, spec: { type: string; inputs?: Record<string, SlotArg>; outputs?: Record<string, SlotArg>; attrs?: Record<string, unknown> }): Operator {
    const op = this.makeOp(spec);
    this.ops.splice(index, 0, op);
    return op;
  }
  _remove_op(index: number): void {
    this.ops.splice(index, 1);
  }

  private names(slotName: string, v: SlotArg, api: string): string[] {
    if (v === null || v === undefined) return [];
    const list = Array.isArray(v) ? v : [v];
    return list.map((x) => {
      if (typeof x === 'string') return x;
      if (x instanceof Variable) return x.name;
      return fail(api, `slot ${slotName} expected Variables or variable names, but got ${describe(x)}`);
    });
  }

  private makeOp(spec: { type: string; inputs?: Record<string, SlotArg>; outputs?: Record<string, SlotArg>; attrs?: Record<string, unknown> }): Operator {
    const api = `Block.append_op(${spec.type})`;
    if (typeof spec.type !== 'string') fail('Block.append_op', `argument 'type' expected an operator type string, but got ${describe(spec.type)}`);
    const inputs: Record<string, string[]> = {};
    const outputs: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(spec.inputs ?? {})) inputs[k] = this.names(k, v, api);
    for (const [k, v] of Object.entries(spec.outputs ?? {})) outputs[k] = this.names(k, v, api);
    const attrs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(spec.attrs ?? {})) if (v !== null && v !== undefined) attrs[k] = v;
    if (hasOp(spec.type)) {
      const def = getOp(spec.type);
      for (const s of def.inputs)
        if (!s.dispensable && !(inputs[s.name]?.length)) fail(api, `input slot ${s.name} of operator ${spec.type} is required`, InvalidArgumentError);
      for (const k of Object.keys(inputs))
        if (!def.inputs.some((s) => s.name === k)) fail(api, `operator ${spec.type} has no input slot '${k}' (its inputs are ${def.inputs.map((s) => s.name).join(', ')})`);
      for (const k of Object.keys(outputs))
        if (!def.outputs.some((s) => s.name === k)) fail(api, `operator ${spec.type} has no output slot '${k}' (its outputs are ${def.outputs.map((s) => s.name).join(', ')})`);
      coerceAttrs(def, attrs);
      withDefaults(def, attrs);
      this.inferOutputs(def, inputs, outputs, attrs);
    }
    return new Operator(this, spec.type, inputs, outputs, attrs);
  }

  /** Gives declared outputs without shape/dtype what the operator's inference says. */
  private inferOutputs(def: OpDef, inputs: Record<string, string[]>, outputs: Record<string, string[]>, attrs: Record<string, unknown>): void {
    const ins: Slots<Meta> = {};
    for (const [k, names] of Object.entries(inputs)) ins[k] = names.map((n) => this._var_recursive(n));
    let metas: Slots<Meta>;
    try {
      metas = def.infer(ins, attrs);
    } catch (e) {
      // Some operators (control flow, custom) cannot infer statically; declared outputs stand.
      if (Object.values(outputs).flat().every((n) => this._find_var_recursive(n))) return;
      throw e;
    }
    for (const [k, names] of Object.entries(outputs)) {
      names.forEach((n, i) => {
        const m = metas[k]?.[i];
        const v = this._find_var_recursive(n) ?? this.create_var({ name: n });
        if (m && (v.dims.length === 0 || v.dims.every((d) => d === 0)) && !(v instanceof Parameter)) {
          v.dims = m.dims.slice();
          v.dtype = m.dtype;
        }
        if (m && v.lod_level === 0 && !(v instanceof Parameter)) v.lod_level = outputLodLevel(def, ins, k, m);
      });
    }
  }
  toString(): string {
    const lines = [`{ // block ${this.idx}`];
    for (const v of this.vars.values()) lines.push(`    ${v.toString()}`);
    lines.push('');
    for (const op of this.ops) lines.push(`    ${op.toString()}`);
    lines.push('}');
    return lines.join('\n');
  }
}

/** Whether the op definition says an attribute is an integer kind (int/long vs float). */
function coerceAttrs(def: OpDef, attrs: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(attrs)) {
    const spec = def.attrs[k];
    if (!spec) continue;
    if ((spec.type === 'int' || spec.type === 'long') && typeof v === 'number' && !Number.isInteger(v))
      fail(`Block.append_op(${def.type})`, `attribute '${k}' is an integer attribute, but got ${v}`);
    if (spec.type === 'bool' && typeof v === 'number') attrs[k] = v !== 0;
    // dtype-valued int attributes accept dtype strings as well as framework.proto numbers
    if (spec.type === 'int' && typeof v === 'string' && /dtype/.test(k)) {
      const d = parseDType(v);
      if (d) attrs[k] = protoOf(d);
    }
  }
}
const protoOf = (d: DType): number => PROTO_DTYPE[d];

/** A static program: a list of blocks, block 0 the global block. */
export class Program {
  readonly blocks: Block[];
  current_block_idx = 0;
  random_seed = 0;
  /** Set on clones made with for_test. */
  _is_test = false;
  constructor() {
    this.blocks = [new Block(this, 0)];
  }
  global_block(): Block {
    return this.blocks[0];
  }
  block(index: number): Block {
    const b = this.blocks[index];
    if (!b) fail('Program.block', `argument 'index' is ${index}, but the program has ${this.blocks.length} blocks`, NotFoundError);
    return b;
  }
  current_block(): Block {
    return this.blocks[this.current_block_idx];
  }
  get num_blocks(): number {
    return this.blocks.length;
  }
  /** Opens a new sub-block whose parent is the current block, and makes it current. */
  _create_block(parent_idx?: number): Block {
    const b = new Block(this, this.blocks.length, parent_idx ?? this.current_block_idx);
    this.blocks.push(b);
    this.current_block_idx = b.idx;
    return b;
  }
  /** Returns to the parent of the current block. */
  _rollback(): void {
    this.current_block_idx = this.current_block().parent_idx;
  }
  /** Every variable of every block. */
  list_vars(): Variable[] {
    return this.blocks.flatMap((b) => [...b.vars.values()]);
  }
  all_parameters(): Parameter[] {
    return this.global_block().all_parameters();
  }
  /**
   * A copy of the program. With for_test, operators that behave differently in training
   * (dropout, batch_norm...) are switched to inference (`is_test`).
   */
  clone(for_test = false): Program {
    const p = new Program();
    p.random_seed = this.random_seed;
    p.blocks.length = 0;
    for (const b of this.blocks) {
      const nb = new Block(p, b.idx, b.parent_idx);
      nb.forward_block_idx = b.forward_block_idx;
      for (const v of b.vars.values()) {
        const opts = { name: v.name, shape: v.dims, dtype: v.dtype, lod_level: v.lod_level, persistable: v.persistable, stop_gradient: v.stop_gradient, type: v.type, need_check_feed: v.need_check_feed, is_data: v.is_data };
        const nv = v instanceof Parameter
          ? new Parameter(nb, { ...opts, trainable: v.trainable, learning_rate: v.optimize_attr.learning_rate, regularizer: v.regularizer, need_clip: v.need_clip })
          : new Variable(nb, opts);
        nb.vars.set(v.name, nv);
      }
      for (const op of b.ops) {
        const attrs = structuredClone(Object.fromEntries(Object.entries(op.attrs).filter(([, v]) => !(v instanceof Block))));
        for (const [k, v] of Object.entries(op.attrs)) if (v instanceof Block) attrs[k] = { __block: v.idx };
        if (for_test && 'is_test' in attrs) attrs.is_test = true;
        nb.ops.push(new Operator(nb, op.type, structuredClone(op.inputs), structuredClone(op.outputs), attrs));
      }
      p.blocks.push(nb);
    }
    // Block attributes point at the copy's blocks.
    for (const b of p.blocks) for (const op of b.ops) for (const [k, v] of Object.entries(op.attrs))
      if (v && typeof v === 'object' && '__block' in (v as object)) op.attrs[k] = p.blocks[(v as { __block: number }).__block];
    p._is_test = for_test;
    return p;
  }
  /** A readable listing of blocks, variables and operators. */
  to_string(_throw_on_error = false, _with_details = false): string {
    return this.blocks.map((b) => b.toString()).join('\n');
  }
  toString(): string {
    return this.to_string();
  }
}

export type { SlotArg };
