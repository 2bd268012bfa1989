#include "models/hardening/clip.h"

#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/passes/inliner.h>

#include <algorithm>
#include <sstream>

#include "models/hardening/clip_activation.h"
#include "models/image_tensor.h"
#include "models/model_impl.h"
#include "models/torch_message.h"

namespace npufi {
namespace {

const char* const kModeNames[] = {"relu", "saturate", "clip_to_zero", "smooth"};
const char* const kGranularityNames[] = {"layer", "neuron", "hybrid"};
const char* const kScriptSitePrefix = "npufi_clip";

std::string shape_text(const std::vector<int64_t>& shape) {
  std::ostringstream text;
  for (size_t i = 0; i < shape.size(); ++i) text << (i ? "x" : "") << shape[i];
  return text.str();
}

// The TorchScript twin of ClipActivationImpl::forward (the mode numbers are ClipMode's).
const char* const kScriptSiteSource = R"(
def forward(self, x: Tensor) -> Tensor:
    if self.profiling:
        p = torch.amax(x, [0]).clamp_min(0.0)
        if self.peak.numel() == 0:
            self.peak = p
        else:
            self.peak = torch.maximum(self.peak, p)
    if self.mode == 1:
        return torch.minimum(torch.relu(x), self.threshold)
    if self.mode == 2:
        return torch.where((x >= 0.0) & (x <= self.threshold), x, torch.zeros_like(x))
    if self.mode == 3:
        return torch.relu(x - x * torch.sigmoid(self.k * (x - self.threshold)))
    return torch.relu(x)
)";

torch::jit::Module make_script_site(const std::shared_ptr<torch::jit::CompilationUnit>& unit) {
  torch::jit::Module site(c10::QualifiedName("__torch__.npufi.ClipActivation"), unit, /*shouldMangle=*/true);
  site.register_attribute("training", c10::BoolType::get(), false);
  site.register_attribute("mode", c10::IntType::get(), int64_t(0));
  site.register_attribute("k", c10::FloatType::get(), kDefaultSmoothK);
  site.register_attribute("profiling", c10::BoolType::get(), false);
  site.register_attribute("peak", c10::TensorType::get(), torch::empty({0}));
  site.register_parameter("threshold", torch::empty({0}), false);
  site.define(kScriptSiteSource);
  return site;
}

void collect_relus(torch::jit::Block* block, std::vector<torch::jit::Node*>& out) {
  for (torch::jit::Node* node : block->nodes()) {
    if (node->kind() == c10::aten::relu || node->kind() == c10::aten::relu_) out.push_back(node);
    for (torch::jit::Block* inner : node->blocks()) collect_relus(inner, out);
  }
}

// The shapes of the layers' activations; runs one blank image of the model's shape.
std::vector<std::vector<int64_t>> shapes_of(Model::Impl& impl, std::vector<ClipSite>& sites) {
  torch::InferenceMode inference;
  impl.set_training(false);
  for (ClipSite& s : sites) s.set_profiling(true);
  try {
    impl.forward(torch::zeros({1, impl.shape.channels, impl.shape.height, impl.shape.width}));
  } catch (const std::exception& e) {
    for (ClipSite& s : sites) s.set_profiling(false);  // no peak of the failed run stays behind
    throw ModelError("the " + impl.arch + " model does not take " + impl.shape.text() + ": " +
                     first_line(e));
  }
  std::vector<std::vector<int64_t>> shapes;
  for (ClipSite& s : sites) {
    shapes.push_back(s.peak().sizes().vec());
    s.set_profiling(false);
  }
  return shapes;
}

// Checks every layer against the sites before anything changes; returns the site index of each layer.
std::vector<size_t> match_layers(Model::Impl& impl, std::vector<ClipSite>& sites,
                                 const std::vector<ClipLayer>& layers, const std::string& source) {
  if (layers.empty()) return {};  // e.g. cloning an unclipped model: no forward pass needed
  const std::vector<std::vector<int64_t>> shapes = shapes_of(impl, sites);
  std::vector<size_t> index;
  for (const ClipLayer& layer : layers) {
    const auto it = std::find_if(sites.begin(), sites.end(), [&](const ClipSite& s) { return s.name == layer.name; });
    if (it == sites.end()) {
      throw ModelError(source + ": thresholds for '" + layer.name + "', which is not an activation layer of " +
                       impl.arch + (sites.empty() ? "" : " (the first is '" + sites.front().name + "')"));
    }
    const size_t i = size_t(it - sites.begin());
    int64_t numel = 1;
    for (int64_t s : layer.shape) numel *= s;
    const bool shape_ok = layer.mode == ClipMode::relu || layer.shape == std::vector<int64_t>{1} || layer.shape == shapes[i];
    if (!shape_ok) {
      throw ModelError(source + ": thresholds of shape " + shape_text(layer.shape) + " for " + layer.name +
                       ", whose activation has shape " + shape_text(shapes[i]) + " (thresholds are 1 or " +
                       shape_text(shapes[i]) + ")");
    }
    if (layer.mode != ClipMode::relu && numel != layer.count()) {
      throw ModelError(source + ": " + layer.name + " has " + std::to_string(layer.count()) +
                       " threshold values for shape " + shape_text(layer.shape));
    }
    index.push_back(i);
  }
  return index;
}

}  // namespace

