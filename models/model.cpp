#include "models/model.h"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <sstream>

#include "models/hardening/clip_activation.h"
#include "models/model_impl.h"
#include "models/torch_message.h"
#include "models/zip_integrity.h"

namespace npufi {
namespace {

const char* const kArchKey = "npufi_arch";  // the attribute that marks an npufi model file
const char* const kClipKey = "npufi_clip";  // the clipped activation layers (clip_description), if any
const char* const kShapeKey = "npufi_shape";  // "C H W K"; files without it are Fashion-MNIST's 1x28x28, 10

ModelError not_a_model(const std::string& path, const std::string& reason) {
  return ModelError(path + " is not a model file (npufi model or TorchScript): " + reason);
}

std::string shape_text(torch::IntArrayRef sizes) {
  std::string text;
  for (int64_t s : sizes) text += (text.empty() ? "" : "x") + std::to_string(s);
  return text;
}

std::string shape_record(const NetworkShape& s) {
  return std::to_string(s.channels) + " " + std::to_string(s.height) + " " + std::to_string(s.width) + " " +
         std::to_string(s.classes);
}

NetworkShape parse_shape(const std::string& path, const std::string& record) {
  NetworkShape s;
  std::istringstream in(record);
  if (!(in >> s.channels >> s.height >> s.width >> s.classes) || !(in >> std::ws).eof() || s.channels < 1 ||
      s.height < 1 || s.width < 1 || s.classes < 1)
    throw ModelError(path + ": " + kShapeKey + " is '" + record + "', not 'channels height width classes'");
  return s;
}

// Reads a zoo network written by Model::save; checks that every tensor has the shape and type the
// architecture defines.
std::unique_ptr<Model::Impl> load_zoo(const std::string& path, const std::string& arch,
                                      torch::serialize::InputArchive& archive) {
  const auto known = zoo_architectures();
  if (std::find(known.begin(), known.end(), arch) == known.end()) {
    throw ModelError(path + ": unknown architecture '" + arch + "'");
  }
  auto impl = std::make_unique<Model::Impl>();
  impl->arch = arch;
  c10::IValue shape;
  if (archive.try_read(kShapeKey, shape)) impl->shape = parse_shape(path, shape.toStringRef());
  impl->zoo = make_network(arch, impl->shape);
  c10::IValue clipped;
  if (archive.try_read(kClipKey, clipped)) {
    apply_clip_description(*impl, clipped.toStringRef(), path);
  }
  std::vector<std::vector<int64_t>> shapes;
  for (const auto& p : impl->zoo->named_parameters()) shapes.push_back(p.value().sizes().vec());
  try {
    impl->zoo->load(archive);
  } catch (const c10::Error& e) {
    throw ModelError(path + ": does not hold the tensors of " + arch + ": " + first_line(e));
  }
  const auto loaded = impl->zoo->named_parameters();
  for (size_t i = 0; i < loaded.size(); ++i) {
    const torch::Tensor& t = loaded[i].value();
    if (t.sizes().vec() != shapes[i] || t.scalar_type() != torch::kFloat || !t.is_contiguous()) {
      throw ModelError(path + ": parameter " + loaded[i].key() + " is not the contiguous fp32 " +
                       shape_text(shapes[i]) + " tensor of " + arch);
    }
  }
  impl->zoo->eval();
  return impl;
}

// Reads a TorchScript module: any input shape and class count.
std::unique_ptr<Model::Impl> load_script(const std::string& path) {
  auto impl = std::make_unique<Model::Impl>();
  impl->arch = "torchscript";
  torch::jit::Module module = torch::jit::load(path);
  if (!module.find_method("forward")) throw not_a_model(path, "it has no forward method");
  module.eval();
  impl->set_script(std::move(module));
  for (const auto& [name, tensor] : impl->named_parameters()) {
    if (tensor.scalar_type() != torch::kFloat || !tensor.is_contiguous()) {
      throw ModelError(path + ": parameter " + name + " is not a contiguous fp32 tensor");
    }
  }
  return impl;  // whether it takes the data's images is checked with the data (Model::check_fits)
}

}  // namespace

void Model::Impl::set_script(torch::jit::Module module) {
  script = std::move(module);
  script_stages = npufi::script_stages(*script);
}

torch::Tensor Model::Impl::forward(const torch::Tensor& x, int first_stage) {
  if (zoo) return zoo->forward(x, first_stage);
  if (script_stages.empty()) return script->forward({x}).toTensor();
  torch::Tensor y = x;
  for (int s = first_stage; s < stage_count(); ++s) y = run_stage(script_stages[size_t(s)], *script, y);
  return y;
}

torch::Tensor Model::Impl::forward_stage(const torch::Tensor& x, int stage) {
  if (zoo) return zoo->forward_stage(x, stage);
  return script_stages.empty() ? forward(x) : run_stage(script_stages[size_t(stage)], *script, x);
}

void Model::Impl::set_training(bool training) {
  if (zoo) {
    zoo->train(training);
  } else {
    script->train(training);
  }
}

std::vector<std::pair<std::string, torch::Tensor>> Model::Impl::named_parameters() const {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  if (zoo) {
    for (const auto& p : zoo->named_parameters()) out.emplace_back(p.key(), p.value());
  } else {
    for (const auto& p : script->named_parameters()) out.emplace_back(p.name, p.value);
  }
  return out;
}

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

Model Model::create(const std::string& arch, uint64_t seed, const NetworkShape& shape) {
  // Seeding and drawing use LibTorch's global generator: one model at a time.
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  torch::manual_seed(seed);
  auto impl = std::make_unique<Impl>();
  impl->arch = arch;
  impl->shape = shape;
  impl->zoo = make_network(arch, shape);
  impl->zoo->eval();
  return Model(std::move(impl));
}

Model Model::load(const std::string& path) {
  if (!std::filesystem::exists(path)) throw ModelError("model file " + path + " does not exist");
  if (const std::string problem = zip_integrity_problem(path); !problem.empty()) throw not_a_model(path, problem);
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    c10::IValue arch;
    if (archive.try_read(kArchKey, arch)) return Model(load_zoo(path, arch.toStringRef(), archive));
    return Model(load_script(path));
  } catch (const ModelError&) {
    throw;
  } catch (const std::exception& e) {
    throw not_a_model(path, first_line(e));
  }
}

