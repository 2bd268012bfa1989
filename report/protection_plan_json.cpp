#include "report/protection_plan_json.h"

#include "analysis/protection_plan_file.h"

namespace npufi {

namespace {

nlohmann::json metrics_json(const SafetyMetrics& m) {
  return {{"spfm", m.spfm}, {"spfm_lower", m.spfm_lower}, {"lfm", m.lfm},
          {"lfm_lower", m.lfm_lower}, {"pmhf_fit", m.pmhf}, {"pmhf_fit_upper", m.pmhf_upper}};
}

double residual(const FmedaRow& row) { return row.spf + row.rf; }

nlohmann::json optional(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json summary_json(const ProtectionPlan& plan, const Verdict& verdict) {
  return {{"strategy", plan.strategy},       {"added_area_ge", plan.area},      {"overhead", plan.overhead},
          {"spfm_lower", plan.metrics.spfm_lower}, {"lfm_lower", plan.metrics.lfm_lower},
          {"pmhf_fit_upper", plan.metrics.pmhf_upper}, {"met", verdict.met}};
}

}  // namespace

nlohmann::json protection_plan_json(const ProtectionProblem& problem, const ProtectionPlan& plan,
                                    const Verdict& verdict, PlanGranularity granularity) {
  nlohmann::json units = nlohmann::json::array();
  for (size_t b = 0; b < plan.blocks.size(); ++b) {
    const BlockChoice& c = plan.blocks[b];
    const ProtectionOption& o = c.option;
    const BlockArea& unit = problem.blocks[b];
    const FmedaRow& before = problem.unprotected.rows[b];
    const FmedaRow& before_upper = problem.unprotected.rows_upper[b];
    units.push_back({{"unit", unit.block},
                     {"block", unit.parent.empty() ? unit.block : unit.parent},
                     {"option", o.name},
                     {"kind", to_string(o.kind)},
                     {"transient_rate_factor", o.transient_rate_factor},
                     {"permanent_rate_factor", o.permanent_rate_factor},
                     {"action", to_string(o.action)},
                     {"coverage", o.coverage},
                     {"dc_latent", o.dc_latent},
                     {"unit_area_ge", unit.area()},
                     {"added_area_ge", c.area},
                     {"lambda_fit_before", before.lambda()},
                     {"lambda_fit_after", c.row.lambda()},
                     {"residual_fit_before", residual(before)},
                     {"residual_fit_before_upper", residual(before_upper)},
                     {"residual_fit_after", residual(c.row)},
                     {"residual_fit_after_upper", residual(c.row_upper)}});
  }
  const AsilTargets targets = asil_targets(verdict.asil);
  return {{"format", kProtectionPlanFormat},
          {"version", kProtectionPlanVersion},
          {"strategy", plan.strategy},
          {"granularity", to_string(granularity)},
          {"catalog", problem.catalog.file},
          {"confidence", problem.safety.fit.confidence},
          {"units", units},
          {"npu_area_ge", problem.npu_area},
          {"added_area_ge", plan.area},
          {"overhead", plan.overhead},
          {"metrics_before", metrics_json(problem.unprotected.metrics)},
          {"metrics", metrics_json(plan.metrics)},
          {"verdict",
           {{"asil", to_string(verdict.asil)},
            {"met", verdict.met},
            {"message", verdict.message},
            {"targets",
             {{"spfm", optional(targets.spfm)}, {"lfm", optional(targets.lfm)}, {"pmhf_fit", optional(targets.pmhf_fit)}}}}}};
}

nlohmann::json protection_plan_file_json(const ProtectionProblem& problem, const ProtectionStudy& study,
                                         PlanGranularity granularity, const ProtectionSource& source) {
  nlohmann::json plan = protection_plan_json(problem, study.chosen, study.after, granularity);
  plan["campaigns"] = source.campaigns;
  plan[source.npu ? "npu" : "design"] = source.target;
  plan["technology"] = source.technology;
  plan["area_model"] = source.area_model;
  plan["planning"] = {{"margin", study.margin},
                      {"margin_met", study.margin_met},
                      {"spfm", optional(study.planned_for.spfm)},
                      {"lfm", optional(study.planned_for.lfm)}};
  return plan;
}

nlohmann::json protection_study_json(const ProtectionProblem& problem, const ProtectionStudy& study,
                                     PlanGranularity granularity, const ProtectionSource& source) {
  nlohmann::json document = protection_plan_file_json(problem, study, granularity, source);
  document["compared"] = nlohmann::json::array();
  for (size_t i = 0; i < study.compared.size(); ++i)
    document["compared"].push_back(summary_json(study.compared[i], study.compared_verdicts[i]));
  document["pareto_front"] = nlohmann::json::array();
  for (const ProtectionPlan& plan : study.front)
    document["pareto_front"].push_back({{"added_area_ge", plan.area}, {"overhead", plan.overhead},
                                        {"pmhf_fit_upper", plan.metrics.pmhf_upper},
                                        {"protected", protected_units(problem, plan)}});
  return document;
}

std::string protected_units(const ProtectionProblem& problem, const ProtectionPlan& plan) {
  std::string out;
  for (size_t b = 0; b < plan.blocks.size(); ++b)
    if (plan.blocks[b].option.kind != ProtectionKind::none)
      out += (out.empty() ? "" : " ") + problem.blocks[b].block + "=" + plan.blocks[b].option.name;
  return out.empty() ? "(none)" : out;
}

}  // namespace npufi
