#include "cli/commands.h"

namespace npufi::cli {

void add_rtl_campaigns_option(CLI::App& command, std::vector<int64_t>& campaigns) {
  command
      .add_option("--campaign,--campaigns", campaigns,
                  "RTL campaign ids, comma-separated: pooled, e.g. SEU, stuck_at_0 and stuck_at_1 campaigns of one NPU "
                  "and model (see campaign list)")
      ->required()
      ->delimiter(',');
}

}  // namespace npufi::cli
