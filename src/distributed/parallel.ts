// paddle.DataParallel: data-parallel training of a dygraph Layer across the processes of a job,
// as Paddle 2.0's python/paddle/fluid/dygraph/parallel.py with its C++ Reducer
// (paddle/fluid/imperative/reducer.cc):
// - the trainable parameters are grouped by dtype into buckets (assign_group_by_size): the first
//   bucket of each dtype holds up to last_comm_buffer_size MB, the others comm_buffer_size MB;
//   a parameter of an Embedding with sparse=True is a bucket of its own;
// - a ready hook on each parameter fires when backward has finished its gradient (the autograd
//   engine accumulates a leaf's gradient as soon as its last consumer has run). When every
//   gradient of a bucket is ready, and every bucket before it has been started, the bucket is
//   concatenated and its allreduce (sum) queued on the group's communication thread, so it
//   overlaps with the rest of backward; after backward each is awaited and split back, in
//   bucket order (the reverse of the parameter order at first; after the first step the
//   buckets are rebuilt in ready order, rank 0's order on every rank);
// - parameters without a gradient in a step get zeros (Paddle's unused vars);
// - sparse (SelectedRows) gradients are "allreduced" as Paddle does: every rank's rows and
//   value rows are gathered and concatenated in rank order (duplicates add up in the update);
// - Tensor.backward scales the loss by 1/world_size (init_parallel_env installs that, as 2.0's
//   varbase backward calls scale_loss), so the summed gradients are the average.
import type { DType, Storage } from '../core/dtype.js';
import { allocStorage, itemsize } from '../core/dtype.js';
import { fail, PreconditionNotMetError, InvalidArgumentError } from '../core/errors.js';
import { densify, isSelectedRows, SelectedRows } from '../core/selected_rows.js';
import { Tensor } from '../core/tensor.js';
import { Embedding as FluidEmbedding } from '../fluid/dygraph/nn.js';
import { Layer } from '../nn/layer.js';
import { Embedding } from '../nn/layers/common_extra.js';
import type { ParamBase } from '../nn/parameter.js';
import { allgatherStorage, allreduceStorage, allreduceStorageStart, broadcastStorage, comm, commInitialized, ReduceOp } from './comm.js';
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

/** One bucket's allreduce in flight: wait, then copy the sums back into the gradients. */
interface Flight {
  finish(): void;
}

/** The gradient reducer of one DataParallel. */
class Reducer {
  /** Buckets of parameter indices, in communication order. */
  groups: number[][] = [];
  /** How many buckets the last backward started while some gradient was still being computed (overlap). */
  startedEarly = 0;
  pending = false;
  private groupOf: number[] = [];
  private waiting: number[] = [];
  private nextGroup = 0;
  private flights: Flight[] = [];
  private ready: boolean[] = [];
  private readyOrder: number[] = [];
  private rebuilt = false;
  private readyCount = 0;
  /** Each bucket's concatenation buffer, kept across steps (rebuilt buckets get new ones). */
  private flats: (Storage | null)[] = [];

  constructor(readonly params: ParamBase[], readonly sparse: boolean[], readonly limits: [number, number]) {
    // the first bucket (in parameter order) is the small one; communicate in reverse order
    this.setGroups(this.assign().reverse());
    params.forEach((p, i) => {
      (p._readyHooks ??= []).push(() => this.markReady(i, true));
    });
  }

  /** Buckets in `order` (default parameter order); sparse parameters alone. */
  private assign(order?: number[]): number[][] {
    const sizes = this.params.map((p) => p.size * itemsize(p.dtype));
    // a sparse parameter gets a key of its own, and an infinitely small limit closes it at once
    const keys = this.params.map((p, i) => (this.sparse[i] ? `sparse:${i}` : p.dtype));
    return assignGroupBySize(sizes.map((b, i) => (this.sparse[i] ? Infinity : b)), keys, this.limits, order);
  }

  private setGroups(groups: number[][]): void {
    this.groups = groups;
    this.flats = groups.map(() => null);
    this.groupOf = [];
    groups.forEach((g, k) => g.forEach((i) => (this.groupOf[i] = k)));
  }

  /** Called by forward: the next backward reduces. */
  prepare(): void {
    if (this.pending) return;
    this.pending = true;
    this.waiting = this.groups.map((g) => g.length);
    this.ready = this.params.map(() => false);
    this.readyOrder = [];
    this.nextGroup = 0;
    this.flights = [];
    this.readyCount = 0;
    this.startedEarly = 0;
    afterBackward.push(() => this.finalize());
  }

  private markReady(i: number, used: boolean): void {
    if (!this.pending || this.ready[i]) return;
    this.ready[i] = true;
    this.readyCount++;
    if (used) this.readyOrder.push(i);
    const k = this.groupOf[i];
    if (--this.waiting[k] === 0) this.startReady();
  }

  /** Starts the buckets that are complete, in order (every rank starts them in the same order). */
  private startReady(): void {
    while (this.nextGroup < this.groups.length && this.waiting[this.nextGroup] === 0) {
      const k = this.nextGroup++;
      const idx = this.groups[k];
      if (this.readyCount < this.params.length) this.startedEarly++;
      this.flights.push(this.isSparseGroup(idx) ? this.sparseFlight(idx[0]) : this.denseFlight(k, idx));
    }
  }

  private isSparseGroup(idx: number[]): boolean {
    return idx.length === 1 && this.sparse[idx[0]];
  }

