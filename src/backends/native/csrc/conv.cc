// Convolutions on the native GEMM: forward, backward-data and backward-filter of a forward
// convolution geometry (ConvGeo, the same as src/backends/js/conv.ts); the transposed
// convolutions are composed of these in src/backends/native/index.ts.
//
// Per image and group the convolution is a GEMM against a "column source", a matrix whose
// row r = (c, kd, kh, kw) is read through an offset table, so nothing is copied that need
// not be:
//   POINT  1x1, stride 1, no padding: the input itself (column stride 1, or C channels last).
//   GRID   all strides 1: the input copied once into a zero-padded volume (Dp x Hp x Wp per
//          channel); row r starts at the tap's offset in it, so an output position j on the
//          padded grid reads xpad[c*plane + tap_offset + j]. Grid columns past the output's
//          width/height are computed and dropped (the waste is bounded by the plan).
//   IM2COL anything else: an explicit im2col buffer (CRS x outP).
// Backward data of a stride-1 convolution is the forward convolution of dout with the
// flipped, transposed filter; otherwise it is a GEMM into columns and col2im. Backward filter
// is a GEMM reducing over positions, per thread over its images, summed at the end.
// Depthwise convolutions (one input channel per group) use direct loops. Work is split over
// images across the thread pool, or inside the GEMM when there are fewer images than threads.
#include <string.h>

#include <vector>

#include "common.h"
#include "ops.h"

