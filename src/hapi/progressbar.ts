// The progress bar behind paddle.callbacks.ProgBarLogger (python/paddle/hapi/progressbar.py
// at 2.0), with Python's number formatting so the lines read as Paddle's.
import { Tensor } from '../core/tensor.js';

/** Where a ProgressBar writes: process.stdout, or any object with write (and maybe isTTY/columns). */
export interface Writable {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Python's `'%.4e' % v`: `1.2340e-04` (the exponent has a sign and at least two digits). */
export function pyExp(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return pyNonFinite(v);
  const s = v.toExponential(digits);
  const i = s.indexOf('e');
  const sign = s[i + 1];
  const exp = s.slice(i + 2);
  return `${s.slice(0, i)}e${sign}${exp.padStart(2, '0')}`;
}
/** Python's `'%.Nf' % v` (nan, inf and -inf spelled as Python does). */
export function pyFixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return pyNonFinite(v);
  return v.toFixed(digits);
}
function pyNonFinite(v: number): string {
  return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
}

/** A float as the progress bar shows it: `%.4f` when |v| > 1e-3, else `%.4e`. */
export function formatValue(v: number): string {
  return Math.abs(v) > 1e-3 || !Number.isFinite(v) ? pyFixed(v, 4) : pyExp(v, 4);
}

/** Python's `repr()` of a float: shortest digits, `1e-05`, `0.0001`, `2.0`, `1e+16`. */
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return pyNonFinite(v);
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const e = v.toExponential(); // shortest round-trip digits, e.g. '-1.2345e-5'
  const [mant, expStr] = e.split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${neg ? '-' : ''}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  let s: string;
  if (exp < 0) s = '0.' + '0'.repeat(-exp - 1) + digits;
  else if (digits.length <= exp + 1) s = digits + '0'.repeat(exp + 1 - digits.length) + '.0';
  else s = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  return (neg ? '-' : '') + s;
}

/** Python's `str()` of a value shown by `%s` (lists as `[1, 2]`, None, True/False). */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Tensor) return pyStr(v.tolist());
  return String(v);
}
function pyRepr(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : pyStr(v);
}

/** One shown value: floats (and one-element float Tensors) formatted, anything else as `%s`. */
function showOne(v: unknown): string {
  if (typeof v === 'number') return ' ' + formatValue(v);
  if (v instanceof Tensor && v.size === 1 && (v.dtype === 'float32' || v.dtype === 'float64'))
    return ' ' + formatValue(v.item() as number);
  return ' ' + pyStr(v);
}

/** `time_per_unit` as ' - 12ms/step' (s, ms or us, as Paddle picks). */
export function formatStepTime(timePerUnit: number): string {
  if (timePerUnit >= 1 || timePerUnit === 0) return ` - ${pyFixed(timePerUnit, 0)}s/step`;
  if (timePerUnit >= 1e-3) return ` - ${pyFixed(timePerUnit * 1e3, 0)}ms/step`;
  return ` - ${pyFixed(timePerUnit * 1e6, 0)}us/step`;
}

function now(): number {
  return performance.now() / 1000;
}

/**
 * Paddle's ProgressBar(num=None, width=30, verbose=1, start=True, file=sys.stdout).
 *
 * `update(current_num, values)` shows `values` (a list of [name, value] pairs). verbose 1:
 * `step  10/938 [==>.....] - loss: 0.3421 - acc: 0.9012 - ETA: 1:02 - 12ms/step`, rewritten
 * in place on a terminal (`file.isTTY`), else written on a new line each update; verbose 2
 * and 3: one line per update, `step  10/938 - loss: 0.3421 - acc: 0.9012 - 12ms/step`.
 */
export class ProgressBar {
  _num: number | null;
  _width: number;
  _total_width = 0;
  _verbose: number;
  file: Writable;
  _start = now();
  _last_update = 0;
  _dynamic_display: boolean;

  constructor(num: number | null = null, width = 30, verbose = 1, start = true, file: Writable = process.stdout) {
    if (typeof num === 'number' && num <= 0) throw new TypeError('num should be None or integer (> 0)');
    this._num = num;
    const maxWidth = ProgressBar._get_max_width(file);
    this._width = width <= maxWidth ? width : maxWidth;
    this._verbose = verbose;
    this.file = file;
    if (start) this._start = now();
    this._dynamic_display = file.isTTY === true;
  }

  /** Python's rule: min(60% of the terminal, terminal - 50); 80 columns when unknown. */
  static _get_max_width(file: Writable): number {
    let cols = typeof file.columns === 'number' && file.columns > 0 ? file.columns : Number(process.env.COLUMNS) || 80;
    if (!(cols > 0)) cols = 80;
    return Math.min(Math.trunc(cols * 0.6), cols - 50);
  }

  /** Restarts the clock. */
  start(): void {
    this._start = now();
  }

  /**
   * Shows progress `current_num` of `num` with the given `[name, value]` pairs (a value may
   * be a list, shown space-separated).
   */
  update(current_num: number, values: [string, unknown][] = []): void {
    const t = now();
    const timePerUnit = current_num ? (t - this._start) / current_num : 0;
    const fps = formatStepTime(timePerUnit);
    let info = '';
    const valuesText = (): string => {
      let s = '';
      for (const [k, val] of values) {
        s += ` - ${k}:`;
        const list = Array.isArray(val) ? val : [val];
        for (const v of list) s += showOne(v);
      }
      return s;
    };
    if (this._verbose === 1) {
      const prevTotal = this._total_width;
      let out = '';
      if (this._dynamic_display) out += '\b'.repeat(prevTotal) + '\r';
      else out += '\n';
      let bar: string;
      if (this._num !== null) {
        const numdigits = Math.trunc(Math.log10(this._num)) + 1;
        bar = `step ${String(current_num).padStart(numdigits)}/${this._num} [`;
        const progWidth = Math.trunc(this._width * (current_num / this._num));
        if (progWidth > 0) {
          bar += '='.repeat(progWidth - 1);
          bar += current_num < this._num ? '>' : '=';
        }
        bar += '.'.repeat(Math.max(0, this._width - progWidth));
        bar += ']';
      } else bar = `step ${String(current_num).padStart(3)}`;
      this._total_width = bar.length;
      out += bar;
      info += valuesText();
      if (this._num !== null && current_num < this._num) {
        const eta = timePerUnit * (this._num - current_num);
        let etaFormat: string;
        if (eta > 3600) etaFormat = `${Math.floor(eta / 3600)}:${pad2(Math.floor((eta % 3600) / 60))}:${pad2(Math.floor(eta % 60))}`;
        else if (eta > 60) etaFormat = `${Math.floor(eta / 60)}:${pad2(Math.floor(eta % 60))}`;
        else etaFormat = `${Math.floor(eta)}s`;
        info += ` - ETA: ${etaFormat}`;
      }
      info += fps;
      this._total_width += info.length;
      if (prevTotal > this._total_width) info += ' '.repeat(prevTotal - this._total_width);
      if (this._num === null || current_num >= this._num) info += '\n';
      this.file.write(out + info);
      this._last_update = t;
    } else if (this._verbose === 2 || this._verbose === 3) {
      let count: string;
      if (this._num) {
        const numdigits = Math.trunc(Math.log10(this._num)) + 1;
        count = `step ${String(current_num).padStart(numdigits)}/${this._num}`;
      } else count = `step ${String(current_num).padStart(3)}`;
      info = count + valuesText() + fps + '\n';
      this.file.write(info);
    }
  }
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
