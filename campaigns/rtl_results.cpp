#include "campaigns/rtl_results.h"

#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "injector/outcome.h"

namespace npufi {

bool is_rtl_campaign(db::Store& store, int64_t campaign_id) { return !store.population(campaign_id).empty(); }

std::vector<BlockOutcomes> block_outcomes(db::Store& store, int64_t campaign_id) {
  const std::vector<db::PopulationRow> population = store.population(campaign_id);
  if (population.empty())
    throw std::runtime_error("campaign " + std::to_string(campaign_id) + " is not an RTL campaign");
  std::map<std::tuple<std::string, std::string, FaultDuration>, BlockOutcomes> entries;
  for (const db::OutcomeCountRow& row : store.outcome_counts(campaign_id)) {
    const auto model = parse_rtl_fault_model(row.model);
    const auto outcome = parse_outcome(row.outcome);
    if (!model || !outcome)
      throw std::runtime_error("campaign " + std::to_string(campaign_id) + " stores an unknown model or outcome (" +
                               row.model + ", " + row.outcome + ")");
    const FaultDuration duration = is_permanent(*model) ? FaultDuration::permanent : FaultDuration::transient;
    BlockOutcomes& entry = entries[{row.block, row.storage, duration}];
    if (entry.bits == 0) {
      for (const db::PopulationRow& p : population)
        if (p.block == row.block && p.storage == row.storage) {
          entry.bits = uint64_t(p.bits);
          entry.cycles = uint64_t(p.cycles);
        }
      entry.block = row.block;
      entry.storage = row.storage == "sram" ? StorageKind::sram : StorageKind::flop;
      entry.duration = duration;
    }
    const uint64_t n = uint64_t(row.count);
    switch (*outcome) {
      case OutcomeClass::masked: entry.counts.masked += n; break;
      case OutcomeClass::sdc_benign: entry.counts.sdc_benign += n; break;
      case OutcomeClass::sdc_critical: entry.counts.sdc_critical += n; break;
      case OutcomeClass::due_detected: entry.counts.due_detected += n; break;
      case OutcomeClass::due_hang: entry.counts.due_hang += n; break;
    }
  }
  // Strata of the population that no injection hit stay in, with no counts: the statistics then say that
  // their rate is unknown instead of silently leaving them out.
  std::set<FaultDuration> durations;
  for (const auto& [key, entry] : entries) durations.insert(std::get<2>(key));
  for (const FaultDuration duration : durations)
    for (const db::PopulationRow& p : population)
      if (!entries.count({p.block, p.storage, duration})) {
        BlockOutcomes& entry = entries[{p.block, p.storage, duration}];
        entry.block = p.block;
        entry.storage = p.storage == "sram" ? StorageKind::sram : StorageKind::flop;
        entry.duration = duration;
        entry.bits = uint64_t(p.bits);
        entry.cycles = uint64_t(p.cycles);
      }
  std::vector<BlockOutcomes> out;
  for (auto& [key, entry] : entries) out.push_back(std::move(entry));
  return out;
}

}  // namespace npufi
