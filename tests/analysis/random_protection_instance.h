#pragma once
// Random protection problems for the optimizer's tests (tests/analysis) and the plan file's (tests/report).
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "analysis/protection_optimizer.h"

namespace npufi::test {

// A random NPU of 2 to 5 blocks, each of flops or SRAM, measured with random outcomes, priced with the
// shipped catalog whose coverages, rate factors and areas are scaled at random. With `registers`, 2 or 3
// blocks of 1 to 3 register groups each, priced by their shares of the block (BlockArea::part), some of
// them never injected (counted at violating AVF 1), and triplication offered for block0 only (a catalog
// `blocks` list names the groups' block).
struct Instance {
  ProtectionProblem problem;
  AsilTargets targets;
};

inline Instance random_instance(std::mt19937_64& rng, bool registers = false) {
  std::uniform_real_distribution<double> unit(0, 1);
  const auto between = [&](double low, double high) { return low + (high - low) * unit(rng); };
  std::vector<BlockOutcomes> outcomes;
  std::vector<BlockArea> areas;
  const int blocks = registers ? 2 + int(rng() % 2) : 2 + int(rng() % 4);
  for (int b = 0; b < blocks; ++b) {
    const bool sram = rng() % 3 == 0;
    const StorageKind storage = sram ? StorageKind::sram : StorageKind::flop;
    const std::string name = "block" + std::to_string(b);
    const int groups = registers ? 1 + int(rng() % 3) : 1;
    std::vector<uint64_t> group_bits;
    for (int g = 0; g < groups; ++g) group_bits.push_back(registers ? 1 + rng() % 2000 : 100 + rng() % 100000);
    const uint64_t bits = std::accumulate(group_bits.begin(), group_bits.end(), uint64_t(0));
    BlockArea block;
    block.block = name;
    (sram ? block.sram_bits : block.flop_bits) = bits;
    (sram ? block.sram_ge : block.flop_ge) = (sram ? 0.6 : 6.5) * double(bits);
    block.logic_ge = rng() % 2 ? between(0, 1e5) : 0;
    for (int g = 0; g < groups; ++g) {
      const std::string unit_name = registers ? name + ".r" + std::to_string(g) : name;
      const bool unmeasured = registers && rng() % 4 == 0;
      const uint64_t n = unmeasured ? 0 : 200 + rng() % 2000;
      OutcomeCounts counts;
      if (n > 0) {
        counts.sdc_critical = rng() % (n / 5);
        counts.due_hang = rng() % (n / 20);
        counts.due_detected = rng() % (n / 20);
        counts.sdc_benign = rng() % (n / 10);
        counts.masked = n - counts.sdc_critical - counts.due_hang - counts.due_detected - counts.sdc_benign;
      }
      outcomes.push_back({unit_name, storage, FaultDuration::transient, group_bits[size_t(g)], 1000, counts});
      if (rng() % 2) {  // some units have stuck-at faults measured too
        OutcomeCounts permanent = counts;
        permanent.masked += permanent.sdc_critical / 2;
        permanent.sdc_critical -= permanent.sdc_critical / 2;
        outcomes.push_back({unit_name, storage, FaultDuration::permanent, group_bits[size_t(g)], 1000, permanent});
      }
      areas.push_back(registers ? block.part(unit_name, storage, group_bits[size_t(g)]) : block);
    }
  }
  ProtectionCatalog catalog = load_protection_catalog(default_protection_catalog_path());
  for (ProtectionOption& o : catalog.options) {
    if (o.kind == ProtectionKind::lockstep) continue;  // DCLS stays the whole second NPU
    if (o.coverage > 0) o.coverage = between(0.3, 0.999);
    if (o.transient_rate_factor < 1) o.transient_rate_factor = between(0.01, 0.5);
    for (double* a : {&o.area.flop_area, &o.area.sram_area, &o.area.logic_area, &o.area.ge_per_flop_bit})
      *a *= between(0.5, 1.5);
    if (registers && o.kind == ProtectionKind::triplication) o.blocks = {"block0"};
  }
  const Technology tech = parse_technology("[transient]\nflop = " + std::to_string(between(100, 2000)) +
                                               "\nsram = " + std::to_string(between(100, 2000)) +
                                               "\n[permanent]\nflop = 5\nsram = 5\n",
                                           "tech.toml");
  SafetyOptions safety;
  safety.fit.allow_unmeasured = registers;
  Instance instance{make_protection_problem(outcomes, tech, catalog, areas, safety), {}};
  const SafetyMetrics& before = instance.problem.unprotected.metrics;
  instance.targets.spfm = between(0.8, 0.995);
  if (rng() % 2) instance.targets.lfm = between(0.5, 0.99);
  instance.targets.pmhf_fit = before.pmhf_upper * between(0.005, 0.5);
  return instance;
}

}  // namespace npufi::test
