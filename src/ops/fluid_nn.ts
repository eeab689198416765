// Layer operators of Paddle 2.0 that only fluid.layers appends (paddle/fluid/operators):
//   inplace_abn                 batch_norm's slots + attributes `activation` ('', 'identity',
//                               'leaky_relu', 'elu') and `alpha`: batch norm then the activation
//   deformable_conv / _grad     Input, Offset, Mask, Filter -> Output   (DCN v2, modulated)
//   deformable_conv_v1 / _grad  Input, Offset, Filter -> Output         (DCN v1)
//                               (strides, paddings, dilations, groups, deformable_groups, im2col_step)
// inplace_abn differentiates through the activation's derivative (from the output, as Paddle's
// inplace_abn_grad) and batch_norm_grad; the deformable convolutions through their *_grad
// operators (bilinear sampling gradients for input, offsets and mask).
import type { GradResult, Slots } from '../core/registry.js';
import { getOp } from '../core/registry.js';
import { showShape } from '../core/shape.js';
import type { Meta, Tensor } from '../core/tensor.js';
import * as c from './calls.js';
import { bool, defineOp, float, int, ints, meta, one, opFail, requireDtypes, str } from './util.js';

const known = (d: number): boolean => d >= 0;

// ---- inplace_abn ----------------------------------------------------------------------------------
/** batch_norm's attributes (taken from its definition) plus inplace_abn's own. */
const bnDef = () => getOp('batch_norm');
const ACTS = ['', 'identity', 'leaky_relu', 'elu'];
const BN_KEYS = ['is_test', 'momentum', 'epsilon', 'data_layout', 'use_mkldnn', 'fuse_with_relu', 'use_global_stats', 'trainable_statistics'];
const bnAttrsOf = (attrs: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of BN_KEYS) if (k in attrs) out[k] = attrs[k];
  return out;
};

defineOp({
  type: 'inplace_abn',
  inputs: ['X', 'Scale', 'Bias', 'Mean!', 'Variance!', 'MomentumTensor?!'],
  outputs: ['Y', 'MeanOut', 'VarianceOut', 'SavedMean', 'SavedVariance', 'ReserveSpace?'],
  attrs: {
    ...Object.fromEntries(BN_KEYS.map((k) => [k, bnDef().attrs[k]])),
    activation: str(''), alpha: float(0.1), use_sync_bn: bool(false),
  },
  noGradOutputs: ['MeanOut', 'VarianceOut', 'SavedMean', 'SavedVariance', 'ReserveSpace'],
  infer(ins, attrs) {
    if (!ACTS.includes(attrs.activation as string))
      opFail('inplace_abn', `unsupported activation type ${attrs.activation} for Op(inplace_abn) (use '', 'identity', 'leaky_relu' or 'elu')`);
    return bnDef().infer(ins, bnAttrsOf(attrs));
  },
  grad(ctx): GradResult {
    const nx = ctx.needs('X');
    const ns = ctx.needs('Scale');
    const nb = ctx.needs('Bias');
    if (!nx && !ns && !nb) return {};
    const y = ctx.output('Y');
    let g = ctx.outGrad('Y');
    const alpha = ctx.attrs.alpha as number;
    const act = ctx.attrs.activation as string;
    if (act === 'leaky_relu' || act === 'elu') {
      const pos = c.maskOf('greater_than', y, c.zerosLike(y), y.dtype);
      // leaky_relu: 1 where y > 0, else alpha; elu: 1 where y > 0, else y + alpha
      const neg = act === 'leaky_relu' ? c.fullLike(y, alpha) : c.scale(y, 1, alpha);
      g = c.mul(g, c.add(pos, c.mul(c.scale(pos, -1, 1), neg)));
    }
    const a = bnAttrsOf(ctx.attrs);
    const ins: Slots<Tensor> = {
      X: [ctx.input('X')], Scale: [ctx.input('Scale')], Bias: [ctx.input('Bias')],
      SavedMean: [ctx.output('SavedMean')], SavedVariance: [ctx.output('SavedVariance')], 'Y@GRAD': [g],
    };
    if (a.use_global_stats || (a.is_test && !a.trainable_statistics)) {
      ins.Mean = [ctx.input('Mean')];
      ins.Variance = [ctx.input('Variance')];
    }
    const r = c.dispatch('batch_norm_grad', ins, a);
    return { X: [nx ? r['X@GRAD'][0] : null], Scale: [ns ? r['Scale@GRAD'][0] : null], Bias: [nb ? r['Bias@GRAD'][0] : null] };
  },
});

// ---- deformable_conv / deformable_conv_v1 ----------------------------------------------------------
const convAttrs = () => ({ strides: ints([1, 1]), paddings: ints([0, 0]), dilations: ints([1, 1]), groups: int(1), deformable_groups: int(1), im2col_step: int(64) });

