// AVX2 + FMA kernels (compiled with -mavx2 -mfma): fp32 micro-tiles of 6 x 16 (12 ymm
// accumulators), fp64 of 6 x 8.
#include <immintrin.h>

#include "common.h"

namespace pt {
namespace avx2 {

#define PT_ISA_NAME "avx2"

template <int MR, int NV>
static inline void ukr_ps(idx kc, const float* __restrict a, const float* __restrict b, float* __restrict c, idx ldc, bool add, float alpha) {
  __m256 acc[MR][NV];
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) acc[i][v] = _mm256_setzero_ps();
#pragma GCC unroll 2
  for (idx k = 0; k < kc; k++) {
    __m256 bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) bv[v] = _mm256_load_ps(b + 8 * v);
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) acc[i][v] = _mm256_fmadd_ps(ai, bv[v], acc[i][v]);
    }
    a += MR;
    b += NV * 8;
  }
  const __m256 al = _mm256_set1_ps(alpha);
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) {
      float* p = c + i * ldc + 8 * v;
      __m256 r = _mm256_mul_ps(acc[i][v], al);
      if (add) r = _mm256_add_ps(r, _mm256_loadu_ps(p));
      _mm256_storeu_ps(p, r);
    }
  }
}

template <int MR, int NV>
static inline void ukr_pd(idx kc, const double* __restrict a, const double* __restrict b, double* __restrict c, idx ldc, bool add, double alpha) {
  __m256d acc[MR][NV];
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) acc[i][v] = _mm256_setzero_pd();
#pragma GCC unroll 2
  for (idx k = 0; k < kc; k++) {
    __m256d bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) bv[v] = _mm256_load_pd(b + 4 * v);
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++) {
      const __m256d ai = _mm256_broadcast_sd(a + i);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) acc[i][v] = _mm256_fmadd_pd(ai, bv[v], acc[i][v]);
    }
    a += MR;
    b += NV * 4;
  }
  const __m256d al = _mm256_set1_pd(alpha);
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) {
      double* p = c + i * ldc + 4 * v;
      __m256d r = _mm256_mul_pd(acc[i][v], al);
      if (add) r = _mm256_add_pd(r, _mm256_loadu_pd(p));
      _mm256_storeu_pd(p, r);
    }
  }
}

struct KF {
  using T = float;
  static constexpr int MR = 6, NR = 16, KC = 256, MC = 6 * 24, NC = 4096;
  static void ukr(idx kc, const float* a, const float* b, float* c, idx ldc, bool add, float alpha) { ukr_ps<6, 2>(kc, a, b, c, ldc, add, alpha); }
};
struct KD {
  using T = double;
  static constexpr int MR = 6, NR = 8, KC = 256, MC = 6 * 16, NC = 2048;
  static void ukr(idx kc, const double* a, const double* b, double* c, idx ldc, bool add, double alpha) { ukr_pd<6, 2>(kc, a, b, c, ldc, add, alpha); }
};

#include "isa_impl.inc"

}  // namespace avx2
}  // namespace pt