// ---- the module ----

torch::Tensor clip_forward(const torch::Tensor& x, ClipMode mode, const torch::Tensor& threshold, double k) {
  switch (mode) {
    case ClipMode::saturate:
      return torch::minimum(torch::relu(x), threshold);
    case ClipMode::clip_to_zero:
      return torch::where(x.ge(0).logical_and(x.le(threshold)), x, torch::zeros_like(x));
    case ClipMode::smooth:
      return torch::relu(x - x * torch::sigmoid(k * (x - threshold)));
    case ClipMode::relu:
      break;
  }
  return torch::relu(x);
}

torch::Tensor ClipActivationImpl::forward(const torch::Tensor& x) {
  if (profiling_) {
    const torch::Tensor p = x.amax(0).clamp_min(0);
    peak_ = peak_.defined() ? torch::maximum(peak_, p) : p;
  }
  return clip_forward(x, mode_, threshold_, k_);
}

void ClipActivationImpl::clip(ClipMode mode, torch::Tensor threshold, double k) {
  mode_ = mode;
  k_ = k;
  if (mode == ClipMode::relu) return;
  if (threshold_.defined()) {  // registered once; later thresholds replace its data (and shape)
    torch::NoGradGuard no_grad;
    threshold_.set_data(threshold);
  } else {
    threshold_ = register_parameter("threshold", std::move(threshold), /*requires_grad=*/false);
  }
}

// ---- sites ----

ClipMode ClipSite::mode() const {
  return zoo ? zoo->mode() : ClipMode(script->attr("mode").toInt());
}

double ClipSite::k() const { return zoo ? zoo->k() : script->attr("k").toDouble(); }

torch::Tensor ClipSite::threshold() const {
  return zoo ? zoo->threshold() : script->attr("threshold").toTensor();
}

void ClipSite::clip(ClipMode mode, torch::Tensor threshold, double k) {
  if (zoo) return zoo->clip(mode, std::move(threshold), k);
  script->setattr("mode", int64_t(mode));
  script->setattr("k", k);
  script->register_parameter("threshold", mode == ClipMode::relu ? torch::empty({0}) : std::move(threshold), false);
}

void ClipSite::set_profiling(bool on) {
  if (zoo) return zoo->set_profiling(on);
  script->setattr("profiling", on);
  script->setattr("peak", torch::empty({0}));
}

torch::Tensor ClipSite::peak() const { return zoo ? zoo->peak() : script->attr("peak").toTensor(); }

std::vector<ClipSite> clip_sites(Model::Impl& impl) {
  std::vector<ClipSite> sites;
  if (impl.zoo) {
    for (const auto& m : impl.zoo->named_modules("", /*include_self=*/false)) {
      if (auto* act = m.value()->as<ClipActivationImpl>()) sites.push_back({m.key(), act, std::nullopt});
    }
  } else {
    for (const auto& child : impl.script->named_children()) {
      if (child.name.starts_with(kScriptSitePrefix)) sites.push_back({child.name, nullptr, child.value});
    }
  }
  return sites;
}

ClipLayer ClipSite::layer() const {
  ClipLayer l;
  l.name = name;
  l.mode = mode();
  l.k = k();
  if (l.mode != ClipMode::relu) {
    const torch::Tensor t = threshold().detach().contiguous();
    l.shape = t.sizes().vec();
    l.thresholds.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
  }
  return l;
}

// ---- names ----

std::string to_string(ClipMode mode) { return kModeNames[int(mode)]; }
std::string to_string(Granularity granularity) { return kGranularityNames[int(granularity)]; }

std::optional<ClipMode> parse_clip_mode(const std::string& text) {
  for (int i = 0; i < 4; ++i) {
    if (text == kModeNames[i]) return ClipMode(i);
  }
  return std::nullopt;
}

std::optional<Granularity> parse_granularity(const std::string& text) {
  for (int i = 0; i < 3; ++i) {
    if (text == kGranularityNames[i]) return Granularity(i);
  }
  return std::nullopt;
}

// ---- the public API ----

