#include "analysis/protection_optimizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>

#include "analysis/protection_plan_json.h"

namespace npufi {
namespace {

// A random NPU of 2 to 5 blocks, each of flops or SRAM, measured with random outcomes, priced with the
// shipped catalog whose coverages, rate factors and areas are scaled at random. With `registers`, 2 or 3
// blocks of 1 to 3 register groups each, priced by their shares of the block (BlockArea::part), some of
// them never injected (counted at violating AVF 1), and triplication offered for block0 only (a catalog
// `blocks` list names the groups' block).
struct Instance {
  ProtectionProblem problem;
  AsilTargets targets;
};

Instance random_instance(std::mt19937_64& rng, bool registers = false) {
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

// Every plan: one choice per block.
void for_each_plan(const ProtectionProblem& p, const std::function<void(const ProtectionPlan&)>& visit) {
  std::vector<size_t> picked(p.blocks.size(), 0);
  while (true) {
    std::vector<BlockChoice> blocks;
    for (size_t b = 0; b < picked.size(); ++b) blocks.push_back(p.choices[b][picked[b]]);
    visit(make_plan(p, "enumerated", blocks));
    size_t b = 0;
    while (b < picked.size() && ++picked[b] == p.choices[b].size()) picked[b++] = 0;
    if (b == picked.size()) return;
  }
}

// The least-area plan equals the best of an exhaustive enumeration of all plans, scored with the FMEDA's own
// metrics, on `trials` random instances; both agree when no plan meets the targets.
void expect_optimum_equals_enumeration(uint64_t seed, int trials, bool registers) {
  std::mt19937_64 rng(seed);
  int feasible = 0, infeasible = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const Instance instance = random_instance(rng, registers);
    std::optional<double> best;
    for_each_plan(instance.problem, [&](const ProtectionPlan& plan) {
      if (meets_targets(plan.metrics, instance.targets) && (!best || plan.area < *best)) best = plan.area;
    });
    const std::optional<ProtectionPlan> optimal = optimal_plan(instance.problem, instance.targets);
    ASSERT_EQ(optimal.has_value(), best.has_value()) << "trial " << trial;
    if (!best) {
      ++infeasible;
      continue;
    }
    ++feasible;
    EXPECT_NEAR(optimal->area, *best, 1e-9 * std::max(1.0, *best)) << "trial " << trial;
    EXPECT_TRUE(meets_targets(optimal->metrics, instance.targets)) << "trial " << trial;
    // The greedy plan, when it meets the targets, costs at least the optimum.
    const ProtectionPlan greedy = greedy_plan(instance.problem, instance.targets);
    if (meets_targets(greedy.metrics, instance.targets)) {
      EXPECT_GE(greedy.area, optimal->area - 1e-9 * optimal->area);
    }
  }
  // The instances exercise both answers.
  EXPECT_GT(feasible, trials / 6);
  EXPECT_GT(infeasible, trials / 20);
}

TEST(ProtectionOptimizer, OptimumEqualsExhaustiveEnumeration) { expect_optimum_equals_enumeration(7, 60, false); }

TEST(ProtectionOptimizer, OptimumEqualsExhaustiveEnumerationAtRegisterGranularity) {
  expect_optimum_equals_enumeration(13, 40, true);
  // The instances are what they claim: register groups with their block as parent, some never injected,
  // triplication only where the catalog's `blocks` names the parent.
  std::mt19937_64 rng(13);
  int unmeasured = 0, triplicated = 0, groups = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const ProtectionProblem p = random_instance(rng, true).problem;
    for (size_t u = 0; u < p.blocks.size(); ++u) {
      ++groups;
      EXPECT_EQ(p.blocks[u].block.rfind(p.blocks[u].parent + ".r", 0), 0u);
      for (const BlockChoice& c : p.choices[u])
        if (c.option.kind == ProtectionKind::triplication) {
          EXPECT_EQ(p.blocks[u].parent, "block0");
          ++triplicated;
        }
    }
    for (const StratumFit& s : p.unprotected.fit.strata) unmeasured += s.injections == 0;
  }
  EXPECT_GT(unmeasured, 10);
  EXPECT_GT(triplicated, 10);
  EXPECT_GT(groups, 100);
}

TEST(ProtectionOptimizer, ParetoFrontEqualsTheNonDominatedPlans) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const Instance instance = random_instance(rng, trial % 4 == 3);  // every fourth at register granularity
    std::vector<std::pair<double, double>> all;  // (area, residual upper bound)
    for_each_plan(instance.problem, [&](const ProtectionPlan& plan) { all.push_back({plan.area, plan.metrics.pmhf_upper}); });
    std::vector<std::pair<double, double>> expected;
    std::sort(all.begin(), all.end());
    for (const auto& point : all)  // by area, then residual: keep each point that lowers the residual
      if (expected.empty() || point.second < expected.back().second * (1 - 1e-5)) expected.push_back(point);
    const std::vector<ProtectionPlan> front = pareto_front(instance.problem);
    ASSERT_EQ(front.size(), expected.size()) << "trial " << trial;
    for (size_t i = 0; i < front.size(); ++i) {
      EXPECT_NEAR(front[i].area, expected[i].first, 1e-6 * std::max(1.0, expected[i].first)) << trial << " " << i;
      EXPECT_NEAR(front[i].metrics.pmhf_upper, expected[i].second, 1e-9 * std::max(1e-3, expected[i].second))
          << trial << " " << i;
    }
  }
}

