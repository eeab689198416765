// paddle.flops (python/paddle/hapi/dynamic_flops.py and static_flops.py at 2.0): counts the
// floating-point operations of a network with Paddle's per-layer rules (dygraph: forward
// hooks on the leaf layers during one forward pass; static: per operator of a Program).
import { makeParser, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { describe, fail } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { Layer, warn, type HookRemoveHelper } from '../nn/layer.js';
import { BatchNorm, BatchNorm2D } from '../nn/layers/norm.js';
import { Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose } from '../nn/layers/conv.js';
import { LeakyReLU, ReLU, ReLU6 } from '../nn/layers/activation.js';
import { Linear } from '../nn/layers/common.js';
import { Dropout } from '../nn/layers/common_extra.js';
import { AdaptiveAvgPool1D, AdaptiveAvgPool2D, AdaptiveAvgPool3D, AvgPool1D, AvgPool2D, AvgPool3D } from '../nn/layers/pooling.js';
import * as activationMod from '../nn/layers/activation.js';
import * as commonMod from '../nn/layers/common.js';
import * as commonExtraMod from '../nn/layers/common_extra.js';
import * as convMod from '../nn/layers/conv.js';
import * as normMod from '../nn/layers/norm.js';
import * as poolingMod from '../nn/layers/pooling.js';
import { Program } from '../static/framework.js';
import { no_grad } from '../tensor/autograd.js';
import { randn } from '../tensor/random.js';

const API = 'paddle.flops';

/** A leaf layer while it is being counted: `total_ops` / `total_params` are what counters add to. */
export type CountedLayer = Layer & { total_ops: number; total_params: number; input_shape?: number[]; output_shape?: number[] };
/** A counting function: `fn(layer, inputs, output)` adds the layer's FLOPs to `layer.total_ops`. */
export type CountFn = (m: CountedLayer, x: unknown[], y: unknown) => void;
type LayerClass = abstract new (...a: any[]) => Layer;

const numelOf = (t: unknown): number => (t instanceof Tensor ? t.size : 0);
const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function count_convNd(m: CountedLayer, x: unknown[], y: unknown): void {
  const input = x[0] as Tensor;
  const w = (m as unknown as { weight: Tensor }).weight;
  const kernelOps = prod(w.shape.slice(2));
  const biasOps = (m as unknown as { bias: Tensor | null }).bias ? 1 : 0;
  const groups = (m as unknown as { _groups: number })._groups;
  const total = numelOf(y) * ((input.shape[1] / groups) * kernelOps + biasOps);
  m.total_ops += Math.abs(Math.trunc(total));
}
function count_leaky_relu(m: CountedLayer, x: unknown[]): void {
  m.total_ops += Math.trunc(numelOf(x[0]));
}
function count_bn(m: CountedLayer, x: unknown[]): void {
  // Paddle counts 2 ops per element in eval mode (flops always runs the network in eval mode)
  if (!m.training) m.total_ops += Math.abs(Math.trunc(2 * numelOf(x[0])));
}
function count_linear(m: CountedLayer, _x: unknown[], y: unknown): void {
  const totalMul = (m as unknown as { weight: Tensor }).weight.shape[0];
  m.total_ops += Math.abs(Math.trunc(totalMul * numelOf(y)));
}
function count_avgpool(m: CountedLayer, _x: unknown[], y: unknown): void {
  m.total_ops += Math.trunc(numelOf(y));
}
function count_adap_avgpool(m: CountedLayer, x: unknown[], y: unknown): void {
  const xs = (x[0] as Tensor).shape.slice(2);
  const ys = (y as Tensor).shape.slice(2);
  const kernel = xs.map((d, i) => Math.floor(d / ys[i]));
  const kernelOps = prod(kernel) + 1;
  m.total_ops += Math.abs(Math.trunc(kernelOps * numelOf(y)));
}
function count_zero_ops(m: CountedLayer): void {
  m.total_ops += 0;
}

/** Paddle's default counters, by layer class (exact class, not subclasses). */
export const register_hooks = new Map<LayerClass, CountFn>([
  [Conv1D, count_convNd],
  [Conv2D, count_convNd],
  [Conv3D, count_convNd],
  [Conv1DTranspose, count_convNd],
  [Conv2DTranspose, count_convNd],
  [Conv3DTranspose, count_convNd],
  [BatchNorm2D, count_bn],
  [BatchNorm, count_bn],
  [ReLU, count_zero_ops],
  [ReLU6, count_zero_ops],
  [LeakyReLU, count_leaky_relu],
  [Linear, count_linear],
  [Dropout, count_zero_ops],
  [AvgPool1D, count_avgpool],
  [AvgPool2D, count_avgpool],
  [AvgPool3D, count_avgpool],
  [AdaptiveAvgPool1D, count_adap_avgpool],
  [AdaptiveAvgPool2D, count_adap_avgpool],
  [AdaptiveAvgPool3D, count_adap_avgpool],
]);

// Python's str(type(m)) for paddle's own layers: the module each class lives in.
const moduleOf = new Map<unknown, string>();
for (const [mod, name] of [
  [activationMod, 'paddle.nn.layer.activation'],
  [commonMod, 'paddle.nn.layer.common'],
  [commonExtraMod, 'paddle.nn.layer.common'],
  [convMod, 'paddle.nn.layer.conv'],
  [normMod, 'paddle.nn.layer.norm'],
  [poolingMod, 'paddle.nn.layer.pooling'],
] as const)
  for (const v of Object.values(mod)) if (typeof v === 'function' && !moduleOf.has(v)) moduleOf.set(v, name);
moduleOf.set(BatchNorm, 'paddle.fluid.dygraph.nn');
function classStr(cls: Function): string {
  const mod = moduleOf.get(cls);
  return `<class '${mod ? `${mod}.` : ''}${cls.name}'>`;
}

/** Python's str.center (CPython puts the odd space on the left when the width is odd). */
function pyCenter(s: string, width: number): string {
  if (s.length >= width) return s;
  const marg = width - s.length;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return ' '.repeat(left) + s + ' '.repeat(marg - left);
}

/** Paddle's Table (static_flops.py): a +---+ bordered text table. */
export class Table {
  table_heads: string[];
  table_len: number[];
  data: unknown[][] = [];
  col_num: number;
  constructor(table_heads: string[]) {
    this.table_heads = table_heads;
    this.col_num = table_heads.length;
    this.table_len = table_heads.map((h) => h.length);
  }
  add_row(row: unknown[]): void {
    for (let i = 0; i < this.col_num; i++) this.table_len[i] = Math.max(this.table_len[i], cell(row[i]).length);
    this.data.push(row);
  }
  _row(row: unknown[]): string {
    let s = '';
    for (let i = 0; i < this.col_num; i++) s += '|' + pyCenter(cell(row[i]), this.table_len[i] + 2);
    return s + '|';
  }
  _shelf(): string {
    return this.table_len.map((l) => '+' + '-'.repeat(l + 2)).join('') + '+';
  }
  /** The table as text (lines joined by newlines, with a final newline). */
  toString(): string {
    const lines = [this._shelf(), this._row(this.table_heads), this._shelf(), ...this.data.map((r) => this._row(r)), this._shelf()];
    return lines.join('\n') + '\n';
  }
  print_table(): void {
    process.stdout.write(this.toString());
  }
}
function cell(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(cell).join(', ')}]`;
  return String(v);
}

function customLookup(custom: unknown): Map<Function, CountFn> {
  const out = new Map<Function, CountFn>();
  if (custom === null || custom === undefined) return out;
  const entries: unknown[] = custom instanceof Map ? [...custom.entries()] : Array.isArray(custom) ? custom : (null as never);
  if (!entries) fail(API, `argument 'custom_ops' expected a Map (or a list of [LayerClass, function] pairs), but got ${describe(custom)}`);
  for (const e of entries) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'function' || typeof e[1] !== 'function')
      fail(API, `argument 'custom_ops' expects entries [LayerClass, function(layer, inputs, output)], but got ${describe(e)}`);
    out.set(e[0] as Function, e[1] as CountFn);
  }
  return out;
}

/**
 * Counts a dygraph network's FLOPs by running it once (eval mode, no gradients) on `inputs`.
 * Leaf layers are counted with `custom_ops` or Paddle's rules; other leaf layers count zero
 * (and say so once per class). Prints `Total Flops: N     Total Params: M` (and the per-layer
 * table when print_detail); returns the total.
 * @internal
 */
export function dynamic_flops(model: Layer, inputs: Tensor, custom_ops: unknown = null, print_detail = false): number {
  const custom = customLookup(custom_ops);
  const handlers: HookRemoveHelper[] = [];
  const seen = new Set<Function>();
  const counted: CountedLayer[] = [];
  const out: string[] = [];
  const addHooks = (layer: Layer): void => {
    if (layer.children().length > 0) return;
    const m = layer as CountedLayer;
    m.total_ops = 0;
    m.total_params = 0;
    counted.push(m);
    const type = layer.constructor;
    let fn: CountFn | undefined;
    if (custom.has(type)) {
      fn = custom.get(type);
      if (!seen.has(type)) out.push(`Customize Function has been applied to ${classStr(type)}`);
    } else if (register_hooks.has(type as LayerClass)) {
      fn = register_hooks.get(type as LayerClass);
      if (!seen.has(type)) out.push(`${classStr(type)}'s flops has been counted`);
    } else if (!seen.has(type)) out.push(`Cannot find suitable count function for ${classStr(type)}. Treat it as zero FLOPs.`);
    if (fn) handlers.push(layer.register_forward_post_hook((l, x, y) => void fn!(l as CountedLayer, x, y)));
    handlers.push(
      layer.register_forward_post_hook((l, x, y) => {
        const c = l as CountedLayer;
        let n = 0;
        for (const q of l.parameters()) n += q.size;
        c.total_params = Math.abs(n);
        c.input_shape = (x[0] as Tensor)?.shape ?? [];
        const y0 = Array.isArray(y) ? y[0] : y;
        c.output_shape = y0 instanceof Tensor ? y0.shape : [];
      }),
    );
    seen.add(type);
  };
  const training = model.training;
  model.eval();
  let totalOps = 0;
  let totalParams = 0;
  const table = new Table(['Layer Name', 'Input Shape', 'Output Shape', 'Params', 'Flops']);
  try {
    model.apply(addHooks);
    for (const line of out) process.stdout.write(line + '\n');
    no_grad(() => model(inputs));
    // Paddle sums over model.sublayers() (so a network that is itself one leaf layer would
    // count 0); the model is included here when it is a leaf.
    const layers = model.children().length > 0 ? model.sublayers() : [model];
    for (const m of layers) {
      if (m.children().length > 0) continue;
      const c = m as CountedLayer;
      if (c.input_shape === undefined) continue;
      totalOps += Number(c.total_ops);
      totalParams += Number(c.total_params);
    }
    for (const [, m] of model.children().length > 0 ? model.named_sublayers() : ([['', model]] as [string, Layer][])) {
      if (m.children().length > 0) continue;
      const c = m as CountedLayer;
      if (c.input_shape === undefined) continue;
      table.add_row([m.full_name(), c.input_shape, c.output_shape ?? [], Math.trunc(Number(c.total_params)), Math.trunc(Number(c.total_ops))]);
    }
  } finally {
    if (training) model.train();
    for (const h of handlers) h.remove();
    for (const m of counted) for (const k of ['total_ops', 'total_params', 'input_shape', 'output_shape']) delete (m as unknown as Record<string, unknown>)[k];
  }
  if (print_detail) table.print_table();
  process.stdout.write(`Total Flops: ${Math.trunc(totalOps)}     Total Params: ${Math.trunc(totalParams)}\n`);
  return Math.trunc(totalOps);
}

