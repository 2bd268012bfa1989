#include "campaigns/protection_model.h"

#include "injector/counter_rng.h"

namespace npufi {

ProtectionModel::ProtectionModel(const std::vector<PlannedProtection>& plan) {
  for (const PlannedProtection& p : plan) options_[p.block] = p.option;
}

const ProtectionOption* ProtectionModel::option(const std::string& block) const {
  const auto found = options_.find(block);
  return found == options_.end() ? nullptr : &found->second;
}

OutcomeClass ProtectionModel::apply(const std::string& block, bool permanent, OutcomeClass simulated, uint64_t seed,
                                    uint64_t injection) const {
  const ProtectionOption* o = option(block);
  if (!o) return simulated;
  // A stream of its own, apart from the one that drew the fault.
  CounterRng rng(seed ^ 0x70726f7465637421ull, injection);
  const double factor = permanent ? o->permanent_rate_factor : o->transient_rate_factor;
  const bool resisted = factor < 1 && rng.uniform() >= factor;
  const bool covered = rng.uniform() < o->coverage;
  if (resisted || simulated == OutcomeClass::masked) return OutcomeClass::masked;
  if (covered && o->action == ProtectionAction::detect) return OutcomeClass::due_detected;
  if (covered && o->action == ProtectionAction::correct) return OutcomeClass::masked;
  return simulated;
}

}  // namespace npufi
