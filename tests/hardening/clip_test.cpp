// The clipped activation: each mode's values, the smooth mode's gradient, the ReLU replacement in zoo
// and TorchScript models, threshold counts, model files, and thresholds that do not fit.
#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include "models/hardening/clip.h"
#include "models/hardening/clip_activation.h"
#include "models/model_impl.h"
#include "models/quantize.h"
#include "tests/models/test_util.h"

namespace npufi {
namespace {

const std::string kFixture = std::string(NPUFI_TEST_DATA_DIR) + "/tiny_torchscript.pt";

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

torch::Tensor logits(Model& model, const torch::Tensor& x) {
  torch::InferenceMode inference;
  return model.impl().forward(x);
}

torch::Tensor images(int n) { return torch::rand({n, 1, 28, 28}, torch::Generator(at::detail::createCPUGenerator(5))); }

// x = -1, 0.5, 2, 5 through threshold 2.
const torch::Tensor kX = torch::tensor({-1.0f, 0.5f, 2.0f, 5.0f});

void expect_modes(const std::function<torch::Tensor(ClipMode, const torch::Tensor&)>& run) {
  const torch::Tensor t = torch::tensor({2.0f});
  EXPECT_TRUE(torch::equal(run(ClipMode::relu, t), torch::tensor({0.0f, 0.5f, 2.0f, 5.0f})));
  EXPECT_TRUE(torch::equal(run(ClipMode::saturate, t), torch::tensor({0.0f, 0.5f, 2.0f, 2.0f})));
  EXPECT_TRUE(torch::equal(run(ClipMode::clip_to_zero, t), torch::tensor({0.0f, 0.5f, 2.0f, 0.0f})));
  // max(0, x - x sigmoid(20 (x - 2))): 0.5 passes (sigmoid(-30) ~ 1e-13), 2 is halved, 5 vanishes.
  const torch::Tensor smooth = run(ClipMode::smooth, t);
  EXPECT_FLOAT_EQ(smooth[0].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(smooth[1].item<float>(), 0.5f);
  EXPECT_FLOAT_EQ(smooth[2].item<float>(), 1.0f);
  EXPECT_NEAR(smooth[3].item<float>(), 0.0f, 1e-20);
  EXPECT_GE(smooth[3].item<float>(), 0.0f);
}

TEST(ClipActivation, ModesOnKnownValues) {
  expect_modes([](ClipMode mode, const torch::Tensor& t) {
    ClipActivation act;
    act->clip(mode, t, 20.0);
    return act(kX);
  });
}

TEST(ClipActivation, NeuronWiseThresholdsApplyPerElement) {
  ClipActivation act;
  act->clip(ClipMode::saturate, torch::tensor({1.0f, 1.0f, 1.0f, 4.0f}), 20.0);
  EXPECT_TRUE(torch::equal(act(kX.unsqueeze(0)), torch::tensor({{0.0f, 0.5f, 1.0f, 4.0f}})));
}

TEST(ClipActivation, SmoothGradientWithRespectToLambda) {
  // dy/dlambda = k x s (1 - s), s = sigmoid(k (x - lambda)): at x = lambda = 2, k = 20: 20 * 2 / 4 = 10;
  // at x = 2.1: 20 * 2.1 * s(2)(1 - s(2)).
  const torch::Tensor lambda = torch::tensor({2.0f}, torch::requires_grad());
  clip_forward(torch::tensor({2.0f}), ClipMode::smooth, lambda, 20.0).sum().backward();
  EXPECT_FLOAT_EQ(lambda.grad().item<float>(), 10.0f);
  lambda.mutable_grad().zero_();
  clip_forward(torch::tensor({2.1f}), ClipMode::smooth, lambda, 20.0).sum().backward();
  const double s = 1 / (1 + std::exp(-2.0));
  EXPECT_NEAR(lambda.grad().item<float>(), 20 * 2.1 * s * (1 - s), 1e-4);
  // Below zero the output is 0 whatever lambda is: no gradient.
  lambda.mutable_grad().zero_();
  clip_forward(torch::tensor({-1.0f}), ClipMode::smooth, lambda, 20.0).sum().backward();
  EXPECT_FLOAT_EQ(lambda.grad().item<float>(), 0.0f);
}

TEST(ClipActivation, TorchScriptLayerComputesTheSameModes) {
  Model model = Model::load(kFixture);
  make_clippable(model);
  std::vector<ClipSite> sites = clip_sites(model.impl());
  ASSERT_EQ(sites.size(), 1u);
  expect_modes([&](ClipMode mode, const torch::Tensor& t) {
    sites[0].clip(mode, t.clone(), 20.0);
    return sites[0].script->forward({kX}).toTensor();
  });
}

TEST(Replacement, ZooModelsHaveOneClippableLayerPerRelu) {
  const std::vector<std::pair<std::string, size_t>> expected = {
      {"lenet5", 4}, {"alexnet", 7}, {"vgg11", 8}, {"vgg16", 13}, {"resnet20", 19}};
  for (const auto& [arch, layers] : expected) {
    Model model = Model::create(arch, 1);
    const std::vector<ClipLayer> found = clip_layers(model);
    EXPECT_EQ(found.size(), layers) << arch;
    for (const ClipLayer& l : found) EXPECT_EQ(l.mode, ClipMode::relu) << l.name;
  }
  const std::vector<ClipLayer> resnet = clip_layers(Model::create("resnet20", 1));
  EXPECT_EQ(resnet[0].name, "stem.relu");
  EXPECT_EQ(resnet[1].name, "block1.relu1");
  EXPECT_EQ(resnet[18].name, "block9.relu2");
}

// Threshold counts: layer-wise one per layer, neuron-wise one per activation element, hybrid
// layer-wise with the last layer neuron-wise. VGG-16's match ProAct's 276,480 and 2,060.
TEST(Replacement, ThresholdCounts) {
  struct Counts {
    std::string arch;
    int64_t layer, neuron, hybrid;
  };
  const std::vector<Counts> expected = {{"lenet5", 4, 6 * 28 * 28 + 16 * 10 * 10 + 120 + 84, 3 + 84},
                                        {"vgg16", 13, 276480, 2060},
                                        {"resnet20", 19, 16 * 28 * 28 * 7 + 32 * 14 * 14 * 6 + 64 * 7 * 7 * 6, 18 + 64 * 7 * 7}};
  for (const Counts& c : expected) {
    Model model = Model::create(c.arch, 1);
    const auto shapes = activation_shapes(model);
    int64_t neuron = 0;
    for (const auto& s : shapes) neuron += std::accumulate(s.begin(), s.end(), int64_t(1), std::multiplies<>());
    const int64_t last = std::accumulate(shapes.back().begin(), shapes.back().end(), int64_t(1), std::multiplies<>());
    EXPECT_EQ(int64_t(shapes.size()), c.layer) << c.arch;
    EXPECT_EQ(neuron, c.neuron) << c.arch;
    EXPECT_EQ(int64_t(shapes.size()) - 1 + last, c.hybrid) << c.arch;
  }
}

TEST(Replacement, TorchScriptReluIsRewrittenIntoAClippableLayer) {
  Model model = Model::load(kFixture);
  const torch::Tensor x = images(4);
  const torch::Tensor before = logits(model, x);
  EXPECT_TRUE(clip_layers(model).empty());
  make_clippable(model);
  const std::vector<ClipLayer> layers = clip_layers(model);
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(layers[0].name, "npufi_clip0");
  EXPECT_EQ(activation_shapes(model), (std::vector<std::vector<int64_t>>{{4, 26, 26}}));
  // Unclipped, the rewritten module computes what the original did.
  EXPECT_TRUE(torch::equal(logits(model, x), before));

  // Clipped at a tiny threshold, every activation is 0.01 or 0: the logits are those of a near-zero input.
  apply_clipping(model, {{"npufi_clip0", ClipMode::saturate, {1}, {0.01f}}});
  EXPECT_FALSE(torch::allclose(logits(model, x), before));
  // The threshold is a parameter: a fault target, and saved with the TorchScript file.
  bool found = false;
  for (const Parameter& p : model.parameters()) found |= p.name == "npufi_clip0.threshold" && p.numel == 1;
  EXPECT_TRUE(found);
  const test::TempDir dir;
  model.save(dir.file("clipped.pt"));
  Model reloaded = Model::load(dir.file("clipped.pt"));
  EXPECT_TRUE(torch::equal(logits(reloaded, x), logits(model, x)));
  EXPECT_EQ(clip_layers(reloaded)[0].thresholds, std::vector<float>{0.01f});
  // Nothing left to replace.
  EXPECT_EQ(error_of([&] { make_clippable(reloaded); }),
            "the torchscript model has no ReLU left to replace: every activation layer is clipped already");
}

// A TorchScript module of another input shape loads (the data decide). Before it is checked against data,
// hardening probes Fashion-MNIST's 1x28x28 images and is refused in one line, LibTorch's trace cut off;
// after, it probes the data's shape.
TEST(BadInput, HardeningRefusesAModelOfAnotherInputShapeInOneLine) {
  torch::jit::Module module("ThreeChannels");
  module.define(R"(
def forward(self, x):
    return torch.relu(x).view(x.size(0), 3, -1).sum(2)
)");
  const test::TempDir dir;
  module.save(dir.file("rgb.pt"));
  Model model = Model::load(dir.file("rgb.pt"));
  make_clippable(model);
  const std::string message = error_of([&] { activation_shapes(model); });
  EXPECT_EQ(message.rfind("the torchscript model does not take 1x28x28 images, 10 classes: ", 0), 0u) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;

  ImageSet rgb;
  rgb.count = 1;
  rgb.channels = 3;
  rgb.rows = rgb.cols = 4;
  rgb.pixels.assign(rgb.image_size(), 0);
  rgb.labels = {2};
  rgb.classes = 3;
  rgb.origin = "rgb.npy";
  model.check_fits(rgb);
  EXPECT_EQ(model.shape(), (NetworkShape{3, 4, 4, 3}));
  EXPECT_EQ(activation_shapes(model), (std::vector<std::vector<int64_t>>{{3, 4, 4}}));
}

TEST(ModelFile, HardenedZooModelSavesAndReloadsIdentically) {
  Model model = Model::create("lenet5", 3);
  const auto shapes = activation_shapes(model);
  std::vector<ClipLayer> layers;
  for (size_t i = 0; i < shapes.size(); ++i) {
    ClipLayer l{clip_layers(model)[i].name, i % 2 ? ClipMode::smooth : ClipMode::clip_to_zero, shapes[i], {}};
    const int64_t n = std::accumulate(shapes[i].begin(), shapes[i].end(), int64_t(1), std::multiplies<>());
    for (int64_t j = 0; j < n; ++j) l.thresholds.push_back(0.05f + 0.001f * float(j % 97));
    layers.push_back(l);
  }
  apply_clipping(model, layers);
  const test::TempDir dir;
  model.save(dir.file("hardened.pt"));
  Model reloaded = Model::load(dir.file("hardened.pt"));
  const torch::Tensor x = images(8);
  EXPECT_TRUE(torch::equal(logits(reloaded, x), logits(model, x)));
  const std::vector<ClipLayer> back = clip_layers(reloaded);
  ASSERT_EQ(back.size(), layers.size());
  for (size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].mode, layers[i].mode);
    EXPECT_EQ(back[i].shape, layers[i].shape);
    EXPECT_EQ(back[i].thresholds, layers[i].thresholds);
  }
  // So does a clone, with its own threshold memory.
  Model copy = model.clone();
  EXPECT_TRUE(torch::equal(logits(copy, x), logits(model, x)));
  for (Parameter& p : copy.parameters()) {
    if (p.name == "conv1.relu.threshold") p.data[0] = 1e30f;
  }
  EXPECT_FALSE(torch::equal(logits(copy, x), logits(model, x)));
  EXPECT_TRUE(torch::equal(logits(reloaded, x), logits(model, x)));
}

TEST(BadInput, ThresholdsThatDoNotMatchTheModelChangeNothing) {
  Model model = Model::create("lenet5", 3);
  apply_clipping(model, {{"fc1.relu", ClipMode::saturate, {1}, {3.0f}}});
  const std::vector<ClipLayer> before = clip_layers(model);
  EXPECT_EQ(error_of([&] {
              apply_clipping(model, {{"fc2.relu", ClipMode::saturate, {1}, {1.0f}},
                                     {"fc1.relu", ClipMode::saturate, {84}, std::vector<float>(84, 1.0f)}});
            }),
            "model lenet5: thresholds of shape 84 for fc1.relu, whose activation has shape 120 (thresholds are 1 or 120)");
  EXPECT_EQ(error_of([&] { apply_clipping(model, {{"fc9.relu", ClipMode::saturate, {1}, {1.0f}}}); }),
            "model lenet5: thresholds for 'fc9.relu', which is not an activation layer of lenet5 (the first is "
            "'conv1.relu')");
  EXPECT_EQ(error_of([&] { apply_clipping(model, {{"fc2.relu", ClipMode::saturate, {84}, {1.0f}}}); }),
            "model lenet5: fc2.relu has 1 threshold values for shape 84");
  const std::vector<ClipLayer> after = clip_layers(model);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].mode, before[i].mode) << after[i].name;
    EXPECT_EQ(after[i].thresholds, before[i].thresholds) << after[i].name;
  }
}

