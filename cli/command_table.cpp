#include "cli/command_table.h"

namespace npufi::cli {

const std::vector<CommandEntry>& command_table() {
  static const std::vector<CommandEntry> table = {
      {"train", "Train a zoo network on Fashion-MNIST or --data (deterministic per seed and thread count)", DatabaseUse::none,
       add_train_command},
      {"eval", "Top-1 accuracy of a model on the test images (Fashion-MNIST, or --data)", DatabaseUse::none, add_eval_command},
      {"campaign", "Run and inspect fault-injection campaigns", DatabaseUse::none, add_campaign_command},
      {"export",
       "Weight campaigns: per format and BER, the accuracy's mean, std, min, max and 95% interval, and the "
       "top-1 mismatch rate. RTL campaigns: per block, the fraction of each outcome",
       DatabaseUse::read, add_export_command},
      {"params", "List a model's parameter tensors (fault targets) and their stages", DatabaseUse::none,
       add_params_command},
      {"quantize", "Quantize a model to int8 and compare fp32 with the int8 reference on the test images",
       DatabaseUse::none, add_quantize_command},
      {"npu", "The reference NPU: run a network on it, count its storage", DatabaseUse::none, add_npu_command},
      {"design", "Designs you bring: build one for fault injection (docs/your-design.md)", DatabaseUse::none,
       add_design_command},
      {"sites", "A design's fault sites: flop and SRAM bits per block, found from the design (--list: every variable)",
       DatabaseUse::none, add_sites_command},
      {"replay", "Re-run one stored injection of an RTL campaign, check its outcome, optionally dump a VCD waveform",
       DatabaseUse::read, add_replay_command},
      {"analyze",
       "RTL campaigns' AVF and FIT per block, FMEDA, SPFM/LFM/PMHF and ASIL verdict (exit 0 met, 3 missed)",
       DatabaseUse::read, add_analyze_command},
      {"plan", "Sample sizes for a statistical fault-injection campaign on a design, per block and in total",
       DatabaseUse::none, add_plan_command},
      {"protect", "The least-area protection plan that meets an ASIL, from RTL campaigns (exit 3: no plan does)",
       DatabaseUse::read, add_protect_command},
      {"report",
       "The safety-certification report of campaigns: HTML, PDF, Markdown and JSON with plots, FMEDA, protection, "
       "traceability (docs/report.md)",
       DatabaseUse::read, add_report_command},
      {"harden",
       "Replace the ReLUs of a model by clipped activations (ranger, ftclipact, fitact, proact); see "
       "docs/hardening.md",
       DatabaseUse::record, add_harden_command},
      {"compare", "Campaigns side by side per model and hardening method: accuracy per BER, AUC, thresholds",
       DatabaseUse::read, add_compare_command},
      {"query",
       "Read-only query shell over a results database: campaigns, blocks, injections, comparisons, SQL "
       "(docs/query.md)",
       DatabaseUse::read, add_query_command},
      {"db", "The results database itself: migrate one written by an older npufi", DatabaseUse::none, add_db_command},
  };
  return table;
}

}  // namespace npufi::cli
