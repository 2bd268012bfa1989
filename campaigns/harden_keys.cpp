#include "campaigns/harden_keys.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "injector/number_format.h"

namespace npufi {

namespace {

constexpr int kTrainingSplitImages = 60000;  // Fashion-MNIST's training split
constexpr double kInf = std::numeric_limits<double>::infinity();

constexpr unsigned kRanger = 1u << int(HardenMethod::ranger);
constexpr unsigned kFtClipAct = 1u << int(HardenMethod::ftclipact);
constexpr unsigned kFitAct = 1u << int(HardenMethod::fitact);
constexpr unsigned kProAct = 1u << int(HardenMethod::proact);
constexpr unsigned kAll = kRanger | kFtClipAct | kFitAct | kProAct;

constexpr HardenRange integers(double min, double max) { return {min, max, false, false}; }
constexpr HardenRange at_least_0() { return {0, kInf, false, true}; }
constexpr HardenRange above_0() { return {0, kInf, true, true}; }

// A key whose value lives at `member` of the job (a lambda without captures, hence a function pointer).
#define NPUFI_FIELD(type, member) +[](HardenJob& j) -> type& { return j.member; }

std::vector<HardenKey> make_keys() {
  const HardenRange images = integers(1, kTrainingSplitImages);
  const HardenRange counts = integers(1, 1e9);
  return {
      {"method", "ranger, ftclipact, fitact or proact", kAll, NPUFI_FIELD(std::string, method), {},
       {"ranger", "ftclipact", "fitact", "proact"}},
      {"granularity", "layer, neuron or hybrid (default: ranger/ftclipact layer, fitact neuron, proact hybrid)", kAll,
       NPUFI_FIELD(std::string, granularity), {}, {"layer", "neuron", "hybrid"}},
      {"seed", "Batch order of fitact/proact, fault maps of ftclipact", kFtClipAct | kFitAct | kProAct,
       NPUFI_FIELD(uint64_t, settings.seed), integers(0, 1.8446744073709552e19), {}},
      {"train_images", "Training images (front of the training split)", kAll, NPUFI_FIELD(int, train_images), images, {}},
      {"validation_images", "Validation images (end of the training split)", kAll,
       NPUFI_FIELD(int, validation_images), images, {}},
      {"profile_images", "Training images whose maxima set (ranger) or start thresholds", kAll,
       NPUFI_FIELD(int, settings.profile_images), images, {}},
      {"k", "Steepness of the smooth mode", kFitAct | kProAct, NPUFI_FIELD(double, settings.k), above_0(), {}},
      {"search_rounds", "ftclipact: interval-search rounds per layer", kFtClipAct,
       NPUFI_FIELD(int, settings.search_rounds), counts, {}},
      {"search_candidates", "ftclipact: candidates per round", kFtClipAct, NPUFI_FIELD(int, settings.search_candidates),
       counts, {}},
      {"search_min_spread", "ftclipact: stop a layer when a round's AUCs differ by less", kFtClipAct,
       NPUFI_FIELD(double, settings.search_min_spread), at_least_0(), {}},
      {"search_images", "ftclipact: validation images of the scoring campaign", kFtClipAct,
       NPUFI_FIELD(int, search_images), images, {}},
      {"search_bers", "ftclipact: BERs of the scoring campaign, ascending", kFtClipAct,
       NPUFI_FIELD(std::vector<double>, search_bers), {0, 1, true, false}, {}},
      {"search_repetitions", "ftclipact: fault maps per BER of the scoring campaign", kFtClipAct,
       NPUFI_FIELD(int, search_repetitions), integers(1, 100000), {}},
      {"search_format", "ftclipact: weight format of the scoring campaign", kFtClipAct,
       NPUFI_FIELD(std::string, search_format), {}, {"fp32", "fp16", "bf16", "int8"}},
      {"batch_size", "fitact/proact: images per step", kFitAct | kProAct, NPUFI_FIELD(int, settings.batch_size), images,
       {}},
      {"learning_rate", "fitact/proact: Adam learning rate of the lambdas", kFitAct | kProAct,
       NPUFI_FIELD(double, settings.learning_rate), above_0(), {}},
      {"epochs", "fitact: passes over the training images", kFitAct, NPUFI_FIELD(int, settings.fitact_epochs), counts,
       {}},
      {"alpha", "fitact: weight of mean(lambda^2)", kFitAct, NPUFI_FIELD(double, settings.fitact_alpha), at_least_0(),
       {}},
      {"steps_per_layer", "proact: steps per layer and attempt", kProAct, NPUFI_FIELD(int, settings.proact_steps),
       counts, {}},
      {"beta", "proact: weight of mean(lambda^2) of the layer in training", kProAct,
       NPUFI_FIELD(double, settings.proact_beta), at_least_0(), {}},
      {"kd_weight", "proact: weight of the distillation term", kProAct, NPUFI_FIELD(double, settings.proact_kd_weight),
       at_least_0(), {}},
      {"temperature", "proact: distillation temperature", kProAct, NPUFI_FIELD(double, settings.proact_temperature),
       above_0(), {}},
      {"tolerance", "proact: accepted validation accuracy loss, in points", kProAct,
       NPUFI_FIELD(double, settings.proact_tolerance), at_least_0(), {}},
      {"retries", "proact: extra attempts per layer", kProAct, NPUFI_FIELD(int, settings.proact_retries),
       integers(0, 1e9), {}},
      {"weaken", "proact: beta factor per retry", kProAct, NPUFI_FIELD(double, settings.proact_weaken),
       {0, 1, true, true}, {}},
  };
}

#undef NPUFI_FIELD

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string range_text(const HardenRange& r) {
  if (r.max == kInf) return std::string(r.min_open ? "> " : ">= ") + number_text(r.min);
  return "in " + std::string(r.min_open ? "(" : "[") + number_text(r.min) + ", " + number_text(r.max) +
         (r.max_open ? ")" : "]");
}

bool in_range(double v, const HardenRange& r) {
  return (r.min_open ? v > r.min : v >= r.min) && (r.max_open ? v < r.max : v <= r.max);
}

std::string choices_text(const std::vector<std::string>& choices) {
  std::string text;
  for (size_t i = 0; i < choices.size(); ++i) text += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  return text;
}

std::optional<std::string> number_problem(double value, const HardenRange& range) {
  if (in_range(value, range)) return std::nullopt;
  return "is " + number_text(value) + "; must be " + range_text(range);
}

// The problem with one key's value on its own.
struct ValueProblem {
  const HardenKey& key;
  HardenJob& job;
  std::optional<std::string> operator()(HardenField<std::string> f) const {
    const std::string& v = f(job);
    HardenJob defaults;
    const bool may_be_empty = f(defaults).empty();  // granularity: the method's default
    if ((v.empty() && may_be_empty) || std::count(key.choices.begin(), key.choices.end(), v)) return std::nullopt;
    return "is \"" + v + "\"; use " + choices_text(key.choices);
  }
  std::optional<std::string> operator()(HardenField<std::vector<double>> f) const {
    const std::vector<double>& v = f(job);
    if (v.empty()) return "must list at least one value";
    for (double x : v)
      if (auto p = number_problem(x, key.range)) return "has a value that " + *p;
    if (!std::is_sorted(v.begin(), v.end()) || std::adjacent_find(v.begin(), v.end()) != v.end())
      return "must be ascending";
    return std::nullopt;
  }
  template <class T>
  std::optional<std::string> operator()(HardenField<T> f) const {
    return number_problem(double(f(job)), key.range);
  }
};

bool uses(const HardenKey& key, HardenMethod method) { return key.methods & (1u << int(method)); }
bool uses(const std::string& key, HardenMethod method) { return uses(*find_harden_key(key), method); }

}  // namespace

std::string harden_flag(const std::string& key) {
  std::string flag = "--" + key;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

const std::vector<HardenKey>& harden_keys() {
  static const std::vector<HardenKey> keys = make_keys();
  return keys;
}

const HardenKey* find_harden_key(const std::string& name) {
  for (const HardenKey& key : harden_keys())
    if (key.name == name) return &key;
  return nullptr;
}

std::optional<HardenKeyProblem> resolve_harden_job(HardenJob& job) {
  if (job.method.empty()) return HardenKeyProblem{"method", "is required (ranger, ftclipact, fitact or proact)"};
  for (const HardenKey& key : harden_keys())
    if (auto problem = std::visit(ValueProblem{key, job}, key.field)) return HardenKeyProblem{key.name, *problem};
  const HardenMethod method = *parse_harden_method(job.method);
  const Granularity granularity = job.granularity.empty() ? default_granularity(method) : *parse_granularity(job.granularity);
  if (method == HardenMethod::ftclipact && granularity != Granularity::layer)
    return HardenKeyProblem{"granularity", "is \"" + job.granularity + "\"; ftclipact searches one threshold per layer (layer only)"};
  const auto at_most = [](const std::string& key, int value, int limit, const std::string& what) {
    return HardenKeyProblem{key, "is " + std::to_string(value) + "; must be at most " + what + " (" + std::to_string(limit) + ")"};
  };
  if (job.train_images + job.validation_images > kTrainingSplitImages)
    return at_most("validation_images", job.validation_images, kTrainingSplitImages - job.train_images,
                   "the training split's images left after the training images");
  if (job.settings.profile_images > job.train_images)
    return at_most("profile_images", job.settings.profile_images, job.train_images, "the training images");
  if (job.settings.batch_size > job.train_images && uses("batch_size", method))
    return at_most("batch_size", job.settings.batch_size, job.train_images, "the training images");
  if (job.search_images > job.validation_images && uses("search_images", method))
    return at_most("search_images", job.search_images, job.validation_images, "the validation images");
  if (job.out.empty()) return HardenKeyProblem{"out", "is required (the hardened model file)"};
  if (std::filesystem::weakly_canonical(job.out) == std::filesystem::weakly_canonical(job.model))
    return HardenKeyProblem{"out", "is the model to harden (" + job.model + "); write the hardened model to a new file"};
  job.settings.method = method;
  job.settings.granularity = granularity;
  return std::nullopt;
}

std::string harden_settings_json(const HardenJob& job) {
  const HardenSettings& s = job.settings;
  nlohmann::json j = {{"method", to_string(s.method)},
                      {"granularity", to_string(s.granularity)},
                      {"mode", to_string(clip_mode_of(s.method))}};
  HardenJob values = job;  // the fields are reached through a mutable job
  for (const HardenKey& key : harden_keys()) {
    if (key.name == "method" || key.name == "granularity" || !uses(key, s.method)) continue;
    std::visit([&](auto field) { j[key.name] = field(values); }, key.field);
  }
  return j.dump();
}

}  // namespace npufi
