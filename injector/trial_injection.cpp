#include "injector/trial_injection.h"

#include <algorithm>
#include <climits>
#include <tuple>

namespace npufi {

TrialInjection::TrialInjection(WeightMemory& memory, std::vector<WeightFault> faults)
    : memory_(memory), first_stage_(INT_MAX) {
  // Group the faults by word, so that each word is read, changed and written once.
  std::stable_sort(faults.begin(), faults.end(), [](const WeightFault& a, const WeightFault& b) {
    return std::tie(a.tensor, a.index) < std::tie(b.tensor, b.index);
  });
  for (size_t first = 0; first < faults.size();) {
    const WeightFault& word = faults[first];
    size_t last = first;
    const uint32_t healthy = memory_.read(word.tensor, word.index);
    uint32_t code = healthy;
    for (; last < faults.size() && faults[last].tensor == word.tensor && faults[last].index == word.index;
         ++last) {
      code = apply_fault(code, faults[last].bit, faults[last].kind);
    }
    if (code != healthy) {
      const Parameter& tensor = memory_.tensors()[word.tensor];
      saved_.push_back({tensor.data + word.index, tensor.data[word.index]});
      memory_.write(word.tensor, word.index, code);
      first_stage_ = std::min(first_stage_, tensor.stage);
    }
    first = last;
  }
}

TrialInjection::~TrialInjection() {
  for (const SavedWord& word : saved_) *word.address = word.value;
}

}  // namespace npufi
