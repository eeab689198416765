// Portable kernels of the creation operators (fill_constant, fill_any_like, empty, eye, range,
// linspace, assign, assign_value). They write storage directly, so int64 stays exact.
import { DType, Storage, allocStorage, convertStorage, fillStorage, isComplex, toBigInt64, toNumbers } from '../../core/dtype.js';
import { Attrs, registerKernel, Slots } from '../../core/registry.js';
import { numel, showShape } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { opFail } from '../../ops/util.js';

/** The runtime shape of an op with ShapeTensor / ShapeTensorList / shape (checked non-negative). */
export function runtimeShape(ins: Slots<Tensor>, attrs: Attrs, op: string): number[] {
  let shape: number[];
  const st = ins.ShapeTensor?.[0];
  const list = ins.ShapeTensorList;
  if (st) shape = Array.from(toNumbers(st.data, st.dtype));
  else if (list && list.length) {
    shape = list.map((t) => {
      if (numel(t.dims) !== 1) opFail(op, `each tensor of ShapeTensorList must have shape [1], but got ${showShape(t.dims)}`);
      return Number(toNumbers(t.data, t.dtype)[0]);
    });
  } else shape = (attrs.shape as number[]).map(Number);
  for (let i = 0; i < shape.length; i++)
    if (!Number.isInteger(shape[i]) || shape[i] < 0)
      opFail(op, `each value of shape must be a non-negative integer, but got shape[${i}] = ${shape[i]} in ${showShape(shape)}`);
  return shape;
}

/** A tensor of `dims` filled with `value` (a number, or a bigint for exact int64). */
export function filled(dims: number[], d: DType, value: number | bigint): Tensor {
  const s = allocStorage(d, numel(dims));
  if (typeof value === 'bigint') {
    if (s instanceof BigInt64Array) s.fill(BigInt.asIntN(64, value));
    else fillStorage(s, d, Number(value));
  } else if (value !== 0 || Object.is(value, -0)) fillStorage(s, d, value);
  return new Tensor(s, dims, d);
}

/** The value of fill_constant's str_value, read as Paddle's kernel reads it for dtype d. */
function parseStrValue(sv: string, d: DType): number | bigint {
  if (sv === 'inf') return Infinity;
  if (sv === '-inf') return -Infinity;
  if (sv === 'nan') return NaN;
  if (d === 'int64') {
    const m = /^\s*([+-]?\d+)/.exec(sv);
    if (m) return BigInt.asIntN(64, BigInt(m[1]));
    return 0n;
  }
  const v = Number.parseFloat(sv);
  return Number.isNaN(v) && !/nan/i.test(sv) ? 0 : v;
}

registerKernel('fill_constant', 'js', (ins, attrs, outs) => {
  const o = outs.Out[0];
  const shape = runtimeShape(ins, attrs, 'fill_constant');
  let value: number | bigint;
  const vt = ins.ValueTensor?.[0];
  if (vt) {
    if (numel(vt.dims) !== 1) opFail('fill_constant', `input ValueTensor must hold one value, but got shape ${showShape(vt.dims)}`);
    if (vt.dtype === 'int64') value = (vt.data as BigInt64Array)[0];
    else value = Number(toNumbers(convertStorage(vt.data, vt.dtype, isComplex(vt.dtype) ? 'float64' : vt.dtype), isComplex(vt.dtype) ? 'float64' : vt.dtype)[0]);
  } else if (attrs.str_value) value = parseStrValue(String(attrs.str_value), o.dtype);
  else value = Number(attrs.value);
  return { Out: [filled(shape, o.dtype, value)] };
});

registerKernel('fill_any_like', 'js', (ins, attrs, outs) => {
  const o = outs.Out[0];
  return { Out: [filled(ins.X[0].dims.slice(), o.dtype, Number(attrs.value))] };
});

registerKernel('empty', 'js', (ins, attrs, outs) => {
  const o = outs.Out[0];
  const shape = runtimeShape(ins, attrs, 'empty');
  return { Out: [new Tensor(allocStorage(o.dtype, numel(shape)), shape, o.dtype)] };
});

/** Writes 1 at element i of storage s of dtype d. */
function setOne(s: Storage, d: DType, i: number): void {
  if (s instanceof BigInt64Array) s[i] = 1n;
  else if (d === 'float16') s[i] = 0x3c00;
  else if (isComplex(d)) s[2 * i] = 1;
  else s[i] = 1;
}

registerKernel('eye', 'js', (_ins, _attrs, outs) => {
  const o = outs.Out[0];
  const [r, c] = o.dims;
  const s = allocStorage(o.dtype, r * c);
  const n = Math.min(r, c);
  for (let i = 0; i < n; i++) setOne(s, o.dtype, i * c + i);
  return { Out: [new Tensor(s, [r, c], o.dtype)] };
});

