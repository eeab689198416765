// Portable kernel of `cast`: converts the raw storage (int64 stays exact between integer
// types and wraps like C++ into narrower ones; float to int truncates; complex to real keeps
// the real part; to bool is `!= 0`, so NaN is true as in C++).
import { allocStorage, convertStorage, DType, isFloating, Storage } from '../../core/dtype.js';
import { registerKernel } from '../../core/registry.js';
import { Tensor } from '../../core/tensor.js';

function toBool(s: Storage, from: DType): Uint8Array {
  const out = new Uint8Array(s.length);
  if (from === 'float16') for (let i = 0; i < s.length; i++) out[i] = ((s as Uint16Array)[i] & 0x7fff) !== 0 ? 1 : 0;
  else for (let i = 0; i < s.length; i++) out[i] = (s as Float64Array)[i] !== 0 ? 1 : 0;
  return out;
}

/** Dtypes stored as plain numbers that typed-array `set` converts exactly (to float targets). */
const PLAIN = new Set<DType>(['bool', 'uint8', 'int8', 'int16', 'int32', 'float32', 'float64']);

registerKernel('cast', 'js', (ins, _attrs, outs) => {
  const x = ins.X[0];
  const o = outs.Out[0];
  let data: Storage;
  if (o.dtype === 'bool' && isFloating(x.dtype)) data = toBool(x.data, x.dtype);
  else if ((o.dtype === 'float32' || o.dtype === 'float64') && PLAIN.has(x.dtype) && x.dtype !== o.dtype) {
    // native conversion: widening is exact, narrowing rounds to nearest like C++
    data = allocStorage(o.dtype, x.data.length);
    (data as Float64Array).set(x.data as Float64Array);
  } else data = convertStorage(x.data, x.dtype, o.dtype);
  return { Out: [new Tensor(data, o.dims.slice(), o.dtype)] };
});
