#include "campaigns/fault_planner.h"

#include <algorithm>

#include "injector/ber_fault_map.h"
#include "injector/counter_rng.h"
#include "injector/tensor_selection.h"

namespace npufi {

namespace {

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

std::vector<WeightFault> resolve_listed(const CampaignSpec& spec, const std::vector<Parameter>& parameters) {
  std::vector<WeightFault> faults;
  for (const ListedFault& listed : spec.listed_faults) {
    const auto it = std::find_if(parameters.begin(), parameters.end(),
                                 [&](const Parameter& p) { return p.name == listed.tensor; });
    const std::string where = spec.where(listed.line) + ": fault ";
    if (it == parameters.end()) throw SpecError(where + "tensor \"" + listed.tensor + "\" is not a parameter of the model");
    if (listed.index >= it->numel) {
      throw SpecError(where + "index " + std::to_string(listed.index) + " is past the end of \"" + listed.tensor +
                      "\" (" + std::to_string(it->numel) + " elements)");
    }
    for (NumberFormat format : spec.formats) {
      if (listed.bit >= bit_width(format)) {
        throw SpecError(where + "bit " + std::to_string(listed.bit) + " does not exist in " + to_string(format));
      }
    }
    faults.push_back({uint32_t(it - parameters.begin()), listed.index, listed.bit, spec.kind});
  }
  return faults;
}

}  // namespace

FaultPlanner::FaultPlanner(const CampaignSpec& spec, const std::vector<Parameter>& parameters) : spec_(spec) {
  for (const std::string& glob : spec.targets) {
    if (!glob_matches_any(parameters, glob)) {
      throw SpecError(spec.where(spec.targets_line) + ": 'targets' glob \"" + glob + "\" matches no parameter of the model");
    }
  }
  const std::vector<uint32_t> tensors = select_tensors(parameters, spec.targets);
  std::vector<int64_t> sizes;
  for (uint32_t t : tensors) sizes.push_back(parameters[t].numel);
  for (NumberFormat format : spec.formats) populations_.emplace_back(tensors, sizes, selected_bits(spec, format));
  listed_ = resolve_listed(spec, parameters);
}

TrialKey FaultPlanner::key(int64_t trial) const {
  if (!spec_.listed_faults.empty()) return {int(trial), -1, 0};
  const int64_t per_format = int64_t(spec_.bers.size()) * spec_.repetitions;
  const int64_t within = trial % per_format;
  return {int(trial / per_format), int(within / spec_.repetitions), int(within % spec_.repetitions)};
}

std::vector<WeightFault> FaultPlanner::faults(int64_t trial) const {
  const TrialKey k = key(trial);
  if (k.ber < 0) return listed_;
  CounterRng rng(spec_.seed, uint64_t(trial));
  const NumberFormat format = spec_.formats[k.format];
  const BerFaultMap map{spec_.bers[k.ber], spec_.kind, spec_.adjacent_bits, bit_width(format)};
  return draw_faults(populations_[k.format], map, rng);
}

}  // namespace npufi
