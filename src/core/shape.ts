// Shapes: element counts, strides, axis normalization and NumPy-style broadcasting.
// A dimension of -1 is unknown (static mode); helpers keep it unknown rather than guess.
import { fail } from './errors.js';

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Maps a possibly negative axis into [0, rank), failing with the API and argument named. */
export function normAxis(axis: number, rank: number, api: string, arg = 'axis'): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(axis) || axis < -r || axis >= r)
    fail(api, `argument '${arg}' is ${axis}, out of range for a tensor of rank ${rank} (expected an integer in [${-r}, ${r - 1}])`);
  return axis < 0 ? axis + r : axis;
}

/** Normalizes a list of axes, rejecting duplicates. */
export function normAxes(axes: readonly number[], rank: number, api: string, arg = 'axis'): number[] {
  const out = axes.map((a) => normAxis(a, rank, api, arg));
  if (new Set(out).size !== out.length) fail(api, `argument '${arg}' has repeated axes [${axes.join(', ')}]`);
  return out;
}

/** NumPy-style right-aligned broadcast of two shapes (-1 stays unknown). */
export function broadcastShapes(a: readonly number[], b: readonly number[], api: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = i < n - a.length ? 1 : a[i - (n - a.length)];
    const y = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (x === y || y === 1) out[i] = x;
    else if (x === 1) out[i] = y;
    else if (x === -1 || y === -1) out[i] = x === -1 ? y : x;
    else fail(api, `shapes [${a.join(', ')}] and [${b.join(', ')}] cannot be broadcast together (dimension ${i}: ${x} vs ${y})`);
  }
  return out;
}

/** Shape written as Paddle prints it. */
export function showShape(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}
