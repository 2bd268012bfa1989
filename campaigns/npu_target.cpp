#include "campaigns/npu_target.h"

#include "campaigns/campaign_setup.h"
#include "injector/outcome.h"
#include "models/data_source.h"
#include "models/model.h"
#include "models/quantize.h"
#include "rtl/reference/int8_reference.h"
#include "rtl/reference/reference_eval.h"
#include "rtl/reference/strided_threads.h"

namespace npufi {

namespace {

QuantizedNetwork quantized_network(const CampaignSpec& spec) {
  try {
    Model model = Model::load(spec.model);
    return quantize(model, load_images(data_source_or_default(spec.data), Split::train).slice(0, spec.rtl->calibration));
  } catch (const ModelError& e) {
    throw SpecError(spec.where(0) + ": 'model' " + spec.model + " cannot run on the NPU: " + e.what());
  }
}

MemoryImage compiled_network(const CampaignSpec& spec, const QuantizedNetwork& network) {
  try {
    return compile_network(network, spec.rtl->npu);
  } catch (const CompileError& e) {
    throw SpecError(spec.where(0) + ": 'model' " + spec.model + " does not fit " + npu_config_name(spec.rtl->npu) +
                    ": " + e.what());
  }
}

struct NpuWorker final : RtlWorker {
  NpuWorker(NpuConfig config, const QuantizedNetwork& network, const MemoryImage& image)
      : simulator(config, network, image) {}
  NpuFaultSimulator simulator;
};

}  // namespace

NpuTarget::NpuTarget(const CampaignSpec& spec, int threads)
    : spec_(spec), images_(campaign_images(spec)), network_(quantized_network(spec)),
      image_(compiled_network(spec, network_)) {
  const RtlSpec& rtl = *spec_.rtl;
  if (rtl.layer && *rtl.layer >= int(network_.layers.size()))
    throw SpecError(spec_.where(rtl.layer_line) + ": 'layer' " + std::to_string(*rtl.layer) + " is beyond the " +
                    std::to_string(network_.layers.size()) + " layers of the network");
  goldens_.resize(size_t(images_.count));
  run_strided(images_.count, threads, [&](int worker, int workers) {
    NpuFaultSimulator simulator(rtl.npu, network_, image_);
    for (int i = worker; i < images_.count; i += workers)
      goldens_[size_t(i)] = simulator.record_golden(quantized_image(network_, images_, i), rtl.checkpoint_interval);
  });
}

CycleWindow NpuTarget::window(int slot) const {
  const NpuGolden& g = *goldens_[size_t(slot)];
  if (spec_.rtl->layer) return {g.layer_begin(*spec_.rtl->layer), g.layer_end(*spec_.rtl->layer)};
  return {0, g.cycles()};
}

std::vector<db::GoldenRow> NpuTarget::golden_rows() const {
  int correct = 0;
  for (int i = 0; i < images_.count; ++i) correct += top1(goldens_[size_t(i)]->output()) == images_.labels[size_t(i)];
  return {{name(), images_.count, correct}};
}

std::string NpuTarget::golden_summary() const {
  const db::GoldenRow g = golden_rows()[0];
  return "golden " + g.format + ": " + std::to_string(g.correct) + " of " + std::to_string(g.images) +
         " images correct, " + std::to_string(goldens_[0]->cycles()) + " cycles per inference, " +
         std::to_string(sites().total_bits()) + " state bits";
}

std::vector<db::LayerCyclesRow> NpuTarget::layer_cycles() const {
  std::vector<db::LayerCyclesRow> rows;
  for (int i = 0; i < images_.count; ++i) {
    const NpuGolden& g = *goldens_[size_t(i)];
    for (int layer = 0; layer < g.layers(); ++layer)
      rows.push_back({spec_.first_image + i, layer, int64_t(g.layer_begin(layer)), int64_t(g.layer_end(layer))});
  }
  return rows;
}

db::CampaignRow NpuTarget::campaign_row(const CampaignSpec& spec) const {
  db::CampaignRow row = npufi::campaign_row(spec, images_);
  row.rtl_target = name();
  return row;
}

std::unique_ptr<RtlWorker> NpuTarget::worker() const {
  return std::make_unique<NpuWorker>(spec_.rtl->npu, network_, image_);
}

RtlTargetRun NpuTarget::inject(RtlWorker& worker, int slot, const RtlFault& fault, const std::string& vcd_path,
                               uint64_t cycles_after) const {
  NpuFaultSimulator& simulator = static_cast<NpuWorker&>(worker).simulator;
  const NpuGolden& g = *goldens_[size_t(slot)];
  const RtlFaultRun run = vcd_path.empty() ? simulator.inject(g, fault, InjectionMode::optimized)
                                           : simulator.replay(g, fault, vcd_path, cycles_after);
  return {classify(run, g.output()), run.first_diff_layer, run.start_cycle, run.simulated_cycles, run.end, std::nullopt};
}

RtlTargetRun NpuTarget::inject_naive(RtlWorker& worker, int slot, const RtlFault& fault) const {
  NpuFaultSimulator& simulator = static_cast<NpuWorker&>(worker).simulator;
  const NpuGolden& g = *goldens_[size_t(slot)];
  const RtlFaultRun run = simulator.inject(g, fault, InjectionMode::naive);
  return {classify(run, g.output()), run.first_diff_layer, run.start_cycle, run.simulated_cycles, run.end, std::nullopt};
}

std::optional<int> NpuTarget::reference_matches() const {
  int matches = 0;
  for (int i = 0; i < images_.count; ++i)
    matches += goldens_[size_t(i)]->output() == run_network(network_, quantized_image(network_, images_, i)).back();
  return matches;
}

}  // namespace npufi
