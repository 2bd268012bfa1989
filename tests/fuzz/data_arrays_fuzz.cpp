// Fuzz harness: an image or label array of a data file (docs/data.md), read as .npy when it starts with
// NumPy's magic string and as IDX otherwise. The readers take files: the input is written to one first.
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "models/dataset.h"
#include "models/idx_file.h"
#include "models/npy_file.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const bool npy = size >= 6 && std::memcmp(data, "\x93NUMPY", 6) == 0;
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("npufi-fuzz-" + std::to_string(getpid()) + (npy ? ".npy" : ".idx")))
                               .string();
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data), std::streamsize(size));
  npufi::fuzz::expect_only<npufi::DatasetError>(path, [&] {
    const npufi::NumericArray a = npy ? npufi::read_npy(path) : npufi::read_idx(path);
    if (a.data.size() != size_t(a.count()) * size_t(a.item_bytes)) npufi::fuzz::finding("data size differs from the shape");
  });
  std::filesystem::remove(path);
  return 0;
}
