// Elementwise kernels (binary ops with simple broadcasting, unary math, relu_grad,
// softmax-with-cross-entropy rows), compiled once per instruction set
// (elementwise_{avx512,avx2,generic}.cc include elementwise_impl.inc); elementwise.cc picks
// the table matching pt::active() and splits large work over the thread pool.
#pragma once
#include <math.h>
#include <string.h>

#include "common.h"

namespace pt {

/** Binary op codes: out = x op y, with y[(i / post) % n] for flat output index i. */
enum EwBin { EW_ADD = 0, EW_SUB = 1, EW_MUL = 2, EW_DIV = 3, EW_RSUB = 4, EW_RDIV = 5 };
/** Unary op codes. */
enum EwUn { EW_RELU = 0, EW_SIGMOID = 1, EW_TANH = 2, EW_EXP = 3 };

struct EwTable {
  void (*bin_f32)(int op, const float* x, const float* y, float* o, idx n, idx post, idx s, idx e);
  void (*bin_f64)(int op, const double* x, const double* y, double* o, idx n, idx post, idx s, idx e);
  void (*un_f32)(int op, const float* x, float* o, idx s, idx e);
  void (*un_f64)(int op, const double* x, double* o, idx s, idx e);
  void (*relu_grad_f32)(const float* out, const float* dout, float* dx, idx s, idx e);
  void (*relu_grad_f64)(const double* out, const double* dout, double* dx, idx s, idx e);
  /** Rows [r0, r1) of C logits: softmax and loss = logsumexp - x[label] (label == ignore: 0). Returns -1 or a bad row. */
  idx (*sce_f32)(const float* x, const int64_t* label, float* sm, float* loss, idx C, int64_t ignore, idx r0, idx r1);
  idx (*sce_f64)(const double* x, const int64_t* label, double* sm, double* loss, idx C, int64_t ignore, idx r0, idx r1);
};

namespace generic { extern const EwTable ew_table; }
#if defined(PT_X86)
namespace avx2 { extern const EwTable ew_table; }
namespace avx512 { extern const EwTable ew_table; }
#endif

}  // namespace pt
