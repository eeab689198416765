// paddle.distributed.split: model-parallel linear and embedding layers, as Paddle 2.0's
// python/paddle/distributed/collective.py (split, _parallel_linear, _parallel_embedding).
// Each rank holds one partition of the weight (rank % num_partitions):
// - embedding (axis 0): rows [k*ceil(N/P), ...) plus one zero padding row; ids outside the
//   partition are mapped to the padding row by shard_index; the partial lookups are summed
//   across ranks (c_allreduce_sum);
// - row-parallel linear (axis 0): x holds this rank's slice of the input features, the partial
//   products x_k W_k are summed (c_allreduce_sum), then the bias is added once (Paddle 2.0 added
//   it on every rank before the sum, counting it num_partitions times; later Paddle and this
//   port add it after, so the split layer equals the unsplit one);
// - column-parallel linear (axis 1): every rank computes its output columns; gather_out
//   concatenates them in rank order (c_allgather) on the last axis.
// In dygraph the gathered result keeps the gradient path through this rank's own partition
// only (the other ranks' contributions enter as constants), so each rank's weight gradient is
// exactly its slice of the unsplit layer's gradient. The gradient of x is likewise the local
// contribution (Paddle 2.0 has no c_identity to sum it across ranks).
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { run1 } from '../core/dispatch.js';
import { fail, InvalidArgumentError } from '../core/errors.js';
import { state } from '../core/state.js';
import type { Tensor } from '../core/tensor.js';
import { Linear } from '../nn/layers/common.js';
import { Embedding } from '../nn/layers/common_extra.js';
import { linear as linearF } from '../nn/functional/common.js';
import { shard_index } from '../tensor/misc.js';
import { concat, split as splitT, squeeze, unsqueeze } from '../tensor/manipulation.js';
import { add, subtract } from '../tensor/math.js';
import { comm } from './comm.js';
import { parallelEnv } from './env.js';

const API = 'paddle.distributed.split';

function worldInfo(): { rank: number; nranks: number } {
  return comm.world > 1 ? { rank: comm.rank, nranks: comm.world } : { rank: parallelEnv.rank, nranks: parallelEnv.world_size };
}

/** Sum over the ranks; in dygraph the gradient flows through the local term only. */
function allreduceSum(local: Tensor): Tensor {
  const total = run1('c_allreduce_sum', { X: [local] }, { ring_id: 0, use_calc_stream: true });
  if (state.staticMode) return total;
  // forward: total; backward: identity into local
  return add(local, subtract(total, local).detach());
}

/** Concatenation of every rank's `local` on the last axis, in rank order. */
function allgatherLast(local: Tensor, nranks: number, rank: number): Tensor {
  const gathered = run1('c_allgather', { X: [local] }, { ring_id: 0, nranks, use_calc_stream: true });
  const parts = splitT(gathered, nranks, 0) as Tensor[];
  if (!state.staticMode) parts.forEach((t, i) => { parts[i] = i === rank ? local : t.detach(); });
  return concat(parts, local.dims.length - 1);
}

/**
 * Splits the weight of a linear or embedding operation over `num_partitions` ranks and computes
 * with this rank's partition (model parallelism). Call init_parallel_env first.
 * @param x the input (ids for 'embedding'; for a row-split 'linear', this rank's slice of the features)
 * @param size the shape of the whole weight [rows, cols]
 * @param operation 'linear' or 'embedding'
 * @param axis 0 (split rows) or 1 (split columns; 'linear' only)
 * @param num_partitions the number of partitions
 * @param gather_out whether to combine the partial outputs across ranks (linear)
 * @param weight_attr ParamAttr of this rank's weight partition
 * @param bias_attr ParamAttr of the bias (linear)
 * @param name name prefix of the layer
 * @example const out = paddle.distributed.split(ids, [8, 8], 'embedding', { num_partitions: 2 })
 */
