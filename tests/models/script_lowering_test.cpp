// TorchScript modules quantized for the NPU (models/script_lowering.h): what each operation lowers to,
// PyTorch-trained networks on their normalized data against their fp32 accuracy, and the refusals.
#include <gtest/gtest.h>
#include <torch/script.h>

#include <algorithm>

#include "models/data_source.h"
#include "models/evaluator.h"
#include "models/hardening/clip.h"
#include "models/quantize.h"
#include "rtl/reference/int8_reference.h"
#include "rtl/reference/reference_eval.h"
#include "tests/models/test_util.h"

namespace npufi {
namespace {

const std::string kData = NPUFI_TEST_DATA_DIR;

std::string error_of(Model& model, const ImageSet& images) {
  try {
    quantize(model, images);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

std::string kinds(const QuantizedNetwork& net) {
  std::string text;
  for (const QuantizedLayer& l : net.layers) {
    text += (text.empty() ? "" : " ") + l.name + ":";
    const char* const names[] = {"conv", "fc", "pool", "avg", "add"};
    text += names[int(l.kind)];
    if (l.activation == Activation::relu) text += "+relu";
    const int sides[] = {l.output.channels, l.output.height, l.output.width};
    for (int d = 0; d < 3; ++d) text.append(d ? "x" : "(").append(std::to_string(sides[d]));
    text += ")";
  }
  return text;
}

// The scripted tiny fixture: conv3x3 + relu, 2x2 max-pool, flatten, linear; on Fashion-MNIST as v / 255.
TEST(ScriptLowering, TinyFixtureLowersToConvPoolDense) {
  Model model = Model::load(kData + "/tiny_torchscript.pt");
  const ImageSet train = load_fashion_mnist(Split::train).slice(0, 200);
  const QuantizedNetwork net = quantize(model, train);
  EXPECT_EQ(kinds(net), "conv:conv+relu(4x26x26) pool:pool(4x13x13) fc:fc(10x1x1)");
  EXPECT_TRUE(net.pixel_input);
  EXPECT_DOUBLE_EQ(net.input_scale, 1.0 / 127);
}

// LeNet-5 trained by PyTorch on normalized Fashion-MNIST and exported by torch.jit.trace: the NPU's int8
// network, with the input quantized after the normalization, stays within a point of fp32.
TEST(ScriptLowering, TracedPytorchLenetOnNormalizedDataKeepsItsAccuracy) {
  set_compute_threads(2);
  const DataSource source = load_data_source(kData + "/fashion_normalized.toml");
  const ImageSet test = load_images(source, Split::test);
  Model model = Model::load(kData + "/pytorch_lenet.pt");
  model.check_fits(test);
  const QuantizedNetwork net = quantize(model, load_images(source, Split::train).slice(0, 1000));
  EXPECT_EQ(kinds(net), "conv1:conv+relu(6x28x28) forward:pool(6x14x14) conv2:conv+relu(16x10x10) "
                        "forward:pool(16x5x5) fc1:fc+relu(120x1x1) fc2:fc+relu(84x1x1) fc3:fc(10x1x1)");
  EXPECT_FALSE(net.pixel_input);
  // The largest normalized value is white: (1 - 0.2860) / 0.3530.
  EXPECT_NEAR(net.input_scale, (1 - 0.2860) / 0.3530 / 127, 1e-6);
  const double fp32 = Evaluator(test).run(model).accuracy();
  const double int8 = run_reference(net, test, 2).accuracy();
  EXPECT_GT(fp32, 0.8);
  EXPECT_NEAR(int8, fp32, 0.01) << "fp32 " << fp32 << ", int8 " << int8;
}

// A hardened TorchScript module: its clipped activations become the NPU's clip activations.
TEST(ScriptLowering, HardenedActivationsBecomeClipActivations) {
  Model model = Model::load(kData + "/tiny_torchscript.pt");
  make_clippable(model);
  std::vector<ClipLayer> layers = clip_layers(model);
  ASSERT_EQ(layers.size(), 1u);
  layers[0].mode = ClipMode::saturate;
  layers[0].shape = {1};
  layers[0].thresholds = {0.5f};
  apply_clipping(model, layers);
  const QuantizedNetwork net = quantize(model, load_fashion_mnist(Split::train).slice(0, 50));
  ASSERT_EQ(net.layers.size(), 3u);
  EXPECT_EQ(net.layers[0].activation, Activation::clip_saturate);
  EXPECT_EQ(net.layers[0].clip_threshold, 127);
  EXPECT_DOUBLE_EQ(net.layers[0].output_scale, 0.5 / 127);
}

// The scripted PyTorch ResNet (batch norm, residual adds, a 1x1 projection shortcut, adaptive average
// pooling) on its normalized data: a graph of int8 layers, within a point of fp32.
TEST(ScriptLowering, ScriptedPytorchResnetLowersToAGraphAndKeepsItsAccuracy) {
  set_compute_threads(2);
  const DataSource source = load_data_source(kData + "/fashion_normalized.toml");
  const ImageSet test = load_images(source, Split::test).slice(0, 2000);
  Model model = Model::load(kData + "/pytorch_resnet.pt");
  const QuantizedNetwork net = quantize(model, load_images(source, Split::train).slice(0, 1000));
  EXPECT_EQ(kinds(net), "conv1:conv+relu(8x28x28) layer1.conv1:conv+relu(8x28x28) layer1.conv2:conv(8x28x28) "
                        "layer1:add+relu(8x28x28) layer2.conv1:conv+relu(16x14x14) layer2.conv2:conv(16x14x14) "
                        "layer2.shortcut.0:conv(16x14x14) layer2:add+relu(16x14x14) pool:avg(16x1x1) fc:fc(10x1x1)");
  // The adds read the block's last convolution and its shortcut: the block input, or the projection.
  EXPECT_EQ(net.layers[3].inputs, (std::vector<int>{2, 0}));
  EXPECT_EQ(net.layers[6].inputs, (std::vector<int>{3}));
  EXPECT_EQ(net.layers[7].inputs, (std::vector<int>{5, 6}));
  // The adds and the average pool compute, in int8, the real sum and mean of their dequantized inputs
  // to within one output step (the rounding of the output, and the rescale of each input).
  for (int image = 0; image < 5; ++image) {
    const std::vector<int8_t> input = quantized_image(net, test, image);
    const auto outputs = run_network(net, input);
    for (size_t l = 0; l < net.layers.size(); ++l) {
      const QuantizedLayer& layer = net.layers[l];
      if (layer.kind != LayerKind::add && layer.kind != LayerKind::avg_pool) continue;
      const auto real = [&](int source, size_t i) { return outputs[size_t(source)][i] * net.layers[size_t(source)].output_scale; };
      const int64_t plane = int64_t(layer.input.height) * layer.input.width;
      for (size_t i = 0; i < outputs[l].size(); ++i) {
        double value = 0;
        if (layer.kind == LayerKind::add) {
          value = std::max(0.0, real(layer.inputs[0], i) + real(layer.inputs[1], i));  // the fused ReLU
        } else {
          for (int64_t j = 0; j < plane; ++j) value += real(int(l) - 1, size_t(int64_t(i) * plane + j)) / double(plane);
        }
        const double code = std::clamp(value / layer.output_scale, -128.0, 127.0);
        EXPECT_NEAR(outputs[l][i], code, 1.0) << layer.name << " element " << i << " of image " << image;
      }
    }
  }
  const double fp32 = Evaluator(test).run(model).accuracy();
  const double int8 = run_reference(net, test, 2).accuracy();
  EXPECT_GT(fp32, 0.6);
  // This briefly trained network is sensitive: int8 scored 0.7135 on all 10,000 test images against
  // 0.6936 in fp32, with the same class for 96% of them.
  EXPECT_NEAR(int8, fp32, 0.03) << "fp32 " << fp32 << ", int8 " << int8;
}

// An operation the NPU cannot run, and graphs it cannot run: a value used both before and after the
// activation fused into its layer, and a constant added to the image.
TEST(ScriptLowering, UnsupportedOperationsAndGraphsAreRefusedInOneLine) {
  const ImageSet images = load_fashion_mnist(Split::train).slice(0, 2);
  torch::jit::Module module("Sigmoid");
  module.register_parameter("w", torch::ones({2, 1, 3, 3}), false);
  module.define(R"(
def forward(self, x):
    y = torch.conv2d(x, self.w)
    return torch.sigmoid(y).flatten(1)
)");
  const test::TempDir dir;
  module.save(dir.file("sigmoid.pt"));
  Model sigmoid = Model::load(dir.file("sigmoid.pt"));
  EXPECT_EQ(error_of(sigmoid, images),
            "cannot quantize the torchscript model: forward (aten::sigmoid at `torch.sigmoid`) "
            "is an operation the NPU cannot run");

  const auto refusal = [&](const std::string& name, const std::string& forward) {
    torch::jit::Module m(name);
    m.register_parameter("w", torch::ones({2, 1, 3, 3}), false);
    m.register_parameter("v", torch::ones({10, 1352}), false);
    m.define(forward);
    m.save(dir.file(name + ".pt"));
    Model model = Model::load(dir.file(name + ".pt"));
    return error_of(model, images);
  };
  const std::string reuse = refusal("Reuse", R"(
def forward(self, x):
    y = torch.conv2d(x, self.w)
    z = torch.relu(y)
    return torch.linear((y + z).flatten(1), self.v)
)");
  EXPECT_EQ(reuse, "cannot quantize the torchscript model: forward (aten::add at `torch.add`) uses a value from before "
                   "the batch norm or activation that the NPU fuses into its layer");
  const std::string constant = refusal("Constant", R"(
def forward(self, x):
    y = torch.conv2d(x, self.w) + 1.0
    return torch.linear(y.flatten(1), self.v)
)");
  EXPECT_NE(constant.find("adds a constant to the image"), std::string::npos) << constant;
  for (const std::string& message : {reuse, constant, error_of(sigmoid, images)})
    EXPECT_EQ(message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace npufi
