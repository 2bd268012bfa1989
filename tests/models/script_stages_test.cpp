// TorchScript modules cut into stages (models/script_stages.h): the cuts, the stage of every parameter, and
// that a fault in stage s computed from the fault-free activations before s gives what the whole module
// gives. Uses the private model_impl.h to run stages.
#include <gtest/gtest.h>

#include <set>

#include "models/model.h"
#include "models/model_impl.h"
#include "tests/models/test_util.h"

namespace npufi {
namespace {

const std::string kData = NPUFI_TEST_DATA_DIR;

torch::Tensor staged(Model& model, const torch::Tensor& x, int first_stage = 0) {
  torch::NoGradGuard no_grad;
  return model.impl().forward(x, first_stage);
}

// The module's own forward, run whole by LibTorch, not through npufi's stages.
torch::Tensor whole(Model& model, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  return model.impl().script->forward({x}).toTensor();
}

TEST(ScriptStages, TinyFixtureIsCutBeforeItsDenseLayer) {
  Model model = Model::load(kData + "/tiny_torchscript.pt");
  ASSERT_EQ(model.stage_count(), 2);
  EXPECT_EQ(model.stage_names(), (std::vector<std::string>{"conv", "fc"}));
  std::vector<int> stages;
  for (const Parameter& p : model.parameters()) stages.push_back(p.stage);
  EXPECT_EQ(stages, (std::vector<int>{0, 0, 1, 1}));  // conv.weight, conv.bias, fc.weight, fc.bias

  const torch::Tensor x = torch::rand({3, 1, 28, 28});
  const torch::Tensor boundary = model.impl().forward_stage(x, 0);
  EXPECT_EQ(boundary.sizes(), (torch::IntArrayRef{3, 4 * 13 * 13}));
  EXPECT_TRUE(torch::equal(staged(model, boundary, 1), staged(model, x)));
  EXPECT_TRUE(torch::allclose(staged(model, x), whole(model, x), 1e-5, 1e-5));
}

// The ResNet of make_pytorch_fixtures.py: batch norm, two residual blocks (the second with a 1x1
// projection), adaptive average pooling.
TEST(ScriptStages, ResidualBlocksStayWholeAndPrefixReuseIsSound) {
  Model model = Model::load(kData + "/pytorch_resnet.pt");
  ASSERT_GE(model.stage_count(), 5);
  const std::vector<std::string> names = model.stage_names();
  EXPECT_EQ(names.front(), "conv1");
  EXPECT_EQ(names.back(), "fc");
  for (const std::string name : {"bn1", "layer1", "layer2"})
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  std::vector<Parameter> params = model.parameters();
  std::set<int> layer1, layer2;
  for (const Parameter& p : params) {
    if (p.name.rfind("layer1.", 0) == 0) layer1.insert(p.stage);
    if (p.name.rfind("layer2.", 0) == 0) layer2.insert(p.stage);
  }
  EXPECT_EQ(layer1.size(), 1u);  // a block's shortcut keeps two tensors live: no cut inside it
  EXPECT_EQ(layer2.size(), 1u);
  EXPECT_LT(*layer1.begin(), *layer2.begin());
  EXPECT_EQ(params.front().stage, 0);
  EXPECT_EQ(params.back().stage, model.stage_count() - 1);

  // For every parameter: a large fault, computed from the fault-free input of the parameter's stage,
  // agrees with the whole module run on the faulty weights. A parameter put in too late a stage would
  // reuse activations that the fault changes.
  const torch::Tensor x = torch::randn({4, 1, 28, 28});
  std::vector<torch::Tensor> boundaries{x};
  for (int s = 0; s + 1 < model.stage_count(); ++s) {
    torch::NoGradGuard no_grad;
    boundaries.push_back(model.impl().forward_stage(boundaries.back(), s));
  }
  const torch::Tensor golden = whole(model, x);
  for (const Parameter& p : params) {
    SCOPED_TRACE(p.name + " in stage " + std::to_string(p.stage));
    const float saved = p.data[0];
    p.data[0] = 50.0f;
    const torch::Tensor faulty = whole(model, x);
    EXPECT_FALSE(torch::allclose(faulty, golden, 1e-4, 1e-4));
    EXPECT_TRUE(torch::allclose(staged(model, boundaries[size_t(p.stage)], p.stage), faulty, 1e-4, 1e-4));
    p.data[0] = saved;
  }
}

// A stage that changes its input in place runs on a copy, so cached activations stay intact.
TEST(ScriptStages, AnInPlaceStageLeavesItsInputAlone) {
  torch::jit::Module module("InPlace");
  module.register_parameter("w", torch::full({1}, 2.0f), false);
  module.register_parameter("b", torch::full({1}, 1.0f), false);
  module.define(R"(
def forward(self, x):
    y = x * self.w
    y.add_(self.b)
    return y
)");
  const test::TempDir dir;
  module.save(dir.file("in_place.pt"));
  Model model = Model::load(dir.file("in_place.pt"));
  ASSERT_EQ(model.stage_count(), 2);
  const torch::Tensor x = torch::ones({1, 1, 2, 2});
  const torch::Tensor boundary = model.impl().forward_stage(x, 0);
  const torch::Tensor kept = boundary.clone();
  EXPECT_TRUE(torch::equal(staged(model, boundary, 1), torch::full({1, 1, 2, 2}, 3.0f)));
  EXPECT_TRUE(torch::equal(staged(model, boundary, 1), torch::full({1, 1, 2, 2}, 3.0f)));
  EXPECT_TRUE(torch::equal(boundary, kept));
}

// A forward with a second argument runs whole, as one stage.
TEST(ScriptStages, AForwardOfTwoInputsRunsWhole) {
  torch::jit::Module module("TwoInputs");
  module.register_parameter("w", torch::full({1}, 2.0f), false);
  module.define(R"(
def forward(self, x, scale: float = 1.0):
    return (x * self.w * scale).flatten(1)
)");
  const test::TempDir dir;
  module.save(dir.file("two.pt"));
  Model model = Model::load(dir.file("two.pt"));
  EXPECT_EQ(model.stage_count(), 1);
  EXPECT_TRUE(torch::equal(staged(model, torch::ones({1, 1, 1, 2})), torch::full({1, 2}, 2.0f)));
}

}  // namespace
}  // namespace npufi
