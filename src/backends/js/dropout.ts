// Portable kernel of `dropout`. Draws come from the Seed input, a generator seeded by the
// `seed` attribute (fix_seed), or paddle.seed's default generator, as Paddle's CPU kernel.
import { allocNumbers, toNumbers } from '../../core/dtype.js';
import { defaultGenerator, Generator } from '../../core/random.js';
import { registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { dropoutAttrs } from '../../ops/dropout.js';
import { nums, tensorOf } from './loops.js';

registerKernel('dropout', 'js', (ins, attrs) => {
  const x = ins.X[0];
  const { p, upscale } = dropoutAttrs(attrs);
  const n = numel(x.dims);
  const a = nums(x);
  const out = allocNumbers(x.dtype, n);
  const mask = new Uint8Array(n);
  if (attrs.is_test) {
    if (upscale) out.set(a.subarray(0, n));
    else {
      const k = 1 - p;
      for (let i = 0; i < n; i++) out[i] = a[i] * k;
    }
    mask.fill(1);
  } else if (p === 1) {
    // everything dropped (out and mask stay zero)
  } else {
    const seedT = ins.Seed?.[0];
    const seed = seedT ? Number(toNumbers(seedT.data, seedT.dtype)[0]) : attrs.fix_seed ? Number(attrs.seed) : 0;
    const gen = seed !== 0 ? new Generator(seed >>> 0) : defaultGenerator;
    const keep = upscale ? 1 - p : 1;
    for (let i = 0; i < n; i++) {
      if (gen.random() < p) continue;
      mask[i] = 1;
      out[i] = a[i] / keep;
    }
  }
  return { Out: [tensorOf(out, x.dims.slice(), x.dtype)], Mask: [new Tensor(mask, x.dims.slice(), 'uint8')] };
});
