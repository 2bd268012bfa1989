// Fuzz harness: a report file (item, safety goal, ASIL, evidence; docs/report.md), parsed and validated.
#include "report/report_file.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz/report.toml";
  npufi::fuzz::expect_only<npufi::ReportFileError>(
      path, [&] { (void)npufi::parse_report_file(npufi::fuzz::as_text(data, size), path); });
  return 0;
}
