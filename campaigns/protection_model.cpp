#include "campaigns/protection_model.h"

#include <algorithm>
#include <stdexcept>

#include "injector/counter_rng.h"

namespace npufi {

namespace {

const std::string& unit_of(const StateElement& element, PlanGranularity granularity) {
  return granularity == PlanGranularity::block ? element.block : element.path;
}

}  // namespace

ProtectionModel::ProtectionModel(const ProtectionPlanFile& plan, const FaultSites& sites)
    : granularity_(plan.granularity) {
  const auto& elements = sites.elements();
  for (const PlannedProtection& p : plan.units) {
    if (std::none_of(elements.begin(), elements.end(),
                     [&](const StateElement& e) { return unit_of(e, granularity_) == p.unit; })) {
      const std::string kind = granularity_ == PlanGranularity::block ? "block" : "register";
      throw std::invalid_argument("plan names " + kind + " '" + p.unit + "', which is no " + kind +
                                  " of the design (npufi sites --list names them)");
    }
    options_[p.unit] = p.option;
  }
}

OutcomeClass ProtectionModel::apply(const StateElement& element, bool permanent, OutcomeClass simulated,
                                    uint64_t seed, uint64_t injection) const {
  const auto found = options_.find(unit_of(element, granularity_));
  if (found == options_.end()) return simulated;
  const ProtectionOption& o = found->second;
  // A stream of its own, apart from the one that drew the fault.
  CounterRng rng(seed ^ 0x70726f7465637421ull, injection);
  const double factor = permanent ? o.permanent_rate_factor : o.transient_rate_factor;
  const bool resisted = factor < 1 && rng.uniform() >= factor;
  const bool covered = rng.uniform() < o.coverage;
  if (resisted || simulated == OutcomeClass::masked) return OutcomeClass::masked;
  if (covered && o.action == ProtectionAction::detect) return OutcomeClass::due_detected;
  if (covered && o.action == ProtectionAction::correct) return OutcomeClass::masked;
  return simulated;
}

}  // namespace npufi
