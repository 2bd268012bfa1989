#include "report/campaign_table.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "campaigns/results_table.h"
#include "campaigns/rtl_results.h"
#include "report/ber_table_output.h"
#include "report/block_table_output.h"
#include "report/outcome_table_output.h"

namespace npufi {

std::string campaign_table(db::Store& store, int64_t campaign_id, TableFormat format) {
  const std::string name = "campaign " + std::to_string(campaign_id);
  if (!store.campaign(campaign_id)) throw std::runtime_error(name + " is not in " + store.path());
  if (is_rtl_campaign(store, campaign_id)) {
    const std::vector<BlockOutcomes> blocks = block_outcomes(store, {campaign_id});
    if (blocks.empty()) throw std::runtime_error(name + " has no injections yet");
    return format == TableFormat::csv    ? block_table_csv(blocks)
           : format == TableFormat::json ? block_table_json(blocks, campaign_id).dump(2) + "\n"
                                         : block_table_text(blocks);
  }
  const std::vector<db::TrialRow> trials = store.trials(campaign_id);
  if (trials.empty()) throw std::runtime_error(name + " has no trials yet");
  const std::vector<BerRow> rows = ber_table(trials, store.golden(campaign_id));
  if (rows.front().outcomes)  // an activation campaign: images masked, sdc_benign, sdc_critical
    return format == TableFormat::csv    ? outcome_table_csv(rows)
           : format == TableFormat::json ? outcome_table_json(rows, campaign_id)
                                         : outcome_table_text(rows);
  return format == TableFormat::csv    ? ber_table_csv(rows)
         : format == TableFormat::json ? ber_table_json(rows, campaign_id).dump(2) + "\n"
                                       : ber_table_text(rows);
}

std::string injections_csv(const std::vector<db::InjectionRow>& injections) {
  std::string out = "injection,image,block,site,storage,bit,width,model,cycle,outcome,first_diff_layer,simulated_cycles,ended_by\n";
  for (const db::InjectionRow& r : injections)
    out += std::to_string(r.injection) + "," + std::to_string(r.image) + "," + r.block + "," + r.site + "," + r.storage +
           "," + std::to_string(r.bit) + "," + std::to_string(r.width) + "," + r.model + "," + std::to_string(r.cycle) +
           "," + r.outcome + "," + std::to_string(r.first_diff_layer) + "," + std::to_string(r.simulated_cycles) + "," +
           r.ended_by + "\n";
  return out;
}

}  // namespace npufi
