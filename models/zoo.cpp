#include "models/zoo.h"

#include <algorithm>

#include "models/hardening/clip_activation.h"
#include "models/model.h"
#include "models/residual_block.h"

namespace npufi {
namespace nn = torch::nn;

torch::Tensor Network::forward(torch::Tensor x, int first_stage) {
  for (int s = first_stage; s < stage_count(); ++s) x = forward_stage(x, s);
  return x;
}

int Network::stage_of(const std::string& parameter_name) const {
  const std::string stage = parameter_name.substr(0, parameter_name.find('.'));
  for (int s = 0; s < stage_count(); ++s) {
    if (names_[size_t(s)] == stage) return s;
  }
  throw std::logic_error("parameter " + parameter_name + " belongs to no stage");
}

namespace {

// He initialization (normal, fan-in, ReLU gain) as in the ResNet paper, zero biases: deep ReLU nets
// start learning at once instead of idling near the uniform guess.
template <typename Layer>
Layer he_init(Layer layer) {
  nn::init::kaiming_normal_(layer->weight, 0.0, torch::kFanIn, torch::kReLU);
  if (layer->bias.defined()) nn::init::zeros_(layer->bias);
  return layer;
}

nn::Conv2d conv(int in, int out, int kernel, int padding, int stride = 1, bool bias = true) {
  return he_init(nn::Conv2d(nn::Conv2dOptions(in, out, kernel).padding(padding).stride(stride).bias(bias)));
}

// A fully connected layer (weight [out, in], bias [out]) computed as a 1x1 convolution: Debian's LibTorch
// multiplies matrices with the reference BLAS, while its oneDNN convolution is about 10x faster.
class DenseImpl : public nn::Module {
 public:
  DenseImpl(int in, int out)
      : weight(register_parameter("weight", torch::empty({out, in}))),
        bias(register_parameter("bias", torch::empty({out}))) {}

  torch::Tensor forward(const torch::Tensor& x) {
    const int64_t out = weight.size(0);
    const int64_t in = weight.size(1);
    return torch::conv2d(x.reshape({x.size(0), in, 1, 1}), weight.view({out, in, 1, 1}), bias)
        .view({x.size(0), out});
  }

  torch::Tensor weight;
  torch::Tensor bias;
};
TORCH_MODULE(Dense);

Dense dense(int in, int out) { return he_init(Dense(in, out)); }

// 3x3 convolution without bias, for layers followed by batch norm.
nn::Conv2d conv3x3_bn(int in, int out, int stride = 1) { return conv(in, out, 3, 1, stride, false); }

}  // namespace

BasicBlockImpl::BasicBlockImpl(int in, int out, int stride)
    : conv1(register_module("conv1", conv3x3_bn(in, out, stride))),
      bn1(register_module("bn1", nn::BatchNorm2d(out))),
      relu1(register_module("relu1", ClipActivation())),
      conv2(register_module("conv2", conv3x3_bn(out, out))),
      bn2(register_module("bn2", nn::BatchNorm2d(out))),
      relu2(register_module("relu2", ClipActivation())) {
  if (stride != 1 || in != out) {
    shortcut = register_module(
        "shortcut", nn::Sequential({{"conv", conv(in, out, 1, 0, stride, false)}, {"bn", nn::BatchNorm2d(out)}}));
  }
}

torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor out = relu1(bn1(conv1(x)));
  out = bn2(conv2(out));
  return relu2(out + (shortcut ? shortcut->forward(x) : x));
}

