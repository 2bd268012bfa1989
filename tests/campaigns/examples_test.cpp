// Every shipped example campaign parses and fits the model it is written for.
#include <gtest/gtest.h>

#include <filesystem>

#include "campaigns/fault_planner.h"
#include "campaigns/spec.h"
#include "models/model.h"

namespace npufi {
namespace {

TEST(ExampleCampaigns, ParseAndMatchLenet5) {
  Model lenet5 = Model::create("lenet5", 1);
  const std::vector<Parameter> parameters = lenet5.parameters();
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(NPUFI_EXAMPLES_DIR)) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    const CampaignSpec spec = load_campaign_spec(entry.path().string());
    EXPECT_NO_THROW(FaultPlanner(spec, parameters));
    EXPECT_GT(spec.trial_count(), 0);
    ++files;
  }
  EXPECT_GE(files, 3);
}

}  // namespace
}  // namespace npufi
