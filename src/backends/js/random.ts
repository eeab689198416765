// Portable kernels of the random operators. Every draw comes from a core Generator: the
// default one (paddle.seed), or a fresh one seeded by a non-zero `seed` attribute.
import { Storage, allocStorage, toHalfBits, toNumbers } from '../../core/dtype.js';
import { defaultGenerator, Generator } from '../../core/random.js';
import { Attrs, registerKernel } from '../../core/registry.js';
import { numel } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { opFail } from '../../ops/util.js';
import { runtimeShape } from './creation.js';

/** The generator an op with a `seed` attribute draws from. */
function generatorOf(attrs: Attrs): Generator {
  const s = Number(attrs.seed ?? 0);
  return s !== 0 ? new Generator(s >>> 0) : defaultGenerator;
}

registerKernel('uniform_random', 'js', (ins, attrs, outs) => {
  const op = 'uniform_random';
  const d = outs.Out[0].dtype;
  const shape = runtimeShape(ins, attrs, op);
  const n = numel(shape);
  const gen = generatorOf(attrs);
  const lo = Number(attrs.min);
  const hi = Number(attrs.max);
  const span = hi - lo;
  let s: Storage;
  if (d === 'float32' || d === 'float16') {
    const a = new Float32Array(n);
    const top = Math.fround(hi);
    for (let i = 0; i < n; i++) {
      let v = Math.fround(lo + span * gen.random());
      while (v >= top) v = Math.fround(lo + span * gen.random()); // keep [min, max) after rounding
      a[i] = v;
    }
    s = a;
  } else {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = lo + span * gen.random();
    s = a;
  }
  const dn = Number(attrs.diag_num);
  if (dn > 0) {
    const step = Number(attrs.diag_step);
    if (!(n > (dn - 1) * (step + 1)))
      opFail(op, `the diagonal elements need ${(dn - 1) * (step + 1) + 1} elements, but the shape holds ${n}`);
    for (let i = 0; i < dn; i++) (s as Float32Array)[i * step + i] = Number(attrs.diag_val);
  }
  if (d === 'float16') s = Uint16Array.from(s as Float32Array, (v) => toHalfBits(v));
  return { Out: [new Tensor(s, shape, d)] };
});

registerKernel('gaussian_random', 'js', (ins, attrs, outs) => {
  const d = outs.Out[0].dtype;
  const shape = runtimeShape(ins, attrs, 'gaussian_random');
  const n = numel(shape);
  const gen = generatorOf(attrs);
  const mean = Number(attrs.mean);
  const std = Number(attrs.std);
  const a = d === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = mean + std * gen.normal();
  const s: Storage = d === 'float16' ? Uint16Array.from(a, (v) => toHalfBits(v)) : a;
  return { Out: [new Tensor(s, shape, d)] };
});

registerKernel('randint', 'js', (ins, attrs, outs) => {
  const d = outs.Out[0].dtype;
  const shape = runtimeShape(ins, attrs, 'randint');
  const n = numel(shape);
  const gen = generatorOf(attrs);
  const lo = Number(attrs.low);
  const range = Number(attrs.high) - lo;
  if (d === 'int64') {
    const a = new BigInt64Array(n);
    for (let i = 0; i < n; i++) a[i] = BigInt(lo + gen.int(range));
    return { Out: [new Tensor(a, shape, d)] };
  }
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + gen.int(range);
  return { Out: [new Tensor(a, shape, d)] };
});

registerKernel('randperm', 'js', (_ins, attrs, outs) => {
  const d = outs.Out[0].dtype;
  const n = Number(attrs.n);
  const gen = generatorOf(attrs);
  // Fisher-Yates shuffle of 0..n-1
  const perm = new Float64Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = gen.int(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  let s: Storage;
  if (d === 'int64') s = BigInt64Array.from(perm, (v) => BigInt(v));
  else {
    s = allocStorage(d, n);
    (s as Float64Array).set(perm);
  }
  return { Out: [new Tensor(s, [n], d)] };
});

registerKernel('bernoulli', 'js', (ins) => {
  const x = ins.X[0];
  const p = toNumbers(x.data, x.dtype);
  const n = numel(x.dims);
  const out = allocStorage(x.dtype, n) as Float32Array | Float64Array;
  const gen = defaultGenerator;
  for (let i = 0; i < n; i++) {
    const v = p[i];
    if (!(v >= 0 && v <= 1)) opFail('bernoulli', `each probability in x must be in [0, 1], but got ${v}`);
    out[i] = gen.random() < v ? 1 : 0;
  }
  return { Out: [new Tensor(out, x.dims.slice(), x.dtype)] };
});

registerKernel('multinomial', 'js', (ins, attrs, outs) => {
  const op = 'multinomial';
  const x = ins.X[0];
  const probs = toNumbers(x.data, x.dtype);
  const cats = x.dims[x.dims.length - 1];
  const rows = x.dims.length === 2 ? x.dims[0] : 1;
  const ns = Number(attrs.num_samples);
  const repl = !!attrs.replacement;
  const o = outs.Out[0];
  const res = new BigInt64Array(rows * ns);
  const cum = new Float64Array(cats);
  const gen = defaultGenerator;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    let zeros = 0;
    for (let j = 0; j < cats; j++) {
      const v = probs[r * cats + j];
      if (!(v >= 0)) opFail(op, `each probability in x must be >= 0, but got ${v}`);
      if (v === Infinity) opFail(op, `each probability in x must be finite, but got ${v}`);
      sum += v;
      if (v === 0) zeros++;
      cum[j] = sum;
    }
    if (!(sum > 0)) opFail(op, `the probabilities of a distribution must sum to more than 0, but got ${sum}`);
    if (!repl && cats - zeros < ns)
      opFail(op, `without replacement, num_samples (${ns}) cannot exceed the number of non-zero categories (${cats - zeros})`);
    for (let j = 0; j < cats; j++) cum[j] /= sum;
    for (let s = 0; s < ns; s++) {
      const u = gen.random();
      cum[cats - 1] = 1;
      // the first category whose cumulative probability reaches u, skipping zero-width ones
      let left = 0;
      let right = cats;
      while (right > left) {
        const mid = left + ((right - left) >> 1);
        if (cum[mid] <= u) left = mid + 1;
        else right = mid;
      }
      const id = Math.min(left, cats - 1);
      res[r * ns + s] = BigInt(id);
      if (!repl && s < ns - 1) {
        // remove the drawn category and renormalise
        const prev = id > 0 ? cum[id - 1] : 0;
        const p = cum[id] - prev;
        const rest = 1 - p;
        for (let j = 0; j < cats; j++) {
          let v = cum[j];
          if (j >= id) v -= p;
          cum[j] = v / rest;
        }
      }
    }
  }
  return { Out: [new Tensor(res, o.dims.slice(), 'int64')] };
});
