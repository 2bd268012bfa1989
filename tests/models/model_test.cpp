// Model tests look at logits, so this file uses the private model_impl.h.
#include "models/model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <numeric>

#include "models/dataset.h"
#include "models/model_impl.h"
#include "tests/models/test_util.h"

namespace npufi {
namespace {

const std::string kFixture = std::string(NPUFI_TEST_DATA_DIR) + "/tiny_torchscript.pt";

// The first n test images as a [n,1,28,28] float batch in [0, 1].
torch::Tensor images(int n) {
  const ImageSet test = load_fashion_mnist(Split::test).slice(0, n);
  return torch::tensor(test.pixels, torch::kUInt8).reshape({n, 1, 28, 28}).to(torch::kFloat).div_(255);
}

// A 1x1x28x28 ramp from 0 to 1, the input make_torchscript_fixture.py checks.
torch::Tensor gradient() { return torch::arange(784, torch::kFloat).reshape({1, 1, 28, 28}) / 783; }

torch::Tensor logits(Model& model, const torch::Tensor& input) {
  torch::InferenceMode inference;
  return model.impl().forward(input);
}

// The fixture's conv3x3 (4 channels) -> relu -> 2x2 max-pool -> fc(676 -> 10) on one 28x28 image, in
// double precision from its parameters; and a bound on a float computation's error: 1e-5 of the largest
// sum of absolute terms of a logit.
std::pair<std::vector<double>, double> tiny_cnn_logits(const std::vector<Parameter>& p, const torch::Tensor& image) {
  const torch::Tensor pixels = image.reshape({784}).contiguous();
  const float* x = pixels.data_ptr<float>();
  const float *conv_w = p[0].data, *conv_b = p[1].data, *fc_w = p[2].data, *fc_b = p[3].data;
  std::vector<double> pooled(4 * 13 * 13, 0.0);  // relu outputs are >= 0, so 0 starts every max
  for (int c = 0; c < 4; ++c)
    for (int y = 0; y < 26; ++y)
      for (int xx = 0; xx < 26; ++xx) {
        double sum = conv_b[c];
        for (int ky = 0; ky < 3; ++ky)
          for (int kx = 0; kx < 3; ++kx) sum += double(conv_w[c * 9 + ky * 3 + kx]) * x[(y + ky) * 28 + xx + kx];
        double& cell = pooled[size_t(c * 169 + (y / 2) * 13 + xx / 2)];
        cell = std::max(cell, sum);
      }
  std::vector<double> out(10);
  double magnitude = 0;
  for (int o = 0; o < 10; ++o) {
    double sum = fc_b[o], absolute = std::abs(fc_b[o]);
    for (int i = 0; i < 676; ++i) {
      sum += double(fc_w[o * 676 + i]) * pooled[size_t(i)];
      absolute += std::abs(double(fc_w[o * 676 + i]) * pooled[size_t(i)]);
    }
    out[size_t(o)] = sum;
    magnitude = std::max(magnitude, absolute);
  }
  return {out, 1e-5 * magnitude};
}

bool identical(const torch::Tensor& a, const torch::Tensor& b) {
  return a.sizes() == b.sizes() && a.dtype() == b.dtype() &&
         std::memcmp(a.data_ptr(), b.data_ptr(), a.nbytes()) == 0;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(no ModelError)";
}

int64_t total_numel(Model& model) {
  int64_t total = 0;
  for (const Parameter& p : model.parameters()) total += p.numel;
  return total;
}

TEST(Model, ZooListsFiveArchitectures) {
  EXPECT_EQ(zoo_architectures(), (std::vector<std::string>{"lenet5", "alexnet", "vgg11", "vgg16", "resnet20"}));
  EXPECT_EQ(error_of([] { Model::create("lenet6", 1); }),
            "unknown architecture 'lenet6' (known: lenet5, alexnet, vgg11, vgg16, resnet20)");
}

TEST(Model, EveryArchitectureMapsImagesToTenLogits) {
  const std::map<std::string, int> stages = {
      {"lenet5", 5}, {"alexnet", 8}, {"vgg11", 9}, {"vgg16", 14}, {"resnet20", 11}};
  const torch::Tensor input = images(3);
  for (const std::string& arch : zoo_architectures()) {
    SCOPED_TRACE(arch);
    Model model = Model::create(arch, 1);
    EXPECT_EQ(model.arch(), arch);
    EXPECT_EQ(model.stage_count(), stages.at(arch));
    const torch::Tensor out = logits(model, input);
    EXPECT_EQ(out.sizes(), (torch::IntArrayRef{3, 10}));
    EXPECT_TRUE(out.isfinite().all().item<bool>());

    // Parameters cover every stage in order, as live contiguous fp32 memory.
    const std::vector<Parameter> params = model.parameters();
    ASSERT_FALSE(params.empty());
    EXPECT_EQ(params.front().stage, 0);
    EXPECT_EQ(params.back().stage, model.stage_count() - 1);
    for (size_t i = 1; i < params.size(); ++i) {
      EXPECT_TRUE(params[i].stage == params[i - 1].stage || params[i].stage == params[i - 1].stage + 1)
          << params[i].name;
    }
    for (const Parameter& p : params) {
      EXPECT_EQ(p.numel, std::accumulate(p.shape.begin(), p.shape.end(), int64_t{1}, std::multiplies<>()));
      EXPECT_NE(p.data, nullptr);
    }
  }
}

// Zoo networks built for another data set: three-channel 20x24 images of 4 classes. The shape survives
// save, load and clone; data of another shape and images too small for the pools are refused in one line.
TEST(Model, EveryArchitectureTakesTheShapeOfItsData) {
  const NetworkShape shape{3, 20, 24, 4};
  const test::TempDir dir;
  for (const std::string& arch : zoo_architectures()) {
    SCOPED_TRACE(arch);
    Model model = Model::create(arch, 1, shape);
    EXPECT_EQ(model.shape(), shape);
    const torch::Tensor input = torch::rand({2, 3, 20, 24});
    EXPECT_EQ(logits(model, input).sizes(), (torch::IntArrayRef{2, 4}));
    model.save(dir.file(arch + ".npufi"));
    Model loaded = Model::load(dir.file(arch + ".npufi"));
    EXPECT_EQ(loaded.shape(), shape);
    EXPECT_TRUE(identical(logits(loaded, input), logits(model, input)));
    EXPECT_EQ(loaded.clone().shape(), shape);

    ImageSet fashion = load_fashion_mnist(Split::test).slice(0, 2);
    fashion.origin = "t10k-images-idx3-ubyte.gz";
    EXPECT_EQ(error_of([&] { model.check_fits(fashion); }),
              "the " + arch + " model is built for 3x20x24 images, 4 classes, and the images of "
              "t10k-images-idx3-ubyte.gz are 1x28x28");
  }
  EXPECT_EQ(error_of([] { Model::create("lenet5", 1, {1, 11, 40, 10}); }),
            "lenet5 takes images of at least 12x12 pixels, not 11x40");
  EXPECT_EQ(Model::create("lenet5", 1).shape(), (NetworkShape{1, 28, 28, 10}));
}

TEST(Model, Lenet5HasTheClassicLayers) {
  Model model = Model::create("lenet5", 1);
  const std::vector<Parameter> params = model.parameters();
  std::vector<std::string> names;
  for (const Parameter& p : params) names.push_back(p.name + "@" + std::to_string(p.stage));
  EXPECT_EQ(names, (std::vector<std::string>{"conv1.conv.weight@0", "conv1.conv.bias@0", "conv2.conv.weight@1",
                                             "conv2.conv.bias@1", "fc1.fc.weight@2", "fc1.fc.bias@2",
                                             "fc2.fc.weight@3", "fc2.fc.bias@3", "fc3.fc.weight@4",
                                             "fc3.fc.bias@4"}));
  EXPECT_EQ(params[0].shape, (std::vector<int64_t>{6, 1, 5, 5}));
  EXPECT_EQ(params[4].shape, (std::vector<int64_t>{120, 400}));
  EXPECT_EQ(total_numel(model), 61706);
}

TEST(Model, Resnet20HasCifarShape) {
  Model model = Model::create("resnet20", 1);
  // 269,722 parameters of the CIFAR original, minus 288 for one input channel, plus 2,752 for the two
  // 1x1 conv+BN projection shortcuts.
  EXPECT_EQ(total_numel(model), 269722 - 288 + 2752);
  std::map<std::string, int> stage_of;
  for (const Parameter& p : model.parameters()) stage_of[p.name] = p.stage;
  EXPECT_EQ(stage_of.at("stem.conv.weight"), 0);
  EXPECT_EQ(stage_of.at("stem.bn.weight"), 0);
  EXPECT_EQ(stage_of.at("block4.shortcut.conv.weight"), 4);
  EXPECT_EQ(stage_of.at("block9.bn2.bias"), 9);
  EXPECT_EQ(stage_of.at("head.fc.weight"), 10);
  EXPECT_EQ(stage_of.count("stem.bn.running_mean"), 0u);  // buffers are not parameters
}

TEST(Model, SeedDeterminesWeights) {
  Model a = Model::create("lenet5", 3);
  Model b = Model::create("lenet5", 3);
  Model c = Model::create("lenet5", 4);
  const torch::Tensor input = images(4);
  EXPECT_TRUE(identical(logits(a, input), logits(b, input)));
  EXPECT_FALSE(identical(logits(a, input), logits(c, input)));
}

TEST(Model, ParameterPointersAreTheLiveWeights) {
  Model model = Model::create("resnet20", 1);
  const torch::Tensor input = images(4);
  const torch::Tensor golden = logits(model, input);
  std::vector<Parameter> params = model.parameters();
  EXPECT_EQ(params.front().data, model.parameters().front().data);  // stable
  for (const Parameter& p : {params.front(), params[params.size() / 2], params.back()}) {
    SCOPED_TRACE(p.name);
    const float saved = p.data[0];
    p.data[0] = 1e4f;
    EXPECT_FALSE(identical(logits(model, input), golden));
    p.data[0] = saved;
    EXPECT_TRUE(identical(logits(model, input), golden));
  }
}

TEST(Model, SaveLoadRoundTripIsBitIdentical) {
  test::TempDir dir;
  for (const std::string arch : {"lenet5", "resnet20"}) {
    SCOPED_TRACE(arch);
    Model model = Model::create(arch, 5);
    {  // move batch-norm running statistics away from their initial values
      torch::NoGradGuard no_grad;
      model.impl().set_training(true);
      model.impl().forward(images(8));
      model.impl().set_training(false);
    }
    const std::string path = dir.file(arch + ".npufi");
    model.save(path);
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    Model loaded = Model::load(path);
    EXPECT_EQ(loaded.arch(), arch);
    EXPECT_EQ(loaded.stage_count(), model.stage_count());
    const torch::Tensor input = images(4);
    EXPECT_TRUE(identical(logits(loaded, input), logits(model, input)));
    const auto buffers = model.impl().zoo->named_buffers();
    const auto loaded_buffers = loaded.impl().zoo->named_buffers();
    ASSERT_EQ(buffers.size(), loaded_buffers.size());
    for (size_t i = 0; i < buffers.size(); ++i) EXPECT_TRUE(identical(buffers[i].value(), loaded_buffers[i].value()));
    const std::vector<Parameter> a = model.parameters();
    const std::vector<Parameter> b = loaded.parameters();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].name, b[i].name);
      EXPECT_EQ(a[i].stage, b[i].stage);
      EXPECT_EQ(std::memcmp(a[i].data, b[i].data, size_t(a[i].numel) * sizeof(float)), 0) << a[i].name;
    }
  }
}

