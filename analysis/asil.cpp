#include "analysis/asil.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

namespace npufi {

namespace {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// The value with one decimal, or more where one would print it on the other side of the target
// (`meets` says which side passes): a bound of 98.96 % against 99 % shows as 98.96 %, not 99.0 %.
template <class Meets>
std::string shown(double value, Meets meets) {
  for (int decimals = 1; decimals < 6; ++decimals) {
    const std::string text = fixed(value, decimals);
    if (meets(std::stod(text)) == meets(value)) return text;
  }
  return fixed(value, 6);
}

std::string percent(double fraction) { return fixed(100 * fraction, 1); }

std::string target_percent(double fraction) {
  const double p = 100 * fraction;
  return p == std::round(p) ? fixed(p, 0) : fixed(p, 1);
}

}  // namespace

std::optional<Asil> parse_asil(const std::string& name) {
  std::string letter = name;
  for (const char* prefix : {"ASIL-", "asil-", "ASIL", "asil"})
    if (letter.rfind(prefix, 0) == 0) {
      letter = letter.substr(std::string(prefix).size());
      break;
    }
  if (letter.size() != 1) return std::nullopt;
  switch (std::toupper(static_cast<unsigned char>(letter[0]))) {
    case 'A': return Asil::A;
    case 'B': return Asil::B;
    case 'C': return Asil::C;
    case 'D': return Asil::D;
  }
  return std::nullopt;
}

std::string to_string(Asil asil) { return std::string("ASIL-") + "ABCD"[int(asil)]; }

AsilTargets asil_targets(Asil asil) {
  switch (asil) {
    case Asil::D: return {0.99, 0.90, 10.0};
    case Asil::C: return {0.97, 0.80, 100.0};
    case Asil::B: return {0.90, 0.60, 100.0};
    case Asil::A: return {std::nullopt, std::nullopt, 1000.0};
  }
  return {};
}

Verdict asil_verdict(const std::string& item, const SafetyMetrics& metrics, Asil asil, double confidence) {
  const AsilTargets targets = asil_targets(asil);
  const std::string level = target_percent(confidence) + "%";
  std::vector<std::string> misses, meets;
  const auto fraction_metric = [&](const char* name, double point, double lower, std::optional<double> target) {
    if (!target) return;
    const auto meets_target = [&](double value) { return value >= 100 * *target; };
    const bool passes = meets_target(100 * lower);
    const std::string text = std::string(name) + " " + percent(point) + "% (" + level + " lower bound " +
                             shown(100 * lower, meets_target) + "%) " + (passes ? ">=" : "<") + " " +
                             target_percent(*target) + "%";
    (passes ? meets : misses).push_back(text);
  };
  fraction_metric("SPFM", metrics.spfm, metrics.spfm_lower, targets.spfm);
  fraction_metric("LFM", metrics.lfm, metrics.lfm_lower, targets.lfm);
  if (targets.pmhf_fit) {
    const auto meets_target = [&](double value) { return value < *targets.pmhf_fit; };
    const bool passes = meets_target(metrics.pmhf_upper);
    const std::string text = "PMHF " + fixed(metrics.pmhf, 1) + " FIT (" + level + " upper bound " +
                             shown(metrics.pmhf_upper, meets_target) + " FIT) " +
                             (passes ? "<" : ">=") + " " + fixed(*targets.pmhf_fit, 0) + " FIT";
    (passes ? meets : misses).push_back(text);
  }
  Verdict verdict{asil, misses.empty(), item + (misses.empty() ? " meets " : " misses ") + to_string(asil) + ": "};
  const std::vector<std::string>& listed = misses.empty() ? meets : misses;
  for (size_t i = 0; i < listed.size(); ++i) verdict.message += (i ? ", " : "") + listed[i];
  return verdict;
}

}  // namespace npufi
