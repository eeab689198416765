// Global switches: whether autograd records, and whether the API builds a static Program;
// and the one helper behind every context manager (no_grad, program_guard, scope_guard...).

export const state = {
  /** false inside paddle.no_grad(). */
  gradEnabled: true,
  /** true after paddle.enable_static(). */
  staticMode: false,
};

/**
 * Runs `fn` inside a context: `enter()` returns what `exit` needs to restore. If `fn` returns
 * a promise, the context lasts until it settles (Python's `with` around async work).
 */
export function withContext<S, R>(enter: () => S, exit: (saved: S) => void, fn: () => R): R {
  const saved = enter();
  let async = false;
  try {
    const r = fn();
    if (r && typeof (r as { then?: unknown }).then === 'function') {
      async = true;
      return (r as unknown as Promise<unknown>).finally(() => exit(saved)) as R;
    }
    return r;
  } finally {
    if (!async) exit(saved);
  }
}
