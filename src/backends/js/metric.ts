// Portable kernel of the accuracy operator: counts the rows whose label appears among their
// top-k indices. Accuracy is float32 (correct / total, rounded as a C++ float division),
// Correct and Total int32. Labels must be non-negative.
import { toNumbers } from '../../core/dtype.js';
import { apiName } from '../../core/args.js';
import { fail } from '../../core/errors.js';
import { registerKernel } from '../../core/registry.js';
import { Tensor } from '../../core/tensor.js';

registerKernel('accuracy', 'js', (ins) => {
  const out = ins.Out[0];
  const indices = ins.Indices[0];
  const label = ins.Label[0];
  const n = out.dims[0];
  const k = out.dims[1];
  const acc = Tensor.zeros([1], 'float32');
  const correct = Tensor.zeros([1], 'int32');
  const total = Tensor.zeros([1], 'int32');
  if (n > 0) {
    const idx = toNumbers(indices.data, indices.dtype);
    const lab = toNumbers(label.data, label.dtype);
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const l = lab[i];
      if (!(l >= 0)) fail(apiName('accuracy'), `label of the accuracy operator must be >= 0, but received label[${i}] = ${l}`);
      const base = i * k;
      for (let j = 0; j < k; j++) {
        if (idx[base + j] === l) {
          hits++;
          break;
        }
      }
    }
    (correct.data as Int32Array)[0] = hits;
    (total.data as Int32Array)[0] = n;
    (acc.data as Float32Array)[0] = Math.fround(hits) / Math.fround(n);
  }
  return { Accuracy: [acc], Correct: [correct], Total: [total] };
});
