// Collective operators (paddle/fluid/operators/collective): c_allreduce_sum/max/min/prod,
// c_broadcast, c_allgather, c_sync_calc_stream, c_sync_comm_stream and barrier. Their kernels
// (src/backends/js/collective.ts) run on paddle.distributed's world group (ring_id 0, set up by
// init_parallel_env); in one process they are the identity.
import * as c from './calls.js';
import { bool, defineOp, int, meta, one, opFail, sameAsX } from './util.js';

const ringAttrs = () => ({ ring_id: int(0), use_calc_stream: bool(false) });

for (const kind of ['sum', 'max', 'min', 'prod'] as const) {
  defineOp({
    type: `c_allreduce_${kind}`,
    inputs: ['X'],
    outputs: ['Out'],
    attrs: ringAttrs(),
    infer: (ins, attrs) => sameAsX(ins, attrs, `c_allreduce_${kind}`),
    // the gradient of a sum over the ranks is the sum of the ranks' gradients (Paddle's
    // CAllReduceSumOpGradMaker); max/min/prod have no gradient in Paddle
    ...(kind === 'sum'
      ? { grad: (ctx) => ({ X: [c.run1('c_allreduce_sum', { X: [ctx.outGrad('Out')] }, { ring_id: ctx.attrs.ring_id, use_calc_stream: ctx.attrs.use_calc_stream })] }) }
      : {}),
  });
}

defineOp({
  type: 'c_broadcast',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { ring_id: int(0), root: int(0), use_calc_stream: bool(false) },
  infer: (ins, attrs) => {
    if (!(attrs.root >= 0)) opFail('c_broadcast', `root must be a rank >= 0, but got ${attrs.root}`);
    return sameAsX(ins, attrs, 'c_broadcast');
  },
});

defineOp({
  type: 'c_allgather',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { ring_id: int(0), nranks: int(1), use_calc_stream: bool(false) },
  infer: (ins, attrs) => {
    const op = 'c_allgather';
    const x = one(ins, 'X', op);
    if (!(attrs.nranks >= 1)) opFail(op, `nranks must be >= 1, but got ${attrs.nranks}`);
    if (x.dims.length === 0) opFail(op, 'input X must have rank >= 1');
    const dims = x.dims.slice();
    dims[0] = dims[0] < 0 ? -1 : dims[0] * attrs.nranks;
    return { Out: [meta(dims, x.dtype)] };
  },
});

defineOp({
  type: 'c_sync_calc_stream',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: {},
  infer: (ins, attrs) => sameAsX(ins, attrs, 'c_sync_calc_stream'),
});

defineOp({
  type: 'c_sync_comm_stream',
  inputs: ['X[]'],
  outputs: ['Out[]'],
  attrs: { ring_id: int(0) },
  infer: (ins) => ({ Out: ins.X.map((m) => meta(m!.dims.slice(), m!.dtype)) }),
});

defineOp({
  type: 'barrier',
  inputs: ['X'],
  outputs: ['Out'],
  attrs: { ring_id: int(0) },
  infer: (ins, attrs) => sameAsX(ins, attrs, 'barrier'),
});
