#pragma once
// run_campaign() for RTL campaigns (spec.rtl): injections into the Verilated NPU, one simulator per worker.
#include <ostream>
#include <string>

#include "campaigns/engine.h"

namespace npufi {

CampaignRun run_rtl_campaign(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                             std::ostream& log);

}  // namespace npufi
