// paddle.nn.functional.interpolate and upsample, as python/paddle/nn/functional/common.py at
// 2.0: modes 'nearest', 'linear' (3-D), 'bilinear', 'bicubic' (4-D), 'trilinear' (5-D) run
// the *_interp_v2 operators; 'area' is adaptive average pooling. The output size comes from
// `size` (a list of ints, of one-element Tensors, or an int Tensor) or `scale_factor` (a
// number, a list, or a Tensor); in static mode Tensors become the OutSize / SizeTensor /
// Scale inputs, as Paddle does.
import { defineApi, p, type Ty } from '../../core/args.js';
import { T, tensorToNumbers } from '../../core/convert.js';
import { PROTO_DTYPE } from '../../core/dtype.js';
import { dispatch, run1 } from '../../core/dispatch.js';
import { describe, fail } from '../../core/errors.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';
import { adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d } from './pooling.js';

type SizeIn = number | Tensor | readonly (number | Tensor)[];
const sizeTy: Ty<SizeIn | null, SizeIn | null> = {
  desc: 'a list of ints or an int Tensor',
  parse(v, api, arg) {
    if (v === null || v instanceof Tensor || typeof v === 'number') return v;
    if (Array.isArray(v) && v.every((e) => typeof e === 'number' || e instanceof Tensor)) return v.slice();
    return fail(api, `argument '${arg}' expected a list of ints (or one-element Tensors) or a Tensor, but got ${describe(v)}`);
  },
};

