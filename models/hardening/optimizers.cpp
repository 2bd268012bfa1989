#include "models/hardening/optimizers.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>

#include "models/evaluator.h"
#include "models/hardening/clip_activation.h"
#include "models/image_tensor.h"

namespace npufi {
namespace {

const char* const kMethodNames[] = {"ranger", "ftclipact", "fitact", "proact"};

using Log = std::function<void(const std::string&)>;

std::string fixed(double value, int digits) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << value;
  return out.str();
}

void check_settings(const HardenSettings& s, const HardenData& data) {
  const auto require = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("harden: " + what);
  };
  require(s.profile_images >= 1 && s.profile_images <= data.train.count,
          "profile images must be in 1.." + std::to_string(data.train.count) + ", not " + std::to_string(s.profile_images));
  require(s.k > 0, "k must be > 0");
  require(s.search_rounds >= 1 && s.search_candidates >= 1, "search rounds and candidates must be >= 1");
  const bool trained = s.method == HardenMethod::fitact || s.method == HardenMethod::proact;
  require(s.batch_size >= 1 && (s.batch_size <= data.train.count || !trained),
          "batch size must be in 1.." + std::to_string(data.train.count));
  require(s.learning_rate > 0 && s.fitact_epochs >= 1 && s.proact_steps >= 1, "learning rate, epochs and steps must be > 0");
  require(s.fitact_alpha >= 0 && s.proact_beta >= 0 && s.proact_kd_weight >= 0, "alpha, beta and the KD weight must be >= 0");
  require(s.proact_temperature > 0 && s.proact_tolerance >= 0 && s.proact_retries >= 0, "temperature > 0, tolerance >= 0, retries >= 0");
  require(s.proact_weaken > 0 && s.proact_weaken < 1, "proact weaken must be in (0, 1)");
  require(data.validation.count >= 1 || s.method != HardenMethod::proact, "proact needs validation images");
  if (s.method == HardenMethod::ftclipact && s.granularity != Granularity::layer) {
    throw std::invalid_argument("harden: ftclipact searches one threshold per layer; granularity must be layer, not " +
                                to_string(s.granularity));
  }
}

bool neuron_wise(Granularity g, size_t layer, size_t layers) {
  return g == Granularity::neuron || (g == Granularity::hybrid && layer + 1 == layers);
}

torch::Tensor as_tensor(const std::vector<float>& values, const std::vector<int64_t>& shape) {
  return torch::tensor(values, torch::kFloat).reshape(shape);
}

// Profiled maxima of every layer, shaped for the granularity.
std::vector<torch::Tensor> profiled_thresholds(Model& model, std::vector<ClipSite>& sites, const HardenSettings& s,
                                               const ImageSet& train) {
  const ImageSet images = train.slice(0, s.profile_images);
  const auto neuron = profile_peaks(model, images, true);
  const auto shapes = activation_shapes(model);
  std::vector<torch::Tensor> out;
  for (size_t i = 0; i < sites.size(); ++i) {
    const torch::Tensor peak = as_tensor(neuron[i], shapes[i]);
    out.push_back(neuron_wise(s.granularity, i, sites.size()) ? peak : peak.max().reshape({1}));
  }
  return out;
}

double accuracy(Model& model, const ImageSet& images) { return Evaluator(images).run(model).accuracy(); }

// Trains the lambdas of `trained` with every other parameter frozen, on random batches of `train`.
// loss = CE + kd_weight T^2 KL(teacher || student at T) + l2 mean(lambda^2).
struct LambdaTraining {
  std::vector<torch::Tensor> lambdas;
  int steps = 0;
  double l2 = 0;
  double kd_weight = 0;
  double temperature = 1;
};

void train_lambdas(Model& model, const LambdaTraining& t, const HardenSettings& s, const torch::Tensor& inputs,
                   const torch::Tensor& labels, const torch::Tensor& teacher, std::mt19937_64& rng) {
  Model::Impl& impl = model.impl();
  impl.set_training(false);  // batch norm statistics and dropout as at inference
  std::vector<std::pair<torch::Tensor, bool>> frozen;
  for (auto& [name, p] : impl.named_parameters()) {
    frozen.emplace_back(p, p.requires_grad());
    p.requires_grad_(false);
  }
  for (const torch::Tensor& l : t.lambdas) l.requires_grad_(true);
  torch::optim::Adam optimizer(t.lambdas, torch::optim::AdamOptions(s.learning_rate));
  const int64_t n = inputs.size(0);
  std::uniform_int_distribution<int64_t> pick(0, n - 1);
  std::vector<int64_t> batch(size_t(s.batch_size));
  for (int step = 0; step < t.steps; ++step) {
    for (int64_t& b : batch) b = pick(rng);
    const torch::Tensor index = torch::tensor(batch, torch::kLong);
    optimizer.zero_grad();
    const torch::Tensor logits = impl.forward(inputs.index_select(0, index));
    torch::Tensor loss = torch::nn::functional::cross_entropy(logits, labels.index_select(0, index));
    if (t.kd_weight > 0) {
      const double T = t.temperature;
      loss = loss + t.kd_weight * T * T *
                        torch::nn::functional::kl_div(
                            torch::log_softmax(logits / T, 1), torch::softmax(teacher.index_select(0, index) / T, 1),
                            torch::nn::functional::KLDivFuncOptions().reduction(torch::kBatchMean));
    }
    if (t.l2 > 0) {
      std::vector<torch::Tensor> flat;
      for (const torch::Tensor& l : t.lambdas) flat.push_back(l.flatten());
      loss = loss + t.l2 * torch::cat(flat).square().mean();
    }
    loss.backward();
    optimizer.step();
    torch::NoGradGuard no_grad;
    for (const torch::Tensor& l : t.lambdas) l.clamp_min_(0);
  }
  for (const torch::Tensor& l : t.lambdas) l.requires_grad_(false);
  for (auto& [p, needed] : frozen) p.requires_grad_(needed);
}

