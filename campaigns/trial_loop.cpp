#include "campaigns/trial_loop.h"

namespace npufi {

std::vector<int64_t> pending_trials(const std::vector<int64_t>& completed, int64_t total, int64_t max_trials,
                                    const Shard& shard) {
  std::vector<int64_t> pending;
  for (int64_t t = 0, c = 0; t < total; ++t) {
    if (c < int64_t(completed.size()) && completed[size_t(c)] == t) ++c;
    else if (shard.holds(t)) pending.push_back(t);
  }
  if (max_trials >= 0 && int64_t(pending.size()) > max_trials) pending.resize(size_t(max_trials));
  return pending;
}

}  // namespace npufi
