// paddle.summary (python/paddle/hapi/model_summary.py at 2.0, with the later per-parameter
// trainable count and the `input` argument): runs the network once on random inputs with a
// forward hook on every layer and prints Paddle's table of layers, shapes and parameters.
import { makeParser, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { DType, parseDType } from '../core/dtype.js';
import { describe, fail } from '../core/errors.js';
import { state } from '../core/state.js';
import { Tensor } from '../core/tensor.js';
import { LayerList, Sequential } from '../nn/containers.js';
import { Layer, warn, type HookRemoveHelper } from '../nn/layer.js';
import { InputSpec } from '../static/input.js';
import { no_grad } from '../tensor/autograd.js';
import { cast } from '../tensor/manipulation.js';
import { rand } from '../tensor/random.js';
import { pyFixed, pyStr } from './progressbar.js';

const API = 'paddle.summary';

/** A nested list of shapes: one shape (numbers) or a list of them. */
type ShapeTree = number[] | ShapeTree[];

/** Python's `'{0:,}'.format(n)`: 61610 -> '61,610'. */
export function thousands(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
/** Python's `'{:^{w}}'.format(s)`: centred, the odd space on the right. */
export function centerFormat(s: string, w: number): string {
  if (s.length >= w) return s;
  const pad = w - s.length;
  const left = Math.floor(pad / 2);
  return ' '.repeat(left) + s + ' '.repeat(pad - left);
}

const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null);

/** The shapes of a layer's inputs / outputs (Tensors, possibly nested in lists). */
function shapeOf(x: unknown): ShapeTree | null {
  if (x instanceof Tensor) return x.shape;
  if (Array.isArray(x)) return x.map((v) => shapeOf(v) ?? []) as ShapeTree;
  return null;
}
function prod(s: readonly number[]): number {
  let n = 1;
  for (const d of s) n *= d;
  return n;
}
/** numpy's sum(prod(shape, axis=-1)) over a shape or a nest of shapes. */
function totalElements(s: ShapeTree): number {
  if (isShape(s)) return prod(s);
  let n = 0;
  for (const x of s) n += totalElements(x);
  return n;
}

interface Row {
  input_shape: ShapeTree;
  output_shape: ShapeTree;
  nb_params: number;
  trainable_params: number;
  trainable?: boolean;
}

/** Checks and normalizes input_size: one shape or a list of shapes; None / -1 (batch only) become 1. */
function checkInput(size: unknown): ShapeTree {
  if (size instanceof InputSpec) size = size.shape;
  if (isShape(size)) {
    let unknown = 0;
    return size.map((d) => {
      if (d === null || d === -1) {
        if (++unknown > 1) fail(API, 'Option input_size only the dim of batch_size can be None or -1.');
        return 1;
      }
      if (!Number.isInteger(d)) fail(API, `Expected integer sizes in input_size, but got ${describe(d)}`);
      if (d <= 0) fail(API, `Expected element in input size greater than zero, but got ${d}`);
      return d;
    });
  }
  if (typeof size === 'number') return checkInput([size]);
  if (Array.isArray(size) && size.length > 0) return size.map((s) => checkInput(s)) as ShapeTree;
  return fail(API, `argument 'input_size' expected a shape (list of ints), an InputSpec or a list of them, but got ${describe(size)}`);
}

function dtypesFor(size: ShapeTree, dtypes: unknown): unknown {
  if (Array.isArray(dtypes)) return dtypes;
  const d = dtypes ?? 'float32';
  const build = (s: ShapeTree): unknown => (isShape(s) ? [d] : (s as ShapeTree[]).map(build));
  return build(size);
}

function buildInput(size: ShapeTree, dtypes: unknown): Tensor | unknown[] {
  if (isShape(size)) {
    const dt = Array.isArray(dtypes) ? dtypes[0] : dtypes;
    const d = parseDType(dt as string);
    if (!d) fail(API, `argument 'dtypes' holds an unknown dtype ${describe(dt)}`);
    const x = rand(size);
    return d === 'float32' ? x : cast(x, d as DType);
  }
  const ds = Array.isArray(dtypes) ? dtypes : [];
  return (size as ShapeTree[]).map((s, i) => buildInput(s, ds[i] ?? ds[0] ?? 'float32'));
}

/**
 * The summary table as text and the parameter counts (Paddle's summary_string).
 * @internal
 */
export function summary_string(model: Layer, input_size: ShapeTree | null, dtypes: unknown = null, input: unknown = null): [string, { total_params: number; trainable_params: number }] {
  const summary = new Map<string, Row>();
  const hooks: HookRemoveHelper[] = [];
  const depth = model.sublayers().length;
  const hook = (layer: Layer, inputs: unknown[], output: unknown): void => {
    const className = layer.constructor.name;
    const parts = layer._full_name.split('_');
    const idx = Number(parts[parts.length - 1]);
    const layerIdx = Number.isInteger(idx) && parts[parts.length - 1] !== '' ? idx : summary.size;
    const key = `${className}-${layerIdx + 1}`;
    let nb = 0;
    let trainableParams = 0;
    let trainable: boolean | undefined;
    for (const v of layer._parameters.values()) {
      if (v === null) continue;
      const n = prod(v.shape);
      nb += n;
      if (v.trainable && !v.stop_gradient) {
        trainableParams += n;
        trainable = true;
      } else if (trainable === undefined) trainable = false;
    }
    const row: Row = {
      input_shape: shapeOf(inputs) ?? [],
      output_shape: shapeOf(output) ?? [],
      nb_params: nb,
      trainable_params: trainableParams,
    };
    if (trainable !== undefined) row.trainable = trainable;
    summary.set(key, row);
  };
  model.apply((layer: Layer) => {
    if (!(layer instanceof Sequential) && !(layer instanceof LayerList) && (layer !== model || depth < 1))
      hooks.push(layer.register_forward_post_hook(hook));
  });
  try {
    no_grad(() => {
      if (input !== null) model(...(Array.isArray(input) ? input : [input]));
      else {
        const size = input_size!;
        const x = buildInput(isShape(size) ? [size] : size, dtypesFor(isShape(size) ? [size] : size, dtypes));
        model(...(x as unknown[]));
      }
    });
  } finally {
    for (const h of hooks) h.remove();
  }

  const w = { layer: 15, input: 20, output: 20, params: 15, table: 75 };
  for (const [k, r] of summary) {
    w.output = Math.max(w.output, pyStr(r.output_shape).length);
    w.input = Math.max(w.input, pyStr(r.input_shape).length);
    w.layer = Math.max(w.layer, k.length);
    w.params = Math.max(w.params, String(r.nb_params).length);
  }
  const sumW = w.layer + w.input + w.output + w.params;
  if (w.table < sumW + 5) w.table = sumW + 5;
  const line = (a: string, b: string, c: string, d: string): string =>
    `${centerFormat(a, w.layer)} ${centerFormat(b, w.input)} ${centerFormat(c, w.output)} ${centerFormat(d, w.params)}\n`;
  let s = '-'.repeat(w.table) + '\n';
  s += line('Layer (type)', 'Input Shape', 'Output Shape', 'Param #');
  s += '='.repeat(w.table) + '\n';
  let total = 0;
  let totalOutput = 0;
  let trainable = 0;
  for (const [k, r] of summary) {
    s += line(k, pyStr(r.input_shape), pyStr(r.output_shape), thousands(r.nb_params));
    total += r.nb_params;
    totalOutput += totalElements(r.output_shape);
    if (r.trainable) trainable += r.trainable_params;
  }
  const sizes: ShapeTree = input_size ?? (shapeOf(Array.isArray(input) ? input : [input]) as ShapeTree);
  const totalInput = Math.abs((totalElements(sizes) * 4) / 1024 ** 2);
  const totalOutputSize = Math.abs((2 * totalOutput * 4) / 1024 ** 2);
  const totalParamsSize = Math.abs((total * 4) / 1024 ** 2);
  const totalSize = totalParamsSize + totalOutputSize + totalInput;
  s += '='.repeat(w.table) + '\n';
  s += `Total params: ${thousands(total)}\n`;
  s += `Trainable params: ${thousands(trainable)}\n`;
  s += `Non-trainable params: ${thousands(total - trainable)}\n`;
  s += '-'.repeat(w.table) + '\n';
  s += `Input size (MB): ${pyFixed(totalInput, 2)}\n`;
  s += `Forward/backward pass size (MB): ${pyFixed(totalOutputSize, 2)}\n`;
  s += `Params size (MB): ${pyFixed(totalParamsSize, 2)}\n`;
  s += `Estimated Total Size (MB): ${pyFixed(totalSize, 2)}\n`;
  s += '-'.repeat(w.table) + '\n';
  return [s, { total_params: total, trainable_params: trainable }];
}

const summaryParams = [p('net', T.any), p('input_size', T.any, null), p('dtypes', T.any, null), p('input', T.any, null)] as const;
const parseSummary = makeParser(API, summaryParams);

/**
 * paddle.summary(net, input_size=None, dtypes=None, input=None): prints a table of the
 * network's layers (each layer that is not a Sequential / LayerList, keyed `Class-N` from
 * its unique name), with their input and output shapes and parameter counts, the totals and
 * the memory estimate in MB; returns `{ total_params, trainable_params }`. The network runs
 * once (in eval mode, without gradients) on `paddle.rand` inputs of `input_size` cast to
 * `dtypes` (default 'float32'), or on the given `input` Tensor(s).
 *
 * `input_size` is one shape (`[1, 1, 28, 28]`; a None / -1 batch size counts as 1), an
 * InputSpec, or a list of them for several inputs (`[[1, 3], [1, 4]]`). Python's tuple vs
 * list distinction does not exist in JS: a flat list of ints is one shape.
 * @example
 * const info = paddle.summary(new paddle.vision.models.LeNet(), [1, 1, 28, 28]);
 * // { total_params: 61610, trainable_params: 61610 }
 */
export function summary(
  ...args:
    | [net: Layer, input_size?: unknown, dtypes?: unknown, input?: unknown, kw?: { input_size?: unknown; dtypes?: unknown; input?: unknown }]
    | [Layer, { input_size?: unknown; dtypes?: unknown; input?: unknown }]
    | [{ net: Layer; input_size?: unknown; dtypes?: unknown; input?: unknown }]
): { total_params: number; trainable_params: number } {
  const a = parseSummary(args) as { net: unknown; input_size: unknown; dtypes: unknown; input: unknown };
  const net = a.net;
  if (!(net instanceof Layer)) fail(API, `argument 'net' expected a paddle.nn.Layer, but got ${describe(net)}`);
  if (a.input_size === null && a.input === null) fail(API, 'input_size and input cannot be None at the same time');
  let size: ShapeTree | null = null;
  if (a.input_size !== null) size = checkInput(a.input_size);
  else {
    const inp = a.input;
    const list = inp instanceof Tensor ? [inp] : Array.isArray(inp) ? inp : null;
    if (!list || !list.every((t) => t instanceof Tensor))
      fail(API, 'Input is not tensor, list, tuple and dict, unable to determine input_size, please input input_size.');
  }
  if (a.dtypes !== null) {
    const ds = Array.isArray(a.dtypes) ? a.dtypes.flat(Infinity) : [a.dtypes];
    for (const d of ds) if (!parseDType(d as string)) fail(API, `argument 'dtypes' expected a dtype or a list of dtypes, but got ${describe(a.dtypes)}`);
  }
  let inTrain: boolean;
  if (state.staticMode) {
    warn('Your model was created in static mode, this may not get correct summary information!');
    inTrain = false;
  } else inTrain = net.training;
  if (inTrain) net.eval();
  try {
    const [text, info] = summary_string(net, size, a.dtypes, a.input);
    process.stdout.write(text + '\n');
    return info;
  } finally {
    if (inTrain) net.train();
  }
}