void ranger(Model& model, std::vector<ClipSite>& sites, const HardenSettings& s, const HardenData& data, const Log& log) {
  const std::vector<torch::Tensor> peaks = profiled_thresholds(model, sites, s, data.train);
  for (size_t i = 0; i < sites.size(); ++i) sites[i].clip(ClipMode::saturate, peaks[i], s.k);
  log("ranger: thresholds = maxima over " + std::to_string(s.profile_images) + " training images");
}

void ftclipact(Model& model, std::vector<ClipSite>& sites, const HardenSettings& s, const HardenData& data,
               const AucScorer& scorer, const Log& log) {
  if (!scorer) throw std::invalid_argument("harden: ftclipact needs a campaign to score candidates");
  const std::vector<torch::Tensor> peaks = profiled_thresholds(model, sites, s, data.train);
  // Every layer starts clipped at its profiled maximum; then each layer in turn gets its search.
  for (size_t i = 0; i < sites.size(); ++i) sites[i].clip(ClipMode::clip_to_zero, peaks[i].clone(), s.k);
  for (size_t i = 0; i < sites.size(); ++i) {
    const double top = peaks[i].item<double>();
    const auto score_at = [&](double threshold) {
      sites[i].clip(ClipMode::clip_to_zero, torch::full({1}, threshold), s.k);
      return scorer(model);
    };
    double best = top;
    double best_score = score_at(top);
    double low = 0;
    double high = top;
    for (int round = 0; round < s.search_rounds; ++round) {
      const double step = (high - low) / (s.search_candidates + 1);
      double round_best = low + step;
      double round_best_score = -std::numeric_limits<double>::infinity();
      double round_worst_score = std::numeric_limits<double>::infinity();
      for (int c = 1; c <= s.search_candidates; ++c) {
        const double candidate = low + step * c;
        const double score = score_at(candidate);
        if (score > round_best_score) {
          round_best = candidate;
          round_best_score = score;
        }
        round_worst_score = std::min(round_worst_score, score);
      }
      if (round_best_score > best_score) {
        best = round_best;
        best_score = round_best_score;
      }
      log("ftclipact: " + sites[i].name + " round " + std::to_string(round + 1) + ": best " + fixed(round_best, 4) +
          " (AUC " + fixed(round_best_score, 4) + "), spread " + fixed(round_best_score - round_worst_score, 4));
      if (round_best_score - round_worst_score < s.search_min_spread) break;
      low = std::max(0.0, round_best - step);
      high = std::min(top, round_best + step);
    }
    sites[i].clip(ClipMode::clip_to_zero, torch::full({1}, best), s.k);
    log("ftclipact: " + sites[i].name + " threshold " + fixed(best, 4) + " of max " + fixed(top, 4) + " (AUC " +
        fixed(best_score, 4) + ")");
  }
}

struct TrainingSet {
  torch::Tensor inputs;
  torch::Tensor labels;
};

TrainingSet training_set(const ImageSet& train) {
  return {to_input(pixel_tensor(train), train.preprocessing), torch::tensor(train.labels, torch::kUInt8).to(torch::kLong)};
}

void fitact(Model& model, std::vector<ClipSite>& sites, const HardenSettings& s, const HardenData& data, const Log& log) {
  const std::vector<torch::Tensor> peaks = profiled_thresholds(model, sites, s, data.train);
  LambdaTraining t;
  for (size_t i = 0; i < sites.size(); ++i) {
    sites[i].clip(ClipMode::smooth, peaks[i].clone(), s.k);
    t.lambdas.push_back(sites[i].threshold());
  }
  const TrainingSet set = training_set(data.train);
  t.steps = s.fitact_epochs * (data.train.count / s.batch_size);
  t.l2 = s.fitact_alpha;
  std::mt19937_64 rng(s.seed);
  train_lambdas(model, t, s, set.inputs, set.labels, torch::Tensor(), rng);
  log("fitact: " + std::to_string(t.steps) + " steps of " + std::to_string(s.batch_size) + " images");
}

