// Fuzz harness: a design file (docs/your-design.md), parsed and validated. It sits in tests/rtl/gemm, so
// that the sources and testbench it names can exist.
#include "rtl/design/design_file.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = NPUFI_SOURCE_DIR "/tests/rtl/gemm/fuzz.toml";
  npufi::fuzz::expect_only<npufi::DesignFileError>(
      path, [&] { (void)npufi::parse_design_file(npufi::fuzz::as_text(data, size), path); });
  return 0;
}