function deformInfer(ins: Slots<Meta>, attrs: Record<string, unknown>, op: string, modulated: boolean): Slots<Meta> {
  const x = one(ins, 'Input', op);
  const f = one(ins, 'Filter', op);
  const off = one(ins, 'Offset', op);
  requireDtypes(x, ['float32', 'float64'], op, 'Input');
  for (const [n, m] of [['Filter', f], ['Offset', off]] as const) if (m.dtype !== x.dtype) opFail(op, `${n} must have Input's dtype ${x.dtype}, but got ${m.dtype}`);
  if (x.dims.length !== 4) opFail(op, `Conv input should be 4-D tensor, get ${showShape(x.dims)}`);
  if (f.dims.length !== 4) opFail(op, `Filter should be 4-D [out, in/groups, kh, kw], get ${showShape(f.dims)}`);
  const strides = attrs.strides as number[];
  const pads = attrs.paddings as number[];
  const dil = attrs.dilations as number[];
  for (const [n, v] of [['strides', strides], ['paddings', pads], ['dilations', dil]] as const)
    if (v.length !== 2) opFail(op, `attribute ${n} must hold 2 values, but got ${showShape(v)}`);
  if (strides.some((s) => s <= 0) || dil.some((d) => d <= 0) || pads.some((p) => p < 0)) opFail(op, `strides and dilations must be positive and paddings non-negative`);
  const groups = attrs.groups as number;
  const dg = attrs.deformable_groups as number;
  const im2col = attrs.im2col_step as number;
  if (known(x.dims[1]) && x.dims[1] !== f.dims[1] * groups)
    opFail(op, `the number of input channels (${x.dims[1]}) must equal Filter's in-channels (${f.dims[1]}) times groups (${groups})`);
  if (f.dims[0] % groups !== 0) opFail(op, `the number of filters (${f.dims[0]}) must be divisible by groups (${groups})`);
  if (known(x.dims[0]) && x.dims[0] > im2col && x.dims[0] % im2col !== 0)
    opFail(op, `Input batchsize must be smaller than or divide im2col_step. But received Input batchsize:[${x.dims[0]}], im2col_step:[${im2col}]`);
  const out = [x.dims[0], f.dims[0]];
  for (let i = 0; i < 2; i++) {
    const d = x.dims[i + 2];
    const k = f.dims[i + 2];
    out.push(known(d) && known(k) ? Math.floor((d + 2 * pads[i] - (dil[i] * (k - 1) + 1)) / strides[i]) + 1 : -1);
  }
  if (out[1] % dg !== 0) opFail(op, `output num_filter must divide deformable group size. But received output num_filter:[${out[1]}], deformable group size:[${dg}]`);
  const kk = f.dims[2] * f.dims[3];
  const check = (m: Meta, name: string, per: number): void => {
    if (m.dims.length !== 4) opFail(op, `${name} must be 4-D, but got ${showShape(m.dims)}`);
    if ((known(out[2]) && known(m.dims[2]) && m.dims[2] !== out[2]) || (known(out[3]) && known(m.dims[3]) && m.dims[3] !== out[3]))
      opFail(op, `${name}'s height and width must equal the output's (${out[2]}, ${out[3]}), but got ${showShape(m.dims)}`);
    if (known(m.dims[1]) && m.dims[1] !== per * dg * kk)
      opFail(op, `${name} must have ${per} * deformable_groups * kh * kw = ${per * dg * kk} channels, but got ${showShape(m.dims)}`);
  };
  check(off, 'Offset', 2);
  if (modulated) check(one(ins, 'Mask', op), 'Mask', 1);
  return { Output: [meta(out, x.dtype)] };
}

for (const [type, modulated] of [['deformable_conv', true], ['deformable_conv_v1', false]] as const) {
  const gradType = `${type}_grad`;
  const slots = modulated ? ['Input', 'Offset', 'Mask', 'Filter'] : ['Input', 'Offset', 'Filter'];
  defineOp({
    type,
    inputs: slots,
    outputs: ['Output'],
    attrs: convAttrs(),
    infer: (ins, attrs) => deformInfer(ins, attrs, type, modulated),
    grad(ctx): GradResult {
      const ins: Slots<Tensor> = { 'Output@GRAD': [ctx.outGrad('Output')] };
      for (const s of slots) ins[s] = [ctx.input(s)];
      const r = c.dispatch(gradType, ins, { ...ctx.attrs });
      const res: GradResult = {};
      for (const s of slots) res[s] = [ctx.needs(s) ? r[`${s}@GRAD`][0] : null];
      return res;
    },
  });
  defineOp({
    type: gradType,
    inputs: [...slots, 'Output@GRAD'],
    outputs: slots.map((s) => `${s}@GRAD`),
    attrs: convAttrs(),
    infer(ins) {
      const res: Slots<Meta> = {};
      for (const s of slots) {
        const m = one(ins, s, gradType);
        res[`${s}@GRAD`] = [meta(m.dims.slice(), m.dtype)];
      }
      return res;
    },
  });
}
