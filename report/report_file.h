#pragma once
// The report file (TOML): what a certification report says that the database cannot, the item, its safety
// goal, the target ASIL, the FTTI, the assumptions of use, and which campaigns are the evidence for what.
// docs/report.md gives the keys.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace npufi {

struct ReportFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The campaigns given as evidence, by what they show.
struct ReportEvidence {
  std::vector<int64_t> baseline;      // unprotected SEU campaigns, analysed pooled
  std::vector<int64_t> stuck_at;      // unprotected stuck-at campaigns, pooled with the baseline
  std::vector<int64_t> verification;  // campaigns of the protected design (protection = plan.json)
  std::vector<int64_t> hardening;     // weight campaigns of hardened networks (and the unhardened one)
  std::vector<int64_t> all() const;
};

struct ReportFile {
  std::string file;  // empty when none was given
  std::string item;
  std::string safety_goal;
  std::optional<std::string> asil;  // "D"; --asil when absent
  std::optional<double> ftti_ms;
  std::vector<std::string> assumptions;
  ReportEvidence evidence;
};

// Throws ReportFileError "FILE:LINE: 'key' ..." naming the file, line and key at fault.
ReportFile load_report_file(const std::string& path);
ReportFile parse_report_file(const std::string& text, const std::string& path);

}  // namespace npufi
