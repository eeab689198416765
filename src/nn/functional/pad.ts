// paddle.nn.functional.pad, as python/paddle/nn/functional/common.py at 2.0. In 'constant'
// mode with len(pad) == 2 * x.ndim the pairs run from the FIRST dim (operator pad);
// otherwise x must be 3-D, 4-D or 5-D and pad lists [left, right, top, bottom, front, back]
// from the last spatial dim (operator pad3d on x lifted to 5-D).
import { defineApi, p, type Ty } from '../../core/args.js';
import { T, tensorToNumbers } from '../../core/convert.js';
import { PROTO_DTYPE } from '../../core/dtype.js';
import { run1 } from '../../core/dispatch.js';
import { describe, fail } from '../../core/errors.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import * as c from '../../ops/calls.js';

const API = 'paddle.nn.functional.pad';

const padTy: Ty<number[] | Tensor, readonly number[] | Tensor> = {
  desc: 'a list of ints or an int Tensor',
  parse(v, api, arg) {
    if (v instanceof Tensor) {
      if (v.dtype !== 'int32' && v.dtype !== 'int64') fail(api, `argument '${arg}' must be an int32 or int64 Tensor when a Tensor, but got ${v.dtype}`);
      return v;
    }
    if (Array.isArray(v) && v.every((e) => Number.isInteger(e))) return (v as number[]).slice();
    return fail(api, `argument '${arg}' expected a list of ints or an int Tensor, but got ${describe(v)}`);
  },
};

const FORMATS: Record<number, string[]> = { 3: ['NCL', 'NLC'], 4: ['NCHW', 'NHWC'], 5: ['NCDHW', 'NDHWC'] };

/** Runs pad3d on x lifted to 5-D, given the 2*(rank-2) paddings from the last spatial dim. */
export function padNd(api: string, x: Tensor, pad: number[] | Tensor, mode: string, value: number, dataFormat: string): Tensor {
  const r = x.dims.length;
  const channelLast = FORMATS[r][1] === dataFormat;
  // where x gets unit dims to become 5-D, and the zero pads of those dims
  const lift = r === 3 ? (channelLast ? [2, 3] : [3, 4]) : r === 4 ? (channelLast ? [1] : [2]) : [];
  const want = 2 * (r - 2);
  let list: number[] | null = null;
  let tensor: Tensor | null = null;
  if (pad instanceof Tensor) {
    if (state.staticMode) tensor = pad;
    else list = tensorToNumbers(pad);
  } else list = pad;
  if (list && list.length !== want)
    fail(api, `pad must have ${want} elements for a ${r}-D input in '${mode}' mode ([left, right${r > 3 ? ', top, bottom' : ''}${r > 4 ? ', front, back' : ''}]), but got ${list.length}: [${list.join(', ')}]`);
  const attrs: Record<string, unknown> = { mode, value, data_format: channelLast ? 'NDHWC' : 'NCDHW' };
  const ins: Record<string, Tensor[]> = {};
  if (list) attrs.paddings = r === 3 ? [0, 0, 0, 0, ...list] : r === 4 ? [...list, 0, 0] : list;
  else {
    // static mode: the paddings as an int32 Paddings input, completed with zeros
    let t = c.cast(tensor!, 'int32');
    if (r !== 5) {
      const zeros = run1('fill_constant', {}, { shape: [r === 3 ? 4 : 2], dtype: PROTO_DTYPE.int32, value: 0 });
      t = run1('concat', { X: r === 3 ? [zeros, t] : [t, zeros] }, { axis: 0 });
    }
    ins.Paddings = [t];
    attrs.paddings = [];
  }
  const x5 = lift.length ? run1('unsqueeze2', { X: [x] }, { axes: lift }) : x;
  const out = run1('pad3d', { X: [x5], ...ins }, attrs);
  return lift.length ? run1('squeeze2', { X: [out] }, { axes: lift }) : out;
}

/**
 * Pads a tensor. mode 'constant' with len(pad) == 2 * x.ndim pads every dim with
 * [before_0, after_0, before_1, after_1, ...] from dim 0; otherwise x is 3-D/4-D/5-D and pad
 * is [left, right], [left, right, top, bottom] or [left, right, top, bottom, front, back]
 * for the spatial dims, in mode 'constant' (fill `value`), 'reflect', 'replicate' or
 * 'circular'.
 * @param x the Tensor (float32/float64/int32/int64)
 * @param pad list of ints, or an int Tensor
 * @param mode 'constant' (default), 'reflect', 'replicate' or 'circular'
 * @param value fill value of 'constant' mode (0)
 * @param data_format 'NCL'/'NLC', 'NCHW'/'NHWC' or 'NCDHW'/'NDHWC' by rank (default 'NCHW')
 * @example F.pad(paddle.ones([1, 1, 2, 3]), [1, 1, 0, 2], { mode: 'reflect' })   // shape [1, 1, 4, 5]
 */
export const pad = defineApi(
  API,
  [p('x', T.tensor), p('pad', padTy), p('mode', T.str, 'constant'), p('value', T.float, 0), p('data_format', T.str, 'NCHW'), p('name', T.nullable(T.str), null)],
  (a): Tensor => {
    if (!['reflect', 'replicate', 'constant', 'circular'].includes(a.mode))
      fail(API, `mode should be one of 'constant', 'reflect', 'replicate', 'circular', but got '${a.mode}'`);
    const df = a.data_format.toUpperCase();
    if (!['NCL', 'NCHW', 'NCDHW', 'NLC', 'NHWC', 'NDHWC'].includes(df))
      fail(API, `data_format should be one of NCL, NCHW, NCDHW, NLC, NHWC, NDHWC, but got '${a.data_format}'`);
    const r = a.x.dims.length;
    if (a.mode === 'constant' && Array.isArray(a.pad) && a.pad.length === 2 * r)
      return run1('pad', { X: [a.x] }, { paddings: a.pad, pad_value: a.value });
    if (r < 3 || r > 5)
      fail(API, `the input must be 3-D, 4-D or 5-D (or, in 'constant' mode, pad must have 2 * ndim = ${2 * r} elements), but got a ${r}-D tensor and pad of ${Array.isArray(a.pad) ? a.pad.length : 'a Tensor'}`);
    if (!FORMATS[r].includes(df))
      fail(API, `a ${r}-D input takes data_format ${FORMATS[r].map((f) => `'${f}'`).join(' or ')}, but got '${a.data_format}'`);
    return padNd(API, a.x, a.pad, a.mode, a.value, df);
  },
);
