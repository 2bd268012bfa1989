#pragma once
// The certification report's content as JSON: every figure it prints, machine-readable. The analysis,
// protection and per-campaign tables are exactly what `npufi analyze --json`, `npufi protect --json` and
// `npufi export --format json` give for the same campaigns; the rest (traceability, fault universe,
// sampling, layers, hardening, limitations) is read from the database here. docs/report.md lists the keys.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/technology.h"
#include "db/store.h"
#include "report/report_file.h"

namespace npufi {

// What the command computed with the analysis code of the other commands, and what it was asked.
struct ReportInputs {
  ReportFile file;
  std::string asil;     // "ASIL-D"
  std::string command;  // the command line of this report
  std::string tool_version;  // of the npufi that writes it
  std::string database;
  Technology technology;
  std::string catalog;                  // protection catalog file
  std::vector<int64_t> analysed;        // unprotected RTL campaigns, pooled
  std::vector<int64_t> verification;    // RTL campaigns of the protected design, pooled
  std::vector<int64_t> weight;          // weight campaigns
  nlohmann::json analysis;              // analyze --json of `analysed`, or null
  nlohmann::json protection;            // protect --json of `analysed`, or null
  std::string protection_missing;       // why there is no plan, when protection is null
  nlohmann::json verification_analysis; // analyze --json of `verification`, or null
  nlohmann::json tool_confidence;       // {"replay": ...} or {"skipped": reason}
  double sampling_margin = 0.01;        // of the Leveugle sizes in the sampling table
};

nlohmann::json report_json(db::Store& store, const ReportInputs& inputs);

}  // namespace npufi
