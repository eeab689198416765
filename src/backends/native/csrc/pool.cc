// pool2d / pool3d forward and backward (max and average), as src/backends/js/pool.ts: every
// call is 3-D pooling over precomputed per-dim windows (start, end, full length), channel
// planes (n, c) with element stride 1 (NCHW) or C (NHWC), split over the thread pool.
#include <stdint.h>
#include <string.h>

#include <type_traits>

#include "common.h"
#include "ops.h"

namespace pt {
namespace {

inline idx mn(idx a, idx b) { return a < b ? a : b; }

/** Paddle's initial value of a max window (-FLT_MAX). */
const double NEG_FLT_MAX = -3.4028234663852886e38;

template <class F>
void over_planes(idx planes, double work, F& f) {
  const int nt = available_threads();
  if (nt <= 1 || planes < 2 || work < 1e5) {
    f(0, planes);
    return;
  }
  struct Ctx {
    F* f;
    idx planes, per;
    static void call(void* c, idx t, int) {
      Ctx& x = *(Ctx*)c;
      const idx b = mn(x.planes, t * x.per), e = mn(x.planes, b + x.per);
      if (b < e) (*x.f)(b, e);
    }
  };
  const idx tasks = mn(planes, (idx)nt * 4);
  Ctx c = {&f, planes, (planes + tasks - 1) / tasks};
  parallel_for((planes + c.per - 1) / c.per, Ctx::call, &c);
}

/** Whether the windows are Paddle's common 2x2, stride 2, unpadded 2-D max pooling over NCHW planes. */
bool is_2x2(const PoolGeo& g) {
  if (g.cl || g.ID != 1 || g.OD != 1 || g.OH * 2 > g.IH || g.OW * 2 > g.IW) return false;
  for (idx o = 0; o < g.OH; o++)
    if (g.start[1][o] != 2 * o || g.end[1][o] != 2 * o + 2) return false;
  for (idx o = 0; o < g.OW; o++)
    if (g.start[2][o] != 2 * o || g.end[2][o] != 2 * o + 2) return false;
  return true;
}

/** max(v, t) as the generic loop computes it (v > t ? v : t), so NaNs propagate the same way. */
template <class T>
inline T vmax(T v, T t) { return v > t ? v : t; }

/** 2x2 stride-2 max pooling of planes [b, e): the generic window loop, unrolled. */
template <class T>
void max2x2_forward(const T* x, T* out, const PoolGeo& g, idx b, idx e) {
  const idx W = g.IW, inPlane = g.IH * g.IW, outPlane = g.OH * g.OW;
  for (idx pl = b; pl < e; pl++) {
    const T* xb = x + pl * inPlane;
    T* ob = out + pl * outPlane;
    for (idx oh = 0; oh < g.OH; oh++) {
      const T* r0 = xb + 2 * oh * W;
      const T* r1 = r0 + W;
      T* o = ob + oh * g.OW;
#pragma omp simd
      for (idx ow = 0; ow < g.OW; ow++)
        o[ow] = vmax(vmax(vmax(vmax((T)NEG_FLT_MAX, r0[2 * ow]), r0[2 * ow + 1]), r1[2 * ow]), r1[2 * ow + 1]);
    }
  }
}

/** v where mask is all ones, +0 where it is zero (bitwise, so no branch and no inf * 0). */
template <class T, class U>
inline T keep_if(T v, U mask) {
  U b;
  memcpy(&b, &v, sizeof b);
  b &= mask;
  T r;
  memcpy(&r, &b, sizeof r);
  return r;
}

/**
 * Its gradient: each window's first position (row-major) equal to the max gets dy, the rest
 * of the plane zeros; windows do not overlap, so every element is written once. Branch-free:
 * on real data the winner of a window is unpredictable.
 */
template <class T>
void max2x2_backward(const T* x, const T* y, const T* dy, T* dx, const PoolGeo& g, idx b, idx e) {
  using U = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;
  const idx W = g.IW, inPlane = g.IH * g.IW, outPlane = g.OH * g.OW;
  for (idx pl = b; pl < e; pl++) {
    const T* xb = x + pl * inPlane;
    T* db = dx + pl * inPlane;
    const T* yb = y + pl * outPlane;
    const T* gb = dy + pl * outPlane;
    for (idx oh = 0; oh < g.OH; oh++) {
      const T* r0 = xb + 2 * oh * W;
      const T* r1 = r0 + W;
      T* d0 = db + 2 * oh * W;
      T* d1 = d0 + W;
      for (idx ow = 0; ow < g.OW; ow++) {
        const T m = yb[oh * g.OW + ow], v = gb[oh * g.OW + ow];
        const U e0 = r0[2 * ow] == m, e1 = r0[2 * ow + 1] == m, e2 = r1[2 * ow] == m, e3 = r1[2 * ow + 1] == m;
        const U f1 = e1 & ~e0, f2 = e2 & ~(e0 | e1), f3 = e3 & ~(e0 | e1 | e2);
        d0[2 * ow] = keep_if(v, (U)0 - e0);
        d0[2 * ow + 1] = keep_if(v, (U)0 - f1);
        d1[2 * ow] = keep_if(v, (U)0 - f2);
        d1[2 * ow + 1] = keep_if(v, (U)0 - f3);
      }
      // an odd width's last column
      for (idx w = 2 * g.OW; w < W; w++) d0[w] = d1[w] = 0;
    }
    // an odd height's last row
    for (idx h = 2 * g.OH; h < g.IH; h++) memset(db + h * W, 0, sizeof(T) * (size_t)W);
  }
}

/** Offset of channel (n, c) in a tensor with `plane` positions per channel. */
inline idx base_of(const PoolGeo& g, idx n, idx c, idx plane) { return g.cl ? n * plane * g.C + c : (n * g.C + c) * plane; }

}  // namespace

template <class T>
void pool_forward(const T* x, T* out, const PoolGeo& g, bool max, bool divByCount) {
  const idx inPlane = g.ID * g.IH * g.IW, outPlane = g.OD * g.OH * g.OW;
  if (max && is_2x2(g)) {
    auto fast = [&](idx b, idx e) { max2x2_forward(x, out, g, b, e); };
    over_planes(g.N * g.C, (double)g.N * g.C * (inPlane + outPlane), fast);
    return;
  }
  const idx cs = g.cl ? g.C : 1;
  const idx H = g.IH, W = g.IW;
  auto run = [&](idx b, idx e) {
    for (idx pl = b; pl < e; pl++) {
      const idx n = pl / g.C, ch = pl % g.C;
      const T* xb = x + base_of(g, n, ch, inPlane);
      T* ob = out + base_of(g, n, ch, outPlane);
      idx op = 0;
      for (idx od = 0; od < g.OD; od++) {
        const idx d0 = g.start[0][od], d1 = g.end[0][od];
        for (idx oh = 0; oh < g.OH; oh++) {
          const idx h0 = g.start[1][oh], h1 = g.end[1][oh];
          for (idx ow = 0; ow < g.OW; ow++, op++) {
            const idx w0 = g.start[2][ow], w1 = g.end[2][ow];
            T v;
            if (max) {
              v = (T)NEG_FLT_MAX;
              for (idx d = d0; d < d1; d++)
                for (idx h = h0; h < h1; h++) {
                  const T* p = xb + ((d * H + h) * W + w0) * cs;
                  for (idx w = w0; w < w1; w++, p += cs) {
                    const T t = *p;
                    v = v > t ? v : t;  // NaN handling as the portable kernel
                  }
                }
            } else {
              T s = 0;
              for (idx d = d0; d < d1; d++)
                for (idx h = h0; h < h1; h++) {
                  const T* p = xb + ((d * H + h) * W + w0) * cs;
                  for (idx w = w0; w < w1; w++, p += cs) s += *p;
                }
              const idx count = divByCount ? (d1 - d0) * (h1 - h0) * (w1 - w0) : (idx)g.full[0][od] * g.full[1][oh] * g.full[2][ow];
              v = s / (T)count;
            }
            ob[op * cs] = v;
          }
        }
      }
    }
  };
  over_planes(g.N * g.C, (double)g.N * g.C * (inPlane + outPlane), run);
}

template <class T>
void pool_backward(const T* x, const T* y, const T* dy, T* dx, const PoolGeo& g, bool max, bool divByCount) {
  const idx inPlane = g.ID * g.IH * g.IW, outPlane = g.OD * g.OH * g.OW;
  if (max && is_2x2(g)) {
    auto fast = [&](idx b, idx e) { max2x2_backward(x, y, dy, dx, g, b, e); };
    over_planes(g.N * g.C, (double)g.N * g.C * (inPlane + outPlane), fast);
    return;
  }
  const idx cs = g.cl ? g.C : 1;
  const idx H = g.IH, W = g.IW;
  auto run = [&](idx b, idx e) {
    for (idx pl = b; pl < e; pl++) {
      const idx n = pl / g.C, ch = pl % g.C;
      const idx ib = base_of(g, n, ch, inPlane), obo = base_of(g, n, ch, outPlane);
      const T* xb = x + ib;
      T* db = dx + ib;
      if (cs == 1) memset(db, 0, sizeof(T) * (size_t)inPlane);
      else
        for (idx q = 0; q < inPlane; q++) db[q * cs] = 0;
      idx op = 0;
      for (idx od = 0; od < g.OD; od++) {
        const idx d0 = g.start[0][od], d1 = g.end[0][od];
        for (idx oh = 0; oh < g.OH; oh++) {
          const idx h0 = g.start[1][oh], h1 = g.end[1][oh];
          for (idx ow = 0; ow < g.OW; ow++, op++) {
            const idx w0 = g.start[2][ow], w1 = g.end[2][ow];
            const idx oi = obo + op * cs;
            const T gv = dy[oi];
            if (max) {
              // the first position (row-major in the window) equal to the max, without
              // data-dependent branches
              const T m = y[oi];
              idx at = -1;
              for (idx d = d1 - 1; d >= d0; d--)
                for (idx h = h1 - 1; h >= h0; h--) {
                  const idx o = ((d * H + h) * W) * cs;
                  for (idx w = w1 - 1; w >= w0; w--) {
                    const idx q = o + w * cs;
                    idx eq = xb[q] == m;
                    asm("" : "+r"(eq));  // keep the select branch-free (the compiler would branch)
                    at += (q - at) & -eq;
                  }
                }
              if (at >= 0) db[at] += gv;
            } else {
              const idx count = divByCount ? (d1 - d0) * (h1 - h0) * (w1 - w0) : (idx)g.full[0][od] * g.full[1][oh] * g.full[2][ow];
              const T sv = gv / (T)count;
              for (idx d = d0; d < d1; d++)
                for (idx h = h0; h < h1; h++) {
                  T* p = db + ((d * H + h) * W + w0) * cs;
                  for (idx w = w0; w < w1; w++, p += cs) *p += sv;
                }
            }
          }
        }
      }
    }
  };
  over_planes(g.N * g.C, (double)g.N * g.C * (inPlane + outPlane), run);
}

template void pool_forward<float>(const float*, float*, const PoolGeo&, bool, bool);
template void pool_forward<double>(const double*, double*, const PoolGeo&, bool, bool);
template void pool_backward<float>(const float*, const float*, const float*, float*, const PoolGeo&, bool, bool);
template void pool_backward<double>(const double*, const double*, const double*, double*, const PoolGeo&, bool, bool);

}  // namespace pt
