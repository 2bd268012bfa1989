#include "campaigns/rtl_campaign_set.h"

#include <algorithm>

#include "campaigns/rtl_results.h"
#include "campaigns/spec.h"

namespace npufi {

std::string RtlCampaignSet::description() const {
  std::string out = ids.size() == 1 ? "campaign " : "campaigns ";
  for (size_t i = 0; i < ids.size(); ++i)
    out += (i ? ", " : "") + std::to_string(ids[i]) + " (" + campaigns[i].name + ")";
  return out;
}

RtlCampaignSet rtl_campaign_set(db::Store& store, const std::vector<int64_t>& ids) {
  if (ids.empty()) throw SpecError("--campaign needs at least one campaign id");
  RtlCampaignSet set;
  std::string first_protection;
  for (const int64_t id : ids) {
    const std::string name = "campaign " + std::to_string(id);
    if (std::count(ids.begin(), ids.end(), id) > 1) throw SpecError(name + " is given twice");
    const std::optional<db::CampaignRow> campaign = store.campaign(id);
    if (!campaign || !is_rtl_campaign(store, id))
      throw SpecError(name + " is not an RTL campaign in " + store.path() + " (see campaign list)");
    const CampaignSpec spec = parse_campaign_spec(campaign->spec, campaign->name + ".toml");
    const std::string& protection = spec.rtl->protection;
    // A design campaign's golden row names the design.
    const std::string target = spec.rtl->design.empty() ? npu_config_name(spec.rtl->npu) : store.golden(id).at(0).format;
    if (set.campaigns.empty()) {
      set.target = target;
      if (spec.rtl->design.empty()) set.npu = spec.rtl->npu;
      else set.design = campaign->model_path;
      first_protection = protection;
    } else {
      const std::string first = "campaign " + std::to_string(ids.front());
      const std::string pooled = ": campaigns analysed together must share the NPU configuration, model and "
                                 "protection plan";
      if (target != set.target)
        throw SpecError(name + " ran on " + target + ", " + first + " on " + set.target + pooled);
      if (campaign->model_hash != set.campaigns.front().model_hash)
        throw SpecError(name + " ran model " + campaign->model_path + ", " + first + " " +
                        set.campaigns.front().model_path + " (another file digest)" + pooled);
      if (protection != first_protection)
        throw SpecError(name + " ran " + (protection.empty() ? "unprotected" : "under plan " + protection) + ", " +
                        first + " " + (first_protection.empty() ? "unprotected" : "under plan " + first_protection) +
                        pooled);
    }
    set.ids.push_back(id);
    set.campaigns.push_back(*campaign);
  }
  return set;
}

}  // namespace npufi
