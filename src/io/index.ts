// paddle.io: datasets, samplers and the DataLoader (python/paddle/io/__init__.py at 2.0).
export { Dataset, IterableDataset, TensorDataset, ComposeDataset, ChainDataset, Subset, random_split } from './dataset.js';
export { Sampler, SequenceSampler, RandomSampler, WeightedRandomSampler, BatchSampler, DistributedBatchSampler } from './sampler.js';
export { DataLoader, DataLoaderIter, GeneratorLoader } from './dataloader.js';
export type { DataLoaderOptions } from './dataloader.js';
export { get_worker_info } from './worker.js';
export type { WorkerInfo } from './worker.js';
export { default_collate_fn, default_convert_fn } from './collate.js';
