#include "campaigns/safety_analysis.h"

#include "campaigns/rtl_results.h"

namespace npufi {

SafetyAnalysis analyze_safety(db::Store& store, const std::vector<int64_t>& campaign_ids, const Technology& technology,
                              const SafetyOptions& options, Asil asil) {
  SafetyAnalysis a;
  a.set = rtl_campaign_set(store, campaign_ids);
  a.outcomes = block_outcomes(store, a.set.ids);
  a.fmeda = build_fmeda(a.outcomes, technology, options);
  a.verdict = asil_verdict(a.set.target, a.fmeda.metrics, asil, options.fit.confidence);
  a.coverage = measured_coverages(store, a.set.ids, options);
  return a;
}

}  // namespace npufi
