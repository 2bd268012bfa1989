#include "analysis/fit.h"

#include <set>
#include <stdexcept>
#include <tuple>

namespace npufi {

namespace {

std::string stratum_name(const BlockOutcomes& o) {
  return o.block + " (" + to_string(o.storage) + ", " + to_string(o.duration) + ")";
}

// Strata that hold bits and were measured, checked: each at most once, each with injections unless
// `allow_unmeasured`.
size_t checked_strata(const std::vector<BlockOutcomes>& outcomes, bool allow_unmeasured) {
  std::set<std::tuple<std::string, StorageKind, FaultDuration>> seen;
  size_t populated = 0;
  for (const BlockOutcomes& o : outcomes) {
    if (!seen.insert({o.block, o.storage, o.duration}).second)
      throw std::invalid_argument("stratum " + stratum_name(o) + " is listed twice");
    if (o.bits == 0) continue;
    if (o.counts.total() > 0) ++populated;
    else if (!allow_unmeasured) throw std::invalid_argument("stratum " + stratum_name(o) + " has no injections");
  }
  return populated;
}

}  // namespace

double bonferroni_confidence(double confidence, size_t strata) {
  return strata == 0 ? confidence : 1 - (1 - confidence) / double(strata);
}

FitTable fit_table(const std::vector<BlockOutcomes>& outcomes, const Technology& technology,
                   const FitOptions& options) {
  FitTable table;
  table.options = options;
  const double joint = bonferroni_confidence(options.confidence, checked_strata(outcomes, options.allow_unmeasured));
  for (const BlockOutcomes& o : outcomes) {
    StratumFit s;
    s.block = o.block;
    s.storage = o.storage;
    s.duration = o.duration;
    s.bits = o.bits;
    s.injections = o.counts.total();
    s.raw_fit = technology.fit_per_bit(o.storage, o.duration) * double(o.bits);
    table.raw_fit += s.raw_fit;
    for (OutcomeClass outcome : kOutcomeClasses) {
      ClassFit& c = s.classes[size_t(outcome)];
      c.events = count_of(o.counts, outcome);
      c.avf_interval = proportion_interval(c.events, s.injections, options.confidence, options.method);
      c.avf_upper = proportion_upper_bound(c.events, s.injections, options.confidence, options.method);
      if (s.injections > 0) c.avf = double(c.events) / double(s.injections);
      c.fit = s.raw_fit * c.avf;
      c.fit_upper = s.raw_fit * c.avf_upper;
      table.fit[size_t(outcome)] += c.fit;
      if (o.bits > 0)
        table.fit_upper[size_t(outcome)] +=
            s.raw_fit * proportion_upper_bound(c.events, s.injections, joint, options.method);
    }
    table.strata.push_back(s);
  }
  return table;
}

}  // namespace npufi
