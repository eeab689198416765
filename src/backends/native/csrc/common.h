// Shared declarations of the native backend: index types, the strided/tabled matrix
// descriptors the GEMM takes, the per-ISA kernel table, the thread pool and per-thread
// scratch memory.
//
// Instruction sets: every kernel that benefits from wide vectors is compiled three times,
// once per translation unit isa_avx512.cc / isa_avx2.cc / isa_generic.cc, each with its own
// -m flags and inside its own namespace (pt::avx512, pt::avx2, pt::generic). The table of the
// best ISA the CPU supports is picked at run time (pt::active()). Code in those units must
// not instantiate inline functions or templates shared with other units (no STL containers,
// no std::function, no <algorithm>): the linker keeps one copy of such COMDAT functions, and
// it may be the AVX-512 one, which would then crash a CPU without AVX-512. Plain C headers
// (<string.h>, <math.h>, <stdint.h>), intrinsics and this header are fine.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace pt {

typedef int64_t idx;

/**
 * A read-only matrix operand: element (i, k) is p[ro(i) + co(k)] with ro(i) = rt ? rt[i] :
 * i*rs and co(k) = ct ? ct[k] : k*cs. Offset tables describe im2col views and padded grids
 * without copying.
 */
template <class T>
struct Mat {
  const T* p;
  idx rs, cs;
  const idx* rt;
  const idx* ct;
};

/** An output matrix: element (i, j) is p[ro(i) + co(j)]; a negative table entry skips the row/column. */
template <class T>
struct OutMat {
  T* p;
  idx rs, cs;
  const idx* rt;
  const idx* ct;
};

/** C = alpha * A B (accumulate: C += alpha * A B), A: M x K, B: K x N, C: M x N. */
template <class T>
struct Gemm {
  idx M, N, K;
  Mat<T> a, b;
  OutMat<T> c;
  T alpha;
  bool accumulate;
  /** Whether the GEMM may use the thread pool (false inside an already parallel region). */
  bool parallel;
};

/**
 * One channel plane of a depthwise convolution read from a zero-padded input volume
 * (Dp x Hp x Wp, no bounds checks): output position (od, oh, ow) reads
 * xp[((od*SD + kd*DD)*Hp + oh*SH + kh*DH)*Wp + ow*SW + kw*DW] for each tap.
 */
struct DwPlane {
  idx OD, OH, OW, KD, KH, KW, SD, SH, SW, DD, DH, DW, Hp, Wp;
};

/** Kernels compiled per instruction set. Adding one: declare it here, define it in isa_impl.inc. */
struct KernelTable {
  const char* name;
  /** Micro-tile sizes (rows x columns) of the fp32 and fp64 GEMMs. */
  int smr, snr, dmr, dnr;
  void (*sgemm)(const Gemm<float>&);
  void (*dgemm)(const Gemm<double>&);
  /**
   * For nk output channels reading the padded plane xp: channel k's out[k*ocs + q*os] (add: +=)
   * is its taps w[k*kP ..] applied to xp, q = (od*OH + oh)*OW + ow.
   */
  void (*dw_forward_f32)(const float* xp, const float* w, idx nk, float* out, idx ocs, idx os, const DwPlane& g, bool add);
  void (*dw_forward_f64)(const double* xp, const double* w, idx nk, double* out, idx ocs, idx os, const DwPlane& g, bool add);
  /** For nk channels (dout plane k at d + k*dcs): acc[k*kP + tap] += sum over q of d[k*dcs + q*ds] * (the tap's input in xp). */
  void (*dw_filter_f32)(const float* xp, const float* d, idx nk, idx dcs, idx ds, const DwPlane& g, double* acc);
  void (*dw_filter_f64)(const double* xp, const double* d, idx nk, idx dcs, idx ds, const DwPlane& g, double* acc);
};

namespace generic { extern const KernelTable table; }
#if defined(PT_X86)
namespace avx2 { extern const KernelTable table; }
namespace avx512 { extern const KernelTable table; }
#endif

/** The table in use (set by select_isa). */
const KernelTable& active();
/** Picks "avx512", "avx2" or "generic" (the best the CPU supports if name is null or "auto"); returns the chosen name. */
const char* select_isa(const char* name);
/** Names of the ISAs this CPU supports, best first, separated by commas. */
const char* supported_isas();

// ---- thread pool ------------------------------------------------------------------------

/** Runs fn(ctx, task, tid) for task in [0, ntasks) on up to num_threads() threads (the caller is tid 0). */
typedef void (*TaskFn)(void* ctx, idx task, int tid);
void parallel_for(idx ntasks, TaskFn fn, void* ctx);
/** Threads a parallel_for may use now (1 inside a parallel region or when the pool is busy). */
int available_threads();
int num_threads();
void set_num_threads(int n);

/** Per-thread scratch memory: slot 0..7, at least `bytes` bytes, 64-byte aligned, kept for reuse. */
void* scratch(int slot, size_t bytes);

}  // namespace pt
