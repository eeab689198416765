// Turning the indices of one batch into the batch (Paddle's _MapDatasetFetcher and
// _IterableDatasetFetcher), in the main thread or in a worker thread alike.
import { fail } from '../core/errors.js';
import { getItem, iterate } from './dataset.js';

/** What a fetch returns when an iterable dataset has no more samples (Python's StopIteration). */
export const STOP: unique symbol = Symbol('StopIteration');

export interface FetchConfig {
  /** 'map': __getitem__ datasets; 'iter': IterableDataset. */
  kind: 'map' | 'iter';
  /** Whether a batch sampler groups samples (false with batch_size=None). */
  autoCollate: boolean;
  /** Applied to the samples of a batch (or to each sample without auto-collation); null: return them as they are. */
  collate: ((batch: any) => unknown) | null;
  dropLast: boolean;
}

const API = 'paddle.io.DataLoader';

export class Fetcher {
  private it: Iterator<unknown> | null = null;
  constructor(
    readonly dataset: unknown,
    readonly cfg: FetchConfig,
  ) {
    if (cfg.kind === 'iter') this.it = iterate(dataset, API);
  }

  /** The batch for `indices` (a list of indices, or one index without auto-collation), or STOP. */
  fetch(indices: unknown): unknown {
    const { cfg } = this;
    let data: unknown;
    if (cfg.kind === 'map') {
      if (cfg.autoCollate) {
        if (!Array.isArray(indices)) fail(API, `the batch sampler must yield lists of indices, but yielded ${typeof indices}`);
        data = indices.map((i) => getItem(this.dataset, i, API));
      } else data = getItem(this.dataset, indices, API);
    } else {
      const it = this.it!;
      if (cfg.autoCollate) {
        const n = Array.isArray(indices) ? indices.length : 1;
        const samples: unknown[] = [];
        for (let k = 0; k < n; k++) {
          const r = it.next();
          if (r.done) break;
          samples.push(r.value);
        }
        if (samples.length === 0 || (cfg.dropLast && samples.length < n)) return STOP;
        data = samples;
      } else {
        const r = it.next();
        if (r.done) return STOP;
        data = r.value;
      }
    }
    return cfg.collate ? cfg.collate(data) : data;
  }
}