TEST(Model, CloneIsIndependent) {
  Model model = Model::create("resnet20", 2);
  const torch::Tensor input = images(4);
  const torch::Tensor golden = logits(model, input);
  Model copy = model.clone();
  EXPECT_EQ(copy.arch(), "resnet20");
  EXPECT_TRUE(identical(logits(copy, input), golden));
  Parameter weight = copy.parameters()[0];
  EXPECT_NE(weight.data, model.parameters()[0].data);
  weight.data[0] = 1e4f;
  EXPECT_FALSE(identical(logits(copy, input), golden));
  EXPECT_TRUE(identical(logits(model, input), golden));
}

// A model file with one byte changed, or cut short, is refused before LibTorch parses it (LibTorch does
// not check the CRC-32 of the zip entries, and a corrupt code entry can crash its TorchScript parser).
TEST(Model, CorruptOrTruncatedFilesAreRefused) {
  test::TempDir dir;
  const std::string good = dir.file("good.pt");
  Model::create("lenet5", 1).save(good);
  std::ifstream in(good, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x10;  // inside the largest tensor, fc1's weights
  const std::string corrupt = dir.file("corrupt.pt");
  std::ofstream(corrupt, std::ios::binary) << flipped;
  const std::string corrupt_error = error_of([&] { Model::load(corrupt); });
  EXPECT_TRUE(corrupt_error.starts_with(corrupt + " is not a model file (npufi model or TorchScript): entry "))
      << corrupt_error;
  EXPECT_TRUE(corrupt_error.ends_with(" fails its CRC-32 check (corrupt)")) << corrupt_error;
  const std::string truncated = dir.file("truncated.pt");
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() - 100);
  EXPECT_NE(error_of([&] { Model::load(truncated); }).find(": truncated"), std::string::npos);
  EXPECT_EQ(Model::load(good).arch(), "lenet5");
}

