// Portable kernel of set_value: copies Input, then writes the (broadcast) value into the box.
import { DType, Storage, allocStorage, fromNumbers, isComplex, toBigInt64 } from '../../core/dtype.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { alignValue, attrValueDims, setValuePlan } from '../../ops/set_value.js';
import { boxCopy, broadcastRaw, raw, Raw, rawOf } from './slice.js';

/** A value list from the attributes as storage of dtype d. */
function attrStorage(values: unknown[], d: DType): Storage {
  const n = values.length;
  if (d === 'int64') {
    const s = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      s[i] = typeof v === 'bigint' ? BigInt.asIntN(64, v) : toBigInt64(Number(v));
    }
    return s;
  }
  const nums = values.map((v) => (typeof v === 'boolean' ? Number(v) : Number(v)));
  if (isComplex(d)) {
    const s = allocStorage(d, n) as Float64Array;
    for (let i = 0; i < n; i++) s[2 * i] = nums[i];
    return s;
  }
  return fromNumbers(nums, d);
}

registerKernel('set_value', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.Input[0];
  const plan = setValuePlan(x.dims, ins, attrs);
  const out = new Tensor(x.data.slice(), x.dims.slice(), x.dtype);
  const ro = raw(out);
  let rv: Raw;
  let vDims: number[];
  const vt = ins.ValueTensor?.[0];
  if (vt) {
    rv = raw(vt);
    vDims = vt.dims;
  } else {
    const a = attrValueDims(attrs, x.dtype)!;
    rv = rawOf(attrStorage(a.values, x.dtype), x.dtype);
    vDims = a.dims;
  }
  const aligned = alignValue(vDims, plan.target, 'set_value');
  const n = numel(plan.count);
  if (n === 0) return { Out: [out] };
  // a value with as many elements as the box is already laid out in the box's order
  const dense = numel(aligned) === n ? rv : broadcastRaw(rv, aligned, plan.target, x.dtype);
  boxCopy(ro.a, x.dims, plan.first, plan.step, plan.count, ro.w, dense.a, false);
  return { Out: [out] };
});
