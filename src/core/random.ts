// The random generator behind paddle.seed: xoshiro128** seeded through splitmix32, so the
// same seed gives the same stream on every backend (kernels draw from it, never Math.random).

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seeded stream of random numbers (Paddle's `paddle.framework.random.Generator`). */
export class Generator {
  private s = new Uint32Array(4);
  private seed_ = 0;
  private spare: number | null = null;

  constructor(seed?: number) {
    this.manual_seed(seed ?? Math.floor(Math.random() * 2 ** 32));
  }
  /** Restarts the stream from `seed` (an integer; larger ones are folded into 53 bits). */
  manual_seed(seed: number | bigint): this {
    const v = typeof seed === 'bigint' ? Number(BigInt.asUintN(53, seed)) : seed;
    this.seed_ = v;
    const st = { s: (v >>> 0) ^ Math.floor(v / 2 ** 32) };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32(st);
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.spare = null;
    return this;
  }
  initial_seed(): number {
    return this.seed_;
  }
  /** The full state, to restore later with set_state. */
  get_state(): number[] {
    return [...this.s, this.spare === null ? NaN : this.spare];
  }
  set_state(st: readonly number[]): this {
    for (let i = 0; i < 4; i++) this.s[i] = st[i] >>> 0;
    this.spare = Number.isNaN(st[4]) || st[4] === undefined ? null : st[4];
    return this;
  }
  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }
  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
  /** A standard normal draw (Box-Muller, using both values). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** A uniform integer in [0, n) without modulo bias. */
  int(n: number): number {
    if (n <= 0x100000000) {
      const lim = Math.floor(0x100000000 / n) * n;
      let x: number;
      do x = this.nextU32(); while (x >= lim);
      return x % n;
    }
    return Math.floor(this.random() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The default generator that `paddle.seed` reseeds. */
export const defaultGenerator = new Generator();

/**
 * paddle.seed(seed): reseeds the default generator so random operators repeat; returns it.
 * @example paddle.seed(102)
 */
export function seed(s: number): Generator {
  return defaultGenerator.manual_seed(s);
}