TEST(Model, LoadErrorsAreOneLine) {
  test::TempDir dir;
  const std::string missing = dir.file("missing.pt");
  EXPECT_EQ(error_of([&] { Model::load(missing); }), "model file " + missing + " does not exist");

  const std::string garbage = dir.file("garbage.pt");
  constexpr char kGarbage[] = "\x50\x4b\x03\x04\x00\xff garbage\n";  // a zip signature, then nonsense
  std::ofstream(garbage, std::ios::binary) << std::string(kGarbage, sizeof kGarbage - 1);
  const std::string text = dir.file("notes.txt");
  std::ofstream(text) << "not a model\nsecond line\n";
  for (const std::string& path : {garbage, text}) {
    const std::string message = error_of([&] { Model::load(path); });
    EXPECT_TRUE(message.starts_with(path + " is not a model file (npufi model or TorchScript): ")) << message;
    EXPECT_GT(message.size(), (path + " is not a model file (npufi model or TorchScript): ").size());
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }

  // A LibTorch archive that is neither ours nor a module with forward.
  const std::string archive_path = dir.file("tensor.pt");
  torch::serialize::OutputArchive archive;
  archive.write("weights", torch::ones({3}));
  archive.save_to(archive_path);
  EXPECT_EQ(error_of([&] { Model::load(archive_path); }),
            archive_path + " is not a model file (npufi model or TorchScript): it has no forward method");

  // Our format with an architecture we do not know.
  const std::string unknown = dir.file("unknown.npufi");
  torch::serialize::OutputArchive ours;
  ours.write("npufi_arch", c10::IValue(std::string("lenet6")));
  ours.save_to(unknown);
  EXPECT_EQ(error_of([&] { Model::load(unknown); }), unknown + ": unknown architecture 'lenet6'");

  // Our format with a tensor of the wrong shape.
  const std::string reshaped = dir.file("reshaped.npufi");
  Model model = Model::create("lenet5", 1);
  model.impl().zoo->named_parameters()["fc3.fc.weight"].set_data(torch::zeros({10, 85}));
  model.save(reshaped);
  EXPECT_EQ(error_of([&] { Model::load(reshaped); }),
            reshaped + ": parameter fc3.fc.weight is not the contiguous fp32 10x84 tensor of lenet5");
  // Another architecture's tensors.
  const std::string renamed = dir.file("renamed.npufi");
  torch::serialize::OutputArchive mislabeled;
  mislabeled.write("npufi_arch", c10::IValue(std::string("alexnet")));
  Model::create("lenet5", 1).impl().zoo->save(mislabeled);
  mislabeled.save_to(renamed);
  EXPECT_EQ(error_of([&] { Model::load(renamed); }),
            renamed + ": does not hold the tensors of alexnet: No such serialized submodule: 'conv3'");
}

