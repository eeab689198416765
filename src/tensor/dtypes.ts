// dtype names and the default-dtype switch (paddle.float32 === 'float32', as in Paddle 2.1+).
import { DType, getDefaultDType, parseDType, setDefaultDType } from '../core/dtype.js';
import { fail } from '../core/errors.js';

export const bool = 'bool' as const;
export const uint8 = 'uint8' as const;
export const int8 = 'int8' as const;
export const int16 = 'int16' as const;
export const int32 = 'int32' as const;
export const int64 = 'int64' as const;
export const float16 = 'float16' as const;
export const float32 = 'float32' as const;
export const float64 = 'float64' as const;
export const complex64 = 'complex64' as const;
export const complex128 = 'complex128' as const;

/**
 * Sets the dtype that float data and float creation functions default to: 'float16',
 * 'float32' or 'float64'.
 * @example paddle.set_default_dtype('float64')
 */
export function set_default_dtype(d: DType | string): void {
  const dt = parseDType(d);
  if (dt !== 'float16' && dt !== 'float32' && dt !== 'float64')
    fail('paddle.set_default_dtype', `argument 'd' must be 'float16', 'float32' or 'float64', but got ${String(d)}`);
  setDefaultDType(dt);
}
/** The default float dtype ('float32' unless set). */
export function get_default_dtype(): DType {
  return getDefaultDType();
}
