#include "campaigns/activation_trial_runner.h"

#include <chrono>
#include <map>
#include <memory>
#include <set>

#include "campaigns/trial_runner.h"
#include "injector/outcome.h"

namespace npufi {

ActivationGolden run_activation_golden(const CampaignSpec& spec, Model& model, const ImageSet& images,
                                       std::size_t cache_budget_bytes) {
  ActivationGolden golden{Evaluator(images, spec.batch_size), {}, {}, images.labels, 0};
  golden.evaluator.cache_prefix(model, cache_budget_bytes);
  golden.logits = golden.evaluator.logits(model);
  for (int i = 0; i < golden.logits.images; ++i) {
    golden.top1.push_back(top1(&golden.logits.values[size_t(i) * golden.logits.classes], golden.logits.classes));
    golden.correct += golden.top1.back() == golden.labels[size_t(i)];
  }
  return golden;
}

ActivationTrialRunner::ActivationTrialRunner(const Model& model, const ActivationGolden& golden)
    : golden_(golden), model_(model.clone()) {}

db::TrialRow ActivationTrialRunner::run(int64_t trial, const CampaignSpec& spec, const ActivationPlanner& planner) {
  const auto start = std::chrono::steady_clock::now();
  const NumberFormat format = spec.formats[size_t(planner.key(trial).format)];
  const int images = golden_.logits.images;
  const int classes = golden_.logits.classes;

  db::TrialRow row = fault_free_row(trial, spec, images, golden_.correct);

  // The faults of each (layer, image); a stuck-at bit's image is kEveryImage.
  const std::vector<ActivationFault> faults = planner.faults(trial);
  std::map<std::pair<int, int>, std::vector<ActivationFault>> by_output;
  std::set<int> stages, hit_images;
  for (const ActivationFault& f : faults) {
    by_output[{f.layer, f.image}].push_back(f);
    stages.insert(f.layer);
    hit_images.insert(f.image);
    const std::optional<int> image =
        f.image == kEveryImage ? std::nullopt : std::optional<int>(spec.first_image + f.image);
    row.faults.push_back({planner.layer_name(f.layer), f.index, f.bit, to_string(f.kind), image});
  }
  row.fault_count = int64_t(faults.size());

  std::vector<bool> changed(size_t(images), false);
  int benign = 0;
  const auto wanted = [&](int first, int count) {
    if (hit_images.count(kEveryImage)) return true;
    const auto it = hit_images.lower_bound(first);
    return it != hit_images.end() && *it < first + count;
  };
  const auto edit = [&](const StageOutput& out) {
    bool any = false;
    for (int r = 0; r < out.images; ++r) {
      const int image = out.first_image + r;
      for (const int target : {image, kEveryImage}) {
        const auto it = by_output.find({out.stage, target});
        if (it == by_output.end()) continue;
        if (apply_activation_faults(out.data + r * out.per_image, out.per_image, format, it->second) > 0) {
          changed[size_t(image)] = true;
          any = true;
        }
      }
    }
    return any;
  };
  const auto classify_batch = [&](const Logits& logits) {
    for (int r = 0; r < logits.images; ++r) {
      const auto image = size_t(logits.first_image + r);
      if (!changed[image]) continue;  // its logits are the fault-free ones
      const float* faulty = &logits.values[size_t(r) * classes];
      const OutcomeClass outcome = classify(faulty, &golden_.logits.values[image * classes], classes);
      benign += outcome == OutcomeClass::sdc_benign;
      if (outcome != OutcomeClass::sdc_critical) continue;
      ++row.mismatches;
      row.correct += int(top1(faulty, classes) == golden_.labels[image]) - int(golden_.top1[image] == golden_.labels[image]);
    }
  };
  golden_.evaluator.run_edited(model_, std::vector<int>(stages.begin(), stages.end()), wanted, edit, classify_batch);
  row.sdc_benign = benign;
  row.masked = images - benign - row.mismatches;
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return row;
}

TensorTrials activation_trials(const CampaignSpec& spec, Model& model, const ImageSet& images,
                               std::size_t cache_budget_bytes) {
  struct State {
    std::optional<ActivationPlanner> planner;
    std::optional<ActivationGolden> golden;
  };
  auto state = std::make_shared<State>();
  const std::vector<std::string> names = model.stage_names();
  const std::vector<int64_t> elements = Evaluator(images.slice(0, 1), 1).stage_output_elements(model);
  std::vector<ActivationLayer> layers;
  for (size_t s = 0; s < names.size(); ++s) layers.push_back({names[s], elements[s]});
  state->planner.emplace(spec, layers, images.count);

  TensorTrials trials;
  for (uint32_t stage : state->planner->layers()) trials.activation_layers.push_back(names[stage]);
  trials.golden = [state, &spec, &model, &images, cache_budget_bytes](std::ostream& log) {
    state->golden.emplace(run_activation_golden(spec, model, images, cache_budget_bytes));
    const ActivationGolden& g = *state->golden;
    log << "golden: accuracy " << double(g.correct) / g.logits.images << " on " << g.logits.images
        << " images; prefix cache " << (g.evaluator.cache_bytes() >> 20) << " MiB\n";
    std::vector<db::GoldenRow> rows;
    for (NumberFormat format : spec.formats) rows.push_back({to_string(format), g.logits.images, g.correct});
    return rows;
  };
  trials.make_worker = [state, &spec, &model] {
    return [&spec, state, runner = std::make_shared<ActivationTrialRunner>(model, *state->golden)](int64_t trial) {
      return runner->run(trial, spec, *state->planner);
    };
  };
  return trials;
}

}  // namespace npufi
