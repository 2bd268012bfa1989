// The plan file as protect writes it, read back as a verification campaign reads it.
#include "report/protection_plan_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "analysis/protection_plan_file.h"
#include "tests/analysis/random_protection_instance.h"

namespace npufi {
namespace {

using test::Instance;
using test::random_instance;

TEST(ProtectionPlanJson, ReadsBack) {
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
}

}  // namespace
}  // namespace npufi
