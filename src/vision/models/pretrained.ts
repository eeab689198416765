// Loading pretrained weights for the model zoo, as Paddle 2.0's `_resnet`/`_vgg`/`_mobilenet`
// do with get_weights_path_from_url + paddle.load + set_dict: the checkpoint is the file of the
// model's URL in ~/.cache/paddle/hapi/weights/ (Paddle's own cache, so files Python Paddle
// downloaded work), checked against Paddle's md5 and downloaded when a network is reachable.
// For a model Paddle publishes no weights for, a checkpoint placed at
// ~/.cache/paddle/hapi/weights/<arch>.pdparams is loaded (where Paddle would refuse).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, NotFoundError } from '../../core/errors.js';
import { load } from '../../framework/io.js';
import type { Layer } from '../../nn/layer.js';
import { getWeightsPathFromUrl, weightsHome } from '../datasets/download.js';

/** Where each published checkpoint is: [url, md5]. */
export type ModelUrls = Record<string, readonly [string, string]>;

/**
 * The checkpoint file of `arch`: downloaded/cached from `urls[arch]`, or a local
 * `<arch>.pdparams` for an arch Paddle publishes none for. Fails saying where to put it.
 */
export function pretrainedPath(api: string, arch: string, urls: ModelUrls): string {
  const entry = urls[arch];
  if (entry) {
    return getWeightsPathFromUrl(api, entry[0], entry[1], 'or load a checkpoint yourself with model.set_state_dict(paddle.load(path))');
  }
  const local = join(weightsHome(), `${arch}.pdparams`);
  if (existsSync(local)) return local;
  return fail(
    api,
    `${arch} model do not have a pretrained model now, you should set pretrained=False (or place a checkpoint of this architecture at ${local})`,
    NotFoundError,
  );
}

/** paddle.load(path) into `model` (set_state_dict, matching Paddle's structured names). */
export function loadPretrained(model: Layer, path: string): void {
  const params = load(path) as Record<string, unknown>;
  model.set_state_dict(params as never);
}

/** Python's str() of a float scale, for arch names ('mobilenetv1_' + str(1.0) is 'mobilenetv1_1.0'). */
export function pyFloatStr(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  return String(x);
}
