// transpose2: Out = X with its dims permuted by `axis` (output dim i is input dim axis[i]);
// XShape is Paddle's bookkeeping output. The gradient permutes back with the inverse.
import { showShape } from '../core/shape.js';
import * as c from './calls.js';
import { xshapeMeta } from './reshape.js';
import { bool, defineOp, ints, meta, one, opFail, str } from './util.js';

/** Checks that `perm` permutes `rank` dims (entries in [0, rank), each once). */
export function checkPerm(perm: readonly number[], rank: number, op: string, xDims: readonly number[]): void {
  if (perm.length !== rank)
    opFail(op, `attribute axis must list every dimension of X once: X has shape ${showShape(xDims)} (${rank} dims) but axis is [${perm.join(', ')}]`);
  const seen = new Array<boolean>(rank).fill(false);
  for (const a of perm) {
    if (!Number.isInteger(a) || a < 0 || a >= rank || seen[a])
      opFail(op, `attribute axis must be a permutation of 0..${rank - 1}, but got [${perm.join(', ')}]`);
    seen[a] = true;
  }
}

defineOp({
  type: 'transpose2',
  inputs: ['X'],
  outputs: ['Out', 'XShape'],
  attrs: {
    axis: ints(),
    use_mkldnn: bool(false),
    data_format: str('AnyLayout'),
    use_quantizer: bool(false),
    mkldnn_data_type: str('float32'),
  },
  noGradOutputs: ['XShape'],
  infer(ins, attrs) {
    const x = one(ins, 'X', 'transpose2');
    const perm = attrs.axis as number[];
    checkPerm(perm, x.dims.length, 'transpose2', x.dims);
    return { Out: [meta(perm.map((a) => x.dims[a]), x.dtype)], XShape: [xshapeMeta(x)] };
  },
  grad(ctx) {
    if (!ctx.needs('X')) return { X: [null] };
    const perm = ctx.attrs.axis as number[];
    const inv = new Array<number>(perm.length);
    for (let i = 0; i < perm.length; i++) inv[perm[i]] = i;
    return { X: [c.transpose(ctx.outGrad('Out'), inv)] };
  },
});