void Model::save(const std::string& path) const {
  // Write a temporary file and rename it, so a failed save never leaves a half-written model.
  const std::string temporary = path + ".tmp";
  try {
    if (impl_->script) {
      impl_->script->save(temporary);  // a TorchScript file again, its clipped layers included
    } else {
      torch::serialize::OutputArchive archive;
      archive.write(kArchKey, c10::IValue(impl_->arch));
      archive.write(kShapeKey, c10::IValue(shape_record(impl_->shape)));
      const std::string clipped = clip_description(*impl_->zoo);
      if (!clipped.empty()) archive.write(kClipKey, c10::IValue(clipped));
      impl_->zoo->save(archive);
      archive.save_to(temporary);
    }
    std::filesystem::rename(temporary, path);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw ModelError("cannot write model file " + path + ": " + first_line(e));
  }
}

Model Model::clone() const {
  auto impl = std::make_unique<Impl>();
  impl->arch = impl_->arch;
  impl->shape = impl_->shape;
  if (impl_->script) {
    impl->set_script(impl_->script->clone());
    return Model(std::move(impl));
  }
  impl->zoo = make_network(impl_->arch, impl_->shape);
  apply_clip_description(*impl, clip_description(*impl_->zoo), "model " + impl_->arch);
  torch::NoGradGuard no_grad;
  const auto copy = [](const auto& from, const auto& to) {
    for (size_t i = 0; i < from.size(); ++i) to[i].value().copy_(from[i].value());
  };
  copy(impl_->zoo->named_parameters(), impl->zoo->named_parameters());
  copy(impl_->zoo->named_buffers(), impl->zoo->named_buffers());
  impl->zoo->train(impl_->zoo->is_training());
  return Model(std::move(impl));
}

std::string Model::arch() const { return impl_->arch; }

NetworkShape Model::shape() const { return impl_->shape; }

NetworkShape NetworkShape::of(const ImageSet& data) { return {data.channels, data.rows, data.cols, data.classes}; }

std::string NetworkShape::text() const {
  return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width) + " images, " +
         std::to_string(classes) + " classes";
}

void Model::check_fits(const ImageSet& data) {
  const std::string shape = std::to_string(data.channels) + "x" + std::to_string(data.rows) + "x" + std::to_string(data.cols);
  if (impl_->zoo && (impl_->shape.channels != data.channels || impl_->shape.height != data.rows ||
                     impl_->shape.width != data.cols))
    throw ModelError("the " + arch() + " model is built for " + impl_->shape.text() + ", and the images of " +
                     data.origin + " are " + shape);
  torch::NoGradGuard no_grad;
  torch::Tensor logits;
  try {
    logits = impl_->forward(torch::zeros({1, data.channels, data.rows, data.cols}));
  } catch (const std::exception& e) {
    throw ModelError("the " + arch() + " model does not take the " + shape + " images of " + data.origin + ": " +
                     first_line(e));
  }
  if (logits.dim() != 2 || logits.size(0) != 1)
    throw ModelError("the " + arch() + " model maps a " + shape + " image of " + data.origin + " to shape " +
                     shape_text(logits.sizes()) + ", not to 1 x K logits");
  const int64_t classes = logits.size(1);
  for (size_t i = 0; i < data.labels.size(); ++i)
    if (data.labels[i] >= classes)
      throw ModelError(data.origin + ": label " + std::to_string(data.labels[i]) + " of image " + std::to_string(i) +
                       " is not one of the model's " + std::to_string(classes) + " classes");
  if (impl_->script) impl_->shape = {data.channels, data.rows, data.cols, int(classes)};
}

int Model::stage_count() const { return impl_->stage_count(); }

std::vector<std::string> Model::stage_names() const {
  if (impl_->zoo) return impl_->zoo->stage_names();
  std::vector<std::string> names;
  for (const ScriptStage& stage : impl_->script_stages) names.push_back(stage.name);
  return names.empty() ? std::vector<std::string>{"forward"} : names;
}

std::vector<Parameter> Model::parameters() {
  std::vector<Parameter> out;
  for (const auto& [name, tensor] : impl_->named_parameters()) {
    Parameter p;
    p.name = name;
    p.data = tensor.data_ptr<float>();
    p.shape = tensor.sizes().vec();
    p.numel = tensor.numel();
    p.stage = impl_->zoo ? impl_->zoo->stage_of(name) : stage_reading(impl_->script_stages, name);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace npufi
