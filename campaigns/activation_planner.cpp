#include "campaigns/activation_planner.h"

namespace npufi {

namespace {

bool transient(const CampaignSpec& spec) { return spec.kind == FaultKind::bit_flip; }

}  // namespace

ActivationPlanner::ActivationPlanner(const CampaignSpec& spec, const std::vector<ActivationLayer>& layers, int images)
    : spec_(spec) {
  for (size_t s = 0; s < layers.size(); ++s) {
    Parameter layer;
    layer.name = layers[s].name;
    layer.numel = layers[s].elements;
    layer.stage = int(s);
    layers_.push_back(layer);
  }
  selected_ = selected_targets(spec, layers_, "layer");
  // Population entry e: layer selected_[e % S] of image e / S for bit flips; of every image for stuck-at.
  std::vector<uint32_t> entries;
  std::vector<int64_t> sizes;
  for (int image = 0; image < (transient(spec) ? images : 1); ++image) {
    for (uint32_t stage : selected_) {
      entries.push_back(uint32_t(entries.size()));
      sizes.push_back(layers_[stage].numel);
    }
  }
  for (NumberFormat format : spec.formats) populations_.emplace_back(entries, sizes, selected_bits(spec, format));

  const std::vector<WeightFault> listed = resolve_listed(spec, layers_, "layer");
  for (size_t i = 0; i < listed.size(); ++i) {
    const ListedFault& source = spec.listed_faults[i];
    int image = kEveryImage;
    if (source.image) {
      image = *source.image - spec.first_image;
      if (image < 0 || image >= images)
        throw SpecError(spec.where(source.line) + ": fault image " + std::to_string(*source.image) +
                        " is not one of the campaign's images (" + std::to_string(spec.first_image) + ":" +
                        std::to_string(spec.first_image + images) + ")");
    }
    listed_.push_back({int(listed[i].tensor), image, listed[i].index, listed[i].bit, listed[i].kind});
  }
}

std::vector<ActivationFault> ActivationPlanner::faults(int64_t trial) const {
  if (!spec_.listed_faults.empty()) return listed_;
  const auto per_image = uint32_t(selected_.size());
  std::vector<ActivationFault> faults;
  for (const WeightFault& f : ber_trial_faults(spec_, populations_, trial)) {
    const int image = transient(spec_) ? int(f.tensor / per_image) : kEveryImage;
    faults.push_back({int(selected_[f.tensor % per_image]), image, f.index, f.bit, f.kind});
  }
  return faults;
}

}  // namespace npufi
