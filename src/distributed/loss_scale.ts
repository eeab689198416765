// Paddle 2.0's loss scaling for data parallel training: with world size > 1, Tensor.backward
// backpropagates loss / world_size (python/paddle/fluid/dygraph/varbase_patch_methods.py calls
// parallel.scale_loss), so the gradients summed across ranks by the reducer are the average.
// Also runs the DataParallel reducers prepared by forward once backward has finished.
import { Tensor, tensorRuntime } from '../core/tensor.js';
import { scale } from '../ops/calls.js';
import { parallelEnv } from './env.js';

/** Work to run after the next backward (DataParallel's reducers), in registration order. */
export const afterBackward: Array<() => void> = [];

let installed = false;

export function installLossScaling(): void {
  if (installed) return;
  installed = true;
  const orig = tensorRuntime.backward!;
  tensorRuntime.backward = (t: Tensor, g: Tensor | null, retain: boolean) => {
    const world = parallelEnv.world_size;
    if (world > 1) {
      const s = 1 / world;
      g = g ? (scale(g, s) as Tensor) : Tensor.full(t.dims.slice(), t.dtype, s);
    }
    orig(t, g, retain);
    const jobs = afterBackward.splice(0, afterBackward.length);
    for (const j of jobs) j();
  };
}
