#include "analysis/protection_optimizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "analysis/protection_plan_file.h"
#include "tests/analysis/random_protection_instance.h"

namespace npufi {
namespace {

using test::Instance;
using test::random_instance;

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

TEST(ProtectionOptimizer, PlanFileErrors) {
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