/**
 * FLOPs of a static Program by Paddle's per-operator rules (conv2d / depthwise_conv2d,
 * pool2d, mul / matmul, batch_norm, elementwise_*; also matmul_v2, which nn.Linear appends
 * in 2.0 static mode, with mul's rule); batch dimensions are left out.
 * @internal
 */
export function static_flops(program: Program, print_detail = false): number {
  let flops = 0;
  const table = new Table(['OP Type', 'Param name', 'Flops']);
  const varOf = (name: string): { name: string; dims: number[] } | null => {
    for (const b of program.blocks) if (b.has_var(name)) return b.var(name);
    return null;
  };
  const ins = (op: { input_names: string[]; input(n: string): string[] }, slot: string) =>
    op.input_names.includes(slot) ? op.input(slot).map(varOf).filter((v) => v !== null) : [];
  const outs = (op: { output(n: string): string[] }, slot: string) => op.output(slot).map(varOf).filter((v) => v !== null);
  const numelNoBatch = (dims: number[]): number => prod(dims.slice(1));
  for (const block of program.blocks)
    for (const op of block.ops) {
      let opFlops = 0;
      let paramName = '';
      const t = op.type;
      if (t === 'conv2d' || t === 'depthwise_conv2d') {
        const f = ins(op, 'Filter')[0]!;
        const bias = ins(op, 'Bias').length > 0 ? 1 : 0;
        opFlops = numelNoBatch(outs(op, 'Output')[0]!.dims) * (prod(f.dims.slice(1)) + bias);
        paramName = f.name;
      } else if (t === 'pool2d') {
        const xs = ins(op, 'X')[0]!.dims;
        const ys = outs(op, 'Out')[0]!.dims;
        const kernel = xs.slice(2).map((d, i) => Math.floor(d / ys[2 + i]));
        opFlops = (prod(kernel) + 1) * numelNoBatch(ys);
      } else if (t === 'mul' || t === 'matmul' || t === 'matmul_v2') {
        const y = ins(op, 'Y')[0]!;
        opFlops = y.dims[0] * numelNoBatch(outs(op, 'Out')[0]!.dims);
        paramName = y.name;
      } else if (t === 'batch_norm') {
        opFlops = 2 * numelNoBatch(outs(op, 'Y')[0]!.dims);
      } else if (t.startsWith('element')) {
        opFlops = numelNoBatch(ins(op, 'X')[0]!.dims);
      }
      flops += opFlops;
      if (opFlops !== 0) table.add_row([t, paramName, opFlops]);
    }
  if (print_detail) table.print_table();
  return flops;
}

