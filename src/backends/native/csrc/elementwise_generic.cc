// The elementwise kernels (elementwise_impl.inc) compiled for generic.
#include "elementwise.h"

namespace pt {
namespace generic {
#include "elementwise_impl.inc"
}  // namespace generic
}  // namespace pt