namespace pt {

ConvGeo conv_geo(const double* v) {
  ConvGeo g;
  g.N = (idx)v[0];
  g.C = (idx)v[1];
  g.K = (idx)v[2];
  g.G = (idx)v[3];
  g.ID = (idx)v[4];
  g.IH = (idx)v[5];
  g.IW = (idx)v[6];
  g.OD = (idx)v[7];
  g.OH = (idx)v[8];
  g.OW = (idx)v[9];
  g.KD = (idx)v[10];
  g.KH = (idx)v[11];
  g.KW = (idx)v[12];
  g.SD = (idx)v[13];
  g.SH = (idx)v[14];
  g.SW = (idx)v[15];
  g.PD = (idx)v[16];
  g.PH = (idx)v[17];
  g.PW = (idx)v[18];
  g.DD = (idx)v[19];
  g.DH = (idx)v[20];
  g.DW = (idx)v[21];
  g.cl = v[22] != 0;
  g.Cg = g.C / g.G;
  g.Kg = g.K / g.G;
  g.inP = g.ID * g.IH * g.IW;
  g.outP = g.OD * g.OH * g.OW;
  g.kP = g.KD * g.KH * g.KW;
  g.CRS = g.Cg * g.kP;
  return g;
}

namespace {

inline idx mn(idx a, idx b) { return a < b ? a : b; }
inline idx mx(idx a, idx b) { return a > b ? a : b; }
inline idx ceil_div(idx a, idx b) { return (a + b - 1) / b; }
inline idx floor_div(idx a, idx b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

inline void gemm(const Gemm<float>& g) { active().sgemm(g); }
inline void gemm(const Gemm<double>& g) { active().dgemm(g); }

template <class T>
Mat<T> mat(const T* p, idx rs, idx cs, const idx* rt = nullptr, const idx* ct = nullptr) {
  Mat<T> m = {p, rs, cs, rt, ct};
  return m;
}
template <class T>
OutMat<T> outmat(T* p, idx rs, idx cs, const idx* rt = nullptr, const idx* ct = nullptr) {
  OutMat<T> m = {p, rs, cs, rt, ct};
  return m;
}
template <class T>
Mat<T> tr(const Mat<T>& m) {
  return mat(m.p, m.cs, m.rs, m.ct, m.rt);
}
template <class T>
OutMat<T> tr(const OutMat<T>& m) {
  return outmat(m.p, m.cs, m.rs, m.ct, m.rt);
}

/** Elements an M x N product computes with the micro-tile mr x nr (edges padded). */
idx padded_work(idx M, idx N, idx mr, idx nr) { return ceil_div(M, mr) * mr * ceil_div(N, nr) * nr; }

/**
 * C (M x N) = alpha A B, choosing between computing C and C^T = B^T A^T by tile waste; on a
 * tie, the orientation whose C has unit column stride.
 */
template <class T>
void gemm_oriented(idx M, idx N, idx K, const Mat<T>& a, const Mat<T>& b, const OutMat<T>& c, bool accumulate, bool parallel) {
  const KernelTable& kt = active();
  const idx mr = sizeof(T) == 4 ? kt.smr : kt.dmr, nr = sizeof(T) == 4 ? kt.snr : kt.dnr;
  // C written through the tile buffer costs about a quarter more
  const bool fast1 = !c.ct && !c.rt && c.cs == 1, fast2 = !c.rt && !c.ct && c.rs == 1;
  const double w1 = (double)padded_work(M, N, mr, nr) * (fast1 ? 1.0 : 1.25);
  const double w2 = (double)padded_work(N, M, mr, nr) * (fast2 ? 1.0 : 1.25);
  const bool swap = w2 < w1;
  Gemm<T> g;
  if (!swap) {
    g = {M, N, K, a, b, c, (T)1, accumulate, parallel};
  } else {
    g = {N, M, K, tr(b), tr(a), tr(c), (T)1, accumulate, parallel};
  }
  gemm(g);
}

enum Method { POINT, GRID, IM2COL };

/** How one convolution reads its column source (see the top of the file). */
struct Plan {
  Method m;
  idx Dp, Hp, Wp;
  /** Columns of the column source: grid positions or output positions. */
  idx P;
  /** Column stride of the source (POINT channels last: C). */
  idx colStride;
  /** Row r's offset in the per-(image, group) source. */
  std::vector<idx> rowoff;
  /** GRID: output position of grid column j, or -1. */
  std::vector<idx> pos;
  /** Elements of the per-thread source buffer (GRID, IM2COL). */
  idx bufElems;
};

bool all_stride1(const ConvGeo& g) { return g.SD == 1 && g.SH == 1 && g.SW == 1; }

Plan make_plan(const ConvGeo& g) {
  Plan p;
  p.colStride = 1;
  p.Dp = p.Hp = p.Wp = 0;
  p.bufElems = 0;
  const bool point = g.kP == 1 && all_stride1(g) && g.PD == 0 && g.PH == 0 && g.PW == 0 && g.ID == g.OD && g.IH == g.OH && g.IW == g.OW;
  p.rowoff.resize((size_t)g.CRS);
  if (point) {
    p.m = POINT;
    p.P = g.outP;
    p.colStride = g.cl ? g.C : 1;
    for (idx c = 0; c < g.Cg; c++) p.rowoff[(size_t)c] = g.cl ? c : c * g.inP;
    return p;
  }
  if (all_stride1(g)) {
    const idx Dp = g.OD + (g.KD - 1) * g.DD, Hp = g.OH + (g.KH - 1) * g.DH, Wp = g.OW + (g.KW - 1) * g.DW;
    // grid positions j = (od*Hp + oh)*Wp + ow, up to the last output row
    const idx P = ((g.OD - 1) * Hp + g.OH) * Wp;
    const double waste = (double)P / (double)mx(1, g.outP);
    if (waste <= 1.5) {
      p.m = GRID;
      p.Dp = Dp;
      p.Hp = Hp;
      p.Wp = Wp;
      const idx plane = Dp * Hp * Wp;
      p.P = P;
      idx r = 0;
      for (idx c = 0; c < g.Cg; c++)
        for (idx kd = 0; kd < g.KD; kd++)
          for (idx kh = 0; kh < g.KH; kh++)
            for (idx kw = 0; kw < g.KW; kw++) p.rowoff[(size_t)r++] = c * plane + (kd * g.DD * Hp + kh * g.DH) * Wp + kw * g.DW;
      p.pos.resize((size_t)p.P);
      for (idx j = 0; j < P; j++) {
        const idx od = j / (Hp * Wp), oh = (j / Wp) % Hp, ow = j % Wp;
        p.pos[(size_t)j] = oh < g.OH && ow < g.OW ? (od * g.OH + oh) * g.OW + ow : -1;
      }
      // reads of dropped columns run past the last channel's plane by at most this much
      p.bufElems = g.Cg * plane + (g.KH - 1) * g.DH * Wp + (g.KW - 1) * g.DW + 64;
      return p;
    }
  }
  p.m = IM2COL;
  p.P = g.outP;
  for (idx r = 0; r < g.CRS; r++) p.rowoff[(size_t)r] = r * g.outP;
  p.bufElems = g.CRS * g.outP;
  return p;
}

/** Element strides of an input: channel and flat spatial position. */
inline void in_strides(const ConvGeo& g, idx& sc, idx& sp) {
  sc = g.cl ? 1 : g.inP;
  sp = g.cl ? g.C : 1;
}
/** Offset of image n, group grp's first channel in an input (C channels, P positions). */
inline idx chan_base(bool cl, idx n, idx grp, idx C, idx Cg, idx P) { return cl ? n * P * C + grp * Cg : (n * C + grp * Cg) * P; }

/** The padded volume of image n, group grp (zeros outside the input). */
template <class T>
void fill_grid(const T* x, const ConvGeo& g, const Plan& p, idx n, idx grp, T* buf) {
  idx sc, sp;
  in_strides(g, sc, sp);
  const idx plane = p.Dp * p.Hp * p.Wp;
  memset(buf, 0, sizeof(T) * (size_t)p.bufElems);
  const T* src = x + chan_base(g.cl, n, grp, g.C, g.Cg, g.inP);
  for (idx c = 0; c < g.Cg; c++) {
    for (idx d = 0; d < g.ID; d++) {
      const idx pd = d + g.PD;
      if (pd >= p.Dp) break;
      for (idx h = 0; h < g.IH; h++) {
        const idx ph = h + g.PH;
        if (ph >= p.Hp) break;
        T* dst = buf + c * plane + (pd * p.Hp + ph) * p.Wp + g.PW;
        const idx wn = mn(g.IW, p.Wp - g.PW);
        const T* s = src + c * sc + (d * g.IH + h) * g.IW * sp;
        if (sp == 1) memcpy(dst, s, sizeof(T) * (size_t)mx(0, wn));
        else
          for (idx w = 0; w < wn; w++) dst[w] = s[w * sp];
      }
    }
  }
}

/** Valid output range [lo, hi) along one dim for tap t (0 <= o*S - P + t*D < I). */
inline idx lo_of(idx t, idx S, idx P, idx D, idx O) {
  const idx off = t * D - P;
  return mn(O, mx(0, ceil_div(mx(0, -off), S)));
}
inline idx hi_of(idx t, idx S, idx P, idx D, idx I, idx O, idx l) {
  const idx off = t * D - P;
  return mx(l, mn(O, floor_div(I - 1 - off, S) + 1));
}

/** im2col of image n, group grp: col[r*outP + p]. */
template <class T>
void im2col(const T* x, const ConvGeo& g, idx n, idx grp, T* col) {
  idx sc, sp;
  in_strides(g, sc, sp);
  const T* src = x + chan_base(g.cl, n, grp, g.C, g.Cg, g.inP);
  const idx OD = g.OD, OH = g.OH, OW = g.OW;
  idx r = 0;
  for (idx c = 0; c < g.Cg; c++) {
    const T* cb = src + c * sc;
    for (idx kd = 0; kd < g.KD; kd++) {
      const idx dLo = lo_of(kd, g.SD, g.PD, g.DD, OD), dHi = hi_of(kd, g.SD, g.PD, g.DD, g.ID, OD, dLo);
      for (idx kh = 0; kh < g.KH; kh++) {
        const idx hLo = lo_of(kh, g.SH, g.PH, g.DH, OH), hHi = hi_of(kh, g.SH, g.PH, g.DH, g.IH, OH, hLo);
        for (idx kw = 0; kw < g.KW; kw++, r++) {
          const idx wLo = lo_of(kw, g.SW, g.PW, g.DW, OW), wHi = hi_of(kw, g.SW, g.PW, g.DW, g.IW, OW, wLo);
          T* o = col + r * g.outP;
          for (idx od = 0; od < OD; od++) {
            const bool dIn = od >= dLo && od < dHi;
            const idx id = od * g.SD - g.PD + kd * g.DD;
            for (idx oh = 0; oh < OH; oh++, o += OW) {
              if (!dIn || oh < hLo || oh >= hHi) {
                memset(o, 0, sizeof(T) * (size_t)OW);
                continue;
              }
              const idx ih = oh * g.SH - g.PH + kh * g.DH;
              const T* row = cb + ((id * g.IH + ih) * g.IW) * sp;
              idx ow = 0;
              for (; ow < wLo; ow++) o[ow] = 0;
              const idx step = g.SW * sp;
              const T* s = row + (wLo * g.SW - g.PW + kw * g.DW) * sp;
              if (step == 1)
                for (; ow < wHi; ow++) o[ow] = *s++;
              else
                for (; ow < wHi; ow++, s += step) o[ow] = *s;
              for (; ow < OW; ow++) o[ow] = 0;
            }
          }
        }
      }
    }
  }
}

/** col2im: adds col (CRS x outP) into acc (Cg x inP, CHW), the adjoint of im2col. */
template <class T>
void col2im(const T* col, const ConvGeo& g, T* acc) {
  const idx OD = g.OD, OH = g.OH, OW = g.OW;
  const idx HW = g.IH * g.IW;
  idx r = 0;
  for (idx c = 0; c < g.Cg; c++) {
    T* cb = acc + c * g.inP;
    for (idx kd = 0; kd < g.KD; kd++) {
      const idx dLo = lo_of(kd, g.SD, g.PD, g.DD, OD), dHi = hi_of(kd, g.SD, g.PD, g.DD, g.ID, OD, dLo);
      for (idx kh = 0; kh < g.KH; kh++) {
        const idx hLo = lo_of(kh, g.SH, g.PH, g.DH, OH), hHi = hi_of(kh, g.SH, g.PH, g.DH, g.IH, OH, hLo);
        for (idx kw = 0; kw < g.KW; kw++, r++) {
          const idx wLo = lo_of(kw, g.SW, g.PW, g.DW, OW), wHi = hi_of(kw, g.SW, g.PW, g.DW, g.IW, OW, wLo);
          if (wLo >= wHi) continue;
          const idx offW = kw * g.DW - g.PW;
          for (idx od = dLo; od < dHi; od++) {
            T* pd = cb + (od * g.SD - g.PD + kd * g.DD) * HW;
            for (idx oh = hLo; oh < hHi; oh++) {
              T* row = pd + (oh * g.SH - g.PH + kh * g.DH) * g.IW + offW;
              const T* s = col + r * g.outP + (od * OH + oh) * OW + wLo;
              if (g.SW == 1) {
                T* d = row + wLo;
                for (idx ow = wLo; ow < wHi; ow++) *d++ += *s++;
              } else {
                for (idx ow = wLo; ow < wHi; ow++) row[ow * g.SW] += *s++;
              }
            }
          }
        }
      }
    }
  }
}

/** Splits N images over the pool when there are enough; returns the task count (1: serial). */
int image_tasks(idx N, double workPerImage) {
  const int nt = available_threads();
  if (nt <= 1 || N < 2 || workPerImage * (double)N < 2e5) return 1;
  return (int)mn(N, nt);
}

template <class F>
void run_tasks(int tasks, F& f) {
  struct Ctx {
    static void call(void* c, idx t, int tid) { (*(F*)c)(t, tid); }
  };
  if (tasks <= 1) f(0, 0);
  else parallel_for(tasks, Ctx::call, &f);
}

inline void task_range(idx n, int tasks, idx t, idx& b, idx& e) {
  const idx per = ceil_div(n, tasks);
  b = mn(n, t * per);
  e = mn(n, b + per);
}

// ---- depthwise (Cg = 1): output channel k reads input channel k / Kg ------------------------

/** Element strides (image, channel, depth, height, width) of [N, C, D, H, W] or channels last. */
inline void strides5(idx C, idx D, idx H, idx W, bool cl, idx s[5]) {
  const idx P = D * H * W;
  if (cl) {
    s[0] = P * C; s[1] = 1; s[2] = H * W * C; s[3] = W * C; s[4] = C;
  } else {
    s[0] = C * P; s[1] = P; s[2] = H * W; s[3] = W; s[4] = 1;
  }
}

inline void dw_call(const float* xp, const float* w, idx nk, float* out, idx ocs, idx os, const DwPlane& g, bool add) { active().dw_forward_f32(xp, w, nk, out, ocs, os, g, add); }
inline void dw_call(const double* xp, const double* w, idx nk, double* out, idx ocs, idx os, const DwPlane& g, bool add) { active().dw_forward_f64(xp, w, nk, out, ocs, os, g, add); }
inline void dwf_call(const float* xp, const float* d, idx nk, idx dcs, idx ds, const DwPlane& g, double* acc) { active().dw_filter_f32(xp, d, nk, dcs, ds, g, acc); }
inline void dwf_call(const double* xp, const double* d, idx nk, idx dcs, idx ds, const DwPlane& g, double* acc) { active().dw_filter_f64(xp, d, nk, dcs, ds, g, acc); }

/** The plane geometry of a depthwise pass producing O from an input padded by the before-pads. */
DwPlane dw_plane(idx OD, idx OH, idx OW, const ConvGeo& g, idx& Dp) {
  DwPlane p = {OD, OH, OW, g.KD, g.KH, g.KW, g.SD, g.SH, g.SW, g.DD, g.DH, g.DW, 0, 0};
  Dp = (OD - 1) * g.SD + (g.KD - 1) * g.DD + 1;
  p.Hp = (OH - 1) * g.SH + (g.KH - 1) * g.DH + 1;
  p.Wp = (OW - 1) * g.SW + (g.KW - 1) * g.DW + 1;
  return p;
}

/** Zeroed elements after a padded plane: the ISA kernels read whole row chunks (64 * SW). */
inline idx dw_slack(const ConvGeo& g) { return 64 * g.SW + 64; }

/** Copies one channel (element stride sp, D x H x W) into a zeroed Dp x Hp x Wp volume (plus slack) at offset (PD, PH, PW), clipped. */
template <class T>
void pad_plane(const T* src, idx sp, idx D, idx H, idx W, idx PD, idx PH, idx PW, idx Dp, idx Hp, idx Wp, idx slack, T* buf) {
  memset(buf, 0, sizeof(T) * (size_t)(Dp * Hp * Wp + slack));
  const idx wn = mn(W, Wp - PW);
  if (wn <= 0) return;
  for (idx d = 0; d < D; d++) {
    const idx pd = d + PD;
    if (pd >= Dp) break;
    for (idx h = 0; h < H; h++) {
      const idx ph = h + PH;
      if (ph >= Hp) break;
      T* dst = buf + (pd * Hp + ph) * Wp + PW;
      const T* s = src + ((d * H + h) * W) * sp;
      if (sp == 1) memcpy(dst, s, sizeof(T) * (size_t)wn);
      else
        for (idx w = 0; w < wn; w++) dst[w] = s[w * sp];
    }
  }
}

/** Tasks for `items` independent pieces of `work` flops in all (1: stay on this thread). */
int split_tasks(idx items, double work) {
  const int nt = available_threads();
  if (nt <= 1 || items < 2 || work < 2e5) return 1;
  return (int)mn(items, (idx)nt * 4);
}

template <class T>
void depthwise_forward(const T* x, const T* w, T* out, const ConvGeo& g) {
  idx xs[5], os[5];
  strides5(g.C, g.ID, g.IH, g.IW, g.cl, xs);
  strides5(g.K, g.OD, g.OH, g.OW, g.cl, os);
  idx Dp;
  const DwPlane pl = dw_plane(g.OD, g.OH, g.OW, g, Dp);
  const idx planes = g.N * g.C;
  const int tasks = split_tasks(planes, 2.0 * (double)planes * (double)g.Kg * (double)g.outP * (double)g.kP);
  auto run = [&](idx t, int) {
    idx b, e;
    task_range(planes, tasks, t, b, e);
    T* buf = (T*)scratch(3, sizeof(T) * (size_t)(Dp * pl.Hp * pl.Wp + dw_slack(g)));
    for (idx q = b; q < e; q++) {
      const idx n = q / g.C, c = q % g.C;
      pad_plane(x + n * xs[0] + c * xs[1], xs[4], g.ID, g.IH, g.IW, g.PD, g.PH, g.PW, Dp, pl.Hp, pl.Wp, dw_slack(g), buf);
      const idx k = c * g.Kg;
      dw_call(buf, w + k * g.kP, g.Kg, out + n * os[0] + k * os[1], os[1], os[4], pl, false);
    }
  };
  run_tasks(tasks, run);
}

/** Stride-1 depthwise backward data as the flipped-filter forward pass over padded dout planes; false if the pads do not allow it. */
template <class T>
bool depthwise_backward_data_stride1(const T* dout, const T* w, T* dx, const ConvGeo& g) {
  if (!(g.SD == 1 && g.SH == 1 && g.SW == 1)) return false;
  const idx eD = (g.KD - 1) * g.DD, eH = (g.KH - 1) * g.DH, eW = (g.KW - 1) * g.DW;
  const idx aD = g.OD - g.ID - g.PD + eD, aH = g.OH - g.IH - g.PH + eH, aW = g.OW - g.IW - g.PW + eW;
  if (!(g.PD <= eD && g.PH <= eH && g.PW <= eW && aD >= 0 && aH >= 0 && aW >= 0 && aD <= eD && aH <= eH && aW <= eW)) return false;
  idx xs[5], os[5];
  strides5(g.C, g.ID, g.IH, g.IW, g.cl, xs);
  strides5(g.K, g.OD, g.OH, g.OW, g.cl, os);
  idx Dp;
  const DwPlane pl = dw_plane(g.ID, g.IH, g.IW, g, Dp);
  std::vector<T> wf((size_t)(g.K * g.kP));
  for (idx k = 0; k < g.K; k++)
    for (idx tp = 0; tp < g.kP; tp++) wf[(size_t)(k * g.kP + g.kP - 1 - tp)] = w[k * g.kP + tp];
  const idx planes = g.N * g.C;
  const int tasks = split_tasks(planes, 2.0 * (double)planes * (double)g.Kg * (double)g.inP * (double)g.kP);
  auto run = [&](idx t, int) {
    idx b, e;
    task_range(planes, tasks, t, b, e);
    T* buf = (T*)scratch(3, sizeof(T) * (size_t)(Dp * pl.Hp * pl.Wp + dw_slack(g)));
    for (idx q = b; q < e; q++) {
      const idx n = q / g.C, c = q % g.C;
      T* d = dx + n * xs[0] + c * xs[1];
      for (idx m = 0; m < g.Kg; m++) {
        const idx k = c * g.Kg + m;
        pad_plane(dout + n * os[0] + k * os[1], os[4], g.OD, g.OH, g.OW, eD - g.PD, eH - g.PH, eW - g.PW, Dp, pl.Hp, pl.Wp, dw_slack(g), buf);
        dw_call(buf, wf.data() + k * g.kP, 1, d, 0, xs[4], pl, m > 0);
      }
    }
  };
  run_tasks(tasks, run);
  return true;
}

template <class T>
void depthwise_backward_data(const T* dout, const T* w, T* dx, const ConvGeo& g) {
  idx xs[5], os[5];
  strides5(g.C, g.ID, g.IH, g.IW, g.cl, xs);
  strides5(g.K, g.OD, g.OH, g.OW, g.cl, os);
  const idx planes = g.N * g.C;
  const idx HW = g.IH * g.IW;
  const int tasks = (int)mn(planes, available_threads() > 1 && (double)planes * (double)g.outP * (double)g.kP * (double)g.Kg > 2e5 ? available_threads() * 4 : 1);
  auto run = [&](idx t, int) {
    idx b, e;
    task_range(planes, tasks, t, b, e);
    T* acc = (T*)scratch(3, sizeof(T) * (size_t)(g.inP + 16));
    for (idx pl = b; pl < e; pl++) {
      const idx n = pl / g.C, c = pl % g.C;
      for (idx q = 0; q < g.inP; q++) acc[q] = 0;
      for (idx m = 0; m < g.Kg; m++) {
        const idx k = c * g.Kg + m;
        const T* db = dout + n * os[0] + k * os[1];
        idx tap = k * g.kP;
        for (idx kd = 0; kd < g.KD; kd++) {
          const idx dLo = lo_of(kd, g.SD, g.PD, g.DD, g.OD), dHi = hi_of(kd, g.SD, g.PD, g.DD, g.ID, g.OD, dLo);
          for (idx kh = 0; kh < g.KH; kh++) {
            const idx hLo = lo_of(kh, g.SH, g.PH, g.DH, g.OH), hHi = hi_of(kh, g.SH, g.PH, g.DH, g.IH, g.OH, hLo);
            for (idx kw = 0; kw < g.KW; kw++, tap++) {
              const idx wLo = lo_of(kw, g.SW, g.PW, g.DW, g.OW), wHi = hi_of(kw, g.SW, g.PW, g.DW, g.IW, g.OW, wLo);
              if (wLo >= wHi) continue;
              const T wv = w[tap];
              for (idx od = dLo; od < dHi; od++) {
                const idx pd = (od * g.SD - g.PD + kd * g.DD) * HW;
                for (idx oh = hLo; oh < hHi; oh++) {
                  T* a = acc + pd + (oh * g.SH - g.PH + kh * g.DH) * g.IW + wLo * g.SW + kw * g.DW - g.PW;
                  const T* s = db + od * os[2] + oh * os[3] + wLo * os[4];
                  const idx n_ = wHi - wLo;
                  if (g.SW == 1 && os[4] == 1) {
#pragma omp simd
                    for (idx i = 0; i < n_; i++) a[i] += wv * s[i];
                  } else {
                    for (idx i = 0; i < n_; i++) a[i * g.SW] += wv * s[i * os[4]];
                  }
                }
              }
            }
          }
        }
      }
      T* d = dx + n * xs[0] + c * xs[1];
      const idx st = xs[4];
      for (idx q = 0; q < g.inP; q++) d[q * st] = acc[q];
    }
  };
  run_tasks(tasks, run);
}

template <class T>
void depthwise_backward_filter(const T* x, const T* dout, T* dw, const ConvGeo& g) {
  idx xs[5], os[5];
  strides5(g.C, g.ID, g.IH, g.IW, g.cl, xs);
  strides5(g.K, g.OD, g.OH, g.OW, g.cl, os);
  idx Dp;
  const DwPlane pl = dw_plane(g.OD, g.OH, g.OW, g, Dp);
  const idx per = g.Kg * g.kP;
  // With fewer channels than threads (a one-channel input image), the images are split too:
  // unit u = (channel, image part) sums into its own row of `parts`, added up at the end.
  const int nt = available_threads();
  const idx nsplit = g.C >= nt || g.N < 2 ? 1 : mn(g.N, (idx)((2 * nt + g.C - 1) / g.C));
  const idx units = g.C * nsplit;
  const int tasks = split_tasks(units, 2.0 * (double)g.N * (double)g.K * (double)g.outP * (double)g.kP);
  std::vector<double> parts((size_t)(units * per), 0.0);
  auto run = [&](idx t, int) {
    idx b, e;
    task_range(units, tasks, t, b, e);
    T* buf = (T*)scratch(3, sizeof(T) * (size_t)(Dp * pl.Hp * pl.Wp + dw_slack(g)));
    for (idx u = b; u < e; u++) {
      const idx c = u / nsplit;
      idx n0, n1;
      task_range(g.N, (int)nsplit, u % nsplit, n0, n1);
      double* acc = parts.data() + u * per;
      for (idx n = n0; n < n1; n++) {
        pad_plane(x + n * xs[0] + c * xs[1], xs[4], g.ID, g.IH, g.IW, g.PD, g.PH, g.PW, Dp, pl.Hp, pl.Wp, dw_slack(g), buf);
        dwf_call(buf, dout + n * os[0] + c * g.Kg * os[1], g.Kg, os[1], os[4], pl, acc);
      }
    }
  };
  run_tasks(tasks, run);
  for (idx c = 0; c < g.C; c++)
    for (idx i = 0; i < per; i++) {
      double v = 0;
      for (idx s = 0; s < nsplit; s++) v += parts[(size_t)((c * nsplit + s) * per + i)];
      dw[c * per + i] = (T)v;
    }
}

// ---- the GEMM paths ------------------------------------------------------------------

/** The column source of image n, group grp (filling the thread's buffer if the plan needs one). */
template <class T>
const T* column_source(const T* x, const ConvGeo& g, const Plan& p, idx n, idx grp) {
  if (p.m == POINT) return x + chan_base(g.cl, n, grp, g.C, g.Cg, g.inP);
  T* buf = (T*)scratch(3, sizeof(T) * (size_t)p.bufElems);
  if (p.m == GRID) fill_grid(x, g, p, n, grp, buf);
  else im2col(x, g, n, grp, buf);
  return buf;
}

/** Output-side strides: element (k, position) of image n at base + k*ocs + position*ops. */
inline void out_strides(const ConvGeo& g, idx& ocs, idx& ops) {
  ocs = g.cl ? 1 : g.outP;
  ops = g.cl ? g.K : 1;
}

template <class T>
void gemm_forward(const T* x, const T* w, T* out, const ConvGeo& g) {
  const Plan p = make_plan(g);
  idx ocs, ops;
  out_strides(g, ocs, ops);
  // GRID: the product lands in a grid-shaped buffer, [Kg][P] or [P][Kg] (whichever
  // orientation wastes less of the micro-tile), and the valid rows are copied out
  const KernelTable& kt = active();
  const idx mr = sizeof(T) == 4 ? kt.smr : kt.dmr, nr = sizeof(T) == 4 ? kt.snr : kt.dnr;
  const bool gridT = padded_work(p.P, g.Kg, mr, nr) < padded_work(g.Kg, p.P, mr, nr);
  const int tasks = image_tasks(g.N, 2.0 * (double)g.K * (double)g.CRS * (double)p.P);
  auto run = [&](idx t, int) {
    idx b, e;
    task_range(g.N, tasks, t, b, e);
    for (idx n = b; n < e; n++) {
      for (idx grp = 0; grp < g.G; grp++) {
        const T* src = column_source(x, g, p, n, grp);
        const Mat<T> A = mat(w + grp * g.Kg * g.CRS, g.CRS, (idx)1);
        const Mat<T> B = mat(src, (idx)0, p.colStride, p.rowoff.data());
        T* obase = out + n * g.K * g.outP + grp * g.Kg * ocs;
        if (p.m != GRID) {
          gemm_oriented(g.Kg, p.P, g.CRS, A, B, outmat(obase, ocs, ops), false, tasks == 1);
          continue;
        }
        T* cg = (T*)scratch(6, sizeof(T) * (size_t)(g.Kg * p.P));
        Gemm<T> gm;
        if (gridT) gm = {p.P, g.Kg, g.CRS, tr(B), tr(A), outmat(cg, g.Kg, (idx)1), (T)1, false, tasks == 1};
        else gm = {g.Kg, p.P, g.CRS, A, B, outmat(cg, p.P, (idx)1), (T)1, false, tasks == 1};
        gemm(gm);
        // copy the valid grid rows (od, oh < OH, ow < OW) out
        const idx plane = p.Hp * p.Wp;
        for (idx od = 0; od < g.OD; od++)
          for (idx oh = 0; oh < g.OH; oh++) {
            const idx j0 = od * plane + oh * p.Wp;
            const idx q0 = (od * g.OH + oh) * g.OW;
            if (!gridT) {
              for (idx m = 0; m < g.Kg; m++) {
                const T* s = cg + m * p.P + j0;
                T* d = obase + m * ocs + q0 * ops;
                if (ops == 1) memcpy(d, s, sizeof(T) * (size_t)g.OW);
                else
                  for (idx ow = 0; ow < g.OW; ow++) d[ow * ops] = s[ow];
              }
            } else if (ocs == 1) {
              for (idx ow = 0; ow < g.OW; ow++) memcpy(obase + (q0 + ow) * ops, cg + (j0 + ow) * g.Kg, sizeof(T) * (size_t)g.Kg);
            } else {
              for (idx m = 0; m < g.Kg; m++) {
                const T* s = cg + j0 * g.Kg + m;
                T* d = obase + m * ocs + q0;
                for (idx ow = 0; ow < g.OW; ow++) d[ow] = s[ow * g.Kg];
              }
            }
          }
      }
    }
  };
  run_tasks(tasks, run);
}

template <class T>
void gemm_backward_filter(const T* x, const T* dout, T* dw, const ConvGeo& g) {
  const Plan p = make_plan(g);
  idx ocs, ops;
  out_strides(g, ocs, ops);
  const idx size = g.K * g.CRS;
  const int tasks = image_tasks(g.N, 2.0 * (double)g.K * (double)g.CRS * (double)p.P);
  std::vector<T> parts(tasks > 1 ? (size_t)(tasks - 1) * (size_t)size : 0);
  auto run = [&](idx t, int) {
    idx b, e;
    task_range(g.N, tasks, t, b, e);
    T* acc = t == 0 ? dw : parts.data() + (size_t)(t - 1) * (size_t)size;
    if (b >= e) {
      memset(acc, 0, sizeof(T) * (size_t)size);
      return;
    }
    for (idx n = b; n < e; n++) {
      for (idx grp = 0; grp < g.G; grp++) {
        const T* src = column_source(x, g, p, n, grp);
        // D (Kg x P): dout of this image and group, on the grid when the plan has one
        const T* dbase = dout + n * g.K * g.outP + grp * g.Kg * ocs;
        Mat<T> D = mat(dbase, ocs, ops);
        if (p.m == GRID) {
          T* dg = (T*)scratch(4, sizeof(T) * (size_t)(g.Kg * p.P));
          for (idx m = 0; m < g.Kg; m++) {
            T* row = dg + m * p.P;
            const T* s = dbase + m * ocs;
            for (idx j = 0; j < p.P; j++) {
              const idx q = p.pos[(size_t)j];
              row[j] = q < 0 ? (T)0 : s[q * ops];
            }
          }
          D = mat((const T*)dg, p.P, (idx)1);
        }
        // dW_g (Kg x CRS) += D (Kg x P) * Col^T (P x CRS)
        const Mat<T> B = mat(src, p.colStride, (idx)0, (const idx*)nullptr, p.rowoff.data());
        const OutMat<T> C = outmat(acc + grp * g.Kg * g.CRS, g.CRS, (idx)1);
        gemm_oriented(g.Kg, g.CRS, p.P, D, B, C, n > b, tasks == 1);
      }
    }
  };
  run_tasks(tasks, run);
  for (int t = 1; t < tasks; t++) {
    const T* s = parts.data() + (size_t)(t - 1) * (size_t)size;
    for (idx i = 0; i < size; i++) dw[i] += s[i];
  }
}

template <class T>
void gemm_backward_data(const T* dout, const T* w, T* dx, const ConvGeo& g) {
  idx ocs, ops;
  out_strides(g, ocs, ops);
  idx sc, sp;
  in_strides(g, sc, sp);
  const bool point = g.kP == 1 && all_stride1(g) && g.PD == 0 && g.PH == 0 && g.PW == 0 && g.ID == g.OD && g.IH == g.OH && g.IW == g.OW;
  const int tasks = image_tasks(g.N, 2.0 * (double)g.K * (double)g.CRS * (double)g.outP);
  auto run = [&](idx t, int) {
    idx b, e;
    task_range(g.N, tasks, t, b, e);
    for (idx n = b; n < e; n++) {
      for (idx grp = 0; grp < g.G; grp++) {
        const T* dbase = dout + n * g.K * g.outP + grp * g.Kg * ocs;
        // (CRS x outP) = W_g^T (CRS x Kg) * D_g (Kg x outP)
        const Mat<T> A = mat(w + grp * g.Kg * g.CRS, (idx)1, g.CRS);
        const Mat<T> B = mat(dbase, ocs, ops);
        T* xb = dx + chan_base(g.cl, n, grp, g.C, g.Cg, g.inP);
        if (point) {
          gemm_oriented(g.CRS, g.outP, g.Kg, A, B, outmat(xb, sc, sp), false, tasks == 1);
          continue;
        }
        T* dcol = (T*)scratch(5, sizeof(T) * (size_t)(g.CRS * g.outP));
        gemm_oriented(g.CRS, g.outP, g.Kg, A, B, outmat(dcol, g.outP, (idx)1), false, tasks == 1);
        T* acc = (T*)scratch(4, sizeof(T) * (size_t)(g.Cg * g.inP));
        memset(acc, 0, sizeof(T) * (size_t)(g.Cg * g.inP));
        col2im(dcol, g, acc);
        for (idx c = 0; c < g.Cg; c++) {
          T* d = xb + c * sc;
          const T* s = acc + c * g.inP;
          if (sp == 1) memcpy(d, s, sizeof(T) * (size_t)g.inP);
          else
            for (idx q = 0; q < g.inP; q++) d[q * sp] = s[q];
        }
      }
    }
  };
  run_tasks(tasks, run);
}

}  // namespace

template <class T>
void conv_forward(const T* x, const T* w, T* out, const ConvGeo& g) {
  if (g.N == 0 || g.K == 0 || g.outP == 0) return;
  if (g.Cg == 0 || g.kP == 0) {
    memset(out, 0, sizeof(T) * (size_t)(g.N * g.K * g.outP));
    return;
  }
  if (g.Cg == 1) return depthwise_forward(x, w, out, g);
  gemm_forward(x, w, out, g);
}

template <class T>
void conv_backward_data(const T* dout, const T* w, T* dx, const ConvGeo& g) {
  if (g.N == 0 || g.C == 0 || g.inP == 0) return;
  if (g.Kg == 0 || g.outP == 0 || g.kP == 0) {
    memset(dx, 0, sizeof(T) * (size_t)(g.N * g.C * g.inP));
    return;
  }
  if (g.Cg == 1) {
    if (!depthwise_backward_data_stride1(dout, w, dx, g)) depthwise_backward_data(dout, w, dx, g);
    return;
  }
  if (all_stride1(g)) {
    // the forward convolution of dout with the flipped, transposed filter
    const idx eD = (g.KD - 1) * g.DD, eH = (g.KH - 1) * g.DH, eW = (g.KW - 1) * g.DW;
    const idx aD = g.OD - g.ID - g.PD + eD, aH = g.OH - g.IH - g.PH + eH, aW = g.OW - g.IW - g.PW + eW;  // after-pads
    const bool ok = g.PD <= eD && g.PH <= eH && g.PW <= eW && aD >= 0 && aH >= 0 && aW >= 0 && aD <= eD && aH <= eH && aW <= eW;
    if (ok) {
      ConvGeo t = g;
      t.C = g.K;
      t.K = g.C;
      t.Cg = g.Kg;
      t.Kg = g.Cg;
      t.ID = g.OD; t.IH = g.OH; t.IW = g.OW;
      t.OD = g.ID; t.OH = g.IH; t.OW = g.IW;
      t.PD = eD - g.PD; t.PH = eH - g.PH; t.PW = eW - g.PW;
      t.inP = g.outP;
      t.outP = g.inP;
      t.CRS = t.Cg * t.kP;
      std::vector<T> wt((size_t)(g.K * g.CRS));
      // wt[(grp*Cg + c)][m][flipped tap] = w[(grp*Kg + m)][c][tap]
      for (idx grp = 0; grp < g.G; grp++)
        for (idx m = 0; m < g.Kg; m++)
          for (idx c = 0; c < g.Cg; c++)
            for (idx tp = 0; tp < g.kP; tp++)
              wt[(size_t)((((grp * g.Cg + c) * g.Kg + m) * g.kP) + (g.kP - 1 - tp))] = w[((grp * g.Kg + m) * g.Cg + c) * g.kP + tp];
      gemm_forward(dout, wt.data(), dx, t);
      return;
    }
  }
  gemm_backward_data(dout, w, dx, g);
}

template <class T>
void conv_backward_filter(const T* x, const T* dout, T* dw, const ConvGeo& g) {
  const idx size = g.K * g.CRS;
  if (size == 0) return;
  if (g.N == 0 || g.outP == 0) {
    memset(dw, 0, sizeof(T) * (size_t)size);
    return;
  }
  if (g.Cg == 1) return depthwise_backward_filter(x, dout, dw, g);
  gemm_backward_filter(x, dout, dw, g);
}

template <class T>
void add_channel_bias(T* out, const T* bias, idx N, idx K, idx P, bool cl) {
  if (cl) {
    for (idx i = 0, n = N * P; i < n; i++) {
      T* o = out + i * K;
#pragma omp simd
      for (idx k = 0; k < K; k++) o[k] += bias[k];
    }
  } else {
    for (idx n = 0; n < N; n++)
      for (idx k = 0; k < K; k++) {
        T* o = out + (n * K + k) * P;
        const T v = bias[k];
#pragma omp simd
        for (idx p = 0; p < P; p++) o[p] += v;
      }
  }
}

template void conv_forward<float>(const float*, const float*, float*, const ConvGeo&);
template void conv_forward<double>(const double*, const double*, double*, const ConvGeo&);
template void conv_backward_data<float>(const float*, const float*, float*, const ConvGeo&);
template void conv_backward_data<double>(const double*, const double*, double*, const ConvGeo&);
template void conv_backward_filter<float>(const float*, const float*, float*, const ConvGeo&);
template void conv_backward_filter<double>(const double*, const double*, double*, const ConvGeo&);
template void add_channel_bias<float>(float*, const float*, idx, idx, idx, bool);
template void add_channel_bias<double>(double*, const double*, idx, idx, idx, bool);

}  // namespace pt
