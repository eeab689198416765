// Helpers shared by the dataset classes: argument types, backend choice, indexing, casts.
import { type Ty } from '../../core/args.js';
import { tensorFromData } from '../../core/convert.js';
import type { DType } from '../../core/dtype.js';
import { badArg, describe, fail, OutOfRangeError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { get_image_backend } from '../image.js';

/** A transform: a callable (a transform object, a Compose, a function) or an object with __call__. */
export type Transform = ((x: any) => unknown) | { __call__(x: any): unknown };

/** A transform or null. */
export const transformTy: Ty<Transform | null, Transform | null> = {
  desc: 'a callable transform or None',
  parse: (v, api, arg) =>
    v === null ? null
      : typeof v === 'function' || (typeof v === 'object' && typeof (v as { __call__?: unknown }).__call__ === 'function') ? (v as Transform)
        : badArg(api, arg, 'a callable transform or None', v),
};

/** Calls a transform (Python's `transform(x)`). */
export function applyTransform(t: Transform, x: unknown): unknown {
  return typeof t === 'function' ? t(x) : t.__call__(x);
}

/** A file path or null. */
export const pathTy: Ty<string | null> = {
  desc: 'a file path (string) or None',
  parse: (v, api, arg) => (v === null ? null : typeof v === 'string' ? v : badArg(api, arg, 'a file path (string) or None', v)),
};

/** `mode`, checked case-insensitively against `modes` and lower-cased, as Paddle does. */
export function checkMode(api: string, mode: unknown, modes: readonly string[]): string {
  const m = typeof mode === 'string' ? mode.toLowerCase() : null;
  if (m === null || !modes.includes(m)) {
    const list = modes.map((x) => `'${x}'`);
    const said = list.length === 2 ? `${list[0]} or ${list[1]}` : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
    fail(api, `mode should be ${said}, but got ${typeof mode === 'string' ? mode : describe(mode)}`);
  }
  return m;
}

/** The image backend: the given one, or paddle.vision.get_image_backend() for null. */
export function checkBackend(api: string, backend: unknown): 'pil' | 'cv2' {
  const b = backend === null || backend === undefined ? get_image_backend() : backend;
  if (b !== 'pil' && b !== 'cv2') fail(api, `Expected backend are one of ['pil', 'cv2'], but got ${typeof b === 'string' ? b : describe(b)}`);
  return b;
}

/** A Python list index (negative from the end) checked against `n`. */
export function checkIndex(api: string, idx: unknown, n: number): number {
  if (typeof idx !== 'number' || !Number.isInteger(idx)) fail(api, `index must be an integer, but got ${describe(idx)}`);
  const i = idx < 0 ? idx + n : idx;
  if (i < 0 || i >= n) fail(api, `index ${idx} is out of range for a dataset of length ${n}`, OutOfRangeError);
  return i;
}

/** numpy's `x.astype(dtype)` on what a transform returned: Tensors are converted, other values kept. */
export function astype(x: unknown, dtype: DType, api: string): unknown {
  if (x instanceof Tensor) return x.dtype === dtype ? x : tensorFromData(x, dtype, api);
  return x;
}

/** A one-element int64 Tensor of shape [1] (Paddle's `np.array([label]).astype('int64')`). */
export function int64Label(v: number): Tensor {
  return new Tensor(new BigInt64Array([BigInt(v)]), [1], 'int64');
}

/** An uint8 image Tensor over `data` (not copied): [H, W] for one channel, [H, W, C] otherwise. */
export function imageTensor(data: Uint8Array, h: number, w: number, c: number): Tensor {
  return new Tensor(data, c === 1 ? [h, w] : [h, w, c], 'uint8');
}
