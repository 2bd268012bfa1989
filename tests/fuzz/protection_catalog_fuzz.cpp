// Fuzz harness: a protection catalog (docs/protection.md), parsed and validated.
#include "analysis/protection_catalog.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz/catalog.toml";
  npufi::fuzz::expect_only<npufi::ProtectionCatalogError>(
      path, [&] { (void)npufi::parse_protection_catalog(npufi::fuzz::as_text(data, size), path); });
  return 0;
}
