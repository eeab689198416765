// AVX-512 kernels (compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma): fp32
// micro-tiles of 6 x 64 (24 zmm accumulators), fp64 of 14 x 16; an in-register transposing pack.
#include <immintrin.h>

#include "common.h"

namespace pt {
namespace avx512 {

#define PT_ISA_NAME "avx512"

template <int MR, int NV>
static inline void ukr_ps(idx kc, const float* __restrict a, const float* __restrict b, float* __restrict c, idx ldc, bool add, float alpha) {
  __m512 acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) acc[i][v] = _mm512_setzero_ps();
#pragma GCC unroll 2
  for (idx k = 0; k < kc; k++) {
    __m512 bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) bv[v] = _mm512_load_ps(b + 16 * v);
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      const __m512 ai = _mm512_set1_ps(a[i]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);
    }
    a += MR;
    b += NV * 16;
  }
  const __m512 al = _mm512_set1_ps(alpha);
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) {
      float* p = c + i * ldc + 16 * v;
      __m512 r = _mm512_mul_ps(acc[i][v], al);
      if (add) r = _mm512_add_ps(r, _mm512_loadu_ps(p));
      _mm512_storeu_ps(p, r);
    }
  }
}

template <int MR, int NV>
static inline void ukr_pd(idx kc, const double* __restrict a, const double* __restrict b, double* __restrict c, idx ldc, bool add, double alpha) {
  __m512d acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) acc[i][v] = _mm512_setzero_pd();
#pragma GCC unroll 2
  for (idx k = 0; k < kc; k++) {
    __m512d bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) bv[v] = _mm512_load_pd(b + 8 * v);
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      const __m512d ai = _mm512_set1_pd(a[i]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) acc[i][v] = _mm512_fmadd_pd(ai, bv[v], acc[i][v]);
    }
    a += MR;
    b += NV * 8;
  }
  const __m512d al = _mm512_set1_pd(alpha);
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) {
      double* p = c + i * ldc + 8 * v;
      __m512d r = _mm512_mul_pd(acc[i][v], al);
      if (add) r = _mm512_add_pd(r, _mm512_loadu_pd(p));
      _mm512_storeu_pd(p, r);
    }
  }
}


// ---- transposing pack: rows read sequentially, written as [k][R] panels ----------------

/** In-register 16 x 16 transpose: v[c] becomes column c of the rows v[0..15]. */
static inline void transpose16(__m512 v[16]) {
  __m512 t[16];
#pragma GCC unroll 8
  for (int i = 0; i < 8; i++) {
    t[2 * i] = _mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]);
  }
