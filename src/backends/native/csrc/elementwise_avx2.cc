// The elementwise kernels (elementwise_impl.inc) compiled for avx2.
#include "elementwise.h"

namespace pt {
namespace avx2 {
#include "elementwise_impl.inc"
}  // namespace avx2
}  // namespace pt
