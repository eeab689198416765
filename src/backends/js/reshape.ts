// Portable kernels of reshape2, squeeze2, unsqueeze2 and flatten_contiguous_range: the
// output is a view sharing X's storage and version counter (Paddle's dygraph does the same);
// XShape carries only a shape.
import { allocStorage } from '../../core/dtype.js';
import { Kernel, registerKernel } from '../../core/registry.js';
import { Tensor } from '../../core/tensor.js';

/** A tensor with the given dims sharing x's storage (and its in-place version counter). */
export function viewOf(x: Tensor, dims: number[]): Tensor {
  const t = new Tensor(x.data, dims, x.dtype);
  t.ver = x.ver;
  return t;
}

const view: Kernel = (ins, _attrs, outs) => {
  const x = ins.X[0];
  const xs = outs.XShape[0];
  return {
    Out: [viewOf(x, outs.Out[0].dims.slice())],
    XShape: [new Tensor(allocStorage(x.dtype, 0), xs.dims.slice(), x.dtype)],
  };
};

for (const type of ['reshape2', 'squeeze2', 'unsqueeze2', 'flatten_contiguous_range']) registerKernel(type, 'js', view);
