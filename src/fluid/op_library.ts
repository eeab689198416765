// paddle.fluid.load_op_library(lib_filename) (python/paddle/fluid/framework.py at 2.0): the
// TypeScript counterpart of loading a custom-operator `.so`. The library is a CommonJS module
// (loaded synchronously, as Paddle's load is) that exports a registration function:
//
//   // my_ops.cjs
//   module.exports = function register(lib) {
//     lib.defineOp({ type: 'custom_relu_plus', inputs: ['X'], outputs: ['Out'],
//       attrs: { plus: lib.attr.float(0) },
//       infer: (ins) => ({ Out: [{ dims: ins.X[0].dims, dtype: ins.X[0].dtype }] }),
//       grad: (ctx) => ({ X: [lib.ops.mul(ctx.outGrad('Out'),
//           lib.ops.maskOf('greater_than', ctx.input('X'), lib.ops.zerosLike(ctx.input('X')), ctx.input('X').dtype))] }) });
//     lib.registerKernel('custom_relu_plus', 'js', (ins, attrs, outs) => { ... return { Out: [t] }; });
//   };
//
// (`module.exports.register = fn` and `exports.default = fn` work too.) The operators join
// the operator table: they run in dygraph (through the returned functions or any dispatch),
// are appended by static programs (also by `block.append_op({ type })`), differentiate with
// their grad rule, and survive serialize/deserialize of programs. An ES module can be loaded
// with `fluid.load_op_library(await import('./my_ops.mjs'))`: a module object or a
// registration function is accepted in place of the file name.
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import { isPlainObject } from '../core/args.js';
import { dispatch, run1 } from '../core/dispatch.js';
import { allocStorage, DType, fromNumbers } from '../core/dtype.js';
import * as errors from '../core/errors.js';
import { describe, fail, AlreadyExistsError, InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { Attrs, getOp, hasOp, Kernel, OpDef, registerKernel, replaceOp, Slots, SlotSpec } from '../core/registry.js';
import { Tensor } from '../core/tensor.js';
import * as calls from '../ops/calls.js';
import { bool, float, int, ints, floats, long, opFail, OpSpec, str } from '../ops/util.js';

/** A function running a custom operator: inputs in slot order, then an optional dict of attributes. */
export type CustomOpFn = (...args: unknown[]) => Tensor | (Tensor | Tensor[])[] | Tensor[];

/** What a library's registration function receives. */
export interface OpLibraryApi {
  /** Registers an operator from a compact spec: slots as 'X', 'X[]' (duplicable), 'X?' (dispensable), 'Label!' (no gradient). */
  defineOp(spec: OpSpec): OpDef;
  /** Registers a full operator definition. */
  registerOp(def: OpDef): OpDef;
  /** Registers a kernel for an operator on a backend ('js'), optionally for some dtypes only. */
  registerKernel(type: string, backend: string, kernel: Kernel, dtypes?: readonly DType[]): void;
  /** Attribute spec shorthands: attr.float(0.5), attr.int(1), attr.bool(false), attr.str(''), attr.ints([]), attr.floats([]), attr.long(0). */
  attr: { int: typeof int; float: typeof float; bool: typeof bool; str: typeof str; ints: typeof ints; floats: typeof floats; long: typeof long };
  /** Short operator calls for gradient rules and composite code (add, mul, scale, cast, maskOf, zerosLike, sum, reshape...). */
  ops: typeof calls;
  dispatch: typeof dispatch;
  run1: typeof run1;
  /** A tensor from flat values: tensor([1, 2, 3, 4], [2, 2], 'float32'). */
  tensor(values: ArrayLike<number>, dims: number[], dtype?: DType): Tensor;
  /** A zero-filled tensor of a shape and dtype (for kernels to fill). */
  zeros(dims: number[], dtype: DType): Tensor;
  Tensor: typeof Tensor;
  /** Fails naming the running API and the operator. */
  opFail: typeof opFail;
  errors: typeof errors;
}

/** Operator types registered by load_op_library (these may be re-registered on reload). */
const customTypes = new Set<string>();

function slotOf(s: string): SlotSpec {
  const m = /^([A-Za-z0-9_@]+)(\[\])?(\?)?(!)?$/.exec(s);
  if (!m) fail('paddle.fluid.load_op_library', `bad slot spec '${s}' (use 'X', 'X[]', 'X?', 'Label!')`);
  return { name: m[1], duplicable: !!m[2], dispensable: !!m[3], noGrad: !!m[4] };
}

function makeApi(registered: string[]): OpLibraryApi {
  const add = (def: OpDef): OpDef => {
    const api = 'paddle.fluid.load_op_library';
    if (!def || typeof def.type !== 'string' || !def.type) fail(api, `an operator definition needs a 'type' string, but got ${describe(def?.type)}`);
    if (typeof def.infer !== 'function') fail(api, `operator '${def.type}' needs an infer(ins, attrs) function giving its outputs' shapes and dtypes`);
    if (hasOp(def.type) && !customTypes.has(def.type))
      fail(api, `Operator (${def.type}) has been registered: a custom operator cannot replace a built-in one`, AlreadyExistsError);
    customTypes.add(def.type);
    registered.push(def.type);
    return replaceOp(def);
  };
  return {
    defineOp: (spec) =>
      add({ ...spec, inputs: (spec.inputs ?? []).map(slotOf), outputs: (spec.outputs ?? []).map(slotOf), attrs: spec.attrs ?? {} } as OpDef),
    registerOp: (def) => add(def),
    registerKernel: (type, backend, kernel, dtypes) => {
      if (typeof kernel !== 'function') fail('paddle.fluid.load_op_library', `the kernel of '${type}' must be a function (ins, attrs, outs) => outputs`);
      registerKernel(type, backend, kernel, dtypes);
    },
    attr: { int, float, bool, str, ints, floats, long },
    ops: calls,
    dispatch,
    run1,
    tensor: (values, dims, dtype = 'float32') => new Tensor(fromNumbers(values, dtype), dims.slice(), dtype),
    zeros: (dims, dtype) => new Tensor(allocStorage(dtype, dims.reduce((a, b) => a * b, 1)), dims.slice(), dtype),
    Tensor,
    opFail,
    errors,
  };
}

/** The dygraph/static function of a custom operator. */
function opFunction(type: string): CustomOpFn {
  const fn = (...args: unknown[]) => {
    const def = getOp(type);
    const api = `paddle.fluid.custom_ops.${type}`;
    let attrs: Attrs = {};
    if (args.length > def.inputs.length && isPlainObject(args[args.length - 1])) attrs = { ...(args.pop() as Attrs) };
    else if (args.length === def.inputs.length + 1 && args[args.length - 1] === undefined) args.pop();
    if (args.length > def.inputs.length) fail(api, `takes ${def.inputs.length} input(s) (${def.inputs.map((s) => s.name).join(', ')}) and a dict of attributes, but got ${args.length} positional arguments`);
    for (const k of Object.keys(attrs)) if (!(k in def.attrs)) fail(api, `operator ${type} has no attribute '${k}' (its attributes are ${Object.keys(def.attrs).join(', ') || 'none'})`);
    const ins: Slots<Tensor> = {};
    def.inputs.forEach((s, i) => {
      const v = args[i];
      if (v === undefined || v === null) {
        if (!s.dispensable) fail(api, `missing input ${s.name}`);
        return;
      }
      if (s.duplicable) {
        if (!Array.isArray(v) || !v.every((t) => t instanceof Tensor)) fail(api, `input ${s.name} expected a list of Tensors, but got ${describe(v)}`);
        ins[s.name] = (v as Tensor[]).slice();
      } else {
        if (!(v instanceof Tensor)) fail(api, `input ${s.name} expected a Tensor, but got ${describe(v)}`);
        ins[s.name] = [v];
      }
    });
    const outs = dispatch(type, ins, attrs);
    const results = def.outputs.map((s) => (s.duplicable ? outs[s.name] ?? [] : outs[s.name]?.[0]));
    return (results.length === 1 ? results[0] : results) as Tensor;
  };
  Object.defineProperty(fn, 'name', { value: type });
  return fn;
}

type RegisterFn = (lib: OpLibraryApi) => unknown;

function registrationOf(mod: unknown, source: string): RegisterFn {
  const api = 'paddle.fluid.load_op_library';
  if (typeof mod === 'function') return mod as RegisterFn;
  if (mod && typeof mod === 'object') {
    const m = mod as { register?: unknown; default?: unknown };
    if (typeof m.register === 'function') return m.register as RegisterFn;
    if (typeof m.default === 'function') return m.default as RegisterFn;
    if (m.default && typeof m.default === 'object' && typeof (m.default as { register?: unknown }).register === 'function')
      return (m.default as { register: RegisterFn }).register;
  }
  return fail(api, `${source} does not export a registration function: use module.exports = function register(lib) { lib.defineOp(...); lib.registerKernel(...) }`, InvalidArgumentError);
}

/**
 * Loads a custom-operator library and registers its operators in the operator table. Returns
 * a function per operator it registered (inputs in slot order, then an optional dict of
 * attributes; one output slot gives a Tensor, several an array).
 * @param lib_filename the path of a CommonJS module exporting `register(lib)` (or that
 *   function, or an imported module object)
 * @example
 * const ops = fluid.load_op_library('./custom_relu_plus.cjs');
 * const y = ops.custom_relu_plus(x, { plus: 1 });
 */
export function load_op_library(lib_filename: string | RegisterFn | object): Record<string, CustomOpFn> {
  const api = 'paddle.fluid.load_op_library';
  let mod: unknown;
  let source: string;
  if (typeof lib_filename === 'string') {
    const file = nodePath.resolve(lib_filename);
    source = `the library '${lib_filename}'`;
    const req = createRequire(import.meta.url);
    try {
      mod = req(file);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(file))
        return fail(api, `cannot load the op library '${lib_filename}': no such file (resolved to ${file})`, NotFoundError);
      if (err.code === 'ERR_REQUIRE_ESM')
        return fail(api, `'${lib_filename}' is an ES module, which cannot be loaded synchronously: write it as CommonJS (.cjs, module.exports = function register(lib) {...}), or pass the imported module: fluid.load_op_library(await import('${lib_filename}'))`);
      throw e;
    }
  } else if (typeof lib_filename === 'function' || (lib_filename && typeof lib_filename === 'object')) {
    mod = lib_filename;
    source = 'the given module';
  } else return fail(api, `argument 'lib_filename' expected a file name, but got ${describe(lib_filename)}`);
  const register = registrationOf(mod, source);
  const registered: string[] = [];
  register(makeApi(registered));
  const out: Record<string, CustomOpFn> = {};
  for (const t of registered) out[t] = opFunction(t);
  return out;
}