export const split = defineApi(API, [
  p('x', T.tensor), p('size', T.ints), p('operation', T.str), p('axis', T.int, 0), p('num_partitions', T.int, 1),
  p('gather_out', T.bool, true), p('weight_attr', T.any, null as unknown), p('bias_attr', T.any, null as unknown),
  p('name', T.nullable(T.str), null),
], (a): Tensor => {
  const size = a.size;
  if (size.length !== 2 || !size.every((v) => Number.isInteger(v) && v > 0))
    fail(API, `size must hold two positive integers, got [${size}]`, InvalidArgumentError);
  const [rows, cols] = size as number[];
  if (a.operation !== 'linear' && a.operation !== 'embedding')
    fail(API, `operation must be one of ['linear', 'embedding'], got '${a.operation}'`, InvalidArgumentError);
  const P = a.num_partitions;
  const { rank, nranks } = worldInfo();
  if (!(Number.isInteger(P) && P >= 1)) fail(API, `num_partitions must be a positive integer, got ${P}`, InvalidArgumentError);
  if (P > 1 && P !== nranks)
    fail(API, `num_partitions (${P}) must equal the number of ranks (${nranks}): only one model-parallel group is supported`, InvalidArgumentError);
  const inner = rank % P;
  const x = a.x;

  if (a.operation === 'embedding') {
    if (a.axis !== 0) fail(API, `the weight of embedding can only be split along axis 0, got axis ${a.axis}`, InvalidArgumentError);
    let per = Math.ceil(rows / P);
    const last = rows - per * (P - 1);
    if (last <= 0) fail(API, `size[0] (${rows}) is too small for ${P} partitions`, InvalidArgumentError);
    if (inner === P - 1) per = last;
    per += 1; // the last row is the padding index
    const name = a.name ? `${a.name}_rank_${inner}` : `emb_rank_${inner}`;
    const emb = new Embedding(per, cols, { padding_idx: per - 1, sparse: false, weight_attr: a.weight_attr as never, name });
    const shape = x.dims;
    let ids = x;
    if (shape.length === 2) ids = unsqueeze(x, -1);
    else if (shape[shape.length - 1] !== 1) fail(API, `the last dimension size of x must be 1, got shape [${shape}]`, InvalidArgumentError);
    let sh = shard_index(ids, rows, P, inner, per - 1);
    if (shape.length === 2) sh = squeeze(sh, -1);
    (emb.weight as unknown as { is_distributed: boolean }).is_distributed = true;
    const out = emb.forward(sh);
    return P > 1 ? allreduceSum(out) : out;
  }

  let inF = rows, outF = cols;
  if (a.axis === 0) {
    if (rows % P !== 0) fail(API, `number of rows of the weight for linear (${rows}) must be divisible by num_partitions (${P})`, InvalidArgumentError);
    inF = rows / P;
    if (x.dims[x.dims.length - 1] !== inF)
      fail(API, `the width (${x.dims[x.dims.length - 1]}) of the input x must be equal to the height (${inF}) of the weight. Maybe you should split the input x using paddle.split`, InvalidArgumentError);
  } else if (a.axis === 1) {
    if (cols % P !== 0) fail(API, `number of columns of the weight for linear (${cols}) must be divisible by num_partitions (${P})`, InvalidArgumentError);
    outF = cols / P;
  } else {
    fail(API, `the value of axis must be 0 or 1, but the value given is ${a.axis}`, InvalidArgumentError);
  }
  const name = a.name ? `${a.name}_by_${a.axis === 0 ? 'row' : 'col'}_rank_${inner}` : `fc_by_${a.axis === 0 ? 'row' : 'col'}_rank_${inner}`;
  const lin = new Linear(inF, outF, { weight_attr: a.weight_attr as never, bias_attr: a.bias_attr as never, name });
  (lin.weight as unknown as { is_distributed: boolean }).is_distributed = true;
  if (a.axis === 0) {
    if (!a.gather_out || P === 1) return lin.forward(x);
    const partial = linearF(x, lin.weight, null);
    const summed = allreduceSum(partial);
    return lin.bias ? add(summed, lin.bias) : summed;
  }
  const local = lin.forward(x);
  if (!a.gather_out || P === 1) return local;
  return allgatherLast(local, P, inner);
});
