#include "report/block_table_output.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "analysis/outcome_class.h"
#include "analysis/proportion_interval.h"

namespace npufi {

namespace {

constexpr double kConfidence = 0.95;

double fraction(uint64_t events, uint64_t trials) { return trials ? double(events) / double(trials) : 0.0; }

// Every row, then the total over the rows (not weighted by bits).
std::vector<BlockOutcomes> with_total(const std::vector<BlockOutcomes>& blocks) {
  std::vector<BlockOutcomes> rows = blocks;
  BlockOutcomes total;
  total.block = "all";
  for (const BlockOutcomes& b : blocks) {
    total.bits += b.bits;
    total.counts.masked += b.counts.masked;
    total.counts.sdc_benign += b.counts.sdc_benign;
    total.counts.sdc_critical += b.counts.sdc_critical;
    total.counts.due_detected += b.counts.due_detected;
    total.counts.due_hang += b.counts.due_hang;
  }
  rows.push_back(total);
  return rows;
}

std::string storage_of(const BlockOutcomes& b) { return b.block == "all" ? "-" : to_string(b.storage); }
std::string duration_of(const BlockOutcomes& b) { return b.block == "all" ? "-" : to_string(b.duration); }

}  // namespace

std::string block_table_text(const std::vector<BlockOutcomes>& blocks) {
  std::string out;
  char line[256];
  int width = 14;  // the block column, as wide as the longest name
  for (const BlockOutcomes& b : blocks) width = std::max(width, int(b.block.size()));
  std::snprintf(line, sizeof line, "%-*s %-5s %-9s %8s %10s %8s %8s %8s %8s %8s  %-17s\n", width, "block", "kind",
                "faults", "bits", "injections", "masked", "benign", "critical", "detected", "hang", "critical 95% CI");
  out += line;
  for (const BlockOutcomes& b : with_total(blocks)) {
    const uint64_t n = b.counts.total();
    const Interval ci = proportion_interval(b.counts.sdc_critical, n, kConfidence, IntervalMethod::wilson);
    std::snprintf(line, sizeof line,
                  "%-*s %-5s %-9s %8llu %10llu %7.2f%% %7.2f%% %7.2f%% %7.2f%% %7.2f%%  [%.2f%%, %.2f%%]\n", width,
                  b.block.c_str(), storage_of(b).c_str(), duration_of(b).c_str(), (unsigned long long)b.bits,
                  (unsigned long long)n, 100 * fraction(b.counts.masked, n), 100 * fraction(b.counts.sdc_benign, n),
                  100 * fraction(b.counts.sdc_critical, n), 100 * fraction(b.counts.due_detected, n),
                  100 * fraction(b.counts.due_hang, n), 100 * ci.low, 100 * ci.high);
    out += line;
  }
  return out;
}

std::string block_table_csv(const std::vector<BlockOutcomes>& blocks) {
  std::string out = "block,storage,faults,bits,injections,masked,sdc_benign,sdc_critical,due_detected,due_hang,"
                    "sdc_critical_low,sdc_critical_high\n";
  char line[512];
  for (const BlockOutcomes& b : with_total(blocks)) {
    const uint64_t n = b.counts.total();
    const Interval ci = proportion_interval(b.counts.sdc_critical, n, kConfidence, IntervalMethod::wilson);
    std::snprintf(line, sizeof line, "%s,%s,%s,%llu,%llu,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f\n", b.block.c_str(),
                  storage_of(b).c_str(), duration_of(b).c_str(), (unsigned long long)b.bits, (unsigned long long)n,
                  fraction(b.counts.masked, n), fraction(b.counts.sdc_benign, n), fraction(b.counts.sdc_critical, n),
                  fraction(b.counts.due_detected, n), fraction(b.counts.due_hang, n), ci.low, ci.high);
    out += line;
  }
  return out;
}

nlohmann::json block_table_json(const std::vector<BlockOutcomes>& blocks, int64_t campaign_id) {
  nlohmann::json rows = nlohmann::json::array();
  for (const BlockOutcomes& b : with_total(blocks)) {
    const uint64_t n = b.counts.total();
    const Interval ci = proportion_interval(b.counts.sdc_critical, n, kConfidence, IntervalMethod::wilson);
    nlohmann::json row = {{"block", b.block}, {"storage", storage_of(b)}, {"faults", duration_of(b)},
                          {"bits", b.bits}, {"injections", n}, {"sdc_critical_interval", {ci.low, ci.high}}};
    for (OutcomeClass c : kOutcomeClasses) row[to_string(c)] = fraction(count_of(b.counts, c), n);
    rows.push_back(row);
  }
  return {{"campaign", campaign_id}, {"confidence", kConfidence}, {"blocks", rows}};
}

}  // namespace npufi
