#include "campaigns/trial_runner.h"

#include <chrono>
#include <memory>
#include <optional>

#include "injector/trial_injection.h"

namespace npufi {

db::TrialRow fault_free_row(int64_t trial, const CampaignSpec& spec, int images, int correct) {
  const TrialKey key = trial_key(spec, trial);
  db::TrialRow row;
  row.trial = trial;
  row.format = to_string(spec.formats[size_t(key.format)]);
  row.ber = key.ber >= 0 ? spec.bers[size_t(key.ber)] : 0.0;
  row.repetition = key.repetition;
  row.images = images;
  row.correct = correct;
  return row;
}

std::vector<FormatGolden> run_golden(const CampaignSpec& spec, const Model& model, const ImageSet& images,
                                     std::size_t cache_budget_bytes) {
  std::vector<FormatGolden> golden;
  const Evaluator evaluator(images, spec.batch_size);
  for (NumberFormat format : spec.formats) {
    Model copy = model.clone();
    const WeightMemory memory(copy.parameters(), format);
    FormatGolden g{format, evaluator, {}};
    g.evaluator.cache_prefix(copy, cache_budget_bytes / spec.formats.size());
    g.result = g.evaluator.run(copy);
    golden.push_back(std::move(g));
  }
  return golden;
}

TrialRunner::TrialRunner(const Model& model, const std::vector<FormatGolden>& golden) : golden_(golden) {
  models_.reserve(golden.size());
  memories_.reserve(golden.size());
  for (const FormatGolden& g : golden) {
    models_.push_back(model.clone());
    memories_.emplace_back(models_.back().parameters(), g.format);
  }
}

db::TrialRow TrialRunner::run(int64_t trial, const CampaignSpec& spec, const FaultPlanner& planner) {
  const auto start = std::chrono::steady_clock::now();
  const TrialKey key = planner.key(trial);
  const FormatGolden& golden = golden_[key.format];
  WeightMemory& memory = memories_[key.format];

  db::TrialRow row = fault_free_row(trial, spec, golden.result.images, golden.result.correct);

  const std::vector<WeightFault> faults = planner.faults(trial);
  row.fault_count = int64_t(faults.size());
  for (const WeightFault& f : faults) {
    row.faults.push_back({memory.tensors()[f.tensor].name, f.index, f.bit, to_string(f.kind)});
  }
  const TrialInjection injection(memory, faults);
  if (injection.changed_words() > 0) {  // otherwise the model is the golden one: nothing to run
    const EvalResult result = golden.evaluator.run(models_[key.format], injection.first_faulty_stage());
    row.correct = result.correct;
    for (size_t i = 0; i < result.top1.size(); ++i) row.mismatches += result.top1[i] != golden.result.top1[i];
  }
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return row;
}

TensorTrials weight_trials(const CampaignSpec& spec, Model& model, const ImageSet& images,
                           std::size_t cache_budget_bytes) {
  struct State {
    std::optional<FaultPlanner> planner;
    std::vector<FormatGolden> golden;
  };
  auto state = std::make_shared<State>();
  state->planner.emplace(spec, model.parameters());
  TensorTrials trials;
  trials.golden = [state, &spec, &model, &images, cache_budget_bytes](std::ostream& log) {
    state->golden = run_golden(spec, model, images, cache_budget_bytes);
    std::vector<db::GoldenRow> rows;
    for (const FormatGolden& g : state->golden) {
      log << "golden " << to_string(g.format) << ": accuracy " << g.result.accuracy() << " on " << g.result.images
          << " images; prefix cache " << (g.evaluator.cache_bytes() >> 20) << " MiB\n";
      rows.push_back({to_string(g.format), g.result.images, g.result.correct});
    }
    return rows;
  };
  trials.make_worker = [state, &spec, &model] {
    return [&spec, state, runner = std::make_shared<TrialRunner>(model, state->golden)](int64_t trial) {
      return runner->run(trial, spec, *state->planner);
    };
  };
  return trials;
}

}  // namespace npufi
