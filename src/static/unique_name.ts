// Unique names for static variables and parameters, as Paddle's unique_name: `fc_0`,
// `fc_0.tmp_1`, `linear_2.w_0`. A guard can switch to a fresh generator.

export class NameGenerator {
  private ids = new Map<string, number>();
  constructor(readonly prefix = '') {}
  /** `key_N` with N counting per key from 0. */
  generate(key: string): string {
    const n = this.ids.get(key) ?? 0;
    this.ids.set(key, n + 1);
    return `${this.prefix}${key}_${n}`;
  }
}

let current = new NameGenerator();

/** paddle.utils.unique_name.generate(key). */
export function generate(key: string): string {
  return current.generate(key);
}

/** Runs fn with a fresh (or the given) generator, restoring the previous one after. */
export function guard<R>(fn: () => R, gen: NameGenerator | string = new NameGenerator()): R {
  const prev = current;
  current = typeof gen === 'string' ? new NameGenerator(gen) : gen;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** Replaces the generator, returning the old one (paddle.utils.unique_name.switch). */
export function switchGenerator(gen: NameGenerator = new NameGenerator()): NameGenerator {
  const prev = current;
  current = gen;
  return prev;
}
