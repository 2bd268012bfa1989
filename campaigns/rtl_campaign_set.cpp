#include "campaigns/rtl_campaign_set.h"

#include <algorithm>

#include "campaigns/rtl_results.h"
#include "campaigns/spec.h"
#include "rtl/compiler/npu_compiler.h"

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
  for (const int64_t id : ids) {
    const std::string name = "campaign " + std::to_string(id);
    if (std::count(ids.begin(), ids.end(), id) > 1) throw SpecError(name + " is given twice");
    const std::optional<db::CampaignRow> campaign = store.campaign(id);
    if (!campaign || !is_rtl_campaign(store, id))
      throw SpecError(name + " is not an RTL campaign in " + store.path() + " (see campaign list)");
    if (!set.campaigns.empty()) {
      const db::CampaignRow& front = set.campaigns.front();
      const std::string first = "campaign " + std::to_string(ids.front());
      const std::string pooled = ": campaigns analysed together must share the NPU configuration, model and "
                                 "protection plan";
      if (campaign->rtl_target != front.rtl_target || campaign->design_top != front.design_top)
        throw SpecError(name + " ran on " + campaign->rtl_target + ", " + first + " on " + front.rtl_target + pooled);
      if (campaign->model_hash != front.model_hash)
        throw SpecError(name + " ran " + (front.design_top.empty() ? "model " : "design ") + campaign->model_path +
                        ", " + first + " " + front.model_path + " (another " +
                        (front.design_top.empty() ? "file digest" : "build") + ")" + pooled);
      const auto plan = [](const db::CampaignRow& c) {
        return c.protection_digest.empty() ? std::string("unprotected") : "under plan " + c.protection_digest;
      };
      if (campaign->protection_digest != front.protection_digest)
        throw SpecError(name + " ran " + plan(*campaign) + ", " + first + " " + plan(front) + pooled);
    }
    set.ids.push_back(id);
    set.campaigns.push_back(*campaign);
  }
  const db::CampaignRow& front = set.campaigns.front();
  set.target = front.rtl_target;
  if (front.design_top.empty()) set.npu = parse_npu_config(front.rtl_target);
  else set.design = front.model_path;
  return set;
}

}  // namespace npufi
