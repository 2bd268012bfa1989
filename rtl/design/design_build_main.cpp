// Build-time tool: `npufi design build` for the designs npufi's own build makes (the reference NPU's four
// configurations, rtl/npu/npuN.toml), without LibTorch, so that they build while the rest compiles.
// Usage: npufi_design_builder DESIGN.toml
#include <cstdio>
#include <iostream>

#include "rtl/design/design_build.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DESIGN.toml\n", argv[0]);
    return 2;
  }
  try {
    const npufi::BuiltDesign built = npufi::build_design(npufi::load_design_file(argv[1]), "", 1, std::cout);
    std::printf("%s: %s\n", argv[1], built.reused ? "up to date" : "built");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "npufi_design_builder: %s\n", e.what());
    return 1;
  }
  return 0;
}
