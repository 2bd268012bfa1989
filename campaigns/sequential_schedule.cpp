#include "campaigns/sequential_schedule.h"

#include <algorithm>
#include <cstdio>

#include "analysis/proportion_interval.h"

namespace npufi {

SequentialSchedule::SequentialSchedule(SequentialSettings settings, size_t blocks)
    : settings_(settings), blocks_(blocks) {}

double SequentialSchedule::half_width(const BlockTally& tally) const {
  if (tally.trials == 0) return 0.5;
  const Interval i = proportion_interval(tally.events, tally.trials, settings_.confidence);
  return (i.high - i.low) / 2;
}

std::vector<ScheduledInjection> SequentialSchedule::next_round(const std::vector<BlockTally>& tallies) {
  std::vector<size_t> open;
  for (size_t b = 0; b < blocks_; ++b)
    if (half_width(tallies[b]) > settings_.margin) open.push_back(b);
  char reason[256];
  if (open.empty()) {
    std::snprintf(reason, sizeof reason,
                  "every block's %s interval half-width is at most %g at %g%% confidence (%d rounds, %lld injections)",
                  to_string(settings_.outcome), settings_.margin, 100 * settings_.confidence, rounds_,
                  (long long)next_index_);
    stop_reason_ = reason;
    return {};
  }
  const int64_t left = settings_.budget - next_index_;
  if (left <= 0) {
    std::snprintf(reason, sizeof reason,
                  "the budget of %lld injections is spent (%d rounds) with %zu block(s) above the margin %g",
                  (long long)settings_.budget, rounds_, open.size(), settings_.margin);
    stop_reason_ = reason;
    return {};
  }
  // The round is shared equally by the open blocks (at least one each), within the budget.
  const int64_t each = std::max<int64_t>(1, settings_.round_size / int64_t(open.size()));
  std::vector<ScheduledInjection> round;
  for (size_t b : open)
    for (int64_t j = 0; j < each && next_index_ < settings_.budget; ++j)
      round.push_back({next_index_++, b, tallies[b].trials + uint64_t(j)});
  ++rounds_;
  return round;
}

}  // namespace npufi
