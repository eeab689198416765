// The compute thread count, as a setting any layer can change (FLAGS_paddle_num_threads) and
// a backend with a thread pool applies (the native backend registers `apply` when it loads).

export const threads = {
  /** Applies a thread count; returns the count in effect (1 without a thread pool). */
  apply: (_n: number): number => 1,
};

/** Sets the compute thread count (positive integer); returns the count in effect. */
export function setNumThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: n must be a positive integer, but got ${String(n)}`);
  return threads.apply(n);
}
