// paddle.nn.functional.gather_tree (python/paddle/nn/functional/extension.py at 2.0, which
// re-exports fluid.layers.gather_tree): the back-trace of beam-search results.
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { run1 } from '../../core/dispatch.js';
import { fail } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';

const API = 'paddle.nn.functional.gather_tree';

/**
 * Back-traces beam search: from the ids selected at each step and their parent beams, both
 * `[max_time, batch_size, beam_size]`, builds the full sequences ending at each final beam
 * (`out[t, b, k]` is the step-t id on the path of beam k). Appends the `gather_tree` operator.
 * @param ids int32/int64 Tensor `[max_time, batch_size, beam_size]`, the selected ids
 * @param parents Tensor of the same shape and dtype, the parent beam of each selected id
 * @returns a Tensor of the same shape and dtype as ids
 * @example
 * const ids = paddle.to_tensor([[[2, 2], [6, 1]], [[3, 9], [6, 1]], [[0, 1], [9, 0]]])
 * const parents = paddle.to_tensor([[[0, 0], [1, 1]], [[1, 0], [1, 0]], [[0, 0], [0, 1]]])
 * F.gather_tree(ids, parents)   // [[[2, 2], [1, 6]], [[3, 3], [6, 1]], [[0, 1], [9, 0]]]
 */
export const gather_tree = defineApi(API, [p('ids', T.tensor), p('parents', T.tensor)], (a): Tensor => {
  for (const [t, arg] of [[a.ids, 'ids'], [a.parents, 'parents']] as const)
    if (t.dtype !== 'int32' && t.dtype !== 'int64') fail(API, `argument '${arg}' must be a Tensor of dtype int32 or int64, but got ${t.dtype}`);
  return run1('gather_tree', { Ids: [a.ids], Parents: [a.parents] });
});
