#pragma once
// run_campaign() for RTL campaigns (spec.rtl): injections into the Verilated NPU, one simulator per worker.
// `hardening` is recorded when the campaign starts (see start_campaign).
#include <ostream>
#include <string>

#include "campaigns/engine.h"
#include "db/store.h"

namespace npufi {

CampaignRun run_rtl_campaign(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                             std::ostream& log, const db::HardeningRow* hardening);

}  // namespace npufi
