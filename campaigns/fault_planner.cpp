#include "campaigns/fault_planner.h"

#include <algorithm>

#include "injector/ber_fault_map.h"
#include "injector/counter_rng.h"
#include "injector/tensor_selection.h"

namespace npufi {

std::vector<int> selected_bits(const CampaignSpec& spec, NumberFormat format) {
  const std::string where = spec.where(spec.bits_line) + ": 'bits' ";
  if (!spec.bit_field.empty()) {
    const auto bits = field_bits(format, spec.bit_field);
    if (!bits) throw SpecError(where + "field \"" + spec.bit_field + "\" does not exist in " + to_string(format));
    return *bits;
  }
  for (int bit : spec.bit_positions) {
    if (bit >= bit_width(format)) {
      throw SpecError(where + "position " + std::to_string(bit) + " does not exist in " + to_string(format) + " (" +
                      std::to_string(bit_width(format)) + " bits)");
    }
  }
  return spec.bit_positions;
}

namespace {

// "conv1, conv2, fc1" for messages about layers.
std::string names_of(const std::vector<Parameter>& tensors) {
  std::string names;
  for (const Parameter& t : tensors) names += (names.empty() ? "" : ", ") + t.name;
  return names;
}

}  // namespace

std::vector<uint32_t> selected_targets(const CampaignSpec& spec, const std::vector<Parameter>& tensors,
                                       const std::string& what) {
  for (const std::string& glob : spec.targets) {
    if (!glob_matches_any(tensors, glob)) {
      throw SpecError(spec.where(spec.targets_line) + ": 'targets' glob \"" + glob + "\" matches no " + what +
                      " of the model" + (what == "layer" ? " (" + names_of(tensors) + ")" : ""));
    }
  }
  return select_tensors(tensors, spec.targets);
}

std::vector<WeightFault> resolve_listed(const CampaignSpec& spec, const std::vector<Parameter>& tensors,
                                        const std::string& what) {
  std::vector<WeightFault> faults;
  const std::string key = what == "layer" ? "layer" : "tensor";
  for (const ListedFault& listed : spec.listed_faults) {
    const auto it = std::find_if(tensors.begin(), tensors.end(),
                                 [&](const Parameter& p) { return p.name == listed.tensor; });
    const std::string where = spec.where(listed.line) + ": fault ";
    if (it == tensors.end())
      throw SpecError(where + key + " \"" + listed.tensor + "\" is not a " + what + " of the model" +
                      (what == "layer" ? " (" + names_of(tensors) + ")" : ""));
    if (listed.index >= it->numel) {
      throw SpecError(where + "index " + std::to_string(listed.index) + " is past the end of \"" + listed.tensor +
                      "\" (" + std::to_string(it->numel) + " elements)");
    }
    for (NumberFormat format : spec.formats) {
      if (listed.bit >= bit_width(format)) {
        throw SpecError(where + "bit " + std::to_string(listed.bit) + " does not exist in " + to_string(format));
      }
    }
    faults.push_back({uint32_t(it - tensors.begin()), listed.index, listed.bit, spec.kind});
  }
  return faults;
}

FaultPlanner::FaultPlanner(const CampaignSpec& spec, const std::vector<Parameter>& parameters) : spec_(spec) {
  const std::vector<uint32_t> tensors = selected_targets(spec, parameters, "parameter");
  std::vector<int64_t> sizes;
  for (uint32_t t : tensors) sizes.push_back(parameters[t].numel);
  for (NumberFormat format : spec.formats) populations_.emplace_back(tensors, sizes, selected_bits(spec, format));
  listed_ = resolve_listed(spec, parameters, "parameter");
}

TrialKey trial_key(const CampaignSpec& spec, int64_t trial) {
  if (!spec.listed_faults.empty()) return {int(trial), -1, 0};
  const int64_t per_format = int64_t(spec.bers.size()) * spec.repetitions;
  const int64_t within = trial % per_format;
  return {int(trial / per_format), int(within / spec.repetitions), int(within % spec.repetitions)};
}

std::vector<WeightFault> ber_trial_faults(const CampaignSpec& spec, const std::vector<BitPopulation>& populations,
                                          int64_t trial) {
  const TrialKey k = trial_key(spec, trial);
  CounterRng rng(spec.seed, uint64_t(trial));
  const NumberFormat format = spec.formats[size_t(k.format)];
  const BerFaultMap map{spec.bers[size_t(k.ber)], spec.kind, spec.adjacent_bits, bit_width(format)};
  return draw_faults(populations[size_t(k.format)], map, rng);
}

std::vector<WeightFault> FaultPlanner::faults(int64_t trial) const {
  return spec_.listed_faults.empty() ? ber_trial_faults(spec_, populations_, trial) : listed_;
}

}  // namespace npufi
