#include "report/ber_table_output.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace npufi {

namespace {

std::string format(const char* pattern, auto... values) {
  char text[256];
  std::snprintf(text, sizeof text, pattern, values...);
  return text;
}

}  // namespace

std::string ber_table_text(const std::vector<BerRow>& rows) {
  std::string out = format("%-6s %9s %6s %11s %9s %9s %9s %19s %10s\n", "format", "ber", "trials", "faulty bits",
                           "accuracy", "std", "min", "95% interval", "top-1 diff");
  for (const BerRow& r : rows) {
    const std::string interval = r.accuracy.mean_interval
                                     ? format("[%.4f, %.4f]", r.accuracy.mean_interval->low, r.accuracy.mean_interval->high)
                                     : std::string("n/a");
    out += format("%-6s %9.1e %6d %11.1f %9.4f %9.4f %9.4f %19s %10.4f\n", r.format.c_str(), r.ber, r.accuracy.count,
                  r.mean_faulty_bits, r.accuracy.mean, r.accuracy.stddev, r.accuracy.min, interval.c_str(),
                  r.mismatch_fraction);
  }
  return out;
}

std::string ber_table_csv(const std::vector<BerRow>& rows) {
  std::string out =
      "format,ber,trials,mean_faulty_bits,golden_accuracy,accuracy_mean,accuracy_std,accuracy_min,accuracy_max,"
      "accuracy_ci95_low,accuracy_ci95_high,top1_mismatch_fraction\n";
  for (const BerRow& r : rows) {
    const auto& i = r.accuracy.mean_interval;
    out += format("%s,%.9g,%d,%.6g,%.6f,%.6f,%.6f,%.6f,%.6f,", r.format.c_str(), r.ber, r.accuracy.count,
                  r.mean_faulty_bits, r.golden_accuracy, r.accuracy.mean, r.accuracy.stddev, r.accuracy.min,
                  r.accuracy.max);
    out += i ? format("%.6f,%.6f,", i->low, i->high) : std::string(",,");
    out += format("%.6f\n", r.mismatch_fraction);
  }
  return out;
}

nlohmann::json ber_table_json(const std::vector<BerRow>& rows, int64_t campaign_id) {
  nlohmann::json table = nlohmann::json::array();
  for (const BerRow& r : rows) {
    nlohmann::json row = {{"format", r.format},
                          {"ber", r.ber},
                          {"trials", r.accuracy.count},
                          {"mean_faulty_bits", r.mean_faulty_bits},
                          {"golden_accuracy", r.golden_accuracy},
                          {"accuracy", {{"mean", r.accuracy.mean},
                                        {"std", r.accuracy.stddev},
                                        {"min", r.accuracy.min},
                                        {"max", r.accuracy.max}}},
                          {"top1_mismatch_fraction", r.mismatch_fraction}};
    if (r.accuracy.mean_interval) {
      row["accuracy"]["ci95"] = {r.accuracy.mean_interval->low, r.accuracy.mean_interval->high};
    } else {
      row["accuracy"]["ci95"] = nullptr;
    }
    table.push_back(row);
  }
  return {{"campaign", campaign_id}, {"rows", table}};
}

}  // namespace npufi