void make_clippable(Model& model) {
  Model::Impl& impl = model.impl();
  const auto all_clipped = [&] {
    const std::vector<ClipSite> sites = clip_sites(impl);
    return std::all_of(sites.begin(), sites.end(), [](const ClipSite& s) { return s.mode() != ClipMode::relu; });
  };
  if (impl.zoo || !clip_sites(impl).empty()) {
    if (all_clipped()) {
      throw ModelError("the " + impl.arch + " model has no ReLU left to replace: every activation layer is clipped already");
    }
    return;
  }
  // A fresh copy of the module, so no executor built from the old graph survives the rewrite.
  torch::jit::Module script = impl.script->clone();
  // The clone's parameters are copies made by autograd-visible ops; make them leaves again, so that the
  // optimizers can freeze them.
  for (auto m : script.named_modules()) {
    for (const auto& p : m.value.named_parameters(/*recurse=*/false)) m.value.setattr(p.name, p.value.detach());
  }
  torch::jit::GraphFunction& forward = torch::jit::toGraphFunction(script.get_method("forward").function());
  const std::shared_ptr<torch::jit::Graph> graph = forward.graph();
  torch::jit::Inline(*graph);
  std::vector<torch::jit::Node*> relus;
  collect_relus(graph->block(), relus);
  if (relus.empty()) throw ModelError("the TorchScript model has no ReLU (aten::relu) to replace");
  torch::jit::Value* self = graph->inputs()[0];
  for (size_t i = 0; i < relus.size(); ++i) {
    torch::jit::Node* relu = relus[i];
    const std::string name = kScriptSitePrefix + std::to_string(i);
    script.register_module(name, make_script_site(script._ivalue()->compilation_unit()));
    torch::jit::WithInsertPoint insert(relu);
    torch::jit::Value* site = graph->insertGetAttr(self, name);
    torch::jit::Node* call = graph->create(c10::prim::CallMethod, {site, relu->input(0)});
    call->s_(c10::attr::name, "forward");
    call->output()->setType(c10::TensorType::get());
    graph->insertNode(call);
    relu->output()->replaceAllUsesWith(call->output());
    relu->destroy();
  }
  script.eval();
  impl.set_script(std::move(script));
}

std::vector<ClipLayer> clip_layers(const Model& model) {
  std::vector<ClipLayer> layers;
  for (const ClipSite& s : clip_sites(const_cast<Model::Impl&>(model.impl()))) layers.push_back(s.layer());
  return layers;
}

std::vector<std::vector<int64_t>> activation_shapes(Model& model) {
  std::vector<ClipSite> sites = clip_sites(model.impl());
  return shapes_of(model.impl(), sites);
}

void apply_clipping(Model& model, const std::vector<ClipLayer>& layers) {
  Model::Impl& impl = model.impl();
  std::vector<ClipSite> sites = clip_sites(impl);
  const std::vector<size_t> index = match_layers(impl, sites, layers, "model " + impl.arch);
  for (size_t i = 0; i < layers.size(); ++i) {
    const ClipLayer& l = layers[i];
    const torch::Tensor t =
        torch::tensor(l.thresholds, torch::kFloat).reshape(l.mode == ClipMode::relu ? std::vector<int64_t>{0} : l.shape);
    sites[index[i]].clip(l.mode, t.clone(), l.k);
  }
}

std::vector<std::vector<float>> profile_peaks(Model& model, const ImageSet& images, bool neuron_wise, int batch_size) {
  Model::Impl& impl = model.impl();
  std::vector<ClipSite> sites = clip_sites(impl);
  torch::InferenceMode inference;
  impl.set_training(false);
  for (ClipSite& s : sites) s.set_profiling(true);
  const torch::Tensor pixels = pixel_tensor(images);
  for (int begin = 0; begin < images.count; begin += batch_size) {
    impl.forward(to_input(pixels.slice(0, begin, std::min(begin + batch_size, images.count)), images.preprocessing));
  }
  std::vector<std::vector<float>> peaks;
  for (ClipSite& s : sites) {
    torch::Tensor p = s.peak().contiguous();
    if (!neuron_wise) p = p.max().reshape({1});
    peaks.emplace_back(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
    s.set_profiling(false);
  }
  return peaks;
}

int64_t threshold_count(const std::vector<ClipLayer>& layers) {
  int64_t n = 0;
  for (const ClipLayer& l : layers) n += l.count();
  return n;
}

// ---- zoo model files ----

std::string clip_description(torch::nn::Module& network) {
  std::ostringstream out;
  out.precision(17);  // k round-trips exactly
  for (const auto& m : network.named_modules("", false)) {
    const auto* act = m.value()->as<ClipActivationImpl>();
    if (!act || act->mode() == ClipMode::relu) continue;
    out << m.key() << ' ' << to_string(act->mode()) << ' ' << act->k();
    for (int64_t s : act->threshold().sizes()) out << ' ' << s;
    out << '\n';
  }
  return out.str();
}

void apply_clip_description(Model::Impl& impl, const std::string& description, const std::string& source) {
  std::vector<ClipLayer> layers;
  std::istringstream in(description);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    ClipLayer l;
    std::string mode;
    fields >> l.name >> mode >> l.k;
    const auto parsed = parse_clip_mode(mode);
    if (!fields || !parsed || *parsed == ClipMode::relu) {
      throw ModelError(source + ": corrupt clipped-activation record '" + line + "'");
    }
    l.mode = *parsed;
    int64_t numel = 1;
    for (int64_t s; fields >> s;) {
      l.shape.push_back(s);
      numel *= s;
    }
    l.thresholds.assign(size_t(std::max<int64_t>(numel, 0)), 0.0f);
    layers.push_back(std::move(l));
  }
  std::vector<ClipSite> sites = clip_sites(impl);
  const std::vector<size_t> index = match_layers(impl, sites, layers, source);
  for (size_t i = 0; i < layers.size(); ++i) {
    sites[index[i]].clip(layers[i].mode, torch::zeros(layers[i].shape), layers[i].k);
  }
}

}  // namespace npufi
