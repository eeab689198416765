// Portable kernels (the baseline instruction set of the target: SSE2 on x86-64, NEON on
// arm64, through the compiler's auto-vectorization): fp32 and fp64 micro-tiles of 4 x 8.
#include "common.h"

namespace pt {
namespace generic {

#define PT_ISA_NAME "generic"

template <class T, int MR, int NR>
static inline void ukr_t(idx kc, const T* __restrict a, const T* __restrict b, T* __restrict c, idx ldc, bool add, T alpha) {
  T acc[MR][NR];
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < NR; j++) acc[i][j] = 0;
  for (idx k = 0; k < kc; k++) {
    for (int i = 0; i < MR; i++) {
      const T ai = a[i];
#pragma omp simd
      for (int j = 0; j < NR; j++) acc[i][j] += ai * b[j];
    }
    a += MR;
    b += NR;
  }
  for (int i = 0; i < MR; i++) {
    T* p = c + i * ldc;
    if (add)
      for (int j = 0; j < NR; j++) p[j] += alpha * acc[i][j];
    else
      for (int j = 0; j < NR; j++) p[j] = alpha * acc[i][j];
  }
}

struct KF {
  using T = float;
  static constexpr int MR = 4, NR = 8, KC = 256, MC = 64, NC = 2048;
  static void ukr(idx kc, const float* a, const float* b, float* c, idx ldc, bool add, float alpha) { ukr_t<float, 4, 8>(kc, a, b, c, ldc, add, alpha); }
};
struct KD {
  using T = double;
  static constexpr int MR = 4, NR = 8, KC = 256, MC = 64, NC = 1024;
  static void ukr(idx kc, const double* a, const double* b, double* c, idx ldc, bool add, double alpha) { ukr_t<double, 4, 8>(kc, a, b, c, ldc, add, alpha); }
};

#include "isa_impl.inc"

}  // namespace generic
}  // namespace pt
