// The elementwise kernels (elementwise_impl.inc) compiled for avx512.
#include "elementwise.h"

namespace pt {
namespace avx512 {
#include "elementwise_impl.inc"
}  // namespace avx512
}  // namespace pt
