#include "injector/activation_fault.h"

#include <algorithm>
#include <stdexcept>

namespace npufi {

int64_t apply_activation_faults(float* values, int64_t n, NumberFormat format,
                                const std::vector<ActivationFault>& faults) {
  if (faults.empty()) return 0;
  const float scale = format == NumberFormat::int8 ? int8_scale(values, n) : 1.0f;
  std::vector<ActivationFault> sorted = faults;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const ActivationFault& a, const ActivationFault& b) { return a.index < b.index; });
  // Every word is decoded from the fault-free values: changing one element first would move the int8 scale.
  std::vector<std::pair<int64_t, float>> changed;
  for (size_t first = 0; first < sorted.size();) {
    const int64_t index = sorted[first].index;
    if (index < 0 || index >= n) throw std::out_of_range("activation fault index " + std::to_string(index));
    const uint32_t healthy = encode(values[index], format, scale);
    uint32_t code = healthy;
    size_t last = first;
    for (; last < sorted.size() && sorted[last].index == index; ++last)
      code = apply_fault(code, sorted[last].bit, sorted[last].kind);
    if (code != healthy) changed.emplace_back(index, decode(code, format, scale));
    first = last;
  }
  for (const auto& [index, value] : changed) values[index] = value;
  return int64_t(changed.size());
}

}  // namespace npufi