TEST(Model, SaveErrorsAreOneLine) {
  Model model = Model::create("lenet5", 1);
  const std::string message = error_of([&] { model.save("/nonexistent/dir/model.npufi"); });
  EXPECT_TRUE(message.starts_with("cannot write model file /nonexistent/dir/model.npufi: ")) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(Model, TorchScriptFixtureComputesItsNetwork) {
  Model model = Model::load(kFixture);
  EXPECT_EQ(model.arch(), "torchscript");
  const std::vector<Parameter> params = model.parameters();
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(params[0].name, "conv.weight");
  EXPECT_EQ(params[0].shape, (std::vector<int64_t>{4, 1, 3, 3}));
  EXPECT_EQ(params[3].name, "fc.bias");

  // The fixture's network (make_torchscript_fixture.py) computed from its parameters in double precision,
  // independently of LibTorch's kernels, which round differently on different CPUs.
  const auto [reference, tolerance] = tiny_cnn_logits(params, gradient());
  const torch::Tensor expected = torch::tensor(reference, torch::kFloat);
  const torch::Tensor out = logits(model, gradient());
  ASSERT_EQ(out.sizes(), (torch::IntArrayRef{1, 10}));
  EXPECT_TRUE(torch::allclose(out[0], expected, 0, tolerance)) << out << "\nreference " << expected;
  EXPECT_EQ(logits(model, images(5)).sizes(), (torch::IntArrayRef{5, 10}));

  // Faults reach the module through parameters(); clones do not share them.
  Model copy = model.clone();
  const float saved = params[3].data[0];
  params[3].data[0] = 100.0f;
  EXPECT_FALSE(torch::allclose(logits(model, gradient())[0], expected, 0, tolerance));
  EXPECT_TRUE(torch::allclose(logits(copy, gradient())[0], expected, 0, tolerance));
  params[3].data[0] = saved;
  EXPECT_TRUE(torch::allclose(logits(model, gradient())[0], expected, 0, tolerance));

  // Saved, it is a TorchScript file again.
  const test::TempDir dir;
  model.save(dir.file("copy.pt"));
  Model reloaded = Model::load(dir.file("copy.pt"));
  EXPECT_EQ(reloaded.arch(), "torchscript");
  EXPECT_TRUE(torch::equal(logits(reloaded, gradient()), logits(model, gradient())));
}

}  // namespace
}  // namespace npufi