  /** After backward: zeros for the parameters without a gradient, then wait for every bucket. */
  finalize(): void {
    for (let i = 0; i < this.params.length; i++) if (!this.ready[i]) this.markReady(i, false);
    const flights = this.flights;
    this.flights = [];
    this.pending = false;
    for (const f of flights) f.finish();
    if (!this.rebuilt) {
      // rebuild the buckets in the order the gradients became ready (then the unused ones),
      // taking rank 0's order so every rank builds the same buckets
      this.rebuilt = true;
      const order = [...this.readyOrder];
      for (let i = 0; i < this.params.length; i++) if (!order.includes(i)) order.push(i);
      const shared = Int32Array.from(order);
      broadcastStorage(API, shared, 0);
      this.setGroups(this.assign(Array.from(shared)));
    }
  }

  /** The gradient of parameter i as a dense tensor (zeros when it got none). */
  private denseGrad(i: number): Tensor {
    const p = this.params[i];
    let g = p._grad;
    if (!g) {
      g = new Tensor(allocStorage(p.dtype, p.size), p.dims.slice(), p.dtype);
      g.stop_gradient = true;
      p._grad = g;
    } else if (isSelectedRows(g)) {
      // a sparse gradient of a parameter not known to be sparse joins its dense bucket
      g = densify(g);
      g.stop_gradient = true;
      p._grad = g;
    }
    return g;
  }

  /** Concatenates dense bucket k and starts its allreduce; finish() splits the sums back. */
  private denseFlight(k: number, idx: number[]): Flight {
    const dtype = this.params[idx[0]].dtype as DType;
    const grads = idx.map((i) => this.denseGrad(i));
    let total = 0;
    for (const g of grads) total += g.data.length;
    let flat = this.flats[k];
    if (!flat || flat.length !== total) flat = this.flats[k] = allocStorage(dtype, total);
    let off = 0;
    for (const g of grads) { flat.set(g.data as never, off); off += g.data.length; }
    const work = allreduceStorageStart(API, flat, dtype, ReduceOp.SUM);
    return {
      finish() {
        work.wait();
        let o = 0;
        for (const g of grads) {
          g.data.set(flat.subarray(o, o + g.data.length) as never);
          o += g.data.length;
          g.ver.v++;
        }
      },
    };
  }

  /**
   * A sparse parameter's bucket: after backward, gathers every rank's rows and value rows (in
   * rank order) into one SelectedRows, as Paddle's SelectedRows allreduce. A dense gradient of
   * a sparse parameter (create_graph, or a dense use of the table) is allreduced densely; every
   * rank agrees on which by reducing a flag first.
   */
  private sparseFlight(i: number): Flight {
    return {
      finish: () => {
        const p = this.params[i];
        const dense = new Int32Array([p._grad && !isSelectedRows(p._grad) ? 1 : 0]);
        allreduceStorage(API, dense, 'int32', ReduceOp.MAX);
        if (dense[0]) {
          const g = this.denseGrad(i);
          allreduceStorage(API, g.data, g.dtype, ReduceOp.SUM);
          g.ver.v++;
          return;
        }
        const g = p._grad as SelectedRows | null;
        const rowShape = p.dims.slice(1);
        const w = rowShape.reduce((a, b) => a * b, 1);
        const rows = g ? g.rows : [];
        const counts = allgatherStorage(API, new Int32Array([rows.length])) as Int32Array;
        const most = Math.max(...counts);
        const sendRows = new Float64Array(most);
        sendRows.set(rows);
        const sendValue = allocStorage(p.dtype, most * w);
        if (g) sendValue.set(g.data as never);
        const allRows = allgatherStorage(API, sendRows) as Float64Array;
        const allValue = allgatherStorage(API, sendValue);
        let n = 0;
        for (const c of counts) n += c;
        const outRows: number[] = [];
        const outValue = allocStorage(p.dtype, n * w) as Storage;
        let o = 0;
        counts.forEach((c, r) => {
          for (let k = 0; k < c; k++) outRows.push(allRows[r * most + k]);
          outValue.set(allValue.subarray(r * most * w, (r * most + c) * w) as never, o * w);
          o += c;
        });
        const merged = new SelectedRows(outValue, [n, ...rowShape], p.dtype, outRows, p.dims[0]);
        p._grad = merged;
      },
    };
  }
}

/** Paddle's check_layer_sparse: an nn.Embedding with sparse=True, or a fluid.dygraph.Embedding with is_sparse. */
function isSparseEmbedding(l: Layer): boolean {
  return (l instanceof Embedding && l._sparse) || (l instanceof FluidEmbedding && l._is_sparse);
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
      const sparse: boolean[] = [];
      for (const l of layers.sublayers(true))
        for (const [, prm] of l.named_parameters('', false)) {
          if (!prm || seen.has(prm)) continue;
          seen.add(prm);
          if (prm.trainable) {
            params.push(prm);
            sparse.push(isSparseEmbedding(l));
          }
        }
      // start from rank 0's parameters and buffers
      for (const t of [...layers.parameters(), ...layers.buffers()]) {
        broadcastStorage(API, t.data, 0);
        t.ver.v++;
      }
      this._reducer = new Reducer(params, sparse, [this.last_comm_buffer_size, this.comm_buffer_size]);
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

  /** Deprecated since 2.0: gradients are reduced during backward; does nothing. */
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
