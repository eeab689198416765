// Entry points of the portable kernel families (conv.cc, pool.cc), called by addon.cc.
#pragma once
#include "common.h"

namespace pt {

/** A forward convolution's sizes, 3-D (2-D convolutions have depth 1), as src/backends/js/conv.ts's Geo. */
struct ConvGeo {
  idx N, C, K, G, Cg, Kg;
  idx ID, IH, IW, OD, OH, OW, KD, KH, KW, SD, SH, SW, PD, PH, PW, DD, DH, DW;
  bool cl;
  idx inP, outP, kP, CRS;
};
/** Reads the 25 numbers [N, C, K, G, ID, IH, IW, OD, OH, OW, KD, KH, KW, SD, SH, SW, PD, PH, PW, DD, DH, DW, cl]. */
ConvGeo conv_geo(const double* v);

/** out = conv(x, w); x [N, C, in...] (or channels last), w [K, Cg, k...], out fully written. */
template <class T> void conv_forward(const T* x, const T* w, T* out, const ConvGeo& g);
/** dx = the adjoint of conv(., w) applied to dout (fully written). */
template <class T> void conv_backward_data(const T* dout, const T* w, T* dx, const ConvGeo& g);
/** dw = the filter gradient contracted with dout, summed over the batch (fully written). */
template <class T> void conv_backward_filter(const T* x, const T* dout, T* dw, const ConvGeo& g);
/** out += bias per channel (K channels, P positions per image, channels last or first). */
template <class T> void add_channel_bias(T* out, const T* bias, idx N, idx K, idx P, bool cl);

/** Pooling geometry: [N, C, ID, IH, IW, OD, OH, OW, cl] plus per-dim windows (start, end, full) for D, H, W. */
struct PoolGeo {
  idx N, C, ID, IH, IW, OD, OH, OW;
  bool cl;
  const int32_t* start[3];
  const int32_t* end[3];
  const int32_t* full[3];
};
template <class T> void pool_forward(const T* x, T* out, const PoolGeo& g, bool max, bool divByCount);
/** dx fully written; y is Out (used by max pooling). */
template <class T> void pool_backward(const T* x, const T* y, const T* dy, T* dx, const PoolGeo& g, bool max, bool divByCount);

}  // namespace pt
