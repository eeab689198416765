// paddle.DataParallel: data-parallel training of a dygraph Layer across the processes of a job,
// as Paddle 2.0's python/paddle/fluid/dygraph/parallel.py with its C++ Reducer
// (paddle/fluid/imperative/reducer.cc):
// - the trainable parameters are grouped by dtype into buckets (assign_group_by_size): the first
//   bucket of each dtype holds up to last_comm_buffer_size MB, the others comm_buffer_size MB;
// - gradient hooks record the order in which gradients become ready;
// - after backward, each bucket's gradients are concatenated into one buffer, allreduced (sum)
//   on the group's communication thread and split back, in bucket order (the reverse of the
//   parameter order at first; after the first step the buckets are rebuilt in ready order).
//   Parameters without a gradient in a step get zeros (Paddle's find_unused_vars);
// - Tensor.backward scales the loss by 1/world_size (init_parallel_env installs that, as 2.0's
//   varbase backward calls scale_loss), so the summed gradients are the average.
// Sparse (SelectedRows) gradients do not exist in paddle-ts: an Embedding with sparse=True
// produces a dense gradient, which is reduced like the others.
import type { DType } from '../core/dtype.js';
import { allocStorage, itemsize } from '../core/dtype.js';
import { fail, PreconditionNotMetError, InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { Layer } from '../nn/layer.js';
import type { ParamBase } from '../nn/parameter.js';
import { allreduceStorage, broadcastStorage, comm, commInitialized, ReduceOp } from './comm.js';
import { parallelEnv } from './env.js';
import { afterBackward } from './loss_scale.js';

const API = 'paddle.DataParallel';

/**
 * Paddle's core.assign_group_by_size: bucket indices grouped by dtype, each bucket closed once it
 * reaches its limit (limits[0] bytes for a dtype's first bucket, then limits[1]), in the order given.
 * Buckets are returned sorted by their first index in `order`.
 */
export function assignGroupBySize(sizes: number[], dtypes: string[], limits: [number, number], order?: number[]): number[][] {
  const ord = order ?? sizes.map((_, i) => i);
  const open = new Map<string, { idx: number[]; bytes: number }>();
  const limitIdx = new Map<string, number>();
  const res: number[][] = [];
  for (const i of ord) {
    const dt = dtypes[i];
    let g = open.get(dt);
    if (!g) open.set(dt, (g = { idx: [], bytes: 0 }));
    g.idx.push(i);
    g.bytes += sizes[i];
    const li = limitIdx.get(dt) ?? 0;
    if (g.bytes >= limits[li]) {
      res.push(g.idx);
      open.delete(dt);
      limitIdx.set(dt, Math.min(li + 1, limits.length - 1));
    }
  }
  for (const g of open.values()) res.push(g.idx);
  const pos = new Map(ord.map((v, k) => [v, k]));
  res.sort((a, b) => pos.get(a[0])! - pos.get(b[0])!);
  return res;
}

/** The gradient reducer of one DataParallel. */
class Reducer {
  groups: number[][];
  readyOrder: number[] = [];
  private seen = new Set<number>();
  private rebuilt = false;
  pending = false;

  constructor(readonly params: ParamBase[], readonly limits: [number, number]) {
    const sizes = params.map((p) => p.size * itemsize(p.dtype));
    // the first bucket (in parameter order) is the small one; communicate in reverse order
    this.groups = assignGroupBySize(sizes, params.map((p) => p.dtype), limits).reverse();
    params.forEach((p, i) => {
      p.register_hook(() => {
        if (!this.seen.has(i)) { this.seen.add(i); this.readyOrder.push(i); }
      });
    });
  }

  prepare(): void {
    if (this.pending) return;
    this.pending = true;
    this.seen.clear();
    this.readyOrder = [];
    afterBackward.push(() => this.reduce());
  }

  reduce(): void {
    this.pending = false;
    for (const g of this.groups) this.reduceGroup(g);
    if (!this.rebuilt) {
      // rebuild the buckets in the order the gradients became ready (then the unused ones)
      this.rebuilt = true;
      const order = [...this.readyOrder];
      for (let i = 0; i < this.params.length; i++) if (!this.seen.has(i)) order.push(i);
      const sizes = this.params.map((p) => p.size * itemsize(p.dtype));
      this.groups = assignGroupBySize(sizes, this.params.map((p) => p.dtype), this.limits, order);
    }
  }

  private reduceGroup(idx: number[]): void {
    const dtype = this.params[idx[0]].dtype as DType;
    let total = 0;
    const grads: Tensor[] = [];
    for (const i of idx) {
      const p = this.params[i];
      let g = p._grad;
      if (!g) {
        // an unused parameter: a zero gradient joins the allreduce (find_unused_vars)
        g = new Tensor(allocStorage(dtype, p.size), p.dims.slice(), dtype);
        g.stop_gradient = true;
        p._grad = g;
      }
      grads.push(g);
      total += g.data.length;
    }
    // concatenate, allreduce, split
    const buf = allocStorage(dtype, 0).constructor as new (n: number) => typeof grads[0]['data'];
    const flat = new buf(total);
    let off = 0;
    for (const g of grads) { flat.set(g.data as never, off); off += g.data.length; }
    allreduceStorage(API, flat, dtype, ReduceOp.SUM);
    off = 0;
    for (const g of grads) {
      g.data.set(flat.subarray(off, off + g.data.length) as never);
      off += g.data.length;
      g.ver.v++;
    }
  }
}

/**
 * Runs a dygraph Layer with data parallelism across the processes of a job started by
 * paddle-ts-launch or paddle.distributed.spawn (call paddle.distributed.init_parallel_env() first).
 * Gradients are averaged across processes after every backward (bucketed allreduce).
 * @param layers the model
 * @param strategy (deprecated) ignored; the environment describes the job
 * @param comm_buffer_size bucket size in MB (default 25)
 * @param last_comm_buffer_size the first bucket's size in MB (default 1)
 * @example
 * dist.init_parallel_env()
 * const model = new paddle.DataParallel(new MyNet())
 * const loss = lossFn(model(x), y); loss.backward(); opt.step(); opt.clear_grad()
 */
export class DataParallel extends Layer {
  declare _layers: Layer;
  /** @internal */ declare _reducer: Reducer | null;
  /** @internal */ declare comm_buffer_size: number;
  /** @internal */ declare last_comm_buffer_size: number;
  /** @internal */ declare group_indices: number[][];

  constructor(layers: Layer, strategy: unknown = null, comm_buffer_size = 25, last_comm_buffer_size = 1) {
    super();
    if (!(layers instanceof Layer)) fail(API, `argument 'layers' expected a Layer, but got ${typeof layers}`, InvalidArgumentError);
    if (!(comm_buffer_size > 0) || !(last_comm_buffer_size > 0))
      fail(API, 'comm_buffer_size and last_comm_buffer_size must be positive (MB)', InvalidArgumentError);
    void strategy;
    this._layers = layers;
    const hidden = (k: string, v: unknown): void => void Object.defineProperty(this, k, { value: v, writable: true, configurable: true, enumerable: false });
    hidden('_reducer', null);
    hidden('comm_buffer_size', Math.trunc(comm_buffer_size * 1024 * 1024));
    hidden('last_comm_buffer_size', Math.trunc(last_comm_buffer_size * 1024 * 1024));
    hidden('group_indices', []);
    if (parallelEnv.world_size > 1) {
      if (!commInitialized() || comm.world < 2)
        fail(API, 'ParallelContext must be initialized before: call paddle.distributed.init_parallel_env() before constructing the DataParallel', PreconditionNotMetError);
      const seen = new Set<ParamBase>();
      const params: ParamBase[] = [];
      for (const l of layers.sublayers(true))
        for (const [, prm] of l.named_parameters('', false)) {
          if (!prm || seen.has(prm)) continue;
          seen.add(prm);
          if (prm.trainable) params.push(prm);
        }
      // start from rank 0's parameters and buffers
      for (const t of [...layers.parameters(), ...layers.buffers()]) {
        broadcastStorage(API, t.data, 0);
        t.ver.v++;
      }
      this._reducer = new Reducer(params, [this.last_comm_buffer_size, this.comm_buffer_size]);
      this.group_indices = this._reducer.groups.slice().reverse();
    }
  }

  /** Runs the wrapped layer; with several processes, prepares the reducer for the next backward. */
  override forward(...inputs: unknown[]): any {
    const out = (this._layers as unknown as (...a: unknown[]) => unknown)(...inputs);
    this._reducer?.prepare();
    return out;
  }

  /** Deprecated since 2.0: the loss is scaled by backward; returns `loss` unchanged. */
  scale_loss(loss: Tensor): Tensor {
    return loss;
  }

  /** Deprecated since 2.0: gradients are reduced after backward; does nothing. */
  apply_collective_grads(): void {}

  /** The wrapped layer's state dict (names without the `_layers.` prefix, as Paddle). */
  override state_dict(...args: Parameters<Layer['state_dict']>): ReturnType<Layer['state_dict']> {
    return this._layers.state_dict(...args);
  }

  /** Loads into the wrapped layer (names without the `_layers.` prefix). */
  override set_state_dict(...args: Parameters<Layer['set_state_dict']>): void {
    this._layers.set_state_dict(...args);
  }
}
