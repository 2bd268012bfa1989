#include "campaigns/campaign_replay.h"

#include "analysis/digest.h"
#include "campaigns/spec.h"

namespace npufi {

CampaignReplay::CampaignReplay(const db::CampaignRow& campaign, const std::string& model, int threads)
    : design_(!campaign.design_top.empty()) {
  const std::string id = std::to_string(campaign.id);
  CampaignSpec spec = parse_campaign_spec(campaign.spec, campaign.name + ".toml");
  if (design_) {
    // The design and its workloads where the campaign ran them; their digests must not have changed.
    spec.rtl->design = campaign.model_path;
    spec.rtl->workloads = campaign.workloads;
  } else {
    spec.model = model.empty() ? campaign.model_path : model;
    if (file_digest(spec.model) != campaign.model_hash)
      throw SpecError("model " + spec.model + " is not the one campaign " + id +
                      " ran (its digest differs); give the original with --model");
  }
  workload_ = std::make_unique<RtlWorkload>(spec, threads);
  const db::CampaignRow now = workload_->campaign_row();
  if (design_ && (now.model_hash != campaign.model_hash || now.dataset_hash != campaign.dataset_hash))
    throw SpecError("design " + campaign.model_path + " or its workloads changed since campaign " + id +
                    " ran (their digests differ)");
  worker_ = workload_->worker();
}

db::InjectionRow CampaignReplay::replay(const db::InjectionRow& stored, const std::string& vcd, uint64_t cycles_after,
                                        RtlTargetRun& result) {
  return workload_->replay(*worker_, stored, vcd, cycles_after, result);
}

db::InjectionRow CampaignReplay::replay_naive(const db::InjectionRow& stored) {
  return workload_->replay_naive(*worker_, stored);
}

}  // namespace npufi
