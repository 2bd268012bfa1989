#pragma once
// Faults in activation memory: bits of a layer's output tensor, for one image (a transient bit flip) or
// for every image (a stuck-at bit), with the tensor stored in a number format (docs/activation-faults.md).
#include <cstdint>
#include <vector>

#include "injector/fault.h"
#include "injector/number_format.h"

namespace npufi {

inline constexpr int kEveryImage = -1;

struct ActivationFault {
  int layer = 0;      // the model stage whose output holds the bit
  int image = 0;      // index into the campaign's images; kEveryImage for a stuck-at bit
  int64_t index = 0;  // flat element index within one image's output of the layer
  int bit = 0;        // 0 = least significant bit of the stored word
  FaultKind kind = FaultKind::bit_flip;
  friend bool operator==(const ActivationFault&, const ActivationFault&) = default;
};

// Applies the faults (all of one layer, for this image) to one image's output of that layer, `n` floats
// in place. Each faulty element is encoded in `format` (int8: symmetric, scale = max|v| / 127 over the n
// values), its bits changed and decoded; an element whose word the faults leave unchanged keeps its
// value. Returns the number of elements changed.
int64_t apply_activation_faults(float* values, int64_t n, NumberFormat format,
                                const std::vector<ActivationFault>& faults);

}  // namespace npufi