void proact(Model& model, std::vector<ClipSite>& sites, const HardenSettings& s, const HardenData& data,
            double baseline, const Log& log) {
  // Profiled on the unclipped model: while layer i trains, the layers before it are still plain ReLUs.
  const std::vector<torch::Tensor> peaks = profiled_thresholds(model, sites, s, data.train);
  const TrainingSet set = training_set(data.train);
  torch::Tensor teacher;
  {
    torch::InferenceMode inference;
    std::vector<torch::Tensor> parts;
    for (int64_t b = 0; b < set.inputs.size(0); b += 500) parts.push_back(model.impl().forward(set.inputs.slice(0, b, b + 500)));
    teacher = torch::cat(parts);
  }
  teacher = teacher.clone();  // an ordinary tensor, usable in autograd
  std::mt19937_64 rng(s.seed);
  for (size_t i = sites.size(); i-- > 0;) {
    double beta = s.proact_beta;
    double best_accuracy = -1;
    torch::Tensor best;
    bool accepted = false;
    for (int attempt = 0; attempt <= s.proact_retries && !accepted; ++attempt) {
      sites[i].clip(ClipMode::smooth, peaks[i].clone(), s.k);
      LambdaTraining t;
      t.lambdas = {sites[i].threshold()};
      t.steps = s.proact_steps;
      t.l2 = beta;
      t.kd_weight = s.proact_kd_weight;
      t.temperature = s.proact_temperature;
      train_lambdas(model, t, s, set.inputs, set.labels, teacher, rng);
      const double acc = accuracy(model, data.validation);
      accepted = (baseline - acc) * 100 <= s.proact_tolerance;
      log("proact: " + sites[i].name + " attempt " + std::to_string(attempt + 1) + " (beta " + fixed(beta, 6) +
          "): validation accuracy " + fixed(acc * 100, 2) + "% vs " + fixed(baseline * 100, 2) + "% unclipped, " +
          (accepted ? "accepted" : "rejected"));
      if (acc > best_accuracy) {
        best_accuracy = acc;
        best = sites[i].threshold().detach().clone();
      }
      beta *= s.proact_weaken;
    }
    if (!accepted) {
      log("proact: " + sites[i].name + ": no attempt within the tolerance; keeping the best (" +
          fixed(best_accuracy * 100, 2) + "%)");
    }
    sites[i].clip(ClipMode::smooth, best, s.k);  // the accepted attempt, or the best of the rejected ones
  }
}

void run_method(Model& model, std::vector<ClipSite>& sites, const HardenSettings& settings, const HardenData& data,
                const AucScorer& scorer, double baseline, const Log& log) {
  switch (settings.method) {
    case HardenMethod::ranger:
      ranger(model, sites, settings, data, log);
      break;
    case HardenMethod::ftclipact:
      ftclipact(model, sites, settings, data, scorer, log);
      break;
    case HardenMethod::fitact:
      fitact(model, sites, settings, data, log);
      break;
    case HardenMethod::proact:
      proact(model, sites, settings, data, baseline, log);
      break;
  }
}

}  // namespace

std::string to_string(HardenMethod method) { return kMethodNames[int(method)]; }

std::optional<HardenMethod> parse_harden_method(const std::string& text) {
  for (int i = 0; i < 4; ++i) {
    if (text == kMethodNames[i]) return HardenMethod(i);
  }
  return std::nullopt;
}

ClipMode clip_mode_of(HardenMethod method) {
  switch (method) {
    case HardenMethod::ranger:
      return ClipMode::saturate;
    case HardenMethod::ftclipact:
      return ClipMode::clip_to_zero;
    case HardenMethod::fitact:
    case HardenMethod::proact:
      break;
  }
  return ClipMode::smooth;
}

Granularity default_granularity(HardenMethod method) {
  switch (method) {
    case HardenMethod::fitact:
      return Granularity::neuron;
    case HardenMethod::proact:
      return Granularity::hybrid;
    case HardenMethod::ranger:
    case HardenMethod::ftclipact:
      break;
  }
  return Granularity::layer;
}

HardenReport harden(Model& model, const HardenSettings& settings, const HardenData& data, const AucScorer& scorer,
                    const Log& log) {
  check_settings(settings, data);
  make_clippable(model);
  std::vector<ClipSite> sites = clip_sites(model.impl());
  if (std::any_of(sites.begin(), sites.end(), [](const ClipSite& s) { return s.mode() != ClipMode::relu; })) {
    throw ModelError("the " + model.arch() + " model is partly clipped already; harden an unclipped model");
  }
  const auto start = std::chrono::steady_clock::now();
  HardenReport report;
  report.validation_accuracy_before = data.validation.count ? accuracy(model, data.validation) : 0;
  try {
    run_method(model, sites, settings, data, scorer, report.validation_accuracy_before, log);
  } catch (const c10::Error& e) {  // one line, without LibTorch's backtrace
    const std::string text = e.what_without_backtrace();
    throw ModelError("harden " + to_string(settings.method) + ": " + text.substr(0, text.find('\n')));
  }
  report.validation_accuracy_after = data.validation.count ? accuracy(model, data.validation) : 0;
  report.layers = clip_layers(model);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace npufi
