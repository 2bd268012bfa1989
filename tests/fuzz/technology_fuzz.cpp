// Fuzz harness: a technology file (raw FIT rates, docs/statistics.md), parsed and validated.
#include "analysis/technology.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz/technology.toml";
  npufi::fuzz::expect_only<npufi::TechnologyError>(
      path, [&] { (void)npufi::parse_technology(npufi::fuzz::as_text(data, size), path); });
  return 0;
}
