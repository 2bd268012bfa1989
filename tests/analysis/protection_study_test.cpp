#include "analysis/protection_study.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/analysis/random_protection_instance.h"

namespace npufi {
namespace {

TEST(ProtectionStudy, PlanningTargetsRaiseTheRatioTargetsByTheMargin) {
  const AsilTargets d = planning_targets(Asil::D, kDefaultPlanningMargin);
  EXPECT_NEAR(*d.spfm, 0.992, 1e-12);
  EXPECT_NEAR(*d.lfm, 0.902, 1e-12);
  EXPECT_EQ(d.pmhf_fit, asil_targets(Asil::D).pmhf_fit);
  // Never more than halfway to 1: SPFM 99 % + 5 points would be out of reach.
  const AsilTargets wide = planning_targets(Asil::D, 0.05);
  EXPECT_NEAR(*wide.spfm, 0.995, 1e-12);
  EXPECT_NEAR(*wide.lfm, 0.95, 1e-12);
  EXPECT_FALSE(planning_targets(Asil::A, 0.01).spfm);
  EXPECT_NEAR(*planning_targets(Asil::B, 0).spfm, 0.90, 1e-12);
}

// The least area of all plans whose bounds meet `targets`, by enumeration; nullopt when none does.
std::optional<double> least_area(const ProtectionProblem& p, const AsilTargets& targets) {
  std::optional<double> best;
  std::vector<size_t> picked(p.blocks.size(), 0);
  while (true) {
    std::vector<BlockChoice> blocks;
    for (size_t b = 0; b < picked.size(); ++b) blocks.push_back(p.choices[b][picked[b]]);
    const ProtectionPlan plan = make_plan(p, "enumerated", blocks);
    if (meets_targets(plan.metrics, targets) && (!best || plan.area < *best)) best = plan.area;
    size_t b = 0;
    while (b < picked.size() && ++picked[b] == p.choices[b].size()) picked[b++] = 0;
    if (b == picked.size()) return best;
  }
}

// The study chooses the least-area plan for the raised targets when one meets them, otherwise the least-area
// plan for the bare targets, and says which; verdicts judge the bare targets.
TEST(ProtectionStudy, ChoosesForTheMarginAndFallsBackToTheBareTargets) {
  std::mt19937_64 rng(11);
  const double margin = 0.02;
  int with_margin = 0, bare_only = 0, none = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const ProtectionProblem problem = test::random_instance(rng).problem;
    for (Asil asil : {Asil::B, Asil::C, Asil::D}) {
      const std::optional<double> raised = least_area(problem, planning_targets(asil, margin));
      const std::optional<double> bare = least_area(problem, asil_targets(asil));
      const ProtectionStudy study = study_protection(problem, asil, 0.95, "npu", margin);
      const std::string where = "trial " + std::to_string(trial) + " " + to_string(asil);
      EXPECT_EQ(study.margin_met, raised.has_value()) << where;
      EXPECT_EQ(study.optimal, bare.has_value()) << where;
      EXPECT_EQ(study.after.met, bare.has_value()) << where;
      if (raised) {
        ++with_margin;
        EXPECT_NEAR(study.chosen.area, *raised, 1e-9 * std::max(1.0, *raised)) << where;
        EXPECT_GE(study.chosen.metrics.spfm_lower, *planning_targets(asil, margin).spfm - 1e-12) << where;
        EXPECT_GE(*raised, *bare - 1e-9 * std::max(1.0, *bare)) << where;
      } else if (bare) {
        ++bare_only;
        EXPECT_NEAR(study.chosen.area, *bare, 1e-9 * std::max(1.0, *bare)) << where;
      } else {
        ++none;
      }
    }
  }
  // The instances exercise all three answers.
  EXPECT_GT(with_margin, 0);
  EXPECT_GT(bare_only, 0);
  EXPECT_GT(none, 0);
}

}  // namespace
}  // namespace npufi
