// Portable kernels of the logical operators on bool bytes (broadcasting like NumPy).
import { registerKernel, Slots } from '../../core/registry.js';
import { Meta, Tensor } from '../../core/tensor.js';
import { binaryLoop } from './loops.js';

const LOGICAL: Record<string, string> = {
  logical_and: '(x !== 0 && y !== 0) ? 1 : 0',
  logical_or: '(x !== 0 || y !== 0) ? 1 : 0',
  logical_xor: '((x !== 0) !== (y !== 0)) ? 1 : 0',
};
for (const [type, expr] of Object.entries(LOGICAL)) {
  const loop = binaryLoop(expr);
  registerKernel(type, 'js', (ins: Slots<Tensor>, _attrs, outs: Slots<Meta>) => {
    const x = ins.X[0];
    const y = ins.Y[0];
    const o = outs.Out[0];
    const res = new Uint8Array(o.dims.reduce((a, b) => a * b, 1));
    loop(x.data as Uint8Array, x.dims, y.data as Uint8Array, y.dims, res, o.dims);
    return { Out: [new Tensor(res, o.dims.slice(), 'bool')] };
  });
}

registerKernel('logical_not', 'js', (ins: Slots<Tensor>) => {
  const x = ins.X[0];
  const a = x.data as Uint8Array;
  const res = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) res[i] = a[i] === 0 ? 1 : 0;
  return { Out: [new Tensor(res, x.dims.slice(), 'bool')] };
});
