// Fuzz harness: a protection plan (`npufi protect --out plan.json`), read back as an RTL campaign does.
#include "analysis/protection_plan_file.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz/plan.json";
  npufi::fuzz::expect_only<npufi::ProtectionPlanError>(
      path, [&] { (void)npufi::parse_protection_plan(npufi::fuzz::as_text(data, size), path); });
  return 0;
}
