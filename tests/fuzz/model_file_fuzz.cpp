// Fuzz harness: a model file, as every command that takes --model reads it: an npufi archive (zoo network,
// clipped layers) or a TorchScript module; corrupt and truncated ones must be refused, not crash.
#include <unistd.h>

#include <fstream>

#include "models/model.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  npufi::set_compute_threads(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // LibTorch reads models from files; one file per process, so parallel fuzzing jobs do not collide.
  static const std::string path = "/tmp/npufi-fuzz-model-" + std::to_string(getpid()) + ".pt";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  }
  npufi::fuzz::expect_only<npufi::ModelError>(path, [&] {
    npufi::Model model = npufi::Model::load(path);
    (void)model.parameters();
  });
  std::remove(path.c_str());
  return 0;
}
