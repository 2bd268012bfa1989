#include "report/fmeda_json.h"

#include <nlohmann/json.hpp>

namespace npufi {

namespace {

nlohmann::json row_json(const FmedaRow& row) {
  return {{"element", row.element},
          {"failure_mode", row.failure_mode},
          {"raw_fit_transient", row.raw_fit_transient},
          {"raw_fit_permanent", row.raw_fit_permanent},
          {"safety_related", row.safety_related},
          {"safe_fraction", row.safe_fraction},
          {"safety_mechanism", row.safety_mechanism},
          {"dc_single_point", row.dc_single_point},
          {"dc_latent", row.dc_latent},
          {"lambda_spf", row.spf},
          {"lambda_rf", row.rf},
          {"lambda_mpf_detected", row.mpf_detected},
          {"lambda_mpf_latent", row.mpf_latent},
          {"lambda_s", row.s}};
}

nlohmann::json stratum_json(const StratumFit& s) {
  nlohmann::json classes = nlohmann::json::object();
  for (OutcomeClass outcome : kOutcomeClasses) {
    const ClassFit& c = s[outcome];
    classes[to_string(outcome)] = {{"events", c.events},
                                   {"avf", c.avf},
                                   {"avf_low", c.avf_interval.low},
                                   {"avf_high", c.avf_interval.high},
                                   {"avf_upper", c.avf_upper},
                                   {"fit", c.fit},
                                   {"fit_upper", c.fit_upper}};
  }
  return {{"block", s.block},         {"storage", to_string(s.storage)}, {"duration", to_string(s.duration)},
          {"bits", s.bits},           {"injections", s.injections},      {"raw_fit", s.raw_fit},
          {"classes", classes}};
}

}  // namespace

nlohmann::json fmeda_json(const Fmeda& fmeda, const Verdict& verdict) {
  nlohmann::json out = {{"confidence", fmeda.options.fit.confidence},
                        {"interval_method", to_string(fmeda.options.fit.method)},
                        {"sdc_benign_relevant", fmeda.options.sdc_benign_relevant},
                        {"due_hang_relevant", fmeda.options.due_hang_relevant},
                        {"strata", nlohmann::json::array()},
                        {"fmeda", nlohmann::json::array()}};
  for (const StratumFit& s : fmeda.fit.strata) out["strata"].push_back(stratum_json(s));
  nlohmann::json totals = {{"raw_fit", fmeda.fit.raw_fit}};
  for (OutcomeClass outcome : kOutcomeClasses)
    totals[to_string(outcome)] = {{"fit", fmeda.fit.fit[size_t(outcome)]},
                                  {"fit_upper", fmeda.fit.fit_upper[size_t(outcome)]}};
  out["fit_totals"] = totals;
  for (const FmedaRow& row : fmeda.rows) out["fmeda"].push_back(row_json(row));
  out["total"] = row_json(fmeda.total);
  const SafetyMetrics& m = fmeda.metrics;
  out["metrics"] = {{"spfm", m.spfm},           {"spfm_lower", m.spfm_lower}, {"lfm", m.lfm},
                    {"lfm_lower", m.lfm_lower}, {"pmhf_fit", m.pmhf},         {"pmhf_fit_upper", m.pmhf_upper}};
  const AsilTargets targets = asil_targets(verdict.asil);
  out["verdict"] = {{"asil", to_string(verdict.asil)},
                    {"met", verdict.met},
                    {"message", verdict.message},
                    {"targets", {{"spfm", targets.spfm ? nlohmann::json(*targets.spfm) : nlohmann::json()},
                                 {"lfm", targets.lfm ? nlohmann::json(*targets.lfm) : nlohmann::json()},
                                 {"pmhf_fit", *targets.pmhf_fit}}}};
  return out;
}

}  // namespace npufi
