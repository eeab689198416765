// Paddle-style printing of tensors, following python/paddle/tensor/to_string.py:
// precision 8, summarised past 1000 elements with 3 edge items, integral floats as "1.".
import type { DType } from './dtype.js';
import { isFloating } from './dtype.js';

export const printOptions = { precision: 8, threshold: 1000, edgeitems: 3, linewidth: 80, sci_mode: false };

type Item = number | boolean | bigint | [number, number];

/** A float part of a complex number as Python's repr writes it (shortest digits, no forced ".0"). */
function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const sign = v < 0 ? '-' : '';
  const [mant, ex] = Math.abs(v).toExponential().split('e');
  const e = Number(ex);
  const digits = mant.replace('.', '');
  if (e < -4 || e >= 16) return `${sign}${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const int = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const frac = digits.slice(e + 1);
  return `${sign}${int}${frac ? '.' + frac : ''}`;
}

/** A complex number as Python's repr (which Paddle's printing uses): `(1+2j)`, `2j`, `(-0-1j)`. */
function formatComplex([re, im]: [number, number]): string {
  if (re === 0 && !Object.is(re, -0)) return `${pyFloatRepr(im)}j`;
  const neg = im < 0 || Object.is(im, -0);
  return `(${pyFloatRepr(re)}${neg ? '-' : '+'}${pyFloatRepr(Math.abs(im))}j)`;
}

function itemString(v: Item, dtype: DType): string {
  if (Array.isArray(v)) return formatComplex(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (isFloating(dtype)) {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (printOptions.sci_mode) return v.toExponential(printOptions.precision).replace(/e([+-])(\d)$/, 'e$10$2');
    if (Math.ceil(v) === v) return `${Object.is(v, -0) ? '-0' : v.toFixed(0)}.`;
    return v.toFixed(printOptions.precision);
  }
  return String(v);
}

function isNegative(v: Item): boolean {
  // NumPy orders complex numbers lexicographically (real part first)
  if (Array.isArray(v)) return v[0] < 0 || (v[0] === 0 && v[1] < 0);
  return typeof v === 'boolean' ? false : v < 0;
}

/** Formats nested data (from tolist) the way Paddle prints it, given the indent of the data. */
export function formatData(data: unknown, shape: readonly number[], dtype: DType, indent: number): string {
  let size = 1;
  for (const d of shape) size *= d;
  const summary = size > printOptions.threshold;
  const edge = printOptions.edgeitems;
  // width and sign from the items that will be shown
  let maxWidth = 0;
  let signed = false;
  const visit = (x: unknown, depth: number): void => {
    if (depth === shape.length) {
      const s = itemString(x as Item, dtype);
      if (s.length > maxWidth) maxWidth = s.length;
      if (isNegative(x as Item)) signed = true;
      return;
    }
    const arr = x as unknown[];
    const pick = summary && arr.length > 2 * edge ? [...arr.slice(0, edge), ...arr.slice(-edge)] : arr;
    for (const y of pick) visit(y, depth + 1);
  };
  visit(data, 0);
  const fmtItem = (x: Item): string => {
    const s = itemString(x, dtype);
    if (maxWidth <= s.length) return s;
    if (signed) return isNegative(x) ? s.padEnd(maxWidth) : ' ' + s.padEnd(maxWidth - 1);
    return s.padEnd(maxWidth);
  };
  const rec = (x: unknown, depth: number, ind: number): string => {
    if (depth === shape.length) return fmtItem(x as Item);
    const arr = x as unknown[];
    const rest = shape.length - depth;
    let parts: string[];
    if (summary && arr.length > 2 * edge)
      parts = [...arr.slice(0, edge).map((y) => rec(y, depth + 1, ind + 1)), '...', ...arr.slice(-edge).map((y) => rec(y, depth + 1, ind + 1))];
    else parts = arr.map((y) => rec(y, depth + 1, ind + 1));
    if (rest === 1) return '[' + parts.join(', ') + ']';
    return '[' + parts.join(',' + '\n'.repeat(rest - 1) + ' '.repeat(ind + 1)) + ']';
  };
  return rec(data, 0, indent);
}

/** `Tensor(shape=[2, 2], dtype=float32, place=CPUPlace, stop_gradient=True,\n       [[1., 2.], ...])` */
export function formatTensor(
  prefix: string,
  shape: readonly number[],
  dtype: DType,
  place: string,
  stopGradient: boolean,
  data: unknown,
): string {
  const indent = prefix.length + 1;
  const body = formatData(data, shape, dtype, indent);
  const sg = stopGradient ? 'True' : 'False';
  return `${prefix}(shape=[${shape.join(', ')}], dtype=${dtype}, place=${place}, stop_gradient=${sg},\n${' '.repeat(indent)}${body})`;
}