TEST(ProtectionOptimizer, UniformPlans) {
  std::mt19937_64 rng(3);
  const Instance instance = random_instance(rng);
  const ProtectionProblem& p = instance.problem;
  const ProtectionPlan dcls = lockstep_plan(p);
  EXPECT_EQ(dcls.strategy, "dcls");
  double dcls_area = 0;
  for (const BlockArea& b : p.blocks) dcls_area += b.area();
  EXPECT_NEAR(dcls.area, dcls_area, 1e-9 * dcls_area);  // this catalog's DCLS doubles the NPU
  EXPECT_NEAR(dcls.overhead, 1.0, 1e-12);
  const std::optional<ProtectionPlan> hardened = hardened_plan(p);
  ASSERT_TRUE(hardened);
  for (size_t b = 0; b < p.blocks.size(); ++b)
    EXPECT_EQ(hardened->blocks[b].option.kind, p.blocks[b].flop_bits > 0 ? ProtectionKind::hardened : ProtectionKind::none)
        << p.blocks[b].block;
  // Unreachable targets: no optimum, and the greedy plan stops where no upgrade helps.
  const AsilTargets impossible{std::nullopt, std::nullopt, 1e-12};
  EXPECT_FALSE(optimal_plan(p, impossible));
  EXPECT_FALSE(meets_targets(greedy_plan(p, impossible).metrics, impossible));
}

TEST(ProtectionOptimizer, PlanJsonReadsBack) {
  std::mt19937_64 rng(5);
  const Instance instance = random_instance(rng);
  const ProtectionPlan plan = pareto_front(instance.problem).back();  // the most protected plan
  const nlohmann::json json = protection_plan_json(instance.problem, plan,
                                                   asil_verdict("npu", plan.metrics, Asil::D, 0.95), PlanGranularity::block);
  EXPECT_EQ(json["format"], "npufi-protection-plan");
  EXPECT_EQ(json["granularity"], "block");
  EXPECT_EQ(json["units"].size(), plan.blocks.size());
  const std::filesystem::path file = std::filesystem::temp_directory_path() / ("npufi_protection_plan_test_" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << json.dump(2);
  const ProtectionPlanFile file_plan = read_protection_plan(file.string());
  std::filesystem::remove(file);
  EXPECT_EQ(file_plan.granularity, PlanGranularity::block);
  const std::vector<PlannedProtection>& read = file_plan.units;
  ASSERT_EQ(read.size(), plan.blocks.size());
  for (size_t b = 0; b < read.size(); ++b) {
    EXPECT_EQ(read[b].unit, instance.problem.blocks[b].block);
    const ProtectionOption& o = plan.blocks[b].option;
    EXPECT_EQ(read[b].option.name, o.name);
    EXPECT_EQ(read[b].option.kind, o.kind);
    EXPECT_EQ(read[b].option.action, o.action);
    EXPECT_DOUBLE_EQ(read[b].option.coverage, o.coverage);
    EXPECT_DOUBLE_EQ(read[b].option.dc_latent, o.dc_latent);
    EXPECT_DOUBLE_EQ(read[b].option.transient_rate_factor, o.transient_rate_factor);
    EXPECT_DOUBLE_EQ(read[b].option.permanent_rate_factor, o.permanent_rate_factor);
  }
  const auto error = [](const std::string& text) {
    try {
      parse_protection_plan(text, "plan.json");
    } catch (const ProtectionPlanError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("{\"format\": \"x\"}"), "plan.json: not a protection plan (\"format\" must be \"npufi-protection-plan\")");
  EXPECT_EQ(error("{\"format\": \"npufi-protection-plan\", \"version\": 2, \"granularity\": \"register\", "
                  "\"units\": [{\"unit\": \"dma.req_addr\", \"option\": \"p\", \"kind\": \"parity\", "
                  "\"transient_rate_factor\": 1, \"permanent_rate_factor\": 1, \"action\": \"detect\", \"coverage\": 1.5, "
                  "\"dc_latent\": 0}]}"),
            "plan.json: units[0].coverage: missing or invalid");
  EXPECT_EQ(error("{\"format\": \"npufi-protection-plan\", \"version\": 2, \"granularity\": \"bit\", \"units\": []}"),
            "plan.json: 'granularity' must be \"block\" or \"register\"");
  EXPECT_THAT(error("{\"format\": \"npufi-protection-plan\", \"version\": 1, \"blocks\": []}"),
              ::testing::HasSubstr("plan.json: plan version 1 is not supported"));
  EXPECT_THAT(error("{"), ::testing::HasSubstr("plan.json: not JSON"));
}

}  // namespace
}  // namespace npufi
