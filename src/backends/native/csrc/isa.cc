// Run-time choice of the instruction set: the best of AVX-512 (F, BW, DQ, VL), AVX2 + FMA and
// the portable kernels that this CPU supports, or the one named by select_isa.
#include <string.h>

#include "common.h"

namespace pt {
namespace {
const KernelTable* current = nullptr;

bool has_avx512() {
#if defined(PT_X86)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}
bool has_avx2() {
#if defined(PT_X86)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}
}  // namespace

const KernelTable& active() {
  if (!current) select_isa(nullptr);
  return *current;
}

const char* supported_isas() {
  if (has_avx512()) return "avx512,avx2,generic";
  if (has_avx2()) return "avx2,generic";
  return "generic";
}

const char* select_isa(const char* name) {
  const bool automatic = !name || !*name || strcmp(name, "auto") == 0;
#if defined(PT_X86)
  if ((automatic || strcmp(name, "avx512") == 0) && has_avx512()) return (current = &avx512::table)->name;
  if ((automatic || strcmp(name, "avx2") == 0 || strcmp(name, "avx512") == 0) && has_avx2()) return (current = &avx2::table)->name;
#endif
  (void)automatic;
  return (current = &generic::table)->name;
}

}  // namespace pt
