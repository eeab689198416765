// Portable kernels of size, shape and histogram.
import { apiName } from '../../core/args.js';
import { isFloating, toNumbers } from '../../core/dtype.js';
import { fail, OutOfRangeError } from '../../core/errors.js';
import { registerKernel, Slots } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';

registerKernel('size', 'js', (ins: Slots<Tensor>) => ({
  Out: [new Tensor(BigInt64Array.of(BigInt(numel(ins.Input[0].dims))), [1], 'int64')],
}));

registerKernel('shape', 'js', (ins: Slots<Tensor>) => {
  const dims = ins.Input[0].dims;
  return { Out: [new Tensor(Int32Array.from(dims), [dims.length], 'int32')] };
});

// Bins as Paddle computes them: in the input's type (integer division for integer inputs,
// float32 arithmetic for float32), values outside [min, max] ignored, max in the last bin.
registerKernel('histogram', 'js', (ins: Slots<Tensor>, attrs) => {
  const x = ins.X[0];
  const v = toNumbers(x.data, x.dtype);
  const n = numel(x.dims);
  const bins = attrs.bins as number;
  const f32 = x.dtype === 'float32' || x.dtype === 'float16';
  const float = isFloating(x.dtype);
  let lo = attrs.min as number;
  let hi = attrs.max as number;
  if (lo === hi && n > 0) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const e = v[i];
      if (e < lo || lo !== lo) lo = e;
      if (e > hi || hi !== hi) hi = e;
    }
    if (lo !== lo || hi !== hi) lo = hi = NaN;
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    fail(apiName('histogram'), `the range of min, max is not finite (min = ${lo}, max = ${hi}) (operator histogram)`, OutOfRangeError);
  const out = new BigInt64Array(bins);
  const counts = new Float64Array(bins);
  const width = f32 ? Math.fround(hi - lo) : hi - lo;
  for (let i = 0; i < n; i++) {
    const e = v[i];
    if (!(e >= lo && e <= hi)) continue;
    let b: number;
    if (!float) b = Math.floor(((e - lo) * bins) / width);
    else if (f32) b = Math.trunc(Math.fround(Math.fround(Math.fround(e - lo) * bins) / width));
    else b = Math.trunc(((e - lo) * bins) / width);
    counts[b < bins - 1 ? b : bins - 1]++;
  }
  for (let b = 0; b < bins; b++) out[b] = BigInt(counts[b]);
  return { Out: [new Tensor(out, [bins], 'int64')] };
});
