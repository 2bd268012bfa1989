#include "campaigns/rtl_results.h"

#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "injector/outcome.h"

namespace npufi {

namespace {

StorageKind storage_kind(const std::string& name) {
  const std::optional<StorageKind> kind = parse_storage_kind(name);
  if (!kind) throw std::runtime_error("the database stores an unknown storage kind '" + name + "'");
  return *kind;
}

// Outcome counts per (unit, storage kind, fault duration), pooled over campaigns.
class Tally {
 public:
  // A unit of a campaign's population.
  void unit(const std::string& name, StorageKind storage, uint64_t bits, uint64_t cycles) {
    units_.emplace(std::pair{name, storage}, std::pair{bits, cycles});
  }

  // `n` injections of `campaign` into `unit` with this fault model and outcome.
  void add(int64_t campaign, const std::string& unit, StorageKind storage, const std::string& model,
           const std::string& outcome, uint64_t n) {
    const auto fault_model = parse_rtl_fault_model(model);
    const auto outcome_class = parse_outcome(outcome);
    if (!fault_model || !outcome_class)
      throw std::runtime_error("campaign " + std::to_string(campaign) + " stores an unknown model or outcome (" +
                               model + ", " + outcome + ")");
    if (!units_.count({unit, storage}))
      throw std::runtime_error("campaign " + std::to_string(campaign) + " stores injections into " + unit +
                               ", which is not in its population");
    const FaultDuration duration = duration_of(*fault_model);
    durations_.insert(duration);
    count_of(counts_[{unit, storage, duration}], *outcome_class) += n;
  }

  std::vector<BlockOutcomes> strata() const {
    std::vector<BlockOutcomes> out;
    for (const auto& [unit, population] : units_)
      for (const FaultDuration duration : durations_) {
        const auto counts = counts_.find({unit.first, unit.second, duration});
        out.push_back({unit.first, unit.second, duration, population.first, population.second,
                       counts == counts_.end() ? OutcomeCounts{} : counts->second});
      }
    return out;
  }

 private:
  std::map<std::pair<std::string, StorageKind>, std::pair<uint64_t, uint64_t>> units_;  // bits, cycles
  std::set<FaultDuration> durations_;
  std::map<std::tuple<std::string, StorageKind, FaultDuration>, OutcomeCounts> counts_;
};

std::vector<db::PopulationRow> population_of(db::Store& store, int64_t campaign_id) {
  std::vector<db::PopulationRow> population = store.population(campaign_id);
  if (population.empty())
    throw std::runtime_error("campaign " + std::to_string(campaign_id) + " is not an RTL campaign");
  return population;
}

}  // namespace

bool is_rtl_campaign(db::Store& store, int64_t campaign_id) { return !store.population(campaign_id).empty(); }

std::vector<BlockOutcomes> block_outcomes(db::Store& store, const std::vector<int64_t>& campaign_ids) {
  Tally tally;
  for (const int64_t id : campaign_ids) {
    for (const db::PopulationRow& p : population_of(store, id))
      tally.unit(p.block, storage_kind(p.storage), uint64_t(p.bits), uint64_t(p.cycles));
    for (const db::OutcomeCountRow& row : store.outcome_counts(id))
      tally.add(id, row.block, storage_kind(row.storage), row.model, row.outcome, uint64_t(row.count));
  }
  return tally.strata();
}

std::vector<BlockOutcomes> register_outcomes(db::Store& store, const std::vector<int64_t>& campaign_ids,
                                             const FaultSites& sites) {
  Tally tally;
  for (const int64_t id : campaign_ids) {
    for (const db::PopulationRow& p : population_of(store, id))
      for (const StateElement& e : sites.elements())
        if (e.block == p.block && to_string(e.kind) == p.storage)
          tally.unit(e.path, storage_kind(p.storage), e.bits(), uint64_t(p.cycles));
    for (const db::InjectionRow& row : store.injections(id)) {
      const StateElement& e = sites.elements()[sites.locate(uint64_t(row.bit)).element];
      tally.add(id, e.path, storage_kind(row.storage), row.model, row.outcome, 1);
    }
  }
  return tally.strata();
}

std::vector<MeasuredCoverage> measured_coverages(db::Store& store, const std::vector<int64_t>& campaign_ids,
                                                 const SafetyOptions& options) {
  std::map<std::string, CoverageCounts> counts;
  for (const int64_t id : campaign_ids)
    for (const db::InjectionRow& row : store.injections(id)) {
      if (row.baseline_outcome.empty()) continue;
      const std::optional<OutcomeClass> outcome = parse_outcome(row.outcome);
      const std::optional<OutcomeClass> baseline = parse_outcome(row.baseline_outcome);
      if (!outcome || !baseline)
        throw std::runtime_error("campaign " + std::to_string(id) + " stores an unknown outcome (" + row.outcome +
                                 ", " + row.baseline_outcome + ")");
      count_coverage(counts[row.block], *outcome, *baseline, options);
    }
  std::vector<MeasuredCoverage> out;
  for (const auto& [block, c] : counts) out.push_back(measured_coverage(block, c, options.fit.confidence));
  return out;
}

}  // namespace npufi
