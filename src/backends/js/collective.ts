// Kernels of the collective operators (src/ops/collective.ts) on paddle.distributed's world group.
import { registerKernel } from '../../core/registry.js';
import { Tensor } from '../../core/tensor.js';
import type { Slots } from '../../core/registry.js';
import { fail, InvalidArgumentError } from '../../core/errors.js';
import { allreduceStorage, broadcastStorage, allgatherStorage, barrierWorld, comm, ReduceOp } from '../../distributed/comm.js';

const copy = (x: Tensor): Tensor => new Tensor(x.data.slice(), x.dims.slice(), x.dtype);

function ring(op: string, id: number): void {
  if (id !== 0) fail(`operator ${op}`, `ring_id ${id} does not exist: only the global ring 0 is supported`, InvalidArgumentError);
}

const OPS = { sum: ReduceOp.SUM, max: ReduceOp.MAX, min: ReduceOp.MIN, prod: ReduceOp.PROD } as const;
for (const [kind, code] of Object.entries(OPS)) {
  const type = `c_allreduce_${kind}`;
  registerKernel(type, 'js', (ins: Slots<Tensor>, attrs) => {
    ring(type, attrs.ring_id);
    const o = copy(ins.X[0]);
    allreduceStorage(`operator ${type}`, o.data, o.dtype, code);
    return { Out: [o] };
  });
}

registerKernel('c_broadcast', 'js', (ins: Slots<Tensor>, attrs) => {
  ring('c_broadcast', attrs.ring_id);
  const o = copy(ins.X[0]);
  broadcastStorage('operator c_broadcast', o.data, attrs.root);
  return { Out: [o] };
});

registerKernel('c_allgather', 'js', (ins: Slots<Tensor>, attrs) => {
  ring('c_allgather', attrs.ring_id);
  const x = ins.X[0];
  const world = Math.max(comm.world, 1);
  if (attrs.nranks !== world) fail('operator c_allgather', `nranks (${attrs.nranks}) must equal the world size (${world})`, InvalidArgumentError);
  const all = allgatherStorage('operator c_allgather', x.data);
  const dims = x.dims.slice();
  dims[0] *= world;
  return { Out: [new Tensor(all, dims, x.dtype)] };
});

// the CPU has one stream: synchronizing is the identity
registerKernel('c_sync_calc_stream', 'js', (ins: Slots<Tensor>) => ({ Out: [copy(ins.X[0])] }));
registerKernel('c_sync_comm_stream', 'js', (ins: Slots<Tensor>) => ({ Out: ins.X.map((x) => copy(x!)) }));

registerKernel('barrier', 'js', (ins: Slots<Tensor>, attrs) => {
  ring('barrier', attrs.ring_id);
  barrierWorld('operator barrier');
  return { Out: [copy(ins.X[0])] };
});
