// Shared pieces of the hapi tests: stdout capture, a small synthetic data set, small nets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as paddle from '../../src/index.js';

/** Runs fn with process.stdout.write captured; returns what was written. */
export function capture<R>(fn: () => R): { out: string; result: R } {
  const orig = process.stdout.write;
  let out = '';
  (process.stdout as unknown as { write: (s: unknown) => boolean }).write = (s: unknown) => {
    out += typeof s === 'string' ? s : Buffer.from(s as Uint8Array).toString();
    return true;
  };
  try {
    const result = fn();
    return { out, result };
  } finally {
    process.stdout.write = orig;
  }
}

/** A temporary directory removed after fn. */
export function withTmp<R>(fn: (dir: string) => R): R {
  const dir = mkdtempSync(join(tmpdir(), 'paddle-hapi-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A deterministic stream of numbers in [0, 1) (an LCG), independent of paddle's generator. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Four Gaussian-ish blobs in 2-D around (±2, ±2), one class each: samples are
 * [Float32Array [x, y], label] (batches: float32 [N, 2] and int64 [N]).
 */
export class Blobs extends paddle.io.Dataset {
  x: Float32Array;
  y: number[];
  constructor(n: number, seed = 1, noise = 2.2) {
    super();
    const r = lcg(seed);
    this.x = new Float32Array(2 * n);
    this.y = [];
    const centers = [[-2, -2], [2, -2], [-2, 2], [2, 2]];
    for (let i = 0; i < n; i++) {
      const c = i % 4;
      // a sum of uniforms: roughly normal with sd ~0.8
      const nx = (r() + r() + r() - 1.5) * noise;
      const ny = (r() + r() + r() - 1.5) * noise;
      this.x[2 * i] = centers[c][0] + nx;
      this.x[2 * i + 1] = centers[c][1] + ny;
      this.y.push(c);
    }
  }
  override __getitem__(i: number): [Float32Array, number] {
    return [this.x.slice(2 * i, 2 * i + 2), this.y[i]];
  }
  override __len__(): number {
    return this.y.length;
  }
}

/** Linear(2, 16) - ReLU - Linear(16, 4). */
export function mlp(): paddle.nn.Sequential {
  return new paddle.nn.Sequential(new paddle.nn.Linear(2, 16), new paddle.nn.ReLU(), new paddle.nn.Linear(16, 4));
}

/** A Model of mlp() prepared with `opt(params)`, CrossEntropyLoss and Accuracy. */
export function blobModel(opt: (params: paddle.Tensor[]) => unknown = (ps) => new paddle.optimizer.Adam({ learning_rate: 0.05, parameters: ps })): paddle.Model {
  const model = new paddle.Model(mlp(), new paddle.static.InputSpec([null, 2], 'float32', 'x'), new paddle.static.InputSpec([null], 'int64', 'label'));
  model.prepare(opt(model.parameters()) as never, new paddle.nn.CrossEntropyLoss(), new paddle.metric.Accuracy());
  return model;
}