// A model file whose recorded thresholds do not fit its architecture is refused on load.
TEST(BadInput, ModelFileWithThresholdsThatDoNotFit) {
  const test::TempDir dir;
  const auto write = [&](const std::string& name, const std::string& clip) {
    Model model = Model::create("lenet5", 3);
    torch::serialize::OutputArchive archive;
    archive.write("npufi_arch", c10::IValue(std::string("lenet5")));
    archive.write("npufi_clip", c10::IValue(clip));
    model.impl().zoo->save(archive);
    archive.save_to(dir.file(name));
    return dir.file(name);
  };
  const std::string wrong_shape = write("shape.pt", "fc1.relu saturate 20 84\n");
  EXPECT_EQ(error_of([&] { Model::load(wrong_shape); }),
            wrong_shape + ": thresholds of shape 84 for fc1.relu, whose activation has shape 120 (thresholds are 1 or 120)");
  const std::string wrong_layer = write("layer.pt", "block1.relu1 smooth 20 1\n");
  EXPECT_EQ(error_of([&] { Model::load(wrong_layer); }),
            wrong_layer + ": thresholds for 'block1.relu1', which is not an activation layer of lenet5 (the first is "
                          "'conv1.relu')");
  const std::string corrupt = write("corrupt.pt", "fc1.relu sideways 20 1\n");
  EXPECT_EQ(error_of([&] { Model::load(corrupt); }), corrupt + ": corrupt clipped-activation record 'fc1.relu sideways 20 1'");
}