#pragma GCC unroll 4
  for (int i = 0; i < 4; i++) {
    const __m512d a = _mm512_castps_pd(t[4 * i]), b = _mm512_castps_pd(t[4 * i + 1]);
    const __m512d c = _mm512_castps_pd(t[4 * i + 2]), d = _mm512_castps_pd(t[4 * i + 3]);
    v[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
    v[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
    v[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
    v[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
  }
#pragma GCC unroll 2
  for (int i = 0; i < 2; i++)
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++) {
      t[8 * i + j] = _mm512_shuffle_f32x4(v[8 * i + j], v[8 * i + j + 4], 0x88);
      t[8 * i + j + 4] = _mm512_shuffle_f32x4(v[8 * i + j], v[8 * i + j + 4], 0xdd);
    }
#pragma GCC unroll 8
  for (int k = 0; k < 8; k++) {
    v[k] = _mm512_shuffle_f32x4(t[k], t[k + 8], 0x88);
    v[k + 8] = _mm512_shuffle_f32x4(t[k], t[k + 8], 0xdd);
  }
}

/** In-register 8 x 8 transpose of doubles: v[c] becomes column c. */
static inline void transpose8(__m512d v[8]) {
  __m512d t[8], u[8];
#pragma GCC unroll 4
  for (int i = 0; i < 4; i++) {
    t[2 * i] = _mm512_unpacklo_pd(v[2 * i], v[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_pd(v[2 * i], v[2 * i + 1]);
  }
#pragma GCC unroll 2
  for (int i = 0; i < 2; i++)
#pragma GCC unroll 2
    for (int j = 0; j < 2; j++) {
      u[4 * i + j] = _mm512_shuffle_f64x2(t[4 * i + j], t[4 * i + j + 2], 0x88);
      u[4 * i + j + 2] = _mm512_shuffle_f64x2(t[4 * i + j], t[4 * i + j + 2], 0xdd);
    }
#pragma GCC unroll 4
  for (int k = 0; k < 4; k++) {
    v[k] = _mm512_shuffle_f64x2(u[k], u[k + 4], 0x88);
    v[k + 4] = _mm512_shuffle_f64x2(u[k], u[k + 4], 0xdd);
  }
}

/** dst[k*R + r] = rows[r][k] for r < h (0 for h <= r < R), k < kc. */
template <int R>
static inline void pack_rows(float* __restrict dst, const float* const* rows, idx h, idx kc) {
  const __m512 z = _mm512_setzero_ps();
  idx k = 0;
  for (; k + 16 <= kc; k += 16) {
    for (int r0 = 0; r0 < R; r0 += 16) {
      const int nr = R - r0 < 16 ? R - r0 : 16;
      __m512 v[16];
#pragma GCC unroll 16
      for (int i = 0; i < 16; i++) v[i] = r0 + i < h ? _mm512_loadu_ps(rows[r0 + i] + k) : z;
      transpose16(v);
      const __mmask16 mk = (__mmask16)(nr == 16 ? 0xffffu : (1u << nr) - 1);
#pragma GCC unroll 16
      for (int kk = 0; kk < 16; kk++) _mm512_mask_storeu_ps(dst + (k + kk) * R + r0, mk, v[kk]);
    }
  }
  for (; k < kc; k++)
    for (int r = 0; r < R; r++) dst[k * R + r] = r < h ? rows[r][k] : 0.f;
}
template <int R>
static inline void pack_rows(double* __restrict dst, const double* const* rows, idx h, idx kc) {
  const __m512d z = _mm512_setzero_pd();
  idx k = 0;
  for (; k + 8 <= kc; k += 8) {
    for (int r0 = 0; r0 < R; r0 += 8) {
      const int nr = R - r0 < 8 ? R - r0 : 8;
      __m512d v[8];
#pragma GCC unroll 8
      for (int i = 0; i < 8; i++) v[i] = r0 + i < h ? _mm512_loadu_pd(rows[r0 + i] + k) : z;
      transpose8(v);
      const __mmask8 mk = (__mmask8)(nr == 8 ? 0xffu : (1u << nr) - 1);
#pragma GCC unroll 8
      for (int kk = 0; kk < 8; kk++) _mm512_mask_storeu_pd(dst + (k + kk) * R + r0, mk, v[kk]);
    }
  }
  for (; k < kc; k++)
    for (int r = 0; r < R; r++) dst[k * R + r] = r < h ? rows[r][k] : 0.0;
}
#define PT_HAVE_PACK_ROWS 1

#ifndef PT_F_MR
#define PT_F_MR 6
#define PT_F_NV 4
#endif
#ifndef PT_F_KC
#define PT_F_KC 192
#endif
#ifndef PT_F_NC
#define PT_F_NC 4096
#endif
#ifndef PT_F_MC
#define PT_F_MC 6 * 80
#endif

struct KF {
  using T = float;
  static constexpr int MR = PT_F_MR, NR = 16 * PT_F_NV, KC = PT_F_KC, MC = PT_F_MC, NC = PT_F_NC;
  static void ukr(idx kc, const float* a, const float* b, float* c, idx ldc, bool add, float alpha) {
    ukr_ps<MR, PT_F_NV>(kc, a, b, c, ldc, add, alpha);
  }
};
struct KD {
  using T = double;
  static constexpr int MR = 14, NR = 16, KC = 256, MC = 14 * 12, NC = 2048;
  static void ukr(idx kc, const double* a, const double* b, double* c, idx ldc, bool add, double alpha) {
    ukr_pd<14, 2>(kc, a, b, c, ldc, add, alpha);
  }
};

#include "isa_impl.inc"

}  // namespace avx512
}  // namespace pt
