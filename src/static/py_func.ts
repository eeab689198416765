// paddle.static.py_func: a JS function as an operator of a static program (Paddle's py_func
// op). Its callables live in a registry; the op records their ids, as Paddle's does.
import { describe, fail } from '../core/errors.js';
import { registerKernel, Slots } from '../core/registry.js';
import { Tensor } from '../core/tensor.js';
import { defineOp, int, opFail, strs } from '../ops/util.js';
import { dispatch } from '../core/dispatch.js';
import { Variable } from './framework.js';
import { default_main_program } from './mode.js';

const callables: ((...a: Tensor[]) => unknown)[] = [];

function outputsOf(r: unknown, n: number, what: string): Tensor[] {
  const list = r === null || r === undefined ? [] : Array.isArray(r) ? r : [r];
  if (list.length !== n || !list.every((t) => t instanceof Tensor))
    fail('paddle.static.py_func', `${what} must return ${n} Tensor(s), but returned ${describe(r)}`);
  return list as Tensor[];
}

defineOp({
  type: 'py_func',
  // ShapeLike: for a backward py_func, the forward inputs its outputs are shaped like (not passed to the callable)
  inputs: ['X[]?', 'ShapeLike[]?!'],
  outputs: ['Out[]?'],
  attrs: { forward_callable_id: int(), backward_callable_id: int(-1), backward_skip_vars: strs([]) },
  // Outputs are declared by the caller; a backward py_func's outputs are shaped like the forward's inputs.
  infer(ins) {
    if (ins.ShapeLike?.length) return { Out: ins.ShapeLike.map((m) => ({ dims: m.dims.slice(), dtype: m.dtype })) };
    return opFail('py_func', 'the outputs of py_func are the Variables passed as `out`');
  },
  // The backward callable gets the forward inputs and outputs not skipped, then the outputs' gradients.
  grad(ctx) {
    const bid = ctx.attrs.backward_callable_id as number;
    if (bid < 0) return {};
    const skip = new Set(ctx.attrs.backward_skip_vars as string[]);
    const xs = ctx.inputs('X');
    const os = ctx.outputs('Out');
    const args = [...xs, ...os].filter((v) => !skip.has(v.name));
    const douts = os.map((_, i) => ctx.outGrad('Out', i));
    const grads = dispatch('py_func', { X: [...args, ...douts], ShapeLike: xs }, { forward_callable_id: bid, backward_callable_id: -1, backward_skip_vars: [] }).Out;
    return { X: grads };
  },
});

registerKernel('py_func', 'js', (ins: Slots<Tensor>, attrs, outs) => {
  const f = callables[attrs.forward_callable_id];
  if (!f) fail('py_func', `no callable with id ${attrs.forward_callable_id} is registered in this process`);
  const n = outs.Out?.length ?? 0;
  return { Out: outputsOf(f(...(ins.X ?? [])), n, 'the py_func callable') };
});

/**
 * Appends an operator that runs `func` on the inputs' values and writes its results to `out`
 * (Variables you create with shape and dtype). `backward_func`, if given, receives the inputs,
 * outputs (minus skip_vars_in_backward_input) and the output's gradient, and returns the
 * inputs' gradients.
 * @example paddle.static.py_func((x) => paddle.tanh(x), x, out)
 */
export function py_func(
  func: (...a: Tensor[]) => unknown,
  x: Tensor | Tensor[] | null,
  out: Tensor | Tensor[] | null,
  backward_func: ((...a: Tensor[]) => unknown) | null = null,
  skip_vars_in_backward_input: Tensor | Tensor[] | null = null,
): Tensor | Tensor[] | null {
  const api = 'paddle.static.py_func';
  if (typeof func !== 'function') fail(api, `argument 'func' expected a function, but got ${describe(func)}`);
  if (backward_func !== null && typeof backward_func !== 'function') fail(api, `argument 'backward_func' expected a function or None, but got ${describe(backward_func)}`);
  const xs = x === null ? [] : Array.isArray(x) ? x : [x];
  const os = out === null ? [] : Array.isArray(out) ? out : [out];
  for (const v of [...xs, ...os]) if (!(v instanceof Variable)) fail(api, `inputs and outputs must be static Variables, but got ${describe(v)}`);
  const fid = callables.push(func) - 1;
  const bid = backward_func ? callables.push(backward_func) - 1 : -1;
  const skip = skip_vars_in_backward_input === null ? [] : (Array.isArray(skip_vars_in_backward_input) ? skip_vars_in_backward_input : [skip_vars_in_backward_input]).map((v) => v.name);
  default_main_program().current_block().append_op({
    type: 'py_func',
    inputs: { X: xs as Variable[] },
    outputs: { Out: os as Variable[] },
    attrs: { forward_callable_id: fid, backward_callable_id: bid, backward_skip_vars: skip },
  });
  return out;
}