function interpImpl(api: string, a: {
  x: Tensor; size: SizeIn | null; scale_factor: SizeIn | null; mode: string; align_corners: boolean; align_mode: number; data_format: string;
}): Tensor {
  const x = a.x;
  const dataFormat = a.data_format.toUpperCase();
  const resample = a.mode.toUpperCase();
  const method = a.mode.toLowerCase();
  const r = x.dims.length;
  if (!['LINEAR', 'BILINEAR', 'TRILINEAR', 'NEAREST', 'BICUBIC', 'AREA'].includes(resample))
    fail(api, `mode can only be 'area', 'linear', 'bilinear', 'trilinear', 'bicubic' or 'nearest', but got '${a.mode}'`);
  if (resample === 'LINEAR' && r !== 3) fail(api, `mode 'linear' only supports a 3-D input, but got a ${r}-D tensor`);
  if (['BILINEAR', 'NEAREST', 'BICUBIC'].includes(resample) && r !== 4)
    fail(api, `modes 'bilinear', 'bicubic' and 'nearest' only support a 4-D input, but got a ${r}-D tensor`);
  if (resample === 'TRILINEAR' && r !== 5) fail(api, `mode 'trilinear' only supports a 5-D input, but got a ${r}-D tensor`);
  if (a.size === null && a.scale_factor === null) fail(api, 'one of size and scale_factor must not be None');
  if (a.align_mode !== 0 && a.align_mode !== 1) fail(api, `align_mode can only be 0 or 1, but got ${a.align_mode}`);
  if (a.align_corners && resample === 'NEAREST')
    fail(api, "align_corners can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
  if (resample === 'AREA') {
    if (a.size === null) fail(api, "mode 'area' needs size (it is adaptive average pooling)");
    const sz = a.size instanceof Tensor ? tensorToNumbers(a.size) : Array.isArray(a.size) ? a.size.map((e) => (e instanceof Tensor ? tensorToNumbers(e)[0] : e)) : a.size;
    if (r === 3) return adaptive_avg_pool1d(x, sz as number);
    if (r === 4) return adaptive_avg_pool2d(x, sz as number[]);
    if (r === 5) return adaptive_avg_pool3d(x, sz as number[]);
    fail(api, `mode 'area' needs a 3-D, 4-D or 5-D input, but got a ${r}-D tensor`);
  }
  const formats: Record<number, string[]> = { 3: ['NCW', 'NWC'], 4: ['NCHW', 'NHWC'], 5: ['NCDHW', 'NDHWC'] };
  if (!formats[r].includes(dataFormat))
    fail(api, `got data_format '${a.data_format}', but only ${formats[r].map((f) => `'${f}'`).join(' or ')} are supported for a ${r}-D input`);
  const layout = dataFormat === formats[r][0] ? 'NCHW' : 'NHWC';
  const nd = r - 2;
  const attrs: Record<string, unknown> = {
    out_d: -1,
    out_h: -1,
    out_w: -1,
    interp_method: method,
    align_corners: resample === 'NEAREST' ? false : a.align_corners,
    align_mode: a.align_mode,
    data_layout: layout,
  };
  const ins: Record<string, Tensor[]> = { X: [x] };
  const sizeNames = ['out_d', 'out_h', 'out_w'].slice(3 - nd);
  if (a.size !== null && a.scale_factor !== null) fail(api, 'only one of size or scale_factor should be defined');
  if (a.size !== null) {
    let size = a.size;
    if (size instanceof Tensor && state.staticMode) {
      ins.OutSize = [c.cast(size, 'int32')];
    } else {
      if (size instanceof Tensor) size = tensorToNumbers(size);
      if (!Array.isArray(size)) fail(api, `size should be a list or a Tensor, but got ${describe(size)}`);
      const list = size as (number | Tensor)[];
      if (list.length !== nd) fail(api, `size must have ${nd} element${nd > 1 ? 's' : ''} for a ${r}-D input, but got ${list.length}`);
      const hasVar = state.staticMode && list.some((e) => e instanceof Tensor);
      if (hasVar) {
        // static mode: one int32 [1] tensor per dim (SizeTensor); -1 in the attributes for those
        ins.SizeTensor = list.map((e) =>
          e instanceof Tensor ? c.cast(e, 'int32') : run1('fill_constant', {}, { shape: [1], dtype: PROTO_DTYPE.int32, value: e, force_cpu: true }),
        );
        list.forEach((e, i) => (attrs[sizeNames[i]] = e instanceof Tensor ? -1 : e));
      } else {
        const nums = list.map((e) => (e instanceof Tensor ? tensorToNumbers(e)[0] : e));
        nums.forEach((v, i) => {
          if (!(v > 0)) fail(api, `each dimension size given in size must be greater than 0, but got [${nums.join(', ')}]`);
          attrs[sizeNames[i]] = Math.trunc(v);
        });
      }
    }
  } else {
    let scale = a.scale_factor!;
    if (scale instanceof Tensor && !state.staticMode) scale = tensorToNumbers(scale);
    if (scale instanceof Tensor) ins.Scale = [c.cast(scale, 'float32')];
    else if (typeof scale === 'number') {
      if (!(scale > 0)) fail(api, `scale_factor should be greater than zero, but got ${scale}`);
      attrs.scale = new Array<number>(nd).fill(scale);
    } else if (Array.isArray(scale)) {
      const list = scale.map((e) => (e instanceof Tensor ? tensorToNumbers(e)[0] : e));
      if (list.length !== nd) fail(api, `scale_factor must have ${nd} element${nd > 1 ? 's' : ''} for a ${r}-D input, but got ${list.length}`);
      if (!list.every((v) => v > 0)) fail(api, `scale_factor should be greater than zero, but got [${list.join(', ')}]`);
      attrs.scale = list;
    } else fail(api, `scale_factor should be a number, a list or a Tensor, but got ${describe(scale)}`);
  }
  return dispatch(`${method}_interp_v2`, ins, attrs).Out[0];
}

const params = [
  p('x', T.tensor),
  p('size', sizeTy, null),
  p('scale_factor', sizeTy, null),
  p('mode', T.str, 'nearest'),
  p('align_corners', T.bool, false),
  p('align_mode', T.int, 0),
  p('data_format', T.str, 'NCHW'),
  p('name', T.nullable(T.str), null),
] as const;

/**
 * Resizes x to `size` or by `scale_factor`. Modes: 'nearest' (4-D), 'linear' (3-D),
 * 'bilinear' (4-D), 'bicubic' (4-D), 'trilinear' (5-D), 'area' (adaptive average pooling).
 * With align_corners=False and align_mode=0 (the defaults) linear modes sample at half-pixel
 * centres, src = (dst + 0.5) * in/out - 0.5; align_mode=1 uses src = dst * in/out;
 * align_corners=True maps corner to corner, src = dst * (in-1)/(out-1). Nearest takes
 * floor(dst * in/out).
 * @param x float32/float64 (or uint8) Tensor, 3-D/4-D/5-D
 * @param size output spatial size (list of ints or one-element Tensors, or an int Tensor)
 * @param scale_factor multiplier of the input size (number, list or Tensor); out = int(in * scale)
 * @param mode the interpolation mode (default 'nearest')
 * @param align_corners align corner pixels (not for 'nearest')
 * @param align_mode 0 (half-pixel) or 1, for the linear modes without align_corners
 * @param data_format 'NCW'/'NWC', 'NCHW'/'NHWC' or 'NCDHW'/'NDHWC'
 * @example F.interpolate(paddle.rand([2, 3, 6, 10]), { size: [12, 12], mode: 'bilinear' })   // shape [2, 3, 12, 12]
 */
export const interpolate = defineApi('paddle.nn.functional.interpolate', params, (a): Tensor => interpImpl('paddle.nn.functional.interpolate', a));

/**
 * Same as interpolate (an alias with the same parameters and defaults).
 * @example F.upsample(paddle.rand([2, 3, 6, 10]), { scale_factor: 2 })   // shape [2, 3, 12, 20]
 */
export const upsample = defineApi('paddle.nn.functional.upsample', params, (a): Tensor => interpImpl('paddle.nn.functional.upsample', a));