const flopsParams = [p('net', T.any), p('input_size', T.any), p('custom_ops', T.any, null), p('print_detail', T.bool, false)] as const;
const parseFlops = makeParser(API, flopsParams);

/**
 * paddle.flops(net, input_size, custom_ops=None, print_detail=False): the FLOPs of a network
 * for one input of `input_size` (batch size 1 is what Paddle's rules assume), with Paddle's
 * counting rules: Conv*: out_elements x (in_channels / groups x kernel_area + bias);
 * Linear: in_features x out_elements; BatchNorm2D / BatchNorm: 2 x elements; AvgPool*:
 * out_elements; AdaptiveAvgPool*: (kernel_area + 1) x out_elements; LeakyReLU: elements;
 * ReLU, ReLU6, Dropout: 0; any other leaf layer: 0 (it says so). `custom_ops` maps layer
 * classes to counting functions `fn(layer, inputs, output)` that add to `layer.total_ops`
 * (a Map, or a list of [class, fn] pairs, for Python's dict). Prints
 * `Total Flops: N     Total Params: M` and, with print_detail, a per-layer table. A static
 * `paddle.static.Program` is counted per operator instead (input_size unused).
 * @example
 * paddle.flops(new paddle.vision.models.LeNet(), [1, 1, 28, 28]);   // 347560
 * paddle.flops(net, [1, 3, 32, 32], {
 *   custom_ops: new Map([[nn.LeakyReLU, (m, x, y) => { m.total_ops += x[0].numel(); }]]),
 *   print_detail: true,
 * });
 */
export function flops(
  ...args:
    | [net: Layer | Program, input_size: number[] | null, custom_ops?: unknown, print_detail?: boolean, kw?: { custom_ops?: unknown; print_detail?: boolean }]
    | [Layer | Program, number[] | null, { custom_ops?: unknown; print_detail?: boolean }]
    | [{ net: Layer | Program; input_size: number[] | null; custom_ops?: unknown; print_detail?: boolean }]
): number {
  const a = parseFlops(args) as { net: unknown; input_size: unknown; custom_ops: unknown; print_detail: boolean };
  if (a.net instanceof Layer) {
    const s = a.input_size;
    if (!Array.isArray(s) || s.length === 0 || !s.every((d) => Number.isInteger(d) && d > 0))
      fail(API, `argument 'input_size' expected a shape (a list of positive ints, e.g. [1, 3, 224, 224]), but got ${describe(s)}`);
    return dynamic_flops(a.net, randn(s as number[]), a.custom_ops, a.print_detail);
  }
  if (a.net instanceof Program) return static_flops(a.net, a.print_detail);
  warn('Your model must be an instance of paddle.nn.Layer or paddle.static.Program.');
  return -1;
}