function rangeSizeCheck(start: number | bigint, end: number | bigint, step: number | bigint): void {
  const op = 'range';
  if (step == 0) opFail(op, 'the step of range should not be 0');
  if (start < end && step < 0) opFail(op, `the step should be greater than 0 while start < end, but got start=${start}, end=${end}, step=${step}`);
  if (start > end && step > 0) opFail(op, `the step should be less than 0 while start > end, but got start=${start}, end=${end}, step=${step}`);
}

registerKernel('range', 'js', (ins) => {
  const st = ins.Start[0];
  const d = st.dtype;
  if (d === 'int64') {
    const a = (st.data as BigInt64Array)[0];
    const b = (ins.End[0].data as BigInt64Array)[0];
    const s = (ins.Step[0].data as BigInt64Array)[0];
    rangeSizeCheck(a, b, s);
    const abs = (v: bigint): bigint => (v < 0n ? -v : v);
    const n = Number((abs(b - a) + abs(s) - 1n) / abs(s));
    const out = new BigInt64Array(n);
    let v = a;
    for (let i = 0; i < n; i++) { out[i] = v; v += s; }
    return { Out: [new Tensor(out, [n], d)] };
  }
  const one = (t: Tensor): number => Number(toNumbers(t.data, t.dtype)[0]);
  const a = one(st);
  const b = one(ins.End[0]);
  const s = one(ins.Step[0]);
  rangeSizeCheck(a, b, s);
  let n: number;
  if (d === 'int32') n = Math.trunc((Math.abs(b - a) + Math.abs(s) - 1) / Math.abs(s));
  else if (d === 'float32') n = Math.ceil(Math.abs(Math.fround((b - a) / s)));
  else n = Math.ceil(Math.abs((b - a) / s));
  if (!Number.isFinite(n)) opFail('range', `the range from ${a} to ${b} by ${s} is not finite`);
  const out = allocStorage(d, n) as Float32Array | Float64Array | Int32Array;
  // Paddle accumulates value += step in the output dtype.
  if (d === 'float32') {
    let v = Math.fround(a);
    for (let i = 0; i < n; i++) { out[i] = v; v = Math.fround(v + s); }
  } else if (d === 'int32') {
    let v = a;
    for (let i = 0; i < n; i++) { out[i] = v; v = (v + s) | 0; }
  } else {
    let v = a;
    for (let i = 0; i < n; i++) { out[i] = v; v += s; }
  }
  return { Out: [new Tensor(out, [n], d)] };
});

/** A one-element tensor's value converted to dtype d (as Paddle's TransDataType does). */
function valueAs(t: Tensor, d: DType): number {
  return Number(toNumbers(convertStorage(t.data.subarray(0, isComplex(t.dtype) ? 2 : 1) as Storage, t.dtype, d), d)[0]);
}

registerKernel('linspace', 'js', (ins, _attrs, outs) => {
  const d = outs.Out[0].dtype;
  const num = Number(toNumbers(ins.Num[0].data, ins.Num[0].dtype)[0]);
  if (!(num > 0)) opFail('linspace', `the num of linspace should be larger than 0, but got ${num}`);
  const start = valueAs(ins.Start[0], d);
  const stop = valueAs(ins.Stop[0], d);
  const vals = new Float64Array(num);
  if (num > 1) {
    const step = (stop - start) / (num - 1);
    const half = Math.trunc(num / 2);
    for (let i = 0; i < num; i++) vals[i] = i < half ? start + step * i : stop - step * (num - i - 1);
  } else vals[0] = start;
  let s: Storage;
  if (d === 'int64') {
    const b = new BigInt64Array(num);
    for (let i = 0; i < num; i++) b[i] = toBigInt64(vals[i]);
    s = b;
  } else if (d === 'float32') s = Float32Array.from(vals);
  else if (d === 'int32') s = Int32Array.from(vals, (v) => Math.trunc(v));
  else s = vals;
  return { Out: [new Tensor(s, [num], d)] };
});

registerKernel('assign', 'js', (ins) => {
  const x = ins.X[0];
  const t = new Tensor(x.data.slice(), x.dims.slice(), x.dtype);
  t.lod = x.lod.map((l) => l.slice());
  return { Out: [t] };
});

registerKernel('assign_value', 'js', (_ins, attrs, outs) => {
  const o = outs.Out[0];
  const d = o.dtype;
  const shape = o.dims.slice();
  const n = numel(shape);
  let s: Storage;
  if (d === 'int64') {
    const vals = attrs.int64_values as (number | bigint | string)[];
    const b = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const v = vals[i];
      b[i] = typeof v === 'bigint' ? BigInt.asIntN(64, v) : typeof v === 'string' ? BigInt.asIntN(64, BigInt(v)) : toBigInt64(v);
    }
    s = b;
  } else if (d === 'bool') s = Uint8Array.from(attrs.bool_values as unknown[], (v) => (v ? 1 : 0));
  else if (d === 'float32') s = Float32Array.from(attrs.fp32_values as number[]);
  else s = Int32Array.from(attrs.int32_values as number[]);
  return { Out: [new Tensor(s, shape, d)] };
});