TEST(BadInput, HardenedZooModelHasNoReluLeft) {
  Model model = Model::create("lenet5", 3);
  std::vector<ClipLayer> layers = clip_layers(model);
  for (ClipLayer& l : layers) l = {l.name, ClipMode::saturate, {1}, {5.0f}};
  apply_clipping(model, layers);
  EXPECT_EQ(error_of([&] { make_clippable(model); }),
            "the lenet5 model has no ReLU left to replace: every activation layer is clipped already");
}

// The NPU lowering takes layer-wise thresholds that are finite and >= 0 (tests/models/quantize_hardened_test.cpp
// has the lowering and the neuron-wise refusal); any other gets a one-line refusal naming the layer.
TEST(BadInput, BadThresholdsDoNotQuantize) {
  ImageSet calibration;
  calibration.count = 1;
  calibration.rows = calibration.cols = 28;
  calibration.pixels.assign(28 * 28, 100);
  calibration.labels = {0};
  for (const float threshold : {-1.0f, std::numeric_limits<float>::infinity()}) {
    Model model = Model::create("lenet5", 3);
    apply_clipping(model, {{"conv2.relu", ClipMode::saturate, {1}, {threshold}}});
    std::ostringstream value;
    value << threshold;
    EXPECT_EQ(error_of([&] { quantize(model, calibration); }),
              "cannot quantize lenet5: conv2.relu has the threshold " + value.str() + "; it must be finite and >= 0");
  }
}

TEST(Names, ParseAndPrint) {
  for (ClipMode m : {ClipMode::relu, ClipMode::saturate, ClipMode::clip_to_zero, ClipMode::smooth}) {
    EXPECT_EQ(parse_clip_mode(to_string(m)), m);
  }
  for (Granularity g : {Granularity::layer, Granularity::neuron, Granularity::hybrid}) {
    EXPECT_EQ(parse_granularity(to_string(g)), g);
  }
  EXPECT_FALSE(parse_clip_mode("clip"));
  EXPECT_FALSE(parse_granularity("channel"));
}

}  // namespace
}  // namespace npufi
