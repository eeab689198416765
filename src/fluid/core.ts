// paddle.fluid.core: the few members of Paddle's C++ core module that fluid scripts touch:
// EOFException (raised by Executor.run when a py_reader is exhausted), the LoDTensor classes,
// places, and `globals()` (the flags table).
import { PaddleError } from '../core/errors.js';
import { CPUPlace, CUDAPinnedPlace, CUDAPlace, XPUPlace, is_compiled_with_cuda, is_compiled_with_xpu } from '../core/place.js';
import { Scope } from '../static/executor.js';
import { flagNames, flagValue, set_flags } from './flags.js';
import { LoDTensor, LoDTensorArray } from './lod_tensor.js';

/**
 * Raised by Executor.run when a reader (fluid.layers.py_reader) has no more data: catch it,
 * call `reader.reset()`, and start the next epoch.
 * @example
 * reader.start();
 * try { for (;;) exe.run(main, { fetch_list: [loss] }); } catch (e) { if (!(e instanceof fluid.core.EOFException)) throw e; reader.reset(); }
 */
export class EOFException extends PaddleError {}

/** The flags as a table (Paddle's `core.globals()`): get/set by name, `is_public(name)`. */
export function globals(): { get(name: string): unknown; set(name: string, v: unknown): void; is_public(name: string): boolean; keys(): string[] } {
  return {
    get: (name) => flagValue(name),
    set: (name, v) => set_flags({ [name]: v as boolean }),
    is_public: (name) => flagNames().includes(name),
    keys: () => flagNames(),
  };
}

export { LoDTensor, LoDTensor as Tensor, LoDTensorArray, CPUPlace, CUDAPlace, CUDAPinnedPlace, XPUPlace, Scope, is_compiled_with_cuda, is_compiled_with_xpu };
