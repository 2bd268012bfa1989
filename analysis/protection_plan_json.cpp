#include "analysis/protection_plan_json.h"

#include "analysis/text_file.h"

namespace npufi {

namespace {

constexpr const char* kFormat = "npufi-protection-plan";
constexpr int kVersion = 2;  // 2: "granularity", "units" (1 had "blocks" only)

nlohmann::json metrics_json(const SafetyMetrics& m) {
  return {{"spfm", m.spfm}, {"spfm_lower", m.spfm_lower}, {"lfm", m.lfm},
          {"lfm_lower", m.lfm_lower}, {"pmhf_fit", m.pmhf}, {"pmhf_fit_upper", m.pmhf_upper}};
}

double residual(const FmedaRow& row) { return row.spf + row.rf; }

template <class E>
E parse_enum(const std::string& text, std::initializer_list<E> values, const char* (*name)(E)) {
  for (E value : values)
    if (text == name(value)) return value;
  throw std::invalid_argument(text);
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
  const auto optional = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"format", kFormat},
          {"version", kVersion},
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

ProtectionPlanFile parse_protection_plan(const std::string& text, const std::string& path) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // a syntax error, or a number beyond a double's range
    throw ProtectionPlanError(path + ": not JSON: " + e.what());
  }
  // The member `key` of the document, or null; never throws, whatever the document is.
  const auto member = [&](const char* key) {
    return document.is_object() && document.contains(key) ? document[key] : nlohmann::json();
  };
  if (member("format") != kFormat)
    throw ProtectionPlanError(path + ": not a protection plan (\"format\" must be \"" + kFormat + "\")");
  if (member("version") != kVersion)
    throw ProtectionPlanError(path + ": plan version " + member("version").dump() + " is not supported (" +
                              std::to_string(kVersion) + "; write it again with npufi protect)");
  ProtectionPlanFile plan;
  const nlohmann::json granularity_name = member("granularity");
  const std::optional<PlanGranularity> granularity =
      granularity_name.is_string() ? parse_plan_granularity(granularity_name.get<std::string>()) : std::nullopt;
  if (!granularity) throw ProtectionPlanError(path + ": 'granularity' must be \"block\" or \"register\"");
  plan.granularity = *granularity;
  if (!document.contains("units") || !document["units"].is_array())
    throw ProtectionPlanError(path + ": 'units' must be an array");
  for (size_t i = 0; i < document["units"].size(); ++i) {
    const nlohmann::json& entry = document["units"][i];
    const std::string where = path + ": units[" + std::to_string(i) + "]";
    std::string field;
    try {
      PlannedProtection p;
      field = "unit";
      p.unit = entry.at(field).get<std::string>();
      ProtectionOption& o = p.option;
      field = "option";
      o.name = entry.at(field).get<std::string>();
      field = "kind";
      o.kind = parse_enum(entry.at(field).get<std::string>(),
                          {ProtectionKind::none, ProtectionKind::parity, ProtectionKind::ecc, ProtectionKind::hardened,
                           ProtectionKind::duplication, ProtectionKind::triplication, ProtectionKind::lockstep},
                          to_string);
      // A number in [low, high], or above low when `open_low`.
      const auto number = [&](const char* name, double low, double high, bool open_low) {
        field = name;
        const double value = entry.at(field).get<double>();
        if (!(value >= low && value <= high) || (open_low && value == low)) throw std::invalid_argument(field);
        return value;
      };
      o.transient_rate_factor = number("transient_rate_factor", 0, 1e300, true);
      o.permanent_rate_factor = number("permanent_rate_factor", 0, 1e300, true);
      field = "action";
      o.action = parse_enum(entry.at(field).get<std::string>(),
                            {ProtectionAction::none, ProtectionAction::detect, ProtectionAction::correct}, to_string);
      o.coverage = number("coverage", 0, 1, false);
      o.dc_latent = number("dc_latent", 0, 1, false);
      plan.units.push_back(std::move(p));
    } catch (const std::exception&) {
      throw ProtectionPlanError(where + "." + field + ": missing or invalid");
    }
  }
  return plan;
}

ProtectionPlanFile read_protection_plan(const std::string& path) {
  const std::optional<std::string> text = read_text_file(path);
  if (!text) throw ProtectionPlanError(path + ": cannot read the protection plan");
  return parse_protection_plan(*text, path);
}

}  // namespace npufi
