// SelectedRows: Paddle's sparse gradient of a lookup table (framework/selected_rows.h). A
// dygraph Embedding(sparse=True) gets one as its weight's gradient: `rows` (ids, duplicates
// allowed), `height` (the table's row count) and the value, one row per id. As in Paddle, the
// tensor's own data and shape are the value's ([rows.length, ...]); `to_dense()` scatters it
// into the [height, ...] table shape. Optimizer kernels update only the listed rows.
import { allocNumbers, allocStorage, fromNumbers, toNumbers, type DType, type NumArray, type Storage } from './dtype.js';
import { Tensor } from './tensor.js';

/**
 * A sparse gradient: the value rows of the listed table rows (duplicate rows add up).
 * @example
 * const emb = new paddle.nn.Embedding(10, 3, { sparse: true })
 * emb(ids).sum().backward()
 * emb.weight.grad.rows    // the ids, e.g. [2, 7, 2]
 * emb.weight.grad.shape   // [3, 3]: the value
 */
export class SelectedRows extends Tensor {
  /** The table rows the value rows belong to. */
  rows: number[];
  /** The number of rows of the dense table. */
  height: number;

  /** @internal Use the gradient an Embedding(sparse=True) produces. */
  constructor(value: Storage, valueDims: number[], dtype: DType, rows: number[], height: number) {
    super(value, valueDims, dtype);
    this.rows = rows;
    this.height = height;
    this.type = 'SELECTED_ROWS';
    this.stop_gradient = true;
  }

  /** The dense shape: [height, ...the value's row shape]. */
  get dense_shape(): number[] {
    return [this.height, ...this.dims.slice(1)];
  }

  /** Elements per row. */
  get rowSize(): number {
    let n = 1;
    for (let i = 1; i < this.dims.length; i++) n *= this.dims[i];
    return n;
  }

  /** The dense table: zeros except the listed rows, where the value rows are added. */
  to_dense(): Tensor {
    const w = this.rowSize;
    const out = allocNumbers(this.dtype, this.height * w);
    const v = toNumbers(this.data, this.dtype);
    for (let i = 0; i < this.rows.length; i++) {
      const o = this.rows[i] * w;
      for (let j = 0; j < w; j++) out[o + j] += v[i * w + j];
    }
    return new Tensor(storageOf(out, this.dtype), this.dense_shape, this.dtype);
  }

  /** @internal Sets the gradient to empty (Paddle clears a SelectedRows gradient's rows). */
  override _zero_(): void {
    this.rows = [];
    this.data = allocStorage(this.dtype, 0);
    this.dims = [0, ...this.dims.slice(1)];
    this.ver.v++;
  }

  override toString(): string {
    return `SelectedRows(rows=[${this.rows.join(', ')}], height=${this.height},\n       value=${super.toString()})`;
  }
}

/** Whether `t` is a SelectedRows gradient. */
export function isSelectedRows(t: unknown): t is SelectedRows {
  return t instanceof SelectedRows;
}

/**
 * The rows sorted and unique with duplicate rows summed (Paddle's scatter::MergeAdd, what
 * merge_selected_rows and the lazy Adam update see). `parts` must share dtype and row shape.
 */
export function mergeRows(...parts: SelectedRows[]): SelectedRows {
  const first = parts[0];
  const w = first.rowSize;
  const at = new Map<number, number>();
  for (const p of parts) for (const r of p.rows) if (!at.has(r)) at.set(r, 0);
  const rows = [...at.keys()].sort((a, b) => a - b);
  rows.forEach((r, i) => at.set(r, i));
  const out = allocNumbers(first.dtype, rows.length * w);
  for (const p of parts) {
    const v = toNumbers(p.data, p.dtype);
    for (let i = 0; i < p.rows.length; i++) {
      const o = at.get(p.rows[i])! * w;
      for (let j = 0; j < w; j++) out[o + j] += v[i * w + j];
    }
  }
  return new SelectedRows(storageOf(out, first.dtype), [rows.length, ...first.dims.slice(1)], first.dtype, rows, first.height);
}

/** Numbers computed for dtype d as its storage (float16 bits, int64). */
function storageOf(a: NumArray, d: DType): Storage {
  return d === 'float16' || d === 'int64' ? fromNumbers(a, d) : a;
}

/** A SelectedRows with `sr`'s rows and a new value of the same shape (clipping, scaling). */
export function withValue(sr: SelectedRows, value: Tensor): SelectedRows {
  return new SelectedRows(value.data, value.dims.slice(), value.dtype, sr.rows.slice(), sr.height);
}

/** The value as a plain Tensor sharing the data (for dense operators on the rows). */
export function valueOf(sr: SelectedRows): Tensor {
  return new Tensor(sr.data, sr.dims.slice(), sr.dtype);
}

/** A dense Tensor for `g` (SelectedRows are scattered into their table shape). */
export function densify(g: Tensor): Tensor {
  return g instanceof SelectedRows ? g.to_dense() : g;
}