namespace {

// A side of the feature map after the 2x2 max-pool: odd edges are dropped.
int pooled(int side) { return side / 2; }

// LeNet-5: 5x5 convolutions, the first padded (28 -> 28 -> 14 -> 10 -> 5).
std::shared_ptr<Network> lenet5(const NetworkShape& shape) {
  const auto after_conv2 = [](int side) { return pooled(pooled(side) - 4); };
  auto net = std::make_shared<Network>();
  net->add_stage("conv1", nn::Sequential({{"conv", conv(shape.channels, 6, 5, 2)}, {"relu", ClipActivation()}, {"pool", nn::MaxPool2d(2)}}));
  net->add_stage("conv2", nn::Sequential({{"conv", conv(6, 16, 5, 0)}, {"relu", ClipActivation()}, {"pool", nn::MaxPool2d(2)}}));
  const int features = 16 * after_conv2(shape.height) * after_conv2(shape.width);
  net->add_stage("fc1", nn::Sequential({{"flatten", nn::Flatten()}, {"fc", dense(features, 120)}, {"relu", ClipActivation()}}));
  net->add_stage("fc2", nn::Sequential({{"fc", dense(120, 84)}, {"relu", ClipActivation()}}));
  net->add_stage("fc3", nn::Sequential({{"fc", dense(84, shape.classes)}}));
  return net;
}

// A small AlexNet: five 3x3 convolutions (28 -> 14 -> 7 -> 3 after the pools), three dense layers.
std::shared_ptr<Network> alexnet(const NetworkShape& shape) {
  const auto after_pools = [](int side) { return pooled(pooled(pooled(side))); };
  auto net = std::make_shared<Network>();
  net->add_stage("conv1", nn::Sequential({{"conv", conv(shape.channels, 32, 3, 1)}, {"relu", ClipActivation()}, {"pool", nn::MaxPool2d(2)}}));
  net->add_stage("conv2", nn::Sequential({{"conv", conv(32, 64, 3, 1)}, {"relu", ClipActivation()}, {"pool", nn::MaxPool2d(2)}}));
  net->add_stage("conv3", nn::Sequential({{"conv", conv(64, 96, 3, 1)}, {"relu", ClipActivation()}}));
  net->add_stage("conv4", nn::Sequential({{"conv", conv(96, 96, 3, 1)}, {"relu", ClipActivation()}}));
  net->add_stage("conv5", nn::Sequential({{"conv", conv(96, 64, 3, 1)}, {"relu", ClipActivation()}, {"pool", nn::MaxPool2d(2)}}));
  net->add_stage("fc1", nn::Sequential({{"flatten", nn::Flatten()},
                                        {"dropout", nn::Dropout(0.5)},
                                        {"fc", dense(64 * after_pools(shape.height) * after_pools(shape.width), 256)},
                                        {"relu", ClipActivation()}}));
  net->add_stage("fc2", nn::Sequential({{"dropout", nn::Dropout(0.5)}, {"fc", dense(256, 256)}, {"relu", ClipActivation()}}));
  net->add_stage("fc3", nn::Sequential({{"fc", dense(256, shape.classes)}}));
  return net;
}

// The zero padding that centres `side` in the next multiple of 32: {before, after}.
std::pair<int, int> padding_to_32(int side) {
  const int total = (32 - side % 32) % 32;
  return {total / 2, total - total / 2};
}

// CIFAR-style VGG with batch norm, on images zero-padded to a multiple of 32 (28x28 to 32x32). `widths`
// lists the convolutions; 0 marks a 2x2 max-pool, which joins the stage of the convolution before it.
std::shared_ptr<Network> vgg(const std::vector<int>& widths, const NetworkShape& shape) {
  const auto [top, bottom] = padding_to_32(shape.height);
  const auto [left, right] = padding_to_32(shape.width);
  const int pools = int(std::count(widths.begin(), widths.end(), 0));
  const int features_per_channel = ((shape.height + top + bottom) >> pools) * ((shape.width + left + right) >> pools);
  auto net = std::make_shared<Network>();
  int in = shape.channels;
  int index = 0;
  for (size_t i = 0; i < widths.size(); ++i) {
    if (widths[i] == 0) continue;
    nn::Sequential stage;
    if (index == 0 && top + bottom + left + right > 0)
      stage->push_back("pad", nn::ZeroPad2d(nn::ZeroPad2dOptions({left, right, top, bottom})));
    stage->push_back("conv", conv3x3_bn(in, widths[i]));
    stage->push_back("bn", nn::BatchNorm2d(widths[i]));
    stage->push_back("relu", ClipActivation());
    if (i + 1 < widths.size() && widths[i + 1] == 0) stage->push_back("pool", nn::MaxPool2d(2));
    net->add_stage("conv" + std::to_string(++index), stage);
    in = widths[i];
  }
  net->add_stage("fc", nn::Sequential({{"flatten", nn::Flatten()}, {"fc", dense(in * features_per_channel, shape.classes)}}));
  return net;
}

std::shared_ptr<Network> resnet20(const NetworkShape& shape) {
  auto net = std::make_shared<Network>();
  net->add_stage("stem", nn::Sequential({{"conv", conv3x3_bn(shape.channels, 16)}, {"bn", nn::BatchNorm2d(16)}, {"relu", ClipActivation()}}));
  int in = 16;
  int index = 0;
  for (int width : {16, 32, 64}) {
    for (int b = 0; b < 3; ++b) {
      const int stride = (b == 0 && width != 16) ? 2 : 1;
      net->add_stage("block" + std::to_string(++index), BasicBlock(in, width, stride));
      in = width;
    }
  }
  net->add_stage("head", nn::Sequential({{"pool", nn::AdaptiveAvgPool2d(1)},
                                         {"flatten", nn::Flatten()},
                                         {"fc", dense(64, shape.classes)}}));
  return net;
}

struct ZooEntry {
  const char* name;
  std::shared_ptr<Network> (*make)(const NetworkShape&);
  double learning_rate;
  int smallest_side;  // images below it vanish in the pools
};

const std::vector<ZooEntry>& zoo() {
  static const std::vector<ZooEntry> entries = {
      {"lenet5", lenet5, 0.02, 12},
      {"alexnet", alexnet, 0.01, 8},
      {"vgg11", [](const NetworkShape& s) { return vgg({64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0}, s); }, 0.02, 1},
      {"vgg16", [](const NetworkShape& s) { return vgg({64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0}, s); }, 0.02, 1},
      {"resnet20", resnet20, 0.05, 1},
  };
  return entries;
}

const ZooEntry& entry(const std::string& arch) {
  for (const ZooEntry& e : zoo()) {
    if (arch == e.name) return e;
  }
  std::string known;
  for (const ZooEntry& e : zoo()) known += (known.empty() ? "" : ", ") + std::string(e.name);
  throw ModelError("unknown architecture '" + arch + "' (known: " + known + ")");
}

}  // namespace

std::shared_ptr<Network> make_network(const std::string& arch, const NetworkShape& shape) {
  const ZooEntry& e = entry(arch);
  if (shape.height < e.smallest_side || shape.width < e.smallest_side)
    throw ModelError(arch + " takes images of at least " + std::to_string(e.smallest_side) + "x" +
                     std::to_string(e.smallest_side) + " pixels, not " + std::to_string(shape.height) + "x" +
                     std::to_string(shape.width));
  return e.make(shape);
}

double default_learning_rate(const std::string& arch) { return entry(arch).learning_rate; }

std::vector<std::string> zoo_architectures() {
  std::vector<std::string> names;
  for (const ZooEntry& e : zoo()) names.emplace_back(e.name);
  return names;
}

}  // namespace npufi
