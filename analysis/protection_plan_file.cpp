#include "analysis/protection_plan_file.h"

#include <nlohmann/json.hpp>

#include "analysis/text_file.h"

namespace npufi {

namespace {

template <class E>
E parse_enum(const std::string& text, std::initializer_list<E> values, const char* (*name)(E)) {
  for (E value : values)
    if (text == name(value)) return value;
  throw std::invalid_argument(text);
}

}  // namespace

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
  if (member("format") != kProtectionPlanFormat)
    throw ProtectionPlanError(path + ": not a protection plan (\"format\" must be \"" + kProtectionPlanFormat + "\")");
  if (member("version") != kProtectionPlanVersion)
    throw ProtectionPlanError(path + ": plan version " + member("version").dump() + " is not supported (" +
                              std::to_string(kProtectionPlanVersion) + "; write it again with npufi protect)");
  ProtectionPlanFile plan;
  const nlohmann::json granularity_name = member("granularity");
  const std::optional<PlanGranularity> granularity =
      granularity_name.is_string() ? parse_plan_granularity(granularity_name.get<std::string>()) : std::nullopt;
  if (!granularity) throw ProtectionPlanError(path + ": 'granularity' must be \"block\" or \"register\"");
  plan.granularity = *granularity;
  if (member("npu").is_string()) plan.npu = member("npu").get<std::string>();
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
