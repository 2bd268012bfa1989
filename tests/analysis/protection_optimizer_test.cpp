#include "analysis/protection_optimizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include "analysis/protection_plan_json.h"

namespace npufi {
namespace {

// A random NPU of 2 to 5 blocks, each of flops or SRAM, measured with random outcomes, priced with the
// shipped catalog whose coverages, rate factors and areas are scaled at random.
struct Instance {
  ProtectionProblem problem;
  AsilTargets targets;
};

Instance random_instance(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  const auto between = [&](double low, double high) { return low + (high - low) * unit(rng); };
  std::vector<BlockOutcomes> outcomes;
  std::vector<BlockArea> areas;
  const int blocks = 2 + int(rng() % 4);
  for (int b = 0; b < blocks; ++b) {
    const bool sram = rng() % 3 == 0;
    const uint64_t bits = 100 + rng() % 100000;
    const uint64_t n = 200 + rng() % 2000;
    OutcomeCounts counts;
    counts.sdc_critical = rng() % (n / 5);
    counts.due_hang = rng() % (n / 20);
    counts.due_detected = rng() % (n / 20);
    counts.sdc_benign = rng() % (n / 10);
    counts.masked = n - counts.sdc_critical - counts.due_hang - counts.due_detected - counts.sdc_benign;
    const std::string name = "block" + std::to_string(b);
    outcomes.push_back({name, sram ? StorageKind::sram : StorageKind::flop, FaultDuration::transient, bits, 1000, counts});
    if (rng() % 2) {  // some blocks have stuck-at faults measured too
      OutcomeCounts permanent = counts;
      permanent.masked += permanent.sdc_critical / 2;
      permanent.sdc_critical -= permanent.sdc_critical / 2;
      outcomes.push_back({name, sram ? StorageKind::sram : StorageKind::flop, FaultDuration::permanent, bits, 1000, permanent});
    }
    areas.push_back({name, sram ? 0 : bits, sram ? bits : 0, sram ? 0 : 6.5 * double(bits), sram ? 0.6 * double(bits) : 0,
                     rng() % 2 ? between(0, 1e5) : 0});
  }
  ProtectionCatalog catalog = load_protection_catalog(default_protection_catalog_path());
  for (ProtectionOption& o : catalog.options) {
    if (o.kind == ProtectionKind::lockstep) continue;  // DCLS stays the whole second NPU
    if (o.coverage > 0) o.coverage = between(0.3, 0.999);
    if (o.transient_rate_factor < 1) o.transient_rate_factor = between(0.01, 0.5);
    for (double* a : {&o.area.flop_area, &o.area.sram_area, &o.area.logic_area, &o.area.ge_per_flop_bit})
      *a *= between(0.5, 1.5);
  }
  const Technology tech = parse_technology("[transient]\nflop = " + std::to_string(between(100, 2000)) +
                                               "\nsram = " + std::to_string(between(100, 2000)) +
                                               "\n[permanent]\nflop = 5\nsram = 5\n",
                                           "tech.toml");
  Instance instance{make_protection_problem(outcomes, tech, catalog, areas), {}};
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

TEST(ProtectionOptimizer, OptimumEqualsExhaustiveEnumeration) {
  std::mt19937_64 rng(7);
  int feasible = 0, infeasible = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const Instance instance = random_instance(rng);
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
  EXPECT_GT(feasible, 10);
  EXPECT_GT(infeasible, 3);
}

TEST(ProtectionOptimizer, ParetoFrontEqualsTheNonDominatedPlans) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 15; ++trial) {
    const Instance instance = random_instance(rng);
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
  const nlohmann::json json =
      protection_plan_json(instance.problem, plan, asil_verdict("npu", plan.metrics, Asil::D, 0.95));
  EXPECT_EQ(json["format"], "npufi-protection-plan");
  EXPECT_EQ(json["blocks"].size(), plan.blocks.size());
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "npufi_protection_plan_test.json";
  std::ofstream(file) << json.dump(2);
  const std::vector<PlannedProtection> read = read_protection_plan(file.string());
  std::filesystem::remove(file);
  ASSERT_EQ(read.size(), plan.blocks.size());
  for (size_t b = 0; b < read.size(); ++b) {
    EXPECT_EQ(read[b].block, instance.problem.blocks[b].block);
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
  EXPECT_EQ(error("{\"format\": \"npufi-protection-plan\", \"version\": 1, \"blocks\": [{\"block\": \"dma\", "
                  "\"option\": \"p\", \"kind\": \"parity\", \"transient_rate_factor\": 1, \"permanent_rate_factor\": 1, "
                  "\"action\": \"detect\", \"coverage\": 1.5, \"dc_latent\": 0}]}"),
            "plan.json: blocks[0].coverage: missing or invalid");
  EXPECT_THAT(error("{"), ::testing::HasSubstr("plan.json: not JSON"));
}

}  // namespace
}  // namespace npufi
