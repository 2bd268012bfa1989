#include "report/outcome_table_output.h"

#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "analysis/outcome_class.h"
#include "analysis/proportion_interval.h"

namespace npufi {

namespace {

constexpr double kConfidence = 0.95;
constexpr std::array<OutcomeClass, 3> kClasses = {OutcomeClass::masked, OutcomeClass::sdc_benign,
                                                  OutcomeClass::sdc_critical};

std::string format(const char* pattern, auto... values) {
  char text[256];
  std::snprintf(text, sizeof text, pattern, values...);
  return text;
}

// An outcome class's fraction of the images, and its interval.
struct Fraction {
  double value = 0;
  Interval interval;
};

Fraction fraction(const OutcomeCounts& counts, OutcomeClass outcome) {
  const uint64_t n = counts.total();
  const uint64_t k = count_of(counts, outcome);
  return {n ? double(k) / double(n) : 0.0, proportion_interval(k, n, kConfidence, IntervalMethod::wilson)};
}

}  // namespace

std::string outcome_table_text(const std::vector<BerRow>& rows) {
  std::string out = format("%-6s %9s %6s %11s %9s %9s  %-27s %-27s %s\n", "format", "ber", "trials", "faulty bits",
                           "images", "accuracy", "masked (95% CI)", "sdc_benign (95% CI)", "sdc_critical (95% CI)");
  for (const BerRow& r : rows) {
    if (!r.outcomes) continue;
    out += format("%-6s %9.1e %6d %11.1f %9llu %9.4f ", r.format.c_str(), r.ber, r.accuracy.count, r.mean_faulty_bits,
                  (unsigned long long)r.outcomes->total(), r.accuracy.mean);
    std::string cells;
    for (OutcomeClass c : kClasses) {
      const Fraction f = fraction(*r.outcomes, c);
      const std::string cell = format("%.3f%% [%.3f, %.3f]", 100 * f.value, 100 * f.interval.low, 100 * f.interval.high);
      cells += format(" %-27s", cell.c_str());
    }
    out += cells.substr(0, cells.find_last_not_of(' ') + 1) + "\n";
  }
  return out;
}

std::string outcome_table_csv(const std::vector<BerRow>& rows) {
  std::string out = "format,ber,trials,mean_faulty_bits,images,golden_accuracy,accuracy_mean";
  for (OutcomeClass c : kClasses) out += format(",%s,%s_low,%s_high", to_string(c), to_string(c), to_string(c));
  out += "\n";
  for (const BerRow& r : rows) {
    if (!r.outcomes) continue;
    out += format("%s,%.9g,%d,%.6g,%llu,%.6f,%.6f", r.format.c_str(), r.ber, r.accuracy.count, r.mean_faulty_bits,
                  (unsigned long long)r.outcomes->total(), r.golden_accuracy, r.accuracy.mean);
    for (OutcomeClass c : kClasses) {
      const Fraction f = fraction(*r.outcomes, c);
      out += format(",%.8f,%.8f,%.8f", f.value, f.interval.low, f.interval.high);
    }
    out += "\n";
  }
  return out;
}

std::string outcome_table_json(const std::vector<BerRow>& rows, int64_t campaign_id) {
  nlohmann::json table = nlohmann::json::array();
  for (const BerRow& r : rows) {
    if (!r.outcomes) continue;
    nlohmann::json row = {{"format", r.format},
                          {"ber", r.ber},
                          {"trials", r.accuracy.count},
                          {"mean_faulty_bits", r.mean_faulty_bits},
                          {"images", r.outcomes->total()},
                          {"golden_accuracy", r.golden_accuracy},
                          {"accuracy_mean", r.accuracy.mean}};
    for (OutcomeClass c : kClasses) {
      const Fraction f = fraction(*r.outcomes, c);
      row[to_string(c)] = {{"fraction", f.value}, {"interval", {f.interval.low, f.interval.high}},
                           {"images", count_of(*r.outcomes, c)}};
    }
    table.push_back(row);
  }
  return nlohmann::json{{"campaign", campaign_id}, {"confidence", kConfidence}, {"rows", table}}.dump(2) + "\n";
}

}  // namespace npufi
