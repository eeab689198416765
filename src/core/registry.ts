// The operator table: every operator's definition (Paddle's type, slots, attributes, shape
// inference, gradient rule) and, per backend, the kernels that run it. Definitions live in
// src/ops/, kernels in src/backends/*/; both register here. Ops may also be registered at
// run time (custom operators, fluid.load_op_library).
import { DType } from './dtype.js';
import { fail, NotFoundError, AlreadyExistsError } from './errors.js';
import type { Meta, Tensor } from './tensor.js';

/** framework.proto attribute types. */
export type AttrType =
  | 'int' | 'float' | 'string' | 'ints' | 'floats' | 'strings' | 'bool' | 'bools'
  | 'block' | 'long' | 'blocks' | 'longs' | 'float64s' | 'var' | 'vars';

export interface AttrSpec {
  readonly type: AttrType;
  /** Paddle's default; an attribute without one is required. */
  readonly default?: unknown;
}
export interface SlotSpec {
  readonly name: string;
  /** Takes a list of values (Paddle's `AsDuplicable`). */
  readonly duplicable?: boolean;
  /** May be absent (Paddle's `AsDispensable`). */
  readonly dispensable?: boolean;
  /** Carries no gradient (labels, indices, masks). */
  readonly noGrad?: boolean;
}

export type Attrs = Record<string, any>;
/** Values per slot name; a slot always maps to a list (absent or empty for missing dispensables). */
export type Slots<V> = Record<string, V[]>;

/** What a gradient rule sees of one recorded call. Values are Tensors (Variables in static mode). */
export interface GradContext {
  readonly attrs: Attrs;
  /** Forward input `slot`[i]. */
  input(slot: string, i?: number): Tensor;
  /** Whether forward input `slot` was given (dispensable slots). */
  has(slot: string, i?: number): boolean;
  inputs(slot: string): Tensor[];
  /** Forward output `slot`[i]. */
  output(slot: string, i?: number): Tensor;
  outputs(slot: string): Tensor[];
  /** The gradient flowing into output `slot`[i] (zeros when none flowed). */
  outGrad(slot: string, i?: number): Tensor;
  /** Whether input `slot`[i] needs a gradient (skip work for the ones that do not). */
  needs(slot: string, i?: number): boolean;
}
/** Gradients per input slot (null or missing: no gradient). */
export type GradResult = Record<string, (Tensor | null | undefined)[] | undefined>;

export interface OpDef {
  /** Paddle's operator type, e.g. `elementwise_add`. */
  readonly type: string;
  readonly inputs: readonly SlotSpec[];
  readonly outputs: readonly SlotSpec[];
  readonly attrs: Readonly<Record<string, AttrSpec>>;
  /**
   * Output shapes and dtypes from the inputs' and the attributes, checking arguments. In
   * static mode a dimension may be -1; a data-dependent output dimension is -1 too and the
   * kernel decides it.
   */
  infer(ins: Slots<Meta>, attrs: Attrs): Slots<Meta>;
  /** The gradient rule, written with other operators so it also differentiates and builds programs. */
  grad?(ctx: GradContext): GradResult;
  /** Output slots that are never differentiable (indices, masks, saved statistics). */
  readonly noGradOutputs?: readonly string[];
  /** Draws from the random generator. */
  readonly random?: boolean;
  /**
   * LoD sharing (Paddle's `ctx->ShareLoD(in, out)`): pairs [input slot, output slot]. An output
   * the kernel left without LoD takes the LoD of the input's first value (and, in static mode,
   * its lod_level when `infer` sets none). Absent: the default rule, which copies the LoD of the
   * first input carrying one (slot order) to every output with the same first dimension. `[]`:
   * no sharing (the kernel and `infer` decide alone). See src/core/lod.ts.
   */
  readonly shareLod?: readonly (readonly [string, string])[];
}

/**
 * A kernel computes an operator's outputs. `outs` holds the inferred metas. Returning
 * undefined declines (an unsupported dtype or attribute), and the next backend is tried.
 */
export type Kernel = (ins: Slots<Tensor>, attrs: Attrs, outs: Slots<Meta>) => Slots<Tensor> | undefined;

const ops = new Map<string, OpDef>();
const kernels = new Map<string, { backend: string; kernel: Kernel; dtypes?: ReadonlySet<DType> }[]>();
/** Backends in the order they are tried; the native backend puts itself first when it loads. */
export const backendOrder: string[] = ['js'];

/** Adds an operator definition to the table. */
export function registerOp(def: OpDef): OpDef {
  if (ops.has(def.type)) fail('registerOp', `operator '${def.type}' is already registered`, AlreadyExistsError);
  ops.set(def.type, def);
  return def;
}
/** Replaces or adds (custom operators may override on reload). */
export function replaceOp(def: OpDef): OpDef {
  ops.set(def.type, def);
  return def;
}
export function getOp(type: string): OpDef {
  const d = ops.get(type);
  if (!d) return fail('dispatch', `operator '${type}' is not registered`, NotFoundError);
  return d;
}
export function hasOp(type: string): boolean {
  return ops.has(type);
}
/** All registered operator types. */
export function opTypes(): string[] {
  return [...ops.keys()];
}

/** Registers a kernel for `type` on `backend`, optionally only for some input dtypes. */
export function registerKernel(type: string, backend: string, kernel: Kernel, dtypes?: readonly DType[]): void {
  const list = kernels.get(type) ?? [];
  const i = list.findIndex((k) => k.backend === backend);
  const entry = { backend, kernel, dtypes: dtypes ? new Set(dtypes) : undefined };
  if (i >= 0) list[i] = entry;
  else list.push(entry);
  list.sort((a, b) => rank(a.backend) - rank(b.backend));
  kernels.set(type, list);
}
function rank(b: string): number {
  const i = backendOrder.indexOf(b);
  return i < 0 ? backendOrder.length : i;
}
/** Re-sorts kernel lists after the backend order changed. */
export function resortKernels(): void {
  for (const list of kernels.values()) list.sort((a, b) => rank(a.backend) - rank(b.backend));
}
/** Backends with a kernel for `type`. */
export function kernelBackends(type: string): string[] {
  return (kernels.get(type) ?? []).map((k) => k.backend);
}
/** Disabled backends are skipped (PADDLE_TS_BACKEND=js, tests comparing backends). */
export const disabledBackends = new Set<string>();

/** Runs the first kernel that accepts the call. */
export function runKernel(def: OpDef, ins: Slots<Tensor>, attrs: Attrs, outs: Slots<Meta>, dtype: DType): Slots<Tensor> {
  const list = kernels.get(def.type);
  if (list) {
    for (const k of list) {
      if (disabledBackends.has(k.backend) || (k.dtypes && !k.dtypes.has(dtype))) continue;
      const r = k.kernel(ins, attrs, outs);
      if (r !== undefined) return r;
    }
  }
  return fail(def.type, `no kernel runs operator '${def.type}' for dtype ${dtype}`, NotFoundError);
}

/** Runs one backend's kernel only (for tests comparing backends); undefined if it declines. */
export function runKernelOn(backend: string, type: string, ins: Slots<Tensor>, attrs: Attrs, outs: Slots<Meta>): Slots<Tensor> | undefined {
  const k = kernels.get(type)?.find((e) => e.backend === backend);
  return k?.kernel(ins, attrs, outs);
}
