// The Tensor methods table: every API function flagged as a method (defineApi's `method`)
// becomes a method of paddle.Tensor, and of any class registered later (static Variable).
// Their types come from the same table through methods_types.ts, which
// scripts/gen-method-types.ts writes (a test checks it is fresh).
import type { ApiInfo } from '../core/args.js';
import { Tensor } from '../core/tensor.js';
import { apiModules } from './modules.js';
import './methods_types.js';

/** The method table: method name -> API function, derived from the API modules. */
export function methodTable(): Map<string, (...a: unknown[]) => unknown> {
  const table = new Map<string, (...a: unknown[]) => unknown>();
  for (const mod of Object.values(apiModules)) {
    for (const f of Object.values(mod)) {
      const info = (f as { info?: ApiInfo }).info;
      if (typeof f === 'function' && info?.method) table.set(info.method, f as unknown as (...a: unknown[]) => unknown);
    }
  }
  return table;
}

/** Installs the methods on a prototype (Tensor's now; static Variable's when it loads). */
export function installMethods(proto: object): void {
  for (const [name, fn] of methodTable()) {
    Object.defineProperty(proto, name, {
      value: function (this: unknown, ...args: unknown[]) {
        return fn(this, ...args);
      },
      writable: true,
      configurable: true,
    });
  }
}

installMethods(Tensor.prototype);
