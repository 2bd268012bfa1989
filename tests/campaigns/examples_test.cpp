// Every shipped example campaign parses and fits the model it is written for (an RTL campaign: its NPU
// workload is built, with the model's architecture, untrained).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "campaigns/activation_planner.h"
#include "campaigns/fault_planner.h"
#include "campaigns/rtl_workload.h"
#include "campaigns/spec.h"
#include "models/model.h"

namespace npufi {
namespace {

TEST(ExampleCampaigns, ParseAndMatchLenet5) {
  Model lenet5 = Model::create("lenet5", 1);
  const std::vector<Parameter> parameters = lenet5.parameters();
  const std::string model_file = (std::filesystem::temp_directory_path() / ("npufi_examples_lenet5_" + std::to_string(getpid()) + ".pt")).string();
  lenet5.save(model_file);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(NPUFI_EXAMPLES_DIR)) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    CampaignSpec spec = load_campaign_spec(entry.path().string());
    if (spec.rtl) {
      spec.model = model_file;
      spec.rtl->calibration = 100;
      EXPECT_NO_THROW(RtlWorkload(spec, 2));
    } else if (spec.activations) {
      std::vector<ActivationLayer> layers;
      for (const std::string& name : lenet5.stage_names()) layers.push_back({name, 10});
      EXPECT_NO_THROW(ActivationPlanner(spec, layers, spec.image_count.value_or(10000)));
    } else {
      EXPECT_NO_THROW(FaultPlanner(spec, parameters));
    }
    EXPECT_GT(spec.trial_count(), 0);
    ++files;
  }
  EXPECT_GE(files, 4);
  std::filesystem::remove(model_file);
}

}  // namespace
}  // namespace npufi
