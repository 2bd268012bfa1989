#include "rtl/sim/rtl_fault.h"

#include <algorithm>
#include <stdexcept>

namespace npufi {

std::string run_end_name(RunEnd end) {
  switch (end) {
    case RunEnd::completed: return "completed";
    case RunEnd::converged: return "converged";
    case RunEnd::reference: return "reference";
    case RunEnd::watchdog: return "watchdog";
    case RunEnd::stalled: return "stalled";
  }
  return "unknown";
}

std::vector<uint64_t> fault_bits(const FaultSites& sites, const RtlFault& fault, uint64_t cycles) {
  if (fault.bit >= sites.total_bits())
    throw std::invalid_argument("site " + std::to_string(fault.bit) + " is beyond the design's " +
                                std::to_string(sites.total_bits()) + " state bits");
  if (fault.cycle >= cycles)
    throw std::invalid_argument("cycle " + std::to_string(fault.cycle) + " is beyond the workload's " +
                                std::to_string(cycles) + " cycles");
  const SiteRef site = sites.locate(fault.bit);
  const uint32_t width = sites.elements()[site.element].width;
  if (fault.width == 0 || (fault.model != RtlFaultModel::mbu && fault.width != 1) || site.bit + fault.width > width)
    throw std::invalid_argument(std::to_string(fault.width) + " adjacent bits from " + sites.name(fault.bit) +
                                " do not fit its " + std::to_string(width) + "-bit word");
  std::vector<uint64_t> bits;
  for (uint32_t i = 0; i < fault.width; ++i) bits.push_back(fault.bit + i);
  return bits;
}

FaultApplication::FaultApplication(StateAccess& state, const RtlFault& fault, std::vector<uint64_t> bits)
    : state_(state), fault_(fault), bits_(std::move(bits)) {}

bool FaultApplication::apply() {
  applied_ = true;
  if (is_permanent(fault_.model)) return force();
  for (uint64_t bit : bits_) state_.flip(bit);
  return true;
}

bool FaultApplication::hold() { return applied_ && is_permanent(fault_.model) && force(); }

bool FaultApplication::force() {
  const bool value = fault_.model == RtlFaultModel::stuck_at_1;
  bool changed = false;
  for (uint64_t bit : bits_)
    if (state_.get(bit) != value) {
      state_.set(bit, value);
      changed = true;
    }
  return changed;
}

std::optional<uint64_t> forced_value_settles(const StateAccess& state, const StateAccess::WordTrace& golden_words,
                                             const StateAccess::SettleTrace& golden_settle, const RtlFault& fault) {
  if (!is_permanent(fault.model)) return std::nullopt;
  const bool memory = state.sites().elements()[state.sites().locate(fault.bit).element].kind == StorageKind::sram;
  const bool forced = fault.model == RtlFaultModel::stuck_at_1;
  uint64_t from = 0;
  for (uint32_t i = 0; i < fault.width; ++i) {
    const uint64_t bit = fault.bit + i;
    const std::optional<std::pair<uint32_t, bool>> settled =
        memory ? state.settled_memory_bit(golden_words, bit)
               : std::pair(golden_settle.settled_from(state, bit), golden_settle.final_value(state, bit));
    if (!settled || settled->second != forced) return std::nullopt;
    from = std::max<uint64_t>(from, settled->first);
  }
  return from;
}

std::optional<uint64_t> effective_cycle(const StateAccess& state, const StateAccess::WordTrace& golden_words,
                                        const StateAccess::SettleTrace* golden_settle, uint32_t interval,
                                        const RtlFault& fault) {
  const SiteRef site = state.sites().locate(fault.bit);
  if (state.dead(site.element)) return std::nullopt;
  if (golden_settle)
    if (const auto settles = forced_value_settles(state, golden_words, *golden_settle, fault);
        settles && *settles <= fault.cycle)
      return std::nullopt;
  if (is_permanent(fault.model) || !state.traced(site.element, golden_words) || !golden_words.writes_known(site.element))
    return fault.cycle;
  const std::optional<uint32_t> read = golden_words.first_read_before_overwrite(site.element, site.word, uint32_t(fault.cycle));
  if (!read) return std::nullopt;
  // A read noted in cycle r happens in the clock cycle into r (the bus is sampled after its edge) or feeds
  // the next edge: the upset must be in place before the cycle into r, so at cycle r - 1 at the latest.
  const uint64_t last_checkpoint = *read == 0 ? 0 : (*read - 1) / interval * interval;
  return std::max(fault.cycle, last_checkpoint);
}

}  // namespace npufi
